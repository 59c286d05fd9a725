"""Dates as pages write them, read by ``metadata.iso_datetime`` into ISO 8601 with an offset."""

from __future__ import annotations

import warnings

import pytest

from recapcrawl.extraction.metadata import iso_datetime


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2024-03-14T21:05:00Z", "2024-03-14T21:05:00+00:00"),
        ("March 14, 2024 at 9:05 pm EDT", "2024-03-14T21:05:00-04:00"),
        ("14 March 2024 21:05 +0530", "2024-03-14T21:05:00+05:30"),
        # "GMT+2" is two hours ahead of GMT on a web page (dateutil alone reads it the POSIX way: behind)
        ("March 14, 2024 at 21:05 GMT+2", "2024-03-14T21:05:00+02:00"),
        ("14.03.2024, 21:05 Uhr (UTC+1)", "2024-03-14T21:05:00+01:00"),
        ("14 March 2024 21:05 GMT-03:30", "2024-03-14T21:05:00-03:30"),
        # a numeric date with dots is day first (German, Russian, Polish…), also when the day could be a month
        ("03.02.2024", "2024-02-03T00:00:00+00:00"),
        ("3. 2. 2024", "2024-02-03T00:00:00+00:00"),
        ("Veröffentlicht am 12.11.2023 um 14:05", "2023-11-12T14:05:00+00:00"),
        # slashes stay month first (the US form); a named month is never in doubt
        ("2/3/2024", "2024-02-03T00:00:00+00:00"),
        ("Feb 3 2024", "2024-02-03T00:00:00+00:00"),
        # a zone name that means three places ("IST": India, Ireland, Israel) is left out, not guessed
        ("3 Feb 2024 10:00 IST", "2024-02-03T10:00:00+00:00"),
        ("", None),
        ("no date here", None),
    ],
)
def test_iso_datetime(written: str, expected: str | None) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # dateutil's UnknownTimezoneWarning would reach the crawl log
        assert iso_datetime(written) == expected

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


def _post(meta: str, after: str = "") -> str:
    return (
        "<html><head><title>Harbor Lights 2x04 Recap</title></head><body class='single single-post'>"
        "<article id='post-4' class='post type-post'><h1 class='entry-title'>Harbor Lights 2x04 Recap</h1>"
        f"<ul class='meta'>{meta}</ul><div class='entry-content'><p>The ferry is late again, and the harbour "
        f"master has had enough of it.</p></div>{after}</article></body></html>"
    )


RELATED = (
    "<section id='related-posts'><article class='related-post post type-post'>"
    "<h3><a href='/2024/03/11/x/'>Harbor Lights 2x05 Recap</a></h3>"
    "<time class='published' datetime='2024-03-11T20:15:00+00:00'>March 11, 2024</time></article></section>"
)
COMMENT = (
    "<div id='comments'><ol class='comment-list'><li id='comment-7'><article class='comment-body'>"
    "<b class='fn'>Ola</b><time datetime='2024-03-05T08:00:00+00:00'>March 5</time><p>Yes.</p>"
    "</article></li></ol></div>"
)


@pytest.mark.parametrize(
    ("meta", "after", "expected"),
    [
        # the post's date is text only (OceanWP's li.meta-date): a related post's time is not it
        (
            "<li class='meta-date' itemprop='datePublished'><span class='screen-reader-text'>Post published:"
            "</span>March 4, 2024</li>",
            RELATED,
            "2024-03-04T00:00:00+00:00",
        ),
        # no date shown at all: neither a comment's time nor a related post's
        ("", RELATED + COMMENT, None),
        # the post's own time wins over the cards after it
        (
            "<li><time class='entry-date published' datetime='2024-03-04T20:15:00+00:00'>4 March</time></li>",
            RELATED,
            "2024-03-04T20:15:00+00:00",
        ),
    ],
    ids=["text-only-date", "none", "own-time"],
)
def test_the_posts_date_is_never_a_cards_or_a_comments(meta, after, expected):
    from recapcrawl.extraction import extract_recap

    assert extract_recap(_post(meta, after), "https://tv.example/2024/03/04/x/").meta.published == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("July 2026", "2026-07-01T00:00:00+00:00"),
        ("September 2013", "2013-09-01T00:00:00+00:00"),
        ("Oct 2019 14:35", "2019-10-01T14:35:00+00:00"),
    ],
)
def test_a_date_without_its_day_is_the_first_of_its_month_whatever_the_day_today(
    written: str, expected: str
) -> None:
    """dateutil fills missing parts from today by default: a page saying "July 2026" read as the 7th on the
    7th and as the 8th on the 8th, so a reparse on another day changed the archive."""
    assert iso_datetime(written) == expected

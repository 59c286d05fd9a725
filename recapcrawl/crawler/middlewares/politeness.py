"""Per-host politeness Scrapy's retries leave out: Retry-After and back-off on 429.

``RetryAfterMiddleware`` replaces Scrapy's ``RetryMiddleware`` (same priority, 550; same ``RETRY_*``
settings). When a 429 or 503 carries ``Retry-After`` (delta-seconds or an HTTP date), the host's
download slot is held that long: nothing more leaves for that host, queued requests included, and the
URL is retried once the wait is over. A 429 without ``Retry-After`` holds the host
``RECAPCRAWL_RETRY_BACKOFF`` seconds, doubled at each retry of the URL, with ±50 % jitter. A wait longer
than ``RECAPCRAWL_RETRY_AFTER_MAX`` is not waited for: the URL is given up at once (an ``IgnoreRequest``
whose message becomes its ``pages.reason``) and the host is held for the cap. The hold is a timer on the
slot, the downloader's own mechanism for ``DOWNLOAD_DELAY``: nothing sleeps on the reactor thread.

The per-host concurrency limit is ``recapcrawl.crawler.downloader.PoliteDownloader``.
"""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic

from scrapy import Request
from scrapy.core.downloader import Downloader, Slot
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.asyncio import call_later

logger = logging.getLogger(__name__)

THROTTLED = (429, 503)  # the statuses whose Retry-After asks a client to come back later


class RetryAfterTooLong(IgnoreRequest):
    """A 429 or 503 asked for a wait over ``RECAPCRAWL_RETRY_AFTER_MAX``: the request is given up."""

    def __init__(self, message: str, response: Response) -> None:
        super().__init__(message)
        self.response = response


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """The seconds a ``Retry-After`` value asks to wait (delta-seconds or an HTTP date, a past date
    meaning 0), or None when there is none or it can't be read."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def hold_slot(downloader: Downloader, slot: Slot, seconds: float) -> None:
    """Start nothing more from ``slot`` for ``seconds`` (requests in flight finish; queued ones wait)."""
    if slot.latercall:
        slot.latercall.cancel()
    slot.latercall = call_later(seconds, downloader._latercall, slot)
    # no extra delay once the hold is over, and the idle-slot collector keeps the slot meanwhile
    slot.lastseen = max(slot.lastseen, monotonic() + seconds - slot.delay)


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, with the host held for ``Retry-After`` (or backed off after a 429)."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("RECAPCRAWL_RETRY_AFTER_MAX", 300.0)
        self.backoff = settings.getfloat("RECAPCRAWL_RETRY_BACKOFF", 2.0)
        self._held_until: dict[str, float] = {}  # download slot key → monotonic() when the hold ends

    # Scrapy 2.13+ calls this without ``spider``; RetryMiddleware still declares the deprecated argument.
    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        wait = self.wait(request, response)
        if wait is not None:
            self.hold(request, response, min(wait, self.max_wait))
            if wait > self.max_wait and not request.meta.get("dont_retry"):
                raise self._give_up(request, response, wait)
        return super().process_response(request, response)

    def wait(self, request: Request, response: Response) -> float | None:
        """How long the server asked us to stay away, or None when it did not ask."""
        if response.status not in THROTTLED:
            return None
        seconds = retry_after_seconds(response.headers.get(b"Retry-After"))
        if seconds is None and response.status == 429:
            retries = request.meta.get("retry_times", 0)
            seconds = min(self.max_wait, self.backoff * 2**retries * random.uniform(0.5, 1.5))  # noqa: S311
        return seconds

    def hold(self, request: Request, response: Response, seconds: float) -> None:
        """Hold the request's host (its download slot) for ``seconds``, unless already held longer."""
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        until = monotonic() + seconds
        if seconds <= 0 or until <= self._held_until.get(key, 0.0):
            return
        self._held_until[key] = until
        slot = downloader.slots.get(key)
        if slot is not None:
            hold_slot(downloader, slot, seconds)
            self.crawler.stats.inc_value("recapcrawl/retry_after/holds")
            header = (response.headers.get(b"Retry-After") or b"").decode("latin-1")
            logger.info(
                "Holding requests to %s for %.1f s: HTTP %d%s for %s",
                key,
                seconds,
                response.status,
                f" with Retry-After: {header}" if header else "",
                request.url,
            )

    def _give_up(self, request: Request, response: Response, wait: float) -> RetryAfterTooLong:
        self.crawler.stats.inc_value("recapcrawl/retry_after/gave_up")
        header = (response.headers.get(b"Retry-After") or b"").decode("latin-1")
        return RetryAfterTooLong(
            f"HTTP {response.status} with Retry-After: {header} ({wait:.0f} s), longer than"
            f" RECAPCRAWL_RETRY_AFTER_MAX ({self.max_wait:g} s): not retried",
            response,
        )

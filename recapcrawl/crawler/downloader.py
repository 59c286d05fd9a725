"""``PoliteDownloader`` (the ``DOWNLOADER`` setting): Scrapy's downloader with
``CONCURRENT_REQUESTS_PER_DOMAIN`` enforced when ``DOWNLOAD_DELAY`` is 0.

Scrapy 2.19 starts each download as an asyncio task and counts it against its slot's limit only once
the task runs; with no delay, ``_process_queue`` has no one-request-per-call break, so it started every
request queued for a host at once (12 at once with the limit at 2, on a loopback site).
``tests/test_scrapy_private_api.py`` fails when Scrapy's own ``_process_queue`` changes.
"""

from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader, Slot
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro


class PoliteDownloader(Downloader):
    """Scrapy's downloader, counting a request against its slot's concurrency from when it is started."""

    def _process_queue(self, slot: Slot) -> None:
        # Scrapy 2.19's Downloader._process_queue, with one line added (marked)
        if slot.latercall:
            return
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)  # added: _download() adds it only once its task runs
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:
                self._process_queue(slot)
                break

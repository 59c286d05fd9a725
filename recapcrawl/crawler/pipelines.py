"""Item pipelines: thin adapters from spider items to extraction and storage."""

from __future__ import annotations

import logging
import time
from collections import Counter
from typing import Any, cast

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from .. import storage
from ..extraction.links import comment_key, listing_key
from ..extraction.metadata import published_from_listing
from ..storage import ArchiveWriter
from .extensions import ArchiveSession, archive_session, extract_pool
from .items import (
    CAPTURE,
    PAGE,
    RECAP,
    UNCHANGED_RECAP,
    ArchiveItem,
    PageRow,
    RecapItem,
    Source,
    SpiderItem,
    StoredCaptureItem,
)
from .readings import SplitRecap, split_recap, with_listing

logger = logging.getLogger(__name__)


def _hashes(sources: list[Source]) -> list[str]:
    return [source["sha256"] for source in sources]


def _split_failed(page: PageRow, reason: str) -> PageRow:
    """The recap's first page as an error row."""
    return {**page, "is_recap": False, "kind": "error", "reason": reason}


class SplitPipeline:
    """Split a fetched recap (all its comment pages and article pages) into its parts; a failure becomes
    a page row.

    A recap whose pages are byte-for-byte what the archive last split (same sha256s) is not split again.
    The split runs in the crawl's extraction workers (``ExtractWorkers``); a one-page recap with no
    other comment page arrives already split by the worker that read it.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _unchanged(self, item: RecapItem) -> str | None:
        session = archive_session(self.crawler)
        state = session.state if session is not None else None
        url = item.get("canonical")
        if state is None or url is None or not item.get("sources"):
            return None
        known = state.recaps.get(url)
        if known is not None and _hashes(known.sources) == _hashes(item["sources"]):
            return url
        return None

    async def _split(self, item: RecapItem) -> SplitRecap:
        split = item.get("split")
        if split is not None:
            return split
        return await extract_pool(self.crawler).run(
            split_recap, item["html"], item["url"], item["comment_pages"], item.get("article_pages") or []
        )

    async def process_item(self, item: SpiderItem) -> ArchiveItem:
        if item["type"] != RECAP:
            return item
        unchanged = self._unchanged(item)
        if unchanged:
            self.stats.inc_value("recapcrawl/recaps_unchanged")
            return {"type": UNCHANGED_RECAP, "url": unchanged, "pages": item["pages"]}
        try:
            recap = await self._split(item)
        except Exception as exc:  # one recap that cannot be split must not stop the others
            logger.error("Could not split %s: %s: %s", item["url"], type(exc).__name__, exc)
            self.stats.inc_value("recapcrawl/split_failed")
            reason = f"split failed: {type(exc).__name__}: {exc}"
            pages = [_split_failed(p, reason) for p in item["pages"][:1]] + item["pages"][1:]
            return {"type": PAGE, "pages": pages}
        self.stats.inc_value("recapcrawl/recaps_split")
        known = getattr(self.crawler.spider, "listings", None)
        if known:
            recap = with_listing(recap, known)
        return {
            "type": RECAP,
            "recap": recap,
            "pages": item["pages"],
            "sources": item.get("sources", []),
            "complete": item.get("complete", True),
        }


# Writer counts → Scrapy stats (what ``recapcrawl crawl`` and the progress line report).
STATS = {
    "captures": "recapcrawl/captures_saved",
    "recaps_saved": "recapcrawl/recaps_saved",
    "comments": "recapcrawl/comments_saved",
    "new_comments": "recapcrawl/new_comments",
    "pages": "recapcrawl/pages_saved",
    "errors": "recapcrawl/errors",
}


class ArchivePipeline:
    """Write captures, recaps and page rows to the SQLite archive named by ``RECAPCRAWL_DB``, through
    the ``ArchiveSession`` extension (opened here when the spider opens) and its ``ArchiveWriter``.

    Items are written in batches, one transaction each: up to ``RECAPCRAWL_BATCH_ITEMS`` items or
    ``RECAPCRAWL_BATCH_SECONDS`` seconds, committed early when the crawl is idle and at its end. A
    killed crawl loses at most the open batch, which the resumed crawl fetches again.
    """

    def __init__(self, crawler, session: ArchiveSession) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.session = session
        self.batch_items = max(1, crawler.settings.getint("RECAPCRAWL_BATCH_ITEMS", 100))
        self.batch_seconds = crawler.settings.getfloat("RECAPCRAWL_BATCH_SECONDS", 1.0)
        self.batch_size = 0
        self.batch_opened = 0.0
        self.timer: task.LoopingCall | None = None
        self.reported: Counter[str] = Counter()  # writer counts already added to the stats
        crawler.signals.connect(self.commit, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("RECAPCRAWL_DB"):
            raise NotConfigured("RECAPCRAWL_DB is not set")
        session = crawler.get_extension(ArchiveSession)
        if session is None:
            raise NotConfigured("the ArchiveSession extension is disabled (see EXTENSIONS)")
        return cls(crawler, session)

    @property
    def writer(self) -> ArchiveWriter | None:
        return self.session.writer if self.session.db is not None else None

    def open_spider(self) -> None:
        self.session.open(list(getattr(self.crawler.spider, "start_urls", [])))
        if self.batch_seconds > 0:
            self.timer = task.LoopingCall(self._commit_if_due)
            self.timer.start(self.batch_seconds / 2, now=False)

    def close_spider(self) -> None:
        if self.timer is not None and self.timer.running:
            self.timer.stop()
        writer = self.writer
        if writer is None:
            return
        for page in self.session.late_pages:
            writer.page(cast(dict[str, Any], page))  # the writer takes plain dicts
        self.commit()
        storage.link_pages_to_recaps(writer.db)
        known = getattr(self.crawler.spider, "listings", None)
        if known:  # recaps written before the feed that lists them was read
            storage.complete_from_feeds(writer.db, known, listing_key, comment_key, published_from_listing)

    def _commit_if_due(self) -> None:
        if self.batch_size and time.monotonic() - self.batch_opened >= self.batch_seconds:
            self.commit()

    def commit(self, *args: Any) -> None:
        """Write the recaps waiting in the batch and commit it (also on ``spider_idle``)."""
        writer = self.writer
        if writer is None:
            return
        writer.commit()
        self.batch_size = 0
        self._report(writer)

    def _report(self, writer: ArchiveWriter) -> None:
        for name, stat in STATS.items():
            if writer.counts[name] != self.reported[name]:
                self.stats.inc_value(stat, writer.counts[name] - self.reported[name])
                self.reported[name] = writer.counts[name]

    def process_item(self, item: ArchiveItem) -> ArchiveItem | StoredCaptureItem:
        writer = self.writer
        if writer is None:
            raise RuntimeError("the archive session is not open")
        if not writer.in_batch:
            self.batch_opened = time.monotonic()
        try:
            capture_id = writer.write(cast(dict[str, Any], item))  # the writer takes plain dicts
        finally:
            self.batch_size += 1
            if self.batch_size >= self.batch_items:
                self.commit()
            else:
                self._report(writer)
        if item["type"] == CAPTURE:
            return {"type": CAPTURE, "url": item["url"], "capture_id": capture_id}
        return item

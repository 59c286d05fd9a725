"""Item pipelines: thin adapters from spider items to extraction and storage."""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import asdict
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from . import storage
from .items import CAPTURE, PAGE, RECAP
from .workers import pool_for, split_recap

logger = logging.getLogger(__name__)
UNCHANGED_RECAP = "unchanged_recap"


def _hashes(sources: list[dict[str, str]]) -> list[str]:
    return [source["sha256"] for source in sources]


class SplitPipeline:
    """Split a fetched recap (all its comment pages and article pages) into its parts; a failure becomes
    a page row.

    A recap whose pages are byte-for-byte what the archive last split (same sha256s) is not split again.
    The split runs in the crawl's extraction workers (``recapcrawl.workers``); a one-page recap with no
    other comment page arrives already split by the worker that read it.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _unchanged(self, item: dict[str, Any]) -> str | None:
        state = getattr(self.crawler, "archive_state", None)
        url = item.get("canonical")
        if state is None or url is None or not item.get("sources"):
            return None
        known = state.recaps.get(url)
        if known is not None and _hashes(known.sources) == _hashes(item["sources"]):
            return url
        return None

    async def _split(self, item: dict[str, Any]) -> dict[str, Any]:
        if item.get("split") is not None:
            return item["split"]
        return await pool_for(self.crawler).run(
            split_recap, item["html"], item["url"], item["comment_pages"], item.get("article_pages") or []
        )

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if item.get("type") != RECAP:
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
            pages = [
                dict(p, is_recap=False, kind="error", reason=f"split failed: {type(exc).__name__}: {exc}")
                for p in item["pages"][:1]
            ] + item["pages"][1:]
            return {"type": PAGE, "pages": pages}
        self.stats.inc_value("recapcrawl/recaps_split")
        return {
            "type": RECAP,
            "recap": recap,
            "pages": item["pages"],
            "sources": item.get("sources", []),
            "complete": item.get("complete", True),
        }


class ArchivePipeline:
    """Write captures, recaps and page rows to the SQLite archive named by ``RECAPCRAWL_DB``.

    Opens (or resumes) the crawl's row in ``crawls`` and publishes what the archive knows as
    ``crawler.archive_state`` for the spider and the archive middleware.

    Items are written in batches, one transaction each: up to ``RECAPCRAWL_BATCH_ITEMS`` items or
    ``RECAPCRAWL_BATCH_SECONDS`` seconds, committed early when the crawl is idle and at its end. A
    killed crawl loses at most the open batch, which the resumed crawl fetches again.
    """

    def __init__(self, crawler, db_path: str) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = db_path
        self.db = None
        self.lock: storage.ArchiveLock | None = None
        self.crawl_id: int | None = None
        self.capture_ids: dict[str, int] = {}
        self.counts: Counter[str] = Counter()
        self.batch_items = max(1, crawler.settings.getint("RECAPCRAWL_BATCH_ITEMS", 100))
        self.batch_seconds = crawler.settings.getfloat("RECAPCRAWL_BATCH_SECONDS", 1.0)
        self.batch: list[dict[str, Any]] = []  # recap items waiting for their batch's save_recaps
        self.batch_size = 0
        self.batch_opened = 0.0
        self.timer: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.commit, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler):
        db_path = crawler.settings.get("RECAPCRAWL_DB")
        if not db_path:
            raise NotConfigured("RECAPCRAWL_DB is not set")
        return cls(crawler, db_path)

    def open_spider(self) -> None:
        if not self.crawler.settings.getbool("RECAPCRAWL_LOCK_HELD"):  # `scrapy crawl`: take it here
            self.lock = storage.ArchiveLock(self.db_path).acquire()  # ArchiveBusy: another crawl writes
        self.db = storage.open_db(self.db_path)
        spider = self.crawler.spider
        settings = {name: self.crawler.settings.get(name) for name in storage.crawls.RECORDED_SETTINGS}
        self.crawl_id, resumed = storage.start_crawl(
            self.db, list(getattr(spider, "start_urls", [])), settings
        )
        state = storage.load_crawl_state(self.db, self.crawl_id, resumed)
        self.crawler.archive_state = state
        self.crawler.archive_db = self.db
        if resumed:
            logger.warning(
                "Resuming interrupted crawl %s: %d URLs already archived will be replayed, not downloaded",
                self.crawl_id,
                len(state.done),
            )
        logger.info("Archiving into %s (crawl %s)", self.db_path, self.crawl_id)
        if self.batch_seconds > 0:
            self.timer = task.LoopingCall(self._commit_if_due)
            self.timer.start(self.batch_seconds / 2, now=False)

    def close_spider(self) -> None:
        if self.timer is not None and self.timer.running:
            self.timer.stop()
        if self.db is None:
            return
        self._open_batch()
        for outcome in getattr(self.crawler.spider, "late_outcomes", []):
            self._save_page(asdict(outcome))
        self.commit()
        storage.link_pages_to_recaps(self.db)

    def spider_closed(self, spider, reason: str) -> None:
        if self.db is None:
            return
        self.counts["errors"] += self.stats.get_value("log_count/ERROR", 0)
        storage.finish_crawl(self.db, self.crawl_id, dict(self.counts), reason)
        self.db.close()
        self.db = None
        if self.lock is not None:
            self.lock.release()

    # ---------------------------------------------------------------- batches
    def _open_batch(self) -> None:
        if not self.db.conn.in_transaction:
            self.db.execute("BEGIN")
            self.batch_opened = time.monotonic()

    def _commit_if_due(self) -> None:
        if self.batch_size and time.monotonic() - self.batch_opened >= self.batch_seconds:
            self.commit()

    def commit(self, *args: Any) -> None:
        """Write the recaps waiting in the batch and commit it (also on ``spider_idle``)."""
        if self.db is None:
            return
        if self.batch:
            self._save_recaps(self.batch)
            self.batch = []
        if self.db.conn.in_transaction:
            self.db.conn.commit()
        self.batch_size = 0

    def _save_recaps(self, items: list[dict[str, Any]]) -> None:
        elements = [{"recap": item["recap"], "sources": item.get("sources"),
                     "comments_complete": item.get("complete", True)} for item in items]  # fmt: skip
        try:
            saved = storage.save_recaps(self.db, elements, crawl_id=self.crawl_id)
        except Exception:  # one bad recap must not lose its batch: write them one by one
            logger.exception("Could not write a batch of %d recaps; writing them one at a time", len(items))
            saved = [self._save_one(element) for element in elements]
        for item, element, result in zip(items, elements, saved, strict=True):
            if result is None:
                self._save_unsaved(item, element["error"])
                continue
            self.stats.inc_value("recapcrawl/recaps_saved")
            self.stats.inc_value("recapcrawl/comments_saved", len(item["recap"]["comments"]))
            self.stats.inc_value("recapcrawl/new_comments", result.new_comments)
            self.counts.update(recaps=1, new_comments=result.new_comments)
            for page in item["pages"]:
                self._save_page(page, result.recap_id)

    def _save_one(self, element: dict[str, Any]) -> storage.SavedRecap | None:
        try:
            return storage.save_recaps(self.db, [element], crawl_id=self.crawl_id)[0]
        except Exception as exc:
            logger.error(
                "Could not write recap %s: %s: %s", element["recap"].get("url"), type(exc).__name__, exc
            )
            element["error"] = f"could not write the recap: {type(exc).__name__}: {exc}"
            return None

    def _save_unsaved(self, item: dict[str, Any], reason: str) -> None:
        for page in item["pages"][:1]:
            self._save_page(dict(page, is_recap=False, kind="error", reason=reason))
        for page in item["pages"][1:]:
            self._save_page(page)

    # ---------------------------------------------------------------- items
    def _save_page(self, page: dict[str, Any], recap_id: int | None = None) -> None:
        state = self.crawler.archive_state
        capture_id = self.capture_ids.get(page["url"]) or state.done.get(page["url"])
        if capture_id is None and page["url"] in state.validators:
            capture_id = state.validators[page["url"]].capture_id
        row = dict(page, crawl_id=self.crawl_id, capture_id=capture_id)
        if recap_id is not None:
            row["recap_id"] = recap_id
        storage.save_page(self.db, row)
        self.counts["pages"] += 1
        if row.get("kind") == "error":
            self.counts["errors"] += 1
            self.stats.inc_value("recapcrawl/errors")

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        self._open_batch()
        try:
            return self._write(item)
        finally:
            self.batch_size += 1
            if self.batch_size >= self.batch_items:
                self.commit()

    def _write(self, item: dict[str, Any]) -> dict[str, Any]:
        kind = item.get("type")
        if kind == CAPTURE:
            capture_id = storage.save_capture(
                self.db, item["url"], item["status"], item["headers"], item["body"], item["final_url"],
                item["fetched_at"], self.crawl_id, item.get("packed"),
            )  # fmt: skip
            self.capture_ids[item["url"]] = self.capture_ids[item["final_url"]] = capture_id
            self.stats.inc_value("recapcrawl/captures_saved")
            return {"type": CAPTURE, "url": item["url"], "capture_id": capture_id}
        if kind == RECAP:
            self.batch.append(item)  # written with its batch by save_recaps
        elif kind == UNCHANGED_RECAP:
            recap_id = storage.touch_recap(self.db, item["url"], self.crawl_id)
            self.counts["recaps"] += 1
            for page in item["pages"]:
                self._save_page(page, recap_id)
        else:
            pages = item.get("pages") or [item]
            for page in pages:
                self._save_page(page)
            self.stats.inc_value("recapcrawl/pages_saved", len(pages))
        return item

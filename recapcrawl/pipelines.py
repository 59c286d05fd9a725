"""Item pipelines: thin adapters from spider items to extraction and storage."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import asdict
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from . import storage
from .extraction import extract_recap
from .items import CAPTURE, PAGE, RECAP

logger = logging.getLogger(__name__)
UNCHANGED_RECAP = "unchanged_recap"


def _hashes(sources: list[dict[str, str]]) -> list[str]:
    return [source["sha256"] for source in sources]


class SplitPipeline:
    """Split a fetched recap (all its comment pages) into its parts; a failure becomes a page row.

    A recap whose pages are byte-for-byte what the archive last split (same sha256s) is not split again.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _unchanged(self, item: dict[str, Any]) -> str | None:
        state = getattr(self.crawler, "archive_state", None)
        analysis = item.get("analysis")
        if state is None or analysis is None or not item.get("sources"):
            return None
        url = analysis.meta.canonical_url
        known = state.recaps.get(url)
        if known is not None and _hashes(known.sources) == _hashes(item["sources"]):
            return url
        return None

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if item.get("type") != RECAP:
            return item
        unchanged = self._unchanged(item)
        if unchanged:
            self.stats.inc_value("recapcrawl/recaps_unchanged")
            return {"type": UNCHANGED_RECAP, "url": unchanged, "pages": item["pages"]}
        try:
            recap = extract_recap(
                item["html"], item["url"], item["comment_pages"], analysis=item.get("analysis")
            )
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
            "recap": recap.to_dict(),
            "pages": item["pages"],
            "sources": item.get("sources", []),
            "complete": item.get("complete", True),
        }


class ArchivePipeline:
    """Write captures, recaps and page rows to the SQLite archive named by ``RECAPCRAWL_DB``.

    Opens (or resumes) the crawl's row in ``crawls`` and publishes what the archive knows as
    ``crawler.archive_state`` for the spider and the archive middleware.
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
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

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

    def close_spider(self) -> None:
        if self.db is None:
            return
        for outcome in getattr(self.crawler.spider, "late_outcomes", []):
            self._save_page(asdict(outcome))
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
        kind = item.get("type")
        if kind == CAPTURE:
            capture_id = storage.save_capture(
                self.db, item["url"], item["status"], item["headers"], item["body"], item["final_url"],
                item["fetched_at"], self.crawl_id,
            )  # fmt: skip
            self.capture_ids[item["url"]] = self.capture_ids[item["final_url"]] = capture_id
            self.stats.inc_value("recapcrawl/captures_saved")
            return {"type": CAPTURE, "url": item["url"], "capture_id": capture_id}
        if kind == RECAP:
            saved = storage.save_recap_changes(
                self.db, item["recap"], crawl_id=self.crawl_id, sources=item.get("sources"),
                comments_complete=item.get("complete", True),
            )  # fmt: skip
            self.stats.inc_value("recapcrawl/recaps_saved")
            self.stats.inc_value("recapcrawl/comments_saved", len(item["recap"]["comments"]))
            self.stats.inc_value("recapcrawl/new_comments", saved.new_comments)
            self.counts.update(recaps=1, new_comments=saved.new_comments)
            for page in item["pages"]:
                self._save_page(page, saved.recap_id)
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

"""Item pipelines: thin adapters from spider items to extraction and storage."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from scrapy.exceptions import NotConfigured

from . import storage
from .extraction import NotHTML, extract_recap
from .items import PAGE, RECAP

logger = logging.getLogger(__name__)


class SplitPipeline:
    """Split a fetched recap (all its comment pages) into its parts; a failure becomes a page row."""

    def __init__(self, crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if item.get("type") != RECAP:
            return item
        try:
            recap = extract_recap(
                item["html"], item["url"], item["comment_pages"], analysis=item.get("analysis")
            )
        except (NotHTML, ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
            logger.error("Could not split %s: %s: %s", item["url"], type(exc).__name__, exc)
            self.stats.inc_value("recapcrawl/split_failed")
            pages = [
                dict(p, is_recap=False, kind="error", reason=f"split failed: {type(exc).__name__}: {exc}")
                for p in item["pages"][:1]
            ] + item["pages"][1:]
            return {"type": PAGE, "pages": pages}
        self.stats.inc_value("recapcrawl/recaps_split")
        return {"type": RECAP, "recap": recap.to_dict(), "pages": item["pages"]}


class ArchivePipeline:
    """Write recaps and page rows to the SQLite archive named by ``RECAPCRAWL_DB``."""

    def __init__(self, crawler, db_path: str) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = db_path
        self.db = None

    @classmethod
    def from_crawler(cls, crawler):
        db_path = crawler.settings.get("RECAPCRAWL_DB")
        if not db_path:
            raise NotConfigured("RECAPCRAWL_DB is not set")
        return cls(crawler, db_path)

    def open_spider(self) -> None:
        self.db = storage.open_db(self.db_path)
        logger.info("Archiving into %s", self.db_path)

    def close_spider(self) -> None:
        if self.db is not None:
            spider = self.crawler.spider
            for outcome in getattr(spider, "late_outcomes", []):
                storage.save_page(self.db, asdict(outcome))
            storage.link_pages_to_recaps(self.db)
            self.db.close()

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if item.get("type") == RECAP:
            recap_id = storage.save_recap(self.db, item["recap"])
            self.stats.inc_value("recapcrawl/recaps_saved")
            self.stats.inc_value("recapcrawl/comments_saved", len(item["recap"]["comments"]))
            for page in item["pages"]:
                storage.save_page(self.db, dict(page, recap_id=recap_id))
        else:
            pages = item.get("pages") or [item]
            for page in pages:
                storage.save_page(self.db, page)
            self.stats.inc_value("recapcrawl/pages_saved", len(pages))
        return item

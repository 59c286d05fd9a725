"""Running a crawl from Python (what ``recapcrawl crawl`` calls)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings


@dataclass
class CrawlSummary:
    """What a crawl did, read from Scrapy's stats."""

    recaps: int
    comments: int
    pages: int
    errors: int
    finish_reason: str | None

    def __str__(self) -> str:
        return (
            f"{self.recaps} recaps ({self.comments} comments) and {self.pages} other pages archived; "
            f"{self.errors} errors; finished: {self.finish_reason}"
        )


def crawl_settings(db_path: str | Path, overrides: dict[str, str] | None = None) -> Settings:
    """The project's settings with the archive path and command-line overrides applied."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "recapcrawl.settings")
    settings = get_project_settings()
    settings.set("RECAPCRAWL_DB", str(db_path), priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(
    start_urls: list[str], db_path: str | Path, overrides: dict[str, str] | None = None
) -> CrawlSummary:
    """Crawl ``start_urls`` into the archive at ``db_path``; blocks until the crawl ends."""
    process = CrawlerProcess(crawl_settings(db_path, overrides))
    crawler = process.create_crawler("recaps")
    process.crawl(crawler, start_urls=list(start_urls))
    process.start()
    stats = crawler.stats.get_stats()
    return CrawlSummary(
        recaps=stats.get("recapcrawl/recaps_saved", 0),
        comments=stats.get("recapcrawl/comments_saved", 0),
        pages=stats.get("recapcrawl/pages_saved", 0),
        errors=stats.get("log_count/ERROR", 0) + stats.get("recapcrawl/split_failed", 0),
        finish_reason=stats.get("finish_reason"),
    )

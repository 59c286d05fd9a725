"""Running a crawl from Python (what ``recapcrawl crawl`` calls)."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings


@dataclass
class CrawlSummary:
    """What a crawl did, read from Scrapy's stats."""

    pages_downloaded: int
    bytes_downloaded: int
    pages_replayed: int
    pages_unchanged: int
    recaps: int
    recaps_unchanged: int
    comments: int
    new_comments: int
    pages: int
    captures: int
    errors: int
    seconds: float
    finish_reason: str | None

    def __str__(self) -> str:
        return (
            f"{self.pages_downloaded} pages downloaded ({self.pages_unchanged} unchanged since the last"
            f" crawl, {self.pages_replayed} more replayed from the archive); {self.recaps} recaps archived"
            f" ({self.recaps_unchanged} unchanged), {self.new_comments} new comments, {self.pages} other"
            f" pages, {self.errors} errors in {self.seconds:.1f} s; finished: {self.finish_reason}"
        )

    def as_dict(self) -> dict:
        return asdict(self)


def crawl_settings(db_path: str | Path, overrides: dict[str, str] | None = None) -> Settings:
    """The project's settings with the archive path and command-line overrides applied."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "recapcrawl.crawler.settings")
    settings = get_project_settings()
    settings.set("RECAPCRAWL_DB", str(db_path), priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def _drop_records_below(level: str | int | None) -> None:
    """Scrapy's log handler filters by LOG_LEVEL, but its loggers still build a record for every
    debug line ("Scraped from …" for each item); at the loggers' level no record is built at all."""
    if level is None:
        return
    for name in ("scrapy", "recapcrawl"):
        logging.getLogger(name).setLevel(level)


def run_crawl(
    start_urls: list[str], db_path: str | Path, overrides: dict[str, str] | None = None
) -> CrawlSummary:
    """Crawl ``start_urls`` into the archive at ``db_path``; blocks until the crawl ends."""
    started = time.monotonic()
    settings = crawl_settings(db_path, overrides)
    process = CrawlerProcess(settings)
    _drop_records_below(settings.get("LOG_LEVEL"))
    crawler = process.create_crawler("recaps")
    process.crawl(crawler, start_urls=list(start_urls))
    process.start()
    stats = crawler.stats.get_stats()
    return CrawlSummary(
        pages_downloaded=stats.get("response_received_count", 0) - stats.get("recapcrawl/archived", 0),
        bytes_downloaded=stats.get("downloader/response_bytes", 0),
        pages_replayed=stats.get("recapcrawl/archived", 0),
        pages_unchanged=stats.get("recapcrawl/unchanged", 0),
        recaps=stats.get("recapcrawl/recaps_saved", 0) + stats.get("recapcrawl/recaps_unchanged", 0),
        recaps_unchanged=stats.get("recapcrawl/recaps_unchanged", 0),
        comments=stats.get("recapcrawl/comments_saved", 0),
        new_comments=stats.get("recapcrawl/new_comments", 0),
        pages=stats.get("recapcrawl/pages_saved", 0),
        captures=stats.get("recapcrawl/captures_saved", 0),
        errors=stats.get("recapcrawl/errors", 0) + stats.get("recapcrawl/split_failed", 0),
        seconds=round(time.monotonic() - started, 2),
        finish_reason=stats.get("finish_reason"),
    )

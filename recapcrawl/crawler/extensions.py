"""Extensions: the crawl's archive session, its extraction worker pool, and the live progress line.

Components reach the first two through ``archive_session(crawler)`` and ``extract_pool(crawler)``
(``Crawler.get_extension``); nothing is set on the crawler or the spider.
"""

from __future__ import annotations

import logging
import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from sqlite_utils import Database
from twisted.internet import task

from .. import storage
from .items import PageItem
from .workers import WORKERS_SETTING, ExtractPool, default_workers

logger = logging.getLogger(__name__)


class ArchiveSession:
    """The crawl's archive: its database, its lock, its row in ``crawls`` and what the archive knew when
    the crawl started (``state``, a ``storage.CrawlState``: None while the session is closed).

    Opened by the archive pipeline when the spider opens (a crawl without that pipeline reads no
    archive), which writes through the session's ``writer`` (``storage.ArchiveWriter``). Closed when
    the spider closes: the crawl's row is finished with the writer's counts, the database closed and
    the lock released. The lock is taken here unless this process already holds it
    (``recapcrawl crawl`` takes it before the crawl starts, to report a busy archive at once).
    """

    def __init__(self, crawler, db_path: str) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.db: Database | None = None
        self.lock: storage.ArchiveLock | None = None
        self.crawl_id: int | None = None
        self.state: storage.CrawlState | None = None
        self.writer: storage.ArchiveWriter | None = None
        self.late_pages: list[PageItem] = []  # outcomes noticed outside a callback (redirect loops)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        db_path = crawler.settings.get("RECAPCRAWL_DB")
        if not db_path:
            raise NotConfigured("RECAPCRAWL_DB is not set")
        return cls(crawler, db_path)

    def open(self, start_urls: list[str]) -> None:
        """Take the lock (``ArchiveBusy``: another crawl writes), open the database, start or resume the
        crawl's row and load its state."""
        if self.db is not None:
            return
        if storage.ArchiveLock.held_here(self.db_path) is None:
            self.lock = storage.ArchiveLock(self.db_path).acquire()
        self.db = db = storage.open_db(self.db_path)
        settings = {name: self.crawler.settings.get(name) for name in storage.crawls.RECORDED_SETTINGS}
        crawl_id, resumed = storage.start_crawl(db, start_urls, settings)
        self.crawl_id = crawl_id
        self.state = state = storage.load_crawl_state(db, crawl_id, resumed)
        self.writer = storage.ArchiveWriter(db, crawl_id, known_capture=self.known_capture)
        if resumed:
            logger.warning(
                "Resuming interrupted crawl %s: %d URLs already archived will be replayed, not downloaded",
                crawl_id,
                len(state.done),
            )
        logger.info("Archiving into %s (crawl %s)", self.db_path, self.crawl_id)

    def known_capture(self, url: str) -> int | None:
        """The capture of ``url`` the crawl state knows: archived earlier in this crawl, or the one a
        304 answer stands for."""
        state = self.state
        if state is None:  # the session is closed
            return None
        capture_id = state.done.get(url)
        if capture_id is None and url in state.validators:
            capture_id = state.validators[url].capture_id
        return capture_id

    def spider_closed(self, spider, reason: str) -> None:
        if self.db is None:
            return
        assert self.writer is not None and self.crawl_id is not None  # open() set all three
        written = self.writer.counts
        counts = {
            "pages": written["page_rows"],
            "recaps": written["recaps"],
            "new_comments": written["new_comments"],
            "errors": written["errors"] + self.crawler.stats.get_value("log_count/ERROR", 0),
        }
        storage.finish_crawl(self.db, self.crawl_id, counts, reason)
        self.db.close()
        self.db = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def archive_session(crawler) -> ArchiveSession | None:
    """The crawl's ``ArchiveSession`` (None when it is disabled, or the crawler was never started)."""
    try:
        return crawler.get_extension(ArchiveSession)
    except RuntimeError:  # no extension manager yet: a spider built for a test
        return None


class ExtractWorkers:
    """The crawl's extraction pool (``RECAPCRAWL_EXTRACT_WORKERS`` processes, ``recapcrawl.crawler.workers``),
    started on first use and closed with the spider."""

    def __init__(self, crawler) -> None:
        workers = crawler.settings.get(WORKERS_SETTING)
        self.workers = default_workers() if workers in (None, "") else int(workers)
        self._pool: ExtractPool | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def pool(self) -> ExtractPool:
        if self._pool is None:
            self._pool = ExtractPool(self.workers)
            where = f"{self.workers} worker process(es)" if self.workers else "the crawl's process"
            logger.info("Extraction in %s", where)
        return self._pool

    def spider_closed(self, spider, reason: str) -> None:
        if self._pool is not None:
            self._pool.close()


def extract_pool(crawler) -> ExtractPool:
    """The crawl's extraction pool (the ``ExtractWorkers`` extension's)."""
    extension = crawler.get_extension(ExtractWorkers)
    if extension is None:
        raise NotConfigured("the ExtractWorkers extension is disabled (see EXTENSIONS)")
    return extension.pool


def progress_figures(stats: dict, elapsed: float) -> dict[str, float]:
    """Pages fetched, recaps archived, new comments, errors and pages/s, from Scrapy's stats."""
    pages = stats.get("response_received_count", 0) + stats.get("recapcrawl/archived", 0)
    return {
        "pages": pages,
        "recaps": stats.get("recapcrawl/recaps_saved", 0) + stats.get("recapcrawl/recaps_unchanged", 0),
        "new_comments": stats.get("recapcrawl/new_comments", 0),
        "errors": stats.get("recapcrawl/errors", 0) + stats.get("recapcrawl/split_failed", 0),
        "rate": pages / elapsed if elapsed > 0 else 0.0,
    }


class Progress:
    """Every few seconds: ``123 pages · 10 recaps · 45 new comments · 0 errors · 8.1 pages/s``."""

    def __init__(self, crawler, interval: float, stream=None) -> None:
        self.crawler = crawler
        self.interval = interval
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("RECAPCRAWL_PROGRESS"):
            raise NotConfigured
        extension = cls(crawler, crawler.settings.getfloat("RECAPCRAWL_PROGRESS_INTERVAL", 2.0))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def line(self) -> str:
        f = progress_figures(self.crawler.stats.get_stats(), time.monotonic() - self.started)
        return (
            f"{f['pages']:.0f} pages · {f['recaps']:.0f} recaps · {f['new_comments']:.0f} new comments"
            f" · {f['errors']:.0f} errors · {f['rate']:.1f} pages/s"
        )

    def show(self) -> None:
        if self.tty:
            self.stream.write("\r\033[K" + self.line())
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def spider_opened(self, spider) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()

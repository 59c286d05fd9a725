"""A live progress line for long crawls, on standard error."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


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
        return (f"{f['pages']:.0f} pages · {f['recaps']:.0f} recaps · {f['new_comments']:.0f} new comments"
                f" · {f['errors']:.0f} errors · {f['rate']:.1f} pages/s")  # fmt: skip

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

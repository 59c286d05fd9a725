"""``recapcrawl worker``: one crawl worker on the shared frontier."""

from __future__ import annotations

import json
import logging
import resource
import time
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from ..crawler.middlewares.safety import SafetyMiddleware
from ..storage.crawls import RECORDED_SETTINGS
from .frontier import frontier_drained
from .keys import Keys

logger = logging.getLogger(__name__)


class WorkerExtension:
    """Keeps a worker in step with the cluster, every ``RECAPCRAWL_FRONTIER_POLL`` seconds:
    heartbeat and leases (``DomainQueue.maintain``), new sites and start URLs, polling the frontier
    for work other workers queued, and — with ``RECAPCRAWL_IDLE_EXIT`` — stopping once the whole
    cluster has had nothing to do for that long.

    It also tells the scheduler when Scrapy's engine is done with each request, which is when the
    request leaves the worker's in-flight hash. Scrapy has no public signal for that moment, so the
    engine slot's ``remove_request`` is wrapped (checked at start: an incompatible Scrapy fails loudly).
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.idle_exit = crawler.settings.getfloat("RECAPCRAWL_IDLE_EXIT", 0.0)
        self.interval = crawler.settings.getfloat("RECAPCRAWL_FRONTIER_POLL", 0.25)
        self.loop: task.LoopingCall | None = None
        self.idle_since: float | None = None
        self.sites_checked = 0.0
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider) -> None:
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        # scrapy-redis's scheduler (untyped), reached through the engine's private slot.
        scheduler: Any = getattr(engine, "scheduler", None) or getattr(slot, "scheduler", None)
        if (
            slot is None
            or not callable(getattr(slot, "remove_request", None))
            or not hasattr(scheduler, "request_done")
        ):
            logger.error("This Scrapy version's engine cannot report finished requests: a worker can't run")
            raise CloseSpider("unsupported_scrapy")
        original = slot.remove_request

        def remove_request(request) -> None:
            scheduler.request_done(request)
            original(request)

        slot.remove_request = remove_request
        self.nextcall = slot.nextcall
        self.scheduler = scheduler
        self.spider = spider
        recorded = {name: self.crawler.settings.get(name) for name in RECORDED_SETTINGS}
        recorded["RECAPCRAWL_INCREMENTAL"] = False  # workers never read the archive: every crawl is full
        recorded["WORKER_POLITENESS"] = "hosts leased to one worker at a time"
        spider.server.set(spider.keys.settings, json.dumps(recorded, default=str))
        where = urlsplit(self.crawler.settings.get("REDIS_URL") or "")
        logger.info("Worker %s on Redis at %s:%s", scheduler.queue.worker_id, where.hostname, where.port)
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=True)

    def spider_closed(self, spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()

    def tick(self) -> None:
        if self.closing:
            return
        try:
            self._tick()
        except Exception:  # a Redis hiccup must not stop the loop: the next tick tries again
            logger.exception("Worker tick failed")

    def _tick(self) -> None:
        spider, queue = self.spider, self.scheduler.queue
        queue.maintain()
        now = time.monotonic()
        if now - self.sites_checked >= 1.0:
            self.sites_checked = now
            if spider.refresh_sites():
                self._rescope(spider)
        if spider.server.llen(spider.redis_key):
            spider.schedule_next_requests()
        self.nextcall.schedule()  # look for work other workers queued
        if self.idle_exit > 0:
            self._maybe_exit(spider, queue, now)

    def _rescope(self, spider) -> None:
        """New sites: the safety middleware works its private-start exceptions out again."""
        for middleware in self.crawler.engine.downloader.middleware.middlewares:
            if isinstance(middleware, SafetyMiddleware):
                middleware.spider_opened(spider)

    def _maybe_exit(self, spider, queue, now: float) -> None:
        idle = (
            not queue.local
            and self.crawler.engine.spider_is_idle()
            and frontier_drained(spider.server, spider.keys)
        )
        if not idle:
            self.idle_since = None
            return
        if self.idle_since is None:
            self.idle_since = now
        elif now - self.idle_since >= self.idle_exit:
            logger.info("Nothing to crawl anywhere for %.0f s: stopping", self.idle_exit)
            self.closing = True
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="idle"))


@dataclass
class WorkerSummary:
    worker_id: str | None
    pages_downloaded: int
    items_handed_off: int
    requests_queued: int
    seconds: float
    cpu_seconds: float
    finish_reason: str | None

    def __str__(self) -> str:
        return (
            f"worker {self.worker_id}: {self.pages_downloaded} pages downloaded, {self.items_handed_off}"
            f" items handed off, {self.requests_queued} requests queued in {self.seconds:.1f} s;"
            f" finished: {self.finish_reason}"
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 2)


def wait_for_sites(server, keys: Keys, patience: float) -> list[str]:
    """The crawl's sites; waits for ``recapcrawl enqueue`` (up to ``patience`` s, 0 = forever)."""
    started = time.monotonic()
    told = False
    while True:
        sites = sorted(s.decode() if isinstance(s, bytes) else s for s in server.smembers(keys.sites))
        if sites:
            return sites
        if patience and time.monotonic() - started >= patience:
            return []
        if not told:
            logger.warning("No sites in %s yet: waiting for `recapcrawl enqueue`", keys.sites)
            told = True
        time.sleep(0.5)


def run_worker(
    redis_url: str, overrides: dict[str, Any] | None = None, idle_exit: float = 0.0
) -> WorkerSummary:
    """Crawl from the shared frontier until stopped (or idle for ``idle_exit`` seconds)."""
    import redis
    from scrapy.crawler import CrawlerProcess

    from .frontier import new_worker_id
    from .settings import worker_settings
    from .spider import DistributedRecapsSpider

    started = time.monotonic()
    keys = Keys()
    server = redis.Redis.from_url(redis_url)
    server.ping()
    sites = wait_for_sites(server, keys, idle_exit)
    worker_id = new_worker_id()
    if not sites:
        return WorkerSummary(worker_id, 0, 0, 0, round(time.monotonic() - started, 2), _cpu(), "no sites")
    process = CrawlerProcess(worker_settings(redis_url, overrides, idle_exit, worker_id))
    crawler = process.create_crawler(DistributedRecapsSpider)
    process.crawl(crawler, start_urls=sites)
    process.start()
    stats = crawler.stats.get_stats()
    return WorkerSummary(
        worker_id=worker_id,
        pages_downloaded=stats.get("response_received_count", 0),
        items_handed_off=stats.get("recapcrawl/handed_off", 0),
        requests_queued=stats.get("scheduler/enqueued/redis", 0),
        seconds=round(time.monotonic() - started, 2),
        cpu_seconds=_cpu(),
        finish_reason=stats.get("finish_reason"),
    )

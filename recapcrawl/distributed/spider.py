"""The ``recaps`` spider for workers: start URLs and scope from Redis, recap claims shared.

``DistributedRecapsSpider`` is ``RecapsSpider`` with scrapy-redis's ``RedisMixin``: it reads start
URLs from ``recaps:start_urls`` (pushed by ``recapcrawl enqueue``) and its scope (the sites, so the
hosts and ports it may follow links to) from ``recaps:sites``. Everything else — discovery, comment
threads, what a recap is — is the ordinary spider's.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.spiders import RedisMixin

from ..crawler.items import page_item
from ..crawler.spiders.recaps import RecapsSpider
from ..extraction.links import normalize_url
from ..models import PageOutcome
from .codec import dumps
from .keys import Keys

logger = logging.getLogger(__name__)


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


class RedisClaims:
    """The spider's ``recaps_claimed`` set, shared by all workers: canonical URL → the page that claimed it.

    While ``claimant`` is set (during one step of ``parse_page``), a membership test *is* the claim
    (``HSETNX``): a canonical URL is "already claimed" only if another page claimed it. So a page a
    killed worker had claimed, fetched again by another worker, still becomes the recap.
    """

    def __init__(self, server, key: str) -> None:
        self.server = server
        self.key = key
        self.claimant: str | None = None

    def __contains__(self, canonical: object) -> bool:
        if self.claimant is None:
            return bool(self.server.hexists(self.key, str(canonical)))
        if self.server.hsetnx(self.key, str(canonical), self.claimant):
            return False
        return _text(self.server.hget(self.key, str(canonical))) != self.claimant

    def add(self, canonical: str) -> None:
        if self.claimant is not None:
            self.server.hsetnx(self.key, canonical, self.claimant)


class DistributedRecapsSpider(RedisMixin, RecapsSpider):
    """``RecapsSpider`` fed from Redis; run by ``recapcrawl worker``."""

    name = "recaps"
    recaps_claimed: RedisClaims  # once setup_redis ran

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.setup_redis(crawler)
        return spider

    def setup_redis(self, crawler=None) -> None:
        """scrapy-redis's set-up, then the crawl's keys and the shared recap claims."""
        if self.server is not None:
            return
        super().setup_redis(crawler)
        self.keys = Keys(self.name)
        self.recaps_claimed = RedisClaims(self.server, self.keys.claims)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Nothing up front: the worker's tick turns start URLs from Redis into requests."""
        nothing: tuple[scrapy.Request, ...] = ()
        for request in nothing:
            yield request

    # ---------------------------------------------------------------- start URLs and scope
    def next_requests(self) -> Iterator[scrapy.Request]:
        """Start requests for the start URLs in Redis. A start URL leaves the list only after its
        requests are in the frontier, so a worker killed in between loses none (the frontier's
        duplicate filter drops the repeats)."""
        for _ in range(self.redis_batch_size):
            raw = self.server.lindex(self.redis_key, 0)
            if raw is None:
                return
            yield from self.make_request_from_data(raw)
            self.server.lrem(self.redis_key, 1, raw)

    def make_request_from_data(self, data: bytes | str) -> list[scrapy.Request]:
        url = normalize_url(_text(data) or "")
        if url is not None and url not in self.start_urls:
            self.refresh_sites()
        if url is None or url not in self.start_urls:
            logger.warning("Ignored start URL %r: not among the crawl's sites (%s)", data, self.keys.sites)
            return []
        saved = self.start_urls
        self.start_urls = [url]
        try:
            return list(RecapsSpider.start_requests(self))
        finally:
            self.start_urls = saved

    def refresh_sites(self) -> bool:
        """Read the crawl's sites from Redis; True when they changed."""
        sites = sorted(
            {u for u in (normalize_url(_text(s) or "") for s in self.server.smembers(self.keys.sites)) if u}
        )
        if not sites or sites == sorted(self.start_urls):
            return False
        self.start_urls = sites
        self.netlocs = {urlsplit(u).netloc for u in sites}
        self.allowed_domains = sorted({host for u in sites if (host := urlsplit(u).hostname)})
        logger.info("Crawling %d sites: %s", len(sites), ", ".join(sites))
        return True

    def spider_idle(self) -> None:
        """Workers wait for work; ``recapcrawl worker --idle-exit`` decides when to stop."""
        raise DontCloseSpider

    # ---------------------------------------------------------------- shared state
    def parse_page(self, response) -> Iterator[Any]:
        outputs = super().parse_page(response)
        while True:
            self.recaps_claimed.claimant = response.url
            try:
                output = next(outputs)
            except StopIteration:
                return
            finally:
                self.recaps_claimed.claimant = None
            yield output

    def late_outcome(self, outcome: PageOutcome) -> None:
        """The outcome goes straight to the ingester (a worker has no archive to save it in at close)."""
        self.server.rpush(self.keys.items, dumps(page_item(outcome)))


__all__ = ["DistributedRecapsSpider", "RedisClaims"]

"""The Redis keys a distributed crawl uses, all under one prefix (the spider's name, ``recaps``)."""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "recaps"


@dataclass(frozen=True)
class Keys:
    """Names of every key; ``Keys().requests("example.org")`` → ``recaps:requests:example.org``."""

    prefix: str = PREFIX

    @property
    def sites(self) -> str:  # set: the crawl's start URLs (its scope)
        return f"{self.prefix}:sites"

    @property
    def start_urls(self) -> str:  # list: start URLs no worker has turned into requests yet
        return f"{self.prefix}:start_urls"

    @property
    def domains(self) -> str:  # set: every host that has had a request queue
        return f"{self.prefix}:domains"

    @property
    def requests_prefix(self) -> str:
        return f"{self.prefix}:requests:"

    def requests(self, host: str) -> str:  # sorted set: the host's queued requests, score -priority
        return f"{self.requests_prefix}{host}"

    @property
    def dupefilter(self) -> str:  # set: fingerprints of every request ever queued
        return f"{self.prefix}:dupefilter"

    def lease(self, host: str) -> str:  # string: the worker crawling the host (or "-": cooling down)
        return f"{self.prefix}:lease:{host}"

    @property
    def workers(self) -> str:  # set: ids of workers that may have requests in flight
        return f"{self.prefix}:workers"

    def worker(self, worker_id: str) -> str:  # string with a TTL: the worker's heartbeat (JSON)
        return f"{self.prefix}:worker:{worker_id}"

    def inflight(self, worker_id: str) -> str:  # hash: "host|score|token" → request, popped not done
        return f"{self.prefix}:inflight:{worker_id}"

    @property
    def claims(self) -> str:  # hash: canonical recap URL → the page URL that claimed it
        return f"{self.prefix}:claims"

    @property
    def items(self) -> str:  # list: items waiting for the ingester (JSON)
        return f"{self.prefix}:items"

    @property
    def processing(self) -> str:  # list: items the ingester has taken but not yet committed
        return f"{self.prefix}:items:processing"

    @property
    def failed(self) -> str:  # list: items the ingester could not store (kept for inspection)
        return f"{self.prefix}:items:failed"

    @property
    def ingester(self) -> str:  # string with a TTL: the running ingester (only one at a time)
        return f"{self.prefix}:ingester"

    @property
    def settings(self) -> str:  # string: the politeness settings workers crawl with (JSON)
        return f"{self.prefix}:settings"

    def all_patterns(self) -> list[str]:
        return [f"{self.prefix}:*"]

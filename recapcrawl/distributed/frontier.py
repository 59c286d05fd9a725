"""The shared frontier: scrapy-redis's scheduler and duplicate filter, with one queue per host.

``DomainScheduler`` is scrapy-redis's ``Scheduler``; ``DomainQueue`` is a scrapy-redis queue class
(``SCHEDULER_QUEUE_CLASS``) that keeps one sorted set of requests per host (the key Scrapy's
downloader uses for its per-domain slot) and adds three things scrapy-redis leaves out:

- **Politeness across workers: hosts are partitioned.** A worker pops requests only for hosts it
  holds a lease on (``recaps:lease:<host>``, renewed while it runs, expiring ``RECAPCRAWL_LEASE_SECONDS``
  after the worker dies). Each host is therefore fetched by one worker at a time, under that worker's
  ordinary Scrapy politeness (``DOWNLOAD_DELAY``, ``CONCURRENT_REQUESTS_PER_DOMAIN``, AutoThrottle):
  exactly as hard as one polite crawler. Hosts are shared out evenly among live workers; a worker
  gives a host back only once none of its requests for it are in flight, and the lease then
  "cools down" for the host's download delay before another worker may take it.
- **No request lost when a worker dies.** Popping a request moves it, atomically, into the worker's
  in-flight hash; it leaves that hash when Scrapy's engine is done with it (downloaded, the callback
  run, every new request queued, every item handed off). Any worker returns the in-flight requests
  of a worker whose heartbeat has expired to the frontier.
- **Seen-and-queued in one step.** The duplicate filter's ``SADD`` and the queue's ``ZADD`` run in
  one Lua script, so a kill between the two cannot mark a URL seen that was never queued.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import socket
import time
import uuid
from collections import Counter
from typing import Any

from scrapy import Request
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import load_object
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler

from ..crawler.dupefilter import redirect_loop
from .keys import Keys

logger = logging.getLogger(__name__)

# Atomically: mark the fingerprint seen (unless ARGV[1] is empty) and queue the request.
PUSH = """
if ARGV[1] ~= '' and redis.call('sadd', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('zadd', KEYS[2], ARGV[2], ARGV[3])
redis.call('sadd', KEYS[3], ARGV[4])
return 1
"""

# Atomically: if this worker holds the host's lease, move the host's best request to the in-flight hash.
POP = """
if redis.call('get', KEYS[3]) ~= ARGV[1] then return false end
local top = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('zrem', KEYS[1], top[1])
local field = ARGV[2] .. '|' .. top[2] .. '|' .. ARGV[3]
redis.call('hset', KEYS[2], field, top[1])
return {field, top[1]}
"""

# Put every in-flight request of a worker back in its host's queue (only if the worker is gone,
# unless ARGV[3] is '1': a worker returning its own requests as it stops).
REQUEUE = """
if ARGV[3] ~= '1' and redis.call('exists', KEYS[1]) == 1 then return -1 end
local entries = redis.call('hgetall', KEYS[2])
local n = 0
for i = 1, #entries, 2 do
  local host, score = string.match(entries[i], '^(.*)|([^|]*)|[^|]*$')
  redis.call('zadd', ARGV[2] .. host, score, entries[i + 1])
  redis.call('sadd', KEYS[4], host)
  n = n + 1
end
redis.call('del', KEYS[2])
if ARGV[3] ~= '1' then redis.call('srem', KEYS[3], ARGV[1]) end
return n
"""

RENEW = """
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('pexpire', KEYS[1], ARGV[2])
return 1
"""

# Give a lease back: "-" for the cool-down (the host's download delay), or nothing.
RELEASE = """
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then
  redis.call('set', KEYS[1], '-', 'PX', ARGV[2])
else
  redis.call('del', KEYS[1])
end
return 1
"""


SEEN_CACHE = 1_000_000  # fingerprints a worker remembers locally (about 100 MB at most)


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def slot_key(request: Request) -> str:
    """The host a request belongs to: the key of Scrapy's per-domain download slot."""
    return str(request.meta.get("download_slot") or urlparse_cached(request).hostname or "")


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def _member(value: bytes | str) -> str:
    """A Redis set member or hash field, as text."""
    return value.decode() if isinstance(value, bytes) else value


def live_workers(server, keys: Keys) -> dict[str, dict[str, Any]]:
    """Workers whose heartbeat has not expired, id → what they last reported."""
    ids = sorted(_member(i) for i in server.smembers(keys.workers))
    beats = server.mget([keys.worker(i) for i in ids]) if ids else []
    return {i: json.loads(beat) for i, beat in zip(ids, beats, strict=True) if beat is not None}


def domain_queues(server, keys: Keys) -> dict[str, tuple[int, str | None]]:
    """Every host with its number of queued requests and its lease holder (``-``: cooling down)."""
    hosts = sorted(_member(h) for h in server.smembers(keys.domains))
    if not hosts:
        return {}
    with server.pipeline(transaction=False) as pipe:
        for host in hosts:
            pipe.zcard(keys.requests(host))
            pipe.get(keys.lease(host))
        answers = pipe.execute()
    return {h: (answers[2 * n], _text(answers[2 * n + 1])) for n, h in enumerate(hosts)}


def in_flight(server, keys: Keys) -> dict[str, int]:
    """Requests popped but not finished, per worker id (live or not yet reaped)."""
    ids = sorted(_member(i) for i in server.smembers(keys.workers))
    if not ids:
        return {}
    with server.pipeline(transaction=False) as pipe:
        for worker_id in ids:
            pipe.hlen(keys.inflight(worker_id))
        counts = pipe.execute()
    return dict(zip(ids, counts, strict=True))


def frontier_drained(server, keys: Keys) -> bool:
    """Nothing left to crawl: no start URL waiting, no request queued, none in flight anywhere."""
    if server.llen(keys.start_urls):
        return False
    if any(queued for queued, _ in domain_queues(server, keys).values()):
        return False
    return not any(in_flight(server, keys).values())


class DomainQueue(Base):
    """A scrapy-redis queue with one sorted set per host, hosts leased to one worker at a time,
    and an in-flight hash per worker (see the module's docstring)."""

    def __init__(self, server, spider, key, serializer=None) -> None:
        super().__init__(server, spider, key, serializer)
        settings = spider.crawler.settings
        self.keys = Keys(spider.name)
        self.worker_id = settings.get("RECAPCRAWL_WORKER_ID") or new_worker_id()
        self.lease_ms = max(1000, int(settings.getfloat("RECAPCRAWL_LEASE_SECONDS", 10.0) * 1000))
        self.maintain_every = settings.getfloat("RECAPCRAWL_FRONTIER_POLL", 0.25)
        self.default_delay = settings.getfloat("DOWNLOAD_DELAY", 0.0)
        self.owned: set[str] = set()
        self.draining: set[str] = set()  # owned, but given back once nothing of ours is in flight there
        self.local: dict[Request, tuple[str, str]] = {}  # popped request → (host, in-flight field)
        self.local_hosts: Counter[str] = Counter()
        self.seen: set[str] = set()  # fingerprints known to be in the shared duplicate filter
        self.started = time.time()
        self._turn = 0
        self._last_maintain = 0.0
        self._last_reap = 0.0
        self._push = server.register_script(PUSH)
        self._pop = server.register_script(POP)
        self._requeue = server.register_script(REQUEUE)
        self._renew = server.register_script(RENEW)
        self._release = server.register_script(RELEASE)
        self.server.sadd(self.keys.workers, self.worker_id)
        self.heartbeat()

    # ---------------------------------------------------------------- scrapy-redis queue API
    def __len__(self) -> int:
        return sum(queued for queued, _ in domain_queues(self.server, self.keys).values())

    def push(self, request: Request, fingerprint: str | None = None) -> bool:
        """Queue a request under its host; with a fingerprint, only if it was never seen.

        Fingerprints this worker has already sent are remembered (the shared set only ever grows),
        so the many repeated links of a site cost no round trip to Redis."""
        if fingerprint is not None and fingerprint in self.seen:
            return False
        host = slot_key(request)
        keys = [self.keys.dupefilter, self.keys.requests(host), self.keys.domains]
        args = [fingerprint or "", -request.priority, self._encode_request(request), host]
        queued = bool(self._push(keys=keys, args=args))
        if fingerprint is not None:
            if len(self.seen) >= SEEN_CACHE:
                self.seen.clear()
            self.seen.add(fingerprint)
        return queued

    def pop(self, timeout: int = 0) -> Request | None:
        """The next request of a host this worker holds, or None."""
        self.maintain()
        hosts = sorted(self.owned - self.draining)
        for n in range(len(hosts)):
            host = hosts[(self._turn + n) % len(hosts)]
            token = uuid.uuid4().hex[:12]
            keys = [self.keys.requests(host), self.keys.inflight(self.worker_id), self.keys.lease(host)]
            popped = self._pop(keys=keys, args=[self.worker_id, host, token])
            if not popped:
                continue
            self._turn = (self._turn + n + 1) % max(1, len(hosts))
            field, data = _member(popped[0]), popped[1]
            try:
                request = self._decode_request(data)
            except Exception:  # a request this code cannot rebuild must not come back forever
                logger.exception("Dropped a queued request for %s that could not be decoded", host)
                self.server.hdel(self.keys.inflight(self.worker_id), field)
                continue
            self.local[request] = (host, field)
            self.local_hosts[host] += 1
            return request
        return None

    def clear(self) -> None:
        hosts = [_member(h) for h in self.server.smembers(self.keys.domains)]
        if hosts:
            self.server.delete(*[self.keys.requests(h) for h in hosts], self.keys.domains)

    # ---------------------------------------------------------------- in flight
    def done(self, request: Request) -> None:
        """The engine is finished with a request this worker popped: forget it for good."""
        entry = self.local.pop(request, None)
        if entry is None:
            return
        host, field = entry
        self.local_hosts[host] -= 1
        self.server.hdel(self.keys.inflight(self.worker_id), field)

    def pending(self) -> int:
        """Requests queued for the hosts this worker crawls (what Scrapy's engine may still get)."""
        hosts = sorted(self.owned - self.draining)
        if not hosts:
            return 0
        with self.server.pipeline(transaction=False) as pipe:
            for host in hosts:
                pipe.zcard(self.keys.requests(host))
            return sum(pipe.execute())

    # ---------------------------------------------------------------- leases and liveness
    def heartbeat(self) -> None:
        stats = self.spider.crawler.stats
        beat = {
            "id": self.worker_id,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "started": round(self.started, 3),
            "seen": round(time.time(), 3),
            "responses": stats.get_value("response_received_count", 0),
            "items": stats.get_value("recapcrawl/handed_off", 0),
            "domains": sorted(self.owned - self.draining),
            "in_flight": len(self.local),
        }
        self.server.set(self.keys.worker(self.worker_id), json.dumps(beat), px=self.lease_ms)

    def maintain(self, force: bool = False) -> None:
        """Heartbeat, renew leases, return dead workers' requests, and share hosts out (throttled)."""
        now = time.monotonic()
        if not force and now - self._last_maintain < self.maintain_every:
            return
        self._last_maintain = now
        self.heartbeat()
        for host in sorted(self.owned):
            if not self._renew(keys=[self.keys.lease(host)], args=[self.worker_id, self.lease_ms]):
                logger.warning("Lost the lease on %s (this worker stalled longer than the lease)", host)
                self.owned.discard(host)
                self.draining.discard(host)
        if now - self._last_reap >= 1.0:
            self._last_reap = now
            self.reap()
        self.balance()

    def reap(self) -> int:
        """Return the in-flight requests of workers whose heartbeat has expired to the frontier."""
        returned = 0
        for worker_id in sorted(_member(i) for i in self.server.smembers(self.keys.workers)):
            if worker_id == self.worker_id:
                continue
            keys = [
                self.keys.worker(worker_id),
                self.keys.inflight(worker_id),
                self.keys.workers,
                self.keys.domains,
            ]
            count = self._requeue(keys=keys, args=[worker_id, self.keys.requests_prefix, "0"])
            if count > 0:
                logger.warning(
                    "Worker %s is gone: %d in-flight requests back in the frontier", worker_id, count
                )
                returned += count
        return returned

    def balance(self) -> None:
        """Crawl a fair share of the hosts with work: ceil(hosts / live workers)."""
        queues = domain_queues(self.server, self.keys)
        busy = [h for h, (queued, holder) in queues.items() if queued or holder not in (None, "-")]
        share = max(1, math.ceil(len(busy) / max(1, len(live_workers(self.server, self.keys)))))
        for host in sorted(self.owned - self.draining):  # finished hosts are given back
            if not queues.get(host, (0, None))[0] and not self.local_hosts[host]:
                self.release(host)
        keep = sorted(self.owned - self.draining, key=lambda h: self.local_hosts[h])
        if len(keep) > share:
            self.draining.update(keep[: len(keep) - share])
        elif len(keep) < share and self.draining:
            for host in sorted(self.draining)[: share - len(keep)]:
                self.draining.discard(host)
        for host in sorted(self.draining):
            if not self.local_hosts[host]:
                self.release(host)
        free = [h for h, (queued, holder) in queues.items() if queued and holder is None]
        random.shuffle(free)
        for host in free:
            if len(self.owned - self.draining) >= share:
                break
            if self.server.set(self.keys.lease(host), self.worker_id, nx=True, px=self.lease_ms):
                logger.info("Worker %s now crawls %s", self.worker_id, host)
                self.owned.add(host)

    def release(self, host: str) -> None:
        """Give a host back; it cools down for its download delay before another worker takes it."""
        delay = self.default_delay
        slots = getattr(getattr(self.spider.crawler.engine, "downloader", None), "slots", {})
        if host in slots:
            delay = max(delay, getattr(slots[host], "delay", 0.0) or 0.0)
        self._release(keys=[self.keys.lease(host)], args=[self.worker_id, int(delay * 1000)])
        self.owned.discard(host)
        self.draining.discard(host)

    def shutdown(self) -> None:
        """Stopping: return anything still in flight, give every host back, leave the worker set."""
        keys = [
            self.keys.worker(self.worker_id),
            self.keys.inflight(self.worker_id),
            self.keys.workers,
            self.keys.domains,
        ]
        returned = self._requeue(keys=keys, args=[self.worker_id, self.keys.requests_prefix, "1"])
        if returned:
            logger.warning("Returned %d unfinished requests to the frontier", returned)
        self.local.clear()
        self.local_hosts.clear()
        for host in sorted(self.owned):
            self.release(host)
        self.server.delete(self.keys.worker(self.worker_id))
        self.server.srem(self.keys.workers, self.worker_id)


class RedisDupeFilter(RFPDupeFilter):
    """scrapy-redis's fingerprint filter; a filtered request whose redirects lead back into themselves
    is a loop, so the spider records it (as ``recapcrawl.crawler.dupefilter`` does in one process)."""

    def log(self, request, spider) -> None:
        chain = redirect_loop(request)
        note = getattr(spider, "note_redirect_loop", None)
        if chain and note is not None:
            note(chain, request.url)
        super().log(request, spider)


class DomainScheduler(Scheduler):
    """scrapy-redis's scheduler over ``DomainQueue``: persistent, shared, per-host leased."""

    queue: DomainQueue
    df: Any  # scrapy-redis's duplicate filter, made in ``open``

    @classmethod
    def from_settings(cls, settings):
        instance = super().from_settings(settings)
        instance.persist = True  # the frontier outlives any one worker
        return instance

    def open(self, spider) -> None:
        """scrapy-redis's ``open``, minus its deprecated ``spider.log`` call."""
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server,
            spider=spider,
            key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer,
        )
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if self.flush_on_start:
            self.flush()
        queued = len(self.queue)
        if queued:
            spider.logger.info("Joining a crawl with %d requests queued", queued)

    def enqueue_request(self, request: Request) -> bool:
        fingerprint = None if request.dont_filter else self.df.request_fingerprint(request)
        if not self.queue.push(request, fingerprint):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop()
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return self.queue.pending() > 0

    def request_done(self, request: Request) -> None:
        self.queue.done(request)

    def close(self, reason: str) -> None:
        self.queue.shutdown()

"""``recapcrawl ingest``: the one writer of a distributed crawl's archive.

A reliable queue: items are moved from ``recaps:items`` to ``recaps:items:processing`` (``BLMOVE``),
written to the archive by ``storage.ArchiveWriter`` (as a single-process crawl's archive pipeline
writes them) in one transaction per batch, and only then removed from the processing list. An
ingester killed at any point leaves its batch in the processing list; the next one starts by writing
those again. Writing an item twice stores it once: recaps and pages are upserts on their URL, and a
capture already stored (same URL, sha256 and fetch time) is not stored again.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .. import storage
from .codec import loads
from .frontier import RENEW, frontier_drained, live_workers
from .keys import Keys

logger = logging.getLogger(__name__)


class IngesterBusy(RuntimeError):
    """Another ingester is writing this crawl's items."""


@dataclass
class IngestSummary:
    items: int = 0
    captures: int = 0
    duplicate_captures: int = 0
    recaps: int = 0
    pages: int = 0
    failed: int = 0
    recovered: int = 0
    crawl_id: int | None = None
    crawl_finished: bool = False
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    def __str__(self) -> str:
        state = "finished" if self.crawl_finished else "left open (the frontier is not empty)"
        return (
            f"ingested {self.items} items: {self.recaps} recaps, {self.pages} other pages,"
            f" {self.captures} captures ({self.duplicate_captures} delivered twice, stored once),"
            f" {self.failed} failed, {self.recovered} recovered from a stopped ingester,"
            f" in {self.seconds:.1f} s; crawl {self.crawl_id} {state}"
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Ingester:
    """``with Ingester(redis, "archive/recaps.db") as ingester: ingester.run(until_idle=True)``."""

    def __init__(
        self,
        server,
        db_path: str | Path,
        keys: Keys | None = None,
        batch: int = 200,
        lock_seconds: float = 5.0,
    ) -> None:
        self.server = server
        self.db_path = db_path
        self.keys = keys or Keys()
        self.batch = batch
        self.lock_ms = int(lock_seconds * 1000)
        self.db: Database | None = None
        self.lock: storage.ArchiveLock | None = None
        self.crawl_id: int | None = None
        self.writer: storage.ArchiveWriter | None = None
        self.summary = IngestSummary()
        me = {"host": socket.gethostname(), "pid": os.getpid(), "token": uuid.uuid4().hex[:8]}
        self.identity = json.dumps({**me, "since": round(time.time(), 3)})
        self._renew = server.register_script(RENEW)

    # ---------------------------------------------------------------- one ingester, one writer
    def __enter__(self) -> Ingester:
        deadline = time.monotonic() + self.lock_ms / 1000 + 1
        while not self.server.set(self.keys.ingester, self.identity, nx=True, px=self.lock_ms):
            if time.monotonic() > deadline:
                holder = self.server.get(self.keys.ingester)
                raise IngesterBusy(f"another ingester is running ({(holder or b'').decode()}); only one may")
            time.sleep(0.2)
        try:
            self.lock = storage.ArchiveLock(self.db_path).acquire()
        except storage.ArchiveBusy:
            self.server.delete(self.keys.ingester)
            raise
        self.db = storage.open_db(self.db_path)
        return self

    def __exit__(self, *exc) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
        if self.lock is not None:
            self.lock.release()
        if self.server.get(self.keys.ingester) == self.identity.encode():
            self.server.delete(self.keys.ingester)

    def _keep_alive(self) -> None:
        if not self._renew(keys=[self.keys.ingester], args=[self.identity, self.lock_ms]):
            self.server.set(self.keys.ingester, self.identity, px=self.lock_ms)

    # ---------------------------------------------------------------- the loop
    def run(
        self, until_idle: bool = False, idle_seconds: float = 5.0, stop: Callable[[], bool] = lambda: False
    ) -> IngestSummary:
        """Ingest until ``stop()`` — or, with ``until_idle``, until no item has been waiting and no
        worker has been alive for ``idle_seconds``. Finishes the crawl's row once the frontier is empty."""
        started = time.monotonic()
        left = self.server.lrange(self.keys.processing, 0, -1)
        if left:
            logger.warning("Writing %d items a stopped ingester had taken", len(left))
            self.summary.recovered += len(left)
            for start in range(0, len(left), self.batch):
                self._commit(left[start : start + self.batch])
        idle_since: float | None = None
        while not stop():
            self._keep_alive()
            raws = self._take(timeout=0.5)
            if raws:
                self._commit(raws)
                idle_since = None
                continue
            if not until_idle:
                continue
            waiting = self.server.llen(self.keys.items) + self.server.llen(self.keys.processing)
            if waiting or live_workers(self.server, self.keys):
                idle_since = None
            elif idle_since is None:
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since >= idle_seconds:
                break
        self.finish()
        self.summary.seconds = round(time.monotonic() - started, 2)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.summary.cpu_seconds = round(usage.ru_utime + usage.ru_stime, 2)
        return self.summary

    def _take(self, timeout: float) -> list[bytes]:
        first = self.server.blmove(self.keys.items, self.keys.processing, timeout, "LEFT", "RIGHT")
        if first is None:
            return []
        raws = [first]
        while len(raws) < self.batch:
            raw = self.server.lmove(self.keys.items, self.keys.processing, "LEFT", "RIGHT")
            if raw is None:
                break
            raws.append(raw)
        return raws

    def _commit(self, raws: list[bytes]) -> None:
        """Write a batch in one transaction, then drop it from the processing list."""
        writer = self._writer()
        try:
            for raw in raws:
                writer.write(loads(raw))
            writer.commit()
        except Exception:
            logger.exception("A batch of %d items failed: writing them one by one", len(raws))
            writer.rollback()
            for raw in raws:
                try:
                    writer.write(loads(raw))
                    writer.commit()
                except Exception as exc:
                    logger.error(
                        "Could not store an item (kept in %s): %s: %s",
                        self.keys.failed,
                        type(exc).__name__,
                        exc,
                    )
                    writer.rollback()
                    self.server.rpush(self.keys.failed, raw)
                    self.summary.failed += 1
        with self.server.pipeline(transaction=True) as pipe:
            for raw in raws:
                pipe.lrem(self.keys.processing, 1, raw)
            pipe.execute()
        self.summary.items += len(raws)
        for name in ("captures", "duplicate_captures", "recaps", "pages"):
            setattr(self.summary, name, writer.counts[name])

    # ---------------------------------------------------------------- writing (storage.ArchiveWriter)
    @property
    def _db(self) -> Database:
        """The archive, open between ``__enter__`` and ``__exit__``."""
        if self.db is None:
            raise RuntimeError("the ingester is not open (use it in a with block)")
        return self.db

    def _writer(self) -> storage.ArchiveWriter:
        """The crawl's row in ``crawls`` (opened with the first item, resumed by a restarted ingester)
        and the writer of its items."""
        if self.writer is None:
            sites = sorted(s.decode() for s in self.server.smembers(self.keys.sites))
            settings = json.loads(self.server.get(self.keys.settings) or "{}")
            crawl_id, resumed = storage.start_crawl(self._db, sites, settings)
            self.crawl_id = crawl_id
            self.summary.crawl_id = self.crawl_id
            logger.info(
                "%s crawl %s in %s", "Resuming" if resumed else "Archiving", self.crawl_id, self.db_path
            )
            self.writer = storage.ArchiveWriter(self._db, crawl_id)
        return self.writer

    def finish(self) -> None:
        """Point pages at their recaps; close the crawl's row if nothing is left to crawl."""
        if self.crawl_id is None:
            return
        storage.link_pages_to_recaps(self._db)
        if not frontier_drained(self.server, self.keys) or self.server.llen(self.keys.items):
            return
        crawl = self.crawl_id
        db = self._db
        one = lambda sql: db.execute(sql, [crawl]).fetchone()[0]  # noqa: E731
        counts = {
            "pages": one("select count(*) from pages where crawl_id = ?"),
            "recaps": one("select count(*) from recaps where crawl_id = ?"),
            "errors": one("select count(*) from pages where crawl_id = ? and kind = 'error'"),
            "new_comments": one(
                "select count(*) from comments where first_seen >= (select started from crawls where id = ?)"
            ),
        }
        storage.finish_crawl(db, crawl, counts, "finished")
        self.summary.crawl_finished = True


def run_ingest(
    redis_url: str, db_path: str | Path, until_idle: bool = False, idle_seconds: float = 5.0
) -> IngestSummary:
    """What ``recapcrawl ingest`` runs; SIGINT/SIGTERM finish the current batch, then stop."""
    import signal

    import redis

    stopping = []

    def stop(signum, frame) -> None:
        stopping.append(signum)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        server = redis.Redis.from_url(redis_url)
        server.ping()
        with Ingester(server, db_path) as ingester:
            return ingester.run(until_idle=until_idle, idle_seconds=idle_seconds, stop=lambda: bool(stopping))
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

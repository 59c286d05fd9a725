"""Extraction in worker processes, so a crawl or a reparse uses more than one core.

``ExtractPool`` runs jobs (module-level functions over plain data, such as ``readings.read_page``) in a
``ProcessPoolExecutor`` (``workers`` processes) or, with ``workers=0``, in the calling process: the same
functions, so both ways give the same results. No Scrapy here: the crawl's pool is owned by the
``ExtractWorkers`` extension, and ``recapcrawl reparse`` starts its own.

A job's exception reaches the caller (who turns it into a page row). A worker that dies takes its
pool with it: the pool is started again, and each job that was in it is retried once in a process of
its own, so only the job that kills its worker fails (``BrokenProcessPool``). Workers ignore SIGINT (the
crawl decides when to stop) and exit by themselves when the process that started them is gone
(even after a SIGKILL), so no orphan is left behind.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

logger = logging.getLogger(__name__)
WORKERS_SETTING = "RECAPCRAWL_EXTRACT_WORKERS"
PARENT_CHECK_SECONDS = 0.5
# Workers run at a lower CPU priority than the process that started them: on a busy machine the crawl's
# reactor (downloads, hand-over, archive writes) gets a core first and keeps the workers fed.
WORKER_NICENESS = 5


def default_workers() -> int:
    """One worker per core, at most 4 (the reactor thread fetches and writes meanwhile)."""
    return max(1, min(4, os.cpu_count() or 1))


def ready() -> bool:
    """A job that does nothing: run once per worker at start, it loads the extraction modules."""
    return True


# ---------------------------------------------------------------- worker processes
def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)  # the crawl is gone (killed): nobody will ever read our results


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored meanwhile (main thread only; elsewhere nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _start_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.nice(WORKER_NICENESS)
    except OSError:  # not allowed here: the workers simply keep the parent's priority
        pass
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()


class ExtractPool:
    """Runs extraction jobs in ``workers`` processes (in this process when 0), ``pending`` at a time."""

    def __init__(self, workers: int, pending: int | None = None) -> None:
        self.workers = max(0, int(workers))
        self.pending = pending or max(2, 4 * self.workers)
        self.executor: ProcessPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None
        self._alone: asyncio.Semaphore | None = None
        self.restarts = 0
        if self.workers:
            self.executor = self._new_executor()

    def _new_executor(self, workers: int | None = None) -> ProcessPoolExecutor:
        """A pool whose processes start now: each imports the extraction code (about 0.5 s) while the
        crawl fetches robots.txt and sitemaps, not when the first page arrives."""
        context = multiprocessing.get_context("spawn")  # no fork of a process running threads
        executor = ProcessPoolExecutor(
            workers or self.workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
        )
        with _sigint_ignored():  # inherited through exec: a Ctrl-C while a worker imports can't kill it
            for _ in range(workers or self.workers):
                executor.submit(ready)  # the first job starts every process
        return executor

    def __enter__(self) -> ExtractPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pids(self) -> list[int]:
        """The worker processes' ids (those started so far)."""
        processes = getattr(self.executor, "_processes", None) or {}
        return sorted(processes)

    async def run(self, job: Callable[..., Any], *args: Any) -> Any:
        """``job(*args)`` in a worker; at most ``pending`` jobs wait in the pool at once."""
        if self.executor is None:
            return job(*args)
        if self._slots is None or self._alone is None:  # both are made on the first job
            self._slots = asyncio.Semaphore(self.pending)
            self._alone = asyncio.Semaphore(self.workers)
        async with self._slots:
            try:
                return await self._submit(job, *args)
            except BrokenProcessPool:
                logger.error(
                    "An extraction worker died; retrying its jobs in a process each (%s)", job.__name__
                )
        async with self._alone:
            return await self._run_alone(job, *args)

    async def _run_alone(self, job: Callable[..., Any], *args: Any) -> Any:
        """``job(*args)`` in a process of its own: if it kills that one too, it alone fails."""
        executor = self._new_executor(1)
        try:
            return await asyncio.wrap_future(executor.submit(job, *args))
        finally:
            executor.shutdown(wait=False, cancel_futures=True)

    async def _submit(self, job: Callable[..., Any], *args: Any) -> Any:
        executor = self.executor
        if executor is None:
            raise RuntimeError("the extraction pool is closed")
        try:
            return await asyncio.wrap_future(executor.submit(job, *args))
        except BrokenProcessPool:
            self._restart(executor)
            raise

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        if self.executor is broken:  # the first job to notice starts a new pool; the others reuse it
            broken.shutdown(wait=False, cancel_futures=True)
            self.restarts += 1
            self.executor = self._new_executor()

    def imap(self, job: Callable[..., Any], argsets: Iterable[tuple]) -> Iterator[Any]:
        """``job(*args)`` for each of ``argsets``, results in order, at most ``pending`` jobs ahead
        (blocking; for batch work such as reparse). ``argsets`` is read lazily."""
        if self.executor is None:
            yield from (job(*args) for args in argsets)
            return
        window: deque = deque()
        for args in argsets:
            window.append(self.executor.submit(job, *args))
            if len(window) >= self.pending:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    def close(self) -> None:
        """Stop the workers (jobs not started yet are dropped) and wait for them to exit."""
        executor, self.executor = self.executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

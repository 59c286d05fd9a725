"""Extraction in worker processes, so a crawl or a reparse uses more than one core.

The jobs are module-level functions over plain data (body bytes and URLs in, dicts out): lxml trees
cannot cross processes, so a worker parses and hands back only what the caller needs. ``ExtractPool``
runs them in a ``ProcessPoolExecutor`` (``workers`` processes) or, with ``workers=0``, in the calling
process: the same functions, so both ways give the same results.

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

from .extraction import NotHTML, PageAnalysis, analyze, extract_recap
from .extraction.article_pages import ArticlePages, article_pages, linked_pages, split_page_url
from .extraction.comments import comment_page_number, comment_pages
from .extraction.dom import read_document
from .storage.captures import pack_body
from .storage.recaps import content_hash

logger = logging.getLogger(__name__)
WORKERS_SETTING = "RECAPCRAWL_EXTRACT_WORKERS"
PARENT_CHECK_SECONDS = 0.5
# Workers run at a lower CPU priority than the process that started them: on a busy machine the crawl's
# reactor (downloads, hand-over, archive writes) gets a core first and keeps the workers fed.
WORKER_NICENESS = 5


def default_workers() -> int:
    """One worker per core, at most 4 (the reactor thread fetches and writes meanwhile)."""
    return max(1, min(4, os.cpu_count() or 1))


# ---------------------------------------------------------------- jobs (run in a worker)
def read_page(body: bytes, charset: str | None, url: str, links: bool = True, split: bool = True) -> dict:
    """What the spider needs from one HTML page, as plain data.

    ``{"unusable": message}`` for a body that is not a usable HTML page. ``split``: a recap page
    with no other comment pages or article pages comes back already split (``recap``), so it is not
    parsed twice. A recap's own pagination: ``article_number`` (None: one page), ``article_first``
    and ``article_pages`` (``[number, url]`` of the later pages it links to); those URLs are left out
    of ``pages`` (they are fetched with the recap, not as pages of their own).
    ``packed``: the body as the archive stores it (``storage.pack_body``), when ``links`` says the
    page was fetched fresh, so the crawl process does not compress it.
    """
    packed = pack_body(body) if links else None
    try:
        document = read_document(body, charset)
        analysis = analyze(document.root, url)
    except (NotHTML, ValueError) as exc:
        return {"unusable": str(exc), "packed": packed}
    verdict, comments = analysis.verdict, analysis.comments
    page = {
        "text": document.text, "notes": document.notes, "truncated": document.truncated,
        "kind": verdict.kind, "is_recap": verdict.is_recap, "reason": verdict.reason,
        "canonical": analysis.meta.canonical_url, "title": analysis.meta.title,
        "hosted_by": comments.hosted_by, "comment_number": comments.number,
        "comment_page_urls": list(comments.page_urls), "feeds": [], "pages": [], "recap": None,
        "packed": packed,
    }  # fmt: skip
    pages = _article_pages(analysis) if verdict.is_recap else ArticlePages()
    page.update(article_number=pages.number, article_first=pages.first_url,
                article_pages=[[n, u] for n, u in pages.later])  # fmt: skip
    if links:
        own = set(pages.links.values())
        page["feeds"] = list(analysis.links.feeds)
        page["pages"] = [u for u in analysis.links.pages if u not in own]
    alone = not comments.page_urls and pages.number is None
    if split and verdict.is_recap and not document.truncated and alone:
        page["recap"] = extract_recap(document.text, url, [], analysis=analysis).to_dict()
    return page


def _article_pages(analysis: PageAnalysis) -> ArticlePages:
    body = analysis.body if analysis.body_from_page else None
    return article_pages(analysis.page, analysis.url, body)


def read_article_page(body: bytes, charset: str | None, url: str, first_url: str) -> dict:
    """A later page of an article (``/slug/2/``): its text, notes, the other pages of the article at
    ``first_url`` it links to (``[number, url]``), its comment pages' links and the packed body."""
    packed = pack_body(body)
    try:
        document = read_document(body, charset)
        analysis = analyze(document.root, url)
    except (NotHTML, ValueError) as exc:
        return {"unusable": str(exc), "packed": packed}
    linked = linked_pages(analysis.page, url, first_url, analysis.body if analysis.body_from_page else None)
    return {"text": document.text, "notes": document.notes, "packed": packed,
            "article_pages": sorted([n, u] for n, u in linked.items()),
            "comment_page_urls": list(analysis.comments.page_urls)}  # fmt: skip


def read_comment_page(body: bytes, charset: str | None, url: str) -> dict:
    """A comment page's text, notes, the links to its thread's other pages, and the packed body."""
    packed = pack_body(body)
    try:
        document = read_document(body, charset)
    except (NotHTML, ValueError) as exc:
        return {"unusable": str(exc), "packed": packed}
    page_urls = comment_pages(document.root, url).page_urls
    return {"text": document.text, "notes": document.notes, "page_urls": list(page_urls), "packed": packed}


def split_recap(
    html: str, url: str, pages: list[tuple[str, str]], article_pages: list[tuple[str, str]] = ()
) -> dict:
    """``extract_recap(...).to_dict()``: a recap with all its comment pages and article pages."""
    return extract_recap(html, url, pages, article_pages=article_pages).to_dict()


def read_stored_page(body: bytes, charset: str | None, url: str) -> dict:
    """What ``recapcrawl reparse`` needs from one stored page: a comment page's text, a later article
    page's text (``article_page``: its number, ``first``: the article's first page), or the page's
    verdict and, for a recap with no other comment page or article page, its split and ``content_hash``."""
    try:
        document = read_document(body, charset)
        if comment_page_number(url) is not None:
            return {"comment_page": True, "text": document.text}
        analysis = analyze(document.root, url)
    except (NotHTML, ValueError) as exc:
        return {"unusable": str(exc)}
    verdict = analysis.verdict
    maybe_later = verdict.is_recap or split_page_url(url) is not None  # a later page may not look a recap
    pages = _article_pages(analysis) if maybe_later else ArticlePages()
    if pages.number is not None and pages.number > 1:
        meta = analysis.meta
        return {"article_page": pages.number, "first": pages.first_url, "text": document.text,
                "size": len(body), "canonical": meta.canonical_url, "title": meta.title}  # fmt: skip
    page = {"text": document.text, "size": len(body), "truncated": document.truncated,
            "is_recap": verdict.is_recap, "kind": verdict.kind, "reason": verdict.reason,
            "canonical": analysis.meta.canonical_url, "title": analysis.meta.title,
            "split": None}  # fmt: skip
    if verdict.is_recap and not document.truncated and not analysis.comments.page_urls and not pages.links:
        page["split"] = _guarded_split(lambda: extract_recap(document.text, url, [], analysis=analysis))
    return page


def split_stored_recap(
    html: str, url: str, pages: list[tuple[str, str]], article_pages: list[tuple[str, str]] = ()
) -> dict:
    """A stored recap split with its stored comment pages and article pages (``_guarded_split``'s shape)."""
    return _guarded_split(lambda: extract_recap(html, url, pages, article_pages=article_pages))


def ready() -> bool:
    """A job that does nothing: run once per worker at start, it loads the extraction modules."""
    return True


def _guarded_split(split: Callable[[], Any]) -> dict:
    try:
        recap = split().to_dict()
    except Exception as exc:  # one recap that cannot be split must not stop the others
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {"recap": recap, "hash": content_hash(recap)}


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
        executor = ProcessPoolExecutor(workers or self.workers, mp_context=context, initializer=_start_worker,
                                       initargs=(os.getpid(),))  # fmt: skip
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
        if self._slots is None:
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


# ---------------------------------------------------------------- one pool per crawl
def pool_for(crawler) -> ExtractPool:
    """The crawl's pool (``RECAPCRAWL_EXTRACT_WORKERS`` processes), started on first use, closed with
    the spider."""
    pool = getattr(crawler, "extract_pool", None)
    if pool is None:
        workers = crawler.settings.get(WORKERS_SETTING)
        workers = default_workers() if workers in (None, "") else int(workers)
        pool = crawler.extract_pool = ExtractPool(workers)
        from scrapy import signals

        crawler.signals.connect(_closer(pool), signal=signals.spider_closed, weak=False)
        logger.info("Extraction in %s", f"{workers} worker process(es)" if workers else "the crawl's process")
    return pool


def _closer(pool: ExtractPool) -> Callable[..., None]:
    def close(*args: Any, **kwargs: Any) -> None:
        pool.close()

    return close

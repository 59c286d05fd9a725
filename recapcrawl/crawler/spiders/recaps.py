"""The ``recaps`` spider: finds articles and fetches them with every page of their own (``/slug/2/``,
``?page=2``) and every page of their comments.

Fetching only: what a page is and where it links comes from ``recapcrawl.extraction``;
splitting and storing happen in the item pipelines.

Discovery, per start URL: robots.txt ``Sitemap:`` lines, ``/wp-sitemap.xml`` and
``/sitemap.xml`` (indexes too), RSS/Atom feeds, and in-site links including listing
pagination. Only http(s) URLs on the start URLs' hosts (host and port) are followed.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar, cast
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip

from ...extraction.comments import comment_page_number
from ...extraction.dom import safe_join
from ...extraction.links import (
    Listing,
    add_listings,
    listings,
    looks_like_feed,
    normalize_url,
    parse_feed,
    parse_sitemap,
    sitemaps_from_robots,
    worth_following,
)
from ...models import PageOutcome
from ...storage import CrawlState, now_iso, sha256_of
from ..extensions import archive_session, extract_pool
from ..items import CaptureItem, Source, capture_item, page_item, recap_item
from ..middlewares.archive import ARCHIVED, UNCHANGED
from ..middlewares.politeness import RetryAfterTooLong
from ..readings import (
    ArticlePageReading,
    CommentPageReading,
    FailedReading,
    NumberedUrl,
    PageReading,
    SplitRecap,
    read_article_page,
    read_comment_page,
    read_page,
)
from ..workers import ExtractPool
from .freshness import comments_grew, needs_link_visit, needs_visit, recaps_with_new_comments

HTML_TYPES = ("text/html", "application/xhtml+xml")
LISTED_PRIORITY = 15  # pages a sitemap or feed lists, and the feeds pages link to (before other links: 0)
ROBOTS_REFUSAL = "disallowed by robots.txt"
PAGE_READ = "recapcrawl_page"  # response.meta key: the page as read by an extraction worker
Reading = TypeVar("Reading")


@dataclass
class CommentThread:
    """A recap whose later article pages, then comment pages, are being fetched one after another.

    Plain data only (no parsed trees), so the requests that carry it can be queued in Redis by
    distributed workers; a recap already split by the extraction worker is kept aside in
    ``RecapsSpider.splits``.
    """

    url: str
    canonical: str
    html: str
    pages: list[PageOutcome]
    queue: list[str] = field(default_factory=list)
    seen_numbers: set[int] = field(default_factory=set)
    fetched: list[tuple[str, str]] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)  # URL and sha256 of every page read
    complete: bool = True  # every comment page was read
    refresh: bool = False  # fetch comment pages unconditionally (the thread changed)
    # The article's own later pages: number → URL waiting, the numbers known, (number, URL, text) read.
    article_first: str | None = None
    article_queue: dict[int, str] = field(default_factory=dict)
    article_numbers: set[int] = field(default_factory=set)
    article_fetched: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def article_pages(self) -> list[tuple[str, str]]:
        """The later pages read, ``(url, html)`` in page order."""
        return [(url, html) for _, url, html in sorted(self.article_fetched)]


def _declared_charset(response: Response) -> str | None:
    value = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    match = re.search(r"charset=([\w.:-]+)", value, re.I)
    return match.group(1) if match else None


def _content_type(response: Response) -> str:
    value = response.headers.get(b"Content-Type") or b""
    return value.decode("latin-1").split(";")[0].strip().lower()


def _digest(response: Response, page: PageReading | ArticlePageReading | CommentPageReading) -> str:
    """The body's sha256, as the worker that read the page computed it (or computed here)."""
    packed = page.get("packed")
    return cast(str, packed["sha256"]) if packed else sha256_of(response.body)


class Claims(Protocol):
    """The canonical URLs pages have claimed as their recap: a set, or shared in Redis (distributed)."""

    def __contains__(self, canonical: object) -> bool: ...

    def add(self, canonical: str) -> None: ...


class RecapsSpider(scrapy.Spider):
    """Crawl review sites for episode recaps. ``-a start_urls=URL[,URL…]``."""

    name = "recaps"
    # What an extraction worker runs on a page (module-level functions, so they can be pickled).
    page_reader = staticmethod(read_page)
    comment_page_reader = staticmethod(read_comment_page)
    article_page_reader = staticmethod(read_article_page)

    def __init__(self, start_urls: str | list[str] | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(start_urls, str):
            start_urls = [u.strip() for u in start_urls.split(",") if u.strip()]
        normalized = [normalize_url(u) for u in (start_urls or [])]
        urls = [u for u in normalized if u is not None]
        if not urls or len(urls) < len(normalized):
            raise ValueError("start_urls must be one or more http(s) URLs, e.g. -a start_urls=https://site/")
        self.start_urls = urls
        self.netlocs = {urlsplit(u).netloc for u in urls}
        self.allowed_domains = sorted({host for u in urls if (host := urlsplit(u).hostname)})
        self.recaps_claimed: Claims = set()
        # When each post went up and who wrote it, as the feeds read so far say (by ``listing_key``): a
        # theme that prints only the day, or no byline, has them there (see ``readings.with_listing``).
        self.listings: dict[str, Listing] = {}
        # Recaps split when their only page was read, by canonical URL.
        self.splits: dict[str, SplitRecap] = {}
        self.requested: set[str] = set()  # URLs already handed to the scheduler by ``follow``

    # ---------------------------------------------------------------- start
    async def start(self) -> AsyncIterator[scrapy.Request]:
        extract_pool(self.crawler)  # the workers start now, while robots.txt and the sitemaps download
        for request in self.start_requests():
            yield request

    @property
    def archive(self) -> CrawlState | None:
        """What the archive knew when this crawl started (None when the archive pipeline is off)."""
        session = archive_session(self.crawler)
        return session.state if session is not None else None

    def start_requests(self) -> Iterator[scrapy.Request]:
        incremental = self.archive is not None and bool(self.archive.recaps)
        for url in self.start_urls:
            root = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}/"
            if incremental:  # the site's latest comments say which known recaps have new ones
                yield scrapy.Request(
                    urljoin(root, "comments/feed/"),
                    self.parse_comments_feed,
                    errback=self.on_error,
                    priority=25,
                    meta={"force_refresh": True},
                )
            yield scrapy.Request(
                urljoin(root, "robots.txt"),
                self.parse_robots,
                errback=self.on_error,
                priority=30,
                meta={"dont_obey_robotstxt": True},
            )
            for path in ("wp-sitemap.xml", "sitemap.xml"):
                yield scrapy.Request(
                    urljoin(root, path), self.parse_sitemap, errback=self.on_error, priority=20
                )
            yield scrapy.Request(url, self.page_fetched, errback=self.on_error, priority=10)

    # ---------------------------------------------------------------- helpers
    def in_scope(self, url: str | None) -> bool:
        return (
            bool(url) and urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc in self.netlocs
        )

    @property
    def incremental(self) -> bool:
        return self.archive is not None and self.settings.getbool("RECAPCRAWL_INCREMENTAL", True)

    @property
    def extractor(self) -> ExtractPool:
        """The crawl's extraction worker processes (``RECAPCRAWL_EXTRACT_WORKERS``; 0: in this process)."""
        return extract_pool(self.crawler)

    def follow(self, urls: list[str], callback, priority: int = 0) -> Iterator[scrapy.Request]:
        """A request for each new URL worth fetching. A URL this spider already requested is skipped
        before a ``Request`` is built (the duplicate filter would drop it anyway, at a higher cost)."""
        revisit = self.settings.getfloat("RECAPCRAWL_REVISIT_DAYS", 7)
        for url in urls:
            if url in self.requested:  # a page's links come normalized, most of them requested before
                continue
            found = normalize_url(url)
            if found is None or found in self.requested or not self.in_scope(found):
                continue
            url = found
            if comment_page_number(url) is not None:
                continue
            if callback != self.parse_sitemap and not worth_following(url):  # sitemaps may be .xml.gz
                continue
            if (
                self.incremental
                and callback == self.page_fetched
                and not needs_link_visit(self.archive, url, revisit)
            ):
                self.crawler.stats.inc_value("recapcrawl/settled_skipped")
                continue
            self.requested.add(url)
            yield scrapy.Request(url, callback, errback=self.on_error, priority=priority)

    def captured(self, response: Response) -> Iterator[CaptureItem]:
        """The raw capture of a downloaded response (nothing for one replayed from the archive)."""
        if ARCHIVED not in response.flags and UNCHANGED not in response.flags:
            item = capture_item(response)
            read = response.meta.get(PAGE_READ)
            if isinstance(read, dict) and read.get("packed"):
                item["packed"] = read["packed"]  # compressed by the worker that read the page
            yield item

    def outcome(self, response: Response, kind: str, reason: str | None = None, **extra: Any) -> PageOutcome:
        return PageOutcome(
            url=response.url,
            status=response.status,
            content_type=_content_type(response),
            kind=kind,
            reason=reason,
            fetched_at=now_iso(),
            size=len(response.body),
            **extra,
        )

    # ---------------------------------------------------------------- robots, sitemaps, feeds
    def parse_robots(self, response: Response) -> Iterator[Any]:
        yield from self.captured(response)
        text = (
            response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        )
        sitemaps = sitemaps_from_robots(text, response.url)
        yield page_item(self.outcome(response, "robots", f"{len(sitemaps)} sitemap(s) listed"))
        yield from self.follow(sitemaps, self.parse_sitemap, priority=20)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        yield from self.captured(response)
        yield from self._sitemap(response)

    def _sitemap(self, response: Response) -> Iterator[Any]:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            except (OSError, ValueError) as exc:  # ValueError: inflates past DOWNLOAD_MAXSIZE
                self.logger.warning("Unusable gzip sitemap %s: %s", response.url, exc)
                yield page_item(
                    self.outcome(response, "sitemap", f"bad gzip sitemap (size or format): {exc}")
                )
                return
        kind, entries = parse_sitemap(body)
        if kind == "invalid":
            if looks_like_feed(body):
                yield from self._feed(response)
                return
            yield page_item(self.outcome(response, "sitemap", "not a sitemap (no urlset or sitemapindex)"))
            return
        yield page_item(self.outcome(response, "sitemap", f"{kind} with {len(entries)} entries"))
        urls = [safe_join(response.url, e.url) for e in entries]
        if kind == "index":
            yield from self.follow(urls, self.parse_sitemap, priority=20)
            return
        fresh = [e for e in entries if self.needs_visit(safe_join(response.url, e.url), e.updated)]
        self.crawler.stats.inc_value("recapcrawl/unchanged_skipped", len(entries) - len(fresh))
        yield from self.follow(
            [safe_join(response.url, e.url) for e in fresh], self.listed_fetched, priority=LISTED_PRIORITY
        )

    def parse_feed(self, response: Response) -> Iterator[Any]:
        yield from self.captured(response)
        yield from self._feed(response)

    def _feed(self, response: Response) -> Iterator[Any]:
        entries = parse_feed(response.body)
        add_listings(self.listings, listings(entries, response.url))
        yield page_item(self.outcome(response, "feed", f"{len(entries)} entries"))
        changed = [safe_join(response.url, e.url) for e in entries if comments_grew(self.archive, e)]
        yield from self.refresh(changed)
        fresh = [e for e in entries if self.needs_visit(safe_join(response.url, e.url), e.updated)]
        yield from self.follow(
            [safe_join(response.url, e.url) for e in fresh], self.listed_fetched, priority=LISTED_PRIORITY
        )

    def parse_comments_feed(self, response: Response) -> Iterator[Any]:
        """The site's latest comments: re-fetch every known recap that got one since it was archived."""
        yield from self.captured(response)
        entries = parse_feed(response.body)
        add_listings(self.listings, listings(entries, response.url))
        yield page_item(self.outcome(response, "feed", f"comments feed with {len(entries)} entries"))
        yield from self.refresh(recaps_with_new_comments(self.archive, entries))

    def needs_visit(self, url: str, updated: str | None) -> bool:
        if not self.incremental:
            return True
        return needs_visit(self.archive, url, updated, self.settings.getfloat("RECAPCRAWL_REVISIT_DAYS", 7))

    def parse_listed(self, response: Response) -> Iterator[Any]:
        """A page listed in a sitemap or feed (already judged fresh enough to fetch)."""
        yield from self.parse_page(response)

    async def listed_fetched(self, response: Response) -> AsyncIterator[Any]:
        """Request callback for a listed page: ``parse_listed`` once a worker has read it."""
        await self.read_in_worker(response)
        for output in self.parse_listed(response):
            yield output

    def refresh(self, urls: list[str]) -> Iterator[scrapy.Request]:
        """Fetch recaps again with all their comment pages, whatever the archive has."""
        for url in dict.fromkeys(urls):
            if self.in_scope(url) and url not in self.recaps_claimed:
                self.crawler.stats.inc_value("recapcrawl/recaps_refreshed")
                yield scrapy.Request(
                    url,
                    self.page_fetched,
                    errback=self.on_error,
                    priority=16,
                    dont_filter=True,
                    meta={"force_refresh": True},
                )

    # ---------------------------------------------------------------- pages
    async def page_fetched(self, response: Response) -> AsyncIterator[Any]:
        """Request callback for a page: ``parse_page`` once an extraction worker has read it."""
        await self.read_in_worker(response)
        for output in self.parse_page(response):
            yield output

    async def read_in_worker(self, response: Response) -> None:
        """Read an HTML page in an extraction worker; what it found goes to ``response.meta``."""
        if self._page_kind(response) == "html":
            response.meta[PAGE_READ] = await self._guarded(
                self.extractor.run(self.page_reader, *self._page_job(response))
            )

    def _page_job(self, response: Response) -> tuple:
        fresh = UNCHANGED not in response.flags  # an unchanged page's links were followed when archived
        return response.body, _declared_charset(response), response.url, fresh, fresh

    async def _guarded(self, job: Awaitable[Reading]) -> Reading | FailedReading:
        try:
            return await job
        except Exception as exc:  # a bug (or a dead worker) on one page must not lose the rest of the crawl
            return {"failed": f"{type(exc).__name__}: {exc}"}

    def _page_kind(self, response: Response) -> str:
        content_type = _content_type(response)
        if looks_like_feed(response.body[:4096]) or "rss" in content_type or "atom" in content_type:
            return "feed"
        head = response.body[:2048]
        if content_type.endswith("xml") and (b"<urlset" in head or b"<sitemapindex" in head):
            return "sitemap"
        if content_type and content_type not in HTML_TYPES:
            return "other"
        return "html"

    def _reading(
        self, response: Response, job: Callable[..., Reading], *args: Any
    ) -> Reading | FailedReading:
        """What an extraction worker read from the response, else ``job(*args)`` run in this process
        (the callback called directly, or by an older request)."""
        read: Reading | FailedReading | None = response.meta.pop(PAGE_READ, None)
        return self._guarded_here(job, *args) if read is None else read

    def parse_page(self, response: Response) -> Iterator[Any]:
        yield from self.captured(response)
        kind = self._page_kind(response)
        if kind == "feed":
            yield from self._feed(response)
            return
        if kind == "sitemap":
            yield from self._sitemap(response)
            return
        if kind == "other":
            reason = f"not HTML ({_content_type(response)})"
            self.logger.warning("Skipped %s: %s", response.url, reason)
            yield page_item(self.outcome(response, "other", reason))
            return
        page = self._reading(response, self.page_reader, *self._page_job(response))
        if "unusable" in page:
            self.logger.warning("Unusable page %s: %s", response.url, page["unusable"])
            yield page_item(self.outcome(response, "error", f"unusable page: {page['unusable']}"))
            return
        if "failed" in page:
            self.logger.error("Extraction failed on %s: %s", response.url, page["failed"])
            yield page_item(self.outcome(response, "error", f"extraction failed: {page['failed']}"))
            return
        yield from self._read_page(response, page)

    def _read_page(self, response: Response, page: PageReading) -> Iterator[Any]:
        for note in page["notes"]:
            self.logger.warning("%s: %s", response.url, note)
        notes = "; ".join(page["notes"]) or None
        if UNCHANGED not in response.flags:  # an unchanged page's links were followed when it was archived
            # A page's feeds (on blogs, each post's comment feed) rank with the pages sitemaps and feeds
            # list, so they are read between those pages, not in a burst after them all: the crawl process
            # reads feeds, the extraction workers read pages, and a burst of feeds leaves the workers idle.
            yield from self.follow(page["feeds"], self.parse_feed, priority=LISTED_PRIORITY)
            yield from self.follow(page["pages"], self.page_fetched)

        canonical, title = page["canonical"], page["title"]
        if not page["is_recap"]:
            reason = "; ".join(r for r in (page["reason"], notes) if r)
            yield page_item(
                self.outcome(response, page["kind"], reason, canonical_url=canonical, title=title)
            )
            return
        number, first_page = page.get("article_number"), page.get("article_first")
        if number is not None and number > 1:  # reached before its first page: fetched with that one
            reason = f"page {number} of the article {first_page}"
            outcome = self.outcome(response, "article_page", reason, canonical_url=first_page, title=title)
            yield page_item(outcome)
            yield from self.follow([cast(str, first_page)], self.page_fetched, priority=LISTED_PRIORITY)
            return
        if page["truncated"]:
            self.logger.error("Not archiving truncated recap %s", response.url)
            yield page_item(self.outcome(response, "error", notes, canonical_url=canonical, title=title))
            return
        if canonical in self.recaps_claimed:
            reason = f"another URL of the recap {canonical}"
            yield page_item(self.outcome(response, "duplicate", reason, canonical_url=canonical, title=title))
            return
        self.recaps_claimed.add(canonical)
        first = self.outcome(
            response,
            "recap",
            notes,
            is_recap=True,
            canonical_url=canonical,
            title=title,
            comments_hosted_by=page["hosted_by"],
        )
        thread = CommentThread(url=response.url, canonical=canonical, html=page["text"], pages=[first])
        if page["recap"] is not None:
            self.splits[canonical] = page["recap"]
        thread.sources.append({"url": response.url, "sha256": _digest(response, page)})
        thread.refresh = bool(response.meta.get("force_refresh")) or UNCHANGED not in response.flags
        if page["comment_number"] is not None:
            thread.seen_numbers.add(page["comment_number"])
        self._enqueue(thread, page["comment_page_urls"])
        if number is not None:
            thread.article_first = first_page
            thread.article_numbers.add(number)
            self._enqueue_article_pages(thread, page.get("article_pages") or [])
        yield from self._next_comment_page(thread)

    # ---------------------------------------------------------------- article pages
    def _enqueue_article_pages(self, thread: CommentThread, pages: list[NumberedUrl]) -> None:
        """Queue the article's later pages not known yet; no other request fetches them."""
        for number, url in cast(list[tuple[int, str]], pages):  # [number, url] lists
            if number in thread.article_numbers or not self.in_scope(url):
                continue
            thread.article_numbers.add(number)
            thread.article_queue[number] = url
            self.requested.add(url)

    async def article_page_fetched(self, response: Response, thread: CommentThread) -> AsyncIterator[Any]:
        """Request callback for a later page of an article: ``parse_article_page`` once a worker read it."""
        job = self.extractor.run(self.article_page_reader, *self._article_job(response, thread))
        response.meta[PAGE_READ] = await self._guarded(job)
        for output in self.parse_article_page(response, thread):
            yield output

    def _article_job(self, response: Response, thread: CommentThread) -> tuple:
        return response.body, _declared_charset(response), response.url, thread.article_first or thread.url

    def parse_article_page(self, response: Response, thread: CommentThread) -> Iterator[Any]:
        yield from self.captured(response)
        number = cast(int, response.meta.get("article_page"))  # every article page's request says which
        page = self._reading(response, self.article_page_reader, *self._article_job(response, thread))
        if "unusable" in page or "failed" in page:
            problem = page["unusable"] if "unusable" in page else page["failed"]
            self.logger.warning("Unusable page %s of %s: %s", response.url, thread.canonical, problem)
            thread.pages.append(self.outcome(response, "error", f"unusable article page: {problem}"))
        elif response.url in {thread.url, thread.article_first, *(u for _, u, _ in thread.article_fetched)}:
            asked = (response.meta.get("redirect_urls") or [response.url])[0]  # redirected to it
            reason = f"page {number} of {thread.canonical} leads to {response.url}, already read"
            outcome = self.outcome(response, "other", reason, canonical_url=thread.canonical)
            thread.pages.append(replace(outcome, url=asked))
        else:
            thread.sources.append({"url": response.url, "sha256": _digest(response, page)})
            thread.article_fetched.append((number, response.url, page["text"]))
            self._enqueue_article_pages(thread, page["article_pages"])
            self._enqueue(thread, page["comment_page_urls"])
            reason = "; ".join([f"page {number} of {thread.canonical}", *page["notes"]])
            outcome = self.outcome(response, "article_page", reason, canonical_url=thread.canonical)
            thread.pages.append(outcome)
        yield from self._next_comment_page(thread)

    def article_page_failed(self, failure) -> Iterator[Any]:
        thread: CommentThread = failure.request.cb_kwargs["thread"]
        outcome = self._failure_outcome(failure)
        self.logger.warning("Page %s of %s failed: %s", outcome.url, thread.url, outcome.reason)
        thread.pages.append(outcome)
        yield from self._failed_capture(failure)
        yield from self._next_comment_page(thread)

    # ---------------------------------------------------------------- comment pages
    def _enqueue(self, thread: CommentThread, urls: list[str]) -> None:
        for url in urls:
            number = comment_page_number(url)
            if number is None or number in thread.seen_numbers or not self.in_scope(url):
                continue
            thread.seen_numbers.add(number)
            thread.queue.append(url)

    def _next_comment_page(self, thread: CommentThread) -> Iterator[Any]:
        """The request for the thread's next page (the article's own pages first), else its recap item."""
        if thread.article_queue:
            number = min(thread.article_queue)
            yield scrapy.Request(
                thread.article_queue.pop(number),
                self.article_page_fetched,
                errback=self.article_page_failed,
                cb_kwargs={"thread": thread},
                priority=40,
                dont_filter=True,
                meta={"force_refresh": thread.refresh, "article_page": number},
            )
            return
        if thread.queue:
            url = thread.queue.pop(0)
            yield scrapy.Request(
                url,
                self.comment_page_fetched,
                errback=self.comment_page_failed,
                cb_kwargs={"thread": thread},
                priority=40,
                dont_filter=True,
                meta={"force_refresh": thread.refresh},
            )
            return
        split = self.splits.pop(thread.canonical, None)  # None on another worker: split later
        whole = not (thread.fetched or thread.article_fetched)  # the worker split the first page alone
        yield recap_item(
            thread.url,
            thread.html,
            thread.fetched,
            thread.pages,
            sources=thread.sources,
            complete=thread.complete,
            article_pages=thread.article_pages,
            canonical=thread.canonical,
            split=split if whole else None,
        )

    async def comment_page_fetched(self, response: Response, thread: CommentThread) -> AsyncIterator[Any]:
        """Request callback for a comment page: ``parse_comment_page`` once a worker has read it."""
        job = self.extractor.run(
            self.comment_page_reader, response.body, _declared_charset(response), response.url
        )
        response.meta[PAGE_READ] = await self._guarded(job)
        for output in self.parse_comment_page(response, thread):
            yield output

    def parse_comment_page(self, response: Response, thread: CommentThread) -> Iterator[Any]:
        yield from self.captured(response)
        canonical = thread.canonical
        charset = _declared_charset(response)
        page = self._reading(response, self.comment_page_reader, response.body, charset, response.url)
        if "unusable" in page or "failed" in page:
            problem = page["unusable"] if "unusable" in page else page["failed"]
            self.logger.warning("Unusable comment page %s of %s: %s", response.url, canonical, problem)
            thread.pages.append(self.outcome(response, "error", f"unusable comment page: {problem}"))
            thread.complete = False
        else:
            thread.sources.append({"url": response.url, "sha256": _digest(response, page)})
            self._enqueue(thread, page["page_urls"])
            thread.fetched.append((response.url, page["text"]))
            reason = "; ".join([f"comment page of {canonical}", *page["notes"]])
            thread.pages.append(self.outcome(response, "comment_page", reason, canonical_url=canonical))
        yield from self._next_comment_page(thread)

    def _guarded_here(self, job: Callable[..., Reading], *args: Any) -> Reading | FailedReading:
        try:
            return job(*args)
        except Exception as exc:  # a bug on one page must not lose the rest of the crawl
            return {"failed": f"{type(exc).__name__}: {exc}"}

    def comment_page_failed(self, failure) -> Iterator[Any]:
        thread: CommentThread = failure.request.cb_kwargs["thread"]
        outcome = self._failure_outcome(failure)
        self.logger.warning("Comment page %s of %s failed: %s", outcome.url, thread.url, outcome.reason)
        thread.pages.append(outcome)
        thread.complete = False
        yield from self._failed_capture(failure)
        yield from self._next_comment_page(thread)

    # ---------------------------------------------------------------- errors
    def note_redirect_loop(self, chain: list[str], target: str) -> None:
        """Called by the duplicate filter when redirects lead back to one of their own URLs."""
        reason = "redirect loop: " + " → ".join([*chain, target])
        self.logger.warning("%s", reason)
        self.late_outcome(PageOutcome(url=chain[0], kind="error", reason=reason, fetched_at=now_iso()))

    def late_outcome(self, outcome: PageOutcome) -> None:
        """An outcome noticed outside a callback: the archive pipeline saves it at close."""
        session = archive_session(self.crawler)
        if session is not None:
            session.late_pages.append(page_item(outcome))

    def _failure_outcome(self, failure) -> PageOutcome:
        request = failure.request
        if failure.check(HttpError):
            response = failure.value.response
            return PageOutcome(
                url=response.url,
                status=response.status,
                content_type=_content_type(response),
                kind="error",
                reason=f"HTTP {response.status}",
                fetched_at=now_iso(),
                size=len(response.body),
            )
        reason = f"{type(failure.value).__name__}: {failure.value}".strip().rstrip(":")
        status = None
        if failure.check(RetryAfterTooLong):
            reason, status = str(failure.value), failure.value.response.status
        elif failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            # keep why a whole host is refused ("it answered HTTP 503: disallow all")
            detail = str(failure.value).partition("(")[2].rstrip(")")
            reason = ROBOTS_REFUSAL + (f" ({detail})" if detail else "")
        elif failure.check(DownloadCancelledError) and not str(failure.value):
            reason = self._cut_at_maxsize_reason(request)
        return PageOutcome(url=request.url, status=status, kind="error", reason=reason, fetched_at=now_iso())

    def _cut_at_maxsize_reason(self, request: scrapy.Request) -> str:
        """Scrapy cancels a body streamed past DOWNLOAD_MAXSIZE with no message; name the limit."""
        limit = request.meta.get("download_maxsize", self.settings.getint("DOWNLOAD_MAXSIZE", 0))
        size = f"DOWNLOAD_MAXSIZE {limit} bytes, {limit / 2**20:.0f} MiB"
        return f"DownloadCancelledError: body larger than download max size ({size}), cut off while streaming"

    def _failed_capture(self, failure) -> Iterator[Any]:
        if failure.check(HttpError):
            yield from self.captured(failure.value.response)

    def on_error(self, failure) -> Iterator[Any]:
        yield from self._failed_capture(failure)
        outcome = self._failure_outcome(failure)
        path = urlsplit(outcome.url).path
        if outcome.status == 404 and path in (
            "/wp-sitemap.xml",
            "/sitemap.xml",
            "/robots.txt",
            "/comments/feed/",
        ):
            self.logger.debug("No %s on this site", path)
            outcome = replace(outcome, kind="other", reason=f"HTTP 404 (probed for {path})")
        elif (outcome.reason or "").startswith(ROBOTS_REFUSAL):
            self.logger.info("Skipped %s: disallowed by robots.txt", outcome.url)
            outcome = replace(outcome, kind="skipped")
        else:
            self.logger.warning("Failed %s: %s", outcome.url, outcome.reason)
        yield page_item(outcome)

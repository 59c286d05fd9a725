"""What the crawl needs from one fetched page, as plain data: the jobs its extraction workers run.

Module-level functions over plain data (body bytes and URLs in, dicts out): lxml trees cannot cross
processes, so a worker parses and hands back only what the spider and the pipelines need. No Scrapy here.

The dicts they return are typed as ``TypedDict``s (plain dicts at run time, so they pickle as before):
``PageReading``, ``ArticlePageReading`` and ``CommentPageReading`` for a page read, ``UnusableReading``
for a body that is not a usable HTML page, and ``FailedReading`` for a job that raised (made by the
spider). They are ``@final`` so that ``"unusable" in reading`` tells mypy which one it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias, TypedDict, final

from ..extraction import NotHTML, PageAnalysis, analyze, extract_recap
from ..extraction.article_pages import ArticlePages, article_pages, linked_pages
from ..extraction.comments import comment_pages
from ..extraction.dom import read_document
from ..extraction.links import Listing, comment_key, listing_key
from ..extraction.metadata import published_from_listing
from ..storage.captures import pack_body

Packed: TypeAlias = dict[str, bytes | str]  # storage.pack_body(body): {"sha256": str, "gzip": bytes}
SplitRecap: TypeAlias = dict[str, Any]  # Recap.to_dict(): a split recap, the export contract
NumberedUrl: TypeAlias = list[int | str]  # [page number, URL] of one of an article's pages


@final
class PageReading(TypedDict):
    """What ``read_page`` found on an HTML page."""

    text: str  # the decoded HTML
    notes: list[str]  # what decoding noticed (truncation, a wrong charset, …)
    truncated: bool
    kind: str  # the verdict: recap | listing | page | article | error
    is_recap: bool
    reason: str | None  # why the page is not a recap
    canonical: str
    title: str | None
    hosted_by: str | None  # the third party whose script shows the comments
    comment_number: int | None  # this comment page's number; None when the thread has one page
    comment_page_urls: list[str]
    feeds: list[str]  # links to follow: feeds, then pages (both empty unless ``links``)
    pages: list[str]
    recap: SplitRecap | None  # the recap split already (one page, no other comment page)
    packed: Packed | None
    article_number: int | None  # this page's number in its article; None: the article has one page
    article_first: str | None  # the article's first page
    article_pages: list[NumberedUrl]  # the later pages it links to


@final
class ArticlePageReading(TypedDict):
    """What ``read_article_page`` found on a later page of an article."""

    text: str
    notes: list[str]
    packed: Packed
    article_pages: list[NumberedUrl]  # the article's other pages it links to
    comment_page_urls: list[str]


@final
class CommentPageReading(TypedDict):
    """What ``read_comment_page`` found on a comment page."""

    text: str
    notes: list[str]
    page_urls: list[str]  # the thread's other comment pages
    packed: Packed


@final
class UnusableReading(TypedDict):
    """A body that is not a usable HTML page."""

    unusable: str  # why
    packed: Packed | None


@final
class FailedReading(TypedDict):
    """A reading job that raised (a bug, or a dead worker): the spider's stand-in for its result."""

    failed: str  # "ExceptionName: message"


def read_page(
    body: bytes, charset: str | None, url: str, links: bool = True, split: bool = True
) -> PageReading | UnusableReading:
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
    verdict, comments = analysis.decided, analysis.comments
    pages = article_pages_of(analysis) if verdict.is_recap else ArticlePages()
    page: PageReading = {
        "text": document.text,
        "notes": document.notes,
        "truncated": document.truncated,
        "kind": verdict.kind,
        "is_recap": verdict.is_recap,
        "reason": verdict.reason,
        "canonical": analysis.meta.canonical_url,
        "title": analysis.meta.title,
        "hosted_by": comments.hosted_by,
        "comment_number": comments.number,
        "comment_page_urls": list(comments.page_urls),
        "feeds": [],
        "pages": [],
        "recap": None,
        "packed": packed,
        "article_number": pages.number,
        "article_first": pages.first_url,
        "article_pages": [[n, u] for n, u in pages.later],
    }
    if links:
        own = set(pages.links.values())
        page["feeds"] = list(analysis.links.feeds)
        page["pages"] = [u for u in analysis.links.pages if u not in own]
    alone = not comments.page_urls and pages.number is None
    if split and verdict.is_recap and not document.truncated and alone:
        page["recap"] = extract_recap(document.text, url, [], analysis=analysis).to_dict()
    return page


def article_pages_of(analysis: PageAnalysis) -> ArticlePages:
    """The recap's own pagination, read in its body when the page has one."""
    body = analysis.body if analysis.body_from_page else None
    return article_pages(analysis.page, analysis.url, body)


def read_article_page(
    body: bytes, charset: str | None, url: str, first_url: str
) -> ArticlePageReading | UnusableReading:
    """A later page of an article (``/slug/2/``): its text, notes, the other pages of the article at
    ``first_url`` it links to (``[number, url]``), its comment pages' links and the packed body."""
    packed = pack_body(body)
    try:
        document = read_document(body, charset)
        analysis = analyze(document.root, url)
    except (NotHTML, ValueError) as exc:
        return {"unusable": str(exc), "packed": packed}
    linked = linked_pages(analysis.page, url, first_url, analysis.body if analysis.body_from_page else None)
    return {
        "text": document.text,
        "notes": document.notes,
        "packed": packed,
        "article_pages": sorted([n, u] for n, u in linked.items()),
        "comment_page_urls": list(analysis.comments.page_urls),
    }


def read_comment_page(body: bytes, charset: str | None, url: str) -> CommentPageReading | UnusableReading:
    """A comment page's text, notes, the links to its thread's other pages, and the packed body."""
    packed = pack_body(body)
    try:
        document = read_document(body, charset)
    except (NotHTML, ValueError) as exc:
        return {"unusable": str(exc), "packed": packed}
    page_urls = comment_pages(document.root, url).page_urls
    return {"text": document.text, "notes": document.notes, "page_urls": list(page_urls), "packed": packed}


def with_listing(recap: SplitRecap, known: dict[str, Listing]) -> SplitRecap:
    """``recap`` with what its feeds say where its pages are silent: the publication time where the page
    gives none or only the day, the author where the page shows no byline; and each comment's time where
    the page gives only its day (OceanWP, Lovecraft), from the post's comments feed."""
    url = recap.get("url") or ""
    when, who = known.get(listing_key(url), (None, None))
    published = published_from_listing(recap.get("published"), when)
    author = recap.get("author") or who
    comments = recap.get("comments") or []
    timed = [
        {**comment, "published": published_from_listing(comment.get("published"), listed[0])}
        if (listed := known.get(comment_key(url, str(comment.get("id")))))
        else comment
        for comment in comments
    ]
    if published == recap.get("published") and author == recap.get("author") and timed == comments:
        return recap
    return {**recap, "published": published, "author": author, "comments": timed}


def split_recap(
    html: str, url: str, pages: Sequence[tuple[str, str]], article_pages: Sequence[tuple[str, str]] = ()
) -> SplitRecap:
    """``extract_recap(...).to_dict()``: a recap with all its comment pages and article pages."""
    return extract_recap(html, url, pages, article_pages=article_pages).to_dict()

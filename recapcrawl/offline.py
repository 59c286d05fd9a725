"""Splitting stored captures again, with no network: ``recapcrawl reparse`` and ``import-warc``.

Every stored HTML capture (the newest per URL) is analysed; recap pages are grouped with the later
pages of the article (``/slug/2/``: never recaps of their own) and their comment pages (same post URL)
and split with the current extraction code. A recap whose split differs from the archived one is
updated in place; the rest are left alone.
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from . import storage
from .crawler.readings import article_pages_of, with_listing
from .crawler.workers import ExtractPool, default_workers
from .extraction import NotHTML, analyze, extract_recap
from .extraction.article_pages import ArticlePages, split_page_url
from .extraction.comments import comment_page_number
from .extraction.dom import read_document
from .extraction.links import Listing, add_listings, listings, normalize_url, parse_feed
from .extraction.metadata import strip_comment_page
from .storage.recaps import content_hash

logger = logging.getLogger(__name__)
_CHARSET = re.compile(r"charset=([\w.:-]+)", re.I)


# ---------------------------------------------------------------- jobs (run in a worker)
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
    verdict = analysis.decided
    maybe_later = verdict.is_recap or split_page_url(url) is not None  # a later page may not look a recap
    pages = article_pages_of(analysis) if maybe_later else ArticlePages()
    if pages.number is not None and pages.number > 1:
        meta = analysis.meta
        return {
            "article_page": pages.number,
            "first": pages.first_url,
            "text": document.text,
            "size": len(body),
            "canonical": meta.canonical_url,
            "title": meta.title,
        }
    page = {
        "text": document.text,
        "size": len(body),
        "truncated": document.truncated,
        "is_recap": verdict.is_recap,
        "kind": verdict.kind,
        "reason": verdict.reason,
        "canonical": analysis.meta.canonical_url,
        "title": analysis.meta.title,
        "split": None,
    }
    if verdict.is_recap and not document.truncated and not analysis.comments.page_urls and not pages.links:
        page["split"] = _guarded_split(lambda: extract_recap(document.text, url, [], analysis=analysis))
    return page


def split_stored_recap(
    html: str, url: str, pages: Sequence[tuple[str, str]], article_pages: Sequence[tuple[str, str]] = ()
) -> dict:
    """A stored recap split with its stored comment pages and article pages (``_guarded_split``'s shape)."""
    return _guarded_split(lambda: extract_recap(html, url, pages, article_pages=article_pages))


def _guarded_split(split: Callable[[], Any]) -> dict:
    try:
        recap = split().to_dict()
    except Exception as exc:  # one recap that cannot be split must not stop the others
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {"recap": recap, "hash": content_hash(recap)}


@dataclass
class ReparseResult:
    """What a pass over the stored captures did."""

    pages: int = 0
    recaps: int = 0
    changed: int = 0
    new: int = 0
    unchanged: int = 0
    merged: int = 0  # recaps an older version made of a later page of an article, merged into its first
    failed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.pages} stored pages read, {self.recaps} recaps: {self.changed} changed, "
            f"{self.new} new, {self.unchanged} unchanged, {len(self.failed)} failed, "
            f"{self.merged} later-page recaps merged"
        )


def _charset(capture: storage.Capture) -> str | None:
    match = _CHARSET.search(capture.content_type + ";" + ";".join(capture.headers.get("Content-Type", [])))
    return match.group(1) if match else None


def _html_captures(db: Database, site: str | None) -> list[int]:
    where = "status = 200 and content_type in ('text/html', 'application/xhtml+xml', '')"
    params: list = []
    if site:
        where += " and (url like ? or url like ?)"
        params = [f"http://{site}/%", f"https://{site}/%"]
    return sorted(set(storage.latest_capture_ids(db, where, params).values()))


def reparse(
    db: Database, site: str | None = None, crawl_id: int | None = None, workers: int | None = None
) -> ReparseResult:
    """Split every stored recap again with the current code and update the ones that changed.

    ``site`` limits it to one host (``example.org`` or ``127.0.0.1:8101``). No network is used.
    Pages are read and split in ``workers`` processes (default: one per core; 0: in this process);
    this process reads the captures and writes the changes.
    """
    result = ReparseResult()
    recaps: dict[str, dict] = {}
    comment_pages: dict[str, dict[int, tuple[storage.Capture, str]]] = defaultdict(dict)  # post → number
    article_pages: dict[str, dict[int, dict]] = defaultdict(dict)  # first page → number → page
    with ExtractPool(default_workers() if workers is None else workers) as pool:
        for capture, page in _read_stored(db, pool, _html_captures(db, site)):
            result.pages += 1
            if "unusable" in page:
                logger.info("Skipping stored page %s: %s", capture.final_url, page["unusable"])
            elif page.get("article_page"):
                found = {"page": page, "capture": replace(capture, body=b"")}
                article_pages[_url_key(page["first"])].setdefault(page["article_page"], found)
            elif page.get("comment_page"):
                number = comment_page_number(capture.final_url)
                assert number is not None  # read_stored_page said so for this very URL
                comment_pages[strip_comment_page(capture.final_url)][number] = (
                    replace(capture, body=b""),
                    page["text"],
                )
            elif page["is_recap"] and not page["truncated"]:
                found = {"page": page, "capture": replace(capture, body=b"")}  # the text is in the page
                recaps.setdefault(page["canonical"], found)
            elif crawl_id is not None:  # importing: record what each page is
                storage.save_page(db, _page_row(capture, page, crawl_id))
        for canonical, found in recaps.items():
            found["article_pages"] = _article_pages_of(found, article_pages)
            found["comment_pages"] = _comment_pages_of(found, comment_pages.get(canonical, {}))
        splits = _splits(pool, recaps)
        known = _listings(db, site)
        if known:  # what the feeds say where a page is silent (as the crawl does)
            splits = [(canonical, _with_listing(split, known)) for canonical, split in splits]
        stored = {
            r["url"]: r
            for r in db.query(
                "select url, content_sha256, last_seen, crawl_id, sources, comments_complete from recaps"
            )
        }
        for canonical, split in splits:
            _save_split(db, result, canonical, split, recaps[canonical], stored.get(canonical), crawl_id)
    if crawl_id is not None:  # importing: later pages whose first page is not a stored recap
        for pages in article_pages.values():
            for found in pages.values():
                row = _article_page_row(found, crawl_id, found["page"]["first"], "(not a stored recap)")
                storage.save_page(db, row)
    storage.link_pages_to_recaps(db)
    return result


def _listings(db: Database, site: str | None) -> dict[str, Listing]:
    """When each post went up and who wrote it, as the stored feeds say (see ``RecapsSpider._feed``)."""
    where = "status = 200 and url in (select url from pages where kind = 'feed')"
    params: list = []
    if site:
        where += " and (url like ? or url like ?)"
        params = [f"http://{site}/%", f"https://{site}/%"]
    known: dict[str, Listing] = {}
    for capture in storage.iter_captures(db, where, params):
        add_listings(known, listings(parse_feed(capture.body), capture.final_url))
    return known


def _with_listing(split: dict, known: dict[str, Listing]) -> dict:
    if "error" in split:
        return split
    recap = with_listing(split["recap"], known)
    return split if recap is split["recap"] else {**split, "recap": recap, "hash": content_hash(recap)}


def _url_key(url: str | None) -> str:
    return (normalize_url(url or "") or "").rstrip("/")


def _article_pages_of(found: dict, article_pages: dict[str, dict[int, dict]]) -> list[dict]:
    """The stored later pages of a recap's article, in page order (taken out of ``article_pages``)."""
    for url in (found["capture"].final_url, found["page"]["canonical"]):
        pages = article_pages.pop(_url_key(url), None)
        if pages:
            return [pages[number] for number in sorted(pages)]
    return []


def _comment_pages_of(found: dict, pages: dict[int, tuple[storage.Capture, str]]) -> list:
    """A recap's stored comment pages other than its own page, ``(capture, text)`` by page number."""
    url = found["capture"].final_url
    return [pages[number] for number in sorted(pages) if pages[number][0].final_url != url]


def _read_stored(db: Database, pool: ExtractPool, capture_ids: list[int]):
    """(capture, what ``read_stored_page`` found) for every capture, read in the pool's workers."""
    captures: deque[storage.Capture] = deque()

    def jobs():
        for capture_id in capture_ids:
            capture = storage.load_capture(db, capture_id)
            captures.append(capture)
            yield capture.body, _charset(capture), capture.final_url

    for page in pool.imap(read_stored_page, jobs()):
        yield captures.popleft(), page


def _splits(pool: ExtractPool, recaps: dict[str, dict]) -> list[tuple[str, dict]]:
    """Every recap's split, in order: the one made when its page was read, or (when it has comment
    pages or later pages) a new one with them."""
    again: dict[str, tuple] = {}
    for canonical, found in recaps.items():
        url = found["capture"].final_url
        pages = [(capture.final_url, text) for capture, text in found["comment_pages"]]
        later = [(p["capture"].final_url, p["page"]["text"]) for p in found["article_pages"]]
        if pages or later or found["page"]["split"] is None:
            again[canonical] = (found["page"]["text"], url, pages, later)
    resplit = dict(zip(again, pool.imap(split_stored_recap, again.values()), strict=True))
    return [
        (canonical, resplit.get(canonical) or found["page"]["split"]) for canonical, found in recaps.items()
    ]


def _save_split(db: Database, result: ReparseResult, canonical: str, split: dict, found: dict, old, crawl_id):
    result.recaps += 1
    capture = found["capture"]
    if "error" in split:
        logger.error("Could not split stored %s: %s", canonical, split["error"])
        result.failed.append(canonical)
        return
    if old is not None and old["content_sha256"] == split["hash"]:
        result.unchanged += 1
    else:
        storage.save_recap_changes(
            db,
            split["recap"],
            seen_at=old["last_seen"] if old else capture.fetched_at,
            crawl_id=old["crawl_id"] if old else crawl_id,
            sources=_sources(found, json.loads(old["sources"] or "[]") if old else []),
            comments_complete=bool(old["comments_complete"]) if old else True,
            keep_revision=False,
        )
        if old is None:
            result.new += 1
            if crawl_id is not None:
                storage.save_page(db, _page_row(capture, found["page"], crawl_id, is_recap=True))
        else:
            result.changed += 1
    if found["article_pages"]:
        result.merged += _merge_later_pages(db, split["recap"]["url"], found, crawl_id)


def _sources(found: dict, old: list[dict]) -> list[dict[str, str]]:
    """Every capture a recap was split from: its page, its later pages in page order, then its
    comment pages in the order the archive listed them (pages it did not list by number)."""
    listed = {source["url"]: rank for rank, source in enumerate(old)}
    comments = [capture for capture, _ in found["comment_pages"]]
    comments.sort(key=lambda capture: listed.get(capture.final_url, len(listed)))  # stable: by number
    captures = [found["capture"], *(page["capture"] for page in found["article_pages"]), *comments]
    return [{"url": capture.final_url, "sha256": capture.sha256} for capture in captures]


def _merge_later_pages(db: Database, url: str, found: dict, crawl_id: int | None) -> int:
    """Record a recap's later pages as its ``article_page`` rows; a recap an older version made of
    one of them is merged into it (``storage.fold_recap``). Returns how many were merged."""
    [(recap_id, seen_at)] = db.execute("select id, last_seen from recaps where url = ?", [url]).fetchall()
    merged = 0
    for later in found["article_pages"]:
        page_url = later["capture"].final_url
        for stale in dict.fromkeys(filter(None, [page_url, later["page"]["canonical"]])):
            merged += storage.fold_recap(db, stale, recap_id, seen_at)
        row = db.execute(
            "select kind, canonical_url, crawl_id from pages where url = ?", [page_url]
        ).fetchone()
        if crawl_id is not None or row is None or tuple(row[:2]) != ("article_page", url):
            storage.save_page(db, _article_page_row(later, crawl_id or (row and row[2]), url))
    return merged


def _article_page_row(found: dict, crawl_id: int | None, first: str, note: str = "") -> dict:
    """The ``pages`` row of a later page of an article (``first``: its recap's URL)."""
    capture, page = found["capture"], found["page"]
    return {
        "url": capture.final_url,
        "status": capture.status,
        "kind": "article_page",
        "is_recap": False,
        "content_type": capture.content_type.split(";")[0],
        "canonical_url": first,
        "title": page["title"],
        "reason": " ".join(filter(None, [f"page {page['article_page']} of {first}", note])),
        "size": page["size"],
        "fetched_at": capture.fetched_at,
        "crawl_id": crawl_id,
        "capture_id": capture.id,
    }


def _page_row(capture: storage.Capture, page: dict, crawl_id: int, is_recap: bool = False) -> dict:
    return {
        "url": capture.final_url,
        "status": capture.status,
        "content_type": capture.content_type.split(";")[0],
        "kind": "recap" if is_recap else page["kind"],
        "is_recap": is_recap,
        "reason": None if is_recap else page["reason"],
        "canonical_url": page["canonical"],
        "title": page["title"],
        "size": page["size"],
        "fetched_at": capture.fetched_at,
        "crawl_id": crawl_id,
        "capture_id": capture.id,
    }


def site_of(url: str) -> str:
    return urlsplit(url).netloc

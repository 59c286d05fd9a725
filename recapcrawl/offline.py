"""Splitting stored captures again, with no network: ``recapcrawl reparse`` and ``import-warc``.

Every stored HTML capture (the newest per URL) is analysed; recap pages are grouped with their
comment pages (same post URL) and split with the current extraction code. A recap whose split
differs from the archived one is updated in place; the rest are left alone.
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlite_utils import Database

from . import storage
from .extraction import NotHTML, analyze, extract_recap
from .extraction.comments import comment_page_number
from .extraction.dom import read_document
from .extraction.metadata import strip_comment_page

logger = logging.getLogger(__name__)
_CHARSET = re.compile(r"charset=([\w.:-]+)", re.I)


@dataclass
class ReparseResult:
    """What a pass over the stored captures did."""

    pages: int = 0
    recaps: int = 0
    changed: int = 0
    new: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"{self.pages} stored pages read, {self.recaps} recaps: {self.changed} changed, "
                f"{self.new} new, {self.unchanged} unchanged, {len(self.failed)} failed")  # fmt: skip


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


def reparse(db: Database, site: str | None = None, crawl_id: int | None = None) -> ReparseResult:
    """Split every stored recap again with the current code and update the ones that changed.

    ``site`` limits it to one host (``example.org`` or ``127.0.0.1:8101``). No network is used.
    """
    result = ReparseResult()
    recaps: dict[str, dict] = {}
    comment_pages: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    for capture_id in _html_captures(db, site):
        capture = storage.load_capture(db, capture_id)
        result.pages += 1
        try:
            document = read_document(capture.body, _charset(capture))
            analysis = analyze(document.root, capture.final_url)
        except (NotHTML, ValueError) as exc:
            logger.info("Skipping stored page %s: %s", capture.final_url, exc)
            continue
        number = comment_page_number(capture.final_url)
        if number is not None:
            comment_pages[strip_comment_page(capture.final_url)][number] = (capture.final_url, document.text)
            continue
        if analysis.verdict.is_recap and not document.truncated:
            canonical = analysis.meta.canonical_url
            recaps.setdefault(canonical, {"analysis": analysis, "text": document.text, "capture": capture})
        elif crawl_id is not None:  # importing: record what each page is
            storage.save_page(db, _page_row(capture, analysis, crawl_id))
    stored = {r["url"]: r for r in db.query("select url, content_sha256, last_seen, crawl_id, sources, "
                                             "comments_complete from recaps")}  # fmt: skip
    for canonical, found in recaps.items():
        result.recaps += 1
        analysis, capture = found["analysis"], found["capture"]
        pages = [page for _, page in sorted(comment_pages.get(canonical, {}).items())]
        pages = [page for page in pages if page[0] != capture.final_url]
        try:
            recap = extract_recap(found["text"], capture.final_url, pages, analysis=analysis).to_dict()
        except Exception as exc:  # one recap that cannot be split must not stop the others
            logger.error("Could not split stored %s: %s", canonical, exc)
            result.failed.append(canonical)
            continue
        old = stored.get(canonical)
        if old is not None and old["content_sha256"] == storage.recaps.content_hash(recap):
            result.unchanged += 1
            continue
        storage.save_recap_changes(
            db,
            recap,
            seen_at=old["last_seen"] if old else capture.fetched_at,
            crawl_id=old["crawl_id"] if old else crawl_id,
            sources=json.loads(old["sources"] or "[]") if old else [{"url": capture.final_url,
                                                                      "sha256": capture.sha256}],
            comments_complete=bool(old["comments_complete"]) if old else True,
            keep_revision=False,
        )  # fmt: skip
        if old is None:
            result.new += 1
            if crawl_id is not None:
                storage.save_page(db, _page_row(capture, analysis, crawl_id, is_recap=True))
        else:
            result.changed += 1
    storage.link_pages_to_recaps(db)
    return result


def _page_row(capture: storage.Capture, analysis, crawl_id: int, is_recap: bool = False) -> dict:
    return {
        "url": capture.final_url,
        "status": capture.status,
        "content_type": capture.content_type.split(";")[0],
        "kind": "recap" if is_recap else analysis.verdict.kind,
        "is_recap": is_recap,
        "reason": None if is_recap else analysis.verdict.reason,
        "canonical_url": analysis.meta.canonical_url,
        "title": analysis.meta.title,
        "size": len(capture.body),
        "fetched_at": capture.fetched_at,
        "crawl_id": crawl_id,
        "capture_id": capture.id,
    }


def site_of(url: str) -> str:
    return urlsplit(url).netloc

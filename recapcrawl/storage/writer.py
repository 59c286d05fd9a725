"""``ArchiveWriter``: the one writer of crawl items into the archive, for the crawl's archive pipeline
and for the distributed ingester.

Items are plain dicts with a ``type`` (see ``recapcrawl.crawler.items``): a capture, a split recap, a
recap whose pages did not change, or page rows. They are written in batches: ``write`` opens a
transaction when none is open, ``commit`` ends it. Recaps wait for the batch's end and are written
together (``save_recaps``); when that fails they are written one by one, and a recap that cannot be
written even alone becomes an error row for its first page, so one bad recap loses nothing else.
A recap saved (or seen unchanged) with later pages of its article (``article_page`` rows: ``/slug/2/``)
folds away the recap an older version made of each such page (``fold_recap``), in the savepoint of
its save, so the two are written or dropped together.
``rollback`` drops the open batch (the caller writes its items again, e.g. one per batch).

Writing an item twice stores it once: recaps and pages are upserts on their URL, and a capture
already stored (same URL, sha256 and fetch time) is not stored again. A page row points at its
capture: the one written in this batch or earlier, else ``known_capture(url)`` (what the crawl state
knows), else the newest capture of that URL in this crawl.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from .captures import latest_capture_ids, save_capture, sha256_of
from .pages import save_page
from .recaps import SavedRecap, fold_recap, save_recaps, touch_recap

logger = logging.getLogger(__name__)

PAGE = "page"
RECAP = "recap"
CAPTURE = "capture"
UNCHANGED_RECAP = "unchanged_recap"  # a recap whose pages are what the archive last split
_STORED_CAPTURE = "select max(id) from captures where url = ? and sha256 = ? and fetched_at = ?"
_RECAP_MADE_OF = (  # the recap an older version archived a page as (its ``pages`` row says so)
    "select recaps.url from pages join recaps on recaps.id = pages.recap_id"
    " where pages.url = ? and pages.is_recap = 1"
)


class ArchiveWriter:
    """Writes one crawl's items into ``db``; ``counts`` says what was written.

    ``counts``: ``captures``, ``duplicate_captures``, ``recaps`` (saved or unchanged), ``recaps_saved``,
    ``comments``, ``new_comments``, ``pages`` (rows of page items), ``page_rows`` (every row),
    ``errors`` (error rows) and ``recaps_folded`` (stale recaps of later pages folded away). What a
    rolled-back batch counted is taken off again.
    """

    def __init__(
        self, db: Database, crawl_id: int | None, known_capture: Callable[[str], int | None] | None = None
    ) -> None:
        self.db = db
        self.crawl_id = crawl_id
        self.known_capture = known_capture
        self.capture_ids: dict[str, int] = {}
        self.counts: Counter[str] = Counter()
        self._uncommitted: Counter[str] = Counter()
        self._recaps: list[dict[str, Any]] = []  # recap items waiting for the batch's end

    # ---------------------------------------------------------------- batches
    @property
    def in_batch(self) -> bool:
        return self.db.conn.in_transaction

    def begin(self) -> None:
        if not self.db.conn.in_transaction:
            self.db.execute("BEGIN")

    def commit(self) -> None:
        """Write the recaps waiting in the batch and commit it."""
        if self._recaps:
            recaps, self._recaps = self._recaps, []
            self._save_recaps(recaps)
        if self.db.conn.in_transaction:
            self.db.conn.commit()
        self._uncommitted.clear()

    def rollback(self) -> None:
        """Drop the open batch: its rows, its waiting recaps, the capture ids and counts it made."""
        if self.db.conn.in_transaction:
            self.db.conn.rollback()
        self._recaps = []
        self.capture_ids.clear()  # ids from the rolled-back transaction are gone
        self.counts.subtract(self._uncommitted)
        self._uncommitted.clear()

    def _count(self, name: str, n: int = 1) -> None:
        self.counts[name] += n
        self._uncommitted[name] += n

    # ---------------------------------------------------------------- items
    def write(self, item: dict[str, Any]) -> int | None:
        """Write one item in the open batch (opened if needed); a capture's id for a capture."""
        self.begin()
        kind = item.get("type")
        if kind == CAPTURE:
            return self._capture(item)
        if kind == RECAP:
            self._recaps.append(item)  # written with its batch by save_recaps
        elif kind == UNCHANGED_RECAP:
            recap_id = touch_recap(self.db, item["url"], self.crawl_id)
            self._count("recaps")
            if recap_id is not None:
                self._count("recaps_folded", self._fold_later_pages(item["pages"], recap_id))
            for page in item["pages"]:
                self.page(page, recap_id)
        else:
            pages = item.get("pages") or [item]
            for page in pages:
                self.page(page)
            self._count("pages", len(pages))
        return None

    def _capture(self, item: dict[str, Any]) -> int:
        packed = item.get("packed")
        digest = packed["sha256"] if packed else sha256_of(item["body"])
        params = [item["url"], digest, item["fetched_at"]]
        stored = self.db.conn.execute(_STORED_CAPTURE, params).fetchone()[0]
        if stored is None:
            stored = save_capture(
                self.db,
                item["url"],
                item["status"],
                item["headers"],
                item["body"],
                item["final_url"],
                item["fetched_at"],
                self.crawl_id,
                packed,
            )
            self._count("captures")
        else:
            self._count("duplicate_captures")
        self.capture_ids[item["url"]] = self.capture_ids[item["final_url"]] = stored
        return stored

    def capture_id(self, url: str) -> int | None:
        """The capture a page row of ``url`` points at (see the module's docstring)."""
        capture_id = self.capture_ids.get(url)
        if capture_id is None and self.known_capture is not None:
            capture_id = self.known_capture(url)
        if capture_id is None:
            where = "crawl_id = ? and (url = ? or final_url = ?)"
            capture_id = latest_capture_ids(self.db, where, [self.crawl_id, url, url]).get(url)
        return capture_id

    def page(self, page: dict[str, Any], recap_id: int | None = None) -> None:
        """One ``pages`` row (in the open batch, opened if needed)."""
        self.begin()
        row = dict(page, crawl_id=self.crawl_id, capture_id=self.capture_id(page["url"]))
        if recap_id is not None:
            row["recap_id"] = recap_id
        save_page(self.db, row)
        self._count("page_rows")
        if row.get("kind") == "error":
            self._count("errors")

    # ---------------------------------------------------------------- recaps, in batches
    def _save_recaps(self, items: list[dict[str, Any]]) -> None:
        elements = [
            {
                "recap": item["recap"],
                "sources": item.get("sources"),
                "comments_complete": item.get("complete", True),
            }
            for item in items
        ]
        try:
            saved: list[SavedRecap | None] = list(self._save_together(items, elements))
        except Exception:  # one bad recap must not lose its batch: write them one by one
            logger.exception("Could not write a batch of %d recaps; writing them one at a time", len(items))
            saved = [self._save_one(item, element) for item, element in zip(items, elements, strict=True)]
        for item, element, result in zip(items, elements, saved, strict=True):
            if result is None:
                self._unsaved(item, element["error"])
                continue
            self._count("recaps")
            self._count("recaps_saved")
            self._count("comments", len(item["recap"]["comments"]))
            self._count("new_comments", result.new_comments)
            for page in item["pages"]:
                self.page(page, result.recap_id)

    def _save_together(self, items: list[dict[str, Any]], elements: list[dict[str, Any]]) -> list[SavedRecap]:
        """Save recaps and fold away the stale recaps of their later pages, all or nothing."""
        with self.db.atomic():
            saved = save_recaps(self.db, elements, crawl_id=self.crawl_id)
            folded = sum(
                self._fold_later_pages(item["pages"], result.recap_id)
                for item, result in zip(items, saved, strict=True)
            )
        self._count("recaps_folded", folded)
        return saved

    def _save_one(self, item: dict[str, Any], element: dict[str, Any]) -> SavedRecap | None:
        try:
            return self._save_together([item], [element])[0]
        except Exception as exc:
            logger.error(
                "Could not write recap %s: %s: %s", element["recap"].get("url"), type(exc).__name__, exc
            )
            element["error"] = f"could not write the recap: {type(exc).__name__}: {exc}"
            return None

    def _fold_later_pages(self, pages: list[dict[str, Any]], recap_id: int) -> int:
        """Fold into ``recap_id`` the recaps an older version made of its later article pages: the
        recap at such a page's URL and the one that page's ``pages`` row was a recap row of (written
        before the page rows, which replace it). Returns how many were folded."""
        folded = 0
        for page in pages:
            if page.get("kind") != "article_page":
                continue
            made_of = [url for (url,) in self.db.execute(_RECAP_MADE_OF, [page["url"]])]
            for stale in dict.fromkeys([page["url"], *made_of]):
                folded += fold_recap(self.db, stale, recap_id)
        if folded:
            logger.info("Folded %d recaps of later pages into recap %d", folded, recap_id)
        return folded

    def _unsaved(self, item: dict[str, Any], reason: str) -> None:
        for page in item["pages"][:1]:
            self.page(dict(page, is_recap=False, kind="error", reason=reason))
        for page in item["pages"][1:]:
            self.page(page)

"""The ``pages`` table: every fetched URL and what became of it."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from .schema import PAGE_COLUMNS, now_iso


def save_page(db: Database, page: dict[str, Any]) -> None:
    """Record one fetched URL and what became of it (upsert on url)."""
    row = {key: page.get(key) for key in PAGE_COLUMNS}
    row["is_recap"] = int(bool(row.get("is_recap")))
    row["fetched_at"] = row.get("fetched_at") or now_iso()
    with db.atomic():
        db["pages"].upsert(row, pk="url")


def link_pages_to_recaps(db: Database) -> None:
    """Point every recap page row at its recap (by canonical URL)."""
    with db.atomic():
        db.execute(
            "update pages set recap_id = (select id from recaps where recaps.url = pages.canonical_url) "
            "where is_recap = 1"
        )

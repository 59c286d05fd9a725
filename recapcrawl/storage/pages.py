"""The ``pages`` table: every fetched URL and what became of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from .schema import PAGE_COLUMNS, now_iso

_COLUMNS = list(PAGE_COLUMNS)
# One statement (so atomic by itself): a URL seen again gets every column of its new row.
_UPSERT = (
    f"insert into pages ({', '.join(_COLUMNS)}) values ({', '.join('?' for _ in _COLUMNS)}) "
    f"on conflict(url) do update set {', '.join(f'{c} = excluded.{c}' for c in _COLUMNS if c != 'url')}"
)


def save_page(db: Database, page: dict[str, Any]) -> None:
    """Record one fetched URL and what became of it (upsert on url)."""
    row = {key: page.get(key) for key in _COLUMNS}
    row["is_recap"] = int(bool(row.get("is_recap")))
    row["fetched_at"] = row.get("fetched_at") or now_iso()
    with db.atomic():
        db.conn.execute(_UPSERT, list(row.values()))


def link_pages_to_recaps(db: Database) -> None:
    """Point every recap page row at its recap (by canonical URL), and every later page of an article
    (``article_page``) not linked yet at the recap of its first page."""
    with db.atomic():
        db.execute(
            "update pages set recap_id = (select id from recaps where recaps.url = pages.canonical_url) "
            "where is_recap = 1 or (kind = 'article_page' and recap_id is null)"
        )


def complete_from_feeds(
    db: Database,
    listed: dict[str, tuple[str | None, str | None]],
    key: Callable[[str], str],
    comment_key: Callable[[str, str], str],
    choose: Callable[[str | None, str | None], str | None],
) -> int:
    """Give recaps stored without a publication time (none, or only the day) or without an author what
    the feeds say of their URL (``listed`` by ``key``: when it went up, who wrote it): the time where
    ``choose(stored, listed)`` takes it, the author where none is stored; and the same time to comments
    stored with only their day (``listed`` by ``comment_key(recap URL, comment id)``). Returns how many
    recaps and comments changed.

    For recaps written before the feed that lists them was read. Their content hash stays the one of what
    their pages alone gave, so the next ``reparse`` (which reads the stored feeds first) rewrites them once.
    """
    changed = 0
    with db.atomic():
        rows = db.execute(
            "select id, url, published, author from recaps"
            " where published is null or published like '%T00:00:00+00:00' or author is null"
        ).fetchall()
        for recap_id, url, published, author in rows:
            when, who = listed.get(key(url), (None, None))
            chosen, writer = choose(published, when), author or who
            if (chosen, writer) != (published, author):
                db.execute(
                    "update recaps set published = ?, author = ? where id = ?", [chosen, writer, recap_id]
                )
                changed += 1
        comments = db.execute(
            "select comments.recap_id, comments.comment_id, comments.published, recaps.url from comments"
            " join recaps on recaps.id = comments.recap_id"
            " where comments.published is null or comments.published like '%T00:00:00+00:00'"
        ).fetchall()
        for recap_id, comment_id, published, url in comments:
            chosen = choose(published, listed.get(comment_key(url, str(comment_id)), (None, None))[0])
            if chosen != published:
                db.execute(
                    "update comments set published = ? where recap_id = ? and comment_id = ?",
                    [chosen, recap_id, comment_id],
                )
                changed += 1
    return changed

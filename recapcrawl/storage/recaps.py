"""Writing and reading recaps: one transaction per recap, revisions kept, comments never deleted."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import jsonify_if_needed

from ..shownames import normalize_show
from .schema import CHILD_COLUMNS, CHILD_TABLES, now_iso

# Export key → column, per child table, where the names differ; other keys are stored as they are.
CHILD_RENAMES: dict[str, dict[str, str]] = {
    "headings": {},
    "paragraphs": {},
    "bullets": {"list": "list_index"},
    "quotes": {},
    "comments": {"id": "comment_id"},
}
_BOOLEAN_COLUMNS = {"ordered", "is_post_author"}
_TEXT_ID_COLUMNS = {"comment_id", "parent_id"}
_LIFECYCLE_COLUMNS = ("first_seen", "last_seen", "removed_at")
TEXT_PARTS = ("headings", "paragraphs", "bullets", "quotes")
_VOLATILE_KEYS = {"first_seen", "last_seen", "word_count", "comment_count"}

EXPORT_RECAP_COLUMNS = [
    "url",
    "site",
    "title",
    "author",
    "author_url",
    "published",
    "modified",
    "show",
    "season",
    "episode",
    "episode_title",
    "categories",
    "tags",
    "platform",
    "word_count",
    "comment_count",
    "first_seen",
    "last_seen",
]


@dataclass
class SavedRecap:
    """What one save did: the recap's id and what changed."""

    recap_id: int
    new: bool
    text_changed: bool
    new_comments: int
    removed_comments: int


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def content_hash(recap: dict[str, Any]) -> str:
    """A fingerprint of what was split out of a recap (not when), to tell whether a re-split changed it."""
    content = {key: value for key, value in recap.items() if key not in _VOLATILE_KEYS}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def recap_row(recap: dict[str, Any], seen_at: str) -> dict[str, Any]:
    """The ``recaps`` row for one exported recap dict (see ``Recap.to_dict``)."""
    episodes = _as_list(recap.get("episode"))
    titles = _as_list(recap.get("episode_title"))
    paragraphs = recap.get("paragraphs", [])
    body_text = "\n\n".join(p["text"] for p in paragraphs)
    return {
        "url": recap["url"],
        "site": recap.get("site"),
        "title": recap.get("title"),
        "author": recap.get("author"),
        "author_url": recap.get("author_url"),
        "published": recap.get("published"),
        "modified": recap.get("modified"),
        "show": recap.get("show"),
        "show_key": normalize_show(recap.get("show")) or None,
        "season": recap.get("season"),
        "episode": episodes[0] if episodes else None,
        "episodes": _json(episodes),
        "episode_title": " / ".join(titles) if titles else None,
        "episode_titles": _json(titles),
        "categories": _json(recap.get("categories", [])),
        "tags": _json(recap.get("tags", [])),
        "platform": recap.get("platform"),
        "word_count": len(body_text.split()),
        "paragraph_count": len(paragraphs),
        "quote_count": len(recap.get("quotes", [])),
        "bullet_count": len(recap.get("bullets", [])),
        "comment_count": len(recap.get("comments", [])),
        "body_text": body_text,
        "last_seen": seen_at,
    }


def _from_column(column: str, value: Any) -> Any:
    return bool(value) if column in _BOOLEAN_COLUMNS else value


@dataclass(frozen=True)
class _ChildShape:
    """How one child table's rows are read from the export contract's items."""

    columns: tuple[str, ...]  # stored columns, after recap_id and position
    keys: tuple[str, ...]  # the item key for each column
    booleans: tuple[int, ...]  # indexes of the columns stored as 0/1
    text_ids: tuple[int, ...]  # indexes of the ids stored as text

    @classmethod
    def of(cls, table: str) -> _ChildShape:
        skipped = ("recap_id", "position", *_LIFECYCLE_COLUMNS)
        columns = tuple(column for column in CHILD_COLUMNS[table] if column not in skipped)
        keys = {column: key for key, column in CHILD_RENAMES[table].items()}
        return cls(
            columns,
            tuple(keys.get(column, column) for column in columns),
            tuple(i for i, column in enumerate(columns) if column in _BOOLEAN_COLUMNS),
            tuple(i for i, column in enumerate(columns) if column in _TEXT_ID_COLUMNS),
        )

    def values(self, recap_id: int, items: list[dict[str, Any]]) -> list[list[Any]]:
        """One row per item, ``[recap_id, position, *columns]``, in the items' order."""
        rows = []
        for position, item in enumerate(items):
            row = [recap_id, position, *map(item.get, self.keys)]
            for index in self.booleans:
                if row[index + 2] is not None:
                    row[index + 2] = int(bool(row[index + 2]))
            for index in self.text_ids:
                if row[index + 2] is not None:
                    row[index + 2] = str(row[index + 2])
            rows.append(row)
        return rows


_CHILD_SHAPES = {table: _ChildShape.of(table) for table in CHILD_RENAMES}
_COMMENT_COLUMNS = ("recap_id", "position", *_CHILD_SHAPES["comments"].columns, *_LIFECYCLE_COLUMNS)
_COMMENT_ID = _COMMENT_COLUMNS.index("comment_id")


def child_rows(recap_id: int, recap: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Rows for every child table of one recap, positions in document/thread order."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for table, shape in _CHILD_SHAPES.items():
        names = ("recap_id", "position", *shape.columns)
        items = recap.get(table, [])
        rows[table] = [dict(zip(names, row, strict=True)) for row in shape.values(recap_id, items)]
    return rows


def _child_item(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A child row back in the export contract's shape."""
    keys = {column: key for key, column in CHILD_RENAMES[table].items()}
    return {
        keys.get(column, column): _from_column(column, value)
        for column, value in row.items()
        if column not in ("recap_id", "position")
    }


def _stored_parts(db: Database, recap_id: int) -> dict[str, list[dict[str, Any]]]:
    return {
        table: [
            _child_item(table, row)
            for row in db.query(f"select * from [{table}] where recap_id = ? order by position", [recap_id])
        ]
        for table in TEXT_PARTS
    }


def _keep_revision(db: Database, recap_id: int, old: dict[str, Any], seen_at: str) -> None:
    previous = db.execute("select max(seen_until) from revisions where recap_id = ?", [recap_id]).fetchone()[
        0
    ]
    db.table("revisions").insert(
        {
            "recap_id": recap_id,
            "seen_from": previous or old["first_seen"],
            "seen_until": seen_at,
            "crawl_id": old["crawl_id"],
            "title": old["title"],
            "body_text": old["body_text"],
            "content": _json(_stored_parts(db, recap_id)),
        }
    )


_PLAIN_TYPES = frozenset({str, int, float, bool, bytes, type(None)})


def _insert_rows(db: Database, table: str, columns: tuple[str, ...], rows: list[list[Any]]) -> None:
    """Multi-row ``INSERT … VALUES (…), (…)``, as many rows per statement as SQLite allows.

    Values that are not plain SQLite types are converted as sqlite-utils' ``insert_all`` does.
    """
    per_statement = max(1, db.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns))
    head = f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) values "
    one = "(" + ", ".join("?" * len(columns)) + ")"
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        db.execute(head + ", ".join([one] * len(chunk)), _plain([value for row in chunk for value in row]))


def _plain(params: list[Any]) -> list[Any]:
    """Values SQLite stores as they are; anything else converted as sqlite-utils converts it."""
    if _PLAIN_TYPES.issuperset(map(type, params)):
        return params
    return [jsonify_if_needed(value) for value in params]


def _save_comments(
    db: Database, recap_id: int, rows: list[list[Any]], seen_at: str, complete: bool
) -> tuple[int, int]:
    """Upsert comments keeping first_seen; mark those gone from the site removed. Returns (new, removed).

    ``rows`` are ``_CHILD_SHAPES["comments"]`` rows, in thread order.
    """
    stored = {r["comment_id"]: r for r in db.query("select * from comments where recap_id = ?", [recap_id])}
    new, written = 0, []
    for row in rows:
        before = stored.pop(row[_COMMENT_ID], None)
        written.append([*row, before["first_seen"] if before else seen_at, seen_at, None])
        new += before is None
    gone = [r for r in stored.values() if r["removed_at"] is None] if complete else []
    kept = sorted(stored.values(), key=lambda r: r["position"])
    for offset, old in enumerate(kept, start=len(rows)):
        old["position"] = offset
        if complete and old["removed_at"] is None:
            old["removed_at"] = seen_at
        written.append([old[column] for column in _COMMENT_COLUMNS])
    db.execute("delete from comments where recap_id = ?", [recap_id])
    _insert_rows(db, "comments", _COMMENT_COLUMNS, written)
    return new, len(gone)


def _stored_row(
    recap: dict[str, Any],
    seen_at: str,
    crawl_id: int | None,
    sources: list[dict[str, str]] | None,
    comments_complete: bool,
) -> dict[str, Any]:
    """The full ``recaps`` row to store (without ``id`` and ``first_seen``)."""
    row = recap_row(recap, seen_at)
    row.update(
        crawl_id=crawl_id,
        sources=_json(sources or []),
        comments_complete=int(comments_complete),
        content_sha256=content_hash(recap),
    )
    return row


def _upsert(
    db: Database, recap: dict[str, Any], row: dict[str, Any], seen_at: str, complete: bool, keep: bool
) -> SavedRecap:
    """Insert or update one recap and its children (inside the caller's transaction)."""
    old = db.execute(
        "select id, first_seen, title, body_text, crawl_id from recaps where url = ?", [row["url"]]
    ).fetchone()
    if old:
        old = dict(zip(("id", "first_seen", "title", "body_text", "crawl_id"), old, strict=True))
        recap_id = old["id"]
        text_changed = (old["title"], old["body_text"]) != (row["title"], row["body_text"])
        if text_changed and keep:
            _keep_revision(db, recap_id, old, seen_at)
        row["first_seen"] = old["first_seen"] or seen_at
        assignments = ", ".join(f"[{column}] = ?" for column in row)
        db.execute(f"update recaps set {assignments} where id = ?", _plain([*row.values(), recap_id]))
        for table in TEXT_PARTS:
            db.execute(f"delete from [{table}] where recap_id = ?", [recap_id])
    else:
        row["first_seen"] = seen_at
        columns = ", ".join(f"[{column}]" for column in row)
        marks = ", ".join("?" * len(row))
        recap_id = db.execute(
            f"insert into recaps ({columns}) values ({marks})", _plain(list(row.values()))
        ).lastrowid
        text_changed = False
    for table in TEXT_PARTS:
        shape = _CHILD_SHAPES[table]
        _insert_rows(
            db, table, ("recap_id", "position", *shape.columns), shape.values(recap_id, recap.get(table, []))
        )
    comments = _CHILD_SHAPES["comments"].values(recap_id, recap.get("comments", []))
    new, removed = _save_comments(db, recap_id, comments, seen_at, complete)
    return SavedRecap(recap_id, old is None, text_changed, new, removed)


def save_recap_changes(
    db: Database,
    recap: dict[str, Any],
    seen_at: str | None = None,
    crawl_id: int | None = None,
    sources: list[dict[str, str]] | None = None,
    comments_complete: bool = True,
    keep_revision: bool = True,
) -> SavedRecap:
    """Upsert one recap with all its children in one transaction; keep the old text as a revision.

    ``comments_complete`` says every comment page was read, so a comment missing now was removed
    from the site (it is marked ``removed_at``, never deleted). ``keep_revision=False`` is for
    re-splitting stored captures, where the site did not change, only our reading of it.
    """
    seen_at = seen_at or now_iso()
    row = _stored_row(recap, seen_at, crawl_id, sources, comments_complete)
    with db.atomic():
        return _upsert(db, recap, row, seen_at, comments_complete, keep_revision)


class _NewRecaps:
    """Recaps not yet in the archive, their rows collected and written together by ``flush``."""

    def __init__(self, next_id: int) -> None:
        self.next_id = next_id
        self.recaps: list[dict[str, Any]] = []
        self.children: dict[str, list[list[Any]]] = {table: [] for table in CHILD_TABLES}

    def add(self, recap: dict[str, Any], row: dict[str, Any], seen_at: str) -> SavedRecap:
        recap_id, self.next_id = self.next_id, self.next_id + 1
        self.recaps.append({"id": recap_id, **row, "first_seen": seen_at})
        for table, shape in _CHILD_SHAPES.items():
            rows = shape.values(recap_id, recap.get(table, []))
            if table == "comments":
                rows = [[*comment, seen_at, seen_at, None] for comment in rows]
            self.children[table] += rows
        return SavedRecap(recap_id, True, False, len(recap.get("comments", [])), 0)

    def flush(self, db: Database) -> None:
        if not self.recaps:
            return
        columns = tuple(self.recaps[0])
        _insert_rows(db, "recaps", columns, [[row[c] for c in columns] for row in self.recaps])
        for table, rows in self.children.items():
            extra = _LIFECYCLE_COLUMNS if table == "comments" else ()
            _insert_rows(db, table, ("recap_id", "position", *_CHILD_SHAPES[table].columns, *extra), rows)
            rows.clear()
        self.recaps.clear()


def _archived_urls(db: Database, urls: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(urls), 500):
        chunk = urls[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(url for (url,) in db.execute(f"select url from recaps where url in ({marks})", chunk))
    return found


def save_recaps(
    db: Database, batch: list[dict[str, Any]], seen_at: str | None = None, crawl_id: int | None = None
) -> list[SavedRecap]:
    """Save a batch of recaps in one transaction (a SAVEPOINT inside an open one); results in order.

    Each element is ``{"recap": …}`` with optional ``sources``, ``comments_complete`` (default True)
    and ``keep_revision`` (default True): the same as ``save_recap_changes`` for each element in
    order, at one ``seen_at``. On an error nothing of the batch is written and the error propagates.
    New recaps are written together (one multi-row insert per table); a recap already archived, or
    seen earlier in the batch, goes through the update path after the new ones before it are written.
    """
    seen_at = seen_at or now_iso()
    rows = [
        _stored_row(e["recap"], seen_at, crawl_id, e.get("sources"), e.get("comments_complete", True))
        for e in batch
    ]
    results = []
    with db.atomic():
        archived = _archived_urls(db, [row["url"] for row in rows])
        new = _NewRecaps((db.execute("select max(id) from recaps").fetchone()[0] or 0) + 1)
        for element, row in zip(batch, rows, strict=True):
            if row["url"] in archived:
                new.flush(db)
                complete = element.get("comments_complete", True)
                keep = element.get("keep_revision", True)
                results.append(_upsert(db, element["recap"], row, seen_at, complete, keep))
            else:
                results.append(new.add(element["recap"], row, seen_at))
                archived.add(row["url"])
        new.flush(db)
    return results


def save_recap(db: Database, recap: dict[str, Any], seen_at: str | None = None) -> int:
    """Upsert one recap and its children in one transaction. Returns its id."""
    return save_recap_changes(db, recap, seen_at).recap_id


def touch_recap(db: Database, url: str, crawl_id: int | None, seen_at: str | None = None) -> int | None:
    """Record that a recap was seen again unchanged (no re-split). Returns its id, or None if unknown."""
    seen_at = seen_at or now_iso()
    with db.atomic():
        found = db.execute("select id from recaps where url = ?", [url]).fetchone()
        if not found:
            return None
        db.execute(
            "update recaps set last_seen = ?, crawl_id = ? where id = ?", [seen_at, crawl_id, found[0]]
        )
        db.execute(
            "update comments set last_seen = ? where recap_id = ? and removed_at is null", [seen_at, found[0]]
        )
    return found[0]


def fold_recap(db: Database, url: str, into: int, seen_at: str | None = None) -> bool:
    """Delete the recap at ``url``, a part of the recap ``into`` (a later page of its article that an
    older version archived as a recap of its own), with its text parts and revisions.

    Comments are never deleted: those ``into`` does not have move there, marked removed at
    ``seen_at`` (its split does not hold them). Page rows of the recap at ``url`` point at ``into``.
    Returns whether there was such a recap.
    """
    seen_at = seen_at or now_iso()
    with db.atomic():
        found = db.execute("select id from recaps where url = ?", [url]).fetchone()
        if found is None or found[0] == into:
            return False
        folded = found[0]
        after = db.execute("select coalesce(max(position), -1) + 1 from comments where recap_id = ?", [into])
        db.execute(
            "update comments set recap_id = ?, removed_at = coalesce(removed_at, ?), position = position + ?"
            " where recap_id = ? and comment_id not in (select comment_id from comments where recap_id = ?)",
            [into, seen_at, after.fetchone()[0], folded, into],
        )
        db.execute("update pages set recap_id = ? where recap_id = ?", [into, folded])
        for table in (*CHILD_TABLES, "revisions"):
            db.execute(f"delete from [{table}] where recap_id = ?", [folded])
        db.execute("delete from recaps where id = ?", [folded])
    return True


def _load_json(value: str | None) -> list:
    return json.loads(value) if value else []


def _shape_one_or_many(values: list) -> Any:
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def iter_recaps(db: Database, where: str = "", params: list | None = None) -> Iterator[dict[str, Any]]:
    """Every recap in the export contract's shape, oldest first, children in order.

    Comments removed from the site stay in the list with their ``removed_at`` date.
    """
    children: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for table in CHILD_TABLES:
        grouped: dict[int, list[dict[str, Any]]] = {}
        for row in db.query(f"select * from [{table}] order by recap_id, position"):
            grouped.setdefault(row["recap_id"], []).append(_child_item(table, row))
        children[table] = grouped
    query = "select * from recaps" + (f" where {where}" if where else "") + " order by published, id"
    for row in db.query(query, params or []):
        record = {key: row[key] for key in EXPORT_RECAP_COLUMNS}
        record["episode"] = _shape_one_or_many(_load_json(row["episodes"]))
        record["episode_title"] = _shape_one_or_many(_load_json(row["episode_titles"]))
        record["categories"] = _load_json(row["categories"])
        record["tags"] = _load_json(row["tags"])
        for table in CHILD_TABLES:
            record[table] = children[table].get(row["id"], [])
        yield record

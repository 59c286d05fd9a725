"""The archive's schema and every write to it. The one module that knows the tables.

Tables (see README "Data model"):

- ``recaps``      one row per recap, upserted on its canonical ``url``
- ``headings``    (recap_id, position) → level, text
- ``paragraphs``  (recap_id, position) → section, text
- ``bullets``     (recap_id, position) → list_index, ordered, depth, parent, heading, text
- ``quotes``      (recap_id, position) → kind, source, speaker, cite, section, text
- ``comments``    (recap_id, comment_id) → position (thread order), parent_id, depth, author, …
- ``pages``       every fetched URL: status, content type, kind, whether it became a recap and why not

A recap and all its children are written in one transaction, so a failure leaves the
previous version (or nothing) in place, never half a record.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

CHILD_TABLES = ("headings", "paragraphs", "bullets", "quotes", "comments")

RECAP_COLUMNS: dict[str, type] = {
    "id": int,
    "url": str,
    "site": str,
    "title": str,
    "author": str,
    "author_url": str,
    "published": str,
    "modified": str,
    "show": str,
    "season": int,
    "episode": int,
    "episodes": str,
    "episode_title": str,
    "episode_titles": str,
    "categories": str,
    "tags": str,
    "platform": str,
    "word_count": int,
    "paragraph_count": int,
    "quote_count": int,
    "bullet_count": int,
    "comment_count": int,
    "body_text": str,
    "first_seen": str,
    "last_seen": str,
}

CHILD_COLUMNS: dict[str, dict[str, type]] = {
    "headings": {"recap_id": int, "position": int, "level": int, "text": str},
    "paragraphs": {"recap_id": int, "position": int, "section": str, "text": str},
    "bullets": {
        "recap_id": int,
        "position": int,
        "list_index": int,
        "ordered": int,
        "depth": int,
        "parent": str,
        "heading": str,
        "text": str,
    },
    "quotes": {
        "recap_id": int,
        "position": int,
        "kind": str,
        "source": str,
        "speaker": str,
        "cite": str,
        "section": str,
        "text": str,
    },
    "comments": {
        "recap_id": int,
        "comment_id": str,
        "position": int,
        "parent_id": str,
        "depth": int,
        "author": str,
        "author_url": str,
        "published": str,
        "is_post_author": int,
        "page": int,
        "text": str,
    },
}

CHILD_PKS = {
    "headings": ("recap_id", "position"),
    "paragraphs": ("recap_id", "position"),
    "bullets": ("recap_id", "position"),
    "quotes": ("recap_id", "position"),
    "comments": ("recap_id", "comment_id"),
}

PAGE_COLUMNS: dict[str, type] = {
    "url": str,
    "status": int,
    "content_type": str,
    "kind": str,
    "is_recap": int,
    "reason": str,
    "recap_id": int,
    "canonical_url": str,
    "title": str,
    "size": int,
    "fetched_at": str,
}

FTS_CONFIG = {
    "recaps": ["title", "show", "body_text"],
    "quotes": ["text", "speaker"],
    "bullets": ["text"],
    "comments": ["text", "author"],
}

INDEXES = [
    ("recaps", ["show", "season", "episode"]),
    ("recaps", ["site"]),
    ("recaps", ["published"]),
    ("comments", ["recap_id", "position"]),
    ("comments", ["author"]),
    ("quotes", ["speaker"]),
    ("pages", ["recap_id"]),
    ("pages", ["kind"]),
]

VIEWS = {
    "episodes": """
select recaps.show, recaps.season, cast(episode.value as integer) as episode,
       count(*) as recap_count,
       count(distinct recaps.site) as site_count,
       sum(recaps.comment_count) as comment_count,
       min(recaps.published) as first_published
from recaps join json_each(recaps.episodes) as episode
where recaps.show is not null
group by recaps.show, recaps.season, episode.value
order by recaps.show, recaps.season, cast(episode.value as integer)
""",
    "shows": """
select show,
       count(distinct season) as season_count,
       count(distinct coalesce(season, '') || ':' || coalesce(episode, '')) as episode_count,
       count(*) as recap_count,
       sum(comment_count) as comment_count
from recaps
where show is not null
group by show
order by show
""",
}


def now_iso() -> str:
    """The current UTC time as ISO 8601 with offset, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def open_db(path: str | Path) -> Database:
    """Open (creating if needed) an archive with its full schema, in WAL mode."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
    db.execute("PRAGMA busy_timeout = 30000")
    db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    ensure_schema(db)
    return db


def ensure_schema(db: Database) -> None:
    """Create tables, indexes, full-text search and views; safe to call again."""
    if "recaps" not in db.table_names():
        db["recaps"].create(RECAP_COLUMNS, pk="id", not_null={"url"})
        db["recaps"].create_index(["url"], unique=True)
    for name, columns in CHILD_COLUMNS.items():
        if name not in db.table_names():
            db[name].create(
                columns,
                pk=CHILD_PKS[name],
                foreign_keys=[("recap_id", "recaps", "id")],
            )
    if "pages" not in db.table_names():
        db["pages"].create(PAGE_COLUMNS, pk="url", foreign_keys=[("recap_id", "recaps", "id")])
    for table, columns in INDEXES:
        db[table].create_index(columns, if_not_exists=True)
    for table, columns in FTS_CONFIG.items():
        if f"{table}_fts" not in db.table_names():
            db[table].enable_fts(columns, create_triggers=True, tokenize="porter")
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


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


def _to_column(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in _BOOLEAN_COLUMNS:
        return int(bool(value))
    if column in _TEXT_ID_COLUMNS:
        return str(value)
    return value


def _from_column(column: str, value: Any) -> Any:
    return bool(value) if column in _BOOLEAN_COLUMNS else value


def child_rows(recap_id: int, recap: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Rows for every child table of one recap, positions in document/thread order."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for table, renames in CHILD_RENAMES.items():
        columns = [c for c in CHILD_COLUMNS[table] if c not in ("recap_id", "position")]
        keys = {renames.get(key, key): key for key in [*columns, *renames]}
        rows[table] = [
            {
                "recap_id": recap_id,
                "position": position,
                **{column: _to_column(column, item.get(keys.get(column, column))) for column in columns},
            }
            for position, item in enumerate(recap.get(table, []))
        ]
    return rows


def save_recap(db: Database, recap: dict[str, Any], seen_at: str | None = None) -> int:
    """Upsert one recap and replace its children, all in one transaction. Returns its id."""
    seen_at = seen_at or now_iso()
    row = recap_row(recap, seen_at)
    with db.atomic():
        existing = db.execute("select id, first_seen from recaps where url = ?", [row["url"]]).fetchone()
        if existing:
            recap_id = existing[0]
            row["first_seen"] = existing[1] or seen_at
            db["recaps"].update(recap_id, row)
            for table in CHILD_TABLES:
                db.execute(f"delete from [{table}] where recap_id = ?", [recap_id])
        else:
            row["first_seen"] = seen_at
            recap_id = db["recaps"].insert(row).last_pk
        for table, rows in child_rows(recap_id, recap).items():
            if rows:
                db[table].insert_all(rows)
    return recap_id


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


# ---------------------------------------------------------------- reading back


def _load_json(value: str | None) -> list:
    return json.loads(value) if value else []


def _shape_one_or_many(values: list) -> Any:
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def _child_item(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A child row back in the export contract's shape."""
    keys = {column: key for key, column in CHILD_RENAMES[table].items()}
    return {
        keys.get(column, column): _from_column(column, value)
        for column, value in row.items()
        if column not in ("recap_id", "position")
    }


def iter_recaps(db: Database) -> Iterator[dict[str, Any]]:
    """Every recap in the export contract's shape, oldest first, children in order."""
    children: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for table in CHILD_TABLES:
        grouped: dict[int, list[dict[str, Any]]] = {}
        for row in db.query(f"select * from [{table}] order by recap_id, position"):
            grouped.setdefault(row["recap_id"], []).append(_child_item(table, row))
        children[table] = grouped
    for row in db.query("select * from recaps order by published, id"):
        record = {key: row[key] for key in EXPORT_RECAP_COLUMNS}
        record["episode"] = _shape_one_or_many(_load_json(row["episodes"]))
        record["episode_title"] = _shape_one_or_many(_load_json(row["episode_titles"]))
        record["categories"] = _load_json(row["categories"])
        record["tags"] = _load_json(row["tags"])
        for table in CHILD_TABLES:
            record[table] = children[table].get(row["id"], [])
        yield record


EXPORT_RECAP_COLUMNS = [
    "url", "site", "title", "author", "author_url", "published", "modified", "show", "season",
    "episode", "episode_title", "categories", "tags", "platform", "word_count", "comment_count",
    "first_seen", "last_seen",
]  # fmt: skip


def exportable_names(db: Database) -> list[str]:
    """Tables and views a user may export (FTS shadow tables left out)."""
    hidden = set()
    for table in FTS_CONFIG:
        hidden.update(n for n in db.table_names() if n.startswith(f"{table}_fts"))
    return [n for n in db.table_names() if n not in hidden] + db.view_names()


def iter_rows(db: Database, name: str) -> tuple[list[str], Iterable[tuple]]:
    """Column names and a row iterator for one table or view, in its natural order."""
    if name not in exportable_names(db):
        raise KeyError(name)
    cursor = db.execute(f"select * from [{name}]")
    columns = [d[0] for d in cursor.description]
    return columns, cursor


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """A read-only connection, for readers that must never write."""
    return sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)

"""The archive's schema: every table, column, key, index, full-text index and view, in one place.

Tables (see README "Data model"):

- ``recaps``      one row per recap, upserted on its canonical ``url``
- ``headings``    (recap_id, position) → level, text
- ``paragraphs``  (recap_id, position) → section, text
- ``bullets``     (recap_id, position) → list_index, ordered, depth, parent, heading, text
- ``quotes``      (recap_id, position) → kind, source, speaker, speaker_evidence, cite, section, text
- ``comments``    (recap_id, comment_id) → position (thread order), parent_id, depth, author, …,
                  first_seen, last_seen, removed_at (comments are never deleted)
- ``revisions``   earlier versions of a recap's text, with when they were seen
- ``pages``       every fetched URL: status, content type, kind, whether it became a recap and why not
- ``captures``    every fetched response: URL, final URL, status, headers, time, body's sha256
- ``bodies``      response bodies by sha256, gzip-compressed, each stored once
- ``crawls``      one row per crawl: when, what, settings that matter, counts, how it ended
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

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
    "show_key": str,
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
    "crawl_id": int,
    "sources": str,
    "comments_complete": int,
    "content_sha256": str,
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
        "speaker_evidence": str,
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
        "first_seen": str,
        "last_seen": str,
        "removed_at": str,
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
    "crawl_id": int,
    "capture_id": int,
    "comments_hosted_by": str,
}

CRAWL_COLUMNS: dict[str, type] = {
    "id": int,
    "started": str,
    "finished": str,
    "start_urls": str,
    "settings": str,
    "pages": int,
    "recaps": int,
    "new_comments": int,
    "errors": int,
    "resumed": int,
    "finish_reason": str,
}

BODY_COLUMNS: dict[str, type] = {"sha256": str, "data": bytes, "size": int, "stored_size": int}

CAPTURE_COLUMNS: dict[str, type] = {
    "id": int,
    "url": str,
    "final_url": str,
    "status": int,
    "content_type": str,
    "headers": str,
    "fetched_at": str,
    "sha256": str,
    "etag": str,
    "last_modified": str,
    "crawl_id": int,
}

REVISION_COLUMNS: dict[str, type] = {
    "id": int,
    "recap_id": int,
    "seen_from": str,
    "seen_until": str,
    "crawl_id": int,
    "title": str,
    "body_text": str,
    "content": str,
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
    ("pages", ["crawl_id"]),
    ("captures", ["url", "fetched_at"]),
    ("captures", ["crawl_id"]),
    ("captures", ["sha256"]),
    ("revisions", ["recap_id"]),
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
    "show_aliases": """
select show_key,
       (select r2.show from recaps r2 where r2.show_key = recaps.show_key
        group by r2.show order by count(*) desc, length(r2.show) limit 1) as show,
       group_concat(distinct show) as aliases,
       count(distinct site) as site_count,
       count(*) as recap_count
from recaps
where show_key is not null and show_key != ''
group by show_key
order by show_key
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
    # WAL with synchronous=NORMAL: commits survive a killed process (what we guard against); only a
    # power cut can lose the last ones, never corrupt the file.
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    ensure_schema(db)
    return db


def ensure_schema(db: Database) -> None:
    """Create tables, indexes, full-text search and views; safe to call again."""
    if "recaps" not in db.table_names():
        db.table("recaps").create(RECAP_COLUMNS, pk="id", not_null={"url"})
        db.table("recaps").create_index(["url"], unique=True)
    for name, columns in CHILD_COLUMNS.items():
        if name not in db.table_names():
            db.table(name).create(
                columns,
                pk=CHILD_PKS[name],
                foreign_keys=[("recap_id", "recaps", "id")],
            )
    if "crawls" not in db.table_names():
        db.table("crawls").create(CRAWL_COLUMNS, pk="id")
    if "bodies" not in db.table_names():
        db.table("bodies").create(BODY_COLUMNS, pk="sha256")
    if "captures" not in db.table_names():
        db.table("captures").create(
            CAPTURE_COLUMNS,
            pk="id",
            foreign_keys=[("sha256", "bodies", "sha256"), ("crawl_id", "crawls", "id")],
        )
    if "revisions" not in db.table_names():
        db.table("revisions").create(REVISION_COLUMNS, pk="id", foreign_keys=[("recap_id", "recaps", "id")])
    if "pages" not in db.table_names():
        db.table("pages").create(PAGE_COLUMNS, pk="url", foreign_keys=[("recap_id", "recaps", "id")])
    _add_missing_columns(db)
    for table, indexed in INDEXES:
        db.table(table).create_index(indexed, if_not_exists=True)
    for table, searched in FTS_CONFIG.items():
        if f"{table}_fts" not in db.table_names():
            db.table(table).enable_fts(searched, create_triggers=True, tokenize="porter")
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)


def _add_missing_columns(db: Database) -> None:
    """Bring an archive made by an older version up to date (columns are only ever added)."""
    wanted = {"recaps": RECAP_COLUMNS, "pages": PAGE_COLUMNS, **CHILD_COLUMNS}
    for table, columns in wanted.items():
        have = set(db.table(table).columns_dict)
        for name, kind in columns.items():
            if name not in have:
                db.table(table).add_column(name, kind)

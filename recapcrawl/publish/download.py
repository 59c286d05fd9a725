"""``/-/export/{table}.csv``: every row of a table or view as CSV, streamed (``recap_export`` plugin).

Datasette's own ``.csv?_stream=on`` queries 5,000 rows at a time and writes each row with Python's
csv module; here SQLite builds the lines (``csvlines``, the builder of ``recapcrawl export`` too),
a rowid range at a time, read as bytes on a worker thread and sent as they come, the next range
read while one is being sent. A table's values are all quoted (``quote_all``: no check of their
types, a third cheaper; NULL is written ``""``); a view's rows go through Python's csv writer.
Parsed back, the CSV equals Datasette's CSV of the same table: the same header (``rowid`` first
for a table without a primary key), NULL as an empty field, text and integers as stored. Rows come
in rowid (storage) order.

Only names the site publishes are served: tables and views of the archive database (``recaps``, or
the one database served) that are not hidden (``hidden`` in metadata, full-text shadow tables) and
that the actor may view; any other name is a 404. The name from the URL is only ever compared with
that list, never put into SQL itself.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncGenerator, Generator
from pathlib import Path

from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import Forbidden, NotFound, Response

from . import csvlines
from .serve import ARCHIVE_DB

BATCH_ROWS = 2_000  # rows per chunk read and sent (about half a megabyte of comments)


def archive_database(datasette):
    """The ``recaps`` database, or the only one served (an archive served under another name)."""
    if ARCHIVE_DB in datasette.databases:
        return datasette.databases[ARCHIVE_DB]
    served = [db for name, db in datasette.databases.items() if not name.startswith("_")]
    return served[0] if len(served) == 1 else None


async def published_names(db) -> set[str]:
    """Tables and views the site shows for ``db`` (hidden ones left out)."""
    names = set(await db.table_names()) | set(await db.view_names())
    return names - set(await db.hidden_table_names())


async def needs_rowid(db, table: str) -> bool:
    """Whether Datasette's CSV of ``table`` starts with ``rowid`` (a rowid table without a primary key)."""
    if table in await db.view_names() or await db.primary_keys(table):
        return False
    sql = (await db.execute("select sql from sqlite_master where name = ?", [table])).first()[0] or ""
    return "without rowid" not in " ".join(sql.lower().split())


def open_reader(db) -> sqlite3.Connection:
    """A connection of this export's own, opened as Datasette opens the file."""
    mode = "mode=ro" if db.is_mutable else "immutable=1"
    return sqlite3.connect(f"{Path(db.path).resolve().as_uri()}?{mode}", uri=True, check_same_thread=False)


def table_bytes(conn: sqlite3.Connection, table: str, rowid_first: bool) -> Generator[bytes, None, None]:
    """The header line, then the rows as chunks of CSV bytes."""
    columns, parts = csvlines.iter_csv(
        conn, table, chunk_rows=BATCH_ROWS, rowid_first=rowid_first, quote_all=True
    )
    yield csvlines.csv_line(columns)
    yield from csvlines.as_bytes(parts)


async def csv_chunks(db, table: str, rowid_first: bool) -> AsyncGenerator[bytes, None]:
    """The CSV's chunks, each read on a worker thread while the one before is sent."""
    loop = asyncio.get_running_loop()
    conn = open_reader(db)
    chunks = table_bytes(conn, table, rowid_first)
    pending = None
    try:
        pending = loop.run_in_executor(None, next, chunks, None)
        while (chunk := await pending) is not None:
            pending = loop.run_in_executor(None, next, chunks, None)
            yield chunk
    finally:
        if pending is not None and not pending.done():
            await asyncio.wait([pending])
        await loop.run_in_executor(None, chunks.close)
        conn.close()


async def empty_body() -> AsyncGenerator[bytes, None]:
    return
    yield b""  # an async generator that yields nothing


class CsvDownload:
    """A streamed CSV response whose body is sent as bytes, chunk by chunk (Datasette's
    ``AsgiStream`` writes text)."""

    def __init__(self, chunks: AsyncGenerator[bytes, None], filename: str):
        self.chunks = chunks
        self.filename = filename

    async def asgi_send(self, send) -> None:
        headers = [
            [b"content-type", b"text/csv; charset=utf-8"],
            [b"content-disposition", f'attachment; filename="{self.filename}"'.encode()],
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        try:
            async for chunk in self.chunks:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        finally:  # a client that went away stops the query and closes its connection
            await self.chunks.aclose()
        await send({"type": "http.response.body", "body": b""})


async def export_view(datasette, request):
    """The route: GET or HEAD of a published table or view's CSV."""
    if request.method not in ("GET", "HEAD"):
        return Response.text("Method not allowed", status=405)
    db = archive_database(datasette)
    table = tilde_decode(request.url_vars["table"])
    if db is None or db.path is None or table not in await published_names(db):
        raise NotFound(f"No table or view to export called {table!r}")
    await datasette.ensure_permissions(
        request.actor, [("view-table", (db.name, table)), ("view-database", db.name), "view-instance"]
    )
    if not datasette.setting("allow_csv_stream"):
        raise Forbidden("CSV streaming is disabled")
    if request.method == "HEAD":
        return CsvDownload(empty_body(), f"{table}.csv")
    return CsvDownload(csv_chunks(db, table, await needs_rowid(db, table)), f"{table}.csv")


def export_href(datasette, database: str, table: str) -> str | None:
    """The link to every row of ``table`` as CSV, for the archive database's pages."""
    db = archive_database(datasette)
    if db is None or db.name != database:
        return None
    return datasette.urls.path(f"/-/export/{tilde_encode(table)}.csv")


def template_vars(view_name, database, table, datasette) -> dict:
    """``extra_template_vars``: ``export_csv_href`` on table pages."""
    if view_name != "table" or not table:
        return {}
    return {"export_csv_href": export_href(datasette, database, table)}

"""Datasette plugin: every row of a table or view as CSV, streamed from one SQLite cursor.

    /-/export/{table}.csv      any table or view of the archive database that the site shows

Datasette's own ``.csv?_stream=on`` queries 5,000 rows at a time and writes each row with Python's
csv module; here SQLite builds every line (``printf`` with ``%w``, which doubles double quotes,
around each value), the lines are fetched as bytes in batches on a worker thread and sent as they
come. Parsed back, the CSV equals Datasette's CSV of the same table: the same header (``rowid``
first for a table without a primary key), NULL as an empty field, text and integers as stored.
Every field is quoted, so NULL reads back as "" just as in Datasette's CSV. Rows come in rowid
(storage) order. REAL values would be written with SQLite's 15 significant digits and BLOBs as raw
bytes; the archive's published tables hold neither.

Only names the site publishes are served: tables and views of the archive database (``recaps``, or
the one database served) that are not hidden (``hidden`` in metadata, full-text shadow tables) and
that the actor may view; any other name is a 404. The name from the URL is only ever compared with
that list, never put into SQL itself.
"""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
from collections.abc import AsyncGenerator
from pathlib import Path

from datasette import hookimpl
from datasette.utils import escape_sqlite, tilde_decode, tilde_encode
from datasette.utils.asgi import Forbidden, NotFound, Response

ARCHIVE_DB = "recaps"
BATCH_ROWS = 2_000  # lines per fetch and per body chunk (about half a megabyte of comments)
PRINTF_ARGS = 100  # values per printf call (SQLite allows 127 arguments to a function)


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


async def export_columns(db, table: str) -> tuple[list[str], bool]:
    """The CSV's columns as Datasette writes them, and whether the rows have a rowid to order by."""
    columns = await db.table_columns(table)
    if table in await db.view_names():
        return columns, False
    sql = (await db.execute("select sql from sqlite_master where name = ?", [table])).first()[0] or ""
    has_rowid = "without rowid" not in " ".join(sql.lower().split())
    if has_rowid and not await db.primary_keys(table):
        columns = ["rowid", *columns]
    return columns, has_rowid


def line_sql(table: str, columns: list[str], rowid_order: bool) -> str:
    """One CSV line per row, CRLF-terminated, every value quoted and NULL as ""."""
    parts = []
    for start in range(0, len(columns), PRINTF_ARGS):
        group = columns[start : start + PRINTF_ARGS]
        template = ",".join(['"%w"'] * len(group))
        values = ", ".join(f"coalesce({escape_sqlite(c)}, '')" for c in group)
        parts.append(f"printf('{template}', {values})")
    line = " || ',' || ".join(parts)
    order = " order by rowid" if rowid_order else ""
    return f"select {line} || char(13, 10) from {escape_sqlite(table)}{order}"


def header_line(columns: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(columns)
    return buffer.getvalue().encode("utf-8")


def open_reader(db) -> sqlite3.Connection:
    """A connection of this export's own, opened as Datasette opens the file; text comes as bytes."""
    mode = "mode=ro" if db.is_mutable else "immutable=1"
    conn = sqlite3.connect(f"{Path(db.path).resolve().as_uri()}?{mode}", uri=True, check_same_thread=False)
    conn.text_factory = bytes
    return conn


def next_batch(cursor: sqlite3.Cursor) -> bytes:
    return b"".join([row[0] for row in cursor.fetchmany(BATCH_ROWS)])


async def csv_chunks(db, sql: str, header: bytes) -> AsyncGenerator[bytes, None]:
    """The header, then the lines in batches; the next batch is fetched while one is being sent."""
    loop = asyncio.get_running_loop()
    conn = open_reader(db)
    pending = None
    try:
        cursor = await loop.run_in_executor(None, conn.execute, sql)
        yield header
        pending = loop.run_in_executor(None, next_batch, cursor)
        while chunk := await pending:
            pending = loop.run_in_executor(None, next_batch, cursor)
            yield chunk
    finally:
        if pending is not None and not pending.done():
            await asyncio.wait([pending])
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
    columns, rowid_order = await export_columns(db, table)
    sql = line_sql(table, columns, rowid_order)
    return CsvDownload(csv_chunks(db, sql, header_line(columns)), f"{table}.csv")


def export_href(datasette, database: str, table: str) -> str | None:
    """The link to every row of ``table`` as CSV, for the archive database's pages."""
    db = archive_database(datasette)
    if db is None or db.name != database:
        return None
    return datasette.urls.path(f"/-/export/{tilde_encode(table)}.csv")


@hookimpl
def register_routes():
    return [(r"^/-/export/(?P<table>[^/]+)\.csv$", export_view)]


@hookimpl
def extra_template_vars(view_name, database, table, datasette):
    if view_name != "table" or not table:
        return {}
    return {"export_csv_href": export_href(datasette, database, table)}

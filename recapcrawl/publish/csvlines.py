"""CSV of a whole table built by SQLite: the one CSV builder of ``recapcrawl export`` and ``/-/export/``.

Each row's line is one ``printf`` expression; a rowid range of lines is joined by ``group_concat``
and read as UTF-8 bytes, so Python never touches a value. Parsed, the lines equal Python's csv
writer's for the same values: text always quoted (``%w`` doubles double quotes), integers as
they are, NULL an empty field, ``\\r\\n`` line ends. A NULL in a text column is written as
``NULL_FIELD`` (a quoted 0xFF byte, which UTF-8 text never holds, so only a whole field can read
so) and removed from the chunk's bytes, which costs less than choosing the quotes in SQL. A value
SQLite would not write as Python does (a float, a blob) leaves its row without a line: that row
comes back as its values, as does every row of a view, for the caller's csv writer (``as_bytes``
is one). Rows come in rowid order, read
in one transaction: a consistent snapshot even while a crawl writes.
"""

from __future__ import annotations

import csv
import io
import queue
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple, TypeVar

T = TypeVar("T")
_DONE = object()

CHUNK_ROWS = 5_000  # rows per group_concat (about a megabyte of comments)
_TEXT_MARKERS = ("CHAR", "CLOB", "TEXT")
_MAX_PRINTF_ARGS = 120  # SQLite allows 127 arguments per function call by default
_MAX_COLUMNS = 200  # beyond this the guard would be too deep an expression
_ROWID_NAMES = {"rowid", "_rowid_", "oid"}
NULL_FIELD = b'"\xff"'


class CsvChunk(NamedTuple):
    """Whole CSV lines (``\\r\\n``-terminated, UTF-8) built by SQLite, and how many rows they hold."""

    data: bytes
    rows: int


def quote_name(name: str) -> str:
    """An SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def _cell(column: str, declared: str) -> tuple[str, list[str], str]:
    """printf format, its arguments and the guard for one column's value in a CSV line.

    The guard is false for a value SQLite would not write as Python's csv module does. Text is
    written up to a NUL character, if it has one, as ``sqlite3 -csv`` does (text parsed from HTML
    has none: lxml turns NUL into U+FFFD).
    """
    name = quote_name(column)
    if "INT" in declared.upper():
        return "%s", [name], f"typeof({name}) in ('integer', 'null')"
    if any(marker in declared.upper() for marker in _TEXT_MARKERS):
        guard = f"({name} is null or {name} < x'')"  # text sorts before every blob
        return '"%w"', [f"coalesce({name}, x'ff')"], guard
    quote = f"iif(typeof({name}) = 'text', '\"', '')"
    return "%s%w%s", [quote, f"coalesce({name}, '')", quote], f"typeof({name}) in ('integer', 'null', 'text')"


def _printf_groups(cells: list[tuple[str, list[str], str]]) -> list[str]:
    """``printf`` calls writing the cells in order, each within SQLite's limit on arguments."""
    groups: list[list[tuple[str, list[str], str]]] = [[]]
    for cell in cells:
        if sum(len(args) for _, args, _ in groups[-1]) + len(cell[1]) > _MAX_PRINTF_ARGS:
            groups.append([])
        groups[-1].append(cell)
    calls = []
    for number, group in enumerate(groups, start=1):
        ending = "\r\n" if number == len(groups) else ","
        formats = ",".join(fmt for fmt, _, _ in group) + ending
        calls.append(f"printf('{formats}', {', '.join(arg for _, args, _ in group for arg in args)})")
    return calls


def is_table(conn: sqlite3.Connection, name: str) -> bool:
    sql = "select 1 from sqlite_master where type = 'table' and name = ?"
    return conn.execute(sql, [name]).fetchone() is not None


def has_rowid(conn: sqlite3.Connection, name: str) -> bool:
    """Whether ``name`` is a table with a rowid (not a view, not WITHOUT ROWID)."""
    if not is_table(conn, name):
        return False
    try:
        conn.execute(f"select rowid from {quote_name(name)} limit 0")
    except sqlite3.OperationalError:
        return False
    return True


def table_columns(conn: sqlite3.Connection, name: str) -> list[tuple[str, str]]:
    """(name, declared type) of each column of a table or view."""
    return [(row[1], row[2] or "") for row in conn.execute(f"pragma table_info({quote_name(name)})")]


def line_sql(
    conn: sqlite3.Connection, name: str, rowid_first: bool = False, quote_all: bool = False
) -> str | None:
    """An expression for one row of table ``name`` as a CSV line, NULL where SQLite can't write it.

    None when the table has no usable rowid (views, WITHOUT ROWID tables), a single column (whose
    empty value Python's csv module writes as ``""``) or too many columns for one expression.
    ``rowid_first``: the rowid is the first field (Datasette's CSV of a table without a primary key).
    ``quote_all``: every value quoted and NULL as ``""``, with no check of the values' types (a
    REAL is written with SQLite's 15 significant digits, a BLOB as its bytes): a third cheaper, and
    what Datasette's CSV of the archive's tables (which hold neither) parses as.
    """
    if not has_rowid(conn, name):
        return None
    columns = table_columns(conn, name)
    if _ROWID_NAMES & {column.lower() for column, _ in columns}:
        return None
    if rowid_first:
        columns = [("rowid", "INTEGER"), *columns]
    if not 2 <= len(columns) <= _MAX_COLUMNS:
        return None
    if quote_all:
        quoted = [('"%w"', [f"coalesce({quote_name(column)}, '')"], "") for column, _ in columns]
        return " || ".join(_printf_groups(quoted))
    cells = [_cell(column, declared) for column, declared in columns]
    guard = " and ".join(guard for _, _, guard in cells)
    return f"iif({guard}, {' || '.join(_printf_groups(cells))}, null)"


def iter_csv(
    conn: sqlite3.Connection,
    name: str,
    chunk_rows: int = CHUNK_ROWS,
    rowid_first: bool = False,
    quote_all: bool = False,
) -> tuple[list[str], Iterator[CsvChunk | tuple]]:
    """The header's columns and every row of a table or view: ``CsvChunk``s of lines where SQLite
    can write them, else tuples of values. ``name`` must be a table or view (the caller checks);
    ``rowid_first`` and ``quote_all`` as for ``line_sql``."""
    columns = [column for column, _ in table_columns(conn, name)]
    if rowid_first:
        columns = ["rowid", *columns]
    line = line_sql(conn, name, rowid_first, quote_all)
    if line is None:
        select = "rowid, *" if rowid_first else "*"
        return columns, iter(conn.execute(f"select {select} from {quote_name(name)}"))
    return columns, _csv_chunks(conn, name, line, chunk_rows, rowid_first)


def _csv_chunks(
    conn: sqlite3.Connection, name: str, line: str, chunk_rows: int, rowid_first: bool
) -> Iterator[CsvChunk | tuple]:
    """The table in rowid ranges of about ``chunk_rows`` rows, each range's lines joined by SQLite.

    A row without a line stands in the joined text as a NUL, which no line can contain; such a
    range is read again row by row.
    """
    table = quote_name(name)
    lines = f"group_concat(coalesce({line}, char(0)), '')"
    chunk_sql = f"select {lines}, count(*) from {table} where rowid between ? and ?"
    with _read_transaction(conn):
        total, low, high = conn.execute(f"select count(*), min(rowid), max(rowid) from {table}").fetchone()
        if not total:
            return
        width = max(1, chunk_rows * (high - low + 1) // total)
        while low is not None and low <= high:
            last = min(low + width - 1, high)
            data, count = _fetch_bytes(conn, chunk_sql, [low, last])
            if count and b"\x00" in data:
                yield from _csv_rows(conn, name, line, low, last, rowid_first)
            elif count:
                yield CsvChunk(data.replace(NULL_FIELD, b""), count)
            else:
                low = conn.execute(f"select min(rowid) from {table} where rowid > ?", [last]).fetchone()[0]
                continue
            low = last + 1


def _csv_rows(
    conn: sqlite3.Connection, name: str, line: str, low: int, last: int, rowid_first: bool
) -> Iterator[CsvChunk | tuple]:
    """A range row by row: SQLite's line, or the row's values where it has none."""
    table = quote_name(name)
    select = "rowid, *" if rowid_first else "*"
    query = f"select rowid, {line} from {table} where rowid between ? and ? order by rowid"
    factory, conn.text_factory = conn.text_factory, bytes
    try:
        lines = conn.execute(query, [low, last]).fetchall()
    finally:
        conn.text_factory = factory
    for rowid, data in lines:
        if data is None:
            yield conn.execute(f"select {select} from {table} where rowid = ?", [rowid]).fetchone()
        else:
            yield CsvChunk(data.replace(NULL_FIELD, b""), 1)


def _fetch_bytes(conn: sqlite3.Connection, sql: str, params: list) -> tuple:
    """One row with its text as UTF-8 bytes: the lines go out without decoding and encoding."""
    factory, conn.text_factory = conn.text_factory, bytes
    try:
        return conn.execute(sql, params).fetchone()
    finally:
        conn.text_factory = factory


@contextmanager
def _read_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """Every query inside reads one snapshot (unless a transaction is already open)."""
    if conn.in_transaction:
        yield
        return
    conn.execute("begin")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("rollback")


def csv_line(values: Iterable) -> bytes:
    """One row as Python's csv writer writes it (``\\r\\n``-terminated), in UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue().encode("utf-8")


def as_bytes(parts: Iterable[CsvChunk | tuple], batch_rows: int = CHUNK_ROWS) -> Iterator[bytes]:
    """``iter_csv``'s rows as chunks of CSV bytes (rows of values are written in batches)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    pending = 0
    for part in parts:
        if isinstance(part, CsvChunk):
            if pending:
                yield _drain(buffer)
                pending = 0
            yield part.data
        else:
            writer.writerow(part)
            pending += 1
            if pending >= batch_rows:
                yield _drain(buffer)
                pending = 0
    if pending:
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def open_copy(conn: sqlite3.Connection) -> sqlite3.Connection | None:
    """A read-only connection to ``conn``'s database file, usable from any thread; None in memory."""
    path = conn.execute("pragma database_list").fetchone()[2]
    if not path:
        return None
    copy = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    try:
        copy.execute("select 1 from sqlite_master limit 1")
    except sqlite3.Error:
        copy.close()
        return None
    return copy


def prefetched(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """``items``, each produced on a thread of its own while the caller uses the one before
    (SQLite releases the GIL while it builds a chunk). Stopping early stops the thread."""
    ready: queue.Queue = queue.Queue(depth)
    stop = threading.Event()

    def offer(entry: tuple) -> bool:
        """Put ``entry`` on the queue unless the caller stopped; False once it has."""
        while not stop.is_set():
            try:
                ready.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer((item, None)):
                    return
            offer((_DONE, None))
        except BaseException as exc:  # handed to the caller
            offer((_DONE, exc))

    thread = threading.Thread(target=produce, name="csv-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item, error = ready.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        thread.join()

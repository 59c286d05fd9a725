"""Reading tables and views back for export."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from sqlite_utils import Database

from .schema import FTS_CONFIG


def exportable_names(db: Database) -> list[str]:
    """Tables and views a user may export (FTS shadow tables left out)."""
    hidden: set[str] = set()
    for table in FTS_CONFIG:
        hidden.update(n for n in db.table_names() if n.startswith(f"{table}_fts"))
    return [n for n in db.table_names() if n not in hidden] + db.view_names()


def iter_rows(db: Database, name: str) -> tuple[list[str], sqlite3.Cursor]:
    """Column names and a row iterator for one table or view, in its natural order."""
    if name not in exportable_names(db):
        raise KeyError(name)
    cursor = db.execute(f"select * from [{name}]")
    columns = [d[0] for d in cursor.description]
    return columns, cursor


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """A read-only connection, for readers that must never write."""
    return sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)


class CsvChunk(NamedTuple):
    """Whole CSV lines (``\\r\\n``-terminated, UTF-8) built by SQLite, and how many rows they hold."""

    data: bytes
    rows: int


_TEXT_MARKERS = ("CHAR", "CLOB", "TEXT")
_MAX_PRINTF_ARGS = 120  # SQLite allows 127 arguments per function call by default
_MAX_COLUMNS = 200  # beyond this the guard would be too deep an expression
_ROWID_NAMES = {"rowid", "_rowid_", "oid"}


def _cell(column: str, declared: str) -> tuple[str, list[str], str]:
    """printf format, its arguments and the guard for one column's value in a CSV line.

    Text is always quoted (``%w`` doubles the double quotes); NULL is an empty field; integers are
    written as they are. The guard is false for a value SQLite would not write as Python's csv
    module does: a float (Python writes its shortest repr) or a blob. Text is written up to a NUL
    character, if it has one, as ``sqlite3 -csv`` does (checking every value for one would cost
    a sixth of the export's time; text parsed from HTML has none: lxml turns NUL into U+FFFD).
    """
    name = '"' + column.replace('"', '""') + '"'
    if "INT" in declared.upper():
        return "%s", [name], f"typeof({name}) in ('integer', 'null')"
    if any(marker in declared.upper() for marker in _TEXT_MARKERS):
        quote = f"iif({name} is null, '', '\"')"
        guard = f"({name} is null or {name} < x'')"  # text sorts before every blob
        return "%s%w%s", [quote, f"coalesce({name}, '')", quote], guard
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


def csv_line_sql(db: Database, name: str) -> str | None:
    """An expression for one row of table ``name`` as a CSV line, NULL where SQLite can't write it.

    None when the table has no usable rowid (views, WITHOUT ROWID tables), a single column (whose
    empty value Python's csv module writes as ``""``) or too many columns for one expression.
    """
    if name not in db.table_names():
        return None
    columns = [(row[1], row[2] or "") for row in db.execute(f"pragma table_info([{name}])")]
    if not 2 <= len(columns) <= _MAX_COLUMNS or _ROWID_NAMES & {column.lower() for column, _ in columns}:
        return None
    try:
        db.execute(f"select rowid from [{name}] limit 0")
    except sqlite3.OperationalError:
        return None
    cells = [_cell(column, declared) for column, declared in columns]
    guard = " and ".join(guard for _, _, guard in cells)
    return f"iif({guard}, {' || '.join(_printf_groups(cells))}, null)"


def iter_csv(db: Database, name: str, chunk_rows: int = 5000) -> tuple[list[str], Iterator[CsvChunk | tuple]]:
    """Column names and every row of a table or view for a CSV export, in its natural order.

    A table's rows come as ``CsvChunk``s of lines built by SQLite (parsed, identical to Python's csv
    module's lines for the same values); a row SQLite can't write exactly, and every row of a view,
    comes as its tuple of values, for the caller's csv writer. One read transaction: a consistent
    snapshot even while a crawl writes.
    """
    columns, rows = iter_rows(db, name)
    line = csv_line_sql(db, name)
    if line is None:
        return columns, iter(rows)
    rows.close()
    return columns, _csv_chunks(db, name, line, chunk_rows)


def _csv_chunks(db: Database, name: str, line: str, chunk_rows: int) -> Iterator[CsvChunk | tuple]:
    """The table in rowid ranges of about ``chunk_rows`` rows, each range's lines joined by SQLite.

    A row without a line stands in the joined text as a NUL, which no line can contain; such a
    range is read again row by row.
    """
    lines = f"group_concat(coalesce({line}, char(0)), '')"
    chunk_sql = f"select {lines}, count(*) from [{name}] where rowid between ? and ?"
    with _read_transaction(db):
        total, low, high = db.execute(f"select count(*), min(rowid), max(rowid) from [{name}]").fetchone()
        if not total:
            return
        width = max(1, chunk_rows * (high - low + 1) // total)
        while low is not None and low <= high:
            last = min(low + width - 1, high)
            data, count = _fetch_bytes(db, chunk_sql, [low, last])
            if count and b"\x00" in data:
                yield from _csv_rows(db, name, line, low, last)
            elif count:
                yield CsvChunk(data, count)
            else:
                low = db.execute(f"select min(rowid) from [{name}] where rowid > ?", [last]).fetchone()[0]
                continue
            low = last + 1


def _csv_rows(db: Database, name: str, line: str, low: int, last: int) -> Iterator[CsvChunk | tuple]:
    """A range row by row: SQLite's line, or the row's values where it has none."""
    query = f"select rowid, {line} from [{name}] where rowid between ? and ? order by rowid"
    for rowid, text in db.execute(query, [low, last]).fetchall():
        if text is None:
            yield db.execute(f"select * from [{name}] where rowid = ?", [rowid]).fetchone()
        else:
            yield CsvChunk(text.encode(), 1)


def _fetch_bytes(db: Database, sql: str, params: list) -> tuple:
    """One row with its text as UTF-8 bytes: the lines go to the file without decoding and encoding."""
    factory, db.conn.text_factory = db.conn.text_factory, bytes
    try:
        return db.execute(sql, params).fetchone()
    finally:
        db.conn.text_factory = factory


@contextmanager
def _read_transaction(db: Database) -> Iterator[None]:
    """Every query inside reads one snapshot of the archive (unless a transaction is already open)."""
    if db.conn.in_transaction:
        yield
        return
    db.execute("begin")
    try:
        yield
    finally:
        if db.conn.in_transaction:
            db.execute("rollback")

"""Exports for analysts: JSON Lines of whole recaps, CSV or JSON of any table or view."""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO

from sqlite_utils import Database

from . import storage
from .publish import csvlines

# One encoder for every row (``json.dumps`` with options builds a new one per call); the same output.
_to_json = json.JSONEncoder(ensure_ascii=False).encode


def write_jsonl(db: Database, out: IO[str]) -> int:
    """One JSON object per recap (the export contract), one per line. Returns the count."""
    count = 0
    for recap in storage.iter_recaps(db):
        out.write(_to_json(recap) + "\n")
        count += 1
    return count


def write_csv(db: Database, name: str, out: IO[str]) -> int:
    """Every row of a table or view as CSV with a header row, no limit. Returns the row count.

    A table's lines are mostly built by SQLite (``publish.csvlines``, the builder Datasette's
    ``/-/export/`` uses too); rows it can't write exactly, and views, go through Python's csv
    writer. Parsed, both are the same.
    """
    if name not in storage.exportable_names(db):
        raise KeyError(name)
    own = csvlines.open_copy(db.conn)  # SQLite builds the next chunk while this one is written
    try:
        columns, parts = csvlines.iter_csv(own or db.conn, name)
        return _write_parts(columns, csvlines.prefetched(parts) if own else parts, out)
    finally:
        if own is not None:
            own.close()


def _write_parts(columns: list[str], parts: Iterable[csvlines.CsvChunk | tuple], out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow(columns)
    raw = getattr(out, "buffer", None) if _is_utf8(out) else None
    count = 0
    for part in parts:
        if isinstance(part, csvlines.CsvChunk):
            if raw is None:
                out.write(part.data.decode("utf-8"))
            else:
                out.flush()
                raw.write(part.data)
            count += part.rows
        else:
            writer.writerow(part)
            count += 1
    return count


def _is_utf8(out: IO[str]) -> bool:
    """Whether bytes of UTF-8 can go straight to ``out``'s binary buffer."""
    return codecs.lookup(getattr(out, "encoding", None) or "ascii").name == "utf-8"


def _json_rows(columns: list[str], rows) -> Iterator[str]:
    for row in rows:
        yield _to_json(dict(zip(columns, row, strict=True)))


def write_json(db: Database, name: str, out: IO[str]) -> int:
    """Every row of a table or view as a JSON array of objects, streamed. Returns the row count."""
    columns, rows = storage.iter_rows(db, name)
    count = 0
    out.write("[")
    for line in _json_rows(columns, rows):
        out.write(("\n" if count == 0 else ",\n") + line)
        count += 1
    out.write("\n]\n")
    return count

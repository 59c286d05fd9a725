"""Exports for analysts: JSON Lines of whole recaps, CSV or JSON of any table or view."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO

from sqlite_utils import Database

from . import storage


def write_jsonl(db: Database, out: IO[str]) -> int:
    """One JSON object per recap (the export contract), one per line. Returns the count."""
    count = 0
    for recap in storage.iter_recaps(db):
        out.write(json.dumps(recap, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(db: Database, name: str, out: IO[str]) -> int:
    """Every row of a table or view as CSV with a header row, no limit. Returns the row count."""
    columns, rows = storage.iter_rows(db, name)
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def _json_rows(columns: list[str], rows) -> Iterator[str]:
    for row in rows:
        yield json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False)


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

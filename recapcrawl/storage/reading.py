"""Reading tables and views back for export (the CSV lines themselves: ``publish.csvlines``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from sqlite_utils import Database

from .schema import FTS_CONFIG


def exportable_names(db: Database) -> list[str]:
    """Tables and views a user may export (FTS shadow tables left out)."""
    hidden: set[str] = set()
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

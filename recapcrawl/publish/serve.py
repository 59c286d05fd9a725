"""Serving the archive with Datasette, using the configuration in the repo's ``archive/``.

``archive/`` is a Datasette configuration directory (metadata.yml, settings.json, templates/,
plugins/). Whatever database path is served, those files are passed explicitly, so the same
titles, descriptions, facets, canned queries and reading view apply.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

ARCHIVE_DB = "recaps"  # the archive's name in Datasette (recaps.db); metadata.yml configures it
METADATA_FILE = "metadata.yml"
SETTINGS_FILE = "settings.json"


class ArchiveConfigMissing(FileNotFoundError):
    """The ``archive/`` Datasette configuration directory cannot be found."""


def archive_dir() -> Path:
    """The ``archive/`` configuration directory next to the package (editable install/checkout)."""
    path = Path(__file__).resolve().parents[2] / "archive"
    if not (path / METADATA_FILE).is_file():
        raise ArchiveConfigMissing(
            f"Datasette configuration not found at {path} (expected {METADATA_FILE}, templates/, plugins/). "
            "Run from a checkout of recapcrawl or install it editable: pip install -e ."
        )
    return path


def archive_settings(config: Path) -> dict[str, object]:
    """The settings from ``settings.json`` in the configuration directory ({} if absent)."""
    path = config / SETTINGS_FILE
    return json.loads(path.read_text()) if path.is_file() else {}


def setting_args(settings: dict[str, object]) -> list[str]:
    """``--setting NAME VALUE`` arguments, booleans spelled as Datasette expects."""
    args: list[str] = []
    for name, value in settings.items():
        text = ("on" if value else "off") if isinstance(value, bool) else str(value)
        args += ["--setting", name, text]
    return args


def datasette_command(
    db_path: str | Path, host: str = "127.0.0.1", port: int = 8001, immutable: bool = True
) -> list[str]:
    """The argv that serves ``db_path`` with Datasette and the archive's configuration."""
    config = archive_dir()
    db = str(Path(db_path))
    argv = [sys.executable, "-m", "datasette", "serve"]
    argv += ["-i", db] if immutable else [db]
    argv += ["--host", host, "--port", str(port)]
    argv += ["--metadata", str(config / METADATA_FILE)]
    for option, folder in (("--template-dir", "templates"), ("--plugins-dir", "plugins")):
        if (config / folder).is_dir():
            argv += [option, str(config / folder)]
    return argv + setting_args(archive_settings(config))


def checkpoint_wal(db_path: str | Path) -> None:
    """Fold a leftover write-ahead log into the database file.

    An immutable (``-i``) open ignores the ``-wal`` file, so rows a crashed crawl left there
    would be invisible. Checkpointing moves them into the main file without changing content.
    """
    wal = Path(f"{db_path}-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return
    conn = sqlite3.connect(str(db_path))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def crawl_is_writing(db_path: str | Path) -> bool:
    """True when another connection holds the archive open, as a running crawl does.

    In WAL mode SQLite deletes the ``-wal`` file when the last connection to the database
    closes. So if it is still there after a short connection of our own has opened and closed
    the database, someone else has it open. (A ``-wal`` file left by a crashed crawl is folded
    into the database and removed by that same connection.)
    """
    wal = Path(f"{db_path}-wal")
    if not wal.exists():
        return False
    conn = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=rw", uri=True, timeout=5)
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        conn.close()
    return wal.exists()


def open_immutable(db_path: str | Path, requested: bool = True) -> bool:
    """Whether to serve the archive immutable: when asked to, unless a crawl is writing to it.

    Immutable (``-i``) is fastest and lets Datasette count rows once, but SQLite then assumes
    the file never changes: serving a database a crawl is writing that way can show stale or
    inconsistent rows. Otherwise Datasette opens it read-only (``mode=ro``), seeing each new
    transaction as it commits; no request can write either way.
    """
    if not requested:
        return False
    if crawl_is_writing(db_path):
        print(
            f"{db_path} is open in another process (a crawl writing to it?): serving it read-only "
            "but not immutable, so new recaps show up as they are saved.",
            file=sys.stderr,
        )
        return False
    checkpoint_wal(db_path)
    return True


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001, immutable: bool = True) -> int:
    """Run Datasette on the archive until it exits or Ctrl-C; returns its exit code.

    Binds loopback unless told otherwise; read-only always, immutable unless a crawl is writing
    (see ``open_immutable``).
    """
    if not Path(db_path).is_file():
        raise FileNotFoundError(f"No archive database at {db_path}")
    immutable = open_immutable(db_path, immutable)
    process = subprocess.Popen(datasette_command(db_path, host=host, port=port, immutable=immutable))
    try:
        return process.wait()
    except KeyboardInterrupt:
        return stop(process)


def stop(process: subprocess.Popen, timeout: float = 10) -> int:
    """Pass Ctrl-C on to the server, then terminate it if it lingers; returns its exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.terminate()
        return process.wait()

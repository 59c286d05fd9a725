"""The archive section: ``export``, ``reparse``, ``import-warc`` and ``serve``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import db_option, require_archive


@click.group("archive")
def group() -> None:
    """Work with the archive: export, re-split, import WARC files, publish."""


@group.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "json", "warc"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one object per recap with all its parts; csv/json: one table or view; "
    "warc: every raw capture as WARC/1.1 (needs --output, .warc.gz for gzip).",
)
@click.option("--table", help="Table or view for csv/json (e.g. recaps, comments, quotes, episodes).")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    show_default=True,
    help="File to write, or - for standard output.",
)
def export(db_path: Path, fmt: str, table: str | None, output: str) -> None:
    """Export the archive, with no row limit.

    \b
    Examples:
        recapcrawl export --format jsonl --output recaps.jsonl
        recapcrawl export --format csv --table comments --output comments.csv
        recapcrawl export --format warc --output capture.warc.gz
    """
    from sqlite_utils import Database

    from .. import export as exporter
    from .. import storage

    require_archive(db_path)
    db = Database(db_path)
    if fmt == "warc":
        from ..storage.warc import write_warc

        if output == "-":
            raise click.UsageError("--format warc needs --output FILE.warc.gz")
        count = write_warc(db, output)
        click.echo(f"exported {count} captures to {output}", err=True)
        return
    if fmt != "jsonl":
        names = storage.exportable_names(db)
        if not table:
            raise click.UsageError(f"--format {fmt} needs --table (one of: {', '.join(names)})")
        if table not in names:
            raise click.ClickException(f"no table or view named {table!r}; choose from: {', '.join(names)}")
    out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8", newline="")  # noqa: SIM115
    try:
        if fmt == "jsonl":
            count = exporter.write_jsonl(db, out)
        elif table is None:  # checked above: csv and json need --table
            raise click.UsageError(f"--format {fmt} needs --table")
        elif fmt == "csv":
            count = exporter.write_csv(db, table, out)
        else:
            count = exporter.write_json(db, table, out)
    finally:
        if out is not sys.stdout:
            out.close()
    click.echo(f"exported {count} {'recaps' if fmt == 'jsonl' else 'rows'} to {output}", err=True)


@group.command()
@db_option
@click.option("--site", help="Only this host (e.g. reviews.example or 127.0.0.1:8101).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on standard output.")
def reparse(db_path: Path, site: str | None, as_json: bool) -> None:
    """Split every stored capture again with the current code; no network at all.

    Recaps whose split changed are updated in place (comments keep their first_seen).

    \b
    Example:
        recapcrawl reparse --db archive/recaps.db --site reviews.example
    """
    from .. import storage
    from ..offline import reparse as run_reparse

    require_archive(db_path)
    db = storage.open_db(db_path)
    result = run_reparse(db, site=site)
    db.close()
    if as_json:
        click.echo(json.dumps({**result.__dict__, "failed": result.failed}))
    else:
        click.echo(f"reparse: {result}", err=True)


@group.command("import-warc")
@click.argument("warc_files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@db_option
def import_warc(warc_files: tuple[str, ...], db_path: Path) -> None:
    """Archive the recaps in someone else's WARC files, without the network.

    \b
    Example:
        recapcrawl import-warc crawl-2024.warc.gz --db archive/recaps.db
    """
    from .. import storage
    from ..offline import reparse as run_reparse
    from ..storage.warc import read_warc_captures

    db = storage.open_db(db_path)
    for path in warc_files:
        crawl_id, _ = storage.start_crawl(db, [f"warc:{Path(path).name}"], {"source": str(path)})
        count = read_warc_captures(db, path, crawl_id)
        result = run_reparse(db, crawl_id=crawl_id)
        counts = {"pages": result.pages, "recaps": result.new + result.changed}
        storage.finish_crawl(db, crawl_id, counts, "imported")
        click.echo(f"{path}: {count} responses; {result}", err=True)
    db.close()


@group.command()
@db_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Interface to bind (loopback by default)."
)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option(
    "--mutable", is_flag=True, help="Read-only but not immutable (automatic while a crawl is writing)."
)
def serve(db_path: Path, host: str, port: int, mutable: bool) -> None:
    """Publish the archive with Datasette (read-only by default)."""
    from ..publish import serve as run_datasette

    require_archive(db_path)
    click.echo(f"Serving {db_path} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    sys.exit(run_datasette(db_path, host=host, port=port, immutable=not mutable))

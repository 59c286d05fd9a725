"""The ``recapcrawl`` command: a thin click layer over crawl, storage, export and publish."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

DEFAULT_DB = "archive/recaps.db"

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_DB,
    show_default=True,
    help="The SQLite archive.",
)


def _parse_settings(values: tuple[str, ...]) -> dict[str, str]:
    settings = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint="-s")
        settings[name.strip()] = setting
    return settings


@click.group()
@click.version_option(package_name="recapcrawl")
def cli() -> None:
    """Crawl TV recap articles and their comments into a SQLite archive, and publish it."""


@cli.command()
@click.argument("start_urls", nargs=-1, required=True)
@db_option
@click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy setting, as `scrapy crawl -s` does (repeatable).",
)
@click.option(
    "--contact", help="An e-mail address or URL added to the User-Agent so site owners can reach you."
)
@click.option(
    "--log-level",
    default=None,
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]),
    help="Scrapy's log level (default WARNING; INFO shows every page).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress line and no summary; errors only.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on standard output.")
def crawl(
    start_urls: tuple[str, ...],
    db_path: Path,
    settings: tuple[str, ...],
    contact: str | None,
    log_level: str | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Crawl one or more review sites into the archive.

    \b
    Example:
        recapcrawl crawl https://reviews.example/ --db archive/recaps.db --contact me@example.org
        recapcrawl crawl http://127.0.0.1:8101/ -s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=False
    """
    from .crawl import run_crawl

    overrides = {
        "LOG_LEVEL": "ERROR" if quiet else (log_level or "WARNING"),
        "RECAPCRAWL_PROGRESS": "False" if quiet else "True",
    }
    if contact:
        overrides["RECAPCRAWL_CONTACT"] = contact
    overrides.update(_parse_settings(settings))
    from .storage import ArchiveBusy, ArchiveLock

    try:
        lock = ArchiveLock(db_path).acquire()  # held for the whole crawl: one writer per archive
    except ArchiveBusy as exc:
        raise click.ClickException(str(exc)) from exc
    overrides["RECAPCRAWL_LOCK_HELD"] = "True"
    try:
        summary = run_crawl(list(start_urls), db_path, overrides)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        lock.release()
    if as_json:
        click.echo(json.dumps(summary.as_dict()))
    elif not quiet:
        click.echo(f"{summary} → {db_path}", err=True)


@cli.command()
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

    from . import export as exporter
    from . import storage

    if not db_path.exists():
        raise click.ClickException(f"no archive at {db_path}: run `recapcrawl crawl` first")
    db = Database(db_path)
    if fmt == "warc":
        from .storage.warc import write_warc

        if output == "-":
            raise click.UsageError("--format warc needs --output FILE.warc.gz")
        count = write_warc(db, output)
        click.echo(f"exported {count} captures to {output}", err=True)
        return
    if fmt != "jsonl":
        if not table:
            raise click.UsageError(
                f"--format {fmt} needs --table (one of: {', '.join(storage.exportable_names(db))})"
            )
        if table not in storage.exportable_names(db):
            raise click.ClickException(
                f"no table or view named {table!r}; choose from: {', '.join(storage.exportable_names(db))}"
            )
    out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8", newline="")  # noqa: SIM115
    try:
        if fmt == "jsonl":
            count = exporter.write_jsonl(db, out)
        elif fmt == "csv":
            count = exporter.write_csv(db, table, out)
        else:
            count = exporter.write_json(db, table, out)
    finally:
        if out is not sys.stdout:
            out.close()
    click.echo(f"exported {count} {'recaps' if fmt == 'jsonl' else 'rows'} to {output}", err=True)


@cli.command()
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
    from .publish import serve as run_datasette

    if not db_path.exists():
        raise click.ClickException(f"no archive at {db_path}: run `recapcrawl crawl` first")
    click.echo(f"Serving {db_path} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    sys.exit(run_datasette(db_path, host=host, port=port, immutable=not mutable))


@cli.command()
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
    from . import storage
    from .offline import reparse as run_reparse

    if not db_path.exists():
        raise click.ClickException(f"no archive at {db_path}: run `recapcrawl crawl` first")
    db = storage.open_db(db_path)
    result = run_reparse(db, site=site)
    db.close()
    if as_json:
        click.echo(json.dumps({**result.__dict__, "failed": result.failed}))
    else:
        click.echo(f"reparse: {result}", err=True)


@cli.command("import-warc")
@click.argument("warc_files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@db_option
def import_warc(warc_files: tuple[str, ...], db_path: Path) -> None:
    """Archive the recaps in someone else's WARC files, without the network.

    \b
    Example:
        recapcrawl import-warc crawl-2024.warc.gz --db archive/recaps.db
    """
    from . import storage
    from .offline import reparse as run_reparse
    from .storage.warc import read_warc_captures

    db = storage.open_db(db_path)
    for path in warc_files:
        crawl_id, _ = storage.start_crawl(db, [f"warc:{Path(path).name}"], {"source": str(path)})
        count = read_warc_captures(db, path, crawl_id)
        result = run_reparse(db, crawl_id=crawl_id)
        storage.finish_crawl(db, crawl_id, {"pages": result.pages, "recaps": result.new + result.changed},
                             "imported")  # fmt: skip
        click.echo(f"{path}: {count} responses; {result}", err=True)
    db.close()


redis_option = click.option(
    "--redis", "redis_url", required=True, metavar="URL", help="The shared Redis, e.g. redis://10.0.0.5:6379/0."
)


@cli.command()
@redis_option
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Scrapy setting (repeat).")
@click.option("--contact", help="An e-mail address or URL added to the User-Agent.")
@click.option("--idle-exit", type=float, default=0.0, help="Stop after N s with nothing to do anywhere.")
@click.option("--log-level", default="WARNING", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on standard output.")
def worker(redis_url: str, settings: tuple[str, ...], contact: str | None, idle_exit: float, log_level: str,
           as_json: bool) -> None:  # fmt: skip
    """Crawl from the shared Redis frontier (run any number, on any machines; see docs/distributed.md)."""
    from .distributed import commands

    overrides = {"LOG_LEVEL": log_level, **({"RECAPCRAWL_CONTACT": contact} if contact else {})}
    commands.worker(redis_url, {**overrides, **_parse_settings(settings)}, idle_exit, as_json)


@cli.command()
@redis_option
@click.argument("sites", nargs=-1, required=True)
@click.option("--fresh", is_flag=True, help="Forget the previous crawl's frontier and seen URLs first.")
@click.option("--force", is_flag=True, help="With --fresh: even while workers run or items wait.")
def enqueue(redis_url: str, sites: tuple[str, ...], fresh: bool, force: bool) -> None:
    """Add sites (start URLs) to the distributed crawl."""
    from .distributed import commands

    commands.enqueue(redis_url, list(sites), fresh, force)


@cli.command()
@redis_option
@db_option
@click.option("--until-idle", is_flag=True, help="Stop once no item is waiting and no worker is alive.")
@click.option("--idle", "idle_seconds", type=float, default=5.0, show_default=True, help="--until-idle: N s.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on standard output.")
def ingest(redis_url: str, db_path: Path, until_idle: bool, idle_seconds: float, as_json: bool) -> None:
    """Write the workers' items into the archive (the one writer; run exactly one)."""
    from .distributed import commands

    commands.ingest(redis_url, db_path, until_idle, idle_seconds, as_json)


@cli.command()
@redis_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def status(redis_url: str, as_json: bool) -> None:
    """Queue length, seen URLs, items waiting, workers alive."""
    from .distributed import commands

    commands.status(redis_url, as_json)


@cli.command("sample-site")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--port", default=8101, show_default=True, type=int, help="First port; the second blog uses port+1."
)
def sample_site(host: str, port: int) -> None:
    """Serve the bundled sample recap blogs (for trying recapcrawl without the internet)."""
    from .sample_site import SampleSites

    with SampleSites(host=host, ports=(port, port + 1)) as sites:
        for url in sites.urls:
            click.echo(url)
        _wait_for_interrupt()


@cli.command()
@db_option
@click.option("--port", default=8001, show_default=True, type=int, help="Datasette's port.")
@click.option("--site-port", default=0, type=int, help="First port for the sample blogs (0: any free port).")
@click.option("--no-serve", is_flag=True, help="Crawl and build the archive, but don't start Datasette.")
def demo(db_path: Path, port: int, site_port: int, no_serve: bool) -> None:
    """Crawl the bundled sample site into a fresh archive, then serve it with Datasette."""
    from .crawl import run_crawl
    from .publish import serve as run_datasette
    from .sample_site import SampleSites

    for stale in (
        db_path,
        db_path.with_name(db_path.name + "-wal"),
        db_path.with_name(db_path.name + "-shm"),
    ):
        stale.unlink(missing_ok=True)
    ports = (site_port, site_port + 1) if site_port else (0, 0)
    with SampleSites(ports=ports) as sites:
        click.echo(f"Sample blogs: {', '.join(sites.urls)}", err=True)
        summary = run_crawl(
            sites.urls,
            db_path,
            {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "WARNING"},
        )
    click.echo(f"Crawled: {summary} → {db_path}", err=True)
    if no_serve:
        return
    click.echo(f"Datasette: http://127.0.0.1:{port}/ (Ctrl-C stops)", err=True)
    sys.exit(run_datasette(db_path, host="127.0.0.1", port=port, immutable=True))


def _wait_for_interrupt() -> None:
    import time

    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--url", help="The URL the pages were saved from (default: each page's canonical link).")
@click.option("--indent", type=int, default=None, help="Indent the JSON (default: one object per line).")
def extract(files: tuple[str, ...], url: str | None, indent: int | None) -> None:
    """Print what the extractor finds in saved pages, one JSON object per file.

    \b
    recapcrawl extract saved/recap.html --url https://site.example/recap/ --indent 1
    """
    from .extract_cmd import run

    sys.exit(run(list(files), url, indent))


if __name__ == "__main__":
    cli()

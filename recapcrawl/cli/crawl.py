"""The crawl section: ``recapcrawl crawl URL…``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import db_option, parse_settings


@click.group("crawl")
def group() -> None:
    """Crawl review sites into the archive."""


@group.command()
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
    from ..crawl import run_crawl
    from ..storage import ArchiveBusy, ArchiveLock

    overrides = {
        "LOG_LEVEL": "ERROR" if quiet else (log_level or "WARNING"),
        "RECAPCRAWL_PROGRESS": "False" if quiet else "True",
    }
    if contact:
        overrides["RECAPCRAWL_CONTACT"] = contact
    overrides.update(parse_settings(settings))
    try:
        lock = ArchiveLock(db_path).acquire()  # held for the whole crawl: one writer per archive
    except ArchiveBusy as exc:
        raise click.ClickException(str(exc)) from exc
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

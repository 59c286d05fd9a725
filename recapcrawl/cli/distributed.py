"""The distributed section: ``worker``, ``enqueue``, ``ingest`` and ``status`` (see docs/distributed.md)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import click

from .common import db_option, parse_settings

redis_option = click.option(
    "--redis",
    "redis_url",
    required=True,
    metavar="URL",
    help="The shared Redis, e.g. redis://10.0.0.5:6379/0.",
)


@click.group("distributed")
def group() -> None:
    """Crawl with many workers sharing a Redis frontier."""


def connect(redis_url: str):
    """A Redis client that answered a PING, or a clear error (also when the extra is missing)."""
    try:
        import redis
        import scrapy_redis  # noqa: F401
    except ImportError as exc:
        raise click.ClickException(
            f"distributed crawls need the 'distributed' extra ({exc.name} is missing):"
            " pip install 'recapcrawl[distributed]'"
        ) from exc
    server = redis.Redis.from_url(redis_url)
    try:
        server.ping()
    except redis.RedisError as exc:
        where = urlsplit(redis_url)  # never print a password that is part of the URL
        raise click.ClickException(
            f"cannot reach Redis at {where.hostname}:{where.port or 6379}: {exc}"
        ) from exc
    return server


@group.command()
@redis_option
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Scrapy setting (repeat).")
@click.option("--contact", help="An e-mail address or URL added to the User-Agent.")
@click.option("--idle-exit", type=float, default=0.0, help="Stop after N s with nothing to do anywhere.")
@click.option("--log-level", default="WARNING", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on standard output.")
def worker(
    redis_url: str,
    settings: tuple[str, ...],
    contact: str | None,
    idle_exit: float,
    log_level: str,
    as_json: bool,
) -> None:
    """Crawl from the shared Redis frontier (run any number, on any machines; see docs/distributed.md)."""
    overrides = {"LOG_LEVEL": log_level, **({"RECAPCRAWL_CONTACT": contact} if contact else {})}
    overrides.update(parse_settings(settings))
    from ..distributed.worker import run_worker

    connect(redis_url)
    summary = run_worker(redis_url, overrides, idle_exit)
    click.echo(json.dumps(summary.as_dict()) if as_json else str(summary), err=not as_json)


@group.command()
@redis_option
@click.argument("sites", nargs=-1, required=True)
@click.option("--fresh", is_flag=True, help="Forget the previous crawl's frontier and seen URLs first.")
@click.option("--force", is_flag=True, help="With --fresh: even while workers run or items wait.")
def enqueue(redis_url: str, sites: tuple[str, ...], fresh: bool, force: bool) -> None:
    """Add sites (start URLs) to the distributed crawl."""
    from ..distributed.enqueue import enqueue_sites, reset

    server = connect(redis_url)
    try:
        if fresh:
            click.echo(f"forgot the previous crawl ({reset(server, force=force)} keys)", err=True)
        added = enqueue_sites(server, list(sites))
    except (ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"enqueued {len(added)} sites: {', '.join(added)}", err=True)


@group.command()
@redis_option
@db_option
@click.option("--until-idle", is_flag=True, help="Stop once no item is waiting and no worker is alive.")
@click.option("--idle", "idle_seconds", type=float, default=5.0, show_default=True, help="--until-idle: N s.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on standard output.")
def ingest(redis_url: str, db_path: Path, until_idle: bool, idle_seconds: float, as_json: bool) -> None:
    """Write the workers' items into the archive (the one writer; run exactly one)."""
    from ..distributed.ingest import IngesterBusy, run_ingest
    from ..storage import ArchiveBusy

    connect(redis_url)
    try:
        summary = run_ingest(redis_url, db_path, until_idle=until_idle, idle_seconds=idle_seconds)
    except (ArchiveBusy, IngesterBusy) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(summary.as_dict()) if as_json else f"{summary} → {db_path}", err=not as_json)


@group.command()
@redis_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def status(redis_url: str, as_json: bool) -> None:
    """Queue length, seen URLs, items waiting, workers alive."""
    from ..distributed.status import cluster_status, format_status

    figures = cluster_status(connect(redis_url))
    click.echo(json.dumps(figures) if as_json else format_status(figures))

"""What the ``worker``, ``enqueue``, ``ingest`` and ``status`` commands run (``recapcrawl/cli.py``
only declares their options)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click


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


def worker(redis_url: str, overrides: dict[str, Any], idle_exit: float, as_json: bool) -> None:
    from .worker import run_worker

    connect(redis_url)
    summary = run_worker(redis_url, overrides, idle_exit)
    click.echo(json.dumps(summary.as_dict()) if as_json else str(summary), err=not as_json)


def enqueue(redis_url: str, urls: list[str], fresh: bool, force: bool) -> None:
    from .enqueue import enqueue_sites, reset

    server = connect(redis_url)
    try:
        if fresh:
            click.echo(f"forgot the previous crawl ({reset(server, force=force)} keys)", err=True)
        sites = enqueue_sites(server, urls)
    except (ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"enqueued {len(sites)} sites: {', '.join(sites)}", err=True)


def ingest(redis_url: str, db_path: Path, until_idle: bool, idle_seconds: float, as_json: bool) -> None:
    from ..storage import ArchiveBusy
    from .ingest import IngesterBusy, run_ingest

    connect(redis_url)
    try:
        summary = run_ingest(redis_url, db_path, until_idle=until_idle, idle_seconds=idle_seconds)
    except (ArchiveBusy, IngesterBusy) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(summary.as_dict()) if as_json else f"{summary} → {db_path}", err=not as_json)


def status(redis_url: str, as_json: bool) -> None:
    from .status import cluster_status, format_status

    figures = cluster_status(connect(redis_url))
    click.echo(json.dumps(figures) if as_json else format_status(figures))

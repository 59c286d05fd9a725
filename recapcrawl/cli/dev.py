"""The dev section: ``extract`` (the extractor on saved pages), ``sample-site`` and ``demo``.

``recapcrawl extract FILE.html… [--url URL]`` prints one JSON object per file. Each object has the
export contract's keys (``Recap.to_dict``) plus ``body_text`` (the body as plain text, parts
separated by blank lines), ``platform`` (the profile used), ``body_source`` (the path that found
the body: ``profile``, ``generic-container``, ``trafilatura`` or ``generic-element``), the recap
verdict (``is_recap``, ``kind``, ``reason``) and ``comments_hosted_by`` (a third-party comment
widget, when the page embeds one). This is how to debug a site, and how the body benchmark is run.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from .common import db_option

_CANONICAL = re.compile(rb"""<link[^>]+rel=["']canonical["'][^>]*href=["']([^"']+)["']""", re.I)


@click.group("dev")
def group() -> None:
    """Try and debug recapcrawl: the extractor on saved pages, the sample blogs, the demo."""


def read_page(path: Path) -> bytes:
    """A saved page's bytes; ``.gz`` files (or gzip bytes) are decompressed."""
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def page_url(html: bytes, path: Path) -> str:
    """The URL a saved page says it has (its canonical link), else its ``file://`` URI."""
    match = _CANONICAL.search(html[:65536])
    return match.group(1).decode("utf-8", "replace") if match else path.resolve().as_uri()


def extract_page(html: bytes | str, url: str) -> dict[str, Any]:
    """Everything the extractor finds on one page, as a JSON-ready dict."""
    from ..extraction import analyze, extract_recap

    analysis = analyze(html, url)
    recap = extract_recap(html, url, analysis=analysis)
    result = recap.to_dict()
    result["body_text"] = recap.body_text
    result["platform"] = analysis.platform
    result["body_source"] = analysis.body_source
    result["is_recap"] = analysis.decided.is_recap
    result["kind"] = analysis.decided.kind
    result["reason"] = analysis.decided.reason
    result["comments_hosted_by"] = analysis.comments.hosted_by
    return result


def extract_files(paths: Iterable[Path], url: str | None = None) -> Iterator[dict[str, Any]]:
    """One result per file, in order; a file that can't be read or parsed gives ``{"file", "error"}``."""
    from ..extraction import NotHTML

    for path in paths:
        try:
            html = read_page(path)
            result = extract_page(html, url or page_url(html, path))
        except (OSError, NotHTML, ValueError, gzip.BadGzipFile) as exc:
            yield {"file": str(path), "error": f"{type(exc).__name__}: {exc}"}
            continue
        yield {"file": str(path), **result}


def run(paths: list[str], url: str | None = None, indent: int | None = None) -> int:
    """Print one JSON object per file (JSON Lines, or indented); exit status 1 when any file failed."""
    failed = False
    for result in extract_files([Path(p) for p in paths], url):
        failed = failed or "error" in result
        print(json.dumps(result, ensure_ascii=False, indent=indent))
    return 1 if failed else 0


@group.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--url", help="The URL the pages were saved from (default: each page's canonical link).")
@click.option("--indent", type=int, default=None, help="Indent the JSON (default: one object per line).")
def extract(files: tuple[str, ...], url: str | None, indent: int | None) -> None:
    """Print what the extractor finds in saved pages, one JSON object per file.

    \b
    recapcrawl extract saved/recap.html --url https://site.example/recap/ --indent 1
    """
    sys.exit(run(list(files), url, indent))


@group.command("sample-site")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--port", default=8101, show_default=True, type=int, help="First port; the second blog uses port+1."
)
def sample_site(host: str, port: int) -> None:
    """Serve the bundled sample recap blogs (for trying recapcrawl without the internet)."""
    from ..sample_site import SampleSites

    with SampleSites(host=host, ports=(port, port + 1)) as sites:
        for url in sites.urls:
            click.echo(url)
        wait_for_interrupt()


@group.command()
@db_option
@click.option("--port", default=8001, show_default=True, type=int, help="Datasette's port.")
@click.option("--site-port", default=0, type=int, help="First port for the sample blogs (0: any free port).")
@click.option("--no-serve", is_flag=True, help="Crawl and build the archive, but don't start Datasette.")
def demo(db_path: Path, port: int, site_port: int, no_serve: bool) -> None:
    """Crawl the bundled sample site into a fresh archive, then serve it with Datasette."""
    from ..crawl import run_crawl
    from ..publish import serve as run_datasette
    from ..sample_site import SampleSites

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


def wait_for_interrupt() -> None:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass

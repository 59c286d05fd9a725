"""``recapcrawl extract FILE.html… [--url URL]``: the extractor on saved pages, one JSON object per file.

Each object has the export contract's keys (``Recap.to_dict``) plus ``body_text`` (the body as
plain text, parts separated by blank lines), ``platform`` (the profile used), the recap verdict
(``is_recap``, ``kind``, ``reason``) and ``comments_hosted_by`` (a third-party comment widget,
when the page embeds one). This is how to debug a site, and how the body benchmark is run.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .extraction import NotHTML, analyze, extract_recap

_CANONICAL = re.compile(rb"""<link[^>]+rel=["']canonical["'][^>]*href=["']([^"']+)["']""", re.I)


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
    analysis = analyze(html, url)
    recap = extract_recap(html, url, analysis=analysis)
    result = recap.to_dict()
    result["body_text"] = recap.body_text
    result["platform"] = analysis.platform
    result["is_recap"] = analysis.verdict.is_recap
    result["kind"] = analysis.verdict.kind
    result["reason"] = analysis.verdict.reason
    result["comments_hosted_by"] = analysis.comments.hosted_by
    return result


def extract_files(paths: Iterable[Path], url: str | None = None) -> Iterator[dict[str, Any]]:
    """One result per file, in order; a file that can't be read or parsed gives ``{"file", "error"}``."""
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

"""What the spider hands to the pipelines: plain dicts with a ``type`` key.

- ``{"type": "page", ...}`` — one fetched URL that is not a recap (or failed), fields of ``PageOutcome``.
- ``{"type": "recap", "url", "html", "comment_pages": [(url, html)], "article_pages": [(url, html)],
  "pages": [PageOutcome dicts], "sources", "complete", "canonical", "split"}`` — a recap with every page
  of its comment thread and the later pages of the article itself (``/slug/2/``, in page order);
  ``split`` is the recap already split by the extraction worker that read it (one page, one comment
  page), else None and the split pipeline splits it.
- ``{"type": "capture", "url", "final_url", "status", "headers", "body", "fetched_at"[, "packed"]}`` — a
  raw response; ``packed`` is ``storage.pack_body(body)`` when a worker computed it.
- ``{"type": "unchanged_recap", "url", "pages"}`` — from the split pipeline: a recap whose pages are
  byte for byte what the archive last split.

``storage.ArchiveWriter`` writes them (split recaps as ``{"type": "recap", "recap", "pages", "sources",
"complete"}``).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..models import PageOutcome
from ..storage import now_iso
from ..storage.writer import CAPTURE, PAGE, RECAP, UNCHANGED_RECAP

__all__ = ["CAPTURE", "PAGE", "RECAP", "UNCHANGED_RECAP", "capture_item", "page_item", "recap_item"]
_DROPPED_HEADERS = {b"content-encoding", b"transfer-encoding", b"content-length"}


def page_item(outcome: PageOutcome) -> dict[str, Any]:
    return {"type": PAGE, **asdict(outcome)}


def recap_item(
    url: str,
    html: str,
    comment_pages: list[tuple[str, str]],
    pages: list[PageOutcome],
    sources: list[dict[str, str]] | None = None,
    complete: bool = True,
    article_pages: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    return {
        "type": RECAP,
        "url": url,
        "html": html,
        "comment_pages": comment_pages,
        "article_pages": article_pages or [],
        "pages": [asdict(p) for p in pages],
        "sources": sources or [],
        "complete": complete,
    }


def capture_item(response) -> dict[str, Any]:
    """A raw capture of one downloaded response: original and final URL, status, headers, body."""
    redirects = response.request.meta.get("redirect_urls") if response.request is not None else None
    # The body kept is the decoded one, so transfer and content encodings no longer apply to it.
    headers = {
        key.decode("latin-1"): [value.decode("latin-1") for value in values]
        for key, values in response.headers.items()
        if key.lower() not in _DROPPED_HEADERS
    }
    return {
        "type": CAPTURE,
        "url": redirects[0] if redirects else response.url,
        "final_url": response.url,
        "status": response.status,
        "headers": headers,
        "body": response.body,
        "fetched_at": now_iso(),
    }

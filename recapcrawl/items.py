"""What the spider hands to the pipelines: plain dicts with a ``type`` key.

- ``{"type": "page", ...}`` — one fetched URL that is not a recap (or failed), fields of ``PageOutcome``.
- ``{"type": "recap", "url", "html", "comment_pages": [(url, html)], "pages": [PageOutcome dicts],
  "analysis"}`` — a recap with every page of its comment thread, still unsplit.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .models import PageOutcome

PAGE = "page"
RECAP = "recap"


def page_item(outcome: PageOutcome) -> dict[str, Any]:
    return {"type": PAGE, **asdict(outcome)}


def recap_item(
    url: str, html: str, comment_pages: list[tuple[str, str]], pages: list[PageOutcome], analysis: Any = None
) -> dict[str, Any]:
    return {
        "type": RECAP,
        "url": url,
        "html": html,
        "comment_pages": comment_pages,
        "pages": [asdict(p) for p in pages],
        "analysis": analysis,
    }

"""What the spider hands to the pipelines: plain dicts with a ``type`` key, typed as ``TypedDict``s.

They stay plain dicts (not dataclasses) because they cross a process pool and Redis as dicts and JSON;
the ``TypedDict``s only name their keys for mypy.

- ``PageItem`` ``{"type": "page", ...}`` — one fetched URL that is not a recap (or failed), fields of
  ``PageOutcome`` (``PageRow``).
- ``RecapItem`` ``{"type": "recap", "url", "html", "comment_pages": [(url, html)], "article_pages":
  [(url, html)], "pages": [PageRow], "sources", "complete", "canonical", "split"}`` — a recap with every
  page of its comment thread and the later pages of the article itself (``/slug/2/``, in page order);
  ``split`` is the recap already split by the extraction worker that read it (one page, one comment
  page), else None and the split pipeline splits it.
- ``CaptureItem`` ``{"type": "capture", "url", "final_url", "status", "headers", "body",
  "fetched_at"[, "packed"]}`` — a raw response; ``packed`` is ``storage.pack_body(body)`` when a worker
  computed it.

The split pipeline turns a ``RecapItem`` into a ``SplitRecapItem`` ``{"type": "recap", "recap", "pages",
"sources", "complete"}``, an ``UnchangedRecapItem`` ``{"type": "unchanged_recap", "url", "pages"}`` (its
pages are byte for byte what the archive last split) or, when the split fails, a ``PageRowsItem``
``{"type": "page", "pages"}``. ``storage.ArchiveWriter`` writes those (``ArchiveItem``); the archive
pipeline passes a written capture on as a ``StoredCaptureItem`` ``{"type": "capture", "url",
"capture_id"}``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Final, Literal, TypeAlias, TypedDict, cast

from scrapy.http import Response

from ..models import PageOutcome
from ..storage import now_iso
from .readings import Packed, SplitRecap

__all__ = [
    "CAPTURE",
    "PAGE",
    "RECAP",
    "UNCHANGED_RECAP",
    "ArchiveItem",
    "CaptureItem",
    "PageItem",
    "PageRow",
    "PageRowsItem",
    "RecapItem",
    "Source",
    "SpiderItem",
    "SplitRecapItem",
    "StoredCaptureItem",
    "UnchangedRecapItem",
    "capture_item",
    "page_item",
    "page_row",
    "recap_item",
]

# The item types, as ``storage.writer`` spells them (tests/test_contracts.py checks they agree); declared
# here as ``Final`` so mypy reads them as the ``Literal`` types of the items' ``type`` keys.
PAGE: Final = "page"
RECAP: Final = "recap"
CAPTURE: Final = "capture"
UNCHANGED_RECAP: Final = "unchanged_recap"
_DROPPED_HEADERS = {b"content-encoding", b"transfer-encoding", b"content-length"}

Source: TypeAlias = dict[str, str]  # {"url": page URL, "sha256": its body's digest}, as storage keeps it


class PageRow(TypedDict):
    """A ``PageOutcome`` as a dict (``dataclasses.asdict``): one row of ``pages``."""

    url: str
    status: int | None
    content_type: str | None
    kind: str  # recap | comment_page | article_page | listing | page | feed | sitemap | robots | error | …
    is_recap: bool
    reason: str | None
    canonical_url: str | None
    title: str | None
    fetched_at: str | None
    size: int | None
    comments_hosted_by: str | None


class PageItem(PageRow):
    type: Literal["page"]


class PageRowsItem(TypedDict):
    """A recap that could not be split: its pages, the first one an error row."""

    type: Literal["page"]
    pages: list[PageRow]


class RecapItem(TypedDict):
    """A fetched recap with all its pages, as the spider hands it over (split or not)."""

    type: Literal["recap"]
    url: str
    html: str
    comment_pages: list[tuple[str, str]]  # (url, html) of every other comment page, in fetch order
    article_pages: list[tuple[str, str]]  # (url, html) of the article's later pages, in page order
    pages: list[PageRow]
    sources: list[Source]
    complete: bool  # every comment page was read
    canonical: str
    split: SplitRecap | None  # split already by the worker that read its only page


class SplitRecapItem(TypedDict):
    """A recap split by the split pipeline, as the archive writer stores it."""

    type: Literal["recap"]
    recap: SplitRecap
    pages: list[PageRow]
    sources: list[Source]
    complete: bool


class UnchangedRecapItem(TypedDict):
    type: Literal["unchanged_recap"]
    url: str
    pages: list[PageRow]


class _Capture(TypedDict):
    type: Literal["capture"]
    url: str  # the URL asked for (the first of a redirect chain)
    final_url: str
    status: int
    headers: dict[str, list[str]]
    body: bytes
    fetched_at: str


class CaptureItem(_Capture, total=False):
    # Optional through ``total=False``, not ``NotRequired``: with postponed annotations, Python 3.11's
    # ``__required_keys__`` would count a ``NotRequired`` key as required.
    packed: Packed  # storage.pack_body(body), when the worker that read the page computed it


class StoredCaptureItem(TypedDict):
    """A capture once written: the body is dropped, its row's id kept."""

    type: Literal["capture"]
    url: str
    capture_id: int | None


SpiderItem: TypeAlias = PageItem | RecapItem | CaptureItem  # what the spider yields
# What the split pipeline passes on, the archive writer writes and a distributed worker hands off.
ArchiveItem: TypeAlias = PageItem | PageRowsItem | SplitRecapItem | UnchangedRecapItem | CaptureItem


def page_row(outcome: PageOutcome) -> PageRow:
    return cast(PageRow, asdict(outcome))


def page_item(outcome: PageOutcome) -> PageItem:
    return {"type": PAGE, **page_row(outcome)}


def recap_item(
    url: str,
    html: str,
    comment_pages: list[tuple[str, str]],
    pages: list[PageOutcome],
    sources: list[Source] | None = None,
    complete: bool = True,
    article_pages: list[tuple[str, str]] | None = None,
    *,
    canonical: str,
    split: SplitRecap | None = None,
) -> RecapItem:
    return {
        "type": RECAP,
        "url": url,
        "html": html,
        "comment_pages": comment_pages,
        "article_pages": article_pages or [],
        "pages": [page_row(p) for p in pages],
        "sources": sources or [],
        "complete": complete,
        "canonical": canonical,
        "split": split,
    }


def capture_item(response: Response) -> CaptureItem:
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

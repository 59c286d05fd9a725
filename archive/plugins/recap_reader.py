"""Datasette plugin for the recapcrawl archive: the recap reading view and query links.

Hooks stay thin; the work is in plain functions. Everything crawled is handed to Jinja as
plain strings (autoescaped there); only http(s) URLs ever become hrefs.
"""

from __future__ import annotations

import copy
import json
from typing import Any
from urllib.parse import urlencode, urlsplit

from datasette import hookimpl
from datasette.utils import urlsafe_components
from markupsafe import Markup

ARCHIVE_DB = "recaps"
MAX_INDENT_DEPTH = 8
CHILD_SQL = {
    "headings": "select * from headings where recap_id = ? order by position",
    "paragraphs": "select * from paragraphs where recap_id = ? order by position",
    "bullets": "select * from bullets where recap_id = ? order by position",
    "quotes": "select * from quotes where recap_id = ? order by position",
    "comments": "select * from comments where recap_id = ? order by position",
}


def safe_href(url: Any) -> str | None:
    """The URL when it is an absolute http(s) URL without whitespace, else None."""
    if not isinstance(url, str) or not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def json_list(value: Any) -> list:
    """A JSON array column as a list ([] for empty or malformed values)."""
    try:
        loaded = json.loads(value) if value else []
    except (TypeError, ValueError):
        return []
    return loaded if isinstance(loaded, list) else [loaded]


def mark_quotes(text: str, quotes: list[dict]) -> tuple[list[dict], list[dict]]:
    """Split text into segments, marking the first occurrence of each quote.

    Returns (segments, quotes not found in text); a segment is {"text", "quote"}.
    """
    spans: list[tuple[int, int, dict]] = []
    unused = []
    for quote in quotes:
        needle = quote.get("text") or ""
        start = text.find(needle) if needle else -1
        while start != -1 and any(start < e and start + len(needle) > s for s, e, _ in spans):
            start = text.find(needle, start + 1)
        if start == -1:
            unused.append(quote)
        else:
            spans.append((start, start + len(needle), quote))
    segments, cursor = [], 0
    for start, end, quote in sorted(spans, key=lambda span: span[0]):
        if start > cursor:
            segments.append({"text": text[cursor:start], "quote": None})
        segments.append({"text": text[start:end], "quote": quote})
        cursor = end
    if cursor < len(text) or not segments:
        segments.append({"text": text[cursor:], "quote": None})
    return segments, unused


def body_blocks(headings: list[dict], paragraphs: list[dict], quotes: list[dict]) -> list[dict]:
    """Headings and paragraphs interleaved in document order, inline quotes marked."""
    blocks: list[dict] = []
    pending = list(headings)
    inline = [q for q in quotes if q.get("source") == "paragraph"]
    current = None
    for paragraph in paragraphs:
        section = paragraph.get("section")
        if section and section != current:
            index = next((i for i, h in enumerate(pending) if h["text"] == section), None)
            if index is not None:
                blocks += [heading_block(h) for h in pending[: index + 1]]
                pending = pending[index + 1 :]
            current = section
        segments, inline = mark_quotes(paragraph["text"] or "", inline)
        blocks.append({"type": "paragraph", "segments": segments})
    blocks += [heading_block(h) for h in pending]
    return blocks


def heading_block(heading: dict) -> dict:
    """A heading block, its level clamped to h2–h6 (h1 is the recap title)."""
    level = heading.get("level") if isinstance(heading.get("level"), int) else 2
    return {"type": "heading", "level": min(max(level, 2), 6), "text": heading["text"]}


def bullet_lists(bullets: list[dict]) -> list[dict]:
    """Bullets grouped into their lists, in order, each item with a clamped depth."""
    lists: dict[Any, dict] = {}
    for bullet in bullets:
        group = lists.setdefault(
            bullet.get("list_index"),
            {"ordered": bool(bullet.get("ordered")), "heading": bullet.get("heading"), "items": []},
        )
        group["items"].append({"text": bullet["text"], "depth": clamp_depth(bullet.get("depth"))})
    return list(lists.values())


def clamp_depth(depth: Any) -> int:
    """A depth usable for indentation: an int from 0 to MAX_INDENT_DEPTH."""
    return min(max(depth, 0), MAX_INDENT_DEPTH) if isinstance(depth, int) else 0


def comment_view(comment: dict) -> dict:
    """A comment ready for the template: clamped depth, safe author link, paragraphs."""
    text = comment.get("text") or ""
    return {
        **comment,
        "indent": clamp_depth(comment.get("depth")),
        "author_href": safe_href(comment.get("author_url")),
        "paragraphs": [p for p in text.split("\n\n") if p.strip()] or [text],
    }


def episode_links(datasette, database: str, recap: dict) -> list[dict]:
    """Links to the episode_across_sites query for each episode the recap covers."""
    if not recap.get("show") or recap.get("season") is None:
        return []
    base = datasette.urls.query(database, "episode_across_sites")
    links = []
    for episode in json_list(recap.get("episodes")):
        query = urlencode({"show": recap["show"], "season": recap["season"], "episode": episode})
        links.append({"episode": episode, "href": f"{base}?{query}"})
    return links


async def load_recap(datasette, database: str, recap_id: str) -> dict | None:
    """One recap with its children, shaped for the reading view; None if absent."""
    db = datasette.get_database(database)
    rows = (await db.execute("select * from recaps where id = ?", [recap_id])).rows
    if not rows:
        return None
    recap = dict(rows[0])
    children = {
        name: [dict(r) for r in (await db.execute(sql, [recap["id"]])).rows]
        for name, sql in CHILD_SQL.items()
    }
    return {
        **recap,
        "url_href": safe_href(recap.get("url")),
        "author_href": safe_href(recap.get("author_url")),
        "categories_list": json_list(recap.get("categories")),
        "tags_list": json_list(recap.get("tags")),
        "episode_links": episode_links(datasette, database, recap),
        "blocks": body_blocks(children["headings"], children["paragraphs"], children["quotes"]),
        "quotes": children["quotes"],
        "lists": bullet_lists(children["bullets"]),
        "comments": [comment_view(c) for c in children["comments"]],
    }


def is_recap_row_page(view_name: str, table: str | None, request) -> bool:
    """True for the row page of a recaps table."""
    return view_name == "row" and table == "recaps" and request is not None and "pks" in request.url_vars


def alias_metadata(datasette) -> dict:
    """Apply the ``recaps`` database metadata to a lone archive served under another name."""
    configured = (getattr(datasette, "_metadata_local", None) or {}).get("databases") or {}
    if ARCHIVE_DB not in configured or ARCHIVE_DB in datasette.databases:
        return {}
    names = [n for n in datasette.databases if not n.startswith("_") and n not in configured]
    return {"databases": {n: copy.deepcopy(configured[ARCHIVE_DB]) for n in names}} if names else {}


def recap_link(datasette, database: str, value: Any) -> Markup | None:
    """An HTML link to the recap's reading view for an integer recap id."""
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    href = datasette.urls.row(database, "recaps", str(value))
    return Markup('<a href="{}">{}</a>').format(href, value)


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
    if not is_recap_row_page(view_name, table, request):
        return {}

    async def inner():
        pk = urlsafe_components(request.url_vars["pks"])[0]
        return {"recap": await load_recap(datasette, database, pk)}

    return inner


@hookimpl
def render_cell(value, column, table, database, datasette):
    # Query results (table is None): make recap_id link to the reading view.
    if table is None and column == "recap_id":
        return recap_link(datasette, database, value)
    return None


@hookimpl
def get_metadata(datasette, key, database, table):
    return alias_metadata(datasette)

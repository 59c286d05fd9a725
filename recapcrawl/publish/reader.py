"""The recap reading view, the start page and the links between pages (``archive/plugins/recap_reader.py``).

- Reading view: ``templates/row-recaps-recaps.html`` gets ``recap`` (the recap with its headings,
  paragraphs, quotes, lists and comment thread, shaped for reading) from ``extra_template_vars``.
- Start page: ``templates/index.html`` gets ``recap_archives`` (shows, counts, top commenters).
- Links between pages (``render_cell``): titles and recap ids lead to the reading view, shows to
  their seasons and episodes, episode numbers to every recap of that episode across sites,
  commenters to their history.

Everything crawled is handed to Jinja as plain strings (autoescaped there) or through
``Markup.format`` (which escapes its arguments); only http(s) URLs ever become hrefs to other sites.
"""

from __future__ import annotations

import copy
import json
from typing import Any
from urllib.parse import urlencode, urlsplit

from datasette.utils import urlsafe_components
from markupsafe import Markup

from ..storage.schema import CHILD_TABLES
from .serve import ARCHIVE_DB

MAX_INDENT_DEPTH = 8
TOP_COMMENTERS = 8
CHILD_SQL = {name: f"select * from {name} where recap_id = ? order by position" for name in CHILD_TABLES}
SIBLINGS_SQL = """
select r.id, r.site, r.title, r.author, r.published, r.comment_count
from recaps r
where r.show = :show collate nocase and r.season is :season and r.id != :id
  and exists (
    select 1 from json_each(r.episodes) e where e.value in (select value from json_each(:episodes))
  )
order by r.published, r.site
"""
SHOWS_SQL = """
select r.show,
  count(distinct r.season) as season_count,
  (select count(*) from (
     select distinct r2.season, e.value from recaps r2, json_each(r2.episodes) e where r2.show = r.show
  )) as episode_count,
  count(*) as recap_count,
  count(distinct r.site) as site_count,
  coalesce(sum(r.comment_count), 0) as comment_count
from recaps r
where r.show is not null
group by r.show
order by r.show
"""
TOTALS_SQL = """
select count(*) as recap_count, count(distinct site) as site_count,
  coalesce(sum(comment_count), 0) as comment_count
from recaps
"""
COMMENTERS_SQL = f"""
select author, count(*) as comment_count from comments
where author is not null and author != ''
group by author order by comment_count desc, author limit {TOP_COMMENTERS}
"""


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


def query_href(datasette, database: str, query: str, **params: Any) -> str:
    """The path of a canned query with its parameters."""
    return f"{datasette.urls.query(database, query)}?{urlencode(params)}"


def mark_quotes(text: str, quotes: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """Split text into segments, marking the first occurrence of each quote.

    Returns (segments, quotes found, quotes not found in text); a segment is {"text", "quote"}.
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
    segments: list[dict[str, Any]] = []
    cursor = 0
    for start, end, quote in sorted(spans, key=lambda span: span[0]):
        if start > cursor:
            segments.append({"text": text[cursor:start], "quote": None})
        segments.append({"text": text[start:end], "quote": quote})
        cursor = end
    if cursor < len(text) or not segments:
        segments.append({"text": text[cursor:], "quote": None})
    return segments, [span[2] for span in spans], unused


def position(item: dict) -> int:
    return item["position"] if isinstance(item.get("position"), int) else 0


def body_blocks(
    headings: list[dict], paragraphs: list[dict], quotes: list[dict], lists: list[dict] | None = None
) -> list[dict]:
    """Headings, paragraphs, block quotes and lists in document order, inline quotes marked.

    Quotes found inside paragraphs (and list items) are marked where they are. Block quotes and
    pullquotes (source ``quote``) are not part of any paragraph: each goes into its section,
    before the first paragraph holding a later quote, or at the end of the section. Lists go at
    the end of the section they are under. Whatever matches no section comes last.
    """
    blocks: list[dict] = []
    pending = list(headings)
    inline = [q for q in quotes if q.get("source") == "paragraph"]
    standalone = sorted((q for q in quotes if q.get("source") == "quote"), key=position)
    unplaced = mark_list_quotes(lists or [], [q for q in quotes if q.get("source") == "bullet"])
    current: str | None = None

    def flush(section: str | None, before: int | None = None) -> None:
        nonlocal standalone, unplaced
        keep = []
        for quote in standalone:
            if quote.get("section") == section and (before is None or position(quote) < before):
                blocks.append({"type": "quote", "quote": quote})
            else:
                keep.append(quote)
        standalone = keep
        if before is None:
            blocks.extend(
                {"type": "list", "list": group} for group in unplaced if group["heading"] == section
            )
            unplaced = [group for group in unplaced if group["heading"] != section]

    def enter(heading: dict) -> None:
        nonlocal current
        flush(current)
        blocks.append(heading_block(heading))
        current = heading["text"]

    for paragraph in paragraphs:
        section = paragraph.get("section")
        if section and section != current:
            index = next((i for i, h in enumerate(pending) if h["text"] == section), None)
            if index is None:
                flush(current)
                current = section
            else:
                for heading in pending[: index + 1]:
                    enter(heading)
                pending = pending[index + 1 :]
        segments, found, inline = mark_quotes(paragraph["text"] or "", inline)
        if found:
            flush(current, before=min(position(q) for q in found))
        blocks.append({"type": "paragraph", "segments": segments})
    for heading in pending:
        enter(heading)
    flush(current)
    blocks += [{"type": "quote", "quote": q} for q in standalone]
    blocks += [{"type": "list", "list": group} for group in unplaced]
    return blocks


def heading_block(heading: dict) -> dict:
    """A heading block, its level clamped to h2–h6 (h1 is the recap title)."""
    level = given if isinstance(given := heading.get("level"), int) else 2
    return {"type": "heading", "level": min(max(level, 2), 6), "text": heading["text"]}


def bullet_lists(bullets: list[dict]) -> list[dict]:
    """Bullets grouped into their lists, in order, each item with a clamped depth."""
    lists: dict[Any, dict] = {}
    for bullet in bullets:
        group = lists.setdefault(
            bullet.get("list_index"),
            {"ordered": bool(bullet.get("ordered")), "heading": bullet.get("heading"), "items": []},
        )
        group["items"].append(
            {"text": bullet["text"], "depth": clamp_depth(bullet.get("depth")), "position": position(bullet)}
        )
    return list(lists.values())


def mark_list_quotes(lists: list[dict], quotes: list[dict]) -> list[dict]:
    """The lists with each item split into segments, its quotes marked (as in paragraphs)."""
    marked = []
    for group in lists:
        items = []
        for item in group["items"]:
            segments, _, quotes = mark_quotes(item["text"] or "", quotes)
            items.append({**item, "segments": segments})
        marked.append({**group, "items": items})
    return marked


def clamp_depth(depth: Any) -> int:
    """A depth usable for indentation: an int from 0 to MAX_INDENT_DEPTH."""
    return min(max(depth, 0), MAX_INDENT_DEPTH) if isinstance(depth, int) else 0


def quote_attribution(quote: dict) -> str:
    """“Speaker” or “Speaker (cite)”, or just the cite when it already names the speaker."""
    speaker, cite = quote.get("speaker") or "", quote.get("cite") or ""
    if cite and speaker and cite.startswith(speaker):
        return cite
    if cite and speaker:
        return f"{speaker} ({cite})"
    return speaker or cite


_INFERRED = {
    "pronoun": "speaker inferred: a he/she tag read as the person last named",
    "context": "speaker inferred from the paragraph's flow, not named beside the line",
}


def speaker_note(quote: dict) -> str:
    """A reader's note on how a quote's speaker was found, where the text beside it does not name them
    (``speaker_evidence`` ``pronoun`` or ``context``); "" otherwise."""
    return _INFERRED.get(quote.get("speaker_evidence") or "", "") if quote.get("speaker") else ""


def comment_view(datasette, database: str, comment: dict) -> dict:
    """A comment ready for the template: clamped depth, safe links, paragraphs."""
    text = comment.get("text") or ""
    author = comment.get("author")
    return {
        **comment,
        "indent": clamp_depth(comment.get("depth")),
        "author_href": safe_href(comment.get("author_url")),
        "history_href": query_href(datasette, database, "commenter_history", author=author)
        if author
        else None,
        "paragraphs": [p for p in text.split("\n\n") if p.strip()] or [text],
    }


def episode_links(datasette, database: str, recap: dict) -> list[dict]:
    """Links to the episode_across_sites query for each episode the recap covers."""
    if not recap.get("show"):
        return []
    season = "" if recap.get("season") is None else recap["season"]
    return [
        {
            "episode": episode,
            "href": query_href(
                datasette,
                database,
                "episode_across_sites",
                show=recap["show"],
                season=season,
                episode=episode,
            ),
        }
        for episode in json_list(recap.get("episodes"))
    ]


def show_links(datasette, database: str, show: str | None) -> dict:
    if not show:
        return {}
    return {
        "episodes": query_href(datasette, database, "show_episodes", show=show),
        "quotes": query_href(datasette, database, "most_quoted_lines", show=show),
        "discussed": query_href(datasette, database, "most_discussed", show=show),
    }


def recap_href(datasette, database: str, recap_id: Any) -> str:
    return datasette.urls.row(database, "recaps", str(recap_id))


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
    siblings = []
    if recap.get("show"):
        params = {
            "show": recap["show"],
            "season": recap.get("season"),
            "id": recap["id"],
            "episodes": recap.get("episodes") or "[]",
        }
        siblings = [
            {**dict(r), "href": recap_href(datasette, database, r["id"])}
            for r in (await db.execute(SIBLINGS_SQL, params)).rows
        ]
    quotes = [
        {**quote, "attribution": quote_attribution(quote), "speaker_note": speaker_note(quote)}
        for quote in children["quotes"]
    ]
    return {
        **recap,
        "url_href": safe_href(recap.get("url")),
        "author_href": safe_href(recap.get("author_url")),
        "categories_list": json_list(recap.get("categories")),
        "tags_list": json_list(recap.get("tags")),
        "episode_links": episode_links(datasette, database, recap),
        "show_links": show_links(datasette, database, recap.get("show")),
        "siblings": siblings,
        "blocks": body_blocks(
            children["headings"], children["paragraphs"], quotes, bullet_lists(children["bullets"])
        ),
        "quotes": quotes,
        "comments": [comment_view(datasette, database, c) for c in children["comments"]],
    }


async def archive_overview(datasette) -> list[dict]:
    """For the start page: each served archive with its totals, shows and busiest commenters."""
    archives = []
    for name, db in datasette.databases.items():
        if name.startswith("_") or not {"recaps", "comments"} <= set(await db.table_names()):
            continue
        totals = dict((await db.execute(TOTALS_SQL)).rows[0])
        shows = [
            {**dict(r), "links": show_links(datasette, name, r["show"])}
            for r in (await db.execute(SHOWS_SQL)).rows
        ]
        commenters = [
            {**dict(r), "href": query_href(datasette, name, "commenter_history", author=r["author"])}
            for r in (await db.execute(COMMENTERS_SQL)).rows
        ]
        archives.append(
            {
                "name": name,
                "totals": totals,
                "shows": shows,
                "commenters": commenters,
                "links": {
                    "recaps": datasette.urls.table(name, "recaps"),
                    "episodes": datasette.urls.table(name, "episodes"),
                    "comments": datasette.urls.table(name, "comments"),
                    "discussed": query_href(datasette, name, "most_discussed", show=""),
                    "quotes": query_href(datasette, name, "most_quoted_lines", show=""),
                    "search": datasette.urls.path("/-/search"),
                },
            }
        )
    return archives


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


def cell(row, column: str) -> Any:
    """A column of a result row, or None when the row has no such column."""
    try:
        return row[column]
    except (KeyError, IndexError, TypeError):
        return None


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def link(href: str, text: Any, css_class: str) -> Markup:
    return Markup('<a class="{}" href="{}">{}</a>').format(css_class, href, text)


def cell_link(datasette, database: str, table: str | None, row, column: str, value: Any) -> Markup | None:
    """The link a cell of a table, view or query result should be, if any (see module docs)."""
    if value is None or value == "":
        return None
    if table is None and column == "recap_id" and is_int(value):
        return link(recap_href(datasette, database, value), value, "recap-link")
    if column in ("title", "recap_title") and isinstance(value, str):
        recap_id = cell(row, "id") if table == "recaps" else cell(row, "recap_id") if table is None else None
        if is_int(recap_id):
            return link(recap_href(datasette, database, recap_id), value, "recap-link")
    if column == "show" and isinstance(value, str) and table in (None, "recaps", "episodes", "shows"):
        return link(query_href(datasette, database, "show_episodes", show=value), value, "show-link")
    if column == "episode" and is_int(value) and table in (None, "recaps", "episodes"):
        show, season = cell(row, "show"), cell(row, "season")
        if isinstance(show, str) and (is_int(season) or season is None):
            season = "" if season is None else season
            href = query_href(
                datasette, database, "episode_across_sites", show=show, season=season, episode=value
            )
            return link(href, value, "episode-link")
    if column == "author" and table == "comments" and isinstance(value, str):
        return link(
            query_href(datasette, database, "commenter_history", author=value), value, "commenter-link"
        )
    return None


def template_vars(view_name, table, database, request, datasette):
    """``extra_template_vars``: the start page's overview, the reading view's recap, else link helpers."""
    if view_name == "index":

        async def overview():
            return {"recap_archives": await archive_overview(datasette)}

        return overview
    if not is_recap_row_page(view_name, table, request):
        return {
            "recap_href": lambda db, recap_id: recap_href(datasette, db, recap_id),
            "safe_href": safe_href,
        }

    async def inner():
        pk = urlsafe_components(request.url_vars["pks"])[0]
        return {"recap": await load_recap(datasette, database, pk)}

    return inner

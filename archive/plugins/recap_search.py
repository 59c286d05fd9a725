"""Datasette plugin: one search box over recap titles and bodies, quotes, list items and comments.

    /-/search?q=…            results page (templates/recap_search.html)
    /-/search.json?q=…       the same as JSON (also ?_format=json); /-/search.csv for CSV

All words must appear (porter stemming, so "forks" finds "fork"); "a quoted phrase" must appear
as written; a word ending in * matches as a prefix. Results from the four full-text indexes are
merged and ranked by bm25 (best first); each links to its recap's reading view, at the comment,
quote or list item that matched. Snippets mark the matching words. Crawled text never becomes
markup here: snippets are split into plain-text segments and escaped by Jinja (HTML) or by
``markupsafe.escape`` (``snippet_html`` in JSON).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from typing import Any
from urllib.parse import quote as url_quote
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

START, END = "\ue000", "\ue001"  # private-use marks around matched words in snippets
SNIPPET_TOKENS = 24
DEFAULT_SIZE = 20
MAX_SIZE = 200
MAX_QUERY_LENGTH = 500

# What each full-text index contributes. Every branch yields the same columns.
SOURCES: dict[str, dict[str, str]] = {
    "recap": {
        "label": "Recap",
        "plural": "Recaps",
        "fts": "recaps_fts",
        # title, show, body_text: a match in the title counts most
        "rank": "bm25(recaps_fts, 10.0, 5.0, 1.0)",
        "join": "join recaps r on r.id = recaps_fts.rowid",
        "item": "null as comment_id, null as commenter, null as speaker, null as position",
    },
    "quote": {
        "label": "Quote",
        "plural": "Quotes",
        "fts": "quotes_fts",
        "rank": "bm25(quotes_fts)",
        "join": "join quotes x on x.rowid = quotes_fts.rowid join recaps r on r.id = x.recap_id",
        "item": "null as comment_id, null as commenter, x.speaker as speaker, x.position as position",
    },
    "bullet": {
        "label": "List item",
        "plural": "List items",
        "fts": "bullets_fts",
        "rank": "bm25(bullets_fts)",
        "join": "join bullets x on x.rowid = bullets_fts.rowid join recaps r on r.id = x.recap_id",
        "item": "null as comment_id, null as commenter, null as speaker, x.position as position",
    },
    "comment": {
        "label": "Comment",
        "plural": "Comments",
        "fts": "comments_fts",
        "rank": "bm25(comments_fts)",
        "join": "join comments x on x.rowid = comments_fts.rowid join recaps r on r.id = x.recap_id",
        "item": "x.comment_id as comment_id, x.author as commenter, null as speaker, x.position as position",
    },
}

# The columns of every result, in JSON and CSV (a stable contract; see README).
RESULT_COLUMNS = [
    "found_in", "recap_id", "recap_title", "site", "show", "season", "episode", "episode_title",
    "published", "comment_id", "commenter", "speaker", "snippet", "rank", "reading_url", "url",
]  # fmt: skip

TERM = re.compile(r'"([^"]*)"|(\S+)')


def fts_query(q: str) -> str:
    """The user's words as a safe FTS5 query: every term quoted, implicit AND between terms.

    ``"a phrase"`` stays a phrase, ``word*`` is a prefix query, anything else is literal text:
    FTS5 operators, column filters and stray quotes cannot cause syntax errors.
    """
    parts = []
    for phrase, word in TERM.findall(q[:MAX_QUERY_LENGTH]):
        prefix = not phrase and word.endswith("*")
        text = phrase or word.rstrip("*")
        if not re.search(r"\w", text):
            continue
        parts.append('"' + text.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(parts)


def ranking_sql(kinds: list[str]) -> str:
    """Stage one: the best matches of every index, as (kind, fts rowid, bm25 rank), best first."""
    union = "\n    union all\n".join(
        f"select '{kind}' as found_in, rowid as fts_rowid, {SOURCES[kind]['rank']} as rank "
        f"from {SOURCES[kind]['fts']} where {SOURCES[kind]['fts']} match :match"
        for kind in kinds
    )
    return f"select * from (\n{union}\n) order by rank, found_in, fts_rowid limit :limit"


def details_sql(kind: str) -> str:
    """Stage two: recap, item and snippet for the chosen rows of one index (rowids in :rowids)."""
    source = SOURCES[kind]
    return f"""
        select {source["fts"]}.rowid as fts_rowid, r.id as recap_id, r.title as recap_title, r.site,
          r.show, r.season, r.episode, r.episode_title, r.published, r.url, {source["item"]},
          snippet({source["fts"]}, -1, :start, :end, '…', {SNIPPET_TOKENS}) as snippet
        from {source["fts"]}
        {source["join"]}
        where {source["fts"]} match :match
          and {source["fts"]}.rowid in (select value from json_each(:rowids))"""


def count_sql(kinds: list[str]) -> str:
    return "\nunion all\n".join(
        f"select '{k}', count(*) from {SOURCES[k]['fts']} where {SOURCES[k]['fts']} match :match"
        for k in kinds
    )


def segments(snippet: str | None) -> list[dict[str, Any]]:
    """A snippet split into plain-text segments, ``match`` true for the highlighted words."""
    out: list[dict[str, Any]] = []
    matched = False
    for piece in re.split(f"([{START}{END}])", snippet or ""):
        if piece == START:
            matched = True
        elif piece == END:
            matched = False
        elif piece:
            out.append({"text": piece, "match": matched})
    return out


def plain(parts: list[dict[str, Any]]) -> str:
    return "".join(p["text"] for p in parts)


def as_html(parts: list[dict[str, Any]]) -> str:
    """Escaped snippet with ``<mark>`` around the matches (for JSON consumers)."""
    return "".join(
        str(Markup("<mark>{}</mark>").format(p["text"]) if p["match"] else escape(p["text"])) for p in parts
    )


def anchor(row: dict[str, Any]) -> str:
    """The fragment of the reading view that shows the matched item."""
    if row["found_in"] == "comment" and row["comment_id"] is not None:
        return "#comment-" + url_quote(str(row["comment_id"]), safe="")
    if row["found_in"] in ("quote", "bullet") and row["position"] is not None:
        return f"#{row['found_in']}-{row['position']}"
    return ""


async def archive_databases(datasette) -> list[str]:
    """Names of the served databases that hold a recapcrawl archive (all four indexes)."""
    names = []
    for name, db in datasette.databases.items():
        if name.startswith("_"):
            continue
        tables = set(await db.table_names())
        if {"recaps", *(s["fts"] for s in SOURCES.values())} <= tables:
            names.append(name)
    return names


def parse_int(value: Any, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


async def run_search(datasette, request, q: str, kinds: list[str], size: int, page: int) -> dict:
    """Search every archive database; returns results (this page), counts per kind and total.

    Ranking first and snippets after keeps a common word fast on a large archive: bm25 is
    computed for every match, but snippets and joins only for the rows on this page.
    """
    match = fts_query(q)
    counts = dict.fromkeys(SOURCES, 0)
    if not match:
        return {"match": match, "rows": [], "counts": counts, "total": 0}
    ranked: list[dict[str, Any]] = []
    for database in await archive_databases(datasette):
        for kind, count in (
            await datasette.execute(database, count_sql(list(SOURCES)), {"match": match})
        ).rows:
            counts[kind] += count
        params = {"match": match, "limit": size * page}
        result = await datasette.execute(database, ranking_sql(kinds), params, truncate=False)
        ranked += [{**dict(r), "database": database} for r in result.rows]
    ranked.sort(key=lambda r: (r["rank"], r["database"], r["found_in"], r["fts_rowid"]))
    ranked = ranked[size * (page - 1) : size * page]
    details: dict[tuple[str, str, int], dict[str, Any]] = {}
    for database, kind in {(r["database"], r["found_in"]) for r in ranked}:
        rowids = [r["fts_rowid"] for r in ranked if r["database"] == database and r["found_in"] == kind]
        params = {"match": match, "start": START, "end": END, "rowids": json.dumps(rowids)}
        for row in (await datasette.execute(database, details_sql(kind), params, truncate=False)).rows:
            details[(database, kind, row["fts_rowid"])] = dict(row)
    rows = []
    for hit in ranked:
        row = {**details[(hit["database"], hit["found_in"], hit["fts_rowid"])], **hit}
        parts = segments(row.pop("snippet"))
        href = datasette.urls.row(row["database"], "recaps", str(row["recap_id"])) + anchor(row)
        row.update(
            segments=parts,
            snippet=plain(parts),
            snippet_html=as_html(parts),
            reading_path=href,
            reading_url=datasette.absolute_url(request, href),
            label=SOURCES[row["found_in"]]["label"],
        )
        rows.append(row)
    return {"match": match, "rows": rows, "counts": counts, "total": sum(counts[k] for k in kinds)}


def page_url(datasette, request, fmt: str | None = None, **changes: Any) -> str:
    """This search's URL in another format or with other arguments ("" removes one)."""
    args = {key: request.args.get(key) for key in request.args if key != "_format"}
    args.update(changes)
    args = {key: value for key, value in args.items() if value not in ("", None)}
    path = datasette.urls.path("/-/search" + (f".{fmt}" if fmt else ""))
    return path + ("?" + urlencode(args) if args else "")


def as_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(RESULT_COLUMNS)
    for row in rows:
        writer.writerow([row.get(c) for c in RESULT_COLUMNS])
    return buffer.getvalue()


async def search_view(datasette, request):
    if request.method not in ("GET", "HEAD"):
        return Response.text("Method not allowed", status=405)
    q = (request.args.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    only = request.args.get("in")
    kinds = [only] if only in SOURCES else list(SOURCES)
    size = parse_int(request.args.get("_size"), DEFAULT_SIZE, 1, MAX_SIZE)
    page = parse_int(request.args.get("page"), 1, 1, 1000)
    fmt = request.url_vars.get("format") or request.args.get("_format") or "html"
    error = None
    try:
        found = await run_search(datasette, request, q, kinds, size, page)
    except (QueryInterrupted, sqlite3.OperationalError) as exc:
        error = (
            "The search took too long; try more specific words."
            if isinstance(exc, QueryInterrupted)
            else f"The search failed: {exc}"
        )
        found = {"match": fts_query(q), "rows": [], "counts": dict.fromkeys(SOURCES, 0), "total": 0}
    has_next = page * size < found["total"]
    next_url = (
        page_url(datasette, request, fmt if fmt != "html" else None, page=page + 1) if has_next else None
    )
    prev_url = (
        page_url(datasette, request, fmt if fmt != "html" else None, page=page - 1) if page > 1 else None
    )

    if fmt == "json":
        return Response.json(
            {
                "ok": error is None,
                "error": error,
                "q": q,
                "fts_query": found["match"],
                "in": only if only in SOURCES else None,
                "total": found["total"],
                "counts": found["counts"],
                "page": page,
                "size": size,
                "next_url": datasette.absolute_url(request, next_url) if next_url else None,
                "columns": RESULT_COLUMNS + ["snippet_html"],
                "results": [{c: r.get(c) for c in RESULT_COLUMNS + ["snippet_html"]} for r in found["rows"]],
            },
            status=400 if error else 200,
        )
    if fmt == "csv":
        return Response(
            as_csv(found["rows"]),
            status=400 if error else 200,
            content_type="text/csv; charset=utf-8",
        )
    if fmt != "html":
        return Response.text(f"Unknown format: {fmt}", status=404)

    tabs = [
        {
            "label": "All",
            "count": sum(found["counts"].values()),
            "href": page_url(datasette, request, **{"in": "", "page": ""}),
            "selected": only not in SOURCES,
        }
    ] + [
        {
            "label": source["plural"],
            "count": found["counts"][kind],
            "href": page_url(datasette, request, **{"in": kind, "page": ""}),
            "selected": only == kind,
        }
        for kind, source in SOURCES.items()
    ]
    context = {
        "q": q,
        "error": error,
        "results": found["rows"],
        "total": found["total"],
        "tabs": tabs,
        "page": page,
        "first_index": (page - 1) * size + 1,
        "next_url": next_url,
        "prev_url": prev_url,
        "json_url": page_url(datasette, request, "json"),
        "csv_url": page_url(datasette, request, "csv", _size=MAX_SIZE),
        "searched": bool(found["match"]),
    }
    return Response.html(
        await datasette.render_template(
            "recap_search.html", context, request=request, view_name="recap_search"
        )
    )


@hookimpl
def register_routes():
    return [(r"^/-/search(\.(?P<format>json|csv))?$", search_view)]


@hookimpl
def menu_links(datasette, actor, request):
    return [{"href": datasette.urls.path("/-/search"), "label": "Search everything"}]

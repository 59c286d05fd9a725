"""One search box over recap titles and bodies, quotes, list items and comments (``recap_search`` plugin).

    /-/search?q=…            results page (templates/recap_search.html)
    /-/search.json?q=…       the same as JSON (also ?_format=json); /-/search.csv for CSV

All words must appear (porter stemming, so "forks" finds "fork"); "a quoted phrase" must appear
as written; a word ending in * matches as a prefix. Results from the four full-text indexes are
merged and ranked by bm25 (best first); each links to its recap's reading view, at the comment,
quote or list item that matched. Snippets mark the matching words. Crawled text never becomes
markup here: snippets are split into plain-text segments and escaped by Jinja (HTML) or by
``markupsafe.escape`` (``snippet_html`` in JSON).

Bounded work for very common words: each index counts its matches up to ``COUNT_LIMIT`` (shown as
"10,000+") and ranks only its newest ``CANDIDATE_LIMIT`` matches (by rowid). A query with fewer
matches than that in every index gets exactly the full bm25 ranking; otherwise the results are the
best of those newest matches, and the page says so.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import sqlite3
from typing import Any
from urllib.parse import quote as url_quote
from urllib.parse import urlencode

from datasette.database import QueryInterrupted
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

START, END = "\ue000", "\ue001"  # private-use marks around matched words in snippets
SNIPPET_TOKENS = 24
DEFAULT_SIZE = 20
MAX_SIZE = 200
MAX_QUERY_LENGTH = 500
COUNT_LIMIT = 10_000  # matches counted per index; more shows as "10,000+"
CANDIDATE_LIMIT = 1_000  # newest matches per index that bm25 ranks

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
    "found_in",
    "recap_id",
    "recap_title",
    "site",
    "show",
    "season",
    "episode",
    "episode_title",
    "published",
    "comment_id",
    "commenter",
    "speaker",
    "snippet",
    "rank",
    "reading_url",
    "url",
]

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


def ranking_sql(kind: str) -> str:
    """Stage one: the best of one index's newest ``:candidates`` matches, as (kind, fts rowid, bm25
    rank), best first. FTS5 walks a doclist newest first, so a common word costs what
    ``:candidates`` rows cost (plus bm25's one pass over the word's doclist for its frequency)."""
    source = SOURCES[kind]
    return f"""
        select * from (
          select '{kind}' as found_in, rowid as fts_rowid, {source["rank"]} as rank
          from {source["fts"]} where {source["fts"]} match :match order by rowid desc limit :candidates
        ) order by rank, fts_rowid limit :limit"""


def details_sql(kind: str) -> str:
    """Stage two: recap, item and snippet for the chosen rows of one index (rowids in :rowids,
    between :low and :high). The index is read once over that rowid range (the ``+`` keeps SQLite
    from starting the match again for every rowid, which costs a full pass for a prefix query)."""
    source = SOURCES[kind]
    fts = source["fts"]
    return f"""
        select {fts}.rowid as fts_rowid, r.id as recap_id, r.title as recap_title, r.site,
          r.show, r.season, r.episode, r.episode_title, r.published, r.url, {source["item"]},
          snippet({fts}, -1, :start, :end, '…', {SNIPPET_TOKENS}) as snippet
        from {fts}
        {source["join"]}
        where {fts} match :match and {fts}.rowid between :low and :high
          and +{fts}.rowid in (select value from json_each(:rowids))"""


def count_sql(kinds: list[str]) -> str:
    """Matches per index, each counted up to ``:count_limit`` + 1 (so "more than the limit" shows)."""
    return "\nunion all\n".join(
        f"select '{k}', count(*) from (select 1 from {SOURCES[k]['fts']} "
        f"where {SOURCES[k]['fts']} match :match limit :count_limit + 1)"
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


def no_results(match: str) -> dict:
    """What a search that found nothing returns (see ``run_search``)."""
    return {
        "match": match,
        "rows": [],
        "counts": dict.fromkeys(SOURCES, 0),
        "counts_capped": [],
        "narrowed": [],
        "reachable": 0,
        "total": 0,
    }


async def count_matches(datasette, database: str, match: str) -> dict[str, int]:
    """Matches per kind in one database, each up to ``COUNT_LIMIT`` + 1."""
    params = {"match": match, "count_limit": COUNT_LIMIT}
    return dict((await datasette.execute(database, count_sql(list(SOURCES)), params)).rows)


def tally(found: dict, counts: dict[str, int], kinds: list[str]) -> None:
    """Add one database's capped counts to ``found``: counts, which are capped, which are narrowed
    to their newest matches, and how many results paging can reach."""
    for kind, count in counts.items():
        found["counts"][kind] += min(count, COUNT_LIMIT)
        if count > COUNT_LIMIT and kind not in found["counts_capped"]:
            found["counts_capped"].append(kind)
        if kind in kinds:
            found["reachable"] += min(count, CANDIDATE_LIMIT)
            if count > CANDIDATE_LIMIT and kind not in found["narrowed"]:
                found["narrowed"].append(kind)


async def rank_matches(datasette, database: str, match: str, kinds: list[str], limit: int) -> list[dict]:
    """The best ``limit`` matches of each kind in one database (the indexes are ranked in parallel)."""
    params = {"match": match, "limit": limit, "candidates": CANDIDATE_LIMIT}
    results = await asyncio.gather(
        *(datasette.execute(database, ranking_sql(kind), params, truncate=False) for kind in kinds)
    )
    return [{**dict(r), "database": database} for result in results for r in result.rows]


async def page_details(datasette, match: str, ranked: list[dict]) -> dict[tuple[str, str, int], dict]:
    """Recap, item and snippet of each ranked hit, by (database, kind, fts rowid)."""
    groups: dict[tuple[str, str], list[int]] = {}
    for hit in ranked:
        groups.setdefault((hit["database"], hit["found_in"]), []).append(hit["fts_rowid"])

    async def fetch(database: str, kind: str, rowids: list[int]):
        params: dict[str, str | int] = {
            "match": match,
            "start": START,
            "end": END,
            "rowids": json.dumps(rowids),
        }
        params.update(low=min(rowids), high=max(rowids))
        return await datasette.execute(database, details_sql(kind), params, truncate=False)

    results = await asyncio.gather(*(fetch(db, kind, rowids) for (db, kind), rowids in groups.items()))
    return {
        (database, kind, row["fts_rowid"]): dict(row)
        for (database, kind), result in zip(groups, results, strict=True)
        for row in result.rows
    }


async def result_rows(datasette, request, match: str, ranked: list[dict]) -> list[dict]:
    """The ranked hits of one page with their recap, item, snippet and links."""
    details = await page_details(datasette, match, ranked)
    # every reading path starts with "/": one absolute_url call (a urljoin and a settings lookup) gives the
    # origin they all share, instead of one call per row
    origin = datasette.absolute_url(request, "/")[:-1]
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
            reading_url=origin + href,
            label=SOURCES[row["found_in"]]["label"],
        )
        rows.append(row)
    return rows


async def run_search(datasette, request, q: str, kinds: list[str], size: int, page: int) -> dict:
    """Search every archive database: this page's results, capped counts per kind and their total.

    Counting and ranking are bounded per index (``COUNT_LIMIT``, ``CANDIDATE_LIMIT``); snippets and
    joins are computed only for the rows on this page.
    """
    found = no_results(fts_query(q))
    if not found["match"]:
        return found
    ranked: list[dict[str, Any]] = []
    for database in await archive_databases(datasette):
        counts, hits = await asyncio.gather(
            count_matches(datasette, database, found["match"]),
            rank_matches(datasette, database, found["match"], kinds, size * page),
        )
        tally(found, counts, kinds)
        ranked += hits
    ranked.sort(key=lambda r: (r["rank"], r["database"], r["found_in"], r["fts_rowid"]))
    found["rows"] = await result_rows(
        datasette, request, found["match"], ranked[size * (page - 1) : size * page]
    )
    found["total"] = sum(found["counts"][k] for k in kinds)
    return found


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


def json_body(found: dict, q: str, only: str | None, page: int, size: int, next_url: str | None) -> dict:
    """The search as JSON (see README, "Exports"); ``counts`` are capped at ``count_limit``."""
    return {
        "q": q,
        "fts_query": found["match"],
        "in": only if only in SOURCES else None,
        "total": found["total"],
        "counts": found["counts"],
        "count_limit": COUNT_LIMIT,
        "counts_capped": found["counts_capped"],
        "candidate_limit": CANDIDATE_LIMIT,
        "ranked_from_newest": found["narrowed"],
        "page": page,
        "size": size,
        "next_url": next_url,
        "columns": RESULT_COLUMNS + ["snippet_html"],
        "results": [{c: r.get(c) for c in RESULT_COLUMNS + ["snippet_html"]} for r in found["rows"]],
    }


def spoken_list(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 2 else words)


def search_tabs(datasette, request, found: dict, only: str | None) -> list[dict]:
    """ "All" and one tab per kind, with their (capped) counts."""
    capped = found["counts_capped"]
    tabs = [
        {
            "label": "All",
            "count": sum(found["counts"].values()),
            "capped": bool(capped),
            "href": page_url(datasette, request, **{"in": "", "page": ""}),
            "selected": only not in SOURCES,
        }
    ]
    for kind, source in SOURCES.items():
        tabs.append(
            {
                "label": source["plural"],
                "count": found["counts"][kind],
                "capped": kind in capped,
                "href": page_url(datasette, request, **{"in": kind, "page": ""}),
                "selected": only == kind,
            }
        )
    return tabs


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
        found = no_results(fts_query(q))
    status = 400 if error else 200
    same_format = fmt if fmt != "html" else None
    has_next = page * size < found["reachable"]
    next_url = page_url(datasette, request, same_format, page=page + 1) if has_next else None
    prev_url = page_url(datasette, request, same_format, page=page - 1) if page > 1 else None

    if fmt == "json":
        absolute_next = datasette.absolute_url(request, next_url) if next_url else None
        body = {"ok": error is None, "error": error, **json_body(found, q, only, page, size, absolute_next)}
        return Response.json(body, status=status)
    if fmt == "csv":
        return Response(as_csv(found["rows"]), status=status, content_type="text/csv; charset=utf-8")
    if fmt != "html":
        return Response.text(f"Unknown format: {fmt}", status=404)
    context = {
        "q": q,
        "error": error,
        "results": found["rows"],
        "total": found["total"],
        "tabs": search_tabs(datasette, request, found, only),
        "narrowed": spoken_list([SOURCES[kind]["plural"].lower() for kind in found["narrowed"]]),
        "candidate_limit": CANDIDATE_LIMIT,
        "page": page,
        "first_index": (page - 1) * size + 1,
        "next_url": next_url,
        "prev_url": prev_url,
        "json_url": page_url(datasette, request, "json"),
        "csv_url": page_url(datasette, request, "csv", _size=MAX_SIZE),
        "searched": bool(found["match"]),
    }
    html = await datasette.render_template(
        "recap_search.html", context, request=request, view_name="recap_search"
    )
    return Response.html(html)

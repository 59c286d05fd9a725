"""The archive's big tables stay quick to search and to page through (``recap_tables`` plugin).

- A full-text search of a table (``?_search=``) skips Datasette's exact count of every match, as
  ``&_nocount=1`` does: on a million comments, counting the matches of a common word takes twice
  as long as finding the page of rows (250 ms against 120 ms for "the"). ``&_count=1`` (the page
  links it) asks for the count after all; an explicit ``_nocount`` is left as it is.
- ``comments`` as JSON or CSV is sorted by rowid (``&_sort=rowid``) unless the request sorts or
  expands labels itself: the order the comments were archived, each thread in thread order (storage
  writes a thread in position order), so paging is a rowid range and a search needs no sort of
  its matches. HTML pages keep ``sort: position`` from metadata: Datasette 0.65 cannot page
  label-expanded rows by a column it does not select.
- A plain search of ``comments`` as JSON (``_search`` and nothing else that filters) fetches only
  the matches its page needs. Datasette's own clause, ``rowid in (select rowid from comments_fts
  where … match …)``, gathers every match first (120 ms for "the"); the request's ``_search`` is
  passed on as ``_match``, whose clause takes the page's next matches in rowid order from the
  index (``… and rowid > :after order by rowid limit :page``). Same rows, same pages; ``next_url``
  carries ``_match``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite, tilde_decode, urlsafe_components

TABLE_PATH = re.compile(r"^/(?P<database>[^/]+)/(?P<table>[^/]+?)(\.(?P<format>json|csv))?$")
ROWID_ORDER_TABLES = {"comments"}
OWN_ORDER_ARGS = {"_sort", "_sort_desc", "_labels", "_label"}
# arguments that leave a search's rows and their order as they are
PAGING_ARGS = {"_search", "_match", "_size", "_next", "_sort", "_nocount", "_nofacet", "_shape", "_extra"}
MATCH = "_match"
FIRST_ROWID = -(2**63)


def plain_search(args: dict[str, str]) -> bool:
    """A search that filters on nothing else, in rowid order: its page can be read off the index."""
    return set(args) <= PAGING_ARGS and args.get("_sort", "rowid") == "rowid" and not args.get("_count")


def added_args(datasette, path: str, query_string: str) -> list[tuple[str, str]] | None:
    """The request's arguments rewritten for a table of a served database, or None to leave them."""
    match = TABLE_PATH.match(path)
    if not match or tilde_decode(match["database"]) not in datasette.databases:
        return None
    pairs = parse_qsl(query_string, keep_blank_values=True)
    args = dict(pairs)
    added = []
    if args.get("_search") and "_nocount" not in args and not args.get("_count"):
        added.append(("_nocount", "1"))
    table = tilde_decode(match["table"])
    if table in ROWID_ORDER_TABLES and match["format"] and not OWN_ORDER_ARGS & set(args):
        added.append(("_sort", "rowid"))
    json_search = table in ROWID_ORDER_TABLES and match["format"] == "json" and args.get("_search")
    if json_search and plain_search({**args, **dict(added)}):
        pairs = [(MATCH if key == "_search" else key, value) for key, value in pairs]
    return [*pairs, *added] if added or MATCH in dict(pairs) else None


def with_table_defaults(datasette, app):
    """``app`` with each request's arguments rewritten by ``added_args`` (for ``asgi_wrapper``)."""

    async def archive_table_defaults(scope, receive, send):
        if scope["type"] == "http":
            query_string = scope.get("query_string", b"").decode("latin-1")
            args = added_args(datasette, scope.get("path", ""), query_string)
            if args is not None:
                scope = {**scope, "query_string": urlencode(args).encode("latin-1")}
        await app(scope, receive, send)

    return archive_table_defaults


def page_limit(datasette, request, table_metadata: dict) -> int | None:
    """Rows the table view fetches for this request (its page size, plus one to see a next page);
    None for a size Datasette will refuse anyway."""
    size = request.args.get("_size") or table_metadata.get("size") or datasette.page_size
    try:
        return (datasette.max_returned_rows if size == "max" else int(size)) + 1
    except ValueError:
        return None


def after_rowid(request) -> int | None:
    """The rowid a ``_next`` token (``rowid,pk…`` when sorted by rowid) continues after."""
    token = request.args.get("_next")
    if not token:
        return FIRST_ROWID
    try:
        return int(urlsafe_components(token)[0])
    except ValueError:
        return None


def match_filter(request, database, table, datasette):
    """The ``_match`` clause (see module docs): the page's matches, read in rowid order."""
    search = request.args.get(MATCH)
    if not search or table not in ROWID_ORDER_TABLES:
        return None

    async def inner():
        metadata = datasette.table_metadata(database, table)
        fts = metadata.get("fts_table") or await datasette.get_database(database).fts_table(table)
        if not fts:
            return None
        match = ":match_search" if metadata.get("searchmode") == "raw" else "escape_fts(:match_search)"
        params = {"match_search": search}
        bounded = ""
        after, limit = after_rowid(request), page_limit(datasette, request, metadata)
        if plain_search({key: request.args.get(key) for key in request.args}) and None not in (after, limit):
            bounded = " and rowid > :match_after order by rowid limit :match_limit"
            params.update(match_after=after, match_limit=limit)
        clause = f"rowid in (select rowid from {escape_sqlite(fts)} where {escape_sqlite(fts)} match {match}"
        return FilterArguments([clause + bounded + ")"], params, [f'search matches "{search}"'])

    return inner


def count_url_vars(view_name, request):
    """``count_url``: this table search with the count of every match (see module docs)."""
    if view_name != "table" or request is None or not request.args.get("_search"):
        return {}
    skipped = ("_nocount", "_count", "_next")
    args = [(k, v) for k, v in parse_qsl(request.query_string, keep_blank_values=True) if k not in skipped]
    return {"count_url": request.path + "?" + urlencode([*args, ("_count", "1")])}

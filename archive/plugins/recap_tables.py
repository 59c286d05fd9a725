"""Datasette plugin: the archive's big tables stay quick to search and to page through.

- ``?_search=`` on a table skips the exact count of every match (``&_count=1`` asks for it);
- ``comments`` as JSON or CSV is sorted by rowid unless the request sorts itself;
- a plain search of ``comments`` as JSON reads only the matches its page needs (``_match``).

Only the hooks are here; the rules and their reasons are in ``recapcrawl.publish.tables``.
"""

from __future__ import annotations

from datasette import hookimpl

from recapcrawl.publish import tables


@hookimpl
def asgi_wrapper(datasette):
    return lambda app: tables.with_table_defaults(datasette, app)


@hookimpl
def filters_from_request(request, database, table, datasette):
    return tables.match_filter(request, database, table, datasette)


@hookimpl
def extra_template_vars(view_name, request):
    return tables.count_url_vars(view_name, request)

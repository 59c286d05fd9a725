"""Datasette plugin: one search box over recap titles and bodies, quotes, list items and comments.

    /-/search?q=…            results page (templates/recap_search.html)
    /-/search.json?q=…       the same as JSON (also ?_format=json); /-/search.csv for CSV

Only the hooks are here; the search itself (query syntax, ranking, bounds) is
``recapcrawl.publish.search``.
"""

from __future__ import annotations

from datasette import hookimpl

from recapcrawl.publish.search import search_view


@hookimpl
def register_routes():
    return [(r"^/-/search(\.(?P<format>json|csv))?$", search_view)]


@hookimpl
def menu_links(datasette, actor, request):
    return [{"href": datasette.urls.path("/-/search"), "label": "Search everything"}]

"""Datasette plugin: every row of a table or view as CSV, streamed, its lines built by SQLite.

    /-/export/{table}.csv      any table or view of the archive database that the site shows

Only the hooks are here; the route is ``recapcrawl.publish.download`` and the CSV builder, shared
with ``recapcrawl export``, is ``recapcrawl.publish.csvlines``.
"""

from __future__ import annotations

from datasette import hookimpl

from recapcrawl.publish import download


@hookimpl
def register_routes():
    return [(r"^/-/export/(?P<table>[^/]+)\.csv$", download.export_view)]


@hookimpl
def extra_template_vars(view_name, database, table, datasette):
    return download.template_vars(view_name, database, table, datasette)

"""Datasette plugin for the recapcrawl archive: the recap reading view, the start page and links.

- Reading view: ``templates/row-recaps-recaps.html`` gets ``recap`` (the recap with its headings,
  paragraphs, quotes, lists and comment thread, shaped for reading) from ``extra_template_vars``.
- Start page: ``templates/index.html`` gets ``recap_archives`` (shows, counts, top commenters).
- Links between pages (``render_cell``): titles and recap ids lead to the reading view, shows to
  their seasons and episodes, episode numbers to every recap of that episode across sites,
  commenters to their history.

Only the hooks are here; the work is in ``recapcrawl.publish.reader``.
"""

from __future__ import annotations

from datasette import hookimpl

from recapcrawl.publish import reader


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
    return reader.template_vars(view_name, table, database, request, datasette)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    return reader.cell_link(datasette, database, table, row, column, value)


@hookimpl
def get_metadata(datasette, key, database, table):
    return reader.alias_metadata(datasette)

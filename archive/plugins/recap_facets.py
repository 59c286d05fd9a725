"""Datasette plugin: a ``year`` facet over an ISO 8601 date column.

In metadata: ``facets: [{year: published}]``, shown as "published (year)"; the facet is
``recapcrawl.publish.facets.YearFacet``.
"""

from __future__ import annotations

from datasette import hookimpl

from recapcrawl.publish.facets import YearFacet


@hookimpl
def register_facet_classes():
    return [YearFacet]

"""A ``year`` facet over an ISO 8601 date column (``recap_facets`` plugin).

In metadata: ``facets: [{year: published}]``, shown as "published (year)". It groups rows by
the first four characters of the column (the year as the site wrote it, offset included), newest
year first, and selecting a year filters with ``published__startswith=YYYY``, an ordinary
Datasette filter that also works in .json and .csv URLs.
"""

from __future__ import annotations

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args


class YearFacet(Facet):
    type = "year"

    async def suggest(self):
        return []

    async def facet_results(self):
        results, timed_out = [], []
        args = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            name = config.get("name") or column  # shown as "published (year)"
            col = escape_sqlite(column)
            sql = f"""
                select substr({col}, 1, 4) as value, count(*) as count from ({self.sql})
                where {col} glob '[0-9][0-9][0-9][0-9]-*'
                group by value order by value desc limit {size + 1}
            """
            try:
                rows = await self.ds.execute(
                    self.database,
                    sql,
                    self.params,
                    truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(name)
                continue
            key = f"{column}__startswith"
            values = []
            for row in rows.rows[:size]:
                selected = args.get(key) == row["value"]
                change = path_with_removed_args if selected else path_with_added_args
                path = change(self.request, {key: row["value"]})
                values.append(
                    {
                        "value": row["value"],
                        "label": row["value"],
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(path)),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": name,
                    "type": self.type,
                    "hideable": source_and_config["source"] != "metadata",
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {"_facet_year": column})
                    ),
                    "results": values,
                    "truncated": len(rows.rows) > size,
                }
            )
        return results, timed_out

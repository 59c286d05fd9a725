"""The published archive: Datasette configuration in archive/, the reading view and publish.py."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from datasette.app import Datasette
from datasette.utils import parse_metadata
from markupsafe import escape

from recapcrawl import publish
from recapcrawl.storage import link_pages_to_recaps, open_db, save_page, save_recap

ARCHIVE = Path(__file__).resolve().parent.parent / "archive"
HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"
TABLES = ["recaps", "headings", "paragraphs", "bullets", "quotes", "comments", "pages"]
VIEWS = ["episodes", "shows"]


def comment(cid, text, parent=None, depth=0, author="Viewer", author_url=None, minute=0):
    return {
        "id": cid,
        "text": text,
        "parent_id": parent,
        "depth": depth,
        "author": author,
        "author_url": author_url,
        "published": f"2023-06-23T10:{minute:02d}:00+00:00",
        "is_post_author": False,
        "page": None,
    }


def recap(url, site, title, episode, episode_title, published, **parts):
    base = {
        "url": url,
        "site": site,
        "title": title,
        "author": "Ann Critic",
        "author_url": f"https://{site}/author/ann/",
        "published": published,
        "modified": None,
        "show": "The Bear",
        "season": 2,
        "episode": episode,
        "episode_title": episode_title,
        "categories": ["TV"],
        "tags": ["The Bear", "recap"],
        "platform": "wordpress",
        "headings": [],
        "paragraphs": [],
        "bullets": [],
        "quotes": [],
        "comments": [],
    }
    return {**base, **parts}


FORKS_A = recap(
    "https://alpha.example/the-bear-forks/",
    "alpha.example",
    "The Bear Recap: Forks",
    7,
    "Forks",
    "2023-06-23T09:00:00+00:00",
    headings=[{"level": 2, "text": "Richie learns"}, {"level": 2, "text": "Verdict"}],
    paragraphs=[
        {"section": None, "text": "Richie spends a week polishing forks."},
        {"section": "Richie learns", "text": "Chef Terry tells him, “Every second counts.” He listens."},
        {"section": "Verdict", "text": "The best episode of the season."},
    ],
    bullets=[
        {
            "text": "Forks polished",
            "list": 0,
            "ordered": False,
            "depth": 0,
            "heading": "Verdict",
            "parent": None,
        },
        {
            "text": "Many forks",
            "list": 0,
            "ordered": False,
            "depth": 1,
            "heading": "Verdict",
            "parent": "Forks polished",
        },
    ],
    quotes=[
        {
            "text": "Every second counts.",
            "kind": "inline",
            "source": "paragraph",
            "speaker": "Chef Terry",
            "cite": None,
            "section": "Richie learns",
        },
        {
            "text": "Yes, chef.",
            "kind": "blockquote",
            "source": "quote",
            "speaker": "Richie",
            "cite": None,
            "section": "Verdict",
        },
    ],
    comments=[
        comment("1", "Loved it.", author="Marcus Fan", author_url="https://fan.example/", minute=1),
        comment("2", "Same here.", parent="1", depth=1, author="Sydney", minute=2),
        comment("3", "Deep reply.", parent="2", depth=2, author="Carmy", minute=3),
        comment("4", "Second thread.", author="Tina", minute=4),
    ],
)

FORKS_B = recap(
    "https://beta.example/2023/06/bear-s2e7/",
    "beta.example",
    "‘The Bear’ Season 2, Episode 7 Recap",
    7,
    "Forks",
    "2023-06-24T12:00:00+00:00",
    paragraphs=[{"section": None, "text": "Olivia Colman says “every second counts” and we believe her."}],
    quotes=[
        {
            "text": "every second counts",
            "kind": "inline",
            "source": "paragraph",
            "speaker": "Chef Terry",
            "speaker_evidence": "context",
            "cite": None,
            "section": None,
        },
    ],
    comments=[comment("77", "Forks forever.", author="marcus fan", minute=30)],
)

TWO_PARTER = recap(
    "https://alpha.example/the-bear-finale/",
    "alpha.example",
    "The Bear Season Finale Recap: Omelette and The Bear",
    [9, 10],
    ["Omelette", "The Bear"],
    "2023-06-25T09:00:00+00:00",
    paragraphs=[{"section": None, "text": "The restaurant opens at last."}],
)

HOSTILE = {
    **recap(
        "https://evil.example/x/",
        "evil.example",
        f"{HOSTILE_SCRIPT} Recap",
        1,
        "Pilot",
        "2022-12-31T23:00:00+00:00",
        headings=[{"level": 2, "text": f"Heading {HOSTILE_SCRIPT}"}],
        paragraphs=[
            {"section": None, "text": f"Body {HOSTILE_IMG} and {HOSTILE_SCRIPT}"},
            {"section": f"Heading {HOSTILE_SCRIPT}", "text": "Under the alert heading."},
        ],
        quotes=[
            {
                "text": f"Quote alert {HOSTILE_IMG}",
                "kind": "blockquote",
                "source": "quote",
                "speaker": HOSTILE_SCRIPT,
                "cite": "javascript:alert(1)",
                "section": None,
            }
        ],
        bullets=[
            {
                "text": f"Bullet alert {HOSTILE_SCRIPT}",
                "list": 0,
                "ordered": False,
                "depth": 0,
                "heading": None,
                "parent": None,
            }
        ],
        comments=[
            comment("9", f"Comment {HOSTILE_SCRIPT}", author=HOSTILE_IMG, author_url="javascript:alert(1)"),
            comment('"><script>alert(2)</script>', "Reply with a hostile id alert", parent="9", depth=1),
        ],
    ),
    "show": "Evil Show",
    "season": 1,
    "author": HOSTILE_SCRIPT,
    "author_url": "javascript:alert(1)",
}

RECAPS = [FORKS_A, FORKS_B, TWO_PARTER, HOSTILE]


def build_archive(path: Path) -> dict[str, int]:
    """Write the sample recaps and pages; returns recap ids by url."""
    db = open_db(path)
    ids = {r["url"]: save_recap(db, r, seen_at="2023-07-01T00:00:00+00:00") for r in RECAPS}
    for r in RECAPS:
        save_page(
            db,
            {
                "url": r["url"],
                "status": 200,
                "content_type": "text/html",
                "kind": "recap",
                "is_recap": True,
                "canonical_url": r["url"],
                "title": r["title"],
                "size": 1000,
            },
        )
    save_page(
        db, {"url": "https://alpha.example/", "status": 200, "kind": "listing", "reason": "listing page"}
    )
    save_page(
        db, {"url": "https://alpha.example/gone/", "status": 404, "kind": "error", "reason": "HTTP 404"}
    )
    link_pages_to_recaps(db)
    db.conn.close()
    return ids


def make_datasette(db_path: Path) -> Datasette:
    """A Datasette configured exactly as `datasette archive/` would be, serving db_path read-only."""
    return Datasette(
        immutables=[str(db_path)],
        metadata=parse_metadata((ARCHIVE / "metadata.yml").read_text()),
        template_dir=str(ARCHIVE / "templates"),
        plugins_dir=str(ARCHIVE / "plugins"),
        settings=json.loads((ARCHIVE / "settings.json").read_text()),
    )


class Client:
    """Synchronous wrapper around Datasette's in-process test client, on one event loop."""

    def __init__(self, ds: Datasette):
        self.ds = ds
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(ds.invoke_startup())

    def get(self, path: str, status: int = 200):
        response = self.loop.run_until_complete(self.ds.client.get(path))
        assert response.status_code == status, (path, response.status_code, response.text[:500])
        return response

    def rows(self, path: str) -> list[dict]:
        """Rows of a .json URL as dicts (?_shape=array)."""
        sep = "&" if "?" in path else "?"
        return self.get(f"{path}{sep}_shape=array").json()

    def csv_rows(self, path: str) -> list[dict]:
        return list(csv.DictReader(io.StringIO(self.get(path).text)))

    def close(self):
        self.loop.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("archive") / "recaps.db"
    return path, build_archive(path)


@pytest.fixture(scope="module")
def client(archive):
    c = Client(make_datasette(archive[0]))
    yield c
    c.close()


@pytest.fixture(scope="module")
def ids(archive):
    return archive[1]


# ------------------------------------------------------------------ configuration


def test_metadata_describes_every_table_view_and_column(archive):
    meta = parse_metadata((ARCHIVE / "metadata.yml").read_text())
    tables = meta["databases"]["recaps"]["tables"]
    db = open_db(archive[0])
    try:
        fts = [n for n in db.table_names() if "_fts" in n]
        assert fts and all(tables.get(n, {}).get("hidden") for n in fts)
        shown = [n for n in db.table_names() + db.view_names() if not tables.get(n, {}).get("hidden")]
        assert set(TABLES + VIEWS) <= set(shown)
        for name in shown:  # every table and view a reader sees, whatever storage.py adds
            assert tables.get(name, {}).get("description"), name
            columns = [c.name for c in db[name].columns]
            missing = [c for c in columns if c not in tables[name].get("columns", {})]
            assert not missing, (name, missing)
    finally:
        db.conn.close()


def test_settings_are_valid():
    settings = json.loads((ARCHIVE / "settings.json").read_text())
    assert settings["max_csv_mb"] == 0
    assert settings["default_page_size"] == 50
    assert 1000 <= settings["sql_time_limit_ms"] <= 10000
    assert 1000 <= settings["max_returned_rows"] <= 10000
    assert settings["allow_download"] is False
    Datasette(memory=True, settings=settings)  # raises on unknown settings


def test_index_is_a_start_page(client):
    html = client.get("/").text
    assert 'action="/-/search"' in html  # the search box (also in every page's header)
    assert html.count('action="/-/search"') == 2
    assert 'class="show-link" href="/recaps/show_episodes?show=The+Bear"' in html
    assert "/recaps/most_quoted_lines?show=The+Bear" in html
    assert "/recaps/most_discussed?show=" in html
    assert 'href="/recaps/episodes"' in html
    assert "4 recaps from 3 sites" in html
    # most active commenters link to their history
    assert 'href="/recaps/commenter_history?author=Marcus+Fan"' in html
    assert "<script>alert" not in html


def test_every_page_has_the_search_box(client, ids):
    for path in ("/recaps", "/recaps/comments", f"/recaps/recaps/{ids[FORKS_A['url']]}", "/recaps/shows"):
        assert 'class="nav-search" action="/-/search"' in client.get(path).text, path
    menu = client.get("/").text
    assert 'href="/-/search">Search everything</a>' in menu


def test_index_and_database_pages(client):
    index = client.get("/").text
    assert "recapcrawl archive" in index
    assert "TV recap articles" in index
    database = client.get("/recaps").text
    assert "One row per recap" in database
    for query in ("episode_across_sites", "search_everything", "recap_comments"):
        assert f"/recaps/{query}" in database
    assert "recaps_fts" not in database  # FTS shadow tables hidden


@pytest.mark.parametrize("name", TABLES + VIEWS)
def test_every_table_and_view_in_html_json_csv(client, name):
    expected = {
        "recaps": 4,
        "headings": 3,
        "paragraphs": 7,
        "bullets": 3,
        "quotes": 4,
        "comments": 7,
        "pages": 6,
        "episodes": 4,  # the two-parter counts under both of its episodes
        "shows": 2,
    }[name]
    html = client.get(f"/recaps/{name}").text
    assert "<table" in html
    data = client.get(f"/recaps/{name}.json").json()
    assert len(data["rows"]) == expected
    csv_rows = client.csv_rows(f"/recaps/{name}.csv?_size=max")
    assert len(csv_rows) == expected
    assert list(csv_rows[0]) and set(data["columns"]) <= set(csv_rows[0]) | {"rowid"}


def test_recaps_table_facets_sort_and_labels(client, ids):
    data = client.get("/recaps/recaps.json?_extra=facet_results").json()
    facets = data["facet_results"]
    assert {"site", "show", "season", "author"} <= set(facets)
    sites = {f["value"]: f["count"] for f in facets["site"]["results"]}
    assert sites == {"alpha.example": 2, "beta.example": 1, "evil.example": 1}
    rows = client.rows("/recaps/recaps.json")
    assert [r["published"] for r in rows] == sorted((r["published"] for r in rows), reverse=True)
    html = client.get("/recaps/recaps").text
    for column in ("site", "show", "season", "author"):
        assert f'id="facet-{column}"' in html
    # label_column: child tables show the recap's title for recap_id
    assert "The Bear Recap: Forks" in client.get("/recaps/comments").text


def test_year_facet(client):
    facets = client.get("/recaps/recaps.json?_extra=facet_results").json()["facet_results"]
    year = facets["published"]
    assert year["type"] == "year"
    assert [(r["value"], r["count"]) for r in year["results"]] == [("2023", 3), ("2022", 1)]
    assert "published__startswith=2022" in year["results"][1]["toggle_url"]
    rows = client.rows("/recaps/recaps.json?published__startswith=2022")
    assert [r["url"] for r in rows] == [HOSTILE["url"]]
    selected = client.get("/recaps/recaps.json?published__startswith=2022&_extra=facet_results").json()
    assert [r["selected"] for r in selected["facet_results"]["published"]["results"]] == [True]
    assert "published (year)" in client.get("/recaps/recaps").text
    # comments have no default facets (a million rows); the year facet is offered by URL
    comments = client.get("/recaps/comments.json?_facet_year=published").json()["facet_results"]
    assert comments["published"]["results"][0]["value"] == "2023"


def test_other_facets(client):
    quotes = client.get("/recaps/quotes.json?_extra=facet_results").json()["facet_results"]
    assert {"kind", "speaker"} <= set(quotes)
    assert client.get("/recaps/comments.json").json()["facet_results"] == {}
    commenters = client.get("/recaps/comments.json?_facet=author").json()["facet_results"]["author"]
    assert {r["value"] for r in commenters["results"]} >= {"Marcus Fan"}
    assert "?_facet=author" in client.get("/recaps/comments").text
    pages = client.get("/recaps/pages.json?_extra=facet_results").json()["facet_results"]
    assert {"kind", "is_recap", "status"} <= set(pages)


def test_comments_default_to_thread_order(client, ids):
    rows = client.rows(f"/recaps/comments.json?recap_id={ids[FORKS_A['url']]}")
    assert [r["comment_id"] for r in rows] == ["1", "2", "3", "4"]


@pytest.mark.parametrize(
    "table, term, expected",
    [
        ("recaps", "forks", {"https://alpha.example/the-bear-forks/"}),
        ("recaps", "olivia", {"https://beta.example/2023/06/bear-s2e7/"}),
        ("quotes", "chef", {"Yes, chef.", "Every second counts.", "every second counts"}),  # speaker too
        ("comments", "forever", {"Forks forever."}),
        ("bullets", "polished", {"Forks polished"}),
    ],
)
def test_full_text_search(client, table, term, expected):
    rows = client.rows(f"/recaps/{table}.json?_search={term}")
    key = "url" if table == "recaps" else "text"
    assert {r[key] for r in rows} == expected
    assert "<table" in client.get(f"/recaps/{table}?_search={term}").text


# ------------------------------------------------------------------ canned queries


def test_episode_across_sites(client, ids):
    path = "/recaps/episode_across_sites.json?show=the+bear&season=2&episode=7"
    rows = client.rows(path)
    assert [r["site"] for r in rows] == ["alpha.example", "beta.example"]
    assert set(rows[0]) >= {"site", "title", "author", "published", "word_count", "comment_count", "url"}
    assert rows[0]["comment_count"] == 4
    csv_rows = client.csv_rows(path.replace(".json", ".csv"))
    assert [r["url"] for r in csv_rows] == [FORKS_A["url"], FORKS_B["url"]]
    # a two-parter matches either of its episodes
    for episode in (9, 10):
        rows = client.rows(f"/recaps/episode_across_sites.json?show=The+Bear&season=2&episode={episode}")
        assert [r["url"] for r in rows] == [TWO_PARTER["url"]]


def test_recap_comments_by_id_and_url(client, ids):
    by_id = client.rows(f"/recaps/recap_comments.json?recap={ids[FORKS_A['url']]}")
    assert [(r["comment_id"], r["depth"]) for r in by_id] == [("1", 0), ("2", 1), ("3", 2), ("4", 0)]
    assert by_id[2]["thread"] == "\u2003" * 4 + "↳ Carmy: Deep reply."
    assert by_id[0]["thread"] == "Marcus Fan: Loved it."
    by_url = client.rows(f"/recaps/recap_comments.json?recap={FORKS_B['url']}")
    assert [r["text"] for r in by_url] == ["Forks forever."]
    csv_rows = client.csv_rows(f"/recaps/recap_comments.csv?recap={ids[FORKS_A['url']]}")
    assert [r["depth"] for r in csv_rows] == ["0", "1", "2", "0"]
    assert client.rows("/recaps/recap_comments.json?recap=") == []


def test_most_quoted_lines(client):
    rows = client.rows("/recaps/most_quoted_lines.json?show=The+Bear")
    assert rows[0]["recap_count"] == 2
    assert rows[0]["quote"].lower().startswith("every second counts")
    assert rows[0]["speakers"] == "Chef Terry"
    assert set(rows[0]["sites"].split(",")) == {"alpha.example", "beta.example"}
    assert len(json.loads(rows[0]["recap_ids"])) == 2
    assert {r["quote"] for r in rows} == {rows[0]["quote"], "Yes, chef."}
    assert client.csv_rows("/recaps/most_quoted_lines.csv?show=The+Bear")[0]["recap_count"] == "2"


def test_show_episodes(client):
    rows = client.rows("/recaps/show_episodes.json?show=The+Bear")
    got = [
        (r["season"], r["episode"], r["episode_title"], r["recap_count"], r["comment_count"]) for r in rows
    ]
    assert got == [(2, 7, "Forks", 2, 5), (2, 9, "Omelette", 1, 0), (2, 10, "The Bear", 1, 0)]
    assert len(client.csv_rows("/recaps/show_episodes.csv?show=The+Bear")) == 3


def test_most_discussed(client):
    rows = client.rows("/recaps/most_discussed.json?show=")
    assert [(r["url"], r["comment_count"]) for r in rows] == [
        (FORKS_A["url"], 4),
        (HOSTILE["url"], 2),
        (FORKS_B["url"], 1),
    ]
    assert rows[0]["commenter_count"] == 4
    only_bear = client.rows("/recaps/most_discussed.json?show=The+Bear")
    assert HOSTILE["url"] not in {r["url"] for r in only_bear}
    assert len(client.csv_rows("/recaps/most_discussed.csv?show=")) == 3


def test_commenter_history(client):
    rows = client.rows("/recaps/commenter_history.json?author=Marcus+Fan")
    assert [(r["text"], r["site"]) for r in rows] == [
        ("Loved it.", "alpha.example"),
        ("Forks forever.", "beta.example"),
    ]
    assert len(client.csv_rows("/recaps/commenter_history.csv?author=marcus+fan")) == 2


def test_search_everything(client, ids):
    rows = client.rows("/recaps/search_everything.json?q=forks")
    found = {(r["found_in"], r["recap_id"]) for r in rows}
    assert ("recap", ids[FORKS_A["url"]]) in found
    assert ("bullet", ids[FORKS_A["url"]]) in found
    assert ("comment", ids[FORKS_B["url"]]) in found
    assert all("[" in r["snippet"] for r in rows)
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    quote_rows = client.rows("/recaps/search_everything.json?q=every+second+counts")
    assert {r["found_in"] for r in quote_rows} >= {"quote", "recap"}
    assert client.rows("/recaps/search_everything.json?q=%22unbalanced") == []
    assert client.rows("/recaps/search_everything.json?q=") == []
    html = client.get("/recaps/search_everything?q=forks").text
    assert f'href="/recaps/recaps/{ids[FORKS_A["url"]]}"' in html  # recap_id links to the reading view
    assert len(client.csv_rows("/recaps/search_everything.csv?q=forks")) == len(rows)


QUERY_PARAMS = {
    "episode_across_sites": "show=The+Bear&season=2&episode=7",
    "recap_comments": f"recap={FORKS_A['url']}",
    "most_quoted_lines": "show=",
    "show_episodes": "show=The+Bear",
    "most_discussed": "show=",
    "commenter_history": "author=Marcus+Fan",
    "search_everything": "q=forks",
}


def documented_columns(description: str) -> list[str]:
    """The column list a canned query's description gives after "Columns:"."""
    listed = description.split("Columns:", 1)[1].split(".")[0]
    return [c.split("(")[0].strip() for c in listed.replace("\n", " ").split(",")]


def test_every_canned_query_is_tested():
    queries = parse_metadata((ARCHIVE / "metadata.yml").read_text())["databases"]["recaps"]["queries"]
    assert set(queries) == set(QUERY_PARAMS)
    assert not any(q.get("write") for q in queries.values())  # read-only archive


@pytest.mark.parametrize("name", sorted(QUERY_PARAMS))
def test_every_canned_query_in_html_json_csv_with_documented_columns(client, name):
    meta = parse_metadata((ARCHIVE / "metadata.yml").read_text())["databases"]["recaps"]["queries"][name]
    path = f"/recaps/{name}"
    html = client.get(f"{path}?{QUERY_PARAMS[name]}").text
    assert escape(meta["title"]) in html and "<table" in html
    assert f"<title>{escape(meta['title'])}" in html  # a readable page title, not the SQL
    data = client.get(f"{path}.json?{QUERY_PARAMS[name]}").json()
    assert data["rows"], name
    assert data["columns"] == documented_columns(meta["description"])
    csv_rows = client.csv_rows(f"{path}.csv?{QUERY_PARAMS[name]}")
    assert len(csv_rows) == len(data["rows"])
    assert list(csv_rows[0]) == data["columns"]


def test_episode_page_shows_the_recaps_side_by_side(client, ids):
    html = client.get("/recaps/episode_across_sites?show=The+Bear&season=2&episode=7").text
    assert html.count('class="episode-card"') == 2
    cards = html[html.index('class="episode-cards"') :]
    a, b = cards.index('data-site="alpha.example"'), cards.index('data-site="beta.example"')
    assert a < b  # oldest first
    assert f'href="/recaps/recaps/{ids[FORKS_A["url"]]}">The Bear Recap: Forks</a>' in cards
    assert f'href="/recaps/recaps/{ids[FORKS_B["url"]]}">‘The Bear’ Season 2, Episode 7 Recap</a>' in cards
    assert "Sections: Richie learns · Verdict" in cards
    assert "Richie spends a week polishing forks." in cards  # the opening
    assert 'href="/recaps/show_episodes?show=The%20Bear"' in html  # back to the show
    assert "Season 2 · Episode 7 · “Forks” · 2 recaps" in html
    assert "<title>One episode across sites: The Bear 2 7" in html
    assert '<pre id="sql-query">' not in html  # SQL hidden behind a "show" link


def test_show_pages_link_to_each_other_and_to_episodes(client):
    html = client.get("/recaps/show_episodes?show=The+Bear").text
    for episode in (7, 9, 10):
        href = f"/recaps/episode_across_sites?show=The+Bear&amp;season=2&amp;episode={episode}"
        assert f'<a class="episode-link" href="{href}">{episode}</a>' in html
    assert 'href="/recaps/most_quoted_lines?show=The%20Bear"' in html
    assert 'href="/recaps/most_discussed?show=The%20Bear"' in html
    quoted = client.get("/recaps/most_quoted_lines?show=The+Bear").text
    assert 'href="/recaps/show_episodes?show=The%20Bear"' in quoted


def test_seasonless_recaps_have_an_episode_page(tmp_path):
    path = tmp_path / "recaps.db"
    db = open_db(path)
    for site in ("one.example", "two.example"):
        base = recap(
            f"https://{site}/u2/", site, "Understudy Episode 2", 2, "Notes", "2024-03-01T00:00:00+00:00"
        )
        save_recap(db, {**base, "show": "Understudy", "season": None})
    db.conn.close()
    c = Client(make_datasette(path))
    try:
        html = c.get("/recaps/recaps/1").text
        assert "/recaps/episode_across_sites?show=Understudy&amp;season=&amp;episode=2" in html
        rows = c.rows("/recaps/episode_across_sites.json?show=Understudy&season=&episode=2")
        assert {r["site"] for r in rows} == {"one.example", "two.example"}
    finally:
        c.close()


def test_cells_link_between_pages(client, ids):
    forks = ids[FORKS_A["url"]]
    recaps = client.get("/recaps/recaps").text
    assert f'<a class="recap-link" href="/recaps/recaps/{forks}">The Bear Recap: Forks</a>' in recaps
    assert '<a class="show-link" href="/recaps/show_episodes?show=The+Bear">The Bear</a>' in recaps
    assert "/recaps/episode_across_sites?show=The+Bear&amp;season=2&amp;episode=7" in recaps
    comments = client.get("/recaps/comments").text
    assert '<a class="commenter-link" href="/recaps/commenter_history?author=Tina">Tina</a>' in comments
    assert ">The Bear Recap: Forks</a>" in comments  # recap_id shows the recap's title (label_column)
    episodes = client.get("/recaps/episodes").text
    assert "/recaps/episode_across_sites?show=The+Bear&amp;season=2&amp;episode=10" in episodes
    history = client.get("/recaps/commenter_history?author=Tina").text
    assert f'<a class="recap-link" href="/recaps/recaps/{forks}">The Bear Recap: Forks</a>' in history


# ------------------------------------------------------------------ search everything (/-/search)


def search(client, query: str) -> dict:
    return client.get(f"/-/search.json?{query}").json()


def test_search_json_ranks_and_highlights(client, ids):
    data = search(client, "q=forks")
    assert data["ok"] and data["fts_query"] == '"forks"'
    found = {(r["found_in"], r["recap_id"]) for r in data["results"]}
    assert {
        ("recap", ids[FORKS_A["url"]]),
        ("bullet", ids[FORKS_A["url"]]),
        ("comment", ids[FORKS_B["url"]]),
    } <= found
    assert data["counts"] == {"recap": 1, "quote": 0, "bullet": 2, "comment": 1}
    assert data["total"] == len(data["results"]) == 4
    ranks = [r["rank"] for r in data["results"]]
    assert ranks == sorted(ranks)  # bm25: best (lowest) first
    for row in data["results"]:
        assert "<mark>" in row["snippet_html"] and "<mark>" not in row["snippet"]
        assert row["reading_url"].startswith("http://localhost/recaps/recaps/")
        assert list(row) == data["columns"]
    assert data["columns"] == [
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
        "snippet_html",
    ]
    assert search(client, "q=forks&_format=json")["results"] == data["results"]


def test_search_finds_a_comment_and_links_to_it(client, ids):
    data = search(client, "q=%22forks+forever%22")
    assert [(r["found_in"], r["commenter"], r["comment_id"]) for r in data["results"]] == [
        ("comment", "marcus fan", "77")
    ]
    target = data["results"][0]["reading_url"].removeprefix("http://localhost")
    assert target == f"/recaps/recaps/{ids[FORKS_B['url']]}#comment-77"
    assert 'id="comment-77"' in client.get(target.split("#")[0]).text


def test_search_links_quotes_and_list_items_to_their_place(client, ids):
    quote = search(client, "q=yes+chef&in=quote")["results"]
    assert [(r["found_in"], r["speaker"]) for r in quote] == [("quote", "Richie")]
    anchor = quote[0]["reading_url"].split("#")[1]
    assert f'id="{anchor}"' in client.get(f"/recaps/recaps/{ids[FORKS_A['url']]}").text
    bullet = search(client, "q=polished&in=bullet")["results"]
    assert bullet[0]["reading_url"].endswith("#bullet-0")


def test_search_words_phrases_prefixes_and_operators(client):
    assert search(client, "q=every+counts")["counts"]["quote"] == 2  # all words, any order
    assert search(client, "q=%22counts+every%22")["total"] == 0  # a phrase must be as written
    assert search(client, "q=polish*")["counts"]["bullet"] == 1
    assert search(client, "q=fork")["counts"]["recap"] == 1  # porter stemming
    for odd in ('"unbalanced', "AND OR NOT", "title:forks", "-", "*", "NEAR(forks", "forks)"):
        data = client.get(f"/-/search.json?q={urllib.parse.quote(odd)}").json()
        assert data["ok"], odd
    assert search(client, "q=")["results"] == [] and search(client, "q=")["total"] == 0


def test_search_filter_and_pages(client):
    only = search(client, "q=forks&in=comment")
    assert {r["found_in"] for r in only["results"]} == {"comment"} and only["total"] == 1
    first = search(client, "q=forks&_size=2")
    assert len(first["results"]) == 2 and first["next_url"]
    seen = [r["reading_url"] + r["snippet"] for r in first["results"]]
    url = first["next_url"]
    while url:
        page = client.get(url.removeprefix("http://localhost")).json()
        seen += [r["reading_url"] + r["snippet"] for r in page["results"]]
        url = page["next_url"]
    assert len(seen) == len(set(seen)) == 4


def test_search_page_html(client, ids):
    html = client.get("/-/search?q=forks").text
    assert "<title>forks – Search everything</title>" in html
    assert 'value="forks"' in html
    assert "<mark>Forks</mark>" in html or "<mark>forks</mark>" in html
    assert f'href="/recaps/recaps/{ids[FORKS_B["url"]]}#comment-77"' in html
    assert "Comments (1)" in html and 'href="/-/search.json?q=forks"' in html
    assert 'href="/-/search.csv?q=forks&amp;_size=200"' in html
    assert "Nothing matches" in client.get("/-/search?q=zzzzqqq").text
    assert "Search everything" in client.get("/-/search").text


def test_search_csv(client):
    rows = client.csv_rows("/-/search.csv?q=forks")
    assert len(rows) == 4 and list(rows[0])[:3] == ["found_in", "recap_id", "recap_title"]


# ------------------------------------------------------------------ reading view


def test_an_inferred_speaker_is_marked_in_the_reading_view(client, ids):
    inferred = client.get(f"/recaps/recaps/{ids[FORKS_B['url']]}").text
    note = "speaker inferred from the paragraph&#39;s flow, not named beside the line"
    assert f'<span class="speaker inferred" title="{note}">— Chef Terry</span>' in inferred
    assert "is inferred, not named beside the line" in inferred  # the legend, where a speaker is inferred
    named = client.get(f"/recaps/recaps/{ids[FORKS_A['url']]}").text
    assert "inferred" not in named.split('<section class="body">', 1)[1]
    facets = client.get("/recaps/quotes.json?_extra=facet_results").json()["facet_results"]
    assert {f["value"] for f in facets["speaker_evidence"]["results"]} == {"context"}  # a configured facet


def test_recap_reading_view(client, ids):
    html = client.get(f"/recaps/recaps/{ids[FORKS_A['url']]}").text
    assert '<article class="recap">' in html
    assert "The Bear Recap: Forks" in html and "alpha.example" in html and "Ann Critic" in html
    assert html.index('<h2 class="heading">Richie learns</h2>') < html.index("Chef Terry tells him")
    assert html.index("Chef Terry tells him") < html.index('<h2 class="heading">Verdict</h2>')
    assert '<mark class="quote">Every second counts.<span class="speaker">— Chef Terry</span></mark>' in html
    assert "Yes, chef." in html and "— Richie" in html
    assert 'class="bullet depth-1"' in html and "Many forks" in html
    for cid, depth in (("1", 0), ("2", 1), ("3", 2), ("4", 0)):
        assert f'id="comment-{cid}" data-depth="{depth}"' in html
        assert f'class="comment depth-{depth}"' in html
    assert (
        html.index("Loved it.") < html.index("Same here.") < html.index("Deep reply.") < html.index("Second")
    )
    assert 'href="https://fan.example/"' in html
    assert f'href="{FORKS_A["url"]}"' in html
    assert "/recaps/episode_across_sites?show=The+Bear&amp;season=2&amp;episode=7" in html


def test_reading_view_places_quotes_lists_and_links(client, ids):
    html = client.get(f"/recaps/recaps/{ids[FORKS_A['url']]}").text
    body = html[html.index('<section class="body">') : html.index("</section>")]
    # the blockquote and the list sit in the body, under their heading
    verdict = body.index('<h2 class="heading">Verdict</h2>')
    assert (
        verdict
        < body.index('<blockquote class="quote kind-blockquote">Yes, chef.')
        < body.index("Forks polished")
    )
    assert '<span class="speaker">— Richie</span>' in body
    assert 'id="bullet-1"' in body and 'id="quote-1"' in html  # anchors for search results
    # other recaps of the same episode, the show's page, commenter history, commenter website
    assert f'class="sibling-link" href="/recaps/recaps/{ids[FORKS_B["url"]]}"' in html
    assert 'class="show-link" href="/recaps/show_episodes?show=The+Bear"' in html
    assert 'href="/recaps/most_quoted_lines?show=The+Bear"' in html
    assert 'class="comment-author" href="/recaps/commenter_history?author=Marcus+Fan"' in html
    assert 'class="comment-website" href="https://fan.example/"' in html


def test_two_parter_links_both_episodes(client, ids):
    html = client.get(f"/recaps/recaps/{ids[TWO_PARTER['url']]}").text
    assert "episode=9" in html and "episode=10" in html
    assert "Omelette / The Bear" in html


def test_hostile_content_is_inert(client, ids):
    rid = ids[HOSTILE["url"]]
    pages = [
        "/",
        f"/recaps/recaps/{rid}",
        "/recaps/recaps",
        f"/recaps/comments?recap_id={rid}",
        f"/recaps/paragraphs?recap_id={rid}",
        f"/recaps/quotes?recap_id={rid}",
        f"/recaps/bullets?recap_id={rid}",
        "/recaps/pages",
        "/recaps/episodes",
        "/recaps/shows",
        "/recaps/search_everything?q=alert",
        "/-/search?q=alert",
        "/-/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        f"/recaps/recap_comments?recap={rid}",
        "/recaps/episode_across_sites?show=Evil+Show&season=1&episode=1",
        "/recaps/show_episodes?show=Evil+Show",
        "/recaps/most_quoted_lines?show=Evil+Show",
        "/recaps/most_discussed?show=Evil+Show",
        "/recaps/commenter_history?author=%3Cimg+src%3Dx+onerror%3Dalert%281%29%3E",
    ]
    for path in pages:
        html = client.get(path).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
        assert "javascript:" not in html.lower().replace("&#34;", '"').split('href="')[1:], path
        assert not any(part.startswith("javascript:") for part in html.lower().split('href="')[1:]), path
    reading = client.get(f"/recaps/recaps/{rid}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reading
    assert "&lt;img src=x onerror=alert(1)&gt;" in reading
    assert reading.count("&lt;script&gt;") >= 6  # title, heading, body, quote speaker, bullet, comment
    assert 'id="comment-&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in reading
    found = client.get("/-/search.json?q=alert").json()
    assert found["counts"] == {"recap": 1, "quote": 1, "bullet": 1, "comment": 2}
    for row in found["results"]:
        assert "<script" not in row["snippet_html"] and "<img" not in row["snippet_html"]
        assert "<mark>alert</mark>" in row["snippet_html"]


def test_other_row_pages_use_default_template(client, ids):
    html = client.get("/recaps/pages/https:~2F~2Falpha.example~2F").text
    assert '<article class="recap">' not in html
    assert "listing page" in html


def test_archive_under_another_name_gets_the_same_configuration(archive, tmp_path):
    other = tmp_path / "my-crawl.db"
    shutil.copy(archive[0], other)
    c = Client(make_datasette(other))
    try:
        assert "One row per recap" in c.get("/my-crawl").text
        rows = c.rows("/my-crawl/episode_across_sites.json?show=The+Bear&season=2&episode=7")
        assert len(rows) == 2
        assert '<article class="recap">' in c.get("/my-crawl/recaps/1").text
    finally:
        c.close()


def test_archive_works_as_a_config_directory(archive, tmp_path):
    config = tmp_path / "archive"
    shutil.copytree(ARCHIVE, config, ignore=shutil.ignore_patterns("*.db*", "__pycache__"))
    shutil.copy(archive[0], config / "recaps.db")
    c = Client(Datasette(config_dir=config))
    try:
        assert "recapcrawl archive" in c.get("/").text
        assert c.get("/-/settings.json").json()["max_csv_mb"] == 0
        assert len(c.rows("/recaps/most_discussed.json?show=")) == 3
        assert '<article class="recap">' in c.get("/recaps/recaps/1").text
    finally:
        c.close()


# ------------------------------------------------------------------ exports and serving

BIG_THREAD = 6_000  # more comments than max_returned_rows (5,000)


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "recaps.db"
    db = open_db(path)
    thread = [comment(str(i), f"Comment number {i}", minute=i % 60) for i in range(BIG_THREAD)]
    save_recap(db, {**FORKS_A, "comments": thread})
    db.conn.close()
    return path


def test_full_export_of_a_large_table_is_not_cut_off(big_archive):
    c = Client(make_datasette(big_archive))
    try:
        html = c.get("/recaps/comments").text
        assert 'name="_stream"' in html  # "stream all rows" in the CSV options
        streamed = c.csv_rows("/recaps/comments.csv?_stream=on&_size=max")
        assert len(streamed) == BIG_THREAD
        assert [r["comment_id"] for r in streamed[:3]] == ["0", "1", "2"]  # thread order (sort: position)
        assert list(streamed[0])[:3] == ["recap_id", "comment_id", "position"]
        labelled = c.csv_rows("/recaps/comments.csv?_stream=on&_labels=on")
        assert len(labelled) == BIG_THREAD and labelled[0]["recap_id_label"] == FORKS_A["title"]
        # JSON: pages of at most max_returned_rows, every row reachable through next_url
        data = c.get("/recaps/comments.json?_size=max").json()
        ids, pages = [r[1] for r in data["rows"]], 1
        while data["next_url"]:
            data = c.get(data["next_url"].removeprefix("http://localhost")).json()
            ids += [r[1] for r in data["rows"]]
            pages += 1
        assert pages == 2 and len(ids) == len(set(ids)) == BIG_THREAD
    finally:
        c.close()


def test_recapcrawl_export_streams_every_row(big_archive):
    from sqlite_utils import Database

    from recapcrawl import export

    out = io.StringIO()
    assert export.write_csv(Database(big_archive), "comments", out) == BIG_THREAD
    assert len(list(csv.DictReader(io.StringIO(out.getvalue())))) == BIG_THREAD


def test_no_write_or_upload_plugins(client):
    plugins = {p["name"] for p in client.get("/-/plugins.json").json()}
    assert plugins == {
        "recap_reader.py",
        "recap_search.py",
        "recap_facets.py",
        "recap_tables.py",
        "recap_export.py",
    }
    installed = {p["name"] for p in client.get("/-/plugins.json?all=1").json()}
    assert not [name for name in installed - plugins if not name.startswith("datasette.")]
    assert client.get("/-/databases.json").json()[0]["is_mutable"] is False
    client.get("/recaps.db", status=403)  # allow_download off
    for path in ("/recaps", "/recaps/recaps", "/recaps/episode_across_sites", "/-/search"):
        post = client.ds.client.post(path, data={"sql": "delete from recaps", "q": "x"})
        assert client.loop.run_until_complete(post).status_code >= 400, path
    assert len(client.rows("/recaps/recaps.json")) == len(RECAPS)


# ------------------------------------------------------------------ publish.py


def test_archive_dir():
    assert publish.archive_dir() == ARCHIVE
    assert (publish.archive_dir() / "metadata.yml").is_file()


def test_datasette_command(tmp_path):
    db = tmp_path / "out.db"
    argv = publish.datasette_command(db, port=9123)
    assert argv[:4] == [sys.executable, "-m", "datasette", "serve"]
    assert argv[argv.index("-i") + 1] == str(db)
    assert argv[argv.index("--host") + 1] == "127.0.0.1"
    assert argv[argv.index("--port") + 1] == "9123"
    assert argv[argv.index("--metadata") + 1] == str(ARCHIVE / "metadata.yml")
    assert argv[argv.index("--template-dir") + 1] == str(ARCHIVE / "templates")
    assert argv[argv.index("--plugins-dir") + 1] == str(ARCHIVE / "plugins")
    settings = {argv[i + 1]: argv[i + 2] for i, a in enumerate(argv) if a == "--setting"}
    assert settings["max_csv_mb"] == "0" and settings["default_page_size"] == "50"
    assert settings["allow_download"] == "off"
    mutable = publish.datasette_command(db, host="0.0.0.0", immutable=False)
    assert "-i" not in mutable and str(db) in mutable
    assert mutable[mutable.index("--host") + 1] == "0.0.0.0"


def test_serve_refuses_a_missing_database(tmp_path):
    with pytest.raises(FileNotFoundError):
        publish.serve(tmp_path / "missing.db")


def test_checkpoint_wal_makes_rows_visible_to_immutable_readers(tmp_path):
    import sqlite3

    db = tmp_path / "wal.db"
    writer = sqlite3.connect(db)
    writer.execute("pragma journal_mode=wal")
    writer.execute("pragma wal_autocheckpoint=0")
    writer.execute("create table t (x)")
    writer.execute("insert into t values (1)")
    writer.commit()
    publish.checkpoint_wal(db)
    reader = sqlite3.connect(f"file:{db}?immutable=1", uri=True)
    assert reader.execute("select count(*) from t").fetchone() == (1,)
    reader.close()
    writer.close()


def test_crawl_is_writing_switches_off_immutable(tmp_path, capsys):
    import sqlite3

    db = tmp_path / "live.db"
    writer = sqlite3.connect(db)
    writer.execute("pragma journal_mode=wal")
    writer.execute("create table t (x)")
    writer.execute("insert into t values (1)")
    writer.commit()
    try:
        assert publish.crawl_is_writing(db)
        assert publish.open_immutable(db, True) is False
        assert "serving it read-only but not immutable" in capsys.readouterr().err
        writer.execute("insert into t values (2)")
        writer.commit()
    finally:
        writer.close()
    assert not publish.crawl_is_writing(db)
    assert publish.open_immutable(db, True) is True
    assert publish.open_immutable(db, False) is False
    reader = sqlite3.connect(f"file:{db}?immutable=1", uri=True)
    assert reader.execute("select count(*) from t").fetchone() == (2,)
    reader.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "datasette exited early"
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout}s")


def test_real_server(archive):
    port = free_port()
    process = subprocess.Popen(
        publish.datasette_command(archive[0], port=port), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/-/versions.json", process)
        with urllib.request.urlopen(f"{base}/recaps/recaps.json?_shape=array") as response:
            rows = json.loads(response.read())
        assert {r["url"] for r in rows} == {r["url"] for r in RECAPS}
        with urllib.request.urlopen(f"{base}/-/settings.json") as response:
            assert json.loads(response.read())["max_csv_mb"] == 0
        with urllib.request.urlopen(f"{base}/recaps/recaps/1") as response:
            assert '<article class="recap">' in response.read().decode()
    finally:
        assert publish.stop(process) is not None

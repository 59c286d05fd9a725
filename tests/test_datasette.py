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
import urllib.request
from pathlib import Path

import pytest
from datasette.app import Datasette
from datasette.utils import parse_metadata

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
        "2023-01-01T00:00:00+00:00",
        paragraphs=[{"section": None, "text": f"Body {HOSTILE_IMG} and {HOSTILE_SCRIPT}"}],
        comments=[
            comment("9", f"Comment {HOSTILE_SCRIPT}", author=HOSTILE_IMG, author_url="javascript:alert(1)")
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
        for name in TABLES + VIEWS:
            assert tables[name]["description"], name
            columns = [c.name for c in db[name].columns]
            missing = [c for c in columns if c not in tables[name].get("columns", {})]
            assert not missing, (name, missing)
        fts = [n for n in db.table_names() if "_fts" in n]
        assert fts and all(tables[n].get("hidden") for n in fts)
    finally:
        db.conn.close()


def test_settings_are_valid():
    settings = json.loads((ARCHIVE / "settings.json").read_text())
    assert settings["max_csv_mb"] == 0
    assert settings["default_page_size"] == 50
    Datasette(memory=True, settings=settings)  # raises on unknown settings


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
        "headings": 2,
        "paragraphs": 6,
        "bullets": 2,
        "quotes": 3,
        "comments": 6,
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


def test_other_facets(client):
    quotes = client.get("/recaps/quotes.json?_extra=facet_results").json()["facet_results"]
    assert {"kind", "speaker"} <= set(quotes)
    assert "author" in client.get("/recaps/comments.json?_extra=facet_results").json()["facet_results"]
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
        (FORKS_B["url"], 1),
        (HOSTILE["url"], 1),
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


# ------------------------------------------------------------------ reading view


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


def test_two_parter_links_both_episodes(client, ids):
    html = client.get(f"/recaps/recaps/{ids[TWO_PARTER['url']]}").text
    assert "episode=9" in html and "episode=10" in html
    assert "Omelette / The Bear" in html


def test_hostile_content_is_inert(client, ids):
    rid = ids[HOSTILE["url"]]
    pages = [
        f"/recaps/recaps/{rid}",
        "/recaps/recaps",
        f"/recaps/comments?recap_id={rid}",
        f"/recaps/paragraphs?recap_id={rid}",
        "/recaps/pages",
        "/recaps/search_everything?q=alert",
        f"/recaps/recap_comments?recap={rid}",
        "/recaps/commenter_history?author=%3Cimg+src%3Dx+onerror%3Dalert%281%29%3E",
    ]
    for path in pages:
        html = client.get(path).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
        assert 'href="javascript:' not in html.lower(), path
    reading = client.get(f"/recaps/recaps/{rid}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reading
    assert "&lt;img src=x onerror=alert(1)&gt;" in reading
    assert reading.count("&lt;script&gt;") >= 3  # title, body, comment (and author)


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

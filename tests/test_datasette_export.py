"""Every row of a table as CSV from one cursor (archive/plugins/recap_export.py): /-/export/NAME.csv."""

from __future__ import annotations

import csv
import io
import urllib.parse

import pytest
from test_datasette import FORKS_A, Client, build_archive, comment, make_datasette

from recapcrawl.storage import open_db, save_recap

AWKWARD = [
    comment("1", 'She said "yes", then "no"'),
    comment("2", "Two\nlines, and\r\na CRLF", parent="1", depth=1),
    comment("3", "", author=None),
    comment("4", 'Ünïcödé — “curly” ✓ and a trailing quote"'),
    comment("5", "' single; quotes -- and SQL; drop table comments"),
]
BIG_THREAD = 6_000


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "recaps.db"
    build_archive(path)
    db = open_db(path)
    save_recap(db, {**FORKS_A, "url": "https://alpha.example/awkward/", "comments": AWKWARD})
    db.conn.close()
    return path


@pytest.fixture(scope="module")
def client(archive):
    c = Client(make_datasette(archive))
    yield c
    c.close()


def published(client) -> list[str]:
    data = client.get("/recaps.json").json()
    return [t["name"] for t in data["tables"] if not t["hidden"]] + [v["name"] for v in data["views"]]


def test_every_published_table_and_view_equals_datasettes_csv(client):
    names = published(client)
    assert {"recaps", "comments", "pages", "quotes", "episodes", "shows"} <= set(names)
    for name in names:
        ours = parsed(client.get(f"/-/export/{name}.csv").text)
        theirs = parsed(client.get(f"/recaps/{name}.csv?_stream=on&_size=max").text)
        assert ours[0] == theirs[0], name  # the same header
        assert sorted(ours[1:]) == sorted(theirs[1:]), name  # the same rows, parsed


def test_quotes_newlines_nulls_and_unicode_survive(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/-/export/comments.csv").text, newline="")))
    by_id = {r["comment_id"]: r for r in rows}
    for original in AWKWARD:
        assert by_id[original["id"]]["text"] == original["text"]
    assert by_id["3"]["author"] == ""  # NULL, as Datasette writes it
    assert by_id["2"]["depth"] == "1" and by_id["2"]["parent_id"] == "1"


def test_response_is_a_csv_download(client):
    response = client.get("/-/export/comments.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="comments.csv"'
    assert response.text.startswith("recap_id,comment_id,position,")
    assert response.text.endswith("\r\n")


@pytest.mark.parametrize(
    "name",
    [
        "bodies",  # hidden in metadata
        "comments_fts",  # full-text index and its shadow tables
        "comments_fts_data",
        "sqlite_master",
        "nope",
        "comments;drop table comments",
        'comments" --',
        "comments.csv",
        "Comments",
    ],
)
def test_hidden_unknown_and_hostile_names_are_404(client, name):
    get = client.ds.client.get(f"/-/export/{urllib.parse.quote(name)}.csv", follow_redirects=True)
    assert client.loop.run_until_complete(get).status_code == 404
    assert len(parsed(client.get("/-/export/comments.csv").text)) > 1  # nothing was dropped


def test_only_get_and_head(client):
    post = client.ds.client.post("/-/export/comments.csv")
    assert client.loop.run_until_complete(post).status_code == 405
    head = client.loop.run_until_complete(client.ds.client.request("HEAD", "/-/export/comments.csv"))
    assert head.status_code == 200 and head.headers["content-type"] == "text/csv; charset=utf-8"
    missing = client.ds.client.request("HEAD", "/-/export/bodies.csv")
    assert client.loop.run_until_complete(missing).status_code == 404


def test_table_pages_link_to_it(client):
    html = client.get("/recaps/comments").text
    assert '<a href="/-/export/comments.csv" download>Download every row as CSV</a>' in html
    assert 'href="/-/export/episodes.csv"' in client.get("/recaps/episodes").text


def test_every_row_of_a_large_table_in_order(tmp_path):
    path = tmp_path / "recaps.db"
    db = open_db(path)
    save_recap(db, {**FORKS_A, "comments": [comment(str(i), f"Comment {i}") for i in range(BIG_THREAD)]})
    db.conn.close()
    c = Client(make_datasette(path))
    try:
        rows = parsed(c.get("/-/export/comments.csv").text)[1:]
        assert [r[1] for r in rows] == [str(i) for i in range(BIG_THREAD)]  # thread order (rowid)
    finally:
        c.close()

"""Searching and paging an archive with more matches than the search caps (plugins/recap_search.py,
plugins/recap_tables.py): capped counts, the newest candidates ranked, table searches uncounted."""

from __future__ import annotations

import sqlite3

import pytest
from test_datasette import FORKS_A, FORKS_B, Client, comment, make_datasette

from recapcrawl.storage import open_db, save_recap

MANY = 10_050  # comments saying "lamp": more than COUNT_LIMIT (10,000)
RARE = {7, 5_000, 10_049}  # the comments that also say "zebra"


def thread_text(i: int) -> str:
    return f"The lamp, comment {i}" + (" and a zebra" if i in RARE else "") + " lamp" * (i % 3)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("large") / "recaps.db"
    db = open_db(path)
    save_recap(db, {**FORKS_A, "comments": [comment(str(i), thread_text(i)) for i in range(MANY)]})
    save_recap(db, FORKS_B)
    db.conn.close()
    return path


@pytest.fixture(scope="module")
def client(archive):
    c = Client(make_datasette(archive))
    yield c
    c.close()


def search(client, query: str) -> dict:
    return client.get(f"/-/search.json?{query}").json()


def test_counts_stop_at_ten_thousand(client):
    data = search(client, "q=lamp&in=comment")
    assert data["counts"]["comment"] == data["count_limit"] == 10_000
    assert data["counts_capped"] == ["comment"] and data["total"] == 10_000
    html = client.get("/-/search?q=lamp").text
    assert "Comments (10,000+)" in html and "All (10,000+)" in html


def test_a_common_word_ranks_its_newest_matches(client):
    data = search(client, "q=lamp&in=comment&_size=50")
    assert data["ranked_from_newest"] == ["comment"] and data["candidate_limit"] == 1_000
    newest = MANY - data["candidate_limit"]
    assert all(int(r["comment_id"]) >= newest for r in data["results"])
    ranks = [r["rank"] for r in data["results"]]
    assert ranks == sorted(ranks)
    assert "best matches among the newest 1,000" in client.get("/-/search?q=lamp").text


def test_paging_reaches_every_candidate_and_stops(client):
    last = search(client, "q=lamp&in=comment&_size=200&page=5")
    assert len(last["results"]) == 200 and last["next_url"] is None
    assert search(client, "q=lamp&in=comment&_size=200&page=6")["results"] == []


def test_a_rare_word_is_ranked_exactly_over_every_match(client, archive):
    data = search(client, "q=zebra+lamp")
    assert data["counts"]["comment"] == len(RARE) and data["ranked_from_newest"] == []
    conn = sqlite3.connect(archive)
    expected = conn.execute(
        'select rowid, bm25(comments_fts) from comments_fts where comments_fts match \'"zebra" "lamp"\''
        " order by 2, 1"
    ).fetchall()
    conn.close()
    assert [r["rank"] for r in data["results"]] == [rank for _, rank in expected]
    assert "newest" not in client.get("/-/search?q=zebra").text


def test_table_search_skips_the_count_unless_asked(client):
    data = client.get("/recaps/comments.json?_search=lamp&_size=5").json()
    assert data["filtered_table_rows_count"] is None and len(data["rows"]) == 5
    counted = client.get("/recaps/comments.json?_search=lamp&_size=5&_count=1").json()
    assert counted["filtered_table_rows_count"] == MANY
    html = client.get("/recaps/comments?_search=zebra").text
    assert "count them" in html
    assert "3 rows" in client.get("/recaps/comments?_search=zebra&_count=1").text
    plain = client.get("/recaps/comments.json?_size=5").json()
    assert plain["filtered_table_rows_count"] == MANY + len(FORKS_B["comments"])


def test_comments_json_pages_in_rowid_order_thread_order_within_a_recap(client):
    url, ids = "/recaps/comments.json?_size=max&_shape=objects", []
    while url:
        data = client.get(url).json()
        ids += [(r["recap_id"], r["position"]) for r in data["rows"]]
        url = data["next_url"] and data["next_url"].removeprefix("http://localhost")
    assert ids[:MANY] == [(1, i) for i in range(MANY)]
    assert len(ids) == len(set(ids)) == MANY + len(FORKS_B["comments"])


def test_labels_and_explicit_sorts_still_page(client):
    first = client.get("/recaps/comments.json?_labels=on&_size=100").json()
    assert first["rows"][0]["recap_id"]["label"] == FORKS_A["title"]
    second = client.get(first["next_url"].removeprefix("http://localhost")).json()
    pairs = [(r["recap_id"]["value"], r["position"]) for r in first["rows"] + second["rows"]]
    assert len(second["rows"]) == 100 and len(set(pairs)) == 200  # position order (HTML's), no repeats
    by_author = client.get("/recaps/comments.json?_sort_desc=position&_size=3&_shape=array").json()
    assert [r["position"] for r in by_author] == [MANY - 1, MANY - 2, MANY - 3]
    assert "Next page" in client.get("/recaps/comments").text


def pages(client, url: str, limit: int = 1_000) -> list[list]:
    """The rows of every page from url on, following next_url (at most limit pages)."""
    found = []
    while url and len(found) < limit:
        data = client.get(url).json()
        found.append(data["rows"])
        url = data["next_url"] and data["next_url"].removeprefix("http://localhost")
    return found


@pytest.mark.parametrize("query", ["_search=lamp&_size=500", "_search=zebra", "_search=lamp+zebra&_size=2"])
def test_plain_json_search_reads_only_its_page_with_the_same_rows(client, query):
    first = client.get(f"/recaps/comments.json?{query}").json()
    assert "limit :match_limit" in first["query"]["sql"]  # the bounded clause
    assert first["human_description_en"].startswith('where search matches "')
    fast = pages(client, f"/recaps/comments.json?{query}")
    full = pages(client, f"/recaps/comments.json?{query}&_count=1")  # Datasette's own clause
    assert "limit :match_limit" not in client.get(f"/recaps/comments.json?{query}&_count=1").text
    assert fast == full and sum(map(len, fast)) == (MANY if "zebra" not in query else len(RARE))


def test_a_search_with_other_filters_uses_every_match(client):
    rows = client.get("/recaps/comments.json?_search=zebra&depth=0&_shape=array").json()
    assert sorted(int(r["comment_id"]) for r in rows) == sorted(RARE)
    data = client.get("/recaps/comments.json?_match=zebra&depth=0&_size=1").json()  # by hand
    assert "limit :match_limit" not in data["query"]["sql"] and data["next_url"]

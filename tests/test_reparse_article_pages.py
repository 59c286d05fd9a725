"""Multi-page recaps (``/slug/``, ``/slug/2/``) through the offline paths: ``recapcrawl reparse`` of an
archive an older version wrote (every page its own recap) and ``recapcrawl import-warc`` of a crawl's
WARC both end with the recap a fresh crawl makes."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from recapcrawl import storage
from recapcrawl.extraction import extract_recap
from recapcrawl.extraction.comments import comment_page_number
from recapcrawl.extraction.dom import read_document
from recapcrawl.sample_site import SampleSites, load_truth

pytestmark = pytest.mark.integration
POLITENESS_OFF = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
PARTS = ("headings", "paragraphs", "bullets", "quotes")
COMMENT_KEYS = ("id", "parent_id", "author", "published", "text", "page")


def cli(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "recapcrawl.cli", *args], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A crawl of the WordPress sample blog with today's code, and its split articles
    (first page URL → every page's URL)."""
    db = tmp_path_factory.mktemp("fresh") / "recaps.db"
    with SampleSites() as sites:
        cli("crawl", sites.wordpress_url, "--db", str(db), "--quiet", *POLITENESS_OFF)
        paged = load_truth(*sites.urls)["article_pages"]
    assert sorted(len(urls) for urls in paged.values()) == [2, 3]
    return db, paged


def recaps_of(db_path: Path) -> dict[str, dict]:
    """Every recap by URL: its parts, its comments (what the site says of them) and its sources."""
    db = storage.open_db(db_path)
    sources = {row["url"]: json.loads(row["sources"]) for row in db.query("select url, sources from recaps")}
    found = {}
    for recap in storage.iter_recaps(db):
        found[recap["url"]] = {
            **{part: recap[part] for part in PARTS},
            "comments": [{key: c[key] for key in COMMENT_KEYS} for c in recap["comments"]],
            "sources": [source["url"] for source in sources[recap["url"]]],
        }
    db.close()
    return found


def comment_pages_by_number(recap: dict) -> dict:
    """The recap with its sources' comment pages by number (as an import lists them; a crawl lists them
    in the order it found them)."""
    pages = [url for url in recap["sources"] if "/comment-page-" in url]
    rest = [url for url in recap["sources"] if url not in pages]
    return {**recap, "sources": rest + sorted(pages, key=lambda url: comment_page_number(url) or 0)}


def assert_same_recaps(found: dict[str, dict], expected: dict[str, dict]) -> None:
    assert sorted(found) == sorted(expected)
    for url, recap in expected.items():
        for key, value in recap.items():
            assert (url, key, found[url][key]) == (url, key, value)


def query(db_path: Path, sql: str, params=()) -> list[sqlite3.Row]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute(sql, params).fetchall()


def assert_later_pages_are_page_rows(db_path: Path, paged: dict[str, list[str]]) -> None:
    """Each later page of a split article is an ``article_page`` row of its first page's recap."""
    for first, urls in paged.items():
        [(recap_id,)] = query(db_path, "select id from recaps where url = ?", [first])
        for later in urls[1:]:
            [row] = query(
                db_path, "select kind, is_recap, recap_id, canonical_url from pages where url = ?", [later]
            )
            assert tuple(row) == ("article_page", 0, recap_id, first)


# ---------------------------------------------------------------- the archive an older version wrote
def _stored_html(db, url: str) -> tuple[str, storage.Capture]:
    [capture_id] = set(storage.latest_capture_ids(db, "final_url = ?", [url]).values())
    capture = storage.load_capture(db, capture_id)
    return read_document(capture.body, "utf-8").text, capture


def _comment_pages(db, first: str) -> list[tuple[str, str, storage.Capture]]:
    urls = [
        r[0]
        for r in db.execute(
            "select url from pages where kind = 'comment_page' and recap_id = "
            "(select id from recaps where url = ?) order by url",
            [first],
        )
    ]
    return [(url, *_stored_html(db, url)) for url in urls]


def _save_alone(db, url: str, comment_pages: list, crawl_id: int) -> int:
    """Split one stored page as a recap of its own, as a version without article pages did."""
    html, capture = _stored_html(db, url)
    recap = extract_recap(html, url, [(u, text) for u, text, _ in comment_pages]).to_dict()
    sources = [{"url": c.final_url, "sha256": c.sha256} for c in [capture, *(c for *_, c in comment_pages)]]
    saved = storage.save_recap_changes(db, recap, capture.fetched_at, crawl_id, sources, keep_revision=False)
    row = {
        "url": url,
        "status": 200,
        "content_type": "text/html",
        "kind": "recap",
        "is_recap": True,
        "canonical_url": recap["url"],
        "title": recap["title"],
        "fetched_at": capture.fetched_at,
        "crawl_id": crawl_id,
        "capture_id": capture.id,
    }
    storage.save_page(db, row)
    db.execute("update pages set recap_id = ? where url = ?", [saved.recap_id, url])
    db.conn.commit()
    return saved.recap_id


def write_old_archive(fresh_db: Path, target: Path, paged: dict[str, list[str]]) -> dict[str, int]:
    """The crawl rewritten as an older version stored it: each page of a split article a recap of its
    own (its own paragraphs, the thread's comments) and a ``recap`` row in ``pages``. Returns the
    stale recaps' ids by URL."""
    shutil.copy(fresh_db, target)
    db = storage.open_db(target)
    crawl_id = db.execute("select max(id) from crawls").fetchone()[0]
    stale = {}
    for first, urls in paged.items():
        comment_pages = _comment_pages(db, first)
        _save_alone(db, first, comment_pages, crawl_id)
        for later in urls[1:]:
            stale[later] = _save_alone(db, later, [], crawl_id)
    db.close()
    return stale


def test_reparse_merges_the_pages_an_older_version_stored_as_recaps(fresh, tmp_path):
    fresh_db, paged = fresh
    old = tmp_path / "old.db"
    stale = write_old_archive(fresh_db, old, paged)
    before = recaps_of(old)
    for first, urls in paged.items():  # the older version's archive: every page a short recap
        assert len(before[first]["paragraphs"]) < len(recaps_of(fresh_db)[first]["paragraphs"])
        assert set(urls[1:]) <= set(before)

    result = json.loads(cli("reparse", "--db", str(old), "--json").stdout)

    assert result["changed"] == len(paged) and not result["failed"]
    expected, after = recaps_of(fresh_db), recaps_of(old)
    assert_same_recaps(after, expected)  # each page's paragraphs in order, every page in sources
    for first, urls in paged.items():
        assert after[first]["sources"][: len(urls)] == urls
    assert_later_pages_are_page_rows(old, paged)
    ids = ", ".join(map(str, stale.values()))
    for table in ("recaps", "revisions"):
        column = "id" if table == "recaps" else "recap_id"
        assert query(old, f"select count(*) from {table} where {column} in ({ids})")[0][0] == 0
    for table in (*storage.CHILD_TABLES, "pages"):
        assert query(old, f"select count(*) from {table} where recap_id in ({ids})")[0][0] == 0
    assert query(old, f"select count(*) from recaps_fts where rowid in ({ids})")[0][0] == 0
    assert query(old, "pragma foreign_key_check") == []

    again = json.loads(cli("reparse", "--db", str(old), "--json").stdout)
    assert again["changed"] == 0 and again["unchanged"] == again["recaps"] == len(expected)


def test_import_warc_of_a_split_article_makes_the_crawls_recap(fresh, tmp_path):
    fresh_db, paged = fresh
    warc, imported = tmp_path / "crawl.warc.gz", tmp_path / "imported.db"
    cli("export", "--db", str(fresh_db), "--format", "warc", "--output", str(warc))
    cli("import-warc", str(warc), "--db", str(imported))

    crawled = {url: comment_pages_by_number(recap) for url, recap in recaps_of(fresh_db).items()}
    assert_same_recaps(recaps_of(imported), crawled)  # sources: every page, the comment pages too
    assert_later_pages_are_page_rows(imported, paged)


def test_fold_recap_keeps_the_comments_only_the_folded_recap_had(tmp_path):
    db = storage.open_db(tmp_path / "fold.db")
    comment = {"author": "Ann", "published": "2024-03-01T10:00:00+00:00", "text": "Good one."}
    first = {"url": "http://blog.example/post/", "title": "Post", "paragraphs": [{"text": "One."}]}
    later = {"url": "http://blog.example/post/2/", "title": "Post", "paragraphs": [{"text": "Two."}]}
    first["comments"] = [{**comment, "id": "1"}]
    later["comments"] = [{**comment, "id": "1"}, {**comment, "id": "2", "text": "Gone since."}]
    into = storage.save_recap(db, first, "2024-03-02T00:00:00+00:00")
    folded = storage.save_recap(db, later, "2024-03-02T00:00:00+00:00")
    storage.save_page(db, {"url": later["url"], "kind": "recap", "is_recap": True})
    db.execute("update pages set recap_id = ?", [folded])
    db.conn.commit()

    assert storage.fold_recap(db, later["url"], into, "2024-03-03T00:00:00+00:00")
    assert not storage.fold_recap(db, later["url"], into)  # gone already
    assert not storage.fold_recap(db, first["url"], into)  # never itself
    assert [r["id"] for r in db.query("select id from recaps")] == [into]
    order = "select comment_id, removed_at from comments where recap_id = ? order by position"
    assert [tuple(row) for row in db.execute(order, [into])] == [
        ("1", None),  # the recap's own
        ("2", "2024-03-03T00:00:00+00:00"),  # only the folded recap had it: kept, after the others
    ]
    assert db.execute("select count(*) from paragraphs where recap_id = ?", [folded]).fetchone()[0] == 0
    assert db.execute("select recap_id from pages").fetchone()[0] == into
    db.close()

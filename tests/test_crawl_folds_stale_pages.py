"""A crawl over an archive an older version wrote, where a later page of a multi-page recap
(``/slug/2/``) is a recap of its own: the crawl folds that stale recap into the recap of the article's
first page (``storage.fold_recap`` in ``ArchiveWriter``), as ``recapcrawl reparse`` does."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import pytest
from servers.fault_server import POLITENESS_OFF, consistency_problems, crawl_command
from test_reparse_article_pages import (
    assert_later_pages_are_page_rows,
    assert_same_recaps,
    query,
    recaps_of,
    write_old_archive,
)

from recapcrawl import storage
from recapcrawl.extraction import extract_recap
from recapcrawl.extraction.dom import read_document
from recapcrawl.sample_site import SampleSites

T = "2024-01-01T00:00:00+00:00"
FULL = ["-s", "RECAPCRAWL_INCREMENTAL=False"]  # a re-crawl that fetches every recap again


# ---------------------------------------------------------------- a real crawl over a stale archive
@pytest.fixture(scope="module")
def site_and_fresh(tmp_path_factory):
    """The sample blogs, served for the whole module (the archives hold their URLs), and a crawl of
    the WordPress blog with today's code and its split articles (first page URL → every page's URL)."""
    db = tmp_path_factory.mktemp("fresh") / "recaps.db"
    with SampleSites() as sites:
        crawl(sites.wordpress_url, db)
        paged = sites.truth()["article_pages"]
        assert sorted(len(urls) for urls in paged.values()) == [2, 3]
        yield sites, db, paged


def crawl(url: str, db: Path, *options: str) -> dict:
    """``recapcrawl crawl URL --db DB --json`` with politeness off: its summary."""
    command = crawl_command([url], db, "--quiet", "--json", *POLITENESS_OFF, *options)
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def later_pages(paged: dict[str, list[str]]) -> list[str]:
    return [url for urls in paged.values() for url in urls[1:]]


def assert_folded(db_path: Path, fresh_db: Path, paged: dict[str, list[str]], stale_ids: list[int]) -> None:
    """No recap is left of a later page, every recap is the fresh crawl's (a split article's: every
    page's paragraphs in order, its pages first in its sources), and nothing points at a deleted recap."""
    recaps, expected = recaps_of(db_path), recaps_of(fresh_db)
    assert not set(later_pages(paged)) & set(recaps)
    assert_same_recaps(recaps, expected)
    for first, urls in paged.items():
        assert len(recaps[first]["paragraphs"]) > len(urls)
        assert recaps[first]["sources"][: len(urls)] == urls
    assert_later_pages_are_page_rows(db_path, paged)
    ids = ", ".join(map(str, stale_ids))
    assert query(db_path, f"select count(*) from recaps where id in ({ids})")[0][0] == 0
    for table in (*storage.CHILD_TABLES, "revisions", "pages"):
        assert query(db_path, f"select count(*) from [{table}] where recap_id in ({ids})")[0][0] == 0
    assert query(db_path, f"select count(*) from recaps_fts where rowid in ({ids})")[0][0] == 0
    assert query(db_path, "pragma foreign_key_check") == []
    with closing(storage.connect_readonly(db_path)) as connection:
        connection.row_factory = sqlite3.Row
        assert consistency_problems(connection) == []


@pytest.mark.integration
def test_a_crawl_folds_the_later_pages_an_older_version_stored_as_recaps(site_and_fresh, tmp_path):
    sites, fresh_db, paged = site_and_fresh
    old = tmp_path / "old.db"
    stale = write_old_archive(fresh_db, old, paged)
    assert set(stale) == set(later_pages(paged)) <= set(recaps_of(old))

    crawl(sites.wordpress_url, old, *FULL)

    assert_folded(old, fresh_db, paged, list(stale.values()))


def add_stale_recap(db, url: str) -> int:
    """A recap of a later page alone, as an older version split it (the page's row left as it is)."""
    [capture_id] = set(storage.latest_capture_ids(db, "final_url = ?", [url]).values())
    capture = storage.load_capture(db, capture_id)
    recap = extract_recap(read_document(capture.body, "utf-8").text, url, []).to_dict()
    return storage.save_recap_changes(db, recap, capture.fetched_at, keep_revision=False).recap_id


@pytest.mark.integration
def test_a_crawl_folds_a_stale_page_beside_its_unchanged_recap(site_and_fresh, tmp_path):
    """An archive where the recap is already whole but a stale later-page recap was left beside it
    (a crawl before this fix): the recap comes back unchanged, and the stale one is folded all the same."""
    sites, fresh_db, paged = site_and_fresh
    archive = tmp_path / "left.db"
    shutil.copy(fresh_db, archive)
    db = storage.open_db(archive)
    stale = [add_stale_recap(db, url) for url in later_pages(paged)]
    db.close()

    summary = crawl(sites.wordpress_url, archive, *FULL)

    assert summary["recaps_unchanged"] >= len(paged)
    assert_folded(archive, fresh_db, paged, stale)


# ---------------------------------------------------------------- the writer alone
FIRST, LATER = "http://site/post/", "http://site/post/2/"


def recap_item(url: str, later: Sequence[str] = (), text: str = "One.") -> dict:
    pages = [{"url": url, "kind": "recap", "is_recap": True, "canonical_url": url}]
    pages += [{"url": page, "kind": "article_page", "canonical_url": url} for page in later]
    return {
        "type": "recap",
        "recap": {"url": url, "title": "Post", "paragraphs": [{"text": text}], "comments": []},
        "pages": pages,
        "sources": [{"url": page, "sha256": "0" * 64} for page in [url, *later]],
        "complete": True,
    }


@pytest.fixture
def writer(tmp_path):
    db = storage.open_db(tmp_path / "a.db")
    crawl_id, _ = storage.start_crawl(db, ["http://site/"], {})
    return storage.ArchiveWriter(db, crawl_id)


def old_recap(db, url: str, page_url: str | None = None) -> int:
    """A recap an older version archived, with a recap row in ``pages`` for ``page_url``."""
    recap_id = storage.save_recap(db, {"url": url, "title": "Post", "paragraphs": [{"text": "Two."}]}, T)
    page_url = page_url or url
    storage.save_page(db, {"url": page_url, "kind": "recap", "is_recap": True, "canonical_url": url})
    db.execute("update pages set recap_id = ? where url = ?", [recap_id, page_url])
    db.conn.commit()
    return recap_id


def urls(db) -> list[str]:
    return [url for (url,) in db.execute("select url from recaps order by id")]


def test_the_writer_folds_the_recap_at_a_later_page_and_the_one_its_page_row_names(writer):
    old_recap(writer.db, LATER)
    old_recap(writer.db, "http://site/post/2/?amp", page_url="http://site/post/3/")
    writer.write(recap_item(FIRST, [LATER, "http://site/post/3/"]))
    writer.commit()
    assert urls(writer.db) == [FIRST]
    assert writer.counts["recaps_folded"] == 2
    rows = writer.db.execute("select url, kind, recap_id from pages order by url").fetchall()
    assert [tuple(row) for row in rows] == [
        (FIRST, "recap", 3),
        (LATER, "article_page", 3),
        ("http://site/post/3/", "article_page", 3),
    ]
    assert writer.db.execute("pragma foreign_key_check").fetchall() == []


def test_the_writer_folds_in_the_one_by_one_fallback_and_not_for_a_recap_it_cannot_write(writer):
    old_recap(writer.db, LATER)
    old_recap(writer.db, "http://site/bad/2/")
    bad = recap_item("http://site/bad/", ["http://site/bad/2/"])
    bad["recap"]["comments"] = [{"id": object()}]  # not storable: the batch fails, then this recap alone
    writer.write(recap_item(FIRST, [LATER]))
    writer.write(bad)
    writer.commit()
    assert urls(writer.db) == ["http://site/bad/2/", FIRST]  # the bad recap's stale page is kept
    assert writer.counts["recaps_folded"] == 1 and writer.counts["errors"] == 1


def test_the_writer_folds_for_an_unchanged_recap(writer):
    writer.write(recap_item(FIRST))
    writer.commit()
    old_recap(writer.db, LATER)
    pages = recap_item(FIRST, [LATER])["pages"]
    writer.write({"type": "unchanged_recap", "url": FIRST, "pages": pages})
    writer.commit()
    assert urls(writer.db) == [FIRST] and writer.counts["recaps_folded"] == 1
    assert writer.db.execute("select recap_id from pages where url = ?", [LATER]).fetchone()[0] == 1

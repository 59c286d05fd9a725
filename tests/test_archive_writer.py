"""``storage.ArchiveWriter``, the one writer of crawl items (archive pipeline and distributed ingester),
and the crawler package's rule that components share state through extensions only."""

import re
from pathlib import Path

import pytest

from recapcrawl import storage

T = "2024-01-01T00:00:00+00:00"


def capture(url: str, body: bytes = b"<html><body>page</body></html>") -> dict:
    return {
        "type": "capture",
        "url": url,
        "final_url": url,
        "status": 200,
        "body": body,
        "fetched_at": T,
        "headers": {"Content-Type": ["text/html"]},
    }


def recap(url: str, text: str = "A recap.") -> dict:
    return {
        "type": "recap",
        "recap": {"url": url, "title": "Show 1x01", "paragraphs": [{"text": text}], "comments": []},
        "pages": [{"url": url, "kind": "recap", "is_recap": True}],
        "sources": [],
        "complete": True,
    }


@pytest.fixture
def writer(tmp_path):
    db = storage.open_db(tmp_path / "a.db")
    crawl_id, _ = storage.start_crawl(db, ["http://site/"], {})
    return storage.ArchiveWriter(db, crawl_id)


def test_a_batch_writes_captures_pages_and_recaps(writer):
    capture_id = writer.write(capture("http://site/a/"))
    writer.write({"type": "page", "url": "http://site/a/", "kind": "other"})
    writer.write(recap("http://site/r/"))
    assert writer.db["recaps"].count == 0  # recaps wait for the batch's end
    writer.commit()
    assert writer.db["recaps"].count == 1
    pages = dict(writer.db.execute("select url, capture_id from pages"))
    assert pages == {"http://site/a/": capture_id, "http://site/r/": None}
    assert writer.counts["captures"] == writer.counts["recaps_saved"] == writer.counts["pages"] == 1


def test_a_capture_delivered_twice_is_stored_once(writer):
    first = writer.write(capture("http://site/a/"))
    writer.commit()
    assert writer.write(capture("http://site/a/")) == first
    writer.commit()
    assert writer.db["captures"].count == 1 and writer.counts["duplicate_captures"] == 1


def test_a_page_finds_its_capture_in_the_crawl_after_a_rollback(writer):
    capture_id = writer.write(capture("http://site/a/"))
    writer.commit()
    writer.write(capture("http://site/b/"))
    writer.rollback()  # the batch is gone, and the capture ids the writer remembered with it
    assert writer.capture_ids == {} and writer.counts["captures"] == 1
    writer.page({"url": "http://site/a/", "kind": "other"})
    writer.commit()
    assert writer.db.execute("select capture_id from pages").fetchone()[0] == capture_id
    assert writer.db["captures"].count == 1


def test_a_recap_that_cannot_be_written_becomes_an_error_row_and_spares_its_batch(writer):
    bad = recap("http://site/bad/")
    bad["recap"]["comments"] = [{"id": object()}]  # not storable
    writer.write(recap("http://site/good/"))
    writer.write(bad)
    writer.commit()
    assert [r[0] for r in writer.db.execute("select url from recaps")] == ["http://site/good/"]
    kind, reason = writer.db.execute(
        "select kind, reason from pages where url = 'http://site/bad/'"
    ).fetchone()
    assert kind == "error" and reason.startswith("could not write the recap")
    assert writer.counts["errors"] == 1 and writer.counts["recaps_saved"] == 1


def test_known_capture_is_asked_before_the_archive(tmp_path):
    db = storage.open_db(tmp_path / "a.db")
    crawl_id, _ = storage.start_crawl(db, ["http://site/"], {})
    writer = storage.ArchiveWriter(db, crawl_id, known_capture={"http://site/old/": 41}.get)
    writer.page({"url": "http://site/old/", "kind": "other"})
    writer.commit()
    assert db.execute("select capture_id from pages").fetchone()[0] == 41


def test_nothing_is_set_on_the_crawler_or_the_spider():
    """Components reach shared state through extensions (``crawler.get_extension``), never as
    attributes hung on Scrapy's objects."""
    package = Path(__file__).parent.parent / "recapcrawl"
    assigned = re.compile(r"\b(crawler|spider)\.\w+\s*=[^=]")
    found = [
        f"{path.relative_to(package)}:{number}: {line.strip()}"
        for path in package.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if assigned.search(line)
    ]
    assert found == []

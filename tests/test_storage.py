"""The archive's schema and writes: upserts, one transaction per recap, full-text search, WAL."""

import sqlite3

import pytest

from recapcrawl import storage


def recap(url="https://site.example/2024/03/harbor-lights-4x10/", **changes):
    base = {
        "url": url,
        "site": "site.example",
        "title": "Harbor Lights 4×10 Review: “The Long Dark”",
        "author": "Rae Quill",
        "published": "2024-03-05T20:00:00+00:00",
        "show": "Harbor Lights",
        "season": 4,
        "episode": 10,
        "episode_title": "The Long Dark",
        "headings": [{"level": 2, "text": "The lamp"}],
        "paragraphs": [
            {"section": None, "text": "The keeper climbs the stairs."},
            {"section": "The lamp", "text": "A storm takes the lamp out."},
        ],
        "bullets": [
            {
                "text": "The fog machine works overtime.",
                "list": 0,
                "ordered": False,
                "depth": 0,
                "heading": "The lamp",
                "parent": None,
            }
        ],
        "quotes": [{"text": "Leave the lamp on.", "kind": "inline", "source": "paragraph", "speaker": "Ed"}],
        "comments": [
            {
                "id": "7",
                "parent_id": None,
                "depth": 0,
                "author": "Mo",
                "published": "2024-03-05T21:00:00+00:00",
                "text": "Best episode yet.",
            },
            {
                "id": "8",
                "parent_id": "7",
                "depth": 1,
                "author": "Rae Quill",
                "is_post_author": True,
                "published": "2024-03-05T21:30:00+00:00",
                "text": "Agreed!\n\nThe storm scene.",
            },
        ],
    }
    base.update(changes)
    return base


@pytest.fixture
def db(tmp_path):
    database = storage.open_db(tmp_path / "archive.db")
    yield database
    database.close()


def test_schema_tables_views_and_foreign_keys(db):
    tables = set(db.table_names())
    assert {"recaps", "headings", "paragraphs", "bullets", "quotes", "comments", "pages"} <= tables
    assert {"recaps_fts", "quotes_fts", "bullets_fts", "comments_fts"} <= tables
    assert {"episodes", "shows"} <= set(db.view_names())
    for child in storage.CHILD_TABLES:
        assert [(fk.column, fk.other_table) for fk in db[child].foreign_keys] == [("recap_id", "recaps")]
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_indexes_on_foreign_keys_and_episode(db):
    indexed = {tuple(index.columns) for table in db.tables for index in table.indexes}
    assert ("show", "season", "episode") in indexed
    assert ("recap_id", "position") in indexed


def test_round_trip_in_the_export_shape(db):
    storage.save_recap(db, recap())
    [back] = list(storage.iter_recaps(db))
    assert back["episode"] == 10 and back["episode_title"] == "The Long Dark"
    assert [c["id"] for c in back["comments"]] == ["7", "8"]
    assert back["comments"][1]["parent_id"] == "7" and back["comments"][1]["is_post_author"] is True
    assert back["comments"][1]["text"] == "Agreed!\n\nThe storm scene."
    assert back["paragraphs"][1] == {"section": "The lamp", "text": "A storm takes the lamp out."}


def test_two_parter_keeps_lists(db):
    storage.save_recap(db, recap(episode=[9, 10], episode_title=["Smoke", "Mirrors"]))
    [back] = list(storage.iter_recaps(db))
    assert back["episode"] == [9, 10] and back["episode_title"] == ["Smoke", "Mirrors"]
    assert db.execute("select count(*) from episodes").fetchone()[0] == 2


def test_upsert_on_canonical_url_never_duplicates(db):
    first = storage.save_recap(db, recap())
    changed = recap(title="Harbor Lights 4×10 (updated)", comments=recap()["comments"][:1])
    saved = storage.save_recap_changes(db, changed, seen_at="2030-01-01T00:00:00+00:00")
    assert first == saved.recap_id and not saved.new and saved.text_changed
    assert db["recaps"].count == 1
    assert db["recaps"].get(first)["title"] == "Harbor Lights 4×10 (updated)"
    assert (saved.new_comments, saved.removed_comments) == (0, 1)


def test_a_text_change_keeps_the_old_version(db):
    recap_id = storage.save_recap(db, recap(), seen_at="2030-01-01T00:00:00+00:00")
    edited = recap(paragraphs=[{"section": None, "text": "The keeper climbs the stairs, slowly."}])
    storage.save_recap_changes(db, edited, seen_at="2030-01-02T00:00:00+00:00")
    [revision] = db.query("select * from revisions where recap_id = ?", [recap_id])
    assert revision["seen_from"] == "2030-01-01T00:00:00+00:00"
    assert revision["seen_until"] == "2030-01-02T00:00:00+00:00"
    assert "A storm takes the lamp out." in revision["body_text"]
    assert db["recaps"].get(recap_id)["body_text"] == "The keeper climbs the stairs, slowly."
    unchanged = storage.save_recap_changes(db, edited, seen_at="2030-01-03T00:00:00+00:00")
    assert not unchanged.text_changed and db["revisions"].count == 1


def test_comments_are_never_deleted_only_marked_removed(db):
    recap_id = storage.save_recap(db, recap(), seen_at="2030-01-01T00:00:00+00:00")
    later = recap(comments=[*recap()["comments"][1:], {"id": "9", "text": "New here.", "author": "Lu"}])
    saved = storage.save_recap_changes(db, later, seen_at="2030-01-02T00:00:00+00:00")
    assert (saved.new_comments, saved.removed_comments) == (1, 1)
    rows = {r["comment_id"]: r for r in db.query("select * from comments where recap_id = ?", [recap_id])}
    assert rows["7"]["removed_at"] == "2030-01-02T00:00:00+00:00"
    assert rows["8"]["first_seen"] == "2030-01-01T00:00:00+00:00" and rows["8"]["removed_at"] is None
    assert rows["9"]["first_seen"] == "2030-01-02T00:00:00+00:00"
    assert db["recaps"].get(recap_id)["comment_count"] == 2
    incomplete = recap(comments=[])
    storage.save_recap_changes(db, incomplete, seen_at="2030-01-03T00:00:00+00:00", comments_complete=False)
    rows = {r["comment_id"]: r for r in db.query("select * from comments where recap_id = ?", [recap_id])}
    assert rows["8"]["removed_at"] is None  # a page we could not read removes nothing


def test_captures_store_each_body_once(db):
    headers = {"Content-Type": ["text/html; charset=utf-8"], "ETag": ['"abc"']}
    first = storage.save_capture(db, "https://site.example/a/", 200, headers, b"<html>same</html>")
    second = storage.save_capture(db, "https://site.example/b/", 200, headers, b"<html>same</html>")
    assert first != second and db["bodies"].count == 1
    capture = storage.load_capture(db, second)
    assert capture.body == b"<html>same</html>" and capture.content_type.startswith("text/html")
    assert db["captures"].get(first)["etag"] == '"abc"'


def test_crawl_rows_resume_the_unfinished_one(db):
    crawl_id, resumed = storage.start_crawl(db, ["https://site.example/"], {"DOWNLOAD_DELAY": 1})
    assert not resumed
    again, resumed = storage.start_crawl(db, ["https://site.example/"], {"DOWNLOAD_DELAY": 1})
    assert (again, resumed) == (crawl_id, True)
    storage.finish_crawl(db, crawl_id, {"pages": 3, "recaps": 1}, "finished")
    fresh, resumed = storage.start_crawl(db, ["https://site.example/"], {})
    assert fresh != crawl_id and not resumed
    assert db["crawls"].get(crawl_id)["finish_reason"] == "finished"


def test_failed_write_leaves_the_previous_version(db):
    storage.save_recap(db, recap())
    broken = recap(title="new title", comments=[{"id": "1", "text": "a"}, {"id": "1", "text": "dup id"}])
    with pytest.raises(sqlite3.IntegrityError):
        storage.save_recap(db, broken)
    [back] = list(storage.iter_recaps(db))
    assert back["title"] != "new title"
    assert len(back["comments"]) == 2 and db["paragraphs"].count == 2


def test_full_text_search_everywhere(db):
    storage.save_recap(db, recap())
    assert db["recaps"].search("storm")
    assert db["quotes"].search("lamp")
    assert db["bullets"].search("fog")
    assert db["comments"].search("storm")


def test_pages_upsert_and_link_to_recap(db):
    url = recap()["url"]
    storage.save_page(
        db, {"url": url, "status": 200, "kind": "recap", "is_recap": True, "canonical_url": url}
    )
    storage.save_page(
        db,
        {
            "url": "https://site.example/about/",
            "status": 200,
            "kind": "page",
            "reason": "static page, not a post",
        },
    )
    recap_id = storage.save_recap(db, recap())
    storage.link_pages_to_recaps(db)
    assert db["pages"].get(url)["recap_id"] == recap_id
    assert db["pages"].get("https://site.example/about/")["reason"] == "static page, not a post"


def test_export_names_hide_fts_shadow_tables(db):
    names = storage.exportable_names(db)
    assert "recaps" in names and "episodes" in names
    assert not [n for n in names if "_fts" in n]
    with pytest.raises(KeyError):
        storage.iter_rows(db, "sqlite_master; drop table recaps")


def test_the_same_show_spelled_two_ways_joins(db):
    storage.save_recap(db, recap())
    storage.save_recap(
        db, recap(url="https://other.example/hl-4x10/", site="other.example", show="Harbor Lights (Netflix)")
    )
    [row] = db.query("select * from show_aliases")
    assert row["show_key"] == "harbor lights" and row["site_count"] == 2 and row["recap_count"] == 2
    assert set(row["aliases"].split(",")) == {"Harbor Lights", "Harbor Lights (Netflix)"}

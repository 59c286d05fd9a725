"""``storage.save_recaps``: a batch written exactly as ``save_recap_changes`` one by one, atomically."""

import sqlite3

import pytest

from recapcrawl import storage
from recapcrawl.storage import FTS_CONFIG

T1, T2, T3 = "2030-01-01T00:00:00+00:00", "2030-01-02T00:00:00+00:00", "2030-01-03T00:00:00+00:00"
WRITTEN = ("recaps", *storage.CHILD_TABLES, "revisions")


def comment(cid, text, parent=None, **extra):
    return {
        "id": cid,
        "parent_id": parent,
        "depth": int(parent is not None),
        "author": f"A{cid}",
        "published": "2024-03-05T21:00:00+00:00",
        "text": text,
        **extra,
    }


def recap(n, title="Episode review", comments=("1", "2", "3"), text="The keeper climbs.", **changes):
    url = f"https://site.example/2024/03/harbor-lights-{n}/"
    base = {
        "url": url,
        "site": "site.example",
        "title": f"{title} {n}",
        "author": "Rae “Q” Quill",
        "published": f"2024-03-{n:02d}T20:00:00+00:00",
        "show": "Harbor Lights",
        "season": 4,
        "episode": n,
        "episode_title": ["Smoke", "Mirrors"],
        "categories": ["Recaps"],
        "tags": ["tv"],
        "headings": [{"level": 2, "text": "The lamp"}],
        "paragraphs": [{"section": None, "text": text}, {"section": "Lamp", "text": 'A storm, "quoted".'}],
        "bullets": [{"text": "Fog.", "list": 0, "ordered": True, "depth": 0, "heading": "Lamp"}],
        "quotes": [{"text": "Leave the lamp on.", "kind": "inline", "source": "paragraph", "speaker": "Ed"}],
        "comments": [
            comment(c, f"Comment {c} on {n}.", parent="1" if c == "3" else None, is_post_author=c == "2")
            for c in comments
        ],
    }
    base.update(changes)
    return base


def element(item, **options):
    return {"recap": item, "sources": [{"url": item["url"], "sha256": "0" * 64}], **options}


# Three crawls' batches: new recaps; edits, removed and new comments, an incomplete comment read, a
# re-split without a revision, and one URL twice in a batch; then a second edit of the same recap.
BATCHES = [
    (T1, [element(recap(1)), element(recap(2), comments_complete=False), element(recap(3, comments=()))]),
    (
        T2,
        [
            element(recap(1, text="The keeper runs.", comments=("2", "4"))),
            element(recap(4, comments=("9",))),
            element(recap(2, comments=("2",)), comments_complete=False),
            element(recap(3, title="Retitled"), keep_revision=False),
            element(recap(4, text="Second version in the same batch.", comments=("8", "9"))),
            element(recap(5)),
        ],
    ),
    (T3, [element(recap(1, text="The keeper walks.", comments=("1", "4"))), element(recap(6, comments=()))]),
]


def dump(db) -> dict[str, list[tuple]]:
    """Every row of every table a recap write touches, and what full-text search finds."""
    tables = {t: list(db.execute(f"select * from [{t}] order by rowid")) for t in WRITTEN}
    for table in FTS_CONFIG:
        db.execute(f"insert into [{table}_fts]([{table}_fts]) values ('integrity-check')")
        tables[f"{table}_fts"] = list(db.execute(f"select rowid, * from [{table}_fts] order by rowid"))
    tables["search"] = list(db.execute("select rowid from comments_fts where comments_fts match 'comment'"))
    return tables


def one_by_one(db, seen_at, batch):
    return [
        storage.save_recap_changes(
            db,
            e["recap"],
            seen_at,
            7,
            e.get("sources"),
            e.get("comments_complete", True),
            e.get("keep_revision", True),
        )
        for e in batch
    ]


@pytest.fixture
def two_dbs(tmp_path):
    first, second = storage.open_db(tmp_path / "single.db"), storage.open_db(tmp_path / "batch.db")
    yield first, second
    first.close()
    second.close()


def test_a_batch_writes_what_one_by_one_writes(two_dbs):
    single, batched = two_dbs
    for seen_at, batch in BATCHES:
        expected = one_by_one(single, seen_at, batch)
        assert storage.save_recaps(batched, batch, seen_at=seen_at, crawl_id=7) == expected
    assert dump(batched) == dump(single)
    assert batched["revisions"].count == 3  # recap 1 twice, the first recap 4 once; recap 3 kept none
    removed = dict(batched.execute("select comment_id, removed_at from comments where recap_id = 1"))
    assert removed == {"1": None, "2": T3, "3": T2, "4": None}  # "1" came back at T3
    assert not list(batched.query("select * from comments where recap_id = 2 and removed_at is not null"))


def test_results_tell_new_changed_and_comment_counts(tmp_path):
    db = storage.open_db(tmp_path / "archive.db")
    storage.save_recaps(db, BATCHES[0][1], seen_at=T1)
    results = storage.save_recaps(db, BATCHES[1][1], seen_at=T2)
    assert [(r.new, r.text_changed, r.new_comments, r.removed_comments) for r in results] == [
        (False, True, 1, 2),
        (True, False, 1, 0),
        (False, False, 0, 0),
        (False, True, 3, 0),
        (False, True, 1, 0),
        (True, False, 3, 0),
    ]
    assert results[1].recap_id == results[4].recap_id == 4
    assert [r.recap_id for r in results] == [1, 4, 2, 3, 4, 5]


def test_an_error_mid_batch_writes_nothing(tmp_path):
    db = storage.open_db(tmp_path / "archive.db")
    storage.save_recaps(db, BATCHES[0][1], seen_at=T1)
    before = dump(db)
    broken = recap(7, comments=("5", "5"))  # the same comment id twice
    batch = [element(recap(1, text="Changed.")), element(recap(8)), element(broken), element(recap(9))]
    with pytest.raises(sqlite3.IntegrityError):
        storage.save_recaps(db, batch, seen_at=T2)
    assert dump(db) == before
    assert not db.conn.in_transaction
    with pytest.raises(KeyError):
        storage.save_recaps(db, [element(recap(10)), {"recap": {"title": "no url"}}], seen_at=T2)
    assert dump(db) == before


def test_inside_an_outer_transaction_it_is_a_savepoint(tmp_path):
    db = storage.open_db(tmp_path / "archive.db")
    with db.atomic():
        storage.save_page(db, {"url": "https://site.example/about/", "status": 200, "kind": "page"})
        [saved] = storage.save_recaps(db, [element(recap(1))], seen_at=T1)
        with pytest.raises(sqlite3.IntegrityError):
            storage.save_recaps(db, [element(recap(2)), element(recap(3, comments=("4", "4")))], seen_at=T1)
        assert db.conn.in_transaction
    assert db["pages"].count == 1 and saved.recap_id == 1
    assert [r["url"] for r in db.query("select url from recaps")] == [recap(1)["url"]]
    assert db["comments"].count == 3
    with pytest.raises(RuntimeError), db.atomic():
        storage.save_recaps(db, [element(recap(5))], seen_at=T1)
        raise RuntimeError("the outer transaction fails")
    assert db["recaps"].count == 1


def test_an_empty_batch_writes_nothing(tmp_path):
    db = storage.open_db(tmp_path / "archive.db")
    assert storage.save_recaps(db, []) == []
    assert db["recaps"].count == 0


def test_a_large_batch_matches_one_by_one(two_dbs):
    single, batched = two_dbs
    batch = [
        element(recap(n % 28 + 1, title=f"Take {n // 28}", comments=[str(c) for c in range(n % 40)]))
        for n in range(150)
    ]
    expected = one_by_one(single, T1, batch)
    assert storage.save_recaps(batched, batch, seen_at=T1, crawl_id=7) == expected
    assert dump(batched) == dump(single)


def test_values_sqlite_cannot_store_are_converted_as_sqlite_utils_does(two_dbs):
    single, batched = two_dbs
    odd = recap(1, quotes=[{"text": "Q", "cite": {"href": "/x"}, "speaker": ["Ed", "Mo"]}])
    one_by_one(single, T1, [element(odd)])
    storage.save_recaps(batched, [element(odd)], seen_at=T1, crawl_id=7)
    assert dump(batched) == dump(single)
    [row] = batched.query("select cite, speaker from quotes")
    assert row == {"cite": '{"href": "/x"}', "speaker": '["Ed", "Mo"]'}


# ---------------------------------------------------------------- page rows by prepared SQL
def test_save_page_outside_a_batch_commits(tmp_path):
    db = storage.open_db(tmp_path / "archive.db")
    storage.save_page(db, {"url": "https://site.example/a", "kind": "other"})
    assert not db.conn.in_transaction
    other = sqlite3.connect(tmp_path / "archive.db")
    assert other.execute("select count(*) from pages").fetchone() == (1,)


def test_save_page_upsert_replaces_every_column(tmp_path):
    db = storage.open_db(tmp_path / "archive.db")
    url = "https://site.example/a"
    storage.save_page(db, {"url": url, "kind": "error", "reason": "HTTP 500", "status": 500})
    storage.save_page(db, {"url": "https://site.example/a", "kind": "recap", "is_recap": True, "status": 200})
    row = db.execute("select kind, reason, status, is_recap from pages").fetchall()
    assert row == [("recap", None, 200, 1)]

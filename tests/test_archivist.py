"""Archivist features against real loopback servers: raw captures, reparse, incremental re-crawls,
revisions and removed comments, the crawl log, resume after SIGKILL, WARC out and in, progress."""

from __future__ import annotations

import copy
import hashlib
import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from servers.fault_server import POLITENESS_OFF, crawl_command, setting_options

from recapcrawl import storage
from recapcrawl.offline import reparse
from recapcrawl.sample_site import SampleSites, load_truth
from recapcrawl.sample_site.content import Comment

pytestmark = pytest.mark.integration


def cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "recapcrawl.cli", *args], capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def crawl(urls: list[str], db: Path, *extra: str) -> dict:
    return json.loads(
        cli("crawl", *urls, "--db", str(db), *POLITENESS_OFF, "--json", "--quiet", *extra).stdout
    )


def query(db: Path, sql: str, params=()) -> list[sqlite3.Row]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """One crawl of the untouched sample site."""
    db = tmp_path_factory.mktemp("archive") / "recaps.db"
    with SampleSites() as sites:
        summary = crawl(sites.urls, db)
        truth = load_truth(*sites.urls)
        page = truth["recaps"][0]["url"]
        live = urllib.request.urlopen(page).read()
    return {"db": db, "summary": summary, "truth": truth, "page": page, "live": live}


# ---------------------------------------------------------------- raw captures and the crawl log


def test_every_response_is_captured_once_with_its_body(first):
    db = first["db"]
    [capture] = query(db, "select * from captures where url = ?", [first["page"]])
    [body] = query(db, "select * from bodies where sha256 = ?", [capture["sha256"]])
    assert capture["sha256"] == hashlib.sha256(first["live"]).hexdigest()
    assert body["size"] == len(first["live"]) and body["stored_size"] < body["size"]
    assert json.loads(capture["headers"])["Content-Type"][0].startswith("text/html")
    fetched = query(db, "select count(*) from pages where status is not null")[0][0]
    linked = query(db, "select count(*) from pages where status is not null and capture_id is not null")[0][0]
    assert linked == fetched
    distinct = query(db, "select count(distinct sha256) from captures")[0][0]
    assert query(db, "select count(*) from bodies")[0][0] == distinct


def test_crawl_log(first):
    [row] = query(first["db"], "select * from crawls")
    assert row["finished"] and row["finish_reason"] == "finished"
    assert row["recaps"] == len(first["truth"]["recaps"])
    assert row["new_comments"] == sum(len(r["comments"]) for r in first["truth"]["recaps"])
    assert json.loads(row["settings"])["ROBOTSTXT_OBEY"] is True
    assert (
        query(first["db"], "select count(*) from recaps where crawl_id = ?", [row["id"]])[0][0]
        == row["recaps"]
    )


# ---------------------------------------------------------------- reparse


def test_reparse_uses_no_network_and_reports_changes(first, tmp_path, monkeypatch):
    db_path = tmp_path / "copy.db"
    with sqlite3.connect(first["db"]) as source, sqlite3.connect(db_path) as target:
        source.backup(target)

    def no_network(*args, **kwargs):
        raise AssertionError("reparse tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    db = storage.open_db(db_path)
    assert reparse(db).changed == 0  # same code, same split (in worker processes)

    from recapcrawl.extraction import body

    monkeypatch.setattr(body, "find_quote_spans", lambda text: [])  # an "extraction rule" changes
    with_quotes = {r[0] for r in db.execute("select distinct recap_id from quotes where kind = 'inline'")}
    changed = reparse(db, workers=0)  # in this process, where the rule was changed
    assert changed.changed == len(with_quotes) > 0
    assert db.execute("select count(*) from quotes where kind = 'inline'").fetchone()[0] == 0
    assert db["revisions"].count == 0  # our reading changed, not the site
    monkeypatch.undo()
    assert reparse(db).changed == len(with_quotes)
    db.close()


def test_reparse_command_filters_by_site(first, tmp_path):
    db_path = tmp_path / "copy.db"
    with sqlite3.connect(first["db"]) as source, sqlite3.connect(db_path) as target:
        source.backup(target)
    site = first["page"].split("/")[2]
    result = json.loads(cli("reparse", "--db", str(db_path), "--site", site, "--json").stdout)
    expected = sum(1 for r in first["truth"]["recaps"] if r["url"].split("/")[2] == site)
    assert result["recaps"] == result["unchanged"] == expected


# ---------------------------------------------------------------- WARC


def test_warc_export_passes_warcio_check_and_imports_back(first, tmp_path):
    warc = tmp_path / "capture.warc.gz"
    cli("export", "--db", str(first["db"]), "--format", "warc", "--output", str(warc))
    warcio = Path(sys.executable).parent / "warcio"
    subprocess.run([str(warcio), "check", str(warc)], check=True, capture_output=True)
    index = subprocess.run([str(warcio), "index", str(warc)], check=True, capture_output=True, text=True)
    types = [json.loads(line)["warc-type"] for line in index.stdout.splitlines()]
    captures = query(first["db"], "select count(*) from captures")[0][0]
    assert types[0] == "warcinfo" and types.count("response") == types.count("request") == captures

    imported = tmp_path / "imported.db"
    cli("import-warc", str(warc), "--db", str(imported))
    original = {
        r["url"]: r["content_sha256"] for r in query(first["db"], "select url, content_sha256 from recaps")
    }
    again = {r["url"]: r["content_sha256"] for r in query(imported, "select url, content_sha256 from recaps")}
    assert again == original
    comments = "select count(*) from comments"
    assert query(imported, comments)[0][0] == query(first["db"], comments)[0][0]


# ---------------------------------------------------------------- incremental re-crawl, revisions


def _edit_site(sites: SampleSites, truth: dict) -> dict:
    """Change the WordPress blog the way a live site changes between two crawls."""
    blog = sites.sites[0].blog = copy.deepcopy(sites.sites[0].blog)  # the content is shared: edit a copy
    post = next(p for p in blog.posts if "low-water" in p.slug)  # the recap with three comment pages
    paragraph = next(b for b in post.body if b["type"] == "paragraph")
    old_text = paragraph["html"]
    paragraph["html"] = old_text + " (Edited: the causeway scene runs longer in the broadcast cut.)"
    post.modified = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)  # edited after the crawl
    threads = [c for c in post.comments if c.parent is None]
    parent = threads[len(threads) // 2]  # a thread in the middle of the pages
    when = post.modified + timedelta(seconds=1)
    reply = Comment("99001", parent.id, "Late Reader", None, when, ["Only just caught up. Wow."])
    parent.children.append(reply)
    post.comments.append(reply)
    removed = next(c for c in post.comments if c.parent is None and not c.children and c is not parent)
    post.comments.remove(removed)
    return {"post": post, "old_text": old_text, "reply": reply, "removed": removed}


def test_incremental_recrawl_revisions_and_removed_comments(tmp_path):
    db = tmp_path / "recaps.db"
    with SampleSites() as sites:
        first = crawl(sites.urls, db)
        unchanged = crawl(sites.urls, db)
        truth = load_truth(*sites.urls)
        wordpress = sites.wordpress_url
        change = _edit_site(sites, truth)
        changed = crawl(sites.urls, db)

    assert unchanged["pages_downloaded"] <= first["pages_downloaded"] * 0.3, unchanged
    assert unchanged["recaps"] == 0 or unchanged["recaps"] == unchanged["recaps_unchanged"]

    url = next(
        r["url"] for r in truth["recaps"] if r["url"].startswith(wordpress) and "low-water" in r["url"]
    )
    [recap] = query(db, "select * from recaps where url = ?", [url])
    assert "(Edited:" in recap["body_text"]
    [revision] = query(db, "select * from revisions where recap_id = ?", [recap["id"]])
    assert "(Edited:" not in revision["body_text"] and revision["seen_until"] == recap["last_seen"]
    comments = {
        r["comment_id"]: r for r in query(db, "select * from comments where recap_id = ?", [recap["id"]])
    }
    assert comments[change["reply"].id]["removed_at"] is None
    assert comments[change["reply"].id]["parent_id"] == change["reply"].parent
    assert comments[change["removed"].id]["removed_at"] == recap["last_seen"]
    others = [c for cid, c in comments.items() if cid not in (change["reply"].id, change["removed"].id)]
    assert all(c["first_seen"] < recap["last_seen"] and c["removed_at"] is None for c in others)
    assert changed["new_comments"] == 1
    crawls = query(db, "select * from crawls order by id")
    assert [c["finish_reason"] for c in crawls] == ["finished"] * 3
    assert recap["crawl_id"] == crawls[-1]["id"]


# ---------------------------------------------------------------- resume after SIGKILL


def test_resume_after_sigkill_loses_and_duplicates_nothing(tmp_path):
    db = tmp_path / "recaps.db"
    with SampleSites() as sites:
        one_at_a_time = {
            "DOWNLOAD_DELAY": 0.05,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        }
        command = crawl_command(sites.urls, db, "--quiet", "--json", *setting_options(one_at_a_time))
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # kill it once it has archived some, but not all, recaps
            time.sleep(0.2)
            if db.exists():
                try:
                    done = query(db, "select count(*) from recaps")[0][0]
                except sqlite3.OperationalError:
                    continue
                if done >= 2:
                    break
        process.send_signal(signal.SIGKILL)
        process.wait()
        before = {r[0] for r in query(db, "select url from captures where status = 200")}
        assert query(db, "select finished from crawls")[0][0] is None
        resumed = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        truth = load_truth(*sites.urls)
    summary = json.loads(resumed.stdout)
    assert summary["pages_replayed"] >= len(before) > 0
    urls = [r[0] for r in query(db, "select url from recaps")]
    assert sorted(urls) == sorted(r["url"] for r in truth["recaps"])
    assert query(db, "select count(*) from comments")[0][0] == sum(
        len(r["comments"]) for r in truth["recaps"]
    )
    twice = query(db, "select url from captures where status = 200 group by url having count(*) > 1")
    assert twice == []  # nothing archived before the kill was downloaded again
    [row] = query(db, "select * from crawls")
    assert row["resumed"] == 1 and row["finish_reason"] == "finished"
    assert query(db, "pragma integrity_check")[0][0] == "ok"


# ---------------------------------------------------------------- progress


def test_progress_line_and_quiet(tmp_path):
    with SampleSites() as sites:
        base = [sys.executable, "-m", "recapcrawl.cli", "crawl", sites.wordpress_url, *POLITENESS_OFF]
        noisy = subprocess.run(
            [*base, "--db", str(tmp_path / "a.db"), "-s", "RECAPCRAWL_PROGRESS_INTERVAL=0.2"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        quiet = subprocess.run(
            [*base, "--db", str(tmp_path / "b.db"), "--quiet"], capture_output=True, text=True, timeout=300
        )
    assert noisy.returncode == quiet.returncode == 0
    assert " pages · " in noisy.stderr and " recaps · " in noisy.stderr and "pages/s" in noisy.stderr
    assert "recaps archived" in noisy.stderr  # the summary
    assert quiet.stderr.strip() == "" and quiet.stdout.strip() == ""

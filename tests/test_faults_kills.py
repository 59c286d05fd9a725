"""Kills and concurrency: SIGKILL at random points then resume; Datasette reading while a crawl writes;
two crawls started on the same archive at once.

All against the bundled sample site (two blogs on loopback) and its ground truth, with the real CLI in
subprocesses. The kill points are drawn from a seeded generator: ``RECAPCRAWL_FAULT_SEED`` (default 7)
picks another set; ``RECAPCRAWL_FAULT_KILLS`` (default 3) how many kills.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from datasette.app import Datasette
from datasette.utils import parse_metadata
from servers.fault_server import consistency_problems, crawl_command, duplicates

from recapcrawl.sample_site import SampleSites, load_truth

pytestmark = [pytest.mark.faults, pytest.mark.integration, pytest.mark.timeout(240)]
FAULT_CATEGORY = "Kills and concurrency"
ARCHIVE = Path(__file__).resolve().parent.parent / "archive"
SEED = int(os.environ.get("RECAPCRAWL_FAULT_SEED", "7"))
KILLS = int(os.environ.get("RECAPCRAWL_FAULT_KILLS", "3"))
# A crawl of the sample site takes 3–5 s at full speed: too quick to be interrupted in the middle
# at random or watched growing. A 0.1 s delay between requests stretches it to about 12 s (1.5 s of it
# start-up), and a batch committed every 0.25 s gives the kills and the readers many states to land on.
SETTINGS = [
    "-s",
    "DOWNLOAD_DELAY=0.1",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=1",
    "-s",
    "RECAPCRAWL_BATCH_SECONDS=0.25",
]


def slowed_crawl_command(urls: list[str], db: Path, *extra: str) -> list[str]:
    """A quiet ``--json`` crawl at the pace of ``SETTINGS``."""
    return crawl_command(urls, db, "--quiet", "--json", *SETTINGS, *extra)


def read_only(db: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    return connection


def archive_vs_truth(db: Path, truth: dict) -> dict:
    """Lost and duplicated recaps and comments, against the sample site's ground truth."""
    with read_only(db) as connection:
        urls = [r[0] for r in connection.execute("select url from recaps")]
        comments = {
            url: [
                r[0]
                for r in connection.execute(
                    "select comment_id from comments join recaps on recaps.id = recap_id where url = ?", [url]
                )
            ]
            for url in urls
        }
        twice = duplicates(connection)
        problems = consistency_problems(connection)
    expected = {r["url"]: [c["id"] for c in r["comments"]] for r in truth["recaps"]}
    lost_comments = sum(len(set(ids) - set(comments.get(url, []))) for url, ids in expected.items())
    return {
        "lost": sorted(set(expected) - set(urls)),
        "lost_comments": lost_comments,
        "duplicated": twice + len(urls) - len(set(urls)),
        "extra": sorted(set(urls) - set(expected)),
        "problems": problems,
    }


# ---------------------------------------------------------------- SIGKILL at random points, then resume


@pytest.fixture(scope="module")
def killed(tmp_path_factory):
    """Crawl the sample site, SIGKILL it at KILLS random moments (each restart resumes the interrupted
    crawl), then let the last run finish. A run that finishes before its kill ends the series.

    The first kill lands a random 0–1 s after the first recaps are committed (so at least one lands in
    the middle of the crawl, whatever the machine's speed); the others at a random 1–4.5 s after start,
    which may be during start-up, while replaying, or while writing."""
    db = tmp_path_factory.mktemp("kills") / "recaps.db"
    rng = random.Random(SEED)
    kills, final = [], None
    with SampleSites() as sites:
        truth = load_truth(*sites.urls)
        command = slowed_crawl_command(sites.urls, db)
        for number in range(KILLS):
            # A whole crawl takes ~12 s here (~1.5 s of it start-up); after three kills at most 4.5 s in,
            # the resumed run still has more than 4.5 s to go, so no kill lands while it exits.
            after = round(rng.uniform(1.0, 4.5), 2) if number else None
            extra = round(rng.uniform(0.0, 1.0), 2)
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            started = time.monotonic()
            if after is None:
                while process.poll() is None and not _has_recaps(db) and time.monotonic() - started < 60:
                    time.sleep(0.02)
                after = round(time.monotonic() - started + extra, 2)
            try:
                out, err = process.communicate(timeout=max(0.0, after - (time.monotonic() - started)))
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.communicate()
            else:
                final = subprocess.CompletedProcess(command, process.returncode, out, err)
                break
            state = {"after_seconds": after}
            if db.exists():
                with read_only(db) as connection:
                    state["integrity"] = connection.execute("pragma integrity_check").fetchone()[0]
                    state["problems"] = consistency_problems(connection)
                    state["recaps"] = connection.execute("select count(*) from recaps").fetchone()[0]
                    state["crawl_open"] = connection.execute(
                        "select count(*) from crawls where finished is null"
                    ).fetchone()[0]
                    resumed = connection.execute("select max(resumed) from crawls").fetchone()[0]
                    state["resumed"] = resumed or 0
            kills.append(state)
        if final is None:
            final = subprocess.run(command, capture_output=True, text=True, timeout=180)
    return {"db": db, "truth": truth, "kills": kills, "final": final}


def test_every_kill_left_a_sound_archive(killed):
    """After each SIGKILL, before resuming: integrity_check ok, no half-written recap, no orphan rows."""
    for state in killed["kills"]:
        if "integrity" in state:
            assert state["integrity"] == "ok", state
            assert state["problems"] == [], state


def test_kills_happened_mid_crawl(killed):
    """At least one kill landed after some recaps were archived and before the crawl was done."""
    total = len(killed["truth"]["recaps"])
    assert any(0 < s.get("recaps", 0) < total for s in killed["kills"]), killed["kills"]


def test_resumed_crawl_finishes(killed):
    final = killed["final"]
    assert final.returncode == 0, final.stderr[-3000:]
    assert json.loads(final.stdout)["finish_reason"] == "finished"
    with read_only(killed["db"]) as connection:
        crawls = connection.execute("select * from crawls").fetchall()
    assert len(crawls) == 1, [dict(c) for c in crawls]  # every restart resumed the one interrupted crawl
    assert crawls[0]["finish_reason"] == "finished"
    # Each restart resumes the open crawl; one killed while still starting up (before it got that far,
    # on a loaded machine) does not count. So: the final run resumed once more than the last killed one
    # had recorded, and there are never more resumes than kills that left the crawl open.
    kills = [s for s in killed["kills"] if "resumed" in s]
    opened = sum(1 for s in killed["kills"] if s.get("crawl_open"))
    expected = kills[-1]["resumed"] + (1 if kills[-1].get("crawl_open") else 0) if kills else 0
    assert crawls[0]["resumed"] == expected and 1 <= crawls[0]["resumed"] <= opened


def test_nothing_lost_or_duplicated(killed):
    """Every recap and comment of the ground truth archived exactly once; integrity_check ok."""
    result = archive_vs_truth(killed["db"], killed["truth"])
    assert result == {"lost": [], "lost_comments": 0, "duplicated": 0, "extra": [], "problems": []}


def test_no_page_downloaded_twice(killed):
    """What an interrupted run archived was replayed, not downloaded again."""
    with read_only(killed["db"]) as connection:
        twice = connection.execute(
            "select url, count(*) from captures where status = 200 group by url having count(*) > 1"
        ).fetchall()
    assert [tuple(r) for r in twice] == []


# ---------------------------------------------------------------- Datasette reading while a crawl writes


def mutable_datasette(db: Path) -> Datasette:
    """Datasette as ``recapcrawl serve`` runs it while a crawl writes: read-only, not immutable."""
    return Datasette(
        files=[str(db)],
        metadata=parse_metadata((ARCHIVE / "metadata.yml").read_text()),
        template_dir=str(ARCHIVE / "templates"),
        plugins_dir=str(ARCHIVE / "plugins"),
        settings=json.loads((ARCHIVE / "settings.json").read_text()),
    )


@pytest.fixture(scope="module")
def read_while_writing(tmp_path_factory):
    db = tmp_path_factory.mktemp("readers") / "recaps.db"
    results = {"requests": 0, "errors": [], "locked": 0, "snapshots": 0, "half_written": [], "saw": set()}
    with SampleSites() as sites:
        truth = load_truth(*sites.urls)
        process = subprocess.Popen(
            slowed_crawl_command(sites.urls, db), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not _has_recaps(db):
                time.sleep(0.1)
            ds = mutable_datasette(db)
            loop = asyncio.new_event_loop()
            loop.run_until_complete(ds.invoke_startup())
            while process.poll() is None and time.monotonic() < deadline:
                _read_once(ds, loop, db, results)
            _read_once(ds, loop, db, results)  # and once more after the crawl ended
            loop.close()
        finally:
            if process.poll() is None:
                process.kill()
            out, err = process.communicate()
    return {"db": db, "truth": truth, "results": results, "returncode": process.returncode, "stderr": err}


def _has_recaps(db: Path) -> bool:
    if not db.exists():
        return False
    try:
        with read_only(db) as connection:
            return connection.execute("select count(*) from recaps").fetchone()[0] > 0
    except sqlite3.OperationalError:
        return False


def _read_once(ds: Datasette, loop, db: Path, results: dict) -> None:
    """One round of reads: Datasette pages of every kind, then a consistency snapshot with plain SQLite."""
    ids = []
    with read_only(db) as connection:
        connection.execute("pragma busy_timeout = 0")  # a reader that had to wait would fail here
        try:
            ids = [r[0] for r in connection.execute("select id from recaps order by id")]
            rows = connection.execute(
                "select url, paragraph_count, comment_count,"
                " (select count(*) from paragraphs p where p.recap_id = r.id),"
                " (select count(*) from comments c where c.recap_id = r.id) from recaps r"
            ).fetchall()
            results["snapshots"] += 1
            results["half_written"] += [tuple(r) for r in rows if r[1] != r[3] or r[2] != r[4]]
            results["saw"].add(len(ids))
        except sqlite3.OperationalError as exc:
            results["locked" if "locked" in str(exc) else "errors"] += 1
    paths = [
        "/",
        "/recaps",
        "/recaps/recaps",
        "/recaps/comments.json?_size=max",
        "/recaps/episodes",
        "/recaps/pages?_sort_desc=fetched_at",
        "/-/search?q=the",
        "/-/search.json?q=episode",
        "/recaps/search_everything?q=the",
        "/recaps/most_discussed?show=",
    ]
    paths += [f"/recaps/recaps/{rid}" for rid in ids[-2:]] + [
        f"/recaps/recap_comments?recap={rid}" for rid in ids[-1:]
    ]
    for path in paths:
        response = loop.run_until_complete(ds.client.get(path))
        results["requests"] += 1
        if "database is locked" in response.text:
            results["locked"] += 1
        if response.status_code != 200:
            results["errors"].append((path, response.status_code, response.text[:200]))


def test_readers_never_see_locked_or_half_written(read_while_writing):
    """Datasette pages of every kind and plain SQLite readers, all through the crawl: no error, no
    'database is locked', no recap whose counts disagree with its rows (each recap appears whole)."""
    results = read_while_writing["results"]
    assert read_while_writing["returncode"] == 0, read_while_writing["stderr"][-3000:]
    assert results["errors"] == [] and results["locked"] == 0
    assert results["half_written"] == []
    assert results["requests"] >= 50 and results["snapshots"] >= 5
    assert len(results["saw"]) >= 3  # the readers watched the archive grow


def test_archive_complete_after_reading(read_while_writing):
    result = archive_vs_truth(read_while_writing["db"], read_while_writing["truth"])
    assert result == {"lost": [], "lost_comments": 0, "duplicated": 0, "extra": [], "problems": []}


# ---------------------------------------------------------------- two crawls on one archive


@pytest.fixture(scope="module")
def two_crawls(tmp_path_factory):
    """Two crawls of the same site into the same archive, started at the same instant; then a third
    started while one of them is surely writing."""
    root = tmp_path_factory.mktemp("two")
    db = root / "recaps.db"
    with SampleSites() as sites:
        urls = [sites.wordpress_url]
        truth = load_truth(*sites.urls)
        truth = {"recaps": [r for r in truth["recaps"] if r["url"].startswith(sites.wordpress_url)]}
        command = slowed_crawl_command(urls, db, "-s", "DOWNLOAD_DELAY=0.05")
        both = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=180) for p in both]
        late_db = root / "late.db"
        first = subprocess.Popen(
            slowed_crawl_command(urls, late_db, "-s", "DOWNLOAD_DELAY=0.05"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _has_recaps(late_db):
            time.sleep(0.05)
        started = time.monotonic()
        second = subprocess.run(
            slowed_crawl_command(urls, late_db), capture_output=True, text=True, timeout=120
        )
        refused_in = time.monotonic() - started
        first_out = first.communicate(timeout=180)
    return {
        "db": db,
        "truth": truth,
        "both": [(p.returncode, out, err) for p, (out, err) in zip(both, outputs, strict=True)],
        "late_db": late_db,
        "first": (first.returncode, *first_out),
        "second": second,
        "refused_in": refused_in,
    }


def _refusal_ok(returncode: int, err: str) -> bool:
    return returncode != 0 and "another crawl" in err and "Traceback" not in err


def _crawled(returncode: int, out: str, err: str) -> bool:
    """Exit 0, no traceback, and a summary of a crawl that finished."""
    try:
        summary = json.loads(out)
    except ValueError:
        return False
    return returncode == 0 and "Traceback" not in err and summary.get("finish_reason") == "finished"


def test_simultaneous_crawls_leave_a_complete_archive(two_crawls):
    """Started at once: whatever each crawl says, the archive ends complete, consistent, no duplicates."""
    assert any(_crawled(*r) for r in two_crawls["both"]), [(r[0], r[2][-1500:]) for r in two_crawls["both"]]
    result = archive_vs_truth(two_crawls["db"], two_crawls["truth"])
    assert result == {"lost": [], "lost_comments": 0, "duplicated": 0, "extra": [], "problems": []}


def test_simultaneous_crawls_are_refused_or_serialised(two_crawls):
    """Started at once: one crawl runs, the other is refused with a clear one-line message and a non-zero
    exit status (or they run one after the other, both finished)."""
    results = two_crawls["both"]
    ok = [r for r in results if _crawled(*r)]
    refused = [r for r in results if _refusal_ok(r[0], r[2])]
    assert len(ok) >= 1 and len(ok) + len(refused) == 2, [(r[0], r[1][:200], r[2][-800:]) for r in results]


def test_crawl_started_during_another_is_refused_at_once(two_crawls):
    """A crawl started while another writes to the archive exits at once, non-zero, saying why."""
    second = two_crawls["second"]
    assert _refusal_ok(second.returncode, second.stderr), (second.returncode, second.stderr[-2000:])
    assert "another crawl (pid " in second.stderr and str(two_crawls["late_db"]) in second.stderr
    assert two_crawls["refused_in"] < 10
    assert two_crawls["first"][0] == 0, two_crawls["first"][2][-2000:]
    result = archive_vs_truth(two_crawls["late_db"], two_crawls["truth"])
    assert result == {"lost": [], "lost_comments": 0, "duplicated": 0, "extra": [], "problems": []}


# ---------------------------------------------------------------- figures


def test_figures(killed, read_while_writing, two_crawls, record_property):
    results = [
        archive_vs_truth(killed["db"], killed["truth"]),
        archive_vs_truth(read_while_writing["db"], read_while_writing["truth"]),
        archive_vs_truth(two_crawls["db"], two_crawls["truth"]),
        archive_vs_truth(two_crawls["late_db"], two_crawls["truth"]),
    ]
    survived = [
        killed["final"].returncode == 0,
        read_while_writing["returncode"] == 0,
        any(_crawled(*r) for r in two_crawls["both"]),
        two_crawls["first"][0] == 0,
    ]
    reads = read_while_writing["results"]
    figures = {
        "category": FAULT_CATEGORY,
        "kinds": [f"SIGKILL at {s['after_seconds']} s" for s in killed["kills"]]
        + [
            "Datasette and SQLite readers during a crawl",
            "two crawls started at once",
            "a crawl started during another",
        ],
        "crawls": len(survived),
        "survived": sum(survived),
        "kills": len(killed["kills"]),
        "refused": sum(_refusal_ok(r[0], r[2]) for r in two_crawls["both"])
        + _refusal_ok(two_crawls["second"].returncode, two_crawls["second"].stderr),
        "expected_recaps": len(killed["truth"]["recaps"]) * 2 + len(two_crawls["truth"]["recaps"]) * 2,
        "lost": [url for r in results for url in r["lost"]],
        "lost_comments": sum(r["lost_comments"] for r in results),
        "duplicated": sum(r["duplicated"] for r in results),
        "reader_requests": reads["requests"] + reads["snapshots"],
        "reader_errors": len(reads["errors"]) + reads["locked"],
        "seed": SEED,
    }
    record_property("fault_figures", figures)
    assert figures["lost"] == [] and figures["duplicated"] == 0 and figures["reader_errors"] == 0

"""Extraction in worker processes (``recapcrawl.crawler.workers``): the same archive as in one process, a
page whose extraction fails or kills its worker becomes a page row and the crawl goes on, and no
worker process outlives its crawl (even a SIGKILLed one).

Run as a script (``python tests/test_pipeline_workers.py URL… --db DB``), this file crawls with a spider
whose page reader raises on one recap and kills its worker on another.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from servers.fault_server import POLITENESS_OFF, crawl_command

from recapcrawl.crawler.readings import read_page
from recapcrawl.crawler.spiders.recaps import RecapsSpider
from recapcrawl.crawler.workers import ExtractPool
from recapcrawl.sample_site import SampleSites, load_truth

pytestmark = pytest.mark.integration
RAISES, DIES = "RAISE_ON", "DIE_ON"  # environment: the URL whose reading raises / kills its worker


# ---------------------------------------------------------------- jobs and a spider with faults
def boom(value: int) -> int:
    if value < 0:
        raise RuntimeError(f"boom {value}")
    return value * 2


def die(value: int) -> int:
    if value < 0:
        os._exit(3)
    return value * 2


def faulty_read_page(body: bytes, charset: str | None, url: str, *args) -> dict:
    if url == os.environ.get(RAISES):
        raise RuntimeError("extraction bug on purpose")
    if url == os.environ.get(DIES):
        os._exit(3)
    return read_page(body, charset, url, *args)


class FaultySpider(RecapsSpider):
    name = "recaps_faulty"
    page_reader = staticmethod(faulty_read_page)


def crawl_with_faults(urls: list[str], db: str) -> None:
    from scrapy.crawler import CrawlerProcess

    from recapcrawl.crawl import crawl_settings

    overrides = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "RECAPCRAWL_EXTRACT_WORKERS": 2}
    process = CrawlerProcess(crawl_settings(db, overrides))
    process.crawl(FaultySpider, start_urls=urls)
    process.start()


# ---------------------------------------------------------------- helpers
def crawl(urls: list[str], db: Path, *extra: str, env: dict | None = None) -> dict:
    command = crawl_command(urls, db, "--json", "--quiet", *POLITENESS_OFF, *extra)
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return connection.execute(sql).fetchall()


def archive_contents(db: Path) -> dict:
    """What a crawl archived, without the ids, times and orders that vary from run to run."""
    recaps = rows(
        db,
        "select url, title, show, season, episode, author, body_text, content_sha256, "
        "comments_complete from recaps order by url",
    )
    comments = rows(
        db,
        "select r.url, c.comment_id, c.author, c.text from comments c "
        "join recaps r on r.id = c.recap_id order by r.url, c.comment_id",
    )
    pages = rows(
        db,
        "select url, status, kind, is_recap, reason, canonical_url, title, size, "
        "recap_id is not null, capture_id is not null from pages order by url",
    )
    captures = rows(db, "select url, status, sha256 from captures order by url")
    return {"recaps": recaps, "comments": comments, "pages": pages, "captures": captures}


def tagged_processes(tag: str) -> list[int]:
    """Processes whose environment carries ``tag`` (a crawl and the workers it started)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and tag.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def tagged_env() -> tuple[str, dict]:
    tag = f"RECAPCRAWL_TEST_TAG={uuid.uuid4().hex}"
    name, value = tag.split("=")
    return tag, {**os.environ, name: value}


@pytest.fixture(scope="module")
def sites():
    with SampleSites() as running:
        yield running


# ---------------------------------------------------------------- the pool itself
def test_workers_start_with_the_pool_and_ignore_sigint_from_the_first_instant():
    """A Ctrl-C that reaches a worker while it is still importing (the pool starts them at once) must
    not kill it: SIGINT is ignored when they are spawned, and that survives their exec."""
    with ExtractPool(2) as pool:
        started = pool.pids()
        assert len(started) == 2  # running before any job was asked for
        for pid in started:
            os.kill(pid, signal.SIGINT)
        time.sleep(1.0)
        assert asyncio.run(pool.run(os.getpid)) in started
        assert pool.restarts == 0 and pool.pids() == started


def test_pool_runs_jobs_in_worker_processes():
    async def jobs(pool: ExtractPool) -> list:
        return await asyncio.gather(*(pool.run(os.getpid) for _ in range(8)))

    with ExtractPool(2) as pool:
        pids = set(asyncio.run(jobs(pool)))
        assert pids and os.getpid() not in pids and pids <= set(pool.pids())
    with ExtractPool(0) as pool:
        assert set(asyncio.run(jobs(pool))) == {os.getpid()}


def test_pool_passes_a_job_exception_to_the_caller():
    async def jobs(pool: ExtractPool):
        return await asyncio.gather(
            pool.run(boom, 2), pool.run(boom, -1), pool.run(boom, 3), return_exceptions=True
        )

    with ExtractPool(2) as pool:
        first, failed, last = asyncio.run(jobs(pool))
    assert (first, last) == (4, 6)
    assert isinstance(failed, RuntimeError) and str(failed) == "boom -1"


def test_a_dead_worker_fails_only_its_own_job():
    async def jobs(pool: ExtractPool):
        return await asyncio.gather(*(pool.run(die, n) for n in (1, 2, -1, 3, 4)), return_exceptions=True)

    with ExtractPool(2) as pool:
        results = asyncio.run(jobs(pool))
        assert results[:2] + results[3:] == [2, 4, 6, 8]
        assert isinstance(results[2], BrokenProcessPool)
        assert asyncio.run(pool.run(die, 5)) == 10  # the pool works again afterwards


def test_imap_keeps_order():
    with ExtractPool(2, pending=3) as pool:
        assert list(pool.imap(boom, [(n,) for n in range(20)])) == [n * 2 for n in range(20)]


# ---------------------------------------------------------------- crawls
def test_workers_archive_what_one_process_archives(sites, tmp_path):
    with_workers = crawl(sites.urls, tmp_path / "workers.db", "-s", "RECAPCRAWL_EXTRACT_WORKERS=2")
    in_process = crawl(sites.urls, tmp_path / "one.db", "-s", "RECAPCRAWL_EXTRACT_WORKERS=0")
    for key in ("pages_downloaded", "recaps", "comments", "pages", "captures", "errors"):
        assert with_workers[key] == in_process[key], key
    assert with_workers["recaps"] == len(load_truth(*sites.urls)["recaps"])
    assert archive_contents(tmp_path / "workers.db") == archive_contents(tmp_path / "one.db")
    for db in ("workers.db", "one.db"):  # bodies compressed by the workers decompress to what was fetched
        bodies = rows(tmp_path / db, "select sha256, data, size from bodies")
        assert bodies and all(
            hashlib.sha256(raw := gzip.decompress(data)).hexdigest() == digest and len(raw) == size
            for digest, data, size in bodies
        )


def test_a_failing_page_becomes_a_row_and_the_crawl_goes_on(sites, tmp_path):
    truth = load_truth(*sites.urls)
    raises, dies = truth["recaps"][0]["url"], truth["recaps"][1]["url"]
    db = tmp_path / "faulty.db"
    env = {**os.environ, RAISES: raises, DIES: dies, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, __file__, *sites.urls, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    reasons = dict(rows(db, "select url, reason from pages where kind = 'error'"))
    assert reasons[raises] == "extraction failed: RuntimeError: extraction bug on purpose"
    assert reasons[dies].startswith("extraction failed: BrokenProcessPool")
    archived = {url for (url,) in rows(db, "select url from recaps")}
    assert archived == {r["url"] for r in truth["recaps"]} - {raises, dies}
    assert rows(db, "select finish_reason from crawls") == [("finished",)]


def test_no_worker_outlives_its_crawl(sites, tmp_path):
    tag, env = tagged_env()
    crawl(sites.urls, tmp_path / "done.db", "-s", "RECAPCRAWL_EXTRACT_WORKERS=2", env=env)
    assert tagged_processes(tag) == []


def started_with_workers(urls: list[str], db: Path, tag_env: tuple[str, dict]) -> subprocess.Popen:
    """A crawl (its own process group, as from a terminal) once its two workers are running."""
    tag, env = tag_env
    options = ["--quiet", "--json", *POLITENESS_OFF, "-s", "RECAPCRAWL_EXTRACT_WORKERS=2"]
    command = crawl_command(urls, db, *options)
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 30
    while len(tagged_processes(tag)) < 3 and time.monotonic() < deadline:  # the crawl and its 2 workers
        time.sleep(0.05)
    assert len(tagged_processes(tag)) >= 3, "the workers never started"
    return process


def gone(tag: str, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while tagged_processes(tag) and time.monotonic() < deadline:
        time.sleep(0.1)
    return tagged_processes(tag) == []


def test_no_worker_outlives_a_killed_crawl(sites, tmp_path):
    tag_env = tagged_env()
    process = started_with_workers(sites.urls, tmp_path / "k.db", tag_env)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert gone(tag_env[0])


def test_ctrl_c_stops_the_crawl_and_its_workers(sites, tmp_path):
    """SIGINT to the whole process group (a terminal's Ctrl-C): the crawl closes cleanly, workers too."""
    tag_env = tagged_env()
    process = started_with_workers(sites.urls, tmp_path / "c.db", tag_env)
    os.killpg(process.pid, signal.SIGINT)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    assert json.loads(out)["finish_reason"] in ("shutdown", "finished")
    assert gone(tag_env[0])
    assert rows(tmp_path / "c.db", "select finish_reason from crawls")[0][0] in ("shutdown", "finished")


if __name__ == "__main__":
    crawl_with_faults(sys.argv[1:-2], sys.argv[-1])

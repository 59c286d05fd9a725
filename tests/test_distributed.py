"""Distributed crawls on a real ``redis-server``: three workers and the ingester against three
loopback sites; one worker SIGKILLed mid-crawl and replaced, the ingester SIGKILLed and restarted.
The archive must equal a single-process crawl's; each site must see no more than one polite
crawler's load; the ingester must store an item delivered twice once, and lose nothing when stopped
between writing and acknowledging."""

from __future__ import annotations

import bisect
import json
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from golden import RECAP_META_FIELDS
from recapcrawl.sample_site.blogger_site import BloggerSite
from recapcrawl.sample_site.server import BlogRequestHandler, BlogServer
from recapcrawl.sample_site.wp_site import WordPressSite

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

redis = pytest.importorskip(
    "redis", reason="needs the 'distributed' extra: pip install 'recapcrawl[distributed]'"
)
pytest.importorskip(
    "scrapy_redis", reason="needs the 'distributed' extra: pip install 'recapcrawl[distributed]'"
)
REDIS_SERVER = shutil.which("redis-server")
if REDIS_SERVER is None:
    pytest.skip(
        "needs redis-server (Debian package redis-server; .ci/run installs it)", allow_module_level=True
    )

from recapcrawl.distributed import codec  # noqa: E402
from recapcrawl.distributed.frontier import frontier_drained, in_flight, live_workers  # noqa: E402
from recapcrawl.distributed.ingest import Ingester  # noqa: E402
from recapcrawl.distributed.keys import Keys  # noqa: E402
from recapcrawl.distributed.status import cluster_status  # noqa: E402

HOSTS = ("127.0.0.2", "127.0.0.3", "127.0.0.4")  # one host per site: Scrapy's per-domain slot is the host
DELAY = 0.2
LEASE = 2.0
POLITE = [
    "-s",
    f"DOWNLOAD_DELAY={DELAY}",
    "-s",
    "DOWNLOAD_DELAY_JITTER=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    f"RECAPCRAWL_LEASE_SECONDS={LEASE}",
]
KEYS = Keys()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "recapcrawl.cli", *args]


def query(db: Path, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return connection.execute(sql, params).fetchall()


# ---------------------------------------------------------------- Redis and the sites


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A throwaway redis-server on a free loopback port, no persistence; checked to be ours (another
    program may take a port between our picking it and redis-server binding it)."""
    workdir = tmp_path_factory.mktemp("redis")
    for _ in range(5):
        port = free_port()
        command = [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        process = subprocess.Popen([*command, "--dir", str(workdir)], stdout=subprocess.DEVNULL)
        client = redis.Redis.from_url(f"redis://127.0.0.1:{port}/0")
        deadline = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < deadline:
            try:
                if client.info("server")["process_id"] == process.pid:
                    yield f"redis://127.0.0.1:{port}/0"
                    process.terminate()
                    process.wait(timeout=10)
                    return
                break  # someone else's server answers on that port
            except redis.ConnectionError:
                time.sleep(0.05)
        process.kill()
        process.wait()
    pytest.fail("could not start redis-server on a free loopback port")


class RecordingHandler(BlogRequestHandler):
    """The sample blogs' handler, recording when each request started and ended, and who sent it."""

    def _serve(self, send_body: bool) -> None:
        server = self.server
        started = time.monotonic()
        with server.lock:
            server.active += 1
            server.max_active = max(server.max_active, server.active)
        try:
            super()._serve(send_body)
        finally:
            with server.lock:
                server.active -= 1
                server.log.append((started, time.monotonic(), self.headers.get("User-Agent", ""), self.path))


class Sites:
    """Three sample blogs, each on its own loopback host: WordPress, Blogger, and WordPress again."""

    def __init__(self) -> None:
        self.servers = []
        for host, site in zip(HOSTS, (WordPressSite(), BloggerSite(), WordPressSite()), strict=True):
            try:
                server = BlogServer((host, 0), site)
            except OSError as exc:
                self.close()
                pytest.skip(f"cannot listen on {host} ({exc}): needs the whole 127.0.0.0/8 on loopback")
            server.RequestHandlerClass = RecordingHandler
            server.lock, server.active, server.max_active, server.log = threading.Lock(), 0, 0, []
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.servers.append(server)
        self.urls = [s.base_url for s in self.servers]

    def reset(self) -> None:
        for server in self.servers:
            with server.lock:
                server.log, server.max_active = [], 0

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="module")
def sites():
    sites = Sites()
    yield sites
    sites.close()


# ---------------------------------------------------------------- one single-process crawl, one distributed


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1, diagnose=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out waiting for {what}; {diagnose()}")


def recaps_in(db: Path) -> int:
    try:
        return query(db, "select count(*) from recaps")[0][0] if db.exists() else 0
    except sqlite3.OperationalError:
        return 0


@pytest.fixture(scope="module")
def run(redis_url, sites, tmp_path_factory):
    """A single-process crawl of the three sites, then the same crawl by three workers and the ingester;
    one worker is SIGKILLed once it has requests in flight and recaps are being archived, then replaced."""
    tmp = tmp_path_factory.mktemp("distributed")
    reference = tmp / "single.db"
    fast = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
    command = cli("crawl", *sites.urls, "--db", str(reference), "--quiet", *fast)
    single = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert single.returncode == 0, single.stderr[-3000:]
    sites.reset()

    server = redis.Redis.from_url(redis_url)
    server.flushdb()
    db = tmp / "distributed.db"
    enqueued = subprocess.run(
        cli("enqueue", "--redis", redis_url, *sites.urls), capture_output=True, text=True
    )
    assert enqueued.returncode == 0, enqueued.stderr
    logs = []

    def start_worker(name: str) -> subprocess.Popen:
        log = (tmp / f"{name}.log").open("w")
        logs.append(log)
        command = cli(
            "worker", "--redis", redis_url, "--idle-exit", "3", "--contact", name, "--json", *POLITE
        )
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True)

    workers = [start_worker(f"worker-{n}") for n in range(3)]

    def cluster() -> str:
        states = [(w.pid, w.poll()) for w in workers]
        return f"workers (pid, exit code): {states}; Redis: {cluster_status(server)}"

    wait_for(lambda: len(live_workers(server, KEYS)) == 3, 60, "three live workers", diagnose=cluster)
    ingest_log = (tmp / "ingest.log").open("w")
    logs.append(ingest_log)
    command = cli("ingest", "--redis", redis_url, "--db", str(db), "--until-idle", "--idle", "2", "--json")
    ingester = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=ingest_log, text=True)

    def victim():  # a worker crawling a site, with requests in flight, once recaps are being archived
        if recaps_in(db) < 2:
            return None
        flying = in_flight(server, KEYS)
        for worker_id, beat in live_workers(server, KEYS).items():
            if beat["domains"] and flying.get(worker_id, 0) > 1:
                return worker_id, beat, flying[worker_id]
        return None

    victim_id, beat, _ = wait_for(victim, 60, "a worker with requests in flight", 0.02, cluster)
    killed = next(w for w in workers if w.pid == beat["pid"])
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    killed_at = time.monotonic()
    flying = server.hkeys(KEYS.inflight(victim_id))  # what it had in flight: back in the frontier later
    flying_hosts = {field.decode().split("|")[0] for field in flying}
    workers.append(start_worker("worker-3"))

    # The ingester is SIGKILLed too, while it holds a batch if we catch it at that (it is usually
    # caught within a second), and started again.
    deadline = time.monotonic() + 20
    while server.llen(KEYS.processing) == 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    ingester.send_signal(signal.SIGKILL)
    ingester.wait()
    left_in_processing = server.llen(KEYS.processing)
    ingester = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=ingest_log, text=True)

    outputs = [w.communicate(timeout=150)[0] for w in workers if w is not killed]
    assert all(w.returncode == 0 for w in workers if w is not killed), [
        p.read_text() for p in tmp.glob("*.log")
    ]
    ingested, _ = ingester.communicate(timeout=60)
    assert ingester.returncode == 0, (tmp / "ingest.log").read_text()[-3000:]
    for log in logs:
        log.close()
    requests = {s.base_url: sorted(s.log) for s in sites.servers}
    (tmp / "requests.json").write_text(json.dumps(requests, indent=0))  # for a failure's post-mortem
    status = subprocess.run(cli("status", "--redis", redis_url, "--json"), capture_output=True, text=True)
    yield SimpleNamespace(
        reference=reference,
        db=db,
        server=server,
        redis_url=redis_url,
        sites=sites,
        victim=victim_id,
        victim_in_flight=len(flying),
        victim_hosts=flying_hosts,
        killed_at=killed_at,
        workers=[json.loads(o) for o in outputs],
        ingest=json.loads(ingested),
        left_in_processing=left_in_processing,
        tmp=tmp,
        status=json.loads(status.stdout),
    )


# ---------------------------------------------------------------- the archive


RECAP_COLUMNS = (
    "url",
    "site",
    *RECAP_META_FIELDS,
    "word_count",
    "paragraph_count",
    "quote_count",
    "bullet_count",
    "comment_count",
    "body_text",
    "comments_complete",
    "content_sha256",
)


def expected_recaps(sites) -> int:
    """Recaps on the three sites, from the sample site's truth: WordPress, Blogger, WordPress again."""
    from recapcrawl.sample_site import load_truth

    recaps = load_truth(*sites.urls[:2])["recaps"]
    return len(recaps) + sum(r["url"].startswith(sites.urls[0]) for r in recaps)


def test_archive_equals_a_single_process_crawl(run, sites):
    columns = ", ".join(RECAP_COLUMNS)
    single = query(run.reference, f"select {columns} from recaps order by url")
    distributed = query(run.db, f"select {columns} from recaps order by url")
    assert len(single) == expected_recaps(sites) > 0
    assert distributed == single
    comments = (
        "select r.url, c.comment_id, c.parent_id, c.depth, c.position, c.author, c.published, c.page, c.text"
        " from comments c join recaps r on r.id = c.recap_id order by r.url, c.position"
    )
    assert query(run.db, comments) == query(run.reference, comments)
    quotes = (
        "select r.url, q.position, q.kind, q.source, q.speaker, q.cite, q.section, q.text"
        " from quotes q join recaps r on r.id = q.recap_id order by r.url, q.position"
    )
    assert query(run.db, quotes) == query(run.reference, quotes)
    for table in ("paragraphs", "headings", "bullets"):
        rows = (
            f"select r.url, t.* from {table} t join recaps r on r.id = t.recap_id order by r.url, t.position"
        )
        assert [row[:1] + row[2:] for row in query(run.db, rows)] == [
            row[:1] + row[2:] for row in query(run.reference, rows)
        ], table
    pages = "select url, kind, is_recap, canonical_url from pages order by url"
    assert query(run.db, pages) == query(run.reference, pages)


def test_no_recap_lost_or_duplicated_after_sigkills(run, sites):
    expected = expected_recaps(sites)
    assert run.victim_in_flight > 0  # the killed worker had requests in flight
    assert query(run.db, "select count(*), count(distinct url) from recaps")[0] == (expected, expected)
    assert query(run.db, "select count(*) from pages where kind = 'error'")[0][0] == 0
    # every captured URL that became a page row points at a capture; each fetch is stored once
    assert (
        query(run.db, "select count(*) from pages where status is not null and capture_id is null")[0][0] == 0
    )
    twice = "select url, sha256, fetched_at from captures group by 1, 2, 3 having count(*) > 1"
    assert query(run.db, twice) == []
    [crawl] = query(run.db, "select finish_reason, recaps, pages, resumed from crawls")
    assert crawl[0] == "finished" and crawl[1] == expected and crawl[3] == 1  # resumed by the second ingester
    assert run.ingest["crawl_finished"] and run.ingest["failed"] == 0
    assert run.ingest["recovered"] == run.left_in_processing  # what the killed ingester held was written
    assert frontier_drained(run.server, KEYS)
    assert run.server.llen(KEYS.items) == run.server.llen(KEYS.processing) == 0
    assert sum(w["items_handed_off"] for w in run.workers) > 0
    assert query(run.db, "pragma integrity_check")[0][0] == "ok"


def contact(entry: tuple) -> str:
    """Which worker sent a request (each test worker has its own --contact in the User-Agent)."""
    return entry[2].rsplit("contact: ", 1)[-1].rstrip(")")


def test_politeness_holds_across_workers(run):
    """Every site saw one polite crawler though several workers did the crawl: never more than
    1/DOWNLOAD_DELAY requests in any second (jitter off), one worker at a time (the worker sending its
    requests changes only a few times: never interleaved), never more at once than
    CONCURRENT_REQUESTS_PER_DOMAIN. Timings are taken in the test's server threads, so they carry some
    scheduling noise on a busy machine; the checks allow for it."""
    workers = Counter()
    for server in run.sites.servers:
        log = sorted(server.log)
        starts = [entry[0] for entry in log]
        assert len(starts) > 20, server.base_url
        busiest = max(bisect.bisect_left(starts, t + 1.0) - n for n, t in enumerate(starts))  # [t, t + 1 s)
        assert busiest <= 1 / DELAY + 1, (server.base_url, busiest)  # one crawler: 5 (6 with timing noise)
        assert (len(starts) - 1) / (starts[-1] - starts[0]) <= 1 / DELAY + 0.01, server.base_url
        senders = [contact(entry) for entry in log]
        switches = [n for n in range(1, len(log)) if senders[n] != senders[n - 1]]
        assert len(switches) <= 6, (server.base_url, senders)  # two crawlers at once: dozens
        for n in switches:  # a site changes hands after a lease expired or cooled down
            assert starts[n] - starts[n - 1] >= DELAY / 4, (server.base_url, senders[n - 1 : n + 1])
        assert server.max_active <= 2
        workers.update(senders)
    assert len(workers) >= 2, workers  # more than one worker crawled
    for log in run.tmp.glob("worker-*.log"):
        assert "Lost the lease" not in log.read_text(), log.name  # no worker ever stalled past its lease


def test_a_killed_workers_hosts_wait_for_its_lease(run):
    """Another worker takes a dead worker's site only once its lease has expired."""
    checked = 0
    for server in run.sites.servers:
        if server.server_address[0] not in run.victim_hosts:
            continue
        after = [entry[0] for entry in server.log if entry[0] > run.killed_at]
        before = [entry[0] for entry in server.log if entry[0] <= run.killed_at]
        assert before and after  # the victim was crawling it; its requests in flight were fetched later
        assert after[0] - before[-1] >= LEASE - 0.5 - DELAY, server.base_url  # renewed ≤ 0.25 s before
        checked += 1
    assert checked >= 1


def test_status_reports_the_finished_crawl(run):
    status = run.status
    assert status["queued"] == status["in_flight"] == status["start_urls_waiting"] == 0
    assert status["items_waiting"] == status["items_ingesting"] == 0
    assert status["workers_alive"] == 0 and status["ingester"] is None
    # an article's later pages are fetched with its first page, as comment pages are
    pages = query(run.db, "select count(*) from pages where kind != 'article_page'")[0][0]
    assert status["seen_urls"] >= pages - 10
    assert sorted(status["sites"]) == sorted(run.sites.urls)
    text = subprocess.run(cli("status", "--redis", run.redis_url), capture_output=True, text=True)
    assert "workers alive: 0" in text.stdout and "seen URLs:" in text.stdout


# ---------------------------------------------------------------- the ingester on its own


def test_codec_round_trips_bytes_and_drops_the_packed_copy():
    page = b"<p>Some recap text, repeated.</p>" * 200
    item = {
        "type": "capture",
        "body": b"\x00\xffbinary",
        "page": page,
        "headers": {"A": ["b"]},
        "packed": {"sha256": "0" * 64, "gzip": b"\x1f\x8b"},
    }
    again = codec.loads(codec.dumps(item))
    assert again == {"type": "capture", "body": b"\x00\xffbinary", "page": page, "headers": {"A": ["b"]}}
    assert len(codec.dumps({"body": page})) < len(page) / 4  # large bodies travel compressed


def _items(sites) -> list[bytes]:
    """A capture, the recap split from it, and a non-recap page, as a worker hands them off."""
    from recapcrawl.crawler.items import capture_item, page_item
    from recapcrawl.extraction import extract_recap
    from recapcrawl.models import PageOutcome
    from recapcrawl.sample_site import load_truth

    url = sites.urls[0] + "wp-sitemap.xml"
    body = urllib.request.urlopen(url).read()
    response = SimpleNamespace(
        request=SimpleNamespace(meta={}),
        url=url,
        status=200,
        body=body,
        headers={b"Content-Type": [b"application/xml"]},
    )
    capture = capture_item(response)
    page = page_item(
        PageOutcome(url=url, status=200, kind="sitemap", reason="urlset", fetched_at="2024-01-01")
    )
    post = next(r["url"] for r in load_truth(*sites.urls[:2])["recaps"] if r["url"].startswith(sites.urls[0]))
    article = urllib.request.urlopen(post).read().decode()
    recap = extract_recap(article, post, [])
    recap_item = {
        "type": "recap",
        "recap": recap.to_dict(),
        "sources": [],
        "complete": True,
        "pages": [{"url": post, "status": 200, "kind": "recap", "is_recap": True}],
    }
    return [codec.dumps(i).encode() for i in (capture, page, recap_item)]


def test_ingester_stores_a_redelivered_item_once_and_loses_nothing_when_stopped(
    redis_url, sites, tmp_path, monkeypatch
):
    server = redis.Redis.from_url(redis_url)
    server.flushdb()
    server.sadd(KEYS.sites, *sites.urls)
    items = _items(sites)
    server.rpush(KEYS.items, *items)
    db = tmp_path / "ingest.db"

    class Killed(BaseException):
        pass

    def killed(*args, **kwargs):  # the ingester dies after committing, before acknowledging
        raise Killed

    with Ingester(server, db, batch=10) as ingester:
        monkeypatch.setattr(server, "pipeline", killed)
        with pytest.raises(Killed):
            ingester.run(until_idle=True, idle_seconds=0.1)
        monkeypatch.undo()
    assert server.llen(KEYS.processing) == 3 and server.llen(KEYS.items) == 0
    assert query(db, "select count(*) from captures")[0][0] == 1

    server.rpush(KEYS.items, items[0])  # and a worker delivers the capture a second time
    with Ingester(server, db, batch=10) as ingester:
        summary = ingester.run(until_idle=True, idle_seconds=0.1)
    assert summary.recovered == 3 and summary.duplicate_captures == 2 and summary.captures == 0
    assert query(db, "select count(*) from captures")[0][0] == 1
    assert query(db, "select count(*) from recaps")[0][0] == 1
    assert query(db, "select count(*) from pages")[0][0] == 2
    assert query(db, "select capture_id from pages where kind = 'sitemap'")[0][0] is not None
    assert server.llen(KEYS.processing) == server.llen(KEYS.items) == 0
    assert summary.crawl_finished  # nothing queued, nothing in flight: the crawl's row is closed


def test_only_one_ingester_at_a_time(redis_url, tmp_path):
    from recapcrawl.distributed.ingest import IngesterBusy

    server = redis.Redis.from_url(redis_url)
    server.flushdb()
    with (
        Ingester(server, tmp_path / "a.db", lock_seconds=5.0),
        pytest.raises(IngesterBusy),
        Ingester(server, tmp_path / "b.db", lock_seconds=1.0),
    ):
        pass


def test_enqueue_rejects_what_is_not_a_site(redis_url):
    result = subprocess.run(
        cli("enqueue", "--redis", redis_url, "ftp://example.org/"), capture_output=True, text=True
    )
    assert result.returncode != 0 and "not an http(s) URL" in result.stderr
    missing = subprocess.run(
        cli("status", "--redis", "redis://127.0.0.1:1/0"), capture_output=True, text=True
    )
    assert missing.returncode != 0 and "cannot reach Redis" in missing.stderr


def test_a_recap_split_without_its_parsed_page_is_the_same(sites):
    """A worker that finishes a comment thread another worker started has no parsed main page: the
    split pipeline parses it again, with the same result."""
    from recapcrawl.extraction import analyze, extract_recap
    from recapcrawl.extraction.dom import read_document
    from recapcrawl.sample_site import load_truth

    for recap in load_truth(*sites.urls[:2])["recaps"][:4]:
        document = read_document(urllib.request.urlopen(recap["url"]).read())
        parsed = analyze(document.root, recap["url"])
        with_analysis = extract_recap(document.text, recap["url"], [], analysis=parsed).to_dict()
        assert extract_recap(document.text, recap["url"], []).to_dict() == with_analysis

"""Benchmark: a distributed crawl with 1 and 2 workers over several loopback sites, on a real
``redis-server``, with the ingester writing the archive.

    python bench/distributed.py [--sites 4] [--recaps 40] [--polite-recaps 12] [--delay 0.25]

Each site is the bundled WordPress sample blog scaled to ``--recaps`` recaps (``scaled_site.py``),
on its own loopback host (127.0.0.2, 127.0.0.3, …: Scrapy's per-domain slot is the host), served
by a small asyncio server in a child process with every page rendered in advance and a fixed
service time (``--latency``, 10 ms), so the requests each site has in progress at once are counted
exactly. Two rounds, each with 1 then 2 workers:

- **throughput**: no download delay, ``CONCURRENT_REQUESTS_PER_DOMAIN=2`` — how fast the workers go;
- **polite**: ``DOWNLOAD_DELAY=--delay`` without jitter — the per-domain request rate each site's
  server sees must stay at or under 1/delay whatever the number of workers.

Prints ``bench NAME: VALUE`` lines: pages/s (requests served ÷ the time between the first and the
last request), the time until the last item was in the archive, and per site the request rate,
the shortest interval between two requests and the most requests at once.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).parent))
from scaled_site import scaled_blog  # noqa: E402

from recapcrawl.sample_site.common import rfc822  # noqa: E402
from recapcrawl.sample_site.wp_site import WordPressSite  # noqa: E402

START_PATHS = ("robots.txt", "wp-sitemap.xml", "sitemap.xml", "", "feed/", "comments/feed/")
LINK = re.compile(r"""(?:href|src)=["']([^"'#]+)|<loc>\s*([^<\s]+)\s*</loc>""")
IDLE_EXIT = 2.0
INGEST_IDLE = 1.0


# ---------------------------------------------------------------- the sites (child process)
def _wire(response) -> bytes:
    """A sample-site response as the bytes ``BlogRequestHandler`` would send (one write, no Nagle stalls)."""
    body = response.payload
    reason = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found"}.get(response.status, "OK")
    headers = {"Server": "bench", **response.headers}
    if response.last_modified is not None and response.status == 200:
        headers["ETag"] = '"' + hashlib.md5(body).hexdigest() + '"'
        headers["Last-Modified"] = rfc822(response.last_modified)
    headers["Content-Type"] = response.content_type
    headers["Content-Length"] = str(len(body))
    head = f"HTTP/1.1 {response.status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return (head + "\r\n").encode("latin-1") + body


class Site:
    """One scaled blog on its own host, every reachable page rendered up front; records each request."""

    def __init__(self, host: str, recaps: int, latency: float) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.base = f"http://{host}:{self.sock.getsockname()[1]}/"
        self.site = WordPressSite(scaled_blog(recaps))
        self.latency = latency
        self.pages: dict[str, bytes] = {}
        self.log: list[float] = []
        self.active = self.max_active = 0
        queue, seen = deque(START_PATHS), set(START_PATHS)
        while queue:  # render everything a crawl can reach
            body = self.page(queue.popleft())
            if not body.startswith(b"HTTP/1.1 200"):
                continue
            for href, loc in LINK.findall(body.decode("utf-8", "replace")):
                url = (href or loc).replace("&amp;", "&")
                if url.startswith(self.base) and url[len(self.base) :] not in seen:
                    seen.add(url[len(self.base) :])
                    queue.append(url[len(self.base) :])

    def page(self, target: str) -> bytes:
        if target not in self.pages:
            parts = urlsplit(target)
            query = parse_qs(parts.query, keep_blank_values=True)
            self.pages[target] = _wire(self.site.handle(parts.path, query, self.base))
        return self.pages[target]


class Connection(asyncio.Protocol):
    """HTTP/1.1 keep-alive; every GET is answered ``latency`` seconds after it arrived (a server's
    service time, so requests in progress at once can be counted exactly)."""

    def __init__(self, site: Site) -> None:
        self.site, self.buffer = site, b""

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1").lstrip("/")
            site = self.site
            site.log.append(time.time())
            site.active += 1
            site.max_active = max(site.max_active, site.active)
            asyncio.get_running_loop().call_later(site.latency, self.answer, site.page(target))

    def answer(self, data: bytes) -> None:
        self.site.active -= 1
        if not self.transport.is_closing():
            self.transport.write(data)


def serve(sites: int, recaps: int, latency: float, state: Path) -> None:
    """Serve ``sites`` scaled blogs on 127.0.0.2… until SIGTERM; SIGUSR1 writes and resets the logs."""
    blogs = [Site(f"127.0.0.{n + 2}", recaps, latency) for n in range(sites)]

    def report() -> None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        figures = {b.base: {"log": sorted(b.log), "max_active": b.max_active} for b in blogs}
        figures["cpu_seconds"] = usage.ru_utime + usage.ru_stime
        for blog in blogs:
            blog.log, blog.max_active = [], 0
        tmp = state.with_suffix(".tmp")
        tmp.write_text(json.dumps({"urls": [b.base for b in blogs], "figures": figures}))
        tmp.rename(state)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stop = loop.create_future()
        loop.add_signal_handler(signal.SIGTERM, lambda: stop.done() or stop.set_result(None))
        loop.add_signal_handler(signal.SIGUSR1, report)
        for blog in blogs:
            await loop.create_server(lambda blog=blog: Connection(blog), sock=blog.sock, backlog=256)
        report()
        await stop

    asyncio.run(main())


class Sites:
    def __init__(self, sites: int, recaps: int, latency: float, workdir: Path) -> None:
        self.state = workdir / f"sites-{recaps}.json"
        command = [
            sys.executable,
            __file__,
            "serve",
            "--sites",
            str(sites),
            "--recaps",
            str(recaps),
            "--latency",
            str(latency),
            "--state",
            str(self.state),
        ]
        self.process = subprocess.Popen(command)
        while not self.state.exists():
            if self.process.poll() is not None:
                raise RuntimeError("the sites did not start")
            time.sleep(0.1)
        self.urls = json.loads(self.state.read_text())["urls"]

    def figures(self) -> tuple[dict, float]:
        """Each site's request start times and most requests at once since the last call, and the
        CPU seconds the server has used so far."""
        self.state.unlink()
        self.process.send_signal(signal.SIGUSR1)
        while not self.state.exists():
            time.sleep(0.05)
        figures = json.loads(self.state.read_text())["figures"]
        return figures, figures.pop("cpu_seconds")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


# ---------------------------------------------------------------- one run
def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "recapcrawl.cli", *args]


def cpu_of(pid: int) -> float:
    """CPU seconds a running process has used (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(
    redis_url: str, redis_pid: int, sites: Sites, workers: int, settings: list[str], workdir: Path
) -> dict:
    import redis

    from recapcrawl.distributed.frontier import live_workers
    from recapcrawl.distributed.keys import Keys

    server = redis.Redis.from_url(redis_url)
    server.flushdb()
    _, server_cpu = sites.figures()  # resets the servers' logs
    redis_cpu = cpu_of(redis_pid)
    db = workdir / f"run-{time.monotonic_ns()}.db"
    subprocess.run(cli("enqueue", "--redis", redis_url, *sites.urls), check=True, capture_output=True)
    started = time.time()
    options = ["--idle-exit", str(IDLE_EXIT), "--json"] + [x for s in settings for x in ("-s", s)]
    procs = [
        subprocess.Popen(
            cli("worker", "--redis", redis_url, *options),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(workers)
    ]
    while len(live_workers(server, Keys())) < workers:
        time.sleep(0.05)
    command = cli("ingest", "--redis", redis_url, "--db", str(db), "--until-idle", "--idle", str(INGEST_IDLE))
    ingester = subprocess.Popen(
        [*command, "--json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    summaries = [json.loads(p.communicate()[0]) for p in procs]
    ingested = json.loads(ingester.communicate()[0])
    done = time.time() - IDLE_EXIT - INGEST_IDLE  # both wait that long for nothing before they stop
    figures, server_cpu_after = sites.figures()
    redis_cpu = cpu_of(redis_pid) - redis_cpu
    starts = sorted(t for f in figures.values() for t in f["log"])
    with sqlite3.connect(db) as connection:
        recaps = connection.execute("select count(*) from recaps").fetchone()[0]
    per_site = {}
    for url, f in figures.items():
        log = f["log"]
        gaps = [b - a for a, b in zip(log, log[1:], strict=False)]
        span = log[-1] - log[0] if len(log) > 1 else 0
        per_site[url] = {
            "requests": len(log),
            "rate": (len(log) - 1) / span if span else 0.0,
            "min_interval": min(gaps) if gaps else None,
            "max_at_once": f["max_active"],
        }
    return {
        "workers": workers,
        "pages": len(starts),
        "pages_per_s": (len(starts) - 1) / (starts[-1] - starts[0]),
        "crawl_s": starts[-1] - starts[0],
        "archive_complete_s": done - started,
        "recaps": recaps,
        "items": ingested["items"],
        "worker_pages": [s["pages_downloaded"] for s in summaries],
        "cpu": {
            "workers": sum(s["cpu_seconds"] for s in summaries),
            "ingester": ingested["cpu_seconds"],
            "sites": server_cpu_after - server_cpu,
            "redis": redis_cpu,
        },
        "per_site": per_site,
    }


def report(name: str, result: dict) -> None:
    w = result["workers"]
    label = f"{w} worker{'s' if w > 1 else ''}"
    split = "+".join(map(str, result["worker_pages"]))
    cpu = result["cpu"]
    print(
        f"bench distributed.{name}.pages_per_s[{label}]: {result['pages_per_s']:.1f} pages/s "
        f"({result['pages']} pages in {result['crawl_s']:.1f} s, per worker {split};"
        f" {result['recaps']} recaps in the archive {result['archive_complete_s']:.1f} s after the"
        " start)"
    )
    used, available = sum(cpu.values()), (os.cpu_count() or 1) * result["archive_complete_s"]
    print(
        f"bench distributed.{name}.cpu_s[{label}]: workers {cpu['workers']:.1f} (with start-up),"
        f" ingester {cpu['ingester']:.1f}, redis-server {cpu['redis']:.1f}, sites {cpu['sites']:.1f}:"
        f" {used:.1f} of the {available:.1f} CPU s the machine had"
    )
    for url, site in result["per_site"].items():
        interval = f"{site['min_interval'] * 1000:.0f} ms" if site["min_interval"] is not None else "-"
        print(
            f"bench distributed.{name}.per_domain[{label}] {url}: {site['rate']:.2f} req/s over "
            f"{site['requests']} requests, min interval {interval}, at most {site['max_at_once']} at once"
        )


def wait_for_redis(url: str, process: subprocess.Popen) -> None:
    """Until our redis-server answers (and not some other program that took the port first)."""
    import redis

    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if client.info("server")["process_id"] != process.pid:
                sys.exit(f"another server answers at {url}")
            return
        except redis.ConnectionError:
            time.sleep(0.05)
    sys.exit("redis-server did not start")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="bench", choices=("bench", "serve"))
    parser.add_argument("--sites", type=int, default=4)
    parser.add_argument("--recaps", type=int, default=40, help="recaps per site, throughput round")
    parser.add_argument("--polite-recaps", type=int, default=12, help="recaps per site, polite round")
    parser.add_argument("--delay", type=float, default=0.25, help="DOWNLOAD_DELAY of the polite round")
    parser.add_argument("--latency", type=float, default=0.01, help="the sites' service time (s)")
    parser.add_argument("--state", type=Path)
    args = parser.parse_args()
    if args.command == "serve":
        serve(args.sites, args.recaps, args.latency, args.state)
        return
    if shutil.which("redis-server") is None:
        sys.exit("needs redis-server (apt-get install redis-server)")
    print(f"# {os.cpu_count()} CPUs; {args.sites} sites on 127.0.0.2…; redis-server on loopback", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        port = free_port()
        command = [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        redis_server = subprocess.Popen([*command, "--dir", tmp], stdout=subprocess.DEVNULL)
        redis_url = f"redis://127.0.0.1:{port}/0"
        wait_for_redis(redis_url, redis_server)
        try:
            rounds = [
                (
                    "throughput",
                    args.recaps,
                    ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=2"],
                ),
                (
                    "polite",
                    args.polite_recaps,
                    [f"DOWNLOAD_DELAY={args.delay}", "DOWNLOAD_DELAY_JITTER=0", "AUTOTHROTTLE_ENABLED=False"],
                ),
            ]
            for name, recaps, settings in rounds:
                sites = Sites(args.sites, recaps, args.latency, workdir)
                try:
                    results = [run(redis_url, redis_server.pid, sites, n, settings, workdir) for n in (1, 2)]
                finally:
                    sites.close()
                for result in results:
                    report(name, result)
                if name == "throughput":
                    speedup = results[1]["pages_per_s"] / results[0]["pages_per_s"]
                    print(f"bench distributed.throughput.speedup[2 vs 1 workers]: {speedup:.2f}x")
                else:
                    worst = max(s["rate"] for r in results for s in r["per_site"].values())
                    print(
                        f"bench distributed.polite.max_domain_rate: {worst:.2f} req/s "
                        f"(one polite crawler: ≤ {1 / args.delay:.2f})"
                    )
        finally:
            redis_server.terminate()
            redis_server.wait()


if __name__ == "__main__":
    main()

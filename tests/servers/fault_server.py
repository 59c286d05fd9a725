"""A loopback HTTP server that misbehaves on purpose, one route at a time, and counts every request.

``FaultServer`` serves ``Reply`` objects (or callables returning one) by path on 127.0.0.1 and a
free port. A reply can be slow, stall after its headers, cut the connection mid-body (a TCP reset),
declare a length it never sends, stream a body of any size without holding it in memory, or change
from one request to the next (``hits`` counts requests per path). ``requests`` logs every request,
``times`` when each arrived, ``max_active`` the most requests it was answering at once.

    with FaultServer({"/": Reply(body="<html>…</html>")}) as server:
        server.url("/")                 # http://127.0.0.1:PORT/
        server.hits["/"]                # how many times it was asked for

Used by the fault suite (``tests/test_faults_*.py``); all content is invented. Its crawl helpers
(``crawl_command``, ``run_crawl``, ``POLITENESS_OFF``) serve the other crawl tests too.
"""

from __future__ import annotations

import socket
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

UTF8 = "text/html; charset=utf-8"


@dataclass
class Reply:
    """One response. ``body`` may be bytes, str, or an iterable of byte chunks (streamed)."""

    body: bytes | str | Iterable[bytes] = b""
    status: int = 200
    content_type: str | None = UTF8
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    content_length: int | None = None  # declared length (default: the real one, or none when streamed)
    stall_after: int | None = None  # send this many body bytes, then hang for ``stall_seconds``
    stall_seconds: float = 30.0
    reset_after: int | None = None  # send this many body bytes, then reset the connection (RST)


Route = Reply | Callable[["Request"], Reply]


@dataclass(frozen=True)
class Request:
    """What a handler is told about one request."""

    path: str
    query: str
    headers: dict[str, str]
    hit: int  # 1 for the first request of this path, 2 for the second, …


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "Faulty/1.0"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - silence the default access log
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        owner = self.server.owner
        with owner.lock:
            owner.hits[parts.path] += 1
            hit = owner.hits[parts.path]
            owner.requests.append((parts.path, parts.query, dict(self.headers.items())))
            owner.times.setdefault(parts.path, []).append(time.monotonic())
            owner.active += 1
            owner.max_active = max(owner.max_active, owner.active)
        route = owner.routes.get(parts.path, owner.fallback)
        request = Request(parts.path, parts.query, dict(self.headers.items()), hit)
        reply = route(request) if callable(route) else route
        try:
            self._send(reply)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            pass
        finally:
            self.close_connection = True
            with owner.lock:
                owner.active -= 1

    def _send(self, reply: Reply) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        streamed = not isinstance(body, bytes | bytearray)
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        length = reply.content_length
        if length is None and not streamed:
            length = len(body)
        if length is not None:
            self.send_header("Content-Length", str(length))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        chunks = body if streamed else [body]
        sent = 0
        for chunk in chunks:
            for limit, action in ((reply.stall_after, self._stall), (reply.reset_after, self._reset)):
                if limit is not None and sent + len(chunk) >= limit:
                    self.wfile.write(chunk[: limit - sent])
                    self.wfile.flush()
                    action(reply)
                    return
            self.wfile.write(chunk)
            sent += len(chunk)
        self.wfile.flush()

    def _stall(self, reply: Reply) -> None:
        deadline = time.monotonic() + reply.stall_seconds
        while time.monotonic() < deadline and not self.server.closing:
            time.sleep(0.05)

    def _reset(self, reply: Reply) -> None:
        """Close with SO_LINGER 0: the kernel sends a TCP RST instead of a clean FIN."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: FaultServer
    closing = False

    def handle_error(self, request, client_address) -> None:
        pass  # clients that hang up (timeouts, cancelled downloads) are expected here


def not_found(request: Request) -> Reply:
    return Reply('<html><body class="error404"><h1>Not found</h1></body></html>', status=404)


class FaultServer:
    """Serve ``routes`` (path → Reply or callable) on 127.0.0.1; usable as a context manager."""

    def __init__(self, routes: dict[str, Route] | None = None, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.fallback: Route = not_found
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.times: dict[str, list[float]] = {}  # path → when each request for it arrived (monotonic)
        self.active = 0  # requests being answered now
        self.max_active = 0  # the most at once
        self.lock = threading.Lock()
        self.server = _Server((host, 0), _Handler)
        self.server.owner = self
        self.host = host
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def url(self, path: str = "/", host: str | None = None) -> str:
        """An absolute URL on this server (``host`` may name it differently, e.g. ``localhost``)."""
        return f"http://{host or self.host}:{self.port}{path}"

    @property
    def total_hits(self) -> int:
        return sum(self.hits.values())

    def close(self) -> None:
        self.server.closing = True
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def repeated(chunk: bytes, total: int) -> Iterable[bytes]:
    """``total`` bytes made of ``chunk`` repeated, streamed (never held in memory at once)."""
    sent = 0
    while sent < total:
        piece = chunk[: total - sent]
        sent += len(piece)
        yield piece


# ---------------------------------------------------------------- crawling a fault server

CHILD_TABLES = ("headings", "paragraphs", "bullets", "quotes", "comments")
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_TIMEOUT": "2"}


@dataclass
class CrawlRun:
    """One finished ``recapcrawl crawl`` (a subprocess): its archive (read-only), output and time."""

    db_path: Path
    proc: subprocess.CompletedProcess
    elapsed: float
    db: sqlite3.Connection = field(init=False)

    def __post_init__(self) -> None:
        self.db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, check_same_thread=False)
        self.db.row_factory = sqlite3.Row

    def rows(self, sql: str, params=()) -> list[sqlite3.Row]:
        return self.db.execute(sql, params).fetchall()

    def page(self, url: str) -> sqlite3.Row | None:
        return self.db.execute("select * from pages where url = ?", [url]).fetchone()

    def recap(self, url: str) -> sqlite3.Row | None:
        return self.db.execute("select * from recaps where url = ?", [url]).fetchone()

    def children(self, table: str, column: str, recap_id: int) -> list:
        sql = f"select [{column}] from [{table}] where recap_id = ? order by position"
        return [r[0] for r in self.db.execute(sql, [recap_id])]

    @property
    def survived(self) -> bool:
        """Exit code 0 and the crawl log says it finished."""
        finished = self.rows("select finish_reason from crawls order by id desc limit 1")
        return self.proc.returncode == 0 and bool(finished) and finished[0][0] == "finished"

    def close(self) -> None:
        self.db.close()


def setting_options(settings: Mapping[str, object]) -> list[str]:
    """``-s NAME=VALUE`` for each setting, as ``recapcrawl crawl`` takes them."""
    return [part for name, value in settings.items() for part in ("-s", f"{name}={value}")]


POLITENESS_OFF = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def crawl_command(urls: list[str], db: Path, *options: str) -> list[str]:
    """The command line of ``recapcrawl crawl URLS --db DB OPTIONS…``, run with this Python."""
    return [sys.executable, "-m", "recapcrawl.cli", "crawl", *urls, "--db", str(db), *options]


def run_crawl(urls: list[str], db_path: Path, settings: dict[str, str] | None = None, timeout: float = 150):
    """``recapcrawl crawl URLS --db DB -s …`` in a subprocess, politeness off (``FAST``) unless overridden."""
    options = setting_options({**FAST, **(settings or {})})
    command = crawl_command(urls, db_path, "--log-level", "INFO", *options)
    started = time.monotonic()
    proc = subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout
    )
    return CrawlRun(Path(db_path), proc, time.monotonic() - started)


def consistency_problems(db: sqlite3.Connection) -> list[str]:
    """Everything wrong with an archive's integrity: SQLite's checks, orphans, half-written recaps."""
    problems = []
    check = db.execute("pragma integrity_check").fetchone()[0]
    if check != "ok":
        problems.append(f"integrity_check: {check}")
    problems += [f"foreign key: {tuple(r)}" for r in db.execute("pragma foreign_key_check")]
    for table in (*CHILD_TABLES, "pages"):
        # "is not null": NULL NOT IN (an empty set) is true, so without it an archive with no recap yet
        # would count every page row as an orphan
        sql = (
            f"select count(*) from [{table}] where recap_id is not null"
            " and recap_id not in (select id from recaps)"
        )
        orphans = db.execute(sql).fetchone()[0]
        if orphans:
            problems.append(f"{orphans} orphan rows in {table}")
    for recap in db.execute("select * from recaps"):
        for table, column in (
            ("paragraphs", "paragraph_count"),
            ("comments", "comment_count"),
            ("quotes", "quote_count"),
            ("bullets", "bullet_count"),
        ):
            sql = f"select count(*) from [{table}] where recap_id = ?"
            count = db.execute(sql, [recap["id"]]).fetchone()[0]
            if count != recap[column]:
                problems.append(f"{recap['url']}: {count} {table}, {column} says {recap[column]}")
        if not recap["paragraph_count"]:
            problems.append(f"{recap['url']}: a recap without paragraphs")
    return problems


def duplicates(db: sqlite3.Connection) -> int:
    """Records stored twice: one recap under two URLs (same content), or one comment twice in a recap."""
    twice = db.execute(
        "select coalesce(sum(n - 1), 0) from (select count(*) n from recaps group by content_sha256"
        " having count(*) > 1)"
    ).fetchone()[0]
    twice += db.execute(
        "select coalesce(sum(n - 1), 0) from (select count(*) n from comments"
        " group by recap_id, author, text, published having count(*) > 1)"
    ).fetchone()[0]
    return twice


def figures(category: str, kinds: list[str], crawls: list[CrawlRun], expected: set[str], **extra) -> dict:
    """The fault report's numbers for one module (see tests/fault_report.py)."""
    archived: set[str] = set()
    duplicated = 0
    for run in crawls:
        archived |= {r[0] for r in run.rows("select url from recaps")}
        duplicated += duplicates(run.db)
    return {
        "category": category,
        "kinds": kinds,
        "crawls": len(crawls),
        "survived": sum(run.survived for run in crawls),
        "expected_recaps": len(expected),
        "lost": sorted(expected - archived),
        "duplicated": duplicated,
        **extra,
    }

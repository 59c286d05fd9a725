"""HTTP serving of the two sample blogs with the standard library's ``ThreadingHTTPServer``.

Every response is rendered per request from the request's ``Host`` header, so absolute links are
right for whatever port the server ended up on.  Responses that carry a modification time also get
``Last-Modified`` and ``ETag`` headers, and conditional requests are answered with 304.
"""

from __future__ import annotations

import hashlib
import re
import sys
import threading
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol, cast
from urllib.parse import parse_qs, urlsplit

from .common import TEXT, Response, rfc822

_HOST_RE = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


class Site(Protocol):
    """What the handler needs from a blog."""

    name: str

    def handle(self, path: str, query: dict[str, list[str]], base: str) -> Response: ...


class BlogServer(ThreadingHTTPServer):
    """A threading HTTP server bound to one :class:`Site`."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: Site, quiet: bool = True):
        self.site = site
        self.quiet = quiet
        super().__init__(address, BlogRequestHandler)

    @property
    def base_url(self) -> str:
        """``http://host:port/`` of this server (loopback when bound to all interfaces)."""
        host, port = cast(tuple[str, int], self.server_address[:2])  # an AF_INET address
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        return f"http://{host}:{port}/"


class BlogRequestHandler(BaseHTTPRequestHandler):
    """Turns GET/HEAD requests into calls to the server's site."""

    protocol_version = "HTTP/1.1"
    server_version = "SampleBlog/1.0"
    timeout = 30
    server: BlogServer

    def version_string(self) -> str:
        """The ``Server`` header: what the imitated platform would send."""
        return getattr(self.server.site, "server_header", self.server_version)

    def do_GET(self) -> None:
        """Serve a page."""
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        """Serve headers only."""
        self._serve(send_body=False)

    def do_POST(self) -> None:
        """Comment forms and the like are not supported."""
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._send(
            Response(
                status=405, body="Method Not Allowed\n", content_type=TEXT, headers={"Allow": "GET, HEAD"}
            ),
            send_body=True,
        )

    def _base(self) -> str:
        host = self.headers.get("Host", "")
        if host and _HOST_RE.match(host):
            return f"http://{host}/"
        return self.server.base_url

    def _serve(self, send_body: bool) -> None:
        parts = urlsplit(self.path)
        path = parts.path.lstrip("/")
        query = parse_qs(parts.query, keep_blank_values=True)
        try:
            response = self.server.site.handle(path, query, self._base())
        except Exception as exc:  # pragma: no cover - shows up in the log and as a 500
            self.log_error("error rendering %s: %r", self.path, exc)
            response = Response(status=500, body="Internal Server Error\n", content_type=TEXT)
        self._send(response, send_body)

    def _send(self, response: Response, send_body: bool) -> None:
        body = response.payload
        headers = dict(response.headers)
        status = response.status
        if response.last_modified is not None and status == 200:
            etag = '"' + hashlib.md5(body).hexdigest() + '"'
            headers["ETag"] = etag
            headers["Last-Modified"] = rfc822(response.last_modified)
            if self._not_modified(etag, response):
                status, body = 304, b""
        self.send_response(status)
        if status != 304:
            headers["Content-Type"] = response.content_type
            headers["Content-Length"] = str(len(body))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(body)

    def _not_modified(self, etag: str, response: Response) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = [t.strip() for t in inm.split(",")]
            return "*" in tags or etag in tags or f"W/{etag}" in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None or response.last_modified is None:
                return False
            return response.last_modified.replace(microsecond=0) <= since
        return False

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """One short line per request: ``[site] GET /path 200``."""
        if not self.server.quiet:
            sys.stderr.write(f"[{self.server.site.name}] {self.command} {self.path} {code}\n")

    def log_message(self, format: str, *args) -> None:
        """Errors go to stderr unless the server is quiet."""
        if not self.server.quiet:
            sys.stderr.write(f"[{self.server.site.name}] {format % args}\n")


def start(site: Site, host: str, port: int, quiet: bool = True) -> tuple[BlogServer, threading.Thread]:
    """Bind ``site`` to ``host:port`` (0 = any free port) and serve it from a daemon thread."""
    server = BlogServer((host, port), site, quiet=quiet)
    thread = threading.Thread(target=server.serve_forever, name=f"sample-{site.name}", daemon=True)
    thread.start()
    return server, thread

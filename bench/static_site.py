"""A generated recap blog, rendered once into static files and served fast on loopback.

    python bench/static_site.py build --recaps 2000          # render (cached under /tmp)
    python bench/static_site.py serve DIR --port 0           # serve a rendered site (prints its URL)

The blog is invented text (deterministic, seeded) in the bundled sample site's data model, rendered
once with its WordPress classic theme (``recapcrawl.sample_site.wp_site``): every recap has a title
with an episode marker ("Gullrock Nights 2x05 Review: The Salt Ledger"), single-post markup, about
50 KB of HTML with 20–40 comments (threads, replies, a second comment page on one recap in eight),
plus the blog's listings, sitemaps, feeds and robots.txt. The rendered mirror is every URL the
site links to, found by walking it in-process; it is written under ``/tmp/recapcrawl-bench/`` and
reused while the generator's version and the recap count are the same.

The server is a single-process asyncio HTTP/1.1 server (keep-alive) answering from memory, run in
a child process so it has the other core; its CPU time is reported so a benchmark can show it is
not the bottleneck.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import SHOWS

from recapcrawl.sample_site.content import Blog, Comment, Post, load_blog

VERSION = 3  # bump when the generated pages change, so cached mirrors are rebuilt
CACHE = Path(os.environ.get("RECAPCRAWL_BENCH_CACHE", "/tmp/recapcrawl-bench"))
PLACEHOLDER = "http://127.0.0.1:1/"  # the base URL pages are rendered with; replaced when served
START_PATHS = ("robots.txt", "wp-sitemap.xml", "sitemap.xml", "", "feed/", "comments/feed/")

WORDS = [
    "harbour",
    "keeper",
    "storm",
    "ledger",
    "lantern",
    "kitchen",
    "signal",
    "orbit",
    "captain",
    "rehearsal",
    "understudy",
    "island",
    "tide",
    "council",
    "verdict",
    "promise",
    "secret",
    "archive",
    "letter",
    "winter",
    "bridge",
    "engine",
    "rival",
    "mentor",
    "confession",
    "heist",
    "pilot",
    "finale",
    "flashback",
    "cliffhanger",
    "reunion",
    "betrayal",
    "wedding",
    "funeral",
    "trial",
    "escape",
    "bargain",
    "dinner",
    "memory",
    "photograph",
    "key",
    "door",
    "window",
    "road",
    "forest",
    "station",
    "tower",
    "village",
    "coast",
    "river",
    "city",
    "quietly",
    "suddenly",
    "finally",
    "again",
    "almost",
    "never",
    "always",
    "perhaps",
    "clearly",
    "barely",
    "honestly",
    "frankly",
    "brilliant",
    "tense",
    "awkward",
    "tender",
    "furious",
    "gentle",
    "clumsy",
    "sharp",
    "patient",
    "reckless",
    "stubborn",
    "sly",
    "weary",
    "watches",
    "hides",
    "finds",
    "loses",
    "breaks",
    "keeps",
    "tells",
    "asks",
    "refuses",
    "admits",
    "leaves",
    "returns",
    "waits",
    "follows",
    "scene",
    "episode",
    "season",
    "character",
    "moment",
    "line",
    "shot",
    "score",
    "cut",
    "montage",
    "beat",
    "twist",
    "arc",
    "subplot",
]
FIRST = [
    "Margo",
    "Ed",
    "Isla",
    "Dani",
    "Cormac",
    "Priya",
    "Tomas",
    "Juno",
    "Felix",
    "Rosa",
    "Abel",
    "Wren",
    "Hugo",
    "Nell",
    "Silas",
    "Ines",
]
LAST = [
    "Quell",
    "Farrow",
    "Pike",
    "Adeyemi",
    "Novak",
    "Lindqvist",
    "Okafor",
    "Brandt",
    "Castell",
    "Moreau",
    "Vance",
    "Hale",
]
COMMENTERS = [f"{f} {random.Random(i).choice(LAST)}" for i, f in enumerate(FIRST * 4)]


def _sentence(rng: random.Random, low: int = 8, high: int = 22) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(FIRST))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice(".....!?")


def _paragraph(rng: random.Random, sentences: tuple[int, int] = (4, 8)) -> str:
    parts = [_sentence(rng) for _ in range(rng.randint(*sentences))]
    if rng.random() < 0.35:  # an inline quote with its speaker
        speaker = rng.choice(FIRST)
        parts.insert(rng.randrange(len(parts) + 1), f"“{_sentence(rng, 5, 12)}” {speaker} says.")
    if rng.random() < 0.2:
        parts[0] = f"<em>{parts[0]}</em>"
    return " ".join(parts)


def _body(rng: random.Random) -> list[dict]:
    blocks: list[dict] = [{"type": "paragraph", "html": _paragraph(rng)} for _ in range(2)]
    for _ in range(rng.randint(4, 5)):
        blocks.append({"type": "heading", "level": 2, "html": _sentence(rng, 3, 6).rstrip(".!?")})
        blocks += [{"type": "paragraph", "html": _paragraph(rng)} for _ in range(rng.randint(2, 3))]
        roll = rng.random()
        if roll < 0.3:
            speaker = rng.choice(FIRST)
            blocks.append(
                {"type": "blockquote", "html": _sentence(rng, 8, 16), "cite": speaker, "speaker": speaker}
            )
        elif roll < 0.5:
            items = [{"html": _sentence(rng, 6, 14)} for _ in range(rng.randint(3, 6))]
            blocks.append({"type": "list", "ordered": rng.random() < 0.3, "items": items})
    blocks.append({"type": "heading", "level": 2, "html": "Stray observations"})
    items = [{"html": _sentence(rng, 6, 16)} for _ in range(rng.randint(4, 7))]
    blocks.append({"type": "list", "ordered": False, "items": items})
    return blocks


def _comments(rng: random.Random, post_id: int, published: datetime, many: bool) -> list[Comment]:
    comments: list[Comment] = []
    count = rng.randint(30, 36) if many else rng.randint(12, 18)
    when = published
    for n in range(count):
        when += timedelta(minutes=rng.randint(3, 90))
        parent = None
        if comments and rng.random() < 0.4:
            parent = rng.choice(comments[-6:]).id
        paragraphs = [
            " ".join(_sentence(rng, 6, 18) for _ in range(rng.randint(1, 3)))
            for _ in range(rng.choice((1, 1, 1, 2)))
        ]
        comments.append(
            Comment(
                id=f"{post_id}{n:03d}",
                parent=parent,
                author=rng.choice(COMMENTERS),
                url=None,
                published=when,
                paragraphs=paragraphs,
                is_post_author=rng.random() < 0.05,
            )
        )
    by_id = {c.id: c for c in comments}
    for c in comments:
        if c.parent:
            by_id[c.parent].children.append(c)
    return comments


def generated_blog(recaps: int, seed: int = 6) -> Blog:
    """The sample WordPress blog's settings with ``recaps`` invented recap posts, one an hour back."""
    base = load_blog("wordpress")
    meta = json.loads(json.dumps(base.meta))
    meta["comments_per_page"] = 20  # threads per comment page: most recaps have one page, some two
    meta["categories"] = [c for c in meta["categories"] if c["slug"] in ("recaps", "reviews")] + [
        {"name": show, "slug": re.sub(r"[^a-z0-9]+", "-", show.lower()).strip("-"), "id": 100 + n}
        for n, show in enumerate(SHOWS)
    ]
    meta["menu"] = ["Recaps", *SHOWS[:4]]
    start = datetime(2024, 6, 1, 20, 0, tzinfo=UTC)
    posts = []
    for n in range(recaps):
        rng = random.Random(seed * 1_000_003 + n)
        show = SHOWS[n % len(SHOWS)]
        season, episode = 1 + (n // len(SHOWS)) // 20, 1 + (n // len(SHOWS)) % 20
        episode_title = _sentence(rng, 2, 4).rstrip(".!?").title()
        kind = rng.choice(("Review", "Recap"))
        title = f"{show} {season}x{episode:02d} {kind}: {episode_title}"
        published = start - timedelta(hours=n)
        post_id = 20_000 + n
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") + f"-{n}"
        posts.append(
            Post(
                blog="wordpress",
                id=str(post_id),
                kind="recap",
                slug=slug,
                title=title,
                author=rng.choice(("nadia", "owen")),
                published=published,
                modified=published,
                categories=["Recaps", show],
                tags=[FIRST[n % len(FIRST)] + " " + LAST[n % len(LAST)]],
                body=_body(rng),
                comments=_comments(rng, post_id, published, many=n % 8 == 0),
                episode={"show": show, "season": season, "episode": episode, "episode_title": episode_title},
                options={"jsonld": n % 2 == 0, "comments_open": True},
            )
        )
    return Blog(name="wordpress", meta=meta, posts=posts, pages=list(base.pages))


_LINK = re.compile(r"""(?:href|src)=["']([^"'#]+)|<loc>\s*([^<\s]+)\s*</loc>""")


def render_mirror(recaps: int, out: Path) -> dict:
    """Render every URL the generated blog links to into ``out`` (files + ``index.json``)."""
    from recapcrawl.sample_site.wp_site import WordPressSite
    from recapcrawl.sample_site.wp_theme import Theme

    # The sidebar (recent comments over every post) is the same on every page: render it once.
    sidebar, cached = Theme.sidebar, {}
    Theme.sidebar = lambda theme: cached.get(theme.base) or cached.setdefault(theme.base, sidebar(theme))
    try:
        return _render(WordPressSite(generated_blog(recaps)), recaps, out)
    finally:
        Theme.sidebar = sidebar


def _render(site, recaps: int, out: Path) -> dict:
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "files").mkdir(parents=True)
    index: dict[str, list] = {}
    queue, seen = deque(START_PATHS), set(START_PATHS)
    while queue:
        path = queue.popleft()
        response = site.handle(path, {}, PLACEHOLDER)
        body = response.payload
        name = f"{len(index):06d}"
        (tmp / "files" / name).write_bytes(body)
        headers = {k: v for k, v in response.headers.items() if k.lower() == "location"}
        index[path] = [response.status, response.content_type, name, headers]
        if (
            response.status != 200
            or "html" not in response.content_type
            and "xml" not in response.content_type
        ):
            continue
        for href, loc in _LINK.findall(body.decode("utf-8", "replace")):
            url = (href or loc).replace("&amp;", "&")
            if not url.startswith(PLACEHOLDER) or "?" in url:
                continue
            target = url[len(PLACEHOLDER) :]
            if target not in seen:
                seen.add(target)
                queue.append(target)
    html = [p for p, v in index.items() if v[0] == 200 and v[1].startswith("text/html")]
    summary = {
        "version": VERSION,
        "recaps": recaps,
        "urls": len(index),
        "html_pages": len(html),
        "recap_pages": sum(1 for p in html if re.match(r"\d{4}/\d\d/\d\d/[^/]+/$", p)),
        "comment_pages": sum(1 for p in html if "/comment-page-" in p),
        "recap_kb": statistics.mean(
            (tmp / "files" / index[p][2]).stat().st_size / 1000
            for p in html
            if re.match(r"\d{4}/\d\d/\d\d/[^/]+/$", p)
        ),
        "bytes": sum((tmp / "files" / v[2]).stat().st_size for v in index.values()),
    }
    (tmp / "index.json").write_text(json.dumps({"summary": summary, "paths": index}))
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return summary


def build(recaps: int) -> Path:
    """The rendered mirror of a ``recaps``-recap blog (rendered now unless cached)."""
    out = CACHE / f"site-v{VERSION}-{recaps}"
    if not (out / "index.json").is_file():
        started = time.monotonic()
        summary = render_mirror(recaps, out)
        print(
            f"# rendered {summary['urls']} URLs of a {recaps}-recap site in "
            f"{time.monotonic() - started:.0f} s → {out}",
            file=sys.stderr,
        )
    return out


def summary_of(site_dir: Path) -> dict:
    index = json.loads((site_dir / "index.json").read_text())
    summary = index["summary"]
    if "recap_kb" not in summary:  # mirrors rendered before it was recorded
        summary["recap_kb"] = statistics.mean(
            (site_dir / "files" / name).stat().st_size / 1000
            for path, (status, _, name, _) in index["paths"].items()
            if status == 200 and re.match(r"\d{4}/\d\d/\d\d/[^/]+/$", path)
        )
    return summary


def load_pages(site_dir: Path, base: str) -> dict[str, tuple[int, str, bytes, dict]]:
    """Every rendered URL path → (status, content type, body with the real base URL, headers)."""
    index = json.loads((site_dir / "index.json").read_text())["paths"]
    old, new = PLACEHOLDER.encode(), base.encode()
    pages = {}
    for path, (status, ctype, name, headers) in index.items():
        body = (site_dir / "files" / name).read_bytes().replace(old, new)
        headers = {k: v.replace(PLACEHOLDER, base) for k, v in headers.items()}
        pages[path] = (status, ctype, body, headers)
    return pages


# ---------------------------------------------------------------- serving
class _Server(asyncio.Protocol):
    """HTTP/1.1 with keep-alive; GET/HEAD answered from the in-memory mirror, anything else 404."""

    responses: dict[str, bytes] = {}
    heads: dict[str, bytes] = {}
    not_found = b""
    served = 0

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            request_line = head.split(b"\r\n", 1)[0].split(b" ")
            method, target = request_line[0], request_line[1] if len(request_line) > 1 else b"/"
            path = target.decode("latin-1").split("#", 1)[0].lstrip("/")
            answer = self.responses.get(path, self.not_found)
            if method == b"HEAD":
                answer = self.heads.get(path, self.not_found.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n")
            _Server.served += 1
            self.transport.write(answer)


def _response(status: int, ctype: str, body: bytes, headers: dict) -> bytes:
    reason = {200: "OK", 301: "Moved Permanently", 404: "Not Found"}.get(status, "OK")
    lines = [
        f"HTTP/1.1 {status} {reason}",
        f"Content-Type: {ctype}",
        f"Content-Length: {len(body)}",
        "Server: bench-static",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def serve(site_dir: Path, port: int, ready_file: Path | None) -> None:
    """Serve a rendered mirror until SIGTERM; writes ``URL`` (and later CPU stats) to ``ready_file``."""
    import socket

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    for path, (status, ctype, body, headers) in load_pages(site_dir, base).items():
        full = _response(status, ctype, body, headers)
        _Server.responses[path] = full
        _Server.heads[path] = full[: len(full) - len(body)]
    _Server.not_found = _response(404, "text/html; charset=UTF-8", b"<html><body>Not found</body></html>", {})
    loop = asyncio.new_event_loop()
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, lambda: stop.done() or stop.set_result(None))
    loop.add_signal_handler(signal.SIGUSR1, lambda: _report(ready_file, base))

    async def main() -> None:
        server = await loop.create_server(_Server, sock=sock, backlog=512)
        _report(ready_file, base)
        async with server:
            await stop

    loop.run_until_complete(main())
    _report(ready_file, base)


def _report(ready_file: Path | None, base: str) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    line = json.dumps({"url": base, "served": _Server.served, "cpu_s": usage.ru_utime + usage.ru_stime})
    if ready_file is None:
        print(line, flush=True)
        return
    tmp = ready_file.with_suffix(".tmp")
    tmp.write_text(line)
    tmp.rename(ready_file)


class StaticSite:
    """``with StaticSite(2000) as site: site.url`` — a rendered mirror served in a child process."""

    def __init__(self, recaps: int) -> None:
        self.dir = build(recaps)
        self.summary = summary_of(self.dir)
        self._state = CACHE / f"server-{os.getpid()}-{id(self)}.json"
        self._state.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, __file__, "serve", str(self.dir), "--state", str(self._state)],
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while not self._state.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the static site server did not start")
            time.sleep(0.05)
        self.url = self.stats()["url"]

    def stats(self) -> dict:
        """Requests served and CPU seconds used by the server so far."""
        if self.process.poll() is None and self._state.exists():
            before = self._state.stat().st_mtime_ns
            self.process.send_signal(signal.SIGUSR1)
            deadline = time.monotonic() + 5
            while self._state.stat().st_mtime_ns == before and time.monotonic() < deadline:
                time.sleep(0.01)
        return json.loads(self._state.read_text())

    def __enter__(self) -> StaticSite:
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self._state.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    built = commands.add_parser("build")
    built.add_argument("--recaps", type=int, default=2000)
    served = commands.add_parser("serve")
    served.add_argument("dir", type=Path)
    served.add_argument("--port", type=int, default=0)
    served.add_argument("--state", type=Path)
    args = parser.parse_args()
    if args.command == "build":
        out = build(args.recaps)
        print(json.dumps(summary_of(out)))
    else:
        serve(args.dir, args.port, args.state)


if __name__ == "__main__":
    main()

"""Broken servers: 5xx and 429 with and without Retry-After, timeouts, resets mid-body, redirect loops,
redirects off the site or to other schemes (refused), robots.txt that fails or forbids everything, and
sitemaps that are malformed, gzip'd, gzip bombs or entity bombs. The crawl finishes, every failure gets a
``pages`` row with a clear reason, and nothing is written half.

One ``recapcrawl crawl`` (a subprocess) of three fault servers at once; a fourth server ("elsewhere")
is where the redirects point, and must never be reached.
"""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from servers.fault_server import FaultServer, Reply, Request, consistency_problems, figures, run_crawl
from servers.misbehaving_site import comment_html, recap_html

from recapcrawl.crawler.middlewares.politeness import retry_after_seconds

pytestmark = [pytest.mark.faults, pytest.mark.integration, pytest.mark.timeout(180)]
FAULT_CATEGORY = "Broken servers"
# the default retries, a short timeout, and a Retry-After cap short enough for a test
SETTINGS = {"DOWNLOAD_TIMEOUT": "2", "RETRY_TIMES": "2", "RECAPCRAWL_RETRY_AFTER_MAX": "3"}
XML = "application/xml"


def recap(path: str, number: int, name: str, comments: str = "", nav: str = "") -> str:
    return recap_html(
        path,
        f"Harbor Lights 3x{number:02d} Review: “{name}”",
        [
            f"{name} opens on the harbor at dawn, with the whole town watching the water.",
            f"By the end of “{name}”, Wren has one more secret to keep from the co-op.",
        ],
        comments,
        nav,
    )


def gz(data: bytes) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as f:
        f.write(data)
    return out.getvalue()


def gzip_bomb(size: int) -> bytes:
    """A gzip file that inflates to ``size`` bytes of white space inside a sitemap."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=9) as f:
        f.write(b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
        block = b" " * (1 << 20)
        for _ in range(size >> 20):
            f.write(block)
        f.write(b"</urlset>")
    return out.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/&lol9;&xxe;</loc></url></urlset>"""


def urlset(*urls: str) -> bytes:
    entries = "".join(f"<url><loc>{u}</loc><lastmod>2024-06-01</lastmod></url>" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}</urlset>"
    ).encode()


def sitemap_index(*urls: str) -> bytes:
    entries = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
    ).encode()


# ---------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    """One misbehaving path of the main server, and what the archive must say about it."""

    name: str
    path: str
    kind: str  # expected pages.kind of the row for ``row_path`` (or ``path``)
    reason: tuple[str, ...] = ()  # the reason contains one of these (case-insensitive)
    recap: str | None = None  # path of the recap that must be archived
    hits: int | None = None  # requests the server must have seen for ``path``
    row_path: str | None = None  # where the row is, when not at ``path``
    status: int | None = -1  # expected pages.status (-1: don't check)
    bug: str | None = None  # a known product bug: the case is a strict xfail


P = "/2024/06/"
OFFSITE = ("refused redirect to another site",)
SCHEME = ("refused redirect to a non-http(s) URL",)
TIMEOUT = ("timeout", "took longer")
RESET = ("connection", "responsefailed", "lost", "dataloss")
GZ = "application/x-gzip"
OVER_CAP = "HTTP 429 with Retry-After: 3600 (3600 s), longer than RECAPCRAWL_RETRY_AFTER_MAX (3 s): not "
OVER_CAP += "retried"


def ep(number: int, slug: str) -> str:
    """The path of the recap of episode 3x``number``."""
    return f"{P}{number:02d}/harbor-lights-3x{number:02d}-{slug}/"


def recap_case(name: str, number: int, slug: str, **kwargs) -> Case:
    return Case(name, ep(number, slug), "recap", recap=ep(number, slug), **kwargs)


CASES = [
    recap_case("good_recap", 1, "control"),
    recap_case("503_retry_after_then_ok", 2, "busy", hits=3),
    recap_case("502_then_ok", 3, "gateway", hits=2),
    recap_case("429_retry_after_then_ok", 4, "slow-down", hits=2),
    recap_case("429_no_retry_after_then_ok", 14, "backed-off", hits=2),
    Case("503_always", "/always-503/", "error", ("HTTP 503",), hits=3, status=503),
    Case("429_retry_after_over_cap", "/always-429/", "error", (OVER_CAP,), hits=1, status=429),
    Case("timeout_before_headers", "/never-answers/", "error", TIMEOUT, hits=3, status=None),
    Case("stall_mid_body", "/stalls-mid-body/", "error", TIMEOUT, hits=3, status=None),
    Case("reset_mid_body", "/resets-mid-body/", "error", RESET, hits=3, status=None),
    recap_case("reset_then_ok", 5, "second-try", hits=2),
    Case("redirect_to_itself", "/redirects-to-itself/", "error", ("redirect loop",), status=None),
    Case("redirect_on_site", "/old-address/", "recap", recap=ep(6, "moved"), row_path=ep(6, "moved")),
    Case("redirect_other_host", "/to-localhost/", "error", OFFSITE, status=None),
    Case("redirect_other_port", "/to-other-port/", "error", OFFSITE, status=None),
    Case("redirect_protocol_relative", "/to-protocol-relative/", "error", OFFSITE, status=None),
    Case("redirect_on_site_then_off", "/first-hop/", "error", OFFSITE, row_path="/second-hop/", status=None),
    Case("meta_refresh_other_host", "/meta-refresh/", "error", ("refused meta refresh to another site",)),
    Case("redirect_file", "/to-file/", "error", SCHEME, status=None),
    Case("redirect_ftp", "/to-ftp/", "error", SCHEME, status=None),
    Case("redirect_data", "/to-data/", "error", SCHEME, status=None),
    Case("redirect_javascript", "/to-javascript/", "error", SCHEME, status=None),
    recap_case("comment_page_redirect_off_site", 7, "undertow-ii"),
    Case(
        "sitemap_gzip_file",
        "/sitemaps/posts-gzip",
        "sitemap",
        ("urlset with 1 entries",),
        recap=ep(8, "only-in-the-sitemap"),
    ),
    Case("sitemap_gzip_transport", "/sitemaps/index.xml", "sitemap", ("index with 7",)),
    Case("sitemap_malformed", "/sitemap.xml", "sitemap", ("not a sitemap", "urlset with")),
    Case("sitemap_gzip_truncated", "/sitemaps/truncated-gzip", "sitemap", ("gzip", "urlset with 0")),
    Case("sitemap_gzip_bomb", "/sitemaps/bomb-gzip", "sitemap", ("gzip", "size")),
    Case("sitemap_entity_bomb", "/sitemaps/laughs.xml", "sitemap", ("not a sitemap", "urlset with")),
    Case("sitemap_index_loop", "/sitemaps/index.xml", "sitemap", ("index",), hits=1),
]
BY_NAME = {c.name: c for c in CASES}
# Cases about whole sites (their own servers), not paths of the main one.
SITE_CASES = [
    "robots_500",
    "robots_429_over_cap",
    "robots_404_allows_all",
    "robots_disallow_all",
    "retry_after_respected",
    "retry_after_holds_the_host",
    "sitemap_named_xml_gz",
]
GZ_ONLY = ep(12, "only-in-a-gz-sitemap")
KINDS = [c.name for c in CASES] + SITE_CASES
CP2 = BY_NAME["comment_page_redirect_off_site"].path + "comment-page-2/"
INDEXED = (
    "/sitemaps/posts-gzip",
    "/sitemaps/posts.xml.gz",
    "/sitemaps/bomb-gzip",
    "/sitemaps/laughs.xml",
    "/sitemaps/truncated-gzip",
    "/sitemaps/index.xml",
    "/sitemap.xml",
)


# Redirects to a page the crawl also reaches by a link: a duplicate, not a loop.
ALIAS = "/also-the-control/"


def _flaky(failures: list[Reply], then: Reply):
    """A route that answers ``failures`` in turn, then ``then`` for every later request."""

    def route(request: Request) -> Reply:
        return failures[request.hit - 1] if request.hit <= len(failures) else then

    return route


def main_routes(base: str, elsewhere: str) -> dict:
    """``base`` is the main server's URL, ``elsewhere`` the other server's (both without a final /)."""
    c = BY_NAME
    ok = {
        name: Reply(recap(c[name].path, n, title))
        for name, n, title in [
            ("good_recap", 1, "Control"),
            ("503_retry_after_then_ok", 2, "Busy"),
            ("502_then_ok", 3, "Gateway"),
            ("429_retry_after_then_ok", 4, "Slow Down"),
            ("reset_then_ok", 5, "Second Try"),
            ("429_no_retry_after_then_ok", 14, "Backed Off"),
        ]
    }
    big = recap(c["stall_mid_body"].path, 9, "Stalled").encode()
    moved = c["redirect_on_site"].recap
    sitemap_only = c["sitemap_gzip_file"].recap
    thread = c["comment_page_redirect_off_site"].path
    nav = (
        '<nav class="comment-navigation"><span aria-current="page" class="page-numbers current">1</span> '
        f'<a class="page-numbers" href="{CP2}#comments">2</a></nav>'
    )
    page_one = comment_html(701, "Ida", "First page comment.") + comment_html(702, "Rafe", "Me too.")
    posts = gz(urlset(base + sitemap_only))
    posts_gz = gz(urlset(base + GZ_ONLY))
    links = "".join(
        f'<li><a href="{case.path}">{case.name}</a></li>' for case in CASES if case.path[-1] == "/"
    )
    links += f'<li><a href="{ALIAS}">the control again, by another address</a></li>'
    stolen = elsewhere + "/stolen/"
    redirect = lambda to, status=302: Reply(status=status, headers={"Location": to})  # noqa: E731
    return {
        "/": Reply(
            f'<!DOCTYPE html><html><head><title>Tidewater TV</title></head><body class="home blog">'
            f"<ul>{links}</ul></body></html>"
        ),
        "/robots.txt": Reply(
            f"User-agent: *\nAllow: /\nSitemap: {base}/sitemaps/index.xml\n", content_type="text/plain"
        ),
        c["good_recap"].path: ok["good_recap"],
        c["503_retry_after_then_ok"].path: _flaky(
            [Reply("busy", status=503, headers={"Retry-After": "1"})] * 2, ok["503_retry_after_then_ok"]
        ),
        c["502_then_ok"].path: _flaky([Reply("bad gateway", status=502)], ok["502_then_ok"]),
        c["429_retry_after_then_ok"].path: _flaky(
            [Reply("slow down", status=429, headers={"Retry-After": "1"})], ok["429_retry_after_then_ok"]
        ),
        c["429_no_retry_after_then_ok"].path: _flaky(
            [Reply("slow down", status=429)], ok["429_no_retry_after_then_ok"]
        ),
        c["503_always"].path: Reply("busy", status=503, headers={"Retry-After": "1"}),
        c["429_retry_after_over_cap"].path: Reply("slow down", status=429, headers={"Retry-After": "3600"}),
        c["timeout_before_headers"].path: Reply("late", delay=3),
        c["stall_mid_body"].path: Reply(big, stall_after=len(big) // 2, stall_seconds=3),
        c["reset_mid_body"].path: Reply(big, reset_after=len(big) // 2),
        c["reset_then_ok"].path: _flaky([Reply(big, reset_after=len(big) // 2)], ok["reset_then_ok"]),
        c["redirect_to_itself"].path: redirect(c["redirect_to_itself"].path, 301),
        c["redirect_on_site"].path: redirect(moved, 301),
        ALIAS: redirect(c["good_recap"].path),
        moved: Reply(recap(moved, 6, "Moved")),
        c["redirect_other_host"].path: redirect(elsewhere.replace("127.0.0.1", "localhost") + "/stolen/"),
        c["redirect_other_port"].path: redirect(stolen, 307),
        c["redirect_protocol_relative"].path: redirect(elsewhere.replace("http:", "") + "/stolen/", 308),
        c["redirect_on_site_then_off"].path: redirect("/second-hop/", 301),
        "/second-hop/": redirect(stolen),
        c["meta_refresh_other_host"].path: Reply(
            f'<html><head><meta http-equiv="refresh" content="0; url={elsewhere}/stolen/">'
            "<title>Moved</title></head><body><p>Moved.</p></body></html>"
        ),
        c["redirect_file"].path: redirect("file:///etc/passwd"),
        c["redirect_ftp"].path: redirect(elsewhere.replace("http:", "ftp:") + "/pub/"),
        c["redirect_data"].path: redirect("data:text/html,<script>alert(1)</script>"),
        c["redirect_javascript"].path: redirect("javascript:alert(1)"),
        thread: Reply(recap(thread, 7, "Undertow II", page_one, nav)),
        CP2: redirect(elsewhere.replace("127.0.0.1", "localhost") + "/comment-page-2/"),
        sitemap_only: Reply(recap(sitemap_only, 8, "Only in the Sitemap")),
        GZ_ONLY: Reply(recap(GZ_ONLY, 12, "Only in a gz Sitemap")),
        "/sitemaps/index.xml": Reply(
            gz(sitemap_index(*(base + p for p in INDEXED))),
            content_type=XML,
            headers={"Content-Encoding": "gzip"},
        ),
        "/sitemaps/posts-gzip": Reply(posts, content_type=GZ),
        "/sitemaps/posts.xml.gz": Reply(posts_gz, content_type=GZ),
        "/sitemaps/truncated-gzip": Reply(posts[: len(posts) // 2], content_type=GZ),
        "/sitemaps/bomb-gzip": Reply(gzip_bomb(64 << 20), content_type=GZ),
        "/sitemaps/laughs.xml": Reply(BILLION_LAUGHS, content_type=XML),
        "/sitemap.xml": Reply(urlset(base + "/")[:-30], content_type=XML),
    }


def small_site(robots: Reply, number: int, name: str, page=None) -> FaultServer:
    """A site with a robots.txt, a start page and one recap (answered by ``page`` when given)."""
    path = f"/2024/07/{number:02d}/harbor-lights-3x{number:02d}-{name.lower().replace(' ', '-')}/"
    server = FaultServer(
        {
            "/robots.txt": robots,
            "/": Reply(
                f'<html><head><title>Other</title></head><body><a href="{path}">{name}</a></body></html>'
            ),
        }
    )
    server.recap_path = path
    server.routes[path] = page(Reply(recap(path, number, name))) if page else Reply(recap(path, number, name))
    return server


ROBOTS_OK = Reply("User-agent: *\nAllow: /\n", content_type="text/plain")


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """Crawl the main server, servers whose robots.txt fails (500; 429 asking for an hour) and one whose
    robots.txt forbids all."""
    with FaultServer() as elsewhere, FaultServer() as main:
        main.routes.update(main_routes(main.base_url.rstrip("/"), elsewhere.base_url.rstrip("/")))
        robots_500 = small_site(Reply("oops", status=500), 10, "Robots Down")
        later = Reply("later", status=429, headers={"Retry-After": "3600"})
        robots_429 = small_site(later, 15, "Robots Busy")
        robots_none = small_site(
            Reply("User-agent: *\nDisallow: /\n", content_type="text/plain"), 11, "Keep Out"
        )
        with robots_500, robots_429, robots_none:
            db = tmp_path_factory.mktemp("servers") / "archive.db"
            urls = [main.base_url, robots_500.base_url, robots_429.base_url, robots_none.base_url]
            run = run_crawl(urls, db, SETTINGS)
        yield SimpleNamespace(
            run=run,
            main=main,
            elsewhere=elsewhere,
            robots_500=robots_500,
            robots_429=robots_429,
            robots_none=robots_none,
            base=main.base_url.rstrip("/"),
        )
        run.close()


def _row(crawl, case: Case):
    return crawl.run.page(crawl.base + (case.row_path or case.path))


# ---------------------------------------------------------------- per case


def _params(cases):
    return [
        pytest.param(c, id=c.name, marks=[pytest.mark.xfail(strict=True, reason=c.bug)] if c.bug else [])
        for c in cases
    ]


@pytest.mark.parametrize("case", _params(CASES))
def test_case(crawl, case):
    """The case's page has a row of the expected kind and reason; its recap (if any) is archived whole."""
    row = _row(crawl, case)
    assert row is not None, f"no pages row for {case.row_path or case.path}"
    assert row["kind"] == case.kind, dict(row)
    if case.reason:
        assert any(r.lower() in (row["reason"] or "").lower() for r in case.reason), row["reason"]
    if case.status != -1:
        assert row["status"] == case.status, dict(row)
    if case.hits is not None:
        assert crawl.main.hits[case.path] == case.hits, crawl.main.hits
    if case.recap:
        recap = crawl.run.recap(crawl.base + case.recap)
        assert recap is not None, f"{case.recap} not archived"
        assert recap["paragraph_count"] == 2


def test_redirect_to_a_page_fetched_another_way_is_no_loop(crawl):
    """``/sitemap.xml`` → ``/wp-sitemap.xml`` when robots.txt named the second already: the target is read
    once, and no error row says "redirect loop" (only a chain that returns to its own URLs is one)."""
    assert crawl.main.hits[ALIAS] == 1
    assert crawl.main.hits[BY_NAME["good_recap"].path] == 1
    loops = crawl.run.db.execute(
        "select url, reason from pages where reason like 'redirect loop%'"
    ).fetchall()
    assert [row["url"] for row in loops] == [crawl.base + BY_NAME["redirect_to_itself"].path]


def test_every_case_is_linked_or_listed(crawl):
    """Every case path was requested at least once (the crawl reached it)."""
    missing = [c.name for c in CASES if not crawl.main.hits[c.path]]
    assert missing == []


# ---------------------------------------------------------------- off-site and other schemes


def test_nothing_reached_the_other_server(crawl):
    """Redirects (3xx, protocol-relative, meta refresh, a comment page's) to another host or port: refused."""
    assert crawl.elsewhere.total_hits == 0, crawl.elsewhere.requests


def test_refusals_are_logged_with_their_urls(crawl):
    """Each refused redirect has a log line naming the page and where it pointed."""
    log = crawl.run.proc.stderr
    for name in ("redirect_other_host", "redirect_other_port", "redirect_file", "redirect_javascript"):
        url = crawl.base + BY_NAME[name].path
        assert any(url in line and "refused" in line for line in log.splitlines()), name


def test_nothing_archived_from_elsewhere(crawl):
    """No capture, page or recap has a URL outside the three crawled servers."""
    servers = (crawl.main, crawl.robots_500, crawl.robots_429, crawl.robots_none)
    netlocs = {server.base_url.split("/")[2] for server in servers}
    urls = [
        r[0]
        for r in crawl.run.rows(
            "select url from pages union select final_url from captures union select url from recaps"
        )
    ]
    assert [u for u in urls if u.split("/")[2] not in netlocs] == []


def test_entity_bomb_not_expanded(crawl):
    """The billion-laughs sitemap's entities (and its external file entity) are never expanded."""
    urls = [r[0] for r in crawl.run.rows("select url from pages union select url from captures")]
    assert all("lollol" not in u and "root:" not in u for u in urls)
    assert max(len(u) for u in urls) < 300


def test_comment_page_redirected_off_site(crawl):
    """A comment page that redirects off the site: refused, recorded, and the recap keeps page 1, marked
    incomplete."""
    case = BY_NAME["comment_page_redirect_off_site"]
    recap = crawl.run.recap(crawl.base + case.recap)
    assert crawl.run.children("comments", "comment_id", recap["id"]) == ["701", "702"]
    assert recap["comments_complete"] == 0
    row = crawl.run.page(crawl.base + CP2)
    assert row["kind"] == "error" and "refused redirect to another site" in row["reason"], dict(row)


# ---------------------------------------------------------------- retries


def test_retry_after_is_honoured(tmp_path):
    """A 503 with ``Retry-After: 2`` is retried no sooner than two seconds later (its own small crawl:
    in a busy one the retry can come late for other reasons)."""
    busy = [Reply("busy", status=503, headers={"Retry-After": "2"})]
    with small_site(ROBOTS_OK, 13, "Come Back Later", lambda ok: _flaky(busy, ok)) as site:
        run = run_crawl([site.base_url], tmp_path / "retry.db")
    survived = run.survived
    run.close()
    assert survived and site.hits[site.recap_path] == 2
    first, second = site.times[site.recap_path][:2]
    assert second - first >= 1.9, second - first


def _gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in zip(times, times[1:], strict=False)]


@pytest.mark.parametrize(
    "name", ["503_retry_after_then_ok", "429_retry_after_then_ok", "503_always", "429_no_retry_after_then_ok"]
)
def test_retries_wait(crawl, name):
    """Retry-After: 1 is waited for before each retry; a 429 without it, RECAPCRAWL_RETRY_BACKOFF (2 s)
    ±50 % before the first."""
    gaps = _gaps(crawl.main.times[BY_NAME[name].path])
    assert gaps and min(gaps) >= 0.95, gaps


def test_retry_after_over_the_cap_holds_the_host(crawl):
    """A Retry-After over RECAPCRAWL_RETRY_AFTER_MAX: no retry, a log line, and the host held for the cap."""
    path = BY_NAME["429_retry_after_over_cap"].path
    held = f"Holding requests to 127.0.0.1 for 3.0 s: HTTP 429 with Retry-After: 3600 for {crawl.base}{path}"
    assert held in crawl.run.proc.stderr
    given_up = crawl.main.times[path][0]
    # a request may leave as the 429 arrives (the downloader starts the next one before the middleware
    # sees the response); nothing after it
    assert not [t for t in _all_times(crawl.main) if given_up + 1.0 < t < given_up + 2.9]


def _all_times(server: FaultServer) -> list[float]:
    return sorted(t for times in server.times.values() for t in times)


def test_retry_after_holds_the_whole_host(tmp_path):
    """While a 503's ``Retry-After: 2`` runs, nothing is sent to its host, requests already queued for it
    included; they all go once it is over. (Also: a robots.txt answering 404 allows everything, even when
    its error page reads like ``Disallow: /``; RFC 9309 §2.3.1.3.)"""
    pages = [f"/2024/08/{n:02d}/page-{n}/" for n in range(8)]
    links = "".join(f'<a href="{p}">{p}</a>' for p in ["/busy/", *pages])
    routes = {
        "/robots.txt": Reply("User-agent: *\nDisallow: /\n", status=404, content_type="text/plain"),
        "/": Reply(f"<html><head><title>Many</title></head><body>{links}</body></html>"),
        "/busy/": _flaky([Reply("busy", status=503, headers={"Retry-After": "2"})], Reply("<p>ok</p>")),
        **{
            p: Reply(f"<html><head><title>{p}</title></head><body><p>{p}</p></body></html>", delay=0.3)
            for p in pages
        },
    }
    with FaultServer(routes) as site:
        run = run_crawl([site.base_url], tmp_path / "hold.db", {"CONCURRENT_REQUESTS_PER_DOMAIN": "1"})
    survived = run.survived
    run.close()
    assert survived and site.hits["/busy/"] == 2 and all(site.hits[p] == 1 for p in pages), site.hits
    held = site.times["/busy/"][0]
    assert site.times["/busy/"][1] - held >= 1.9
    assert not [t for t in _all_times(site) if held + 1.0 < t < held + 1.9]  # one may leave as the 503 comes
    assert [t for t in _all_times(site) if t >= held + 1.9]  # queued pages were held, not dropped


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("2", 2.0),
        (b"120", 120.0),
        (" 0 ", 0.0),
        ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),
        ("Wednesday, 21-Oct-15 07:28:10 GMT", 10.0),
        ("-1", None),
        ("1.5", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_values(value, seconds):
    """Delta-seconds or an HTTP date (IMF-fixdate or the obsolete RFC 850 form; past means now)."""
    now = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert retry_after_seconds(value, now) == seconds


# ---------------------------------------------------------------- robots.txt


def test_robots_disallow_all(crawl):
    """robots.txt ``Disallow: /``: only robots.txt is fetched; every other URL is skipped with that reason."""
    site = crawl.robots_none
    assert set(site.hits) == {"/robots.txt"}, site.hits
    base = site.base_url.rstrip("/")
    start = crawl.run.page(base + "/")
    assert start["kind"] == "skipped" and start["reason"] == "disallowed by robots.txt"
    assert crawl.run.rows("select count(*) from recaps where url like ?", [base + "%"])[0][0] == 0


def test_robots_500_is_survived(crawl):
    """robots.txt answering 500: the crawl goes on, and the failed robots.txt gets a row saying so."""
    base = crawl.robots_500.base_url.rstrip("/")
    row = crawl.run.page(base + "/robots.txt")
    assert row["kind"] == "error" and row["reason"] == "HTTP 500", dict(row)


def _disallowed_all(crawl, site: FaultServer, status: int) -> None:
    """Only robots.txt was fetched; the start URL's row says it was disallowed, the crawl log says why."""
    assert set(site.hits) == {"/robots.txt"}, site.hits
    start = crawl.run.page(site.base_url)
    assert start["kind"] == "skipped", dict(start)
    expected = f"disallowed by robots.txt (it answered HTTP {status}: disallow all)"
    assert start["reason"] == expected, dict(start)
    log = crawl.run.proc.stderr.splitlines()
    why = [line for line in log if f"{site.base_url}robots.txt answered" in line]
    assert why and f"HTTP {status}" in why[0] and "disallow everything" in why[0], why


def test_robots_500_means_disallow_all(crawl):
    """robots.txt answering 5xx (after the retries): nothing else on that host is fetched (RFC 9309
    §2.3.1.4)."""
    _disallowed_all(crawl, crawl.robots_500, 500)


def test_robots_429_over_the_cap_means_disallow_all(crawl):
    """robots.txt answering 429 with a Retry-After over the cap: given up at once, and the host disallowed."""
    _disallowed_all(crawl, crawl.robots_429, 429)
    assert crawl.robots_429.hits["/robots.txt"] == 2  # once for the robots.txt middleware, once the spider


# ---------------------------------------------------------------- the archive as a whole


def test_sitemap_named_xml_gz_is_read(crawl):
    assert crawl.main.hits["/sitemaps/posts.xml.gz"] == 1
    assert crawl.run.recap(crawl.base + GZ_ONLY) is not None


def test_crawl_survived(crawl):
    """Exit code 0, no traceback, ``finished`` in the crawl log, in well under the time limit."""
    assert crawl.run.survived, crawl.run.proc.stderr[-3000:]
    assert crawl.run.elapsed < 60


def test_archive_consistent(crawl):
    """integrity_check ok, no orphans, no recap without paragraphs, counts match their rows."""
    assert consistency_problems(crawl.run.db) == []


def test_no_spider_errors(crawl):
    """No callback raised (Scrapy logs ``Spider error processing`` and the URL gets no row), except
    where a known bug (a strict xfail case above) says so."""
    known = [crawl.base + c.path for c in CASES if c.bug]
    errors = [line for line in crawl.run.proc.stderr.splitlines() if "Spider error processing" in line]
    assert [e for e in errors if not any(f"<GET {url}>" in e for url in known)] == []


def test_figures(crawl, record_property):
    expected = {crawl.base + c.recap for c in CASES if c.recap}
    result = figures(FAULT_CATEGORY, KINDS, [crawl.run], expected)
    record_property("fault_figures", result)
    assert result["lost"] == [] and result["duplicated"] == 0 and result["survived"] == 1

"""The security rules of ``recapcrawl/crawler/middlewares/safety.py``, one by one, on requests and
responses made up here (never sent anywhere), with a crawl whose start URL is a public address
(93.184.216.34); plus one real crawl from a loopback start URL, which must work."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.test import get_crawler
from servers.fault_server import FaultServer, Reply, run_crawl
from servers.misbehaving_site import recap_html

from recapcrawl.crawler.middlewares.robots import DisallowAll
from recapcrawl.crawler.middlewares.safety import SafetyMiddleware, is_public, resolve
from recapcrawl.crawler.spiders.recaps import RecapsSpider

pytestmark = [pytest.mark.faults]
FAULT_CATEGORY = "Security rules"
PUBLIC = "http://93.184.216.34/"


def middleware(start_urls: str = PUBLIC, fake_dns: dict[str, list[str]] | None = None, **settings):
    """A SafetyMiddleware on a crawler whose spider starts at ``start_urls``; ``fake_dns`` answers lookups."""
    crawler = get_crawler(RecapsSpider, {"ROBOTSTXT_OBEY": False, **settings})
    crawler.spider = RecapsSpider(start_urls=start_urls)
    safety = SafetyMiddleware.from_crawler(crawler)
    if fake_dns is not None:
        answers = {host: [ipaddress.ip_address(a) for a in addresses] for host, addresses in fake_dns.items()}
        safety.resolve = lambda host: answers.get(host) or resolve(host)
        for host in answers:
            safety.addresses(host)  # looked up now, so no thread is needed later
    return safety


def refused(safety: SafetyMiddleware, url: str, **meta) -> str | None:
    """The refusal message for a request to ``url``, or None when it may go."""
    try:
        asyncio.run(safety.process_request(Request(url, meta=meta)))
    except IgnoreRequest as exc:
        return str(exc)
    return None


def redirect_refused(safety: SafetyMiddleware, url: str, response: Response, **meta) -> str | None:
    try:
        result = safety.process_response(Request(url, meta=meta), response)
    except IgnoreRequest as exc:
        return str(exc)
    assert result is response
    return None


# ---------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("8.8.8.8", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("127.9.9.9", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("fd00::1", False),
        ("fe80::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("2002:7f00:1::", False),
        ("::", False),
    ],
)
def test_is_public(address, public):
    assert is_public(ipaddress.ip_address(address)) is public


PRIVATE_TARGETS = [
    "http://127.0.0.1/",
    "http://127.0.0.1:8101/admin/",
    "http://10.0.0.5/",
    "http://192.168.1.1/",
    "http://172.16.5.4/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:8080/",
    "http://[fd00::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://0.0.0.0/",
    "http://localhost:8101/",
    "http://2130706433/",
    "http://100.64.0.1/",
]


@pytest.mark.parametrize("url", PRIVATE_TARGETS)
def test_private_targets_refused_from_a_public_start(url):
    """From a public start URL, every loopback, private, link-local, shared or unspecified target is
    refused, however it is spelled (IPv6, IPv4-mapped, a name, a decimal number)."""
    message = refused(middleware(), url)
    assert message and "private or loopback address" in message and "RECAPCRAWL_ALLOW_PRIVATE" in message


def test_a_name_resolving_to_a_private_address_is_refused():
    safety = middleware(
        "http://news.example/", {"news.example": ["93.184.216.34"], "intranet.example": ["10.0.0.5"]}
    )
    assert refused(safety, "http://news.example/2024/recap/") is None
    assert "10.0.0.5" in refused(safety, "http://intranet.example/")


def test_a_host_with_any_private_address_is_refused():
    safety = middleware(fake_dns={"split.example": ["93.184.216.35", "127.0.0.1"]})
    assert "127.0.0.1" in refused(safety, "http://split.example/")


def test_a_private_start_url_may_be_crawled_but_not_others():
    """Crawling a loopback or LAN start URL is what the user asked for; other private hosts still aren't."""
    safety = middleware("http://127.0.0.1:8101/")
    assert refused(safety, "http://127.0.0.1:8101/2024/03/05/recap/") is None
    assert "private" in refused(safety, "http://10.0.0.5:8101/")
    assert "another site" in refused(safety, "http://127.0.0.1:8102/")  # same host, other port: offsite


def test_start_urls_changing_during_the_crawl():
    """A distributed worker learns new sites as it goes: a private site added later is a start host too."""
    safety = middleware("http://127.0.0.1:8101/")
    assert "private" in refused(safety, "http://10.0.0.5/")
    spider = safety.crawler.spider
    spider.start_urls = [*spider.start_urls, "http://10.0.0.5/"]
    spider.netlocs = {"127.0.0.1:8101", "10.0.0.5"}
    assert refused(safety, "http://10.0.0.5/recap/") is None


def test_allow_private_setting():
    safety = middleware("http://127.0.0.1:8101/,http://10.0.0.5/", RECAPCRAWL_ALLOW_PRIVATE=True)
    assert refused(safety, "http://10.0.0.5/") is None
    assert "another site" in refused(safety, "http://10.0.0.6/")  # still only the start URLs' sites
    assert "private" in refused(middleware(PUBLIC), "http://10.0.0.5/")  # the default is False


def test_setting_is_documented_and_off():
    from recapcrawl.crawler import settings

    assert settings.RECAPCRAWL_ALLOW_PRIVATE is False
    assert settings.DOWNLOADER_MIDDLEWARES["recapcrawl.crawler.middlewares.safety.SafetyMiddleware"] == 610


# ---------------------------------------------------------------- scope and schemes


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34:8080/",
        "http://93.184.216.35/",
        "https://example.org/",
        "http://user@example.org/",
        "http://93.184.216.34.example.org/",
        "http://93.184.216.34@example.org/",
    ],
)
def test_requests_off_the_start_sites_refused(url):
    safety = middleware(
        fake_dns={"example.org": ["93.184.216.40"], "93.184.216.34.example.org": ["93.184.216.41"]}
    )
    assert "another site" in refused(safety, url)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://93.184.216.34/pub/", "data:text/html,hi", "s3://b/k"]
)
def test_non_http_requests_refused(url):
    assert "non-http(s)" in refused(middleware(), url)


def test_in_scope_requests_pass():
    safety = middleware()
    for url in (PUBLIC, PUBLIC + "2024/03/05/recap/", PUBLIC + "feed/", "https://93.184.216.34/"):
        assert refused(safety, url) is None, url


def redirect(location: str, status: int = 302) -> Response:
    return Response(PUBLIC + "old/", status=status, headers={"Location": location})


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://127.0.0.1:8101/", "another site"),
        ("http://93.184.216.35/x/", "another site"),
        ("//evil.example/x/", "another site"),
        ("http://93.184.216.34:81/", "another site"),
        ("file:///etc/passwd", "non-http(s)"),
        ("javascript:alert(1)", "non-http(s)"),
        ("ftp://93.184.216.34/", "non-http(s)"),
        ("data:text/html,<script>alert(1)</script>", "non-http(s)"),
    ],
)
def test_redirects_refused(location, reason):
    for status in (301, 302, 303, 307, 308):
        message = redirect_refused(middleware(), PUBLIC + "old/", redirect(location, status))
        assert message and f"refused redirect to {'a ' if 'non' in reason else ''}{reason}" in message
        assert PUBLIC + "old/" in message


@pytest.mark.parametrize("location", ["/new/", PUBLIC + "new/", "https://93.184.216.34/new/", "new/", "?p=2"])
def test_redirects_on_site_pass(location):
    assert redirect_refused(middleware(), PUBLIC + "old/", redirect(location)) is None


def test_dont_redirect_and_other_statuses_pass():
    assert (
        redirect_refused(middleware(), PUBLIC, redirect("http://evil.example/"), dont_redirect=True) is None
    )
    response = Response(PUBLIC, status=200, headers={"Location": "http://evil.example/"})
    assert redirect_refused(middleware(), PUBLIC, response) is None


def _html(body: str) -> HtmlResponse:
    return HtmlResponse(PUBLIC, body=body.encode(), headers={"Content-Type": "text/html; charset=utf-8"})


def test_meta_refresh_off_site_refused():
    page = '<html><head><meta http-equiv="refresh" content="0; url=http://169.254.169.254/"></head></html>'
    assert "refused meta refresh to another site" in redirect_refused(middleware(), PUBLIC, _html(page))
    on_site = '<html><head><meta http-equiv="refresh" content="0; url=/elsewhere/"></head></html>'
    assert redirect_refused(middleware(), PUBLIC, _html(on_site)) is None
    slow = '<html><head><meta http-equiv="refresh" content="500; url=http://evil.example/"></head></html>'
    assert redirect_refused(middleware(), PUBLIC, _html(slow)) is None  # not followed by Scrapy either


# ---------------------------------------------------------------- robots.txt, asked again


class FakeRobots(RobotsTxtMiddleware):
    def __init__(self, robots: str):
        self._parsers = {"93.184.216.34": ProtegoRobotParser(robots.encode(), None)}
        self._robotstxt_useragent = None
        self._default_useragent = "recapcrawl/0.1"


def test_robots_txt_asked_again():
    """A request Scrapy's robots.txt middleware let through unchecked is refused if robots.txt forbids it."""
    safety = middleware()
    safety._robots_middleware = FakeRobots("User-agent: *\nDisallow: /private/\n")
    assert refused(safety, PUBLIC + "private/page/") == "Forbidden by robots.txt"
    assert refused(safety, PUBLIC + "public/page/") is None
    assert refused(safety, PUBLIC + "private/page/", dont_obey_robotstxt=True) is None


def test_robots_txt_server_error_asked_again():
    """A host whose robots.txt answered 5xx (``robots.DisallowAll``): every request is refused."""
    safety = middleware()
    robots = FakeRobots("")
    robots._parsers["93.184.216.34"] = DisallowAll(503)
    safety._robots_middleware = robots
    assert refused(safety, PUBLIC) == refused(safety, PUBLIC + "any/page/") == "Forbidden by robots.txt"


# ---------------------------------------------------------------- a real crawl from loopback


LOOPBACK_CRAWL: list[bool] = []


def test_loopback_start_url_crawls(tmp_path):
    """The rule does not stop the ordinary case of crawling a site on this machine (the default settings)."""
    path = "/2024/10/01/harbor-lights-5x01-home/"
    page = recap_html(path, "Harbor Lights 5x01 Review: “Home”", ["Wren comes home.", "The harbor is quiet."])
    routes = {
        "/robots.txt": Reply("User-agent: *\nAllow: /\n", content_type="text/plain"),
        "/": Reply(f'<html><body><a href="{path}">x</a><a href="http://localhost:1/">y</a></body></html>'),
        path: Reply(page),
    }
    with FaultServer(routes) as site:
        run = run_crawl([site.base_url], tmp_path / "recaps.db")
    LOOPBACK_CRAWL.append(run.survived and run.recap(site.url(path)) is not None)
    assert run.survived, run.proc.stderr[-2000:]
    assert run.recap(site.url(path)) is not None
    assert "refused" not in run.proc.stderr
    run.close()


def test_figures(record_property):
    kinds = [f"private target {url}" for url in PRIVATE_TARGETS] + [
        "a name resolving to a private address",
        "a name with one private address among public ones",
        "private start URL (allowed) vs other private hosts",
        "RECAPCRAWL_ALLOW_PRIVATE",
        "off-site hosts and ports",
        "non-http(s) requests",
        "redirects off the site (5 statuses)",
        "redirects to non-http(s) URLs",
        "on-site redirects (allowed)",
        "meta refresh off the site",
        "robots.txt asked again",
        "robots.txt 5xx asked again",
        "loopback start URL crawls",
    ]
    crawled = all(LOOPBACK_CRAWL) and bool(LOOPBACK_CRAWL)
    result = {
        "category": FAULT_CATEGORY,
        "kinds": kinds,
        "crawls": len(LOOPBACK_CRAWL),
        "survived": sum(LOOPBACK_CRAWL),
        "expected_recaps": 1,
        "lost": [] if crawled else ["loopback"],
        "duplicated": 0,
    }
    record_property("fault_figures", result)

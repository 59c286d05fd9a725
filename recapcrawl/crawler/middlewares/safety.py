"""Security rules for the crawl: a page can't send the crawler anywhere it was not asked to go.

``SafetyMiddleware`` is a downloader middleware (``DOWNLOADER_MIDDLEWARES`` in ``settings.py``,
priority 610: just above Scrapy's ``RedirectMiddleware`` at 600, so it sees a redirect before it is
followed). It refuses, with ``IgnoreRequest`` and a message that ends up as the page's ``pages.reason``:

- **redirects off the crawl's sites**: a 3xx ``Location`` (or an HTML meta refresh) leading to a
  host *and port* other than the start URLs'. Scrapy's own ``OffsiteMiddleware`` compares host names
  only, skips requests with ``dont_filter`` (comment pages, refreshed recaps), and drops offsite
  redirects silently at scheduling, so the page that redirected would get no ``pages`` row;
- **redirects to a non-http(s) URL** (``file:``, ``ftp:``, ``data:``, ``javascript:`` …), which
  Scrapy would otherwise hand to the spider as an unexplained ``HTTP 302``;
- **any request off the crawl's sites or not http(s)**, whatever produced it (a backstop: the
  spider itself only follows in-scope links, sitemaps and feeds);
- **requests robots.txt forbids**, asked again here once the host's robots.txt is parsed: a backstop
  for the robots.txt middleware. Scrapy's ``RobotsTxtMiddleware`` (2.13+) let every request but the
  first that waited for a host's robots.txt through unchecked (its ``robot_parser`` awaits one
  Deferred several times, and the second await gets ``None``), so a crawl's start URL was fetched
  even under ``Disallow: /``; ``robots.RobotsMiddleware``, which replaces it, no longer
  does;
- **private targets from a public start URL**: a request whose host resolves to a loopback,
  private, link-local, shared, reserved, multicast or unspecified address (``127.0.0.1``,
  ``10.0.0.0/8``, ``169.254.169.254``, ``::1``, ``fc00::/7`` …), unless the start URL for that host
  was itself such an address (you asked to crawl it) or ``RECAPCRAWL_ALLOW_PRIVATE`` is true.

The address check resolves the host name when the request is made (off the reactor thread, cached
per host for the crawl). A DNS answer that changes between that check and the connection (DNS
rebinding) is not caught; crawl from a machine that cannot reach sensitive internal services when
that matters.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import sys
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import get_meta_refresh
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThread
from w3lib.url import safe_url_string

logger = logging.getLogger(__name__)

WEB_SCHEMES = ("http", "https")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(address: IPAddress) -> bool:
    """Whether an address is a public unicast one (not loopback, private, link-local, reserved…)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not address.is_multicast


def literal_address(host: str) -> IPAddress | None:
    """The address a host name spells directly (``127.0.0.1``, ``::1``), or None for a name."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def resolve(host: str) -> list[IPAddress]:
    """Every address ``host`` resolves to (blocking; the middleware calls it off the reactor thread)."""
    literal = literal_address(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []  # unresolvable: the download fails on its own with a DNS error
    found = []
    for info in infos:
        address = literal_address(str(info[4][0]))
        if address is not None and address not in found:
            found.append(address)
    return found


def _netloc(url: str) -> str:
    return urlsplit(url).netloc.lower()


class SafetyMiddleware:
    """Refuse offsite or non-http(s) redirects and requests, and private targets from public starts."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.allow_private = crawler.settings.getbool("RECAPCRAWL_ALLOW_PRIVATE", False)
        self.metarefresh = crawler.settings.getbool("METAREFRESH_ENABLED", True)
        self.metarefresh_ignore = crawler.settings.getlist("METAREFRESH_IGNORE_TAGS")
        self.metarefresh_maxdelay = crawler.settings.getfloat("METAREFRESH_MAXDELAY", 100)
        self._addresses: dict[str, list[IPAddress]] = {}
        self._private_starts: tuple[frozenset[str], set[str]] | None = None  # (start hosts, private ones)
        self._robots_middleware: RobotsTxtMiddleware | None = None

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    # ---------------------------------------------------------------- scope
    def spider_opened(self, spider) -> None:
        self._private_starts = None  # worked out on the first request, off the reactor thread
        engine = getattr(self.crawler, "engine", None)
        if engine is not None and self.crawler.settings.getbool("ROBOTSTXT_OBEY"):
            self._robots_middleware = self.crawler.get_downloader_middleware(RobotsTxtMiddleware)

    def robots_forbids(self, request: Request) -> bool:
        """Whether the host's robots.txt, already fetched and parsed by Scrapy, forbids this request."""
        robots = self._robots_middleware
        if robots is None or request.meta.get("dont_obey_robotstxt"):
            return False
        parser = getattr(robots, "_parsers", {}).get(urlsplit(request.url).netloc)
        if parser is None or isinstance(parser, Deferred):
            return False  # no robots.txt (or not read yet): Scrapy's middleware decided
        agent = getattr(robots, "_robotstxt_useragent", None) or getattr(robots, "_default_useragent", "")
        return not parser.allowed(request.url, agent)

    @property
    def start_urls(self) -> list[str]:
        return list(getattr(self.crawler.spider, "start_urls", None) or [])

    @property
    def netlocs(self) -> set[str]:
        """The host:port pairs the crawl may fetch (empty: no restriction, e.g. a spider without starts)."""
        spider = self.crawler.spider
        netlocs = getattr(spider, "netlocs", None)
        if netlocs is None:
            netlocs = {_netloc(u) for u in self.start_urls if urlsplit(u).scheme in WEB_SCHEMES}
        return {n.lower() for n in netlocs}

    def in_scope(self, url: str) -> bool:
        netlocs = self.netlocs
        return not netlocs or _netloc(url) in netlocs

    def _refuse(self, what: str, message: str) -> IgnoreRequest:
        self.stats.inc_value(f"recapcrawl/safety/{what}")
        logger.debug("%s", message)
        return IgnoreRequest(message)

    # ---------------------------------------------------------------- addresses
    def addresses(self, host: str) -> list[IPAddress]:
        """Cached ``resolve`` (tests replace ``resolve`` on the instance to fake DNS answers)."""
        if host not in self._addresses:
            self._addresses[host] = self.resolve(host)
        return self._addresses[host]

    def resolve(self, host: str) -> list[IPAddress]:
        return resolve(host)

    def private_hosts(self, addresses: Iterable[IPAddress]) -> list[IPAddress]:
        return [a for a in addresses if not is_public(a)]

    async def _addresses_async(self, host: str) -> list[IPAddress]:
        """``addresses``, looked up in a thread while the reactor runs (a DNS query must not stall it)."""
        running = getattr(sys.modules.get("twisted.internet.reactor"), "running", False)
        if host in self._addresses or literal_address(host) is not None or not running:
            return self.addresses(host)
        return await maybe_deferred_to_future(deferToThread(self.addresses, host))

    async def _private_starts_async(self) -> set[str]:
        """The start URLs' hosts that are private themselves (worked out again when the start URLs
        change, as a distributed worker's do)."""
        hosts = frozenset(host for u in self.start_urls if (host := urlsplit(u).hostname) is not None)
        if self._private_starts is None or self._private_starts[0] != hosts:
            private: set[str] = set()
            for host in hosts:
                if self.private_hosts(await self._addresses_async(host)):
                    private.add(host)
            self._private_starts = (hosts, private)
        return self._private_starts[1]

    # ---------------------------------------------------------------- the middleware
    async def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        origin = (request.meta.get("redirect_urls") or [None])[0]
        came = f" (redirected from {origin})" if origin else ""
        if parts.scheme not in WEB_SCHEMES:
            raise self._refuse("not_http", f"refused a non-http(s) URL: {request.url}{came}")
        if self.robots_forbids(request):
            raise self._refuse("robots", "Forbidden by robots.txt")
        await self._check_address(request, came)
        if not self.in_scope(request.url):
            raise self._refuse(
                "offsite", f"refused a request to another site: {request.url}{came}; {self._scope_note()}"
            )
        return None

    async def _check_address(self, request: Request, came: str) -> None:
        """Refuse a private target unless allowed, or unless its host was itself a (private) start URL's."""
        host = urlsplit(request.url).hostname
        if self.allow_private or not host or host in await self._private_starts_async():
            return
        private = self.private_hosts(await self._addresses_async(host))
        if private:
            raise self._refuse(
                "private",
                f"refused {request.url}{came}: {host} resolves to a private or loopback address"
                f" ({private[0]}) and the crawl did not start there"
                " (set RECAPCRAWL_ALLOW_PRIVATE=True to allow)",
            )

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("dont_redirect"):
            return response
        target, how = self._redirect_target(request, response)
        if target is None:
            return response
        if urlsplit(target).scheme not in WEB_SCHEMES:
            raise self._refuse(
                "redirect_not_http", f"refused {how} to a non-http(s) URL: {request.url} → {target}"
            )
        if not self.in_scope(target):
            raise self._refuse(
                "redirect_offsite",
                f"refused {how} to another site: {request.url} → {target}; {self._scope_note()}",
            )
        return response

    def _scope_note(self) -> str:
        return "only " + ", ".join(sorted(self.netlocs)) + " are crawled"

    def _redirect_target(self, request: Request, response: Response) -> tuple[str | None, str]:
        if response.status in REDIRECT_STATUSES and b"Location" in response.headers:
            # Scrapy types a header's value as Optional; ``in`` just said this one is there.
            location: bytes = response.headers[b"Location"]  # type: ignore[assignment]
            if location.startswith(b"//"):
                location = urlsplit(request.url).scheme.encode() + b":" + location
            return urljoin(request.url, safe_url_string(location)), "redirect"
        if self.metarefresh and isinstance(response, HtmlResponse) and response.status == 200:
            try:
                interval, url = get_meta_refresh(response, ignore_tags=self.metarefresh_ignore)
            except Exception:  # an undecodable or compressed body: MetaRefreshMiddleware meets it later
                return None, ""
            if url and interval is not None and float(interval) < self.metarefresh_maxdelay:
                return url, "meta refresh"
        return None, ""

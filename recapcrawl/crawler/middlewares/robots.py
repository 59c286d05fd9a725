"""robots.txt as RFC 9309 reads it: a server error means "disallow everything".

``RobotsMiddleware`` replaces Scrapy's ``RobotsTxtMiddleware`` (same priority, 100; same ``ROBOTSTXT_*``
settings). Scrapy parses whatever body robots.txt comes with, whatever its status, so an error page
read as an empty robots.txt let the whole site be crawled. Here:

- 5xx (and 429, which Google treats the same way), after ``RETRY_TIMES`` retries or a ``Retry-After``
  over ``RECAPCRAWL_RETRY_AFTER_MAX``: the host is disallowed entirely for this crawl (RFC 9309
  §2.3.1.4, "unreachable"), with a warning in the crawl log saying why;
- 4xx: no robots.txt, everything allowed (§2.3.1.3), whatever the error page says;
- anything else: parsed as Scrapy does. A robots.txt that cannot be fetched at all (DNS error,
  timeout, reset) still allows everything, as in Scrapy (the RFC asks for "disallow" here too; the
  host's pages then fail with the real error rather than "disallowed by robots.txt").

It also gives every request waiting for a host's robots.txt the parsed file: Scrapy 2.13+ hands it
only to the first (the others await one Deferred again and get ``None``, and were let through).
"""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached

from .politeness import RetryAfterTooLong

logger = logging.getLogger(__name__)

UNAVAILABLE = (429,)  # 4xx statuses that mean "come back later", not "no robots.txt"


class DisallowAll(RobotParser):
    """The robots.txt of a host whose robots.txt answered with a server error."""

    def __init__(self, status: int) -> None:
        self.status = status

    @classmethod
    def from_crawler(cls, crawler, robotstxt_body: bytes) -> DisallowAll:
        return cls(0)

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False

    def sitemaps(self) -> list[str]:
        return []


class RobotsMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware: 5xx means disallow all, 4xx allow all; every waiter gets the file."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        await super().robot_parser(request)  # a second waiter may get None here; the dict has the parser
        return self._parsers.get(urlparse_cached(request).netloc)  # type: ignore[return-value]

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if isinstance(rp, DisallowAll):
            self._stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest(f"Forbidden by robots.txt (it answered HTTP {rp.status}: disallow all)")
        super().process_request_2(rp, request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        status = response.status
        if 500 <= status < 600 or status in UNAVAILABLE:
            self._disallow_all(response, netloc)
            return
        if 400 <= status < 500:
            response = response.replace(body=b"")  # no robots.txt: everything is allowed
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, RetryAfterTooLong):  # a 429/503 asking for a wait over the cap: unavailable
            self._disallow_all(exc.response, netloc)
        else:
            super()._robots_error(exc, netloc)

    def _disallow_all(self, response: Response, netloc: str) -> None:
        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        self._stats.inc_value("recapcrawl/robots/unavailable")
        logger.warning(
            "%s answered HTTP %d: nothing else on %s is fetched in this crawl (a robots.txt that fails"
            " with a server error means 'disallow everything', RFC 9309 §2.3.1.4)",
            response.url,
            response.status,
            netloc,
        )
        waiting = self._parsers[netloc]
        self._parsers[netloc] = parser = DisallowAll(response.status)
        waiting.callback(parser)  # type: ignore[union-attr]

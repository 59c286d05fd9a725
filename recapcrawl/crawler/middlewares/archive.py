"""Fetching as little as possible: conditional requests, 304s answered from the archive, and
replaying what an interrupted crawl already archived instead of downloading it again."""

from __future__ import annotations

import logging

from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes

from ...storage import CrawlState, load_capture
from ..extensions import ArchiveSession

logger = logging.getLogger(__name__)

ARCHIVED = "archived"  # response flag: replayed from the archive, not downloaded
UNCHANGED = "unchanged"  # response flag: the server said 304, the body is the archived one


class ArchiveMiddleware:
    """Downloader middleware over the archive's ``CrawlState`` (the ``ArchiveSession`` extension's, open
    while the archive pipeline runs)."""

    def __init__(self, crawler, session: ArchiveSession | None) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.session = session

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.get_extension(ArchiveSession))

    @property
    def state(self) -> CrawlState | None:
        return self.session.state if self.session is not None else None

    def _replay(self, request: Request, capture_id: int, flag: str) -> Response:
        if self.session is None or self.session.db is None:
            raise RuntimeError("replaying a capture needs an open archive session")
        capture = load_capture(self.session.db, capture_id)
        headers = Headers({k: v for k, v in capture.headers.items()})
        cls = responsetypes.from_args(headers=headers, url=capture.final_url, body=capture.body)
        self.stats.inc_value(f"recapcrawl/{flag}")
        return cls(
            url=capture.final_url if flag == ARCHIVED else request.url,
            status=capture.status,
            headers=headers,
            body=capture.body,
            request=request,
            flags=[flag],
        )

    def process_request(self, request: Request):
        state = self.state
        if state is None or request.meta.get("dont_use_archive"):
            return None
        done = state.done.get(request.url)
        if done is not None:
            return self._replay(request, done, ARCHIVED)
        known = state.validators.get(request.url)
        if known is not None and not request.meta.get("force_refresh"):
            if known.etag:
                request.headers.setdefault("If-None-Match", known.etag)
            if known.last_modified:
                request.headers.setdefault("If-Modified-Since", known.last_modified)
        return None

    def process_response(self, request: Request, response: Response):
        state = self.state
        if state is None or response.status != 304:
            return response
        known = state.validators.get(request.url)
        if known is None:
            return response
        return self._replay(request, known.capture_id, UNCHANGED)

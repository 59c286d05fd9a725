"""Downloader middlewares."""

from __future__ import annotations

from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware


class ContactUserAgentMiddleware(UserAgentMiddleware):
    """Scrapy's User-Agent middleware, with ``RECAPCRAWL_CONTACT`` appended when it is set."""

    @classmethod
    def from_crawler(cls, crawler):
        agent = crawler.settings.get("USER_AGENT")
        contact = crawler.settings.get("RECAPCRAWL_CONTACT", "").strip()
        if contact:
            agent = f"{agent} (contact: {contact})"
        return cls(agent)

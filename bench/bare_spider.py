"""A bare Scrapy spider: fetches a site and follows its links, nothing else (no extraction, no storage).

    python bench/bare_spider.py http://127.0.0.1:PORT/      # prints {"pages": N, "bytes": B} as JSON

It starts where ``recapcrawl crawl`` starts (robots.txt, the sitemaps, the start page) and follows
the same links (same host and port, ``worth_following``, no fragments), with recapcrawl's
settings and the benchmarks' politeness-off overrides, so it fetches the same pages. A link already
requested is not requested again (a set of URLs; Scrapy's duplicate filter still runs), so the spider
pays for each page once, not for every link to it.
"""

from __future__ import annotations

import json
import os
import sys
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from recapcrawl.extraction.links import normalize_url, worth_following

LINKS = "//a/@href | //link[@rel='alternate']/@href"
LOCS = "//*[local-name()='loc']/text() | //*[local-name()='item']/*[local-name()='link']/text()"


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.root = url
        self.netloc = urlsplit(url).netloc
        self.seen: set[str] = set()  # links already requested: one Request per URL, not per link

    async def start(self):
        for path in ("robots.txt", "wp-sitemap.xml", "sitemap.xml", ""):
            yield scrapy.Request(
                urljoin(self.root, path),
                self.parse,
                errback=self.failed,
                meta={"dont_obey_robotstxt": path == "robots.txt"},
            )

    def failed(self, failure) -> None:
        self.crawler.stats.inc_value("bare/failed")

    def parse(self, response):
        if not isinstance(response, scrapy.http.TextResponse):
            return
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        if "html" in content_type:
            links = response.xpath(LINKS).getall()
        elif "xml" in content_type:
            links = response.xpath(LOCS).getall()
        else:
            links = [
                line.split(":", 1)[1].strip()
                for line in response.text.splitlines()
                if line.lower().startswith("sitemap:")
            ]
        for link in links:
            url = normalize_url(urljoin(response.url, link))
            if url and url not in self.seen and urlsplit(url).netloc == self.netloc and worth_following(url):
                self.seen.add(url)
                yield scrapy.Request(url, self.parse, errback=self.failed)


def main() -> None:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "recapcrawl.crawler.settings")
    settings = get_project_settings()
    settings.setdict(
        {
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
            "CONCURRENT_REQUESTS": 16,
            "LOG_LEVEL": "ERROR",
            "ITEM_PIPELINES": {},
            "EXTENSIONS": {},
            "DOWNLOADER_MIDDLEWARES": {},
            "DUPEFILTER_CLASS": "scrapy.dupefilters.RFPDupeFilter",
        },
        priority="cmdline",
    )
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, url=sys.argv[1])
    process.start()
    stats = crawler.stats.get_stats()
    print(
        json.dumps(
            {
                "pages": stats.get("response_received_count", 0),
                "bytes": stats.get("downloader/response_bytes", 0),
                "failed": stats.get("bare/failed", 0),
            }
        )
    )


if __name__ == "__main__":
    main()

"""The order the spider asks for pages in: the request priorities it gives."""

import scrapy
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from recapcrawl.crawler.spiders.recaps import LISTED_PRIORITY, RecapsSpider

SITE = "http://127.0.0.1:8099/"


def test_a_pages_feeds_rank_with_listed_pages_and_its_links_after_them():
    """A post's comment feed is read between the listed pages (the crawl process reads feeds while the
    extraction workers read pages), not in a burst after all of them; plain links come last."""
    crawler = get_crawler(RecapsSpider, {"ROBOTSTXT_OBEY": False})
    spider = RecapsSpider.from_crawler(crawler, start_urls=SITE)
    response = HtmlResponse(f"{SITE}2024/03/harbor-lights-2x05/", body=b"<html></html>", encoding="utf-8")
    page = {
        "notes": [],
        "feeds": [f"{SITE}2024/03/harbor-lights-2x05/feed/"],
        "pages": [f"{SITE}category/harbor-lights/"],
        "canonical": response.url,
        "title": "Harbor Lights 2x05",
        "is_recap": False,
        "reason": "not a recap",
        "kind": "page",
    }
    requests = [r for r in spider._read_page(response, page) if isinstance(r, scrapy.Request)]
    priorities = {request.url: request.priority for request in requests}
    assert priorities == {page["feeds"][0]: LISTED_PRIORITY, page["pages"][0]: 0}


def test_follow_asks_for_each_url_once_in_whatever_form_it_comes():
    crawler = get_crawler(RecapsSpider, {"ROBOTSTXT_OBEY": False})
    spider = RecapsSpider.from_crawler(crawler, start_urls=SITE)
    first = [r.url for r in spider.follow([f"{SITE}category/harbor-lights/"], spider.page_fetched)]
    again = [
        f"{SITE}category/harbor-lights/",
        f"{SITE}category/harbor-lights/#top",
        f" {SITE}category/harbor-lights/",
    ]
    assert first == [f"{SITE}category/harbor-lights/"]
    assert [r.url for r in spider.follow(again, spider.page_fetched)] == []

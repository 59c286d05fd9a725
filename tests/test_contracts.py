"""The typed contracts (``TypedDict``s) match what the crawl really hands around: a reading of a saved
sample page, and the items the spider and the split pipeline make of it, have exactly the keys and
value types their ``TypedDict`` names."""

import asyncio
import dataclasses
import json
import types
import typing
from pathlib import Path

import pytest
import scrapy
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from recapcrawl.crawler import items
from recapcrawl.crawler.pipelines import SplitPipeline
from recapcrawl.crawler.readings import (
    ArticlePageReading,
    CommentPageReading,
    PageReading,
    UnusableReading,
    read_article_page,
    read_comment_page,
    read_page,
)
from recapcrawl.crawler.spiders.recaps import PAGE_READ, RecapsSpider
from recapcrawl.models import PageOutcome
from recapcrawl.storage import writer

PAGES = Path(__file__).parent / "pages"
SAMPLES = sorted(PAGES.glob("sample-*/*.html"))
ALONE = PAGES / "sample-wordpress" / "longhaul-season-5-episode-8.html"  # a recap with one page


def _url(html: Path) -> str:
    return json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))["input_url"]


def _fits(value: object, hint: object) -> bool:
    """``value`` is of the type ``hint`` names (the few forms the contracts use)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is typing.Any:
        return True
    if typing.is_typeddict(hint):
        return isinstance(value, dict) and not _mismatches(value, hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, arg) for arg in args)
    if origin is typing.Literal:
        return value in args
    if origin is list:
        return isinstance(value, list) and all(_fits(v, args[0]) for v in value)
    if origin is tuple:
        return isinstance(value, tuple) and len(value) == len(args) and all(map(_fits, value, args))
    if origin is dict:
        return isinstance(value, dict) and all(
            _fits(k, args[0]) and _fits(v, args[1]) for k, v in value.items()
        )
    return isinstance(value, hint)


def _mismatches(value: dict, contract: type) -> list[str]:
    """What in ``value`` breaks ``contract``: missing or unknown keys, values of the wrong type."""
    hints = typing.get_type_hints(contract)
    problems = [f"missing {key}" for key in sorted(contract.__required_keys__ - value.keys())]
    problems += [f"unknown {key}" for key in sorted(value.keys() - hints.keys())]
    problems += [
        f"{key}: {value[key]!r:.80}" for key in hints if key in value and not _fits(value[key], hints[key])
    ]
    return problems


@pytest.mark.parametrize("html", SAMPLES, ids=lambda p: p.stem)
def test_page_readings_of_saved_sample_pages_keep_their_contracts(html):
    body, url = html.read_bytes(), _url(html)
    page = read_page(body, None, url)
    assert set(page) == PageReading.__required_keys__
    assert _mismatches(page, PageReading) == []
    assert _mismatches(read_page(body, None, url, False, False), PageReading) == []
    comments = read_comment_page(body, None, url)
    assert set(comments) == CommentPageReading.__required_keys__
    assert _mismatches(comments, CommentPageReading) == []
    article = read_article_page(body, None, url, url)
    assert set(article) == ArticlePageReading.__required_keys__
    assert _mismatches(article, ArticlePageReading) == []


def test_an_unusable_body_keeps_its_contract():
    for reader in (read_page, read_comment_page):
        assert _mismatches(reader(b"", None, "http://127.0.0.1:8101/"), UnusableReading) == []


def test_item_types_are_spelled_as_the_archive_writer_spells_them():
    for name in ("PAGE", "RECAP", "CAPTURE", "UNCHANGED_RECAP"):
        assert getattr(items, name) == getattr(writer, name)


def test_a_page_row_is_a_page_outcome():
    fields = [field.name for field in dataclasses.fields(PageOutcome)]
    assert list(typing.get_type_hints(items.PageRow)) == fields
    outcome = PageOutcome(url="http://127.0.0.1:8101/feed/", status=200, kind="feed", reason="3 entries")
    assert _mismatches(items.page_item(outcome), items.PageItem) == []


def test_the_spider_and_the_split_pipeline_keep_the_item_contracts():
    crawler = get_crawler(RecapsSpider, {"ROBOTSTXT_OBEY": False})
    url = _url(ALONE)
    spider = RecapsSpider.from_crawler(crawler, start_urls=url)
    response = HtmlResponse(url, body=ALONE.read_bytes(), encoding="utf-8", request=scrapy.Request(url))
    response.meta[PAGE_READ] = read_page(response.body, None, url)  # as an extraction worker hands it over
    capture, recap = [o for o in spider.parse_page(response) if isinstance(o, dict)]
    assert "packed" in capture and _mismatches(capture, items.CaptureItem) == []
    assert _mismatches(recap, items.RecapItem) == []
    assert recap["split"] is not None  # read alone: the worker split it already

    pipeline = SplitPipeline(crawler)
    split = asyncio.run(pipeline.process_item(recap))
    assert _mismatches(split, items.SplitRecapItem) == []
    assert asyncio.run(pipeline.process_item(capture)) is capture

"""An article's own pagination (``/slug/2/``, ``?page=2``): found, told apart from listing and comment
pagination, and merged into one recap."""

from __future__ import annotations

import pytest
import scrapy
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from recapcrawl.crawler.readings import read_article_page, read_page
from recapcrawl.crawler.spiders.recaps import RecapsSpider
from recapcrawl.extraction import extract_recap
from recapcrawl.extraction.article_pages import (
    article_pages,
    merge_bodies,
    page_number,
    pagination_texts,
    split_page_url,
    without_texts,
)
from recapcrawl.extraction.body import Body, split_body
from recapcrawl.extraction.dom import parse_html
from recapcrawl.models import Bullet, Heading, Paragraph

SITE = "http://tv.example/"
POST = SITE + "2024/05/02/harbour-lights-3x02-recap-the-fog-bell/"


def wordpress_page(url: str, number: int, count: int, paragraphs: list[str], core: bool = False) -> str:
    """A post page as WordPress prints it with ``<!--nextpage-->``: Twenty Twenty-One's nav.page-links,
    or (``core``) wp_link_pages' default ``<p class="post-nav-links">``; listing and comment
    pagination and post navigation around it."""
    links = []
    for n in range(1, count + 1):
        href = POST if n == 1 else f"{POST}{n}/"
        if n == number:
            links.append(f'<span class="post-page-numbers current" aria-current="page">{n}</span>')
        else:
            links.append(f'<a href="{href}" class="post-page-numbers">{n}</a>')
    if core:
        box = '<p class="post-nav-links">Pages: ' + " ".join(links) + "</p>"
    else:
        box = '<nav class="page-links" aria-label="Page">' + " ".join(links) + "</nav>"
    body = "\n".join(f"<p>{text}</p>" for text in paragraphs)
    canonical = POST if number == 1 else f"{POST}{number}/"
    return f"""<!DOCTYPE html><html><head><title>Harbour Lights 3x02 Recap: The Fog Bell</title>
<link rel="canonical" href="{canonical}" />
<meta name="generator" content="WordPress 6.5" /></head>
<body class="post-template-default single single-post">
<main id="main"><article id="post-7" class="post-7 post type-post hentry entry">
<header class="entry-header"><h1 class="entry-title">Harbour Lights 3x02 Recap: The Fog Bell</h1>
<div class="entry-meta"><time class="entry-date published" datetime="2024-05-02T21:00:00+00:00">May 2</time>
<span class="author vcard"><a class="url fn n" href="{SITE}author/ida/">Ida Marr</a></span></div></header>
<div class="entry-content">
{body}
{box}
</div>
</article>
<nav class="navigation post-navigation"><a href="{SITE}2024/04/25/harbour-lights-3x01-recap/" rel="prev">Previous</a></nav>
<div id="comments" class="comments-area"><ol class="comment-list">
<li id="comment-41" class="comment depth-1"><article id="div-comment-41" class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Ola</b></div>
<div class="comment-metadata"><time datetime="2024-05-02T22:00:00+00:00">May 2</time></div></footer>
<div class="comment-content"><p>The fog bell scene got me.</p></div></article></li>
</ol>
<nav class="navigation comment-navigation"><a href="{POST}comment-page-1/#comments">Older comments</a></nav>
</div>
<nav class="pagination"><a class="next page-numbers" href="{SITE}page/2/">Next</a></nav>
</main></body></html>"""  # noqa: E501


PAGE_TEXTS = [
    ["The fog rolls in before the opening titles, and Ida Marr never lets it lift.", "Bram rings the bell."],
    ["On the second page, the harbour master finally admits what the bell is for.", "Nobody listens."],
    ["The last page belongs to the lighthouse keeper and the long silence after the bell stops."],
]


def analyze_page(number: int, count: int = 3, core: bool = False):
    url = POST if number == 1 else f"{POST}{number}/"
    return parse_html(wordpress_page(url, number, count, PAGE_TEXTS[number - 1], core)), url


# ---------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{POST}3/", (POST, 3)),
        (f"{POST}3", (POST, 3)),
        (f"{SITE}news/ferry-strike?page=2", (f"{SITE}news/ferry-strike", 2)),
        (f"{SITE}article.php?id=81&pg=4", (f"{SITE}article.php?id=81", 4)),
        (f"{SITE}page/2/", None),  # the blog's listing pagination
        (f"{SITE}category/recaps/page/3/", None),
        (f"{POST}comment-page-2/", None),
        (f"{SITE}2024/", None),  # a year, not a page
        (POST, None),
    ],
)
def test_split_page_url(url, expected):
    assert split_page_url(url) == expected


def test_page_number():
    assert page_number(POST, POST) == 1
    assert page_number(POST.rstrip("/"), POST) == 1
    assert page_number(f"{POST}2/", POST) == 2
    assert page_number(f"{POST}comment-page-2/", POST) is None
    assert page_number(f"{SITE}2024/05/02/another-post/2/", POST) is None
    assert page_number(f"{SITE}page/2/", SITE) is None


# ---------------------------------------------------------------- detection


@pytest.mark.parametrize("core", [False, True], ids=["page-links", "post-nav-links"])
def test_wordpress_first_and_later_pages(core):
    root, url = analyze_page(1, core=core)
    first = article_pages(root, url)
    assert (first.number, first.first_url) == (1, POST)
    assert first.later == [(2, f"{POST}2/"), (3, f"{POST}3/")]
    root, url = analyze_page(2, core=core)
    second = article_pages(root, url)
    assert (second.number, second.first_url) == (2, POST)
    assert second.links == {1: POST, 3: f"{POST}3/"} and second.later == [(3, f"{POST}3/")]
    root, url = analyze_page(3, core=core)
    assert article_pages(root, url).later == []


def test_one_page_post_with_listing_comment_and_post_navigation_is_not_paginated():
    html = wordpress_page(POST, 1, 1, PAGE_TEXTS[0]).replace(
        '<span class="post-page-numbers current" aria-current="page">1</span>', ""
    )
    found = article_pages(parse_html(html), POST)
    assert found.number is None and found.links == {} and found.later == []


def test_news_article_with_rel_next_in_the_head():
    url = f"{SITE}news/ferry-strike"
    html = f"""<html><head><link rel="next" href="{url}?page=2"></head><body><article>
    <p>The ferry workers walked out at dawn.</p></article></body></html>"""
    found = article_pages(parse_html(html), url)
    assert (found.number, found.first_url, found.later) == (1, url, [(2, f"{url}?page=2")])
    later = f"""<html><head><link rel="prev" href="{url}"></head><body><article>
    <p>By noon the harbour was empty.</p><a rel="next" href="?page=3">Next page</a></article></body></html>"""
    found = article_pages(parse_html(later), f"{url}?page=2")
    assert (found.number, found.first_url) == (2, url)
    assert found.links == {1: url, 3: f"{url}?page=3"}


def test_next_page_link_inside_the_article_body():
    url = f"{SITE}reviews/cinder-road-finale/"
    html = f"""<html><body><article><div class="story">
    <p>The finale of Cinder Road opens on the burnt-out bus.</p>
    <p><a href="{url}2/">Continue reading: page 2</a></p></div></article></body></html>"""
    root = parse_html(html)
    body = root.xpath("//div[@class='story']")[0]
    assert article_pages(root, url).later == []  # not in the pagination markup
    assert article_pages(root, url, body).later == [(2, f"{url}2/")]


def test_next_and_previous_posts_are_not_pages_of_this_one():
    """Numeric permalinks: rel=next/prev to the neighbouring posts look like ``/N/`` but are other posts."""
    url = f"{SITE}recaps/12/"
    html = f"""<html><body><article><p>Episode twelve.</p>
    <a rel="prev" href="{SITE}recaps/11/">Previous recap</a>
    <a rel="next" href="{SITE}recaps/13/">Next recap</a></article></body></html>"""
    found = article_pages(parse_html(html), url)
    assert found.number is None and found.links == {}


# ---------------------------------------------------------------- merging


def test_page_links_box_is_not_a_paragraph():
    html = '<div><p>First.</p><p class="post-nav-links">Pages: <a href="x">2</a></p></div>'
    root = parse_html(html)
    box = root.xpath("//div")[0]
    assert pagination_texts(box) == {"Pages: 2"}
    body = without_texts(split_body(html), pagination_texts(box))
    assert [p.text for p in body.paragraphs] == ["First."] and body.blocks == ["First."]


@pytest.mark.parametrize(
    "box",
    [
        # Twenty Ten and Eleven: the box is "page-link", singular
        '<div class="page-link">Pages: <span>1</span> <a href="x/2/"><span>2</span></a></div>',
        # Twenty Fifteen and Sixteen: each number has screen-reader words the page does not show
        '<div class="page-links"><span class="page-links-title">Pages:</span>'
        '<span class="page-number"><span class="screen-reader-text">Page </span>1</span>'
        '<a href="x/2/"><span class="page-number"><span class="screen-reader-text">Page </span>2</span></a>'
        "</div>",
    ],
    ids=["page-link", "screen-reader-words"],
)
def test_page_links_boxes_of_older_themes_leave_the_body(box):
    html = f"<div><p>First.</p>{box}</div>"
    root = parse_html(html)
    body = without_texts(split_body(html), pagination_texts(root.xpath("//div")[0]))
    assert [p.text for p in body.paragraphs] == ["First."]


def test_merge_bodies_keeps_sections_and_numbers_lists_on():
    one = Body(
        headings=[Heading(2, "The bell")],
        paragraphs=[Paragraph("Intro."), Paragraph("Bell.", "The bell")],
        bullets=[Bullet("a", 0, False, 0, "The bell")],
        blocks=["Intro.", "The bell", "Bell.", "a"],
    )
    two = Body(
        headings=[Heading(2, "The keeper")],
        paragraphs=[Paragraph("Still ringing."), Paragraph("Keeper.", "The keeper")],
        bullets=[Bullet("b", 0, True, 0, None), Bullet("c", 1, False, 0, "The keeper")],
        blocks=["Still ringing.", "b", "The keeper", "Keeper.", "c"],
    )
    merged = merge_bodies([one, two])
    assert [h.text for h in merged.headings] == ["The bell", "The keeper"]
    assert [(p.text, p.section) for p in merged.paragraphs] == [
        ("Intro.", None),
        ("Bell.", "The bell"),
        ("Still ringing.", "The bell"),
        ("Keeper.", "The keeper"),
    ]
    assert [(b.text, b.list, b.heading) for b in merged.bullets] == [
        ("a", 0, "The bell"),
        ("b", 1, "The bell"),
        ("c", 2, "The keeper"),
    ]
    assert merged.blocks == one.blocks + two.blocks
    assert merge_bodies([one]) is one


@pytest.mark.parametrize("core", [False, True], ids=["page-links", "post-nav-links"])
def test_extract_recap_merges_every_page_in_order(core):
    pages = [
        wordpress_page(POST if n == 1 else f"{POST}{n}/", n, 3, PAGE_TEXTS[n - 1], core) for n in (1, 2, 3)
    ]
    recap = extract_recap(pages[0], POST, article_pages=[(f"{POST}2/", pages[1]), (f"{POST}3/", pages[2])])
    assert [p.text for p in recap.paragraphs] == [text for texts in PAGE_TEXTS for text in texts]
    assert [c.id for c in recap.comments] == ["41"]  # shown on every page, kept once
    assert recap.meta.canonical_url == POST
    alone = extract_recap(pages[0], POST)
    assert [p.text for p in alone.paragraphs] == PAGE_TEXTS[0]


# ---------------------------------------------------------------- the spider's side


def test_workers_read_the_pagination_and_leave_later_pages_out_of_links():
    body = wordpress_page(POST, 1, 3, PAGE_TEXTS[0]).encode()
    page = read_page(body, "utf-8", POST)
    assert page["is_recap"] and page["article_number"] == 1 and page["article_first"] == POST
    assert page["article_pages"] == [[2, f"{POST}2/"], [3, f"{POST}3/"]]
    assert not {f"{POST}2/", f"{POST}3/"} & set(page["pages"])
    assert page["recap"] is None  # split with its other pages, later
    later = read_article_page(
        wordpress_page(f"{POST}2/", 2, 3, PAGE_TEXTS[1]).encode(), "utf-8", f"{POST}2/", POST
    )
    assert later["article_pages"] == [[1, POST], [3, f"{POST}3/"]] and "second page" in later["text"]


def _spider():
    crawler = get_crawler(RecapsSpider, {"ROBOTSTXT_OBEY": False})
    return RecapsSpider.from_crawler(crawler, start_urls=SITE)


def test_spider_fetches_later_pages_with_the_first_then_hands_over_one_recap():
    spider = _spider()
    first = HtmlResponse(
        POST,
        body=wordpress_page(POST, 1, 3, PAGE_TEXTS[0]).encode(),
        encoding="utf-8",
        request=scrapy.Request(POST),
    )
    outputs = list(spider.parse_page(first))
    [request] = [
        o for o in outputs if isinstance(o, scrapy.Request) and o.callback == spider.article_page_fetched
    ]
    assert request.url == f"{POST}2/" and request.meta["article_page"] == 2
    assert not [o for o in outputs if isinstance(o, dict) and o.get("type") == "recap"]
    thread = request.cb_kwargs["thread"]
    items = []
    for number in (2, 3):
        url = f"{POST}{number}/"
        body = wordpress_page(url, number, 3, PAGE_TEXTS[number - 1]).encode()
        response = HtmlResponse(url, body=body, encoding="utf-8", request=request)
        outputs = list(spider.parse_article_page(response, thread))
        requests = [o for o in outputs if isinstance(o, scrapy.Request)]
        items = [o for o in outputs if isinstance(o, dict) and o.get("type") == "recap"]
        if number == 2:
            [request] = requests
            assert request.url == f"{POST}3/"
    [request] = requests  # the article's pages first, then the comment pages
    assert request.url == f"{POST}comment-page-1/" and not items
    older = '<ol class="comment-list"><li id="comment-40" class="comment"><div class="comment-content">'
    body = f"<html><body>{older}<p>Older.</p></div></li></ol></body></html>".encode()
    response = HtmlResponse(request.url, body=body, encoding="utf-8", request=request)
    [recap] = [
        o for o in spider.parse_comment_page(response, thread) if isinstance(o, dict) and o["type"] == "recap"
    ]
    assert [url for url, _ in recap["article_pages"]] == [f"{POST}2/", f"{POST}3/"]
    assert [s["url"] for s in recap["sources"]] == [POST, f"{POST}2/", f"{POST}3/", f"{POST}comment-page-1/"]
    assert [(p["kind"], p["url"]) for p in recap["pages"]] == [
        ("recap", POST),
        ("article_page", f"{POST}2/"),
        ("article_page", f"{POST}3/"),
        ("comment_page", f"{POST}comment-page-1/"),
    ]
    assert recap["split"] is None  # split with every page by the split pipeline


def test_spider_sends_a_later_page_reached_first_to_its_first_page():
    spider = _spider()
    url = f"{POST}2/"
    body = wordpress_page(url, 2, 3, PAGE_TEXTS[1]).encode()
    response = HtmlResponse(url, body=body, encoding="utf-8", request=scrapy.Request(url))
    outputs = list(spider.parse_page(response))
    [row] = [o for o in outputs if isinstance(o, dict) and o.get("type") == "page"]
    assert row["kind"] == "article_page" and row["canonical_url"] == POST and not row["is_recap"]
    requested = [o.url for o in outputs if isinstance(o, scrapy.Request)]
    assert POST in requested and f"{POST}3/" not in requested  # page 3 comes with page 1
    assert not spider.recaps_claimed


def test_a_later_page_redirected_to_the_first_adds_nothing():
    """WordPress sends a page number past the last one to the permalink: that page is not read twice."""
    spider = _spider()
    body = wordpress_page(POST, 1, 2, PAGE_TEXTS[0]).encode()
    first = HtmlResponse(POST, body=body, encoding="utf-8", request=scrapy.Request(POST))
    outputs = list(spider.parse_page(first))
    [request] = [
        o for o in outputs if isinstance(o, scrapy.Request) and o.callback == spider.article_page_fetched
    ]
    thread = request.cb_kwargs["thread"]
    request.meta["redirect_urls"] = [request.url]
    list(spider.parse_article_page(HtmlResponse(POST, body=body, encoding="utf-8", request=request), thread))
    assert thread.article_fetched == [] and [s["url"] for s in thread.sources] == [POST]
    assert (thread.pages[-1].url, thread.pages[-1].kind) == (f"{POST}2/", "other")

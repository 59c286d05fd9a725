"""The bundled sample site: both blogs answer like WordPress and Blogger, and truth.json matches them."""

from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from recapcrawl.sample_site import SampleSites
from recapcrawl.sample_site.truth import TRUTH_FILE, build_truth, dumps

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
THR = "{http://purl.org/syndication/thread/1.0}"
SLASH = "{http://purl.org/rss/1.0/modules/slash/}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """GET without following redirects; returns status, headers and the decoded body."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode("utf-8", "replace")


def visible(page: str) -> str:
    """Page text roughly as a reader sees it (line breaks as spaces, tags dropped, entities decoded)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    page = re.sub(r"<br\s*/?>", " ", page)
    return squash(html.unescape(re.sub(r"<[^>]+>", "", page)))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def sites():
    with SampleSites() as running:
        yield running


@pytest.fixture(scope="module")
def truth(sites):
    return sites.truth()


def recaps_of(truth: dict, site_url: str) -> list[dict]:
    return [r for r in truth["recaps"] if r["url"].startswith(site_url)]


def test_urls_and_counts(sites, truth):
    assert len(sites.urls) == 2 and sites.urls == [sites.wordpress_url, sites.blogger_url]
    assert all(re.fullmatch(r"http://127\.0\.0\.1:\d+/", u) for u in sites.urls)
    recaps = truth["recaps"]
    assert len(recaps) >= 10
    assert sum(len(r["comments"]) for r in recaps) >= 60
    assert len({r["show"] for r in recaps}) >= 3
    assert recaps_of(truth, sites.wordpress_url) and recaps_of(truth, sites.blogger_url)
    episodes = {}
    for r in recaps:
        blog = "blogger" if r["url"].startswith(sites.blogger_url) else "wordpress"
        episodes.setdefault((r["show"], r["season"], json.dumps(r["episode"])), set()).add(blog)
    assert any(len(blogs) == 2 for blogs in episodes.values()), "an episode recapped on both blogs"
    assert any(r["season"] is None for r in recaps)
    assert any(isinstance(r["episode"], list) for r in recaps)
    kinds = {n["kind"] for n in truth["not_recaps"]}
    assert {"page", "news", "listicle", "home", "category_archive", "tag_archive", "feed", "sitemap"} <= kinds


def test_truth_regenerates_identically():
    text = TRUTH_FILE.read_text(encoding="utf-8")
    assert dumps(build_truth()) == text
    assert build_truth() == json.loads(text)


def test_robots(sites):
    status, headers, body = fetch(sites.wordpress_url + "robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in body and "Disallow: /wp-admin/" in body
    assert f"Sitemap: {sites.wordpress_url}wp-sitemap.xml" in body
    status, _, body = fetch(sites.blogger_url + "robots.txt")
    assert status == 200 and "Disallow: /search" in body and "Allow: /" in body
    assert f"Sitemap: {sites.blogger_url}sitemap.xml" in body


def _sitemap_urls(url: str) -> set[str]:
    status, headers, body = fetch(url)
    assert status == 200 and "xml" in headers["Content-Type"]
    root = ET.fromstring(body)
    if root.tag == SM + "sitemapindex":
        found: set[str] = set()
        for loc in root.iter(SM + "loc"):
            found |= _sitemap_urls(html.unescape(loc.text))
        return found
    assert root.tag == SM + "urlset"
    return {u.findtext(SM + "loc") for u in root.iter(SM + "url")}


def test_sitemaps_list_every_recap(sites, truth):
    wp = _sitemap_urls(sites.wordpress_url + "wp-sitemap.xml")
    assert {r["url"] for r in recaps_of(truth, sites.wordpress_url)} <= wp
    blogger = _sitemap_urls(sites.blogger_url + "sitemap.xml")
    assert {r["url"] for r in recaps_of(truth, sites.blogger_url)} <= blogger
    assert sites.blogger_url + "p/about.html" in _sitemap_urls(sites.blogger_url + "sitemap-pages.xml")


def test_feeds_list_every_recap(sites, truth):
    status, headers, body = fetch(sites.wordpress_url + "feed/")
    assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
    items = {i.findtext("link"): i for i in ET.fromstring(body).iter("item")}
    per_feed = sites.sites[0].blog.meta["posts_per_rss"]
    newest = {sites.wordpress_url + p.path for p in sites.sites[0].blog.posts[:per_feed]}
    assert len(items) == per_feed and set(items) == newest  # the newest posts, as WordPress lists them
    for recap in recaps_of(truth, sites.wordpress_url):
        if recap["url"] in newest:
            assert int(items[recap["url"]].findtext(SLASH + "comments")) == len(recap["comments"])
    status, _, body = fetch(sites.wordpress_url + "comments/feed/")
    assert status == 200 and len(list(ET.fromstring(body).iter("item"))) == 10
    status, headers, body = fetch(sites.blogger_url + "feeds/posts/default")
    assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
    entries = {}
    for entry in ET.fromstring(body).iter(ATOM + "entry"):
        link = next(x.get("href") for x in entry.iter(ATOM + "link") if x.get("rel") == "alternate")
        entries[link] = entry
    for recap in recaps_of(truth, sites.blogger_url):
        assert int(entries[recap["url"]].findtext(THR + "total")) == len(recap["comments"])


def _comment_ids(page: str) -> list[str]:
    return re.findall(r'<li id="comment-(\d+)"', page) or re.findall(r'<li class="comment" id="c(\d+)"', page)


def test_every_recap_page_shows_its_truth(sites, truth):
    for recap in truth["recaps"]:
        status, headers, page = fetch(recap["url"])
        assert status == 200, recap["url"]
        assert headers["Content-Type"] == "text/html; charset=UTF-8"
        pages = truth["comment_pages"].get(recap["url"], [recap["url"]])
        parts = truth["article_pages"].get(recap["url"], [recap["url"]])
        text = " ".join(visible(fetch(u)[2]) for u in [*pages[:-1], *parts])
        assert recap["title"] in text
        expected = (
            [h["text"] for h in recap["headings"]]
            + [p["text"] for p in recap["paragraphs"]]
            + [b["text"] for b in recap["bullets"]]
            + [q["text"] for q in recap["quotes"]]
            + [c["text"] for c in recap["comments"]]
            + [c["author"] for c in recap["comments"]]
        )
        for snippet in expected:
            assert squash(snippet) in text, (recap["url"], snippet)
        ids = [i for u in pages for i in _comment_ids(fetch(u)[2])]
        assert sorted(ids, key=int) == [c["id"] for c in recap["comments"]]


def test_comment_pagination(sites, truth):
    paged = {url: pages for url, pages in truth["comment_pages"].items() if len(pages) > 1}
    assert any(len(pages) >= 3 for pages in paged.values())
    for url, pages in paged.items():
        bodies = []
        for page_url in pages:
            status, _, body = fetch(page_url)
            assert status == 200
            bodies.append(body)
        per_page = [set(_comment_ids(b)) for b in bodies]
        assert all(per_page) and sum(map(len, per_page)) == len(set().union(*per_page))
        assert pages[-1] == url  # the post URL is the newest (last) page
        assert "Older comments" in bodies[-1] and "Newer comments" in bodies[0]
        assert fetch(url + "?cpage=2")[2] == fetch(url + "comment-page-2/")[2]
        status, _, reply = fetch(f"{url}?replytocom={sorted(per_page[-1])[0]}")
        assert status == 200 and set(_comment_ids(reply)) == per_page[-1] and "noindex" in reply
        status, headers, _ = fetch(url + f"comment-page-{len(pages) + 1}/")
        assert status == 301 and headers["Location"] == url
        assert re.search(r'class="comment [^"]*depth-3', "".join(bodies)), "threads nest to depth 3+"


def test_article_pages(sites, truth):
    """Posts split with page breaks: one recap in the truth, every page linked from every other like
    Twenty Twenty-One's wp_link_pages, the text of each page on that page only."""
    paged = truth["article_pages"]
    assert sorted(len(urls) for urls in paged.values()) == [2, 3]
    recaps = {r["url"]: r for r in truth["recaps"]}
    later = {n["url"] for n in truth["not_recaps"] if n["kind"] == "article_page"}
    assert later == {u for urls in paged.values() for u in urls[1:]}
    for url, urls in paged.items():
        bodies = [fetch(u)[2] for u in urls]
        for number, body in enumerate(bodies, 1):
            box = re.search(r'<nav class="page-links" aria-label="Page">(.*?)</nav>', body).group(1)
            assert f'<span class="post-page-numbers current" aria-current="page">Page {number}</span>' in box
            links = re.findall(r'<a href="([^"]+)" class="post-page-numbers">', box)
            assert links == [u for u in urls if u != urls[number - 1]]
            assert f'<link rel="canonical" href="{urls[number - 1] if number > 1 else url}"' in body
        texts = [visible(b) for b in bodies]
        paragraphs = [p["text"] for p in recaps[url]["paragraphs"]]
        where = [next(i for i, text in enumerate(texts) if squash(p) in text) for p in paragraphs]
        assert where == sorted(where) and set(where) == set(range(len(urls)))  # in order, on every page
        for wrong in (url + "1/", url + f"{len(urls) + 1}/"):  # WordPress sends these to the permalink
            status, headers, _ = fetch(wrong)
            assert status == 301 and headers["Location"] == url
    one_page = next(u for u in recaps if u.startswith(sites.wordpress_url) and u not in paged)
    status, headers, _ = fetch(one_page + "2/")
    assert status == 301 and headers["Location"] == one_page


def test_comment_states(sites, truth):
    wp = recaps_of(truth, sites.wordpress_url)
    closed = [r for r in wp if "Comments are closed." in fetch(r["url"])[2]]
    assert closed and all('id="commentform"' not in fetch(r["url"])[2] for r in closed)
    assert any(not r["comments"] for r in wp)


def test_redirects_and_not_found(sites, truth):
    recap = recaps_of(truth, sites.wordpress_url)[0]
    status, _, page = fetch(recap["url"])
    post_id = re.search(r'<article id="post-(\d+)"', page).group(1)
    status, headers, _ = fetch(f"{sites.wordpress_url}?p={post_id}")
    assert status == 301 and headers["Location"] == recap["url"]
    status, headers, _ = fetch(recap["url"].rstrip("/"))
    assert status == 301 and headers["Location"] == recap["url"]
    for base in sites.urls:
        status, headers, body = fetch(base + "no/such/page/")
        assert status == 404 and headers["Content-Type"].startswith("text/html") and "<html" in body


def test_conditional_requests(sites, truth):
    url = truth["recaps"][0]["url"]
    status, headers, _ = fetch(url)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(url, {"If-None-Match": '"stale"'})[0] == 200
    status, headers, _ = fetch(sites.wordpress_url + "feed/")
    assert fetch(sites.wordpress_url + "feed/", {"If-None-Match": headers["ETag"]})[0] == 304


def test_non_recap_urls_answer(sites, truth):
    for item in truth["not_recaps"]:
        status, headers, body = fetch(item["url"])
        assert status == 200, item
        if item["kind"] in ("feed", "sitemap"):
            assert "xml" in headers["Content-Type"]
            ET.fromstring(body)  # well-formed
        elif item["kind"] != "robots":
            assert headers["Content-Type"] == "text/html; charset=UTF-8"


def test_listing_pagination(sites, truth):
    status, _, home = fetch(sites.wordpress_url)
    assert status == 200 and f'class="next page-numbers" href="{sites.wordpress_url}page/2/"' in home
    seen: list[str] = []
    url = sites.blogger_url
    while url:
        status, _, page = fetch(url)
        assert status == 200
        seen += re.findall(r"<h3 class='post-title entry-title' itemprop='name'>\n<a href='([^']+)'>", page)
        older = re.search(r"<a class='blog-pager-older-link' href='([^']+)'", page)
        url = html.unescape(older.group(1)) if older else None
    assert {r["url"] for r in recaps_of(truth, sites.blogger_url)} <= set(seen)
    assert len(seen) == len(set(seen))


def test_pages_use_the_request_host(sites):
    port = sites.wordpress_url.rsplit(":", 1)[1].rstrip("/")
    status, _, page = fetch(f"http://localhost:{port}/about/")
    assert status == 200 and f"http://localhost:{port}/feed/" in page

"""Where to go next: in-site links, feeds, sitemaps and robots.txt ``Sitemap:`` lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from lxml import etree

from .bylines import clean_byline
from .comments import comment_page_number
from .dom import safe_join
from .metadata import iso_datetime, strip_comment_page

SKIP_EXTENSIONS = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|bmp|tiff?|css|js|mjs|json|pdf|zip|gz|tgz|rar|7z|mp3|mp4|m4a|m4v|mov|"
    r"avi|webm|ogg|wav|flac|woff2?|ttf|eot|otf|exe|dmg|apk|docx?|xlsx?|pptx?|csv|txt|xsl)$",
    re.I,
)
SKIP_PATHS = re.compile(
    r"/(?:wp-admin|wp-login\.php|wp-json|xmlrpc\.php|wp-includes|wp-content|cgi-bin|cdn-cgi|trackback)(?:/|$)|"
    r"/(?:login|logout|register|signin|signup|cart|checkout|account|print)/?$|/embed/?$",
    re.I,
)
SKIP_QUERY = re.compile(
    r"(?:^|&)(?:replytocom|share|like_comment|unapproved|moderation-hash|action|"
    r"redirect_to|print|amp|format|doing_wp_cron|s|showComment)=",
    re.I,
)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


@dataclass
class Links:
    """Links found on one HTML page, sorted by what to do with them."""

    pages: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    comment_pages: list[str] = field(default_factory=list)


def normalize_url(url: str) -> str | None:
    """Absolute http(s) URL without fragment, or None for other schemes and malformed URLs."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    path = parts.path or "/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, parts.query, ""))


def worth_following(url: str) -> bool:
    """Whether a same-site link may lead to articles (no media, admin, reply or share links)."""
    parts = urlsplit(url)
    if SKIP_EXTENSIONS.search(parts.path) or SKIP_PATHS.search(parts.path):
        return False
    return not (parts.query and SKIP_QUERY.search(parts.query))


def is_feed_url(url: str) -> bool:
    path = urlsplit(url).path.rstrip("/")
    return path.endswith(
        (
            "/feed",
            "/rss",
            "/atom",
            ".rss",
            ".atom",
            "/feeds/posts/default",
            "/rss.xml",
            "/atom.xml",
            "/feed.xml",
            "/index.xml",
        )
    )


def page_links(root: etree._Element, url: str) -> Links:
    """Every link worth following on an HTML page, deduplicated, in document order."""
    base = root.xpath("//base/@href")
    base_url = (safe_join(url, base[0]) or url) if base else url
    found = Links()
    seen: set[str] = set()
    for anchor in root.xpath("//a[@href]"):
        rel = (anchor.get("rel") or "").lower().split()
        absolute = normalize_url(safe_join(base_url, anchor.get("href")))
        if not absolute or absolute in seen:
            continue
        seen.add(absolute)
        if comment_page_number(absolute) is not None:
            found.comment_pages.append(absolute)
        elif is_feed_url(absolute):
            found.feeds.append(absolute)
        elif "nofollow" not in rel and worth_following(absolute):
            found.pages.append(absolute)
    for link in root.xpath("//link[@rel='alternate'][@href]"):
        if (link.get("type") or "").lower() in FEED_TYPES:
            absolute = normalize_url(safe_join(base_url, link.get("href")))
            if absolute and absolute not in seen:
                seen.add(absolute)
                found.feeds.append(absolute)
    return found


def sitemaps_from_robots(text: str, url: str) -> list[str]:
    """The ``Sitemap:`` URLs a robots.txt lists."""
    found = []
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "sitemap" and value.strip():
            absolute = normalize_url(safe_join(url, value))
            if absolute:
                found.append(absolute)
    return found


def _xml_root(body: bytes) -> etree._Element | None:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(body.lstrip(), parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


@dataclass
class FeedEntry:
    url: str
    updated: str | None = None
    comment_count: int | None = None
    published: str | None = None  # when the post went up (RSS pubDate, Atom published, dc:date)
    author: str | None = None  # who wrote it (dc:creator, Atom author/name, RSS author "mail (Name)")


def parse_sitemap(body: bytes) -> tuple[str, list[FeedEntry]]:
    """``("index", child sitemaps)`` or ``("urlset", page URLs)`` with lastmod; ("invalid", []) otherwise."""
    root = _xml_root(body)
    if root is None:
        return "invalid", []
    kind = _local(root.tag)
    entries = []
    for child in root:
        if _local(child.tag) not in ("url", "sitemap"):
            continue
        values = {_local(c.tag): (c.text or "").strip() for c in child}
        if values.get("loc"):
            entries.append(FeedEntry(values["loc"], values.get("lastmod")))
    if kind == "sitemapindex":
        return "index", entries
    if kind == "urlset":
        return "urlset", entries
    return "invalid", []


def parse_feed(body: bytes) -> list[FeedEntry]:
    """Post links from an RSS 2.0 or Atom feed, with updated date and comment count where given."""
    root = _xml_root(body)
    if root is None:
        return []
    entries = []
    for item in root.iter():
        name = _local(item.tag)
        if name not in ("item", "entry"):
            continue
        link, updated, count, published, author = None, None, None, None, None
        for child in item:
            child_name = _local(child.tag)
            if child_name == "link":
                href = child.get("href")
                if href and child.get("rel", "alternate") == "alternate":
                    link = link or href
                elif not href and child.text:
                    link = link or child.text.strip()
            elif child_name in ("pubdate", "updated", "published", "date") and child.text:
                if child_name != "date":
                    updated = updated or child.text.strip()
                if child_name != "updated":
                    published = published or child.text.strip()
            elif child_name in ("comments", "total") and (child.text or "").strip().isdigit():
                count = int(child.text.strip())
            elif child_name in ("creator", "author") and author is None:
                author = _feed_author(child)
        if link:
            entries.append(FeedEntry(link, updated, count, published, author))
    return entries


_MAIL_AND_NAME = re.compile(r"^\S+@\S+\s*\((?P<name>[^()]+)\)$")


def _feed_author(element: etree._Element) -> str | None:
    """A feed item's author: dc:creator's text, Atom's author/name, or the name in RSS's "mail (Name)"."""
    names = [child for child in element if _local(child.tag) == "name"]
    text = " ".join(((names[0] if names else element).text or "").split())
    mail = _MAIL_AND_NAME.match(text)
    if mail:
        text = mail.group("name").strip()
    return clean_byline(text) if text and "@" not in text else None


def listing_key(url: str) -> str:
    """The key two spellings of a post's URL share (scheme, host case, fragment, final slash aside)."""
    normalized = normalize_url(url) or url
    return normalized.split("://", 1)[-1].rstrip("/")


# What a feed says of one post or comment: when it went up (an ISO 8601 instant) and who wrote it.
Listing = tuple[str | None, str | None]


def listings(entries: list[FeedEntry], base_url: str) -> dict[str, Listing]:
    """When each post or comment a feed lists went up and who wrote it: a post by ``listing_key`` of its
    URL, a comment (a comments feed's ``…/post/#comment-5``) by ``comment_key``; other fragments are
    skipped."""
    found: dict[str, Listing] = {}
    for entry in entries:
        url, _, fragment = safe_join(base_url, entry.url).partition("#")
        if fragment and not _COMMENT_FRAGMENT.match(fragment):
            continue
        when = iso_datetime(entry.published) if entry.published else None
        if when or entry.author:
            # (a comment's link may name its comment page: ``…/post/comment-page-1/#comment-6``)
            key = (
                comment_key(strip_comment_page(url), fragment.split("-", 1)[1])
                if fragment
                else listing_key(url)
            )
            found.setdefault(key, (when, entry.author))
    return found


_COMMENT_FRAGMENT = re.compile(r"^comment-\d+$")


def comment_key(post_url: str, comment_id: str) -> str:
    """The listing key of a post's comment (WordPress's ``comment-ID`` anchor)."""
    return f"{listing_key(post_url)}#comment-{comment_id}"


def add_listings(known: dict[str, Listing], more: dict[str, Listing]) -> None:
    """``more`` into ``known``: the first feed to list a post says when it went up."""
    for key, listing in more.items():
        known.setdefault(key, listing)


def looks_like_feed(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in body[:4096].lower() or b"<feed" in body[:4096].lower())

"""Recap metadata from JSON-LD, OpenGraph/meta tags and the page's own markup."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from dateutil import parser as date_parser
from lxml import etree

from ..models import Metadata
from . import selectors as sel
from .dom import text_of
from .text import clean

ARTICLE_TYPES = {
    "article",
    "blogposting",
    "newsarticle",
    "review",
    "reportagenewsarticle",
    "socialmediaposting",
}
_COMMENT_PAGE_PATH = re.compile(r"/comment-page-\d+/?$")
_AUTHOR_LINK_TEXT = [
    re.compile(r"^view all (?:posts )?(?:of|by) (.+?)(?:['’]s)? posts\.?$", re.I),
    re.compile(r"^(?:all )?posts by (.+)$", re.I),
    re.compile(r"^(?:written )?by:? (.+)$", re.I),
]


def json_ld_objects(root: etree._Element) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, with ``@graph`` lists flattened. Bad JSON is skipped."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            found.append(node)
            if "@graph" in node:
                walk(node["@graph"])

    for raw in sel.JSON_LD(root):
        try:
            walk(json.loads(raw))
        except (ValueError, TypeError):
            continue
    return found


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values}


def json_ld_article(objects: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first Article-like JSON-LD object, if any."""
    for obj in objects:
        if _types(obj) & ARTICLE_TYPES:
            return obj
    return None


def _json_ld_name(value: Any, objects: list[dict[str, Any]]) -> str | None:
    """A name from a JSON-LD person value: a string, a dict with name, or an @id reference."""
    if isinstance(value, list):
        names = [_json_ld_name(v, objects) for v in value]
        names = [n for n in names if n]
        return ", ".join(names) if names else None
    if isinstance(value, str):
        return None if value.startswith("http") else clean(value)
    if isinstance(value, dict):
        if value.get("name"):
            return clean(str(value["name"]))
        ref = value.get("@id")
        for obj in objects:
            if ref and obj.get("@id") == ref and obj.get("name"):
                return clean(str(obj["name"]))
    return None


def meta_tags(root: etree._Element) -> dict[str, str]:
    """``<meta>`` contents by property or name, lower-cased keys; the first occurrence wins."""
    tags: dict[str, str] = {}
    for meta in sel.META(root):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key and key not in tags:
            tags[key] = meta.get("content", "").strip()
    return tags


def meta_list(root: etree._Element, key: str) -> list[str]:
    """Every content of a repeated meta tag such as ``article:tag``."""
    return [
        clean(m.get("content"))
        for m in sel.META(root)
        if (m.get("property") or m.get("name") or "").lower() == key and m.get("content")
    ]


def iso_datetime(value: str | None, default_tz: tzinfo = UTC) -> str | None:
    """ISO 8601 with offset for a machine or human date; naive values are taken in ``default_tz``."""
    if not value:
        return None
    text = clean(value).replace(" at ", " ")
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = date_parser.parse(text, fuzzy=True)
        except (ValueError, OverflowError, TypeError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=default_tz)
    return when.isoformat()


def timezone_of(value: str | None) -> tzinfo:
    """The UTC offset of an ISO 8601 datetime (a post's), for dates on the same page that lack one."""
    try:
        when = datetime.fromisoformat(value) if value else None
    except ValueError:
        when = None
    return when.tzinfo if when is not None and when.tzinfo is not None else UTC


def first(root: etree._Element, xpaths: list[etree.XPath]) -> Any:
    """The first result of the first XPath that finds anything."""
    for path in xpaths:
        found = path(root)
        if found:
            return found[0]
    return None


def canonical_url(root: etree._Element, url: str, tags: dict[str, str]) -> str:
    """The page's canonical URL (comment-page suffixes and fragments removed)."""
    found = sel.CANONICAL(root)
    candidate = found[0].strip() if found else tags.get("og:url") or url
    absolute = urljoin(url, candidate)
    if urlsplit(absolute).scheme not in ("http", "https"):
        absolute = url
    return strip_comment_page(absolute)


def strip_comment_page(url: str) -> str:
    """The post URL behind a WordPress comment page URL (``/comment-page-2/``, ``?cpage=2``)."""
    parts = urlsplit(url)
    path = _COMMENT_PAGE_PATH.sub("/", parts.path)
    query = "&".join(
        p for p in parts.query.split("&") if p and not p.startswith(("cpage=", "replytocom=", "showComment="))
    )
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def _author_from_link_text(text: str) -> str:
    text = clean(text)
    for pattern in _AUTHOR_LINK_TEXT:
        match = pattern.match(text)
        if match:
            return clean(match.group(1))
    return text


def _link_of(element: etree._Element, url: str) -> str | None:
    """The http(s) URL an element links to: itself, an ancestor link or its first link."""
    links = element.xpath("ancestor-or-self::a[@href][1]/@href | descendant::a[@href][1]/@href")
    if not links:
        return None
    absolute = urljoin(url, links[0].strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def author(
    root: etree._Element, url: str, article: dict | None, objects: list, tags: dict[str, str]
) -> tuple[str | None, str | None]:
    """The byline's name and link: markup, then JSON-LD, then meta tags, then author links and bio boxes."""
    found = first(root, sel.BYLINE[:4])
    if found is not None:
        name = _author_from_link_text(text_of(found))
        if name:
            return name, _link_of(found, url)
    if article and article.get("author"):
        name = _json_ld_name(article["author"], objects)
        if name:
            value = article["author"]
            link = value.get("url") if isinstance(value, dict) else None
            return name, link if isinstance(link, str) and link.startswith("http") else None
    for key in ("author", "article:author", "parsely-author", "sailthru.author"):
        value = tags.get(key, "")
        if value and not value.startswith("http"):
            return clean(value), None
    found = first(root, sel.BYLINE[4:])
    if found is not None:
        name = _author_from_link_text(text_of(found))
        if name:
            return name, _link_of(found, url)
    return None, None


def terms(scope: etree._Element) -> tuple[list[str], list[str]]:
    """Category and tag names linked from the article, told apart by rel, URL path and container."""
    categories: list[str] = []
    tag_names: list[str] = []
    for link in sel.TERM_LINKS(scope):
        name = clean(text_of(link))
        if not name:
            continue
        rel = (link.get("rel") or "").split()
        path = urlsplit(link.get("href") or "").path
        is_category = (
            "category" in rel
            or "/category/" in path
            or "/categories/" in path
            or bool(sel.CATEGORY_CONTAINER(link))
        )
        target = categories if is_category else tag_names
        if name not in target:
            target.append(name)
    return categories, tag_names


def _scope(root: etree._Element) -> etree._Element:
    """The main article element when the page has exactly one, else the whole page."""
    articles = root.xpath("//article[not(ancestor::article)]")
    return articles[0] if len(articles) == 1 else root


def page_type(root: etree._Element, article: dict | None, objects: list, tags: dict[str, str]) -> str:
    """A coarse type: article, page, listing, or unknown, from body classes, JSON-LD and og:type."""
    body_class = " ".join(sel.BODY_CLASS(root)).split()
    if any(c in body_class for c in ("single-post", "single-format-standard", "single")):
        return "article"
    if any(
        c in body_class for c in ("home", "blog", "archive", "category", "tag", "author", "date", "search")
    ):
        return "listing"
    if "page" in body_class or "page-template-default" in body_class:
        return "page"
    if "error404" in body_class:
        return "error"
    if article:
        return "article"
    kinds = set().union(*(_types(o) for o in objects)) if objects else set()
    if kinds & {"collectionpage", "blog", "searchresultspage", "profilepage"}:
        return "listing"
    if "webpage" in kinds or "aboutpage" in kinds:
        return "page" if tags.get("og:type") != "article" else "article"
    og_type = tags.get("og:type", "")
    if og_type == "article":
        return "article"
    return "unknown"


def extract_metadata(root: etree._Element, url: str) -> Metadata:
    """Title, author, dates, terms and type of the page at ``url``."""
    objects = json_ld_objects(root)
    article = json_ld_article(objects)
    tags = meta_tags(root)
    canonical = canonical_url(root, url, tags)

    title_el = first(root, sel.TITLE[:5])
    title = clean(text_of(title_el)) if title_el is not None else ""
    if not title and article and article.get("headline"):
        title = clean(str(article["headline"]))
    if not title:
        title = tags.get("og:title") or ""
    if not title:
        head_title = root.xpath("//title/text()")
        title = clean(head_title[0]) if head_title else ""

    published = first(root, sel.PUBLISHED[:4])
    if published is None and article:
        published = article.get("datePublished")
    if published is None:
        published = tags.get("article:published_time") or first(root, sel.PUBLISHED[4:])
    modified = first(root, sel.MODIFIED)
    if modified is None and article:
        modified = article.get("dateModified")
    modified = modified or tags.get("article:modified_time") or tags.get("og:updated_time")

    categories, tag_names = terms(_scope(root))
    if not categories and tags.get("article:section"):
        categories = [clean(tags["article:section"])]
    tag_names = tag_names or meta_list(root, "article:tag")
    if not tag_names and article and article.get("keywords"):
        keywords = article["keywords"]
        tag_names = [clean(k) for k in (keywords if isinstance(keywords, list) else str(keywords).split(","))]

    author_name, author_link = author(root, url, article, objects, tags)
    generator = tags.get("generator")
    lang = sel.LANG(root)
    return Metadata(
        url=url,
        canonical_url=canonical,
        site=urlsplit(canonical).netloc.lower(),
        title=title or None,
        author=author_name,
        author_url=author_link,
        published=iso_datetime(str(published)) if published else None,
        modified=iso_datetime(str(modified)) if modified else None,
        categories=categories,
        tags=[t for t in tag_names if t],
        description=tags.get("og:description") or tags.get("description"),
        page_type=page_type(root, article, objects, tags),
        generator=generator,
        language=lang[0] if lang else None,
    )

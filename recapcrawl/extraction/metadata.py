"""Recap metadata from the platform's markup, JSON-LD and microdata, OpenGraph/meta tags and generic markup.

Per field, the first source that has it wins: the page's platform profile (precise where it
matched), then structured data (``Article``/``BlogPosting``/``NewsArticle``/``Review``), then
``og:*``/``article:*`` meta tags, then the generic profile's markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from dateutil import parser as date_parser
from lxml import etree

from ..models import Metadata
from . import bylines
from . import selectors as sel
from .dom import Page, safe_join, text_of
from .profiles import GENERIC, Profile, paths
from .structured import LISTING_TYPES, PAGE_TYPES, find_article, text_list, types_of
from .text import clean

# What static site generators put in article:section: the content folder, not a category.
_SECTION_NOT_CATEGORY = {"post", "posts", "blog", "article", "articles", "page", "pages"}
# Zone abbreviations written in dates ("Nov 19, 2019 5:02 PM EST"), as UTC offsets in seconds.
_TZ_NAMES = {
    name: hours * 3600
    for name, hours in {
        "UTC": 0, "GMT": 0, "BST": 1, "CET": 1, "CEST": 2, "EST": -5, "EDT": -4,
        "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    }.items()
}  # fmt: skip
# "GMT+2" on a web page means two hours ahead of GMT; dateutil reads it the POSIX way (two hours behind), so
# such an offset is written out as "+02:00" before parsing.
_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\b")
# A numeric date with dots ("3.2.2020") is day first wherever it is written (German, Russian, Polish…; US
# dates use slashes); dateutil reads month first unless told.
_DOTTED_DATE = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b")
_COMMENT_PAGE_PATH = re.compile(r"/comment-page-\d+/?$")
_AUTHOR_LINK_TEXT = [
    re.compile(r"^view all (?:posts )?(?:of|by) (.+?)(?:['’]s)? posts\.?$", re.I),
    re.compile(r"^(?:all )?posts by (.+)$", re.I),
    re.compile(r"^(?:written |posted )?by:? (.+)$", re.I),
]


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
        text = _GMT_OFFSET.sub(lambda m: f" {m[1]}{int(m[2]):02d}:{m[3] or '00'}", text)
        try:
            when = date_parser.parse(
                text,
                default=_default_date(),
                fuzzy=True,
                tzinfos=_zone,
                dayfirst=bool(_DOTTED_DATE.search(text)),
            )
        except (ValueError, OverflowError, TypeError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=default_tz)
    return when.isoformat()


def _default_date() -> datetime:
    """What dateutil fills a date's missing parts from: the first of January, midnight, of this year (its own
    default is today, so "July 2026" came out as the 7th on the 7th of a month and the 8th the next day)."""
    return datetime(datetime.now(UTC).year, 1, 1)


# A page's date without a time (the theme prints "March 4, 2024") is stored as that day's midnight, UTC.
_DATE_ONLY = "T00:00:00+00:00"


def published_from_listing(page: str | None, listed: str | None) -> str | None:
    """The post's publication time: the page's, unless the page gives none or only a day and a feed that
    lists the post (``listed``, an ISO 8601 instant) gives the time of that same day.

    The day is the site's local one, so the feed's instant may fall 14 hours before it to 36 hours
    after its midnight (UTC-12 to UTC+14)."""
    if not listed:
        return page
    if page is None:
        return listed
    if not page.endswith(_DATE_ONLY):
        return page
    try:
        day, when = datetime.fromisoformat(page), datetime.fromisoformat(listed)
    except ValueError:
        return page
    if when.tzinfo is None or not timedelta(hours=-14) <= when - day < timedelta(hours=36):
        return page
    return listed


def _zone(name: str | None, offset: int | None) -> int | None:
    """dateutil's zone lookup: the offset of a zone name we know, the numeric offset the date gave, or None
    (an ambiguous name such as "IST": the date is taken as naive, without dateutil's warning)."""
    return _TZ_NAMES.get(name, offset) if name else offset


def timezone_of(value: str | None) -> tzinfo:
    """The UTC offset of an ISO 8601 datetime (a post's), for dates on the same page that lack one."""
    try:
        when = datetime.fromisoformat(value) if value else None
    except ValueError:
        when = None
    return when.tzinfo if when is not None and when.tzinfo is not None else UTC


def first(root: etree._Element, xpaths: Sequence[etree.XPath]) -> Any:
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
    try:
        absolute = urljoin(url, candidate)
        if urlsplit(absolute).scheme not in ("http", "https") or not urlsplit(absolute).netloc:
            absolute = url
        elif urlsplit(absolute).netloc.lower() != urlsplit(url).netloc.lower():
            absolute = url  # a page cannot claim to be another site's page
        return strip_comment_page(absolute)
    except ValueError:  # a malformed canonical (e.g. an unbalanced "[" in the host): use the page's URL
        return strip_comment_page(url)


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
    absolute = safe_join(url, links[0])
    try:
        return without_tracking(absolute) if urlsplit(absolute).scheme in ("http", "https") else None
    except ValueError:
        return None


_TRACKING = re.compile(r"^(?:utm_[a-z]+|source|ref|ref_src|fbclid|gclid)=", re.I)


def without_tracking(url: str) -> str:
    """A URL without tracking parameters (``utm_*``, Medium's ``source``, ``ref``) and fragment."""
    parts = urlsplit(url)
    query = "&".join(p for p in parts.query.split("&") if p and not _TRACKING.match(p))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _own(profile: Profile, field: str) -> tuple[etree.XPath, ...]:
    """A profile's own paths for a field (none for the generic profile, whose paths come last)."""
    return () if profile is GENERIC else paths(profile, field)[: len(getattr(profile, field))]


def _meta_values(root: etree._Element) -> dict[str, list[str]]:
    """Every ``<meta>`` content by lower-cased property or name, in document order."""
    values: dict[str, list[str]] = {}
    for meta in sel.META(root):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key and meta.get("content"):
            values.setdefault(key, []).append(meta.get("content", "").strip())
    return values


def author(
    root: etree._Element,
    url: str,
    profile: Profile,
    article: dict | None,
    objects: list,
    tags: dict[str, str],
    title: str | None = None,
    listing: bool = False,
) -> tuple[str | None, str | None]:
    """The byline's name(s) and link: visible markup (the platform's, then generic bylines next to the
    title), structured data, meta tags, in that order of trust; see ``bylines``. A ``listing`` page's
    visible bylines are its teasers' (not looked for)."""
    found = None if listing else first(root, _own(profile, "byline"))
    own = []
    if found is not None:
        name = bylines.clean_byline(_author_from_link_text(bylines.visible_text(found)))
        if name:
            own = [(found, name)]
    shown = (
        []
        if listing
        else bylines.visible_byline(root, root.root if isinstance(root, Page) else root, own, title)
    )
    people = bylines.structured_authors(objects, article)
    meta_names = bylines.meta_authors(_meta_values(root))
    sites = bylines.site_names(url, tags, objects) + [n for n, _, org in people if org]
    sources = [
        ([n for _, n in shown], _link_of(shown[0][0], url) if shown else None, "markup"),
        ([n for n, _, _ in people], next((u for _, u, org in people if u and not org), None), "structured"),
        (meta_names, None, "meta"),
    ]
    return bylines.choose(sources, sites)


def _inside(element: etree._Element, scope: etree._Element) -> bool:
    return scope is None or any(a is scope for a in element.iterancestors())


def terms(
    root: etree._Element, profile: Profile, scope: etree._Element | None
) -> tuple[list[str], list[str]]:
    """Category and tag names linked from the article: the platform's term links, else generic ones.

    A link is a category when a category path finds it (rel="category", a categories box) or its
    URL has ``/category/``; every other term link is a tag.
    """
    category_links = {a for path in paths(profile, "category_terms") for a in path(root)}
    categories: list[str] = []
    tag_names: list[str] = []
    own = (*_own(profile, "category_terms"), *_own(profile, "terms"))
    generic = (*paths(GENERIC, "category_terms"), *paths(GENERIC, "terms"))
    for group, within in ((own, None), (generic, scope)):  # the platform's own term links are precise
        for path in group:
            for link in path(root):
                if not isinstance(link, etree._Element) or not _inside(link, within):
                    continue
                name = clean(text_of(link)).lstrip("#")
                if not name or len(name) > 80 or name in categories or name in tag_names:
                    continue
                is_category = link in category_links or "/category/" in (link.get("href") or "")
                (categories if is_category else tag_names).append(name)
        if categories or tag_names:
            break
    return categories, tag_names


def _scope(root: etree._Element) -> etree._Element | None:
    """The main article element when the page has exactly one, else None (the whole page)."""
    articles = sel.TOP_ARTICLES(root)
    return articles[0] if len(articles) == 1 else None


# Body classes of a listing (WordPress's and its themes': the home page, archives, search results).
_LISTING_CLASSES = frozenset(("home", "blog", "archive", "category", "tag", "author", "date", "search"))
_ARTICLE_CLASSES = frozenset(("single-post", "single-format-standard", "single"))


def _body_class_type(body_class: list[str]) -> str | None:
    """What the body classes alone say a page is: article, listing, page, error, or None."""
    if _ARTICLE_CLASSES.intersection(body_class):
        return "article"
    if _LISTING_CLASSES.intersection(body_class):
        return "listing"
    if "page" in body_class or "page-template-default" in body_class:
        return "page"
    if "error404" in body_class:
        return "error"
    return None


def _body_classes(root: etree._Element) -> list[str]:
    return " ".join(sel.BODY_CLASS(root)).split()


def page_type(root: etree._Element, article: dict | None, objects: list, tags: dict[str, str]) -> str:
    """A coarse type: article, page, listing, or unknown, from body classes, JSON-LD and og:type."""
    by_class = _body_class_type(_body_classes(root))
    if by_class:
        return by_class
    if article:
        return "article"
    kinds = set().union(*(types_of(o) for o in objects)) if objects else set()
    if kinds & LISTING_TYPES:
        return "listing"
    if kinds & PAGE_TYPES:
        return "page" if tags.get("og:type") != "article" else "article"
    og_type = tags.get("og:type", "")
    if og_type == "article":
        return "article"
    return "unknown"


def _strip_site_name(title: str, site_name: str | None) -> str:
    """``Title | Site`` or ``Site: Title`` without the site's name."""
    if not site_name:
        return title
    for pattern in (
        rf"\s+[|\-–—:·]\s+{re.escape(site_name)}\s*$",
        rf"^{re.escape(site_name)}\s*[|\-–—:·]\s+",
    ):
        stripped = re.sub(pattern, "", title, flags=re.I)
        if stripped != title and stripped.strip():
            return stripped.strip()
    return title


def _title(root: etree._Element, profile: Profile, article: dict | None, tags: dict[str, str]) -> str:
    found = first(root, _own(profile, "title"))
    if found is not None and clean(text_of(found)):
        return clean(text_of(found))
    for value in (article or {}).get("headline"), (article or {}).get("name"):
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and clean(value):
            return clean(value)
    site_name = tags.get("og:site_name")
    if tags.get("og:title"):
        return _strip_site_name(clean(tags["og:title"]), site_name)
    found = first(root, paths(GENERIC, "title"))
    if found is not None and clean(text_of(found)):
        return clean(text_of(found))
    head_title = sel.HEAD_TITLE(root)
    if not head_title:
        return ""
    title = _strip_site_name(clean(head_title[0]), site_name)
    return _heading_before_site_name(root.root if isinstance(root, Page) else root, title) or title


_SITE_NAME_SEPARATOR = re.compile(r"^\s+[|\-–—:·»]\s+\S")


def _heading_before_site_name(root: etree._Element, title: str) -> str | None:
    """The page's h1 when ``title`` (the ``<title>``) is that heading, a separator and a shorter tail (the
    site's name, unknown here): ``Show 2x04 Recap – Lamp & Ledger`` under ``<h1>Show 2x04 Recap</h1>``; not
    the site's own h1 before a longer article title (``Site » Blog Archive » A Post's Title``)."""
    for heading in root.iter("h1"):
        text = clean(text_of(heading))
        rest = title[len(text) :]
        if (
            len(text) >= 8
            and title.startswith(text)
            and _SITE_NAME_SEPARATOR.match(rest)
            and len(rest) < min(len(text), _SITE_NAME_CHARS)
        ):
            return text
    return None


_SITE_NAME_CHARS = 50  # a site's name after a separator is shorter than this


def _date_candidates(root: etree._Element, profile: Profile, field: str, values: list[Any]) -> Iterator[Any]:
    """The profile's markup date, ``values``, the generic markup date: each looked for only when needed."""
    yield first(root, _own(profile, field))
    yield from values
    yield first(root, paths(GENERIC, field))


def _date(root: etree._Element, profile: Profile, field: str, values: list[Any]) -> str | None:
    """A date from the profile's markup, else the first of ``values`` (structured data, meta), else markup.

    A date without a time gives way to a later source that has the time of the same day.
    """
    found: str | None = None
    for value in _date_candidates(root, profile, field, values):
        if isinstance(value, list):
            value = value[0] if value else None
        value = clean(str(value)) if value else ""
        if not value:
            continue
        if found is None:
            found = value
            if "T" not in found and ":" not in found:
                continue  # date only: look for the same day with a time
            return found
        if value.startswith(found) and len(value) > len(found):
            return value
    return found


def extract_metadata(
    root: etree._Element, url: str, profile: Profile = GENERIC, objects: list[dict] | None = None
) -> Metadata:
    """Title, author, dates, terms and type of the page at ``url``; ``objects`` are its JSON-LD/microdata."""
    objects = objects or []
    article = find_article(objects)
    tags = meta_tags(root)
    canonical = canonical_url(root, url, tags)
    published = _date(
        root,
        profile,
        "published",
        [
            (article or {}).get("datePublished"),
            tags.get("article:published_time"),
            (article or {}).get("dateCreated"),
        ],
    )
    modified = _date(
        root,
        profile,
        "modified",
        [(article or {}).get("dateModified"), tags.get("article:modified_time"), tags.get("og:updated_time")],
    )
    categories, tag_names = terms(root, profile, _scope(root))
    if not categories:
        sections = text_list(tags.get("article:section")) or text_list((article or {}).get("articleSection"))
        categories = [s for s in sections if s.casefold() not in _SECTION_NOT_CATEGORY]
    # article:tag lists every tag where the markup may show only some (Ghost shows the primary one).
    tag_names = list(dict.fromkeys(tag_names + meta_list(root, "article:tag")))
    tag_names = tag_names or text_list((article or {}).get("keywords"))
    title = _title(root, profile, article, tags) or None
    kind = page_type(root, article, objects, tags)
    # WordPress core writes the body classes, so there they say a page is a listing (a static theme's may
    # not, nor structured data that calls an article page a Blog).
    listing = profile.name.startswith("wordpress") and _body_class_type(_body_classes(root)) == "listing"
    author_name, author_link = author(root, url, profile, article, objects, tags, title, listing)
    lang = sel.LANG(root)
    return Metadata(
        url=url,
        canonical_url=canonical,
        site=urlsplit(canonical).netloc.lower(),
        title=title,
        author=author_name,
        author_url=author_link,
        published=iso_datetime(published) if published else None,
        modified=iso_datetime(modified) if modified else None,
        categories=categories,
        tags=[t for t in tag_names if t],
        description=tags.get("og:description") or tags.get("description"),
        page_type=kind,
        generator=tags.get("generator"),
        language=lang[0] if lang else None,
    )

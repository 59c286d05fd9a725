"""Structured data on a page: schema.org JSON-LD and microdata, read with extruct.

Both come out as JSON-LD-shaped dicts (``@type``, properties), ``@graph`` lists flattened and
nested objects kept, so the rest of the extractor reads one shape. Episode facts come from a
``TVEpisode`` (with ``episodeNumber``, ``partOfSeason``, ``partOfSeries``), on its own or as the
``itemReviewed``/``about`` of a ``Review`` or article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from extruct.jsonld import JsonLdExtractor
from extruct.w3cmicrodata import MicrodataExtractor
from lxml import etree

from ..models import Episode
from . import selectors as sel
from .dom import Page
from .text import clean

ARTICLE_TYPES = {
    "article",
    "blogposting",
    "newsarticle",
    "review",
    "criticreview",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "socialmediaposting",
    "liveblogposting",
}
TV_TYPES = {"tvepisode", "episode", "tvseason", "tvseries", "creativeworkseason", "creativeworkseries"}
# Types that make a page a listing or a static page when nothing says it is an article (``page_type``).
LISTING_TYPES = {"collectionpage", "blog", "searchresultspage", "profilepage", "itemlist"}
PAGE_TYPES = {"webpage", "aboutpage"}
# Every type the extractor reads an object of; an object of other types is read only through its ``@id``.
READ_TYPES = ARTICLE_TYPES | TV_TYPES | LISTING_TYPES | PAGE_TYPES | {"comment"}
_JSON_LD = JsonLdExtractor()


class _Microdata(MicrodataExtractor):
    """extruct's microdata extractor, except that an ``articleBody`` property's value is left empty: it is
    the article's whole text, the costliest value to make, and nothing reads it (the body is found in
    the page itself)."""

    def _extract_property_value(self, node, items_seen, base_url, itemids, force=False):
        if not force and node.get("itemprop") == "articleBody" and node.get("itemscope") is None:
            return ""
        return super()._extract_property_value(node, items_seen, base_url, itemids, force)


_MICRODATA = _Microdata()


def _flatten(node: Any, found: list[dict[str, Any]]) -> None:
    if isinstance(node, list):
        for item in node:
            _flatten(item, found)
    elif isinstance(node, dict):
        found.append(node)
        if "@graph" in node:
            _flatten(node["@graph"], found)


def json_ld_objects(root: Page | etree._Element) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, ``@graph`` lists flattened; unreadable scripts are skipped."""
    found: list[dict[str, Any]] = []
    for script in sel.JSON_LD(root):
        try:
            items = list(_JSON_LD._extract_items(script))
        except (ValueError, TypeError, RecursionError):
            continue
        _flatten(items, found)
    return found


def _from_microdata(item: Any) -> Any:
    """extruct's microdata item (``type``/``properties``) in JSON-LD shape."""
    if isinstance(item, list):
        return [_from_microdata(i) for i in item]
    if not isinstance(item, dict) or "properties" not in item and "type" not in item:
        return item
    types = item.get("type") or []
    types = types if isinstance(types, list) else [types]
    converted: dict[str, Any] = {"@type": [t.rstrip("/").rsplit("/", 1)[-1] for t in types]}
    if item.get("id"):
        converted["@id"] = item["id"]
    for key, value in (item.get("properties") or {}).items():
        converted[key] = _from_microdata(value)
    if "value" in item and not item.get("properties"):
        converted["name"] = item["value"]
    return converted


def microdata_objects(root: Page | etree._Element, url: str | None = None) -> list[dict[str, Any]]:
    """The page's top-level schema.org microdata items in JSON-LD shape, when one is about an article,
    a TV show or a comment (else none); items nothing reads are left out (``_unread``). An element
    stands for its whole document."""
    page = root if isinstance(root, Page) else Page(root)
    if not _has_wanted_items(page):
        return []
    try:
        items = _extract_items(page.with_itemscope(), url)
    except (ValueError, TypeError, KeyError, RecursionError):
        return []
    found: list[dict[str, Any]] = []
    _flatten([_from_microdata(item) for item in items], found)
    return found


def _has_wanted_items(page: Page) -> bool:
    """Whether ``sel.MICRODATA_ITEMS`` finds anything, answered from the page's list of items: an item
    whose ``itemtype`` contains one of ``sel.MICRODATA_TYPES``."""
    return any(
        name in (item.get("itemtype") or "") for item in page.with_itemscope() for name in sel.MICRODATA_TYPES
    )


def _extract_items(items: list[etree._Element], url: str | None) -> list[dict[str, Any]]:
    """extruct's ``extract_items`` over ``items`` (every ``itemscope`` element, in document order), without
    walking the items ``_unread`` names; each is still marked as seen, as extruct would mark it."""
    itemids = {node: index + 1 for index, node in enumerate(items)}
    seen: set[int] = set()
    found = []
    for index, node in enumerate(items):
        if _unread(node, items[index + 1] if index + 1 < len(items) else None):
            seen.add(itemids[node])
            continue
        item = _MICRODATA._extract_item(node, items_seen=seen, base_url=url, itemids=itemids)
        if item:
            found.append(item)
    return found


def _unread(node: etree._Element, next_item: etree._Element | None) -> bool:
    """Whether nothing would read the item ``node`` gives: none of its types is read, it has no ``itemid``
    (an ``@id`` that others may name) and no ``itemref``, and no item is inside it (``next_item``, the
    next in document order, would be the first), so its values are all text and mark no other item."""
    types = {t.rstrip("/").rsplit("/", 1)[-1].lower() for t in (node.get("itemtype") or "").split()}
    return (
        types.isdisjoint(READ_TYPES)
        and not node.get("itemid")
        and node.get("itemref") is None
        and (next_item is None or not any(a is node for a in next_item.iterancestors()))
    )


def types_of(obj: Any) -> set[str]:
    if not isinstance(obj, dict):
        return set()
    value = obj.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1].lower() for v in values}


def find_article(objects: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first article-like object (Article, BlogPosting, NewsArticle, Review, …)."""
    return next((o for o in objects if types_of(o) & ARTICLE_TYPES), None)


def name_of(value: Any, objects: Sequence[dict[str, Any]] = ()) -> str | None:
    """A name from a person/thing value: a string, ``{"name": …}``, a list, or an ``@id`` reference."""
    if isinstance(value, list):
        names = [n for n in (name_of(v, objects) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) if names else None
    if isinstance(value, str):
        return None if value.startswith(("http://", "https://")) else (clean(value) or None)
    if isinstance(value, dict):
        if value.get("name"):
            return name_of(value["name"], objects)
        ref = value.get("@id")
        for obj in objects:
            if ref and obj.get("@id") == ref and obj.get("name"):
                return name_of(obj["name"], objects)
    return None


def url_of(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    link = value.get("url") if isinstance(value, dict) else None
    if isinstance(link, list):
        link = link[0] if link else None
    return link if isinstance(link, str) and link.startswith(("http://", "https://")) else None


def text_list(value: Any) -> list[str]:
    """Keywords or sections: a list, or a comma-separated string."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    return [t for t in (clean(str(i)) for i in items if not isinstance(i, dict)) if t]


def _number(value: Any) -> int | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    match = re.search(r"\d{1,3}", str(value or ""))
    return int(match.group(0)) if match else None


def _resolve(value: Any, objects: list[dict[str, Any]]) -> Any:
    """An ``{"@id": …}`` reference replaced by the object it names, when the page has it."""
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id"):
        return next((o for o in objects if o.get("@id") == value["@id"] and len(o) > 2), value)
    return value


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def _tv_things(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """TV objects a review or article is about, else every TV object on the page."""
    reviewed: list[dict[str, Any]] = []
    for obj in objects:
        if types_of(obj) & ARTICLE_TYPES:
            for key in ("itemReviewed", "about", "mainEntity"):
                reviewed += [_resolve(v, objects) for v in _as_list(obj.get(key))]
    reviewed = [r for r in reviewed if types_of(r) & TV_TYPES]
    return reviewed or [o for o in objects if types_of(o) & TV_TYPES]


def episode_of(objects: list[dict[str, Any]]) -> Episode | None:
    """Show, season, episode number(s) and title(s) stated in structured data, or None."""
    things = _tv_things(objects)
    if not things:
        return None
    show = season = None
    numbers: list[int] = []
    titles: list[str] = []
    for thing in things:
        kinds = types_of(thing)
        series = _resolve(thing.get("partOfSeries"), objects)
        season_obj = _resolve(thing.get("partOfSeason"), objects)
        if kinds & {"tvseries", "creativeworkseries"}:
            show = show or name_of(thing.get("name"))
        if kinds & {"tvseason", "creativeworkseason"}:
            season = season or _number(thing.get("seasonNumber"))
            series = series or _resolve(thing.get("partOfSeries"), objects)
        if isinstance(season_obj, dict):
            season = season or _number(season_obj.get("seasonNumber"))
            series = series or _resolve(season_obj.get("partOfSeries"), objects)
        if isinstance(series, dict):
            show = show or name_of(series.get("name"))
        if kinds & {"tvepisode", "episode"}:
            number = _number(thing.get("episodeNumber"))
            if number is not None and number not in numbers:
                numbers.append(number)
                name = name_of(thing.get("name"))
                if name and not re.fullmatch(r"(?i)episode\s*\d+", name):
                    titles.append(name)
    if not (show or season or numbers):
        return None
    return Episode(
        show=show,
        season=season,
        episodes=tuple(numbers),
        titles=tuple(titles) if len(titles) == len(numbers) else (),
    )

"""Reader comments: threaded, with author, date and text, and the links to other comment pages.

Comment items and their fields are found with the page's platform profile, then generically:
elements with an id like ``comment-123`` (``li-comment-``, ``div-comment-``, Blogger's ``c123``)
inside a comments area, nested reply lists giving the thread; then schema.org ``Comment`` in
microdata, then in JSON-LD. Comments that a script loads from a third party (Disqus, Facebook,
OpenWeb, …) are not in the HTML: ``comment_pages`` names the provider in ``hosted_by``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, tzinfo
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from ..models import Comment, CommentPage
from . import selectors as sel
from .dom import Page, safe_join, tag_of
from .metadata import iso_datetime, strip_comment_page
from .profiles import GENERIC, Profile, paths
from .structured import name_of, types_of, url_of
from .text import clean, clean_lines, normalized

_COMMENT_ID = re.compile(r"^(?:(?:li|div|article)-)?comment[-_]?(\d+)$|^c(\d+)$")
_DIGITS = re.compile(r"(\d+)\D*$")
_NOT_TEXT = {"script", "style", "noscript", "form", "button", "svg", "img"}
_NOT_TEXT_CLASSES = {
    "reply",
    "comment-reply-link",
    "comment-edit-link",
    "comment-awaiting-moderation",
    "comment-meta",
    "comment-metadata",
    "comment-author",
    "says",
}
_BLOCK = {"p", "div", "blockquote", "ul", "ol", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "section"}
_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
_PAGE_NUMBER = re.compile(r"/comment-page-(\d+)/?$")
_COMMENT_COUNT = re.compile(r"(\d[\d,.]*)\s+(?:comments?|responses?|replies|thoughts?)", re.I)


def comment_id(element: etree._Element) -> str | None:
    """The site's id for a comment element (``comment-30`` → ``30``, Blogger ``c4478`` → ``4478``)."""
    match = _COMMENT_ID.match(element.get("id") or "")
    if match:
        return match.group(1) or match.group(2)
    for attribute in ("data-comment-id", "data-commentid", "itemid"):
        found = _DIGITS.search(element.get(attribute) or "")
        if found:
            return found.group(1)
    return None


def _usable(element: etree._Element) -> bool:
    return tag_of(element) not in ("a", "span", "time", "") and not element.xpath("ancestor::form")


def _comment_items(root: etree._Element, profile: Profile) -> list[etree._Element]:
    """Comment elements: the first item path that finds any, outer elements kept when two share an id."""
    for path in paths(profile, "comment_items"):
        items = [e for e in path(root) if _usable(e) and comment_id(e) is not None]
        if items:
            break
    else:
        items = [e for e in sel.MICRODATA_COMMENTS(root) if _usable(e)]
    kept, seen = [], set()
    for element in items:
        key = comment_id(element)
        if key is not None and key in seen:
            continue  # Astra's article#comment-5 inside li#li-comment-5
        if key is not None:
            seen.add(key)
        kept.append(element)
    return kept


def comment_texts(root: Page | etree._Element, profile: Profile = GENERIC) -> set[str]:
    """The normalized text of every paragraph inside the page's comments (to keep them out of a body)."""
    return {
        normalized("".join(p.itertext()))
        for item in _comment_items(root, profile)
        for p in item.iter("p", "li", "blockquote")
    }


def _own(element: etree._Element, items: set) -> Callable[[tuple], list]:
    """A finder for descendants that belong to this comment, not to its replies."""

    def belongs(node: etree._Element) -> bool:
        parent = node.getparent()
        while parent is not None and parent is not element:
            if parent in items:
                return False
            parent = parent.getparent()
        return True

    def find(xpaths: tuple) -> list:
        for path in xpaths:
            found = [
                n for n in path(element) if belongs(n if isinstance(n, etree._Element) else n.getparent())
            ]
            if found:
                return found
        return []

    return find


def block_text(element: etree._Element) -> str:
    """Text with paragraph breaks as blank lines and ``<br>`` as a newline; other white space collapsed."""
    parts: list[str] = []

    def add(text: str | None) -> None:
        if text:
            parts.append(_WHITESPACE.sub(" ", text))

    def walk(node: etree._Element) -> None:
        tag = tag_of(node)
        if tag in _NOT_TEXT or (tag and set((node.get("class") or "").split()) & _NOT_TEXT_CLASSES):
            if node is not element:
                add(node.tail)
            return
        if tag == "br":
            parts.append("\n")
        elif tag in _BLOCK:
            parts.append("\n\n")
        if tag:
            add(node.text)
        for child in node:
            walk(child)
        if tag in _BLOCK:
            parts.append("\n\n")
        if node is not element:
            add(node.tail)

    walk(element)
    text = clean_lines("".join(parts))
    return re.sub(r"\n{3,}", "\n\n", text)


def _author(find, profile: Profile) -> tuple[str | None, str | None]:
    found = find(paths(profile, "comment_author"))
    if not found:
        return None, None
    element = found[0]
    name = clean(" ".join(element.itertext()))
    name = re.sub(r"\s*(?:says|said|wrote)\s*:?\s*$", "", name, flags=re.I).strip()
    link = element if tag_of(element) == "a" else (element.xpath(".//a[@href]") or [None])[0]
    href = link.get("href") if link is not None else None
    if href and urlsplit(href).scheme not in ("http", "https"):
        href = None
    return name or None, href


def _published(find, tz: tzinfo, profile: Profile) -> str | None:
    for value in find(paths(profile, "comment_date")):
        when = iso_datetime(str(value), tz)
        if when:
            return when
    for element in find(paths(profile, "comment_date_text")):
        when = iso_datetime(clean(" ".join(element.itertext())), tz)
        if when:
            return when
    return None


def _fallback_id(*parts: str | None) -> str:
    """A stable id for a comment the site gives none: a short hash of its author, date and text."""
    return "h" + hashlib.sha1("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:12]


def extract_comments(
    root: etree._Element,
    page: int | None = None,
    tz: tzinfo = UTC,
    profile: Profile = GENERIC,
    objects: list[dict[str, Any]] | None = None,
) -> list[Comment]:
    """Every comment on one page, in document (thread) order, with parent and depth.

    Dates shown without an offset ("March 6, 2024 at 10:02 AM") are taken in ``tz``, the post's own.
    Where the markup has no comment items, schema.org ``Comment`` objects in ``objects`` are used.
    """
    items = _comment_items(root, profile)
    item_set = set(items)
    comments: list[Comment] = []
    ids: dict[etree._Element, str] = {}
    for element in items:
        ancestors = [a for a in element.iterancestors() if a in item_set]
        find = _own(element, item_set)
        author, author_url = _author(find, profile)
        content = find(paths(profile, "comment_content"))
        text = block_text(content[0]) if content else ""
        if not text:
            continue
        published = _published(find, tz, profile)
        ids[element] = comment_id(element) or _fallback_id(author, published, text)
        classes = (element.get("class") or "").split()
        is_post_author = "bypostauthor" in classes or bool(find(paths(profile, "comment_by_post_author")))
        comments.append(
            Comment(
                id=ids[element],
                text=text,
                parent_id=ids.get(ancestors[0]) if ancestors else None,
                depth=len(ancestors),
                author=author,
                author_url=author_url,
                published=published,
                is_post_author=is_post_author,
                page=page,
            )
        )
    if not comments and objects:
        comments = json_ld_comments(objects, tz, page)
    return comments


def json_ld_comments(
    objects: list[dict[str, Any]], tz: tzinfo = UTC, page: int | None = None
) -> list[Comment]:
    """schema.org ``Comment`` objects in JSON-LD, threaded by nesting (``comment``) or ``parentItem``."""
    comments: list[Comment] = []
    seen: set[int] = set()

    def key_of(obj: dict[str, Any]) -> str:
        for value in (obj.get("@id"), obj.get("identifier"), obj.get("url")):
            if isinstance(value, (str, int)) and _DIGITS.search(str(value)):
                return _DIGITS.search(str(value)).group(1)
        return _fallback_id(name_of(obj.get("author")), str(obj.get("dateCreated")), str(obj.get("text")))

    def walk(obj: Any, parent: str | None, depth: int) -> None:
        if isinstance(obj, list):
            for item in obj:
                walk(item, parent, depth)
            return
        if not isinstance(obj, dict) or id(obj) in seen:
            return
        seen.add(id(obj))
        is_comment = "comment" in types_of(obj)
        own_key = parent
        if is_comment:
            text = clean_lines(str(obj.get("text") or obj.get("commentText") or ""))
            parent_ref = obj.get("parentItem")
            parent_id = parent or (key_of(parent_ref) if isinstance(parent_ref, dict) else None)
            own_key = key_of(obj)
            if text:
                date = obj.get("dateCreated") or obj.get("datePublished")
                comments.append(
                    Comment(
                        id=own_key,
                        text=text,
                        parent_id=parent_id,
                        depth=depth,
                        author=name_of(obj.get("author")),
                        author_url=url_of(obj.get("author")),
                        published=iso_datetime(str(date), tz) if date else None,
                        page=page,
                    )
                )
        for field in ("comment", "hasPart", "@graph", "mainEntity"):
            child = obj.get(field)
            if child is not None:
                walk(child, own_key if is_comment else None, depth + 1 if is_comment else 0)

    walk(objects, None, 0)
    return _fix_depths(comments)


def _fix_depths(comments: list[Comment]) -> list[Comment]:
    """Depths recomputed from parent ids (replies named by ``parentItem`` rather than nesting)."""
    depth: dict[str, int] = {}
    fixed = []
    for comment in comments:
        level = depth.get(comment.parent_id, -1) + 1 if comment.parent_id else 0
        depth[comment.id] = level
        fixed.append(comment if comment.depth == level else replace(comment, depth=level))
    return fixed


def hosted_by(root: etree._Element, profile: Profile, has_comments: bool) -> str | None:
    """The third party whose script shows this page's comments (``disqus``, ``facebook``, …), if any."""
    for provider, path in sel.HOSTED_COMMENTS.items():
        if path(root):
            return provider
    return None if has_comments else profile.comments_by_script


def comment_page_number(url: str) -> int | None:
    """The comment page a URL shows: ``/comment-page-2/`` or ``?cpage=2``; None for the post URL."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if "cpage" in query and query["cpage"][0].isdigit():
        return int(query["cpage"][0])
    match = _PAGE_NUMBER.search(parts.path)
    return int(match.group(1)) if match else None


def is_comment_page_url(url: str) -> bool:
    return comment_page_number(url) is not None


def comment_pages(root: etree._Element, url: str, profile: Profile = GENERIC) -> CommentPage:
    """This page's comment page number, the other comment pages it links to, whether comments are
    open, and who hosts them when a script loads them from elsewhere."""
    post_url = strip_comment_page(url)
    links: list[str] = []
    for href in sel.COMMENT_PAGE_LINKS(root):
        absolute = safe_join(url, href).split("#", 1)[0]
        if not absolute:
            continue
        number = comment_page_number(absolute)
        if number is None or "replytocom=" in absolute:
            continue
        if strip_comment_page(absolute) != post_url:
            continue
        if absolute not in links:
            links.append(absolute)
    number = comment_page_number(url)
    if number is None and links:  # only a paginated thread says which page this is
        current = next(
            (found for path in paths(profile, "comment_page_current") if (found := path(root))), []
        )
        digits = re.findall(r"\d+", " ".join(current))
        number = int(digits[0]) if digits else max(_numbers(links)) + 1
    form = sel.COMMENT_FORM(root)
    closed = sel.COMMENTS_CLOSED(root)
    count_text = " ".join(sel.COMMENTS_TITLE_TEXT(root))
    count = _COMMENT_COUNT.search(count_text)
    has_items = any(path(root) for path in paths(profile, "comment_items")[:2])
    return CommentPage(
        number=number,
        page_urls=links,
        comments_open=True if form else (False if closed else None),
        comment_count=int(re.sub(r"[,.]", "", count.group(1))) if count else None,
        hosted_by=hosted_by(root, profile, has_items),
    )


def _numbers(urls: list[str]) -> list[int]:
    return [n for n in (comment_page_number(u) for u in urls) if n is not None] or [0]


def merge_comments(pages: list[list[Comment]]) -> list[Comment]:
    """Comments from several pages of one thread: oldest page first, duplicates (same id) dropped."""
    ordered = sorted(pages, key=lambda comments: min((c.page or 0 for c in comments), default=0))
    seen: set[str] = set()
    merged: list[Comment] = []
    for comments in ordered:
        for comment in comments:
            if comment.id in seen:
                continue
            seen.add(comment.id)
            merged.append(comment)
    return merged


__all__ = [
    "comment_id",
    "hosted_by",
    "json_ld_comments",
    "comment_page_number",
    "comment_pages",
    "extract_comments",
    "merge_comments",
]

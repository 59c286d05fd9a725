"""Reader comments: threaded, with author, date and text, and the links to other comment pages.

Recognises WordPress classic (``ol.comment-list > li#comment-N``) and block themes
(``.wp-block-comment-template``), Blogger (``li.comment#cN``) and, generically, any element
whose id looks like ``comment-123`` inside a comments area.
"""

from __future__ import annotations

import re
from datetime import UTC, tzinfo
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml import etree

from ..models import Comment, CommentPage
from . import selectors as sel
from .dom import tag_of
from .metadata import iso_datetime, strip_comment_page
from .text import clean, clean_lines

_COMMENT_ID = re.compile(r"^(?:comment-|c|div-comment-|li-comment-)(\d+)$")
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
    return match.group(1) if match else None


def _comment_items(root: etree._Element) -> list[etree._Element]:
    items = []
    for element in sel.COMMENT_ITEMS(root):
        if comment_id(element) is None:
            continue
        if element.xpath("ancestor::form") or tag_of(element) in ("a", "span", "time"):
            continue
        items.append(element)
    return items


def _own(element: etree._Element, items: set) -> callable:
    """A finder for descendants that belong to this comment, not to its replies."""

    def belongs(node: etree._Element) -> bool:
        parent = node.getparent()
        while parent is not None and parent is not element:
            if parent in items:
                return False
            parent = parent.getparent()
        return True

    def find(paths: list[str]) -> list:
        for path in paths:
            found = [
                n
                for n in element.xpath(path)
                if belongs(n if isinstance(n, etree._Element) else n.getparent())
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


def _author(find) -> tuple[str | None, str | None]:
    found = find(sel.COMMENT_AUTHOR)
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


def _published(find, tz: tzinfo) -> str | None:
    for value in find(sel.COMMENT_DATE_ATTR):
        when = iso_datetime(str(value), tz)
        if when:
            return when
    for element in find(sel.COMMENT_DATE_TEXT):
        when = iso_datetime(clean(" ".join(element.itertext())), tz)
        if when:
            return when
    return None


def extract_comments(root: etree._Element, page: int | None = None, tz: tzinfo = UTC) -> list[Comment]:
    """Every comment on one page, in document (thread) order, with parent and depth.

    Dates shown without an offset ("March 6, 2024 at 10:02 AM") are taken in ``tz``, the post's own.
    """
    items = _comment_items(root)
    item_set = set(items)
    comments: list[Comment] = []
    for element in items:
        cid = comment_id(element)
        ancestors = [a for a in element.iterancestors() if a in item_set]
        parent_id = comment_id(ancestors[0]) if ancestors else None
        find = _own(element, item_set)
        author, author_url = _author(find)
        content = find(sel.COMMENT_CONTENT)
        text = block_text(content[0]) if content else ""
        if not text:
            continue
        classes = (element.get("class") or "").split()
        is_post_author = "bypostauthor" in classes or bool(find(sel.COMMENT_BY_POST_AUTHOR))
        comments.append(
            Comment(
                id=cid,
                text=text,
                parent_id=parent_id,
                depth=len(ancestors),
                author=author,
                author_url=author_url,
                published=_published(find, tz),
                is_post_author=is_post_author,
                page=page,
            )
        )
    return comments


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


def comment_pages(root: etree._Element, url: str) -> CommentPage:
    """This page's comment page number, the other comment pages it links to, and whether comments are open."""
    post_url = strip_comment_page(url)
    links: list[str] = []
    for href in root.xpath("//a/@href"):
        absolute = urljoin(url, href.strip()).split("#", 1)[0]
        number = comment_page_number(absolute)
        if number is None or "replytocom=" in absolute:
            continue
        if strip_comment_page(absolute) != post_url:
            continue
        if absolute not in links:
            links.append(absolute)
    number = comment_page_number(url)
    if number is None:
        current = sel.COMMENT_PAGE_CURRENT(root)
        digits = re.findall(r"\d+", " ".join(current))
        number = int(digits[0]) if digits else (None if not links else max(_numbers(links)) + 1)
    form = sel.COMMENT_FORM(root)
    closed = sel.COMMENTS_CLOSED(root)
    count_text = " ".join(sel.COMMENTS_TITLE_TEXT(root))
    count = _COMMENT_COUNT.search(count_text)
    return CommentPage(
        number=number,
        page_urls=links,
        comments_open=True if form else (False if closed else None),
        comment_count=int(re.sub(r"[,.]", "", count.group(1))) if count else None,
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
    "comment_page_number",
    "comment_pages",
    "extract_comments",
    "merge_comments",
]

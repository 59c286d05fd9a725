"""An article split over several pages: WordPress's ``<!--nextpage-->`` (``/slug/2/``), news sites'
``?page=2``.

A page's links to the other pages of its own article are looked for where article pagination lives:
WordPress's ``wp_link_pages`` markup (``.page-links``, ``.post-nav-links``, ``a.post-page-numbers``),
``rel=next``/``rel=prev`` links in the head or inside the article, and links inside the article body.
A link counts only when its URL is the article's URL with a page number added (``/N/``, ``?page=N``):
a blog's listing pagination (``/page/2/``), comment pages (``/comment-page-2/``, ``?cpage=2``) and
other posts never do. ``merge_bodies`` puts the pages' split bodies together, in page order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import etree

from .body import Body
from .dom import Page, safe_join
from .links import normalize_url
from .metadata import strip_comment_page
from .selectors import class_test, xp

PAGE_PARAMETERS = ("page", "pg", "pagenum")  # query parameters that number an article's pages
MAX_PAGES = 500  # a larger number at the end of a path is an id or a year, not a page
# WordPress's wp_link_pages: the core default (<p class="post-nav-links">), themes' .page-links, the links.
_BOX_CLASSES = ("page-links", "post-nav-links", "wp-link-pages")
PAGINATION_LINKS = xp(
    "//*[" + " or ".join(class_test(name) for name in _BOX_CLASSES) + "]//a[@href]"
    f" | //a[{class_test('post-page-numbers')}][@href]"
)
# rel=next/prev links in the head, and inside the article.
REL_LINKS = xp(
    "/html/head/link[@rel][contains(@rel, 'next') or contains(@rel, 'prev')]"
    " | //article//a[@rel][contains(@rel, 'next') or contains(@rel, 'prev')]",
    needles=("next", "prev"),
)
# Twenty Ten and Eleven name wp_link_pages()'s box "page-link", a class news sites also give teaser links;
# its text only counts when it reads like page numbers (``_LOOKS_NUMBERED``).
PAGINATION_BOXES = etree.XPath(
    "descendant-or-self::*[" + " or ".join(class_test(name) for name in _BOX_CLASSES) + "]"
)
_SINGULAR_BOXES = etree.XPath(f"descendant-or-self::*[{class_test('page-link')}]")
# Every class value in a body, to tell in one pass that it has no page-links box (most have none).
_CLASS_VALUES = etree.XPath("descendant-or-self::*/@class", smart_strings=False)
_BOX_WORDS = (*_BOX_CLASSES, "page-link")
_LOOKS_NUMBERED = re.compile(r"^[^\d]{0,20}\d+(?:\W+\d+)*\W*$")
_NUMBERED_PATH = re.compile(r"(.*/)(\d{1,3})/?")
_LISTING_PATH = re.compile(r"/page/?$")
_DIGIT = re.compile(r"\d")


@dataclass
class ArticlePages:
    """Where a page stands in its article's pages."""

    number: int | None = None  # this page's number; None when the article has one page
    first_url: str | None = None  # the article's first page
    links: dict[int, str] = field(default_factory=dict)  # page number → URL, the other pages linked

    @property
    def later(self) -> list[tuple[int, str]]:
        """The pages after this one that it links to, in page order."""
        return sorted((n, u) for n, u in self.links.items() if n > (self.number or 1))


def _key(url: str) -> tuple[str, str, str, tuple]:
    """What two URLs of one page share: host, path without its last slash, the query's pairs."""
    parts = urlsplit(url)
    return (parts.scheme, parts.netloc, parts.path.rstrip("/"), tuple(sorted(parse_qsl(parts.query))))


def split_page_url(url: str) -> tuple[str, int] | None:
    """The article URL and page number a URL names (``/slug/3/`` → ``/slug/``, 3; ``?page=3`` → the URL
    without it, 3), or None. Listing pagination (``/page/3/``) names none."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for index, (name, value) in enumerate(query):
        if name.lower() in PAGE_PARAMETERS and value.isdigit() and 0 < int(value) <= MAX_PAGES:
            rest = urlencode(query[:index] + query[index + 1 :])
            return urlunsplit((parts.scheme, parts.netloc, parts.path, rest, "")), int(value)
    match = _NUMBERED_PATH.fullmatch(parts.path)
    if match and 0 < int(match.group(2)) <= MAX_PAGES and not _LISTING_PATH.search(match.group(1)):
        return urlunsplit((parts.scheme, parts.netloc, match.group(1), parts.query, "")), int(match.group(2))
    return None


def page_number(url: str, first_url: str) -> int | None:
    """Which page of the article at ``first_url`` a URL is (1 for ``first_url`` itself), or None."""
    if _key(url) == _key(first_url):
        return 1
    split = split_page_url(url)
    if split and _key(split[0]) == _key(first_url):
        return split[1]
    return None


def _absolute(elements, url: str) -> list[str]:
    found: dict[str, None] = {}
    for element in elements:
        absolute = normalize_url(safe_join(url, element.get("href")))
        if absolute:
            found.setdefault(absolute)
    return list(found)


def _numbered(candidates: list[str], first_url: str) -> dict[int, str]:
    found: dict[int, str] = {}
    for candidate in candidates:
        number = page_number(candidate, first_url)
        if number is not None:
            found.setdefault(number, candidate)
    return found


def _body_links(body: etree._Element | None) -> list[etree._Element]:
    """The body's links whose target has a digit (a page number): only those can name a later page."""
    if body is None:
        return []
    return [a for a in body.iter("a") if _DIGIT.search(a.get("href") or "")]


def linked_pages(page: Page | etree._Element, url: str, first_url: str, body=None) -> dict[int, str]:
    """The pages of the article at ``first_url`` that a page links to (number → URL), itself left out."""
    page = page if isinstance(page, Page) else Page(page)
    elements = PAGINATION_LINKS(page) + REL_LINKS(page) + _body_links(body)
    found = _numbered(_absolute(elements, url), first_url)
    own = page_number(normalize_url(url) or url, first_url)
    return {n: u for n, u in found.items() if n != own}


def article_pages(page: Page | etree._Element, url: str, body: etree._Element | None = None) -> ArticlePages:
    """This page's place among its article's pages, and the other pages it links to.

    ``body`` is the article body element (its links are candidates too). A page is a later page
    (number 2 or more) when its URL is an article URL with a page number and its page-links box links
    to another page of that article, or a page-links box or ``rel`` link leads to the first page;
    otherwise it is the first page when it links to later pages of its own URL.
    """
    page = page if isinstance(page, Page) else Page(page)
    boxed = _absolute(PAGINATION_LINKS(page), url)
    related = _absolute(REL_LINKS(page), url)
    in_body = _absolute(_body_links(body), url)
    if not (boxed or related or in_body):
        return ArticlePages()
    own = normalize_url(strip_comment_page(url)) or url
    split = split_page_url(own)
    if split:
        first, number = split
        marked = _numbered(boxed + related, first)
        if number > 1 and (any(n != number for n in _numbered(boxed, first)) or 1 in marked):
            siblings = {n: u for n, u in _numbered(boxed + related + in_body, first).items() if n != number}
            siblings.setdefault(1, first)
            return ArticlePages(number=number, first_url=siblings[1], links=siblings)
        if number == 1:
            own = first
    later = {n: u for n, u in _numbered(boxed + related + in_body, own).items() if n > 1}
    if later:
        return ArticlePages(number=1, first_url=own, links=later)
    return ArticlePages()


def pagination_texts(body: etree._Element | None) -> set[str]:
    """The text of each page-links box inside a body ("Pages: 1 2 3"), white space collapsed."""
    if body is None:
        return set()
    classes = "\n".join(_CLASS_VALUES(body))
    if not any(word in classes for word in _BOX_WORDS):
        return set()
    texts = {" ".join(_shown_text(box).split()) for box in PAGINATION_BOXES(body)}
    singular = {" ".join(_shown_text(box).split()) for box in _SINGULAR_BOXES(body)}
    return texts | {text for text in singular if _LOOKS_NUMBERED.match(text)}


def _shown_text(element: etree._Element) -> str:
    """The element's text without its screen-reader-only words (``<span class="screen-reader-text">Page
    </span>2``), as the body's paragraphs read it."""
    pieces = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and "screen-reader-text" not in (child.get("class") or "").split():
            pieces.append(_shown_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


def without_texts(body: Body, texts: set[str]) -> Body:
    """``body`` without the paragraphs (and their blocks) whose whole text is one of ``texts``."""
    if not texts:
        return body
    dropped = [p for p in body.paragraphs if " ".join(p.text.split()) in texts]
    if not dropped:
        return body
    gone = {p.text for p in dropped}
    return replace(
        body,
        paragraphs=[p for p in body.paragraphs if p not in dropped],
        blocks=[b for b in body.blocks if b not in gone],
    )


def merge_bodies(bodies: list[Body]) -> Body:
    """An article's split bodies, page after page, as one. What a later page has before its first
    heading belongs to the section the page before it ended in; its lists are numbered after the
    earlier pages' lists."""
    if len(bodies) == 1:
        return bodies[0]
    merged = Body()
    for body in bodies:
        section = merged.headings[-1].text if merged.headings else None
        lists = max((b.list for b in merged.bullets), default=-1) + 1
        merged.headings += body.headings
        merged.paragraphs += [
            p if p.section is not None else replace(p, section=section) for p in body.paragraphs
        ]
        merged.bullets += [
            replace(b, list=b.list + lists, heading=section if b.heading is None else b.heading)
            for b in body.bullets
        ]
        merged.quotes += [q if q.section is not None else replace(q, section=section) for q in body.quotes]
        merged.blocks += body.blocks
    return merged


__all__ = [
    "ArticlePages",
    "article_pages",
    "linked_pages",
    "merge_bodies",
    "page_number",
    "pagination_texts",
    "split_page_url",
    "without_texts",
]

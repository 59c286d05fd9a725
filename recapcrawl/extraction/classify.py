"""Deciding whether a page is a recap: an article about one or more episodes of a show.

The decision reads the page type (body classes, structured data, og:type), the page structure
(one article or many), the episode identity (``episode.identify_episode``) and the title's
words; it never depends on one site's URLs. Cheap checks run first: the body, which may need
trafilatura, is asked for last.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from ..models import Episode, Metadata
from . import selectors as sel
from .dom import Page

_RECAP_WORDS = re.compile(
    r"\b(?:recap|review|reviewed|recapped|rundown|breakdown|reaction|discussion)\b", re.I
)
_NOT_RECAP_WORDS = re.compile(
    r"\b(?:renew(?:ed|s|al)?|cancel(?:l?ed|s)?|trailers?|teasers?|previews?|first look|announce[sd]?|"
    r"release date|casting|cast(?:s)? as|interview|ranking|ranked|best|worst|every|top \d+|\d+ best|"
    r"power rankings|premiere date|photos|news|podcast)\b",
    re.I,
)


# Paths of archive and listing pages on WordPress, Blogger and most blog engines.
_LISTING_PATH = re.compile(
    r"^/(?:\d{4}/(?:\d{2}/(?:\d{2}/)?)?|(?:category|tag|author|topics?|label|search)(?:/.*)?"
    r"|search/label/.*|page/\d+/?|.*/page/\d+/?|feed/?|.*/feed/?)$"
)


_INDEX_FILE = re.compile(r"(?<=/)index\.(?:html?|php|asp|aspx|jsp)$", re.I)


def is_listing_url(url: str) -> bool:
    """Whether a URL's path is that of an archive or listing (``/2024/01/``, ``/tag/x/``, ``/page/2/``,
    ``/index.html``)."""
    path = _INDEX_FILE.sub("", urlsplit(url).path or "/") or "/"
    return path == "/" or bool(_LISTING_PATH.match(path if path.endswith("/") else path + "/"))


@dataclass(frozen=True)
class Verdict:
    is_recap: bool
    kind: str  # recap | listing | page | article | error
    reason: str | None = None


def article_count(root: Page | etree._Element) -> int:
    """How many separate posts a page shows (more than one means a listing)."""
    return len(sel.POSTS(root)) + len(sel.BLOGGER_POSTS(root))


_POSTING_TYPE = re.compile(r"schema\.org/(?:\w*Article|BlogPosting|\w*Posting|Review)\b")


def posting_items(root: Page | etree._Element) -> int:
    """How many schema.org article items (microdata, not nested in one another) a page marks up."""
    items = root.with_itemscope() if isinstance(root, Page) else root.xpath("//*[@itemscope]")
    postings = [e for e in items if _POSTING_TYPE.search(e.get("itemtype") or "")]
    inside = set(postings)
    return sum(1 for e in postings if not any(a in inside for a in e.iterancestors()))


def _looks_like_listing(root: Page | etree._Element, meta: Metadata) -> bool:
    """A listing by URL, by structure (several posts, several article items), or by the theme's body
    classes; those are a hint only: a page they call a listing that shows one post is an article."""
    if is_listing_url(meta.canonical_url) or posting_items(root) > 1:
        return True
    if meta.page_type == "listing":
        return article_count(root) != 1
    return meta.page_type != "article" and article_count(root) > 1


def has_text(root: etree._Element) -> bool:
    """Whether the page's body has any text at all (stops at the first words)."""
    body = root.find("body")
    return body is not None and any(text.strip() for text in body.itertext())


def classify(
    root: Page | etree._Element,
    meta: Metadata,
    episode: Episode | None,
    body: etree._Element | None | Callable[[], etree._Element | None],
) -> Verdict:
    """Recap or not, and if not, why (recorded on the page row). ``body`` may be a function that finds it."""
    if _looks_like_listing(root, meta):
        return Verdict(False, "listing", "listing page (home, archive, category, tag, author or search)")
    if meta.page_type == "error":
        return Verdict(False, "error", "error page")
    if meta.page_type == "page":
        return Verdict(False, "page", "static page, not a post")
    if not has_text(root.root if isinstance(root, Page) else root):
        return Verdict(False, "article", "no article body found: the page has no text")
    title = meta.title or ""
    names_episode = episode is not None and bool(episode.episodes)
    if _NOT_RECAP_WORDS.search(title) and not (names_episode and _RECAP_WORDS.search(title)):
        return Verdict(False, "article", "news, preview or list article about a show, not an episode recap")
    if not names_episode:
        if episode is not None and episode.season is not None:
            return Verdict(
                False, "article", "about a whole season, not an episode (season review or preview)"
            )
        return Verdict(
            False,
            "article",
            "no episode named in the title, URL, structured data or terms (news, list or other)",
        )
    if episode is None or not episode.show:  # never None here: names_episode
        return Verdict(False, "article", "an episode is named but no show could be found")
    element = body() if callable(body) else body
    if element is None:
        return Verdict(False, "article", "no article body found")
    if not "".join(element.itertext()).strip():
        return Verdict(False, "article", "the article body is empty")
    return Verdict(True, "recap")

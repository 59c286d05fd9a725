"""Deciding whether a page is a recap: an article about one or more episodes of a show."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from ..models import Episode, Metadata

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


def is_listing_url(url: str) -> bool:
    """Whether a URL's path is that of an archive or listing (``/2024/01/``, ``/tag/x/``, ``/page/2/``)."""
    path = urlsplit(url).path or "/"
    return path == "/" or bool(_LISTING_PATH.match(path if path.endswith("/") else path + "/"))


@dataclass(frozen=True)
class Verdict:
    is_recap: bool
    kind: str  # recap | listing | page | article | error
    reason: str | None = None


def article_count(root: etree._Element) -> int:
    """How many separate posts a page shows (more than one means a listing)."""
    articles = root.xpath(
        "//article[not(ancestor::article)][not(ancestor::li)][not(ancestor::*[@id='comments'])]"
        "[not(contains(@class, 'comment'))]"
        " | //*[contains(concat(' ', normalize-space(@class), ' '), ' post-outer ')]"
    )
    return len(articles)


def classify(
    root: etree._Element, meta: Metadata, episode: Episode | None, body: etree._Element | None
) -> Verdict:
    """Recap or not, and if not, why (recorded on the page row)."""
    if (
        meta.page_type == "listing"
        or (meta.page_type != "article" and article_count(root) > 1)
        or is_listing_url(meta.canonical_url)
    ):
        return Verdict(False, "listing", "listing page (home, archive, category, tag, author or search)")
    if meta.page_type == "error":
        return Verdict(False, "error", "error page")
    if meta.page_type == "page":
        return Verdict(False, "page", "static page, not a post")
    if body is None:
        return Verdict(False, "article", "no article body found")
    if not "".join(body.itertext()).strip():
        return Verdict(False, "article", "the article body is empty")
    if episode is None or not episode.episodes:
        return Verdict(False, "article", "no episode named in the title or URL (news, list or other article)")
    title = meta.title or ""
    if _NOT_RECAP_WORDS.search(title) and not _RECAP_WORDS.search(title):
        return Verdict(False, "article", "news, preview or list article about a show, not an episode recap")
    if not episode.show:
        return Verdict(False, "article", "an episode is named but no show could be found")
    return Verdict(True, "recap")

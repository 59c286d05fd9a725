"""Pure functions from HTML to recap parts. No Scrapy imports: testable on saved pages.

Entry points:

- ``analyze(html, url)`` — parse once; metadata, episode, recap verdict, links to follow.
- ``extract_recap(html, url, comment_pages=[...])`` — the whole recap, comments from every page merged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import lxml.html
from lxml import etree

from ..models import CommentPage, Episode, Metadata, Recap
from . import selectors as sel
from .body import Body, split_body
from .classify import Verdict, classify
from .comments import comment_pages as find_comment_pages
from .comments import extract_comments, merge_comments
from .dom import NotHTML, parse_html, text_of
from .episode import parse_episode, title_from_body
from .links import Links, page_links
from .metadata import extract_metadata, timezone_of
from .quotes import SpeakerContext

__all__ = ["NotHTML", "PageAnalysis", "analyze", "extract_recap", "parse_html"]


@dataclass
class PageAnalysis:
    """One parsed page: what it is, what it says about itself, where it links."""

    url: str
    root: etree._Element
    meta: Metadata
    episode: Episode | None
    verdict: Verdict
    body: etree._Element | None
    links: Links
    comments: CommentPage
    platform: str


def detect_platform(root: etree._Element, meta: Metadata) -> str:
    """A short name for the software behind the page: wordpress, blogger, ghost, substack or generic."""
    generator = (meta.generator or "").lower()
    for name in ("wordpress", "blogger", "ghost", "substack", "medium", "drupal", "hugo", "jekyll"):
        if name in generator:
            return name
    if root.xpath("//*[contains(@class, 'wp-block-') or contains(@class, 'entry-content')]"):
        return "wordpress"
    if root.xpath("//*[contains(@class, 'post-outer') or contains(@class, 'blog-posts')]"):
        return "blogger"
    if root.xpath("//*[contains(@class, 'gh-content')]"):
        return "ghost"
    return "generic"


def find_body(root: etree._Element) -> etree._Element | None:
    """The element holding the article text (first selector that matches)."""
    for path in sel.BODY:
        found = path(root)
        if found:
            return found[0]
    return None


def _as_root(html: str | bytes | etree._Element, encoding: str | None) -> etree._Element:
    if isinstance(html, etree._Element):
        return html
    return parse_html(html, encoding)


def analyze(html: str | bytes | etree._Element, url: str, encoding: str | None = None) -> PageAnalysis:
    """Parse a page once and say what it is. Raises ``NotHTML`` for bodies that aren't HTML."""
    root = _as_root(html, encoding)
    meta = extract_metadata(root, url)
    body = find_body(root)
    episode = parse_episode(meta.title, meta.canonical_url, meta.categories + meta.tags)
    verdict = classify(root, meta, episode, body)
    return PageAnalysis(
        url=url,
        root=root,
        meta=meta,
        episode=episode,
        verdict=verdict,
        body=body,
        links=page_links(root, url),
        comments=find_comment_pages(root, url),
        platform=detect_platform(root, meta),
    )


def _clean_fragment(body: etree._Element) -> str:
    """The body's HTML with boilerplate (share buttons, related posts, forms…) removed."""
    fragment = lxml.html.fromstring(lxml.html.tostring(body, encoding="unicode"))
    junk_nodes = list(sel.BOILERPLATE(fragment)) + [
        element
        for element in fragment.iter()
        if isinstance(element.tag, str) and sel.is_ad_or_promo(element.get("class"), element.get("id"))
    ]
    for junk in junk_nodes:
        if junk is not fragment and junk.getparent() is not None:
            junk.drop_tree()  # keeps the text that follows the element
    return lxml.html.tostring(fragment, encoding="unicode")


def split(analysis: PageAnalysis) -> Body:
    """The article body of an analysed page, split into its parts."""
    if analysis.body is None:
        return Body()
    context = SpeakerContext(excluded={analysis.episode.show} if analysis.episode else set())
    context.learn(text_of(analysis.body))
    return split_body(_clean_fragment(analysis.body), context)


def extract_recap(
    html: str | bytes | etree._Element,
    url: str,
    comment_pages: list[tuple[str, str | bytes | etree._Element]] = (),
    encoding: str | None = None,
    analysis: PageAnalysis | None = None,
) -> Recap:
    """Everything in one recap: metadata, episode, body parts, and comments from all its pages.

    ``comment_pages`` are the other pages of the comment thread as ``(url, html)`` pairs.
    """
    analysis = analysis or analyze(html, url, encoding)
    body = split(analysis)
    tz = timezone_of(analysis.meta.published)
    pages = [extract_comments(analysis.root, page=analysis.comments.number, tz=tz)]
    for page_url, page_html in comment_pages:
        try:
            page_root = _as_root(page_html, encoding)
        except NotHTML:
            continue
        number = find_comment_pages(page_root, page_url).number
        pages.append(extract_comments(page_root, page=number, tz=tz))
    episode = analysis.episode or Episode()
    if episode.episodes and not episode.titles:
        found = title_from_body([p.text for p in body.paragraphs])
        if found:
            episode = replace(episode, titles=(found,))
    return Recap(
        meta=analysis.meta,
        episode=episode,
        headings=body.headings,
        paragraphs=body.paragraphs,
        bullets=body.bullets,
        quotes=body.quotes,
        comments=merge_comments(pages),
        comment_pages=analysis.comments,
        platform=analysis.platform,
    )

"""Pure functions from HTML to recap parts. No Scrapy imports: testable on saved pages.

Entry points:

- ``analyze(html, url)`` — parse once; platform profile, metadata, episode, recap verdict, and
  (computed when first asked for) the body and the links to follow.
- ``extract_recap(html, url, comment_pages=[...])`` — the whole recap, comments from every page merged.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from functools import cached_property

import lxml.html
from lxml import etree

from ..models import CommentPage, Episode, Metadata, Recap
from ..shownames import normalize_show
from . import selectors as sel
from .body import Body, split_body
from .classify import Verdict, classify
from .comments import comment_pages as find_comment_pages
from .comments import comment_texts, extract_comments, merge_comments
from .dom import NotHTML, Page, parse_html, text_of
from .episode import identify_episode, title_from_body
from .generic import dominant, main_content, paragraph_text
from .links import Links, page_links
from .metadata import extract_metadata, timezone_of
from .profiles import GENERIC, Profile, detect, paths
from .quotes import SpeakerContext
from .structured import episode_of, find_article, json_ld_objects, microdata_objects

# The generic profile's body paths naming an article container (itemprop, class names), not <article>.
GENERIC_CONTAINERS = 2

__all__ = ["NotHTML", "PageAnalysis", "analyze", "extract_recap", "normalize_show", "parse_html"]


@dataclass
class PageAnalysis:
    """One parsed page: what it is, what it says about itself, where its body and comments are."""

    url: str
    root: etree._Element
    page: Page
    profile: Profile
    objects: list[dict]  # JSON-LD and microdata objects
    meta: Metadata
    episode: Episode | None
    comments: CommentPage
    verdict: Verdict | None = None

    @property
    def platform(self) -> str:
        return self.profile.name

    @cached_property
    def body(self) -> etree._Element | None:
        """The article body: the platform profile's element, else the generic profile's article
        container (``articleBody``, ``.post-content``…) when it clearly holds the text, else
        trafilatura's main content, else the generic profile's body element (``<article>``…)."""
        own = () if self.profile is GENERIC else paths(self.profile, "body")[: len(self.profile.body)]
        for path in own:
            found = path(self.page)
            if found:
                return found[0]
        weights = paragraph_text(self.root)
        container = self._generic_container(weights)
        if container is not None:
            return container
        content = main_content(self.root, self.meta.title, comment_texts(self.page, self.profile), weights)
        if content is not None:
            return content
        for path in paths(GENERIC, "body"):
            found = path(self.page)
            if found:
                return found[0]
        return None

    def _generic_container(self, weights: dict[etree._Element, int]) -> etree._Element | None:
        """The first generic container path's only element, when it holds most of the paragraph text."""
        for path in paths(GENERIC, "body")[:GENERIC_CONTAINERS]:
            found = path(self.page)
            if found:
                return dominant(self.root, found, weights)
        return None

    @cached_property
    def body_from_page(self) -> bool:
        """Whether ``body`` is an element of the page (a profile's, the generic container), not
        trafilatura's rebuilt tree."""
        return self.body is not None and self.body.getroottree().getroot() is self.root

    @cached_property
    def links(self) -> Links:
        return page_links(self.root, self.url)


def _as_page(html: str | bytes | etree._Element, encoding: str | None) -> Page:
    return Page(html if isinstance(html, etree._Element) else parse_html(html, encoding))


def analyze(html: str | bytes | etree._Element, url: str, encoding: str | None = None) -> PageAnalysis:
    """Parse a page once and say what it is. Raises ``NotHTML`` for bodies that aren't HTML."""
    page = _as_page(html, encoding)
    root = page.root
    generator = sel.GENERATOR(page)
    profile = detect(page, generator[0] if generator else None)
    objects = json_ld_objects(page)
    if find_article(objects) is None or episode_of(objects) is None:
        objects += microdata_objects(page, url)
    meta = extract_metadata(page, url, profile, objects)
    episode = identify_episode(
        meta.title,
        meta.canonical_url,
        meta.categories + meta.tags,
        episode_of(objects),
        lambda: _page_headings(root),
    )
    analysis = PageAnalysis(
        url=url,
        root=root,
        page=page,
        profile=profile,
        objects=objects,
        meta=meta,
        episode=episode,
        comments=find_comment_pages(page, url, profile),
    )
    analysis.verdict = classify(page, meta, episode, lambda: analysis.body)
    return analysis


def _page_headings(root: etree._Element) -> list[str]:
    """The first few h1/h2 texts of the page, where an episode may be named when the title does not."""
    return [text_of(h) for h in root.xpath("(//h1 | //h2)[position() <= 6]")]


def _clean_fragment(body: etree._Element, profile: Profile) -> str:
    """The body's HTML with boilerplate (share buttons, related posts, forms, ads…) removed."""
    fragment = copy.deepcopy(body)
    fragment.tail = None
    junk_nodes = sel.boilerplate(fragment)
    for path in paths(profile, "boilerplate"):
        junk_nodes += path(fragment)
    junk_nodes += [
        element
        for element in fragment.iter()
        if isinstance(element.tag, str)
        and (element.get("class") or element.get("id"))
        and sel.is_ad_or_promo(element.get("class"), element.get("id"))
    ]
    for junk in junk_nodes:
        if junk is not fragment and junk.getparent() is not None:
            junk.drop_tree()  # keeps the text that follows the element
    return lxml.html.tostring(fragment, encoding="unicode")


def split(analysis: PageAnalysis) -> Body:
    """The article body of an analysed page, split into its parts."""
    body = analysis.body
    if body is None:
        return Body()
    excluded = {analysis.episode.show} if analysis.episode and analysis.episode.show else set()
    context = SpeakerContext(excluded=excluded)
    context.learn(text_of(body))
    if analysis.body_from_page:
        return split_body(_clean_fragment(body, analysis.profile), context)
    return split_body(etree.tostring(body, encoding="unicode"), context)


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
    profile = analysis.profile
    pages = [extract_comments(analysis.page, analysis.comments.number, tz, profile, analysis.objects)]
    for page_url, page_html in comment_pages:
        try:
            comment_page = _as_page(page_html, encoding)
        except NotHTML:
            continue
        number = find_comment_pages(comment_page, page_url, profile).number
        pages.append(extract_comments(comment_page, number, tz, profile))
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
        body_text=body.text,
    )


__all__ += ["GENERIC", "split"]

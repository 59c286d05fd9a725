"""Pure functions from HTML to recap parts. No Scrapy imports: testable on saved pages.

Entry points:

- ``analyze(html, url)`` — parse once; platform profile, metadata, episode, recap verdict, and
  (computed when first asked for) the body and the links to follow.
- ``extract_recap(html, url, comment_pages=[...])`` — the whole recap, comments from every page merged.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from lxml import etree

from ..models import CommentPage, Episode, Metadata, Recap
from ..shownames import normalize_show
from . import selectors as sel
from .body import Body, split_body
from .classify import Verdict, classify
from .comments import comment_pages as find_comment_pages
from .comments import comment_texts, extract_comments, merge_comments
from .dom import NotHTML, Page, parse_html, text_of
from .episode import fill_from_body, identify_episode
from .generic import (
    MIN_PARAGRAPH_TEXT,
    dominant,
    drop_link_lists,
    drop_title_heading,
    main_content,
    names_forum,
    paragraph_text,
    unwrap_embedded_posts,
)
from .leads import prepend_lead
from .links import Links, page_links
from .metadata import extract_metadata, timezone_of
from .profiles import GENERIC, Profile, detect, paths
from .quotes import SpeakerContext
from .structured import episode_of, find_article, json_ld_objects, microdata_objects

# The generic profile's body paths naming an article container (itemprop, class names), not <article>.
GENERIC_CONTAINERS = 2
# A platform profile's body element is taken as is when it holds this share of the page's paragraph text
# (comment threads not counted); otherwise the generic path runs, and the profile's element is still kept
# unless the generic body has OUTWEIGH times its text.
PROFILE_SHARE = 0.5
OUTWEIGH = 1.5


# ...and has at least this many characters (not a stray link or caption beside an empty post).
MIN_GENERIC_TEXT = 100
# The body paths whose element is read with the lead before it (trafilatura's path adds it in ``generic``).
LEAD_SOURCES = frozenset(("generic-container", "profile"))
# The body paths whose element may start with the page's title, kicker and date lines (trafilatura's path
# drops them in ``generic``).
HEADER_SOURCES = frozenset(("generic-container",))


def _text_size(element: etree._Element) -> int:
    return sum(len(text.strip()) for text in element.itertext())


def _outweighs(generic: etree._Element, own: etree._Element) -> bool:
    size = _text_size(generic)
    return size >= MIN_GENERIC_TEXT and size >= OUTWEIGH * _text_size(own)


def _thread_weight(page: Page, profile: Profile, weights: dict[etree._Element, int]) -> int:
    """The paragraph text inside the page's comment items (outermost items only)."""
    for path in paths(profile, "comment_items"):
        items = path(page)
        if items:
            break
    else:
        return 0
    inside = set(items)
    return sum(weights.get(item, 0) for item in items if not any(a in inside for a in item.iterancestors()))


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
    body_source: str | None = None  # profile | generic-container | trafilatura | generic-element

    @property
    def platform(self) -> str:
        return self.profile.name

    @property
    def decided(self) -> Verdict:
        """The verdict ``analyze`` gives every page (``verdict`` is None only while it is being reached)."""
        if self.verdict is None:
            raise RuntimeError(f"{self.url} has not been classified yet")
        return self.verdict

    @cached_property
    def body(self) -> etree._Element | None:
        """The article body (``body_source`` says which path found it): the platform profile's element
        when it holds the page's main text; else the generic profile's article container
        (``articleBody``, ``.post-content``…) when it clearly holds the text, else trafilatura's main
        content, else the generic profile's body element (``<article>``…).

        A profile is a hint, not a verdict: its element is checked against the page's paragraph text
        (``PROFILE_SHARE``, comments left out of the count), and when it holds too little the generic
        path runs; the profile's element is kept unless the generic one has clearly more text."""
        own = self._profile_element()
        listing = self.verdict is not None and self.verdict.kind == "listing"  # no article to check for
        if own is not None and (listing or self._holds_main_text(own)):
            return self._found(own, "profile")
        generic, source = self._generic_body()
        if own is not None and (generic is None or not _outweighs(generic, own)):
            return self._found(own, "profile")
        return self._found(generic, source)

    def _found(self, element: etree._Element | None, source: str) -> etree._Element | None:
        self.body_source = source if element is not None else None
        return element

    def _profile_element(self) -> etree._Element | None:
        if self.profile is GENERIC:
            return None
        for path in paths(self.profile, "body")[: len(self.profile.body)]:
            found = path(self.page)
            if found:
                return found[0]
        return None

    @cached_property
    def _weights(self) -> dict[etree._Element, int]:
        return paragraph_text(self.root)

    def _holds_main_text(self, element: etree._Element) -> bool:
        """Whether a profile's element has paragraph text and holds ``PROFILE_SHARE`` of the page's
        paragraph text outside its comment thread (any share when that is under ``MIN_PARAGRAPH_TEXT``)."""
        weights = self._weights
        own = weights.get(element, 0)
        if own == 0:
            return False
        body = self.root.find("body")
        total = weights.get(body, 0) if body is not None else 0
        rest = total - _thread_weight(self.page, self.profile, weights)
        return own >= PROFILE_SHARE * rest or rest < MIN_PARAGRAPH_TEXT

    def _generic_body(self) -> tuple[etree._Element | None, str]:
        """The generic path's body and its name: container, trafilatura, or the generic body element."""
        weights = self._weights
        container = self._generic_container(weights)
        if container is not None:
            return container, "generic-container"
        comments = comment_texts(self.page, self.profile)
        forum = names_forum(sel.JSON_LD(self.page))
        content = main_content(self.root, self.meta.title, comments, weights, forum)
        if content is not None:
            return content, "trafilatura"
        for path in paths(GENERIC, "body"):
            found = path(self.page)
            if found:
                return found[0], "generic-element"
        return None, "none"

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


# The page's own h1/h2: not a card's (related posts, a nested article), a menu's, a sidebar's or a comment's.
_NOT_THE_PAGES = frozenset(("nav", "aside", "footer"))
HEADINGS_READ = 6


def _page_headings(root: etree._Element) -> list[str]:
    """The first few h1/h2 texts of the page, where an episode may be named when the title does not."""
    found: list[str] = []
    for heading in root.iter("h1", "h2"):
        if _the_pages(heading):
            found.append(text_of(heading))
            if len(found) == HEADINGS_READ:
                break
    return found


def _the_pages(heading: etree._Element) -> bool:
    """Whether no ancestor of ``heading`` is a menu, sidebar, footer, related-posts box or comment section,
    and it is in no article nested in another."""
    articles = 0
    for ancestor in heading.iterancestors():
        tag = ancestor.tag
        if tag in _NOT_THE_PAGES:
            return False
        if tag == "article":
            articles += 1
            if articles == 2:
                return False
        ident = ancestor.get("id")
        if ident is not None and ("related" in ident or ident == "comments"):
            return False
        value = ancestor.get("class")
        if value is not None and "related" in value:
            return False
    return True


def _clean_fragment(
    body: etree._Element, profile: Profile, lead: bool = False, title: str | None = None, header: bool = False
) -> etree._Element:
    """A copy of the body with boilerplate (share buttons, related posts, forms, ads…) removed; with
    ``header``, without the title, kicker and date lines it starts with (``generic.drop_title_heading``);
    with ``lead``, the article's lead before it (``leads.prepend_lead``)."""
    fragment = copy.deepcopy(body)
    fragment.tail = None
    _unwrap_lone_noscript(fragment)
    unwrap_embedded_posts(fragment)
    junk_nodes = sel.boilerplate(fragment)
    for path in paths(profile, "boilerplate"):
        junk_nodes += path(fragment)
    junk_nodes += [
        element
        for element in fragment.iter()
        if isinstance(element.tag, str)
        and (element.get("class") or element.get("id"))
        and (sel.is_ad_or_promo(element.get("class"), element.get("id")) or sel.is_hidden_title_copy(element))
    ]
    for junk in junk_nodes:
        if junk is not fragment and junk.getparent() is not None:
            junk.drop_tree()  # keeps the text that follows the element
    drop_link_lists(fragment)
    if header:
        drop_title_heading(fragment, title)
    if lead:
        prepend_lead(fragment, body)
    return fragment


def _unwrap_lone_noscript(fragment: etree._Element) -> None:
    """Keep the ``<noscript>`` copy of an article whose only other copy is a script template (the body
    has no text outside scripts): that copy is what a reader without scripts sees."""
    if fragment.find(".//noscript") is None:
        return
    for element in fragment.iter("script", "noscript", "style", "template"):
        if element.tail and element.tail.strip():
            return
    outside = (
        text
        for node in fragment.iter()
        if node.tag not in ("script", "noscript", "style", "template")
        and not any(a.tag in ("noscript", "script", "template") for a in node.iterancestors())
        for text in (node.text,)
        if text and text.strip()
    )
    if next(outside, None) is None:
        etree.strip_tags(fragment, "noscript")


def split(analysis: PageAnalysis) -> Body:
    """The article body of an analysed page, split into its parts."""
    body = analysis.body
    if body is None:
        return Body()
    excluded = {analysis.episode.show} if analysis.episode and analysis.episode.show else set()
    context = SpeakerContext(excluded=excluded)
    context.learn_element(body)
    if analysis.body_from_page:
        lead = analysis.body_source in LEAD_SOURCES
        header = analysis.body_source in HEADER_SOURCES
        fragment = _clean_fragment(body, analysis.profile, lead, analysis.meta.title, header)
        return split_body(fragment, context)
    return split_body(copy.deepcopy(body), context)  # (trafilatura's tree stays the analysis's body)


def extract_recap(
    html: str | bytes | etree._Element,
    url: str,
    comment_pages: Sequence[tuple[str, str | bytes | etree._Element]] = (),
    encoding: str | None = None,
    analysis: PageAnalysis | None = None,
    article_pages: Sequence[tuple[str, str | bytes | etree._Element]] = (),
) -> Recap:
    """Everything in one recap: metadata, episode, body parts, and comments from all its pages.

    ``comment_pages`` are the other pages of the comment thread as ``(url, html)`` pairs.
    ``article_pages`` are the article's later pages (``/slug/2/``, ``?page=2``) as ``(url, html)``
    pairs in page order: their bodies follow this page's, their comments join the thread's.
    """
    from .article_pages import merge_bodies, pagination_texts, without_texts  # (kept local to this function)

    analysis = analysis or analyze(html, url, encoding)
    body = without_texts(split(analysis), pagination_texts(analysis.body))
    tz = timezone_of(analysis.meta.published)
    profile = analysis.profile
    pages = [extract_comments(analysis.page, analysis.comments.number, tz, profile, analysis.objects)]
    bodies = [body]
    for page_url, page_html in article_pages:
        try:
            later = analyze(page_html, page_url, encoding)
        except NotHTML:
            continue
        bodies.append(without_texts(split(later), pagination_texts(later.body)))
        pages.append(extract_comments(later.page, later.comments.number, tz, profile, later.objects))
    body = merge_bodies(bodies)
    for page_url, page_html in comment_pages:
        try:
            comment_page = _as_page(page_html, encoding)
        except NotHTML:
            continue
        number = find_comment_pages(comment_page, page_url, profile).number
        pages.append(extract_comments(comment_page, number, tz, profile))
    episode = fill_from_body(analysis.episode or Episode(), [p.text for p in body.paragraphs])
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

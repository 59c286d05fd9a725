"""The generic body: trafilatura finds the main content of markup no profile knows.

Trafilatura (precision-favouring, comments off, tables on) returns its own XML tree of the
main content; ``main_content`` renames that tree's tags to plain HTML (``head`` → ``h2``,
``list``/``item`` → ``ul``/``li``, ``quote`` → ``blockquote``, …) so the same splitter that reads
a profile's body reads it too.

Trafilatura's cost grows with the page: its pruning XPaths test every element. So it first gets a
narrowed copy of the page (``narrowed``): the lowest element holding nearly all the page's paragraph
text, with its ancestors (tags and attributes only, so trafilatura's container paths still match
them) and nothing beside them. The whole page is read when no element clearly holds the text or the
narrowed run finds little. Either copy goes without the elements trafilatura deletes unread
(scripts, SVG, navigation…), with embedded posts (tweets) taken out of their widget-like wrappers, and
an article body cut into chunks of the same container (ad rows between them) merged into its first chunk:
trafilatura reads the first container it finds and nothing after it.

What trafilatura returns still goes without the title, kicker and date lines it starts with
(``drop_title_heading``) and without lists whose every item is a link (``drop_link_lists``).
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable, Set
from functools import lru_cache
from typing import Any

import lxml.html
from lxml import etree
from trafilatura import bare_extraction
from trafilatura.settings import MANUALLY_CLEANED, Extractor

from . import selectors as sel
from .bylines import is_date_line
from .dom import _HTML_CLASSES
from .leads import prepend_lead
from .text import clean, normalized
from .trafilatura_copies import uncopied
from .trafilatura_xpaths import faster_xpaths

_OPTIONS = Extractor(output_format="xml", precision=True, comments=False, tables=True)
_FAST = Extractor(output_format="xml", precision=True, comments=False, tables=True, fast=True)
# When the precise full run still keeps under LITTLE_SHARE of the paragraph text it was given, precision mode
# has most likely pruned the article itself (or picked a comment beside a short post): trafilatura's balanced
# mode, its default, reads the page instead and is taken when it finds anything (docs/performance.md).
_BALANCED = Extractor(output_format="xml", comments=False, tables=True)
LITTLE_SHARE = 0.5
# Below this many characters, trafilatura's own extractor may have missed the article: its full run
# also compares readability's and jusText's results. Above it, that comparison keeps what the fast run
# found, and costs three times more.
FAST_ENOUGH = 1000
# Nor does the full run change anything when the fast run kept at least this share of the paragraph text it
# was given: the article was found, and it is short.
FOUND_SHARE = 0.5
_TAGS = {
    "p": "p",
    "item": "li",
    "quote": "blockquote",
    "lb": "br",
    "hi": "span",
    "ref": "span",
    "code": "pre",
    "row": "tr",
    "cell": "td",
    "table": "table",
    "div": "div",
}
_DROP = {"graphic", "del", "fw", "note"}
# Narrowing: the candidate holds at least this share of the page's paragraph text, the page has at least
# MIN_PARAGRAPH_TEXT characters of it, and the narrowed fast run must return at least KEEP_SHARE of the
# candidate's paragraph text (else trafilatura judged it boilerplate: the whole page is read instead).
NARROW_SHARE = 0.9
MIN_PARAGRAPH_TEXT = 500
KEEP_SHARE = 0.25
MIN_RUN = 40
# When no element holds NARROW_SHARE (the text is split: an article beside a long teaser or comment block),
# the lowest element holding this share is tried the same way (the whole page can mislead trafilatura).
LOOSE_SHARE = 0.6
# A container the generic profile names (``articleBody``, ``.entry-content``…) is the body, without
# trafilatura, when it is the only one and holds this share of the page's paragraph text.
DOMINANT_SHARE = 0.8
_BLOCKS = ("div", "section", "article", "main", "td", "li", "dd", "blockquote", "pre", "center")
# Elements trafilatura deletes, with everything in them, before it reads the page (``tree_cleaning``): the
# copies it is given go without them (same output, a third fewer elements for its XPaths to test). Not
# <figure> (kept when it holds a table), <form> (its own rules), <math> (formulas are salvaged first),
# <head>, or <noscript>: an unclosed element inside one (``<noscript><div></noscript>``) puts the rest
# of the page inside it.
_CLEANED = tuple(sorted(set(MANUALLY_CLEANED) - {"figure", "form", "math", "head", "noscript"}))
# Elements of the narrowed page are made by this parser: lxml's C class lookup, as ``dom`` parses with.
_PARSER = lxml.html.HTMLParser()
_PARSER.set_element_class_lookup(_HTML_CLASSES)

# trafilatura logs a warning for every page it finds too little on; that is our fallback's business.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


def _drop(element: etree._Element) -> None:
    """Remove an element, keeping the text that follows it (``drop_tree`` for plain lxml trees)."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _to_html(body: etree._Element) -> etree._Element:
    """trafilatura's XML body with HTML tag names, in place."""
    for element in list(body.iter()):
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag in _DROP and element is not body:
            _drop(element)
            continue
        if tag == "head":
            rend = element.get("rend") or ""
            element.tag = rend if rend in ("h1", "h2", "h3", "h4", "h5", "h6") else "h3"
        elif tag == "list":
            element.tag = "ol" if element.get("rend") == "ol" else "ul"
        else:
            element.tag = _TAGS.get(tag, "span")
        element.attrib.clear()
    body.tag = "div"
    return body


_CITE_DASHES = " \u2014\u2013-~"
# The title a body repeats may come under a kicker or a date ("Review", "November 18, 2019"): at most this
# many paragraphs, each shorter than this, before it (they go with it).
KICKER_LINES = 2
KICKER_CHARS = 40


def _restore_cites(fragment: etree._Element, root: etree._Element) -> None:
    """Give back the ``<cite>`` of the page's block quotes, which trafilatura flattens into the quote's
    last words (``<quote><p>…</p>Lady Constance Pellam</quote>``), so that the quote keeps its speaker."""
    cites = {
        normalized(text): "".join(cite.itertext()).strip().lstrip(_CITE_DASHES)
        for quote in root.iterfind(".//blockquote")
        for cite in quote.iter("cite", "footer")
        if (text := "".join(cite.itertext()).strip(_CITE_DASHES))
    }
    if not cites:
        return
    for quote in fragment.iter("blockquote"):
        last = quote[-1] if len(quote) else None
        if last is not None and last.tail and normalized(last.tail.strip(_CITE_DASHES)) in cites:
            name = cites[normalized(last.tail.strip(_CITE_DASHES))]
            last.tail = None
        elif last is not None and last.tag == "p" and len(last) == 0 and last.text:
            key = normalized(last.text.strip(_CITE_DASHES))
            if key not in cites:
                continue
            name = cites[key]
            quote.remove(last)
        else:
            continue
        etree.SubElement(quote, "cite").text = name


def drop_title_heading(fragment: etree._Element, title: str | None) -> None:
    """Remove what comes before the text starts: a heading (or a paragraph) that repeats the page title, or
    the page's ``<h1>``, with the short lines above it (a kicker, a date: ``KICKER_LINES`` of under
    ``KICKER_CHARS`` characters); then the paragraphs that are only a date or a byline (``is_date_line``)."""
    wanted = normalized(title) if title else None
    above: list[etree._Element] = []
    for element in fragment.iter("h1", "h2", "h3", "h4", "p"):
        text = normalized("".join(element.itertext()))
        if not text:
            continue
        if text == wanted or element.tag == "h1":
            for kicker in above:
                _drop(kicker)
            _drop(element)
            break
        if len(above) >= KICKER_LINES or len(text) >= KICKER_CHARS or element.tag != "p":
            break
        above.append(element)
    dates = []
    for element in fragment.iter("h1", "h2", "h3", "h4", "p"):
        text = clean("".join(element.itertext()))
        if not text:
            continue
        if element.tag != "p" or not is_date_line(text):
            break
        dates.append(element)
    for element in dates:
        _drop(element)


def _extract(root: etree._Element, options: Extractor) -> etree._Element | None:
    try:
        with faster_xpaths(root):
            document = bare_extraction(root, options=options)
    except (ValueError, TypeError, AttributeError, IndexError, RecursionError):
        return None
    return _body_of(document)


def _fast_run(document: etree._Element) -> etree._Element | None:
    """``_extract`` with ``_FAST`` of a document built for the run, which it leaves changed: trafilatura
    does not copy it (``trafilatura_copies``)."""
    try:
        with faster_xpaths(document), uncopied(document):
            found = bare_extraction(document, options=_FAST)
    except (ValueError, TypeError, AttributeError, IndexError, RecursionError):
        return None
    return _body_of(found)


def _body_of(document: Any) -> etree._Element | None:
    # trafilatura types the result as Document | dict; it is a dict only with as_dict=True.
    if document is None or document.body is None or not len(document.body):
        return None
    return document.body  # type: ignore[no-any-return]


# Class or id tokens of what is laid over or beside an article, never part of it: cookie and consent
# notices, modal and pop-up boxes, the comment form.
_OVERLAY_TOKEN = re.compile(
    r"(?:^|[-_])(?:cookie|cookies|consent|gdpr|modal|popup|respond|commentform|comment-form)"
    r"(?:$|[-_])",
    re.I,
)


@lru_cache(maxsize=4096)
def _is_overlay(value: str) -> bool:
    return any(_OVERLAY_TOKEN.search(token) for token in value.split())


def _discount_overlays(root: etree._Element, weights: dict[etree._Element, int]) -> None:
    """Take the paragraph text of cookie notices, pop-ups and comment forms out of ``weights`` (it is
    theirs, not their ancestors'): a long consent text must not look like the article."""
    for element in list(weights):
        if element.tag in ("p", "body", "html"):
            continue
        value = element.get("class")
        if not ((value and _is_overlay(value)) or _is_overlay(element.get("id") or "")):
            continue
        size = weights.get(element, 0)
        if not size:
            continue
        for ancestor in element.iterancestors():
            if ancestor in weights:
                weights[ancestor] -= size
        for inner in element.iter():
            weights.pop(inner, None)


def paragraph_text(root: etree._Element) -> dict[etree._Element, int]:
    """Per element, the characters of paragraph text inside it: all of every ``<p>``'s text, and runs
    of ``MIN_RUN`` characters directly in other blocks (its own text and its children's tails: text
    split by ``<br>``, say). Elements without any are left out."""
    weights: dict[etree._Element, int] = {}
    get = weights.get

    def add(element: etree._Element | None, size: int) -> None:
        while element is not None:
            weights[element] = get(element, 0) + size
            element = element.getparent()

    for paragraph in root.iter("p"):
        size = sum(map(len, map(str.strip, paragraph.itertext())))
        if size:
            add(paragraph, size)
    for block in root.iter(*_BLOCKS):
        size = 0
        text = block.text
        # a run shorter than MIN_RUN before stripping is shorter after: strip only the long ones
        if text is not None and len(text) >= MIN_RUN and (run := len(text.strip())) >= MIN_RUN:
            size = run
        for child in block:
            text = child.tail
            if text is not None and len(text) >= MIN_RUN and (run := len(text.strip())) >= MIN_RUN:
                size += run
        if size:
            add(block, size)
    _discount_overlays(root, weights)
    return weights


def _page_total(body: etree._Element | None, weights: dict[etree._Element, int]) -> int:
    """The page's paragraph text, in characters (0 without a ``<body>``)."""
    return weights.get(body, 0) if body is not None else 0


def candidate(
    root: etree._Element, weights: dict[etree._Element, int], share: float = NARROW_SHARE
) -> etree._Element | None:
    """The lowest element below ``<body>`` holding ``share`` of the page's paragraph text, or None when the
    text is too short or only ``<body>`` holds that much."""
    body = root.find("body")
    total = _page_total(body, weights)
    if total < MIN_PARAGRAPH_TEXT:
        return None
    node, needed = body, share * total
    while True:
        best = max((child for child in node if child in weights), key=weights.__getitem__, default=None)
        if best is None or best.tag == "p" or weights[best] < needed:
            return node if node is not body else None
        node = best


# An article body container's class (trafilatura's first choice of container: it reads the first one only).
_BODY_CLASS = re.compile(
    r"article(?:-|__)?(?:body|content|text)|articleBody|(?:entry|page|post|story|text)[-_]?(?:content|body|text)"
    r"|post-?entry|body-text",
    re.I,
)
# A body in chunks: at least two containers of the same tag and class, not one inside another, each holding
# at least CHUNK_SHARE of the narrowed candidate's paragraph text (an article cut by ad rows between them).
CHUNK_SHARE = 0.1
_CHUNK_TAGS = ("div", "section", "article")


@lru_cache(maxsize=4096)
def _is_body_class(value: str) -> bool:
    return _BODY_CLASS.search(value) is not None


def body_chunks(element: etree._Element, weights: dict[etree._Element, int]) -> list[etree._Element]:
    """The containers of an article body cut into chunks inside ``element`` (``CHUNK_SHARE``), in document
    order, or [] when its body is in one piece."""
    groups: dict[tuple[str, str], list[etree._Element]] = {}
    for inner in weights:  # (the elements with paragraph text: fewer than the element's)
        if inner.tag in _CHUNK_TAGS and (value := inner.get("class")) and _is_body_class(value):
            groups.setdefault((inner.tag, value), []).append(inner)
    needed = CHUNK_SHARE * weights.get(element, 0)
    for members in groups.values():
        if len(members) < 2:
            continue
        found = set(members)
        outer = [m for m in members if not any(a in found for a in m.iterancestors()) and _inside(m, element)]
        if sum(weights[m] >= needed for m in outer) >= 2:
            order = {inner: index for index, inner in enumerate(element.iter(*_CHUNK_TAGS))}
            return sorted(outer, key=order.__getitem__)
    return []


def _inside(inner: etree._Element, element: etree._Element) -> bool:
    return any(ancestor is element for ancestor in inner.iterancestors())


# Block quotes of posts embedded from social networks (the page's quoted tweets): their text is the
# article's, but they sit in wrappers that look like share widgets ("social-media-embed", "…-widget").
_EMBEDDED_POSTS = frozenset(("twitter-tweet", "instagram-media", "tiktok-embed"))


def unwrap_embedded_posts(root: etree._Element) -> None:
    """Put each embedded post's block quote in the place of its wrappers (the ancestors below ``root``
    that hold no other text), so that no widget rule takes it out with them."""
    for quote in list(root.iter("blockquote")):
        value = quote.get("class")
        if not value or _EMBEDDED_POSTS.isdisjoint(value.split()):
            continue
        own = _spaced(quote)
        wrapper = quote
        parent = quote.getparent()
        while parent is not None and parent is not root and _spaced(parent) == own:
            wrapper, parent = parent, parent.getparent()
        if wrapper is not quote and parent is not None:
            quote.tail = wrapper.tail
            parent.replace(wrapper, quote)


def _lists(fragment: etree._Element) -> list[etree._Element]:
    """The fragment's lists of at least two items (outermost first)."""
    return [found for found in fragment.iter("ul", "ol") if sum(child.tag == "li" for child in found) >= 2]


def drop_link_lists(fragment: etree._Element, source: etree._Element | None = None) -> None:
    """Remove the lists whose every item is only a link (related stories, "more from us", share buttons):
    items all of whose text is in links; or, for a fragment rebuilt by trafilatura (which keeps no links),
    items whose text is the whole text of a link of ``source``, the page element it was read from."""
    lists = _lists(fragment)
    if not lists:
        return
    if source is None:
        for found in lists:
            if found.getparent() is not None and all(_all_linked(item) for item in found if item.tag == "li"):
                _drop(found)
        return
    items = {found: [_spaced(item) for item in found if item.tag == "li"] for found in lists}
    wanted = {text for texts in items.values() for text in texts}
    wanted.discard("")
    linked = set()
    for anchor in source.iter("a"):
        text = _spaced(anchor)
        if text in wanted:
            linked.add(text)
    for found, texts in items.items():
        if found.getparent() is not None and all(text in linked for text in texts):
            _drop(found)


def _spaced(element: etree._Element) -> str:
    """An element's text with its white space runs made one space (as trafilatura's copy has them)."""
    return " ".join("".join(element.itertext()).split())


def _all_linked(item: etree._Element) -> bool:
    """Whether a list item has text and all of it is inside links."""
    text = "".join(item.itertext()).strip()
    return bool(text) and len(text) == sum(len("".join(a.itertext()).strip()) for a in item.iter("a")) > 0


def _index_path(element: etree._Element, top: etree._Element) -> list[int]:
    path = []
    while element is not top:
        parent = element.getparent()
        path.append(parent.index(element))
        element = parent
    return path[::-1]


def _merge_chunks(inner: etree._Element, paths: list[list[int]]) -> None:
    """Move the later chunks' content (found in the copy ``inner`` by their index ``paths``) into the first
    chunk, so that trafilatura, which reads the first container only, reads them all."""
    chunks = []
    for path in paths:
        node = inner
        for index in path:
            node = node[index]
        chunks.append(node)
    first = chunks[0]
    for chunk in chunks[1:]:
        if chunk.text and chunk.text.strip():
            etree.SubElement(first, "p").text = chunk.text
        first.extend(list(chunk))
        _drop(chunk)


def narrowed(element: etree._Element, chunks: list[etree._Element] | None = None) -> lxml.html.HtmlElement:
    """A new document of ``element``'s ancestors (tag and attributes, no text) around a copy of it,
    without ``_CLEANED`` elements and without elements that hold no text (``drop_textless``); the body
    ``chunks`` inside it (``body_chunks``) merged into the first."""
    chain = list(element.iterancestors())[::-1]
    top = _PARSER.makeelement(chain[0].tag, dict(chain[0].attrib))
    parent = top
    for ancestor in chain[1:]:
        parent = etree.SubElement(parent, ancestor.tag, dict(ancestor.attrib))
    inner = copy.deepcopy(element)
    inner.tail = None
    if chunks:
        _merge_chunks(inner, [_index_path(chunk, element) for chunk in chunks])
    unwrap_embedded_posts(inner)
    etree.strip_elements(inner, *_CLEANED, with_tail=False)
    drop_textless(inner)
    parent.append(inner)
    return top


_KEEP_EMPTY = frozenset(("br", "hr", "td", "th", "tr"))


def drop_textless(root: etree._Element) -> None:
    """Remove the elements below ``root`` with no text in them (icons, image wrappers, empty ad slots),
    keeping their tails; line breaks and table cells stay.

    trafilatura's pruning XPaths test every element (most tests call back into Python regexes), and a
    quarter of a narrowed copy's elements hold no text: without them it runs faster, to the same bodies
    but a few (docs/performance.md)."""
    has_text: dict[etree._Element, bool] = {}
    for element in reversed(list(root.iter(etree.Element))):
        text = element.text
        found = bool(text) and not text.isspace()
        if not found:
            for child in element:
                tail = child.tail
                if has_text.get(child) or (tail and not tail.isspace()):
                    found = True
                    break
        has_text[element] = found
    for element in list(root.iterdescendants(etree.Element)):
        if not has_text[element] and element.tag not in _KEEP_EMPTY and has_text.get(element.getparent()):
            _drop(element)


def _is_forum(root: etree._Element) -> bool:
    """Whether the page says it is a forum thread (trafilatura then keeps comment sections)."""
    return names_forum(sel.JSON_LD(root))


def names_forum(scripts: list[etree._Element]) -> bool:
    """Whether one of the page's JSON-LD ``<script>`` elements names a forum thread (``_is_forum``; the
    analysis passes the scripts its page index has found)."""
    return any("DiscussionForumPosting" in (script.text or "") for script in scripts)


def _text_length(body: etree._Element | None) -> int:
    return sum(len(text) for text in body.itertext()) if body is not None else 0


def _narrowed_run(
    root: etree._Element,
    weights: dict[etree._Element, int],
    chosen: list[etree._Element] | None = None,
    forum: bool | None = None,
) -> etree._Element | None:
    """trafilatura on the page narrowed to its candidate (at ``NARROW_SHARE``, else ``LOOSE_SHARE``): fast,
    then in full when that found little. None when it should read the whole page: no candidate, or it kept
    under ``KEEP_SHARE`` of the candidate's text."""
    if _is_forum(root) if forum is None else forum:
        return None
    element = candidate(root, weights)
    if element is None:
        element = candidate(root, weights, LOOSE_SHARE)
    if element is None:
        return None
    chunks = body_chunks(element, weights)
    try:
        document = narrowed(element, chunks)
    except ValueError:  # a tag or attribute name lxml will not create
        return None
    body = _fast_run(document)  # (which changes it: a full run gets the document anew)
    if _text_length(body) < KEEP_SHARE * weights[element]:
        return None
    if chosen is not None:
        chosen.append(element)
    return _full_if_short(lambda: narrowed(element, chunks), body, weights[element])


def _full_if_short(
    build: Callable[[], etree._Element], fast: etree._Element | None, given: int
) -> etree._Element | None:
    """The fast run's body, or trafilatura's full run (of the document ``build`` makes) when the fast one
    found under ``FAST_ENOUGH`` characters and under ``FOUND_SHARE`` of the ``given`` characters of
    paragraph text; its balanced run when the precise one keeps under ``LITTLE_SHARE``."""
    found = _text_length(fast)
    if found >= FAST_ENOUGH or found >= FOUND_SHARE * given > 0:
        return fast
    document = build()
    full = _extract(document, _OPTIONS)
    if _text_length(full) < LITTLE_SHARE * given:
        balanced = _extract(document, _BALANCED)
        if balanced is not None:
            return balanced
    return full if full is not None else fast


def _cleaned_copy(root: etree._Element, forum: bool | None = None) -> etree._Element:
    """A copy of the page without the elements trafilatura deletes before reading and without the elements
    that hold no text (``drop_textless``, as ``narrowed`` does); the page itself on a forum thread, which
    trafilatura tells by a script."""
    if _is_forum(root) if forum is None else forum:
        return root
    document = copy.deepcopy(root)
    body = document.find("body")
    if body is not None:
        etree.strip_elements(body, *_CLEANED, with_tail=False)
        unwrap_embedded_posts(body)
        drop_textless(body)
    return document


def _whole_run(
    root: etree._Element, weights: dict[etree._Element, int] | None = None, forum: bool | None = None
) -> etree._Element | None:
    """trafilatura on (a cleaned copy of) the whole page's body: fast, then in full when that found little."""
    weights = paragraph_text(root) if weights is None else weights
    body = root.find("body")
    # The body in a shell of <html>, as a narrowed run gets its element: trafilatura reads nothing in <head>.
    forum = _is_forum(root) if forum is None else forum
    given = _page_total(body, weights)
    if body is not None and not forum:
        return _full_if_short(lambda: narrowed(body), _fast_run(narrowed(body)), given)
    document = _cleaned_copy(root, forum)  # (the page itself on a forum: trafilatura copies it)
    return _full_if_short(lambda: document, _extract(document, _FAST), given)


def _drop_texts(fragment: etree._Element, texts: Set[str]) -> None:
    """Remove the fragment's paragraphs whose text is one of ``texts`` (reader comments it took in)."""
    for element in list(fragment.iter("p", "li", "blockquote")):
        if element.getparent() is not None and normalized("".join(element.itertext())) in texts:
            _drop(element)


def dominant(
    root: etree._Element, found: list[etree._Element], weights: dict[etree._Element, int]
) -> etree._Element | None:
    """The one element found when it holds ``DOMINANT_SHARE`` of the page's paragraph text (of at least
    ``MIN_PARAGRAPH_TEXT`` characters), else None."""
    total = _page_total(root.find("body"), weights)
    if len(found) != 1 or total < MIN_PARAGRAPH_TEXT or weights.get(found[0], 0) < DOMINANT_SHARE * total:
        return None
    return found[0]


def main_content(
    root: etree._Element,
    title: str | None = None,
    exclude: Set[str] = frozenset(),
    weights: dict[etree._Element, int] | None = None,
    forum: bool | None = None,
) -> etree._Element | None:
    """The page's main content as an HTML ``<div>``, or None when trafilatura finds none.

    trafilatura reads the narrowed page (``_narrowed_run``), else the whole page; either way it runs
    fast first (its own extractor only), then in full when that found little. Paragraphs whose
    normalized text is in ``exclude`` (the page's comments) are left out. ``weights`` is the page's
    ``paragraph_text``, and ``forum`` whether the page says it is a forum thread (``is_forum``), when known.
    """
    weights = paragraph_text(root) if weights is None else weights
    chosen: list[etree._Element] = []
    forum = _is_forum(root) if forum is None else forum
    body = _narrowed_run(root, weights, chosen, forum)
    if body is None:
        body = _whole_run(root, weights, forum)
    if body is None:
        return None
    fragment = _to_html(body)
    _restore_cites(fragment, root)
    drop_title_heading(fragment, title)
    drop_link_lists(fragment, chosen[0] if chosen else root)
    if chosen:
        prepend_lead(fragment, chosen[0], inside=True)
    if exclude:
        _drop_texts(fragment, exclude)
    return fragment if "".join(fragment.itertext()).strip() else None

"""The article's lead: the standfirst between its title and its body container.

News and magazine templates set the lead (standfirst, "Vorspann", "bajada") apart from the body: a
paragraph or a heading right under the ``<h1>``, in the article's header, outside the element that holds
the paragraphs. A body read from that element (a profile's, the generic container, trafilatura's run on
the page narrowed to it) misses it. ``lead_blocks`` finds it by position, not by class name: the leaf
text blocks after the title heading and before the body container, inside an element at most
``MAX_LEVELS`` above the container, that read as prose (``MIN_LEAD_CHARS``, few links) and are not
bylines, datelines, captions or share bars. A one-line dek (a summary under the headline) is left out.
"""

from __future__ import annotations

import re

from lxml import etree

from .bylines import is_dateline, visible_text
from .text import normalized

# The title heading and the body container share an ancestor at most this many levels above the container.
MAX_LEVELS = 5
# A lead block is prose of at least MIN_LEAD_CHARS characters and MIN_WORDS words: a one-line dek under the
# headline (a summary, often a second headline) is left out, as the article-extraction benchmark's truth
# leaves it out; a lead paragraph is kept, as the real-world corpus's truth keeps it (docs/performance.md).
# A lead has at most MAX_BLOCKS blocks and MAX_CHARS characters. The body's first paragraph is known by its
# first PREFIX_CHARS characters.
MIN_LEAD_CHARS = 160
MIN_WORDS = 5
PREFIX_CHARS = 40
MAX_BLOCKS = 3
MAX_CHARS = 1500
# At most this share of a block's text is link text.
MAX_LINK_SHARE = 0.3
_BLOCK_TAGS = frozenset(("p", "div", "h2", "h3", "h4", "h5", "h6", "section", "header", "span", "strong"))
_CONTAINERS = frozenset(
    (
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "table",
        "section",
        "article",
        "header",
        "figure",
        "blockquote",
        "li",
        "dl",
        "form",
        "nav",
        "aside",
        "footer",
    )
)
_NOT_LEAD_TAGS = frozenset(
    (
        "nav",
        "aside",
        "figure",
        "figcaption",
        "form",
        "footer",
        "button",
        "time",
        "address",
        "script",
        "style",
        "noscript",
        "ul",
        "ol",
        "table",
        "li",
        "dl",
        "select",
        "label",
        "a",
    )
)
# Class or id words of what sits between a title and a body and is not the lead.
_NOT_LEAD = re.compile(
    r"(?:^|[-_\s])(?:byline|author|authors|date|dateline|time|meta|share|sharing|social|breadcrumbs?|"
    r"caption|credit|credits|copyright|tags?|categor(?:y|ies)|info|metadata|published|updated|timestamp|source|location|rating|reading-?time|"
    r"comments?|toolbar|actions?|buttons?|audio|video|player|image|img|photo|media|gallery|ad|ads|advert\w*|"
    r"sponsor\w*|newsletter|related|kicker|overline|label|badge|topline|eyebrow)(?:$|[-_\s])",
    re.I,
)
# A BEM modifier ("article__item--has-badge") says how an element looks, not what it is.
_MODIFIER = re.compile(r"--[\w-]*")


_CAMEL = re.compile(r"([a-z])([A-Z])")


def _plain(element: etree._Element) -> str:
    """The element's visible text on one line (no scripts, buttons or ``<time>``)."""
    return visible_text(element)


def _common_ancestor(heading: etree._Element, element: etree._Element) -> etree._Element:
    """The lowest element holding both (they are in one document, neither inside the other)."""
    above = set(element.iterancestors())
    return next(ancestor for ancestor in heading.iterancestors() if ancestor in above)


def _excluded(block: etree._Element, top: etree._Element) -> bool:
    """Whether the block, or an element between it and ``top``, is not lead material by tag or name."""
    node: etree._Element | None = block
    while node is not None and node is not top:
        if node.tag in _NOT_LEAD_TAGS:
            return True
        names = f"{node.get('class') or ''} {node.get('id') or ''} {node.get('itemprop') or ''}"
        names = _CAMEL.sub(r"\1-\2", _MODIFIER.sub("", names))
        if names.strip() and _NOT_LEAD.search(names):
            return True
        node = node.getparent()
    return False


def _reads_as_lead(text: str) -> bool:
    """Long enough, in words, and no byline or dateline ("By Jo Roe, 4 May 2023", "12.03.2021 | 3 min")."""
    return len(text) >= MIN_LEAD_CHARS and len(text.split()) >= MIN_WORDS and not is_dateline(text)


def _is_leaf(block: etree._Element) -> bool:
    """Whether no child of the block is a block of its own (a paragraph, a list, a ``<div>``…)."""
    return not any(child.tag in _CONTAINERS for child in block)


def _link_share(block: etree._Element, size: int) -> float:
    linked = sum(len(_plain(link)) for link in block.iter("a"))
    return linked / size if size else 1.0


def _highest_ancestor(element: etree._Element) -> etree._Element | None:
    """``element``'s ancestor ``MAX_LEVELS`` up, or the highest one below ``<body>`` when nearer."""
    found = None
    for level, ancestor in enumerate(element.iterancestors(), 1):
        if level > MAX_LEVELS or ancestor.tag in ("body", "html"):
            break
        found = ancestor
    return found


def _leaf_blocks_between(
    top: etree._Element, heading: etree._Element | None, stop: etree._Element | None, wanted: str = ""
) -> tuple[etree._Element | None, list[etree._Element]]:
    """The last ``<h1>`` in ``top`` before ``stop`` (or ``heading`` when given) and the leaf blocks after it,
    before ``stop`` or the first block whose normalized text starts with ``wanted``, in document order,
    each with text enough for a lead; no blocks when ``wanted`` is never found."""
    blocks: list[etree._Element] = []
    skip: set[etree._Element] = set()
    for node in top.iter(etree.Element):
        if node is stop:
            break
        tag = node.tag
        if tag == "h1" and (heading is None or node is heading):
            heading, blocks = node, []
            skip = set(node.iter())
            continue
        if heading is None or tag not in _BLOCK_TAGS or node in skip or not _is_leaf(node):
            continue
        skip.update(node.iter())
        text = "".join(node.itertext())
        if wanted and normalized(text).startswith(wanted):
            return heading, blocks
        if len(text) >= PREFIX_CHARS:
            blocks.append(node)
    return heading, [] if wanted else blocks


def lead_blocks(element: etree._Element, first_text: str = "", inside: bool = False) -> list[etree._Element]:
    """The lead blocks after the article's title heading and before its body, in document order.

    ``element`` is the body container. The title heading is the nearest ``<h1>`` before it, in an
    element at most ``MAX_LEVELS`` above it. With ``inside``, the heading may also be the first ``<h1>``
    inside ``element`` (a body read from it, not the element itself): the body then starts at the block
    whose normalized text starts with ``first_text`` (the body's first paragraph), and without it there
    is no lead. [] when no title heading is near."""
    heading = element.find(".//h1")
    if heading is not None:
        if not inside or not first_text:
            return []
        found, blocks = _leaf_blocks_between(element, heading, None, first_text[:PREFIX_CHARS])
        top = element
    else:
        highest = _highest_ancestor(element)
        if highest is None:
            return []
        found, blocks = _leaf_blocks_between(highest, None, element)
        if found is None:
            return []
        top = _common_ancestor(found, element)
    lead: list[etree._Element] = []
    total = 0
    for block in blocks:
        text = _plain(block)
        if (
            not _reads_as_lead(text)
            or _excluded(block, top)
            or _link_share(block, len(text)) > MAX_LINK_SHARE
        ):
            continue
        lead.append(block)
        total += len(text)
        if len(lead) > MAX_BLOCKS or total > MAX_CHARS:
            return []
    return lead


def prepend_lead(fragment: etree._Element, element: etree._Element, inside: bool = False) -> None:
    """Put the lead of ``element`` (the page's body container; see ``lead_blocks``) before the text of
    ``fragment`` (the body as read from it), as paragraphs, unless the fragment already holds it.
    ``inside``: ``fragment`` is not a copy of ``element`` but what an extractor kept of it, so a lead
    after a title heading inside ``element`` may be missing from it; it goes before the first paragraph."""
    first = next((p for p in fragment.iter("p") if "".join(p.itertext()).strip()), None) if inside else None
    first_text = normalized("".join(first.itertext())) if first is not None else ""
    blocks = lead_blocks(element, first_text, inside)
    if not blocks:
        return
    found = normalized("".join(fragment.itertext()))
    blocks = [block for block in blocks if normalized(_plain(block)) not in found]
    parent, at = (
        (first.getparent(), first.getparent().index(first)) if inside and first is not None else (fragment, 0)
    )
    for block in reversed(blocks):
        paragraph = fragment.makeelement("p", {})
        paragraph.text = _plain(block)
        if at == 0:
            paragraph.tail, parent.text = parent.text, None
        parent.insert(at, paragraph)

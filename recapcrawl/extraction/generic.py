"""The generic body: trafilatura finds the main content of markup no profile knows.

Trafilatura (precision-favouring, comments off, tables on) returns its own XML tree of the
main content; ``main_content`` renames that tree's tags to plain HTML (``head`` → ``h2``,
``list``/``item`` → ``ul``/``li``, ``quote`` → ``blockquote``, …) so the same splitter that reads
a profile's body reads it too.
"""

from __future__ import annotations

import logging

from lxml import etree
from trafilatura import bare_extraction
from trafilatura.settings import Extractor

from .text import normalized

_OPTIONS = Extractor(output_format="xml", precision=True, comments=False, tables=True)
_FAST = Extractor(output_format="xml", precision=True, comments=False, tables=True, fast=True)
# Below this many characters, trafilatura's own extractor may have missed the article: its full run
# also compares readability's and jusText's results. Above it, that comparison keeps what it found
# (same benchmark F1 to three decimals), so the fast run is enough and three times quicker.
FAST_ENOUGH = 1500
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


def drop_title_heading(fragment: etree._Element, title: str | None) -> None:
    """Remove a heading that only repeats the page title before the text starts."""
    if not title:
        return
    wanted = normalized(title)
    for element in fragment.iter("h1", "h2", "h3", "p"):
        if element.tag == "p":
            if normalized("".join(element.itertext())):
                return
            continue
        if normalized("".join(element.itertext())) == wanted:
            _drop(element)
        return


def _extract(root: etree._Element, options: Extractor) -> etree._Element | None:
    try:
        document = bare_extraction(root, options=options)
    except (ValueError, TypeError, AttributeError, IndexError, RecursionError):
        return None
    if document is None or document.body is None or not len(document.body):
        return None
    return document.body


def _drop_texts(fragment: etree._Element, texts: set[str]) -> None:
    """Remove the fragment's paragraphs whose text is one of ``texts`` (reader comments it took in)."""
    for element in list(fragment.iter("p", "li", "blockquote")):
        if element.getparent() is not None and normalized("".join(element.itertext())) in texts:
            _drop(element)


def main_content(
    root: etree._Element, title: str | None = None, exclude: set[str] = frozenset()
) -> etree._Element | None:
    """The page's main content as an HTML ``<div>``, or None when trafilatura finds none.

    trafilatura runs fast first (its own extractor only), then in full when that found little.
    Paragraphs whose normalized text is in ``exclude`` (the page's comments) are left out.
    """
    body = _extract(root, _FAST)
    if body is None or sum(len(t) for t in body.itertext()) < FAST_ENOUGH:
        full = _extract(root, _OPTIONS)
        body = full if full is not None else body
    if body is None:
        return None
    fragment = _to_html(body)
    drop_title_heading(fragment, title)
    if exclude:
        _drop_texts(fragment, exclude)
    return fragment if "".join(fragment.itertext()).strip() else None

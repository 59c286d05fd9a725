"""Small text helpers shared by the extraction modules."""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


def clean(text: str | None) -> str:
    """Collapse every run of white space to one space and trim; None becomes ''."""
    if not text:
        return ""
    # str.split() splits at exactly the characters re's \s matches, and is several times faster than re.sub;
    # ASCII text has no zero-width characters to take out.
    return " ".join((text if text.isascii() else _ZERO_WIDTH.sub("", text)).split())


def clean_lines(text: str) -> str:
    """Like ``clean`` but keeps line breaks: spaces collapsed per line, blank runs to one blank line."""
    text = _ZERO_WIDTH.sub("", text)
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def normalized(text: str) -> str:
    """Casefolded NFKC text for comparisons (× becomes x, curly stays curly)."""
    return unicodedata.normalize("NFKC", clean(text)).casefold()


# Elements whose text is a block of its own: a line break before and after each keeps the last word of one
# block from running into the first of the next ("Arkwright" and "Juno" of two paragraphs).
_BLOCKS = frozenset(
    ("p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "br",
     "hr", "tr", "td", "th", "caption", "figcaption", "figure", "section", "article", "aside", "header",
     "footer", "pre", "table", "details", "summary")
)  # fmt: skip


def block_text(element) -> str:
    """All text inside an lxml element, in document order, with a line break around each block element
    (``text_of`` with the blocks kept apart); comments and processing instructions give only their tails."""
    if not isinstance(element.tag, str):
        return ""  # a comment or processing instruction itself
    parts: list[str] = []
    append = parts.append
    for event, node in etree.iterwalk(element, events=("start", "end", "comment", "pi")):
        if event == "start":
            if node.tag.lower() in _BLOCKS:
                append("\n")
            if node.text:
                append(node.text)
        elif event == "end":
            if node.tag.lower() in _BLOCKS:
                append("\n")
            if node is not element and node.tail:
                append(node.tail)
        elif node is not element and node.tail:  # a comment or processing instruction: its tail only
            append(node.tail)
    return "".join(parts)

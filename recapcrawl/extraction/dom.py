"""Parsing HTML into an lxml tree and turning elements back into text."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)


class NotHTML(ValueError):
    """Raised when a body cannot be read as an HTML document."""


def parse_html(html: str | bytes, encoding: str | None = None) -> etree._Element:
    """Parse a document into an lxml tree; bytes are decoded from ``encoding`` or the meta charset.

    Raises ``NotHTML`` for empty or binary bodies and documents without an element tree.
    """
    if isinstance(html, bytes):
        html = decode_body(html, encoding)
    if not html or not html.strip():
        raise NotHTML("empty body")
    if "\x00" in html[:2048]:
        raise NotHTML("binary content (NUL bytes)")
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise NotHTML(f"unparseable HTML: {exc}") from exc
    if root is None:
        raise NotHTML("no document element")
    return root


def decode_body(body: bytes, encoding: str | None = None) -> str:
    """Decode bytes: BOM first, then the declared encoding, then a meta charset, else UTF-8 (replacing)."""
    for bom, name in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace")
    candidates = [encoding] if encoding else []
    match = _META_CHARSET.search(body[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore"))
    for name in candidates:
        try:
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")


def has_class(element: etree._Element, *names: str) -> bool:
    """Whether the element's class attribute contains any of ``names`` as a whole word."""
    classes = (element.get("class") or "").split()
    return any(name in classes for name in names)


def tag_of(element) -> str:
    """The lower-case tag name, or '' for comments and processing instructions."""
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def text_of(element: etree._Element) -> str:
    """All text inside an element, as lxml reads it (no white-space clean-up)."""
    return "".join(element.itertext())

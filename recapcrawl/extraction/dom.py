"""Parsing HTML into an lxml tree and turning elements back into text."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import lxml.html
from lxml import etree

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)


class NotHTML(ValueError):
    """Raised when a body cannot be read as an HTML document."""


_ALL_ATTRIBUTE_VALUES = etree.XPath("str:concat(//@*)", namespaces={"str": "http://exslt.org/strings"})


class Page:
    """A parsed page, for paths that skip the tree walk when the page cannot match them.

    ``selectors.Path`` called with a ``Page`` first checks that one of the literals it looks for
    (class names, ids, URLs, attribute values) occurs among the page's attribute values, all
    concatenated once (a quarter of the source's size); results are kept, so asking twice costs
    nothing. The tree must not be changed while the ``Page`` is in use.
    """

    __slots__ = ("root", "results", "_seen", "_vocabulary")

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.results: dict[object, list] = {}
        self._seen: dict[str, bool] = {}
        self._vocabulary: str | None = None

    def contains(self, needles: frozenset[str]) -> bool:
        """Whether any of ``needles`` occurs in the page's attribute values."""
        if self._vocabulary is None:
            self._vocabulary = str(_ALL_ATTRIBUTE_VALUES(self.root))
        seen = self._seen
        for needle in needles:
            found = seen.get(needle)
            if found is None:
                found = seen[needle] = needle in self._vocabulary
            if found:
                return True
        return False


@dataclass
class Document:
    """A decoded, parsed page and what was odd about it (charset fixes, truncation)."""

    root: etree._Element
    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)
    truncated: bool = False


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def decode_body(body: bytes, encoding: str | None = None) -> tuple[str, str, list[str]]:
    """Decode a page's bytes; returns (text, encoding used, notes about charset problems).

    Order: a byte-order mark; the declared (header) charset; a ``<meta>`` charset; UTF-8; and
    windows-1252 for bytes that are not UTF-8 at all. Bytes that are mostly UTF-8 with a few
    invalid sequences stay UTF-8, with U+FFFD for the bad bytes.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace"), name, []
    declared = _codec(encoding)
    match = _META_CHARSET.search(body[:4096])
    meta = _codec(match.group(1).decode("ascii", "ignore")) if match else None
    for name in dict.fromkeys(n for n in (declared, meta, "utf-8") if n):
        try:
            text = body.decode(name)
        except UnicodeDecodeError:
            continue
        notes = (
            []
            if name in (declared, meta) or not (declared or meta)
            else [f"declared charset {declared or meta} does not match the bytes; decoded as {name}"]
        )
        return text, name, notes
    said = declared or meta
    if _UTF8_MULTIBYTE.search(body):
        return body.decode("utf-8", errors="replace"), "utf-8", ["invalid UTF-8 bytes replaced with U+FFFD"]
    problem = f"declared charset {said} does not match the bytes" if said else "no charset declared"
    return body.decode("cp1252", errors="replace"), "cp1252", [f"{problem}; decoded as windows-1252"]


def _ends_mid_document(text: str) -> bool:
    tail = text.rstrip()[-4096:].lower()
    return "</html>" not in tail and "</body>" not in tail and not tail.endswith(">")


def read_document(body: bytes, encoding: str | None = None) -> Document:
    """Decode and parse a fetched page. Raises ``NotHTML`` for empty, binary or unparseable bodies."""
    if not body or not body.strip():
        raise NotHTML("empty body")
    if b"\x00" in body[:4096] and not body.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotHTML("binary content (NUL bytes), not HTML")
    text, used, notes = decode_body(body, encoding)
    root = parse_html(text)
    truncated = _ends_mid_document(text)
    if truncated:
        notes.append("truncated HTML: the document ends mid-tag with no </body> or </html>")
    return Document(root=root, text=text, encoding=used, notes=notes, truncated=truncated)


def parse_html(html: str | bytes, encoding: str | None = None) -> etree._Element:
    """Parse a document into an lxml tree; bytes are decoded as ``decode_body`` does.

    Raises ``NotHTML`` for empty or binary bodies, documents nested beyond the parser's depth
    limit (the rest would be silently dropped) and documents without an element tree.
    """
    if isinstance(html, bytes):
        html = decode_body(html, encoding)[0]
    if not html or not html.strip():
        raise NotHTML("empty body")
    if "\x00" in html[:2048]:
        raise NotHTML("binary content (NUL bytes), not HTML")
    # Comments and processing instructions are dropped: nothing reads them, and they split text runs.
    parser = lxml.html.HTMLParser(recover=True, huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise NotHTML(f"unparseable HTML: {exc}") from exc
    if root is None:
        raise NotHTML("no document element")
    for entry in parser.error_log:
        if "Excessive depth" in entry.message or entry.type_name == "ERR_RESOURCE_LIMIT":
            raise NotHTML(f"document nested too deeply to parse completely ({entry.message.strip()})")
    return root


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


def safe_join(base: str, href: str | None) -> str:
    """``urljoin`` that never raises: a malformed href (say an unbalanced ``[`` in its host) gives ''."""
    try:
        return urljoin(base, (href or "").strip())
    except ValueError:
        return ""

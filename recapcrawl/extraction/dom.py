"""Parsing HTML into an lxml tree and turning elements back into text."""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any
from urllib.parse import urljoin

import lxml.html
from bs4.dammit import EncodingDetector, UnicodeDammit
from lxml import etree

# lxml.html's own lookup calls Python for every element proxy created (a tenth of the extraction's time);
# this one is lxml's C default with lxml.html's classes. Form-field classes (InputElement…) are not used.
_HTML_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


class NotHTML(ValueError):
    """Raised when a body cannot be read as an HTML document."""


_XML_SPACE = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space() splits on
_PLAIN = re.compile(r"[!-~ \t\r\n]*")  # printable ASCII: str.split() splits it the same way


class Page:
    """A parsed page, for paths that skip the tree walk when the page cannot match them.

    ``selectors.Path`` called with a ``Page`` first checks that one of the literals it looks for
    (class names, ids, URLs, attribute values) occurs among the page's attribute values (each
    distinct value once, all joined once); results are kept, so asking twice costs nothing. Paths
    that look elements up by class name or id prefix use ``with_class`` and ``with_id_prefix``, an
    index instead of testing every element. The index and the attribute values are gathered in the
    same single pass over the elements, when either is first needed; so are the microdata items
    (``with_itemscope``). The tree must not be changed while the ``Page`` is in use.
    """

    __slots__ = (
        "root",
        "results",
        "_seen",
        "_vocabulary",
        "_classes",
        "_class_text",
        "_class_starts",
        "_ids",
        "_items",
    )

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.results: dict[object, Any] = {}  # cached answers: Path results, document order
        self._seen: dict[str, bool] = {}
        self._vocabulary: str | None = None
        self._classes: list[tuple[etree._Element, str]] | None = None
        self._class_text = ""
        self._class_starts: list[int] = []  # where each class value starts in _class_text
        self._ids: list[tuple[str, etree._Element]] = []
        self._items: list[etree._Element] = []

    def _build(self) -> list[tuple[etree._Element, str]]:
        classes, self._ids, self._items, self._vocabulary = _index(self.root)
        self._classes = classes
        values = [value for _, value in classes]
        self._class_text = "\n".join(values)
        self._class_starts = list(accumulate([len(value) + 1 for value in values[:-1]], initial=0))
        return classes

    def with_class(self, names: tuple[str, ...]) -> list[etree._Element]:
        """Elements whose class attribute has any of ``names`` as a whole word, in document order.

        The names are looked for in all the class values joined (most are on no element of a given
        page); only the elements whose value has one of them are split into words."""
        classes = self._classes if self._classes is not None else self._build()
        text, starts = self._class_text, self._class_starts
        hits: set[int] = set()
        for name in names:
            at = text.find(name)
            while at >= 0:
                hits.add(bisect_right(starts, at) - 1)
                at = text.find(name, at + 1)
        if not hits:
            return []
        wanted = set(names)
        return [classes[i][0] for i in sorted(hits) if not wanted.isdisjoint(_split(classes[i][1]))]

    def with_class_matching(self, rough: re.Pattern, exact: re.Pattern) -> list[etree._Element]:
        """Elements whose class value ``exact`` finds something in, in document order; ``rough`` is run once
        over all the class values joined (a cheap pre-filter that must match wherever ``exact`` does)."""
        classes = self._classes if self._classes is not None else self._build()
        starts = self._class_starts
        found = dict.fromkeys(bisect_right(starts, m.start()) - 1 for m in rough.finditer(self._class_text))
        return [classes[i][0] for i in found if exact.search(classes[i][1])]

    def with_id_matching(self, pattern: re.Pattern) -> list[etree._Element]:
        """Elements whose id ``pattern`` finds something in, in document order."""
        if self._classes is None:
            self._build()
        return [element for value, element in self._ids if pattern.search(value)]

    def with_id_prefix(self, prefixes: tuple[str, ...]) -> list[etree._Element]:
        """Elements whose id starts with any of ``prefixes``, in document order."""
        if self._classes is None:
            self._build()
        return [element for value, element in self._ids if value.startswith(prefixes)]

    def with_itemscope(self) -> list[etree._Element]:
        """Elements with an ``itemscope`` attribute (microdata items), in document order."""
        if self._classes is None:
            self._build()
        return self._items

    def contains(self, needles: frozenset[str]) -> bool:
        """Whether any of ``needles`` occurs in the page's attribute values."""
        if self._vocabulary is None:
            self._build()
        vocabulary, seen = self._vocabulary or "", self._seen
        for needle in needles:
            found = seen.get(needle)
            if found is None:
                found = seen[needle] = needle in vocabulary
            if found:
                return True
        return False


def _split(value: str) -> list[str]:
    """A class attribute's words as XPath's ``normalize-space()`` splits them (with '' when not plain)."""
    return value.split() if _PLAIN.fullmatch(value) else _XML_SPACE.split(value)


def _index(
    root: etree._Element,
) -> tuple[list[tuple[etree._Element, str]], list[tuple[str, etree._Element]], list[etree._Element], str]:
    """One pass over the document's elements: every (element, class attribute), every (id, element) and
    every element with ``itemscope``, all in document order, and the vocabulary: every distinct
    attribute value in document order (as ``//@*`` gives them; a third shorter than all of them on
    news pages, and the same needles occur in it), joined by newlines."""
    classes: list[tuple[etree._Element, str]] = []
    ids: list[tuple[str, etree._Element]] = []
    items: list[etree._Element] = []
    values: list[str] = []
    for element in root.getroottree().getroot().iter(etree.Element):
        for name, value in element.items():  # one call per element: cheaper than values() and get()s
            values.append(value)
            if name == "class":
                classes.append((element, value))
            elif name == "id":
                ids.append((value, element))
            elif name == "itemscope":
                items.append(element)
    return classes, ids, items, "\n".join(dict.fromkeys(values))


@dataclass
class Document:
    """A decoded, parsed page and what was odd about it (charset fixes, truncation)."""

    root: etree._Element
    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)
    truncated: bool = False


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_SOFT_HYPHEN = re.compile(r"\xad|&shy;|&#173;|&#x[aA][dD];")
_SOFT_HYPHEN_BYTES = re.compile(rb"\xc2\xad|&shy;|&#173;|&#x[aA][dD];")
# The entity forms alone: one scan that stops at each "&" (twice as fast as a search per form).
_SOFT_HYPHEN_ENTITY = re.compile(r"&(?:shy|#173|#x[aA][dD]);")
_SOFT_HYPHEN_ENTITY_BYTES = re.compile(rb"&(?:shy|#173|#x[aA][dD]);")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_LOOKS_LIKE_MARKUP = re.compile(rb"<(?:!doctype|html|head|body|meta|title|div|p|article)\b", re.I)


# Charsets a server names by default (Apache's, PHP's) whatever the page's bytes are: one byte per character.
_SINGLE_BYTE = {"ascii"} | {f"iso8859-{n}" for n in range(1, 17)} | {f"cp{n}" for n in range(1250, 1259)}


def _is_multibyte_utf8(body: bytes) -> bool:
    """Whether the bytes are valid UTF-8 with at least one multibyte sequence (no single-byte text is)."""
    if not _UTF8_MULTIBYTE.search(body):
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def decode_body(body: bytes, encoding: str | None = None) -> tuple[str, str, list[str]]:
    """Decode a page's bytes; returns (text, encoding used, notes about charset problems).

    beautifulsoup4's ``UnicodeDammit`` does the work: a byte-order mark wins; then the candidates in
    order — the declared (header) charset, the page's own declaration (``<meta charset>``,
    ``http-equiv``, an XML declaration, as ``EncodingDetector`` finds it), UTF-8 — and past them its
    character-set detection (windows-1252 comes before it when nearly all bytes are ASCII: detectors
    misjudge a few accented letters). One policy of ours sits on top: a single-byte header charset (a server
    default) gives way to ``<meta charset=utf-8>`` when the bytes are valid UTF-8 with multibyte
    sequences, and bytes that are mostly UTF-8 with a few invalid sequences stay UTF-8 (U+FFFD for
    the bad bytes) rather than becoming a detector's guess. Every departure from what the page
    declared is noted.
    """
    data, bom = EncodingDetector.strip_byte_order_mark(body)
    if bom:
        return data.decode(bom, errors="replace"), _codec(bom) or bom, []
    declared = _codec(encoding)
    inner = _codec(EncodingDetector.find_declared_encoding(body, is_html=True))
    if declared in _SINGLE_BYTE and inner == "utf-8" and _is_multibyte_utf8(body):
        note = f"header charset {declared} contradicts <meta charset=utf-8> and the UTF-8 bytes"
        return body.decode("utf-8"), "utf-8", [f"{note}; decoded as utf-8"]
    candidates = list(dict.fromkeys(n for n in (declared, inner, "utf-8") if n))
    said = declared or inner
    for name in candidates:  # what UnicodeDammit tries first, without building it for every page
        try:
            text = body.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        wrong = said and name not in (declared, inner)
        note = f"declared charset {said} does not match the bytes; decoded as {name}"
        return text, name, [note] if wrong else []
    if _mostly_ascii(body):  # a Western page: detection guesses wrong on a few accented letters
        candidates.append("cp1252")
    dammit = UnicodeDammit(body, known_definite_encodings=candidates, is_html=True)
    used = _codec(dammit.original_encoding) or "utf-8"
    if used in candidates and not dammit.contains_replacement_characters:
        wrong = said and used not in (declared, inner)
        notes = [f"declared charset {said} does not match the bytes; decoded as {used}"] if wrong else []
        # bs4 types unicode_markup as Optional; it is set once one of the candidates decoded the bytes.
        return dammit.unicode_markup, used, notes  # type: ignore[return-value]
    if _UTF8_MULTIBYTE.search(body):
        return body.decode("utf-8", errors="replace"), "utf-8", ["invalid UTF-8 bytes replaced with U+FFFD"]
    problem = f"declared charset {said} does not match the bytes" if said else "no charset declared"
    text = dammit.unicode_markup if dammit.unicode_markup is not None else body.decode("cp1252", "replace")
    return text, used, [f"{problem}; decoded as {used} (detected)"]


def _mostly_ascii(body: bytes) -> bool:
    """Whether under 3 % of the bytes are non-ASCII (text in a Latin alphabet with some accents)."""
    sample = body[:262144]
    return len(sample) - len(sample.translate(None, _HIGH_BYTES)) < 0.03 * len(sample)


_HIGH_BYTES = bytes(range(128, 256))


def _without_nul_bytes(body: bytes) -> tuple[bytes, list[str]]:
    """The body with NUL bytes dealt with: UTF-16 without a byte-order mark decoded by its byte
    pattern, stray NULs in markup dropped. Raises ``NotHTML`` for binary content."""
    head = body[:4096]
    if b"\x00" not in head or body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return body, []
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) > 0.4 * len(head) / 2 and min(even, odd) < 0.05 * len(head) / 2:
        name = "utf-16-le" if odd > even else "utf-16-be"
        text = body.decode(name, errors="replace")
        note = f"UTF-16 without a byte-order mark; decoded as {name}"
        return b"\xef\xbb\xbf" + text.encode("utf-8"), [note]
    stripped = body.replace(b"\x00", b"")
    if _LOOKS_LIKE_MARKUP.search(stripped[:4096]):
        return stripped, [f"{len(body) - len(stripped)} NUL bytes removed"]
    raise NotHTML("binary content (NUL bytes), not HTML")


def _ends_mid_document(text: str) -> bool:
    tail = text.rstrip()[-4096:].lower()
    return "</html>" not in tail and "</body>" not in tail and not tail.endswith(">")


def read_document(body: bytes, encoding: str | None = None) -> Document:
    """Decode and parse a fetched page. Raises ``NotHTML`` for empty, binary or unparseable bodies."""
    if not body or not body.strip():
        raise NotHTML("empty body")
    body, nul_notes = _without_nul_bytes(body)
    text, used, notes = decode_body(body, encoding)
    notes = nul_notes + notes
    root = _parse(text, _as_utf8(body, text, used))
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
        html, _ = _without_nul_bytes(html)
        text, used, _ = decode_body(html, encoding)
        return _parse(text, _as_utf8(html, text, used))
    return _parse(html)


def _as_utf8(body: bytes, text: str, used: str) -> bytes | None:
    """The bytes themselves when they are exactly ``text`` in UTF-8 (libxml2 reads them faster than a
    ``str``, to the same tree); None otherwise. A document opening with an XML declaration is parsed
    as text without it (its encoding was read when decoding)."""
    if used != "utf-8" or "\ufffd" in text or text.startswith("<?xml"):
        return None
    return body[3:] if body.startswith(b"\xef\xbb\xbf") else body


def _has_soft_hyphens(text: str, utf8: bytes | None) -> bool:
    """Whether the document has soft hyphens (as characters or entities); bytes are searched faster."""
    if utf8 is not None:  # a lone 0xAD byte is found by memchr; most pages have none
        return (b"\xad" in utf8 and b"\xc2\xad" in utf8) or _SOFT_HYPHEN_ENTITY_BYTES.search(utf8) is not None
    return "\xad" in text or _SOFT_HYPHEN_ENTITY.search(text) is not None


def _parse(text: str, utf8: bytes | None = None) -> etree._Element:
    """The tree of ``text`` (parsed from ``utf8``, the same document's UTF-8 bytes, when given)."""
    if not text or not text.strip():
        raise NotHTML("empty body")
    if utf8 is None and "\x00" in text:  # (UTF-8 bytes given: their NULs are gone already)
        text = text.replace("\x00", "")  # NULs in a decoded document: a browser drops them too
    if _has_soft_hyphens(text, utf8):
        # invisible: "Mit&shy;tel&shy;al&shy;ter" reads "Mittelalter", and is searched for so
        if utf8 is not None:
            utf8 = _SOFT_HYPHEN_BYTES.sub(b"", utf8)
        else:
            text = _SOFT_HYPHEN.sub("", text)
    declaration = _XML_DECLARATION.match(text)
    if declaration:  # XHTML: libxml2 refuses a str that declares its own encoding
        text, utf8 = text[declaration.end() :], None
    # Comments and processing instructions are dropped: nothing reads them, and they split text runs.
    # Nothing looks elements up by id through libxml2 (XPath's id(), get_element_by_id), so its id table
    # is not built.
    parser = lxml.html.HTMLParser(
        recover=True,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
        encoding="utf-8" if utf8 is not None else None,
    )
    parser.set_element_class_lookup(_HTML_CLASSES)
    try:
        root = lxml.html.document_fromstring(utf8 if utf8 is not None else text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise NotHTML(f"unparseable HTML: {exc}") from exc
    if root is None:
        raise NotHTML("no document element")
    if root.find("body") is None:
        _body_from_head(root)
    for entry in parser.error_log:
        if "Excessive depth" in entry.message or entry.type_name == "ERR_RESOURCE_LIMIT":
            raise NotHTML(f"document nested too deeply to parse completely ({entry.message.strip()})")
    return root


_HEAD_TAGS = frozenset(("title", "meta", "link", "script", "style", "base", "noscript", "template"))


def _body_from_head(root: etree._Element) -> None:
    """Give a page without ``<body>`` tags the body a browser gives it: libxml2 leaves elements it does
    not know (``<main>``, ``<article>``…) and everything after them in ``<head>``."""
    head = root.find("head")
    if head is None:
        return
    first = next((c for c in head if isinstance(c.tag, str) and c.tag not in _HEAD_TAGS), None)
    if first is None:
        return
    body = etree.SubElement(root, "body")
    moving = [first, *first.itersiblings()]
    for element in moving:
        body.append(element)


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

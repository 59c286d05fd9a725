"""Split an article body into headings, paragraphs, bullets and quotes.

The body container is found with lxml (a platform profile's path, or trafilatura's main content
for unknown markup); a cleaned copy of it (or an HTML fragment, read by lxml's HTML parser) is
walked. Paragraphs are ``<p>``
blocks or runs of bare text separated by block elements or a double ``<br>`` (Blogger style). Lists,
block quotes, pull quotes, figures and data tables are not paragraphs; ``Body.text`` has every
part, tables' rows included, in document order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Set
from dataclasses import dataclass, field, replace

from lxml import etree

from ..models import Bullet, Heading, Paragraph, Quote
from .quotes import (
    SpeakerContext,
    attributions,
    evidence_of,
    find_quote_spans,
    heading_line_speaker,
    title_like,
)
from .speakers import TurnBlock, turns_across_blocks
from .text import clean

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LISTS = {"ul", "ol"}
SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "form",
    "nav",
    "aside",
    "iframe",
    "svg",
    "button",
    "select",
    "input",
    "textarea",
    "figcaption",
    "img",
    "picture",
    "video",
    "audio",
    "object",
    "embed",
    "canvas",
    "caption",
    "link",
    "meta",
    "head",
    "header",
    "footer",
}
BLOCKS = {
    "div",
    "section",
    "article",
    "main",
    "figure",
    "center",
    "details",
    "summary",
    "dl",
    "dd",
    "dt",
    "address",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
}
_BLOCK_CONTENT = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote"]
PULLQUOTE_CLASSES = {
    "wp-block-pullquote",
    "pullquote",
    "pull-quote",
    "td_quote_box",
    "wp-block-pullquote__citation",
}
# A paragraph that is only an ad label or a gallery counter is not article text.
_LABEL = re.compile(
    r"^(?:advert(?:isement)?s?|ad|sponsored(?: content)?|"
    r"(?:story )?continues? (?:reading )?below(?: advertisement)?|scroll to continue(?: with content)?|"
    r"\d+ of \d+|\d+ / \d+)$",
    re.I,
)
# A "see also" line: a label alone ("Related stories", "Mehr zum Thema") or a label, a separator and a linked
# headline of at most SEE_ALSO_CHARS characters ("Read more: …", "[Related: …]", "Lesen Sie auch: …").
_SEE_ALSO = re.compile(
    r"[\[(]?\s*(?:related(?: (?:posts?|stories|story|articles?|coverage|content|reading|links?|news))?"
    r"|(?:read|see) (?:more|also)|also read|more on this(?: story| topic)?|further reading"
    r"|recommended(?: reading| for you)?|lesen sie (?:auch|mehr|hier)|mehr (?:zum thema|dazu)"
    r"|auch interessant|siehe auch|zum thema|passend (?:dazu|zum thema)|weiterlesen"
    r"|das könnte (?:sie|dich) auch interessieren|auch lesen|zum weiterlesen|schon gelesen\?"
    r"|you (?:may|might) also like|(?:à )?lire aussi|leggi anche|lee también|lea también|leia também"
    r"|(?:le|te) puede interesar|seguir leyendo|ver también)"
    r"(?:\s+(?:on|auf|sur|su|en|bei)\s+[\w.-]+\.[a-z]{2,})?"
    r"(?:\s*(?:[:>»|]+|[–—-])\s*(?P<rest>.*))?",
    re.I,
)
SEE_ALSO_CHARS = 200
# A call to subscribe of at most CALL_CHARS characters ("Get the latest updates right in your inbox. Subscribe
# to …'s newsletters.", "Zum Newsletter anmelden", "Like this story? Share it with a friend!").
_CALL_TO_ACTION = re.compile(
    r"^(?:subscribe (?:now |today )?to|get the latest|never miss|like this (?:story|article)\?|sign up:"
    r"|jetzt (?:abonnieren|anmelden)|abonnieren sie|zum newsletter)"
    r"|\bsign(?:ing)? up\b.{0,80}\bnewsletters?\b|\bnewsletters?\b.{0,80}\b(?:inbox|abonnieren|anmelden)\b"
    r"|\b(?:abonnieren|anmelden)\b.{0,60}\bnewsletters?\b",
    re.I,
)
CALL_CHARS = 300
_CALL_STARTS = (
    "subscribe",
    "get the latest",
    "never miss",
    "like this",
    "sign up:",
    "jetzt ",
    "abonnieren sie",
)
# A photo credit or copyright line of at most PHOTO_CREDIT_CHARS characters: "Foto: Jo Roe", "© Jo Roe/Getty
# Images", "Titelbild: …/picture-alliance".
_PHOTO_CREDIT = re.compile(
    r"(?:©|\(c\)\s|(?:fotos?|photos?|bild(?:er|quelle)?|images?|titelbild|(?:image|photo) credit)\s*:)"
    r"\s*\S.*",
    re.I,
)
PHOTO_CREDIT_CHARS = 100
# A reading time: "Lesezeit: 3 Minuten", "Tempo de leitura: 1 minuto", "4 min read".
_READING_TIME = re.compile(
    r"(?:(?:estimated )?reading time|lesezeit|lesedauer|tempo de leitura|tiempo de lectura|temps de lecture"
    r"|tempo di lettura)\s*:?\s*(?:ca\.\s*)?\d+\s*\w{1,8}\.?"
    r"|\d+\s*(?:min(?:ute)?s?|minuten?)\.?\s*"
    r"(?:read|lesezeit|lesen|de lectura|de leitura|di lettura|de lecture)",
    re.I,
)
_SEE_ALSO_FIRST = frozenset("[(rsamflzpwdàyltv")
# A credit or contact line at the end of an article, not its text: "Jo Roe contributed to this report.",
# "(Reporting by …; Editing by …)", "Write to Jo Roe at jo@…", "Follow us on Twitter @…". Only the last
# CREDIT_BLOCKS blocks are read, and lines of at most CREDIT_CHARS characters.
_CREDIT = re.compile(
    r".{0,160}\bcontributed (?:to (?:this|the) (?:report|story|article)|reporting)\b.{0,80}"
    r"|\(?(?:additional )?reporting by\b.*"
    r"|(?:write to|e-?mail|reach|contact)\b.{0,80}?\bat\s+(?:\S+@|@|https?://).*"
    r"|.{0,120}\bmay be reached at\b.*"
    r"|(?:follow\b.{0,80}?\b(?:on|at) (?:twitter|facebook|instagram|youtube|https?://)\S*.{0,100})",
    re.I,
)
CREDIT_BLOCKS = 3
CREDIT_CHARS = 300
_CITE_SPLIT = re.compile(r"\s*[,–—(]\s*")
# A pull quote's last paragraph that only credits it ("— Ada Penrose, on the finale"): its cite, when the
# markup has no <cite>, <figcaption> or <footer>.
_DASH_CREDIT = re.compile(r"^(?:[—–―]|--?)\s*\S.{0,80}$")
# A cite that names a role as the page writes it as a name: "The Cartographer", "— the Duchess of Marrow",
# "— the Cartographer, who should frankly be running this kingdom"
_CITED_ROLE = re.compile(r"[Tt]he (?P<noun>[A-Z][a-z]+)(?:\s+of\s+[A-Z][\w’'-]+)?\s*(?:$|[,(])")
_MARK_PAIRS = {"“": "”", "„": "“", "«": "»", "»": "«", '"': '"', "‘": "’", "‚": "‘", "「": "」"}


def _see_also(text: str) -> bool:
    """Whether a paragraph or heading is a "see also" line (``_SEE_ALSO``), not article text."""
    if len(text) > SEE_ALSO_CHARS + 100 or text[:1].casefold() not in _SEE_ALSO_FIRST:
        return False  # (most paragraphs: the regular expression tries every label)
    match = _SEE_ALSO.fullmatch(text)
    return match is not None and len(match.group("rest") or "") <= SEE_ALSO_CHARS


def _call_to_action(text: str) -> bool:
    """Whether a paragraph is a call to subscribe (``_CALL_TO_ACTION``): every such call names a newsletter or
    starts with one of ``_CALL_STARTS`` (checked first: searching every paragraph costs)."""
    if len(text) > CALL_CHARS:
        return False
    folded = text.casefold()
    if "newsletter" not in folded and not folded.startswith(_CALL_STARTS):
        return False
    return _CALL_TO_ACTION.search(text) is not None


def _unwrapped(text: str) -> str:
    """A pull quote's text without the quote marks around all of it (“…” set in a blockquote is the same
    quote as … alone); kept when the marks open and close more than one quotation ("“A,” and “B”")."""
    close = _MARK_PAIRS.get(text[:1])
    if close is None or len(text) < 3 or not text.endswith(close):
        return text
    inner = text[1:-1]
    if close in inner or (text[0] != close and text[0] in inner):
        return text
    return inner.strip()


@dataclass
class Body:
    """What the splitter found in one body, in document order."""

    headings: list[Heading] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    bullets: list[Bullet] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)  # every part's text, in document order

    @property
    def text(self) -> str:
        """The body as plain text: headings, paragraphs, list items and block quotes, blank-line separated."""
        return "\n\n".join(self.blocks)


# Text inside these is not the page's prose (a script, a style sheet, ruby annotations): left out of
# an element's text, as beautifulsoup4's ``get_text`` left it out.
_NOT_PROSE = {"script", "style", "template", "rt", "rp"}
_ASCII_SPACE = re.compile(r"[ \n\t\f\r]+")
_DOUBLE_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*$")


def _classes(element: etree._Element | None) -> set[str]:
    return set((element.get("class") or "").split()) if element is not None else set()


def _is_element(node: etree._Element) -> bool:
    return isinstance(node.tag, str)


def _strings(element: etree._Element, skip: set | frozenset = frozenset()) -> list[str]:
    """The runs of text inside an element, in order, without those inside ``skip`` or script-like
    elements (iterative: a deep tree must not exhaust the stack)."""
    pieces = [element.text] if element.text and element.tag not in _NOT_PROSE else []
    stack: list[Iterator[etree._Element]] = [iter(element)]
    tails: list[str | None] = [None]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            tail = tails.pop()
            if tail:
                pieces.append(tail)
        elif _is_element(child) and child.tag not in _NOT_PROSE and child not in skip:
            if child.text:
                pieces.append(child.text)
            stack.append(iter(child))
            tails.append(child.tail)
        elif child.tail:
            pieces.append(child.tail)
    return pieces


def _text(element: etree._Element, separator: str = "", skip: set | frozenset = frozenset()) -> str:
    return separator.join(_strings(element, skip))


def _inside(element: etree._Element, ancestor: etree._Element | None) -> bool:
    return ancestor is not None and any(a is ancestor for a in element.iterancestors())


_PERSON = re.compile(r"(?:[A-Z][\w’'.\-]*)(?:\s+(?:[A-Z][\w’'.\-]*|de|da|van|von|der|la|le|del|di)){0,3}")


def _speaker_from_cite(cite: str | None, excluded: Set[str] = frozenset()) -> str | None:
    """The person a pull quote's cite names (``— Ada Penrose, “The Fog Bell”`` → Ada Penrose), or None
    when the cite is not a person's name (an episode title, a publication, a sentence)."""
    if not cite:
        return None
    name = _CITE_SPLIT.split(cite.lstrip("—–-―~ "), maxsplit=1)[0]
    name = clean(re.split(r"\s+(?:to|in|on|about|from|at)\s+", clean(name), maxsplit=1)[0])
    if (
        not name
        or not _PERSON.fullmatch(name)
        or name.split()[0] in ("The", "A", "An")
        or name.casefold() in excluded
    ):
        return None
    return name


class _Splitter:
    def __init__(self, context: SpeakerContext) -> None:
        self.body = Body()
        self.section: str | None = None
        self.list_count = 0
        self.buffer: list[str] = []
        self.context = context
        self.heading_line: int | None = None  # a heading that is one quoted line, speaker unknown (its index)
        # paragraphs and list items in order, for dialogue that takes turns across them (None: a break,
        # such as a heading or a block quote; see ``turns_across_blocks``)
        self.turn_blocks: list[TurnBlock | None] = []

    # ---------------------------------------------------------------- emitters
    def _inline_quotes(self, text: str, source: str) -> None:
        spans = find_quote_spans(text)
        if source == "heading":
            self.turn_blocks.append(None)
        if not spans:
            self.context.see(text)
            if source != "heading":
                self.turn_blocks.append(TurnBlock(text, [], len(self.body.quotes), [], -1))
            return
        trace = self.context.trace
        traced = len(trace) if trace is not None else -1
        found = attributions(text, spans, self.context)
        if source != "heading":
            rules = [rule for _, rule in found]
            self.turn_blocks.append(TurnBlock(text, spans, len(self.body.quotes), rules, traced))
        for span, (speaker, rule) in zip(spans, found, strict=True):
            self.body.quotes.append(
                Quote(
                    text=span.text,
                    kind="inline",
                    source=source,
                    speaker=speaker,
                    section=self.section,
                    speaker_evidence=evidence_of(rule),
                )
            )

    def flush(self) -> None:
        text = clean("".join(self.buffer))
        self.buffer = []
        if (
            text
            and not _LABEL.match(text)
            and not _see_also(text)
            and not _call_to_action(text)
            and not (len(text) <= PHOTO_CREDIT_CHARS and _PHOTO_CREDIT.fullmatch(text))
            and not _READING_TIME.fullmatch(text)
        ):
            self.body.paragraphs.append(Paragraph(text=text, section=self.section))
            self.body.blocks.append(text)
            self._inline_quotes(text, "paragraph")
            if self.heading_line is not None:
                self._credit_heading_line(text)
        if text:
            self.heading_line = None

    def _credit_heading_line(self, paragraph: str) -> None:
        """The speaker of a heading's quoted line, where the paragraph below says whose it is."""
        speaker = heading_line_speaker(paragraph, self.context)
        if speaker and self.heading_line is not None:
            quote = self.body.quotes[self.heading_line]
            self.body.quotes[self.heading_line] = replace(
                quote, speaker=speaker, speaker_evidence=evidence_of("heading_line")
            )

    def heading(self, tag: etree._Element) -> None:
        self.flush()
        text = clean(_text(tag))
        if not text or _see_also(text):
            return
        self.body.headings.append(Heading(level=int(tag.tag[1]), text=text))
        self.body.blocks.append(text)
        self.section = text
        before = len(self.body.quotes)
        self._inline_quotes(text, "heading")
        self.heading_line = None
        quote = self.body.quotes[-1] if len(self.body.quotes) == before + 1 else None
        if quote and not quote.speaker and not title_like(quote.text):
            self.heading_line = before  # a heading that quotes one line ("“I don’t do boats”"), not a title

    def block_quote(self, tag: etree._Element, kind: str) -> None:
        self.flush()
        cite_tag = next(tag.iterdescendants("cite", "figcaption", "footer"), None)
        cite = clean(_text(cite_tag)) if cite_tag is not None else None
        skip = {cite_tag} if cite_tag is not None else set()
        paragraphs = [p for p in tag.iterdescendants("p") if not _inside(p, cite_tag)]
        if (
            cite_tag is None
            and len(paragraphs) > 1
            and _DASH_CREDIT.match(credit := clean(_text(paragraphs[-1])))
        ):
            cite_tag, cite = paragraphs.pop(), credit
            skip = {cite_tag}
        parts = [clean(_text(p)) for p in paragraphs] or [clean(_text(tag, skip=skip))]
        if paragraphs:  # text outside the paragraphs (an embedded post's byline) is part of the quote too
            parts.append(clean(_text(tag, skip=skip | set(paragraphs))))
        text = _unwrapped("\n\n".join(p for p in parts if p))
        if not text:
            return
        self.turn_blocks.append(None)
        self.context.see(text)
        self.body.blocks.append(text)
        if cite:
            self.body.blocks.append(cite)
        speaker = self._cited_speaker(cite)
        self.body.quotes.append(
            Quote(
                text=text,
                kind=kind,
                source="quote",
                speaker=speaker,
                cite=cite or None,
                section=self.section,
                speaker_evidence=evidence_of("cite") if speaker else None,
            )
        )

    def _cited_speaker(self, cite: str | None) -> str | None:
        """The person a cite names, by the short name the recap uses most for them (a role the page writes
        as a name, ``— the Duchess of Marrow``, as the description: ``the Duchess``)."""
        described = _CITED_ROLE.match(cite.lstrip("—–-―~ ")) if cite else None
        if described and described.group("noun") in self.context.described:
            return self.context.described_as(described.group("noun"))
        name = _speaker_from_cite(cite, self.context.excluded)
        return (self.context.cast.key(name) or name) if name else None

    def list_(self, tag: etree._Element, depth: int, parent: str | None, index: int | None = None) -> None:
        self.flush()
        self.heading_line = None  # (a heading's line is credited only by the paragraph right below it)
        if index is None:
            index = self.list_count
            self.list_count += 1
        for item in tag:
            if item.tag != "li":
                continue
            nested = [
                child for child in item.iterdescendants(*LISTS) if next(child.iterancestors("li")) is item
            ]
            text = clean("".join(self._own_text(item)))
            if text:
                self.body.bullets.append(
                    Bullet(
                        text=text,
                        list=index,
                        ordered=tag.tag == "ol",
                        depth=depth,
                        heading=self.section,
                        parent=parent,
                    )
                )
                self.body.blocks.append(text)
                self._inline_quotes(text, "bullet")
            for child in nested:
                self.list_(child, depth + 1, text or parent, index)

    def table(self, tag: etree._Element, classes: set[str]) -> None:
        """A layout table is walked like any block; a data table's rows go to the text, not paragraphs."""
        self.flush()
        self.turn_blocks.append(None)
        if "tr-caption-container" in classes:  # Blogger's image-with-caption box
            return
        if next(tag.iterdescendants(*_BLOCK_CONTENT), None) is not None:
            self.walk(tag)
            self.flush()
            return
        for row in tag.iterdescendants("tr"):
            cells = [clean(_text(cell, " ")) for cell in row if cell.tag in ("td", "th")]
            text = " ".join(cell for cell in cells if cell)
            if text:
                self.body.blocks.append(text)

    def _own_text(self, node: etree._Element) -> Iterator[str]:
        if node.text:
            yield node.text
        for child in node:
            if _is_element(child) and child.tag not in LISTS and child.tag not in SKIP:
                if child.tag == "br":
                    yield " "
                else:
                    yield from self._own_text(child)
            if child.tail:
                yield child.tail

    # ---------------------------------------------------------------- walking
    def _data(self, text: str) -> None:
        """A run of text; one of white space only counts as one space or newline (as bs4 read it)."""
        if not _ASCII_SPACE.fullmatch(text):
            self.buffer.append(text)
        else:
            self.buffer.append("\n" if "\n" in text else " ")

    def walk(self, node: etree._Element) -> None:
        if node.text:
            self._data(node.text)
        for child in node:
            if _is_element(child):
                self.element(child)
            if child.tail:
                self._data(child.tail)
        # a trailing run of text is flushed by the caller

    def element(self, child: etree._Element) -> None:
        name = child.tag
        classes = _classes(child)
        if name in SKIP or "wp-caption-text" in classes or "screen-reader-text" in classes:
            if (name == "figcaption" or "wp-caption-text" in classes) and _quotes_lines(child):
                self.flush()  # a caption that quotes a line someone speaks: recap text ("… in 20 GIFs")
                self.walk(child)
                self.flush()
            elif name in ("figcaption", "header", "footer"):
                self.flush()
        elif name == "table":
            self.table(child, classes)
        elif name == "br":
            self.buffer.append("\n")
            if _DOUBLE_BREAK.search("".join(self.buffer[-3:])):
                self.flush()
        elif name in HEADINGS:
            self.heading(child)
        elif name == "p":
            self.flush()
            self.walk(child)
            self.flush()
        elif name in LISTS:
            self.list_(child, 0, None)
        elif name == "blockquote":
            kind = (
                "pullquote" if (classes | _classes(child.getparent())) & PULLQUOTE_CLASSES else "blockquote"
            )
            self.block_quote(child, kind)
        elif name == "q":
            self.buffer.append("“" + _text(child) + "”")
        elif name == "hr":
            self.flush()
        elif name == "pre":
            self.flush()
            self.buffer.append(_text(child))
            self.flush()
        elif name in BLOCKS or name == "li":
            self.flush()
            self.walk(child)
            self.flush()
        else:
            self.walk(child)  # inline element: its text joins the running paragraph


# The end of a line of speech inside its quote marks ("You're late, Kowalczyk." / "Sit," she says): a title or
# a scare-quoted phrase in a photo caption has none.
_SPOKEN_END = re.compile(r"[.!?…,—–-]$")


def _quotes_lines(caption: etree._Element) -> bool:
    """Whether a figure caption quotes a line of speech (two words or more, ending as speech ends inside its
    marks), as the captions of an episode told in pictures do; a photo's caption (a credit, a title in quotes)
    does not."""
    spans = find_quote_spans(_text(caption))
    return any(len(span.text.split()) >= 2 and _SPOKEN_END.search(span.text) for span in spans)


def _drop_credits(body: Body) -> None:
    """Remove the credit and contact paragraphs (``_CREDIT``) among the last ``CREDIT_BLOCKS`` blocks."""
    for index in range(len(body.paragraphs) - 1, max(len(body.paragraphs) - CREDIT_BLOCKS, 0) - 1, -1):
        text = body.paragraphs[index].text
        if len(text) > CREDIT_CHARS or not _CREDIT.fullmatch(text):
            continue
        last = body.blocks[-CREDIT_BLOCKS:]
        if text in last:
            del body.paragraphs[index]
            del body.blocks[len(body.blocks) - len(last) + last.index(text)]


def _parse_fragment(fragment_html: str) -> etree._Element:
    """The fragment's ``<body>`` as lxml's HTML parser reads it when fed (as beautifulsoup4 had it read;
    comments kept as nodes, which the walk skips). White space the page kept is kept."""
    parser = etree.HTMLParser(recover=True)
    try:
        parser.feed(fragment_html)
        root = parser.close()
    except etree.XMLSyntaxError:  # nothing to parse (an empty fragment)
        root = None
    body = root.find("body") if root is not None else None
    if body is not None:
        return body
    wrapper = etree.Element("div")  # no body (a fragment of head elements only): walk the whole document
    if root is not None:
        wrapper.append(root)
    return wrapper


def split_body(fragment: str | etree._Element, context: SpeakerContext | None = None) -> Body:
    """Split one article body (an HTML fragment, or an element of our own: it is moved into a ``<body>``
    of its own) into its parts, in document order."""
    splitter = _Splitter(context or SpeakerContext())
    if isinstance(fragment, str):
        root = _parse_fragment(fragment)
    else:
        root = etree.Element("body")
        root.append(fragment)
    splitter.walk(root)
    splitter.flush()
    _drop_credits(splitter.body)
    turns_across_blocks(splitter.turn_blocks, splitter.body.quotes, splitter.context)
    return splitter.body

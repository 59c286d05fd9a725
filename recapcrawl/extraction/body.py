"""Split an article body into headings, paragraphs, bullets and quotes (beautifulsoup4).

The body container is found with lxml (a platform profile's path, or trafilatura's main content
for unknown markup); only that fragment is handed to BeautifulSoup. Paragraphs are ``<p>`` blocks
or runs of bare text separated by block elements or a double ``<br>`` (Blogger style). Lists,
block quotes, pull quotes, figures and data tables are not paragraphs; ``Body.text`` has every
part, tables' rows included, in document order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment as HtmlComment

from ..models import Bullet, Heading, Paragraph, Quote
from .quotes import SpeakerContext, attribute_speakers, find_quote_spans
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
_CITE_SPLIT = re.compile(r"\s*[,–—(]\s*")


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


def _classes(tag: Tag) -> set[str]:
    value = tag.get("class") or []
    return set(value if isinstance(value, list) else value.split())


_PERSON = re.compile(r"(?:[A-Z][\w’'.\-]*)(?:\s+(?:[A-Z][\w’'.\-]*|de|da|van|von|der|la|le|del|di)){0,3}")


def _speaker_from_cite(cite: str | None, excluded: set[str] = frozenset()) -> str | None:
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

    # ---------------------------------------------------------------- emitters
    def _inline_quotes(self, text: str, source: str) -> None:
        spans = find_quote_spans(text)
        if not spans:
            self.context.see(text)
            return
        speakers = attribute_speakers(text, spans, self.context)
        for span, speaker in zip(spans, speakers, strict=True):
            self.body.quotes.append(
                Quote(text=span.text, kind="inline", source=source, speaker=speaker, section=self.section)
            )

    def flush(self) -> None:
        text = clean("".join(self.buffer))
        self.buffer = []
        if text and not _LABEL.match(text):
            self.body.paragraphs.append(Paragraph(text=text, section=self.section))
            self.body.blocks.append(text)
            self._inline_quotes(text, "paragraph")

    def heading(self, tag: Tag) -> None:
        self.flush()
        text = clean(tag.get_text(" "))
        text = clean(tag.get_text())
        if not text:
            return
        self.body.headings.append(Heading(level=int(tag.name[1]), text=text))
        self.body.blocks.append(text)
        self.section = text
        self._inline_quotes(text, "heading")

    def block_quote(self, tag: Tag, kind: str) -> None:
        self.flush()
        cite_tag = tag.find(["cite", "figcaption", "footer"])
        cite = clean(cite_tag.get_text()) if cite_tag else None
        if cite_tag:
            cite_tag.extract()
        paragraphs = tag.find_all("p")
        parts = [clean(p.get_text()) for p in paragraphs] or [clean(tag.get_text())]
        if paragraphs:  # text outside the paragraphs (an embedded post's byline) is part of the quote too
            for p in paragraphs:
                p.extract()
            parts.append(clean(tag.get_text()))
        text = "\n\n".join(p for p in parts if p)
        if not text:
            return
        self.context.see(text)
        self.body.blocks.append(text)
        if cite:
            self.body.blocks.append(cite)
        self.body.quotes.append(
            Quote(
                text=text,
                kind=kind,
                source="quote",
                speaker=_speaker_from_cite(cite, self.context.excluded),
                cite=cite or None,
                section=self.section,
            )
        )

    def list_(self, tag: Tag, depth: int, parent: str | None, index: int | None = None) -> None:
        self.flush()
        if index is None:
            index = self.list_count
            self.list_count += 1
        for item in tag.find_all("li", recursive=False):
            nested = [child for child in item.find_all(LISTS) if child.find_parent("li") is item]
            own = "".join(self._own_text(item))
            text = clean(own)
            if text:
                self.body.bullets.append(
                    Bullet(
                        text=text,
                        list=index,
                        ordered=tag.name == "ol",
                        depth=depth,
                        heading=self.section,
                        parent=parent,
                    )
                )
                self.body.blocks.append(text)
                self._inline_quotes(text, "bullet")
            for child in nested:
                self.list_(child, depth + 1, text or parent, index)

    def table(self, tag: Tag, classes: set[str]) -> None:
        """A layout table is walked like any block; a data table's rows go to the text, not paragraphs."""
        self.flush()
        if "tr-caption-container" in classes:  # Blogger's image-with-caption box
            return
        if tag.find(_BLOCK_CONTENT) is not None:
            self.walk(tag)
            self.flush()
            return
        for row in tag.find_all("tr"):
            cells = [clean(cell.get_text(" ")) for cell in row.find_all(["td", "th"], recursive=False)]
            text = " ".join(cell for cell in cells if cell)
            if text:
                self.body.blocks.append(text)

    def _own_text(self, node: Tag):
        for child in node.children:
            if isinstance(child, HtmlComment):
                continue
            if isinstance(child, NavigableString):
                yield str(child)
            elif isinstance(child, Tag) and child.name not in LISTS and child.name not in SKIP:
                if child.name == "br":
                    yield " "
                else:
                    yield from self._own_text(child)

    # ---------------------------------------------------------------- walking
    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, HtmlComment):
                continue
            if isinstance(child, NavigableString):
                self.buffer.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            classes = _classes(child)
            if name in SKIP or "wp-caption-text" in classes or "screen-reader-text" in classes:
                if name in ("figcaption", "header", "footer"):
                    self.flush()
                continue
            if name == "table":
                self.table(child, classes)
                continue
            if name == "br":
                self.buffer.append("\n")
                if self._double_break():
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
                parent_classes = _classes(child.parent) if isinstance(child.parent, Tag) else set()
                kind = "pullquote" if (classes | parent_classes) & PULLQUOTE_CLASSES else "blockquote"
                self.block_quote(child, kind)
            elif name == "q":
                self.buffer.append("“" + child.get_text() + "”")
            elif name == "hr":
                self.flush()
            elif name == "pre":
                self.flush()
                self.buffer.append(child.get_text())
                self.flush()
            elif name in BLOCKS or name == "li":
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)  # inline element: its text joins the running paragraph
        # a trailing run of text is flushed by the caller

    def _double_break(self) -> bool:
        tail = "".join(self.buffer[-3:])
        return bool(re.search(r"\n[ \t\u00a0]*\n\s*$", tail))


def split_body(fragment_html: str, context: SpeakerContext | None = None) -> Body:
    """Split one article body (an HTML fragment) into its parts, in document order."""
    soup = BeautifulSoup(fragment_html, "lxml")
    splitter = _Splitter(context or SpeakerContext())
    root = soup.body or soup
    splitter.walk(root)
    splitter.flush()
    return splitter.body

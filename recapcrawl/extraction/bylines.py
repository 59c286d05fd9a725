"""Bylines: who wrote a page, read from visible markup, structured data and meta tags, normalised.

Sources, in order of trust: the visible byline (``rel=author``, ``.byline``, ``.author``…,
``[itemprop=author]``, a "By …"/"Von …" line next to the title), the article's structured data
author (JSON-LD or microdata; a person, never the publisher), and meta tags (``author``,
``article:author``, parsely, ``dc.creator``…). Every source's text is normalised by
``clean_byline``: no "By"/"Von", roles, dates, "| Site", e-mail addresses or URLs. A name that
is only the site's own name, a domain or an admin account is *weak*: it is the answer only when no
source names anyone else. Several authors from one source are joined with "; "; a byline written
as one line keeps its own separators ("A and B").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from .dom import Page
from .text import clean

# ---------------------------------------------------------------- visible markup
# Elements that say they hold a byline: by class or id (any case of "author", "byline", "autor"…), by
# rel or itemprop, or by tag.
_BYLINE_CLASS = re.compile(
    r"uthor|(?<![a-z])[aA]utor|yline|auteur|wrote_by|written-by|posted-by|submitted-by"
)
# The same, rougher but faster (no look-behind, alternatives that start with rarer letters, "by" for the
# "…-by" words): run over every class value of the page.
_BYLINE_CLASS_ROUGH = re.compile(r"u(?:th?or|teur)|yline|by")
_BYLINE_ID = re.compile(r"author|byline")
_BYLINE_ATTRIBUTES = etree.XPath("//@rel[. = 'author']/.. | //@itemprop[. = 'author']/..")  # the fastest way
_BYLINE_TAGS = ("byline", "author")
# Where a byline-looking element is something else: inside a comment, a form, a menu, a share bar, or
# hidden (tested on the element and its ancestors).
_NOT_BYLINE_TAGS = {"form", "nav", "button", "select", "textarea"}
_NOT_BYLINE_CLASS = re.compile(
    r"comment|Comment|respond|(?:^|\s)(?:avatar|share|social)|(?:^|\s)(?:is-)?hidden(?:\s|$)"
)
_HIDDEN_STYLE = re.compile(r"display:\s*none")
# A box naming the post's own authors ("post-authors", "md-post__authors", "article-authors").
_POST_AUTHORS = re.compile(r"(?:post|article|entry)[-_]+authors(?![\w-])")
_SKIPPED_TAGS = {"script", "style", "noscript", "svg", "img", "input", "button", "time", "select", "template"}
_BLOCK_TAGS = {
    "br",
    "div",
    "p",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dd",
    "dt",
    "section",
    "figure",
}
_CONTAINER_TAGS = frozenset(_BLOCK_TAGS - {"br"})  # a child of one of these makes a container
_NO_TEXT_TAGS = {"link", "meta", "img", "input", "svg", "symbol", "use", "picture", "source", "textarea"}
_ITEMPROP_NAME = etree.XPath(".//*[@itemprop='name']")
# The page's title element, the anchor a byline is looked for next to.
# Elements after the title's container that may hold a "By …" line (a few, short).
_NEAR_TITLE_STEPS = 60
# A byline element with more text than this is an author box or a teaser, not a byline.
_MAX_ELEMENT_TEXT = 200

# ---------------------------------------------------------------- normalisation tables
_LABELS = (
    # en
    "written by", "posted by", "published by", "story by", "words by", "text by", "reported by",
    "contributed by", "authored by", "by", "authors?", "author\\(s\\)", "posted on", "published on", "posted",
    "published", "veröffentlicht am", "veröffentlicht", "geschrieben am", "erstellt von", "eingestellt von",
    # de
    "geschrieben von", "verfasst von", "veröffentlicht von", "ein beitrag von", "beitrag von",
    "ein gastbeitrag von", "gastbeitrag von", "ein kommentar von", "kommentar von", "artikel von",
    "eine analyse von", "ein interview von", "text von", "text", "autor\\*?:?innen", "autor\\*?:?in",
    "autorin", "autoren", "autor", "von", "interview", "redaktion(?=\\s*:)", "recherche",
    # fr, es, pt, it, nl, scandinavian
    "propos recueillis par", "écrit par", "publié par", "auteurs?", "par", "escrito por", "publicado por",
    "escribe", "por", "scritto da", "a cura di", "autore", "geschreven door", "door", "skrevet af",
    "skrivet av",
)  # fmt: skip
_LABEL = re.compile(rf"^(?:{'|'.join(_LABELS)})(?:\s*[:：]\s*|\s+|(?-i:(?=[A-ZÀ-Þ])))", re.I)
_ONLY_LABEL = re.compile(rf"(?:{'|'.join(_LABELS)})\s*[:：]?", re.I)
# Any short prefix that ends in a colon ("Responsible editor: Jane Roe", "责任编辑：…").
_COLON_PREFIX = re.compile(r"^[^\s:：]+(?:\s[^\s:：]+)?\s*[:：]\s*(?=\S)")
# An author archive link's text: "View all of Jane Roe's posts", "Alle Beiträge von Jane Roe anzeigen".
_VIEW_ALL = re.compile(
    r"^(?:view|see|show|zeige|alles|alle|all|more|mehr)\b.{0,30}?\b(?:of|by|from|von)\s+(.+?)(?:['’]s)?"
    r"(?:\s+(?:posts|articles|beiträge|artikel))?(?:\s+anzeigen)?\s*[→»›.]?$",
    re.I,
)
# Credits of a photo or video, not the article's byline.
_MEDIA_CREDIT = re.compile(
    r"^(?:video|videos|foto|fotos|photo|photos|bild|bilder|image|images|grafik|illustration|illustrated|quelle"
    r"|source|übersetzt|übersetzung|translated|translation|traduit|traducción|edited|bearbeitet|lektorat)\b",
    re.I,
)
# Lines of a byline element that continue it ("Jane Roe" / "and" / "John Doe").
_JOINER_END = re.compile(r"(?:[,;&/]|\b(?:and|und|et|y|by|von|par|door|por))\s*$", re.I)
_JOINER_START = re.compile(r"^(?:[,;&/]|(?:and|und|et|y)\b)", re.I)
# A label in the middle of a meta line ("Datum: 1.2.2021 Autor: Jane Roe Quelle: X").
_MID_LABEL = re.compile(r"(?:^|\s)(?:autor(?:in|en)?|author|auteur|verfasser(?:in)?)\s*:\s*", re.I)
# What starts the next field of a meta line: cut there, before the spaces in front of it. The words all start
# at a word boundary, tested once per position (not once per word: the search is several times faster).
_NEXT_FIELD = re.compile(
    r"\||·|•|»|«|►|▪|\s[-–—]\s|\b(?:quelle\s*:|source\s*:|datum\s*:|date\s*:|foto\s*:|bild\s*:|photos?\s*:"
    r"|stand\s*:|published\b|updated\b|posted on\b|veröffentlicht\b|aktualisiert\b|zuletzt\b|lesezeit\b"
    r"|reading time\b|min(?:ute)?s? read\b|share\b|teilen\b|follow\b|folgen\b|kommentare?\b|comments?\b"
    r"|publicado\b|publié\b|mis à jour\b|actualizado\b|alle artikel\b|mehr von\b|more from\b|view all\b"
    r"|kontakt\b|contact\b|symbolbild\b|imago\b|weitere beiträge\b|alle beiträge\b|\d+\s+(?:posts?"
    r"|beiträge|artikel|articles?)\b)",
    re.I,
)
_MONTHS = (
    "jan(?:uary|uar|vier|\\.)?|feb(?:ruary|ruar|\\.)?|févr(?:ier)?|mar(?:ch|\\.)?|märz|mars|apr(?:il|\\.)?"
    "|avril|may|mai|juni?|june|juin|juli?|july|juil(?:let)?|aug(?:ust|\\.)?|août|sep(?:t(?:ember|embre)?)?\\.?"
    "|o[ck]t(?:ober|obre)?\\.?|nov(?:ember|embre)?\\.?|de[cz](?:ember|embre)?\\.?|déc(?:embre)?"
    "|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
)
_WEEKDAYS = (
    "mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag"
    "|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
)
_DATE = re.compile(
    rf"(?:\b(?:{_WEEKDAYS})\b,?\s*)?(?:\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}"
    rf"|\d{{1,2}}\.?\s*(?:de\s+)?(?:{_MONTHS})\b(?:\s*,?\s*(?:de\s+)?\d{{4}})?"
    rf"|\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b,?(?:\s*\d{{4}})?|\b(?:{_MONTHS})\s+\d{{4}}"
    r"|\b\d{1,2}:\d{2}(?:\s*(?:am|pm|uhr|h)\b)?|\b(?:19|20)\d{2}\b|\b\d{1,2}\.\s?\d{1,2}\.(?!\w))",
    re.I,
)
# Every alternative of _DATE has a digit: a text without one is not searched (the search is slow).
_HAS_DIGIT = re.compile(r"\d")
_CONNECTOR = re.compile(
    r"^(?:am|on|um|at|le|el|den|the|in|dem|,|;|:|\.|-|–|—|/|\(|\))$|^(?:posted|published|veröffentlicht)$",
    re.I,
)
_ROLES = (
    "staff writer", "staff reporter", "senior writer", "contributing writer", "contributing editor",
    "senior editor", "editor-in-chief", "editor at large", "managing editor", "editor", "contributor",
    "reporter", "correspondent", "columnist", "journalist", "photographer", "guest author", "guest post",
    "chefredakteur(?:in)?", "redakteur(?:in)?", "redaktionsleiter(?:in)?", "gastautor(?:in)?", "autor(?:in)?",
    "korrespondent(?:in)?", "journalist(?:in)?", "kolumnist(?:in)?", "volontär(?:in)?", "praktikant(?:in)?",
    "freie[rn]? autor(?:in)?", "freie[rn]? journalist(?:in)?", "experte", "expertin", r"\S+-expert(?:e|in)",
    "rédacteur", "rédactrice", "journaliste", "periodista", "redactor(?:a)?", r"\S+-redaktion",
)  # fmt: skip
_ROLE = "|".join(_ROLES)
_LEADING_ROLE = re.compile(rf"^(?:{_ROLE})\b\s*[:,\-–]?\s*(?=\S)", re.I)
_TRAILING_ROLE = re.compile(rf"\s*[,\-–(]?\s*\b(?:{_ROLE})\)?$", re.I)
_PARENTHESIS = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
_EMAIL = re.compile(r"\S+@\S+\.\w+|\[email\s*protected\]", re.I)
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
_HANDLE = re.compile(r"@\w+")
# Separators between several authors written on one line.
_SEPARATOR = re.compile(r"\s*(?:,|;|&|/|\s(?:and|und|et|y|e|en|og|och)\s)\s*", re.I)
_DOMAIN = re.compile(r"\b[\w-]+\.(?:[a-z]{2,3}|info|online|media|news)\b(?:/|$)", re.I)
_COMPANY = re.compile(r"\b(?:gmbh|ag|ltd|inc|llc|corp|s\.a|kg|e\.v)\b\.?", re.I)
# Names no one writes under: placeholders of themes and platforms.
_JUNK = re.compile(
    r"^(?:name\s*\*?|no author|anonym(?:ous)?|follow|share|comments?|kommentare?|by|von|author|autor"
    r"|posts?|view all posts|home|menu|search|suche|read more|weiterlesen|mehr|about|über|publicado|publié"
    r"|pubblicato|min\.?|minuten?|minutes?)$"
    r"|profil|profile\b|facebook|twitter|instagram|linkedin|^(?:folge|follow|zeige|show|view|alle|all)\b",
    re.I,
)
# Account names that stand for the site's software, not a person.
_ADMIN = re.compile(
    r"^(?:(?:wp|wordpress|site|web|blog)?[-_ ]?admin(?:istrator)?\d*|webmaster|root|user\d*)$", re.I
)
_NAME_PARTICLES = {
    "von", "van", "de", "der", "den", "la", "le", "del", "di", "da", "du", "dos", "das", "zu", "ten", "ter",
    "bin", "al", "el", "y", "st.",
}  # fmt: skip
# A form of address or a degree alone ("Dr."), not a name.
_TITLE_ONLY = re.compile(r"(?:dr|prof|mr|mrs|ms|mme|mlle|herr|frau|sir)\.?(?:\s*(?:dr|med|phil)\.?)*", re.I)
# Lower-case words of phrases that never occur in a name.
_PHRASE_WORDS = {
    "the", "of", "for", "with", "is", "are", "was", "has", "this", "that", "über", "bis", "für", "mit", "ist",
    "sind", "auf", "aus", "zum", "zur", "im", "des", "ein", "eine", "nicht", "pour", "avec", "est", "para",
    "con", "les",
}  # fmt: skip
_AGENCY = re.compile(r"^(?:[a-z]{2,5}|[A-Z]{2,5}|red\.?)$")
_WORD = re.compile(r"[^\W\d_][\w.'’\-]*", re.U)


# ---------------------------------------------------------------- text normalisation
def clean_byline(text: str | None) -> str | None:
    """The author name(s) in a byline's text, or None when it names no one.

    "By Jane Roe | 12 May 2021" → "Jane Roe"; "Von Max Muster, Redakteur" → "Max Muster";
    "Jane Roe and John Doe" stays as written.
    """
    if not text:
        return None
    value = _first_lines(html.unescape(text))
    if _MEDIA_CREDIT.match(value):
        return None
    match = _VIEW_ALL.match(value)
    if match:
        value = match.group(1)
    value = _HANDLE.sub(" ", _URL.sub(" ", _EMAIL.sub(" ", value)))
    match = _MID_LABEL.search(value)
    if match and match.start() > 0:
        value = value[match.end() :]
    value = clean(value)
    for _ in range(6):
        before = value
        value = _strip_start(value)
        value = _cut_next_field(value)
        value = _strip_end(value)
        if value == before:
            break
    value = _without_trailing_extras(re.sub(r"\s+([,;])", r"\1", value))
    value = re.sub(r"(?:\s+\d+)+$", "", value)
    return value if is_name(value) else None


def _first_lines(text: str) -> str:
    """The byline's first line, with the lines that continue it (a label line before, "and …" after)."""
    lines = [line for line in (clean(part) for part in text.split("\n")) if line]
    if not lines:
        return ""
    value = lines[0]
    for line in lines[1:]:
        label = not _strip_start(value) or _ONLY_LABEL.fullmatch(value) or value.endswith((":", "："))
        if label or _JOINER_END.search(value) or _JOINER_START.match(line):
            value = f"{value} {line}"
        else:
            break
    return value


def _strip_start(value: str) -> str:
    """Without leading labels ("By", "Von", "Autor:"), dates, roles and punctuation."""
    while True:
        before = value
        value = value.lstrip(" ,;:|-–—·•»/©").strip()
        match = _DATE.match(value) if _HAS_DIGIT.search(value) else None
        if match and match.end() > 0:
            value = value[match.end() :]
            continue
        words = value.split(" ", 1)
        if words and _CONNECTOR.match(words[0]) and len(words) > 1:
            value = words[1]
            continue
        match = _LABEL.match(value) or _COLON_PREFIX.match(value)
        if match and match.end() < len(value):
            value = value[match.end() :]
            continue
        match = _LEADING_ROLE.match(value)
        if match and match.end() < len(value) and not re.fullmatch(rf"(?:{_ROLE})", value, re.I):
            value = value[match.end() :]
            continue
        if value == before:
            return value


def _cut_next_field(value: str) -> str:
    """The text before the first date or the start of another field ("| Site", "Published …")."""
    cut = len(value)
    match = _DATE.search(value) if _HAS_DIGIT.search(value) else None
    if match and 0 < match.start() < cut:
        cut = match.start()
    match = _NEXT_FIELD.search(value)
    if match:
        start = len(value[: match.start()].rstrip())  # the field's start with the spaces before it
        if 0 < start < cut:
            cut = start
    return value[:cut].strip()


def _strip_end(value: str) -> str:
    """Without trailing connectors ("am", "on", ","), roles and a parenthesis."""
    while True:
        before = value
        value = value.rstrip(" ,;:|-–—·•»/").strip()
        words = value.rsplit(" ", 1)
        if len(words) > 1 and _CONNECTOR.match(words[1]):
            value = words[0]
            continue
        for pattern in (_TRAILING_ROLE, _PARENTHESIS):
            stripped = pattern.sub("", value)
            if stripped and stripped != value:
                value = stripped
                break
        if value == before:
            return value


def _without_trailing_extras(value: str) -> str:
    """A person's name without what follows it after a comma: an agency ("dpa"), a domain, a role."""
    parts = value.split(",")
    if len(parts) < 2:
        return value
    head, tail = parts[0].strip(), ",".join(parts[1:]).strip()
    if is_person(head) and (
        _AGENCY.match(tail) or _DOMAIN.search(tail) or re.fullmatch(rf"(?:{_ROLE})", tail, re.I)
    ):
        return head
    return value


def _words(value: str) -> list[str]:
    return value.split()


def is_person(value: str) -> bool:
    """Whether a text reads as one person's name: two to five capitalised words (particles allowed)."""
    words = _words(value)
    if not 2 <= len(words) <= 5:
        return False
    return all(
        w[:1].isupper() or w.lower() in _NAME_PARTICLES or (len(w) <= 3 and w.endswith(".")) for w in words
    ) and all(_WORD.fullmatch(w) for w in words)


def is_name(value: str | None) -> bool:
    """Whether a cleaned byline can be a name (or several): short, lettered, no sentence, no placeholder."""
    if not value or len(value) > 100 or not re.search(r"[^\W\d_]", value):
        return False
    if (
        _JUNK.search(value)
        or (_HAS_DIGIT.search(value) and _DATE.fullmatch(value))
        or _ONLY_LABEL.fullmatch(value)
        or _CONNECTOR.match(value)
    ):
        return False
    if ":" in value or "：" in value or _MEDIA_CREDIT.match(value) or _TITLE_ONLY.fullmatch(value):
        return False
    parts = [p for p in _SEPARATOR.split(value) if p]
    if len(parts) > 8 or any(len(_words(p)) > 7 for p in parts):
        return False
    if re.search(r"[.!?]\s+[a-zäöü]|[!?]|[{}<>=]|https?:", value):
        return False
    if any(w in _PHRASE_WORDS for w in value.split()):
        return False  # a phrase, not a name
    return sum(c.isdigit() for c in value) <= 4


def fold(value: str) -> str:
    """Letters and digits only, case-folded: for comparing a name with a site's name."""
    return re.sub(r"[\W_]+", "", value.casefold())


def is_weak(name: str, site_names: Iterable[str]) -> bool:
    """Whether a name stands for the site rather than a person: an admin account, the site's or its
    publisher's name, a domain, a company."""
    folded = fold(name)
    if _ADMIN.match(name) or _DOMAIN.search(name) or _COMPANY.search(name):
        return True
    if re.fullmatch(rf"(?:{_ROLE})", name, re.I) or re.fullmatch(r"[A-Z]{1,3}", name):
        return True  # a role alone, or initials
    return any(folded and (folded == fold(s)) for s in site_names if s)


def is_handle(name: str) -> bool:
    """Whether a name is an account name ("jane.roe", "jroe_42") rather than a written name."""
    return " " not in name and bool(re.search(r"[._]|\d|^[a-z]+$", name))


# ---------------------------------------------------------------- visible bylines
def visible_text(element: etree._Element) -> str:
    """The element's text on one line (see ``visible_lines``)."""
    return clean(visible_lines(element))


def visible_lines(element: etree._Element) -> str:
    """The element's text without scripts, icons and dates; a block element or ``<br>`` starts a line."""
    pieces: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            pieces.append(node.text)
        for child in node:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag in _BLOCK_TAGS:
                pieces.append("\n")
            if tag and tag not in _SKIPPED_TAGS:
                walk(child)
            if tag in _BLOCK_TAGS:
                pieces.append("\n")
            if child.tail:
                pieces.append(child.tail)

    walk(element)
    joined: list[str] = []
    for piece in pieces:
        if joined and piece and joined[-1] and joined[-1][-1].isalpha() and piece[0].isupper():
            joined.append(" ")  # two elements' words ("Jane Roe" + "Staff Writer")
        joined.append(piece)
    return "".join(joined)


def _name_of_element(element: etree._Element) -> str | None:
    if not isinstance(element.tag, str) or element.tag.lower() in _NO_TEXT_TAGS:
        return None
    named = _ITEMPROP_NAME(element) if element.get("itemprop") == "author" else []
    target = named[0] if named else element
    text = visible_lines(target)
    if not clean(text) and target.tag == "a":
        text = target.get("title") or ""
    if not clean(text) or len(clean(text)) > _MAX_ELEMENT_TEXT or clean(text).endswith((":", "：")):
        return None
    return clean_byline(text)


def _position(element: etree._Element) -> tuple[int, ...]:
    """Where an element is in the document, as its own and its ancestors' places among their siblings
    (sorting by it is document order)."""
    places = []
    node = element
    parent = node.getparent()
    while parent is not None:
        places.append(parent.index(node))
        node, parent = parent, parent.getparent()
    return tuple(reversed(places))


def byline_elements(page: Page | etree._Element) -> list[etree._Element]:
    """Elements whose class, id, rel, itemprop or tag says they hold a byline, in document order.

    On a ``Page`` the classes and ids come from its index (one pass over the values, no tree walk)."""
    if not isinstance(page, Page):
        page = Page(page)
    sources = [
        page.with_class_matching(_BYLINE_CLASS_ROUGH, _BYLINE_CLASS),
        page.with_id_matching(_BYLINE_ID),
        _BYLINE_ATTRIBUTES(page.root) if page.contains(frozenset({"\nauthor\n"})) else [],
        list(page.root.iter(*_BYLINE_TAGS)),
    ]
    sources = [found for found in sources if found]
    unique = list(dict.fromkeys(element for found in sources for element in found))
    if len(sources) > 1:  # each list is in document order; together they need sorting
        unique.sort(key=_position)
    return unique


def _not_byline(node: etree._Element) -> bool:
    """Whether an element is a comment, a form, a menu, a share bar, or hidden (see ``_excluded``)."""
    tag = node.tag.lower() if isinstance(node.tag, str) else ""
    return (
        tag in _NOT_BYLINE_TAGS
        or _NOT_BYLINE_CLASS.search(node.get("class") or "") is not None
        or (node.get("id") or "").startswith("comment")
        or node.get("aria-hidden") == "true"
        or node.get("itemprop") == "comment"
        or "Comment" in (node.get("itemtype") or "")
        or _HIDDEN_STYLE.search(node.get("style") or "") is not None
    )


def _excluded(element: etree._Element, memo: dict[etree._Element, bool]) -> bool:
    """Whether the element or an ancestor is not a byline's place; ``memo`` keeps each answer for the
    next candidates, which share most ancestors."""
    chain = []
    node = element
    result = False
    while node is not None:
        if node in memo:
            result = memo[node]
            break
        chain.append(node)
        if _POST_AUTHORS.search(node.get("class") or ""):
            break  # the post's own authors box: a byline even in a sidebar's navigation
        if _not_byline(node):
            result = True
            break
        node = node.getparent()
    for visited in chain:
        memo[visited] = result
    return result


class _Names:
    """The name each byline element gives, worked out when first asked for (cleaning is the costly part)."""

    def __init__(self) -> None:
        self.found: dict[etree._Element, str | None] = {}

    def __call__(self, element: etree._Element) -> str | None:
        if element not in self.found:
            self.found[element] = _name_of_element(element)
        return self.found[element]


def _candidates(page: Page | etree._Element) -> list[etree._Element]:
    """Byline elements outside comments, forms, menus and share bars, in document order."""
    memo: dict[etree._Element, bool] = {}
    return [element for element in byline_elements(page) if not _excluded(element, memo)]


def _depth_to(element: etree._Element, ancestors: dict[etree._Element, int]) -> int:
    """Levels from the title up to the closest ancestor it shares with ``element``."""
    for node in element.iterancestors():
        if node in ancestors:
            return ancestors[node]
    return len(ancestors) + 1


def _title_element(root: etree._Element, title: str | None = None) -> etree._Element | None:
    """The heading that shows the page's title (``title``), else the article's or the page's first h1."""
    first = in_article = None
    for index, heading in enumerate(root.iter("h1", "h2")):
        if title and index < 12:
            text = fold(visible_text(heading))
            if text and (text == fold(title) or (len(text) > 10 and text in fold(title))):
                return heading
        if heading.tag == "h1":
            first = first if first is not None else heading
            if in_article is None and any(a.tag == "article" for a in heading.iterancestors()):
                in_article = heading
                if not title or index >= 12:
                    break
    return in_article if in_article is not None else first


def _contains(outer: etree._Element, inner: etree._Element) -> bool:
    return any(a is outer for a in inner.iterancestors())


def _pick(
    candidates: list[etree._Element], title: etree._Element | None, name: _Names
) -> tuple[etree._Element, str] | None:
    """The byline closest to the title (fewest levels up to a shared ancestor, then document order);
    an outer element's name is used when it holds its inner bylines' names (a line "A and B")."""
    order = candidates
    if title is not None:
        ancestors = {a: level for level, a in enumerate(title.iterancestors(), start=1)}
        ranked = sorted(enumerate(candidates), key=lambda ic: (_depth_to(ic[1], ancestors), ic[0]))
        order = [element for _, element in ranked]
    best = next((element for element in order if name(element)), None)
    if best is None:
        return None
    inner = [e for e in candidates if e is not best and _contains(best, e) and name(e)]
    if inner and not all(fold(name(e) or "") in fold(name(best) or "") for e in inner):
        best = inner[0]
    return best, name(best) or ""  # every element here has a name


def _group(
    chosen: etree._Element, chosen_name: str, candidates: list[etree._Element], name: _Names
) -> list[tuple[etree._Element, str]]:
    """The chosen byline and the others of its kind next to it (same tag and class, close cousins, no
    heading between): several authors listed one element each."""
    group = [(chosen, chosen_name)]
    key = (chosen.tag, chosen.get("class"), chosen.get("rel"), chosen.get("itemprop"))
    for element in candidates:
        if (
            element is chosen
            or (element.tag, element.get("class"), element.get("rel"), element.get("itemprop")) != key
        ):
            continue
        if _contains(element, chosen) or _contains(chosen, element):
            continue
        shared = next((a for a in chosen.iterancestors() if _contains(a, element)), None)
        if (
            shared is None
            or _levels(chosen, shared) > 4
            or shared.xpath("boolean(.//h1|.//h2|.//h3|.//article)")
        ):
            continue
        other = name(element)
        if not other or fold(other) != fold(visible_text(element)):
            continue  # a labelled line of its own ("Translated by …"), not one more author
        if fold(other) not in {fold(n) for _, n in group}:
            group.append((element, other))
    return group


def _levels(element: etree._Element, ancestor: etree._Element) -> int:
    for level, node in enumerate(element.iterancestors(), start=1):
        if node is ancestor:
            return level
    return 99


_BY_LINE = re.compile(
    r"(?:^|\s)(?:by|von|par|door|por|written by|geschrieben von|text:|autor(?:in|en)?:?|author:|auteur\s?:"
    r"|escribe)\s+\S",
    re.I,
)
_BY_LINE_WORD = re.compile(r"\b(?:by|von|par|door|por|text|autor|author|auteur|escribe)", re.I)
# What may come before a byline's label on its line: a date, "Posted on …".
_BY_LINE_PREFIX = re.compile(r"^(?:(?:posted|published|veröffentlicht|geschrieben)(?:\s+(?:on|am))?)?$", re.I)


def _by_line(text: str) -> str | None:
    """The text from a byline label on, when the line starts with one (after a date, "Posted on")."""
    match = _BY_LINE.search(text)
    if match is None:
        return None
    prefix = text[: match.start()]
    prefix = (_DATE.sub(" ", prefix) if _HAS_DIGIT.search(prefix) else prefix).strip(" ,;:|-–—·•/")
    if prefix and not _BY_LINE_PREFIX.match(prefix):
        return None  # "Powered by …", "Stone by stone"
    return text[match.start() :]


# A line this short that starts with a byline label or holds a date is a byline or a dateline, not prose.
DATELINE_CHARS = 120


def is_dateline(text: str) -> bool:
    """Whether a short line is a byline ("By Jo Roe", "Von …") or holds a date or time ("12.03.2021 9:40")."""
    return len(text) < DATELINE_CHARS and (
        _by_line(text) is not None or (_HAS_DIGIT.search(text) is not None and _DATE.search(text) is not None)
    )


# A line that is only a date or a byline: under DATE_LINE_CHARS characters, at most DATE_LINE_WORDS words left
# once its dates are taken out ("November 20, 2019 - 11:28 AMT", "Monday 18/11/2019, 09:12 Uhr").
DATE_LINE_CHARS = 80
DATE_LINE_WORDS = 2
# A byline's label and name: "By Jo Roe", "Autor: Die Redaktion", not "By the time we got there, …".
BYLINE_WORDS = 3
_WORD = re.compile(r"\w{2,}")


def is_date_line(text: str) -> bool:
    """Whether a line is nothing but a date (and time), or a short byline ("By Jo Roe — May 2, 2019")."""
    if len(text) >= DATE_LINE_CHARS:
        return False
    rest = _DATE.sub(" ", text) if _HAS_DIGIT.search(text) else text
    words = len(_WORD.findall(rest))
    if _by_line(text) is not None:
        return words <= DATE_LINE_WORDS + BYLINE_WORDS
    return rest != text and words <= DATE_LINE_WORDS


def _following(element: etree._Element, limit: int) -> list[etree._Element]:
    """The first ``limit`` elements after ``element`` in document order (XPath's ``following::*``)."""
    found: list[etree._Element] = []
    node = element
    while node is not None and len(found) < limit:
        for sibling in node.itersiblings():
            for descendant in sibling.iter(etree.Element):
                found.append(descendant)
                if len(found) >= limit:
                    return found
        node = node.getparent()
    return found


def _preceding(element: etree._Element) -> list[etree._Element]:
    """The few elements just before ``element`` at its level and its parent's (a byline above the title)."""
    found: list[etree._Element] = []
    for node in (element, element.getparent()):
        if node is not None:
            found += [s for s in node.itersiblings(etree.Element, preceding=True)][:4]
    return found


def _line_near_title(title: etree._Element) -> tuple[etree._Element, str] | None:
    """A short "By …"/"Von …"/"Autor: …" line among the elements just after (or before) the title."""
    for element in (*_following(title, _NEAR_TITLE_STEPS), *_preceding(title)):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIPPED_TAGS or tag in _NO_TEXT_TAGS or len(element) > 8:
            continue
        if any(isinstance(c.tag, str) and c.tag.lower() in _CONTAINER_TAGS for c in element):
            continue  # a container: its lines are looked at one by one
        raw = "".join(element.itertext())
        if len(raw) > 400 or not _BY_LINE_WORD.search(raw):
            continue  # the cheap test first: most elements near a title are no byline
        text = visible_text(element)
        line = _by_line(text) if text and len(text) <= 120 else None
        name = clean_byline(line) if line else None
        if name and name[:1].isupper():
            return element, name
    return None


def visible_byline(
    page: Page | etree._Element,
    root: etree._Element,
    own: Sequence[tuple[etree._Element, str]] = (),
    title_text: str | None = None,
) -> list[tuple[etree._Element, str]]:
    """The visible byline's elements and names: the platform's own (``own``) or the generic ones
    closest to the title (with the others of its kind next to it), else a "By …" line near the title."""
    if own:
        return [own[0]]
    candidates = _candidates(page)
    title = _title_element(root, title_text)
    names = _Names()
    picked = _pick(candidates, title, names) if candidates else None
    if picked:
        return _group(*picked, candidates, names)
    if title is not None:
        found = _line_near_title(title)
        if found:
            return [found]
    return []


# ---------------------------------------------------------------- structured data
_NOT_AUTHORED = {
    "imageobject",
    "videoobject",
    "audioobject",
    "mediaobject",
    "comment",
    "website",
    "organization",
}
_ORGANIZATIONS = re.compile(r"organi[sz]ation|corporation|newsmedia|localbusiness|ngo|governmentorganization")


def _types(value: Any) -> set[str]:
    if not isinstance(value, dict):
        return set()
    kinds = value.get("@type", [])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {str(k).rsplit("/", 1)[-1].lower() for k in kinds}


def _resolve(value: Any, objects: list[dict]) -> Any:
    if isinstance(value, dict) and not value.get("name") and value.get("@id"):
        return next((o for o in objects if o.get("@id") == value["@id"] and o is not value), value)
    return value


def _name_value(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    if isinstance(value, dict):
        value = value.get("@value")
    return value if isinstance(value, str) else None


def structured_authors(objects: list[dict], article: dict | None) -> list[tuple[str, str | None, bool]]:
    """The authors the page's structured data names, as (name, url, is_organization): the article's,
    else another authored work's (a web page, a forum post, a recipe…)."""
    holders = [article] if article else []
    holders += [o for o in objects if o is not article and "author" in o and not (_types(o) & _NOT_AUTHORED)]
    for holder in holders:
        values = holder.get("author") or holder.get("creator")
        values = values if isinstance(values, list) else [values]
        found: list[tuple[str, str | None, bool]] = []
        for value in values:
            value = _resolve(value, objects)
            name: str | None
            if isinstance(value, str):
                name, link, org = value, None, False
            elif isinstance(value, dict):
                name = _name_value(value.get("name"))
                link = value.get("url") if isinstance(value.get("url"), str) else None
                org = any(_ORGANIZATIONS.search(t) for t in _types(value))
            else:
                continue
            if not name or name.strip().startswith(("http://", "https://")):
                continue
            cleaned = clean_byline(name)
            if cleaned:
                found.append((cleaned, link, org))
        if found:
            return found
    return []


def publisher_names(objects: list[dict]) -> list[str]:
    """Names of the publishers and organizations the structured data names (never an author)."""
    names = []
    for obj in objects:
        for value in (obj.get("publisher"),) if "publisher" in obj else ():
            value = _resolve(value, objects)
            if isinstance(value, dict) and _name_value(value.get("name")):
                names.append(_name_value(value["name"]))
        if _types(obj) & {"organization", "newsmediaorganization", "website"} and _name_value(
            obj.get("name")
        ):
            names.append(_name_value(obj["name"]))
    return [n for n in names if n]


# ---------------------------------------------------------------- meta tags
META_AUTHOR_KEYS = (
    "author", "article:author", "og:article:author", "article:author_name", "byl", "parsely-author",
    "sailthru.author", "dc.creator", "dcterms.creator", "dc.creator.name", "shareaholic:article_author_name",
    "citation_author", "cxenseparse:author", "twitter:data1:author",
)  # fmt: skip


def meta_authors(meta_values: dict[str, list[str]]) -> list[str]:
    """The names meta tags give, first key first; a repeated key (``citation_author``) gives a list."""
    for key in META_AUTHOR_KEYS:
        names = []
        for value in meta_values.get(key, []):
            if not value or value.strip().startswith(("http://", "https://", "@")):
                continue
            cleaned = clean_byline(value)
            if cleaned and cleaned not in names:
                names.append(cleaned)
        if names:
            return names
    return []


# ---------------------------------------------------------------- choosing
def site_names(url: str, tags: dict[str, str], objects: list[dict]) -> list[str]:
    """What the site calls itself: og:site_name, application-name, its publishers, its host."""
    host = urlsplit(url).netloc.lower().split(":")[0]
    host = host[4:] if host.startswith("www.") else host
    labels = host.split(".")
    names = [tags.get("og:site_name", ""), tags.get("application-name", ""), host]
    names += [labels[-2]] if len(labels) >= 2 else []
    return [n for n in names + publisher_names(objects) if n]


def choose(
    candidates: list[tuple[list[str], str | None, str]], sites: list[str]
) -> tuple[str | None, str | None]:
    """The first source's names that name someone other than the site (joined with "; "), else the
    first source's names at all; a source is (names, url, label). A written name beats the same
    person's account name from a less trusted source ("jane.roe" against "Jane Roe")."""
    usable = [(names, link, label) for names, link, label in candidates if names]
    if not usable:
        return None, None
    strong = [(n, u, s) for n, u, s in usable if not all(is_weak(x, sites) for x in n)]
    names, link, _ = (strong or usable)[0]
    if len(names) == 1 and " " not in names[0]:  # one word ("Salarios"): a full name elsewhere wins
        fuller = next((n for n, _, _ in strong if n and all(is_person(x) for x in n)), None)
        if fuller and not any(fold(names[0]) in fold(x) for x in fuller):
            names, link = fuller, None
    names = [x for x in names if not is_weak(x, sites)] or names
    if len(names) == 1 and is_handle(names[0]):
        for other, _, _ in strong:
            if len(other) == 1 and " " in other[0] and fold(other[0]) == fold(names[0]):
                names = other
                break
    return "; ".join(dict.fromkeys(names)), link

"""Reader comments: threaded, with author, date and text, and the links to other comment pages.

Comment items and their fields are found with the page's platform profile, then generically:
elements with an id like ``comment-123`` (``li-comment-``, ``div-comment-``, Blogger's ``c123``)
inside a comments area, nested reply lists giving the thread; then schema.org ``Comment`` in
microdata; where those find no comment, the thread is found by its structure (``threads``), and
last schema.org ``Comment`` in JSON-LD. A field the profile's paths miss is read by class words
and, for the text, from the comment's own paragraphs. Comments that a script loads from a third
party (Disqus, Facebook, OpenWeb, …) are not in the HTML: ``comment_pages`` names the provider in
``hosted_by``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from ..models import Comment, CommentPage
from . import selectors as sel
from . import threads
from .dom import Page, safe_join, tag_of
from .metadata import iso_datetime, strip_comment_page
from .profiles import GENERIC, Profile, paths
from .structured import name_of, types_of, url_of
from .text import clean, clean_lines, normalized

_DIGITS = re.compile(r"(\d+)\D*$")
_NOT_TEXT = {"script", "style", "noscript", "form", "button", "svg", "img"}
_NOT_TEXT_CLASSES = {
    "reply",
    "comment-reply-link",
    "comment-edit-link",
    "comment-awaiting-moderation",
    "comment-meta",
    "comment-metadata",
    "comment-author",
    "says",
    "comment-reply",
    "comment-delete",
    "comment-edit",
}
_POST_AUTHOR = {"bypostauthor", "comment-by-node-author"}  # WordPress, Drupal
_YEAR = re.compile(r"\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2}")
_SAYS = re.compile(
    r"\s*(?:says|said|wrote|sagt|sagte|schrieb|schreibt|dijo|dice|escribió|a dit|écrit|ha detto|scrive|zegt|"
    r"schreef|skriver|napisał)\s*(?:\.\.\.|…)?\s*:?\s*$",
    re.I,
)
_BY = re.compile(
    r"^(?:(?:comment|pingback|trackback|kommentar|commentaire)\s+(?:by|von|de|par|di|from|door)|"
    r"by|von|par|por|di|door|av)\s+",
    re.I,
)
_BLOCK = {"p", "div", "blockquote", "ul", "ol", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "section"}
_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
_PAGE_NUMBER = re.compile(r"/comment-page-(\d+)/?$")
_COMMENT_COUNT = re.compile(r"(\d[\d,.]*)\s+(?:comments?|responses?|replies|thoughts?)", re.I)


def comment_id(element: etree._Element) -> str | None:
    """The site's id for a comment element (``comment-30`` → ``30``, Blogger ``c4478`` → ``4478``,
    wpDiscuz ``wpd-comm-30_0`` → ``30``)."""
    key = threads.record_key(element)
    if key is not None:
        return key
    for attribute in ("data-comment-id", "data-commentid", "itemid"):
        found = _DIGITS.search(element.get(attribute) or "")
        if found:
            return found.group(1)
    return None


def _usable(element: etree._Element) -> bool:
    return tag_of(element) not in ("a", "span", "time", "") and not element.xpath("ancestor::form")


def _comment_items(root: etree._Element, profile: Profile) -> list[etree._Element]:
    """Comment elements: the first item path that finds any, outer elements kept when two share an id."""
    for path in paths(profile, "comment_items"):
        items = [e for e in path(root) if _usable(e) and comment_id(e) is not None]
        if items:
            break
    else:
        items = [e for e in sel.MICRODATA_COMMENTS(root) if _usable(e)]
    kept, seen = [], set()
    for element in items:
        key = comment_id(element)
        if key is not None and key in seen:
            continue  # Astra's article#comment-5 inside li#li-comment-5
        if key is not None:
            seen.add(key)
        kept.append(element)
    return kept


def comment_texts(root: Page | etree._Element, profile: Profile = GENERIC) -> set[str]:
    """The normalized text of every paragraph inside the page's comments (to keep them out of a body)."""
    return {
        normalized("".join(p.itertext()))
        for item in _comment_items(root, profile)
        for p in item.iter("p", "li", "blockquote")
    }


def _own(parts: tuple[etree._Element, ...], items: set) -> Callable[[tuple], list]:
    """A finder for descendants that belong to this comment (its element, and the ``<dd>`` parts of a
    ``<dt>`` record), not to its replies."""
    element = parts[0]

    def belongs(node: etree._Element) -> bool:
        parent = node.getparent()
        while parent is not None and parent is not element and parent not in parts:
            if parent in items:
                return False
            parent = parent.getparent()
        return True

    def find(xpaths: tuple) -> list:
        for path in xpaths:
            found = [
                n
                for part in parts
                for n in path(part)
                if belongs(n if isinstance(n, etree._Element) else n.getparent())
            ]
            if found:
                return found
        return []

    return find


def block_text(element: etree._Element, skip: set | frozenset = frozenset()) -> str:
    """Text with paragraph breaks as blank lines and ``<br>`` as a newline; other white space collapsed.
    Elements in ``skip`` are left out (their tails kept)."""
    parts: list[str] = []

    def add(text: str | None) -> None:
        if text:
            parts.append(_WHITESPACE.sub(" ", text))

    def walk(node: etree._Element) -> None:
        tag = tag_of(node)
        if (
            tag in _NOT_TEXT
            or (tag and set((node.get("class") or "").split()) & _NOT_TEXT_CLASSES)
            or node in skip
        ):
            if node is not element:
                add(node.tail)
            return
        if tag == "br":
            parts.append("\n")
        elif tag in _BLOCK:
            parts.append("\n\n")
        if tag:
            add(node.text)
        for child in node:
            walk(child)
        if tag in _BLOCK:
            parts.append("\n\n")
        if node is not element:
            add(node.tail)

    walk(element)
    text = clean_lines("".join(parts))
    return re.sub(r"\n{3,}", "\n\n", text)


def _author(
    find, profile: Profile, own: Callable[[], list], tz: tzinfo
) -> tuple[etree._Element | None, str | None, str | None, bool]:
    """The author element, name and link, and whether a badge beside the name says the comment is the
    post author's: the profile's paths, else by class words or a header's heading (``threads``). The
    name is the element's name part (``threads.name_part``): never its date, Reply link or badge."""

    def shown(element: etree._Element) -> str:
        return threads.name_part(element, lambda text: _is_date(text, tz))[0]

    found = [e for e in find(paths(profile, "comment_author")) if shown(e)]
    element = found[0] if found else threads.fallback_author(own(), shown)
    if element is None:
        element = threads.header_name(own(), shown)
        byline = next(filter(None, map(threads.author_from_text, threads.byline_texts(own()))), None)
        if element is not None and byline not in (None, shown(element)):
            element = None  # the heading is the comment's title: "by Ann" in its meta line names the author
    if element is None:
        return None, None, None, False
    name, link, badge = threads.name_part(element, lambda text: _is_date(text, tz))
    name = _before_date(name, tz)
    bare = _BY.sub("", _SAYS.sub("", name))
    name = bare.strip(" ,:|-–—·•") if bare != name else bare  # separators only beside a removed label
    href = link.get("href") if link is not None else None
    if href and urlsplit(href).scheme not in ("http", "https"):
        href = None
    return element, name or None, href, badge


# Month names of the languages most comment threads are written in, for the date parser (English only).
_MONTHS = {
    "January": "januar janvier enero gennaio januari janeiro jänner",
    "February": "februar février fevrier febrero febbraio februari fevereiro",
    "March": "märz maerz mars marzo maart março",
    "April": "avril abril aprile",
    "May": "mai mayo maggio mei maio",
    "June": "juni juin junio giugno junho",
    "July": "juli juillet julio luglio julho",
    "August": "août aout agosto augustus",
    "September": "septembre septiembre settembre setembro",
    "October": "oktober octobre octubre ottobre okt outubro",
    "November": "novembre noviembre novembro",
    "December": "dezember décembre decembre diciembre dicembre december dezembro",
}
_MONTH_NAMES = {name: english for english, names in _MONTHS.items() for name in names.split()}
_MONTH_WORD = re.compile(
    r"(?<!\w)(" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")(?!\w)", re.I
)


_DAY_FIRST = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?![\d.])")  # 23.05.2019
_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")  # seconds or milliseconds
_SHOW_COMMENT = re.compile(r"[?&]showComment=(\d{13})")  # Blogger's permalinks


def _in_english(text: str) -> str:
    """A date written with another language's month name, with the English one (``März 7`` → ``March 7``),
    and a day-first ``23.05.2019`` written ``2019-05-23``."""
    text = _DAY_FIRST.sub(lambda m: f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d} ", text)
    return _MONTH_WORD.sub(lambda m: _MONTH_NAMES[m.group(1).lower()], text)


# The words of a shown date (after ``_in_english``): months, weekdays, numbers, times, numeric dates,
# zones, and the small words between them ("at", "de", "um", "à", "of"…).
_DATE_CONNECTOR = re.compile(
    r"^(?:at|on|of|the|um|uhr|de|del|a|à|às|as|las|los|alle|om|kl|klo|o|h|min|le|el|il|@|,)$", re.I
)
_DATE_TOKEN = re.compile(
    r"^(?:(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?|"
    r"(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?|"
    r"\d{1,4}(?:st|nd|rd|th|er|º|°)?\.?|[\d./:-]*\d[\d./:-]*(?:[ap]\.?m\.?|z)?|\d{1,2}h(?:\d{2})?|"
    r"\d{4}-\d{2}-\d{2}t[\d:.]+(?:z|[+-][\d:]+)?|[+-]\d{2}:?\d{2}|(?:utc|gmt)(?:[+-]\d{1,2}(?::?\d{2})?)?|"
    r"[ecmp][sd]t|a?ks?t|hst|[bi]st|aest|aedt|nzst|nzdt|cest|cet|eet|eest|wet|msk|jst|kst|[ap]\.?m\.?)$",
    re.I,
)
_TIME = re.compile(r"\d{1,2}[:.h]\d{2}|\d\s*[ap]\.?m\b", re.I)


# A day as well as a year: a month's name or a numeric date (a lone number such as "Reader 5000" is no date).
_DAY_AND_YEAR = re.compile(
    r"(?<![^\W\d_])(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\d{1,4}[./-]\s?\d{1,2}[./-]\s?\d{1,4}",
    re.I,
)


_DATE_SEPARATOR = re.compile(r"^[-–—|·•/]$")


def _date_token(token: str, separators: bool = True) -> bool:
    """Whether a word belongs to a shown date; a lone separator (``·``, ``|``) does unless ``separators``
    is false (then it ends a run of date words)."""
    word = token.strip("()[],;")
    if _DATE_SEPARATOR.match(word):
        return separators
    return not word or bool(_DATE_TOKEN.match(word) or _DATE_CONNECTOR.match(word))


def _date_words(text: str) -> str:
    """The date in a text that mixes it with other words (a name, "Permalink"): the run of date words
    that holds a year (with a time from another run, when it has none), so that no number of a name
    (``user42``, ``Juno 7 · 5 March 2024``) is read as part of the date; a lone separator (``·``, ``|``,
    ``-``) ends a run. A text of date words alone is returned as it is."""
    tokens = text.split()
    dated = [_date_token(t, separators=False) for t in tokens]
    if all(_date_token(t) for t in tokens):
        return text
    runs: list[list[str]] = []
    previous = False
    for token, is_date in zip(tokens, dated, strict=True):
        if is_date:
            if not previous:
                runs.append([])
            runs[-1].append(token)
        previous = is_date
    spans = [" ".join(run) for run in runs]
    with_year = [s for s in spans if _YEAR.search(s) and _DAY_AND_YEAR.search(s)]
    if not with_year:
        return ""
    span = with_year[0]
    if not _TIME.search(span):
        span += "".join(f" {s}" for s in spans if s != span and _TIME.search(s) and not _YEAR.search(s))[:40]
    words = span.split()
    while words and _DATE_CONNECTOR.match(words[0]):
        words.pop(0)
    while words and _DATE_CONNECTOR.match(words[-1].strip("()[],;")):
        words.pop()
    return " ".join(words)


def _date(value: str, tz: tzinfo, shown: bool = True) -> str | None:
    """An ISO 8601 date for a machine value, an epoch, or (``shown``) a date as a page writes it; a
    shown date needs a year, so that the parser does not complete it with today's, and is read from
    its date words alone (``_date_words``)."""
    value = value.strip()
    if _EPOCH.match(value):
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC).isoformat()
    if shown and not _YEAR.search(value):
        return None
    machine = _ISO_START.match(value)  # "2022-05-05 14:04:11Z, License: …" (a title attribute)
    if machine:
        value = machine.group(0).replace(" ", "T")
    elif shown:
        value = _date_words(_in_english(value))
        if not value:
            return None
    return iso_datetime(value, tz)


def _is_date(text: str, tz: tzinfo) -> bool:
    """Whether a short text is a date and nothing else (a part of an author element to leave out)."""
    english = _in_english(text)
    return (
        len(text) <= 60
        and bool(_YEAR.search(text))
        and bool(_DAY_AND_YEAR.search(english))
        and all(_date_token(t) for t in english.split())
        and _date(text, tz) is not None
    )


def _before_date(name: str, tz: tzinfo) -> str:
    """A name without a date written after it in the same text (``Ann Lee, March 4, 2024``)."""
    if not _YEAR.search(name):
        return name
    tokens = name.split()
    for start in range(1, len(tokens)):
        rest = " ".join(tokens[start:])
        if _is_date(rest, tz):
            return " ".join(tokens[:start]).rstrip(" ,:|-–—·•")
    return name


def _published(
    find, tz: tzinfo, profile: Profile, own: Callable[[], list]
) -> tuple[str | None, etree._Element | None]:
    """The date and the element that shows it: the profile's attribute paths, its text paths, date-like
    parts by class words, then the time in a Blogger permalink (``?showComment=<milliseconds>``)."""
    for value in find(paths(profile, "comment_date")):
        when = _date(str(value), tz, shown=False)
        if when:
            return when, value.getparent() if isinstance(value, etree._ElementUnicodeResult) else None
    for element in find(paths(profile, "comment_date_text")):
        when = _date(clean(" ".join(element.itertext())), tz)
        if when:
            return when, element
    for element, value in threads.fallback_date_texts(own()):
        when = _date(value, tz)
        if when:
            return when, element
    for element in own():
        found = _SHOW_COMMENT.search(element.get("href") or "") if tag_of(element) == "a" else None
        if found:
            return _date(found.group(1), tz), element
    return None, None


def _date_in_author(element: etree._Element | None, tz: tzinfo) -> str | None:
    """A date shown inside the author element, in no element of its own (``Ann, March 4, 2024``)."""
    if element is None:
        return None
    text = clean(" ".join(element.itertext()))
    return _date(text, tz) if len(text) <= 160 else None


def _without_byline(text: str) -> str:
    """Loose text without a first line that only names the author (``Ann sagt:``), or is only the label
    left beside the name (``sagt:``)."""
    first, _, rest = text.partition("\n")
    named = threads.author_from_text(first) or _SAYS.match(first)  # or the label alone, the name skipped
    if rest.strip() and len(first) <= 80 and named and re.search(r":\s*$", first):
        return rest.strip()
    return text


def _leading_date(text: str, tz: tzinfo) -> tuple[str | None, str]:
    """A date shown as the text's first line on its own (``März 7, 2018``), and the text without it."""
    first, _, rest = text.partition("\n")
    if len(first) <= 40 and rest.strip() and _YEAR.search(first) and not re.search(r"[.!?]\s*$", first):
        when = _date(first, tz)
        if when:
            return when, rest.strip()
    return None, text


def _author_in_text(elements: list, text: str) -> str | None:
    """A name shown in a byline-like line: the date or meta part's text, else the first line."""
    first_line = block_text(elements[0]).split("\n", 1)[0] if elements else ""
    for value in (*threads.byline_texts(elements), text.split("\n", 1)[0], first_line):
        name = threads.author_from_text(value)
        if name:
            return name
    return None


_SEPARATOR_LINE = re.compile(r"^[\s\-–—·•|:,/]*$")


def _without_separators(text: str) -> str:
    """Text without first and last lines that are only separators (the "–" left before a skipped name)."""
    lines = text.split("\n")
    while lines and _SEPARATOR_LINE.match(lines[0]):
        lines.pop(0)
    while lines and _SEPARATOR_LINE.match(lines[-1]):
        lines.pop()
    return "\n".join(lines)


def _text(find, profile: Profile, own: Callable[[], list], parts: tuple, skip: set, items: set) -> str:
    return _without_separators(_read_text(find, profile, own, parts, skip, items))


def _read_text(find, profile: Profile, own: Callable[[], list], parts: tuple, skip: set, items: set) -> str:
    """The text: the profile's content paths, a text element by class words, else the comment's own
    paragraphs (or, with none, its own text) without author, date, meta parts and replies."""
    content = find(paths(profile, "comment_content"))
    if content:
        text = block_text(content[0], skip - {content[0]})
        if len(text) < 20 and text.endswith(":"):  # "Pingback:" and the linking post, its author
            text = block_text(content[0])
        if text:
            return text
    element, blocks, dropped = threads.fallback_text(own(), skip, items)
    if element is not None:
        return block_text(element, skip)
    text = "\n\n".join(t for b in blocks if (t := block_text(b, skip)))
    if text:
        return re.sub(r"\n{3,}", "\n\n", text)
    text = "\n\n".join(t for part in parts if (t := block_text(part, dropped)))
    return _without_byline(text)


def _by_post_author_class(element: etree._Element, own: list) -> bool:
    """WordPress's ``bypostauthor`` (Drupal's ``comment-by-node-author``) on the record, on one of its own
    parts (OceanWP's ``li#comment-4 > article.bypostauthor``) or on the ``<li>`` it opens (Neve's
    ``li.bypostauthor > article#comment-4``)."""
    wrapper = element.getparent()
    if (
        wrapper is not None
        and tag_of(wrapper) == "li"
        and next(wrapper.iterchildren(etree.Element), None) is element
    ):
        own = [wrapper, *own]
    return any(_POST_AUTHOR.intersection((e.get("class") or "").split()) for e in own)


def _small(element: etree._Element) -> bool:
    """Whether an element is a short line (a date's), not a box that also holds the comment's text."""
    return not any(
        tag_of(e) in ("p", "blockquote", "ul", "ol", "pre") for e in element.iter(etree.Element)
    ) and (len(clean(" ".join(element.itertext()))) <= 120)


def _fallback_id(*parts: str | None) -> str:
    """A stable id for a comment the site gives none: a short hash of its author, date and text."""
    return "h" + hashlib.sha1("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:12]


def _comments(
    records: list[threads.Record], tz: tzinfo, profile: Profile, page: int | None, structural: bool
) -> list[Comment]:
    """A comment for each record with text; a record found by structure alone (no id) also needs an
    author or a date."""
    item_set = {r.element for r in records}
    comments: list[Comment] = []
    ids: dict[threads.Record, str] = {}
    for record in records:
        element, parts = record.element, record.parts
        find = _own(parts, item_set)
        own: list = []

        def own_elements(parts=parts, own=own) -> list:
            if not own:
                own.extend(threads.own_elements(parts, item_set))
            return own

        author_element, author, author_url, badge = _author(find, profile, own_elements, tz)
        published, date_element = _published(find, tz, profile, own_elements)
        if published is None:
            published = _date_in_author(author_element, tz)
        # the text leaves out what gave the author and the date (a header inside the text element)
        skip = {author_element} if author_element is not None else set()
        if date_element is not None and _small(date_element):
            skip.add(date_element)
        text = _text(find, profile, own_elements, parts, skip, item_set)
        if not text:
            continue
        if published is None:
            published, text = _leading_date(text, tz)
        if author is None:
            author = _author_in_text(own_elements(), text)
        if structural and record.key is None and author is None and published is None:
            continue
        ids[record] = record.key or _fallback_id(author, published, text)
        is_post_author = (
            badge
            or _by_post_author_class(element, own_elements())
            or bool(find(paths(profile, "comment_by_post_author")))
        )
        comments.append(
            Comment(
                id=ids[record],
                text=text,
                parent_id=ids.get(record.parent) if record.parent is not None else None,
                depth=record.depth,
                author=author,
                author_url=author_url,
                published=published,
                is_post_author=is_post_author,
                page=page,
            )
        )
    return comments


def extract_comments(
    root: etree._Element,
    page: int | None = None,
    tz: tzinfo = UTC,
    profile: Profile = GENERIC,
    objects: list[dict[str, Any]] | None = None,
) -> list[Comment]:
    """Every comment on one page, in document (thread) order, with parent and depth.

    Dates shown without an offset ("March 6, 2024 at 10:02 AM") are taken in ``tz``, the post's own.
    Where the markup has no comment items, schema.org ``Comment`` objects in ``objects`` are used.
    """
    items = _comment_items(root, profile)
    records = {e: threads.Record(e, threads.record_parts(e), comment_id(e)) for e in items}
    threads.link(records)  # the fast path: the profile's items, nested by the markup
    comments = _comments(list(records.values()), tz, profile, page, structural=False)
    if not comments:
        found = threads.find_records(root)
        comments = _comments(found, tz, profile, page, structural=True)
    if not comments and objects:
        comments = json_ld_comments(objects, tz, page)
    return comments


def json_ld_comments(
    objects: list[dict[str, Any]], tz: tzinfo = UTC, page: int | None = None
) -> list[Comment]:
    """schema.org ``Comment`` objects in JSON-LD, threaded by nesting (``comment``) or ``parentItem``."""
    comments: list[Comment] = []
    seen: set[int] = set()

    def key_of(obj: dict[str, Any]) -> str:
        for value in (obj.get("@id"), obj.get("identifier"), obj.get("url")):
            if isinstance(value, (str, int)) and (digits := _DIGITS.search(str(value))):
                return digits.group(1)
        return _fallback_id(name_of(obj.get("author")), str(obj.get("dateCreated")), str(obj.get("text")))

    def walk(obj: Any, parent: str | None, depth: int) -> None:
        if isinstance(obj, list):
            for item in obj:
                walk(item, parent, depth)
            return
        if not isinstance(obj, dict) or id(obj) in seen:
            return
        seen.add(id(obj))
        is_comment = "comment" in types_of(obj)
        own_key = parent
        if is_comment:
            text = clean_lines(str(obj.get("text") or obj.get("commentText") or ""))
            parent_ref = obj.get("parentItem")
            parent_id = parent or (key_of(parent_ref) if isinstance(parent_ref, dict) else None)
            own_key = key_of(obj)
            if text:
                date = obj.get("dateCreated") or obj.get("datePublished")
                comments.append(
                    Comment(
                        id=own_key,
                        text=text,
                        parent_id=parent_id,
                        depth=depth,
                        author=name_of(obj.get("author")),
                        author_url=url_of(obj.get("author")),
                        published=iso_datetime(str(date), tz) if date else None,
                        page=page,
                    )
                )
        for field in ("comment", "hasPart", "@graph", "mainEntity"):
            child = obj.get(field)
            if child is not None:
                walk(child, own_key if is_comment else None, depth + 1 if is_comment else 0)

    walk(objects, None, 0)
    return _fix_depths(comments)


def _fix_depths(comments: list[Comment]) -> list[Comment]:
    """Depths recomputed from parent ids (replies named by ``parentItem`` rather than nesting)."""
    depth: dict[str, int] = {}
    fixed = []
    for comment in comments:
        level = depth.get(comment.parent_id, -1) + 1 if comment.parent_id else 0
        depth[comment.id] = level
        fixed.append(comment if comment.depth == level else replace(comment, depth=level))
    return fixed


# ``hosted_by`` answers most branches of a provider's path without an XPath walk (libxml2 tests an
# attribute on every element at several hundred nanoseconds each): an id from the page's index, a
# script's ``src`` or text from one list of the page's scripts, class names from the index.
_ID_BRANCH = re.compile(r"//\*\[@id='([^']+)'\]")
_SCRIPT_TEST = re.compile(r"contains\((@src|\.), '([^']+)'\)")
_SCRIPT_BRANCH = re.compile(rf"//script\[{_SCRIPT_TEST.pattern}(?: or {_SCRIPT_TEST.pattern})*\]")
_Branch = tuple[str, Any]  # ("id", value) | ("script", ((is_src, literal), …)) | ("path", Path)


def _branches(path: sel.Path) -> tuple[list[_Branch], list[_Branch]]:
    """A provider's path as its `` | `` branches: those read from the index or the scripts, and those
    that need XPath's walk of the tree."""
    if path.indexed is not None:
        return [("path", path)], []
    cheap: list[_Branch] = []
    costly: list[_Branch] = []
    for branch in (part.strip() for part in sel._top_level(path.expression)[0]):
        if match := _ID_BRANCH.fullmatch(branch):
            cheap.append(("id", match.group(1)))
        elif _SCRIPT_BRANCH.fullmatch(branch):
            cheap.append(
                ("script", tuple((kind == "@src", text) for kind, text in _SCRIPT_TEST.findall(branch)))
            )
        else:
            found = sel.Path(branch)
            found.needles = None  # the provider's needles are tested in ``hosted_by``
            (cheap if found.indexed is not None else costly).append(("path", found))
    return cheap, costly


_HOSTED = [(provider, path, *_branches(path)) for provider, path in sel.HOSTED_COMMENTS.items()]


def _scripts(root: etree._Element) -> list[tuple[str | None, str]]:
    """Every ``<script>``'s src (None without one) and text (XPath's string value), in the whole document."""
    return [
        (script.get("src"), (script.text or "") if len(script) == 0 else script.xpath("string()"))
        for script in root.getroottree().getroot().iter("script")
    ]


def _finds(branch: _Branch, page: Page, scripts: Callable[[], list[tuple[str | None, str]]]) -> bool:
    kind, value = branch
    if kind == "id":
        return any(element.get("id") == value for element in page.with_id_prefix((value,)))
    if kind == "script":
        return any(
            (src is not None and literal in src) if is_src else literal in text
            for src, text in scripts()
            for is_src, literal in value
        )
    return bool(value(page))


def hosted_by(root: Page | etree._Element, profile: Profile, has_comments: bool) -> str | None:
    """The third party whose script shows this page's comments (``disqus``, ``facebook``, …), if any:
    the first provider whose path (``selectors.HOSTED_COMMENTS``) finds something, read branch by branch
    (``_branches``), those that need no walk of the tree first."""
    on_page = isinstance(root, Page)  # a path's needles are tested only on a Page (see ``selectors.Path``)
    page = root if isinstance(root, Page) else Page(root)
    listed: list[list[tuple[str | None, str]]] = []

    def scripts() -> list[tuple[str | None, str]]:
        if not listed:
            listed.append(_scripts(page.root))
        return listed[0]

    for provider, path, cheap, costly in _HOSTED:
        if on_page and path.needles is not None and not page.contains(path.needles):
            continue
        if any(_finds(branch, page, scripts) for branch in cheap) or any(
            _finds(branch, page, scripts) for branch in costly
        ):
            return provider
    return None if has_comments else profile.comments_by_script


def comment_page_number(url: str) -> int | None:
    """The comment page a URL shows: ``/comment-page-2/`` or ``?cpage=2``; None for the post URL."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if "cpage" in query and query["cpage"][0].isdigit():
        return int(query["cpage"][0])
    match = _PAGE_NUMBER.search(parts.path)
    return int(match.group(1)) if match else None


def is_comment_page_url(url: str) -> bool:
    return comment_page_number(url) is not None


def comment_pages(root: etree._Element, url: str, profile: Profile = GENERIC) -> CommentPage:
    """This page's comment page number, the other comment pages it links to, whether comments are
    open, and who hosts them when a script loads them from elsewhere."""
    post_url = strip_comment_page(url)
    links: list[str] = []
    for href in sel.COMMENT_PAGE_LINKS(root):
        absolute = safe_join(url, href).split("#", 1)[0]
        if not absolute:
            continue
        number = comment_page_number(absolute)
        if number is None or "replytocom=" in absolute:
            continue
        if strip_comment_page(absolute) != post_url:
            continue
        if absolute not in links:
            links.append(absolute)
    number = comment_page_number(url)
    if number is None and links:  # only a paginated thread says which page this is
        current: list[str] = next(
            (found for path in paths(profile, "comment_page_current") if (found := path(root))), []
        )
        digits = re.findall(r"\d+", " ".join(current))
        number = int(digits[0]) if digits else max(_numbers(links)) + 1
    form = sel.COMMENT_FORM(root)
    closed = sel.COMMENTS_CLOSED(root)
    count_text = " ".join(sel.COMMENTS_TITLE_TEXT(root))
    count = _COMMENT_COUNT.search(count_text)
    has_items = any(path(root) for path in paths(profile, "comment_items")[:3])  # with wpDiscuz's
    return CommentPage(
        number=number,
        page_urls=links,
        comments_open=True if form else (False if closed else None),
        comment_count=int(re.sub(r"[,.]", "", count.group(1))) if count else None,
        hosted_by=hosted_by(root, profile, has_items),
    )


def _numbers(urls: list[str]) -> list[int]:
    return [n for n in (comment_page_number(u) for u in urls) if n is not None] or [0]


def merge_comments(pages: list[list[Comment]]) -> list[Comment]:
    """Comments from several pages of one thread: oldest page first, duplicates (same id) dropped."""
    ordered = sorted(pages, key=lambda comments: min((c.page or 0 for c in comments), default=0))
    seen: set[str] = set()
    merged: list[Comment] = []
    for comments in ordered:
        for comment in comments:
            if comment.id in seen:
                continue
            seen.add(comment.id)
            merged.append(comment)
    return merged


__all__ = [
    "comment_id",
    "hosted_by",
    "json_ld_comments",
    "comment_page_number",
    "comment_pages",
    "extract_comments",
    "merge_comments",
]

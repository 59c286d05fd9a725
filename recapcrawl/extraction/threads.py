"""Reader comment threads found by their structure, for markup no profile's comment paths describe.

A thread is a run of records, each one comment: an element with a comment id (``comment-12``,
``li-comment-12``, wpDiscuz's ``wpd-comm-12_0``, Blogger's ``c12``, Drupal's empty ``<a id=
"comment-12">`` before the record), a comment class (``comment``, ``wpd-comment``, ``h-cite``, …) or a
schema.org ``Comment`` type (microdata or RDFa). A ``<dt>`` record takes the ``<dd>`` elements after
it (Blogger's old ``dl#comments-block``, Thesis's ``dl#comment_list``). Records nest: the parent is
the nearest enclosing record, else the record before the reply container (``ul.children``, Drupal's
``div.indented``), else the id's parent part (``wpd-comm-12_7``), else the last record one
``depth-N`` level up. Records inside widgets (recent comments, related posts, sidebars) are not a
thread. Everything is looked up in the page's index, then one walk over the records found.

``fallback_author``, ``fallback_date_texts`` and ``fallback_text`` read a record's fields by class
words (``wc-comment-author``, ``c-comment__content``…) and, for the text, its own paragraphs, when the
profile's paths find nothing; ``header_name`` finds an author shown in an unclassed heading of the
record's header, and ``name_part`` the name inside an author element that also holds the date, the
Reply link or a "Post author" badge.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from .dom import Page, tag_of
from .selectors import xp

# ---------------------------------------------------------------- what marks a record
# comment-12, comment_12, li-comment-12, div-comment-12, article-comment-12; wpDiscuz wc-comm-12_0 /
# wpd-comm-12_7 (the comment, then its parent); Blogger's c12.
RECORD_ID = re.compile(r"^(?:(?:li|div|article)-)?comment[-_]?(\d+)$|^c(\d+)$|^w(?:c|pd)-comm-(\d+)_(\d+)$")
_ID_PREFIXES = ("comment", "li-comment", "div-comment", "article-comment", "wc-comm-", "wpd-comm-", "c")
RECORD_CLASSES = (
    "comment",
    "wc-comment",
    "wpd-comment",
    "h-cite",
    "p-comment",
    "u-comment",
    "pingback",
    "trackback",
)
_NAMED_ANCHORS = xp("//a[starts-with(@name, 'comment-')]", ("comment-",))
_RDFA_COMMENTS = xp("//*[contains(@typeof, 'Comment')]", ("sioct:Comment", "schema:Comment"))
# Containers of a thread: a record inside one is never taken for a widget's.
_THREAD_IDS = frozenset(("comments", "commentlist", "comments-block", "comment_list", "thecomments"))
_THREAD_CLASSES = frozenset(
    (
        "comments",
        "comments-area",
        "commentlist",
        "comment-list",
        "comments-list",
        "comment-thread",
        "wpd-thread-list",
        "wc-thread-wrapper",
        "wp-block-comment-template",
    )
)
# Widgets whose lists look like threads: recent comments, related posts, sidebars, navigation.
_WIDGET_TAGS = frozenset(("aside", "nav", "form"))
_WIDGET_TOKEN = re.compile(
    r"^(?:widget(?:[-_].*)?|.*[-_]widget|sidebar|secondary|recentcomments|.*recent-?comments.*|"
    r".*latest-comments.*|related|.*related-?posts.*|jp-relatedposts|yarpp-related|crp_related)$",
    re.I,
)
# Reply containers: the record just before one is its replies' parent.
_REPLY_CONTAINERS = frozenset(
    ("children", "indented", "replies", "comment-replies", "sub-comments", "wpd-comment-replies")
)
_DEPTH = re.compile(r"^(?:depth|comment-depth|level|wc_comment_level|wpd_comment_level)-(\d+)$")


@dataclass(eq=False)
class Record:
    """One comment of a thread: its element (with the ``<dd>`` parts of a ``<dt>``), key and parent."""

    element: etree._Element
    parts: tuple[etree._Element, ...]
    key: str | None
    parent: Record | None = None
    depth: int = 0


def record_key(element: etree._Element) -> str | None:
    """The comment number an element's id or ``name`` gives (``li-comment-12``, ``wpd-comm-12_7`` → 12)."""
    for value in (element.get("id"), element.get("name") if tag_of(element) == "a" else None):
        match = RECORD_ID.match(value or "")
        if match:
            return next(g for g in match.groups()[:3] if g)
    return None


def _parent_key(element: etree._Element) -> str | None:
    match = RECORD_ID.match(element.get("id") or "")
    return match.group(4) if match and match.group(4) not in (None, "0") else None


def _classes(element: etree._Element) -> list[str]:
    return (element.get("class") or "").split()


def _is_anchor(element: etree._Element) -> bool:
    """An empty link or span that only marks a place (Drupal's ``<a id="comment-12"></a>``)."""
    return tag_of(element) in ("a", "span") and len(element) == 0 and not (element.text or "").strip()


def _next_element(element: etree._Element) -> etree._Element | None:
    following = element.getnext()
    while following is not None and not isinstance(following.tag, str):
        following = following.getnext()
    return following


def _in_widget(element: etree._Element) -> bool:
    """Whether a record sits in a widget (before any thread container, going up)."""
    for ancestor in element.iterancestors():
        tag = tag_of(ancestor)
        if tag in ("body", "html"):
            return False
        classes = _classes(ancestor)
        if ancestor.get("id") in _THREAD_IDS or _THREAD_CLASSES.intersection(classes):
            return False
        if tag in _WIDGET_TAGS:
            return True
        if any(_WIDGET_TOKEN.match(token) for token in (*classes, ancestor.get("id") or "")):
            return True
    return False


def _in_thread(element: etree._Element) -> bool:
    """Whether an element sits in a thread container (``#comments``, ``ol.commentlist``…)."""
    for ancestor in element.iterancestors():
        if ancestor.get("id") in _THREAD_IDS or _THREAD_CLASSES.intersection(_classes(ancestor)):
            return True
    return False


def _blogger_like(element: etree._Element) -> bool:
    """A ``c12`` id is a comment's (Blogger's) only on a comment element or in a thread: CMSs such as
    TYPO3 give every content element one."""
    return "comment" in _classes(element) or tag_of(element) == "dt" or _in_thread(element)


def _seeds(page: Page) -> dict[etree._Element, str | None]:
    """Candidate record elements and their keys, from ids, classes, schema.org types and anchors."""
    found: dict[etree._Element, str | None] = {}

    def add(element: etree._Element, key: str | None) -> None:
        if _is_anchor(element):
            if key is None:
                return
            element = _next_element(element)
            if element is None or _is_anchor(element):
                return
        if tag_of(element) in ("", "a", "span", "time", "script", "style", "form", "input", "textarea"):
            return
        if found.get(element) is None:
            found[element] = key

    for element in page.with_id_prefix(_ID_PREFIXES):
        match = RECORD_ID.match(element.get("id") or "")
        if match and (match.group(2) is None or _blogger_like(element)):
            add(element, record_key(element))
    for element in _NAMED_ANCHORS(page):
        key = record_key(element)
        if key is not None:
            add(element, key)
    classed = page.with_class(RECORD_CLASSES)
    runs = Counter((e.getparent(), e.tag) for e in classed)  # siblings sharing a shape
    for element in classed:
        key = record_key(element)
        if key is not None or runs[(element.getparent(), element.tag)] > 1 or _in_thread(element):
            add(element, key)
    for element in page.with_itemscope():
        if "Comment" in (element.get("itemtype") or ""):
            add(element, record_key(element))
    for element in _RDFA_COMMENTS(page):
        add(element, record_key(element))
    return found


def _is_text_part(element: etree._Element) -> bool:
    """Whether an element's classes also call it a comment's text (``comment-content``, ``comment-body``)."""
    return any(_TEXT_WORD.search(w) for w in _words(element))


def _own_text(element: etree._Element, inner: set) -> bool:
    """Whether the element has text of its own, outside the records in ``inner``."""
    stack = [element]
    while stack:
        node = stack.pop()
        if (node.text or "").strip():
            return True
        for child in node:
            if (child.tail or "").strip():
                return True
            if isinstance(child.tag, str) and child not in inner:
                stack.append(child)
    return False


def record_parts(element: etree._Element) -> tuple[etree._Element, ...]:
    """A ``<dt>`` record with the ``<dd>`` elements after it; any other record alone."""
    if tag_of(element) != "dt":
        return (element,)
    parts = [element]
    following = _next_element(element)
    while following is not None and tag_of(following) == "dd":
        parts.append(following)
        following = _next_element(following)
    return tuple(parts)


def find_records(page: Page | etree._Element) -> list[Record]:
    """The comment records on a page, in document order, nested into a thread."""
    page = page if isinstance(page, Page) else Page(page)
    seeds = _seeds(page)
    if not seeds:
        return []
    candidates = {e: k for e, k in seeds.items() if not _in_widget(e)}
    for element in [e for e, k in candidates.items() if k is None and _is_text_part(e)]:
        if any(a in candidates for a in element.iterancestors()):
            del candidates[element]  # a record's text part (``section.comment-content.comment``)
    # The nearest enclosing candidate of each; wrappers and inner duplicates of one comment merge.
    outer = {e: next((a for a in e.iterancestors() if a in candidates), None) for e in candidates}
    inner: dict[etree._Element, list] = {}
    for element, parent in outer.items():
        if parent is not None:
            inner.setdefault(parent, []).append(element)
    for children in inner.values():
        children.sort(key=_order(page))
    merged: dict[etree._Element, etree._Element] = {}  # dropped element -> the one it became
    for element in sorted(candidates, key=_order(page)):
        children = inner.get(element, [])
        first = children[0] if children else None
        if first is None:
            continue
        key, first_key = candidates[element], candidates[first]
        if key is not None and key == first_key:
            merged[first] = element  # the same comment's inner element (div#comment-12 in li-comment-12)
        elif not _own_text(element, set(children)):
            if key is None or first_key is None:
                merged[first] = element  # a wrapper around one comment and its replies
                candidates[element] = key or first_key
            else:
                merged[element] = first  # a box around several comments
    records: dict[etree._Element, Record] = {}
    for element in sorted(candidates, key=_order(page)):
        if element in merged:
            continue
        records[element] = Record(element, record_parts(element), candidates[element])
    for record in list(records.values()):
        for part in record.parts[1:]:  # a <dt> record's <dd> parts (Thesis's dd.comment) are not records
            records.pop(part, None)
    link(records)
    return list(records.values())


def _order(page: Page):
    """A sort key giving document order (positions counted once per page)."""
    positions: dict[etree._Element, int] | None = page.results.get("_threads_order")
    if positions is None:
        positions = {e: i for i, e in enumerate(page.root.iter(etree.Element))}
        page.results["_threads_order"] = positions
    return positions.__getitem__


def _depth_class(element: etree._Element) -> int | None:
    for token in _classes(element):
        match = _DEPTH.match(token)
        if match:
            return int(match.group(1))
    return None


def link(records: dict[etree._Element, Record]) -> None:
    """Set each record's parent and depth, in document order: the nearest enclosing record, the record
    before its reply container, its id's parent part, the last record one ``depth-N`` level up."""
    by_key = {r.key: r for r in records.values() if r.key is not None}
    last_at_depth: dict[int, Record] = {}
    for record in records.values():
        parent = next((records[a] for a in record.element.iterancestors() if a in records), None)
        if parent is None:
            parent = _before_reply_container(record.element, records)
        if parent is None:
            parent = by_key.get(key) if (key := _parent_key(record.element)) is not None else None
        level = _depth_class(record.element)
        if parent is None and level and level > 1:
            parent = last_at_depth.get(level - 1)
        if parent is record:
            parent = None
        record.parent = parent
        record.depth = parent.depth + 1 if parent is not None else 0
        if level:
            last_at_depth[level] = record


def _before_reply_container(element: etree._Element, records: dict) -> Record | None:
    """The record just before the reply container holding ``element`` (Drupal's ``div.indented``)."""
    for ancestor in element.iterancestors():
        if ancestor in records or tag_of(ancestor) in ("body", "html"):
            return None
        if _REPLY_CONTAINERS.intersection(_classes(ancestor)):
            previous = ancestor.getprevious()
            while previous is not None and (not isinstance(previous.tag, str) or _is_anchor(previous)):
                previous = previous.getprevious()
            if previous is None:
                return None
            if previous in records:
                return records[previous]
            return next((records[e] for e in previous.iter(etree.Element) if e in records), None)
    return None


# ---------------------------------------------------------------- a record's fields, by class words
_AUTHOR_CLASSES = (
    "fn",
    "p-author",
    "u-author",
    "wc-comment-author",
    "wpd-comment-author",
    "comment-author-name",
    "comment-author",
    "comment__author",
    "commenter-name",
    "commenter",
    "comment_author",
    "author-name",
    "author",
    "username",
    "user-name",
    "user",
    "nickname",
)
_AUTHOR_WORD = re.compile(r"(?:^|__|[-_])(?:author|commenter|user|comment-name)(?:[-_]?name)?$")
_DATE_CLASSES = (
    "comment-date",
    "comment-time",
    "comment_time",
    "comment-timestamp",
    "wc-comment-date",
    "wpd-comment-date",
    "dt-published",
    "published",
    "datetime",
    "date",
    "time",
    "timestamp",
    "submitted",
    "comment-metadata",
    "commentmetadata",
    "comment-meta",
    "metadata",
    "meta",
)
_DATE_WORD = re.compile(r"(?:^|__|[-_])(?:date|time|timestamp|posted|meta|metas|metadata)$")
_TEXT_CLASSES = (
    "comment-content",
    "wc-comment-text",
    "wpd-comment-text",
    "e-content",
    "p-content",
    "comment-text",
    "commenttext",
    "comment_text",
    "comment_content",
    "comment-entry",
    "entry-content",
    "comment-body",
    "content",
    "text",
    "body",
    "message",
)
_TEXT_WORD = re.compile(r"(?:^|__|[-_])(?:content|text|body|message)$")
_TEXT_ATTRIBUTES = {"itemprop": ("text", "commentText"), "property": ("schema:text", "content:encoded")}
# Parts of a record that are never its text (when the text is read from its own paragraphs).
_NOT_TEXT_WORD = re.compile(
    r"(?:^|__|[-_])(?:avatar|reply|meta|metas|metadata|author|vcard|date|time|vote|votes|rating|like|likes|"
    r"share|actions|action|footer|header|links|permalink|edit|flag|report|label|badge)(?:$|[-_])"
)
_BLOCKS = frozenset(("p", "blockquote", "pre", "ul", "ol", "table"))
_SKIP_TAGS = frozenset(
    ("script", "style", "noscript", "form", "button", "svg", "img", "header", "footer", "time", "cite")
)
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


def own_elements(record_parts: tuple[etree._Element, ...], others: set) -> Iterator[etree._Element]:
    """The record's elements that belong to no other record (its replies), in document order."""
    for part in record_parts:
        stack = [part]
        while stack:
            element = stack.pop()
            yield element
            stack.extend(reversed([c for c in element if isinstance(c.tag, str) and c not in others]))


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _words(element: etree._Element) -> tuple[str, ...]:
    """Class names with camelCase written with hyphens (``commentListText`` → ``comment-list-text``)."""
    return _class_words(element.get("class") or "")


@lru_cache(maxsize=4096)
def _class_words(value: str) -> tuple[str, ...]:
    return tuple(_CAMEL.sub("-", c).lower() for c in value.split())


def _rank(element: etree._Element, table: tuple[str, ...], word: re.Pattern) -> int | None:
    classes = _classes(element)
    ranks = [table.index(c) for c in classes if c in table]
    if ranks:
        return min(ranks)
    if any(word.search(c) for c in _words(element)):
        return len(table)
    return None


def _best(elements: list[etree._Element], rank) -> list[etree._Element]:
    """The elements with a rank, best first (document order among equals)."""
    ranked = [(r, i, e) for i, e in enumerate(elements) if (r := rank(e)) is not None]
    return [e for _, _, e in sorted(ranked, key=lambda t: (t[0], t[1]))]


def fallback_author(
    elements: list[etree._Element], name: Callable[[etree._Element], str] | None = None
) -> etree._Element | None:
    """The record's author element by class words, ``itemprop=author`` or ``<cite>``. ``name`` reads the
    name an element shows (without its date, reply link, badge…); by default its whole text."""
    shown = name or (lambda element: " ".join("".join(element.itertext()).split()))

    def rank(element: etree._Element) -> int | None:
        found = _rank(element, _AUTHOR_CLASSES, _AUTHOR_WORD)
        if found is not None:
            return found
        if element.get("itemprop") == "author" or "schema:author" in (element.get("rel") or ""):
            return len(_AUTHOR_CLASSES) + 1
        if tag_of(element) == "cite":
            return len(_AUTHOR_CLASSES) + 2
        return len(_AUTHOR_CLASSES) + 3 if "url" in _classes(element) and tag_of(element) == "a" else None

    for element in _best(elements, rank):
        text = shown(element)
        # a pingback's author is the linking post's title (WordPress's a.url), often longer than a name
        if text and len(text) <= (200 if tag_of(element) == "a" else 80):
            return element
    return None


_NAME_TAGS = frozenset(("h2", "h3", "h4", "h5", "h6", "strong", "b"))
_LABEL_TAIL = re.compile(
    r"^\s*(?:[|·•:,–—-]|\(|says|said|wrote|sagt|schrieb|dijo|dice|a dit|écrit|zegt|$)", re.I
)


def header_name(
    elements: list[etree._Element], shown: Callable[[etree._Element], str]
) -> etree._Element | None:
    """A name shown without an author class: a short heading, or a ``<strong>``/``<b>`` standing alone
    (nothing but a label such as ``says:`` after it), in the record's header area, i.e. before its first
    paragraph and outside any text block (Lovecraft's ``div.comment-header > h4``)."""
    if not elements:
        return None
    record = elements[0]
    for element in elements[1:]:
        tag = tag_of(element)
        if tag in _BLOCKS:
            return None  # the text has begun: a bold word from here on is emphasis
        if tag not in _NAME_TAGS or _in_text_block(element, record):
            continue
        if tag in ("strong", "b") and not _LABEL_TAIL.match(element.tail or ""):
            continue  # bold words running into text
        text = shown(element)
        if (
            text and len(text) <= 60 and len(text.split()) <= 6 and not re.search(r"[!?]$|\w{3,}\.$", text)
        ):  # "Priya S." but no sentence
            return element
    return None


def _in_text_block(element: etree._Element, record: etree._Element) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is record:
            return False
        if tag_of(ancestor) in _BLOCKS or tag_of(ancestor) in ("li", "a", "label", "button"):
            return True
    return False


# Parts of an author element that are not the name: its date, meta, reply and permalink parts, badges.
_NOT_NAME_WORD = re.compile(
    r"(?:^|__|[-_])(?:date|time|timestamp|posted|meta|metas|metadata|reply|permalink|edit|says|badge|label|"
    r"role|avatar|actions|screen-reader-text|sr-only|visually-hidden)(?:$|[-_])"
)
_NOT_NAME_TAGS = frozenset(("time", "svg", "img", "script", "style", "noscript", "button", "abbr"))
_TO_COMMENT = re.compile(r"#(?:comment-?|c)\d+$|[?&]replytocom=|#respond$|#reply|/comment-page-\d+")
_LINK_WORDS = re.compile(
    r"^(?:reply|permalink|link|edit|report|flag|quote|like|antworten|responder|répondre|rispondi|"
    r"beantwoorden|svara|odpowiedz)$",
    re.I,
)
# A badge beside the name: the post's author (WordPress themes print "Post author") and site roles.
_AUTHOR_BADGE = re.compile(
    r"^\(?(?:(?:post|blog|article|site|page)\s+)?(?:author|autor|auteur|autore|autor del artículo|"
    r"beitragsautor|auteur de l’article|auteur de l'article)\)?$",
    re.I,
)
_BADGE = re.compile(
    r"^\(?(?:admin|administrator|moderator|mod|staff|editor|owner|site owner|verified|op)\)?$", re.I
)
_NAME_CLASSES = frozenset(("fn", "p-name", "nickname"))


def _name_holder(element: etree._Element) -> etree._Element | None:
    """A part that is only the name: ``.fn``, ``itemprop=name``, ``<cite>``, a link classed ``url``."""
    for inner in element.iterdescendants(etree.Element):
        if (
            _NAME_CLASSES.intersection(_classes(inner))
            or inner.get("itemprop") == "name"
            or tag_of(inner) == "cite"
            or (tag_of(inner) == "a" and "url" in _classes(inner))
        ) and "".join(inner.itertext()).strip():
            return inner
    return None


def name_part(
    element: etree._Element, is_date: Callable[[str], bool]
) -> tuple[str, etree._Element | None, bool]:
    """The name an author element shows, the link on it and whether a badge names the post's author.

    An author element may wrap more than the name (OceanWP's ``div.comment-author`` holds the date and
    the Reply link; Spacious's ``header.comment-author`` the date and a permalink; a ``b.fn`` a "Post
    author" badge): the name is its ``.fn``/``cite``/``a.url`` part if it has one, else its text without
    the parts that are dates (by class words, ``<time>``, or text ``is_date`` reads as one), meta, reply
    and permalink parts, labels and badges."""
    holder = _name_holder(element)
    if holder is not None and holder is not element:
        name, link, badge = name_part(holder, is_date)
        if name:
            return name, link, badge or _has_author_badge(element, is_date)
    parts: list[str] = []
    links: list[etree._Element] = []
    badge = False

    def walk(node: etree._Element) -> None:
        nonlocal badge
        if node is not element:
            text = " ".join("".join(node.itertext()).split())
            if _not_name(node, text, is_date):
                badge = badge or bool(_AUTHOR_BADGE.match(text))
                parts.append(node.tail or "")
                return
            if tag_of(node) == "a" and node.get("href"):
                links.append(node)
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            else:
                parts.append(child.tail or "")
        if node is not element:
            parts.append(" ")  # separate elements' words stay apart
            parts.append(node.tail or "")

    walk(element)
    if tag_of(element) == "a" and element.get("href"):
        links.insert(0, element)
    return " ".join(" ".join(parts).split()), (links[0] if links else None), badge


def _has_author_badge(element: etree._Element, is_date: Callable[[str], bool]) -> bool:
    return any(
        _AUTHOR_BADGE.match(" ".join("".join(e.itertext()).split()))
        for e in element.iterdescendants(etree.Element)
    )


def _not_name(node: etree._Element, text: str, is_date: Callable[[str], bool]) -> bool:
    if tag_of(node) in _NOT_NAME_TAGS or any(_NOT_NAME_WORD.search(w) for w in _words(node)):
        return True
    if tag_of(node) == "a" and _TO_COMMENT.search(node.get("href") or ""):
        return True
    return bool(text) and bool(
        _LINK_WORDS.match(text) or _AUTHOR_BADGE.match(text) or _BADGE.match(text) or is_date(text)
    )


_NAME = r"([^\W\d_][\w.'’ -]{0,58}?)"
_BYLINE_TEXT = (
    re.compile(
        r"^(?:by|von|geschrieben von|written by|posted by|par|por|di|door|av)\s+"
        + _NAME
        + r"\s*(?:,|\||·|•|–|—|\s-\s|\s(?:on|am|um|le|el|il|op|at|den|der)\s|$)",
        re.I,
    ),
    re.compile("^" + _NAME + r"\s*(?:\||·|•)\s*\S"),
    re.compile(
        "^" + _NAME + r"\s+(?:says|said|wrote|sagt|schrieb|dijo|dice|a dit|écrit|ha detto|zegt)\b", re.I
    ),
)


def author_from_text(text: str) -> str | None:
    """A name a byline line gives (``by Ann Lee on May 2``, ``Ann Lee | May 2``, ``Ann Lee sagt:``)."""
    line = " ".join(text.split())
    for pattern in _BYLINE_TEXT:
        match = pattern.match(line)
        if match and match.group(1).strip():
            return match.group(1).strip()
    return None


_BYLINE_TAGS = frozenset(("header", "footer", "h4", "h5", "h6", "small", "cite", "strong", "b"))


def byline_texts(elements: list[etree._Element]) -> Iterator[str]:
    """Texts of a record's header-like parts (``<header>``, ``<footer>``, small headings, meta parts)."""
    for element in elements[1:]:
        if tag_of(element) in _BYLINE_TAGS or any(_DATE_WORD.search(w) for w in _words(element)):
            yield " ".join("".join(element.itertext()).split())


def fallback_date_texts(elements: list[etree._Element]) -> Iterator[tuple[etree._Element, str]]:
    """Date values to try, best first, each with the element that shows it: a date element's ``title``,
    its text (the text of its parts joined with spaces, as a reader sees them: "…9:02 pm" and
    "Permalink" stay two words), a permalink's text."""

    def rank(element: etree._Element) -> int | None:
        found = _rank(element, _DATE_CLASSES, _DATE_WORD)
        if found is not None:
            return found
        href = element.get("href") or ""
        if tag_of(element) == "a" and re.search(r"#(?:comment-?|c)\d+$", href):
            return len(_DATE_CLASSES) + 1
        return len(_DATE_CLASSES) + 2 if tag_of(element) in ("time", "small", "abbr") else None

    for element in _best(elements, rank):
        for titled in element.iter(etree.Element):  # its own title first, then its parts'
            if titled.get("title"):
                yield titled, titled.get("title")
        yield element, " ".join(" ".join(element.itertext()).split())


def fallback_text(
    elements: list[etree._Element], skip: set, records: set
) -> tuple[etree._Element | None, list[etree._Element], set]:
    """The record's text element by class words or ``itemprop``/``property``; else (None, its own
    paragraphs, the parts left out: ``skip`` — author, replies — and meta parts, headings, avatars)."""

    def rank(element: etree._Element) -> int | None:
        for attribute, values in _TEXT_ATTRIBUTES.items():
            if element.get(attribute) in values:
                return -1
        return _rank(element, _TEXT_CLASSES, _TEXT_WORD)

    for element in _best(elements[1:], rank):
        text = "".join(element.itertext()).strip()
        if text and element not in skip and not any(e in records for e in element.iter(etree.Element)):
            return element, [], set()
    blocks, dropped, taken = [], set(skip), set()
    for element in elements[1:]:
        parent = element.getparent()
        if parent in dropped or element in dropped:
            dropped.add(element)
            continue
        if parent in taken:
            taken.add(element)  # inside a paragraph already taken
            continue
        tag = tag_of(element)
        if tag in _SKIP_TAGS or tag in _HEADINGS or any(_NOT_TEXT_WORD.search(c) for c in _words(element)):
            dropped.add(element)
        elif tag in _BLOCKS:
            if _REPLY_CONTAINERS.intersection(_classes(element)) or any(
                e in records for e in element.iter(etree.Element)
            ):
                dropped.add(element)  # a list of replies
            else:
                blocks.append(element)
                taken.add(element)
    return None, blocks, dropped


__all__ = [
    "RECORD_ID",
    "Record",
    "record_parts",
    "fallback_author",
    "fallback_date_texts",
    "fallback_text",
    "find_records",
    "header_name",
    "name_part",
]

"""Every XPath the extractor uses that is not a platform's: named, in one place, compiled once.

Per-platform paths (title, byline, dates, terms, body, comments) live in ``profiles.py`` as data;
this module holds what is the same on every site: boilerplate inside a body, structured data,
meta tags, comment forms, and the markers of comment widgets loaded by JavaScript.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from lxml import etree

from .dom import Page


def class_test(name: str) -> str:
    """An XPath predicate: the class attribute contains ``name`` as a whole word (cheap test first)."""
    return f"(contains(@class, '{name}') and contains(concat(' ', normalize-space(@class), ' '), ' {name} '))"


_class = class_test


_LITERAL = re.compile(r"'([^']*)'")
_CLASS_NAME = re.compile(r"\(contains\(@class, '([^']+)'\) and ")
_STEPS = re.compile(r"^(?:/{1,2}(?:\*|[a-z][a-z0-9]*|@[\w-]+|text\(\)))*$")  # downward steps only
_POSITIONAL = re.compile(r"\[\s*\d|position\(\)|last\(\)")
_ID_PREFIX = re.compile(r"starts-with\(@id, '([^']+)'\)")
_PREDICATES = re.compile(r"\[[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*\]")  # two levels of nesting
_STRING = re.compile(r"('[^']*'|\"[^\"]*\")")
# What can give a predicate a number (a position): numbers, variables, arithmetic, numeric functions.
_NUMERIC = re.compile(
    r"(?<![\w.-])\.?\d|\$|\+|\bdiv\b|\bmod\b|\s-\s|-(?=[@($])|[\w.)\]]\s*\*"
    r"|\b(?:position|last|count|sum|number|floor|ceiling|round|string-length)\s*\("
)
# ``//`` before an element step (a name or ``*``; not a node test like ``text()``, not an axis).
_ANY_DEPTH_STEP = re.compile(r"//(?=(?:\*|[A-Za-z_][\w.-]*)(?![\w.:-]|\s*\())")


def descendant_steps(expression: str) -> str:
    """``expression`` with each ``//name[…]`` step written ``/descendant::name[…]``: the same nodes in the
    same order when no predicate depends on position (``expression`` is returned as it is when one
    might), and libxml2 walks the tree once instead of visiting every node's children."""
    if _NUMERIC.search(_STRING.sub("''", expression)):
        return expression
    parts = _STRING.split(expression)  # string literals at odd indexes, left alone
    return "".join(
        part if i % 2 else _ANY_DEPTH_STEP.sub("/descendant::", part) for i, part in enumerate(parts)
    )


def _top_level(text: str, stop: str = "") -> tuple[list[str], int]:
    """``text`` split at `` | `` outside brackets and quotes, up to an unmatched ``stop`` (its index)."""
    parts: list[str] = []
    depth, quote, start = 0, "", 0
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            if depth == 0 and char == stop:
                return [*parts, text[start:index]], index
            depth -= 1
        elif depth == 0 and text.startswith(" | ", index):
            parts.append(text[start:index])
            start = index + 3
    return [*parts, text[start:]], len(text)


def _without_negations(branch: str) -> str:
    """The branch without its ``not(…)`` tests, whose literals a match does not need."""
    while (start := branch.find("not(")) >= 0:
        _, end = _top_level(branch[start + 4 :], ")")
        branch = branch[:start] + branch[start + 4 + end + 1 :]
    return branch


def _index_test(predicate: str) -> tuple[str, tuple[str, ...]] | None:
    """("class", names) for ``c('a') or c('b')…``, ("id", prefixes) for ``starts-with(@id, 'a') or …``."""
    names = tuple(_CLASS_NAME.findall(predicate))
    if names and predicate == " or ".join(class_test(name) for name in names):
        return "class", names
    prefixes = tuple(_ID_PREFIX.findall(predicate))
    if prefixes and predicate == " or ".join(f"starts-with(@id, '{p}')" for p in prefixes):
        return "id", prefixes
    return None


class _Indexed:
    """One branch ``//TAG[TEST]REST`` answered from the page's index, where TEST is class tests or id
    prefixes joined by ``or``: the elements the index gives, then REST (further predicates, downward
    steps) evaluated from each of them."""

    __slots__ = ("tag", "kind", "names", "rest", "filters_only")

    def __init__(self, tag: str, kind: str, names: tuple[str, ...], rest: str, filters_only: bool) -> None:
        self.tag, self.kind, self.names = tag, kind, names
        self.rest = etree.XPath(descendant_steps("self::node()" + rest)) if rest else None
        self.filters_only = filters_only  # REST is predicates only: it keeps or drops each element

    @classmethod
    def parse(cls, branch: str) -> _Indexed | None:
        """The plan for a branch of that form, or None (the branch needs the whole XPath)."""
        head = re.match(r"^//(\*|[a-z][a-z0-9]*)\[", branch)
        if not head:
            return None
        (predicate,), end = _top_level(branch[head.end() :], "]")
        test = _index_test(predicate)
        if test is None:
            return None
        rest = branch[head.end() + end + 1 :]
        outside = _PREDICATES.sub("", rest)
        if _POSITIONAL.search(rest) or not _STEPS.match(outside):
            return None
        return cls(head.group(1), *test, rest, not outside)

    def __call__(self, page: Page) -> list | None:
        """The branch's results in document order; None when the elements nest (then order and
        duplicates need XPath's own merge)."""
        found = page.with_class(self.names) if self.kind == "class" else page.with_id_prefix(self.names)
        if self.tag != "*":
            found = [element for element in found if element.tag == self.tag]
        if self.rest is None or not found:
            return found
        if len(found) > 1 and not self.filters_only:
            chosen = set(found)
            if any(a in chosen for element in found[1:] for a in element.iterancestors()):
                return None
        return [result for element in found for result in self.rest(element)]


class Path:
    """A compiled XPath that, called on a ``Page``, runs only when the page's attribute values
    have one of the literals every branch of the expression needs (class names, ids, URL parts).
    An expression whose every branch starts with class tests or id prefixes (``//*[c('x') or
    c('y')]//a``, ``//li[starts-with(@id, 'comment-')]``) is answered from the page's index instead
    (same nodes, same order).

    The literals must be attribute values: a path that looks for text (``contains(., …)``) must
    also match an attribute, or give ``needles`` that are."""

    __slots__ = ("expression", "xpath", "needles", "indexed")

    def __init__(self, expression: str, needles: tuple[str, ...] | None = None) -> None:
        self.expression = expression
        self.xpath = etree.XPath(descendant_steps(expression))
        split, _ = _top_level(expression)
        branches = [
            {lit.strip() for lit in _LITERAL.findall(_without_negations(branch)) if len(lit.strip()) >= 3}
            for branch in split
        ]
        self.needles = (
            frozenset(needles) if needles else frozenset().union(*branches) if all(branches) else None
        )
        plans = [plan for branch in split if (plan := _Indexed.parse(branch)) is not None]
        self.indexed = plans if len(plans) == len(split) else None

    def __call__(self, target: Page | etree._Element) -> Any:
        if isinstance(target, Page):
            found = target.results.get(self)
            if found is None:
                found = target.results[self] = self._on_page(target)
            return found
        return self.xpath(target)

    def _on_page(self, page: Page) -> list:
        if self.indexed is not None:
            results = [plan(page) for plan in self.indexed]
            found = [result for result in results if result != []]
            if len(found) <= 1 and (only := found[0] if found else []) is not None:
                return only
            return self.xpath(page.root)  # several branches found nodes: XPath's union orders them
        if self.needles is not None and not page.contains(self.needles):
            return []
        return self.xpath(page.root)

    def __repr__(self) -> str:
        return f"Path({self.expression!r})"


def xp(expression: str, needles: tuple[str, ...] | None = None) -> Path:
    return Path(expression, needles)


# Things inside a body that are never part of the article text.
BOILERPLATE = xp(
    "descendant::script | descendant::style | descendant::noscript | descendant::template"
    " | descendant::form | descendant::nav | descendant::aside | descendant::iframe | descendant::svg"
    " | descendant::button | descendant::select | descendant::input"
    f" | descendant::*[{_class('sharedaddy')} or {_class('jp-relatedposts')} or {_class('sd-sharing')}"
    f" or {_class('share-buttons')} or {_class('social-share')} or {_class('sharing')}"
    f" or {_class('related-posts')} or {_class('yarpp-related')} or {_class('crp_related')}"
    f" or {_class('newsletter')} or {_class('advertisement')} or {_class('ad-slot')}"
    f" or {_class('adsbygoogle')}"
    f" or {_class('wp-block-buttons')} or {_class('post-tags')} or {_class('screen-reader-text')}"
    f" or {_class('author-bio')} or {_class('comments-area')} or {_class('comment-respond')}"
    f" or {_class('wp-block-comments')} or {_class('wp-block-post-navigation-link')}"
    # page-number and tag boxes
    f" or {_class('pagination')} or {_class('tags')} or {_class('tags-links')} or {_class('entry-tags')}"
    " or @id='jp-relatedposts' or @id='comments' or @id='respond' or @aria-hidden='true']"
)

_BOILERPLATE_TAGS = frozenset(re.findall(r"descendant::(\w+)", BOILERPLATE.expression))
_BOILERPLATE_CLASSES = frozenset(_CLASS_NAME.findall(BOILERPLATE.expression))
_BOILERPLATE_IDS = frozenset(("jp-relatedposts", "comments", "respond"))
_XML_SPACE = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space() splits on
_PLAIN = re.compile(r"[!-~ \t\r\n]*")  # printable ASCII: str.split() splits it the same way


def boilerplate(fragment: etree._Element) -> list[etree._Element]:
    """What ``BOILERPLATE`` finds inside ``fragment`` (the same elements, in document order), by one walk
    over its elements instead of the XPath's many passes."""
    found = []
    for element in fragment.iterdescendants(etree.Element):
        if element.tag in _BOILERPLATE_TAGS:
            found.append(element)
            continue
        get = element.get
        if get("id") in _BOILERPLATE_IDS or get("aria-hidden") == "true":
            found.append(element)
            continue
        value = get("class")
        if value and not _BOILERPLATE_CLASSES.isdisjoint(
            value.split() if _PLAIN.fullmatch(value) else _XML_SPACE.split(value)
        ):
            found.append(element)
    return found


# Class or id tokens of ads, sponsored boxes and ad-inserter wrappers ("ad-unit", "code-block-3", …).
_AD_TOKEN = re.compile(
    r"^(?:ad|ads|advert|adverts|advertisement|adsense|adunit|ad-?slot|sponsor(?:ed)?|promo|dfp|gpt|"
    r"code-block(?:-\d+)?)(?:$|[-_])",
    re.I,
)


# Class or id tokens of share bars, related-post boxes, newsletter sign-ups and other widgets inside
# a body ("swp_social_panel", "jp-relatedposts", "article-related", "robots-nocontent", …), print and
# pin buttons, donation and pop-up boxes, cookie notices, the author's bio box after a post, previous/next
# post navigation, and other posts' titles (teasers).
_WIDGET_TOKEN = re.compile(
    r"(?:^|[-_])(?:share|shares|sharing|sharedaddy|social|related|relatedposts|newsletter|subscribe|signup|"
    r"popular|trending|recommended|outbrain|taboola|addtoany|sharethis|nocontent|noprint|wpcnt|wpa|"
    r"slideshow-noscript|credit|credits|gallery|print|pin|pinit|donation|donate|modal|popup|cookie|"
    r"cookies|consent|author-?box|author-?bio|about-?(?:the-?)?author|shariff|nav-next|nav-previous|post-navigation)"
    r"(?:$|[-_])",
    re.I,
)


_HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


def is_hidden_title_copy(element: etree._Element) -> bool:
    """hAtom's copy of the post title that some themes hide in the content (``<span class="entry-title">``
    in Zakra's ``div.extra-hatom``, Spacious): an ``entry-title`` that is no heading."""
    value = element.get("class")
    return bool(value) and "entry-title" in value.split() and element.tag not in _HEADING_TAGS


def is_ad_or_promo(classes: str | None, element_id: str | None = None) -> bool:
    """Whether an element's class or id marks it as an ad, a sponsored box, an ad-inserter wrapper or a
    widget (share bar, related posts, newsletter sign-up)."""
    return bool(classes and _promo_classes(classes)) or bool(element_id and _promo_token(element_id))


def _promo_token(token: str) -> bool:
    return bool(_AD_TOKEN.match(token) or _WIDGET_TOKEN.search(token))


@lru_cache(maxsize=4096)
def _promo_classes(classes: str) -> bool:
    """``_promo_token`` for any word of a class value (cached: the same values recur on every page)."""
    return any(map(_promo_token, classes.split()))


JSON_LD = xp("//script[@type='application/ld+json']")
# Microdata items worth reading: articles, reviews, TV episodes/seasons/series, comments.
MICRODATA_TYPES = ("Article", "Posting", "Review", "TV", "Episode", "Comment")
MICRODATA_ITEMS = xp(
    "//*[@itemscope][" + " or ".join(f"contains(@itemtype, '{name}')" for name in MICRODATA_TYPES) + "]",
    needles=MICRODATA_TYPES,  # given: the literals would leave out the two-letter "TV" (TVSeries pages)
)
META = xp("//meta[@content]")
GENERATOR = xp("//meta[@name='generator' or @name='Generator']/@content")
CANONICAL = xp("//link[@rel='canonical']/@href")
BODY_CLASS = xp("//body/@class")
LANG = xp("/html/@lang")
HEAD_TITLE = xp("//title/text()")
TOP_ARTICLES = xp("//article[not(ancestor::article)]")
# Separate posts on a page (more than one means a listing): top-level articles that are not comments.
POSTS = xp(
    "//article[not(ancestor::article)][not(ancestor::li)][not(ancestor::*[@id='comments'])]"
    "[not(contains(@class, 'comment'))]"
)
BLOGGER_POSTS = xp(f"//*[{_class('post-outer')}]")
H1 = xp("//h1")

# ---------------------------------------------------------------- comments (all platforms)
COMMENT_FORM = xp(f"//form[@id='commentform' or {_class('comment-form')}]")
COMMENTS_CLOSED = xp(f"//*[{_class('no-comments')} or {_class('comments-closed')}]")
COMMENTS_TITLE_TEXT = xp(f"//*[{_class('comments-title')} or {_class('wp-block-comments-title')}]//text()")
COMMENT_PAGE_LINKS = xp("//a[contains(@href, 'comment-page-') or contains(@href, 'cpage=')]/@href")
# schema.org Comment in microdata (JSON-LD comments are read from the parsed objects).
MICRODATA_COMMENTS = xp("//*[@itemscope][contains(@itemtype, 'schema.org/Comment')]")

# Comment widgets that a script fills in the browser: the HTML has a placeholder, not the comments.
# Each is looked for only when the page's source has the provider's name.
HOSTED_COMMENTS = {
    "disqus": xp(
        "//*[@id='disqus_thread'] | //script[contains(@src, 'disqus.com/')]"
        " | //script[contains(., 'disqus_config') or contains(., 'disqus_shortname')]",
        ("disqus",),
    ),
    "facebook": xp(f"//*[{_class('fb-comments')}]", ("fb-comments",)),
    "openweb": xp(
        "//script[contains(@src, 'spot.im') or contains(@src, 'openweb')]"
        " | //*[@data-spotim-module or @data-openweb-module] | //*[starts-with(local-name(), 'openweb-')]",
        ("spot.im", "spotim", "openweb"),
    ),
    "commento": xp("//*[@id='commento'] | //script[contains(@src, 'commento')]", ("commento",)),
    "hyvor": xp(
        "//hyvor-talk-comments | //*[@id='hyvor-talk-view'] | //script[contains(@src, 'hyvor')]", ("hyvor",)
    ),
    "giscus": xp(f"//script[contains(@src, 'giscus.app')] | //*[{_class('giscus')}]", ("giscus",)),
    "utterances": xp("//script[contains(@src, 'utteranc.es')]", ("utteranc.es",)),
    "remark42": xp(
        "//*[@id='remark42'] | //script[contains(., 'remark_config')]", ("remark42", "remark_config")
    ),
    "coral": xp(
        "//*[@id='coral_thread'] | //script[contains(., 'createStreamEmbed')]",
        ("coral_thread", "createStreamEmbed"),
    ),
    "viafoura": xp(f"//*[{_class('viafoura')}] | //script[contains(@src, 'viafoura')]", ("viafoura",)),
    "vuukle": xp(f"//*[{_class('vuukle-comments')}] | //script[contains(@src, 'vuukle')]", ("vuukle",)),
    "intensedebate": xp(
        "//script[contains(@src, 'intensedebate')] | //*[@id='idc-container']",
        ("intensedebate", "idc-container"),
    ),
    "ghost": xp(
        "//script[@data-ghost-comments] | //script[contains(@src, 'comments-ui')]",
        ("ghost-comments", "comments-ui"),
    ),
}

"""trafilatura's XPath expressions with their regular-expression tests done in XPath itself.

trafilatura prunes a page with XPath expressions that test ``@id`` and ``@class`` with EXSLT's
``re:test(…)``. lxml answers every such test with a call into Python, for every element the
expression reaches: on our pages that is two thirds of the time its XPaths take, and a good share of
the whole extraction's (docs/performance.md). Most of those regular expressions are alternations of
plain words with an optional character or an anchor (``'^shar|social|bread-?crumb'``), which XPath's
own ``contains()``, ``starts-with()`` and ``=`` say exactly, without leaving libxml2.

``rewrite`` turns each ``re:test(ATTR, 'PATTERN')`` it can into that XPath, and leaves the others in
place behind a test that must hold whenever they do (the attribute is there, or a word every match
needs is in it), so they still give the same answer, only less often asked. ``faster_xpaths()``
puts the rewritten expressions in trafilatura's lists while a call of ours runs and puts the
originals back after it: trafilatura itself, anyone else's use of it in the process, and its
benchmark runs are untouched. Both forms select the same nodes (tests/test_speed_equivalence_trafilatura.py
checks every expression on every element of our fixture pages; docs/performance.md gives the
figures on the shared corpora).

Most expressions go further: ``trafilatura_predicates.compile_path`` reads them into Python loops that
select the same nodes (``IN_PYTHON``), three to five times faster than libxml2 evaluates them; the
rewritten XPath stays for any it cannot read.

A few expressions can only match where a given word is in some id or class value (``GUARD_WORDS``:
comment sections, appended articles, teasers, captions). Given the document it is about to read,
``faster_xpaths`` skips them when the document's ids and classes hold none of their words.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from itertools import product

from lxml import etree

from .trafilatura_predicates import InPython, compile_path

try:  # Python 3.11+
    import re._constants as _C  # type: ignore[import-not-found]
    import re._parser as _parser  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _C  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

REGEXP_NS = "http://exslt.org/regular-expressions"
# The lists of compiled expressions trafilatura's extraction (not its metadata) runs, in trafilatura.xpaths.
LISTS = (
    "BODY_XPATH",
    "OVERALL_DISCARD_XPATH",
    "TEASER_DISCARD_XPATH",
    "PRECISION_DISCARD_XPATH",
    "DISCARD_IMAGE_ELEMENTS",
    "RAW_TREE_PRUNE_XPATH",
    "REMOVE_COMMENTS_XPATH",
    "REMOVE_COMMENTS_AND_LISTS_XPATH",
    "COMMENTS_XPATH",
    "COMMENTS_DISCARD_XPATH",
)
# Tokens of an expanded alternative besides its characters (two characters long, so never one of them).
_START, _END, _SPACE = "^^", "$$", "\\s"
MAX_ALTERNATIVES = 256
ENABLED = True  # False: trafilatura runs its own expressions (tests compare the two)
IN_PYTHON = True  # False: the rewritten XPaths only (``trafilatura_predicates`` not used)
# Past this many plain-word conditions the XPath form is slower than one call into Python (each
# condition reads the attribute again): the test stays, behind its guard.
MAX_CONDITIONS = 6
# Expressions that select nothing unless one of these words occurs, in any case, in an id or class value of
# the document trafilatura reads: for every test in them, a word each of its matches holds. Keyed by a
# digest of trafilatura's own expression text (``_digest``), so that an expression another trafilatura
# version changes runs unguarded. With them, these expressions (raw-tree pruning of appended articles and
# share bars, comment sections, teasers, captions) are skipped on most pages, where they walk every element
# for nothing.
GUARD_WORDS: dict[str, tuple[str, ...]] = {
    # RAW_TREE_PRUNE_XPATH[0]: mvp-post-add-(?:box|wrap), infinite-?scroll in @id or @class
    "f1e18cc2572d0470": ("mvp-post-add-", "infinitescroll", "infinite-scroll"),
    # RAW_TREE_PRUNE_XPATH[1]: contains(@class, 'elementor-share-buttons')
    "12b073ccb20e9633": ("elementor-share-buttons",),
    # REMOVE_COMMENTS_XPATH[0] and REMOVE_COMMENTS_AND_LISTS_XPATH[0]: ^(?:[Cc]omment(?!ary)|comol|
    # disqus_thread|dsq-comments) in @id, ^[Cc]omment(?!ary)|(?:article|post)-comments in @class
    "8c7772f12584ea4e": ("comment", "comol", "disqus_thread"),
    "98cf895224cd33bc": ("comment", "comol", "disqus_thread"),
    # TEASER_DISCARD_XPATH[0]: contains(translate(@id|@class, 'T', 't'), 'teaser')
    "c0b22696021e35a7": ("teaser",),
    # DISCARD_IMAGE_ELEMENTS[0]: contains(@id|@class, 'caption')
    "6bf0a57a4c4cd449": ("caption",),
}
_VOCABULARY: ContextVar[str | None] = ContextVar("trafilatura_vocabulary", default=None)
_CLASSES_AND_IDS = etree.XPath("//@class | //@id", smart_strings=False)
_RE_TEST = re.compile(r"re:test\(((?:[^()',]|'[^']*')+),\s*'([^']*)'(?:,\s*'([^']*)')?\)")


class _Unsupported(Exception):
    pass


def _expand(items: list) -> list[tuple[str, ...]]:
    """Every string of tokens the parsed pattern ``items`` matches (chars, ``_START``, ``_END``,
    ``_SPACE`` for any ``\\s``); raises ``_Unsupported`` for anything else or too many strings."""
    alternatives: list[tuple[str, ...]] = [()]
    for op, av in items:
        if op is _C.LITERAL:
            options: list[tuple[str, ...]] = [(chr(av),)]
        elif op is _C.AT and av is _C.AT_BEGINNING:
            options = [(_START,)]
        elif op is _C.AT and av is _C.AT_END:
            options = [(_END,)]
        elif op is _C.BRANCH:
            options = [alt for branch in av[1] for alt in _expand(list(branch))]
        elif op is _C.SUBPATTERN and not av[1] and not av[2]:
            options = _expand(list(av[3]))
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT) and av[1] is not _C.MAXREPEAT and av[1] <= 2:
            inner = _expand(list(av[2]))
            options = [
                tuple(token for part in parts for token in part)
                for count in range(av[0], av[1] + 1)
                for parts in product(inner, repeat=count)
            ]
        elif op is _C.IN:
            options = []
            for kind, value in av:
                if kind is _C.LITERAL:
                    options.append((chr(value),))
                elif kind is _C.CATEGORY and value is _C.CATEGORY_SPACE:
                    options.append((_SPACE,))
                elif kind is _C.RANGE and value[1] - value[0] < 16:
                    options += [(chr(c),) for c in range(value[0], value[1] + 1)]
                else:
                    raise _Unsupported(kind)
        else:
            raise _Unsupported(op)
        alternatives = [a + b for a in alternatives for b in options]
        if len(alternatives) > MAX_ALTERNATIVES:
            raise _Unsupported("too many alternatives")
    return alternatives


def _literal(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    raise _Unsupported("quote")


def _condition(subject: str, tokens: tuple[str, ...]) -> str | None:
    """XPath true exactly when ``re.search`` of the alternative ``tokens`` finds ``subject``'s string;
    None when the alternative can never match."""
    start = tokens[:1] == (_START,)
    while tokens[:1] == (_START,):
        tokens = tokens[1:]
    end = tokens[-1:] == (_END,)
    while tokens[-1:] == (_END,):
        tokens = tokens[:-1]
    if _START in tokens:
        return None  # '^' after a character never matches (no MULTILINE)
    if _END in tokens or _SPACE in tokens:
        raise _Unsupported("anchor or \\s inside")
    text = "".join(tokens)
    # Python's '$' matches at the end and before a final newline.
    if start and end:
        return f"({subject}={_literal(text)} or {subject}={_literal(text + chr(10))})"
    if start:
        return f"starts-with({subject}, {_literal(text)})" if text else "true()"
    if end:
        if not text:
            return "true()"
        size = len(text)
        return (
            f"(substring({subject}, string-length({subject}) - {size - 1})={_literal(text)}"
            f" or substring({subject}, string-length({subject}) - {size})={_literal(text + chr(10))})"
        )
    return f"contains({subject}, {_literal(text)})" if text else "true()"


def _needed_words(alternatives: list[tuple[str, ...]]) -> list[str] | None:
    """For each alternative, its longest run of plain characters (a substring every match has), or
    None when some alternative has none."""
    words = []
    for tokens in alternatives:
        runs = "".join(t if t not in (_START, _END, _SPACE) else "\0" for t in tokens).split("\0")
        longest = max(runs, key=len)
        if not longest:
            return None
        words.append(longest)
    return list(dict.fromkeys(words))


def xpath_for_re_test(subject: str, pattern: str, flags: str = "") -> str:
    """An XPath expression with the same truth as ``re:test(subject, 'pattern', 'flags')``."""
    original = f"re:test({subject}, {_literal(pattern)}" + (f", {_literal(flags)})" if flags else ")")
    matches_empty = re.search(pattern, "", re.I if "i" in flags else 0) is not None
    guard = f"({subject} and {original})" if not matches_empty else original
    if flags:
        return guard
    try:
        alternatives = _expand(list(_parser.parse(pattern)))
        if any(_SPACE in tokens for tokens in alternatives):
            words = _needed_words(alternatives)
            if not words or len(words) > MAX_CONDITIONS:
                return guard
            needed = " or ".join(f"contains({subject}, {_literal(word)})" for word in words)
            return f"(({needed}) and {original})"
        conditions = [c for tokens in alternatives if (c := _condition(subject, tokens)) is not None]
    except (_Unsupported, re.error):
        return guard
    conditions = list(dict.fromkeys(conditions))
    if "true()" in conditions:
        return "true()"
    if len(conditions) > MAX_CONDITIONS:
        return guard
    return f"({' or '.join(conditions)})" if conditions else "false()"


def rewrite(path: str) -> str:
    """``path`` with every ``re:test(…)`` in it replaced by ``xpath_for_re_test``'s expression."""
    return _RE_TEST.sub(lambda m: xpath_for_re_test(m.group(1).strip(), m.group(2), m.group(3) or ""), path)


def _digest(path: str) -> str:
    return hashlib.sha1(" ".join(path.split()).encode()).hexdigest()[:16]


def vocabulary(document: etree._Element) -> str:
    """Every id and class value of ``document``'s tree, lowercased and joined: what guarded expressions
    look their words up in."""
    return "\n".join(_CLASSES_AND_IDS(document)).lower()


class _Guarded:
    """An expression that runs only when one of its ``words`` is in the vocabulary of the document being
    read (``faster_xpaths(document)``); it runs as ever where none is known (another caller, another
    thread). trafilatura only deletes from its copies of that document, so no id or class appears
    in them that the vocabulary lacks."""

    __slots__ = ("xpath", "words", "path")

    def __init__(self, xpath: etree.XPath | InPython, words: tuple[str, ...]) -> None:
        self.xpath, self.words, self.path = xpath, words, xpath.path

    def __call__(self, tree: etree._Element, **variables: object) -> list:
        known = _VOCABULARY.get()
        if known is not None and not any(word in known for word in self.words):
            return []
        return self.xpath(tree, **variables)


def _faster(original: etree.XPath) -> etree.XPath | InPython | _Guarded:
    """The expression answered in Python when ``compile_path`` reads it, else rewritten; guarded by
    ``GUARD_WORDS`` when it has some."""
    select = compile_path(original.path) if IN_PYTHON else None
    faster: etree.XPath | InPython = (
        InPython(select, original)
        if select is not None
        else etree.XPath(rewrite(original.path), namespaces={"re": REGEXP_NS}, smart_strings=False)
    )
    words = GUARD_WORDS.get(_digest(original.path))
    return _Guarded(faster, words) if words else faster


@lru_cache(maxsize=1)
def _swaps() -> tuple[tuple[list, list, list], ...]:
    """(trafilatura's list, its originals, their faster forms) for every list of ``LISTS``."""
    from trafilatura import xpaths

    swaps = []
    for name in LISTS:
        found = getattr(xpaths, name, None)
        if not isinstance(found, list) or not all(isinstance(x, etree.XPath) for x in found):
            continue
        # (Plain strings for the tests' arguments: a "smart" one also makes an element proxy for its parent.)
        swaps.append((found, list(found), [_faster(x) for x in found]))
    return tuple(swaps)


@contextmanager
def faster_xpaths(document: etree._Element | None = None) -> Iterator[None]:
    """trafilatura's extraction lists hold the rewritten expressions while the block runs; with the
    ``document`` it is about to read, the guarded ones (``GUARD_WORDS``) are skipped where it cannot
    match them.

    Both forms select the same nodes, so a thread that reads the lists meanwhile gets the same
    answers either way (the vocabulary is this context's only)."""
    if not ENABLED:
        yield
        return
    swaps = _swaps()
    token = _VOCABULARY.set(vocabulary(document) if document is not None else None)
    for target, _, faster in swaps:
        target[:] = faster
    try:
        yield
    finally:
        for target, originals, _ in swaps:
            target[:] = originals
        _VOCABULARY.reset(token)

"""Quoted spans in a text: double quotation marks (and „…“, «…»), and British single marks ‘…’ and '…'."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Opening mark → closing marks. „…“ and „…” are German/Polish; «…» French.
_QUOTE_SPAN = re.compile(r"“([^“”]*)”|\"([^\"]*)\"|„([^„“”]*)[“”]|«\s*([^«»]*?)\s*»")


# British single marks ‘…’: the opening mark after a space or punctuation, the closing one not followed by
# a letter or digit (an apostrophe inside, as in ‘You’ve’, is followed by one).
# A dialect's elision ("no’ getting", "an’ a’", "wi’ the", "goin’ hame") is no closing mark where a later
# one closes the quote on the same line (heldout15's Scots column).
_ELIDED_BEFORE = r"(?:(?<=\ban’)|(?<=\bwi’)|(?<=\bo’)|(?<=\ba’)|(?<=[a-z]in’)|(?<=\bno’)(?=\s+[a-z]+ing\b))"
_CLOSER_LATER = r"(?=\s+[a-z][^‘\n]{0,200}?’(?![\w’])|’(?![\w’]))"
_SINGLE_SPAN = re.compile(
    r"(?<![\w’‘])‘((?:[^‘’“”\"„«»\n]|’(?=\w)|’"
    + _ELIDED_BEFORE
    + _CLOSER_LATER
    + r"|“[^“”‘’\n]{1,200}”){1,400}?)’(?![\w’])(?!"
    + _ELIDED_BEFORE
    + _CLOSER_LATER
    + ")"
)


# A straight ' that may open a quote: at the start, or after a space, an opening bracket or a dash (the
# lookbehind after the mark keeps the scan as quick as one for a literal).
_MAY_OPEN_AFTER = r"(?<![^\s(\[{—–-]')"
_STRAIGHT_MAY_OPEN = re.compile("'" + _MAY_OPEN_AFTER)

_HAS_QUOTE_MARK = re.compile(r"[“\"„«‘']" + _MAY_OPEN_AFTER)

# Straight single marks '…' (sites without smart quotes): an opening mark followed by a letter, a digit or
# another opening mark; a closing mark after a non-space and not followed by a letter or digit. One after
# a letter may be an elision (``no' daft``, ``the players' union``): it closes only where no later mark
# could. A mark between letters (``don't``, ``O'Brien``) is an apostrophe.
_STRAIGHT_MARK = re.compile("'" + _MAY_OPEN_AFTER + r"(?=[^\W_]|[“\"‘„«'])|(?<=\S)'(?![^\W_])")
# Openings that are elisions, not quotes: 'tis, 'em, '90s, rock 'n' roll.
_ELIDED_OPENING = re.compile(
    r"'(?:(?:tis|twas|twere|twill|em|n|cause|cos|til|bout|nuff)(?![^\W_])|\d\d(?:s|(?![^\W_])))",
    re.IGNORECASE,
)
_ELIDED_N = re.compile(r"(?<![^\W_])'n'(?![^\W_])", re.IGNORECASE)  # the closing mark of rock 'n' roll
_DOUBLE_MARK = re.compile(r"[“”\"„«»]")
_LONGEST_SINGLE = 400  # characters inside single marks, as for ‘…’
_OPEN, _CLOSE, _ELISION_OR_CLOSE = "open", "close", "elision or close"


@dataclass(frozen=True)
class QuoteSpan:
    """One quoted span inside a text: offsets of the marks and the text between them."""

    start: int
    end: int
    text: str


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every non-nested span in double or single quotation marks, in order; an unclosed mark starts none."""
    spans: list[QuoteSpan] = []
    if not _HAS_QUOTE_MARK.search(text):
        return spans  # most paragraphs: one quick scan instead of iterating finditer
    for match in _QUOTE_SPAN.finditer(text):
        inner = next(g for g in match.groups() if g is not None)
        inner = inner.strip()
        if inner:
            spans.append(QuoteSpan(match.start(), match.end(), inner))
    if "‘" in text:
        spans = _with_single_spans(text, spans)
    if "'" in text and _STRAIGHT_MAY_OPEN.search(text):
        spans = _with_straight_single_spans(text, spans)
    return spans


def _with_single_spans(text: str, spans: list[QuoteSpan]) -> list[QuoteSpan]:
    """``spans`` and the spans in single marks ‘…’ outside them (one inside double marks is nested)."""
    found = [
        QuoteSpan(m.start(), m.end(), m.group(1).strip())
        for m in _SINGLE_SPAN.finditer(text)
        if m.group(1).strip() and not any(s.start <= m.start() < s.end for s in spans)
    ]
    if not found:
        return spans
    # (‘A birdwatcher. Says he heard “a sort of splash”.’: the double marks nested in single ones)
    outer = [s for s in spans if not any(f.start < s.start and s.end <= f.end for f in found)]
    return sorted(outer + found, key=lambda span: span.start)


def _with_straight_single_spans(text: str, spans: list[QuoteSpan]) -> list[QuoteSpan]:
    """``spans`` and the spans in straight single marks '…' outside them; none where the marks of the
    text do not pair up cleanly (a mark left over, a span longer than ‘…’ may be)."""
    pairs = _straight_pairs(_straight_marks(text, spans))
    if not pairs:
        return spans
    found = []
    for start, end in pairs:
        inner = text[start + 1 : end]
        if len(inner) > _LONGEST_SINGLE or "\n" in inner:
            return spans
        nested = [s for s in spans if start < s.start and s.end <= end]
        if _DOUBLE_MARK.search(_without(inner, start + 1, nested)):
            return spans  # a double mark that pairs with nothing inside it
        if inner.strip():
            found.append(QuoteSpan(start, end + 1, inner.strip()))
    outer = [s for s in spans if not any(f.start < s.start and s.end <= f.end for f in found)]
    return sorted(outer + found, key=lambda span: span.start)


def _straight_marks(text: str, spans: list[QuoteSpan]) -> list[tuple[int, str]]:
    """The straight single marks that may open or close a quote, in order, with what they may do; none
    inside another span (nested), none of an elided opening."""
    elided = {m.start() for m in _ELIDED_OPENING.finditer(text)}
    elided.update(m.end() - 1 for m in _ELIDED_N.finditer(text))
    marks = []
    for match in _STRAIGHT_MARK.finditer(text):
        at = match.start()
        if at in elided or any(s.start <= at < s.end for s in spans):
            continue
        if at == 0 or text[at - 1].isspace() or text[at - 1] in "([{—–-":
            marks.append((at, _OPEN))
        else:
            marks.append((at, _ELISION_OR_CLOSE if text[at - 1].isalpha() else _CLOSE))
    return marks


def _straight_pairs(marks: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """Opening and closing offsets of each quote the marks make; none unless every mark pairs up."""
    pairs: list[tuple[int, int]] = []
    opened: int | None = None
    for index, (at, kind) in enumerate(marks):
        if kind == _OPEN:
            if opened is not None:
                return []  # an opening mark inside a quote
            opened = at
        elif opened is None:
            if kind == _CLOSE:
                return []  # a closing mark that nothing opened
        elif kind == _CLOSE or not _closer_follows(marks, index):
            pairs.append((opened, at))
            opened = None
    return [] if opened is not None else pairs


def _closer_follows(marks: list[tuple[int, str]], index: int) -> bool:
    """Whether the mark after ``index`` may close a quote (then an elision at ``index`` is one)."""
    return index + 1 < len(marks) and marks[index + 1][1] != _OPEN


def _without(inner: str, offset: int, nested: list[QuoteSpan]) -> str:
    """``inner`` (starting at ``offset`` in its text) without the ``nested`` spans in it."""
    kept, at = [], offset
    for span in nested:
        kept.append(inner[at - offset : span.start - offset])
        at = span.end
    kept.append(inner[at - offset :])
    return "".join(kept)

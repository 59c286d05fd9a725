"""Quoted spans in a text: double quotation marks (and „…“, «…»), and British single marks ‘…’."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Opening mark → closing marks. „…“ and „…” are German/Polish; «…» French.
_QUOTE_SPAN = re.compile(r"“([^“”]*)”|\"([^\"]*)\"|„([^„“”]*)[“”]|«\s*([^«»]*?)\s*»")


# British single marks ‘…’: the opening mark after a space or punctuation, the closing one not followed by
# a letter or digit (an apostrophe inside, as in ‘You’ve’, is followed by one).
_SINGLE_SPAN = re.compile(r"(?<![\w’‘])‘((?:[^‘’“”\"„«»\n]|’(?=\w)|“[^“”‘’\n]{1,200}”){1,400}?)’(?![\w’])")


_HAS_QUOTE_MARK = re.compile(r"[“\"„«‘]")


@dataclass(frozen=True)
class QuoteSpan:
    """One quoted span inside a text: offsets of the marks and the text between them."""

    start: int
    end: int
    text: str


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every non-nested span in double quotation marks, in order; an unclosed mark starts none."""
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

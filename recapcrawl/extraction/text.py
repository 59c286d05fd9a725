"""Small text helpers shared by the extraction modules."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


def clean(text: str | None) -> str:
    """Collapse every run of white space to one space and trim; None becomes ''."""
    if not text:
        return ""
    # str.split() splits at exactly the characters re's \s matches, and is several times faster than re.sub.
    return " ".join(_ZERO_WIDTH.sub("", text).split())


def clean_lines(text: str) -> str:
    """Like ``clean`` but keeps line breaks: spaces collapsed per line, blank runs to one blank line."""
    text = _ZERO_WIDTH.sub("", text)
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def normalized(text: str) -> str:
    """Casefolded NFKC text for comparisons (× becomes x, curly stays curly)."""
    return unicodedata.normalize("NFKC", clean(text)).casefold()

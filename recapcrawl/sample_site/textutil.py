"""Text helpers shared by the renderers and the ground truth.

Content texts are small HTML fragments written in plain Unicode (curly quotes, apostrophes and the
times sign as characters).  The WordPress renderer turns them into the numeric entities wptexturize
emits; the ground truth reads them back the way a browser shows them.
"""

from __future__ import annotations

import html
import re

_TAG_RE = re.compile(r"<[^>]+>")
_WS_RE = re.compile(r"\s+")

#: Spans in double quotation marks that count as inline quotes: “…”, "…", „…“ and «…».
QUOTE_RE = re.compile(r"“([^“”]+)”|\"([^\"]+)\"|„([^„“”]+)[“”]|«([^«»]+)»")

# wptexturize output: characters WordPress writes as numeric entities.
_WP_ENTITIES = {
    "“": "&#8220;",
    "”": "&#8221;",
    "‘": "&#8216;",
    "’": "&#8217;",
    "–": "&#8211;",
    "—": "&#8212;",
    "…": "&#8230;",
    "×": "&#215;",
    '"': "&quot;",
}
_WP_ENTITY_RE = re.compile("|".join(map(re.escape, _WP_ENTITIES)))
_SPLIT_TAGS_RE = re.compile(r"(<[^>]+>)")


def plain(fragment: str) -> str:
    """Return the text a reader sees for an HTML fragment: tags stripped, entities decoded,
    whitespace collapsed to single spaces and trimmed."""
    text = html.unescape(_TAG_RE.sub("", fragment))
    return _WS_RE.sub(" ", text).strip()


def plain_lines(fragment: str) -> str:
    """Like :func:`plain` but keep line breaks (``\\n``) inside the fragment."""
    lines = (plain(line) for line in fragment.split("\n"))
    return "\n".join(line for line in lines if line)


def texturize(fragment: str) -> str:
    """Encode curly quotes, dashes, the times sign and straight double quotes in the text parts of
    ``fragment`` as the numeric entities WordPress's wptexturize produces (tags are left alone)."""
    parts = _SPLIT_TAGS_RE.split(fragment)
    for i in range(0, len(parts), 2):
        parts[i] = _WP_ENTITY_RE.sub(lambda m: _WP_ENTITIES[m.group(0)], parts[i])
    return "".join(parts)


def attr(text: str) -> str:
    """Escape plain text for use inside a double-quoted HTML attribute."""
    return html.escape(text, quote=True)


def esc(text: str) -> str:
    """Escape plain text for use as HTML element content."""
    return html.escape(text, quote=False)


def quote_spans(text: str) -> list[str]:
    """Texts inside double quotation marks in ``text`` (already plain), without the marks."""
    return [next(g for g in m.groups() if g is not None).strip() for m in QUOTE_RE.finditer(text)]


def slugify(name: str) -> str:
    """A WordPress-style slug: lower case ASCII words joined by hyphens."""
    text = plain(name).lower().replace("×", "x").replace("&", "")
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return text.strip("-")

"""Show names as join keys: the same show written two ways on two sites gives the same key.

Shared by extraction and storage (``recaps.show_key``, the ``show_aliases`` view); no imports
beyond the standard library.

``normalize_show("For All Mankind (Apple TV+)") == normalize_show("For All Mankind")``. The key
drops case, accents, punctuation, a leading article, "&"/"and" differences, a trailing
"season N" or "series two" (also bracketed or after a breadcrumb's ›), "S2", "TV series" or
"recap", and a bracketed network or streaming service; it keeps a bracketed year or country,
which tell remakes apart (``Doctor Who (2005)``, ``The Office (US)``).
"""

from __future__ import annotations

import re
import unicodedata

_NETWORKS = (
    "abc|amc\\+?|amazon|amazon prime|prime video|prime|apple tv\\+?|apple tv plus|apple|"
    "bbc(?: one| two| three)?|"
    "bravo|cbs|cw|the cw|disney\\+?|disney plus|espn|fox|fx|fxx|fx on hulu|hbo|hbo max|max|hulu|itv|"
    "netflix|nbc|paramount\\+?|paramount plus|peacock|showtime|starz|syfy|tnt|tbs|usa|channel 4|"
    "sky|sky atlantic|crunchyroll|britbox|acorn tv|shudder|mgm\\+?|epix|pbs|adult swim|cartoon network|"
    "nickelodeon|freeform|a&e|history|discovery|tlc|hgtv|mtv|vh1|comedy central|national geographic"
)
_SUFFIX = re.compile(
    rf"\s*[(\[]\s*(?:(?:{_NETWORKS})(?:\s+(?:original|series|show))?|tv series|tv show|tv|series|"
    r"miniseries|limited series|u\.?s\.?(?= version)|version)\s*[)\]]\s*$",
    re.I,
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty"
)
_TRAILING_WORDS = re.compile(
    rf"(?:\s*[:\-–—|,›»>/]?\s*[(\[]?\s*(?:(?:season|series)\s+(?:\d+|{_NUMBER_WORDS})\b|s\d{{1,2}}|recaps?|"
    r"reviews?|tv series|tv show|the series|episode recaps?)\s*[)\]]?)+\s*$",
    re.I,
)
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


def normalize_show(name: str | None) -> str:
    """A join key for a show's name ('' for None); see the module docstring for what it ignores."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name).strip()
    text = text.strip("“”\"‘’'«»")
    for _ in range(3):
        before = text
        text = _SUFFIX.sub("", text)
        text = _TRAILING_WORDS.sub("", text)
        if text == before:
            break
    text = text.replace("&", " and ").replace("+", " plus ")
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch)
    )
    text = re.sub(r"[’'`]", "", text)
    text = re.sub(r"[^\w]+", " ", text).strip()
    text = _ARTICLE.sub("", text)
    return text or re.sub(r"\s+", " ", name.casefold()).strip()

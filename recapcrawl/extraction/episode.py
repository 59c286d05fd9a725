"""Show, season, episode number(s) and episode title(s) from a recap's title and terms.

Handles ``4×10``, ``4x10``, ``S04E10``, ``Season 4, Episode 10``, ``Season 4 Episode 10``,
two-parters (``5x09 & 5x10``, ``S05E09-E10``, ``Episodes 9 and 10``) and a bare
``Episode 4`` whose season is stated only in a category or tag (``Show Season 2``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import unquote, urlsplit

from ..models import Episode
from .text import clean, normalized

_X = r"\s*[x×X]\s*"
_SEP = r"\s*(?:&|and|\+|/|,|-|–|—)\s*"
OPEN_QUOTES = "“\"„«‘'"
CLOSE_QUOTES = "”\"“»’'"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # S05E09E10 / S05E09-E10 / S05E09 & S05E10
    (
        "sxe",
        re.compile(
            rf"\bS(?P<season>\d{{1,2}})\s*E(?P<ep>\d{{1,3}})(?:(?:{_SEP}|\s*)(?:S\d{{1,2}}\s*)?E(?P<ep2>\d{{1,3}}))?\b",
            re.I,
        ),
    ),
    # 5x09 & 5x10 / 5×09-10 / 4x10
    (
        "x",
        re.compile(
            rf"(?<![\w.])(?P<season>\d{{1,2}}){_X}(?P<ep>\d{{1,3}})"
            rf"(?:{_SEP}(?:(?P=season){_X})?(?P<ep2>\d{{1,3}}))?(?![\w.])"
        ),
    ),
    # Season 4, Episode 10 / Season 4 Episode 10 / Season 4 Episodes 9 and 10
    (
        "words",
        re.compile(
            rf"\bSeason\s+(?P<season>\d{{1,2}})\s*[,:\-–]?\s*Episodes?\s+(?P<ep>\d{{1,3}})"
            rf"(?:{_SEP}(?:Episode\s+)?(?P<ep2>\d{{1,3}}))?\b",
            re.I,
        ),
    ),
    # Episode 4 / Episodes 9 & 10 / Ep. 4
    (
        "episode",
        re.compile(
            rf"\b(?:Episodes?|Ep\.?)\s*(?P<ep>\d{{1,3}})(?:{_SEP}(?:Episode\s+)?(?P<ep2>\d{{1,3}}))?\b", re.I
        ),
    ),
]

_SEASON_TERM = re.compile(r"\bSeason\s+(\d{1,2})\b|\bS(\d{1,2})\b", re.I)
_RECAP_WORDS = re.compile(
    r"^(?:\s*(?:[:\-–—|,]|recap(?:\s*(?:&|and)\s*review)?|review(?:ed)?|recapped|rundown|"
    r"breakdown|reaction|discussion|thoughts|explained|tv review|episode review|tv recap)\s*)+",
    re.I,
)
_TRAILING_WORDS = re.compile(
    r"(?:\s*(?:[:\-–—|]|recap(?:\s*(?:&|and)\s*review)?|review|recapped|rundown|reaction)\s*)+$", re.I
)
_QUOTED = re.compile(r"[“\"„«‘]([^“”\"„«»‘’]+?)[”\"“»’]")
_LEADING_LABEL = re.compile(
    r"^\s*(?:tv\s+)?(?:recap|review|episode recap|episode review|recap\s*(?:&|and)\s*review)\s*[:\-–—|]\s*",
    re.I,
)


@dataclass(frozen=True)
class EpisodeMatch:
    """Where an episode marker sits in a title, and what it says."""

    start: int
    end: int
    season: int | None
    episodes: tuple[int, ...]
    style: str


def find_marker(text: str) -> EpisodeMatch | None:
    """The first episode marker in ``text`` (leftmost across all styles)."""
    best: EpisodeMatch | None = None
    for style, pattern in _PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        if best is not None and match.start() >= best.start:
            continue
        groups = match.groupdict()
        season = int(groups["season"]) if groups.get("season") else None
        episodes = [int(groups["ep"])]
        if groups.get("ep2"):
            second = int(groups["ep2"])
            if second > episodes[0]:
                episodes.extend(range(episodes[0] + 1, second + 1)) if second - episodes[0] <= 3 else (
                    episodes.append(second)
                )
        best = EpisodeMatch(match.start(), match.end(), season, tuple(episodes), style)
    return best


def _season_from_terms(terms: list[str], show: str | None) -> int | None:
    """A season stated in a category or tag such as ``Mercer & Vale Season 2``."""
    wanted = clean(show or "").casefold()
    fallback: int | None = None
    for term in terms:
        match = _SEASON_TERM.search(term)
        if not match:
            continue
        season = int(match.group(1) or match.group(2))
        if wanted and wanted.replace("&amp;", "&") in term.casefold().replace("&amp;", "&"):
            return season
        fallback = season if fallback is None else fallback
    return fallback


def _strip_quotes(text: str) -> str:
    return text.strip().strip(OPEN_QUOTES + CLOSE_QUOTES).strip()


def _titles_after(rest: str, count: int) -> tuple[str, ...]:
    """Episode title(s) from the text after the marker."""
    rest = rest.strip().strip("()[]").strip()
    if not rest:
        return ()
    # A quoted title right after the marker ("1x01 “Pilot” Recap: ...") wins.
    leading = re.match(r"^[:\-–—,]?\s*[“\"„«]([^”\"“»]+)[”\"“»]", rest)
    if leading:
        titles = [leading.group(1)]
        # Two-parters: “Signal” and “Noise”
        following = _QUOTED.findall(rest[leading.end() :])
        if count > 1:
            titles.extend(following[: count - 1])
        return tuple(clean(t).rstrip(",") for t in titles)
    rest = _RECAP_WORDS.sub("", rest)
    rest = re.sub(r"\s*\((?:recap|review|spoilers?)\)\s*$", "", rest, flags=re.I)
    rest = _TRAILING_WORDS.sub("", rest).strip()
    if not rest:
        return ()
    quoted = _QUOTED.findall(rest)
    if quoted and (len(quoted) > 1 or len(quoted[0]) >= len(rest) - 4):
        return tuple(clean(q).rstrip(",") for q in quoted[: max(count, 1)])
    # "Title (Recap)" or "Title — Season finale" style: keep the part before a separator.
    rest = re.split(r"\s+[|–—]\s+", rest)[0]
    return (clean(_strip_quotes(rest)).rstrip(","),) if rest else ()


_LABELLED_TITLE = re.compile(
    r"^(?P<show>.+?)\s+(?:recap|review|recapped|reviewed)\s*[:\-–—|]\s*(?P<title>.+?)\s*[(\[]?\s*$", re.I
)
_NAMED_IN_BODY = re.compile(
    r"\b(?:titled|called|named|entitled|dubbed)\s+(?:simply\s+)?[“\"„«]\s*(?P<title>[^”\"“»]{1,80}?)[,.]?\s*[”\"“»]"
)
_TITLE_CASE_QUOTE = re.compile(r"^[“\"„«]\s*(?P<title>(?:[A-Z0-9][\w’'\-]*[,.]?\s*){1,6})[”\"“»]")


def title_from_body(paragraphs: list[str]) -> str | None:
    """An episode title from the first paragraphs: ``titled “Tether,”``, or a Title-Case quote opening it."""
    for text in paragraphs[:3]:
        match = _NAMED_IN_BODY.search(text)
        if match:
            return clean(match.group("title")).rstrip(",.")
    if paragraphs:
        match = _TITLE_CASE_QUOTE.match(paragraphs[0])
        if match:
            return clean(match.group("title")).rstrip(",.")
    return None


def _show_before(prefix: str) -> str | None:
    show = _LEADING_LABEL.sub("", prefix)
    show = re.sub(r"[\s:\-–—|,(]+$", "", show)
    show = re.sub(r"\b(?:season\s+\d+|recap|review)$", "", show, flags=re.I).strip(" :-–—|,")
    show = _strip_quotes(show) if show[:1] in OPEN_QUOTES else show
    return clean(show) or None


def _show_from_terms(terms: list[str], title: str) -> str | None:
    folded = title.casefold()
    for term in terms:
        name = clean(re.sub(r"\s+season\s+\d+$", "", term, flags=re.I))
        if name and len(name) > 2 and name.casefold() in folded:
            return name
    return None


def _slug_text(url: str) -> str:
    slug = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    return re.sub(r"\.html?$", "", slug).replace("-", " ").replace("_", " ")


def _from_text(text: str, terms: list[str], is_title: bool) -> Episode | None:
    """The episode a title (or heading, slug or term) names, or None when it names none."""
    marker = find_marker(text)
    if marker is None:
        return None
    prefix = text[: marker.start]
    titles = _titles_after(text[marker.end :], len(marker.episodes)) if is_title else ()
    labelled = _LABELLED_TITLE.match(prefix) if is_title else None
    if labelled and not titles:
        # "Longhaul recap: “Quiet Running” (5x07)": the show before the label, the title after it.
        prefix = labelled.group("show")
        titles = (clean(_strip_quotes(labelled.group("title"))).rstrip(","),)
    show = _show_before(prefix)
    if show is None:
        show = _show_from_terms(terms, text)
    season = marker.season
    if season is None:
        season = _season_from_terms(terms, show)
    return Episode(show=show, season=season, episodes=marker.episodes, titles=titles)


def parse_episode(title: str | None, url: str = "", terms: list[str] | None = None) -> Episode | None:
    """Show, season, episode(s) and title(s) from a recap's title, with the URL slug as a fallback.

    Returns None when neither the title nor the slug names an episode.
    """
    terms = terms or []
    title = clean(title)
    return (_from_text(title, terms, True) if title else None) or _from_text(_slug_text(url), terms, False)


_SEASON_ONLY = re.compile(r"\bSeason\s+(?P<season>\d{1,2})\b", re.I)


def _with_show_case(show: str | None, candidates: list[str | None]) -> str | None:
    """A show name read from a lower-case slug, in the case a term or structured data writes it."""
    if not show or show != show.lower():
        return show
    for candidate in candidates:
        if candidate and normalized(candidate) == normalized(show):
            return candidate
    return show


def identify_episode(
    title: str | None,
    url: str = "",
    terms: list[str] | None = None,
    structured: Episode | None = None,
    headings: list[str] | Callable[[], list[str]] = (),
) -> Episode | None:
    """The episode(s) a page is about, from everywhere it can be stated.

    In order: the title; structured data (a ``TVEpisode``); the URL slug; a category or tag naming
    an episode (``Harbor Lights 2x05``); a heading on the page. Gaps (show, season, episode title)
    are filled from structured data, then terms. A page naming only a season gives an episode
    with no numbers, so the classifier can say it is about a whole season.
    """
    terms = terms or []
    title = clean(title)
    found = _from_text(title, terms, True) if title else None
    if found is None and structured is not None and structured.episodes:
        found = structured
    if found is None:
        found = _from_text(_slug_text(url), terms, False) if url else None
    for text in terms:
        if found is not None:
            break
        candidate = _from_text(text, terms, True)
        found = candidate if candidate is not None and candidate.show else None
    for text in () if found is not None else headings() if callable(headings) else headings:
        candidate = _from_text(clean(text), terms, True)
        if candidate is not None and candidate.show:
            found = candidate
            break
    if found is None:
        season_only = _SEASON_ONLY.search(title or "")
        if season_only:
            return Episode(
                show=_show_before(title[: season_only.start()]), season=int(season_only.group("season"))
            )
        return structured
    if structured is not None:
        same_count = len(structured.titles) == len(found.episodes) and (
            not structured.episodes or structured.episodes == found.episodes
        )
        found = replace(
            found,
            show=found.show or structured.show,
            season=found.season if found.season is not None else structured.season,
            titles=found.titles or (structured.titles if same_count else ()),
        )
    terms_shows = [clean(re.sub(r"\s+season\s+\d+$", "", t, flags=re.I)) for t in terms]
    show = _with_show_case(found.show, [structured.show if structured else None, *terms_shows])
    return replace(found, show=show) if show != found.show else found

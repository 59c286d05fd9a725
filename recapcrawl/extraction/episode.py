"""Show, season, episode number(s) and episode title(s) from a recap's title, terms and first sentences.

The styles themselves (``S04E10``, ``4x10``, ``3.07``, ``Season 4, Episode 10``, ``Series Two``,
``Episode 4 of Season 2``, ``Part II``, two-parters, ``the fifth episode``…) are a table of rules
in ``episode_grammar``; this module finds the leftmost marker any rule accepts and reads the show
before it and the episode title around it. A season may come from a category, tag or breadcrumb
(``Show › Season 2``). What cannot be read with confidence stays None.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import unquote, urlsplit

from ..models import Episode
from .episode_grammar import (
    DESCRIPTOR,
    EPISODE_PHRASE,
    GENERIC_TERMS,
    NEWS_WORDS,
    RULES,
    SEASON_LONG,
    SEASON_PHRASE,
    TERM_SEPARATORS,
    Rule,
    to_number,
)
from .text import clean, normalized

OPEN_QUOTES = "“\"„«‘'"
CLOSE_QUOTES = "”\"“»’'"
_MAX_RANGE = 3  # "Episodes 3-5" is a range; "Episode 4 - 12 Angry Men" is not


@dataclass(frozen=True)
class EpisodeMatch:
    """Where an episode marker sits in a text, and what it says."""

    start: int
    end: int
    season: int | None
    episodes: tuple[int, ...]
    style: str
    weak: bool = False


def _accepts(rule: Rule, text: str, start: int, end: int, context: str) -> bool:
    """Whether the rule's guards let a marker at ``text[start:end]`` stand."""
    if rule.not_before is not None and rule.not_before.search(text[:start]):
        return False
    if rule.must_after is not None and context == "title" and not rule.must_after.match(text[end:]):
        return False
    if rule.not_after is not None and rule.not_after.match(text[end:]):
        return False
    if rule.not_in_text is not None and rule.not_in_text.search(text):
        return False
    return rule.must_in_text is None or bool(rule.must_in_text.search(text))


def _read(rule: Rule, match: re.Match[str], text: str, context: str) -> EpisodeMatch | None:
    """The season and episode numbers a rule's match states, or None when they make no sense."""
    groups = match.groupdict()
    first = to_number(groups.get("ep") or groups.get("part"))
    if first is None:
        return None
    season = next(
        (
            to_number(groups[name])
            for name in ("season", "season_pre", "season_ord", "season_ord2")
            if groups.get(name)
        ),
        None,
    )
    end = match.end()
    episodes: tuple[int, ...] = (first,)
    last = to_number(groups.get("ep2"))
    if last is not None and first < last <= first + _MAX_RANGE:
        episodes = tuple(range(first, last + 1))
    elif groups.get("ep2"):  # not a range: the marker ends at the first number
        end = match.end("ep")
    if not _accepts(rule, text, match.start(), end, context):
        return None
    return EpisodeMatch(match.start(), end, season, episodes, rule.name, rule.weak)


def find_marker(text: str, context: str = "title") -> EpisodeMatch | None:
    """The leftmost episode marker in ``text`` any rule accepts (the longest, then the first rule, on ties).

    ``context`` is ``title`` (titles, headings, terms), ``slug`` or ``prose``.
    """
    best: EpisodeMatch | None = None
    for rule in RULES:
        if context not in rule.contexts:
            continue
        for match in rule.pattern.finditer(text):
            if best is not None and match.start() > best.start:
                break
            found = _read(rule, match, text, context)
            if found is None:
                continue
            if best is None or (found.start, -found.end) < (best.start, -best.end):
                best = found
            break
    return best


# ---------------------------------------------------------------- terms: categories, tags, breadcrumbs


def _term_season(term: str) -> tuple[str | None, int | None]:
    """The show and season a category, tag or breadcrumb states (``TV › Wrenfield › Season 3``)."""
    parts = [clean(p) for p in TERM_SEPARATORS.split(clean(term)) if clean(p)]
    for index, part in enumerate(parts):
        match = SEASON_PHRASE.search(part)
        if not match:
            continue
        season = to_number(match.group("season") or match.group("short"))
        show = clean(part[: match.start()]).strip(" -–—:,(")
        if not show and index:
            show = parts[index - 1]
        return (show if show and not GENERIC_TERMS.match(show) else None), season
    return None, None


def _season_from_terms(terms: list[str], show: str | None) -> int | None:
    """A season stated in a category or tag: the one naming the show, else the first one."""
    wanted = normalized(show or "")
    fallback: int | None = None
    for term in terms:
        term_show, season = _term_season(term)
        if season is None:
            continue
        if wanted and (wanted in normalized(term) or (term_show and normalized(term_show) == wanted)):
            return season
        fallback = season if fallback is None else fallback
    return fallback


def _term_shows(terms: list[str]) -> list[str]:
    """Show names the terms state: a term's text without its season, generic words left out."""
    names: list[str] = []
    for term in terms:
        term_show, season = _term_season(term)
        name = term_show if season is not None else clean(re.split(r"\s*[›»>|/]\s*", clean(term))[-1])
        if name and len(name) > 2 and not GENERIC_TERMS.match(name) and name not in names:
            names.append(name)
    return names


def _show_from_terms(terms: list[str], title: str) -> str | None:
    """A term's show named in the title, else the show of a term that states a season."""
    folded = normalized(title)
    names = _term_shows(terms)
    for name in names:
        if normalized(name) in folded:
            return name
    return next((show for show, season in map(_term_season, terms) if show and season is not None), None)


# ---------------------------------------------------------------- show and episode title around a marker

_RECAP_WORDS = re.compile(
    r"^(?:\s*(?:[:\-–—|,]|recap(?:\s*(?:&|and)\s*review)?|review(?:ed)?|recapped|rundown|"
    r"breakdown|reaction|discussion|thoughts|explained|tv review|episode review|tv recap|"
    r"(?:&|and)\s+(?:the\s+)?ending\s+explained)\s*)+",
    re.I,
)
_TRAILING_WORDS = re.compile(
    r"(?:\s*(?:[:\-–—|]|recap(?:\s*(?:&|and)\s*review)?|review|recapped|rundown|reaction)\s*)+$", re.I
)
_TRAILING_NOTE = re.compile(
    r"\s*[(\[](?:[^()\[\]]*\b(?:recap|review|spoilers?|finale|premiere)\b[^()\[\]]*)[)\]]\s*$", re.I
)
_QUOTED = re.compile(r"[“\"„«‘]([^“”\"„«»‘’]+?)[”\"“»’]")
_LEADING_LABEL = re.compile(
    r"^\s*(?:tv\s+)?(?:recap|review|episode recap|episode review|recap\s*(?:&|and)\s*review)"
    r"(?:\s*[:\-–—|]|\s+of)\s*",
    re.I,
)
_SHOW_TAIL = re.compile(
    r"(?:[\s:\-–—|,(\[]+|\b(?:recap|review|recapped|reviewed|episodes?|eps?)\b\.?)+$", re.I
)
_LABELLED_TITLE = re.compile(
    r"^(?P<show>.+?)\s+(?:recap|review|recapped|reviewed)\s*[:\-–—|]\s*(?P<title>.+?)\s*[(\[]?\s*$", re.I
)
_SHOW_THEN_TITLE = re.compile(r"^(?P<show>.+?)\s*(?::|\s[|–—-])\s*(?P<title>.+?)\s*[(\[,]?\s*$")
# "Show, ‘Title’ (Season 2, Episode 7)": a quoted title set off from the show by a comma.
_SHOW_COMMA_QUOTED = re.compile(r"^(?P<show>[^,]+?),\s*(?P<title>[“\"„«‘'][^,]+?[”\"“»’'])\s*[(\[,]?\s*$")
# An unquoted headline after the marker that is a sentence, not an episode's name: it starts in lower case
# ("… episode 2 – a deadly game") or runs past this many words ("… review: Narkina 5 is the best thing …").
_MAX_UNQUOTED_TITLE_WORDS = 8


def _strip_quotes(text: str) -> str:
    return text.strip().strip(OPEN_QUOTES + CLOSE_QUOTES).strip()


def _episode_title(text: str) -> str | None:
    """A cleaned episode title, or None when the text is no title (a descriptor, a season phrase)."""
    text = _TRAILING_NOTE.sub("", clean(text))
    text = clean(_strip_quotes(text)).rstrip(",").strip()
    if not text or DESCRIPTOR.match(text) or EPISODE_PHRASE.search(text) or SEASON_LONG.search(text):
        return None
    return text


def _titles(candidates: list[str]) -> tuple[str, ...]:
    titles = [title for t in candidates if (title := _episode_title(t))]
    return tuple(titles) if titles and len(titles) == len(candidates) else ()


def _titles_after(rest: str, count: int) -> tuple[str, ...]:
    """Episode title(s) from the text after the marker."""
    rest = rest.strip().lstrip(")]").rstrip("([").strip()
    if rest[:1] in "([" and rest[-1:] in ")]":  # the whole rest in brackets: "(Recap)", "(“Pilot”)"
        rest = rest[1:-1].strip()
    if not rest:
        return ()
    # A quoted title right after the marker ("1x01 “Pilot” Recap: ...") wins.
    leading = re.match(r"^[:\-–—,]?\s*[“\"„«]([^”\"“»]+)[”\"“»]", rest)
    if leading:
        titles = [leading.group(1)]
        if count > 1:  # two-parters: “Signal” and “Noise”
            titles.extend(_QUOTED.findall(rest[leading.end() :])[: count - 1])
        return _titles(titles)
    rest = _RECAP_WORDS.sub("", rest)
    rest = _TRAILING_NOTE.sub("", rest)
    rest = _TRAILING_WORDS.sub("", rest).strip()
    if not rest:
        return ()
    quoted = _QUOTED.findall(rest)
    if quoted and (len(quoted) > 1 or len(quoted[0]) >= len(rest) - 4):
        return _titles(quoted[: max(count, 1)])
    # "Title (Recap)" or "Title — Season finale" style: keep the part before a separator.
    unquoted = re.split(r"\s+[|–—]\s+", rest)[0]
    if unquoted[:1].islower() or len(unquoted.split()) > _MAX_UNQUOTED_TITLE_WORDS:
        return ()  # a headline's sentence, not an episode's name
    return _titles([unquoted])


def _show_before(prefix: str) -> str | None:
    """The show named before a marker: labels, separators and recap words trimmed, never a season."""
    show = _LEADING_LABEL.sub("", prefix)
    season = SEASON_PHRASE.search(show)
    if season:
        show = show[: season.start()]
    for _ in range(3):
        show = _SHOW_TAIL.sub("", show).strip()
    if show[:1] in OPEN_QUOTES:
        show = _strip_quotes(show)
    show = clean(show)
    return show if show and not GENERIC_TERMS.match(show) else None


def _title_before(prefix: str, marker_in_brackets: bool) -> tuple[str, str] | None:
    """(show, title) when the title comes before the marker: ``Show recap: “Title” (5x07)``,
    ``Show: “Title” (2x04)``, ``Show – Title (2x04)``."""
    text = _LEADING_LABEL.sub("", prefix)
    labelled = _LABELLED_TITLE.match(text)
    if labelled:
        return labelled.group("show"), labelled.group("title")
    split = _SHOW_THEN_TITLE.match(text)
    if split and (marker_in_brackets or split.group("title")[:1] in OPEN_QUOTES):
        return split.group("show"), split.group("title")
    split = _SHOW_COMMA_QUOTED.match(text)
    if split:
        return split.group("show"), split.group("title")
    return None


def _from_text(text: str, terms: list[str], context: str) -> tuple[Episode, EpisodeMatch] | None:
    """The episode a title (or heading, slug or term) names, and its marker; None when it names none."""
    marker = find_marker(text, context)
    if marker is None:
        return None
    prefix = text[: marker.start]
    after = text[marker.end :]
    titles = _titles_after(after, len(marker.episodes)) if context == "title" else ()
    season = marker.season
    in_prefix = SEASON_LONG.search(prefix)
    if in_prefix and season is None:  # "Show Season 2: “Title” (Episode 4)"
        season = to_number(in_prefix.group("season"))
    if not titles and context == "title":
        bracketed = prefix.rstrip().endswith(("(", "[")) and after.lstrip()[:1] in (")", "]")
        before = _title_before(prefix, bracketed)
        if before is not None and len(marker.episodes) == 1:
            candidate = _titles([before[1]])
            if candidate:
                prefix, titles = before[0], candidate
    show = _show_before(prefix) or _show_from_terms(terms, text)
    if season is None:
        season = _season_from_terms(terms, show)
    return Episode(show=show, season=season, episodes=marker.episodes, titles=titles), marker


def _slug_text(url: str) -> str:
    slug = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    return re.sub(r"\.html?$", "", slug).replace("-", " ").replace("_", " ")


def _episode(found: tuple[Episode, EpisodeMatch] | None) -> Episode | None:
    return found[0] if found else None


def parse_episode(title: str | None, url: str = "", terms: list[str] | None = None) -> Episode | None:
    """Show, season, episode(s) and title(s) from a recap's title, with the URL slug as a fallback.

    Returns None when neither the title nor the slug names an episode.
    """
    terms = terms or []
    title = clean(title)
    return _episode(_from_text(title, terms, "title") if title else None) or _episode(
        _from_text(_slug_text(url), terms, "slug") if url else None
    )


# ---------------------------------------------------------------- a title with no number, the body's prose


def _named_without_number(title: str, shows: list[str]) -> tuple[str, str] | None:
    """(show, episode title) from ``Show – Episode Title`` when the show is known from terms or data."""
    text = _LEADING_LABEL.sub("", title)
    for show in sorted(shows, key=len, reverse=True):
        if not normalized(text).startswith(normalized(show)):
            continue
        rest = re.match(r"^\s*(?:recap|review)?\s*(?::|[|–—-])\s*(?P<rest>.+)$", text[len(show) :], re.I)
        if not rest:
            continue
        words = _TRAILING_WORDS.sub("", _RECAP_WORDS.sub("", rest.group("rest"))).strip()
        if NEWS_WORDS.search(words) or len(words.split()) > 10:
            return None
        found = _episode_title(words)
        return (show, found) if found else None
    return None


_NAMED_IN_BODY = re.compile(
    r"\b(?:titled|called|named|entitled|dubbed)\s+(?:simply\s+)?[“\"„«]\s*(?P<title>[^”\"“»]{1,80}?)[,.]?\s*[”\"“»]"
)
_QUOTE_AFTER_MARKER = re.compile(r"^\s*,?\s*[“\"„«]\s*(?P<title>[^”\"“»]{1,80}?)[,.]?\s*[”\"“»]")
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


def episode_from_prose(paragraphs: list[str]) -> Episode | None:
    """Season, episode and title a recap's first sentences state (``the fifth episode, titled “…”``)."""
    for text in paragraphs[:3]:
        marker = find_marker(text, "prose")
        if marker is None:
            continue
        named = _NAMED_IN_BODY.search(text, marker.end) or _QUOTE_AFTER_MARKER.match(text[marker.end :])
        title = _episode_title(named.group("title").rstrip(",.")) if named else None
        return Episode(season=marker.season, episodes=marker.episodes, titles=(title,) if title else ())
    return None


def fill_from_body(episode: Episode, paragraphs: list[str]) -> Episode:
    """A recap's season and episode title from its first sentences, where nothing else stated them.

    The prose must name the same episode(s) or none; ``title_from_body`` is the title's last resort.
    """
    if not episode.episodes or (episode.season is not None and episode.titles):
        return episode
    prose = episode_from_prose(paragraphs)
    if prose is not None and prose.episodes != episode.episodes:
        prose = None
    season = episode.season if episode.season is not None else prose.season if prose else None
    titles = episode.titles or (prose.titles if prose else ())
    if not titles:
        found = title_from_body(paragraphs)
        titles = (found,) if found else ()
    return replace(episode, season=season, titles=titles)


# ---------------------------------------------------------------- everything together


def _with_show_case(show: str | None, candidates: list[str | None]) -> str | None:
    """A show name read from a lower-case slug, in the case a term or structured data writes it."""
    if not show or show != show.lower():
        return show
    for candidate in candidates:
        if candidate and normalized(candidate) == normalized(show):
            return candidate
    return show


_RECAP_TERM = re.compile(r"\b(?:recaps?|reviews?|episodes?)\b", re.I)


def _without_number(title: str, url: str, terms: list[str], structured: Episode | None) -> Episode | None:
    """What a title naming no episode number still says: a season, or a known show and episode title."""
    season_only = SEASON_LONG.search(title or "")
    if season_only:
        return Episode(
            show=_show_before(title[: season_only.start()]) or (structured.show if structured else None),
            season=to_number(season_only.group("season")),
        )
    shows = [s for s in [structured.show if structured else None, *_term_shows(terms)] if s]
    about_tv = (
        (structured is not None and structured.show)
        or any(_term_season(t)[1] is not None or _RECAP_TERM.search(t) for t in terms)
        or _RECAP_TERM.search(title)
    )
    named = _named_without_number(title, shows) if title and about_tv else None
    if named is None:
        return structured
    show, episode_title = named
    season = structured.season if structured and structured.season is not None else None
    season = season if season is not None else _season_from_terms(terms, show)
    return Episode(show=show, season=season, titles=(episode_title,))


def identify_episode(
    title: str | None,
    url: str = "",
    terms: list[str] | None = None,
    structured: Episode | None = None,
    headings: Sequence[str] | Callable[[], Sequence[str]] = (),
) -> Episode | None:
    """The episode(s) a page is about, from everywhere it can be stated.

    In order: the title; structured data (a ``TVEpisode``); the URL slug; a category or tag naming
    an episode (``Harbor Lights 2x05``); a heading on the page. Structured data naming an episode
    beats a weak marker (``Part Six``). Gaps (show, season, episode title) are filled from
    structured data, then terms. A page naming only a season gives an episode with no numbers, so
    the classifier can say it is about a whole season; a title naming a known show and an episode
    title but no number gives both, with no episode number.
    """
    terms = terms or []
    title = clean(title)
    from_title = _from_text(title, terms, "title") if title else None
    found = from_title[0] if from_title else None
    if structured is not None and structured.episodes and (from_title is None or from_title[1].weak):
        found = replace(structured, show=structured.show or (found.show if found else None))
    if found is None:
        found = _episode(_from_text(_slug_text(url), terms, "slug")) if url else None
    for text in terms:
        if found is not None:
            break
        candidate = _episode(_from_text(clean(text), terms, "title"))
        found = candidate if candidate is not None and candidate.show else None
    for text in () if found is not None else headings() if callable(headings) else headings:
        candidate = _episode(_from_text(clean(text), terms, "title"))
        if candidate is not None and candidate.show:
            found = candidate
            break
    if found is None:
        return _without_number(title, url, terms, structured)
    if structured is not None and found is not structured:
        same_count = len(structured.titles) == len(found.episodes) and (
            not structured.episodes or structured.episodes == found.episodes
        )
        found = replace(
            found,
            show=found.show or structured.show,
            season=found.season if found.season is not None else structured.season,
            titles=found.titles or (structured.titles if same_count else ()),
        )
    show = _with_show_case(found.show, [structured.show if structured else None, *_term_shows(terms)])
    return replace(found, show=show) if show != found.show else found

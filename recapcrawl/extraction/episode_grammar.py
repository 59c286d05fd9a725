"""The episode-reference grammar, as data: every way a title, slug, term or sentence names an episode.

``RULES`` is one table. Each rule has a name, a regex for the marker (named groups ``season``,
``ep``, ``ep2`` for the last episode of a two-parter or range, ``part``), the contexts it is read
in (``title`` also covers headings and terms; ``slug``; ``prose`` is a body sentence), guards on
the text around the marker, and examples: a text (with terms) and what it must give as
``(show, season, episode, episode_title)`` in the export's shapes, or ``None`` for a text that
names no episode. ``tests/test_episode.py`` runs every example of every rule.

Numbers may be digits or words (``Season Two, Episode Five``, ``the fifth episode``, ``Part II``).
When a rule is unsure it does not match: a field left null beats a garbled one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _words(text: str) -> list[str]:
    return text.split()


_UNITS = _words(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
)
_ORDINALS = _words(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
)
_ROMAN = _words("i ii iii iv v vi vii viii ix x xi xii")

WORD_NUMBERS: dict[str, int] = {
    **{word: n for n, word in enumerate(_UNITS, 1)},
    **{word: n for n, word in enumerate(_ORDINALS, 1)},
    **{f"twenty-{word}": 20 + n for n, word in enumerate(_UNITS[:9], 1)},
    **{f"twenty-{word}": 20 + n for n, word in enumerate(_ORDINALS[:9], 1)},
}
ROMAN_NUMBERS = {word: n for n, word in enumerate(_ROMAN, 1)}


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace("\\-", r"[\s-]") for w in sorted(words, key=len, reverse=True))


_CARDINAL_WORDS = [w for w, n in WORD_NUMBERS.items() if not re.search(r"(?:st|nd|rd|th)$", w)]
_ORDINAL_WORDS = [w for w in WORD_NUMBERS if w not in _CARDINAL_WORDS]
CARDINAL = _alternation(_CARDINAL_WORDS)
ORDINAL = rf"(?:{_alternation(_ORDINAL_WORDS)}|\d{{1,2}}(?:st|nd|rd|th))"
_N2 = rf"(?:\d{{1,2}}|{CARDINAL})"  # a season: 1-99 or a word
_N3 = rf"(?:\d{{1,3}}|{CARDINAL})"  # an episode: 1-999 or a word
_RANGE = r"\s*(?:&|and|\+|/|,|-|–|—|to|through|thru)\s*"
_SEASON_WORD = r"(?:Season|Series)"
_EPISODE_WORD = r"(?:Episodes?|Eps?\.?)"
_RECAP_WORD = r"(?:recap|review|reviewed|recapped|rundown|reaction|discussion|thoughts|breakdown|explained)"

# A season phrase anywhere ("Season 2", "series two", "S2" alone): shows never carry one.
SEASON_PHRASE = re.compile(
    rf"\b{_SEASON_WORD}\s+(?P<season>{_N2})\b|\bS(?P<short>\d{{1,2}})\b(?!\s*E\d)", re.I
)
SEASON_LONG = re.compile(rf"\b{_SEASON_WORD}\s+(?P<season>{_N2})\b", re.I)
# What an episode title must never contain (and what tests check titles against).
EPISODE_PHRASE = re.compile(
    rf"\b(?:season|series|episodes?|ep\.?)\s*(?:\d|(?:{CARDINAL})\b)|\bS\d{{1,2}}\s*E\d", re.I
)

# Words before a dotted number that make it a version, price, time or score, not an episode.
_NOT_BEFORE_DOTTED = re.compile(
    r"(?:\b(?:version|ver|v|release|update|build|patch|firmware|kernel|ios|ipados|macos|android|windows|"
    r"ubuntu|debian|fedora|linux|python|php|java|node|ruby|perl|wordpress|drupal|chrome|firefox|safari|"
    r"beta|alpha|rc|api|sdk|lts|at|from|to|by|of|only|just|costs?|price[ds]?|for|under|over|about|around|"
    r"approx|ca|rated|rating|scored?|scores|up|down|rose|fell|on|since|until|till|dated?|as of|"
    r"um|ab|bis|von|vom|seit|am|gegen|nur|für|stand|datum|z|od|do|le|du|au|dès|del|desde|hasta|dal|no|nr)"
    r"\.?|[$€£¥#])\s*$",
    re.I,
)
_NOT_AFTER_NUMBER = re.compile(
    r"^\s*(?:%|percent|prozent|stars?|/\s*\d|out of|points?|pts|am|pm|a\.m|p\.m|h|hrs?|hours?|uhr|min|mins|"
    r"minutes?|sec|seconds?|km|kg|mm|cm|m|mi|mph|gb|mb|tb|ghz|mhz|inch|in|million|billion|mio|mrd|bn|k|"
    r"dollars?|euros?|pounds?|usd|eur|gbp|chf)\b",
    re.I,
)
# Words after "4x4" that make it a vehicle, a board or a multiplier.
_NOT_AFTER_TIMES = re.compile(
    r"^\s*(?:trucks?|suvs?|pickups?|vehicles?|cars?|drive|tires?|tyres?|wheels?|lumber|boards?|grid|matrix|"
    r"zoom|speed|faster|slower|times|inch|cm|mm|mp|tiles?|pixels?|px)\b",
    re.I,
)
# After a dotted number: the end, a separator, a quote or a recap word (not a bracket: "[as of 4.05]").
_AFTER_DOTTED = re.compile(rf"^\s*(?:$|[:\-–—|,&/]|[“\"„«‘]|{_RECAP_WORD}\b)", re.I)
_NOT_IN_DOTTED_TEXT = re.compile(
    r"\b(?:version|release notes|changelog|update[sd]?|firmware|patch|download|lts|percent|prozent|uhr|"
    r"stars?|rating|price|costs?)\b",
    re.I,
)
# An "episode title" that only describes the episode ("Season Finale", "Spoilers") is no title.
DESCRIPTOR = re.compile(
    r"^(?:(?:the\s+)?(?:mid-?)?(?:season|series|show)?\s*(?:finale|premiere|opener|closer)|spoilers?|"
    r"full recap|recap|review|spoiler[- ]free|live ?blog|discussion|thoughts|open thread)$",
    re.I,
)
# Words that make "Show – words" news about a show, not an episode's title.
NEWS_WORDS = re.compile(
    r"\b(?:renew(?:ed|s|al)?|cancel(?:l?ed|s)?|trailers?|teasers?|previews?|first look|announce[sd]?|"
    r"release date|casting|cast|interview|rank(?:ing|ed)|best|worst|top \d+|premiere date|photos|news|"
    r"podcast|everything we know|explained|ending|watch|streaming|where to)\b",
    re.I,
)
# Categories and tags that are never a show's name.
GENERIC_TERMS = re.compile(
    r"^(?:tv|television|tv shows?|shows?|recaps?|reviews?|tv recaps?|tv reviews?|episodes?|news|features?|"
    r"uncategori[sz]ed|blog|articles?|opinion|drama|comedy|reality|streaming|entertainment|home)$",
    re.I,
)


@dataclass(frozen=True)
class Example:
    """A text a rule reads, and what it must give: (show, season, episode, episode_title), or None."""

    text: str
    expected: tuple[str | None, int | None, int | list[int] | None, str | list[str] | None] | None
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """One episode-reference style: its marker and the guards around it."""

    name: str
    pattern: re.Pattern[str]
    examples: tuple[Example, ...]
    contexts: frozenset[str] = frozenset({"title", "slug"})
    weak: bool = False  # structured data naming an episode beats this marker
    not_before: re.Pattern[str] | None = None  # searched in the text before the marker
    must_after: re.Pattern[str] | None = None  # matched at the text after the marker
    not_after: re.Pattern[str] | None = None  # matched at the text after the marker
    not_in_text: re.Pattern[str] | None = None  # the whole text must not contain this
    must_in_text: re.Pattern[str] | None = None  # the whole text must contain this


def _ex(text: str, expected=None, *terms: str) -> Example:
    return Example(text, expected, terms)


RULES: tuple[Rule, ...] = (
    Rule(
        "sxe",
        re.compile(
            rf"\bS(?P<season>\d{{1,2}})[\s.]*E(?:p\.?\s*)?(?P<ep>\d{{1,3}})"
            rf"(?:(?:{_RANGE}|\s*)(?:S\d{{1,2}}[\s.]*)?E(?:p\.?\s*)?(?P<ep2>\d{{1,3}}))?\b",
            re.I,
        ),
        (
            _ex("Harbor Lights S04E10 Recap: “The Long Dark”", ("Harbor Lights", 4, 10, "The Long Dark")),
            _ex("Gilmore Grove S01 E01 – Pilot", ("Gilmore Grove", 1, 1, "Pilot")),
            _ex("Copper Kettle S05E09-E10 Recap", ("Copper Kettle", 5, [9, 10], None)),
            _ex("Saltmarsh S2.E4: The Weir", ("Saltmarsh", 2, 4, "The Weir")),
            _ex("Saltmarsh (S02E04): “The Weir”", ("Saltmarsh", 2, 4, "The Weir")),
            _ex("Saltmarsh S02E04E05 Review", ("Saltmarsh", 2, [4, 5], None)),
            _ex("Galaxy S10 Edge hands-on"),
        ),
    ),
    Rule(
        "x",
        re.compile(
            rf"(?<![\w.])(?:(?:Episode|Ep\.?)\s*)?(?P<season>\d{{1,2}})\s*[x×X]\s*(?P<ep>\d{{1,3}})"
            rf"(?:{_RANGE}(?:(?P=season)\s*[x×X]\s*)?(?P<ep2>\d{{1,3}}))?(?![\w.])"
        ),
        (
            _ex("Harbor Lights 4×10 Review: “The Long Dark”", ("Harbor Lights", 4, 10, "The Long Dark")),
            _ex("Copper Kettle 1x01 “Pilot” Recap: Grand Opening", ("Copper Kettle", 1, 1, "Pilot")),
            _ex("Lamplighters 1x01-02: Arrival", ("Lamplighters", 1, [1, 2], "Arrival")),
            _ex(
                "Copper Kettle 5x09 & 5x10 Review: “Smoke” and “Mirrors”",
                ("Copper Kettle", 5, [9, 10], ["Smoke", "Mirrors"]),
            ),
            _ex("Longhaul recap: “Quiet Running” (5x07)", ("Longhaul", 5, 7, "Quiet Running")),
            _ex("Foxglove Lane – The Orchard (2x03)", ("Foxglove Lane", 2, 3, "The Orchard")),
            _ex("Foxglove Lane – Episode 2x03 – The Orchard", ("Foxglove Lane", 2, 3, "The Orchard")),
            _ex("Foxglove Lane 2x03 - 12 Angry Sheep", ("Foxglove Lane", 2, 3, "12 Angry Sheep")),
            _ex("The Best 4x4 Trucks of the Year"),
        ),
        not_after=_NOT_AFTER_TIMES,
    ),
    Rule(
        "dotted",
        re.compile(
            rf"(?<![\w.,$€£¥#/:+\-])(?:(?:Episode|Ep\.?)\s*)?(?P<season>[1-9]\d?)\.(?P<ep>(?!00)[0-3]\d)"
            rf"(?:{_RANGE}(?:(?P=season)\.)?(?P<ep2>[0-3]\d))?(?![\d.,]\d|[\w%°€$£])"
        ),
        (
            _ex("Riverbend 3.07 Review: Low Tide", ("Riverbend", 3, 7, "Low Tide")),
            _ex("Quillfeather 4.18", ("Quillfeather", 4, 18, None)),
            _ex("Quillfeather 4.18 “The Ledger”", ("Quillfeather", 4, 18, "The Ledger")),
            _ex("Riverbend 3.07 & 3.08 Recap", ("Riverbend", 3, [7, 8], None)),
            _ex("Riverbend – Episode 3.07 – Low Tide", ("Riverbend", 3, 7, "Low Tide")),
            _ex("Meeting moved to 12.03.2024"),
            _ex("Fares rise to 3.07 euros in May"),
            _ex("Hollow Pines gets 3.50 stars from us"),
            _ex("Hollow Pines, 3.5 stars"),
            _ex("Lakeside opens at 10.30 tonight"),
            _ex("Canopy 2.14 Update: What Changed"),
            _ex("Python 3.11 is out"),
            _ex("Version 3.07 Review"),
            _ex("Prices from $3.99"),
            _ex("Growth of 3.07 percent"),
            _ex("Vaccinations by region [as of 4.05]"),
            _ex("Harbour figures (data from 5.05)"),
        ),
        contexts=frozenset({"title"}),
        not_before=_NOT_BEFORE_DOTTED,
        must_after=_AFTER_DOTTED,
        not_after=_NOT_AFTER_NUMBER,
        not_in_text=_NOT_IN_DOTTED_TEXT,
    ),
    Rule(
        "season_episode",
        re.compile(
            rf"\b{_SEASON_WORD}\s+(?P<season>{_N2})(?:\s*[,:;.\-–—|/]\s*|\s+)(?:{_EPISODE_WORD})\s*(?P<ep>{_N3})"
            rf"(?:{_RANGE}(?:{_EPISODE_WORD}\s*)?(?P<ep2>{_N3}))?\b(?![.x×]\d)",
            re.I,
        ),
        (
            _ex(
                "Harbor Lights Season 4, Episode 10 Review: The Long Dark",
                ("Harbor Lights", 4, 10, "The Long Dark"),
            ),
            _ex("Tell Me a Tale Season 1 Episode 1 Review: Hope", ("Tell Me a Tale", 1, 1, "Hope")),
            _ex("Imperial recap, season 2, episode 8", ("Imperial", 2, 8, None)),
            _ex("RECAP - Season 5: Episode 12", (None, 5, 12, None)),
            _ex("RECAP - Season 5: Episode 12", ("Ironwood", 5, 12, None), "Ironwood Season 5"),
            _ex("Copperhall Series 2, Episode 4 Review", ("Copperhall", 2, 4, None)),
            _ex("Copperhall Series Two, Episode Four: Lamplight", ("Copperhall", 2, 4, "Lamplight")),
            _ex("Copperhall Season Two, Episode Five – “Bellwether”", ("Copperhall", 2, 5, "Bellwether")),
            _ex("Copperhall Season 3 – Ep. 2 Recap", ("Copperhall", 3, 2, None)),
            _ex(
                "Driftwood Season 2, Episodes 3 & 4: “Ebb” and “Flow”",
                ("Driftwood", 2, [3, 4], ["Ebb", "Flow"]),
            ),
            _ex("‘Harbor Lights’ Season 3, Episode 1 recap", ("Harbor Lights", 3, 1, None)),
            _ex("Harbor Lights Season 4 Episode 10 Review: Season Finale", ("Harbor Lights", 4, 10, None)),
        ),
    ),
    Rule(
        "episode_season",
        re.compile(
            rf"\b(?:Episodes?|Ep\.?)\s*(?P<ep>{_N3})(?:{_RANGE}(?P<ep2>{_N3}))?"
            rf"\s*(?:\(\s*|,\s*|of\s+|from\s+|[-–—|]\s*)?(?:the\s+)?{_SEASON_WORD}\s+(?P<season>{_N2})\b\s*\)?",
            re.I,
        ),
        (
            _ex(
                "Silverdale Episode 4 of Season 2, “The Lantern Men”",
                ("Silverdale", 2, 4, "The Lantern Men"),
            ),
            _ex("Silverdale: Episode 4, Season 2 Recap", ("Silverdale", 2, 4, None)),
            _ex("Silverdale Episode Four of Series Two: Bellows", ("Silverdale", 2, 4, "Bellows")),
            _ex("Silverdale – Episode 9 (Season 1) Review", ("Silverdale", 1, 9, None)),
        ),
    ),
    Rule(
        "episode",
        re.compile(
            rf"\b(?:Episodes?|Eps?\.?)\s*(?P<ep>{_N3})(?:{_RANGE}(?:(?:Episode|Ep\.?)\s*)?(?P<ep2>{_N3}))?"
            r"\b(?![.x×]\d)",
            re.I,
        ),
        (
            _ex(
                "Copper Kettle Episode 4 Recap: Burnt Toast",
                ("Copper Kettle", 2, 4, "Burnt Toast"),
                "Copper Kettle Season 2",
                "comedy",
            ),
            _ex("Copper Kettle Episode 4 Recap: Burnt Toast", ("Copper Kettle", None, 4, "Burnt Toast")),
            _ex("Wrenfield Episodes 3 & 4 Recap", ("Wrenfield", None, [3, 4], None)),
            _ex("Wrenfield Episode Five: The Ferryman", ("Wrenfield", None, 5, "The Ferryman")),
            _ex("Wrenfield Ep. 7 Review", ("Wrenfield", None, 7, None)),
            _ex("Wrenfield Episode 2 Recap", ("Wrenfield", 3, 2, None), "TV Shows › Wrenfield › Season 3"),
            _ex("Wrenfield Episode 2 Recap", ("Wrenfield", 4, 2, None), "Wrenfield", "Season Four"),
            _ex("Episode 6 Recap: Cold Open", ("Mercer & Vale", 2, 6, "Cold Open"), "Mercer & Vale Season 2"),
        ),
    ),
    Rule(
        "ordinal",
        re.compile(
            rf"\b(?:(?:the\s+)?(?:(?P<season_ord>{ORDINAL})\s+season['’]s|season\s+(?P<season_pre>{_N2})['’]s"
            rf"|the\s+season['’]s|the|its|this)\s+)(?P<ep>{ORDINAL})\s+episode"
            rf"(?:\s+of\s+(?:season\s+(?P<season>{_N2})\b|the\s+(?P<season_ord2>{ORDINAL})\s+season))?",
            re.I,
        ),
        (
            _ex("The fifth episode, titled “Low Tide,” opens at the pier.", (None, None, 5, "Low Tide")),
            _ex(
                "In the second episode of season three, called “Wicks”, the lamps fail.",
                (None, 3, 2, "Wicks"),
            ),
            _ex("The season’s 4th episode is the quietest one yet.", (None, None, 4, None)),
            _ex("Season 2's first episode, titled “Homeward”, starts slow.", (None, 2, 1, "Homeward")),
            _ex("The first episode of the third season, “Salt”, ends on a cliff.", (None, 3, 1, "Salt")),
            _ex("This is the first time the show has tried a cold open."),
        ),
        contexts=frozenset({"prose"}),
    ),
    Rule(
        "part",
        re.compile(
            rf"\bPart\s+(?P<part>\d{{1,2}}|{CARDINAL}|{'|'.join(reversed(_ROMAN))})\b",
            re.I,
        ),
        (
            _ex("Blackwater Part 3 Recap: The Sluice", ("Blackwater", None, 3, "The Sluice")),
            _ex("Blackwater, Part Two — Recap", ("Blackwater", None, 2, None)),
            _ex("Blackwater Part II recap", ("Blackwater", None, 2, None)),
            _ex("Behind the Scenes at the Studio, Part 2"),
            _ex("Blackwater Season 4 Part 2 Recap"),  # half a season, not an episode
            _ex("Dune Dreams: Part Two Review"),  # a film's subtitle
            _ex("Tidefall Part Two Review"),  # "review" alone is as likely a film's
        ),
        weak=True,
        not_before=re.compile(
            rf"\b{_SEASON_WORD}\s+{_N2}\s*[,:\-–—]?\s*$|\b(?:vol\.?|volume)\s*$|:\s*$", re.I
        ),
        must_in_text=re.compile(r"\b(?:recap|recaps|recapped)\b", re.I),
        not_after=re.compile(r"\s*[,:\-–—]?\s*(?:episode|ep\.?|chapter)\s*\d", re.I),  # the episode follows
    ),
)

# Season stated in a category, tag or breadcrumb: "Show Season 2", "Show › Season 2", "Series Two".
TERM_SEPARATORS = re.compile(r"\s*(?:[›»>/|]|\s[-–—:]\s|:\s)\s*")


def to_number(text: str | None) -> int | None:
    """``"07"`` → 7, ``"Five"``/``"fifth"`` → 5, ``"twenty-one"`` → 21, ``"II"`` → 2 (None for None)."""
    if not text:
        return None
    word = re.sub(r"[\s\-]+", "-", text.strip().casefold())
    if word.isdigit():
        return int(word)
    digits = re.match(r"(\d+)(?:st|nd|rd|th)$", word)
    if digits:
        return int(digits.group(1))
    return WORD_NUMBERS.get(word) or ROMAN_NUMBERS.get(word)

"""Fast forms in ``quotes`` and ``text`` give what the slower forms they replaced gave: ``clean`` by
``str.split``, ``SpeakerContext.learn`` with its pre-checks, ``names_in`` without slicing the text
before every name, ``_first_name``, names read lazily for ``recent`` / ``resolve``, the pre-checks
of ``_introduced_by`` and ``find_quote_spans``. The slow forms are kept here as the reference."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from recapcrawl.extraction import names, quote_spans, quotes
from recapcrawl.extraction._name_genders import FEMALE_FIRST_NAMES as _FEMALE_FIRST_NAMES
from recapcrawl.extraction._name_genders import MALE_FIRST_NAMES as _MALE_FIRST_NAMES
from recapcrawl.extraction.quotes import SpeakerContext
from recapcrawl.extraction.text import clean

PAGES = sorted((Path(__file__).parent / "pages").glob("*/*.html"))

_FRAGMENTS = [
    "Dani",
    "Mrs. Pell",
    "Dr. Tess Alder",
    "Ed’s",
    "Ada's",
    "Mr",
    "Lady Grey",
    "King",
    "JOHN",
    "McDonald",
    "played by",
    "actress",
    "star",
    "by",
    "who plays",
    "plays",
    "as",
    "(",
    "stars",
    "Vale",
    "Felix",
    "HIS",
    "Her",
    "her",
    "him",
    "himself",
    "herself",
    "he",
    "she",
    "they",
    "his.",
    "hist",
    "there",
    "other",
    "to",
    "says",
    "asks",
    "tells",
    "quietly",
    "the",
    "a",
    "Felix asks her to",
    "Then",
    "Episode",
    ".",
    ",",
    "!",
    "?",
    "…",
    ":",
    ";",
    "’",
    "”",
    '"',
    "“",
    "«",
    "»",
    "„",
    "‘",
    "‘Go,’",
    "Ed’s",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
    "\u00a0",
    "\u2003",
    "\u200b",
    "\ufeff",
    "\x1c",
]


def _fuzz(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(_FRAGMENTS) + rng.choice(["", " ", " "]) for _ in range(rng.randint(1, 60)))
        for _ in range(count)
    ]


def _page_texts() -> list[str]:
    texts = []
    for page in PAGES:
        body = lxml_html.fromstring(page.read_bytes()).find("body")
        if body is not None:
            texts.append(" ".join(t for t in body.itertext()))
    return texts


# A gendering pronoun at the edge of the 90 characters read after a name (cut short there, too).
_EDGES = [
    f"Dani {'w' * width} {word} x" for width in range(78, 92) for word in ("his", "hist", "her own", "HIM")
]
# A word that is a name only mid-sentence, after a sentence that ends in a closing quote mark.
_EDGES += [
    "He said, “Go.” Running late, Dani left.",
    "Ed said, 'No!'  \nHurrying, Ada ran.",
    'Sighs." Walking',
]
# A name mid-sentence that starts at a word inside a longer name (read off the ``_NAME`` matches, not by a
# second scan): "Bea Cid Dee" of "Ann Bea Cid Dee" after a full stop, or running on past its end.
_EDGES += [
    "Yesterday. Ann Bea Cid Dee Eve went home.",
    "said Captain Ann Bea Cid Dee Eve, and: Lord Fox (Gil Hu) then, Ivy-Jo Kay Lu Mo.",
    "Oh. Mr. Ann Bea\nCid Dee; Sir Eve Fay Gus Hal Ida Jo Kim.",
    "Later. Detective Ann  Bea Cid, Dee Eve Fay Gus Hal",
]
TEXTS = _page_texts() + _fuzz(400, seed=7) + _EDGES


# ---------------------------------------------------------------- the reference (slow) forms
_SPACE_ANY = re.compile(r"\s+")
_POSSESSIVE_S = re.compile(r"[’']s$")
_ACTOR_AFTER = re.compile(r"^\s*(?:plays|played|who plays|as\b|stars\b)")


def slow_clean(text: str | None) -> str:
    if not text:
        return ""
    return _SPACE_ANY.sub(" ", quotes_zero_width(text)).strip()


def quotes_zero_width(text: str) -> str:
    return re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", text)


def slow_first_name(name: str) -> str:
    words = [w for w in name.split() if w.rstrip(".") not in quotes._GENDERED_TITLES]
    return _POSSESSIVE_S.sub("", (words or name.split())[0].rstrip("."))


_SLOW_PREPOSITIONS = names._words("of with to at in on for from about by into over under behind beside")


def slow_learn(context: SpeakerContext, text: str) -> None:
    if not quotes._HAS_QUOTE_MARK.search(text):
        return
    for match in quotes._NAME_MID_SENTENCE.finditer(text):
        context.known_first_names.add(slow_first_name(match.group(1)))
    weak: dict[str, str] = {}
    for match in quotes._NAME.finditer(text):
        name = match.group(0)
        if name.split()[0] in quotes._NOT_NAMES:
            continue
        first = slow_first_name(name)
        if first in context.gender:
            continue
        title = name.split()[0].rstrip(".")
        if title in quotes._MALE_TITLES or title in quotes._FEMALE_TITLES:
            context.gender.setdefault(first, "m" if title in quotes._MALE_TITLES else "f")
            continue
        if name.endswith(("’s", "'s")):
            continue  # the clause after "Ada’s brother" is the brother's
        clause = quotes._CLAUSE_END.split(text[match.end() : match.end() + 90].lstrip(", "), maxsplit=1)[0]
        words = quotes._WORDS.findall(clause)
        for index, word in enumerate(words[:10]):
            lower = word.lower()
            after = words[index + 1] if index + 1 < len(words) else ""
            strong_her = bool(after) and after.lower() not in quotes._DETERMINERS and not after.endswith("ly")
            if (lower == "his" or (lower == "her" and strong_her)) and (
                (index and words[index - 1].lower() in _SLOW_PREPOSITIONS)
                or (lower == "her" and after[:1].isupper())
            ):
                # a possessive in a phrase, or "her" before a name, against the census: someone else's
                census = _MALE_FIRST_NAMES if lower == "her" else _FEMALE_FIRST_NAMES
                other = _FEMALE_FIRST_NAMES if lower == "her" else _MALE_FIRST_NAMES
                if first in census and first not in other:
                    break
            if lower in ("himself", "herself", "his"):
                context.gender.setdefault(first, quotes._PRONOUN_GENDER[lower])
                break
            following = words[index + 1].lower() if index + 1 < len(words) else ""
            if (
                lower == "her"
                and following
                and following not in quotes._DETERMINERS
                and not following.endswith("ly")
            ):
                context.gender.setdefault(first, "f")
                break
            if lower in ("her", "him"):
                if index == 1 and following in ("", "to"):
                    weak.setdefault(first, "m" if lower == "her" else "f")
                break
            if lower in ("he", "she", "they"):
                break
    for first, gender in weak.items():
        context.gender.setdefault(first, gender)


def _slow_names_actor(candidate: str, before: str, after: str) -> bool:
    """An actor's name: "X plays", or "by X" after a verb of playing ("played … by X"), never "X’s"."""
    if candidate.endswith(("’s", "'s")):
        return False
    if _ACTOR_AFTER.match(after):
        return True
    label = quotes._ACTOR_BEFORE.search(before)
    if label is None:
        return False
    if label.group().strip().lower() != "by":
        return True
    return bool(names._PLAYED_BEFORE_BY.search(before[: label.start()][-names._PLAYED_REACH :]))


def slow_names_in(context: SpeakerContext, text: str) -> list[str]:
    names = []
    for match in quotes._NAME.finditer(text):
        candidate = match.group(0)
        before = text[: match.start()]
        at_start = not before.strip() or bool(quotes._SENTENCE_END.search(before))
        if not quotes._is_name(candidate, context.known_first_names, at_start):
            continue
        if _slow_names_actor(candidate, before, text[match.end() :]):
            continue
        if candidate in context.actors:  # the actor of a "Character (Actor)" pair (``_learn_actors``)
            continue
        if candidate.casefold() in context.excluded:
            continue
        if re.search(r"\b(?:call|calls|called|calling|nicknames|nicknamed)\s+(?:her|him)\s+$", before):
            continue  # "Gus calls her Margo": what "her" is called
        names.append(candidate)
    return names


def _learnt(text: str, learn) -> SpeakerContext:
    context = SpeakerContext(excluded={"Harbor Lights", "Vale"})
    learn(context, text)
    return context


# ---------------------------------------------------------------- the tests
def test_str_split_white_space_is_regex_white_space():
    white = re.compile(r"\s")
    assert [c for c in map(chr, range(0x110000)) if bool(white.match(c)) != c.isspace()] == []


def test_clean_matches_the_regex_form():
    samples = [
        *TEXTS,
        None,
        "",
        " ",
        "\u200b",
        " \u200b ",
        "a\u200b \u200bb",
        "\x1c\x1dx\x1e\x1f",
        "\u2028a\u2029",
    ]
    samples += [f"a{c}b{c}" for c in map(chr, range(0x3100)) if c.isspace()]
    for text in samples:
        assert clean(text) == slow_clean(text)


def test_only_ascii_letters_lower_case_to_the_letters_of_his_him_her():
    # _GENDERING_PRONOUN and _HIS_HIM_HER_LETTERS spell out cases instead of re.I on this ground.
    odd = [c for c in map(chr, range(0x110000)) if c.lower() in set("hisemrlf") and not c.isascii()]
    assert odd == []


def test_first_name_matches_the_slow_form():
    names = {name for text in TEXTS for name in quotes._NAME.findall(text)}
    names |= {"Mr. Ed’s", "Lady", "Sir King", "Mrs. Pell's", "Dr. Tess Alder", "King Ed’s.", "Ed’s’s", "A's"}
    for name in names:
        assert quotes._first_name(name) == slow_first_name(name), name


@pytest.mark.parametrize("index", range(len(TEXTS)))
def test_learn_and_names_in_match_the_slow_forms(index):
    text = "“Quote.” " + TEXTS[index]  # a quote mark, so that learn reads the text
    fast, slow = _learnt(text, SpeakerContext.learn), _learnt(text, slow_learn)
    assert fast.known_first_names == slow.known_first_names
    assert fast.gender == slow.gender
    rng = random.Random(index)
    pieces = [text, text.strip(), *(text[rng.randrange(len(text)) :] for _ in range(5))]
    for piece in pieces:
        assert fast.names_in(piece) == slow_names_in(fast, piece)


def test_recent_names_are_read_lazily_but_in_order():
    texts = TEXTS[:60]
    context = _learnt(" ".join(texts), SpeakerContext.learn)
    expected: list[str] = []
    for number, text in enumerate(texts):
        context.see(text)
        expected += slow_names_in(context, text)
        if number % 7 == 3:
            context.mention("Dani")
            expected.append("Dani")
        for pronoun in ("he", "she", "they"):
            wanted = quotes._PRONOUN_GENDER.get(pronoun)
            reference = next(
                (
                    name
                    for name in reversed(expected)
                    if quotes._first_name(name) != "Ed"
                    and not (wanted and context.gender.get(quotes._first_name(name), wanted) != wanted)
                ),
                None,
            )
            assert context.resolve(pronoun, avoid="Ed") == reference
    assert context.recent == expected


def test_introduced_by_skips_only_patterns_that_cannot_match():
    rng = random.Random(3)
    befores = [
        text[: rng.randrange(len(text) + 1)][-rng.choice([40, 120, 400]) :]
        for text in TEXTS
        for _ in range(4)
    ]
    befores += [
        "Ed’s quiet ",
        "Ada's line: ",
        "from Ines to Hal:\n",
        "Ed turns to say ",
        "Dani asks:",
        "Ed’s quiet\n",
        "Ada's last words, ",
        "Ed’s quiet\u00a0",
        "Mrs. Pell's\t",
        "",
        " ",
    ]
    for before in befores:
        for possessive in (quotes._POSSESSIVE_BARE, quotes._POSSESSIVE_DELIVERY):
            every = [
                quotes._POSSESSIVE_LINE,
                possessive,
                quotes._FROM_NAME,
                quotes._INFINITIVE,
                quotes._COLON_INTRO,
                quotes._COLON_INTRO_APPOSITIVE,
            ]
            kept = quotes._intro_patterns(before, possessive)
            assert kept == [p for p in every if p in kept]  # the order is kept
            assert [p.pattern for p in every if p not in kept and p.search(before)] == []


def test_find_quote_spans_matches_a_plain_scan():
    # double marks first; then single marks ‘…’ (issue 15), except one that opens inside a double span;
    # the pre-checks skip no text that has a quote
    for text in TEXTS + ["‘Go,’ he said. “The ‘lucky’ coat,” she said. ‘You’ve won.’ ‘’ The boys’ ‘hut’"]:
        plain = [
            (m.start(), m.end(), next(g for g in m.groups() if g is not None).strip())
            for m in quotes._QUOTE_SPAN.finditer(text)
        ]
        plain = [span for span in plain if span[2]]
        single = [
            (m.start(), m.end(), m.group(1).strip())
            for m in quotes._SINGLE_SPAN.finditer(text)
            if m.group(1).strip() and not any(start <= m.start() < end for start, end, _ in plain)
        ]
        # then straight single marks '…' outside those, looked for in every text (no pre-check)
        reference = [quote_spans.QuoteSpan(*span) for span in sorted(plain + single)]
        reference = quote_spans._with_straight_single_spans(text, reference)
        assert quotes.find_quote_spans(text) == reference


_TAG_ENDINGS = [" says, ", " asks:", " quietly tells him, ", " wants to say ", " — ", " goes to ask, "]
_TAG_EDGES = [
    "Dr. Tess Alder says, ",
    "Then Mrs. Pell, tired. St. John asks: ",
    "Ann! Mr. Bo Cid, who is sad, says, ",
    "“Hi.” Ann, angry (very), says ",
    "Prof.Ed tells her, ",
    "The Dr. says, ",
    "Sgt. Det. Mx. Lo Ray says:",
    "Ed? Dani is about to say",
    'Sighs." Wren shouts, ',
]


def _tag_befores() -> list[str]:
    rng = random.Random(3)
    befores = list(_TAG_EDGES)
    for text in TEXTS:
        for _ in range(3):
            befores.append(text[: rng.randrange(len(text) + 1)] + rng.choice(_TAG_ENDINGS))
    return befores


def test_tag_patterns_from_the_last_clause_match_as_from_the_start():
    # ``_clause_start``: a search that starts after the last stop finds what a search of the whole text does
    from recapcrawl.extraction import speech_tags

    patterns = [speech_tags._BEFORE, speech_tags._BEFORE_AUX, speech_tags._INFINITIVE]
    found = 0
    for before in _tag_befores():
        start = speech_tags._clause_start(before)
        for pattern in patterns:
            whole, last = pattern.search(before), pattern.search(before, start)
            assert (whole and whole.regs) == (last and last.regs), (pattern.pattern[:40], before)
            found += whole is not None
    assert found > 100


def _slow_calls_by_first_names(cast: names.Cast, whole: tuple[str, ...]) -> bool:
    firsts = lasts = 0
    for full in cast.fulls:
        if full == whole or set(full) & set(whole):
            continue
        if any(other[-1] == full[-1] and other[0] != full[0] for other in cast.fulls):
            continue
        forms = cast.forms(full)
        if not forms or max((cast._weight(form)[1] for form in forms), default=0) <= 0:
            continue
        key = cast.key(" ".join(full))
        if key == full[-1]:
            lasts += 1
        elif full[0].startswith(key):
            firsts += 1
    return firsts > 0 and lasts == 0


def _page_casts() -> list[names.Cast]:
    casts = []
    for text in [*_page_texts(), " ".join(_EDGES), " ".join(_fuzz(40, seed=11))]:
        context = _learnt("“Quote.” " + text, SpeakerContext.learn)
        casts.append(context.cast)
    return casts


def test_cast_index_of_full_names_matches_a_scan():
    # ``Cast._fulls_with`` and the memo of ``_calls_by_first_names`` give what a scan of ``fulls`` does
    casts = _page_casts()
    assert sum(len(cast.fulls) for cast in casts) > 50
    for cast in casts:
        words = {word for full in cast.fulls for word in full} | set(cast.counts)
        for word in words:
            assert cast._fulls_with.get(word, []) == [full for full in cast.fulls if word in full]
            assert cast.is_person(word) == cast._is_person(word) == cast.is_person(word)  # (memo)
        for whole in sorted(cast.fulls):
            assert cast._calls_by_first_names(whole) == _slow_calls_by_first_names(cast, whole)
            assert cast._calls_by_first_names(whole) == _slow_calls_by_first_names(cast, whole)  # memo

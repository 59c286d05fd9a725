"""Quoted speech: spans in double quotation marks, and who says them.

Speaker rules, tried in order for each quote (``NAME`` is a capitalised name such as
``Dani``, ``Mrs. Pell`` or ``Dr. Tess Alder``):

1. after the quote: ``“…,” Dani says`` / ``“…,” says Dani`` / ``“…,” she says``
2. before the quote: ``Ed tells Dani, “…”`` / ``as Margo says, “…”`` / ``the director, Okwu, asks, “…”``
   / ``she tells him, “…”``
3. a quote that continues the previous quote's sentence (``“…,” she says. “…”``) keeps its speaker
4. a quote standing alone right after a sentence in which a named person asks or says something

A pronoun resolves to the most recent name in the text before it (actors, named as
``played by X`` or ``X plays``, are skipped; a reply verb skips the person being answered).
Anything else — titles, scare quotes — has no speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

# Opening mark → closing marks. „…“ and „…” are German/Polish; «…» French.
_QUOTE_SPAN = re.compile(r"“([^“”]*)”|\"([^\"]*)\"|„([^„“”]*)[“”]|«\s*([^«»]*?)\s*»")

_VERBS = (
    "says|said|say|asks|asked|ask|tells|told|tell|replies|replied|answers|answered|shouts|shouted|yells|"
    "yelled|whispers|whispered|mutters|muttered|snaps|snapped|adds|added|explains|explained|insists|"
    "insisted|declares|declared|announces|announced|admits|admitted|jokes|joked|quips|quipped|warns|"
    "warned|offers|offered|notes|noted|cries|cried|screams|screamed|sighs|sighed|murmurs|murmured|"
    "responds|responded|retorts|retorted|continues|continued|counters|countered|begs|begged|pleads|"
    "pleaded|demands|demanded|barks|barked|hisses|hissed|growls|growled|deadpans|deadpanned|remarks|"
    "remarked|concludes|concluded|reminds|reminded|assures|assured|informs|informed|confesses|confessed|"
    "protests|protested|laughs|laughed|teases|teased|calls|called|sings|sang|reads|read|repeats|repeated|"
    "corrects|corrected|agrees|agreed|wonders|wondered|muses|mused|promises|promised|begins|began|"
    "whispering|saying|asking|telling|shouting|yelling|muttering|reading|repeating|calling|singing|"
    "insisting|explaining|adding|answering|replying|snapping|announcing|reports|reported|radios|radioed|"
    "mouths|mouthed|blurts|blurted|writes|wrote|texts|texted|recites|recited|calls out|shrugs|shrugged|"
    "groans|groaned|gasps|gasped|breathes|breathed|scoffs|scoffed|sneers|sneered|chirps|chirped|beams|"
    "beamed|grins|grinned|smiles|smiled|nods|nodded|reporting|radioing|mouthing"
)
_REPLY_VERBS = {
    "replies",
    "replied",
    "answers",
    "answered",
    "responds",
    "responded",
    "retorts",
    "retorted",
    "counters",
    "countered",
    "answering",
    "replying",
}
_TITLE_WORDS = (
    r"(?:Mr|Mrs|Ms|Mx|Dr|Prof|Lord|Lady|Sir|Dame|Captain|Capt|Detective|Det|Officer|Agent|Sergeant|Sgt|"
    r"Aunt|Uncle|Father|Mother|Sister|Brother|Saint|St|Judge|Chief|Coach|Nurse|Doctor|Professor|King|Queen|"
    r"Prince|Princess)"
)
_NAME_WORD = r"(?:[A-Z][a-zà-ÿ’'\-]+(?:[A-Z][a-zà-ÿ’'\-]+)?|[A-Z]{3,}(?![a-z]))"
_FUNCTION_WORDS = (
    "The|A|An|And|But|Or|So|As|If|When|While|Then|After|Before|Until|Once|In|On|At|By|For|From|To|Of|With|"
    "It|Its|He|She|They|We|I|You|His|Her|Their|Our|My|Your|This|That|These|Those|There|Here|What|Where|Why|"
    "Who|How|Which|Even|Only|Also|Still|Now|Later|Meanwhile|Just|Not|No|Yes|Oh|Well|Every|All|Both|Each"
)
# (?=[A-Z]) first: where there is no capital the match fails on that one test, before the function-word
# lookahead (Python's engine still tries every position; it cannot skip ahead past a lookahead).
NAME = rf"(?=[A-Z])(?!(?:{_FUNCTION_WORDS})\b)(?:{_TITLE_WORDS}\.?\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}"
_PRONOUN = r"(?:he|she|they|He|She|They)"
_ADVERB = r"(?:\w+ly\s+|only\s+|just\s+|then\s+|finally\s+|simply\s+|again\s+|quietly\s+|still\s+)*"

_AFTER_NAME_VERB = re.compile(
    rf"^\s*[,—–-]?\s*(?P<who>{NAME}|{_PRONOUN})\s+{_ADVERB}(?P<verb>{_VERBS})\b(?:\s+(?P<object>{NAME}))?"
)
_AFTER_VERB_NAME = re.compile(rf"^\s*[,—–-]?\s*(?P<verb>{_VERBS})\s+(?P<who>{NAME})\b")
_BEFORE = re.compile(
    rf"(?:^|[\s,(;:—–])(?P<who>{NAME}|{_PRONOUN})(?:,[^,.!?“”\"]{{1,60}},|,)?\s+{_ADVERB}(?P<verb>{_VERBS})\b"
    rf"(?P<tail>[^.!?“”\"()]{{0,70}})[,:—–]?\s*$"
)
_SPEECH_NOUNS = (
    r"(?:line|lines|lie|words|reply|answer|question|response|retort|excuse|comeback|advice|verdict|toast|"
    r"speech|explanation|request|promise|warning|threat|confession|order|orders|motto|catchphrase|greeting|"
    r"apology|plea|pitch|joke|boast|sign-off|parting shot|last words|first words)"
)
_POSSESSIVE_LINE = re.compile(
    rf"(?P<who>{NAME})[’']s\s+(?:\w+\s+){{0,3}}{_SPEECH_NOUNS}\b[^.!?“”\"]{{0,60}}[:,]\s*$"
)
# How a line is delivered, between a possessive and the quote: "Ed’s quiet “Dani”", "Ada’s flat, tired “No.”"
_DELIVERY = (
    r"(?:quiet|quietly|soft|softly|whispered|hushed|hoarse|tearful|teary|flat|final|last|first|sharp|clipped|"
    r"curt|tired|weary|small|little|gentle|shaky|cracked|muttered|shouted|barked|plaintive|deadpan|dry|wry|"
    r"bitter|breathless|strangled|angry|furious|sheepish|cheerful|bright|cold|icy|firm|sudden|simple|"
    r"desperate|frantic|trembling|broken|quavering|muffled|panicked|pleading|wounded|stunned|gruff|terse|"
    r"weak|faint|choked|sarcastic|wistful|urgent|frightened|hopeful|halting|stammered|mumbled|cheery|"
    r"very|almost|barely|half-whispered|half-hearted|one-word|two-word|single|pained|grim|resigned)"
)
_POSSESSIVE_DELIVERY = re.compile(rf"(?P<who>{NAME})[’']s\s+(?:{_DELIVERY},?\s+){{1,3}}$")
_POSSESSIVE_BARE = re.compile(rf"(?P<who>{NAME})[’']s\s+(?:{_DELIVERY},?\s+){{0,3}}$")
_POSSESSIVE_LINE_ANYWHERE = re.compile(rf"(?P<who>{NAME})[’']s\s+(?:\w+\s+){{0,3}}{_SPEECH_NOUNS}\b")
_FROM_NAME = re.compile(rf"\bfrom\s+(?P<who>{NAME})(?:\s+to\s+{NAME})?[^.!?“”\"]{{0,40}}:\s*$")
_INFINITIVE = re.compile(
    rf"(?:^|[\s,;])(?P<who>{NAME})\s+[^.!?“”\"]{{0,60}}"
    r"\bto\s+(?:say|ask|tell \w+|shout|whisper|announce)\s*[,:]?\s*$"
)
_COLON_INTRO = re.compile(rf"(?:^|[.!?…]\s+)(?P<who>{NAME})\s+[^.!?“”\"]{{0,80}}:\s*$")
_SENTENCE_BREAKS = re.compile(r"[.!?…](?:\s|$)")
_SENTENCE_SPEECH = re.compile(rf"(?P<who>{NAME})\s+(?:\w+\s+){{0,3}}(?P<verb>{_VERBS})\b")
_ACTOR_BEFORE = re.compile(r"(?:\bby|\bstar|\bactor|\bactress|\bplayed)\s*$", re.I)
_ACTOR_WORD_MAX = len("actress")  # the longest word _ACTOR_BEFORE looks for
_ACTOR_AFTER = re.compile(r"\s*(?:plays|played|who plays|as\b|stars\b|\()")  # matched at a name's end

_NOT_NAMES = {
    "The",
    "A",
    "An",
    "And",
    "But",
    "Or",
    "So",
    "It",
    "Its",
    "It’s",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Their",
    "Our",
    "My",
    "Your",
    "This",
    "That",
    "These",
    "Those",
    "Then",
    "There",
    "Here",
    "When",
    "While",
    "What",
    "Where",
    "Why",
    "Who",
    "How",
    "Which",
    "If",
    "In",
    "On",
    "At",
    "By",
    "For",
    "From",
    "To",
    "Of",
    "With",
    "As",
    "After",
    "Before",
    "Until",
    "Once",
    "Every",
    "Everyone",
    "Everything",
    "Nobody",
    "Nothing",
    "Someone",
    "Somebody",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "All",
    "Both",
    "Each",
    "Not",
    "No",
    "Yes",
    "Only",
    "Also",
    "Even",
    "Still",
    "Now",
    "Later",
    "Meanwhile",
    "Episode",
    "Season",
    "Act",
    "Part",
    "Chapter",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Together",
    "Within",
    "Below",
    "Above",
    "Inside",
    "Outside",
    "Just",
    "Stray",
    "Verdict",
    "Tonight",
    "Today",
    "Yesterday",
    "Tomorrow",
    "Oh",
    "Well",
    "Okay",
    "OK",
    "Spoilers",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Let",
    "Let’s",
    "Don’t",
    "Can’t",
    "Won’t",
    "Is",
    "Are",
    "Was",
    "Were",
    "Do",
    "Does",
    "Did",
    "Have",
    "Has",
    "Had",
    "Will",
    "Would",
    "Could",
    "Should",
    "Maybe",
    "Perhaps",
    "Sometimes",
}
_SENTENCE_END = re.compile(r"[.!?…]['’”\"]?\s+$")
_MALE_TITLES = {"Mr", "Lord", "Sir", "King", "Prince", "Father", "Brother", "Uncle"}
_FEMALE_TITLES = {"Mrs", "Ms", "Miss", "Lady", "Dame", "Queen", "Princess", "Mother", "Sister", "Aunt"}
_PRONOUN_GENDER = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}
_DETERMINERS = {
    "the",
    "a",
    "an",
    "to",
    "that",
    "this",
    "and",
    "or",
    "but",
    "into",
    "onto",
    "out",
    "up",
    "off",
    "back",
    "down",
    "in",
    "on",
    "at",
    "for",
    "with",
    "from",
    "about",
    "again",
    "go",
    "as",
    "afterwards",
    "afterward",
    "away",
    "now",
    "then",
    "here",
    "there",
    "later",
    "too",
    "so",
    "over",
    "around",
    "before",
    "after",
    "once",
    "twice",
    "first",
    "last",
    "anyway",
    "alone",
    "home",
    "tonight",
    "today",
    "is",
    "was",
    "by",
    "if",
    "when",
    "while",
    "until",
    "what",
    "how",
    "why",
}
_COMMON_STARTERS = re.compile(r"^[A-Z][a-z]+(?:ing|ly|ed|ness|ment|tion|ful|less)$")


_HAS_QUOTE_MARK = re.compile(r"[“\"„«]")
# Compiled once (they run for every name and quote in a body).
_NAME = re.compile(NAME)
_NAME_MID_SENTENCE = re.compile(rf"(?=[A-Z])(?<=[a-z,;:] )({NAME})")
_TITLE_START = re.compile(_TITLE_WORDS)
_TITLE_ONLY = re.compile(_TITLE_WORDS + r"\.?$")
_PRONOUN_RE = re.compile(_PRONOUN)
_CLAUSE_END = re.compile(r"[.;!?]|,(?! who\b)")
_WORDS = re.compile(r"[\w’']+")
_SENTENCE_GAPS = re.compile(r"(?<=[.!?…])\s+")
_SENTENCE_GAP = re.compile(r"(?<=[.!?…])\s")
# The only words by which a clause can show its subject's gender (see ``_clause_gender``), as whole
# words in any case: a clause without one shows nothing, and most clauses have none. Cases spelt out
# rather than re.I (only ASCII letters lower-case to these), so that the engine can skip ahead to an h.
_GENDERING_PRONOUN = re.compile(r"[Hh](?<![\w’'][Hh])(?:[Ii][SsMm]|[Ee][Rr])(?:[Ss][Ee][Ll][Ff])?(?![\w’'])")
_HIS_HIM_HER_LETTERS = re.compile(r"[Hh](?:[Ii][SsMm]|[Ee][Rr])")
_CLAUSE_WINDOW = 90  # characters after a name that ``_clause_gender`` reads
_SUBJECT_VERB = re.compile(rf"(?P<who>{NAME})\s+(?:\w+ly\s+)?[a-z]+s\b")
_GENDERED_TITLES = _MALE_TITLES | _FEMALE_TITLES


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
    return spans


def _strip_title(name: str) -> str:
    return name.strip().rstrip(",")


def _is_name(candidate: str, known: set[str], at_sentence_start: bool) -> bool:
    first_word = candidate.split()[0].rstrip(".")
    if candidate in _NOT_NAMES or first_word in _NOT_NAMES and not _TITLE_START.match(first_word):
        return False
    if at_sentence_start:
        if first_word in known or _TITLE_ONLY.match(first_word):
            return True
        return not _COMMON_STARTERS.match(first_word) and len(first_word) > 2
    return True


class SpeakerContext:
    """Names seen so far in one recap, so that a pronoun can be resolved to the latest one."""

    def __init__(self, excluded: set[str] | None = None) -> None:
        self.excluded = {e.casefold() for e in (excluded or set()) if e}
        self.known_first_names: set[str] = set()
        # Names mentioned outside quotes, oldest first, in chunks: a text seen stays unread (a str) until a
        # pronoun needs the names in it, and a pronoun needs only the latest ones; most pages resolve none.
        self._mentions: list[str | list[str]] = []
        self.gender: dict[str, str] = {}  # first name → "m" / "f", where the text shows it

    @property
    def recent(self) -> list[str]:
        """Names mentioned outside quotes so far, oldest first."""
        return list(self._latest_first())[::-1]

    def _latest_first(self) -> Iterator[str]:
        """Names mentioned so far, latest first, reading seen text for names only as far back as asked."""
        for index in range(len(self._mentions) - 1, -1, -1):
            chunk = self._mentions[index]
            if isinstance(chunk, str):
                chunk = self._mentions[index] = self.names_in(chunk)
            yield from reversed(chunk)

    def learn(self, text: str) -> None:
        """Read the whole body once: which capitalised words are names, and the genders it reveals.

        A name's gender comes from a title (``Mrs. Pell``), a possessive or reflexive pronoun in the
        clause it is the subject of (``Vale narrating her own…``), or, as weaker evidence, an object
        pronoun right after its verb (``Felix asks her to…`` suggests Felix is not "her").
        """
        if not _HAS_QUOTE_MARK.search(text):
            return  # no quoted speech to attribute
        # name → first name: a page names the same few people again and again
        first_names = {name: _first_name(name) for name in set(_NAME_MID_SENTENCE.findall(text))}
        self.known_first_names.update(first_names.values())
        # Where the letters of "his", "him" or "her" occur, in any word: most clauses have none of them,
        # and then no gendering pronoun, so they need no closer look.
        hints = [found.start() for found in _HIS_HIM_HER_LETTERS.finditer(text)]
        weak: dict[str, str] = {}
        for match in _NAME.finditer(text):
            name = match.group()
            title = name.split(maxsplit=1)[0]
            if title in _NOT_NAMES:
                continue
            first = first_names.get(name)
            if first is None:
                first = first_names[name] = _first_name(name)
            if first in self.gender:
                continue  # the first evidence wins; later mentions cannot change it
            title = title.rstrip(".")
            if title in _GENDERED_TITLES:
                self.gender[first] = "m" if title in _MALE_TITLES else "f"
                continue
            end = match.end()
            hint = bisect_left(hints, end)
            if hint == len(hints) or hints[hint] > end + _CLAUSE_WINDOW - 3:
                continue
            strong, weaker = _clause_gender(text, end)
            if strong:
                self.gender[first] = strong
            elif weaker:
                weak.setdefault(first, weaker)
        for first, gender in weak.items():
            self.gender.setdefault(first, gender)

    def names_in(self, text: str) -> list[str]:
        """Names mentioned in plain (unquoted) text, in order, actors skipped."""
        names = []
        first_start = len(text) - len(text.lstrip())
        for match in _NAME.finditer(text):
            candidate = match.group(0)
            start = match.start()
            # Index arithmetic, not ``text[:start]``: slicing the text before every name is quadratic.
            space = _space_before(text, start)
            at_start = start == first_start or _ends_sentence(text, space, start)
            if not _is_name(candidate, self.known_first_names, at_start):
                continue
            if _names_actor(text, space, start, match.end()):
                continue
            if candidate.casefold() in self.excluded:
                continue
            names.append(candidate)
        return names

    def see(self, text: str) -> None:
        """Plain text that may mention names (read for them only when a pronoun needs it)."""
        self._mentions.append(text)

    def mention(self, name: str) -> None:
        """A name just mentioned (a quote's speaker)."""
        self._mentions.append([name])

    def resolve(self, pronoun: str, avoid: str | None = None) -> str | None:
        """The most recent name the pronoun can refer to (not ``avoid``, not of the other gender)."""
        wanted = _PRONOUN_GENDER.get(pronoun.lower())
        for name in self._latest_first():
            if avoid and _first_name(name) == _first_name(avoid):
                continue
            known = self.gender.get(_first_name(name))
            if wanted and known and known != wanted:
                continue
            return name
        return None


def _space_before(text: str, end: int) -> int:
    """Where the run of white space that ends at ``end`` starts (``end`` when there is none)."""
    while end and text[end - 1].isspace():
        end -= 1
    return end


def _ends_sentence(text: str, space: int, end: int) -> bool:
    """Whether ``text[:end]``, whose trailing white space starts at ``space``, ends a sentence
    (what ``_SENTENCE_END.search(text[:end])`` tells, without copying the text)."""
    if space == end:
        return False
    if space and text[space - 1] in "'’”\"":
        space -= 1
    return space > 0 and text[space - 1] in ".!?…"


def _names_actor(text: str, space: int, start: int, end: int) -> bool:
    """Whether the name at ``text[start:end]`` (white space before it from ``space``) is an actor's:
    ``played by X``, ``X plays``. The word before is found in the few characters before that white space."""
    return bool(
        _ACTOR_BEFORE.search(text, max(0, space - _ACTOR_WORD_MAX), start) or _ACTOR_AFTER.match(text, end)
    )


def _clause_gender(text: str, end: int) -> tuple[str | None, str | None]:
    """The gender shown by the clause after a name that ends at ``end``: (strong, weak) evidence, see
    ``SpeakerContext.learn``."""
    window = text[end : end + _CLAUSE_WINDOW]
    if not _GENDERING_PRONOUN.search(window):
        return None, None
    clause = _CLAUSE_END.split(window.lstrip(", "), maxsplit=1)[0]
    words = _WORDS.findall(clause)
    for index, word in enumerate(words[:10]):
        lower = word.lower()
        if lower in ("himself", "herself", "his"):
            return _PRONOUN_GENDER[lower], None
        following = words[index + 1].lower() if index + 1 < len(words) else ""
        if lower == "her" and following and following not in _DETERMINERS and not following.endswith("ly"):
            return "f", None
        if lower in ("her", "him"):
            # "Felix asks her to…" / "Felix tells her," — the object is someone else.
            if index == 1 and following in ("", "to"):
                return None, "m" if lower == "her" else "f"
            return None, None
        if lower in ("he", "she", "they"):
            return None, None
    return None, None


def _first_name(name: str) -> str:
    words = name.split()
    first = words[0]
    for word in words:
        if word.rstrip(".") not in _GENDERED_TITLES:
            first = word
            break
    first = first.rstrip(".")
    return first[:-2] if first.endswith(("’s", "'s")) else first


def _speaker_from(who: str, verb: str, context: SpeakerContext, previous: str | None) -> str | None:
    if _PRONOUN_RE.fullmatch(who):
        return context.resolve(who, avoid=previous if verb in _REPLY_VERBS else None)
    if not _is_name(who, context.known_first_names, at_sentence_start=False):
        return None
    if who.casefold() in context.excluded:
        return None
    return _strip_title(who)


def _last_sentence(text: str) -> str:
    sentences = _SENTENCE_GAPS.split(text.strip())
    return sentences[-1] if sentences else ""


_UNNAMED_PERSON = re.compile(
    r"\b(?:the|a|an|his|her|their|its|some)\s+(?:[a-z’'-]+\s+){0,2}(?:man|woman|men|women|boy|girl|kid|child|"
    r"master|keeper|captain|stranger|driver|guard|officer|doctor|nurse|boss|mother|father|brother|sister|"
    r"husband|wife|son|daughter|friend|neighbou?r|director|manager|chef|waiter|waitress|clerk|cop|detective|"
    r"judge|priest|teacher|student|landlord|landlady|owner|mayor|agent|soldier|pilot|sheriff|deputy|"
    r"bartender|patient|victim|suspect|lawyer|reporter|host|guest|customer|critic|assistant|partner|"
    r"colleague|passenger|fisherman|sailor|villain|killer|intruder|caller|visitor|voice)\b"
)


def someone_unnamed_since(before: str, context: SpeakerContext) -> bool:
    """Whether the text mentions an unnamed person (``the harbour master``) after its last name, so that a
    pronoun may mean them: resolving it to a name would then be a guess."""
    found = None
    for found in _UNNAMED_PERSON.finditer(before):  # noqa: B007 (the last one is wanted)
        pass
    return found is not None and not context.names_in(before[found.end() :])


def _tag_after(
    after: str, context: SpeakerContext, previous: str | None, hint: str | None, unnamed: bool = False
) -> str | None:
    """``“…,” Dani says`` / ``“…,” says Dani`` / ``“…,” she tells June``."""
    match = _AFTER_NAME_VERB.match(after) or _AFTER_VERB_NAME.match(after)
    if not match:
        return None
    who, verb = match.group("who"), match.group("verb")
    if _PRONOUN_RE.fullmatch(who):
        if unnamed:
            return None
        if hint:
            return hint
        told = match.groupdict().get("object")
        avoid = told if told else (previous if verb in _REPLY_VERBS else None)
        return context.resolve(who, avoid=avoid)
    return _speaker_from(who, verb, context, previous)


def _introduced_by(before: str, context: SpeakerContext, previous: str | None, quote: str = "") -> str | None:
    """``Ed tells Dani, “…”``, ``Marguerite’s lie: “…”``, ``Ed’s quiet “Dani”``, ``from Ines to Hal: “…”``,
    ``to say “…”``."""
    # A bare possessive names the speaker of a whole line ("Mrs. Pell's “Spring is a long way off.”"),
    # not of a scare-quoted word ("Ada's “lucky” coat").
    possessive = _POSSESSIVE_BARE if re.search(r"[.!?…]$", quote) else _POSSESSIVE_DELIVERY
    for pattern in _intro_patterns(before, possessive):
        match = pattern.search(before)
        if (
            match
            and _is_name(match.group("who"), context.known_first_names, at_sentence_start=False)
            and match.group("who").casefold() not in context.excluded
        ):
            return _strip_title(match.group("who"))
    return None


def _has_possessive(text: str) -> bool:
    return "’s" in text or "'s" in text


def _intro_patterns(before: str, possessive: re.Pattern[str]) -> list[re.Pattern[str]]:
    """Those of ``_introduced_by``'s patterns, in its order, that can match ``before``: a cheap test of
    what each needs (a possessive, "to", a colon or comma or white space at the end) rules most of them out
    before a scan."""
    last = before.rstrip()[-1:]
    possessed = _has_possessive(before)
    patterns = []
    if possessed and last in (":", ","):
        patterns.append(_POSSESSIVE_LINE)
    if possessed and before[-1:].isspace():
        patterns.append(possessive)
    if last == ":":
        patterns.append(_FROM_NAME)
    if "to" in before:
        patterns.append(_INFINITIVE)
    if last == ":":
        patterns.append(_COLON_INTRO)
    return patterns


def _standalone(before: str, quote: str, context: SpeakerContext, previous: str | None) -> str | None:
    """A quote that is its own sentence, right after a sentence whose subject is a named character."""
    if not before.strip() or not _SENTENCE_END.search(before) or not re.search(r"[.!?,…—–-]$", quote):
        return None
    sentence = _last_sentence(before)
    found = _SENTENCE_SPEECH.search(sentence)
    if found and found.group("verb") in {"asks", "asked", "says", "said", "tells", "told"}:
        return _speaker_from(found.group("who"), found.group("verb"), context, previous)
    subject = _SUBJECT_VERB.match(sentence)
    if subject and len(sentence.split()) <= 16:
        who = subject.group("who")
        if (
            _is_name(who, context.known_first_names, at_sentence_start=True)
            and who.casefold() not in context.excluded
        ):
            return _strip_title(who)
    return None


def _last_before(before: str) -> re.Match[str] | None:
    """The speech tag closest to the quote (``Clara asks what went wrong, Idris says, “…”`` → Idris)."""
    match = _BEFORE.search(before)
    while match is not None:
        later = _BEFORE.search(before, match.start("who") + 1)
        if later is None:
            break
        match = later
    return match


def attribute_speakers(text: str, spans: list[QuoteSpan], context: SpeakerContext) -> list[str | None]:
    """The speaker of each span in ``text`` (None where the text names nobody)."""
    speakers: list[str | None] = []
    cursor = 0
    previous: str | None = None
    previous_tag_names: set[str] = set()
    for index, span in enumerate(spans):
        before = text[cursor : span.start]
        context.see(before)
        after = text[span.end : spans[index + 1].start if index + 1 < len(spans) else len(text)]
        hint = None
        hint_match = (
            _POSSESSIVE_LINE_ANYWHERE.search(_last_sentence(before))
            if before.strip() and _has_possessive(before)
            else None
        )
        if hint_match and _is_name(
            hint_match.group("who"), context.known_first_names, at_sentence_start=False
        ):
            hint = _strip_title(hint_match.group("who"))
        speaker = None
        before_match = _last_before(before)
        if (
            before_match
            and not _PRONOUN_RE.fullmatch(before_match.group("who"))
            and re.search(r"[,:]\s*$", before)
        ):
            # "Okwu asks, “…”" introduces this quote; a tag after it may belong to the next one.
            speaker = _speaker_from(before_match.group("who"), before_match.group("verb"), context, previous)
        unnamed = someone_unnamed_since(before, context)
        if speaker is None:
            speaker = _tag_after(after, context, previous, hint, unnamed)
        if speaker is None and before_match:
            who = before_match.group("who")
            if _PRONOUN_RE.fullmatch(who) and (hint or unnamed):
                speaker = hint if not unnamed else None
            else:
                speaker = _speaker_from(who, before_match.group("verb"), context, previous)
        if speaker is None:
            speaker = _introduced_by(before, context, previous, span.text)
        if (
            speaker is None
            and previous
            and not unnamed
            and len(before) < 160
            and len(_SENTENCE_BREAKS.findall(before)) <= 1
        ):
            others = {n for n in context.names_in(before) if _first_name(n) not in previous_tag_names}
            if not others:
                speaker = previous  # the same speaker's line goes on after the tag
        if speaker is None:
            speaker = _standalone(before, span.text, context, previous)
        speakers.append(speaker)
        previous = speaker
        tag = _SENTENCE_GAP.split(after, maxsplit=1)[0]
        previous_tag_names = {_first_name(n) for n in context.names_in(tag)} if speaker else set()
        if speaker:
            context.mention(speaker)
            previous_tag_names.add(_first_name(speaker))
        cursor = span.end
    context.see(text[cursor:])
    return speakers

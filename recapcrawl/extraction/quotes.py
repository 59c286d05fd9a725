"""Quoted speech: spans in double quotation marks (and British single marks ‘…’), and who says them.

A per-article ``Cast`` knows the people the text names (short forms, titles and ranks stripped, things and
places left out); ``attribute_speakers`` tries, for each quote, labels and dash credits, a speech tag after
or before the quote, a quote continuing the previous one, a subject just before it, and two-person
exchanges that take turns — and gives no speaker where the text leaves a doubt: a wrong speaker is worse
than none. The rules, with an example of each, are listed in docs/speakers.md.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .text import block_text


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string (tables of words read better so)."""
    return frozenset(text.split())


# Opening mark → closing marks. „…“ and „…” are German/Polish; «…» French.
_QUOTE_SPAN = re.compile(r"“([^“”]*)”|\"([^\"]*)\"|„([^„“”]*)[“”]|«\s*([^«»]*?)\s*»")
# British single marks ‘…’: the opening mark after a space or punctuation, the closing one not followed by
# a letter or digit (an apostrophe inside, as in ‘You’ve’, is followed by one).
_SINGLE_SPAN = re.compile(r"(?<![\w’‘])‘((?:[^‘’“”\"„«»\n]|’(?=\w)|“[^“”‘’\n]{1,200}”){1,400}?)’(?![\w’])")

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
    "declaring|murmuring|hissing|snarling|barking|crying|insisting|protesting|demanding|"
    "insisting|explaining|adding|answering|replying|snapping|announcing|reports|reported|radios|radioed|"
    "mouths|mouthed|blurts|blurted|writes|wrote|texts|texted|recites|recited|calls out|shrugs|shrugged|"
    "groans|groaned|gasps|gasped|breathes|breathed|scoffs|scoffed|sneers|sneered|chirps|chirped|beams|"
    "beamed|grins|grinned|smiles|smiled|nods|nodded|reporting|radioing|mouthing|greets|greeted|greeting|"
    "slurs|slurred|mumbles|mumbling|squeaks|squeaked|squeaking|snarls|snarled|drawls|drawled|stammers|"
    "gushes|gushed|bellows|bellowed|hollers|hollered|wails|wailed|sobs|sobbed|rasps|rasped|croaks|croaked|"
    "purrs|purred|informing|warning|pleading|demanding|whimpers|whimpered|bristles|snipes|sniped|"
    "puts it|put it"
)
# Reactions, not speech: after a quote that is a whole sentence ("“Fine.” Odette nods.") they start a new
# sentence about the listener rather than tag the quote.
_GESTURES = _words(
    "nods nodded shrugs shrugged smiles smiled grins grinned beams beamed sighs sighed laughs laughed "
    "scoffs scoffed gasps gasped groans groaned sneers sneered agrees agreed"
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
# Only these take a full stop ("Dr. Amadi", but "the Doctor. The Master" is two sentences): looked back at
# once a title word has matched, which costs less than a branch of their own
_ABBREVIATED_TITLES = "|".join(
    f"(?<={title})" for title in sorted(_words("Mr Mrs Ms Mx Dr Prof Capt Det Sgt St"))
)
_NAME_WORD = r"(?:[A-Z][a-zà-ÿ’'\-]+(?:[A-Z][a-zà-ÿ’'\-]+)?|[A-Z]{3,}(?![a-z]))"
_FUNCTION_WORDS = (
    "The|A|An|And|But|Or|So|As|If|When|While|Then|After|Before|Until|Once|In|On|At|By|For|From|To|Of|With|"
    "It|Its|He|She|They|We|I|You|His|Her|Their|Our|My|Your|This|That|These|Those|There|Here|What|Where|Why|"
    "Who|How|Which|Even|Only|Also|Still|Now|Later|Meanwhile|Just|Not|No|Yes|Oh|Well|Every|All|Both|Each"
)
# (?=[A-Z]) first: where there is no capital the match fails on that one test, before the function-word
# lookahead (Python's engine still tries every position; it cannot skip ahead past a lookahead).
# The words of a name are on one line (``learn`` reads a body's blocks on lines of their own).
NAME = (
    rf"(?=[A-Z])(?!(?:{_FUNCTION_WORDS})\b)(?:{_TITLE_WORDS}(?:(?:{_ABBREVIATED_TITLES})\.)?[^\S\n]+)?{_NAME_WORD}"
    rf"(?:[^\S\n]+{_NAME_WORD}){{0,2}}"
)
_PRONOUN = r"(?:he|she|they|He|She|They)"
_ADVERB = (
    r"(?:\w+ly\s+|has\s+|had\s+|only\s+|just\s+|then\s+|finally\s+|simply\s+|again\s+|quietly\s+|still\s+)*"
)

_AFTER_NAME_VERB = re.compile(
    rf"^\s*[,—–-]?\s*(?P<article>the\s+)?(?P<who>{NAME}|{_PRONOUN})\s+{_ADVERB}(?P<verb>{_VERBS})\b(?:\s+(?P<object>{NAME}))?"
)
# ("says the Reverend Clement Ashdown": an article before a rank is the name's; see ``_tag_after``)
_AFTER_VERB_NAME = re.compile(rf"^\s*[,—–-]?\s*(?P<verb>{_VERBS})\s+(?P<article>the\s+)?(?P<who>{NAME})\b")
_BEFORE = re.compile(
    rf"(?:^|[\s,(;:—–])(?P<who>{NAME}|{_PRONOUN})(?:,?\s+who\b)?(?:,[^,.!?“”\"]{{1,60}},|,)?\s+{_ADVERB}"
    rf"(?P<verb>{_VERBS})\b"
    rf"(?P<tail>[^.!?“”\"()]{{0,70}})[,:—–]?\s*$"
)
_SPEECH_NOUNS = (
    r"(?:line|lines|lie|words|reply|answer|question|response|retort|excuse|comeback|advice|verdict|toast|"
    r"speech|explanation|request|promise|warning|threat|confession|order|orders|motto|catchphrase|greeting|"
    r"apology|plea|pitch|joke|boast|sign-off|parting shot|last words|first words)"
)
_POSSESSIVE_LINE = re.compile(
    rf"(?P<who>{NAME})[’']s\s+(?:\w+\s+){{0,3}}{_SPEECH_NOUNS}\b[^.!?“”\"]{{0,60}}"
    r"(?:[:,(?]|\s[—–])\s*(?:an?\s+)?(?:(?:quiet|soft|whispered|muttered|flat|simple|curt|tired|small)\s+)?"
    r"(?:(?:especially|particularly|notably|including|above all|with)\s+(?:the|that|its)\s+"
    rf"{_SPEECH_NOUNS}\s*)?$"
)
# How a line is delivered, between a possessive and the quote: "Ed’s quiet “Dani”", "Ada’s flat, tired “No.”"
_DELIVERY = (
    r"(?:quiet|quietly|soft|softly|whispered|hushed|hoarse|tearful|teary|flat|final|last|first|sharp|clipped|"
    r"curt|tired|weary|small|little|gentle|shaky|cracked|muttered|shouted|barked|plaintive|deadpan|dry|wry|"
    r"bitter|breathless|strangled|angry|furious|sheepish|cheerful|bright|cold|icy|firm|sudden|simple|"
    r"desperate|frantic|trembling|broken|quavering|muffled|panicked|pleading|wounded|stunned|gruff|terse|"
    r"weak|faint|choked|sarcastic|wistful|urgent|frightened|hopeful|halting|stammered|mumbled|cheery|"
    r"very|almost|barely|half-whispered|half-hearted|one-word|two-word|single|pained|grim|resigned|running|"
    r"eventual|muttered|immortal|iconic|trademark|signature)"
)
_POSSESSIVE_DELIVERY = re.compile(rf"(?P<who>{NAME})[’']s\s+(?:{_DELIVERY},?\s+){{1,3}}$")
_POSSESSIVE_BARE = re.compile(rf"(?P<who>{NAME})[’']s\s+(?:{_DELIVERY},?\s+){{0,3}}$")
_SPEECH_NOUN_AFTER = re.compile(rf"\s+(?:[\w-]+\s+){{0,3}}{_SPEECH_NOUNS}\b")
_POSSESSIVE_LINE_ANYWHERE = re.compile(rf"(?P<who>{NAME})[’']s\s+(?:\w+\s+){{0,3}}{_SPEECH_NOUNS}\b")
_FROM_NAME = re.compile(  # "A question from Bram:", "Direct quote from my friend Sam:"
    rf"\bfrom\s+(?:(?:my|our|his|her|their)\s+[a-z]+\s+)?(?P<who>{NAME})(?:\s+to\s+{NAME})?"
    rf"(?P<tail>[^.!?“”\"]{{0,40}}):\s*$"
)
_INFINITIVE = re.compile(
    rf"(?:^|[\s,;])(?P<who>{NAME})\s+[^.!?“”\"]{{0,60}}"
    r"\bto\s+(?:say|ask|tell \w+|shout|whisper|announce)\s*[,:]?\s*$"
)
_COLON_INTRO = re.compile(rf"(?:^\s*|[.!?…]\s+)(?P<who>{NAME})\s+[^.!?“”\"—–]{{0,80}}(?::|\s[—–])\s*$")
# What a subject perceives or finds before a colon is not their line: "Cole finds a note in the car:"
# (matched right after the subject's name)
_PERCEIVED = re.compile(
    r"[^\S\n]+(?:\w+ly[^\S\n]+)?(?:hears|heard|overhears|overheard|listens|listened|finds|found|sees|saw|"
    r"reads|spots|spotted|notices|noticed|discovers|discovered|watches|watched|receives|received|gets an?|"
    r"got an?)\b"
)
# A subject named in apposition, then its line: "The villain (Lord Ashgrove, boo) had one good line:"
_COLON_INTRO_APPOSITIVE = re.compile(
    rf"(?:^|[.!?…]\s+)(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[a-z’'-]+\s+){{0,2}}?[a-z’'-]+\s*(?:\(|,\s*)"
    rf"(?P<who>{NAME})(?:[^().!?“”\"]{{0,20}}\)|,)\s+[a-z][^.!?“”\"]{{0,30}}\b{_SPEECH_NOUNS}\b"
    r"[^.!?“”\"]{0,40}:\s*$"
)
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
    "Whoever",
    "Whatever",
    "Anyone",
    "Anybody",
    "Everybody",
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


_HAS_QUOTE_MARK = re.compile(r"[“\"„«‘]")
# Compiled once (they run for every name and quote in a body).
_NAME = re.compile(NAME)
_NAME_MID_SENTENCE = re.compile(rf"(?=[A-Z])(?<=[a-z,;:] )({NAME})")
_TITLE_START = re.compile(_TITLE_WORDS)
_TITLE_ONLY = re.compile(_TITLE_WORDS + r"\.?$")
_PRONOUN_RE = re.compile(_PRONOUN)
_CLAUSE_END = re.compile(r"[.;!?]|,(?! who\b)")
_WORDS = re.compile(r"[\w’']+")
# (after a closing mark too: "around six.’ Aske sighs.")
# (not after a title's abbreviation: "Lindahl keeps him talking while Sgt. Nyqvist traces the call.")
_SENTENCE_GAPS = re.compile(
    r"(?<=[.!?…’”\"])(?<![^.!?…][’”\"])"
    + "".join(rf"(?<!\b{title}\.)" for title in sorted(_words("Mr Mrs Ms Mx Dr St Prof Capt Det Sgt Lt")))
    + r"\s+"
)
_SENTENCE_GAP = re.compile(r"(?<=[.!?…])\s")
# The only words by which a clause can show its subject's gender (see ``_clause_gender``), as whole
# words in any case: a clause without one shows nothing, and most clauses have none. Cases spelt out
# rather than re.I (only ASCII letters lower-case to these), so that the engine can skip ahead to an h.
_GENDERING_PRONOUN = re.compile(r"[Hh](?<![\w’'][Hh])(?:[Ii][SsMm]|[Ee][Rr])(?:[Ss][Ee][Ll][Ff])?(?![\w’'])")
_HIS_HIM_HER_LETTERS = re.compile(r"[Hh](?:[Ii][SsMm]|[Ee][Rr])")
_CLAUSE_WINDOW = 90  # characters after a name that ``_clause_gender`` reads
_SUBJECT_VERB = re.compile(
    rf"(?P<who>{NAME})(?:,\s+[a-z][^,.!?“”\"]{{0,30}},)?\s+(?:\w+ly\s+)?"  # ("Hollander, presiding, peers")
    r"(?:(?:doesn[’']t|does\s+not|won[’']t|can[’']t)\s+[a-z]+|[a-z]+s)\b"
)
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
        # what ``learn`` read and the names in it, for the cast (built when a speaker is named)
        self._texts: list[tuple[str, list[tuple[str, int, int]]]] = []
        self._cast: Cast | None = None
        self.block_start = 0  # where the current paragraph's mentions start (see ``attribute_speakers``)
        self._raw: dict[int, str] = {}  # index in _mentions → the text seen there

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
        mentions: list[tuple[str, int, int]] = []  # every name, for the cast (see ``Cast``)
        self._texts.append((text, mentions))
        self._cast = None
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
                rest = name[len(title) :].lstrip()
                if rest and title.rstrip(".") in _HONORIFICS:  # "Mrs Philippa Crouch": the title is hers
                    mentions.append((name, match.start(), match.end()))
                elif rest:  # "Is Teller going…": the name after a word that starts a question
                    mentions.append((rest, match.end() - len(rest), match.end()))
                continue
            mentions.append((name, match.start(), match.end()))
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

    def learn_element(self, element) -> None:
        """``learn`` the text of an lxml element, its blocks on lines of their own."""
        self.learn(block_text(element))

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
        self._raw[len(self._mentions)] = text
        self._mentions.append(text)

    def mention(self, name: str) -> None:
        """A name just mentioned (a quote's speaker)."""
        self._mentions.append([name])

    @property
    def cast(self) -> Cast:
        """The people the text that ``learn`` read names (built once, when first needed)."""
        if self._cast is None:
            self._cast = Cast(self._texts, self.gender)
        return self._cast

    def resolve_speaker(
        self, pronoun: str, avoid: set[str] | frozenset[str] = frozenset(), reaction: bool = False
    ) -> str | None:
        """The person a pronoun in a speech tag means, or None where that is a guess: the latest person
        mentioned (not one of ``avoid``, not of the other gender); None when another person mentioned in
        the same stretch of text fits as well, or when the person was last named in an earlier paragraph
        and the text never showed their gender. Of two people who fit, the one who speaks in that text
        wins, and for a ``reaction`` (``Sookie tells Jackson the news, and his “…”``) the one told too."""
        if pronoun in ("they", "They"):
            return None  # most often a group ("the boycotters … they"); a person's "they" needs more
        cast = self.cast
        wanted = _PRONOUN_GENDER.get(pronoun.lower())
        avoided = {cast.key(name) for name in avoid if name}
        first: tuple[int, str, str | None] | None = None
        first_name = ""
        for index, name in self._latest_first_indexed():
            if not cast.is_person(name):
                continue
            key = cast.key(name)
            if key in avoided or (first and key == first[1]):
                continue
            gender = cast.gender_of(name)
            if wanted and gender and gender != wanted:
                continue
            if first is None:
                first, first_name = (index, key, gender), name
                continue
            if not (wanted and first[2] == wanted) and (
                index == first[0] or (index >= self.block_start and wanted and gender == wanted)
            ):
                if (
                    index == first[0]
                    and not (wanted and gender == wanted)  # (a rival shown of that gender fits better)
                    and not self._pronoun_after(index, first_name, wanted)
                    and (
                        self._alone_in_last_sentence(index, first_name, name)
                        or self._speaks_in(index, first_name, reaction)
                    )
                ):
                    break
                return None  # two people fit, and the pronoun does not tell which
            if index < self.block_start:
                break
        if first is None:
            return None
        if first[0] < self.block_start and not (wanted and first[2] == wanted):
            return None
        return first[1]

    def people_in_block(self) -> Iterator[str]:
        """The people the current paragraph names so far, as the page's keys, latest first."""
        cast = self.cast
        for index, name in self._latest_first_indexed():
            if index < self.block_start:
                return
            if cast.is_person(name):
                yield cast.key(name)

    def someone_else_in_block(self, name: str, gender: str | None) -> bool:
        """Whether the current paragraph names a person besides ``name`` not known to be of ``gender``."""
        cast = self.cast
        key = cast.key(name)
        for index, other in self._latest_first_indexed():
            if index < self.block_start:
                return False
            if cast.is_person(other) and cast.key(other) != key and cast.gender_of(other) != gender:
                return True
        return False

    def _alone_in_last_sentence(self, index: int, name: str, other: str) -> bool:
        """Whether the last sentence of the text seen at ``index`` that names either person names only
        ``name`` (``Jory wants to wait. Ada does not. “…,” she says`` → Ada)."""
        for sentence in reversed(_SENTENCE_GAPS.split(self._raw.get(index, ""))):
            if other in sentence:
                return False
            if name in sentence:
                return True
        return False

    def _pronoun_after(self, index: int, name: str, wanted: str | None) -> bool:
        """Whether the text seen at ``index`` ends with a pronoun's tag in a sentence where, after ``name``,
        a pronoun of the tag's gender already means someone else (``When Ben asks if she is okay, she
        snaps,``: she is not Ben)."""
        if not wanted:
            return False
        raw = self._raw.get(index, "")[-300:]
        tag = _TRAILING_PRONOUN_TAG.search(raw)
        if tag is None:
            return False
        breaks = list(_SENTENCE_BREAKS.finditer(raw, 0, tag.start()))
        at = raw.rfind(name, breaks[-1].end() if breaks else 0, tag.start())
        return at >= 0 and bool(_GENDERED_WORDS[wanted].search(raw, at + len(name), tag.start()))

    def _speaks_in(self, index: int, name: str, told: bool = False) -> bool:
        """Whether the text seen at ``index`` has ``name`` as a speech verb's subject (``says Kim Roe``),
        or, when ``told`` counts, its object (``tells Jackson``)."""
        raw = self._raw.get(index, "")
        at = raw.rfind(name)
        return at >= 0 and bool(
            _VERB_JUST_BEFORE.fullmatch(raw, 0, at)
            or _VERB_JUST_AFTER.match(raw, at + len(name))
            or (told and _VERB_ENDS.search(raw, max(0, at - 20), at))
        )

    def _latest_first_indexed(self) -> Iterator[tuple[int, str]]:
        """Like ``_latest_first``, with the index of the stretch of text each name is in."""
        for index in range(len(self._mentions) - 1, -1, -1):
            chunk = self._mentions[index]
            if isinstance(chunk, str):
                chunk = self._mentions[index] = self.names_in(chunk)
            for name in reversed(chunk):
                yield index, name

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


# Titles, ranks and roles glued to a name: reported without them ("Commander Vance" → "Vance").
_RANKS = _words(
    "Mr Mrs Ms Mx Miss Dr Prof Lord Lady Sir Dame Captain Capt Detective Det Officer Agent Sergeant "
    "Sgt Aunt Uncle Father Mother Sister Brother Saint St Judge Chief Coach Nurse Doctor Professor "
    "King Queen Prince Princess Commander Cmdr Lieutenant Lt Sheriff Deputy Inspector DI DCI DS "
    "Constable Reverend Rev Pastor Bishop Headmaster Headmistress Principal Navigator Quartermaster "
    "Admiral General Colonel Major Corporal Private Ensign Herr Frau Fräulein Kommissar Kommissarin "
    "Señor Señora Monsieur Madame Madam Mme Mlle Vice Governor Senator President Chancellor Minister "
    "Councillor Magistrate Matron Superintendent Commissioner DC PC DSI DCS Cardinal Abbot Abbess Vicar "
    "Rabbi Archbishop Ambassador Headteacher "
    "Mayor Marshal Warden Emperor Empress Duke Duchess Count Countess Baron Baroness Earl Grandma "
    "Grandpa Granny Nana Mama Papa Ma Pa Old Young Little Big Dear Poor Sweet Classic"
)
# A person's title right before a name ("Mrs Philippa Crouch": ``learn`` reads "Mrs" as no name)
_HONORIFICS = _words("Mr Mrs Ms Mx Miss")  # titles ``learn`` sees as words that start a sentence too
# Words that make a name an institution's or a place's, not a person's ("Sheffield University")
_INSTITUTION_WORDS = _words(
    "University College School Academy Institute Hospital Clinic Street Road Avenue Boulevard Lane Cathedral "
    "Museum Gallery Theatre Theater Center Centre Bank Company Corporation Corp Inc Ltd LLC Group Council "
    "Committee Party Court Department Ministry Agency Times Journal Tribune Gazette Airport County Republic "
    "Kingdom Union Federation Association Society Club League Foundation Network Channel Records Studios "
    "Pictures Reserve Senate Congress Parliament Government Army Navy Police Office Mail Station Festival "
    "Award Awards Prize Cup Championship Series Season Episode Street Square Hotel Restaurant Cafe Café"
)
# Titles that only a person bears ("Little", "Old" and the like are not: "Little Rock")
_PERSON_TITLES = _RANKS - _words(
    "Old Young Little Big Dear Poor Sweet Classic Saint St General Major Private"
)
_GENDER_OF_RANK = dict.fromkeys(
    _words(
        "Mr Lord Sir King Prince Father Brother Uncle Herr Señor Monsieur Duke Baron Earl Emperor "
        "Grandpa Papa Pa Kommissar"
    ),
    "m",
) | dict.fromkeys(
    _words(
        "Mrs Ms Miss Lady Dame Queen Princess Mother Sister Aunt Frau Fräulein Señora Madame Mme Mlle "
        "Duchess Baroness Countess Empress Grandma Granny Nana Mama Ma Headmistress Kommissarin"
    ),
    "f",
)
# What follows a person's name (and seldom a word that starts a sentence): a verb, an actor, an appositive.
_NAME_THEN_VERB = re.compile(
    r"\s+(?:\w+ly\s+)?(?:[a-z]{3,}s|has|was|is|[a-z]+ed|[a-z]+n[’']t)\b|,?\s+(?:played|who plays|who)\b"
    r"|\s*\(|\s+and\s+(?:[A-Z]|(?:his|her|their)\s)"
    r"|,\s+(?:the|a|an|his|her|their)\s[^,.;!?]{1,40},\s+(?:\w+ly\s+)?(?:[a-z]+s|[a-z]+ed|[a-z]+n[’']t|"
    r"came|went|got|had|was|took|made|left|ran|saw|told|said|knew|found|gave|felt|kept|sat|stood|won|lost)\b"
)
# "Pryce, meanwhile, solves", "Fen, to her credit, didn’t": a subject, a short aside, its verb
_NAME_ASIDE_VERB = re.compile(
    r",\s+(?:[a-z’']+\s+){0,3}[a-z’']+,\s+(?:\w+ly\s+)?(?:[a-z]{3,}s|[a-z]+ed|[a-z]+n[’']t|has|was|is)\b"
)
# Words before a place or a thing rather than a person
_PLACE_BEFORE = re.compile(r"\b(?:in|from|of|near|outside|across|into|the)\s+$")
# A sentence whose only name is its subject, then one that starts with a pronoun: "Marcus won’t say. He…"
_NAME_THEN_PRONOUN = re.compile(
    rf"(?:^|[.!?…][”\"’]?\s*)(?P<who>{NAME})\s+[a-z][^.!?…“”\"A-Z]{{0,80}}[.!?…]\s+(?P<pronoun>He|She)\s"
)


_MALE_KIN = _words(
    "father grandfather brother son husband ex-husband uncle boyfriend ex-boyfriend dad grandpa nephew"
)
_FEMALE_KIN = _words(
    "mother grandmother sister daughter wife ex-wife aunt girlfriend ex-girlfriend mom mum grandma niece"
)
# "her grandfather, Sol" / "his sister Odette": the name's gender from a word for a relative before it
# (looked for before each name ``learn`` found, where the word before it ends as such a word can)
_KIN_BEFORE = re.compile(
    rf"\b(?P<kin>{'|'.join(sorted(_MALE_KIN | _FEMALE_KIN, key=len, reverse=True))}),?\s+$"
)
_KIN_LAST_LETTERS = frozenset(word[-1] for word in _MALE_KIN | _FEMALE_KIN) | {","}
_KIN_REACH = max(map(len, _MALE_KIN | _FEMALE_KIN)) + 1  # the word and a comma, before the white space


_NOT_MID_SENTENCE = frozenset('.!?…:;"“”„«»’‘')  # before the space before a sentence's first word


@lru_cache(maxsize=4096)
def _words_of(name: str) -> tuple[tuple[str, ...], str | None, bool, bool]:
    """What ``Cast`` reads from a mention's name alone: its name words (none for a word that is no name or
    an institution's), the gender its title shows, whether it is in capitals (``ICONIC``), and whether a
    person's title comes before it (``Lord Ashgrove``, ``Reverend Clement Ashdown``)."""
    head = name.split(maxsplit=1)[0]
    words = () if head in _NOT_NAMES and head.rstrip(".") not in _HONORIFICS else _strip_ranks(name)
    if not words or _INSTITUTION_WORDS.intersection(words):
        return (), None, False, False
    rank = head.rstrip(".")
    rank_gender = _GENDER_OF_RANK.get(rank) if rank != words[0] else None
    shouted = all(word.isupper() and len(word) > 1 for word in words)  # "ICONIC", "WHAT DOES IT MEAN"
    titled = bool(rank_gender) or (len(words) == 1 and rank in _PERSON_TITLES)
    return words, rank_gender, shouted, titled


def _titled_name(name: str) -> bool:
    """Whether ``name`` is a rank or title and then a name (``Reverend Clement Ashdown``)."""
    words = _strip_ranks(name)
    return bool(words) and len(words) < len(name.split())


@lru_cache(maxsize=4096)
def _strip_ranks(name: str) -> tuple[str, ...]:
    """The words of a name without its titles or ranks and without a possessive ’s."""
    words = name.split()
    if words[-1].endswith(("’s", "'s")):
        words[-1] = words[-1][:-2]
    while len(words) > 1 and (words[0].rstrip(".") in _RANKS or words[0].split("-")[0].rstrip(".") in _RANKS):
        words.pop(0)
    if len(words) == 1 and (words[0].rstrip(".") in _RANKS or words[0].split("-")[0] in _RANKS):
        return ()
    return tuple(words)


# A nickname the writer gives a person: "Senator Bradley Holt, whom I will be calling Teflon", "Holt (aka
# Teflon)", "Marjorie, better known as Midge", "Holt — or, as I call him, Teflon"
_ALIAS = re.compile(
    r"\s*[,(—–]\s*(?:(?:whom|who)\s+(?:I|we)(?:[’']ll|[’']m|[’']ve|[’']re)?\s+(?:\w+\s+){0,3}?"
    r"(?:call|calling|dub|dubbing|dubbed|refer to as|referring to as)(?:\s+(?:him|her|them))?"
    r"|(?:or,?\s+)?as\s+(?:I|we)\s+(?:call|like to call)\s+(?:him|her|them),?"
    r"|a\.?k\.?a\.?|also known as|better known as|known to (?:all|everyone|fans|me|us) as|nicknamed|dubbed|"
    rf"hereafter|henceforth)\s+[“\"‘]?(?P<alias>{NAME})"
)
# Where ``_ALIAS``'s words for a nickname start (right after the name and a comma or bracket): found as
# plain strings, most texts have none
_ALIAS_CUES = (
    "whom I",
    "who I",
    "whom we",
    "who we",
    "as I ",
    "as we ",
    "a.k.a",
    "aka ",
    "also known as",
    "better known as",
    "known to ",
    "nicknamed",
    "dubbed",
    "hereafter",
    "henceforth",
)
_NAME_AT_END = re.compile(rf"(?P<who>{NAME})\s*[,(—–]\s*(?:or,?\s*)?$")


def _aliases(text: str) -> Iterator[tuple[str, str]]:
    """(name, nickname) for each nickname the text gives a person (see ``_ALIAS``)."""
    for cue in _ALIAS_CUES:
        at = text.find(cue)
        while at >= 0:
            named = _NAME_AT_END.search(text, max(0, at - 60), at)
            alias = _ALIAS.match(text, named.end("who")) if named else None
            if named and alias:
                yield named.group("who"), alias.group("alias")
            at = text.find(cue, at + len(cue))


class Cast:
    """The people a recap names, each reported by the short name it uses most for them.

    ``Commander Marisol Vance``, ``Marisol``, ``Vance`` and the nickname ``Mari`` are one person when the
    page names only one Marisol Vance; ranks and titles are no part of a name."""

    def __init__(self, texts: list[tuple[str, list[tuple[str, int, int]]]], gender: dict[str, str]) -> None:
        self.counts: dict[str, int] = {}  # word → mentions of it alone (after its title: "Commander Vance")
        self.fulls: set[tuple[str, ...]] = set()  # names of two or three words
        self.subjects: set[str] = set()  # words seen as the subject of a verb ("Priya checks")
        # genders ``learn`` found, keyed by the first word that is not a gendered title ("Dr" of "Dr. Tess
        # Alder"): those keyed by a rank are read again below, by the name without it
        self.gender: dict[str, str] = {k: v for k, v in gender.items() if k not in _RANKS}
        self.mid_sentence: set[str] = set()
        self.titled: set[str] = set()  # words named after a title ("Lord Ashgrove"): people
        # full names seen after a gendered title ("Mrs Philippa Crouch"): the title goes with the surname
        self.titled_fulls: set[tuple[str, ...]] = set()
        self.confirmed: set[tuple[str, ...]] = set()  # full names seen mid-sentence or as a subject
        self._forms: dict[tuple[str, ...], list[str] | None] = {}
        self._keys: dict[str, str] = {}
        self.after_article: dict[tuple[str, ...], bool] = {}  # a name seen only as "the Guardian": a thing
        self.aliases: dict[str, tuple[str, ...]] = {}  # a nickname the writer gives → the name's words
        for text, mentions in texts:
            self._read_text(text, mentions)

    def _read_text(self, text: str, mentions: list[tuple[str, int, int]]) -> None:
        """The names ``learn`` found in one text (``_NAME`` matches, function words left out)."""
        hints = [found.start() for found in _HIS_HIM_HER_LETTERS.finditer(text)]
        kin: list[tuple[str, str]] = []  # (name, word for a relative before it), read after the names
        for name, start, end in mentions:
            # (most names have one space before them, and no call is needed to see past it)
            one_space = start > 1 and text[start - 1] == " " and not text[start - 2].isspace()
            space = start - 1 if one_space else _space_before(text, start)
            if (
                space
                and text[space - 1] in _KIN_LAST_LETTERS
                and (kin_word := _KIN_BEFORE.search(text, max(0, space - _KIN_REACH), start))
            ):
                kin.append((name.split("\n", 1)[0].strip(), kin_word.group("kin")))
            if "\n" not in name:
                self._read(text, name, start, end, hints)
                continue
            for piece in name.split("\n"):  # a name ends with its line (the next block's first word)
                offset = text.index(piece, start)
                if _NAME.fullmatch(piece.strip()):
                    self._read(text, piece.strip(), offset, offset + len(piece.strip()), hints)
                start = offset + len(piece)
        for name, relative in kin:
            words = _strip_ranks(name)
            if words:
                self.gender.setdefault(words[-1], "m" if relative.lower() in _MALE_KIN else "f")
        for name, nickname in _aliases(text):
            words, alias = _strip_ranks(name), _strip_ranks(nickname)
            if words and len(alias) == 1 and alias[0] not in words:
                self.aliases.setdefault(alias[0], words)
        for match in _NAME_THEN_PRONOUN.finditer(text) if "He " in text or "She " in text else ():
            words = _strip_ranks(match.group("who"))
            if words:
                self.gender.setdefault(words[-1], "m" if match.group("pronoun") == "He" else "f")

    def _read(self, text: str, name: str, start: int, end: int, hints: list[int]) -> None:
        """One mention of a name at ``text[start:end]``: counts, full names, gender, subjects."""
        words, rank_gender, shouted, titled = _words_of(name)
        if not words:
            return
        first = words[0]
        if first not in self.gender:
            if rank_gender:
                self.gender[first] = rank_gender
            else:
                hint = bisect_left(hints, end)
                if hint < len(hints) and hints[hint] <= end + _CLAUSE_WINDOW - 3:
                    strong = _clause_gender(text, end)[0]
                    if strong:  # a given name's (a family shares the surname)
                        self.gender[first] = strong
        mid = start > 1 and text[start - 1] == " " and text[start - 2] not in _NOT_MID_SENTENCE
        if mid and (shouted or _PLACE_BEFORE.search(text, max(0, start - 8), start)):
            mid = False  # "in Leipzig", "from Tulsa", "the Navy": a place or a thing, unless named elsewhere
        if mid:
            self.mid_sentence.update(words)
        if titled:
            self.titled.update(words)
        if start >= 4 and text[start - 4 : start] in ("the ", "The ") and len(words) == len(name.split()):
            self.after_article.setdefault(words, True)  # (not "the Reverend Clement Ashdown")
        else:
            self.after_article[words] = False
        if len(words) == 1:
            self.counts[first] = self.counts.get(first, 0) + 1
            if first not in self.subjects and (
                _NAME_THEN_VERB.match(text, end)
                or (_NAME_ASIDE_VERB.match(text, end) and not _COMMON_STARTERS.match(first))
            ):
                self.subjects.add(first)
        elif shouted:
            return
        else:
            self.fulls.add(words)
            if rank_gender:  # ("Mrs Philippa Crouch" is "Crouch"; "Dr. Tess Alder" stays "Tess Alder")
                self.titled_fulls.add(words)
            if mid or _NAME_THEN_VERB.match(text, end):
                self.confirmed.add(words)

    def forms(self, words: tuple[str, ...]) -> list[str] | None:
        """Every form of the person named by ``words`` (None when the page names two people so)."""
        if words not in self._forms:
            self._forms[words] = self._find_forms(words)
        return self._forms[words]

    def _find_forms(self, words: tuple[str, ...]) -> list[str] | None:
        if len(words) == 1 and words[0] in self.aliases:  # "Teflon", the nickname of "Bradley Holt"
            words = self.aliases[words[0]]
        if len(words) > 1:
            found: list[tuple[str, ...]] = [full for full in self.fulls if set(words) <= set(full)] or [
                tuple(words)
            ]
        else:
            found = [full for full in self.fulls if words[0] in full]
            if not found and len(words[0]) >= 3:
                found = [full for full in self.fulls if full[0].startswith(words[0])]
        if found:
            longest = max(found, key=len)
            largest = set(longest)
            if any(not set(full) <= largest for full in found):
                return None  # "Wade Calloway" and "Eli Calloway": "Calloway" is either
        forms = {word for full in found for word in full} | set(words)
        firsts = {full[0] for full in found}
        # the short forms of a first name the page uses ("Mari" of "Marisol"): its prefixes, looked up
        forms |= {first[:end] for first in firsts for end in range(3, len(first) + 1)} & self.counts.keys()
        forms |= {alias for alias, named in self.aliases.items() if set(named) <= forms}
        return sorted(forms)

    def key(self, name: str) -> str:
        """The name a speaker is reported by: the short form the page uses most, without titles."""
        known = self._keys.get(name)
        if known is not None:
            return known
        words = _strip_ranks(name)
        if not words:
            self._keys[name] = ""
            return ""
        if all(word.isupper() and len(word) > 2 for word in words):
            written = tuple(word.capitalize() for word in words)  # a script's "MARGO:" is the page's Margo
            if any(word in self.counts or any(word in full for full in self.fulls) for word in written):
                words = written
        forms = self.forms(words)
        if forms is None:
            key = " ".join(words)
        else:
            best = max((self.counts.get(form, 0) for form in forms), default=0)
            whole = [full for full in self.fulls if set(words) <= set(full)] if best == 0 else []
            if best == 0 and len(whole) == 1 and whole[0] in self.titled_fulls:
                key = whole[0][-1]  # named only as "Mrs Philippa Crouch": by the surname the title goes with
            elif best == 0 and len(whole) == 1:
                key = " ".join(whole[0])  # named only in full ("Ilse Brand told…" read from "Brand told")
            elif best == 0:
                key = " ".join(words)
            elif len(words) == 1 and self.counts.get(words[0], 0) == best:
                key = words[0]
            else:
                key = next(form for form in forms if self.counts.get(form, 0) == best)
        self._keys[name] = key
        return key

    def is_thing(self, name: str) -> bool:
        """Whether the page names ``name`` only after "the" (``The Guardian called it…``) and never with a
        title: a paper, a band, a ship, not a person."""
        words = _strip_ranks(name)
        return bool(words) and self.after_article.get(words, False) and not self.titled.intersection(words)

    def is_person(self, name: str) -> bool:
        """Whether a capitalised word is a person's name rather than a word that starts a sentence: named
        mid-sentence, in full, or as the subject of a verb (and not only after "the")."""
        words = _strip_ranks(name)
        if not words or _INSTITUTION_WORDS.intersection(words) or self.is_thing(name):
            return False
        if len(words) > 1:
            return any(set(words) <= set(full) for full in self.confirmed) or any(
                word in self.mid_sentence or word in self.subjects for word in words
            )
        word = words[0]
        return (
            word in self.mid_sentence
            or word in self.subjects
            or word in self.titled
            or any(word in full for full in self.fulls)
        )

    def gender_of(self, name: str) -> str | None:
        words = _strip_ranks(name)
        forms = self.forms(words) if words else None
        for form in forms or words:
            if form in self.gender:
                return self.gender[form]
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


def _speaker_from(
    who: str, verb: str, context: SpeakerContext, previous: str | None, avoid: frozenset[str] = frozenset()
) -> str | None:
    if _PRONOUN_RE.fullmatch(who):
        avoided = avoid | {previous} if previous and verb in _REPLY_VERBS else avoid
        return context.resolve_speaker(who, avoid=avoided)
    if not _is_name(who, context.known_first_names, at_sentence_start=False):
        return None
    if who.casefold() in context.excluded or context.cast.is_thing(who):
        return None  # ("The Guardian called it “a triumph”": a paper)
    return _strip_title(who)


def _last_sentence(text: str) -> str:
    sentences = _SENTENCE_GAPS.split(text.strip())
    return sentences[-1] if sentences else ""


_UNNAMED_PERSON = re.compile(
    r"\b(?P<article>[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Ss]ome|[Mm]y|[Oo]ur|[Yy]our|[A-Z][a-z]+[’']s)\s+"
    r"(?:[a-z’'-]+\s+){0,2}"
    r"(?P<noun>man|woman|men|women|boy|girl|kid|child|"
    r"master|keeper|captain|stranger|driver|guard|officer|doctor|nurse|boss|mother|father|brother|sister|"
    r"husband|wife|son|daughter|friend|neighbou?r|director|manager|chef|waiter|waitress|clerk|cop|detective|"
    r"judge|priest|teacher|student|landlord|landlady|owner|mayor|agent|soldier|sheriff|deputy|"
    r"bartender|patient|victim|suspect|lawyer|reporter|host|guest|customer|critic|assistant|partner|"
    r"colleague|passenger|fisherman|sailor|villain|killer|intruder|caller|visitor|voice|mom|mum|dad|grandma|"
    r"grandpa|granddad|grandmother|grandfather|aunt|uncle|cousin|parents?|stepmother|stepfather|cook|maid|butler|"
    r"servant|bishop|vicar|inspector|constable|coroner|foreman|sergeant|receptionist|secretary|medic|surgeon|"
    r"coach|principal|janitor|porter|ranger|warden|administrator|official|courier|messenger|lady|gentleman|"
    r"guy|teenager|baby|grandson|granddaughter|nephew|niece|boyfriend|girlfriend|fiancée?|crowd|vet|nun|monk|"
    r"scientist|engineer|witness|juror|prosecutor|attorney|defendant|thief|prisoner|inmate|kidnapper|assassin|"
    r"therapist|psychiatrist|shrink|barista|bouncer|dealer|banker|intern|resident|journalist|photographer|"
    r"producer|singer|dancer|musician|bride|groom|widow|widower|stepson|stepdaughter|stepmom|stepdad|robot|"
    r"narrator|announcer|presenter|contestant|king|queen|prince|princess|duke|duchess|colonel|commander|"
    r"lieutenant|president|senator|governor|ambassador|professor|reverend|pastor|rabbi|imam|paramedic|nanny|"
    r"housekeeper|gardener|farmer|tenant|ex|rival|bully|hitman|bodyguard|chauffeur|cabbie|tutor|coworker|"
    r"co-worker|roommate|flatmate)\b"
)
# The unnamed people a pronoun of the other gender cannot mean ("she" is not "her late husband")
_NOUN_GENDER = dict.fromkeys(
    _words(
        "man men boy father brother husband son waiter landlord fisherman dad grandpa granddad grandfather "
        "uncle stepfather butler foreman gentleman guy grandson nephew boyfriend monk groom widower stepson "
        "stepdad king prince duke"
    ),
    "m",
) | dict.fromkeys(
    _words(
        "woman women girl mother sister wife daughter waitress landlady mom mum grandma grandmother aunt "
        "stepmother maid lady granddaughter niece girlfriend fiancée nun bride widow stepdaughter stepmom "
        "queen princess duchess housekeeper"
    ),
    "f",
)


def someone_unnamed_since(before: str, context: SpeakerContext, pronoun: str = "") -> bool:
    """Whether the text mentions an unnamed person (``the harbour master``) after its last name, so that a
    pronoun may mean them: resolving it to a name would then be a guess (not one the ``pronoun``'s gender
    rules out: "she" is not "her husband")."""
    found = None
    wanted = _PRONOUN_GENDER.get(pronoun.lower())
    for match in _UNNAMED_PERSON.finditer(before):
        if wanted and _NOUN_GENDER.get(match.group("noun"), wanted) != wanted:
            continue
        if not (
            (match.group("article") in ("a", "an") and _LIKENED.search(before, 0, match.start()))
            or _LIKE.search(before, max(0, match.start() - 8), match.start())
            or _PREDICATE.search(before, max(0, match.start() - 30), match.start())
        ):
            found = match  # the last one is wanted
    if found is not None and _APPOSITIVE_BEFORE.search(before, 0, found.start()):
        return False  # "Sian, the only woman on site, …": the description is of the name before it
    if found is None:
        return False
    later = context.names_in(before[found.end() :])
    if later:  # (the cast is built only where a name follows)
        later = [name for name in later if context.cast.is_person(name)]
    if _SENTENCE_START.search(before, max(0, found.start() - 3), found.start() + 1):
        # "A stranger knocks at Harriet’s door.": a possessive in the stranger's own sentence is no referent
        sentence_end = _SENTENCE_BREAKS.search(before, found.end())
        if sentence_end is None or not context.names_in(before[sentence_end.end() :]):
            later = [name for name in later if not name.endswith(_POSSESSIVE_ENDINGS)]
    return not later


_APPOSITIVE_BEFORE = re.compile(rf"{NAME},\s*$")
_SENTENCE_START = re.compile(r"(?:^|[.!?…][”\"’]?\s+)[A-Z]")
# "the sigh of a woman who had plans", "like a man possessed": a likeness, nobody else in the scene
_LIKE = re.compile(r"\blike\s+$")  # "like the creepy older brother he is": a likeness, any article
_LIKENED = re.compile(r"\b(?:of|like|as|than)\s+$")
# "Quayle is not a man who…", "she is the best-dressed woman on television": what someone named is
# (not "It’s the doctor at the door": that is somebody else)
_PREDICATE = re.compile(
    r"(?:\b[Hh]e|\b[Ss]he|\b(?!(?:It|That|This|There|Here|What|Who)\b)[A-Z][a-z]+)"
    r"(?:\s+is|\s+was|[’']s|\s+becomes|\s+became)(?:\s+not)?\s+$"
)


def _tag_after(
    after: str,
    context: SpeakerContext,
    previous: str | None,
    hint: str | None,
    before: str = "",
    whole: bool = False,
    switched: str | None = None,
) -> tuple[str | None, int]:
    """``“…,” Dani says`` / ``“…,” says Dani`` / ``“…,” she tells June``: the speaker and where the tag's
    sentence ends in ``after`` (0 without a tag). After a quote that is a ``whole`` sentence, a name and
    verb start a new sentence unless the sentence ends there (``“Well?” Ruiz asks.``), and a gesture
    (``Odette nods.``) is the listener's."""
    match = _AFTER_NAME_VERB.match(after) or _AFTER_VERB_NAME.match(after)
    if not match:
        return None, 0
    who, verb = match.group("who"), match.group("verb")
    if match.group("article") and not _titled_name(who):
        return None, 0  # "says the Doctor", "the Vice President says": nobody the page names
    if who.endswith(_POSSESSIVE_ENDINGS):
        return None, _tag_end(after, match.end())  # "says Amadi’s nurse": somebody the page does not name
    rest = after[match.end() :]
    if whole and (verb in _GESTURES or not (_TAG_ENDS.match(rest) or who in ("he", "she"))):
        return None, 0  # (a lower-case "he" or "she" starts no new sentence: "‘…?’ he asks within minutes")
    if whole and rest.lstrip().startswith(":"):
        return None, 0  # "“…” Nick bristles: “…”": the tag introduces the next line
    end = _tag_end(after, match.end())
    if _PRONOUN_RE.fullmatch(who):
        if someone_unnamed_since(before, context, who):
            return None, end
        if hint:
            return hint, end
        told = match.groupdict().get("object")
        avoid = {told} if told else ({previous} if previous and verb in _REPLY_VERBS else set())
        gender = _PRONOUN_GENDER.get(who.lower())
        if previous and switched and gender and switched != gender:
            avoid.add(previous)  # "“…,” she tells him. “…,” he says.": the other one answers
        speaker = context.resolve_speaker(who, avoid=frozenset(avoid))
        told_pronoun = _OBJECT_PRONOUN.match(after, match.end())
        if (
            speaker
            and told_pronoun
            and _PRONOUN_GENDER[told_pronoun.group(1)] != gender
            and context.cast.gender_of(speaker) != gender
            and not context.someone_else_in_block(speaker, gender)
        ):
            return None, end  # "she reminds him": with the speaker's gender unknown, "him" may be them
        return speaker, end
    return _speaker_from(who, verb, context, previous), end


# A speech tag whose speaker is no name: "says the Doctor", "the guard snaps", "a voice calls out"
_UNNAMED_TAG = re.compile(
    rf"\s*[,—–-]?\s*(?:(?:{_VERBS})\s+(?:the|a|an|his|her|their|one|some)\b"
    r"|(?:they|we|you|everyone|everybody|someone|somebody|nobody|all)\s+(?:\w+ly\s+)?[a-z]+\b"
    rf"|(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[\w’'-]+\s+){{1,2}}{_ADVERB}(?:{_VERBS})\b)"
)
_POSSESSIVE_ENDINGS = ("’s", "'s")  # a name's possessive ("Vera’s mother") is no subject
# The pronoun being resolved, at the end of the text before a quote: "she snaps, ", "and his "
_TRAILING_PRONOUN_TAG = re.compile(
    rf"(?:\b(?:he|she|He|She)\s+{_ADVERB}(?:{_VERBS})\b[^.!?]*|\b(?:[Hh]is|[Hh]er)\s+(?:[a-z-]+,?\s+){{0,2}})$"
)
_GENDERED_WORDS = {
    "f": re.compile(r"\b(?:she|her|hers|herself)\b", re.I),
    "m": re.compile(r"\b(?:he|him|his|himself)\b", re.I),
}
_OBJECT_PRONOUN = re.compile(r"\s+(him|her)\b")
_TAG_ENDS = re.compile(
    rf"\s*(?:[.,;:!?…—–)]|$|(?:to|at)\s+{NAME}|{NAME}|(?:him|her|them)\b\s*[.,;!?]|\w+ly\b|"
    r"(?:the|a|an|his|her|their)\s+[a-z’'-]+\s*[.,;!?]|"
    r"(?:through|over|with|from|without|in|under|behind|across|into|as|after|before|again|back)\b)"
)
_TAG_CLAUSE_END = re.compile(r"[.!?…,;](?:\s|$)|$")


def _tag_end(after: str, start: int) -> int:
    """Where the clause of a tag that ends its match at ``start`` ends (its closing punctuation included)."""
    found = _TAG_CLAUSE_END.search(after, start)
    return found.end() if found else len(after)


def _introduced_by(before: str, context: SpeakerContext, previous: str | None, quote: str = "") -> str | None:
    """``Ed tells Dani, “…”``, ``Marguerite’s lie: “…”``, ``Ed’s quiet “Dani”``, ``from Ines to Hal: “…”``,
    ``to say “…”``."""
    # A bare possessive names the speaker of a whole line ("Mrs. Pell's “Spring is a long way off.”"),
    # not of a scare-quoted word ("Ada's “lucky” coat").
    possessive = _POSSESSIVE_BARE if re.search(r"[.!?…]$", quote) else _POSSESSIVE_DELIVERY
    if ("his " in before or "her " in before) and (
        line := _PRONOUN_LINE.search(before, max(0, len(before) - _PRONOUN_LINE_REACH))
    ):
        return _pronoun_line(before, line, context)
    for pattern in _intro_patterns(before, possessive):
        match = pattern.search(before)
        if (
            match
            and _is_name(match.group("who"), context.known_first_names, at_sentence_start=False)
            and match.group("who").casefold() not in context.excluded
            and not (pattern is _POSSESSIVE_BARE and _names_a_work(before, quote))
            and (
                pattern not in (_COLON_INTRO, _COLON_INTRO_APPOSITIVE, _FROM_NAME)
                or (pattern is _FROM_NAME and not match.group("tail").strip())  # "A question from Bram:"
                or (
                    context.cast.is_person(match.group("who"))
                    and not _PERCEIVED.match(before, match.end("who"))
                    and not (
                        match.group("who").endswith(_POSSESSIVE_ENDINGS)
                        and not _SPEECH_NOUN_AFTER.match(before, match.end("who"))
                    )
                )
            )
        ):
            return _strip_title(match.group("who"))
    if before.rstrip()[-1:] in ":—–" and (match := _GETS_LINE.search(before, max(0, len(before) - 200))):
        named = _named(match.group("who"), context)  # "Pearl only gets one line, but it’s the best one:"
        return _strip_title(named) if named and not named.endswith(_POSSESSIVE_ENDINGS) else None
    return None


# A subject who gets a line, the line after a colon: "Bhatt gets the best line of the night when…:"
_GETS_LINE = re.compile(
    rf"(?P<who>{NAME}),?\s+(?:\w+ly\s+)?(?:gets|has|delivers|lands|steals|got|had|delivered|landed|stole)\s+"
    rf"(?:(?:the|a|an|one|his|her|their)\s+)?(?:[\w-]+\s+){{0,2}}{_SPEECH_NOUNS}\b"
    r"(?![^.!?“”\"]{0,90}\b(?:from|by)\s)[^.!?“”\"]{0,90}[:—–]\s*$"  # (not "Ben gets a warning from Ada:")
)


# "…, her answer — “…”", "his reply:": a pronoun's line, the quote right after it
_PRONOUN_LINE = re.compile(
    rf"(?:^|[\s,;(])(?P<who>[Hh]is|[Hh]er)\s+(?:[a-z-]+,?\s+){{0,2}}{_SPEECH_NOUNS}"
    r"(?:\s+(?:is|was)(?:\s+[a-z-]+){1,3})?\s*(?:[:,—–(?]\s*)?$"  # ("her response is perfect:")
)


_PRONOUN_LINE_REACH = 80  # characters before a quote that ``_PRONOUN_LINE`` can span


def _pronoun_line(before: str, line: re.Match[str], context: SpeakerContext) -> str | None:
    """The person a possessive pronoun's line (``her answer — “…”``) belongs to: resolved as the pronoun,
    never to the one who asked in the same sentence (``Peter asks her …, her answer``)."""
    if someone_unnamed_since(before, context):
        return None
    sentence_start = max((m.end() for m in _SENTENCE_BREAKS.finditer(before, 0, line.start())), default=0)
    asked = _BEFORE.search(before[sentence_start : line.start()] + ",")
    avoid = frozenset((asked.group("who"),)) if asked else frozenset()
    return context.resolve_speaker("he" if line.group("who").lower() == "his" else "she", avoid=avoid)


def _has_possessive(text: str) -> bool:
    return "’s" in text or "'s" in text


def _intro_patterns(before: str, possessive: re.Pattern[str]) -> list[re.Pattern[str]]:
    """Those of ``_introduced_by``'s patterns, in its order, that can match ``before``: a cheap test of
    what each needs (a possessive, "to", a colon or comma or white space at the end) rules most of them out
    before a scan."""
    last = before.rstrip()[-1:]
    possessed = _has_possessive(before)
    patterns = []
    if possessed:
        patterns.append(_POSSESSIVE_LINE)
    if possessed and before[-1:].isspace():
        patterns.append(possessive)
    if last == ":":
        patterns.append(_FROM_NAME)
    if "to" in before:
        patterns.append(_INFINITIVE)
    if last == ":":
        patterns += (_COLON_INTRO, _COLON_INTRO_APPOSITIVE)
    elif last in "—–":
        patterns.append(_COLON_INTRO)  # "Cass backs her up immediately — “…”"
    return patterns


def _standalone(before: str, quote: str, context: SpeakerContext, previous: str | None) -> str | None:
    """A quote that is its own sentence, right after a sentence whose subject is a named character (or
    a pronoun that resolves to one without doubt)."""
    if not before.strip() or not _SENTENCE_END.search(before) or not re.search(r"[.!?,…—–-]$", quote):
        return None
    sentence = _last_sentence(before)
    if _SILENT.search(sentence):
        return None  # "Dana doesn’t answer. “Why?”": whoever speaks, it is not the sentence's subject
    found = _SENTENCE_SPEECH.search(sentence)
    if found and found.group("who").endswith(_POSSESSIVE_ENDINGS):
        return None  # "Mira’s boss calls.": someone else's sentence
    if found and _SUBORDINATE.match(sentence):
        # "When Vasquez asks him directly, he only smiles.": the main clause's subject has the line
        return _main_clause_subject(sentence, found, context, before)
    if found and found.group("verb") in {"asks", "asked", "says", "said", "tells", "told"}:
        return _speaker_from(found.group("who"), found.group("verb"), context, previous)
    if len(sentence.split()) > 16:
        return None
    if opening := _OPENING_PHRASE.match(sentence):
        sentence = sentence[opening.end() :]  # "In the dressing room, Quill kicks…", "Clip: Ruthanne…"
    subject = _SUBJECT_VERB.match(sentence) or _SUBJECT_GERUND.match(sentence)
    if subject and subject.group("who").endswith(_POSSESSIVE_ENDINGS):
        return None
    if subject and (later := _LATER_SUBJECT.search(sentence, subject.end())):
        # "Marchetti makes them sit and Wren tries to explain.": the later subject, if it goes to speak
        return _named(later.group("who"), context) if later.group("speech") else None
    if subject:
        who = subject.group("who")
        if (
            _is_name(who, context.known_first_names, at_sentence_start=True)
            and who.casefold() not in context.excluded
            and context.cast.is_person(who)
        ):
            return _strip_title(who)
        return None
    appositive = _APPOSITIVE_SUBJECT.match(sentence)
    if appositive:  # "The magistrate, a brisk woman named Ottoline Shaw, is unimpressed. “…”"
        named = _named(appositive.group("who"), context)
        return _strip_title(named) if named else None
    pronoun = _PRONOUN_SUBJECT.match(sentence)
    if pronoun and not someone_unnamed_since(before, context, pronoun.group("who")):
        # "She grabs Wren by the shoulders.": whoever "she" is, not the one she grabs
        return context.resolve_speaker(pronoun.group("who"), avoid=frozenset(context.names_in(sentence)))
    return None


# What opens a sentence before its subject: a place or time ("In the dressing room, "), a label ("Clip: ")
_OPENING_PHRASE = re.compile(
    r"(?:(?:In|At|On|Inside|Outside|Back|Later|Meanwhile|Afterwards|Upstairs|Downstairs|Elsewhere|Then|Now|"
    r"Next|Finally|Eventually|Soon)\b[^,.!?“”\"]{0,40},\s+|[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,2}:\s+)(?=[A-Z])"
)
# A caption's subject and what they are doing: "Ruthanne confronting the insurance man."
_SUBJECT_GERUND = re.compile(rf"(?P<who>{NAME})\s+(?:\w+ly\s+)?[a-z]{{2,}}ing\b")
# A sentence that opens with a subordinate clause: "When Vasquez asks him directly, he only smiles."
_SUBORDINATE = re.compile(r"(?:When|As|After|Before|While|Once|If|Until|Because|Though|Although)\s")
# Another subject later in the sentence: "… and Wren tries to explain", "…, but Cass protests"
_LATER_SUBJECT = re.compile(
    rf"(?:,\s*|\s)(?:and|but|while|whereas|so|then)\s+(?:then\s+)?(?P<who>{NAME})\s+(?:\w+ly\s+)?"
    rf"(?:(?P<speech>(?:tries|tried|attempts|attempted|starts|started|begins|began|goes|went)\s+to\s+"
    rf"(?:explain|answer|reply|protest|argue|speak|say|object|apologi[sz]e|defend)\b|(?:{_VERBS})\b)|[a-z]+(?:s|ed)\b)"
)


def _main_clause_subject(
    sentence: str, found: re.Match[str], context: SpeakerContext, before: str
) -> str | None:
    """The subject of the main clause after a subordinate one whose subject speaks (``When Vasquez asks
    him directly, he only smiles.``): a name, or a pronoun that is not the subordinate clause's subject."""
    comma = sentence.find(",", found.end())
    if comma < 0:
        return None
    main = sentence[comma + 1 :].lstrip()
    subject = _SUBJECT_VERB.match(main)
    if subject:
        named = _named(subject.group("who"), context)
        return _strip_title(named) if named and not named.endswith(_POSSESSIVE_ENDINGS) else None
    pronoun = _PRONOUN_SUBJECT.match(main)
    if pronoun is None or someone_unnamed_since(before, context, pronoun.group("who")):
        return None
    wanted = _PRONOUN_GENDER[pronoun.group("who").lower()]
    told = {_PRONOUN_GENDER[m.group(1)] for m in _OBJECT_PRONOUN.finditer(sentence, found.end(), comma)}
    if wanted not in told and context.cast.gender_of(found.group("who")) in (None, wanted):
        return None  # "When Ada asks, she sounds tired": she may be Ada (but not in "asks him, he …")
    avoid = frozenset(context.names_in(sentence[:comma]))
    return context.resolve_speaker(pronoun.group("who").lower(), avoid=avoid)


_SILENT = re.compile(
    r"\b(?:doesn[’']t|does not|didn[’']t|did not|won[’']t|can[’']t|never|barely)\s+(?:\w+ly\s+)?"
    r"(?:answer|reply|respond|speak|say|talk)|\bsays nothing\b|\bsaid nothing\b|\bsilen(?:t|ce)\b|\bignores\b"
)
# A subject named in apposition, then its verb: "The magistrate, Ottoline Shaw, is…", "Her boss, a man
# named Pruitt, shrugs"
_APPOSITIVE_SUBJECT = re.compile(
    r"(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir)\s+[a-z][a-z’' -]{0,30},\s+"
    rf"(?:(?:an?|the)\s+[^,.!?“”\"]{{0,40}}?\b(?:named|called)\s+)?(?P<who>{NAME}),\s+(?:\w+ly\s+)?"
    r"(?:[a-z]{3,}s|is|was|has)\b"
)
_PRONOUN_SUBJECT = re.compile(
    r"(?P<who>[Hh]e|[Ss]he)\s+(?:\w+ly\s+)?(?:(?:doesn[’']t|does\s+not|won[’']t|can[’']t)\s+[a-z]+|[a-z]+s)\b"
)
# (the full stop of a title's abbreviation ends nothing: "The nurse to Dr. Amadi:")
_NOT_AFTER_TITLE = "".join(
    rf"(?<!\b{title})" for title in sorted(_words("Mr Mrs Ms Mx Dr St Prof Capt Det Sgt Lt"))
)
_BOUNDARY = rf"(?:^\s*|{_NOT_AFTER_TITLE}[.!?…][”\"’“]?\s*|[:,]\s+|[)\]]\s+)"
# A role before a name in a label: "First mate Tobiah Grell, this week:" (a noun: not "Vivian to Teddy:",
# not "Jules defends Sela:")
_ROLE = (
    r"[A-Z][a-z]+\s+(?!(?:to|and|or|with|from|at|on|in|for|of|by|as|than|then|is|was)\b)"
    r"[a-z]+(?<![^s]s)(?<!ed)\s+"
)
# "Crane to the bishop: “…”", "<b>Maelis:</b> “…”", "Her partner Omar, deadpan: “…”", "Lena (guest): “…”"
_LABEL = re.compile(
    rf"{_BOUNDARY}(?:(?:[Hh]is|[Hh]er|[Tt]heir|[Tt]he)\s+[a-z]+\s+|{_ROLE})?(?P<who>{NAME})(?:\s*\([^()]{{1,30}}\))?"
    rf"(?:,\s*[^.!?:“”\"„]{{1,60}}|\s+[a-z][^.!?:“”\"„]{{0,80}})?:\s*$"
)
# "“…” — Captain Juno Arkwright", "“…” — Pell, to Juno"; two names: "— Mara and Teo" (an exchange, in order)
_DASH_AFTER = re.compile(rf"\s*(?:[—–―]|--?(?=\s))\s*(?P<who>{NAME})\s*(?:$|[,(]|to\s|in\s|on\s)")
_DASH_LABEL = re.compile(rf"(?:^\s*|{_NOT_AFTER_TITLE}[.!?…][”\"’“]?\s+)(?P<who>{NAME})\s*[—–]\s*$")
_DASH_PAIR = re.compile(rf"\s*[—–―]\s*(?P<first>{NAME})\s+(?:and|&)\s+(?P<second>{NAME})\b")
# "Orla, crying, goes “…”", "Pip was like “…”"
_GOES = re.compile(
    rf"(?:^|[\s,(;:—–])(?P<who>{NAME}|{_PRONOUN})(?:,[^,.!?“”\"]{{1,40}},)?\s+(?:just\s+|then\s+)?"
    r"(?:goes|went|was like|is like|is all|was all)\s*,?\s*$"
)
# A subject, a few lower-case words, then the speech verb: "Teo gets to tell her, in that low voice,"
# / "Sol hands her the keys and says," / "Reyes who keeps saying".
_AUX_STOP = (
    r"(?:he|she|they|as|while|when|whether|who|whom|because|if|until|after|before|someone|everyone|nobody|"
    r"somebody|but|than|then|watches|watched|hears|heard|listens|sees|saw|lets|makes|overhears|notices|"
    r"remembers|recalls|imagines|wants|expects|waits|lets|helps|where|what|why|how|that|which)\b"
)
_BEFORE_AUX = re.compile(
    rf"(?:^|[\s(;:—–])(?P<who>{NAME}|{_PRONOUN})(?:\s+who)?\s+(?P<aux>(?:(?!{_AUX_STOP})[a-z’']+\s+){{1,6}}?)"
    rf"(?P<verb>{_VERBS})\b(?P<tail>[^.!?“”\"()]{{0,70}})[,:—–]?\s*$"
)
_GOES_ENDINGS = frozenset(("goes", "went", "like", "all"))
_GOES_AUX_ENDINGS = frozenset(("goes", "going", "went"))


def _last_word(text: str) -> str:
    """The last word of ``text``, past white space and a comma at its end."""
    text = text.rstrip()
    if text.endswith(","):
        text = text[:-1].rstrip()
    return text.rsplit(None, 1)[-1] if text else ""


# "Juni walking into the dorm and going “…”"
_GOES_AUX = re.compile(
    rf"(?:^|[\s(;:—–])(?P<who>{NAME}|{_PRONOUN})\s+(?P<aux>(?:(?!{_AUX_STOP})[a-z’']+\s+){{1,8}}?)"
    r"(?:goes|going|went)\s*,?\s*$"
)
_NAMING_VERBS = frozenset(("calls", "called", "calling", "reads", "read", "reading", "begins", "began"))
_BARE_VERBS = frozenset(("say", "ask", "tell", "read", "sing", "call", "shout", "whisper", "add"))
# "Finch pulling rank on the coroner (“Move.”)": the quote in brackets is what the subject said.
_PAREN_SUBJECT = re.compile(rf"{_BOUNDARY}(?P<who>{NAME}|He|She)\s+[a-z][^.!?“”\"()]{{0,80}}\(\s*$")
# What follows a possessive's quote when the quote is a line said ("Teo’s “aye, aye” was so sarcastic").
_PREDICATE_AFTER = re.compile(
    r"\s*(?:was|is|got|gets|lands|landed|made|makes|earned|earns|deserves|deserved|had|has|kills|killed|"
    r"wins|won|remains|still|at the end|to\s+[A-Z])\b"
)
_BARE_POSSESSIVE = re.compile(rf"(?P<who>{NAME})[’']s\s+(?:{_DELIVERY},?\s+){{0,3}}$")
_PRONOUN_POSSESSIVE = re.compile(rf"(?:^|\s)(?P<who>[Hh]is|[Hh]er)\s+(?:{_DELIVERY},?\s+){{0,3}}$")
# Someone addressed in the quote: "Now, Teo." / "Teo, wait!" (the speaker is somebody else).
_VOCATIVE_END = re.compile(rf",\s*(?P<who>{NAME})\s*[.!?,…]*$")
_VOCATIVE_START = re.compile(rf"^(?P<who>{NAME}),\s")
# "Out, Ines. Just out." / "Miss Okoro. What did we say?" / "Aggie,": a name called inside or alone
_VOCATIVE_MID = re.compile(rf",\s*(?P<who>{NAME})\s*[.!?]+\s")
_VOCATIVE_ALONE = re.compile(rf"^(?P<who>{NAME})\s*(?:[.!?,…]+\s|[!?,…]*$)")  # (not "Ada.": an answer)


def _addressee(quote: str, context: SpeakerContext) -> str | None:
    """The person a quote speaks to by name, where the page knows them as a person."""
    cast = context.cast
    for match in (
        _VOCATIVE_END.search(quote),
        _VOCATIVE_START.match(quote),
        _VOCATIVE_MID.search(quote) if "," in quote else None,
        _VOCATIVE_ALONE.match(quote),
    ):
        if match and cast.is_person(match.group("who")):
            return cast.key(match.group("who")) or None
    return None


def _named(who: str, context: SpeakerContext) -> str | None:
    """``who`` as a speaker when it names a person the page knows (not a word starting a sentence)."""
    if (
        _is_name(who, context.known_first_names, at_sentence_start=False)
        and who.casefold() not in context.excluded
        and context.cast.is_person(who)
    ):
        return who
    return None


# A subject with two verbs, the second one speech: "Oksana corners the new administrator, a smarmy guy
# named Pruitt, and asks him point blank, “…”" (Oksana asks). Both verbs finite and in one tense.
_COORDINATED = re.compile(
    rf"(?:^|[.!?…;:]\s+|\b(?:where|when|then|which|whom)\s+)(?P<who>{NAME}|He|She)\s+(?:\w+ly\s+)?(?P<first>[a-z]{{3,}}(?:s|ed))\b"
    rf"(?P<middle>[^.!?;:“”\"()]{{1,140}}?),?\s+and\s+(?:then\s+)?{_ADVERB}(?P<verb>{_VERBS})\b"
    r"(?P<tail>[^.!?,;:“”\"()]{0,40}(?:,[^.!?,;:“”\"()]{0,30})?)[,:]?\s*$"
)
# What starts another clause inside the middle part: its subject may be the speaker
_NEW_CLAUSE = re.compile(
    rf"\b(?:as|while|when|who|whom|that|because|until|after|before|if|whose|which|where|he|she|they|but)\b"
    rf"|{NAME}\s+(?:\w+ly\s+)?[a-z]+(?:s|ed)\b"
)


def _coordinated(before: str) -> re.Match[str] | None:
    """``_COORDINATED`` at the end of ``before``, where its middle starts no clause of its own."""
    match = _COORDINATED.search(before)
    if (
        match is None
        or _NEW_CLAUSE.search(match.group("middle"))
        or match.group("who").endswith(_POSSESSIVE_ENDINGS)
    ):
        return None
    first, verb = match.group("first"), match.group("verb")
    if first.endswith("ed") != verb.endswith("ed") or not verb.endswith(("s", "ed")):
        return None
    return match


# The last word of a speech tag that runs into its quote without a comma: "… and says only “Good catch”"
_TAG_LAST_WORDS = frozenset(_VERBS.split("|")) | {"only", "simply", "just", "quietly", "softly"}


# A speech verb's participle after a comma, right before the line: "…, dog under one arm, declaring to the
# assembled guests, “…”"
_PARTICIPLE_TAG = re.compile(
    r",\s+(?:\w+ly\s+)?(?:whispering|saying|asking|telling|shouting|yelling|muttering|calling|declaring|"
    r"announcing|adding|answering|replying|snapping|murmuring|hissing|snarling|barking|crying|insisting|"
    r"protesting|demanding|pleading|warning|informing)\b[^.!?“”\"]{0,50}?[,:]?\s*$"
)
_SUBJECT_PRONOUN_WORD = re.compile(r"\b(?:he|she|they|He|She|They)\b")


def _participle_speaker(before: str, context: SpeakerContext) -> str | None:
    """Whom a speech participle (see ``_PARTICIPLE_TAG``) belongs to: the one person its sentence names,
    where no pronoun after that name could be the participle's subject instead."""
    sentence = _last_sentence(before)
    cast = context.cast
    people = [name for name in context.names_in(sentence) if cast.is_person(name)]
    if len({cast.key(name) for name in people}) != 1:
        return None
    named = people[-1]
    if _SUBJECT_PRONOUN_WORD.search(sentence, sentence.rfind(named) + len(named)):
        return None
    if someone_unnamed_since(sentence, context):
        return None  # "Ada watches the butler walk out, declaring, “…”": the butler's
    return None if named.endswith(_POSSESSIVE_ENDINGS) else _strip_title(named)


def _weak_rules(before: str, after: str, quote: str, context: SpeakerContext) -> str | None:
    """Intros the older rules do not read: a subject a few words before its speech verb, ``goes``, a
    quote in brackets after its subject, a possessive or "her" before a line said."""
    match = _BEFORE_AUX.search(before)
    while match is not None:
        later = _BEFORE_AUX.search(before, match.start("who") + 1)
        if later is None:
            break
        match = later
    if (
        match
        and match.group("aux").split()[0] not in ("and", "or")
        and match.group("verb") not in _NAMING_VERBS
        and not _NEW_SUBJECT_IN_TAIL.search(match.group("tail"))
        and not match.group("who").endswith(_POSSESSIVE_ENDINGS)  # "Vera’s mother tells her"
    ):
        verb = match.group("verb")
        if verb not in _BARE_VERBS or match.group("aux").rstrip().endswith(" to"):
            who = match.group("who")
            tail_names = frozenset(context.names_in(match.group("tail")))
            if _PRONOUN_RE.fullmatch(who):
                if not someone_unnamed_since(before, context, who):
                    return context.resolve_speaker(who, avoid=tail_names)
                return None
            return _named(who, context)
    if " and " in before and (before.rstrip()[-1:] in ",:" or _last_word(before) in _TAG_LAST_WORDS):
        match = _coordinated(before)
        if match and match.group("who") in ("He", "She"):  # "She takes one look at the wand and sighs:"
            if someone_unnamed_since(before, context, match.group("who")):
                return None
            told = frozenset(context.names_in(match.group("middle")))
            return context.resolve_speaker(match.group("who"), avoid=told)
        if match:
            return _named(match.group("who"), context)
    ending = _last_word(before)  # (both patterns end with their verb: most texts need neither scan)
    match = _GOES.search(before) if ending in _GOES_ENDINGS else None
    if match is None and ending in _GOES_AUX_ENDINGS:
        match = _GOES_AUX.search(before)
        if match and (
            match.group("aux").split()[0] in ("and", "or") or match.group("who").endswith(_POSSESSIVE_ENDINGS)
        ):
            match = None
    if match:
        who = match.group("who")
        if _PRONOUN_RE.fullmatch(who):
            return None if someone_unnamed_since(before, context, who) else context.resolve_speaker(who)
        return _named(who, context)
    tail = before[-80:]
    participle = _PARTICIPLE_TAG.search(tail) if "ing" in tail and tail.rstrip()[-1:] in ",:" else None
    if participle:  # "…, dog under one arm, declaring to the assembled guests, “…”"
        return _participle_speaker(before[: len(before) - len(tail) + participle.start()], context)
    if before.rstrip().endswith("(") and re.search(r"[.!?…]$", quote):
        match = _PAREN_SUBJECT.search(before)
        if match:
            who = match.group("who")
            if who in ("He", "She"):
                return context.resolve_speaker(who)
            return _named(who, context)
    if _PREDICATE_AFTER.match(after) and not _names_a_work(before, quote):
        match = _BARE_POSSESSIVE.search(before) if _has_possessive(before) else None
        if match:
            who = match.group("who")
            return who if _is_name(who, context.known_first_names, False) and _strip_ranks(who) else None
        match = _PRONOUN_POSSESSIVE.search(before)
        if match and not someone_unnamed_since(before, context):
            pronoun = "he" if match.group("who").lower() == "his" else "she"
            return context.resolve_speaker(pronoun, reaction=True)
    return None


_TITLE_SMALL_WORDS = _words("a an the of and or nor but in on at to for with from by as is my your his her")
# What comes before a work's title rather than a line: "set to Nina Okafor’s “Lanterns”", "the track"
_WORK_CUE = re.compile(
    r"\b(?:set to|to the tune of|song|songs|track|tune|anthem|hymn|ballad|album|single|cover of|record|novel|"
    r"poem|book|film|movie|painting|play|musical|titled|entitled|called|named)\b[^.!?;:“”\"]{0,40}$",
    re.I,
)


_INNER_PUNCTUATION = re.compile(r"[.!?,;:…—–]")


def _title_like(quote: str) -> bool:
    """Whether a quote reads as a title (``Lanterns``, ``Ash Remembers``, ``Dealer’s Choice``): a few words,
    every one capitalised but the small ones, no sentence in it."""
    words = quote.rstrip(",. ").split()
    if not 0 < len(words) <= 6 or not words[0][:1].isupper() or _INNER_PUNCTUATION.search(" ".join(words)):
        return False
    return all(word[:1].isupper() or word in _TITLE_SMALL_WORDS or not word[:1].isalpha() for word in words)


def _names_a_work(before: str, quote: str) -> bool:
    """Whether a quote after a possessive is a work's title rather than a line said: the quote reads as a
    title, or the words before it name a song, a book or the like."""
    if quote.endswith(("!", "?")):
        return False
    return _title_like(quote) or bool(_WORK_CUE.search(before, max(0, len(before) - 80)))


# "Tanya from Tulsa writes": the name before "from" is the subject; "the man from Tulsa" has none
_PLACE_OF_SUBJECT = re.compile(rf"(?:(?P<who>{NAME})\s+)?\b(?:from|of|in|at|near)\s+$")


def _subject_of(before: str, match: re.Match[str]) -> str | None:
    """The subject of a speech tag ``_BEFORE`` found: its name, or the person a place after "from" or
    "in" belongs to; None when the name is a place after a person not named."""
    start = match.start("who")
    found = _PLACE_OF_SUBJECT.search(before, max(0, start - 60), start)
    if found is None:
        return match.group("who")
    who = found.group("who")
    if who and _PLACE_BEFORE.search(before, max(0, found.start("who") - 8), found.start("who")):
        return None  # "the University of West of England in Bristol": places all the way
    return who


def _last_before(before: str) -> re.Match[str] | None:
    """The speech tag closest to the quote (``Clara asks what went wrong, Idris says, “…”`` → Idris)."""
    match = _BEFORE.search(before)
    while match is not None:
        later = _BEFORE.search(before, match.start("who") + 1)
        if later is None:
            break
        match = later
    if match is not None and _NEW_SUBJECT_IN_TAIL.search(match.group("tail")):
        return None  # "Sookie tells Jackson the news, and his “…”": the quote is in a clause of its own
    return match


# A clause of its own after a speech verb's object: "…, and he just goes", "… and his", "… but her"
_NEW_SUBJECT_IN_TAIL = re.compile(
    r"\b(?:and|but|so|while|then|until)\s+(?:(?:he|she|they|his|their)\b|her\s*$)"
    r"|\b(?:when|while|as|after|before|until|because|if|once|whereas)\s+(?:the|a|an|his|her|their|he|she|they)\b"
    # another speech verb, whose subject comes later: "…says nothing when the general reports"
    rf"|\s(?:{_VERBS})\b"
    # someone's line after the speech verb's clause: "Peter asks her what they will do, her answer —",
    # "when she radios it in, the dispatcher’s weary response —"
    rf"|,\s+(?:and\s+|but\s+)?(?:his|her|their|(?:the|a|an)\s+[a-z-]+[’']s)\s+(?:[a-z-]+\s+){{0,2}}"
    rf"{_SPEECH_NOUNS}\b"
    # another subject's clause: "Joel asks Marta to stay and Marta is like,"
    rf"|\b(?:and|but|so|then|until|while)\s+(?:then\s+)?{NAME}\s+(?:\w+ly\s+)?(?:[a-z]+s|is|was|goes|went)\b"
)


# A live blog's time stamp before an entry ("9:14pm — ", "[20:02] ", "21.40: "): no part of its first sentence
_TIMESTAMP = re.compile(
    r"\s*[\[(]?(?:\d{1,2}(?:[:.]\d{2}){1,2}\s*(?:[AaPp]\.?[Mm]\.?)?|\d{1,2}\s*[AaPp]\.?[Mm]\.?|"
    r"(?:[Mm]inute|[Mm]in\.?)\s*\d{1,3}|\d{1,3}\s*(?:min(?:ute)?s?\.?|mins?\.?))"
    r"(?:[\])]\s*(?:[—–―|:-]\s*)?|\s*[—–―|:-]\s+|\s+(?=[A-Z“\"]))"
)


_READING_VERBS = _words("reads read reading recites recited quotes quoted quoting plays played playing")
# What one reads out that someone else wrote or said: "a voicemail from a listener", "the letter"
_ANOTHERS_WORDS = re.compile(
    r"\b(?:from|by)\b|\b(?:letter|note|voicemail|email|e-mail|message|text|card|review|tweet|post|comment|"
    r"statement|sign|script|poem|passage|clip|recording|headline|question)s?\b"
)


def _reads_another(match: re.Match[str]) -> bool:
    """Whether a speech tag before a quote reads out somebody else's words (``Hana reads a voicemail from a
    listener:``): the quote is not the reader's line."""
    return match.group("verb") in _READING_VERBS and bool(_ANOTHERS_WORDS.search(match.group("tail")))


def attribute_speakers(text: str, spans: list[QuoteSpan], context: SpeakerContext) -> list[str | None]:
    """The speaker of each span in ``text`` (None where the text names nobody), each reported by the
    short name the page uses most for them."""
    speakers: list[str | None] = []
    stamp = _TIMESTAMP.match(text)
    cursor = stamp.end() if stamp and stamp.end() <= spans[0].start else 0
    previous: str | None = None
    # the previous quote, the intro before it and the text after it (for whom it speaks to: ``_addressed``)
    previous_quote: tuple[str, re.Match[str] | None, str] = ("", None, "")
    previous_tag_names: set[str] = set()
    previous_tag_end = -1  # where the previous quote's own tag ends in the text after it (-1: no tag)
    context.block_start = len(context._mentions)
    for index, span in enumerate(spans):
        before = text[cursor : span.start]
        context.see(before)
        after = text[span.end : spans[index + 1].start if index + 1 < len(spans) else len(text)]
        whole = bool(re.search(r"[.!?…]$", span.text))
        tag_end = -1
        switched = (
            _PRONOUN_GENDER.get(pronoun.group(1).lower())
            if previous and (pronoun := _TAG_PRONOUN.match(before))
            else None
        )
        speaker = _label_or_dash(before, after, context)
        if speaker is None and whole and (not before.strip() or _SHORT_LABEL.fullmatch(before)):
            speaker = _credit_after(after, context)  # "“…” Ingrid Sorensen, Tidewater"
        hint = None
        hint_match = (
            _POSSESSIVE_LINE_ANYWHERE.search(_last_sentence(before))
            if speaker is None and before.strip() and _has_possessive(before)
            else None
        )
        if hint_match and _is_name(
            hint_match.group("who"), context.known_first_names, at_sentence_start=False
        ):
            hint = _strip_title(hint_match.group("who"))
        before_match = _last_before(before) if speaker is None else None
        before_who = _subject_of(before, before_match) if before_match else None
        reading = bool(before_match and _reads_another(before_match))
        if before_who is None or reading:
            before_match = None  # ("Hana reads a voicemail from a listener:": the listener's words)
        if (
            before_match
            and before_who is not None
            and not _PRONOUN_RE.fullmatch(before_who)
            and re.search(r"[,:]\s*$", before)
        ):
            # "Okwu asks, “…”" introduces this quote; a tag after it may belong to the next one.
            speaker = _speaker_from(before_who, before_match.group("verb"), context, previous)
        tagged = reading
        if speaker is None:
            speaker, end = _tag_after(after, context, previous, hint, before, whole, switched)
            if end:
                tag_end, tagged = end, True
            elif (unnamed_tag := _UNNAMED_TAG.match(after)) and (
                not whole or unnamed_tag.group().lstrip(" ,—–-")[:1].islower()
            ):
                tagged = True  # "“Run,” says the Doctor": a speaker the page does not name
        if speaker is None and before_match and before_who is not None:
            who = before_who
            unnamed = bool(_PRONOUN_RE.fullmatch(who)) and someone_unnamed_since(before, context, who)
            if _PRONOUN_RE.fullmatch(who) and (hint or unnamed):
                speaker = hint if not unnamed else None
            else:
                told = frozenset(context.names_in(before_match.group("tail")))
                speaker = _speaker_from(who, before_match.group("verb"), context, previous, told)
        if speaker is None and not reading:
            speaker = _introduced_by(before, context, previous, span.text)
        if speaker is None and not tagged:
            speaker = _weak_rules(before, after, span.text, context)
        if (
            speaker is None
            and not tagged
            and previous
            and not previous_quote[0].endswith("?")  # an untagged line after a question answers it
            and _goes_on(before, previous_tag_end, context, previous_tag_names)
        ):
            others = {n for n in context.names_in(before) if _first_name(n) not in previous_tag_names}
            if not others:
                speaker = previous  # the same speaker's line goes on after the tag
        if speaker is None and not tagged and not _only_tag_sentence(before, previous_tag_end):
            speaker = _standalone(before, span.text, context, previous)
        if speaker is None and not tagged:
            speaker = _identified(before, after, span.text, context)  # "“…” It is the skipper, Rory Maddox."
        if speaker and context.cast.key(speaker) == _addressee(span.text, context):
            speaker = None  # nobody calls themselves by name
        if speaker is None and not tagged and previous:
            speaker = _answer(span.text, before, previous, _addressed(*previous_quote, context), context)
        if speaker and not whole and _in_title_slot(before, span.text):
            speaker = None  # "In “Easements,” Harriet says goodbye": a title, and a sentence about it
        if speaker and _title_like(span.text) and _performed(before, after):
            speaker = None  # "Mara singing “Hallelujah”": a song's title, not her line
        if speaker and previous and context.cast.key(speaker) == context.cast.key(previous):
            speaker = _unless_addressed(speaker, before, after, _addressed(*previous_quote, context), context)
        speakers.append(speaker)
        previous = speaker
        previous_quote = (span.text, before_match, after)
        previous_tag_end = tag_end if speaker else -1
        tag = _SENTENCE_GAP.split(after, maxsplit=1)[0]
        previous_tag_names = {_first_name(n) for n in context.names_in(tag)} if speaker else set()
        if speaker:
            context.mention(speaker)
            previous_tag_names.add(_first_name(speaker))
        cursor = span.end
    context.see(text[cursor:])
    if len(spans) > 1 and not all(speakers):
        _exchange(text, spans, speakers, context)
    if not all(speakers):
        _take_turns(text, spans, speakers, context)
    if not any(speakers):
        return speakers
    cast = context.cast
    return [(cast.key(speaker) or None) if speaker else None for speaker in speakers]


_LABEL_WORDS = _words(
    "Update Note Verdict Grade Rating Score Quote Line Title Answer Question Q A Edit Spoiler "
    "Spoilers Warning Summary Bottom Best Worst Favourite Favorite Runner-up Honourable Honorable "
    "Translation Caption Sign Text Subtitle Tagline Motto Chyron Headline Previously Next Recap "
    "Review Episode Season Status Mood Lesson Moral Takeaway Winner Loser MVP Flashback Montage Scene Shot "
    "Cut Opening Closing Ending Credits Cameo Callback Cold Teaser Promo Trailer Preview Cliffhanger "
    "Dialogue "
    # who is nobody the page names: "Another: “…”", "Fans: “…”", "Twitter: “…”"
    "Another Others Fans Viewers Critics Commenters Readers Reader People Twitter Reddit Tumblr Instagram "
    "TikTok"
)
_GERUND_AFTER = re.compile(r"\s+(?:\w+ly\s+)?[a-z]{2,}ing\b")
_DIRECT_LABEL = re.compile(
    rf"\s*(?:\(|:|,?\s*to\s+(?:the\s+|his\s+|her\s+|their\s+)?(?:{NAME}|[a-z-]+)(?:,\s*{NAME})?\s*:)"
)
_VERB_ENDS = re.compile(rf"\b(?:{_VERBS})\s+$")
# a tag right after a quote, its subject after the verb ("“…,” says Kim Roe"; not "Amos tells Peter")
_VERB_JUST_BEFORE = re.compile(rf"[\s,—–-]*(?:{_VERBS})\s+")
_VERB_JUST_AFTER = re.compile(rf",?\s+(?:{_VERBS})\b")
_TAG_PRONOUN = re.compile(rf"\s*(he|she|He|She)\s+{_ADVERB}(?:{_VERBS})\b")


_SUBJECT_PRONOUN = re.compile(r"\b(?:he|she|they|He|She|They)\b")


# A short label before a quote that starts with a capitalised word (not "Then, after a pause:")
_UNREAD_LABEL = re.compile(rf"\s*(?!(?:{_FUNCTION_WORDS})\b)[A-Z][^\s:]*(?:\s+[^\s:]+){{0,3}}\s*[:—–]\s*$")


# Where a quote is a title rather than a line: after "in" or "during" ("In “Easements,” Harriet…"),
# and, for a quote that reads as a title, after a word for an episode or a name ("The finale, “Ash,” …")
_TITLE_SLOT = re.compile(r"(?:^|[\s(])(?:[Ii]n|[Dd]uring|[Tt]hroughout|[Ss]ince)\s+$")
_TITLE_NOUN_SLOT = re.compile(
    r"\b(?:episode|chapter|instal?lment|hour|finale|premiere|opener|titled|entitled|called|named)\s*,?\s*$",
    re.I,
)


_PERFORMING = (
    r"(?:sings|sang|sing|singing|hums|hummed|humming|performs|performed|performing|belts|belted|belting)"
)
_PERFORMED_BEFORE = re.compile(rf"\b{_PERFORMING}\s+(?:[a-z]+\s+){{0,2}}$")
_PERFORMED_AFTER = re.compile(rf"[,\s]*(?:{NAME}|he|she|they)\s+(?:\w+ly\s+)?{_PERFORMING}\b")


def _performed(before: str, after: str) -> bool:
    """Whether the verb of a quote's tag is one for a song (``Mara singing “Hallelujah”``)."""
    return bool(_PERFORMED_BEFORE.search(before, max(0, len(before) - 40)) or _PERFORMED_AFTER.match(after))


def _in_title_slot(before: str, quote: str) -> bool:
    """Whether a quote stands where a title does (see ``_TITLE_SLOT``)."""
    return bool(_TITLE_SLOT.search(before) or (_title_like(quote) and _TITLE_NOUN_SLOT.search(before)))


def _addressed(
    quote: str, before_match: re.Match[str] | None, after: str, context: SpeakerContext
) -> set[str]:
    """Whom a quote speaks to, as the page's keys: a name it calls (``“Sit down, Harriet”``) or its tag's
    object (``Amos asks Harriet, “…”``, ``“…,” Amos tells Harriet``)."""
    names = [_addressee(quote, context) or ""]
    if before_match is not None:
        names += context.names_in(before_match.group("tail"))[:1]
    tag = _AFTER_NAME_VERB.match(after)
    if tag and tag.group("object"):
        names.append(tag.group("object"))
    cast = context.cast
    return {cast.key(name) for name in names if name and cast.is_person(name)} - {""}


def _answer(
    quote: str, before: str, previous: str, addressed: set[str], context: SpeakerContext
) -> str | None:
    """Who answers the previous speaker by name: the one they spoke to (``“Sit down, Teo,” Mara says.
    “Make me, Mara.”`` → Teo), where nobody else is named or mentioned between the two lines."""
    cast = context.cast
    asker = cast.key(previous)
    if len(addressed - {asker}) != 1 or _addressee(quote, context) != asker:
        return None
    answerer = next(iter(addressed - {asker}))
    if any(cast.key(name) not in (asker, answerer) for name in context.names_in(before)):
        return None
    return None if someone_unnamed_since(before, context) else answerer


def _unless_addressed(
    speaker: str, before: str, after: str, addressed: set[str], context: SpeakerContext
) -> str | None:
    """``speaker`` (who spoke the previous quote too) unless a pronoun's tag gave them, the page does not
    show them of that pronoun's gender and someone else fits it as well: the one the previous quote spoke
    to (``“Sit down, Harriet,” Amos says. “Make me,” she says.``) or, unless the tag goes on (``he adds``),
    another person in the paragraph (``Dana and Jory argue. “You left,” Jory says. “I came back,” she
    snaps.``)."""
    tag = _AFTER_NAME_VERB.match(after)
    if tag is None or not _PRONOUN_RE.fullmatch(tag.group("who")):
        tag = _last_before(before)
    wanted = _PRONOUN_GENDER.get(tag.group("who").lower()) if tag else None
    if tag is None or wanted is None:
        return speaker
    cast = context.cast
    key = cast.key(speaker)
    rivals = set(addressed)
    if tag.group("verb") not in _GOING_ON_VERBS:
        rivals |= set(context.people_in_block())
    # (where the page shows the speaker of the pronoun's gender, only a rival shown so as well counts)
    fitting = (wanted,) if cast.gender_of(speaker) == wanted else (None, wanted)
    if any(rival != key and cast.gender_of(rival) in fitting for rival in rivals):
        return None
    return speaker


_GOING_ON_VERBS = _words("adds added continues continued repeats repeated insists insisted")


# A new sound or voice before a quote: "A crackle, finally:", "The radio: “…”", "Then a voice — “…”"
_THING_HEARD = re.compile(r"\s*(?:(?:Then|And|But|Finally|Suddenly),?\s+)?(?:A|An|The|a|an|the)\s+[a-z]")


# Who a voice is, said next to its line: "“…” It is the skipper, Rory Maddox", "it’s Oduya, and she…"
_IDENTITY = (
    r"(?:^|[\s;:—–])(?:[Ii]t|[Tt]hat)(?:[’']s|\s+is|\s+was)\s+(?:(?:the|a|an|his|her|their)\s+[a-z][\w’'-]*"
    rf"(?:\s+[a-z][\w’'-]*)?,?\s+)?(?P<who>{NAME})(?=\s*(?:[,.;!?—–]|$))"
)
_IDENTITY_CUE = re.compile(r"[Tt](?:[’']s| is| was) ")
_IDENTITY_AFTER = re.compile(rf"\s*{_IDENTITY}")
_IDENTITY_BEFORE = re.compile(_IDENTITY)


def _identified(before: str, after: str, quote: str, context: SpeakerContext) -> str | None:
    """The person the sentence right after a line, or the sentence right before it, says the voice is (not
    after a question: "“Who took it?” It was Ada." names the culprit)."""
    if quote.endswith("?"):
        return None
    match = _IDENTITY_AFTER.match(after)
    cue = _IDENTITY_CUE.search(before, max(0, len(before) - 120))
    if match is None and cue and _SENTENCE_END.search(before):
        match = _IDENTITY_BEFORE.search(_last_sentence(before))
    if match is None:
        return None
    named = _named(match.group("who"), context)
    return _strip_title(named) if named and not named.endswith(_POSSESSIVE_ENDINGS) else None


def _only_tag_sentence(before: str, tag_end: int) -> bool:
    """Whether the text between two quotes is only the sentence of the first one's tag (``“…,” Margaret
    offers, which is not the defense she thinks it is. “…”``): its subject is the first line's speaker, and
    whether they go on is for ``_goes_on`` to say, not ``_standalone``."""
    return tag_end >= 0 and len(_SENTENCE_BREAKS.findall(before)) <= 1


def _goes_on(before: str, tag_end: int, context: SpeakerContext, tag_names: set[str]) -> bool:
    """Whether the text between two quotes lets the first one's speaker go on: nothing but the first
    quote's own tag (``“…,” she says. “…”``), or a short connective with nobody in it (``Then, after a
    pause: “…”``, ``he says, holding up a loaf. “…”``). Quotes side by side with nothing between them
    are an exchange (see ``_exchange``)."""
    rest = before[tag_end:] if tag_end >= 0 else before
    if not rest.strip():
        return tag_end >= 0
    if _UNREAD_LABEL.match(rest) or _THING_HEARD.match(_last_sentence(rest)):
        return False  # "ED: “…”": a label not read as a name is somebody's; "A crackle:" is another voice
    if (
        tag_end >= 0
        and len(_SENTENCE_BREAKS.findall(rest)) <= 1
        and not _SUBJECT_PRONOUN.search(rest)
        and not someone_unnamed_since(before, context)  # "says Ferro. The coroner shrugs: “…”"
    ):
        # the rest of the tag's sentence: "said Jeff Doe, a councilman in Hillsdale. “…”"
        return all(_first_name(name) in tag_names for name in context.names_in(rest))
    return (
        len(before) < 160
        and len(_SENTENCE_BREAKS.findall(rest)) <= 1
        and not _SUBJECT_PRONOUN.search(rest)
        and not _UNNAMED_PERSON.search(rest)
        and not context.names_in(rest)
    )


def _label_or_dash(before: str, after: str, context: SpeakerContext) -> str | None:
    """A speaker's label before the quote (``Kowalczyk: “…”``, ``Harriet — “…”``) or a dash line after it
    (``“…” — Pell``, also after a label that names nobody: ``Best line: “…” — Pell``)."""
    if before.rstrip().endswith(":") and not _FROM_NAME.search(before):
        # ("Listener question from Dev:" names Dev: see ``_introduced_by``)
        labelled = _label(before, context)
        if labelled:
            return labelled
    if before.rstrip()[-1:] in ("—", "–") and (match := _DASH_LABEL.search(before)):
        return _named(match.group("who"), context)  # "Harriet — “…”"
    if after.lstrip()[:1] in ("—", "–", "―", "-"):  # ("-- Margo" and "- Margo" in plain text)
        match = _DASH_AFTER.match(after)
        if match:
            return _named(match.group("who"), context)
    return None


def _label(before: str, context: SpeakerContext) -> str | None:
    """The speaker a label that ends ``before`` with a colon names (see ``_label_or_dash``)."""
    match = _LABEL.search(before)
    if match and before[match.start()] == "," and re.search(r"[A-Z]", before[match.end("who") :]):
        match = None  # "…, Mari is blunter still:" but not "…, Tiktok und Instagram:"
    if match and _PRONOUN_LINE.search(before, max(match.end("who"), len(before) - _PRONOUN_LINE_REACH)):
        return None  # "Joel begs Marta to stay, and her response is perfect:": hers (see ``_pronoun_line``)
    if match:
        who = match.group("who")
        at_start = not before[: match.start("who")].strip()  # the block's start or right after a quote
        if at_start and _DIRECT_LABEL.match(before, match.end("who")) and who.split()[0] not in _LABEL_WORDS:
            # "Kowalczyk: “…”" / "Priyanka (guest): “…”": a speaker's label names a speaker
            return who if _is_name(who, context.known_first_names, False) else None
        if at_start and _GERUND_AFTER.match(before, match.end("who")) and who.split()[0] not in _LABEL_WORDS:
            # "Hector teaching the new hand to rope: “…”": a list item's label, its subject doing it
            return who if _is_name(who, context.known_first_names, True) else None
        if _PERCEIVED.match(before, match.end("who")):
            return None  # "Cole finds a note in the car:": what is read or heard is not Cole's
        if who.endswith(_POSSESSIVE_ENDINGS) and not _SPEECH_NOUN_AFTER.match(before, match.end("who")):
            return None  # "Pia’s aunt, Lorna, is visiting:" is the aunt's (but "Dunne’s reply:" is Dunne's)
        return _named(who, context)
    return None


# A credit after a line that opens its block: "“…” Ingrid Sorensen, Tidewater, to a man holding a cake",
# "“…” Oona Fesk (Vault 9)", "“…” Dani." — the name, titles between commas, then a bracket, a preposition's
# phrase or the end (not a verb: "“Fine.” Odette nods." is the listener's)
_SHORT_LABEL = re.compile(r"\s*[^.!?“”\"]{1,40}:\s*")
_CREDIT_NAME = re.compile(rf"\s*(?P<who>{NAME})")
_CREDIT_TITLE = re.compile(r",\s+([^,.;:()!?“”\"]{1,40}?)(?=\s*[,.;(]|\s*$)")
_CREDIT_CLOSE = re.compile(
    r"\s*(?:\(|[.;]?\s*$|\.\s+(?=[A-Z])|,\s+(?!to\s+(?:his|her|their)\s+credit)(?:to|on|in|after|about|when|"
    r"while|during|at|from|for|upon|addressing|speaking|talking|explaining|describing|reacting|responding)\b"
    r"|,\s+(?:\w+ly\s+)?[a-z]{2,}ing\b)"
)


def _credit_after(after: str, context: SpeakerContext) -> str | None:
    """The person a credit after a line names (see ``_CREDIT_NAME``), where the page knows them as a
    person; what stands between commas after the name must read as a title (``“Fine.” Odette, Marcus and
    Teo nod.`` credits nobody)."""
    match = _CREDIT_NAME.match(after)
    if match is None:
        return None
    position = match.end()
    for _ in range(3):
        if _CREDIT_CLOSE.match(after, position):
            return _named(match.group("who"), context)
        title = _CREDIT_TITLE.match(after, position)
        if title is None or not _title_like(title.group(1)):
            return None
        position = title.end()
    return None


# "Fenella Oakes (Harriet Vole, feasting)": the actor in brackets after a character's name
_ACTOR_IN_BRACKETS = re.compile(r"(?<=[a-z’'-])\s\([A-Z][^()]{0,60}\)")


def _order_by_addressees(
    text: str, spans: list[QuoteSpan], run: list[int], following: str, context: SpeakerContext
) -> tuple[str, str] | None:
    """Who speaks first and second in an exchange, from whom its lines call by name: two lines side by
    side that call two different people (``“Sit down, Teo.” “Make me, Mara.”``: Mara, then Teo), or one
    line that calls one of the only two people the paragraph names."""
    cast = context.cast
    called = [_addressee(spans[i].text, context) for i in run]
    # (the text after the lines counts where it closes the paragraph: one who comes in to speak the next
    # line, "led by Sparkplug, who buzzes, “…”", is no party to them)
    closing = following if run[-1] + 1 == len(spans) else ""
    plain = _ACTOR_IN_BRACKETS.sub("", text[: spans[run[0]].start] + " " + closing)
    named = {cast.key(n) for n in context.names_in(plain) if cast.is_person(n)} - {""}
    for position in range(len(run) - 1):
        first, second = called[position], called[position + 1]
        # (both named outside the lines too: a surname only the lines use may be a first-named person's)
        if first and second and first != second and {first, second} <= named:
            return (second, first) if position % 2 == 0 else (first, second)
    # (or only two in the sentence right before the lines: "Rey calls Honor by her first name. “Honor. …”")
    lead = _last_sentence(text[: spans[run[0]].start])
    near = {cast.key(n) for n in context.names_in(lead) if cast.is_person(n)} - {""}
    for position, addressed in enumerate(called):
        for people in (named, near if addressed in near else set()):
            if addressed and len(people - {addressed}) == 1:
                other = next(iter(people - {addressed}))
                return (other, addressed) if position % 2 == 0 else (addressed, other)
    return None


def _take_turns(
    text: str, spans: list[QuoteSpan], speakers: list[str | None], context: SpeakerContext
) -> None:
    """Lines without a speaker that take a turn in a two-person exchange (see ``_answer_to`` and
    ``_back_to``), in order, so that one line's turn can give the next its own."""
    for index in range(1, len(spans)):
        if (
            speakers[index]
            or not speakers[index - 1]
            or text[spans[index - 1].end : spans[index].start].strip()
        ):
            continue  # (after a tag, "“You okay?” Mara asks. “You look pale.”" may be Mara's still)
        speakers[index] = _answer_to(text, spans, speakers, index, context) or (
            _back_to(text, spans, speakers, index, context) if index > 1 else None
        )
    for index in range(len(spans) - 1):
        if not speakers[index] and speakers[index + 1] and spans[index].text.endswith("?"):
            speakers[index] = _asked_by(text, spans, speakers, index, context)


def _asked_by(
    text: str, spans: list[QuoteSpan], speakers: list[str | None], index: int, context: SpeakerContext
) -> str | None:
    """Who asks a question whose tag is only a pronoun (``“Where were you?” she asks. “Out.”``) when the
    answer right after it is known: the other of the only two people the paragraph has named so far, where
    the page does not show them of the other gender."""
    between = text[spans[index].end : spans[index + 1].start]
    tag = _AFTER_NAME_VERB.match(between)
    if tag is None or not _PRONOUN_RE.fullmatch(tag.group("who")):
        return None
    if between[_tag_end(between, tag.end()) :].strip():
        return None  # (more than the question's own tag between the two lines)
    cast = context.cast
    answerer = cast.key(speakers[index + 1] or "")
    plain = " ".join(text[(spans[i - 1].end if i else 0) : spans[i].start] for i in range(index + 1))
    others = {cast.key(n) for n in context.names_in(plain) if cast.is_person(n)} - {"", answerer}
    if len(others) != 1 or someone_unnamed_since(plain, context):
        return None
    asker = next(iter(others))
    wanted = _PRONOUN_GENDER.get(tag.group("who").lower())
    return None if wanted and cast.gender_of(asker) not in (None, wanted) else asker


def _answer_to(
    text: str, spans: list[QuoteSpan], speakers: list[str | None], index: int, context: SpeakerContext
) -> str | None:
    """The answer right after a question: the other of the only two people the paragraph has named so far
    (``Wren is having none of it. “Do you ever stop talking?” “Do you ever start?”``: Cass's)."""
    asker = speakers[index - 1]
    if not asker or not spans[index - 1].text.endswith("?"):
        return None
    cast = context.cast
    plain = " ".join(text[(spans[i - 1].end if i else 0) : spans[i].start] for i in range(index + 1))
    others = {cast.key(n) for n in context.names_in(plain) if cast.is_person(n)} - {"", cast.key(asker)}
    if len(others) != 1 or someone_unnamed_since(plain, context):
        return None
    other = next(iter(others))
    return None if _addressee(spans[index].text, context) == other else other


def _back_to(
    text: str, spans: list[QuoteSpan], speakers: list[str | None], index: int, context: SpeakerContext
) -> str | None:
    """A line right after an answer, with nothing between them, goes back to the one answered: ``“Is that
    it?” Mbatha stands up. “No, gaffer.” “Then show me.”`` (Quill's), where nobody else is named or mentioned
    since the first of the two lines and the line does not call that person by name."""
    first, second = speakers[index - 2], speakers[index - 1]
    if not first or not second:
        return None
    cast = context.cast
    asker, answerer = cast.key(first), cast.key(second)
    between = text[spans[index - 2].end : spans[index - 1].start]
    if (
        asker == answerer
        or _addressee(spans[index].text, context) == asker
        or any(cast.key(name) not in (asker, answerer) for name in context.names_in(between))
        or someone_unnamed_since(between, context)
    ):
        return None
    return first


def _exchange(text: str, spans: list[QuoteSpan], speakers: list[str | None], context: SpeakerContext) -> None:
    """Quotes side by side with nothing between them (``“Open the hatch.” “Not yet.” “Now, Teo.”``) are an
    exchange between two people, who take turns. Where the text tells both and where one line goes (a
    dash line naming the two in order, or a line that speaks to one of them by name while the paragraph
    names only the other besides), the lines without a speaker get theirs."""
    runs: list[list[int]] = []
    for index in range(len(spans)):
        if index and not text[spans[index - 1].end : spans[index].start].strip():
            runs[-1].append(index)
        else:
            runs.append([index])
    for run in runs:
        if len(run) < 2 or all(speakers[i] for i in run):
            continue
        cast = context.cast
        last = spans[run[-1]]
        following = text[last.end : spans[run[-1] + 1].start if run[-1] + 1 < len(spans) else len(text)]
        order: tuple[str, str] | None = None
        pair = _DASH_PAIR.match(following)
        if pair:
            first, second = _named(pair.group("first"), context), _named(pair.group("second"), context)
            if first and second:
                order = (cast.key(first), cast.key(second))
        else:
            order = _order_by_addressees(text, spans, run, following, context)
        if not order or order[0] == order[1]:
            continue
        turns = [order[position % 2] for position in range(len(run))]
        if any((said := speakers[i]) and cast.key(said) != turn for i, turn in zip(run, turns, strict=True)):
            continue  # the tags say otherwise
        for i, turn in zip(run, turns, strict=True):
            speakers[i] = speakers[i] or turn


# Words below a heading that quotes a line, saying whose it is: "Vasquez has been saying it since the pilot",
# "it is delivered not by the captain but by the ship’s cook, Benedikt Szabo", "that is Roe’s order"
_SAYS_IT = re.compile(
    rf"(?P<who>{NAME})\s+(?:\w+ly\s+)?(?:has\s+been\s+|had\s+been\s+|keeps\s+|kept\s+)?"
    r"(?:says|said|saying|repeats|repeated|repeating|shouts|shouted|whispers|whispered|delivers|delivered)\s+"
    r"(?:it|this|that|(?:this|that) one|these words|those words|the line)\b"
)
_DELIVERED_BY = re.compile(
    rf"\b(?:delivered|said|spoken|uttered)\b[^.!?“”\"]{{0,60}}\bby\s+(?:(?:the|a|an|his|her|their)\s+"
    rf"[^,.!?“”\"]{{1,40}},\s+)?(?P<who>{NAME})(?![\w’'])"
)
_THATS_LINE = re.compile(
    rf"\b(?:that|this|it)(?:\s+is|\s+was|[’']s)\s+(?P<who>{NAME})[’']s\s+(?:[\w-]+\s+){{0,2}}{_SPEECH_NOUNS}\b"
)
_HEADING_LINE_SENTENCES = 3  # sentences of the paragraph below a heading that may tell whose line it is


def heading_line_speaker(paragraph: str, context: SpeakerContext) -> str | None:
    """The speaker of a line a heading quotes, as the paragraph right below the heading tells it (see
    ``_SAYS_IT``): the page's key for them, or None."""
    sentences = _SENTENCE_GAPS.split(paragraph, maxsplit=_HEADING_LINE_SENTENCES)
    opening = " ".join(sentences[:_HEADING_LINE_SENTENCES])
    for pattern in (_SAYS_IT, _DELIVERED_BY, _THATS_LINE):
        match = pattern.search(opening)
        if match:
            named = _named(match.group("who"), context)
            return context.cast.key(named) or None if named else None
    return None


def title_like(quote: str) -> bool:
    """Whether a quote reads as a title rather than a line (see ``_title_like``)."""
    return _title_like(quote)

"""Speech tags around a quote (``“…,” Dani says``, ``Dani says: “…”``) and the weaker subject rules."""

from __future__ import annotations

import re

from .names import _ABBREVIATIONS, _PRONOUN_GENDER, NAME, _is_name, _strip_ranks, _words
from .speaker_context import _ADVERB, _SENTENCE_BREAKS, _SENTENCE_GAPS, _VERBS, SpeakerContext

# Reactions, not speech: after a quote that is a whole sentence ("“Fine.” Odette nods.") they start a new
# sentence about the listener rather than tag the quote.
_GESTURES = _words(
    "nods nodded shrugs shrugged smiles smiled grins grinned beams beamed sighs sighed laughs laughed "
    "scoffs scoffed gasps gasped groans groaned sneers sneered agrees agreed "
    "hisses hissed sobs sobbed whimpers whimpered"
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


_PRONOUN = r"(?:he|she|they|He|She|They)"


# The last character of a text that no match of a clause's tag pattern (``_BEFORE``, ``_BEFORE_AUX``,
# ``_INFINITIVE``) can span: the end of a sentence or a quote mark (not the full stop of a title's
# abbreviation, "Dr. Tess Alder", which a ``NAME`` spans); the whole text up to it, so that the match
# ends after it.
_LAST_STOP = re.compile(
    r"(?s:.*)(?:[!?“”\"]|\." + "".join(rf"(?<!{title}\.)" for title in _ABBREVIATIONS) + ")"
)


def _clause_start(text: str) -> int:
    """Where a search of ``text`` for a clause's tag pattern may start: after its last stop (see
    ``_LAST_STOP``), as no match can start before it; the patterns scan every character they may start at,
    so the last clause alone is quicker to search than the whole text."""
    found = _LAST_STOP.match(text)
    return found.end() if found else 0


_AFTER_NAME_VERB = re.compile(
    rf"^\s*[,—–-]?\s*(?P<article>the\s+)?(?P<who>{NAME}|{_PRONOUN})\s+{_ADVERB}(?P<verb>{_VERBS})\b(?:\s+(?P<object>{NAME}))?"
)


# "“…,” the suspect, Colm Fenwick, offers": a tag whose subject is a description, then the name in apposition
_AFTER_APPOSITIVE_VERB = re.compile(
    r"^\s*[,—–-]?\s*(?:the|a|an|his|her|their)\s+[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){0,2},\s+"
    rf"(?P<who>{NAME}),\s+{_ADVERB}(?P<verb>{_VERBS})\b"
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


# Another person's line named after a possessive's: "’s answer to Ingrid’s question,", "’s reply to her"
_ANOTHERS_LINE = re.compile(
    rf"\b(?:to|at|after|for|about)\s+(?:(?:{NAME})[’']s|his|her|their)\s+(?:\w+\s+){{0,2}}{_SPEECH_NOUNS}\b"
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


_FROM_NAME = re.compile(  # "A question from Bram:", "Direct quote from my friend Sam:"
    rf"\bfrom\s+(?:(?:my|our|his|her|their)\s+[a-z]+\s+)?(?P<who>{NAME})(?:\s+to\s+{NAME})?"
    rf"(?P<tail>[^.!?“”\"]{{0,40}}):\s*$"
)


_INFINITIVE = re.compile(
    rf"(?:^|[\s,;])(?P<who>{NAME})\s+[^.!?“”\"]{{0,60}}"
    r"\bto\s+(?:say|ask|tell \w+|shout|whisper|announce)\s*[,:]?\s*$"
)


# A clause with a subject of its own between a name and an infinitive's speech verb: ", as my gran used
# to say", "as the saying goes", "her grandmother used to say"
_AS_CLAUSE = re.compile(
    r"(?:^|[\s,(—–])as\s+(?:my|his|her|their|our|your|the|a|an|one|some|every)\b"
    # "Ingrid says her grandmother used to say": the habit of the noun before "used to"
    r"|\b(?:my|his|her|their|our|your|the|a|an|[A-Z][\w-]+[’']s)\s+(?:[a-z-]+\s+)?[a-z-]+\s+used\s+to\s+"
)


# A clause with a subject of its own between a name and an infinitive's speech verb (issue 15, red team 2):
# "Wren stands on the quay and the whole sequence seems to whisper", "Pip waits while the others try to say"
_NEW_SUBJECT_IN_GAP = re.compile(
    r"\b(?:and|but|while|whereas|as|when|so|because|though|although|until|before|after|where)\s+"
    r"(?:the|a|an|his|her|their|its|this|that|everyone|everybody|nobody|someone|somebody|it|they|we|I|you|"
    r"he|she|no\s+one|[A-Z][a-z]+\s+(?!to\b)[a-z]+s)\b"
)


# A clause of time or cause whose subject is somebody or something unnamed, its verb of speech leading to the
# colon: "… when a voice from the doorway cuts in:" (not "Ruth had the last word before the song kicked in:")
_LATER_CLAUSE_SUBJECT = re.compile(
    r"\b(?:when|as|until|while|before|after|because|whereupon)\s+(?:a|an|the|some|someone|somebody|his|her|"
    rf"their)\b[^.!?“”\":]{{0,60}}?\b(?:(?:{_VERBS})\b|(?:cuts|cut|chimes|chimed|breaks|broke)\s+in\b|"
    r"(?:pipes|piped|speaks|spoke)\s+up\b|(?:calls|called|rings|rang)\s+out\b|interrupts\b|interrupted\b)"
    r"[^.!?“”\":]{0,30}:\s*$"
    # the viewers' clause: "Okonjo unfolds the note, and we get a close-up of it:" (what we see, nobody's)
    r"|\b(?:and|then|so|where|when)\s+we\s+(?:\w+ly\s+)?(?:get|see|hear|read|catch|glimpse|spot)\b"
    r"[^.!?“”\":]{0,60}:\s*$"
)


_COLON_INTRO = re.compile(rf"(?:^\s*|[.!?…]\s+)(?P<who>{NAME})\s+[^.!?“”\"—–]{{0,80}}(?::|\s[—–])\s*$")


# A clause whose subject is a name and whose verb leads to a colon, the clause not at the sentence's start:
# "Up in the stands, Seraphine turns to her handmaiden, dry as dust:", "…, and Ray raises his hand:",
# "Brayden, eating the chilli with no ill effects, gives it a thumbs up:" (a finite verb after the name)
_COLON_CLAUSE = re.compile(
    rf"(?:(?:^\s*|[.!?…]\s+)(?:(?:And|But|Then|So)\s+(?:then\s+)?|[A-Z][a-z]+(?:\s+[a-z]+){{0,4}},\s+)?"
    rf"|(?:[,;]|\s[—–])\s+(?:and|but|then|so)\s+(?:then\s+)?)"
    rf"(?P<who>{NAME})(?:,\s+[a-z][^.!?“”\"—–,:]{{0,60}},)?\s+{_ADVERB}(?P<verb>[a-z]{{3,}}(?:s|ed))\b"
    r"[^.!?“”\"—–:]{0,110}:\s*$"
)


# What a subject perceives or finds before a colon is not their line: "Cole finds a note in the car:"
# (matched right after the subject's name)
_PERCEIVED = re.compile(
    r"[^\S\n]+(?:\w+ly[^\S\n]+)?(?:hears|heard|overhears|overheard|listens|listened|finds|found|sees|saw|"
    r"reads|spots|spotted|notices|noticed|discovers|discovered|watches|watched|receives|received|gets an?|"
    r"got an?)\b"
)


# A noun for something written or displayed right after a label's name: "Fort sign, for the eagle-eyed:",
# "Diner menu board:" (the name says where the words are, and nobody says them: heldout18)
_WRITTEN_THING_AFTER = re.compile(
    r"[^\S\n]+(?:sign|signs|signpost|banner|placard|poster|billboard|plaque|notice|stencil|sticker|"
    r"graffiti|menu|chalkboard|whiteboard|noticeboard|marquee|headline|caption|chyron|telegram|inscription)\b"
)


# A subject named in apposition, then its line: "The villain (Lord Ashgrove, boo) had one good line:"
_COLON_INTRO_APPOSITIVE = re.compile(
    rf"(?:^|[.!?…]\s+)(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[a-z’'-]+\s+){{0,2}}?[a-z’'-]+\s*(?:\(|,\s*)"
    rf"(?P<who>{NAME})(?:[^().!?“”\"]{{0,20}}\)|,)\s+[a-z][^.!?“”\"]{{0,30}}\b{_SPEECH_NOUNS}\b"
    r"[^.!?“”\"]{0,40}:\s*$"
)


_SENTENCE_SPEECH = re.compile(rf"(?P<who>{NAME})\s+(?:\w+\s+){{0,3}}(?P<verb>{_VERBS})\b")


# A determiner right before a name: one of a family or a kind ("the only Haldane who", "every Okafor",
# "a real Vance"), no one person
_DETERMINED_NAME = re.compile(
    r"(?:^|\s)(?:the|a|an|every|each|any|no|another)\s+(?:(?:only|other|one|real|true|last|first|youngest|"
    r"eldest|oldest)\s+)?$"
)


_SENTENCE_END = re.compile(r"[.!?…]['’”\"]?\s+$")


_PRONOUN_RE = re.compile(_PRONOUN)


_SUBJECT_VERB = re.compile(
    rf"(?P<who>{NAME})(?:,\s+[a-z][^,.!?“”\"]{{0,60}},)?\s+(?:\w+ly\s+)?"  # ("Hollander, presiding, peers")
    r"(?:(?:doesn[’']t|does\s+not|didn[’']t|did\s+not|won[’']t|can[’']t)\s+(?:even\s+)?[a-z]+|[a-z]+s|[a-z]{2,}ed)\b"
)


def _strip_title(name: str) -> str:
    return name.strip().rstrip(",")


def _titled_name(name: str) -> bool:
    """Whether ``name`` is a rank or title and then a name (``Reverend Clement Ashdown``)."""
    words = _strip_ranks(name)
    return bool(words) and len(words) < len(name.split())


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
        if match.group("noun") == "voice" and match.group("article").lower() in ("his", "her", "their", "my"):
            continue  # "Augusta does not raise her voice": her own voice, nobody else (issue 15, red team 2)
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
    r"(?:\s+is|\s+was|[’']s|\s+becomes|\s+became"
    # (issue 15, red team 2) "…, Absalom Tregear, turns out to be the most dangerous man in the series"
    r"|,?\s+(?:turns|turned)\s+out\s+to\s+be|,?\s+(?:proves|proved)\s+to\s+be)(?:\s+not)?\s+$"
)


def _tag_after(
    after: str,
    context: SpeakerContext,
    previous: str | None,
    hint: str | None,
    before: str = "",
    whole: bool = False,
    switched: str | None = None,
    next_quote: bool = False,
    called: str | None = None,
) -> tuple[str | None, int, str]:
    """``“…,” Dani says`` / ``“…,” says Dani`` / ``“…,” she tells June``: the speaker and where the tag's
    sentence ends in ``after`` (0 without a tag). After a quote that is a ``whole`` sentence, a name and
    verb start a new sentence unless the sentence ends there (``“Well?” Ruiz asks.``), and a gesture
    (``Odette nods.``) is the listener's, and a tag that runs into the ``next_quote`` introduces it;
    ``called`` is whom the quote calls by name (the page's key). Third: the name of the rule that found the
    speaker."""
    match = _AFTER_NAME_VERB.match(after) or _AFTER_VERB_NAME.match(after)
    if not match:
        appositive = _AFTER_APPOSITIVE_VERB.match(after) if "," in after[:60] else None
        if appositive is None:
            return None, 0, ""
        named = _named(appositive.group("who"), context)
        return named, _tag_end(after, appositive.end()), "tag_after_appositive"
    who, verb = match.group("who"), match.group("verb")
    if match.group("article") and not _titled_name(who):
        return None, 0, ""  # "says the Doctor", "the Vice President says": nobody the page names
    if who.endswith(_POSSESSIVE_ENDINGS):
        return None, _tag_end(after, match.end()), ""  # "says Amadi’s nurse": somebody the page does not name
    rest = after[match.end() :]
    if whole and (verb in _GESTURES or not (_TAG_ENDS.match(rest) or who in ("he", "she"))):
        # (a lower-case "he" or "she" starts no new sentence: "‘…?’ he asks within minutes")
        return None, 0, ""
    if whole and rest.lstrip().startswith(":"):
        return None, 0, ""  # "“…” Nick bristles: “…”": the tag introduces the next line
    end = _tag_end(after, match.end())
    if whole and next_quote and not after[end:].strip() and after[:end].rstrip()[-1:] not in ".!?…;":
        return None, 0, ""  # "“…” Calden tells him, “…”": a new sentence that introduces the next line
    if _PRONOUN_RE.fullmatch(who):
        if someone_unnamed_since(before, context, who):
            return None, end, ""
        if hint:
            return hint, end, "tag_after_hint"
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
            and not (  # ("“…, Tess,” he tells her": "her" is the one he calls by name)
                called
                and called != context.cast.key(speaker)
                and context.cast.gender_of(called) in (None, _PRONOUN_GENDER[told_pronoun.group(1)])
            )
        ):
            return None, end, ""  # "she reminds him": with the speaker's gender unknown, "him" may be them
        return speaker, end, "tag_after_pronoun"
    return _speaker_from(who, verb, context, previous), end, "tag_after"


_POSSESSIVE_ENDINGS = ("’s", "'s")  # a name's possessive ("Vera’s mother") is no subject


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


def _introduced_by(
    before: str, context: SpeakerContext, previous: str | None, quote: str = ""
) -> tuple[str | None, str]:
    """``Ed tells Dani, “…”``, ``Marguerite’s lie: “…”``, ``Ed’s quiet “Dani”``, ``from Ines to Hal: “…”``,
    ``to say “…”``: the speaker and the name of the rule that found them (see ``_INTRO_RULES``)."""
    # A bare possessive names the speaker of a whole line ("Mrs. Pell's “Spring is a long way off.”"),
    # not of a scare-quoted word ("Ada's “lucky” coat").
    possessive = _POSSESSIVE_BARE if re.search(r"[.!?…]$", quote) else _POSSESSIVE_DELIVERY
    if ("his " in before or "her " in before or "His " in before or "Her " in before) and (
        line := _PRONOUN_LINE.search(before, max(0, len(before) - _PRONOUN_LINE_REACH))
    ):
        return _pronoun_line(before, line, context), "pronoun_line"
    last = before.rstrip()[-1:]
    clause = _COLON_CLAUSE.search(before, max(0, len(before) - 300)) if last == ":" else None
    for pattern in _intro_patterns(before, possessive):
        match = pattern.search(before, _clause_start(before) if pattern is _INFINITIVE else 0)
        if (
            match
            and _is_name(match.group("who"), context.known_first_names, at_sentence_start=False)
            and match.group("who").casefold() not in context.excluded
            and not (pattern is _POSSESSIVE_BARE and _names_a_work(before, quote))
            # ("Theo’s answer to Ingrid’s question, “Why?”": the line is the later possessive's, not Theo's)
            and not (pattern is _POSSESSIVE_LINE and _ANOTHERS_LINE.search(before, match.end("who")))
            # ("Theo is, as my gran used to say, “…”": the "as" clause has a subject of its own)
            and not (pattern is _INFINITIVE and _AS_CLAUSE.search(before, match.end("who")))
            # ("Wren stands on the quay and the whole sequence seems to whisper “…”": a subject of its own)
            and not (pattern is _INFINITIVE and _NEW_SUBJECT_IN_GAP.search(before, match.end("who")))
            # ("As Ingrid’s mother used to say, “…”": the possessive's noun is the subject, not Ingrid)
            and not (pattern is _INFINITIVE and match.group("who").endswith(_POSSESSIVE_ENDINGS))
            # ("Hana is walking the board through it when a voice from the doorway cuts in:": not Hana's)
            and not (pattern is _COLON_INTRO and _LATER_CLAUSE_SUBJECT.search(before, match.end("who")))
            and (
                pattern not in (_COLON_INTRO, _COLON_INTRO_APPOSITIVE, _FROM_NAME)
                or (pattern is _FROM_NAME and not match.group("tail").strip())  # "A question from Bram:"
                or (
                    context.cast.is_person(match.group("who"))
                    and not _PERCEIVED.match(before, match.end("who"))
                    and not _WRITTEN_THING_AFTER.match(before, match.end("who"))
                    and not (
                        match.group("who").endswith(_POSSESSIVE_ENDINGS)
                        and not _SPEECH_NOUN_AFTER.match(before, match.end("who"))
                    )
                )
            )
        ):
            return _strip_title(match.group("who")), _INTRO_RULES[pattern]
    if clause:
        who = clause.group("who")
        if (
            _named(who, context)
            and not who.endswith(_POSSESSIVE_ENDINGS)
            and not _PERCEIVED.match(" " + clause.group("verb"))
            and not _LATER_CLAUSE_SUBJECT.search(before, clause.end("who"))
        ):
            return _strip_title(who), "colon_clause"
    if last in ":—–" and (match := _GETS_LINE.search(before, max(0, len(before) - 200))):
        named = _named(match.group("who"), context)  # "Pearl only gets one line, but it’s the best one:"
        return (
            _strip_title(named) if named and not named.endswith(_POSSESSIVE_ENDINGS) else None
        ), "gets_line"
    return None, ""


# The rule name of each of ``_introduced_by``'s patterns (for tracing, see ``attribute_speakers``)
_INTRO_RULES = {
    _POSSESSIVE_LINE: "possessive_line",
    _POSSESSIVE_BARE: "possessive",
    _POSSESSIVE_DELIVERY: "possessive",
    _FROM_NAME: "from_name",
    _INFINITIVE: "infinitive",
    _COLON_INTRO: "colon_intro",
    _COLON_INTRO_APPOSITIVE: "colon_appositive",
}


# A subject who gets a line, the line after a colon: "Bhatt gets the best line of the night when…:"
_GETS_LINE = re.compile(
    rf"(?P<who>{NAME}),?\s+(?:\w+ly\s+)?(?:gets|has|delivers|lands|steals|got|had|delivered|landed|stole)\s+"
    rf"(?:(?:the|a|an|one|his|her|their)\s+)?(?:[\w-]+\s+){{0,2}}{_SPEECH_NOUNS}\b"
    r"(?![^.!?“”\"]{0,90}\b(?:from|by)\s)[^.!?“”\"]{0,90}[:—–]\s*$"  # (not "Ben gets a warning from Ada:")
)


# "…, her answer — “…”", "his reply:": a pronoun's line, the quote right after it
_PRONOUN_LINE = re.compile(
    rf"(?:^|[\s,;(])(?P<who>[Hh]is|[Hh]er)\s+(?:[a-z-]+,?\s+){{0,2}}{_SPEECH_NOUNS}"
    r"(?:\s+(?:is|was)(?:\s+[a-z-]+){0,3})?\s*(?:[:,—–(?]\s*)?$"  # ("her response is perfect:")
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


_SUBJECT_SENTENCE_WORDS = 16  # the longest sentence before a line whose subject ``_standalone`` reads as such
_SUBJECT_SENTENCE_WORDS_ALONE = 20  # … where it names someone else; where it names no one else


def _names_another(sentence: str, context: SpeakerContext) -> bool:
    """Whether ``sentence`` names more than one person, or names one and a pronoun could be someone else's
    (``she``: the subject; any name there is another person's)."""
    cast = context.cast
    people = {cast.key(name) for name in context.names_in(sentence) if cast.is_person(name)} - {""}
    if _PRONOUN_SUBJECT.match(sentence):
        return bool(people)
    return len(people) > 1


# A possessive inside what reads as a name: "Ferrand’s English", "Pell’s Motors" (a thing someone has)
_INNER_POSSESSIVE = re.compile(r"[’']s\s")


def _standalone(
    before: str, quote: str, context: SpeakerContext, previous: str | None
) -> tuple[str | None, str]:
    """A quote that is its own sentence, right after a sentence whose subject is a named character (or
    a pronoun that resolves to one without doubt): the speaker and the name of the rule that found them."""
    if not before.strip() or not _SENTENCE_END.search(before) or not re.search(r"[.!?,…—–-]$", quote):
        return None, ""
    sentence = _last_sentence(before)
    if _SILENT.search(sentence):
        return None, ""  # "Dana doesn’t answer. “Why?”": whoever speaks, it is not the sentence's subject
    if not _opens_with_question(quote) and _asks_in_main_clause(sentence):
        # "Brandt, to her credit, asks why. “Because… Why do you care?”": an answer (its first sentence no
        # question), not the asker going on
        return None, ""
    found = _SENTENCE_SPEECH.search(sentence)
    if found and found.group("who").endswith(_POSSESSIVE_ENDINGS):
        return None, ""  # "Mira’s boss calls.": someone else's sentence
    if found and _SUBORDINATE.match(sentence):
        # "When Vasquez asks him directly, he only smiles.": the main clause's subject has the line
        return _main_clause_subject(sentence, found, context, before), "main_clause"
    if found and _DETERMINED_NAME.search(sentence, 0, found.start("who")):
        return None, ""  # "she is the only Haldane who says what she means.": a family's name, one of them
    if found and found.group("verb") in {"asks", "asked", "says", "said", "tells", "told"}:
        return _speaker_from(found.group("who"), found.group("verb"), context, previous), "said_before"
    words = len(sentence.split())
    if words > _SUBJECT_SENTENCE_WORDS_ALONE or (
        words > _SUBJECT_SENTENCE_WORDS and _names_another(sentence, context)
    ):
        # (a long sentence tells whose line comes next only where it names nobody but its subject: "Treloar,
        # who has plainly not had her coffee, looks out at the grey water for a long moment.")
        return None, ""
    if opening := _OPENING_PHRASE.match(sentence):
        sentence = sentence[opening.end() :]  # "In the dressing room, Quill kicks…", "Clip: Ruthanne…"
    subject = _SUBJECT_VERB.match(sentence) or _SUBJECT_GERUND.match(sentence)
    if subject and (
        subject.group("who").endswith(_POSSESSIVE_ENDINGS) or _INNER_POSSESSIVE.search(subject.group("who"))
    ):
        return None, ""  # ("Ferrand’s English is better than Holt’s French.": a possessive is no subject)
    if subject and (later := _LATER_SUBJECT.search(sentence, subject.end())):
        # "Marchetti makes them sit and Wren tries to explain.": the later subject, if it goes to speak
        return (_named(later.group("who"), context) if later.group("speech") else None), "later_subject"
    if (
        subject
        and (other := _RELATIVE_SPEAKER.search(sentence, subject.end()))
        and other.group("who") != (subject.group("who"))
    ):
        # "Otis goes next door to confront Nettles, who answers in a bathrobe.": the sentence gives another
        # person a speech verb of their own; the line after is as likely theirs (heldout16)
        return None, ""
    if subject and _WORDS_FROM_ELSEWHERE.search(sentence):
        return None, ""  # "Theo gets a call from his sister. “…”", "Theo turns on the radio. “…”": not his
    if subject:
        who = subject.group("who")
        if _named(who, context, at_sentence_start=True):
            return _strip_title(who), "subject"
        return None, ""
    appositive = _APPOSITIVE_SUBJECT.match(sentence) if words <= _SUBJECT_SENTENCE_WORDS else None
    if appositive:  # "The magistrate, a brisk woman named Ottoline Shaw, is unimpressed. “…”"
        named = _named(appositive.group("who"), context)
        return (_strip_title(named) if named else None), "appositive"
    last = _LAST_CLAUSE_SUBJECT.search(sentence)
    if last and not _SUBJECT_PRONOUN_WORD.search(sentence):
        # "Before the results, the show cuts to confessionals, and Chip goes scorched-earth.": the one person
        # the sentence names (no actor, no possessive), the subject of its last clause (the clauses before it
        # have things for theirs)
        cast = context.cast
        named = _named(last.group("who"), context)
        names = context.names_in(sentence)
        if named and {cast.key(name) for name in names} == {cast.key(named)} and named in names:
            return _strip_title(named), "subject"
        return None, ""
    pronoun = _PRONOUN_SUBJECT.match(sentence)
    if pronoun and not someone_unnamed_since(before, context, pronoun.group("who")):
        # "She grabs Wren by the shoulders.": whoever "she" is, not the one she grabs
        # (nor one who did something to a "him" just before: "Gaby asks him on the roof. He shrugs.")
        who = pronoun.group("who")
        in_sentence = context.names_in(sentence)
        avoid = set(in_sentence)
        wanted = "him" if who.lower() == "he" else "her"
        avoid.update(m.group("who") for m in _ACTS_ON_PRONOUN.finditer(before) if m.group("object") == wanted)
        resolved = context.resolve_speaker(who, avoid=frozenset(avoid))
        if resolved and _fits_in_sentence_only(in_sentence, resolved, who, context):
            return None, ""  # "He thinks it over, which in Odo time is an age.": Odo, or one named before
        return resolved, "pronoun_subject"
    return None, ""


# A person given a speech verb in a relative clause ("Nettles, who answers", "Ines, who finally replies")
_RELATIVE_SPEAKER = re.compile(rf"(?P<who>{NAME}),\s+who\s+(?:\w+ly\s+)?(?:{_VERBS})\b")


def _fits_in_sentence_only(names: list[str], found: str, pronoun: str, context: SpeakerContext) -> bool:
    """Whether the person a subject pronoun resolved to is not in the paragraph, while the sentence itself
    names a person of the paragraph the pronoun fits (passed over as the sentence's object): the one
    named in an earlier paragraph is no likelier (issue 15, heldout15)."""
    cast = context.cast
    here = set(context.people_in_block())
    if cast.key(found) in here:
        return False
    wanted = _PRONOUN_GENDER.get(pronoun.lower())
    return any(
        cast.is_person(name) and cast.key(name) in here and cast.gender_of(name) in (None, wanted)
        for name in names
    )


# The subject of a sentence's last clause after a comma and "and" (its verb finite, the clause to the end)
_LAST_CLAUSE_SUBJECT = re.compile(
    rf",\s+(?:and|but|so)\s+(?:then\s+)?(?P<who>{NAME})\s+(?:\w+ly\s+)?(?:[a-z]+s|[a-z]{{2,}}ed)\b[^,;:—–]*$"
)


# A question or demand in the sentence before a line: the line that follows answers it
_ASKING = re.compile(
    r"\b(?:asks|asked|demands|demanded|wonders|wondered|presses|pressed|queries|queried|wants? to know|"
    r"wanted to know)\b(?!\s+(?:for|to|about)\b)"
)


_SUBORDINATOR = re.compile(
    r"\b(?:[Ww]hen|[Aa]s|[Aa]fter|[Ww]hile|[Bb]ecause|[Ii]f|[Oo]nce|[Uu]ntil|we|I|you)\s"
)


def _opens_with_question(quote: str) -> bool:
    """Whether the quote's first sentence is a question (``“Why? Because…”``), not an answer that asks
    something later (``“It means no ghee. Which will be harder?”``)."""
    first = _SENTENCE_BREAKS.search(quote)
    return quote[: first.end()].rstrip().endswith("?") if first else quote.rstrip().endswith("?")


def _asks_in_main_clause(sentence: str) -> bool:
    """Whether the sentence's own subject asks or demands something (``Brandt asks why.``), not a clause
    inside it (``When Vasquez asks him…, he smiles.``, ``Bannon laughed when we asked…``)."""
    asking = _ASKING.search(sentence)
    return asking is not None and not _SUBORDINATOR.search(sentence, 0, asking.start())


# A subject doing something to a pronoun's person: "Gaby asks him", "Osei handed her" (him is not Gaby)
_ACTS_ON_PRONOUN = re.compile(rf"(?P<who>{NAME})\s+(?:\w+ly\s+)?[a-z]+(?:s|ed)\s+(?P<object>him|her)\b")


# What follows "her" as an object, not a possessive ("finds her on the bank", "hands her a cup"; not "finishes
# her tea")
_HER_AS_OBJECT = re.compile(
    r"(?=\s*(?:[.,;:!?)—–]|$))|\s+(?:a|an|the|another|some|his|their|that|this|to|in|on|at|with|off|up|down|"
    r"out|back|away|over|into|from|for|and|but|as|about|again|too|by|near|once|twice)\b"
)


def acting_on(sentence: str, pronoun: str) -> frozenset[str]:
    """The names in ``sentence`` that do something to an object pronoun of ``pronoun``'s gender (``Thirza
    finds him``, ``Ray hands her a cup``): none of them is that pronoun's person (issue 15, session 12)."""
    wanted = "him" if pronoun.lower() == "he" else "her"
    return frozenset(
        match.group("who")
        for match in _ACTS_ON_PRONOUN.finditer(sentence)
        if match.group("object") == wanted
        and (wanted == "him" or _HER_AS_OBJECT.match(sentence, match.end()))
    )


# What opens a sentence before its subject: a place or time ("In the dressing room, "), a label ("Clip: ")
_OPENING_PHRASE = re.compile(
    r"(?:(?:In|At|On|Inside|Outside|Back|Later|Meanwhile|Afterwards|Upstairs|Downstairs|Elsewhere|Then|Now|"
    r"Next|Finally|Eventually|Soon|Over|Under|Across|Through|Around|Behind|Beyond|During|Along|"
    r"Down|Up|Off|Near|Beside|Among|Amid|Onboard|Aboard|From|Before|Afterward)\b[^,.!?“”\"]{0,40},\s+"
    r"|[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,2}:\s+)(?=[A-Z]|(?:the|his|her|their)\s+[a-z][a-z’' -]{0,30},\s+[A-Z])"
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


# A sentence whose subject takes in words from elsewhere, so the line after it is not theirs: a call or a
# message received ("gets a phone call from his sister", "receives a text"), a set or a device that talks
# ("turns on the radio", "the telly", "the tannoy"), a printed slip or banner ("his fortune cookie")
_WORDS_FROM_ELSEWHERE = re.compile(
    r"\b(?:gets|got|receives|received|takes|took|answers|answered)\s+(?:an?|another|one|the)\s+(?:[a-z-]+\s+){0,2}"
    r"(?:call|calls|text|message|letter|note|e-?mail|voicemail|telegram|postcard)\b"
    r"|\b(?:the|a|an|his|her|their|its)\s+(?:[a-z-]+\s+)?(?:radio|telly|TV|television|tannoy|intercom|loudspeaker|"
    r"PA|voicemail|answering machine|newsreader|fortune cookie|banner|headline)s?\b"
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


# A noun phrase right before a speech verb's participle: "a handbill announcing", "the sign reading"
# (not a preposition before it: "opens the episode by informing her staff" is Cressida's)
_NOUN_BEFORE_PARTICIPLE = re.compile(
    r"\b(?:a|an|the|this|that|its|his|her|their)\s+(?:[a-z-]+\s+)?"
    r"(?!(?:by|with|while|after|before|for|from|of|in|on|at|without|when|then|and|or|but)\s)[a-z-]+\s+$"
)


# A finite verb or a preposition right before a name: the name is its object, not a later verb's subject
# ("He stops Ray for speeding and tells him", "Detective Kane on Blue Harbour looking at a corpse and saying")
# (issue 15, red team 2)
_OBJECT_SLOT = re.compile(
    r"\b(?:(?!(?:is|was|has|does|as|his|its|this|thus|plus|yes|us|perhaps|always|besides|unless|afterwards|"
    r"towards|whereas|sometimes|news|less|across|meanwhile|indeed|instead|called|named|nicknamed|dubbed|"
    r"christened|renamed)\s)[a-z]{2,}(?:s|ed)|on|in|at|from|of|with|to|for|about|into|onto|behind|beside|"
    r"under|over|near|against|toward|towards)\s+$"
)


def _inside_name(text: str, start: int, end: int) -> bool:
    """Whether the name at ``text[start:end]`` is the end of a longer one that starts a word before it
    (``Harbour`` of ``Blue Harbour``, ``Kane`` of ``Detective Kane``; not ``Kane`` after ``Then``)."""
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    if before is None:
        return False
    longer = _NAME_RE.match(text, before.start())
    return longer is not None and longer.end() >= end


_WORD_BEFORE = re.compile(r"[A-Z][\w’'.-]*\s+$")
_NAME_RE = re.compile(NAME)


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


def _named(who: str, context: SpeakerContext, at_sentence_start: bool = False) -> str | None:
    """``who`` as a speaker when it names a person the page knows (not a word starting a sentence, unless
    ``at_sentence_start`` says the name opens one)."""
    if (
        _is_name(who, context.known_first_names, at_sentence_start=at_sentence_start)
        and who.casefold() not in context.excluded
        and context.cast.is_person(who)
    ):
        return who
    return None


# A subject with two verbs, the second one speech: "Oksana corners the new administrator, a smarmy guy
# named Pruitt, and asks him point blank, “…”" (Oksana asks). Both verbs finite and in one tense.
# The subject may stand in apposition to a description ("Their mother, Lady Constance, takes …") and have an
# aside between commas before its first verb ("Paloma, watching from the front row, just nods and says"; lower
# case: no other subject there). Not after a connective ("Then Lisle …"): see docs/speakers.md.
_COORDINATED = re.compile(
    r"(?:^|[.!?…;:]\s+(?:(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir)\s+"
    r"[a-z][a-z’' -]{0,30},\s+(?=[A-Z][a-z]+[^,]*,))?|\b(?:where|when|then|which|whom)\s+)"
    rf"(?P<who>{NAME}|He|She)(?P<aside>,\s+[a-z][^.!?;:“”\"()]{{0,80}}?,)?\s+(?:\w+ly\s+|just\s+)?"
    r"(?P<first>[a-z]{3,}(?:s|ed))\b"
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


def _weak_rules(before: str, after: str, quote: str, context: SpeakerContext) -> tuple[str | None, str]:
    """Intros the older rules do not read: a subject a few words before its speech verb, ``goes``, a
    quote in brackets after its subject, a possessive or "her" before a line said. The speaker and the name
    of the rule that found them."""
    match = _BEFORE_AUX.search(before, _clause_start(before))
    while match is not None:
        later = _BEFORE_AUX.search(before, match.start("who") + 1)
        while later is not None and _inside_name(before, later.start("who"), later.end("who")):
            later = _BEFORE_AUX.search(before, later.start("who") + 1)  # ("Blue Harbour": not "Harbour")
        if later is None:
            break
        match = later
    if (
        match
        and match.group("aux").split()[0] not in ("and", "or")
        and match.group("verb") not in _NAMING_VERBS
        and not _NEW_SUBJECT_IN_TAIL.search(match.group("tail"))
        and not match.group("who").endswith(_POSSESSIVE_ENDINGS)  # "Vera’s mother tells her"
        # ("Pell produces a handbill announcing that “…”": the participle's subject is the thing before it)
        # ("Theo claims the solicitor told him, “…”": the noun right before a finite verb is its subject)
        and not _NOUN_BEFORE_PARTICIPLE.search(match.group("aux"))
        and not _AS_CLAUSE.search(match.group("aux"))  # ("Ingrid says her grandmother used to say,")
        # ("He stops Ray for speeding and tells him that …": the name right after a verb is its object)
        and not _OBJECT_SLOT.search(before, max(0, match.start("who") - 24), match.start("who"))
    ):
        verb = match.group("verb")
        if verb not in _BARE_VERBS or match.group("aux").rstrip().endswith(" to"):
            who = match.group("who")
            tail_names = frozenset(context.names_in(match.group("tail")))
            if _PRONOUN_RE.fullmatch(who):
                if not someone_unnamed_since(before, context, who):
                    return context.resolve_speaker(who, avoid=tail_names), "before_aux_pronoun"
                return None, ""
            return _named(who, context), "before_aux"
    if " and " in before and (before.rstrip()[-1:] in ",:" or _last_word(before) in _TAG_LAST_WORDS):
        match = _coordinated(before)
        if match and match.group("who") in ("He", "She"):  # "She takes one look at the wand and sighs:"
            if someone_unnamed_since(before, context, match.group("who")) or someone_unnamed_since(
                before[: match.start("who")], context, match.group("who")
            ):
                # ("… meets Theo’s mother. She takes one look at Ingrid and says,": who "she" may be is
                # settled before her sentence, not by whom she looks at)
                return None, ""
            told = frozenset(context.names_in(match.group("middle")))
            return context.resolve_speaker(match.group("who"), avoid=told), "coordinated_pronoun"
        if match:
            return _named(match.group("who"), context), "coordinated"
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
            if someone_unnamed_since(before, context, who):
                return None, ""
            return context.resolve_speaker(who), "goes_pronoun"
        return _named(who, context), "goes"
    tail = before[-80:]
    participle = _PARTICIPLE_TAG.search(tail) if "ing" in tail and tail.rstrip()[-1:] in ",:" else None
    if participle:  # "…, dog under one arm, declaring to the assembled guests, “…”"
        return _participle_speaker(
            before[: len(before) - len(tail) + participle.start()], context
        ), "participle"
    if before.rstrip().endswith("(") and re.search(r"[.!?…]$", quote):
        match = _PAREN_SUBJECT.search(before)
        if match:
            who = match.group("who")
            if who in ("He", "She"):
                return context.resolve_speaker(who), "paren_pronoun"
            return _named(who, context), "paren"
    if _PREDICATE_AFTER.match(after) and not _names_a_work(before, quote):
        match = _BARE_POSSESSIVE.search(before) if _has_possessive(before) else None
        if match:
            who = match.group("who")
            named = who if _is_name(who, context.known_first_names, False) and _strip_ranks(who) else None
            return named, "possessive_said"
        match = _PRONOUN_POSSESSIVE.search(before)
        if match and not someone_unnamed_since(before, context):
            pronoun = "he" if match.group("who").lower() == "his" else "she"
            return context.resolve_speaker(pronoun, reaction=True), "pronoun_possessive_said"
    return None, ""


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


# A clause of its own after a speech verb's object: "…, and he just goes", "… and his", "… but her"
_NEW_SUBJECT_IN_TAIL = re.compile(
    r"\b(?:and|but|so|while|then|until)\s+(?:(?:he|she|they|his|their|I|we|my|our)\b|her\s*$)"
    # a clause of its own after a semicolon: "Teddy insists he knows the way; Liesl points out that it is"
    r"|;\s+(?:[A-Z][\w’'-]*|he|she|they)\s"
    r"|\b(?:when|while|as|after|before|until|because|if|once|whereas)\s+(?:the|a|an|his|her|their|he|she|they)\b"
    # another speech verb, whose subject comes later: "…says nothing when the general reports"
    rf"|\s(?:{_VERBS})\b"
    # someone's line after the speech verb's clause: "Peter asks her what they will do, her answer —",
    # "when she radios it in, the dispatcher’s weary response —"
    # ("we don’t hear what she says, only his answer:", heldout15)
    rf"|,\s+(?:and\s+|but\s+)?(?:(?:only|just|then)\s+)?(?:his|her|their|(?:the|a|an)\s+[a-z-]+[’']s)\s+"
    rf"(?:[a-z-]+\s+){{0,2}}"
    rf"{_SPEECH_NOUNS}\b"
    # another subject's clause: "Joel asks Marta to stay and Marta is like,"
    rf"|\b(?:and|but|so|then|until|while)\s+(?:then\s+)?{NAME}\s+(?:\w+ly\s+)?(?:[a-z]+s|is|was|goes|went)\b"
)

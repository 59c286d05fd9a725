"""Who says each quote: ``attribute_speakers`` and its rules (listed with examples in docs/speakers.md)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

from ..models import Quote
from ._name_genders import FEMALE_FIRST_NAMES, MALE_FIRST_NAMES
from .exchanges import _addressee, _exchange, called_in
from .names import (
    _FUNCTION_WORDS,
    _PERSON_TITLES,
    _PLACE_BEFORE,
    _PRONOUN_GENDER,
    NAME,
    _census_says_other,
    _first_name,
    _is_name,
    _words,
    mask_descriptions,
)
from .quote_spans import QuoteSpan
from .speaker_context import _ADVERB, _SENTENCE_BREAKS, _SENTENCE_GAPS, _VERBS, SpeakerContext
from .speech_tags import (
    _AFTER_NAME_VERB,
    _AFTER_VERB_NAME,
    _BEFORE,
    _BOUNDARY,
    _FROM_NAME,
    _LATER_CLAUSE_SUBJECT,
    _NEW_SUBJECT_IN_TAIL,
    _NOT_AFTER_TITLE,
    _PERCEIVED,
    _POSSESSIVE_ENDINGS,
    _PRONOUN_LINE,
    _PRONOUN_LINE_REACH,
    _PRONOUN_RE,
    _SENTENCE_END,
    _SPEECH_NOUN_AFTER,
    _SPEECH_NOUNS,
    _UNNAMED_PERSON,
    _WRITTEN_THING_AFTER,
    _clause_start,
    _has_possessive,
    _introduced_by,
    _last_sentence,
    _named,
    _speaker_from,
    _standalone,
    _strip_title,
    _tag_after,
    _tag_end,
    _title_like,
    _weak_rules,
    acting_on,
    someone_unnamed_since,
)

_POSSESSIVE_LINE_ANYWHERE = re.compile(rf"(?P<who>{NAME})[’']s\s+(?:\w+\s+){{0,3}}{_SPEECH_NOUNS}\b")


_SENTENCE_GAP = re.compile(r"(?<=[.!?…])\s")


# A speech tag whose speaker is no name: "says the Doctor", "the guard snaps", "a voice calls out"
_UNNAMED_TAG = re.compile(
    rf"\s*[,—–-]?\s*(?:(?:{_VERBS})\s+(?:the|a|an|his|her|their|one|some)\b"
    r"|(?:they|we|you|everyone|everybody|someone|somebody|nobody|all)\s+(?:\w+ly\s+)?[a-z]+\b"
    # the writer: "“Why?” I hear you ask", "“Fine,” I yelled at the screen"
    rf"|I\s+(?:\w+ly\s+|(?:can\s+)?hear\s+you\s+|might\s+)?(?:{_VERBS}|ask|say|yell|scream|shout)\b"
    # "one of the contestants shouted", "another fan wrote", "some viewers asked"
    r"|(?:one|some|several|many|most|each|another|none|both|half|two|three)\s+(?:of\s+)?(?:[\w’'-]+\s+){0,3}"
    rf"{_ADVERB}(?:{_VERBS})\b"
    rf"|(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[\w’'-]+\s+){{1,2}}{_ADVERB}(?:{_VERBS})\b"
    # "Theo’s mother tells him": someone the page names only by whose they are
    rf"|{NAME}[’']s\s+(?:[a-z][\w’'-]*\s+){{1,2}}{_ADVERB}(?:{_VERBS})\b"
    # "Ingrid hears Theo say", "she overhears him mutter": the one heard speaks, not the subject
    r"|(?:[\w’'-]+\s+){1,3}?(?:hears|heard|overhears|overheard)\s+(?:[\w’'-]+\s+){1,3}?"
    r"(?:say|ask|tell|mutter|whisper|shout|yell|call|scream|mumble|sing)\b)"
)


# A tag whose subject is a role, "says the mayor", "the mayor says": the role one named person has for a
# title ("Mayor Gord Halloran") is that person
_ROLE_TAG = re.compile(
    rf"\s*[,—–-]?\s*(?:(?:{_VERBS})\s+the\s+(?P<role>[a-z]+)\b(?!\s+(?:of|at|in|from|for|on)\b)"
    rf"|the\s+(?P<subject>[a-z]+)\s+{_ADVERB}(?:{_VERBS})\b)"
)


def _role_tag(after: str, context: SpeakerContext) -> tuple[str | None, int]:
    """The speaker of a tag whose subject is a role (see ``_ROLE_TAG``) and where the tag ends."""
    match = _ROLE_TAG.match(after)
    if match is None:
        return None, 0
    role = (match.group("role") or match.group("subject")).capitalize()
    if role not in _PERSON_TITLES:
        return None, 0
    holder = context.titled_by(role)
    return (holder, _tag_end(after, match.end())) if holder else (None, 0)


# A role before a name in a label: "First mate Tobiah Grell, this week:" (a noun: not "Vivian to Teddy:",
# not "Jules defends Sela:", not a speech verb: "Adeyemi told Screen Quarterly that…:" is Adeyemi's; not a
# participle: "Gus confronting Kell:" is Gus's, issue 15, session 12)
# (not "Every time"/"Each time": "Every time Tommy scores: “…”" is a clause about Tommy, the line another's)
_ROLE = (
    rf"[A-Z][a-z]+\s+(?!(?:to|and|or|with|from|at|on|in|for|of|by|as|than|then|is|was|time|{_VERBS})\b)"
    r"[a-z]+(?<![^s]s)(?<!ed)(?<!ing)\s+"
)


# "Crane to the bishop: “…”", "<b>Maelis:</b> “…”", "Her partner Omar, deadpan: “…”", "Lena (guest): “…”"
_LABEL = re.compile(
    rf"{_BOUNDARY}(?:(?:[Hh]is|[Hh]er|[Tt]heir|[Tt]he)\s+[a-z]+\s+|{_ROLE})?(?P<who>{NAME})(?:\s*\([^()]{{1,30}}\))?"
    rf"(?:,\s*[^.!?:“”\"„]{{1,60}}|\s+[a-z][^.!?:“”\"„]{{0,80}})?:\s*$"
)


# "“…” — Captain Juno Arkwright", "“…” — Pell, to Juno"; two names: "— Mara and Teo" (an exchange, in order)
_DASH_AFTER = re.compile(rf"\s*(?:[—–―]|--?(?=\s))\s*(?P<who>{NAME})\s*(?:$|[,(]|to\s|in\s|on\s)")


_DASH_LABEL = re.compile(rf"(?:^\s*|{_NOT_AFTER_TITLE}[.!?…][”\"’“]?\s+)(?P<who>{NAME})\s*[—–]\s*$")


# "Tanya from Tulsa writes": the name before "from" is the subject; "the man from Tulsa" has none
# (and any name after a preposition: "The caption under Chip reads “…”" is the caption's, not Chip's)
_PLACE_OF_SUBJECT = re.compile(
    rf"(?:(?P<who>{NAME})\s+)?\b(?:from|of|in|at|near|under|beneath|below|above|over|behind|beside|about|"
    r"for|on|onto|into|toward|towards|against|across)\s+$"
)


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
    match = _BEFORE.search(before, _clause_start(before))
    while match is not None:
        later = _BEFORE.search(before, match.end("who"))
        if later is None:
            break
        if later.start("verb") == match.start("verb"):
            # "Harriet Osei, writing in The Meridian Review, called it “…”": a name inside the subject's
            # appositive, right before the same verb, is not its subject
            later = _BEFORE.search(before, later.end("verb"))
            if later is None:
                break
        match = later
    if match is not None and _NEW_SUBJECT_IN_TAIL.search(match.group("tail")):
        return None  # "Sookie tells Jackson the news, and his “…”": the quote is in a clause of its own
    if match is not None and match.group("who").endswith(_POSSESSIVE_ENDINGS):
        return None  # "a voice that may be Edmund’s shouts, “…”": a possessive is no subject
    if (
        match is not None
        and "," in before[match.end("who") : match.start("verb")]
        and _RELATIVE_CLAUSE_BEFORE.search(before, max(0, match.start("who") - 80), match.start("who"))
    ):
        return None  # "Fenwick, whose character has been seeing Gaz, admitted": Gaz ends the relative clause
    return match


# A relative clause running up to a name ("…, whose character Shelley has been seeing "): the name is in it
_RELATIVE_CLAUSE_BEFORE = re.compile(r",\s+(?:who|whose|whom|which)\b[^,.!?;:“”\"]*$")


# A live blog's time stamp before an entry ("9:14pm — ", "[20:02] ", "21.40: "): no part of its first sentence
_TIMESTAMP = re.compile(
    r"\s*[\[(]?(?:\d{1,2}(?:[:.]\d{2}){1,2}\s*(?:[AaPp]\.?[Mm]\.?)?|\d{1,2}\s*[AaPp]\.?[Mm]\.?|"
    r"(?:[Mm]inute|[Mm]in\.?)\s*\d{1,3}|\d{1,3}\s*(?:min(?:ute)?s?\.?|mins?\.?))"
    r"(?:[\])]\s*(?:[—–―|:-]\s*)?|\s*[—–―|:-]\s+|\s+(?=[A-Z“\"]))"
)


# A speech verb's agent right after it ("asked by Bram", "told flatly by her"): a passive, whose subject is
# the one spoken to
_PASSIVE_AGENT = re.compile(rf"\s*(?:[a-z]+ly\s+)?by\s+(?:{NAME}|him|her|them)\b")


_READING_VERBS = _words("reads read reading recites recited quotes quoted quoting plays played playing")


# What one reads out that someone else wrote or said: "a voicemail from a listener", "the letter"
_ANOTHERS_WORDS = re.compile(
    r"\b(?:from|by)\b|\b(?:letter|note|voicemail|email|e-mail|message|text|card|review|tweet|post|comment|"
    r"statement|sign|script|poem|passage|clip|recording|headline|question)s?\b"
)


# "from"/"by" where it tells of a source ("a letter from Nell", "from the radio:", "written by him:"), not of
# a place in a sentence that ends on its own ("Mr. Loomis presides from the head of the table."; heldout16)
_SOURCE_PREPOSITION = re.compile(r"\b(?:from|by)\s+(?:[A-Z]|(?:him|her|them|his|her|their|my|our)\b)")


def _anothers_words(sentence: str) -> bool:
    """Whether the sentence before a run of lines tells of someone else's words (a letter, a voice from
    somewhere): the lines after it may be those."""
    found = _ANOTHERS_WORDS.search(sentence.lower())
    if found is None:
        return False
    if found.group() not in ("from", "by") or sentence.rstrip()[-1:] in ":—–":
        return True
    return bool(_SOURCE_PREPOSITION.search(sentence)) or bool(
        _ANOTHERS_WORDS.search(sentence.lower(), found.end())
    )


# A message typed, not a line said: "Priya texts her friend Owen — “can u pull the logs”" (no one's line)
_TEXTING_VERBS = _words("texts texted texting")


# A channel for typed words: "a group chat", "the texts on screen", "an email", "a DM", "a tweet"
_WRITTEN_CHANNEL = re.compile(
    r"\b(?:group (?:chat|text)|chat log|texts?|text messages?|e-?mails?|DMs?|tweets?|Slack|WhatsApp)\b"
)


# A bare label in a run of labelled lines: "Anjali: ", "Tash, fifteen minutes later: " (then a line)
_BARE_LABEL = re.compile(rf"\s*{NAME}(?:,[^.!?:“”\"„_]{{1,40}})?:\s*")


# The rules that take a line's speaker from a name written before it, as typed lines are credited too
_TYPED_CREDIT_RULES = _words(
    "label label_mid tag_before tag_before_pronoun intro_before colon_intro colon_clause"
)


def _typed(text: str, spans: list[QuoteSpan], index: int) -> bool:
    """Whether the sentence that introduces the line ``spans[index]`` names a channel for typed words (``the
    first message in the group chat, from Anjali, is “…” followed by Tash replying “…”``): the names credit
    messages, not lines said. A sentence that opens with a label (``Anjali: “…” Kaylynn: “…”``) takes in the
    sentence before it (``The group chat goes feral.``)."""
    if not _WRITTEN_CHANNEL.search(text, 0, spans[index].start):
        return False  # (most paragraphs: no such word before the line)
    pieces, cursor = [], 0
    for span in spans[:index]:  # the lines before, blanked: their full stops end no sentence of the text
        pieces += [text[cursor : span.start], "_" * (span.end - span.start)]
        cursor = span.end
    plain = "".join([*pieces, text[cursor : spans[index].start]])
    ends = [0, *(m.end() for m in re.finditer(r"[.!?…][”\"’]?\s+", plain))]
    sentence = plain[ends[-1] :]
    if _BARE_LABEL.match(sentence) and len(ends) > 1:
        sentence = plain[ends[-2] :]  # "The girls’ group chat goes feral. Anjali: “…”"
    return bool(_WRITTEN_CHANNEL.search(sentence))


# A speech verb before a line in words that say the line was not said (issue 15, red team): a negation
# ("doesn’t say", "never actually says"), a line wished, awaited or refused ("wants Ingrid to say", "waits
# for someone to ask", "refuses to say", "can’t bring herself to say", "wishes he had said", "almost says"),
# or a passive whose subject is the one told ("is told by the loans officer", "gets asked")
_SPEECH_BARE = (
    r"(?:say|says|said|ask|asks|asked|tell|tells|told|answer|answers|answered|reply|replies|replied|"
    r"admit|admits|admitted|utter|utters|uttered|mention|mentions|mentioned|whisper|whispers|shout|shouts|"
    r"yell|yells|speak|speaks)"
)
_UNSAID = re.compile(
    rf"(?:\b(?:never|not)|n[’']t)\s+(?:(?:even|actually|ever|once|quite|really|just|simply|\w+ly)\s+){{0,2}}"
    rf"{_SPEECH_BARE}\b"
    r"|\b(?:almost|nearly)\s+(?:says|said|asks|asked|tells|told)\b"
    r"|\b(?:refus(?:es|ed|ing|e)|fail(?:s|ed|ing)?|forg(?:ets|ot|etting|et)|bring\s+(?:him|her|them)sel(?:f|ves)|"
    r"wants?|wanted|wanting|wish(?:es|ed|ing)?|wait(?:s|ed|ing)?\s+for|expect(?:s|ed|ing)?)"
    rf"\s+(?:[\w’'.]+\s+){{0,3}}?to\s+(?:{_SPEECH_BARE}|hear\s+\w+\s+{_SPEECH_BARE})\b"
    rf"|\bwish(?:es|ed|ing)?\s+(?:he|she|they|I|we|you)\s+(?:had|could|would)\s+(?:have\s+)?{_SPEECH_BARE}\b"
    # someone told or asked to say it: "tells Theo to say", "begs her to say" (whether they do is not told)
    r"|\b(?:tells|told|asks|asked|begs|begged|urges|urged|orders|ordered|dares|dared|reminds|reminded|"
    r"persuades|persuaded|convinces|convinced|instructs|instructed|encourages|encouraged)"
    rf"\s+(?:[\w’'.]+\s+){{1,3}}?to\s+{_SPEECH_BARE}\b"
    r"|\b(?:is|was|are|were|gets|got|get|getting|being|been|be)\s+(?:\w+ly\s+)?(?:told|asked)\b"
    rf"|\b(?:should|could|would|might|must)(?:n[’']t)?\s+have\s+(?:\w+ly\s+)?{_SPEECH_BARE}\b"
    # a line only imagined (issue 15, red team 2): "If Maddox had simply said", "Imagine Dana saying",
    # "If Rosa says “jump,” Dana jumps", "What if Kenji just asked"
    r"|\b(?:[Ii]f|[Uu]nless|[Ii]magine|[Ss]uppose|[Pp]icture)\s+(?:only\s+)?(?:[\w’'.-]+\s+){1,3}?"
    r"(?:had\s+|were\s+to\s+|would\s+|could\s+|ever\s+)?(?:\w+ly\s+)?"
    rf"(?:{_SPEECH_BARE}|saying|asking|telling|answering|replying)\b"
)


# What may stand between such a speech verb and its line: an object, a few words, no new clause
_UNSAID_TAIL = re.compile(r"[^.!?“”\"—–;]{0,50}?[,:]?\s*$")
_NEW_CLAUSE_WORD = re.compile(
    r"\b(?:then|but|until|instead|finally|before|so|and|yet|though|only)\b|,\s+\w+ing\b"
)


# The rules that take a line's speaker from a speech verb written before it
_VERB_BEFORE_RULES = _words(
    "intro_before tag_before tag_before_pronoun tag_before_hint before_aux before_aux_pronoun infinitive "
    "coordinated coordinated_pronoun goes goes_pronoun participle"
)


# (those that read the speaker's name itself there: a pronoun's tag names its referent elsewhere, "Nobody
# believes Gary when he says “…”")
_NAMED_VERB_BEFORE_RULES = _VERB_BEFORE_RULES - _words(
    "tag_before_pronoun tag_before_hint before_aux_pronoun coordinated_pronoun goes_pronoun"
)


def _unsaid(before: str) -> bool:
    """Whether the speech verb just before a line says the line was not said by its subject (see
    ``_UNSAID``): ``Theo doesn’t say “I love you” back``, ``Ingrid refuses to say “sorry,”``, ``Theo is
    told, “No.”`` — the words are nobody's line, or the line of someone the sentence does not name as its
    subject."""
    sentence = _last_sentence(before)
    for found in _UNSAID.finditer(sentence):
        tail = sentence[found.end() :]
        if _UNSAID_TAIL.fullmatch(tail) and not _NEW_CLAUSE_WORD.search(tail):
            return True
    return False


# A hedge right before the name a speech verb's line is credited to: the writer is not sure who speaks
# ("what sounded very much like Gough shouting", "someone who looked like Dell says", "maybe Ray says",
# "I think it was Gough who", "it might have been Dell") (issue 15, red team 2)
_HEDGE_BEFORE = re.compile(
    r"\b(?:like|maybe|perhaps|probably|possibly|presumably|not|"
    r"(?:I|we)\s+(?:think|thought|guess|believe|assume|suspect)(?:\s+(?:it|that)\s+(?:was|is|[’']s))?|"
    r"(?:might|may|could|must)\s+(?:have\s+been|be))\s+$"
)
# ... or right after it: "Gough seems to say", "Tyreek allegedly called her", "(sounded like Dell?)"
_HEDGE_AFTER = re.compile(
    r"\s*\?|\s+(?:allegedly|supposedly|reportedly|purportedly)\b|\s+(?:seems|seemed|appears|appeared)\s+to\b"
)
# A verb of claiming or believing before the name: the line is only what someone else claims was said
# ("Rosa claims Kemal called her “…”", "last week we reported that Wade tells Dale “…”")
_CLAIMED_BEFORE = re.compile(
    r"\b(?:claims?|claimed|claiming|alleges?|alleged|alleging|insists?|insisted|swears?|swore|"
    r"reports?|reported|suggests?|suggested|implies|implied|thinks?|thought|believes?|believed|"
    r"suspects?|suspected|assumes?|assumed|imagines?|imagined|pretends?|pretended|according\s+to)"
    r"\s+(?:that\s+)?(?:[a-z]+\s+){0,2}$"
    r"|\b[Aa]ccording\s+to\s+[^,.;:!?“”\"]{1,40},\s*$"  # "According to Ingrid, Theo said “…”"
    # one telling what another said: "Gary tells Nadia that Dell said “…”"
    r"|\b(?:says|said|tells|told|explains|explained|reveals|revealed|admits|admitted|mentions|mentioned|"
    r"reminds|reminded|warns|warned|informs|informed|assures|assured|hears|heard|learns|learned|learnt)"
    r"\s+(?:[A-Za-z]+\s+)?that\s+$"
)


def _hedged_or_claimed(before: str, speaker: str) -> bool:
    """Whether the sentence before a line credits it to ``speaker`` only with a hedge (``what sounded like
    Gough shouting``, ``Tyreek allegedly called``) or inside what someone else claims (``Rosa claims Kemal
    called her``): a guess the writer makes, or reports, and no line the text gives to ``speaker``."""
    sentence = _last_sentence(before)
    last = speaker.split()[-1]
    at = sentence.rfind(last)
    if at < 0:
        return False
    start = sentence.rfind(speaker, 0, at + len(last))
    start = start if start >= 0 and start + len(speaker) == at + len(last) else at
    lead = sentence[max(0, start - 60) : start]
    return bool(
        _HEDGE_BEFORE.search(lead)
        or _CLAIMED_BEFORE.search(lead)
        or _HEDGE_AFTER.match(sentence, at + len(last))
    )


# Something written, named before "from" and the writer's name: "a text from Owen:", "A letter from Hank:"
_WRITTEN_FROM = re.compile(
    r"\b(?:texts?|text messages?|messages?|e-?mails?|letters?|notes?|cards?|postcards?|DMs?|tweets?|posts?|"
    r"voicemails?|telegrams?|memos?)\s+from\b"
)


# A determiner right before a line that is no sentence: the quote is a word in a noun phrase, the object of
# the verb before it ("explaining her “type”", "doing her “I’m just a sweet old lady” routine")
_DETERMINER_BEFORE = re.compile(
    r"(?:^|\s)(?:her|his|their|its|my|your|our|the|a|an|this|these|those|whose)\s+$"
    # a preposition after a noun: the quote names a thing ("reading out the budget line for “petty cash”",
    # "the memo about “synergy”"), no line said (issue 15, heldout15)
    r"|\s[a-z]{3,}\s+(?:for|of|about|on|labelled|labeled|titled|entitled|marked)\s+$"
)


def _split_by_its_tag(previous_line: str, before: str, context: SpeakerContext) -> bool:
    """Whether a line is the second half of one its tag splits (``“The meek shall inherit,” he tells the
    congregation, “but not yet.”``): the line before ends in a comma, and the text between is that tag alone
    (its subject the only name in it), one clause ending in a comma. The tag's speaker says both halves
    (issue 15, red team 2)."""
    if not (previous_line.endswith(",") and before.rstrip().endswith(",") and len(before) < 60):
        return False
    if len(previous_line.split()) < 2:
        return False  # ("“Birch,” he says, “the toast.”": a first half that only calls someone: left be)
    if _SENTENCE_GAP.search(before) or before.count(",") > 2:
        return False
    tag = _AFTER_NAME_VERB.match(before) or _AFTER_VERB_NAME.match(before)
    if tag is None:
        return False
    named = set(context.names_in(before))
    return named <= {tag.group("who"), tag.groupdict().get("object")}  # (and whom: "he tells Hester,")


def _last_subject_pronoun(text: str) -> str | None:
    """The last "he", "she" or "they" in ``text`` (the subject of the tag nearest the line), or None."""
    found = _SUBJECT_PRONOUN.findall(text)
    return found[-1] if found else None


# A subject leaving the scene (not "leaves a note", not "slams her hand down"): "Theo storms out."
_LEAVES = re.compile(
    r"\b(?:leaves|left)(?=\s*(?:[.,;!]|$|\s+(?:the\s+(?:room|house|table|building|party|pub|bar|office|flat|"
    r"car|kitchen|scene|station|church|hospital)|home|town|for|without|in\s+a\s+huff|with)\b))"
    r"|\b(?:exits|exited|walks\s+(?:out|off|away)|walked\s+(?:out|off|away)|storms\s+(?:out|off)|"
    r"stormed\s+(?:out|off)|hangs\s+up|hung\s+up|slams\s+the\s+door|slammed\s+the\s+door|drives\s+off|"
    r"drove\s+off|disappears|disappeared|vanishes|vanished)\b"
)


# A fact found out about the subject, not a thing seen done ("Neil, it turns out, was skimming the till.",
# "Apparently Ruth knew all along."): the subject is told of, and the next line may be anyone's
_REVEALED = re.compile(
    r"(?:^|[\s,(—–])(?:it\s+turns\s+out|it\s+transpires|it\s+emerges|as\s+it\s+turns\s+out|we\s+learn|"
    r"we\s+find\s+out|we\s+discover|we[’']re\s+told|we\s+are\s+told|apparently)\b",
    re.IGNORECASE,
)


# The rules that take a line's speaker from the subject of the sentence before it
_SUBJECT_RULES = _words("subject later_subject main_clause appositive pronoun_subject")


# A sentence right after a line that opens with a name and its verb: "“Fair?” Dale laughs."
# (a sound that may carry a line, not a listener's silent nod or smile)
_NAME_ACTS_AFTER = re.compile(
    rf"\s*(?P<who>{NAME})\s+(?:[a-z]+ly\s+)?(?:laughs|scoffs|snorts|chuckles|sneers|snaps|spits|barks|growls|"
    r"hisses|sniffs|huffs|splutters|sputters|cackles|giggles|guffaws)(?=\s*(?:[.,;:!?—–]|$))"
)  # ("Moose actually laughs at that.": a reaction to the line)


def _someone_else_after(after: str, speaker: str, context: SpeakerContext) -> bool:
    """Whether the sentence right after a line opens with another person than ``speaker`` making a sound
    (``“Fair?” Dale laughs.``): whether that is the speaker laughing or a listener's reaction, a speaker
    guessed from the flow of the text (the sentence before the line) is no better than a guess
    (issue 15, red team 2)."""
    found = _NAME_ACTS_AFTER.match(after)
    if found is None:
        return False
    who = found.group("who")
    cast = context.cast
    return (
        _is_name(who, context.known_first_names, at_sentence_start=True)
        and cast.is_person(who)
        and cast.key(who) != cast.key(speaker)
    )


def _census_first_name(word: str) -> bool:
    return word in MALE_FIRST_NAMES or word in FEMALE_FIRST_NAMES


def _calls_first_name_unknown(quote: str, speaker: str, context: SpeakerContext) -> bool:
    """Whether ``quote`` calls someone by a one-word name the page uses only inside lines, while the page
    gives the guessed ``speaker`` no first name: the one called may be the speaker's own first name, the
    speaker the one spoken to (heldout15)."""
    called = _addressee(quote, context) if "," in quote else None
    if not called or " " in called or not _census_first_name(called):
        return False
    cast = context.cast
    key = cast.key(speaker)
    if not key or called == key or cast.counts.get(called, 0) != cast.quoted_counts.get(called, 0):
        return False
    return not _census_first_name(key) and not any(len(full) > 1 and full[-1] == key for full in cast.fulls)


def _names_in_line(speaker: str, quote: str, context: SpeakerContext) -> bool:
    """Whether a line names ``speaker`` after a courtesy title, a vocative or not: a speaker guessed from the
    text around the line is not one the line speaks of so (``“Is this Mr. Brack?”``)."""
    key = context.cast.key(speaker)
    return any(
        context.cast.key(name) == key
        for name in context.names_in(quote)
        if _COURTESY_TITLE.match(name) and context.cast.is_person(name)
    )


# A courtesy title before a name: how others speak of a person, not how they speak of themselves
_COURTESY_TITLE = re.compile(r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s")


# A subordinating word right before a speech verb's subject: "… when Ingrid", "… after Ingrid Maas"
_SUBORDINATOR_BEFORE = re.compile(
    r"\b(?:[Ww]hen|[Aa]fter|[Bb]efore|[Oo]nce|[Uu]ntil|[Ww]hile|[Aa]s|[Bb]ecause|[Ss]ince)\s+$"
)


def _said_in_subordinate(before: str, match: re.Match[str]) -> bool:
    """Whether the speech verb before a line is in a clause of time or cause and already has what was said
    (``Theo after Ingrid says no: “…”``, ``Theo’s face when Ingrid says she is leaving: “…”``): the colon
    gives the line of the sentence's own subject, whoever that is, not the clause's speaker."""
    return (
        before.rstrip().endswith(":")
        and bool(match.group("tail").strip(" ,:—–"))
        and bool(_SUBORDINATOR_BEFORE.search(before, max(0, match.start("who") - 12), match.start("who")))
    )


def _reads_another(match: re.Match[str], before: str = "") -> bool:
    """Whether a speech tag before a quote reads out somebody else's words (``Hana reads a voicemail from a
    listener:``, ``a line from his letter that Lionel read aloud:``) or types a message (``Priya texts Owen —
    “…”``): the quote is not the subject's line."""
    if match.group("verb") in _TEXTING_VERBS:
        return True
    if match.group("verb") not in _READING_VERBS:
        return False
    if _ANOTHERS_WORDS.search(match.group("tail")):
        return True
    start = match.start("who")
    # the thing read named before the reader, who is the subject of a clause about it (issue 15, red team 2)
    return bool(
        _RELATIVE_BEFORE.search(before, max(0, start - 12), start)
        and _ANOTHERS_WORDS.search(before, max(0, start - 60), start)
    )


_RELATIVE_BEFORE = re.compile(r"\b(?:that|which)\s+$")


# "what" right before a speech verb's subject, the clause the object of a verb of saying again ("I’ll say what
# Dara says:", "echoes what Theo told her:"): someone else repeats the name's line (issue 15, red team 2); not
# "what Marco called “…”", Marco's own word
_WHAT_BEFORE = re.compile(
    r"\b(?:say|says|said|repeat|repeats|repeated|echo|echoes|echoed|quote|quotes|quoted|parrot|parrots|"
    r"parroted)\s+(?:exactly\s+|just\s+|only\s+)?(?:what|whatever)\s+$"
)


def _repeats_what(before: str, start: int) -> bool:
    """Whether the speech verb's subject at ``before[start:]`` opens a "what" clause another verb of saying
    governs (``I’ll say what Dara says:``)."""
    return bool(_WHAT_BEFORE.search(before, max(0, start - 40), start))


# How strong the evidence of each rule is (docs/speakers.md, "Evidence"): ``named``, the text beside the line
# names its speaker (a label, a credit, a speech tag with a name, a cite); ``pronoun``, a tag's he or she
# resolved to the person last named; ``context``, the paragraph's flow (the previous sentence's subject, the
# same speaker going on, lines taking turns, a heading's line credited by the paragraph below).
NAMED_RULES = _words(
    "label label_mid dash_label dash_after credit_after intro_before tag_after tag_after_appositive "
    "tag_before possessive_line possessive from_name infinitive colon_intro colon_appositive colon_clause "
    "gets_line before_aux coordinated goes participle paren possessive_said identified cite"
)
PRONOUN_RULES = _words(
    "tag_after_pronoun tag_after_hint tag_after_role tag_before_pronoun tag_before_hint pronoun_line "
    "before_aux_pronoun coordinated_pronoun goes_pronoun paren_pronoun pronoun_possessive_said "
    "pronoun_subject pronoun_label"
)
CONTEXT_RULES = _words(
    "goes_on goes_on_tag_sentence goes_on_connective said_before main_clause later_subject subject "
    "appositive answer exchange_dash exchange_called exchange_anchored exchange_lead answer_to reply_to "
    "back_to asked_by heading_line turns silence_then paren_list"
)


# The rules that credit a line in brackets after its subject, and the lines listed after it in the bracket
_PAREN_RULES = _words("paren paren_pronoun paren_list")


# The rules whose speaker may anchor the turns of an exchange (``exchanges._order_by_anchor``): the text
# beside the line names them, by name or pronoun (not a guess from position: it would spread down the lines)
EXCHANGE_ANCHOR_RULES = NAMED_RULES | PRONOUN_RULES


def evidence_of(rule: str | None) -> str | None:
    """The evidence class (``named``, ``pronoun`` or ``context``) of the rule that named a speaker; a rule
    in no class counts as the weakest, ``context``."""
    if rule is None:
        return None
    if rule in NAMED_RULES:
        return "named"
    return "pronoun" if rule in PRONOUN_RULES else "context"


# A connective alone before a line, in a sentence of its own: "Nadia takes that in. Then: “…”", "Long pause.
# Finally: “…”": it names nobody, and the line is read as if it followed the sentence before (session 12)
_BARE_CONNECTIVE = re.compile(r"[.!?…][”\"’]?\s+(?P<word>(?:Then|Finally|Eventually|And then)):\s*$")


# A character of a sentence that starts no clause of another subject ("and the street", "but Marta")
_NO_CLAUSE = (
    r"(?:(?!\b(?:and|but|while|as|when|until)\s+(?:the|a|an|his|her|their|everyone|nobody|[A-Z]))[^.!?“”\"])"
)


# A sentence whose named subject holds back speech: "Vail just looks at her.", "Iggy sits down next to him
# without a word.", "Oskar, the caretaker, watches her for a while without saying anything, as is his way."
_SILENT_SUBJECT = re.compile(
    rf"(?:^\s*|[.!?…][”\"’]?\s+)(?:Then\s+|And\s+)?(?P<who>{NAME})(?:,\s+[^,.!?“”\"]{{1,60}},)?\s+"
    # (no clause of another subject before or after: "Marta finds Teo, and the street says nothing.")
    rf"(?:{_NO_CLAUSE}{{0,120}}\s)?(?:without\s+(?:a\s+word|saying\s+(?:anything|a\s+word)|speaking)"
    r"|says\s+nothing|(?:just|only)\s+(?:looks|stares|glares)\s+at\s+(?:him|her|them)\b)"
    rf"{_NO_CLAUSE}{{0,60}}[.!?…]\s*$"
)


def _silent_then(before: str, context: SpeakerContext) -> str | None:
    """The speaker of a line after ``Then:``, ``Finally:`` or ``Eventually:`` that follows a sentence whose
    named subject holds back speech (``without a word``, ``says nothing``, ``just looks at her``): the one
    who was silent speaks now (issue 15, session 13). Only a name opening that sentence, seen as a person, and
    no other name before the verb."""
    match = _SILENT_SUBJECT.search(before, max(0, len(before) - 260))
    if match is None:
        return None
    return _named(match.group("who"), context, at_sentence_start=True)


def attribute_speakers(text: str, spans: list[QuoteSpan], context: SpeakerContext) -> list[str | None]:
    """The speaker of each span in ``text`` (None where the text names nobody), each reported by the
    short name the page uses most for them (``attributions`` without the rules)."""
    return [speaker for speaker, _ in attributions(text, spans, context)]


def attributions(
    text: str, spans: list[QuoteSpan], context: SpeakerContext
) -> list[tuple[str | None, str | None]]:
    """The speaker of each span in ``text`` and the name of the rule that gave it (both None where the
    text names nobody; the rules are listed in docs/speakers.md). Where ``context.trace`` is a list, the
    rule names are appended to it too."""
    speakers: list[str | None] = []
    rules: list[str | None] = []
    # "the Duchess" reads as a name, "Thè Duchess" (of the same length: the spans stand)
    text = mask_descriptions(text, context.described)
    stamp = _TIMESTAMP.match(text)
    cursor = stamp.end() if stamp and stamp.end() <= spans[0].start else 0
    previous: str | None = None
    # the previous quote, the intro before it and the text after it (for whom it speaks to: ``_addressed``)
    previous_quote: tuple[str, re.Match[str] | None, str] = ("", None, "")
    previous_tag_names: set[str] = set()
    previous_tag_end = -1  # where the previous quote's own tag ends in the text after it (-1: no tag)
    previous_before = ""  # the text before the previous quote
    previous_block = context.previous_block() if context.ranker_log is not None else ""
    context.block_start = len(context._mentions)
    for index, span in enumerate(spans):
        before = text[cursor : span.start]
        context.see(before)
        bare = (
            _BARE_CONNECTIVE.search(before, max(0, len(before) - 24))
            if before.endswith((": ", ":"))
            else None
        )
        if bare:
            before = before[: bare.start("word")]  # "Nadia takes that in. Then: “…”": as if the line followed
        after = text[span.end : spans[index + 1].start if index + 1 < len(spans) else len(text)]
        whole = bool(re.search(r"[.!?…]$", span.text))
        tag_end = -1
        switched = (
            _PRONOUN_GENDER.get(pronoun.group(1).lower())
            if previous and (pronoun := _TAG_PRONOUN.match(before))
            else None
        )
        speaker, rule = _label_or_dash(before, after, context)
        quoting = rule == "label" and _quoting_another(before, span.text)
        if quoting:
            speaker, rule = None, ""  # "Theo quotes his grandmother: “…”": someone else's words
        if (
            speaker is None
            and not rule
            and before.endswith(": ")
            and (said := _pronoun_label(before, context, previous))
        ):
            speaker, rule = said
        if (
            speaker is None
            and whole
            and (not before.strip() or (not index and _SHORT_LABEL.fullmatch(before)))
        ):
            speaker, rule = _credit_after(after, context), "credit_after"  # "“…” Ingrid Sorensen, Tidewater"
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
        reading = quoting or bool(
            before_match
            and (
                _reads_another(before_match, before)
                or _said_in_subordinate(before, before_match)
                # "Raman: I’ll say what Dara says: “…”": someone else repeating what the name says
                or _repeats_what(before, before_match.start("who"))
            )
        )
        if before_who is None or reading:
            before_match = None  # ("Hana reads a voicemail from a listener:": the listener's words)
        elif before_match and _PASSIVE_AGENT.match(before_match.group("tail")):
            # "Oriel, asked directly by Bram whether the queen is “…”": the subject is the one asked; the
            # line is the asker's words or the answer to them (heldout16)
            before_match = None
        if (
            before_match
            and before_who is not None
            and not _PRONOUN_RE.fullmatch(before_who)
            and re.search(r"[,:]\s*$", before)
        ):
            # "Okwu asks, “…”" introduces this quote; a tag after it may belong to the next one.
            speaker = _speaker_from(before_who, before_match.group("verb"), context, previous)
            rule = "intro_before"
        tagged = reading or rule in ("transcript", "pronoun_label")
        if speaker is None:
            runs_on = index + 1 < len(spans)
            called = _addressee(span.text, context) if "," in span.text else None
            speaker, end, rule = _tag_after(
                after, context, previous, hint, before, whole, switched, runs_on, called
            )
            if end:
                tag_end, tagged = end, True
            elif (unnamed_tag := _UNNAMED_TAG.match(after)) and (
                not whole
                or unnamed_tag.group().lstrip(" ,—–-")[:1].islower()
                or unnamed_tag.group().lstrip(" ,—–-").startswith("I ")  # "“Why?” I hear you ask."
            ):
                tagged = True  # "“Run,” says the Doctor": a speaker the page does not name
                speaker, end = _role_tag(after, context)
                if speaker:  # "“…,” says the mayor": the one person the page calls "Mayor"
                    rule, tag_end = "tag_after_role", end
        if speaker is None and before_match and before_who is not None:
            who = before_who
            unnamed = bool(_PRONOUN_RE.fullmatch(who)) and (
                someone_unnamed_since(before, context, who)
                or someone_unnamed_since(before[: before_match.start("who")], context, who)
            )
            if _PRONOUN_RE.fullmatch(who) and (hint or unnamed):
                speaker, rule = (hint if not unnamed else None), "tag_before_hint"
            else:
                told = frozenset(context.names_in(before_match.group("tail")))
                if _PRONOUN_RE.fullmatch(who):
                    # "When Thirza finds him on the bank, he tells her, “…”": not Thirza (session 12)
                    told |= acting_on(_last_sentence(before), who)
                speaker = _speaker_from(who, before_match.group("verb"), context, previous, told)
                rule = "tag_before_pronoun" if _PRONOUN_RE.fullmatch(who) else "tag_before"
        if speaker is None and not reading:
            speaker, rule = _introduced_by(before, context, previous, span.text)
            # ("Her reply — ‘…’" whose "her" resolves to nobody: the line is hers, so no guess from position)
            tagged = tagged or rule == "pronoun_line"
        if speaker is None and not tagged:
            speaker, rule = _weak_rules(before, after, span.text, context)
        if (
            speaker is None
            and not tagged
            and whole
            and previous
            and rules[-1] in _PAREN_RULES
            and not before.strip()
        ):
            # "Kwame takes four straight (“Tungsten.” “Argon.” “Bismuth.”)": the subject's lines, listed in
            # the bracket the first one opened
            speaker, rule = previous, "paren_list"
        if (
            speaker is None
            and not tagged
            and previous
            and not previous_quote[0].endswith("?")  # an untagged line after a question answers it
            and (
                going_on := _goes_on(
                    before, previous_tag_end, context, previous_tag_names, context.cast.key(previous)
                )
            )
        ):
            others = {n for n in context.names_in(before) if _first_name(n) not in previous_tag_names}
            if not others and not (going_on == "goes_on" and _answered_at_once(text, spans, index)):
                speaker, rule = previous, going_on  # the same speaker's line goes on after the tag
        if speaker is None and not tagged and not _only_tag_sentence(before, previous_tag_end):
            speaker, rule = _standalone(before, span.text, context, previous)
            if speaker and rule == "subject" and _asked_someone_else(previous_quote, speaker, context):
                speaker = None  # "“Where’s the key?” Ingrid asks Theo. Paloma walks in. “What key?”": a guess
            if speaker and _answers_called(previous_quote[0], before, speaker, context):
                speaker = None  # "“…, Danny.” Danny looks at Landry. Landry looks away. “…”": Danny's reply
            if speaker and _spoken_of(previous_quote[0], before, speaker, context):
                speaker = None  # "“…and Dele is sulking.” Dele snorts. “…”": the one spoken of reacts
            if speaker and _does_as_told(previous_quote[0], before, span.text):
                speaker = None  # "“Higher.” Nell lifts it higher. “Higher.”": the one told, doing it
        if speaker is None and not tagged and bare and (silent := _silent_then(before, context)):
            speaker, rule = silent, "silence_then"  # "Vail just looks at her. Then: “…”": silence broken
        if speaker is None and not tagged:
            # "“…” It is the skipper, Rory Maddox."
            speaker, rule = _identified(before, after, span.text, context, index > 0), "identified"
        if speaker and context.cast.key(speaker) in called_in(span.text, context):
            speaker = None  # nobody calls themselves by name
        if speaker and rule in CONTEXT_RULES and _names_in_line(speaker, span.text, context):
            speaker = None  # "Theo picks up the phone. “Is this Mr. Brack?”": a guess the line itself belies
        if speaker and rule in CONTEXT_RULES and _calls_first_name_unknown(span.text, speaker, context):
            speaker = None  # "Aldous wants the truth. “Pick one, Ruth.”": Ruth may be Aldous, spoken to
        if speaker and rule in _SUBJECT_RULES and _LEAVES.search(_last_sentence(before)):
            speaker = None  # "Theo storms out. “Good riddance.”": whoever says it, not the one who left
        if speaker and rule in _SUBJECT_RULES and _REVEALED.search(_last_sentence(before)):
            speaker = None  # "Neil, it turns out, was skimming. “I knew.”": told of, not seen acting
        if speaker and rule in CONTEXT_RULES and whole and _someone_else_after(after, speaker, context):
            speaker = None  # "Wade insists he paid fair. “Fair?” Dale laughs.": Dale's line, or a guess
        if speaker is None and not tagged and previous:
            addressed = _addressed(*previous_quote, context)
            speaker, rule = _answer(span.text, before, previous, addressed, context), "answer"
        if speaker and rule in _VERB_BEFORE_RULES and _unsaid(before):
            speaker, tagged = None, True  # "Theo never actually says “I’m sorry,”": no line said
        if speaker and rule in _NAMED_VERB_BEFORE_RULES and _hedged_or_claimed(before, speaker):
            speaker, tagged = None, True  # "sounded like Gough shouting “…”", "Rosa claims Kemal said “…”"
        if speaker and rule in _VERB_BEFORE_RULES and not whole and _DETERMINER_BEFORE.search(before):
            speaker, tagged = None, True  # "Brandi is explaining her “type” to Saoirse": a word, in a phrase
        if speaker and not whole and _in_title_slot(before, span.text):
            speaker = None  # "In “Easements,” Harriet says goodbye": a title, and a sentence about it
        typed_by = None
        if speaker and rule in _TYPED_CREDIT_RULES and _typed(text, spans, index):
            # "The group chat goes feral. Anjali: “a VET??”": a message typed (its writer still the one the
            # text spoke of last)
            typed_by, speaker, tagged = speaker, None, True
        if speaker and _numbered_title(before, span.text):
            speaker = None  # "Power Rankings, Week 5: “Bilge.”": the episode's title
        if speaker and _title_like(span.text) and _performed(before, after):
            speaker = None  # "Mara singing “Hallelujah”": a song's title, not her line
        if speaker and rule not in _RULES_BESIDE_LINE and _titled_words(span.text):
            speaker = None  # "the bank’s sign — “Growing Together Since 1911” —": a title, a sign, a slogan
        if (
            speaker
            and previous
            and context.cast.key(speaker) == context.cast.key(previous)
            and not _split_by_its_tag(previous_quote[0], before, context)
        ):
            addressed = _addressed(*previous_quote, context)
            speaker = _unless_addressed(speaker, before, after if tagged else "", addressed, context)
        if (
            speaker
            and previous is None
            and rule in PRONOUN_RULES
            and index
            and (called := _addressee(previous_quote[0], context))
            and called != context.cast.key(speaker)
            and context.cast.gender_of(called) in (None, context.cast.gender_of(speaker))
            and (
                called in (here := set(context.people_in_block()))
                # (or the pronoun's person is named only in an earlier paragraph: "“…, Pete,” she says, and
                # he says, “…”" after a paragraph about their father; heldout15)
                or context.cast.key(speaker) not in here
            )
        ):
            # "And VESTA, after a pause: “No, Kofi.” He says “…”": the line before, whose speaker went
            # unnamed, spoke to someone the pronoun fits as well, who may be answering (issue 15, session 12)
            speaker = None
        if (
            speaker
            and previous is None
            and rule in PRONOUN_RULES
            and index
            and not _SENTENCE_GAP.search(before)
            and (tag_pronoun := _last_subject_pronoun(before))
            and not context.names_in(before)
            and someone_unnamed_since(previous_before + " " + before, context, tag_pronoun)
        ):
            # "Kylie’s dad is furious. “If that boy comes near,” he growls at the bar, “he’ll…”": the tag that
            # went on from the line before, whose "he" may be the unnamed dad (issue 15, red team 2)
            speaker = None
        if speaker and rule == "from_name" and _WRITTEN_FROM.search(_last_sentence(before)):
            speaker = None  # "she gets a text from Owen: “…”": a message written, no line said
        speakers.append(speaker)
        rules.append(rule if speaker else None)
        previous_before = before
        previous = speaker
        previous_quote = (span.text, before_match, after)
        previous_tag_end = tag_end if speaker else -1
        tag = _SENTENCE_GAP.split(after, maxsplit=1)[0]
        previous_tag_names = {_first_name(n) for n in context.names_in(tag)} if speaker else set()
        if speaker:
            context.mention(speaker)
            previous_tag_names.add(_first_name(speaker))
        elif typed_by:
            context.mention(typed_by)
        cursor = span.end
    context.see(text[cursor:])
    if context.called:
        for index, guessed in enumerate(speakers):
            if guessed and rules[index] in PRONOUN_RULES and context.called_both(guessed):
                speakers[index] = rules[index] = None  # (see ``SpeakerContext.called_both``)
    _drop_host_pronouns(text, spans, speakers, rules, context)
    if len(spans) > 1 and not all(speakers):
        _exchange(text, spans, speakers, context, rules, EXCHANGE_ANCHOR_RULES)
    if not all(speakers):
        _take_turns(text, spans, speakers, context, rules)
    if context.trace is not None:
        context.trace.extend(rules)
    if any(speakers):
        cast = context.cast
        keys = [(cast.key(speaker) or None) if speaker else None for speaker in speakers]
        if context.described:
            keys = [_described(key, rule, context) for key, rule in zip(keys, rules, strict=True)]
        found = [(key, rule if key else None) for key, rule in zip(keys, rules, strict=True)]
    else:
        found = list(zip(speakers, rules, strict=True))
    if context.ranker_log is not None:
        _log_ranker_features(text, spans, found, context, previous_block)
    return found


def _drop_host_pronouns(
    text: str,
    spans: list[QuoteSpan],
    speakers: list[str | None],
    rules: list[str | None],
    context: SpeakerContext,
) -> None:
    """No speaker for a pronoun's tag resolved to the host whose label opens the block (``TEO: Then “…,”
    she says``, Teo's own words outside quote marks elsewhere): a host says "I", and the "she" is someone
    the host tells of (heldout18)."""
    colon = text.find(":", 0, spans[0].start)
    host = _HOST_LABEL.fullmatch(text[: colon + 1]) if colon > 0 else None
    if host is None or host.group("who").casefold() not in context.plain_labels:
        return
    key = context.cast.key(host.group("who"))
    for index, speaker in enumerate(speakers):
        if speaker and rules[index] in PRONOUN_RULES and context.cast.key(speaker) == key:
            speakers[index] = rules[index] = None


# The rules by which a role's description ("the Duchess") may speak: the text beside the line names it
DESCRIBED_RULES = NAMED_RULES | {"heading_line"}


def _described(key: str | None, rule: str | None, context: SpeakerContext) -> str | None:
    """A speaker's key as reported where it is a role's noun (``Duchess`` → ``the Duchess``, see
    ``SpeakerContext.described_as``): only where the text beside the line names the role (a label, a tag,
    a credit), not from a pronoun or the paragraph's flow."""
    if key is None or key not in context.described:
        return key
    return context.described_as(key) if rule in DESCRIBED_RULES else None


def _log_ranker_features(
    text: str,
    spans: list[QuoteSpan],
    found: list[tuple[str | None, str | None]],
    context: SpeakerContext,
    previous_block: str,
) -> None:
    """Each quote's candidates and features for the learned ranker (``speaker_ranker``), with the rules'
    pick and rule, appended to ``context.ranker_log`` (read by tools/train_speaker_ranker.py; the
    extraction itself does not use the ranker: it did not beat the rules, docs/speakers.md)."""
    from .speaker_ranker import quote_features  # (only the training tool asks for the log)

    assert context.ranker_log is not None
    history = context.quote_history[-3:]
    picks = [key for key, _ in found]
    rules = [rule for _, rule in found]
    context.quote_history.extend(zip(picks, (span.text for span in spans), strict=True))
    evidence = [evidence_of(rule) for rule in rules]
    recent = context.people_before_block(4)
    rows = quote_features(text, spans, picks, evidence, context, previous_block, recent, history)
    context.ranker_log.extend(zip(rows, picks, rules, strict=True))
    context.last_block, context.block_end = text, len(context._mentions)


_LABEL_WORDS = _words(
    "Update Note Verdict Grade Rating Score Quote Line Title Answer Question Q A Edit Spoiler "
    "Spoilers Warning Summary Bottom Best Worst Favourite Favorite Runner-up Honourable Honorable "
    "Translation Caption Sign Text Subtitle Tagline Motto Chyron Headline Previously Next Recap "
    "Review Episode Season Status Mood Lesson Moral Takeaway Winner Loser MVP Flashback Montage Scene Shot "
    "Cut Opening Closing Ending Credits Cameo Callback Cold Teaser Promo Trailer Preview Cliffhanger "
    "Dialogue "
    # who is nobody the page names: "Another: “…”", "Fans: “…”", "Twitter: “…”"
    "Another Others Fans Viewers Critics Commenters Readers Reader People Twitter Reddit Tumblr Instagram "
    "TikTok "
    # a list's place, nobody's name: "Top comment: “…” Second: “…” Third, from my mum: “…”" (red team 2)
    "First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth Last Lastly Finally Also Plus Top "
    "Overall"
)
# (in capitals too, as a tabloid's list sets them: "WORST LINE: “…”", "WINNER: Tina")
_LABEL_WORDS |= {word.upper() for word in _LABEL_WORDS}


_GERUND_AFTER = re.compile(r"\s+(?:\w+ly\s+)?[a-z]{2,}ing\b")


# A label's circumstances between commas after the name, in lower case: ", on her first day:",
# ", to Pruitt, by way of small talk:" (a name after a preposition is who is spoken to)
_COMMA_LABEL = re.compile(
    rf",\s*(?:[a-z][^.!?:“”\"„]*?|(?:[a-z]+\s+)*(?:to|at|with)\s+{NAME}(?:,\s*[a-z][^.!?:“”\"„]*?)?):\s*$"
)


# A label mid-paragraph: a sentence opening with a name (after "Then", "And", …), then between commas only
# lower-case words (how, where, doing what), then the colon: "Then Kemp, quietly, from the far end of the
# table:", "Teddy, handing Brenner a stack of charts:" (no verb of the name's own: "Kemp, who hates it, reads
# it out:" is not one); right after the line before too: "“…?” And Bram, quietly:", "“…?” and then Bram,
# deadpan:", "…, and Bram, without missing a beat:" (session 12)
_ASIDE_LABEL = re.compile(
    rf"(?:^\s*|{_NOT_AFTER_TITLE}[.!?…][”\"’]?\s+|[,”\"’]\s+(?=and\s))"
    r"(?:(?:Then|And|But|Later|Finally|Meanwhile|and)(?:\s+then)?,?\s+)?"
    rf"(?P<who>{NAME}),\s+(?!(?:who|which|whose|whom|that|and|but)\b)[a-z][^.!?:;“”\"„()]{{0,60}}:\s*$"
)


# A label's name, then whom the line is spoken to between commas: ", to Kev, under her breath:", ", to
# goalie Jean-Marc Ouellet:"
_TO_SOMEONE_LABEL = re.compile(
    rf",\s*to\s+(?:(?:the|his|her|their)\s+)?(?:[a-z-]+\s+){{0,2}}{NAME}(?:,\s*[a-z][^.!?:“”\"„]*?)?:\s*$"
)


_DIRECT_LABEL = re.compile(
    rf"\s*(?:\(|:|,?\s*to\s+(?:the\s+|his\s+|her\s+|their\s+)?(?:{NAME}|[a-z-]+)(?:,\s*{NAME})?\s*:)"
)


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


# A number in a run of episodes, weeks or parts right before a title: "Power Rankings, Week 5: “Bilge.”",
# "1x07 “Hold the Line”", "S2E6 - “…”" (a title there even as a whole sentence)
_NUMBERED_SLOT = re.compile(
    r"\b(?:(?:episode|ep|week|part|chapter|round|night|day)\.?\s*\d{1,3}|\d{1,2}x\d{1,2}|s\d{1,2}\s*e\d{1,2})"
    r"\s*[:,—–-]?\s*$",
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


def _numbered_title(before: str, quote: str) -> bool:
    """Whether a quote that reads as a title stands right after an episode's or a week's number (see
    ``_NUMBERED_SLOT``)."""
    return _title_like(quote) and bool(_NUMBERED_SLOT.search(before, max(0, len(before) - 30)))


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
    if asker not in called_in(quote, context):
        return None
    if not addressed - {asker}:
        # (the previous line spoke to nobody by name: the other of the only two people the paragraph names,
        # "“It was in the strongroom,” Marsh insists. “Then it has legs, Mr. Marsh.”" with Fisk before)
        addressed = set(context.people_in_block())
    if len(addressed - {asker}) != 1:
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
    snaps.``). ``after`` is empty where the text after the quote is no tag of it (``“…” He nods.``)."""
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
    # (where the page shows the speaker of the pronoun's gender, only a rival shown so as well counts; not
    # where the census gives the speaker's first name to the other gender only, whose shown gender is likelier
    # a possessive of someone else's read as theirs: "Lacey grabs his hand"; heldout16)
    shown = cast.gender_of(speaker) == wanted and not _census_says_other(_first_name(key), wanted)
    fitting = (wanted,) if shown else (None, wanted)
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


def _identified(
    before: str, after: str, quote: str, context: SpeakerContext, after_line: bool = False
) -> str | None:
    """The person the sentence right after a line, or the sentence right before it, says the voice is (not
    after a question: "“Who took it?” It was Ada." names the culprit; not a sentence before that is all
    there is after a line, ``after_line``: that one names the line before)."""
    if quote.endswith("?"):
        return None
    match = _IDENTITY_AFTER.match(after)
    cue = _IDENTITY_CUE.search(before, max(0, len(before) - 120))
    if match is None and cue and _SENTENCE_END.search(before):
        last = _last_sentence(before)
        if after_line and last == before.strip():
            # "“…” That’s Nurse Tran, spiking a bag. “…”": the one sentence between two lines says whose
            # voice the line before was, not the next one's (heldout16)
            return None
        match = _IDENTITY_BEFORE.search(last)
    if match is None:
        return None
    named = _named(match.group("who"), context)
    return _strip_title(named) if named and not named.endswith(_POSSESSIVE_ENDINGS) else None


def _answers_called(previous_quote: str, before: str, speaker: str, context: SpeakerContext) -> bool:
    """Whether the line before called by name someone other than ``speaker`` whom the text between the two
    lines names too: the line after is more likely that person's answer than the sentence's subject's."""
    called = _addressee(previous_quote, context) if previous_quote else None
    if not called or called == context.cast.key(speaker):
        return False
    return called in {context.cast.key(name) for name in context.names_in(before)}


_NAME_IN_LINE = re.compile(NAME)
_LINE_PUNCT = re.compile(r"\s*[.!?…]*\s*")
# What may stand before a name called in a line: nothing, a comma or a sentence's end, a title ("DCI")
# ("Control to DCI Calloway, we have…": a call over the radio)
_VOCATIVE_OPENS = re.compile(r"(?:^|[,.!?…]\s*|\bto\s+)(?:[A-Z][A-Za-z.]*\s+)?\s*$")


_LINE_WORD = re.compile(r"[A-Za-z][a-z’'-]*")
# Words too common to tell whether a sentence does what a line said
_COMMON_WORDS = _words(
    "the a an it its it’s it's up down out in on to of and or but now then just this that these those you "
    "your me my i we us our he she him her his they them their is are be do don’t don't no not yes okay ok "
    "go so please here there"
)


def _content_words(text: str) -> set[str]:
    return {w.lower()[:4] for w in _LINE_WORD.findall(text) if w.lower() not in _COMMON_WORDS}


def _does_as_told(previous_quote: str, before: str, quote: str) -> bool:
    """Whether the sentence between two lines (one sentence only) does what the first, a short order, said
    (``“Again.” Rinku bowls again.``, ``“Sit.” Nell sits.``) or the second line says the first again (``“Pick
    it up.” Kabir stares at him. “I said pick it up.”``): the sentence's subject is the one told, and the line
    after is as likely the one who gave the order going on as the subject's (issue 15, session 12)."""
    if not previous_quote or len(_SENTENCE_BREAKS.findall(before.strip() + " ")) > 1:
        return False
    said = _content_words(previous_quote)
    if not said:
        return False
    if _REPEATS_LINE.match(quote) and said <= _content_words(quote):
        return True  # "“I said pick it up.”"
    if quote.strip().lower() == previous_quote.strip().lower():
        return True
    return len(previous_quote.split()) <= _ORDER_WORDS and said <= _content_words(before)


_ORDER_WORDS = 5
_REPEATS_LINE = re.compile(r"\s*(?:I\s+said|I\s+told\s+you|I\s+say)\b", re.IGNORECASE)


def _spoken_of(previous_quote: str, before: str, speaker: str, context: SpeakerContext) -> bool:
    """Whether the line right before (one sentence between) names ``speaker`` other than by calling them
    (``“…and Dele is sulking.” Dele snorts. “…”``, or a line that is only the name, ``“Dele.” Dele looks
    up.``): the sentence is the reaction of the one spoken of or summoned, and the line after it may as
    well be the first speaker's going on as theirs (issue 15, session 12)."""
    if not previous_quote or len(_SENTENCE_BREAKS.findall(before.strip() + " ")) > 1:
        return False
    cast = context.cast
    key = cast.key(speaker)
    if key in called_in(previous_quote, context):
        return False
    line = previous_quote.strip()
    spoken_of = False
    for match in _NAME_IN_LINE.finditer(line):
        name = match.group()
        if not (cast.is_person(name) and cast.key(name) == key):
            continue
        if _LINE_PUNCT.fullmatch(line[match.end() :]) and not line[: match.start()].strip():
            return True  # "“Dele.”": the name alone, a summons (or an answer), not a reply's cue
        opens = bool(_VOCATIVE_OPENS.search(line[: match.start()]))
        if opens and line[match.end() :].lstrip()[:1] in (",", ".", "!", "?", "…", ""):
            return False  # "“DCI Calloway, we have a body.”": called, and answering
        spoken_of = True
    return spoken_of


# Rules whose evidence stands right beside the line (a tag after it, a label or a credit)
_RULES_BESIDE_LINE = _words(
    "tag_after tag_after_pronoun tag_after_appositive tag_after_hint tag_after_role label label_mid "
    "dash_label dash_after credit_after intro_before"
)


def _titled_words(quote: str) -> bool:
    """Whether a quote is two words or more written as a title (``Growing Together Since 1911``, ``Follow
    the Crumbs``) and no exclamation or question: people seldom speak so, and signs, songs and episodes
    are named so (where a tag right beside it gives it a speaker, ``“To the Crown,” she says``, a line)."""
    return len(quote.split()) >= 2 and not quote.rstrip().endswith(("!", "?")) and _title_like(quote)


def _asked_someone_else(
    previous_quote: tuple[str, re.Match[str] | None, str], speaker: str, context: SpeakerContext
) -> bool:
    """Whether the line before was a question put to someone by name other than ``speaker``: the line after
    it answers that one or breaks in, and the subject of a sentence between is no sign of which."""
    if not previous_quote[0].endswith("?"):
        return False
    addressed = _addressed(*previous_quote, context)
    return bool(addressed) and context.cast.key(speaker) not in addressed


def _answered_at_once(text: str, spans: list[QuoteSpan], index: int) -> bool:
    """Whether the line at ``index`` is followed at once by another line, nothing between them, that no tag
    of its own gives a speaker (``“Her name is Talia,” she says. “Leave her out of it.” “I’d love to.”``):
    an exchange, in which the line after the tag may as well be the other person's answer as the same
    speaker going on (not so where the next line's own tag says who answers: ``… “Tonight you are both,”
    Felix tells her``)."""
    if index + 1 == len(spans) or text[spans[index].end : spans[index + 1].start].strip():
        return False
    after = text[spans[index + 1].end : spans[index + 2].start if index + 2 < len(spans) else len(text)]
    return not (_AFTER_NAME_VERB.match(after) or _AFTER_VERB_NAME.match(after))


def _only_tag_sentence(before: str, tag_end: int) -> bool:
    """Whether the text between two quotes is only the sentence of the first one's tag (``“…,” Margaret
    offers, which is not the defense she thinks it is. “…”``): its subject is the first line's speaker, and
    whether they go on is for ``_goes_on`` to say, not ``_standalone``."""
    return tag_end >= 0 and len(_SENTENCE_BREAKS.findall(before)) <= 1


def _goes_on(
    before: str, tag_end: int, context: SpeakerContext, tag_names: set[str], speaker: str = ""
) -> str:
    """Whether the text between two quotes lets the first one's speaker go on, and how (the rule's name, ""
    for no): nothing but the first quote's own tag (``“…,” she says. “…”``: ``goes_on``), the rest of the
    tag's sentence (``said Jeff Doe, a councilman. “…”``: ``goes_on_tag_sentence``), or a few words with
    nobody in them that introduce the line (``Then, after a pause: “…”``: ``goes_on_connective``). Quotes
    side by side with nothing between them are an exchange (see ``_exchange``)."""
    rest = before[tag_end:] if tag_end >= 0 else before
    if not rest.strip():
        return "goes_on" if tag_end >= 0 else ""
    if _UNREAD_LABEL.match(rest) or _THING_HEARD.match(_last_sentence(rest)):
        return ""  # "ED: “…”": a label not read as a name is somebody's; "A crackle:" is another voice
    if _VOICE_CHANNEL.search(rest):
        return ""  # "Over the PA, cheerful as ever: “…”": a voice through a device, not the one in the room
    if (
        tag_end >= 0
        and before[:tag_end].rstrip()[-1:] not in ".!?…"  # ("“…,” Ada said. Then came a “…”": a new one)
        and len(_SENTENCE_BREAKS.findall(rest)) <= 1
        and not _SUBJECT_PRONOUN.search(rest)
        and not someone_unnamed_since(before, context)  # "says Ferro. The coroner shrugs: “…”"
    ):
        # the rest of the tag's sentence: "said Jeff Doe, a councilman in Hillsdale. “…”" (not a new sentence
        # after it, "…, and the tent groaned. Somebody shouted “…”", nor one with another person in it)
        ends = _SENTENCE_BREAKS.search(rest)
        if ends and rest[ends.end() :].strip():
            return ""
        cast = context.cast
        if _DEPARTS.search(rest):
            return ""  # "“…,” Ingrid says, and the door slams behind her. “Good.”": she has gone
        if all(
            _first_name(name) in tag_names and (not cast.is_person(name) or cast.key(name) == speaker)
            for name in context.names_in(rest)
        ):
            return "goes_on_tag_sentence"
        return ""
    if (
        len(before) < 160
        and len(_SENTENCE_BREAKS.findall(rest)) <= 1
        and _CONNECTIVE.fullmatch(_last_sentence(rest))
        and not _SUBJECT_PRONOUN.search(rest)
        and not _UNNAMED_PERSON.search(rest)
        and not context.names_in(rest)
    ):
        # (only a few words that introduce the line, "Then, after a pause:"; not a sentence of its own,
        # "From somewhere behind the benches came a stage-whispered “…”", which is anybody's)
        return "goes_on_connective"
    return ""


# The rest of a tag's sentence in which the speaker leaves the scene: the next line is not theirs
_DEPARTS = re.compile(
    r"\b(?:leaves|left|exits|exited|walks\s+(?:out|off|away)|walked\s+(?:out|off|away)|storms\s+(?:out|off)|"
    r"stormed\s+(?:out|off)|hangs\s+up|hung\s+up|slams|slammed|drives\s+off|drove\s+off|is\s+gone|was\s+gone|"
    r"disappears|disappeared|vanishes|vanished)\b"
)


# A device a voice comes through: "Over the PA,", "on the intercom", "from the radio" (heldout16)
_VOICE_CHANNEL = re.compile(
    r"\b(?:[Oo]ver|[Oo]n|[Ff]rom|[Tt]hrough|[Vv]ia)\s+(?:the|a|an|his|her|their)\s+(?:[a-z]+\s+)?"
    r"(?:PA|tannoy|[Tt]annoy|intercom|radio|loudspeakers?|speakers?|speakerphone|walkie(?:-talkie)?|comms|"
    r"headset|earpiece|phone|line|TV|television|monitor|screen|feed|broadcast|stream|voicemail)\b"
)


# A connective that introduces a line: "Then, after a pause:", "And, finally —"
_CONNECTIVE = re.compile(r"\s*(?:[^\s.!?“”\"]+\s+){0,5}[^\s.!?“”\"]*\s*[:—–]\s*")


# A stage direction in brackets between a label and its line: ": [from the snowbank] ", ": (quietly) "
_DIRECTION_AFTER_LABEL = re.compile(r":\s*(?:\[[^\[\]“”\"]{1,60}\]|\([^()“”\"]{1,60}\))\s*$")


# A label's clause that gives someone else's words: "Theo quotes his grandmother:", "Marisol, quoting her
# late father:", "Theo remembers what his dad told him:", "in the words of", "recalls Ingrid saying:"
_QUOTING_ANOTHER = re.compile(
    r"\b(?:quot(?:es|ed|ing)|recit(?:es|ed|ing)|paraphras(?:es|ed|ing))\s+"
    r"(?!(?:himself|herself|themselves|nobody|no one)\b)\w"
    r"|\b(?:remembers|remembered|recalls|recalled|repeats|repeated|relays|relayed|tells|told)\s+"
    r"(?:[\w’'-]+\s+){0,2}?what\s+(?:[\w’'-]+\s+){1,3}"
    r"(?:told|tells|said|says|wrote|writes|used\s+to\s+say)\b"
    r"|\bin\s+the\s+words\s+of\b"
    # "Theo passes on the doctor’s message:": the line of someone the page does not name
    r"|\b(?:the|a|an|his|her|their|my)\s+(?:[a-z-]+\s+)?[a-z-]+[’']s\s+(?:[a-z-]+\s+){0,2}"
    rf"(?:{_SPEECH_NOUNS}|message|messages|letter|note|words)\b"
    r"|\b(?:remembers|remembered|recalls|recalled)\s+(?:[\w’'-]+\s+){1,3}(?:telling|saying)\b"
    # "Ingrid, reading the card from Theo:", "Ingrid, holding up the card Theo sent:", "The note Theo leaves:"
    r"|\b(?:reads|read|reading)\s+(?:out\s+|aloud\s+)?(?:the|a|an|his|her|their|[A-Z]\w+[’']s)\s"
    r"|^(?:The|A|An)\s+(?:[a-z-]+\s+)?(?:note|card|letter|postcard|sign|placard|banner|inscription)\s"
    r"|\b(?:writes|wrote|scrawls|scrawled|scribbles|scribbled)\s+(?:\w+\s+){0,2}(?:on|across|in)\s+(?:the|a|an|his|her|their)\s"
)


# A quote inside a line: "“‘We have your cat.’ Who is this for?”" (what is read, then the reader's words)
_NESTED_QUOTE = re.compile(r"(?:^|\s)[‘'][A-Z]")


def _quoting_another(before: str, quote: str) -> bool:
    """Whether the label before a line gives someone else's words (see ``_QUOTING_ANOTHER``), where the
    line holds no quote of its own (``Rosalie, reading the ransom note aloud: “‘We have your cat.’ Who is
    this for?”`` is hers: the note is quoted inside it)."""
    return bool(_QUOTING_ANOTHER.search(_last_sentence(before))) and not _NESTED_QUOTE.search(quote)


def _label_or_dash(before: str, after: str, context: SpeakerContext) -> tuple[str | None, str]:
    """A speaker's label before the quote (``Kowalczyk: “…”``, ``Harriet — “…”``) or a dash line after it
    (``“…” — Pell``, also after a label that names nobody: ``Best line: “…” — Pell``), and the rule's name.
    A stage direction in brackets after the label (``Dobrow: [from the snowbank] “…”``) is no part of it."""
    if before.endswith((") ", "] ", ")", "]")) and (direction := _DIRECTION_AFTER_LABEL.search(before)):
        before = before[: direction.start() + 1] + " "
    if before.rstrip().endswith(":") and not _FROM_NAME.search(before):
        # ("Listener question from Dev:" names Dev: see ``_introduced_by``)
        labelled = _label(before, context)
        if labelled and labelled.casefold() in context.plain_labels:
            return None, "transcript"  # "JONAH: “It has a fine roof.”": a transcript's host citing a line
        if labelled:
            return labelled, "label"
        if labelled is None and (mid := _mid_label(before, after, context)):
            return mid, "label_mid"
    if before.rstrip()[-1:] in ("—", "–") and (match := _DASH_LABEL.search(before)):
        return _named(match.group("who"), context), "dash_label"  # "Harriet — “…”"
    if after.lstrip()[:1] in ("—", "–", "―", "-"):  # ("-- Margo" and "- Margo" in plain text)
        match = _DASH_AFTER.match(after)
        if match:
            return _named(match.group("who"), context), "dash_after"
    return None, ""


def _pronoun_label(
    before: str, context: SpeakerContext, previous: str | None
) -> tuple[str | None, str] | None:
    """A pronoun's label (``Asked about the finale, she laughed: “…”``, ``He tries charm: “…”``): the line
    is the pronoun's, resolved as a tag's pronoun (None, and no guess from position, where that is a tie);
    None where ``before`` is no such label, or where the subject takes in someone else's words (``she
    reads the note:``, ``he finds a message:``). A pronoun that resolves to the previous line's speaker is a
    guess too (``“…,” Strand says. He tries charm: “…”``: the one answering, whom the text named before)."""
    match = _PRONOUN_LABEL.search(before)
    if match is None or _PERCEIVED.match(before, match.end("who")):
        return None
    verb = match.group("verb")
    if verb in _READING_VERBS or verb in _TEXTING_VERBS or _ANOTHERS_WORDS.search(match.group("tail")):
        return None
    said = context.resolve_speaker(match.group("who"))
    if said and previous and context.cast.key(said) == context.cast.key(previous):
        said = None
    return said, "pronoun_label"


# A pronoun opening a sentence or a clause after a comma, its verb, a few words and a colon ending the text
# before a line: "Asked about the finale, she laughed: ", "He tries charm: " (not "she says that he …:",
# no second clause: "He nods, and Mara says:")
_PRONOUN_LABEL = re.compile(
    rf"(?:^|{_NOT_AFTER_TITLE}[.!?…][”\"’]?\s+|,\s+)(?P<who>[Hh]e|[Ss]he)\s+(?:\w+ly\s+)?"
    r"(?P<verb>[a-z]{3,}(?:s|ed))\b(?P<tail>[^.!?:;,“”\"„()]{0,40}):\s*$"
)


# A clause of its own after a comma inside a label, a name and a lower-case word: ", Kip on another"
_NEXT_CLAUSE = re.compile(
    rf",\s+(?:and\s+)?(?P<who>{NAME})\s+(?=[a-z])(?!(?:and|or|to)\b)"
    # "Drey gets the core stable and VESPER, deadpan, reports:" (an aside between commas: no compound subject)
    rf"|\s(?:and|but|while)\s+(?P<aside>{NAME}),\s[^,.!?:“”\"]{{1,30}},\s+(?=[a-z])(?!(?:and|or|to)\b)"
)


# A label in a sentence of its own after a connective: "Then Ezra:", "And Lisle:", "And then Pike (quietly):"
_CONNECTIVE_LABEL = re.compile(
    rf"(?:^\s*|{_NOT_AFTER_TITLE}[.!?…][”\"’]?\s+)(?:And|Then|But|So|Finally|Later|Meanwhile)(?:\s+then)?,?\s+"
    rf"(?P<who>{NAME})(?:\s*\([^()“”\"]{{1,30}}\))?:\s*$"
)


# A transcript host's label heading a block: "ROZ: ", "[11:30] DEV: " (see ``SpeakerContext.plain_labels``)
_HOST_LABEL = re.compile(rf"\s*(?P<who>{NAME})\s*:\s*$")


# A bare label opening a sentence mid-paragraph, or a bracket: "… and everyone gasps. Orla: “…”", "(Orla: “…”"
_MID_LABEL = re.compile(rf"(?:{_NOT_AFTER_TITLE}[.!?…][”\"’]?\s+|\(\s*)(?P<who>{NAME}):\s*$")


def _mid_label(before: str, after: str, context: SpeakerContext) -> str | None:
    """The speaker of a bare label that opens a sentence mid-paragraph (``Nobody moves. Orla: “…”``), which
    ``_label`` reads only at a block's start or right after a line: the name must be a person the page knows,
    a first name the census gives, or the line must be followed by another label (``Orla: “…” Bram: “…”``:
    lines set out as a script), not ``Verdict:``, ``Update:``, ``Translation:`` (issue 15, session 13)."""
    match = _MID_LABEL.search(before, max(0, len(before) - 60))
    if match is None:
        return None
    who = match.group("who")
    words = who.split()
    if words[0] in _LABEL_WORDS or who.endswith(_POSSESSIVE_ENDINGS) or len(words) > 3:
        return None
    if not _is_name(who, context.known_first_names, True) or who.casefold() in context.plain_labels:
        return None
    if context.cast.is_person(who) or (len(words) == 1 and _census_first_name(who)):
        return who
    following = _NEXT_LABEL.match(after)
    if following and following.group("who").split()[0] not in _LABEL_WORDS:
        return who
    return None


# Another bare label right after a line, before the next one: "“…” Bram: “"
_NEXT_LABEL = re.compile(rf"\s+(?P<who>{NAME}):\s*$")


def _after_host_label(lead: str, context: SpeakerContext) -> bool:
    """Whether the text before a label's name is nothing, or only the label of a transcript's host (``ROZ:
    Hepzibah, through the door: “…”``): the name opens the host's words, as a label opens a block."""
    if not lead.strip():
        return True
    host = _HOST_LABEL.fullmatch(lead) if lead.rstrip().endswith(":") else None
    return bool(host and host.group("who").casefold() in context.plain_labels)


def _label(before: str, context: SpeakerContext) -> str | None:
    """The speaker a label that ends ``before`` with a colon names (see ``_label_or_dash``)."""
    aside = _ASIDE_LABEL.search(before)
    if (
        aside
        and aside.group("who").split()[0] not in _LABEL_WORDS
        and not aside.group("who").endswith(_POSSESSIVE_ENDINGS)
        and not _PERCEIVED.match(before, aside.end("who"))
        and _is_name(aside.group("who"), context.known_first_names, True)
        and context.cast.is_person(aside.group("who"))
    ):
        # "… as usual. Teddy, handing Brenner a stack of charts: “…”": a label mid-paragraph, its name
        # opening a sentence, then only what they are doing or how (session 10, round 4)
        return aside.group("who")
    connected = _CONNECTIVE_LABEL.search(before) if before.rstrip().endswith(":") else None
    if (
        connected
        and connected.group("who").split()[0] not in _LABEL_WORDS
        and not connected.group("who").endswith(_POSSESSIVE_ENDINGS)
        and _is_name(connected.group("who"), context.known_first_names, True)
    ):
        # "… for a long time. Then Ezra: “…”", "“…?” And Lisle: “…”": a label in a sentence of its own, after
        # a word that goes on with the scene
        return connected.group("who")
    match = _LABEL.search(before)
    if match and before[match.start()] == "," and re.search(r"[A-Z]", before[match.end("who") :]):
        match = None  # "…, Mari is blunter still:" but not "…, Tiktok und Instagram:"
    if match and _PRONOUN_LINE.search(before, max(match.end("who"), len(before) - _PRONOUN_LINE_REACH)):
        return None  # "Joel begs Marta to stay, and her response is perfect:": hers (see ``_pronoun_line``)
    if match and _POSSESSIVE_LINE_ANYWHERE.search(before, match.end("who")):
        return None  # "Ingrid gets the last word, but Theo’s reply is better:": Theo's (``possessive_line``)
    if match:
        who = match.group("who")
        clauses = [
            who_next
            for clause in _NEXT_CLAUSE.finditer(before, match.end("who"))
            if context.cast.is_person(who_next := clause.group("who") or clause.group("aside"))
        ]
        if clauses:
            # "Luz on one line, Kip on another, Haddix on the radio to Engine 4:": the colon ends the last
            # clause, whose subject has the line
            return _named(clauses[-1], context)
        # the block's start or right after a quote, or right after a transcript host's label ("ROZ: Hepzibah,
        # through the door: “…”": the host cites the label's line)
        at_start = _after_host_label(before[: match.start("who")], context)
        if at_start and _DIRECT_LABEL.match(before, match.end("who")) and who.split()[0] not in _LABEL_WORDS:
            # "Kowalczyk: “…”" / "Priyanka (guest): “…”": a speaker's label names a speaker
            return who if _is_name(who, context.known_first_names, False) else None
        if at_start and _GERUND_AFTER.match(before, match.end("who")) and who.split()[0] not in _LABEL_WORDS:
            # "Hector teaching the new hand to rope: “…”": a list item's label, its subject doing it
            return who if _is_name(who, context.known_first_names, True) else None
        if at_start and _COMMA_LABEL.match(before, match.end("who")) and who.split()[0] not in _LABEL_WORDS:
            # "Deb, upon finding out who met the auditor: “…”": a label with its circumstances, the
            # name first (one the page may not name anywhere else)
            return who if _is_name(who, context.known_first_names, True) else None
        if (
            _SENTENCE_END.search(before, 0, match.start("who"))
            and _TO_SOMEONE_LABEL.match(before, match.end("who"))
            and who.split()[0] not in _LABEL_WORDS
            and _is_name(who, context.known_first_names, True)
        ):
            return who  # "… who gets the spa. Marlene, to Kev, under her breath: “…”": a label mid-paragraph
        if _PERCEIVED.match(before, match.end("who")):
            return None  # "Cole finds a note in the car:": what is read or heard is not Cole's
        if _WRITTEN_THING_AFTER.match(before, match.end("who")):
            return None  # "Harbour sign, top left:": the name only says whose or where the sign is
        if who.endswith(_POSSESSIVE_ENDINGS) and not _SPEECH_NOUN_AFTER.match(before, match.end("who")):
            return None  # "Pia’s aunt, Lorna, is visiting:" is the aunt's (but "Dunne’s reply:" is Dunne's)
        if who.split()[0] in _LABEL_WORDS or _LATER_CLAUSE_SUBJECT.search(before, match.end("who")):
            # "Runner-up goes to Hana, who … says only:", "Hana is walking the board through the numbers
            # when a voice from the doorway cuts in:": the colon ends another subject's clause (red team 2)
            return None
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


# A credit in brackets after a line that opens its block: "“…” (Lunde, episode 1, to the whole office)", "“…”
# (Eskil)" — the name first, then a comma or the bracket's end, and nothing after the bracket; not another's
# words read or passed on ("(Eskil, quoting his father)", "(Eskil, reading the note)")
_BRACKET_CREDIT = re.compile(rf"\s*\((?P<who>{NAME})\s*(?:\)|,\s*(?P<note>[^()“”\"]{{1,80}})\))\s*[.]?\s*$")


_BRACKET_NOT_SAID = re.compile(
    r"\b(?:quot|read|recit|repeat|cit|paraphras|text|writ|typ|sign|imitat|mimick|impersonat)[a-z]*\b"
    r"|\b(?:about|on|of)\s+(?:him|her|them)self\b|[’']s\b"
)


# A credit after a line, the name and one adverb: "“…” Barb, lovingly.", "“…” Ronnie, correctly." (a verb
# after the adverb makes a sentence: "“Stop.” Theo, shakily, stands." credits nobody)
_ADVERB_CREDIT = re.compile(r",\s+[a-z]{3,}ly\s*[.!]?\s*$")


# The rest of a credit's phrase, then a finite verb after a comma: "Father Duggan, coming down the aisle,
# gives them a look", "Bassus, for once in his life, has nothing to say" (the name is a sentence's subject)
_FINITE_VERB_LATER = re.compile(
    r"[^.!?,;:“”\"()]*,\s+(?:\w+ly\s+)?(?:has|had|is|was|does|did|can|will|would|could|"
    r"(?!(?:as|is|was|his|its|this|thus|plus|yes|always|perhaps|unless|across|towards|besides)\b)[a-z]{2,}s)\s"
)


def _credit_after(after: str, context: SpeakerContext) -> str | None:
    """The person a credit after a line names (see ``_CREDIT_NAME``), where the page knows them as a
    person; what stands between commas after the name must read as a title (``“Fine.” Odette, Marcus and
    Teo nod.`` credits nobody)."""
    bracket = _BRACKET_CREDIT.match(after)
    if bracket:
        note = bracket.group("note") or ""
        return None if _BRACKET_NOT_SAID.search(note) else _named(bracket.group("who"), context)
    match = _CREDIT_NAME.match(after)
    if match is None or (after.rstrip().endswith(":") and not _SENTENCE_GAP.search(after)):
        return None  # ("“…” Junior, from the fridge: “…”": the next line's label)
    if _ADVERB_CREDIT.match(after, match.end()):
        return _named(match.group("who"), context)
    position = match.end()
    for _ in range(3):
        if close := _CREDIT_CLOSE.match(after, position):
            if _FINITE_VERB_LATER.match(after, close.end()):
                return None  # "“…” Bassus, for once in his life, has nothing to say.": a sentence of its own
            return _named(match.group("who"), context)
        title = _CREDIT_TITLE.match(after, position)
        if title is None or not _title_like(title.group(1)):
            return None
        position = title.end()
    return None


def _take_turns(
    text: str,
    spans: list[QuoteSpan],
    speakers: list[str | None],
    context: SpeakerContext,
    rules: list[str | None],
) -> None:
    """Lines without a speaker that take a turn in a two-person exchange (see ``_answer_to`` and
    ``_back_to``), in order, so that one line's turn can give the next its own; ``rules`` gets the name of
    the rule for each line given a speaker."""
    for index in range(1, len(spans)):
        if (
            speakers[index]
            or not speakers[index - 1]
            or text[spans[index - 1].end : spans[index].start].strip()
        ):
            continue  # (after a tag, "“You okay?” Mara asks. “You look pale.”" may be Mara's still)
        question = spans[index - 1].text.endswith("?")
        if question or rules[index - 1] in NAMED_RULES | PRONOUN_RULES:
            # (a reply to a line that is no question only where the text beside that line names its speaker:
            # "Linh: ‘It looks like you kissing her.’ ‘Okay, it’s a bit what it looks like.’")
            speakers[index] = _answer_to(text, spans, speakers, index, context)
            rules[index] = ("answer_to" if question else "reply_to") if speakers[index] else None
        if speakers[index] is None and index > 1:
            speakers[index] = _back_to(text, spans, speakers, index, context)
            rules[index] = "back_to" if speakers[index] else None
    for index in range(len(spans) - 1):
        if not speakers[index] and speakers[index + 1] and spans[index].text.endswith("?"):
            speakers[index] = _asked_by(text, spans, speakers, index, context)
            rules[index] = "asked_by" if speakers[index] else None


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
    others = _scene(plain, speakers[: index + 2], context) - {"", answerer}
    if len(others) != 1 or someone_unnamed_since(plain, context):
        return None
    asker = next(iter(others))
    wanted = _PRONOUN_GENDER.get(tag.group("who").lower())
    return None if wanted and cast.gender_of(asker) not in (None, wanted) else asker


def _answer_to(
    text: str, spans: list[QuoteSpan], speakers: list[str | None], index: int, context: SpeakerContext
) -> str | None:
    """The answer right after a question, or the reply right after a line whose speaker the text beside it
    names (see ``_take_turns``): the other of the only two people the paragraph has named so far (``Wren is
    having none of it. “Do you ever stop talking?” “Do you ever start?”``: Cass's)."""
    asker = speakers[index - 1]
    if not asker:
        return None
    cast = context.cast
    plain = " ".join(text[(spans[i - 1].end if i else 0) : spans[i].start] for i in range(index + 1))
    others = _scene(plain, speakers[:index], context) - {"", cast.key(asker)}
    if len(others) != 1 or someone_unnamed_since(plain, context):
        return None
    other = next(iter(others))
    return None if _addressee(spans[index].text, context) == other else other


def _scene(plain: str, speakers: list[str | None], context: SpeakerContext) -> set[str]:
    """The people present in a paragraph's exchange, as the page's keys: those ``plain`` (its text up to a
    line) names (see ``_present``) and the ``speakers`` of its lines up to there. Lines take turns between two
    people only where there are two: with a third (``Judges Perpetua and Henrik … Perpetua stops at
    Lourdes’s wheel. “And what will this be?” “A teapot, eventually.”``) an answer may be either's."""
    cast = context.cast
    scene = _present(context.names_in(plain), context, _owners_of_people(plain))
    return scene | {cast.key(said) for said in speakers if said}


def _owners_of_people(plain: str) -> set[str]:
    """The names whose possessive owns a person in ``plain`` (``Sayer’s business partner``), not a thing
    (``Lourdes’s wheel``: Lourdes is at it)."""
    return {
        match.group("article")[:-2]
        for match in _UNNAMED_PERSON.finditer(plain)
        if match.group("article").endswith(_POSSESSIVE_ENDINGS)
    }


def _present(names: list[str], context: SpeakerContext, owners: set[str] | None = None) -> set[str]:
    """The people among ``names`` (as the page's keys) that the text names as more than a possessive: one
    named only so (``Sayer’s business partner, Gavin Pyle, is sweating``) owns something in the scene and
    need not be in it; where ``owners`` is given, only a possessive among them (one that owns a person) is
    left out, and one that owns a thing (``Lourdes’s wheel``) counts."""
    cast = context.cast
    people = [name for name in names if cast.is_person(name)]
    plain = {
        cast.key(name)
        for name in people
        if not name.endswith(_POSSESSIVE_ENDINGS) or (owners is not None and name[:-2] not in owners)
    }
    return {cast.key(name) for name in people if cast.key(name) in plain}


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
    lead = _last_sentence(text[spans[index - 3].end if index > 2 else 0 : spans[index - 2].start])
    if _scene(lead, speakers[:index], context) - {"", asker, answerer}:
        return None  # a third person speaks in the paragraph or is named right before: the line may be theirs
    return first


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


# "That line belongs to the Duchess of Marrow", "the quote goes to Vasquez"; "That’s the Ferryman again, in
# the closing seconds" (the paragraph opening so)
_BELONGS_TO = re.compile(
    rf"\b(?:line|quote|words|one|it)\s+(?:belongs|belonged|goes|went)\s+to\s+(?P<who>{NAME})(?![\w’'])(?![’']s)"
)


_THATS_WHO = re.compile(
    rf"^\s*(?:That|This|It)(?:[’']s|\s+is|\s+was)\s+(?P<who>{NAME})(?![\w’'])(?:\s+again)?\s*[,.;—–]"
)


_HEADING_LINE_SENTENCES = 3  # sentences of the paragraph below a heading that may tell whose line it is


def heading_line_speaker(paragraph: str, context: SpeakerContext) -> str | None:
    """The speaker of a line a heading quotes, as the paragraph right below the heading tells it (see
    ``_SAYS_IT``): the page's key for them, or None."""
    masked = mask_descriptions(paragraph, context.described)
    sentences = _SENTENCE_GAPS.split(masked, maxsplit=_HEADING_LINE_SENTENCES)
    opening = " ".join(sentences[:_HEADING_LINE_SENTENCES])
    for pattern in (_SAYS_IT, _DELIVERED_BY, _THATS_LINE, _BELONGS_TO, _THATS_WHO):
        match = pattern.search(opening)
        if match:
            named = _named(match.group("who"), context)
            key = context.cast.key(named) or None if named else None
            return _described(key, "heading_line", context)
    return None


def title_like(quote: str) -> bool:
    """Whether a quote reads as a title rather than a line (see ``_title_like``)."""
    return _title_like(quote)


class TurnBlock(NamedTuple):
    """A paragraph or list item as ``turns_across_blocks`` reads it: its text, its quotes' spans, the index of
    its first quote among the body's quotes, the rule that named each quote's speaker, and where its rules
    start in ``SpeakerContext.trace`` (-1: no trace)."""

    text: str
    spans: list[QuoteSpan]
    first: int
    rules: list[str | None]
    traced: int


# The text outside a line's quotes that leaves a paragraph no more than its line (punctuation, spaces)
_ONLY_MARKS = re.compile(r"[\s.,;:!?…—–-]*")


_TURN_NOTE_CHARS = 120  # the text beside a tagged line in a run of turns: a tag or a short stage note at most


def turns_across_blocks(blocks: list[TurnBlock | None], quotes: list[Quote], context: SpeakerContext) -> None:
    """Dialogue that takes turns across one-line paragraphs (``<p>“You’re going out there.”</p><p>“I
    am.”</p>…``): in a run of paragraphs (or list items) that hold only a line each, bar a tag or a short
    stage note naming no one else, between exactly two people (named in the paragraph right before the run
    or in the run's tags, or called by name in its lines), the lines without a speaker take turns with the
    lines whose speaker is known (a tag, or a line calling one of the two by name: the other's). Only where
    every known line agrees with the turns, and only between two known lines or right next to one; a third
    person, a narrative sentence, a line that reads as a title or a message breaks the run. The body's
    ``quotes`` are given their speakers (``turns`` in ``context.trace``, where there is one)."""
    run: list[int] = []
    for position, block in enumerate([*blocks, None]):
        if block is not None and _turn_block(block, quotes, context) is not None:
            run.append(position)
            continue
        if len(run) > 1:
            _take_turns_across(blocks, run, quotes, context)
        run = []


def _outside_quotes(block: TurnBlock) -> str:
    """A block's text without its quotes."""
    parts, cursor = [], 0
    for span in block.spans:
        parts.append(block.text[cursor : span.start])
        cursor = span.end
    parts.append(block.text[cursor:])
    return " ".join(parts)


def _turn_block(block: TurnBlock, quotes: list[Quote], context: SpeakerContext) -> str | None:
    """What a paragraph is in a run of turns: ``line`` (one quote and nothing else), ``tagged`` (lines of one
    known speaker, beside a tag or a short note that names nobody else), or None (no part of a run)."""
    if not block.spans:
        return None
    outside = _outside_quotes(block)
    said = {quotes[block.first + i].speaker for i in range(len(block.spans))}
    if _ONLY_MARKS.fullmatch(outside) and not said - {None}:
        if len(block.spans) == 1:
            return None if _titled_words(block.spans[0].text) else "line"
        return None  # (two lines side by side: an exchange of their own, see ``_exchange``)
    if len(said) != 1 or None in said or len(outside.strip()) > _TURN_NOTE_CHARS:
        return None
    speaker = next(iter(said))  # (a speaker is reported by the page's key already)
    cast = context.cast
    if any(cast.is_person(name) and cast.key(name) != speaker for name in context.names_in(outside)):
        return None  # another person named beside the line
    return "tagged"


# A family's name before a word for several of them: "the Pike brothers", "the Hale twins", "the Okafor kids"
_FAMILY_GROUP = re.compile(
    rf"\b[Tt]he\s+(?P<who>{NAME})\s+(?:brothers|sisters|twins|triplets|siblings|kids|children|boys|girls|sons|"
    r"daughters|cousins|parents|couple|family|clan|household)\b"
)


def _take_turns_across(
    blocks: list[TurnBlock | None], run: list[int], quotes: list[Quote], context: SpeakerContext
) -> None:
    """The speakers of the untagged lines in one run of turns (see ``turns_across_blocks``)."""
    known: list[str | None] = []
    called: list[str | None] = []
    people: set[str] = set()
    for position in run:
        block = blocks[position]
        assert block is not None
        said = quotes[block.first].speaker
        known.append(said or None)
        addressed = {_addressee(span.text, context) for span in block.spans} - {None}
        if len(addressed) > 1:
            return
        called.append(next(iter(addressed), None))
        people |= {key for key in (known[-1], called[-1]) if key}
    lead = blocks[run[0] - 1] if run[0] else None
    groups: set[str] = set()
    if lead is not None:
        people |= _present(context.names_in(_outside_quotes(lead)), context)
        if _anothers_words(_last_sentence(_outside_quotes(lead))):
            return  # ("a note slid under the door:": the line after it may be a written one)
        # ("The Pike brothers get their scene": one name for two people, which tells neither; heldout16)
        groups = {
            context.cast.key(found.group("who")) for found in _FAMILY_GROUP.finditer(_outside_quotes(lead))
        }
    if len(people) != 2:
        return
    pair = sorted(people)
    turns: list[str | None] = [None] * len(run)
    for index, (tagged, callee) in enumerate(zip(known, called, strict=True)):
        if tagged and callee == tagged:
            return  # a line calling its own speaker by name: the tag or the name is not what it seems
        turns[index] = tagged or (next(iter(people - {callee})) if callee else None)
    parities = {(pair.index(turn) + index) % 2 for index, turn in enumerate(turns) if turn is not None}
    if len(parities) != 1:
        return  # no known line, or the known lines do not take turns
    parity = parities.pop()
    anchored = [index for index, turn in enumerate(turns) if turn is not None]
    for index, position in enumerate(run):
        block = blocks[position]
        assert block is not None
        if known[index] or (
            not (anchored[0] < index < anchored[-1]) and min(abs(index - other) for other in anchored) > 1
        ):
            continue  # (beyond the last known line, only the line right next to it)
        speaker = pair[(parity + index) % 2]
        if speaker in groups:
            continue  # (the brothers' name: the other of the pair, but not by a name that tells them apart)
        quotes[block.first] = replace(
            quotes[block.first], speaker=speaker, speaker_evidence=evidence_of("turns")
        )
        if context.trace is not None and block.traced >= 0:
            context.trace[block.traced] = "turns"

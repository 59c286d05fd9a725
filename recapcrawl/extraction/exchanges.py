"""Two people taking turns: quotes side by side, an answer, a line going back to the one answered."""

from __future__ import annotations

import re

from .names import _RANKS, NAME, _words
from .quote_spans import QuoteSpan
from .speaker_context import SpeakerContext
from .speech_tags import _AFTER_NAME_VERB, _AFTER_VERB_NAME, _PRONOUN_RE, _last_sentence, _named

_DASH_PAIR = re.compile(rf"\s*[—–―]\s*(?P<first>{NAME})\s+(?:and|&)\s+(?P<second>{NAME})\b")


# "“…” “…” Del and Marv, respectively" / "Kenji and Del, in that order": two names, then words that say they
# are in the lines' order (not "Bex and Kit, you guys": spoken to, or "Bex and Kit deserve better")
_CREDIT_PAIR = re.compile(
    rf"\s*(?P<first>{NAME})\s+(?:and|&)\s+(?P<second>{NAME})(?![\w’'])\s*[,(]?\s*(?:respectively|in\s+that\s+order)\b"
)


# Someone addressed in the quote: "Now, Teo." / "Teo, wait!" (the speaker is somebody else).
_VOCATIVE_END = re.compile(rf",\s*(?P<who>{NAME})\s*[.!?,…]*$")


_VOCATIVE_START = re.compile(rf"^(?P<who>{NAME}),\s")


# "Out, Ines. Just out." / "Miss Okoro. What did we say?" / "Aggie,": a name called inside or alone
_VOCATIVE_MID = re.compile(rf",\s*(?P<who>{NAME})\s*[.!?]+\s")


_VOCATIVE_ALONE = re.compile(rf"^(?P<who>{NAME})\s*(?:[.!?,…]+\s|[!?,…]*$)")  # (not "Ada.": an answer)


# "Then it has legs, Mr. Marsh, and I should like…": a name set off by commas mid-line, not in a list
# (not "Tom, Dick, and Harry") — only to tell who does not speak the line (``called_in``)
_VOCATIVE_BETWEEN = re.compile(rf"(?<![A-Z][a-z])(?<![A-Z][a-z][a-z]),\s*(?P<who>{NAME}),\s+(?![A-Z])")


# Ranks a line may call someone by ("Sergeant", "Inspector", "Doctor"), not words for kin or endearment
_RANK_WORDS = _RANKS - _words(
    "Mr Mrs Ms Mx Miss Aunt Uncle Father Mother Sister Brother Grandma Grandpa Granny Nana Mama Papa Ma Pa "
    "Old Young Little Big Dear Poor Sweet Classic Thè Madam Madame Host Narrator Critic Editor"
)


def called_in(quote: str, context: SpeakerContext) -> set[str]:
    """Everyone a quote calls by name (as the page's keys): nobody calls themselves so, so none of them
    speaks it."""
    cast = context.cast
    found = {_addressee(quote, context)} - {None}
    if "," in quote:
        for match in _VOCATIVE_BETWEEN.finditer(quote):
            if cast.is_person(match.group("who")) and (key := cast.key(match.group("who"))):
                found.add(key)
    return found  # type: ignore[return-value]


def _addressee(quote: str, context: SpeakerContext) -> str | None:
    """The person a quote speaks to by name, where the page knows them as a person."""
    for match in (
        _VOCATIVE_END.search(quote),
        _VOCATIVE_START.match(quote),
        _VOCATIVE_MID.search(quote) if "," in quote else None,
        _VOCATIVE_ALONE.match(quote),
    ):
        if not match:
            continue
        cast = context.cast  # (built when first needed: most lines call nobody by name)
        if cast.is_person(match.group("who")):
            return cast.key(match.group("who")) or None
        if match.group("who") in _RANK_WORDS:
            # "I told the priest nothing, Sergeant.": the one person the page names with that rank
            return context.titled_by(match.group("who")) or None
    return None


# "Fenella Oakes (Harriet Vole, feasting)": the actor in brackets after a character's name
_ACTOR_IN_BRACKETS = re.compile(r"(?<=[a-z’'-])\s\([A-Z][^()]{0,60}\)")


def _order_by_addressees(
    text: str,
    spans: list[QuoteSpan],
    run: list[int],
    following: str,
    context: SpeakerContext,
    speakers: list[str | None],
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
    # (and whoever the tags give a line of the paragraph outside the exchange: they are in the scene)
    named |= {cast.key(said) for i, said in enumerate(speakers) if said and i not in run} - {""}
    known = {cast.key(said) for i, said in enumerate(speakers) if said and i in run}
    scene = named
    if not text[: spans[run[0]].start].strip():
        scene = named | set(context.people_before_block(4))
    if not named and not text[: spans[run[0]].start].strip():
        # (a paragraph that opens with the lines goes on the scene before it, where only two people are
        # named: "Nadia is in the booth when Ezra slides in. ¶ “You’re late.” “I’m on time.” “Sit, Ezra.”")
        before = context.people_before_block(3)
        if len(before) == 2:
            named = set(before)
    for position in range(len(run) - 1):
        first, second = called[position], called[position + 1]
        # (both named outside the lines too: a surname only the lines use may be a first-named person's;
        # for a paragraph that opens with the lines, among the last people named before it)
        if first and second and first != second and {first, second} <= scene:
            return (second, first) if position % 2 == 0 else (first, second)
    # (or only two in the sentence right before the lines: "Rey calls Honor by her first name. “Honor. …”")
    lead = _last_sentence(text[: spans[run[0]].start])
    near = {cast.key(n) for n in context.names_in(lead) if cast.is_person(n)} - {""}
    for position, addressed in enumerate(called):
        for people in (named, near if addressed in near else set()):
            if addressed and len(people - {addressed}) == 1:
                if (
                    addressed not in people
                    and not known & (people - {addressed})
                    and set(context.people_before_block(3)) - people - {addressed}
                ):
                    # (called only in the lines, no line's speaker known, others in the scene before:
                    # "“Objection.” “Not yet, Mr. Teller.” “Sustained.” Achebe is the MVP." after a cross)
                    continue
                other = next(iter(people - {addressed}))
                return (other, addressed) if position % 2 == 0 else (addressed, other)
    return None


def _exchange(
    text: str,
    spans: list[QuoteSpan],
    speakers: list[str | None],
    context: SpeakerContext,
    rules: list[str | None],
    anchor_rules: frozenset[str] = frozenset(),
) -> None:
    """Quotes side by side with nothing between them (``“Open the hatch.” “Not yet.” “Now, Teo.”``) are an
    exchange between two people, who take turns. Where the text tells both and where one line goes (a
    dash line naming the two in order, or a line that speaks to one of them by name while the paragraph
    names only the other besides), the lines without a speaker get theirs (and ``rules`` the rule's name:
    ``exchange_dash`` or ``exchange_called``)."""
    runs: list[list[int]] = []
    for index in range(len(spans)):
        if index and not text[spans[index - 1].end : spans[index].start].strip():
            runs[-1].append(index)
        else:
            runs.append([index])
    for run in runs:
        if len(run) < 2 or all(speakers[i] for i in run):
            continue
        if anchor_rules and _tagged_lead(text, spans, run, speakers, rules, anchor_rules):
            run = [run[0] - 1, *run]
        cast = context.cast
        last = spans[run[-1]]
        following = text[last.end : spans[run[-1] + 1].start if run[-1] + 1 < len(spans) else len(text)]
        order: tuple[str, str] | None = None
        pair = _DASH_PAIR.match(following)
        if pair is None and not text[: spans[run[0]].start].strip():
            # (a block that opens with the lines may credit them after, without a dash: "“Bees?” “No.” “Yes.”
            # Del and Marv, respectively, and then Del again.")
            pair = _CREDIT_PAIR.match(following)
        rule = "exchange_dash" if pair else "exchange_called"
        if pair:
            first, second = _named(pair.group("first"), context), _named(pair.group("second"), context)
            if first and second:
                order = (cast.key(first), cast.key(second))
        else:
            order = _order_by_addressees(text, spans, run, following, context, speakers)
            if not order:
                order = _order_by_anchor(text, spans, run, following, context, speakers, rules, anchor_rules)
                rule = ANCHORED
            if not order and anchor_rules:
                order = _order_by_lead(text, spans, run, context, speakers, rules, anchor_rules)
                rule = LEAD
        if not order or order[0] == order[1]:
            continue
        turns = [order[position % 2] for position in range(len(run))]
        if any((said := speakers[i]) and cast.key(said) != turn for i, turn in zip(run, turns, strict=True)):
            continue  # the tags say otherwise
        for i, turn in zip(run, turns, strict=True):
            if not speakers[i]:
                speakers[i], rules[i] = turn, rule


ANCHORED = "exchange_anchored"
LEAD = "exchange_lead"
LEAD_SUBJECT_RULES = frozenset({"subject"})


# Only the end of a sentence after a tag: "“Nobody’s getting killed,” Nadia says. “Then why…?”"
_ONLY_SENTENCE_END = re.compile(r"[\s.!?…]*")


def _tagged_lead(
    text: str,
    spans: list[QuoteSpan],
    run: list[int],
    speakers: list[str | None],
    rules: list[str | None],
    anchor_rules: frozenset[str],
) -> bool:
    """Whether the line right before a run of untagged lines (``“Nobody’s getting killed,” Nadia says. “Then
    why…?” “Because the job is at four.”``) leads the exchange: its speaker is known from the text beside it,
    and only its own tag, by name (``Nadia says``, ``says Nadia``; not a pronoun, itself a guess) and the end
    of the sentence stand between it and the run. The run takes turns from it: the first untagged line is
    the answer, not the same speaker going on (side by side, the lines after are an exchange)."""
    lead = run[0] - 1
    if lead < 0 or not speakers[lead] or rules[lead] not in anchor_rules or speakers[run[0]]:
        return False
    between = text[spans[lead].end : spans[run[0]].start]
    tag = _AFTER_NAME_VERB.match(between) or _AFTER_VERB_NAME.match(between)
    return bool(
        tag
        and not _PRONOUN_RE.fullmatch(tag.group("who"))
        and _ONLY_SENTENCE_END.fullmatch(between, tag.end())
    )


def _order_by_anchor(
    text: str,
    spans: list[QuoteSpan],
    run: list[int],
    following: str,
    context: SpeakerContext,
    speakers: list[str | None],
    rules: list[str | None],
    anchor_rules: frozenset[str],
) -> tuple[str, str] | None:
    """Who speaks first and second in an exchange one of whose lines already has its speaker (``Ezra is at
    the vault door. Nadia is in his ear. “Talk to me.” “It’s a nine-pin.” “Ever?” “In total.”``): where the
    paragraph names exactly two people, that line's speaker and the other take turns. No line may call its
    own speaker by name, and a line that calls one of the two calls the other."""
    cast = context.cast
    anchors = [
        (position, cast.key(speaker))
        for position, i in enumerate(run)
        if (speaker := speakers[i]) and rules[i] in anchor_rules
    ]
    if not anchors:
        return None
    closing = following if run[-1] + 1 == len(spans) else ""
    plain = _ACTOR_IN_BRACKETS.sub("", text[: spans[run[0]].start] + " " + closing)
    people = {cast.key(n) for n in context.names_in(plain) if cast.is_person(n)} - {""}
    people |= {cast.key(said) for said in speakers if said} - {""}
    if len(people) != 2:
        return None
    position, anchor = anchors[0]
    if anchor not in people:
        return None
    other = next(iter(people - {anchor}))
    order = (anchor, other) if position % 2 == 0 else (other, anchor)
    for position, i in enumerate(run):
        turn, listener = order[position % 2], order[1 - position % 2]
        called = called_in(spans[i].text, context)
        if turn in called or (called & people and listener not in called):
            return None  # a line calls its own speaker: the turns are not these
    return order


# A sentence's end in the text before a run of lines (the units ``_order_by_lead`` walks back over)
_POSSESSIVE_NAME = re.compile(rf"{NAME}[’']s?(?![\w’'])")


# A line speaking of a third person ("She’s awful."), who may be in the scene and answer
_THIRD_PERSON = re.compile(r"\b(?:[Ss]he|[Hh]e|[Hh]er|[Hh]im|[Hh]is|[Hh]ers)\b")


_SENTENCE_BREAK = re.compile(r"(?<=[.!?…;])\s+")


def _order_by_lead(
    text: str,
    spans: list[QuoteSpan],
    run: list[int],
    context: SpeakerContext,
    speakers: list[str | None],
    rules: list[str | None],
    anchor_rules: frozenset[str],
) -> tuple[str, str] | None:
    """Who speaks first and second in an exchange one of whose lines has its speaker from the text beside it,
    in a paragraph that names more than two people (where ``_order_by_anchor`` abstains): the other party is
    the one person besides that speaker named in the sentence nearest before the lines that names anyone
    else (``Luz hands Pim the file. Dov shrugs. Pim reads it. Dov: “Well?” “It’s forged.” “By whom?”``: Dov's
    sentence names nobody else, so Pim). Earlier lines of the paragraph count as their speakers' names; a
    sentence or an earlier line naming two others, or a line of the run calling a third person the paragraph
    names, and the exchange is left alone (issue 15, session 13)."""
    cast = context.cast
    anchors = [
        (position, cast.key(speaker))
        for position, i in enumerate(run)
        if (speaker := speakers[i]) and (rules[i] in anchor_rules or rules[i] in LEAD_SUBJECT_RULES)
    ]
    if not anchors:
        return None
    position, anchor = anchors[0]
    if position or not anchor:
        return None  # (the lines after the one whose speaker is known, not a guess back up the run)
    units: list[set[str]] = []  # the text before the run, sentence by sentence, and the lines' speakers
    cursor = 0
    for i in range(run[0] + 1):
        # (a possessive names no party: "Marta stops at Sunniva’s bench" may be answered by either judge)
        plain = _POSSESSIVE_NAME.sub("its", _ACTOR_IN_BRACKETS.sub("", text[cursor : spans[i].start]))
        for sentence in _SENTENCE_BREAK.split(plain):
            if sentence.strip(" ,;:—–-"):
                units.append({cast.key(n) for n in context.names_in(sentence) if cast.is_person(n)} - {""})
        if i < run[0]:
            units.append({cast.key(said)} if (said := speakers[i]) else set())
        cursor = spans[i].end
    other = None
    # (a speaker guessed from the sentence before the lines, its subject, leads only where that very sentence
    # names the other: "Ida turns to Bram. “…” “…”", not "Bram wants the money. “…” “…”")
    reach = 1 if rules[run[0]] in LEAD_SUBJECT_RULES else len(units)
    for unit in list(reversed(units))[:reach]:
        others = unit - {anchor}
        if len(others) > 1:
            return None
        if others:
            other = next(iter(others))
            break
    if other is None:
        return None
    if {cast.key(said) for said in speakers[: run[0]] if said} - {anchor, other}:
        return None  # "Odile: “…” Bastien: “…” Colm: “Anyone?” “Nobody.”": more than two are talking
    if set().union(*units) - {anchor, other} and any(_THIRD_PERSON.search(spans[i].text) for i in run):
        return None  # "Nan glares at them. Mo, to Kev: ‘She’s awful.’ ‘I can hear you.’": Nan is in the scene
    order = (anchor, other) if position % 2 == 0 else (other, anchor)
    for position, i in enumerate(run):
        listener = order[1 - position % 2]
        vocative = _VOCATIVE_END.search(spans[i].text)
        if called_in(spans[i].text, context) - {listener} or (
            vocative and cast.key(vocative.group("who")) != listener
        ):
            # a line calls its own speaker, a third person, or a name only the lines use ("“Pay up,
            # Thornbury.” “Later, Lacey.”": either may be either): the turns are not told
            return None
    return order

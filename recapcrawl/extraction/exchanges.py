"""Two people taking turns: quotes side by side, an answer, a line going back to the one answered."""

from __future__ import annotations

import re

from .names import NAME
from .quote_spans import QuoteSpan
from .speaker_context import SpeakerContext
from .speech_tags import _last_sentence, _named

_DASH_PAIR = re.compile(rf"\s*[—–―]\s*(?P<first>{NAME})\s+(?:and|&)\s+(?P<second>{NAME})\b")


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
        cast = context.cast
        last = spans[run[-1]]
        following = text[last.end : spans[run[-1] + 1].start if run[-1] + 1 < len(spans) else len(text)]
        order: tuple[str, str] | None = None
        pair = _DASH_PAIR.match(following)
        rule = "exchange_dash" if pair else "exchange_called"
        if pair:
            first, second = _named(pair.group("first"), context), _named(pair.group("second"), context)
            if first and second:
                order = (cast.key(first), cast.key(second))
        else:
            order = _order_by_addressees(text, spans, run, following, context, speakers)
        if not order or order[0] == order[1]:
            continue
        turns = [order[position % 2] for position in range(len(run))]
        if any((said := speakers[i]) and cast.key(said) != turn for i, turn in zip(run, turns, strict=True)):
            continue  # the tags say otherwise
        for i, turn in zip(run, turns, strict=True):
            if not speakers[i]:
                speakers[i], rules[i] = turn, rule

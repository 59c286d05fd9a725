"""Issue 15, session 13: families of lines the rules left without a speaker while a careful reader can tell
who speaks (see docs/speakers.md, "Session 13 round").

Each rule has cases in sentences and names of our own, which fail on the code before the round, and guard
cases of nearby shapes where the rule must abstain (they pass before and after).
"""

from __future__ import annotations

import pytest
from speaker_passages import body_speakers

# ``exchange_lead``: lines side by side after one whose speaker the text beside it gives, in a paragraph that
# names more than two people; the other party is the one person besides that speaker named in the nearest
# sentence before the lines that names anyone else
EXCHANGE_LEAD = [
    (
        "<p>The trial is a circus. Judge Amsel calls a recess; Corinne finds Lutz in the stairwell. Lutz: "
        "“You could settle.” “And you could retire.” “Touché.”</p>",
        [("You could settle.", "Lutz"), ("And you could retire.", "Corinne"), ("Touché.", "Lutz")],
    ),
    (
        "<p>Wendell and Greta spend the morning at the market with Oskar. Greta turns to Oskar. “What are "
        "these?” “Pears, mostly.” “Mostly is a big word.”</p>",
        [("What are these?", "Greta"), ("Pears, mostly.", "Oskar"), ("Mostly is a big word.", "Greta")],
    ),
]

EXCHANGE_LEAD_GUARDS = [
    # the sentence before the lines names two others: no one other party
    (
        "<p>The trial is a circus. Judge Amsel calls a recess, and Corinne finds Lutz in the stairwell. "
        "Lutz: “You could settle.” “And you could retire.” “Touché.”</p>",
        [("You could settle.", "Lutz"), ("And you could retire.", None), ("Touché.", None)],
    ),
    # a speaker guessed from the sentence's subject leads only where that sentence names the other
    (
        "<p>Wendell and Greta spend the morning at the market with Oskar. Greta ignores them. “What are "
        "these?” “Pears, mostly.” “Mostly is a big word.”</p>",
        [("What are these?", None), ("Pears, mostly.", None), ("Mostly is a big word.", None)],
    ),
    (
        "<p>Dario meets a man called Vickers at the pub. Vickers wants the money by Friday. “I’ll have it.” "
        "“You said that in May.” “And I had it in May.”</p>",
        [("I’ll have it.", "Vickers"), ("You said that in May.", None), ("And I had it in May.", None)],
    ),
    # a line speaks of a third person the paragraph names, who may answer
    (
        "<p>Nan glares at them both from the doorway. Marlene, to Kev: ‘She’s awful.’ ‘I can hear you.’ "
        "‘Good.’</p>",
        [("She’s awful.", "Marlene"), ("I can hear you.", None), ("Good.", None)],
    ),
    # a line calls a name only the lines use: either party may be either
    (
        "<p>The trial is a circus. Judge Amsel calls a recess; Corinne finds Lutz in the stairwell. Lutz: "
        "“You could settle, Marchetti.” “And you could retire.” “Touché.”</p>",
        [("You could settle, Marchetti.", "Lutz"), ("And you could retire.", None), ("Touché.", None)],
    ),
]


@pytest.mark.parametrize(("html", "expected"), EXCHANGE_LEAD + EXCHANGE_LEAD_GUARDS)
def test_exchange_lead(html: str, expected: list[tuple[str, str | None]]) -> None:
    assert body_speakers(html) == expected


# ``label_mid``: a bare label opening a sentence mid-paragraph, or a bracket, whose name is a person the page
# knows, a census first name, or which another label follows (lines set out as a script)
LABEL_MID = [
    (
        "<p>The soup arrives, and the whole tent holds its breath. Ysolde: “Is that cumin?” Bram: “It is "
        "cumin.”</p>",
        [("Is that cumin?", "Ysolde"), ("It is cumin.", "Bram")],
    ),
    (
        "<p>The panel had already decided (Quillon: “Too salty.” Fenwick: “Not salty enough.”) so the result "
        "was no surprise.</p>",
        [("Too salty.", "Quillon"), ("Not salty enough.", "Fenwick")],
    ),
    (
        "<p>Dessert goes round the table twice. Marta: “I hate that I love this.”</p>",
        [("I hate that I love this.", "Marta")],
    ),
]

LABEL_MID_GUARDS = [
    # a word for what follows, not a name
    ("<p>Nobody moves. Verdict: “Guilty.” Orla: “Appeal.”</p>", [("Guilty.", None), ("Appeal.", "Orla")]),
    (
        "<p>The subtitles lag. Translation: “Go home.” Orla: “Rude.”</p>",
        [("Go home.", None), ("Rude.", "Orla")],
    ),
    # a capitalised word the page knows as no person, with no label after the line
    ("<p>The screen flickers. Zorblax: “Surrender.”</p>", [("Surrender.", None)]),
]


@pytest.mark.parametrize(("html", "expected"), LABEL_MID + LABEL_MID_GUARDS)
def test_label_mid(html: str, expected: list[tuple[str, str | None]]) -> None:
    assert body_speakers(html) == expected


# ``silence_then``: a line after "Then:", "Finally:" or "Eventually:" that follows a sentence whose named
# subject holds back speech ("without a word", "says nothing", "just looks at her"): the silent one speaks
SILENCE_THEN = [
    (
        "<p>Marta finds Tobias on the roof. Tobias just looks at her. Then: “You missed dinner.”</p>",
        [("You missed dinner.", "Tobias")],
    ),
    (
        "<p>Marta finds Tobias on the roof. Tobias, still sulking, sits down next to her without a word. "
        "Eventually: “You missed dinner.”</p>",
        [("You missed dinner.", "Tobias")],
    ),
]

SILENCE_THEN_GUARDS = [
    # the silence is another subject's, in a clause of its own
    (
        "<p>Marta finds Tobias on the roof, and the whole street says nothing. Then: “You missed "
        "dinner.”</p>",
        [("You missed dinner.", None)],
    ),
    # the silence goes on into another subject's clause: either may break it
    (
        "<p>Marta finds Tobias on the roof. Tobias just looks at her, and Marta says nothing. Then: “You "
        "missed dinner.”</p>",
        [("You missed dinner.", None)],
    ),
]


@pytest.mark.parametrize(("html", "expected"), SILENCE_THEN + SILENCE_THEN_GUARDS)
def test_silence_then(html: str, expected: list[tuple[str, str | None]]) -> None:
    assert body_speakers(html) == expected

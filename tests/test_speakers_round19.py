"""Issue 15, session 14, round 2 (after heldout18): lines nobody speaks read as a person's (see
docs/speakers.md, "Session 14, round 2 (after heldout18)").

Each change has cases in sentences and names of our own, which fail on the code before the round, and guard
cases of nearby shapes that must not change (they pass before and after).
"""

from __future__ import annotations

import pytest
from speaker_passages import body_speakers

# A noun for something written right after a label's name: "Harbour sign, top left:" (the name says where)
WRITTEN_THING_LABELS = [
    (
        "<p>Marlow rides in at dawn. Marlow is tired.</p>"
        "<p>Harbour sign, for the sharp-eyed: “NO BOATS AFTER DARK” in paint that is far too fresh.</p>"
        "<p>Later Harbour shouts at the gulls.</p>",
        [("NO BOATS AFTER DARK", None)],
    ),
    (
        "<p>Opal drives past the diner. Later Opal waves to Tully.</p>"
        "<p>Tully banner, outside the shop: “GRAND REOPENING SATURDAY”. Subtle.</p>",
        [("GRAND REOPENING SATURDAY", None)],
    ),
]

WRITTEN_THING_LABELS_GUARDS = [
    # a label whose name is followed by what they are doing still names them
    (
        "<p>Opal drives past the diner. Later Opal waves to Tully.</p>"
        "<p>Tully, from the doorway: “We open Saturday.”</p>",
        [("We open Saturday.", "Tully")],
    ),
]


@pytest.mark.parametrize(("html", "expected"), WRITTEN_THING_LABELS + WRITTEN_THING_LABELS_GUARDS)
def test_written_thing_labels(html: str, expected: list[tuple[str, str | None]]) -> None:
    assert body_speakers(html) == expected


# "Vane unfolds the note, and we get a close-up of it:": the colon ends the viewers' clause; what we see is
# nobody's line
VIEWERS_CLAUSE = [
    (
        "<p>The jury sends a note. Judge Vane unfolds it, and we get a close-up of the scrawl: “WHY IS THE "
        "CLOCK WRONG?” Vane sighs.</p>",
        [("WHY IS THE CLOCK WRONG?", None)],
    ),
    (
        "<p>Wilda finds the diary at last. Wilda opens it, and we see the last entry: “He knows.”</p>",
        [("He knows.", None)],
    ),
]

VIEWERS_CLAUSE_GUARDS = [
    # a subject's own clause before the colon keeps its line
    (
        "<p>The jury sends a note. Judge Vane unfolds it and reads it aloud: “Why is the clock wrong?”</p>",
        [("Why is the clock wrong?", "Vane")],
    ),
]


@pytest.mark.parametrize(("html", "expected"), VIEWERS_CLAUSE + VIEWERS_CLAUSE_GUARDS)
def test_viewers_clause(html: str, expected: list[tuple[str, str | None]]) -> None:
    assert body_speakers(html) == expected


# A role's description ("the Inspector") where the page names one person with that title in a short form
# ("DI Wray") or as a peer "of" a name the page uses for them ("Earl of Strathearn"): that person
TITLED_DESCRIPTIONS = [
    (
        "<p>DI Orla Quayle arrives at the farm in the rain. Quayle is not impressed.</p>"
        "<p>“Nobody leaves this kitchen,” says the Inspector. Everyone sits.</p>",
        [("Nobody leaves this kitchen,", "Quayle")],
    ),
    (
        "<p>Rufus Carrow, fourth Earl of Pennant, owns half the valley. Pennant hosts the hunt ball.</p>"
        "<p>“The river is mine,” says the Earl. Nobody argues.</p>",
        [("The river is mine,", "Pennant")],
    ),
]

TITLED_DESCRIPTIONS_GUARDS = [
    # two people with the title: the description stays
    (
        "<p>DI Orla Quayle and DI Bex Tamm arrive at the farm. Quayle frowns. Tamm shrugs.</p>"
        "<p>“Nobody leaves this kitchen,” says the Inspector. Everyone sits.</p>",
        [("Nobody leaves this kitchen,", "the Inspector")],
    ),
    # a title "of" a place the page names nowhere else: the description is her name
    (
        "<p>The Countess of Fennick rides in at last.</p>"
        "<p>“Bring me the ledger,” says the Countess. Nobody moves.</p>",
        [("Bring me the ledger,", "the Countess")],
    ),
]


@pytest.mark.parametrize(("html", "expected"), TITLED_DESCRIPTIONS + TITLED_DESCRIPTIONS_GUARDS)
def test_titled_descriptions(html: str, expected: list[tuple[str, str | None]]) -> None:
    assert body_speakers(html) == expected


# A name in apposition to another's relation ("Lucia, his fiancée,"): the "his" shows his gender, not hers
RELATION_APPOSITIVE = [
    (
        "<p>Later Marco waits in the barn with Lucia, his fiancée, who has questions. He shows her the deed. "
        "“Once it is signed, we can go,” he tells her. “Go where, exactly?” she says.</p>",
        [("Once it is signed, we can go,", "Marco"), ("Go where, exactly?", "Lucia")],
    ),
]

# … or said to be someone's ("His cousin Anouk is his getaway driver"): her line is hers, not his
RELATION_APPOSITIVE += [
    (
        "<p>Mirko Vass owes money to the wrong people and plans to rob the arcade. His cousin Anouk is his "
        "getaway driver and is terrible at it. Her first line is “Do I keep the engine running?”</p>",
        [("Do I keep the engine running?", "Anouk")],
    ),
]

RELATION_APPOSITIVE_GUARDS = [
    # a possessive of the name's own clause still shows its gender
    (
        "<p>Later Marco waits in the barn, his hat in his hands. “We can go,” he says.</p>",
        [("We can go,", "Marco")],
    ),
]


@pytest.mark.parametrize(("html", "expected"), RELATION_APPOSITIVE + RELATION_APPOSITIVE_GUARDS)
def test_relation_appositive(html: str, expected: list[tuple[str, str | None]]) -> None:
    assert body_speakers(html) == expected


# A pronoun's tag in a block a host's label opens (the hosts' own words are outside quote marks): not the host
HOST_PRONOUNS = [
    (
        "<p><strong>Maud:</strong> Last scene. The quay at dawn. Rosalind and Osric.</p>"
        "<p><strong>Jun:</strong> Where we learn she has been writing to him for years.</p>"
        "<p><strong>Maud:</strong> “Keep the boat, I never wanted it,” she says, and walks off.</p>"
        "<p><strong>Jun:</strong> I side with Maud on that scene.</p>",
        [("Keep the boat, I never wanted it,", None)],
    ),
]

HOST_PRONOUNS_GUARDS = [
    # a named tag in the host's block still names its speaker
    (
        "<p><strong>Maud:</strong> Last scene. The quay at dawn. Rosalind and Osric.</p>"
        "<p><strong>Maud:</strong> “Keep the boat, I never wanted it,” Rosalind says, and walks off.</p>"
        "<p><strong>Jun:</strong> I side with Maud on that scene.</p>",
        [("Keep the boat, I never wanted it,", "Rosalind")],
    ),
]


@pytest.mark.parametrize(("html", "expected"), HOST_PRONOUNS + HOST_PRONOUNS_GUARDS)
def test_host_pronouns(html: str, expected: list[tuple[str, str | None]]) -> None:
    assert body_speakers(html) == expected


# The writer's own clause after a named subject's ("…, and I start a page headed “…”"): the line is not the
# subject's
WRITERS_CLAUSE = [
    (
        "<p>The inspector reads the will aloud. Opal writes it down, and I start a page in my notebook "
        "headed “the missing codicil.”</p>",
        [("the missing codicil.", None)],
    ),
]

WRITERS_CLAUSE_GUARDS = [
    # the subject's own speech verb still names them
    (
        "<p>The inspector reads the will aloud. Opal writes it down and mutters, “The missing codicil.”</p>",
        [("The missing codicil.", "Opal")],
    ),
]


@pytest.mark.parametrize(("html", "expected"), WRITERS_CLAUSE + WRITERS_CLAUSE_GUARDS)
def test_writers_clause(html: str, expected: list[tuple[str, str | None]]) -> None:
    assert body_speakers(html) == expected

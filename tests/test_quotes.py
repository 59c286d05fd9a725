"""Quoted spans and their speakers."""

import pytest

from recapcrawl.extraction.body import _speaker_from_cite
from recapcrawl.extraction.quotes import SpeakerContext, attribute_speakers, find_quote_spans


def speakers_of(text: str, context_text: str = "") -> list[tuple[str, str | None]]:
    context = SpeakerContext(excluded={"Harbor Lights"})
    context.learn(context_text + " " + text)
    context.see(context_text)
    spans = find_quote_spans(text)
    return list(zip([s.text for s in spans], attribute_speakers(text, spans, context), strict=True))


def test_every_kind_of_double_quote():
    text = 'She said “one,” then "two", then „drei“ and « quatre ».'
    assert [s.text for s in find_quote_spans(text)] == ["one,", "two", "drei", "quatre"]


def test_unclosed_quote_starts_nothing():
    assert [s.text for s in find_quote_spans("He said “this and never closed it.")] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("As Margo says, “We sail at dawn.”", [("We sail at dawn.", "Margo")]),
        ("Ed tells Dani, “Leave the lamp on.”", [("Leave the lamp on.", "Ed")]),
        ("“Leave the lamp on,” Dani says.", [("Leave the lamp on,", "Dani")]),
        ("“Leave the lamp on,” says Dani.", [("Leave the lamp on,", "Dani")]),
        ("The keeper, Okafor, finally asks, “Who lit it?”", [("Who lit it?", "Okafor")]),
        (
            "Priya checks the log. “Nobody,” she says. “Nobody at all.”",
            [("Nobody,", "Priya"), ("Nobody at all.", "Priya")],
        ),
        ("The episode is called “The Long Dark” and it earns it.", [("The Long Dark", None)]),
        ("Everyone is “fine” here.", [("fine", None)]),
    ],
)
def test_speakers(text, expected):
    assert speakers_of(text) == expected


def test_pronoun_skips_a_name_of_the_other_gender():
    context = "Mrs. Pell runs the house. Mr. Okafor keeps his keys on a chain."
    text = "Mr. Okafor shrugs. “Not my lamp,” she says."
    assert speakers_of(text, context) == [("Not my lamp,", "Mrs. Pell")]


def test_actors_are_not_speakers():
    text = "Nadia, played by Leila Haddad, finally snaps. “Enough,” she says."
    assert speakers_of(text) == [("Enough", "Nadia")] or speakers_of(text) == [("Enough,", "Nadia")]


def test_a_reply_is_not_the_asker():
    text = "Dr. Tess Alder reads the chart. When Okwu asks, “Well?” she answers with a shrug: “I don’t know.”"
    assert speakers_of(text) == [("Well?", "Okwu"), ("I don’t know.", "Dr. Tess Alder")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dani waits at the rail. Ed’s quiet “Dani” is all it takes.", [("Dani", "Ed")]),
        ("Best line: Mrs. Pell's “Spring is a long way off.”", [("Spring is a long way off.", "Mrs. Pell")]),
        ("Ada’s “lucky” coat is back.", [("lucky", None)]),
        (
            "When his apprentice Clara asks what went wrong, Idris says, “Nothing.”",
            [("Nothing.", "Idris")],
        ),
        (
            "Nell's deadpan “I like the dark” gets a laugh from the harbour master."
            " “Can you climb?” he asks Bram.",
            [("I like the dark", "Nell"), ("Can you climb?", None)],
        ),
    ],
)
def test_possessives_nearest_tags_and_unnamed_speakers(text, expected):
    assert speakers_of(text) == expected


@pytest.mark.parametrize(
    ("cite", "speaker"),
    [
        ("Ada Penrose, “The Fog Bell”", "Ada Penrose"),
        ("— Ada to Jory", "Ada"),
        ("“The Fog Bell”", None),
        ("The New York Times", None),
        ("Harbor Lights", None),
    ],
)
def test_pull_quote_cites(cite, speaker):
    assert _speaker_from_cite(cite, {"harbor lights"}) == speaker

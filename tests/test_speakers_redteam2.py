"""Issue 15, red team round 2: "Speakers, precision first. A wrong speaker is worse than none."

``tests/speakers/redteam2/`` holds 23 reviewer voices (406 quotes, 113 of them null), the first nine
written for this round before any rule was read, the rest while the round went on: natural recap prose full
of the shapes that trip the naming rules (lines read, written or sung, quotations from other works, scare
quotes, several people in a sentence, a speaker named only in the next paragraph, pronouns with two
candidates, addressees, titles, nicknames, possessives, passives, reported and hedged speech, the
reviewer's own voice). Each quote has the careful reader's answer, null where the text does not say who
speaks; the set is in the format of the scored sets (``tests/speakers/score_speakers.py``), and
``score_files`` reads it too.

Before this round the rules named a wrong person for 26 of its quotes; the round made them abstain in
general ways (see docs/speakers.md, "Red team, round 2"); one is left (``_KNOWN_WRONG``, a strict xfail).
Here: no other quote may get a wrong speaker (by the person the cast lists, not only the short name), and
the set's right answers may not fall below today's.
The single shapes below are the round's families, each in phrasings of its own; where the careful reader
would name someone and the rules now abstain, the case is a strict xfail.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from speaker_passages import body_speakers

HERE = Path(__file__).parent / "speakers" / "redteam2"

# Quotes of the red-team set whose wrong speaker is kept, knowingly: (voice, passage, quote). "Maureen Colley
# (Siobhan Reddy) … “Not once.” … Reddy lets the silence do the work": the pair's one named again is taken
# for the character (``SpeakerContext._learn_actors``), here the actor: Maureen's line is reported as Reddy's
_KNOWN_WRONG = {("newspaper_column", 0, "Not once.")}

_RIGHT_AT_LEAST = 257  # quotes whose speaker is the gold person (null included), at the end of the round


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return " ".join(text.split()).strip(" .,!?;:—–-'\"")


def _same_person(said: str, gold: str, cast: dict[str, list[str]]) -> bool:
    return _norm(said) in {_norm(gold)} | {_norm(form) for form in cast.get(gold, [])}


def _red_team() -> list[tuple[str, int, dict]]:
    return [
        (path.stem, number, passage)
        for path in sorted(HERE.glob("*.json"))
        for number, passage in enumerate(json.loads(path.read_text(encoding="utf-8"))["passages"])
    ]


def _outcomes() -> list[tuple[str, int, str, str | None, str | None, dict[str, list[str]]]]:
    """(voice, passage, quote, gold, said, cast) for every gold quote of the set (said None if not found)."""
    found = []
    for voice, number, passage in _red_team():
        got = body_speakers(passage["html"])
        waiting = list(range(len(got)))
        for text, gold in passage["quotes"]:
            match = next((i for i in waiting if _norm(got[i][0]) == _norm(text)), None)
            if match is not None:
                waiting.remove(match)
            said = got[match][1] if match is not None else None
            found.append((voice, number, text, gold, said, passage.get("cast", {})))
        for i in waiting:  # a quote the gold list does not have may not be given a speaker either
            found.append((voice, number, got[i][0], None, got[i][1], {}))
    return found


def test_red_team_set_is_the_round_s():
    passages = _red_team()
    quotes = [quote for _, _, passage in passages for quote in passage["quotes"]]
    assert len({voice for voice, _, _ in passages}) >= 23
    assert len(quotes) >= 400
    assert sum(gold is None for _, gold in quotes) >= 100


def test_red_team_no_wrong_speaker():
    """No quote of the red-team set is given a speaker who is not its gold person (by the cast's forms)."""
    wrong = [
        (voice, number, text, gold, said)
        for voice, number, text, gold, said, cast in _outcomes()
        if said
        and not (gold and _same_person(said, gold, cast))
        and (voice, number, text) not in _KNOWN_WRONG
    ]
    assert wrong == []


@pytest.mark.parametrize("known", sorted(_KNOWN_WRONG))
@pytest.mark.xfail(strict=True, reason="a wrong speaker kept, knowingly (see _KNOWN_WRONG)")
def test_red_team_known_wrong(known):
    voice, number, text = known
    for found_voice, found_number, found_text, gold, said, cast in _outcomes():
        if (found_voice, found_number, found_text) == known:
            assert not said or bool(gold and _same_person(said, gold, cast))
            return
    raise AssertionError(f"{known} is not in the red-team set")


def test_red_team_right_answers_hold():
    """Precision is not bought with every answer: the quotes whose speaker is the gold person (a null where
    the gold is null) stay at least as many as at the end of the round."""
    right = sum(
        (said is None and gold is None) or bool(said and gold and _same_person(said, gold, cast))
        for _, _, _, gold, said, cast in _outcomes()
    )
    assert right >= _RIGHT_AT_LEAST


_ABSTAINS = "the rules now abstain here; naming this speaker would need a better reading than a guess"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # a pronoun whose candidate, of no gender the text shows, has just done something to a "her"/"him":
        # someone else of that gender is in the scene
        (
            "<p>Mold finally finishes a cup of tea. Doyle brings her another. ‘Don’t push it,’ she says.</p>",
            [("Don’t push it,", None)],
        ),
        (
            "<p>Okafor sits down. Brandt pours him a drink. “Thanks,” he says.</p>",
            [("Thanks,", None)],
        ),
        # a pronoun the chosen person's first name almost rules out, with a likelier one in the paragraph
        (
            "<p>Miriam talks to Felix. He laughs. “That’s not it.”</p>",
            [("That’s not it.", "Felix")],
        ),
        (
            "<p>Helen argues with Marcus. He shrugs. “Fine.”</p>",
            [("Fine.", "Marcus")],
        ),
        # a hedge on who speaks: "sounded like", "may have been", "I think it was", "supposedly", "seems to"
        (
            "<p>The trailer has an explosion and what sounded very much like Gough shouting ‘Not on my "
            "watch!’</p>",
            [("Not on my watch!", None)],
        ),
        (
            "<p>Someone who sounded a lot like Vera yells “Get down!” off screen.</p>",
            [("Get down!", None)],
        ),
        (
            "<p>It may have been Theo who shouts “Now!” from the stairs.</p>",
            [("Now!", None)],
        ),
        (
            "<p>I think it was Ingrid who said “never again,” but the sound mix is awful.</p>",
            [("never again,", None)],
        ),
        (
            "<p>Theo supposedly tells Ingrid, “I never loved you.”</p>",
            [("I never loved you.", None)],
        ),
        (
            "<p>Theo reportedly told the producers, “I’m done with this show.”</p>",
            [("I’m done with this show.", None)],
        ),
        (
            "<p>Exhibit A: Tyreek allegedly called Saoirse “a strategy.”</p>",
            [("a strategy.", None)],
        ),
        (
            "<p>Theo seems to whisper “help me” as the door closes.</p>",
            [("help me", None)],
        ),
        # a line only claimed or reported by someone else (or by the writer)
        (
            "<p>Ingrid insists Theo told her, “The money is gone.”</p>",
            [("The money is gone.", None)],
        ),
        (
            "<p>Ingrid claims Theo called her “a liar.”</p>",
            [("a liar.", None)],
        ),
        (
            "<p>Theo swears that Ingrid called him “a coward.”</p>",
            [("a coward.", None)],
        ),
        (
            "<p>According to Ingrid, Theo said “the money is gone.”</p>",
            [("the money is gone.", None)],
        ),
        (
            "<p>A correction: last week we reported that Wade tells Dale “you’ll get nothing.”</p>",
            [("you’ll get nothing.", None)],
        ),
        (
            "<p>Gary tells Nadia that Dell said “the cash is in the ceiling.”</p>",
            [("the cash is in the ceiling.", None)],
        ),
        # a group opening the sentence is nobody's name
        (
            "<p>Critics who called the first season “a costume drama with a calculator” will find little "
            "here.</p>",
            [("a costume drama with a calculator", None)],
        ),
        (
            "<p>Critics say the show is “too slow.”</p>",
            [("too slow.", None)],
        ),
        # a quote after a determiner is a word in a noun phrase, not a line
        (
            "<p>Brandi is explaining her “type” to Saoirse.</p>",
            [("type", None)],
        ),
        (
            "<p>Theo launches into his “I’m a changed man” speech again.</p>",
            [("I’m a changed man", None)],
        ),
        # an infinitive's speech verb with a subject of its own after the name
        (
            "<p>Tobias Wren stands on the quay and the whole sequence seems to whisper “the return of the "
            "native” without daring to say so.</p>",
            [("the return of the native", None)],
        ),
        (
            "<p>Theo opens the door and the whole room seems to say “finally.”</p>",
            [("finally.", None)],
        ),
        (
            "<p>As Ingrid’s mother used to say, “Never trust a man with two watches.”</p>",
            [("Never trust a man with two watches.", None)],
        ),
        # something written read out by a reader the clause names after it, in another's voice now
        (
            "<p>We hear, in her late father’s voice, a line from his letter that Lionel read aloud in the "
            "pilot: “What the sea takes, the bank keeps.”</p>",
            [("What the sea takes, the bank keeps.", None)],
        ),
        # a name right after a verb or a preposition is no later verb's subject
        (
            "<p>He stops Ray for speeding and tells him that Callie’s father “has a lot of enemies in this "
            "valley.”</p>",
            [("has a lot of enemies in this valley.", None)],
        ),
        (
            "<p>Best cameo: Inspector Vane on Cold Harbour Road, staring at the body and muttering "
            "“Not again.”</p>",
            [("Not again.", None)],
        ),
        # a line only imagined
        (
            "<p>If Maddox had simply said, “You don’t have to like him,” he might have had a chance.</p>",
            [("You don’t have to like him,", None)],
        ),
        (
            "<p>Imagine Ingrid telling him “you were right.” Never.</p>",
            [("you were right.", None)],
        ),
        # capitals for emphasis are nobody's name; a tag that goes on from an unnamed person's line
        (
            "<p>Kylie’s dad is Not Happy. ‘If that boy comes near my daughter again,’ he growls at the bar, "
            "‘he’ll be swimming home.’</p>",
            [("If that boy comes near my daughter again,", None), ("he’ll be swimming home.", None)],
        ),
        (
            "<p>Ingrid’s dad is Very Upset. “Who did this?” he roars.</p>",
            [("Who did this?", None)],
        ),
        # words written and sent, "from" their writer
        (
            "<p>Later, she gets a text from Owen: “Dad’s crying in the shed.”</p>",
            [("Dad’s crying in the shed.", None)],
        ),
        (
            "<p>Then a letter from Theo: “Don’t look for me.”</p>",
            [("Don’t look for me.", None)],
        ),
        # a subject who leaves, and a line after: someone else's, or a guess
        (
            "<p>Theo storms out. “Good riddance.”</p>",
            [("Good riddance.", None)],
        ),
        # a label whose colon ends another subject's clause; a list's place or a prize's is nobody's name
        (
            "<p>Hana is walking the board through the numbers when a voice from the doorway cuts in: “You "
            "forgot the pension fund.”</p>",
            [("You forgot the pension fund.", None)],
        ),
        (
            "<p>Runner-up goes to Hana, who when Marcus asks if she’s on his side, says only: “I’m on the "
            "side of the spreadsheet.”</p>",
            [("I’m on the side of the spreadsheet.", None)],
        ),
        (
            "<p>Top comment, from user tiara_truther: “so she did it??” Second: “she did it.” Third, from my "
            "mum: “Told you, love.”</p>",
            [("so she did it??", None), ("she did it.", None), ("Told you, love.", None)],
        ),
        (
            "<p>Imogen smiles. Roll credits over the narrator again: “Every house has a thief.”</p>",
            [("Every house has a thief.", None)],
        ),
        # a line someone repeats after another ("says what Dara says:")
        (
            "<p>Raman: I’ll say what Dara says: “Ask me tomorrow.”</p>",
            [("Ask me tomorrow.", None)],
        ),
        (
            "<p>Asked about a second season, Tom repeats what Dara always says: “Ask me tomorrow.”</p>",
            [("Ask me tomorrow.", None)],
        ),
        # a surname the page gives several people (Mr and Mrs Ashgrove) is no one's short name
        (
            "<p>The twins, Kit and Clem Ashgrove, listen at the door while Mr Ashgrove and Mrs Ashgrove "
            "argue. “Is Papa going to prison?” Clem whispers.</p>",
            [("Is Papa going to prison?", "Clem")],
        ),
        # a sound right after a line, another person's: the sentence before tells nothing sure
        (
            "<p>Theo says the house is his. “Yours?” Ingrid laughs. “Since when?”</p>",
            [("Yours?", None), ("Since when?", "Ingrid")],
        ),
        # (recall kept or gained: a split line's second half is its tag's speaker's)
        (
            "<p>Absalom Tregear is a preacher. “The meek shall inherit,” he tells Hester, “but not yet.”</p>",
            [("The meek shall inherit,", "Tregear"), ("but not yet.", "Tregear")],
        ),
        (
            "<p>Augusta Penrose does not raise her voice. “You may sell your half,” she tells him, “the "
            "moment you can find it.”</p>",
            [("You may sell your half,", "Penrose"), ("the moment you can find it.", "Penrose")],
        ),
        # (limits the careful reader would name: the rules abstain)
        pytest.param(
            "<p>It was Dell, not Gary, who said “the cash is in the ceiling.”</p>",
            [("the cash is in the ceiling.", "Dell")],  # (it was Gary's: a name after "not" now names nobody)
            marks=pytest.mark.xfail(strict=True, reason=_ABSTAINS),
        ),
        pytest.param(
            "<p>Wade insists he paid fair. “Fair?” Dale laughs.</p>",
            [("Fair?", "Dale")],
            marks=pytest.mark.xfail(strict=True, reason=_ABSTAINS),
        ),
        pytest.param(
            "<p>Theo and Ingrid face off in the kitchen. “You always do this,” he snaps.</p>",
            [("You always do this,", "Theo")],
            marks=pytest.mark.xfail(strict=True, reason=_ABSTAINS),
        ),
        pytest.param(
            "<p>Sheriff Tom Beaudry pulls Ray over. He tells him that Callie’s father “has a lot of enemies "
            "in this valley.”</p>",
            [("has a lot of enemies in this valley.", "Beaudry")],
            marks=pytest.mark.xfail(strict=True, reason=_ABSTAINS),
        ),
    ],
)
def test_red_team_round_2_shapes(html, expected):
    assert body_speakers(html) == expected

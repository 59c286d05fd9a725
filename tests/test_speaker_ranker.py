"""The learned speaker ranker's features and model (recapcrawl/extraction/speaker_ranker.py): measured in
docs/speakers.md ("A learned ranker (session 10)") and not used by the extraction, which it did not beat."""

from __future__ import annotations

import json
from pathlib import Path

from recapcrawl.extraction.body import _parse_fragment, split_body
from recapcrawl.extraction.dom import text_of
from recapcrawl.extraction.quotes import SpeakerContext
from recapcrawl.extraction.speaker_ranker import Model, load_model

Rows = list[tuple[str, dict[str, float]]]


def _logged(html: str) -> tuple[list[tuple[Rows, str | None, str | None]], list[str | None]]:
    """Each inline quote's (candidates, rules' pick, rule), and the extraction's speakers."""
    context = SpeakerContext()
    context.learn(text_of(_parse_fragment(html)))
    context.ranker_log = []
    body = split_body(html, context)
    return context.ranker_log, [quote.speaker for quote in body.quotes]


def test_features_of_a_tagged_line() -> None:
    log, speakers = _logged("<p>Hallie Brandt slides into the booth. “You look terrible,” she says.</p>")
    rows, pick, rule = log[0]
    assert (pick, rule) == ("Brandt", "tag_after_pronoun") and speakers == ["Brandt"]
    features = dict(rows)["Brandt"]
    assert features["pick"] == features["pick_pronoun"] == 1.0
    assert features["b_subject"] == 1.0 and features["b_last"] == 1.0  # the sentence's subject, right before
    assert features["pronoun_agrees"] == 1.0  # "she", and Hallie is a woman's name
    assert features["n_people_1"] == 1.0


def test_features_of_an_exchange() -> None:
    log, speakers = _logged(
        "<p>Hallie and Marcus argue in the car. “You lied to me, Marcus.” “I protected you.”</p>"
    )
    assert speakers == ["Hallie", "Marcus"]  # the rules: a line calling Marcus by name, then his answer
    first = dict(log[0][0])
    assert set(first) == {"Hallie", "Marcus"}
    assert first["Hallie"]["p_first"] == 1.0 and first["Marcus"]["b_oblique"] == 1.0  # "… and Marcus"
    assert first["Marcus"]["named_in_quote"] == 1.0  # the one spoken to
    second = dict(log[1][0])
    assert second["Marcus"]["named_in_previous_quote"] == 1.0 and second["Marcus"]["alternate"] == 1.0
    assert second["Hallie"]["spoke_previous"] == 1.0 and second["Hallie"]["alternate"] == 0.0
    assert second["Hallie"]["p_earlier"] == 1.0 and "b_gap" not in second["Hallie"]


def test_previous_block_and_recent_people_are_candidates() -> None:
    log, _ = _logged("<p>Marcus looks at Hallie Brandt for a long moment.</p><p>“Fine. Take it.”</p>")
    rows, pick, _ = log[0]
    features = dict(rows)
    assert pick is None and set(features) == {"Marcus", "Brandt"}
    assert features["Marcus"]["prev_block_subject"] == 1.0 and features["Brandt"]["prev_block_last"] == 1.0
    assert features["Brandt"]["recent_0"] == 1.0 and features["Marcus"]["recent_1"] == 1.0
    assert features["Marcus"]["p_absent"] == 1.0  # not named in the line's own paragraph


def test_no_log_without_asking() -> None:
    context = SpeakerContext()
    html = "<p>Hallie Brandt slides into the booth. “You look terrible,” she says.</p>"
    context.learn(text_of(_parse_fragment(html)))
    split_body(html, context)
    assert context.ranker_log is None and context.quote_history == []


def test_model_loads_names_and_abstains(tmp_path: Path) -> None:
    weights = {"bias": -3.0, "prev_block_subject": 2.0, "recent_1": 2.0, "named_in_quote": -4.0}
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"threshold": 0.7, "weights": weights}), encoding="utf-8")
    model = load_model(path)
    assert model == Model(weights=weights, threshold=0.7)
    log, speakers = _logged("<p>Marcus looks at Hallie Brandt for a long moment.</p><p>“Fine. Take it.”</p>")
    assert speakers == [None]
    assert model.speaker(log[0][0]) == "Marcus"  # a speaker the rules missed: p = sigmoid(1) = 0.73
    # the same line calling Marcus by name: he is spoken to, and the ranker names nobody
    log, speakers = _logged("<p>Marcus looks at Hallie Brandt for a long moment.</p><p>“Fine, Marcus.”</p>")
    assert speakers == [None] and model.speaker(log[0][0]) is None
    assert (
        Model(weights=weights, threshold=0.9).speaker(
            _logged("<p>Marcus looks at Hallie Brandt.</p><p>“Fine. Take it.”</p>")[0][0][0]
        )
        is None
    )  # below the threshold
    assert model.choose([]) == (None, -1.0)

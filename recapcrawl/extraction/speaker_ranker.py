"""A learned speaker ranker, measured and not used by the extraction (docs/speakers.md, "A learned ranker
(session 10)").

For each quote of a paragraph, the candidates are the people of the article's cast named in the paragraph
(outside its quotes), in the block before it, among the last people named before it, and the rules' picks
for the quotes around it. Each (quote, candidate) pair gets generic features (where the name stands against
the quote, a speech verb between them, a he/she tag that agrees, who spoke the lines before, the name inside
the line, ...); ``tools/train_speaker_ranker.py`` collects them through ``SpeakerContext.ranker_log``, fits a
logistic model over the pairs and measures it leave-one-set-out against the rules. ``Model`` is that model
in pure Python (weights read from the JSON the tool writes with ``--write``).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .names import _NAME, _PRONOUN_GENDER, _ends_sentence, _is_name, _names_actor, _space_before
from .speaker_context import _VERBS
from .speech_tags import _title_like

if TYPE_CHECKING:
    from .quote_spans import QuoteSpan
    from .speaker_context import SpeakerContext

_SPEECH_VERB = re.compile(rf"\b(?:{_VERBS})\b")
_VERB_AFTER_NAME = re.compile(rf"\s+(?:\w+ly\s+)?(?:{_VERBS}|[a-z]+s|[a-z]+ed)\b")
_TAG_AFTER = re.compile(rf"[\s,—–-]*(?:(?:\w+ly\s+)?(?:{_VERBS})\s+(?:\w+ly\s+)?$|$)")
_PREPOSITION_BEFORE = re.compile(r"\b(?:to|with|at|for|from|by|of|on|about|toward|towards|and|than|like)\s+$")
_POSSESSIVE_AFTER = re.compile(r"[’']s\b")
_SENTENCE_END = re.compile(r"[.!?…][”\"’]?\s")
_PRONOUN_TAG_BEFORE = re.compile(
    rf"\b(?P<p>he|she|He|She)\s+(?:\w+ly\s+)?(?:{_VERBS})\b[^.!?“”\"]{{0,40}}[,:—–]?\s*$"
)
_PRONOUN_TAG_AFTER = re.compile(
    rf"[\s,—–-]*(?:(?P<p>he|she|He|She)\s+(?:\w+ly\s+)?(?:{_VERBS})\b|(?:{_VERBS})\s+(?P<q>he|she)\b)"
)
_WRITTEN = re.compile(
    r"\b(?:text|texts|texted|message|note|sign|caption|headline|letter|email|reads|wrote|writes)\b"
)

# evidence classes of the rules (``speakers.evidence_of``), as features
EVIDENCE = ("named", "pronoun", "context")


@dataclass(frozen=True)
class Mention:
    key: str  # the cast key of the person named
    start: int
    end: int
    sentence_start: bool  # the name opens its sentence (or the paragraph)
    subject: bool  # opens its sentence or clause and a verb follows
    oblique: bool  # after a preposition, or a possessive


def _mentions(text: str, start: int, end: int, context: SpeakerContext) -> list[Mention]:
    """The people of the cast named in ``text[start:end]`` (outside quotes), in order."""
    found: list[Mention] = []
    cast = context.cast
    for match in _NAME.finditer(text, start, end):
        name = match.group(0)
        at = match.start()
        space = _space_before(text, at)
        opens = space == 0 or _ends_sentence(text, space, at)
        if not _is_name(name, context.known_first_names, opens):
            continue
        if name in context.actors or _names_actor(text, space, at, match.end()):
            continue
        if name.casefold() in context.excluded or not cast.is_person(name):
            continue
        key = cast.key(name)
        if not key:
            continue
        clause = opens or text[max(0, space - 1) : space] in (",", ";", "—", "–", ":")
        verb = bool(_VERB_AFTER_NAME.match(text, match.end()))
        oblique = bool(
            _PREPOSITION_BEFORE.search(text, max(0, at - 9), at) or _POSSESSIVE_AFTER.match(text, match.end())
        )
        found.append(Mention(key, at, match.end(), opens, clause and verb, oblique))
    return found


def _people_in(text: str, context: SpeakerContext) -> list[Mention]:
    """Mentions in a whole text, quoted stretches left out."""
    from .quote_spans import find_quote_spans

    spans = find_quote_spans(text)
    found: list[Mention] = []
    cursor = 0
    for span in [*spans, None]:
        stop = span.start if span is not None else len(text)
        found.extend(_mentions(text, cursor, stop, context))
        if span is not None:
            cursor = span.end
    return found


def _named_in_quote(quote: str, context: SpeakerContext) -> set[str]:
    cast = context.cast
    keys = set()
    for match in _NAME.finditer(quote):
        name = match.group(0)
        if _is_name(name, context.known_first_names, False) and cast.is_person(name):
            key = cast.key(name)
            if key:
                keys.add(key)
    return keys


def _gender_of_pronoun(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    pronoun = match.group("p") or (match.groupdict().get("q") or "")
    return _PRONOUN_GENDER.get(pronoun.lower())


def quote_features(
    text: str,
    spans: list[QuoteSpan],
    picks: list[str | None],
    evidence: list[str | None],
    context: SpeakerContext,
    previous_block: str,
    recent: list[str],
    history: list[tuple[str | None, str]],
) -> list[list[tuple[str, dict[str, float]]]]:
    """For each quote of the paragraph ``text``: its candidates (cast keys) and each one's features.

    ``picks`` are the rules' speakers as cast keys (None where they named nobody) and ``evidence`` their
    evidence classes; ``recent`` the people named last before the paragraph (latest first); ``history`` the
    rules' picks and the texts of the quotes before the paragraph (oldest first)."""
    cast = context.cast
    people = _mentions(text, 0, spans[0].start, context)
    for index, span in enumerate(spans):
        stop = spans[index + 1].start if index + 1 < len(spans) else len(text)
        people.extend(_mentions(text, span.end, stop, context))
    previous = _people_in(previous_block, context) if previous_block else []
    previous_keys = [m.key for m in previous]
    previous_last = previous_keys[-1] if previous_keys else None
    previous_subjects = {m.key for m in previous if m.subject}
    distinct = list(dict.fromkeys(m.key for m in people))
    in_paragraph = {key: sum(1 for m in people if m.key == key) for key in distinct}
    first_key = people[0].key if people else None
    n_people = len(distinct)
    result: list[list[tuple[str, dict[str, float]]]] = []
    quoted = [_named_in_quote(span.text, context) for span in spans]
    # the quotes of the article so far and this paragraph's, in order: (pick, names in the quote)
    sequence = [(pick, _named_in_quote(quote, context)) for pick, quote in history] + list(
        zip(picks, quoted, strict=True)
    )
    offset = len(history)
    alone = not text[: spans[0].start].strip(" \t\n“”\"‘’'") and not text[spans[-1].end :].strip(
        " \t\n“”\"‘’'.,"
    )
    for index, span in enumerate(spans):
        gap_start = spans[index - 1].end if index else 0
        gap_end = spans[index + 1].start if index + 1 < len(spans) else len(text)
        before = [m for m in people if gap_start <= m.start and m.end <= span.start]
        after = [m for m in people if span.end <= m.start and m.end <= gap_end]
        earlier = {m.key for m in people if m.end <= gap_start}
        later = {m.key for m in people if m.start >= gap_end}
        gap_before = text[gap_start : span.start]
        gap_after = text[span.end : gap_end]
        pronoun = _gender_of_pronoun(_PRONOUN_TAG_BEFORE.search(gap_before)) or _gender_of_pronoun(
            _PRONOUN_TAG_AFTER.match(gap_after)
        )
        candidates = list(
            dict.fromkeys(
                [m.key for m in before]
                + [m.key for m in after]
                + [m.key for m in people]
                + previous_keys[-4:]
                + recent
                + [pick for pick, _ in sequence[max(0, offset + index - 3) :] if pick]
            )
        )
        quote = span.text
        words = len(quote.split())
        base = {
            "bias": 1.0,
            "q_question": float(quote.endswith("?")),
            "q_short": float(words <= 3),
            "q_long": float(words >= 15),
            "q_title": float(_title_like(quote)),
            "q_first": float(index == 0),
            "q_after_question": float(index > 0 and spans[index - 1].text.endswith("?")),
            "q_written": float(bool(_WRITTEN.search(gap_before[-60:]))),
            "q_gap_empty": float(not gap_before.strip(" ,.;:—–-")),
            "q_rules_named_other": float(any(picks)),
            "n_people_1": float(n_people == 1),
            "n_people_2": float(n_people == 2),
            "n_people_3": float(n_people >= 3),
            "q_pronoun_tag": float(pronoun is not None),
            "q_alone": float(alone and len(spans) == 1),
        }
        at = offset + index
        last_pick = sequence[at - 1][0] if at >= 1 else None
        second_pick = sequence[at - 2][0] if at >= 2 else None
        last_named = sequence[at - 1][1] if at >= 1 else set()
        # two people taking turns: the paragraph's people and the last two speakers, when they are two
        party = set(in_paragraph) | {pick for pick in (last_pick, second_pick) if pick}
        rows: list[tuple[str, dict[str, float]]] = []
        for key in candidates:
            f = dict(base)
            mine_before = [m for m in before if m.key == key]
            mine_after = [m for m in after if m.key == key]
            if picks[index] == key:
                f["pick"] = 1.0
                f["pick_" + (evidence[index] or "context")] = 1.0
            elif picks[index]:
                f["other_pick"] = 1.0
            if mine_before:
                last = mine_before[-1]
                between = text[last.end : span.start]
                f["b_gap"] = 1.0
                f["b_last"] = float(before[-1].key == key)
                f["b_near"] = math.exp(-len(between) / 40)
                f["b_same_sentence"] = float(not _SENTENCE_END.search(between))
                f["b_subject"] = float(last.subject)
                f["b_oblique"] = float(last.oblique)
                f["b_speech_verb"] = float(bool(_SPEECH_VERB.search(between)) and len(between) < 120)
                f["b_intro"] = float(bool(re.search(r"[,:—–]\s*$", between)) and f["b_same_sentence"] > 0)
                f["b_other_between"] = float(any(m.start >= last.end and m.key != key for m in before))
            if mine_after:
                first = mine_after[0]
                between = text[span.end : first.start]
                f["a_gap"] = 1.0
                f["a_first"] = float(after[0].key == key)
                f["a_near"] = math.exp(-len(between) / 30)
                f["a_tag"] = float(
                    len(between) <= 12
                    and not quote.endswith((".", "…"))
                    and bool(_SPEECH_VERB.match(text, first.end + 1) or _SPEECH_VERB.search(between))
                )
                f["a_tag_any"] = float(
                    len(between) <= 20 and bool(_TAG_AFTER.match(text, span.end, first.start))
                )
                f["a_verb_after"] = float(bool(_SPEECH_VERB.match(text, first.end + 1)))
                f["a_subject"] = float(first.subject)
                f["a_new_sentence"] = float(quote.endswith((".", "!", "?", "…")) and first.sentence_start)
            f["p_earlier"] = float(key in earlier)
            f["p_later"] = float(key in later)
            f["p_first"] = float(first_key == key)
            f["p_count"] = math.log1p(in_paragraph.get(key, 0))
            f["p_absent"] = float(key not in in_paragraph)
            f["prev_block"] = float(key in previous_keys)
            f["prev_block_last"] = float(previous_last == key)
            f["prev_block_subject"] = float(key in previous_subjects)
            f["named_in_quote"] = float(key in quoted[index])
            f["named_in_previous_quote"] = float(key in last_named)
            f["named_in_next_quote"] = float(index + 1 < len(spans) and key in quoted[index + 1])
            f["spoke_previous"] = float(last_pick == key)
            f["spoke_before_previous"] = float(second_pick == key)
            f["spoke_next"] = float(index + 1 < len(spans) and picks[index + 1] == key)
            f["spoke_in_paragraph"] = float(key in picks)
            f["alternate"] = float(
                len(party) == 2 and last_pick is not None and last_pick != key and key in party
            )
            f["turns"] = float(second_pick == key and last_pick is not None and last_pick != key)
            if key in recent:
                f[f"recent_{recent.index(key)}"] = 1.0
                f["recent_only"] = float(key not in in_paragraph and key not in previous_keys)
            if pronoun is not None:
                gender = cast.likely_gender(key)
                f["pronoun_agrees"] = float(gender == pronoun)
                f["pronoun_clashes"] = float(gender is not None and gender != pronoun)
            rows.append((key, f))
        result.append(rows)
    return result


@dataclass(frozen=True)
class Model:
    """Logistic weights over the features, and the probability a candidate needs to be named."""

    weights: dict[str, float]
    threshold: float

    def probability(self, features: dict[str, float]) -> float:
        z = sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def choose(self, rows: list[tuple[str, dict[str, float]]]) -> tuple[str | None, float]:
        """The best candidate and its probability (None, -1.0 where there is none); ties go to the first."""
        best, best_p = None, -1.0
        for key, features in rows:
            p = self.probability(features)
            if p > best_p:
                best, best_p = key, p
        return best, best_p

    def speaker(self, rows: list[tuple[str, dict[str, float]]]) -> str | None:
        """The best candidate where its probability reaches the threshold, else None."""
        best, p = self.choose(rows)
        return best if best is not None and p >= self.threshold else None


def load_model(path: str | Path) -> Model:
    """The model in a JSON file written by ``tools/train_speaker_ranker.py --write``."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Model(
        weights={str(k): float(v) for k, v in data["weights"].items()}, threshold=float(data["threshold"])
    )

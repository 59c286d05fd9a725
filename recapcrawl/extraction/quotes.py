"""Quoted speech: spans in double quotation marks (and British single marks ‘…’), and who says them.

A per-article ``Cast`` knows the people the text names (short forms, titles and ranks stripped, things and
places left out); ``attribute_speakers`` tries, for each quote, labels and dash credits, a speech tag after
or before the quote, a quote continuing the previous one, a subject just before it, and two-person
exchanges that take turns — and gives no speaker where the text leaves a doubt: a wrong speaker is worse
than none. The rules, with an example of each, are listed in docs/speakers.md.

This module only gathers the names other code and the tests import: the spans are found in
``quote_spans``, names and the ``Cast`` read in ``names``, what a recap has mentioned is kept by
``speaker_context``; ``speakers`` runs the rules, with speech tags in ``speech_tags`` and two-person
exchanges in ``exchanges``.
"""

from __future__ import annotations

from .names import (
    _ACTOR_BEFORE,
    _CLAUSE_END,
    _DETERMINERS,
    _FEMALE_TITLES,
    _GENDERED_TITLES,
    _MALE_TITLES,
    _NAME,
    _NAME_MID_SENTENCE,
    _NOT_NAMES,
    _PRONOUN_GENDER,
    _WORDS,
    NAME,
    Cast,
    _first_name,
    _is_name,
)
from .quote_spans import _HAS_QUOTE_MARK, _QUOTE_SPAN, _SINGLE_SPAN, QuoteSpan, find_quote_spans
from .speaker_context import SpeakerContext
from .speakers import attribute_speakers, attributions, evidence_of, heading_line_speaker, title_like
from .speech_tags import (
    _COLON_INTRO,
    _COLON_INTRO_APPOSITIVE,
    _FROM_NAME,
    _INFINITIVE,
    _POSSESSIVE_BARE,
    _POSSESSIVE_DELIVERY,
    _POSSESSIVE_LINE,
    _SENTENCE_END,
    _intro_patterns,
    someone_unnamed_since,
)

# the private names are imported by tests/test_speed_equivalence_quotes.py
__all__ = [
    "Cast",
    "NAME",
    "QuoteSpan",
    "SpeakerContext",
    "_ACTOR_BEFORE",
    "_CLAUSE_END",
    "_COLON_INTRO",
    "_COLON_INTRO_APPOSITIVE",
    "_DETERMINERS",
    "_FEMALE_TITLES",
    "_FROM_NAME",
    "_GENDERED_TITLES",
    "_HAS_QUOTE_MARK",
    "_INFINITIVE",
    "_MALE_TITLES",
    "_NAME",
    "_NAME_MID_SENTENCE",
    "_NOT_NAMES",
    "_POSSESSIVE_BARE",
    "_POSSESSIVE_DELIVERY",
    "_POSSESSIVE_LINE",
    "_PRONOUN_GENDER",
    "_QUOTE_SPAN",
    "_SENTENCE_END",
    "_SINGLE_SPAN",
    "_WORDS",
    "_first_name",
    "_intro_patterns",
    "_is_name",
    "attribute_speakers",
    "attributions",
    "evidence_of",
    "find_quote_spans",
    "heading_line_speaker",
    "someone_unnamed_since",
    "title_like",
]

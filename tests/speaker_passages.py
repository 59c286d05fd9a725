"""The speakers the real extraction gives the quotes of a small passage, for the speaker tests."""

from __future__ import annotations

from recapcrawl.extraction.body import _parse_fragment, split_body
from recapcrawl.extraction.quotes import SpeakerContext


def body_speakers(html: str) -> list[tuple[str, str | None]]:
    """The quotes the real extraction finds in one passage, with their speakers, as ``split`` does for a page:
    the speaker context learns the whole body first."""
    context = SpeakerContext()
    context.learn_element(_parse_fragment(html))
    return [(quote.text, quote.speaker) for quote in split_body(html, context).quotes]

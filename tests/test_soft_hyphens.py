"""Soft hyphens are invisible in a browser, so the archive drops them in every form a page writes them
(``dom.parse_html``): "Mit&shy;tel&shy;al&shy;ter" is stored, shown and searched as "Mittelalter"."""

from __future__ import annotations

import pytest

from recapcrawl.extraction.dom import parse_html

FORMS = ["\xad", "&shy;", "&#173;", "&#xAD;", "&#xad;"]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("as_bytes", [True, False], ids=["bytes", "str"])
def test_every_form_of_soft_hyphen_is_dropped(form: str, as_bytes: bool) -> None:
    word = form.join(["Mit", "tel", "al", "ter"])
    head = f"<head><meta charset='utf-8'><title>{word}</title></head>"
    page = f"<html>{head}<body><p>Im {word}.</p></body></html>"
    root = parse_html(page.encode("utf-8") if as_bytes else page)
    assert root.findtext(".//p") == "Im Mittelalter."
    assert root.findtext(".//title") == "Mittelalter"


def test_ampersands_without_a_soft_hyphen_are_left_alone() -> None:
    page = b"<html><body><p>Fish &amp; chips &#174; &#1730; &#xA9;</p></body></html>"
    assert parse_html(page).findtext(".//p") == "Fish & chips \xae \u06c2 \xa9"

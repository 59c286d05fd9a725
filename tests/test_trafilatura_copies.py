"""trafilatura's fast run on a throwaway document without its copies (``trafilatura_copies``) gives what
the run with them gives, copies everything else as before, and only in the thread that asked."""

from __future__ import annotations

import copy
import threading
from pathlib import Path

import pytest
import trafilatura.core
from lxml import etree

from recapcrawl.extraction import generic
from recapcrawl.extraction import trafilatura_copies as copies
from recapcrawl.extraction.dom import parse_html

PAGES = sorted((Path(__file__).parent / "pages").glob("*/*.html"))
IDS = [f"{p.parent.name}/{p.stem}" for p in PAGES]


def test_the_installed_trafilatura_is_the_code_the_copies_were_read_against() -> None:
    """A new trafilatura fails here: read ``bare_extraction`` and ``trafilatura_sequence`` again (are the tree
    and the backup still unread after the cleaning in a fast, precise, comment-free run?), then update
    ``SOURCE_DIGEST``. Until then the copies are made as before."""
    assert copies._source_digest() == copies.SOURCE_DIGEST
    assert copies.applies()


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_a_fast_run_without_copies_finds_what_the_run_with_them_finds(path: Path) -> None:
    root = parse_html(path.read_bytes())
    body = root.find("body")
    assert body is not None
    with_copies = generic._extract(generic.narrowed(body), generic._FAST)
    without = generic._fast_run(generic.narrowed(body))
    serialized = [
        None if b is None else etree.tostring(b, encoding="unicode") for b in (with_copies, without)
    ]
    assert serialized[0] == serialized[1]


def test_only_the_given_document_goes_uncopied_and_only_while_the_block_runs() -> None:
    document = parse_html("<html><body><p>The lighthouse keeper's log, page one.</p></body></html>")
    other = parse_html("<html><body><p>A different page.</p></body></html>")
    with copies.uncopied(document):
        assert trafilatura.core.copy(document) is document
        assert trafilatura.core.copy(other) is not other
        options = generic._FAST
        assert trafilatura.core.copy(options) is not options
    assert trafilatura.core.copy is copy.copy
    assert trafilatura.core.copy(document) is not document


def test_another_thread_still_gets_copies() -> None:
    document = parse_html("<html><body><p>Shared between threads.</p></body></html>")
    seen: list[bool] = []
    with copies.uncopied(document):
        thread = threading.Thread(target=lambda: seen.append(trafilatura.core.copy(document) is document))
        thread.start()
        thread.join()
    assert seen == [False]

"""Fuzzing the extractor: random recap pages, and the same pages mutated (cut, spliced, stuffed with
stray tags, entities and odd bytes), must never make it raise, and its output must keep its invariants:

- every part keeps document order: paragraphs, headings, list items and quotes appear in the recap's
  ``body_text`` in the order of their positions, and stored positions are 0, 1, 2, … per table;
- every quote's text is inside the text of the part it was found in (its ``source``);
- every comment's parent exists, earlier in thread order, or is null; comment ids are unique (they are
  the key of the ``comments`` table), depths are never negative;
- every date is ISO 8601 with an offset, or null.

Hypothesis runs ``FUZZ_EXAMPLES`` examples per test (default 60; CI derandomises, so a run is
reproducible; ``RECAPCRAWL_FUZZ_EXAMPLES=1000`` for a longer local search).
"""

from __future__ import annotations

import html as html_lib
import os
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from servers.misbehaving_site import comment_html

from recapcrawl.extraction import NotHTML, extract_recap
from recapcrawl.extraction.dom import read_document
from recapcrawl.storage import child_rows

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]
FAULT_CATEGORY = "Fuzzing"
FUZZ_EXAMPLES = int(os.environ.get("RECAPCRAWL_FUZZ_EXAMPLES", "60"))
URL = "https://tidewater.example/2024/03/05/harbor-lights-2x05-the-fog/"
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    database=None,  # no .hypothesis/ directory in the work tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXAMPLES: dict[str, int] = {}  # test name → examples run (for the fault report)

# ---------------------------------------------------------------- strategies: recap pages

NAMES = ["Wren", "Tobias", "Captain Wren", "Mrs. Pell", "Dr. Tess Alder", "Señora Ruiz", "Zoë", "Noa", "she"]
VERBS = ["says", "asks", "tells him", "whispers", "snaps", "replies"]
WORDS = st.sampled_from(
    [
        "the",
        "fog",
        "harbor",
        "lighthouse",
        "boat",
        "keys",
        "developers",
        "tide",
        "ferry",
        "co-op",
        "storm",
        "café",
        "naïve",
        "🎉",
        "שלום",
        "مرحبا",
        "and",
        "but",
        "because",
        "while",
        "finally",
        "Tuesday",
        "2x05",
        "S02E05",
        "&",
        "<",
        ">",
        "'",
        '"',
        "—",
        "…",
        "‘",
        "’",
        "10%",
        "☃",
    ]
)
ODD = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
    min_size=1,
    max_size=8,
)
PHRASE = st.lists(st.one_of(WORDS, WORDS, WORDS, ODD), min_size=1, max_size=14).map(" ".join)


@st.composite
def sentence(draw) -> str:
    """Plain text, or quoted speech with a speaker before or after it (escaped for HTML)."""
    kind = draw(st.sampled_from(["plain", "after", "before", "bare", "nested"]))
    quote, words, name, verb = (
        draw(PHRASE),
        draw(PHRASE),
        draw(st.sampled_from(NAMES)),
        draw(st.sampled_from(VERBS)),
    )
    text = {
        "plain": f"{words}.",
        "after": f"“{quote},” {verb} {name}. {words}",
        "before": f"{name} {verb}, “{quote}” {words}",
        "bare": f'{words} "{quote}" {words}',
        "nested": f"“{quote} ‘{words}’ {quote}” — “{words}”",
    }[kind]
    return html_lib.escape(text, quote=False)


INLINE = st.sampled_from(
    ["{}", "<b>{}</b>", "<i>{}</i>", "<a href='/x/'>{}</a>", "<span>{}</span>", "{}<br>"]
)


@st.composite
def block(draw) -> str:
    kind = draw(st.sampled_from(["p", "p", "p", "h2", "h3", "ul", "ol", "blockquote", "nested"]))
    if kind in ("h2", "h3"):
        return f"<{kind}>{html_lib.escape(draw(PHRASE), quote=False)}</{kind}>"
    if kind in ("ul", "ol"):
        items = draw(st.lists(sentence(), min_size=1, max_size=5))
        return f"<{kind}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{kind}>"
    if kind == "nested":
        inner = "".join(f"<li>{i}</li>" for i in draw(st.lists(sentence(), min_size=1, max_size=3)))
        return f"<ul><li>{draw(sentence())}<ul>{inner}</ul></li><li>{draw(sentence())}</li></ul>"
    if kind == "blockquote":
        return f"<blockquote><p>{draw(sentence())}</p></blockquote>"
    parts = draw(st.lists(st.tuples(sentence(), INLINE), min_size=1, max_size=4))
    return "<p>" + " ".join(wrap.format(text) for text, wrap in parts) + "</p>"


@st.composite
def comments(draw) -> str:
    """A WordPress comment thread: replies nested under earlier comments, ids that may repeat."""
    count = draw(st.integers(0, 12))
    ids = draw(st.lists(st.integers(1, 15), min_size=count, max_size=count))
    parents = [draw(st.one_of(st.none(), st.integers(0, max(i - 1, 0)))) if i else None for i in range(count)]
    children: dict[int | None, list[int]] = {}
    for index, parent in enumerate(parents):
        children.setdefault(parent, []).append(index)

    def render(index: int) -> str:
        when = draw(st.sampled_from(["2024-03-06T09:15:00+00:00", "2024-02-30T25:00:00", None, "yesterday"]))
        item = comment_html(ids[index], draw(PHRASE)[:30] or "x", draw(PHRASE), when=when)
        nested = "".join(render(child) for child in children.get(index, []))
        return (
            item.replace("</article></li>", f'</article><ol class="children">{nested}</ol></li>')
            if nested
            else item
        )

    return "".join(render(index) for index in children.get(None, []))


@st.composite
def recap_page(draw) -> str:
    title = draw(
        st.sampled_from(
            [
                "Harbor Lights 2x05 Review: “{}”",
                "Harbor Lights Season 2, Episode 5 Recap: {}",
                "{}",
                "‘Harbor Lights’ Recap: {} (S02E05)",
                "Harbor Lights 2x05 & 2x06 Review: {}",
            ]
        )
    ).format(draw(PHRASE))
    body = "".join(draw(st.lists(block(), min_size=0, max_size=10)))
    thread = draw(comments())
    thread_html = f'<div id="comments"><ol class="comment-list">{thread}</ol></div>' if thread else ""
    date = draw(st.sampled_from(["2024-03-05T20:00:00+00:00", "2024-03-05", "March 5, 2024", "", "Tuesday"]))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html_lib.escape(title)}</title>'
        f'<link rel="canonical" href="{URL}"></head><body class="single single-post"><main>'
        '<article class="post">'
        f'<h1 class="entry-title">{html_lib.escape(title)}</h1>'
        f'<time class="entry-date published" datetime="{date}">{date}</time>'
        f'<div class="entry-content">{body}</div></article>{thread_html}</main></body></html>'
    )


JUNK = st.sampled_from(
    [
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "</li>",
        "<li>",
        "</ol>",
        "<ol class='children'>",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "<style>",
        "]]>",
        "<![CDATA[",
        "&",
        "&amp",
        "&#x110000;",
        "&#0;",
        "“",
        "”",
        '"',
        "<h2>",
        "<table><tr>",
        "<blockquote>",
        "<br/>",
        "<li id='comment-3' class='comment'>",
        "<svg>",
        "<math>",
        "\ufeff",
        "\u202e",
        "\ud7ff",
        "<article class='comment-body'>",
        "<p>“unclosed quote",
    ]
)


@st.composite
def mutated_page(draw) -> str:
    page = draw(recap_page())
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(page)))
        j = draw(st.integers(i, min(len(page), i + 400)))
        operation = draw(st.sampled_from(["cut", "delete", "duplicate", "insert", "insert", "swap"]))
        if operation == "cut":
            page = page[:i] or page[:1]
        elif operation == "delete":
            page = page[:i] + page[j:]
        elif operation == "duplicate":
            page = page[:j] + page[i:j] + page[j:]
        elif operation == "insert":
            page = page[:i] + draw(JUNK) + page[i:]
        else:
            page = page[:i] + page[i:j][::-1] + page[j:]
    return page


# ---------------------------------------------------------------- invariants


def _norm(text: str) -> str:
    return " ".join(text.split())


def _in_order(texts: list[str], within: str) -> list[str]:
    """The texts (whitespace-normalised) that are not found in ``within`` after the previous one."""
    missing, at = [], 0
    for text in map(_norm, texts):
        found = within.find(text, at)
        if found < 0:
            missing.append(text)
        else:
            at = found
    return missing


def check_invariants(recap) -> None:
    data = recap.to_dict()
    rows = child_rows(1, data)
    for table, items in rows.items():
        assert [r["position"] for r in items] == list(range(len(items))), table
    body = _norm(recap.body_text)
    assert _in_order([p.text for p in recap.paragraphs], body) == [], "paragraphs out of order or missing"
    assert _in_order([h.text for h in recap.headings], body) == [], "headings out of order or missing"
    assert _in_order([b.text for b in recap.bullets], body) == [], "list items out of order or missing"
    sources = {
        "paragraph": [_norm(p.text) for p in recap.paragraphs],
        "heading": [_norm(h.text) for h in recap.headings],
        "bullet": [_norm(b.text) for b in recap.bullets],
        "quote": [body],
    }
    for quote in recap.quotes:
        assert any(_norm(quote.text) in text for text in sources[quote.source]), (
            quote,
            sources[quote.source],
        )
    ids = [c.id for c in recap.comments]
    assert len(ids) == len(set(ids)), f"duplicate comment ids {ids}"
    earlier: set[str] = set()
    for comment in recap.comments:
        assert comment.parent_id is None or comment.parent_id in earlier, (comment.id, comment.parent_id, ids)
        assert comment.depth >= 0
        earlier.add(comment.id)
    for value in [recap.meta.published, recap.meta.modified, *(c.published for c in recap.comments)]:
        if value is not None:
            assert datetime.fromisoformat(value).utcoffset() is not None, value


def _count(name: str) -> None:
    EXAMPLES[name] = EXAMPLES.get(name, 0) + 1


# ---------------------------------------------------------------- the properties


@FUZZ
@given(recap_page())
def test_random_recap_pages(page):
    """Generated recap pages: extraction never raises, and the output keeps its invariants."""
    _count("random recap pages")
    check_invariants(extract_recap(page, URL))


@FUZZ
@given(mutated_page())
def test_mutated_recap_pages(page):
    """The same pages cut, spliced, reversed in places and stuffed with stray tags and entities."""
    _count("mutated recap pages")
    try:
        recap = extract_recap(page, URL)
    except NotHTML:
        return  # the documented answer for what is not a document at all (empty, binary)
    check_invariants(recap)


@FUZZ
@given(st.binary(max_size=3000) | mutated_page().map(lambda p: p.encode("utf-8")[: len(p) // 2]))
def test_random_bytes(body):
    """Arbitrary bytes, and pages cut mid-character: read_document decodes or says NotHTML, nothing else;
    whatever it reads, extraction handles."""
    _count("random bytes")
    try:
        document = read_document(body, None)
    except NotHTML:
        return
    check_invariants(extract_recap(document.root, URL))


@FUZZ
@given(recap_page(), st.lists(comments(), min_size=1, max_size=3))
def test_comment_pages_merge(page, others):
    """A recap with further comment pages whose ids overlap: merged ids unique, parents earlier or null."""
    _count("comment pages merged")
    wrap = '<html><body><div id="comments"><ol class="comment-list">{}</ol></div></body></html>'
    pages = [(f"{URL}comment-page-{n}/", wrap.format(thread)) for n, thread in enumerate(others, 2)]
    check_invariants(extract_recap(page, URL, pages))


def test_figures(record_property):
    """The fault report's numbers: how many examples each property ran (run after the properties)."""
    kinds = ["random recap pages", "mutated recap pages", "random bytes", "comment pages merged"]
    record_property(
        "fault_figures",
        {
            "category": FAULT_CATEGORY,
            "kinds": kinds,
            "examples": dict(EXAMPLES),
            "crawls": 0,
            "survived": 0,
            "expected_recaps": 0,
            "lost": [],
            "duplicated": 0,
        },
    )

"""trafilatura's expressions with their ``re:test`` calls rewritten (``trafilatura_xpaths``) select what the
originals select: test by test on attribute values chosen to hit every edge of the translation, expression by
expression on every element of our saved pages (raw and as trafilatura converts them), and extraction by
extraction."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from lxml import etree
from trafilatura import xpaths
from trafilatura.htmlprocessing import convert_tags, tree_cleaning
from trafilatura.settings import Extractor

from recapcrawl.extraction import extract_recap
from recapcrawl.extraction import trafilatura_xpaths as fast
from recapcrawl.extraction.dom import parse_html

PAGES = sorted((Path(__file__).parent / "pages").glob("*/*.html"))
IDS = [f"{p.parent.name}/{p.stem}" for p in PAGES]
NAMESPACES = {"re": fast.REGEXP_NS}

# Every re:test in trafilatura's lists, and patterns for each construct the translation handles or declines.
TRAFILATURA_TESTS = sorted(
    {
        (m.group(1).strip(), m.group(2), m.group(3) or "")
        for name in fast.LISTS
        for expression in getattr(xpaths, name, [])
        for m in fast._RE_TEST.finditer(expression.path)
    }
)
CONSTRUCTS = [
    ("@class", "^nav|menu$", ""),
    ("@class", "^exact$", ""),
    ("@class", "$", ""),
    ("@class", "post[-_]?text|art(?:icle)?-body", ""),
    ("@class", "dfp[Aa]d|x[0-3]y", ""),
    ("@class", "(^|\\s)link(\\s|$)", ""),
    ("@class", "^[Cc]omment(?!ary)", ""),
    ("@class", "a^b|ok", ""),
    ("@class", "", ""),
    ("@class", "x*", ""),
    ("@class", "fulltext", "i"),
    ("@id|@class", "^reply-|akismet", ""),
]
VALUES = [
    None,
    "",
    "nav",
    "navbar main",
    "main menu",
    "main menu\n",
    "menu\n\n",
    "exact",
    "exact\n",
    "inexact",
    "post-text",
    "post_text",
    "posttext",
    "post--text",
    "article-body",
    "art-body",
    "dfpad dfpAd",
    "x2y",
    "x4y",
    "a link",
    "link",
    "link\u00a0b",
    "a\tlink\nb",
    "a\x0clink",
    "linkage",
    "comment",
    "Commentary",
    "commentary comment",
    "reply-box",
    "no-reply-box",
    "akismet",
    "FullText",
    "ok",
    "\u2003nav",
]


def _element(attributes: list[tuple[str, str]]) -> etree._Element:
    """A ``<div>`` with ``attributes`` in that order, parsed from markup (lxml's API refuses control
    characters such as a form feed, which HTML parsing keeps in a value)."""
    markup = " ".join(f'{name}="{html.escape(value)}"' for name, value in attributes)
    return parse_html(f"<html><body><div {markup}>x</div></body></html>").find(".//div")


@pytest.mark.parametrize("subject,pattern,flags", TRAFILATURA_TESTS + CONSTRUCTS)
def test_each_rewritten_test_has_the_truth_of_re_test(subject: str, pattern: str, flags: str) -> None:
    original = f"re:test({subject}, '{pattern}'" + (f", '{flags}')" if flags else ")")
    rewritten = fast.xpath_for_re_test(subject, pattern, flags)
    before = etree.XPath(f"boolean({original})", namespaces=NAMESPACES)
    after = etree.XPath(f"boolean({rewritten})", namespaces=NAMESPACES)
    for value in VALUES:
        for other in (None, "zz", "menu nav"):
            for order in ((("id", value), ("class", other)), (("class", other), ("id", value))):
                attributes = [(name, v) for name, v in order if v is not None]
                element = _element(attributes)
                assert after(element) == before(element), (rewritten, attributes)


def test_plain_alternations_leave_python_entirely() -> None:
    assert "re:test" not in fast.xpath_for_re_test("@class", "^shar|bread-?crumb|dfp[Aa]d")
    assert fast.xpath_for_re_test("@id", "^primary|story-body") == (
        "(starts-with(@id, 'primary') or contains(@id, 'story-body'))"
    )
    # a lookahead, \s or a case flag keep the test, behind something every match needs
    assert fast.xpath_for_re_test("@class", "(^|\\s)link(\\s|$)").startswith("((contains(@class, 'link'))")
    assert fast.xpath_for_re_test("@class", "fulltext", "i").startswith("(@class and re:test(")


def _trees(path: Path) -> list[etree._Element]:
    """The page as we parse it, and as trafilatura's extractor sees it (cleaned, tags converted)."""
    root = parse_html(path.read_bytes())
    options = Extractor(output_format="xml", tables=True)
    converted = convert_tags(tree_cleaning(parse_html(path.read_bytes()), options), options)
    return [root, converted]


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_every_expression_selects_the_same_nodes(path: Path) -> None:
    trees = _trees(path)
    swaps = fast._swaps()
    assert swaps, "no trafilatura list with a re:test found"
    for _, originals, faster in swaps:
        for original, rewritten in zip(originals, faster, strict=True):
            for tree in trees:
                for context in (tree, *tree.iter("body", "article", "main")):
                    assert rewritten(context) == original(context), original.path


def test_the_lists_are_restored_after_the_block_even_on_error() -> None:
    before = {name: list(getattr(xpaths, name)) for name in fast.LISTS if hasattr(xpaths, name)}
    with pytest.raises(RuntimeError), fast.faster_xpaths():
        changed = [name for name in before if getattr(xpaths, name) != before[name]]
        assert "OVERALL_DISCARD_XPATH" in changed
        raise RuntimeError("boom")
    assert {name: list(getattr(xpaths, name)) for name in before} == before


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_extraction_is_the_same_with_trafilaturas_own_expressions(path: Path, monkeypatch) -> None:
    html, url = path.read_bytes(), f"https://example.org/{path.parent.name}/{path.stem}/"
    with_rewritten = extract_recap(html, url).to_dict()
    monkeypatch.setattr(fast, "ENABLED", False)
    assert extract_recap(html, url).to_dict() == with_rewritten


def test_every_guard_is_on_an_expression_of_the_installed_trafilatura() -> None:
    """A guard whose expression trafilatura changed would silently guard nothing: the digests must match."""
    digests = {fast._digest(x.path) for name in fast.LISTS for x in getattr(xpaths, name, [])}
    assert set(fast.GUARD_WORDS) <= digests
    guarded = [x for _, _, faster in fast._swaps() for x in faster if isinstance(x, fast._Guarded)]
    assert len(guarded) == len(fast.GUARD_WORDS)


# Each guarded expression's matches, written out: ids and classes of every kind its tests accept.
GUARD_MARKUP = """<html><body><div class="entry">
<div id="comments"><p>c</p></div><section class="Comment-list"><p>c</p></section>
<div id="comol_1"><p>c</p></div><div id="disqus_thread"><p>c</p></div><div id="dsq-comments"><p>c</p></div>
<div class="post-comments x"><p>c</p></div><ul class="commentlist"><li>c</li></ul>
<div id="mvp-post-add-box"><p>a</p></div><aside class="infinitescroll"><p>a</p></aside>
<section class="x infinite-scroll"><h1>t</h1></section><div class="elementor-share-buttons"><p>s</p></div>
<div class="Teaser"><p>t</p></div><p id="article-teaser">t</p><div class="wp-caption"><p>c</p></div>
<span id="caption-2">c</span><p>text</p></div></body></html>"""


@pytest.mark.parametrize("path", [*PAGES, None], ids=[*IDS, "guard-markup"])
def test_guarded_expressions_select_what_the_originals_select(path: Path | None) -> None:
    """With the document's vocabulary known, a guarded expression that skips has nothing to find: on our
    pages, on markup that every guarded test matches, and on both once their ids and classes are changed."""
    pages = [path.read_bytes()] if path is not None else [GUARD_MARKUP, GUARD_MARKUP.upper()]
    pairs = [
        (original, rewritten)
        for _, originals, faster in fast._swaps()
        for original, rewritten in zip(originals, faster, strict=True)
        if isinstance(rewritten, fast._Guarded)
    ]
    found = 0
    for markup in pages:
        tree = parse_html(markup)
        token = fast._VOCABULARY.set(fast.vocabulary(tree))
        try:
            for original, guarded in pairs:
                for context in (tree, *tree.iter("body", "div")):
                    selected = original(context)
                    found += len(selected)
                    assert guarded(context) == selected, original.path
        finally:
            fast._VOCABULARY.reset(token)
    if path is None:
        assert found, "the markup matches no guarded expression"


def test_a_guard_skips_only_in_its_own_context() -> None:
    tree = parse_html("<html><body><div class='post'><div id='comments'><p>x</p></div></div></body></html>")
    (remove_comments,) = xpaths.REMOVE_COMMENTS_XPATH
    with fast.faster_xpaths(parse_html("<html><body><p class='plain'>nothing</p></body></html>")):
        assert xpaths.REMOVE_COMMENTS_XPATH[0](tree) == []  # told the document has no comment section
    with fast.faster_xpaths():
        assert len(xpaths.REMOVE_COMMENTS_XPATH[0](tree)) == 1  # no document given: it runs
    assert len(remove_comments(tree)) == 1

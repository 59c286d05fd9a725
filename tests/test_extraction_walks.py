"""Walks that stand in for XPath give what the XPath gives: ``selectors.boilerplate`` (``BOILERPLATE``)
and ``Page.with_class`` (class tests) on names that are only parts of class words."""

from __future__ import annotations

from pathlib import Path

import pytest

from recapcrawl.extraction import selectors
from recapcrawl.extraction.dom import Page, parse_html
from recapcrawl.extraction.selectors import Path as XPath

PAGES = sorted((Path(__file__).parent / "pages").glob("*/*.html"))

EDGES = parse_html(
    "<html><body><article>"
    "<div class='entry sharedaddy\tx' id='a'><p>one</p><nav>n</nav>"
    "<div class='sharing'><script>s</script></div></div>"
    "<p class='sharedaddy\xa0x'>no-break space: not a word break for XPath</p>"
    "<p class='share-buttons-extra'>a longer word</p><p class='post-tags\n'>tags</p>"
    "<span aria-hidden='true'>hidden</span><span aria-hidden='false'>shown</span>"
    "<section id='comments'><div id='respond'>r</div></section><div id='comments-x'>c</div>"
    "<svg><path d='M0'/></svg><button>b</button><input name='q'/>"
    "</article></body></html>"
)


def _elements(root):
    return [root, *root.iter("article", "div", "section", "p")]


@pytest.mark.parametrize("page", PAGES, ids=[f"{p.parent.name}/{p.stem}" for p in PAGES])
def test_boilerplate_walk_finds_what_the_xpath_finds(page):
    root = parse_html(page.read_bytes())
    for element in _elements(root):
        assert selectors.boilerplate(element) == list(selectors.BOILERPLATE(element))


def test_boilerplate_walk_edge_cases():
    for element in _elements(EDGES):
        assert selectors.boilerplate(element) == list(selectors.BOILERPLATE(element))
    found = selectors.boilerplate(EDGES)
    assert {e.get("id") for e in found} >= {"a", "comments", "respond"}
    assert "comments-x" not in {e.get("id") for e in found}
    assert [e.text for e in found if e.tag == "p"] == ["tags"]


@pytest.mark.parametrize(
    "names",
    [
        ("sharedaddy",),
        ("share",),
        ("share-buttons",),
        ("post-tags",),
        ("x",),
        ("entry", "sharing"),
        ("sharing", "entry"),
        ("haredadd",),
        ("nothing-here",),
        ("tags", "post"),
    ],
)
def test_class_lookup_matches_whole_words_only(names):
    page = Page(EDGES)
    expression = "//*[" + " or ".join(selectors.class_test(name) for name in names) + "]"
    path = XPath(expression)
    assert path.indexed is not None
    assert page.with_class(names) == path.xpath(EDGES)

"""The extraction's shortcuts give what the plain way gives: class-indexed paths, scoped ``//article``
paths, the lxml body walker; and the charset and many-comments fixes (issue 7)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from recapcrawl.extraction import extract_recap, selectors
from recapcrawl.extraction.body import split_body
from recapcrawl.extraction.dom import Page, decode_body, parse_html
from recapcrawl.extraction.profiles import BY_NAME, THE_POST_ONLY, paths
from recapcrawl.extraction.selectors import Path as XPath

sys.path.insert(0, str(Path(__file__).parent))
from servers.misbehaving_site import comment_html, recap_html  # noqa: E402

PAGES = sorted((Path(__file__).parent / "pages").glob("*/*.html"))
PUBLISHED = selectors.class_test("published")
FIELDS = (
    "markers",
    "body",
    "title",
    "byline",
    "published",
    "modified",
    "terms",
    "category_terms",
    "comment_items",
    "comment_page_current",
)


def _all_paths() -> list[XPath]:
    found = {p for profile in BY_NAME.values() for field in FIELDS for p in paths(profile, field)}
    found |= {v for v in vars(selectors).values() if isinstance(v, XPath)}
    return sorted(found, key=lambda p: p.expression)


def _same(found: list, expected: list) -> bool:
    """Same nodes (elements by identity, strings by value and owner) in the same order."""
    key = lambda n: (n, n.getparent()) if isinstance(n, str) else id(n)  # noqa: E731
    return [key(n) for n in found] == [key(n) for n in expected]


def test_most_profile_paths_use_the_index():
    planned = [p for p in _all_paths() if p.indexed is not None]
    assert len(planned) > 50
    assert XPath("//*[contains(@class, 'x')]").indexed is None  # not a whole-word class test
    assert XPath("(//h1 | //h2)[1]").indexed is None


@pytest.mark.parametrize("page", PAGES, ids=[f"{p.parent.name}/{p.stem}" for p in PAGES])
def test_paths_on_a_page_find_what_xpath_finds(page):
    root = parse_html(page.read_bytes())
    cached = Page(root)
    for path in _all_paths():
        assert _same(path(cached), path.xpath(root)), path.expression


def test_class_index_edge_cases():
    root = parse_html(
        "<html><body>"
        "<div class='tags\tpost-tags tags' id='a'><a href='/tag/x/'>x</a>"
        "<div class='tags'><a href='/tag/y/'>y</a></div></div>"  # nested: XPath's own merge
        "<p class='byline\xa0fn'>no</p><p class='entry-title\n'>t</p>"
        "<article><span class='byline'><a rel='author' href='/a/'>A</a></span></article>"
        "<time class='published' datetime='2024-01-01' title='t1'></time>"
        "</body></html>"
    )
    page = Page(root)
    expressions = [
        f"//*[{selectors.class_test('tags')} or {selectors.class_test('post-tags')}]//a",
        f"//*[{selectors.class_test('byline')}]",
        f"//*[{selectors.class_test('entry-title')}]",
        f"//*[{selectors.class_test('byline')}][ancestor::article]//a[@rel='author']",
        f"//*[{PUBLISHED}]/@datetime | //*[{PUBLISHED}]/@title",
        f"//p[{selectors.class_test('fn')}]",
    ]
    for expression in expressions:
        path = XPath(expression)
        assert path.indexed is not None, expression
        assert _same(path(page), path.xpath(root)), expression
    bylines = XPath(f"//*[{selectors.class_test('byline')}]")(page)
    assert [e.tag for e in bylines] == ["span"]  # not the p whose classes a no-break space joins


def test_id_prefix_paths_on_threaded_comments():
    replies = comment_html(2, "B", "Reply.").replace("</article></li>", "</article>")
    nested = comment_html(1, "A", "Top.").replace("</li>", f"<ol class='children'>{replies}</li></ol></li>")
    root = parse_html(recap_html("/x/", "Show 1x01 Review", ["One."], nested + comment_html(3, "C", "Last.")))
    page = Page(root)
    for expression in (
        "//li[starts-with(@id, 'comment-') or starts-with(@id, 'li-comment-')]",
        f"//*[starts-with(@id, 'comment-')][not(self::li)][{selectors.class_test('comment')}]",
        f"//*[starts-with(@id, 'div-comment-')]//*[{selectors.class_test('fn')}]",
        "//*[starts-with(@id, 'comment-')]//p",  # nested: XPath's own merge
    ):
        path = XPath(expression)
        assert path.indexed is not None, expression
        assert _same(path(page), path.xpath(root)), expression
    assert [e.get("id") for e in XPath("//li[starts-with(@id, 'comment-')]")(page)] == [
        "comment-1",
        "comment-2",
        "comment-3",
    ]


def test_article_scoped_paths_match_the_descendant_form():
    comments = "".join(comment_html(i, f"R{i}", "Hi.") for i in range(3))
    root = parse_html(recap_html("/x/", "Show 1x01 Review", ["One."], comments))
    title = "//article//*[contains(concat(' ', @class, ' '), ' entry-title ')]"
    for scoped, plain in [
        (paths(BY_NAME["wordpress"], "title")[0], title),
        (paths(BY_NAME["generic"], "published")[1], f"//article//time{THE_POST_ONLY}/@datetime"),
    ]:
        assert _same(scoped.xpath(root), etree.XPath(plain)(root)), scoped.expression


def test_many_comments_extract_in_linear_time():
    """Every comment is an <article>: paths under //article must not be quadratic in their number."""
    comments = "".join(comment_html(10_000 + i, f"Reader {i}", f"Comment {i}.") for i in range(3000))
    page = recap_html("/x/", "Harbor Lights 2x23 Review: “Crowd”", ["One paragraph."], comments)
    started = time.process_time()
    recap = extract_recap(page, "http://h.example/x/")
    assert len(recap.comments) == 3000
    assert time.process_time() - started < 5  # about 0.5 s; quadratic was about 13 s


UTF8_PAGE = '<html><head><meta charset="utf-8"></head><body><p>Crème brûlée at the café</p></body></html>'


def test_utf8_page_served_as_latin1_is_read_as_utf8():
    text, used, notes = decode_body(UTF8_PAGE.encode("utf-8"), "iso-8859-1")
    assert "Crème brûlée at the café" in text and used == "utf-8"
    assert notes and "iso8859-1" in notes[0] and "utf-8" in notes[0]
    assert decode_body(UTF8_PAGE.encode("utf-8"), "windows-1252")[1] == "utf-8"


@pytest.mark.parametrize(
    ("body", "header", "expected"),
    [
        (UTF8_PAGE.encode("latin-1"), "iso-8859-1", "iso8859-1"),  # really latin-1 despite its meta
        (UTF8_PAGE.replace('<meta charset="utf-8">', "").encode("utf-8"), "iso-8859-1", "iso8859-1"),
        (UTF8_PAGE.replace("è", "e").replace("û", "u").replace("é", "e").encode(), "iso-8859-1", "iso8859-1"),
        (UTF8_PAGE.encode("utf-8"), "utf-8", "utf-8"),
        (UTF8_PAGE.encode("utf-8"), None, "utf-8"),
    ],
    ids=["latin1-bytes", "no-meta", "ascii-only", "header-utf8", "no-header"],
)
def test_header_charset_still_wins_otherwise(body, header, expected):
    text, used, notes = decode_body(body, header)
    assert used == expected and notes == []


def test_body_walker_reads_text_as_before():
    body = split_body(
        "<div><h2>Act One<script>var x = 1;</script></h2>"
        "<p>First line<br>\n<br>Second line</p>"
        "<p>She says <q>hi<rt>ignored?</rt></q> to <b>Ed</b> <i>quietly</i>.</p>"
        "<blockquote><p>Quoted.</p><cite>— Ada Penrose, “The Fog Bell”</cite></blockquote>"
        "<table><tr><td>a<span>b</span></td><td> c </td></tr></table>"
        "<ul><li>one<ul><li>nested</li></ul></li></ul></div>"
    )
    assert [h.text for h in body.headings] == ["Act One"]
    assert [p.text for p in body.paragraphs] == ["First line", "Second line", "She says “hi” to Ed quietly."]
    quotes = [(q.text, q.speaker) for q in body.quotes if q.kind == "blockquote"]
    assert quotes == [("Quoted.", "Ada Penrose")]
    assert "a b c" in body.blocks  # table cells: their runs of text joined by spaces
    assert [(b.text, b.depth, b.parent) for b in body.bullets] == [("one", 0, None), ("nested", 1, "one")]

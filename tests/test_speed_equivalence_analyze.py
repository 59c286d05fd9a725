"""The analysis's shortcuts give what the plain way gives: ``//name[…]`` steps compiled as
``/descendant::name[…]``, the page index built from ``items()``, and microdata read without the items
and the ``articleBody`` text that nothing reads."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from extruct.w3cmicrodata import MicrodataExtractor
from lxml import etree

from recapcrawl.extraction import selectors
from recapcrawl.extraction.comments import json_ld_comments
from recapcrawl.extraction.dom import Page, _index, parse_html
from recapcrawl.extraction.metadata import page_type
from recapcrawl.extraction.profiles import BY_NAME, Profile, paths
from recapcrawl.extraction.selectors import Path as XPath
from recapcrawl.extraction.selectors import descendant_steps
from recapcrawl.extraction.structured import (
    READ_TYPES,
    _flatten,
    _from_microdata,
    _has_wanted_items,
    episode_of,
    find_article,
    microdata_objects,
    types_of,
)

PAGES = sorted((Path(__file__).parent / "pages").glob("*/*.html"))
IDS = [f"{p.parent.name}/{p.stem}" for p in PAGES]

MICRODATA = parse_html(
    "<html><body itemscope itemtype='http://schema.org/WebPage'>"
    "<nav itemscope itemtype='https://schema.org/SiteNavigationElement'><a itemprop='url' href='/a'>"
    "<span itemprop='name'>A</span></a></nav>"
    "<header itemscope itemtype='http://schema.org/WPHeader'><span itemprop='name'>Site</span>"
    "<div itemscope itemtype='http://schema.org/Person' itemprop='author'><b itemprop='name'>P</b></div>"
    "</header>"
    "<div itemscope itemtype='http://schema.org/Organization' itemid='#org'><b itemprop='name'>Org</b></div>"
    "<div itemscope itemtype='http://schema.org/Thing' itemref='ref'><b itemprop='name'>T</b></div>"
    "<div itemscope itemtype='http://schema.org/Thing'><b itemprop='name'>outer</b>"
    "<div itemscope itemtype='http://schema.org/Comment'><p itemprop='text'>inner, not a property</p></div>"
    "</div>"
    "<article itemscope itemtype='http://schema.org/Article'><h1 itemprop='headline'>Show 1x02 Review</h1>"
    "<div itemprop='articleBody'><p>Body text.</p>"
    "<span itemprop='about' itemscope itemtype='http://schema.org/TVEpisode'>"
    "<meta itemprop='episodeNumber' content='2'><b itemprop='name'>The Second</b></span></div>"
    "<div itemprop='comment' itemscope itemtype='http://schema.org/Comment'><p itemprop='text'>Nice.</p>"
    "</div>"
    "</article><p id='ref' itemprop='description'>referenced</p>"
    "<div itemscope itemtype='http://schema.org/BreadcrumbList'><span itemprop='itemListElement' itemscope"
    " itemtype='http://schema.org/ListItem'><b itemprop='name'>Home</b></span></div>"
    "<div itemscope><b itemprop='name'>untyped</b></div>"
    "</body></html>"
)


def _all_paths() -> list[XPath]:
    fields = [f.name for f in dataclasses.fields(Profile) if f.type.startswith("tuple")]
    found = {p for profile in BY_NAME.values() for field in fields for p in paths(profile, field)}
    found |= {v for v in vars(selectors).values() if isinstance(v, XPath)}
    found |= set(selectors.HOSTED_COMMENTS.values())
    return sorted(found, key=lambda p: p.expression)


def _same(found: list, expected: list) -> bool:
    key = lambda n: (n, n.getparent()) if isinstance(n, str) else id(n)  # noqa: E731
    return [key(n) for n in found] == [key(n) for n in expected]


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_descendant_steps_find_what_the_written_paths_find(page):
    root = parse_html(page.read_bytes())
    contexts = [root, *list(root.iter("li", "article", "div", "section"))[:80]]
    rewritten = [p for p in _all_paths() if p.xpath.path != p.expression]
    assert len(rewritten) > 100
    for path in rewritten:
        written = etree.XPath(path.expression)
        for context in contexts if path.expression.startswith((".", "descendant")) else [root]:
            assert _same(path.xpath(context), written(context)), path.expression


@pytest.mark.parametrize(
    ("written", "compiled"),
    [
        ("//meta[@content]", "/descendant::meta[@content]"),
        (".//*[@a]//p", "./descendant::*[@a]/descendant::p"),
        (
            "//script[contains(@src, 'a//b')] | //h1",
            "/descendant::script[contains(@src, 'a//b')] | /descendant::h1",
        ),
        (
            "//x/@href | //text() | //@id | //ancestor::x",
            "/descendant::x/@href | //text() | //@id | //ancestor::x",
        ),
        ("//a[1]", None),
        ("(//h1 | //h2)[position() <= 6]", None),
        ("//a[last()]", None),
        ("//a[count(b)]", None),
        ("//a[string-length(.)]", None),
        ("//a[@x * @y]", None),
        ("//a[@x - @y]", None),
        ("//a[-@x]", None),
        ("//a[@x div @y]", None),
        ("//a[.5]", None),
        ("//a[$n]", None),
    ],
)
def test_descendant_steps_leave_position_dependent_paths_alone(written, compiled):
    assert descendant_steps(written) == (compiled or written)


def _index_by_gets(root: etree._Element) -> tuple:
    """The index as the per-element ``values()`` and ``get()`` loop built it."""
    classes, ids, items, values = [], [], [], []
    for element in root.iter(etree.Element):
        values += element.values()
        if element.get("id") is not None:
            ids.append((element.get("id"), element))
        if element.get("class") is not None:
            classes.append((element, element.get("class")))
        if element.get("itemscope") is not None:
            items.append(element)
    return classes, ids, items, "\n".join(dict.fromkeys(values))


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_index_is_what_the_attribute_loop_and_xpath_give(page):
    root = parse_html(page.read_bytes())
    index = _index(root)
    assert index == _index_by_gets(root)
    assert index[2] == root.xpath("descendant-or-self::*[@itemscope]")
    assert index[3] == "\n".join(dict.fromkeys(root.xpath("//@*", smart_strings=False)))


def _plain_microdata(root: etree._Element, url: str) -> list[dict]:
    """``microdata_objects`` as it was: every item, extracted by extruct's own ``extract_items``."""
    if not selectors.MICRODATA_ITEMS(Page(root)):
        return []
    found: list[dict] = []
    _flatten([_from_microdata(item) for item in MicrodataExtractor().extract_items(root, url)], found)
    return found


def _emptied(value):
    """``value`` with every ``articleBody``, at any depth, emptied."""
    if isinstance(value, list):
        return [_emptied(v) for v in value]
    if isinstance(value, dict):
        return {k: "" if k == "articleBody" else _emptied(v) for k, v in value.items()}
    return value


def _unread(plain: list[dict], found: list[dict]) -> list[dict]:
    """The objects of ``plain`` that ``found`` leaves out, checking that it keeps the others in order
    (``articleBody`` values aside)."""
    left_out, rest = [], iter(found)
    expected = next(rest, None)
    for obj in plain:
        if _emptied(obj) == _emptied(expected):
            expected = next(rest, None)
        else:
            left_out.append(obj)
    assert expected is None, "found has objects plain has not, or in another order"
    return left_out


def _readers(objects: list[dict]) -> tuple:
    """What the extractor reads from the objects (all but ``articleBody`` values)."""
    return (
        _emptied(find_article(objects)),
        episode_of(objects),
        page_type(MICRODATA, None, objects, {}),
        json_ld_comments(objects),
    )


@pytest.mark.parametrize(
    "root", [MICRODATA, *(parse_html(p.read_bytes()) for p in PAGES)], ids=["edges", *IDS]
)
def test_microdata_objects_are_the_read_part_of_extructs(root):
    plain = _plain_microdata(root, "http://x.example/a/")
    found = microdata_objects(Page(root), "http://x.example/a/")
    for obj in _unread(plain, found):  # nothing could read it: no read type, no @id, no nested object
        assert not types_of(obj) & READ_TYPES and "@id" not in obj
        assert not any(isinstance(v, (dict, list)) for k, v in obj.items() if k != "@type")
    assert _readers(found) == _readers(plain)
    assert _has_wanted_items(Page(root)) == bool(selectors.MICRODATA_ITEMS(Page(root)))


def test_microdata_edge_cases_skip_only_unread_items():
    found = microdata_objects(Page(MICRODATA), "http://x.example/a/")
    kinds = [sorted(types_of(o)) for o in found]
    # Left out: the navigation and the untyped item. Kept: the header (an item is inside it), the id'd
    # Organization, the Thing with an itemref, the Thing with an item inside, the breadcrumbs.
    assert ["sitenavigationelement"] not in kinds and [] not in kinds and ["person"] not in kinds
    assert ["wpheader"] in kinds and ["organization"] in kinds and ["breadcrumblist"] in kinds
    assert kinds.count(["thing"]) == 2 and len(found) == len(_plain_microdata(MICRODATA, "")) - 2
    assert ["comment"] in kinds  # the Comment inside a Thing, not its property: an item of its own
    article = find_article(found)
    assert article["articleBody"] == "" and article["headline"] == "Show 1x02 Review"
    assert episode_of(found).episodes == (2,)


def test_a_page_whose_only_microdata_is_a_tv_series_is_read():
    """The needles of MICRODATA_ITEMS include the two-letter "TV": a TVSeries-only page is not skipped."""
    root = parse_html(
        "<html><body><div itemscope itemtype='https://schema.org/TVSeries'>"
        "<span itemprop='name'>Harbor Lights</span></div></body></html>"
    )
    found = microdata_objects(Page(root), "http://x.example/a/")
    assert [sorted(types_of(o)) for o in found] == [["tvseries"]]


@pytest.mark.parametrize(
    ("classes", "element_id", "expected"),
    [
        ("entry-content ad-slot", None, True),
        ("entry-content", "jp-relatedposts", True),
        ("entry-content", None, False),
        (None, "code-block-3", True),
        ("post-body  sharedaddy\tsd-block", None, True),
        ("header", "main", False),
        ("", "", False),
    ],
)
def test_ad_or_promo_by_class_word_or_id_twice_in_a_row(classes, element_id, expected):
    """The class-value answer is cached: asking twice gives the same answer as the token test."""
    for _ in range(2):
        assert selectors.is_ad_or_promo(classes, element_id) is expected

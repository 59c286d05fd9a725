"""``trafilatura_predicates.compile_path`` gives what XPath gives: on hand-made markup that hits each rule
of the language it reads (attribute order in a union, missing attributes, ``translate``, ``[1]`` among
siblings, ``(…)[1]``, unions in document order, comments), and it declines what it does not read. (Each
of trafilatura's expressions on every element of our saved pages: test_speed_equivalence_trafilatura.py.)"""

from __future__ import annotations

import pytest
from lxml import etree
from trafilatura import xpaths

from recapcrawl.extraction import trafilatura_xpaths as fast
from recapcrawl.extraction.dom import parse_html
from recapcrawl.extraction.trafilatura_predicates import compile_path

MARKUP = """<html><body>
<div class="post" id="reply-1"><p id="a" class="reply-x">one</p><p class="Teaser">two</p></div>
<div id="x" class="reply-2 nav"><!-- a comment --><span role="Navigation">three</span></div>
<section class="main" id="Main-Content"><h1>t</h1><div class="entry"><p>four</p></div>
<div class="entry"><p style="display: none">five</p></div></section>
<main><article class="x"><div class="content">six</div></article></main>
<div data-lp-replacement-content=""><p class="">seven</p></div>
<div class="fullTEXT infinite-scroll"><p class="comments-title">eight</p>
<p id="reply-9" class="z">nine</p></div>
</body></html>"""

EXPRESSIONS = [
    ".//*[starts-with(@id|@class, 'reply-')]",
    ".//*[starts-with(@class|@id, 'reply-')]",
    ".//*[contains(@id|@class, 'x')]",
    ".//*[contains(translate(@role, 'N', 'n'), 'nav')]",
    ".//*[contains(translate(@class, 'TM', 't'), 'teaser')]",
    ".//*[self::div or self::section][@class='entry'][1]",
    ".//*[self::div or self::p][contains(@class, 'reply')][1]",
    "(.//*[self::div or self::section][contains(@class, 'entry')])[1]",
    "(.//*[self::article or self::div][starts-with(@class, 'main')])[1]|(.//main)[1]",
    ".//header|.//main|.//h1",
    ".//*[self::div or self::section][not(.//h1) or re:test(@class, 'infinite-?scroll')]",
    ".//*[re:test(@class, 'fulltext', 'i')]",
    ".//*[re:test(@class, 'x*')]",
    ".//*[@data-lp-replacement-content or @aria-hidden='true']",
    ".//*[@class and not(@id)]",
    ".//p[contains(@style, 'display:none') or contains(@style, 'display: none')]",
    ".//*[(self::p or self::span) and (@class or @role)]",
    # an attribute tested several times is read once per element (``_reads``), in a union too
    ".//*[@class='post' or starts-with(@class|@id, 'reply-') or re:test(@class, 'nav$') or not(@class)]",
    ".//*[@data-lp-replacement-content='' or contains(@data-lp-replacement-content, 'x') or @id='x']",
]


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_python_selects_what_xpath_selects(expression: str) -> None:
    tree = parse_html(MARKUP)
    select = compile_path(expression)
    assert select is not None, expression
    xpath = etree.XPath(expression, namespaces={"re": fast.REGEXP_NS})
    for context in (tree, *tree.iter("body", "div", "section", "main")):
        assert select(context) == xpath(context), (expression, context.tag, context.get("class"))
    assert xpath(tree), "the markup should give the expression something to find"


@pytest.mark.parametrize(
    "expression",
    ["//a/@href", ".//p[2]", ".//*[count(p) > 1]", ".//*[text()='x']", ".//a[@href][last()]", "string(.)"],
)
def test_what_it_does_not_read_stays_xpath(expression: str) -> None:
    assert compile_path(expression) is None


def test_trafilaturas_expressions_are_answered_in_python() -> None:
    """Every expression trafilatura's extraction runs reads as Python today; one that stops doing so (a new
    trafilatura) still gives the same nodes, as an XPath, only slower: this says so."""
    unread = [
        f"{name}[{index}]"
        for name in fast.LISTS
        for index, expression in enumerate(getattr(xpaths, name, []))
        if compile_path(expression.path) is None
    ]
    assert unread == []


def test_an_attribute_tested_several_times_is_read_once() -> None:
    from recapcrawl.extraction.trafilatura_predicates import _reads

    conditions = ["(get('class') == 'a')", "((get('class') or '').startswith('b') or get('id') is not None)"]
    assert _reads(conditions) == ["        _a0 = get('class')"]
    assert conditions == ["(_a0 == 'a')", "((_a0 or '').startswith('b') or get('id') is not None)"]


@pytest.mark.parametrize(
    ("expression", "skips"),
    [
        (".//*[@class='a' or re:test(@id, 'b')]", True),
        (".//*[@class and not(@id)]", True),
        (".//*[not(@class)]", False),  # true of an element without attributes
        (".//*[contains(@class, '')]", False),  # so is this
        (".//*[re:test(@class, 'x*')]", False),  # and this: the pattern matches ''
        (".//*[self::div or @class='a']", False),  # reads the tag too
    ],
)
def test_elements_without_the_attributes_are_skipped_only_where_no_such_element_matches(
    expression: str, skips: bool
) -> None:
    from recapcrawl.extraction import trafilatura_predicates as predicates

    sources: list[str] = []
    step_source = predicates._step_source

    def spy(*args: object) -> str:
        sources.append(step_source(*args))  # type: ignore[arg-type]
        return sources[-1]

    predicates._step_source = spy  # type: ignore[assignment]
    try:
        select = compile_path(expression)
    finally:
        predicates._step_source = step_source  # type: ignore[assignment]
    assert select is not None
    assert ("is None: continue" in sources[0]) is skips
    root = parse_html(
        "<html><body><div><p>plain</p><span class='a'>x</span><p id='b'>y</p></div></body></html>"
    )
    expected = root.xpath(expression, namespaces={"re": fast.REGEXP_NS})
    assert select(root) == expected

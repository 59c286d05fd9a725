"""The generic body: trafilatura on a narrowed copy of the page, and the article container used without it."""

from pathlib import Path

import pytest
from lxml import etree

from recapcrawl.extraction import analyze, extract_recap
from recapcrawl.extraction import generic as g
from recapcrawl.extraction.dom import parse_html

PAGES = Path(__file__).parent / "pages"
SAVED = sorted(str(path.relative_to(PAGES)) for path in PAGES.rglob("*.html"))

SENTENCES = [
    "The keeper finally opens the sealed letter, and the season turns on what it says about the storm.",
    "Marguerite reads it twice before she burns it, which tells us more than the letter itself ever could.",
    "The episode spends its middle stretch on the harbor board meeting, the weakest scenes of the run.",
    "By the final minutes the lamp room is dark for the first time in the show, and it is an earned image.",
    "Next week the ferry returns, and with it the question of who sent the letter in the first place.",
    "Hal's scenes with the harbor master are played for laughs, and they land better than they should.",
    "The score leans on the same four notes as the premiere, a choice that pays off in the last scene.",
]
ARTICLE = "".join(f"<p>{sentence}</p>" for sentence in SENTENCES)
NAV = "<nav><ul>" + "".join(f"<li><a href='/s/{i}'>Section {i}</a></li>" for i in range(20)) + "</ul></nav>"


def _text(element: etree._Element | None) -> str:
    return " ".join(" ".join(element.itertext()).split()) if element is not None else ""


def _page(body: str) -> etree._Element:
    return parse_html(f"<html><head><title>Recap</title></head><body>{body}</body></html>")


@pytest.mark.parametrize("name", SAVED)
def test_narrowed_run_reads_what_the_whole_page_run_reads(name):
    """On every saved page whose body trafilatura finds, the narrowed copy gives trafilatura's whole-page
    text (Substack's kicker and dek sit above the article container: only they are left out). Pages read
    by a profile or an article container, and listings, never reach the narrowed run."""
    html = (PAGES / name).read_bytes()
    analysis = analyze(html, "https://pages.example/2024/01/post/")
    if analysis.verdict.kind == "listing" or analysis.body_source != "trafilatura":
        pytest.skip(f"body from {analysis.body_source}, verdict {analysis.verdict.kind}: no narrowed run")
    root = parse_html(html)
    weights = g.paragraph_text(root)
    narrowed = g._narrowed_run(root, weights)
    whole = _text(g._whole_run(root))
    if g.candidate(root, weights) is None:
        assert narrowed is None
    elif narrowed is None:  # it kept too little of the candidate (teasers): the whole page is read
        assert g.candidate(root, weights) is not None
    elif name.startswith("substack/"):
        assert whole.endswith(_text(narrowed)) and len(_text(narrowed)) > 0.8 * len(whole)
    else:
        assert _text(narrowed) == whole


def test_candidate_is_the_lowest_element_holding_the_paragraph_text():
    root = _page(f"<div id='page'>{NAV}<main><div id='story'>{ARTICLE}</div><p>Share this.</p></main></div>")
    assert g.candidate(root, g.paragraph_text(root)).get("id") == "story"


def test_br_separated_text_counts_as_paragraph_text():
    runs = "<br><br>".join(SENTENCES)
    root = _page(f"{NAV}<div id='post'><div class='post-body'>{runs}</div></div><p>About</p>")
    weights = g.paragraph_text(root)
    assert weights[root.find(".//div[@class='post-body']")] == sum(len(s) for s in SENTENCES)
    assert g.candidate(root, weights).get("class") == "post-body"


@pytest.mark.parametrize(
    "body",
    [
        f"<div>{ARTICLE}</div><div>{ARTICLE.replace('keeper', 'warden')}</div>",  # text split in two
        "<div><p>A short note.</p><p>Nothing else here.</p></div>",  # too little text to judge
        f"<p>{' '.join(SENTENCES)}</p>",  # the text is right in <body>
    ],
    ids=["split", "short", "in-body"],
)
def test_no_candidate_reads_the_whole_page(body):
    root = _page(body)
    weights = g.paragraph_text(root)
    assert g.candidate(root, weights) is None
    assert g._narrowed_run(root, weights) is None
    assert _text(g.main_content(root)) == _text(g._to_html(g._whole_run(root)))


def test_candidate_trafilatura_drops_falls_back_to_the_whole_page():
    """Most paragraph text is reader comments, which trafilatura prunes: the article comes from the
    whole page."""
    comment = "I have waited for this reveal since the very first episode and it did not disappoint. " * 4
    comments = "".join(f"<li id='comment-{i}' class='comment'><p>{comment}</p></li>" for i in range(24))
    root = _page(f"<article><h1>Recap</h1>{ARTICLE}</article><ol class='comment-list'>{comments}</ol>")
    weights = g.paragraph_text(root)
    assert g.candidate(root, weights).get("class") == "comment-list"
    assert g._narrowed_run(root, weights) is None
    text = _text(g.main_content(root))
    assert SENTENCES[0] in text and "waited for this reveal" not in text


def test_forum_threads_are_not_narrowed():
    script = '<script type="application/ld+json">{"@type": "DiscussionForumPosting"}</script>'
    root = _page(f"{script}{NAV}<div id='thread'>{ARTICLE}</div>")
    weights = g.paragraph_text(root)
    assert g.candidate(root, weights) is not None
    assert g._narrowed_run(root, weights) is None


def test_narrowed_copy_keeps_the_ancestors_attributes_and_leaves_the_page_alone():
    entry = f"<div class='entry'>{ARTICLE}<script>x()</script></div>"
    root = _page(f"<div class='wrap' id='w'>{NAV}{entry}</div>")
    before = etree.tostring(root)
    element = root.find(".//div[@class='entry']")
    copy = g.narrowed(element)
    assert [(e.tag, dict(e.attrib)) for e in copy.iter() if e.tag in ("html", "body", "div")] == [
        ("html", {}),
        ("body", {}),
        ("div", {"class": "wrap", "id": "w"}),
        ("div", {"class": "entry"}),
    ]
    # the nav beside it is left out, and the script trafilatura would drop
    assert copy.find(".//nav") is None and copy.find(".//script") is None
    assert _text(copy) == _text(element).removesuffix(" x()")
    assert etree.tostring(root) == before


@pytest.mark.parametrize(
    "html",
    [
        f"<html><body><fb:root data-x=1 'odd=2><div class='wrap' 9a=1 :x=2>{ARTICLE * 3}</div></fb:root>",
        f"<html><body><div><div><table><tr><td>{ARTICLE * 3}</td></tr></table>",  # never closed
        "<html><body>" + "<div>" * 400 + ARTICLE * 3 + "</div>" * 400 + "</body></html>",
        f"<html><body><template>{ARTICLE * 3}</template><noscript>{ARTICLE}</noscript></body></html>",
        f"<p>{ARTICLE * 3}",  # no <html>, no <body>
        "<html><body><p></p><p>   </p></body></html>",
    ],
    ids=["odd-names", "unclosed", "deep", "template", "fragment", "empty"],
)
def test_bad_markup_does_not_raise(html):
    recap = extract_recap(html, "https://pages.example/bad/")
    assert isinstance(recap.body_text, str)


def test_one_dominant_article_container_is_the_body_without_trafilatura():
    html = f"<html><body>{NAV}<div class='post'><div class='entry-content'>{ARTICLE}</div></div></body>"
    analysis = analyze(html, "https://pages.example/a/")
    assert analysis.platform == "generic" and analysis.body_from_page
    assert analysis.body.get("class") == "entry-content"


@pytest.mark.parametrize(
    "body",
    [
        f"<div class='entry-content'>{ARTICLE}</div><div class='entry-content'>{ARTICLE}</div>",  # not alone
        f"<div class='entry-content'><p>{SENTENCES[0]}</p></div><div>{ARTICLE}</div>",  # holds too little
    ],
    ids=["two", "small"],
)
def test_article_container_needs_to_be_alone_and_hold_the_text(body):
    analysis = analyze(f"<html><body>{body}</body></html>", "https://pages.example/a/")
    assert not analysis.body_from_page


def test_whole_page_copy_goes_without_what_trafilatura_deletes_unread():
    junk = "<script>x()</script><svg><path d='M0'/></svg>"
    root = _page(f"{NAV}<div>{ARTICLE}{junk}</div><footer>(c)</footer>")
    before = etree.tostring(root)
    cleaned = g._cleaned_copy(root)
    assert [e.tag for e in cleaned.iter("nav", "script", "svg", "footer")] == []
    assert cleaned.find("head/title") is not None
    assert _text(cleaned.find("body")) == _text(root.find(".//div")).removesuffix(" x()")
    assert etree.tostring(root) == before
    forum = _page('<script type="application/ld+json">{"@type": "DiscussionForumPosting"}</script>' + ARTICLE)
    assert g._cleaned_copy(forum) is forum  # trafilatura reads the script to tell a forum thread


def test_full_run_only_when_the_fast_run_found_little_of_the_text(monkeypatch):
    """A short article the fast run found (most of the paragraph text it was given) is not read again
    in full; a fast run that found under FOUND_SHARE of it is."""
    runs = []
    extract, fast_run = g._extract, g._fast_run
    monkeypatch.setattr(
        g, "_extract", lambda doc, options: runs.append(options is g._OPTIONS) or extract(doc, options)
    )
    monkeypatch.setattr(g, "_fast_run", lambda doc: runs.append(False) or fast_run(doc))
    tags = (
        "<ul class='tags'>"
        + "".join(f"<li><a href='/t/{i}'>Storm tag {i}</a></li>" for i in range(6))
        + "</ul>"
    )
    root = _page(f"{NAV}<div id='story'>{ARTICLE}{tags}</div>")
    assert SENTENCES[0] in _text(g.main_content(root))
    assert runs == [False]  # narrowed, fast only: under FAST_ENOUGH characters but all of the article
    runs.clear()
    g._full_if_short(lambda: root, None, 1000)
    assert runs == [True]


def test_drop_textless_removes_elements_without_text_and_keeps_the_text():
    fragment = etree.fromstring(
        "<div><p>Lamp <a href='/x'><img src='i.png'/></a>room<br/>at night</p>"
        "<div class='icons'><span class='icon'></span><svg-like/></div>after the icons"
        "<table><tr><td>Ep</td><td></td></tr></table><figure><img src='b.png'/></figure></div>"
    )
    before = _text(fragment)
    g.drop_textless(fragment)
    assert _text(fragment) == before
    assert [e.tag for e in fragment.iter()] == ["div", "p", "br", "table", "tr", "td", "td"]
    assert fragment.find("p").text == "Lamp room" and fragment.find("table").tail is None


def test_without_a_90_percent_candidate_a_60_percent_one_is_narrowed(monkeypatch):
    """An article beside a long teaser block: no element holds NARROW_SHARE of the text, the story holds
    LOOSE_SHARE of it, and trafilatura reads only the story's narrowed copy."""
    teaser = "A look back at the ferry storyline, from the first sighting to the night of the fire. "
    teasers = "".join(f"<div class='teaser'><p>{teaser}</p></div>" for i in range(3))
    root = _page(f"{NAV}<div id='story'>{ARTICLE}</div><div id='more'>{teasers}</div>")
    weights = g.paragraph_text(root)
    assert g.candidate(root, weights) is None
    assert g.candidate(root, weights, g.LOOSE_SHARE).get("id") == "story"
    read = []
    extract, fast_run = g._extract, g._fast_run
    monkeypatch.setattr(g, "_extract", lambda doc, options: read.append(doc) or extract(doc, options))
    monkeypatch.setattr(g, "_fast_run", lambda doc: read.append(doc) or fast_run(doc))
    text = _text(g.main_content(root))
    assert SENTENCES[0] in text and "ferry storyline" not in text
    assert all(doc.find(".//div[@id='more']") is None for doc in read) and read


@pytest.mark.parametrize(
    ("ld_json", "forum"),
    [
        ('{"@type": "DiscussionForumPosting", "headline": "Episode 3 thread"}', True),
        ('{"@type": "BlogPosting", "headline": "Episode 3 recap"}', False),
        ("", False),
    ],
)
def test_names_forum_reads_the_page_scripts_as_is_forum_does(ld_json: str, forum: bool) -> None:
    """The forum flag the analysis passes to ``main_content`` (from the page's JSON-LD scripts it has
    already found) agrees with the one ``main_content`` reads from the tree itself."""
    from recapcrawl.extraction import selectors as sel
    from recapcrawl.extraction.dom import Page

    root = parse_html(
        f'<html><head><script type="application/ld+json">{ld_json}</script></head>'
        "<body><p>Posts about the episode.</p></body></html>"
    )
    assert g.names_forum(sel.JSON_LD(Page(root))) is forum
    assert g._is_forum(root) is forum

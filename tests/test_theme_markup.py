"""Markup families that third-party WordPress themes print around a post (found by crawling a real
WordPress under sixteen of them): what is not the article stays out of its body and its title."""

from __future__ import annotations

import pytest

from recapcrawl.extraction import extract_recap

URL = "https://tv.example/2024/03/04/harbor-lights-2x04-recap-the-weir/"
TITLE = "Harbor Lights 2×04 Recap: “The Weir”"
TEXT = [
    "The weir gives way in the cold open, and the rest of the hour is the town arguing about who knew.",
    "Wren keeps the ledger hidden until the last scene, when the co-op finally asks the right question.",
]


def post(
    extra_in_content: str, head_title: str = f"{TITLE} – Tidewater TV", h1_class: str = "entry-title"
) -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in TEXT)
    return (
        f"<!DOCTYPE html><html><head><title>{head_title}</title>"
        '<meta name="generator" content="WordPress 6.1.9"></head>'
        '<body class="post-template-default single single-post"><main id="main">'
        f'<article id="post-4" class="post-4 post type-post hentry"><h1 class="{h1_class}">{TITLE}</h1>'
        '<time class="entry-date published" datetime="2024-03-04T20:15:00+00:00">March 4, 2024</time>'
        f'<div class="entry-content">{paragraphs}{extra_in_content}</div></article></main></body></html>'
    )


@pytest.mark.parametrize(
    "extra",
    [
        # Zakra, Spacious: hAtom's copy of the title, hidden by the theme's CSS
        f'<div class="extra-hatom"><span class="entry-title">{TITLE}</span></div>',
        # Spacious: tags and the post's page links inside the content
        '<div class="tags">Tagged on: <a href="/tag/harbor-lights/" rel="tag">Harbor Lights</a></div>',
        '<div class="pagination"><span class="page-links-title">Pages:</span> <span>1</span> '
        f'<a href="{URL}2/"><span>2</span></a></div>',
        '<div class="entry-tags">Tags: <a href="/tag/weir/">weir</a></div>',
    ],
    ids=["hidden-title-copy", "tags-box", "pagination-box", "entry-tags"],
)
def test_what_themes_add_inside_the_content_is_not_the_body(extra):
    recap = extract_recap(post(extra), URL)
    assert [p.text for p in recap.paragraphs] == TEXT
    assert recap.bullets == []


def test_hestia_page_numbers_are_not_bullets():
    extra = (
        '<ul class="nav pagination pagination-primary"><li class="active"><span>1</span></li>'
        '<li><a href="x/2/">2</a></li></ul>'
    )
    recap = extract_recap(post(extra), URL)
    assert recap.bullets == [] and [p.text for p in recap.paragraphs] == TEXT


def test_an_entry_title_heading_in_the_content_stays():
    """An entry-title that is a heading is what the page shows (news sites put the headline in the body):
    it is no hidden copy, and is judged like any heading repeating the title."""
    extra = f'<h2 class="entry-title">A second act</h2><p>{TEXT[0]} Again.</p>'
    recap = extract_recap(post(extra), URL)
    assert "A second act" in [h.text for h in recap.headings]


@pytest.mark.parametrize(
    ("head_title", "h1_class", "expected"),
    [
        # WP Indigo: the heading's class is a BEM name (c-single__entry-title); <title> adds the site's name
        (f"{TITLE} – Lamp &amp; Ledger", "c-single__entry-title", TITLE),
        # the site's own name first and a longer post title after it: not the heading's
        (f"Tidewater TV » Blog Archive » {TITLE}", "site-title", f"Tidewater TV » Blog Archive » {TITLE}"),
    ],
    ids=["site-name-after", "site-name-first"],
)
def test_the_title_is_the_heading_when_head_title_only_adds_the_site_name(head_title, h1_class, expected):
    html = (
        post("", head_title=head_title, h1_class=h1_class)
        .replace("<article", "<div")
        .replace("</article>", "</div>")
    )
    if h1_class == "site-title":
        html = html.replace(
            f'<h1 class="site-title">{TITLE}</h1>', '<h1 class="site-title">Tidewater TV</h1>'
        )
    assert extract_recap(html, URL).meta.title == expected


def test_a_block_quotes_cite_survives_the_generic_body():
    """Themes whose content is no ``.entry-content`` (Hello Elementor's ``div.page-content``, ColorMag's
    ``div.cm-entry-summary``) are read by trafilatura, which flattens ``<cite>`` into the quote's last
    words: the cite is given back, and names the speaker."""
    paragraphs = "".join(f"<p>{text} {text}</p>" for text in TEXT)
    html = (
        f"<!DOCTYPE html><html><head><title>{TITLE}</title></head><body><main>"
        f'<div class="page-content"><h1>{TITLE}</h1>{paragraphs}'
        '<blockquote class="wp-block-quote"><p>Every weir holds until the night it doesn’t.</p>'
        "<cite>Wren Halloway</cite></blockquote>"
        f"<p>{TEXT[1]} The co-op votes at dawn, and nobody sleeps before it.</p></div></main></body></html>"
    )
    recap = extract_recap(html, URL)
    [quote] = [q for q in recap.quotes if q.kind == "blockquote"]
    assert (quote.text, quote.speaker) == ("Every weir holds until the night it doesn’t.", "Wren Halloway")

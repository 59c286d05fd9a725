"""Bylines: visible markup, structured data and meta tags, normalised (``extraction/bylines.py``).

Every page here is invented: made-up shows, sites and people, in the markup of common themes."""

from __future__ import annotations

import json

import pytest

from recapcrawl.extraction import analyze
from recapcrawl.extraction.bylines import clean_byline, is_weak

URL = "https://nightowl-recaps.example/2024/03/lantern-bay-2x04/"
TITLE = "Lantern Bay 2x04 recap: The Quiet Tide"
BODY = "<p>" + "The ferry is late again, and the whole harbor notices. " * 12 + "</p>"


def _page(header: str = "", head: str = "", after: str = "", ld: object = None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld is not None else ""
    return (
        f"<html><head><title>{TITLE} – Night Owl</title>{head}{script}</head><body>"
        "<nav><a href='/'>Home</a></nav>"
        f"<article><header><h1 class='entry-title'>{TITLE}</h1>{header}</header>"
        f"<div class='entry-content'>{BODY}</div>{after}</article>"
        "</body></html>"
    )


def _author(html: str, url: str = URL) -> str | None:
    return analyze(html, url).meta.author


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("By Jane Roe", "Jane Roe"),
        ("by: Jane Roe | March 3, 2024", "Jane Roe"),
        ("Von Max Mustermann, Redakteur", "Max Mustermann"),
        ("VON MARTA KÖHLER am 12. März 2024", "MARTA KÖHLER"),
        ("Autor: Jonas Brandt", "Jonas Brandt"),
        ("Par Élodie Marchand", "Élodie Marchand"),
        ("Door Pieter de Vries", "Pieter de Vries"),
        ("Posted on March 3, 2024 by Jane Roe", "Jane Roe"),
        ("Jane Roe, Staff Writer", "Jane Roe"),
        ("Senior Editor Jane Roe", "Jane Roe"),
        ("Jane Roe - jane.roe@nightowl.example", "Jane Roe"),
        ("Jane Roe @janeroe", "Jane Roe"),
        ("Von Lena Vogt, dpa", "Lena Vogt"),
        ("Jane Roe and Sam Okafor", "Jane Roe and Sam Okafor"),
        ("Text: Lena Vogt (Pressesprecherin der Stadtwerke)", "Lena Vogt"),
        ("View all posts by Jane Roe", "Jane Roe"),
        ("Redaktion", "Redaktion"),
        ("Staff Writer", "Staff Writer"),
        ("https://nightowl.example/author/jane/", None),
        ("Posted on", None),
        ("Name *", None),
        ("Foto: Lena Vogt", None),
        ("Share on Facebook", None),
        ("12. März 2024", None),
        ("Dr.", None),
        ("Dr. Lena Vogt", "Dr. Lena Vogt"),
    ],
)
def test_clean_byline(text, name):
    assert clean_byline(text) == name


def test_weak_names_are_the_sites_own():
    sites = ["Night Owl", "nightowl-recaps.example"]
    assert is_weak("wordpressadmin", sites) and is_weak("admin", sites)
    assert is_weak("night owl", sites) and is_weak("nightowl.com", sites)
    assert is_weak("Night Owl Media GmbH", sites)
    assert not is_weak("Jane Roe", sites)


def test_wordpress_byline_in_english():
    header = (
        "<div class='entry-meta'><span class='posted-on'>Posted on <time datetime='2024-03-03'>"
        "March 3, 2024</time></span><span class='byline'> by <span class='author vcard'>"
        "<a class='url fn n' href='/author/jane/' rel='author'>Jane Roe</a></span></span></div>"
    )
    analysis = analyze(_page(header), URL)
    assert analysis.meta.author == "Jane Roe"
    assert analysis.meta.author_url == "https://nightowl-recaps.example/author/jane/"


def test_german_byline_with_role_and_date():
    header = "<p class='article-author'>Von Marta Köhler, Redakteurin · 12. März 2024</p>"
    assert _author(_page(header), "https://abendblatt-serien.example/kritik/lantern-bay") == "Marta Köhler"


def test_byline_line_next_to_the_title_without_markup():
    header = "<p class='meta'>14.03.2024 09:12 von Jonas Brandt</p>"
    assert _author(_page(header)) == "Jonas Brandt"


def test_label_in_a_meta_line():
    header = (
        "<div class='info'><span class='l'>Datum:</span> 14.03.2024 <span class='l'>Autor:</span> "
        "Jonas Brandt <span class='l'>Quelle:</span> Serienwelt</div>"
    )
    header = header.replace("class='info'", "class='article-author-date'")
    assert _author(_page(header)) == "Jonas Brandt"


def test_several_authors_on_one_line_keep_their_separator():
    header = "<div class='byline'>By <a href='/p/jane'>Jane Roe</a> and <a href='/p/sam'>Sam Okafor</a></div>"
    assert _author(_page(header)) == "Jane Roe and Sam Okafor"


def test_several_authors_one_element_each_are_joined():
    header = (
        "<ul class='authors'><li><a class='author-name' href='/p/jane'>Jane Roe</a></li>"
        "<li><a class='author-name' href='/p/sam'>Sam Okafor</a></li></ul>"
    )
    assert _author(_page(header)) == "Jane Roe; Sam Okafor"


def test_structured_data_list_of_people_is_joined():
    ld = {
        "@type": "NewsArticle",
        "headline": TITLE,
        "author": [{"@type": "Person", "name": "Jane Roe"}, {"@type": "Person", "name": "Sam Okafor"}],
    }
    assert _author(_page(ld=ld)) == "Jane Roe; Sam Okafor"


def test_structured_data_names_resolved_by_id_and_unescaped():
    ld = {
        "@graph": [
            {"@type": "WebPage", "@id": URL, "author": {"@id": "#person-1"}},
            {"@type": "Person", "@id": "#person-1", "name": "Ana Mar&iacute;a Su&aacute;rez"},
        ]
    }
    assert _author(_page(ld=ld)) == "Ana María Suárez"


def test_publisher_organization_as_author_is_not_a_person():
    ld = {
        "@type": "NewsArticle",
        "headline": TITLE,
        "author": {"@type": "Organization", "name": "Night Owl"},
        "publisher": {"@type": "Organization", "name": "Night Owl"},
    }
    head = "<meta name='author' content='Jane Roe'>"
    assert _author(_page(head=head, ld=ld)) == "Jane Roe"


def test_organization_is_kept_when_no_one_else_is_named():
    ld = {"@type": "NewsArticle", "headline": TITLE, "author": {"@type": "Organization", "name": "Night Owl"}}
    assert _author(_page(ld=ld)) == "Night Owl"


def test_admin_account_gives_way_to_a_persons_name():
    header = (
        "<span class='byline'>by <a rel='author' href='/author/wordpressadmin/'>wordpressadmin</a></span>"
    )
    ld = {"@type": "BlogPosting", "headline": TITLE, "author": {"@type": "Person", "name": "Jane Roe"}}
    assert _author(_page(header, ld=ld)) == "Jane Roe"


def test_admin_account_alone_is_still_the_author():
    header = "<span class='byline'>by <a rel='author' href='/author/admin/'>admin</a></span>"
    assert _author(_page(header)) == "admin"


def test_site_name_in_meta_author_gives_way_to_a_person():
    head = "<meta property='og:site_name' content='Night Owl'><meta name='author' content='Night Owl'>"
    ld = {"@type": "Article", "headline": TITLE, "author": {"@type": "Person", "name": "Jane Roe"}}
    assert _author(_page(head=head, ld=ld)) == "Jane Roe"


def test_written_name_beats_the_same_persons_account_name():
    head = "<meta name='author' content='Jane Roe'>"
    ld = {"@type": "Article", "headline": TITLE, "author": {"@type": "Person", "name": "jane.roe"}}
    assert _author(_page(head=head, ld=ld)) == "Jane Roe"


def test_a_url_is_never_an_author():
    head = "<meta property='article:author' content='https://www.facebook.com/nightowlrecaps'>"
    assert _author(_page(head=head)) is None


def test_more_meta_keys_are_read():
    assert _author(_page(head="<meta name='byl' content='By Jane Roe'>")) == "Jane Roe"
    head = (
        "<meta name='citation_author' content='Roe, Jane'><meta name='citation_author' content='Okafor, Sam'>"
    )
    assert _author(_page(head=head)) == "Roe, Jane; Okafor, Sam"


def test_comment_authors_and_related_posts_are_not_the_byline():
    after = (
        "<section id='comments'><ol><li id='comment-1' class='comment'><div class='comment-author vcard'>"
        "<cite class='fn'>Pat Reader</cite></div><p>Great recap!</p></li></ol></section>"
    )
    header = "<p class='byline'>By <span class='author'>Jane Roe</span></p>"
    assert _author(_page(header, after=after)) == "Jane Roe"
    assert _author(_page(after=after)) is None


def test_microdata_comment_authors_are_not_the_byline():
    after = (
        "<div itemscope itemtype='https://schema.org/Comment'><span itemprop='author' itemscope "
        "itemtype='https://schema.org/Person'><span itemprop='name'>Pat Reader</span></span>"
        "<p itemprop='text'>Great recap!</p></div>"
    )
    header = "<div class='dek'>By Jane Roe · 3 March 2024</div>"
    assert _author(_page(header, after=after)) == "Jane Roe"


def test_visible_byline_wins_over_structured_data():
    header = "<div class='article-byline'>By Jane Roe</div>"
    ld = {"@type": "Article", "headline": TITLE, "author": {"@type": "Person", "name": "Night Desk"}}
    assert _author(_page(header, ld=ld)) == "Jane Roe"


def test_translator_is_not_an_author():
    header = (
        "<div class='postAuthorInfo'><div class='postAuthor'>Von : <a href='/a/jr'>Jane Roe</a></div>"
        "<div class='postAuthor'>Übersetzt von : <a href='/a/mk'>Marta Köhler</a></div></div>"
    )
    assert _author(_page(header)) == "Jane Roe"


def test_powered_by_in_the_footer_is_not_a_byline():
    html = _page().replace(
        "</body>", "<footer>© 2024 Night Owl · Powered by <a href='/'>Hugo</a></footer></body>"
    )
    assert _author(html) is None

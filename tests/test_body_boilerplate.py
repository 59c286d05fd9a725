"""Boilerplate inside an article body: what the splitter and the generic path leave out and keep."""

import pytest
from lxml import etree

from recapcrawl.extraction import extract_recap
from recapcrawl.extraction import generic as g
from recapcrawl.extraction.body import split_body
from recapcrawl.extraction.bylines import is_date_line
from recapcrawl.extraction.dom import parse_html

PROSE = "The keeper finally opens the sealed letter, and the season turns on what it says about the storm."


def _blocks(html: str) -> list[str]:
    return split_body(html).blocks


@pytest.mark.parametrize(
    "line",
    [
        "Related: The 15 Weirdest Galaxies in Our Universe",
        "READ MORE: China plague outbreak confirmed",
        "[Related: Salesforce Dreamforce Keynote]",
        "Lesen Sie auch: Die Haubenfahrzeuge der Nachkriegszeit",
        "Mehr zum Thema",
        "RELATED STORIES",
        "Get the latest updates right in your inbox. Subscribe to our newsletters.",
        "Zum Newsletter anmelden",
        "Like this story? Share it with a friend!",
        "Foto: Jo Roe",
        "© Jo Roe/Getty Images",
        "Lesezeit: 3 Minuten",
        "4 min read",
    ],
)
def test_boilerplate_lines_are_left_out(line):
    assert _blocks(f"<p>{PROSE}</p><p>{line}</p><p>{PROSE}</p>") == [PROSE, PROSE]


@pytest.mark.parametrize(
    "line",
    [
        "Related to the storm, the keeper keeps a second log that nobody else reads.",
        "Read more about the lighthouse in the keeper's own words, which the show quotes at length.",
        "Lesen Sie Modeblogs?",
        "Sign up for a Hulu account for $11.99 a month",
        "Photography was never the keeper's strength, and the episode knows it.",
    ],
)
def test_prose_that_looks_like_boilerplate_is_kept(line):
    assert line in _blocks(f"<p>{PROSE}</p><p>{line}</p>")


def test_credit_and_contact_lines_at_the_end_are_left_out():
    html = (
        f"<p>{PROSE}</p><p>Jo Roe contributed to this report.</p>"
        "<p>Write to Al Root at al.root@example.com</p>"
    )
    assert _blocks(html) == [PROSE]
    middle = f"<p>Jo Roe contributed to this report.</p>{''.join(f'<p>{PROSE} {i}</p>' for i in range(4))}"
    assert "Jo Roe contributed to this report." in _blocks(middle)


def test_date_lines():
    assert is_date_line("November 20, 2019 - 11:28 AMT")
    assert is_date_line("by Jeff Foust — November 18, 2019")
    assert not is_date_line("By the time we realised what was happening, it was already too late.")
    assert not is_date_line("In 2019 the keeper left the island for good.")


def _fragment(html: str) -> etree._Element:
    return etree.fromstring(f"<div>{html}</div>")


def test_title_with_its_kicker_and_date_lines_is_dropped():
    fragment = _fragment(
        f"<p>Review</p><h1>The Storm Episode</h1><p>November 18, 2019</p><p>{PROSE}</p><h2>Later</h2>"
    )
    g.drop_title_heading(fragment, "The storm episode")
    assert [e.text for e in fragment] == [PROSE, "Later"]


def test_a_long_paragraph_before_the_title_stops_the_search():
    fragment = _fragment(f"<p>{PROSE}</p><h1>The Storm Episode</h1>")
    g.drop_title_heading(fragment, "The Storm Episode")
    assert len(fragment) == 2


def test_link_lists_are_dropped():
    fragment = _fragment(
        f"<p>{PROSE}</p><ul><li><a href='/a'>Another story</a></li><li><a href='/b'>A third one</a></li></ul>"
        "<ul><li>The keeper's <a href='/c'>log</a></li><li>The ferry</li></ul>"
    )
    g.drop_link_lists(fragment)
    assert [e.tag for e in fragment] == ["p", "ul"] and "log" in "".join(fragment[1].itertext())
    rebuilt = _fragment("<ul><li>Another story</li><li>A third one</li></ul>")  # trafilatura keeps no links
    g.drop_link_lists(rebuilt, _fragment("<a href='/a'>Another story</a><a href='/b'>A third one</a>"))
    assert len(rebuilt) == 0


def test_embedded_posts_leave_their_widget_wrappers():
    root = _fragment(
        "<div class='social-media-embed'><div><blockquote class='twitter-tweet'><p>Hello</p>"
        "</blockquote></div></div>after"
    )
    g.unwrap_embedded_posts(root)
    assert root[0].tag == "blockquote" and root[0].tail == "after"


def test_a_body_cut_in_chunks_is_read_whole():
    """An article whose body container is cut in two by an ad row: trafilatura reads the first container of
    its kind only, so the chunks are merged in the copy it is given."""
    first = "".join(f"<p>{PROSE} (part one, {i})</p>" for i in range(6))
    second = "".join(f"<p>{PROSE} (part two, {i})</p>" for i in range(6))
    html = (
        "<html><head><title>Storm</title></head><body><main>"
        f"<div class='grid'><div class='article__body'>{first}</div></div>"
        "<div class='ad-row'>Advertisement</div>"
        f"<div class='grid'><div class='article__body'>{second}</div></div>"
        "</main></body></html>"
    )
    root = parse_html(html)
    weights = g.paragraph_text(root)
    assert len(g.body_chunks(g.candidate(root, weights), weights)) == 2
    text = extract_recap(html.encode(), "https://example.com/2024/storm/").body_text
    assert "part one, 0" in text and "part two, 5" in text and "Advertisement" not in text


def test_a_caption_that_quotes_a_line_is_recap_text() -> None:
    """An episode told in pictures ("… in 20 GIFs") puts its lines in figure captions: a caption that quotes a
    line of speech is a paragraph, its quote attributed like any other; a photo's caption stays out."""
    html = (
        "<h3>2. Marta, immediately</h3><figure><img src='2.gif' alt=''><figcaption>Marta rolling up with two "
        'coffees: "You\'re late, Okonkwo." Okonkwo checks her phone. "It\'s six."</figcaption></figure>'
        f"<p>{PROSE}</p>"
        "<figure><img src='a.jpg' alt=''><figcaption>\"Tollgate Terrors\" star Vera Lund. Photo: Studio"
        "</figcaption></figure>"
        "<div class='wp-caption'><img src='b.jpg' alt=''>"
        "<p class='wp-caption-text'>Vera Lund as Marta (Photo: Studio)</p></div>"
    )
    body = split_body(html)
    assert body.blocks[1:3] == [
        'Marta rolling up with two coffees: "You\'re late, Okonkwo." Okonkwo checks her phone. "It\'s six."',
        PROSE,
    ]
    assert len(body.blocks) == 3  # the photo captions (a title in quotes, a credit) are not text
    first, second = body.quotes
    assert (first.text, first.speaker) == ("You're late, Okonkwo.", "Marta")
    assert second.text == "It's six." and second.speaker in (None, "Okonkwo")  # never Marta

"""Reader comments in the markup of each family (tests/pages/comment-markup/): ids, parents, authors,
dates and text; and what is not a thread (widgets, related posts, CMS ids, a lone opinion box)."""

from pathlib import Path

import pytest

from recapcrawl.extraction import selectors as sel
from recapcrawl.extraction.comments import extract_comments
from recapcrawl.extraction.dom import Page, parse_html
from recapcrawl.extraction.profiles import GENERIC, detect
from recapcrawl.extraction.threads import find_records

PAGES = Path(__file__).parent / "pages" / "comment-markup"

# family page: [(id or None for a hashed id, parent index or None, author, published, text)]
EXPECTED = {
    "twentyten-signal-box-s02e04": [
        (
            "101",
            None,
            "Pip Ashdown",
            "2024-03-05T08:12",
            "That knock made me drop my tea. Twenty minutes of"
            " nothing and then that.\n\nBest episode of the season so far.",
        ),
        ("102", 0, "Maren Holt", "2024-03-05T09:40", "Same here. The sound team deserves an award."),
        (
            "103",
            None,
            "Dorrie Vance",
            "2024-03-06T22:02",
            "Who else thinks the driver wrote the ledger himself?",
        ),
    ],
    "kubrick-lamplighters-1x07": [
        (
            "201",
            None,
            "Ned Wickham",
            "2007-11-12T19:15",
            "The long division scene was pure theatre. I rewound it twice.",
        ),
        (
            "202",
            None,
            "Hattie Rook",
            "2007-11-13T09:02",
            "Agreed, though the subplot with the lamp oil went nowhere.\n\nMaybe next week?",
        ),
    ],
    "jetpack-harrow-street-s03e02": [
        (
            "301",
            None,
            "Lenfield",
            "2024-03-05T18:20:11",
            "The landlord's monologue was far too long, but the tenants' meeting saved it.",
        ),
        (
            "302",
            0,
            "Wren Tolley",
            "2024-03-05T19:02:44",
            "I liked the monologue! It explained the rent strike.",
        ),
    ],
    "wpdiscuz-cold-harbour-1x05": [
        (
            "401",
            None,
            "Saoirse",
            "2024-03-05T11:45",
            "The pilot boat chase was filmed in real weather, you can tell.",
        ),
        ("402", 0, "Maren Holt", "2024-03-05T13:10", "It was! The crew were soaked for a week."),
        ("403", None, "Ilya B.", "2024-03-06T20:30", "Slow first half, great last ten minutes."),
    ],
    "genesis-marrow-lane-s04e01": [
        (
            "501",
            None,
            "Odile Farrant",
            "2024-03-05T07:55",
            "So glad it is back. The cold open in the orchard was perfect.",
        ),
        ("502", 0, "Bram Keel", "2024-03-05T09:12", "The orchard was a set, apparently. Fooled me."),
    ],
    "blogger-old-tidemark-1x03": [
        (
            "7001",
            None,
            "Fenella",
            "2024-03-05T15:00",
            "Low water was the scariest hour of telly this year. That mud!",
        ),
        (
            "7002",
            None,
            "Anonymous",
            "2024-03-06T16:00",
            "Did anyone else spot the lighthouse keeper in the background?",
        ),
    ],
    "drupal-foundry-s02e06": [
        ("601", None, "Gus Temple", "2024-03-05T12:00", "The pour scene alone was worth the wait."),
        ("602", 0, "Maren Holt", "2024-03-05T14:30", "They poured real bronze for it."),
        ("603", None, "Lotte (not verified)", "2024-03-06T08:10", "Too much slag, not enough story."),
    ],
    "hcite-orchard-road-1x02": [
        (
            None,
            None,
            "Quill Ferrars",
            "2024-03-05T10:00",
            "Grafting as a metaphor for the Ferrars family tree, very neat.",
        ),
        (None, None, "Tamsin Ode", "2024-03-06T16:45", "The apple-pressing montage went on forever."),
    ],
    "microdata-greywater-s05e09": [
        (None, None, "Yusuf Marl", "2024-03-05T20:15", "The sluice gate finale is the show at its best."),
        (
            None,
            None,
            "Clem Haddow",
            "2024-03-06T07:40",
            "Nine episodes of build-up for that? I expected more.",
        ),
    ],
    "thesis-kettle-point-s02e08": [
        ("801", None, "Rosk", "2024-03-05T18:00", "The kettle whistle as a countdown was clever."),
        ("802", None, "Bea Lusk", "2024-03-06T07:30", "I saw the twist coming from episode two."),
    ],
    # OceanWP-like: div.comment-author wraps the name, span.comment-meta (date, Reply)
    "authorwrap-brackwater-s01e02": [
        (
            "301",
            None,
            "Tamsin Vell",
            "2024-04-02T00:00",
            "The lock-keeper scene was the quietest ten minutes on television this year.",
        ),
        ("302", 0, "Osric Lane", "2024-04-02T00:00", "It was shot without music on purpose."),
        (
            "303",
            None,
            "Juno 7",
            "2024-04-03T00:00",
            "Two episodes in and I still cannot tell the Brack brothers apart.\n\nName tags, please.",
        ),
    ],
    # Spacious-like: header.comment-author holds name + "Post author" badge, date-time div, "Permalink"
    "headermeta-saltmarsh-3x01": [
        ("401", None, "mudlark_88", "2024-04-08T21:15", "The marsh fire at the end looked completely real."),
        ("402", 0, "Osric Lane", "2024-04-08T22:40", "Real reeds, controlled burn, one take."),
        ("403", None, "Perrin Hale", "2024-04-09T07:05", "Slow start, but the last act earned it."),
    ],
    # Hestia-like: no content wrapper; the name in h4.media-heading with the date in <small>
    "headingname-fogbound-2x06": [
        (
            "501",
            None,
            "Ysolde Marr",
            "2024-04-15T20:20",
            "The foghorn countdown was unbearable in the best way.\n\nMy dog hid under the sofa.",
        ),
        ("502", 0, "K. Brannigan", "2024-04-15T21:05", "Mine too. Good dog."),
        ("503", None, "Dace", "2024-04-16T06:45", "Was the lighthouse keeper in on it from the start?"),
    ],
    # WP Indigo-like: div.comment-content wraps div.comment-header (author, <time>) before the text
    "contentheader-tollgate-1x04": [
        (
            "601",
            None,
            "Hollis Crane",
            "2024-04-22T21:10",
            "Finally, a heist show that remembers the getaway.",
        ),
        ("602", 0, "Bettany", "2024-04-22T22:30", "The tollbooth bit made me laugh out loud."),
        (
            "603",
            None,
            "Rook Abernethy",
            "2024-04-23T08:00",
            "Too many flashbacks for me.\n\nStill watching next week.",
        ),
    ],
}


def _comments(html: bytes | str, profile=None):
    page = Page(parse_html(html))
    if profile is None:
        generator = sel.GENERATOR(page)
        profile = detect(page, generator[0] if generator else None)
    return extract_comments(page, None, profile=profile)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_family(name):
    comments = _comments((PAGES / f"{name}.html").read_bytes())
    expected = EXPECTED[name]
    assert len(comments) == len(expected)
    for comment, (key, parent, author, published, text) in zip(comments, expected, strict=True):
        if key is not None:
            assert comment.id == key
        assert comment.parent_id == (comments[parent].id if parent is not None else None)
        assert comment.depth == (1 if parent is not None else 0)
        assert comment.author == author
        assert comment.published and comment.published.startswith(published)
        assert comment.text == text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_family_found_by_structure_alone(name):
    """The structural finder reads every family with the generic profile (no platform knowledge)."""
    records = find_records(Page(parse_html((PAGES / f"{name}.html").read_bytes())))
    assert len(records) == len(EXPECTED[name])


def test_post_author_flag():
    by_id = {c.id: c for c in _comments((PAGES / "twentyten-signal-box-s02e04.html").read_bytes())}
    assert by_id["102"].is_post_author and not by_id["101"].is_post_author
    by_id = {c.id: c for c in _comments((PAGES / "drupal-foundry-s02e06.html").read_bytes())}
    assert by_id["602"].is_post_author
    # a "Post author" badge beside the name; WordPress's bypostauthor on the record's inner <article>
    for name, key in (("headermeta-saltmarsh-3x01", "402"), ("authorwrap-brackwater-s01e02", "302")):
        comments = _comments((PAGES / f"{name}.html").read_bytes())
        assert [c.id for c in comments if c.is_post_author] == [key]


def test_widgets_and_related_posts_are_not_a_thread():
    html = (PAGES / "no-thread-ferryman-1x01.html").read_bytes()
    assert _comments(html) == []
    assert find_records(Page(parse_html(html))) == []


def _page(body: str) -> str:
    article = "<article><p>Recap text.</p></article>"
    return f"<html><head><title>Recap</title></head><body>{article}{body}</body></html>"


def test_cms_content_ids_are_not_blogger_comments():
    """TYPO3 gives every content element an id like ``c123``: only a comment class or a thread makes it
    Blogger's comment id."""
    html = _page(
        "<div id='c101' class='frame'><header><h2>Box</h2></header><p>Opening hours: 9 to 5.</p></div>"
    )
    assert _comments(html, GENERIC) == []


def test_a_lone_opinion_box_is_not_a_comment():
    html = _page(
        "<div class='comment'><span class='author'>Ed Itor</span> <time datetime='2024-01-01'>"
        "Jan 1, 2024</time><p>Our view: the finale was rushed.</p></div>"
    )
    assert _comments(html, GENERIC) == []


def test_flat_list_threaded_by_depth_classes():
    """Replies listed flat after their parent, nested only by ``depth-N`` classes."""
    items = "".join(
        f"<div id='comment-{n}' class='comment depth-{d}'><span class='fn'>U{n}</span>"
        f"<time datetime='2024-02-0{n}T10:00:00+00:00'>Feb {n}</time><p>Text {n}.</p></div>"
        for n, d in ((1, 1), (2, 2), (3, 3), (4, 2), (5, 1))
    )
    comments = _comments(_page(f"<section id='comments'>{items}</section>"), GENERIC)
    assert [(c.id, c.parent_id, c.depth) for c in comments] == [
        ("1", None, 0),
        ("2", "1", 1),
        ("3", "2", 2),
        ("4", "1", 1),
        ("5", None, 0),
    ]


def test_anchor_records_and_reply_containers():
    """Drupal-style: an empty ``<a id="comment-N">`` before each record, replies in ``div.indented``."""
    record = "<a id='comment-{0}'></a><div class='comment'>"
    record += "<span class='username'>U{0}</span><p>Text {0}.</p></div>"
    replies = "<div class='indented'>" + record.format(2) + record.format(3) + "</div>"
    html = _page("<div id='comments'>" + record.format(1) + replies + record.format(4) + "</div>")
    comments = _comments(html, GENERIC)
    assert [(c.id, c.parent_id, c.author, c.text) for c in comments] == [
        ("1", None, "U1", "Text 1."),
        ("2", "1", "U2", "Text 2."),
        ("3", "1", "U3", "Text 3."),
        ("4", None, "U4", "Text 4."),
    ]


def test_text_from_own_paragraphs_without_replies_or_meta():
    """No content class: the comment's own paragraphs, not its author line, date or replies."""
    html = _page(
        "<ol class='commentlist'><li id='comment-7'><strong>Ada</strong> says:<br>"
        "<span class='date'>2 March 2024</span><p>First point.</p><p>Second point.</p>"
        "<ul class='children'><li id='comment-8'><strong>Bo</strong> says:<p>A reply.</p></li></ul></li></ol>"
    )
    comments = _comments(html, GENERIC)
    assert [(c.id, c.parent_id, c.text) for c in comments] == [
        ("7", None, "First point.\n\nSecond point."),
        ("8", "7", "A reply."),
    ]
    assert comments[0].published.startswith("2024-03-02")

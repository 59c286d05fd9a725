"""Comment fields in the markup of third-party WordPress themes: dates read from text split over several
elements, author elements that also hold the date, the Reply link or a "Post author" badge, names in
unclassed headings, and comment headers inside the text element (see also the golden pages
``authorwrap-*``, ``headermeta-*``, ``headingname-*`` and ``contentheader-*`` in
tests/pages/comment-markup/)."""

from datetime import UTC

import pytest

from recapcrawl.extraction.comments import _date, extract_comments
from recapcrawl.extraction.dom import Page, parse_html
from recapcrawl.extraction.profiles import GENERIC, WORDPRESS

SVG = "<svg viewBox='0 0 24 24'><path d='M1 1h2'></path></svg>"


def _comments(items: str, profile=WORDPRESS):
    html = (
        "<html><head><title>Recap</title></head><body><article><p>Recap text.</p></article>"
        f"<div id='comments' class='comments-area'><ol class='comment-list'>{items}</ol></div></body></html>"
    )
    return extract_comments(Page(parse_html(html)), None, profile=profile)


def _one(item: str, profile=WORDPRESS):
    comments = _comments(item, profile)
    assert len(comments) == 1
    return comments[0]


# ---------------------------------------------------------------- A: dates split over elements
COLORMAG_LIKE = (
    "<li class='comment depth-1' id='li-comment-7'><article id='comment-7' class='comment'>"
    "<footer class='comment-meta'><div class='comment-author vcard'>"
    "<b class='fn'>Ottilie Grange<span>Post author</span></b>"
    "<div class='comment-metadata'><div class='comment-date-time'>" + SVG + "March 4, 2024 at 9:02 pm</div>"
    "<a class='comment-permalink' href='https://ex.example/p/#comment-7'>" + SVG + "Permalink</a></div>"
    "</div></footer><section class='comment-content comment'><p>The harbour scene was lovely.</p>"
    "<a rel='nofollow' class='comment-reply-link' href='?replytocom=7#respond'>Reply</a></section>"
    "</article></li>"
)


@pytest.mark.parametrize("profile", [WORDPRESS, GENERIC])
def test_date_and_permalink_words_stay_apart(profile):
    """ "…9:02 pm" and "Permalink" are two elements: joined without a space, "pmPermalink" lost the pm."""
    comment = _one(COLORMAG_LIKE, profile)
    assert comment.published == "2024-03-04T21:02:00+00:00"
    assert comment.text == "The harbour scene was lovely."


def test_date_read_from_a_header_of_name_date_and_link():
    """No element holds the date alone: it is read from the header's date words, not the name's digits."""
    comment = _one(
        "<li id='comment-9'><header class='comment-meta'><span class='who'>user42</span>"
        "<span>March 4, 2024 at 9:02 pm</span><a href='https://ex.example/p/#comment-9'>Permalink</a>"
        "</header><p>Good episode.</p></li>"
    )
    assert comment.published == "2024-03-04T21:02:00+00:00"


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("quayside_ruth March 4, 2024 at 9:02 pm Permalink", "2024-03-04T21:02:00+00:00"),
        ("user42 March 4, 2024 at 9:02 pm", "2024-03-04T21:02:00+00:00"),
        ("Juno 7 · 5 March 2024, 08:15", "2024-03-05T08:15:00+00:00"),
        ("Posted March 4, 2024 by Ann at 9:02 pm", "2024-03-04T21:02:00+00:00"),
        ("Par Yves Leclercq 214, le mercredi 15 mai 2019 à 09h23", "2019-05-15T09:23:00+00:00"),
        ("5. März 2024 um 10:15 Uhr", "2024-03-05T10:15:00+00:00"),
        ("March 4, 2024 at 9:02 pm", "2024-03-04T21:02:00+00:00"),
        ("user42 Permalink", None),
        ("Reader 5000", None),
    ],
)
def test_shown_date_words(shown, expected):
    assert _date(shown, UTC) == expected


# ---------------------------------------------------------------- B, C: the name part of an author element
def test_author_element_holding_date_and_reply_link():
    """OceanWP: div.comment-author holds the name, then span.comment-meta with the date and Reply."""
    comment = _one(
        "<li id='comment-3' class='comment-container'><article class='comment'><div class='comment-author'>"
        "<span class='comment-link'>Brannock Fry </span><span class='comment-meta commentmetadata'>"
        "<span class='comment-date'>March 4, 2024</span> <a class='comment-reply-link'"
        " href='https://ex.example/p/?replytocom=3#respond'>Reply</a></span></div>"
        "<div class='comment-entry'><div class='comment-content'><p>Loved it.</p></div></div></article></li>"
    )
    assert (comment.author, comment.author_url) == ("Brannock Fry", None)
    assert comment.published.startswith("2024-03-04")


def test_author_text_before_an_unclassed_date_and_links():
    comment = _one(
        "<li id='comment-4'><div class='comment-author'>Ann Lee, <span>March 4, 2024 at 9:02 pm</span>"
        " <a href='https://ex.example/p/#comment-4'>#</a> <a href='?replytocom=4#respond'>Reply</a>"
        " <span>says:</span></div><div class='comment-content'><p>Agreed.</p></div></li>"
    )
    assert comment.author == "Ann Lee"
    assert comment.published == "2024-03-04T21:02:00+00:00"


def test_name_link_is_the_name_not_the_permalink():
    comment = _one(
        "<li id='comment-5'><header class='comment-meta comment-author vcard'>"
        "<div class='comment-author-link'><a href='https://ann.example/' class='url'>Ann</a></div>"
        "<div class='comment-date-time'>March 4, 2024</div>"
        "<a class='comment-permalink' href='https://ex.example/p/#comment-5'>Permalink</a></header>"
        "<section class='comment-content comment'><p>Yes.</p></section></li>"
    )
    assert (comment.author, comment.author_url) == ("Ann", "https://ann.example/")


@pytest.mark.parametrize("profile", [WORDPRESS, GENERIC])
def test_post_author_badge_is_not_part_of_the_name(profile):
    comment = _one(COLORMAG_LIKE, profile)
    assert comment.author == "Ottilie Grange"
    assert comment.is_post_author  # the badge says so (no bypostauthor class here)


@pytest.mark.parametrize("name", ["Reader 5000", "Class of 2019", "Juno 7"])
def test_numbers_in_a_name_are_not_a_date(name):
    comment = _one(
        f"<li id='comment-8'><div class='comment-author'><b class='fn'>{name}</b> <span>says:</span></div>"
        "<div class='comment-metadata'><a href='#comment-8'>March 4, 2024 at 9:02 pm</a></div>"
        "<div class='comment-content'><p>Fine.</p></div></li>"
    )
    assert (comment.author, comment.published) == (name, "2024-03-04T21:02:00+00:00")


def test_role_badge_is_left_out_but_is_not_the_post_author():
    comment = _one(
        "<li id='comment-6'><div class='comment-author'><cite class='fn'>Mo Reyes <span>Moderator</span>"
        "</cite></div><div class='comment-content'><p>Please keep it civil.</p></div></li>"
    )
    assert (comment.author, comment.is_post_author) == ("Mo Reyes", False)


# ---------------------------------------------------------------- D: a name in an unclassed heading
LOVECRAFT_LIKE = (
    "<div id='comment-{n}' class='comment'>"
    "<a class='comment-author-icon' href='https://ex.example/p/#comment-{n}'>"
    "<div class='genericon'></div></a>"
    "<div class='comment-inner'><div class='comment-header'><h4>{name}</h4></div>"
    "<div class='comment-content post-content'><p>{text}</p></div><div class='comment-meta'><div>"
    "<a class='comment-date-link' href='https://ex.example/p/#comment-{n}'>March 5, 2024</a>"
    "</div></div></div></div>"
)


@pytest.mark.parametrize("profile", [WORDPRESS, GENERIC])
def test_name_in_an_unclassed_header_heading(profile):
    items = LOVECRAFT_LIKE.format(n=11, name="Priya S.", text="What a finale.") + LOVECRAFT_LIKE.format(
        n=12, name="old_lamp", text="The vicar did it."
    )
    comments = _comments(items, profile)
    assert [(c.author, c.published[:10], c.text) for c in comments] == [
        ("Priya S.", "2024-03-05", "What a finale."),
        ("old_lamp", "2024-03-05", "The vicar did it."),
    ]


def test_a_heading_that_titles_the_comment_is_not_its_author():
    """A heading before a meta line that names the author ("written by …") is the comment's title."""
    comment = _one(
        "<li id='comment-21'><div><h2 id='c21'>A different view</h2><span class='metadata'>written by"
        " bob99 on 21 Jan 2015, 19:04</span></div><p>I read the ending another way.</p></li>"
    )
    assert comment.author == "bob99"
    assert comment.published == "2015-01-21T19:04:00+00:00"


def test_bold_words_in_the_text_are_not_an_author():
    comment = _one(
        "<li id='comment-22'><span class='date'>March 4, 2024</span><p><b>Great</b> episode, the"
        " <strong>best</strong> so far.</p></li>"
    )
    assert comment.author is None
    assert comment.text == "Great episode, the best so far."


def test_bold_name_with_a_says_label():
    comment = _one(
        "<li id='comment-23'><div><strong>Betje</strong> sagt:<br><time datetime='2019-05-23T09:05:00+02:00'>"
        "23.05.2019 - 09:05</time><br><div>So gut geschrieben!</div></div></li>",
        GENERIC,
    )
    assert (comment.author, comment.text) == ("Betje", "So gut geschrieben!")


# ---------------------------------------------------------------- E: the header left out of the text
def test_text_without_the_heading_that_gave_author_and_date():
    """Hestia: no content wrapper; the name heading (with the date in <small>) precedes bare paragraphs."""
    comment = _one(
        "<div class='comment depth-1 media' id='comment-31'><a class='pull-left' href=' '>"
        "<div class='comment-author avatar vcard'><img src='a.png' alt=''></div></a><div class='media-body'>"
        "<h4 class='media-heading'>Tarn Oakes <small>&#183; March 4, 2024 at 9:02 pm</small></h4>"
        "<p>First thought.</p><p>Second thought.</p><div class='media-footer'>"
        "<a class='comment-reply-link' href='?replytocom=31#respond'>Reply</a></div></div></div>"
    )
    assert (comment.author, comment.published) == ("Tarn Oakes", "2024-03-04T21:02:00+00:00")
    assert comment.text == "First thought.\n\nSecond thought."


def test_text_without_the_header_inside_the_content_element():
    """WP Indigo: div.comment-content wraps div.comment-header (author, <time>) and the paragraphs."""
    comment = _one(
        "<li id='comment-32'><article class='comment-body'><div class='comment-meta'>"
        "<div class='comment-content'><div class='comment-header'>"
        "<div class='comment-author comment-author-name h4'>Lyle Penhallow</div>"
        "<div class='comment-time time h6'>"
        "<time datetime='2024-03-04T21:02:00+00:00'>Mar 04.2024</time></div>"
        "</div><p>Nice one.</p><div class='comment-modification'>"
        "<a class='comment-reply-link' href='?replytocom=32#respond'>Reply</a>"
        "</div></div></div></article></li>"
    )
    assert (comment.author, comment.text) == ("Lyle Penhallow", "Nice one.")
    assert comment.published == "2024-03-04T21:02:00+00:00"


def test_separator_left_beside_a_skipped_name_is_not_text():
    comment = _one(
        "<li id='comment-33' class='comment'><div class='comment-text'><div class='comment-body'>"
        "<span class='comment-copy'>Unless of what?</span><div>&ndash;&nbsp;<a href='/users/1/vo' class="
        "'comment-user'>Vo</a></div><span class='comment-date'><span title='2014-02-06 23:18:04Z'>"
        "Feb 6, 2014 at 23:18</span></span></div></div></li>",
        GENERIC,
    )
    assert (comment.author, comment.text) == ("Vo", "Unless of what?")
    assert comment.published.startswith("2014-02-06T23:18")

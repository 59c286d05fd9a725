"""A post's publication time from its feed when the page prints only the day (Twenty Ten's "March 4, 2024",
Twenty Twenty's post-date line): the feed's ``pubDate`` is an instant; the page's day is the site's local
one. The crawl fills it whichever of page and feed is read first; ``reparse`` does the same from the
stored feeds. The same for the author where a page shows no byline, and a comment's time where the page
shows only its day (from the post's comments feed)."""

from __future__ import annotations

import html

import pytest
from servers.fault_server import FaultServer, Reply, run_crawl

from recapcrawl import storage
from recapcrawl.crawler.readings import with_listing
from recapcrawl.extraction.links import comment_key, listing_key, listings, parse_feed
from recapcrawl.extraction.metadata import published_from_listing
from recapcrawl.offline import reparse
from recapcrawl.storage import open_db

DAY = "2024-03-04T00:00:00+00:00"  # a page that prints only "March 4, 2024"


@pytest.mark.parametrize(
    ("page", "listed", "expected"),
    [
        (DAY, "2024-03-04T20:15:00+00:00", "2024-03-04T20:15:00+00:00"),
        (DAY, "2024-03-05T03:02:00+00:00", "2024-03-05T03:02:00+00:00"),  # an evening in Chicago
        (DAY, "2024-03-03T11:00:00+00:00", "2024-03-03T11:00:00+00:00"),  # a morning in Auckland
        (DAY, "2024-03-07T20:15:00+00:00", DAY),  # another day: the feed lists another post's time
        (DAY, "2024-03-04T20:15:00", DAY),  # no offset: no instant
        ("2024-03-04T21:00:00+00:00", "2024-03-04T20:15:00+00:00", "2024-03-04T21:00:00+00:00"),  # page's own
        (None, "2024-03-04T20:15:00+00:00", "2024-03-04T20:15:00+00:00"),
        (DAY, None, DAY),
    ],
)
def test_the_feed_times_a_page_that_gives_only_the_day(page, listed, expected):
    assert published_from_listing(page, listed) == expected


def rss(base: str, items: list[tuple[str, str]]) -> str:
    entries = "".join(
        f"<item><title>{html.escape(title)}</title><link>{base}{path}</link>"
        f"<pubDate>Mon, 04 Mar 2024 20:15:00 +0000</pubDate>"
        f"<dc:creator><![CDATA[Nell Okafor]]></dc:creator></item>"
        for path, title in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>Tidewater TV</title><link>{base}/</link>{entries}</channel></rss>"
    )


def test_feeds_give_each_post_its_time_and_author():
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        '<link rel="alternate" href="https://tv.example/2024/03/04/harbor-lights-2x04/"/>'
        "<author><name>Ida Marr</name></author>"
        "<published>2024-03-04T21:15:00+01:00</published><updated>2024-03-09T10:00:00Z</updated></entry></feed>"
    )
    entries = parse_feed(atom.encode())
    assert [(e.published, e.updated, e.author) for e in entries] == [
        ("2024-03-04T21:15:00+01:00", "2024-03-04T21:15:00+01:00", "Ida Marr")
    ]
    listed = listings(entries, "https://tv.example/feed/")
    assert listed == {
        listing_key("http://TV.example/2024/03/04/harbor-lights-2x04"): (
            "2024-03-04T21:15:00+01:00",
            "Ida Marr",
        )
    }
    feed = rss("https://tv.example", [("/2024/03/04/a/", "A")]).encode()
    assert listings(parse_feed(feed), "https://tv.example/feed/") == {
        "tv.example/2024/03/04/a": ("2024-03-04T20:15:00+00:00", "Nell Okafor")
    }
    mail = (
        '<?xml version="1.0"?><rss version="2.0"><channel><item><link>https://tv.example/b/</link>'
        "<author>ida@tv.example (Ida Marr)</author></item><item><link>https://tv.example/c/</link>"
        "<author>ida@tv.example</author></item></channel></rss>"
    )
    assert [e.author for e in parse_feed(mail.encode())] == ["Ida Marr", None]  # a bare address is no name


def test_a_comments_feed_times_no_post():
    """A post's comments feed lists its comments at ``…/post/#comment-N``: their times are the comments',
    not the post's."""
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><item><link>https://tv.example/2024/03/04/a/#comment-5'
        "</link><pubDate>Tue, 05 Mar 2024 08:00:00 +0000</pubDate></item><item>"
        "<link>https://tv.example/2024/03/04/a/comment-page-2/#comment-9</link>"
        "<pubDate>Tue, 05 Mar 2024 09:00:00 +0000</pubDate></item></channel></rss>"
    )
    assert listings(parse_feed(feed.encode()), "https://tv.example/2024/03/04/a/feed/") == {
        comment_key("https://tv.example/2024/03/04/a/", "5"): ("2024-03-05T08:00:00+00:00", None),
        comment_key("https://tv.example/2024/03/04/a/", "9"): ("2024-03-05T09:00:00+00:00", None),
    }


POST = "/2024/03/04/harbor-lights-2x04-recap-the-salt-ledger/"
TITLE = "Harbor Lights 2x04 Recap: “The Salt Ledger”"


def day_only_post(base: str, byline: bool = True) -> str:
    """A Twenty Ten-like post page: the day in a span, the time only in the link's title; ``byline`` off:
    no author shown (Hello Elementor, Chaplin)."""
    page = (
        f"<!DOCTYPE html><html><head><title>{html.escape(TITLE)} | Tidewater TV</title>"
        f'<link rel="canonical" href="{base}{POST}">'
        f'<link rel="alternate" type="application/rss+xml" href="{base}{POST}feed/"></head>'
        '<body class="single single-post"><div id="content">'
        '<div id="post-5" class="post-5 post type-post hentry">'
        f'<h1 class="entry-title">{html.escape(TITLE)}</h1><div class="entry-meta">Posted on '
        f'<a href="{base}{POST}" title="8:15 pm" rel="bookmark">'
        '<span class="entry-date">March 4, 2024</span></a>'
        ' by <span class="author vcard"><a class="url fn n" href="/author/nell/">Nell Okafor</a></span></div>'
        '<div class="entry-content"><p>The ledger surfaces in the first minute, and Wren spends the hour '
        "hiding it from the co-op.</p><p>By the end the salt tally is wrong by exactly one barrel, and "
        "nobody says why.</p></div></div></div></body></html>"
    )
    return (
        page if byline else page.replace(page[page.index(" by <span") : page.index("</span></div>") + 7], "")
    )


# A Twenty Ten comment: its day in the permalink, no time.
COMMENT = (
    '<div id="comments"><ol class="commentlist">'
    '<li class="comment even thread-even depth-1" id="li-comment-3">'
    '<div id="comment-3"><div class="comment-author vcard"><cite class="fn">Ola Brandt</cite> '
    '<span class="says">says:</span></div><div class="comment-meta commentmetadata"><a href="#comment-3">'
    'March 4, 2024</a></div><div class="comment-body"><p>The barrel count was the best scene.</p></div></div>'
    "</li></ol></div>"
)


@pytest.mark.integration
def test_a_crawl_and_a_reparse_take_the_time_and_author_from_the_feed(tmp_path):
    bare = POST.replace("2x04", "2x05").replace("salt-ledger", "tide-table")
    with FaultServer() as server:
        base = server.base_url.rstrip("/")
        server.routes.update(
            {
                "/": Reply(
                    '<!DOCTYPE html><html><head><title>Tidewater TV</title><link rel="alternate" '
                    f'type="application/rss+xml" href="{base}/feed/"></head><body class="home blog">'
                    f'<a href="{POST}">{html.escape(TITLE)}</a><a href="{bare}">2x05</a></body></html>'
                ),
                "/robots.txt": Reply("User-agent: *\nAllow: /\n", content_type="text/plain"),
                "/feed/": Reply(
                    rss(base, [(POST, TITLE), (bare, "2x05")]), content_type="application/rss+xml"
                ),
                POST: Reply(
                    day_only_post(base).replace("</div></div></body>", f"</div>{COMMENT}</div></body>")
                ),
                bare: Reply(day_only_post(base, byline=False).replace(POST, bare).replace("2x04", "2x05")),
                # the post's comments feed: a comment the same evening, which is not when the post went up
                POST + "feed/": Reply(
                    '<?xml version="1.0"?><rss version="2.0"><channel><item>'
                    f"<link>{base}{POST}#comment-3</link><pubDate>Mon, 04 Mar 2024 23:40:00 +0000</pubDate>"
                    "</item></channel></rss>",
                    content_type="application/rss+xml",
                ),
            }
        )
        db_path = tmp_path / "archive.db"
        run = run_crawl([server.base_url], db_path)
        assert run.proc.returncode == 0, run.proc.stderr[-2000:]
        assert server.hits["/feed/"] >= 1 and server.hits[POST + "feed/"] >= 1
    db = open_db(db_path)
    expected = [("2024-03-04T20:15:00+00:00", "Nell Okafor")] * 2  # the second page shows no byline
    assert [(r["published"], r["author"]) for r in db.query("select * from recaps order by url")] == expected
    # the comment's page shows its day; the post's comments feed, its time
    assert [(r["comment_id"], r["published"]) for r in db.query("select * from comments")] == [
        ("3", "2024-03-04T23:40:00+00:00")
    ]
    # the comments feed is found on the post's page, so it is read after the post: the crawl's last step
    # timed the comment, and the first reparse stores the hash of that (one recap "changed"), no later one
    first, second = reparse(db, workers=0), reparse(db, workers=0)
    assert (first.recaps, first.changed, second.recaps, second.changed) == (2, 1, 2, 0)
    assert [(r["published"], r["author"]) for r in db.query("select * from recaps order by url")] == expected
    assert [r["published"] for r in db.query("select * from comments")] == ["2024-03-04T23:40:00+00:00"]


def test_recaps_stored_before_their_feed_was_read_get_what_it_says(tmp_path):
    db = open_db(tmp_path / "archive.db")
    storage.ensure_schema(db)
    for url, published, author in [
        ("https://tv.example/a/", DAY, "Ida Marr"),
        ("https://tv.example/b/", "2024-03-04T09:00:00+00:00", "Ida Marr"),
        ("https://tv.example/c/", None, None),
    ]:
        db["recaps"].insert({"url": url, "published": published, "author": author, "title": url}, alter=True)
    listed = {
        listing_key(u): ("2024-03-04T20:15:00+00:00", "Bram Holt")
        for u in ("https://tv.example/a", "https://tv.example/b/")
    }
    listed[listing_key("https://tv.example/c/")] = ("2024-03-01T08:00:00+00:00", "Bram Holt")
    assert storage.complete_from_feeds(db, listed, listing_key, comment_key, published_from_listing) == 2
    assert {r["url"]: (r["published"], r["author"]) for r in db.query("select * from recaps")} == {
        "https://tv.example/a/": ("2024-03-04T20:15:00+00:00", "Ida Marr"),  # the page's byline stays
        "https://tv.example/b/": ("2024-03-04T09:00:00+00:00", "Ida Marr"),  # its page gave the time
        "https://tv.example/c/": ("2024-03-01T08:00:00+00:00", "Bram Holt"),  # its page gave neither
    }


def test_a_comment_that_shows_only_its_day_gets_the_feeds_time():
    recap = {
        "url": "https://tv.example/a/",
        "published": "2024-03-04T20:15:00+00:00",
        "author": "Ida Marr",
        "comments": [
            {"id": "3", "published": DAY, "text": "Yes."},
            {"id": "4", "published": "2024-03-04T22:00:00+00:00", "text": "No."},
            {"id": "5", "published": DAY, "text": "Maybe."},
        ],
    }
    known = {
        comment_key("https://tv.example/a/", "3"): ("2024-03-04T23:40:00+00:00", None),
        comment_key("https://tv.example/a/", "4"): ("2024-03-04T23:50:00+00:00", None),
    }
    timed = with_listing(recap, known)
    assert [c["published"] for c in timed["comments"]] == [
        "2024-03-04T23:40:00+00:00",
        "2024-03-04T22:00:00+00:00",  # its page gave the time
        DAY,  # not in the feed (a comments feed lists the latest few)
    ]
    assert timed["published"] == recap["published"] and recap["comments"][0]["published"] == DAY

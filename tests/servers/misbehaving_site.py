"""A loopback WordPress-like blog whose pages misbehave in every way a real site can.

``with MisbehavingSite() as base: ...`` serves, on a free port, a home page that links to
two good recaps and one page per bad case (see ``PATHS``). All content is invented.
"""

from __future__ import annotations

import html
import random
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

SLOW_SECONDS = 20.0  # past the bad-input crawl's DOWNLOAD_TIMEOUT (15 s)
DEEP_LEVELS = 5000
WIDE_ELEMENTS = 60_000  # empty elements in the enormous DOM (1.5 MB)
HUGE_BYTES = 50 * 1024 * 1024  # the 50 MB page (DOWNLOAD_MAXSIZE is 16 MiB)
BOMB_BYTES = 128 * 1024 * 1024  # what the gzip bomb inflates to (8 × DOWNLOAD_MAXSIZE)
COMMENTS_PER_PAGE = 50
MANY_COMMENTS = 5000  # over MANY_COMMENTS // COMMENTS_PER_PAGE comment pages

# Case name → path. The home page links to every one of them.
PATHS = {
    "good_fog": "/2024/03/05/harbor-lights-2x05-the-fog/",
    "good_undertow": "/2024/03/12/harbor-lights-2x06-undertow/",
    "truncated_html": "/2024/03/19/harbor-lights-2x07-low-tide/",
    "truncated_transfer": "/2024/03/20/harbor-lights-2x08-riptide/",
    "no_body": "/harbor-lights-renewed/",
    "empty_body": "/empty-page/",
    "binary_as_html": "/uploads/lighthouse-photo/",
    "pdf": "/downloads/season-guide/",
    "mojibake": "/2024/04/02/harbor-lights-2x09-cafe-noir/",
    "no_charset": "/2024/04/09/harbor-lights-2x10-the-cafe/",
    "utf8_bom": "/2024/04/16/harbor-lights-2x11-zoe/",
    "invalid_utf8": "/2024/04/23/harbor-lights-2x12-static/",
    "http_500": "/broken-500/",
    "http_404": "/missing-404/",
    "redirect_loop": "/loop-a/",
    "redirect_chain": "/redirect-chain/1/",
    "slow": "/slow-page/",
    "empty_content": "/2024/04/30/harbor-lights-2x13-silence/",
    "deep_nesting": "/2024/05/07/harbor-lights-2x14-the-well/",
    "comment_page_500": "/2024/05/14/harbor-lights-2x15-crosscurrents/",
    "emoji_rtl": "/2024/05/21/harbor-lights-2x16-shalom/",
    "odd_comment_date": "/2024/05/28/harbor-lights-2x17-almanac/",
    # Added for the fault suite (tests/test_faults_*.py, docs/reliability.md).
    "wrong_charset": "/2024/06/04/harbor-lights-2x18-creme-brulee/",
    "enormous_dom": "/2024/06/11/harbor-lights-2x19-the-stairs/",
    "huge_page": "/2024/06/18/harbor-lights-2x20-the-archive/",
    "huge_page_streamed": "/2024/06/25/harbor-lights-2x21-the-flood/",
    "gzip_bomb": "/2024/07/02/harbor-lights-2x22-the-blast/",
    "many_comments": "/2024/07/09/harbor-lights-2x23-town-meeting/",
    "comment_loop": "/2024/07/16/harbor-lights-2x24-round-and-round/",
    "rel_next_cycle": "/archive/page/1/",
    "duplicate_comment_ids": "/2024/07/23/harbor-lights-3x01-echoes/",
    "odd_recap_date": "/2024/07/30/harbor-lights-3x02-leap-day/",
    "no_recap_date": "/2024/08/06/harbor-lights-3x03-timeless/",
    # Real-world markup browsers render (issue 14): none of these may lose the page.
    "xhtml_declaration": "/2024/08/13/harbor-lights-3x04-the-ledger/",
    "nul_bytes": "/2024/08/20/harbor-lights-3x05-null-and-void/",
    "utf16_no_bom": "/2024/08/27/harbor-lights-3x06-two-bytes/",
    "no_html_body": "/2024/09/03/harbor-lights-3x07-bare/",
    "junk_after_html": "/2024/09/10/harbor-lights-3x08-flotsam/",
    "meta_only_latin1": "/2024/09/17/harbor-lights-3x09-the-cafe-again/",
}
LOOP_OTHER = "/loop-b/"
COMMENT_PAGE_2 = PATHS["comment_page_500"] + "comment-page-2/"
LISTING_PAGES = ["/archive/page/1/", "/archive/page/2/", "/archive/page/3/"]  # rel=next 1 → 2 → 3 → 1
LOOP_PAGES = [PATHS["comment_loop"] + f"comment-page-{n}/" for n in (2, 3)]
DUPLICATE_PAGE_2 = PATHS["duplicate_comment_ids"] + "comment-page-2/"

# Words that must survive decoding, per case.
CAFE = "café"
ZOE = "Zoë"
EMOJI = "🎉"
HEBREW = "שלום"
ARABIC = "مرحبا"


def comment_html(
    cid: int,
    author: str,
    text: str,
    when: str | None = "2024-03-06T09:15:00+00:00",
    when_text: str | None = None,
) -> str:
    """One WordPress classic comment (``li#comment-N``)."""
    if when is None and when_text is None:
        date = ""
    else:
        attr = f' datetime="{html.escape(when)}"' if when is not None else ""
        date = (
            f'<div class="comment-metadata"><a href="#comment-{cid}"><time{attr}>'
            f"{html.escape(when_text or when or '')}</time></a></div>"
        )
    return (
        f'<li id="comment-{cid}" class="comment even thread-even depth-1">'
        f'<article id="div-comment-{cid}" class="comment-body"><footer class="comment-meta">'
        f'<div class="comment-author vcard"><b class="fn">{html.escape(author)}</b> '
        f'<span class="says">says:</span></div>{date}</footer>'
        f'<div class="comment-content"><p>{html.escape(text)}</p></div></article></li>'
    )


def recap_html(
    path: str,
    title: str,
    paragraphs: list[str],
    comments: str = "",
    nav: str = "",
    head_extra: str = "",
    body_html: str | None = None,
) -> str:
    """A single WordPress post; ``paragraphs`` are escaped, ``body_html`` (if given) is used raw."""
    content = body_html if body_html is not None else "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    thread = ""
    if comments:
        thread = (
            f'<div id="comments" class="comments-area"><h2 class="comments-title">Comments</h2>'
            f'<ol class="comment-list">{comments}</ol>{nav}</div>'
        )
    return (
        f'<!DOCTYPE html><html lang="en"><head>{head_extra}'
        f"<title>{html.escape(title)} – Tidewater TV</title>"
        f'<link rel="canonical" href="{path}"></head>'
        f'<body class="post-template-default single single-post"><main id="main">'
        f'<article class="post type-post"><header><h1 class="entry-title">{html.escape(title)}</h1>'
        f'<time class="entry-date published" datetime="2024-03-05T20:00:00+00:00">March 5, 2024</time>'
        f'<span class="byline"><a rel="author" href="/author/nell/">Nell Okafor</a></span></header>'
        f'<div class="entry-content">{content}</div></article>{thread}'
        f'<p><a href="/">Back to Tidewater TV</a></p></main></body></html>'
    )


def _home() -> str:
    links = "".join(f'<li><a href="{path}">{name.replace("_", " ")}</a></li>' for name, path in PATHS.items())
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Tidewater TV</title></head>'
        f'<body class="home blog"><h1>Tidewater TV</h1><ul>{links}</ul></body></html>'
    )


def _good_fog() -> str:
    comments = comment_html(101, "Marisol", "The lighthouse scene gave me chills.") + comment_html(
        102, "Dev P.", "Best episode of the season so far."
    )
    return recap_html(
        PATHS["good_fog"],
        "Harbor Lights 2x05 Review: “The Fog”",
        [
            "The fog rolls into Port Ellery and keeps every boat in the harbor for three days.",
            "Captain Wren finally admits she sold the lighthouse keys to the developers.",
            "The closing shot of the foghorn tower is the best image the show has produced.",
        ],
        comments,
    )


def _good_undertow() -> str:
    return recap_html(
        PATHS["good_undertow"],
        "Harbor Lights 2x06 Review: “Undertow”",
        [
            "Undertow opens with the ferry stuck on the sandbar and Tobias swimming for help.",
            "The kelp farm subplot pays off when the co-op votes against the developers.",
        ],
    )


def _truncated_html() -> bytes:
    page = recap_html(
        PATHS["truncated_html"],
        "Harbor Lights 2x07 Review: “Low Tide”",
        [
            "Low tide exposes the wreck of the Marguerite and the secret in its hold.",
            "Captain Wren dives alone, which is the worst decision she has made all season.",
            "The final act reveals who scuttled the Marguerite in the first place.",
        ],
    )
    cut = page.index("Captain Wren dives") + 40
    return (page[:cut] + "</p><p>The final act reveals <a hr").encode()


def _recap_bytes_for_truncated_transfer() -> bytes:
    return recap_html(
        PATHS["truncated_transfer"],
        "Harbor Lights 2x08 Review: “Riptide”",
        [
            "Riptide pulls the Okonkwo brothers out past the breakwater in the cold open.",
            "Everything after that is the town arguing about who should have gone after them.",
        ],
    ).encode()


def _mojibake() -> bytes:
    return recap_html(
        PATHS["mojibake"],
        "Harbor Lights 2x09 Review: “Café Noir”",
        [
            f"The new {CAFE} on the pier serves the worst coffee in Port Ellery, and everyone loves it.",
            "Wren’s naïve plan to buy it back falls apart by the second act.",
        ],
    ).encode("windows-1252")


def _no_charset() -> bytes:
    return (
        recap_html(
            PATHS["no_charset"],
            "Harbor Lights 2x10 Review: The Café",
            [
                f"Back at the {CAFE}, Tobias learns the façade hides a smuggling tunnel.",
                "Señora Ruiz steals every scene she is in.",
            ],
        )
        .replace("–", "-")
        .encode("latin-1")
    )


def _utf8_bom() -> bytes:
    return b"\xef\xbb\xbf" + recap_html(
        PATHS["utf8_bom"],
        "Harbor Lights 2x11 Review: “Zoë”",
        [
            f"{ZOE} arrives in Port Ellery with a suitcase and no explanation.",
            f"By the end of the hour she has bought the {CAFE} and fired the whole staff.",
        ],
    ).encode("utf-8")


def _invalid_utf8() -> bytes:
    page = recap_html(
        PATHS["invalid_utf8"],
        "Harbor Lights 2x12 Review: “Static”",
        [
            f"{ZOE} spends the whole episode fixing the harbor radio.",
            "The radio plays nothing but static: BROKEN-BYTES-HERE until the very last scene.",
        ],
    ).encode("utf-8")
    return page.replace(b"BROKEN-BYTES-HERE", b"\xff\xfe\xc3( \xe2\x82 \x80\x80")


def _empty_content() -> str:
    return recap_html(PATHS["empty_content"], "Harbor Lights 2x13 Review: “Silence”", [], body_html="")


def _deep_nesting() -> str:
    deep = "<div>" * DEEP_LEVELS + "<p>Down in the well there is one more line.</p>" + "</div>" * DEEP_LEVELS
    body = (
        "<p>Wren lowers herself into the old well behind the lighthouse.</p>"
        + deep
        + "<p>Afterword: the well is sealed again by morning.</p>"
    )
    return recap_html(PATHS["deep_nesting"], "Harbor Lights 2x14 Review: “The Well”", [], body_html=body)


def _comment_page_500() -> str:
    comments = comment_html(201, "Ida", "Page one comment about the crosscurrents.") + comment_html(
        202, "Rafe", "Another first page comment, this one about the boats."
    )
    nav = (
        '<nav class="comment-navigation"><span aria-current="page" class="page-numbers current">1</span> '
        f'<a class="page-numbers" href="{COMMENT_PAGE_2}#comments">2</a></nav>'
    )
    return recap_html(
        PATHS["comment_page_500"],
        "Harbor Lights 2x15 Review: “Crosscurrents”",
        [
            "Crosscurrents splits the cast between the ferry and the co-op meeting.",
            "Both halves land, but the ferry half lands harder.",
        ],
        comments,
        nav,
    )


def _emoji_rtl() -> str:
    comments = comment_html(301, "Noa", f"{HEBREW}! What a finale {EMOJI}") + comment_html(
        302, "Layla", f"{ARABIC} from Beirut, loved it 🌊"
    )
    return recap_html(
        PATHS["emoji_rtl"],
        "Harbor Lights 2x16 Review: “Shalom”",
        [
            f"The party at the co-op {EMOJI} is the happiest the show has ever been.",
            f"The visiting sailors greet Wren with “{HEBREW}” and “{ARABIC}”, and she answers in kind.",
        ],
        comments,
    )


def _odd_comment_date() -> str:
    comments = (
        comment_html(401, "No Date Nina", "I have no date at all.", when=None)
        + comment_html(
            402, "Garbled Gus", "My date attribute is garbage.", when="not-a-date", when_text="sometime"
        )
        + comment_html(403, "Impossible Ivy", "My date does not exist.", when="2024-02-30T25:61:00")
        + comment_html(404, "Fine Fran", "My date is perfectly fine.")
    )
    return recap_html(
        PATHS["odd_comment_date"],
        "Harbor Lights 2x17 Review: “Almanac”",
        [
            "The almanac predicts a storm that never comes, and the town is oddly disappointed.",
        ],
        comments,
    )


# ---------------------------------------------------------------- cases added for the fault suite


def _comment_nav(post: str, current: int, last: int, extra: list[str] = ()) -> str:
    """WordPress's comment pagination: previous, first, current, last and next, plus ``extra`` links."""

    def link(n: int) -> str:
        return post if n == 1 else f"{post}comment-page-{n}/"

    numbers = sorted({n for n in (1, current - 1, current + 1, last) if 1 <= n <= last and n != current})
    links = [f'<a class="page-numbers" href="{link(n)}#comments">{n}</a>' for n in numbers]
    links += [f'<a class="page-numbers" href="{href}">more</a>' for href in extra]
    return (
        f'<nav class="comment-navigation"><span aria-current="page" class="page-numbers current">{current}'
        f"</span> {' '.join(links)}</nav>"
    )


def _wrong_charset() -> bytes:
    """UTF-8 bytes and a ``<meta charset=utf-8>``, but the header says ISO-8859-1 (a server default)."""
    return recap_html(
        PATHS["wrong_charset"],
        "Harbor Lights 2x18 Review: “Crème Brûlée”",
        [
            f"The {CAFE} finally serves a crème brûlée worth the trip across the harbor.",
            "Wren’s naïve rival burns the sugar twice before the health inspector arrives.",
        ],
        head_extra='<meta charset="utf-8">',
    ).encode("utf-8")


def _xhtml_declaration() -> bytes:
    """An XHTML page in ISO-8859-1 that names its encoding only in the XML declaration."""
    page = recap_html(
        PATHS["xhtml_declaration"],
        "Harbor Lights 3x04 Review: The Ledger",
        [
            f"The harbor master’s ledger turns up in the {CAFE} pantry, and Señora Ruiz reads it aloud.",
            "Every page of it is in the same careful hand, which is the whole mystery.",
        ],
    ).replace("’", "'")
    page = page.replace(
        "<!DOCTYPE html><html",
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html xmlns="http://www.w3.org/1999/xhtml"',
    )
    return b'<?xml version="1.0" encoding="iso-8859-1"?>\n' + page.encode("iso-8859-1", "xmlcharrefreplace")


def _nul_bytes() -> bytes:
    """A UTF-8 page with stray NUL bytes in its markup and text (a broken template or database)."""
    page = recap_html(
        PATHS["nul_bytes"],
        "Harbor Lights 3x05 Review: Null and Void",
        ["Wren signs the contract that was never valid.", "The council votes it null and void by dawn."],
    ).encode("utf-8")
    return page.replace(b"<main", b"\x00\x00<main", 1).replace(b"never valid", b"never\x00 valid")


def _utf16_no_bom() -> bytes:
    """A page in UTF-16-LE without a byte-order mark (a Windows export)."""
    return recap_html(
        PATHS["utf16_no_bom"],
        "Harbor Lights 3x06 Review: Two Bytes",
        [f"{ZOE} decodes the lighthouse log at last.", "It says nothing at all about the storm."],
    ).encode("utf-16-le")


def _no_html_body() -> bytes:
    """Markup with no <html>, <head> or <body> tags at all."""
    page = recap_html(
        PATHS["no_html_body"],
        "Harbor Lights 3x07 Review: Bare",
        ["The set is stripped to the walls for the auction.", "Wren buys back the ship's bell for a dollar."],
    )
    for tag in ("<!DOCTYPE html>", '<html lang="en">', "<head>", "</head>", "</body>", "</html>"):
        page = page.replace(tag, "")
    return page.replace('<body class="post-template-default single single-post">', "").encode("utf-8")


def _junk_after_html() -> bytes:
    """A page followed by stray bytes after ``</html>`` (a debug dump, a second half-page)."""
    page = recap_html(
        PATHS["junk_after_html"],
        "Harbor Lights 3x08 Review: Flotsam",
        ["Crates wash up on the beach all episode.", "One of them holds the missing ledger pages."],
    ).encode("utf-8")
    return page + b"\n<!-- 0.131s -->\n\xff\xfe garbage <div>Query took 4 ms</div>\x1a"


def _meta_only_latin1() -> bytes:
    """No charset in the header, windows-1252 named only in an http-equiv <meta>."""
    return recap_html(
        PATHS["meta_only_latin1"],
        "Harbor Lights 3x09 Review: The Café Again",
        [f"Back at the {CAFE}, the crème brûlée is burnt again.", "Señora Ruiz blames the naïve new oven."],
        head_extra='<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
    ).encode("windows-1252")


def _enormous_dom() -> str:
    dots = '<span class="dot"></span>' * WIDE_ELEMENTS
    body = (
        "<p>Wren climbs the lighthouse stairs one last time, counting every step out loud.</p>"
        f'<div class="gallery">{dots}</div>'
        "<p>The lamp is lit again by the final scene, and the harbor cheers.</p>"
    )
    return recap_html(PATHS["enormous_dom"], "Harbor Lights 2x19 Review: “The Stairs”", [], body_html=body)


def _huge_chunks(total: int):
    head = recap_html(PATHS["huge_page"], "Harbor Lights 2x20 Review: “The Archive”", ["Start."]).encode()
    yield head[: head.index(b"</body>")]
    filler = b"<p>" + b"The archive goes on and on. " * 2000 + b"</p>\n"
    sent = len(head)
    while sent < total:
        piece = filler[: total - sent]
        sent += len(piece)
        yield piece


_BOMB: list[bytes] = []


def _gzip_bomb() -> bytes:
    """A gzip stream that inflates to BOMB_BYTES of white space inside an HTML page (built once)."""
    if not _BOMB:
        import zlib

        packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
        page = recap_html(PATHS["gzip_bomb"], "Harbor Lights 2x22 Review: “The Blast”", ["Boom."]).encode()
        parts = [packer.compress(page[: page.index(b"</p>")])]
        block = b" " * (1 << 20)
        parts += [packer.compress(block) for _ in range(BOMB_BYTES >> 20)]
        parts += [packer.compress(page[page.index(b"</p>") :]), packer.flush()]
        _BOMB.append(b"".join(parts))
    return _BOMB[0]


def _many_comments_page(number: int) -> str:
    post = PATHS["many_comments"]
    last = MANY_COMMENTS // COMMENTS_PER_PAGE
    first_id = 100_000 + (number - 1) * COMMENTS_PER_PAGE
    comments = "".join(
        comment_html(cid, f"Reader {cid - 100_000 + 1}", f"Comment {cid - 100_000 + 1} on the town meeting.")
        for cid in range(first_id, first_id + COMMENTS_PER_PAGE)
    )
    return recap_html(
        post,
        "Harbor Lights 2x23 Review: “Town Meeting”",
        [
            "The whole town crams into the co-op hall to vote on the lighthouse sale.",
            "Nobody agrees on anything, which is exactly the point of the episode.",
        ],
        comments,
        _comment_nav(post, number, last),
    )


def _comment_loop_page(number: int) -> str:
    """Three comment pages whose links go round: 1 → 2 → 3 → 2, 3 → 1, each page → itself, ?cpage=2."""
    post = PATHS["comment_loop"]
    extra = [f"{post}comment-page-{number}/", f"{post}?cpage=2", f"{post}comment-page-1/"]
    comments = comment_html(600 + 2 * number - 1, f"Looper {number}a", f"Page {number}, first comment.")
    comments += comment_html(600 + 2 * number, f"Looper {number}b", f"Page {number}, second comment.")
    return recap_html(
        post,
        "Harbor Lights 2x24 Review: “Round and Round”",
        ["The ferry circles the harbor all night because the pilot refuses to dock.", "It works, somehow."],
        comments,
        _comment_nav(post, number, 3, extra),
    )


def _listing_page(number: int) -> str:
    """Archive page N: one recap link and rel=next to N+1, the last back to page 1 (a cycle)."""
    following = LISTING_PAGES[number % len(LISTING_PAGES)]
    recap = [PATHS["good_fog"], PATHS["good_undertow"], PATHS["emoji_rtl"]][number - 1]
    return (
        f"<!DOCTYPE html><html><head><title>Archive – page {number}</title>"
        f'<link rel="next" href="{following}"></head><body class="archive paged"><h1>Archive</h1>'
        f'<ul><li><a href="{recap}">A recap</a></li></ul>'
        f'<a class="next page-numbers" rel="next" href="{following}">Older posts</a></body></html>'
    )


def _duplicate_ids_page(number: int) -> str:
    """Page 1 has comment 801 twice (different text) and 802; page 2 repeats 802 and adds 803."""
    post = PATHS["duplicate_comment_ids"]
    if number == 1:
        comments = (
            comment_html(801, "Echo", "I said this first.")
            + comment_html(802, "Narcissus", "Me, me, me.")
            + comment_html(801, "Echo", "I said this first, again (a plugin printed me twice).")
        )
    else:
        comments = comment_html(802, "Narcissus", "Me, me, me.") + comment_html(803, "Juno", "Enough.")
    return recap_html(
        post,
        "Harbor Lights 3x01 Review: “Echoes”",
        ["Every line in this episode is said twice, once by Wren and once by her reflection."],
        comments,
        _comment_nav(post, number, 2),
    )


_ODD_DATE = (
    '<time class="entry-date published" datetime="Tue, the 29th of Feb, 2024 @ 8pm-ish">Leap day</time>'
)


def _odd_recap_date() -> str:
    page = recap_html(
        PATHS["odd_recap_date"],
        "Harbor Lights 3x02 Review: “Leap Day”",
        ["The town celebrates a birthday that only comes every four years."],
        head_extra='<meta property="article:published_time" content="2024-02-30T25:61:00">',
    )
    return page.replace(_TIME, _ODD_DATE)


def _no_recap_date() -> str:
    page = recap_html(
        PATHS["no_recap_date"],
        "Harbor Lights 3x03 Review: “Timeless”",
        ["Nobody in this episode owns a clock, and the recap never says when it aired."],
    )
    return page.replace(_TIME, "")


_TIME = '<time class="entry-date published" datetime="2024-03-05T20:00:00+00:00">March 5, 2024</time>'


def _png_bytes() -> bytes:
    rng = random.Random(1234)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(2048))


PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)

NO_BODY = b"<!DOCTYPE html><html><head><title>Harbor Lights renewed</title></head></html>"
UTF8 = "text/html; charset=utf-8"
# path → (status, content type, body or callable, extra headers)
_ROUTES = {
    "/": (200, UTF8, _home, {}),
    "/robots.txt": (200, "text/plain", b"User-agent: *\nAllow: /\n", {}),
    PATHS["good_fog"]: (200, UTF8, _good_fog, {}),
    PATHS["good_undertow"]: (200, UTF8, _good_undertow, {}),
    PATHS["truncated_html"]: (200, UTF8, _truncated_html, {}),
    PATHS["no_body"]: (200, UTF8, NO_BODY, {}),
    PATHS["empty_body"]: (200, UTF8, b"", {}),
    PATHS["binary_as_html"]: (200, "text/html", _png_bytes, {}),
    PATHS["pdf"]: (200, "application/pdf", PDF, {}),
    PATHS["mojibake"]: (200, UTF8, _mojibake, {}),
    PATHS["no_charset"]: (200, "text/html", _no_charset, {}),
    PATHS["utf8_bom"]: (200, "text/html; charset=windows-1252", _utf8_bom, {}),
    PATHS["invalid_utf8"]: (200, UTF8, _invalid_utf8, {}),
    PATHS["http_500"]: (500, UTF8, b"<html><body><h1>Internal Server Error</h1></body></html>", {}),
    PATHS["http_404"]: (404, UTF8, b'<html><body class="error404"><h1>Not found</h1></body></html>', {}),
    PATHS["redirect_loop"]: (301, UTF8, b"", {"Location": LOOP_OTHER}),
    LOOP_OTHER: (301, UTF8, b"", {"Location": PATHS["redirect_loop"]}),
    PATHS["empty_content"]: (200, UTF8, _empty_content, {}),
    PATHS["deep_nesting"]: (200, UTF8, _deep_nesting, {}),
    PATHS["comment_page_500"]: (200, UTF8, _comment_page_500, {}),
    COMMENT_PAGE_2: (500, UTF8, b"<html><body><h1>Database error</h1></body></html>", {}),
    PATHS["emoji_rtl"]: (200, UTF8, _emoji_rtl, {}),
    PATHS["odd_comment_date"]: (200, UTF8, _odd_comment_date, {}),
    PATHS["wrong_charset"]: (200, "text/html; charset=iso-8859-1", _wrong_charset, {}),
    PATHS["enormous_dom"]: (200, UTF8, _enormous_dom, {}),
    PATHS["gzip_bomb"]: (200, UTF8, _gzip_bomb, {"Content-Encoding": "gzip"}),
    PATHS["odd_recap_date"]: (200, UTF8, _odd_recap_date, {}),
    PATHS["no_recap_date"]: (200, UTF8, _no_recap_date, {}),
    PATHS["xhtml_declaration"]: (200, "application/xhtml+xml", _xhtml_declaration, {}),
    PATHS["nul_bytes"]: (200, UTF8, _nul_bytes, {}),
    PATHS["utf16_no_bom"]: (200, "text/html", _utf16_no_bom, {}),
    PATHS["no_html_body"]: (200, UTF8, _no_html_body, {}),
    PATHS["junk_after_html"]: (200, UTF8, _junk_after_html, {}),
    PATHS["meta_only_latin1"]: (200, "text/html", _meta_only_latin1, {}),
    PATHS["many_comments"]: (200, UTF8, lambda: _many_comments_page(1), {}),
    PATHS["comment_loop"]: (200, UTF8, lambda: _comment_loop_page(1), {}),
    PATHS["duplicate_comment_ids"]: (200, UTF8, lambda: _duplicate_ids_page(1), {}),
    DUPLICATE_PAGE_2: (200, UTF8, lambda: _duplicate_ids_page(2), {}),
    **{page: (200, UTF8, lambda n=n: _listing_page(n), {}) for n, page in enumerate(LISTING_PAGES, 1)},
    **{page: (200, UTF8, lambda n=n: _comment_loop_page(n), {}) for n, page in enumerate(LOOP_PAGES, 2)},
    **{
        f"{PATHS['many_comments']}comment-page-{n}/": (200, UTF8, lambda n=n: _many_comments_page(n), {})
        for n in range(2, MANY_COMMENTS // COMMENTS_PER_PAGE + 1)
    },
}


class _Handler(BaseHTTPRequestHandler):
    server_version = "Misbehaving/1.0"

    def log_message(self, format, *args):  # noqa: A002 - silence the default access log
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        self.server.hits[path] += 1
        try:
            if path == PATHS["huge_page"]:
                self._stream(_huge_chunks(HUGE_BYTES), HUGE_BYTES)
            elif path == PATHS["huge_page_streamed"]:
                self._stream(_huge_chunks(HUGE_BYTES), None)
            elif path == PATHS["slow"]:
                time.sleep(SLOW_SECONDS)
                self._send(200, UTF8, b"<html><body><p>Finally.</p></body></html>")
            elif path.startswith("/redirect-chain/"):
                hop = int(path.strip("/").rsplit("/", 1)[-1] or 0)
                self._send(301, UTF8, b"", {"Location": f"/redirect-chain/{hop + 1}/"})
            elif path == PATHS["truncated_transfer"]:
                body = _recap_bytes_for_truncated_transfer()
                self._send(200, UTF8, body[: len(body) // 2], {"Content-Length": str(len(body))})
            elif path in _ROUTES:
                status, content_type, body, headers = _ROUTES[path]
                self._send(status, content_type, body() if callable(body) else body, headers)
            else:
                self._send(404, UTF8, b'<html><body class="error404"><h1>Not found</h1></body></html>')
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _stream(self, chunks, length: int | None) -> None:
        """A 200 page sent in pieces, with a Content-Length (``length``) or delimited by closing."""
        self.send_response(200)
        self.send_header("Content-Type", UTF8)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Connection", "close")
        self.end_headers()
        for chunk in chunks:
            self.wfile.write(chunk)
        self.close_connection = True

    def _send(self, status: int, content_type: str, body: str | bytes, headers: dict | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = dict(headers or {})
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", headers.pop("Content-Length", str(len(data))))
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    hits: Counter[str]

    def handle_error(self, request, client_address) -> None:
        pass  # clients that hang up (timeouts, truncated transfers) are expected here


class MisbehavingSite:
    """Context manager serving the blog on 127.0.0.1 (port 0: any free port); yields the base URL.

    ``hits`` counts requests per path; ``MisbehavingSite.current`` is the instance last entered.
    """

    current: MisbehavingSite | None = None

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self.hits: Counter[str] = Counter()
        self.server: _Server | None = None
        self.thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.server.server_address[1]}"

    def __enter__(self) -> str:
        _gzip_bomb()  # built once, before any client waits for it
        MisbehavingSite.current = self
        self.server = _Server((self.host, self.port), _Handler)
        self.server.hits = self.hits = Counter()  # requests per path
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self.base_url + "/"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


if __name__ == "__main__":
    with MisbehavingSite(port=8199) as url:
        print(url)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass

"""Pages made by real static-site generators with their default themes (tests/generators/build.sh).

Each post is one of four recaps we wrote (invented shows); the truth below comes from those sources,
not from the extractor. Every post page must be a recap with its fields; every home page a listing.
Pages the extractor still gets wrong wait in tests/pages/<generator>/pending/ without golden JSON.
"""

import re
from pathlib import Path

import pytest

from recapcrawl.cli.dev import extract_page

PAGES = Path(__file__).parent / "pages"

# The four recaps: what their sources say.
RECAPS = {
    "saltmarsh": {
        "title": "Saltmarsh Season 2, Episode 3 Review: The Long Tide",
        "author": "Maren Lockwood",
        "show": "Saltmarsh",
        "season": 2,
        "episode": 3,
        "paragraphs": [
            "Saltmarsh has never been",
            "The episode opens with",
            "The middle stretch belongs",
            "When the wall goes,",
            "Old Jonas, a comic",
            "If there is a",
        ],
        "headings": ["The sea wall", "Stray observations"],
        "bullets": [
            "The council van appears in the background of three scenes and never stops.",
            "Edie’s sandbag count matches the number painted on the barn door in the first episode.",
            "There is no score at all until the church bells at dawn.",
        ],
        "dialogue": [("They said Thursday", "Tom"), ("Listen", "Edie")],
    },
    "quarry-men": {
        "title": "The Quarry Men 1x04 Recap: “Dust”",
        "author": "Dev Okafor",
        "show": "The Quarry Men",
        "season": 1,
        "episode": 4,
        "paragraphs": [
            "Four episodes in, The",
            "“Dust” picks up the",
            "The inspector from Cardiff",
            "Sian, the only woman",
            "The ending is abrupt,",
        ],
        "headings": ["The inquiry", "Notes from the canteen"],
        "bullets": [
            "Huw’s flask has a different sticker in every scene.",
            "The chapel window is real stained glass, according to the credits.",
            "Next week brings the union meeting everyone has been dreading.",
        ],
        "dialogue": [("It wasn’t the mix", "Huw")],
    },
    "velvet-static": {
        "title": "Velvet Static S03E07 Recap: Channel Zero",
        "author": "Lena Marsh",
        "show": "Velvet Static",
        "season": 3,
        "episode": 7,
        "paragraphs": [
            "Velvet Static has always",
            "Rosa and Kit have",
            "What fills the silence",
            "The writers give Rosa",
            "The direction is tight",
            "Next week the show",
        ],
        "headings": ["Dead air"],
        "bullets": [
            "The song the boy requests is the same one from the pilot.",
            "Kit’s jacket still has the station’s old logo on it.",
            "Nobody mentions the fire by name even once.",
        ],
        "dialogue": [("You talk first", "Kit")],
    },
    "lanternfish": {
        "title": "Lanternfish Recap: Season 4, Episode 1, “Bioluminescence”",
        "author": "Tomasz Wren",
        "show": "Lanternfish",
        "season": 4,
        "episode": 1,
        "paragraphs": [
            "Lanternfish is back for",
            "Doctor Ilse Varga returns",
            "The dive sequence is",
            "Back on the surface,",
            "The premiere leaves a",
        ],
        "headings": ["Below the station", "What we learned"],
        "bullets": [
            "The submersible has been renamed since last season.",
            "Ilse is left-handed now, which is either a continuity slip or a clue.",
            "The cook finally gets a name: Bartholomew.",
        ],
        "dialogue": [("It isn’t a fish", "Okonkwo")],
    },
    # Written in WordPress's classic editor; wptexturize publishes "3x05" as "3×05".
    "brinemoor": {
        "title": "Brinemoor 3×05 Recap: “The Night Crossing”",
        "author": "Hollis Crane",
        "show": "Brinemoor",
        "season": 3,
        "episode": 5,
        "paragraphs": [
            "Brinemoor has spent two",
            "The episode opens on",
            "Once the ferry clears",
            "The best scene belongs",
            "When the engine stalls",
            "The last act is",
        ],
        "headings": ["The crossing", "Loose ends"],
        "bullets": [
            "The lighthouse keeper from season one is back, briefly.",
            "Mags still has the letter from the first episode.",
            "The ferry’s name is painted over in one shot and restored in the next.",
        ],
        "dialogue": [("I’ll not take her out on a guess", "Penhale"), ("Soup’s free tonight", "Dolly")],
    },
}

# The six threaded comments made by tests/generators/wordpress/setup.php:
# author, the author it replies to, published, first words.
WP_COMMENTS = [
    ("marshwatcher", None, "2024-05-14T22:10:00+00:00", "That lighthouse sequence had"),
    ("Ruth P.", "marshwatcher", "2024-05-14T22:31:00+00:00", "Agreed, although I thought"),
    ("Hollis Crane", "Ruth P.", "2024-05-15T08:02:00+00:00", "Fair point about the"),
    ("Dunmore", None, "2024-05-15T09:45:00+00:00", "Nobody is talking about"),
    ("kestrel_88", "Dunmore", "2024-05-15T11:20:00+00:00", "It changes because the"),
    ("Ana Lisboa", None, "2024-05-16T07:55:00+00:00", "Came here for the"),
]
WP_THEMES = ["twentyten", "twentyeleven", "twentytwelve", "twentythirteen", "twentyfourteen"]
WP_URL = "https://tidewrack.example/2024/05/14/brinemoor-3x05-recap-the-night-crossing/"

# (generator/case, URL the generator publishes it at, recap, author shown by the theme or None).
POSTS = [
    (
        "pelican/saltmarsh-s02e03",
        "https://saltmarsh-notes.example/saltmarsh-season-2-episode-3-review-the-long-tide.html",
        "saltmarsh",
        "Maren Lockwood",
    ),
    (
        "pelican/quarry-men-1x04",
        "https://saltmarsh-notes.example/the-quarry-men-1x04-recap-dust.html",
        "quarry-men",
        "Dev Okafor",
    ),
    (
        "hugo/velvet-static-s03e07",
        "https://static-and-tide.example/posts/velvet-static-s03e07-recap-channel-zero/",
        "velvet-static",
        "Lena Marsh",
    ),
    (
        "hugo/lanternfish-s04e01",
        "https://static-and-tide.example/posts/lanternfish-season-4-episode-1-bioluminescence/",
        "lanternfish",
        "Tomasz Wren",
    ),
    (
        "jekyll/saltmarsh-s02e03",
        "https://longtide.example/2024/03/12/saltmarsh-season-2-episode-3-review-the-long-tide.html",
        "saltmarsh",
        "Maren Lockwood",
    ),
    (
        "jekyll/lanternfish-s04e01",
        "https://longtide.example/2024/04/09/lanternfish-season-4-episode-1-bioluminescence.html",
        "lanternfish",
        "Tomasz Wren",
    ),
    # Landscape shows no byline; its only author is the site's (article:author), here the blog's one writer.
    (
        "hexo/quarry-men-1x04",
        "https://nightshift-recaps.example/2024/03/19/the-quarry-men-1x04-recap-dust/",
        "quarry-men",
        "Dev Okafor",
    ),
    (
        "hexo/velvet-static-s03e07",
        "https://nightshift-recaps.example/2024/04/02/velvet-static-s03e07-recap-channel-zero/",
        "velvet-static",
        "Dev Okafor",
    ),
    # eleventy-base-blog's post layout shows no author.
    (
        "eleventy/saltmarsh-s02e03",
        "https://vanlight.example/blog/saltmarsh-season-2-episode-3-review-the-long-tide/",
        "saltmarsh",
        None,
    ),
    (
        "eleventy/velvet-static-s03e07",
        "https://vanlight.example/blog/velvet-static-s03e07-recap-channel-zero/",
        "velvet-static",
        None,
    ),
    (
        "mkdocs-material/quarry-men-1x04",
        "https://deepwater-recaps.example/2024/03/19/the-quarry-men-1x04-recap-dust/",
        "quarry-men",
        "Dev Okafor",
    ),
    (
        "mkdocs-material/lanternfish-s04e01",
        "https://deepwater-recaps.example/2024/04/09/lanternfish-season-4-episode-1-bioluminescence/",
        "lanternfish",
        "Tomasz Wren",
    ),
    (
        "casper/saltmarsh-s02e03",
        "https://harbourlight.example/saltmarsh-season-2-episode-3-review-the-long-tide/",
        "saltmarsh",
        "Maren Lockwood",
    ),
    (
        "casper/lanternfish-s04e01",
        "https://harbourlight.example/lanternfish-season-4-episode-1-bioluminescence/",
        "lanternfish",
        "Tomasz Wren",
    ),
] + [(f"wp-{theme}/brinemoor-3x05", WP_URL, "brinemoor", "Hollis Crane") for theme in WP_THEMES]

LISTINGS = [
    ("pelican/index", "https://saltmarsh-notes.example/"),
    ("hugo/index", "https://static-and-tide.example/"),
    ("jekyll/index", "https://longtide.example/"),
    ("hexo/index", "https://nightshift-recaps.example/"),
    ("eleventy/index", "https://vanlight.example/"),
    ("mkdocs-material/index", "https://deepwater-recaps.example/"),
    ("casper/index", "https://harbourlight.example/"),
] + [(f"wp-{theme}/index", "https://tidewrack.example/") for theme in WP_THEMES]

_cache: dict[str, dict] = {}


def extracted(case: str, url: str) -> dict:
    """What the extractor says about one generated page (each page is read once per run)."""
    if case not in _cache:
        _cache[case] = extract_page(page_path(case).read_bytes(), url)
    return _cache[case]


def page_path(case: str) -> Path:
    """tests/pages/<generator>/<case>.html, or <generator>/pending/ while it has no golden JSON yet."""
    generator, name = case.split("/")
    path = PAGES / generator / f"{name}.html"
    return path if path.exists() else PAGES / generator / "pending" / f"{name}.html"


def first_words(text: str, n: int = 4) -> str:
    return " ".join(text.split()[:n])


def bare(quote: str) -> str:
    """A quoted line without the punctuation that closes it inside the quotation marks."""
    return re.sub(r"[\s,.?!]+$", "", quote)


POST_IDS = [case for case, *_ in POSTS]


@pytest.mark.parametrize(("case", "url", "recap", "author"), POSTS, ids=POST_IDS)
def test_post_is_recap(case, url, recap, author):
    result = extracted(case, url)
    assert (result["is_recap"], result["kind"], result["reason"]) == (True, "recap", None)


@pytest.mark.parametrize(("case", "url", "recap", "author"), POSTS, ids=POST_IDS)
def test_post_title_and_episode(case, url, recap, author):
    result, truth = extracted(case, url), RECAPS[recap]
    got = {key: result[key] for key in ("title", "show", "season", "episode")}
    assert got == {key: truth[key] for key in ("title", "show", "season", "episode")}


@pytest.mark.parametrize(
    ("case", "url", "recap", "author"), [p for p in POSTS if p[3]], ids=[p[0] for p in POSTS if p[3]]
)
def test_post_author(case, url, recap, author):
    assert extracted(case, url)["author"] == author


@pytest.mark.parametrize(("case", "url", "recap", "author"), POSTS, ids=POST_IDS)
def test_post_paragraphs(case, url, recap, author):
    paragraphs = [first_words(p["text"]) for p in extracted(case, url)["paragraphs"]]
    assert paragraphs == RECAPS[recap]["paragraphs"]


@pytest.mark.parametrize(("case", "url", "recap", "author"), POSTS, ids=POST_IDS)
def test_post_headings(case, url, recap, author):
    assert [h["text"] for h in extracted(case, url)["headings"]] == RECAPS[recap]["headings"]


@pytest.mark.parametrize(("case", "url", "recap", "author"), POSTS, ids=POST_IDS)
def test_post_bullets(case, url, recap, author):
    bullets = extracted(case, url)["bullets"]
    assert [b["text"] for b in bullets] == RECAPS[recap]["bullets"]
    assert {(b["ordered"], b["depth"]) for b in bullets} == {(False, 0)}


@pytest.mark.parametrize(("case", "url", "recap", "author"), POSTS, ids=POST_IDS)
def test_post_dialogue_speakers(case, url, recap, author):
    """Lines of dialogue whose speaker is named in the same sentence."""
    quotes = {bare(q["text"]): q["speaker"] for q in extracted(case, url)["quotes"]}
    for line, speaker in RECAPS[recap]["dialogue"]:
        assert quotes.get(line, "<not found>") == speaker, line


@pytest.mark.parametrize(("case", "url"), LISTINGS, ids=[case for case, _ in LISTINGS])
def test_home_page_is_listing(case, url):
    result = extracted(case, url)
    assert (result["is_recap"], result["kind"]) == (False, "listing")


@pytest.mark.parametrize("theme", WP_THEMES)
def test_wordpress_threaded_comments(theme):
    """ol.commentlist with replies in ul.children: every comment, its parent, depth and the author's mark."""
    comments = extracted(f"wp-{theme}/brinemoor-3x05", WP_URL)["comments"]
    authors = {c["id"]: c["author"] for c in comments}
    got = [
        (c["author"], authors.get(c["parent_id"]), c["published"], first_words(c["text"])) for c in comments
    ]
    assert got == WP_COMMENTS
    assert [c["depth"] for c in comments] == [0, 1, 2, 0, 1, 0]
    assert [c["is_post_author"] for c in comments] == [False, False, True, False, False, False]

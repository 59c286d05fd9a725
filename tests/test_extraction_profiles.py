"""Platform profiles, the generic path, structured data and hosted comments, on the saved pages."""

from pathlib import Path

import pytest

from recapcrawl.cli.dev import extract_files, extract_page, read_page
from recapcrawl.extraction import analyze, extract_recap
from recapcrawl.extraction.comments import json_ld_comments
from recapcrawl.extraction.dom import Page, parse_html
from recapcrawl.extraction.profiles import detect
from recapcrawl.extraction.selectors import Path as XPath
from recapcrawl.extraction.structured import episode_of, json_ld_objects

PAGES = Path(__file__).parent / "pages"

# saved page → (profile, body from the page's own markup?, comments hosted by); the disqus and generic
# pages have one article container (.post-content, .article-body) holding their text: no trafilatura
PLATFORMS = {
    "sample-wordpress/keeper-of-gullrock-4x10-low-water.html": ("wordpress", True, None),
    "wp-astra/night-ferry-s01e03.html": ("wordpress", True, None),
    "block-theme/harbor-lights-s02e05.html": ("wordpress-block", True, None),
    "sample-blogger/mise-en-place-2x05-comp-night.html": ("blogger", True, None),
    "ghost/tidewater-2x04-lamp-room.html": ("ghost", True, "ghost"),
    "substack/halfway-house-s03e02.html": ("substack", True, "substack"),
    "medium/glasshouse-s02e06-frost-line.html": ("medium", True, "medium"),
    "custom-cms/kiln-part-six.html": ("generic", False, None),
    "disqus/harbor-lights-2x07.html": ("generic", True, "disqus"),
    "generic/copper-kettle-season-3-episode-5.html": ("generic", True, None),
}


def _analysis(name: str):
    html = (PAGES / name).read_bytes()
    return analyze(html, "https://pages.example/" + name)


@pytest.mark.parametrize(("name", "expected"), PLATFORMS.items(), ids=list(PLATFORMS))
def test_profile_body_source_and_hosted_comments(name, expected):
    analysis = _analysis(name)
    assert (analysis.platform, analysis.body_from_page, analysis.comments.hosted_by) == expected
    assert analysis.verdict.is_recap


def test_generic_path_uses_trafilatura_and_keeps_the_split():
    """A page no profile knows: trafilatura finds the text, our split keeps headings, lists and quotes."""
    html = (PAGES / "custom-cms/kiln-part-six.html").read_bytes()
    recap = extract_recap(html, "https://screenledger.example/reviews/2024/04/slow-burn-part-six")
    assert recap.platform == "generic"
    assert [h.text for h in recap.headings] == ["The letters", "What worked"]
    assert [p.section for p in recap.paragraphs][2:] == ["The letters", "The letters", "What worked"]
    assert len(recap.bullets) == 3
    text = recap.body_text
    assert text.startswith("For five weeks Kiln")
    # kicker, dek, byline, related links and the reader responses stay out of the body
    for boilerplate in ("Episode review", "quietest and its best", "More Kiln", "I said what I said"):
        assert boilerplate not in text


def test_microdata_comments_are_threaded():
    html = (PAGES / "custom-cms/kiln-part-six.html").read_bytes()
    recap = extract_recap(html, "https://screenledger.example/reviews/2024/04/slow-burn-part-six")
    assert [(c.id, c.parent_id, c.depth, c.author) for c in recap.comments] == [
        ("7781", None, 0, "Jonas W."),
        ("7785", "7781", 1, "Ana Lúcia Prado"),
        ("7790", None, 0, "M. Okonkwo"),
    ]
    assert (
        recap.comments[0].text
        == "The unloading scene is the best thing on television this year.\n\nI said what I said."
    )
    assert recap.comments[0].published == "2024-04-18T21:05:00-03:00"


def test_episode_from_json_ld_review_of_a_tv_episode():
    """The title names no episode; the Review's itemReviewed TVEpisode does."""
    analysis = _analysis("custom-cms/kiln-part-six.html")
    assert analysis.meta.title == "Slow Burn, Part Six"
    episode = analysis.episode
    assert (episode.show, episode.season, episode.episodes, episode.titles) == (
        "Kiln",
        1,
        (6,),
        ("Part Six",),
    )


def test_json_ld_comments_nested_and_by_parent_item():
    objects = [
        {
            "@type": "BlogPosting",
            "comment": [
                {
                    "@type": "Comment",
                    "@id": "https://x.example/p#comment-10",
                    "author": {"@type": "Person", "name": "Ro"},
                    "dateCreated": "2024-01-02T10:00:00Z",
                    "text": "First.",
                    "comment": [
                        {"@type": "Comment", "@id": "#comment-11", "author": "Sam", "text": "Reply."}
                    ],
                },
                {"@type": "Comment", "identifier": 12, "text": "Late.", "parentItem": {"@id": "#comment-10"}},
            ],
        }
    ]
    comments = json_ld_comments(objects)
    assert [(c.id, c.parent_id, c.depth, c.author, c.text) for c in comments] == [
        ("10", None, 0, "Ro", "First."),
        ("11", "10", 1, "Sam", "Reply."),
        ("12", "10", 1, None, "Late."),
    ]
    assert comments[0].published == "2024-01-02T10:00:00+00:00"


def test_json_ld_with_comments_and_graph_is_read_leniently():
    root = parse_html(
        "<html><head><script type='application/ld+json'>// a comment line\n"
        '{"@graph": [{"@type": "TVEpisode", "episodeNumber": 3, "name": "Undertow",'
        ' "partOfSeries": {"@type": "TVSeries", "name": "Harbor Lights"},'
        ' "partOfSeason": {"@type": "TVSeason", "seasonNumber": "2"}}]}</script></head>'
        "<body><p>x</p></body></html>"
    )
    episode = episode_of(json_ld_objects(root))
    assert (episode.show, episode.season, episode.episodes, episode.titles) == (
        "Harbor Lights",
        2,
        (3,),
        ("Undertow",),
    )


@pytest.mark.parametrize(
    ("markup", "provider"),
    [
        ('<div id="disqus_thread"></div>', "disqus"),
        ('<div class="fb-comments" data-href="https://x.example/p" data-numposts="5"></div>', "facebook"),
        (
            '<div data-spotim-module="conversation" data-post-id="p1"></div>'
            '<script async src="https://launcher.spot.im/spot/sp_abc"'
            ' data-spotim-module="spotim-launcher"></script>',
            "openweb",
        ),
        ('<script async src="https://launcher.spot.im/spot/sp_abc"></script>', "openweb"),
        ('<script src="https://giscus.app/client.js" data-repo="a/b"></script>', "giscus"),
        ('<div id="commento"></div>', "commento"),
        ("<p>No comments here.</p>", None),
    ],
)
def test_hosted_comment_widgets(markup, provider):
    html = (
        "<html><head><title>Show 1x01 recap</title></head>"
        f"<body><article><p>Text.</p>{markup}</article></body></html>"
    )
    assert analyze(html, "https://x.example/show-1x01-recap/").comments.hosted_by == provider


def test_detection_by_markup_without_a_generator():
    cases = {
        "<link rel='stylesheet' href='/wp-content/themes/astra/style.css'>": "wordpress",
        "<div class='wp-site-blocks'></div><script src='/wp-includes/x.js'></script>": "wordpress-block",
        "<div class='blog-posts'><div class='post-outer'></div></div>": "blogger",
        "<section class='gh-content gh-canvas'></section>": "ghost",
        "<script src='https://substackcdn.com/bundle/main.js'></script>": "substack",
        "<p class='pw-post-body-paragraph'>x</p>": "medium",
        "<div class='story'><p>x</p></div>": "generic",
    }
    for markup, name in cases.items():
        root = parse_html(f"<html><head></head><body>{markup}</body></html>")
        assert detect(Page(root), None).name == name, markup


def test_paths_skip_pages_that_lack_their_literals():
    root = parse_html("<html><body><div class='entry-content'><p>x</p></div></body></html>")
    page = Page(root)
    assert XPath("//*[contains(@class, 'gh-content')]").needles == {"gh-content"}
    assert XPath("//*[contains(@class, 'gh-content')]")(page) == []
    assert len(XPath("//*[contains(@class, 'entry-content')]")(page)) == 1
    assert XPath("//article | //*[contains(@class, 'x-y')]").needles is None  # a branch without literals


def test_extract_command_output(tmp_path):
    source = PAGES / "disqus/harbor-lights-2x07.html"
    gz = tmp_path / "page.html.gz"
    import gzip

    gz.write_bytes(gzip.compress(source.read_bytes()))
    assert read_page(gz) == source.read_bytes()
    (result,) = extract_files([gz])
    assert result["url"] == "https://foghornnotes.example/posts/harbor-lights-2x07-recap/"
    assert result["platform"] == "generic" and result["comments_hosted_by"] == "disqus"
    assert result["is_recap"] is True and result["reason"] is None
    assert result["body_text"].split("\n\n")[1] == "Stone by stone"
    assert {"url", "title", "show", "season", "episode", "paragraphs", "comments", "body_text"} <= set(result)
    bad = tmp_path / "empty.html"
    bad.write_bytes(b"")
    (failed,) = extract_files([bad])
    assert "error" in failed


def test_extract_page_on_a_non_recap_still_gives_the_body():
    html = (PAGES / "generic/harbor-lights-renewed.html").read_bytes()
    result = extract_page(html, "https://pages.example/generic/harbor-lights-renewed/")
    assert result["is_recap"] is False and result["reason"]
    assert result["body_text"]

"""Show, season, episode(s) and episode title(s) from recap titles, one naming style per case."""

import pytest

from recapcrawl.extraction.episode import identify_episode, parse_episode
from recapcrawl.models import Episode
from recapcrawl.shownames import normalize_show

CASES = [
    # title, terms, show, season, episodes, titles
    ("Harbor Lights 4×10 Review: “The Long Dark”", [], "Harbor Lights", 4, (10,), ("The Long Dark",)),
    ("Harbor Lights 4x10 recap: The Long Dark", [], "Harbor Lights", 4, (10,), ("The Long Dark",)),
    ("Harbor Lights S04E10 Recap: “The Long Dark”", [], "Harbor Lights", 4, (10,), ("The Long Dark",)),
    (
        "Harbor Lights Season 4, Episode 10 Review: The Long Dark",
        [],
        "Harbor Lights",
        4,
        (10,),
        ("The Long Dark",),
    ),
    ("Harbor Lights Season 4 Episode 10 Review", [], "Harbor Lights", 4, (10,), ()),
    ("Copper Kettle 1x01 “Pilot” Recap: Grand Opening", [], "Copper Kettle", 1, (1,), ("Pilot",)),
    (
        "Copper Kettle 5x09 & 5x10 Review: “Smoke” and “Mirrors”",
        [],
        "Copper Kettle",
        5,
        (9, 10),
        ("Smoke", "Mirrors"),
    ),
    ("Copper Kettle S05E09-E10 Recap", [], "Copper Kettle", 5, (9, 10), ()),
    (
        "Copper Kettle Episode 4 Recap: Burnt Toast",
        ["Copper Kettle Season 2", "comedy"],
        "Copper Kettle",
        2,
        (4,),
        ("Burnt Toast",),
    ),
    ("Copper Kettle Episode 4 Recap: Burnt Toast", ["comedy"], "Copper Kettle", None, (4,), ("Burnt Toast",)),
    ("Review: Harbor Lights 2x05 - The Fog", [], "Harbor Lights", 2, (5,), ("The Fog",)),
    ("‘Harbor Lights’ Season 3, Episode 1 recap", [], "Harbor Lights", 3, (1,), ()),
    # a quoted title set off by a comma, the numbers in brackets after it
    ("Recap: Harbor Lights, ‘Undertow’ (Season 2, Episode 7)", [], "Harbor Lights", 2, (7,), ("Undertow",)),
    ("Copper Kettle, 'Short Order' (3x02)", [], "Copper Kettle", 3, (2,), ("Short Order",)),
    ("Blackwater: Undertow Part 2, Episode 6 Recap", [], "Blackwater: Undertow Part 2", None, (6,), ()),
    ("Recap of ‘Harbor Lights’ S2 E3: The Weir", [], "Harbor Lights", 2, (3,), ("The Weir",)),
    (
        "Copper Kettle Season 4 Episode 8 Recap & Ending Explained: Last Call",
        [],
        "Copper Kettle",
        4,
        (8,),
        ("Last Call",),
    ),
    # a headline's sentence after the marker is no episode title: lower case, or longer than a title runs
    (
        "Harbor Lights recap: series 4, episode 2 – a storm nobody saw coming",
        [],
        "Harbor Lights",
        4,
        (2,),
        (),
    ),
    (
        "Copper Kettle episode 8 review: the diner finale is the best hour the show has made in years",
        [],
        "Copper Kettle",
        None,
        (8,),
        (),
    ),
    (
        "Harbor Lights 2x03 Review: The Man Who Sold the Lighthouse",
        [],
        "Harbor Lights",
        2,
        (3,),
        ("The Man Who Sold the Lighthouse",),
    ),
]


@pytest.mark.parametrize(
    ("title", "terms", "show", "season", "episodes", "titles"), CASES, ids=[c[0] for c in CASES]
)
def test_naming_styles(title, terms, show, season, episodes, titles):
    episode = parse_episode(title, "https://site.example/x/", terms)
    assert episode is not None
    assert (episode.show, episode.season, episode.episodes, episode.titles) == (
        show,
        season,
        episodes,
        titles,
    )


def test_export_shape_for_one_and_many_episodes():
    one = parse_episode("Harbor Lights 4x10: “The Long Dark”")
    two = parse_episode("Copper Kettle 5x09 & 5x10 Review: “Smoke” and “Mirrors”")
    assert (one.episode, one.episode_title) == (10, "The Long Dark")
    assert (two.episode, two.episode_title) == ([9, 10], ["Smoke", "Mirrors"])


@pytest.mark.parametrize(
    "title",
    [
        "Harbor Lights Renewed for Season 4",
        "The 10 Best Cold Opens of the Year",
        "About this blog",
    ],
)
def test_titles_without_an_episode(title):
    assert parse_episode(title, "https://site.example/news/renewed/") is None


def test_slug_is_the_fallback():
    episode = parse_episode(
        "A night at the lighthouse", "https://site.example/2024/03/harbor-lights-s02e05-recap/"
    )
    assert episode is not None and (episode.season, episode.episodes) == (2, (5,))


# ---------------------------------------------------------------- episode identity from every source


def test_structured_data_names_the_episode_when_the_title_does_not():
    structured = Episode(show="Kiln", season=1, episodes=(6,), titles=("Part Six",))
    episode = identify_episode("Slow Burn, Part Six", "https://x.example/reviews/slow-burn/", [], structured)
    assert (episode.show, episode.season, episode.episodes, episode.titles) == (
        "Kiln",
        1,
        (6,),
        ("Part Six",),
    )


def test_structured_data_fills_what_the_title_leaves_out():
    structured = Episode(show="Copper Kettle", season=2, episodes=(4,), titles=("Burnt Toast",))
    episode = identify_episode("Copper Kettle Episode 4 recap", "", [], structured)
    assert (episode.season, episode.titles) == (2, ("Burnt Toast",))


def test_a_term_or_a_heading_names_the_episode():
    from_term = identify_episode("A long night at sea", "https://x.example/a-long-night/", ["Longhaul 5x07"])
    assert (from_term.show, from_term.season, from_term.episodes) == ("Longhaul", 5, (7,))
    from_heading = identify_episode(
        "A long night at sea", "https://x.example/a-long-night/", [], None, lambda: ["Longhaul S05E07 recap"]
    )
    assert (from_heading.show, from_heading.season, from_heading.episodes) == ("Longhaul", 5, (7,))


def test_slug_show_takes_the_case_of_a_term():
    episode = identify_episode("Recap", "https://x.example/harbor-lights-s02e05-recap/", ["Harbor Lights"])
    assert episode.show == "Harbor Lights"


def test_a_season_only_title_says_so():
    episode = identify_episode("Harbor Lights Season 3 review", "https://x.example/harbor-lights-season-3/")
    assert (episode.show, episode.season, episode.episodes) == ("Harbor Lights", 3, ())


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("For All Mankind", "For All Mankind (Apple TV+)"),
        ("The Bear", "Bear (FX)"),
        ("Mercer & Vale", "Mercer and Vale Season 2"),
        ("‘Harbor Lights’", "harbor lights recaps"),
        ("Pokémon", "Pokemon (TV series)"),
        ("Copperhall", "Copperhall Series Two"),
        ("Copperhall", "Copperhall (Season 2)"),
        ("Wrenfield", "Wrenfield › Season 3"),
        ("Wrenfield", "Wrenfield S3 Recaps"),
    ],
)
def test_normalize_show_joins_the_same_show(one, other):
    assert normalize_show(one) == normalize_show(other) != ""


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("The Office (US)", "The Office (UK)"),
        ("Dune", "Dune (2021)"),
        ("A Series of Unfortunate Events", "Unfortunate Events"),
    ],
)
def test_normalize_show_keeps_what_tells_shows_apart(one, other):
    assert normalize_show(one) != normalize_show(other)


# ---------------------------------------------------------------- the grammar table, example by example

from recapcrawl.extraction.episode import episode_from_prose, find_marker  # noqa: E402
from recapcrawl.extraction.episode_grammar import EPISODE_PHRASE, RULES, to_number  # noqa: E402

GRAMMAR_EXAMPLES = [(rule, example) for rule in RULES for example in rule.examples]


def _read_example(rule, example):
    if "prose" in rule.contexts:
        return episode_from_prose([example.text])
    return parse_episode(example.text, "", list(example.terms))


@pytest.mark.parametrize(
    ("rule", "example"), GRAMMAR_EXAMPLES, ids=[f"{r.name}: {e.text}" for r, e in GRAMMAR_EXAMPLES]
)
def test_grammar_example(rule, example):
    """Every example of every rule gives (show, season, episode, episode_title), or no episode at all."""
    episode = _read_example(rule, example)
    got = (
        None
        if episode is None or not episode.episodes
        else (
            episode.show,
            episode.season,
            episode.episode,
            episode.episode_title,
        )
    )
    assert got == example.expected
    context = "prose" if "prose" in rule.contexts else "title"
    marker = find_marker(example.text, context)
    if example.expected is not None:
        assert marker is not None and marker.style == rule.name  # the example is this rule's, not another's
    else:
        assert marker is None or marker.style != rule.name


def test_every_rule_has_examples_both_ways():
    for rule in RULES:
        assert any(e.expected for e in rule.examples), rule.name
    guarded = [r for r in RULES if r.not_before or r.not_after or r.must_in_text or r.name == "sxe"]
    for rule in guarded:
        assert any(e.expected is None for e in rule.examples), rule.name


@pytest.mark.parametrize(
    ("text", "number"),
    [("07", 7), ("Five", 5), ("fifth", 5), ("twenty one", 21), ("Twenty-First", 21), ("II", 2), ("3rd", 3)],
)
def test_numbers_in_words(text, number):
    assert to_number(text) == number


# ---------------------------------------------------------------- many titles, none garbled

# (title, terms, show): invented shows in every style the grammar knows.
MANY_TITLES = [
    ("Riverbend 3.07 Review: Low Tide", [], "Riverbend"),
    ("Riverbend 3.08", [], "Riverbend"),
    ("Riverbend S03E09 Recap: “Undertow”", [], "Riverbend"),
    ("Riverbend S03 E10 – The Levee", [], "Riverbend"),
    ("Riverbend 3x11 Review: Floodplain", [], "Riverbend"),
    ("Riverbend 3×12 & 3×13 Recap: “Silt” and “Sand”", [], "Riverbend"),
    ("Riverbend Season 3, Episode 14 Review: Oxbow", [], "Riverbend"),
    ("Riverbend Season 3 Episode 15 Recap – “Delta”", [], "Riverbend"),
    ("Riverbend recap, season 3, episode 16", [], "Riverbend"),
    ("Riverbend Recap: Season 3, Episode 17, “Estuary”", [], "Riverbend"),
    ("RECAP - Season 3: Episode 18", ["Riverbend Season 3"], "Riverbend"),
    ("Riverbend Episode 19 of Season 3, “The Weir”", [], "Riverbend"),
    ("Riverbend Episode 20, Season 3 Review", [], "Riverbend"),
    ("Riverbend: Episode Four of Season Three – Mudflats", [], "Riverbend"),
    ("Riverbend Season Three, Episode Five: Backwater", [], "Riverbend"),
    ("Riverbend Episode 6 Recap: Ferry Crossing", ["TV › Riverbend › Season 3"], "Riverbend"),
    ("Riverbend Episodes 7 & 8 Review", ["Riverbend", "Season 3"], "Riverbend"),
    ("Riverbend 3x01-02 Recap: Headwaters", [], "Riverbend"),
    ("Riverbend S03E03-E04: “Tributary”", [], "Riverbend"),
    ("‘Riverbend’ Season 3, Episode 5 recap", [], "Riverbend"),
    ("Review: Riverbend 3x06 - Sandbar", [], "Riverbend"),
    ("Riverbend – Levee Break (3x07)", [], "Riverbend"),
    ("Riverbend recap: “Levee Break” (3x07)", [], "Riverbend"),
    ("Riverbend Season 3 Episode 8 Review: Season Finale", [], "Riverbend"),
    ("Riverbend Season 3 Episode 9 Recap: Rapids (Mid-Season Finale)", [], "Riverbend"),
    ("Copperhall Series 2, Episode 4 Review", [], "Copperhall"),
    ("Copperhall Series 2 Episode 5: The Foundry", [], "Copperhall"),
    ("Copperhall series two, episode six – “Slag”", [], "Copperhall"),
    ("Copperhall Episode 7 Recap", ["Copperhall Series 2"], "Copperhall"),
    ("Copperhall 2.08 Review: Tempering", [], "Copperhall"),
    ("Copperhall, Part 3 — Recap", [], "Copperhall"),
    ("Copperhall Part II Recap: Anvil", [], "Copperhall"),
    ("Tell Me a Tale Season 1 Episode 1 Review: Hope", [], "Tell Me a Tale"),
    ("Tell Me a Tale 1x02 Recap: “Charity”", [], "Tell Me a Tale"),
    ("Tell Me a Tale S01E03 – Faith", [], "Tell Me a Tale"),
    ("Imperial recap, season 2, episode 8", [], "Imperial"),
    ("Imperial Season 2 – Episode 9 – Dynasty", [], "Imperial"),
    ("Imperial Season 2 | Episode 10 | Crown", [], "Imperial"),
    ("Gilmore Grove S01 E01 – Pilot", [], "Gilmore Grove"),
    ("Gilmore Grove S01 E02 – The Lanterns", [], "Gilmore Grove"),
    ("Quillfeather 4.18", [], "Quillfeather"),
    ("Quillfeather 4.19 “Inkwell”", [], "Quillfeather"),
    ("Quillfeather Episode 4.20 Recap", [], "Quillfeather"),
    ("Quillfeather – Episode 4x21 – The Blotter", [], "Quillfeather"),
    ("Hollowmere Season 5 Episode 12 Recap: Season 5 Finale", [], "Hollowmere"),
    ("Hollowmere: Season 5, Episodes 13 and 14 Review", [], "Hollowmere"),
    ("Hollowmere Season 5, Episodes 13-15 Recap", [], "Hollowmere"),
    ("Hollowmere Ep. 16 Review: Ashes", ["Hollowmere Season 5"], "Hollowmere"),
    ("Hollowmere Eps 17-18 Recap", ["Hollowmere › Season 5"], "Hollowmere"),
    ("Hollowmere (S05E19): “Cinders”", [], "Hollowmere"),
    ("Hollowmere S5 E20 Review – Embers", [], "Hollowmere"),
    ("Mercer & Vale Episode 6 Recap: Cold Open", ["Mercer & Vale Season 2"], "Mercer & Vale"),
    ("Mercer & Vale 2x07 Review: Second Opinions", [], "Mercer & Vale"),
    ("Mercer & Vale Season Two, Episode Eight, “Third Act”", [], "Mercer & Vale"),
    ("Lantern Street Episode Ten of Series One: Closing Time", [], "Lantern Street"),
    ("Lantern Street Season 1 Episode 11: Lights Out Recap", [], "Lantern Street"),
    ("Lantern Street 1x12 Review (Spoilers)", [], "Lantern Street"),
    ("Lantern Street Season 1, Episode 13 Recap: “Season Two Begins Here”", [], "Lantern Street"),
    ("Driftwood Season 2, Episodes 3 & 4: “Ebb” and “Flow”", [], "Driftwood"),
    ("Driftwood 2x05 & 2x06 Recap: Flotsam", [], "Driftwood"),
    ("Driftwood Recap 2x07: Jetsam", [], "Driftwood"),
    ("Driftwood Episode 8 Recap", ["Drama", "Driftwood", "Season Two"], "Driftwood"),
    ("Silverdale – Episode 9 (Season 1) Review", [], "Silverdale"),
    ("Silverdale Episode Four of Series Two: Bellows", [], "Silverdale"),
    ("Blackwater Part 3 Recap: The Sluice", [], "Blackwater"),
    ("Foxglove Lane – The Orchard (2x03)", [], "Foxglove Lane"),
    ("Foxglove Lane 2x04 - 12 Angry Sheep", [], "Foxglove Lane"),
    ("Harbor Lights Season 4 Episode 10 Review: Season 4, Episode 10", [], "Harbor Lights"),
]
_SEASON_IN_SHOW = __import__("re").compile(r"\b(?:season|series)\b", __import__("re").I)


def test_many_titles_give_a_show_and_clean_episode_titles():
    assert len(MANY_TITLES) >= 60
    for title, terms, show in MANY_TITLES:
        episode = identify_episode(title, "https://site.example/x/", terms)
        assert episode is not None and episode.episodes, title
        assert episode.show == show, title
        assert not _SEASON_IN_SHOW.search(episode.show), title
        for episode_title in episode.titles:
            assert not EPISODE_PHRASE.search(episode_title), (title, episode_title)
            assert not _SEASON_IN_SHOW.search(episode_title), (title, episode_title)


# ------------------------------------------------ seasons in terms, titles without numbers, prose


@pytest.mark.parametrize(
    ("terms", "show", "season"),
    [
        (["TV Shows › Wrenfield › Season 3"], "Wrenfield", 3),
        (["Wrenfield » Series Two"], "Wrenfield", 2),
        (["Wrenfield > S4"], "Wrenfield", 4),
        (["Wrenfield", "Season 5"], "Wrenfield", 5),
        (["Reviews", "Wrenfield Season 6"], "Wrenfield", 6),
        (["Wrenfield"], "Wrenfield", None),
    ],
)
def test_season_from_a_category_tag_or_breadcrumb(terms, show, season):
    episode = identify_episode("Wrenfield Episode 2 Recap: Thornbury", "", terms)
    assert (episode.show, episode.season, episode.episodes, episode.titles) == (
        show,
        season,
        (2,),
        ("Thornbury",),
    )


def test_a_season_term_names_the_show_a_title_leaves_out():
    episode = identify_episode("RECAP - Season 5: Episode 12", "", ["Recaps", "Ironwood › Season 5"])
    assert (episode.show, episode.season, episode.episodes) == ("Ironwood", 5, (12,))


@pytest.mark.parametrize(
    ("title", "terms", "expected"),
    [
        (
            "Hollowmere – Shut Up, Dr. Finch",
            ["Hollowmere", "TV Recaps"],
            ("Hollowmere", None, ("Shut Up, Dr. Finch",)),
        ),
        ("Hollowmere: “Ashfall”", ["Hollowmere Season 2"], ("Hollowmere", 2, ("Ashfall",))),
        ("Recap: Hollowmere – Ashfall", ["Hollowmere"], ("Hollowmere", None, ("Ashfall",))),
    ],
)
def test_a_known_show_and_an_episode_title_without_a_number(title, terms, expected):
    episode = identify_episode(title, "https://site.example/x/", terms)
    assert (episode.show, episode.season, episode.titles) == expected
    assert episode.episodes == ()  # never invented


@pytest.mark.parametrize(
    ("title", "terms"),
    [
        ("Hollowmere – Cast Interview With the Showrunner", ["Hollowmere", "TV Recaps"]),
        ("Harbourside – New Ferry Timetable Announced", ["Harbourside"]),  # no sign of television at all
        (
            "Hollowmere – Everything We Know About the Next Chapter of the Story So Far",
            ["Hollowmere Season 2"],
        ),
    ],
)
def test_no_episode_title_from_news_about_a_show(title, terms):
    episode = identify_episode(title, "https://site.example/x/", terms)
    assert episode is None or (episode.titles, episode.episodes) == ((), ())


def test_structured_data_beats_a_weak_part_marker():
    structured = Episode(show="Kiln", season=1, episodes=(6,), titles=("Part Six",))
    episode = identify_episode("Slow Burn, Part Six Recap", "", [], structured)
    assert (episode.show, episode.season, episode.episodes, episode.titles) == (
        "Kiln",
        1,
        (6,),
        ("Part Six",),
    )


def test_prose_states_what_the_title_leaves_out():
    episode = episode_from_prose(
        ["Spoilers below.", "The fourth episode of season two, titled “Cinderwick,” is the darkest yet."]
    )
    assert (episode.season, episode.episodes, episode.titles) == (2, (4,), ("Cinderwick",))
    assert episode_from_prose(["The cast was great.", "We loved the first scene."]) is None


def test_the_body_fills_a_season_and_title_only_for_the_same_episode():
    from recapcrawl.extraction.episode import fill_from_body

    body = ["The fourth episode of season two, titled “Cinderwick,” is the darkest yet."]
    same = fill_from_body(Episode(show="Hollowmere", episodes=(4,)), body)
    assert (same.season, same.titles) == (2, ("Cinderwick",))
    other = fill_from_body(Episode(show="Hollowmere", episodes=(5,)), body)
    assert (other.season, other.titles) == (None, ("Cinderwick",))  # the title's old last resort stays
    stated = Episode(show="Hollowmere", season=3, episodes=(4,), titles=("Ashfall",))
    assert fill_from_body(stated, body) is stated


_RECAP_PAGE = """<!doctype html><html><head><title>{title}</title></head>
<body class="single single-post"><article class="post"><h1 class="entry-title">{title}</h1>
<div class="entry-content"><p>The river finally breaks its banks this week, and the town scrambles for
sandbags while the mayor argues with the engineer about whose fault it is.</p>
<p>It is a tense, quiet hour of television that lets the cast carry the story.</p></div>
</article></body></html>"""


@pytest.mark.parametrize(
    "title",
    [
        "Riverbend 3.07 Review: Low Tide",
        "Copperhall Series 2, Episode 4 Review",
        "Silverdale Episode 4 of Season 2",
    ],
)
def test_the_classifier_takes_these_titles_for_recaps(title):
    from recapcrawl.extraction import analyze

    analysis = analyze(_RECAP_PAGE.format(title=title), "https://site.example/2024/05/a-recap/")
    assert analysis.verdict.is_recap, analysis.verdict.reason
    assert analysis.episode.show in title and analysis.episode.season in (2, 3)


_NEWS_WITH_CARDS = """<!doctype html><html><head><title>Spring Premiere Dates</title></head>
<body class="single single-post"><article class="post"><h1 class="entry-title">Spring Premiere Dates</h1>
<div class="entry-content"><p>Riverbend returns on April 2, and Copperhall a week later, with a new
showrunner and the same old ferry.</p></div>{inside}</article>{after}</body></html>"""
_CARD = (
    '<article class="preview post"><h2 class="preview-title">'
    '<a href="/x/">Riverbend 3x07 Review: Low Tide</a></h2></article>'
)


@pytest.mark.parametrize(
    ("inside", "after"),
    [
        ("", f'<div class="related-posts">{_CARD}</div>'),  # Chaplin: cards after the article
        (f'<section id="related-posts">{_CARD}</section>', ""),  # OceanWP: cards inside it
        ("", f"<aside>{_CARD}</aside>"),
    ],
    ids=["related-box", "nested-article", "sidebar"],
)
def test_a_related_posts_card_does_not_name_the_pages_episode(inside, after):
    from recapcrawl.extraction import analyze

    html = _NEWS_WITH_CARDS.format(inside=inside, after=after)
    analysis = analyze(html, "https://site.example/2024/03/01/spring-premiere-dates/")
    assert not analysis.verdict.is_recap and analysis.episode is None


def test_page_headings_are_the_pages_own() -> None:
    """The h1/h2 an episode may be read from (``_page_headings``): none in a menu, sidebar, footer,
    related-posts box, comment section or an article nested in another; the first six, in order."""
    from recapcrawl.extraction import _page_headings
    from recapcrawl.extraction.dom import parse_html

    page = parse_html(
        "<html><body><nav><h2>Menu</h2></nav><article><h1>Gullrock 2x04 recap</h1>"
        "<aside><h2>Popular</h2></aside><div class='post-related'><h2>More</h2></div>"
        "<article><h2>Card</h2></article><h2>Season 2, Episode 4</h2></article>"
        "<div id='comments'><h2>12 replies</h2></div><footer><h2>About</h2></footer>"
        + "".join(f"<h2>Part {n}</h2>" for n in range(1, 9))
        + "</body></html>"
    )
    assert _page_headings(page) == [
        "Gullrock 2x04 recap",
        "Season 2, Episode 4",
        "Part 1",
        "Part 2",
        "Part 3",
        "Part 4",
    ]

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
    ],
)
def test_normalize_show_joins_the_same_show(one, other):
    assert normalize_show(one) == normalize_show(other) != ""


@pytest.mark.parametrize(("one", "other"), [("The Office (US)", "The Office (UK)"), ("Dune", "Dune (2021)")])
def test_normalize_show_keeps_what_tells_shows_apart(one, other):
    assert normalize_show(one) != normalize_show(other)

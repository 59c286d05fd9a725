"""Show, season, episode(s) and episode title(s) from recap titles, one naming style per case."""

import pytest

from recapcrawl.extraction.episode import parse_episode

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

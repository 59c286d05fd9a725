"""Synthetic recaps in the export contract's shape (``Recap.to_dict``), for the storage benchmarks.

Text is drawn from a generated vocabulary with a Zipf-like frequency, so an archive has very
common words (in nearly every recap), common ones, and rare ones, plus a few planted terms whose
frequency is fixed (see ``PLANTED``), for searches with known result counts.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

from common import SHOWS as ALL_SHOWS

VERSION = 1  # bump when the generated recaps change, so cached archives are rebuilt
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "su",
    "ta",
    "ri",
    "vo",
    "pe",
    "da",
    "zu",
    "fi",
    "go",
    "ha",
    "je",
    "ku",
    "la",
    "mo",
    "ni",
    "po",
    "ra",
    "se",
    "ti",
    "wu",
    "ya",
]
SHOWS = ALL_SHOWS[:10]  # the first ten (using more changes the generated recaps: bump VERSION)
NAMES = ["Margo", "Ed", "Isla", "Dani", "Cormac", "Priya", "Tomas", "Juno", "Felix", "Rosa", "Abel", "Wren"]
COMMON_WORDS = [
    "the",
    "episode",
    "season",
    "scene",
    "character",
    "show",
    "finale",
    "moment",
    "really",
    "great",
    "love",
    "still",
    "think",
    "back",
    "again",
    "night",
    "pilot",
    "cast",
    "writing",
    "twist",
    "ending",
]
# Planted terms: (word, probability that one recap body / one comment contains it).
PLANTED = {"lighthouse": 0.02, "marigold": 0.002, "quellbridge": 0.0002, "ferrowind": 0.00002}


def vocabulary(size: int = 6000, seed: int = 4) -> list[str]:
    rng = random.Random(seed)
    words = set(COMMON_WORDS)
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    ordered = list(COMMON_WORDS) + sorted(words - set(COMMON_WORDS), key=lambda w: rng.random())
    return ordered


class TextMaker:
    """Sentences with Zipf-distributed words (fast: ``random.choices`` with cumulative weights)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary()
        self.cum = list(itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(self.words))))

    def sentence(self, low: int, high: int) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cum, k=self.rng.randint(low, high))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences: int, planted: bool = True) -> str:
        text = " ".join(self.sentence(8, 18) for _ in range(sentences))
        if planted:
            for word, chance in PLANTED.items():
                if self.rng.random() < chance:
                    text += f" The {word} again."
        return text


def recap(n: int, maker: TextMaker, paragraphs: int = 8, comments: int = 10) -> dict:
    """Recap number ``n``: metadata, headings, paragraphs, a quote, bullets and ``comments`` comments."""
    rng = maker.rng
    show = SHOWS[n % len(SHOWS)]
    season, episode = 1 + n // 2000, 1 + (n // len(SHOWS)) % 200
    published = datetime(2024, 6, 1, tzinfo=UTC) - timedelta(hours=n)
    headings = [{"level": 2, "text": maker.sentence(2, 4).rstrip(".")} for _ in range(3)]
    body = [
        {"section": headings[i * len(headings) // paragraphs]["text"], "text": maker.paragraph(3)}
        for i in range(paragraphs)
    ]
    speaker = rng.choice(NAMES)
    quotes = [
        {
            "text": maker.sentence(6, 12),
            "kind": "inline",
            "source": "paragraph",
            "speaker": speaker,
            "cite": None,
            "section": headings[0]["text"],
        }
    ]
    bullets = [
        {
            "text": maker.sentence(5, 10),
            "list": 0,
            "ordered": False,
            "depth": 0,
            "parent": None,
            "heading": "Stray observations",
        }
        for _ in range(3)
    ]
    thread = []
    for c in range(comments):
        parent = thread[rng.randrange(len(thread))]["id"] if thread and rng.random() < 0.4 else None
        thread.append(
            {
                "id": f"{n}-{c}",
                "parent_id": parent,
                "depth": 0 if parent is None else 1,
                "author": f"{rng.choice(NAMES)} {rng.choice(SYLLABLES).title()}{rng.choice(SYLLABLES)}",
                "author_url": None,
                "published": (published + timedelta(minutes=7 * (c + 1))).isoformat(),
                "is_post_author": False,
                "page": 1,
                "text": maker.paragraph(rng.randint(1, 2)),
            }
        )
    return {
        "url": f"https://reviews{n % 7}.example/{published:%Y/%m/%d}/{show.lower().replace(' ', '-')}-{n}/",
        "site": f"reviews{n % 7}.example",
        "title": f"{show} {season}x{episode:02d} Review: {maker.sentence(2, 4).rstrip('.')}",
        "author": rng.choice(NAMES),
        "author_url": None,
        "published": published.isoformat(),
        "modified": None,
        "show": show,
        "season": season,
        "episode": episode,
        "episode_title": None,
        "categories": ["Recaps", show],
        "tags": [],
        "platform": "wordpress",
        "headings": headings,
        "paragraphs": body,
        "bullets": bullets,
        "quotes": quotes,
        "comments": thread,
    }


def recaps(count: int, seed: int = 1, start: int = 0, **sizes) -> list[dict]:
    maker = TextMaker(seed)
    return [recap(n, maker, **sizes) for n in range(start, start + count)]

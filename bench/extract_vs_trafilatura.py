#!/usr/bin/env python3
"""Benchmark: recapcrawl's whole extraction (metadata, episode, body split, quotes, speakers,
comments) vs ``trafilatura.extract(html, output_format="xml", include_comments=True)``.

Three page sets: the recorded WordPress site in ../shared/sites (recaps with comment pages), the
bundled sample blogs (rendered once into memory), and the article-extraction benchmark corpus in
../shared/corpora; ``all`` is the three together (each round's times added up, not run again).
Both sides get the same bytes and parse them themselves. The sides take turns, the first
alternating between rounds (3 by default). The ratio reported is the median of the per-round
ratios of CPU seconds (both sides run on one core; other processes on the shared machine disturb
CPU time far less than wall time), with the median ratio of wall seconds and the pages per wall
second beside it. The goal is on ``all``.

    python bench/extract_vs_trafilatura.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import trafilatura

from recapcrawl.extraction import extract_recap

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GOAL = 2.0


def recorded_wordpress() -> list[tuple[str, bytes]]:
    capture = SHARED / "sites" / "wordpress-dev" / "capture"
    if not capture.exists():
        return []
    index = json.loads((capture / "index.json").read_text())
    base = index["site"].rstrip("/")
    pages = []
    for entry in index["responses"]:
        ctype = entry.get("headers", {}).get("content-type", "")
        if entry["status"] == 200 and ctype.startswith("text/html") and "replytocom" not in entry["url"]:
            pages.append((base + entry["url"], (capture / entry["body"]).read_bytes()))
    return pages


def sample_blogs() -> list[tuple[str, bytes]]:
    from recapcrawl.sample_site import SampleSites, load_truth

    with SampleSites() as sites:
        truth = load_truth(*sites.urls)
        urls = [r["url"] for r in truth["recaps"]] + [n["url"] for n in truth["not_recaps"]]
        pages = []
        for url in urls:
            try:
                with urllib.request.urlopen(url) as response:
                    if response.headers.get_content_type() == "text/html":
                        pages.append((url, response.read()))
            except OSError:
                continue
    return pages


def corpus() -> list[tuple[str, bytes]]:
    folder = SHARED / "corpora" / "article-extraction-benchmark" / "html"
    if not folder.exists():
        return []
    pages = []
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        pages.append(
            (
                f"https://benchmark.example/{path.name.split('.')[0]}",
                gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data,
            )
        )
    return pages


def ours(pages: list[tuple[str, bytes]]) -> None:
    for url, html in pages:
        try:
            extract_recap(html, url)
        except ValueError:
            pass


def theirs(pages: list[tuple[str, bytes]]) -> None:
    for url, html in pages:
        trafilatura.extract(html, url=url, output_format="xml", include_comments=True)


def timed(side: Callable[[list], None], pages: list[tuple[str, bytes]]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one pass over the pages."""
    wall, cpu = time.perf_counter(), time.process_time()
    side(pages)
    return time.perf_counter() - wall, time.process_time() - cpu


def run_rounds(sets: dict[str, list], rounds: int) -> dict[str, list[tuple[float, float, float, float]]]:
    """Per set, per round: (our wall, our CPU, their wall, their CPU) seconds; who goes first alternates."""
    for pages in sets.values():
        ours(pages[:3]), theirs(pages[:3])  # warm-up: imports, caches
    times: dict[str, list] = {name: [] for name in sets}
    for number in range(rounds):
        for name, pages in sets.items():
            if number % 2:
                other = timed(theirs, pages)
                mine = timed(ours, pages)
            else:
                mine = timed(ours, pages)
                other = timed(theirs, pages)
            times[name].append((*mine, *other))
    return times


def run_per_page(sets: dict[str, list], rounds: int) -> dict[str, list[tuple[float, float, float, float]]]:
    """As ``run_rounds``, but the sides take turns page by page (who goes first alternating by page and
    round): a change in the machine's speed during a pass then falls on both sides alike."""
    for pages in sets.values():
        ours(pages[:3]), theirs(pages[:3])  # warm-up: imports, caches
    times: dict[str, list] = {name: [] for name in sets}
    for number in range(rounds):
        for name, pages in sets.items():
            totals = [0.0, 0.0, 0.0, 0.0]
            for index, page in enumerate(pages):
                sides = ((ours, 0), (theirs, 2)) if (index + number) % 2 == 0 else ((theirs, 2), (ours, 0))
                for side, at in sides:
                    wall, cpu = timed(side, [page])
                    totals[at] += wall
                    totals[at + 1] += cpu
            times[name].append(tuple(totals))
    return times


def summary(times: list[tuple[float, float, float, float]], pages: int) -> dict[str, float]:
    """Pages/s of both sides (median round) and the median per-round ratios, wall and CPU."""
    median = statistics.median
    return {
        "ours": pages / median(t[0] for t in times),
        "theirs": pages / median(t[2] for t in times),
        "ratio": median(t[2] / t[0] for t in times),
        "cpu_ratio": median(t[3] / t[1] for t in times),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--per-page", action="store_true", help="the sides take turns page by page, not pass by pass"
    )
    args = parser.parse_args()
    found = {"recorded_wordpress": recorded_wordpress(), "sample_blogs": sample_blogs(), "corpus": corpus()}
    for name in [name for name, pages in found.items() if not pages]:
        print(f"bench extract_vs_trafilatura.{name}: skipped (pages not found)")
    sets = {name: pages for name, pages in found.items() if pages}
    times = (run_per_page if args.per_page else run_rounds)(sets, args.rounds)
    # all: the three sets together, each round's times added up (the same passes, not run again)
    by_round = zip(*times.values(), strict=True)
    times["all"] = [tuple(map(sum, zip(*sets_times, strict=True))) for sets_times in by_round]
    counts = {name: len(pages) for name, pages in sets.items()} | {"all": sum(map(len, sets.values()))}
    for name, per_round in times.items():
        result = summary(per_round, counts[name])
        goal = f" (goal >= {GOAL:.1f})" if name == "all" else ""
        rates = f"{result['ours']:.0f} vs {result['theirs']:.0f} pages/s, {counts[name]} pages"
        print(
            f"bench extract_vs_trafilatura.{name}: {result['cpu_ratio']:.2f}x trafilatura's speed in CPU"
            f" time (wall-clock ratio {result['ratio']:.2f}; {rates}){goal}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Benchmark: recapcrawl's whole extraction (metadata, episode, body split, quotes, speakers,
comments) vs ``trafilatura.extract(html, output_format="xml", include_comments=True)``.

Three page sets: the recorded WordPress site in ../shared/sites (recaps with comment pages), the
bundled sample blogs (rendered once into memory), and the article-extraction benchmark corpus in
../shared/corpora. The two sides run alternately, 3 rounds by default; the ratio reported is the
median of the per-round ratios.

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
        pages.append((f"https://benchmark.example/{path.name.split('.')[0]}",
                      gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data))  # fmt: skip
    return pages


def ours(pages: list[tuple[str, bytes]]) -> float:
    started = time.perf_counter()
    for url, html in pages:
        try:
            extract_recap(html, url)
        except ValueError:
            pass
    return len(pages) / (time.perf_counter() - started)


def theirs(pages: list[tuple[str, bytes]]) -> float:
    started = time.perf_counter()
    for url, html in pages:
        trafilatura.extract(html, url=url, output_format="xml", include_comments=True)
    return len(pages) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sets = {"recorded_wordpress": recorded_wordpress(), "sample_blogs": sample_blogs(), "corpus": corpus()}
    sets["all"] = [page for pages in sets.values() for page in pages]
    for name, pages in sets.items():
        if not pages:
            print(f"bench extract_vs_trafilatura.{name}: skipped (pages not found)")
            continue
        ours(pages[:3]), theirs(pages[:3])  # warm-up
        rounds = [(ours(pages), theirs(pages)) for _ in range(args.rounds)]
        ratio = statistics.median(a / b for a, b in rounds)
        mine, other = statistics.median(a for a, _ in rounds), statistics.median(b for _, b in rounds)
        print(f"bench extract_vs_trafilatura.{name}: {mine:.0f} vs {other:.0f} pages/s, {len(pages)} pages,"
              f" ratio {ratio:.2f} (goal {GOAL:.1f})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: a first crawl vs an unchanged re-crawl of the sample blog scaled to 1,000+ recaps,
and ``recapcrawl reparse`` over the stored captures.

    python bench/recrawl.py [--recaps 1000]

Prints ``bench NAME: VALUE (goal GOAL)`` lines. Politeness is off (loopback, our own server).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import crawl_command  # noqa: E402
from scaled_site import ScaledSite  # noqa: E402


def crawl(url: str, db: Path) -> tuple[float, dict]:
    started = time.monotonic()
    done = subprocess.run(crawl_command(url, db), capture_output=True, text=True, check=True)
    return time.monotonic() - started, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recaps", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ScaledSite(args.recaps) as site:
        db = Path(tmp) / "recaps.db"
        first_s, first = crawl(site.url, db)
        again_s, again = crawl(site.url, db)
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "recapcrawl.cli", "reparse", "--db", str(db), "--json"],
            capture_output=True,
            text=True,
            check=True,
        )
        reparse_s = time.monotonic() - started
        reparsed = json.loads(done.stdout)
    ratio = again_s / first_s
    print(
        f"bench recrawl.first_crawl: {first_s:.1f} s, {first['pages_downloaded']} pages, "
        f"{first['bytes_downloaded'] / 1e6:.1f} MB, {first['recaps']} recaps"
    )
    print(
        f"bench recrawl.unchanged_recrawl: {again_s:.1f} s, {again['pages_downloaded']} pages "
        f"({again['pages_unchanged']} answered 304), {again['bytes_downloaded'] / 1e6:.2f} MB"
    )
    print(f"bench recrawl.time_ratio: {ratio:.3f} (goal <= 0.100)")
    print(f"bench recrawl.bytes_ratio: {again['bytes_downloaded'] / first['bytes_downloaded']:.3f}")
    print(
        f"bench reparse.pages_per_s: {reparsed['pages'] / reparse_s:.0f} pages/s "
        f"({reparsed['pages']} stored pages, {reparsed['recaps']} recaps, {reparse_s:.1f} s, "
        f"{reparsed['changed']} changed)"
    )


if __name__ == "__main__":
    main()

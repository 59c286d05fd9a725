"""Benchmark 6, memory: peak RSS of ``recapcrawl crawl`` over 1,000 vs 10,000 pages.

    python bench/memory.py [--small 376] [--large 3760] [--rounds 1]

Two generated static sites (``bench/static_site.py``) of 376 and 3,760 recaps: 1,034 and 10,031
pages (every URL fetched counts: recaps, comment pages, listings, feeds, sitemaps). Each is crawled
end to end into a new archive, politeness off, and the crawl process's peak RSS is read from the
kernel (``wait4``'s ``ru_maxrss``). Goal: peak RSS over 10,000 pages is at most 1.2 × the peak over
1,000 — nothing grows with the crawl but the duplicate filter.

Peak RSS is not timing noise, so one round is the default (``--rounds`` for more, alternated).
The 10,000-page archive is kept as ``/tmp/recapcrawl-bench/crawl-<recaps>.db`` for
``bench/reparse.py``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import POLITENESS_OFF, PYTHON, bench, median, note, run, spread  # noqa: E402
from static_site import CACHE, StaticSite  # noqa: E402

GOAL = 1.2


def crawl(site: StaticSite, db: Path) -> tuple[float, dict, float]:
    """(peak RSS in MB, the crawl's JSON summary, seconds)."""
    done = run([PYTHON, "-m", "recapcrawl.cli", "crawl", site.url, "--db", str(db), "--quiet", "--json",
                *POLITENESS_OFF])  # fmt: skip
    return done.max_rss_mb, json.loads(done.stdout), done.seconds


def kept_archive(recaps: int) -> Path:
    return CACHE / f"crawl-{recaps}.db"


def keep(db: Path, recaps: int) -> None:
    """Keep a crawled archive for the reparse benchmark (WAL folded in, one file)."""
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copyfile(db, kept_archive(recaps))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=376, help="recaps of the ~1,000-page site")
    parser.add_argument("--large", type=int, default=3760, help="recaps of the ~10,000-page site")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    peaks: dict[str, list[float]] = {"small": [], "large": []}
    pages: dict[str, int] = {}
    with (
        StaticSite(args.small) as small,
        StaticSite(args.large) as large,
        tempfile.TemporaryDirectory() as tmp,
    ):
        for round_no in range(1, args.rounds + 1):
            for name, site in (("small", small), ("large", large)):
                db = Path(tmp) / f"{name}{round_no}.db"
                peak, summary, seconds = crawl(site, db)
                peaks[name].append(peak)
                pages[name] = summary["pages_downloaded"]
                note(f"memory round {round_no}: {name} site, {summary['pages_downloaded']} pages, "
                     f"{summary['recaps']} recaps in {seconds:.0f} s, peak RSS {peak:.0f} MB")  # fmt: skip
                if name == "large":
                    keep(db, args.large)
                db.unlink()
    ratios = [b / a for a, b in zip(peaks["small"], peaks["large"], strict=True)]
    bench("memory.peak_rss_1k", f"{median(peaks['small']):.0f} MB ({pages['small']} pages)")
    bench("memory.peak_rss_10k", f"{median(peaks['large']):.0f} MB ({pages['large']} pages)")
    if len(ratios) > 1:
        bench("memory.ratio_rounds", spread(ratios))
    bench("memory", f"{median(ratios):.3f}", f"<= {GOAL}")


if __name__ == "__main__":
    main()

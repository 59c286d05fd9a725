"""Benchmark 7, reparse: ``recapcrawl reparse`` over stored captures vs extraction alone.

    python bench/reparse.py [--recaps 2000] [--rounds 3]

The archive is a crawl of the generated site: the 2,000-recap one (5,374 URLs)
that ``bench/pipeline.py`` keeps, or with ``--recaps 3760`` the 10,000-page one that
``bench/memory.py`` keeps (``/tmp/recapcrawl-bench/crawl-<recaps>.db``, crawled here if it is
missing). ``recapcrawl reparse`` reads and splits in worker processes (one per core). If the
extraction code changed since that crawl, every round finds (and writes) the same changed recaps;
``changed`` says so.
Each round, alternately: extraction alone over the same stored HTML captures
(``bench/extract_alone.py --db --html-only --no-links``: bodies decompressed before the clock starts;
the work a re-split needs — read, analyse, split every recap with its comment pages — without the
links to follow, which only a crawl needs), then
``recapcrawl reparse --json`` on a fresh copy of the archive (wall time of the whole command).
Rates are stored HTML pages per second. Goal: the median of rate(reparse) / rate(extraction) is at
least 0.9.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import BENCH, PYTHON, bench, median, note, run, spread  # noqa: E402
from memory import crawl, keep, kept_archive  # noqa: E402
from static_site import StaticSite  # noqa: E402

GOAL = 0.9


def archive_for(recaps: int) -> Path:
    """The kept archive of the ``recaps``-recap site (pipeline and memory keep theirs), or a new crawl."""
    path = kept_archive(recaps)
    if not path.exists():
        note(f"reparse: crawling the {recaps}-recap site first")
        with StaticSite(recaps) as site, tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "crawl.db"
            crawl(site, db)
            keep(db, recaps)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recaps", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    source = archive_for(args.recaps)
    rates: dict[str, list[float]] = {"extract": [], "reparse": []}
    ratios, cpu_ratios = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for round_no in range(1, args.rounds + 1):
            alone = json.loads(
                run(
                    [
                        PYTHON,
                        str(BENCH / "extract_alone.py"),
                        "--db",
                        str(source),
                        "--html-only",
                        "--no-links",
                    ]
                ).stdout
            )
            rates["extract"].append(alone["pages"] / alone["seconds"])
            db = Path(tmp) / "reparse.db"
            shutil.copyfile(source, db)
            done = run([PYTHON, "-m", "recapcrawl.cli", "reparse", "--db", str(db), "--json"])
            result = json.loads(done.stdout)
            rates["reparse"].append(result["pages"] / done.seconds)
            ratios.append(rates["reparse"][-1] / rates["extract"][-1])
            cpu_ratios.append(alone["cpu_seconds"] / done.cpu_seconds)
            note(
                f"reparse round {round_no}: extraction {alone['pages']} pages {alone['seconds']:.1f} s, "
                f"reparse {result['pages']} pages {done.seconds:.1f} s ({result['recaps']} recaps, "
                f"{result['changed']} "
                f"changed, {len(result['failed'])} failed); ratio {ratios[-1]:.3f}"
            )
            for leftover in Path(tmp).iterdir():
                leftover.unlink()
    bench(
        "reparse.extraction_rate",
        f"{median(rates['extract']):.1f} pages/s ({alone['pages']} stored HTML "
        f"pages, {alone['recaps']} recaps; rounds {spread(rates['extract'], 1)})",
    )
    bench(
        "reparse.reparse_rate",
        f"{median(rates['reparse']):.1f} pages/s (rounds {spread(rates['reparse'], 1)})",
    )
    bench("reparse.ratio_rounds", spread(ratios))
    bench(
        "reparse.cpu_ratio",
        f"{median(cpu_ratios):.3f} (the same ratio in CPU seconds, which other "
        f"processes disturb less; rounds {spread(cpu_ratios)})",
    )
    bench("reparse", f"{median(ratios):.3f}", f">= {GOAL}")


if __name__ == "__main__":
    main()

"""Benchmark 2, pipeline_vs_slowest_stage: does the crawl add little over its slowest stage?

    python bench/pipeline.py [--recaps 2000] [--rounds 3]

Over a generated static site (``bench/static_site.py``: ``--recaps`` recaps of about 50 KB with
comments, plus listings, feeds and sitemaps) served by a fast loopback server, each round times,
one after the other and each in a fresh process:

(a) a bare Scrapy spider that only fetches and follows links (``bench/bare_spider.py``),
(b) extraction alone over the same pages, in memory (``bench/extract_alone.py``),
(c) ``recapcrawl crawl`` end to end into a new archive, politeness off.

Rates are pages per second (every response counts as a page); (a) and (c) are wall time of the
whole command, (b) the extraction loop only. Goal: the median over rounds of
rate(c) / min(rate(a), rate(b)) is at least 0.9. The server's CPU time per page is reported, to
show it is not the bottleneck. The crawl runs its extraction in worker processes (one per core, the
default); (c)'s CPU time includes theirs. The first round's archive is kept for ``bench/reparse.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import BENCH, PYTHON, bench, crawl_command, median, note, run, spread  # noqa: E402
from memory import keep  # noqa: E402
from static_site import StaticSite  # noqa: E402

GOAL = 0.9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recaps", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rates: dict[str, list[float]] = {"bare": [], "extract": [], "crawl": []}
    ratios, cores, server_share, cpu_ratios = [], [], [], []
    with StaticSite(args.recaps) as site, tempfile.TemporaryDirectory() as tmp:
        summary = site.summary
        note(
            f"pipeline: {summary['urls']} URLs ({summary['recap_pages']} recaps of "
            f"{summary.get('recap_kb', 0):.0f} KB on average, {summary['bytes'] / 1e6:.0f} MB in all) "
            f"at {site.url}"
        )
        for round_no in range(1, args.rounds + 1):
            before = site.stats()
            bare = run([PYTHON, str(BENCH / "bare_spider.py"), site.url])
            served = site.stats()
            pages = json.loads(bare.stdout)["pages"]
            rates["bare"].append(pages / bare.seconds)
            server_share.append((served["cpu_s"] - before["cpu_s"]) / bare.seconds)

            alone = json.loads(
                run(
                    [PYTHON, str(BENCH / "extract_alone.py"), "--site", str(site.dir), "--base", site.url]
                ).stdout
            )
            rates["extract"].append(alone["pages"] / alone["seconds"])

            db = Path(tmp) / f"round{round_no}.db"
            crawl = run(crawl_command(site.url, db))
            done = json.loads(crawl.stdout)
            if round_no == 1:
                keep(db, args.recaps)
            rates["crawl"].append(done["pages_downloaded"] / crawl.seconds)
            cores.append(crawl.cores)
            slowest = min(rates["bare"][-1], rates["extract"][-1])
            ratios.append(rates["crawl"][-1] / slowest)
            cpu_rates = {
                "bare": pages / bare.cpu_seconds,
                "extract": alone["pages"] / alone["cpu_seconds"],
                "crawl": done["pages_downloaded"] / crawl.cpu_seconds,
            }
            cpu_ratios.append(cpu_rates["crawl"] / min(cpu_rates["bare"], cpu_rates["extract"]))
            note(
                f"pipeline round {round_no}: bare {pages} pages {bare.seconds:.1f} s ({bare.cores:.2f} "
                f"cores), extraction {alone['pages']} pages {alone['seconds']:.1f} s, crawl "
                f"{done['pages_downloaded']} pages {crawl.seconds:.1f} s ({done['recaps']} recaps, "
                f"{crawl.cores:.2f} cores); ratio {ratios[-1]:.3f}"
            )
            if done["recaps"] != summary["recap_pages"] or done["errors"]:
                note(
                    f"pipeline: crawl archived {done['recaps']} of {summary['recap_pages']} recaps, "
                    f"{done['errors']} errors"
                )
        per_page_ms = (site.stats()["cpu_s"]) / max(1, site.stats()["served"]) * 1000
    size = f"{summary['urls']} pages, {summary['recap_pages']} recaps"
    bench(
        "pipeline.bare_spider_rate",
        f"{median(rates['bare']):.0f} pages/s ({size}; rounds {spread(rates['bare'], 0)})",
    )
    bench(
        "pipeline.extraction_rate",
        f"{median(rates['extract']):.1f} pages/s (one core; rounds {spread(rates['extract'], 1)})",
    )
    bench(
        "pipeline.crawl_rate",
        f"{median(rates['crawl']):.1f} pages/s ({median(cores):.2f} cores busy; "
        f"rounds {spread(rates['crawl'], 1)})",
    )
    bench(
        "pipeline.server_cpu",
        f"{per_page_ms:.2f} ms/page, {median(server_share) * 100:.0f}% of a core "
        "during the bare spider (asyncio static server, in memory)",
    )
    bench("pipeline.ratio_rounds", f"{spread(ratios)} rate(c) / min(rate(a), rate(b)) per round")
    bench(
        "pipeline.cpu_ratio",
        f"{median(cpu_ratios):.3f} (the same ratio with pages per CPU second, which "
        f"other processes disturb less; rounds {spread(cpu_ratios)})",
    )
    bench("pipeline_vs_slowest_stage", f"{median(ratios):.3f}", f">= {GOAL}")


if __name__ == "__main__":
    main()

"""Benchmark 6, memory: peak RSS of ``recapcrawl crawl`` over 1,000 vs 10,000 pages.

    python bench/memory.py [--small 376] [--large 3760] [--rounds 1]

Two generated static sites (``bench/static_site.py``) of 376 and 3,760 recaps: 1,034 and 10,031
pages (every URL fetched counts: recaps, comment pages, listings, feeds, sitemaps). Each is crawled
end to end into a new archive, politeness off. The crawl's extraction runs in worker processes, so
its memory is the whole process tree's: the RSS of the crawl and its workers, summed, sampled every
50 ms from ``/proc``; the peak of that sum is the figure (the crawl process's own peak, ``wait4``'s
``ru_maxrss``, is reported too). Goal: the tree's peak RSS over 10,000 pages is at most 1.2 × the
peak over 1,000 — nothing grows with the crawl but the duplicate filter.

Peak RSS is not timing noise, so one round is the default (``--rounds`` for more, alternated).
The 10,000-page archive is kept as ``/tmp/recapcrawl-bench/crawl-<recaps>.db`` for
``bench/reparse.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import bench, crawl_command, median, note, spread  # noqa: E402
from static_site import CACHE, StaticSite  # noqa: E402

GOAL = 1.2


def tree_rss_mb(root: int) -> float:
    """RSS of a process and all its descendants, summed, in MB (from /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        rss[int(entry.name)] = int(fields[21])  # pages
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(rss.get(pid, 0) for pid in tree) * os.sysconf("SC_PAGE_SIZE") / 2**20


class TreePeak:
    """Samples a process tree's summed RSS every ``interval`` seconds while it runs; ``peak`` in MB."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = 0.0
        self.done = threading.Event()

    def watch(self, pid: int) -> threading.Thread:
        def sample() -> None:
            while not self.done.is_set():
                self.peak = max(self.peak, tree_rss_mb(pid))
                time.sleep(self.interval)

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        return thread


def crawl(site: StaticSite, db: Path) -> tuple[float, dict, float, float]:
    """(peak RSS of the crawl and its workers in MB, the crawl's JSON summary, seconds, the crawl
    process's own peak RSS in MB)."""
    argv = crawl_command(site.url, db)
    peak = TreePeak()
    started = time.monotonic()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    sampler = peak.watch(process.pid)
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    peak.done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"crawl exited {os.waitstatus_to_exitcode(status)}")
    return max(peak.peak, usage.ru_maxrss / 1024), json.loads(out), seconds, usage.ru_maxrss / 1024


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
    own: dict[str, list[float]] = {"small": [], "large": []}
    pages: dict[str, int] = {}
    with (
        StaticSite(args.small) as small,
        StaticSite(args.large) as large,
        tempfile.TemporaryDirectory() as tmp,
    ):
        for round_no in range(1, args.rounds + 1):
            for name, site in (("small", small), ("large", large)):
                db = Path(tmp) / f"{name}{round_no}.db"
                peak, summary, seconds, parent = crawl(site, db)
                peaks[name].append(peak)
                own[name].append(parent)
                pages[name] = summary["pages_downloaded"]
                note(
                    f"memory round {round_no}: {name} site, {summary['pages_downloaded']} pages, "
                    f"{summary['recaps']} recaps in {seconds:.0f} s, peak RSS {peak:.0f} MB with the "
                    f"workers ({parent:.0f} MB the crawl process alone)"
                )
                if name == "large":
                    keep(db, args.large)
                db.unlink()
    ratios = [b / a for a, b in zip(peaks["small"], peaks["large"], strict=True)]
    bench(
        "memory.peak_rss_1k",
        f"{median(peaks['small']):.0f} MB ({pages['small']} pages; crawl and "
        f"extraction workers summed; the crawl process alone {median(own['small']):.0f} MB)",
    )
    bench(
        "memory.peak_rss_10k",
        f"{median(peaks['large']):.0f} MB ({pages['large']} pages; the crawl "
        f"process alone {median(own['large']):.0f} MB)",
    )
    if len(ratios) > 1:
        bench("memory.ratio_rounds", spread(ratios))
    bench("memory", f"{median(ratios):.3f}", f"<= {GOAL}")


if __name__ == "__main__":
    main()

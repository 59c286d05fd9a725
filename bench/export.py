"""Benchmark 5, export_vs_sqlite3: a full CSV export of the 1M-row comments table.

    python bench/export.py [--recaps 100000] [--comments-per-recap 10] [--rounds 3]

On the cached synthetic archive (``bench/archive.py``: 100k recaps, 1M comments), each round
exports every row of ``comments`` as CSV, one after the other (the order reversed every other round):

- ``sqlite3``: the sqlite3 command line's CSV mode (``sqlite3 -readonly -csv -header DB "select *
  from comments"``), the yardstick;
- ``recapcrawl export --format csv --table comments``;
- Datasette (served as ``recapcrawl serve`` serves it): the whole-table CSV route of the
  ``recap_export`` plugin, ``/-/export/comments.csv``, or where that plugin is missing Datasette's
  own ``/recaps/comments.csv?_stream=on&_size=max``.

Each output goes to a file; its rows are counted afterwards with Python's csv reader (not timed; an
output identical to an earlier round's, by sha256, is not counted again).
Goals: the median over rounds of rows/s relative to sqlite3's is at least 0.5 for both, and
every row is present in every export. For context, the export's ratio in CPU seconds (both are
single-threaded processes, so this one is hardly moved by other load on the machine).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from common import PYTHON, bench, median, note, run, spread  # noqa: E402
from search import start_datasette  # noqa: E402

from archive import archive_path  # noqa: E402

GOAL = 0.5


def count_rows(path: Path) -> int:
    """Data rows in a CSV file (header not counted; quoted newlines handled)."""
    with open(path, newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def via_sqlite3(db: Path, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of the sqlite3 command line writing the CSV to ``out``."""
    script = 'exec sqlite3 -readonly -csv -header "$1" "select * from comments" > "$2"'
    done = run(["sh", "-c", script, "sh", str(db), str(out)])
    return done.seconds, done.cpu_seconds


def via_export(db: Path, out: Path) -> tuple[float, float]:
    done = run(
        [
            PYTHON,
            "-m",
            "recapcrawl.cli",
            "export",
            "--db",
            str(db),
            "--format",
            "csv",
            "--table",
            "comments",
            "--output",
            str(out),
        ]
    )
    return done.seconds, done.cpu_seconds


def datasette_path(base: str) -> str:
    """The plugin's whole-table CSV route when the plugin is installed, else Datasette's streamed CSV."""
    plugins = httpx.get(base + "/-/plugins.json", timeout=30).json()
    if any(plugin["name"] == "recap_export.py" for plugin in plugins):
        return "/-/export/comments.csv"
    return "/recaps/comments.csv?_stream=on&_size=max"


def via_datasette(url: str, out: Path) -> tuple[float, float]:
    started = time.monotonic()
    with httpx.stream("GET", url, timeout=None) as response:
        response.raise_for_status()
        with open(out, "wb") as handle:
            for chunk in response.iter_raw(1 << 20):
                handle.write(chunk)
    return time.monotonic() - started, float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recaps", type=int, default=100_000)
    parser.add_argument("--comments-per-recap", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-datasette", action="store_true", help="only sqlite3 and recapcrawl export")
    args = parser.parse_args()
    if not shutil.which("sqlite3"):
        raise SystemExit("export bench: the sqlite3 command line is missing (apt-get install sqlite3)")
    db = archive_path(args.recaps, args.comments_per_recap)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    total = conn.execute("select count(*) from comments").fetchone()[0]
    conn.close()
    ways = ["sqlite3", "export"] + ([] if args.skip_datasette else ["datasette"])
    seconds: dict[str, list[float]] = {way: [] for way in ways}
    cpu: dict[str, list[float]] = {way: [] for way in ways}
    counts: dict[str, set[int]] = {way: set() for way in ways}
    digests: dict[str, dict[str, int]] = {way: {} for way in ways}
    url = ""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        process, base = (None, "") if args.skip_datasette else start_datasette(db, tmp)
        try:
            if process is not None:
                url = base + datasette_path(base)
                note(f"export: Datasette's CSV from {url}")
            for round_no in range(1, args.rounds + 1):
                for way in ways if round_no % 2 else reversed(ways):
                    out = tmp / f"{way}.csv"
                    if way == "sqlite3":
                        wall, used = via_sqlite3(db, out)
                    elif way == "export":
                        wall, used = via_export(db, out)
                    else:
                        wall, used = via_datasette(url, out)
                    seconds[way].append(wall)
                    cpu[way].append(used)
                    digest = sha256_of(out)
                    if digest not in digests[way]:  # rows are counted once per distinct output
                        digests[way][digest] = count_rows(out)
                    counts[way].add(digests[way][digest])
                    out.unlink()
                timed = ", ".join(f"{w} {seconds[w][-1]:.1f} s" for w in ways)
                note(f"export round {round_no}: {timed}")
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    report(ways, seconds, cpu, counts, total, url)


def report(ways: list[str], seconds: dict, cpu: dict, counts: dict, total: int, url: str) -> None:
    for way in ways:
        rates = [total / s for s in seconds[way]]
        bench(
            f"export.{way}_rate",
            f"{median(rates):.0f} rows/s ({total} rows; rounds {spread(rates, 0)}; "
            f"rows written {sorted(counts[way])})",
        )
    cpu_ratios = [s / o for s, o in zip(cpu["sqlite3"], cpu["export"], strict=True)]
    used = f"median {median(cpu['sqlite3']):.2f} s and {median(cpu['export']):.2f} s"
    bench(
        "export_vs_sqlite3.cpu",
        f"{median(cpu_ratios):.3f} (sqlite3's CPU seconds / the export's: {used}; "
        f"rounds {spread(cpu_ratios)})",
    )
    for way in ways[1:]:
        ratios = [s / o for s, o in zip(seconds["sqlite3"], seconds[way], strict=True)]
        name = "export_vs_sqlite3" + ("" if way == "export" else ".datasette")
        bench(f"{name}.rounds", spread(ratios))
        bench(
            name,
            f"{median(ratios):.3f}" + (f" ({url.split('/', 3)[-1]})" if way == "datasette" else ""),
            f">= {GOAL}",
        )
    missing = sum(total - min(c) for c in counts.values())
    bench("export_vs_sqlite3.missing_rows", f"{missing} (of {total} in each of {len(ways)} exports)", "<= 0")


if __name__ == "__main__":
    main()

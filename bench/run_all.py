"""Run every benchmark in ``bench/`` in order and print all their lines, then a summary table.

    python bench/run_all.py                      # what `make bench` runs
    python bench/run_all.py --only search export # some of them
    python bench/run_all.py --skip pipeline
    python bench/run_all.py --quick              # a smoke run at a tenth of the sizes (not the figures)

Each script prints ``bench NAME: VALUE (goal GOAL)`` lines (and ``bench NAME: VALUE`` for context);
its progress notes (``# …``) go to standard error. The summary lists every figure with a goal and
whether it was met, as a Markdown table (the one in docs/performance.md), and the time each script
took. The exit status is 0 even when a goal is missed (benchmarks are not tests); it is 1 when a
script fails.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import BENCH, PYTHON, ROOT, met  # noqa: E402

# (name, script, arguments, --quick arguments): the order `make bench` runs them in. memory keeps
# the 10,000-page archive that reparse then reads, so memory runs first of the two.
SCRIPTS = [
    # benchmark 1: the whole extraction vs trafilatura (the sample blogs always; ../shared's pages when there)
    ("extract", "extract_vs_trafilatura.py", [], ["--rounds", "1"]),
    ("extract_body", "extract_body.py", [], None),  # body quality vs trafilatura (needs ../shared)
    ("recrawl", "recrawl.py", [], ["--recaps", "100"]),
    ("pipeline", "pipeline.py", [], ["--recaps", "200"]),
    ("storage", "storage_write.py", [], ["--recaps", "200"]),
    ("search", "search.py", [], ["--recaps", "10000", "--rounds", "1"]),
    ("export", "export.py", [], ["--recaps", "10000", "--rounds", "1"]),
    ("memory", "memory.py", [], ["--small", "38", "--large", "376"]),
    ("reparse", "reparse.py", [], ["--recaps", "376", "--rounds", "1"]),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help=", ".join(s[0] for s in SCRIPTS))
    parser.add_argument("--skip", nargs="+", metavar="NAME", default=[])
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the scripts run")
    args = parser.parse_args()
    chosen = [s for s in SCRIPTS if (not args.only or s[0] in args.only) and s[0] not in args.skip]
    results: list[tuple[str, str, str, bool]] = []
    timings: list[tuple[str, float, str]] = []
    failed = False
    started = time.monotonic()
    for name, script, extra, quick in chosen:
        if args.quick:
            if quick is None:
                continue
            extra = quick
        if name == "extract_body" and not (ROOT.parent / "shared" / "corpora").is_dir():
            print(f"# {name}: skipped (../shared/corpora is not here)", flush=True)
            timings.append((name, 0.0, "skipped"))
            continue
        print(f"# {name}: {script}", flush=True)
        begun = time.monotonic()
        process = subprocess.Popen(
            [PYTHON, str(BENCH / script), *extra], stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        for line in process.stdout:
            print(line, end="", flush=True)
            found = met(line)
            if found:
                results.append(found)
        status = process.wait()
        failed |= status != 0
        timings.append((name, time.monotonic() - begun, "ok" if status == 0 else f"failed ({status})"))
    total = time.monotonic() - started
    print("\n| benchmark | value | goal | met? |\n|---|---|---|---|")
    for name, value, goal, ok in results:
        print(f"| {name} | {value} | {goal} | {'yes' if ok else '**no**'} |")
    print("\n| script | seconds | status |\n|---|---|---|")
    for name, seconds, status in timings:
        print(f"| {name} | {seconds:.0f} | {status} |")
    print(f"\nbench total_time: {total / 60:.1f} min (goal <= 15 min)")
    print(f"# {sum(ok for *_, ok in results)} of {len(results)} goals met", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

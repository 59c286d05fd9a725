"""Shared pieces of the benchmarks: timed child processes, rounds, medians and the ``bench`` lines.

Every benchmark prints ``bench NAME: VALUE (goal GOAL)`` for a figure with a goal and
``bench NAME: VALUE`` for context. Goals are written ``>= X``, ``<= X`` (optionally with a unit
after the number); ``bench/run_all.py`` reads them back to say which were met.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
# Politeness off: loopback, our own server.
POLITENESS_OFF = [
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s",
    "CONCURRENT_REQUESTS=16",
]
# Invented show names for the generated recaps (bench/static_site.py uses them all, bench/synthetic.py
# the first ten).
SHOWS = [
    "Gullrock Nights",
    "Longhaul Station",
    "Mise en Place",
    "The Understudy",
    "Copper Coast",
    "Saltmarsh",
    "Night Ferry",
    "The Orchard House",
    "Signal Lost",
    "Quiet Harbour",
    "Ironbridge",
    "The Lantern Room",
    "Parallel Kitchens",
    "Cold Case Cove",
    "Starboard",
    "High Meadow",
]
GOAL = re.compile(
    r"^bench (?P<name>\S+): (?P<value>\S+)(?P<rest>.*?)\(goal (?P<op>[<>]=) (?P<goal>[\d.]+)(?P<unit>[^)]*)\)"
)


@dataclass
class Run:
    """One finished child process: wall and CPU seconds, peak RSS and what it printed."""

    seconds: float
    cpu_seconds: float
    max_rss_mb: float
    stdout: str
    stderr: str
    returncode: int

    @property
    def cores(self) -> float:
        """CPU seconds per wall second: 1.0 is one core kept busy."""
        return self.cpu_seconds / self.seconds if self.seconds else 0.0


def run(argv: list[str], check: bool = True, env: dict | None = None, cwd: Path | None = None) -> Run:
    """Run a command to completion; its own peak RSS and CPU time come from ``wait4``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        done = Run(
            seconds,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            process.returncode,
        )
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} exited {done.returncode}:\n{done.stderr[-4000:]}")
    return done


def crawl_command(url: str, db: Path) -> list[str]:
    """``recapcrawl crawl URL --db DB --quiet --json``, politeness off: prints only its JSON summary."""
    options = ["--quiet", "--json", *POLITENESS_OFF]
    return [PYTHON, "-m", "recapcrawl.cli", "crawl", url, "--db", str(db), *options]


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float], digits: int = 3) -> str:
    """The per-round values, for the record: ``[0.91, 0.93, 0.95]``."""
    return "[" + ", ".join(f"{v:.{digits}f}" for v in values) + "]"


def bench(name: str, value: str, goal: str | None = None) -> None:
    """Print one ``bench`` line (flushed, so a long run shows progress)."""
    print(f"bench {name}: {value}" + (f" (goal {goal})" if goal else ""), flush=True)


def note(text: str) -> None:
    """Progress and context on standard error (not a result line)."""
    print(f"# {text}", file=sys.stderr, flush=True)


def met(line: str) -> tuple[str, str, str, bool] | None:
    """(name, value, goal, met) for a ``bench`` line with a goal, else None."""
    found = GOAL.match(line.strip())
    if not found:
        return None
    value = float(re.match(r"[\d.]+", found["value"])[0])
    goal = float(found["goal"])
    ok = value >= goal if found["op"] == ">=" else value <= goal
    goal_text = f"{found['op']} {found['goal']}{found['unit'].rstrip()}"
    return found["name"], found["value"] + found["rest"].rstrip(), goal_text, ok

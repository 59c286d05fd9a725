"""Run the fault suite and print its figures: per category, the kinds of fault tried, the tests and how
they ended, the crawls and how many survived, and the records lost or duplicated.

    .venv/bin/python tests/fault_report.py                      # runs `pytest -m faults`, prints the table
    .venv/bin/python tests/fault_report.py --update docs/reliability.md --json faults.json
    .venv/bin/python tests/fault_report.py -- -k servers        # anything after -- goes to pytest

Each fault module names its category (``FAULT_CATEGORY``) and records its figures from a
``test_figures`` test (``record_property("fault_figures", {...})``). Exit status: pytest's.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
ORDER = [
    "Bad input",
    "Broken servers",
    "Fuzzing",
    "Kills and concurrency",
    "Hostile content",
    "Security rules",
]
START, END = "<!-- fault-table:start -->", "<!-- fault-table:end -->"


class Collector:
    """A pytest plugin that files every test's outcome and every recorded figure under its category."""

    def __init__(self) -> None:
        self.category: dict[str, str] = {}
        self.outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.figures: dict[str, dict] = {}
        self.bugs: list[tuple[str, str, str]] = []  # (category, test id, reason)
        self.failures: list[str] = []
        self.extra: dict[str, dict] = defaultdict(dict)

    def pytest_collection_modifyitems(self, items) -> None:
        for item in items:
            self.category[item.nodeid] = getattr(item.module, "FAULT_CATEGORY", item.module.__name__)

    def pytest_runtest_logreport(self, report) -> None:
        category = self.category.get(report.nodeid, "other")
        for name, value in report.user_properties:
            if name == "fault_figures":
                self.figures[value.get("category", category)] = value
            else:
                self.extra[category][name] = value
        if report.when == "call" or (report.when == "setup" and not report.passed):
            if hasattr(report, "wasxfail"):
                outcome = "xfailed" if report.skipped else "xpassed"
                if report.skipped:
                    self.bugs.append((category, report.nodeid, report.wasxfail))
            else:
                outcome = report.outcome
            self.outcomes[category][outcome] += 1
            if outcome in ("failed", "xpassed"):
                self.failures.append(report.nodeid)


def table(collector: Collector) -> list[dict]:
    rows = []
    for category in [*ORDER, *sorted(set(collector.outcomes) - set(ORDER))]:
        outcomes = collector.outcomes.get(category)
        if not outcomes:
            continue
        figures = collector.figures.get(category, {})
        lost = figures.get("lost", [])
        rows.append(
            {
                "category": category,
                "kinds": len(figures.get("kinds", [])),
                "tests": sum(outcomes.values()),
                "passed": outcomes.get("passed", 0),
                "known_bugs": outcomes.get("xfailed", 0),
                "failed": outcomes.get("failed", 0) + outcomes.get("xpassed", 0),
                "skipped": outcomes.get("skipped", 0),
                "crawls": figures.get("crawls", 0),
                "survived": figures.get("survived", 0),
                "expected_recaps": figures.get("expected_recaps", 0),
                "lost": len(lost) if isinstance(lost, list) else lost,
                "lost_comments": figures.get("lost_comments", 0),
                "duplicated": figures.get("duplicated", 0),
                "examples": sum(figures.get("examples", {}).values()),
                "pages_checked": collector.extra.get(category, {}).get("pages_checked", 0),
                "reader_requests": figures.get("reader_requests", 0),
                "reader_errors": figures.get("reader_errors", 0),
                "kills": figures.get("kills", 0),
                "refused": figures.get("refused", 0),
            }
        )
    return rows


def markdown(rows: list[dict], collector: Collector, seconds: float, command: str) -> str:
    lines = [
        "| category | kinds tried | tests: passed / known bugs (strict xfail) / failed | crawls survived "
        "| recaps expected | lost | duplicated | notes |",
        "|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        crawls = f"{r['survived']} / {r['crawls']}" if r["crawls"] else "—"
        notes = []
        if r["examples"]:
            notes.append(f"{r['examples']} generated pages")
        if r["kills"]:
            notes.append(f"{r['kills']} SIGKILLs, then resumed")
        if r["refused"]:
            notes.append(f"concurrent crawls refused with a clear message: {r['refused']}")
        if r["reader_requests"]:
            notes.append(f"{r['reader_requests']} reads during a crawl, {r['reader_errors']} errors")
        if r["pages_checked"]:
            notes.append(f"{r['pages_checked']} Datasette pages checked")
        if r["lost_comments"]:
            notes.append(f"{r['lost_comments']} comments lost")
        cells = [
            r["category"],
            r["kinds"] or "—",
            f"{r['passed']} / {r['known_bugs']} / {r['failed']}",
            crawls,
            r["expected_recaps"] or "—",
            r["lost"],
            r["duplicated"],
            "; ".join(notes),
        ]
        lines.append("| " + " | ".join(map(str, cells)) + " |")
    keys = (
        "kinds",
        "passed",
        "known_bugs",
        "failed",
        "crawls",
        "survived",
        "expected_recaps",
        "lost",
        "duplicated",
    )
    total = {k: sum(r[k] for r in rows) for k in keys}
    cells = [
        "all",
        total["kinds"],
        f"{total['passed']} / {total['known_bugs']} / {total['failed']}",
        f"{total['survived']} / {total['crawls']}",
        total["expected_recaps"],
        total["lost"],
        total["duplicated"],
    ]
    lines.append("| " + " | ".join(f"**{c}**" for c in cells) + " | |")
    lines += ["", f"From `{command}` ({seconds:.0f} s, {time.strftime('%Y-%m-%d')})."]
    if collector.bugs:
        lines += [
            "",
            "Known bugs, each a strict xfail (it fails the suite the day it is fixed, so the mark goes):",
            "",
        ]
        for category, nodeid, reason in collector.bugs:
            short = re.sub(r"\s+", " ", reason).split(". ")[0].removeprefix("BUG").lstrip(" :").rstrip(".")
            lines.append(f"- {category}: `{nodeid.split('::', 1)[1]}` — {short}.")
    return "\n".join(lines)


def update(doc: Path, text: str) -> None:
    content = doc.read_text(encoding="utf-8")
    if START not in content or END not in content:
        raise SystemExit(f"{doc} has no {START} … {END} block to replace")
    head, rest = content.split(START, 1)
    _, tail = rest.split(END, 1)
    doc.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", type=Path, help="replace the fault table in this Markdown file")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--from-json", type=Path, help="render a table saved with --json; run nothing")
    parser.add_argument("pytest_args", nargs="*", help="after --: more pytest arguments")
    args = parser.parse_args(argv)
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        collector = Collector()
        collector.bugs = [tuple(b) for b in saved["bugs"]]
        text = markdown(saved["rows"], collector, saved["seconds"], "python tests/fault_report.py")
        print(text)
        if args.update:
            update(args.update, text)
        return 0
    collector = Collector()
    sys.path.insert(0, str(TESTS))
    started = time.monotonic()
    pytest_args = ["-m", "faults", "-q", "-p", "no:cacheprovider", str(TESTS), *args.pytest_args]
    status = pytest.main(pytest_args, plugins=[collector])
    seconds = time.monotonic() - started
    rows = table(collector)
    text = markdown(rows, collector, seconds, "python tests/fault_report.py")
    print("\n" + text)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "rows": rows,
                    "figures": collector.figures,
                    "bugs": collector.bugs,
                    "failures": collector.failures,
                    "seconds": round(seconds, 1),
                },
                indent=1,
                default=str,
            )
        )
    if args.update:
        update(args.update, text)
    return int(status)


if __name__ == "__main__":
    sys.exit(main())

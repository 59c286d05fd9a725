"""Benchmark 3, storage_vs_raw: recaps written through the storage module vs the same rows raw.

    python bench/storage_write.py [--recaps 2000] [--rounds 3]

Each round writes the same synthetic recaps (``bench/synthetic.py``: 14 paragraphs, 3 headings,
3 bullets, a quote and 16 comments each, like the generated site's) into two fresh archives with
the full schema (indexes, full-text triggers), alternately:

- storage: ``storage.save_recap_changes`` per recap, as the crawl's archive pipeline calls it — one
  transaction per recap, so a recap is never half-written;
- raw: the same rows (``recap_row`` / ``child_rows`` output, built before the clock starts) with
  sqlite-utils ``insert_all`` per table, all inside one ``db.atomic()``.

Goal: the median of rate(storage) / rate(raw) is at least 0.8. For context, the same ratio with the
raw side also timed building its rows from the recap dicts is printed too. After each storage run,
every recap is checked to have all its children (atomic and complete).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import bench, median, note, spread  # noqa: E402
from synthetic import recaps as make_recaps  # noqa: E402

from recapcrawl import storage  # noqa: E402

GOAL = 0.8
SEEN = "2024-06-01T00:00:00+00:00"


def raw_rows(recaps: list[dict]) -> dict[str, list[dict]]:
    """Every row of every table for these recaps, ids assigned, as the storage module would write them."""
    tables: dict[str, list[dict]] = {"recaps": [], **{t: [] for t in storage.CHILD_TABLES}}
    for recap_id, recap in enumerate(recaps, start=1):
        sources = [{"url": recap["url"], "sha256": "0" * 64}]
        row = storage.recap_row(recap, SEEN)
        row.update(id=recap_id, first_seen=SEEN, crawl_id=1, sources=storage.recaps._json(sources),
                   comments_complete=1, content_sha256=storage.recaps.content_hash(recap))  # fmt: skip
        tables["recaps"].append(row)
        for table, rows in storage.child_rows(recap_id, recap).items():
            if table == "comments":
                for comment in rows:
                    comment.update(first_seen=SEEN, last_seen=SEEN, removed_at=None)
            tables[table] += rows
    return tables


def fresh_db(path: Path):
    db = storage.open_db(path)
    storage.start_crawl(db, ["https://reviews.example/"], {})
    return db


def write_storage(path: Path, recaps: list[dict]) -> float:
    db = fresh_db(path)
    started = time.perf_counter()
    for recap in recaps:
        storage.save_recap_changes(db, recap, seen_at=SEEN, crawl_id=1,
                                   sources=[{"url": recap["url"], "sha256": "0" * 64}])  # fmt: skip
    seconds = time.perf_counter() - started
    check(db, recaps)
    db.close()
    return seconds


def write_raw(path: Path, tables: dict[str, list[dict]]) -> float:
    db = fresh_db(path)
    started = time.perf_counter()
    with db.atomic():
        for table, rows in tables.items():
            db[table].insert_all(rows)
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def check(db, recaps: list[dict]) -> None:
    """Every recap is there with all its children."""
    expected = {t: sum(len(r[t]) for r in recaps) for t in storage.CHILD_TABLES}
    found = {t: db.execute(f"select count(*) from [{t}]").fetchone()[0] for t in storage.CHILD_TABLES}
    count = db.execute("select count(*) from recaps").fetchone()[0]
    if count != len(recaps) or found != expected:
        raise SystemExit(f"storage wrote {count} recaps and {found}, expected {len(recaps)} and {expected}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recaps", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    recaps = make_recaps(args.recaps, seed=3, paragraphs=14, comments=16)
    tables = raw_rows(recaps)
    rows = sum(len(v) for v in tables.values())
    ratios, storage_rates, raw_rates, built_ratios = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for round_no in range(1, args.rounds + 1):
            stored = write_storage(Path(tmp) / f"storage{round_no}.db", recaps)
            raw = write_raw(Path(tmp) / f"raw{round_no}.db", tables)
            started = time.perf_counter()
            raw_rows(recaps)
            building = time.perf_counter() - started
            built_ratios.append((raw + building) / stored)
            storage_rates.append(len(recaps) / stored)
            raw_rates.append(len(recaps) / raw)
            ratios.append(storage_rates[-1] / raw_rates[-1])
            note(f"storage round {round_no}: storage {stored:.2f} s, raw {raw:.2f} s, ratio {ratios[-1]:.3f}")
    bench("storage.module_rate", f"{median(storage_rates):.0f} recaps/s ({len(recaps)} recaps, {rows} rows, "
          f"one transaction per recap)")  # fmt: skip
    bench("storage.raw_rate", f"{median(raw_rates):.0f} recaps/s (insert_all per table, one transaction)")
    bench("storage.ratio_rounds", spread(ratios))
    bench("storage.ratio_with_row_building", f"{median(built_ratios):.3f} (raw timed with building its rows "
          f"from the recaps too; rounds {spread(built_ratios)})")  # fmt: skip
    bench("storage_vs_raw", f"{median(ratios):.3f}", f">= {GOAL}")


if __name__ == "__main__":
    main()

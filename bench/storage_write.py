"""Benchmark 3, storage_vs_raw: recaps written through the storage module vs the same rows raw.

    python bench/storage_write.py [--recaps 2000] [--rounds 3] [--batch 100]

Each round writes the same synthetic recaps (``bench/synthetic.py``: 14 paragraphs, 3 headings,
3 bullets, a quote and 16 comments each, like the generated site's) into three fresh archives with
the full schema (indexes, full-text triggers), the order of the sides alternating between rounds:

- storage: ``storage.save_recaps`` in batches of ``--batch`` recaps (100, the most the crawl's
  archive pipeline collects), one transaction per batch, built from the recap dicts inside the timed
  part; a recap is never half-written (a batch holds whole recaps, all or nothing);
- raw: the same rows (``recap_row`` / ``child_rows`` output, built before the clock starts) with
  sqlite-utils ``insert_all`` per table, all inside one ``db.atomic()``;
- per recap (context): ``storage.save_recap_changes`` per recap, one transaction each.

Goal: the median of rate(storage) / rate(raw) is at least 0.8. For context, the per-recap ratio and
the batched ratio with the raw side also timed building its rows from the recap dicts are printed
too. After each run every recap is checked to have all its children, and each storage archive to
hold exactly the raw archive's rows, table by table.
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
        row.update(
            id=recap_id,
            first_seen=SEEN,
            crawl_id=1,
            sources=storage.recaps._json(sources),
            comments_complete=1,
            content_sha256=storage.recaps.content_hash(recap),
        )
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


CPU: dict[str, float] = {}  # CPU seconds of each timed write, by archive file name


def sources(recap: dict) -> list[dict]:
    return [{"url": recap["url"], "sha256": "0" * 64}]


def write_batches(path: Path, recaps: list[dict], size: int) -> float:
    """``save_recaps`` a batch of ``size`` recaps at a time."""
    db = fresh_db(path)
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(recaps), size):
        batch = [{"recap": recap, "sources": sources(recap)} for recap in recaps[start : start + size]]
        storage.save_recaps(db, batch, seen_at=SEEN, crawl_id=1)
    seconds, CPU[path.name] = time.perf_counter() - started, time.process_time() - cpu
    check(db, recaps)
    db.close()
    return seconds


def write_each(path: Path, recaps: list[dict]) -> float:
    """``save_recap_changes`` per recap, one transaction each."""
    db = fresh_db(path)
    started, cpu = time.perf_counter(), time.process_time()
    for recap in recaps:
        storage.save_recap_changes(db, recap, seen_at=SEEN, crawl_id=1, sources=sources(recap))
    seconds, CPU[path.name] = time.perf_counter() - started, time.process_time() - cpu
    check(db, recaps)
    db.close()
    return seconds


def write_raw(path: Path, tables: dict[str, list[dict]]) -> float:
    db = fresh_db(path)
    started, cpu = time.perf_counter(), time.process_time()
    with db.atomic():
        for table, rows in tables.items():
            db[table].insert_all(rows)
    seconds, CPU[path.name] = time.perf_counter() - started, time.process_time() - cpu
    db.close()
    return seconds


def check(db, recaps: list[dict]) -> None:
    """Every recap is there with all its children."""
    expected = {t: sum(len(r[t]) for r in recaps) for t in storage.CHILD_TABLES}
    found = {t: db.execute(f"select count(*) from [{t}]").fetchone()[0] for t in storage.CHILD_TABLES}
    count = db.execute("select count(*) from recaps").fetchone()[0]
    if count != len(recaps) or found != expected:
        raise SystemExit(f"storage wrote {count} recaps and {found}, expected {len(recaps)} and {expected}")


def same_rows(path: Path, raw: Path) -> None:
    """The archive at ``path`` holds exactly the rows of the raw one, in every table written."""
    db = storage.open_db(path)
    db.execute("attach database ? as raw", [str(raw)])
    for table in ("recaps", *storage.CHILD_TABLES):
        count = "select count(*) from {}.[{}]"
        ours, theirs = (db.execute(count.format(side, table)).fetchone()[0] for side in ("main", "raw"))
        differ = db.execute(
            f"select count(*) from (select * from main.[{table}] except select * from raw.[{table}])"
        ).fetchone()[0]
        if differ or ours != theirs:
            raise SystemExit(f"{path.name} {table}: {ours} rows, {differ} not among raw's {theirs}")
    db.close()


def one_round(tmp: Path, round_no: int, recaps: list[dict], tables: dict, size: int) -> dict[str, float]:
    """Seconds for each side (plus building the raw rows), in an order that alternates by round."""
    sides = {
        "batched": lambda: write_batches(tmp / f"batched{round_no}.db", recaps, size),
        "raw": lambda: write_raw(tmp / f"raw{round_no}.db", tables),
        "each": lambda: write_each(tmp / f"each{round_no}.db", recaps),
    }
    order = list(sides) if round_no % 2 else list(reversed(sides))
    seconds = {side: sides[side]() for side in order}
    started = time.perf_counter()
    raw_rows(recaps)
    seconds["building"] = time.perf_counter() - started
    seconds["cpu_ratio"] = CPU[f"raw{round_no}.db"] / CPU[f"batched{round_no}.db"]
    for side in ("batched", "each"):
        same_rows(tmp / f"{side}{round_no}.db", tmp / f"raw{round_no}.db")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recaps", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=100, help="recaps per save_recaps call")
    args = parser.parse_args()
    recaps = make_recaps(args.recaps, seed=3, paragraphs=14, comments=16)
    tables = raw_rows(recaps)
    rows = sum(len(v) for v in tables.values())
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for round_no in range(1, args.rounds + 1):
            runs.append(one_round(Path(tmp), round_no, recaps, tables, args.batch))
            s = runs[-1]
            note(
                f"storage round {round_no}: save_recaps {s['batched']:.2f} s, raw {s['raw']:.2f} s, "
                f"per recap {s['each']:.2f} s, ratio {s['raw'] / s['batched']:.3f}"
            )
    ratios = [s["raw"] / s["batched"] for s in runs]
    each_ratios = [s["raw"] / s["each"] for s in runs]
    built_ratios = [(s["raw"] + s["building"]) / s["batched"] for s in runs]
    rate = median([len(recaps) / s["batched"] for s in runs])
    bench(
        "storage.module_rate",
        f"{rate:.0f} recaps/s ({len(recaps)} recaps, {rows} rows; save_recaps, "
        f"{args.batch} recaps per call and transaction)",
    )
    bench(
        "storage.raw_rate",
        f"{median([len(recaps) / s['raw'] for s in runs]):.0f} recaps/s "
        f"(insert_all per table, one transaction)",
    )
    bench(
        "storage.per_recap_rate",
        f"{median([len(recaps) / s['each'] for s in runs]):.0f} recaps/s "
        f"(save_recap_changes, one transaction per recap; ratio to raw {median(each_ratios):.3f}, "
        f"rounds {spread(each_ratios)})",
    )
    bench("storage.ratio_rounds", spread(ratios))
    cpu_ratios = [s["cpu_ratio"] for s in runs]
    bench("storage.ratio_cpu", f"{median(cpu_ratios):.3f} (in CPU seconds; rounds {spread(cpu_ratios)})")
    bench(
        "storage.ratio_with_row_building",
        f"{median(built_ratios):.3f} (raw timed with building its rows "
        f"from the recaps too; rounds {spread(built_ratios)})",
    )
    bench("storage_vs_raw", f"{median(ratios):.3f}", f">= {GOAL}")


if __name__ == "__main__":
    main()

"""The large synthetic archive used by the search and export benchmarks, built once and cached.

    python bench/archive.py [--recaps 100000] [--comments-per-recap 10]   # build (or find) it, print its path

Recaps come from ``bench/synthetic.py`` and are written through the storage module
(``storage.save_recaps``: whole recaps with all their children, full-text triggers firing), a
thousand recaps per call and transaction. The file is cached under
``/tmp/recapcrawl-bench/`` and named after a fingerprint of the schema (``storage/schema.py``), the
generator's version and the sizes, so a schema change builds a new one.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import synthetic  # noqa: E402
from common import ROOT, note  # noqa: E402
from static_site import CACHE  # noqa: E402
from synthetic import recaps as make_recaps  # noqa: E402

from recapcrawl import storage  # noqa: E402

BATCH = 1000
SEEN = "2024-06-01T00:00:00+00:00"


def fingerprint(recaps: int, comments: int) -> str:
    digest = hashlib.sha256(f"{recaps}/{comments}/{synthetic.VERSION}".encode())
    digest.update((ROOT / "recapcrawl" / "storage" / "schema.py").read_bytes())
    return digest.hexdigest()[:12]


def archive_path(recaps: int = 100_000, comments: int = 10) -> Path:
    """The cached archive of ``recaps`` synthetic recaps, ``comments`` comments each (built if missing)."""
    path = CACHE / f"archive-{recaps}-{comments}-{fingerprint(recaps, comments)}.db"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    for stale in CACHE.glob(f"archive-{recaps}-{comments}-*.db*"):
        stale.unlink()
    partial = path.with_suffix(".partial")
    for leftover in CACHE.glob(partial.name + "*"):
        leftover.unlink()
    started = time.monotonic()
    db = storage.open_db(partial)
    for start in range(0, recaps, BATCH):
        batch = make_recaps(min(BATCH, recaps - start), seed=start + 1, start=start, comments=comments)
        storage.save_recaps(db, [{"recap": recap} for recap in batch], seen_at=SEEN)
        if start and start % (BATCH * 20) == 0:
            note(f"archive: {start} recaps written in {time.monotonic() - started:.0f} s")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    partial.rename(path)
    note(
        f"archive: {recaps} recaps, {recaps * comments} comments built through the storage module in "
        f"{time.monotonic() - started:.0f} s → {path}"
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recaps", type=int, default=100_000)
    parser.add_argument("--comments-per-recap", type=int, default=10)
    args = parser.parse_args()
    print(archive_path(args.recaps, args.comments_per_recap))


if __name__ == "__main__":
    main()

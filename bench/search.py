"""Benchmark 4, search_latency: 20 searches over a 100k-recap, 1M-comment archive, served by Datasette.

    python bench/search.py [--recaps 100000] [--comments-per-recap 10] [--rounds 5]

The archive is synthetic (``bench/synthetic.py``) and written through the storage module
(``storage.save_recap``, each recap its own savepoint, committed a thousand at a time); it is
built once into ``/tmp/recapcrawl-bench/`` and reused while the schema and generator are unchanged
(``archive.py`` uses the same file). It is served the way ``recapcrawl serve`` serves it
(``publish.datasette_command``: immutable, the archive's metadata, plugins and settings).

Twenty searches — rare, common and very common words, AND of two words, prefixes and phrases —
go, round after round, through three URLs:

- ``json``: Datasette's table JSON API, ``/recaps/comments.json?_search=…`` (the 1M-row table);
- ``search.json``: the search plugin's JSON, ``/-/search.json?q=…``;
- ``page``: the reader's search page, ``/-/search?q=…``.

Goals over every request: median ≤ 20 ms, 95th percentile ≤ 200 ms, and none over Datasette's
time limit (``sql_time_limit_ms``; a request that took longer or answered with an error counts).
Printed: median, p95 and max per URL and per kind of search, and the hits the search plugin reports
(counts stop at 10,000 per index: "40,000+" is four capped indexes).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from common import bench, median, note  # noqa: E402

from archive import archive_path  # noqa: E402
from recapcrawl.publish import archive_dir, archive_settings, datasette_command  # noqa: E402

# (kind, query): rare, common and very common terms, two-word ANDs, prefixes and phrases.
SEARCHES = [
    ("rare", "ferrowind"),
    ("rare", "quellbridge"),
    ("rare", "marigold"),
    ("rare", "Cormac"),
    ("common", "lighthouse"),
    ("common", "pilot"),
    ("common", "twist"),
    ("very common", "the"),
    ("very common", "episode"),
    ("very common", "scene"),
    ("very common", "season"),
    ("and", "lighthouse scene"),
    ("and", "marigold the"),
    ("and", "season episode"),
    ("prefix", "light*"),
    ("prefix", "epi*"),
    ("phrase", '"the lighthouse again"'),
    ("phrase", '"the episode"'),
    ("phrase", '"the ferrowind"'),
    ("phrase", '"love the"'),
]
ENDPOINTS = {
    "json": "/recaps/comments.json?_search={q}&_size=20",
    "search.json": "/-/search.json?q={q}",
    "page": "/-/search?q={q}",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_datasette(db: Path, tmp: Path) -> tuple[subprocess.Popen, str]:
    """Datasette on a free port, as ``recapcrawl serve`` runs it; the file is linked as ``recaps.db``
    so the archive's metadata (keyed by the database name ``recaps``) applies."""
    served = tmp / "recaps.db"
    served.symlink_to(db)
    port = free_port()
    process = subprocess.Popen(
        datasette_command(served, port=port, immutable=True),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/-/versions.json", timeout=5).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("Datasette did not start")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recaps", type=int, default=100_000)
    parser.add_argument("--comments-per-recap", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    db = archive_path(args.recaps, args.comments_per_recap)
    limit_ms = float(archive_settings(archive_dir()).get("sql_time_limit_ms", 1000))
    tmp = tempfile.TemporaryDirectory()
    process, base = start_datasette(db, Path(tmp.name))
    timings: dict[str, list[float]] = {name: [] for name in ENDPOINTS}
    by_kind: dict[str, list[float]] = {kind: [] for kind, _ in SEARCHES}
    slowest: dict[tuple[str, str], float] = {}
    over: list[str] = []
    hits: dict[str, str] = {}
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            client.get(ENDPOINTS["page"].format(q="warmup"))
            for _ in range(args.rounds):
                for kind, q in SEARCHES:
                    for name, template in ENDPOINTS.items():
                        started = time.perf_counter()
                        response = client.get(template.format(q=quote(q)))
                        ms = (time.perf_counter() - started) * 1000
                        timings[name].append(ms)
                        by_kind[kind].append(ms)
                        slowest[(name, q)] = max(ms, slowest.get((name, q), 0.0))
                        if response.status_code != 200 or ms > limit_ms:
                            over.append(f"{name} {q!r}: HTTP {response.status_code}, {ms:.0f} ms")
                        elif name == "search.json":
                            found = response.json()
                            hits[q] = f"{found['total']:,}" + ("+" if found.get("counts_capped") else "")
    finally:
        process.terminate()
        process.wait(timeout=30)
        tmp.cleanup()
    every = [ms for values in timings.values() for ms in values]
    for name, values in timings.items():
        worst = sorted(((ms, q) for (n, q), ms in slowest.items() if n == name), reverse=True)[:3]
        worst_text = ", ".join(f"{q} {ms:.0f} ms" for ms, q in worst)
        bench(
            f"search.{name}",
            f"median {median(values):.1f} ms, p95 {percentile(values, 0.95):.0f} ms, "
            f"max {max(values):.0f} ms; slowest: {worst_text}",
        )
    for kind, values in by_kind.items():
        spread_ms = f"p95 {percentile(values, 0.95):.0f} ms, max {max(values):.0f} ms"
        bench(f"search.kind.{kind.replace(' ', '_')}", f"median {median(values):.1f} ms, {spread_ms}")
    bench("search.hits", ", ".join(f"{q} {n}" for q, n in hits.items()))
    for line in sorted(set(over))[:10]:
        note(f"search over the limit or failed: {line}")
    size = f"{args.recaps} recaps, {args.recaps * args.comments_per_recap} comments, {len(every)} requests"
    bench("search.archive", f"{size}, {os.path.getsize(db) / 1e9:.2f} GB")
    bench("search_latency.median", f"{median(every):.1f} ms", "<= 20 ms")
    bench("search_latency.p95", f"{percentile(every, 0.95):.0f} ms", "<= 200 ms")
    bench("search_latency.over_time_limit", f"{len(over)} requests (limit {limit_ms:.0f} ms)", "<= 0")


if __name__ == "__main__":
    main()

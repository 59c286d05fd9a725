#!/usr/bin/env python3
"""Body extraction benchmark: recapcrawl's extractor beside trafilatura, quality and speed.

Runs on the Scrapinghub article-extraction benchmark (181 real news and blog pages, ``html/*.html.gz``
with ``ground-truth.json``), by default the copy in ``../shared/corpora``:

    .venv/bin/python bench/extract_body.py                 # both systems, F1 and pages/s side by side
    .venv/bin/python bench/extract_body.py --out /tmp/b    # also keep both prediction files

recapcrawl runs its whole extraction per page (``cli.dev.extract_page``: metadata, episode,
verdict, body split, quotes and speakers, comments) on the raw bytes, exactly as
``recapcrawl extract`` does; its body text is ``body_text``. trafilatura 2.x runs with
``favor_precision=True, include_comments=False`` on the decoded text (its fastest input). Both
are timed over the same pages in memory, best of ``--rounds`` passes, after a warm-up page.
Quality is scored with ``../shared/eval/score_body.py`` (4-gram shingle P/R/F1).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "article-extraction-benchmark"
SCORER = ROOT.parent / "shared" / "eval" / "score_body.py"


def load_pages(corpus: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    """Page bytes (gzip or plain files) and each page's URL from the ground truth."""
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {}
    for path in sorted((corpus / "html").iterdir()):
        page_id = path.name.split(".", 1)[0]
        data = path.read_bytes()
        pages[page_id] = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    urls = {
        k: (v.get("url") if isinstance(v, dict) else None) or f"https://benchmark.example/{k}"
        for k, v in truth.items()
    }
    return pages, urls


def timed(run: Callable[[str], str], ids: list[str], rounds: int) -> tuple[dict[str, str], float]:
    """Every page's text and the best pages/s over ``rounds`` passes."""
    run(ids[0])  # warm-up: imports, caches
    best, out = 0.0, {}
    for _ in range(rounds):
        start = time.perf_counter()
        out = {page_id: run(page_id) or "" for page_id in ids}
        best = max(best, len(ids) / (time.perf_counter() - start))
    return out, best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--scorer", type=Path, default=SCORER)
    parser.add_argument("--rounds", type=int, default=2, help="timed passes per system (best is kept)")
    parser.add_argument("--out", type=Path, help="directory for the two prediction files")
    parser.add_argument("--only", choices=("recapcrawl", "trafilatura"), help="run one system")
    args = parser.parse_args(argv)

    import trafilatura

    from recapcrawl.cli.dev import extract_page
    from recapcrawl.extraction.dom import decode_body

    pages, urls = load_pages(args.corpus)
    ids = sorted(pages)
    texts = {k: decode_body(v)[0] for k, v in pages.items()}
    systems = {
        "recapcrawl": lambda k: extract_page(pages[k], urls[k])["body_text"],
        "trafilatura": lambda k: trafilatura.extract(texts[k], favor_precision=True, include_comments=False),
    }
    if args.only:
        systems = {args.only: systems[args.only]}
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="extract-body-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    speed = {}
    for name, run in systems.items():
        predictions, speed[name] = timed(run, ids, args.rounds)
        (out_dir / f"{name}.json").write_text(json.dumps(predictions, ensure_ascii=False), encoding="utf-8")

    spec = importlib.util.spec_from_file_location("score_body", args.scorer)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    truth = scorer.load_ground_truth(args.corpus / "ground-truth.json")
    print(
        f"corpus: {args.corpus.name} ({len(ids)} pages); scorer: {args.scorer.name};"
        f" best of {args.rounds} passes"
    )
    print(f"{'system':<14} {'F1':>7} {'precision':>10} {'recall':>8} {'pages/s':>9}")
    for name in systems:
        predictions, _ = scorer.load_prediction(out_dir / f"{name}.json")
        metrics, _, _ = scorer.score(truth, predictions, n_bootstrap=0)
        print(
            f"{name:<14} {metrics['f1']:>7.3f} {metrics['precision']:>10.3f} {metrics['recall']:>8.3f}"
            f" {speed[name]:>9.1f}"
        )
    if len(speed) == 2:
        print(f"speed ratio recapcrawl/trafilatura: {speed['recapcrawl'] / speed['trafilatura']:.2f}")
    print(f"predictions: {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

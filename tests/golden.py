"""Golden extraction cases: ``tests/pages/<site>/<case>.html`` beside ``<case>.json``.

Each JSON holds the URL the page was fetched from, the recap verdict and, for recaps, the
export contract. Review the output before accepting it:

    python tests/golden.py                       # rewrite every golden file from the current code
    python tests/golden.py tests/pages/x/y.html  # just one
    git diff tests/pages                         # read what changed
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PAGES = Path(__file__).parent / "pages"
FIELDS = [
    "url",
    "site",
    "title",
    "author",
    "author_url",
    "published",
    "modified",
    "show",
    "season",
    "episode",
    "episode_title",
    "categories",
    "tags",
    "platform",
    "headings",
    "paragraphs",
    "bullets",
    "quotes",
    "comments",
]


# What a recap says about itself: its title, author and date, and the episode it covers. The JSONL
# export and the archive's recaps table both carry these.
RECAP_META_FIELDS = ("title", "author", "published", "show", "season", "episode", "episode_title")


def cases() -> list[Path]:
    return sorted(PAGES.glob("*/*.html"))


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def default_url(html: bytes, path: Path) -> str:
    match = re.search(rb'<link rel="canonical" href="([^"]+)"', html)
    return match.group(1).decode() if match else f"https://pages.example/{path.parent.name}/{path.stem}/"


def run_case(path: Path, url: str) -> dict:
    """What the extractor says about one saved page: verdict, and the recap when it is one."""
    from recapcrawl.extraction import analyze, extract_recap

    html = path.read_bytes()
    analysis = analyze(html, url)
    result = {
        "input_url": url,
        "verdict": {
            "is_recap": analysis.verdict.is_recap,
            "kind": analysis.verdict.kind,
            "reason": analysis.verdict.reason,
        },
    }
    if analysis.verdict.is_recap:
        recap = extract_recap(html, url, analysis=analysis).to_dict()
        result["recap"] = {name: recap[name] for name in FIELDS}
    return result


def load_golden(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def rerun(paths: list[Path]) -> None:
    for path in paths:
        golden = path.with_suffix(".json")
        url = load_golden(path)["input_url"] if golden.exists() else default_url(path.read_bytes(), path)
        golden.write_text(
            json.dumps(run_case(path, url), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"wrote {golden}")


if __name__ == "__main__":
    rerun([Path(p) for p in sys.argv[1:]] or cases())

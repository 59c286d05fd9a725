"""Data flows one way: extraction and storage never import Scrapy."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["recapcrawl.extraction", "recapcrawl.storage", "recapcrawl.models"])
def test_no_scrapy_below_the_spider(module):
    code = f"import sys, {module}; print('scrapy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_storage_does_not_import_extraction():
    code = "import sys, recapcrawl.storage; print('recapcrawl.extraction' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_readme_tree_names_every_package_and_module():
    """The layout tree in README.md is true: every package and module of recapcrawl/ is named in it."""
    import re
    from pathlib import Path

    root = Path(__file__).parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    tree = readme[readme.index("## Development") :].split("```")[1]
    named = set(re.findall(r"[\w]+(?:\.py|/)", tree))
    package = root / "recapcrawl"
    missing = []
    for path in sorted(package.iterdir()):
        if path.name.startswith(("_", ".")) or path.suffix not in ("", ".py") or path.name == "py.typed":
            continue
        if f"{path.name}/" not in named and path.name not in named:
            missing.append(path.name)
    for path in sorted((package / "extraction").glob("*.py")):
        if not path.name.startswith("_") and path.name not in named:
            missing.append(f"extraction/{path.name}")
    assert missing == [], f"README.md's tree does not name: {missing}"


def test_at_most_six_loose_modules():
    from pathlib import Path

    loose = sorted(p.name for p in (Path(__file__).parent.parent / "recapcrawl").glob("*.py"))
    assert len(loose) <= 6, loose

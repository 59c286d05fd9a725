"""Shared fixtures: the project's sample site on free ports, and ../shared where it exists."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
ROOT = TESTS.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(TESTS))  # lets tests import golden.py and the test servers


def shared_path(*parts: str) -> Path:
    """A path inside ../shared, or skip the test with a clear reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (../shared with the recorded sites and scorers), which is not here")
    return path

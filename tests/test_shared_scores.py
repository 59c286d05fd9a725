"""The recorded real WordPress site in ../shared, crawled with the CLI and scored against its truth."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import shared_path

pytestmark = [pytest.mark.shared, pytest.mark.integration]


def test_wordpress_dev_recording_meets_every_goal(tmp_path):
    site = shared_path("sites", "wordpress-dev")
    scorer = shared_path("eval", "score_recaps.py")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    result = subprocess.run(
        [sys.executable, str(scorer), str(site), "--check", "--keep", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "under: none" in result.stdout

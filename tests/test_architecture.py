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

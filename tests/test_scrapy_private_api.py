"""Scrapy internals the crawl copies or calls: a Scrapy upgrade that changes them fails here first.

``PoliteDownloader._process_queue`` is a copy of Scrapy's ``Downloader._process_queue`` with one line
added (``slot.transferring.add(request)``). If this test fails, Scrapy's method changed: read the new
one, copy it again into ``recapcrawl/crawler/downloader.py`` with the added line (a request counts
against its slot from when its task is scheduled), check that ``CONCURRENT_REQUESTS_PER_DOMAIN`` still
holds with ``DOWNLOAD_DELAY=0`` (``tests/test_faults_servers.py``), then update ``SCRAPY_HASH``.
"""

import hashlib
import inspect
import re

from scrapy.core.downloader import Downloader, Slot

from recapcrawl.crawler.downloader import PoliteDownloader

# sha256 of inspect.getsource(scrapy.core.downloader.Downloader._process_queue) in Scrapy 2.19.0, when copied.
SCRAPY_HASH = "872b81a4bbb4cb1ad45b25c6f8803344a3a18fd5743dec234733891ab94559c8"
ADDED = "slot.transferring.add(request)"


def _statements(function) -> list[str]:
    """The function's lines, stripped, without comments and blank lines."""
    lines = []
    for line in inspect.getsource(function).splitlines():
        line = re.sub(r"\s+#.*$", "", line).rstrip()
        if line.strip() and not line.strip().startswith("#"):
            lines.append(line.strip())
    return lines


def test_scrapy_process_queue_is_the_one_copied():
    source = inspect.getsource(Downloader._process_queue)
    assert hashlib.sha256(source.encode()).hexdigest() == SCRAPY_HASH, (
        "Scrapy's Downloader._process_queue changed since PoliteDownloader copied it: see this test's"
        " docstring for what to re-check"
    )


def test_the_copy_is_scrapys_method_plus_one_line():
    ours = _statements(PoliteDownloader._process_queue)
    assert ours.count(ADDED) == 1
    ours.remove(ADDED)
    assert ours == _statements(Downloader._process_queue)


def test_the_private_names_used_still_exist():
    for name in ("_latercall", "_wait_for_download", "get_slot_key"):
        assert callable(getattr(Downloader, name, None)), name
    slot = Slot(1, 0.0)
    for name in ("transferring", "queue", "latercall", "lastseen"):
        assert hasattr(slot, name), name

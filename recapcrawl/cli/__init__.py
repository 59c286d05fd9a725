"""The ``recapcrawl`` command: a thin click layer over crawl, storage, export and publish.

Every command keeps its own top-level name (``recapcrawl crawl``, ``recapcrawl export``, …); the
modules here, and the sections of ``--help``, group them:

- ``crawl``        crawl
- ``archive``      export, reparse, import-warc, serve (also ``recapcrawl archive COMMAND``)
- ``distributed``  worker, enqueue, ingest, status (also ``recapcrawl distributed COMMAND``)
- ``dev``          extract, sample-site, demo (also ``recapcrawl dev COMMAND``)
"""

from __future__ import annotations

import click

from . import archive, crawl, dev, distributed
from .common import DEFAULT_DB, SectionedGroup, db_option, parse_settings


@click.group(cls=SectionedGroup)
@click.version_option(package_name="recapcrawl")
def cli() -> None:
    """Crawl TV recap articles and their comments into a SQLite archive, and publish it."""


cli.add_section("Crawl", crawl.group, subcommand=False)
cli.add_section("Archive", archive.group)
cli.add_section("Distributed", distributed.group)
cli.add_section("Dev", dev.group)

__all__ = ["DEFAULT_DB", "cli", "db_option", "parse_settings"]

"""``python -m recapcrawl.cli``: the ``recapcrawl`` command."""

from . import cli

cli()

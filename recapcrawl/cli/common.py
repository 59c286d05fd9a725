"""What the command modules share: the ``--db`` option, ``-s NAME=VALUE`` parsing, and the
top-level group whose help lists the commands by section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

DEFAULT_DB = "archive/recaps.db"

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_DB,
    show_default=True,
    help="The SQLite archive.",
)


def parse_settings(values: tuple[str, ...]) -> dict[str, str]:
    """``-s NAME=VALUE`` options as a dict of Scrapy settings."""
    settings = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint="-s")
        settings[name.strip()] = setting
    return settings


def require_archive(db_path: Path) -> None:
    """A clear error (exit 1) when there is no archive to read."""
    if not db_path.exists():
        raise click.ClickException(f"no archive at {db_path}: run `recapcrawl crawl` first")


class SectionedGroup(click.Group):
    """The top-level command: every command runs under its own name (``recapcrawl export``), and
    also under its section's group (``recapcrawl archive export``); help lists them by section."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections: list[tuple[str, click.Group, bool]] = []

    def add_section(self, title: str, group: click.Group, subcommand: bool = True) -> None:
        """Each of ``group``'s commands as a top-level command, and ``group`` a subcommand too
        unless ``subcommand`` is false (a section of one command named as the section would be)."""
        self.sections.append((title, group, subcommand))
        if subcommand:
            self.add_command(group)
        for name, command in group.commands.items():
            self.add_command(command, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        width = max(len(name) for _, group, _ in self.sections for name in group.commands)
        for title, group, subcommand in self.sections:
            rows = [
                (name, command.get_short_help_str(formatter.width - 6 - width))
                for name, command in group.commands.items()
            ]
            if subcommand:
                title += f" (also: {ctx.command_path} {group.name} COMMAND)"
            with formatter.section(title):
                formatter.write_dl(rows, col_max=width)

"""Commands loaded on first use, so that ``actes --help`` and ``actes delai`` start fast.

Each command is named in a static table (:data:`actes.cli.commands.COMMANDS`) by the
``module:attribute`` where it lives and the first paragraph of its help; ``--help`` lists the
commands from the table alone, and a command's module (with its libraries: docxtpl,
jsonschema, pypdf, flask…) is imported only when that command runs or shows its own help.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, NamedTuple

import click

from actes.cli import _fr
from actes.cli._common import ActesGroup

__all__ = ["LazyCommand", "LazyGroup", "first_paragraph"]


class LazyCommand(NamedTuple):
    """Where a command lives (``package.module:attribute``) and the first paragraph of its
    help, shown by ``actes --help`` without importing the module."""

    target: str
    help: str


def first_paragraph(text: str | None) -> str:
    """The first paragraph of a help text, its whitespace collapsed (what click shortens)."""
    paragraph = (text or "").split("\n\n", 1)[0]
    return " ".join(paragraph.split())


class LazyGroup(ActesGroup):
    """:class:`ActesGroup` whose commands are imported from a table when first needed."""

    def __init__(
        self, *args: Any, lazy_commands: Mapping[str, LazyCommand] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands: dict[str, LazyCommand] = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in self.lazy_commands:
            return command
        command = self.load(cmd_name)
        self.add_command(command, cmd_name)
        return command

    def load(self, name: str) -> click.Command:
        """Import the command ``name`` of the table (a broken table is a programming error)."""
        module_name, _, attribute = self.lazy_commands[name].target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy_commands[name].target} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click's own version calls get_command for every name, which would import them all;
        # a stand-in built from the table's help is shortened by click exactly as the
        # command's own help would be (click only reads the first paragraph).
        rows: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name)
            if command is None:
                command = click.Command(name, help=self.lazy_commands[name].help)
            if not command.hidden:
                rows.append((name, command))
        if not rows:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section(_fr.translate("Commands")):
            formatter.write_dl(
                [(name, command.get_short_help_str(limit)) for name, command in rows]
            )

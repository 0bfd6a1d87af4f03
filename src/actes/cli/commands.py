"""The list of commands registered on the ``actes`` group."""

from __future__ import annotations

import click

from actes.cli.validate import validate

ALL: list[click.Command] = [validate]

"""The ``actes`` command line: one command per user task.

Exit codes: 0 success; 1 invalid case data, failed precondition or failed check;
2 usage error (unknown option, bad argument); 3 broken installation or missing tool
(procedure definition, template, LibreOffice).
"""

from __future__ import annotations

import click

from actes import __version__
from actes.cli._common import ActesGroup

__all__ = ["main"]


@click.group(cls=ActesGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="actes")
@click.option("--debug", is_flag=True, help="Affiche la trace Python complète des erreurs.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """actes : recouvrement de créances, du dossier aux actes (délais et montants justifiés)."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _register() -> None:
    from actes.cli import commands

    for command in commands.ALL:
        main.add_command(command)


_register()

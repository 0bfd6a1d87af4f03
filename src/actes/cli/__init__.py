"""The ``actes`` command line: one command per user task.

Exit codes: 0 success; 1 invalid case data, failed precondition or failed check;
2 usage error (unknown option, bad argument); 3 broken installation or missing tool
(procedure definition, template, LibreOffice).
"""

from __future__ import annotations

import click

from actes import __version__
from actes._paths import workspace_scope
from actes.cli._lazy import LazyGroup
from actes.cli.commands import COMMANDS

__all__ = ["main"]


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="actes")
@click.option("--debug", is_flag=True, help="Affiche la trace Python complète des erreurs.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """actes : recouvrement de créances, du dossier aux actes (délais et montants justifiés)."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    # The workspace of the current folder, resolved once for the command; a command working
    # on a case resolves the case's own (docs/workspace.md).
    ctx.with_resource(workspace_scope(None))

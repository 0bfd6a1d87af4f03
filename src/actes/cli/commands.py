"""The list of commands registered on the ``actes`` group."""

from __future__ import annotations

import click

from actes.cli.batch import batch
from actes.cli.budget import budget
from actes.cli.deadlines import deadlines
from actes.cli.decompte import decompte
from actes.cli.delai import delai
from actes.cli.next import next_command
from actes.cli.packet import packet
from actes.cli.plan import plan
from actes.cli.procedures import procedures, schema
from actes.cli.render import render, templates
from actes.cli.serve import serve
from actes.cli.taux import init, taux
from actes.cli.validate import validate

ALL: list[click.Command] = [
    validate,
    procedures,
    schema,
    deadlines,
    decompte,
    delai,
    render,
    templates,
    next_command,
    serve,
    batch,
    budget,
    plan,
    packet,
    taux,
    init,
]

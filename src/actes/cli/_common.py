"""What every command shares: error reporting, JSON output, date options."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import click

from actes.errors import ActesError

__all__ = [
    "DATE",
    "ActesGroup",
    "au_option",
    "case_argument",
    "case_file",
    "date_option",
    "echo_json",
    "fail",
    "json_option",
    "to_jsonable",
    "today",
]


def today() -> dt.date:
    return dt.date.today()


class _DateType(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    name = "date"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(
                f"« {value} » n'est pas une date AAAA-MM-JJ (exemple : 2026-11-24).", param, ctx
            )


DATE = _DateType()


def to_jsonable(value: Any) -> Any:
    """Dates as ISO strings, Decimals as strings with two decimals kept exact."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


def echo_json(value: Any) -> None:
    click.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))


def fail(error: ActesError, *, as_json: bool) -> None:
    """Report an ActesError and exit with its code (the one place errors reach the user)."""
    if as_json:
        click.echo(json.dumps(error.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"Erreur : {error.format()}", err=True)
    sys.exit(error.exit_code)


class ActesGroup(click.Group):
    """Click group that turns every ActesError into a message and an exit code."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Remember --json before click splits the arguments between subcommands, so that
        # an error raised anywhere is reported in the format the caller asked for.
        ctx.meta["actes_json"] = "--json" in args
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ActesError as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            fail(error, as_json=bool(ctx.meta.get("actes_json")))


def case_file(path: Path) -> Path:
    """A case file, or a folder holding ``dossier.yaml`` / ``dossier.yml`` / ``dossier.json``."""
    if path.is_dir():
        for name in ("dossier.yaml", "dossier.yml", "dossier.json"):
            if (path / name).is_file():
                return path / name
    return path


FC = TypeVar("FC", bound=Callable[..., Any] | click.Command)

# The options every case command shares, declared once.
case_argument = click.argument("case", type=click.Path(exists=True, path_type=Path))
json_option = click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")


def date_option(dest: str, help_text: str) -> Callable[[FC], FC]:
    """``--date AAAA-MM-JJ`` stored in ``dest`` (``au`` or ``on``), today when absent."""
    return click.option(
        "--date", dest, type=DATE, default=None, metavar="AAAA-MM-JJ", help=help_text
    )


def outdir_option(help_text: str) -> Callable[[FC], FC]:
    """``-o/--output FOLDER`` (required) stored in ``outdir``."""
    return click.option(
        "-o",
        "--output",
        "outdir",
        type=click.Path(file_okay=False, path_type=Path),
        required=True,
        help=help_text,
    )


def au_option(
    help_text: str = "Date de référence (défaut : aujourd'hui).",
) -> Callable[[FC], FC]:
    return click.option(
        "--au", "au", type=DATE, default=None, metavar="AAAA-MM-JJ", help=help_text
    )

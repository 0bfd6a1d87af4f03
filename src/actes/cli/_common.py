"""What every command shares: error reporting, JSON output, date options, output checks.

Errors reach the user in one place, :class:`ActesGroup`: an :class:`ActesError` gives its
French message and exit code; click's usage errors are in French (:mod:`actes.cli._fr`) and,
with ``--json``, a JSON error on stdout; an operating-system error that escaped (a write on
a full disk) or a date beyond the year 9999 is reported likewise, never as a traceback
(``actes --debug`` shows it). A closed pipe (``actes decompte … | head``) is no error: the
command stops quietly with exit code 141, as a tool killed by SIGPIPE does.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import click

from actes.cli import _fr
from actes.errors import ActesError, DataProblem, OutputProblem, UsageProblem, os_reason

_fr.install()

__all__ = [
    "DATE",
    "ActesGroup",
    "au_option",
    "case_argument",
    "case_file",
    "check_output",
    "date_option",
    "echo_json",
    "fail",
    "json_option",
    "to_jsonable",
    "today",
]

FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2999, 12, 31)
"""Dates accepted on the command line: far enough for any case, and far from the year 9999
past which no date can be computed."""


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
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(
                f"« {value} » n'est pas une date AAAA-MM-JJ (exemple : 2026-11-24).", param, ctx
            )
        if not FIRST_DATE <= day <= LAST_DATE:
            self.fail(
                f"« {value} » est hors des dates acceptées ({FIRST_DATE.isoformat()} à "
                f"{LAST_DATE.isoformat()}).",
                param,
                ctx,
            )
        return day


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


_OUT_OF_RANGE = re.compile(r"year -?\d+ is out of range|date value out of range")


def _unexpected(exc: BaseException) -> ActesError | None:
    """The French account of an exception that escaped the commands' own checks."""
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return OutputProblem(
            f"Opération impossible sur le disque{where} : {os_reason(exc)}.",
            hint="vérifiez le chemin indiqué, les droits d'écriture et la place libre",
        )
    if isinstance(exc, OverflowError) or (
        isinstance(exc, ValueError) and _OUT_OF_RANGE.search(str(exc))
    ):
        return DataProblem(
            "Date hors des limites du calendrier : un calcul du dossier dépasse l'an 9999.",
            hint="vérifiez les dates du dossier (échéances, événements) et des options",
        )
    return None


# Shells report a process killed by SIGPIPE as 128 + 13.
EXIT_CLOSED_PIPE = 141


def _closed_pipe(exc: OSError) -> bool:
    """Whether ``exc`` is a write to a pipe whose reader is gone (``actes … | head``)."""
    return isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE


def _quiet_exit() -> None:
    """End like a command killed by SIGPIPE: no message (the reader left on purpose), exit
    141; stdout is pointed at /dev/null so that the interpreter's last flush cannot fail
    again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no stdout file descriptor (embedded run): nothing to do
        pass
    sys.exit(EXIT_CLOSED_PIPE)


class ActesGroup(click.Group):
    """Click group that turns every ActesError into a message and an exit code."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Remember --json before click splits the arguments between subcommands, so that
        # an error raised anywhere is reported in the format the caller asked for.
        ctx.meta["actes_json"] = "--json" in args
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        as_json = bool(ctx.meta.get("actes_json"))
        debug = bool(ctx.obj and ctx.obj.get("debug"))
        try:
            return super().invoke(ctx)
        except OSError as exc:
            # Before ActesError: an OutputProblem is both, and may carry EPIPE.
            if _closed_pipe(exc):
                _quiet_exit()
            if debug:
                raise
            problem = exc if isinstance(exc, ActesError) else _unexpected(exc)
            if problem is None:
                raise
            fail(problem, as_json=as_json)
        except ActesError as error:
            if debug:
                raise
            fail(error, as_json=as_json)
        except click.ClickException as error:
            if not as_json:
                raise  # click shows it (in French) with the usage line
            usage = getattr(error, "ctx", None)
            hint = f"« {usage.command_path} --help »" if usage is not None else ""
            usage_error = UsageProblem(error.format_message(), hint=hint)
            click.echo(json.dumps(usage_error.as_dict(), ensure_ascii=False, indent=2))
            sys.exit(error.exit_code)
        except (OverflowError, ValueError) as exc:
            problem = _unexpected(exc)
            if debug or problem is None:
                raise
            fail(problem, as_json=as_json)


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


# --------------------------------------------------------------------------- outputs


def _case_paths(case: Path) -> tuple[set[Path], set[Path]]:
    """The files of a case an output must never replace (the case file and its pièces) and
    the folders it must never write into (``pieces/``)."""
    from actes._io import load_document

    files = {case.resolve()}
    folder = case.resolve().parent
    folders = {folder / "pieces"}
    try:
        data = load_document(case)
    except ActesError:
        return files, folders  # the command itself reports the broken case
    pieces = data.get("pieces") if isinstance(data, dict) else None
    for piece in pieces if isinstance(pieces, list) else []:
        name = piece.get("fichier") if isinstance(piece, dict) else None
        if isinstance(name, str) and name and "\x00" not in name:
            files.add((folder / name).resolve())
    return files, folders


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def check_output(
    path: Path,
    *,
    option: str,
    cases: Iterable[Path] = (),
    case_folders: Iterable[Path] = (),
    folder: bool = False,
) -> None:
    """Refuse, before anything is computed or written, an output that would destroy what
    it should not: a case file, one of its pièces, anything inside a case's ``pieces/``,
    an existing folder where a file is expected (or a file where a folder is), a device or
    a pipe (``/dev/null``).

    ``cases`` are case files; ``case_folders`` folders of cases (``plan status DIR``): the
    ``*.yaml``, ``*.yml`` and ``*.json`` files they hold and the files of the cases of their
    sub-folders are protected. ``folder``: the output is a folder (``-o OUTDIR``).
    """
    target = path.resolve()
    protected: set[Path] = set()
    forbidden: set[Path] = set()
    for case in cases:
        files, folders = _case_paths(case)
        protected |= files
        forbidden |= folders
    for root in (r.resolve() for r in case_folders):
        if not target.is_relative_to(root) or target == root:
            continue
        parts = target.relative_to(root).parts
        if "pieces" in (parts if folder else parts[:-1]):
            forbidden.add(target)
        if not folder and target.suffix.lower() in (".yaml", ".yml", ".json"):
            protected.add(target)
        for above in target.parents:  # the cases in the folders above the output
            if above == root:
                break
            for name in ("dossier.yaml", "dossier.yml", "dossier.json"):
                if (above / name).is_file():
                    protected |= _case_paths(above / name)[0]
    hint = "choisissez une sortie hors du dossier de l'affaire et de son sous-dossier pieces/"
    if not folder and target in protected:
        raise OutputProblem(
            f"{option} {path} : c'est le fichier du dossier ou l'une de ses pièces ; il "
            "n'est pas remplacé, rien n'a été écrit.",
            hint=hint,
        )
    if any(_inside(target, place) for place in forbidden):
        raise OutputProblem(
            f"{option} {path} : sortie dans le sous-dossier pieces/ du dossier, où sont "
            "rangées les pièces ; rien n'a été écrit.",
            hint=hint,
        )
    if not (path.exists() or path.is_symlink()):
        return
    if folder and not path.is_dir():
        raise OutputProblem(
            f"{option} {path} : c'est un fichier, un dossier de sortie était attendu ; "
            "rien n'a été écrit.",
            hint="indiquez un dossier (il est créé s'il n'existe pas)",
        )
    if not folder and path.is_dir():
        raise OutputProblem(
            f"{option} {path} : c'est un dossier, un nom de fichier était attendu ; "
            "rien n'a été écrit.",
            hint="indiquez le nom du fichier à écrire",
        )
    if not folder and not path.is_file():
        raise OutputProblem(
            f"{option} {path} : ce n'est pas un fichier ordinaire (périphérique comme "
            "/dev/null, tube ou socket) ; il n'est pas remplacé, rien n'a été écrit.",
            hint="indiquez le nom d'un fichier ordinaire",
        )

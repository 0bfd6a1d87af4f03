"""``actes packet``: build the filing packet of a procedure (ZIP), and verify one.

``packet`` is a group with two subcommands, ``build`` and ``verify``. So that the everyday
call stays short, ``actes packet PROCEDURE CASE -o FILE.zip`` means ``actes packet build
PROCEDURE CASE -o FILE.zip``: :class:`_BuildByDefault` inserts ``build`` whenever the first
argument is not a subcommand name (no procedure is called ``build`` or ``verify``).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import click

from actes.cli._common import case_file, check_output, date_option, echo_json, today
from actes.documents.packet import build_packet, verify_packet

__all__ = ["packet"]

_HELP = ("-h", "--help")


class _BuildByDefault(click.Group):
    """A group that runs ``build`` when the first argument is not one of its subcommands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in _HELP:
            args = ["build", *args]
        return super().parse_args(ctx, args)


@click.group("packet", cls=_BuildByDefault)
def packet() -> None:
    """Dossier à déposer : actes, bordereau, pièces, PDF complet et manifeste (ZIP).

    \b
    actes packet PROCEDURE CASE -o FICHIER.zip   (raccourci de « packet build »)
    actes packet verify FICHIER.zip
    """


@packet.command("build")
@click.argument("procedure")
@click.argument("case", type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    metavar="FICHIER.zip",
    help="Archive ZIP à écrire (remplacée seulement si tout a réussi).",
)
@date_option("au", "Date des documents et des calculs (par défaut : aujourd'hui).")
@click.option("--json", "as_json", is_flag=True, help="Affiche le manifeste en JSON.")
def build(procedure: str, case: Path, output: Path, au: dt.date | None, as_json: bool) -> None:
    """Construit l'archive de PROCEDURE pour le dossier CASE (fichier ou dossier).

    Mêmes entrées, mêmes octets : l'archive est reproductible. Code de sortie 1 si une pièce
    est inutilisable ou une condition de la procédure manque (rien n'est écrit) ; 3 si
    LibreOffice ou un modèle manque ; 2 si l'archive ne peut pas être écrite (chemin refusé
    comme le fichier du dossier ou une pièce, dossier non accessible en écriture, disque plein).
    """
    check_output(output, option="-o", cases=[case_file(case)])
    started = time.monotonic()
    result = build_packet(procedure, case_file(case), output, au or today())
    if as_json:
        echo_json(
            {"archive": str(result.path), "taille": result.size, "manifeste": result.manifest}
        )
        return
    elapsed = time.monotonic() - started
    pieces = sum(1 for f in result.files if f.role == "piece")
    click.echo(
        f"Archive écrite : {result.path} ({len(result.files)} fichiers et le manifeste, "
        f"{pieces} pièce(s), dossier complet de {result.pages} page(s), "
        f"{result.size / 1024:.0f} Kio, {elapsed:.1f} s)."
    )


@packet.command("verify")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON pour les programmes.")
def verify(archive: Path, as_json: bool) -> None:
    """Vérifie une archive : empreintes SHA-256, tailles et nombres de pages du manifeste.

    Code de sortie 0 si tout concorde, 1 si un fichier diffère (chaque écart est listé).
    """
    result = verify_packet(archive)
    if as_json:
        echo_json(result.as_dict())
    elif result.ok:
        click.echo(f"Archive intacte : {archive} ({len(result.checked)} fichiers vérifiés).")
    else:
        click.echo(f"Archive altérée : {archive}", err=True)
        for problem in result.problems:
            click.echo(f"  ✗ {problem.format()}", err=True)
    if not result.ok:
        sys.exit(1)

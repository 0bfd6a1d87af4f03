"""``actes liste``: the cases of a folder, from its index (search, filters, sort)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import click

from actes.cli._common import DATE, au_option, echo_json, json_option, today
from actes.portfolio.index import SORTS, STATUSES, ListQuery, current_rows, open_index

__all__ = ["liste"]


@click.command("liste")
@click.argument(
    "folder",
    metavar="[DIR]",
    required=False,
    default=".",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--cherche",
    "text",
    default="",
    metavar="TEXTE",
    help="Mots à trouver dans la "
    "référence, le créancier ou le débiteur (sans tenir compte des accents).",
)
@click.option(
    "--statut",
    type=click.Choice(sorted(STATUSES)),
    default=None,
    help="Seulement les dossiers de ce statut.",
)
@click.option(
    "--etape",
    default="",
    metavar="PROCEDURE",
    help="Seulement les dossiers dont la prochaine étape est cette procédure.",
)
@click.option(
    "--avant",
    type=DATE,
    default=None,
    metavar="AAAA-MM-JJ",
    help="Seulement les dossiers dont le prochain délai tombe au plus tard ce jour.",
)
@click.option(
    "--tri",
    default="reference",
    metavar="COLONNE",
    help=f"Colonne de tri : {', '.join(SORTS)} ; « -montant » pour l'ordre décroissant.",
)
@au_option()
@json_option
def liste(
    folder: Path,
    text: str,
    statut: str | None,
    etape: str,
    avant: dt.date | None,
    tri: str,
    au: dt.date | None,
    as_json: bool,
) -> None:
    """Liste les dossiers de DIR (par défaut, le dossier courant) : débiteur, prochaine
    étape, prochain délai, montant dû.

    La liste vient de l'index du dossier (DIR/.actes/index.sqlite), mis à jour à chaque appel
    à partir des seuls fichiers modifiés ; avec --au autre qu'aujourd'hui, elle est calculée
    sans toucher à l'index.
    """
    if tri.lstrip("-") not in SORTS:
        raise click.BadParameter(
            f"« {tri} » n'est pas une colonne de tri ; colonnes : {', '.join(SORTS)}.",
            param_hint="--tri",
        )
    day = au or today()
    query = ListQuery(
        text=text,
        status=statut or "",
        step=etape,
        before=avant,
        sort=tri.lstrip("-"),
        descending=tri.startswith("-"),
    )
    index = open_index(folder, day, today=today())
    rows = current_rows(index, day, query)
    if as_json:
        echo_json({"au": day, "dossiers": [row.as_dict() for row in rows]})
        return
    click.echo(f"{len(rows)} dossier{'s' if len(rows) > 1 else ''} au {day.isoformat()}")
    for row in rows:
        if not row.valid:
            click.echo(f"  {row.reference:<20} {STATUSES[row.status].upper()} : {row.message}")
            continue
        amount = _amount(row.total_due)
        step = row.step_title or ("indisponible" if row.step_error else "aucune étape")
        deadline = (
            f"{row.deadline_date.isoformat()} {row.deadline_label}"
            if row.deadline_date
            else ("délai indisponible" if row.deadline_error else "aucun délai")
        )
        click.echo(
            f"  {row.reference:<20} {(row.debtor or '')[:28]:<28} {amount:>14}  {step}"
            f"\n  {'':<20} prochain délai : {deadline}"
        )


def _amount(value: Decimal | None) -> str:
    if value is None:
        return "indisponible"
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",") + " €"

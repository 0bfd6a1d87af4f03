"""``actes budget``: the debtor's monthly repayment capacity, explained line by line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from actes._paths import workspace_scope
from actes.amicable.budget import budget_for_case
from actes.amicable.orientation import Orientation, orientation_for
from actes.cases.case import load_case
from actes.cli._common import DATE, case_file, echo_json, today

__all__ = ["budget"]


def _fr(amount: object) -> str:
    text = f"{amount:,.2f}"
    return text.replace(",", " ").replace(".", ",") + " €"


@click.command("budget")
@click.argument("case", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--au",
    type=DATE,
    default=None,
    metavar="AAAA-MM-JJ",
    help="Date du calcul : barème de l'année, RSA en vigueur (par défaut : aujourd'hui).",
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON pour les programmes.")
def budget(case: Path, au: dt.date | None, as_json: bool) -> None:
    """Capacité mensuelle de remboursement du débiteur (dossier au format 2).

    Ressources moins charges ; quotité saisissable (C. trav. R3252-2, R3252-3, R3252-5) ;
    capacité au sens du surendettement (C. conso. L731-1, L731-2, R731-1) ; durée de
    remboursement comparée aux 24 mois des délais de grâce (C. civ. 1343-5) et aux 84 mois
    d'un plan de surendettement (C. conso. L732-3, L733-3).

    Pour un débiteur personne physique sans capacité de remboursement (ou dont la dette relève
    du surendettement), la sortie se termine par les aides possibles (Points conseil budget,
    commission de surendettement, services sociaux), avec leurs sources :
    parameters/orientation.yaml.

    Codes de sortie : 0 succès ; 1 dossier invalide ou valeur légale manquante ;
    2 erreur d'utilisation.
    """
    when = au or today()
    path = case_file(case)
    # The case's own workspace: its parameters (barème, RSA, orientation) replace the shipped.
    with workspace_scope(path.parent):
        loaded = load_case(path, au=when)
        result = budget_for_case(loaded, when)
        orientation = orientation_for(loaded, when, budget=result)
    if as_json:
        echo_json(
            {**result.as_dict(), "orientation": orientation.as_dict() if orientation else None}
        )
        return
    click.echo(f"Budget du débiteur — dossier {result.reference}, au {when.strftime('%d/%m/%Y')}")
    click.echo(
        f"Foyer : {result.household.describe()} "
        f"({result.household.dependants} personne(s) à charge pour le barème)"
    )
    for line in result.lines:
        click.echo(f"  {line.libelle:<58} {_fr(line.montant):>14}")
        if line.detail:
            click.echo(f"      {line.detail}")
        if line.fondement:
            click.echo(f"      Fondement : {line.fondement}")
    click.echo(result.conclusion)
    for warning in result.warnings:
        click.echo(f"Attention : {warning}")
    if orientation is not None:
        _echo_orientation(orientation)


def _echo_orientation(orientation: Orientation) -> None:
    """The « Aides possibles pour le débiteur » section: why, then each help with its basis."""
    click.echo("")
    click.echo("Aides possibles pour le débiteur (texte repris dans les courriers)")
    click.echo(f"  {orientation.reason}")
    for entry in orientation.entries:
        # Plain spaces on a terminal; the letters keep the data's no-break spaces.
        click.echo(f"  – {entry.nom} : {entry.offre}.".replace("\u00a0", " "))
        click.echo(f"      Contact : {entry.contact}.".replace("\u00a0", " "))
        click.echo(f"      Fondement : {entry.fondement}")
        sources = ", ".join(s.url for s in entry.sources)
        click.echo(
            f"      Sources (vérifiées le {entry.verifie_le.strftime('%d/%m/%Y')}) : {sources}"
        )
    click.echo(f"  (données : {orientation.file})")

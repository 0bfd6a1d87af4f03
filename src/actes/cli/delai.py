"""``actes delai``: compute a deadline (CPC 640-644) and show how it was reached."""

from __future__ import annotations

import datetime as dt
from typing import get_args

import click

from actes.cli._common import DATE, echo_json
from actes.law.calendar import calendar_for, is_overseas
from actes.law.deadlines import (
    Counting,
    DeadlineResult,
    Duration,
    ExtensionRule,
    compute_deadline,
    distance_extension,
)

__all__ = ["delai"]


@click.command("delai")
@click.argument("depart", metavar="FROM", type=DATE)
@click.argument("duree", metavar="DURATION")
@click.option(
    "--departement",
    metavar="CODE",
    default=None,
    help="Département du siège de la juridiction (75, 2A, 57, 971...) : fixe les jours "
    "fériés. Par défaut : calendrier national de métropole.",
)
@click.option(
    "--distance",
    type=click.Choice(["outre-mer", "etranger"]),
    default=None,
    help="Résidence de la personne qui doit agir, pour l'augmentation des CPC 643/644 : "
    "outre-mer (+1 mois) ou etranger (+2 mois).",
)
@click.option(
    "--departement-residence",
    metavar="CODE",
    default=None,
    help="Département ou collectivité de résidence (971, 987...) : nécessaire si la "
    "juridiction siège outre-mer et que la personne demeure outre-mer.",
)
@click.option(
    "--regle-distance",
    type=click.Choice(get_args(ExtensionRule)),
    default="cpc_643_644",
    show_default=True,
    help="r622_24 : déclaration de créance (C. com. R622-24, +2 mois).",
)
@click.option(
    "--calcul",
    type=click.Choice(get_args(Counting)),
    default="cpc",
    show_default=True,
    help="reglement_1182_71 : délais européens ; prescription et duree_maximale : sans "
    "report de l'art. 642.",
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON pour les programmes.")
def delai(
    depart: dt.date,
    duree: str,
    departement: str | None,
    distance: str | None,
    departement_residence: str | None,
    regle_distance: ExtensionRule,
    calcul: Counting,
    as_json: bool,
) -> None:
    """Calcule la date limite d'un délai courant à compter de FROM (AAAA-MM-JJ).

    DURATION : 15j, 2m, 1a, 15 jours, 2 mois, 1 an... Le jour de départ ne compte pas,
    les mois gardent le même quantième, et un délai finissant un samedi, un dimanche ou un
    jour férié est reporté au premier jour ouvrable suivant (CPC art. 640 à 642).

    Codes de sortie : 0 succès ; 2 erreur d'utilisation.
    """
    result = _compute(
        depart, duree, departement, distance, departement_residence, regle_distance, calcul
    )
    if as_json:
        echo_json(result.as_dict())
        return
    click.echo(result.summary())
    for step in result.trace:
        click.echo(f"  - {step}")
    click.echo("Fondement : " + ", ".join(result.fondement))


def _compute(
    depart: dt.date,
    duree: str,
    departement: str | None,
    distance: str | None,
    departement_residence: str | None,
    regle_distance: ExtensionRule,
    calcul: Counting,
) -> DeadlineResult:
    duration = Duration.parse(duree)
    calendar = calendar_for(departement)
    extension = None
    if distance is not None or departement_residence is not None:
        residence = distance
        if residence is None:
            assert departement_residence is not None
            residence = "outre-mer" if is_overseas(departement_residence) else "metropole"
        extension = distance_extension(
            calendar.departement, residence, departement_residence, regle_distance
        )
    return compute_deadline(depart, duration, calendar, extension=extension, counting=calcul)

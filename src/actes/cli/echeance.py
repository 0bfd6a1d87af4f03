"""``actes echeance``: the due date that payment terms give, and how it was reached."""

from __future__ import annotations

import datetime as dt

import click

from actes.cli._common import DATE, echo_json
from actes.errors import InputError, UsageProblem

__all__ = ["echeance"]


@click.command("echeance")
@click.argument("date_facture", metavar="DATE", type=DATE)
@click.argument("conditions", metavar="CONDITIONS")
@click.option(
    "--consommateur",
    is_flag=True,
    help="Le débiteur n'est pas un professionnel : les plafonds de l'article L441-10 I ne "
    "sont pas vérifiés.",
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON pour les programmes.")
def echeance(date_facture: dt.date, conditions: str, consommateur: bool, as_json: bool) -> None:
    """Calcule l'échéance d'une facture datée DATE (AAAA-MM-JJ) selon ses CONDITIONS de
    paiement.

    CONDITIONS : « 30 jours », « 60 jours date de facture », « 45 jours fin de mois » (date +
    45 jours, puis fin de ce mois), « fin de mois + 45 jours » (fin du mois de la facture, puis
    + 45 jours), « fin de mois le 10 », « à réception ». Entre professionnels, un délai au-delà
    de 60 jours date de facture ou de 45 jours fin de mois (C. com. L441-10 I) est signalé.

    Codes de sortie : 0 succès ; 2 conditions non reconnues.
    """
    from actes.law.terms import due_date, parse_terms

    try:
        terms = parse_terms(conditions)
    except InputError as error:
        raise UsageProblem(error.message, hint=error.hint) from None
    result = due_date(date_facture, terms, professionals=not consommateur)
    if as_json:
        echo_json(result.as_dict())
        return
    click.echo(
        f"Échéance : {result.due.strftime('%d/%m/%Y')} ({terms.describe()}, facture du "
        f"{date_facture.strftime('%d/%m/%Y')})."
    )
    for step in result.trace:
        click.echo(f"  - {step}")
    for warning in result.warnings:
        click.echo(f"Attention : {warning}")

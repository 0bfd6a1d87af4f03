"""``actes decompte``: what is owed at a date, claim by claim, with every interest line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import click

from actes.cases.case import load_case
from actes.cli._common import au_option, case_argument, case_file, echo_json, json_option, today
from actes.documents.formatting import format_amount
from actes.law.accounts import decompte_for_case, interest_regime
from actes.law.calendar import long_date
from actes.law.rates import format_percent


def _eur(value: Decimal) -> str:
    return format_amount(value)


@click.command("decompte")
@case_argument
@au_option("Date du décompte (défaut : aujourd'hui).")
@json_option
def decompte(case: Path, au: dt.date | None, as_json: bool) -> None:
    """Décompte : principal, paiements imputés, intérêts par période (taux, jours), indemnités."""
    day = au or today()
    loaded = load_case(case_file(case), au=day)
    result = decompte_for_case(loaded, day)
    regime, basis = interest_regime(loaded)
    if as_json:
        echo_json({"dossier": loaded.reference, "fondement_regime": basis, **result.as_dict()})
        return
    click.echo(f"Décompte du dossier {loaded.reference} au {long_date(day)}")
    click.echo(f"Régime : {regime} ({basis})")
    for claim in result.claims:
        click.echo(f"\nCréance {claim.reference} — {claim.label}")
        click.echo(f"  {'Principal':<44}{_eur(claim.principal):>16}")
        if claim.paid_principal:
            click.echo(f"  {'Principal payé':<44}{_eur(-claim.paid_principal):>16}")
        for period in claim.periods:
            label = (
                f"du {period.start.isoformat()} (exclu) au {period.end.isoformat()} : "
                f"{period.days} j × {format_percent(period.rate)} / {period.basis}"
            )
            click.echo(f"    {label:<58}{_eur(period.amount):>14}")
            click.echo(f"      sur {_eur(period.principal)} — {period.rate_origin}")
        if claim.paid_interest:
            click.echo(f"  {'Intérêts payés':<44}{_eur(-claim.paid_interest):>16}")
        if claim.indemnity:
            click.echo(
                f"  {'Indemnité forfaitaire (C. com. D441-5)':<44}{_eur(claim.indemnity):>16}"
            )
        click.echo(f"  {'Total dû sur cette créance':<44}{_eur(claim.total_due):>16}")
    if result.imputations:
        click.echo("\nImputation des paiements :")
        for imp in result.imputations:
            click.echo(
                f"  {imp.date.isoformat()} {imp.payment_reference} → {imp.claim_reference} :"
                f" intérêts {_eur(imp.interest)}, principal {_eur(imp.principal)}"
                f" ({imp.rule})"
            )
    click.echo("\nTotaux :")
    for label, value in (
        ("Principal", result.principal),
        ("Paiements", -result.payments),
        ("Intérêts et pénalités", result.interest),
        ("Indemnités", result.indemnities),
        ("TOTAL DÛ", result.total_due),
    ):
        click.echo(f"  {label:<44}{_eur(value):>16}")
    for warning in result.warnings:
        click.echo(f"⚠ {warning}")
    click.echo("\nConventions :")
    for line in result.conventions:
        click.echo(f"  - {line}")

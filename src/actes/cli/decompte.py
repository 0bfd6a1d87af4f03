"""``actes decompte``: what is owed at a date, claim by claim, with every interest line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import click

from actes.cases.case import Case, load_case
from actes.cli._common import au_option, case_argument, case_file, echo_json, json_option, today
from actes.documents.formatting import format_amount
from actes.law.accounts import decompte_for_case, interest_regime
from actes.law.calendar import long_date
from actes.law.rates import format_percent
from actes.law.title import provision_days, title_decompte


def _eur(value: Decimal) -> str:
    return format_amount(value)


@click.command("decompte")
@case_argument
@au_option("Date du décompte (défaut : aujourd'hui).")
@click.option(
    "--base-jours",
    type=click.Choice(["365", "exact"]),
    default=None,
    help="Base des jours : 365 (défaut, service-public.fr) ou exacte (365/366).",
)
@click.option(
    "--deux-bornes",
    is_flag=True,
    default=None,
    help="Compter aussi le jour où les intérêts commencent à courir.",
)
@click.option(
    "--par-mois",
    is_flag=True,
    default=None,
    help="Convention par mois : taux annuel / 12 par mois de retard.",
)
@click.option(
    "--titre",
    "after_title",
    is_flag=True,
    help="Décompte après le titre exécutoire du dossier (bloc « titre »).",
)
@json_option
def decompte(
    case: Path,
    au: dt.date | None,
    base_jours: str | None,
    deux_bornes: bool | None,
    par_mois: bool | None,
    after_title: bool,
    as_json: bool,
) -> None:
    """Décompte : principal, paiements imputés, intérêts par période (taux, jours), indemnités.

    Les options de convention remplacent celles du dossier (« parametres ») ; la convention
    appliquée est écrite dans le décompte.
    """
    day = au or today()
    loaded = load_case(case_file(case), au=day)
    overrides: dict[str, object] = {}
    if base_jours is not None:
        overrides["base_jours"] = base_jours
    if deux_bornes:
        overrides["compter_les_deux_bornes"] = True
    if par_mois:
        overrides["convention_periode"] = "mois"
    if after_title:
        _title_decompte(loaded, day, overrides, as_json)
        return
    result = decompte_for_case(loaded, day, overrides=overrides)
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
            label = f"du {period.start.isoformat()} (exclu) au {period.end.isoformat()} : " + (
                f"{period.months.quantize(Decimal('0.0001'))} mois × "
                f"{format_percent(period.rate)} / 12"
                if period.months is not None
                else f"{period.days} j × {format_percent(period.rate)} / {period.basis}"
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


def _title_decompte(
    loaded: Case, day: dt.date, overrides: dict[str, object], as_json: bool
) -> None:
    """``actes decompte --titre``: principal, frais, intérêts échus depuis le titre."""
    result = title_decompte(loaded, day, provision_days=provision_days(day), overrides=overrides)
    if as_json:
        echo_json({"dossier": loaded.reference, **result.as_dict()})
        return
    click.echo(f"Décompte après titre du dossier {loaded.reference} au {long_date(day)}")
    for line in result.trace:
        click.echo(f"  {line}")
    click.echo("\nTotaux :")
    for label, value in (
        ("Principal restant dû", result.principal_outstanding),
        ("Frais restant dus", result.costs_outstanding),
        ("Intérêts échus restant dus", result.interest_outstanding),
        ("TOTAL DÛ", result.total_due),
        (f"Provision d'un mois d'intérêts ({result.provision_days} j)", result.provision),
    ):
        click.echo(f"  {label:<44}{_eur(value):>16}")
    for warning in result.warnings:
        click.echo(f"⚠ {warning}")
    click.echo("\nConventions :")
    for line in result.conventions:
        click.echo(f"  - {line}")

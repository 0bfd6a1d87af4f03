"""``actes import facture`` (e-invoices into a case) and ``actes import releve`` (bank
statements into payments)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from actes.cli._common import DATE, echo_json

__all__ = ["import_group"]


@click.group("import")
def import_group() -> None:
    """Importe des factures électroniques (Factur-X, UBL, CII) et des relevés bancaires
    (camt.053/054, CFONB 120, MT940) dans les dossiers."""


@import_group.command("facture")
@click.argument(
    "fichiers", metavar="FICHIER…", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option(
    "--dossier",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Dossier existant (fichier ou dossier) auquel ajouter les factures.",
)
@click.option(
    "--nouveau",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dossier parent où créer un dossier par acheteur (DIR/RÉFÉRENCE/dossier.yaml).",
)
@click.option("--reference", default=None, help="Référence du nouveau dossier (un acheteur).")
@click.option(
    "--forme-juridique",
    default=None,
    help="Forme juridique de l'acheteur quand la facture ne la donne pas (SARL, SAS...).",
)
@click.option("--dry-run", is_flag=True, help="Montre ce qui serait écrit, sans rien écrire.")
@click.option("--date", "au", type=DATE, default=None, help="Date de référence (AAAA-MM-JJ).")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON pour les programmes.")
def facture(
    fichiers: tuple[Path, ...],
    dossier: Path | None,
    nouveau: Path | None,
    reference: str | None,
    forme_juridique: str | None,
    dry_run: bool,
    au: dt.date | None,
    as_json: bool,
) -> None:
    """Importe des factures électroniques (PDF Factur-X, XML UBL 2.1 ou CII, EN 16931) :
    créances, parties, conditions de paiement, avoirs, pièces.

    Les factures d'un même acheteur forment un dossier. Avant d'écrire, la commande montre
    ce qu'elle a lu et ce qu'une personne doit décider ; un point « bloquant » empêche toute
    écriture. Codes de sortie : 0 importé (ou aperçu sans point bloquant) ; 1 fichier refusé
    ou point bloquant ; 2 erreur d'utilisation.
    """
    from actes.errors import InputError
    from actes.imports.invoicecase import apply_plan, plan_invoice_import

    plan = plan_invoice_import(
        fichiers,
        dossier=dossier,
        nouveau=nouveau,
        reference=reference,
        forme_juridique=forme_juridique,
        au=au,
    )
    written = False
    error: InputError | None = None
    if not dry_run:
        try:
            apply_plan(plan, au=au)
            written = True
        except InputError as exc:
            if not plan.blocked:
                raise
            error = exc
    if as_json:
        echo_json({**plan.as_dict(), "ecrit": written})
    else:
        _show_invoice_plan(plan, written=written, dry_run=dry_run)
    if plan.blocked:
        raise SystemExit(1) if error is None or as_json else error


def _show_invoice_plan(plan: Any, *, written: bool, dry_run: bool) -> None:
    for inv in plan.read:
        due = f", échéance {inv.due.strftime('%d/%m/%Y')}" if inv.due else ""
        click.echo(
            f"Lu : {inv.file} — {inv.syntax} {inv.level.upper()}, {inv.kind} n° {inv.number} "
            f"du {inv.issued.strftime('%d/%m/%Y')}, {inv.seller.get('name', '')} → "
            f"{inv.buyer.get('name', '')}, total {inv.total} €, à payer {inv.amount_due} €"
            f"{due}."
        )
    for case in plan.cases:
        action = "Création" if case.new else "Mise à jour"
        click.echo(f"\n{action} du dossier {case.path} (référence {case.data.get('reference')})")
        if case.added_claims:
            click.echo(f"  Créances ajoutées : {', '.join(case.added_claims)}")
        if case.credit_notes:
            click.echo(f"  Avoirs déduits : {', '.join(case.credit_notes)}")
        if case.skipped:
            click.echo(f"  Déjà dans le dossier : {', '.join(case.skipped)}")
        for name, _ in case.pieces:
            click.echo(f"  Pièce : {name}")
        for line in case.read:
            click.echo(f"  - {line}")
        if case.decisions:
            click.echo("  À décider :")
            for decision in case.decisions:
                mark = "BLOQUANT" if decision.severity == "bloquant" else "à confirmer"
                click.echo(f"    [{mark}] {decision.message}")
    if written:
        click.echo("\nImport terminé.")
    elif plan.blocked:
        click.echo("\nImport bloqué : rien n'a été écrit.")
    elif dry_run:
        click.echo("\nAperçu (--dry-run) : rien n'a été écrit.")


@import_group.command("releve")
@click.argument("fichier", metavar="FICHIER", type=click.Path(path_type=Path))
@click.option(
    "--dossiers",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Dossier des affaires à rapprocher (défaut : l'espace de travail, sinon le dossier "
    "courant).",
)
@click.option("--dry-run", is_flag=True, help="Montre les rapprochements, sans rien écrire.")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Écrit aussi chaque opération et son sort dans ce fichier CSV (;).",
)
@click.option("--date", "au", type=DATE, default=None, help="Date de référence (AAAA-MM-JJ).")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON pour les programmes.")
def releve(
    fichier: Path,
    dossiers: Path | None,
    dry_run: bool,
    csv_path: Path | None,
    au: dt.date | None,
    as_json: bool,
) -> None:
    """Importe un relevé bancaire (camt.053, camt.054, CFONB 120, MT940) : chaque crédit est
    rapproché d'un dossier et enregistré comme paiement.

    Rapprochement : référence d'une créance dans le libellé, puis IBAN ou nom du débiteur ;
    le montant désigne la créance. Les opérations non rapprochées, ambiguës ou à confirmer
    sont listées pour une personne ; un relevé réimporté n'enregistre rien deux fois. Codes
    de sortie : 0 succès ; 1 relevé refusé ou dossier invalide ; 2 erreur d'utilisation.
    """
    from actes._paths import find_workspace
    from actes.imports.matching import apply_matches, match_statement
    from actes.imports.statements import read_statement

    folder = dossiers or find_workspace() or Path.cwd()
    statement = read_statement(fichier)
    report = match_statement(statement, folder)
    if not dry_run:
        apply_matches(report, au=au)
    if csv_path is not None:
        _write_csv(csv_path, report)
    if as_json:
        echo_json({**report.as_dict(), "ecrit": not dry_run})
        return
    click.echo(
        f"Relevé {statement.file} ({statement.format}, compte {statement.account}, "
        f"{len(statement.lines)} opérations)"
    )
    labels = {
        "enregistre": "enregistré",
        "a_enregistrer": "à enregistrer",
        "deja_enregistre": "déjà enregistré",
        "non_rapproche": "NON RAPPROCHÉ",
        "ambigu": "AMBIGU",
        "a_confirmer": "À CONFIRMER",
        "debit_ignore": "débit ignoré",
    }
    for outcome in report.outcomes:
        line = outcome.line
        target = ""
        if outcome.case is not None:
            target = f" → {outcome.case.reference}" + (
                f" / {outcome.claim}" if outcome.claim else ""
            )
        if outcome.candidates:
            target += f" (dossiers : {', '.join(outcome.candidates)})"
        click.echo(
            f"  {line.booked.strftime('%d/%m/%Y')} {line.amount:>12} € "
            f"{'crédit' if line.credit else 'débit '} {line.counterparty or '—'} "
            f"« {line.text} » : {labels[outcome.status]}{target} — {outcome.reason}"
        )
    counts = report.counts()
    summary = ", ".join(f"{labels[k]} : {v}" for k, v in sorted(counts.items()))
    click.echo(f"Bilan : {summary}.")
    if dry_run:
        click.echo("Aperçu (--dry-run) : rien n'a été écrit.")


def _write_csv(path: Path, report: Any) -> None:
    import csv
    import io

    from actes._io import atomic_write
    from actes.portfolio.csvsafe import safe_row

    buffer = io.StringIO()
    columns = [
        "ligne",
        "date",
        "montant",
        "sens",
        "contrepartie",
        "iban_contrepartie",
        "libelle",
        "reference",
        "statut",
        "dossier",
        "creance",
        "raison",
    ]
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(columns)
    for outcome in report.outcomes:
        row = outcome.as_dict()
        # Bank texts come from outside: a name starting with « = » must not run as a formula.
        writer.writerow(safe_row(row[c] for c in columns))
    atomic_write(path, "\ufeff" + buffer.getvalue())

"""``actes rapport``: the portfolio report (aged balance, encours, DSO, recoveries, stages)."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from actes.cli._common import DATE, check_output, echo_json, today
from actes.errors import UsageProblem

__all__ = ["rapport"]

_DETAIL_VIEWS = {"debiteurs", "creanciers", "gestionnaires", "dossiers", "delais", "ecartes"}
_VIEW_NAMES = (
    "synthese",
    "balance",
    "debiteurs",
    "creanciers",
    "gestionnaires",
    "dossiers",
    "encours",
    "encaissements",
    "etapes",
    "prochaines_etapes",
    "delais",
    "ecartes",
)


@click.command("rapport")
@click.argument(
    "source",
    metavar="[SOURCE]",
    required=False,
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--au",
    "au",
    type=DATE,
    default=None,
    metavar="AAAA-MM-JJ",
    help="Date du rapport (défaut : aujourd'hui). Les dossiers sont pris tels qu'ils étaient "
    "ce jour-là (créances émises, paiements et événements datés jusqu'à cette date).",
)
@click.option(
    "--creancier",
    "creditor_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Pour un portefeuille CSV : fichier YAML du créancier (comme actes batch).",
)
@click.option(
    "--dso-jours",
    type=click.IntRange(7, 730),
    default=90,
    show_default=True,
    help="Période du DSO : encours ÷ montant facturé sur ces jours × ces jours.",
)
@click.option(
    "--ca",
    "sales_text",
    default=None,
    metavar="MONTANT",
    help="Chiffre d'affaires TTC facturé par le créancier sur la période du DSO "
    "(« 125 000,00 ») : DSO comptable ; sans lui, le DSO est celui des créances suivies, par "
    "créancier.",
)
@click.option(
    "--lignes",
    type=click.IntRange(1, 100_000),
    default=15,
    show_default=True,
    help="Lignes affichées par tableau détaillé (débiteurs, dossiers…) dans le terminal.",
)
@click.option("--json", "as_json", is_flag=True, help="Tout le rapport en JSON.")
@click.option(
    "--csv",
    "csv_view",
    type=click.Choice(_VIEW_NAMES),
    default=None,
    help="Une vue du rapport en CSV (« ; ») sur la sortie standard.",
)
@click.option(
    "--xlsx",
    "xlsx_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Écrit le classeur (une feuille par vue, graphiques) dans ce fichier .xlsx.",
)
@click.option(
    "--pdf",
    "pdf_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Écrit le rapport en PDF (tableaux et graphiques) dans ce fichier.",
)
@click.option(
    "--graphiques",
    "charts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Écrit les graphiques (balance_agee, encours) en PNG et SVG dans ce dossier.",
)
def rapport(
    source: Path | None,
    au: dt.date | None,
    creditor_file: Path | None,
    dso_jours: int,
    sales_text: str | None,
    lignes: int,
    as_json: bool,
    csv_view: str | None,
    xlsx_file: Path | None,
    pdf_file: Path | None,
    charts_dir: Path | None,
) -> None:
    """Rapport du portefeuille de SOURCE (l'espace de travail, un dossier de dossiers ou un
    portefeuille CSV ; défaut : l'espace de travail du dossier courant, sinon le dossier
    courant) à une date : balance âgée (par débiteur, créancier, gestionnaire, dossier),
    évolution de l'encours, encaissements et taux de recouvrement, DSO, dossiers par étape et
    par prochaine étape, délais des 7 et 30 prochains jours.

    Les montants sont ceux du décompte de chaque dossier (actes decompte) ; un dossier
    invalide est écarté du total et nommé avec sa raison. Voir docs/reporting.md.
    """
    from actes._io import atomic_write
    from actes._paths import find_workspace
    from actes.portfolio.report_views import report_views, view_csv

    if sum(bool(x) for x in (as_json, csv_view)) > 1:
        raise UsageProblem(
            "--json et --csv ne peuvent pas être demandés ensemble.",
            hint="choisissez une seule sortie standard",
        )
    target = source or find_workspace(Path.cwd()) or Path.cwd()
    if target.is_file() and target.suffix.lower() in (".yaml", ".yml", ".json"):
        # One case file is not a portfolio (it would be read as a CSV export).
        raise UsageProblem(
            f"{target} est un fichier de dossier, pas un portefeuille.",
            hint="indiquez le dossier qui contient les dossiers (ou un portefeuille CSV) ; "
            "pour un seul dossier : actes decompte, actes score",
        )
    for path, option in ((xlsx_file, "--xlsx"), (pdf_file, "--pdf")):
        if path is not None:
            check_output(path, option=option, case_folders=[target] if target.is_dir() else [])
    if charts_dir is not None:
        check_output(
            charts_dir,
            option="--graphiques",
            case_folders=[target] if target.is_dir() else [],
            folder=True,
        )
    day = au or today()
    sales = _sales(sales_text)
    report = _report(target, day, creditor_file, dso_jours, sales, quiet=as_json or bool(csv_view))
    for excluded in report.excluded:
        click.echo(
            f"Attention : {excluded.reference} ({excluded.file}) écarté — {excluded.message}",
            err=True,
        )
    if xlsx_file is not None:
        from actes.portfolio.report_files import report_xlsx

        atomic_write(xlsx_file, report_xlsx(report))
        click.echo(f"Classeur écrit : {xlsx_file}", err=True)
    if pdf_file is not None:
        from actes.portfolio.report_files import report_pdf

        atomic_write(pdf_file, report_pdf(report, firm=_firm_name(target)))
        click.echo(f"Rapport PDF écrit : {pdf_file}", err=True)
    if charts_dir is not None:
        from actes.portfolio.charts import CHARTS, chart

        charts_dir.mkdir(parents=True, exist_ok=True)
        for name in CHARTS:
            for fmt in ("png", "svg"):
                atomic_write(charts_dir / f"{name}.{fmt}", chart(name, report, fmt))
        click.echo(f"Graphiques écrits dans {charts_dir}", err=True)
    views = report_views(report)
    if as_json:
        echo_json(_as_json(report))
        return
    if csv_view is not None:
        sys.stdout.write(view_csv(next(v for v in views if v.name == csv_view)))
        return
    _print(views, lignes)


def _firm_name(target: Path) -> str:
    from actes.workspace import firm_for

    firm = firm_for(target if target.is_dir() else target.parent)
    return firm.name if firm is not None else ""


def _sales(text: str | None) -> Decimal | None:
    if text is None:
        return None
    from actes.portfolio.sources import parse_amount

    try:
        amount = Decimal(parse_amount(text))
    except ValueError as error:
        raise click.BadParameter(
            f"{error} (exemple : « 125 000,00 »).", param_hint="--ca"
        ) from None
    if amount <= 0:
        raise click.BadParameter("le chiffre d'affaires doit être positif.", param_hint="--ca")
    return amount


def _report(
    target: Path,
    day: dt.date,
    creditor_file: Path | None,
    dso_days: int,
    sales: Decimal | None,
    *,
    quiet: bool,
) -> Any:
    from actes.portfolio.report import build_report, gather_facts
    from actes.portfolio.sources import load_creditor_file

    creditor = load_creditor_file(creditor_file) if creditor_file else None
    bar: Any = None

    def start(count: int) -> None:
        nonlocal bar
        if count >= 200 and sys.stderr.isatty() and not quiet:
            bar = click.progressbar(length=count, label="Dossiers", file=sys.stderr)
            bar.__enter__()

    def advance(count: int) -> None:
        if bar is not None:
            bar.update(count)

    try:
        facts, excluded = gather_facts(
            target, day, today=today(), creditor=creditor, progress=advance, on_count=start
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    return build_report(
        facts,
        day,
        excluded=excluded,
        source=str(target.resolve()),
        dso_days=dso_days,
        sales=sales,
    )


def _as_json(report: Any) -> dict[str, Any]:
    from actes.portfolio.report import BUCKETS

    return {
        "au": report.au,
        "source": report.source,
        "dossiers_comptes": len(report.facts),
        "dossiers_ecartes": [
            {"fichier": e.file, "reference": e.reference, "raison": e.message}
            for e in report.excluded
        ],
        "total_du": report.total_due,
        "tranches": {key: label for key, label in BUCKETS},
        "balance_agee": report.balance.as_json(),
        "par_debiteur": [b.as_json() for b in report.by_debtor],
        "par_creancier": [b.as_json() for b in report.by_creditor],
        "par_gestionnaire": [b.as_json() for b in report.by_collector],
        "par_dossier": [b.as_json() for b in report.by_case],
        "encours": [{"date": d, "montant": a} for d, a in report.encours],
        "encaissements": [
            {"fin_de_periode": d, "montant": a, "taux_pourcent": r} for d, a, r in report.recovered
        ],
        "encaisse_total": report.received_total,
        "taux_recouvrement_pourcent": report.recovery_rate,
        "dso": {
            "jours": report.dso,
            "periode_jours": report.dso_days,
            "facture_sur_la_periode": report.invoiced,
            "raison": report.dso_reason or None,
        },
        "retard_moyen_pondere_jours": report.average_days_late,
        "etapes": [
            {"etape": k, "libelle": label, "dossiers": n, "montant": a}
            for k, label, n, a in report.stages
        ],
        "prochaines_etapes": [
            {"etape": s, "dossiers": n, "montant": a} for s, n, a in report.steps
        ],
        "delais_30_jours": [
            {"date": d, "dossier": ref, "libelle": label}
            for d, ref, label in report.deadlines_within(30)
        ],
        "delais_7_jours": len(report.deadlines_within(7)),
    }


def _print(views: list[Any], lines: int) -> None:
    from actes.portfolio.report_views import fr_cell

    for view in views:
        if view.name == "ecartes" and not view.rows:
            continue
        click.echo(f"\n{view.title}")
        click.echo("─" * len(view.title))
        if not view.rows:
            click.echo(f"  {view.empty}")
            continue
        cut = lines if view.name in _DETAIL_VIEWS else len(view.rows)
        shown = list(view.rows[:cut])
        table = [[c.title for c in view.columns]]
        table += [
            [fr_cell(v, view.kind(n, i)) for i, v in enumerate(r)] for n, r in enumerate(shown)
        ]
        if view.total is not None:
            table.append(
                [fr_cell(v, c.kind) for v, c in zip(view.total, view.columns, strict=True)]
            )
        widths = [max(len(row[i]) for row in table) for i in range(len(view.columns))]
        widths[0] = min(widths[0], 60)
        for number, row in enumerate(table):
            cells = []
            for i, text in enumerate(row):
                text = text if len(text) <= widths[i] else text[: widths[i] - 1] + "…"
                right = number > 0 and view.kind(number - 1, i) != "text"
                cells.append(text.rjust(widths[i]) if right else text.ljust(widths[i]))
            click.echo("  " + "  ".join(cells).rstrip())
        if len(view.rows) > cut:
            click.echo(f"  … et {len(view.rows) - cut} autre(s) ligne(s) (--lignes, --xlsx)")
        if view.note:
            click.echo(textwrap.fill(view.note, 96, initial_indent="  ", subsequent_indent="  "))

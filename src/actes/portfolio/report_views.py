"""The views of a portfolio report as plain tables, shared by every output.

The table on the terminal, the CSV, the XLSX workbook, the PDF report and the dashboard of
``actes serve`` all show the same :class:`View` objects, so a figure cannot differ between
two outputs. A cell is a value (``Decimal`` amounts, ``int`` counts, ``datetime.date``,
text); each column has a kind that says how to show it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from actes.portfolio.report import BUCKETS, Breakdown, Report, month_label

__all__ = ["VIEWS", "Column", "View", "fr_amount", "fr_cell", "report_views", "view_csv"]

Kind = Literal["text", "money", "int", "date", "pct", "days"]
Cell = str | Decimal | int | dt.date | None


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: Kind = "text"


@dataclass(frozen=True)
class View:
    """One table of the report: its name (``--vue``), French title, columns and rows."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    total: tuple[Cell, ...] | None = None
    row_kinds: tuple[Kind, ...] = ()
    """When the rows are of different kinds (the synthesis): the kind of each row's value
    (last column), which then overrides its column's kind."""
    empty: str = "Aucune ligne."
    """What to show when there is no row."""

    def kind(self, row: int, column: int) -> Kind:
        """The kind of a cell."""
        if self.row_kinds and column == len(self.columns) - 1 and row < len(self.row_kinds):
            return self.row_kinds[row]
        return self.columns[column].kind


VIEWS = {
    "synthese": "Synthèse",
    "balance": "Balance âgée",
    "debiteurs": "Balance âgée par débiteur",
    "creanciers": "Balance âgée par créancier",
    "gestionnaires": "Balance âgée par gestionnaire",
    "dossiers": "Balance âgée par dossier",
    "encours": "Évolution de l'encours",
    "encaissements": "Encaissements par mois",
    "etapes": "Dossiers par étape",
    "prochaines_etapes": "Dossiers par prochaine étape",
    "delais": "Délais des 30 prochains jours",
    "ecartes": "Dossiers écartés",
}
"""The views, in the order the outputs show them (``--vue`` takes these names)."""


def fr_amount(value: Decimal) -> str:
    """« 12 345,67 € » (narrow no-break space between thousands), as every document prints
    amounts (:func:`actes.documents.formatting.format_amount`)."""
    from actes.documents.formatting import format_amount

    return format_amount(value)


def fr_cell(value: Cell, kind: Kind) -> str:
    """A cell as the terminal, the PDF and the web page show it."""
    if value is None:
        return "—"
    if kind == "money" and isinstance(value, Decimal):
        return fr_amount(value)
    if kind == "pct" and isinstance(value, Decimal):
        return f"{value}".replace(".", ",") + "\u00a0%"
    if kind == "days" and isinstance(value, (int, Decimal)):
        return f"{value}\u00a0j"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


_BUCKET_COLUMNS = tuple(Column(key, label, "money") for key, label in BUCKETS)


_ACCESSORIES = "Intérêts et indemnités"
_AGED_NOTE = (
    "Balance âgée : principal restant dû par ancienneté de l'échéance (jours écoulés depuis "
    "l'échéance de chaque facture, ou de chaque mensualité d'un plan d'apurement en cours ; "
    "non échu jusqu'au jour de l'échéance inclus ; les mensualités d'un plan comprennent les "
    "intérêts qu'il a reconnus). Les intérêts, pénalités de retard et "
    "indemnités forfaitaires du décompte de chaque dossier sont dans une colonne à part ; le "
    "total est le décompte."
)


def _aged(
    name: str,
    lines: Sequence[Breakdown],
    first: str,
    report: Report,
    *,
    count: bool = True,
    dso: dict[str, Decimal | None] | None = None,
) -> View:
    columns: tuple[Column, ...] = (Column("libelle", first),)
    if count:
        columns += (Column("dossiers", "Dossiers", "int"),)
    columns += (*_BUCKET_COLUMNS, Column("accessoires", _ACCESSORIES, "money"))
    columns += (Column("total", "Total", "money"),)
    if dso is not None:
        columns += (Column("dso", f"DSO ({report.dso_days} j)", "days"),)

    def cells(line: Breakdown, label: str) -> tuple[Cell, ...]:
        row: tuple[Cell, ...] = (label,)
        if count:
            row += (line.cases,)
        row += (*(line.buckets[k] for k, _ in BUCKETS), line.accessories, line.total)
        if dso is not None:
            row += (dso.get(line.key) if line.key != "total" else report.dso,)
        return row

    return View(
        name,
        VIEWS[name],
        columns,
        tuple(cells(line, line.label) for line in lines),
        note=(
            "DSO de chaque créancier : principal restant dû ÷ montant des créances émises "
            f"dans les {report.dso_days} derniers jours × {report.dso_days} (créances suivies "
            "dans actes seulement) ; « — » : aucune créance émise pendant cette période."
            if dso is not None
            else ""
        ),
        total=cells(report.balance, "Total"),
    )


def _summary(report: Report) -> View:
    rows: list[tuple[str, Cell, Kind]] = [
        ("Date du rapport", report.au, "date"),
        ("Dossiers comptés", len(report.facts), "int"),
        (
            "Dossiers écartés (voir « Dossiers écartés »)"
            if report.excluded
            else "Dossiers écartés",
            len(report.excluded),
            "int",
        ),
    ]
    if report.not_yet:
        rows.append(("Dossiers sans créance émise à cette date", len(report.not_yet), "int"))
    rows += [
        ("Total dû (décomptes des dossiers)", report.total_due, "money"),
        ("dont principal échu", report.balance.overdue, "money"),
        ("dont principal non échu", report.balance.buckets["non_echu"], "money"),
        ("dont intérêts, pénalités et indemnités", report.balance.accessories, "money"),
        ("Montant des créances des dossiers", report.placed, "money"),
        ("Encaissé (tous paiements enregistrés)", report.received_total, "money"),
        ("Taux d'encaissement (encaissé ÷ montant des créances)", report.recovery_rate, "pct"),
        (
            f"DSO ({report.dso_days} jours, "
            + ("chiffre d'affaires fourni)" if report.sales is not None else "créances suivies)"),
            report.dso,
            "days",
        ),
        ("Retard moyen pondéré du principal échu", report.average_days_late, "days"),
        ("Délais dans les 7 jours", len(report.deadlines_within(7)), "int"),
        ("Délais dans les 30 jours", len(report.deadlines_within(30)), "int"),
    ]
    notes = [
        "Taux d'encaissement : paiements enregistrés (acomptes versés avant l'échéance compris) "
        "÷ montant total des créances des dossiers comptés, échues ou non.",
        f"DSO : principal restant dû ÷ montant facturé sur les {report.dso_days} derniers jours "
        f"× {report.dso_days}"
        + (
            " (chiffre d'affaires de la période fourni par --ca)."
            if report.sales is not None
            else " ; sans le chiffre d'affaires (--ca), le montant facturé est celui des "
            "créances suivies dans actes, ce qui allonge le DSO (les factures payées à temps "
            "n'y sont pas)."
        ),
        "Retard moyen pondéré : jours écoulés depuis l'échéance, pondérés par le principal "
        "restant dû.",
    ]
    if report.dso is None and report.dso_reason:
        notes.insert(0, f"DSO non calculé : {report.dso_reason}.")
    return View(
        "synthese",
        VIEWS["synthese"],
        (Column("indicateur", "Indicateur"), Column("valeur", "Valeur")),
        tuple((label, value) for label, value, _ in rows),
        note=" ".join(notes),
        row_kinds=tuple(kind for _, _, kind in rows),
    )


def report_views(report: Report) -> list[View]:
    """Every view of ``report``, in :data:`VIEWS` order."""
    encours_rows = tuple(
        (
            month_label(day) if day != report.au else f"au {day:%d/%m/%Y}",
            day,
            amount,
        )
        for day, amount in report.encours
    )
    recovered_rows = tuple(
        (
            month_label(end) + (f" (au {end:%d/%m})" if end == report.au else ""),
            amount,
            rate,
        )
        for end, amount, rate in report.recovered
    )
    views = [
        _summary(report),
        View(
            "balance",
            VIEWS["balance"],
            (
                Column("tranche", "Retard"),
                Column("montant", "Montant dû", "money"),
                Column("part", "Part", "pct"),
            ),
            (
                *(
                    (
                        f"principal {label}",
                        report.balance.buckets[key],
                        _share(report.balance.buckets[key], report.total_due),
                    )
                    for key, label in BUCKETS
                ),
                (
                    _ACCESSORIES,
                    report.balance.accessories,
                    _share(report.balance.accessories, report.total_due),
                ),
            ),
            note=_AGED_NOTE,
            total=("Total", report.total_due, Decimal("100.0") if report.total_due else None),
        ),
        _aged("debiteurs", report.by_debtor, "Débiteur", report),
        _aged("creanciers", report.by_creditor, "Créancier", report, dso=report.dso_by_creditor),
        _aged("gestionnaires", report.by_collector, "Gestionnaire", report),
        _aged("dossiers", report.by_case, "Dossier", report, count=False),
        View(
            "encours",
            VIEWS["encours"],
            (
                Column("mois", "Fin de mois"),
                Column("date", "Date", "date"),
                Column("encours", "Encours", "money"),
            ),
            encours_rows,
            note="Montant dû à chaque fin de mois, recalculé à partir des dates des dossiers "
            "(créances émises, paiements et événements connus ce jour-là).",
        ),
        View(
            "encaissements",
            VIEWS["encaissements"],
            (
                Column("mois", "Mois"),
                Column("montant", "Encaissé", "money"),
                Column("taux", "Taux", "pct"),
            ),
            recovered_rows,
            note="Taux : encaissé dans le mois ÷ encours à la fin du mois précédent.",
        ),
        View(
            "etapes",
            VIEWS["etapes"],
            (
                Column("etape", "Étape"),
                Column("dossiers", "Dossiers", "int"),
                Column("montant", "Montant dû", "money"),
            ),
            tuple((label, count, amount) for _, label, count, amount in report.stages),
        ),
        View(
            "prochaines_etapes",
            VIEWS["prochaines_etapes"],
            (
                Column("etape", "Prochaine étape"),
                Column("dossiers", "Dossiers", "int"),
                Column("montant", "Montant dû", "money"),
            ),
            tuple(report.steps),
        ),
        View(
            "delais",
            VIEWS["delais"],
            (
                Column("date", "Date limite", "date"),
                Column("dossier", "Dossier"),
                Column("delai", "Délai"),
            ),
            tuple(report.deadlines_within(30)),
            note=_within_seven(len(report.deadlines_within(7))),
            empty="Aucun délai dans les 30 prochains jours.",
        ),
        View(
            "ecartes",
            VIEWS["ecartes"],
            (
                Column("fichier", "Fichier"),
                Column("dossier", "Dossier"),
                Column("raison", "Raison"),
            ),
            tuple((e.file, e.reference, e.message) for e in report.excluded),
            empty="Aucun dossier écarté.",
        ),
    ]
    return views


def _within_seven(count: int) -> str:
    if count == 0:
        return "Aucun dans les 7 prochains jours."
    return f"Dont {count} dans les 7 prochains jours."


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return (part / whole * 100).quantize(Decimal("0.1"))


def view_csv(view: View) -> str:
    """A view as CSV for spreadsheets (``;``, amounts with a dot, dates ISO); formulas are
    neutralised like the other CSV outputs of actes."""
    from actes.portfolio.csvsafe import SafeWriter

    buffer = io.StringIO()
    writer = SafeWriter(buffer, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.key for c in view.columns])
    for row in (*view.rows, *((view.total,) if view.total else ())):
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)

"""Déclaration de créance: a table that adds up, the 40 € indemnity on its own column and only
for invoices due before the opening judgment, no « à échoir » in liquidation (C. com. L643-1),
the deadline counted on the dispatch date (Cass. com. 1 Feb 2005, n° 03-13047)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from actes.cases.case import load_case
from actes.documents.contexts.collective import declaration_context
from actes.documents.formatting import format_amount
from actes.documents.render import render_documents

from .conftest import EXAMPLES, plain_spaces

DOCUMENT = "LJ-2026-0088-declaration-de-creance.docx"
HEADERS = ["Créance", "Échéance", "Principal", "Réglé", "Intérêts", "Indemnité", "Total"]


# The bundled liquidation example moved to the first half of 2026, whose rates are
# confirmed (a filed document refuses an unconfirmed rate): opening judgment on 14 April
# 2026, BODACC on 24 April; invoice 2026-301 due 16 March, 2026-355 due 30 April.
SHIFTED = {
    ("creances", 0, "date_emission"): "2026-02-14",
    ("creances", 0, "date_echeance"): "2026-03-16",
    ("creances", 1, "date_emission"): "2026-03-31",
    ("creances", 1, "date_echeance"): "2026-04-30",
    ("evenements", 0, "date"): "2026-04-01",
    ("evenements", 1, "date"): "2026-04-14",
    ("evenements", 2, "date"): "2026-04-24",
}
AU = dt.date(2026, 5, 15)
EXAMPLE_AU = dt.date(2026, 12, 1)
# 8 400 € at the L441-10 default rate of 2026 S1 (ECB 2.15 % + 10 = 12.15 %, legal reference
# § 2.3), from 17 March to 14 April included: 29 days; then interest stops (L622-28).
PENALTIES = (Decimal("8400.00") * Decimal("12.15") * 29 / 36500).quantize(
    Decimal("0.01"), rounding=ROUND_HALF_UP
)


def _case(tmp_path: Path, edit: Any = None) -> Path:
    target = tmp_path / "case"
    shutil.copytree(EXAMPLES / "liquidation-judiciaire", target)
    path = target / "dossier.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for (part, index, key), value in SHIFTED.items():
        data[part][index][key] = value
    for piece in data.get("pieces", []):  # a pièce cannot postdate the declaration (AU)
        piece["date"] = min(piece["date"], AU.isoformat())
    assert [e["type"] for e in data["evenements"]] == [
        "relance_envoyee",
        "jugement_ouverture",
        "publication_bodacc",
    ]
    if edit is not None:
        edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _render(case: Path, tmp_path: Path) -> docx.document.Document:
    render_documents("declaration_de_creance", case, tmp_path / "out", AU)
    return docx.Document(str(tmp_path / "out" / DOCUMENT))


def _text(document: Any) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def _euros(text: str) -> Decimal:
    """« 12 482,76 € » → Decimal('12482.76')."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text)
    return Decimal(cleaned.replace(",", "."))


def _claims_table(document: Any) -> tuple[list[list[str]], list[str]]:
    """(body rows, total row) of the déclaration's amount table."""
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0] == HEADERS:
            return rows[1:-1], rows[-1]
    raise AssertionError("tableau des montants introuvable")


def _set(data: dict[str, Any], event_type: str, **values: Any) -> None:
    for event in data["evenements"]:
        if event["type"] == event_type:
            event.update(values)


def _assert_adds_up(document: Any) -> tuple[list[list[str]], list[str]]:
    body, total = _claims_table(document)
    assert body and total[0] == "Total"
    columns = [Decimal("0")] * 5
    for row in body:
        principal, paid, interest, indemnity, line_total = (_euros(v) for v in row[2:])
        assert principal - paid + interest + indemnity == line_total, row
        for index, value in enumerate((principal, paid, interest, indemnity, line_total)):
            columns[index] += value
    assert [_euros(v) for v in total[2:]] == columns
    declared = re.search(r"Montant déclaré\s: ([^(]+) \(", _text(document))
    assert declared is not None
    assert _euros(declared.group(1)) == columns[4]
    return body, total


def test_table_adds_up_with_the_indemnity_in_its_own_column(tmp_path: Path) -> None:
    def paid_part(data: dict[str, Any]) -> None:
        data["paiements"] = [
            {
                "date": "2026-04-01",
                "montant": "1000.00",
                "reference": "VIR-1",
                "creance": "2026-301",
            }
        ]

    document = _render(_case(tmp_path, paid_part), tmp_path)
    body, total = _assert_adds_up(document)
    by_reference = {row[0]: row for row in body}
    # 2026-301, due 16 March 2026, unpaid on the opening day: 40 € on its own column.
    assert _euros(by_reference["2026-301"][5]) == Decimal("40.00")
    assert _euros(by_reference["2026-301"][3]) == Decimal("1000.00")
    assert _euros(total[5]) == Decimal("40.00")


def test_no_indemnity_for_an_invoice_due_after_the_opening_judgment(tmp_path: Path) -> None:
    # Rendered on 15 May 2026: invoice 2026-355 (due 30 April) is late on that date, yet
    # the judgment of 14 April forbade paying it (L622-7): no indemnity is declared.
    document = _render(_case(tmp_path), tmp_path)
    body, _ = _assert_adds_up(document)
    by_reference = {row[0]: row for row in body}
    assert _euros(by_reference["2026-301"][4]) == PENALTIES
    assert _euros(by_reference["2026-301"][5]) == Decimal("40.00")
    later = by_reference["2026-355"]
    assert _euros(later[5]) == Decimal("0.00")
    assert _euros(later[6]) == Decimal("3960.00")
    assert "Aucune indemnité n'est déclarée pour les factures échues depuis" in _text(document)


@pytest.mark.parametrize(("due", "indemnity"), [("2026-04-13", "40.00"), ("2026-04-14", "0.00")])
def test_indemnity_depends_on_the_due_date_against_the_opening_day(
    tmp_path: Path, due: str, indemnity: str
) -> None:
    def due_on(data: dict[str, Any]) -> None:
        data["creances"][1]["date_echeance"] = due

    body, _ = _assert_adds_up(_render(_case(tmp_path, due_on), tmp_path))
    assert _euros({row[0]: row for row in body}["2026-355"][5]) == Decimal(indemnity)


def test_context_drops_an_indemnity_given_for_a_later_invoice() -> None:
    case = load_case(EXAMPLES / "liquidation-judiciaire" / "dossier.yaml", au=EXAMPLE_AU)
    raw = {
        "regime": "penalites_l441_10",
        "creances": [
            {"reference": "2026-301", "principal": "8400.00", "interets": "82.76",
             "indemnite": "40.00", "total_du": "8522.76"},
            {"reference": "2026-355", "principal": "3960.00", "interets": "0.00",
             "indemnite": "40.00", "total_du": "4000.00"},
        ],
    }  # fmt: skip
    context = declaration_context(case, EXAMPLE_AU, raw)
    assert context is not None
    lines = {line["reference"]: line for line in context["lignes"]}
    assert lines["2026-355"]["indemnite"] == "0,00\u00a0€"
    assert context["total_indemnites"] == "40,00\u00a0€"
    assert _euros(context["total"]) == Decimal("8400.00") + Decimal("82.76") + 40 + 3960


def test_liquidation_declares_claims_not_yet_due_as_due(tmp_path: Path) -> None:
    document = _render(_case(tmp_path), tmp_path)
    text = _text(document) + "\n".join(" ".join(r) for r in _claims_table(document)[0])
    assert "échoir" not in text.lower()
    assert "L643-1" in text
    assert "déclarées comme échues" in text
    # The amount declared includes invoice 2026-355 (3 960 €, due after the judgment).
    _, total = _claims_table(document)
    assert _euros(total[6]) == Decimal("8400.00") + PENALTIES + 40 + Decimal("3960.00")


def test_redressement_lists_sums_to_fall_due_and_includes_them(tmp_path: Path) -> None:
    def redressement(data: dict[str, Any]) -> None:
        _set(
            data,
            "jugement_ouverture",
            procedure="redressement_judiciaire",
            organe={**data["evenements"][1]["organe"], "role": "mandataire_judiciaire"},
        )

    document = _render(_case(tmp_path, redressement), tmp_path)
    text = _text(document)
    assert "Sommes à échoir et dates d'échéance" in text
    assert "2026-355 (Impression de 1 500 brochures)" in plain_spaces(text)
    assert "L643-1" not in text
    due = format_amount(Decimal("8400.00") + PENALTIES + 40)
    assert f"dont {due} échus et {format_amount(Decimal('3960.00'))} à échoir" in text
    _assert_adds_up(document)


def test_deadline_is_met_by_the_dispatch_date(tmp_path: Path) -> None:
    text = _text(_render(_case(tmp_path), tmp_path))
    assert "parvenir" not in text
    assert "La déclaration doit être envoyée" in text
    assert "date d'expédition" in text
    assert "03-13.047" in text
    assert "doit être envoyée au plus tard le 24 juin 2026" in text

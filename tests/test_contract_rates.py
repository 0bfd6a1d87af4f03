"""Contractual rates defined from the legal or ECB rate, the L441-10 floor, and unconfirmed
rates in documents (docs/rates.md). Expected amounts are written arithmetic, never the engine."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from actes.cli import main
from actes.documents.render import render_documents
from actes.errors import ActesError
from actes.law.money import ClaimInput, DecompteOptions, compute_decompte
from actes.law.rates import IndexedRate

from .conftest import docx_text

ROOT = Path(__file__).resolve().parents[1]
B2B = ROOT / "examples" / "b2b-factures-impayees"
NBSP, NNBSP = "\u00a0", "\u202f"


def interest(base: str, rate: str, days: int) -> Decimal:
    raw = Decimal(base) * Decimal(rate) / 100 * days / 365
    return raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def euros(value: Decimal) -> str:
    whole, cents = f"{value:.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{NNBSP.join(groups)},{cents}{NBSP}€"


def b2b_copy(tmp_path: Path, edit: Any = None) -> Path:
    target = tmp_path / "dossiers" / "b2b"
    shutil.copytree(B2B, target)
    path = target / "dossier.yaml"
    if edit is not None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def claim(rate: Decimal | IndexedRate, due: date, amount: str = "10000.00") -> ClaimInput:
    return ClaimInput("F1", "Facture 1", due, Decimal(amount), contractual_rate=rate)


def test_three_times_the_legal_rate_each_half_year() -> None:
    index = IndexedRate("interet_legal", multiple=Decimal(3))
    options = DecompteOptions("penalites_l441_10", au=date(2026, 6, 30))
    result = compute_decompte([claim(index, date(2025, 11, 30))], [], options)
    (account,) = result.claims
    # 2025 S2: 3 × 2.76 = 8.28 % for 1-31 Dec (31 days); 2026 S1: 3 × 2.62 = 7.86 % (181 days).
    assert [(p.days, p.rate) for p in account.periods] == [
        (31, Decimal("8.28")),
        (181, Decimal("7.86")),
    ]
    assert account.interest_total == interest("10000", "8.28", 31) + interest("10000", "7.86", 181)
    assert account.interest_total == Decimal("70.32") + Decimal("389.77")
    assert account.rate_labels == (
        f"3 fois le taux de l'intérêt légal, soit 8,28{NBSP}% au 2e semestre 2025",
        f"3 fois le taux de l'intérêt légal, soit 7,86{NBSP}% au 1er semestre 2026",
    )
    assert "2,62 %" in account.periods[1].rate_origin
    assert result.reserves == ()


def test_ecb_plus_points_and_the_floor_between_professionals() -> None:
    index = IndexedRate("bce", points=Decimal(10))
    options = DecompteOptions("penalites_l441_10", au=date(2025, 6, 30))
    result = compute_decompte([claim(index, date(2023, 12, 31))], [], options)
    periods = result.claims[0].periods
    # 2024 S1: ECB 4.50 + 10 = 14.50 % < floor 3 × 5.07 = 15.21 % -> 15.21 % (182 days, leap
    # year, basis 365). 2024 S2: 4.25 + 10 = 14.25 % < 3 × 4.92 = 14.76 % -> 14.76 %.
    # 2025 S1: 3.15 + 10 = 13.15 % ≥ 3 × 3.71 = 11.13 % -> 13.15 % (181 days).
    assert [(p.days, p.rate) for p in periods] == [
        (182, Decimal("15.21")),
        (184, Decimal("14.76")),
        (181, Decimal("13.15")),
    ]
    assert "plancher" in periods[0].rate_origin
    assert "taux de la BCE majoré de 10 points" in periods[2].rate_label
    assert any("inférieur au plancher" in warning for warning in result.warnings)
    assert result.claims[0].interest_total == (
        interest("10000", "15.21", 182)
        + interest("10000", "14.76", 184)
        + interest("10000", "13.15", 181)
    )


def test_floor_applies_to_a_fixed_contractual_rate() -> None:
    options = DecompteOptions("penalites_l441_10", au=date(2026, 6, 30))
    result = compute_decompte([claim(Decimal(5), date(2025, 12, 31))], [], options)
    (period,) = result.claims[0].periods
    # 5 % < 3 × 2.62 = 7.86 %: the floor, 181 days.
    assert (period.rate, period.days) == (Decimal("7.86"), 181)
    assert period.amount == interest("10000", "7.86", 181)
    assert "plancher" in period.rate_label


def test_no_floor_outside_professionals() -> None:
    index = IndexedRate("interet_legal", multiple=Decimal(3))
    options = DecompteOptions("contractuel", au=date(2026, 6, 30), creditor_is_consumer=True)
    result = compute_decompte([claim(index, date(2025, 12, 31))], [], options)
    # A consumer creditor: its own category, 3 × 6.67 = 20.01 %.
    assert result.claims[0].periods[0].rate == Decimal("20.01")


def test_cli_decompte_json_shows_each_half_year(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["creances"] = data["creances"][:1]
        data["creances"][0]["date_emission"] = "2025-10-31"
        data["creances"][0]["date_echeance"] = "2025-11-30"
        data["paiements"] = []
        data["evenements"] = []
        data["pieces"] = data["pieces"][:2]
        del data["parametres"]["taux_non_confirmes"]

    case = b2b_copy(tmp_path, edit)
    done = CliRunner().invoke(main, ["decompte", str(case), "--au", "2026-06-30", "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    (creance,) = data["creances"]
    assert creance["taux_contractuel"] == "3 fois le taux de l'intérêt légal"
    assert [(p["semestre"], p["taux"], p["montant"]) for p in creance["periodes"]] == [
        ("2025-S2", "8.28", str(interest("4320.00", "8.28", 31))),
        ("2026-S1", "7.86", str(interest("4320.00", "7.86", 181))),
    ]
    assert creance["taux_libelles"][1].endswith("soit 7,86\u00a0% au 1er semestre 2026")
    assert data["reserves"] == []


def test_b2b_mise_en_demeure_follows_the_invoice_clause(tmp_path: Path) -> None:
    (path,) = render_documents(
        "mise_en_demeure_professionnel", B2B / "dossier.yaml", tmp_path, date(2026, 11, 24)
    )
    text = docx_text(path)
    # FA-2026-0117: 3 × 2.75 % = 8.25 % (not 12.40 %): 49 days on 4 320, then 96 days on
    # 4 320 − (1 000 − 47.85) = 3 367.85.
    first = interest("4320.00", "8.25", 49)
    second = interest(str(Decimal("4320.00") - Decimal("1000.00") + first), "8.25", 96)
    assert (first, second) == (Decimal("47.85"), Decimal("73.08"))
    assert euros(first + second) in text
    assert "3 fois le taux de l'intérêt légal" in text
    assert "12,40" in text  # FA-2026-0142 has no clause: ECB + 10 points
    # The provisional 2026 S2 rates are named soberly with the figures (docs/rates.md).
    assert (
        f"Taux de l'intérêt légal retenu pour le 2e semestre 2026{NBSP}: 2,75{NBSP}%, sous "
        "réserve de sa confirmation au Journal officiel."
    ) in text
    assert f"Taux de la BCE retenu au 1er juillet 2026{NBSP}: 2,40{NBSP}%" in text
    assert "non encore publié" not in text


def test_requete_names_the_provisional_rate_the_case_accepted(tmp_path: Path) -> None:
    """The case accepts the provisional 2026 S2 figures (parametres.taux_non_confirmes): the
    requête, filed with the court, is a draft naming them (docs/rates.md)."""
    (path, *_) = render_documents(
        "injonction_de_payer_tc", b2b_copy(tmp_path), tmp_path / "out", date(2026, 11, 24)
    )
    text = docx_text(path)
    assert "REQUÊTE" in text
    assert text.startswith("PROJET – ne pas déposer en l'état")
    assert f"taux de l'intérêt légal du 2e semestre 2026{NBSP}: 2,75{NBSP}%" in text
    assert f"taux de la BCE au 1er juillet 2026{NBSP}: 2,40{NBSP}%" in text


def test_requete_refused_when_the_case_does_not_accept_the_rate(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["parametres"].pop("taux_non_confirmes")

    out = tmp_path / "out"
    with pytest.raises(ActesError) as caught:
        render_documents(
            "injonction_de_payer_tc", b2b_copy(tmp_path, edit), out, date(2026, 11, 24)
        )
    assert "actes taux ajouter" in caught.value.hint
    assert not out.exists()


def test_a_letter_before_the_unconfirmed_half_year_has_no_reserve(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        for item in data["creances"]:
            item["date_emission"] = "2025-12-01"
            item["date_echeance"] = "2025-12-31"
        data["paiements"] = []
        data["evenements"] = []
        for piece in data.get("pieces", []):  # a pièce cannot postdate the letter
            piece["date"] = min(piece["date"], "2026-06-01")

    (path,) = render_documents(
        "mise_en_demeure_professionnel", b2b_copy(tmp_path, edit), tmp_path / "o", date(2026, 6, 1)
    )
    text = docx_text(path)
    assert "sous réserve" not in text
    assert "7,86" in text  # 3 × 2.62 % in 2026 S1


def test_schema_rejects_an_unknown_base(tmp_path: Path) -> None:
    case = b2b_copy(
        tmp_path, lambda d: d["creances"][0].update(taux_contractuel={"base": "euribor"})
    )
    done = CliRunner().invoke(main, ["validate", str(case), "--date", "2026-11-24"])
    assert done.exit_code == 1
    assert "creances[0].taux_contractuel" in done.output

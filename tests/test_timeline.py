"""Case deadlines from the procedure definitions, under the regime the case's dates select."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from actes.cases.case import load_case
from actes.law.timeline import case_deadlines, court_departement, is_prescribed

from .conftest import AU, copy_example, example_path, load_yaml, write_case


def _by_id(path: Path, au: dt.date = AU, procedure: str | None = None) -> dict[str, Any]:
    case = load_case(path, au=au)
    return {d.id: d for d in case_deadlines(case, au, procedure_id=procedure)}


def _ip_variant(tmp_path: Path, rendered: str, served: str | None) -> Path:
    data = load_yaml(example_path("injonction-2026"))
    filed = dt.date.fromisoformat(rendered) - dt.timedelta(days=21)
    events = []
    for event in data["evenements"]:
        if event["type"] == "requete_deposee":
            event["date"] = filed.isoformat()
        if event["type"].startswith("mise_en_demeure"):
            event["date"] = (filed - dt.timedelta(days=30)).isoformat()
        if event["type"] == "ordonnance_rendue":
            event["date"] = rendered
        if event["type"] == "ordonnance_signifiee":
            if served is None:
                continue
            event["date"] = served
        events.append(event)
    data["evenements"] = events
    return write_case(copy_example("injonction-2026", tmp_path), data)


def test_new_regime_example_gives_the_issue_dates() -> None:
    # Ordonnance 5 Oct 2026 (décret 2026-96 regime): service within 3 months -> 5 Jan 2027
    # (a Tuesday); served à personne 20 Oct 2026: opposition 1 month -> Friday 20 Nov 2026.
    found = _by_id(example_path("injonction-2026"))
    service = found["signification_ordonnance"]
    assert service.date_limite == dt.date(2027, 1, 5)
    assert service.procedure_version == 3
    assert "CPC art. 1411 (rédaction du décret n° 2026-96)" in service.legal_basis
    assert service.status == "accompli"  # served on 20 October
    opposition = found["opposition"]
    assert opposition.date_limite == dt.date(2026, 11, 20)
    assert "CPC art. 1416 al. 1" in opposition.legal_basis
    # 20 Oct 2026 + 2 months = Sunday 20 Dec 2026 -> Monday 21 Dec 2026 (art. 642).
    enforce = found["execution_sans_avis_opposition"]
    assert enforce.result.date_nominale == dt.date(2026, 12, 20)
    assert enforce.date_limite == dt.date(2026, 12, 21)


def test_ordonnance_of_august_keeps_six_months_when_computed_in_december(tmp_path: Path) -> None:
    path = _ip_variant(tmp_path, "2026-08-05", "2026-08-20")
    found = _by_id(path, au=dt.date(2026, 12, 10))
    # 5 Aug 2026 + 6 months = Friday 5 Feb 2027 (CPC 1411 before décret 2026-96).
    assert found["signification_ordonnance"].date_limite == dt.date(2027, 2, 5)
    assert found["signification_ordonnance"].procedure_version == 2
    assert "execution_sans_avis_opposition" not in found


@pytest.mark.parametrize(
    ("rendered", "expected", "version"),
    [
        # 31 Aug 2026 + 6 months: 28 Feb 2027 (no 31 Feb, art. 641 al. 2) is a Sunday
        # -> Monday 1 March 2027.
        ("2026-08-31", dt.date(2027, 3, 1), 2),
        # 1 Sep 2026 + 3 months = Tuesday 1 Dec 2026.
        ("2026-09-01", dt.date(2026, 12, 1), 3),
    ],
)
def test_regime_boundary(tmp_path: Path, rendered: str, expected: dt.date, version: int) -> None:
    path = _ip_variant(tmp_path, rendered, None)
    found = _by_id(path)
    assert found["signification_ordonnance"].date_limite == expected
    assert found["signification_ordonnance"].procedure_version == version


def test_new_regime_deadline_on_a_holiday_moves(tmp_path: Path) -> None:
    # Ordonnance 25 Sep 2026 + 3 months = Friday 25 Dec 2026 (Noël) -> Monday 28 Dec 2026.
    path = _ip_variant(tmp_path, "2026-09-25", None)
    service = _by_id(path)["signification_ordonnance"]
    assert service.result.date_nominale == dt.date(2026, 12, 25)
    assert service.date_limite == dt.date(2026, 12, 28)
    assert service.status == "a_venir"
    assert any("Noël" in line for line in service.trace)


def test_unserved_new_regime_ordonnance_lapses(tmp_path: Path) -> None:
    path = _ip_variant(tmp_path, "2026-09-01", None)
    service = _by_id(path, au=dt.date(2026, 12, 2))["signification_ordonnance"]
    assert service.status == "depasse"
    assert service.blocking


def test_opposition_extended_for_a_debtor_abroad(tmp_path: Path) -> None:
    data = load_yaml(example_path("injonction-2026"))
    data["debiteur"]["adresse"] = {
        "ligne1": "Rue Neuve 1",
        "code_postal": "1000",
        "ville": "Bruxelles",
        "pays": "BE",
    }
    path = write_case(copy_example("injonction-2026", tmp_path), data)
    opposition = _by_id(path, procedure="injonction_de_payer_tj")["opposition"]
    # Served 20 Oct 2026: +2 months (art. 643, abroad) then +1 month = 20 Jan 2027 (Wednesday).
    assert opposition.date_limite == dt.date(2027, 1, 20)
    assert any("643" in basis for basis in opposition.result.fondement)


def test_old_regime_formule_executoire_starts_after_opposition(tmp_path: Path) -> None:
    path = _ip_variant(tmp_path, "2021-06-01", "2021-06-15")
    found = _by_id(path, procedure="injonction_de_payer_tj")
    # Opposition: 15 Jun 2021 + 1 month = Thursday 15 Jul 2021 (14 July is the holiday).
    assert found["opposition"].date_limite == dt.date(2021, 7, 15)
    # Formule exécutoire: within the month after -> Sunday 15 Aug 2021 (Assomption)
    # -> Monday 16 Aug 2021.
    assert found["formule_executoire"].date_limite == dt.date(2021, 8, 16)
    assert found["formule_executoire"].procedure_version == 1


def test_declaration_de_creance_two_months_from_bodacc() -> None:
    found = _by_id(example_path("liquidation-judiciaire"))
    # BODACC 24 Oct 2026 + 2 months = Thursday 24 Dec 2026.
    assert found["declaration"].date_limite == dt.date(2026, 12, 24)
    # Relevé de forclusion: 6 months = Saturday 24 Apr 2027 -> Monday 26 Apr 2027.
    assert found["releve_de_forclusion"].date_limite == dt.date(2027, 4, 26)


def test_declaration_extended_for_a_creditor_abroad(tmp_path: Path) -> None:
    data = load_yaml(example_path("liquidation-judiciaire"))
    data["creancier"]["adresse"] = {
        "ligne1": "Calle Mayor 5",
        "code_postal": "28013",
        "ville": "Madrid",
        "pays": "ES",
    }
    for key in ("siren", "siret", "rcs"):
        data["creancier"].pop(key)
    path = write_case(copy_example("liquidation-judiciaire", tmp_path), data)
    # R622-24: 2 + 2 months from 24 Oct 2026 = Wednesday 24 Feb 2027.
    assert _by_id(path)["declaration"].date_limite == dt.date(2027, 2, 24)


def test_surendettement_deadlines() -> None:
    found = _by_id(example_path("surendettement"))
    # Letter on the état du passif received 16 Nov 2026 + 30 days = Wednesday 16 Dec 2026.
    assert found["justification_creance"].date_limite == dt.date(2026, 12, 16)
    # Recevabilité 27 Oct 2026 + 15 days = Wednesday 11 Nov 2026 (holiday) -> 12 Nov 2026.
    assert found["recours_recevabilite"].date_limite == dt.date(2026, 11, 12)
    # Suspension at most 2 years, no art. 642 move: 27 Oct 2028.
    assert found["suspension_poursuites"].date_limite == dt.date(2028, 10, 27)


def test_ipe_opposition_counts_under_regulation_1182_71(tmp_path: Path) -> None:
    data = load_yaml(example_path("ipe-debiteur-allemand"))
    data["evenements"] += [
        {"type": "ipe_demande_deposee", "date": "2026-09-01"},
        {"type": "ipe_injonction_delivree", "date": "2026-09-25"},
        {"type": "ipe_injonction_signifiee", "date": "2026-10-12"},
    ]
    path = write_case(copy_example("ipe-debiteur-allemand", tmp_path), data)
    found = _by_id(path)
    # 12 Oct 2026 + 30 days = Wednesday 11 Nov 2026, a French holiday -> Thursday 12 Nov.
    assert found["opposition"].date_limite == dt.date(2026, 11, 12)
    # Then 10 days for the opposition to arrive (CPC 1424-14): Sunday 22 Nov -> Monday 23 Nov.
    assert found["acheminement_opposition"].date_limite == dt.date(2026, 11, 23)


def test_consumer_claim_prescribes_in_two_years(tmp_path: Path) -> None:
    data = load_yaml(example_path("b2c-travaux-consommateur"))
    found = _by_id(example_path("b2c-travaux-consommateur"))
    key = "prescription_consommateur:F-2026-0412"
    # The plan signed on Monday 5 Oct 2026 acknowledges the debt (C. civ. 2240): a new
    # 2-year period runs from it -> 5 Oct 2028, never moved (prescription, not art. 642).
    assert found[key].date_limite == dt.date(2028, 10, 5)
    assert "2240" in found[key].start_event
    # Without the plan: due 15 May 2026 + 2 years = 15 May 2028.
    data["evenements"] = [e for e in data["evenements"] if e["type"] != "plan_apurement_signe"]
    for extra in ("plan", "situation"):
        data.pop(extra)
    data["paiements"] = data["paiements"][:1]
    data["format_version"] = 1
    path = write_case(copy_example("b2c-travaux-consommateur", tmp_path / "a"), data)
    found = {d.id: d for d in case_deadlines(load_case(path, au=AU), AU)}
    assert found[key].date_limite == dt.date(2028, 5, 15)
    data["creances"][0]["date_emission"] = "2023-04-30"
    data["creances"][0]["date_echeance"] = "2023-05-15"
    path = write_case(copy_example("b2c-travaux-consommateur", tmp_path / "b"), data)
    case = load_case(path, au=AU)
    assert is_prescribed(case, AU)


def test_court_departement_from_case_or_debtor() -> None:
    assert court_departement(load_case(example_path("injonction-2026"), au=AU)) == "33"
    assert court_departement(load_case(example_path("b2c-travaux-consommateur"), au=AU)) == "57"

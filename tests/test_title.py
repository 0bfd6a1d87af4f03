"""The executory title as case data and the décompte after it (actes.law.title)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from actes.cases.case import load_case
from actes.errors import CaseError
from actes.law.calendar import calendar_for
from actes.law.title import title_decompte, title_of

from .conftest import example_path, load_yaml, write_case

D = dt.date


def _case(tmp_path: Path, titre: dict[str, Any], **changes: Any) -> Path:
    """The injonction example turned into a case decided by ``titre``, before any of its
    own procedure events (a mise en demeure of December 2024 only)."""
    data = load_yaml(example_path("injonction-2026"))
    data["evenements"] = [
        {"type": "mise_en_demeure_envoyee", "date": "2024-12-10"},
        {"type": "mise_en_demeure_recue", "date": "2024-12-12"},
    ]
    data["pieces"] = []
    data["titre"] = titre
    data.update(changes)
    folder = tmp_path / "dossier"
    folder.mkdir(exist_ok=True)
    return write_case(folder / "dossier.yaml", data)


JUGEMENT = {
    "nature": "jugement",
    "juridiction": {"nom": "Tribunal judiciaire de Bordeaux", "ville": "Bordeaux"},
    "date": "2025-03-03",
    "numero": "RG 25/00123",
    "montants": {"principal": "4200.00", "article_700": "300.00", "depens": "35.39"},
    "signification": {"date": "2025-03-14", "a_personne": True},
}


def test_judgment_with_majoration_and_a_payment_matches_the_hand_computed_decompte(
    tmp_path: Path,
) -> None:
    # Jugement of Monday 3 March 2025: 4 200,00 € with legal interest from the judgment
    # (C. civ. 1231-7, nothing else said), 300,00 € article 700, 35,39 € dépens. Creditor a
    # company: « autres cas » rates (2025 S1 3,71 %, 2025 S2 2,76 %, 2026 S1 2,62 %).
    # Served Friday 14 March 2025 (CPC 503): executory that day; two months later is
    # 14 May 2025, so the +5 points (CMF L313-3) apply from Thursday 15 May 2025.
    # Payment of 1 000,00 € on 15 September 2025; décompte on 31 January 2026.
    #
    # Lines (start excluded, end included; amount = base × rate × days / 36 500, rounded):
    # 1. 03/03/2025 → 14/05/2025: 28 + 30 + 14 = 72 days at 3,71 %
    #    4 200 × 3,71 × 72 / 36 500 = 30,7371 → 30,74
    # 2. 14/05/2025 → 30/06/2025: 17 + 30 = 47 days at 3,71 + 5 = 8,71 %
    #    4 200 × 8,71 × 47 / 36 500 = 47,1056 → 47,11
    # 3. 30/06/2025 → 15/09/2025: 31 + 31 + 15 = 77 days at 2,76 + 5 = 7,76 %
    #    4 200 × 7,76 × 77 / 36 500 = 68,7557 → 68,76
    # Payment 1 000,00: interest first (C. civ. 1343-1) 30,74 + 47,11 + 68,76 = 146,61,
    # principal 853,39 → principal left 3 346,61.
    # 4. 15/09/2025 → 31/12/2025: 15 + 31 + 30 + 31 = 107 days at 7,76 %
    #    3 346,61 × 7,76 × 107 / 36 500 = 76,1303 → 76,13
    # 5. 31/12/2025 → 31/01/2026: 31 days at 2,62 + 5 = 7,62 %
    #    3 346,61 × 7,62 × 31 / 36 500 = 21,6585 → 21,66
    # Interest left 76,13 + 21,66 = 97,79; costs 300,00 + 35,39 = 335,39;
    # total 3 346,61 + 97,79 + 335,39 = 3 779,79.
    # Provision for 30 days on the principal: 3 346,61 × 7,62 × 30 / 36 500 = 20,96.
    au = D(2026, 1, 31)
    payment = {"date": "2025-09-15", "montant": "1000.00", "reference": "VIR-1"}
    case = load_case(_case(tmp_path, JUGEMENT, paiements=[payment]), au=au)
    title = title_of(case)
    assert title is not None
    assert title.executory_on == D(2025, 3, 14)
    assert title.majoration_from == D(2025, 5, 15)
    assert title.expires_on == D(2035, 3, 3)
    result = title_decompte(case, au, provision_days=30)
    lines = [
        (p["debut_exclu"], p["fin_incluse"], p["jours"], p["taux"], p["montant"], p["majore"])
        for p in result.interest_periods
    ]
    assert lines == [
        ("2025-03-03", "2025-05-14", 72, "3.71", "30.74", False),
        ("2025-05-14", "2025-06-30", 47, "8.71", "47.11", True),
        ("2025-06-30", "2025-09-15", 77, "7.76", "68.76", True),
        ("2025-09-15", "2025-12-31", 107, "7.76", "76.13", True),
        ("2025-12-31", "2026-01-31", 31, "7.62", "21.66", True),
    ]
    [payment] = result.payments
    assert (payment.to_interest, payment.to_principal, payment.to_costs) == (
        Decimal("146.61"),
        Decimal("853.39"),
        Decimal("0.00"),
    )
    assert result.principal_outstanding == Decimal("3346.61")
    assert result.interest_outstanding == Decimal("97.79")
    assert result.costs_outstanding == Decimal("335.39")
    assert result.total_due == Decimal("3779.79")
    assert result.provision == Decimal("20.96")
    totals = result.as_dict()["totaux"]
    assert totals == {
        "principal_restant": "3346.61",
        "frais": "335.39",
        "interets_echus": "97.79",
        "total_du": "3779.79",
    }
    assert any("1343-1" in c for c in result.conventions)
    assert any("L313-3" in line for line in result.trace)


def test_a_payment_goes_to_the_titles_arrested_interest_then_principal_then_costs(
    tmp_path: Path,
) -> None:
    # Title without post-title interest: 100,00 € arrested interest, 1 000,00 € principal,
    # 50,00 € dépens. A payment of 1 120,00 €: 100,00 interest, 1 000,00 principal, 20,00 costs.
    titre = {
        "nature": "jugement",
        "date": "2025-03-03",
        "montants": {
            "principal": "1000.00",
            "interets_echus": {"montant": "100.00", "arretes_au": "2025-02-01"},
            "interets_posterieurs": {"nature": "aucun"},
            "depens": "50.00",
        },
    }
    path = _case(tmp_path, titre, paiements=[{"date": "2025-04-01", "montant": "1120.00"}])
    result = title_decompte(load_case(path, au=D(2025, 5, 1)), D(2025, 5, 1))
    [payment] = result.payments
    assert (payment.to_interest, payment.to_principal, payment.to_costs) == (
        Decimal("100.00"),
        Decimal("1000.00"),
        Decimal("20.00"),
    )
    assert result.total_due == Decimal("30.00")
    assert result.interest_periods == ()


def test_both_ends_counted_adds_the_start_day(tmp_path: Path) -> None:
    # Fixed rate 10 % from 1 February 2025 to 3 March 2025: 30 days by difference,
    # 31 with both ends. 1 000 × 10 × 30 / 36 500 = 8,2192 → 8,22; × 31 → 8,4932 → 8,49.
    titre = {
        "nature": "acte_notarie",
        "date": "2025-02-01",
        "montants": {
            "principal": "1000.00",
            "interets_posterieurs": {"nature": "taux_fixe", "taux": "10.00"},
        },
    }
    au = D(2025, 3, 3)
    plain = title_decompte(load_case(_case(tmp_path, titre), au=au), au)
    assert [p["jours"] for p in plain.interest_periods] == [30]
    assert plain.interest_post_title == Decimal("8.22")
    path = _case(tmp_path, titre, parametres={"compter_les_deux_bornes": True})
    both = title_decompte(load_case(path, au=au), au)
    assert [p["jours"] for p in both.interest_periods] == [31]
    assert both.interest_post_title == Decimal("8.49")
    assert any("deux bornes" in c for c in both.conventions)
    # An acte notarié is no condemnation: no L313-3 majoration.
    assert both.title.majoration_from is None


def test_per_month_convention(tmp_path: Path) -> None:
    # 12 % a year = 1 % a month on 1 000,00 € from 15 January 2025: three whole months to
    # 15 April (10,00 € each, cut at no half-year) then 15 of the 30 days of the month
    # 15 April → 15 May: 1 000 × 12 / 100 / 12 × 15/30 = 5,00. Total 35,00.
    titre = {
        "nature": "acte_notarie",
        "date": "2025-01-15",
        "montants": {
            "principal": "1000.00",
            "interets_posterieurs": {"nature": "taux_fixe", "taux": "12.00"},
        },
    }
    au = D(2025, 4, 30)
    path = _case(tmp_path, titre, parametres={"convention_periode": "mois"})
    result = title_decompte(load_case(path, au=au), au)
    assert [(p["fin_incluse"], p["montant"]) for p in result.interest_periods] == [
        ("2025-02-15", "10.00"),
        ("2025-03-15", "10.00"),
        ("2025-04-15", "10.00"),
        ("2025-04-30", "5.00"),
    ]
    assert result.interest_post_title == Decimal("35.00")
    assert any("Convention par mois" in c for c in result.conventions)


def test_ordonnance_since_2022_is_executory_after_the_opposition_month(tmp_path: Path) -> None:
    # Ordonnance of 2 March 2026 served à personne on 10 March 2026: the month ends on
    # Friday 10 April 2026, a working day in Bordeaux: executory on 11 April 2026; +5
    # points from 12 June 2026 (11 June + 1 day).
    titre = {
        "nature": "ordonnance_injonction_de_payer",
        "date": "2026-03-02",
        "montants": {"principal": "4200.00"},
        "signification": {"date": "2026-03-10", "a_personne": True},
    }
    title = title_of(load_case(_case(tmp_path, titre), au=D(2026, 6, 30)))
    assert title is not None
    assert calendar_for("33").is_working_day(D(2026, 4, 10))
    assert title.executory_on == D(2026, 4, 11)
    assert title.majoration_from == D(2026, 6, 12)


def test_ordonnance_before_march_2022_is_executory_at_the_formule(tmp_path: Path) -> None:
    # Former CPC 1423: executory when the greffe affixes the formule (5 May 2021).
    titre = {
        "nature": "ordonnance_injonction_de_payer",
        "date": "2021-02-01",
        "montants": {"principal": "2000.00"},
        "signification": {"date": "2021-02-15", "a_personne": True},
        "formule_executoire": {"date": "2021-04-05"},
    }
    title = title_of(load_case(_case(tmp_path, titre), au=D(2026, 6, 30)))
    assert title is not None
    assert title.old_ip_regime
    assert title.executory_on == D(2021, 4, 5)
    assert title.majoration_from == D(2021, 6, 6)


def test_l441_10_penalties_awarded_by_the_title_are_not_majorated(tmp_path: Path) -> None:
    data = load_yaml(example_path("b2b-factures-impayees"))
    data["evenements"] = []
    data["pieces"] = []
    data["paiements"] = []
    data["titre"] = {
        "nature": "jugement",
        "date": "2025-03-03",
        "montants": {
            "principal": "1000.00",
            "interets_posterieurs": {"nature": "penalites_l441_10"},
        },
        "signification": {"date": "2025-03-14"},
    }
    folder = tmp_path / "b2b"
    folder.mkdir()
    case = load_case(write_case(folder / "dossier.yaml", data), au=D(2026, 11, 30))
    result = title_decompte(case, D(2025, 6, 30))
    assert result.title.majoration_from is None
    assert "L441-10" in result.title.majoration_basis
    # ECB 3,15 % on 1 January 2025 + 10 points = 13,15 %: 1 000 × 13,15 × 119 / 36 500
    # = 42,8726 → 42,87 (3 March excluded to 30 June included: 28 + 30 + 31 + 30 = 119).
    assert [(p["jours"], p["taux"], p["montant"]) for p in result.interest_periods] == [
        (119, "13.15", "42.87")
    ]


def test_a_title_older_than_2008_can_be_enforced_until_june_2018(tmp_path: Path) -> None:
    # Loi 2008-561, art. 26: ten years from 19 June 2008, within the former thirty years.
    titre = {"nature": "acte_notarie", "date": "2003-05-12", "montants": {"principal": "1.00"}}
    title = title_of(load_case(_case(tmp_path, titre), au=D(2026, 1, 1)))
    assert title is not None
    assert title.expires_on == D(2018, 6, 19)


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (
            {"formule_executoire": {"date": "2026-04-20"}},
            "$.titre.formule_executoire.date",
            "1410",
        ),
        ({"signification": {"date": "2026-02-01"}}, "$.titre.signification.date", "précède"),
        ({"date": "2099-01-01"}, "$.titre.date", "après aujourd'hui"),
        (
            {"montants": {"principal": -5}},
            "$.titre.montants.principal",
            "positif ou nul",
        ),
        (
            {"montants": {"principal": "10.00", "interets_posterieurs": {"nature": "taux_fixe"}}},
            "$.titre.montants.interets_posterieurs.taux",
            "sans taux",
        ),
        (
            {
                "montants": {
                    "principal": "10.00",
                    "interets_posterieurs": {"nature": "penalites_l441_10"},
                }
            },
            "$.titre.montants.interets_posterieurs.nature",
            "entre professionnels",
        ),
    ],
)
def test_title_rules_name_the_field(
    tmp_path: Path, change: dict[str, Any], path: str, words: str
) -> None:
    titre = {
        "nature": "ordonnance_injonction_de_payer",
        "date": "2026-03-02",
        "montants": {"principal": "4200.00"},
        **change,
    }
    with pytest.raises(CaseError) as caught:
        load_case(_case(tmp_path, titre), au=D(2026, 6, 30))
    found = [i for i in caught.value.issues if i.json_path == path]
    assert any(words in issue.message for issue in found), [i.message for i in found]


def test_actes_validate_accepts_a_case_with_a_title(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from actes.cli import main

    path = _case(tmp_path, JUGEMENT)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "Dossier valide" in result.output


def test_a_1975_deadline_and_the_8_may_of_1958() -> None:
    from actes.law.deadlines import Duration, compute_deadline

    # 8 May was a holiday 1953-1959 (loi 53-225) and again from 1982 (loi 81-893).
    assert not calendar_for(None).is_working_day(D(1958, 5, 8))
    assert calendar_for(None).is_working_day(D(1974, 5, 8))
    deadline = compute_deadline(D(1975, 4, 1), Duration(1, "mois"), calendar_for("75"))
    # 1 May 1975 is a Thursday, a holiday: extended to Friday 2 May 1975.
    assert deadline.date_limite == D(1975, 5, 2)

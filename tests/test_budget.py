"""Budget: barème R3252-2/R3252-3 computed by hand, RSA floors, capacity, conclusions."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from actes._io import load_document
from actes.amicable.budget import (
    Household,
    bareme_for,
    budget_for_case,
    commission_departement,
    household_multiplier,
    rsa_household,
    rsa_one_person,
    seizable_monthly,
)
from actes.cases.case import Case, case_from_data, validate_data
from actes.errors import RateMissing

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "b2c-travaux-consommateur" / "dossier.yaml"
D = Decimal


def example_data() -> dict[str, Any]:
    data = copy.deepcopy(load_document(EXAMPLE))
    data.pop("pieces")
    return dict(data)


def make_case(data: dict[str, Any], au: dt.date) -> Case:
    validate_data(data, au=au)
    return case_from_data(data)


# --------------------------------------------------------------------------- barème


@pytest.mark.parametrize(
    ("pay", "expected"),
    [
        # 2026, no dependant: the reference's cumulative maxima 18,67 / 54,08 / 125,25.
        # 373.33 × 12 = 4 479.96; /20 = 223.998; /12 = 18.6665 → 18.67
        ("373.33", "18.67"),
        # 727.50 × 12 = 8 730 = T2; 4 480/20 + 4 250/10 = 224 + 425 = 649; /12 = 54.0833 → 54.08
        ("727.50", "54.08"),
        # 1 083.33 × 12 = 12 999.96; 649 + 4 269.96/5 = 649 + 853.992 = 1 502.992; /12 → 125.25
        ("1083.33", "125.25"),
        # 3 000 × 12 = 36 000: 224 + 425 + 854 + 4 230/4 (1 057.5) + 4 240/3 (1 413.3333)
        # + 4 340 × 2/3 (2 893.3333) + 10 190 = 17 057.1667; /12 = 1 421.4306 → 1 421.43
        ("3000.00", "1421.43"),
        ("0", "0.00"),
    ],
)
def test_seizable_2026_hand_computed(pay: str, expected: str) -> None:
    assert seizable_monthly(D(pay), bareme_for(dt.date(2026, 6, 1)), 0) == D(expected)


@pytest.mark.parametrize(
    ("pay", "expected"),
    [
        # service-public.fr F115 (2025): cumulative maxima 18,50 / 53,67 / 124,17.
        ("370.00", "18.50"),  # 4 440/20 = 222; /12 = 18.50
        ("721.67", "53.67"),  # 8 660.04: 222 + 4 220.04/10 = 644.004; /12 = 53.667 → 53.67
        ("1074.17", "124.17"),  # 12 890.04: 644 + 4 230.04/5 = 1 490.008; /12 → 124.17
    ],
)
def test_seizable_2025_matches_service_public(pay: str, expected: str) -> None:
    assert seizable_monthly(D(pay), bareme_for(dt.date(2025, 3, 1)), 0) == D(expected)


def test_thresholds_raised_per_dependant() -> None:
    # 2026, 2 dependants: thresholds + 2 × 1 740 = 7 960 / 12 210 / 16 480 / 20 710 / 24 950.
    # 2 150 × 12 = 25 800: 7 960/20 = 398; 4 250/10 = 425; 4 270/5 = 854; 4 230/4 = 1 057.5;
    # 4 240/3 = 1 413.3333; 850 × 2/3 = 566.6667; total 4 714.5; /12 = 392.875 → 392.88
    assert seizable_monthly(D("2150.00"), bareme_for(dt.date(2026, 11, 24)), 2) == D("392.88")


def test_bareme_years_and_confirmation() -> None:
    assert bareme_for(dt.date(2024, 12, 31)).confirmed is True
    b2026 = bareme_for(dt.date(2026, 1, 1))
    assert b2026.confirmed is False
    assert b2026.thresholds[0] == D("4480")
    assert b2026.per_dependant == D("1740")
    assert "2025-1299" in b2026.decret
    with pytest.raises(RateMissing, match="2027"):
        bareme_for(dt.date(2027, 1, 1))
    with pytest.raises(RateMissing):
        bareme_for(dt.date(2022, 6, 1))


# --------------------------------------------------------------------------- RSA


def test_rsa_one_person_dated() -> None:
    assert rsa_one_person(dt.date(2024, 4, 1)).amount == D("635.71")
    assert rsa_one_person(dt.date(2025, 3, 31)).amount == D("635.71")
    assert rsa_one_person(dt.date(2025, 4, 1)).amount == D("646.52")
    with pytest.raises(RateMissing):
        rsa_one_person(dt.date(2024, 3, 31))


def test_rsa_2026_missing_is_never_silently_used() -> None:
    with pytest.raises(RateMissing, match="01/04/2026"):
        rsa_one_person(dt.date(2026, 4, 1))
    value = rsa_one_person(dt.date(2026, 11, 24), allow_unconfirmed=True)
    assert value.amount == D("646.52")
    assert value.confirmed is False
    assert "provisoire" in value.warning


@pytest.mark.parametrize(
    ("household", "multiplier"),
    [
        (Household(couple=False, children=0), "1"),
        (Household(couple=True, children=0), "1.5"),
        (Household(couple=False, children=1), "1.5"),
        (Household(couple=True, children=1), "1.8"),
        (Household(couple=False, children=2), "1.8"),
        (Household(couple=True, children=2), "2.1"),
        # 3rd child: +40 % (R262-1): couple + 3 = 1 + 0.5 + 0.3 + 0.3 + 0.4
        (Household(couple=True, children=3), "2.5"),
        # single + 3: 1 + 0.5 + 0.3 + 0.4
        (Household(couple=False, children=3), "2.2"),
        # an ascendant is a further person (+30 %), not a child
        (Household(couple=False, children=2, others=1), "2.1"),
    ],
)
def test_household_multiplier(household: Household, multiplier: str) -> None:
    assert household_multiplier(household) == D(multiplier)


def test_rsa_household_against_published_amounts() -> None:
    # 646.52 × 2.1 = 1 357.692 → 1 357.69; Lefebvre Dalloz publishes 1 357.70 (±0.01).
    value = rsa_household(dt.date(2025, 6, 1), Household(couple=True, children=2))
    assert value.amount == D("1357.69")
    assert value.published == D("1357.70")
    # 635.71 × 1.8 = 1 144.278 → 1 144.28, as published for 2024.
    value = rsa_household(dt.date(2024, 6, 1), Household(couple=False, children=2))
    assert value.amount == value.published == D("1144.28")


def test_commission_departement() -> None:
    assert commission_departement("57000") == "57"
    assert commission_departement("20000") == "2A"
    assert commission_departement("20200") == "2B"
    assert commission_departement("97400") == "974"


# --------------------------------------------------------------------------- budget


def test_example_budget_line_by_line() -> None:
    au = dt.date(2026, 11, 24)
    budget = budget_for_case(make_case(example_data(), au), au)
    assert budget.resources == D("2548.52")  # 2 150 + 148.52 + 250
    assert budget.charges == D("1855.00")
    assert budget.qs == D("392.88")  # see test_thresholds_raised_per_dependant
    assert budget.rsa_household == D("1163.74")  # 646.52 × 1.8 = 1 163.736
    assert budget.reserved == D("1855.00")  # max(1 163.74, 1 855)
    assert budget.capacity == D("392.88")  # min(392.88, 2 548.52 − 1 855 = 693.52)
    assert budget.available == D("182.88")  # 392.88 − 210 (car loan)
    assert budget.debt == D("3850.00")  # 4 330 − 300 − 180
    assert budget.months == 22  # 3 850 / 182.88 = 21.05 → 22
    assert budget.route == "plan_amiable"
    codes = {line.code: line for line in budget.lines}
    assert "R3252-2" in codes["quotite_saisissable_bareme"].fondement
    assert "L731-1" in codes["capacite"].fondement
    assert any("2026" in w and "non confirmé" in w for w in budget.warnings)
    assert any("provisoire" in w for w in budget.warnings)


def _situation(data: dict[str, Any], pay: str, charges: str, **foyer: Any) -> None:
    data["situation"] = {
        "date": "2026-01-05",
        "foyer": {"en_couple": False, "enfants_a_charge": 0, **foyer},
        "ressources": [{"nature": "salaire", "montant_mensuel": pay}],
        "charges": [{"nature": "loyer", "montant_mensuel": charges}],
    }
    data.pop("plan", None)
    data["paiements"] = []
    data["evenements"] = []


def test_budget_below_the_floor() -> None:
    au = dt.date(2026, 1, 15)
    data = example_data()
    _situation(data, "600.00", "500.00")
    budget = budget_for_case(make_case(data, au), au)
    # QS on 600: 7 200 → 224 + 272 = 496; /12 = 41.33, but 600 − 646.52 < 0 (R3252-5) → 0
    assert budget.qs == D("0.00")
    assert budget.reserved == D("646.52")  # max(RSA 646.52, charges 500)
    assert budget.capacity == D("0")
    assert budget.months is None
    assert budget.route == "surendettement"
    assert "L711-1" in budget.conclusion
    assert "(57)" in budget.conclusion
    assert any("inférieures au RSA du foyer" in w for w in budget.warnings)


def test_r3252_5_caps_the_barème() -> None:
    au = dt.date(2026, 1, 15)
    data = example_data()
    _situation(data, "660.00", "100.00")
    budget = budget_for_case(make_case(data, au), au)
    # barème: 7 920 → 224 + 344 = 568; /12 = 47.33; R3252-5: 660 − 646.52 = 13.48
    assert budget.qs == D("13.48")
    assert budget.capacity == D("13.48")  # min(13.48, 660 − 646.52)


def test_budget_long_plan_then_surendettement() -> None:
    au = dt.date(2026, 1, 15)
    data = example_data()
    # 1 200 × 12 = 14 400: 224 + 425 + 854 + 1 400/4 = 350 → 1 853; /12 = 154.42
    _situation(data, "1200.00", "500.00")
    budget = budget_for_case(make_case(data, au), au)
    assert budget.capacity == D("154.42")
    assert budget.months == 29  # 4 330 / 154.42 = 28.04 → 29
    assert budget.route == "plan_long"
    data["situation"]["autres_dettes"] = [
        {"creancier": "Banque", "montant_restant": "20000.00", "mensualite": "100.00"}
    ]
    budget = budget_for_case(make_case(data, au), au)
    # 154.42 − 100 = 54.42 for this creditor: 4 330 / 54.42 = 79.57 → 80 months;
    # all debts 24 330 / 154.42 = 157.56 → 158 months > 84
    assert budget.available == D("54.42")
    assert budget.months == 80
    assert budget.months_all_debts == 158
    assert budget.route == "surendettement"
    assert "commission de surendettement" in budget.conclusion

"""Payment terms to due dates (actes.law.terms), against hand-computed dates."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from actes.cli import main
from actes.errors import InputError
from actes.law.terms import due_date, end_of_month, find_terms, parse_terms

D = dt.date


@pytest.mark.parametrize(
    ("issued", "terms", "expected"),
    [
        # plain days: 20 Jan + 30 = 19 Feb; 31 Jan 2026 + 30 crosses a 28-day February.
        (D(2026, 1, 20), "30 jours", D(2026, 2, 19)),
        (D(2026, 1, 31), "30 jours", D(2026, 3, 2)),
        (D(2024, 1, 31), "30 jours", D(2024, 3, 1)),  # leap year: 29 February counts
        (D(2026, 1, 20), "60 jours date de facture", D(2026, 3, 21)),
        (D(2026, 1, 20), "Règlement : 30 jours net", D(2026, 2, 19)),
        (D(2026, 12, 15), "30 jours", D(2027, 1, 14)),
        # date + 45 days, then end of that month
        (D(2026, 1, 20), "45 jours fin de mois", D(2026, 3, 31)),  # 6 March -> 31 March
        (D(2026, 1, 10), "45 jours fin de mois", D(2026, 2, 28)),  # 24 Feb -> 28 Feb
        (D(2024, 1, 10), "45 jours fin de mois", D(2024, 2, 29)),  # 24 Feb -> 29 Feb (leap)
        (D(2026, 7, 17), "45 jours fin de mois", D(2026, 8, 31)),  # 31 Aug exactly
        (D(2026, 7, 18), "45 jours fin de mois", D(2026, 9, 30)),  # 1 Sep -> 30 Sep
        (D(2026, 1, 20), "45 j fin de mois", D(2026, 3, 31)),
        # end of the invoice's month, then + 45 days
        (D(2026, 1, 20), "fin de mois + 45 jours", D(2026, 3, 17)),  # 31 Jan + 45
        (D(2024, 1, 10), "fin de mois + 45 jours", D(2024, 3, 16)),  # 31 Jan + 45, leap
        (D(2026, 7, 15), "fin de mois plus 45 jours", D(2026, 9, 14)),  # 31 Jul + 45
        (D(2026, 2, 3), "fin de mois + 30 jours", D(2026, 3, 30)),  # 28 Feb + 30
        (D(2024, 2, 3), "fin de mois + 30 jours", D(2024, 3, 30)),  # 29 Feb + 30
        # end of month, then the 10th of the next month
        (D(2026, 1, 20), "fin de mois le 10", D(2026, 2, 10)),
        (D(2026, 12, 5), "fin de mois le 10", D(2027, 1, 10)),
        (D(2026, 1, 5), "fin de mois le 31", D(2026, 2, 28)),  # no 31 February
        (D(2026, 1, 20), "30 jours fin de mois le 10", D(2026, 3, 10)),  # 19 Feb, 28 Feb, 10 Mar
        (D(2026, 1, 20), "fin de mois", D(2026, 1, 31)),
        # on receipt: the invoice date
        (D(2026, 1, 20), "à réception", D(2026, 1, 20)),
        (D(2026, 1, 20), "Payable à réception de facture", D(2026, 1, 20)),
        (D(2026, 1, 20), "comptant", D(2026, 1, 20)),
    ],
)
def test_due_dates(issued: dt.date, terms: str, expected: dt.date) -> None:
    assert due_date(issued, parse_terms(terms)).due == expected


def test_the_two_readings_of_45_days_end_of_month_differ_as_written() -> None:
    a = due_date(D(2026, 1, 20), parse_terms("45 jours fin de mois"))
    b = due_date(D(2026, 1, 20), parse_terms("fin de mois + 45 jours"))
    assert (a.due, b.due) == (D(2026, 3, 31), D(2026, 3, 17))
    assert a.trace == (
        "Date de la facture : 20/01/2026.",
        "+ 45 jours : 06/03/2026.",
        "Fin de ce mois : 31/03/2026.",
    )
    assert b.trace[1] == "Fin du mois de la facture : 31/01/2026."


@pytest.mark.parametrize(
    ("terms", "warned"),
    [
        ("60 jours", False),
        ("61 jours", True),
        ("90 jours", True),
        ("45 jours fin de mois", False),
        ("fin de mois + 45 jours", False),
        ("50 jours fin de mois", True),  # same date here, but beyond 45 days end of month
        ("fin de mois + 46 jours", True),
        ("45 jours fin de mois le 10", True),  # 10 April, after 31 March
        ("fin de mois le 10", False),
        ("à réception", False),
    ],
)
def test_l441_10_caps(terms: str, warned: bool) -> None:
    result = due_date(D(2026, 1, 20), parse_terms(terms))
    assert bool(result.warnings) is warned
    if warned:
        assert "L441-10 I" in result.warnings[0]


def test_caps_not_checked_for_a_consumer() -> None:
    assert due_date(D(2026, 1, 20), parse_terms("90 jours"), professionals=False).warnings == ()


@pytest.mark.parametrize(
    "text",
    ["sous huitaine", "30 jours date de réception", "400 jours", "fin de mois le 40", ""],
)
def test_refused_terms(text: str) -> None:
    with pytest.raises(InputError, match="Conditions de paiement"):
        parse_terms(text)


def test_terms_found_in_an_invoice_note() -> None:
    note = (
        "Paiement à 45 jours fin de mois. Pénalités de retard : trois fois le taux d'intérêt "
        "légal. Indemnité forfaitaire pour frais de recouvrement : 40 €."
    )
    found = find_terms(note)
    assert found is not None and found.describe() == "45 jours fin de mois"
    assert find_terms("Pénalités : 3 fois le taux légal.") is None
    with pytest.raises(InputError, match="plusieurs délais"):
        find_terms("30 jours ou 45 jours fin de mois")


def test_end_of_month() -> None:
    assert end_of_month(D(2026, 2, 1)) == D(2026, 2, 28)
    assert end_of_month(D(2028, 2, 1)) == D(2028, 2, 29)
    assert end_of_month(D(2026, 12, 31)) == D(2026, 12, 31)


def test_echeance_command() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["echeance", "2026-01-20", "45 jours fin de mois"])
    assert result.exit_code == 0, result.output
    assert "Échéance : 31/03/2026" in result.output
    result = runner.invoke(main, ["echeance", "2026-01-20", "90 jours", "--json"])
    data = json.loads(result.output)
    assert data["date_echeance"] == "2026-04-20" and data["avertissements"]
    result = runner.invoke(main, ["echeance", "2026-01-20", "sous huitaine"])
    assert result.exit_code == 2
    assert "forme non reconnue" in result.output


def test_case_with_terms_and_no_due_date(tmp_path) -> None:
    from actes.cases.case import issues_of, load_case

    case = {
        "format_version": 1,
        "reference": "T-1",
        "creancier": {
            "type": "personne_morale",
            "qualite": "professionnel",
            "denomination": "Dupont & Fils",
            "forme_juridique": "SAS",
            "adresse": {
                "ligne1": "1 rue A",
                "code_postal": "69002",
                "ville": "Lyon",
                "pays": "FR",
            },
        },
        "debiteur": {
            "type": "personne_morale",
            "qualite": "professionnel",
            "denomination": "Atelier",
            "forme_juridique": "SARL",
            "adresse": {
                "ligne1": "2 rue B",
                "code_postal": "69100",
                "ville": "Lyon",
                "pays": "FR",
            },
        },
        "creances": [
            {
                "reference": "FA-1",
                "nature": "facture",
                "date_emission": "2026-01-20",
                "conditions_paiement": "fin de mois + 45 jours",
                "montant": "100.00",
            }
        ],
    }
    path = tmp_path / "dossier.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    loaded = load_case(path, au=D(2026, 6, 1))
    assert loaded.creances[0].date_echeance == D(2026, 3, 17)
    case["creances"][0]["conditions_paiement"] = "sous huitaine"
    problems = issues_of(case, au=D(2026, 6, 1))
    assert [p.json_path for p in problems] == ["$.creances[0].conditions_paiement"]
    del case["creances"][0]["conditions_paiement"]
    problems = issues_of(case, au=D(2026, 6, 1))
    assert [p.json_path for p in problems] == ["$.creances[0].date_echeance"]

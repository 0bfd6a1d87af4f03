"""The competent court of a procedure for a case (actes.law.court)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from actes.cases.case import Case, load_case
from actes.law.court import competent_court
from actes.law.procedures import ProcedureVersion, load_registry

from .conftest import AU, copy_example, example_path, load_yaml, write_case

TO_SUPPLY = "indiquez la juridiction dans « juridiction » du dossier (annuaire : justice.fr)"


def _case(path: Path, au: dt.date = AU) -> Case:
    return load_case(path, au=au)


def _version(procedure_id: str, case: Case, au: dt.date = AU) -> ProcedureVersion:
    return load_registry().get(procedure_id).for_case(case, au)


def _debtor_moved(
    tmp_path: Path, postal_code: str, town: str, juridiction: dict[str, Any] | None = None
) -> Case:
    path = copy_example("b2b-factures-impayees", tmp_path)
    data = load_yaml(path)
    data["debiteur"]["adresse"].update(code_postal=postal_code, ville=town)
    data.pop("juridiction", None)
    if juridiction is not None:
        data["juridiction"] = juridiction
    return _case(write_case(path, data))


def test_named_commercial_court_gives_the_title_of_its_president(tmp_path: Path) -> None:
    case = _debtor_moved(
        tmp_path,
        "33000",
        "Bordeaux",
        {"nom": "Tribunal de commerce de Bordeaux", "departement": "33"},
    )
    court = competent_court(_version("injonction_de_payer_tc", case), case)
    assert court.kind == "tribunal_de_commerce"
    assert court.title == "Président du tribunal de commerce de Bordeaux"
    assert court.place_rule == "domicile du débiteur (CPC 1406) : Bordeaux (33000)"
    assert court.legal_basis == ("CPC art. 1406",)
    assert "CPC art. 1406" in court.explanation
    assert court.matches_case is True
    assert court.to_supply == ""
    assert court.departement == "33"


def test_named_judicial_court_gives_the_title_of_its_president() -> None:
    # The syndicat des copropriétaires of injonction-2026 is no trader: its president of the
    # tribunal judiciaire is competent (CPC 1406), not the tribunal de commerce.
    case = _case(example_path("injonction-2026"))
    court = competent_court(_version("injonction_de_payer_tj", case), case)
    assert court.kind == "tribunal_judiciaire"
    assert court.title == "Président du tribunal judiciaire de Bordeaux"
    assert court.place_rule == "domicile du débiteur (CPC 1406) : Bordeaux (33000)"
    assert court.legal_basis == ("CPC art. 1406",)
    assert "CPC art. 1406" in court.explanation
    assert court.matches_case is True
    assert court.to_supply == ""
    assert court.departement == "33"


def test_without_a_named_court_the_user_is_asked_to_supply_it(tmp_path: Path) -> None:
    case = _debtor_moved(tmp_path, "69100", "Villeurbanne")
    court = competent_court(_version("injonction_de_payer_tc", case), case)
    assert court.title == (
        "Président du tribunal de commerce (ou du tribunal des activités économiques) "
        "du domicile du débiteur"
    )
    assert court.place_rule == "domicile du débiteur (CPC 1406) : Villeurbanne (69100)"
    assert court.departement == "69"
    assert court.matches_case is None
    assert court.to_supply == TO_SUPPLY


@pytest.mark.parametrize(
    ("postal_code", "town", "departement"),
    [("57000", "Metz", "57"), ("67000", "Strasbourg", "67"), ("68100", "Mulhouse", "68")],
)
def test_alsace_moselle_has_no_commercial_court(
    tmp_path: Path, postal_code: str, town: str, departement: str
) -> None:
    case = _debtor_moved(tmp_path, postal_code, town)
    court = competent_court(_version("injonction_de_payer_tc", case), case)
    assert court.kind == "chambre_commerciale_tribunal_judiciaire"
    assert court.departement == departement
    assert court.title == (
        "Président de la chambre commerciale du tribunal judiciaire du domicile du débiteur"
    )
    assert court.place_rule == f"domicile du débiteur (CPC 1406) : {town} ({postal_code})"
    assert court.to_supply == TO_SUPPLY
    assert any("Alsace-Moselle" in note and "§3.1" in note for note in court.notes)


def test_alsace_moselle_named_tribunal_judiciaire(tmp_path: Path) -> None:
    case = _debtor_moved(
        tmp_path, "57000", "Metz", {"nom": "Tribunal judiciaire de Metz", "departement": "57"}
    )
    court = competent_court(_version("injonction_de_payer_tc", case), case)
    assert court.title == "Président de la chambre commerciale du tribunal judiciaire de Metz"
    assert court.matches_case is True
    assert court.to_supply == ""


def test_alsace_moselle_named_chamber_is_not_repeated(tmp_path: Path) -> None:
    case = _debtor_moved(
        tmp_path,
        "67000",
        "Strasbourg",
        {"nom": "Chambre commerciale du tribunal judiciaire de Strasbourg"},
    )
    court = competent_court(_version("injonction_de_payer_tc", case), case)
    assert court.title == (
        "Président de la chambre commerciale du tribunal judiciaire de Strasbourg"
    )


def test_a_commercial_court_named_in_alsace_moselle_is_flagged(tmp_path: Path) -> None:
    case = _debtor_moved(
        tmp_path, "57000", "Metz", {"nom": "Tribunal de commerce de Metz", "departement": "57"}
    )
    court = competent_court(_version("injonction_de_payer_tc", case), case)
    assert court.matches_case is False
    assert court.to_supply == TO_SUPPLY
    assert any("Tribunal de commerce de Metz" in note for note in court.notes)


def test_civil_court_is_not_replaced_in_alsace_moselle() -> None:
    case = _case(example_path("b2c-travaux-consommateur"))  # Metz, Moselle
    court = competent_court(_version("injonction_de_payer_tj", case), case)
    assert court.kind == "tribunal_judiciaire"
    assert court.title == "Président du tribunal judiciaire du domicile du débiteur"
    assert court.departement == "57"
    assert court.notes == ()


def test_protection_judge_of_a_named_tribunal_judiciaire(tmp_path: Path) -> None:
    path = copy_example("surendettement", tmp_path)
    data = load_yaml(path)
    data["juridiction"] = {"nom": "Tribunal judiciaire de Lille", "departement": "59"}
    case = _case(write_case(path, data))
    court = competent_court(_version("injonction_de_payer_jcp", case), case)
    assert court.kind == "juge_contentieux_protection"
    assert court.title == "Juge des contentieux de la protection du tribunal judiciaire de Lille"
    assert court.place_rule == "domicile du débiteur (CPC 1406) : Lille (59000)"


def test_debtor_abroad_has_no_french_court_under_the_domicile_rule() -> None:
    case = _case(example_path("ipe-debiteur-allemand"))
    court = competent_court(_version("injonction_de_payer_tc", case), case)
    assert court.place_rule == "domicile du débiteur (CPC 1406) : Köln (50672, DE)"
    # The Tours court named in the file is the European order's, not a CPC 1406 court.
    assert court.matches_case is False
    assert court.to_supply == ""
    assert any("hors de France" in note for note in court.notes)


def test_european_order_goes_to_the_court_named_in_the_file() -> None:
    case = _case(example_path("ipe-debiteur-allemand"))
    court = competent_court(_version("injonction_de_payer_europeenne", case), case)
    assert court.title == "Président du tribunal de commerce de Tours"
    assert court.place_rule.startswith("juridiction désignée par le règlement (UE) n° 1215/2012")
    assert court.place_rule.endswith(": Tribunal de commerce de Tours")
    assert court.legal_basis == ("Règlement (CE) n° 1896/2006 art. 6", "CPC art. 1424-1")
    assert court.departement == "37"


def test_version_without_court() -> None:
    case = _case(example_path("liquidation-judiciaire"))
    court = competent_court(_version("declaration_de_creance", case), case)
    assert court.kind == "aucune"
    assert court.title == ""
    assert court.as_dict()["nature"] == "aucune"

"""Enforcement procedures (saisie-attribution, saisie des rémunérations, saisie conservatoire,
petites créances): the documents' amounts against the title décompte and a hand computation,
the deadlines each procedure gives, ``actes next`` at each stage, and bad input refused with
nothing written."""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from actes.cases.case import load_case
from actes.cli import main
from actes.law.title import title_decompte

from .conftest import (
    copy_example,
    docx_text,
    example_path,
    load_yaml,
    plain_spaces,
    write_case,
)

AU = "2026-12-01"
SAISIES = "execution-saisies"
PETITES = "petites-creances-b2c"
CONSERVATOIRE = "saisie-conservatoire-b2b"
CENT = Decimal("0.01")


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def render(procedure: str, case: Path, out: Path, au: str = AU) -> Any:
    return run("render", procedure, str(case), "-o", str(out), "--date", au)


def text_of(folder: Path) -> str:
    (document,) = sorted(folder.glob("*.docx"))
    return plain_spaces(docx_text(document))


def edited(name: str, tmp_path: Path, change: Any) -> Path:
    """A copy of an example whose data ``change`` edits in place."""
    path = copy_example(name, tmp_path)
    data = load_yaml(path)
    change(data)
    return write_case(path, data)


def deadlines(case: Path, au: str = AU) -> dict[str, dict[str, Any]]:
    result = run("deadlines", str(case), "--au", au, "--json")
    assert result.exit_code == 0, result.output
    return {d["id"]: d for d in json.loads(result.output)["delais"]}


def assess(case: Path, au: str = AU) -> dict[str, Any]:
    result = run("next", str(case), "--au", au, "--json")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def available(assessment: dict[str, Any]) -> set[str]:
    return {step["procedure"] for step in assessment["disponibles"]}


def blocked(assessment: dict[str, Any], procedure: str) -> set[str]:
    return {b["condition"] for b in assessment["bloquees"] if b["procedure"] == procedure}


def add_events(*events: dict[str, Any]) -> Any:
    def change(data: dict[str, Any]) -> None:
        data["evenements"].extend(events)

    return change


# --------------------------------------------------------------------------- amounts


def _interest(base: str, rate: str, days: int) -> Decimal:
    amount = Decimal(base) * Decimal(rate) / 100 * days / 365
    return amount.quantize(CENT, ROUND_HALF_UP)


def hand_computed() -> dict[str, Decimal]:
    """The example's title by hand: ordonnance of 2 March 2026 served à personne on 10 March,
    executory on 11 April (opposition month ended Friday 10 April), legal interest from the
    ordonnance, +5 points from 12 June (CMF L313-3), 500 € paid on 15 June (interest first)."""
    s1 = "2.62"  # legal rate, « autres cas », 2026 S1 (7,75 % = S2 2,75 % + 5 points)
    before_major = _interest("4200.00", s1, 101)  # 3 March to 11 June
    major_before_payment = _interest("4200.00", "7.62", 4)  # 12 to 15 June
    interest_at_payment = Decimal("123.45") + before_major + major_before_payment
    principal = Decimal("4200.00") - (Decimal("500.00") - interest_at_payment)
    after = _interest(str(principal), "7.62", 15) + _interest(str(principal), "7.75", 154)
    total = principal + after + Decimal("35.39")
    provision = _interest(str(principal), "7.75", 31)  # 2 December to 1 January
    return {
        "principal": principal,
        "interest": after,
        "total": total,
        "provision": provision,
        "seizure": total + provision,
    }


def test_hand_computation_matches_the_title_decompte() -> None:
    expected = hand_computed()
    case = load_case(example_path(SAISIES), au=dt.date(2026, 12, 1))
    decompte = title_decompte(case, dt.date(2026, 12, 1))
    assert decompte.principal_outstanding == expected["principal"] == Decimal("3857.41")
    assert decompte.interest_outstanding == expected["interest"] == Decimal("138.21")
    assert decompte.total_due == expected["total"] == Decimal("4031.01")


def test_saisie_attribution_letter_states_the_title_decompte_and_the_provision(
    tmp_path: Path,
) -> None:
    result = render("saisie_attribution", copy_example(SAISIES, tmp_path), tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = text_of(tmp_path / "out")
    expected = hand_computed()
    assert expected["provision"] == Decimal("25.39")
    for figure in ("4 031,01 €", "3 857,41 €", "138,21 €", "35,39 €", "25,39 €", "4 056,40 €"):
        assert figure in text, figure
    # The split R211-1 asks for, the majoration period, the imputation of the payment.
    assert "Principal alloué par le titre" in text and "4 200,00 €" in text
    assert "Intérêts arrêtés par le titre au 26 janvier 2026" in text and "123,45 €" in text
    assert "majoré de 5 points" in text and "7,62 % l'an" in text
    assert "157,41 € sur les intérêts, 342,59 € sur le principal" in text
    assert "Caisse d'Épargne Aquitaine Poitou-Charentes" in text
    assert "Copie exécutoire de l'ordonnance" in text and "Acte de signification" in text
    assert "SELARL Actejust" in text
    assert "{{" not in text and "{%" not in text


def test_saisie_remunerations_letter_names_the_employer_and_the_decompte(tmp_path: Path) -> None:
    result = render("saisie_remunerations", copy_example(SAISIES, tmp_path), tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = text_of(tmp_path / "out")
    assert "Logistique Atlantique SAS, SIREN 799 456 123" in text
    assert "4 031,01 €" in text
    assert "R212-1-3" in text and "L212-6" in text and "décret n° 2025-125" in text
    assert "4 056,40 €" not in text  # no R211-1 provision in a wage seizure


def test_petites_creances_mandate_splits_principal_and_interest(tmp_path: Path) -> None:
    result = render("petites_creances", copy_example(PETITES, tmp_path), tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = text_of(tmp_path / "out")
    # Legal interest from the day after receipt of the notice (5 October): 57 days at 2,75 %.
    interest = _interest("1240.00", "2.75", 57)
    assert interest == Decimal("5.33")
    assert "1 245,33 € (1 240,00 € en principal et 5,33 € d'intérêts)" in text
    assert "5 000,00 €" in text and "SCP Le Bihan et Tanguy" in text
    assert "Facture F-2026-0611" in text


def test_saisie_conservatoire_requete_states_the_threat_and_the_sum(tmp_path: Path) -> None:
    result = render(
        "saisie_conservatoire", copy_example(CONSERVATOIRE, tmp_path), tmp_path / "out"
    )
    assert result.exit_code == 0, result.output
    text = text_of(tmp_path / "out")
    assert "juge de l'exécution du tribunal judiciaire de Lyon" in text
    assert "met en vente son fonds de commerce" in text
    assert "19 321,32 €" in text and "Banque Populaire Auvergne Rhône Alpes" in text


def test_saisie_conservatoire_with_authorisation_writes_to_the_commissaire(
    tmp_path: Path,
) -> None:
    organe = {
        "role": "commissaire_de_justice",
        "nom": "SELARL Rhône Actes",
        "adresse": {
            "ligne1": "3 rue Grenette",
            "code_postal": "69002",
            "ville": "Lyon",
            "pays": "FR",
        },
    }
    case = edited(
        CONSERVATOIRE,
        tmp_path,
        add_events(
            {
                "type": "autorisation_saisie_conservatoire",
                "date": "2026-11-26",
                "reference": "Ordonnance JEX n° 26/0412",
                "organe": organe,
            }
        ),
    )
    # The ordonnance fixes the sum and the assets (CPCE R511-4): the letter asks for them.
    data = load_yaml(case)
    data["execution"]["autorisation"] = {
        "date": "2026-11-26",
        "reference": "Ordonnance JEX n° 26/0412",
        "montant": "19321.32",
        "biens": "les sommes détenues par la Banque Populaire Auvergne Rhône Alpes",
    }
    # The ordonnance itself is a required pièce (R2 #1, CPCE R523-1).
    data["pieces"].append(
        {
            "titre": "Ordonnance du juge de l'exécution du 26 novembre 2026",
            "date": "2026-11-26",
            "fichier": "pieces/ordonnance-autorisation-2026-11-24.pdf",
            "role": "ordonnance_autorisation",
        }
    )
    write_case(case, data)
    result = render("saisie_conservatoire", case, tmp_path / "out")
    assert result.exit_code == 0, result.output
    names = [p.name for p in (tmp_path / "out").iterdir()]
    assert names == ["SC-2026-0907-saisie-conservatoire-commissaire.docx"]
    text = text_of(tmp_path / "out")
    assert "SELARL Rhône Actes" in text and "Ordonnance JEX n° 26/0412" in text
    assert "19 321,32 €" in text


# --------------------------------------------------------------------------- deadlines


def test_saisie_remunerations_deadlines(tmp_path: Path) -> None:
    case = edited(
        SAISIES,
        tmp_path,
        add_events(
            {"type": "commandement_saisie_remunerations", "date": "2026-12-03"},
            {"type": "pv_saisie_remunerations", "date": "2027-01-11"},
        ),
    )
    found = deadlines(case, "2027-01-12")
    # One month: 3 January 2027 is a Sunday (CPC 642).
    assert found["paiement_ou_accord"]["date_limite"] == "2027-01-04"
    assert found["proces_verbal_saisie"]["date_limite"] == "2027-03-03"
    assert found["proces_verbal_saisie"]["statut"] == "accompli"
    assert found["declaration_employeur"]["date_limite"] == "2027-01-26"


def test_pv_d_accord_removes_the_lapse_deadline(tmp_path: Path) -> None:
    case = edited(
        SAISIES,
        tmp_path,
        add_events(
            {"type": "commandement_saisie_remunerations", "date": "2026-12-03"},
            {"type": "pv_accord_saisie_remunerations", "date": "2026-12-20"},
        ),
    )
    found = deadlines(case, "2026-12-21")
    assert "proces_verbal_saisie" not in found and "paiement_ou_accord" in found


def test_saisie_attribution_deadlines(tmp_path: Path) -> None:
    case = edited(
        SAISIES,
        tmp_path,
        add_events(
            {"type": "saisie_attribution_pratiquee", "date": "2026-12-04"},
            {"type": "saisie_attribution_denoncee", "date": "2026-12-10"},
        ),
    )
    found = deadlines(case, "2026-12-10")
    # Eight days from Friday 4 December: Saturday 12 December, so Monday 14 (R211-3).
    assert found["denonciation"]["date_limite"] == "2026-12-14"
    assert found["denonciation"]["statut"] == "accompli"
    # One month from 10 December: Sunday 10 January 2027, so Monday 11 (R211-11).
    assert found["contestation"]["date_limite"] == "2027-01-11"


def test_saisie_conservatoire_deadlines(tmp_path: Path) -> None:
    case = edited(
        CONSERVATOIRE,
        tmp_path,
        add_events(
            {"type": "autorisation_saisie_conservatoire", "date": "2026-12-07"},
            {"type": "saisie_conservatoire_pratiquee", "date": "2026-12-15"},
        ),
    )
    found = deadlines(case, "2026-12-15")
    assert found["execution_autorisation"]["date_limite"] == "2027-03-08"  # 7 March: Sunday
    assert found["execution_autorisation"]["statut"] == "accompli"
    assert found["denonciation"]["date_limite"] == "2026-12-23"
    assert found["introduction_instance"]["date_limite"] == "2027-01-15"
    assert found["introduction_instance"]["bloquant"] is True


def test_petites_creances_deadline_and_prescription_suspension(tmp_path: Path) -> None:
    invited = edited(
        PETITES,
        tmp_path / "a",
        add_events({"type": "petites_creances_invitation_envoyee", "date": "2026-12-02"}),
    )
    found = deadlines(invited, "2026-12-02")
    assert found["reponse_debiteur"]["date_limite"] == "2027-01-04"  # 2 January: Saturday
    assert any(key.startswith("prescription") for key in found)
    agreed = edited(
        PETITES,
        tmp_path / "b",
        add_events(
            {"type": "petites_creances_invitation_envoyee", "date": "2026-11-02"},
            {"type": "petites_creances_accord", "date": "2026-11-20"},
        ),
    )
    found = deadlines(agreed)
    assert found["reponse_debiteur"]["statut"] == "accompli"
    # The debtor's agreement suspends prescription (C. civ. 2238): no limitation date runs.
    assert not any(key.startswith("prescription") for key in found)


# --------------------------------------------------------------------------- actes next


def test_next_after_the_title_offers_both_seizures(tmp_path: Path) -> None:
    assessment = assess(copy_example(SAISIES, tmp_path))
    assert {"saisie_attribution", "saisie_remunerations"} <= available(assessment)
    assert "pas_de_titre_executoire" in blocked(assessment, "saisie_conservatoire")
    assert "pas_de_titre_obtenu" in blocked(assessment, "petites_creances")
    advice = {a["action"] for a in assessment["conseils"]}
    assert {"requisition_saisie_attribution", "requisition_saisie_remunerations"} <= advice


def test_next_without_employer_or_bank_says_why(tmp_path: Path) -> None:
    case = edited(SAISIES, tmp_path, lambda data: data.pop("execution"))
    assessment = assess(case)
    assert "employeur_connu" in blocked(assessment, "saisie_remunerations")
    assert "tiers_saisi_connu" in blocked(assessment, "saisie_attribution")


def test_next_during_the_commandement(tmp_path: Path) -> None:
    case = edited(
        SAISIES,
        tmp_path,
        add_events({"type": "commandement_saisie_remunerations", "date": "2026-11-20"}),
    )
    assessment = assess(case)
    actions = {a["action"] for a in assessment["conseils"]}
    assert "paiement_ou_accord" in actions
    step = next(s for s in assessment["disponibles"] if s["procedure"] == "saisie_remunerations")
    assert step["documents"] == []  # the request was sent: nothing left to write
    assert step["prochain_delai"]["id"] == "paiement_ou_accord"
    later = assess(case, "2026-12-22")
    assert "proces_verbal_saisie" in {a["action"] for a in later["conseils"]}


def test_next_after_a_conservatory_seizure_drives_to_an_injonction(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["evenements"].extend(
            [
                {"type": "autorisation_saisie_conservatoire", "date": "2026-11-20"},
                {"type": "saisie_conservatoire_pratiquee", "date": "2026-11-25"},
                {"type": "saisie_conservatoire_denoncee", "date": "2026-11-30"},
            ]
        )

    assessment = assess(edited(CONSERVATOIRE, tmp_path, change))
    recommended = assessment["recommande"]
    assert recommended["procedure"] == "injonction_de_payer_tc"
    assert recommended["action"] == "requete"
    assert "R511-7" in " ".join(recommended["fondement"])


def test_next_after_a_petites_creances_refusal_moves_to_the_injonction(tmp_path: Path) -> None:
    case = edited(
        PETITES,
        tmp_path,
        add_events(
            {"type": "petites_creances_invitation_envoyee", "date": "2026-11-10"},
            {"type": "petites_creances_refus", "date": "2026-11-18"},
        ),
    )
    recommended = assess(case)["recommande"]
    assert recommended["procedure"] == "injonction_de_payer_tj"
    assert recommended["action"] == "requete"


def test_next_blocks_enforcement_during_surendettement(tmp_path: Path) -> None:
    case = edited(
        SAISIES,
        tmp_path,
        add_events({"type": "surendettement_recevabilite", "date": "2026-11-15"}),
    )
    assessment = assess(case)
    assert "pas_de_surendettement_recevable" in blocked(assessment, "saisie_remunerations")
    assert "pas_de_surendettement_recevable" in blocked(assessment, "saisie_attribution")
    assert not {"saisie_attribution", "saisie_remunerations"} & available(assessment)


# --------------------------------------------------------------------------- bad input


def _refused(procedure: str, case: Path, out: Path, *words: str, au: str = AU) -> None:
    result = render(procedure, case, out, au)
    assert result.exit_code == 1, result.output
    assert not out.exists() or not any(out.iterdir())
    message = plain_spaces(result.output)
    for word in words:
        assert word in message, (word, message)


def test_request_without_a_title_is_refused(tmp_path: Path) -> None:
    case = edited(SAISIES, tmp_path, lambda data: data.pop("titre"))
    _refused("saisie_attribution", case, tmp_path / "out", "titre exécutoire", "L111-2")


def test_title_without_service_is_refused(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["titre"].update(nature="jugement", date="2026-09-15")
        data["titre"].pop("signification")

    _refused(
        "saisie_remunerations",
        edited(SAISIES, tmp_path, change),
        tmp_path / "out",
        "signifié",
        "CPC art. 503",
    )


def test_missing_copie_executoire_is_refused(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["pieces"] = [p for p in data["pieces"] if p.get("role") != "copie_executoire"]

    _refused(
        "saisie_attribution",
        edited(SAISIES, tmp_path, change),
        tmp_path / "out",
        "copie exécutoire",
    )


def test_petites_creances_over_the_ceiling_is_refused(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["creances"][0]["montant"] = "4990.00"  # with interest, over 5 000 €

    _refused(
        "petites_creances", edited(PETITES, tmp_path, change), tmp_path / "out", "5 000", "R125-1"
    )


def test_petites_creances_ceiling_was_4000_before_2020(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        claim = data["creances"][0]
        claim.update(montant="4500.00", date_emission="2019-03-01", date_echeance="2019-04-01")
        data["evenements"] = [
            {"type": "mise_en_demeure_envoyee", "date": "2019-05-02"},
            {"type": "mise_en_demeure_recue", "date": "2019-05-04"},
        ]
        for piece in data["pieces"]:
            piece["date"] = "2019-03-01"

    case = edited(PETITES, tmp_path, change)
    _refused("petites_creances", case, tmp_path / "out", "4 000", au="2019-06-03")
    result = render("petites_creances", case, tmp_path / "later", "2020-01-06")
    assert result.exit_code == 0, result.output


def test_wage_seizure_during_surendettement_is_refused(tmp_path: Path) -> None:
    case = edited(
        SAISIES,
        tmp_path,
        add_events({"type": "surendettement_recevabilite", "date": "2026-11-15"}),
    )
    _refused("saisie_remunerations", case, tmp_path / "out", "surendettement", "L722-2")


def test_seizure_after_ten_years_is_refused(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["titre"] = {
            "nature": "jugement",
            "juridiction": {"nom": "Tribunal judiciaire de Bordeaux"},
            "date": "2015-01-12",
            "montants": {"principal": "4200.00"},
            "signification": {"date": "2015-02-02", "a_personne": True},
        }

    _refused(
        "saisie_attribution",
        edited(SAISIES, tmp_path, change),
        tmp_path / "out",
        "dix ans",
        "L111-4",
    )


def test_enforcement_by_the_commissaire_who_issued_the_petites_creances_title(
    tmp_path: Path,
) -> None:
    commissaire = "SELARL Actejust, commissaires de justice associés"

    def change(data: dict[str, Any]) -> None:
        data["titre"] = {
            "nature": "titre_petites_creances",
            "juridiction": {"nom": commissaire},
            "date": "2026-10-01",
            "montants": {"principal": "4200.00"},
        }
        for piece in data["pieces"]:
            if piece.get("role") == "copie_executoire":
                piece["role"] = "titre_petites_creances"

    _refused(
        "saisie_attribution",
        edited(SAISIES, tmp_path, change),
        tmp_path / "out",
        "autre commissaire",
        "L125-1",
    )


@pytest.mark.parametrize(
    ("procedure", "name"),
    [
        ("saisie_attribution", SAISIES),
        ("saisie_remunerations", SAISIES),
        ("petites_creances", PETITES),
        ("saisie_conservatoire", CONSERVATOIRE),
    ],
)
def test_examples_render_without_warnings_of_missing_data(
    procedure: str, name: str, tmp_path: Path
) -> None:
    result = render(procedure, copy_example(name, tmp_path), tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").glob("*.docx"))) == 1

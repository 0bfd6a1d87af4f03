"""``actes next`` after a served, unopposed title: the measure that fits what is known of the
debtor comes before the generic letter of the court that issued the title
(``actions_prioritaires`` in parameters/assistant.yaml)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from actes.cases.case import load_case
from actes.cli import main
from actes.errors import DefinitionError
from actes.law import assistant
from actes.law.assistant import Assessment, next_steps

from .conftest import copy_example, load_yaml, write_case

# The example's ordonnance (TJ de Bordeaux, named in the case) was served à personne on
# 10 March 2026 and not opposed: executory on 11 April 2026.
AU = dt.date(2026, 6, 30)


def _assess(tmp_path: Path, *, au: dt.date = AU, **changes: Any) -> Assessment:
    path = copy_example("execution-saisies", tmp_path)
    data = load_yaml(path)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        elif key == "execution":
            data["execution"] = {k: v for k, v in {**data["execution"], **value}.items() if v}
        elif key == "evenements":
            data["evenements"] = [*data["evenements"], *value]
        else:
            data[key] = value
    write_case(path, data)
    return next_steps(load_case(path, au=au), au)


def _recommended(assessment: Assessment) -> tuple[str, str | None]:
    assert assessment.recommended is not None
    return assessment.recommended.procedure_id, assessment.recommended.action


def test_bank_and_employer_known_the_saisie_attribution_comes_first(tmp_path: Path) -> None:
    assessment = _assess(tmp_path)
    assert _recommended(assessment) == ("saisie_attribution", "requisition_saisie_attribution")
    assert assessment.recommended is not None
    assert [d.id for d in assessment.recommended.documents] == ["requisition_saisie_attribution"]
    # The court's own letter and the wage seizure stay offered.
    assert assessment.step("injonction_de_payer_tj") is not None
    assert assessment.step("saisie_remunerations") is not None


def test_employer_only_the_wage_seizure(tmp_path: Path) -> None:
    assessment = _assess(tmp_path, execution={"banques": None})
    assert _recommended(assessment) == (
        "saisie_remunerations",
        "requisition_saisie_remunerations",
    )
    [blocked] = assessment.blocked_for("saisie_attribution")
    assert blocked.precondition_id == "tiers_saisi_connu"


def test_employer_known_before_july_2025_the_requete_to_the_judge(tmp_path: Path) -> None:
    # A judgment served in 2024 (TJ de Bordeaux), employer known, no bank: the former judicial
    # regime of the wage seizure (requête, C. trav. R3252-13) is the step.
    titre = {
        "nature": "jugement",
        "juridiction": {"nom": "Tribunal judiciaire de Bordeaux", "ville": "Bordeaux"},
        "date": "2024-09-02",
        "numero": "RG 24/04567",
        "montants": {"principal": "4200.00", "depens": "35.39"},
        "signification": {"date": "2024-09-20", "a_personne": True},
    }
    evenements = [
        {"type": "mise_en_demeure_envoyee", "date": "2024-05-20"},
        {"type": "jugement_signifie", "date": "2024-09-20", "a_personne": True},
    ]
    path = copy_example("execution-saisies", tmp_path)
    data = load_yaml(path)
    data.update(titre=titre, evenements=evenements, paiements=[])
    data["execution"].pop("banques")
    data["creances"][0].update(date_emission="2024-03-18", date_echeance="2024-04-18")
    data["pieces"] = [
        {**piece, "date": "2024-09-20" if piece.get("role") else "2024-03-18"}
        for piece in data["pieces"]
        if piece.get("role") != "copie_certifiee_requete"
    ]
    write_case(path, data)
    au = dt.date(2025, 3, 3)
    assessment = next_steps(load_case(path, au=au), au)
    assert _recommended(assessment) == ("saisie_remunerations", "requete_saisie_remunerations")


def test_nothing_known_the_letter_asks_the_commissaire_to_search(tmp_path: Path) -> None:
    assessment = _assess(tmp_path, execution=None)
    assert _recommended(assessment) == ("injonction_de_payer_tj", "lettre_commissaire_execution")
    recommended = assessment.recommended
    assert recommended is not None
    assert "rechercher l'employeur, les comptes et les biens" in recommended.reason
    assert recommended.legal_basis == ("CPC art. 1422", "CPCE art. L152-1", "CPCE art. L152-2")
    assert [d.id for d in recommended.documents] == ["lettre_commissaire_execution"]
    blocked = {b.procedure_id: b.precondition_id for b in assessment.blocked}
    assert blocked["saisie_attribution"] == "tiers_saisi_connu"
    assert "saisie_remunerations" in blocked


def test_a_saisie_attribution_made_its_denonciation_comes_before_a_new_measure(
    tmp_path: Path,
) -> None:
    # Made on 25 June 2026: dénonciation within 8 days (R211-3, caducité), employer known.
    made = {"type": "saisie_attribution_pratiquee", "date": "2026-06-25"}
    assessment = _assess(tmp_path, evenements=[made])
    assert _recommended(assessment) == ("saisie_attribution", "denonciation")
    assert assessment.recommended is not None
    deadline = assessment.recommended.deadline
    assert deadline is not None and deadline.date_limite == dt.date(2026, 7, 3)


def test_a_running_commandement_comes_before_the_generic_letter(tmp_path: Path) -> None:
    # Wage seizure started (commandement of 15 June 2026), no bank known: the month of the
    # commandement runs; the court's letter « pour exécution » is not the step.
    served = {"type": "commandement_saisie_remunerations", "date": "2026-06-15"}
    assessment = _assess(tmp_path, execution={"banques": None}, evenements=[served])
    assert _recommended(assessment) == ("saisie_remunerations", "paiement_ou_accord")


def test_before_the_opposition_month_ends_no_seizure_is_recommended(tmp_path: Path) -> None:
    # 1 April 2026: the opposition month runs (suspensive, CPC 1422), the title is not yet
    # executory; the seizures are blocked whatever is known.
    assessment = _assess(tmp_path, au=dt.date(2026, 4, 1), paiements=[])
    assert _recommended(assessment) == ("injonction_de_payer_tj", "opposition")
    assert assessment.step("saisie_attribution") is None
    assert assessment.step("saisie_remunerations") is None


def test_the_order_is_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same case with the wage seizure listed before the saisie-attribution.
    source = Path(assistant.__file__).resolve().parents[3] / "parameters" / "assistant.yaml"
    text = source.read_text(encoding="utf-8")
    attribution = "  - action: requisition_saisie_attribution\n"
    wages = "  - action: requisition_saisie_remunerations\n"
    swapped = text.replace(attribution + wages, wages + attribution)
    assert swapped != text
    custom = tmp_path / "assistant.yaml"
    custom.write_text(swapped, encoding="utf-8")
    monkeypatch.setattr(assistant, "_load_rules", lambda: assistant._rules_at(custom))
    assessment = _assess(tmp_path)
    assert _recommended(assessment) == (
        "saisie_remunerations",
        "requisition_saisie_remunerations",
    )


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ("  - requisition_saisie_attribution\n", "action: <id>"),
        ("  - {action: denonciation, rang: 1}\n", "clés inconnues"),
        ("  - action: denonciation\n  - action: denonciation\n", "figure deux fois"),
    ],
)
def test_a_bad_priority_list_is_a_definition_error(
    tmp_path: Path, entries: str, message: str
) -> None:
    path = tmp_path / "assistant.yaml"
    path.write_text(
        "description: essai\nsources: [conseil]\npriorite: []\nactions_prioritaires:\n" + entries,
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError, match=message):
        assistant._rules_at(path)


def test_actes_next_json_names_the_measure(tmp_path: Path) -> None:
    path = copy_example("execution-saisies", tmp_path)
    result = CliRunner().invoke(main, ["next", str(path), "--au", AU.isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    recommended = json.loads(result.output)["recommande"]
    assert (recommended["procedure"], recommended["action"]) == (
        "saisie_attribution",
        "requisition_saisie_attribution",
    )

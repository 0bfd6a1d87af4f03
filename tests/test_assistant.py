"""The procedure assistant (actes.law.assistant.next_steps) on the examples and their variants.

Every expected date is computed by hand in a comment (CPC 640-642: the starting day is not
counted, months run to the same day number, a last day falling on a Saturday, Sunday or
public holiday moves to the next working day).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from actes.cases.case import load_case
from actes.cli._common import to_jsonable
from actes.law.assistant import Assessment, next_steps

from .conftest import AU, copy_example, example_path, load_yaml, write_case

IP_FAMILY = ("injonction_de_payer_tc", "injonction_de_payer_tj", "injonction_de_payer_jcp")


def assess(path: Path, au: dt.date = AU) -> Assessment:
    return next_steps(load_case(path, au=au), au)


def variant(name: str, tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    path = copy_example(name, tmp_path)
    data = load_yaml(path)
    edit(data)
    return write_case(path, data)


def set_event_dates(data: dict[str, Any], **dates: str) -> None:
    for event in data["evenements"]:
        if event["type"] in dates:
            event["date"] = dates[event["type"]]


def drop_events(data: dict[str, Any], *kinds: str) -> None:
    data["evenements"] = [e for e in data["evenements"] if e["type"] not in kinds]


def available_ids(assessment: Assessment) -> list[str]:
    return [s.procedure_id for s in assessment.available]


def blocked_by(assessment: Assessment, procedure_id: str, precondition_id: str) -> Any:
    found = [
        b for b in assessment.blocked_for(procedure_id) if b.precondition_id == precondition_id
    ]
    assert found, f"{procedure_id} n'est pas écartée par {precondition_id}"
    return found[0]


# --- Procédures collectives -------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["sauvegarde", "redressement_judiciaire", "liquidation_judiciaire"]
)
def test_collective_procedure_leaves_only_the_declaration(tmp_path: Path, kind: str) -> None:
    def edit(data: dict[str, Any]) -> None:
        for event in data["evenements"]:
            if event["type"] == "jugement_ouverture":
                event["procedure"] = kind

    result = assess(variant("liquidation-judiciaire", tmp_path, edit))
    assert available_ids(result) == ["declaration_de_creance"]
    step = result.step("declaration_de_creance")
    assert step is not None
    # BODACC 2026-10-24 + 2 months = 2026-12-24, a Thursday; the creditor lives in
    # metropolitan France: no R622-24 extension.
    assert step.next_deadline is not None
    assert step.next_deadline.id == "declaration"
    assert step.next_deadline.date_limite == dt.date(2026, 12, 24)
    assert step.next_deadline.legal_basis == ("C. com. art. L622-24", "C. com. art. R622-24")
    assert [d.id for d in step.documents] == ["declaration", "bordereau"]
    # L622-21 on every individual action.
    for procedure_id in (*IP_FAMILY, "mise_en_demeure_professionnel", "relance_amiable"):
        blocked = blocked_by(result, procedure_id, "pas_de_procedure_collective")
        assert "C. com. art. L622-21" in blocked.legal_basis
        assert blocked.instead == ("declaration_de_creance",)
    recommended = result.recommended
    assert recommended is not None
    assert recommended.procedure_id == "declaration_de_creance"
    assert recommended.rule == "conseil"
    assert recommended.action == "declaration"
    assert [d.id for d in recommended.documents] == ["declaration"]
    assert recommended.deadline is not None
    assert recommended.deadline.date_limite == dt.date(2026, 12, 24)
    # Why no mise en demeure is needed (advice added to the definition).
    assert any("Aucune mise en demeure n'est nécessaire" in a.text for a in result.advice)
    assert result.court is None
    assert result.warnings == ()


# --- Surendettement ---------------------------------------------------------------------


def test_surendettement_recevable_leaves_only_the_commission_filings() -> None:
    result = assess(example_path("surendettement"))
    # No measures notified and the R722-1 recourse against the recevabilité expired on
    # 2026-11-12: nothing to contest (surendettement_contestation r2, precondition dans_le_delai).
    assert set(available_ids(result)) == {"surendettement_declaration"}
    blocked_by(result, "surendettement_contestation", "dans_le_delai")
    for procedure_id in (*IP_FAMILY, "mise_en_demeure_consommateur"):
        blocked = blocked_by(result, procedure_id, "pas_de_surendettement_recevable")
        assert "C. conso. art. L722-2" in blocked.legal_basis
        assert blocked.instead == ("surendettement_declaration",)
    recommended = result.recommended
    assert recommended is not None
    assert recommended.procedure_id == "surendettement_declaration"
    assert [d.id for d in recommended.documents] == ["declaration"]
    # Commission's letter on the état du passif 2026-11-16 + 30 days = 2026-12-16 (R723-3).
    assert recommended.deadline is not None
    assert recommended.deadline.date_limite == dt.date(2026, 12, 16)
    assert recommended.deadline.legal_basis == ("C. conso. art. R723-3",)
    assert "C. conso. art. L722-2" in recommended.legal_basis
    # Recevabilité 2026-10-27 + 15 days = 2026-11-11, Armistice: 2026-11-12 (R722-1).
    [warning] = result.warnings
    assert warning.kind == "delai_depasse"
    assert warning.date == dt.date(2026, 11, 12)
    assert warning.legal_basis == ("C. conso. art. R722-1",)
    assert result.court is None


# --- Débiteur dans un autre État membre -------------------------------------------------


def test_debtor_in_another_member_state_gets_the_european_order() -> None:
    result = assess(example_path("ipe-debiteur-allemand"))
    step = result.step("injonction_de_payer_europeenne")
    assert step is not None
    grounds = dict(step.grounds)
    assert "Règlement (CE) n° 1896/2006 art. 3" in grounds["affaire_transfrontiere"]
    assert [d.id for d in step.documents] == ["formulaire_a", "bordereau"]
    for procedure_id in IP_FAMILY:
        blocked = blocked_by(result, procedure_id, "debiteur_domicilie_en_france")
        assert "injonction de payer européenne" in blocked.message
        assert blocked.legal_basis == ("CPC art. 1406", "Règlement (CE) n° 1896/2006 art. 3")
        assert blocked.instead == ("injonction_de_payer_europeenne",)
    french = blocked_by(result, "injonction_de_payer_tc", "debiteur_domicilie_en_france")
    assert french.court is not None
    assert french.court.place_rule == "domicile du débiteur (CPC 1406) : Köln (50672, DE)"
    assert any("hors de France" in note for note in french.court.notes)
    recommended = result.recommended
    assert recommended is not None
    assert recommended.procedure_id == "injonction_de_payer_europeenne"
    # Mise en demeure received 2026-06-19 + 8 days (parametre) = 2026-06-27, a Saturday:
    # 2026-06-29; passed, so the leads_to link of the notice is followed.
    assert recommended.rule == "suite"
    assert "2026-06-29" in recommended.reason
    assert result.court is not None
    assert result.court.procedure_id == "injonction_de_payer_europeenne"
    assert result.court.title == "Président du tribunal de commerce de Tours"


# --- Débiteur consommateur : juge des contentieux de la protection ----------------------


def _consumer_credit(data: dict[str, Any]) -> None:
    # The surendettement example without its surendettement events: consumer credit
    # (nature: echeance_pret) owed by an individual.
    drop_events(
        data, "surendettement_depot", "surendettement_recevabilite", "surendettement_etat_passif"
    )
    data["pieces"] = [p for p in data["pieces"] if "etat-passif" not in p["fichier"]]
    assert all(c["nature"] == "echeance_pret" for c in data["creances"])


def test_consumer_credit_goes_to_the_protection_judge(tmp_path: Path) -> None:
    result = assess(variant("surendettement", tmp_path, _consumer_credit))
    assert "injonction_de_payer_jcp" in available_ids(result)
    blocked = blocked_by(result, "injonction_de_payer_tj", "hors_contentieux_protection")
    assert blocked.instead == ("injonction_de_payer_jcp",)
    assert "CPC art. 1406" in blocked.legal_basis
    blocked_by(result, "injonction_de_payer_tc", "debiteur_professionnel")
    recommended = result.recommended
    assert recommended is not None
    assert recommended.procedure_id == "injonction_de_payer_jcp"
    # Mise en demeure received 2026-06-23 + 15 days = 2026-07-08 (a Wednesday), passed.
    assert recommended.rule == "suite"
    assert "mise_en_demeure_consommateur" in recommended.reason
    assert "2026-07-08" in recommended.reason
    assert [d.id for d in recommended.documents] == ["requete", "bordereau"]
    court = result.court
    assert court is not None
    assert court.kind == "juge_contentieux_protection"
    assert court.place_rule == "domicile du débiteur (CPC 1406) : Lille (59000)"
    assert "justice.fr" in court.to_supply


# --- Prescription -----------------------------------------------------------------------


def _without_plan(data: dict[str, Any]) -> None:
    """The consumer example before its payment plan (a signed plan restarts prescription)."""
    data["evenements"] = [e for e in data["evenements"] if e["type"] != "plan_apurement_signe"]
    data["paiements"] = data["paiements"][:1]
    for key in ("plan", "situation"):
        data.pop(key, None)
    data["format_version"] = 1


def test_prescribed_claim_is_blocked_with_its_date_and_article(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        _without_plan(data)
        data["creances"][0].update(date_emission="2024-04-30", date_echeance="2024-05-15")
        data["paiements"][0]["date"] = "2024-07-10"

    result = assess(variant("b2c-travaux-consommateur", tmp_path, edit))
    # Professional against a consumer: 2 years (C. conso. L218-2) from the due date
    # 2024-05-15 → 2026-05-15; no art. 642 extension for prescription. Passed at 2026-11-24.
    for procedure_id in ("injonction_de_payer_tj", "mise_en_demeure_consommateur"):
        blocked = blocked_by(result, procedure_id, "creance_non_prescrite")
        assert "C. conso. art. L218-2" in blocked.legal_basis
        [fact] = blocked.facts
        assert fact.date_limite == dt.date(2026, 5, 15)
        assert fact.legal_basis == ("C. conso. art. L218-2",)
    assert "injonction_de_payer_tj" not in available_ids(result)
    [warning] = result.warnings
    assert warning.kind == "prescription_acquise"
    assert warning.date == dt.date(2026, 5, 15)
    assert warning.legal_basis == ("C. conso. art. L218-2",)
    assert "F-2026-0412" in warning.message


def test_prescription_near_is_a_warning(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        _without_plan(data)
        data["creances"][0].update(date_emission="2024-12-01", date_echeance="2024-12-15")
        data["paiements"][0]["date"] = "2025-01-10"

    result = assess(variant("b2c-travaux-consommateur", tmp_path, edit))
    # 2024-12-15 + 2 years = 2026-12-15: 21 days after 2026-11-24, within the 90 days warned.
    [warning] = result.warnings
    assert warning.kind == "prescription_proche"
    assert warning.date == dt.date(2026, 12, 15)
    assert "21 jour(s)" in warning.message
    assert "injonction_de_payer_tj" in available_ids(result)


# --- Mise en demeure --------------------------------------------------------------------


def test_no_mise_en_demeure_yet(tmp_path: Path) -> None:
    # The B2B example (a relance sent, no mise en demeure), with no court named in the file.
    path = variant("b2b-factures-impayees", tmp_path, lambda d: d.pop("juridiction", None))
    result = assess(path)
    recommended = result.recommended
    assert recommended is not None
    assert recommended.procedure_id == "mise_en_demeure_professionnel"
    assert recommended.rule == "conseil"
    assert recommended.action == "mise_en_demeure"
    assert [d.id for d in recommended.documents] == ["mise_en_demeure"]
    texts = {a.text: a for a in result.advice}
    # Why it is not required before the requête, and why to send it anyway.
    why = next(a for t, a in texts.items() if "n'est pas une condition de recevabilité" in t)
    assert why.legal_basis == ("C. civ. art. 1344", "C. civ. art. 1344-1")
    assert set(why.procedures) == {"injonction_de_payer_tc", "injonction_de_payer_tj"}
    assert any(a.action == "mise_en_demeure" and "relance" in t for t, a in texts.items())
    # The court of the injonction de payer that would follow.
    assert result.court is not None
    assert result.court.procedure_id == "injonction_de_payer_tc"
    assert "justice.fr" in result.court.to_supply


# --- Injonction de payer : ordonnance non signifiée à temps -----------------------------


def test_new_regime_ordonnance_lapses_after_three_months(tmp_path: Path) -> None:
    path = variant("injonction-2026", tmp_path, lambda d: drop_events(d, "ordonnance_signifiee"))
    # Ordonnance 2026-10-05 (décret 2026-96 regime) + 3 months = 2027-01-05, a Tuesday.
    before = assess(path, dt.date(2027, 1, 5))
    step = before.step("injonction_de_payer_tj")
    assert step is not None
    assert step.version.version == 3
    assert step.next_deadline is not None
    assert step.next_deadline.date_limite == dt.date(2027, 1, 5)
    assert before.recommended is not None
    assert before.recommended.action == "lettre_commissaire_signification"

    after = assess(path, dt.date(2027, 1, 10))
    assert "injonction_de_payer_tj" not in available_ids(after)
    blocked = blocked_by(after, "injonction_de_payer_tj", "ordonnance_signifiee_a_temps")
    assert "trois mois" in blocked.message
    assert blocked.facts[0].date_limite == dt.date(2027, 1, 5)
    [warning] = after.warnings
    assert warning.kind == "delai_depasse"
    assert warning.date == dt.date(2027, 1, 5)
    assert warning.legal_basis == ("CPC art. 1411 (rédaction du décret n° 2026-96)",)
    assert "caduque" in warning.message
    assert "5 janvier 2027" in warning.message
    assert warning.procedure_id == "injonction_de_payer_tj"  # the court named in the file
    assert not any(a.action == "lettre_commissaire_signification" for a in after.advice)


def test_ordonnance_of_august_2026_lapses_after_six_months(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        drop_events(data, "ordonnance_signifiee")
        set_event_dates(data, requete_deposee="2026-08-03", ordonnance_rendue="2026-08-20")

    path = variant("injonction-2026", tmp_path, edit)
    # Ordonnance 2026-08-20 (regime of 1 March 2022) + 6 months = 2027-02-20, a Saturday:
    # 2027-02-22 (CPC 642). Three months later (2026-11-20) it is still alive.
    alive = assess(path, dt.date(2027, 1, 10))
    step = alive.step("injonction_de_payer_tj")
    assert step is not None
    assert step.version.version == 2
    assert step.next_deadline is not None
    assert step.next_deadline.date_limite == dt.date(2027, 2, 22)
    assert alive.warnings == ()

    lapsed = assess(path, dt.date(2027, 3, 1))
    [warning] = lapsed.warnings
    assert warning.date == dt.date(2027, 2, 22)
    assert warning.legal_basis == ("CPC art. 1411 al. 3",)
    assert "non avenue" in warning.message
    blocked = blocked_by(lapsed, "injonction_de_payer_tj", "ordonnance_signifiee_a_temps")
    assert "six mois" in blocked.message
    # Nothing follows from the definitions: the documented fallback (priority order).
    assert lapsed.recommended is not None
    assert lapsed.recommended.rule == "priorite"


# --- Injonction de payer : exécution ----------------------------------------------------


def test_new_regime_enforcement_two_months_after_service() -> None:
    path = example_path("injonction-2026")
    # Served 2026-10-20 + 2 months = 2026-12-20, a Sunday: 2026-12-21 (CPC 642).
    waiting = assess(path, dt.date(2026, 12, 21))
    recommended = waiting.recommended
    assert recommended is not None
    assert recommended.procedure_id == "injonction_de_payer_tj"
    assert recommended.deadline is not None
    assert recommended.deadline.id == "execution_sans_avis_opposition"
    assert recommended.deadline.date_limite == dt.date(2026, 12, 21)
    assert "lettre_commissaire_execution" not in [d.id for d in recommended.documents]

    result = assess(path, dt.date(2026, 12, 22))
    recommended = result.recommended
    assert recommended is not None
    assert recommended.procedure_id == "injonction_de_payer_tj"
    assert recommended.version == 3
    assert recommended.rule == "conseil"
    assert recommended.action == "lettre_commissaire_execution"
    assert [d.id for d in recommended.documents] == ["lettre_commissaire_execution"]
    # No bank nor employer known: the commissaire searches first (parameters/assistant.yaml).
    assert recommended.legal_basis == (
        "CPC art. 1422 (rédaction du décret n° 2026-96)",
        "CPCE art. L152-1",
        "CPCE art. L152-2",
    )
    assert recommended.command == (
        f"actes render injonction_de_payer_tj {path} -o out/ --date 2026-12-22"
    )
    assert result.court is not None
    assert result.court.title == "Président du tribunal judiciaire de Bordeaux"


def _oldest_regime(data: dict[str, Any]) -> None:
    data["creances"][0].update(date_emission="2021-01-01", date_echeance="2021-01-31")
    data["creances"][1].update(date_emission="2021-02-01", date_echeance="2021-02-28")
    set_event_dates(
        data,
        mise_en_demeure_envoyee="2021-03-10",
        mise_en_demeure_recue="2021-03-12",
        requete_deposee="2021-05-10",
        ordonnance_rendue="2021-06-01",
        ordonnance_signifiee="2021-06-15",
    )
    for piece in data.get("pieces", []):  # a pièce cannot postdate the assessment (2021-07-20)
        piece["date"] = min(piece["date"], "2021-06-15")


def test_oldest_regime_asks_for_the_formule_executoire(tmp_path: Path) -> None:
    path = variant("injonction-2026", tmp_path, _oldest_regime)
    # Served à personne 2021-06-15 + 1 month = 2021-07-15 (opposition, passed on 2021-07-20);
    # + 1 month = 2021-08-15, a Sunday and the Assomption: 2021-08-16 (former art. 1423).
    result = assess(path, dt.date(2021, 7, 20))
    recommended = result.recommended
    assert recommended is not None
    assert recommended.procedure_id == "injonction_de_payer_tj"
    assert recommended.version == 1
    assert recommended.action == "formule_executoire"
    assert recommended.legal_basis == ("CPC art. 1423 (ancien)",)
    assert recommended.documents == ()
    assert recommended.deadline is not None
    assert recommended.deadline.date_limite == dt.date(2021, 8, 16)
    # The deadline's basis is printed in the request to the greffe, dated while art. 1423
    # was in force: no mention of the décret that later repealed it.
    assert recommended.deadline.legal_basis == ("CPC art. 1423",)
    # The déclaration de créance has no version before 2021-10-01.
    [no_version] = result.blocked_for("declaration_de_creance")
    assert no_version.precondition_id == "version_en_vigueur"

    late = assess(path, dt.date(2021, 8, 20))
    blocked_by(late, "injonction_de_payer_tj", "formule_executoire_demandee_a_temps")
    [warning] = late.warnings
    assert warning.date == dt.date(2021, 8, 16)
    assert "non avenue" in warning.message


# --- Injonction de payer : frontière des régimes ----------------------------------------


@pytest.mark.parametrize(
    ("rendered", "version", "last_day"),
    [
        # 2026-08-31 + 6 months = 2027-02-28 (CPC 641 al. 2), a Sunday: 2027-03-01.
        ("2026-08-31", 2, dt.date(2027, 3, 1)),
        # 2026-09-01 + 3 months = 2026-12-01, a Tuesday (décret 2026-96).
        ("2026-09-01", 3, dt.date(2026, 12, 1)),
    ],
)
def test_regime_boundary(tmp_path: Path, rendered: str, version: int, last_day: dt.date) -> None:
    def edit(data: dict[str, Any]) -> None:
        drop_events(data, "ordonnance_signifiee")
        set_event_dates(data, requete_deposee="2026-08-10", ordonnance_rendue=rendered)
        # The example's title block and its pièces are dated after the moved ordonnance.
        del data["titre"]
        data["pieces"] = [p for p in data["pieces"] if "role" not in p]

    result = assess(variant("injonction-2026", tmp_path, edit), dt.date(2026, 9, 10))
    step = result.step("injonction_de_payer_tj")
    assert step is not None
    assert step.version.version == version
    assert step.selection_date == dt.date.fromisoformat(rendered)
    assert step.next_deadline is not None
    assert step.next_deadline.id == "signification_ordonnance"
    assert step.next_deadline.date_limite == last_day
    assert result.recommended is not None
    assert result.recommended.version == version
    assert result.recommended.action == "lettre_commissaire_signification"


# --- Sérialisation ----------------------------------------------------------------------


def test_assessment_is_json_serialisable() -> None:
    result = assess(example_path("injonction-2026"))
    data = json.loads(json.dumps(to_jsonable(result.as_dict())))
    assert data["au"] == "2026-11-24"
    assert data["recommande"]["procedure"] == "injonction_de_payer_tj"
    assert data["juridiction"]["intitule"] == "Président du tribunal judiciaire de Bordeaux"

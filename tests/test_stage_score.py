"""The stage of recovery of a case and the explained debtor score (issue 23, point 4)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import sys
import types
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from actes._io import load_document
from actes._paths import data_root, workspace_scope
from actes.cases.case import Case, case_from_data, load_case, validate_data
from actes.cli import main
from actes.errors import DefinitionError
from actes.law.accounts import decompte_for_case
from actes.portfolio.score import (
    FACTORS,
    ScoreInputs,
    broken_promise_count,
    combine_inputs,
    debtor_key,
    debtor_score,
    inputs_for_case,
    score,
    score_parameters,
)
from actes.portfolio.stage import (
    EVENT_STAGES,
    STAGE_LABELS,
    STAGES,
    assess_stage,
    case_stage,
    most_advanced,
    stage_reason,
    stage_table,
)

from .conftest import EXAMPLES

AU = dt.date(2026, 12, 2)
D = Decimal


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


# --------------------------------------------------------------------------- hand-made cases


def base_data() -> dict[str, Any]:
    """A consumer case without mise en demeure: no interest runs (C. civ. 1344-1), so what is
    due is principal minus payments, which keeps the hand computations exact."""
    data = copy.deepcopy(load_document(EXAMPLES / "b2c-travaux-consommateur" / "dossier.yaml"))
    for key in ("pieces", "situation", "plan"):
        data.pop(key)
    data["evenements"] = []
    data["paiements"] = []
    return dict(data)


def claim(reference: str, emitted: str, due: str, amount: str) -> dict[str, str]:
    return {
        "reference": reference,
        "nature": "facture",
        "date_emission": emitted,
        "date_echeance": due,
        "montant": amount,
    }


def make_case(data: dict[str, Any], au: dt.date = AU) -> Case:
    validate_data(data, au=au)
    return case_from_data(data)


def case_a() -> Case:
    """Three invoices, one paid late, a request filed."""
    data = base_data()
    data["creances"] = [
        claim("F1", "2026-01-15", "2026-02-15", "1000.00"),
        claim("F2", "2026-05-01", "2026-06-01", "3000.00"),
        claim("F3", "2026-10-01", "2026-11-01", "1000.00"),
    ]
    data["paiements"] = [{"date": "2026-03-01", "montant": "1000.00", "creance": "F1"}]
    data["evenements"] = [{"type": "requete_deposee", "date": "2026-11-15"}]
    return make_case(data)


def case_b() -> Case:
    """One invoice rescheduled by a plan of six instalments of 400 €: the first paid on time,
    the second late, the next three not at all."""
    data = base_data()
    data["creances"] = [claim("F9", "2026-03-01", "2026-03-31", "2400.00")]
    data["plan"] = {
        "reference": "P-9",
        "date_signature": "2026-06-01",
        "montant_total": "2400.00",
        "echeances": [
            {"date": f"2026-{month:02d}-05", "montant": "400.00"} for month in range(7, 13)
        ],
    }
    data["paiements"] = [
        {"date": "2026-07-05", "montant": "400.00"},
        {"date": "2026-08-20", "montant": "400.00"},
    ]
    return make_case(data)


def test_case_a_scored_by_hand() -> None:
    case = case_a()
    inputs = inputs_for_case(case, AU, broken_promises=2)
    # F1 (1 000 €, due 15/02) was paid on 01/03: paid late. F2 (3 000 €) is 184 days past its
    # due date of 01/06, F3 (1 000 €) 31 days past 01/11: weighted delay
    # (3000 × 184 + 1000 × 31) / 4000 = 145.75 → 146 days, the largest 184.
    # The oldest unpaid claim is F2, issued on 01/05: 215 days.
    assert inputs == ScoreInputs(
        days_late_weighted=146,
        max_days_late=184,
        late_paid_claims=1,
        broken_promises=2,
        missed_instalments=0,
        amount_due=D("4000.00"),
        oldest_age_days=215,
        stage="judiciaire",
    )
    result = score(inputs)
    points = {f.code: f.points for f in result.factors}
    # retard 146 ≥ 91: 18; paiements tardifs 1 × 1: 1; promesses 2 × 5: 10; échéances 0: 0;
    # montant 4 000 ≥ 2 000: 6; ancienneté 215 ≥ 180: 4; étape judiciaire: 10.
    assert points == {
        "retard": 18,
        "paiements_tardifs": 1,
        "promesses_non_tenues": 10,
        "echeances_manquees": 0,
        "montant": 6,
        "anciennete": 4,
        "etape": 10,
    }
    assert result.total == 49
    assert result.level == "moyen"
    by_code = {f.code: f for f in result.factors}
    assert by_code["retard"].value == "146 jours en moyenne (au plus 184 jours)"
    assert "palier « à partir de 91 jours »" in by_code["retard"].explanation
    assert by_code["montant"].value == "4\u202f000,00\xa0€"
    assert by_code["paiements_tardifs"].value == "1 créance payée en retard"
    assert by_code["echeances_manquees"].value == "aucune échéance manquée"
    assert by_code["etape"].value == "judiciaire"
    assert [f.max_points for f in result.factors] == [25, 5, 15, 15, 15, 10, 15]
    assert stage_reason(case_a(), AU, D("4000.00")) == "requête déposée le 15/11/2026"


def test_case_b_scored_by_hand() -> None:
    inputs = inputs_for_case(case_b(), AU)
    # While the plan runs, the delay is that of its unpaid instalments: 05/09 (88 days),
    # 05/10 (58), 05/11 (27), 400 € each: (88 + 58 + 27) / 3 = 57.67 → 58, the largest 88.
    # Three instalments missed; 2 400 − 800 = 1 600 € due; F9 issued 01/03: 276 days.
    assert inputs == ScoreInputs(
        days_late_weighted=58,
        max_days_late=88,
        late_paid_claims=0,
        broken_promises=0,
        missed_instalments=3,
        amount_due=D("1600.00"),
        oldest_age_days=276,
        stage="plan",
    )
    result = score(inputs)
    # retard 58 ≥ 31: 8; échéances 3 × 5 = 15 (the max); montant 1 600 ≥ 500: 3;
    # ancienneté 276 ≥ 180: 4; étape plan: 3. Total 8 + 15 + 3 + 4 + 3 = 33.
    assert [f.points for f in result.factors] == [8, 0, 0, 15, 3, 4, 3]
    assert (result.total, result.level) == (33, "moyen")
    assert stage_reason(case_b(), AU, D("1600.00")) == (
        "plan d'apurement P-9 signé le 01/06/2026, en cours"
    )


def test_missed_instalments_given_by_the_caller_win() -> None:
    assert inputs_for_case(case_b(), AU, missed_instalments=1).missed_instalments == 1


def test_a_case_that_owes_nothing_is_closed_and_scores_its_history_only() -> None:
    data = base_data()
    data["creances"] = [claim("F1", "2026-01-15", "2026-02-15", "500.00")]
    data["paiements"] = [{"date": "2026-04-01", "montant": "500.00"}]
    data["evenements"] = [{"type": "requete_deposee", "date": "2026-03-20"}]
    case = make_case(data)
    assert assess_stage(case, AU, D(0)).stage == "clos"
    assert stage_reason(case, AU, D(0)) == "plus rien n'est dû au 02/12/2026"
    assert "trop-perçu de 20,00" in stage_reason(case, AU, D("-20.00"))
    result = score(inputs_for_case(case, AU))
    # Only the late payment counts: 1 point.
    assert result.total == 1
    assert result.level == "faible"
    assert {f.code: f.value for f in result.factors}["anciennete"] == "aucune créance impayée"


# --------------------------------------------------------------------------- stages


EXPECTED_STAGES = {
    "b2b-factures-impayees": "amiable",
    "b2c-travaux-consommateur": "plan",
    "execution-saisies": "execution",
    "injonction-2026": "execution",
    "ipe-debiteur-allemand": "amiable",
    "jcp-credit-consommation": "amiable",
    "liquidation-judiciaire": "insolvabilite",
    "petites-creances-b2c": "amiable",
    "relance-preventive": "amiable",
    "saisie-conservatoire-b2b": "amiable",
    "surendettement": "insolvabilite",
    "surendettement-contestation": "insolvabilite",
    "tj-creance-civile": "amiable",
}


def test_every_bundled_example_has_its_stage() -> None:
    found = sorted(p.parent.name for p in EXAMPLES.glob("*/dossier.yaml"))
    assert found == sorted(EXPECTED_STAGES)
    for name, expected in EXPECTED_STAGES.items():
        case = load_case(EXAMPLES / name / "dossier.yaml", au=AU)
        total = decompte_for_case(case, AU).total_due
        assert case_stage(case, AU, total) == expected, name


def test_reasons_of_the_bundled_examples() -> None:
    def reason(name: str) -> str:
        case = load_case(EXAMPLES / name / "dossier.yaml", au=AU)
        return stage_reason(case, AU, decompte_for_case(case, AU).total_due)

    assert reason("execution-saisies") == (
        "titre exécutoire du 02/03/2026 (ordonnance d'injonction de payer)"
    )
    assert reason("liquidation-judiciaire") == "publication au BODACC le 24/10/2026"
    assert reason("b2b-factures-impayees") == "dernière démarche : relance envoyée le 15/09/2026"


def test_every_event_type_of_the_schema_has_a_stage() -> None:
    schema = json.loads((data_root() / "schemas" / "case.schema.json").read_text("utf-8"))
    kinds = schema["properties"]["evenements"]["items"]["properties"]["type"]["enum"]
    table = stage_table()
    missing = sorted(set(kinds) - set(table.events))
    assert not missing, f"à classer dans parameters/stages.yaml : {missing}"
    assert sorted(set(table.events) - set(kinds)) == []
    assert {row.stage for row in table.events.values()} == set(EVENT_STAGES)
    assert all(row.label for row in table.events.values())


def test_stage_labels_are_french_and_cover_every_stage() -> None:
    assert tuple(STAGE_LABELS) == STAGES
    assert STAGE_LABELS["execution"] == "exécution"
    assert STAGE_LABELS["plan"] == "plan d'apurement"


def with_events(*events: tuple[str, str], **extra: Any) -> dict[str, Any]:
    data = base_data()
    data["creances"] = [claim("F1", "2026-01-15", "2026-02-15", "800.00")]
    data["evenements"] = [{"type": kind, "date": day} for kind, day in events]
    data.update(extra)
    return data


def test_stage_from_events_and_blocks() -> None:
    due = D("800.00")
    amicable = make_case(with_events(("relance_envoyee", "2026-03-01")))
    assert assess_stage(amicable, AU, due).stage == "amiable"
    nothing = make_case(with_events())
    assert stage_reason(nothing, AU, due) == "aucune démarche enregistrée"
    # The most advanced stage reached wins, and its latest event gives the reason.
    enforced = make_case(
        with_events(
            ("requete_deposee", "2026-04-01"),
            ("dossier_transmis_commissaire", "2026-09-01"),
            ("relance_envoyee", "2026-10-01"),
        )
    )
    assessment = assess_stage(enforced, AU, due)
    assert assessment.stage == "execution"
    assert assessment.reason == "dossier transmis au commissaire de justice le 01/09/2026"
    # Format 1: the event alone is a running plan (no déchéance can be recorded).
    legacy = make_case(with_events(("plan_apurement_signe", "2026-05-01")))
    assert assess_stage(legacy, AU, due).reason == "plan d'apurement signé le 01/05/2026"


def test_events_after_the_date_do_not_count() -> None:
    case = make_case(with_events(("requete_deposee", "2026-11-20")))
    assert case_stage(case, dt.date(2026, 11, 19), D("800.00")) == "amiable"
    assert case_stage(case, dt.date(2026, 11, 20), D("800.00")) == "judiciaire"


def test_a_title_puts_the_case_in_enforcement_from_its_date() -> None:
    title = {
        "nature": "jugement",
        "date": "2026-10-12",
        "montants": {"principal": "800.00"},
    }
    case = case_from_data(with_events(("requete_deposee", "2026-06-01"), titre=title))
    assert case_stage(case, dt.date(2026, 10, 11), D("800.00")) == "judiciaire"
    assert stage_reason(case, AU, D("800.00")) == "titre exécutoire du 12/10/2026 (jugement)"


def test_a_forfeited_plan_is_amicable_again() -> None:
    data = case_b().data
    forfeited = copy.deepcopy(dict(data))
    forfeited["plan"]["suivi"] = [{"type": "notification_decheance", "date": "2026-11-20"}]
    case = make_case(forfeited)
    assessment = assess_stage(case, AU, D("1600.00"))
    assert assessment.stage == "amiable"
    assert assessment.reason == (
        "déchéance du terme du plan d'apurement notifiée le 20/11/2026 ; "
        "aucune démarche enregistrée"
    )
    # Before the notice the plan still ran.
    assert case_stage(case, dt.date(2026, 11, 19), D("1600.00")) == "plan"
    # The delay is then that of the claim again: F9 due 31/03, 246 days before 02/12.
    assert inputs_for_case(case, AU).days_late_weighted == 246


def test_a_broken_stage_table_is_reported_in_french(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(
        "evenements:\n  relance_envoyee: {etape: amicale, libelle: relance}\n"
        "  requete_deposee: {etape: judiciaire}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as raised:
        stage_table(tmp_path)
    text = raised.value.format()
    assert "2 problèmes" in text
    assert "$.evenements.relance_envoyee.etape" in text and "« amicale » inconnue" in text
    assert "$.evenements.requete_deposee.libelle" in text


def test_an_event_missing_from_a_firms_table_is_named(tmp_path: Path) -> None:
    (tmp_path / "stages.yaml").write_text(
        "evenements:\n  relance_envoyee: {etape: amiable, libelle: relance envoyée}\n",
        encoding="utf-8",
    )
    case = make_case(with_events(("requete_deposee", "2026-06-01")))
    with pytest.raises(DefinitionError, match="« requete_deposee »"):
        assess_stage(case, AU, D("800.00"), table=stage_table(tmp_path))


def test_most_advanced_stage() -> None:
    assert most_advanced(["clos", "plan", "amiable"]) == "plan"
    assert most_advanced(["judiciaire", "execution"]) == "execution"
    assert most_advanced([]) == "clos"


# --------------------------------------------------------------------------- score


inputs_strategy = st.builds(
    ScoreInputs,
    days_late_weighted=st.integers(0, 10_000),
    max_days_late=st.integers(0, 10_000),
    late_paid_claims=st.integers(0, 1_000),
    broken_promises=st.integers(0, 1_000),
    missed_instalments=st.integers(0, 1_000),
    amount_due=st.decimals(0, 10**9, places=2),
    oldest_age_days=st.integers(0, 100_000),
    stage=st.sampled_from(STAGES),
)


@settings(max_examples=200, deadline=None)
@given(inputs_strategy)
def test_the_total_is_the_sum_of_the_points_within_0_and_100(inputs: ScoreInputs) -> None:
    result = score(inputs)
    assert 0 <= result.total <= 100
    assert result.total == sum(f.points for f in result.factors)
    assert all(0 <= f.points <= f.max_points for f in result.factors)
    assert [f.code for f in result.factors] == list(FACTORS)


def test_the_extremes_score_0_and_100() -> None:
    worst = ScoreInputs(400, 500, 9, 9, 9, D("99999.00"), 1000, "execution")
    best = ScoreInputs(0, 0, 0, 0, 0, D(0), 0, "clos")
    assert (score(worst).total, score(worst).level) == (100, "élevé")
    assert (score(best).total, score(best).level) == (0, "faible")


def test_a_debtor_combines_its_cases() -> None:
    a = inputs_for_case(case_a(), AU, broken_promises=2)
    b = inputs_for_case(case_b(), AU)
    both = combine_inputs([a, b])
    # Counts and amounts are summed, days take the worst case, the stage the most advanced.
    assert both == ScoreInputs(146, 184, 1, 2, 3, D("5600.00"), 276, "judiciaire")
    assert debtor_score([a, b]) == score(both)
    assert combine_inputs([]) == ScoreInputs(0, 0, 0, 0, 0, D(0), 0, "clos")


def test_debtor_keys() -> None:
    assert debtor_key(case_a()) == "nom:claire martin"
    b2b = load_case(EXAMPLES / "b2b-factures-impayees" / "dossier.yaml", au=AU)
    assert debtor_key(b2b) == "siren:512345679"


def test_broken_promises_come_from_the_promises_module(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("actes.amicable.promises")
    fake.broken_promises = lambda case, au: ("p1", "p2")  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "actes.amicable.promises", fake)
    assert broken_promise_count(case_a(), AU) == 2
    monkeypatch.setitem(sys.modules, "actes.amicable.promises", None)
    assert broken_promise_count(case_a(), AU) == 0


# --------------------------------------------------------------------------- parameters


def firm_parameters(root: Path, edit: Any) -> Path:
    """The firm's copy of score.yaml in ``root/parameters``, changed by ``edit``."""
    doc = yaml.safe_load((data_root() / "parameters" / "score.yaml").read_text("utf-8"))
    edit(doc)
    target = root / "parameters" / "score.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return target


def test_the_firms_copy_changes_a_weight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACTES_WORKSPACE", raising=False)
    root = tmp_path / "cabinet"
    assert run("init", str(root)).exit_code == 0

    def edit(doc: dict[str, Any]) -> None:
        # 10 points per broken promise, 20 at most; the stage is worth 10 at most.
        doc["facteurs"]["promesses_non_tenues"].update(max=20, par_unite=10)
        doc["facteurs"]["etape"]["max"] = 10
        doc["facteurs"]["etape"]["par_etape"].update(judiciaire=7, execution=10, insolvabilite=9)

    firm_parameters(root, edit)
    inputs = inputs_for_case(case_a(), AU, broken_promises=2)
    with workspace_scope(root):
        result = score(inputs)
    points = {f.code: f.points for f in result.factors}
    assert (points["promesses_non_tenues"], points["etape"]) == (20, 7)
    assert result.total == 49 - 10 + 20 - 10 + 7
    assert Path(result.parameters_file).resolve() == (root / "parameters" / "score.yaml").resolve()
    # Outside the workspace, the shipped weights.
    monkeypatch.chdir(tmp_path)
    assert score(inputs).total == 49


def test_broken_parameters_are_reported_in_french(tmp_path: Path) -> None:
    def edit(doc: dict[str, Any]) -> None:
        doc["facteurs"]["retard"]["max"] = 30
        doc["facteurs"]["montant"]["paliers"][1]["a_partir_de"] = "100"
        doc["facteurs"]["etape"]["par_etape"].pop("clos")
        doc["niveaux"]["moyen"] = 80

    firm_parameters(tmp_path, edit)
    with pytest.raises(DefinitionError) as raised:
        score_parameters(tmp_path / "parameters")
    text = raised.value.format()
    assert "Paramètres du score invalides" in text
    assert "$.facteurs.montant.paliers[1] : paliers non croissants" in text
    assert "$.facteurs.etape.par_etape.clos" in text
    assert "$.niveaux" in text
    assert raised.value.exit_code == 3


def test_maxima_must_add_up_to_100(tmp_path: Path) -> None:
    firm_parameters(tmp_path, lambda doc: doc["facteurs"]["retard"].update(max=30))
    with pytest.raises(DefinitionError) as raised:
        score_parameters(tmp_path / "parameters")
    assert "la somme des maxima des facteurs fait 105, et non 100" in raised.value.format()


# --------------------------------------------------------------------------- command


@pytest.fixture
def case_a_file(tmp_path: Path) -> Path:
    path = tmp_path / "a" / "dossier.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(dict(case_a().data), allow_unicode=True), "utf-8")
    return path


def test_cli_table(case_a_file: Path) -> None:
    done = run("score", str(case_a_file.parent), "--au", "2026-12-02")
    assert done.exit_code == 0, done.output
    out = done.output
    assert "Score du débiteur Mme Claire MARTIN — dossier RE-2026-031, au 02/12/2026" in out
    assert "Étape : judiciaire — requête déposée le 15/11/2026" in out
    assert "146 jours en moyenne (au plus 184 jours)" in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    assert lines["Total"].rstrip().endswith("39 / 100")
    assert "Niveau : risque moyen (risque moyen à partir de 30, élevé à partir de 60)." in out
    assert "politique du cabinet, pas une règle de droit" in out


def test_cli_json(case_a_file: Path) -> None:
    done = run("score", str(case_a_file), "--au", "2026-12-02", "--json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    # Without the promises module's data, no promise is broken: 49 − 10.
    assert data["total"] == 39
    assert data["niveau"] == "moyen"
    assert data["etape"] == {
        "code": "judiciaire",
        "libelle": "judiciaire",
        "raison": "requête déposée le 15/11/2026",
    }
    assert data["cle_debiteur"] == "nom:claire martin"
    assert data["entrees"]["montant_du"] == "4000.00"
    assert [f["code"] for f in data["facteurs"]] == list(FACTORS)
    assert data["facteurs"][0] == {
        "code": "retard",
        "libelle": "Retard de paiement",
        "valeur": "146 jours en moyenne (au plus 184 jours)",
        "points": 18,
        "max": 25,
        "explication": "retard moyen des sommes échues et impayées, pondéré par leur montant ; "
        "palier « à partir de 91 jours »",
    }


def test_cli_bad_case_is_a_french_error(tmp_path: Path) -> None:
    data = dict(case_a().data)
    data["paiements"] = [{"date": "2026-03-01", "montant": "-10.00"}]
    path = tmp_path / "dossier.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    done = run("score", str(path), "--au", "2026-12-02", "--json")
    assert done.exit_code == 1
    error = json.loads(done.output)
    assert error["message"]
    assert "Traceback" not in done.output


def test_cli_date_before_the_first_claim(tmp_path: Path) -> None:
    path = tmp_path / "dossier.yaml"
    path.write_text(yaml.safe_dump(with_events(), allow_unicode=True), "utf-8")
    done = run("score", str(path), "--au", "2025-12-31")
    assert done.exit_code == 2
    assert "antérieur à la première créance du dossier RE-2026-031 (émise le 15/01/2026)" in (
        done.output
    )
    assert "choisissez une date à partir du 15/01/2026 (--au)" in done.output


def test_cli_counts_the_broken_promises_of_the_case(tmp_path: Path) -> None:
    pytest.importorskip("actes.amicable.promises")
    data = dict(case_a().data)
    data["evenements"] = [
        *data["evenements"],
        {
            "type": "promesse_de_paiement",
            "date": "2026-11-20",
            "montant": "500.00",
            "date_promise": "2026-11-25",
            "canal": "telephone",
            "par": "J. Durand",
        },
    ]
    path = tmp_path / "dossier.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    done = run("score", str(path), "--au", "2026-12-02", "--json")
    assert done.exit_code == 0, done.output
    result = json.loads(done.output)
    # Promised for 25/11, nothing paid since: broken on 02/12, 5 points more than case A's 39.
    assert result["entrees"]["promesses_non_tenues"] == 1
    assert result["total"] == 44

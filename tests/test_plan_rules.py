"""A running payment plan and an obtained title, respected everywhere (review points 2, 5,
11 and 13): no relance, mise en demeure or requête for the whole balance while the plan runs,
the plan's own follow-up instead; after the déchéance du terme, the whole balance with the plan
and the déchéance recalled; the pre-déchéance notice counted from the receipt; no amicable
letter after a title; the plan document dated on its signature and giving the same balance as
its letters and ``actes decompte``."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from actes.amicable.plan import UNKNOWN_EXPIRY, load_plan, plan_status, signature_balance
from actes.cases.case import load_case
from actes.cli import main
from actes.law.conditions import plan_running, title_obtained

from .conftest import EXAMPLES
from .test_render import docx_text

PLAN_EXAMPLE = "b2c-travaux-consommateur"
AMICABLE = ("relance_amiable", "mise_en_demeure_consommateur", "mise_en_demeure_professionnel")
REQUETES = ("injonction_de_payer_tj", "injonction_de_payer_tc", "injonction_de_payer_jcp")
CLAUSE = (
    "Si une seule mensualité reste impayée, Renov'Est pourra, par lettre recommandée avec avis "
    "de réception visant la présente clause et restée sans effet trente jours après sa "
    "réception, exiger le paiement immédiat de tout le solde."
)
# The notice's course in the example: sent 9 December, received Friday 11 December 2026;
# 30 days later is Sunday 10 January 2027, moved to Monday 11 January; notified on the 12th.
ACCELERATED = [
    {"type": "relance_echeance_plan", "date": "2026-11-24"},
    {"type": "mise_en_demeure_decheance", "date": "2026-12-09", "date_reception": "2026-12-11"},
    {"type": "notification_decheance", "date": "2027-01-12"},
]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def case_copy(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None] | None = None, name: str = PLAN_EXAMPLE
) -> Path:
    folder = tmp_path / name
    shutil.copytree(EXAMPLES / name, folder)
    if edit is not None:
        path = folder / "dossier.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return folder


def accelerated(data: dict[str, Any]) -> None:
    data["plan"]["suivi"] = [dict(row) for row in ACCELERATED]


def with_court(data: dict[str, Any]) -> None:
    data["juridiction"] = {"nom": "Tribunal judiciaire de Metz", "departement": "57"}


def without_interest(data: dict[str, Any]) -> None:
    """No mise en demeure before the plan: no interest, so the décompte needs no rate (a
    requête may not rest on an unconfirmed one) and the plan recognises 4 030,00."""
    data["evenements"] = [e for e in data["evenements"] if "mise_en_demeure" not in e["type"]]
    data["pieces"] = [p for p in data["pieces"] if "Mise en demeure" not in p["titre"]]
    data["plan"]["montant_total"] = "4030.00"
    data["plan"]["echeances"][-1]["montant"] = "70.00"


def nbsp(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


# --------------------------------------------------------------------------- while the plan runs


@pytest.mark.parametrize(
    ("procedure", "edit"),
    [
        ("relance_amiable", None),
        ("mise_en_demeure_consommateur", None),
        ("injonction_de_payer_tj", with_court),
    ],
)
def test_refused_while_the_plan_runs(
    procedure: str, edit: Callable[[dict[str, Any]], None] | None, tmp_path: Path
) -> None:
    folder = case_copy(tmp_path, edit)
    out = tmp_path / "out"
    code, output = run("render", procedure, str(folder), "-o", str(out), "--date", "2026-12-01")
    assert code == 1, output
    assert "pas_de_plan_en_cours" in output or "plan d'apurement signé est en cours" in output
    assert "déchéance du terme n'a pas été notifiée" in output
    assert not out.exists() or not any(out.iterdir())


def test_next_offers_only_the_plan_follow_up(tmp_path: Path) -> None:
    code, output = run("next", str(EXAMPLES / PLAN_EXAMPLE), "--au", "2026-12-01", "--json")
    assert code == 0, output
    data = json.loads(output)
    offered = {step["procedure"] for step in data["disponibles"]}
    assert not offered & {*AMICABLE, *REQUETES}
    blocked = {(b["procedure"], b["condition"]) for b in data["bloquees"]}
    assert ("relance_amiable", "pas_de_plan_en_cours") in blocked
    assert ("injonction_de_payer_tj", "pas_de_plan_en_cours") in blocked
    recommended = data["recommande"]
    assert recommended["regle"] == "suivi_plan"
    assert recommended["action"] == "relance_echeance_plan"
    assert recommended["commande"].startswith("actes plan lettre ")
    assert "C. civ. art. 1305-3" in recommended["fondement"]
    assert data["suivi_plan"]["en_cours"] is True

    # Once the reminder has gone unanswered: the mise en demeure before acceleration.
    folder = case_copy(
        tmp_path,
        lambda d: d["plan"].update(
            suivi=[{"type": "relance_echeance_plan", "date": "2026-11-24"}]
        ),
    )
    code, output = run("next", str(folder), "--au", "2026-12-09", "--json")
    data = json.loads(output)
    assert data["recommande"]["action"] == "mise_en_demeure_decheance"
    assert "C. civ. art. 1225" in data["recommande"]["fondement"]
    assert not {s["procedure"] for s in data["disponibles"]} & {*AMICABLE, *REQUETES}


def test_legacy_plan_event_alone_runs_the_plan(tmp_path: Path) -> None:
    folder = case_copy(
        tmp_path, lambda d: (d.pop("plan"), d.pop("situation"), d.update(format_version=1))
    )
    case = load_case(folder / "dossier.yaml")
    assert plan_running(case, dt.date(2026, 12, 1))
    assert not plan_running(case, dt.date(2026, 10, 4))


# --------------------------------------------------------------------------- after the déchéance


def test_after_acceleration_the_whole_balance_with_the_plan_recalled(tmp_path: Path) -> None:
    folder = case_copy(tmp_path, accelerated)
    case = load_case(folder / "dossier.yaml")
    assert plan_running(case, dt.date(2027, 1, 11))
    assert not plan_running(case, dt.date(2027, 1, 12))
    out = tmp_path / "out"
    code, output = run(
        "render", "mise_en_demeure_consommateur", str(folder), "-o", str(out), "--date",
        "2027-01-20",
    )  # fmt: skip
    assert code == 0, output
    # A mise en demeure was sent before the plan: no amicable reminder any more
    # (relance_amiable r2, pas_de_mise_en_demeure).
    code, output = run("render", "relance_amiable", str(folder), "-o", str(out), "--date",
                       "2027-01-20")  # fmt: skip
    assert code == 1, output
    assert "mise en demeure a déjà été envoyée" in output
    med = nbsp(docx_text(out / "RE-2026-031-mise-en-demeure.docx"))
    assert "Le plan d'apurement n° RE-2026-031-P1 signé le 5 octobre 2026" in med
    assert "la mise en demeure du 9 décembre 2026" in med
    assert "La déchéance du terme vous a été notifiée le 12 janvier 2027" in med
    assert "à compter de sa réception, se prévaloir de la déchéance du terme" in med  # clause
    assert "totalité du solde est exigible" in med
    assert "3 859,72" in med  # the whole balance, as the décompte gives it
    assert not list(out.glob("*relance-1.docx"))

    code, output = run("next", str(folder), "--au", "2027-01-20", "--json")
    data = json.loads(output)
    assert "mise_en_demeure_consommateur" in {s["procedure"] for s in data["disponibles"]}
    assert data["suivi_plan"]["en_cours"] is False


def test_requete_after_acceleration_recalls_the_plan(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        without_interest(data)
        with_court(data)
        accelerated(data)
        data["plan"]["suivi"][1].pop("date_reception")
        data["evenements"].append(
            {"type": "mise_en_demeure_recue", "date": "2026-12-11", "reference": "AR"}
        )

    folder = case_copy(tmp_path, edit)
    out = tmp_path / "out"
    code, output = run(
        "render", "injonction_de_payer_tj", str(folder), "-o", str(out), "--date", "2027-01-20"
    )
    assert code == 0, output
    text = nbsp(docx_text(out / "RE-2026-031-requete-injonction-de-payer.docx"))
    assert (
        "Le débiteur avait signé le 5 octobre 2026 le plan d'apurement n° RE-2026-031-P1" in text
    )
    assert "la déchéance du terme lui a été notifiée le 12 janvier 2027" in text
    assert "exigible pour la totalité du solde (code de procédure civile, art. 1405)" in text
    assert "3 850,00" in text  # 4 330 − 300 − 180, no interest without a mise en demeure


# --------------------------------------------------------------------------- after a title


def test_no_amicable_letter_after_a_title(tmp_path: Path) -> None:
    code, output = run("next", str(EXAMPLES / "injonction-2026"), "--au", "2026-11-24", "--json")
    assert code == 0, output
    data = json.loads(output)
    offered = {s["procedure"] for s in data["disponibles"]}
    assert not offered & set(AMICABLE)
    assert ("mise_en_demeure_professionnel", "pas_de_titre_obtenu") in {
        (b["procedure"], b["condition"]) for b in data["bloquees"]
    }
    out = tmp_path / "out"
    code, output = run(
        "render",
        "relance_amiable",
        str(EXAMPLES / "injonction-2026"),
        "-o",
        str(out),
        "--date",
        "2026-11-24",
    )
    assert code == 1 and "titre a déjà été obtenu" in output
    assert not out.exists() or not any(out.iterdir())


def test_a_lapsed_ordonnance_is_no_title(tmp_path: Path) -> None:
    def unserved(data: dict[str, Any]) -> None:
        data["evenements"] = [
            e for e in data["evenements"] if e["type"] not in ("ordonnance_signifiee",)
        ]

    folder = case_copy(tmp_path, unserved, name="injonction-2026")
    case = load_case(folder / "dossier.yaml")
    # Ordonnance of 5 October 2026, 3 months to serve it (CPC 1411, décret 2026-96).
    assert title_obtained(case, dt.date(2026, 11, 24))
    assert not title_obtained(case, dt.date(2027, 2, 1))


# --------------------------------------------------------------------------- the notice


def _notice_case(tmp_path: Path, rows: list[dict[str, str]], **plan: Any) -> Path:
    def edit(data: dict[str, Any]) -> None:
        data["plan"]["suivi"] = rows
        data["plan"].update(plan)

    return case_copy(tmp_path, edit) / "dossier.yaml"


def test_notice_counted_from_receipt_with_weekend_push(tmp_path: Path) -> None:
    rows = [dict(row) for row in ACCELERATED[:2]]
    path = _notice_case(tmp_path, rows)
    case = load_case(path)
    status = plan_status(case, dt.date(2027, 1, 11))
    assert status.notice is not None
    assert status.notice.received == dt.date(2026, 12, 11)
    assert status.notice.nominal == dt.date(2027, 1, 10)  # a Sunday
    assert status.notice.last_day == dt.date(2027, 1, 11)
    assert status.action.code == "attendre"
    assert plan_status(case, dt.date(2027, 1, 12)).action.code == "notification_decheance"
    code, output = run("plan", "status", str(path), "--au", "2027-01-11")
    assert code == 0 and "notifier la déchéance" not in output and "11/01/2027" in output


def test_notice_pushed_over_a_holiday(tmp_path: Path) -> None:
    # Received Wednesday 25 November 2026: + 30 days = Friday 25 December (Noël), then
    # Saturday 26 (also Saint-Étienne in Moselle) and Sunday 27: last day Monday 28 December.
    rows = [
        {"type": "relance_echeance_plan", "date": "2026-11-16"},
        {
            "type": "mise_en_demeure_decheance",
            "date": "2026-11-23",
            "date_reception": "2026-11-25",
        },
    ]
    case = load_case(_notice_case(tmp_path, rows))
    status = plan_status(case, dt.date(2026, 12, 28))
    assert status.notice is not None
    assert status.notice.nominal == dt.date(2026, 12, 25)
    assert status.notice.last_day == dt.date(2026, 12, 28)
    assert any("Noël" in line for line in status.notice.trace)
    assert status.action.code == "attendre"
    assert plan_status(case, dt.date(2026, 12, 29)).action.code == "notification_decheance"


def test_expiry_unknown_before_receipt(tmp_path: Path) -> None:
    rows = [dict(row) for row in ACCELERATED[:2]]
    rows[1].pop("date_reception")
    path = _notice_case(tmp_path, rows)
    status = plan_status(load_case(path), dt.date(2027, 6, 1))
    assert status.notice is not None and status.notice.last_day is None
    assert status.action.code == "attendre"
    assert UNKNOWN_EXPIRY in status.action.libelle
    code, output = run("plan", "status", str(path), "--au", "2027-06-01")
    assert code == 0, output
    assert "inconnue tant que l'avis de réception n'est pas enregistré" in output
    assert "notifier la déchéance" not in output
    # Nothing to send either: the notification letter is refused, nothing written.
    out = path.parent / "lettres"
    code, output = run("plan", "lettre", str(path), "-o", str(out), "--date", "2027-06-01")
    assert code == 1 and not out.exists()


def test_clause_quoted_verbatim(tmp_path: Path) -> None:
    rows = [{"type": "relance_echeance_plan", "date": "2026-11-24"}]
    path = _notice_case(tmp_path, rows, clause_decheance_texte=CLAUSE)
    out = tmp_path / "out"
    code, output = run("plan", "lettre", str(path), "-o", str(out), "--date", "2026-12-09")
    assert code == 0, output
    (letter,) = out.glob("*mise-en-demeure-decheance*.docx")
    text = docx_text(letter)
    assert f"«\u00a0{CLAUSE}\u00a0»" in text
    assert "à compter de la réception de la présente lettre" in text
    assert "prorogé jusqu'au premier jour ouvrable suivant" in text
    # The plan document prints the same clause.
    code, output = run(
        "render", "plan_apurement", str(path), "-o", str(out), "--date", "2026-12-09"
    )
    assert code == 0, output
    assert CLAUSE in docx_text(out / "RE-2026-031-plan-apurement.docx")


# --------------------------------------------------------------------------- the plan document


def test_plan_document_dated_on_signature_with_prior_payments(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = run(
        "render",
        "plan_apurement",
        str(EXAMPLES / PLAN_EXAMPLE),
        "-o",
        str(out),
        "--date",
        "2026-12-01",
    )
    assert code == 0, output
    text = nbsp(docx_text(out / "RE-2026-031-plan-apurement.docx"))
    assert "Fait à Metz, le 5 octobre 2026" in text
    assert "1er décembre 2026" not in text
    assert "10 juillet 2026 : 300,00 € (Chèque n° 4471203)" in text
    assert "principal restant dû de 4 030,00 €" in text
    assert "intérêts échus jusqu'à ce jour (9,72 €)" in text
    assert "la somme de 4 039,72 €" in text


def test_one_balance_in_plan_letters_and_decompte(tmp_path: Path) -> None:
    au = "2026-12-09"
    folder = case_copy(
        tmp_path,
        lambda d: d["plan"].update(
            suivi=[{"type": "relance_echeance_plan", "date": "2026-11-24"}]
        ),
    )
    case = load_case(folder / "dossier.yaml")
    plan = load_plan(case)
    at_signature = signature_balance(case, plan)
    assert at_signature.total == plan.total == Decimal("4039.72")
    code, output = run("decompte", str(folder), "--au", au, "--json")
    assert code == 0, output
    total_du = Decimal(json.loads(output)["totaux"]["total_du"])
    status = plan_status(case, dt.date.fromisoformat(au))
    assert status.balance == total_du == Decimal("3859.72")
    out = tmp_path / "out"
    code, output = run("plan", "lettre", str(folder), "-o", str(out), "--date", au)
    assert code == 0, output
    (letter,) = out.glob("*.docx")
    assert "3 859,72" in nbsp(docx_text(letter))


def test_plan_differing_from_the_decompte_is_refused(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["plan"]["montant_total"] = "4030.00"  # forgets the 9,72 € of interest
        data["plan"]["echeances"][-1]["montant"] = "70.00"

    folder = case_copy(tmp_path, edit)
    out = tmp_path / "out"
    code, output = run(
        "render", "plan_apurement", str(folder), "-o", str(out), "--date", "2026-12-01"
    )
    assert code == 1
    assert "plan.montant_total" in output and "4 039,72" in nbsp(output)
    code, output = run("plan", "lettre", str(folder), "-o", str(out), "--date", "2026-12-01")
    assert code == 1 and "diffère du décompte" in output
    assert not out.exists() or not any(out.iterdir())

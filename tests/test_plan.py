"""Payment plans: schedules exact to the cent, month ends, follow-up, worklist."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from actes._io import load_document
from actes.amicable.plan import (
    instalment_dates,
    load_plan,
    plan_context,
    plan_status,
    propose_plan,
    schedule,
    worklist,
    worklist_csv,
)
from actes.cases.case import Case, case_from_data, validate_data
from actes.errors import CaseError, PreconditionFailed

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "b2c-travaux-consommateur" / "dossier.yaml"
D = Decimal
d = dt.date


def base_data() -> dict[str, Any]:
    data = copy.deepcopy(load_document(EXAMPLE))
    data.pop("pieces")
    data["evenements"] = []
    data["paiements"] = []
    data.pop("situation")
    data.pop("plan")
    return dict(data)


def with_plan(
    amounts: list[str],
    first: str = "2026-01-10",
    payments: list[tuple[str, str]] = (),  # type: ignore[assignment]
    suivi: list[tuple[str, ...]] = (),  # type: ignore[assignment]
    **extra: Any,
) -> dict[str, Any]:
    data = base_data()
    dates = instalment_dates(dt.date.fromisoformat(first), len(amounts))
    data["plan"] = {
        "reference": "P-1",
        "date_signature": "2026-01-02",
        "montant_total": str(sum(D(a) for a in amounts)),
        "echeances": [
            {"date": day.isoformat(), "montant": a} for day, a in zip(dates, amounts, strict=True)
        ],
        "preavis_decheance_jours": 30,
        "jours_de_grace": 5,
        **extra,
    }
    if suivi:
        data["plan"]["suivi"] = [
            {"type": row[0], "date": row[1], **({"date_reception": row[2]} if row[2:] else {})}
            for row in suivi
        ]
    data["paiements"] = [{"date": w, "montant": m} for w, m in payments]
    return data


def make_case(data: dict[str, Any], au: dt.date) -> Case:
    validate_data(data, au=au)
    return case_from_data(data)


# --------------------------------------------------------------------------- dates


def test_dates_stick_to_the_day_and_fall_back_to_month_end() -> None:
    assert instalment_dates(d(2027, 1, 31), 4) == [
        d(2027, 1, 31),
        d(2027, 2, 28),
        d(2027, 3, 31),
        d(2027, 4, 30),
    ]
    # 2028 is a leap year: 29 February.
    assert instalment_dates(d(2028, 1, 31), 3) == [d(2028, 1, 31), d(2028, 2, 29), d(2028, 3, 31)]
    assert instalment_dates(d(2027, 12, 30), 3, day=30) == [
        d(2027, 12, 30),
        d(2028, 1, 30),
        d(2028, 2, 29),
    ]
    # First date given, the following on another day of the month.
    assert instalment_dates(d(2026, 12, 5), 3, day=15) == [
        d(2026, 12, 5),
        d(2027, 1, 15),
        d(2027, 2, 15),
    ]


# --------------------------------------------------------------------------- schedules


def test_equal_instalments_last_takes_the_rounding() -> None:
    rows = schedule(D("1000.00"), d(2026, 1, 31), count=3)
    # 1 000 / 3 = 333.333… → 333.33, 333.33, then 1 000 − 666.66 = 333.34
    assert [r.montant for r in rows] == [D("333.33"), D("333.33"), D("333.34")]
    assert [r.date for r in rows] == [d(2026, 1, 31), d(2026, 2, 28), d(2026, 3, 31)]
    assert sum(r.montant for r in rows) == D("1000.00")
    assert rows[-1].restant_du == 0


def test_chosen_instalment() -> None:
    rows = schedule(D("1000.00"), d(2028, 1, 29), instalment=D("150.00"))
    # 6 × 150 = 900, then 100
    assert [r.montant for r in rows] == [D("150.00")] * 6 + [D("100.00")]
    assert rows[1].date == d(2028, 2, 29)


def test_constant_instalment_with_interest() -> None:
    rows = schedule(D("1000.00"), d(2026, 1, 10), count=3, annual_rate=D("12"))
    # i = 1 % a month; A = 1 000 × 0.01 × 1.01³ / (1.01³ − 1) = 340.0221 → 340.02
    # 1: interest 10.00, capital 330.02, left 669.98
    # 2: interest 6.6998 → 6.70, capital 333.32, left 336.66
    # 3: interest 3.3666 → 3.37; last = 336.66 + 3.37 = 340.03
    assert [(r.montant, r.interets, r.capital) for r in rows] == [
        (D("340.02"), D("10.00"), D("330.02")),
        (D("340.02"), D("6.70"), D("333.32")),
        (D("340.03"), D("3.37"), D("336.66")),
    ]
    assert sum(r.capital for r in rows) == D("1000.00")
    assert sum(r.montant for r in rows) == D("1020.07")


def test_instalment_not_covering_interest_is_refused() -> None:
    # 1 % of 1 000 = 10.00 of interest the first month
    with pytest.raises(PreconditionFailed, match="intérêts du premier mois"):
        schedule(D("1000.00"), d(2026, 1, 10), instalment=D("10.00"), annual_rate=D("12"))


def test_generated_plan_in_case() -> None:
    data = base_data()
    data["plan"] = {
        "reference": "P-2",
        "date_signature": "2026-01-02",
        "montant_total": "4330.00",
        "echeancier": {"premiere_echeance": "2026-01-31", "nombre": 7},
    }
    plan = load_plan(make_case(data, d(2026, 1, 5)))
    # 4 330 / 7 = 618.571… → 618.57 × 6 = 3 711.42; last 618.58
    assert [i.montant for i in plan.instalments][-2:] == [D("618.57"), D("618.58")]
    assert plan.instalments[1].date == d(2026, 2, 28)
    assert plan.total == D("4330.00")


def test_schema_rules_for_plans() -> None:
    data = with_plan(["100.00"])
    data["format_version"] = 1
    with pytest.raises(CaseError) as error:
        validate_data(data, au=d(2026, 1, 5))
    assert any(i.json_path == "$.plan" for i in error.value.issues)
    data = with_plan(["100.00"])
    data["plan"]["echeancier"] = {"premiere_echeance": "2026-01-10", "nombre": 2}
    with pytest.raises(CaseError):
        validate_data(data, au=d(2026, 1, 5))
    data = with_plan(["100.00"], interets="legal")
    with pytest.raises(CaseError) as error:
        validate_data(data, au=d(2026, 1, 5))
    assert {i.json_path for i in error.value.issues} >= {"$.plan.taux", "$.plan.capital"}


# --------------------------------------------------------------------------- follow-up


def test_missed_then_regularised_and_paid_early() -> None:
    payments = [("2026-01-10", "100.00"), ("2026-02-25", "200.00")]
    data = with_plan(["100.00", "100.00", "100.00"], payments=payments)
    # 20 February: instalment 2 (10 Feb) unpaid for 10 days > 5 days of grace → reminder.
    status = plan_status(
        make_case(with_plan(["100.00"] * 3, payments=payments[:1]), d(2026, 2, 20)), d(2026, 2, 20)
    )
    assert [r.status for r in status.rows] == ["payee", "impayee", "a_venir"]
    assert status.arrears == D("100.00")
    assert status.action.code == "relance_echeance_plan"
    # Within the grace days: wait.
    status = plan_status(
        make_case(with_plan(["100.00"] * 3, payments=payments[:1]), d(2026, 2, 15)), d(2026, 2, 15)
    )
    assert status.action.code == "attendre"
    assert status.action.date == d(2026, 2, 16)
    # 1 March: 200 on 25 February pays instalment 2 late and instalment 3 early.
    status = plan_status(make_case(data, d(2026, 3, 1)), d(2026, 3, 1))
    assert [r.status for r in status.rows] == ["payee", "payee_en_retard", "payee"]
    assert status.rows[1].days_late == 15
    assert status.balance == 0
    assert status.action.code == "plan_solde"


def test_partial_payment_oldest_first() -> None:
    data = with_plan(["100.00"] * 3, payments=[("2026-01-10", "100.00"), ("2026-02-12", "30.00")])
    status = plan_status(make_case(data, d(2026, 3, 20)), d(2026, 3, 20))
    assert [r.status for r in status.rows] == ["payee", "partielle", "impayee"]
    assert [r.paid for r in status.rows] == [D("100.00"), D("30.00"), D("0")]
    assert status.arrears == D("170.00")
    assert status.balance == D("170.00")
    assert status.first_missed is not None
    assert status.first_missed.instalment.numero == 2


def test_surplus_and_payments_before_signature_ignored() -> None:
    data = with_plan(["100.00"], payments=[("2025-12-20", "500.00"), ("2026-01-09", "130.00")])
    status = plan_status(make_case(data, d(2026, 1, 20)), d(2026, 1, 20))
    assert status.paid == D("100.00")
    assert status.surplus == D("30.00")


def test_road_to_acceleration() -> None:
    amounts = ["100.00"] * 4
    paid = [("2026-01-10", "100.00")]

    def at(day: dt.date, suivi: list[tuple[str, ...]]) -> str:
        case = make_case(with_plan(amounts, payments=paid, suivi=suivi), day)
        return plan_status(case, day).action.code

    reminder = [("relance_echeance_plan", "2026-02-20")]
    assert at(d(2026, 2, 20), []) == "relance_echeance_plan"
    # 15 days after the reminder (parameters/plans.yaml): 20 Feb + 15 = 7 March.
    assert at(d(2026, 3, 6), reminder) == "attendre"
    assert at(d(2026, 3, 7), reminder) == "mise_en_demeure_decheance"
    notice = [*reminder, ("mise_en_demeure_decheance", "2026-03-08")]
    # The notice runs from the receipt: without the avis de réception its end is unknown.
    assert at(d(2026, 6, 1), notice) == "attendre"
    notice = [*reminder, ("mise_en_demeure_decheance", "2026-03-08", "2026-03-10")]
    # 30 days of notice from the receipt on 10 March: last day Thursday 9 April.
    assert at(d(2026, 4, 9), notice) == "attendre"
    assert at(d(2026, 4, 10), notice) == "notification_decheance"
    accelerated = [*notice, ("notification_decheance", "2026-04-10")]
    case = make_case(with_plan(amounts, payments=paid, suivi=accelerated), d(2026, 4, 10))
    status = plan_status(case, d(2026, 4, 10))
    assert status.action.code == "voie_judiciaire"
    assert "actes next" in status.action.libelle
    assert status.balance == D("300.00")


def test_a_reminder_for_an_older_incident_does_not_count() -> None:
    paid = [("2026-01-10", "100.00"), ("2026-02-25", "100.00")]
    suivi = [("relance_echeance_plan", "2026-02-20")]
    data = with_plan(["100.00"] * 4, payments=paid, suivi=suivi)
    # 20 March: instalment 3 (10 March) missed; the February reminder was for instalment 2.
    status = plan_status(make_case(data, d(2026, 3, 20)), d(2026, 3, 20))
    assert status.reminder is None
    assert status.action.code == "relance_echeance_plan"


def test_without_clause_no_acceleration() -> None:
    data = with_plan(
        ["100.00"] * 2, suivi=[("relance_echeance_plan", "2026-01-20")], clause_decheance=False
    )
    status = plan_status(make_case(data, d(2026, 2, 10)), d(2026, 2, 10))
    assert status.action.code == "voie_judiciaire"


def test_mise_en_demeure_event_counts() -> None:
    data = with_plan(["100.00"] * 2)
    data["evenements"] = [{"type": "mise_en_demeure_envoyee", "date": "2026-01-25"}]
    status = plan_status(make_case(data, d(2026, 2, 1)), d(2026, 2, 1))
    assert status.formal_notice == d(2026, 1, 25)
    assert status.action.code == "attendre"


def test_short_notice_warns() -> None:
    data = with_plan(["100.00"], preavis_decheance_jours=15)
    plan = load_plan(make_case(data, d(2026, 1, 5)))
    assert any("15 jours" in w or "non raisonnables" in w for w in plan.warnings)


# --------------------------------------------------------------------------- proposal


def example_case(au: dt.date) -> Case:
    data = copy.deepcopy(load_document(EXAMPLE))
    data.pop("pieces")
    data.pop("plan")
    return make_case(dict(data), au)


def test_propose_within_capacity() -> None:
    au = d(2026, 11, 24)
    plan = propose_plan(example_case(au), au, first=d(2027, 1, 31))
    # capacity available 182.88 → 182 a month; 3 850 / 182 = 21.15 → 22 instalments,
    # 21 × 182 = 3 822, last 28.00
    assert plan.months == 22
    assert plan.instalments[0].montant == D("182.00")
    assert plan.instalments[-1].montant == D("28.00")
    assert plan.instalments[1].date == d(2027, 2, 28)
    assert plan.total == D("3850.00")


def test_propose_refuses_above_capacity_and_beyond_84_months() -> None:
    au = d(2026, 11, 24)
    with pytest.raises(PreconditionFailed, match="capacité"):
        propose_plan(example_case(au), au, instalment=D("200.00"))
    data = base_data()
    with pytest.raises(PreconditionFailed, match="84 mois"):
        propose_plan(make_case(data, au), au, instalment=D("50.00"))  # 4 330 / 50 = 87
    plan = propose_plan(make_case(data, au), au, months=30)
    assert any("24 mois" in w for w in plan.warnings)
    with pytest.raises(PreconditionFailed, match="situation"):  # the case's data: exit 1
        propose_plan(make_case(data, au), au)


def test_plan_context_keys() -> None:
    au = d(2026, 11, 24)
    data = copy.deepcopy(load_document(EXAMPLE))
    data.pop("pieces")
    context = plan_context(make_case(dict(data), au), au)
    assert context["total"] == "4\u202f039,72\u00a0€"
    assert context["nombre_echeances"] == 23
    assert context["echeances"][-1]["montant"] == "79,72\u00a0€"
    assert context["preavis_lettres"] == "trente"
    assert "1225" in context["clause_decheance_texte"]
    assert context["date_signature"] == "5 octobre 2026"


# --------------------------------------------------------------------------- worklist


def test_worklist_sorted_with_errors(tmp_path: Path) -> None:
    def write(name: str, data: dict[str, Any]) -> None:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    small = with_plan(["100.00"] * 3, payments=[("2026-01-10", "100.00")])
    small["reference"] = "SMALL"
    big = with_plan(["300.00"] * 3)
    big["reference"] = "BIG"
    done = with_plan(["100.00"], payments=[("2026-01-10", "100.00")])
    done["reference"] = "DONE"
    no_plan = base_data()
    no_plan["format_version"] = 1
    broken = with_plan(["100.00"])
    broken["plan"]["montant_total"] = "abc"
    write("small/dossier.yaml", small)
    write("big.yaml", big)
    write("done/dossier.yaml", done)
    write("noplan/dossier.yaml", no_plan)
    write("broken/dossier.yaml", broken)
    (tmp_path / "bad.yaml").write_text("reference: [", encoding="utf-8")
    rows, errors = worklist(tmp_path, d(2026, 3, 1))
    # BIG: 10 Jan and 10 Feb missed = 600; SMALL: 10 Feb = 100
    assert [(r.reference, r.arrears) for r in rows] == [
        ("BIG", D("600.00")),
        ("SMALL", D("100.00")),
    ]
    assert {
        Path(e.file).parent.name if e.file.endswith("dossier.yaml") else Path(e.file).name
        for e in errors
    } == {"broken", "bad.yaml"}
    text = worklist_csv(rows, errors)
    assert text.splitlines()[1].split(";")[1] == "BIG"
    assert "erreur" in text

"""`actes travail`: broken promises the day after their date, preventive reminders, plan
instalments, deadlines — sorted by the debtor's explained score."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from tests.test_report import make_folder

from actes.amicable.promises import promise_statuses
from actes.cases.case import load_case
from actes.cli import main
from actes.portfolio.report import case_tasks, compute_facts, portfolio_items
from actes.portfolio.worklist import worklist

TODAY = dt.date(2026, 12, 2)


def _edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def desk(tmp_path: Path) -> Path:
    folder = make_folder(tmp_path)

    def promise_and_upcoming(data: dict[str, Any]) -> None:
        # Promise of 1 000 € by 28 November taken on the phone on 20 November; only the
        # 500 € of 25 November came: broken from 29 November.
        data["evenements"] = [
            {
                "type": "promesse_de_paiement",
                "date": "2026-11-20",
                "montant": "1000.00",
                "date_promise": "2026-11-28",
                "canal": "telephone",
                "par": "Léa",
            }
        ]
        # An invoice due on 6 December: its preventive reminder (7 days before) is due
        # since 29 November.
        data["creances"].append(
            {
                "reference": "A5",
                "nature": "facture",
                "date_emission": "2026-11-06",
                "date_echeance": "2026-12-06",
                "montant": "600.00",
            }
        )

    _edit(folder / "A" / "dossier.yaml", promise_and_upcoming)

    def kept(data: dict[str, Any]) -> None:
        data["evenements"] = [
            {
                "type": "promesse_de_paiement",
                "date": "2026-11-01",
                "montant": "100.00",
                "date_promise": "2026-11-15",
                "canal": "courriel",
                "par": "Marc",
            }
        ]
        data["paiements"] = [{"date": "2026-11-14", "montant": "100.00", "creance": "B2"}]

    _edit(folder / "B" / "dossier.yaml", kept)
    return folder


def tasks_at(folder: Path, au: dt.date) -> list[Any]:
    items, unreadable = portfolio_items(folder)
    facts, excluded = compute_facts(items, au, today=TODAY)
    assert not unreadable and not excluded, (unreadable, excluded)
    return worklist(facts)


def test_broken_promise_is_raised_the_day_after(tmp_path: Path) -> None:
    folder = desk(tmp_path)
    on_the_day = tasks_at(folder, dt.date(2026, 11, 28))
    assert not [t for t in on_the_day if t.kind == "promesse_rompue"]
    after = tasks_at(folder, dt.date(2026, 11, 29))
    (broken,) = [t for t in after if t.kind == "promesse_rompue"]
    assert broken.reference == "A-2026-1"
    assert broken.date == dt.date(2026, 11, 29)
    assert "rompue" in broken.label and "28/11/2026" in broken.label
    assert broken.action.startswith(
        "Relancer le débiteur (promesse reçue par téléphone) et constater la promesse non "
        "tenue ; prochaine étape proposée : "
    )
    # The kept promise of B never shows.
    assert all(t.reference != "B-2026-2" or t.kind != "promesse_rompue" for t in after)


def test_preventive_reminder_and_order(tmp_path: Path) -> None:
    folder = desk(tmp_path)
    items = tasks_at(folder, TODAY)
    kinds = {(t.reference, t.kind) for t in items}
    assert ("A-2026-1", "relance_preventive") in kinds
    assert ("A-2026-1", "promesse_rompue") in kinds
    reminder = next(t for t in items if t.kind == "relance_preventive")
    assert reminder.date == dt.date(2026, 11, 29)  # 6 December - 7 days
    assert "A5" in reminder.label
    totals = [t.score.total for t in items]
    assert totals == sorted(totals, reverse=True)
    # The score shown is explained: its factors add up to it.
    for item in items:
        assert sum(f.points for f in item.score.factors) == item.score.total
    broken = next(t for t in items if t.kind == "promesse_rompue")
    promises = next(f for f in broken.score.factors if f.code == "promesses_non_tenues")
    assert promises.points > 0


def test_cli(tmp_path: Path) -> None:
    folder = desk(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["travail", str(folder), "--au", "2026-12-02", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {t["type"] for t in data["taches"]} >= {"promesse_rompue", "relance_preventive"}
    first = data["taches"][0]
    assert first["score"]["facteurs"] and first["commande"].startswith("actes ")
    result = runner.invoke(
        main, ["travail", str(folder), "--au", "2026-12-02", "--type", "relance_preventive"]
    )
    assert result.exit_code == 0, result.output
    assert "relance préventive à envoyer" in result.output
    assert "promesse rompue" not in result.output
    result = runner.invoke(main, ["travail", str(folder), "--au", "2026-12-02", "--csv"])
    header = result.stdout.splitlines()[0]
    assert header.startswith("score;niveau;debiteur")
    assert result.stdout.splitlines()[1].split(";")[1] in {"faible", "moyen", "élevé"}
    result = runner.invoke(main, ["travail", str(folder), "--au", "2026-12-02"])
    assert result.exit_code == 0, result.output
    level = data["taches"][0]["score"]["niveau"]
    assert f"/100 risque {level}] " in result.output


# --------------------------------------------------------------------------- newer promises
# Case A of the desk: 1 000 € promised on 20/11 for 28/11 by phone, 500 € paid on 25/11.


def _promise(taken: str, amount: str, due: str, channel: str) -> dict[str, str]:
    return {
        "type": "promesse_de_paiement",
        "date": taken,
        "montant": amount,
        "date_promise": due,
        "canal": channel,
        "par": "Léa",
    }


def _add(folder: Path, *, events: list[dict[str, str]], payments: tuple[str, ...] = ()) -> Path:
    path = folder / "A" / "dossier.yaml"

    def change(data: dict[str, Any]) -> None:
        data.setdefault("evenements", []).extend(events)
        for day, amount in (item.split() for item in payments):
            data["paiements"].append({"date": day, "montant": amount, "creance": "A1"})

    _edit(path, change)
    return path


def _promise_tasks(items: list[Any]) -> list[Any]:
    return [t for t in items if t.kind == "promesse_rompue"]


def _broken_count(folder: Path, au: dt.date) -> int:
    """The broken promises of case A that its debtor's score counts at ``au``."""
    items, _ = portfolio_items(folder)
    facts, _ = compute_facts(items, au, today=TODAY)
    (case_a,) = [f for f in facts if f.reference == "A-2026-1"]
    return int(case_a.score_inputs["broken_promises"])


def test_no_task_while_a_new_promise_runs(tmp_path: Path) -> None:
    folder = desk(tmp_path)
    # 01/12, by e-mail: 600 € by 10/12. The promise of 28/11 (broken since 29/11) is closed.
    _add(folder, events=[_promise("2026-12-01", "600.00", "2026-12-10", "courriel")])
    items = tasks_at(folder, TODAY)
    assert _promise_tasks(items) == []
    # The broken promise still counts in the debtor's score.
    assert _broken_count(folder, TODAY) == 1
    # Unpaid on 10/12, the new promise is raised on 11/12, and it alone.
    later = tasks_at(folder, dt.date(2026, 12, 11))
    (broken,) = _promise_tasks(later)
    assert broken.date == dt.date(2026, 12, 11)
    assert "600,00" in broken.label and "10/12/2026" in broken.label
    assert broken.action.startswith(
        "Relancer le débiteur (promesse reçue par courriel) et constater la promesse non tenue"
    )
    assert _broken_count(folder, dt.date(2026, 12, 11)) == 2


def test_a_payment_equal_to_the_new_promise_keeps_it_and_the_old_stays_broken(
    tmp_path: Path,
) -> None:
    folder = desk(tmp_path)
    path = _add(
        folder,
        events=[_promise("2026-12-01", "600.00", "2026-12-10", "courriel")],
        payments=("2026-12-02 600.00",),
    )
    au = dt.date(2026, 12, 11)
    old, new = promise_statuses(load_case(path, au=TODAY), au)
    assert (new.status, new.kept_on, new.paid) == ("tenue", TODAY, Decimal("600.00"))
    assert (old.status, old.paid, old.kept_on) == ("rompue", Decimal("500.00"), None)
    assert old.status_label == "rompue"  # never « tenue en retard » by the later payment
    items = tasks_at(folder, au)
    assert _promise_tasks(items) == []
    assert _broken_count(folder, au) == 1


def test_a_promise_not_yet_due_is_replaced(tmp_path: Path) -> None:
    folder = desk(tmp_path)
    # 27/11, before the promised 28/11: 400 € by 05/12.
    path = _add(folder, events=[_promise("2026-11-27", "400.00", "2026-12-05", "sms")])
    old, new = promise_statuses(load_case(path, au=TODAY), TODAY)
    assert (old.status, old.superseded_by, old.broken_since) == (
        "remplacee",
        dt.date(2026, 11, 27),
        None,
    )
    assert " ".join(old.label.split()) == (
        "promesse de 1 000,00 € pour le 28/11/2026 (téléphone, Léa) : remplacée par la "
        "promesse du 27/11/2026 (500,00 € reçus)"
    )
    assert new.status == "en_cours"
    items = tasks_at(folder, TODAY)
    assert _promise_tasks(items) == []
    assert _broken_count(folder, TODAY) == 0
    (broken,) = _promise_tasks(tasks_at(folder, dt.date(2026, 12, 6)))
    assert broken.action.startswith("Relancer le débiteur (promesse reçue par SMS) et constater")


@pytest.mark.parametrize(
    ("channel", "received"),
    [
        ("telephone", "promesse reçue par téléphone"),
        ("courriel", "promesse reçue par courriel"),
        ("courrier", "promesse reçue par courrier"),
        ("visite", "promesse reçue lors d'une visite"),
        ("sms", "promesse reçue par SMS"),
        ("autre", "promesse reçue"),
    ],
)
def test_the_action_names_the_channel(tmp_path: Path, channel: str, received: str) -> None:
    folder = make_folder(tmp_path)
    path = _add(folder, events=[_promise("2026-11-20", "900.00", "2026-11-28", channel)])
    tasks = case_tasks(load_case(path, au=TODAY), TODAY, step="", deadlines=(), file="A")
    (task,) = [t for t in tasks if t["type"] == "promesse_rompue"]
    action = f"Relancer le débiteur ({received}) et constater la promesse non tenue."
    assert task["action"] == action

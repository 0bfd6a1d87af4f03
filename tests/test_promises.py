"""Promises to pay: statuses computed by hand, allocation of the payments, bad inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from actes.amicable.promises import (
    broken_promises,
    channel_phrase,
    open_broken_promise,
    promise_statuses,
)
from actes.cases.case import Case, issues_of, load_case

from .conftest import copy_example, load_yaml, plain_spaces, write_case

B2B = "b2b-factures-impayees"
D = dt.date
TODAY = D(2026, 12, 2)


def _promise(taken: str, amount: str, due: str) -> dict[str, str]:
    return {"type": "promesse_de_paiement", "date": taken, "montant": amount, "date_promise": due}


def _case(
    tmp_path: Path,
    events: list[dict[str, Any]],
    payments: list[tuple[str, str]],
    au: dt.date = TODAY,
) -> Case:
    path = copy_example(B2B, tmp_path)
    data = load_yaml(path)
    data["evenements"] = events
    data["paiements"] = [{"date": day, "montant": amount} for day, amount in payments]
    write_case(path, data)
    return load_case(path, au=au)


# B: 300.00 promised on 01/11 for 30/11 by e-mail; A: 500.00 promised on 02/11 for 20/11 by
# phone. A supersedes B on 02/11, before B's date: B is « remplacée ». Payments: 30/10 200.00
# (before both promises: counts for neither), 10/11 350.00 (to A), 25/11 250.00 (150.00
# completes A, late; the 100.00 left goes to no promise: B was closed on 02/11).
TWO = [
    {**_promise("2026-11-02", "500.00", "2026-11-20"), "canal": "telephone", "par": "M. Martin"},
    {**_promise("2026-11-01", "300.00", "2026-11-30"), "canal": "courriel"},
]
PAID = [("2026-10-30", "200.00"), ("2026-11-10", "350.00"), ("2026-11-25", "250.00")]


def test_a_newer_promise_replaces_one_not_yet_due(tmp_path: Path) -> None:
    case = _case(tmp_path, TWO, PAID)
    found = promise_statuses(case, D(2026, 11, 24))
    assert [p.index for p in found] == [1, 0]  # chronological: B taken first
    b, a = found
    # The payment of 30/10 does not count: with it, A would be paid in full.
    assert (a.status, a.paid, a.broken_since, a.kept_on, a.superseded_by) == (
        "rompue",
        Decimal("350.00"),
        D(2026, 11, 21),
        None,
        None,
    )
    assert a.outstanding == Decimal("150.00")
    assert (b.status, b.paid, b.broken_since, b.superseded_by) == (
        "remplacee",
        Decimal("0.00"),
        None,
        D(2026, 11, 2),
    )
    assert b.status_label == "remplacée par la promesse du 02/11/2026"
    assert b.as_dict()["remplacee_par"] == "2026-11-02"
    assert broken_promises(case, D(2026, 11, 24)) == (a,)
    assert open_broken_promise(case, D(2026, 11, 24)) == a
    assert plain_spaces(a.label) == (
        "promesse de 500,00 € pour le 20/11/2026 (téléphone, M. Martin) : rompue depuis le "
        "21/11/2026 (350,00 € reçus)"
    )
    assert plain_spaces(b.label) == (
        "promesse de 300,00 € pour le 30/11/2026 (courriel) : remplacée par la promesse du "
        "02/11/2026"
    )


def test_a_late_payment_keeps_the_latest_promise_late_and_the_rest_goes_nowhere(
    tmp_path: Path,
) -> None:
    case = _case(tmp_path, TWO, PAID)
    b, a = promise_statuses(case, D(2026, 11, 30))
    assert (a.status, a.paid, a.kept_on, a.late, a.broken_since) == (
        "tenue",
        Decimal("500.00"),
        D(2026, 11, 25),
        True,
        None,
    )
    assert plain_spaces(a.label).endswith(": tenue en retard le 25/11/2026")
    assert a.status_label == "tenue en retard"
    # B, closed on 02/11, neither takes the 100.00 nor breaks after its date.
    assert (b.status, b.paid) == ("remplacee", Decimal("0.00"))
    assert broken_promises(case, D(2026, 12, 1)) == ()
    assert open_broken_promise(case, D(2026, 12, 1)) is None


# P1: 500.00 promised on 01/11 for 15/11, 200.00 paid on 10/11: broken from 16/11. P2: 300.00
# promised on 25/11 for 05/12. Payments on or after 25/11 go to P2 alone.
OLD_AND_NEW = [
    {**_promise("2026-11-01", "500.00", "2026-11-15"), "canal": "telephone"},
    {**_promise("2026-11-25", "300.00", "2026-12-05"), "canal": "courriel"},
]


def test_an_old_broken_promise_stays_broken_while_the_new_one_runs(tmp_path: Path) -> None:
    case = _case(tmp_path, OLD_AND_NEW, [("2026-11-10", "200.00")])
    old, new = promise_statuses(case, D(2026, 11, 28))
    assert (old.status, old.paid, old.broken_since, old.superseded_by) == (
        "rompue",
        Decimal("200.00"),
        D(2026, 11, 16),
        D(2026, 11, 25),
    )
    assert (new.status, new.superseded_by) == ("en_cours", None)
    # The history and the score keep the broken promise; the worklist has nothing to raise.
    assert broken_promises(case, D(2026, 11, 28)) == (old,)
    assert open_broken_promise(case, D(2026, 11, 28)) is None
    # The new promise unpaid after its date is the one to follow up.
    later = open_broken_promise(case, D(2026, 12, 6))
    assert later is not None and (later.index, later.broken_since) == (1, D(2026, 12, 6))
    assert len(broken_promises(case, D(2026, 12, 6))) == 2


def test_a_payment_equal_to_the_new_promise_keeps_it_and_not_the_old(tmp_path: Path) -> None:
    payments = [("2026-11-10", "200.00"), ("2026-12-01", "300.00")]
    case = _case(tmp_path, OLD_AND_NEW, payments)
    old, new = promise_statuses(case, D(2026, 12, 2))
    assert (new.status, new.paid, new.kept_on, new.late) == (
        "tenue",
        Decimal("300.00"),
        D(2026, 12, 1),
        False,
    )
    # Allocated by promised date alone, the 300.00 would have completed the old promise
    # (« tenue en retard ») and left the new one running.
    assert (old.status, old.paid, old.kept_on) == ("rompue", Decimal("200.00"), None)
    assert broken_promises(case, D(2026, 12, 2)) == (old,)
    assert open_broken_promise(case, D(2026, 12, 2)) is None


def test_a_promise_kept_before_the_next_one_stays_kept(tmp_path: Path) -> None:
    payments = [("2026-11-10", "200.00"), ("2026-11-14", "300.00")]
    old, new = promise_statuses(_case(tmp_path, OLD_AND_NEW, payments), D(2026, 12, 2))
    assert (old.status, old.kept_on, old.late, old.superseded_by) == (
        "tenue",
        D(2026, 11, 14),
        False,
        None,
    )
    assert new.status == "en_cours"


def test_a_payment_on_the_day_of_the_new_promise_goes_to_it(tmp_path: Path) -> None:
    payments = [("2026-11-25", "300.00")]
    old, new = promise_statuses(_case(tmp_path, OLD_AND_NEW, payments), D(2026, 12, 2))
    assert (old.status, old.paid) == ("rompue", Decimal("0.00"))
    assert (new.status, new.kept_on) == ("tenue", D(2026, 11, 25))


def test_broken_the_day_after_not_on_the_day(tmp_path: Path) -> None:
    case = _case(tmp_path, [_promise("2026-11-01", "100.00", "2026-11-20")], [])
    [on_the_day] = promise_statuses(case, D(2026, 11, 20))
    assert (on_the_day.status, on_the_day.broken_since) == ("en_cours", None)
    assert broken_promises(case, D(2026, 11, 20)) == ()
    [after] = promise_statuses(case, D(2026, 11, 21))
    assert (after.status, after.broken_since) == ("rompue", D(2026, 11, 21))


def test_kept_on_its_day_is_not_late_and_the_surplus_goes_nowhere(tmp_path: Path) -> None:
    case = _case(
        tmp_path, [_promise("2026-11-01", "100.00", "2026-11-20")], [("2026-11-20", "400.00")]
    )
    [kept] = promise_statuses(case, D(2026, 11, 28))
    assert (kept.status, kept.kept_on, kept.late, kept.paid) == (
        "tenue",
        D(2026, 11, 20),
        False,
        Decimal("100.00"),
    )
    assert plain_spaces(kept.label).endswith(": tenue le 20/11/2026")


def test_promises_taken_the_same_day_share_the_payments_by_promised_date(
    tmp_path: Path,
) -> None:
    # Three promises of one conversation: none replaces another.
    events = [
        _promise("2026-11-05", "200.00", "2026-11-30"),  # X: due last, first in the file
        _promise("2026-11-05", "200.00", "2026-11-15"),  # Y: due first
        _promise("2026-11-05", "100.00", "2026-11-30"),  # Z: same date as X, later in the file
    ]
    payments = [("2026-11-10", "200.00"), ("2026-11-12", "250.00")]
    case = _case(tmp_path, events, payments)
    y, x, z = promise_statuses(case, D(2026, 11, 20))
    assert (y.index, x.index, z.index) == (1, 0, 2)  # by promised date, then the file
    assert (y.status, y.kept_on, y.paid) == ("tenue", D(2026, 11, 10), Decimal("200.00"))
    assert (x.status, x.kept_on, x.paid) == ("tenue", D(2026, 11, 12), Decimal("200.00"))
    assert (z.status, z.paid, z.superseded_by) == ("en_cours", Decimal("50.00"), None)
    broken = open_broken_promise(case, D(2026, 12, 1))
    assert broken is not None and (broken.index, broken.outstanding) == (2, Decimal("50.00"))


@pytest.mark.parametrize(
    ("channel", "phrase"),
    [
        ("telephone", "par téléphone"),
        ("courriel", "par courriel"),
        ("courrier", "par courrier"),
        ("visite", "lors d'une visite"),
        ("sms", "par SMS"),
        ("autre", ""),
        ("", ""),
    ],
)
def test_channel_phrase(channel: str, phrase: str) -> None:
    assert channel_phrase(channel) == phrase


def test_a_promise_taken_after_the_date_does_not_exist_yet(tmp_path: Path) -> None:
    case = _case(tmp_path, [_promise("2026-11-25", "100.00", "2026-12-10")], [])
    assert promise_statuses(case, D(2026, 11, 24)) == ()
    assert len(promise_statuses(case, D(2026, 11, 25))) == 1


# --------------------------------------------------------------------------- bad inputs


def _issues(tmp_path: Path, **changes: Any) -> list[tuple[str, str, str]]:
    path = copy_example(B2B, tmp_path, **changes)
    found = issues_of(load_yaml(path), file=path.name, folder=path.parent, au=TODAY)
    return [(i.json_path, i.message, i.hint) for i in found]


@pytest.mark.parametrize(
    ("promise", "path", "message", "hint"),
    [
        (
            {"type": "promesse_de_paiement", "date": "2026-11-02", "date_promise": "2026-11-20"},
            "$.evenements[1].montant",
            "promesse de paiement sans montant",
            "indiquez la somme que le débiteur a promis de payer",
        ),
        (
            _promise("2026-11-02", "0", "2026-11-20"),
            "$.evenements[1].montant",
            "montant 0 : la somme promise doit être strictement positive",
            "supérieure à zéro",
        ),
        (
            _promise("2026-11-02", "-5.00", "2026-11-20"),
            "$.evenements[1].montant",
            "montant -5.00 : la somme promise doit être strictement positive",
            "supérieure à zéro",
        ),
        (
            {"type": "promesse_de_paiement", "date": "2026-11-02", "montant": "50.00"},
            "$.evenements[1].date_promise",
            "promesse de paiement sans date promise",
            "indiquez date_promise (AAAA-MM-JJ)",
        ),
        (
            _promise("2026-11-02", "50.00", "2026-11-01"),
            "$.evenements[1].date_promise",
            "la date promise (01/11/2026) précède le jour où la promesse a été recueillie "
            "(02/11/2026)",
            "corrigez l'une ou l'autre",
        ),
        (
            {"type": "relance_envoyee", "date": "2026-11-02", "date_promise": "2026-11-20"},
            "$.evenements[1].date_promise",
            "date promise indiquée pour un événement « relance_envoyee » : elle ne vaut que "
            "pour une promesse de paiement",
            "supprimez date_promise",
        ),
    ],
)
def test_a_bad_promise_is_refused_at_its_field(
    tmp_path: Path, promise: dict[str, str], path: str, message: str, hint: str
) -> None:
    events = [{"type": "relance_envoyee", "date": "2026-09-15"}, promise]
    [(where, said, fix)] = _issues(tmp_path, evenements=events)
    assert (where, said) == (path, message)
    assert hint in fix


def test_an_unknown_channel_is_refused_by_the_schema(tmp_path: Path) -> None:
    promise = {**_promise("2026-11-02", "50.00", "2026-11-20"), "canal": "fax"}
    [(where, said, _)] = _issues(tmp_path, evenements=[promise])
    assert where == "$.evenements[0].canal" and "fax" in said


def test_a_negative_payment_is_refused(tmp_path: Path) -> None:
    payments = [{"date": "2026-08-20", "montant": "-100.00"}]
    [(where, said, fix)] = _issues(tmp_path, paiements=payments)
    assert where == "$.paiements[0].montant"
    assert said == "montant -100.00 : un montant doit être strictement positif"
    assert "un paiement rejeté ou remboursé se retire de la liste des paiements" in fix

"""Reminders before the due date (relance préventive): which claims, when, and whether sent.

A courteous reminder goes out N days before a claim's due date, N being
``jours_avant_echeance`` of the ``relance_preventive`` version in force (a firm changes it in
its workspace's copy of that version, docs/workspace.md). It concerns the claims that are not
yet due on the day of the letter (``au`` before the due date) and still have principal to pay,
as the décompte imputes the payments (:func:`actes.law.accounts.decompte_for_case`). Once
sent, the event ``relance_preventive_envoyee`` names the claim in its ``reference``.

The worklist reads :func:`preventive_reminders`; the procedure's conditions
``claims_to_fall_due`` and ``claims_falling_due_within`` (:mod:`actes.law.conditions`) and the
letter (:mod:`actes.documents.contexts.preventive`) read :func:`open_claims_not_yet_due` and
:func:`claims_falling_due`, on the décompte of :func:`reminder_decompte`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from actes._paths import workspace_scope
from actes.cases.case import Case, Claim
from actes.documents.formatting import format_amount, format_date_long
from actes.errors import RateMissing

if TYPE_CHECKING:
    from actes.law.money import Decompte

__all__ = [
    "DEFAULT_DAYS",
    "PROCEDURE",
    "SENT",
    "PreventiveReminder",
    "claims_falling_due",
    "open_claims_not_yet_due",
    "preventive_reminders",
    "reminded_claims",
    "reminder_days",
    "reminder_decompte",
]

PROCEDURE = "relance_preventive"
SENT = "relance_preventive_envoyee"
# When a firm's copy of the procedure version leaves « jours_avant_echeance » out.
DEFAULT_DAYS = 7

Status = Literal["a_venir", "a_envoyer", "envoyee"]


@dataclass(frozen=True)
class PreventiveReminder:
    """The reminder of one claim not yet due: when to send it and whether it was sent."""

    claim: Claim
    due: dt.date
    amount: Decimal  # principal left to pay on the claim
    send_on: dt.date  # due - N days
    status: Status
    label: str


def reminder_days(case: Case | None, au: dt.date) -> int:
    """N: ``jours_avant_echeance`` of the ``relance_preventive`` version applicable at ``au``,
    read in the workspace of the case (its overlay of the procedure wins)."""
    from actes.law.procedures import load_registry

    with workspace_scope(case.folder if case is not None else None):
        version = load_registry().get(PROCEDURE).for_case(case, au)
    return version.days_before_due or DEFAULT_DAYS


def open_claims_not_yet_due(
    case: Case, au: dt.date, decompte: Mapping[str, Any] | None = None
) -> tuple[tuple[Claim, Decimal], ...]:
    """The claims not yet due at ``au`` (``au`` before their due date) with principal left to
    pay, and that principal. ``decompte``: the case's ``Decompte.as_dict()`` at ``au`` when the
    caller has it."""
    if not any(claim.date_echeance > au for claim in case.creances):
        return ()  # most cases in recovery: no décompte needed to say so
    left = _outstanding(case, au, decompte)
    return tuple(
        (claim, left[claim.reference])
        for claim in case.creances
        if claim.date_echeance > au and left[claim.reference] > 0
    )


def claims_falling_due(
    case: Case, au: dt.date, days: int, decompte: Mapping[str, Any] | None = None
) -> tuple[tuple[Claim, Decimal], ...]:
    """The claims a reminder written at ``au`` recalls: not yet due, principal left to pay, due
    within ``days`` days (``au`` < due date <= ``au`` + ``days``), in due-date order."""
    limit = au + dt.timedelta(days=days)
    found = [
        row for row in open_claims_not_yet_due(case, au, decompte) if row[0].date_echeance <= limit
    ]
    return tuple(sorted(found, key=lambda row: (row[0].date_echeance, row[0].reference)))


def reminded_claims(case: Case, au: dt.date) -> tuple[str, ...]:
    """The references of the claims a reminder written at ``au`` recalls: one event
    ``relance_preventive_envoyee`` is recorded for each once it is sent."""
    return tuple(c.reference for c, _ in claims_falling_due(case, au, reminder_days(case, au)))


def preventive_reminders(case: Case, au: dt.date) -> tuple[PreventiveReminder, ...]:
    """One reminder per claim not yet due at ``au`` with principal left to pay, in due-date
    order: ``a_venir`` before its sending day, ``a_envoyer`` from that day, ``envoyee`` once
    an event ``relance_preventive_envoyee`` dated on or before ``au`` names the claim."""
    claims = open_claims_not_yet_due(case, au)
    if not claims:
        return ()  # neither the décompte nor the procedure version is read
    days = reminder_days(case, au)
    sent = _sent_on(case.evenements, au)
    found = []
    for claim, left in claims:
        send_on = claim.date_echeance - dt.timedelta(days=days)
        if claim.reference in sent:
            status: Status = "envoyee"
        elif au >= send_on:
            status = "a_envoyer"
        else:
            status = "a_venir"
        found.append(
            PreventiveReminder(
                claim=claim,
                due=claim.date_echeance,
                amount=left,
                send_on=send_on,
                status=status,
                label=_label(claim, left, send_on, status, sent.get(claim.reference)),
            )
        )
    found.sort(key=lambda r: (r.due, r.claim.reference))
    return tuple(found)


def reminder_decompte(case: Case, au: dt.date) -> Decompte:
    """The case's décompte at ``au`` as a reminder reads it: only the principal left on each
    claim not yet due. A rate not yet confirmed only weighs on the penalties of the claims
    already due, hence at most on how a payment splits between them: the principal of a claim
    not yet due is still known. The reminder states no interest, so neither the letter nor the
    worklist is refused for a rate the case has not accepted for its other letters: the
    provisional rate is accepted here (as ``parametres.taux_non_confirmes`` would)."""
    from actes.law.accounts import decompte_for_case

    try:
        return decompte_for_case(case, au)
    except RateMissing:
        return decompte_for_case(case, au, overrides={"taux_non_confirmes": True})


def _outstanding(
    case: Case, au: dt.date, decompte: Mapping[str, Any] | None
) -> dict[str, Decimal]:
    """Principal left to pay per claim reference at ``au``."""
    if decompte is None:
        computed = reminder_decompte(case, au)
        return {c.reference: c.outstanding_principal for c in computed.claims}
    return {
        str(c["reference"]): Decimal(str(c["principal_restant"]))
        for c in decompte.get("creances", [])
    }


def _sent_on(events: Sequence[Any], au: dt.date) -> dict[str, dt.date]:
    """Claim reference -> the latest day a preventive reminder naming it was sent."""
    sent: dict[str, dt.date] = {}
    for event in events:
        reference = str(event.get("reference") or "")
        if event.type != SENT or event.date > au or not reference:
            continue
        sent[reference] = max(event.date, sent.get(reference, event.date))
    return sent


def _label(
    claim: Claim, left: Decimal, send_on: dt.date, status: Status, sent: dt.date | None
) -> str:
    what = "facture" if claim.nature == "facture" else "créance"
    amount = format_amount(left, claim.devise)
    due = format_date_long(claim.date_echeance)
    if status == "envoyee" and sent is not None:
        return (
            f"Relance préventive envoyée le {format_date_long(sent)} : {what} "
            f"{claim.reference}, {amount} à payer le {due}"
        )
    if status == "a_envoyer":
        return (
            f"Relance préventive à envoyer : {what} {claim.reference}, {amount} à payer le {due}"
        )
    return (
        f"Relance préventive à envoyer le {format_date_long(send_on)} : {what} "
        f"{claim.reference}, {amount} à payer le {due}"
    )

"""Business rules of the promises to pay (events ``promesse_de_paiement``, docs/promises.md).

A promise states what the debtor promised: its ``montant`` (more than zero) and its
``date_promise`` (the day the debtor promised to pay by, on or after the day it was taken,
the event's ``date``). ``date_promise`` belongs to promises only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from actes.errors import IssueCollector

__all__ = ["PROMISE_EVENT", "check_promises"]

PROMISE_EVENT = "promesse_de_paiement"


def _fr(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def check_promises(events: Sequence[Mapping[str, Any]], out: IssueCollector) -> None:
    """Report each promise without a positive amount or a promised date, a promised date
    before the promise was taken, and a ``date_promise`` on another kind of event."""
    for index, event in enumerate(events):
        path = f"$.evenements[{index}]"
        if event.get("type") != PROMISE_EVENT:
            if "date_promise" in event:
                out.add(
                    f"{path}.date_promise",
                    f"date promise indiquée pour un événement « {event.get('type')} » : elle "
                    "ne vaut que pour une promesse de paiement",
                    "supprimez date_promise, ou donnez à l'événement le type promesse_de_paiement",
                    "promesses",
                )
            continue
        _check_amount(event, path, out)
        _check_promised_date(event, path, out)


def _check_amount(event: Mapping[str, Any], path: str, out: IssueCollector) -> None:
    if event.get("montant") is None:
        out.add(
            f"{path}.montant",
            "promesse de paiement sans montant",
            'indiquez la somme que le débiteur a promis de payer (exemple : montant: "500.00")',
            "promesses",
        )
        return
    amount = _decimal(event["montant"])
    if amount is not None and amount <= 0:
        out.add(
            f"{path}.montant",
            f"montant {event['montant']} : la somme promise doit être strictement positive",
            "indiquez la somme que le débiteur a promis de payer, supérieure à zéro",
            "promesses",
        )


def _check_promised_date(event: Mapping[str, Any], path: str, out: IssueCollector) -> None:
    promised = _date(event.get("date_promise"))
    if promised is None:
        out.add(
            f"{path}.date_promise",
            "promesse de paiement sans date promise",
            "indiquez date_promise (AAAA-MM-JJ) : le jour où le débiteur a promis d'avoir payé",
            "promesses",
        )
        return
    taken = _date(event.get("date"))
    if taken is not None and promised < taken:
        out.add(
            f"{path}.date_promise",
            f"la date promise ({_fr(promised)}) précède le jour où la promesse a été "
            f"recueillie ({_fr(taken)})",
            "la date promise est au plus tôt la date de l'événement : corrigez l'une ou l'autre",
            "promesses",
        )

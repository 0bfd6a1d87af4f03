"""Promises to pay (promesses de paiement): which are kept, broken or still running.

A promise is an event of the case (``type: promesse_de_paiement``, docs/promises.md): ``date``
is the day it was taken, ``montant`` the sum promised, ``date_promise`` the day the debtor
promised to have paid by, ``canal`` and ``par`` how and by whom it was taken.

Rule, as of a date ``au``:

- A new promise supersedes the older ones: when a promise is taken on day T, every promise
  taken before T and not fully paid by then is closed on T (``superseded_by`` = T). Promises
  taken the same day are one conversation: none supersedes another.
- The case's payments dated from the day a promise was taken up to ``au`` are allocated to
  the promises still open on the payment's day (not fully paid, not closed by a later
  promise), in order of ``date_promise`` (then of the day taken, then of their place in the
  file), each payment in date order, a payment split between promises when it exceeds what one
  still awaits. A payment dated before a promise was taken, or on or after the day it was
  closed, never counts for it; what exceeds every open promise counts for none.
- A promise is **tenue** (kept) when its allocated payments reach its amount: ``kept_on`` is
  the date of the payment that completed it, ``late`` when that date is after
  ``date_promise``.
- Otherwise it is **rompue** (broken) from the day after ``date_promise`` (``broken_since``)
  when that day came before ``au`` and before it was closed; a promise closed before its date
  is **remplacée** (superseded, « remplacée par la promesse du JJ/MM/AAAA »); a promise neither
  broken nor closed is **en cours** (on the promised day itself it still runs).

A broken promise stays broken once superseded: it is in the history and the score counts it
(:func:`broken_promises`); the worklist follows only the latest promise
(:func:`open_broken_promise`).

So a kept promise closes itself when the payment arrives, whether recorded by hand or by
``actes import releve`` (which writes ``paiements``). A promise taken after ``au`` does not
exist yet at that date. No I/O here: the case is read by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from actes.cases.case import Case
from actes.cases.promise_rules import PROMISE_EVENT
from actes.documents.formatting import format_amount, format_date_short

__all__ = [
    "CHANNELS",
    "CHANNEL_LABELS",
    "PROMISE_EVENT",
    "STATUS_LABELS",
    "PromiseState",
    "PromiseStatus",
    "broken_promises",
    "channel_phrase",
    "open_broken_promise",
    "promise_statuses",
]

PromiseState = Literal["en_cours", "tenue", "rompue", "remplacee"]

CHANNEL_LABELS: Mapping[str, str] = {
    "telephone": "téléphone",
    "courriel": "courriel",
    "courrier": "courrier",
    "visite": "visite",
    "sms": "SMS",
    "autre": "autre canal",
}
"""How a promise was obtained (the schema's ``canal``), as a reader says it."""

CHANNELS = tuple(CHANNEL_LABELS)

_CHANNEL_PHRASES: Mapping[str, str] = {
    "telephone": "par téléphone",
    "courriel": "par courriel",
    "courrier": "par courrier",
    "visite": "lors d'une visite",
    "sms": "par SMS",
}
# « autre » names no channel: a sentence says nothing rather than « par autre canal ».


def channel_phrase(channel: str) -> str:
    """How a promise was obtained, to follow « reçue » or « prise »: « par téléphone », « lors
    d'une visite »…; empty for « autre » or no channel."""
    return _CHANNEL_PHRASES.get(channel, "")


STATUS_LABELS: Mapping[str, str] = {
    "en_cours": "en cours",
    "tenue": "tenue",
    "rompue": "rompue",
    "remplacee": "remplacée",
}

_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PromiseStatus:
    """One promise to pay and where it stands at a date."""

    taken_on: dt.date
    amount: Decimal
    due: dt.date
    channel: str
    taken_by: str
    note: str
    paid: Decimal
    status: PromiseState
    kept_on: dt.date | None
    late: bool
    broken_since: dt.date | None
    index: int = -1
    """Place of the event in the case's ``evenements`` (its JSON path is
    ``$.evenements[index]``)."""
    currency: str = "EUR"
    superseded_by: dt.date | None = None
    """The day a later promise was taken while this one was not fully paid (it was closed
    then, « rompue » or « remplacée »)."""

    @property
    def outstanding(self) -> Decimal:
        """What the debtor still owes on this promise."""
        return max(self.amount - self.paid, _ZERO)

    @property
    def channel_label(self) -> str:
        return CHANNEL_LABELS.get(self.channel, self.channel)

    @property
    def channel_phrase(self) -> str:
        return channel_phrase(self.channel)

    @property
    def status_label(self) -> str:
        """« en cours », « tenue », « tenue en retard », « rompue », « remplacée par la
        promesse du 01/12/2026 »."""
        if self.status == "tenue" and self.late:
            return "tenue en retard"
        if self.status == "remplacee" and self.superseded_by is not None:
            return f"remplacée par la promesse du {format_date_short(self.superseded_by)}"
        return STATUS_LABELS[self.status]

    @property
    def label(self) -> str:
        """« promesse de 500,00 € pour le 15/12/2026 (téléphone, M. Martin) : rompue depuis
        le 16/12/2026 »."""
        money = format_amount(self.amount, self.currency)
        text = f"promesse de {money} pour le {format_date_short(self.due)}"
        how = [part for part in (self.channel_label, self.taken_by) if part]
        if how:
            text += f" ({', '.join(how)})"
        return f"{text} : {self._state_text()}"

    def _state_text(self) -> str:
        received = format_amount(self.paid, self.currency)
        if self.status == "tenue" and self.kept_on is not None:
            late = " en retard" if self.late else ""
            return f"tenue{late} le {format_date_short(self.kept_on)}"
        if self.status == "rompue" and self.broken_since is not None:
            text = f"rompue depuis le {format_date_short(self.broken_since)}"
            return text + (f" ({received} reçus)" if self.paid else "")
        if self.status == "remplacee":
            return self.status_label + (f" ({received} reçus)" if self.paid else "")
        return "en cours" + (f", {received} reçus" if self.paid else "")

    def as_dict(self) -> dict[str, Any]:
        """The promise for ``--json`` and programs (dates ISO, amounts as strings)."""
        return {
            "evenement": self.index,
            "prise_le": self.taken_on.isoformat(),
            "par": self.taken_by,
            "canal": self.channel,
            "montant": str(self.amount),
            "date_promise": self.due.isoformat(),
            "paye": str(self.paid),
            "reste": str(self.outstanding),
            "statut": self.status,
            "tenue_le": self.kept_on.isoformat() if self.kept_on else None,
            "en_retard": self.late,
            "rompue_depuis": self.broken_since.isoformat() if self.broken_since else None,
            "remplacee_par": self.superseded_by.isoformat() if self.superseded_by else None,
            "note": self.note,
            "libelle": self.label,
        }


@dataclass
class _Open:
    """A promise during the allocation of the payments."""

    index: int
    taken_on: dt.date
    amount: Decimal
    due: dt.date
    raw: Mapping[str, Any]
    paid: Decimal = _ZERO
    kept_on: dt.date | None = None
    closed_on: dt.date | None = None
    """The day the next promise was taken (taken after this one, on or before ``au``)."""

    def open_on(self, day: dt.date) -> bool:
        """Whether a payment of ``day`` can go to this promise."""
        return (
            self.kept_on is None
            and self.taken_on <= day
            and (self.closed_on is None or day < self.closed_on)
        )


def promise_statuses(case: Case, au: dt.date) -> tuple[PromiseStatus, ...]:
    """Every promise of ``case`` taken on or before ``au``, in chronological order (day taken,
    then promised date, then place in the case file), with its status at ``au`` (rule in the
    module docstring)."""
    promises = [
        _Open(
            index,
            event.date,
            _money(event.get("montant")),
            _day(event.get("date_promise")),
            event.raw,
        )
        for index, event in enumerate(case.evenements)
        if event.type == PROMISE_EVENT and event.date <= au
    ]
    promises.sort(key=lambda p: (p.taken_on, p.due, p.index))
    days_taken = sorted({p.taken_on for p in promises})
    for promise in promises:
        later = days_taken.index(promise.taken_on) + 1
        promise.closed_on = days_taken[later] if later < len(days_taken) else None
    queue = sorted(promises, key=lambda p: (p.due, p.taken_on, p.index))
    payments = sorted(
        ((p.date, n, p.montant) for n, p in enumerate(case.paiements) if p.date <= au),
        key=lambda item: (item[0], item[1]),
    )
    for day, _, amount in payments:
        left = amount
        for promise in queue:
            if left <= 0:
                break
            if not promise.open_on(day):
                continue
            share = min(left, promise.amount - promise.paid)
            promise.paid += share
            left -= share
            if promise.paid >= promise.amount:
                promise.kept_on = day
    currency = case.creances[0].devise if case.creances else "EUR"
    return tuple(_status(p, au, currency) for p in promises)


def broken_promises(case: Case, au: dt.date) -> tuple[PromiseStatus, ...]:
    """The promises of ``case`` broken at ``au`` (not fully paid after their date), those
    superseded since included: the history and the score count them all."""
    return tuple(p for p in promise_statuses(case, au) if p.status == "rompue")


def open_broken_promise(case: Case, au: dt.date) -> PromiseStatus | None:
    """The latest promise of ``case`` if it is broken at ``au`` and no later promise closed
    it — the one the collector must follow up; ``None`` while the latest promise runs or was
    kept. Of several promises taken on the latest day, the first broken."""
    found = [
        p for p in promise_statuses(case, au) if p.status == "rompue" and p.superseded_by is None
    ]
    return min(found, key=lambda p: (p.due, p.index), default=None)


def _status(promise: _Open, au: dt.date, currency: str) -> PromiseStatus:
    state: PromiseState
    broken_since = None
    closed = promise.closed_on if promise.kept_on is None else None
    if promise.kept_on is not None:
        state = "tenue"
    elif closed is not None and closed <= promise.due:
        state = "remplacee"  # closed before its date came
    elif au > promise.due:
        state = "rompue"
        broken_since = promise.due + dt.timedelta(days=1)
    else:
        state = "en_cours"
    raw = promise.raw
    return PromiseStatus(
        taken_on=promise.taken_on,
        amount=promise.amount,
        due=promise.due,
        channel=str(raw.get("canal", "")),
        taken_by=str(raw.get("par", "")),
        note=str(raw.get("note", "")),
        paid=promise.paid,
        status=state,
        kept_on=promise.kept_on,
        late=promise.kept_on is not None and promise.kept_on > promise.due,
        broken_since=broken_since,
        index=promise.index,
        currency=currency,
        superseded_by=closed,
    )


def _money(value: Any) -> Decimal:
    # The business rules have checked it: present and more than zero.
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))

"""The case page's « Promesses de paiement »: each promise with its status, and the form that
records one (docs/promises.md).

The form posts to ``/dossier/<key>/promesse``; the promise is appended to the case through
:func:`actes.cases.events.record_event` (the case's lock, compare-and-swap, the journal under
the page's name). What was typed comes back in the form with the French reason when it is
refused; nothing is written then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Blueprint, current_app, flash, redirect, session, url_for

from actes.amicable.promises import CHANNEL_LABELS, PromiseStatus, promise_statuses
from actes.cases import journal
from actes.cases.case import Case
from actes.cases.promise_rules import PROMISE_EVENT
from actes.errors import ActesError
from actes.web import forms, frenchinput, wording

__all__ = ["FIELDS", "blueprint", "read_promise_form"]

blueprint = Blueprint("promises", __name__)

FIELDS = ("montant", "date_promise", "canal", "par", "date", "note")
"""The form's fields, as the case format names them (``date``: the day it was taken)."""

_TYPED_KEY = "promesse_saisie"
_MAX_TYPED = {"note": 2_000}
_MAX_FIELD = 100


class PromiseRefused(Exception):
    """What the form holds cannot be recorded; the message is shown as is."""


def _today() -> dt.date:
    fixed = current_app.config["ACTES_AU"]
    return fixed if isinstance(fixed, dt.date) else dt.date.today()


def _taker() -> str:
    """Who takes the promise by default: the name given at login, else the account running
    ``actes serve`` (the journal's ``qui`` without « (page web) »)."""
    name = session.get("utilisateur")
    if isinstance(name, str) and name.strip():
        return name.strip()
    return journal.current_actor().removesuffix(" (page web)")


def _read_day(text: str, what: str) -> dt.date:
    value = frenchinput.read_date(text) or text
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PromiseRefused(f"Indiquez {what} (JJ/MM/AAAA, année sur quatre chiffres).") from None


def read_promise_form(typed: Mapping[str, str], today: dt.date) -> tuple[dt.date, dict[str, str]]:
    """The day the promise was taken and the event's other properties, from the form's
    ``typed`` values; :class:`PromiseRefused` with the French reason when they cannot be."""
    text = typed.get("montant", "")
    if not text:
        raise PromiseRefused("Indiquez le montant promis.")
    try:
        amount = Decimal(frenchinput.read_amount(text) or text)
    except InvalidOperation:
        raise PromiseRefused(
            f"« {text} » n'est pas un montant (exemples : 500, 1 250,50)."
        ) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise PromiseRefused(
            f"Montant « {text} » : indiquez la somme promise, supérieure à zéro, d'au plus "
            "deux décimales."
        )
    due = _read_day(typed.get("date_promise", ""), "la date promise")
    taken = _read_day(typed.get("date", ""), "le jour où la promesse a été recueillie")
    if taken > today:
        raise PromiseRefused(
            f"La promesse ne peut pas avoir été recueillie le {taken:%d/%m/%Y}, après "
            f"aujourd'hui ({today:%d/%m/%Y})."
        )
    if due < taken:
        raise PromiseRefused(
            f"La date promise ({due:%d/%m/%Y}) précède le jour où la promesse a été "
            f"recueillie ({taken:%d/%m/%Y}) : corrigez l'une ou l'autre."
        )
    channel = typed.get("canal", "")
    if channel not in CHANNEL_LABELS:
        raise PromiseRefused("Choisissez le canal par lequel la promesse a été obtenue.")
    extra = {"montant": f"{amount.quantize(Decimal('0.01'))}", "date_promise": due.isoformat()}
    extra["canal"] = channel
    if typed.get("par"):
        extra["par"] = typed["par"]
    if typed.get("note"):
        extra["note"] = typed["note"]
    return taken, extra


@blueprint.post("/dossier/<key>/promesse")
def record_promise(key: str) -> Any:
    """Record the promise typed in the case page's form."""
    from flask import request

    from actes.cases.events import record_event
    from actes.web.app import find_case

    root = current_app.config["ACTES_CASES_DIR"]
    case_file = find_case(root, key)
    typed = {
        name: " ".join(request.form.get(name, "").split())[: _MAX_TYPED.get(name, _MAX_FIELD)]
        for name in FIELDS
    }
    today = _today()
    back = redirect(url_for("case_page", key=key, _anchor="promesses"), code=303)
    try:
        taken, extra = read_promise_form(typed, today)
        added = record_event(case_file.path, PROMISE_EVENT, taken, au=today, extra=extra)
    except PromiseRefused as refused:
        reason = str(refused)
    except ActesError as error:
        reason = wording.said(error.format(), forms.label_for, {})
    else:
        amount = frenchinput.read_amount(typed["montant"]) or typed["montant"]
        done = "Promesse enregistrée" if added else "Promesse déjà enregistrée"
        shown = f"{Decimal(amount):,.2f}".replace(",", " ").replace(".", ",")
        due = dt.date.fromisoformat(extra["date_promise"])
        flash(f"{done} : {shown} € pour le {due:%d/%m/%Y}.", "promesse-ok")
        return back
    session[_TYPED_KEY] = typed
    flash(f"Promesse non enregistrée : {reason} Rien n'a été écrit.", "promesse-erreur")
    return back


@blueprint.app_context_processor
def _page_helpers() -> dict[str, Any]:
    return {
        "promesses_du_dossier": _statuses,
        "promesse_saisie": _typed,
        "canaux_promesse": tuple(CHANNEL_LABELS.items()),
    }


def _statuses(case: Case | None, au: dt.date) -> tuple[PromiseStatus, ...]:
    return promise_statuses(case, au) if case is not None else ()


def _typed() -> dict[str, str]:
    """What the form shows: what was typed when it was refused, else the defaults."""
    kept = session.pop(_TYPED_KEY, None)
    if isinstance(kept, dict):
        return {name: str(kept.get(name, "")) for name in FIELDS}
    defaults = dict.fromkeys(FIELDS, "")
    defaults.update({"canal": "telephone", "par": _taker(), "date": f"{_today():%d/%m/%Y}"})
    return defaults

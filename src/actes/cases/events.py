"""Recording an event in a case file, and the events a generated document calls for.

An event is appended through :func:`actes.cases.casestore.update_case` (under the case's lock,
on the file as it is now), so it never overwrites someone else's edit, and the journal records
it as ``event_recorded``. The case must stay valid with the new event, else nothing is written.

Which event follows which document is procedure data: ``evenement_apres_envoi`` in the
procedure's ``index.yaml`` (document id -> event type), see docs/history.md.
"""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actes._io import parse_document
from actes.cases.case import Case, issues_of
from actes.cases.casestore import update_case
from actes.errors import CaseError, InputError

__all__ = ["FollowUp", "follow_ups", "has_event", "record_command", "record_event"]


@dataclass(frozen=True)
class FollowUp:
    """An event to record after a document was generated: its type, date, the document and,
    for an event recorded once per claim, the claim's reference."""

    type: str
    date: dt.date
    document: str
    reference: str = ""

    @property
    def date_fr(self) -> str:
        return self.date.strftime("%d/%m/%Y")


def follow_ups(
    procedure_id: str,
    case_path: Path,
    au: dt.date,
    written: Sequence[Path],
    *,
    on: dt.date | None = None,
) -> list[FollowUp]:
    """The events that the documents ``written`` for ``procedure_id`` at date ``au`` call for,
    dated ``on`` (default ``au``), leaving out those the case already records (same type,
    same date)."""
    day = on or au
    from actes.cases.case import load_case
    from actes.documents.render import output_name
    from actes.law.procedures import load_registry

    procedure = load_registry().get(procedure_id)
    if not procedure.events_after_sending:
        return []
    case = load_case(case_path, au=au)
    version = procedure.for_case(case, au)
    names = {path.name for path in written}
    found: list[FollowUp] = []
    for spec in version.documents:
        kind = procedure.events_after_sending.get(spec.id)
        if kind is None or output_name(spec, case.reference) not in names:
            continue
        for reference in _per_claim(kind, case, au) or ("",):
            if any(f.type == kind and f.reference == reference for f in found):
                continue
            if has_event(case.data, kind, day, reference or None):
                continue
            found.append(FollowUp(kind, day, spec.id, reference))
    return found


def _per_claim(kind: str, case: Case, au: dt.date) -> tuple[str, ...]:
    """The claims an event is recorded for, one event each with the claim's reference: a
    relance préventive names every claim it recalls (:mod:`actes.amicable.preventive`);
    ``()`` for an event of the whole case."""
    from actes.amicable.preventive import SENT, reminded_claims

    return reminded_claims(case, au) if kind == SENT else ()


def has_event(data: Any, kind: str, day: dt.date, reference: str | None = None) -> bool:
    """Whether case data ``data`` already records an event ``kind`` on ``day`` (with that
    ``reference``, when one is given)."""
    events = data.get("evenements") if isinstance(data, dict) else None
    return any(
        isinstance(e, dict)
        and e.get("type") == kind
        and str(e.get("date")) == day.isoformat()
        and (reference is None or e.get("reference") == reference)
        for e in events or []
    )


def _has_same(data: Any, event: Mapping[str, Any]) -> bool:
    """Whether case data ``data`` already records an event with exactly these properties."""
    events = data.get("evenements") if isinstance(data, dict) else None
    wanted = {key: str(value) for key, value in event.items()}
    return any(
        isinstance(e, dict) and {key: str(value) for key, value in e.items()} == wanted
        for e in events or []
    )


def record_command(case_path: Path, follow_up: FollowUp) -> str:
    """The command line that records ``follow_up`` in the case."""
    return (
        f"actes evenement ajouter {shlex.quote(str(case_path))} {follow_up.type} "
        f"--le {follow_up.date.isoformat()}"
        + (f" --reference {shlex.quote(follow_up.reference)}" if follow_up.reference else "")
    )


def record_event(
    case_path: Path,
    kind: str,
    day: dt.date,
    *,
    reference: str | None = None,
    au: dt.date | None = None,
    extra: Mapping[str, Any] | None = None,
) -> bool:
    """Append the event ``kind`` dated ``day`` to case file ``case_path``; return False (and
    write nothing) when the case already records the same event on that day (with the same
    ``reference``, when one is given).

    ``extra`` holds the event's other properties (a promise's ``montant``, ``date_promise``,
    ``canal``...); with it, only an event with the very same properties counts as the same,
    so that two promises taken the same day are both recorded, a form sent twice once.

    The case is checked as of ``au`` (default: today), or ``day`` when later.

    Raises :class:`CaseError` when the case, with the event, would not be valid (an unknown
    type, a case already invalid).
    """
    from actes.web.casefile import dump_case

    added = True
    name = case_path.name
    checked_on = max(day, au or dt.date.today())

    def change(text: str) -> str:
        nonlocal added
        data = parse_document(text, name)
        if not isinstance(data, dict):
            raise InputError(f"{name} : le fichier ne contient pas un dossier.")
        event: dict[str, Any] = {"type": kind, "date": day.isoformat()}
        if reference:
            event["reference"] = reference
        event.update(extra or {})
        if has_event(data, kind, day, reference) if extra is None else _has_same(data, event):
            added = False
            return text
        updated = {**data, "evenements": [*data.get("evenements", []), event]}
        problems = issues_of(updated, file=name, folder=case_path.parent, au=checked_on)
        if problems:
            raise CaseError(name, problems)
        return dump_case(updated, case_path, text)

    update_case(case_path, change)
    return added

"""The stage of recovery a case has reached at a date (amiable, plan, judiciaire, execution,
clos), from the case's own data, with its reason in French.

The first rule that holds gives the stage:

1. ``clos``: the case has claims and nothing is due any more (``total_due`` ≤ 0);
2. ``execution``: the case records a ``titre`` dated on or before the date, or an event of the
   stage ``execution``;
3. ``judiciaire``: an event of the stage ``judiciaire`` (a request filed, a court, a
   surendettement commission or a collective procedure);
4. ``plan``: a signed payment plan still runs (:func:`actes.law.conditions.plan_running`: no
   déchéance du terme notified);
5. ``amiable`` otherwise.

Which stage each event type belongs to is data, ``parameters/stages.yaml`` (a firm may overlay
it in its workspace); events dated after the date are ignored. See docs/score.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

from actes._io import load_document
from actes._paths import data_file
from actes.cases.case import Case, Event
from actes.errors import DataIssue, DefinitionError

__all__ = [
    "EVENT_STAGES",
    "STAGES",
    "STAGES_FILE",
    "STAGE_LABELS",
    "EventClass",
    "EventStage",
    "Stage",
    "StageAssessment",
    "StageTable",
    "assess_stage",
    "case_stage",
    "most_advanced",
    "stage_reason",
    "stage_table",
]

Stage = Literal["amiable", "plan", "judiciaire", "execution", "insolvabilite", "clos"]
EventStage = Literal["amiable", "plan", "judiciaire", "execution", "insolvabilite"]

STAGES: tuple[Stage, ...] = get_args(Stage)
EVENT_STAGES: tuple[EventStage, ...] = get_args(EventStage)
STAGE_LABELS: Mapping[Stage, str] = {
    "amiable": "amiable",
    "plan": "plan d'apurement",
    "judiciaire": "judiciaire",
    "execution": "exécution",
    "insolvabilite": "procédure collective ou surendettement",
    "clos": "clos",
}
# From the least to the most advanced, for a debtor's several cases: a closed case says the
# least about the debtor, a case under enforcement the most.
_ADVANCE: Mapping[Stage, int] = {
    "clos": 0,
    "amiable": 1,
    "plan": 2,
    "judiciaire": 3,
    "execution": 4,
    "insolvabilite": 5,
}

STAGES_FILE = "stages.yaml"


@dataclass(frozen=True)
class EventClass:
    """The stage an event type puts a case in, and how a reason names it."""

    stage: EventStage
    label: str


@dataclass(frozen=True)
class StageTable:
    """The event → stage table of ``parameters/stages.yaml`` (or the workspace's copy)."""

    events: Mapping[str, EventClass]
    file: str

    def of(self, event_type: str) -> EventClass:
        found = self.events.get(event_type)
        if found is None:
            raise DefinitionError(
                f"Étape du recouvrement inconnue pour l'événement « {event_type} » ({self.file}).",
                issues=[
                    DataIssue(
                        f"$.evenements.{event_type}", "type d'événement absent", file=self.file
                    )
                ],
                hint=f"ajoutez « {event_type}: {{etape: …, libelle: …}} » à {self.file} "
                "(étape : " + ", ".join(EVENT_STAGES) + ")",
            )
        return found


def stage_table(directory: Path | None = None) -> StageTable:
    """The table in force: ``directory/stages.yaml``, else the active workspace's copy, else
    the shipped one. Read again when the file changes (a firm edits its copy)."""
    path = (directory / STAGES_FILE) if directory else data_file("parameters", STAGES_FILE)
    try:
        info = path.stat()
    except OSError:
        info = None
    return _load_table(
        str(path.absolute()),
        info.st_mtime_ns if info else 0,
        info.st_size if info else -1,
    )


@lru_cache(maxsize=16)
def _load_table(file: str, _mtime_ns: int, _size: int) -> StageTable:
    doc: Any = load_document(Path(file), definition=True)
    raw = doc.get("evenements") if isinstance(doc, Mapping) else None
    if not isinstance(raw, Mapping) or not raw:
        raise DefinitionError(
            f"Fichier de paramètres invalide : {file}",
            issues=[DataIssue("$.evenements", "table des événements absente", file=file)],
            hint="la clé « evenements » (type d'événement → {etape, libelle}) est attendue",
        )
    issues: list[DataIssue] = []
    events: dict[str, EventClass] = {}
    for kind, row in raw.items():
        where = f"$.evenements.{kind}"
        stage = row.get("etape") if isinstance(row, Mapping) else None
        label = row.get("libelle") if isinstance(row, Mapping) else None
        known = next((s for s in EVENT_STAGES if s == stage), None)
        if known is None:
            issues.append(
                DataIssue(
                    f"{where}.etape",
                    f"étape « {stage} » inconnue",
                    "étapes possibles : " + ", ".join(EVENT_STAGES),
                    file=file,
                )
            )
        if not isinstance(label, str) or not label.strip():
            issues.append(DataIssue(f"{where}.libelle", "libellé absent ou vide", file=file))
        elif known is not None:
            events[str(kind)] = EventClass(known, label.strip())
    if issues:
        plural = "s" if len(issues) > 1 else ""
        raise DefinitionError(
            f"Fichier de paramètres invalide : {file} ({len(issues)} problème{plural}).",
            issues=issues,
        )
    return StageTable(events, file)


@dataclass(frozen=True)
class StageAssessment:
    """A case's stage at a date and why, in one French phrase."""

    stage: Stage
    reason: str

    @property
    def label(self) -> str:
        return STAGE_LABELS[self.stage]


def _fr(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _latest(events: Iterable[Event]) -> Event | None:
    # Recorded order breaks ties between events of the same day.
    found = list(events)
    return max(reversed(found), key=lambda e: e.date) if found else None


def assess_stage(
    case: Case, au: dt.date, total_due: Decimal, *, table: StageTable | None = None
) -> StageAssessment:
    """The stage of ``case`` at ``au`` and its reason (see the module docstring).
    ``total_due`` is what the case's décompte says is due at ``au``."""
    if case.creances and total_due <= 0:
        from actes.documents.formatting import format_amount

        surplus = f" (trop-perçu de {format_amount(-total_due)})" if total_due < 0 else ""
        return StageAssessment("clos", f"plus rien n'est dû au {_fr(au)}{surplus}")
    table = table or stage_table()
    known = [e for e in case.evenements if e.date <= au]
    by_stage: dict[EventStage, list[Event]] = {stage: [] for stage in EVENT_STAGES}
    for event in known:
        by_stage[table.of(event.type).stage].append(event)

    def said(event: Event) -> str:
        return f"{table.of(event.type).label} le {_fr(event.date)}"

    # A collective procedure or a surendettement file suspends individual actions (C. com.
    # L622-21, C. conso. L722-2): the creditor's steps are those of that procedure.
    insolvency = _latest(by_stage["insolvabilite"])
    if insolvency is not None:
        return StageAssessment("insolvabilite", said(insolvency))
    raw_title = case.data.get("titre")
    title: Mapping[str, Any] = raw_title if isinstance(raw_title, Mapping) else {}
    title_on = dt.date.fromisoformat(str(title["date"])) if title else None
    enforced = _latest(by_stage["execution"])
    if title_on is not None and title_on <= au:
        from actes.law.title import NATURE_LABELS

        nature = NATURE_LABELS.get(str(title["nature"]), str(title["nature"]))
        reason = f"titre exécutoire du {_fr(title_on)} ({nature})"
        if enforced is not None:
            reason += f" ; dernier acte : {said(enforced)}"
        return StageAssessment("execution", reason)
    if enforced is not None:
        return StageAssessment("execution", said(enforced))
    judicial = _latest(by_stage["judiciaire"])
    if judicial is not None:
        return StageAssessment("judiciaire", said(judicial))
    from actes.law.conditions import acceleration_date, plan_running

    plan = case.data.get("plan")
    if plan_running(case, au):
        if isinstance(plan, Mapping) and plan.get("date_signature"):
            signed = dt.date.fromisoformat(str(plan["date_signature"]))
            name = f" {plan['reference']}" if plan.get("reference") else ""
            return StageAssessment(
                "plan", f"plan d'apurement{name} signé le {_fr(signed)}, en cours"
            )
        signed_event = _latest(by_stage["plan"])
        assert signed_event is not None  # plan_running without a plan block needs the event
        return StageAssessment("plan", said(signed_event))
    reasons = []
    accelerated = acceleration_date(case, au) if isinstance(plan, Mapping) else None
    if accelerated is not None:
        reasons.append(f"déchéance du terme du plan d'apurement notifiée le {_fr(accelerated)}")
    last = _latest(by_stage["amiable"])
    reasons.append(
        f"dernière démarche : {said(last)}" if last is not None else "aucune démarche enregistrée"
    )
    return StageAssessment("amiable", " ; ".join(reasons))


def case_stage(case: Case, au: dt.date, total_due: Decimal) -> Stage:
    """The stage of ``case`` at ``au`` (``total_due``: its décompte's total at ``au``)."""
    return assess_stage(case, au, total_due).stage


def stage_reason(case: Case, au: dt.date, total_due: Decimal) -> str:
    """Why ``case`` is at its stage, in French (« titre exécutoire du 12/03/2026 (jugement) »)."""
    return assess_stage(case, au, total_due).reason


def most_advanced(stages: Iterable[Stage]) -> Stage:
    """The most advanced of ``stages`` (clos < amiable < plan < judiciaire < execution);
    ``clos`` when there is none."""
    return max(stages, key=_ADVANCE.__getitem__, default="clos")

"""The procedure assistant: what the creditor can do next on a case, and why.

Everything is read from the procedure definitions: each procedure is taken in the version its
own dates select; its ``preconditions`` say whether it is available (and, when one fails, the
message, the articles and the procedures to use ``instead``); its ``advice`` entries whose
``when`` holds are the advice; its ``documents`` whose ``when`` holds are what would render;
its ``deadlines`` give the next deadline and the warnings (a blocking deadline missed, such as
an ordonnance not served in time). The one recommended step is chosen by the rule declared in
``parameters/assistant.yaml`` (sources ``conseil`` → ``suite`` → ``priorite``); see
``docs/assistant.md``. No procedure id appears in this module.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from actes._io import load_document
from actes._paths import data_file
from actes.cases.case import Case
from actes.errors import (
    ActesError,
    DefinitionError,
    IncompleteCase,
    NoVersionInForce,
    RateMissing,
)
from actes.law.calendar import long_date
from actes.law.conditions import ConditionContext, evaluate, plan_running
from actes.law.court import CourtAdvice, competent_court
from actes.law.procedures import (
    DocumentSpec,
    Precondition,
    Procedure,
    ProcedureVersion,
    Registry,
    load_registry,
)
from actes.law.timeline import (
    CaseDeadline,
    is_prescribed,
    prescription_deadlines,
    version_deadlines,
)

__all__ = [
    "Advice",
    "Alert",
    "Assessment",
    "AvailableStep",
    "BlockedStep",
    "DocumentToRender",
    "PlanFollowUp",
    "Recommendation",
    "next_steps",
    "render_command",
]

# Timeline statuses → the two answers the condition vocabulary knows (deadline_missed,
# deadline_running). A deadline fulfilled in time ("accompli") is neither.
_CONDITION_STATUS = {"depasse": "missed", "a_venir": "running", "aujourd_hui": "running"}
_UPCOMING = ("a_venir", "aujourd_hui")
_SOURCES = ("conseil", "suite", "priorite")


@dataclass(frozen=True)
class DocumentToRender:
    id: str
    title: str
    output: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "titre": self.title, "fichier": self.output}


@dataclass(frozen=True)
class AvailableStep:
    """A procedure whose preconditions all hold at the reference date."""

    procedure_id: str
    title: str
    version: ProcedureVersion
    selection_date: dt.date
    selection_reason: str
    next_deadline: CaseDeadline | None
    deadlines: tuple[CaseDeadline, ...]
    documents: tuple[DocumentToRender, ...]
    command: str
    grounds: tuple[tuple[str, tuple[str, ...]], ...]
    court: CourtAdvice | None = None
    # What ``actes render`` still asks for before it renders (empty: it renders as is).
    to_complete: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "procedure": self.procedure_id,
            "a_completer": self.to_complete,
            "titre": self.title,
            "version": self.version.version,
            "version_titre": self.version.title,
            "version_choisie_par": {"date": self.selection_date, "motif": self.selection_reason},
            "prochain_delai": _deadline_dict(self.next_deadline),
            "delais": [_deadline_dict(d) for d in self.deadlines],
            "documents": [d.as_dict() for d in self.documents],
            "commande": self.command,
            "conditions_remplies": [
                {"id": pid, "fondement": list(basis)} for pid, basis in self.grounds
            ],
            "juridiction": self.court.as_dict() if self.court else None,
        }


@dataclass(frozen=True)
class BlockedStep:
    """One failed precondition of a procedure: why it cannot be used, what to use instead."""

    procedure_id: str
    title: str
    version: int | None
    precondition_id: str
    message: str
    legal_basis: tuple[str, ...]
    instead: tuple[str, ...] = ()
    facts: tuple[CaseDeadline, ...] = ()
    court: CourtAdvice | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "procedure": self.procedure_id,
            "titre": self.title,
            "version": self.version,
            "condition": self.precondition_id,
            "message": self.message,
            "fondement": list(self.legal_basis),
            "plutot": list(self.instead),
            "faits": [_deadline_dict(d) for d in self.facts],
            "juridiction": self.court.as_dict() if self.court else None,
        }


@dataclass(frozen=True)
class Advice:
    """An ``advice`` entry whose condition holds, with the procedures that give it."""

    text: str
    legal_basis: tuple[str, ...]
    action: str | None
    procedures: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "texte": self.text,
            "fondement": list(self.legal_basis),
            "action": self.action,
            "procedures": list(self.procedures),
        }


@dataclass(frozen=True)
class Alert:
    """Something already lost or about to be: a blocking deadline missed, prescription."""

    kind: str
    message: str
    date: dt.date
    legal_basis: tuple[str, ...]
    procedure_id: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "message": self.message,
            "date": self.date,
            "fondement": list(self.legal_basis),
            "procedure": self.procedure_id,
        }


@dataclass(frozen=True)
class Recommendation:
    """The one next step, with the rule of ``parameters/assistant.yaml`` that chose it."""

    rule: str
    procedure_id: str
    title: str
    version: int
    reason: str
    action: str | None
    documents: tuple[DocumentToRender, ...]
    deadline: CaseDeadline | None
    command: str
    legal_basis: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "regle": self.rule,
            "procedure": self.procedure_id,
            "titre": self.title,
            "version": self.version,
            "motif": self.reason,
            "action": self.action,
            "documents": [d.as_dict() for d in self.documents],
            "delai": _deadline_dict(self.deadline),
            "commande": self.command,
            "fondement": list(self.legal_basis),
        }


@dataclass(frozen=True)
class PlanFollowUp:
    """The signed payment plan of the case and its next step (``actes plan status``).

    While it runs (no déchéance du terme notified), only its follow-up is offered: the
    instalment reminder and the mise en demeure before acceleration (``actes plan lettre``).
    """

    reference: str
    running: bool
    action: str
    label: str
    date: dt.date | None
    legal_basis: str
    letter: str | None
    command: str
    arrears: str
    balance: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.reference,
            "en_cours": self.running,
            "action": self.action,
            "libelle": self.label,
            "date": self.date,
            "fondement": self.legal_basis,
            "lettre": self.letter,
            "commande": self.command,
            "arriere": self.arrears,
            "solde": self.balance,
        }


@dataclass(frozen=True)
class Assessment:
    """What ``actes next`` says about a case at a reference date."""

    reference: str
    au: dt.date
    recommended: Recommendation | None
    available: tuple[AvailableStep, ...]
    blocked: tuple[BlockedStep, ...]
    advice: tuple[Advice, ...]
    warnings: tuple[Alert, ...]
    court: CourtAdvice | None
    plan: PlanFollowUp | None = None

    def step(self, procedure_id: str) -> AvailableStep | None:
        return next((s for s in self.available if s.procedure_id == procedure_id), None)

    def blocked_for(self, procedure_id: str) -> tuple[BlockedStep, ...]:
        return tuple(b for b in self.blocked if b.procedure_id == procedure_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dossier": self.reference,
            "au": self.au,
            "recommande": self.recommended.as_dict() if self.recommended else None,
            "disponibles": [s.as_dict() for s in self.available],
            "bloquees": [b.as_dict() for b in self.blocked],
            "conseils": [a.as_dict() for a in self.advice],
            "avertissements": [w.as_dict() for w in self.warnings],
            "juridiction": self.court.as_dict() if self.court else None,
            "suivi_plan": self.plan.as_dict() if self.plan else None,
        }


@dataclass
class _State:
    """One procedure evaluated on the case."""

    procedure: Procedure
    rank: tuple[int, int]
    version: ProcedureVersion | None = None
    no_version: NoVersionInForce | None = None
    deadlines: dict[str, CaseDeadline] = field(default_factory=dict)
    ctx: ConditionContext | None = None
    failed: list[Precondition] = field(default_factory=list)
    passed: list[Precondition] = field(default_factory=list)
    court: CourtAdvice | None = None
    # Why ``actes render`` refuses the procedure for this kind of case although the
    # preconditions hold (a court of another nature named in the case, the plan document
    # without a plan): the step is then blocked, not offered.
    unrenderable: ActesError | None = None
    # What ``actes render`` would still ask for (data the templates need, the court to
    # name): the step stays offered, with what to complete first.
    to_complete: ActesError | None = None

    @property
    def available(self) -> bool:
        return self.version is not None and not self.failed and self.unrenderable is None

    def holds(self, condition: Mapping[str, Any] | None) -> bool:
        assert self.ctx is not None
        return condition is None or evaluate(condition, self.ctx)

    def documents(self) -> tuple[DocumentToRender, ...]:
        assert self.version is not None
        return tuple(_document(d, self.ctx) for d in self.version.documents if self.holds(d.when))

    def next_deadline(self) -> CaseDeadline | None:
        upcoming = [d for d in self.deadlines.values() if d.status in _UPCOMING]
        return min(upcoming, key=lambda d: (d.date_limite, d.label)) if upcoming else None


@dataclass(frozen=True)
class _Candidate:
    state: _State
    reason: str
    action: str | None
    documents: tuple[DocumentToRender, ...]
    deadline: CaseDeadline | None
    legal_basis: tuple[str, ...]
    own: bool = True


@dataclass(frozen=True)
class _ActionRule:
    """An advice action ranked before the others (``actions_prioritaires``), with the note
    the recommendation adds to its reason."""

    action: str
    note: str = ""
    legal_basis: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Rules:
    sources: tuple[str, ...]
    priority: tuple[str, ...]
    actions: tuple[_ActionRule, ...] = ()

    def action_rank(self, action: str | None) -> int:
        """Position of ``action`` in ``actions_prioritaires``; unlisted actions come after."""
        ranks = [i for i, rule in enumerate(self.actions) if rule.action == action]
        return ranks[0] if ranks else len(self.actions)


def next_steps(case: Case, au: dt.date, registry: Registry | None = None) -> Assessment:
    """Assess ``case`` at ``au``: available and blocked procedures, advice, warnings, court,
    and the recommended next step."""
    registry = registry or load_registry()
    rules = _rules(tuple(registry.ids()))
    prescribed = is_prescribed(case, au)
    states = [_evaluate(p, case, au, prescribed, rules) for p in registry]
    for state in states:
        if state.available:
            _check_rendering(state, case, au)
    states.sort(key=lambda s: s.rank)
    available = [s for s in states if s.available]
    steps = tuple(_available_step(s, case, au) for s in available)
    recommended = _recommend(available, states, rules, case, au)
    follow_up = _plan_follow_up(case, au)
    if follow_up is not None and follow_up.running:
        # The plan binds the creditor: its own follow-up is the next step (the relances,
        # mises en demeure and requêtes are ruled out by their preconditions).
        recommended = _plan_recommendation(follow_up, registry, case, au) or recommended
    # The court of the recommended step, else of the best ranked available procedure that
    # goes before a court (the injonction de payer family).
    courts = [s.court for s in steps if s.court is not None]
    if recommended is not None:
        courts = [c for c in courts if c.procedure_id == recommended.procedure_id] + courts
    return Assessment(
        reference=case.reference,
        au=au,
        recommended=recommended,
        available=steps,
        blocked=tuple(b for s in states for b in _blocked_steps(s, case, au)),
        advice=_advice(available),
        warnings=(
            *_deadline_alerts(states),
            *_prescription_alerts(case, au),
            *grouped_instalment_alerts(case),
        ),
        court=courts[0] if courts else None,
        plan=follow_up,
    )


def _plan_follow_up(case: Case, au: dt.date) -> PlanFollowUp | None:
    """The plan block's status at ``au`` (None without a signed plan, or one that cannot be
    read: ``actes plan status`` reports why)."""
    from actes.amicable.plan import letter_command, plan_status
    from actes.documents.formatting import format_amount

    raw = case.data.get("plan")
    if not raw or dt.date.fromisoformat(str(raw["date_signature"])) > au:
        return None
    try:
        status = plan_status(case, au)
    except ActesError:
        return None
    action = status.action
    return PlanFollowUp(
        reference=status.plan.reference,
        running=plan_running(case, au),
        action=action.code,
        label=action.libelle,
        date=action.date,
        legal_basis=action.fondement,
        letter=action.lettre,
        command=letter_command(case, au) if action.lettre else "",
        arrears=format_amount(status.arrears),
        balance=format_amount(status.balance),
    )


def _plan_recommendation(
    follow_up: PlanFollowUp, registry: Registry, case: Case, au: dt.date
) -> Recommendation | None:
    from actes.amicable.plan import LETTER_TITLES, PLAN_PROCEDURE

    if PLAN_PROCEDURE not in registry.ids():
        return None
    procedure = registry.get(PLAN_PROCEDURE)
    try:
        version = procedure.for_case(case, au)
    except NoVersionInForce:
        return None
    letter = follow_up.letter
    documents = (
        (DocumentToRender(letter, LETTER_TITLES[letter], "(actes plan lettre)"),) if letter else ()
    )
    basis = tuple(b.strip() for b in follow_up.legal_basis.split(";") if b.strip())
    return Recommendation(
        rule="suivi_plan",
        procedure_id=procedure.id,
        title=procedure.title,
        version=version.version,
        reason=f"plan d'apurement {follow_up.reference} en cours, sans déchéance du terme "
        f"notifiée : seules les échéances impayées sont exigibles. {follow_up.label}",
        action=letter or follow_up.action,
        documents=documents,
        deadline=None,
        command=follow_up.command,
        legal_basis=basis or ("C. civ. art. 1103", "C. civ. art. 1305-3"),
    )


def render_command(procedure_id: str, case: Case, au: dt.date) -> str:
    """The command that renders the documents of ``procedure_id`` for the case."""
    path = shlex.quote(str(case.path)) if case.path else "dossier.yaml"
    return f"actes render {procedure_id} {path} -o out/ --date {au.isoformat()}"


def _evaluate(
    procedure: Procedure, case: Case, au: dt.date, prescribed: bool, rules: _Rules
) -> _State:
    priority = (
        rules.priority.index(procedure.id)
        if procedure.id in rules.priority
        else len(rules.priority)
    )
    state = _State(procedure=procedure, rank=(1, priority))
    try:
        version = procedure.for_case(case, au)
    except NoVersionInForce as error:
        state.no_version = error
        return state
    state.version = version
    state.deadlines = {d.id: d for d in version_deadlines(version, case, au)}

    def lookup(deadline_id: str) -> str | None:
        found = state.deadlines.get(deadline_id)
        return _CONDITION_STATUS.get(found.status) if found else None

    state.ctx = ConditionContext(
        case=case, au=au, deadline_status=lookup, prescribed=lambda: prescribed
    )
    for precondition in version.preconditions:
        (state.passed if state.holds(precondition.require) else state.failed).append(precondition)
    if version.court:
        state.court = competent_court(version, case)
        # The court named in the case file first, then unknown, then another court.
        match = {True: 0, None: 1, False: 2}[state.court.matches_case]
        state.rank = (match, priority)
    return state


def _available_step(state: _State, case: Case, au: dt.date) -> AvailableStep:
    assert state.version is not None
    day, reason = state.procedure.selection_date(case, au)
    return AvailableStep(
        procedure_id=state.procedure.id,
        title=state.procedure.title,
        version=state.version,
        selection_date=day,
        selection_reason=reason,
        next_deadline=state.next_deadline(),
        deadlines=tuple(sorted(state.deadlines.values(), key=lambda d: (d.date_limite, d.id))),
        documents=state.documents(),
        command=render_command(state.procedure.id, case, au),
        grounds=tuple((p.id, p.legal_basis) for p in state.passed),
        court=state.court,
        to_complete=state.to_complete.format() if state.to_complete is not None else "",
    )


def _blocked_steps(state: _State, case: Case, au: dt.date) -> Iterator[BlockedStep]:
    if state.no_version is not None:
        yield BlockedStep(
            procedure_id=state.procedure.id,
            title=state.procedure.title,
            version=None,
            precondition_id="version_en_vigueur",
            message=f"{state.no_version.message} ({state.no_version.hint})",
            legal_basis=(),
        )
        return
    assert state.version is not None
    if state.unrenderable is not None:
        error = state.unrenderable
        hint = _render_hint(state.procedure.id, case, error)
        yield BlockedStep(
            procedure_id=state.procedure.id,
            title=state.procedure.title,
            version=state.version.version,
            precondition_id="rendu_impossible",
            message=f"{error.message} — {hint}" if hint else error.message,
            legal_basis=state.court.legal_basis
            if state.court is not None and state.court.matches_case is False
            else (),
            court=state.court,
        )
    for precondition in state.failed:
        yield BlockedStep(
            procedure_id=state.procedure.id,
            title=state.procedure.title,
            version=state.version.version,
            precondition_id=precondition.id,
            message=precondition.message,
            legal_basis=precondition.legal_basis,
            instead=precondition.instead,
            facts=tuple(_facts(precondition.require, state, case, au)),
            court=state.court,
        )


def _check_rendering(state: _State, case: Case, au: dt.date) -> None:
    """What ``actes render`` would say of a procedure whose preconditions hold.

    Blocked (``unrenderable``): the court named in the case is not of the procedure's
    nature (a tribunal de commerce named for a claim between traders rules out the tribunal
    judiciaire, C. com. art. L721-3), or the plan document is asked for a case without a
    plan. Offered with what to complete (``to_complete``): any other refusal of the same
    checks as rendering (:func:`actes.documents.render.plan_documents`: the data the
    templates need), run without writing anything. A rate not yet recorded for the period is
    neither: rates are published each semester and ``actes render`` names the one to record.
    """
    from actes.amicable.plan import PLAN_PROCEDURE
    from actes.documents.render import plan_documents

    court = state.court
    if court is not None and court.matches_case is False:
        state.unrenderable = IncompleteCase(
            f"La juridiction du dossier ne convient pas à « {state.procedure.id} » : "
            + (" ".join(court.notes) or court.explanation)
        )
        return
    if state.procedure.id == PLAN_PROCEDURE and not case.data.get("plan"):
        state.unrenderable = IncompleteCase(
            "Le dossier ne contient pas de plan d'apurement (bloc « plan ») : le protocole "
            "reproduit l'échéancier convenu avec le débiteur."
        )
        return
    try:
        plan_documents(state.procedure.id, case, au)
    except RateMissing:
        return
    except ActesError as error:
        state.to_complete = error


def _render_hint(procedure_id: str, case: Case, error: ActesError) -> str:
    """How to unblock a step ``actes render`` refuses: for the payment plan document without
    a ``plan`` block, propose a schedule first (``actes plan propose``)."""
    from actes.amicable.plan import PLAN_PROCEDURE

    if procedure_id == PLAN_PROCEDURE and not case.data.get("plan"):
        # Checked first by _render_problem: the error is the missing plan block.
        path = shlex.quote(str(case.path)) if case.path else "dossier.yaml"
        return (
            "aucun plan au dossier : proposez un échéancier (« actes plan propose "
            f"{path} »), puis, une fois accepté par le débiteur, ajoutez au dossier le bloc "
            "« plan » (échéances, date de signature)"
        )
    return error.hint


# Claim labels that group several instalments in one claim (« 4 échéances », « Échéances
# impayées d'avril à juillet »): interest would run from the first due date on all of them.
_GROUPED_INSTALMENTS = re.compile(
    r"\b(?:\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix)\s+(?:échéances|mensualités)\b"
    r"|\b(?:échéances|mensualités)\s+(?:impayées\s+)?(?:de\s|d'|du\s)",
    re.IGNORECASE,
)


def grouped_instalment_alerts(case: Case) -> tuple[Alert, ...]:
    """A warning for each claim that groups several instalments under one due date.

    Each instalment of a loan is due on its own date and bears interest from then (C. civ.
    art. 1231-6; for a consumer credit, C. conso. art. L312-39): one claim for « 4 échéances »
    dated on the first of them claims interest on the three others before they were due, which
    the juge des contentieux de la protection and the commission de surendettement check of
    their own motion. Enter one claim per instalment.
    """
    alerts = []
    for claim in case.creances:
        label = claim.libelle
        if claim.nature not in ("echeance_pret", "loyer") or not _GROUPED_INSTALMENTS.search(
            label
        ):
            continue
        alerts.append(
            Alert(
                kind="echeances_groupees",
                message=(
                    f"La créance {claim.reference} (« {label} ») regroupe plusieurs échéances "
                    f"sous une seule date d'échéance ({long_date(claim.date_echeance)}) : les "
                    "intérêts courraient sur toutes dès la première. Saisissez une créance par "
                    "échéance, chacune à sa date."
                ),
                date=claim.date_echeance,
                legal_basis=("C. civ. art. 1231-6", "C. conso. art. L312-39"),
                procedure_id="creances",
            )
        )
    return tuple(alerts)


def _facts(
    condition: Mapping[str, Any], state: _State, case: Case, au: dt.date
) -> Iterator[CaseDeadline]:
    """The dated facts a condition rests on: the deadlines it names, the limitation dates."""
    for key, value in condition.items():
        if key in ("all", "any"):
            for item in value:
                yield from _facts(item, state, case, au)
        elif key == "not":
            yield from _facts(value, state, case, au)
        elif key in ("deadline_missed", "deadline_running") and value in state.deadlines:
            yield state.deadlines[value]
        elif key == "not_prescribed":
            yield from (d for d in prescription_deadlines(case, au) if d.missed)


def _advice(available: Sequence[_State]) -> tuple[Advice, ...]:
    found: dict[tuple[str, str | None], Advice] = {}
    for state in available:
        assert state.version is not None
        for entry in state.version.advice:
            if not state.holds(entry["when"]):
                continue
            key = (str(entry["text"]), entry.get("action"))
            known = found.get(key)
            procedures = (
                (*known.procedures, state.procedure.id) if known else (state.procedure.id,)
            )
            found[key] = Advice(
                text=key[0],
                legal_basis=tuple(entry.get("legal_basis", ())),
                action=key[1],
                procedures=procedures,
            )
    return tuple(found.values())


def _recommend(
    available: Sequence[_State],
    states: Sequence[_State],
    rules: _Rules,
    case: Case,
    au: dt.date,
) -> Recommendation | None:
    producers = {
        "conseil": _from_advice,
        "suite": _from_links,
        "priorite": _from_priority,
    }
    for source in rules.sources:
        candidates = list(producers[source](available, states))
        if candidates:
            # The actions listed in assistant.yaml first (after a title, the measure that
            # fits what is known of the debtor before the generic letter of the court that
            # issued it), then the best ranked procedure; for equal procedures, the reason it
            # gives itself first.
            best = min(
                candidates,
                key=lambda c: (rules.action_rank(c.action), c.state.rank, not c.own),
            )
            assert best.state.version is not None
            listed = [r for r in rules.actions if r.action == best.action and r.note]
            reason = best.reason + "".join(f" {r.note}" for r in listed)
            basis = (*best.legal_basis, *(b for r in listed for b in r.legal_basis))
            return Recommendation(
                rule=source,
                procedure_id=best.state.procedure.id,
                title=best.state.procedure.title,
                version=best.state.version.version,
                reason=reason,
                action=best.action,
                documents=best.documents,
                deadline=best.deadline,
                command=render_command(best.state.procedure.id, case, au)
                if best.documents
                else "",
                legal_basis=tuple(dict.fromkeys(basis)),
            )
    return None


def _from_advice(available: Sequence[_State], _: Sequence[_State]) -> Iterator[_Candidate]:
    """Advice entries that hold and name an action, resolved to a document or a deadline."""
    for state in available:
        assert state.version is not None
        for entry in state.version.advice:
            action = entry.get("action")
            if not action or not state.holds(entry["when"]):
                continue
            reason = f"conseil de « {state.procedure.id} » : {entry['text']}"
            basis = tuple(entry.get("legal_basis", ()))
            target = _resolve(str(action), state, available)
            if target is not None:
                owner, documents, deadline = target
                yield _Candidate(
                    owner, reason, str(action), documents, deadline, basis, owner is state
                )


def _resolve(
    action: str, state: _State, available: Sequence[_State]
) -> tuple[_State, tuple[DocumentToRender, ...], CaseDeadline | None] | None:
    """An action names a document of the version, a deadline of the version, or a document of
    another available procedure (« mise_en_demeure » → the notice that fits the debtor)."""
    assert state.version is not None
    rendered = state.documents()
    own = [d for d in rendered if d.id == action]
    if own:
        return state, tuple(own), state.next_deadline()
    if any(rule.id == action for rule in state.version.deadlines):
        # An act to do before a deadline (ask the greffe, file a request): no template.
        return state, (), state.deadlines.get(action)
    for other in available:
        assert other.version is not None
        if any(d.id == action for d in other.version.documents):
            documents = other.documents()
            exact = tuple(d for d in documents if d.id == action)
            return other, exact or documents, other.next_deadline()
    return None


def _from_links(available: Sequence[_State], states: Sequence[_State]) -> Iterator[_Candidate]:
    """``leads_to`` links whose ``after`` deadline has passed, towards available procedures."""
    by_id = {s.procedure.id: s for s in available}
    for state in states:
        if state.version is None or not _fits(state):
            continue
        for link in state.version.leads_to:
            passed = state.deadlines.get(link.after) if link.after else None
            target = by_id.get(link.procedure)
            if passed is None or passed.status != "depasse" or target is None:
                continue
            reason = (
                f"suite de « {state.procedure.id} » après « {passed.label} » "
                f"(dernier jour le {passed.date_limite.isoformat()}) : {link.when}"
            )
            yield _Candidate(
                target,
                reason,
                None,
                target.documents(),
                target.next_deadline(),
                passed.legal_basis,
            )


def _from_priority(available: Sequence[_State], _: Sequence[_State]) -> Iterator[_Candidate]:
    for state in available:
        yield _Candidate(
            state,
            "aucun conseil ni aucune suite ne s'applique : première procédure disponible dans "
            "l'ordre de priorité (parameters/assistant.yaml)",
            None,
            state.documents(),
            state.next_deadline(),
            (),
        )


def _fits(state: _State) -> bool:
    """False when a failed precondition sends the case to another procedure (``instead``):
    the procedure does not fit this kind of case (a consumer debtor for the B2B notice), so
    its deadlines and links, started by shared events, say nothing about the case."""
    return not any(p.instead for p in state.failed)


def _deadline_alerts(states: Sequence[_State]) -> Iterator[Alert]:
    """Blocking deadlines missed, once each, from the procedures that fit the case.

    A procedure that does not fit the case (:func:`_fits`), or whose court is not the court
    named in the case file, is not the one in progress; the others share events (the three
    injonction de payer courts), so each deadline is reported once, from the best ranked
    procedure.
    """
    seen: set[tuple[str, dt.date, str]] = set()
    for state in states:
        if state.version is None or not _fits(state):
            continue
        if state.court is not None and state.court.matches_case is False:
            continue
        for deadline in sorted(state.deadlines.values(), key=lambda d: d.date_limite):
            key = (deadline.id, deadline.date_limite, deadline.label)
            if not deadline.blocking or deadline.status != "depasse" or key in seen:
                continue
            seen.add(key)
            yield Alert(
                kind="delai_depasse",
                message=(
                    f"{deadline.label} : délai dépassé (dernier jour le "
                    f"{long_date(deadline.date_limite)}). {deadline.consequence}"
                ),
                date=deadline.date_limite,
                legal_basis=deadline.legal_basis,
                procedure_id=state.procedure.id,
            )


def _prescription_alerts(case: Case, au: dt.date) -> Iterator[Alert]:
    for deadline in prescription_deadlines(case, au):
        if deadline.missed:
            yield Alert(
                kind="prescription_acquise",
                message=(
                    f"{deadline.label} : prescription acquise (dernier jour pour agir le "
                    f"{long_date(deadline.date_limite)}). {deadline.consequence}"
                ),
                date=deadline.date_limite,
                legal_basis=deadline.legal_basis,
                procedure_id=deadline.procedure_id,
            )
        elif deadline.warnings:
            yield Alert(
                kind="prescription_proche",
                message=(
                    f"{deadline.label} : dernier jour pour agir le "
                    f"{long_date(deadline.date_limite)}. {' '.join(deadline.warnings)}"
                ),
                date=deadline.date_limite,
                legal_basis=deadline.legal_basis,
                procedure_id=deadline.procedure_id,
            )


def _document(spec: DocumentSpec, ctx: ConditionContext | None) -> DocumentToRender:
    reference = ctx.case.reference if ctx else ""
    return DocumentToRender(
        id=spec.id, title=spec.title, output=spec.output.replace("{reference}", reference)
    )


def _deadline_dict(deadline: CaseDeadline | None) -> dict[str, Any] | None:
    if deadline is None:
        return None
    return {
        "procedure": deadline.procedure_id,
        "id": deadline.id,
        "libelle": deadline.label,
        "date_limite": deadline.date_limite,
        "statut": deadline.status,
        "jours_restants": deadline.days_left,
        "partie": deadline.party,
        "fondement": list(deadline.legal_basis),
        "consequence": deadline.consequence,
    }


def _rules(known: tuple[str, ...]) -> _Rules:
    rules = _load_rules()
    unknown = [pid for pid in rules.priority if pid not in known]
    if unknown:
        raise DefinitionError(
            f"parameters/assistant.yaml : « priorite » cite des procédures inconnues : "
            f"{', '.join(unknown)}.",
            hint=f"procédures connues : {', '.join(known)}",
        )
    return rules


def _load_rules() -> _Rules:
    return _rules_at(data_file("parameters", "assistant.yaml"))


@cache
def _rules_at(path: Path) -> _Rules:
    raw = load_document(path, definition=True)
    sources = tuple(str(s) for s in raw.get("sources", ()))
    priority = tuple(str(p) for p in raw.get("priorite", ()))
    bad = [s for s in sources if s not in _SOURCES]
    if not sources or bad:
        raise DefinitionError(
            f"{path} : « sources » doit lister des sources parmi {', '.join(_SOURCES)} "
            f"(trouvé : {', '.join(sources) or 'rien'}).",
        )
    return _Rules(sources=sources, priority=priority, actions=_action_rules(path, raw))


def _action_rules(path: Path, raw: Mapping[str, Any]) -> tuple[_ActionRule, ...]:
    """``actions_prioritaires``: entries ``{action, note?, fondement?}``, each action once."""
    items = raw.get("actions_prioritaires", [])
    rules: list[_ActionRule] = []
    for index, item in enumerate(items if isinstance(items, list) else [None]):
        where = f"{path} : actions_prioritaires[{index}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("action"), str):
            raise DefinitionError(
                f"{where} : une entrée « action: <id> » est attendue.",
                hint="exemple : - action: requisition_saisie_attribution",
            )
        unknown = set(item) - {"action", "note", "fondement"}
        basis = item.get("fondement", [])
        if unknown or not isinstance(item.get("note", ""), str) or not isinstance(basis, list):
            raise DefinitionError(
                f"{where} : clés permises « action », « note » (texte) et « fondement » "
                f"(liste){f' ; clés inconnues : {sorted(unknown)}' if unknown else ''}.",
            )
        if any(rule.action == item["action"] for rule in rules):
            raise DefinitionError(f"{where} : l'action « {item['action']} » figure deux fois.")
        rules.append(
            _ActionRule(
                action=item["action"],
                note=str(item.get("note", "")).strip(),
                legal_basis=tuple(str(b) for b in basis),
            )
        )
    return tuple(rules)

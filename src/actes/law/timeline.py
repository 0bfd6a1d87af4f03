"""The deadlines of one case: every rule of the procedure definitions whose starting event is
in the case, computed on the court's calendar with the distance extensions, plus the
limitation date of each claim (``parameters/prescription.yaml``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from actes._io import load_document
from actes._paths import data_file
from actes.cases.case import Case, Claim, Event, Party
from actes.documents.formatting import format_date_long
from actes.errors import NoVersionInForce, UsageProblem
from actes.law.calendar import calendar_for, departement_from_postal_code, is_overseas
from actes.law.conditions import ConditionContext, evaluate
from actes.law.deadlines import (
    DeadlineResult,
    Duration,
    Extension,
    compute_deadline,
    days_left,
    distance_extension,
    status,
)
from actes.law.procedures import DeadlineRule, Procedure, ProcedureVersion, Registry, load_registry

__all__ = [
    "CaseDeadline",
    "case_deadlines",
    "court_departement",
    "is_prescribed",
    "prescription_deadlines",
    "version_deadlines",
]


@dataclass(frozen=True)
class CaseDeadline:
    """A deadline of the case, with its status at the reference date."""

    procedure_id: str
    procedure_version: int
    id: str
    label: str
    party: str
    legal_basis: tuple[str, ...]
    consequence: str
    blocking: bool
    result: DeadlineResult
    status: str
    days_left: int
    start_event: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def date_limite(self) -> dt.date:
        return self.result.date_limite

    @property
    def trace(self) -> tuple[str, ...]:
        return self.result.trace

    @property
    def missed(self) -> bool:
        """Past its last day without the act that fulfils it."""
        return self.status == "depasse"

    def as_dict(self) -> dict[str, Any]:
        return {
            "procedure": self.procedure_id,
            "version": self.procedure_version,
            "id": self.id,
            "libelle": self.label,
            "partie": self.party,
            "evenement_depart": self.start_event,
            "date_limite": self.date_limite.isoformat(),
            "jours_restants": self.days_left,
            "statut": self.status,
            "bloquant": self.blocking,
            "consequence": self.consequence,
            "fondement": list(self.result.fondement),
            "avertissements": list(self.warnings),
            "calcul": self.result.as_dict(),
        }


def court_departement(case: Case, version: ProcedureVersion | None = None) -> str | None:
    """Département of the court whose calendar applies (None: metropolitan, unknown)."""
    declared = case.data.get("juridiction", {}).get("departement")
    if declared:
        return str(declared)
    for event in case.evenements:
        court = event.get("juridiction") or {}
        if court.get("departement"):
            return str(court["departement"])
    territory = (version.court.get("territory") if version else None) or "domicile_debiteur"
    if (
        territory in ("domicile_debiteur", "commission_du_domicile")
        and case.debiteur.country == "FR"
    ):
        return departement_from_postal_code(case.debiteur.adresse.code_postal)
    if case.creancier.country == "FR":
        return departement_from_postal_code(case.creancier.adresse.code_postal)
    return None


def _residence(party: Party) -> tuple[str, str | None]:
    if party.country != "FR":
        return "etranger", None
    dep = departement_from_postal_code(party.adresse.code_postal)
    return ("outre-mer" if is_overseas(dep) else "metropole"), dep


def version_deadlines(version: ProcedureVersion, case: Case, au: dt.date) -> list[CaseDeadline]:
    """Every deadline of ``version`` that the case's events have started."""
    court = court_departement(case, version)
    calendar = calendar_for(court)
    computed: dict[str, CaseDeadline] = {}

    def lookup(rule_id: str) -> str | None:
        found = computed.get(rule_id)
        if found is None:
            return None
        return "missed" if found.missed else "running"

    ctx = ConditionContext(
        case=case, au=au, deadline_status=lookup, prescribed=lambda: is_prescribed(case, au)
    )
    # Rules may start at the end of another rule: resolve in dependency order.
    pending = list(version.deadlines)
    for _ in range(len(pending) + 1):
        progressed = False
        for rule in list(pending):
            if rule.start_after and rule.start_after not in computed:
                if not _could_start(rule.start_after, version, case):
                    pending.remove(rule)
                continue
            pending.remove(rule)
            progressed = True
            deadline = _compute_rule(version, rule, case, au, court, calendar, computed)
            if deadline is not None and (rule.when is None or evaluate(rule.when, ctx)):
                computed[rule.id] = deadline
        if not progressed:
            break
    return list(computed.values())


def _could_start(rule_id: str, version: ProcedureVersion, case: Case) -> bool:
    try:
        rule = version.deadline(rule_id)
    except KeyError:
        return False
    if rule.start_event:
        return case.has(rule.start_event)
    return rule.start_after is not None and _could_start(rule.start_after, version, case)


def _compute_rule(
    version: ProcedureVersion,
    rule: DeadlineRule,
    case: Case,
    au: dt.date,
    court: str | None,
    calendar: Any,
    computed: Mapping[str, CaseDeadline],
) -> CaseDeadline | None:
    if rule.start_after:
        start = computed[rule.start_after].date_limite
        start_label = f"fin du délai « {computed[rule.start_after].label} »"
    else:
        event = _start_event(case, rule)
        if event is None:
            return None
        start, start_label = event.date, str(rule.start_event)
    duration = Duration.parse(rule.duration)
    if rule.duration_parameter and rule.duration_parameter in case.parametres:
        duration = Duration(int(case.parametres[rule.duration_parameter]), "jours")
    extension = _extension(rule, case, court)
    result = compute_deadline(
        start,
        duration,
        calendar,
        extension=extension,
        counting=rule.counting,  # type: ignore[arg-type]
        basis=rule.legal_basis,
    )
    state = _status(result.date_limite, au)
    if rule.met_by:
        done = case.event(rule.met_by)
        if done is not None and done.date <= result.date_limite:
            state = "accompli"
    return CaseDeadline(
        procedure_id=version.procedure_id,
        procedure_version=version.version,
        id=rule.id,
        label=rule.label,
        party=rule.party,
        legal_basis=rule.legal_basis,
        consequence=rule.consequence,
        blocking=rule.blocking,
        result=result,
        status=state,
        days_left=days_left(result.date_limite, au),
        start_event=start_label,
    )


def _status(limit: dt.date, au: dt.date) -> str:
    return status(limit, au)


def _start_event(case: Case, rule: DeadlineRule) -> Event | None:
    candidates = [
        e
        for e in case.events(str(rule.start_event))
        if all(e.get(k) == v for k, v in rule.start_where.items())
    ]
    return min(candidates, key=lambda e: e.date) if candidates else None


def _extension(rule: DeadlineRule, case: Case, court: str | None) -> Extension | None:
    if rule.distance == "aucune":
        return None
    # CPC 643/644 protect the person who must act (the debtor opposing); R622-24 the creditor.
    party = case.debiteur if rule.distance == "cpc_643_644" else case.creancier
    residence, residence_dep = _residence(party)
    court_dep = court if court is not None and is_overseas(court) else None
    extension = distance_extension(court_dep, residence, residence_dep, rule.distance)  # type: ignore[arg-type]
    return extension if extension.months else None


def _applies_to_court(version: ProcedureVersion, case: Case) -> bool | None:
    """Whether the case's declared court is of this version's kind (None: unknown)."""
    names = [str(case.data.get("juridiction", {}).get("nom", ""))]
    names += [str((e.get("juridiction") or {}).get("nom", "")) for e in case.evenements]
    text = " ".join(names).lower()
    if not text.strip():
        return None
    kind = version.court.get("kind")
    if kind == "tribunal_de_commerce":
        return "commerce" in text or "activités économiques" in text
    if kind == "juge_contentieux_protection":
        return "protection" in text
    if kind == "tribunal_judiciaire":
        return "judiciaire" in text and "protection" not in text
    return None


def _preconditions_hold(version: ProcedureVersion, case: Case, au: dt.date) -> bool:
    ctx = ConditionContext(case=case, au=au, prescribed=lambda: is_prescribed(case, au))
    return all(
        evaluate(p.require, ctx)
        for p in version.preconditions
        if "deadline_missed" not in str(p.require)
    )


def case_deadlines(
    case: Case,
    au: dt.date,
    *,
    procedure_id: str | None = None,
    registry: Registry | None = None,
    include_prescription: bool = True,
) -> list[CaseDeadline]:
    """All deadlines of the case at ``au``, sorted by date.

    Each procedure is taken in the version its own dates select. When several procedures
    would give the same deadline (the three injonction de payer courts share their events),
    the one matching the case's declared court is kept, else the first whose preconditions
    hold.
    """
    registry = registry or load_registry()
    procedures: Sequence[Procedure] = (
        [registry.get(procedure_id)] if procedure_id else list(registry)
    )
    found: dict[tuple[str, dt.date, str], tuple[int, CaseDeadline]] = {}
    for procedure in procedures:
        try:
            version = procedure.for_case(case, au)
        except NoVersionInForce:
            if procedure_id is not None:
                raise
            continue  # the procedure did not exist at the case's dates
        deadlines = version_deadlines(version, case, au)
        if not deadlines:
            continue
        court_match = _applies_to_court(version, case)
        if procedure_id is None and (
            court_match is False or (court_match is None and _wrong_procedure(version, case, au))
        ):
            continue
        rank = 0 if court_match else (1 if _preconditions_hold(version, case, au) else 2)
        for deadline in deadlines:
            key = (deadline.id, deadline.date_limite, deadline.label)
            if key not in found or rank < found[key][0]:
                found[key] = (rank, deadline)
    result = [d for _, d in found.values()]
    if include_prescription:
        result.extend(prescription_deadlines(case, au))
    return sorted(result, key=lambda d: (d.date_limite, d.label))


def _prescription_data() -> Mapping[str, Any]:
    return _prescription_at(data_file("parameters", "prescription.yaml"))


@cache
def _prescription_at(path: Path) -> Mapping[str, Any]:
    return dict(load_document(path, definition=True))


def _prescription_rule(case: Case, au: dt.date) -> Mapping[str, Any]:
    ctx = ConditionContext(case=case, au=au)
    for rule in _prescription_data()["rules"]:
        if rule.get("requires") and not case.data.get(str(rule["requires"])):
            continue
        if rule.get("when") is None or evaluate(rule["when"], ctx):
            return dict(rule)
    raise UsageProblem("Aucune règle de prescription ne s'applique.")  # data always ends open


def _case_date(case: Case, path: str) -> dt.date | None:
    """The date at ``path`` (« credit.premier_incident_non_regularise ») of the case file."""
    value: Any = case.data
    for key in path.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    if value is None:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _rule_start(
    case: Case, claim: Claim, rule: Mapping[str, Any]
) -> tuple[dt.date, str, list[str]]:
    """Where the period of ``rule`` starts for ``claim``, its label and warnings."""
    if not rule.get("start"):
        return claim.date_echeance, f"échéance de la créance {claim.reference}", []
    start = _case_date(case, str(rule["start"]))
    basis = ", ".join(rule["legal_basis"])
    if start is None:  # the schema requires it where the rule applies
        raise UsageProblem(f"Date « {rule['start']} » absente du dossier ({basis}).")
    warnings = []
    rescheduled = _case_date(case, "credit.reamenagement")
    if rescheduled is not None and start <= rescheduled:
        warnings.append(
            f"Le premier incident non régularisé indiqué ({format_date_long(start)}) ne suit pas "
            f"le réaménagement du {format_date_long(rescheduled)} : après un réaménagement, le "
            f"délai court du premier incident non régularisé qui le suit ({basis}). Vérifiez "
            "« credit.premier_incident_non_regularise »."
        )
    return start, f"{rule.get('start_label', rule['start'])} ({basis})", warnings


def _claim_prescription(case: Case, claim: Claim, au: dt.date) -> CaseDeadline | None:
    data = _prescription_data()
    for suspension in data.get("suspended_by", []):
        if case.has(suspension["event"]):
            return None
    rule = _prescription_rule(case, au)
    start, start_label, warnings = _rule_start(case, claim, rule)
    for restart in data.get("restart_on", []) if rule.get("restart", True) else []:
        event = case.latest(restart["event"])
        if event is not None and event.date > start:
            start = event.date
            start_label = f"{restart['event']} ({restart['reference']})"
    result = compute_deadline(
        start,
        Duration.parse(rule["duration"]),
        calendar_for(None),
        counting="prescription",
        basis=rule["legal_basis"],
    )
    left = days_left(result.date_limite, au)
    if 0 <= left <= int(data.get("warning_days", 90)):
        kind = "Forclusion" if str(rule["id"]).startswith("forclusion") else "Prescription"
        warnings.append(
            f"{kind} proche : {left} jour(s) restant(s) pour agir en justice "
            f"(une mise en demeure n'interrompt pas la {kind.lower()})."
        )
    return CaseDeadline(
        procedure_id="prescription",
        procedure_version=1,
        id=f"{rule['id']}:{claim.reference}",
        label=f"{rule['label']} — créance {claim.reference}",
        party="creancier",
        legal_basis=tuple(rule["legal_basis"]),
        consequence=str(
            rule.get(
                "consequence",
                "Passé ce délai, l'action en paiement est prescrite (fin de non-recevoir).",
            )
        ),
        blocking=True,
        result=result,
        status=_status(result.date_limite, au),
        days_left=left,
        start_event=start_label,
        warnings=tuple(warnings),
    )


def prescription_deadlines(case: Case, au: dt.date) -> list[CaseDeadline]:
    """The limitation date of each claim (none while a court claim interrupts it)."""
    found = [_claim_prescription(case, claim, au) for claim in case.creances]
    return [d for d in found if d is not None]


def is_prescribed(case: Case, au: dt.date, computed: Sequence[CaseDeadline] | None = None) -> bool:
    """True when every claim of the case is past its limitation date.

    ``computed``: the case's deadlines when already at hand (their prescription lines are
    used instead of computing them again).
    """
    deadlines = (
        [d for d in computed if d.procedure_id == "prescription"]
        if computed is not None
        else prescription_deadlines(case, au)
    )
    return (
        bool(deadlines)
        and len(deadlines) == len(case.creances)
        and all(d.missed for d in deadlines)
    )


def _wrong_procedure(version: ProcedureVersion, case: Case, au: dt.date) -> bool:
    """True when a precondition naming another procedure to use instead fails.

    Such a precondition says the procedure does not fit this kind of case (a consumer
    debtor for a B2B notice, a debtor abroad for the French injonction de payer); its
    deadlines would mislead.
    """
    ctx = ConditionContext(case=case, au=au)
    return any(p.instead and not evaluate(p.require, ctx) for p in version.preconditions)

"""Evaluating the machine-checkable conditions written in procedure definitions.

A condition is a one-key mapping (``{event: mise_en_demeure_recue}``,
``{debtor_quality: [consommateur]}``, ``{all: [...]}``...); the vocabulary is fixed by
``schemas/procedure.schema.json``. Legal meaning stays in the YAML; this module only reads
facts of the case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from actes.cases.case import EU_MEMBER_STATES, Case
from actes.errors import DefinitionError
from actes.law.enforcement import ENFORCEMENT_FACTS, enforcement_fact

__all__ = [
    "ConditionContext",
    "acceleration_date",
    "evaluate",
    "plan_running",
    "title_obtained",
]

# A deadline lookup answers "missed", "running" or None (not started / not applicable).
DeadlineLookup = Callable[[str], str | None]


@dataclass(frozen=True)
class ConditionContext:
    case: Case
    au: dt.date
    deadline_status: DeadlineLookup = lambda _id: None
    prescribed: Callable[[], bool] = lambda: False


def evaluate(condition: Mapping[str, Any], ctx: ConditionContext) -> bool:
    """True when ``condition`` holds for the case at ``ctx.au``."""
    if len(condition) != 1:
        raise DefinitionError(f"Condition mal formée (une seule clé attendue) : {condition}")
    ((key, value),) = condition.items()
    case = ctx.case
    if key == "all":
        return all(evaluate(c, ctx) for c in value)
    if key == "any":
        return any(evaluate(c, ctx) for c in value)
    if key == "not":
        return not evaluate(value, ctx)
    if key == "event":
        return any(e.type == value and e.date <= ctx.au for e in case.evenements)
    if key == "event_where":
        wanted = dict(value)
        kind = wanted.pop("event")
        return any(
            e.type == kind
            and e.date <= ctx.au
            and all(_matches(e.get(k), v) for k, v in wanted.items())
            for e in case.evenements
        )
    if key == "debtor_quality":
        return case.debiteur.qualite in value
    if key == "creditor_quality":
        return case.creancier.qualite in value
    if key == "debtor_type":
        return bool(case.debiteur.type == value)
    if key == "debtor_country":
        return case.debiteur.country in value
    if key == "debtor_in_eu_other_state":
        # Regulation 1896/2006 art. 3: cross-border when a party is domiciled in another
        # Member State than the court's (France here); Denmark is outside (art. 2(3)).
        country = case.debiteur.country
        other = country not in ("FR", "DK") and country in EU_MEMBER_STATES
        return other is bool(value)
    if key == "debtor_in_france":
        return (case.debiteur.country == "FR") is bool(value)
    if key == "creditor_in_eu_other_state":
        # Regulation 1896/2006 art. 3(1): the claimant's domicile counts as well.
        country = case.creancier.country
        other = country not in ("FR", "DK") and country in EU_MEMBER_STATES
        return other is bool(value)
    if key == "jurisdiction_ground":
        # Form A section 3 (Reg. 1896/2006 art. 7(2)(f)): true when the case records or
        # proves a ground; a list of codes: the ground is one of them. Imported here: the
        # context modules load Babel, which no other condition needs.
        from actes.documents.contexts.ipe import jurisdiction_ground

        ground = jurisdiction_ground(case)
        if isinstance(value, list):
            return ground is not None and ground.code in value
        return (ground is not None) is bool(value)
    if key == "not_prescribed":
        return (not ctx.prescribed()) is bool(value)
    if key == "deadline_missed":
        return ctx.deadline_status(value) == "missed"
    if key == "deadline_running":
        return ctx.deadline_status(value) == "running"
    if key == "has_representative":
        return case.mandataire is not None and case.mandataire.role == value
    if key == "has_pieces":
        return bool(case.pieces) is bool(value)
    if key == "claim_nature":
        return all(c.nature in value for c in case.creances)
    if key == "claims_due":
        return any(c.date_echeance < ctx.au for c in case.creances) is bool(value)
    if key in ("claims_to_fall_due", "claims_falling_due_within"):
        # Principal left to pay as the décompte imputes the payments. Imported here: the
        # décompte engine loads Babel, which the other conditions do not need.
        from actes.amicable.preventive import claims_falling_due, open_claims_not_yet_due

        if key == "claims_to_fall_due":
            return bool(open_claims_not_yet_due(case, ctx.au)) is bool(value)
        return bool(claims_falling_due(case, ctx.au, int(value)))
    if key == "plan_en_cours":
        return plan_running(case, ctx.au) is bool(value)
    if key == "titre_obtenu":
        return title_obtained(case, ctx.au) is bool(value)
    if key in ENFORCEMENT_FACTS:
        # The title, the debtor's assets, the petites créances ceiling.
        return enforcement_fact(key, value, case, ctx.au)
    raise DefinitionError(
        f"Condition inconnue « {key} ».", hint="voir la liste dans schemas/procedure.schema.json"
    )


# Events that give the creditor a title: after one, the pre-litigation letters and a new
# requête would threaten a procedure already obtained.
TITLE_EVENTS = frozenset(
    {
        "ordonnance_rendue",
        "ipe_injonction_delivree",
        "decision_executoire",
        "formule_executoire_apposee",
        "jugement_signifie",
    }
)


def title_obtained(case: Case, au: dt.date) -> bool:
    """The creditor holds a title at ``au`` (an event of :data:`TITLE_EVENTS`).

    An ordonnance d'injonction de payer not served within its deadline is non avenue
    (CPC 1411): it is no title, so it does not count once its service deadline has passed.
    """
    for event in case.evenements:
        if event.type not in TITLE_EVENTS or event.date > au:
            continue
        if event.type == "ordonnance_rendue" and _ordonnance_lapsed(case, au):
            continue
        return True
    return False


def _ordonnance_lapsed(case: Case, au: dt.date) -> bool:
    """The case's ordonnance was not served in time: the ``signification_ordonnance``
    deadline of the procedure versions that define one is ``depasse`` at ``au``."""
    if any(e.type == "ordonnance_signifiee" and e.date <= au for e in case.evenements):
        return False
    # Imported here: procedures and timeline import this module.
    from actes.errors import NoVersionInForce
    from actes.law.procedures import load_registry
    from actes.law.timeline import version_deadlines

    for procedure in load_registry():
        try:
            version = procedure.for_case(case, au)
        except NoVersionInForce:
            continue
        if not any(rule.id == LAPSE_DEADLINE for rule in version.deadlines):
            continue
        for deadline in version_deadlines(version, case, au):
            if deadline.id == LAPSE_DEADLINE and deadline.status == "depasse":
                return True
    return False


# The deadline whose expiry makes an ordonnance non avenue (CPC 1411), as named in the
# injonction de payer definitions.
LAPSE_DEADLINE = "signification_ordonnance"
# Format-1 cases record a signed plan by this event only: the plan block (format 2) is the
# only place where its déchéance can be recorded.
LEGACY_PLAN_EVENT = "plan_apurement_signe"
ACCELERATION = "notification_decheance"


def plan_running(case: Case, au: dt.date) -> bool:
    """A signed payment plan binds the creditor at ``au``: no acceleration notified yet.

    Until the déchéance du terme, the term benefits the debtor (C. civ. 1305-3): only the
    instalments fallen due are exigible, not the whole balance. The plan is the case's
    ``plan`` block (format 2); a format-1 case that records only the event
    ``plan_apurement_signe`` has a running plan as well, since it cannot record a déchéance.
    """
    plan = case.data.get("plan")
    if plan and plan.get("date_signature"):
        signed = dt.date.fromisoformat(str(plan["date_signature"]))
        if signed > au:
            return False
        return acceleration_date(case, au) is None
    if plan:
        return False
    return any(e.type == LEGACY_PLAN_EVENT and e.date <= au for e in case.evenements)


def acceleration_date(case: Case, au: dt.date) -> dt.date | None:
    """Date of the notification of the déchéance du terme recorded in ``plan.suivi``."""
    plan = case.data.get("plan") or {}
    dates = [
        dt.date.fromisoformat(str(row["date"]))
        for row in plan.get("suivi") or ()
        if row.get("type") == ACCELERATION and dt.date.fromisoformat(str(row["date"])) <= au
    ]
    return min(dates) if dates else None


def _matches(actual: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return actual in expected
    return bool(actual == expected)

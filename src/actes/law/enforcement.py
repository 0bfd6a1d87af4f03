"""Facts of a case that decide which enforcement measure is open: the executory title (read by
:func:`actes.law.title.title_of`), what the creditor knows of the debtor's assets (the case's
``execution`` block) and the amount of a claim for the petites créances ceiling.

:func:`enforcement_fact` answers the conditions of the procedure definitions
(``schemas/procedure.schema.json``); the legal meaning stays in ``procedures/``:

- ``titre_present``: the case records a title dated on or before the reference date (a
  decision not yet enforceable counts: CPCE L511-2 dispenses the saisie conservatoire from
  authorisation with it).
- ``titre_executoire``: the title is executory at the reference date (its derived
  ``executory_on``: service, end of the opposition period, formule exécutoire...).
- ``titre_signifie``: a court decision was served (CPC 503); a notarial act and the title of
  the petites créances procedure need no prior service. True without a title, so that a case
  without one fails on ``titre_executoire`` alone.
- ``titre_en_vigueur``: the reference date is on or before the title's last day of
  enforcement (CPCE L111-4); true without a title, as above.
- ``execution_employeur``: ``execution.employeur`` is given.
- ``execution_tiers_saisis``: a bank (``execution.banques``) or another third party
  (``execution.tiers``) that owes the debtor money is given.
- ``execution_menace``: ``execution.menace`` states the facts threatening recovery.
- ``saisie_sans_autorisation``: no authorisation of the judge is needed for a saisie
  conservatoire: a title is recorded, or ``execution.cause_sans_autorisation`` is given with
  the unpaid instrument it rests on (``execution.instrument``, CPCE L511-2).
- ``representation_jex``: a requête to the juge de l'exécution may be signed by the creditor
  itself (the sum it asks for is at most the threshold of CPCE L121-4 2°, dated in
  ``parameters/titre.yaml``) or an avocat is named (``execution.avocat``).

A lapsed ordonnance d'injonction de payer is no title at all (:func:`current_title`): not served
within six months (CPC 1411), or, under the former regime, its formule exécutoire not requested
within the month after the opposition period (former CPC 1423).
- ``principal_et_interets_au_plus``: principal still due plus interest at the reference date
  (the case's décompte, :func:`actes.law.accounts.decompte_for_case`), without the recovery
  indemnity, is at most the amount given (CPCE R125-1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from actes.cases.case import Case
from actes.errors import DefinitionError, RateMissing

if TYPE_CHECKING:
    from actes.law.title import Title

__all__ = [
    "ENFORCEMENT_FACTS",
    "NO_PRIOR_SERVICE",
    "claim_principal_and_interest",
    "current_title",
    "enforcement_fact",
    "execution_data",
    "jex_lawyer_threshold",
]

ENFORCEMENT_FACTS = frozenset(
    {
        "titre_present",
        "titre_executoire",
        "titre_signifie",
        "titre_en_vigueur",
        "execution_employeur",
        "execution_tiers_saisis",
        "execution_menace",
        "saisie_sans_autorisation",
        "principal_et_interets_au_plus",
        "representation_jex",
    }
)
# Titles enforced without being served first: the notarial act bearing the formule
# exécutoire and the title the commissaire issues after the petites créances agreement.
NO_PRIOR_SERVICE = frozenset({"acte_notarie", "titre_petites_creances"})


def execution_data(case: Case) -> Mapping[str, Any]:
    """The case's ``execution`` block (empty mapping when absent)."""
    raw = case.data.get("execution")
    return raw if isinstance(raw, Mapping) else {}


def claim_principal_and_interest(case: Case, au: dt.date) -> tuple[Decimal, Decimal]:
    """Principal still due and interest still due at ``au`` under the case's décompte."""
    from actes.law.accounts import decompte_for_case

    decompte = decompte_for_case(case, au)
    principal = sum((c.outstanding_principal for c in decompte.claims), Decimal("0"))
    interest = sum((c.interest_outstanding for c in decompte.claims), Decimal("0"))
    return principal, interest


def current_title(case: Case, au: dt.date) -> Title | None:
    """The case's title at ``au``: none before its date, none once a lapsed ordonnance."""
    # Imported here: the title module reads parameters and the money engine, which the
    # conditions that do not concern a title never need.
    from actes.law.title import title_of

    title = title_of(case)
    if title is None or title.date > au or _lapsed(title.nature, title.served_on, case, au):
        return None
    if _formule_lapsed(title, case, au):
        return None
    return title


def jex_lawyer_threshold(au: dt.date) -> tuple[Decimal, str]:
    """The sum above which a party is represented by an avocat before the juge de
    l'exécution (CPCE L121-4 2°), in force at ``au``, with its reference."""
    from actes._io import load_document
    from actes._paths import parameters_dir

    raw = load_document(parameters_dir() / "titre.yaml", definition=True)
    rows = raw.get("avocat_obligatoire_jex", {}).get("valeurs") or []
    found = [row for row in rows if dt.date.fromisoformat(str(row["valid_from"])) <= au]
    if not found:
        raise DefinitionError(
            "parameters/titre.yaml : aucun seuil « avocat_obligatoire_jex » en vigueur au "
            f"{au.isoformat()}."
        )
    row = found[-1]
    return Decimal(str(row["value"])), str(row["reference"])


def requete_amount(case: Case, au: dt.date) -> Decimal:
    """The sum a requête for a saisie conservatoire asks the judge to guarantee: the case's
    décompte total at ``au``."""
    from actes.law.accounts import decompte_for_case

    return decompte_for_case(case, au).total_due


def enforcement_fact(key: str, value: Any, case: Case, au: dt.date) -> bool:
    """The condition ``{key: value}`` of a procedure definition, for ``case`` at ``au``."""
    if key == "principal_et_interets_au_plus":
        ceiling = Decimal(str(value))
        try:
            principal, interest = claim_principal_and_interest(case, au)
        except RateMissing:
            # A half-year rate not recorded yet: judge on the principal alone here; the
            # document, which prints the interest, asks for the rate before it renders.
            return case.principal - case.paid <= ceiling
        return principal + interest <= ceiling
    wanted = bool(value)
    data = execution_data(case)
    if key == "execution_employeur":
        return bool(data.get("employeur")) is wanted
    if key == "execution_tiers_saisis":
        return bool(data.get("banques") or data.get("tiers")) is wanted
    if key == "execution_menace":
        return bool(str(data.get("menace", "")).strip()) is wanted
    title = current_title(case, au)
    if key == "titre_present":
        return (title is not None) is wanted
    if key == "titre_executoire":
        executory_on = title.executory_on if title is not None else None
        return (executory_on is not None and executory_on <= au) is wanted
    if key == "titre_signifie":
        served = (
            title is None
            or title.nature in NO_PRIOR_SERVICE
            or (title.served_on is not None and title.served_on <= au)
        )
        return served is wanted
    if key == "titre_en_vigueur":
        return (title is None or au <= title.expires_on) is wanted
    if key == "saisie_sans_autorisation":
        dispensed = bool(data.get("cause_sans_autorisation")) and bool(data.get("instrument"))
        return (title is not None or dispensed) is wanted
    if key == "representation_jex":
        if data.get("avocat"):
            return wanted
        threshold, _ = jex_lawyer_threshold(au)
        try:
            amount = requete_amount(case, au)
        except RateMissing:
            amount = case.principal - case.paid
        return (amount <= threshold) is wanted
    raise DefinitionError(f"Condition d'exécution inconnue « {key} ».")


def _lapsed(nature: str, served_on: dt.date | None, case: Case, au: dt.date) -> bool:
    """An ordonnance d'injonction de payer not served within its deadline is non avenue
    (CPC 1411): it is no title, not even a decision dispensing a saisie conservatoire from
    authorisation."""
    if nature != "ordonnance_injonction_de_payer" or (served_on is not None and served_on <= au):
        return False
    from actes.law.conditions import _ordonnance_lapsed

    return _ordonnance_lapsed(case, au)


# The deadline of the former CPC 1423 in the injonction de payer definitions (regime before
# 1 March 2022): missed, the ordonnance is non avenue.
FORMULE_DEADLINE = "formule_executoire"


def _formule_lapsed(title: Title, case: Case, au: dt.date) -> bool:
    """An ordonnance of the former regime whose formule exécutoire was not requested within
    the month after the opposition period is non avenue (former CPC 1423). An affixed
    formule is taken as requested in time: the greffe checks the deadline."""
    if title.nature != "ordonnance_injonction_de_payer" or title.formule_on is not None:
        return False
    from actes.errors import NoVersionInForce
    from actes.law.procedures import load_registry
    from actes.law.timeline import version_deadlines

    for procedure in load_registry():
        if procedure.category == "execution":
            continue
        try:
            version = procedure.for_case(case, au)
        except NoVersionInForce:
            continue
        if not any(rule.id == FORMULE_DEADLINE for rule in version.deadlines):
            continue
        for deadline in version_deadlines(version, case, au):
            if deadline.id == FORMULE_DEADLINE and deadline.status == "depasse":
                return True
    return False

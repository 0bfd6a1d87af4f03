"""The décompte of a case: maps a validated :class:`~actes.cases.case.Case` onto the engine of
:mod:`actes.law.money` (which interest regime, from when, until when).

The choice of regime follows the law, article by article:

- both parties professionals: late-payment penalties of C. com. L441-10 II from the day after
  each due date, and the fixed indemnity per invoice (D441-5);
- otherwise, a claim carrying a contractual rate (a consumer loan): that rate from the due date;
- otherwise: interest at the legal rate from the mise en demeure (C. civ. 1231-6, 1344-1),
  the date of its receipt when known, else of its sending; no interest without one.

Interest stops at the opening judgment of a collective procedure (C. com. L622-28) or at the
admissibility of a surendettement file (C. conso. L722-14), and at the signature of a payment
plan that waives interest (``plan.interets: aucun``: the agreement binds the creditor,
C. civ. 1103). A decision enforceable for two
months raises the legal rate by five points (CMF L313-3) when the case records
``decision_executoire``.

A claim of ``categorie: clause_penale`` bears no interest: the agreed penalty is due only after
an unheeded mise en demeure and the judge may reduce it (C. civ. 1231-5); interest on it runs
from the judgment that fixes it (C. civ. 1231-7). No L441-10 indemnity is owed for an invoice
falling due on or after the opening judgment of a collective procedure (C. com. L622-7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from actes.cases.case import Case
from actes.documents.formatting import format_date_long
from actes.law.money import (
    ClaimInput,
    Decompte,
    DecompteOptions,
    InterestRegime,
    PaymentInput,
    compute_decompte,
    majoration_start,
)
from actes.law.rates import RateTables

__all__ = ["decompte_for_case", "interest_regime"]

# Events that stop interest from running, with the reason printed (its article).
_INTEREST_STOPS = (
    ("jugement_ouverture", "jugement d'ouverture du {date} (Code de commerce, art. L622-28)"),
    (
        "surendettement_recevabilite",
        "recevabilité du dossier de surendettement du {date} (Code de la consommation, "
        "art. L722-14)",
    ),
)


def interest_regime(case: Case) -> tuple[InterestRegime, str]:
    """The interest regime of the case and the article it rests on."""
    if case.creancier.is_professional and case.debiteur.is_professional:
        return "penalites_l441_10", "C. com. art. L441-10 II"
    if any(
        claim.taux_contractuel is not None or claim.taux_indexe is not None
        for claim in case.creances
    ):
        return "contractuel", "C. civ. art. 1103 et 1343-1 al. 2 (taux conventionnel)"
    if _mise_en_demeure(case) is not None:
        return "interet_legal", "C. civ. art. 1231-6 et 1344-1"
    return "aucun", "C. civ. art. 1344-1 (pas de mise en demeure, pas d'intérêts moratoires)"


def _mise_en_demeure(case: Case) -> dt.date | None:
    for kind in ("mise_en_demeure_recue", "mise_en_demeure_envoyee"):
        event = case.event(kind)
        if event is not None:
            return event.date
    return None


def decompte_for_case(
    case: Case, au: dt.date, *, overrides: Mapping[str, Any] | None = None
) -> Decompte:
    """What the debtor owes on ``au``, line by line, under the regime the case calls for.

    ``overrides`` replaces keys of the case's ``parametres`` (the conventions given on the
    command line: ``base_jours``, ``compter_les_deux_bornes``, ``convention_periode``).
    """
    regime, _ = interest_regime(case)
    params = {**case.parametres, **(overrides or {})}
    stops = [
        (e.date, reason.format(date=format_date_long(e.date)))
        for kind, reason in _INTEREST_STOPS
        if (e := case.event(kind)) is not None
    ]
    plan = case.data.get("plan") or {}
    if plan.get("interets", "aucun") == "aucun" and plan.get("date_signature"):
        signed = dt.date.fromisoformat(str(plan["date_signature"]))
        stops.append(
            (
                signed,
                f"plan d'apurement sans intérêts signé le {format_date_long(signed)} "
                "(Code civil, art. 1103)",
            )
        )
    first_stop = min(stops) if stops else None
    opening = case.event("jugement_ouverture")
    enforceable = case.event("decision_executoire")
    options = DecompteOptions(
        regime=regime,
        au=au,
        creditor_is_consumer=case.creancier.is_consumer,
        mise_en_demeure=_mise_en_demeure(case),
        majoration_l313_3_from=(
            majoration_start(enforceable.date)
            if enforceable is not None and regime == "interet_legal"
            else None
        ),
        capitalisation=bool(params.get("capitalisation", False)),
        day_basis=params.get("base_jours", "365"),
        include_indemnity=regime == "penalites_l441_10",
        allow_unconfirmed=bool(params.get("taux_non_confirmes", False)),
        interest_stops=first_stop[0] if first_stop else None,
        interest_stops_reason=first_stop[1] if first_stop else "",
        payment_forbidden_from=opening.date if opening is not None else None,
        both_ends=bool(params.get("compter_les_deux_bornes", False)),
        period_unit=params.get("convention_periode", "jours"),
    )
    claims = [
        ClaimInput(
            reference=claim.reference,
            label=claim.libelle or claim.reference,
            due_date=claim.date_echeance,
            amount=claim.montant,
            currency=claim.devise,
            contractual_rate=(
                claim.taux_contractuel if claim.taux_contractuel is not None else claim.taux_indexe
            ),
            is_invoice=claim.nature == "facture",
            bears_interest=raw.get("categorie") != "clause_penale",
        )
        for claim, raw in zip(case.creances, case.data["creances"], strict=True)
    ]
    payments = [
        PaymentInput(
            date=payment.date,
            amount=payment.montant,
            reference=payment.reference or f"paiement du {payment.date.isoformat()}",
            claim_reference=payment.creance,
        )
        for payment in case.paiements
    ]
    # Rates recorded in the firm's workspace (actes taux ajouter) complete the shipped tables.
    return compute_decompte(claims, payments, options, RateTables.for_folder(case.folder))

"""The ``plan`` block: the payment plan agreement (plan d'apurement).

The same block serves the plan document itself and every other document of a case that has a
plan: once the déchéance du terme has been notified, the relances, mises en demeure and
requêtes recall the plan and the déchéance (``plan.decheance``).

One balance (docs/amicable.md): the amount the plan recognises is the décompte on its
signature date — principal still due after the payments made before it, plus the interest
accrued until then, capitalised into the recognised amount. A plan whose amount differs is
refused (:func:`actes.amicable.plan.check_plan_balance`), so the plan, its letters and
``actes decompte`` give the same balance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from actes.cases.case import Case
from actes.documents.contexts.common import days_in_words
from actes.documents.formatting import (
    amount_in_words,
    format_amount,
    format_date_long,
    format_rate,
)
from actes.errors import IncompleteCase
from actes.law.conditions import acceleration_date, plan_running

# A notice of 8 or 15 days before acceleration was held unreasonable for consumer loans
# (Cass. 1re civ. 22 March 2023 and 29 May 2024); 30 days is the default until a case sets it.
DEFAULT_ACCELERATION_NOTICE_DAYS = 30


def plan_context(
    case: Case, total_du: Decimal | None, au: dt.date | None = None
) -> dict[str, Any] | None:
    raw = case.data.get("plan")
    if not raw:
        return None
    rows = raw.get("echeances") or []
    if not rows and not raw.get("echeancier"):
        raise IncompleteCase(
            "Le plan d'apurement du dossier ne liste pas ses échéances.",
            hint='listez-les dans « plan.echeances: [{date: AAAA-MM-JJ, montant: "100.00"}, '
            "...] » (le protocole reproduit l'échéancier signé)",
        )
    total = sum(
        (Decimal(str(row["montant"])).quantize(Decimal("0.01")) for row in rows), Decimal(0)
    )
    declared = raw.get("montant_total")
    if rows and declared is not None and Decimal(str(declared)) != total:
        raise IncompleteCase(
            f"Les échéances du plan totalisent {format_amount(total)} et non "
            f"{format_amount(Decimal(str(declared)))} (plan.montant_total).",
            hint="corrigez les montants des échéances ou le montant total du plan",
        )
    # Imported here: actes.amicable.plan imports the render pipeline lazily, and the pipeline this
    # module.
    from actes.amicable.plan import check_plan_balance, load_plan

    plan = load_plan(case)
    balance = check_plan_balance(case, plan)
    total = plan.total
    notice = plan.notice_days
    return {
        "echeances": [
            {
                "numero": i.numero,
                "date": format_date_long(i.date),
                "montant": format_amount(i.montant),
            }
            for i in plan.instalments
        ],
        "nombre_echeances": plan.months,
        "total": format_amount(total),
        "total_lettres": amount_in_words(total),
        "interets": plan_interest(raw),
        "interets_mode": str(raw.get("interets", "aucun")),
        # The grace days ``actes plan status`` applies before a reminder: printed in the plan
        # so that the debtor signs what the follow-up applies.
        "jours_de_grace": plan.grace_days,
        "jours_de_grace_lettres": days_in_words(plan.grace_days) if plan.grace_days else "",
        **debtor_designation(case),
        "clause_decheance": plan.clause,
        "clause_decheance_texte": plan.clause_wording,
        "reference": plan.reference,
        "preavis_jours": notice,
        "preavis_lettres": days_in_words(notice),
        "date_signature": format_date_long(plan.signed_on) if plan.signed_on else "",
        "reste_du_decompte": format_amount(total_du) if total_du is not None else "",
        # The amount recognised: the décompte on the signature date.
        "somme_reconnue": format_amount(balance.total),
        "somme_reconnue_lettres": amount_in_words(balance.total),
        "principal_restant": format_amount(balance.principal),
        "interets_anterieurs": format_amount(balance.interest) if balance.interest else "",
        "paiements_anterieurs": [
            {"date": format_date_long(day), "montant": format_amount(amount), "reference": ref}
            for day, amount, ref in balance.payments
        ],
        "total_paiements_anterieurs": format_amount(balance.paid),
        "en_cours": plan_running(case, au) if au is not None else True,
        "decheance": _acceleration(raw, case, au),
    }


def _acceleration(raw: Mapping[str, Any], case: Case, au: dt.date | None) -> dict[str, str] | None:
    """The déchéance du terme notified on or before ``au``: its date and the mise en demeure
    that preceded it (the latest one sent before the notification)."""
    if au is None:
        return None
    notified = acceleration_date(case, au)
    if notified is None:
        return None
    notices = sorted(
        (row for row in raw.get("suivi") or () if row.get("type") == "mise_en_demeure_decheance"),
        key=lambda row: str(row["date"]),
    )
    before = [row for row in notices if dt.date.fromisoformat(str(row["date"])) <= notified]
    notice = before[-1] if before else None
    return {
        "date": format_date_long(notified),
        "mise_en_demeure": format_date_long(str(notice["date"])) if notice else "",
        "mise_en_demeure_reception": format_date_long(str(notice["date_reception"]))
        if notice and notice.get("date_reception")
        else "",
    }


def debtor_designation(case: Case) -> dict[str, str]:
    """How the plan names the debtor, in the gender of a natural person: « la débitrice »
    for Mme, else « le débiteur »."""
    feminine = not case.debiteur.is_company and case.debiteur.raw.get("civilite") == "Mme"
    if feminine:
        return {
            "debiteur_designation": "la débitrice",
            "debiteur_designation_maj": "La débitrice",
            "du_debiteur": "de la débitrice",
        }
    return {
        "debiteur_designation": "le débiteur",
        "debiteur_designation_maj": "Le débiteur",
        "du_debiteur": "du débiteur",
    }


def plan_interest(raw: Mapping[str, Any]) -> str:
    """The interest clause from ``plan.interets`` (``aucun``, ``legal``, ``contractuel``)."""
    kind = raw.get("interets", "aucun")
    if kind == "legal":
        return (
            "Les sommes restant dues portent intérêts au taux de l'intérêt légal pendant "
            "l'exécution du plan ; ces intérêts sont compris dans les échéances."
        )
    if kind == "contractuel":
        return (
            f"Les sommes restant dues portent intérêts au taux conventionnel de "
            f"{format_rate(Decimal(str(raw['taux'])))} l'an pendant l'exécution du plan ; "
            "ces intérêts sont compris dans les échéances."
        )
    # No interest for the whole plan: nothing in the plan brings interest back on a late
    # instalment (the review found « tant que les échéances sont payées à leur date »
    # misleading); after a déchéance du terme, the balance is claimed as the law provides.
    return (
        "Le créancier renonce aux intérêts pendant toute l'exécution du plan : les "
        "sommes dues ne portent pas d'intérêts et les échéances ne comprennent que la somme "
        "reconnue."
    )

"""The ``plan`` block: the payment plan agreement (plan d'apurement)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from actes.case import Case
from actes.contexts.common import days_in_words
from actes.errors import IncompleteCase
from actes.formatting import amount_in_words, format_amount, format_date_long, format_rate

# A notice of 8 or 15 days before acceleration was held unreasonable for consumer loans
# (Cass. 1re civ. 22 March 2023 and 29 May 2024); 30 days is the default until a case sets it.
DEFAULT_ACCELERATION_NOTICE_DAYS = 30


def plan_context(case: Case, total_du: Decimal | None) -> dict[str, Any] | None:
    raw = case.data.get("plan")
    if not raw:
        return None
    rows = raw.get("echeances") or []
    if not rows:
        raise IncompleteCase(
            "Le plan d'apurement du dossier ne liste pas ses échéances.",
            hint='listez-les dans « plan.echeances: [{date: AAAA-MM-JJ, montant: "100.00"}, '
            "...] » (le protocole reproduit l'échéancier signé)",
        )
    echeances = []
    total = Decimal("0")
    for number, row in enumerate(rows, start=1):
        amount = Decimal(str(row["montant"])).quantize(Decimal("0.01"))
        total += amount
        echeances.append(
            {
                "numero": number,
                "date": format_date_long(str(row["date"])),
                "montant": format_amount(amount),
            }
        )
    declared = raw.get("montant_total")
    if declared is not None and Decimal(str(declared)) != total:
        raise IncompleteCase(
            f"Les échéances du plan totalisent {format_amount(total)} et non "
            f"{format_amount(Decimal(str(declared)))} (plan.montant_total).",
            hint="corrigez les montants des échéances ou le montant total du plan",
        )
    notice = int(raw.get("preavis_decheance_jours", DEFAULT_ACCELERATION_NOTICE_DAYS))
    return {
        "echeances": echeances,
        "nombre_echeances": len(echeances),
        "total": format_amount(total),
        "total_lettres": amount_in_words(total),
        "interets": plan_interest(raw),
        "clause_decheance": bool(raw.get("clause_decheance", True)),
        "reference": raw.get("reference", ""),
        "preavis_jours": notice,
        "preavis_lettres": days_in_words(notice),
        "date_signature": format_date_long(str(raw["date_signature"]))
        if raw.get("date_signature")
        else "",
        "reste_du_decompte": format_amount(total_du) if total_du is not None else "",
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
    return (
        "Les sommes dues ne portent pas d'intérêts pendant l'exécution du plan, tant que les "
        "échéances sont payées à leur date."
    )

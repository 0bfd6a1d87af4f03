"""The ``declaration`` block: déclaration de créance in a procédure collective.

The claim is declared as it stood on the day of the opening judgment (the décompte of
:mod:`actes.law.money` computed on that day, interest stopped by C. com. L622-28). The table adds
up on every line and every column: ``principal − réglé + intérêts + indemnité = total``, the
fixed recovery indemnity (C. com. L441-10 II, D441-5) in its own column.

- The indemnity exists only for an invoice that fell due *before* the opening judgment: from
  the judgment's day the debtor may no longer pay a prior claim (L622-7, applied to the
  liquidation by L641-3), so a later due date is not a late payment. The décompte at the
  opening date already gives none (the indemnity is settled the day after the due date);
  :func:`declaration_context` still drops one defensively, so the printed total never
  contains it.
- Sauvegarde, redressement: claims falling due after the judgment are listed with their due
  dates (« sommes à échoir », L622-25) and included in the declared amount.
- Liquidation judiciaire: the judgment makes claims not yet due exigible (L643-1); they are
  declared as due, included in the amount, and no « à échoir » section is printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from actes.cases.case import Case
from actes.documents.contexts.common import COLLECTIVE, ROLE, address_lines, money
from actes.documents.formatting import amount_in_words, format_amount, format_date_long

_ZERO = Decimal("0.00")


def declaration_context(
    case: Case, au: dt.date, decompte: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The déclaration block; ``decompte`` is ``Decompte.as_dict()`` at the opening date."""
    opening = case.event("jugement_ouverture")
    if opening is None:
        return None
    publication = case.event("publication_bodacc")
    organe = opening.get("organe")
    liquidation = opening.get("procedure") == "liquidation_judiciaire"
    due_dates = {c.reference: c.date_echeance for c in case.creances}
    labels = {c.reference: c.libelle for c in case.creances}

    lines: list[dict[str, Any]] = []
    later: list[dict[str, Any]] = []
    dropped: list[str] = []
    sums = {key: _ZERO for key in ("principal", "paye", "interets", "indemnite", "total")}
    total_later = _ZERO
    for claim in decompte.get("creances", []):
        reference = str(claim.get("reference", ""))
        due = due_dates.get(reference)
        principal = money(claim.get("principal"))
        paid = (
            money(claim.get("principal_paye"))
            + money(claim.get("interets_payes"))
            + money(claim.get("indemnite_payee"))
        )
        interest = money(claim.get("interets"))
        indemnity = money(claim.get("indemnite"))
        after_opening = due is not None and due >= opening.date
        if after_opening and indemnity:
            # Payment was forbidden at maturity (L622-7): no late payment, no indemnity.
            dropped.append(reference)
            indemnity = _ZERO
        total = principal - paid + interest + indemnity
        values = {
            "principal": principal,
            "paye": paid,
            "interets": interest,
            "indemnite": indemnity,
            "total": total,
        }
        for key, value in values.items():
            sums[key] += value
        line = {
            "reference": reference,
            "libelle": labels.get(reference, str(claim.get("libelle", ""))),
            "date_echeance": format_date_long(due) if due else "",
            **{key: format_amount(value) for key, value in values.items()},
            "echue": not after_opening,
        }
        lines.append(line)
        if after_opening:
            later.append(line)
            total_later += total

    declared = sums["total"]
    # Imported late: actes.documents.render imports this module.
    from actes.documents.render import printed_decompte

    printed = printed_decompte(decompte)
    indemnity_claimed = decompte.get("regime") == "penalites_l441_10"
    return {
        "jugement_date": format_date_long(opening.date),
        "procedure": COLLECTIVE.get(opening.get("procedure", ""), "procédure collective"),
        "liquidation": liquidation,
        "destinataire_role": ROLE.get(organe["role"], organe["role"]) if organe else "",
        "destinataire": organe["nom"] if organe else "",
        "destinataire_adresse": address_lines(organe.get("adresse")) if organe else [],
        "bodacc_reference": publication.get("reference", "") if publication else "",
        "bodacc_date": format_date_long(publication.date) if publication else "",
        "lignes": lines,
        "total_principal": format_amount(sums["principal"]),
        "total_paye": format_amount(sums["paye"]),
        "total_interets": format_amount(sums["interets"]),
        "total_indemnites": format_amount(sums["indemnite"]),
        "total": format_amount(declared),
        "total_lettres": amount_in_words(declared),
        "total_echu": format_amount(declared - total_later),
        # Sauvegarde, redressement: sums falling due after the judgment (L622-25).
        "a_echoir": [] if liquidation else later,
        "total_a_echoir": format_amount(_ZERO if liquidation else total_later),
        # Liquidation: the same sums, made exigible by the judgment (L643-1).
        "exigibles_l643_1": later if liquidation else [],
        "indemnite": _indemnity_sentence(indemnity_claimed, bool(later), dropped),
        # The case model has no field for securities yet: an unsecured claim unless stated.
        "suretes": "Créance chirographaire : aucun privilège ni aucune sûreté n'est invoqué.",
        "interets": "Intérêts arrêtés au jour du jugement d'ouverture (code de commerce, "
        "art. L622-28" + (" et L641-3" if liquidation else "") + ").",
        "instance_en_cours": "",
        # The method actually used (R622-23): one line per interest period, with its rate,
        # the rate's basis, first and last day, days and day basis; never the engine's
        # general conventions.
        "calcul": printed["calcul"],
        "imputations": printed["imputations"],
        # The décompte at the opening date, for the checks made before filing (rates used).
        "decompte": {
            "date": format_date_long(str(decompte["au"])) if decompte.get("au") else "",
            "total_du": format_amount(declared),
            "taux_non_confirmes": list(decompte.get("taux_non_confirmes") or []),
            # The provisional rates the case accepted: the document is a draft (banner).
            "reserves": [str(r) for r in decompte.get("reserves") or []],
            "projet": printed["projet"],
            "corrections": printed["corrections"],
        },
    }


def _indemnity_sentence(claimed: bool, later: bool, dropped: list[str]) -> str:
    """Why the indemnity column holds what it holds (empty when no indemnity regime)."""
    if not claimed:
        return ""
    sentence = (
        "L'indemnité forfaitaire pour frais de recouvrement (code de commerce, art. L441-10 et "
        "D441-5) est déclarée pour chaque facture échue avant le jugement d'ouverture et restée "
        "impayée à cette date."
    )
    if later or dropped:
        sentence += (
            " Aucune indemnité n'est déclarée pour les factures échues depuis : le jugement "
            "d'ouverture interdit de payer les créances nées antérieurement (art. L622-7"
            ", rendu applicable à la liquidation judiciaire par l'art. L641-3), de sorte que "
            "leur défaut de paiement à l'échéance n'est pas un retard imputable au débiteur."
        )
    return sentence

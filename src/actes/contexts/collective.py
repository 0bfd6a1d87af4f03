"""The ``declaration`` block: déclaration de créance in a procédure collective."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from actes.case import Case
from actes.contexts.common import COLLECTIVE, ROLE, address_lines
from actes.formatting import format_amount, format_date_long


def declaration_context(
    case: Case, au: dt.date, decompte: Mapping[str, Any]
) -> dict[str, Any] | None:
    opening = case.event("jugement_ouverture")
    if opening is None:
        return None
    publication = case.event("publication_bodacc")
    organe = opening.get("organe")
    liquidation = opening.get("procedure") == "liquidation_judiciaire"
    a_echoir = [
        {
            "reference": c.reference,
            "libelle": c.libelle,
            "date_echeance": format_date_long(c.date_echeance),
            "montant": format_amount(c.montant),
        }
        for c in case.creances
        if c.date_echeance > opening.date
    ]
    return {
        "jugement_date": format_date_long(opening.date),
        "procedure": COLLECTIVE.get(opening.get("procedure", ""), "procédure collective"),
        "destinataire_role": ROLE.get(organe["role"], organe["role"]) if organe else "",
        "destinataire": organe["nom"] if organe else "",
        "destinataire_adresse": address_lines(organe.get("adresse")) if organe else [],
        "bodacc_reference": publication.get("reference", "") if publication else "",
        "bodacc_date": format_date_long(publication.date) if publication else "",
        "a_echoir": a_echoir,
        # The case model has no field for securities yet: an unsecured claim unless stated.
        "suretes": "Créance chirographaire : aucun privilège ni aucune sûreté n'est invoqué.",
        "interets": "Intérêts arrêtés au jour du jugement d'ouverture (code de commerce, "
        "art. L622-28" + (" et L641-3" if liquidation else "") + ").",
        "instance_en_cours": "",
        "decompte": decompte,
    }

"""The ``surendettement`` block: letters to the commission de surendettement."""

from __future__ import annotations

from typing import Any

from actes.case import Case, Event
from actes.contexts.common import address_lines, event_context
from actes.formatting import format_date_long


def surendettement_context(case: Case) -> dict[str, Any] | None:
    kinds = [e for e in case.evenements if e.type.startswith("surendettement_")]
    if not kinds:
        return None
    commission = next((e.get("organe") for e in kinds if e.get("organe")), None)
    admitted = case.event("surendettement_recevabilite")
    dossier = next(
        (e.get("reference") for e in kinds if str(e.get("reference", "")).startswith("Dossier")),
        admitted.get("reference", "") if admitted else "",
    )
    measures = case.latest("surendettement_mesures_notifiees")
    recovery = case.latest("surendettement_retablissement_notifie")
    if recovery is not None:
        contested: Event | None = recovery
        objet = (
            "Contestation du rétablissement personnel sans liquidation judiciaire imposé "
            "(code de la consommation, art. R741-1)"
        )
        delai = "trente jours"
    elif measures is not None:
        contested = measures
        objet = (
            "Contestation des mesures que la commission envisage d'imposer "
            "(code de la consommation, art. L733-10 et R733-6)"
        )
        delai = "trente jours"
    elif admitted is not None:
        contested = admitted
        objet = (
            "Recours contre la décision de recevabilité du dossier "
            "(code de la consommation, art. R722-1)"
        )
        delai = "quinze jours"
    else:
        contested = None
        objet = ""
        delai = ""
    return {
        "commission": commission["nom"] if commission else "",
        "commission_adresse": address_lines(commission.get("adresse")) if commission else [],
        "numero_dossier": dossier,
        "recevabilite_date": format_date_long(admitted.date) if admitted else "",
        "etat_passif": event_context(case.latest("surendettement_etat_passif"))  # type: ignore[arg-type]
        if case.has("surendettement_etat_passif")
        else None,
        "contestation_objet": objet,
        "contestation_delai": delai,
        "decision_contestee": event_context(contested) if contested else None,
        "motifs": contested.get("note", "") if contested else "",
    }

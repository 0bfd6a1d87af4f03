"""The ``surendettement`` block: letters to the commission de surendettement.

``caution`` answers the guarantor question of C. conso. R723-3 from the case's ``caution``
(``existe``, ``appelee``, ``nom``): ``None`` when the case says nothing, and the justification
letter then refuses to render (see ``_NEEDS`` in :mod:`actes.documents.render`) rather than print
two
unanswered boxes.
"""

from __future__ import annotations

import re
from typing import Any

from actes.cases.case import Case, Event
from actes.documents.contexts.common import address_lines, event_context
from actes.documents.formatting import format_date_long


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
        # « Dossier n° 059-2026-07741 » → « 059-2026-07741 »: the letters print the label.
        "numero_dossier": re.sub(r"^Dossier\s+n°\s*", "", str(dossier)),
        "recevabilite_date": format_date_long(admitted.date) if admitted else "",
        "etat_passif": event_context(case.latest("surendettement_etat_passif"))  # type: ignore[arg-type]
        if case.has("surendettement_etat_passif")
        else None,
        "contestation_objet": objet,
        "contestation_delai": delai,
        "decision_contestee": event_context(contested) if contested else None,
        "motifs": contested.get("note", "") if contested else "",
        "caution": caution_context(case.data.get("caution")),
    }


def caution_context(raw: Any) -> dict[str, Any] | None:
    """Ticked boxes for « caution : oui / non » and « appelée : oui / non » (R723-3)."""
    if not isinstance(raw, dict) or "existe" not in raw:
        return None
    exists = bool(raw["existe"])
    called = bool(raw.get("appelee", False)) if exists else False
    return {
        "existe": exists,
        "appelee": called,
        "nom": str(raw.get("nom", "")) if exists else "",
        "existe_oui": _box(exists),
        "existe_non": _box(not exists),
        "appelee_oui": _box(exists and called),
        "appelee_non": _box(exists and not called),
    }


def _box(ticked: bool) -> str:
    return "☒" if ticked else "☐"

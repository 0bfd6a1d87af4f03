"""What the letters to the debtor (relances, mises en demeure) read beyond the common context.

- :func:`agency_context`: the collection agency's own signatory, place, payment account and
  first letter (CPCE R124-4: the references and date of the agency's first letter are
  recalled in every later step), and the creditor's own earlier reminder, which the agency
  may mention as the creditor's, never as its own.
- :func:`claims_object`: a neutral « Objet » built from the claims (« Factures FA-1 et FA-2 »),
  since the case's ``objet`` is an internal summary that may describe the debtor.
- :func:`applied_rates`: the interest or penalty rates the décompte applied, printed in the
  letter instead of the engine's conventions.

How the agency's letters are recorded in the case (docs/case-format.md): the first letter the
agency sends is the event ``premier_courrier_agence`` (its ``reference`` if the letter carried
another reference than the case's); ``relance_envoyee`` events dated before it are the
creditor's own reminders.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from actes.cases.case import Case, Event
from actes.documents.contexts.common import NATURE, iban
from actes.documents.formatting import format_date_long, format_rate, french_list
from actes.errors import IncompleteCase

__all__ = [
    "AGENCY_FIRST_LETTER",
    "AGENCY_NEEDS",
    "agency_context",
    "applied_rates",
    "claims_object",
    "rates_by_claim",
]

AGENCY_FIRST_LETTER = "premier_courrier_agence"

# What the agency's letters need from the case (see actes.documents.render._NEEDS): their own
# signer.
AGENCY_NEEDS = (
    (
        "mandataire.signataire",
        "le courrier de la société de recouvrement est signé par elle-même, jamais par le "
        "créancier : ajoutez « mandataire: {signataire: {nom: ..., qualite: ...}} » au "
        "dossier, ou le représentant de la société (mandataire.partie.representant)",
    ),
)

# Plural of the claim natures, for the object line (« Factures FA-1 et FA-2 »).
_PLURAL = {
    "facture": "factures",
    "echeance_pret": "échéances de prêt",
    "loyer": "loyers",
    "charges": "charges",
    "prestation": "prestations",
}


def _earliest(events: Sequence[Event], kind: str) -> Event | None:
    found = [e for e in events if e.type == kind]
    return min(found, key=lambda e: e.date) if found else None


def agency_context(case: Case, party: Mapping[str, Any]) -> dict[str, Any]:
    """Keys added to ``mandataire`` when it is a ``societe_recouvrement``.

    ``signataire`` (``nom``, ``qualite``): ``mandataire.signataire`` of the case, else the
    agency's own ``representant``, else ``None``; never the creditor's signatory (a letter of
    the agency is written and signed by the agency: :data:`AGENCY_NEEDS` makes rendering fail
    with the fix when it is missing).
    ``lieu``: ``mandataire.lieu``, else the town of the agency's address.
    ``compte_dedie``: the IBAN of the account dedicated to the funds collected for creditors
    (CPCE R124-2), grouped by four, or ``""``.
    ``premier_courrier``: ``None``, or ``date`` and ``reference`` of the agency's first letter
    (event ``premier_courrier_agence``; its reference defaults to the case reference, the one
    the letter printed).
    ``rappel_creancier``: ``None``, or ``date`` and ``reference`` of the creditor's earliest
    reminder (``relance_envoyee`` before the agency's first letter).
    """
    if case.mandataire is None:
        raise IncompleteCase("Le dossier n'indique pas de société de recouvrement (mandataire).")
    raw = case.mandataire.raw
    signer = raw.get("signataire")
    if not signer and party.get("representant_nom"):
        signer = {"nom": party["representant_nom"], "qualite": party["representant_qualite"]}
    first = _earliest(case.evenements, AGENCY_FIRST_LETTER)
    reminders = [
        e
        for e in case.evenements
        if e.type == "relance_envoyee" and (first is None or e.date < first.date)
    ]
    reminder = min(reminders, key=lambda e: e.date) if reminders else None
    place = raw.get("lieu") or case.mandataire.partie.adresse.ville
    return {
        "signataire": {"nom": str(signer["nom"]), "qualite": str(signer.get("qualite", ""))}
        if signer
        else None,
        "lieu": str(place),
        "compte_dedie": iban(str(raw["compte_dedie"])) if raw.get("compte_dedie") else "",
        "premier_courrier": {
            "date": format_date_long(first.date),
            "reference": first.get("reference") or case.reference,
        }
        if first is not None
        else None,
        "rappel_creancier": {
            "date": format_date_long(reminder.date),
            "reference": reminder.get("reference", ""),
        }
        if reminder is not None
        else None,
    }


# The object line of a letter about a consumer credit (« Prêt personnel n° PP-2023-55120 »).
_CREDIT = {
    "pret_personnel": "Prêt personnel",
    "credit_affecte": "Crédit affecté",
    "credit_renouvelable": "Crédit renouvelable",
    "location_avec_option_achat": "Location avec option d'achat",
    "autre": "Crédit",
}


def claims_object(case: Case) -> str:
    """« Facture FA-2026-0117 », « Factures FA-2026-0117 et FA-2026-0142 », or for claims of
    several natures « Créances FA-1, L-3 et P-2 »: what the letter is about, from the claims
    alone. Claims that arise from the case's consumer credit (``credit``, with a
    ``reference``) are named by the contract, « Prêt personnel n° PP-2023-55120 », not by the
    creditor's internal claim codes (« PP-2023-55120-ECH et PP-2023-55120-CAP »)."""
    credit = case.data.get("credit") or {}
    if credit.get("reference") and all(c.nature == "echeance_pret" for c in case.creances):
        label = _CREDIT.get(str(credit.get("nature", "autre")), "Crédit")
        return f"{label} n° {credit['reference']}"
    references = [c.reference for c in case.creances]
    natures = {c.nature for c in case.creances}
    if len(natures) == 1:
        (nature,) = natures
        label = NATURE.get(nature, nature) if len(references) == 1 else _PLURAL.get(nature, "")
    else:
        label = ""
    label = label or ("créance" if len(references) == 1 else "créances")
    return f"{label[:1].upper()}{label[1:]} {french_list(references)}"


def applied_rates(raw: Mapping[str, Any], contract_basis: str = "") -> list[str]:
    """The rates the décompte applied, as one phrase to print after « au taux de »:
    « 12,40 % l'an (taux BCE 2,40 % + 10 points, code de commerce, art. L441-10 II) »; when
    the claims bear different rates, each rate with its claim and its own basis: « 8,25 % l'an
    sur la créance FA-1 (…) et 12,40 % l'an sur la créance FA-2 (…) ». Within one claim, the
    rates of successive half-years follow each other (« …, puis … »). Empty when no interest
    was computed. ``contract_basis`` replaces the civil-code basis of a contractual rate (a
    consumer loan: « code de la consommation, art. L312-39 al. 1 »)."""
    per_claim = rates_by_claim(raw, contract_basis)
    if not per_claim:
        return []
    texts = {item["taux"] for item in per_claim}
    if len(texts) == 1:
        return [per_claim[0]["taux"]]
    return [" et ".join(f"{item['taux_sur_creance']}" for item in per_claim)]


_CIVIL_CONTRACT_BASIS = "code civil, art. 1103 et 1343-1 al. 2"


def rates_by_claim(raw: Mapping[str, Any], contract_basis: str = "") -> list[dict[str, str]]:
    """Each interest-bearing claim with the rate(s) applied to it and their basis:
    ``reference``, ``taux`` (« 12,40 % l'an (taux de la BCE au 1er juillet 2026 (2,40 %)
    majoré de 10 points, à défaut de taux convenu ; code de commerce, art. L441-10 II) »),
    ``taux_sur_creance`` (« 12,40 % l'an sur la créance FA-2 (…) »)."""
    found: list[dict[str, str]] = []
    for claim in raw.get("creances", []):
        pieces: list[str] = []
        for period in claim.get("periodes", []):
            basis = str(period.get("fondement_taux") or period.get("origine_taux") or "")
            if contract_basis:
                basis = basis.replace(_CIVIL_CONTRACT_BASIS, contract_basis)
            text = f"{format_rate(Decimal(str(period['taux'])))} l'an"
            text += f" ({basis})" if basis else ""
            if text not in pieces:
                pieces.append(text)
        if not pieces:
            continue
        reference = str(claim.get("reference", ""))
        first, _, rest = pieces[0].partition(" (")
        located = f"{first} sur la créance {reference}" + (f" ({rest}" if rest else "")
        found.append(
            {
                "reference": reference,
                "taux": ", puis ".join(pieces),
                "taux_sur_creance": ", puis ".join([located, *pieces[1:]]),
            }
        )
    return found

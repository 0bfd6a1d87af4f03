"""The ``ipe`` block: Form A of the European order for payment (Reg. 1896/2006).

Also the ground of jurisdiction of Form A, section 3 (art. 7(2)(f)): recorded in the case
file (``juridiction.competence``) or, where the case allows it, proposed from the parties'
domiciles (:func:`jurisdiction_ground`); the procedure's preconditions refuse Form A when
there is none (``procedures/injonction_de_payer_europeenne/2017-07-14.r2.yaml``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from actes._io import load_document
from actes._paths import data_file
from actes.cases.case import Case, Party
from actes.documents.contexts.common import country_name, digits_grouped
from actes.documents.formatting import format_amount, format_date_long, format_rate

__all__ = ["COURT_COUNTRY", "JurisdictionGround", "ipe_context", "jurisdiction_ground"]

# actes files Form A with a French court only.
COURT_COUNTRY = "FR"

# Form A, section 3 codes proposed from the case (parameters/ipe_formulaire_a.yaml).
_DEFENDANT_DOMICILE = "01"
_CONSUMER_DOMICILE = "08"

_IPE_NATURE = {
    "facture": "01",
    "prestation": "12",
    "echeance_pret": "15",
    "loyer": "03",
    "charges": "03",
    "autre": "25",
}

_PARTY_LABEL = {
    "01": "Demandeur",
    "02": "Défendeur",
    "03": "Représentant du demandeur",
    "05": "Représentant légal du demandeur",
    "06": "Représentant légal du défendeur",
}


@dataclass(frozen=True)
class JurisdictionGround:
    """The ground of jurisdiction of Form A, section 3 (Reg. 1896/2006 art. 7(2)(f))."""

    code: str
    precision: str
    proposed: bool  # derived from the case, not recorded in ``juridiction.competence``


def jurisdiction_ground(case: Case) -> JurisdictionGround | None:
    """The ground recorded in ``juridiction.competence``, else the one the case proves.

    Derivable grounds, the court being French (Brussels I bis as applied by art. 6 of the
    regulation): a consumer defendant domiciled in France → 08 (art. 6(2): only the courts of
    the consumer's Member State); any other defendant domiciled in France → 01 (Brussels I bis
    art. 4; CPC 1424-1). A defendant domiciled abroad gives no French ground by itself: the
    choice-of-court clause, the place of performance... must be recorded; ``None`` then.
    """
    recorded = (case.data.get("juridiction") or {}).get("competence")
    if recorded:
        return JurisdictionGround(
            code=str(recorded["code"]),
            precision=str(recorded.get("precision", "")),
            proposed=False,
        )
    debtor = case.debiteur
    if debtor.country != COURT_COUNTRY:
        return None
    place = f"{debtor.adresse.code_postal} {debtor.adresse.ville} ({country_name(debtor.country)})"
    if debtor.is_consumer:
        return JurisdictionGround(
            code=_CONSUMER_DOMICILE,
            precision=f"Domicile du défendeur consommateur\u00a0: {place} "
            "(règlement (CE) n° 1896/2006, art. 6, paragraphe 2)",
            proposed=True,
        )
    return JurisdictionGround(
        code=_DEFENDANT_DOMICILE,
        precision=f"Domicile du défendeur\u00a0: {place} (règlement (UE) n° 1215/2012, art. 4)",
        proposed=True,
    )


def _registration(party: Party) -> str:
    """Form A « code d'identification »: registration and VAT numbers, when the party has any."""
    raw = party.raw
    parts = []
    if raw.get("siren"):
        register = f"RCS {raw['rcs']}" if raw.get("rcs") else "SIREN"
        parts.append(f"{register} {digits_grouped(str(raw['siren']))}")
    if raw.get("identifiant_etranger"):
        parts.append(str(raw["identifiant_etranger"]))
    if raw.get("tva_intracommunautaire"):
        parts.append(f"TVA {raw['tva_intracommunautaire']}")
    return " ; ".join(parts)


def _details(party: Party) -> str:
    """Form A « autres précisions »: legal form and capital, or birth and nationality."""
    raw = party.raw
    if party.is_company:
        text = str(raw.get("forme_juridique", ""))
        if raw.get("capital") is not None:
            text += f" au capital de {format_amount(Decimal(str(raw['capital'])))}"
        return text
    parts = []
    if raw.get("date_naissance"):
        born = "née" if raw.get("civilite") == "Mme" else "né"
        text = f"{born} le {format_date_long(str(raw['date_naissance']))}"
        if raw.get("lieu_naissance"):
            text += f" à {raw['lieu_naissance']}"
        parts.append(text)
    if raw.get("nationalite"):
        parts.append(f"de nationalité {raw['nationalite']}")
    return ", ".join(parts)


def _address_fields(party: Party) -> dict[str, str]:
    address = party.adresse
    street = address.ligne1 + (f", {address.ligne2}" if address.ligne2 else "")
    return {
        "adresse": street,
        "code_postal": address.code_postal,
        "ville": address.ville,
        "code_pays": address.pays,
        "pays": country_name(address.pays),
    }


def _ipe_party(code: str, party: Party) -> dict[str, Any]:
    """One party of section 2, field by field as on the form."""
    raw = party.raw
    company = party.is_company
    return {
        "code": code,
        "libelle": _PARTY_LABEL[code],
        "nom": party.name,
        "denomination": party.name if company else "",
        "nom_famille": "" if company else str(raw.get("nom", "")).upper(),
        "prenoms": "" if company else str(raw.get("prenoms", "")),
        "identification": _registration(party),
        **_address_fields(party),
        "telephone": str(raw.get("telephone", "")),
        "email": str(raw.get("email", "")),
        "profession": "" if company else str(raw.get("profession", "")),
        "precisions": _details(party),
    }


def _legal_representative(code: str, party: Party) -> dict[str, Any] | None:
    """Code 05 / 06: the managing director, parent or guardian named in ``representant``.

    Reached at the party's address (the seat of a company): the case records no other one.
    """
    representant = party.get("representant")
    if not representant:
        return None
    return {
        "code": code,
        "libelle": _PARTY_LABEL[code],
        "nom": str(representant["nom"]),
        "denomination": "",
        "nom_famille": str(representant["nom"]),
        "prenoms": "",
        "identification": "",
        **_address_fields(party),
        "telephone": "",
        "email": "",
        "profession": "",
        "precisions": f"{representant['qualite']} de {party.name}",
    }


def _parties(case: Case) -> list[dict[str, Any]]:
    parties = [_ipe_party("01", case.creancier), _ipe_party("02", case.debiteur)]
    if case.mandataire is not None and case.mandataire.role == "avocat":
        lawyer = _ipe_party("03", case.mandataire.partie)
        lawyer["precisions"] = ", ".join(p for p in ("avocat", lawyer["precisions"]) if p)
        parties.append(lawyer)
    for code, party in (("05", case.creancier), ("06", case.debiteur)):
        found = _legal_representative(code, party)
        if found is not None:
            parties.append(found)
    return parties


@functools.cache
def _ipe_lists(path: Path) -> Any:
    # Read once per process: batches build thousands of contexts.
    return load_document(path, definition=True)


@functools.cache
def _ipe_codes(path: Path) -> tuple[dict[str, tuple[dict[str, str], ...]], dict[str, bool]]:
    # Shared by every context of the process: templates only read them (tuples).
    lists = _ipe_lists(path)["listes"]
    codes = {
        name: tuple(
            {"code": code, "libelle": label} for code, label in dict(entry["codes"]).items()
        )
        for name, entry in lists.items()
    }
    return codes, {name: entry["confirmed"] is True for name, entry in lists.items()}


def _country(code: str) -> str:
    return f"{code} – {country_name(code)}"


def ipe_context(case: Case, juridiction: Mapping[str, Any] | None) -> dict[str, Any]:
    path = data_file("parameters", "ipe_formulaire_a.yaml")
    data = _ipe_lists(path)
    codes, confirmed = _ipe_codes(path)
    labels = {item["code"]: item["libelle"] for item in codes["competence"]}
    ground = jurisdiction_ground(case)
    natures = sorted({_IPE_NATURE.get(c.nature, "25") for c in case.creances})
    contractual = [c for c in case.creances if c.taux_contractuel is not None]
    return {
        "parties": _parties(case),
        "codes": codes,
        # Lists read in the official text (not printed: the form carries no internal note).
        "confirme": confirmed,
        "reference": data["reference"],
        "pays_demandeur": _country(case.creancier.country),
        "pays_defendeur": _country(case.debiteur.country),
        "pays_juridiction": _country(COURT_COUNTRY),
        # None when the case gives no ground: the procedure's preconditions refuse Form A.
        "competence": {
            "code": ground.code,
            "libelle": labels.get(ground.code, ""),
            "precision": ground.precision,
            "propose": ground.proposed,
        }
        if ground is not None
        else None,
        "nature": natures[0] if len(natures) == 1 else "25",
        "circonstances": "31" if case.paiements else "30",
        "interets_code": "02" if contractual else "01",
        "interets_taux": format_rate(contractual[0].taux_contractuel)  # type: ignore[arg-type]
        if contractual
        else "",
        "interets_periode": "A",
        "interets_depuis": format_date_long(
            min(c.date_echeance for c in case.creances) + dt.timedelta(days=1)
        ),
        "preuve": "01",
        "suite_opposition": "01",
        "juridiction": juridiction,
    }

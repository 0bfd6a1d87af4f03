"""Parties, addresses, events and labels formatted for every template."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from actes.cases.case import Event, Party
from actes.documents.formatting import (
    format_amount,
    format_amount_whole,
    format_date_long,
    format_date_short,
)

NATURE = {
    "facture": "facture",
    "echeance_pret": "échéance de prêt",
    "loyer": "loyer",
    "charges": "charges",
    "prestation": "prestation",
    "autre": "autre",
}
ROLE = {
    "societe_recouvrement": "société de recouvrement amiable",
    "avocat": "avocat",
    "commissaire_de_justice": "commissaire de justice",
    "mandataire_judiciaire": "mandataire judiciaire",
    "liquidateur": "liquidateur judiciaire",
    "administrateur_judiciaire": "administrateur judiciaire",
    "commission_surendettement": "commission de surendettement des particuliers",
}
COLLECTIVE = {
    "sauvegarde": "sauvegarde",
    "redressement_judiciaire": "redressement judiciaire",
    "liquidation_judiciaire": "liquidation judiciaire",
}


# Member States other than France where the European order for payment applies (Regulation
# (EC) 1896/2006 art. 2 § 3: all Member States except Denmark).
EU_OTHER_STATES = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "EE", "ES", "FI", "GR", "HR", "HU", "IE",
        "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip


def digits_grouped(value: str, size: int = 3) -> str:
    return " ".join(value[i : i + size] for i in range(0, len(value), size))


def iban(value: str) -> str:
    compact = value.replace(" ", "").upper()
    return digits_grouped(compact, 4)


def country_name(code: str) -> str:
    from babel import Locale

    return str(Locale("fr").territories.get(code, code))


def identification(party: Party) -> str:
    raw = party.raw
    if party.is_company:
        parts = [str(raw.get("forme_juridique", ""))]
        if raw.get("capital") is not None:
            parts[0] += f" au capital de {format_amount_whole(Decimal(str(raw['capital'])))}"
        if raw.get("siren") and raw.get("rcs"):
            parts.append(
                f"immatriculée au RCS de {raw['rcs']} sous le n° {digits_grouped(raw['siren'])}"
            )
        elif raw.get("siren"):
            parts.append(f"SIREN n° {digits_grouped(raw['siren'])}")
        if raw.get("identifiant_etranger"):
            parts.append(f"immatriculée sous le n° {raw['identifiant_etranger']}")
        return ", ".join(p for p in parts if p)
    parts = []
    if raw.get("date_naissance"):
        text = f"{born(raw.get('civilite'))} le {format_date_long(str(raw['date_naissance']))}"
        if raw.get("lieu_naissance"):
            text += f" à {raw['lieu_naissance']}"
        parts.append(text)
    if raw.get("nationalite"):
        parts.append(f"de nationalité {raw['nationalite']}")
    if raw.get("profession"):
        parts.append(str(raw["profession"]))
    return ", ".join(parts)


def born(civilite: Any) -> str:
    """« né », « née », or « né(e) » when the civilité is not known."""
    return {"M.": "né", "Mme": "née"}.get(str(civilite or ""), "né(e)")


# Civilités written before a representative's name in a foreign language, printed in French
# (« Herr Jonas Becker » → « M. Jonas Becker »).
_CIVILITE = {
    "m.": "M.",
    "m": "M.",
    "monsieur": "M.",
    "mr": "M.",
    "mr.": "M.",
    "herr": "M.",
    "sr.": "M.",
    "signor": "M.",
    "mme": "Mme",
    "mme.": "Mme",
    "madame": "Mme",
    "mrs": "Mme",
    "mrs.": "Mme",
    "ms": "Mme",
    "ms.": "Mme",
    "frau": "Mme",
    "sra.": "Mme",
    "signora": "Mme",
}
# The representative's title in the salutation (« Monsieur le Gérant, »), French or foreign.
_TITLE = {
    "gérant": "Gérant",
    "gérante": "Gérante",
    "cogérant": "Gérant",
    "geschäftsführer": "Gérant",
    "geschäftsführerin": "Gérante",
    "président": "Président",
    "présidente": "Présidente",
    "président du conseil d'administration": "Président",
    "directeur général": "Directeur général",
    "directrice générale": "Directrice générale",
    "syndic": "Syndic",
}


def civilite_and_name(name: str) -> tuple[str, str]:
    """(« M. » or « Mme » or « », the name without its civilité) for a representative's name
    written with a French or foreign civilité (« Herr Jonas Becker » → (« M. », « Jonas
    Becker »))."""
    first, _, rest = name.strip().partition(" ")
    found = _CIVILITE.get(first.lower())
    return (found, rest.strip()) if found and rest.strip() else ("", name.strip())


def french_name(name: str) -> str:
    """The representative's name with a French civilité: « Herr Jonas Becker » → « M. Jonas
    Becker »; a name without a civilité is left as it is."""
    civilite, rest = civilite_and_name(name)
    return f"{civilite} {rest}" if civilite else rest


def salutation(party: Party) -> str:
    """How a letter to ``party`` opens (without the comma): « Monsieur » or « Madame » for a
    person whose civilité is known; for a legal person addressed to the attention of its
    representative, « Monsieur le Gérant » (civilité and title known), « Monsieur » (civilité
    only); else « Madame, Monsieur »."""
    raw = party.raw
    if not party.is_company:
        civility = str(raw.get("civilite", ""))
        return {"M.": "Monsieur", "Mme": "Madame"}.get(civility, "Madame, Monsieur")
    representative = raw.get("representant") or {}
    civilite, _ = civilite_and_name(str(representative.get("nom", "")))
    if not civilite:
        return "Madame, Monsieur"
    word = "Monsieur" if civilite == "M." else "Madame"
    title = _TITLE.get(str(representative.get("qualite", "")).strip().lower())
    if title is None:
        return word
    # Every title of _TITLE begins with a consonant: no elision.
    return f"{word} {'le' if civilite == 'M.' else 'la'} {title}"


def syndic_designation(syndic: Mapping[str, Any] | None) -> str:
    """The syndic representing a syndicat des copropriétaires (loi n° 65-557, art. 18):
    « Gestimmo, SARL, immatriculée au RCS de Bordeaux sous le n° 402 111 330, dont le siège
    social est situé 5 rue Sainte-Catherine, 33000 BORDEAUX, elle-même représentée par
    M. Éric Lambert, gérant »; empty when the party has no syndic."""
    if not syndic:
        return ""
    parts = [str(syndic["denomination"])]
    if syndic.get("forme_juridique"):
        parts.append(str(syndic["forme_juridique"]))
    if syndic.get("siren") and syndic.get("rcs"):
        parts.append(
            f"immatriculée au RCS de {syndic['rcs']} sous le n° {digits_grouped(syndic['siren'])}"
        )
    elif syndic.get("siren"):
        parts.append(f"SIREN n° {digits_grouped(syndic['siren'])}")
    parts.append(f"dont le siège social est situé {', '.join(address_lines(syndic['adresse']))}")
    representant = syndic.get("representant")
    if representant:
        parts.append(f"elle-même représentée par {representant['nom']}, {representant['qualite']}")
    return ", ".join(parts)


def party_context(party: Party) -> dict[str, Any]:
    raw = party.raw
    representant = raw.get("representant")
    lines = list(party.adresse.lines())
    contact = " – ".join(str(raw[k]) for k in ("telephone", "email") if raw.get(k))
    return {
        "nom": party.name,
        "est_societe": party.is_company,
        "est_consommateur": party.is_consumer,
        "qualite": party.qualite,
        "identification": identification(party),
        "forme_juridique": raw.get("forme_juridique", ""),
        "capital": format_amount_whole(Decimal(str(raw["capital"]))) if raw.get("capital") else "",
        "siren": digits_grouped(raw["siren"]) if raw.get("siren") else "",
        "siret": raw.get("siret", ""),
        "rcs": raw.get("rcs", ""),
        "tva": raw.get("tva_intracommunautaire", ""),
        "identifiant_etranger": raw.get("identifiant_etranger", ""),
        "representant": f"{french_name(str(representant['nom']))}, {representant['qualite']}"
        if representant
        else "",
        "representant_nom": french_name(str(representant["nom"])) if representant else "",
        "representant_qualite": representant["qualite"] if representant else "",
        "syndic": syndic_designation(raw.get("syndic")),
        "civilite": raw.get("civilite", ""),
        "ne": born(raw.get("civilite")),
        "salutation": salutation(party),
        "personne_physique": not party.is_company,
        "domicile_ue": party.country in EU_OTHER_STATES,
        "nom_famille": str(raw.get("nom", "")).upper(),
        "prenoms": raw.get("prenoms", ""),
        "date_naissance": format_date_long(str(raw["date_naissance"]))
        if raw.get("date_naissance")
        else "",
        "lieu_naissance": raw.get("lieu_naissance", ""),
        "profession": raw.get("profession", ""),
        "nationalite": raw.get("nationalite", ""),
        "adresse": lines,
        "adresse_ligne": ", ".join(lines),
        "pays": country_name(party.country),
        "code_pays": party.country,
        "email": raw.get("email", ""),
        "telephone": raw.get("telephone", ""),
        "contact": contact,
        "iban": iban(raw["iban"]) if raw.get("iban") else "",
        "bic": raw.get("bic", ""),
    }


# --------------------------------------------------------------------------- court


def address_lines(raw: Mapping[str, Any] | None) -> list[str]:
    if not raw:
        return []
    lines = [str(raw["ligne1"])]
    if raw.get("ligne2"):
        lines.append(str(raw["ligne2"]))
    lines.append(f"{raw['code_postal']} {str(raw['ville']).upper()}")
    if raw.get("pays", "FR") != "FR":
        lines.append(country_name(str(raw["pays"])).upper())
    return lines


def money(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal("0")


def event_context(event: Event) -> dict[str, Any]:
    organe = event.get("organe")
    juridiction = event.get("juridiction")
    montant = event.get("montant")
    return {
        "type": event.type,
        "date": format_date_long(event.date),
        "date_courte": format_date_short(event.date),
        "reference": event.get("reference", ""),
        "organe": {
            "nom": organe["nom"],
            "role": organe["role"],
            "role_libelle": ROLE.get(organe["role"], organe["role"]),
            "adresse": address_lines(organe.get("adresse")),
            "email": organe.get("email", ""),
        }
        if organe
        else None,
        "juridiction": {
            "nom": juridiction["nom"],
            "adresse": address_lines(juridiction.get("adresse")),
        }
        if juridiction
        else None,
        "procedure": event.get("procedure", ""),
        "procedure_libelle": COLLECTIVE.get(event.get("procedure", ""), ""),
        "a_personne": bool(event.get("a_personne", False)),
        "montant": format_amount(Decimal(str(montant))) if montant is not None else "",
        "note": event.get("note", ""),
    }


# --------------------------------------------------------------------------- procedures


def days_in_words(days: int) -> str:
    from num2words import num2words

    return str(num2words(days, lang="fr"))

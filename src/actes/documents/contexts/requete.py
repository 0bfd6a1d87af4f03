"""The ``requete`` block: what a requête en injonction de payer (CPC 1405 to 1408) prints
beyond the common keys, and what the user should know before filing it.

- the parties as the requête designates them (CPC 54 and 57): a company « représentée par »
  its legal representative, a signatory acting « en vertu d'une délégation de pouvoir », a
  syndicat des copropriétaires « représenté par son syndic »;
- the breakdown the Cerfa forms ask for (principal, interest, clause pénale, accessory costs)
  and the interest asked for the future, « au taux de … à compter du … »;
- the consumer credit a claim before the juge des contentieux de la protection rests on
  (amount, date, APR, first unregularised incident, déchéance du terme and its mise en demeure:
  C. conso. L312-39, R312-35);
- the article 1408 renvoi to the formation that judges the merits;
- ``representant``: who presents and signs the requête for the creditor (an avocat, or a
  mandataire holding a pouvoir spécial: :mod:`actes.documents.authorship`), or None;
- ``avertissements``: a court without address, a renamed court, a signatory who is not the
  legal representative without délégation, a mandataire without pouvoir spécial, missing
  pièces expected for the kind of claim (``parameters/pieces_attendues.yaml``).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from actes._io import load_document
from actes._paths import data_file
from actes.cases.case import Case
from actes.documents.contexts.common import address_lines, digits_grouped, money
from actes.documents.formatting import (
    amount_in_words,
    format_amount,
    format_date_long,
    format_rate,
)
from actes.law.procedures import ProcedureVersion

__all__ = ["expected_pieces", "requete_context"]

INJONCTION = frozenset(
    {"injonction_de_payer_tj", "injonction_de_payer_tc", "injonction_de_payer_jcp"}
)

_CREDIT_NATURE = {
    "pret_personnel": "prêt personnel",
    "credit_affecte": "crédit affecté",
    "credit_renouvelable": "crédit renouvelable",
    "location_avec_option_achat": "location avec option d'achat",
    "autre": "crédit à la consommation",
}
_INTEREST_WORDING = {
    "penalites_l441_10": "Pénalités de retard (code de commerce, art. L441-10)",
    "interet_legal": "Intérêts au taux légal (code civil, art. 1231-6 et 1344-1)",
    "contractuel": "Intérêts au taux contractuel (code civil, art. 1103 et 1343-1 al. 2)",
}
_CREDIT_INTEREST = "Intérêts au taux du prêt (code de la consommation, art. L312-39 al. 1)"
_FUTURE_BASIS = {
    "penalites_l441_10": "code de commerce, art. L441-10 II : taux de refinancement de la BCE "
    "majoré de dix points, révisé chaque semestre",
    "interet_legal": "code civil, art. 1231-6 ; code monétaire et financier, art. L313-2 : "
    "taux révisé chaque semestre",
    "contractuel": "taux stipulé au contrat, code civil, art. 1103 et 1343-1 al. 2",
}


# --------------------------------------------------------------------------- entry point


def representative(case: Case, warnings: list[str]) -> dict[str, Any] | None:
    """Who presents the requête for the creditor
    (:func:`actes.documents.authorship.representative`)."""
    from actes.documents.authorship import representative as presenter

    return presenter(case, warnings)


def requete_context(
    version: ProcedureVersion,
    case: Case,
    au: dt.date,
    raw_decompte: Mapping[str, Any],
    juridiction: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The ``requete`` key of the render context (see the module docstring)."""
    warnings: list[str] = []
    kind = str(version.court.get("kind", "")) if version.court else ""
    is_requete = version.procedure_id in INJONCTION
    representant = representative(case, warnings if is_requete else [])
    # The creditor's own signatory matters only when the creditor signs.
    signataire = _signatory(case, warnings if representant is None else [])
    if representant is not None:
        signataire = dict(representant["signataire"])
    credit = _credit(case, au, warnings if is_requete else [])
    if is_requete:
        warnings.extend(_court_warnings(case, au, juridiction))
        missing = _missing_pieces(case)
        if missing:
            warnings.append(
                "Pièces attendues absentes du bordereau : "
                + " ; ".join(f"{m['libelle']} ({m['fondement']})" for m in missing)
                + ". Ajoutez-les à « pieces » du dossier (le juge les demande)."
            )
    else:
        missing = []
    breakdown = _breakdown(raw_decompte, case, credit=bool(credit))
    return {
        "formation": _formation(kind),
        "creancier": _creditor(case, signataire),
        "debiteur": _debtor(case),
        "signataire": signataire,
        "representant": representant,
        "ventilation": breakdown,
        "interets_a_echoir": _future_interest(raw_decompte, au, credit=bool(credit)),
        "arret_interets": _interest_stop(raw_decompte),
        "credit": credit,
        "renvoi": _renvoi(kind, juridiction, case),
        "pieces_manquantes": missing,
        "avertissements": warnings,
    }


def _formation(kind: str) -> str:
    return {
        "tribunal_de_commerce": "tc",
        "tribunal_judiciaire": "tj",
        "juge_contentieux_protection": "jcp",
    }.get(kind, kind)


# --------------------------------------------------------------------------- parties


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(w for w in plain.replace(".", " ").split() if w not in ("m", "mme", "mlle"))


def _signatory(case: Case, warnings: list[str]) -> dict[str, Any]:
    """Who signs the requête, and by which power: legal representative or délégation."""
    creditor = case.creancier
    representative = creditor.get("representant") or {}
    given = case.parametres.get("signataire")
    if not given:
        return {
            "nom": str(representative.get("nom", creditor.name)),
            "qualite": str(representative.get("qualite", "")),
            "delegation": None,
            "mention": "",
            "entite": creditor.name,
        }
    delegation = given.get("delegation_de_pouvoir")
    if delegation:
        day = format_date_long(str(delegation["date"]))
        by = str(delegation.get("consentie_par") or _representative_text(representative))
        text = f"en vertu d'une délégation de pouvoir du {day}" + (
            f" consentie par {by}" if by else ""
        )
        if not any("delegation" in _fold(p.titre) for p in case.pieces):
            warnings.append(
                f"Le signataire agit en vertu d'une délégation de pouvoir du {day} : ajoutez-la "
                "aux pièces du dossier pour qu'elle figure au bordereau."
            )
        return {
            "nom": str(given["nom"]),
            "qualite": str(given["qualite"]),
            "delegation": {"date": day, "consentie_par": by, "texte": text},
            "mention": f"Agissant {text}",
            "entite": creditor.name,
        }
    if (
        creditor.is_company
        and representative
        and not _same_person(str(given["nom"]), str(representative.get("nom", "")))
    ):
        warnings.append(
            f"Le signataire ({given['nom']}) n'est pas le représentant légal du créancier "
            f"({representative.get('nom')}) : indiquez la délégation de pouvoir en vertu de "
            "laquelle il signe (« parametres.signataire.delegation_de_pouvoir ») et produisez-la."
        )
    return {
        "nom": str(given["nom"]),
        "qualite": str(given["qualite"]),
        "delegation": None,
        "mention": "",
        "entite": creditor.name,
    }


def _signer_name(case: Case) -> str:
    """The signatory as the requête's text names him: « M. Julien Petit » (``civilite`` of
    ``parametres.signataire``, or a civilité already written in the name)."""
    from actes.documents.contexts.common import french_name

    given = case.parametres.get("signataire") or {}
    name = french_name(str(given.get("nom", "")))
    civilite = str(given.get("civilite", ""))
    return f"{civilite} {name}" if civilite and not name.startswith(civilite) else name


def _same_person(name: str, other: str) -> bool:
    words, others = set(_fold(name).split()), set(_fold(other).split())
    return bool(words) and words <= others


def _representative_text(representative: Mapping[str, Any]) -> str:
    if not representative:
        return ""
    return f"{representative['nom']}, {representative['qualite']}"


def _company_identity(raw: Mapping[str, Any]) -> str:
    parts = [str(raw.get("forme_juridique", ""))]
    if raw.get("capital") not in (None, ""):
        parts[0] += f" au capital de {format_amount(Decimal(str(raw['capital'])))}"
    if raw.get("siren") and raw.get("rcs"):
        parts.append(
            f"immatriculée au RCS de {raw['rcs']} sous le n° {digits_grouped(raw['siren'])}"
        )
    elif raw.get("siren"):
        parts.append(f"SIREN n° {digits_grouped(raw['siren'])}")
    return ", ".join(p for p in parts if p)


def _syndic_text(syndic: Mapping[str, Any]) -> str:
    """« son syndic en exercice, Gestimmo, SARL …, dont le siège social est situé …, elle-même
    représentée par M. Éric Lambert, gérant »."""
    text = f"son syndic en exercice, {syndic['denomination']}"
    identity = _company_identity(syndic)
    if identity:
        text += f", {identity}"
    text += f", dont le siège social est situé {', '.join(address_lines(syndic['adresse']))}"
    if syndic.get("representant"):
        text += f", elle-même représentée par {_representative_text(syndic['representant'])}"
    return text


def _legal_person(party_raw: Mapping[str, Any], name: str, address: str, identity: str) -> str:
    syndic = party_raw.get("syndic")
    if syndic:
        own = "" if not identity or _fold(identity) in _fold(name) else f", {identity}"
        return (
            f"{name}{own}, dont le siège est situé {address}, représenté par "
            f"{_syndic_text(syndic)}"
        )
    return f"{name}, {identity}, dont le siège social est situé {address}"


def _creditor(case: Case, signataire: Mapping[str, Any]) -> str:
    from actes.documents.contexts.common import identification

    party = case.creancier
    address = ", ".join(party.adresse.lines())
    if not party.is_company:
        identity = identification(party)
        return f"{party.name}{', ' + identity if identity else ''}, demeurant {address}"
    text = _legal_person(party.raw, party.name, address, identification(party))
    representative = party.get("representant")
    if representative and not party.get("syndic"):
        text += f", représentée par {_representative_text(representative)}, son représentant légal"
    if signataire.get("delegation"):
        text += (
            f", et pour la présente requête par {_signer_name(case)}, {signataire['qualite']}, "
            f"agissant {signataire['delegation']['texte']}"
        )
    return text


def _debtor(case: Case) -> str:
    from actes.documents.contexts.common import identification

    party = case.debiteur
    address = ", ".join(party.adresse.lines())
    if not party.is_company:
        identity = identification(party)
        return f"{party.name}{', ' + identity if identity else ''}, demeurant {address}"
    text = _legal_person(party.raw, party.name, address, identification(party))
    representative = party.get("representant")
    if representative and not party.get("syndic"):
        who = _representative_text(representative)
        text += f", prise en la personne de son représentant légal, {who}"
    return text


# --------------------------------------------------------------------------- amounts


def _breakdown(raw: Mapping[str, Any], case: Case, *, credit: bool = False) -> dict[str, Any]:
    """Principal, interest, clause pénale and accessory costs left to pay (Cerfa 12948, 12946).

    Only the non-zero elements are listed (principal always). Where payments were imputed, the
    principal and interest lines say how much of them was paid (C. civ. 1343-1), so that they
    agree with the « Réglé » column of the décompte table.
    """
    category = {
        c.reference: str(c_raw.get("categorie", "principal"))
        for c, c_raw in zip(case.creances, case.data["creances"], strict=True)
    }
    principal = penalty = costs = interest = Decimal("0")
    paid_principal = paid_interest = Decimal("0")
    for claim in raw.get("creances", []):
        rest = money(claim.get("principal_restant"))
        kind = category.get(str(claim.get("reference")), "principal")
        if kind == "clause_penale":
            penalty += rest
        elif kind == "frais_accessoires":
            costs += rest
        else:
            principal += rest
            paid_principal += money(claim.get("principal_paye"))
        interest += money(claim.get("interets_restants"))
        paid_interest += money(claim.get("interets_payes"))
        costs += money(claim.get("indemnite")) - money(claim.get("indemnite_payee"))
    regime = str(raw.get("regime", ""))
    au = raw.get("au")
    agreed = "échues" if regime == "penalites_l441_10" else "échus"
    day = f" {agreed} au {format_date_long(str(au))}" if au else ""
    total = money(raw.get("totaux", {}).get("total_du"))
    wording = _INTEREST_WORDING.get(regime, "Intérêts")
    if credit and regime == "contractuel":
        wording = _CREDIT_INTEREST
    principal_label = "Principal"
    if paid_principal:
        principal_label += (
            f" ({format_amount(principal + paid_principal)} − {format_amount(paid_principal)} "
            "réglés)"
        )
    interest_label = wording + day
    if paid_interest:
        interest_label += (
            f" ({format_amount(interest + paid_interest)} − {format_amount(paid_interest)} réglés)"
        )
    lines = [
        {"libelle": principal_label, "montant": format_amount(principal)},
        {"libelle": interest_label, "montant": format_amount(interest)},
        {
            "libelle": "Clause pénale (code civil, art. 1231-5), sans intérêts avant la "
            "décision du juge",
            "montant": format_amount(penalty),
        },
        {
            "libelle": "Frais accessoires"
            + (
                " (indemnité forfaitaire pour frais de recouvrement, code de commerce, art. "
                "L441-10 et D441-5)"
                if regime == "penalites_l441_10"
                else ""
            ),
            "montant": format_amount(costs),
        },
    ]
    amounts = (principal, interest, penalty, costs)
    lines = [
        line
        for index, (line, amount) in enumerate(zip(lines, amounts, strict=True))
        if index == 0 or amount
    ]
    return {
        "lignes": lines,
        "total": format_amount(total),
        "total_lettres": amount_in_words(total),
        "principal": format_amount(principal),
    }


def _last_periods(raw: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    found = []
    for claim in raw.get("creances", []):
        periods = claim.get("periodes") or []
        if periods and money(claim.get("principal_restant")) > 0:
            found.append((str(claim.get("reference")), periods[-1]))
    return found


def _future_interest(raw: Mapping[str, Any], au: dt.date, *, credit: bool = False) -> str:
    """« avec intérêts au taux de 12,40 % l'an (…) à compter du 2 décembre 2026 sur … »."""
    regime = str(raw.get("regime", ""))
    stops = [str(c) for c in raw.get("conventions", []) if str(c).startswith("Intérêts arrêtés")]
    if stops:
        return ""
    # Only the claims that bear interest: never a clause pénale (C. civ. 1231-5, 1231-7).
    rest = sum(
        (
            money(c.get("principal_restant"))
            for c in raw.get("creances", [])
            if c.get("porte_interets", True)
        ),
        Decimal("0"),
    )
    start = format_date_long(au + dt.timedelta(days=1))
    if regime == "aucun":
        return (
            f"avec intérêts au taux de l'intérêt légal à compter du {format_date_long(au)}, date "
            "de la présente requête, qui vaut sommation de payer (code civil, art. 1231-6 et "
            "1344-1)"
        )
    periods = _last_periods(raw)
    if not periods:
        return ""
    word = "pénalités de retard" if regime == "penalites_l441_10" else "intérêts"
    basis = _FUTURE_BASIS.get(regime, "")
    if credit and regime == "contractuel":
        basis = "taux du prêt, code de la consommation, art. L312-39 al. 1"
    # Each claim's own rate and basis (a contractual rate and the statutory default differ).
    claims = {str(c.get("reference")): c for c in raw.get("creances", [])}
    texts = {
        ref: (
            format_rate(Decimal(str(p["taux"]))),
            _future_basis(p, claims.get(ref, {}), regime, basis),
        )
        for ref, p in periods
    }
    if len(set(texts.values())) == 1:
        rate, why = next(iter(texts.values()))
        return (
            f"avec {word} au taux de {rate} l'an ({why}) à compter du {start} sur la somme "
            f"de {format_amount(rest)} restant due"
            # A loan's unpaid instalments hold their own contractual interest: the sum is not
            # « hors intérêts » (its split by the tableau d'amortissement is not modelled).
            + (" (échéances impayées et capital restant dû)" if credit else " hors intérêts")
        )
    each = " et de ".join(
        f"{rate} l'an sur {format_amount(money(claims[ref].get('principal_restant')))} restant "
        f"dus au titre de la créance {ref} ({why})"
        for ref, (rate, why) in texts.items()
    )
    return f"avec {word} à compter du {start}, au taux de {each}"


def _future_basis(
    period: Mapping[str, Any], claim: Mapping[str, Any], regime: str, fallback: str
) -> str:
    """Why a claim goes on bearing its rate: the statutory default of L441-10 II, or the rate
    agreed between professionals (itself re-evaluated each half-year when indexed)."""
    if regime != "penalites_l441_10":
        return fallback
    basis = str(period.get("fondement_taux") or "")
    if "à défaut de taux convenu" in basis:
        return fallback
    agreed = str(claim.get("taux_contractuel") or "")
    if "taux" in agreed:
        return (
            f"taux convenu\u00a0: {agreed}, révisé chaque semestre ; code de commerce, "
            "art. L441-10 II"
        )
    return "taux convenu ; code de commerce, art. L441-10 II"


def _interest_stop(raw: Mapping[str, Any]) -> str:
    for sentence in raw.get("conventions", []):
        if str(sentence).startswith("Intérêts arrêtés"):
            return str(sentence) + " Aucun intérêt n'est demandé au-delà de cette date."
    return ""


# --------------------------------------------------------------------------- credit


def _credit(case: Case, au: dt.date, warnings: list[str]) -> dict[str, Any] | None:
    raw = case.data.get("credit")
    loans = [c for c in case.creances if c.nature == "echeance_pret"]
    if not raw:
        if loans and case.debiteur.is_consumer:
            warnings.append(
                "Créance de prêt envers un consommateur sans description du crédit : ajoutez "
                "« credit » au dossier (montant, date d'acceptation, TAEG, premier incident de "
                "paiement non régularisé) ; le délai de forclusion de deux ans court de ce "
                "premier incident (C. conso. art. R312-35)."
            )
        return None
    decheance = raw.get("decheance_du_terme")
    if decheance is None:
        warnings.append(
            "La déchéance du terme n'est pas indiquée (« credit.decheance_du_terme ») : sans "
            "elle, seules les échéances échues impayées sont exigibles (C. conso. art. L312-39)."
        )
    forclusion = _forclusion(case, au)
    return {
        "nature": _CREDIT_NATURE.get(str(raw.get("nature", "autre")), "crédit à la consommation"),
        "reference": str(raw.get("reference", "")),
        "montant": format_amount(Decimal(str(raw["montant"]))),
        "date_acceptation": format_date_long(str(raw["date_acceptation"])),
        "taeg": format_rate(Decimal(str(raw["taeg"]))),
        "taux_debiteur": format_rate(Decimal(str(raw["taux_debiteur"])))
        if raw.get("taux_debiteur") is not None
        else "",
        "duree_mois": int(raw["duree_mois"]) if raw.get("duree_mois") else None,
        "premier_incident": format_date_long(str(raw["premier_incident_non_regularise"])),
        "reamenagement": format_date_long(str(raw["reamenagement"]))
        if raw.get("reamenagement")
        else "",
        "decheance": {
            "date": format_date_long(str(decheance["date"])),
            "mise_en_demeure": format_date_long(str(decheance["mise_en_demeure"])),
            "delai_jours": int(decheance["delai_jours"]) if decheance.get("delai_jours") else None,
        }
        if decheance
        else None,
        "forclusion": format_date_long(forclusion) if forclusion else "",
    }


def _forclusion(case: Case, au: dt.date) -> dt.date | None:
    from actes.law.timeline import prescription_deadlines

    dates = [
        d.date_limite
        for d in prescription_deadlines(case, au)
        if d.id.startswith("forclusion_credit_consommation")
    ]
    return min(dates) if dates else None


# --------------------------------------------------------------------------- court


def _court_warnings(case: Case, au: dt.date, juridiction: Mapping[str, Any] | None) -> list[str]:
    from actes.law.court import dated_court_name

    found = []
    if juridiction is not None and not juridiction.get("adresse"):
        found.append(
            "La requête ne porte pas l'adresse de la juridiction : ajoutez "
            "« juridiction.adresse » au dossier (annuaire des juridictions : justice.fr)."
        )
    recorded = str((case.data.get("juridiction") or {}).get("nom", ""))
    if recorded:
        dated = dated_court_name(recorded, au)
        if dated.changed:
            found.append(
                f"La juridiction est nommée « {dated.name} » à la date du document "
                f"({format_date_long(au)}) et non « {dated.recorded} » ({dated.reference})."
            )
    return found


def _renvoi(kind: str, juridiction: Mapping[str, Any] | None, case: Case) -> str:
    """Art. 1408: the formation that judges the merits after an opposition, or nothing."""
    if juridiction is None or case.parametres.get("renvoi_1408") is False:
        return ""
    name = str(juridiction["nom"])
    court = name[:1].lower() + name[1:]
    if kind == "juge_contentieux_protection":
        # The judge who gave the order also judges the opposition: named as such.
        return f"le {juridiction['juge']}, statuant au fond"
    if kind in ("tribunal_judiciaire", "tribunal_de_commerce"):
        # The president gave the order; the court itself judges the merits.
        return f"le {court}, statuant au fond" if court.startswith("tribunal") else ""
    return ""


# --------------------------------------------------------------------------- pieces


def _expected() -> Mapping[str, Any]:
    return _expected_at(data_file("parameters", "pieces_attendues.yaml"))


@cache
def _expected_at(path: Path) -> Mapping[str, Any]:
    return dict(load_document(path, definition=True))


def expected_pieces(case: Case) -> list[dict[str, str]]:
    """The pièces expected for the kind of claim of the case (``pieces_attendues.yaml``)."""
    found: list[dict[str, str]] = []
    for group in _expected()["groupes"]:
        if group.get("requires") and not case.data.get(str(group["requires"])):
            continue
        for piece in group["pieces"]:
            found.append(
                {
                    "id": str(piece["id"]),
                    "libelle": str(piece["libelle"]),
                    "fondement": str(piece["fondement"]),
                    "mots": "|".join(_fold(str(w)) for w in piece["mots"]),
                }
            )
    return found


def _missing_pieces(case: Case) -> list[dict[str, str]]:
    titles = [_fold(p.titre) for p in case.pieces]
    return [
        {k: v for k, v in expected.items() if k != "mots"}
        for expected in expected_pieces(case)
        if not _any_word(titles, expected["mots"].split("|"))
    ]


def _any_word(titles: Sequence[str], words: Sequence[str]) -> bool:
    return any(word in title for title in titles for word in words)

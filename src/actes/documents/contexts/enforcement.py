"""The ``execution`` block: what the documents of the enforcement procedures print beyond the
common context (saisie-attribution, saisie des rémunérations, saisie conservatoire, petites
créances).

``None`` for the other procedures. Otherwise:

``titre``
    ``None`` without a title, else ``nature`` (French label), ``juridiction``, ``date``,
    ``numero``, ``designation`` (« ordonnance d'injonction de payer rendue le 2 mars 2026 par
    le tribunal judiciaire de Bordeaux (RG 26/01234) »), ``executoire`` (why and since when),
    ``signification`` (« signifiée le … à personne » or ``""``), ``expiration`` (CPCE L111-4),
    ``interets_posterieurs``, ``majoration``.
``decompte``
    The title décompte (:func:`actes.law.title.title_decompte`) at the reference date as
    printed lines: ``lignes`` (``libelle``, ``montant``: principal, principal paid, interest the
    title arrested, post-title interest, interest paid, each cost), ``periodes`` (one sentence
    per interest period with base, rate and its origin, days, amount, « taux majoré »),
    ``paiements`` (one sentence per payment after the title and its imputation),
    ``principal_restant``, ``frais_restants``, ``interets_restants``, ``total_du``,
    ``total_du_lettres``, ``provision`` (``jours``, ``montant``, ``periode``: for the
    saisie-attribution, one month of interest on the balance, CPCE R211-1; else ``None``),
    ``total_saisie`` and its ``_lettres`` (total plus provision), ``arrete_au``,
    ``conventions``, ``reserves``. ``None`` without a title.
``employeur``
    ``None`` or ``denomination``, ``siren``, ``adresse`` (lines), ``adresse_ligne``.
``tiers_saisis``
    Banks then other third parties owing the debtor money: ``nom``, ``adresse_ligne``,
    ``cause`` (« compte(s) bancaire(s) », or the case's own words), ``iban``.
``juge``
    ``None`` or the juge de l'exécution a requête goes to (``execution.juge_execution``):
    ``nom``, ``adresse`` (lines), ``juge`` (« juge de l'exécution du tribunal judiciaire de
    Lyon »), ``destinataire``.
``menace``, ``biens``, ``cause_sans_autorisation``
    Saisie conservatoire: the facts threatening recovery (CPCE L511-1), the assets the
    measure should bear on, and the L511-2 cause dispensing from authorisation (French label
    or ``""``); ``autorisation_requise`` is true when neither a title nor such a cause exists.
``montant_garanti``, ``montant_garanti_lettres``
    Saisie conservatoire without title: the sum the measure guarantees — once authorised, the
    sum the ordonnance fixes (``execution.autorisation``, CPCE R511-4); on an unpaid
    instrument, its amount (``execution.instrument``, L511-2); for the requête, the case's
    décompte total at the reference date.
``autorisation``
    ``None`` or the ordonnance (``date``, ``reference``, ``montant``, ``biens``,
    ``caducite``: last day to execute it, R511-6) once ``autorisation_saisie_conservatoire``
    is recorded; rendering the request without ``execution.autorisation`` is refused.
``instrument``
    ``None`` or the unpaid cheque / bill / rents of an L511-2 cause: ``designation``,
    ``montant``; its pièce (role ``instrument_impaye``) is required.
``avocat``
    ``None`` or the avocat presenting a requête to the juge de l'exécution (``nom``,
    ``barreau``, ``adresse_ligne``, ``ville``), required above the CPCE L121-4 threshold.
``petites_creances``
    ``plafond`` (the ceiling of the version, CPCE R125-1), ``principal``, ``interets``,
    ``total`` (principal plus interest, what the ceiling is compared with).
``pieces_titre``
    The pièces that carry the title and its service (``numero``, ``titre``, ``date``, ``role``).

Rendering a document that acts on a title checks its pièces first
(:func:`actes.law.title.check_title_pieces`: copie exécutoire, certified requête or judgment,
act of service): the commissaire cannot act without them, so nothing is written. The title
issued after the petites créances procedure must be enforced by another commissaire than the
one who issued it (CPCE L125-1).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from actes.cases.case import Case
from actes.documents.contexts.common import address_lines, digits_grouped, iban, money
from actes.documents.contexts.title import executory_clause
from actes.documents.formatting import amount_in_words, format_amount, format_date_long
from actes.errors import IncompleteCase
from actes.law.conditions import ConditionContext, evaluate
from actes.law.deadlines import add_months
from actes.law.enforcement import (
    claim_principal_and_interest,
    current_title,
    execution_data,
)
from actes.law.procedures import ProcedureVersion

__all__ = ["ENFORCEMENT_PROCEDURES", "enforcement_context"]

# The procedures whose documents read this block.
ENFORCEMENT_PROCEDURES = frozenset(
    {"saisie_attribution", "saisie_remunerations", "saisie_conservatoire", "petites_creances"}
)
# Procedures whose documents ask the commissaire to act on the title.
_ON_TITLE = frozenset({"saisie_attribution", "saisie_remunerations"})
# The saisie-attribution act adds the interest to fall due during the one-month contestation
# period (CPCE R211-1 3°).
_WITH_PROVISION = frozenset({"saisie_attribution"})
_CAUSES = {
    "cheque_impaye": "défaut de paiement d'un chèque",
    "lettre_de_change_acceptee": "défaut de paiement d'une lettre de change acceptée",
    "billet_a_ordre": "défaut de paiement d'un billet à ordre",
    "loyer_bail_ecrit": "loyer resté impayé en vertu d'un contrat écrit de louage d'immeuble",
}
_CEILING = re.compile(r"^[0-9]+\.[0-9]{2}$")


def enforcement_context(
    version: ProcedureVersion, case: Case, au: dt.date, commissaire: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """The ``execution`` block for a document of ``version`` (see the module docstring)."""
    if version.procedure_id not in ENFORCEMENT_PROCEDURES:
        return None
    from actes.law.title import check_title_pieces

    title = current_title(case, au)
    if title is not None and version.procedure_id in _ON_TITLE:
        check_title_pieces(case, "execution")
        _check_other_commissaire(title, commissaire)
    data = execution_data(case)
    employer = data.get("employeur")
    cause = str(data.get("cause_sans_autorisation", ""))
    # The letters (courriers/) go to the commissaire; a requête to the judge does not.
    conditions = ConditionContext(case=case, au=au)
    to_commissaire = any(
        spec.template.startswith("courriers/")
        and (spec.when is None or evaluate(spec.when, conditions))
        for spec in version.documents
    )
    if to_commissaire and commissaire is None:
        raise IncompleteCase(
            f"Le commissaire de justice à qui s'adresse la demande (« {version.procedure_id} ») "
            "n'est pas indiqué dans le dossier.",
            hint="ajoutez « mandataire: {role: commissaire_de_justice, partie: ...} » ou "
            "l'« organe » (role commissaire_de_justice) d'un événement",
        )
    total = Decimal("0")
    principal, interest = Decimal("0"), Decimal("0")
    if title is None and case.creances:
        principal, interest = claim_principal_and_interest(case, au)
        from actes.law.accounts import decompte_for_case

        total = decompte_for_case(case, au).total_due
    authorisation = instrument = None
    if version.procedure_id == "saisie_conservatoire" and title is None:
        if case.latest("autorisation_saisie_conservatoire") is not None:
            authorisation = _authorisation(case, data)
            total = Decimal(authorisation["montant_decimal"])
        elif cause:
            instrument = _instrument(case, data, cause)
            total = Decimal(instrument["montant_decimal"])
    return {
        "titre": _title_context(title, au) if title is not None else None,
        "decompte": _title_decompte(case, au, version.procedure_id) if title is not None else None,
        "employeur": {
            "denomination": str(employer["denomination"]),
            "siren": digits_grouped(str(employer.get("siren", ""))),
            "adresse": address_lines(employer.get("adresse")),
            "adresse_ligne": ", ".join(address_lines(employer.get("adresse"))),
        }
        if employer
        else None,
        "juge": _judge(data.get("juge_execution")),
        "tiers_saisis": _third_parties(data),
        "menace": str(data.get("menace", "")),
        "biens": str(data.get("biens", "")),
        "cause_sans_autorisation": _CAUSES.get(cause, ""),
        "autorisation_requise": title is None and not cause,
        "autorisation": authorisation,
        "instrument": instrument,
        "avocat": _lawyer(data.get("avocat")),
        "montant_garanti": format_amount(total),
        "montant_garanti_lettres": amount_in_words(total),
        "petites_creances": _small_claims(version, principal, interest),
        "pieces_titre": [
            {"numero": p.numero, "titre": p.titre, "date": format_date_long(p.date), "role": role}
            for role, pieces in (title.pieces.items() if title is not None else ())
            for p in pieces
        ],
    }


def _authorisation(case: Case, data: Mapping[str, Any]) -> dict[str, Any]:
    """The ordonnance authorising the saisie conservatoire: the commissaire seizes only for
    the sum it fixes and on the assets it names (CPCE R511-4)."""
    event = case.latest("autorisation_saisie_conservatoire")
    assert event is not None
    raw = data.get("autorisation")
    if not raw:
        raise IncompleteCase(
            "L'ordonnance autorisant la saisie conservatoire est enregistrée "
            f"(événement du {format_date_long(event.date)}) mais ni la somme qu'elle fixe ni "
            "les biens qu'elle désigne ne sont indiqués : le commissaire de justice ne peut "
            "saisir que pour cette somme et sur ces biens (CPCE, art. R511-4). Rien n'a été "
            "écrit.",
            hint="ajoutez « execution: {autorisation: {date: AAAA-MM-JJ, reference: ..., "
            'montant: "12345.67", biens: ...}} », tels que l\'ordonnance les fixe',
        )
    day = dt.date.fromisoformat(str(raw["date"]))
    if day != event.date:
        raise IncompleteCase(
            f"La date de l'ordonnance (« execution.autorisation.date » : "
            f"{format_date_long(day)}) diffère de celle de l'événement "
            f"« autorisation_saisie_conservatoire » ({format_date_long(event.date)}) : le "
            "délai de trois mois pour exécuter la mesure court de l'ordonnance (CPCE, art. "
            "R511-6).",
            hint="corrigez l'une des deux dates",
        )
    pieces = case.data.get("pieces") or ()
    if not any(
        isinstance(p, Mapping) and p.get("role") == "ordonnance_autorisation" for p in pieces
    ):
        raise IncompleteCase(
            "Pièce manquante : l'ordonnance du juge de l'exécution du "
            f"{format_date_long(day)} autorisant la saisie conservatoire. Le commissaire de "
            "justice saisit en vertu de cette autorisation, que l'acte énonce et dont la "
            "dénonciation porte copie (CPCE, art. R511-4, R523-1 et R523-3). Rien n'a été écrit.",
            hint="ajoutez la pièce avec « role: ordonnance_autorisation »",
        )
    amount = Decimal(str(raw["montant"]))
    return {
        "date": format_date_long(day),
        "reference": str(raw.get("reference") or event.get("reference") or ""),
        "montant": format_amount(amount),
        "montant_decimal": str(amount),
        "montant_lettres": amount_in_words(amount),
        "biens": str(raw["biens"]).strip(),
        "caducite": format_date_long(add_months(day, 3)),
    }


_INSTRUMENT_NAMES = {
    "cheque_impaye": "chèque",
    "lettre_de_change_acceptee": "lettre de change acceptée",
    "billet_a_ordre": "billet à ordre",
    "loyer_bail_ecrit": "loyers impayés du bail écrit",
}


def _instrument(case: Case, data: Mapping[str, Any], cause: str) -> dict[str, Any]:
    """The unpaid instrument that dispenses from authorisation (CPCE L511-2): identified,
    with its pièce; the measure guarantees its amount, not the rest of the claim."""
    raw = data.get("instrument") or {}
    missing = [k for k in ("date", "montant") if not raw.get(k)]
    if cause == "cheque_impaye":
        missing += [k for k in ("numero", "tire") if not raw.get(k)]
    if missing:
        raise IncompleteCase(
            f"La saisie conservatoire sans autorisation repose sur le {_CAUSES[cause]} "
            "(CPCE, art. L511-2), qui n'est pas identifié : champ(s) manquant(s) "
            f"{', '.join('« execution.instrument.' + k + ' »' for k in missing)}. Rien n'a "
            "été écrit.",
            hint="ajoutez « execution: {instrument: {numero: ..., date: AAAA-MM-JJ, montant: "
            '"1234.56", tire: <banque tirée>, rejet: AAAA-MM-JJ}} »',
        )
    pieces = case.data.get("pieces") or ()
    if not any(isinstance(p, Mapping) and p.get("role") == "instrument_impaye" for p in pieces):
        raise IncompleteCase(
            f"Pièce manquante : le {_INSTRUMENT_NAMES[cause]} impayé"
            + (" (et son certificat de non-paiement)" if cause == "cheque_impaye" else "")
            + ", qui seul dispense la saisie conservatoire de l'autorisation du juge (CPCE, "
            "art. L511-2). Rien n'a été écrit.",
            hint="ajoutez la pièce avec « role: instrument_impaye »",
        )
    amount = Decimal(str(raw["montant"]))
    day = dt.date.fromisoformat(str(raw["date"]))
    name = _INSTRUMENT_NAMES[cause]
    if cause == "loyer_bail_ecrit":
        designation = f"{name} du {format_date_long(day)}"
    else:
        designation = name + (f" n° {raw['numero']}" if raw.get("numero") else "")
        designation += f" du {format_date_long(day)}"
        designation += f", tiré sur {raw['tire']}" if raw.get("tire") else ""
    designation += f", de {format_amount(amount)}"
    if raw.get("rejet"):
        designation += f", rejeté le {format_date_long(dt.date.fromisoformat(str(raw['rejet'])))}"
    return {
        "designation": designation,
        "montant": format_amount(amount),
        "montant_decimal": str(amount),
        "montant_lettres": amount_in_words(amount),
    }


def _lawyer(raw: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not raw:
        return None
    return {
        "nom": str(raw["nom"]),
        "barreau": str(raw["barreau"]),
        "adresse_ligne": ", ".join(address_lines(raw.get("adresse"))),
        # The requête is signed where the avocat who presents it practises.
        "ville": str((raw.get("adresse") or {}).get("ville", "")),
    }


def _check_other_commissaire(title: Any, commissaire: Mapping[str, Any] | None) -> None:
    """The title of the petites créances procedure is enforced by another commissaire
    (CPCE L125-1): the one named to act must differ from the one who issued it."""
    if title.nature != "titre_petites_creances" or commissaire is None or not title.court:
        return
    if _plain(str(commissaire.get("nom", ""))) == _plain(title.court):
        raise IncompleteCase(
            f"Le commissaire de justice désigné ({commissaire['nom']}) est celui qui a délivré "
            "le titre de la procédure des petites créances : son exécution forcée doit être "
            "confiée à un autre commissaire de justice (CPCE art. L125-1).",
            hint="indiquez le commissaire chargé de l'exécution : « mandataire: {role: "
            "commissaire_de_justice, partie: ...} »",
        )


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _title_context(title: Any, au: dt.date) -> dict[str, Any]:
    court = title.court
    designation = f"{title.nature_label} du {format_date_long(title.date)}"
    designation += f", {court}" if court else ""
    designation += f", {title.number}" if title.number else ""
    designation = designation[:1].upper() + designation[1:]
    served = ""
    if title.served_on is not None:
        served = (
            "signification" + (" à personne" if title.served_in_person else "") + " le "
            f"{format_date_long(title.served_on)}"
        )
    return {
        "nature": title.nature_label,
        "juridiction": court,
        "date": format_date_long(title.date),
        "numero": title.number,
        "designation": designation,
        # The plain sentence where it applies (an ordonnance served and not opposed), the
        # engine's basis otherwise.
        "executoire": executory_clause(title, au)
        or title.executory_basis[:1].upper() + title.executory_basis[1:],
        "executoire_le": format_date_long(title.executory_on) if title.executory_on else "",
        "signification": served,
        "expiration": format_date_long(title.expires_on),
        "interets_posterieurs": title.post_interest.label(),
        "majoration": title.majoration_basis,
        "formule_executoire": format_date_long(title.formule_on) if title.formule_on else "",
    }


def _title_decompte(case: Case, au: dt.date, procedure_id: str) -> dict[str, Any]:
    from actes.law.title import provision_days, title_decompte

    days = provision_days(au) if procedure_id in _WITH_PROVISION else 0
    # When the month ahead reaches a half-year whose rate is not published yet, the title
    # décompte estimates the provision at the rate in force on ``au`` and says so.
    decompte = title_decompte(case, au, provision_days=days)
    provision_amount, provision_note = decompte.provision, decompte.provision_note
    lines = [
        {"libelle": "Principal alloué par le titre", "montant": format_amount(decompte.principal)}
    ]
    if decompte.principal_paid:
        lines.append(
            {
                "libelle": "Réglé sur le principal depuis le titre",
                "montant": "− " + format_amount(decompte.principal_paid),
            }
        )
    title = decompte.title
    if decompte.interest_due_title:
        until = f" au {format_date_long(title.interest_due_to)}" if title.interest_due_to else ""
        lines.append(
            {
                "libelle": f"Intérêts arrêtés par le titre{until}",
                "montant": format_amount(decompte.interest_due_title),
            }
        )
    if decompte.interest_post_title or title.post_interest.nature != "aucun":
        lines.append(
            {
                "libelle": "Intérêts échus en vertu du titre – " + title.post_interest.label(),
                "montant": format_amount(decompte.interest_post_title),
            }
        )
    if decompte.interest_paid:
        lines.append(
            {
                "libelle": "Réglé sur les intérêts",
                "montant": "− " + format_amount(decompte.interest_paid),
            }
        )
    for cost in decompte.costs:
        lines.append({"libelle": cost.label, "montant": format_amount(cost.amount)})
    if decompte.costs_paid:
        lines.append(
            {
                "libelle": "Réglé sur les frais",
                "montant": "− " + format_amount(decompte.costs_paid),
            }
        )
    provision = None
    with_provision = decompte.total_due
    if days:
        # No date range: the month of contestation runs from the dénonciation (R211-3,
        # R211-11), a date the creditor does not know yet.
        provision = {
            "jours": days,
            "montant": format_amount(provision_amount),
            "note": provision_note,
        }
        with_provision += provision_amount
    return {
        "lignes": lines,
        "periodes": [_period_sentence(p) for p in decompte.interest_periods],
        "paiements": [_payment_sentence(p) for p in decompte.payments],
        "principal_restant": format_amount(decompte.principal_outstanding),
        "frais_restants": format_amount(decompte.costs_outstanding),
        "interets_restants": format_amount(decompte.interest_outstanding),
        "total_du": format_amount(decompte.total_due),
        "total_du_lettres": amount_in_words(decompte.total_due),
        "provision": provision,
        "total_saisie": format_amount(with_provision),
        "total_saisie_lettres": amount_in_words(with_provision),
        "arrete_au": format_date_long(au),
        "conventions": list(decompte.conventions),
        "reserves": list(decompte.reserves),
    }


def _period_sentence(period: Mapping[str, Any]) -> str:
    first = dt.date.fromisoformat(str(period["debut_exclu"])) + dt.timedelta(days=1)
    days = int(period["jours"])
    rate = str(period["taux"]).replace(".", ",")
    origin = str(period.get("fondement_taux") or period.get("origine_taux") or "")
    return (
        f"du {format_date_long(first)} au {format_date_long(str(period['fin_incluse']))}, "
        f"{days} jour{'s' if days > 1 else ''} sur {format_amount(money(period['assiette']))} "
        f"au taux de {rate}\u00a0% l'an"
        + (" majoré de cinq points" if period.get("majore") and "major" not in origin else "")
        + (f" ({origin})" if origin else "")
        + f", base {period['base']} jours\u00a0: {format_amount(money(period['montant']))}"
    )


def _payment_sentence(payment: Any) -> str:
    parts = [
        f"{format_amount(amount)} {what}"
        for amount, what in (
            (payment.to_interest, "sur les intérêts"),
            (payment.to_principal, "sur le principal"),
            (payment.to_costs, "sur les frais"),
        )
        if amount
    ]
    named = f" ({payment.reference})" if payment.reference else ""
    return (
        f"règlement du {format_date_long(payment.date)}{named} de "
        f"{format_amount(payment.amount)} imputé "
        + ", ".join(parts)
        + " (code civil, art. 1342-10 et 1343-1)"
    )


def _judge(raw: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The juge de l'exécution of ``execution.juge_execution`` (« Tribunal judiciaire de
    Lyon » → « juge de l'exécution du tribunal judiciaire de Lyon »)."""
    if not raw:
        return None
    name = str(raw["nom"]).strip()
    court = name[:1].lower() + name[1:]
    judge = court if court.startswith("juge") else f"juge de l'exécution du {court}"
    return {
        "nom": name,
        "adresse": address_lines(raw.get("adresse")),
        "juge": judge,
        "destinataire": f"Madame, Monsieur le {judge}",
    }


def _third_parties(data: Mapping[str, Any]) -> list[dict[str, str]]:
    found = [
        {
            "nom": str(bank["nom"]),
            "adresse_ligne": ", ".join(address_lines(bank.get("adresse"))),
            "cause": "compte(s) ouvert(s) au nom du débiteur",
            "iban": iban(str(bank["iban"])) if bank.get("iban") else "",
        }
        for bank in data.get("banques") or ()
    ]
    found += [
        {
            "nom": str(other["nom"]),
            "adresse_ligne": ", ".join(address_lines(other.get("adresse"))),
            "cause": str(other["cause"]),
            "iban": "",
        }
        for other in data.get("tiers") or ()
    ]
    return found


def _small_claims(
    version: ProcedureVersion, principal: Decimal, interest: Decimal
) -> dict[str, str] | None:
    if version.procedure_id != "petites_creances":
        return None
    ceiling = next(
        (
            str(p.require["principal_et_interets_au_plus"])
            for p in version.preconditions
            if "principal_et_interets_au_plus" in p.require
        ),
        "",
    )
    return {
        "plafond": format_amount(Decimal(ceiling)) if _CEILING.match(ceiling) else "",
        "principal": format_amount(principal),
        "interets": format_amount(interest),
        "total": format_amount(principal + interest),
        "total_lettres": amount_in_words(principal + interest),
    }

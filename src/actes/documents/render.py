"""From a case and a procedure version to DOCX documents (docxtpl), and optionally PDF.

The pipeline is flat: load the case under the version's own schema, check every precondition
(nothing is written if one fails), build one context, render each document whose ``when``
holds into memory, and only then write the files atomically.

Case data is only ever a *value* of the context, never template source: the Jinja environment
is sandboxed, autoescapes (``&`` and ``<`` stay valid XML) and refuses undefined names.

Context keys (all amounts and dates are already formatted in French):

``acte``
    ``procedure``, ``titre``, ``version``, ``en_vigueur_depuis``, ``periode``.
``aujourd_hui``, ``lieu``
    Date of the document (« 24 novembre 2026 ») and place it is made at.
``dossier``
    ``reference``, ``objet`` (the case's internal summary: never printed in a letter to the
    debtor), ``objet_courrier`` (neutral object from the claims: « Factures FA-1 et FA-2 »,
    :func:`actes.documents.contexts.letters.claims_object`).
``creancier``, ``debiteur``, ``expediteur``
    A party: ``nom``, ``est_societe``, ``est_consommateur``, ``qualite``, ``identification``
    (« SAS au capital de 50 000 €, immatriculée au RCS de Lyon sous le n° 732 829 320 »
    or birth, nationality and profession of a person), ``forme_juridique``, ``capital``,
    ``siren``, ``siret``, ``rcs``, ``tva``, ``identifiant_etranger``, ``representant``,
    ``syndic`` (the syndic representing a syndicat des copropriétaires, « Gestimmo, SARL, …,
    elle-même représentée par … », or empty), ``civilite``, ``nom_famille``, ``prenoms``,
    ``date_naissance``, ``lieu_naissance``,
    ``profession``, ``nationalite``, ``adresse`` (lines), ``adresse_ligne``, ``pays``,
    ``code_pays``, ``email``, ``telephone``, ``iban``, ``bic``, ``contact``, ``ne`` (« né »,
    « née », « né(e) »), ``salutation`` (« Monsieur le Gérant », « Madame, Monsieur »),
    ``personne_physique``, ``domicile_ue`` (domiciled in another Member State of Regulation
    1896/2006) (:func:`actes.documents.contexts.common.party_context`).
    ``expediteur`` is the collection agency when one acts, else the creditor.
``mandataire``
    ``None`` or a party plus ``role``, ``role_libelle``, ``reference_mandat``, ``date_mandat``;
    for a ``societe_recouvrement`` also ``signataire`` (the agency's own), ``lieu``,
    ``compte_dedie``, ``premier_courrier`` and ``rappel_creancier``
    (:func:`actes.documents.contexts.letters.agency_context`).
``signataire``
    ``nom``, ``qualite``: ``parametres.signataire`` of the case, else the creditor's
    representative, else the firm's signatory (``[cabinet.signataire]`` of ``actes.toml``)
    when the firm sends the document, else the creditor's name.
``entete``
    ``None``, or the firm's letterhead when the firm sends the document
    (:func:`actes.workspace.letterhead`): ``nom``, ``identification``, ``adresse`` (lines),
    ``contact``, ``logo`` (the image, inserted by :func:`render_template`), ``expediteur``
    (the sender is the firm itself).
``representation``
    ``None``, or in a letter the firm's lawyer or commissaire de justice writes for the
    creditor, ``role`` and ``texte`` (:func:`actes.documents.authorship.for_template`, which
    also sets ``entete``, ``expediteur`` and ``signataire`` per template).
``juridiction``
    ``None`` when the procedure has no court and the case names none, else ``nom``,
    ``adresse``, ``nature``, ``juge`` (title from :func:`actes.law.court.competent_court`) and
    ``destinataire`` (« Madame, Monsieur le président du tribunal de commerce de Bordeaux »).
``creances``, ``total_creances``, ``paiements``, ``total_paiements``, ``solde_factures``
    Claims (``reference``, ``libelle``, ``nature``, ``nature_libelle``, ``date_emission``,
    ``date_echeance``, ``montant``, ``fondement``, ``taux_contractuel``) and payments.
``decompte``
    The printed statement from :func:`actes.law.accounts.decompte_for_case` (see
    :func:`printed_decompte`), with ``total_du`` and ``total_du_lettres``.
``delais``, ``delai``
    The case's deadlines from :func:`actes.law.timeline.case_deadlines` as a list and by id:
    ``libelle``, ``date_limite``, ``fondement``, ``consequence``, ``statut``, ``trace``.
``delai_paiement``
    ``jours``, ``jours_lettres``, ``date`` (reference date + days).
``pieces``
    ``numero``, ``titre``, ``date``, ``fichier``.
``mentions``
    The named legal texts of the procedure version.
``evenements``, ``evenements_liste``
    Events by type (the earliest of each type) and all of them in date order: ``type``,
    ``date``, ``reference``, ``organe`` (``nom``, ``role``, ``adresse``), ``juridiction``,
    ``procedure``, ``procedure_libelle``, ``a_personne``, ``montant``, ``note``.
``document``
    ``titre`` of the document being rendered (from the procedure version).
``titre``
    ``None`` or the executory title and its décompte at the document's date
    (:mod:`actes.documents.contexts.title`): ``nature_libelle``, ``juridiction``, ``date``,
    ``numero``, ``signification``, ``executoire_le``, ``majoration_a_compter_du``,
    ``execution_jusqu_au``, ``interets_posterieurs``, ``montants`` (``libelle``, ``montant``),
    ``total_accorde``, ``decompte`` (``principal_restant``, ``frais``, ``periodes`` with
    ``du``, ``au``, ``jours``, ``taux``, ``majore``, ``montant``, ``paiements``,
    ``interets_restants``, ``total_du``, ``provision``...) and ``conventions``.
``commissaire``
    ``None`` or the commissaire de justice (``nom``, ``adresse``): the mandataire with that
    role, else the last event naming one as ``organe``.
``declaration``, ``surendettement``, ``plan``, ``ipe``
    Data of the déclaration de créance, surendettement letters, payment plan and European
    order for payment (``None`` when the case has nothing for them).
``preventive``
    ``None`` outside the relance préventive; else the claims falling due within its
    ``jours_avant_echeance`` days and the letter's sentences, shared with its e-mail version
    (:mod:`actes.documents.contexts.preventive`).
``requete``
    What a requête en injonction de payer prints beyond the rest
    (:mod:`actes.documents.contexts.requete`):
    ``formation`` (tj, tc, jcp), ``creancier`` and ``debiteur`` (designations of CPC 54 and 57:
    « représenté par son syndic », délégation de pouvoir), ``signataire`` (``nom``,
    ``qualite``, ``delegation``, ``mention``), ``ventilation`` (principal, interest, clause
    pénale, accessory costs), ``interets_a_echoir`` (« avec intérêts au taux de … à compter du
    … »), ``arret_interets``, ``credit`` (consumer credit or ``None``), ``renvoi`` (art. 1408),
    ``pieces_manquantes``, ``avertissements`` (printed by ``actes render``, never in the
    document).
``orientation``
    ``None``, or for a natural-person debtor whose budget leaves no repayment capacity (or
    concludes to the surendettement route), ``introduction`` and ``aides`` (``nom``,
    ``offre``, ``contact``): the help named by the letters
    (:mod:`actes.documents.contexts.orientation`, ``parameters/orientation.yaml``).
``execution``
    ``None`` outside the enforcement procedures; else the title, its décompte with the R211-1
    provision, the employer, the third parties to seize, the juge de l'exécution of a requête,
    the threat of a saisie conservatoire and the petites créances ceiling
    (:mod:`actes.documents.contexts.enforcement`).
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from actes._io import atomic_write
from actes._paths import active_workspace, data_file, workspace_scope
from actes.cases.case import Case, load_case
from actes.documents.contexts.collective import declaration_context
from actes.documents.contexts.common import (
    NATURE,
    ROLE,
    address_lines,
    days_in_words,
    event_context,
    money,
    party_context,
)
from actes.documents.contexts.enforcement import enforcement_context
from actes.documents.contexts.ipe import ipe_context
from actes.documents.contexts.letters import (
    AGENCY_NEEDS,
    agency_context,
    applied_rates,
    claims_object,
    rates_by_claim,
)
from actes.documents.contexts.orientation import orientation_context
from actes.documents.contexts.plan import plan_context
from actes.documents.contexts.preventive import (
    email_version,
    preventive_context,
    preventive_decompte,
)
from actes.documents.contexts.requete import requete_context
from actes.documents.contexts.surendettement import surendettement_context
from actes.documents.contexts.title import title_context
from actes.documents.formatting import (
    FILTERS,
    amount_in_words,
    format_amount,
    format_date_long,
    format_rate,
)
from actes.errors import (
    ActesError,
    DataIssue,
    IncompleteCase,
    PreconditionFailed,
    RenderError,
)
from actes.law.conditions import ConditionContext, evaluate
from actes.law.procedures import DocumentSpec, ProcedureVersion, load_registry
from actes.law.title import Purpose, check_title_pieces
from actes.workspace import firm_for, firm_is_sender, letterhead, with_firm

__all__ = [
    "CONTEXT_KEYS",
    "FILED_TEMPLATES",
    "build_context",
    "draft_banner",
    "draft_message",
    "jinja_environment",
    "printed_decompte",
    "render_documents",
    "render_template",
    "require_template",
    "selected_documents",
    "template_error",
]

CONTEXT_KEYS = frozenset(
    {
        "acte",
        "aujourd_hui",
        "lieu",
        "dossier",
        "creancier",
        "debiteur",
        "expediteur",
        "mandataire",
        "signataire",
        "juridiction",
        "creances",
        "total_creances",
        "paiements",
        "total_paiements",
        "solde_factures",
        "decompte",
        "delais",
        "delai",
        "document",
        "commissaire",
        "delai_paiement",
        "pieces",
        "mentions",
        "evenements",
        "evenements_liste",
        "declaration",
        "surendettement",
        "plan",
        "ipe",
        "preventive",
        "requete",
        "entete",
        "execution",
        "representation",
        "titre",
        "orientation",
    }
)

_DEFAULT_PAYMENT_DAYS = 8
# A notice of 8 or 15 days before acceleration was held unreasonable for consumer loans


# --------------------------------------------------------------------------- environment


def jinja_environment() -> SandboxedEnvironment:
    """The one environment every template is rendered and checked with."""
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


# --------------------------------------------------------------------------- parties


def _court_source(case: Case) -> Mapping[str, Any] | None:
    if case.data.get("juridiction"):
        return dict(case.data["juridiction"])
    for event in case.evenements:
        if event.get("juridiction"):
            return dict(event.get("juridiction"))
    return None


def _court(version: ProcedureVersion, case: Case, au: dt.date) -> dict[str, Any] | None:
    """The court seised: named by the case, checked and titled by :mod:`actes.law.court`, and
    named as it is called on the date of the document (:func:`actes.law.court.dated_court_name`).
    """
    from actes.law.court import competent_court, dated_court_name

    source = _court_source(case)
    kind = str(version.court.get("kind", "aucune")) if version.court else "aucune"
    judge = ""
    if kind != "aucune":
        advice = competent_court(version, case, au)
        if not advice.named:
            raise IncompleteCase(
                f"La juridiction de « {version.procedure_id} » n'est pas indiquée dans le "
                f"dossier ({advice.title or advice.place_rule}).",
                hint=advice.to_supply
                or "ajoutez « juridiction: {nom: ..., departement: ...} » au dossier",
            )
        if advice.matches_case is False:
            raise IncompleteCase(
                f"La juridiction du dossier ne convient pas à « {version.procedure_id} ».",
                hint=" ".join(advice.notes) or advice.explanation,
            )
        judge = advice.title[:1].lower() + advice.title[1:]
    if source is None:
        return None
    name = dated_court_name(str(source.get("nom", "")), au).name
    if not judge:
        judge = f"président du {name[:1].lower() + name[1:]}"
    return {
        "nom": name,
        "adresse": address_lines(source.get("adresse")),
        "nature": kind,
        "juge": judge,
        "destinataire": f"Madame, Monsieur le {judge}",
    }


# --------------------------------------------------------------------------- money


_INTEREST_LABEL = {
    "penalites_l441_10": "Pénalités de retard (code de commerce, art. L441-10)",
    "interet_legal": "Intérêts au taux légal (code civil, art. 1231-6 et 1344-1)",
    "contractuel": "Intérêts au taux contractuel",
}
# Basis of a contractual rate for a consumer loan (instead of C. civ. 1103, 1343-1 al. 2).
CONSUMER_CREDIT_BASIS = "code de la consommation, art. L312-39 al. 1"
_INTEREST_WORD = {"penalites_l441_10": "pénalités"}

# Documents filed with a court, a mandataire or a commission, and the décompte whose amounts
# they state: with a provisional rate they are rendered as drafts (docs/rates.md).
FILED_TEMPLATES: Mapping[str, str] = {
    "requete_injonction_de_payer_tj.docx": "decompte",
    "requete_injonction_de_payer_tc.docx": "decompte",
    "requete_injonction_de_payer_europeenne.docx": "decompte",
    "declaration_de_creance.docx": "declaration.decompte",
    "declaration_creance_surendettement.docx": "decompte",
    "contestation_surendettement.docx": "decompte",
    # Not filed, but signed by the debtor as an acknowledgement of debt (C. civ. 1376, 2240):
    # an amount resting on a provisional rate must not be signed as final.
    "plan_apurement.docx": "decompte",
}


def draft_banner(unconfirmed: Sequence[Mapping[str, Any]]) -> str:
    """« PROJET – ne pas déposer en l'état : montants calculés avec un taux provisoire (…), à
    remplacer par le taux publié », or ``""`` when every rate that made an amount is confirmed.
    """
    named = list(dict.fromkeys(str(u.get("designation", "")) for u in unconfirmed))
    named = [n for n in named if n]
    if not named:
        return ""
    several = len(named) > 1
    return (
        "PROJET – ne pas déposer en l'état\u00a0: montants calculés avec "
        + ("des taux provisoires" if several else "un taux provisoire")
        + f" ({' ; '.join(named)}), à remplacer par "
        + ("les taux publiés" if several else "le taux publié")
    )


def _imputation_sentences(raw: Mapping[str, Any]) -> list[str]:
    """« Règlement du 20 août 2026 (Virement …) de 1 000,00 € imputé sur FA-1 : 47,85 € sur
    les pénalités échues, 952,15 € sur le principal »: the split behind the « Réglé » column
    and the remaining principal (C. civ. 1342-10, 1343-1)."""
    word = _INTEREST_WORD.get(str(raw.get("regime", "")), "intérêts")
    found = []
    for item in raw.get("imputations", []):
        parts = [
            f"{format_amount(money(item.get(key)))} {what}"
            for key, what in (
                ("interets", f"sur les {word} {'échus' if word == 'intérêts' else 'échues'}"),
                ("principal", "sur le principal"),
                ("indemnite", "sur l'indemnité forfaitaire"),
            )
            if money(item.get(key))
        ]
        if not parts:
            continue
        reference = str(item.get("paiement", ""))
        named = "" if reference.startswith("paiement du ") else f" ({reference})"
        found.append(
            f"règlement du {format_date_long(str(item['date']))}{named} de "
            f"{format_amount(money(item.get('total')))} imputé sur "
            f"{item.get('creance', '')}\u00a0: " + ", ".join(parts)
        )
    return found


def _calculation_lines(raw: Mapping[str, Any], contract_basis: str = "") -> list[str]:
    """The method actually used, one line per interest period: base, rate and its basis,
    first and last day, days and day basis, amount (C. com. R622-23 asks for the method)."""
    lines = []
    for claim in raw.get("creances", []):
        for period in claim.get("periodes", []):
            first = dt.date.fromisoformat(str(period["debut_exclu"])) + dt.timedelta(days=1)
            basis = str(period.get("fondement_taux") or period.get("origine_taux") or "")
            if contract_basis:
                basis = basis.replace("code civil, art. 1103 et 1343-1 al. 2", contract_basis)
            days = int(period["jours"])
            lines.append(
                f"{claim.get('reference', '')}\u00a0: "
                f"{format_amount(money(period['assiette']))} × "
                f"{format_rate(Decimal(str(period['taux'])))} l'an ({basis}), du "
                f"{format_date_long(first)} au {format_date_long(str(period['fin_incluse']))}, "
                f"soit {days} jour{'s' if days > 1 else ''} sur une base de {period['base']} "
                f"jours\u00a0: {format_amount(money(period['montant']))}"
            )
    return lines


def _rates_by_claim(raw: Mapping[str, Any], contract_basis: str) -> list[dict[str, str]]:
    """Each claim's rate and basis; one entry without reference when every claim bears the
    same."""
    found = [
        {"reference": r["reference"], "taux": r["taux"]}
        for r in rates_by_claim(raw, contract_basis)
    ]
    if len({r["taux"] for r in found}) == 1:
        return [{"reference": "", "taux": found[0]["taux"]}]
    return found


def _stop_text(raw: Mapping[str, Any]) -> str:
    """The date the total is « arrêté au », with why interest stopped when it did."""
    au = raw.get("au")
    stop = raw.get("interets_arretes")
    if not stop:
        return format_date_long(str(au)) if au else ""
    stop_day = dt.date.fromisoformat(str(stop["date"]))
    reason = str(stop.get("motif") or "")
    later = any(
        dt.date.fromisoformat(str(i["date"])) > stop_day for i in raw.get("imputations", [])
    )
    if later and au:
        return f"{format_date_long(str(au))}, intérêts arrêtés au {format_date_long(stop_day)}" + (
            f"\u00a0: {reason}" if reason else ""
        )
    return f"{format_date_long(stop_day)}, date de l'arrêt du cours des intérêts" + (
        f"\u00a0: {reason}" if reason else ""
    )


_INDEMNITY_LABEL = (
    "Indemnité forfaitaire pour frais de recouvrement (code de commerce, art. L441-10 et D441-5)"
)


def printed_decompte(
    raw: Mapping[str, Any],
    due_dates: Mapping[str, dt.date] | None = None,
    contract_basis: str = "",
) -> dict[str, Any]:
    """Format ``Decompte.as_dict()`` (:mod:`actes.law.money`) for print.

    Keys: ``date``, ``regime``, ``lignes`` (``reference``, ``libelle``, ``date_echeance``,
    ``principal``, ``paye``, ``solde_principal``, ``interets``, ``indemnite``, ``total``),
    ``total_principal``, ``total_paye``, ``total_solde_principal`` (alias
    ``total_principal_restant``), ``total_interets``, ``total_indemnites``, ``a_indemnites``,
    ``total_du``, ``total_du_lettres``, ``elements`` (principal, interest, indemnity left to
    pay, with their legal basis: the split CPCE R124-4 asks for), ``explication`` (the
    engine's conventions: for ``actes decompte``, not for letters), ``taux_appliques`` (the
    rates applied as one phrase, each rate with its claim and basis when they differ:
    « 8,25 % l'an sur la créance FA-1 (…) et 12,40 % l'an sur la créance FA-2 (…) », what a
    letter prints after « au taux de »), ``taux_par_creance`` (``reference``, ``taux``: the
    same per claim), ``avertissements``, ``taux_libelles`` (each half-year's rate with why:
    « 3 fois le taux de l'intérêt légal, soit 7,86 % au 1er semestre 2026 »; also per line as
    ``taux``), ``reserves`` (one sober sentence per provisional rate that determined an
    amount: « Taux de l'intérêt légal retenu pour le 2e semestre 2026 : 2,75 %, sous réserve
    de sa confirmation au Journal officiel. »), ``projet`` (the draft banner of a filed
    document, :func:`draft_banner`, or ``""``), ``corrections`` (the ``actes taux ajouter``
    commands that end the draft state), ``imputations`` (how each payment was imputed:
    « règlement du … de 1 000,00 € imputé sur FA-1 : 47,85 € sur les pénalités échues,
    952,15 € sur le principal »), ``calcul`` (the method actually used, one line per interest
    period: base, rate and basis, first and last day, days, day basis, amount), ``arrete``
    (the date the total is « arrêté au », with the stop of interest and its article when
    interest stopped: L622-28, L722-14). ``contract_basis`` replaces the civil-code basis of
    a contractual rate (consumer loan: C. conso. L312-39 al. 1). Every amount is
    « 1 234,56 € ».
    """
    due_dates = due_dates or {}
    totals = raw.get("totaux", {})
    lines = []
    rest_principal = rest_interest = rest_indemnity = Decimal("0")
    for claim in raw.get("creances", []):
        paid = (
            money(claim.get("principal_paye"))
            + money(claim.get("interets_payes"))
            + money(claim.get("indemnite_payee"))
        )
        rest_principal += money(claim.get("principal_restant"))
        rest_interest += money(claim.get("interets_restants"))
        rest_indemnity += money(claim.get("indemnite")) - money(claim.get("indemnite_payee"))
        due = due_dates.get(str(claim.get("reference")))
        lines.append(
            {
                "reference": claim.get("reference", ""),
                "libelle": claim.get("libelle", ""),
                "date_echeance": format_date_long(due) if due else "",
                "principal": format_amount(money(claim.get("principal"))),
                "paye": format_amount(paid),
                "solde_principal": format_amount(money(claim.get("principal_restant"))),
                "interets": format_amount(money(claim.get("interets"))),
                "indemnite": format_amount(money(claim.get("indemnite"))),
                "total": format_amount(money(claim.get("total_du"))),
                "taux": ", puis ".join(str(t) for t in claim.get("taux_libelles", [])),
            }
        )
    regime = str(raw.get("regime", ""))
    claims = raw.get("creances", [])

    def paid_part(key: str, whole: str, rest: Decimal) -> str:
        # « (7 020,00 € − 952,15 € réglés) »: the imputation behind the amount left to pay.
        paid = sum((money(c.get(key)) for c in claims), Decimal("0"))
        if not paid:
            return ""
        return f" ({format_amount(rest + paid)} {whole} − {format_amount(paid)} réglés)"

    elements = [
        {
            "libelle": "Principal restant dû" + paid_part("principal_paye", "dus", rest_principal),
            "montant": format_amount(rest_principal),
        }
    ]
    if regime in _INTEREST_LABEL:
        word = "échues" if regime == "penalites_l441_10" else "échus"
        elements.append(
            {
                "libelle": _INTEREST_LABEL[regime]
                + paid_part("interets_payes", word, rest_interest),
                "montant": format_amount(rest_interest),
            }
        )
    if rest_indemnity:
        elements.append(
            {
                "libelle": _INDEMNITY_LABEL + paid_part("indemnite_payee", "dues", rest_indemnity),
                "montant": format_amount(rest_indemnity),
            }
        )
    total_du = money(totals.get("total_du"))
    au = raw.get("au")
    return {
        "date": format_date_long(str(au)) if au else "",
        "regime": regime,
        "lignes": lines,
        "total_principal": format_amount(money(totals.get("principal"))),
        "total_paye": format_amount(money(totals.get("paiements"))),
        "total_solde_principal": format_amount(rest_principal),
        "total_principal_restant": format_amount(rest_principal),
        "total_interets": format_amount(money(totals.get("interets"))),
        "total_indemnites": format_amount(money(totals.get("indemnites"))),
        "a_indemnites": money(totals.get("indemnites")) != 0,
        "total_du": format_amount(total_du),
        "total_du_lettres": amount_in_words(total_du),
        "elements": elements,
        "explication": " ".join(str(c) for c in raw.get("conventions", [])),
        "taux_appliques": applied_rates(raw, contract_basis),
        "taux_par_creance": _rates_by_claim(raw, contract_basis),
        "imputations": _imputation_sentences(raw),
        "calcul": _calculation_lines(raw, contract_basis),
        "arrete": _stop_text(raw),
        "projet": draft_banner(raw.get("taux_non_confirmes", [])),
        "corrections": list(
            dict.fromkeys(
                str(u["commande"]) for u in raw.get("taux_non_confirmes", []) if u.get("commande")
            )
        ),
        "avertissements": [str(w) for w in raw.get("avertissements", [])],
        "taux_libelles": list(
            dict.fromkeys(
                str(t) for c in raw.get("creances", []) for t in c.get("taux_libelles", [])
            )
        ),
        "reserves": [str(r) for r in raw.get("reserves", [])],
        "taux_non_confirmes": list(raw.get("taux_non_confirmes", [])),
    }


def _deadlines(case: Case, au: dt.date, procedure_id: str) -> list[Any]:
    timeline = importlib.import_module("actes.law.timeline")
    return list(timeline.case_deadlines(case, au, procedure_id=procedure_id))


def _printed_deadline(item: Any) -> dict[str, Any]:
    basis = getattr(item, "legal_basis", "")
    limit = getattr(item, "date_limite", None)
    trace = getattr(item, "trace", "")
    return {
        "id": getattr(item, "id", ""),
        "libelle": getattr(item, "label", ""),
        "date_limite": format_date_long(limit) if limit else "",
        "fondement": ", ".join(basis) if isinstance(basis, list | tuple) else str(basis),
        "consequence": getattr(item, "consequence", ""),
        "statut": str(getattr(item, "status", "")),
        "trace": "\n".join(map(str, trace)) if isinstance(trace, list | tuple) else str(trace),
        "resume": item.result.summary() if hasattr(item, "result") else "",
    }


def _deadline_lookup(deadlines: Iterable[Any]) -> Callable[[str], str | None]:
    # Same vocabulary as actes.law.timeline.version_deadlines: "missed" once the last day passed.
    by_id = {d.id: ("missed" if d.missed else "running") for d in deadlines}
    return lambda deadline_id: by_id.get(deadline_id)


def _prescribed(
    case: Case, au: dt.date, deadlines: Sequence[Any] | None = None
) -> Callable[[], bool]:
    def check() -> bool:
        timeline = importlib.import_module("actes.law.timeline")
        return bool(timeline.is_prescribed(case, au, deadlines))

    return check


# --------------------------------------------------------------------------- events


def _commissaire(case: Case, mandataire: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The commissaire de justice of the case: the mandataire, else the last one named."""
    if mandataire is not None and mandataire["role"] == "commissaire_de_justice":
        return {"nom": mandataire["nom"], "adresse": mandataire["adresse"]}
    for event in sorted(case.evenements, key=lambda e: e.date, reverse=True):
        organe = event.get("organe")
        if organe and organe["role"] == "commissaire_de_justice":
            return {"nom": organe["nom"], "adresse": address_lines(organe.get("adresse"))}
    return None


def build_context(
    version: ProcedureVersion,
    case: Case,
    au: dt.date,
    *,
    decompte: Mapping[str, Any] | None = None,
    deadlines: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """Everything a template may print, formatted (keys listed in the module docstring).

    ``decompte`` (a ``Decompte.as_dict()``) and ``deadlines`` (items of
    ``case_deadlines``) are computed by :mod:`actes.law.accounts` and :mod:`actes.law.timeline`
    unless the caller already has them.
    """
    # A relance préventive prints no rate: its décompte accepts a provisional one.
    raw_decompte = (
        dict(decompte)
        if decompte is not None
        else preventive_decompte(version, case, au)
        or importlib.import_module("actes.law.accounts").decompte_for_case(case, au).as_dict()
    )
    due_dates = {c.reference: c.date_echeance for c in case.creances}
    consumer_credit = bool(case.data.get("credit")) or (
        case.debiteur.is_consumer and any(c.nature == "echeance_pret" for c in case.creances)
    )
    printed = printed_decompte(
        raw_decompte, due_dates, CONSUMER_CREDIT_BASIS if consumer_credit else ""
    )
    items = (
        list(deadlines)
        if deadlines is not None
        else _deadlines(case, au, procedure_id=version.procedure_id)
    )
    delais = [_printed_deadline(d) for d in items]
    firm = firm_for(case.folder)
    case = with_firm(case, firm)
    params = case.parametres
    days = int(params.get("delai_paiement_jours", _DEFAULT_PAYMENT_DAYS))
    mandataire = case.mandataire
    signataire = params.get("signataire") or {
        "nom": case.creancier.get("representant", {}).get("nom", case.creancier.name),
        "qualite": case.creancier.get("representant", {}).get("qualite", ""),
    }
    if (
        not params.get("signataire")
        and not case.creancier.get("representant")
        and firm is not None
        and firm.signer is not None
        and firm_is_sender(firm, case)
    ):
        signataire = dict(firm.signer)
    creancier = party_context(case.creancier)
    mandataire_ctx = None
    if mandataire is not None:
        mandataire_ctx = {
            **party_context(mandataire.partie),
            "role": mandataire.role,
            "role_libelle": ROLE[mandataire.role],
            "reference_mandat": mandataire.raw.get("reference_mandat", ""),
            "date_mandat": format_date_long(str(mandataire.raw["date_mandat"]))
            if mandataire.raw.get("date_mandat")
            else "",
        }
        if mandataire.role == "societe_recouvrement":
            mandataire_ctx.update(agency_context(case, mandataire_ctx))
    expediteur = (
        mandataire_ctx
        if mandataire_ctx and mandataire.role == "societe_recouvrement"  # type: ignore[union-attr]
        else creancier
    )
    juridiction = _court(version, case, au)
    total_du = raw_decompte.get("totaux", {}).get("total_du")
    events_sorted = sorted(case.evenements, key=lambda e: e.date)
    by_type: dict[str, dict[str, Any]] = {}
    for event in events_sorted:
        by_type.setdefault(event.type, event_context(event))
    jugement = case.event("jugement_ouverture")
    declaration = None
    if jugement is not None:
        # Always the engine's décompte on the opening day (L622-28): a ``decompte`` given by
        # the caller is the one at ``au`` (see actes.documents.contexts.collective).
        at_opening = (
            importlib.import_module("actes.law.accounts")
            .decompte_for_case(case, min(au, jugement.date))
            .as_dict()
        )
        declaration = declaration_context(case, au, at_opening)
    return {
        "acte": {
            "procedure": version.procedure_id,
            "titre": version.title,
            "version": version.version,
            "en_vigueur_depuis": format_date_long(version.valid_from),
            "periode": version.period(),
        },
        "aujourd_hui": format_date_long(au),
        "lieu": params.get("lieu") or case.creancier.adresse.ville,
        "dossier": {
            "reference": case.reference,
            "objet": case.data.get("objet", ""),
            "objet_courrier": claims_object(case),
        },
        "creancier": creancier,
        "debiteur": party_context(case.debiteur),
        "expediteur": expediteur,
        "mandataire": mandataire_ctx,
        "signataire": {"nom": signataire["nom"], "qualite": signataire.get("qualite", "")},
        "juridiction": juridiction,
        "creances": [
            {
                "reference": c.reference,
                "libelle": c.libelle,
                "nature": c.nature,
                "nature_libelle": NATURE.get(c.nature, c.nature),
                "date_emission": format_date_long(c.date_emission),
                "date_echeance": format_date_long(c.date_echeance),
                "montant": format_amount(c.montant, c.devise),
                "fondement": c.fondement,
                "taux_contractuel": format_rate(c.taux_contractuel)
                if c.taux_contractuel is not None
                else (c.taux_indexe.label() if c.taux_indexe is not None else ""),
            }
            for c in case.creances
        ],
        "total_creances": format_amount(case.principal),
        "paiements": [
            {
                "date": format_date_long(p.date),
                "montant": format_amount(p.montant),
                "reference": p.reference,
                "creance": p.creance or "",
                "mode": p.mode,
            }
            for p in case.paiements
        ],
        "total_paiements": format_amount(case.paid),
        "solde_factures": format_amount(case.principal - case.paid),
        "decompte": printed,
        "delais": delais,
        "delai": {d["id"]: d for d in delais if d["id"]},
        "delai_paiement": {
            "jours": days,
            "jours_lettres": days_in_words(days),
            "date": format_date_long(au + dt.timedelta(days=days)),
        },
        "pieces": [
            {
                "numero": p.numero,
                "titre": p.titre,
                "date": format_date_long(p.date),
                "fichier": p.fichier,
            }
            for p in case.pieces
        ],
        "mentions": dict(version.mentions),
        "evenements": by_type,
        "evenements_liste": [event_context(e) for e in events_sorted],
        "declaration": declaration,
        "surendettement": surendettement_context(case),
        "plan": plan_context(case, Decimal(str(total_du)) if total_du is not None else None, au),
        "ipe": ipe_context(case, juridiction),
        "preventive": preventive_context(version, case, au, raw_decompte),
        "commissaire": _commissaire(case, mandataire_ctx),
        "titre": title_context(case, au),
        "requete": requete_context(version, case, au, raw_decompte, juridiction),
        "execution": enforcement_context(version, case, au, _commissaire(case, mandataire_ctx)),
        "orientation": orientation_context(case, au),
        "entete": letterhead(firm, case, expediteur),
        # Set per template by actes.documents.authorship.for_template.
        "representation": None,
    }


# --------------------------------------------------------------------------- rendering


def render_template(template: Path, context: Mapping[str, Any]) -> bytes:
    """Render one DOCX template to bytes; template problems become :class:`RenderError`."""
    from docxtpl import DocxTemplate

    require_template(template)
    try:
        document = DocxTemplate(str(template))
        document.render(
            _with_logo(context, document), jinja_env=jinja_environment(), autoescape=True
        )
        buffer = io.BytesIO()
        document.save(buffer)
    except TemplateError as exc:
        raise template_error(template, exc) from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise RenderError(f"Modèle {template.name} illisible : {exc}") from None
    return buffer.getvalue()


def _with_logo(context: Mapping[str, Any], document: Any) -> dict[str, Any]:
    """The context with the firm's logo as an image of ``document`` (docxtpl InlineImage):
    the path comes from ``actes.toml``, checked at load; case data never reaches it."""
    values = dict(context)
    entete = values.get("entete")
    if isinstance(entete, Mapping) and entete.get("logo_fichier"):
        from docx.shared import Mm
        from docxtpl import InlineImage

        logo = InlineImage(document, str(entete["logo_fichier"]), height=Mm(_LOGO_HEIGHT_MM))
        values["entete"] = {**entete, "logo": logo}
    return values


_LOGO_HEIGHT_MM = 15


def require_template(template: Path) -> None:
    """Raise :class:`RenderError` (with the fix) when the template file does not exist."""
    if not template.is_file():
        raise RenderError(
            f"Modèle introuvable : {template}",
            hint="lancez « python tools/build_templates.py » ou corrigez « template » "
            "dans la définition de la procédure",
        )


def template_error(template: Path, exc: TemplateError) -> RenderError:
    """A Jinja error of a DOCX template, with the text around it when docxtpl gives it."""
    around = [line.strip() for line in getattr(exc, "docx_context", []) or []]
    around = [line for line in around if line]
    return RenderError(
        f"Modèle {template.name} : {exc.message or type(exc).__name__}",
        hint="texte autour de l'erreur : « " + " / ".join(around)[:300] + " »"
        if around
        else "vérifiez les balises {{ }} et {% %} du modèle (voir docs/templates.md)",
    )


_TITLE_HINT = (
    "la lettre énonce les sommes accordées par le titre et son décompte : ajoutez le bloc "
    "« titre: {nature: ordonnance_injonction_de_payer, date: ..., numero: ..., montants: "
    "{principal: ...}} » (docs/enforcement.md)"
)
_TITLE_TEMPLATES = frozenset(
    {
        "lettre_commissaire_signification_titre.docx",
        "lettre_commissaire_seconde_signification.docx",
        "lettre_commissaire_execution_titre.docx",
        "demande_formule_executoire.docx",
    }
)
# The letters that send the commissaire the title, and what he does with it.
_TITLE_PIECES_PURPOSE: Mapping[str, Purpose] = {
    "lettre_commissaire_signification_titre.docx": "signification",
    "lettre_commissaire_seconde_signification.docx": "signification",
    "lettre_commissaire_execution_titre.docx": "execution",
}
_NEEDS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "mise_en_demeure_agence.docx": AGENCY_NEEDS,
    "relance_agence_1.docx": AGENCY_NEEDS,
    "relance_agence_2.docx": AGENCY_NEEDS,
    "lettre_commissaire_signification.docx": (
        (
            "commissaire",
            "indiquez le commissaire de justice : « mandataire: {role: commissaire_de_justice, "
            "partie: ...} » ou « organe » (role commissaire_de_justice) d'un événement",
        ),
    ),
    "lettre_commissaire_execution.docx": (
        (
            "commissaire",
            "indiquez le commissaire de justice : « organe » (role commissaire_de_justice) de "
            "l'événement ordonnance_signifiee, ou « mandataire »",
        ),
    ),
    "plan_apurement.docx": (
        ("plan", "ajoutez « plan: {echeances: [{date: ..., montant: ...}], ...} » au dossier"),
    ),
    "requete_saisie_conservatoire.docx": (
        (
            "execution.juge",
            "indiquez le juge de l'exécution du lieu où demeure le débiteur (CPCE art. R511-2) : "
            "« execution: {juge_execution: {nom: Tribunal judiciaire de ..., adresse: ...}} »",
        ),
        (
            "execution.menace",
            "exposez les circonstances qui menacent le recouvrement (CPCE art. L511-1) : "
            "« execution: {menace: ...} »",
        ),
    ),
    "requete_saisie_remunerations.docx": (
        (
            "execution.juge",
            "indiquez le juge de l'exécution du domicile du débiteur (C. trav. art. R3252-7) : "
            "« execution: {juge_execution: {nom: Tribunal judiciaire de ..., adresse: ...}} »",
        ),
    ),
    **{
        name: (
            (
                "commissaire",
                "indiquez le commissaire de justice : « mandataire: {role: "
                "commissaire_de_justice, partie: ...} » ou « organe » (role "
                "commissaire_de_justice) d'un événement",
            ),
            (
                "titre",
                _TITLE_HINT,
            ),
        )
        for name in (
            "lettre_commissaire_signification_titre.docx",
            "lettre_commissaire_seconde_signification.docx",
            "lettre_commissaire_execution_titre.docx",
        )
    },
    "demande_formule_executoire.docx": (
        ("titre", _TITLE_HINT),
        ("juridiction", "indiquez la juridiction qui a rendu l'ordonnance (« juridiction »)"),
    ),
    "requete_injonction_de_payer_europeenne.docx": (
        (
            "ipe.competence",
            "indiquez le fondement de la compétence (formulaire A, section 3) dans "
            "« juridiction.competence: {code: ..., precision: ...} » (codes : voir "
            "docs/case-format.md)",
        ),
    ),
    "declaration_de_creance.docx": (
        ("declaration", "ajoutez l'événement « jugement_ouverture » avec son « organe »"),
    ),
    "declaration_creance_surendettement.docx": (
        ("surendettement", "ajoutez les événements de surendettement avec la commission"),
        (
            "surendettement.caution",
            "indiquez si une caution garantit la créance et si elle a été appelée "
            "(code de la consommation, art. R723-3) : « caution: {existe: false} » ou "
            "« caution: {existe: true, appelee: false, nom: ...} »",
        ),
    ),
    "contestation_surendettement.docx": (
        ("surendettement", "ajoutez les événements de surendettement avec la commission"),
        (
            "surendettement.decision_contestee",
            "ajoutez l'événement « surendettement_mesures_notifiees » (ou la recevabilité) "
            "contesté",
        ),
        (
            "surendettement.motifs",
            "écrivez les mesures contestées et les motifs dans « note » de l'événement contesté",
        ),
    ),
}


def _check_needs(template: Path, context: Mapping[str, Any]) -> None:
    """Fail with a hint naming the missing case data rather than a Jinja error."""
    title = context.get("titre")
    if template.name in _TITLE_TEMPLATES and isinstance(title, Mapping) and title.get("erreur"):
        raise title["erreur"]
    for path, hint in _NEEDS.get(template.name, ()):
        value: Any = context
        for key in path.split("."):
            value = value.get(key) if isinstance(value, Mapping) else None
        if not value:
            raise IncompleteCase(
                f"Le dossier ne contient pas ce qu'exige le modèle {template.name} ({path}).",
                hint=hint,
            )


def selected_documents(
    version: ProcedureVersion, condition_context: ConditionContext
) -> list[DocumentSpec]:
    """The documents of ``version`` whose ``when`` holds for the case."""
    return [
        doc
        for doc in version.documents
        if doc.when is None or evaluate(doc.when, condition_context)
    ]


def output_name(spec: DocumentSpec, reference: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", reference)
    return spec.output.format(reference=safe)


@dataclass(frozen=True)
class DocumentPlan:
    """What rendering a procedure for a case will produce, preconditions already checked."""

    version: ProcedureVersion
    case: Case
    context: dict[str, Any]
    documents: tuple[tuple[DocumentSpec, Path, str], ...]  # spec, template, output name

    def context_for(self, spec: DocumentSpec) -> dict[str, Any]:
        """The context of one document: its author's letterhead, sender and signatory
        (:func:`actes.documents.authorship.for_template`) and its title."""
        from actes.documents.authorship import for_template

        values = for_template(self.context, spec.template, self.case)
        return {**values, "document": {"titre": spec.title}}

    def drafts(self) -> list[tuple[str, str, list[str]]]:
        """The filed documents rendered as drafts (a provisional rate determined an amount):
        output name, banner and the ``actes taux ajouter`` commands that end the draft."""
        found = []
        for _, template, name in self.documents:
            path = FILED_TEMPLATES.get(template.name)
            if path is None:
                continue
            block: Any = self.context
            for key in path.split("."):
                block = block.get(key) if isinstance(block, Mapping) else None
            if isinstance(block, Mapping) and block.get("projet"):
                found.append((name, str(block["projet"]), list(block.get("corrections", []))))
        return found


def draft_message(drafts: Sequence[tuple[str, str, list[str]]]) -> str:
    """The warning printed for drafts, with the commands that record the published rates."""
    names = ", ".join(name for name, _, _ in drafts)
    commands = list(dict.fromkeys(c for _, _, found in drafts for c in found))
    return (
        f"{names} : PROJET, à ne pas déposer en l'état (montants calculés avec un taux "
        "provisoire, accepté par parametres.taux_non_confirmes). Enregistrez le taux publié "
        "puis relancez : " + " ; ".join(commands)
    )


# Plans made while :func:`remembered_plans` is active, by (procedure, case object, date,
# source, workspace): the web's case page checks each procedure in the assistant and again in
# its « à compléter » list. The case object is kept with its plan, so its id is not reused.
_PLANS: ContextVar[dict[tuple[Any, ...], tuple[Case, DocumentPlan | ActesError]] | None] = (
    ContextVar("actes_plans", default=None)
)


@contextmanager
def remembered_plans() -> Iterator[None]:
    """Within the block, :func:`plan_documents` computes each plan (or its refusal) once."""
    token = _PLANS.set({})
    try:
        yield
    finally:
        _PLANS.reset(token)


def plan_documents(
    procedure_id: str, case: Case, au: dt.date, *, source: str = ""
) -> DocumentPlan:
    """Check the version's preconditions for a validated case and build its context.

    Raises :class:`PreconditionFailed` with every failed condition, its message and articles.
    The case must already be valid against ``version.case_schema`` (see
    :func:`render_documents`). Shared by :func:`render_documents` and the batch renderer.
    """
    memo = _PLANS.get()
    if memo is None:
        return _plan_documents(procedure_id, case, au, source)
    key = (procedure_id, id(case), au, source, active_workspace())
    if key not in memo:
        try:
            memo[key] = (case, _plan_documents(procedure_id, case, au, source))
        except ActesError as error:
            memo[key] = (case, error)
    outcome = memo[key][1]
    if isinstance(outcome, ActesError):
        raise outcome
    return outcome


def _plan_documents(procedure_id: str, case: Case, au: dt.date, source: str) -> DocumentPlan:
    case = with_firm(case, firm_for(case.folder))
    version = load_registry().get(procedure_id).for_case(case, au)
    deadlines = _deadlines(case, au, procedure_id=version.procedure_id)
    conditions = ConditionContext(
        case=case,
        au=au,
        deadline_status=_deadline_lookup(deadlines),
        prescribed=_prescribed(case, au, deadlines),
    )
    failed = [p for p in version.preconditions if not evaluate(p.require, conditions)]
    if failed:
        instead = sorted({target for p in failed for target in p.instead})
        raise PreconditionFailed(
            f"La procédure « {procedure_id} » ne peut pas être utilisée pour le dossier "
            f"{case.reference} :",
            hint=f"procédure(s) à envisager : {', '.join(instead)}" if instead else "",
            issues=[
                DataIssue(
                    json_path="",
                    message=f"{p.message} ({'; '.join(p.legal_basis)})",
                    rule=p.id,
                    file=source,
                )
                for p in failed
            ],
        )
    context = build_context(version, case, au, deadlines=deadlines)
    documents = []
    for spec in selected_documents(version, conditions):
        template = data_file("templates", spec.template)
        _check_needs(template, context)
        purpose = _TITLE_PIECES_PURPOSE.get(template.name)
        if purpose is not None:
            # The letter sends the commissaire the title's pièces: refuse before anything is
            # written when one is missing, as « actes packet » does (CPCE L111-2, CPC 1411).
            check_title_pieces(case, purpose)
        documents.append((spec, template, output_name(spec, case.reference)))
    return DocumentPlan(version, case, context, tuple(documents))


def render_documents(
    procedure_id: str,
    case_path: Path,
    outdir: Path,
    au: dt.date,
    pdf: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> list[Path]:
    """Render every applicable document of a procedure for a case; return the written files.

    The files written are recorded in the case's journal (``document_generated``, each with
    its SHA-256: :func:`actes.cases.journal.record_documents`).

    A failed precondition raises :class:`PreconditionFailed` before anything is written; the
    files are written only once every document has rendered. ``on_warning`` receives each
    warning of the documents (``requete.avertissements``: a court without address, missing
    pièces...), which are never printed in the documents themselves.
    """
    with workspace_scope(case_path.parent):
        procedure = load_registry().get(procedure_id)
        first = with_firm(load_case(case_path, au=au), firm_for(case_path.parent))
        version = procedure.for_case(first, au)
        case = load_case(case_path, au=au, extra_schema=version.case_schema)
        plan = plan_documents(procedure_id, case, au, source=str(case_path))
        if on_warning is not None and plan.documents:
            for message in plan.context["requete"]["avertissements"]:
                on_warning(message)
            drafts = plan.drafts()
            if drafts:
                on_warning(draft_message(drafts))
        rendered: list[tuple[Path, bytes]] = []
        for spec, template, name in plan.documents:
            values = plan.context_for(spec)
            rendered.append((outdir / name, render_template(template, values)))
            # A letter that also goes by e-mail: its .eml beside it (same name, same journal id).
            email = email_version(template.name, values)
            if email is not None:
                rendered.append((outdir / Path(name).with_suffix(".eml").name, email))
    written: list[Path] = []
    try:
        for path, data in rendered:
            atomic_write(path, data)
            written.append(path)
    except BaseException:
        # A write failed (full disk, read-only folder): no half set of documents is left.
        for path in written:
            path.unlink(missing_ok=True)
        raise
    if pdf and written:
        from actes.documents.pdf import docx_to_pdf

        written.extend(docx_to_pdf([p for p in written if p.suffix == ".docx"], outdir))
    if written:
        from actes.cases.journal import record_documents

        ids = {name: spec.id for spec, _, name in plan.documents}
        record_documents(case_path, plan.version, case.reference, au, written, ids, pdf=pdf)
    return written

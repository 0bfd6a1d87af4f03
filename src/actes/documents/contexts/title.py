"""The ``titre`` key of the template context: the executory title and its décompte, formatted.

Present (not ``None``) when the case records a ``titre``; the décompte is the one of
:func:`actes.law.title.title_decompte` at the document's date, with a one-month interest
provision (CPCE R211-1) printed apart.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from actes.cases.case import Case
from actes.documents.formatting import amount_in_words, format_amount, format_date_long
from actes.errors import RateMissing
from actes.law.rates import format_percent
from actes.law.title import (
    ROLE_LABELS,
    Title,
    former_1423_repealed,
    provision_days,
    title_decompte,
    title_of,
)

__all__ = ["title_context"]


def _rate(text: object) -> str:
    return format_percent(Decimal(str(text))).replace(" %", "\u00a0%")


def title_context(case: Case, au: dt.date) -> dict[str, Any] | None:
    """The formatted title and décompte at ``au``, or None when the case has no title."""
    title = title_of(case)
    if title is None:
        return None
    try:
        day = max(au, title.date)
        result = title_decompte(case, day, provision_days=provision_days(day))
    except RateMissing as error:
        # Only the documents that print the title need its décompte: they raise this error
        # (actes.documents.render), the others render without it.
        return {"erreur": error}
    allowed = [{"libelle": "Principal", "montant": format_amount(title.principal)}]
    if title.interest_due:
        until = title.interest_due_to
        allowed.append(
            {
                "libelle": "Intérêts arrêtés"
                + (f" au {format_date_long(until)}" if until is not None else ""),
                "montant": format_amount(title.interest_due),
            }
        )
    allowed += [{"libelle": c.label, "montant": format_amount(c.amount)} for c in title.costs]
    total_allowed = title.principal + title.interest_due + title.costs_total
    periods = []
    for period in result.interest_periods:
        start = dt.date.fromisoformat(str(period["debut_exclu"])) + dt.timedelta(days=1)
        periods.append(
            {
                "du": format_date_long(start),
                "au": format_date_long(str(period["fin_incluse"])),
                "jours": str(period["jours"]),
                "assiette": format_amount(str(period["assiette"])),
                "taux": _rate(period["taux"]),
                "majore": bool(period["majore"]),
                "libelle": str(period["libelle_taux"]),
                "montant": format_amount(str(period["montant"])),
            }
        )
    return {
        "nature": title.nature,
        "nature_libelle": title.nature_label,
        "juridiction": title.court,
        "date": format_date_long(title.date),
        "numero": title.number,
        "signification": format_date_long(title.served_on) if title.served_on else "",
        "signification_a_personne": bool(title.served_in_person),
        "formule_executoire": format_date_long(title.formule_on) if title.formule_on else "",
        "executoire_le": format_date_long(title.executory_on) if title.executory_on else "",
        "executoire_fondement": title.executory_basis,
        "executoire_phrase": _executory_sentence(title, au),
        "article_1423_abroge": former_1423_repealed(au),
        "majoration_a_compter_du": format_date_long(title.majoration_from)
        if title.majoration_from
        else "",
        "majoration_fondement": title.majoration_basis,
        # CMF L313-3: « est majoré … depuis » once passed, « sera majoré … à compter du »
        # when the date is still ahead of the document.
        "majoration_a_venir": title.majoration_from is not None and title.majoration_from > au,
        "execution_jusqu_au": format_date_long(title.expires_on),
        "execution_fondement": title.expires_basis,
        "interets_posterieurs": title.post_interest.label(),
        "montants": allowed,
        "total_accorde": format_amount(total_allowed),
        "decompte": {
            "date": format_date_long(result.au),
            "principal": format_amount(result.principal),
            "principal_paye": format_amount(result.principal_paid),
            "principal_restant": format_amount(result.principal_outstanding),
            "frais": [
                {"libelle": c.label, "montant": format_amount(c.amount)} for c in result.costs
            ],
            "frais_payes": format_amount(result.costs_paid),
            "frais_restants": format_amount(result.costs_outstanding),
            "interets_titre": format_amount(result.interest_due_title),
            "periodes": periods,
            "interets_posterieurs": format_amount(result.interest_post_title),
            "interets_payes": format_amount(result.interest_paid),
            "interets_restants": format_amount(result.interest_outstanding),
            "paiements": [
                {
                    "date": format_date_long(p.date),
                    "reference": p.reference,
                    "montant": format_amount(p.amount),
                    "interets": format_amount(p.to_interest),
                    "principal": format_amount(p.to_principal),
                    "frais": format_amount(p.to_costs),
                }
                for p in result.payments
            ],
            "restant": [
                {
                    "libelle": "Principal restant dû",
                    "montant": format_amount(result.principal_outstanding),
                },
                {
                    "libelle": "Frais restant dus (article 700, dépens, indemnité, autres sommes)",
                    "montant": format_amount(result.costs_outstanding),
                },
                {
                    "libelle": "Intérêts échus restant dus",
                    "montant": format_amount(result.interest_outstanding),
                },
            ],
            "total_du": format_amount(result.total_due),
            "total_du_lettres": amount_in_words(result.total_due),
            "provision_jours": str(result.provision_days),
            "provision": format_amount(result.provision),
            "provision_note": result.provision_note,
            "total_avec_provision": format_amount(result.total_due + result.provision),
        },
        "pieces": [
            {
                "numero": piece.numero,
                "titre": piece.titre,
                "date": format_date_long(piece.date),
                "role": piece.role,
                "role_libelle": _column_label(ROLE_LABELS[piece.role]),
            }
            for piece in sorted(
                (piece for pieces in title.pieces.values() for piece in pieces),
                key=lambda piece: piece.numero,
            )
        ],
        "conventions": list(result.conventions),
        "reserves": list(result.reserves),
        "avertissements": list(result.warnings),
    }


def _column_label(label: str) -> str:
    """« la copie exécutoire du titre » → « Copie exécutoire du titre » (a table cell)."""
    for article in ("la ", "le ", "l'", "l\u2019"):
        if label.startswith(article):
            label = label[len(article) :]
            break
    return label[:1].upper() + label[1:]


def executory_clause(title: Title, au: dt.date) -> str:
    """« l'ordonnance est exécutoire depuis le 11 avril 2026 (code de procédure civile,
    art. 1416 et 1422) » — the clause of :func:`_executory_sentence` after its service part,
    for documents that state the service elsewhere; ``""`` when that sentence does not apply."""
    sentence = _executory_sentence(title, au)
    if not sentence:
        return ""
    clause = sentence.split(", l'ordonnance ", 1)[1].rstrip(".")
    return f"Non frappée d'opposition dans le délai, l'ordonnance {clause}"


def _executory_sentence(title: Title, au: dt.date) -> str:
    """« Signifiée à personne le 10 mars 2026 et non frappée d'opposition dans le délai,
    l'ordonnance est exécutoire depuis le 11 avril 2026 (…). » for an ordonnance that became
    executory at the end of the opposition period; ``""`` otherwise (the template then
    states the service, the formule and the basis)."""
    served, executory = title.served_on, title.executory_on
    if (
        title.nature != "ordonnance_injonction_de_payer"
        or title.formule_on is not None
        or served is None
        or executory is None
        or executory <= served
    ):
        return ""
    how = "à personne " if title.served_in_person else ""
    state = "est exécutoire depuis le" if executory <= au else "sera exécutoire le"
    return (
        f"Signifiée {how}le {format_date_long(served)} et non frappée d'opposition dans le "
        f"délai, l'ordonnance {state} {format_date_long(executory)} (code de procédure civile, "
        "art. 1416 et 1422)."
    )

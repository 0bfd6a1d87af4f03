"""The ``preventive`` block: the reminder sent before a claim's due date (relance préventive),
and its e-mail version.

The letter (``templates/courriers/relance_preventive.docx``, built by
``tools/layouts/preventive.py``) and the e-mail (:func:`email_message`) print the same
sentences, built here once, so that the two never say different things. They recall the
claims of :func:`actes.amicable.preventive.claims_falling_due` (not yet due, principal left to
pay, due within ``jours_avant_echeance`` days), the amount left to pay on each, how to pay
(the creditor's IBAN and BIC when the case has them, else a cheque) and the references to
quote. Nothing is owed yet: no interest and no amount of penalty is stated. Between
professionals only, the letter recalls the invoice's payment terms as a fact (C. com. L441-10
and D441-5: penalties at the rate the invoice states, or at the default rate of L441-10 II,
and the 40 euros indemnity); a consumer owes neither, and reads nothing of them.

Keys: ``jours``, ``factures`` (``reference``, ``libelle``, ``nature_libelle``,
``date_emission``, ``date_echeance``, ``montant``, ``reste_a_payer``), ``une_seule``,
``total``, ``references``, ``objet``, ``introduction``, ``montant_a_regler``,
``paiements_recus`` (the payments imputed on these claims, or ``""``), ``paiement``,
``deja_regle`` (« Si vous avez déjà procédé au règlement, nous vous prions de ne pas tenir
compte de ce courrier. »; the e-mail says « de ce message »), ``conditions`` (``""`` for a
consumer), ``contact``. The e-mail is signed with the sender's legal mentions, as the letter's
letterhead prints them (C. com. R123-237): :func:`signature_lines`.

The procedure version's mention ``deja_regle`` holds the letter's wording for reference; the
sentence is built here, where its letter and e-mail forms are kept together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any

from actes.cases.case import Case, Claim
from actes.documents.contexts.common import NATURE, iban, party_context
from actes.documents.formatting import (
    elide,
    format_amount,
    format_date_long,
    format_rate,
    french_list,
    typography,
)
from actes.law.procedures import ProcedureVersion

__all__ = [
    "EMAIL_TEMPLATE",
    "email_message",
    "email_version",
    "preventive_context",
    "preventive_decompte",
    "signature_lines",
]

# The letter whose e-mail version is written beside it.
EMAIL_TEMPLATE = "relance_preventive.docx"

_PREVENTIVE = "relance_preventive"
_ALREADY_PAID = (
    "Si vous avez déjà procédé au règlement, nous vous prions de ne pas tenir compte de {}."
)


def _is_preventive(version: ProcedureVersion) -> bool:
    return version.days_before_due is not None or version.procedure_id == _PREVENTIVE


def preventive_decompte(
    version: ProcedureVersion, case: Case, au: dt.date
) -> dict[str, Any] | None:
    """The décompte a relance préventive is built on (``Decompte.as_dict()`` at ``au``), or
    None for every other procedure. The letter states no interest and no rate: a rate not yet
    confirmed, which only weighs on the penalties of another claim already due, is accepted
    for it (:func:`actes.amicable.preventive.reminder_decompte`), so that the reminder of an
    invoice not yet due is never refused for it."""
    from actes.amicable.preventive import reminder_decompte

    if not _is_preventive(version):
        return None
    return reminder_decompte(case, au).as_dict()


def preventive_context(
    version: ProcedureVersion, case: Case, au: dt.date, decompte: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The block of a relance préventive at ``au`` (``decompte``: the case's
    ``Decompte.as_dict()`` at ``au``), or None for every other procedure."""
    from actes.amicable.preventive import DEFAULT_DAYS, claims_falling_due
    from actes.law.accounts import interest_regime

    if not _is_preventive(version):
        return None
    days = version.days_before_due or DEFAULT_DAYS
    rows = claims_falling_due(case, au, days, decompte)
    if not rows:
        # The preconditions refuse such a case before any document is built; a context built
        # for another purpose (a template check) gets no block.
        return None
    claims = [claim for claim, _ in rows]
    total = sum((left for _, left in rows), Decimal(0))
    currency = claims[0].devise
    references = french_list(c.reference for c in claims)
    single = len(claims) == 1
    invoices = all(c.nature == "facture" for c in claims)
    mentions = version.mentions
    professional = interest_regime(case)[0] == "penalites_l441_10"
    return {
        "jours": days,
        "factures": [
            {
                "reference": claim.reference,
                "libelle": claim.libelle,
                "nature_libelle": NATURE.get(claim.nature, claim.nature),
                "date_emission": format_date_long(claim.date_emission),
                "date_echeance": format_date_long(claim.date_echeance),
                "montant": format_amount(claim.montant, claim.devise),
                "reste_a_payer": format_amount(left, claim.devise),
            }
            for claim, left in rows
        ],
        "une_seule": single,
        "total": format_amount(total, currency),
        "references": references,
        "objet": _object(claims, invoices),
        "introduction": _introduction(claims, invoices),
        "montant_a_regler": _amount_sentence(claims, format_amount(total, currency)),
        "paiements_recus": _received(decompte, {c.reference for c in claims}, currency),
        "paiement": _payment(case, references, single),
        "deja_regle": _ALREADY_PAID.format("ce courrier"),
        "conditions": _terms(claims, mentions) if professional else "",
        "contact": _contact(case, single, invoices),
    }


def _object(claims: list[Claim], invoices: bool) -> str:
    """« Échéance du 7 décembre 2026 – Facture FA-2026-0231 », « Prochaines échéances –
    Factures FA-1 et FA-2 »."""
    if len(claims) == 1:
        word = "Facture" if invoices else "Créance"
    else:
        word = "Factures" if invoices else "Créances"
    dues = {c.date_echeance for c in claims}
    when = (
        f"Échéance du {format_date_long(next(iter(dues)))}"
        if len(dues) == 1
        else "Prochaines échéances"
    )
    return f"{when} – {word} {french_list(c.reference for c in claims)}"


def _introduction(claims: list[Claim], invoices: bool) -> str:
    """The opening sentence, ending with a colon before the list of claims."""
    dues = {c.date_echeance for c in claims}
    when = (
        f"à échéance le {format_date_long(next(iter(dues)))}"
        if len(dues) == 1
        else "prochainement à échéance"
    )
    if len(claims) == 1:
        what = "la facture suivante arrive" if invoices else "la somme suivante arrive"
    else:
        what = "les factures suivantes arrivent" if invoices else "les sommes suivantes arrivent"
    return f"Nous nous permettons de vous rappeler que {what} {when} :"


def _amount_sentence(claims: list[Claim], total: str) -> str:
    dues = {c.date_echeance for c in claims}
    if len(dues) == 1:
        return f"Montant à régler au plus tard le {format_date_long(next(iter(dues)))} : {total}."
    return f"Montant total à régler, chaque somme à sa date d'échéance : {total}."


def _received(decompte: Mapping[str, Any], references: set[str], currency: str) -> str:
    """« Nous avons bien reçu votre règlement du 20 novembre 2026 (1 000,00 €), déduit
    ci-dessus. »: what the décompte imputed on the claims of the letter, by payment."""
    paid: dict[tuple[str, str], Decimal] = {}
    for row in decompte.get("imputations", []):
        if str(row.get("creance")) in references:
            key = (str(row["date"]), str(row.get("paiement", "")))
            paid[key] = paid.get(key, Decimal(0)) + Decimal(str(row["total"]))
    found = [
        f"du {format_date_long(day)} ({format_amount(amount, currency)})"
        for (day, _), amount in sorted(paid.items())
        if amount > 0
    ]
    if not found:
        return ""
    if len(found) == 1:
        return f"Nous avons bien reçu votre règlement {found[0]}, déduit ci-dessus."
    return f"Nous avons bien reçu vos règlements {french_list(found)}, déduits ci-dessus."


def _payment(case: Case, references: str, single: bool) -> str:
    """How to pay, and the reference(s) to quote."""
    quote = f"la référence {references}" if single else f"les références {references}"
    raw = case.creancier.raw
    if raw.get("iban"):
        bic = f", BIC {raw['bic']}" if raw.get("bic") else ""
        return (
            "Vous pouvez effectuer votre règlement par virement sur notre compte : IBAN "
            f"{iban(str(raw['iban']))}{bic}, en indiquant {quote}."
        )
    payee = elide(case.creancier.name, "à l'ordre de")
    return (
        f"Vous pouvez effectuer votre règlement par chèque {payee}, en indiquant au dos {quote}."
    )


def _terms(claims: list[Claim], mentions: Mapping[str, str]) -> str:
    """Between professionals: the payment terms of L441-10 and D441-5 recalled as a fact,
    with the penalty rate each invoice states (or the default rate of L441-10 II). No amount:
    nothing is late yet."""
    recall = mentions.get("conditions_professionnels", "")
    if not recall:
        return ""
    default = mentions.get("taux_par_defaut", "")
    rates = [(c.reference, _rate_clause(c, default)) for c in claims]
    if any(not clause for _, clause in rates):
        return recall
    if len({clause for _, clause in rates}) == 1:
        return f"{recall} Le taux de ces pénalités est {rates[0][1]}."
    each = french_list(f"{clause} pour la facture {reference}" for reference, clause in rates)
    return f"{recall} Le taux de ces pénalités est {each}."


def _rate_clause(claim: Claim, default: str) -> str:
    """« de 12,00 % l'an », « égal à 3 fois le taux de l'intérêt légal », « égal au taux
    de la BCE majoré de 10 points », else the default rate of L441-10 II (``default``)."""
    if claim.taux_contractuel is not None:
        return f"de {format_rate(claim.taux_contractuel)} l'an"
    if claim.taux_indexe is not None:
        label = claim.taux_indexe.label()
        return f"égal au {label[3:]}" if label.startswith("le ") else f"égal à {label}"
    return default


def _contact(case: Case, single: bool, invoices: bool) -> str:
    about = ("cette facture" if single else "ces factures") if invoices else ""
    about = about or ("cette somme" if single else "ces sommes")
    contact = party_context(case.creancier)["contact"]
    reach = f" ({contact})" if contact else ""
    return f"Pour toute question sur {about}, n'hésitez pas à nous contacter{reach}."


# --------------------------------------------------------------------------- e-mail


def email_version(template: str, context: Mapping[str, Any]) -> bytes | None:
    """The e-mail version of the letter rendered from ``template`` (a file name) with
    ``context``, or None when that letter has none."""
    if template != EMAIL_TEMPLATE or not context.get("preventive"):
        return None
    return email_message(context)


def email_message(context: Mapping[str, Any]) -> bytes:
    """The relance préventive as an e-mail ready to send (``.eml``, RFC 5322): ``From`` the
    sender and ``To`` the debtor when the case gives their addresses, the object as
    ``Subject``, and a ``text/plain`` UTF-8 body with the letter's sentences.

    No template engine is involved: the body is the context's sentences joined by this
    function, so case data is only ever text placed in the message, never template code, and
    it is not HTML-escaped (a plain-text body shows « & » and « < » as they are). No
    ``Date`` nor ``Message-ID``: the file is a draft, the same bytes for the same case and
    date (its SHA-256 goes to the case's journal), dated by the mail client that sends it;
    ``X-Unsent: 1`` makes Outlook open it as a message to send.
    """
    block = context["preventive"]
    sender = context["expediteur"]
    debtor = context["debiteur"]
    signer = context["signataire"]
    lines = [f"{debtor['salutation']},", "", block["introduction"], ""]
    for row in block["factures"]:
        label = f" ({row['libelle']})" if row["libelle"] else ""
        lines.append(
            f"- {row['nature_libelle'].capitalize()} {row['reference']} du "
            f"{row['date_emission']}{label} : {row['reste_a_payer']} restant à payer "
            f"(montant {row['montant']}), échéance le {row['date_echeance']}"
        )
    if block["paiements_recus"]:
        lines += ["", block["paiements_recus"]]
    lines += ["", block["montant_a_regler"], "", block["paiement"]]
    lines += ["", _ALREADY_PAID.format("ce message")]
    if block["conditions"]:
        lines += ["", block["conditions"]]
    lines += [
        "",
        block["contact"],
        "",
        f"Nous vous prions d'agréer, {debtor['salutation']}, l'expression de nos salutations "
        "distinguées.",
        "",
        *[str(v) for v in (signer["nom"], signer["qualite"]) if v],
        *signature_lines(sender),
        "",
        f"Nos références : {context['dossier']['reference']}",
    ]
    message = EmailMessage(policy=SMTP)
    message["Subject"] = _plain(block["objet"])
    for header, party in (("From", sender), ("To", debtor)):
        address = _address(party)
        if address is not None:
            message[header] = address
    message["X-Unsent"] = "1"
    message.set_content("\n".join(_plain(line) for line in lines) + "\n", cte="quoted-printable")
    return message.as_bytes()


def signature_lines(sender: Mapping[str, Any]) -> list[str]:
    """The sender at the foot of the e-mail, with the legal mentions the letter's letterhead
    prints (C. com. R123-237: denomination, forme juridique and capital, RCS and its city or
    the SIREN; ``identification`` of :func:`actes.documents.contexts.common.party_context`)
    and its address. For a natural person, the letterhead's identification is a birth date
    and a nationality, which a signature leaves out: the SIREN and its register only."""
    lines = [str(sender["nom"])]
    if sender.get("est_societe"):
        identity = str(sender.get("identification") or "")
    elif sender.get("siren"):
        register = f", RCS de {sender['rcs']}" if sender.get("rcs") else ""
        identity = f"SIREN n° {sender['siren']}{register}"
    else:
        identity = ""
    if identity:
        lines.append(identity)
    if sender.get("adresse_ligne"):
        lines.append(str(sender["adresse_ligne"]))
    return lines


def _plain(text: str) -> str:
    """French typography for plain text (no-break spaces before « : ; ? ! », inside « »);
    the no-break hyphens :func:`typography` puts in references go back to « - », so that a
    reference or an IBAN copied from the e-mail into a bank transfer stays what it is."""
    return str(typography(text)).replace("\u2011", "-")


def _address(party: Mapping[str, Any]) -> Address | None:
    email = str(party.get("email") or "")
    user, _, domain = email.partition("@")
    if not user or not domain:
        return None
    return Address(display_name=str(party.get("nom", "")), username=user, domain=domain)

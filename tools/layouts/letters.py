"""Relances and mises en demeure (creditor's and collection agency's letters).

Every letter to the debtor:

- prints values coming from data through the ``typo`` filter (no-break spaces before « : ; ! ? »,
  inside « », after « n° », in grouped numbers: ``Builder.data_typography``) and elides « de »
  before a vowel or a mute h with the ``de`` filter (« d'Éditions Lumière », « à l'ordre
  d'Imprimerie Roux »);
- states its object from the claims (``dossier.objet_courrier``), never the case's internal
  summary ``dossier.objet``;
- prints the rate applied (``decompte.taux_appliques``), not the engine's calculation
  conventions (they stay in ``actes decompte``);
- gives the payment deadline from the receipt of the letter, without a date that would only
  hold if the letter were received the day it is written.

The collection agency's letters (CPCE R124-4) share the blocks below (``agency_*``): who
writes (1°), for which creditor (2°), basis and amount split into principal, interest and
accessories (3°), the demand and the payment arrangements through the agency's dedicated
account (4°), L111-8 al. 2 and 3 verbatim from the procedure data (5°), the references and
date of the agency's first letter recalled in every later letter (last paragraph). They are
dated at the agency's place and signed by the agency's own signatory
(``mandataire.signataire``), never by the creditor's; they mention the creditor's earlier
reminder as the creditor's (``mandataire.rappel_creancier``), never as their own.
"""

from __future__ import annotations

import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from layouts.base import (
    DEBTOR_HEAD,
    Builder,
    claims_table,
    decompte_table,
    formal_closing,
    payment_details,
    payments_block,
)
from layouts.plan import orientation_block, plan_acceleration_letter

# The debtor's salutation, from the context (« Monsieur le Gérant », « Madame », « Madame,
# Monsieur »: actes.documents.contexts.common.salutation).
SALUTATION = "{{ debiteur.salutation }}"

# --------------------------------------------------------------------------- no-break hyphens

_TAGS = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})")
# A hyphen between a letter or digit and a digit, in the static text: article numbers
# (« 1231-6 », « L441-10 », « D441-5 »), decree numbers (« n° 2019-359 »).
_CODE_HYPHEN = re.compile(r"(?<=[0-9A-Z])-(?=[0-9])")


def no_break_hyphens(b: Builder) -> None:
    """Write the hyphens of article and decree numbers in the template's static text as Word's
    no-break hyphen (``<w:noBreakHyphen/>``), so that « art. 1231-6 » or « L441-10 » is never
    split across two lines. Values from data get the same treatment from the ``typo`` filter
    (:func:`actes.documents.formatting.docx_typography`). python-docx and LibreOffice read the element
    back as « - »: the text of a rendered document and of its PDF still reads « L441-10 ».
    Jinja tags are left untouched."""
    for text in list(b.doc.element.body.iter(qn("w:t"))):
        pieces = _TAGS.split(text.text or "")
        if not any(_CODE_HYPHEN.search(p) for i, p in enumerate(pieces) if i % 2 == 0):
            continue
        parts = [
            chunk
            for i, piece in enumerate(pieces)
            for chunk in ([piece] if i % 2 else _split_hyphens(piece))
        ]
        # Text and hyphen markers (None) in order: the first text stays in this ``w:t``, the
        # rest follows it inside the same run, which keeps its formatting.
        anchor = text
        text.text = ""
        first = True
        for chunk in _merge(parts):
            if chunk is None:
                element = OxmlElement("w:noBreakHyphen")
            elif first:
                text.text = chunk
                text.set(qn("xml:space"), "preserve")
                first = False
                continue
            else:
                element = OxmlElement("w:t")
                element.text = chunk
                element.set(qn("xml:space"), "preserve")
            anchor.addnext(element)
            anchor = element


def _split_hyphens(text: str) -> list[str | None]:
    out: list[str | None] = []
    for index, piece in enumerate(_CODE_HYPHEN.split(text)):
        if index:
            out.append(None)
        out.append(piece)
    return out


def _merge(parts: list[str | None]) -> list[str | None]:
    """Adjacent strings joined (tags and text between two hyphens are one ``w:t``)."""
    merged: list[str | None] = []
    for part in parts:
        if part is not None and merged and merged[-1] is not None:
            merged[-1] = str(merged[-1]) + part
        else:
            merged.append(part)
    return merged


# --------------------------------------------------------------------------- shared blocks


def letter_start(b: Builder, *, envoi: str | None, objet: str, agency: bool = False) -> None:
    """Letterhead, addressee, place and date, sending mode, object (and the references)."""
    b.data_typography = True
    b.head(**DEBTOR_HEAD)  # type: ignore[arg-type]
    b.dateline(envoi=envoi, place="mandataire.lieu" if agency else "lieu")
    b.subject([objet], refs=not agency)
    if agency:
        agency_references(b)


def rate_applied(b: Builder, what: str) -> None:
    """« Les pénalités de retard sont calculées au taux de 12,40 % l'an – taux BCE … », from
    the décompte (``what`` is the subject and verb of the sentence)."""
    b.tag("if decompte.taux_appliques")
    b.text(
        what + " au taux de {{ decompte.taux_appliques|join(', puis ') }}, sur le principal "
        "restant dû, jusqu'au {{ decompte.date }}."
    )
    b.tag("endif")


def agency_references(b: Builder) -> None:
    """R124-4, last paragraph: the references and date of this letter, and of the agency's
    first letter in every later one."""
    b.p(
        ("b", "Nos références : "),
        "{{ dossier.reference }}",
        "{% if mandataire.reference_mandat %}"
        " – mandat {{ mandataire.reference_mandat }}{% endif %}",
        space_after=2,
    )
    b.tag("if mandataire.premier_courrier")
    b.p(("b", "Lettre du : "), "{{ aujourd_hui }}", space_after=2)
    b.p(
        ("b", "Notre premier courrier : "),
        "lettre du {{ mandataire.premier_courrier.date }}, réf. "
        "{{ mandataire.premier_courrier.reference }} (à rappeler dans toute correspondance)",
        space_after=12,
    )
    b.tag("else")
    b.p(
        ("b", "Lettre du : "),
        "{{ aujourd_hui }} (référence et date à rappeler dans toute correspondance)",
        space_after=12,
    )
    b.tag("endif")


def agency_identity(b: Builder) -> None:
    """R124-4 1° and 2°: the agency, its activity, the creditor."""
    b.heading("Qui vous écrit")
    b.text(
        ("b", "{{ mandataire.nom }}"),
        "{% if mandataire.identification %}, {{ mandataire.identification }}{% endif %}, "
        "dont le siège est situé {{ mandataire.adresse_ligne }}. {{ mentions.agence }}",
    )
    b.heading("Pour le compte du créancier")
    b.text(
        ("b", "{{ creancier.nom }}"),
        "{% if creancier.identification %}, {{ creancier.identification }}{% endif %}, "
        "dont le siège est situé {{ creancier.adresse_ligne }}, qui nous a confié le "
        "recouvrement amiable de sa créance{% if mandataire.date_mandat %} par mandat du "
        "{{ mandataire.date_mandat }}{% endif %}.",
    )


def agency_claims(b: Builder) -> None:
    """R124-4 3°: basis and amount, principal / interest / accessories, no recovery costs."""
    b.heading("Fondement et montant de la créance")
    b.bullets(
        "creances",
        "c",
        [
            "{{ c.nature_libelle|capitalize }} {{ c.reference }} du {{ c.date_emission }}, "
            "échue le {{ c.date_echeance }} : {{ c.montant }}"
            "{% if c.fondement %} – fondement : {{ c.fondement }}{% endif %}"
        ],
    )
    payments_block(b)
    b.text("Détail des sommes dues au {{ decompte.date }} :")
    b.table(
        ["Élément de la créance", "Montant"],
        ["{{ e.libelle }}", "{{ e.montant }}"],
        "e in decompte.elements",
        totals=[["Total dû", "{{ decompte.total_du }}"]],
        widths=[13.0, 4.0],
        numeric=[1],
    )
    rate_applied(
        b,
        "{% if decompte.regime == 'penalites_l441_10' %}Les pénalités de retard sont "
        "calculées{% else %}Les intérêts sont calculés{% endif %}",
    )
    # A rate not yet published (or not verified) is named with the figures it produced.
    b.tag("if decompte.reserves is defined")
    b.tag("for reserve in decompte.reserves")
    b.text(("b", "{{ reserve }}"), size=9)
    b.tag("endfor")
    b.tag("endif")
    b.text(
        "Ces sommes n'incluent aucuns frais de notre intervention : ils restent à la charge du "
        "créancier (code des procédures civiles d'exécution, art. L111-8 et R124-4)"
        "{% if decompte.a_indemnites %} ; l'indemnité forfaitaire ci-dessus est due de plein "
        "droit entre professionnels (code de commerce, art. L441-10 et D441-5){% endif %}."
    )


def agency_payment(b: Builder) -> None:
    """R124-4 4° (second half): the payment arrangements, through the agency's account
    dedicated to the funds collected for creditors (R124-2) when the case gives it."""
    b.heading("Modalités de paiement")
    b.tag("if mandataire.compte_dedie")
    b.text(
        "Par virement sur notre compte dédié aux fonds encaissés pour le compte des "
        "créanciers (code des procédures civiles d'exécution, art. R124-2) : IBAN ",
        ("b", "{{ mandataire.compte_dedie }}"),
        ", en rappelant la référence {{ dossier.reference }} ; un reçu vous sera délivré "
        "pour tout paiement.",
    )
    b.tag("elif mandataire.iban")
    b.text(
        "Par virement sur notre compte : IBAN ",
        ("b", "{{ mandataire.iban }}"),
        "{% if mandataire.bic %}, BIC {{ mandataire.bic }}{% endif %}, en rappelant la "
        "référence {{ dossier.reference }} ; un reçu vous sera délivré pour tout paiement.",
    )
    b.tag("else")
    b.text(
        "Par chèque à l'ordre {{ mandataire.nom|de }}, adressé à l'adresse ci-dessus en "
        "rappelant la référence {{ dossier.reference }} ; un reçu vous sera délivré pour tout "
        "paiement."
    )
    b.tag("endif")
    b.text(
        "Vous pouvez nous joindre{% if mandataire.contact %} ({{ mandataire.contact }})"
        "{% endif %} pour convenir d'un échéancier."
    )


def agency_l111_8(b: Builder) -> None:
    """R124-4 5°: L111-8 al. 2 and 3, verbatim from the procedure version's mentions."""
    b.heading("Article L111-8, alinéas 2 et 3, du code des procédures civiles d'exécution")
    b.p(("i", "« {{ mentions.l111_8 }} »"), align="justify")


def agency_signature(b: Builder) -> None:
    """Signed by the agency's own signatory, never by the creditor's."""
    b.signature(
        closing=formal_closing(SALUTATION), who="mandataire", signer="mandataire.signataire"
    )


def agency_history(b: Builder) -> None:
    """What came before: the creditor's own reminder, said to be the creditor's (never
    « notre rappel »), and the agency's first letter, « notre courrier du … (réf. …) »
    (R124-4, last paragraph)."""
    b.tag("if mandataire.rappel_creancier")
    b.text(
        "Le rappel que vous a adressé {{ creancier.nom }} le "
        "{{ mandataire.rappel_creancier.date }} est resté sans effet."
    )
    b.tag("endif")
    b.tag("if mandataire.premier_courrier")
    b.text(
        "Notre courrier du {{ mandataire.premier_courrier.date }} (réf. "
        "{{ mandataire.premier_courrier.reference }}) est resté sans suite à ce jour."
    )
    b.tag("endif")


# --------------------------------------------------------------------------- creditor's


def relance(b: Builder, *, second: bool) -> None:
    """The creditor's reminders. A reminder is never sent once a mise en demeure was (the
    precondition ``pas_de_mise_en_demeure`` of relance_amiable): both letters speak of a
    debt that has not yet been formally demanded."""
    letter_start(
        b,
        envoi=None,
        objet=("Second rappel" if second else "Rappel de paiement")
        + " – {{ dossier.objet_courrier }}",
    )
    b.text(SALUTATION + ",")
    plan_acceleration_letter(b)
    # Singular for a single claim (« de la somme suivante »).
    if second:
        b.text(
            "Sauf erreur de notre part, notre précédent rappel"
            "{% if evenements.relance_envoyee is defined %} du "
            "{{ evenements.relance_envoyee.date }}{% endif %} est resté sans suite, et "
            "{% if creances|length > 1 %}les sommes ci-dessous restent dues{% else %}la "
            "somme ci-dessous reste due{% endif %} à ce jour :"
        )
    else:
        b.text(
            "Sauf erreur ou omission de notre part, nous n'avons pas encore reçu le règlement "
            "{% if creances|length > 1 %}des sommes suivantes, arrivées{% else %}de la somme "
            "suivante, arrivée{% endif %} à échéance :"
        )
    claims_table(b)
    payments_block(b)
    # The invoices' balance only: the penalties, indemnities or interest are claimed by the
    # mise en demeure, which states them; the label says so.
    b.text(
        "{% if decompte.regime == 'penalites_l441_10' %}Solde des factures (hors pénalités de "
        "retard et indemnités){% else %}Solde restant dû (hors intérêts){% endif %} : ",
        ("b", "{{ solde_factures }}"),
        ".",
    )
    if second:
        b.text(
            "Nous vous demandons de bien vouloir procéder au règlement de cette somme sans "
            "attendre, et au plus tard le {{ delai_paiement.date }}. À défaut, nous serons "
            "conduits à vous adresser une mise en demeure."
        )
    else:
        b.text(
            "Il s'agit peut-être d'un simple oubli : nous vous remercions de bien vouloir "
            "régulariser ce règlement dans les meilleurs délais. Si votre paiement a croisé ce "
            "courrier, nous vous prions de ne pas en tenir compte."
        )
    payment_details(b)
    # What the letter is, right after what it asks: never between the help and the closing.
    b.p(("i", "{{ mentions.nature }}"), size=9)
    # Kept with what follows: the help's introduction, or else the closing formula (never
    # alone at the top of a page).
    b.text(
        "Si vous rencontrez une difficulté, n'hésitez pas à nous contacter"
        "{% if expediteur.contact %} ({{ expediteur.contact }}){% endif %} : nous étudierons "
        "avec vous une solution de règlement.",
        keep_next=True,
    )
    orientation_block(b)
    b.signature(closing=formal_closing(SALUTATION))
    no_break_hyphens(b)


def _deadline_from_receipt(b: Builder, after: str = "") -> None:
    b.text(
        "Somme due : ",
        ("b", "{{ decompte.total_du }}"),
        ", à régler dans un délai de {{ delai_paiement.jours }} jours à compter de la "
        "réception de la présente lettre." + after,
    )


# The creditor's own reminders recorded in the case, recalled by the mise en demeure
# (« Malgré notre rappel du 15 septembre 2026 »); none recorded, none recalled.
_REMINDERS = (
    "{% set rappels = evenements_liste|selectattr('type', 'equalto', 'relance_envoyee')|list %}"
)
_DESPITE = (
    "{% if rappels|length > 1 %}Malgré nos rappels des "
    "{{ rappels|map(attribute='date')|liste }}, {% elif rappels %}Malgré notre rappel du "
    "{{ rappels[0].date }}, {% endif %}"
)
# Written by the creditor's lawyer or commissaire de justice: the reminders were the
# creditor's, never « nos rappels ».
_DESPITE_REPRESENTED = (
    "{% if rappels|length > 1 %}Malgré les rappels que vous a adressés {{ creancier.nom }} "
    "les {{ rappels|map(attribute='date')|liste }}, {% elif rappels %}Malgré le rappel que "
    "vous a adressé {{ creancier.nom }} le {{ rappels[0].date }}, {% endif %}"
)


def unpaid_claims_sentence(b: Builder) -> None:
    """« Malgré notre rappel du 15 septembre 2026, les factures suivantes, échues, demeurent
    impayées : » — the reminders only when the case records them, singular or plural after
    the claims, « factures » only when every claim is an invoice."""
    b.text(
        _REMINDERS
        + "{% if representation %}"
        + _DESPITE_REPRESENTED
        + "{% else %}"
        + _DESPITE
        + "{% endif %}"
        + "{% set factures = creances|selectattr('nature', 'equalto', "
        "'facture')|list|length == creances|length %}"
        "{% if rappels %}l{% else %}L{% endif %}"
        "{% if creances|length > 1 %}{% if factures %}es factures suivantes, échues, "
        "demeurent impayées{% else %}es sommes suivantes, échues, demeurent impayées{% endif %}"
        "{% elif factures %}a facture suivante, échue, demeure impayée{% else %}a somme "
        "suivante, échue, demeure impayée{% endif %} :"
    )


def consequence(b: Builder, *, consumer: bool) -> None:
    """What happens without payment, after the debtor's domicile and the claims: the European
    order for payment for a debtor in another Member State (the French injonction de payer
    needs a debtor domiciled in France, CPC 1406), an action before the competent court
    outside the Regulation's States, and at home the injonction de payer — before the juge
    des contentieux de la protection for a consumer credit or a residential lease of a
    natural person (same rule as the precondition of injonction_de_payer_jcp). No letter
    threatens an action that cannot be brought (C. conso. L121-6). Versions whose mentions
    have only ``consequence`` print it."""
    b.tag("if debiteur.domicile_ue and mentions.consequence_ue is defined")
    b.text("{{ mentions.consequence_ue }}")
    b.tag("elif debiteur.code_pays != 'FR' and mentions.consequence_etranger is defined")
    b.text("{{ mentions.consequence_etranger }}")
    if consumer:
        b.tag(
            "elif debiteur.personne_physique and mentions.consequence_jcp is defined and "
            "creances|rejectattr('nature', 'in', ['echeance_pret', 'loyer', 'charges'])"
            "|list|length == 0"
        )
        b.text("{{ mentions.consequence_jcp }}")
    b.tag("else")
    b.text("{{ mentions.consequence }}")
    b.tag("endif")


def formal_notice_start(b: Builder) -> None:
    """The creditor's mise en demeure up to the décompte: heading, object, salutation, the
    plan recalled after a déchéance, the unpaid claims and the payments received. Written by
    the creditor's lawyer or commissaire de justice (``representation``), it says first for
    whom (actes.documents.authorship)."""
    letter_start(
        b,
        envoi="Lettre recommandée avec demande d'avis de réception",
        objet="Mise en demeure de payer – {{ dossier.objet_courrier }}",
    )
    b.text(SALUTATION + ",")
    b.tag("if representation")
    b.text("{{ representation.texte }}")
    b.tag("endif")
    plan_acceleration_letter(b)
    unpaid_claims_sentence(b)
    claims_table(b)
    payments_block(b, represented=True)


def mise_en_demeure_pro(b: Builder) -> None:
    formal_notice_start(b)
    b.text("{{ mentions.penalites }}")
    b.text("{{ mentions.indemnite }}")
    b.text("Le décompte des sommes dues s'établit comme suit :")
    decompte_table(b, indemnite=True, interets_label="Pénalités", explain=False)
    rate_applied(b, "Les pénalités de retard sont calculées")
    b.text("{{ mentions.sommation }}")
    _deadline_from_receipt(
        b,
        " Les pénalités continuent de courir jusqu'au complet paiement ; la présente mise en "
        "demeure fait en outre courir les intérêts au taux légal sur les sommes qui n'en "
        "portent pas déjà (code civil, art. 1231-6 et 1344-1).",
    )
    consequence(b, consumer=False)
    payment_details(b)
    b.signature(closing=formal_closing(SALUTATION))
    no_break_hyphens(b)


def interest_running(b: Builder) -> None:
    """Interest after the mise en demeure: legal interest on the sums that bear none
    (C. civ. 1231-6, 1344-1); when every claim bears a contractual rate, that rate keeps
    running and no legal interest is added — after a consumer credit's déchéance du terme
    the loan rate (C. conso. L312-39), nothing else (L312-38)."""
    condition = "creances|rejectattr('taux_contractuel')|list|length == 0"
    b.tag(
        f"if {condition} and mentions.interets_credit is defined and "
        "creances|rejectattr('nature', 'equalto', 'echeance_pret')|list|length == 0"
    )
    b.text("{{ mentions.interets_credit }}")
    b.tag(f"elif {condition} and mentions.interets_conventionnels is defined")
    b.text("{{ mentions.interets_conventionnels }}")
    b.tag("else")
    b.text("{{ mentions.interets }}")
    b.tag("endif")


def mise_en_demeure_conso(b: Builder) -> None:
    formal_notice_start(b)
    b.text("Le décompte des sommes dues s'établit comme suit :")
    decompte_table(b, indemnite=False, explain=False)
    rate_applied(b, "Les intérêts sont calculés")
    b.text("{{ mentions.sommation }}")
    _deadline_from_receipt(b)
    interest_running(b)
    b.text("{{ mentions.frais }}")
    consequence(b, consumer=True)
    # Délais de grâce (C. civ. 1343-5) for every debtor; the commission de surendettement
    # only for a natural person (C. conso. L711-1), and named once: when the help below is
    # printed (it names the commission), the sentence without it.
    b.tag(
        "if (orientation or not debiteur.personne_physique) and "
        "mentions.delais_personne_morale is defined"
    )
    b.text("{{ mentions.delais_personne_morale }}")
    b.tag("else")
    b.text("{{ mentions.delais }}")
    b.tag("endif")
    # Where a consumer without repayment capacity can get help (orientation).
    orientation_block(b)
    # Kept with the closing formula: never a page holding only the closing and the signature.
    payment_details(b, keep_next=True)
    b.signature(closing=formal_closing(SALUTATION))
    no_break_hyphens(b)


# --------------------------------------------------------------------------- agency's


def mise_en_demeure_agence(b: Builder) -> None:
    letter_start(
        b,
        envoi="Lettre recommandée avec demande d'avis de réception",
        objet="Mise en demeure de payer pour le compte {{ creancier.nom|de }} – "
        "{{ dossier.objet_courrier }}",
        agency=True,
    )
    b.text(SALUTATION + ",")
    plan_acceleration_letter(b)
    agency_history(b)
    agency_identity(b)
    agency_claims(b)
    b.heading("Demande de paiement")
    b.text(
        "Nous vous mettons en demeure de régler la somme de ",
        ("b", "{{ decompte.total_du }}"),
        " ({{ decompte.total_du_lettres }}) dans un délai de {{ delai_paiement.jours }} jours "
        "à compter de la réception de la présente lettre.",
    )
    agency_payment(b)
    agency_l111_8(b)
    agency_signature(b)
    no_break_hyphens(b)


def relance_agence(b: Builder, *, second: bool) -> None:
    """Amicable reminder from the collection agency: the first letter it sends (``second``
    false) or a later one, which recalls the first (CPCE R124-4)."""
    letter_start(
        b,
        envoi=None,
        objet=("Second rappel" if second else "Rappel de paiement")
        + " pour le compte {{ creancier.nom|de }} – {{ dossier.objet_courrier }}",
        agency=True,
    )
    b.text(SALUTATION + ",")
    agency_history(b)
    b.text(
        "Sauf erreur ou omission de notre part, les sommes détaillées ci-dessous, échues, "
        "restent impayées à ce jour."
    )
    agency_identity(b)
    agency_claims(b)
    b.heading("Demande de paiement")
    if second:
        b.text(
            "Nous vous demandons de régler la somme de ",
            ("b", "{{ decompte.total_du }}"),
            " ({{ decompte.total_du_lettres }}) sans attendre, et au plus tard le "
            "{{ delai_paiement.date }}. À défaut, une mise en demeure vous sera adressée.",
        )
    else:
        b.text(
            "Nous vous remercions de bien vouloir régler la somme de ",
            ("b", "{{ decompte.total_du }}"),
            " ({{ decompte.total_du_lettres }}) dans les meilleurs délais. Si votre paiement a "
            "croisé ce courrier, nous vous prions de ne pas en tenir compte.",
        )
    agency_payment(b)
    b.p(("i", "{{ mentions.nature }}"), size=9)
    agency_l111_8(b)
    agency_signature(b)
    no_break_hyphens(b)

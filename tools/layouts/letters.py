"""Relances and mises en demeure (creditor's and collection agency's letters)."""

from __future__ import annotations

from layouts.base import (
    DEBTOR_HEAD,
    Builder,
    claims_table,
    decompte_table,
    formal_closing,
    payment_details,
    payments_block,
    salutation,
)

# --------------------------------------------------------------------------- templates


def relance(b: Builder, *, second: bool) -> None:
    b.head(**DEBTOR_HEAD)  # type: ignore[arg-type]
    b.dateline(envoi=None)
    b.subject(["Second rappel – factures restées impayées" if second else "Rappel de paiement"])
    b.text(
        "{% if debiteur.est_societe %}Madame, Monsieur,{% else %}"
        "{{ debiteur.civilite == 'Mme' and 'Madame' or 'Monsieur' }},{% endif %}"
    )
    if second:
        b.text(
            "Sauf erreur de notre part, notre précédent rappel"
            "{% if evenements.relance_envoyee is defined %} du "
            "{{ evenements.relance_envoyee.date }}{% endif %} est resté sans suite, et les "
            "sommes ci-dessous restent dues à ce jour :"
        )
    else:
        b.text(
            "Sauf erreur ou omission de notre part, nous n'avons pas encore reçu le règlement "
            "des sommes suivantes, arrivées à échéance :"
        )
    claims_table(b)
    payments_block(b)
    b.text("Reste dû : ", ("b", "{{ solde_factures }}"), ".")
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
    b.text(
        "Si vous rencontrez une difficulté, n'hésitez pas à nous contacter"
        "{% if expediteur.contact %} ({{ expediteur.contact }}){% endif %} : nous étudierons "
        "avec vous une solution de règlement."
    )
    b.p(("i", "{{ mentions.nature }}"), size=9)
    b.signature(closing=formal_closing())


def mise_en_demeure_pro(b: Builder) -> None:
    b.head(**DEBTOR_HEAD)  # type: ignore[arg-type]
    b.dateline(envoi="Lettre recommandée avec demande d'avis de réception")
    b.subject(["Mise en demeure de payer – {{ dossier.objet }}"])
    b.text(salutation() + ",")
    b.text("Malgré nos précédentes demandes, les factures suivantes, échues, demeurent impayées :")
    claims_table(b)
    payments_block(b)
    b.text("{{ mentions.penalites }}")
    b.text("{{ mentions.indemnite }}")
    b.text("Le décompte des sommes dues s'établit comme suit :")
    decompte_table(b, indemnite=True, interets_label="Pénalités")
    b.text("{{ mentions.sommation }}")
    b.text(
        "Somme due : ",
        ("b", "{{ decompte.total_du }}"),
        ", à régler dans un délai de {{ delai_paiement.jours }} jours à compter de la "
        "réception de la présente, soit au plus tard le {{ delai_paiement.date }} si vous la "
        "recevez aujourd'hui. Les pénalités continuent de courir jusqu'au complet paiement ; la "
        "présente mise en demeure fait en outre courir les intérêts au taux légal sur les "
        "sommes qui n'en portent pas déjà (code civil, art. 1231-6 et 1344-1).",
    )
    b.text("{{ mentions.consequence }}")
    payment_details(b)
    b.signature(closing=formal_closing())


def mise_en_demeure_conso(b: Builder) -> None:
    b.head(**DEBTOR_HEAD)  # type: ignore[arg-type]
    b.dateline(envoi="Lettre recommandée avec demande d'avis de réception")
    b.subject(["Mise en demeure de payer – {{ dossier.objet }}"])
    b.text(salutation() + ",")
    b.text("Les sommes suivantes, échues, restent impayées malgré nos précédents rappels :")
    claims_table(b)
    payments_block(b)
    b.text("Le décompte des sommes dues s'établit comme suit :")
    decompte_table(b, indemnite=False, explain=False)
    b.text("{{ mentions.sommation }}")
    b.text(
        "Somme due : ",
        ("b", "{{ decompte.total_du }}"),
        ", à régler dans un délai de {{ delai_paiement.jours }} jours à compter de la "
        "réception de la présente lettre, soit au plus tard le {{ delai_paiement.date }} si "
        "vous la recevez aujourd'hui.",
    )
    b.text("{{ mentions.interets }}")
    b.text("{{ mentions.frais }}")
    b.text("{{ mentions.consequence }}")
    b.text("{{ mentions.delais }}")
    payment_details(b)
    b.signature(closing=formal_closing())


def mise_en_demeure_agence(b: Builder) -> None:
    b.head(**DEBTOR_HEAD)  # type: ignore[arg-type]
    b.dateline(envoi="Lettre recommandée avec demande d'avis de réception")
    b.subject(["Mise en demeure de payer pour le compte de {{ creancier.nom }}"])
    b.p(
        ("b", "Nos références : "),
        "{{ dossier.reference }}",
        "{% if mandataire.reference_mandat %}"
        " – mandat {{ mandataire.reference_mandat }}{% endif %}",
        space_after=2,
    )
    b.p(
        ("b", "Lettre du : "),
        "{{ aujourd_hui }} (à rappeler dans toute correspondance)",
        space_after=12,
    )
    b.text(salutation() + ",")
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
    b.text("Détail des sommes dues :")
    b.table(
        ["Élément de la créance", "Montant"],
        ["{{ e.libelle }}", "{{ e.montant }}"],
        "e in decompte.elements",
        totals=[["Total dû", "{{ decompte.total_du }}"]],
        widths=[12.0, 5.0],
        numeric=[1],
    )
    b.text(
        "Ces sommes n'incluent aucun frais de recouvrement : les frais de notre intervention "
        "restent à la charge du créancier (code des procédures civiles d'exécution, "
        "art. L111-8 et R124-4)."
    )
    b.heading("Demande de paiement")
    b.text(
        "Nous vous mettons en demeure de régler la somme de ",
        ("b", "{{ decompte.total_du }}"),
        " ({{ decompte.total_du_lettres }}) dans un délai de {{ delai_paiement.jours }} jours "
        "à compter de la réception de la présente.",
    )
    b.heading("Modalités de paiement")
    b.tag("if mandataire.iban")
    b.text(
        "Par virement sur notre compte : IBAN ",
        ("b", "{{ mandataire.iban }}"),
        "{% if mandataire.bic %}, BIC {{ mandataire.bic }}{% endif %}, en rappelant la "
        "référence {{ dossier.reference }} ; un reçu vous sera délivré pour tout paiement.",
    )
    b.tag("else")
    b.text(
        "Par chèque à l'ordre de {{ mandataire.nom }}, adressé à l'adresse ci-dessus en "
        "rappelant la référence {{ dossier.reference }} ; un reçu vous sera délivré pour tout "
        "paiement."
    )
    b.tag("endif")
    b.text(
        "Vous pouvez nous joindre{% if mandataire.contact %} ({{ mandataire.contact }})"
        "{% endif %} pour convenir d'un échéancier."
    )
    b.heading("Article L111-8, alinéas 2 et 3, du code des procédures civiles d'exécution")
    b.p(("i", "« {{ mentions.l111_8 }} »"), align="justify")
    b.signature(
        closing=formal_closing(),
        who="mandataire",
    )

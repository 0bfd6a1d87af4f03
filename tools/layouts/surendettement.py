"""Letters to the commission de surendettement."""

from __future__ import annotations

from layouts.base import (
    Builder,
    decompte_table,
    draft_banner,
    formal_closing,
    pieces_list,
)


def surendettement_declaration(b: Builder) -> None:
    # Values from the case get French typography (no-break spaces, hyphens).
    b.data_typography = True
    draft_banner(b)
    b.head(
        name="surendettement.commission",
        lines="surendettement.commission_adresse",
        sender="creancier",
    )
    b.dateline(envoi="Lettre recommandée avec demande d'avis de réception")
    b.subject(
        ["Justification de créance – dossier de surendettement de {{ debiteur.nom }}"],
        refs=False,
    )
    b.p(("b", "Dossier n° : "), "{{ surendettement.numero_dossier }}", space_after=2)
    b.p(("b", "Nos références : "), "{{ dossier.reference }}", space_after=12)
    b.text("Madame, Monsieur le Secrétaire de la commission,")
    b.text(
        "{% if surendettement.etat_passif %}En réponse à votre lettre "
        "({{ surendettement.etat_passif.reference }}) relative à l'état du passif déclaré par "
        "{{ debiteur.nom }}, {% endif %}nous vous adressons, dans le délai de trente jours prévu "
        "par l'article R723-3 du code de la consommation, la justification de notre créance en "
        "principal, intérêts et accessoires :"
    )
    b.text(
        "Débiteur : ",
        ("b", "{{ debiteur.nom }}"),
        "{% if debiteur.date_naissance %}, {{ debiteur.ne }} le {{ debiteur.date_naissance }}{% endif %}, "
        "{{ debiteur.adresse_ligne }}.",
    )
    decompte_table(b, indemnite=False, reserves=False)
    b.bullets(
        "creances",
        "c",
        [
            "{{ c.reference }} ({{ c.libelle }}) : {{ c.fondement }}"
            "{% if c.taux_contractuel %}, taux contractuel "
            "{{ c.taux_contractuel }}{% endif %}"
        ],
    )
    b.heading("Caution")
    b.text("{{ mentions.caution }}")
    b.text(
        "Existence d'une caution : {{ surendettement.caution.existe_oui }} oui   "
        "{{ surendettement.caution.existe_non }} non"
        "{% if surendettement.caution.nom %} (caution : {{ surendettement.caution.nom }})"
        "{% endif %}."
    )
    b.tag("if surendettement.caution.existe")
    b.text(
        "La caution a-t-elle été appelée : {{ surendettement.caution.appelee_oui }} oui   "
        "{{ surendettement.caution.appelee_non }} non."
    )
    b.tag("endif")
    b.text("Les pièces justificatives sont jointes :")
    pieces_list(b)
    b.signature(
        closing=formal_closing("Madame, Monsieur"),
        who="creancier",
    )


def surendettement_contestation(b: Builder) -> None:
    # Values from the case get French typography (no-break spaces, hyphens).
    b.data_typography = True
    draft_banner(b)
    b.head(
        name="surendettement.commission",
        lines="surendettement.commission_adresse",
        sender="creancier",
    )
    b.dateline(envoi="Lettre recommandée avec demande d'avis de réception")
    b.subject(["{{ surendettement.contestation_objet }}"], refs=False)
    b.p(
        ("b", "Dossier n° : "),
        "{{ surendettement.numero_dossier }} – débiteur : {{ debiteur.nom }}",
        space_after=2,
    )
    b.p(("b", "Nos références : "), "{{ dossier.reference }}", space_after=12)
    b.text("Madame, Monsieur le Secrétaire de la commission,")
    b.text(
        ("b", "{{ creancier.nom }}"),
        ", {{ creancier.identification }}, dont le siège est situé {{ creancier.adresse_ligne }}, "
        "créancier de {{ debiteur.nom }}, forme par la présente, dans le délai de "
        "{{ surendettement.contestation_delai }} suivant sa notification, une contestation de "
        "la décision notifiée le {{ surendettement.decision_contestee.date }}"
        "{% if surendettement.decision_contestee.reference %} "
        "({{ surendettement.decision_contestee.reference }}){% endif %}.",
    )
    b.heading("Mesures ou décision contestées et motifs")
    b.text("{{ surendettement.motifs }}")
    b.text(
        "Notre créance s'élève à ",
        ("b", "{{ decompte.total_du }}"),
        " au {{ decompte.arrete }} (décompte joint en annexe de la présente lettre).",
    )
    b.text(
        "Nous vous demandons de transmettre la présente contestation au juge des "
        "contentieux de la protection."
    )
    b.p(("i", "{{ mentions.forme }}"), size=9)
    b.signature(
        closing=formal_closing("Madame, Monsieur"),
        who="creancier",
    )
    b.heading("Annexe : décompte de la créance", size=11)
    decompte_table(b, indemnite=False, reserves=False)
    b.tag("if creances")
    b.bullets(
        "creances",
        "c",
        [
            "{{ c.reference }} ({{ c.libelle }}) : {{ c.fondement }}"
            "{% if c.taux_contractuel %}, taux contractuel {{ c.taux_contractuel }}{% endif %}"
        ],
    )
    b.tag("endif")

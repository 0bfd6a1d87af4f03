"""Déclaration de créance in a procédure collective."""

from __future__ import annotations

from layouts.base import (
    Builder,
    pieces_list,
)


def declaration_creance(b: Builder) -> None:
    b.head(
        name="declaration.destinataire",
        extra=[(None, "{{ declaration.destinataire_role|capitalize }}")],
        lines="declaration.destinataire_adresse",
        sender="creancier",
    )
    b.dateline(envoi="Lettre recommandée avec demande d'avis de réception")
    b.subject(
        [
            "Déclaration de créance – {{ declaration.procedure }} de {{ debiteur.nom }} "
            "(jugement du {{ declaration.jugement_date }})"
        ]
    )
    b.text("Maître,")
    b.text(
        "Par jugement du {{ declaration.jugement_date }}{% if juridiction %}, le "
        "{{ juridiction.nom }}{% endif %} a ouvert une procédure de {{ declaration.procedure }} "
        "à l'égard de ",
        ("b", "{{ debiteur.nom }}"),
        " ({{ debiteur.identification }}, {{ debiteur.adresse_ligne }})"
        "{% if declaration.bodacc_reference %}, publiée au BODACC le "
        "{{ declaration.bodacc_date }} ({{ declaration.bodacc_reference }}){% endif %}.",
    )
    b.text(
        ("b", "{{ creancier.nom }}"),
        ", {{ creancier.identification }}, dont le siège est situé {{ creancier.adresse_ligne }}, "
        "déclare entre vos mains sa créance, en application des articles L622-24, L622-25 et "
        "R622-23 du code de commerce{% if declaration.procedure == 'liquidation judiciaire' %} "
        "(art. L641-3){% endif %}.",
    )
    b.heading("1. Montant de la créance au jour du jugement d'ouverture")
    b.table(
        ["Créance", "Échéance", "Principal", "Réglé", "Intérêts", "Reste dû"],
        [
            "{{ l.reference }}",
            "{{ l.date_echeance }}",
            "{{ l.principal }}",
            "{{ l.paye }}",
            "{{ l.interets }}",
            "{{ l.total }}",
        ],
        "l in declaration.decompte.lignes",
        totals=[
            [
                "Total",
                "",
                "{{ declaration.decompte.total_principal }}",
                "{{ declaration.decompte.total_paye }}",
                "{{ declaration.decompte.total_interets }}",
                "{{ declaration.decompte.total_du }}",
            ]
        ],
        widths=[3.0, 2.6, 2.8, 2.6, 2.6, 3.0],
        numeric=[2, 3, 4, 5],
    )
    b.text(
        "Montant déclaré : ",
        ("b", "{{ declaration.decompte.total_du }}"),
        " ({{ declaration.decompte.total_du_lettres }}), arrêté au "
        "{{ declaration.jugement_date }}.",
    )
    b.heading("2. Sommes à échoir et dates d'échéance")
    b.tag("if declaration.a_echoir")
    b.bullets(
        "declaration.a_echoir",
        "e",
        [
            "{{ e.reference }} ({{ e.libelle }}) : {{ e.montant }}, échéance du "
            "{{ e.date_echeance }}"
        ],
    )
    b.tag("else")
    b.text("Néant : toutes les sommes déclarées étaient échues au jour du jugement.")
    b.tag("endif")
    b.heading("3. Nature de la créance, privilèges et sûretés")
    b.text("{{ declaration.suretes }}")
    b.heading("4. Modalités de calcul des intérêts")
    b.text("{{ declaration.interets }}")
    b.p(("i", "{{ mentions.interets_arretes }}"), size=9, align="justify")
    b.heading("5. Instance en cours")
    b.text(
        "{% if declaration.instance_en_cours %}{{ declaration.instance_en_cours }}"
        "{% else %}Aucune instance n'est en cours au sujet de cette créance.{% endif %}"
    )
    b.heading("6. Fondement de la créance")
    b.bullets("creances", "c", ["{{ c.reference }} : {{ c.fondement }}"])
    b.heading("7. Délai de déclaration")
    b.text("{{ mentions.delai }}")
    b.tag("if delai.declaration is defined")
    b.text(
        "Pour la présente créance, ce délai expire le ",
        ("b", "{{ delai.declaration.date_limite }}"),
        " ({{ delai.declaration.fondement }}).",
    )
    b.tag("endif")
    b.heading("8. Pièces justificatives (bordereau)")
    pieces_list(b)
    b.p(("b", "{{ mentions.certification }}"), align="justify")
    b.signature(
        closing="Je vous prie d'agréer, Maître, l'expression de mes salutations distinguées.",
        who="creancier",
    )

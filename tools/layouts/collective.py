"""Déclaration de créance in a procédure collective."""

from __future__ import annotations

from layouts.base import (
    NBSP,
    Builder,
    draft_banner,
    pieces_list,
)


def declaration_creance(b: Builder) -> None:
    # Values from the case get French typography (no-break spaces, hyphens).
    b.data_typography = True
    draft_banner(b, "declaration.decompte")
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
        ["Créance", "Échéance", "Principal", "Réglé", "Intérêts", "Indemnité", "Total"],
        [
            "{{ l.reference }}",
            "{{ l.date_echeance }}",
            "{{ l.principal }}",
            "{{ l.paye }}",
            "{{ l.interets }}",
            "{{ l.indemnite }}",
            "{{ l.total }}",
        ],
        "l in declaration.lignes",
        totals=[
            [
                "Total",
                "",
                "{{ declaration.total_principal }}",
                "{{ declaration.total_paye }}",
                "{{ declaration.total_interets }}",
                "{{ declaration.total_indemnites }}",
                "{{ declaration.total }}",
            ]
        ],
        widths=[2.6, 2.6, 2.4, 2.1, 2.1, 2.1, 2.6],
        numeric=[2, 3, 4, 5, 6],
    )
    b.tag("if declaration.imputations")
    b.p(
        f"Imputation des règlements (code civil, art. 1342-10 et 1343-1){NBSP}: "
        "{{ declaration.imputations|join(' ; ') }}.",
        size=9,
        align="justify",
    )
    b.tag("endif")
    b.tag("if declaration.indemnite")
    b.p(("i", "{{ declaration.indemnite }}"), size=9, align="justify")
    b.tag("endif")
    b.text(
        "Montant déclaré : ",
        ("b", "{{ declaration.total }}"),
        " ({{ declaration.total_lettres }}), arrêté au {{ declaration.jugement_date }}"
        "{% if declaration.a_echoir %}, dont {{ declaration.total_echu }} échus et "
        "{{ declaration.total_a_echoir }} à échoir{% endif %}.",
    )
    b.tag("if declaration.liquidation")
    b.heading("2. Exigibilité des créances")
    b.tag("if declaration.exigibles_l643_1")
    b.text(
        "{{ mentions.exigibilite_liquidation }} Les sommes suivantes, dont l'échéance "
        "contractuelle était postérieure au jugement, sont donc déclarées comme échues et "
        "comprises dans le montant déclaré :"
    )
    b.bullets(
        "declaration.exigibles_l643_1",
        "e",
        [
            "{{ e.reference }} ({{ e.libelle }}) : {{ e.total }}, échéance contractuelle du "
            "{{ e.date_echeance }}"
        ],
    )
    b.tag("else")
    b.text(
        "Toutes les sommes déclarées étaient échues au jour du jugement. "
        "{{ mentions.exigibilite_liquidation }}"
    )
    b.tag("endif")
    b.tag("else")
    b.heading("2. Sommes à échoir et dates d'échéance")
    b.tag("if declaration.a_echoir")
    b.text(
        "Les sommes suivantes, à échoir après le jugement d'ouverture, sont comprises dans le "
        "montant déclaré (code de commerce, art. L622-25) :"
    )
    b.bullets(
        "declaration.a_echoir",
        "e",
        ["{{ e.reference }} ({{ e.libelle }}) : {{ e.total }}, échéance du {{ e.date_echeance }}"],
    )
    b.tag("else")
    b.text("Néant : toutes les sommes déclarées étaient échues au jour du jugement.")
    b.tag("endif")
    b.tag("endif")
    b.heading("3. Nature de la créance, privilèges et sûretés")
    b.text("{{ declaration.suretes }}")
    b.heading("4. Modalités de calcul des intérêts")
    b.text("{{ declaration.interets }}")
    b.p(("i", "{{ mentions.interets_arretes }}"), size=9, align="justify")
    # The calculation actually made (R622-23): rate and its basis, period, days, day basis.
    b.tag("if declaration.calcul")
    b.text(f"Intérêts calculés jusqu'au jugement d'ouverture{NBSP}:", space_after=2)
    b.bullets("declaration.calcul", "ligne", ["{{ ligne }}"])
    b.tag("endif")
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
        "Pour la présente créance, la déclaration doit être envoyée au plus tard le ",
        ("b", "{{ delai.declaration.date_limite }}"),
        " ({{ delai.declaration.fondement }}) ; la date d'expédition de la présente lettre "
        "recommandée fait foi.",
    )
    b.tag("endif")
    b.heading("8. Pièces justificatives (bordereau)")
    pieces_list(b)
    b.p(("b", "{{ mentions.certification }}"), align="justify")
    b.signature(
        closing="Je vous prie d'agréer, Maître, l'expression de mes salutations distinguées.",
        who="creancier",
    )

"""Requêtes en injonction de payer, the bordereau and the letters to the commissaire de justice."""

from __future__ import annotations

from layouts.base import (
    ADDRESS_INDENT,
    Builder,
    decompte_table,
    formal_closing,
    pieces_list,
    requete_parties,
)


def requete(b: Builder, *, tc: bool) -> None:
    b.p(("b", "{{ creancier.nom }}"), space_after=0)
    b.lines("creancier.adresse")
    b.p("", space_after=6)
    b.p("À {{ juridiction.destinataire }}", indent=ADDRESS_INDENT, space_after=0)
    b.lines("juridiction.adresse", indent=ADDRESS_INDENT)
    b.p("", space_after=6)
    b.title("REQUÊTE EN INJONCTION DE PAYER")
    b.p(
        (
            "i",
            "Articles 1405 et suivants du code de procédure civile – "
            + (
                "Cerfa n° 12946*02 (tribunal de commerce)"
                if tc
                else "Cerfa n° 12948*06 (tribunal judiciaire) ou n° 16040*01 (juge des contentieux de "
                "la protection)"
            )
            + " – {{ mentions.regime }}",
        ),
        align="center",
        size=9,
    )
    b.heading("Juridiction saisie")
    b.text("{{ juridiction.nom }} : requête présentée au {{ juridiction.juge }}.")
    requete_parties(b)
    b.heading("Objet de la demande")
    b.text(
        "Le requérant demande qu'il soit enjoint au débiteur de lui payer la somme de ",
        ("b", "{{ decompte.total_du }}"),
        " ({{ decompte.total_du_lettres }}), outre les intérêts à échoir et les dépens, au "
        "titre de : "
        "{{ dossier.objet }}.",
    )
    b.heading("Montant et décompte de la créance")
    decompte_table(b, indemnite=tc, interets_label="Intérêts" if not tc else "Pénalités")
    b.heading("Fondement de la créance")
    b.bullets(
        "creances",
        "c",
        ["{{ c.reference }} ({{ c.libelle }}) : {{ c.fondement }}"],
    )
    b.tag("if evenements.mise_en_demeure_envoyee is defined")
    b.text(
        "Une mise en demeure a été adressée au débiteur le "
        "{{ evenements.mise_en_demeure_envoyee.date }} ; elle est restée sans effet."
    )
    b.tag("endif")
    b.heading("Bordereau des pièces produites")
    pieces_list(b)
    b.heading("Demande de renvoi en cas d'opposition (art. 1408 du code de procédure civile)")
    b.text(
        "En cas d'opposition, le requérant demande que l'affaire soit immédiatement renvoyée "
        "devant la juridiction qu'il estime compétente : {{ juridiction.nom }}."
    )
    b.text(
        "Le requérant certifie l'exactitude des renseignements ci-dessus. Les pièces "
        "justificatives énumérées au bordereau sont jointes à la présente requête."
    )
    if tc:
        b.text(
            "Les frais de greffe seront consignés dans les quinze jours de la demande "
            "(art. 1425 du code de procédure civile)."
        )
    b.p("Fait à {{ lieu }}, le {{ aujourd_hui }}", indent=ADDRESS_INDENT, space_before=12)
    b.p("Signature :", indent=ADDRESS_INDENT, space_after=0)
    b.signature(who="creancier")


def lettre_commissaire(b: Builder, *, execution: bool) -> None:
    b.head(
        name="commissaire.nom",
        lines="commissaire.adresse",
        sender="creancier",
    )
    b.dateline(envoi=None)
    b.subject(
        [
            "Exécution de l'ordonnance d'injonction de payer"
            if execution
            else "Signification d'une ordonnance d'injonction de payer",
            " – {{ creancier.nom }} c/ {{ debiteur.nom }}",
        ]
    )
    b.text("Maître,")
    b.text(
        "Le {{ evenements.ordonnance_rendue.date }}, {% if juridiction %}le "
        "{{ juridiction.juge }}{% else %}le juge{% endif %} a rendu une ordonnance "
        "d'injonction de payer{% if evenements.ordonnance_rendue.reference %} "
        "({{ evenements.ordonnance_rendue.reference }}){% endif %} contre ",
        ("b", "{{ debiteur.nom }}"),
        ", {{ debiteur.adresse_ligne }}, pour la somme de {{ decompte.total_du }} au "
        "{{ decompte.date }}.",
    )
    if execution:
        b.text(
            "{% if evenements.ordonnance_signifiee is defined %}Signification du "
            "{{ evenements.ordonnance_signifiee.date }}. {% endif %}{{ mentions.execution }}"
        )
        b.text(
            "Nous vous demandons, en votre qualité de commissaire de justice, de bien vouloir "
            "procéder à son exécution forcée par toutes voies de droit et de nous tenir informés des mesures engagées."
        )
    else:
        b.text(
            "Nous vous demandons, en votre qualité de commissaire de justice, de bien vouloir "
            "procéder à sa signification au débiteur. "
            "{{ mentions.signification }}"
        )
        b.tag("if delai.signification_ordonnance is defined")
        b.text(
            "La signification doit intervenir au plus tard le ",
            ("b", "{{ delai.signification_ordonnance.date_limite }}"),
            " ({{ delai.signification_ordonnance.fondement }}).",
        )
        b.tag("endif")
        b.text("{{ mentions.mes_pieces }}")
    b.text("Vous trouverez ci-joint l'ordonnance, la requête et les pièces suivantes :")
    pieces_list(b)
    b.signature(
        closing=formal_closing("Maître"),
        who="creancier",
    )


def bordereau(b: Builder) -> None:
    b.title("BORDEREAU DES PIÈCES COMMUNIQUÉES")
    b.p(("b", "{{ document.titre }}"), align="center", size=9)
    b.p(("b", "Affaire : "), "{{ creancier.nom }} c/ {{ debiteur.nom }}", space_after=2)
    b.p(("b", "Référence : "), "{{ dossier.reference }}", space_after=2)
    b.tag("if juridiction")
    b.p(("b", "Juridiction : "), "{{ juridiction.nom }}", space_after=2)
    b.tag("endif")
    b.p(("b", "Objet : "), "{{ dossier.objet }}", space_after=12)
    pieces_list(b)
    b.p("Fait à {{ lieu }}, le {{ aujourd_hui }}", indent=ADDRESS_INDENT, space_before=12)
    b.signature(who="creancier")

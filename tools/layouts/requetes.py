"""Requêtes en injonction de payer, the bordereau and the letters to the commissaire de justice."""

from __future__ import annotations

from layouts.base import (
    ADDRESS_INDENT,
    Builder,
    decompte_table,
    draft_banner,
    formal_closing,
    pieces_list,
)
from layouts.letters import no_break_hyphens
from layouts.plan import plan_acceleration_requete


def requete(b: Builder, *, tc: bool) -> None:
    # Values from the case get French typography (no-break spaces, hyphens).
    b.data_typography = True
    draft_banner(b)
    b.letterhead()
    b.p(("b", "{{ creancier.nom }}"), space_after=0)
    b.lines("creancier.adresse")
    b.p("", space_after=6)
    b.p("À {{ juridiction.destinataire }}", indent=ADDRESS_INDENT, space_after=0)
    b.lines("juridiction.adresse", indent=ADDRESS_INDENT)
    b.p("", space_after=6)
    b.title("REQUÊTE EN INJONCTION DE PAYER")
    # A free-form requête: no Cerfa number (the forms are another way to file).
    b.p(
        (
            "i",
            "{% if requete.formation == 'jcp' %}Devant le juge des contentieux de la protection"
            " – {% endif %}Articles 1405 à 1408 du code de procédure civile",
        ),
        align="center",
        size=9,
    )
    b.heading("Juridiction saisie")
    b.text("{{ juridiction.nom }} : requête présentée au {{ juridiction.juge }}.")
    _parties(b)
    b.heading("Objet de la demande")
    b.text(
        "Le requérant demande qu'il soit enjoint au débiteur de lui payer la somme de ",
        ("b", "{{ decompte.total_du }}"),
        " ({{ decompte.total_du_lettres }}), arrêtée au {{ decompte.date }}"
        "{% if requete.interets_a_echoir %}, {{ requete.interets_a_echoir }}{% endif %}, "
        "ainsi que les dépens, au titre de : {{ dossier.objet }}.",
    )
    _credit(b)
    b.heading("Montant et décompte de la créance")
    decompte_table(
        b,
        indemnite=tc,
        interets_label="Intérêts" if not tc else "Pénalités",
        explain=False,
        reserves=False,
    )
    # The split of the Cerfa forms: principal, interest, clause pénale, accessory costs.
    b.table(
        ["Élément de la créance", "Montant"],
        ["{{ v.libelle }}", "{{ v.montant }}"],
        "v in requete.ventilation.lignes",
        totals=[["Total", "{{ requete.ventilation.total }}"]],
        widths=[12.0, 4.0],
        numeric=[1],
    )
    # The rate of each claim with its own basis, not the calculation conventions (those stay
    # in « actes decompte »).
    b.tag("if decompte.taux_par_creance|length == 1")
    b.p(
        ("i", "Taux appliqué\u00a0: {{ decompte.taux_par_creance[0].taux }}."),
        size=9,
        align="justify",
    )
    b.tag("elif decompte.taux_par_creance")
    b.p(("i", "Taux appliqués\u00a0:"), size=9, space_after=0)
    b.tag("for t in decompte.taux_par_creance")
    b.p(("i", "– {{ t.reference }}\u00a0: {{ t.taux }}"), size=9, space_after=0, align="justify")
    b.tag("endfor")
    b.tag("endif")
    b.tag("if requete.arret_interets")
    b.p(("i", "{{ requete.arret_interets }}"), size=9, align="justify")
    b.tag("endif")
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
    plan_acceleration_requete(b)
    b.heading("Bordereau des pièces produites")
    pieces_list(b)
    b.tag("if requete.renvoi")
    b.heading("Demande de renvoi en cas d'opposition (art. 1408 du code de procédure civile)")
    b.text(
        "En cas d'opposition, le requérant demande que l'affaire soit immédiatement renvoyée "
        "devant {{ requete.renvoi }}."
    )
    b.tag("endif")
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
    _signature(b)
    no_break_hyphens(b)


def _parties(b: Builder) -> None:
    """The parties as CPC 54 and 57 want them (designations from actes.documents.contexts.requete)."""
    b.heading("Le requérant (créancier)")
    b.text("{{ requete.creancier }}.")
    # Only the one who presents the requête for the creditor: an avocat, or a mandataire
    # holding a pouvoir spécial (actes.documents.authorship.representative).
    b.tag("if requete.representant")
    b.text("{{ requete.representant.texte }}")
    b.tag("endif")
    b.heading("Contre le débiteur")
    b.text("{{ requete.debiteur }}.")


def _credit(b: Builder) -> None:
    """The consumer credit the claim rests on (C. conso. L312-39, R312-35)."""
    b.tag("if requete.credit")
    b.heading("Le crédit")
    b.text(
        "La créance procède d'un {{ requete.credit.nature }}"
        "{% if requete.credit.reference %} n° {{ requete.credit.reference }}{% endif %} d'un "
        "montant de {{ requete.credit.montant }}, consenti au débiteur par une offre acceptée le "
        "{{ requete.credit.date_acceptation }}, au taux annuel effectif global de "
        "{{ requete.credit.taeg }}{% if requete.credit.taux_debiteur %} (taux débiteur "
        "{{ requete.credit.taux_debiteur }}){% endif %}{% if requete.credit.duree_mois %}, "
        "remboursable en {{ requete.credit.duree_mois }} mois{% endif %}."
    )
    b.text(
        "Le premier incident de paiement non régularisé est du ",
        ("b", "{{ requete.credit.premier_incident }}"),
        "{% if requete.credit.reamenagement %} (postérieur au réaménagement du "
        "{{ requete.credit.reamenagement }}){% endif %} : la présente requête est présentée "
        "dans le délai de deux ans de l'article R312-35 du code de la consommation"
        "{% if requete.credit.forclusion %}, qui expire le {{ requete.credit.forclusion }}"
        "{% endif %}.",
    )
    b.tag("if requete.credit.decheance")
    b.text(
        "Par lettre recommandée du {{ requete.credit.decheance.mise_en_demeure }}, le prêteur a "
        "mis en demeure le débiteur de régulariser les échéances impayées"
        "{% if requete.credit.decheance.delai_jours %} dans un délai de "
        "{{ requete.credit.decheance.delai_jours }} jours{% endif %}, sous peine de déchéance "
        "du terme ; cette mise en demeure étant restée sans effet, la déchéance du terme a été "
        "prononcée le {{ requete.credit.decheance.date }}, rendant exigibles le capital restant "
        "dû et les intérêts échus (code de la consommation, art. L312-39)."
    )
    b.tag("else")
    b.text(
        "La déchéance du terme n'a pas été prononcée : seules les échéances échues et impayées "
        "sont demandées."
    )
    b.tag("endif")
    b.tag("endif")


def _signature(b: Builder) -> None:
    """Name and title of the signatory, the power he acts under (délégation de pouvoir,
    « Pour … » of a representative) and the creditor or representative he signs for."""
    b.p("{{ requete.signataire.nom }}", indent=ADDRESS_INDENT, space_before=18, space_after=0)
    b.p("{{ requete.signataire.qualite }}", indent=ADDRESS_INDENT, space_after=0)
    b.tag("if requete.signataire.mention")
    b.p("{{ requete.signataire.mention }}", indent=ADDRESS_INDENT, space_after=0, size=9)
    b.tag("endif")
    b.p("{{ requete.signataire.entite }}", indent=ADDRESS_INDENT, space_after=0)


def reserve_texte(b: Builder) -> None:
    """The reserve a procedure version records on a rule it states (décret 2026-96)."""
    b.tag("if mentions.reserve_texte is defined")
    b.p(("i", "{{ mentions.reserve_texte }}"), size=9, align="justify")
    b.tag("endif")


def lettre_commissaire(b: Builder, *, execution: bool) -> None:
    # Values from the case get French typography (no-break spaces, hyphens).
    b.data_typography = True
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
        ", {{ debiteur.adresse_ligne }}{% if debiteur.syndic %}, représenté par son syndic en "
        "exercice, {{ debiteur.syndic }}{% endif %}, pour la somme de {{ decompte.total_du }} au "
        "{{ decompte.date }}.",
    )
    if execution:
        b.text(
            "{% if evenements.ordonnance_signifiee is defined %}Signification du "
            "{{ evenements.ordonnance_signifiee.date }}. {% endif %}{{ mentions.execution }}"
        )
        reserve_texte(b)
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
        reserve_texte(b)
        b.text("{{ mentions.mes_pieces }}")
    b.text("Vous trouverez ci-joint l'ordonnance, la requête et les pièces suivantes :")
    pieces_list(b)
    b.signature(
        closing=formal_closing("Maître"),
        who="creancier",
    )


def bordereau(b: Builder) -> None:
    # Values from the case get French typography (no-break spaces, hyphens).
    b.data_typography = True
    # « Pièces jointes », not « communiquées » (the wording of adversarial proceedings): the
    # requête and the déclaration produce their pièces, they are not exchanged.
    # The title names the act the pièces go with: once the ordonnance is rendered, the
    # bordereau goes to the commissaire de justice with the title, not with the requête.
    b.title(
        "BORDEREAU DES PIÈCES "
        "{% if acte.procedure == 'declaration_de_creance' %}JOINTES À LA DÉCLARATION DE "
        "CRÉANCE"
        "{% elif acte.procedure == 'saisie_attribution' %}JOINTES À LA DEMANDE DE "
        "SAISIE-ATTRIBUTION"
        "{% elif acte.procedure == 'saisie_remunerations' %}{% if execution and execution.juge "
        "%}JOINTES À LA REQUÊTE EN SAISIE DES RÉMUNÉRATIONS{% else %}JOINTES À LA DEMANDE DE "
        "SAISIE DES RÉMUNÉRATIONS{% endif %}"
        "{% elif acte.procedure == 'saisie_conservatoire' %}{% if execution and "
        "execution.autorisation_requise %}JOINTES À LA REQUÊTE AUX FINS DE SAISIE "
        "CONSERVATOIRE{% else %}JOINTES À LA DEMANDE DE SAISIE CONSERVATOIRE{% endif %}"
        "{% elif acte.procedure == 'petites_creances' %}JOINTES AU MANDAT DE RECOUVREMENT "
        "DES PETITES CRÉANCES"
        "{% elif evenements.ordonnance_rendue is defined or evenements.ipe_injonction_delivree "
        "is defined %}COMMUNIQUÉES AU COMMISSAIRE DE JUSTICE"
        "{% elif acte.procedure == 'injonction_de_payer_europeenne' %}JOINTES À LA DEMANDE "
        "D'INJONCTION DE PAYER EUROPÉENNE{% else %}JOINTES À LA REQUÊTE EN INJONCTION DE "
        "PAYER{% endif %}"
    )
    b.p(("b", "Affaire : "), "{{ creancier.nom }} c/ {{ debiteur.nom }}", space_after=2)
    b.p(("b", "Référence : "), "{{ dossier.reference }}", space_after=2)
    b.tag("if juridiction")
    b.p(("b", "Juridiction : "), "{{ juridiction.nom }}", space_after=2)
    b.tag("endif")
    b.p(("b", "Objet : "), "{{ dossier.objet }}", space_after=12)
    pieces_list(b)
    b.p("Fait à {{ lieu }}, le {{ aujourd_hui }}", indent=ADDRESS_INDENT, space_before=12)
    _signature(b)
    no_break_hyphens(b)

"""Enforcement through the commissaire de justice: the requests to the commissaire
(saisie-attribution, saisie des rémunérations, saisie conservatoire, petites créances) and the
requêtes to the juge de l'exécution (saisie conservatoire; saisie des rémunérations before
1 July 2025). The figures come from the ``execution`` block of the context
(:mod:`actes.documents.contexts.enforcement`)."""

from __future__ import annotations

from docx.shared import Cm
from layouts.base import (
    ADDRESS_INDENT,
    NBSP,
    Builder,
    claims_table,
    decompte_table,
    formal_closing,
    pieces_list,
    requete_parties,
)
from layouts.letters import no_break_hyphens

CLOSING = formal_closing("Maître")


def _to_commissaire(b: Builder, objet: str) -> None:
    b.data_typography = True
    b.head(name="commissaire.nom", lines="commissaire.adresse", sender="creancier")
    b.dateline(envoi=None)
    b.subject([objet, " – {{ creancier.nom }} c/ {{ debiteur.nom }}"])
    b.text("Maître,")


def _debtor(b: Builder) -> None:
    b.heading("Débiteur")
    b.text(
        ("b", "{{ debiteur.nom }}"),
        "{% if debiteur.identification %}, {{ debiteur.identification }}{% endif %}, "
        "{% if debiteur.est_societe %}dont le siège est situé{% else %}demeurant{% endif %} "
        "{{ debiteur.adresse_ligne }}.",
    )


def _title(b: Builder) -> None:
    b.heading("Titre exécutoire")
    b.text(
        "{{ execution.titre.designation }}{% if execution.titre.signification %}, "
        "{{ execution.titre.signification }}{% endif %}."
    )
    b.text(
        "{{ execution.titre.executoire }}. Exécution possible jusqu'au "
        "{{ execution.titre.expiration }} (code des procédures civiles d'exécution, "
        "art. L111-4)."
    )


def _title_decompte(b: Builder, *, provision: bool) -> None:
    b.table(
        ["Poste", "Montant"],
        ["{{ l.libelle }}", "{{ l.montant }}"],
        "l in execution.decompte.lignes",
        totals=[
            ["Total dû au {{ execution.decompte.arrete_au }}", "{{ execution.decompte.total_du }}"]
        ],
        widths=[13.0, 4.0],
        numeric=[1],
    )
    b.text(
        "Soit ",
        ("b", "{{ execution.decompte.total_du }}"),
        " ({{ execution.decompte.total_du_lettres }}) au {{ execution.decompte.arrete_au }}, "
        "dont principal restant dû {{ execution.decompte.principal_restant }}, intérêts échus "
        "{{ execution.decompte.interets_restants }} et frais "
        "{{ execution.decompte.frais_restants }}.",
    )
    if provision:
        b.tag("if execution.decompte.provision")
        b.text(
            "Provision d'un mois d'intérêts à échoir pendant le délai de contestation "
            "({{ execution.decompte.provision.jours }} jours)" + NBSP + ": ",
            ("b", "{{ execution.decompte.provision.montant }}"),
            ", soit une saisie à pratiquer pour ",
            ("b", "{{ execution.decompte.total_saisie }}"),
            " ({{ execution.decompte.total_saisie_lettres }}).{% if "
            "execution.decompte.provision.note %} Cette provision est "
            "{{ execution.decompte.provision.note }}."
            "{% endif %}",
        )
        b.tag("endif")
    b.tag("if execution.decompte.periodes")
    b.p(f"Intérêts échus en vertu du titre{NBSP}:", size=9, space_after=0, keep_next=True)
    b.tag("for ligne in execution.decompte.periodes")
    b.p("– {{ ligne }}", size=9, space_after=0, indent=Cm(0.5))
    b.tag("endfor")
    b.p("", size=4)
    b.tag("endif")
    b.tag("if execution.decompte.paiements")
    b.p(
        "Règlements reçus depuis le titre"
        + NBSP
        + ": {{ execution.decompte.paiements|join(' ; ') }}.",
        size=9,
        align="justify",
    )
    b.tag("endif")
    b.tag("for reserve in execution.decompte.reserves")
    b.text("{{ reserve }}", size=9)
    b.tag("endfor")


def _claims_decompte(b: Builder) -> None:
    """The case's décompte before any title, with the indemnity column only when owed."""
    b.tag("if decompte.a_indemnites")
    decompte_table(b, indemnite=True, explain=True, reserves=True)
    b.tag("else")
    decompte_table(b, indemnite=False, explain=True, reserves=True)
    b.tag("endif")


def _funds(b: Builder) -> None:
    b.heading("Versement des fonds")
    b.tag("if creancier.iban")
    b.text(
        "Les sommes recouvrées seront versées sur le compte {{ creancier.nom|de }} : IBAN ",
        ("b", "{{ creancier.iban }}"),
        "{% if creancier.bic %}, BIC {{ creancier.bic }}{% endif %}, en rappelant la "
        "référence {{ dossier.reference }}.",
    )
    b.tag("else")
    b.text(
        "Les sommes recouvrées seront réglées par chèque à l'ordre {{ creancier.nom|de }}, en "
        "rappelant la référence {{ dossier.reference }}."
    )
    b.tag("endif")


def _enclosed(b: Builder) -> None:
    b.text("Vous trouverez ci-joint les pièces suivantes :")
    pieces_list(b)


def _third_parties(b: Builder) -> None:
    b.bullets(
        "execution.tiers_saisis",
        "t",
        [
            ("b", "{{ t.nom }}"),
            "{% if t.adresse_ligne %}, {{ t.adresse_ligne }}{% endif %} – {{ t.cause }}"
            "{% if t.iban %} (IBAN connu : {{ t.iban }}){% endif %}",
        ],
    )


def requisition_saisie_attribution(b: Builder) -> None:
    _to_commissaire(b, "Demande de saisie-attribution")
    b.text(
        "En vertu du titre exécutoire désigné ci-dessous, nous vous demandons de bien vouloir "
        "pratiquer une saisie-attribution à l'encontre de ",
        ("b", "{{ debiteur.nom }}"),
        " entre les mains des tiers qui lui doivent des sommes d'argent, puis de la lui dénoncer.",
    )
    _debtor(b)
    _title(b)
    b.heading("Tiers saisis")
    b.tag("if execution.tiers_saisis")
    _third_parties(b)
    b.tag("endif")
    b.heading("Décompte des sommes réclamées")
    _title_decompte(b, provision=True)
    b.text("{{ mentions.acte }}", size=9)
    b.text("{{ mentions.attribution }} {{ mentions.denonciation }}", size=9)
    _funds(b)
    _enclosed(b)
    b.text("Nous vous remercions de nous tenir informés des suites de la saisie.")
    b.signature(closing=CLOSING, who="creancier")
    no_break_hyphens(b)


def requisition_saisie_remunerations(b: Builder) -> None:
    _to_commissaire(b, "Demande de saisie des rémunérations")
    b.text(
        "En vertu du titre exécutoire désigné ci-dessous, nous vous demandons de bien vouloir "
        "mettre en œuvre la saisie des rémunérations de ",
        ("b", "{{ debiteur.nom }}"),
        " : signification du commandement de payer et, faute de paiement ou d'accord dans le "
        "mois, du procès-verbal de saisie à son employeur.",
    )
    b.text("{{ mentions.regime }}", size=9)
    _debtor(b)
    b.heading("Employeur du débiteur")
    b.text(
        ("b", "{{ execution.employeur.denomination }}"),
        "{% if execution.employeur.siren %}, SIREN {{ execution.employeur.siren }}{% endif %}, "
        "{{ execution.employeur.adresse_ligne }}.",
    )
    _title(b)
    b.heading("Décompte des sommes réclamées")
    _title_decompte(b, provision=False)
    b.text("{{ mentions.commandement }}", size=9)
    b.text("{{ mentions.caducite }} {{ mentions.bareme }}", size=9)
    _funds(b)
    _enclosed(b)
    b.text(
        "Nous vous remercions de nous communiquer la date de signification du commandement, "
        "puis celle du procès-verbal de saisie ou d'accord, qui font courir les délais de la "
        "procédure."
    )
    b.signature(closing=CLOSING, who="creancier")
    no_break_hyphens(b)


def requisition_saisie_conservatoire(b: Builder) -> None:
    _to_commissaire(b, "Demande de saisie conservatoire")
    b.text(
        "Nous vous demandons de bien vouloir pratiquer une saisie conservatoire à l'encontre de ",
        ("b", "{{ debiteur.nom }}"),
        ", puis de la lui dénoncer dans les huit jours (code des procédures civiles "
        "d'exécution, art. R523-3).",
    )
    _debtor(b)
    b.heading("Fondement de la mesure")
    b.tag("if execution.titre")
    b.text(
        "{{ execution.titre.designation }}{% if execution.titre.signification %}, "
        "{{ execution.titre.signification }}{% endif %} : aucune autorisation du juge n'est "
        "nécessaire (art. L511-2)."
    )
    b.tag("elif execution.autorisation")
    b.text(
        "Ordonnance du juge de l'exécution du {{ execution.autorisation.date }}"
        "{% if execution.autorisation.reference %} ({{ execution.autorisation.reference }})"
        "{% endif %} autorisant la mesure, jointe ; elle est caduque si la mesure n'est pas "
        "exécutée dans les trois mois de sa date, soit au plus tard le "
        "{{ execution.autorisation.caducite }} (art. R511-6)."
    )
    b.tag("elif execution.instrument")
    b.text(
        "{{ execution.instrument.designation[:1]|upper }}"
        "{{ execution.instrument.designation[1:] }}, joint. {{ mentions.sans_autorisation }}"
    )
    b.tag("endif")
    b.heading("Sommes à garantir")
    b.tag("if execution.decompte")
    _title_decompte(b, provision=False)
    b.tag("elif execution.autorisation")
    b.text(
        "Somme pour la garantie de laquelle l'ordonnance autorise la mesure" + NBSP + ": ",
        ("b", "{{ execution.autorisation.montant }}"),
        " ({{ execution.autorisation.montant_lettres }}). {{ mentions.montant_et_biens }}",
    )
    b.tag("elif execution.instrument")
    b.text(
        "Montant impayé, seul dispensé d'autorisation (art. L511-2)" + NBSP + ": ",
        ("b", "{{ execution.instrument.montant }}"),
        " ({{ execution.instrument.montant_lettres }}).",
    )
    b.tag("else")
    _claims_decompte(b)
    b.tag("endif")
    b.heading("Biens sur lesquels porte la mesure")
    b.tag("if execution.autorisation")
    b.text(
        "{{ execution.autorisation.biens[:1]|upper }}{{ execution.autorisation.biens[1:] }}, "
        "ainsi que l'ordonnance les désigne."
    )
    b.tag("elif execution.biens")
    b.text("{{ execution.biens[:1]|upper }}{{ execution.biens[1:] }}.")
    b.tag("endif")
    b.tag("if execution.tiers_saisis")
    _third_parties(b)
    b.tag("endif")
    # The ordonnance's caducity (R511-6) is stated once, dated, under « Fondement ».
    b.tag("if not execution.titre and mentions.introduction_instance is defined")
    b.text("{{ mentions.introduction_instance }}", size=9)
    b.tag("endif")
    _enclosed(b)
    b.signature(closing=CLOSING, who="creancier")
    no_break_hyphens(b)


def mandat_petites_creances(b: Builder) -> None:
    _to_commissaire(b, "Procédure simplifiée de recouvrement des petites créances")
    b.text(
        "Nous vous donnons mandat de mettre en œuvre, pour notre compte, la procédure "
        "simplifiée de recouvrement des petites créances (code des procédures civiles "
        "d'exécution, art. L125-1 et R125-1 et suivants) à l'encontre de ",
        ("b", "{{ debiteur.nom }}"),
        ", qui demeure dans le ressort de la cour d'appel où vous exercez.",
    )
    _debtor(b)
    b.heading("Fondement de la créance")
    b.bullets(
        "creances",
        "c",
        [
            "{{ c.reference }} – {{ c.libelle }} ({{ c.nature_libelle }}, échue le "
            "{{ c.date_echeance }}, {{ c.montant }}){% if c.fondement %} : {{ c.fondement }}"
            "{% endif %}"
        ],
    )
    b.heading("Montant réclamé")
    _claims_decompte(b)
    b.text(
        "En principal et intérêts, la créance s'élève à ",
        ("b", "{{ execution.petites_creances.total }}"),
        " ({{ execution.petites_creances.principal }} en principal et "
        "{{ execution.petites_creances.interets }} d'intérêts), dans la limite de "
        "{{ execution.petites_creances.plafond }} fixée par l'article R125-1.",
    )
    b.heading("Déroulement")
    b.text("{{ mentions.procedure }} {{ mentions.delai }}", size=9)
    b.text("{{ mentions.titre }} {{ mentions.prescription }} {{ mentions.frais }}", size=9)
    b.text(
        "En cas d'accord du débiteur sur le montant et les modalités du paiement, nous vous "
        "remercions de nous en soumettre les termes avant de délivrer le titre ; en cas de "
        "refus ou de silence dans le mois, de nous en informer afin que nous saisissions le "
        "juge."
    )
    _funds(b)
    b.text("Les pièces justificatives, numérotées, sont jointes :")
    pieces_list(b)
    b.signature(closing=CLOSING, who="creancier")
    no_break_hyphens(b)


def _to_judge(b: Builder, title: str, subtitle: str) -> None:
    b.data_typography = True
    b.letterhead()
    b.p(("b", "{{ creancier.nom }}"), space_after=0)
    b.lines("creancier.adresse")
    b.p("", space_after=6)
    b.p("À {{ execution.juge.destinataire }}", indent=ADDRESS_INDENT, space_after=0)
    b.lines("execution.juge.adresse", indent=ADDRESS_INDENT)
    b.p("", space_after=6)
    b.title(title)
    b.p(("i", subtitle), align="center", size=9)
    b.heading("Juridiction saisie")
    b.text("Requête présentée au {{ execution.juge.juge }}.")
    requete_parties(b, _counsel)


def _counsel(b: Builder) -> None:
    """The avocat presenting the requête, in the requérant's block (CPCE L121-4)."""
    b.tag("if execution.avocat")
    b.text(
        "Ayant pour avocat ",
        ("b", "{{ execution.avocat.nom }}"),
        ", avocat au barreau de {{ execution.avocat.barreau }}"
        "{% if execution.avocat.adresse_ligne %}, {{ execution.avocat.adresse_ligne }}"
        "{% endif %}, par l'intermédiaire de qui la présente requête est présentée (code des "
        "procédures civiles d'exécution, art. L121-4).",
    )
    b.tag("endif")


def _judge_signature(b: Builder) -> None:
    """« Fait à » and the signature, kept with the paragraph before them (the closing
    paragraph of « Par ces motifs »): no page holding only the signature. An avocat signs
    for the creditor, at his own town."""
    b.doc.paragraphs[-1].paragraph_format.keep_with_next = True
    b.p(
        "Fait à {% if execution.avocat and execution.avocat.ville %}"
        "{{ execution.avocat.ville }}{% else %}{{ lieu }}{% endif %}, le {{ aujourd_hui }}",
        indent=ADDRESS_INDENT,
        space_before=12,
        keep_next=True,
    )
    b.tag("if execution.avocat")
    for text, first in (
        ("Pour {{ creancier.nom }}", True),
        ("{{ execution.avocat.nom }}", False),
    ):
        b.p(
            text,
            indent=ADDRESS_INDENT,
            space_before=18 if first else 0,
            space_after=0,
            keep_next=True,
        )
    b.p(
        "Avocat au barreau de {{ execution.avocat.barreau }}",
        indent=ADDRESS_INDENT,
        space_after=0,
    )
    b.tag("else")
    b.signature(who="creancier")
    b.tag("endif")


def requete_saisie_conservatoire(b: Builder) -> None:
    _to_judge(
        b,
        "REQUÊTE AUX FINS D'AUTORISATION DE SAISIE CONSERVATOIRE",
        "Articles L511-1, R511-1 et R511-2 du code des procédures civiles d'exécution",
    )
    b.heading("La créance, fondée en son principe")
    b.text("Le requérant est créancier du débiteur au titre des sommes suivantes :")
    claims_table(b)
    b.bullets(
        "creances",
        "c",
        ["{{ c.reference }} : {{ c.fondement }}"],
    )
    b.text("Le décompte de la créance s'établit comme suit :")
    _claims_decompte(b)
    b.heading("Les circonstances qui menacent le recouvrement")
    b.text("{{ execution.menace }}")
    b.text("{{ mentions.fondement }}", size=9)
    b.heading("La mesure demandée")
    b.text(
        "Le requérant demande l'autorisation de pratiquer une saisie conservatoire pour "
        "garantie de la somme de ",
        ("b", "{{ execution.montant_garanti }}"),
        " ({{ execution.montant_garanti_lettres }}), sur les biens suivants du débiteur"
        + NBSP
        + ": {% if execution.biens %}{{ execution.biens }}{% else %}les sommes détenues pour son "
        "compte par les établissements ci-dessous{% endif %}.",
    )
    b.tag("if execution.tiers_saisis")
    _third_parties(b)
    b.tag("endif")
    b.text("{{ mentions.montant_et_biens }}", size=9)
    b.heading("Par ces motifs")
    b.text(
        "Le requérant prie le juge de l'exécution de l'autoriser à pratiquer une saisie "
        "conservatoire sur les biens désignés ci-dessus, pour garantie de la somme de "
        "{{ execution.montant_garanti }} en principal, intérêts et frais, et de dire que la "
        "mesure sera exécutée dans les trois mois de l'ordonnance."
    )
    b.text("{{ mentions.delais }}", size=9)
    _judge_signature(b)
    b.heading("Pièces jointes")
    pieces_list(b)
    no_break_hyphens(b)


def requete_saisie_remunerations(b: Builder) -> None:
    _to_judge(
        b,
        "REQUÊTE EN SAISIE DES RÉMUNÉRATIONS",
        "Articles R3252-1 et R3252-13 du code du travail",
    )
    b.text("{{ mentions.regime }}", size=9)
    b.heading("Titre exécutoire")
    b.text(
        "{{ execution.titre.designation }}{% if execution.titre.signification %}, "
        "{{ execution.titre.signification }}{% endif %}. {{ mentions.titre_joint }}"
    )
    b.heading("Employeur du débiteur")
    b.text(
        ("b", "{{ execution.employeur.denomination }}"),
        "{% if execution.employeur.siren %}, SIREN {{ execution.employeur.siren }}{% endif %}, "
        "{{ execution.employeur.adresse_ligne }}.",
    )
    b.heading("Décompte distinct des sommes réclamées")
    _title_decompte(b, provision=False)
    b.heading("Modalités de versement des sommes saisies")
    b.tag("if creancier.iban")
    b.text(
        "Par virement sur le compte {{ creancier.nom|de }} : IBAN {{ creancier.iban }}"
        "{% if creancier.bic %}, BIC {{ creancier.bic }}{% endif %}."
    )
    b.tag("else")
    b.text("Par chèque à l'ordre {{ creancier.nom|de }}.")
    b.tag("endif")
    b.heading("Par ces motifs")
    b.text(
        "Le requérant prie le juge de l'exécution de convoquer les parties à la tentative de "
        "conciliation et, à défaut d'accord, de procéder à la saisie des rémunérations du "
        "débiteur pour la somme de {{ execution.decompte.total_du }}."
    )
    _judge_signature(b)
    b.heading("Pièces jointes")
    pieces_list(b)
    no_break_hyphens(b)

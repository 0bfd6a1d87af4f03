"""The payment plan agreement (plan d'apurement)."""

from __future__ import annotations

from docx.shared import Cm, RGBColor
from layouts.base import (
    Builder,
    _no_borders,
    payment_details,
    var,
)


def plan_apurement(b: Builder) -> None:
    # The debtor signs the plan, nobody files it: the draft banner says so.
    b.tag("if decompte.projet")
    b.p(
        ("b", "{{ decompte.projet|replace('ne pas déposer', 'ne pas faire signer') }}"),
        align="center",
        size=11,
        color=RGBColor(0xB0, 0, 0),
    )
    b.tag("endif")
    b.title("PROTOCOLE D'ACCORD – PLAN D'APUREMENT")
    b.p(
        ("b", "Référence : "),
        "{{ dossier.reference }}{% if plan.reference %} – plan {{ plan.reference }}{% endif %}",
        align="center",
    )
    b.heading("Entre")
    b.text(
        ("b", "{{ creancier.nom }}"),
        "{% if creancier.identification %}, {{ creancier.identification }}{% endif %}, "
        "{{ creancier.adresse_ligne }}{% if creancier.representant %}, représentée par "
        "{{ creancier.representant }}{% endif %}, ci-après « le créancier »,",
    )
    b.heading("Et")
    b.text(
        ("b", "{{ debiteur.nom }}"),
        "{% if debiteur.identification %}, {{ debiteur.identification }}{% endif %}, "
        "{{ debiteur.adresse_ligne }}{% if debiteur.representant %}, représentée par "
        "{{ debiteur.representant }}{% endif %}, ci-après « {{ plan.debiteur_designation }} ».",
    )
    b.heading("Article 1 – Reconnaissance de dette")
    b.text(
        "{{ plan.debiteur_designation_maj }} reconnaît devoir au créancier la somme de ",
        ("b", "{{ plan.somme_reconnue }}"),
        " ({{ plan.somme_reconnue_lettres }}) au titre de : {{ dossier.objet }}. Cette reconnaissance "
        "interrompt le délai de prescription (code civil, art. 2240).",
    )
    b.bullets("creances", "c", ["{{ c.reference }} du {{ c.date_emission }} : {{ c.montant }}"])
    b.text(
        "Cette somme est le montant dû au jour de la signature du présent plan : principal "
        "restant dû de {{ plan.principal_restant }}"
        "{% if plan.interets_anterieurs %}, augmenté des intérêts échus jusqu'à ce jour "
        "({{ plan.interets_anterieurs }}), qui sont compris dans la somme reconnue"
        "{% endif %}."
    )
    b.tag("if plan.paiements_anterieurs")
    b.text(
        "Les règlements suivants, reçus avant la signature, ont été déduits "
        "(total\u00a0: {{ plan.total_paiements_anterieurs }})\u00a0:"
    )
    b.bullets(
        "plan.paiements_anterieurs",
        "p",
        ["{{ p.date }}\u00a0: {{ p.montant }}{% if p.reference %} ({{ p.reference }}){% endif %}"],
    )
    b.tag("else")
    b.text("Aucun règlement n'a été reçu avant la signature.")
    b.tag("endif")
    b.heading("Article 2 – Échéancier")
    b.text(
        "{{ plan.debiteur_designation_maj }} s'engage à payer cette somme en "
        "{{ plan.nombre_echeances }} échéances, selon l'échéancier suivant :"
    )
    b.table(
        ["N°", "Date d'échéance", "Montant"],
        ["{{ e.numero }}", "{{ e.date }}", "{{ e.montant }}"],
        "e in plan.echeances",
        totals=[["Total", "", "{{ plan.total }}"]],
        widths=[1.6, 8.0, 5.0],
        numeric=[2],
    )
    payment_details(b)
    # The grace days the follow-up applies (actes plan status) are part of the agreement.
    b.tag("if plan.jours_de_grace")
    b.text(
        "Une échéance réglée dans les {{ plan.jours_de_grace }} jours "
        "({{ plan.jours_de_grace_lettres }} jours) qui suivent sa date ne donne lieu à aucun "
        "rappel ; passé ce délai de tolérance, le créancier adresse un rappel à "
        "{{ plan.debiteur_designation }}."
    )
    b.tag("endif")
    b.heading("Article 3 – Intérêts et imputation des paiements")
    b.text("{{ plan.interets }}")
    b.tag("if plan.interets_mode == 'aucun'")
    b.text("Chaque versement s'impute sur l'échéance impayée la plus ancienne.")
    b.tag("else")
    b.text("{{ mentions.imputation }}")
    b.tag("endif")
    b.tag("if plan.clause_decheance")
    b.heading("Article 4 – Déchéance du terme")
    b.text("{{ plan.clause_decheance_texte }}")
    b.tag("endif")
    b.tag("if debiteur.est_consommateur")
    b.text(
        "Aucuns frais de recouvrement ne sont mis à la charge {{ plan.du_debiteur }} (code des "
        "procédures civiles d'exécution, art. L111-8 ; code de la consommation, art. L121-21)."
    )
    b.tag("endif")
    b.heading("Article 5 – Effets du plan")
    b.text(
        "Tant que les échéances sont payées à leur date, le créancier s'abstient de toute "
        "action en recouvrement pour les sommes objet du présent accord."
    )
    b.p(
        "Fait à {{ lieu }}, le {{ plan.date_signature }}, en deux exemplaires originaux.",
        space_before=12,
    )
    table = b.doc.add_table(rows=1, cols=2)
    _no_borders(table)
    creditor, debtor = table.rows[0].cells
    # The creditor: its name and the person who signs for it (its legal representative, else
    # the signatory of the case).
    creditor.paragraphs[0].add_run("Le créancier").bold = True
    b.p(var("creancier.nom"), container=creditor, space_after=0)
    b.tag("if creancier.representant", creditor)
    b.p("représentée par {{ creancier.representant }}", container=creditor, space_after=0, size=9)
    b.tag("elif signataire.nom", creditor)
    b.p(
        "représenté{% if creancier.est_societe %}e{% endif %} par {{ signataire.nom }}"
        "{% if signataire.qualite %}, {{ signataire.qualite }}{% endif %}",
        container=creditor,
        space_after=0,
        size=9,
    )
    b.tag("endif", creditor)
    b.p("Signature :", container=creditor, space_before=12)
    # The debtor writes the recognised amount by hand, in words and in figures (C. civ. art.
    # 1376): the document leaves the space and prints no formula for the debtor to sign under.
    debtor.paragraphs[0].add_run("{{ plan.debiteur_designation_maj }}").bold = True
    b.p(var("debiteur.nom"), container=debtor, space_after=4)
    b.p(
        (
            "i",
            "Mention à écrire de la main de {{ plan.debiteur_designation }}, avant sa "
            "signature\u00a0: la somme reconnue, en toutes lettres et en chiffres (code civil, "
            "art. 1376).",
        ),
        container=debtor,
        space_after=6,
        size=8.5,
    )
    for _ in range(3):
        b.p("." * 78, container=debtor, space_after=10, size=9, color=RGBColor(0x99, 0x99, 0x99))
    b.p("Signature :", container=debtor, space_before=6)


# --------------------------------------------------------------------------- help in difficulty
# Printed by the relances, the mise en demeure to a consumer (tools/layouts/letters.py) and the
# plan's follow-up letters (tools/build_plan_templates.py) when the debtor, a natural person,
# has no repayment capacity (context: actes.documents.contexts.orientation).


def orientation_block(b: Builder) -> None:
    """The introduction of ``parameters/orientation.yaml`` (« Des services gratuits peuvent
    vous aider… : ») and one line per help (name, what it offers, how to reach it), from
    ``parameters/orientation.yaml``; nothing when ``orientation`` is None.

    No help is split across two pages; the introduction stays with the first help, the last
    help with the paragraph that follows (the payment details, « Aucuns frais… » or the
    closing formula: the closing and signature never stand alone on a page) and a blank line
    sets the list apart from that paragraph."""
    # French typography (no-break spaces before « : ; ») for these values from data, in the
    # plan letters too, whose builder does not apply it to every value.
    b.tag("if orientation")
    b.text("{{ orientation.introduction|typo }}", keep_next=True)
    b.tag("for a in orientation.aides")
    b.tag("if not loop.last")
    _help_item(b, last=False)
    b.tag("else")
    _help_item(b, last=True)
    b.tag("endif")
    b.tag("endfor")
    b.tag("endif")


def _help_item(b: Builder, *, last: bool) -> None:
    paragraph = b.p(
        "– ",
        "{{ a.nom|typo }}\u00a0: {{ a.offre|typo }}\u00a0; {{ a.contact|typo }}.",
        indent=Cm(0.8),
        space_after=14 if last else 2,
        align="justify",
        keep_next=last,
    )
    paragraph.paragraph_format.keep_together = True  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- after acceleration
# Recalled by the relances, mises en demeure (tools/layouts/letters.py) and requêtes
# (tools/layouts/requetes.py) of a case whose plan was accelerated: the whole balance is
# claimed because the plan fell, and the letter says so (context: actes.documents.contexts.plan).


def plan_acceleration_letter(b: Builder) -> None:
    """To the debtor: the plan (reference, signature date) and its déchéance (notification
    date, the clause quoted from the plan)."""
    b.tag("if plan and plan.decheance")
    b.text(
        "Le plan d'apurement n° {{ plan.reference }} signé le {{ plan.date_signature }} n'a "
        "pas été respecté{% if plan.decheance.mise_en_demeure %}\u00a0: la mise en demeure du "
        "{{ plan.decheance.mise_en_demeure }} visant sa clause de déchéance du terme est "
        "restée sans effet{% endif %}. La déchéance du terme vous a été notifiée le "
        "{{ plan.decheance.date }}, en application de la clause du plan\u00a0: "
        "«\u00a0{{ plan.clause_decheance_texte }}\u00a0» (code civil, art. 1225). Le terme "
        "accordé par le plan a donc pris fin et la totalité du solde est exigible."
    )
    b.tag("endif")


def plan_acceleration_requete(b: Builder) -> None:
    """To the judge: why the whole balance is due although a plan was signed (CPC 1405)."""
    b.tag("if plan and plan.decheance")
    b.text(
        "Le débiteur avait signé le {{ plan.date_signature }} le plan d'apurement n° "
        "{{ plan.reference }}. Faute de paiement des échéances"
        "{% if plan.decheance.mise_en_demeure %}, et après une mise en demeure du "
        "{{ plan.decheance.mise_en_demeure }} visant la clause de déchéance du terme, restée "
        "sans effet{% endif %}, la déchéance du terme lui a été notifiée le "
        "{{ plan.decheance.date }} en application de cette clause\u00a0: «\u00a0"
        "{{ plan.clause_decheance_texte }}\u00a0» (code civil, art. 1225). La créance est "
        "donc exigible pour la totalité du solde (code de procédure civile, art. 1405)."
    )
    b.tag("endif")

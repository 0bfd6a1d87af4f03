"""The payment plan agreement (plan d'apurement)."""

from __future__ import annotations

from layouts.base import (
    Builder,
    _no_borders,
    payment_details,
    var,
)


def plan_apurement(b: Builder) -> None:
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
        "{{ debiteur.representant }}{% endif %}, ci-après « le débiteur ».",
    )
    b.heading("Article 1 – Reconnaissance de dette")
    b.text(
        "Le débiteur reconnaît devoir au créancier la somme de ",
        ("b", "{{ plan.total }}"),
        " ({{ plan.total_lettres }}) au titre de : {{ dossier.objet }}. Cette reconnaissance "
        "interrompt le délai de prescription (code civil, art. 2240).",
    )
    b.bullets("creances", "c", ["{{ c.reference }} du {{ c.date_emission }} : {{ c.montant }}"])
    b.heading("Article 2 – Échéancier")
    b.text(
        "Le débiteur s'engage à payer cette somme en {{ plan.nombre_echeances }} "
        "échéances, selon l'échéancier suivant :"
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
    b.heading("Article 3 – Intérêts et imputation des paiements")
    b.text("{{ plan.interets }}")
    b.text("{{ mentions.imputation }}")
    b.tag("if plan.clause_decheance")
    b.heading("Article 4 – Déchéance du terme")
    b.text(
        "À défaut de paiement d'une seule échéance à sa date, le créancier pourra, après une "
        "mise en demeure adressée par lettre recommandée avec demande d'avis de réception, "
        "visant expressément la présente clause (code civil, art. 1225) et restée sans effet "
        "pendant un délai de {{ plan.preavis_jours }} jours ({{ plan.preavis_lettres }} jours) "
        "à compter de sa réception, se prévaloir de la déchéance du terme : la totalité du "
        "solde restant dû deviendra alors immédiatement exigible."
    )
    b.tag("endif")
    b.tag("if debiteur.est_consommateur")
    b.text("{{ mentions.frais_consommateur }}")
    b.tag("endif")
    b.heading("Article 5 – Effets du plan")
    b.text(
        "Tant que les échéances sont payées à leur date, le créancier s'abstient de toute "
        "action en recouvrement pour les sommes objet du présent accord."
    )
    b.p("Fait à {{ lieu }}, le {{ aujourd_hui }}, en deux exemplaires originaux.", space_before=12)
    table = b.doc.add_table(rows=1, cols=2)
    _no_borders(table)
    parties = (("Le créancier", "creancier"), ("Le débiteur", "debiteur"))
    for cell, (who, party) in zip(table.rows[0].cells, parties, strict=True):
        cell.paragraphs[0].add_run(who).bold = True
        b.p(var(f"{party}.nom"), container=cell, space_after=0)
        b.p("« Lu et approuvé, bon pour accord »", container=cell, space_after=36, size=9)
        b.p("Signature :", container=cell)

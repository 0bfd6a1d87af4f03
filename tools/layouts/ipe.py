"""European order for payment: Form A (Reg. 1896/2006, Annex I as replaced by Reg. 2017/1260)."""

from __future__ import annotations

from docx.shared import Cm, RGBColor
from layouts.base import (
    ADDRESS_INDENT,
    Builder,
    pieces_list,
)


def ipe(b: Builder) -> None:
    b.title("DEMANDE D'INJONCTION DE PAYER EUROPÉENNE – FORMULAIRE A")
    b.p(
        (
            "i",
            "Article 7, paragraphe 1, du règlement (CE) n° 1896/2006, annexe I remplacée "
            "par le règlement délégué (UE) 2017/1260 ({{ ipe.reference.journal_officiel }})",
        ),
        align="center",
        size=9,
    )
    b.p(("b", "Référence du demandeur : "), "{{ dossier.reference }}")

    def codes_block(list_name: str, chosen: str) -> None:
        b.tag(f"for item in ipe.codes.{list_name}")
        b.p(
            "{% if item.code == " + chosen + " %}☒{% else %}☐{% endif %} {{ item.code }} – "
            "{{ item.libelle }}",
            size=9,
            space_after=0,
            indent=Cm(0.5),
        )
        b.tag("endfor")
        b.tag(f"if not ipe.confirme.{list_name} == true")
        b.p(
            (
                "i",
                "Liste de codes à vérifier sur le formulaire officiel (JO L 182 du "
                "13.7.2017) avant le dépôt.",
            ),
            size=8,
            color=RGBColor(0x55, 0x55, 0x55),
        )
        b.tag("endif")

    b.heading("1. Juridiction")
    b.text("{{ juridiction.nom }}")
    b.lines("juridiction.adresse")
    b.heading("2. Parties et leurs représentants")
    b.table(
        ["Code", "Partie", "Identification", "Adresse"],
        ["{{ x.code }}", "{{ x.nom }}", "{{ x.identification }}", "{{ x.adresse }}"],
        "x in ipe.parties",
        widths=[1.4, 4.6, 5.2, 5.8],
    )
    b.heading("3. Fondement de la compétence")
    codes_block("competence", "ipe.competence")
    b.heading("4. Caractère transfrontalier de l'affaire")
    b.text(
        "Pays du domicile ou de la résidence habituelle du demandeur : "
        "{{ ipe.pays_demandeur }} ; du défendeur : {{ ipe.pays_defendeur }} ; pays de la "
        "juridiction : {{ ipe.pays_juridiction }}."
    )
    b.heading("5. Coordonnées bancaires (facultatif)")
    b.text(
        "{% if creancier.iban %}Titulaire : {{ creancier.nom }} – IBAN "
        "{{ creancier.iban }}{% if creancier.bic %} – BIC {{ creancier.bic }}{% endif %}"
        "{% else %}Non communiquées.{% endif %}"
    )
    b.heading("6. Principal")
    b.table(
        ["Code nature", "Circonstances", "Créance", "Date", "Montant"],
        [
            "{{ ipe.nature }}",
            "{{ ipe.circonstances }}",
            "{{ c.reference }} – {{ c.libelle }}",
            "{{ c.date_emission }}",
            "{{ c.montant }}",
        ],
        "c in creances",
        totals=[["", "", "Principal restant dû", "", "{{ decompte.total_solde_principal }}"]],
        widths=[2.0, 2.4, 7.2, 2.8, 2.6],
        numeric=[4],
    )
    b.bullets("creances", "c", ["Fondement de {{ c.reference }} : {{ c.fondement }}"])
    b.p("Code nature :", size=9, space_after=0)
    codes_block("nature_creance", "ipe.nature")
    b.p("Code circonstances :", size=9, space_after=0)
    codes_block("circonstances", "ipe.circonstances")
    b.heading("7. Intérêts")
    b.text(
        "Code {{ ipe.interets_code }}{% if ipe.interets_taux %} – taux "
        "{{ ipe.interets_taux }}{% endif %} – période {{ ipe.interets_periode }} (annuelle) – "
        "à compter du {{ ipe.interets_depuis }} jusqu'au paiement. Intérêts échus au "
        "{{ decompte.date }} : {{ decompte.total_interets }}."
    )
    codes_block("interets", "ipe.interets_code")
    b.heading("8. Pénalité contractuelle")
    b.text("Néant : aucune clause pénale n'est invoquée.")
    b.heading("9. Frais")
    b.text(
        "{% if decompte.a_indemnites %}Code 02 (autres frais) : indemnité forfaitaire pour "
        "frais de recouvrement (code de commerce, art. L441-10 et D441-5), "
        "{{ decompte.total_indemnites }}. {% endif %}Code 01 : frais de procédure, "
        "à fixer par la juridiction."
    )
    b.heading("10. Éléments de preuve")
    codes_block("preuves", "ipe.preuve")
    pieces_list(b)
    b.heading("11. Déclarations complémentaires et autres informations")
    b.tag("if evenements.mise_en_demeure_envoyee is defined")
    b.text(
        "Mise en demeure adressée au défendeur le "
        "{{ evenements.mise_en_demeure_envoyee.date }}, restée sans effet."
    )
    b.tag("endif")
    b.text(
        "Montant total réclamé au {{ decompte.date }} : ",
        ("b", "{{ decompte.total_du }}"),
        " ({{ decompte.total_du_lettres }}).",
    )
    b.heading("Déclaration (article 7, paragraphe 3)")
    b.text("{{ mentions.declaration_art_7_3 }}")
    b.p("Fait à {{ lieu }}, le {{ aujourd_hui }}", indent=ADDRESS_INDENT, space_before=12)
    b.signature(who="creancier")
    b.heading("Annexe 2 – Suite à donner en cas d'opposition")
    codes_block("suite_opposition", "ipe.suite_opposition")

"""European order for payment: Form A (Reg. 1896/2006, Annex I as replaced by Reg. 2017/1260)."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from layouts.base import (
    ADDRESS_INDENT,
    Builder,
    draft_banner,
    fr,
    pieces_list,
)

# Section 2, one block of rows per party (codes 01 to 06): the fields of the official form,
# as (label, printed value, condition for the row or None when the row is always there).
_PARTY_FIELDS: tuple[tuple[str, str, str | None], ...] = (
    ("Nom de la société ou de l'organisation", "{{ x.denomination }}", "x.denomination"),
    ("Nom", "{{ x.nom_famille }}", "x.nom_famille"),
    ("Prénom(s)", "{{ x.prenoms }}", "x.prenoms"),
    ("Code d'identification", "{{ x.identification }}", "x.identification"),
    ("Adresse", "{{ x.adresse }}", None),
    ("Code postal", "{{ x.code_postal }}", None),
    ("Localité", "{{ x.ville }}", None),
    ("Pays", "{{ x.code_pays }} – {{ x.pays }}", None),
    ("Téléphone", "{{ x.telephone }}", "x.telephone"),
    ("Courriel", "{{ x.email }}", "x.email"),
    ("Profession", "{{ x.profession }}", "x.profession"),
    ("Autres précisions", "{{ x.precisions }}", "x.precisions"),
)


def _parties_table(b: Builder) -> None:
    """A two-column table (field, value) whose rows repeat for each party of ``ipe.parties``:
    postal code, town and country each in their own cell, as on the form."""
    table = b.doc.add_table(rows=0, cols=2)
    table.style = b.doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def row(label: str, value: str, *, bold: bool = False, shade: bool = False) -> None:
        cells = table.add_row().cells
        for cell, text in zip(cells, (label, value), strict=True):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(fr(text) if text else "")
            run.bold = bold or None
            run.font.size = Pt(9)
            paragraph.paragraph_format.space_after = Pt(0)
            if shade:
                props = cell._tc.get_or_add_tcPr()
                fill = OxmlElement("w:shd")
                fill.set(qn("w:val"), "clear")
                fill.set(qn("w:color"), "auto")
                fill.set(qn("w:fill"), "E6E6E6")
                props.append(fill)

    row("{%tr for x in ipe.parties %}", "")
    row("Code {{ x.code }}", "{{ x.libelle }}", bold=True, shade=True)
    for label, value, condition in _PARTY_FIELDS:
        if condition:
            row("{%tr if " + condition + " %}", "")
        row(label, value)
        if condition:
            row("{%tr endif %}", "")
    row("{%tr endfor %}", "")
    # LibreOffice reads the grid, Word the cells: set both, with a fixed layout.
    widths = (Cm(5.0), Cm(12.0))
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for table_row in table.rows:
        for cell, width in zip(table_row.cells, widths, strict=True):
            cell.width = width
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    b.p("", space_after=4)


def ipe(b: Builder) -> None:
    draft_banner(b)
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

    b.heading("1. Juridiction")
    b.text("{{ juridiction.nom }}")
    b.lines("juridiction.adresse")
    b.heading("2. Parties et leurs représentants")
    _parties_table(b)
    b.heading("3. Fondement de la compétence")
    codes_block("competence", "ipe.competence.code")
    b.tag("if ipe.competence.precision")
    b.text(("b", "Précision : "), "{{ ipe.competence.precision }}")
    b.tag("endif")
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
        # « Circonstances » in 9 pt bold needs 2.6 cm with the cell margins.
        widths=[2.0, 3.0, 6.6, 2.8, 2.6],
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
    # Only costs with an amount: a line without one (« frais de procédure, à fixer ») is not
    # a claim the court can grant and calls for a request to complete (form B, art. 9).
    b.text(
        "{% if decompte.a_indemnites %}Code 02 (autres frais) : indemnité forfaitaire pour "
        "frais de recouvrement (code de commerce, art. L441-10 et D441-5), "
        "{{ decompte.total_indemnites }}.{% else %}Néant : aucun frais n'est réclamé."
        "{% endif %}"
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

"""Build every DOCX template of actes with python-docx, reproducibly.

    python tools/build_templates.py            # writes templates/courriers/*.docx, templates/actes/*.docx
    python tools/build_templates.py --check    # exit 1 if a committed template differs

The layout lives here so that it can be reviewed in a diff; the .docx files written are the
source that legal assistants then edit in Word or LibreOffice (see docs/templates.md). Once a
template has been edited by hand, do not rebuild it with this script: the hand edits would be
lost (use ``--only NAME`` to rebuild a single template).

Layout of every document: A4, 2 cm margins; the sender's letterhead top left; the addressee
in the right-hand cell of a borderless table, 10 cm from the left margin and 4.7 cm from the
top edge of the page, so that it shows in the window of a DL (110 × 220 mm) envelope; place and
date, sending mode, « Objet », « Nos références », body, signature; « Page X / Y » footer built
from PAGE and NUMPAGES fields. The core property « comments » names the template and the
procedure versions that use it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import yaml
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from actes._io import atomic_write  # noqa: E402

NBSP = "\u00a0"
FIXED_TIME = dt.datetime(2026, 11, 1, 0, 0, 0)
ZIP_TIME = (2026, 11, 1, 0, 0, 0)
ADDRESS_INDENT = Cm(10)
BODY_FONT = "Liberation Sans"

# Procedures a template is written for, used when the procedure YAML does not exist yet;
# the YAML files are the real mapping (documents[].template).
INTENDED = {
    "courriers/relance_amiable_1.docx": ["relance_amiable"],
    "courriers/relance_amiable_2.docx": ["relance_amiable"],
    "courriers/mise_en_demeure_professionnel.docx": ["mise_en_demeure_professionnel"],
    "courriers/mise_en_demeure_consommateur.docx": ["mise_en_demeure_consommateur"],
    "courriers/mise_en_demeure_agence.docx": [
        "mise_en_demeure_professionnel",
        "mise_en_demeure_consommateur",
    ],
    "actes/requete_injonction_de_payer_tj.docx": [
        "injonction_de_payer_tj",
        "injonction_de_payer_jcp",
    ],
    "actes/requete_injonction_de_payer_tc.docx": ["injonction_de_payer_tc"],
    "actes/requete_injonction_de_payer_europeenne.docx": ["injonction_de_payer_europeenne"],
    "actes/declaration_de_creance.docx": ["declaration_de_creance"],
    "courriers/declaration_creance_surendettement.docx": ["surendettement_declaration"],
    "courriers/contestation_surendettement.docx": ["surendettement_contestation"],
    "courriers/plan_apurement.docx": ["plan_apurement"],
    "courriers/lettre_commissaire_signification.docx": [
        "injonction_de_payer_tj",
        "injonction_de_payer_tc",
        "injonction_de_payer_jcp",
    ],
    "courriers/lettre_commissaire_execution.docx": [
        "injonction_de_payer_tj",
        "injonction_de_payer_tc",
        "injonction_de_payer_jcp",
    ],
    "actes/bordereau_pieces.docx": [
        "injonction_de_payer_tj",
        "injonction_de_payer_tc",
        "injonction_de_payer_jcp",
        "injonction_de_payer_europeenne",
        "declaration_de_creance",
    ],
}


def var(expr: str) -> str:
    """A docxtpl variable tag: ``var("debiteur.nom")`` → ``{{ debiteur.nom }}``."""
    return "{{ " + expr + " }}"


def fr(text: str) -> str:
    """French typography for static text: no-break space before : ; ? ! and inside « »."""
    text = re.sub(r"(?<=\S) ([:;?!])(?=\s|$)", NBSP + r"\1", text)
    return text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»")


def usage_comment(name: str) -> str:
    """« actes: modèle X — procédures : a v1/v2, b v1 » from the procedure YAML files."""
    users: dict[str, list[str]] = {}
    for file in sorted((ROOT / "procedures").glob("*/*.yaml")):
        if file.name == "index.yaml":
            continue
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        if any(d.get("template") == name for d in data.get("documents", [])):
            users.setdefault(file.parent.name, []).append(f"v{data['version']}")
    listed = [f"{proc} {'/'.join(versions)}" for proc, versions in users.items()]
    listed += [f"{proc} (à déclarer)" for proc in INTENDED.get(name, []) if proc not in users]
    text = f"actes: modèle {name} — procédures : {', '.join(listed)}"
    # Core properties hold at most 255 characters (python-docx enforces it).
    return text if len(text) <= 255 else text[:254] + "…"


# --------------------------------------------------------------------------- document


Segment = str | tuple[str, str]  # plain text, or (style, text) with style in "b", "i", "bi"


class Builder:
    """A thin layer over python-docx for the few paragraph kinds the templates use."""

    def __init__(self, name: str, title: str) -> None:
        self.name = name
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        section.header_distance, section.footer_distance = Cm(1), Cm(1)
        normal = self.doc.styles["Normal"]
        normal.font.name = BODY_FONT
        normal.font.size = Pt(10.5)
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), BODY_FONT)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.space_before = Pt(0)
        props = self.doc.core_properties
        props.title = title
        props.subject = "actes : recouvrement de créances"
        props.author = "actes"
        props.last_modified_by = "actes"
        props.comments = usage_comment(name)
        props.keywords = f"actes; {name}"
        props.language = "fr-FR"
        props.revision = 1
        props.created = FIXED_TIME
        props.modified = FIXED_TIME
        self._footer()

    # -- low level

    def p(
        self,
        *segments: Segment,
        align: str = "left",
        size: float | None = None,
        indent: Cm | None = None,
        space_after: float | None = None,
        space_before: float | None = None,
        keep_next: bool = False,
        container: object = None,
        color: RGBColor | None = None,
    ) -> object:
        target = container if container is not None else self.doc
        paragraph = target.add_paragraph()  # type: ignore[attr-defined]
        for segment in segments:
            style, text = ("", segment) if isinstance(segment, str) else segment
            run = paragraph.add_run(fr(text))
            run.bold = "b" in style or None
            run.italic = "i" in style or None
            if size:
                run.font.size = Pt(size)
            if color is not None:
                run.font.color.rgb = color
        fmt = paragraph.paragraph_format
        fmt.alignment = {
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[align]
        if indent is not None:
            fmt.left_indent = indent
        if space_after is not None:
            fmt.space_after = Pt(space_after)
        if space_before is not None:
            fmt.space_before = Pt(space_before)
        if keep_next:
            fmt.keep_with_next = True
        return paragraph

    def tag(self, tag: str, container: object = None) -> None:
        """A control paragraph ({%p ... %}) that docxtpl removes at rendering."""
        self.p(f"{{%p {tag} %}}", space_after=0, container=container)

    def text(self, *segments: Segment, **kwargs: object) -> None:
        kwargs.setdefault("align", "justify")
        self.p(*segments, **kwargs)  # type: ignore[arg-type]

    def heading(self, text: str, size: float = 11) -> None:
        self.p(("b", text), size=size, space_before=10, space_after=4, keep_next=True)

    def title(self, text: str) -> None:
        self.p(("b", text), size=14, align="center", space_before=6, space_after=12)

    def lines(self, expr: str, *, container: object = None, indent: Cm | None = None) -> None:
        """One paragraph per item of the list ``expr`` (address lines...)."""
        self.tag(f"for ligne in {expr}", container)
        self.p("{{ ligne }}", space_after=0, container=container, indent=indent)
        self.tag("endfor", container)

    def bullets(self, expr: str, item: str, body: Sequence[Segment]) -> None:
        self.tag(f"for {item} in {expr}")
        self.p("– ", *body, indent=Cm(0.8), space_after=2, align="justify")
        self.tag("endfor")

    # -- letter parts

    def head(
        self,
        *,
        name: str,
        extra: Sequence[tuple[str | None, str]] = (),
        lines: str,
        sender: str = "expediteur",
    ) -> None:
        """Letterhead (left) and addressee block (right, DL window) in one borderless table."""
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        left, right = table.rows[0].cells
        left.width, right.width = ADDRESS_INDENT, Cm(7)
        # LibreOffice reads the grid, Word the cells: set both, with a fixed layout.
        table.columns[0].width, table.columns[1].width = ADDRESS_INDENT, Cm(7)
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        table._tbl.tblPr.append(layout)
        _no_borders(table)
        left.paragraphs[0].add_run(var(f"{sender}.nom")).bold = True
        left.paragraphs[0].paragraph_format.space_after = Pt(0)
        small = 8.5
        self.tag(f"if {sender}.identification", left)
        self.p(var(f"{sender}.identification"), size=small, space_after=0, container=left)
        self.tag("endif", left)
        self.tag(f"for ligne in {sender}.adresse", left)
        self.p("{{ ligne }}", size=small, space_after=0, container=left)
        self.tag("endfor", left)
        self.tag(f"if {sender}.contact", left)
        self.p(var(f"{sender}.contact"), size=small, space_after=0, container=left)
        self.tag("endif", left)
        # Addressee: 2.7 cm below the 2 cm top margin = 4.7 cm from the top edge.
        first = right.paragraphs[0]
        first.add_run(var(name)).bold = True
        first.paragraph_format.space_before = Cm(2.7)
        first.paragraph_format.space_after = Pt(0)
        for condition, line in extra:
            if condition:
                self.tag(f"if {condition}", right)
            self.p(line, space_after=0, container=right)
            if condition:
                self.tag("endif", right)
        self.lines(lines, container=right)

    def dateline(self, *, envoi: str | None) -> None:
        self.p(
            "{{ lieu }}, le {{ aujourd_hui }}",
            indent=ADDRESS_INDENT,
            space_before=18,
            space_after=12,
        )
        if envoi:
            self.p(("b", envoi), space_after=2)

    def subject(self, objet: Sequence[Segment], refs: bool = True) -> None:
        self.p(("b", "Objet : "), *objet, space_after=2)
        if refs:
            self.p(("b", "Nos références : "), "{{ dossier.reference }}", space_after=12)

    def signature(self, *, closing: str | None = None, who: str = "expediteur") -> None:
        if closing:
            self.text(closing, space_before=6)
        self.p("{{ signataire.nom }}", indent=ADDRESS_INDENT, space_before=18, space_after=0)
        self.p("{{ signataire.qualite }}", indent=ADDRESS_INDENT, space_after=0)
        self.p(var(f"{who}.nom"), indent=ADDRESS_INDENT, space_after=0)

    def _footer(self) -> None:
        footer = self.doc.sections[0].footer
        paragraph = footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for text in ("{{ dossier.reference }} – Page ",):
            run = paragraph.add_run(text)
            run.font.size = Pt(8)
        _field(paragraph, "PAGE", "1")
        run = paragraph.add_run(" / ")
        run.font.size = Pt(8)
        _field(paragraph, "NUMPAGES", "1")

    # -- tables

    def table(
        self,
        headers: Sequence[str],
        row: Sequence[str],
        loop: str,
        totals: Sequence[Sequence[str]] = (),
        widths: Sequence[float] = (),
        numeric: Iterable[int] = (),
    ) -> None:
        """A table whose body rows repeat with {%tr for %} and whose totals follow."""
        numeric = set(numeric)
        table = self.doc.add_table(rows=0, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER

        def add(values: Sequence[str], *, bold: bool = False, size: float = 9) -> None:
            cells = table.add_row().cells
            for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
                paragraph = cell.paragraphs[0]
                run = paragraph.add_run(fr(value))
                run.bold = bold or None
                run.font.size = Pt(size)
                paragraph.paragraph_format.space_after = Pt(0)
                if index in numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

        add(headers, bold=True)
        add([f"{{%tr for {loop} %}}"] + [""] * (len(headers) - 1))
        add(row)
        add(["{%tr endfor %}"] + [""] * (len(headers) - 1))
        for total in totals:
            add(total, bold=True)
        if widths:
            for table_row in table.rows:
                for cell, width in zip(table_row.cells, widths, strict=True):
                    cell.width = Cm(width)
        self.p("", space_after=4)

    def save(self, path: Path) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return _normalised_zip(buffer.getvalue())


def _field(paragraph: object, instruction: str, shown: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "16")
    rpr.append(size)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)  # type: ignore[attr-defined]


def _no_borders(table: object) -> None:
    tbl_pr = table._tbl.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


# Parts of python-docx's default document that no template needs: Word 2010's duplicate of
# the styles, and a thumbnail picturing some other document.
_DROPPED_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg")
_STYLE_REFERENCE = re.compile(
    r'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"'
)
_STYLE = re.compile(r"<w:style\b[^>]*>.*?</w:style>", re.DOTALL)
_STYLE_ID = re.compile(r'w:styleId="([^"]+)"')
_STYLE_LINKS = re.compile(r'<w:(?:basedOn|link|next) w:val="([^"]+)"')


def _normalised_zip(data: bytes) -> bytes:
    """Same content, fixed timestamps: rebuilding an unchanged template gives the same bytes.

    The styles no part uses are left out (python-docx's default document defines 164, a
    letter uses about 13: 350 kB of XML that every rendered document would carry and that
    LibreOffice would import for every PDF, a third of its conversion time). Word still
    offers its built-in styles (``w:latentStyles`` is kept) when someone edits the template.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {
        info.filename: source.read(info.filename)
        for info in source.infolist()
        if info.filename not in _DROPPED_PARTS
    }
    parts["word/styles.xml"] = _used_styles_only(parts)
    for name in ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"):
        text = parts[name].decode("utf-8")
        for dropped in _DROPPED_PARTS:
            text = re.sub(rf'<Override PartName="/{re.escape(dropped)}"[^>]*/>', "", text)
            target = re.escape(dropped.removeprefix("word/"))
            text = re.sub(rf'<Relationship [^>]*Target="{target}"[^>]*/>', "", text)
        parts[name] = text.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            fixed = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()


def _used_styles_only(parts: dict[str, bytes]) -> bytes:
    """``word/styles.xml`` keeping the styles referenced by a part, the defaults, and what
    they are based on, linked to or followed by."""
    styles = parts["word/styles.xml"].decode("utf-8")
    wanted: set[str] = set()
    for name, content in parts.items():
        if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml":
            wanted.update(_STYLE_REFERENCE.findall(content.decode("utf-8")))
    blocks = {_style_id(m.group(0)): m.group(0) for m in _STYLE.finditer(styles)}
    wanted.update(
        sid for sid, block in blocks.items() if 'w:default="1"' in block.split(">", 1)[0]
    )
    pending = list(wanted)
    while pending:
        block = blocks.get(pending.pop())
        for linked in _STYLE_LINKS.findall(block or ""):
            if linked not in wanted:
                wanted.add(linked)
                pending.append(linked)
    return _STYLE.sub(
        lambda m: m.group(0) if _style_id(m.group(0)) in wanted else "", styles
    ).encode("utf-8")


def _style_id(block: str) -> str:
    found = _STYLE_ID.search(block)
    return found.group(1) if found else ""


# --------------------------------------------------------------------------- shared blocks


DEBTOR_HEAD = {
    "name": "debiteur.nom",
    "extra": [("debiteur.representant", "À l'attention de {{ debiteur.representant }}")],
    "lines": "debiteur.adresse",
}


def claims_table(b: Builder) -> None:
    b.table(
        ["Référence", "Objet", "Émise le", "Échue le", "Montant"],
        [
            "{{ c.reference }}",
            "{{ c.libelle }}",
            "{{ c.date_emission }}",
            "{{ c.date_echeance }}",
            "{{ c.montant }}",
        ],
        "c in creances",
        totals=[["Total", "", "", "", "{{ total_creances }}"]],
        widths=[2.8, 6.4, 2.6, 2.6, 2.6],
        numeric=[4],
    )


def payments_block(b: Builder) -> None:
    b.tag("if paiements")
    b.text("Nous avons bien reçu les règlements suivants, déduits ci-dessous :")
    b.bullets(
        "paiements",
        "r",
        ["{{ r.montant }} le {{ r.date }}{% if r.reference %} ({{ r.reference }}){% endif %}"],
    )
    b.tag("endif")


def decompte_table(
    b: Builder, *, indemnite: bool, interets_label: str = "Intérêts", explain: bool = True
) -> None:
    headers = ["Créance", "Échéance", "Principal", "Réglé", interets_label]
    row = [
        "{{ l.reference }}",
        "{{ l.date_echeance }}",
        "{{ l.principal }}",
        "{{ l.paye }}",
        "{{ l.interets }}",
    ]
    total = [
        "Total",
        "",
        "{{ decompte.total_principal }}",
        "{{ decompte.total_paye }}",
        "{{ decompte.total_interets }}",
    ]
    widths = [3.0, 2.6, 2.6, 2.4, 2.6]
    if indemnite:
        headers.append("Indemnité")
        row.append("{{ l.indemnite }}")
        total.append("{{ decompte.total_indemnites }}")
        widths.append(2.2)
    headers.append("Reste dû")
    row.append("{{ l.total }}")
    total.append("{{ decompte.total_du }}")
    widths.append(2.6)
    b.table(
        headers,
        row,
        "l in decompte.lignes",
        totals=[total],
        widths=widths,
        numeric=range(2, len(headers)),
    )
    b.text(
        "Soit un total de ",
        ("b", "{{ decompte.total_du }}"),
        " ({{ decompte.total_du_lettres }}), arrêté au {{ decompte.date }}.",
    )
    if explain:
        # The engine's conventions (imputation, day basis) justify the figures to a judge.
        b.tag("if decompte.explication")
        b.p(("i", "{{ decompte.explication }}"), size=9, align="justify")
        b.tag("endif")


def payment_details(b: Builder) -> None:
    b.tag("if creancier.iban")
    b.text(
        "Règlement par virement sur le compte de {{ creancier.nom }} : IBAN ",
        ("b", "{{ creancier.iban }}"),
        "{% if creancier.bic %}, BIC {{ creancier.bic }}{% endif %}, en rappelant la "
        "référence {{ dossier.reference }}.",
    )
    b.tag("else")
    b.text(
        "Règlement par chèque à l'ordre de {{ creancier.nom }}, en rappelant la référence "
        "{{ dossier.reference }}."
    )
    b.tag("endif")


def requete_parties(b: Builder) -> None:
    b.heading("Le requérant (créancier)")
    b.tag("if creancier.est_societe")
    b.text(
        ("b", "{{ creancier.nom }}"),
        ", {{ creancier.identification }}, dont le siège social est situé "
        "{{ creancier.adresse_ligne }}, représentée par son représentant légal en exercice, "
        "{{ creancier.representant }}.",
    )
    b.tag("else")
    b.text(
        ("b", "{{ creancier.nom }}"),
        ", {{ creancier.identification }}, demeurant {{ creancier.adresse_ligne }}.",
    )
    b.tag("endif")
    b.tag("if mandataire")
    b.text(
        "Ayant pour mandataire : {{ mandataire.nom }} ({{ mandataire.role_libelle }}), "
        "{{ mandataire.adresse_ligne }}{% if mandataire.date_mandat %}, mandat du "
        "{{ mandataire.date_mandat }}{% endif %}."
    )
    b.tag("endif")
    b.heading("Contre le débiteur")
    b.tag("if debiteur.est_societe")
    b.text(
        ("b", "{{ debiteur.nom }}"),
        ", {{ debiteur.identification }}, dont le siège social est situé "
        "{{ debiteur.adresse_ligne }}{% if debiteur.representant %}, prise en la personne de "
        "son représentant légal, {{ debiteur.representant }}{% endif %}.",
    )
    b.tag("else")
    b.text(
        ("b", "{{ debiteur.nom }}"),
        "{% if debiteur.identification %}, {{ debiteur.identification }}{% endif %}, "
        "demeurant {{ debiteur.adresse_ligne }}.",
    )
    b.tag("endif")


def pieces_list(b: Builder) -> None:
    b.table(
        ["N°", "Pièce", "Date"],
        ["{{ p.numero }}", "{{ p.titre }}", "{{ p.date }}"],
        "p in pieces",
        widths=[1.2, 11.8, 4.0],
    )


# --------------------------------------------------------------------------- templates


def relance(b: Builder, *, second: bool) -> None:
    b.head(**DEBTOR_HEAD)  # type: ignore[arg-type]
    b.dateline(envoi=None)
    b.subject(["Second rappel – factures restées impayées" if second else "Rappel de paiement"])
    b.text(
        "{% if debiteur.est_societe %}Madame, Monsieur,{% else %}"
        "{{ debiteur.civilite == 'Mme' and 'Madame' or 'Monsieur' }},{% endif %}"
    )
    if second:
        b.text(
            "Sauf erreur de notre part, notre précédent rappel"
            "{% if evenements.relance_envoyee is defined %} du "
            "{{ evenements.relance_envoyee.date }}{% endif %} est resté sans suite, et les "
            "sommes ci-dessous restent dues à ce jour :"
        )
    else:
        b.text(
            "Sauf erreur ou omission de notre part, nous n'avons pas encore reçu le règlement "
            "des sommes suivantes, arrivées à échéance :"
        )
    claims_table(b)
    payments_block(b)
    b.text("Reste dû : ", ("b", "{{ solde_factures }}"), ".")
    if second:
        b.text(
            "Nous vous demandons de bien vouloir procéder au règlement de cette somme sans "
            "attendre, et au plus tard le {{ delai_paiement.date }}. À défaut, nous serons "
            "conduits à vous adresser une mise en demeure."
        )
    else:
        b.text(
            "Il s'agit peut-être d'un simple oubli : nous vous remercions de bien vouloir "
            "régulariser ce règlement dans les meilleurs délais. Si votre paiement a croisé ce "
            "courrier, nous vous prions de ne pas en tenir compte."
        )
    payment_details(b)
    b.text(
        "Si vous rencontrez une difficulté, n'hésitez pas à nous contacter"
        "{% if expediteur.contact %} ({{ expediteur.contact }}){% endif %} : nous étudierons "
        "avec vous une solution de règlement."
    )
    b.p(("i", "{{ mentions.nature }}"), size=9)
    b.signature(closing=formal_closing())


def salutation() -> str:
    return (
        "{% if debiteur.est_societe %}Madame, Monsieur{% else %}"
        "{{ debiteur.civilite == 'Mme' and 'Madame' or 'Monsieur' }}{% endif %}"
    )


def formal_closing(greeting: str | None = None) -> str:
    """« Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations
    distinguées. », addressed as the debtor's salutation unless ``greeting`` is given."""
    addressed = salutation() if greeting is None else greeting
    return f"Nous vous prions d'agréer, {addressed}, l'expression de nos salutations distinguées."


def mise_en_demeure_pro(b: Builder) -> None:
    b.head(**DEBTOR_HEAD)  # type: ignore[arg-type]
    b.dateline(envoi="Lettre recommandée avec demande d'avis de réception")
    b.subject(["Mise en demeure de payer – {{ dossier.objet }}"])
    b.text(salutation() + ",")
    b.text("Malgré nos précédentes demandes, les factures suivantes, échues, demeurent impayées :")
    claims_table(b)
    payments_block(b)
    b.text("{{ mentions.penalites }}")
    b.text("{{ mentions.indemnite }}")
    b.text("Le décompte des sommes dues s'établit comme suit :")
    decompte_table(b, indemnite=True, interets_label="Pénalités")
    b.text("{{ mentions.sommation }}")
    b.text(
        "Somme due : ",
        ("b", "{{ decompte.total_du }}"),
        ", à régler dans un délai de {{ delai_paiement.jours }} jours à compter de la "
        "réception de la présente, soit au plus tard le {{ delai_paiement.date }} si vous la "
        "recevez aujourd'hui. Les pénalités continuent de courir jusqu'au complet paiement ; la "
        "présente mise en demeure fait en outre courir les intérêts au taux légal sur les "
        "sommes qui n'en portent pas déjà (code civil, art. 1231-6 et 1344-1).",
    )
    b.text("{{ mentions.consequence }}")
    payment_details(b)
    b.signature(closing=formal_closing())


def mise_en_demeure_conso(b: Builder) -> None:
    b.head(**DEBTOR_HEAD)  # type: ignore[arg-type]
    b.dateline(envoi="Lettre recommandée avec demande d'avis de réception")
    b.subject(["Mise en demeure de payer – {{ dossier.objet }}"])
    b.text(salutation() + ",")
    b.text("Les sommes suivantes, échues, restent impayées malgré nos précédents rappels :")
    claims_table(b)
    payments_block(b)
    b.text("Le décompte des sommes dues s'établit comme suit :")
    decompte_table(b, indemnite=False, explain=False)
    b.text("{{ mentions.sommation }}")
    b.text(
        "Somme due : ",
        ("b", "{{ decompte.total_du }}"),
        ", à régler dans un délai de {{ delai_paiement.jours }} jours à compter de la "
        "réception de la présente lettre, soit au plus tard le {{ delai_paiement.date }} si "
        "vous la recevez aujourd'hui.",
    )
    b.text("{{ mentions.interets }}")
    b.text("{{ mentions.frais }}")
    b.text("{{ mentions.consequence }}")
    b.text("{{ mentions.delais }}")
    payment_details(b)
    b.signature(closing=formal_closing())


def mise_en_demeure_agence(b: Builder) -> None:
    b.head(**DEBTOR_HEAD)  # type: ignore[arg-type]
    b.dateline(envoi="Lettre recommandée avec demande d'avis de réception")
    b.subject(["Mise en demeure de payer pour le compte de {{ creancier.nom }}"])
    b.p(
        ("b", "Nos références : "),
        "{{ dossier.reference }}",
        "{% if mandataire.reference_mandat %}"
        " – mandat {{ mandataire.reference_mandat }}{% endif %}",
        space_after=2,
    )
    b.p(
        ("b", "Lettre du : "),
        "{{ aujourd_hui }} (à rappeler dans toute correspondance)",
        space_after=12,
    )
    b.text(salutation() + ",")
    b.heading("Qui vous écrit")
    b.text(
        ("b", "{{ mandataire.nom }}"),
        "{% if mandataire.identification %}, {{ mandataire.identification }}{% endif %}, "
        "dont le siège est situé {{ mandataire.adresse_ligne }}. {{ mentions.agence }}",
    )
    b.heading("Pour le compte du créancier")
    b.text(
        ("b", "{{ creancier.nom }}"),
        "{% if creancier.identification %}, {{ creancier.identification }}{% endif %}, "
        "dont le siège est situé {{ creancier.adresse_ligne }}, qui nous a confié le "
        "recouvrement amiable de sa créance{% if mandataire.date_mandat %} par mandat du "
        "{{ mandataire.date_mandat }}{% endif %}.",
    )
    b.heading("Fondement et montant de la créance")
    b.bullets(
        "creances",
        "c",
        [
            "{{ c.nature_libelle|capitalize }} {{ c.reference }} du {{ c.date_emission }}, "
            "échue le {{ c.date_echeance }} : {{ c.montant }}"
            "{% if c.fondement %} – fondement : {{ c.fondement }}{% endif %}"
        ],
    )
    payments_block(b)
    b.text("Détail des sommes dues :")
    b.table(
        ["Élément de la créance", "Montant"],
        ["{{ e.libelle }}", "{{ e.montant }}"],
        "e in decompte.elements",
        totals=[["Total dû", "{{ decompte.total_du }}"]],
        widths=[12.0, 5.0],
        numeric=[1],
    )
    b.text(
        "Ces sommes n'incluent aucun frais de recouvrement : les frais de notre intervention "
        "restent à la charge du créancier (code des procédures civiles d'exécution, "
        "art. L111-8 et R124-4)."
    )
    b.heading("Demande de paiement")
    b.text(
        "Nous vous mettons en demeure de régler la somme de ",
        ("b", "{{ decompte.total_du }}"),
        " ({{ decompte.total_du_lettres }}) dans un délai de {{ delai_paiement.jours }} jours "
        "à compter de la réception de la présente.",
    )
    b.heading("Modalités de paiement")
    b.tag("if mandataire.iban")
    b.text(
        "Par virement sur notre compte : IBAN ",
        ("b", "{{ mandataire.iban }}"),
        "{% if mandataire.bic %}, BIC {{ mandataire.bic }}{% endif %}, en rappelant la "
        "référence {{ dossier.reference }} ; un reçu vous sera délivré pour tout paiement.",
    )
    b.tag("else")
    b.text(
        "Par chèque à l'ordre de {{ mandataire.nom }}, adressé à l'adresse ci-dessus en "
        "rappelant la référence {{ dossier.reference }} ; un reçu vous sera délivré pour tout "
        "paiement."
    )
    b.tag("endif")
    b.text(
        "Vous pouvez nous joindre{% if mandataire.contact %} ({{ mandataire.contact }})"
        "{% endif %} pour convenir d'un échéancier."
    )
    b.heading("Article L111-8, alinéas 2 et 3, du code des procédures civiles d'exécution")
    b.p(("i", "« {{ mentions.l111_8 }} »"), align="justify")
    b.signature(
        closing=formal_closing(),
        who="mandataire",
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


def surendettement_declaration(b: Builder) -> None:
    b.head(
        name="surendettement.commission",
        lines="surendettement.commission_adresse",
        sender="creancier",
    )
    b.dateline(envoi="Lettre recommandée avec demande d'avis de réception")
    b.subject(["Justification de créance – dossier de surendettement de {{ debiteur.nom }}"])
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
        "{% if debiteur.date_naissance %}, né(e) le {{ debiteur.date_naissance }}{% endif %}, "
        "{{ debiteur.adresse_ligne }}.",
    )
    decompte_table(b, indemnite=False)
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
        "Existence d'une caution : ☐ oui   ☐ non. Si oui, la caution a-t-elle été "
        "appelée : ☐ oui   ☐ non."
    )
    b.text("Les pièces justificatives sont jointes :")
    pieces_list(b)
    b.signature(
        closing=formal_closing("Madame, Monsieur"),
        who="creancier",
    )


def surendettement_contestation(b: Builder) -> None:
    b.head(
        name="surendettement.commission",
        lines="surendettement.commission_adresse",
        sender="creancier",
    )
    b.dateline(envoi="Lettre recommandée avec demande d'avis de réception")
    b.subject(["{{ surendettement.contestation_objet }}"])
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
        " au {{ decompte.date }} (décompte joint).",
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


TEMPLATES: dict[str, tuple[str, Callable[[Builder], None]]] = {
    "courriers/relance_amiable_1.docx": ("Relance amiable", lambda b: relance(b, second=False)),
    "courriers/relance_amiable_2.docx": ("Seconde relance", lambda b: relance(b, second=True)),
    "courriers/mise_en_demeure_professionnel.docx": (
        "Mise en demeure entre professionnels",
        mise_en_demeure_pro,
    ),
    "courriers/mise_en_demeure_consommateur.docx": (
        "Mise en demeure à un consommateur",
        mise_en_demeure_conso,
    ),
    "courriers/mise_en_demeure_agence.docx": (
        "Mise en demeure par une société de recouvrement",
        mise_en_demeure_agence,
    ),
    "actes/requete_injonction_de_payer_tj.docx": (
        "Requête en injonction de payer (tribunal judiciaire)",
        lambda b: requete(b, tc=False),
    ),
    "actes/requete_injonction_de_payer_tc.docx": (
        "Requête en injonction de payer (tribunal de commerce)",
        lambda b: requete(b, tc=True),
    ),
    "actes/requete_injonction_de_payer_europeenne.docx": (
        "Demande d'injonction de payer européenne (formulaire A)",
        ipe,
    ),
    "actes/declaration_de_creance.docx": ("Déclaration de créance", declaration_creance),
    "courriers/declaration_creance_surendettement.docx": (
        "Justification de créance (surendettement)",
        surendettement_declaration,
    ),
    "courriers/contestation_surendettement.docx": (
        "Contestation (surendettement)",
        surendettement_contestation,
    ),
    "courriers/plan_apurement.docx": ("Plan d'apurement", plan_apurement),
    "courriers/lettre_commissaire_signification.docx": (
        "Lettre au commissaire de justice (signification)",
        lambda b: lettre_commissaire(b, execution=False),
    ),
    "courriers/lettre_commissaire_execution.docx": (
        "Lettre au commissaire de justice (exécution)",
        lambda b: lettre_commissaire(b, execution=True),
    ),
    "actes/bordereau_pieces.docx": ("Bordereau de pièces", bordereau),
}


def build(name: str) -> bytes:
    title, fill = TEMPLATES[name]
    builder = Builder(name, title)
    fill(builder)
    return builder.save(ROOT / "templates" / name)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "templates")
    parser.add_argument("--only", action="append", help="nom d'un modèle (répétable)")
    parser.add_argument("--check", action="store_true", help="compare sans écrire")
    args = parser.parse_args(argv)
    return write_or_check(args.only or list(TEMPLATES), build, args.out, check=args.check)


def write_or_check(
    names: Sequence[str], build_one: Callable[[str], bytes], out: Path, *, check: bool
) -> int:
    """Write each built template (atomically), or with ``check`` only compare; 1 if any differ."""
    differ = []
    for name in names:
        data = build_one(name)
        target = out / name
        if check:
            if not target.is_file() or target.read_bytes() != data:
                differ.append(name)
            continue
        atomic_write(target, data)
        print(f"écrit : {target}")
    if differ:
        print("modèles différents de leur construction : " + ", ".join(differ))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

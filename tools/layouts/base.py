"""The building blocks shared by every template layout (see tools/build_templates.py)."""

from __future__ import annotations

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

ROOT = Path(__file__).resolve().parents[2]
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
    "courriers/relance_agence_1.docx": ["relance_amiable"],
    "courriers/relance_agence_2.docx": ["relance_amiable"],
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


_VALUE_TAG = re.compile(r"\{\{\s*(.+?)\s*\}\}")


def typo_tags(text: str) -> str:
    """``{{ x }}`` → ``{{ (x)|typo }}``: French typography for the values that come from data
    (the ``typo`` filter of :mod:`actes.documents.formatting`)."""
    return _VALUE_TAG.sub(
        lambda m: m.group(0) if m.group(1).endswith("|typo") else f"{{{{ ({m.group(1)})|typo }}}}",
        text,
    )


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
        # When set (letters to the debtor), every value tag goes through the ``typo`` filter.
        self.data_typography = False
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
            run = paragraph.add_run(self._data(fr(text)))
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

    def _data(self, text: str) -> str:
        return typo_tags(text) if self.data_typography else text

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
        # The firm's letterhead first (docs/workspace.md); the sender's own block follows
        # unless the sender is the firm itself. Without a letterhead both tags vanish.
        left.paragraphs[0].add_run("{%p if entete %}")
        left.paragraphs[0].paragraph_format.space_after = Pt(0)
        self.letterhead(container=left, opened=True)
        self.tag("if not (entete and entete.expediteur)", left)
        self.p(("b", var(f"{sender}.nom")), space_after=0, container=left)
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
        self.tag("endif", left)
        # Addressee: 2.7 cm below the 2 cm top margin = 4.7 cm from the top edge.
        first = right.paragraphs[0]
        first.add_run(self._data(var(name))).bold = True
        first.paragraph_format.space_before = Cm(2.7)
        first.paragraph_format.space_after = Pt(0)
        for condition, line in extra:
            if condition:
                self.tag(f"if {condition}", right)
            self.p(line, space_after=0, container=right)
            if condition:
                self.tag("endif", right)
        self.lines(lines, container=right)

    def letterhead(self, *, container: object = None, opened: bool = False) -> None:
        """The firm's letterhead (``entete``: logo, name, identification, address, contact),
        printed only when the firm sends the document; ``opened``: the ``if entete`` tag is
        already written."""
        if not opened:
            self.tag("if entete", container)
        small = 8.5
        self.tag("if entete.logo", container)
        target = container if container is not None else self.doc
        logo = target.add_paragraph()  # type: ignore[attr-defined]
        # The image itself, never through the typography filter.
        logo.add_run("{{ entete.logo }}")
        logo.paragraph_format.space_after = Pt(2)
        self.tag("endif", container)
        self.p(("b", var("entete.nom")), space_after=0, container=container)
        self.tag("if entete.identification", container)
        self.p(var("entete.identification"), size=small, space_after=0, container=container)
        self.tag("endif", container)
        self.tag("for ligne in entete.adresse", container)
        self.p("{{ ligne }}", size=small, space_after=0, container=container)
        self.tag("endfor", container)
        self.tag("if entete.contact", container)
        self.p(var("entete.contact"), size=small, space_after=0, container=container)
        self.tag("endif", container)
        self.p("", space_after=6, container=container)
        self.tag("endif", container)

    def dateline(self, *, envoi: str | None, place: str = "lieu") -> None:
        self.p(
            var(place) + ", le {{ aujourd_hui }}",
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

    def signature(
        self, *, closing: str | None = None, who: str = "expediteur", signer: str = "signataire"
    ) -> None:
        """Closing formula and signature, kept on one page: every paragraph but the last
        keeps with the next one, none is split (no page holding only a name and a title)."""
        paragraphs = []
        if closing:
            self.text(closing, space_before=6)
            paragraphs.append(self.doc.paragraphs[-1])
        paragraphs.append(
            self.p(var(f"{signer}.nom"), indent=ADDRESS_INDENT, space_before=18, space_after=0)
        )
        paragraphs.append(self.p(var(f"{signer}.qualite"), indent=ADDRESS_INDENT, space_after=0))
        paragraphs.append(self.p(var(f"{who}.nom"), indent=ADDRESS_INDENT, space_after=0))
        for index, paragraph in enumerate(paragraphs):
            fmt = paragraph.paragraph_format  # type: ignore[attr-defined]
            fmt.keep_together = True
            if index < len(paragraphs) - 1:
                fmt.keep_with_next = True

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
                run = paragraph.add_run(self._data(fr(value)))
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
            # LibreOffice reads the grid, Word the cells: set both, with a fixed layout.
            table.autofit = False
            for column, width in zip(table.columns, widths, strict=True):
                column.width = Cm(width)
            for table_row in table.rows:
                for cell, width in zip(table_row.cells, widths, strict=True):
                    cell.width = Cm(width)
            layout = OxmlElement("w:tblLayout")
            layout.set(qn("w:type"), "fixed")
            table._tbl.tblPr.append(layout)
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
        # References and long dates (« 31 décembre 2026 ») on one line: 17 cm in all.
        widths=[2.8, 5.0, 3.0, 3.0, 3.2],
        numeric=[4],
    )


def payments_block(b: Builder, *, represented: bool = False) -> None:
    """The payments received; ``represented``: the letter may be written by the creditor's
    lawyer or commissaire de justice (``representation``), who did not receive them."""
    b.tag("if paiements")
    if represented:
        b.text(
            "{% if representation %}{{ creancier.nom }} a bien reçu{% else %}Nous avons bien "
            "reçu{% endif %} les règlements suivants, déduits ci-dessous :"
        )
    else:
        b.text("Nous avons bien reçu les règlements suivants, déduits ci-dessous :")
    b.bullets(
        "paiements",
        "r",
        ["{{ r.montant }} le {{ r.date }}{% if r.reference %} ({{ r.reference }}){% endif %}"],
    )
    b.tag("endif")


def decompte_table(
    b: Builder,
    *,
    indemnite: bool,
    interets_label: str = "Intérêts",
    explain: bool = True,
    reserves: bool = True,
) -> None:
    """The décompte table, its total « arrêté au » (the stop of interest when it stopped),
    how each payment was imputed, the reserve on a provisional rate (``reserves``; a filed
    document carries the draft banner instead) and, with ``explain``, the calculation
    actually made (one line per interest period)."""
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
    # References and long dates (« 31 décembre 2026 ») on one line, amounts up to
    # « 99 999,99 € »: 17 cm in all.
    widths = [2.8, 3.0, 2.4, 2.2, 2.2] if indemnite else [2.8, 3.0, 2.8, 2.6, 2.8]
    if indemnite:
        headers.append("Indemnité")
        row.append("{{ l.indemnite }}")
        total.append("{{ decompte.total_indemnites }}")
        widths.append(1.9)
    headers.append("Reste dû")
    row.append("{{ l.total }}")
    total.append("{{ decompte.total_du }}")
    widths.append(2.5 if indemnite else 3.0)
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
        " ({{ decompte.total_du_lettres }}), arrêté au {{ decompte.arrete }}.",
    )
    # The split behind the « Réglé » column (interest first, C. civ. 1343-1).
    b.tag("if decompte.imputations")
    b.p(
        f"Imputation des règlements (code civil, art. 1342-10 et 1343-1){NBSP}: "
        "{{ decompte.imputations|join(' ; ') }}.",
        size=9,
        align="justify",
    )
    b.tag("endif")
    if reserves:
        # A provisional rate that determined an amount, named soberly with its figure.
        b.tag("for reserve in decompte.reserves")
        b.text("{{ reserve }}", size=9)
        b.tag("endfor")
    if explain:
        # The calculation actually made, never the engine's general conventions.
        b.tag("if decompte.calcul")
        b.p(f"Calcul des intérêts{NBSP}:", size=9, space_after=0)
        b.tag("for ligne in decompte.calcul")
        b.p("{{ ligne }}", size=9, space_after=0)
        b.tag("endfor")
        b.p("", size=4)
        b.tag("endif")


def draft_banner(b: Builder, decompte: str = "decompte") -> None:
    """At the top of a document filed with a court, a mandataire or a commission: the draft
    banner when a provisional rate determined an amount (docs/rates.md)."""
    b.tag(f"if {decompte}.projet")
    b.p(
        ("b", f"{{{{ {decompte}.projet }}}}"),
        align="center",
        size=11,
        color=RGBColor(0xB0, 0, 0),
    )
    b.tag("endif")


def payment_details(b: Builder, *, keep_next: bool = False) -> None:
    """How to pay; ``keep_next``: kept on the page of the paragraph that follows (the closing
    formula of a letter)."""
    b.tag("if creancier.iban")
    b.text(
        "Règlement par virement sur le compte {{ creancier.nom|de }} : IBAN ",
        ("b", "{{ creancier.iban }}"),
        "{% if creancier.bic %}, BIC {{ creancier.bic }}{% endif %}, en rappelant la "
        "référence {{ dossier.reference }}.",
        keep_next=keep_next,
    )
    b.tag("else")
    b.text(
        "Règlement par chèque à l'ordre {{ creancier.nom|de }}, en rappelant la référence "
        "{{ dossier.reference }}.",
        keep_next=keep_next,
    )
    b.tag("endif")


def requete_parties(b: Builder, counsel: Callable[[Builder], None] | None = None) -> None:
    """The parties of a requête; ``counsel`` writes who presents it for the requérant, in the
    requérant's block (never under the debtor's)."""
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
    if counsel is not None:
        counsel(b)
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

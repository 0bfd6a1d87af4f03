"""A portfolio report written as files: an XLSX workbook (openpyxl, one sheet per view, with
native charts) and a PDF report (a DOCX made with python-docx, charts as images, converted by
LibreOffice like every document of actes)."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actes.portfolio.report import Report
from actes.portfolio.report_views import VIEWS, View, fr_cell, report_views

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["PDF_ROWS", "report_docx", "report_pdf", "report_xlsx"]

PDF_ROWS = 40
"""Lines of a detail table (per debtor, per case…) in the PDF; the workbook has them all."""

_MONEY_FORMAT = '#,##0.00\\ "€"'
_PCT_FORMAT = "0.0%"
_DAYS_FORMAT = '0\\ "j"'
_DATE_FORMAT = "DD/MM/YYYY"
# Sheet titles: at most 31 characters, none of []:*?/\ (Excel's rules).
_SHEETS = {
    "synthese": "Synthèse",
    "balance": "Balance âgée",
    "debiteurs": "Par débiteur",
    "creanciers": "Par créancier",
    "gestionnaires": "Par gestionnaire",
    "dossiers": "Par dossier",
    "encours": "Encours",
    "encaissements": "Encaissements",
    "etapes": "Étapes",
    "prochaines_etapes": "Prochaines étapes",
    "delais": "Délais 30 jours",
    "ecartes": "Dossiers écartés",
}


def _sheet(book_sheet: Worksheet, view: View, report: Report) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book_sheet
    sheet.append([f"{view.title} — portefeuille au {report.au:%d/%m/%Y}"])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([c.title for c in view.columns])
    header = sheet.max_row
    for cell in sheet[header]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    rows = list(view.rows)
    if view.total is not None:
        rows.append(view.total)
    formats = {
        "money": _MONEY_FORMAT,
        "pct": _PCT_FORMAT,
        "date": _DATE_FORMAT,
        "days": _DAYS_FORMAT,
    }
    # Cells are addressed by their row and column: ``sheet.max_row`` and ``sheet[row]`` scan
    # every cell of the sheet, which made a 10,000-case workbook take minutes.
    for number, row in enumerate(rows):
        line = header + 1 + number
        kinds = [view.kind(number, i) for i in range(len(row))]
        if number == len(view.rows):  # the total line: the columns' kinds
            kinds = [c.kind for c in view.columns]
        for place, (value, kind) in enumerate(zip(row, kinds, strict=True), start=1):
            # Decimal and date cells are written as numbers and dates; a percentage as a
            # fraction with Excel's percent format (4.5 % is 0.045).
            cell = sheet.cell(
                row=line,
                column=place,
                value=value / 100 if kind == "pct" and isinstance(value, Decimal) else value,
            )
            if kind in formats:
                cell.number_format = formats[kind]
            if number == len(view.rows):
                cell.font = Font(bold=True)
    if view.note:
        sheet.cell(row=header + len(rows) + 2, column=1, value=view.note)
    sheet.freeze_panes = f"A{header + 1}"
    for index, column in enumerate(view.columns, start=1):
        width = 14 if column.kind in ("money", "date", "pct", "int", "days") else 34
        if view.name == "synthese" and index == 1:
            width = 44
        sheet.column_dimensions[get_column_letter(index)].width = width


def report_xlsx(report: Report) -> bytes:
    """The workbook: a sheet per view (same order as :data:`VIEWS`), amounts as numbers with
    a euro format, dates as dates, a bar chart of the aged balance and a line chart of the
    encours next to their tables."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, LineChart, Reference

    book = Workbook()
    book.remove(book.worksheets[0])  # every sheet is made below, in order
    for view in report_views(report):
        sheet = book.create_sheet(_SHEETS[view.name])
        _sheet(sheet, view, report)
        rows = len(view.rows)
        if view.name == "balance" and rows:
            bars = BarChart()
            bars.title = "Balance âgée"
            bars.y_axis.title = "Montant (€)"
            bars.x_axis.delete = False  # openpyxl leaves the axes unset: some readers hide them
            bars.y_axis.delete = False
            bars.legend = None
            bars.add_data(
                Reference(sheet, min_col=2, min_row=2, max_row=2 + rows), titles_from_data=True
            )
            bars.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=2 + rows))
            bars.width, bars.height = 18, 8
            sheet.add_chart(bars, "E2")
        if view.name == "encours" and rows:
            line = LineChart()
            line.title = "Encours en fin de mois"
            line.y_axis.title = "Montant (€)"
            line.x_axis.delete = False
            line.y_axis.delete = False
            line.legend = None
            line.add_data(
                Reference(sheet, min_col=3, min_row=2, max_row=2 + rows), titles_from_data=True
            )
            line.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=2 + rows))
            line.width, line.height = 18, 8
            sheet.add_chart(line, "E2")
    book.properties.title = f"Rapport du portefeuille au {report.au:%d/%m/%Y}"
    book.properties.creator = "actes"
    # A fixed creation date: the same report gives the same workbook content.
    book.properties.created = dt.datetime.combine(report.au, dt.time())
    book.properties.modified = book.properties.created
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_docx(report: Report, *, firm: str = "") -> bytes:
    """The report as a DOCX (A4 landscape): synthesis, the two charts, then each view, the
    long ones cut at :data:`PDF_ROWS` lines with the count of the rest."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from actes.portfolio.charts import aged_balance_chart, encours_chart

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.6))
    style = document.styles["Normal"]
    style.font.name = "Liberation Sans"
    style.font.size = Pt(9)
    title = f"Rapport du portefeuille au {report.au:%d/%m/%Y}"
    document.add_heading(title, level=0)
    lead = document.add_paragraph()
    if firm:
        lead.add_run(firm).bold = True
        lead.add_run(" — ")
    counted, left = len(report.facts), len(report.excluded)
    lead.add_run(
        f"Portefeuille « {Path(report.source).name or report.source} » : "
        f"{_count(counted, 'dossier compté', 'dossiers comptés')}, "
        + (_count(left, "dossier écarté", "dossiers écartés") if left else "aucun écarté")
        + ". Montants en euros, issus du décompte de chaque dossier à la date du rapport."
    )
    views = {view.name: view for view in report_views(report)}
    _table(document, views["synthese"])
    charts = document.add_paragraph()
    charts.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for picture in (aged_balance_chart(report, "png"), encours_chart(report, "png")):
        charts.add_run().add_picture(io.BytesIO(picture), width=Cm(12.5))
    for name in VIEWS:
        if name == "synthese":
            continue
        view = views[name]
        document.add_heading(view.title, level=1)
        if not view.rows:
            document.add_paragraph(view.empty)
            continue
        _table(document, view)
    for table in document.tables:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    footer = section.footer.paragraphs[0]
    footer.text = f"actes — {title} — page "
    _page_field(footer)
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document: DocxDocument, view: View) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Cm

    shown = list(view.rows[:PDF_ROWS])
    rows = [*shown, *((view.total,) if view.total is not None else ())]
    table = document.add_table(rows=1 + len(rows), cols=len(view.columns))
    table.style = "Light Grid Accent 1"
    table.autofit = False
    widths = _widths(view)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid LibreOffice lays out from
    for number, line in enumerate(table.rows):
        properties = line._tr.get_or_add_trPr()
        # No row split over two pages; the header row repeats on each page; a short table
        # stays with its heading (every row kept with the next).
        properties.append(OxmlElement("w:cantSplit"))
        if number == 0:
            properties.append(OxmlElement("w:tblHeader"))
        for cell, width in zip(line.cells, widths, strict=True):
            cell.width = Cm(width)
            if len(rows) <= 15 and number < len(rows):
                cell.paragraphs[0].paragraph_format.keep_with_next = True
    for cell, column in zip(table.rows[0].cells, view.columns, strict=True):
        cell.text = column.title
        cell.paragraphs[0].runs[0].bold = True
    for number, (line, row) in enumerate(zip(table.rows[1:], rows, strict=True)):
        for index, (cell, value) in enumerate(zip(line.cells, row, strict=True)):
            kind = view.kind(number, index) if number < len(shown) else view.columns[index].kind
            cell.text = fr_cell(value, kind)
            if kind != "text":
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if view.total is not None:
        for cell in table.rows[-1].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
    if len(view.columns) > 8:  # the aged balances with their DSO: within the margins
        from docx.shared import Pt

        for line in table.rows:
            for cell in line.cells:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(7.5)
    more = len(view.rows) - len(shown)
    notes = [view.note] if view.note else []
    if more > 0:
        notes.append(f"{more} autre(s) ligne(s) dans le classeur (actes rapport --xlsx).")
    for note in notes:
        document.add_paragraph().add_run(note).italic = True


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number <= 1 else many}"


def _page_field(paragraph: Any) -> None:
    """The page number, as a Word field (LibreOffice fills it in the PDF)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


_WIDTH_CM = 26.5  # A4 landscape less 2 × 1.6 cm margins


def _widths(view: View) -> list[float]:
    """Column widths (cm): text columns share what the figures leave, figures 2.6 cm."""
    narrow = {"int": 1.8, "date": 2.4, "pct": 2.2, "days": 2.0, "money": 2.7}
    if len(view.columns) > 8:  # set in 7.5 pt (see _table)
        narrow.update(int=1.5, days=1.7, money=2.35)
    fixed = sum(narrow.get(c.kind, 0.0) for c in view.columns)
    texts = [c for c in view.columns if c.kind == "text"] or [view.columns[0]]
    share = max(_WIDTH_CM - fixed, 4.0) / len(texts)
    return [narrow.get(c.kind, share) if c.kind != "text" else share for c in view.columns]


def report_pdf(report: Report, *, firm: str = "") -> bytes:
    """The report as PDF (through LibreOffice, :func:`actes.documents.pdf.docx_to_pdf`)."""
    from actes.documents.pdf import docx_to_pdf

    with tempfile.TemporaryDirectory(prefix="actes-rapport-") as work:
        source = Path(work) / f"rapport-{report.au.isoformat()}.docx"
        source.write_bytes(report_docx(report, firm=firm))
        (pdf,) = docx_to_pdf([source], Path(work))
        return pdf.read_bytes()

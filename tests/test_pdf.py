"""DOCX → PDF with LibreOffice: one process for many files, text readable back with pypdf."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from actes.documents.pdf import docx_to_pdf, find_soffice
from actes.documents.render import render_documents
from actes.errors import EnvironmentProblem
from actes.law.rates import record_rate

ROOT = Path(__file__).resolve().parents[1]
AU = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _confirmed_2026_s2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A firm's workspace where the 2026 S2 rates were recorded as published (the reported
    figures): a filed document refuses an unconfirmed rate (docs/rates.md)."""
    workspace = tmp_path / "cabinet"
    workspace.mkdir()
    (workspace / "actes.toml").write_text("", encoding="utf-8")
    start = dt.date(2026, 7, 1)
    legal = {"creancier_particulier": Decimal("6.84"), "autres_cas": Decimal("2.75")}
    record_rate(workspace, "interet_legal", start, legal, reference="arrêté", source="essai")
    record_rate(workspace, "bce", start, {"taux": Decimal("2.40")}, reference="BCE", source="x")
    monkeypatch.setenv("ACTES_WORKSPACE", str(workspace))


needs_soffice = pytest.mark.skipif(
    find_soffice() is None,
    reason="LibreOffice (soffice) absent : apt-get install libreoffice-writer-nogui",
)


def _pdf_text(path: Path) -> str:
    text = "".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    # Babel's narrow no-break spaces may come back as any kind of space.
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


@needs_soffice
def test_render_with_pdf(tmp_path: Path) -> None:
    case = ROOT / "examples/ipe-debiteur-allemand/dossier.yaml"
    written = render_documents("injonction_de_payer_europeenne", case, tmp_path, AU, pdf=True)
    pdfs = [p for p in written if p.suffix == ".pdf"]
    assert [p.stem for p in pdfs] == [p.stem for p in written if p.suffix == ".docx"]
    form = _pdf_text(tmp_path / "EXP-2026-DE-077-injonction-de-payer-europeenne-formulaire-A.pdf")
    # 7 200 € + 10 % over 51 and 147 days (100,60 + 289,97) + 40 € indemnity.
    assert "7 630,57 €" in form
    assert "Weinhandel Rhein" in form
    assert "Page 1 / " in form
    assert not list(tmp_path.glob("*.tmp"))


@needs_soffice
def test_many_files_one_call(tmp_path: Path) -> None:
    case = ROOT / "examples/liquidation-judiciaire/dossier.yaml"
    docs = render_documents("declaration_de_creance", case, tmp_path / "docx", AU)
    pdfs = docx_to_pdf(docs, tmp_path / "pdf")
    assert [p.name for p in pdfs] == [d.with_suffix(".pdf").name for d in docs]
    assert all(p.stat().st_size > 1000 for p in pdfs)


def test_missing_soffice_is_an_environment_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACTES_SOFFICE", str(tmp_path / "absent"))
    assert find_soffice() is None
    with pytest.raises(EnvironmentProblem) as caught:
        docx_to_pdf([tmp_path / "x.docx"], tmp_path)
    assert "libreoffice-writer-nogui" in caught.value.hint
    assert caught.value.exit_code == 3


def test_nothing_to_convert(tmp_path: Path) -> None:
    assert docx_to_pdf([], tmp_path) == []


def _font_names(path: Path) -> set[str]:
    names: set[str] = set()
    for page in PdfReader(str(path)).pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            base = str(ref.get_object().get("/BaseFont", "")).lstrip("/")
            # Subsets are named « ABCDEF+LiberationSans-Bold ».
            names.add(base.split("+", 1)[-1])
    return names


@needs_soffice
def test_pdf_embeds_the_templates_font(tmp_path: Path) -> None:
    """The templates ask for Liberation Sans: a PDF silently set in a fallback font (DejaVu)
    would not look like the documents reviewed (install fonts-liberation2, see .ci/run)."""
    case = ROOT / "examples/liquidation-judiciaire/dossier.yaml"
    docs = render_documents("declaration_de_creance", case, tmp_path / "docx", AU)
    pdfs = docx_to_pdf(docs, tmp_path / "pdf")
    for pdf in pdfs:
        names = _font_names(pdf)
        assert names, pdf.name
        assert all(name.startswith("LiberationSans") for name in names), (pdf.name, names)

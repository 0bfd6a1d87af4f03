"""Every procedure renders, to DOCX and PDF, from at least one bundled example (README's
promise: a new user can see each document on real-looking data)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from actes.documents.pdf import find_soffice
from actes.documents.render import render_documents
from actes.law.procedures import load_registry

from .conftest import ROOT

AU = dt.date(2026, 12, 1)

# The example that shows each procedure (README, "Bundled examples").
EXAMPLE_OF = {
    "relance_amiable": "b2b-factures-impayees",
    "relance_preventive": "relance-preventive",
    "mise_en_demeure_professionnel": "b2b-factures-impayees",
    "mise_en_demeure_consommateur": "jcp-credit-consommation",
    "injonction_de_payer_tc": "b2b-factures-impayees",
    "injonction_de_payer_tj": "tj-creance-civile",
    "injonction_de_payer_jcp": "jcp-credit-consommation",
    "injonction_de_payer_europeenne": "ipe-debiteur-allemand",
    "declaration_de_creance": "liquidation-judiciaire",
    "surendettement_declaration": "surendettement",
    "surendettement_contestation": "surendettement-contestation",
    "plan_apurement": "b2c-travaux-consommateur",
    "saisie_attribution": "execution-saisies",
    "saisie_remunerations": "execution-saisies",
    "saisie_conservatoire": "saisie-conservatoire-b2b",
    "petites_creances": "petites-creances-b2c",
}


def test_every_procedure_has_an_example() -> None:
    assert set(EXAMPLE_OF) == set(load_registry().ids())
    for folder in EXAMPLE_OF.values():
        assert (ROOT / "examples" / folder / "dossier.yaml").is_file(), folder


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) absent")
@pytest.mark.parametrize("procedure", sorted(EXAMPLE_OF))
def test_procedure_renders_to_pdf_from_its_example(procedure: str, tmp_path: Path) -> None:
    case = ROOT / "examples" / EXAMPLE_OF[procedure]
    written = render_documents(procedure, case / "dossier.yaml", tmp_path, AU, pdf=True)
    pdfs = [p for p in written if p.suffix == ".pdf"]
    assert pdfs and len(pdfs) == len([p for p in written if p.suffix == ".docx"])
    for pdf in pdfs:
        text = re.sub(r"\s+", " ", "".join(p.extract_text() or "" for p in PdfReader(pdf).pages))
        assert "{{" not in text and "{%" not in text, pdf.name
        assert "Page 1 / " in text, pdf.name

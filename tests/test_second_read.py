"""Findings of the second professional read (1 December 2026), each on the rendered DOCX."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx

from actes.documents.render import render_documents

from .conftest import ROOT

DAY = dt.date(2026, 12, 1)


def _text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts).replace("\u00a0", " ").replace("\u202f", " ")


def test_plan_resting_on_a_provisional_rate_is_a_draft(tmp_path: Path) -> None:
    """The debtor signs the plan as an acknowledgement of debt (C. civ. 1376, 2240): an amount
    holding interest at a provisional rate is not offered for signature as final."""
    case = ROOT / "examples" / "b2c-travaux-consommateur" / "dossier.yaml"
    (path,) = render_documents("plan_apurement", case, tmp_path, DAY)
    first = docx.Document(str(path)).paragraphs[0].text
    assert first.startswith("PROJET – ne pas faire signer en l'état")
    assert "taux de l'intérêt légal du 2e semestre 2026" in first


def test_loan_instalments_are_not_called_hors_interets(tmp_path: Path) -> None:
    """Unpaid loan instalments hold contractual interest: the requête does not call the sum
    bearing future interest « hors intérêts »."""
    case = ROOT / "examples" / "jcp-credit-consommation" / "dossier.yaml"
    written = render_documents("injonction_de_payer_jcp", case, tmp_path, DAY)
    text = _text(next(p for p in written if "requete" in p.name))
    assert "hors intérêts" not in text
    assert "(échéances impayées et capital restant dû)" in text

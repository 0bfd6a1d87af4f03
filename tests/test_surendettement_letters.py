"""Letters to the commission de surendettement: the guarantor boxes answered from the case
(C. conso. R723-3), the contestation carrying the décompte it announces, and the bundled
example of a contestation of imposed measures (L733-10, R733-6)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from pypdf import PdfReader

from actes.documents.pdf import find_soffice
from actes.documents.render import render_documents
from actes.errors import CaseError, IncompleteCase

from .conftest import EXAMPLES, plain_spaces

AU = dt.date(2026, 12, 1)
NBSP = "\u00a0"


def _case(tmp_path: Path, name: str, edit: Any = None) -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLES / name, target)
    path = target / "dossier.yaml"
    if edit is not None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _document(procedure: str, case: Path, out: Path) -> Any:
    written = render_documents(procedure, case, out, AU)
    (path,) = [p for p in written if p.suffix == ".docx"]
    return docx.Document(str(path))


def _text(document: Any) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def _euros(text: str) -> Decimal:
    return Decimal(re.sub(r"[\s\u00a0\u202f€]", "", text).replace(",", "."))


def _with_caution(caution: dict[str, Any] | None) -> Any:
    def edit(data: dict[str, Any]) -> None:
        data.pop("caution", None)
        if caution is not None:
            data["caution"] = caution

    return edit


def test_guarantor_called_is_ticked_and_named(tmp_path: Path) -> None:
    caution = {"existe": True, "appelee": True, "nom": "M. Paul Lefebvre"}
    case = _case(tmp_path, "surendettement", _with_caution(caution))
    text = _text(_document("surendettement_declaration", case, tmp_path / "out"))
    assert (
        f"Existence d'une caution{NBSP}: ☒ oui   ☐ non (caution{NBSP}: M. Paul Lefebvre)" in text
    )
    assert f"La caution a-t-elle été appelée{NBSP}: ☒ oui   ☐ non." in text


def test_guarantor_not_called(tmp_path: Path) -> None:
    # The bundled example: Mme Claire Lefebvre stood surety, not called.
    text = _text(
        _document(
            "surendettement_declaration",
            EXAMPLES / "surendettement" / "dossier.yaml",
            tmp_path / "out",
        )
    )
    assert "☒ oui   ☐ non (caution" in text and "Mme Claire Lefebvre" in text
    assert f"appelée{NBSP}: ☐ oui   ☒ non." in text


def test_no_guarantor_ticks_no_and_skips_the_second_question(tmp_path: Path) -> None:
    case = _case(tmp_path, "surendettement", _with_caution({"existe": False}))
    text = _text(_document("surendettement_declaration", case, tmp_path / "out"))
    assert f"Existence d'une caution{NBSP}: ☐ oui   ☒ non." in text
    assert "appelée" not in text


def test_silent_case_is_refused_rather_than_left_unanswered(tmp_path: Path) -> None:
    case = _case(tmp_path, "surendettement", _with_caution(None))
    out = tmp_path / "out"
    with pytest.raises(IncompleteCase) as raised:
        render_documents("surendettement_declaration", case, out, AU)
    assert "surendettement.caution" in str(raised.value)
    assert "caution: {existe: false}" in (raised.value.hint or "")
    assert not out.exists()


def test_guarantor_schema_requires_the_call_answer(tmp_path: Path) -> None:
    case = _case(tmp_path, "surendettement", _with_caution({"existe": True}))
    with pytest.raises(CaseError) as raised:
        render_documents("surendettement_declaration", case, tmp_path / "out", AU)
    assert [issue.json_path for issue in raised.value.issues] == ["$.caution.appelee"]


def test_contestation_prints_the_decompte_it_announces(tmp_path: Path) -> None:
    document = _document(
        "surendettement_contestation",
        EXAMPLES / "surendettement-contestation" / "dossier.yaml",
        tmp_path / "out",
    )
    text = _text(document)
    # Interest stopped at the recevabilité (L722-14): the amount is stated at that date.
    announced = re.search(
        r"Notre créance s'élève à (.+?) au 28 juillet 2026, date de l'arrêt du cours des "
        r"intérêts\xa0: recevabilité .+? \(décompte",
        text,
    )
    assert announced is not None
    assert "Annexe : décompte de la créance".replace(" :", NBSP + ":") in text
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    (rows,) = [t for t in tables if t and t[0][0] == "Créance"]
    assert rows[0] == ["Créance", "Échéance", "Principal", "Réglé", "Intérêts", "Reste dû"]
    body, total = rows[1:-1], rows[-1]
    # One claim per monthly payment (review: « 4 mensualités » bore interest from the first).
    assert [r[0] for r in body] == [
        "CR-55120-M02",
        "CR-55120-M03",
        "CR-55120-M04",
        "CR-55120-M05",
        "CR-55120-CAP",
    ]
    for row in body:
        principal, paid, interest, rest = (_euros(v) for v in row[2:])
        assert principal - paid + interest == rest
    assert _euros(total[-1]) == sum(_euros(r[-1]) for r in body)
    assert _euros(total[-1]) == _euros(announced.group(1))
    # Interest stopped at the recevabilité of 28 July 2026 (L722-14): 6 842,15 € at 14,90 %
    # from 20 May to 30 June (41 days), then to 28 July (28 days), one rounded line each.
    expected = sum(
        (Decimal("6842.15") * Decimal("14.90") * days / 36500).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        for days in (41, 28)
    )
    assert _euros(body[-1][4]) == expected


def test_contestation_example_names_measures_grounds_and_deadline(tmp_path: Path) -> None:
    text = _text(
        _document(
            "surendettement_contestation",
            EXAMPLES / "surendettement-contestation" / "dossier.yaml",
            tmp_path / "out",
        )
    )
    assert "L733-10 et R733-6" in text
    assert "trente jours" in text
    assert "16 novembre 2026" in text
    assert "Mesures contestées" in text and "305,00 € par mois" in plain_spaces(text)
    assert f"Dossier n°{NBSP}: 033-2026-04418" in text
    assert "Dossier n° Dossier" not in text and text.count("Nos références") == 1


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) absent")
def test_contestation_example_renders_to_pdf(tmp_path: Path) -> None:
    written = render_documents(
        "surendettement_contestation",
        EXAMPLES / "surendettement-contestation" / "dossier.yaml",
        tmp_path,
        AU,
        pdf=True,
    )
    (pdf,) = [p for p in written if p.suffix == ".pdf"]
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(pdf).pages))
    assert "Commission de surendettement des particuliers de la Gironde" in text
    assert "Annexe" in text and "CR-55120-CAP" in text
    assert "{{" not in text and "{%" not in text

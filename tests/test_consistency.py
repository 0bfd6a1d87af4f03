"""Consistency of a case with itself and with the date of calculation (issue item 16): each
check refuses (or warns) with a French message naming the field."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from actes.cases.case import issues_of
from actes.cases.piececheck import pdf_problem
from actes.cli import main
from actes.documents.packet import build_packet
from actes.errors import InputError
from actes.portfolio.batch import run_batch

from .conftest import AU, copy_example, example_path, load_yaml, write_case
from .test_batch import read_csv

PLAN_CASE = "b2c-travaux-consommateur"
B2B = "b2b-factures-impayees"


def issues(data: Any, folder: Path | None = None, au: dt.date = AU) -> dict[str, str]:
    return {i.json_path: i.message for i in issues_of(data, folder=folder, au=au)}


def test_plan_total_must_be_the_sum_of_its_instalments() -> None:
    data = load_yaml(example_path(PLAN_CASE))
    assert issues(data) == {}
    data["plan"]["montant_total"] = "4100.00"
    found = issues(data)
    assert "$.plan.montant_total" in found
    assert "totalisent 4039.72 et non 4100.00" in found["$.plan.montant_total"]


def test_plan_signed_after_the_date_of_calculation_is_refused() -> None:
    """Signed in 2030: the payments made before the signature would not be counted, so an
    instalment already paid would show as unpaid."""
    data = load_yaml(example_path(PLAN_CASE))
    data["plan"]["date_signature"] = "2030-01-05"
    found = issues(data)
    assert (
        "plan signé le 05/01/2030, après la date de calcul (24/11/2026)"
        in found["$.plan.date_signature"]
    )


def test_plan_status_refuses_a_plan_signed_in_the_future(tmp_path: Path) -> None:
    data = load_yaml(example_path(PLAN_CASE))
    data["plan"]["date_signature"] = "2030-01-05"
    case = copy_example(PLAN_CASE, tmp_path, plan=data["plan"])
    result = CliRunner().invoke(main, ["plan", "status", str(case), "--au", AU.isoformat()])
    assert result.exit_code != 0
    assert "date_signature" in result.output and "05/01/2030" in result.output


def test_exhibit_dated_in_the_future_is_refused() -> None:
    data = load_yaml(example_path(PLAN_CASE))
    data["pieces"][1]["date"] = "2027-02-01"
    message = issues(data)["$.pieces[1].date"]
    assert "pièce n° 2" in message and "01/02/2027" in message


@pytest.mark.parametrize("value", ["   ", "\u00a0\u00a0", " \u2003 "])
def test_a_name_of_only_spaces_is_refused(value: str) -> None:
    data = load_yaml(example_path(B2B))
    data["debiteur"]["denomination"] = value
    message = issues(data)["$.debiteur.denomination"]
    assert "« denomination » ne contient que des espaces" in message


def test_duplicate_keys_in_json_are_refused_like_in_yaml(tmp_path: Path) -> None:
    data = load_yaml(example_path(B2B))
    text = json.dumps(data, ensure_ascii=False).replace(
        '"reference": ', '"reference": "AUTRE", "reference": ', 1
    )
    path = tmp_path / "dossier.json"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "clé « reference » en double" in result.output


# --------------------------------------------------------------------------- pièces


def _pdf_with_page_content(raw: bytes, *, flate: bool) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = StreamObject()
    stream._data = raw
    if flate:
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("raw", "flate"),
    [
        (b"\x78\x9c garbage that is not deflate data \x00\xff", True),
        (b"BT /F1 12 Tf (never closed Tj ET \x00\xff ]]] >> <<", False),
    ],
)
def test_a_page_holding_garbage_is_refused_naming_the_piece(
    tmp_path: Path, raw: bytes, flate: bool
) -> None:
    assert pdf_problem(_pdf_with_page_content(b"0 0 m 10 10 l S", flate=False)) is None
    case = copy_example(B2B, tmp_path)
    target = case.parent / load_yaml(case)["pieces"][0]["fichier"]
    target.write_bytes(_pdf_with_page_content(raw, flate=flate))
    with pytest.raises(InputError) as caught:
        build_packet("mise_en_demeure_professionnel", case, tmp_path / "p.zip", AU)
    message = caught.value.message
    assert "pièce n° 1" in message and target.name in message
    assert "page 1 endommagée" in message
    assert not (tmp_path / "p.zip").exists()


def test_an_encrypted_pdf_is_refused_by_the_shared_check() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    problem = pdf_problem(out.getvalue())
    assert problem is not None and "chiffré" in problem[0]
    PdfReader(io.BytesIO(out.getvalue()))  # a PDF all the same


# --------------------------------------------------------------------------- batch


def test_folder_batch_valid_case_keeps_a_reference_an_invalid_file_also_uses(
    tmp_path: Path,
) -> None:
    data = load_yaml(example_path(B2B))
    data.pop("pieces", None)
    folder = tmp_path / "portefeuille"
    folder.mkdir()
    broken = json.loads(json.dumps(data))
    broken["debiteur"]["siren"] = "123456788"  # wrong Luhn key: refused by validation
    write_case(folder / "a-invalide.yaml", broken)
    write_case(folder / "b-valide.yaml", data)
    outdir = tmp_path / "out"
    report = run_batch("mise_en_demeure_professionnel", folder, outdir, au=AU)
    assert (report.rendered, report.rejected) == (1, 1)
    errors = read_csv(outdir / "errors.csv")
    assert [Path(e["source"]).name for e in errors] == ["a-invalide.yaml"]
    assert "SIREN" in errors[0]["message"]
    assert "déjà utilisée" not in errors[0]["message"]
    (document,) = outdir.glob("*.docx")
    rendered = docx.Document(str(document))
    text = [p.text for p in rendered.paragraphs]
    text += [c.text for t in rendered.tables for r in t.rows for c in r.cells]
    assert any(data["debiteur"]["denomination"] in t for t in text)

    # Two valid cases with one reference: the second is still refused (files would clash).
    write_case(folder / "c-valide.yaml", data)
    again = run_batch("mise_en_demeure_professionnel", folder, tmp_path / "out2", au=AU)
    errors = read_csv(tmp_path / "out2" / "errors.csv")
    assert again.rendered == 1
    assert [Path(e["source"]).name for e in errors] == ["a-invalide.yaml", "c-valide.yaml"]
    assert "déjà utilisée (b-valide.yaml" in errors[1]["message"]


# --------------------------------------------------------------------------- plan propose


def test_propose_yaml_is_signed_on_au_and_warns_on_a_past_first_instalment(
    tmp_path: Path,
) -> None:
    data = load_yaml(example_path(PLAN_CASE))
    data.pop("plan")
    case = write_case(tmp_path / "dossier.yaml", data)
    for piece in data.get("pieces", []):
        source = example_path(PLAN_CASE).parent / piece["fichier"]
        (tmp_path / piece["fichier"]).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / piece["fichier"]).write_bytes(source.read_bytes())
    runner = CliRunner()
    args = ["plan", "propose", str(case), "--au", "2026-11-24", "--mensualite", "150", "--yaml"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    block = yaml.safe_load(result.stdout)["plan"]
    assert block["date_signature"] == "2026-11-24"
    assert "première échéance" not in result.stdout

    past = runner.invoke(main, [*args, "--premiere-echeance", "2026-10-01"])
    assert past.exit_code == 0, past.output
    assert yaml.safe_load(past.stdout)["plan"]["echeances"][0]["date"] == "2026-10-01"
    # The warning is a YAML comment: seen when the block is copied, ignored when parsed.
    assert "# Attention : La première échéance (01/10/2026) n'est pas postérieure" in past.stdout
    assert "--premiere-echeance" in past.stdout

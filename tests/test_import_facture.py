"""actes import facture: the sample e-invoices of examples/imports become one case."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from actes.cli import main
from actes.errors import InputError
from actes.imports.einvoice import read_invoice

SAMPLES = Path(__file__).resolve().parent.parent / "examples" / "imports"
PDF = SAMPLES / "facture-FA-2026-0201.pdf"
UBL = SAMPLES / "facture-FA-2026-0214.xml"
CREDIT = SAMPLES / "avoir-AV-2026-0007.xml"
AU = "2026-06-01"


def _import(tmp_path: Path, *files: Path, extra: tuple[str, ...] = ()) -> CliRunner.invoke:
    args = ["import", "facture", *map(str, files), "--nouveau", str(tmp_path), "--date", AU]
    return CliRunner().invoke(main, [*args, *extra])


def test_reads_the_three_samples() -> None:
    pdf = read_invoice(PDF)
    assert (pdf.syntax, pdf.level, pdf.number) == ("Factur-X", "en16931", "FA-2026-0201")
    assert pdf.issued == dt.date(2026, 1, 20) and pdf.due is None
    assert str(pdf.total) == "1200.00" and pdf.pdf is not None
    ubl = read_invoice(UBL)
    assert (ubl.syntax, ubl.due, str(ubl.paid), str(ubl.amount_due)) == (
        "UBL",
        dt.date(2026, 3, 16),
        "500.00",
        "2500.00",
    )
    credit = read_invoice(CREDIT)
    assert credit.credit_note and credit.preceding == ("FA-2026-0201",)
    assert str(credit.total) == "240.00"


def test_one_case_for_one_buyer(tmp_path: Path) -> None:
    result = _import(tmp_path, PDF, UBL, CREDIT)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "ATELIER-BELLECOUR"
    data = yaml.safe_load((folder / "dossier.yaml").read_text(encoding="utf-8"))
    assert data["creancier"]["denomination"] == "Dupont & Fils"
    assert data["creancier"]["forme_juridique"] == "SAS"
    assert data["creancier"]["siren"] == "732829320"
    assert data["creancier"]["iban"] == "FR1420041010050500013M02606"
    assert data["debiteur"]["denomination"] == "Atelier Bellecour"
    assert data["debiteur"]["forme_juridique"] == "SARL"
    assert data["debiteur"]["siren"] == "443061841"
    assert data["debiteur"]["adresse"] == {
        "ligne1": "45 avenue Roger Salengro",
        "code_postal": "69100",
        "ville": "Villeurbanne",
        "pays": "FR",
    }
    first, second = data["creances"]
    # 1 200,00 TTC less the 240,00 credit note; due date from « 45 jours fin de mois »
    assert first["reference"] == "FA-2026-0201" and first["montant"] == "960.00"
    assert "date_echeance" not in first
    assert first["conditions_paiement"] == "45 jours fin de mois"
    assert first["taux_contractuel"] == {"base": "interet_legal", "multiple": "3"}
    assert first["avoirs"] == [
        {"reference": "AV-2026-0007", "date": "2026-02-05", "montant": "240.00"}
    ]
    # 3 000,00 TTC, 500,00 already paid
    assert second["montant"] == "2500.00" and second["date_echeance"] == "2026-03-16"
    assert second["taux_contractuel"] == "12"
    assert data["pieces"] == [
        {
            "titre": "Facture n° FA-2026-0201",
            "date": "2026-01-20",
            "fichier": "pieces/facture-FA-2026-0201.pdf",
        }
    ]
    assert (folder / "pieces" / "facture-FA-2026-0201.pdf").read_bytes() == PDF.read_bytes()
    assert "40 €" in result.output and "FA-2026-0214" in result.output  # clause not found
    from actes.cases.case import load_case

    case = load_case(folder / "dossier.yaml", au=dt.date(2026, 6, 1))
    assert case.creances[0].date_echeance == dt.date(2026, 3, 31)


def test_dry_run_writes_nothing_and_json(tmp_path: Path) -> None:
    result = _import(tmp_path, PDF, UBL, extra=("--dry-run", "--json"))
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ecrit"] is False and not report["bloque"]
    assert report["dossiers"][0]["creances_ajoutees"] == ["FA-2026-0201", "FA-2026-0214"]
    assert list(tmp_path.iterdir()) == []


def test_extending_an_existing_case_and_reimporting(tmp_path: Path) -> None:
    assert _import(tmp_path, UBL).exit_code == 0
    case = tmp_path / "ATELIER-BELLECOUR"
    args = ["import", "facture", str(PDF), str(CREDIT), "--dossier", str(case), "--date", AU]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((case / "dossier.yaml").read_text(encoding="utf-8"))
    assert [c["reference"] for c in data["creances"]] == ["FA-2026-0214", "FA-2026-0201"]
    assert data["creances"][1]["montant"] == "960.00"
    before = (case / "dossier.yaml").read_bytes()
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Déjà dans le dossier" in result.output
    assert (case / "dossier.yaml").read_bytes() == before


def _variant(tmp_path: Path, name: str, change: dict[str, object]) -> Path:
    import importlib.util

    from facturx import generate_ubl_xml

    spec = importlib.util.spec_from_file_location(
        "samples", Path(__file__).resolve().parent.parent / "tools" / "make_import_samples.py"
    )
    assert spec and spec.loader
    samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(samples)
    data = copy.deepcopy(samples.FA_0214)
    for key, value in change.items():
        if key.startswith("BG-7."):
            data["BG-7"][key[5:]] = value
        else:
            data[key] = value
    path = tmp_path / name
    path.write_bytes(generate_ubl_xml(data, level="en16931", check_schematron=False))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"BT-5": "USD"}, "seules les factures en euros"),
        ({"BG-7.name": "Atelier Bellecour"}, "Forme juridique"),
    ],
)
def test_blocking_decisions_write_nothing(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    path = _variant(src, "f.xml", change)
    result = _import(out, path)
    assert result.exit_code == 1
    assert message in result.output and "rien n'a été écrit" in result.output
    assert list(out.iterdir()) == []


def test_buyer_siren_checksum_is_flagged_not_copied(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    path = _variant(src, "f.xml", {"BG-7.legal_identifier": "443061842"})
    result = _import(tmp_path, path, extra=("--dry-run", "--json"))
    report = json.loads(result.output)
    case = report["dossiers"][0]
    assert "siren" not in case["donnees"]["debiteur"]
    assert any("443061842" in d["message"] for d in case["a_decider"])


def _plain_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_bad_files_are_refused_with_nothing_written(tmp_path: Path) -> None:
    plain = tmp_path / "scan.pdf"
    plain.write_bytes(_plain_pdf())
    with pytest.raises(InputError, match="ne contient pas de facture électronique"):
        read_invoice(plain)
    broken = tmp_path / "broken.xml"
    broken.write_bytes(
        UBL.read_bytes()
        .replace(b"<cbc:IssueDate>", b"<cbc:IssueDateX>", 1)
        .replace(b"</cbc:IssueDate>", b"</cbc:IssueDateX>", 1)
    )
    with pytest.raises(InputError, match="schéma XSD"):
        read_invoice(broken)
    minimum = tmp_path / "min.xml"
    minimum.write_bytes(
        UBL.read_bytes().replace(b"urn:cen.eu:en16931:2017", b"urn:factur-x.eu:1p0:minimum")
    )
    with pytest.raises(InputError, match="pas une facture EN 16931"):
        read_invoice(minimum)
    other = tmp_path / "order.xml"
    other.write_text("<Order xmlns='urn:x'><ID>1</ID></Order>", encoding="utf-8")
    with pytest.raises(InputError, match="pas une facture EN 16931"):
        read_invoice(other)
    out = tmp_path / "out"
    out.mkdir()
    result = _import(out, PDF, plain)
    assert result.exit_code == 1 and "rien n'a été importé" in result.output
    assert list(out.iterdir()) == []

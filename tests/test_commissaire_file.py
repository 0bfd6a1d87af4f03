"""The file handed to the commissaire de justice: the letter states the title's amounts and
its décompte at the date asked; the packet holds the title's pièces or is refused."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from actes.cli import main

from .conftest import EXAMPLES, docx_text, plain_spaces

EXAMPLE = "execution-saisies"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / EXAMPLE
    shutil.copytree(EXAMPLES / EXAMPLE, target)
    return target / "dossier.yaml"


def test_execution_letter_states_the_title_and_its_decompte(tmp_path: Path) -> None:
    # Ordonnance of 2 March 2026 (4 200,00 € principal, 123,45 € interest arrested on
    # 26 January 2026, 35,39 € dépens, legal interest from the ordonnance), served à personne
    # on 10 March 2026: executory on 11 April 2026, +5 points from 12 June 2026. 500,00 € paid
    # on 15 June 2026. Hand computation at 30 June 2026 (« autres cas » 2026 S1: 2,62 %):
    # - 02/03 → 11/06: 101 days × 2,62 %: 4 200 × 2,62 × 101 / 36 500 = 30,449 → 30,45
    # - 11/06 → 15/06: 4 days × 7,62 %: 4 200 × 7,62 × 4 / 36 500 = 3,507 → 3,51
    # - payment 500,00: interest 123,45 + 30,45 + 3,51 = 157,41, principal 342,59
    # - 15/06 → 30/06: 15 days × 7,62 % on 3 857,41: 12,079 → 12,08
    # Total 3 857,41 + 35,39 + 12,08 = 3 904,88 €.
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "render",
            "injonction_de_payer_tj",
            str(_copy(tmp_path)),
            "-o",
            str(out),
            "--date",
            "2026-06-30",
        ],
    )
    assert result.exit_code == 0, result.output
    raw = docx_text(out / "EX-2026-0311-lettre-commissaire-execution.docx")
    # Table cells come one per line: read the rows as one line each.
    text = plain_spaces(" ".join(raw.split("\n")))
    for expected in (
        "Le 2 mars 2026, le président du tribunal judiciaire de Bordeaux a rendu une "
        "ordonnance d'injonction de payer (RG 26/01234)",
        "RG 26/01234",
        "Principal 4 200,00 €",
        "Intérêts arrêtés au 26 janvier 2026 123,45 €",
        "Dépens 35,39 €",
        "Total accordé 4 358,84 €",
        "101 4 200,00 € 2,62 % 30,45 €",
        "7,62 % (majoré) 3,51 €",
        "500,00 € 157,41 € 342,59 € 0,00 €",
        "3 857,41 €",
        "Total dû au 30 juin 2026 3 904,88 €",
        "exécutoire depuis le 11 avril 2026",
        "majoré de cinq points depuis le 12 juin 2026",
        "Copie exécutoire de l'ordonnance",
        "Acte de signification",
    ):
        assert expected in text, expected
    # Not the pre-title running figure of the old letter.
    assert "pour la somme de" not in text


def test_packet_refuses_without_the_copie_executoire(tmp_path: Path) -> None:
    case = _copy(tmp_path)
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    data["pieces"] = [p for p in data["pieces"] if p.get("role") != "copie_executoire"]
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    archive = tmp_path / "commissaire.zip"
    result = CliRunner().invoke(
        main,
        [
            "packet",
            "injonction_de_payer_tj",
            str(case),
            "-o",
            str(archive),
            "--date",
            "2026-06-30",
        ],
    )
    assert result.exit_code == 1, result.output
    assert "copie exécutoire" in result.output
    assert not archive.exists()


def test_packet_refuses_a_title_without_its_service(tmp_path: Path) -> None:
    case = _copy(tmp_path)
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    data["pieces"] = [p for p in data["pieces"] if p.get("role") != "acte_signification"]
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    archive = tmp_path / "commissaire.zip"
    result = CliRunner().invoke(
        main,
        [
            "packet",
            "injonction_de_payer_tj",
            str(case),
            "-o",
            str(archive),
            "--date",
            "2026-06-30",
        ],
    )
    assert result.exit_code == 1, result.output
    assert "acte de signification" in result.output
    assert not archive.exists()


def test_packet_holds_the_titles_pieces(tmp_path: Path) -> None:
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) absent")
    archive = tmp_path / "commissaire.zip"
    result = CliRunner().invoke(
        main,
        [
            "packet",
            "injonction_de_payer_tj",
            str(_copy(tmp_path)),
            "-o",
            str(archive),
            "--date",
            "2026-06-30",
        ],
    )
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(archive).namelist()
    for expected in (
        "pieces/03-ordonnance-copie-executoire.pdf",
        "pieces/04-requete-copie-certifiee.pdf",
        "pieces/05-acte-signification-2026-03-10.pdf",
        "documents/EX-2026-0311-lettre-commissaire-execution.docx",
    ):
        assert expected in names, names

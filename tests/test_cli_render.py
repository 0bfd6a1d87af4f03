"""``actes render`` and ``actes templates check`` through the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from actes.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_render_prints_written_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "render",
            "mise_en_demeure_professionnel",
            str(ROOT / "examples/b2b-factures-impayees"),  # a folder holding dossier.yaml
            "-o",
            str(tmp_path),
            "--date",
            "2026-11-24",
        ],
    )
    assert result.exit_code == 0, result.output
    written = tmp_path / "REC-2026-0147-mise-en-demeure.docx"
    case = ROOT / "examples/b2b-factures-impayees/dossier.yaml"
    # Then the command that records the sending (docs/history.md); nothing is recorded.
    assert result.output.strip().splitlines() == [
        str(written),
        f"Pour enregistrer l'envoi : actes evenement ajouter {case} mise_en_demeure_envoyee "
        "--le 2026-11-24",
    ]
    assert written.is_file()


def test_render_precondition_exit_1_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "render",
            "mise_en_demeure_professionnel",
            str(ROOT / "examples/b2c-travaux-consommateur/dossier.yaml"),
            "-o",
            str(out),
            "--date",
            "2026-11-24",
        ],
    )
    assert result.exit_code == 1
    assert "L441-10" in result.output
    assert not out.exists()


def test_render_unknown_procedure_is_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["render", "inconnue", str(ROOT / "examples/b2b-factures-impayees"), "-o", str(tmp_path)],
    )
    assert result.exit_code == 2


def test_templates_check_passes_on_shipped_templates() -> None:
    result = CliRunner().invoke(main, ["templates", "check"])
    assert result.exit_code == 0, result.output
    assert "✓ courriers/mise_en_demeure_professionnel.docx" in result.output
    assert "✗" not in result.output


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "data"
    for name in ("procedures", "schemas", "templates", "parameters"):
        shutil.copytree(ROOT / name, root / name)
    monkeypatch.setenv("ACTES_DATA_DIR", str(root))
    return root


def test_templates_check_catches_unknown_variable(data_copy: Path) -> None:
    bad = docx.Document()
    bad.add_paragraph("Bonjour {{ debiteur.nom }}, {{ variable_inconnue }}.")
    bad.add_paragraph("{{ mentions.mention_absente }}")
    bad.save(str(data_copy / "templates/courriers/relance_amiable_1.docx"))
    result = CliRunner().invoke(main, ["templates", "check"])
    assert result.exit_code == 1
    assert "✗ courriers/relance_amiable_1.docx" in result.output
    assert "variable inconnue : variable_inconnue" in result.output
    assert "mention « mention_absente » absente de relance_amiable v1" in result.output
    assert "✓ courriers/relance_amiable_2.docx" in result.output


def test_templates_check_catches_syntax_error(data_copy: Path) -> None:
    bad = docx.Document()
    bad.add_paragraph("{% if debiteur.nom %}sans fin")
    bad.save(str(data_copy / "templates/actes/bordereau_pieces.docx"))
    result = CliRunner().invoke(main, ["templates", "check"])
    assert result.exit_code == 1
    assert "erreur de syntaxe" in result.output


def test_missing_template_is_reported(data_copy: Path) -> None:
    (data_copy / "templates/courriers/plan_apurement.docx").unlink()
    result = CliRunner().invoke(main, ["templates", "check"])
    assert result.exit_code == 1
    assert "modèle introuvable" in result.output

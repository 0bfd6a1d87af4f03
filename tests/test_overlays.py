"""The workspace's ``templates/``, ``procedures/`` and ``parameters/`` take precedence over the
shipped files, file by file, and the listings say where each file comes from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner, Result

from actes._paths import data_root, origin, workspace_scope
from actes.cli import main
from actes.law.procedures import load_registry

from .conftest import docx_text, plain_spaces

ROOT = Path(__file__).resolve().parents[1]
B2B = ROOT / "examples" / "b2b-factures-impayees"
LETTER = "courriers/mise_en_demeure_professionnel.docx"
VERSION = "mise_en_demeure_professionnel/2019-04-26.r2.yaml"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def cabinet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace holding a copy of the B2B example (``dossiers/b2b``); the current folder
    is outside it."""
    monkeypatch.delenv("ACTES_WORKSPACE", raising=False)
    root = tmp_path / "cabinet"
    assert run("init", str(root)).exit_code == 0
    shutil.copytree(B2B, root / "dossiers" / "b2b")
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return root


def render_text(case: Path, out: Path, procedure: str = "mise_en_demeure_professionnel") -> str:
    done = run("render", procedure, str(case), "-o", str(out), "--date", "2026-11-24")
    assert done.exit_code == 0, done.output
    return plain_spaces(docx_text(next(out.glob("*mise-en-demeure*.docx"))))


def firm_template(root: Path, extra: str) -> Path:
    """The firm's copy of the shipped letter with one paragraph added (as edited in Word)."""
    target = root / "templates" / LETTER
    target.parent.mkdir(parents=True, exist_ok=True)
    document = docx.Document(str(data_root() / "templates" / LETTER))
    document.add_paragraph(extra)
    document.save(str(target))
    return target


def test_overlay_template_replaces_the_shipped_one(cabinet: Path, tmp_path: Path) -> None:
    firm_template(cabinet, "Clause du cabinet pour le dossier {{ dossier.reference }}.")
    case = cabinet / "dossiers" / "b2b"
    assert "Clause du cabinet pour le dossier REC-2026-0147." in render_text(
        case, tmp_path / "out"
    )
    # Another workspace (or none) keeps the shipped letter: resolution follows the case.
    other = tmp_path / "seul"
    shutil.copytree(B2B, other)
    assert "Clause du cabinet" not in render_text(other, tmp_path / "out2")


def test_templates_check_reports_origin_and_checks_the_firm_copy(
    cabinet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = firm_template(cabinet, "Bonjour {{ debiteur.nom }}.")
    monkeypatch.chdir(cabinet)
    done = run("templates", "check")
    # (The exit code depends on every shipped template: tests/test_cli_render.py checks it.)
    assert f"✓ {LETTER}  [espace de travail : {target}]" in done.output, done.output
    assert "✓ courriers/relance_amiable_1.docx  [actes]" in done.output
    listed = {
        m["modele"]: m for m in json.loads(run("templates", "check", "--json").output)["modeles"]
    }
    assert listed[LETTER]["provenance"] == "espace de travail"
    assert listed[LETTER]["fichier"] == str(target)
    assert listed["courriers/relance_amiable_1.docx"]["provenance"] == "actes"
    # The firm's copy is the one checked; a template of its own no procedure uses is too.
    firm_template(cabinet, "{{ variable_du_cabinet }}")
    extra = docx.Document()
    extra.add_paragraph("{{ autre_inconnue }}")
    extra.save(str(cabinet / "templates" / "courriers" / "note_interne.docx"))
    done = run("templates", "check")
    assert done.exit_code == 1
    assert f"✗ {LETTER}  [espace de travail" in done.output
    assert "variable inconnue : variable_du_cabinet" in done.output
    assert "✗ courriers/note_interne.docx  [espace de travail" in done.output
    assert "variable inconnue : autre_inconnue" in done.output


def overlay_version(root: Path, sommation: str) -> Path:
    """A revision 3 of the professional mise en demeure, in the workspace."""
    shipped: dict[str, Any] = yaml.safe_load(
        (ROOT / "procedures" / VERSION).read_text(encoding="utf-8")
    )
    shipped["revision"] = 3
    shipped["corrige"] = ["Formule de sommation du cabinet."]
    shipped["mentions"]["sommation"] = sommation
    target = root / "procedures" / "mise_en_demeure_professionnel" / "2019-04-26.r3.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(shipped, allow_unicode=True, sort_keys=False), "utf-8")
    return target


def test_overlay_procedure_version_is_listed_and_used(
    cabinet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = overlay_version(cabinet, "Le cabinet vous somme de régler la somme ci-dessous.")
    text = render_text(cabinet / "dossiers" / "b2b", tmp_path / "out")
    assert "Le cabinet vous somme de régler la somme ci-dessous." in text
    monkeypatch.chdir(cabinet)
    rows = {
        r["id"]: r for r in json.loads(run("procedures", "list", "--json").output)["procedures"]
    }
    row = rows["mise_en_demeure_professionnel"]
    assert row["provenance"] == "actes et espace de travail"
    assert row["fichiers_espace_de_travail"] == [str(target)]
    assert row["fichier_version"] == str(target)
    assert rows["relance_amiable"]["provenance"] == "actes"
    listing = run("procedures", "list").output
    assert f"↳ espace de travail : {target}" in listing
    shown = json.loads(run("procedures", "show", "mise_en_demeure_professionnel", "--json").output)
    files = {v["fichier"]: v["provenance"] for v in shown["versions"]}
    assert files["2019-04-26.r3.yaml"] == "espace de travail"
    assert files["2013-01-01.yaml"] == "actes"


def test_overlay_procedure_folder_adds_a_procedure(cabinet: Path) -> None:
    source = ROOT / "procedures" / "relance_amiable"
    target = cabinet / "procedures" / "relance_cabinet"
    shutil.copytree(source, target)
    index = yaml.safe_load((target / "index.yaml").read_text(encoding="utf-8"))
    index["id"] = "relance_cabinet"
    index["title"] = "Relance du cabinet"
    (target / "index.yaml").write_text(yaml.safe_dump(index, allow_unicode=True), "utf-8")
    with workspace_scope(cabinet):
        registry = load_registry()
        assert registry.get("relance_cabinet").title == "Relance du cabinet"
        assert origin(registry.get("relance_cabinet").current.file) == cabinet
    # Outside the workspace the registry is actes' own (the cache is keyed on it).
    with workspace_scope(cabinet.parent / "ailleurs"):
        assert "relance_cabinet" not in load_registry()


def test_broken_overlay_procedure_is_a_definition_error(cabinet: Path) -> None:
    target = overlay_version(cabinet, "Formule.")
    broken = yaml.safe_load(target.read_text(encoding="utf-8"))
    del broken["title"]
    target.write_text(yaml.safe_dump(broken, allow_unicode=True), "utf-8")
    done = run(
        "render", "mise_en_demeure_professionnel", str(cabinet / "dossiers" / "b2b"), "-o", "x"
    )
    assert done.exit_code == 3
    assert "2019-04-26.r3.yaml" in done.output
    assert "Traceback" not in done.output


def test_overlay_parameter_file_is_used(cabinet: Path, tmp_path: Path) -> None:
    shipped = yaml.safe_load((ROOT / "parameters/pieces_attendues.yaml").read_text("utf-8"))
    shipped["groupes"].append(
        {
            "id": "cabinet",
            "pieces": [
                {
                    "id": "attestation",
                    "libelle": "Attestation de créance propre au cabinet",
                    "mots": ["attestation de creance du cabinet"],
                    "fondement": "usage du cabinet",
                }
            ],
        }
    )
    target = cabinet / "parameters" / "pieces_attendues.yaml"
    target.write_text(yaml.safe_dump(shipped, allow_unicode=True, sort_keys=False), "utf-8")
    case = cabinet / "dossiers" / "b2b"
    done = run("render", "injonction_de_payer_tc", str(case), "-o", str(tmp_path / "out"))
    assert done.exit_code == 0, done.output
    assert "Attestation de créance propre au cabinet" in done.output
    other = tmp_path / "seul"
    shutil.copytree(B2B, other)
    done = run("render", "injonction_de_payer_tc", str(other), "-o", str(tmp_path / "out2"))
    assert done.exit_code == 0, done.output
    assert "propre au cabinet" not in done.output


def test_rate_recorded_in_the_workspace_is_used_from_any_folder(
    cabinet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = cabinet / "dossiers" / "b2b" / "dossier.yaml"
    data: dict[str, Any] = yaml.safe_load(case.read_text(encoding="utf-8"))
    del data["parametres"]["taux_non_confirmes"]
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    # From outside the workspace: the case's own workspace has no record yet.
    assert run("decompte", str(case), "--au", "2026-11-24").exit_code == 1
    monkeypatch.chdir(cabinet / "dossiers")
    done = run(
        "taux", "ajouter", "interet_legal", "2026-S2", "--particuliers", "6.90",
        "--autres", "2.80", "--arrete", "Arrêté du 20 juin 2026 (essai)",
        "--source", "https://www.legifrance.gouv.fr",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    done = run(
        "taux", "ajouter", "bce", "2026-07-01", "2.40", "--en-vigueur-depuis", "2026-06-17",
        "--source", "https://www.ecb.europa.eu",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert (cabinet / "parameters" / "taux" / "interet_legal.yaml").is_file()
    for folder in (cabinet / "dossiers" / "b2b", cabinet.parent / "ailleurs"):
        monkeypatch.chdir(folder)
        done = run("decompte", str(case), "--au", "2026-11-24", "--json")
        assert done.exit_code == 0, done.output
        result = json.loads(done.output)
        assert result["taux_non_confirmes"] == []
        assert result["creances"][0]["periodes"][0]["taux"] == "8.40"  # 3 × 2.80

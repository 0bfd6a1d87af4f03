"""``actes budget`` and ``actes plan``: outputs, exit codes, letters, worklist CSV."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import yaml
from click.testing import CliRunner

from actes.cli import main

from .conftest import docx_text as read_docx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "b2c-travaux-consommateur"
AU = "2026-11-24"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def docx_text(path: Path) -> str:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def test_budget_json() -> None:
    code, out = run("budget", str(EXAMPLE), "--au", AU, "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["capacite"] == "392.88"
    assert data["capacite_disponible"] == "182.88"
    assert data["voie"] == "plan_amiable"
    assert len(data["avertissements"]) == 2


def test_budget_missing_rsa_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    dossier = folder / "dossier.yaml"
    data = yaml.safe_load(dossier.read_text(encoding="utf-8"))
    del data["parametres"]["taux_non_confirmes"]
    dossier.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out = run("budget", str(folder), "--au", AU)
    assert code == 1
    assert "RSA" in out and "01/04/2026" in out


def test_plan_status_single_and_worklist(tmp_path: Path) -> None:
    code, out = run("plan", "status", str(EXAMPLE), "--au", AU, "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["arriere"] == "180.00"
    assert data["solde"] == "3859.72"  # the décompte's balance (docs/amicable.md)
    assert data["prochaine_action"]["code"] == "relance_echeance_plan"
    csv_file = tmp_path / "matin.csv"
    code, out = run("plan", "status", str(ROOT / "examples"), "--au", AU, "--csv", str(csv_file))
    assert code == 0, out
    assert "RE-2026-031" in out
    lines = csv_file.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("fichier;reference")
    assert lines[1].split(";")[1] == "RE-2026-031"


def test_plan_lettre_renders_the_reminder(tmp_path: Path) -> None:
    code, out = run("plan", "lettre", str(EXAMPLE), "-o", str(tmp_path), "--date", AU)
    assert code == 0, out
    (written,) = tmp_path.glob("*.docx")
    # Read as python-docx reads it: since the plan letters apply the house typography to
    # values, a reference's hyphens are no-break hyphens (<w:noBreakHyphen/>, not text).
    text = read_docx(written)
    assert "Rappel" in text
    assert "RE-2026-031-P1" in text
    assert "5 octobre 2026" in text
    assert "180,00" in text
    assert "{{" not in text


def test_plan_lettre_mise_en_demeure_then_notification(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    dossier = folder / "dossier.yaml"
    data = yaml.safe_load(dossier.read_text(encoding="utf-8"))
    data["plan"]["suivi"] = [{"type": "relance_echeance_plan", "date": "2026-11-24"}]
    dossier.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out_dir = tmp_path / "out"
    code, out = run("plan", "lettre", str(folder), "-o", str(out_dir), "--date", "2026-12-09")
    assert code == 0, out
    (written,) = out_dir.glob("*mise-en-demeure*.docx")
    text = docx_text(written)
    assert "vise expressément cette clause" in text
    # The notice runs from the receipt of the letter (unknown when it is written); arrears:
    # the 10 November instalment only
    assert "à compter de la réception de la présente lettre" in text
    assert "180,00" in text
    data["plan"]["suivi"].append(
        {"type": "mise_en_demeure_decheance", "date": "2026-12-09", "date_reception": "2026-12-11"}
    )
    dossier.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    # Received 11 December + 30 days = Sunday 10 January 2027 → Monday 11 January.
    code, out = run("plan", "lettre", str(folder), "-o", str(out_dir), "--date", "2027-01-11")
    assert code == 1 and "11/01/2027" in out
    code, out = run("plan", "lettre", str(folder), "-o", str(out_dir), "--date", "2027-01-12")
    assert code == 0, out
    (written,) = out_dir.glob("*notification*.docx")
    text = docx_text(written)
    assert "déchéance du terme est acquise" in text
    assert "11 janvier 2027" in text and "reçue le 11 décembre 2026" in text
    # by 12 January the 10 December and 10 January instalments are unpaid too: 3 × 180
    assert "540,00" in text
    assert "3 859,72" in text.replace("\u202f", " ")


def test_plan_lettre_nothing_to_send(tmp_path: Path) -> None:
    code, out = run("plan", "lettre", str(EXAMPLE), "-o", str(tmp_path), "--date", "2026-11-12")
    assert code == 1
    assert "Aucun courrier" in out
    assert not list(tmp_path.iterdir())


def test_plan_propose(tmp_path: Path) -> None:
    code, out = run("plan", "propose", str(EXAMPLE), "--au", AU, "--duree", "23", "--json")
    assert code == 0, out
    data = json.loads(out)
    amounts = [Decimal(e["montant"]) for e in data["echeances"]]
    assert sum(amounts) == Decimal(data["total"]) == Decimal("3850.00")
    code, out = run("plan", "propose", str(EXAMPLE), "--au", AU, "--mensualite", "500")
    assert code == 1
    assert "capacité" in out
    code, out = run(
        "plan", "propose", str(EXAMPLE), "--au", AU, "--yaml", "--premiere-echeance", "2027-01-31"
    )
    assert code == 0, out
    block = yaml.safe_load(out)["plan"]
    assert block["echeances"][1]["date"] == "2027-02-28"

"""Messages and exit codes: a problem of the case's data exits 1 (not 2 or 3), and what the
user reads is French, click's usage errors and libyaml's syntax errors included."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from actes._io import parse_document
from actes._yaml_fr import translate_yaml_problem
from actes.cli import main
from actes.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"

# Words of click's and libyaml's English texts that must not reach the user.
ENGLISH = re.compile(
    r"\b(Usage|Error|Try|Missing|does not exist|is a directory|No such|Invalid value|"
    r"not allowed|did not find|found|could not|while (scanning|parsing))\b"
)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_french(result: Result, code: int, *words: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert not ENGLISH.search(result.output), result.output
    for word in words:
        assert word in result.output, result.output


def case_with(tmp_path: Path, text: str, name: str = "dossier.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- 13: exit 1


def test_dates_outside_the_holiday_calendar_are_a_data_problem(tmp_path: Path) -> None:
    text = (HOSTILE / "valide.yaml").read_text(encoding="utf-8")
    for old, new in (("2026-07-02", "2098-07-02"), ("2026-06-02", "2098-06-02")):
        text = text.replace(old, new)
    text = text.replace('"2026-09-15"', '"2098-09-15"')
    case = case_with(tmp_path, text)
    result = run("deadlines", case, "--au", "2099-01-01")
    assert_french(result, 1, "1950 à 2100", "2103")
    report = json.loads(run("deadlines", case, "--au", "2099-01-01", "--json").stdout)
    assert report["erreur"] == "HolidayRangeError"
    assert "jours fériés" in report["message"]
    assert_french(run("delai", "2150-01-02", "15j"), 1, "1950 à 2100")


def test_a_due_date_in_year_10000_is_a_data_problem(tmp_path: Path) -> None:
    text = (HOSTILE / "valide.yaml").read_text(encoding="utf-8")
    case = case_with(
        tmp_path, text.replace('date_echeance: "2026-07-02"', 'date_echeance: "9999-12-20"')
    )
    for command in ("deadlines", "next"):
        result = run(command, case, "--au", "2026-12-01")
        assert_french(result, 1, "dates représentables")
        report = json.loads(run(command, case, "--au", "2026-12-01", "--json").stdout)
        assert report["erreur"] == "DataProblem", report


def test_plan_propose_on_a_case_without_situation_is_a_data_problem() -> None:
    case = EXAMPLES / "b2b-factures-impayees"
    result = run("plan", "propose", case, "--au", "2026-12-01")
    assert_french(result, 1, "Sans situation du débiteur")
    report = json.loads(run("plan", "propose", case, "--au", "2026-12-01", "--json").stdout)
    assert report["erreur"] == "PreconditionFailed"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("NaN", "n'est pas un montant fini"),
        ("Infinity", "n'est pas un montant fini"),
        ("-Infinity", "n'est pas un montant fini"),
        ("sNaN", "n'est pas un montant fini"),
    ],
)
def test_plan_propose_refuses_non_finite_amounts(value: str, words: str) -> None:
    case = EXAMPLES / "b2c-travaux-consommateur"
    result = run("plan", "propose", case, "--mensualite", value, "--au", "2026-12-01")
    assert_french(result, 2, words, "--mensualite")
    as_json = run("plan", "propose", case, "--mensualite", value, "--json")
    assert as_json.exit_code == 2
    report = json.loads(as_json.stdout)
    assert report["erreur"] == "UsageProblem" and words in report["message"]


def test_plan_propose_refuses_a_first_instalment_in_9999() -> None:
    case = EXAMPLES / "b2c-travaux-consommateur"
    args = ["plan", "propose", case, "--premiere-echeance", "9999-12-01", "--duree", "12"]
    assert_french(run(*args), 2, "hors des dates acceptées")
    report = json.loads(run(*args, "--json").stdout)
    assert report["erreur"] == "UsageProblem"


def test_a_corrupt_docx_piece_is_the_case_problem(tmp_path: Path) -> None:
    folder = tmp_path / "affaire"
    shutil.copytree(EXAMPLES / "b2b-factures-impayees", folder)
    (folder / "pieces" / "avenant.docx").write_bytes(b"PK\x03\x04 pas vraiment un DOCX")
    case = folder / "dossier.yaml"
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    data["pieces"].append(
        {"titre": "Avenant", "date": "2026-06-10", "fichier": "pieces/avenant.docx"}
    )
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "depot.zip"
    result = run(
        "packet", "mise_en_demeure_professionnel", folder, "-o", out, "--date", "2026-12-01"
    )
    assert_french(result, 1, "DOCX illisible", "avenant.docx")
    assert not out.exists()
    as_json = run(
        "packet",
        "mise_en_demeure_professionnel",
        folder,
        "-o",
        out,
        "--date",
        "2026-12-01",
        "--json",
    )
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["erreur"] == "InputError"


# --------------------------------------------------------------------------- 14: French


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["render"], ["Argument manquant", "PROCEDURE", "Utilisation :"]),
        (["render", "mise_en_demeure_professionnel"], ["Argument manquant", "CASE"]),
        (["validate", "introuvable.yaml"], ["n'existe pas", "introuvable.yaml"]),
        (["validate", "--bogus", "x"], ["Option inconnue", "--bogus"]),
        (["bogus"], ["Commande inconnue", "bogus"]),
        (["delai", "2026-13-45", "15j"], ["n'est pas une date"]),
        (["batch", "x", ".", "-o", "o", "--jobs", "0"], ["n'est pas dans l'intervalle"]),
        (["batch", "x", ".", "-o", "o", "--executor", "nuage"], ["n'est pas l'une des valeurs"]),
        (["deadlines", "."], []),  # a folder without a case: the case's own message
        (["deadlines", "examples/b2b-factures-impayees", "--au"], ["attend une valeur"]),
        (["validate", "examples/b2b-factures-impayees", "b"], ["Argument en trop"]),
    ],
)
def test_click_usage_errors_are_in_french(args: list[str], words: list[str]) -> None:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output
    assert not ENGLISH.search(result.output), result.output
    for word in words:
        assert word in result.output, result.output


def test_usage_error_with_json_is_a_json_error() -> None:
    result = run("validate", "introuvable.yaml", "--json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["erreur"] == "UsageProblem"
    assert "n'existe pas" in report["message"]
    assert "validate --help" in report["correction"]


def test_help_is_in_french() -> None:
    result = run("deadlines", "--help")
    assert result.exit_code == 0
    assert "Utilisation :" in result.output and "Affiche cette aide et quitte." in result.output
    assert "Usage:" not in result.output and "Show this message" not in result.output


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("reference: x\na: b: c\n", "« : » inattendu"),
        ("reference: x\na: 'ouvert\n", "guillemet"),
        ("reference: x\na: [1, 2\n", "« , » ou « ] » attendu"),
        ("reference: x\na: {x: 1\n", "« , » ou « } » attendu"),
        ("- a\nb: 1\n", "élément de liste"),
        ("a:\n  b: 1\n c: 2\n", "clé attendue"),
        ("a: *inconnu\n", "alias"),
        ("a: `x`\n", "ne peut pas commencer"),
        ('a: "\\q"\n', "échappement"),
        ("a: 1\n\tb: 2\n", "tabulation"),
        ("a: b\n---\nc: d\n", "un seul document"),
        ("a: !etrange 1\n", "étiquette"),
        ("a: - b\n", "élément de liste"),
        ("{a: 1}}\n", "après la fin du document"),
    ],
)
def test_libyaml_syntax_errors_are_in_french(text: str, words: str, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        parse_document(text, "dossier.yaml")
    report = caught.value.format()
    assert words in report, report
    assert not ENGLISH.search(report), report
    case = case_with(tmp_path, text)
    result = run("validate", case)
    assert_french(result, 1, words)
    assert re.search(r"dossier\.yaml:\d+:\d+", result.output), result.output


def test_an_unknown_libyaml_text_is_kept_after_a_french_label() -> None:
    assert translate_yaml_problem("some future problem") == (
        "erreur de syntaxe YAML (some future problem)"
    )

"""The command line: exit codes, JSON output, the installed console script, no tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actes.cli import main

from .conftest import EXAMPLES, copy_example, example_path, load_yaml, write_case

EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "dossier.yaml").is_file())


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_validate_examples_exit_zero(name: str) -> None:
    result = run("validate", str(EXAMPLES / name), "--date", "2026-11-24")
    assert result.exit_code == 0, result.output
    assert "Dossier valide" in result.output


# One field broken per example: (example, dotted path, bad value, JSON path in the message).
BROKEN = [
    ("b2b-factures-impayees", "creancier.siren", "732829321", "$.creancier.siren"),
    (
        "b2c-travaux-consommateur",
        "debiteur.adresse.code_postal",
        "570",
        "$.debiteur.adresse.code_postal",
    ),
    ("ipe-debiteur-allemand", "creancier.iban", "FR7630006000011234567890188", "$.creancier.iban"),
    ("liquidation-judiciaire", "creances.0.montant", "-8400.00", "$.creances[0].montant"),
    ("surendettement", "evenements.3.date", "2026-13-01", "$.evenements[3].date"),
    ("injonction-2026", "debiteur.syndic.siren", "402111331", "$.debiteur.syndic.siren"),
]


def _set(data: Any, dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        data = data[int(part)] if part.isdigit() else data[part]
    last = parts[-1]
    data[int(last) if last.isdigit() else last] = value


@pytest.mark.parametrize(("name", "dotted", "bad", "json_path"), BROKEN)
def test_one_broken_field_exits_one_naming_its_path(
    tmp_path: Path, name: str, dotted: str, bad: str, json_path: str
) -> None:
    data = load_yaml(example_path(name))
    _set(data, dotted, bad)
    path = write_case(copy_example(name, tmp_path), data)
    result = run("validate", str(path), "--date", "2026-11-24")
    assert result.exit_code == 1
    assert json_path in result.output
    as_json = run("validate", str(path), "--date", "2026-11-24", "--json")
    assert as_json.exit_code == 1
    payload = json.loads(as_json.output)
    assert payload["valide"] is False
    assert any(p["chemin"] == json_path and p["correction"] for p in payload["problemes"])


def test_usage_errors_exit_two(tmp_path: Path) -> None:
    assert run("validate", str(tmp_path / "absent.yaml")).exit_code == 2
    assert (
        run("validate", str(example_path("surendettement")), "--date", "24/11/2026").exit_code == 2
    )
    assert run("procedures", "show", "inconnue").exit_code == 2


def test_procedures_list_shows_every_procedure_and_version() -> None:
    result = run("procedures", "list", "--date", "2026-11-24", "--json")
    rows = {r["id"]: r for r in json.loads(result.output)["procedures"]}
    assert rows["injonction_de_payer_tc"]["version"] == 3
    assert rows["mise_en_demeure_professionnel"]["version"] == 2
    text = run("procedures", "list", "--date", "2026-11-24").output
    assert "injonction_de_payer_europeenne" in text


def test_procedures_show_lists_the_three_regimes() -> None:
    result = run("procedures", "show", "injonction_de_payer_tj", "--date", "2026-08-05")
    assert result.exit_code == 0
    assert "2020-01-01 → 2022-02-28" in result.output
    assert "2022-03-01 → 2026-08-31" in result.output
    assert "2026-09-01 → …" in result.output
    data = json.loads(
        run(
            "procedures", "show", "injonction_de_payer_tj", "--date", "2026-08-05", "--json"
        ).output
    )
    assert data["version"] == 2
    assert "$.pieces" in data["champs_exiges"]


def test_schema_prints_the_effective_schema() -> None:
    schema = json.loads(run("schema", "injonction_de_payer_tc", "--date", "2026-11-24").output)
    assert schema["$schema"].endswith("2020-12/schema")
    assert any("pieces" in part.get("required", []) for part in schema["allOf"])
    # Self-contained: validates an example without access to schemas/ (no registry given).
    from jsonschema import Draft202012Validator

    assert {"situation", "plan"} <= set(schema["$defs"])
    consumer = load_yaml(example_path("b2c-travaux-consommateur"))
    base = json.loads(run("schema").output)
    assert list(Draft202012Validator(base).iter_errors(consumer)) == []
    consumer["plan"]["montant_total"] = "abc"
    assert list(Draft202012Validator(base).iter_errors(consumer))


def test_deadlines_json_and_ics(tmp_path: Path) -> None:
    ics = tmp_path / "delais.ics"
    result = run(
        "deadlines",
        str(EXAMPLES / "injonction-2026"),
        "--au",
        "2026-11-24",
        "--json",
        "--ics",
        str(ics),
    )
    assert result.exit_code == 0
    found = {d["id"]: d for d in json.loads(result.output)["delais"]}
    assert found["signification_ordonnance"]["date_limite"] == "2027-01-05"
    assert found["opposition"]["date_limite"] == "2026-11-20"
    from icalendar import Calendar

    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert events
    assert all(e.walk("VALARM") for e in events)


def test_console_script_runs_in_a_subprocess() -> None:
    exe = shutil.which("actes") or str(Path(sys.executable).parent / "actes")
    done = subprocess.run(
        [
            exe,
            "validate",
            str(example_path("b2b-factures-impayees")),
            "--date",
            "2026-11-24",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["valide"] is True
    bad = subprocess.run(
        [exe, "validate", str(example_path("b2b-factures-impayees")), "--date", "2026-01-01"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cut=st.integers(min_value=0, max_value=3000), noise=st.binary(max_size=40))
def test_truncated_or_noisy_input_never_gives_a_traceback(
    tmp_path: Path, cut: int, noise: bytes
) -> None:
    source = example_path("b2b-factures-impayees").read_bytes()
    path = tmp_path / "dossier.yaml"
    path.write_bytes(source[:cut] + noise)
    result = CliRunner().invoke(main, ["validate", str(path), "--date", "2026-11-24"])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@settings(max_examples=60, deadline=None)
@given(
    value=st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=12,
    )
)
def test_random_documents_never_give_a_traceback(value: Any) -> None:
    from actes.cases.case import issues_of

    data = load_yaml(example_path("b2b-factures-impayees"))
    for key in ("creancier", "creances", "paiements", "evenements", "format_version"):
        broken = dict(data)
        broken[key] = value
        issues_of(broken, folder=EXAMPLES / "b2b-factures-impayees")
    issues_of(value)


def test_missing_case_data_for_a_document_exits_one(tmp_path: Path) -> None:
    # The requête needs the court's name: a fixable case-data problem (1), not a broken
    # installation (3); nothing is written.
    # (The example's plan is accelerated first: while it runs the requête is refused.)
    out = tmp_path / "out"
    data = load_yaml(example_path("b2c-travaux-consommateur"))
    data["plan"]["suivi"] = [{"type": "notification_decheance", "date": "2026-11-20"}]
    folder = tmp_path / "b2c"
    shutil.copytree(EXAMPLES / "b2c-travaux-consommateur", folder)
    write_case(folder / "dossier.yaml", data)
    result = run(
        "render",
        "injonction_de_payer_tj",
        str(folder),
        "-o",
        str(out),
        "--date",
        "2026-11-24",
    )
    assert result.exit_code == 1
    assert "juridiction" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_public_api_facade() -> None:
    import datetime as dt

    import actes

    assert set(actes.__all__) <= set(dir(actes)) | {"__version__"}
    au = dt.date(2026, 11, 24)
    case = actes.load_case(example_path("b2b-factures-impayees"), au=au)
    assert str(actes.decompte_for_case(case, au).total_due) == "6327.33"
    with pytest.raises(AttributeError):
        _ = actes.not_a_function

"""Hostile case files: refused with a French message naming the field, never a corrupt,
truncated or silently changed document, and one bad case never takes the others down.

The files are kept in tests/fixtures/hostile/ (``valide.yaml`` / ``valide.json`` are the
sound case they are variations of).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from actes._io import MAX_DOCUMENT_BYTES, load_document, parse_document
from actes.cases.case import load_case, validate_data
from actes.cli import main
from actes.errors import ActesError, CaseError, InputError
from actes.web import create_app
from actes.web.casefile import dump_case

from .conftest import AU, EXAMPLES, docx_text
from .test_batch import HEADER, creditor, row, write_csv  # noqa: F401 - creditor: fixture
from .test_web import form_fields

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
DATE = "2026-12-01"
MED = "mise_en_demeure_professionnel"
REFUSED = sorted(
    p.name
    for p in HOSTILE.iterdir()
    # A render of a fixture in place leaves its history journal (.actes/) beside it.
    if not p.stem.startswith("valide") and not p.name.startswith(".")
)


@contextlib.contextmanager
def refused(kind: type[ActesError], *words: str) -> Iterator[None]:
    """The block raises ``kind`` whose full report (issues included) holds ``words``."""
    with pytest.raises(kind) as caught:
        yield
    report = caught.value.format()
    for word in words:
        assert word in report, report


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def hostile_copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copy(HOSTILE / name, target)
    return target


# --------------------------------------------------------------------------- 1, 3: controls


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("controle-tab-vertical.yaml", "U+000B"),
        ("controle-nul.yaml", "U+0000"),
        ("controle-bel.yaml", "U+0007"),
        ("controle-us.yaml", "U+001F"),
        ("non-caractere-fffe.yaml", "U+FFFE"),
        ("nel-echappe.yaml", "U+0085"),
    ],
)
def test_control_character_is_refused_alike_by_render_and_batch(
    name: str, code: str, tmp_path: Path
) -> None:
    case = hostile_copy(name, tmp_path)
    rendered = CliRunner().invoke(
        main, ["render", MED, str(case), "-o", str(tmp_path / "r"), "--date", DATE]
    )
    assert rendered.exit_code == 1, rendered.output
    assert "$.debiteur.denomination" in rendered.output and code in rendered.output
    assert not (tmp_path / "r").exists() or not list((tmp_path / "r").iterdir())
    folder = tmp_path / "portefeuille"
    folder.mkdir()
    shutil.copy(case, folder / name)
    batch = CliRunner().invoke(
        main, ["batch", MED, str(folder), "-o", str(tmp_path / "b"), "--date", DATE]
    )
    assert batch.exit_code == 1, batch.output
    errors = list(read_csv(tmp_path / "b" / "errors.csv"))
    assert [(e["chemin"], code in e["message"]) for e in errors] == [
        ("$.debiteur.denomination", True)
    ]
    manifest = (tmp_path / "b" / "manifest.csv").read_text(encoding="utf-8-sig")
    assert manifest.strip() == "fichier;sha256;octets;dossier;lignes"
    assert not list((tmp_path / "b").glob("*.docx"))


def test_control_character_in_a_csv_cell_is_refused_by_batch(
    tmp_path: Path,
    creditor: Path,  # noqa: F811 - pytest fixture
) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        [row("A1", "FA-1", debiteur_denomination="Client\x0bA1"), row("A2", "FA-2")],
    )
    outdir = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["batch", MED, str(path), "-o", str(outdir), "--creancier", str(creditor), "--date", DATE],
    )
    assert result.exit_code == 1, result.output
    errors = list(read_csv(outdir / "errors.csv"))
    assert [(e["dossier"], e["colonne"]) for e in errors] == [("A1", "debiteur_denomination")]
    assert "U+000B" in errors[0]["message"]
    (document,) = outdir.glob("*.docx")
    assert "Client A2 & Cie" in docx_text(document)


@pytest.mark.parametrize("name", ["valide.yaml", "valide.json"])
def test_render_and_batch_give_the_same_valid_document(name: str, tmp_path: Path) -> None:
    case = hostile_copy(name, tmp_path)
    result = CliRunner().invoke(
        main, ["render", MED, str(case), "-o", str(tmp_path / "r"), "--date", DATE]
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "portefeuille"
    folder.mkdir()
    shutil.copy(case, folder / name)
    result = CliRunner().invoke(
        main, ["batch", MED, str(folder), "-o", str(tmp_path / "b"), "--date", DATE]
    )
    assert result.exit_code == 0, result.output
    (single,) = (tmp_path / "r").glob("*.docx")
    (batched,) = (tmp_path / "b").glob("*.docx")
    text = docx_text(single)
    assert text == docx_text(batched)
    for expected in (
        "Atelier Bellecour",
        "45 avenue Roger Salengro",
        "4\u202f320,00",
        "Hélène Dupont",
    ):
        assert expected in text


# --------------------------------------------------------------------------- 2: text


def test_lone_surrogate_is_refused_at_validation(tmp_path: Path) -> None:
    result = run("validate", str(hostile_copy("surrogat.json", tmp_path)), "--json")
    assert result.exit_code == 1
    problem = json.loads(result.output)["problemes"][0]
    assert problem["chemin"] == "$.debiteur.denomination"
    assert "U+D800" in problem["message"]


def test_overlong_text_is_refused_not_truncated(tmp_path: Path) -> None:
    with refused(CaseError, "texte trop long : 2001 caractères"):
        load_case(HOSTILE / "texte-trop-long.yaml", au=AU)
    data = yaml.safe_load((HOSTILE / "valide.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "enorme.yaml"
    text = (HOSTILE / "valide.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("objet: Factures", "objet: " + "x" * 50_000_000), "utf-8")
    with refused(InputError, "trop volumineux : 5 Mo"):
        load_case(path, au=AU)
    data["objet"] = "x" * (MAX_DOCUMENT_BYTES // 2)
    with refused(CaseError, "$.objet", "texte trop long : 2621440 caractères (au plus 2000)"):
        validate_data(data, au=AU)


def test_note_may_hold_lines_but_a_name_may_not(tmp_path: Path) -> None:
    data = yaml.safe_load((HOSTILE / "valide.yaml").read_text(encoding="utf-8"))
    data["evenements"][0]["note"] = "Appel du gérant :\n\tpromet un virement."
    validate_data(data, au=AU)
    data["debiteur"]["denomination"] = "Atelier\nBellecour"
    with refused(CaseError, "$.debiteur.denomination", "saut de ligne"):
        validate_data(data, au=AU)


# --------------------------------------------------------------------------- 4: amounts


def test_yaml_float_with_three_decimals_is_refused_like_the_string(tmp_path: Path) -> None:
    with pytest.raises(CaseError) as as_float:
        load_case(HOSTILE / "montant-trois-decimales.yaml", au=AU)
    quoted = tmp_path / "quoted.yaml"
    quoted.write_text(
        (HOSTILE / "montant-trois-decimales.yaml")
        .read_text(encoding="utf-8")
        .replace("montant: 12.345", 'montant: "12.345"'),
        encoding="utf-8",
    )
    with pytest.raises(CaseError) as as_string:
        load_case(quoted, au=AU)
    (float_issue,) = as_float.value.issues
    (string_issue,) = as_string.value.issues
    assert (float_issue.json_path, float_issue.message, float_issue.hint) == (
        string_issue.json_path,
        string_issue.message,
        string_issue.hint,
    )
    assert float_issue.message == "« 12.345 » ne correspond pas au format attendu"


def test_float_amounts_are_read_exactly(tmp_path: Path) -> None:
    text = (HOSTILE / "valide.yaml").read_text(encoding="utf-8")
    path = tmp_path / "f.yaml"
    path.write_text(text.replace('montant: "4320.00"', "montant: 4320.1"), encoding="utf-8")
    assert str(load_case(path, au=AU).creances[0].montant) == "4320.10"
    path.write_text(text.replace('montant: "4320.00"', "montant: 12.3400000000000001"), "utf-8")
    with refused(InputError, "ne peut pas être lu exactement"):
        load_case(path, au=AU)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("montant-nan.yaml", "valeur non numérique « .nan »"),
        ("montant-inf.yaml", "valeur non numérique « .inf »"),
        ("montant-nan.json", "valeur non numérique « NaN »"),
        ("montant-octal.yaml", "nombre « 0100 » ambigu"),
        ("montant-27-chiffres.yaml", "nombre de 27 chiffres avant la virgule"),
        ("montant-27-chiffres.json", "nombre de 27 chiffres avant la virgule"),
        ("montant-40-chiffres-nombre.yaml", "nombre de 40 chiffres avant la virgule"),
        ("nombre-5000-chiffres.yaml", "nombre de 5000 caractères"),
        ("nombre-5000-chiffres.json", "nombre de 5000 caractères"),
        ("profond.json", "imbrication trop profonde"),
        ("profond.yaml", "imbrication trop profonde"),
        ("piece-nul.yaml", "U+0000"),
    ],
)
@pytest.mark.parametrize("command", ["validate", "decompte", "render", "next", "deadlines"])
def test_every_command_reports_a_bad_number_in_french(
    name: str, message: str, command: str, tmp_path: Path
) -> None:
    case = str(HOSTILE / name)
    args = {
        "validate": ["validate", case, "--date", DATE],
        "decompte": ["decompte", case, "--au", DATE],
        "render": ["render", MED, case, "-o", str(tmp_path / "o"), "--date", DATE],
        "next": ["next", case, "--au", DATE],
        "deadlines": ["deadlines", case, "--au", DATE],
    }[command]
    plain = run(*args)
    assert plain.exit_code == 1 and message in plain.output, plain.output
    assert plain.exception is None or isinstance(plain.exception, SystemExit)
    as_json = run(*args, "--json") if command != "render" else None
    if as_json is not None:
        assert as_json.exit_code == 1
        assert message in json.dumps(json.loads(as_json.output), ensure_ascii=False)


# --------------------------------------------------------------------------- 5: web save


def test_web_form_refuses_nel_and_writes_nothing(tmp_path: Path) -> None:
    cases = tmp_path / "affaires"
    shutil.copytree(EXAMPLES / "b2b-factures-impayees", cases / "b2b")
    path = cases / "b2b" / "dossier.yaml"
    before = path.read_bytes()
    with create_app(cases, au=AU, secret_key="t").test_client() as client:
        fields = form_fields(client.get("/dossier/b2b/modifier").get_data(as_text=True))
        fields["objet"] = "Factures\x85impayées"
        response = client.post("/dossier/b2b/modifier", data=fields)
        html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "U+0085" in html and "Dossier enregistré" not in html
    assert path.read_bytes() == before


def test_dump_case_never_returns_a_text_that_reads_back_differently(tmp_path: Path) -> None:
    for value in ("a\x85b", "\u2028", {"\x85": None}):
        data = {"objet": value}
        written = dump_case(data, tmp_path / "d.yaml", "objet: ancien  # note\n")
        assert parse_document(written, "d.yaml") == data
    with refused(InputError, "Rien n'a été écrit"):
        dump_case({"montant": float("nan")}, tmp_path / "d.yaml", None)


# --------------------------------------------------------------------------- 9: one bad case


NAN_CASE = "montant-nan.yaml"


def test_web_list_shows_a_broken_case_on_its_row(tmp_path: Path) -> None:
    cases = tmp_path / "affaires"
    shutil.copytree(EXAMPLES / "b2b-factures-impayees", cases / "b2b")
    for name in (NAN_CASE, "surrogat.json", "billion-laughs.yaml", "montant-27-chiffres.yaml"):
        folder = cases / Path(name).stem
        folder.mkdir()
        shutil.copy(HOSTILE / name, folder / ("dossier" + Path(name).suffix))
    client: FlaskClient = create_app(cases, au=AU, secret_key="t").test_client()
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    good = re.search(r'<tr data-dossier="b2b">(.*?)</tr>', html, re.S)
    assert good and "Atelier Bellecour" in good.group(1)
    for key, words in (
        ("montant-nan", "non numérique"),
        ("surrogat", "U+D800"),
        ("billion-laughs", "alias"),
        ("montant-27-chiffres", "27 chiffres"),
    ):
        bad = re.search(rf'<tr class="invalide" data-dossier="{key}">(.*?)</tr>', html, re.S)
        assert bad and words in bad.group(1), key
    assert client.get("/dossier/montant-nan").status_code in (200, 422)


def test_web_form_refuses_a_forty_digit_amount(tmp_path: Path) -> None:
    cases = tmp_path / "affaires"
    shutil.copytree(EXAMPLES / "b2b-factures-impayees", cases / "b2b")
    path = cases / "b2b" / "dossier.yaml"
    before = path.read_bytes()
    with create_app(cases, au=AU, secret_key="t").test_client() as client:
        fields = form_fields(client.get("/dossier/b2b/modifier").get_data(as_text=True))
        amount = next(k for k in fields if k.endswith("montant") and "creances" in k)
        fields[amount] = "1" + "0" * 39
        response = client.post("/dossier/b2b/modifier", data=fields)
        assert response.status_code == 422
        assert "40 chiffres" in response.get_data(as_text=True)
        assert path.read_bytes() == before
        assert client.get("/").status_code == 200


def test_worklist_and_folder_batch_continue_past_bad_cases(tmp_path: Path) -> None:
    folder = tmp_path / "affaires"
    shutil.copytree(EXAMPLES / "b2c-travaux-consommateur", folder / "b2c")
    for name in REFUSED:
        shutil.copy(HOSTILE / name, folder / name)
    shutil.copy(HOSTILE / "valide.yaml", folder / "valide.yaml")
    status = run("plan", "status", str(folder), "--au", "2027-06-15", "--json")
    assert status.exit_code == 0, status.output
    report = json.loads(status.output)
    # The worklist reads */dossier.yaml and *.yaml files.
    expected = sorted(n for n in REFUSED if n.endswith(".yaml"))
    assert sorted(Path(e["fichier"]).name for e in report["erreurs"]) == expected
    assert [Path(p["fichier"]).parent.name for p in report["plans"]] == ["b2c"]
    outdir = tmp_path / "sortie"
    batch = run("batch", MED, str(folder), "-o", str(outdir), "--date", DATE)
    assert batch.exit_code == 1
    rejected = {Path(e["source"]).name for e in read_csv(outdir / "errors.csv")}
    assert set(REFUSED) <= rejected
    (document,) = outdir.glob("HOST-valide-*.docx")
    assert "Atelier Bellecour" in docx_text(document)


# --------------------------------------------------------------------------- 10, 11: readers


def test_billion_laughs_is_refused() -> None:
    with refused(InputError, "alias YAML"):
        load_document(HOSTILE / "billion-laughs.yaml")
    with refused(InputError, "se contient elle-même"):
        parse_document("a: &x [1, *x]\n", "x.yaml")
    assert parse_document("a: &s {x: 1}\nb: *s\n", "x.yaml") == {"a": {"x": 1}, "b": {"x": 1}}


def test_shared_structures_from_other_sources_are_refused_before_the_schema() -> None:
    layer: list[object] = ["lol"] * 9
    for _ in range(8):
        layer = [layer] * 9
    data = yaml.safe_load((HOSTILE / "valide.yaml").read_text(encoding="utf-8"))
    data["objet"] = layer
    with refused(CaseError, "alias YAML"):
        validate_data(data, au=AU)


def test_pipe_and_device_are_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "dossier.yaml"
    os.mkfifo(fifo)
    with refused(InputError, "pas un fichier ordinaire"):
        load_case(fifo, au=AU)
    with refused(InputError, "pas un fichier ordinaire"):
        load_document(Path("/dev/zero"))
    result = run("validate", str(fifo), "--json")
    assert result.exit_code == 1 and json.loads(result.output)["erreur"] == "InputError"


# --------------------------------------------------------------------------- 12: property


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    name=st.sampled_from(sorted(p.name for p in HOSTILE.iterdir())),
    command=st.sampled_from(["validate", "decompte", "render"]),
    as_json=st.booleans(),
)
@example(name="billion-laughs.yaml", command="render", as_json=False)
@example(name="surrogat.json", command="decompte", as_json=True)
def test_any_hostile_file_gives_an_exit_code_and_a_message(
    name: str, command: str, as_json: bool, tmp_path: Path
) -> None:
    case = str(HOSTILE / name)
    args = {
        "validate": ["validate", case, "--date", DATE],
        "decompte": ["decompte", case, "--au", DATE],
        "render": ["render", MED, case, "-o", str(tmp_path / "o"), "--date", DATE],
    }[command]
    if as_json and command != "render":
        args.append("--json")
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    assert result.output.strip()
    if as_json and command != "render":
        json.loads(result.output)
    if name.startswith("valide"):
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1, result.output


def test_web_form_yaml_field_is_read_with_the_bounded_reader(tmp_path: Path) -> None:
    """A YAML field typed in the form goes through the case reader (alias bound), not a
    plain yaml.safe_load: a billion-laughs in it is refused at once and nothing is written."""
    cases = tmp_path / "affaires"
    shutil.copytree(EXAMPLES / "b2b-factures-impayees", cases / "b2b")
    path = cases / "b2b" / "dossier.yaml"
    before = path.read_bytes()
    levels = ['a: &a ["l","l","l","l","l","l","l","l","l"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    bomb = "\n".join(levels) + "\n"
    with create_app(cases, au=AU, secret_key="t").test_client() as client:
        fields = form_fields(client.get("/dossier/b2b/modifier").get_data(as_text=True))
        rate = next(k for k in fields if k.endswith("taux_contractuel") and "creances" in k)
        fields[rate] = bomb
        response = client.post("/dossier/b2b/modifier", data=fields)
        assert response.status_code == 422
        assert "YAML illisible" in response.get_data(as_text=True)
        assert path.read_bytes() == before

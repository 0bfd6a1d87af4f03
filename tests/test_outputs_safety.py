"""Outputs: never over a case's own files, never a half-written file, never a formula in a
spreadsheet cell, never a traceback when the disk refuses a write, and a packet with two
entries of the same name is not « intacte ».

Exit code of an output that cannot be written (path refused, folder not writable, disk
full): 2, with a French message on stderr, or a JSON error on stdout with ``--json``
(README, "Commands").
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import stat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from actes.cli import main
from actes.documents.packet import MANIFEST, build_packet
from actes.portfolio.csvsafe import safe_cell, safe_row

from .conftest import docx_text
from .test_batch import creditor as creditor
from .test_batch import row, write_csv
from .test_packet import _record_2026_s2

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
DATE = "2026-12-01"
MED = "mise_en_demeure_professionnel"
PLAN_DAY = "2026-12-15"  # the b2c example's plan has an unpaid instalment (2026-11-10)

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) absent",
)


# --------------------------------------------------------------------------- helpers


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_refused(result: Result, code: int, *words: str) -> None:
    """Exit ``code``, a French message holding ``words``, no traceback."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    for word in words:
        assert word in result.output, result.output


def assert_json_error(result: Result, code: int, kind: str, *words: str) -> dict[str, Any]:
    """``--json``: the error is a JSON object on stdout, in the shape of every error."""
    assert result.exit_code == code, result.output
    report = json.loads(result.stdout)
    assert set(report) >= {"erreur", "message", "correction", "problemes"}, report
    assert report["erreur"] == kind, report
    for word in words:
        assert word in report["message"] + report["correction"], report
    assert "Traceback" not in result.output
    return report


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with its SHA-256 (temporary files included)."""
    return {
        str(p.relative_to(folder)): digest(p) for p in sorted(folder.rglob("*")) if p.is_file()
    }


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]


@pytest.fixture
def b2c(tmp_path: Path) -> Path:
    """A copy of the consumer example (with its pièces and a plan) in a folder of cases."""
    target = tmp_path / "dossiers" / "b2c"
    shutil.copytree(EXAMPLES / "b2c-travaux-consommateur", target)
    return target


@pytest.fixture
def valid_case(tmp_path: Path) -> Path:
    target = tmp_path / "affaire"
    target.mkdir()
    shutil.copy(HOSTILE / "valide.yaml", target / "dossier.yaml")
    return target / "dossier.yaml"


@pytest.fixture
def devnull() -> Iterator[Path]:
    """``/dev/null`` as an output; the test fails (and the device is put back) if it was
    replaced: run as root, a rename over it would have destroyed it."""
    path = Path("/dev/null")
    yield path
    if not stat.S_ISCHR(os.stat(path).st_mode):  # pragma: no cover - the bug itself
        if os.geteuid() == 0:
            path.unlink()
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
            os.chmod(path, 0o666)
        pytest.fail("/dev/null a été remplacé par un fichier ordinaire")


def enospc(monkeypatch: pytest.MonkeyPatch, *, after: int = 0) -> None:
    """The disk is full: the ``after``-th rename onward fails with ENOSPC (and fsync too
    once it does), like a write that cannot complete."""
    real_replace = os.replace
    calls = {"n": 0}

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] > after:
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        real_replace(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


# --------------------------------------------------------------------------- 6: own files


def _protected_cases(case: Path) -> list[tuple[str, Callable[[Path], list[str | Path]], Path]]:
    folder = case.parent
    exhibit = folder / "pieces" / "facture-F-2026-0412.pdf"
    return [
        ("ics-case", lambda c: ["deadlines", c, "--ics", c, "--au", PLAN_DAY], case),
        ("ics-piece", lambda c: ["deadlines", c, "--ics", exhibit, "--au", PLAN_DAY], exhibit),
        (
            "ics-in-pieces",
            lambda c: ["deadlines", c, "--ics", folder / "pieces/x.ics", "--au", PLAN_DAY],
            folder / "pieces",
        ),
        ("packet-case", lambda c: ["packet", MED, c, "-o", c, "--date", DATE], case),
        ("packet-piece", lambda c: ["packet", MED, c, "-o", exhibit, "--date", DATE], exhibit),
        (
            "status-csv-case",
            lambda c: ["plan", "status", c, "--csv", c, "--au", PLAN_DAY],
            case,
        ),
        (
            "status-csv-piece",
            lambda c: ["plan", "status", folder.parent, "--csv", exhibit, "--au", PLAN_DAY],
            exhibit,
        ),
        (
            "status-csv-case-of-dir",
            lambda c: ["plan", "status", folder.parent, "--csv", c, "--au", PLAN_DAY],
            case,
        ),
        (
            "render-in-pieces",
            lambda c: ["render", MED, c, "-o", folder / "pieces", "--date", DATE],
            folder / "pieces",
        ),
        (
            "lettre-in-pieces",
            lambda c: ["plan", "lettre", c, "-o", folder / "pieces/sortie", "--date", PLAN_DAY],
            folder / "pieces",
        ),
        (
            "batch-in-pieces",
            lambda c: ["batch", MED, folder.parent, "-o", folder / "pieces", "--date", DATE],
            folder / "pieces",
        ),
    ]


@pytest.mark.parametrize(
    "key",
    [
        "ics-case",
        "ics-piece",
        "ics-in-pieces",
        "packet-case",
        "packet-piece",
        "status-csv-case",
        "status-csv-piece",
        "status-csv-case-of-dir",
        "render-in-pieces",
        "lettre-in-pieces",
        "batch-in-pieces",
    ],
)
def test_an_output_never_replaces_the_case_or_its_pieces(b2c: Path, key: str) -> None:
    case = b2c / "dossier.yaml"
    (name, command, _guarded) = next(c for c in _protected_cases(case) if c[0] == key)
    before = tree(b2c.parent)
    result = run(*command(case))
    assert_refused(result, 2, "rien n'a été écrit")
    assert "pièce" in result.output
    assert tree(b2c.parent) == before, name  # nothing written, nothing replaced
    as_json = run(*command(case), "--json")
    if key.startswith(("render", "lettre")):  # no --json option on these commands
        assert as_json.exit_code == 2
    else:
        assert_json_error(as_json, 2, "OutputProblem", "rien n'a été écrit")
    assert tree(b2c.parent) == before


def test_an_output_next_to_the_case_is_still_allowed(b2c: Path, tmp_path: Path) -> None:
    ics = b2c / "delais.ics"
    result = run("deadlines", b2c, "--ics", ics, "--au", PLAN_DAY)
    assert result.exit_code == 0, result.output
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")


# --------------------------------------------------------------------------- 12: write failures


def test_dev_null_is_never_replaced(devnull: Path, b2c: Path, valid_case: Path) -> None:
    case = b2c / "dossier.yaml"
    for command in (
        ["deadlines", case, "--ics", devnull, "--au", PLAN_DAY],
        ["plan", "status", b2c.parent, "--csv", devnull, "--au", PLAN_DAY],
        ["packet", MED, valid_case, "-o", devnull, "--date", DATE],
    ):
        result = run(*command)
        assert_refused(result, 2, "/dev/null", "fichier ordinaire", "rien n'a été écrit")
        assert_json_error(run(*command, "--json"), 2, "OutputProblem", "fichier ordinaire")
    for command in (
        ["render", MED, valid_case, "-o", devnull, "--date", DATE],
        ["plan", "lettre", case, "-o", devnull, "--date", PLAN_DAY],
        ["batch", MED, valid_case.parent, "-o", devnull, "--date", DATE],
    ):
        result = run(*command)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert "dossier" in result.output and "/dev/null" in result.output


def test_an_output_file_name_that_is_a_folder(b2c: Path, tmp_path: Path) -> None:
    folder = tmp_path / "sortie"
    folder.mkdir()
    case = b2c / "dossier.yaml"
    for command in (
        ["deadlines", case, "--ics", folder, "--au", PLAN_DAY],
        ["plan", "status", b2c.parent, "--csv", folder, "--au", PLAN_DAY],
        ["packet", MED, case, "-o", folder, "--date", DATE],
    ):
        result = run(*command)
        assert_refused(result, 2, "est un dossier, un fichier était attendu")
        assert "Error" not in result.output and "Usage:" not in result.output
        assert_json_error(run(*command, "--json"), 2, "UsageProblem", "est un dossier")
    assert list(folder.iterdir()) == []


def test_an_output_folder_that_is_a_file(valid_case: Path, tmp_path: Path) -> None:
    taken = tmp_path / "sortie.txt"
    taken.write_text("à garder", encoding="utf-8")
    result = run("render", MED, valid_case, "-o", taken, "--date", DATE)
    assert_refused(result, 2, "un dossier")
    assert taken.read_text(encoding="utf-8") == "à garder"


def test_render_on_a_full_disk_writes_nothing(
    valid_case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    enospc(monkeypatch)
    result = run("render", MED, valid_case, "-o", out, "--date", DATE)
    assert_refused(result, 2, "disque plein", "rien n'a été écrit", "libérez de la place")
    assert not out.exists() or list(out.iterdir()) == []


def test_render_never_leaves_half_a_set_of_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two documents (requête and bordereau); the second rename fails: the first is
    removed, so the folder never holds a requête without its bordereau."""
    case = tmp_path / "b2b"
    shutil.copytree(EXAMPLES / "b2b-factures-impayees", case)
    out = tmp_path / "out"
    fine = run("render", "injonction_de_payer_tc", case, "-o", tmp_path / "ok", "--date", DATE)
    assert fine.exit_code == 0, fine.output
    assert len(list((tmp_path / "ok").glob("*.docx"))) == 2
    assert "tribunal des activités économiques" in docx_text(
        sorted((tmp_path / "ok").glob("*requete*"))[0]
    )
    enospc(monkeypatch, after=1)
    result = run("render", "injonction_de_payer_tc", case, "-o", out, "--date", DATE)
    assert_refused(result, 2, "disque plein")
    assert list(out.iterdir()) == []


def test_render_full_disk_with_json(
    valid_case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``render`` has no --json option; ``deadlines --ics`` has: its JSON error."""
    enospc(monkeypatch)
    ics = tmp_path / "delais.ics"
    result = run("deadlines", valid_case, "--ics", ics, "--au", DATE, "--json")
    assert_json_error(result, 2, "OutputProblem", "disque plein", str(ics))
    assert not ics.exists() and leftovers(tmp_path) == []


def test_a_folder_not_writable(
    valid_case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EACCES when the temporary file is created (what a read-only folder gives a user
    who is not root): French message, exit 2."""
    import tempfile

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    out = tmp_path / "out"
    result = run("render", MED, valid_case, "-o", out, "--date", DATE)
    assert_refused(result, 2, "permission refusée", "rien n'a été écrit")
    assert "Permission denied" not in result.output
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_folder(valid_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "lecture-seule"
    out.mkdir()
    out.chmod(0o500)
    try:
        result = run("render", MED, valid_case, "-o", out, "--date", DATE)
        assert_refused(result, 2, "permission refusée")
        ics = run("deadlines", valid_case, "--ics", out / "d.ics", "--au", DATE, "--json")
        assert_json_error(ics, 2, "OutputProblem", "permission refusée")
        assert list(out.iterdir()) == []
    finally:
        out.chmod(0o700)


def test_plan_outputs_on_a_full_disk(
    b2c: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csv_file = tmp_path / "liste.csv"
    letters = tmp_path / "lettres"
    enospc(monkeypatch)
    status = run("plan", "status", b2c.parent, "--csv", csv_file, "--au", PLAN_DAY)
    assert_refused(status, 2, "disque plein", str(csv_file))
    status_json = run("plan", "status", b2c.parent, "--csv", csv_file, "--au", PLAN_DAY, "--json")
    assert_json_error(status_json, 2, "OutputProblem", "disque plein")
    letter = run("plan", "lettre", b2c, "-o", letters, "--date", PLAN_DAY)
    assert_refused(letter, 2, "disque plein")
    assert not csv_file.exists()
    assert not letters.exists() or list(letters.iterdir()) == []
    assert leftovers(tmp_path) == []


def test_batch_on_a_full_disk(
    tmp_path: Path,
    creditor: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    portfolio = write_csv(tmp_path / "p.csv", [row("A1", "FA-1"), row("A2", "FA-2")])
    out = tmp_path / "out"
    enospc(monkeypatch)
    args = ["batch", MED, portfolio, "-o", out, "--creancier", creditor, "--date", DATE, "-j", "1"]
    result = run(*args)
    assert_refused(result, 2, "disque plein")
    assert not list(out.glob("*.docx")) and not list(out.glob("*.tmp"))
    args[4] = tmp_path / "out-json"
    assert_json_error(run(*args, "--json"), 2, "OutputProblem", "disque plein")


def test_batch_never_writes_its_reports_over_the_portfolio(
    tmp_path: Path,
    creditor: Path,
) -> None:
    portfolio = write_csv(tmp_path / "errors.csv", [row("A1", "FA-1")])
    before = portfolio.read_bytes()
    result = run("batch", MED, portfolio, "-o", tmp_path, "--creancier", creditor, "--date", DATE)
    assert_refused(result, 2, "errors.csv", "rien n'a été écrit")
    assert portfolio.read_bytes() == before


@needs_soffice
def test_packet_on_a_full_disk(
    valid_case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "depot.zip"
    enospc(monkeypatch)
    result = run("packet", MED, valid_case, "-o", out, "--date", DATE, "--json")
    assert_json_error(result, 2, "OutputProblem", "disque plein")
    assert not out.exists() and leftovers(tmp_path) == []


# --------------------------------------------------------------------------- 7: duplicates


@pytest.fixture(scope="module")
def packet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) absent")
    workspace = _record_2026_s2(tmp_path_factory.mktemp("cabinet"))
    patch = pytest.MonkeyPatch()
    patch.setenv("ACTES_WORKSPACE", str(workspace))
    target = tmp_path_factory.mktemp("paquet") / "lj.zip"
    try:
        import datetime as dt

        build_packet(
            "declaration_de_creance",
            EXAMPLES / "liquidation-judiciaire/dossier.yaml",
            target,
            dt.date(2026, 11, 24),
        )
    finally:
        patch.undo()
    return target


def _with_entries(source: Path, target: Path, first: dict[str, bytes]) -> None:
    """A copy of ``source`` with ``first`` written before its own entries."""
    import warnings

    with (
        zipfile.ZipFile(source) as old,
        zipfile.ZipFile(target, "w") as new,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        for name, data in first.items():
            new.writestr(name, data)
        for info in old.infolist():
            new.writestr(info, old.read(info))


def _a_piece(archive: Path) -> str:
    with zipfile.ZipFile(archive) as zf:
        return next(n for n in zf.namelist() if n.startswith("pieces/"))


def test_verify_refuses_two_entries_of_the_same_name(packet: Path, tmp_path: Path) -> None:
    name = _a_piece(packet)
    altered = b"%PDF-1.4\n% document altere\n%%EOF\n"
    copy = tmp_path / "double.zip"
    _with_entries(packet, copy, {name: altered})
    with zipfile.ZipFile(copy) as zf:  # what `unzip -n` extracts: the first, altered one
        assert [i.filename for i in zf.infolist()].count(name) == 2
        assert zf.open(zf.infolist()[0]).read() == altered
    result = run("packet", "verify", copy)
    assert result.exit_code == 1, result.output
    assert "Archive intacte" not in result.output
    assert "Archive altérée" in result.output
    assert f"{name} : nom présent 2 fois dans l'archive" in result.output
    report = json.loads(run("packet", "verify", copy, "--json").stdout)
    assert report["valide"] is False
    assert any(p["fichier"] == name and "2 fois" in p["message"] for p in report["problemes"])
    # The untouched packet still passes.
    assert run("packet", "verify", packet).exit_code == 0


@pytest.mark.parametrize(
    ("variant", "words"),
    [
        ("case", "désigne le même fichier"),
        ("dot", "désigne le même fichier"),
        ("manifest", "2 fois"),
        ("extra", "absent du manifeste"),
    ],
)
def test_verify_refuses_names_that_collide_or_are_not_listed(
    packet: Path, tmp_path: Path, variant: str, words: str
) -> None:
    name = _a_piece(packet)
    with zipfile.ZipFile(packet) as zf:
        manifest = zf.read(MANIFEST)
    first = {
        "case": {name.upper(): b"autre"},
        "dot": {"./" + name: b"autre"},
        "manifest": {MANIFEST: manifest},
        "extra": {"pieces/00-ajout.pdf": b"%PDF-1.4\n%%EOF\n"},
    }[variant]
    copy = tmp_path / f"{variant}.zip"
    _with_entries(packet, copy, first)
    result = run("packet", "verify", copy)
    assert result.exit_code == 1, result.output
    assert words in result.output


# --------------------------------------------------------------------------- 8: formulas


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x.example","clic")', '\'=HYPERLINK("http://x.example","clic")'),
        ("=1+1", "'=1+1"),
        ("+33 1 23 45 67 89", "'+33 1 23 45 67 89"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-12.50", "-12.50"),  # a negative amount stays a number
        ("+3", "+3"),
        ("-0,5", "-0,5"),
        ("12.50", "12.50"),
        ("Atelier = Bellecour", "Atelier = Bellecour"),
        ("", ""),
    ],
)
def test_safe_cell(value: str, written: str) -> None:
    assert safe_cell(value) == written


def test_safe_row_keeps_numbers_and_none() -> None:
    assert safe_row([None, 3, "-4.20", "=A1"]) == ["", "3", "-4.20", "'=A1"]


def _raw_cells(path: Path) -> list[list[str]]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def test_errors_csv_neutralises_formulas(
    tmp_path: Path,
    creditor: Path,
) -> None:
    formula = '=HYPERLINK("http://x.example","payer")'
    portfolio = write_csv(
        tmp_path / "p.csv",
        [row(formula, "FA-1", amount="abc"), row("@A2", "FA-2", amount="-12.50"), row("A3", "F")],
    )
    out = tmp_path / "out"
    result = run("batch", MED, portfolio, "-o", out, "--creancier", creditor, "--date", DATE)
    assert result.exit_code == 1, result.output
    cells = [c for r in _raw_cells(out / "errors.csv")[1:] for c in r]
    assert "'" + formula in cells
    assert "'@A2" in cells
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
    assert not any(
        c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit() for c in cells
    )
    (document,) = out.glob("*.docx")
    assert "A3" in docx_text(document) or document.name.startswith("A3")


def test_plan_status_csv_neutralises_formulas(b2c: Path, tmp_path: Path) -> None:
    case = b2c / "dossier.yaml"
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    data["plan"]["reference"] = '=HYPERLINK("http://x.example","payer")'
    data["debiteur"]["prenoms"] = "@Claire"
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    target = tmp_path / "liste.csv"
    result = run("plan", "status", b2c.parent, "--csv", target, "--au", PLAN_DAY)
    assert result.exit_code == 0, result.output
    header, line = _raw_cells(target)
    cell = dict(zip(header, line, strict=True))
    assert cell["plan"] == '\'=HYPERLINK("http://x.example","payer")'
    assert cell["debiteur"] == "Mme @Claire MARTIN"  # not at the start: left as is
    assert cell["arriere"] == "360.00" and cell["solde"] == "3859.72"  # numbers untouched

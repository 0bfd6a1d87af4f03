"""``actes batch``: accounting of every row, resume after a kill, fast path = docxtpl, Dask."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner
from docxtpl import DocxTemplate

from actes._paths import templates_dir
from actes.cases.case import load_case
from actes.cli import main
from actes.documents.render import build_context, jinja_environment
from actes.law.procedures import load_registry
from actes.portfolio.batch import FastTemplate, LocalExecutor, run_batch

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "b2b-factures-impayees" / "dossier.yaml"
PROCEDURE = "mise_en_demeure_professionnel"
TEMPLATE = "courriers/mise_en_demeure_professionnel.docx"
AU = dt.date(2026, 11, 24)
DATE = AU.isoformat()
HEADER = [
    "debiteur_reference",
    "debiteur_qualite",
    "debiteur_denomination",
    "debiteur_forme_juridique",
    "debiteur_siren",
    "debiteur_adresse_ligne1",
    "debiteur_code_postal",
    "debiteur_ville",
    "creance_reference",
    "creance_date_emission",
    "creance_date_echeance",
    "creance_montant",
]


def row(ref: str, claim: str, amount: str = "1 200,00", **changes: str) -> list[str]:
    values = {
        "debiteur_reference": ref,
        "debiteur_qualite": "professionnel",
        "debiteur_denomination": f"Client {ref} & Cie",
        "debiteur_forme_juridique": "SARL",
        "debiteur_siren": "",
        "debiteur_adresse_ligne1": "3 rue Mercière",
        "debiteur_code_postal": "69002",
        "debiteur_ville": "Lyon",
        "creance_reference": claim,
        "creance_date_emission": "02/06/2026",
        "creance_date_echeance": "02/07/2026",
        "creance_montant": amount,
        **changes,
    }
    return [values[name] for name in HEADER]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    text = "\n".join(";".join(r) for r in [header, *rows]) + "\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return path


@pytest.fixture
def creditor(tmp_path: Path) -> Path:
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    path = tmp_path / "creancier.yaml"
    data = {"creancier": example["creancier"], "parametres": example["parametres"]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def manifest(outdir: Path) -> list[tuple[str, str]]:
    return sorted((r["fichier"], r["sha256"]) for r in read_csv(outdir / "manifest.csv"))


def texts(data: bytes) -> list[str]:
    """Paragraph and table-cell texts, headers and footers included (python-docx)."""
    document = docx.Document(io.BytesIO(data))
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        for table_row in table.rows:
            found.extend(cell.text for cell in table_row.cells)
    for section in document.sections:
        for part in (section.header, section.footer):
            found.extend(p.text for p in part.paragraphs)
    return found


# --------------------------------------------------------------------------- fast path


def test_fast_path_has_the_text_of_plain_docxtpl() -> None:
    case = load_case(EXAMPLE, au=AU)
    version = load_registry().get(PROCEDURE).for_case(case, AU)
    context = {**build_context(version, case, AU), "document": {"titre": "Mise en demeure"}}
    path = templates_dir() / TEMPLATE
    plain = DocxTemplate(path)
    plain.render(context, jinja_environment(), autoescape=True)
    buffer = io.BytesIO()
    plain.save(buffer)
    template = FastTemplate(path)
    assert template.fast
    fast = template.render(context)
    expected = texts(buffer.getvalue())
    assert texts(fast) == expected
    assert any("Atelier Bellecour" in text for text in expected)
    assert any("Dupont & Fils" in text for text in expected)
    # The untouched members are the template's bytes, compressed data included.
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(io.BytesIO(fast)) as result:
        assert result.testzip() is None
        assert result.namelist() == source.namelist()
        assert "word/footer1.xml" in template.rendered_parts
        for info in source.infolist():
            if info.filename not in template.rendered_parts:
                copied = result.getinfo(info.filename)
                assert (copied.CRC, copied.compress_size) == (info.CRC, info.compress_size)
                assert result.read(info.filename) == source.read(info.filename)
    assert template.render(context) == fast


def _shipped_plans() -> dict[str, tuple[str, str]]:
    """Each template a bundled example renders: (example, procedure)."""
    from actes.documents.render import plan_documents
    from actes.errors import ActesError

    found: dict[str, tuple[str, str]] = {}
    for example in sorted((ROOT / "examples").glob("*/dossier.yaml")):
        for procedure in load_registry():
            try:
                case = load_case(example, au=AU)
                version = procedure.for_case(case, AU)
                case = load_case(example, au=AU, extra_schema=version.case_schema)
                plan = plan_documents(procedure.id, case, AU)
            except ActesError:
                continue
            for _, template, _ in plan.documents:
                found.setdefault(template.name, (example.parent.name, procedure.id))
    return found


SHIPPED = _shipped_plans()


@pytest.mark.parametrize("template_name", sorted(SHIPPED))
def test_fast_path_makes_docxtpl_xml_for_every_shipped_template(template_name: str) -> None:
    from lxml import etree

    from actes.documents.render import plan_documents

    example, procedure_id = SHIPPED[template_name]
    case = load_case(ROOT / "examples" / example / "dossier.yaml", au=AU)
    version = load_registry().get(procedure_id).for_case(case, AU)
    case = load_case(case.path, au=AU, extra_schema=version.case_schema)  # type: ignore[arg-type]
    plan = plan_documents(procedure_id, case, AU)
    spec, path = next((s, t) for s, t, _ in plan.documents if t.name == template_name)
    context = plan.context_for(spec)
    template = FastTemplate(path)
    assert template.fast
    assert not template.fixes_tables  # no shipped template changes the cells of a row
    # Each rendered part is, string for string, what docxtpl's render_xml_part returns.
    reference = DocxTemplate(path)
    reference.init_docx()
    for name in template.rendered_parts:
        part = template._body if name == "word/document.xml" else template._parts[name]
        expected = reference.render_xml_part(part.source, part.part, dict(context), template._env)
        assert template.render_part(name, context) == expected, name
    # The whole document: same body as plain docxtpl's, same text.
    plain = DocxTemplate(path)
    plain.render(dict(context), jinja_environment(), autoescape=True)
    buffer = io.BytesIO()
    plain.save(buffer)
    fast = template.render(context)

    def body(data: bytes) -> bytes:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = etree.fromstring(archive.read("word/document.xml"))
        return bytes(etree.tostring(root.find(f"{{{root.nsmap['w']}}}body"), method="c14n"))

    assert body(fast) == body(buffer.getvalue())
    assert texts(fast) == texts(buffer.getvalue())


def test_cell_tags_keep_docxtpl_table_fix(tmp_path: Path) -> None:
    """A template whose ``{%tc %}`` loop changes the number of cells goes through fix_tables,
    and gives plain docxtpl's table grid."""
    from lxml import etree

    document = docx.Document()
    table = document.add_table(rows=2, cols=4)
    for number, cells in enumerate(
        (["Mois", "{{ m }}"], ["Montant", "{{ m }} : 10 € & plus"]), start=0
    ):
        table.cell(number, 0).text = cells[0]
        table.cell(number, 1).text = "{%tc for m in mois %}"
        table.cell(number, 2).text = cells[1]
        table.cell(number, 3).text = "{%tc endfor %}"
    path = tmp_path / "colonnes.docx"
    document.save(str(path))
    context = {"mois": ["janvier", "février", "mars & avril", "mai", "juin"]}
    template = FastTemplate(path)
    assert template.fast and template.fixes_tables
    plain = DocxTemplate(path)
    plain.render(context, jinja_environment(), autoescape=True)
    buffer = io.BytesIO()
    plain.save(buffer)
    fast = template.render(context)
    assert texts(fast) == texts(buffer.getvalue())
    grid = ".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}gridCol"

    def columns(data: bytes) -> list[str]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = etree.fromstring(archive.read("word/document.xml"))
        return [str(dict(c.attrib)) for c in root.iterfind(grid)]

    assert len(columns(fast)) == 6
    assert columns(fast) == columns(buffer.getvalue())


# --------------------------------------------------------------------------- accounting


def test_every_row_is_rendered_or_rejected_with_its_reasons(
    tmp_path: Path, creditor: Path
) -> None:
    header = [*HEADER, "note"]
    rows = [
        [*row("OK-1", "FA-1"), ""],
        [*row("OK-1", "FA-2", "300,50"), ""],
        [*row("OK-2", "FA-3"), ""],
        [*row("DEC", "FA-4", "1.200,00"), ""],
        [*row("UNK", "FA-5"), "à relancer"],
        [*row("SIR", "FA-6", debiteur_siren="123"), ""],
        [*row("CONSO", "FA-7", debiteur_qualite="consommateur"), ""],
    ]
    text = "\n".join(";".join(r) for r in [header, *rows]) + "\n"
    broken = ";".join([*row("ENC", "FA-8", debiteur_ville="Besançon"), ""])
    path = tmp_path / "portefeuille.csv"
    path.write_bytes(text.encode("utf-8") + broken.encode("latin-1") + b"\n")
    outdir = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            *("batch", PROCEDURE, str(path), "-o", str(outdir)),
            *("--creancier", str(creditor), "--date", DATE, "--jobs", "1"),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "8 lignes lues = 3 dans des dossiers produits + 5 dans des dossiers rejetés" in (
        result.output
    )
    assert "Dossiers : 2 produits, 5 rejetés." in result.output
    assert "{" not in result.output
    errors = read_csv(outdir / "errors.csv")
    by_case = {e["dossier"]: e for e in errors}
    assert (by_case["DEC"]["ligne"], by_case["DEC"]["colonne"]) == ("5", "creance_montant")
    assert (by_case["UNK"]["ligne"], by_case["UNK"]["colonne"]) == ("6", "note")
    assert (by_case["ENC"]["ligne"], by_case["ENC"]["colonne"]) == ("9", "debiteur_ville")
    assert (by_case["SIR"]["ligne"], by_case["SIR"]["colonne"]) == ("7", "debiteur_siren")
    assert by_case["SIR"]["chemin"] == "$.debiteur.siren"
    consumer = [e["message"] for e in errors if e["dossier"] == "CONSO"]
    assert "ne peut pas être utilisée" in consumer[0]
    assert any("entre professionnels" in message for message in consumer)
    rendered = read_csv(outdir / "manifest.csv")
    rows_out = {n for r in rendered for n in r["lignes"].split()}
    rows_err = {n for e in errors for n in e["lignes"].split()}
    assert rows_out == {"2", "3", "4"}
    assert rows_out | rows_err == {str(n) for n in range(2, 10)}
    assert not rows_out & rows_err
    assert {r["fichier"] for r in rendered} == {
        "OK-1-mise-en-demeure.docx",
        "OK-2-mise-en-demeure.docx",
    }
    for entry in rendered:
        assert (outdir / entry["fichier"]).stat().st_size == int(entry["octets"])


def test_missing_column_rejects_every_row(tmp_path: Path, creditor: Path) -> None:
    header = [h for h in HEADER if h != "creance_montant"]
    rows = [[v for h, v in zip(HEADER, row(f"D{n}", "FA"), strict=True) if h != "creance_montant"]
            for n in range(3)]  # fmt: skip
    path = write_csv(tmp_path / "p.csv", rows, header)
    report = run_batch(
        PROCEDURE,
        path,
        tmp_path / "out",
        au=AU,
        creditor_file=creditor,
        executor=LocalExecutor(1),
    )
    assert (report.rows_read, report.rows_rejected, report.rendered) == (3, 3, 0)
    errors = read_csv(tmp_path / "out" / "errors.csv")
    assert {e["colonne"] for e in errors} == {"creance_montant"}
    assert all("absente" in e["message"] for e in errors)


def test_cli_json_and_usage_errors(tmp_path: Path, creditor: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [row("A1", "FA-1")])
    runner = CliRunner()
    args = ["batch", PROCEDURE, str(path), "-o", str(tmp_path / "out"), "--date", DATE]
    result = runner.invoke(main, [*args, "--creancier", str(creditor), "--json", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert '"dossiers_produits": 1' in result.output
    result = runner.invoke(main, ["batch", "inconnue", str(path), "-o", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "Procédure inconnue" in result.output
    result = runner.invoke(main, [*args, "--executor", "dask"])
    assert result.exit_code in (2, 3)
    assert "--scheduler" in result.output or "dask" in result.output


# --------------------------------------------------------------------------- resume


def _cases(count: int) -> list[list[str]]:
    rows = []
    for number in range(count):
        rows.append(row(f"R{number:03d}", f"FA-{number}-1", f"{100 + number},25"))
        if number % 3 == 0:
            rows.append(row(f"R{number:03d}", f"FA-{number}-2", "50"))
    return rows


def test_manifest_rewrites_stay_proportional_to_the_portfolio(
    tmp_path: Path, creditor: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manifest is rewritten as the batch goes; for a large portfolio the rewrites must
    not grow with the square of its size (scaled down here: a flush every case at first)."""
    from actes.portfolio import batch

    monkeypatch.setattr(batch, "FLUSH_EVERY", 1)
    written: list[int] = []
    original = batch._write_csv

    def counting(path: Path, header: Any, rows: Any) -> None:
        rows = list(rows)
        if path.name == "manifest.csv":
            written.append(len(rows))
        original(path, header, rows)

    monkeypatch.setattr(batch, "_write_csv", counting)
    path = write_csv(tmp_path / "p.csv", _cases(300))
    report = run_batch(PROCEDURE, path, tmp_path / "out", au=AU, creditor_file=creditor)
    assert report.rendered == 300
    assert written[-1] == 300  # the final manifest lists everything
    # One flush per case would write 45,150 rows; a tenth of the listed cases at a time
    # writes about ten rows per case.
    assert sum(written) <= 12 * 300
    assert len(written) >= 25


def test_resume_after_kill_gives_the_same_manifest(tmp_path: Path, creditor: Path) -> None:
    path = write_csv(tmp_path / "p.csv", _cases(60))
    killed = tmp_path / "killed"
    command = [sys.executable, "-c", "from actes.cli import main; main()", "batch", PROCEDURE]
    command.append(str(path))
    options = ["--creancier", str(creditor), "--date", DATE, "--jobs", "1", "--chunk", "2"]
    process = subprocess.Popen(
        [*command, "-o", str(killed), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while len(list(killed.glob("*.docx"))) < 4 and time.monotonic() < deadline:
        assert process.poll() is None, "the batch ended before it could be killed"
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    journal = (killed / ".actes-batch" / "journal.jsonl").read_text(encoding="utf-8")
    assert 0 < len(journal.splitlines()) < 60

    runner = CliRunner()
    resumed = runner.invoke(main, ["batch", PROCEDURE, str(path), "-o", str(killed), *options])
    assert resumed.exit_code == 0, resumed.output
    assert "déjà faits lors d'un passage précédent" in resumed.output
    clean = tmp_path / "clean"
    fresh = runner.invoke(main, ["batch", PROCEDURE, str(path), "-o", str(clean), *options])
    assert fresh.exit_code == 0, fresh.output
    assert len(manifest(clean)) == 60
    assert manifest(killed) == manifest(clean)
    assert not list(killed.glob(".*.tmp"))
    again = runner.invoke(main, ["batch", PROCEDURE, str(path), "-o", str(clean), *options])
    assert "dont 60 déjà faits" in again.output


def test_resume_renders_again_a_file_that_did_not_survive(tmp_path: Path, creditor: Path) -> None:
    """Documents are not fsynced one by one: after a power cut a file may be empty or hold
    zeros under its final name. The rerun compares each recorded file with its SHA-256."""
    path = write_csv(tmp_path / "p.csv", _cases(6))
    outdir = tmp_path / "out"
    first = run_batch(PROCEDURE, path, outdir, au=AU, creditor_file=creditor)
    before = manifest(outdir)
    documents = sorted(outdir.glob("*.docx"))
    documents[0].write_bytes(b"\0" * documents[0].stat().st_size)  # same size, zeros
    documents[1].write_bytes(b"")
    again = run_batch(PROCEDURE, path, outdir, au=AU, creditor_file=creditor)
    assert (first.rendered, again.rendered, again.skipped) == (6, 2, 4)
    assert manifest(outdir) == before
    for document in documents[:2]:
        assert any("MISE EN DEMEURE" in text.upper() for text in texts(document.read_bytes()))


def test_two_processes_and_changed_case_rerendered(tmp_path: Path, creditor: Path) -> None:
    path = write_csv(tmp_path / "p.csv", _cases(12))
    outdir = tmp_path / "out"
    with LocalExecutor(2) as executor:
        first = run_batch(
            PROCEDURE, path, outdir, au=AU, creditor_file=creditor, executor=executor
        )
    assert (first.rendered, first.rejected, first.documents) == (12, 0, 12)
    rows = _cases(12)
    rows[0] = row("R000", "FA-0-1", "999,99")
    write_csv(path, rows)
    second = run_batch(PROCEDURE, path, outdir, au=AU, creditor_file=creditor)
    assert (second.rendered, second.skipped) == (1, 11)


# --------------------------------------------------------------------------- PDF and Dask


@pytest.mark.skipif(
    subprocess.run(["which", "soffice"], capture_output=True, check=False).returncode != 0,
    reason="LibreOffice absent",
)
def test_pdf_batched_per_chunk(tmp_path: Path, creditor: Path) -> None:
    path = write_csv(tmp_path / "p.csv", _cases(3))
    report = run_batch(
        PROCEDURE,
        path,
        tmp_path / "out",
        au=AU,
        pdf=True,
        creditor_file=creditor,
        executor=LocalExecutor(1),
    )
    assert (report.documents, report.pdfs) == (3, 3)
    names = {name for name, _ in manifest(tmp_path / "out")}
    assert {n for n in names if n.endswith(".pdf")} == {
        f"R00{n}-mise-en-demeure.pdf" for n in range(3)
    }


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_dask_cluster_gives_the_same_files(tmp_path: Path, creditor: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from actes.portfolio.batch import DaskExecutor

    path = write_csv(tmp_path / "p.csv", [*_cases(4), row("BAD", "FA", "1,2,3")])
    local = run_batch(
        PROCEDURE,
        path,
        tmp_path / "local",
        au=AU,
        creditor_file=creditor,
        executor=LocalExecutor(1),
    )
    with (
        distributed.LocalCluster(
            n_workers=1, processes=False, threads_per_worker=2, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = run_batch(
            PROCEDURE,
            path,
            tmp_path / "dask",
            au=AU,
            creditor_file=creditor,
            executor=DaskExecutor(client=client),
        )
    assert (remote.rendered, remote.rejected) == (local.rendered, local.rejected) == (4, 1)
    assert manifest(tmp_path / "dask") == manifest(tmp_path / "local")

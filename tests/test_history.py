"""The journal of acts (actes.cases.journal), ``actes history`` and ``actes evenement``."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from actes.cases import journal
from actes.cases.casestore import read_case_version, update_case, write_case
from actes.cases.events import record_event
from actes.cases.schema import case_schema
from actes.cli import main
from actes.documents.render import render_documents
from actes.law.procedures import load_registry
from actes.portfolio.batch import run_batch

from .conftest import AU, copy_example, load_yaml

B2B = "b2b-factures-impayees"
MED = "mise_en_demeure_professionnel"


@pytest.fixture(autouse=True)
def _no_workspace_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACTES_WORKSPACE", raising=False)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "cabinet"
    root.mkdir()
    (root / "actes.toml").write_text("", encoding="utf-8")
    return root


@pytest.fixture
def case(workspace: Path) -> Path:
    return copy_example(B2B, workspace)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------------------
# The JSON diff


def test_diff_of_mappings_and_scalars() -> None:
    before = {"a": 1, "b": {"c": "x", "d": [1, 2]}, "gone": True}
    after = {"a": 2, "b": {"c": "x", "d": [1, 2, 3]}, "new": None}
    assert journal.json_diff(before, after) == [
        {"op": "remove", "path": "/gone"},
        {"op": "replace", "path": "/a", "value": 2},
        {"op": "add", "path": "/b/d/2", "value": 3},
        {"op": "add", "path": "/new", "value": None},
    ]
    assert journal.json_diff(before, before) == []


def test_diff_removes_one_element_of_a_list_as_one_operation() -> None:
    claims = [{"reference": "FA-1"}, {"reference": "FA-2"}, {"reference": "FA-3"}]
    ops = journal.json_diff({"creances": claims}, {"creances": claims[1:]})
    assert ops == [{"op": "remove", "path": "/creances/0"}]


def test_diff_changes_inside_an_element_precisely() -> None:
    before = {"creances": [{"reference": "FA-1", "montant": "10.00"}]}
    after = {"creances": [{"reference": "FA-1", "montant": "12.00"}]}
    assert journal.json_diff(before, after) == [
        {"op": "replace", "path": "/creances/0/montant", "value": "12.00"}
    ]


def test_diff_escapes_pointers_and_tells_types_apart() -> None:
    ops = journal.json_diff({"a/b": 1, "t~": 1}, {"a/b": True, "t~": 1.0})
    assert ops == [
        {"op": "replace", "path": "/a~1b", "value": True},
        {"op": "replace", "path": "/t~0", "value": 1.0},
    ]


def test_patch_of_the_diff_gives_the_new_version() -> None:
    rng = random.Random(19)

    def value(depth: int) -> Any:
        kind = rng.randrange(4 if depth < 3 else 2)
        if kind == 0:
            return rng.choice([0, 1, "a", "b", True, None])
        if kind == 1:
            return rng.randrange(3)
        if kind == 2:
            return [value(depth + 1) for _ in range(rng.randrange(5))]
        return {rng.choice("abcd"): value(depth + 1) for _ in range(rng.randrange(4))}

    for _ in range(500):
        before, after = value(0), value(0)
        assert journal.apply_patch(before, journal.json_diff(before, after)) == after


# ---------------------------------------------------------------------------------------------
# The chain


def test_lines_chain_and_verify(tmp_path: Path) -> None:
    path = tmp_path / ".actes" / "journal.jsonl"
    first = journal.append(path, {"action": "case_saved", "n": 1})
    journal.append(path, {"action": "case_saved", "n": 2})
    lines = path.read_bytes().splitlines()
    assert json.loads(lines[0])["precedent"] == journal.GENESIS
    assert json.loads(lines[1])["precedent"] == hashlib.sha256(lines[0]).hexdigest() == first
    result = journal.verify(path)
    assert result.ok and result.lines == 2
    assert result.last_sha256 == hashlib.sha256(lines[1]).hexdigest()


@pytest.mark.parametrize("change", ["edit", "remove", "insert"])
def test_tampered_line_is_detected(tmp_path: Path, change: str) -> None:
    path = tmp_path / "journal.jsonl"
    for n in range(5):
        journal.append(path, {"action": "case_saved", "n": n})
    lines = path.read_bytes().splitlines()
    if change == "edit":
        lines[1] = lines[1].replace(b'"n":1', b'"n":7')
    elif change == "remove":
        del lines[1]
    else:
        lines.insert(2, lines[1])
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = journal.verify(path)
    assert not result.ok
    # An edited line is caught by the next one, which no longer chains to it.
    assert result.bad_line == {"edit": 3, "remove": 2, "insert": 3}[change]
    runner = CliRunner()
    cli = runner.invoke(main, ["history", "--verifier", str(path)])
    assert cli.exit_code == 1
    assert f"ligne {result.bad_line}" in cli.output


def test_torn_last_line_is_closed_not_repaired(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    journal.append(path, {"action": "case_saved"})
    with path.open("ab") as handle:
        handle.write(b'{"precedent":"abc","act')  # a write cut short (disk full, crash)
    journal.append(path, {"action": "case_saved"})
    lines = path.read_bytes().splitlines()
    assert len(lines) == 3 and json.loads(lines[2])["precedent"] == sha256_bytes(lines[1])
    result = journal.verify(path)
    assert result.bad_line == 2 and "illisible" in result.reason


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _appender(path: str, name: str, count: int) -> None:
    for n in range(count):
        journal.append(Path(path), {"action": "case_saved", "qui": name, "n": n}, durable=False)


def test_two_processes_appending_lose_no_line(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    count = 300
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_appender, args=(str(path), name, count)) for name in ("a", "b")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    entries = journal.read_entries(path)
    assert len(entries) == 2 * count
    for name in ("a", "b"):
        # Each process's lines are all there, in the order it wrote them.
        assert [e["n"] for e in entries if e["qui"] == name] == list(range(count))
    assert journal.verify(path).ok


# ---------------------------------------------------------------------------------------------
# Where entries come from


def test_journal_sits_in_the_workspace_and_names_the_case_relative_to_it(
    workspace: Path, case: Path
) -> None:
    assert journal.journal_for(case) == workspace / ".actes" / "journal.jsonl"
    assert journal.case_location(case) == f"{B2B}/dossier.yaml"


def test_case_in_no_workspace_keeps_its_journal_in_its_folder(tmp_path: Path) -> None:
    alone = copy_example(B2B, tmp_path)
    assert journal.journal_for(alone) == alone.parent / ".actes" / "journal.jsonl"
    assert journal.case_location(alone) == "dossier.yaml"


def test_render_records_each_file_with_its_sha256(workspace: Path, case: Path) -> None:
    written = render_documents(MED, case, workspace / "out", AU)
    [entry] = journal.case_entries(case)
    assert entry["action"] == "document_generated"
    assert entry["dossier"] == {"reference": "REC-2026-0147", "chemin": f"{B2B}/dossier.yaml"}
    details = entry["details"]
    version = load_registry().get(MED).at(AU)
    assert details["procedure"] == MED and details["version"] == version.version
    assert details["date"] == AU.isoformat() and details["format"] == "docx"
    assert details["fichiers"] == [
        {"nom": p.name, "document": "mise_en_demeure", "sha256": sha256(p)} for p in written
    ]
    assert entry["qui"] == journal.current_actor()
    assert entry["horodatage"].endswith("Z") and len(entry["date_locale"]) == 10


def test_save_records_the_change_as_a_diff(case: Path) -> None:
    text, digest = read_case_version(case)
    data = yaml.safe_load(text)
    data["objet"] = "Factures impayées (relance téléphonique faite)"
    write_case(case, yaml.safe_dump(data, allow_unicode=True, sort_keys=False), digest)
    [entry] = journal.case_entries(case)
    assert entry["action"] == "case_saved"
    assert entry["details"]["changements"] == [
        {"op": "replace", "path": "/objet", "value": data["objet"]}
    ]
    assert entry["details"]["sha256_avant"] == digest
    assert entry["details"]["sha256_apres"] == sha256(case)


def test_upload_like_update_records_piece_added(case: Path) -> None:
    pdf = case.parent / "pieces" / "avenant.pdf"
    pdf.write_bytes((case.parent / "pieces" / "facture-FA-2026-0117.pdf").read_bytes())

    def add(text: str) -> str:
        data = yaml.safe_load(text)
        piece = {"titre": "Avenant", "date": "2026-10-01", "fichier": "pieces/avenant.pdf"}
        data["pieces"].append(piece)
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    update_case(case, add)
    [entry] = journal.case_entries(case)
    assert entry["action"] == "piece_added"
    assert entry["details"]["pieces"] == [
        {
            "titre": "Avenant",
            "date": "2026-10-01",
            "fichier": "pieces/avenant.pdf",
            "sha256": sha256(pdf),
        }
    ]


def test_event_recorded_once(case: Path) -> None:
    assert record_event(case, "mise_en_demeure_envoyee", AU, reference="1A 234", au=AU)
    assert not record_event(case, "mise_en_demeure_envoyee", AU, au=AU)
    events = load_yaml(case)["evenements"]
    assert events[-1] == {
        "type": "mise_en_demeure_envoyee",
        "date": AU.isoformat(),
        "reference": "1A 234",
    }
    [entry] = journal.case_entries(case)
    assert entry["action"] == "event_recorded"
    assert entry["details"]["evenements"] == [
        {"type": "mise_en_demeure_envoyee", "date": AU.isoformat()}
    ]


def test_unknown_event_type_writes_nothing(case: Path) -> None:
    before = case.read_bytes()
    result = CliRunner().invoke(
        main, ["evenement", "ajouter", str(case), "lettre_perdue", "--le", AU.isoformat()]
    )
    assert result.exit_code == 1, result.output
    assert "evenements" in result.output
    assert case.read_bytes() == before
    assert journal.case_entries(case) == []


def test_batch_parent_writes_one_entry_per_case(workspace: Path) -> None:
    portfolio = workspace / "portefeuille"
    portfolio.mkdir()
    copy_example(B2B, portfolio)
    run_batch(MED, portfolio, workspace / "lot", au=AU)
    entries = journal.read_entries(workspace / ".actes" / "journal.jsonl")
    [entry] = entries
    assert entry["action"] == "document_generated" and entry["details"]["lot"] is True
    assert entry["dossier"]["chemin"] == f"portefeuille/{B2B}/dossier.yaml"
    [produced] = entry["details"]["fichiers"]
    assert produced["sha256"] == sha256(workspace / "lot" / produced["nom"])


# ---------------------------------------------------------------------------------------------
# The commands


def test_render_prints_the_command_that_records_the_sending(workspace: Path, case: Path) -> None:
    runner = CliRunner()
    out = workspace / "out"
    result = runner.invoke(
        main, ["render", MED, str(case), "-o", str(out), "--date", "2026-11-24"]
    )
    assert result.exit_code == 0, result.output
    expected = f"actes evenement ajouter {case} mise_en_demeure_envoyee --le 2026-11-24"
    assert expected in result.output
    assert "mise_en_demeure_envoyee" not in case.read_text(encoding="utf-8")
    # The printed command does what it says.
    recorded = runner.invoke(main, expected.split()[1:])
    assert recorded.exit_code == 0, recorded.output
    assert "Événement enregistré : mise_en_demeure_envoyee le 24/11/2026" in recorded.output
    kinds = [e["type"] for e in load_yaml(case)["evenements"]]
    assert "mise_en_demeure_envoyee" in kinds


def test_render_enregistrer_records_the_event_in_the_case_and_the_journal(
    workspace: Path, case: Path
) -> None:
    result = CliRunner().invoke(
        main,
        [
            "render",
            MED,
            str(case),
            "-o",
            str(workspace / "out"),
            "--date",
            "2026-11-24",
            "--enregistrer",
            "--le",
            "2026-11-25",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Événement enregistré : mise_en_demeure_envoyee le 25/11/2026." in result.output
    events = load_yaml(case)["evenements"]
    assert {"type": "mise_en_demeure_envoyee", "date": "2026-11-25"} in events
    actions = [e["action"] for e in journal.case_entries(case)]
    assert actions == ["document_generated", "event_recorded"]
    assert journal.verify(journal.journal_for(case)).ok


def test_history_table_and_json(workspace: Path, case: Path) -> None:
    written = render_documents(MED, case, workspace / "out", AU)
    record_event(case, "mise_en_demeure_envoyee", AU, au=AU)
    runner = CliRunner()
    table = runner.invoke(main, ["history", str(case.parent)])
    assert table.exit_code == 0, table.output
    head = table.output.splitlines()[0].split()
    assert head == ["Quand", "Qui", "Action", "Détail"]
    assert "Documents produits" in table.output and "Événement enregistré" in table.output
    assert f"{written[0].name}  SHA-256 {sha256(written[0])}" in table.output
    assert "mise_en_demeure_envoyee le 24/11/2026" in table.output
    as_json = runner.invoke(main, ["history", str(case), "--json"])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert data["dossier"] == f"{B2B}/dossier.yaml"
    assert [e["action"] for e in data["entrees"]] == ["document_generated", "event_recorded"]


def test_history_verifier_of_the_current_workspace(
    workspace: Path, case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render_documents(MED, case, workspace / "out", AU)
    monkeypatch.chdir(case.parent)
    result = CliRunner().invoke(main, ["history", "--verifier"])
    assert result.exit_code == 0, result.output
    last = journal.verify(workspace / ".actes" / "journal.jsonl").last_sha256
    assert "Journal intact" in result.output and last in result.output


def test_every_mapped_event_is_a_case_event_type() -> None:
    kinds = set(case_schema()["properties"]["evenements"]["items"]["properties"]["type"]["enum"])
    mapped = {
        p.id: dict(p.events_after_sending) for p in load_registry() if p.events_after_sending
    }
    assert mapped[MED] == {
        "mise_en_demeure": "mise_en_demeure_envoyee",
        "mise_en_demeure_agence": "mise_en_demeure_envoyee",
    }
    assert mapped["injonction_de_payer_tj"]["requete"] == "requete_deposee"
    assert mapped["injonction_de_payer_europeenne"] == {"formulaire_a": "ipe_demande_deposee"}
    for procedure_id, mapping in mapped.items():
        assert set(mapping.values()) <= kinds, procedure_id

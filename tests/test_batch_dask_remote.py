"""``actes batch --executor dask`` with a scheduler and workers started in another folder:
a relative folder of cases renders in full, and no worker opens a file of the client."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from .conftest import docx_text, plain_spaces

pytest.importorskip("distributed")

from actes.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "b2b-factures-impayees"
PROCEDURE = "mise_en_demeure_professionnel"

# Loaded by each worker (dask worker --preload): records every file the worker opens under
# the client's folder (an audit hook sees every open()).
PRELOAD = """
import os, sys

CLIENT = os.environ["ACTES_TEST_CLIENT_DIR"]
LOG = os.environ["ACTES_TEST_OPEN_LOG"]


def _hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if os.path.abspath(path).startswith(CLIENT):
            with open(LOG, "a", encoding="utf-8") as log:
                log.write(path + "\\n")


def dask_setup(worker):
    sys.addaudithook(_hook)
    with open(LOG + ".workers", "a", encoding="utf-8") as installed:
        installed.write(worker.address + "\\n")
"""


def _case(folder: Path, reference: str, *, drop_piece: bool = False) -> None:
    shutil.copytree(EXAMPLE, folder)
    case = folder / "dossier.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace("REC-2026-0147", reference), encoding="utf-8"
    )
    if drop_piece:
        (folder / "pieces" / "relance-2026-09-15.pdf").unlink()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """A scheduler and two workers run from ``worker/``: (address, client dir, log)."""
    tmp_path = tmp_path_factory.mktemp("dask")
    client_dir = tmp_path / "client"
    worker_dir = tmp_path / "worker"
    client_dir.mkdir()
    worker_dir.mkdir()
    (worker_dir / "preload_audit.py").write_text(PRELOAD, encoding="utf-8")
    log = tmp_path / "opened.log"
    log.touch()
    environment = {
        **os.environ,
        "ACTES_TEST_CLIENT_DIR": str(client_dir),
        "ACTES_TEST_OPEN_LOG": str(log),
        "PYTHONPATH": os.pathsep.join([str(worker_dir), os.environ.get("PYTHONPATH", "")]),
    }
    environment.pop("ACTES_WORKSPACE", None)
    scheduler_file = worker_dir / "scheduler.json"
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    processes = [
        subprocess.Popen(
            [*dask, "--scheduler-file", str(scheduler_file), "--port", "0", "--no-dashboard"],
            cwd=worker_dir,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        deadline = time.monotonic() + 30
        while not scheduler_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert scheduler_file.is_file(), "le planificateur Dask n'a pas démarré"
        for _ in range(2):
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "distributed.cli.dask_worker",
                        "--scheduler-file",
                        str(scheduler_file),
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--preload",
                        "preload_audit",
                    ],
                    cwd=worker_dir,
                    env=environment,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        address = json.loads(scheduler_file.read_text(encoding="utf-8"))["address"]
        distributed = pytest.importorskip("distributed")
        with distributed.Client(address, timeout=30) as probe:
            probe.wait_for_workers(2, timeout=45)
        assert len(Path(f"{log}.workers").read_text(encoding="utf-8").split()) == 2
        yield address, client_dir, log
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_relative_folder_of_cases_on_workers_in_another_folder(
    cluster: tuple[str, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    address, client_dir, log = cluster
    client_dir = client_dir / "relatif"
    for number in range(1, 5):
        _case(client_dir / "dossiers" / f"affaire-{number}", f"REC-2026-900{number}")
    monkeypatch.chdir(client_dir)
    monkeypatch.delenv("ACTES_WORKSPACE", raising=False)
    runner = CliRunner()
    arguments = ["batch", PROCEDURE, "dossiers", "--date", "2026-11-24", "--json"]
    result = runner.invoke(
        main, [*arguments, "-o", "sortie", "--executor", "dask", "--scheduler", address]
    )
    assert result.exit_code == 0, result.output
    assert '"dossiers_produits": 4' in result.output
    assert '"dossiers_rejetes": 0' in result.output
    documents = sorted((client_dir / "sortie").glob("*.docx"))
    assert len(documents) == 4
    text = plain_spaces(docx_text(documents[0]))
    assert "REC-2026-9001" in text
    assert "mise en demeure" in text.lower()
    # The same files as the local executor (which reads the pièces itself).
    local = runner.invoke(main, [*arguments, "-o", "locale", "-j", "1"])
    assert local.exit_code == 0, local.output
    manifest = (client_dir / "sortie" / "manifest.csv").read_text(encoding="utf-8")
    assert manifest == (client_dir / "locale" / "manifest.csv").read_text(encoding="utf-8")
    assert log.read_text(encoding="utf-8") == ""


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_missing_piece_found_on_the_client_rejects_the_case(
    cluster: tuple[str, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    address, client_dir, log = cluster
    client_dir = client_dir / "pieces"
    _case(client_dir / "dossiers" / "complet", "REC-2026-9101")
    _case(client_dir / "dossiers" / "incomplet", "REC-2026-9102", drop_piece=True)
    monkeypatch.chdir(client_dir)
    monkeypatch.delenv("ACTES_WORKSPACE", raising=False)
    runner = CliRunner()
    arguments = ["batch", PROCEDURE, "dossiers", "--date", "2026-11-24", "--json"]
    result = runner.invoke(
        main, [*arguments, "-o", "sortie", "--executor", "dask", "--scheduler", address]
    )
    assert '"dossiers_produits": 1' in result.output, result.output
    assert '"dossiers_rejetes": 1' in result.output
    local = runner.invoke(main, [*arguments, "-o", "locale", "-j", "1"])
    errors = (client_dir / "sortie" / "errors.csv").read_text(encoding="utf-8")
    assert "fichier introuvable : « pieces/relance-2026-09-15.pdf »" in errors
    assert errors == (client_dir / "locale" / "errors.csv").read_text(encoding="utf-8")
    assert local.exit_code == result.exit_code
    assert log.read_text(encoding="utf-8") == ""

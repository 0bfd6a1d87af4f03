"""``actes batch`` killed with SIGKILL (the parent only): its workers and their LibreOffice die
with it, the lock it leaves is taken over, and the resumed output is byte-identical to an
uninterrupted run, errors.csv included."""

from __future__ import annotations

import fcntl
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest

from actes.cases import journal
from actes.documents.pdf import find_soffice
from actes.errors import UsageProblem
from actes.portfolio import batch
from actes.portfolio.batch import run_batch

from .test_batch import AU, DATE, PROCEDURE, creditor, read_csv, row, write_csv

__all__ = ["creditor"]  # the fixture, imported for pytest

COMMAND = [sys.executable, "-c", "from actes.cli import main; main()", "batch", PROCEDURE]


def portfolio(path: Path, count: int) -> Path:
    """``count`` good cases, one row refused by the portfolio reader (bad amount) and one
    case refused by validation (SIREN with a wrong key), early and late in the file."""
    rows = []
    for number in range(count):
        if number == 3:
            rows.append(row("BAD-AMOUNT", "FA-X", "douze euros"))
        if number == count - 5:
            rows.append(row("BAD-SIREN", "FA-Y", debiteur_siren="123456788"))
        rows.append(row(f"K{number:03d}", f"FA-{number}-1", f"{100 + number},25"))
    return write_csv(path, rows)


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent PID, process group) of a process, None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text("ascii", errors="replace")
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1]), int(fields[2])


def _live(pids: list[int]) -> list[int]:
    return [p for p in pids if (s := _stat(p)) is not None and s[0] not in ("Z", "X")]


def _group(pgid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (s := _stat(int(entry.name))) and s[2] == pgid:
            found.append(int(entry.name))
    return _live(found)


def _args(outdir: Path, path: Path, creditor: Path, options: tuple[str, ...]) -> list[str]:
    return [
        *COMMAND,
        str(path),
        "-o",
        str(outdir),
        "--creancier",
        str(creditor),
        "--date",
        DATE,
        *options,
    ]


def _run(
    outdir: Path, path: Path, creditor: Path, options: tuple[str, ...]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _args(outdir, path, creditor, options),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _start(outdir: Path, path: Path, creditor: Path, *options: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        _args(outdir, path, creditor, options),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: what is left of it can be listed
    )


def _kill_parent_only(process: subprocess.Popen[bytes], workers: list[int]) -> None:
    os.kill(process.pid, signal.SIGKILL)  # the parent alone, as `kill -9 PID` does
    process.wait()
    deadline = time.monotonic() + 5
    while (_live(workers) or _group(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _live(workers), f"workers still running after the parent's death: {workers}"
    assert not _group(process.pid), "processes of the batch's group still running"


def _snapshot(outdir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(outdir)): p.read_bytes()
        for p in sorted(outdir.rglob("*"))
        # The history journal holds timestamps and the actor: checked on its own below.
        if p.is_file() and p.name != batch.LOCK and p.parent.name != ".actes"
    }


def test_kill_of_the_parent_only_then_resume_is_byte_identical(
    tmp_path: Path, creditor: Path
) -> None:
    path = portfolio(tmp_path / "p.csv", 120)
    options = ("--jobs", "2", "--chunk", "2")
    killed = tmp_path / "killed"
    process = _start(killed, path, creditor, *options)
    deadline = time.monotonic() + 60
    while len(list(killed.glob("*.docx"))) < 10 and time.monotonic() < deadline:
        assert process.poll() is None, "the batch ended before it could be killed"
        time.sleep(0.01)
    workers = batch._descendants(process.pid)
    assert len(workers) >= 2, "the batch should run on worker processes"
    _kill_parent_only(process, workers)
    assert len(list(killed.glob("*.docx"))) < 120, "killed too late to test a resume"

    resumed = _run(killed, path, creditor, options)
    assert resumed.returncode == 1, resumed.stderr  # 1: some cases were rejected
    assert "Verrou périmé" in resumed.stderr
    assert f"processus {process.pid}" in resumed.stderr
    assert "déjà faits lors d'un passage précédent" in resumed.stdout

    clean = tmp_path / "clean"
    fresh = _run(clean, path, creditor, options)
    assert fresh.returncode == 1, fresh.stderr
    assert "Verrou" not in fresh.stderr
    expected, got = _snapshot(clean), _snapshot(killed)
    assert len([n for n in expected if n.endswith(".docx")]) == 120
    assert sorted(got) == sorted(expected)
    for name, content in expected.items():
        assert got[name] == content, f"{name} differs from the uninterrupted run"
    # The history of the interrupted run is an intact chain naming only the portfolio's cases.
    for outdir in (killed, clean):
        assert journal.verify(outdir / journal.JOURNAL_FOLDER / journal.JOURNAL_FILE).ok
    named = {
        name: {
            entry["dossier"]["reference"]
            for entry in journal.read_entries(
                folder / journal.JOURNAL_FOLDER / journal.JOURNAL_FILE
            )
        }
        for name, folder in (("killed", killed), ("clean", clean))
    }
    assert named["killed"] <= named["clean"]
    errors = read_csv(killed / "errors.csv")
    assert [e["dossier"] for e in errors] == ["BAD-AMOUNT", "BAD-SIREN"]
    assert "SIREN" in errors[1]["message"]
    body = docx.Document(io.BytesIO((killed / "K007-mise-en-demeure.docx").read_bytes()))
    assert any("K007" in p.text or "Client K007" in p.text for p in body.paragraphs)


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice absent")
def test_kill_of_the_parent_stops_libreoffice_too(tmp_path: Path, creditor: Path) -> None:
    path = portfolio(tmp_path / "p.csv", 24)
    outdir = tmp_path / "out"
    process = _start(outdir, path, creditor, "--jobs", "2", "--chunk", "4", "--pdf")
    deadline = time.monotonic() + 120
    below: list[int] = []
    while time.monotonic() < deadline:
        assert process.poll() is None, "the batch ended before LibreOffice started"
        below = batch._descendants(process.pid)
        if any("soffice" in _cmdline(p) for p in below):
            break
        time.sleep(0.02)
    assert any("soffice" in _cmdline(p) for p in below), "LibreOffice never started"
    _kill_parent_only(process, below)
    pdfs = sorted(p.name for p in outdir.glob("*.pdf"))
    time.sleep(2)
    assert sorted(p.name for p in outdir.glob("*.pdf")) == pdfs, "PDFs written after the kill"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


# --------------------------------------------------------------------------- the lock


def _dead_pid() -> int:
    # The PID of a process that has exited (and been reaped).
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _write_lock(outdir: Path, pid: int) -> Path:
    lock = outdir / ".actes-batch" / "lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text(f"{pid} 1\n", encoding="ascii")
    return lock


def test_a_stale_lock_is_taken_over_with_a_message(tmp_path: Path, creditor: Path) -> None:
    path = portfolio(tmp_path / "p.csv", 6)
    outdir = tmp_path / "out"
    gone = _dead_pid()
    lock = _write_lock(outdir, gone)
    notices: list[str] = []
    report = run_batch(
        PROCEDURE, path, outdir, au=AU, creditor_file=creditor, on_notice=notices.append
    )
    assert report.rendered == 6
    assert len(notices) == 1
    assert "Verrou périmé" in notices[0] and f"processus {gone}" in notices[0]
    assert lock.read_text(encoding="ascii") == ""  # a clean end leaves no owner behind
    again: list[str] = []
    run_batch(PROCEDURE, path, outdir, au=AU, creditor_file=creditor, on_notice=again.append)
    assert again == []


def test_a_lock_held_by_leftovers_of_a_dead_batch_is_waited_for(
    tmp_path: Path, creditor: Path
) -> None:
    """Workers of a killed batch still stopping hold the lock for a moment: it is taken over
    as soon as they let go; a live owner is refused at once, naming its PID."""
    path = portfolio(tmp_path / "p.csv", 3)
    outdir = tmp_path / "out"
    lock = _write_lock(outdir, _dead_pid())
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(lock)!r}, os.O_RDWR)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(float(sys.argv[1]))\n",
            "1.5",
        ],
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
    notices: list[str] = []
    started = time.monotonic()
    report = run_batch(
        PROCEDURE, path, outdir, au=AU, creditor_file=creditor, on_notice=notices.append
    )
    holder.communicate()
    assert report.rendered == 3
    assert time.monotonic() - started >= 1.0
    assert any("Verrou périmé" in n for n in notices)

    fd = os.open(lock, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.pwrite(fd, f"{os.getppid()} \n".encode("ascii"), 0)  # a live owner
    try:
        with pytest.raises(UsageProblem, match=f"processus {os.getppid()}"):
            run_batch(PROCEDURE, path, outdir, au=AU, creditor_file=creditor)
    finally:
        os.close(fd)


def test_leftovers_that_never_stop_are_named(
    tmp_path: Path, creditor: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "LOCK_WAIT_SECONDS", 0.3)
    path = portfolio(tmp_path / "p.csv", 3)
    outdir = tmp_path / "out"
    lock = _write_lock(outdir, _dead_pid())
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, time\n"
            f"fd = os.open({str(lock)!r}, os.O_RDWR)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        with pytest.raises(UsageProblem) as caught:
            run_batch(PROCEDURE, path, outdir, au=AU, creditor_file=creditor)
        assert str(holder.pid) in caught.value.message
        assert f"kill {holder.pid}" in caught.value.hint
    finally:
        holder.kill()
        holder.communicate()

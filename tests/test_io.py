"""Atomic writes: whole files or nothing, with the permissions open() would give."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from actes._io import atomic_open, atomic_write


@pytest.mark.parametrize("durable", [True, False])
def test_atomic_write_replaces_whole_file(tmp_path: Path, durable: bool) -> None:
    target = tmp_path / "sous-dossier" / "lettre.docx"
    atomic_write(target, b"ancien", durable=durable)
    atomic_write(target, "nouveau « texte »", durable=durable)
    assert target.read_text(encoding="utf-8") == "nouveau « texte »"
    assert [p.name for p in target.parent.iterdir()] == ["lettre.docx"]


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "lettre.docx"
    atomic_write(target, b"ancien")
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write(b"moiti")
        raise RuntimeError("interrompu")
    assert target.read_bytes() == b"ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["lettre.docx"]


def test_mode_is_that_of_open_not_private(tmp_path: Path) -> None:
    # tempfile.mkstemp creates 0600 files: documents must stay readable by the user's group
    # (umask permitting), like any file a program writes.
    reference = tmp_path / "reference"
    reference.write_bytes(b"x")
    target = tmp_path / "lettre.docx"
    atomic_write(target, b"x")
    assert stat.S_IMODE(target.stat().st_mode) == stat.S_IMODE(reference.stat().st_mode)

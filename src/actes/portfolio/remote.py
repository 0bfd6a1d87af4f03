"""What a batch sends to workers that cannot read the client's disk (``--executor dask``).

A task carries the case's parsed data (as for a CSV portfolio) and never a client path. What
the worker cannot check without the disk is checked by the client and sent along:

* the pièces: whether each declared file exists inside the case folder and its ``pieces/``
  sub-folder, as ``actes validate`` checks it (:func:`piece_issues`, the same rules run on the
  client's folder); no rendered batch document embeds a pièce, so no bytes travel;
* the firm's workspace (``actes.toml``, its logo, the overlays ``templates/``,
  ``parameters/``, ``procedures/``, ``schemas/``): sent as a :class:`WorkspaceBundle` and
  written once per worker machine into a private folder named by its SHA-256
  (:func:`materialize`), where the documents find the same letterhead and overlays as on
  the client. A case in no workspace is rendered with no workspace on the worker either,
  whatever the worker's own folder holds.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from actes._io import atomic_write
from actes._paths import WORKSPACE_MARKER
from actes.cases.case import check_piece_places
from actes.cases.rules import _check_pieces
from actes.errors import DataIssue, IssueCollector, UsageProblem

__all__ = [
    "MAX_BUNDLE_BYTES",
    "WorkspaceBundle",
    "bundle_workspace",
    "materialize",
    "piece_issues",
]

OVERLAYS = ("templates", "parameters", "procedures", "schemas")
MAX_BUNDLE_BYTES = 50 * 1024 * 1024
_COMPLETE = ".actes-complet"


def piece_issues(data: Any, folder: Path | None, file: str) -> tuple[DataIssue, ...]:
    """The problems of the case's pièces that only its folder can tell (absent file, path
    leaving the folder or its ``pieces/``), found here with the rules ``actes validate``
    applies; the worker adds them to its own validation."""
    if folder is None or not isinstance(data, Mapping):
        return ()
    pieces = data.get("pieces", [])
    if not isinstance(pieces, list) or not all(isinstance(p, Mapping) for p in pieces):
        return ()  # the schema refuses it on the worker
    collector = IssueCollector(file=file)
    _check_pieces(pieces, collector, folder)
    check_piece_places(data, collector, folder)
    return tuple(collector.issues)


@dataclass(frozen=True)
class WorkspaceBundle:
    """The files of a workspace a worker needs, by path relative to the workspace."""

    digest: str
    files: tuple[tuple[str, bytes], ...]


def bundle_workspace(workspace: Path) -> WorkspaceBundle:
    """``actes.toml``, the logo it names and every overlay file of ``workspace``."""
    names = [WORKSPACE_MARKER]
    with contextlib.suppress(OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        table = tomllib.loads((workspace / WORKSPACE_MARKER).read_text(encoding="utf-8"))
        logo = table.get("cabinet", {}).get("logo") if isinstance(table, dict) else None
        if isinstance(logo, str) and logo:
            names.append(logo)  # checked to lie inside the workspace below
    for kind in OVERLAYS:
        folder = workspace / kind
        if folder.is_dir():
            names += sorted(
                p.relative_to(workspace).as_posix() for p in folder.rglob("*") if p.is_file()
            )
    root = workspace.resolve()
    files: list[tuple[str, bytes]] = []
    total = 0
    for name in dict.fromkeys(names):
        path = (workspace / name).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            continue  # a logo outside the workspace is refused by actes.toml's own check
        content = path.read_bytes()
        total += len(content)
        if total > MAX_BUNDLE_BYTES:
            raise UsageProblem(
                f"L'espace de travail {workspace} dépasse {MAX_BUNDLE_BYTES // 2**20} Mo "
                "(actes.toml, logo, templates/, parameters/, procedures/, schemas/) : trop "
                "lourd pour être envoyé à chaque tâche --executor dask.",
                hint="retirez de ces dossiers les fichiers qui ne servent pas, ou utilisez "
                "--executor local",
            )
        files.append((path.relative_to(root).as_posix(), content))
    digest = hashlib.sha256()
    for name, content in files:
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(content).digest())
    return WorkspaceBundle(digest.hexdigest(), tuple(files))


def materialize(bundle: WorkspaceBundle) -> Path:
    """The bundle's workspace on this machine, written once (a private folder named by its
    SHA-256, completed by rename so that concurrent workers never see half of it)."""
    root = Path(tempfile.gettempdir()) / f"actes-espace-{bundle.digest[:32]}"
    if (root / _COMPLETE).is_file():
        return root
    staging = Path(tempfile.mkdtemp(prefix="actes-espace-", dir=root.parent))
    try:
        for name, content in bundle.files:
            relative = PurePosixPath(name)
            if relative.is_absolute() or ".." in relative.parts:
                raise UsageProblem(f"Espace de travail envoyé invalide : chemin « {name} ».")
            target = staging.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, content, durable=False)
        (staging / _COMPLETE).write_bytes(b"")
        try:
            staging.rename(root)
        except OSError:  # another worker of this machine finished first
            if not (root / _COMPLETE).is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return root

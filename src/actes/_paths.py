"""Where the shipped data (procedures, schemas, templates, parameters) lives, and which file
wins when the firm's workspace has its own copy.

In a wheel the data sits in ``actes/_data``; in a source checkout (editable install) it sits
at the repository root. ``ACTES_DATA_DIR`` overrides both, for tests and for users who keep
their own procedure versions.

A workspace (the nearest folder holding ``actes.toml``) may hold ``templates/``,
``parameters/``, ``procedures/`` and ``schemas/`` folders: each of their files replaces the
shipped file of the same relative path, or adds one (:func:`data_file`, :func:`origin`). The
workspace is the one of the case being processed (:func:`workspace_scope`), else the one of
the current folder (docs/workspace.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = [
    "WORKSPACE_MARKER",
    "DataKind",
    "active_workspace",
    "data_file",
    "data_root",
    "exact_workspace_scope",
    "find_workspace",
    "origin",
    "parameters_dir",
    "procedures_dir",
    "schemas_dir",
    "templates_dir",
    "workspace_scope",
]

# A folder holding this file is a firm's workspace (its own parameters, e.g. recorded rates).
WORKSPACE_MARKER = "actes.toml"

_DATA_DIRS = ("procedures", "schemas", "templates", "parameters")


@cache
def _default_root() -> Path:
    packaged = Path(__file__).parent / "_data"
    if (packaged / "procedures").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    return checkout


def data_root() -> Path:
    override = os.environ.get("ACTES_DATA_DIR")
    return Path(override) if override else _default_root()


def procedures_dir() -> Path:
    return data_root() / "procedures"


def schemas_dir() -> Path:
    return data_root() / "schemas"


def templates_dir() -> Path:
    return data_root() / "templates"


def parameters_dir() -> Path:
    return data_root() / "parameters"


def find_workspace(start: Path | None = None) -> Path | None:
    """The firm's workspace: ``ACTES_WORKSPACE`` if set, else the nearest folder holding
    ``actes.toml`` from ``start`` (default: the current folder) upwards, else None."""
    override = os.environ.get("ACTES_WORKSPACE")
    if override:
        return Path(override).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / WORKSPACE_MARKER).is_file():
            return folder
    return None


DataKind = Literal["templates", "parameters", "procedures", "schemas"]


@dataclass
class _Scope:
    """The workspace of the case (or command) being processed, and the files already resolved
    in it: loaders called thousands of times per case (calendar, courts) stat nothing."""

    workspace: Path | None
    files: dict[tuple[str, str], Path] = field(default_factory=dict)
    found: dict[str, Path | None] = field(default_factory=dict)
    """The workspace of each case folder asked for within the scope (a walk up the folders
    each time cost a case report about a millisecond per rate or calendar lookup)."""


_SCOPE: ContextVar[_Scope | None] = ContextVar("actes_workspace", default=None)


def active_workspace(folder: Path | None = None) -> Path | None:
    """The workspace whose overlays apply: ``ACTES_WORKSPACE``, else the one holding
    ``folder`` (a case's folder), else the one of the enclosing :func:`workspace_scope`, else
    the one found from the current folder."""
    scoped = _SCOPE.get()
    if folder is not None and scoped is not None and not os.environ.get("ACTES_WORKSPACE"):
        key = str(folder)
        if key not in scoped.found:
            scoped.found[key] = find_workspace(folder)
        if scoped.found[key] is not None:
            return scoped.found[key]
    elif folder is not None or os.environ.get("ACTES_WORKSPACE"):
        found = find_workspace(folder)
        if found is not None:
            return found
    scoped = _SCOPE.get()
    if scoped is not None:
        return scoped.workspace
    return find_workspace()


@contextmanager
def workspace_scope(folder: Path | None) -> Iterator[Path | None]:
    """Within the block, data files resolve in the workspace holding ``folder`` (the folder of
    the case being processed), else in the current folder's: the web server and batches
    process cases of a workspace whatever their own working folder."""
    scope = _Scope(active_workspace(folder))
    token = _SCOPE.set(scope)
    try:
        yield scope.workspace
    finally:
        _SCOPE.reset(token)


@contextmanager
def exact_workspace_scope(workspace: Path | None) -> Iterator[Path | None]:
    """Like :func:`workspace_scope` with ``workspace`` itself (None: no workspace at all, not
    even the current folder's): a batch worker renders with what the client sent."""
    token = _SCOPE.set(_Scope(workspace))
    try:
        yield workspace
    finally:
        _SCOPE.reset(token)


def data_file(kind: DataKind, relative: str | Path, workspace: Path | None = None) -> Path:
    """The file ``kind/relative`` of the workspace (``workspace``, default
    :func:`active_workspace`) when it has one, else the shipped one (which may not exist)."""
    scope = _SCOPE.get() if workspace is None else None
    key = (kind, str(relative))
    if scope is not None and key in scope.files:
        return scope.files[key]
    found = workspace if workspace is not None else active_workspace()
    path = data_root() / kind / relative
    if found is not None and (found / kind / relative).is_file():
        path = found / kind / relative
    if scope is not None:
        scope.files[key] = path
    return path


def origin(path: Path, workspace: Path | None = None) -> Path | None:
    """The workspace ``path`` comes from (an overlay file), or None for a file of actes."""
    found = workspace if workspace is not None else active_workspace()
    if found is None:
        return None
    resolved = path.resolve()
    for kind in ("procedures", "schemas", "templates", "parameters"):
        if resolved.is_relative_to((data_root() / kind).resolve()):
            return None
    return found if resolved.is_relative_to(found.resolve()) else None

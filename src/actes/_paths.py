"""Where the shipped data (procedures, schemas, templates, parameters) lives.

In a wheel the data sits in ``actes/_data``; in a source checkout (editable install) it sits
at the repository root. ``ACTES_DATA_DIR`` overrides both, for tests and for users who keep
their own procedure versions.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

__all__ = [
    "WORKSPACE_MARKER",
    "data_root",
    "find_workspace",
    "parameters_dir",
    "procedures_dir",
    "schemas_dir",
    "templates_dir",
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

"""Where the shipped data (procedures, schemas, templates, parameters) lives.

In a wheel the data sits in ``actes/_data``; in a source checkout (editable install) it sits
at the repository root. ``ACTES_DATA_DIR`` overrides both, for tests and for users who keep
their own procedure versions.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

__all__ = ["data_root", "parameters_dir", "procedures_dir", "schemas_dir", "templates_dir"]

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

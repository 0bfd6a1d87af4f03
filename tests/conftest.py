"""Shared fixtures: the example cases and a fixed reference date."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AU = dt.date(2026, 11, 24)


@pytest.fixture
def au() -> dt.date:
    return AU


def _histories() -> list[Path]:
    return [
        *EXAMPLES.glob("*/.actes"),
        *EXAMPLES.glob(".actes"),
        *(ROOT / "tests" / "fixtures").rglob(".actes"),
    ]


@pytest.fixture(autouse=True)
def _no_history_left_in_the_repository() -> Iterator[None]:
    """A render of a bundled example in place records it in a history journal beside the case
    (``.actes/``, docs/history.md); each test starts from examples without that history, so that
    a copy of an example never carries another test's journal."""
    yield
    for folder in _histories():
        shutil.rmtree(folder, ignore_errors=True)


def example_path(name: str) -> Path:
    return EXAMPLES / name / "dossier.yaml"


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def copy_example(name: str, tmp_path: Path, **changes: Any) -> Path:
    """Copy an example case (with its pièces) to tmp_path, applying top-level changes."""
    target = tmp_path / name
    shutil.copytree(EXAMPLES / name, target)
    path = target / "dossier.yaml"
    if changes:
        data = load_yaml(path)
        data.update(changes)
        path.write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return path


def write_case(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _table_lines(table: Any) -> list[str]:
    out: list[str] = []
    for row in table.rows:
        for cell in row.cells:
            out.extend(p.text for p in cell.paragraphs)
            for inner in cell.tables:
                out.extend(_table_lines(inner))
    return out


def docx_text(path: Path) -> str:
    """A rendered document's text as python-docx reads it: body paragraphs, table cells
    (nested tables included), headers and footers, one paragraph a line."""
    document = docx.Document(str(path))
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        out.extend(_table_lines(table))
    for section in document.sections:
        for part in (section.header, section.footer):
            out.extend(p.text for p in part.paragraphs)
    return "\n".join(out)


def plain_spaces(text: str) -> str:
    """The text with French typography's no-break spaces read as spaces (tests of content;
    tests/test_typography.py checks the typography itself)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")

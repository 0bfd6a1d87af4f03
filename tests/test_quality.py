"""ruff and mypy run as part of the test suite: style and types are checked like behaviour."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


def _tool(name: str) -> list[str]:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} n'est pas installé (pip install -e '.[test]')")
    return [found]


def test_ruff_check() -> None:
    done = subprocess.run(
        [*_tool("ruff"), "check", "src", "tests", "tools", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "src/actes"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr

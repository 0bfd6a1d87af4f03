"""The holidays cross-check is remembered per data file and holidays install; long dates
are babel's without babel."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.dates import format_date

from actes._paths import parameters_dir
from actes.errors import DefinitionError
from actes.law import calendar as calendar_module
from actes.law.calendar import calendar_for, long_date

D = dt.date


def _clear_caches() -> None:
    for name in ("_data", "_data_at", "_year", "_calendar"):
        clear = getattr(getattr(calendar_module, name, None), "cache_clear", None)
        if clear is not None:
            clear()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ACTES_CACHE_DIR", str(folder))
    _clear_caches()
    yield folder
    monkeypatch.delenv("ACTES_CACHE_DIR")
    _clear_caches()


def test_long_date_is_babels_french_long_date() -> None:
    days = [D(2024, 1, 1) + dt.timedelta(days=n) for n in range(4 * 366)]
    days += [D(year, month, 1) for year in range(1990, 2101, 7) for month in range(1, 13)]
    for day in days:
        pattern = "EEEE '1er' MMMM y" if day.day == 1 else "EEEE d MMMM y"
        assert long_date(day) == format_date(day, pattern, locale="fr_FR")
    assert long_date(D(2026, 5, 1)) == "vendredi 1er mai 2026"


def _run_deadline(cache_dir: Path) -> set[str]:
    """Modules imported by ``actes delai`` in a fresh interpreter using ``cache_dir``."""
    code = (
        "import json, sys\n"
        "from actes.cli import main\n"
        "try:\n"
        "    main(['delai', '2026-04-16', '15j'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    environment = {**os.environ, "ACTES_CACHE_DIR": str(cache_dir)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
        timeout=60,
    )
    assert "lundi 4 mai 2026" in result.stdout
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def test_a_checked_year_is_not_checked_again(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    assert "holidays" in _run_deadline(folder)
    (remembered,) = folder.glob("jours-feries-*.json")
    assert json.loads(remembered.read_text(encoding="utf-8")) == ["national:2026"]
    assert "holidays" not in _run_deadline(folder)


def test_a_changed_data_file_is_checked_again(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2006 agrees for the shipped file (Whit Monday is an explained difference)...
    assert not calendar_for(None).is_working_day(D(2006, 6, 5))
    assert any("national:2006" in p.read_text(encoding="utf-8") for p in cache.glob("*.json"))
    # ...but a copy without that explanation must still be refused.
    shutil.copytree(parameters_dir(), tmp_path / "parameters")
    data = tmp_path / "parameters" / "calendrier" / "jours_feries.yaml"
    text = data.read_text(encoding="utf-8")
    start = text.index("  - nom: Lundi de Pentecôte\n    departements: tous")
    end = text.index("  - nom: Abolition de l'esclavage (Saint-Martin)")
    data.write_text(text[:start] + text[end:], encoding="utf-8")
    monkeypatch.setenv("ACTES_DATA_DIR", str(tmp_path))
    _clear_caches()
    with pytest.raises(DefinitionError, match="2006-06-05"):
        calendar_for(None).is_working_day(D(2006, 6, 5))


def test_an_unwritable_cache_only_costs_time(cache: Path) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("not a folder", encoding="utf-8")
    assert calendar_for("57").is_working_day(D(2026, 4, 3)) is False  # Vendredi saint
    assert cache.read_text(encoding="utf-8") == "not a folder"

"""Dated rate tables: values, half-year boundaries, missing and unconfirmed rates, bad files."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from actes._paths import parameters_dir
from actes.errors import DefinitionError, RateMissing
from actes.law.rates import RateTables, format_percent, half_year_bounds, half_year_label

D = Decimal


@pytest.fixture(scope="module")
def tables() -> RateTables:
    return RateTables.load()


def test_load_is_cached() -> None:
    assert RateTables.load() is RateTables.load()


@pytest.mark.parametrize(
    ("day", "consumer", "expected"),
    [
        (dt.date(2015, 1, 1), True, "4.06"),
        (dt.date(2015, 1, 1), False, "0.93"),
        (dt.date(2019, 3, 1), False, "0.86"),  # a published table wrongly says 0.76
        (dt.date(2020, 6, 30), True, "3.15"),
        (dt.date(2023, 7, 1), False, "4.22"),
        (dt.date(2024, 8, 1), True, "8.16"),  # a published table swaps the 2024 S2 columns
        (dt.date(2024, 8, 1), False, "4.92"),
        (dt.date(2025, 12, 31), False, "2.76"),
        (dt.date(2026, 1, 1), False, "2.62"),
        (dt.date(2026, 6, 30), True, "6.67"),
    ],
)
def test_legal_rate_values(
    tables: RateTables, day: dt.date, consumer: bool, expected: str
) -> None:
    assert tables.legal_rate(day, creditor_is_consumer=consumer).rate == D(expected)


def test_legal_rate_boundary_2025_2026(tables: RateTables) -> None:
    before = tables.legal_rate(dt.date(2025, 12, 31), creditor_is_consumer=False)
    after = tables.legal_rate(dt.date(2026, 1, 1), creditor_is_consumer=False)
    assert (before.rate, before.valid_from, before.valid_until) == (
        D("2.76"),
        dt.date(2025, 7, 1),
        dt.date(2025, 12, 31),
    )
    assert (after.rate, after.valid_from, after.valid_until) == (
        D("2.62"),
        dt.date(2026, 1, 1),
        dt.date(2026, 6, 30),
    )
    assert after.confirmed
    assert "15 décembre 2025" in after.reference


def test_every_confirmed_half_year_is_present(tables: RateTables) -> None:
    day = dt.date(2015, 1, 1)
    while day < dt.date(2026, 7, 1):
        value = tables.legal_rate(day, creditor_is_consumer=True)
        assert value.valid_from == day and value.confirmed
        assert value.rate > tables.legal_rate(day, creditor_is_consumer=False).rate
        day = value.valid_until + dt.timedelta(days=1)


def test_unconfirmed_2026_s2_raises_by_default(tables: RateTables) -> None:
    with pytest.raises(RateMissing) as caught:
        tables.legal_rate(dt.date(2026, 7, 1), creditor_is_consumer=False)
    assert "2e semestre 2026" in caught.value.message
    assert "interet_legal.yaml" in caught.value.hint


def test_unconfirmed_2026_s2_when_allowed(tables: RateTables) -> None:
    value = tables.legal_rate(
        dt.date(2026, 9, 1), creditor_is_consumer=True, allow_unconfirmed=True
    )
    assert (value.rate, value.confirmed, value.half_year) == (
        D("6.84"),
        False,
        "2e semestre 2026",
    )
    other = tables.legal_rate(dt.date(2026, 9, 1), False, allow_unconfirmed=True)
    assert other.rate == D("2.75")


@pytest.mark.parametrize(
    ("day", "label"),
    [(dt.date(1999, 12, 31), "2e semestre 1999"), (dt.date(2027, 1, 1), "1er semestre 2027")],
)
def test_date_outside_tables(tables: RateTables, day: dt.date, label: str) -> None:
    with pytest.raises(RateMissing) as caught:
        tables.legal_rate(day, creditor_is_consumer=False, allow_unconfirmed=True)
    assert label in caught.value.message
    assert "interet_legal.yaml" in caught.value.hint
    with pytest.raises(RateMissing, match=label):
        tables.late_payment_default_rate(day, allow_unconfirmed=True)


@pytest.mark.parametrize(
    ("day", "ecb", "penalty"),
    [
        (dt.date(2015, 3, 1), "0.05", "10.05"),
        (dt.date(2016, 6, 30), "0.05", "10.05"),  # 0 % from 16 March 2016 counts from S2 only
        (dt.date(2016, 7, 1), "0.00", "10.00"),
        (dt.date(2022, 12, 31), "0.00", "10.00"),  # the rise of 27 July 2022 counts from 2023
        (dt.date(2023, 1, 1), "2.50", "12.50"),
        (dt.date(2023, 7, 1), "4.00", "14.00"),
        (dt.date(2024, 1, 1), "4.50", "14.50"),
        (dt.date(2024, 7, 1), "4.25", "14.25"),
        (dt.date(2025, 1, 1), "3.15", "13.15"),
        (dt.date(2025, 7, 1), "2.15", "12.15"),
        (dt.date(2026, 1, 1), "2.15", "12.15"),
    ],
)
def test_ecb_and_default_penalty(tables: RateTables, day: dt.date, ecb: str, penalty: str) -> None:
    assert tables.ecb_rate_for_half_year(day).rate == D(ecb)
    assert tables.late_payment_default_rate(day).rate == D(penalty)


def test_ecb_2026_s2_unconfirmed(tables: RateTables) -> None:
    with pytest.raises(RateMissing, match="BCE"):
        tables.late_payment_default_rate(dt.date(2026, 7, 1))
    value = tables.late_payment_default_rate(dt.date(2026, 7, 1), allow_unconfirmed=True)
    assert (value.rate, value.confirmed) == (D("12.40"), False)


def test_recovery_parameters(tables: RateTables) -> None:
    assert tables.recovery_indemnity(dt.date(2013, 1, 1)).value == D("40.00")
    assert "D441-5" in tables.recovery_indemnity(dt.date(2026, 1, 1)).reference
    with pytest.raises(RateMissing):
        tables.recovery_indemnity(dt.date(2012, 12, 31))
    assert tables.penalty_floor_factor(dt.date(2026, 1, 1)).value == D("3")
    assert tables.l313_3_majoration(dt.date(2026, 1, 1)).value == D("5")
    assert tables.l313_3_delay(dt.date(2026, 1, 1)).value == D("2")
    assert tables.ecb_majoration_points(dt.date(2026, 1, 1)).value == D("10")
    assert tables.day_basis_default == "365"
    assert set(tables.day_basis_labels) == {"365", "exact"}


def test_floor_2024_s1_beats_default(tables: RateTables) -> None:
    # Reference §2.3: 3 × 5.07 % = 15.21 % > ECB + 10 = 14.50 % in 2024 S1.
    day = dt.date(2024, 3, 1)
    floor = tables.penalty_floor_factor(day).value * tables.legal_rate(day, False).rate
    assert floor == D("15.21")
    assert tables.late_payment_default_rate(day).rate == D("14.50")


def test_half_year_helpers() -> None:
    assert half_year_bounds(dt.date(2026, 6, 30)) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert half_year_bounds(dt.date(2026, 7, 1)) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert half_year_label(dt.date(2026, 1, 1)) == "1er semestre 2026"
    assert half_year_label(dt.date(2026, 12, 31)) == "2e semestre 2026"
    assert format_percent(D("2.62")) == "2,62 %"
    assert format_percent(D("10")) == "10,00 %"
    assert format_percent(D("7.875")) == "7,875 %"


# --- broken parameter files -------------------------------------------------------------


def _copy_parameters(tmp_path: Path) -> Path:
    target = tmp_path / "parameters"
    shutil.copytree(parameters_dir(), target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "taux/interet_legal.yaml",
            'valid_from: "2015-07-01"',
            'valid_from: "2015-07-02"',
            "début de semestre",
        ),
        (
            "taux/interet_legal.yaml",
            '  - valid_from: "2016-01-01"\n    creancier_particulier: "4.54"',
            '  - valid_from: "2016-07-01"\n    creancier_particulier: "4.54"',
            "ne suit pas",
        ),
        ("taux/interet_legal.yaml", 'autres_cas: "0.93"', 'autres_cas: "0,93"', "pas un nombre"),
        (
            "taux/interet_legal.yaml",
            "    confirmed: true\n",
            "    confirmed: oui\n",
            "true ou false",
        ),
        ("taux/bce.yaml", 'taux: "0.05"', 'taux: "0.05"\n    extra: 1', "clé inconnue"),
        ("recouvrement.yaml", 'value: "40.00"', 'value: "-40"', "positif"),
        ("recouvrement.yaml", 'defaut: "365"', 'defaut: "360"', "options"),
    ],
)
def test_broken_files_raise_definition_error(
    tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    directory = _copy_parameters(tmp_path)
    _edit(directory / file, old, new)
    with pytest.raises(DefinitionError) as caught:
        RateTables.load(directory)
    issues = caught.value.issues
    assert any(expected in issue.message for issue in issues), [i.format() for i in issues]
    assert all(issue.file.endswith(Path(file).name) for issue in issues)


def test_missing_file_is_definition_error(tmp_path: Path) -> None:
    directory = _copy_parameters(tmp_path)
    (directory / "taux" / "bce.yaml").unlink()
    with pytest.raises(DefinitionError, match="introuvable"):
        RateTables.load(directory)


def test_user_can_confirm_2026_s2(tmp_path: Path) -> None:
    directory = _copy_parameters(tmp_path)
    _edit(directory / "taux" / "interet_legal.yaml", "    confirmed: false", "    confirmed: true")
    value = RateTables.load(directory).legal_rate(dt.date(2026, 7, 1), False)
    assert (value.rate, value.confirmed) == (D("2.75"), True)

"""Court calendars: national holidays (L3133-1), Alsace-Moselle, overseas, postal codes."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from actes._paths import parameters_dir
from actes.errors import DataProblem, DefinitionError, UsageProblem
from actes.law import calendar as calendar_module
from actes.law.calendar import (
    calendar_for,
    departement_code,
    departement_from_postal_code,
    is_overseas,
    long_date,
)

D = dt.date
L3133_1 = "C. trav. L3133-1"

# Easter Sunday 2026 is 5 April: Easter Monday = +1 (6 Apr), Ascension = +39 (14 May),
# Whit Monday = +50 (25 May), Good Friday = -2 (3 Apr), Mi-Carême = -24 (12 Mar).
NATIONAL_2026 = [
    (D(2026, 1, 1), "Jour de l'an"),
    (D(2026, 4, 6), "Lundi de Pâques"),
    (D(2026, 5, 1), "Fête du Travail"),
    (D(2026, 5, 8), "Fête de la Victoire"),
    (D(2026, 5, 14), "Ascension"),
    (D(2026, 5, 25), "Lundi de Pentecôte"),
    (D(2026, 7, 14), "Fête nationale"),
    (D(2026, 8, 15), "Assomption"),
    (D(2026, 11, 1), "Toussaint"),
    (D(2026, 11, 11), "Armistice"),
    (D(2026, 12, 25), "Noël"),
]


def test_national_calendar_is_the_l3133_1_list() -> None:
    found = calendar_for(None).holidays_in(2026)
    assert [(h.date, h.name) for h in found] == NATIONAL_2026
    assert {h.reference for h in found} == {L3133_1}


@pytest.mark.parametrize(("day", "name"), NATIONAL_2026)
def test_each_national_holiday_is_not_a_working_day(day: dt.date, name: str) -> None:
    for departement in (None, "75", "2A", "57", "971"):
        calendar = calendar_for(departement)
        assert not calendar.is_working_day(day)
        assert calendar.non_working_reason(day) == f"jour férié : {name} ({L3133_1})"


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2026, 4, 6), "jour férié : Lundi de Pâques (C. trav. L3133-1)"),
        (D(2026, 5, 2), "samedi"),
        (D(2026, 5, 3), "dimanche"),
        (D(2026, 5, 4), None),
        # 2008: Ascension (Easter 23 March + 39) fell on 1 May: both names are given.
        (
            D(2008, 5, 1),
            "jour férié : Fête du Travail (C. trav. L3133-1), Ascension (C. trav. L3133-1)",
        ),
    ],
)
def test_non_working_reason(day: dt.date, reason: str | None) -> None:
    assert calendar_for(None).non_working_reason(day) == reason


@pytest.mark.parametrize(
    "day",
    # Whit Monday in the journée de solidarité years: Easter 27 Mar 2005 + 50 = 16 May 2005,
    # 16 Apr 2006 + 50 = 5 Jun 2006, 8 Apr 2007 + 50 = 28 May 2007. The holidays package
    # omits them; L3133-1 and Cass. crim. 10 May 2006 keep them.
    [D(2005, 5, 16), D(2006, 6, 5), D(2007, 5, 28)],
)
def test_whit_monday_2005_2007_override(day: dt.date) -> None:
    assert calendar_for(None).non_working_reason(day) == (
        "jour férié : Lundi de Pentecôte (C. trav. L3133-1)"
    )


@pytest.mark.parametrize("departement", ["57", "67", "68"])
def test_alsace_moselle_good_friday_and_26_december(departement: str) -> None:
    calendar = calendar_for(departement)
    # Good Friday 2026 = Easter 5 Apr - 2 = Friday 3 Apr; 26 Dec 2025 is a Friday.
    assert calendar.non_working_reason(D(2026, 4, 3)) == (
        "jour férié : Vendredi saint (C. trav. L3134-13)"
    )
    assert calendar.non_working_reason(D(2025, 12, 26)) == (
        "jour férié : Saint-Étienne (C. trav. L3134-13)"
    )
    assert len(calendar.holidays_in(2026)) == 13


@pytest.mark.parametrize("departement", [None, "75", "2B", "971"])
def test_no_alsace_days_elsewhere(departement: str | None) -> None:
    calendar = calendar_for(departement)
    assert calendar.is_working_day(D(2026, 4, 3))
    assert calendar.is_working_day(D(2025, 12, 26))


@pytest.mark.parametrize(
    ("departement", "day"),
    [
        ("971", D(2026, 5, 27)),  # Guadeloupe, Wednesday
        ("972", D(2026, 5, 22)),  # Martinique, Friday
        ("973", D(2026, 6, 10)),  # Guyane, Wednesday
        ("974", D(2027, 12, 20)),  # La Réunion, Monday
        ("976", D(2026, 4, 27)),  # Mayotte, Monday
        ("977", D(2026, 10, 9)),  # Saint-Barthélemy, Friday
        ("978", D(2026, 5, 28)),  # Saint-Martin since 2018, Thursday
        ("978", D(2015, 5, 27)),  # Saint-Martin until 2017 (package says 28 May)
    ],
)
def test_overseas_abolition_days(departement: str, day: dt.date) -> None:
    reason = calendar_for(departement).non_working_reason(day)
    assert reason is not None
    assert reason.startswith("jour férié : Abolition de l'esclavage (C. trav. L3422-2")
    assert calendar_for("75").is_working_day(day)


def test_saint_martin_28_may_before_2018_is_a_working_day() -> None:
    assert calendar_for("978").is_working_day(D(2015, 5, 28))


@pytest.mark.parametrize(
    ("departement", "day", "name"),
    [
        ("971", D(2026, 7, 21), "Fête de Victor Schoelcher"),
        ("972", D(2026, 7, 21), "Fête de Victor Schoelcher"),
        ("978", D(2026, 7, 21), "Fête de Victor Schoelcher"),
        ("971", D(2026, 4, 3), "Vendredi saint"),
        ("971", D(2026, 3, 12), "Mi-Carême"),
    ],
)
def test_unconfirmed_local_days_are_working_days_and_flagged(
    departement: str, day: dt.date, name: str
) -> None:
    calendar = calendar_for(departement)
    assert calendar.is_working_day(day)
    assert calendar.not_counted_on(day) == (name,)
    assert name in calendar.description
    assert "non retenus" in calendar.description


def test_next_working_day_is_strictly_after() -> None:
    calendar = calendar_for(None)
    assert calendar.next_working_day(D(2026, 5, 1)) == D(2026, 5, 4)
    assert calendar.next_working_day(D(2026, 5, 4)) == D(2026, 5, 5)
    # Sunday 20 May 2018, then Whit Monday 21 May.
    assert calendar.next_working_day(D(2018, 5, 20)) == D(2018, 5, 22)


def test_calendar_instances_are_cached_and_codes_normalized() -> None:
    assert calendar_for("75") is calendar_for(" 75 ")
    assert calendar_for("2a").departement == "2A"
    assert calendar_for("1").departement == "01"
    assert calendar_for(None).departement is None


@pytest.mark.parametrize("code", ["99", "20", "00", "96", "abc", "987", "988", "986", ""])
def test_courts_without_a_calendar_are_usage_problems(code: str) -> None:
    with pytest.raises(UsageProblem):
        calendar_for(code)


def test_year_outside_the_data_is_a_data_problem() -> None:
    # A problem of the dates given, exit code 1 (was a usage problem, exit 2).
    with pytest.raises(DataProblem, match="1950 à 2100"):
        calendar_for(None).is_working_day(D(1945, 5, 1))


@pytest.mark.parametrize(
    ("code_postal", "departement"),
    [
        ("75001", "75"),
        ("01000", "01"),
        ("20000", "2A"),  # Ajaccio
        ("20137", "2A"),  # Porto-Vecchio
        ("20200", "2B"),  # Bastia
        ("20600", "2B"),  # Bastia / Furiani
        ("97100", "971"),
        ("97200", "972"),
        ("97300", "973"),
        ("97400", "974"),
        ("97500", "975"),
        ("97600", "976"),
        ("97133", "977"),  # Saint-Barthélemy keeps a 971 postal code
        ("97150", "978"),  # Saint-Martin too
        ("98800", "988"),
        ("98714", "987"),
        (" 67 000", "67"),
    ],
)
def test_departement_from_postal_code(code_postal: str, departement: str) -> None:
    assert departement_from_postal_code(code_postal) == departement


@pytest.mark.parametrize("code_postal", ["98000", "7500", "750011", "96000", "00100", "ABCDE"])
def test_bad_or_foreign_postal_codes(code_postal: str) -> None:
    with pytest.raises(UsageProblem):
        departement_from_postal_code(code_postal)


def test_monaco_is_named() -> None:
    with pytest.raises(UsageProblem, match="Monaco"):
        departement_from_postal_code("98000")


@pytest.mark.parametrize(
    ("code", "overseas"),
    [("971", True), ("977", True), ("987", True), ("75", False), ("2A", False)],
)
def test_is_overseas(code: str, overseas: bool) -> None:
    assert is_overseas(code) is overseas


def test_is_overseas_rejects_unknown_codes() -> None:
    with pytest.raises(UsageProblem):
        is_overseas("99")
    assert departement_code("2b") == "2B"


def test_long_date_writes_1er() -> None:
    assert long_date(D(2026, 5, 1)) == "vendredi 1er mai 2026"
    assert long_date(D(2026, 5, 4)) == "lundi 4 mai 2026"


def _clear_caches() -> None:
    calendar_module._data_at.cache_clear()
    calendar_module._year.cache_clear()
    calendar_module._calendar.cache_clear()


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    shutil.copytree(parameters_dir(), tmp_path / "parameters")
    monkeypatch.setenv("ACTES_DATA_DIR", str(tmp_path))
    _clear_caches()
    yield tmp_path / "parameters" / "calendrier" / "jours_feries.yaml"
    monkeypatch.delenv("ACTES_DATA_DIR")
    _clear_caches()


def test_disagreement_with_the_holidays_package_is_refused(data_copy: Path) -> None:
    # Without the documented override, the package's missing Whit Monday 2006 must be caught.
    text = data_copy.read_text(encoding="utf-8")
    start = text.index("  - nom: Lundi de Pentecôte\n    departements: tous")
    end = text.index("  - nom: Abolition de l'esclavage (Saint-Martin)")
    data_copy.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(DefinitionError, match="2006-06-05"):
        calendar_for(None).is_working_day(D(2006, 6, 5))
    assert calendar_for(None).is_working_day(D(2026, 6, 5))


def test_broken_data_file_is_a_definition_error(data_copy: Path) -> None:
    data_copy.write_text("zones: {}\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match="structure invalide"):
        calendar_for(None).holidays_in(2026)

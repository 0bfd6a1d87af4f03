"""Deadlines: CPC 640-644, R622-24, Regulation 1182/71, prescription, hand-computed tables."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actes.errors import DataProblem, UsageProblem
from actes.law.calendar import calendar_for
from actes.law.deadlines import (
    Duration,
    Extension,
    compute_deadline,
    days_left,
    distance_extension,
    status,
)

D = dt.date


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("15j", 15, "jours"),
        ("2m", 2, "mois"),
        ("1a", 1, "ans"),
        ("15 jours", 15, "jours"),
        ("1 jour", 1, "jours"),
        ("2 mois", 2, "mois"),
        ("1 an", 1, "ans"),
        ("3 ans", 3, "ans"),
        (" 30 J ", 30, "jours"),
    ],
)
def test_duration_parse(text: str, amount: int, unit: str) -> None:
    assert Duration.parse(text) == Duration(amount, unit)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "15", "j15", "-3j", "0j", "1.5m", "15 semaines", "2 moi"])
def test_duration_parse_rejects_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(UsageProblem) as caught:
        Duration.parse(text)
    assert "15j, 2m, 1a" in caught.value.hint


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (Duration(1, "jours"), "1 jour"),
        (Duration(15, "jours"), "15 jours"),
        (Duration(2, "mois"), "2 mois"),
        (Duration(1, "ans"), "1 an"),
        (Duration(3, "ans"), "3 ans"),
    ],
)
def test_duration_str(duration: Duration, text: str) -> None:
    assert str(duration) == text


# (start, duration, département, nominal end, final end): reasoning in each comment.
TABLE = [
    # 16 Apr + 15 days = Fri 1 May 2026 (Fête du Travail), Sat 2, Sun 3 → Mon 4 May.
    (D(2026, 4, 16), "15j", None, D(2026, 5, 1), D(2026, 5, 4)),
    # Cass. 3e civ., 21 Jan 2021: ends Sun 20 May 2018, Mon 21 = Whit Monday → Tue 22 May.
    (D(2018, 5, 5), "15j", "75", D(2018, 5, 20), D(2018, 5, 22)),
    # Months keep the quantième: 5 Oct + 3 months = Tue 5 Jan 2027 (working day).
    (D(2026, 10, 5), "3m", None, D(2027, 1, 5), D(2027, 1, 5)),
    # 5 Aug + 6 months = Fri 5 Feb 2027.
    (D(2026, 8, 5), "6m", None, D(2027, 2, 5), D(2027, 2, 5)),
    # 20 Oct + 1 month = Fri 20 Nov 2026.
    (D(2026, 10, 20), "1m", None, D(2026, 11, 20), D(2026, 11, 20)),
    # 31 Jan + 1 month: no 31 Feb → last day, Sat 28 Feb 2026 → Mon 2 Mar.
    (D(2026, 1, 31), "1m", None, D(2026, 2, 28), D(2026, 3, 2)),
    # Leap year: 31 Jan 2028 + 1 month = Tue 29 Feb 2028.
    (D(2028, 1, 31), "1m", None, D(2028, 2, 29), D(2028, 2, 29)),
    # 29 Feb 2028 + 1 year: no 29 Feb 2029 → Wed 28 Feb 2029.
    (D(2028, 2, 29), "1a", None, D(2029, 2, 28), D(2029, 2, 28)),
    # 31 Mar + 1 month: no 31 Apr → Thu 30 Apr 2026.
    (D(2026, 3, 31), "1m", None, D(2026, 4, 30), D(2026, 4, 30)),
    # 30 Apr + 1 month = Sat 30 May 2026, Sun 31 → Mon 1 Jun.
    (D(2026, 4, 30), "1m", None, D(2026, 5, 30), D(2026, 6, 1)),
    # Easter Monday: 22 Mar + 15 = Mon 6 Apr 2026 → Tue 7 Apr.
    (D(2026, 3, 22), "15j", None, D(2026, 4, 6), D(2026, 4, 7)),
    # Ascension: 29 Apr + 15 = Thu 14 May 2026 → Fri 15 May.
    (D(2026, 4, 29), "15j", None, D(2026, 5, 14), D(2026, 5, 15)),
    # Whit Monday: 10 May + 15 = Mon 25 May 2026 → Tue 26 May.
    (D(2026, 5, 10), "15j", None, D(2026, 5, 25), D(2026, 5, 26)),
    # 8 May: 23 Apr + 15 = Fri 8 May 2026, weekend → Mon 11 May.
    (D(2026, 4, 23), "15j", None, D(2026, 5, 8), D(2026, 5, 11)),
    # Whit Monday 2005 (Cass. crim. 10 May 2006): 6 May + 10 = Mon 16 May 2005 → Tue 17 May.
    (D(2005, 5, 6), "10j", None, D(2005, 5, 16), D(2005, 5, 17)),
    # Whit Monday 2006 = 5 Jun; 2007 = 28 May: both extended to the Tuesday.
    (D(2006, 5, 21), "15j", None, D(2006, 6, 5), D(2006, 6, 6)),
    (D(2007, 5, 13), "15j", None, D(2007, 5, 28), D(2007, 5, 29)),
    # 14 July: 29 Jun + 15 = Tue 14 Jul 2026 → Wed 15 Jul.
    (D(2026, 6, 29), "15j", None, D(2026, 7, 14), D(2026, 7, 15)),
    # 15 August: 31 Jul + 15 = Fri 15 Aug 2025, weekend → Mon 18 Aug.
    (D(2025, 7, 31), "15j", None, D(2025, 8, 15), D(2025, 8, 18)),
    # 1 November: 17 Oct + 15 = Mon 1 Nov 2027 → Tue 2 Nov.
    (D(2027, 10, 17), "15j", None, D(2027, 11, 1), D(2027, 11, 2)),
    # 11 November: 27 Oct + 15 = Wed 11 Nov 2026 → Thu 12 Nov.
    (D(2026, 10, 27), "15j", None, D(2026, 11, 11), D(2026, 11, 12)),
    # 25 December: 10 Dec + 15 = Thu 25 Dec 2025 → Fri 26 Dec (no Saint-Étienne in Paris).
    (D(2025, 12, 10), "15j", "75", D(2025, 12, 25), D(2025, 12, 26)),
    # ... in Bas-Rhin, Fri 26 Dec is Saint-Étienne, then the weekend → Mon 29 Dec.
    (D(2025, 12, 10), "15j", "67", D(2025, 12, 25), D(2025, 12, 29)),
    # 1 January: 17 Dec + 15 = Fri 1 Jan 2027, weekend → Mon 4 Jan.
    (D(2026, 12, 17), "15j", None, D(2027, 1, 1), D(2027, 1, 4)),
    # Good Friday 3 Apr 2026 in Moselle, weekend, Easter Monday 6 Apr → Tue 7 Apr.
    (D(2026, 3, 19), "15j", "57", D(2026, 4, 3), D(2026, 4, 7)),
    (D(2026, 3, 19), "15j", "68", D(2026, 4, 3), D(2026, 4, 7)),
    # ... but a working day in Paris.
    (D(2026, 3, 19), "15j", "75", D(2026, 4, 3), D(2026, 4, 3)),
    # Martinique: Fri 22 May 2026, weekend, Whit Monday 25 May → Tue 26 May.
    (D(2026, 5, 7), "15j", "972", D(2026, 5, 22), D(2026, 5, 26)),
    (D(2026, 5, 7), "15j", "75", D(2026, 5, 22), D(2026, 5, 22)),
    # Guadeloupe: Wed 27 May 2026 → Thu 28 May.
    (D(2026, 5, 12), "15j", "971", D(2026, 5, 27), D(2026, 5, 28)),
    # La Réunion: Mon 20 Dec 2027 → Tue 21 Dec.
    (D(2027, 12, 5), "15j", "974", D(2027, 12, 20), D(2027, 12, 21)),
    # Guadeloupe, 21 July (Schœlcher) not retained: Tue 21 Jul 2026 stays.
    (D(2026, 7, 6), "15j", "971", D(2026, 7, 21), D(2026, 7, 21)),
]


@pytest.mark.parametrize(("start", "duration", "departement", "nominal", "final"), TABLE)
def test_cpc_table(
    start: dt.date, duration: str, departement: str | None, nominal: dt.date, final: dt.date
) -> None:
    result = compute_deadline(start, Duration.parse(duration), calendar_for(departement))
    assert (result.date_nominale, result.date_limite) == (nominal, final)
    assert result.departement == (None if departement is None else departement)


def test_trace_of_the_1st_of_may_example() -> None:
    result = compute_deadline(D(2026, 4, 16), Duration.parse("15j"), calendar_for(None))
    trace = "\n".join(result.trace)
    assert "jeudi 16 avril 2026" in result.trace[0]
    assert "art. 641 al. 1" in result.trace[0]
    assert (
        "le vendredi 1er mai 2026 est un jour férié (Fête du Travail, C. trav. L3133-1)" in trace
    )
    assert "le samedi 2 mai 2026 n'est pas un jour ouvrable" in trace
    assert "le dimanche 3 mai 2026 n'est pas un jour ouvrable" in trace
    assert "art. 642 al. 2" in trace
    assert result.trace[-1] == "Le délai expire le lundi 4 mai 2026 à 24 heures (art. 642 al. 1)."
    assert result.fondement == ("CPC art. 640", "CPC art. 641", "CPC art. 642")
    assert result.summary() == (
        "Le délai de 15 jours courant à compter du jeudi 16 avril 2026 expire le "
        "lundi 4 mai 2026 à 24 heures."
    )


def test_months_trace_mentions_quantieme() -> None:
    result = compute_deadline(D(2026, 1, 31), Duration.parse("1m"), calendar_for(None))
    assert "art. 641 al. 2" in result.trace[0]


def test_unretained_local_day_is_flagged_in_the_trace() -> None:
    result = compute_deadline(D(2026, 7, 6), Duration.parse("15j"), calendar_for("971"))
    trace = "\n".join(result.trace)
    assert "Fête de Victor Schoelcher) n'est pas retenu comme jour férié" in trace
    assert "Calendrier appliqué : jours fériés légaux, Guadeloupe (971)" in trace


def test_months_first_example() -> None:
    # S11: 15-day appeal from 12 Feb, +1 month (643): 12 Mar, then +15 days = Fri 27 Mar 2026.
    extension = distance_extension(None, "outre-mer")
    result = compute_deadline(
        D(2026, 2, 12), Duration.parse("15j"), calendar_for(None), extension=extension
    )
    assert result.date_nominale == result.date_limite == D(2026, 3, 27)
    assert "jeudi 12 mars 2026" in result.trace[1]
    assert "art. 641 al. 3" in result.trace[1]
    assert result.fondement[-1] == "CPC art. 643"


def test_month_extension_counts_from_the_start_quantieme() -> None:
    # 1 month + 1 month from 31 Jan = 2 months = Tue 31 Mar 2026 (not 28 Mar, which chaining
    # 31 Jan → 28 Feb → 28 Mar would give).
    extension = distance_extension(None, "outre-mer")
    result = compute_deadline(
        D(2026, 1, 31), Duration.parse("1m"), calendar_for(None), extension=extension
    )
    assert result.date_limite == D(2026, 3, 31)


def test_r622_24_declaration_de_creance() -> None:
    # BODACC 15 Mar 2026, 2 months + 2 months (creditor abroad) = Wed 15 Jul 2026.
    extension = distance_extension(None, "etranger", rule="r622_24")
    result = compute_deadline(
        D(2026, 3, 15),
        Duration.parse("2m"),
        calendar_for("75"),
        extension=extension,
        basis=["C. com. art. L622-24"],
    )
    assert result.date_limite == D(2026, 7, 15)
    assert result.fondement == (
        "CPC art. 640",
        "CPC art. 641",
        "CPC art. 642",
        "C. com. art. L622-24",
        "C. com. art. R622-24",
    )


@pytest.mark.parametrize(
    ("court", "residence", "residence_departement", "rule", "months", "basis"),
    [
        (None, "metropole", None, "cpc_643_644", 0, "CPC art. 643"),
        ("75", "outre-mer", None, "cpc_643_644", 1, "CPC art. 643"),
        ("75", "outre-mer", "987", "cpc_643_644", 1, "CPC art. 643"),
        ("75", "etranger", None, "cpc_643_644", 2, "CPC art. 643"),
        ("971", "outre-mer", "971", "cpc_643_644", 0, "CPC art. 644"),
        ("971", "outre-mer", "978", "cpc_643_644", 1, "CPC art. 644"),
        ("971", "metropole", None, "cpc_643_644", 1, "CPC art. 644"),
        ("971", "metropole", "75", "cpc_643_644", 1, "CPC art. 644"),
        ("975", "etranger", None, "cpc_643_644", 2, "CPC art. 644"),
        ("75", "metropole", None, "r622_24", 0, "C. com. art. R622-24"),
        ("75", "outre-mer", None, "r622_24", 2, "C. com. art. R622-24"),
        ("75", "etranger", None, "r622_24", 2, "C. com. art. R622-24"),
        ("974", "outre-mer", "974", "r622_24", 0, "C. com. art. R622-24"),
        ("974", "metropole", None, "r622_24", 2, "C. com. art. R622-24"),
        ("974", "outre-mer", "976", "r622_24", 2, "C. com. art. R622-24"),
        ("75", "etranger", None, "aucune", 0, ""),
    ],
)
def test_distance_extension(
    court: str | None,
    residence: str,
    residence_departement: str | None,
    rule: str,
    months: int,
    basis: str,
) -> None:
    extension = distance_extension(court, residence, residence_departement, rule)  # type: ignore[arg-type]
    assert (extension.months, extension.basis) == (months, basis)
    assert extension.explanation


@pytest.mark.parametrize(
    ("court", "residence", "residence_departement"),
    [
        ("971", "outre-mer", None),  # same collectivité or not: must be said
        ("75", "lune", None),
        ("75", "etranger", "75"),
        ("75", "metropole", "971"),
        ("75", "outre-mer", "75"),
        ("99", "metropole", None),
    ],
)
def test_distance_extension_usage_problems(
    court: str, residence: str, residence_departement: str | None
) -> None:
    with pytest.raises(UsageProblem):
        distance_extension(court, residence, residence_departement)


def test_no_extension_is_traced() -> None:
    extension = distance_extension("75", "metropole")
    result = compute_deadline(
        D(2026, 10, 20), Duration.parse("1m"), calendar_for("75"), extension=extension
    )
    assert result.date_limite == D(2026, 11, 20)
    assert any(step.startswith("Aucune augmentation") for step in result.trace)
    assert "CPC art. 643" not in result.fondement


def test_regulation_1182_71_european_order_for_payment() -> None:
    # Service Wed 1 Apr 2026: day 1 is 2 Apr, day 30 is Fri 1 May (holiday) → Mon 4 May.
    result = compute_deadline(
        D(2026, 4, 1),
        Duration.parse("30j"),
        calendar_for("57"),
        counting="reglement_1182_71",
        basis=["Règlement (CE) n° 1896/2006 art. 16"],
    )
    assert (result.date_nominale, result.date_limite) == (D(2026, 5, 1), D(2026, 5, 4))
    assert result.fondement == (
        "Règlement (CEE, Euratom) n° 1182/71 art. 3",
        "Règlement (CE) n° 1896/2006 art. 16",
    )
    assert "art. 3 § 4" in "\n".join(result.trace)


def test_regulation_1182_71_two_working_days() -> None:
    # 2 days from Thu 30 Apr 2026 end Sat 2 May → Mon 4 May (art. 3 § 4); the period
    # (1 May holiday, 2-3 weekend, 4 May) has one working day, so § 5 → Tue 5 May.
    result = compute_deadline(
        D(2026, 4, 30), Duration.parse("2j"), calendar_for(None), counting="reglement_1182_71"
    )
    assert result.date_limite == D(2026, 5, 5)
    assert "art. 3 § 5" in "\n".join(result.trace)
    # Same start in CPC counting: Mon 4 May.
    cpc = compute_deadline(D(2026, 4, 30), Duration.parse("2j"), calendar_for(None))
    assert cpc.date_limite == D(2026, 5, 4)


def test_prescription_is_not_extended() -> None:
    # 5 years from 16 May 2021 = Sat 16 May 2026: no art. 642 extension.
    result = compute_deadline(
        D(2021, 5, 16), Duration.parse("5 ans"), calendar_for(None), counting="prescription"
    )
    assert result.date_nominale == result.date_limite == D(2026, 5, 16)
    trace = "\n".join(result.trace)
    assert "n'est pas reportée" in trace
    assert "pas de report" in trace
    assert "CPC art. 642" not in result.fondement


def test_maximum_duration_is_not_extended() -> None:
    # Suspension of L722-3 (2 years max) from Sat 1 Jun 2024 → Mon 1 Jun 2026 (not moved).
    result = compute_deadline(
        D(2024, 6, 1),
        Duration.parse("2 ans"),
        calendar_for(None),
        counting="duree_maximale",
        basis=["C. consom. art. L722-3"],
    )
    assert result.date_limite == D(2026, 6, 1)
    assert "l'art. 642 ne la reporte pas" in "\n".join(result.trace)
    assert result.summary().endswith("prend fin le lundi 1er juin 2026 à 24 heures.")


@pytest.mark.parametrize("counting", ["prescription", "duree_maximale", "reglement_1182_71"])
def test_distance_extension_only_for_cpc(counting: str) -> None:
    extension = Extension(1, "CPC art. 643", "outre-mer")
    with pytest.raises(UsageProblem):
        compute_deadline(
            D(2026, 1, 5),
            Duration.parse("1m"),
            calendar_for(None),
            extension=extension,
            counting=counting,  # type: ignore[arg-type]
        )


def test_as_dict() -> None:
    extension = distance_extension(None, "etranger")
    result = compute_deadline(
        D(2026, 4, 16), Duration.parse("15j"), calendar_for("57"), extension=extension
    )
    data = result.as_dict()
    assert data["date_depart"] == "2026-04-16"
    assert data["duree"] == "15 jours"
    assert data["date_nominale"] == data["date_limite"] == "2026-07-01"
    assert data["prolongation"] == {
        "mois": 2,
        "fondement": "CPC art. 643",
        "explication": "personne demeurant à l'étranger, juridiction en métropole",
    }
    assert data["departement"] == "57"
    assert isinstance(data["trace"], list)
    assert isinstance(data["fondement"], list)


@pytest.mark.parametrize(
    ("au", "expected", "left"),
    [
        (D(2026, 5, 1), "a_venir", 3),
        (D(2026, 5, 4), "aujourd_hui", 0),
        (D(2026, 5, 5), "depasse", -1),
    ],
)
def test_status_and_days_left(au: dt.date, expected: str, left: int) -> None:
    assert status(D(2026, 5, 4), au) == expected
    assert days_left(D(2026, 5, 4), au) == left


def test_far_future_is_a_data_problem() -> None:
    # A problem of the dates given, exit code 1 (was a usage problem, exit 2).
    with pytest.raises(DataProblem):
        compute_deadline(D(2026, 1, 1), Duration(200, "ans"), calendar_for(None))


DEPARTEMENTS = [None, "75", "57", "67", "68", "2A", "971", "972", "973", "974", "976", "978"]
durations = st.one_of(
    st.builds(Duration, st.integers(1, 400), st.just("jours")),
    st.builds(Duration, st.integers(1, 60), st.just("mois")),
    st.builds(Duration, st.integers(1, 5), st.just("ans")),
)
starts = st.dates(D(1995, 1, 1), D(2090, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=starts, duration=durations, departement=st.sampled_from(DEPARTEMENTS))
def test_final_is_a_working_day_never_before_nominal(
    start: dt.date, duration: Duration, departement: str | None
) -> None:
    calendar = calendar_for(departement)
    result = compute_deadline(start, duration, calendar)
    assert calendar.is_working_day(result.date_limite)
    assert result.date_limite >= result.date_nominale
    # Every day skipped is a non-working day.
    day = result.date_nominale
    while day < result.date_limite:
        assert not calendar.is_working_day(day)
        day += dt.timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(start=starts, days=st.integers(1, 1000))
def test_days_nominal_is_start_plus_n(start: dt.date, days: int) -> None:
    result = compute_deadline(start, Duration(days, "jours"), calendar_for(None))
    assert result.date_nominale == start + dt.timedelta(days=days)


@settings(max_examples=200, deadline=None)
@given(
    start=starts,
    duration=durations,
    departement=st.sampled_from(DEPARTEMENTS),
    months=st.integers(1, 2),
)
def test_extension_never_shortens(
    start: dt.date, duration: Duration, departement: str | None, months: int
) -> None:
    calendar = calendar_for(departement)
    plain = compute_deadline(start, duration, calendar)
    extended = compute_deadline(
        start, duration, calendar, extension=Extension(months, "CPC art. 643", "test")
    )
    assert extended.date_nominale > plain.date_nominale
    assert extended.date_limite >= plain.date_limite
    assert calendar.is_working_day(extended.date_limite)

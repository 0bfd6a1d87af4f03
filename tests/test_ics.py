"""iCalendar export: one all-day event per deadline, an alarm, reproducible bytes."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from actes.documents.ics import IcsDeadline, deadlines_to_ics
from actes.law.calendar import calendar_for
from actes.law.deadlines import Duration, compute_deadline

STAMP = dt.datetime(2026, 4, 16, 9, 30, tzinfo=dt.UTC)


def _events() -> list[IcsDeadline]:
    opposition = compute_deadline(
        dt.date(2026, 4, 16), Duration.parse("15j"), calendar_for("75"), basis=["CPC art. 1416"]
    )
    return [
        IcsDeadline.from_result(opposition, "Fin du délai d'opposition", uid_seed="dossier-1"),
        IcsDeadline(
            uid_seed="dossier-1/signification",
            label="Signifier l'ordonnance",
            date=dt.date(2026, 10, 20),
            description="CPC art. 1411 : 6 mois à compter de l'ordonnance.",
        ),
    ]


def test_events_parse_back() -> None:
    data = deadlines_to_ics(_events(), "Dossier 1", dtstamp=STAMP)
    parsed = Calendar.from_ical(data)
    assert str(parsed["X-WR-CALNAME"]) == "Dossier 1"
    events = list(parsed.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == [
        "Fin du délai d'opposition",
        "Signifier l'ordonnance",
    ]
    first = events[0]
    assert first.decoded("DTSTART") == dt.date(2026, 5, 4)
    assert first.decoded("DTEND") == dt.date(2026, 5, 5)
    assert first.decoded("DTSTAMP") == STAMP
    description = str(first["DESCRIPTION"])
    assert "expire le lundi 4 mai 2026 à 24 heures" in description
    assert "CPC art. 642" in description
    assert "CPC art. 1416" in description
    assert "le vendredi 1er mai 2026 est un jour férié" in description
    assert events[1].decoded("DTSTART") == dt.date(2026, 10, 20)


def test_alarm_seven_days_before() -> None:
    parsed = Calendar.from_ical(deadlines_to_ics(_events(), "Dossier 1", dtstamp=STAMP))
    for event in parsed.walk("VEVENT"):
        alarms = list(event.walk("VALARM"))
        assert len(alarms) == 1
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0].decoded("TRIGGER") == dt.timedelta(days=-7)


def test_output_is_reproducible_and_uids_are_stable() -> None:
    first = deadlines_to_ics(_events(), "Dossier 1", dtstamp=STAMP)
    assert first == deadlines_to_ics(_events(), "Dossier 1", dtstamp=STAMP)
    assert deadlines_to_ics(_events(), "Dossier 1") == deadlines_to_ics(_events(), "Dossier 1")
    uids = [str(e["UID"]) for e in Calendar.from_ical(first).walk("VEVENT")]
    assert len(set(uids)) == 2
    assert all(uid.endswith("@actes") for uid in uids)
    moved = IcsDeadline(
        "dossier-1/signification", "Signifier l'ordonnance", dt.date(2026, 10, 21), ""
    )
    assert moved.uid != _events()[1].uid


def test_empty_calendar() -> None:
    parsed = Calendar.from_ical(deadlines_to_ics([], "Vide"))
    assert list(parsed.walk("VEVENT")) == []

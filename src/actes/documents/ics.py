"""Deadlines as an iCalendar file (RFC 5545) for the user's agenda.

The output is reproducible: UIDs are derived from the content and DTSTAMP comes from an
argument, so the same deadlines always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from icalendar import Alarm, Calendar, Event

from actes import __version__
from actes.law.deadlines import DeadlineResult

__all__ = ["ALARM_DAYS_BEFORE", "IcsDeadline", "deadlines_to_ics"]

ALARM_DAYS_BEFORE = 7
_PRODID = f"-//actes//actes {__version__}//FR"


@dataclass(frozen=True)
class IcsDeadline:
    """One deadline to put in a calendar: a label, its last day, and its explanation."""

    uid_seed: str
    label: str
    date: dt.date
    description: str

    @classmethod
    def from_result(cls, result: DeadlineResult, label: str, uid_seed: str = "") -> IcsDeadline:
        """Event text from a computed deadline: the summary, the legal basis, the trace."""
        lines = [
            result.summary(),
            "",
            "Fondement : " + ", ".join(result.fondement),
            "",
            "Calcul :",
            *(f"- {step}" for step in result.trace),
        ]
        seed = uid_seed or f"{result.start.isoformat()}|{result.duration}|{result.departement}"
        return cls(
            uid_seed=seed, label=label, date=result.date_limite, description="\n".join(lines)
        )

    @property
    def uid(self) -> str:
        digest = hashlib.sha256(
            "\x1f".join((self.uid_seed, self.label, self.date.isoformat())).encode("utf-8")
        ).hexdigest()
        return f"{digest[:32]}@actes"


def deadlines_to_ics(
    events: Sequence[IcsDeadline],
    calendar_name: str,
    *,
    dtstamp: dt.datetime | None = None,
) -> bytes:
    """An iCalendar file with one all-day event per deadline and an alarm 7 days before.

    ``dtstamp`` (UTC) stamps every event; by default, midnight UTC of the earliest deadline,
    so that output never depends on the clock.
    """
    if dtstamp is None:
        earliest = min((event.date for event in events), default=dt.date(1970, 1, 1))
        dtstamp = dt.datetime.combine(earliest, dt.time(), tzinfo=dt.UTC)
    elif dtstamp.tzinfo is None:
        dtstamp = dtstamp.replace(tzinfo=dt.UTC)
    else:
        dtstamp = dtstamp.astimezone(dt.UTC)

    calendar = Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", calendar_name)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", dtstamp)
        event.add("dtstart", item.date)
        event.add("dtend", item.date + dt.timedelta(days=1))
        event.add("summary", item.label)
        event.add("description", item.description)
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Dans {ALARM_DAYS_BEFORE} jours : {item.label}")
        alarm.add("trigger", dt.timedelta(days=-ALARM_DAYS_BEFORE))
        event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())

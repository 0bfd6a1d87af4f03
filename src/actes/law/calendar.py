"""The calendar of a French court: which days are worked, for CPC art. 642.

The legal days come from ``parameters/calendrier/jours_feries.yaml`` (article and source for
each). The ``holidays`` package computes the same days independently; every year used is
checked against it, and a difference not explained in the data file is a
:class:`~actes.errors.DefinitionError` rather than a silently wrong deadline. A year found in
agreement is remembered for that data file and that ``holidays`` install (:mod:`actes._cache`):
importing ``holidays`` costs more than the whole of ``actes delai``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from actes._cache import remember, remembered
from actes._io import load_document
from actes._paths import data_file
from actes.errors import DataProblem, DefinitionError, UsageProblem

__all__ = [
    "CourtCalendar",
    "HolidayRangeError",
    "PublicHoliday",
    "calendar_for",
    "departement_code",
    "departement_from_postal_code",
    "is_overseas",
    "long_date",
]

_DATA_FILE = ("calendrier", "jours_feries.yaml")


class HolidayRangeError(DataProblem):
    """A date outside the years of the holiday calendar: a problem of the dates given
    (the case's or the command's), exit code 1."""


_METROPOLE = frozenset({f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"})
_RULE = re.compile(r"^(?:(?P<month>\d{2})-(?P<day>\d{2})|paques(?P<offset>[+-]\d+))$")
# La Poste numbers Corse-du-Sud 200xx-201xx and Haute-Corse from 20200 (Bastia 20200/20600).
_HAUTE_CORSE_FROM = 20200


# CLDR's French names, as babel writes them (tests/test_calendar_speed.py compares): loading
# babel's locale data would double the time of ``actes delai``.
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


@cache  # traces repeat the same dates; batches build thousands of them
def long_date(day: dt.date) -> str:
    """French long form, "vendredi 1er mai 2026"."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{_WEEKDAYS[day.weekday()]} {number} {_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class PublicHoliday:
    """A day made férié or chômé by a text, with that text."""

    date: dt.date
    name: str
    reference: str


@dataclass(frozen=True)
class _DayRule:
    name: str
    rule: str
    first_year: int | None
    last_year: int | None

    def date_in(self, year: int) -> dt.date | None:
        if self.first_year is not None and year < self.first_year:
            return None
        if self.last_year is not None and year > self.last_year:
            return None
        return _rule_date(self.rule, year)


@dataclass(frozen=True)
class _Zone:
    key: str
    name: str
    departements: frozenset[str] | None  # None: every département
    holidays_subdiv: Mapping[str, str]
    reference: str
    days: tuple[_DayRule, ...]
    not_counted: tuple[_DayRule, ...]
    not_counted_reason: str


@dataclass(frozen=True)
class _Deviation:
    departements: frozenset[str] | None
    rules: tuple[_DayRule, ...]


@dataclass(frozen=True)
class _Territory:
    code: str
    name: str
    postal_prefixes: tuple[str, ...]
    has_calendar: bool


@dataclass(frozen=True)
class _CalendarData:
    first_year: int
    last_year: int
    zones: tuple[_Zone, ...]
    deviations: tuple[_Deviation, ...]
    overseas: Mapping[str, _Territory]
    outside_france: Mapping[str, str]
    digest: str = ""
    """SHA-256 of the data file, part of the key under which agreed years are remembered."""


@dataclass(frozen=True)
class _Year:
    holidays: tuple[PublicHoliday, ...]
    by_date: Mapping[dt.date, tuple[PublicHoliday, ...]]
    not_counted: Mapping[dt.date, tuple[str, ...]]


@dataclass(frozen=True)
class CourtCalendar:
    """Working days of a court seated in ``departement`` (None: national calendar only)."""

    departement: str | None

    @property
    def description(self) -> str:
        """Which calendar applies, for the trace of a deadline."""
        zones = _zones_for(self.departement)
        references = " ; ".join(dict.fromkeys(zone.reference for zone in zones))
        if self.departement is None:
            where = "France métropolitaine, calendrier national"
        else:
            local = [zone.name for zone in zones if zone.departements is not None]
            where = (
                f"{local[0]} ({self.departement})" if local else f"département {self.departement}"
            )
        text = f"jours fériés légaux, {where} : {references}"
        for zone in zones:
            if zone.not_counted:
                names = ", ".join(dict.fromkeys(rule.name for rule in zone.not_counted))
                text += f" ; non retenus : {names} — {zone.not_counted_reason}"
        return text

    def holidays_in(self, year: int) -> tuple[PublicHoliday, ...]:
        """The legal holidays of ``year``, in date order."""
        return _year(self.departement, year).holidays

    def holidays_on(self, day: dt.date) -> tuple[PublicHoliday, ...]:
        return _year(self.departement, day.year).by_date.get(day, ())

    def not_counted_on(self, day: dt.date) -> tuple[str, ...]:
        """Local days off on ``day`` that the data file does not treat as holidays."""
        return _year(self.departement, day.year).not_counted.get(day, ())

    @property
    def not_counted_reason(self) -> str:
        reasons = [z.not_counted_reason for z in _zones_for(self.departement) if z.not_counted]
        return reasons[0] if reasons else ""

    def non_working_reason(self, day: dt.date) -> str | None:
        """Why ``day`` is not a working day for art. 642, or None if it is one."""
        found = self.holidays_on(day)
        if found:
            return "jour férié : " + ", ".join(f"{h.name} ({h.reference})" for h in found)
        if day.weekday() == 5:
            return "samedi"
        if day.weekday() == 6:
            return "dimanche"
        return None

    def is_working_day(self, day: dt.date) -> bool:
        return self.non_working_reason(day) is None

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        candidate = day + dt.timedelta(days=1)
        while not self.is_working_day(candidate):
            candidate += dt.timedelta(days=1)
        return candidate


def calendar_for(departement: str | None) -> CourtCalendar:
    """The calendar of a court seated in ``departement`` ("75", "2A", "971"...)."""
    return _calendar(None if departement is None else _court_code(departement))


@cache
def _calendar(code: str | None) -> CourtCalendar:
    return CourtCalendar(code)


def is_overseas(departement: str) -> bool:
    """True for the overseas départements and collectivités (971-978, 984-988)."""
    return departement_code(departement) in _data().overseas


def departement_code(departement: str) -> str:
    """Normalized code of a French département or collectivité ("1" → "01", "2a" → "2A")."""
    code = _normalize(departement)
    if code in _METROPOLE or code in _data().overseas:
        return code
    raise _unknown_departement(departement)


def departement_from_postal_code(code_postal: str) -> str:
    """Département (or overseas collectivité) code of a French postal code.

    Saint-Barthélemy (97133) gives "977" and Saint-Martin (97150) "978": both left Guadeloupe
    in 2007 and have their own holidays and CPC 644 status. Monaco (980xx) is not France.
    """
    code = code_postal.replace(" ", "").strip()
    if not re.fullmatch(r"\d{5}", code):
        raise UsageProblem(
            f"« {code_postal} » n'est pas un code postal français.",
            hint="un code postal compte cinq chiffres, par exemple 75001",
        )
    data = _data()
    for prefix, country in data.outside_france.items():
        if code.startswith(prefix):
            raise UsageProblem(
                f"Le code postal {code} est celui de {country}, qui n'est pas en France.",
                hint="les délais et jours fériés français ne s'y appliquent pas",
            )
    # Longest prefix first: 97133 (Saint-Barthélemy) before 971 (Guadeloupe).
    overseas = sorted(
        ((prefix, t.code) for t in data.overseas.values() for prefix in t.postal_prefixes),
        key=lambda item: -len(item[0]),
    )
    for prefix, territory in overseas:
        if code.startswith(prefix):
            return territory
    if code.startswith("20"):
        return "2A" if int(code) < _HAUTE_CORSE_FROM else "2B"
    if code[:2] in _METROPOLE:
        return code[:2]
    raise UsageProblem(
        f"Le code postal {code} ne correspond à aucun département français.",
        hint="vérifiez le code postal",
    )


def _normalize(departement: str) -> str:
    code = departement.strip().upper()
    if code.isdigit() and len(code) == 1:
        code = f"0{code}"
    return code


def _court_code(departement: str) -> str:
    code = _normalize(departement)
    territory = _data().overseas.get(code)
    if territory is not None:
        if not territory.has_calendar:
            raise UsageProblem(
                f"actes ne fournit pas le calendrier des juridictions de {territory.name} "
                f"({code}) : le CPC et ses art. 642 à 644 n'y sont pas appliqués ici.",
                hint="indiquez le département d'une juridiction de métropole ou de 971 à 978",
            )
        return code
    if code in _METROPOLE:
        return code
    raise _unknown_departement(departement)


def _unknown_departement(departement: str) -> UsageProblem:
    hint = "précisez 2A (Corse-du-Sud) ou 2B (Haute-Corse)" if departement.strip() == "20" else ""
    return UsageProblem(
        f"« {departement} » n'est pas un code de département français.",
        hint=hint or "codes acceptés : 01 à 95, 2A, 2B, 971 à 978",
    )


def _zones_for(departement: str | None) -> tuple[_Zone, ...]:
    return tuple(
        zone
        for zone in _data().zones
        if zone.departements is None
        or (departement is not None and departement in zone.departements)
    )


def _applies(departements: frozenset[str] | None, departement: str | None) -> bool:
    return departements is None or (departement is not None and departement in departements)


@cache
def _year(departement: str | None, year: int) -> _Year:
    data = _data()
    if not data.first_year <= year <= data.last_year:
        raise HolidayRangeError(
            f"Le calendrier des jours fériés couvre les années {data.first_year} à "
            f"{data.last_year} ; l'année {year} est hors de cette période.",
            hint="vérifiez les dates du dossier (ou de la commande) : un délai ne se calcule "
            "qu'avec les jours fériés de ses années",
        )
    zones = _zones_for(departement)
    by_date: dict[dt.date, list[PublicHoliday]] = {}
    not_counted: dict[dt.date, list[str]] = {}
    subdiv: str | None = None
    for zone in zones:
        if departement is not None and departement in zone.holidays_subdiv:
            subdiv = zone.holidays_subdiv[departement]
        for rule in zone.days:
            day = rule.date_in(year)
            if day is not None:
                by_date.setdefault(day, []).append(PublicHoliday(day, rule.name, zone.reference))
        for rule in zone.not_counted:
            day = rule.date_in(year)
            if day is not None and day not in by_date:
                not_counted.setdefault(day, []).append(rule.name)
    _check_against_package(departement, subdiv, year, set(by_date), set(not_counted))
    ordered = sorted(by_date)
    return _Year(
        holidays=tuple(h for day in ordered for h in by_date[day]),
        by_date={day: tuple(by_date[day]) for day in ordered},
        not_counted={day: tuple(names) for day, names in not_counted.items()},
    )


def _check_against_package(
    departement: str | None,
    subdiv: str | None,
    year: int,
    legal: set[dt.date],
    not_counted: set[dt.date],
) -> None:
    """Refuse a year where ``holidays`` and the data file disagree without an explanation."""
    key = _check_key()
    item = f"{departement or 'national'}:{year}"
    if key is not None and item in remembered("jours-feries", key):
        return
    import holidays  # 0.1 to 0.25 s: imported only for a year not yet checked

    package = set(holidays.country_holidays("FR", subdiv=subdiv, years=year, language="fr"))
    differences = (legal - package) | (package - legal - not_counted)
    explained = {
        day
        for deviation in _data().deviations
        if _applies(deviation.departements, departement)
        for rule in deviation.rules
        if (day := rule.date_in(year)) is not None
    }
    unexplained = sorted(differences - explained)
    if unexplained:
        where = departement or "national"
        days = ", ".join(d.isoformat() for d in unexplained)
        raise DefinitionError(
            f"Jours fériés {year} ({where}) : le paquet holidays et {'/'.join(_DATA_FILE)} "
            f"divergent sur {days}.",
            hint="vérifiez le texte applicable et complétez ecarts_holidays ou non_retenus",
        )
    if key is not None:
        remember("jours-feries", key, item)


def _check_key() -> str | None:
    """What the check's result depends on: the data file (its SHA-256) and the installed
    ``holidays`` (its version folder, and the size and time of change of the files that
    compute France's days); None when ``holidays`` cannot be located without importing it."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None or not _data().digest:
        return None
    root = Path(spec.origin).parent
    parts = [_data().digest]
    try:
        parts += sorted(p.name for p in root.parent.glob("holidays-*.dist-info"))
        for file in (root / "__init__.py", root / "countries" / "france.py"):
            status = file.stat()
            parts.append(f"{file}:{status.st_size}:{status.st_mtime_ns}")
    except OSError:
        return None
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def _easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (Meeus/Jones/Butcher algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    r = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * r) // 433
    month = (h + r - 7 * m + 90) // 25
    day = (h + r - 7 * m + 33 * month + 19) % 32
    return dt.date(year, month, day)


def _rule_date(rule: str, year: int) -> dt.date:
    match = _RULE.match(rule)
    assert match is not None  # checked when the file is loaded
    if match["offset"] is not None:
        return _easter(year) + dt.timedelta(days=int(match["offset"]))
    return dt.date(year, int(match["month"]), int(match["day"]))


def _data() -> _CalendarData:
    # The workspace's copy of the file when it has one (docs/workspace.md).
    return _data_at(data_file("parameters", Path(*_DATA_FILE)))


@cache
def _data_at(path: Path) -> _CalendarData:
    raw = load_document(path, definition=True)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:  # read just above: gone since; the check then runs every time
        digest = ""
    try:
        return _parse(raw, digest)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DefinitionError(
            f"{path} : structure invalide ({type(exc).__name__} : {exc}).",
            hint="comparez avec la forme décrite en tête du fichier",
        ) from None


def _parse(raw: Any, digest: str = "") -> _CalendarData:
    zones = tuple(_parse_zone(key, value) for key, value in raw["zones"].items())
    deviations = tuple(
        _Deviation(
            departements=_departements(item["departements"]),
            rules=tuple(
                _parse_rule({**item, "regle": rule, "nom": item["nom"]}) for rule in item["regles"]
            ),
        )
        for item in raw["ecarts_holidays"]
    )
    overseas = {
        str(item["code"]): _Territory(
            code=str(item["code"]),
            name=str(item["nom"]),
            postal_prefixes=tuple(str(p) for p in item["prefixes_postaux"]),
            has_calendar=bool(item["calendrier"]),
        )
        for item in raw["outre_mer"]
    }
    return _CalendarData(
        first_year=int(raw["annees"]["premiere"]),
        last_year=int(raw["annees"]["derniere"]),
        zones=zones,
        deviations=deviations,
        overseas=overseas,
        outside_france={str(i["prefixe"]): str(i["nom"]) for i in raw["hors_france"]},
        digest=digest,
    )


def _parse_zone(key: str, raw: Any) -> _Zone:
    return _Zone(
        key=key,
        name=str(raw["nom"]),
        departements=_departements(raw["departements"]),
        holidays_subdiv={str(k): str(v) for k, v in raw.get("holidays_subdiv", {}).items()},
        reference=str(raw["reference"]),
        days=tuple(_parse_rule(item) for item in raw["jours"]),
        not_counted=tuple(_parse_rule(item) for item in raw.get("non_retenus", [])),
        not_counted_reason=str(raw.get("motif_non_retenus", "")),
    )


def _departements(raw: Any) -> frozenset[str] | None:
    if raw == "tous":
        return None
    return frozenset(str(code) for code in raw)


def _parse_rule(raw: Any) -> _DayRule:
    rule = str(raw["regle"])
    if not _RULE.match(rule):
        raise ValueError(f"règle de date « {rule} » : attendu MM-JJ ou paques+N")
    first, last = raw.get("depuis"), raw.get("jusqu_a")
    return _DayRule(
        name=str(raw["nom"]),
        rule=rule,
        first_year=None if first is None else int(first),
        last_year=None if last is None else int(last),
    )

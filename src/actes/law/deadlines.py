"""Procedural deadlines: CPC art. 640 to 644, Regulation 1182/71, and their limits.

Pure functions: the only data read is the court calendar (``actes.law.calendar``). Every result
carries a French trace of each step and the articles it rests on.
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from actes.errors import DataProblem, UsageProblem
from actes.law.calendar import (
    CourtCalendar,
    calendar_for,
    departement_code,
    is_overseas,
    long_date,
)

__all__ = [
    "Counting",
    "DeadlineResult",
    "Duration",
    "DurationUnit",
    "Extension",
    "ExtensionRule",
    "Residence",
    "Status",
    "add_months",
    "compute_deadline",
    "days_left",
    "distance_extension",
    "status",
]

DurationUnit = Literal["jours", "mois", "ans"]
Residence = Literal["metropole", "outre-mer", "etranger"]
ExtensionRule = Literal["cpc_643_644", "r622_24", "aucune"]
Counting = Literal["cpc", "reglement_1182_71", "prescription", "duree_maximale"]
Status = Literal["a_venir", "aujourd_hui", "depasse"]

_DURATION = re.compile(
    r"^\s*(?P<amount>\d+)\s*(?P<unit>j|jours?|m|mois|a|ans?)\s*$", re.IGNORECASE
)
_UNITS: dict[str, DurationUnit] = {
    "j": "jours",
    "jour": "jours",
    "jours": "jours",
    "m": "mois",
    "mois": "mois",
    "a": "ans",
    "an": "ans",
    "ans": "ans",
}
_REGULATION = "Règlement (CEE, Euratom) n° 1182/71 art. 3"


@dataclass(frozen=True)
class Duration:
    """A deadline length: a whole number of days, months or years."""

    amount: int
    unit: DurationUnit

    def __post_init__(self) -> None:
        if self.unit not in get_args(DurationUnit):
            raise UsageProblem(f"Unité de durée inconnue : « {self.unit} ».", hint=_FORMS)
        if self.amount < 1:
            raise UsageProblem(
                f"Une durée doit être d'au moins 1 {self.unit} (reçu : {self.amount}).",
                hint=_FORMS,
            )

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Read "15j", "2m", "1a", "15 jours", "2 mois", "1 an", "3 ans"."""
        match = _DURATION.match(text)
        if match is None:
            raise UsageProblem(f"Durée illisible : « {text} ».", hint=_FORMS)
        return cls(int(match["amount"]), _UNITS[match["unit"].lower()])

    @property
    def months(self) -> int:
        """Length in months (0 for a duration in days)."""
        return {"jours": 0, "mois": self.amount, "ans": 12 * self.amount}[self.unit]

    def __str__(self) -> str:
        if self.unit == "ans":
            return f"{self.amount} an" if self.amount == 1 else f"{self.amount} ans"
        if self.unit == "jours" and self.amount == 1:
            return "1 jour"
        return f"{self.amount} {self.unit}"


_FORMS = (
    "formes acceptées : 15j, 2m, 1a, 15 jours, 1 jour, 2 mois, 1 an, 3 ans "
    "(nombre entier suivi de j/jours, m/mois ou a/an/ans)"
)


@dataclass(frozen=True)
class Extension:
    """Months added to a deadline because of distance (CPC 643/644, C. com. R622-24)."""

    months: int
    basis: str
    explanation: str


def distance_extension(
    court_departement: str | None,
    residence: str,
    residence_departement: str | None = None,
    rule: ExtensionRule = "cpc_643_644",
) -> Extension:
    """Extension for a person living at ``residence``, the court sitting in ``court_departement``.

    ``court_departement`` None means a court in metropolitan France. For a court overseas, a
    person living overseas must be placed with ``residence_departement`` (same collectivité:
    no extension; another one: extension).
    """
    if residence not in get_args(Residence):
        raise UsageProblem(
            f"Lieu de résidence inconnu : « {residence} ».",
            hint="valeurs acceptées : metropole, outre-mer, etranger",
        )
    if rule not in get_args(ExtensionRule):
        raise UsageProblem(
            f"Règle d'augmentation inconnue : « {rule} ».",
            hint="valeurs acceptées : cpc_643_644, r622_24, aucune",
        )
    court = calendar_for(court_departement).departement
    court_overseas = court is not None and is_overseas(court)
    lives_in_court_territory = _lives_in_court_territory(
        court, court_overseas, residence, residence_departement
    )
    if rule == "aucune":
        return Extension(0, "", "aucune augmentation à raison de la distance")
    if rule == "r622_24":
        return _r622_24(court, court_overseas, lives_in_court_territory)
    return _cpc_643_644(court, court_overseas, residence, lives_in_court_territory)


def _lives_in_court_territory(
    court: str | None, court_overseas: bool, residence: str, residence_departement: str | None
) -> bool:
    if residence_departement is not None:
        if residence == "etranger":
            raise UsageProblem(
                "Un département de résidence a été donné pour une personne demeurant à "
                "l'étranger.",
                hint="retirez le département ou choisissez metropole / outre-mer",
            )
        overseas = is_overseas(residence_departement)
        if overseas != (residence == "outre-mer"):
            raise UsageProblem(
                f"Le département de résidence {residence_departement} ne correspond pas à "
                f"une résidence « {residence} ».",
                hint="971 à 988 : outre-mer ; 01 à 95, 2A, 2B : metropole",
            )
    if residence == "etranger":
        return False
    if not court_overseas:
        return residence == "metropole"
    if residence == "metropole":
        return False
    if residence_departement is None:
        raise UsageProblem(
            f"La juridiction siège outre-mer ({court}) : précisez le département ou la "
            "collectivité de résidence.",
            hint="l'augmentation dépend de la résidence dans la même collectivité (CPC 644) ; "
            "en ligne de commande : --departement-residence CODE",
        )
    return departement_code(residence_departement) == court


def _cpc_643_644(
    court: str | None, court_overseas: bool, residence: str, lives_in_court_territory: bool
) -> Extension:
    if not court_overseas:
        basis = "CPC art. 643"
        if residence == "etranger":
            return Extension(2, basis, "personne demeurant à l'étranger, juridiction en métropole")
        if residence == "outre-mer":
            return Extension(1, basis, "personne demeurant outre-mer, juridiction en métropole")
        return Extension(0, basis, "personne demeurant en métropole, juridiction en métropole")
    basis = "CPC art. 644"
    if residence == "etranger":
        return Extension(
            2, basis, f"personne demeurant à l'étranger, juridiction d'outre-mer ({court})"
        )
    if lives_in_court_territory:
        return Extension(
            0, basis, f"personne demeurant dans la collectivité de la juridiction ({court})"
        )
    return Extension(
        1, basis, f"personne ne demeurant pas dans la collectivité de la juridiction ({court})"
    )


def _r622_24(court: str | None, court_overseas: bool, lives_in_court_territory: bool) -> Extension:
    basis = "C. com. art. R622-24"
    if lives_in_court_territory:
        where = (
            f"dans la collectivité de la juridiction ({court})"
            if court_overseas
            else ("en France métropolitaine, juridiction en métropole")
        )
        return Extension(0, basis, f"créancier demeurant {where}")
    if court_overseas:
        return Extension(
            2,
            basis,
            f"créancier ne demeurant pas dans la collectivité de la juridiction ({court})",
        )
    return Extension(
        2, basis, "créancier ne demeurant pas en France métropolitaine, juridiction en métropole"
    )


@dataclass(frozen=True)
class DeadlineResult:
    """A computed deadline, its nominal end before art. 642, and how it was reached."""

    start: dt.date
    duration: Duration
    extension: Extension | None
    date_nominale: dt.date
    date_limite: dt.date
    trace: tuple[str, ...]
    fondement: tuple[str, ...]
    departement: str | None = None
    counting: Counting = "cpc"

    def summary(self) -> str:
        """One French sentence stating the deadline."""
        what = f"Le délai de {self.duration}"
        if self.extension is not None and self.extension.months:
            what += f" augmenté de {self.extension.months} mois ({self.extension.basis})"
        verb = "prend fin" if self.counting == "duree_maximale" else "expire"
        return (
            f"{what} courant à compter du {long_date(self.start)} {verb} le "
            f"{long_date(self.date_limite)} à 24 heures."
        )

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form with French keys; dates as ISO strings."""
        extension = None
        if self.extension is not None:
            extension = {
                "mois": self.extension.months,
                "fondement": self.extension.basis,
                "explication": self.extension.explanation,
            }
        return {
            "date_depart": self.start.isoformat(),
            "duree": str(self.duration),
            "date_nominale": self.date_nominale.isoformat(),
            "date_limite": self.date_limite.isoformat(),
            "prolongation": extension,
            "trace": list(self.trace),
            "fondement": list(self.fondement),
            "departement": self.departement,
            "calcul": self.counting,
        }


def compute_deadline(
    start: dt.date,
    duration: Duration,
    calendar: CourtCalendar,
    *,
    extension: Extension | None = None,
    counting: Counting = "cpc",
    basis: Sequence[str] = (),
) -> DeadlineResult:
    """Last day of a deadline running from ``start``, in the calendar of the court.

    ``counting``: "cpc" (CPC 640-642), "reglement_1182_71" (EU deadlines such as the European
    order for payment), "prescription" and "duree_maximale" (no art. 642 extension).
    """
    if counting not in get_args(Counting):
        raise UsageProblem(
            f"Mode de calcul inconnu : « {counting} ».",
            hint="valeurs acceptées : " + ", ".join(get_args(Counting)),
        )
    ext_months = extension.months if extension is not None else 0
    if ext_months and counting != "cpc":
        raise UsageProblem(
            f"L'augmentation à raison de la distance ({extension.basis if extension else ''}) "
            "ne s'applique qu'aux délais de procédure du CPC, pas au mode de calcul "
            f"« {counting} ».",
        )
    trace: list[str] = [_start_sentence(start, duration, counting)]
    fondement: list[str] = _base_articles(counting)

    if extension is not None:
        if ext_months:
            trace.append(_extension_sentence(start, duration, extension))
        else:
            trace.append(f"Aucune augmentation à raison de la distance : {extension.explanation}.")
    nominal = _nominal_end(start, duration, ext_months)
    label = f"{duration}" + (f" augmenté de {ext_months} mois" if ext_months else "")
    trace.append(f"Fin normale du délai de {label} : {long_date(nominal)}.")
    trace.append(f"Calendrier appliqué : {calendar.description}.")

    final = nominal
    if counting in ("cpc", "reglement_1182_71"):
        final = _move_to_working_day(nominal, calendar, counting, trace)
        if counting == "reglement_1182_71":
            final = _two_working_days(start, final, duration, calendar, trace)
        article = "art. 642 al. 1" if counting == "cpc" else "art. 3 § 2 du règlement n° 1182/71"
        trace.append(f"Le délai expire le {long_date(final)} à 24 heures ({article}).")
    else:
        _note_unmoved_end(nominal, calendar, counting, trace)

    fondement.extend(basis)
    if ext_months and extension is not None:
        fondement.append(extension.basis)
    return DeadlineResult(
        start=start,
        duration=duration,
        extension=extension,
        date_nominale=nominal,
        date_limite=final,
        trace=tuple(trace),
        fondement=tuple(dict.fromkeys(fondement)),
        departement=calendar.departement,
        counting=counting,
    )


def status(deadline_date: dt.date, au: dt.date) -> Status:
    """Where ``au`` stands relative to the last day of a deadline."""
    if au < deadline_date:
        return "a_venir"
    if au == deadline_date:
        return "aujourd_hui"
    return "depasse"


def days_left(deadline_date: dt.date, au: dt.date) -> int:
    """Calendar days from ``au`` to the last day (0 on that day, negative once passed)."""
    return (deadline_date - au).days


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day number ``months`` later, or the last day of that month (CPC 641 al. 2)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise DataProblem(
            f"Échéance hors des dates représentables (année {year}).",
            hint="vérifiez les dates du dossier : un calcul ne peut pas dépasser l'an 9999",
        )
    last = _gregorian.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _nominal_end(start: dt.date, duration: Duration, ext_months: int) -> dt.date:
    # 641 al. 3: months first (extension and duration together, from the start day's
    # quantième), then the days.
    after_months = add_months(start, ext_months + duration.months)
    if duration.unit != "jours":
        return after_months
    try:
        return after_months + dt.timedelta(days=duration.amount)
    except OverflowError:
        raise DataProblem(
            f"Échéance hors des dates représentables ({duration}).",
            hint="vérifiez les dates du dossier : un calcul ne peut pas dépasser l'an 9999",
        ) from None


def _start_sentence(start: dt.date, duration: Duration, counting: Counting) -> str:
    if counting == "reglement_1182_71":
        return (
            f"Point de départ : {long_date(start)} ; le jour de l'événement ne compte pas, "
            "la période commence le lendemain (art. 3 § 1 du règlement n° 1182/71)."
        )
    head = f"Point de départ : {long_date(start)} (art. 640)"
    if duration.unit == "jours":
        return (
            f"{head} ; le jour de l'acte, de l'événement, de la décision ou de la notification "
            "qui fait courir le délai ne compte pas (art. 641 al. 1)."
        )
    unit = "en mois" if duration.unit == "mois" else "en années"
    return (
        f"{head} ; un délai exprimé {unit} expire le jour du dernier mois qui porte le même "
        "quantième que le jour de départ, ou le dernier jour de ce mois s'il n'en a pas "
        "(art. 641 al. 2)."
    )


def _extension_sentence(start: dt.date, duration: Duration, extension: Extension) -> str:
    head = f"Augmentation de {extension.months} mois ({extension.basis}) : {extension.explanation}"
    if duration.unit == "jours":
        middle = add_months(start, extension.months)
        return (
            f"{head} ; les mois sont comptés d'abord, puis les jours (art. 641 al. 3) : "
            f"{long_date(start)} + {extension.months} mois = {long_date(middle)}, "
            f"puis {duration}."
        )
    return f"{head} ; le délai est donc de {extension.months + duration.months} mois."


def _base_articles(counting: Counting) -> list[str]:
    if counting == "cpc":
        return ["CPC art. 640", "CPC art. 641", "CPC art. 642"]
    if counting == "reglement_1182_71":
        return [_REGULATION]
    if counting == "prescription":
        return ["C. civ. art. 2228", "C. civ. art. 2229"]
    return ["CPC art. 641"]


def _move_to_working_day(
    nominal: dt.date, calendar: CourtCalendar, counting: Counting, trace: list[str]
) -> dt.date:
    final = nominal
    while not calendar.is_working_day(final):
        trace.append(_non_working_sentence(final, calendar))
        final += dt.timedelta(days=1)
    if final != nominal:
        article = "art. 642 al. 2" if counting == "cpc" else "art. 3 § 4 du règlement n° 1182/71"
        trace.append(f"Report au premier jour ouvrable suivant ({article}) : {long_date(final)}.")
    _note_not_counted(final, calendar, trace)
    return final


def _two_working_days(
    start: dt.date,
    final: dt.date,
    duration: Duration,
    calendar: CourtCalendar,
    trace: list[str],
) -> dt.date:
    # Art. 3 § 5: a period of two days or more includes at least two working days.
    if duration.unit == "jours" and duration.amount < 2:
        return final

    def working_days() -> int:
        span = (final - start).days
        return sum(
            calendar.is_working_day(start + dt.timedelta(days=n)) for n in range(1, span + 1)
        )

    before = final
    while working_days() < 2:
        final = calendar.next_working_day(final)
    if final != before:
        trace.append(
            "La période doit comprendre au moins deux jours ouvrables (art. 3 § 5 du règlement "
            f"n° 1182/71) : {long_date(final)}."
        )
    return final


def _non_working_sentence(day: dt.date, calendar: CourtCalendar) -> str:
    found = calendar.holidays_on(day)
    if found:
        names = " ; ".join(f"{h.name}, {h.reference}" for h in found)
        return f"le {long_date(day)} est un jour férié ({names})"
    return f"le {long_date(day)} n'est pas un jour ouvrable"


def _note_not_counted(day: dt.date, calendar: CourtCalendar, trace: list[str]) -> None:
    names = calendar.not_counted_on(day)
    if names:
        trace.append(
            f"le {long_date(day)} ({', '.join(names)}) n'est pas retenu comme jour férié : "
            f"{calendar.not_counted_reason}."
        )


def _note_unmoved_end(
    nominal: dt.date, calendar: CourtCalendar, counting: Counting, trace: list[str]
) -> None:
    if counting == "prescription":
        trace.append(
            "Délai de prescription : l'échéance n'est pas reportée au premier jour ouvrable ; le "
            "report de l'art. 642 CPC vise les délais de procédure et son application à la "
            "prescription n'est pas établie. Agir au plus tard ce jour-là."
        )
        verb = "Le délai de prescription expire"
    else:
        trace.append(
            "Durée maximale (par exemple la suspension des poursuites de C. consom. L722-3) : "
            "c'est la fin d'une période, non un délai pour agir ; l'art. 642 ne la reporte pas."
        )
        verb = "La durée prend fin"
    if not calendar.is_working_day(nominal):
        trace.append(f"{_non_working_sentence(nominal, calendar)} : pas de report.")
    _note_not_counted(nominal, calendar, trace)
    trace.append(f"{verb} le {long_date(nominal)} à 24 heures.")

"""Dated rate tables: legal interest rate, ECB rate, recovery parameters.

The figures live in ``parameters/taux/interet_legal.yaml``, ``parameters/taux/bce.yaml`` and
``parameters/recouvrement.yaml``, each with its article and source; this module only reads,
checks and looks them up. Rates are annual percentages held as :class:`~decimal.Decimal`
(``Decimal("2.62")`` means 2.62 %). Half-year tables must be contiguous; a date outside them,
or a half-year marked ``confirmed: false`` when the caller did not allow it, raises
:class:`~actes.errors.RateMissing` naming the half-year and the file to complete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from actes._io import load_document
from actes._paths import parameters_dir
from actes.errors import DataIssue, DefinitionError, RateMissing

__all__ = [
    "DatedValue",
    "RateTables",
    "RateValue",
    "format_percent",
    "half_year_bounds",
    "half_year_label",
]

LEGAL_RATE_FILE = ("taux", "interet_legal.yaml")
ECB_RATE_FILE = ("taux", "bce.yaml")
RECOVERY_FILE = ("recouvrement.yaml",)

_CONSUMER_KEY = "creancier_particulier"
_OTHER_KEY = "autres_cas"
_ECB_KEY = "taux"


@dataclass(frozen=True)
class RateValue:
    """A rate (annual percentage) with the half-year it covers and where it comes from."""

    rate: Decimal
    valid_from: dt.date
    valid_until: dt.date
    confirmed: bool
    reference: str
    source: str = ""
    note: str = ""
    file: str = ""

    @property
    def half_year(self) -> str:
        return half_year_label(self.valid_from)


@dataclass(frozen=True)
class DatedValue:
    """A scalar parameter (amount, factor, points, months) in force from ``valid_from``."""

    value: Decimal
    valid_from: dt.date
    reference: str
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class _HalfYearRow:
    valid_from: dt.date
    valid_until: dt.date
    rates: Mapping[str, Decimal]
    reference: str
    source: str
    confirmed: bool
    note: str


@dataclass(frozen=True)
class _HalfYearTable:
    """Contiguous half-year rows of one file, indexed by (year, half)."""

    file: str
    description: str
    reference: str
    rows: tuple[_HalfYearRow, ...]

    def row(self, on: dt.date, what: str) -> _HalfYearRow:
        first, last = self.rows[0], self.rows[-1]
        if not first.valid_from <= on <= last.valid_until:
            raise RateMissing(
                f"{what} : aucun taux pour le {half_year_label(on)} (date du {on.isoformat()}) ; "
                f"la table couvre du {half_year_label(first.valid_from)} "
                f"au {half_year_label(last.valid_from)}.",
                hint=f"ajoutez ce semestre dans {self.file}, avec la référence de son texte",
            )
        index = (on.year - first.valid_from.year) * 2 + _half(on) - _half(first.valid_from)
        return self.rows[index]


def half_year_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the half-year containing ``day``."""
    if day.month <= 6:
        return dt.date(day.year, 1, 1), dt.date(day.year, 6, 30)
    return dt.date(day.year, 7, 1), dt.date(day.year, 12, 31)


def half_year_label(day: dt.date) -> str:
    """French name of the half-year containing ``day``: « 2e semestre 2026 »."""
    return f"{'1er' if day.month <= 6 else '2e'} semestre {day.year}"


def format_percent(rate: Decimal) -> str:
    """« 2,62 % »: French decimal comma, at least two decimals."""
    text = f"{rate:.2f}" if rate == rate.quantize(Decimal("0.01")) else f"{rate.normalize():f}"
    return f"{text.replace('.', ',')} %"


def _half(day: dt.date) -> int:
    return 0 if day.month <= 6 else 1


@dataclass(frozen=True)
class RateTables:
    """Every dated parameter the décompte needs, loaded from the parameter files."""

    legal: _HalfYearTable
    ecb: _HalfYearTable
    ecb_majoration: tuple[DatedValue, ...]
    indemnity: tuple[DatedValue, ...]
    penalty_floor: tuple[DatedValue, ...]
    l313_3_points: tuple[DatedValue, ...]
    l313_3_delay_months: tuple[DatedValue, ...]
    day_basis_default: str
    day_basis_labels: Mapping[str, str]
    day_basis_source: str
    categories: Mapping[str, str]
    ecb_file: str
    recovery_file: str

    @classmethod
    def load(cls, directory: Path | None = None) -> RateTables:
        """Read and check the tables under ``directory`` (default: the shipped parameters)."""
        return _load_cached((directory or parameters_dir()).resolve())

    @property
    def legal_file(self) -> str:
        return self.legal.file

    def legal_rate(
        self, on: dt.date, creditor_is_consumer: bool, allow_unconfirmed: bool = False
    ) -> RateValue:
        """Legal interest rate in force on ``on`` for the creditor's category (CMF L313-2)."""
        row = self.legal.row(on, "Taux de l'intérêt légal")
        key = _CONSUMER_KEY if creditor_is_consumer else _OTHER_KEY
        value = self._value(row, key, self.legal.file)
        if not value.confirmed and not allow_unconfirmed:
            raise RateMissing(
                f"Le taux de l'intérêt légal du {value.half_year} n'est pas confirmé "
                f"({row.reference} ; valeurs rapportées : {self.categories[_CONSUMER_KEY]} "
                f"{format_percent(row.rates[_CONSUMER_KEY])}, {self.categories[_OTHER_KEY]} "
                f"{format_percent(row.rates[_OTHER_KEY])}).",
                hint=f"complétez {self.legal.file} avec l'arrêté publié (confirmed: true), "
                "ou autorisez expressément les taux non confirmés",
            )
        return value

    def ecb_rate_for_half_year(self, on: dt.date, allow_unconfirmed: bool = False) -> RateValue:
        """ECB main refinancing rate in force on 1 January or 1 July of ``on``'s half-year."""
        row = self.ecb.row(on, "Taux de la BCE")
        value = self._value(row, _ECB_KEY, self.ecb.file)
        if not value.confirmed and not allow_unconfirmed:
            raise RateMissing(
                f"Le taux de la BCE retenu pour le {value.half_year} n'est pas confirmé "
                f"(valeur rapportée : {format_percent(value.rate)}).",
                hint=f"complétez {self.ecb.file} avec le taux vérifié (confirmed: true), "
                "ou autorisez expressément les taux non confirmés",
            )
        return value

    def late_payment_default_rate(self, on: dt.date, allow_unconfirmed: bool = False) -> RateValue:
        """Default L441-10 penalty rate for ``on``'s half-year: ECB rate plus the majoration."""
        ecb = self.ecb_rate_for_half_year(on, allow_unconfirmed)
        points = self.ecb_majoration_points(on)
        return RateValue(
            rate=ecb.rate + points.value,
            valid_from=ecb.valid_from,
            valid_until=ecb.valid_until,
            confirmed=ecb.confirmed,
            reference=f"taux BCE {format_percent(ecb.rate)} + {points.value.normalize():f} "
            f"points ({points.reference})",
            source=ecb.source,
            note=ecb.note,
            file=ecb.file,
        )

    def ecb_majoration_points(self, on: dt.date) -> DatedValue:
        """Points added to the ECB rate for the default penalty rate (C. com. L441-10 II)."""
        return _at(self.ecb_majoration, on, "Majoration du taux BCE", self.ecb_file)

    def recovery_indemnity(self, on: dt.date) -> DatedValue:
        """Fixed recovery indemnity per late invoice (C. com. L441-10 II, D441-5)."""
        return _at(self.indemnity, on, "Indemnité forfaitaire de recouvrement", self.recovery_file)

    def penalty_floor_factor(self, on: dt.date) -> DatedValue:
        """Minimum multiple of the « autres cas » legal rate for a contractual penalty rate."""
        return _at(self.penalty_floor, on, "Plancher des pénalités", self.recovery_file)

    def l313_3_majoration(self, on: dt.date) -> DatedValue:
        """Points added to the legal rate after a condemnation (CMF L313-3)."""
        return _at(self.l313_3_points, on, "Majoration L313-3", self.recovery_file)

    def l313_3_delay(self, on: dt.date) -> DatedValue:
        """Months after the decision became enforceable before the L313-3 majoration applies."""
        return _at(
            self.l313_3_delay_months, on, "Délai de la majoration L313-3", self.recovery_file
        )

    @staticmethod
    def _value(row: _HalfYearRow, key: str, file: str) -> RateValue:
        return RateValue(
            rate=row.rates[key],
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            confirmed=row.confirmed,
            reference=row.reference,
            source=row.source,
            note=row.note,
            file=file,
        )


def _at(values: tuple[DatedValue, ...], on: dt.date, what: str, file: str) -> DatedValue:
    found = [value for value in values if value.valid_from <= on]
    if not found:
        raise RateMissing(
            f"{what} : aucune valeur en vigueur le {on.isoformat()} "
            f"(la première date du {values[0].valid_from.isoformat()}).",
            hint=f"ajoutez la valeur applicable dans {file}, avec sa référence",
        )
    return found[-1]


@cache
def _load_cached(directory: Path) -> RateTables:
    legal_path = directory.joinpath(*LEGAL_RATE_FILE)
    ecb_path = directory.joinpath(*ECB_RATE_FILE)
    recovery_path = directory.joinpath(*RECOVERY_FILE)
    legal_raw = load_document(legal_path, definition=True)
    ecb_raw = load_document(ecb_path, definition=True)
    recovery_raw = load_document(recovery_path, definition=True)

    legal_reader = _Reader(str(legal_path))
    ecb_reader = _Reader(str(ecb_path))
    recovery_reader = _Reader(str(recovery_path))
    legal_doc = legal_reader.mapping(
        legal_raw, "$", required=("description", "reference", "unit", "categories", "valeurs")
    )
    categories = legal_reader.mapping(
        legal_doc.get("categories"), "$.categories", required=(_CONSUMER_KEY, _OTHER_KEY)
    )
    legal = legal_reader.half_year_table(legal_doc, (_CONSUMER_KEY, _OTHER_KEY))
    ecb_doc = ecb_reader.mapping(
        ecb_raw,
        "$",
        required=("description", "reference", "unit", "valeurs", "majoration_points"),
    )
    ecb = ecb_reader.half_year_table(ecb_doc, (_ECB_KEY,), optional=("en_vigueur_depuis",))
    recovery_doc = recovery_reader.mapping(
        recovery_raw,
        "$",
        required=(
            "description",
            "indemnite_forfaitaire",
            "plancher_penalites",
            "majoration_l313_3_points",
            "majoration_l313_3_delai_mois",
            "base_jours",
        ),
    )
    basis = recovery_reader.mapping(
        recovery_doc.get("base_jours"),
        "$.base_jours",
        required=("description", "defaut", "options", "reference", "source"),
    )
    basis_labels = {
        str(key): str(label)
        for key, label in recovery_reader.mapping(
            basis.get("options"), "$.base_jours.options", required=("365", "exact")
        ).items()
    }
    default_basis = str(basis.get("defaut"))
    if default_basis not in basis_labels:
        recovery_reader.issue(
            "$.base_jours.defaut",
            f"« {default_basis} » n'est pas une des options",
            "choisissez « 365 » ou « exact »",
        )
    tables = RateTables(
        legal=legal,
        ecb=ecb,
        ecb_majoration=ecb_reader.dated_values(ecb_doc, "majoration_points"),
        indemnity=recovery_reader.dated_values(recovery_doc, "indemnite_forfaitaire"),
        penalty_floor=recovery_reader.dated_values(recovery_doc, "plancher_penalites"),
        l313_3_points=recovery_reader.dated_values(recovery_doc, "majoration_l313_3_points"),
        l313_3_delay_months=recovery_reader.dated_values(
            recovery_doc, "majoration_l313_3_delai_mois"
        ),
        day_basis_default=default_basis,
        day_basis_labels=basis_labels,
        day_basis_source=f"{basis.get('reference')} ; {basis.get('source')}",
        categories={key: str(value) for key, value in categories.items()},
        ecb_file=str(ecb_path),
        recovery_file=str(recovery_path),
    )
    issues = legal_reader.issues + ecb_reader.issues + recovery_reader.issues
    if issues:
        raise DefinitionError(
            f"Tables de taux invalides : {len(issues)} problème(s) à corriger.",
            hint="comparez avec la forme décrite en tête de chaque fichier",
            issues=issues,
        )
    return tables


class _Reader:
    """Checks one parameter file and collects every problem before raising."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.issues: list[DataIssue] = []

    def issue(self, path: str, message: str, hint: str = "") -> None:
        self.issues.append(DataIssue(path, message, hint, file=self.file))

    def mapping(
        self,
        value: Any,
        path: str,
        *,
        required: tuple[str, ...] = (),
        optional: tuple[str, ...] = (),
        closed: bool = False,
    ) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.issue(path, "une table (clé : valeur) est attendue")
            return {}
        for key in required:
            if key not in value:
                self.issue(f"{path}.{key}", "clé obligatoire absente")
        if closed:
            for key in value:
                if key not in required and key not in optional:
                    allowed = ", ".join((*required, *optional))
                    self.issue(f"{path}.{key}", "clé inconnue", f"clés permises : {allowed}")
        return value

    def text(self, item: Mapping[str, Any], key: str, path: str) -> str:
        value = item.get(key, "")
        if not isinstance(value, str) or (key in item and not value.strip()):
            self.issue(f"{path}.{key}", "un texte non vide est attendu")
            return ""
        return value

    def decimal(self, value: Any, path: str) -> Decimal:
        # Quoted strings are the documented form; plain YAML numbers are accepted because their
        # short decimal repr round-trips exactly, booleans are not numbers.
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.issue(path, "un nombre est attendu", 'écrivez-le entre guillemets : "2.62"')
            return Decimal(0)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.issue(path, f"« {value} » n'est pas un nombre", 'exemple : "2.62"')
            return Decimal(0)
        if not number.is_finite() or number < 0:
            self.issue(path, f"« {value} » doit être un nombre positif ou nul")
            return Decimal(0)
        return number

    def date(self, value: Any, path: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            pass
        self.issue(path, f"« {value} » n'est pas une date AAAA-MM-JJ", 'exemple : "2026-01-01"')
        return None

    def half_year_table(
        self, doc: Mapping[str, Any], rate_keys: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> _HalfYearTable:
        items = doc.get("valeurs")
        if not isinstance(items, list) or not items:
            self.issue("$.valeurs", "une liste non vide de semestres est attendue")
            items = []
        rows: list[_HalfYearRow] = []
        required = ("valid_from", *rate_keys, "reference", "source", "confirmed")
        for index, raw in enumerate(items):
            path = f"$.valeurs[{index}]"
            item = self.mapping(
                raw, path, required=required, optional=(*optional, "note"), closed=True
            )
            start = self.date(item.get("valid_from"), f"{path}.valid_from")
            if start is None:
                continue
            first_day, last_day = half_year_bounds(start)
            if start != first_day:
                self.issue(
                    f"{path}.valid_from",
                    f"{start.isoformat()} n'est pas un début de semestre",
                    "un semestre commence le 1er janvier ou le 1er juillet",
                )
            if rows and start != rows[-1].valid_until + dt.timedelta(days=1):
                self.issue(
                    f"{path}.valid_from",
                    f"le {half_year_label(start)} ne suit pas le "
                    f"{half_year_label(rows[-1].valid_from)}",
                    "les semestres doivent se suivre sans trou, du plus ancien au plus récent",
                )
            if "en_vigueur_depuis" in item:
                self.date(item["en_vigueur_depuis"], f"{path}.en_vigueur_depuis")
            confirmed = item.get("confirmed")
            if not isinstance(confirmed, bool):
                self.issue(f"{path}.confirmed", "true ou false est attendu")
            rows.append(
                _HalfYearRow(
                    valid_from=start,
                    valid_until=last_day,
                    rates={key: self.decimal(item.get(key), f"{path}.{key}") for key in rate_keys},
                    reference=self.text(item, "reference", path),
                    source=self.text(item, "source", path),
                    confirmed=confirmed is True,
                    note=self.text(item, "note", path),
                )
            )
        if not rows:
            # Keeps the table usable as a value; the issues collected above are raised anyway.
            rows.append(
                _HalfYearRow(
                    valid_from=dt.date.min,
                    valid_until=dt.date.min,
                    rates={key: Decimal(0) for key in rate_keys},
                    reference="",
                    source="",
                    confirmed=False,
                    note="",
                )
            )
        return _HalfYearTable(
            file=self.file,
            description=str(doc.get("description", "")),
            reference=str(doc.get("reference", "")),
            rows=tuple(rows),
        )

    def dated_values(self, doc: Mapping[str, Any], key: str) -> tuple[DatedValue, ...]:
        node = self.mapping(
            doc.get(key), f"$.{key}", required=("description", "unit", "valeurs"), closed=True
        )
        items = node.get("valeurs")
        if not isinstance(items, list) or not items:
            self.issue(f"$.{key}.valeurs", "une liste non vide de valeurs datées est attendue")
            return (DatedValue(Decimal(0), dt.date.min, ""),)
        values: list[DatedValue] = []
        for index, raw in enumerate(items):
            path = f"$.{key}.valeurs[{index}]"
            item = self.mapping(
                raw,
                path,
                required=("valid_from", "value", "reference", "source"),
                optional=("note",),
                closed=True,
            )
            start = self.date(item.get("valid_from"), f"{path}.valid_from")
            if start is None:
                continue
            if values and start <= values[-1].valid_from:
                self.issue(f"{path}.valid_from", "les dates doivent aller croissant")
            values.append(
                DatedValue(
                    value=self.decimal(item.get("value"), f"{path}.value"),
                    valid_from=start,
                    reference=self.text(item, "reference", path),
                    source=self.text(item, "source", path),
                    note=self.text(item, "note", path),
                )
            )
        return tuple(values) or (DatedValue(Decimal(0), dt.date.min, ""),)

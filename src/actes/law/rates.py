"""Dated rate tables: legal interest rate, ECB rate, recovery parameters.

The figures live in ``parameters/taux/interet_legal.yaml``, ``parameters/taux/bce.yaml`` and
``parameters/recouvrement.yaml``, each with its article and source; this module only reads,
checks and looks them up. Rates are annual percentages held as :class:`~decimal.Decimal`
(``Decimal("2.62")`` means 2.62 %). Half-year tables must be contiguous; a legal-rate row
marked ``periode: annee`` (one rate per calendar year, fixed by décret before 2015) stands
for both half-years of its year. A date outside the tables, or a half-year marked
``confirmed: false`` when the caller did not allow it, raises
:class:`~actes.errors.RateMissing` naming the half-year and the command that records it.

Workspace overlay: the firm's workspace (the nearest folder holding ``actes.toml``, see
:func:`actes._paths.find_workspace`) may hold ``parameters/taux/interet_legal.yaml`` and
``parameters/taux/bce.yaml`` with the same row form (``valeurs``). Their rows replace the
shipped rows of the same half-year or extend the table; they are checked like the shipped
ones, and the merged table must stay contiguous. ``actes taux ajouter`` writes them
(:func:`record_rate`), so that an official rate is recorded without editing the installed
package.

:class:`IndexedRate` is a contractual rate defined from a published one (« 3 fois le taux de
l'intérêt légal », « taux de la BCE majoré de 10 points »), re-evaluated each half-year.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from actes._io import atomic_write, load_document, parse_document
from actes._paths import active_workspace, parameters_dir
from actes.errors import DataIssue, DefinitionError, InputError, RateMissing, UsageProblem

__all__ = [
    "DatedValue",
    "IndexedRate",
    "RateBase",
    "RateTables",
    "RateValue",
    "format_percent",
    "half_year_bounds",
    "half_year_code",
    "half_year_label",
    "overlay_path",
    "parse_half_year",
    "record_command",
    "record_rate",
]

LEGAL_RATE_FILE = ("taux", "interet_legal.yaml")
ECB_RATE_FILE = ("taux", "bce.yaml")
RECOVERY_FILE = ("recouvrement.yaml",)

_CONSUMER_KEY = "creancier_particulier"
_OTHER_KEY = "autres_cas"
_ECB_KEY = "taux"

RateBase = Literal["interet_legal", "bce"]
RateKind = Literal["interet_legal", "bce"]
_RATE_BASES: tuple[str, ...] = get_args(RateBase)
_BASE_NAMES = {"interet_legal": "le taux de l'intérêt légal", "bce": "le taux de la BCE"}


@dataclass(frozen=True)
class IndexedRate:
    """A contractual rate defined from a published rate: ``base × multiple + points``.

    Case form (``creances[].taux_contractuel``): ``{base: interet_legal, multiple: "3"}``
    (« 3 fois le taux de l'intérêt légal ») or ``{base: bce, points: "10"}`` (« taux de la BCE
    majoré de 10 points »); both keys may be given. The legal rate is that of the creditor's
    category (CMF L313-2), the ECB rate that in force on 1 January or 1 July (as in C. com.
    L441-10 II); either is re-evaluated each half-year.
    """

    base: RateBase
    multiple: Decimal = Decimal(1)
    points: Decimal = Decimal(0)

    @classmethod
    def from_data(cls, raw: Mapping[str, Any]) -> IndexedRate:
        """Build from the (schema-validated) case form; bad values raise :class:`InputError`."""
        base = raw.get("base")
        if base not in _RATE_BASES:
            raise InputError(
                f"Taux contractuel : base « {base} » inconnue.",
                hint="écrivez « base: interet_legal » ou « base: bce »",
            )
        values = {}
        for key, default in (("multiple", Decimal(1)), ("points", Decimal(0))):
            value = raw.get(key)
            try:
                number = default if value is None else Decimal(str(value))
            except InvalidOperation:
                number = Decimal(-1)
            if isinstance(value, bool) or not number.is_finite() or number < 0:
                raise InputError(
                    f"Taux contractuel : « {key} » vaut « {value} », un nombre positif est "
                    "attendu.",
                    hint=f'exemple : {key}: "3"',
                )
            values[key] = number
        return cls(base=base, multiple=values["multiple"], points=values["points"])

    def label(self) -> str:
        """« 3 fois le taux de l'intérêt légal », « le taux de la BCE majoré de 10 points »."""
        name = _BASE_NAMES[self.base]
        text = name if self.multiple == 1 else f"{_number(self.multiple)} fois {name}"
        if self.points:
            unit = "point" if self.points < 2 else "points"
            text += f" majoré de {_number(self.points)} {unit}"
        return text

    def compute(self, base_rate: Decimal) -> Decimal:
        return base_rate * self.multiple + self.points

    def as_dict(self) -> dict[str, str]:
        return {
            "base": self.base,
            "multiple": f"{self.multiple.normalize():f}",
            "points": f"{self.points.normalize():f}",
            "libelle": self.label(),
        }


def _number(value: Decimal) -> str:
    """« 3 », « 1,5 »: a French number without trailing zeros."""
    return f"{value.normalize():f}".replace(".", ",")


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
    file: str = ""


@dataclass(frozen=True)
class _HalfYearTable:
    """Contiguous half-year rows of one file, indexed by (year, half)."""

    file: str
    description: str
    reference: str
    rows: tuple[_HalfYearRow, ...]
    kind: RateKind = "interet_legal"

    def row(self, on: dt.date, what: str) -> _HalfYearRow:
        first, last = self.rows[0], self.rows[-1]
        if not first.valid_from <= on <= last.valid_until:
            raise RateMissing(
                f"{what} : aucun taux pour le {half_year_label(on)} (date du {on.isoformat()}) ; "
                f"la table couvre du {half_year_label(first.valid_from)} "
                f"au {half_year_label(last.valid_from)}.",
                hint=f"enregistrez le taux publié : {record_command(self.kind, on)} "
                f"(il complète la table livrée, {self.file})",
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


def half_year_code(day: dt.date) -> str:
    """Short name of the half-year containing ``day``: « 2026-S2 »."""
    return f"{day.year}-S{_half(day) + 1}"


def parse_half_year(text: str) -> dt.date:
    """First day of a half-year written « 2026-S2 » or « 2026-07-01 »."""
    value = text.strip().upper()
    if len(value) == 7 and value[4:6] == "-S" and value[:4].isdigit() and value[6] in "12":
        return dt.date(int(value[:4]), 1 if value[6] == "1" else 7, 1)
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        day = None
    if day is None or day != half_year_bounds(day)[0]:
        raise UsageProblem(
            f"« {text} » ne désigne pas un semestre.",
            hint="écrivez 2026-S2 (ou 2026-07-01), 2026-S1 (ou 2026-01-01)",
        )
    return day


def record_command(kind: RateKind, on: dt.date) -> str:
    """The ``actes taux ajouter`` command that records the official rate of ``on``'s half-year."""
    code = half_year_code(on)
    if kind == "bce":
        return (
            f"actes taux ajouter bce {code} TAUX --en-vigueur-depuis AAAA-MM-JJ "
            "--source URL (dans l'espace de travail du cabinet)"
        )
    return (
        f"actes taux ajouter interet_legal {code} --particuliers TAUX --autres TAUX "
        "--arrete « arrêté du … (NOR …) » --source URL (dans l'espace de travail du cabinet)"
    )


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
    def load(cls, directory: Path | None = None, workspace: Path | None = None) -> RateTables:
        """Read and check the tables under ``directory`` (default: the shipped parameters).

        The rate overlay of ``workspace`` (default: the active workspace, see
        :func:`actes._paths.active_workspace`) is merged over the shipped half-year tables.
        """
        found = workspace if workspace is not None else active_workspace()
        return _load_cached((directory or parameters_dir()).resolve(), _overlays(found))

    @classmethod
    def for_folder(cls, folder: Path | None) -> RateTables:
        """The tables seen from a case's folder: the overlay of the workspace holding it, else
        of the workspace found from the current folder (or ``ACTES_WORKSPACE``)."""
        return cls.load(workspace=active_workspace(folder))

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
                hint=f"enregistrez le taux publié : {record_command('interet_legal', on)} "
                f"(il remplace la valeur de {value.file}) ; "
                "à défaut, pour une simple lettre, autorisez expressément les taux non confirmés "
                "(parametres.taux_non_confirmes: true)",
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
                hint=f"enregistrez le taux vérifié : {record_command('bce', on)} "
                f"(il remplace la valeur de {value.file}) ; "
                "à défaut, pour une simple lettre, autorisez expressément les taux non confirmés "
                "(parametres.taux_non_confirmes: true)",
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
            file=row.file or file,
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


def overlay_path(workspace: Path, kind: RateKind) -> Path:
    """The workspace file holding the user's rows for ``kind`` (``interet_legal`` or ``bce``)."""
    return workspace.joinpath("parameters", *(LEGAL_RATE_FILE if kind != "bce" else ECB_RATE_FILE))


def _overlays(workspace: Path | None) -> tuple[tuple[str, str, str], ...]:
    """(kind, file, text) of the workspace's overlay files; the text keys the cache, so that a
    file rewritten by ``actes taux ajouter`` is read again."""
    if workspace is None:
        return ()
    found = []
    for kind in ("interet_legal", "bce"):
        path = overlay_path(workspace, kind)
        if path.is_file():
            try:
                text = path.read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(
                    f"Lecture impossible du fichier de taux {path} : {exc}",
                    hint="enregistrez-le en UTF-8 ou supprimez-le",
                ) from None
            found.append((kind, str(path), text))
    return tuple(found)


def _overlay_rows(
    kind: str, file: str, text: str, rate_keys: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[list[_HalfYearRow], list[DataIssue]]:
    """Rows of one overlay file, checked one by one (contiguity is checked after merging)."""
    reader = _Reader(file)
    doc = reader.mapping(
        parse_document(text, file),
        "$",
        required=("valeurs",),
        optional=("description", "note"),
        closed=True,
    )
    rows = reader.half_year_rows(doc, rate_keys, optional)
    for row in rows:
        if not row.confirmed:
            reader.issue(
                "$.valeurs",
                f"le {half_year_label(row.valid_from)} n'est pas marqué confirmé",
                "l'espace de travail n'enregistre que des taux officiels (confirmed: true)",
            )
    return rows, reader.issues


def _merge(
    table: _HalfYearTable, rows: list[_HalfYearRow], issues: list[DataIssue]
) -> _HalfYearTable:
    """The shipped table with the overlay rows replacing or extending its half-years."""
    if not rows:
        return table
    merged = {row.valid_from: row for row in table.rows}
    merged.update({row.valid_from: row for row in rows})
    ordered = [merged[key] for key in sorted(merged)]
    for before, row in itertools.pairwise(ordered):
        if row.valid_from != before.valid_until + dt.timedelta(days=1):
            issues.append(
                DataIssue(
                    "$.valeurs",
                    f"le {half_year_label(row.valid_from)} ne suit pas le "
                    f"{half_year_label(before.valid_from)}",
                    "enregistrez d'abord les semestres intermédiaires",
                    file=row.file or table.file,
                )
            )
    return _HalfYearTable(
        file=table.file,
        description=table.description,
        reference=table.reference,
        rows=tuple(ordered),
        kind=table.kind,
    )


@cache
def _load_cached(directory: Path, overlays: tuple[tuple[str, str, str], ...] = ()) -> RateTables:
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
    legal = legal_reader.half_year_table(
        legal_doc, (_CONSUMER_KEY, _OTHER_KEY), kind="interet_legal"
    )
    ecb_doc = ecb_reader.mapping(
        ecb_raw,
        "$",
        required=("description", "reference", "unit", "valeurs", "majoration_points"),
    )
    ecb = ecb_reader.half_year_table(
        ecb_doc, (_ECB_KEY,), optional=("en_vigueur_depuis",), kind="bce"
    )
    overlay_issues: list[DataIssue] = []
    for kind, file, text in overlays:
        if kind == "bce":
            rows, found = _overlay_rows(kind, file, text, (_ECB_KEY,), ("en_vigueur_depuis",))
            overlay_issues.extend(found)
            ecb = _merge(ecb, rows, overlay_issues)
        else:
            rows, found = _overlay_rows(kind, file, text, (_CONSUMER_KEY, _OTHER_KEY))
            overlay_issues.extend(found)
            legal = _merge(legal, rows, overlay_issues)
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
    if overlay_issues:
        raise InputError(
            f"Taux enregistrés dans l'espace de travail invalides : {len(overlay_issues)} "
            "problème(s) à corriger.",
            hint="corrigez le fichier nommé, ou enregistrez le taux avec « actes taux ajouter »",
            issues=overlay_issues,
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
        self,
        doc: Mapping[str, Any],
        rate_keys: tuple[str, ...],
        optional: tuple[str, ...] = (),
        kind: RateKind = "interet_legal",
    ) -> _HalfYearTable:
        rows = self.half_year_rows(doc, rate_keys, optional, contiguous=True)
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
            kind=kind,
        )

    def half_year_rows(
        self,
        doc: Mapping[str, Any],
        rate_keys: tuple[str, ...],
        optional: tuple[str, ...] = (),
        *,
        contiguous: bool = False,
    ) -> list[_HalfYearRow]:
        """The rows of ``doc["valeurs"]``, each checked; ``contiguous``: no gap, in order."""
        items = doc.get("valeurs")
        if not isinstance(items, list) or not items:
            self.issue("$.valeurs", "une liste non vide de semestres est attendue")
            items = []
        rows: list[_HalfYearRow] = []
        required = ("valid_from", *rate_keys, "reference", "source", "confirmed")
        for index, raw in enumerate(items):
            path = f"$.valeurs[{index}]"
            item = self.mapping(
                raw, path, required=required, optional=(*optional, "note", "periode"), closed=True
            )
            start = self.date(item.get("valid_from"), f"{path}.valid_from")
            if start is None:
                continue
            yearly = self.yearly(item, path, start, rate_keys)
            first_day, last_day = half_year_bounds(start)
            if start != first_day:
                self.issue(
                    f"{path}.valid_from",
                    f"{start.isoformat()} n'est pas un début de semestre",
                    "un semestre commence le 1er janvier ou le 1er juillet",
                )
            if contiguous and rows and start != rows[-1].valid_until + dt.timedelta(days=1):
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
            row = _HalfYearRow(
                valid_from=start,
                valid_until=last_day,
                rates={key: self.decimal(item.get(key), f"{path}.{key}") for key in rate_keys},
                reference=self.text(item, "reference", path),
                source=self.text(item, "source", path),
                confirmed=confirmed is True,
                note=self.text(item, "note", path),
                file=self.file,
            )
            rows.append(row)
            if yearly:
                # A rate fixed for the calendar year (before 2015) covers both half-years: the
                # second half is the same row, so lookups, overlays and listings stay by half-year.
                second = dt.date(start.year, 7, 1)
                rows.append(
                    replace(row, valid_from=second, valid_until=half_year_bounds(second)[1])
                )
        if not contiguous:
            starts = [row.valid_from for row in rows]
            if len(set(starts)) != len(starts):
                self.issue("$.valeurs", "un même semestre figure deux fois")
        return rows

    def yearly(
        self, item: Mapping[str, Any], path: str, start: dt.date, rate_keys: tuple[str, ...]
    ) -> bool:
        """Whether the row is a yearly one (``periode: annee``), checked: it starts on
        1 January and, the legal rate having had a single value before 2015, both columns are
        equal."""
        period = item.get("periode", "semestre")
        if period not in ("semestre", "annee"):
            self.issue(f"{path}.periode", f"« {period} » inconnu", "écrivez « annee » ou omettez")
            return False
        if period == "semestre":
            return False
        if (start.month, start.day) != (1, 1):
            self.issue(
                f"{path}.valid_from",
                f"{start.isoformat()} : une ligne annuelle commence le 1er janvier",
                "écrivez l'année civile du décret, par exemple « 2003-01-01 »",
            )
        values = {str(item.get(key)) for key in rate_keys}
        if len(values) > 1:
            self.issue(
                path,
                "une ligne annuelle porte le même taux dans chaque colonne",
                "avant 2015, le taux fixé par décret valait pour tous les créanciers",
            )
        return True

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


_OVERLAY_HEADER = {
    "interet_legal": (
        "# Taux de l'intérêt légal enregistrés par le cabinet\n"
        "# (actes taux ajouter interet_legal). Ces semestres remplacent ou complètent la\n"
        "# table livrée avec actes ; chacun porte la référence de l'arrêté publié au Journal\n"
        "# officiel et sa source.\n"
    ),
    "bce": (
        "# Taux de la BCE enregistrés par le cabinet (actes taux ajouter bce) : taux de\n"
        "# l'opération principale de refinancement en vigueur le 1er janvier ou le 1er juillet\n"
        "# (C. com. L441-10 II). Ils remplacent ou complètent la table livrée avec actes.\n"
    ),
}
_OVERLAY_DESCRIPTION = {
    "interet_legal": "Taux de l'intérêt légal enregistrés dans l'espace de travail.",
    "bce": "Taux de la BCE enregistrés dans l'espace de travail.",
}


def _rate_text(rate: Decimal) -> str:
    """« 2.40 », « 3.125 »: two decimals at least, as in the shipped tables."""
    return f"{rate:.2f}" if rate == rate.quantize(Decimal("0.01")) else f"{rate.normalize():f}"


def record_rate(
    workspace: Path,
    kind: RateKind,
    half_year: dt.date,
    rates: Mapping[str, Decimal],
    *,
    reference: str,
    source: str,
    in_force_since: dt.date | None = None,
    note: str = "",
    directory: Path | None = None,
) -> Path:
    """Record the official rate of ``half_year`` in the workspace overlay of ``kind``.

    ``rates`` holds ``creancier_particulier`` and ``autres_cas`` (legal rate) or ``taux``
    (ECB). The row is marked confirmed; a row of the same half-year is replaced. The merged
    tables are checked before the file is written (atomically); a problem raises
    :class:`InputError` and leaves the file as it was.
    """
    start = half_year_bounds(half_year)[0]
    expected = (_ECB_KEY,) if kind == "bce" else (_CONSUMER_KEY, _OTHER_KEY)
    issues = [
        DataIssue(key, "taux manquant", "indiquez le taux publié")
        for key in expected
        if key not in rates
    ]
    for key, value in rates.items():
        if not value.is_finite() or not Decimal(0) <= value < Decimal(100):
            issues.append(DataIssue(key, f"« {value} » n'est pas un taux annuel en pourcentage"))
    for key, text in (("reference", reference), ("source", source)):
        if not text.strip():
            issues.append(
                DataIssue(key, "texte vide", "indiquez l'arrêté ou la décision, et sa source")
            )
    if issues:
        raise InputError("Taux non enregistré : données incomplètes.", issues=issues)
    path = overlay_path(workspace, kind)
    current: Any = load_document(path) if path.is_file() else {}
    if not isinstance(current, Mapping) or not isinstance(current.get("valeurs", []), list):
        raise InputError(
            f"{path} n'a pas la forme attendue (une liste « valeurs »).",
            hint="corrigez-le ou supprimez-le, puis relancez la commande",
        )
    row: dict[str, Any] = {"valid_from": start.isoformat()}
    row.update({key: _rate_text(rates[key]) for key in expected})
    if kind == "bce" and in_force_since is not None:
        row["en_vigueur_depuis"] = in_force_since.isoformat()
    row.update({"reference": reference.strip(), "source": source.strip(), "confirmed": True})
    if note.strip():
        row["note"] = note.strip()
    rows = [
        item
        for item in current.get("valeurs", [])
        if not (isinstance(item, Mapping) and str(item.get("valid_from")) == start.isoformat())
    ]
    rows.append(row)
    rows.sort(key=lambda item: str(item.get("valid_from")) if isinstance(item, Mapping) else "")
    document = {
        "description": current.get("description") or _OVERLAY_DESCRIPTION[kind],
        "valeurs": rows,
    }
    text = _OVERLAY_HEADER[kind] + yaml.safe_dump(
        document, allow_unicode=True, sort_keys=False, width=100
    )
    others = tuple(item for item in _overlays(workspace) if item[0] != kind)
    try:
        # Raises if the merged tables would not load; nothing is written then.
        _load_cached((directory or parameters_dir()).resolve(), (*others, (kind, str(path), text)))
    except InputError as error:
        raise InputError(
            f"Taux non enregistré ({path} inchangé) : {len(error.issues)} problème(s).",
            hint=error.hint,
            issues=error.issues,
        ) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)
    return path

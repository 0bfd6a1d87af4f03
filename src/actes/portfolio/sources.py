"""A portfolio of claims: a CSV export (one row per claim) or a folder of case files.

Rows sharing ``debiteur_reference`` form one case. The creditor usually comes from a partial
case file (``--creancier``: ``creancier``, ``parametres``, ``mandataire``) since every row of
an export has the same creditor; ``creancier_*`` columns override it. The columns are listed in
``docs/portfolio-csv.md``.

Reading is forgiving about what French spreadsheets produce (``;`` or ``,`` separators, UTF-8
with or without BOM, decimal commas, ``1 234,56``, dates ``JJ/MM/AAAA``) and strict about the
rest: a cell that cannot be read, an unknown column holding a value or a missing column
rejects the case, with the row and the column named. Nothing is silently dropped.

The file is read twice (the first pass only notes where each debtor's last row is), so that a
case is handed out as soon as its last row is read and a sorted export of any size is
processed in constant memory.
"""

from __future__ import annotations

import abc
import csv
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actes._io import load_document
from actes.errors import DataIssue, InputError, UsageProblem

__all__ = [
    "CLAIM_COLUMNS",
    "CREDITOR_FILE_KEYS",
    "PARTY_FIELDS",
    "REQUIRED_COLUMNS",
    "Portfolio",
    "PortfolioCase",
    "Reason",
    "load_creditor_file",
    "open_portfolio",
    "parse_amount",
    "parse_date",
    "parse_rate",
]


def __dir__() -> list[str]:
    return __all__


# --------------------------------------------------------------------------- columns

# Party fields: column suffix -> (path inside the party, kind). Columns are ``debiteur_<x>``
# and ``creancier_<x>``.
PARTY_FIELDS: Mapping[str, tuple[tuple[str, ...], str]] = {
    "type": (("type",), "text"),
    "qualite": (("qualite",), "text"),
    "denomination": (("denomination",), "text"),
    "nom_commercial": (("nom_commercial",), "text"),
    "forme_juridique": (("forme_juridique",), "text"),
    "capital": (("capital",), "amount"),
    "siren": (("siren",), "digits"),
    "siret": (("siret",), "digits"),
    "rcs": (("rcs",), "text"),
    "tva_intracommunautaire": (("tva_intracommunautaire",), "text"),
    "identifiant_etranger": (("identifiant_etranger",), "text"),
    "representant_nom": (("representant", "nom"), "text"),
    "representant_qualite": (("representant", "qualite"), "text"),
    "civilite": (("civilite",), "text"),
    "nom": (("nom",), "text"),
    "prenoms": (("prenoms",), "text"),
    "date_naissance": (("date_naissance",), "date"),
    "lieu_naissance": (("lieu_naissance",), "text"),
    "profession": (("profession",), "text"),
    "nationalite": (("nationalite",), "text"),
    "adresse_ligne1": (("adresse", "ligne1"), "text"),
    "adresse_ligne2": (("adresse", "ligne2"), "text"),
    "code_postal": (("adresse", "code_postal"), "digits"),
    "ville": (("adresse", "ville"), "text"),
    "pays": (("adresse", "pays"), "text"),
    "email": (("email",), "text"),
    "telephone": (("telephone",), "text"),
    "iban": (("iban",), "text"),
    "bic": (("bic",), "text"),
}

# Claim and payment fields of a row: column -> (key in the claim or payment, kind).
CLAIM_COLUMNS: Mapping[str, tuple[str, str]] = {
    "creance_reference": ("reference", "text"),
    "creance_nature": ("nature", "text"),
    "creance_libelle": ("libelle", "text"),
    "creance_date_emission": ("date_emission", "date"),
    "creance_date_echeance": ("date_echeance", "date"),
    "creance_montant": ("montant", "amount"),
    "creance_devise": ("devise", "text"),
    "creance_taux_contractuel": ("taux_contractuel", "rate"),
    "creance_fondement": ("fondement", "text"),
}
_PAYMENT_COLUMNS: Mapping[str, tuple[str, str]] = {
    "paiement_date": ("date", "date"),
    "paiement_montant": ("montant", "amount"),
    "paiement_reference": ("reference", "text"),
    "paiement_mode": ("mode", "text"),
}
# Case-level columns (same value on every row of a debtor).
_CASE_COLUMNS: Mapping[str, str] = {
    "debiteur_reference": "text",
    "objet": "text",
    "relance_date": "date",
}

REQUIRED_COLUMNS: tuple[str, ...] = (
    "debiteur_reference",
    "debiteur_qualite",
    "creance_reference",
    "creance_date_emission",
    "creance_date_echeance",
    "creance_montant",
)

CREDITOR_FILE_KEYS = frozenset({"format_version", "creancier", "parametres", "mandataire"})

_KNOWN: dict[str, str] = {
    **{
        f"{role}_{name}": kind
        for role in ("debiteur", "creancier")
        for name, (_, kind) in PARTY_FIELDS.items()
    },
    **{name: kind for name, (_, kind) in CLAIM_COLUMNS.items()},
    **{name: kind for name, (_, kind) in _PAYMENT_COLUMNS.items()},
    **_CASE_COLUMNS,
}
_DOC = "docs/portfolio-csv.md"


# --------------------------------------------------------------------------- values


_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_AMOUNT = re.compile(r"^(-?)(\d{1,3}(?: \d{3})+|\d+)(?:[.,](\d+))?$")
_FR_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class _CellError(ValueError):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _number(text: str, decimals: int, what: str, example: str) -> tuple[str, str, str]:
    cleaned = _SPACES.sub(" ", text.strip())
    for suffix in ("€", "EUR", "%"):
        cleaned = cleaned.removesuffix(suffix).strip()
    match = _AMOUNT.match(cleaned)
    if match is None:
        raise _CellError(
            f"« {text} » n'est pas {what} lisible",
            f"écrivez par exemple {example} (virgule ou point décimal, espaces entre les "
            "milliers, sans point ni virgule entre les milliers)",
        )
    sign, whole, frac = match.group(1), match.group(2).replace(" ", ""), match.group(3) or ""
    if len(frac) > decimals:
        raise _CellError(
            f"« {text} » a plus de {decimals} décimales",
            f"arrondissez à {decimals} décimales (exemple : {example})",
        )
    return sign, whole, frac


def parse_amount(text: str) -> str:
    """``1 234,56`` / ``1234,56`` / ``1234.5`` → ``"1234.56"`` / ``"1234.50"`` (schema form)."""
    sign, whole, frac = _number(text, 2, "un montant", "1 234,56")
    return f"{sign}{int(whole)}.{frac.ljust(2, '0')}"


def parse_rate(text: str) -> str:
    """An annual rate in percent, up to four decimals: ``10,5`` → ``"10.5"``."""
    sign, whole, frac = _number(text, 4, "un taux", "10,5")
    if sign:
        raise _CellError(
            f"« {text} » : un taux ne peut pas être négatif", "indiquez un taux positif"
        )
    return f"{int(whole)}.{frac}" if frac else str(int(whole))


def parse_date(text: str) -> str:
    """``2026-06-02`` or ``02/06/2026`` → ``"2026-06-02"``."""
    value = text.strip()
    match = _FR_DATE.match(value)
    try:
        if match:
            day = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        else:
            day = dt.date.fromisoformat(value)
            if len(value) != 10:
                raise ValueError(value)
    except ValueError:
        raise _CellError(
            f"« {text} » n'est pas une date valide",
            "écrivez JJ/MM/AAAA ou AAAA-MM-JJ (exemple : 15/03/2026)",
        ) from None
    return day.isoformat()


def _convert(kind: str, text: str) -> str:
    if kind == "amount":
        return parse_amount(text)
    if kind == "rate":
        return parse_rate(text)
    if kind == "date":
        return parse_date(text)
    if kind == "digits":
        # SIREN, SIRET and postcodes are exported as « 732 829 320 »; keep the digits.
        compact = _SPACES.sub("", text)
        return compact if compact.isdigit() else text.strip()
    return text.strip()


# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Reason:
    """Why a case is rejected: the message, and where (row and column, or JSON path)."""

    message: str
    hint: str = ""
    row: int | None = None
    column: str = ""
    json_path: str = ""
    rule: str = ""


@dataclass
class PortfolioCase:
    """One case of a portfolio: the rows it comes from, its data and the problems found.

    ``data`` is ``None`` when a row could not be read; ``reasons`` then say why. Otherwise the
    data still has to pass :func:`actes.cases.case.issues_of` (done by the batch runner), whose
    issues :meth:`explain` maps back to rows and columns.
    """

    source: str
    rows: tuple[int, ...]
    reference: str
    data: dict[str, Any] | None
    reasons: list[Reason] = field(default_factory=list)
    locations: dict[str, tuple[int, str]] = field(default_factory=dict)
    folder: Path | None = None

    def explain(self, issues: tuple[DataIssue, ...] | list[DataIssue]) -> list[Reason]:
        """Turn validation issues (JSON paths) into reasons naming the row and column."""
        return [self._locate(issue) for issue in issues]

    def _locate(self, issue: DataIssue) -> Reason:
        path = issue.json_path
        row: int | None = issue.line
        column = ""
        if path in self.locations:
            row, column = self.locations[path]
        else:
            column = _column_for_path(path)
            claim = re.match(r"^\$\.(creances|paiements)\[(\d+)\]", path)
            if claim and f"{claim.group(0)}" in self.locations:
                row = self.locations[claim.group(0)][0]
            elif len(self.rows) == 1 and self.locations:
                row = self.rows[0]
        return Reason(
            message=issue.message,
            hint=issue.hint,
            row=row,
            column=column,
            json_path=path,
            rule=issue.rule,
        )


def _column_for_path(path: str) -> str:
    """The CSV column that feeds a JSON path (``$.debiteur.adresse.ville`` → debiteur_ville)."""
    party = re.match(r"^\$\.(debiteur|creancier)\.(.+)$", path)
    if party:
        inner = tuple(party.group(2).split("."))
        for name, (keys, _) in PARTY_FIELDS.items():
            if keys == inner:
                return f"{party.group(1)}_{name}"
        return ""
    claim = re.match(r"^\$\.creances\[\d+\]\.(\w+)$", path)
    if claim:
        return next((c for c, (k, _) in CLAIM_COLUMNS.items() if k == claim.group(1)), "")
    payment = re.match(r"^\$\.paiements\[\d+\]\.(\w+)$", path)
    if payment:
        return next((c for c, (k, _) in _PAYMENT_COLUMNS.items() if k == payment.group(1)), "")
    if path == "$.reference":
        return "debiteur_reference"
    return ""


# --------------------------------------------------------------------------- creditor file


def load_creditor_file(path: Path) -> dict[str, Any]:
    """Read the partial case file given with ``--creancier`` (creditor, settings, agent)."""
    data = load_document(path)
    if not isinstance(data, dict):
        raise InputError(
            f"{path} : un objet (creancier, parametres, mandataire) était attendu.",
            hint="voir l'exemple de docs/portfolio-csv.md",
        )
    unknown = sorted(set(data) - CREDITOR_FILE_KEYS)
    if unknown:
        raise InputError(
            f"{path} : champ(s) non admis dans le fichier du créancier : {', '.join(unknown)}.",
            hint="ce fichier ne contient que creancier, parametres et mandataire ; le débiteur "
            "et les créances viennent du portefeuille",
        )
    return dict(data)


def _merged(base: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` over ``base``, merging nested objects (the creditor of the file + columns)."""
    out = dict(base)
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


# --------------------------------------------------------------------------- portfolio


class Portfolio(abc.ABC):
    """A portfolio opened for reading: counts known up front, cases handed out one by one."""

    def __init__(self, path: Path, creditor: Mapping[str, Any] | None) -> None:
        self.path = path
        self.creditor = dict(creditor or {})
        self.rows = 0
        self.blank_rows = 0
        self.cases = 0
        self.is_folder = path.is_dir()

    @abc.abstractmethod
    def __iter__(self) -> Iterator[PortfolioCase]:
        """The cases, each as soon as its last row is read."""


def open_portfolio(path: Path, creditor: Mapping[str, Any] | None = None) -> Portfolio:
    """Open a CSV file or a folder of case files; raise :class:`InputError` if unreadable."""
    if path.is_dir():
        return _FolderPortfolio(path, creditor)
    if not path.is_file():
        raise UsageProblem(
            f"Portefeuille introuvable : {path}", hint="indiquez un CSV ou un dossier"
        )
    return _CsvPortfolio(path, creditor)


class _FolderPortfolio(Portfolio):
    """One case per file: ``*.yaml``, ``*.yml``, ``*.json`` or ``<sous-dossier>/dossier.yaml``."""

    def __init__(self, path: Path, creditor: Mapping[str, Any] | None) -> None:
        super().__init__(path, creditor)
        self.files = _case_files(path)
        self.rows = self.cases = len(self.files)

    def __iter__(self) -> Iterator[PortfolioCase]:
        for number, file in enumerate(self.files, start=1):
            name = str(file)
            try:
                data = load_document(file)
            except InputError as error:
                reasons = [
                    Reason(i.message, i.hint, row=i.line, json_path=i.json_path)
                    for i in error.issues
                ] or [Reason(error.message, error.hint)]
                yield PortfolioCase(name, (number,), file.stem, None, reasons, folder=file.parent)
                continue
            if not isinstance(data, dict):
                reason = Reason("le fichier ne contient pas un dossier (objet attendu)")
                yield PortfolioCase(name, (number,), file.stem, None, [reason], folder=file.parent)
                continue
            merged = _merged({"format_version": 1, **self.creditor}, data)
            yield PortfolioCase(
                name, (number,), str(data.get("reference", file.stem)), merged, folder=file.parent
            )


def _case_files(folder: Path) -> list[Path]:
    found = [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix in (".yaml", ".yml", ".json") and not p.name.startswith(".")
    ]
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for name in ("dossier.yaml", "dossier.yml", "dossier.json"):
            if (sub / name).is_file():
                found.append(sub / name)
                break
    return found


_BROKEN = re.compile(r"[\udc80-\udcff]")


class _CsvPortfolio(Portfolio):
    def __init__(self, path: Path, creditor: Mapping[str, Any] | None) -> None:
        super().__init__(path, creditor)
        self.delimiter = self._sniff()
        self.header: list[str] = []
        self.header_reasons: list[Reason] = []
        self._last_row: dict[str, int] = {}
        self._scan()

    def _open(self) -> Any:
        # surrogateescape keeps undecodable bytes, so that the row and column holding them can
        # be named instead of failing on the whole file.
        return self.path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")

    def _sniff(self) -> str:
        with self._open() as handle:
            first = handle.readline()
        if not first.strip():
            raise InputError(
                f"{self.path} est vide ou sa première ligne est vide.",
                hint="la première ligne doit porter les noms des colonnes",
            )
        # The header has no decimal commas: the most frequent candidate is the separator.
        counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
        return max(counts, key=lambda sep: counts[sep])

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        with self._open() as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            yield from enumerate(reader, start=1)

    def _scan(self) -> None:
        records = self._records()
        _, header = next(records)
        self.header = [name.strip() for name in header]
        self._check_header()
        ref_index = self._index("debiteur_reference")
        for number, record in records:
            if _blank(record):
                self.blank_rows += 1
                continue
            self.rows += 1
            self._last_row[_group_key(record, ref_index, number)] = number
        self.cases = len(self._last_row)

    def _index(self, column: str) -> int | None:
        return self.header.index(column) if column in self.header else None

    def _check_header(self) -> None:
        seen: set[str] = set()
        for position, name in enumerate(self.header, start=1):
            if _BROKEN.search(name):
                self.header_reasons.append(
                    Reason(
                        f"nom de colonne n° {position} illisible (octets non UTF-8)",
                        "enregistrez le fichier en UTF-8 (« CSV UTF-8 » dans le tableur)",
                        row=1,
                        column=name.encode("utf-8", "replace").decode("utf-8"),
                        rule="csv.encodage",
                    )
                )
            elif name in seen:
                self.header_reasons.append(
                    Reason(
                        f"colonne « {name} » en double",
                        "gardez une seule colonne de ce nom",
                        row=1,
                        column=name,
                        rule="csv.colonne_double",
                    )
                )
            seen.add(name)
        for name in REQUIRED_COLUMNS:
            if name not in seen:
                self.header_reasons.append(
                    Reason(
                        f"colonne obligatoire absente : {name}",
                        f"ajoutez la colonne « {name} » (voir {_DOC})",
                        row=1,
                        column=name,
                        rule="csv.colonne_absente",
                    )
                )

    def __iter__(self) -> Iterator[PortfolioCase]:
        ref_index = self._index("debiteur_reference")
        pending: dict[str, list[tuple[int, list[str]]]] = {}
        records = self._records()
        next(records)
        for number, record in records:
            if _blank(record):
                continue
            key = _group_key(record, ref_index, number)
            pending.setdefault(key, []).append((number, record))
            if self._last_row.get(key) == number:
                yield self._case(key, pending.pop(key))

    def _case(self, key: str, records: list[tuple[int, list[str]]]) -> PortfolioCase:
        builder = _CaseBuilder(self, records)
        return builder.build(key)


def _blank(record: list[str]) -> bool:
    return not any(cell.strip() for cell in record)


def _group_key(record: list[str], ref_index: int | None, number: int) -> str:
    value = record[ref_index].strip() if ref_index is not None and ref_index < len(record) else ""
    # Rows without a debtor reference cannot be grouped: each is its own (rejected) case.
    return f"ref:{value}" if value else f"row:{number}"


class _CaseBuilder:
    """Turns the rows of one debtor into case data, collecting every problem met."""

    def __init__(self, portfolio: _CsvPortfolio, records: list[tuple[int, list[str]]]) -> None:
        self.portfolio = portfolio
        self.records = records
        self.reasons: list[Reason] = list(portfolio.header_reasons)
        self.locations: dict[str, tuple[int, str]] = {}
        self.values: dict[str, tuple[str, int]] = {}
        self.parties: dict[str, dict[str, str]] = {"debiteur": {}, "creancier": {}}
        self.claims: list[dict[str, Any]] = []
        self.payments: list[dict[str, Any]] = []

    def fail(self, row: int, column: str, message: str, hint: str, rule: str) -> None:
        self.reasons.append(Reason(message, hint, row=row, column=column, rule=rule))

    def build(self, key: str) -> PortfolioCase:
        header = self.portfolio.header
        for number, record in self.records:
            if len(record) > len(header):
                self.fail(
                    number,
                    "",
                    f"la ligne compte {len(record)} champs pour {len(header)} colonnes",
                    "vérifiez le séparateur et les guillemets : dans un fichier séparé par des "
                    "virgules, un montant à virgule décimale doit être entre guillemets",
                    "csv.champs",
                )
                continue
            self._row(number, dict(zip(header, record, strict=False)))
        rows = tuple(n for n, _ in self.records)
        reference = key.removeprefix("ref:") if key.startswith("ref:") else ""
        if not reference and not any(r.column == "debiteur_reference" for r in self.reasons):
            self.fail(
                rows[0],
                "debiteur_reference",
                "valeur obligatoire vide : la ligne ne peut être rattachée à aucun débiteur",
                "indiquez la référence du débiteur (les lignes de même référence forment un "
                "dossier)",
                "csv.valeur_vide",
            )
        source = str(self.portfolio.path)
        if self.reasons:
            return PortfolioCase(source, rows, reference, None, self.reasons)
        data = self._data(reference)
        return PortfolioCase(source, rows, reference, data, [], self.locations)

    def _row(self, number: int, cells: Mapping[str, str]) -> None:
        claim: dict[str, Any] = {}
        payment: dict[str, Any] = {}
        claim_index = len(self.claims)
        payment_index = len(self.payments)
        for column, raw in cells.items():
            if not column:
                column = "(sans nom)"
            if _BROKEN.search(raw):
                self.fail(
                    number,
                    column,
                    "octets non UTF-8 dans la cellule (fichier enregistré en Windows-1252 ou "
                    "Latin-1 ?)",
                    "enregistrez le fichier en UTF-8 (« CSV UTF-8 » dans le tableur)",
                    "csv.encodage",
                )
                continue
            text = raw.strip()
            required = column in REQUIRED_COLUMNS
            if not text:
                if required:
                    self.fail(
                        number,
                        column,
                        "valeur obligatoire vide",
                        "renseignez la cellule",
                        "csv.valeur_vide",
                    )
                continue
            kind = _KNOWN.get(column)
            if kind is None:
                if not _BROKEN.search(column):
                    self.fail(
                        number,
                        column,
                        f"colonne inconnue « {column} » : sa valeur « {text} » serait perdue",
                        f"renommez la colonne (colonnes admises : {_DOC}) ou videz-la",
                        "csv.colonne_inconnue",
                    )
                continue
            try:
                value = _convert(kind, text)
            except _CellError as error:
                self.fail(number, column, error.message, error.hint, "csv.valeur")
                continue
            if column in CLAIM_COLUMNS:
                key = CLAIM_COLUMNS[column][0]
                claim[key] = value
                self.locations[f"$.creances[{claim_index}].{key}"] = (number, column)
                self.locations.setdefault(f"$.creances[{claim_index}]", (number, ""))
            elif column in _PAYMENT_COLUMNS:
                key = _PAYMENT_COLUMNS[column][0]
                payment[key] = value
                self.locations[f"$.paiements[{payment_index}].{key}"] = (number, column)
                self.locations.setdefault(f"$.paiements[{payment_index}]", (number, ""))
            elif column == "debiteur_reference":
                self.locations.setdefault("$.reference", (number, column))
            elif column == "relance_date":
                self._same(number, column, "relance", value)
            elif column == "objet":
                self._same(number, column, "objet", value)
            else:
                role, _, name = column.partition("_")
                self._party_value(number, column, role, name, value)
        self.claims.append(claim)
        if payment:
            if "reference" in claim:
                payment.setdefault("creance", claim["reference"])
            self.payments.append(payment)

    def _same(self, number: int, column: str, slot: str, value: str) -> bool:
        """Debtor-level values must agree across the rows of a debtor; True if first seen."""
        if slot in self.values:
            previous, first_row = self.values[slot]
            if previous != value:
                self.fail(
                    number,
                    column,
                    f"« {value} » diffère de la valeur de la ligne {first_row} (« {previous} ») "
                    "pour le même débiteur",
                    "une même référence de débiteur doit porter les mêmes informations sur "
                    "toutes ses lignes",
                    "csv.incoherence",
                )
            return False
        self.values[slot] = (value, number)
        return True

    def _party_value(self, number: int, column: str, role: str, name: str, value: str) -> None:
        if self._same(number, column, f"{role}.{name}", value):
            self.parties[role][name] = value
            keys = PARTY_FIELDS[name][0]
            self.locations["$." + ".".join((role, *keys))] = (number, column)

    def _data(self, reference: str) -> dict[str, Any]:
        creditor_file = self.portfolio.creditor
        data: dict[str, Any] = {"format_version": creditor_file.get("format_version", 1)}
        data["reference"] = reference
        if "objet" in self.values:
            data["objet"] = self.values["objet"][0]
        creditor = _party_from_fields(self.parties["creancier"], default_country=False)
        data["creancier"] = _merged(creditor_file.get("creancier") or {}, creditor)
        data["debiteur"] = _party_from_fields(self.parties["debiteur"], default_country=True)
        if creditor_file.get("mandataire"):
            data["mandataire"] = creditor_file["mandataire"]
        data["creances"] = [{"nature": "facture", **claim} for claim in self.claims]
        if self.payments:
            data["paiements"] = self.payments
        if "relance" in self.values:
            data["evenements"] = [{"type": "relance_envoyee", "date": self.values["relance"][0]}]
        if creditor_file.get("parametres"):
            data["parametres"] = creditor_file["parametres"]
        return data


def _party_from_fields(fields: Mapping[str, str], *, default_country: bool) -> dict[str, Any]:
    party: dict[str, Any] = {}
    for name, value in fields.items():
        keys = PARTY_FIELDS[name][0]
        target = party
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value
    if fields and "type" not in party:
        # A company name means a company; otherwise a person (the schema then asks for the
        # civility, first names and surname).
        party["type"] = "personne_morale" if "denomination" in party else "personne_physique"
    if default_country and "adresse" in party:
        party["adresse"].setdefault("pays", "FR")
    return party

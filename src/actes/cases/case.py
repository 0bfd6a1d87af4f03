"""The case file (dossier): loading, validation and the typed model the engine reads.

``load_case`` parses YAML or JSON, validates it against ``schemas/case.schema.json`` (plus a
procedure's own schema when given) and the business rules of :mod:`actes.cases.rules`, and returns
a :class:`Case` whose amounts are ``Decimal`` and dates ``datetime.date``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from actes._io import decode_input, parse_document, read_input
from actes.cases.rules import check_business_rules, check_values
from actes.cases.schema import effective_schema, schema_issues
from actes.errors import ActesError, CaseError, DataIssue, IssueCollector
from actes.law.rates import IndexedRate

__all__ = [
    "EU_MEMBER_STATES",
    "Address",
    "Case",
    "Claim",
    "Event",
    "Party",
    "Payment",
    "Piece",
    "Representative",
    "case_from_data",
    "load_case",
    "validate_data",
]

# Member States bound by Regulation (EC) 1896/2006: all but Denmark (art. 2(3)).
EU_MEMBER_STATES = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    }
)

Quality = Literal["professionnel", "consommateur", "non_professionnel"]


@dataclass(frozen=True)
class Address:
    ligne1: str
    code_postal: str
    ville: str
    pays: str = "FR"
    ligne2: str = ""

    def lines(self) -> tuple[str, ...]:
        """The address as printed on an envelope (country line only outside France)."""
        rows = [self.ligne1]
        if self.ligne2:
            rows.append(self.ligne2)
        rows.append(f"{self.code_postal} {self.ville.upper()}")
        if self.pays != "FR":
            from babel import Locale

            rows.append(Locale("fr").territories.get(self.pays, self.pays).upper())
        return tuple(rows)


@dataclass(frozen=True)
class Party:
    type: Literal["personne_morale", "personne_physique"]
    qualite: Quality
    adresse: Address
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    @property
    def is_company(self) -> bool:
        return self.type == "personne_morale"

    @property
    def is_consumer(self) -> bool:
        return self.qualite == "consommateur"

    @property
    def is_professional(self) -> bool:
        return self.qualite == "professionnel"

    @property
    def country(self) -> str:
        return self.adresse.pays

    @property
    def name(self) -> str:
        """Display name: company name, or civility, first names and surname."""
        if self.is_company:
            return str(self.raw["denomination"])
        return f"{self.raw['civilite']} {self.raw['prenoms']} {str(self.raw['nom']).upper()}"

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)


@dataclass(frozen=True)
class Representative:
    role: Literal["societe_recouvrement", "avocat", "commissaire_de_justice"]
    partie: Party
    raw: Mapping[str, Any] = field(repr=False, compare=False)


@dataclass(frozen=True)
class Claim:
    reference: str
    nature: str
    libelle: str
    date_emission: dt.date
    date_echeance: dt.date
    montant: Decimal
    devise: str = "EUR"
    taux_contractuel: Decimal | None = None
    fondement: str = ""
    # A contractual rate defined from the legal or ECB rate (« 3 fois le taux légal »);
    # ``taux_contractuel`` is then None.
    taux_indexe: IndexedRate | None = None


@dataclass(frozen=True)
class Payment:
    date: dt.date
    montant: Decimal
    reference: str = ""
    creance: str | None = None
    mode: str = ""


@dataclass(frozen=True)
class Event:
    type: str
    date: dt.date
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)


@dataclass(frozen=True)
class Piece:
    numero: int
    titre: str
    date: dt.date
    fichier: str


@dataclass(frozen=True)
class Case:
    """A validated case. ``data`` keeps the original mapping for templates and tools."""

    reference: str
    creancier: Party
    debiteur: Party
    creances: tuple[Claim, ...]
    paiements: tuple[Payment, ...]
    evenements: tuple[Event, ...]
    pieces: tuple[Piece, ...]
    mandataire: Representative | None
    data: Mapping[str, Any] = field(repr=False, compare=False)
    path: Path | None = None
    sha256: str = ""

    @property
    def folder(self) -> Path | None:
        return self.path.parent if self.path else None

    @property
    def parametres(self) -> Mapping[str, Any]:
        return dict(self.data.get("parametres", {}))

    def events(self, kind: str) -> tuple[Event, ...]:
        return tuple(e for e in self.evenements if e.type == kind)

    def event(self, kind: str) -> Event | None:
        """The earliest event of that kind (the one that starts a deadline), if any."""
        found = sorted(self.events(kind), key=lambda e: e.date)
        return found[0] if found else None

    def latest(self, kind: str) -> Event | None:
        found = sorted(self.events(kind), key=lambda e: e.date)
        return found[-1] if found else None

    def has(self, kind: str) -> bool:
        return any(e.type == kind for e in self.evenements)

    @property
    def principal(self) -> Decimal:
        return sum((c.montant for c in self.creances), Decimal("0"))

    @property
    def paid(self) -> Decimal:
        return sum((p.montant for p in self.paiements), Decimal("0"))


def load_case(
    path: Path, *, au: dt.date | None = None, extra_schema: Mapping[str, Any] | None = None
) -> Case:
    """Read, validate and convert a case file. Raises :class:`CaseError` with every problem.

    Whatever the file holds, the only exceptions are :class:`ActesError` ones: a case that
    cannot be read is reported, never a crash of the command, list or batch reading it.
    """
    raw = read_input(path)
    data = parse_document(decode_input(raw, path), str(path))
    with _reported(str(path)):
        validate_data(data, file=str(path), folder=path.parent, au=au, extra_schema=extra_schema)
        case = case_from_data(data, path=path)
    return _with_hash(case, hashlib.sha256(raw).hexdigest())


def load_case_text(
    text: str,
    name: str,
    *,
    folder: Path | None,
    au: dt.date | None = None,
    extra_schema: Mapping[str, Any] | None = None,
) -> Case:
    """Same as :func:`load_case` for text held in memory (web forms, batches)."""
    data = parse_document(text, name)
    with _reported(name):
        validate_data(data, file=name, folder=folder, au=au, extra_schema=extra_schema)
        case = case_from_data(data, path=(folder / name) if folder else None)
    return _with_hash(case, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


@contextlib.contextmanager
def _reported(file: str) -> Iterator[None]:
    """Any failure while checking a case becomes a :class:`CaseError` naming the file (the
    original exception stays attached for ``actes --debug``)."""
    try:
        yield
    except ActesError:
        raise
    except (ArithmeticError, ValueError, TypeError, KeyError, RecursionError) as exc:
        raise CaseError(
            file,
            [
                DataIssue(
                    "",
                    f"dossier illisible ({type(exc).__name__}) : une valeur n'a pas pu être "
                    "interprétée",
                    "vérifiez les montants, dates et textes du dossier ; si le problème "
                    "persiste, signalez-le aux développeurs d'actes avec le fichier",
                    file=file,
                    rule="lecture",
                )
            ],
        ) from exc


def _with_hash(case: Case, digest: str) -> Case:
    return Case(**{**case.__dict__, "sha256": digest})


def validate_data(
    data: Any,
    *,
    file: str = "",
    folder: Path | None = None,
    au: dt.date | None = None,
    extra_schema: Mapping[str, Any] | None = None,
) -> None:
    """Structure, texts and numbers, schema, then business rules; raise one
    :class:`CaseError` listing every problem of the first stage that finds any (a hostile
    value is refused before the schema or a rule reads it)."""
    values = IssueCollector(file=file)
    check_values(data, values)
    values.raise_if_any()
    issues = schema_issues(data, effective_schema(extra_schema), file=file)
    if issues:
        raise CaseError(file, issues)
    collector = IssueCollector(file=file)
    check_business_rules(data, collector, folder=folder, au=au or dt.date.today())
    check_piece_places(data, collector, folder)
    collector.raise_if_any()


PIECES_FOLDER = "pieces"
PIECE_SUFFIXES = (".pdf", ".docx")


def check_piece_places(data: Mapping[str, Any], out: IssueCollector, folder: Path | None) -> None:
    """A pièce is a PDF (or a DOCX, converted by ``actes packet``) inside the case's
    ``pieces/`` folder: never the case file itself nor any other file of the folder, which
    the web page would otherwise serve. A path leaving the case folder is reported by the
    business rules already."""
    for index, piece in enumerate(data.get("pieces", [])):
        name = str(piece.get("fichier", ""))
        where = f"$.pieces[{index}].fichier"
        label = f"pièce n° {index + 1} « {piece.get('titre', '')} » ({name})"
        parts = PurePosixPath(name).parts
        inside = len(parts) > 1 and parts[0] == PIECES_FOLDER and ".." not in parts
        if inside and folder is not None:
            root = folder.resolve()
            with contextlib.suppress(OSError, ValueError):
                target = (root / name).resolve()
                inside = not target.is_relative_to(root) or target.is_relative_to(
                    (root / PIECES_FOLDER).resolve()
                )
        if not inside:
            out.add(
                where,
                f"{label} : une pièce doit se trouver dans le sous-dossier « {PIECES_FOLDER} » "
                "du dossier",
                f"placez le fichier dans {PIECES_FOLDER}/ et indiquez « {PIECES_FOLDER}/nom.pdf »",
                "pieces",
            )
        elif PurePosixPath(name).suffix.lower() not in PIECE_SUFFIXES:
            suffix = PurePosixPath(name).suffix.lower() or "sans extension"
            out.add(
                where,
                f"{label} : format « {suffix} » refusé (seuls PDF et DOCX sont acceptés)",
                "enregistrez ou numérisez la pièce en PDF",
                "pieces",
            )


def issues_of(
    data: Any,
    *,
    file: str = "",
    folder: Path | None = None,
    au: dt.date | None = None,
    extra_schema: Mapping[str, Any] | None = None,
) -> list[DataIssue]:
    """Every problem of ``data`` as a list (empty when valid)."""
    try:
        with _reported(file):
            validate_data(data, file=file, folder=folder, au=au, extra_schema=extra_schema)
    except CaseError as error:
        return list(error.issues)
    return []


def case_from_data(data: Mapping[str, Any], *, path: Path | None = None) -> Case:
    """Convert schema-valid data into the typed model (no validation here)."""
    mandataire = data.get("mandataire")
    pieces = tuple(
        Piece(numero=i + 1, titre=p["titre"], date=_date(p["date"]), fichier=p["fichier"])
        for i, p in enumerate(data.get("pieces", []))
    )
    return Case(
        reference=str(data["reference"]),
        creancier=_party(data["creancier"]),
        debiteur=_party(data["debiteur"]),
        creances=tuple(_claim(c) for c in data["creances"]),
        paiements=tuple(
            Payment(
                date=_date(p["date"]),
                montant=_money(p["montant"]),
                reference=p.get("reference", ""),
                creance=p.get("creance"),
                mode=p.get("mode", ""),
            )
            for p in data.get("paiements", [])
        ),
        evenements=tuple(
            Event(type=e["type"], date=_date(e["date"]), raw=e) for e in data.get("evenements", [])
        ),
        pieces=pieces,
        mandataire=Representative(
            role=mandataire["role"], partie=_party(mandataire["partie"]), raw=mandataire
        )
        if mandataire
        else None,
        data=data,
        path=path,
    )


def _party(raw: Mapping[str, Any]) -> Party:
    addr = raw["adresse"]
    return Party(
        type=raw["type"],
        qualite=raw["qualite"],
        adresse=Address(
            ligne1=addr["ligne1"],
            ligne2=addr.get("ligne2", ""),
            code_postal=addr["code_postal"],
            ville=addr["ville"],
            pays=addr.get("pays", "FR"),
        ),
        raw=raw,
    )


def _claim(raw: Mapping[str, Any]) -> Claim:
    rate = raw.get("taux_contractuel")
    return Claim(
        reference=str(raw["reference"]),
        nature=raw["nature"],
        libelle=raw.get("libelle", ""),
        date_emission=_date(raw["date_emission"]),
        date_echeance=claim_due_date(raw),
        montant=_money(raw["montant"]),
        devise=raw.get("devise", "EUR"),
        taux_contractuel=(
            Decimal(str(rate)) if rate is not None and not isinstance(rate, Mapping) else None
        ),
        taux_indexe=IndexedRate.from_data(rate) if isinstance(rate, Mapping) else None,
        fondement=raw.get("fondement", ""),
    )


def claim_due_date(raw: Mapping[str, Any]) -> dt.date:
    """A claim's ``date_echeance``, or the date its ``conditions_paiement`` give from
    ``date_emission`` (docs/imports.md); the business rules have checked that one of them
    is there and readable."""
    if raw.get("date_echeance") is not None:
        return _date(raw["date_echeance"])
    from actes.law.terms import due_date, parse_terms

    return due_date(_date(raw["date_emission"]), parse_terms(raw["conditions_paiement"])).due


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))

"""Which court hears a procedure for a case, and what the user must still tell us.

The kind of court, its explanation and its articles come from the version's ``court`` block;
the words that recognise a court, the titles of the judge seised, the place rules and the
local laws (Alsace-Moselle: no tribunal de commerce) and the dated names of courts (the
tribunaux des activités économiques, 2025-2028) come from ``parameters/juridictions.yaml``.
A court's name is a dated fact: :func:`dated_court_name` gives the name it bears on the date of
a document, whichever of its names the case file uses.
actes ships no commune → court table: when the case file does not name the court in
« juridiction », the advice says so and points to the official directory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from actes._io import load_document
from actes._paths import data_file
from actes.cases.case import Case
from actes.errors import DefinitionError, UsageProblem
from actes.law.calendar import departement_from_postal_code
from actes.law.procedures import ProcedureVersion

__all__ = ["CourtAdvice", "CourtName", "competent_court", "dated_court_name"]

_FILE = "juridictions.yaml"
_DEBTOR_PLACE = ("domicile_debiteur", "commission_du_domicile")


@dataclass(frozen=True)
class CourtAdvice:
    """The court to seise for one procedure version and one case."""

    procedure_id: str
    kind: str
    title: str
    place_rule: str
    explanation: str
    legal_basis: tuple[str, ...]
    departement: str | None = None
    named: str = ""
    matches_case: bool | None = None
    to_supply: str = ""
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "procedure": self.procedure_id,
            "nature": self.kind,
            "intitule": self.title,
            "regle_de_lieu": self.place_rule,
            "explication": self.explanation,
            "fondement": list(self.legal_basis),
            "departement": self.departement,
            "juridiction_du_dossier": self.named or None,
            "correspond_au_dossier": self.matches_case,
            "a_fournir": self.to_supply or None,
            "remarques": list(self.notes),
        }


@dataclass(frozen=True)
class _Kind:
    function: str
    generic: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class _LocalLaw:
    id: str
    name: str
    departements: frozenset[str]
    replaces: str
    kind: str
    function: str
    generic: str
    words: tuple[str, ...]
    chamber_words: tuple[str, ...]
    explanation: str
    reference: str


@dataclass(frozen=True)
class _Renaming:
    id: str
    former: str
    new: str
    start: dt.date
    end: dt.date
    places: tuple[str, ...]
    reference: str
    note: str


@dataclass(frozen=True)
class _Data:
    to_supply: str
    abroad: str
    kinds: Mapping[str, _Kind]
    places: Mapping[str, str]
    local_laws: tuple[_LocalLaw, ...]
    renamings: tuple[_Renaming, ...] = ()


@dataclass(frozen=True)
class CourtName:
    """The name a court bears on a date, and why it differs from the case file's, if it does."""

    name: str
    recorded: str
    reference: str = ""
    note: str = ""

    @property
    def changed(self) -> bool:
        return self.name != self.recorded


def dated_court_name(name: str, on: dt.date) -> CourtName:
    """The name of the court called ``name`` in the case file, as it is called on ``on``.

    « Tribunal de commerce de Lyon » on 1 December 2026 is « Tribunal des activités
    économiques de Lyon » (arrêté of 5 July 2024), and the other way round before 2025 or
    after 2028; a court no renaming concerns keeps its name.
    """
    recorded = name.strip()
    lowered = " ".join(recorded.lower().split())
    for renaming in _data().renamings:
        for place in renaming.places:
            if lowered not in (f"{renaming.former} {place}", f"{renaming.new} {place}"):
                continue
            current = renaming.new if renaming.start <= on <= renaming.end else renaming.former
            # Keep the place as the case file writes it (its capitals).
            written_place = recorded[len(recorded) - len(place) :]
            dated = f"{current[:1].upper()}{current[1:]} {written_place}"
            if dated == recorded:
                return CourtName(dated, recorded)
            return CourtName(dated, recorded, renaming.reference, renaming.note)
    return CourtName(recorded, recorded)


def competent_court(
    version: ProcedureVersion, case: Case, on: dt.date | None = None
) -> CourtAdvice:
    """The court of ``version`` for ``case``: title, place rule, articles, what to supply.

    With ``on`` (the date of the document), the court is named as it is called that day
    (:func:`dated_court_name`).
    """
    data = _data()
    court = version.court
    kind_id = str(court.get("kind", "aucune"))
    default_territory = "aucune" if kind_id == "aucune" else "domicile_debiteur"
    territory = str(court.get("territory", default_territory))
    explanation = str(court.get("explanation", ""))
    basis = tuple(str(b) for b in court.get("legal_basis", ()))
    place = data.places.get(territory, territory)
    if kind_id == "aucune" or kind_id not in data.kinds:
        return CourtAdvice(
            procedure_id=version.procedure_id,
            kind=kind_id,
            title="",
            place_rule=place,
            explanation=explanation,
            legal_basis=basis,
        )
    kind = data.kinds[kind_id]
    declared = case.data.get("juridiction") or {}
    name = str(declared.get("nom", "")).strip()
    if name and on is not None:
        name = dated_court_name(name, on).name
    departement = _departement(case, declared, territory)
    local = _local_law(data, kind_id, departement)
    notes: list[str] = []
    words = kind.words
    if local is not None:
        notes.append(f"{local.explanation} [{local.reference}]")
        words = local.words
    generic = local.generic if local else kind.generic
    matches = _matches(name, words) if name else None
    abroad = territory in _DEBTOR_PLACE and case.debiteur.country != "FR"
    if abroad:
        # The domicile rule designates no French court: the named court cannot be this one.
        notes.append(data.abroad)
        matches = False if name else None
    elif name and not matches:
        notes.append(
            f"La juridiction du dossier (« {name} ») n'est pas de la nature attendue pour "
            f"cette procédure : {generic[:1].lower()}{generic[1:]}."
        )
    title = _title(kind, local, name) if matches else generic
    if territory in _DEBTOR_PLACE:
        place = f"{place} : {_debtor_place(case)}"
    elif name:
        place = f"{place} : {name}"
    return CourtAdvice(
        procedure_id=version.procedure_id,
        kind=local.kind if local else kind_id,
        title=title,
        place_rule=place,
        explanation=explanation,
        legal_basis=basis,
        departement=departement,
        named=name,
        matches_case=matches,
        to_supply="" if matches or abroad else data.to_supply,
        notes=tuple(notes),
    )


def _departement(case: Case, declared: Mapping[str, Any], territory: str) -> str | None:
    """Département of the court: declared in the case file, else the debtor's in France."""
    if declared.get("departement"):
        return str(declared["departement"])
    address = declared.get("adresse") or {}
    if address.get("code_postal") and address.get("pays", "FR") == "FR":
        return _from_postal_code(str(address["code_postal"]))
    if territory in _DEBTOR_PLACE and case.debiteur.country == "FR":
        return _from_postal_code(case.debiteur.adresse.code_postal)
    return None


def _from_postal_code(code: str) -> str | None:
    try:
        return departement_from_postal_code(code)
    except UsageProblem:
        return None


def _local_law(data: _Data, kind: str, departement: str | None) -> _LocalLaw | None:
    if departement is None:
        return None
    for law in data.local_laws:
        if law.replaces == kind and departement in law.departements:
            return law
    return None


def _matches(name: str, words: tuple[str, ...]) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in words)


def _title(kind: _Kind, local: _LocalLaw | None, name: str) -> str:
    function = kind.function
    if local is not None and not _matches(name, local.chamber_words):
        function = local.function
    return f"{function} {_of(name)}" if function else name


def _of(name: str) -> str:
    """« de » + the court's name in running text: « du tribunal… », « de la chambre… »."""
    lowered = name[:1].lower() + name[1:]
    first = lowered.split(" ", 1)[0]
    if first in ("tribunal", "conseil"):
        return f"du {lowered}"
    if first in ("chambre", "commission", "cour", "juridiction"):
        return f"de la {lowered}"
    if first[:1] in "aeiouyéèh":
        return f"de l'{lowered}"
    return f"de {lowered}"


def _debtor_place(case: Case) -> str:
    address = case.debiteur.adresse
    if address.pays == "FR":
        return f"{address.ville} ({address.code_postal})"
    return f"{address.ville} ({address.code_postal}, {address.pays})"


def _data() -> _Data:
    # The workspace's copy of the file when it has one (docs/workspace.md).
    return _data_at(data_file("parameters", _FILE))


@cache
def _data_at(path: Path) -> _Data:
    raw = load_document(path, definition=True)
    try:
        return _parse(raw)
    except (KeyError, TypeError, AttributeError) as error:
        raise DefinitionError(
            f"{path} : clé manquante ou mal formée ({error}).",
            hint="voir le commentaire en tête de parameters/juridictions.yaml",
        ) from None


def _parse(raw: Mapping[str, Any]) -> _Data:
    kinds = {
        key: _Kind(
            function=str(value["fonction"]),
            generic=str(value["generique"]),
            words=tuple(str(w).lower() for w in value["mots"]),
        )
        for key, value in raw["natures"].items()
    }
    laws = tuple(
        _LocalLaw(
            id=str(law["id"]),
            name=str(law["nom"]),
            departements=frozenset(str(d) for d in law["departements"]),
            replaces=str(law["remplace"]),
            kind=str(law["nature"]),
            function=str(law["fonction"]),
            generic=str(law["generique"]),
            words=tuple(str(w).lower() for w in law["mots"]),
            chamber_words=tuple(str(w).lower() for w in law["mots_chambre"]),
            explanation=str(law["explication"]),
            reference=str(law["reference"]),
        )
        for law in raw.get("droit_local", [])
    )
    renamings = tuple(
        _Renaming(
            id=str(entry["id"]),
            former=str(entry["ancien"]).lower(),
            new=str(entry["nouveau"]).lower(),
            start=dt.date.fromisoformat(str(entry["du"])),
            end=dt.date.fromisoformat(str(entry["au"])),
            places=tuple(str(p).lower() for p in entry["lieux"]),
            reference=str(entry["reference"]),
            note=str(entry.get("note", "")),
        )
        for entry in raw.get("denominations", [])
    )
    return _Data(
        to_supply=str(raw["a_fournir"]),
        abroad=str(raw["hors_de_france"]),
        kinds=kinds,
        places={str(k): str(v) for k, v in raw["territoires"].items()},
        local_laws=laws,
        renamings=renamings,
    )

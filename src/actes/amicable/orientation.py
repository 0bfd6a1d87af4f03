"""Where a debtor in payment difficulty can get help (issue #23, point 5).

When the budget of a natural-person debtor (:mod:`actes.amicable.budget`) leaves **no
repayment capacity**, or concludes to the **surendettement route**, ``actes budget`` and the
letters to that debtor name the help that exists: the Points conseil budget, the commission de
surendettement (Banque de France), the social services and, for housing debts, the fonds de
solidarité pour le logement. The facts, their legal basis and their sources are data:
``parameters/orientation.yaml``, which a workspace may replace (docs/amicable.md, 2 bis).

Help is named to a consumer only (``qualite: consommateur``). A company, and a natural person
acting as a professional (artisan, commerçant, profession libérale: any ``qualite`` other than
``consommateur``), are excluded from the surendettement procedure (C. conso. L711-3: they come
under Book VI of the code de commerce): for them nothing is said rather than the wrong help.
Nor is help named to a debtor whose case has no ``situation``, nor once the debtor is before
the commission (a ``surendettement_*`` event): the letters then follow the commission's
procedure.
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
from actes.amicable.budget import Budget, budget_for_case
from actes.cases.case import Case
from actes.errors import DataIssue, DefinitionError

__all__ = [
    "ORIENTATION_FILE",
    "HelpEntry",
    "HelpSource",
    "Orientation",
    "help_entries",
    "orientation_for",
]

ORIENTATION_FILE = "orientation.yaml"
_TEXT_KEYS = ("id", "nom", "offre", "contact", "fondement")


@dataclass(frozen=True)
class HelpSource:
    """Where a fact was checked: the address read and what it confirms."""

    url: str
    titre: str
    confirme: str

    def as_dict(self) -> dict[str, str]:
        return {"url": self.url, "titre": self.titre, "confirme": self.confirme}


@dataclass(frozen=True)
class HelpEntry:
    """One kind of help: what the debtor reads (``nom``, ``offre``, ``contact``) and its basis.

    ``creances``: claim natures that call for this help (empty: always named)."""

    id: str
    nom: str
    offre: str
    contact: str
    fondement: str
    verifie_le: dt.date
    sources: tuple[HelpSource, ...]
    creances: frozenset[str] = frozenset()

    def applies_to(self, case: Case) -> bool:
        return not self.creances or any(c.nature in self.creances for c in case.creances)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "nom": self.nom,
            "offre": self.offre,
            "contact": self.contact,
            "fondement": self.fondement,
            "verifie_le": self.verifie_le,
            "sources": [s.as_dict() for s in self.sources],
        }


@dataclass(frozen=True)
class Orientation:
    """Why the debtor is pointed to help, and the help named (in the order of the data)."""

    reason: str
    introduction: str
    entries: tuple[HelpEntry, ...]
    file: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "motif": self.reason,
            "introduction": self.introduction,
            "aides": [e.as_dict() for e in self.entries],
            "fichier": self.file,
        }


def _issue(file: str, path: str, message: str) -> DefinitionError:
    return DefinitionError(
        f"Fichier de paramètres invalide : {file}",
        issues=[DataIssue(path, message, file=file)],
        hint="comparez avec la forme décrite en tête de parameters/orientation.yaml",
    )


def _text(raw: Mapping[str, Any], key: str, file: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _issue(file, f"{where}.{key}", "un texte non vide est attendu")
    return value.strip()


def _entry(raw: Any, file: str, where: str) -> HelpEntry:
    if not isinstance(raw, Mapping):
        raise _issue(file, where, "une aide est décrite par ses clés (id, nom, offre…)")
    texts = {key: _text(raw, key, file, where) for key in _TEXT_KEYS}
    try:
        checked = dt.date.fromisoformat(str(raw.get("verifie_le")))
    except ValueError:
        raise _issue(
            file, f"{where}.verifie_le", "la date de vérification AAAA-MM-JJ est attendue"
        ) from None
    sources = raw.get("sources")
    if not isinstance(sources, list) or not sources:
        raise _issue(file, f"{where}.sources", "au moins une source (url, titre) est attendue")
    parsed = []
    for index, source in enumerate(sources):
        at = f"{where}.sources[{index}]"
        if not isinstance(source, Mapping):
            raise _issue(file, at, "une source est décrite par url, titre et confirme")
        url = _text(source, "url", file, at)
        if not url.startswith("https://"):
            raise _issue(file, f"{at}.url", f"« {url} » n'est pas une adresse https://")
        parsed.append(
            HelpSource(url, _text(source, "titre", file, at), _text(source, "confirme", file, at))
        )
    natures = raw.get("creances", [])
    if not isinstance(natures, list) or not all(isinstance(n, str) for n in natures):
        raise _issue(file, f"{where}.creances", "une liste de natures de créance est attendue")
    return HelpEntry(
        id=texts["id"],
        nom=texts["nom"],
        offre=texts["offre"],
        contact=texts["contact"],
        fondement=texts["fondement"],
        verifie_le=checked,
        sources=tuple(parsed),
        creances=frozenset(natures),
    )


@cache
def _load(path: Path) -> tuple[str, tuple[HelpEntry, ...]]:
    file = str(path)
    doc = load_document(path, definition=True)
    if not isinstance(doc, Mapping) or not isinstance(doc.get("aides"), list):
        raise _issue(file, "$", "les clés « introduction » et « aides » sont attendues")
    introduction = _text(doc, "introduction", file, "$")
    entries = tuple(_entry(raw, file, f"$.aides[{i}]") for i, raw in enumerate(doc["aides"]))
    if not entries:
        raise _issue(file, "$.aides", "au moins une aide est attendue")
    ids = [e.id for e in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise _issue(file, "$.aides", f"identifiant en double : {', '.join(duplicates)}")
    return introduction, entries


def help_entries(path: Path | None = None) -> tuple[str, tuple[HelpEntry, ...], str]:
    """The introduction sentence, every help entry and the file they come from (the
    workspace's ``parameters/orientation.yaml`` when it has one)."""
    file = (path or data_file("parameters", ORIENTATION_FILE)).resolve()
    introduction, entries = _load(file)
    return introduction, entries, str(file)


def _fr(amount: Any) -> str:
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",") + " €"


def _reason(budget: Budget) -> str:
    when = budget.au.strftime("%d/%m/%Y")
    if budget.capacity <= 0:
        return (
            f"Au {when}, le budget du débiteur ne laisse aucune capacité de remboursement "
            f"(ressources {_fr(budget.resources)}, part réservée aux dépenses courantes "
            f"{_fr(budget.reserved)} ; C. conso. art. L731-1 et L731-2)."
        )
    return (
        f"Au {when}, la capacité de remboursement ({_fr(budget.capacity)} par mois) ne "
        f"permet pas de rembourser les dettes dans la durée maximale d'un plan de "
        f"surendettement ({budget.max_plan_months} mois) : risque de surendettement "
        "(C. conso. art. L711-1)."
    )


def orientation_for(
    case: Case, au: dt.date, *, budget: Budget | None = None, path: Path | None = None
) -> Orientation | None:
    """The help to name to the case's debtor at ``au``, or None.

    Only for a consumer whose budget (``budget``, default :func:`budget_for_case`) leaves no
    repayment capacity or concludes to the surendettement route; never for a company or a
    natural person acting as a professional (C. conso. L711-3), a case without ``situation``,
    or a debtor already before the commission. Errors of the budget (a dated value missing)
    are raised, as by ``actes budget``."""
    debtor = case.debiteur
    if debtor.is_company or not debtor.is_consumer or not case.data.get("situation"):
        return None
    if any(e.type.startswith("surendettement_") for e in case.evenements):
        return None
    result = budget if budget is not None else budget_for_case(case, au)
    if result.capacity > 0 and result.route != "surendettement":
        return None
    introduction, entries, file = help_entries(path)
    return Orientation(
        reason=_reason(result),
        introduction=introduction,
        entries=tuple(e for e in entries if e.applies_to(case)),
        file=file,
    )

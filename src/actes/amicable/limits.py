"""The legal maxima of payment plans and actes' default plan settings (``parameters/plans.yaml``).

Read by the plan engine and by the debtor's budget; kept apart so neither imports the other.
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
from actes.errors import DataIssue, DefinitionError

__all__ = ["PLANS_FILE", "MaxLength", "PlanLimits", "plan_limits"]

PLANS_FILE = "plans.yaml"


@dataclass(frozen=True)
class MaxLength:
    months: int
    valid_from: dt.date
    reference: str
    confirmed: bool


@dataclass(frozen=True)
class PlanLimits:
    """Legal maxima and actes' default settings from ``parameters/plans.yaml``."""

    grace: MaxLength
    surendettement: MaxLength
    notice_days: int
    notice_case_law: tuple[str, ...]
    notice_rejected_up_to: int
    grace_days: int
    after_reminder_days: int
    file: str


@cache
def _plans_doc(directory: Path) -> Mapping[str, Any]:
    doc = load_document(directory / PLANS_FILE, definition=True)
    if not isinstance(doc, Mapping) or not {"durees_maximales", "reglages"} <= set(doc):
        raise DefinitionError(
            f"Fichier de paramètres invalide : {directory / PLANS_FILE}",
            hint="les clés « durees_maximales » et « reglages » sont attendues",
        )
    return doc


def plan_limits(on: dt.date, directory: Path | None = None) -> PlanLimits:
    """The maxima in force on ``on`` and the default settings."""
    root = (directory or data_file("parameters", PLANS_FILE).parent).resolve()
    doc = _plans_doc(root)
    file = str(root / PLANS_FILE)

    def max_length(key: str) -> MaxLength:
        values = doc["durees_maximales"][key]["valeurs"]
        found = [v for v in values if dt.date.fromisoformat(str(v["valid_from"])) <= on]
        if not found:
            raise DefinitionError(
                f"Durée maximale « {key} » : aucune valeur en vigueur le {on.isoformat()}.",
                issues=[DataIssue(f"$.durees_maximales.{key}", "valeur manquante", file=file)],
            )
        row = found[-1]
        return MaxLength(
            months=int(row["mois"]),
            valid_from=dt.date.fromisoformat(str(row["valid_from"])),
            reference=str(row["reference"]),
            confirmed=bool(row["confirmed"]),
        )

    settings = doc["reglages"]
    notice = settings["preavis_decheance_jours"]
    return PlanLimits(
        grace=max_length("delais_de_grace"),
        surendettement=max_length("surendettement"),
        notice_days=int(notice["valeur"]),
        notice_case_law=tuple(str(x) for x in notice.get("jurisprudence", [])),
        notice_rejected_up_to=int(notice.get("juge_insuffisant_jusqu_a_jours", 0)),
        grace_days=int(settings["jours_de_grace"]["valeur"]),
        after_reminder_days=int(settings["delai_apres_relance_jours"]["valeur"]),
        file=file,
    )


# --------------------------------------------------------------------------- schedules

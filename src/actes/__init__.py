"""actes: French debt recovery, from one case file to the legal documents it needs.

The public API, for programs that do not go through the ``actes`` command::

    import datetime as dt
    from pathlib import Path
    import actes

    au = dt.date(2026, 11, 24)
    case = actes.load_case(Path("examples/b2b-factures-impayees/dossier.yaml"), au=au)
    actes.decompte_for_case(case, au).total_due          # Decimal('6388.93')
    [d.date_limite for d in actes.case_deadlines(case, au)]
    actes.next_steps(case, au).recommended
    actes.load_registry().get("injonction_de_payer_tc").at(au)
    actes.render_documents("mise_en_demeure_professionnel", case.path, Path("out"), au)

Every error is an :class:`actes.errors.ActesError`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> module; imported on first use so that ``import actes`` stays cheap.
_EXPORTS = {
    "load_case": "actes.cases.case",
    "validate_data": "actes.cases.case",
    "load_registry": "actes.law.procedures",
    "case_deadlines": "actes.law.timeline",
    "compute_deadline": "actes.law.deadlines",
    "calendar_for": "actes.law.calendar",
    "decompte_for_case": "actes.law.accounts",
    "next_steps": "actes.law.assistant",
    "render_documents": "actes.documents.render",
    "build_packet": "actes.documents.packet",
    "verify_packet": "actes.documents.packet",
    "budget_for_case": "actes.amicable.budget",
    "plan_status": "actes.amicable.plan",
}

__all__ = [
    "__version__",
    "budget_for_case",
    "build_packet",
    "calendar_for",
    "case_deadlines",
    "compute_deadline",
    "decompte_for_case",
    "load_case",
    "load_registry",
    "next_steps",
    "plan_status",
    "render_documents",
    "validate_data",
    "verify_packet",
]

if TYPE_CHECKING:
    from actes.amicable.budget import budget_for_case
    from actes.amicable.plan import plan_status
    from actes.cases.case import load_case, validate_data
    from actes.documents.packet import build_packet, verify_packet
    from actes.documents.render import render_documents
    from actes.law.accounts import decompte_for_case
    from actes.law.assistant import next_steps
    from actes.law.calendar import calendar_for
    from actes.law.deadlines import compute_deadline
    from actes.law.procedures import load_registry
    from actes.law.timeline import case_deadlines


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'actes' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return __all__

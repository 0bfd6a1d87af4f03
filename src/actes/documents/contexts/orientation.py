"""The ``orientation`` block: the help a letter names to a debtor in difficulty.

``None`` unless :func:`actes.amicable.orientation.orientation_for` names help; else
``introduction`` (« Des services gratuits peuvent vous aider… : ») and ``aides``
(``nom``, ``offre``, ``contact``), printed by the relances, the mise en demeure to a consumer
and the plan letters (tools/layouts/plan.py, ``orientation_block``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from actes.amicable.orientation import orientation_for
from actes.cases.case import Case
from actes.errors import RateMissing

__all__ = ["orientation_context"]


def orientation_context(case: Case, au: dt.date) -> dict[str, Any] | None:
    """What the letters print, or None (a debtor other than a consumer, no ``situation``,
    capacity left)."""
    try:
        found = orientation_for(case, au)
    except RateMissing:
        # The budget needs a dated value actes does not have (an RSA revaluation not yet
        # published): the letter goes without the paragraph; ``actes budget`` names the value.
        return None
    if found is None:
        return None
    return {
        "introduction": found.introduction,
        "aides": [{"nom": e.nom, "offre": e.offre, "contact": e.contact} for e in found.entries],
    }

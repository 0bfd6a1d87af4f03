"""What the case page shows of the journal, and who the web page acts as."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from actes.cases import journal

__all__ = ["history_rows", "web_actor"]

SHORT_HASH = 12
"""Characters of a SHA-256 shown on the page (the full value is in the title attribute)."""


def web_actor(session_name: object) -> str:
    """The name acts of the page are recorded under: the one given at login, else the
    account running ``actes serve``, marked as coming from the page."""
    if isinstance(session_name, str) and session_name.strip():
        return f"{session_name.strip()} (page web)"
    return f"{journal.current_actor()} (page web)"


def _when(stamp: object) -> str:
    try:
        moment = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return str(stamp)
    return moment.astimezone().strftime("%d/%m/%Y %H:%M:%S")


def history_rows(case_path: Path) -> list[dict[str, Any]]:
    """The journal entries of a case, most recent first, ready to show."""
    rows = []
    for entry in reversed(journal.case_entries(case_path)):
        action = str(entry.get("action", ""))
        rows.append(
            {
                "quand": _when(entry.get("horodatage", "")),
                "horodatage": str(entry.get("horodatage", "")),
                "qui": str(entry.get("qui", "")),
                "action": journal.ACTION_LABELS.get(action, action),
                "detail": journal.summary(entry),
                "fichiers": [
                    {"nom": name, "sha256": digest, "court": digest[:SHORT_HASH] + "…"}
                    for name, digest in journal.entry_files(entry)
                ],
            }
        )
    return rows

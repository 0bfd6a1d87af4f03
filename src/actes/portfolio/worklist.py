"""The collector's worklist: what to do today on the cases of a folder, debtors with the
highest explained score first.

Each case's tasks come with its report facts (:func:`actes.portfolio.report.case_tasks`):
the latest promise to pay when broken (from the day after its date; a newer promise closes the
older ones), preventive reminders to send, unpaid plan instalments, deadlines of the coming 7
days. The score is the **debtor's** (every case of one debtor combined,
:func:`actes.portfolio.score.debtor_score`), so two cases of one debtor sit together; ties are
broken by the oldest task first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from actes.portfolio.report import TASK_LABELS, CaseFacts, score_inputs_of
from actes.portfolio.score import Score, ScoreParameters, debtor_score

__all__ = ["WorkItem", "worklist"]


@dataclass(frozen=True)
class WorkItem:
    """One task of the worklist, with the case and the debtor's score."""

    kind: str
    date: dt.date
    label: str
    action: str
    command: str
    reference: str
    file: str
    debtor: str
    score: Score

    @property
    def kind_label(self) -> str:
        return TASK_LABELS.get(self.kind, self.kind)

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "type_libelle": self.kind_label,
            "date": self.date,
            "libelle": self.label,
            "action": self.action,
            "commande": self.command,
            "dossier": self.reference,
            "fichier": self.file,
            "debiteur": self.debtor,
            "score": self.score.as_dict(),
        }


def worklist(
    facts: Sequence[CaseFacts], *, kinds: Sequence[str] = (), params: ScoreParameters | None = None
) -> list[WorkItem]:
    """The tasks of ``facts`` (only ``kinds`` when given), highest debtor score first, then
    oldest date, then case reference."""
    by_debtor: dict[str, list[CaseFacts]] = defaultdict(list)
    for item in facts:
        by_debtor[item.debtor_key].append(item)
    scores = {
        key: debtor_score([score_inputs_of(c.score_inputs) for c in cases], params)
        for key, cases in by_debtor.items()
    }
    items = [
        WorkItem(
            kind=task["type"],
            date=dt.date.fromisoformat(task["date"]),
            label=task["libelle"],
            action=task["action"],
            command=task["commande"],
            reference=case.reference,
            file=case.file,
            debtor=case.debtor,
            score=scores[case.debtor_key],
        )
        for case in facts
        for task in case.tasks
        if not kinds or task["type"] in kinds
    ]
    items.sort(key=lambda w: (-w.score.total, w.date, w.reference, w.kind))
    return items

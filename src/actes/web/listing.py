"""The list of cases of ``actes serve``, read from the folder's index
(:mod:`actes.portfolio.index`): search, filters, sort and pages as GET parameters in French.

``?q=`` words to find in the reference, creditor or debtor (accents and case ignored),
``statut=`` (valide, invalide, illisible, a_calculer), ``etape=`` (a procedure id, or ``-``
for none), ``avant=`` (nearest deadline on or before, AAAA-MM-JJ), ``min=`` / ``max=``
(amount due, in euros), ``tri=`` (a column of :data:`actes.portfolio.index.SORTS`, ``-`` in
front for descending order), ``page=``.

Each request refreshes the index first (only changed files are read). With a time budget
(``actes serve``), a refresh that has too much to compute — the first start, the first
request of a day — stops after the budget, shows what is already indexed with a notice, and
a background thread finishes the work.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from actes.portfolio.index import PER_PAGE, SORTS, STATUSES, CaseIndex, ListPage, ListQuery

__all__ = ["CaseListing", "parse_query"]

_log = logging.getLogger(__name__)

IDLE = 300.0
"""Seconds without a list request after which the background refresh stops."""

COLUMNS = (
    ("reference", "Dossier"),
    ("debiteur", "Débiteur"),
    ("etape", "Prochaine étape"),
    ("delai", "Prochain délai"),
    ("montant", "Montant dû"),
)
"""The sortable columns of the table, by sort key."""


@dataclass
class ParsedQuery:
    """The search of a request, the values to show back in the form, and what was ignored."""

    query: ListQuery
    values: dict[str, str]
    ignored: list[str] = field(default_factory=list)


def _amount(text: str) -> Decimal:
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    cleaned = cleaned.removesuffix("€").replace(",", ".")
    value = Decimal(cleaned)
    if not value.is_finite() or value < 0 or abs(value.adjusted()) > 15:
        raise InvalidOperation
    return value


def parse_query(args: Mapping[str, str]) -> ParsedQuery:
    """The :class:`ListQuery` of GET parameters; a malformed value is ignored and said so."""
    values = {
        name: str(args.get(name, "")).strip()[:200]
        for name in ("q", "statut", "etape", "avant", "min", "max", "tri", "page")
    }
    ignored: list[str] = []
    status = values["statut"]
    if status and status not in STATUSES:
        ignored.append(f"statut « {status} » inconnu")
        status = values["statut"] = ""
    before = None
    if values["avant"]:
        try:
            before = dt.date.fromisoformat(values["avant"])
        except ValueError:
            ignored.append(f"date « {values['avant']} » invalide (AAAA-MM-JJ attendu)")
            values["avant"] = ""
    amounts: dict[str, Decimal | None] = {"min": None, "max": None}
    for name in amounts:
        if values[name]:
            try:
                amounts[name] = _amount(values[name])
            except (InvalidOperation, ValueError):
                ignored.append(f"montant « {values[name]} » invalide (par exemple 1500,00)")
                values[name] = ""
    sort = values["tri"] or "reference"
    descending = sort.startswith("-")
    if sort.lstrip("-") not in SORTS:
        ignored.append(f"tri « {sort} » inconnu")
        sort, descending, values["tri"] = "reference", False, ""
    page = 1
    if values["page"]:
        try:
            page = max(1, int(values["page"]))
        except ValueError:
            ignored.append(f"page « {values['page']} » invalide")
    query = ListQuery(
        text=values["q"],
        status=status,
        step=values["etape"],
        before=before,
        min_amount=amounts["min"],
        max_amount=amounts["max"],
        sort=sort.lstrip("-"),
        descending=descending,
        page=page,
        per_page=PER_PAGE,
    )
    return ParsedQuery(query, values, ignored)


class CaseListing:
    """The list page's access to the index of ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._index: CaseIndex | None = None
        self._opening = threading.Lock()
        self._finishing = threading.Lock()
        self._watcher: threading.Thread | None = None
        self._last_request = 0.0
        self._au = dt.date.today()

    @property
    def index(self) -> CaseIndex:
        """The index, opened (``.actes/`` created) on the first list request only."""
        with self._opening:
            if self._index is None:
                self._index = CaseIndex(self.root)
            return self._index

    def page(
        self,
        args: Mapping[str, str],
        au: dt.date,
        budget: float | None,
        watch: float | None = None,
    ) -> dict[str, Any]:
        """What ``index.html`` shows for a request's GET parameters.

        ``watch`` (seconds): instead of scanning the folder in each request, a background
        thread refreshes the index every ``watch`` seconds while requests come (it stops
        after :data:`IDLE` seconds without one; the next request refreshes and restarts it).
        """
        self.update(au, budget, watch)
        parsed = parse_query(args)
        result = self.index.search(parsed.query, au)
        if result.pending and budget is not None and watch is None:
            self._finish_in_background(au)
        return {
            "page": result,
            "values": parsed.values,
            "ignored": parsed.ignored,
            "steps": self.index.steps(),
            "statuses": STATUSES,
            "sorts": SORTS,
            "columns": COLUMNS,
            "filtered": any(v for k, v in parsed.values.items() if k not in ("tri", "page")),
            "links": _Links(parsed.values, result),
        }

    def update(self, au: dt.date, budget: float | None, watch: float | None = None) -> None:
        """Bring the index up to date for a page that reads it (the list, the dashboard),
        within ``budget`` seconds; the rows left are computed by a background thread."""
        self._last_request = time.monotonic()
        self._au = au
        if watch is None or not self._watching():
            # Skipped while a background thread refreshes: the page shows what is indexed.
            refreshed = self.index.try_refresh(au, budget=budget)
            if watch is not None:
                self._start_watching(watch)
            elif refreshed is not None and refreshed.pending and budget is not None:
                self._finish_in_background(au)

    def _watching(self) -> bool:
        return self._watcher is not None and self._watcher.is_alive()

    def _start_watching(self, every: float) -> None:
        with self._opening:
            if self._watching():
                return

            def run() -> None:
                while time.monotonic() - self._last_request < IDLE:
                    time.sleep(every)
                    if not self.root.is_dir():
                        return  # the folder is gone (moved, unmounted): nothing to watch
                    try:
                        self.index.refresh(self._au)  # the day of the latest request
                    except Exception:  # the page keeps working from the rows already indexed
                        _log.exception("index des dossiers : mise à jour interrompue")

            self._watcher = threading.Thread(target=run, name="actes-index-veille", daemon=True)
            self._watcher.start()

    def _finish_in_background(self, au: dt.date) -> None:
        if not self._finishing.acquire(blocking=False):
            return  # already running

        def run() -> None:
            try:
                self.index.refresh(au)
            except Exception:  # the page keeps working from the rows already indexed
                _log.exception("index des dossiers : mise à jour interrompue")
            finally:
                self._finishing.release()

        threading.Thread(target=run, name="actes-index", daemon=True).start()


@dataclass(frozen=True)
class _Links:
    """Query strings of the page links, the sort links and the pager (current search kept)."""

    values: Mapping[str, str]
    result: ListPage

    def args(self, **changes: Any) -> dict[str, str]:
        merged = {k: v for k, v in self.values.items() if v}
        merged.update({k: str(v) for k, v in changes.items()})
        return {k: v for k, v in merged.items() if v and not (k == "page" and v == "1")}

    def sort(self, key: str) -> dict[str, str]:
        """Sort on ``key``; on the current sort column, the other direction."""
        current = self.values.get("tri") or "reference"
        return self.args(tri=f"-{key}" if current == key else key, page="1")

    def arrow(self, key: str) -> str:
        current = self.values.get("tri") or "reference"
        return "▲" if current == key else "▼" if current == f"-{key}" else ""

    def pages(self) -> list[int | None]:
        """Page numbers to link, ``None`` for a gap: first, last, and two around this one."""
        last, here = self.result.pages, self.result.page
        wanted = {1, last, *range(max(1, here - 2), min(last, here + 2) + 1)}
        shown: list[int | None] = []
        for number in sorted(wanted):
            if shown and shown[-1] is not None and number - shown[-1] > 1:
                shown.append(None)
            shown.append(number)
        return shown

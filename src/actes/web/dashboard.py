"""The « Tableau de bord » of ``actes serve``: the portfolio report of the folder it serves
(``actes rapport``, docs/reporting.md) as a page, its two charts and its downloads.

Today's report is read from the folder's index, as the list is: each row keeps its case's
facts (:mod:`actes.portfolio.report`), so a request adds them up and recomputes only the
files changed since (within the list's time budget; rows still being computed are named on
the page and left out of the totals until they are ready). ``?au=JJ/MM/AAAA`` asks for
another date: every case is then computed as it stood that day (as ``actes rapport --au``).

A report is kept in memory for what it is made of (today: the index rows it adds up; another
date: each case file's state and the data files and code the cases are computed with), so the
page, its two charts and its downloads compute it once, and any change of a case gives a new
report; the facts parsed from the index are kept too, so after one case is edited one row is
parsed again. One bad case file never takes the page down: it is listed with its reason and
left out of the totals.

The charts are SVG drawn by matplotlib from the report's figures only (amounts, buckets,
months: no case text), and every figure they show is in a table of the page too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from actes.errors import EnvironmentProblem, InputError
from actes.portfolio.index import ReportRow
from actes.portfolio.report import BUCKETS, CaseFacts, Excluded, Report, month_label
from actes.portfolio.report_views import View, fr_amount, fr_cell, report_views, view_csv
from actes.web import frenchinput

__all__ = [
    "DEADLINE_ROWS",
    "DETAIL_ROWS",
    "DETAIL_VIEWS",
    "blueprint",
    "read_day",
    "without_options",
]

blueprint = Blueprint("dashboard", __name__, url_prefix="/tableau-de-bord")

DETAIL_ROWS = 15
"""Lines of a detail table (by debtor, creditor, collector, case) before « Tout voir »."""

DETAIL_VIEWS = ("debiteurs", "creanciers", "gestionnaires", "dossiers")
"""The detail tables, by view name; ``?tout=<name>`` shows one in full."""

DEADLINE_ROWS = 50
"""Deadlines listed in each period (7 days, 8 to 30 days) before « Tout voir »
(``?tout=delais``)."""

_CACHED = 4  # reports kept (today's, and a few other dates being compared)
_CACHE_KEY = "actes.dashboard"
_LISTING_KEY = "actes.listing"
_PARSED_KEY = "actes.dashboard.faits"
# Rows of the synthesis the page's opening line already gives.
_SAID_ABOVE = ("Date du rapport", "Dossiers comptés", "Dossiers écartés")
_OPTION = re.compile(r" \(--[a-z-]+\)")


class DateRefused(Exception):
    """``?au=`` is not a date; the message is shown as is."""


def read_day(text: str) -> dt.date:
    """The date typed in ``?au=`` (« 02/12/2026 » or ISO), read as the case form reads it;
    :class:`DateRefused` with the French reason otherwise."""
    value = text.strip()
    if frenchinput.two_digit_year(value):
        raise DateRefused(f"Date « {value} » : écrivez l'année sur quatre chiffres (JJ/MM/AAAA).")
    try:
        return dt.date.fromisoformat(frenchinput.read_date(value) or value)
    except ValueError:
        raise DateRefused(
            f"« {value[:40]} » n'est pas une date : écrivez-la JJ/MM/AAAA (par exemple "
            "02/12/2026)."
        ) from None


# ---------------------------------------------------------------------------------------------
# The report of the folder at a date, computed once per state of the folder.


@dataclass
class Board:
    """What the page shows: the report, or why there is none, and the cases not counted."""

    au: dt.date
    today: dt.date
    report: Report | None = None
    problem: str = ""
    pending: int = 0
    facts: list[CaseFacts] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)
    """Case key (its URL name) by file relative to the folder, for the links."""
    charts: dict[str, bytes] = field(default_factory=dict)
    views: dict[str, View] = field(default_factory=dict)
    """The report's views, made once (a board serves several requests)."""
    deadlines: list[tuple[dt.date, str, str, str, str | None]] | None = None

    @property
    def indexed(self) -> bool:
        """Whether the figures come from the index (today) rather than a computation at
        another date."""
        return self.au == self.today

    @property
    def complete(self) -> bool:
        return self.pending == 0


class _Boards:
    """The boards computed lately, by date and state of the folder."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kept: OrderedDict[tuple[str, str], Board] = OrderedDict()

    def get(self, key: tuple[str, str]) -> Board | None:
        with self.lock:
            board = self.kept.get(key)
            if board is not None:
                self.kept.move_to_end(key)
            return board

    def put(self, key: tuple[str, str], board: Board) -> None:
        with self.lock:
            self.kept[key] = board
            while len(self.kept) > _CACHED:
                self.kept.popitem(last=False)


def _today() -> dt.date:
    fixed = current_app.config["ACTES_AU"]
    return fixed if isinstance(fixed, dt.date) else dt.date.today()


def _root() -> Path:
    root: Path = current_app.config["ACTES_CASES_DIR"]
    return root


def _state(root: Path) -> tuple[str, dict[str, str]]:
    """A digest of what the report depends on (each case file's state, the data files and
    code it is computed with) and the case keys by relative path."""
    from actes.portfolio.index import context_fingerprint, scan_cases

    found = scan_cases(root)
    digest = hashlib.sha256(context_fingerprint(root).encode("ascii"))
    for key in sorted(found):
        state = found[key]
        digest.update(f"\n{state.key}\0{state.relative}\0{state.mtime_ns}\0{state.size}".encode())
    return digest.hexdigest(), {state.relative: state.key for state in found.values()}


def board_at(au: dt.date, *, complete: bool = False) -> Board:
    """The board of the served folder at ``au``. ``complete``: the rows the index has not
    computed yet are computed here (the downloads must count every case); otherwise they are
    left for the background refresh and counted in :attr:`Board.pending`."""
    boards: _Boards = current_app.extensions.setdefault(_CACHE_KEY, _Boards())
    root, today = _root(), _today()
    rows: list[ReportRow] = []
    pending = 0
    if au == today:
        # The index rows say what the report depends on (each case's facts as computed, with
        # the data files in use): no scan of the folder here when `actes serve` scans it.
        rows, pending, keys = _index_rows(au, complete=complete)
        state = _rows_digest(rows, pending)
    else:
        state, keys = _state(root)
    key = (au.isoformat(), state)
    board = boards.get(key)
    if board is not None:
        return board
    board = Board(au=au, today=today, keys=keys, pending=pending)
    if au == today:
        parsed: _ParsedFacts = current_app.extensions.setdefault(_PARSED_KEY, _ParsedFacts())
        board.facts, board.excluded = parsed.read(rows)
    else:
        _computed(board, root, keys)
    _build(board, str(root))
    if board.complete:
        boards.put(key, board)
    return board


def _rows_digest(rows: list[ReportRow], pending: int) -> str:
    # Python's own string hash (each row's text read once, in C): kept in this process only.
    return f"{len(rows)}:{pending}:{hash(tuple(rows)):x}"


class _ParsedFacts:
    """The facts of the index rows parsed lately, by their JSON text: a request parses only
    the rows computed again since (one case edited: one row), not the whole folder."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_text: dict[str, CaseFacts] = {}

    def read(self, rows: list[ReportRow]) -> tuple[list[CaseFacts], list[Excluded]]:
        from actes.portfolio.report import row_facts

        with self.lock:
            known = self.by_text
        kept: dict[str, CaseFacts] = {}
        facts: list[CaseFacts] = []
        excluded: list[Excluded] = []
        for row in rows:
            valid = row.status == "valide"
            text = row.report if valid else None
            found: CaseFacts | Excluded | None = known.get(text) if text else None
            if found is None:
                parsed = json.loads(text) if text else None
                found = row_facts(row.relative, row.reference, valid, row.message, parsed)
            if isinstance(found, CaseFacts):
                kept[text or ""] = found
                facts.append(found)
            else:
                excluded.append(found)
        with self.lock:
            self.by_text = kept  # rows gone or changed are forgotten
        return facts, excluded


def _index_rows(au: dt.date, *, complete: bool) -> tuple[list[ReportRow], int, dict[str, str]]:
    """The index rows computed at ``au`` (after the list's refresh), how many are not yet,
    and each case's key by file."""
    from actes.portfolio.index import compute_row

    listing = current_app.extensions[_LISTING_KEY]
    index = listing.index
    if complete:
        index.refresh(au)
    else:
        config = current_app.config
        listing.update(au, config["ACTES_INDEX_BUDGET"], config["ACTES_INDEX_WATCH"])
    day = au.isoformat()
    rows: list[ReportRow] = []
    pending = 0
    keys: dict[str, str] = {}
    for row in index.report_rows():
        keys[row.relative] = row.key
        if row.computed_on != day or row.status == "a_calculer":
            if not complete:
                pending += 1
                continue
            # Marked as changed by another process since the refresh: computed here.
            computed = compute_row(index.root, row.key, row.relative, au)
            row = ReportRow(*(computed[name] for name in ReportRow._fields))
        rows.append(row)
    return rows, pending, keys


def _computed(board: Board, root: Path, keys: Mapping[str, str]) -> None:
    """Every case computed as it stood at ``board.au`` (the files the page lists)."""
    from actes.portfolio.report import compute_facts, portfolio_items

    items, unreadable = portfolio_items(root)
    listed = [item for item in items if _relative(item[0], root) in keys]
    excluded = [
        Excluded(_relative(e.file, root), e.reference, e.message)
        for e in unreadable
        if _relative(e.file, root) in keys
    ]
    board.facts, more = compute_facts(
        [
            (_relative(name, root), reference, data, folder)
            for name, reference, data, folder in listed
        ],
        board.au,
        today=board.today,
    )
    board.excluded = [*excluded, *more]


def _relative(name: str, root: Path) -> str:
    """A case file's name relative to the folder (as the index names it)."""
    path = Path(name)
    if path.is_absolute():
        resolved = path.resolve()
        if resolved.is_relative_to(root):
            return resolved.relative_to(root).as_posix()
    return path.as_posix()


def _build(board: Board, source: str) -> None:
    from actes.portfolio.report import build_report

    if board.pending and not board.facts and not board.excluded:
        board.problem = (
            f"Calcul en cours : {board.pending} dossier(s) restent à calculer au "
            f"{board.au:%d/%m/%Y}. Rechargez la page dans un moment."
        )
        return
    try:
        board.report = build_report(board.facts, board.au, excluded=board.excluded, source=source)
    except InputError as error:
        hint = without_options(error.hint)
        board.problem = error.message + (f" ({hint})" if hint else "")


# ---------------------------------------------------------------------------------------------
# What the template shows.


@dataclass(frozen=True)
class Figure:
    """One key figure of the synthesis."""

    slug: str
    label: str
    value: str


@dataclass(frozen=True)
class Table:
    """A view ready for the page: header cells, body rows (cells with their alignment),
    the total row and how many rows were left out."""

    view: View
    note: str
    header: list[tuple[str, bool]]
    rows: list[list[tuple[str, bool]]]
    total: list[tuple[str, bool]] | None
    hidden: int


def _cells(values: tuple[Any, ...], view: View, row: int | None) -> list[tuple[str, bool]]:
    """A row's cells as shown, each with whether it is a figure (right-aligned); ``row``:
    its index in the view (``None``: the total row)."""
    cells = []
    for number, (value, column) in enumerate(zip(values, view.columns, strict=True)):
        kind = column.kind if row is None else view.kind(row, number)
        cells.append((fr_cell(value, kind), kind != "text"))
    return cells


def table(view: View, limit: int | None = None) -> Table:
    shown = view.rows if limit is None else view.rows[:limit]
    return Table(
        view=view,
        note=without_options(view.note),
        header=[(c.title, c.kind != "text") for c in view.columns],
        rows=[_cells(row, view, number) for number, row in enumerate(shown)],
        total=_cells(view.total, view, None) if view.total is not None else None,
        hidden=len(view.rows) - len(shown),
    )


def without_options(text: str) -> str:
    """A text of the report without the command line's options it names (« sans le chiffre
    d'affaires (--ca), » → « sans le chiffre d'affaires, »): the page has no such option."""
    return _OPTION.sub("", text)


def _slug(label: str) -> str:
    from actes.portfolio.index import fold

    words = "".join(c if c.isalnum() else " " for c in fold(label)).split()
    return "-".join(words[:3])


def _chart_text(report: Report) -> dict[str, str]:
    """What each chart shows, in words (its ``alt`` text)."""
    buckets = " ; ".join(
        f"{label} : {fr_amount(report.balance.buckets[key])}" for key, label in BUCKETS
    )
    first_day, first = report.encours[0]
    highest_day, highest = max(report.encours, key=lambda pair: pair[1])
    return {
        "balance_agee": f"Diagramme en barres du principal restant dû par ancienneté au "
        f"{report.au:%d/%m/%Y} — {buckets} ; plus intérêts, pénalités et indemnités "
        f"{fr_amount(report.balance.accessories)}, total {fr_amount(report.total_due)}. Les "
        "mêmes montants figurent dans le tableau « Balance âgée ».",
        "encours": f"Courbe de l'encours en fin de mois : {fr_amount(first)} fin "
        f"{month_label(first_day)}, au plus haut {fr_amount(highest)} "
        f"({_when(highest_day, report.au)}), {fr_amount(report.total_due)} au "
        f"{report.au:%d/%m/%Y}. Chaque valeur figure dans le tableau « Évolution de "
        "l'encours ».",
    }


def _when(day: dt.date, au: dt.date) -> str:
    return f"au {day:%d/%m/%Y}" if day == au else f"fin {month_label(day)}"


def _step_links(board: Board) -> dict[str, str]:
    """The list filtered by each next step, by step title (today's report only: the list
    shows today's next steps)."""
    if not board.indexed:
        return {}
    listing = current_app.extensions[_LISTING_KEY]
    titles: dict[str, list[str]] = {}
    for step_id, title in listing.index.steps():
        titles.setdefault(title, []).append(step_id)
    links = {
        title: url_for("index", etape=ids[0]) for title, ids in titles.items() if len(ids) == 1
    }
    links["(aucune)"] = url_for("index", etape="-")
    return links


def _deadlines(board: Board, report: Report) -> list[tuple[dt.date, str, str, str, str | None]]:
    """The deadlines of the next 30 days (date, date shown, case, label, the case's key for
    the link), in the report's order."""
    horizon = report.au + dt.timedelta(days=30)
    found = [
        (day, facts.reference, label, board.keys.get(facts.file))
        for facts in report.facts
        for day, label in facts.deadlines
        if day <= horizon
    ]
    found.sort(key=lambda d: (d[0], d[1], d[2]))
    return [(day, fr_cell(day, "date"), ref, label, key) for day, ref, label, key in found]


def _context(board: Board, everything: str) -> dict[str, Any]:
    report = board.report
    shown: dict[str, Any] = {"board": board, "tout": everything, "detail_rows": DETAIL_ROWS}
    excluded = report.excluded if report is not None else board.excluded
    shown["excluded"] = [(e, board.keys.get(e.file)) for e in excluded]
    if report is None:
        return shown
    if not board.views:
        board.views = {view.name: view for view in report_views(report)}
    views = board.views
    summary = views["synthese"]
    week = report.au + dt.timedelta(days=7)
    if board.deadlines is None:
        board.deadlines = _deadlines(board, report)
    deadlines = board.deadlines
    soon = [d for d in deadlines if d[0] <= week]
    later = deadlines[len(soon) :]
    shown_rows = None if everything == "delais" else DEADLINE_ROWS
    shown.update(
        report=report,
        figures=[
            Figure(_slug(str(label)), str(label), fr_cell(value, summary.kind(number, 1)))
            for number, (label, value) in enumerate(summary.rows)
            if not str(label).startswith(_SAID_ABOVE)
        ],
        summary_note=without_options(summary.note),
        tables={
            name: table(view, None if name == everything else DETAIL_ROWS)
            for name, view in views.items()
            if name not in ("synthese", "delais", "ecartes", "etapes", "prochaines_etapes")
        },
        stages=report.stages,
        steps=report.steps,
        step_links=_step_links(board),
        soon=(soon[:shown_rows], len(soon)),
        later=(later[:shown_rows], len(later)),
        week=week,
        alt=_chart_text(report),
    )
    return shown


def _day_or_refusal() -> tuple[dt.date | None, str]:
    text = request.args.get("au", "").strip()[:40]
    if not text:
        return _today(), ""
    try:
        return read_day(text), ""
    except DateRefused as refused:
        return None, str(refused)


def _report_or_404(board: Board) -> Report:
    if board.report is None:
        abort(404, description=board.problem or "Aucun rapport à cette date.")
    return board.report


def _day_or_400() -> dt.date:
    day, refused = _day_or_refusal()
    if day is None:
        abort(400, description=refused)
    return day


def _args(board: Board) -> dict[str, str]:
    """The query keeping the page's date in the links of charts and downloads."""
    return {} if board.indexed else {"au": board.au.isoformat()}


# ---------------------------------------------------------------------------------------------
# Routes.


@blueprint.get("")
def page() -> Any:
    typed = request.args.get("au", "").strip()[:40]
    day, refused = _day_or_refusal()
    if day is None:
        board, status = Board(au=_today(), today=_today(), problem=refused), 400
    else:
        board, status = board_at(day), 200
    everything = request.args.get("tout", "")
    shown = _context(board, everything if everything in (*DETAIL_VIEWS, "delais") else "")
    return (
        render_template(
            "tableau_de_bord.html", au=_today(), saisie=typed, query=_args(board), **shown
        ),
        status,
    )


@blueprint.get("/graphique/<name>.svg")
def chart(name: str) -> Response:
    from actes.portfolio.charts import CHARTS
    from actes.portfolio.charts import chart as draw

    if name not in CHARTS:
        abort(404)
    board = board_at(_day_or_400())
    report = _report_or_404(board)
    svg = board.charts.get(name)
    if svg is None:
        svg = board.charts[name] = draw(name, report, "svg")
    return Response(svg, mimetype="image/svg+xml")


def _attachment(content: bytes, mimetype: str, name: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@blueprint.get("/classeur.xlsx")
def workbook() -> Response:
    from actes.portfolio.report_files import report_xlsx

    report = _report_or_404(board_at(_day_or_400(), complete=True))
    return _attachment(
        report_xlsx(report),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"rapport-portefeuille-{report.au.isoformat()}.xlsx",
    )


@blueprint.get("/balance-par-dossier.csv")
def aged_csv() -> Response:
    report = _report_or_404(board_at(_day_or_400(), complete=True))
    view = next(v for v in report_views(report) if v.name == "dossiers")
    # With a byte order mark: spreadsheets then read the accents as UTF-8.
    content = ("\ufeff" + view_csv(view)).encode("utf-8")
    return _attachment(
        content,
        "text/csv; charset=utf-8",
        f"balance-agee-par-dossier-{report.au.isoformat()}.csv",
    )


@blueprint.get("/rapport.pdf")
def pdf() -> Any:
    from actes.portfolio.report_files import report_pdf
    from actes.workspace import firm_for

    report = _report_or_404(board_at(_day_or_400(), complete=True))
    firm = firm_for(_root())
    try:
        content = report_pdf(report, firm=firm.name if firm is not None else "")
    except EnvironmentProblem as problem:
        message = (
            f"Le rapport PDF n'a pas pu être produit : {problem.format()}\n\n"
            "Le classeur XLSX et le CSV du tableau de bord restent disponibles."
        )
        return render_template("erreur.html", code=503, message=message, au=_today()), 503
    return _attachment(content, "application/pdf", f"rapport-portefeuille-{report.au}.pdf")

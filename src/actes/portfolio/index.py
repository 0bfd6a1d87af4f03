"""An SQLite index of the cases of a folder, for instant lists, searches and worklists.

The index is **never the source of truth**: each row is derived from a case file and can be
thrown away at any time. It lives in ``DIR/.actes/index.sqlite`` (standard library
:mod:`sqlite3`, WAL mode) beside the cases it describes, and is kept up to date on each
access by :meth:`CaseIndex.refresh`:

- a cheap scan of the folder (the files the web page lists: ``*/dossier.yaml``,
  ``*/dossier.yml``, ``*/dossier.json`` and top-level ``*.yaml``/``*.yml``, links leading
  outside refused) compares each file's ``(mtime_ns, size)`` with the row; only when they
  differ is the file read and its SHA-256 compared, and only a changed content is computed
  again. Rows of deleted files are dropped, new files get a row. The pièces are not watched
  (one more ``stat`` per case would double the scan): a pièce file removed by hand shows
  on the list at the next day's computation — at once on the case page, and at once on the
  list when the case file changes (an upload from the page rewrites it);
- amounts and deadlines depend on the day: a row computed on another day than the one asked
  for is computed again (``computed_on``), lazily — on the first access of the day, or, with a
  time budget (the web page), bit by bit while the rows of the day before stay on show with
  their date;
- the whole index is rebuilt when the file is missing or corrupt, when its schema version
  changes, and every row is computed again when actes itself changes (its version, its code,
  the shipped procedures, parameters and schemas, or the workspace's overlays of them).

A case that cannot be read or validated is a row with its message (``invalide``), one that
makes the computation fail unexpectedly too (``illisible``): one bad file never takes the
list down. Several threads, server processes and commands may refresh at once: each batch
of rows is written in one transaction (``BEGIN IMMEDIATE``, busy timeout), and a row always
records the file state it was computed from, so a file that changes during a refresh is
simply computed again at the next one.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import hashlib
import json
import logging
import multiprocessing
import os
import re
import sqlite3
import stat
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

from actes import __version__
from actes._io import decode_input, parse_document, read_input
from actes._paths import WORKSPACE_MARKER, data_root, find_workspace, workspace_scope
from actes.errors import ActesError

__all__ = [
    "INDEX_FILE",
    "PER_PAGE",
    "SCHEMA_VERSION",
    "SORTS",
    "STATUSES",
    "CaseIndex",
    "FileState",
    "IndexRow",
    "ListPage",
    "ListQuery",
    "Refresh",
    "ReportRow",
    "compute_row",
    "fold",
    "indexed_worklist",
    "open_index",
    "scan_cases",
]

SCHEMA_VERSION = 4
"""Version of the tables below; another version means a full rebuild."""

INDEX_FILE = Path(".actes") / "index.sqlite"
"""Where the index of a cases folder lives, relative to that folder."""

PER_PAGE = 50

STATUSES = {
    "valide": "valide",
    "invalide": "invalide",
    "illisible": "illisible",
    "a_calculer": "en cours de calcul",
}
"""Row statuses and their French label."""

SORTS = {
    "reference": "référence",
    "creancier": "créancier",
    "debiteur": "débiteur",
    "etape": "prochaine étape",
    "delai": "prochain délai",
    "montant": "montant dû",
    "statut": "statut",
    "modifie": "dernière modification",
}
"""Sort keys of :class:`ListQuery` (a leading ``-`` sorts in descending order)."""

_log = logging.getLogger(__name__)
_CASE_NAMES = ("dossier.yaml", "dossier.yml", "dossier.json")
_BATCH = 50  # rows per write transaction
_POOL_FROM = 200  # rows to compute before worker processes are worth their start
_BUSY_MS = 30_000
_STATUS_ORDER = "CASE status WHEN 'illisible' THEN 0 WHEN 'invalide' THEN 1 "
_STATUS_ORDER += "WHEN 'a_calculer' THEN 2 ELSE 3 END"
_SORT_SQL = {
    "reference": "sort_reference",
    "creancier": "sort_creditor",
    "debiteur": "sort_debtor",
    "etape": "sort_step",
    "delai": "deadline_date",
    "montant": "total_cents",
    "statut": _STATUS_ORDER,
    "modifie": "mtime_ns",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cases (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    relative TEXT NOT NULL,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL,
    creditor TEXT,
    debtor TEXT,
    debtor_kind TEXT,
    total_due TEXT,
    total_cents INTEGER,
    amount_error TEXT NOT NULL DEFAULT '',
    deadline_date TEXT,
    deadline_label TEXT,
    deadline_error TEXT NOT NULL DEFAULT '',
    step_id TEXT,
    step_title TEXT,
    step_error TEXT NOT NULL DEFAULT '',
    plan TEXT,
    report TEXT,
    search TEXT NOT NULL,
    sort_reference TEXT NOT NULL,
    sort_creditor TEXT,
    sort_debtor TEXT,
    sort_step TEXT,
    computed_on TEXT
);
CREATE INDEX IF NOT EXISTS cases_status ON cases (status);
CREATE INDEX IF NOT EXISTS cases_computed ON cases (computed_on);
CREATE INDEX IF NOT EXISTS cases_amount ON cases (total_cents);
CREATE INDEX IF NOT EXISTS cases_steps ON cases (step_id, sort_step);
CREATE INDEX IF NOT EXISTS cases_step_titles ON cases (step_id, step_title);
CREATE INDEX IF NOT EXISTS cases_by_reference
    ON cases ((sort_reference IS NULL), sort_reference, key);
"""
# The search words of 3 characters or more are looked up in a trigram full-text index (each
# word a phrase: an exact substring of the folded text, as LIKE '%word%' finds), which reads
# only the matching rows; shorter words, or an SQLite without FTS5, scan the folded column.
# `id` (an alias of the rowid, stable across VACUUM) links the two tables; rows are written
# with upserts (no REPLACE, which would delete without firing the delete trigger).
_FTS_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS cases_fts USING fts5(
    search, content='cases', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts (rowid, search) VALUES (new.id, new.search);
END;
CREATE TRIGGER IF NOT EXISTS cases_fts_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, search) VALUES ('delete', old.id, old.search);
END;
CREATE TRIGGER IF NOT EXISTS cases_fts_update AFTER UPDATE OF id, search ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO cases_fts (rowid, search) VALUES (new.id, new.search);
END;
"""
_TRIGRAM = 3  # characters: the shortest word the trigram index can find
# Rows to compute at a date: 'a_calculer', or computed for another day — as four index
# lookups (an OR over the two columns would scan the table on every request).
_PENDING_SQL = (
    "SELECT (SELECT count(*) FROM cases WHERE status = 'a_calculer')"
    " + (SELECT count(*) FROM cases WHERE computed_on IS NULL AND status != 'a_calculer')"
    " + (SELECT count(*) FROM cases WHERE computed_on < ? AND status != 'a_calculer')"
    " + (SELECT count(*) FROM cases WHERE computed_on > ? AND status != 'a_calculer')"
)
# The distinct next steps, one index seek each (a GROUP BY would read every row).
_STEPS_SQL = """
WITH RECURSIVE ids (id) AS (
    SELECT min(step_id) FROM cases WHERE step_id IS NOT NULL
    UNION ALL
    SELECT (SELECT min(step_id) FROM cases WHERE step_id > ids.id) FROM ids
    WHERE ids.id IS NOT NULL
)
SELECT id,
    (SELECT min(step_title) FROM cases WHERE step_id = ids.id),
    (SELECT min(sort_step) FROM cases WHERE step_id = ids.id) AS sort
FROM ids WHERE id IS NOT NULL ORDER BY sort, id
"""


def _has_trigram_fts() -> bool:
    """Whether this SQLite has FTS5 with the trigram tokenizer (3.34 and later, built in)."""
    try:
        with contextlib.closing(sqlite3.connect(":memory:")) as connection:
            connection.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
    except sqlite3.Error:
        return False
    return True


_FTS = _has_trigram_fts()

_COMPUTED = (
    "status",
    "message",
    "detail",
    "reference",
    "creditor",
    "debtor",
    "debtor_kind",
    "total_due",
    "total_cents",
    "amount_error",
    "deadline_date",
    "deadline_label",
    "deadline_error",
    "step_id",
    "step_title",
    "step_error",
    "plan",
    "report",
    "search",
    "sort_reference",
    "sort_creditor",
    "sort_debtor",
    "sort_step",
    "computed_on",
)
_FILE_COLUMNS = ("key", "relative", "mtime_ns", "size", "sha256")
_ALL = _FILE_COLUMNS + _COMPUTED


# ---------------------------------------------------------------------------------------------
# Text folding: searches and sorts ignore case and accents.

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})


def fold(text: str) -> str:
    """``text`` without accents, in lower case (« Éditions Cœur » → « editions coeur »)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# ---------------------------------------------------------------------------------------------
# The scan: which case files the folder holds, and their state.


class FileState(NamedTuple):
    """A case file of the folder: its key (folder or file name), path and what changes
    when it is edited (a tuple: compared as is with the row's columns)."""

    key: str
    relative: str
    mtime_ns: int
    size: int


def _resolved_inside(root: Path, path: str) -> Path | None:
    resolved = Path(path).resolve()
    return resolved if resolved.is_relative_to(root) else None


def _case_in_folder(root: Path, entry: os.DirEntry[str]) -> FileState | None:
    folder: Path | None = None
    if entry.is_symlink():
        folder = _resolved_inside(root, entry.path)
        if folder is None:
            return None
    for name in _CASE_NAMES:
        candidate = entry.path + os.sep + name
        try:
            info = os.lstat(candidate)
        except OSError:
            continue
        relative = f"{entry.name}/{name}"
        if folder is not None or stat.S_ISLNK(info.st_mode):
            # A link: listed only if it leads to a file of this very folder (as the page).
            inside = folder or Path(entry.path)
            target = _resolved_inside(root, candidate)
            if target is None or target.parent != inside or not target.is_file():
                continue
            info = os.stat(candidate)  # noqa: PTH116 - a str path from the scan
            relative = target.relative_to(root).as_posix()
        elif not stat.S_ISREG(info.st_mode):
            continue
        return FileState(entry.name, relative, info.st_mtime_ns, info.st_size)
    return None


def _case_at_top(root: Path, entry: os.DirEntry[str]) -> FileState | None:
    if not entry.name.endswith((".yaml", ".yml")) or not entry.is_file():
        return None
    relative = entry.name
    if entry.is_symlink():
        target = _resolved_inside(root, entry.path)
        if target is None or target.parent != root:
            return None
        relative = target.name
    info = entry.stat()
    return FileState(entry.name, relative, info.st_mtime_ns, info.st_size)


def scan_cases(root: Path) -> dict[str, FileState]:
    """The case files of ``root`` (resolved), by key: the same files, keys and paths as the
    web page's ``discover_cases``, found with one directory read and a few ``stat`` calls
    per case."""
    found: dict[str, FileState] = {}
    lstat, is_regular, separator = os.lstat, stat.S_ISREG, os.sep
    with os.scandir(root) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    # The common case, inline (it runs for every case on every request): a
                    # real folder holding a regular dossier.yaml.
                    with contextlib.suppress(FileNotFoundError):
                        info = lstat(entry.path + separator + "dossier.yaml")
                        if is_regular(info.st_mode):
                            found[name] = FileState(
                                name,
                                name + "/dossier.yaml",
                                info.st_mtime_ns,
                                info.st_size,
                            )
                            continue
                state = (
                    _case_in_folder(root, entry) if entry.is_dir() else _case_at_top(root, entry)
                )
            except OSError:
                continue  # vanished or unreadable while scanning: absent from this list
            if state is not None:
                found[state.key] = state
    return found


# ---------------------------------------------------------------------------------------------
# What the list shows about one case, computed from its file.


def _short(text: str) -> str:
    # Issues name their file; the list already says which case it is.
    return re.sub(r"^\S*/", "", text)


def error_line(error: ActesError) -> str:
    """The one line a list shows for a case that cannot be used (as the web page did)."""
    first = error.issues[0].format() if error.issues else ""
    more = len(error.issues) - 1
    tail = f" (et {more} autre{'s' if more > 1 else ''})" if more > 0 else ""
    return f"{error.message} {_short(first)}{tail}".strip()


def _cents(amount: Decimal) -> int | None:
    try:
        return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except (InvalidOperation, OverflowError):
        return None


def compute_row(root: Path, key: str, relative: str, au: dt.date) -> dict[str, Any]:
    """The row of the case file ``root / relative`` at ``au``: the columns of the index,
    the file's state (taken before it is read) included. Never raises for a bad case."""
    path = root / relative
    row: dict[str, Any] = {name: None for name in _ALL}
    row.update(key=key, relative=relative, message="", detail="", amount_error="")
    row.update(deadline_error="", step_error="", computed_on=au.isoformat())
    try:
        info = path.stat()
        row.update(mtime_ns=info.st_mtime_ns, size=info.st_size)
    except OSError:
        row.update(mtime_ns=0, size=-1)
    row["sha256"] = ""
    row["reference"] = key
    try:
        # Data files (rates, procedures…) from the folder's workspace, in any thread or process.
        with workspace_scope(root):
            _fill(row, path, au)
    except Exception as exc:  # one bad case must not take the list down
        _log.exception("dossier %s illisible", relative)
        row.update(
            status="illisible",
            message=f"Dossier illisible (erreur interne {type(exc).__name__}).",
            detail="Signalez-le aux développeurs d'actes avec le fichier du dossier.",
        )
    row["search"] = fold(" ".join(str(row[k] or "") for k in ("reference", "creditor", "debtor")))
    row["search"] += " " + fold(key)
    row["sort_reference"] = fold(str(row["reference"]))
    for column, source in (
        ("sort_creditor", "creditor"),
        ("sort_debtor", "debtor"),
        ("sort_step", "step_title"),
    ):
        row[column] = fold(row[source]) if row[source] else None
    return row


def _fill(row: dict[str, Any], path: Path, au: dt.date) -> None:
    from actes.cases.case import load_case_text
    from actes.law import accounts, assistant
    from actes.law.timeline import case_deadlines

    try:
        raw = read_input(path)
        row["sha256"] = hashlib.sha256(raw).hexdigest()
        text = decode_input(raw, path)
        data = parse_document(text, str(path))
        if isinstance(data, dict) and isinstance(data.get("reference"), str):
            row["reference"] = data["reference"]
        case = load_case_text(text, str(path), folder=path.parent, au=au)
    except ActesError as error:
        row.update(status="invalide", message=error_line(error), detail=error.format())
        return
    row.update(
        status="valide",
        reference=case.reference,
        creditor=case.creancier.name,
        debtor=case.debiteur.name,
        debtor_kind=case.debiteur.type,
    )
    upcoming = []
    try:
        upcoming = [d for d in case_deadlines(case, au) if d.status in ("a_venir", "aujourd_hui")]
        if upcoming:
            row.update(
                deadline_date=upcoming[0].date_limite.isoformat(),
                deadline_label=upcoming[0].label,
            )
    except ActesError as error:
        row["deadline_error"] = error.format()
    assessment = None
    try:
        assessment = assistant.next_steps(case, au)
        if assessment.recommended is not None:
            row.update(
                step_id=assessment.recommended.procedure_id,
                step_title=assessment.recommended.title,
            )
    except ActesError as error:
        row["step_error"] = error.format()
    decompte = None
    if assessment is not None:  # as the web list: no amount without an assessment
        try:
            decompte = accounts.decompte_for_case(case, au)
            total = decompte.total_due
            row.update(total_due=str(total), total_cents=_cents(total))
        except ActesError as error:
            row["amount_error"] = error.format()
    else:
        row["amount_error"] = "prochaine étape indisponible"
    if case.data.get("plan"):
        row["plan"] = json.dumps(_plan_summary(case, au), ensure_ascii=False)
    row["report"] = json.dumps(
        _report_facts(case, au, decompte, row["step_title"] or "", upcoming, row["relative"]),
        ensure_ascii=False,
    )


def _report_facts(
    case: Any, au: dt.date, decompte: Any, step: str, upcoming: Sequence[Any], relative: str
) -> dict[str, Any]:
    from actes.cases.case import case_from_data
    from actes.portfolio.report import as_known_at, case_facts

    if decompte is None:
        return {"erreur": "montant dû indisponible (voir le dossier)"}
    known = as_known_at(case.data, au)
    if known is None:
        return {"erreur": f"aucune créance émise au {au:%d/%m/%Y}"}
    if len(known["creances"]) != len(case.data["creances"]):
        # A claim issued after the date is not part of the portfolio yet (as in a report at
        # a past date): the facts come from the case as it stands on that day.
        case, decompte = case_from_data(known, path=case.path), None
    try:
        facts = case_facts(
            case,
            au,
            decompte=decompte,
            step=step,
            deadlines=[(d.date_limite, d.label) for d in upcoming],
            file=relative,
        )
    except ActesError as error:
        return {"erreur": error_line(error)}
    return facts.as_json()


def _plan_summary(case: Any, au: dt.date) -> dict[str, Any]:
    from actes.amicable.plan import plan_status

    try:
        status = plan_status(case, au)
    except ActesError as error:
        return {"erreur": error.format()}
    action = status.action
    return {
        "reference": status.plan.reference,
        "arriere": str(status.arrears),
        "solde": str(status.balance),
        "premiere_impayee": (
            status.first_missed.instalment.date.isoformat() if status.first_missed else None
        ),
        "action": {
            "code": action.code,
            "libelle": action.libelle,
            "date": action.date.isoformat() if action.date else None,
            "fondement": action.fondement,
            "lettre": action.lettre,
        },
    }


def _compute_batch(root: str, items: Sequence[tuple[str, str]], au: str) -> list[dict[str, Any]]:
    """Worker-process entry point: the rows of ``items`` (key, relative path)."""
    day = dt.date.fromisoformat(au)
    return [compute_row(Path(root), key, relative, day) for key, relative in items]


# ---------------------------------------------------------------------------------------------
# Rows and pages as the list shows them.


@dataclass(frozen=True)
class IndexRow:
    """One case of the index."""

    key: str
    relative: str
    status: str
    message: str
    detail: str
    reference: str
    creditor: str | None
    debtor: str | None
    debtor_kind: str | None
    total_due: Decimal | None
    amount_error: str
    deadline_date: dt.date | None
    deadline_label: str | None
    deadline_error: str
    step_id: str | None
    step_title: str | None
    step_error: str
    plan: dict[str, Any] | None
    modified: dt.datetime
    computed_on: dt.date | None
    sha256: str
    report: dict[str, Any] | None = None
    """The case's facts for ``actes rapport`` (:mod:`actes.portfolio.report`), or
    ``{"erreur": message}`` when they could not be computed."""

    @classmethod
    def from_sql(cls, row: sqlite3.Row | Mapping[str, Any]) -> IndexRow:
        return cls(
            key=row["key"],
            relative=row["relative"],
            status=row["status"],
            message=row["message"],
            detail=row["detail"],
            reference=row["reference"],
            creditor=row["creditor"],
            debtor=row["debtor"],
            debtor_kind=row["debtor_kind"],
            total_due=Decimal(row["total_due"]) if row["total_due"] is not None else None,
            amount_error=row["amount_error"],
            deadline_date=_date(row["deadline_date"]),
            deadline_label=row["deadline_label"],
            deadline_error=row["deadline_error"],
            step_id=row["step_id"],
            step_title=row["step_title"],
            step_error=row["step_error"],
            plan=json.loads(row["plan"]) if row["plan"] else None,
            modified=dt.datetime.fromtimestamp(row["mtime_ns"] / 1e9),
            computed_on=_date(row["computed_on"]),
            sha256=row["sha256"],
            report=json.loads(row["report"]) if row["report"] else None,
        )

    @property
    def valid(self) -> bool:
        return self.status == "valide"

    @property
    def pending(self) -> bool:
        return self.status == "a_calculer"

    def as_dict(self) -> dict[str, Any]:
        return {
            "dossier": self.key,
            "fichier": self.relative,
            "statut": self.status,
            "message": self.message,
            "reference": self.reference,
            "creancier": self.creditor,
            "debiteur": self.debtor,
            "debiteur_type": self.debtor_kind,
            "montant_du": self.total_due,
            "prochain_delai": (
                {"date": self.deadline_date, "libelle": self.deadline_label}
                if self.deadline_date
                else None
            ),
            "prochaine_etape": (
                {"procedure": self.step_id, "titre": self.step_title} if self.step_id else None
            ),
            "plan": self.plan,
            "modifie": self.modified.isoformat(timespec="seconds"),
            "calcule_au": self.computed_on,
        }


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class ListQuery:
    """A search of the list: words (all must appear in the reference, creditor, debtor or
    file name, accents and case ignored), filters, sort and page."""

    text: str = ""
    status: str = ""
    step: str = ""
    before: dt.date | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    sort: str = "reference"
    descending: bool = False
    page: int = 1
    per_page: int = PER_PAGE

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        args: list[Any] = []
        words = fold(self.text).split()
        indexed = [w for w in words if len(w) >= _TRIGRAM] if _FTS else []
        if indexed:
            # Each word a phrase ("" escapes a quote): a substring, as the LIKE below.
            clauses.append("id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?)")
            args.append(" ".join('"' + w.replace('"', '""') + '"' for w in indexed))
        for word in words:
            if word in indexed:
                continue
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append("search LIKE ? ESCAPE '\\'")
            args.append(f"%{escaped}%")
        if self.status:
            clauses.append("status = ?")
            args.append(self.status)
        if self.step == "-":
            clauses.append("step_id IS NULL AND status = 'valide'")
        elif self.step:
            clauses.append("step_id = ?")
            args.append(self.step)
        if self.before is not None:
            clauses.append("deadline_date <= ?")
            args.append(self.before.isoformat())
        if self.min_amount is not None:
            clauses.append("total_cents >= ?")
            args.append(_cents(self.min_amount))
        if self.max_amount is not None:
            clauses.append("total_cents <= ?")
            args.append(_cents(self.max_amount))
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), args

    def order(self) -> str:
        expression = _SORT_SQL.get(self.sort, "sort_reference")
        direction = " DESC" if self.descending else ""
        # Rows without the value (invalid case, no deadline) come last either way.
        return f" ORDER BY ({expression}) IS NULL, {expression}{direction}, key"


@dataclass(frozen=True)
class ListPage:
    """One page of a search, with the counts the page shows."""

    rows: list[IndexRow]
    total: int  # cases in the folder
    matched: int  # cases matching the search
    page: int
    pages: int
    pending: int  # rows not yet computed at the date asked for


@dataclass
class Refresh:
    """What a refresh did, and how many rows are left to compute."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    computed: int = 0
    pending: int = 0
    rebuilt: bool = False
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# The index.


def _fingerprint_files(folders: Iterable[Path], suffixes: tuple[str, ...]) -> list[str]:
    entries: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for base, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                if not name.endswith(suffixes):
                    continue
                path = os.path.join(base, name)  # noqa: PTH118 - strings from os.walk
                with contextlib.suppress(OSError):
                    info = os.stat(path)  # noqa: PTH116 - strings from os.walk
                    entries.append(f"{path}:{info.st_mtime_ns}:{info.st_size}")
    return entries


def context_fingerprint(root: Path) -> str:
    """What the rows also depend on besides their file: actes' version and code, the
    procedures, parameters and schemas in use (shipped, overridden, workspace overlays)."""
    data = data_root()
    folders = [data / "procedures", data / "parameters", data / "schemas"]
    workspace = find_workspace(root)
    if workspace is not None:
        folders += [workspace / n for n in ("procedures", "parameters", "schemas")]
        folders.append(workspace / WORKSPACE_MARKER)
    parts = [__version__, str(SCHEMA_VERSION)]
    parts += _fingerprint_files([Path(__file__).resolve().parents[1]], (".py",))
    parts += _fingerprint_files(folders, (".yaml", ".yml", ".json"))
    if workspace is not None and (workspace / WORKSPACE_MARKER).is_file():
        info = (workspace / WORKSPACE_MARKER).stat()
        parts.append(f"toml:{info.st_mtime_ns}:{info.st_size}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _is_corruption(error: sqlite3.DatabaseError) -> bool:
    text = str(error).lower()
    return any(
        words in text for words in ("not a database", "malformed", "disk image", "encrypted")
    )


class CaseIndex:
    """The index of the cases folder ``root``.

    ``memory=True`` keeps it in memory only (a folder that cannot be written, or a list at
    another date than today's, which must not replace today's rows); a folder where
    ``.actes/`` cannot be created falls back to it too. ``workers`` is the number of
    processes computing rows when many must be (default: one per core; 1 computes in this
    process).
    """

    def __init__(self, root: Path, *, memory: bool = False, workers: int | None = None) -> None:
        self.root = Path(root).resolve()
        self.path = self.root / INDEX_FILE
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self._memory: sqlite3.Connection | None = None
        self._memory_lock = threading.Lock()
        self.busy = threading.Lock()
        """Held while this object refreshes (the web page skips a refresh already running)."""
        if not memory:
            try:
                self.path.parent.mkdir(exist_ok=True)
                with self._connection():
                    pass
            except (OSError, sqlite3.OperationalError):
                memory = True
        if memory:
            self._memory = self._open(":memory:")

    @property
    def in_memory(self) -> bool:
        return self._memory is not None

    # -- connections -----------------------------------------------------------------------

    def _open(self, target: str) -> sqlite3.Connection:
        connection = sqlite3.connect(
            target, timeout=_BUSY_MS / 1000, isolation_level=None, check_same_thread=False
        )
        connection.row_factory = sqlite3.Row
        connection.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        if target != ":memory:":
            mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
        self._ensure_schema(connection)
        return connection

    def _ensure_schema(self, connection: sqlite3.Connection) -> None:
        version = _schema_version(connection)
        if version == SCHEMA_VERSION:
            return
        with _writing(connection):
            if _schema_version(connection) == SCHEMA_VERSION:
                return  # another process did it meanwhile
            connection.execute("DROP TABLE IF EXISTS cases_fts")
            connection.execute("DROP TABLE IF EXISTS cases")
            connection.execute("DROP TABLE IF EXISTS meta")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    connection.execute(statement)
            if _FTS:
                # Statements end with "END;" inside the triggers: run as one script would
                # commit the transaction, so each is executed whole.
                for statement in re.split(r"(?<=;)\n(?=CREATE)", _FTS_SCHEMA.strip()):
                    connection.execute(statement)
            connection.execute(
                "INSERT INTO meta VALUES ('schema', ?), ('context', '')", (str(SCHEMA_VERSION),)
            )

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        if self._memory is not None:
            with self._memory_lock:
                yield self._memory
            return
        try:
            connection = self._open(str(self.path))
        except sqlite3.DatabaseError as error:
            if not _is_corruption(error):
                raise
            self._discard()
            connection = self._open(str(self.path))
        try:
            yield connection
        finally:
            connection.close()

    def _discard(self) -> None:
        """Remove a corrupt index file (it is rebuilt from the case files)."""
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{self.path}{suffix}").unlink()

    def _retrying(self, operation: Any) -> Any:
        """Run ``operation(connection)``; a corrupt index is discarded and rebuilt once."""
        try:
            with self._connection() as connection:
                return operation(connection)
        except sqlite3.DatabaseError as error:
            if self._memory is not None or not _is_corruption(error):
                raise
            self._discard()
            with self._connection() as connection:
                return operation(connection)

    # -- refresh ---------------------------------------------------------------------------

    def refresh(self, au: dt.date, *, budget: float | None = None) -> Refresh:
        """Bring the rows in line with the files and ``au`` (see the module docstring).

        With ``budget`` (seconds), stop computing rows once it is spent; the rows left are
        counted in :attr:`Refresh.pending` and computed by a later refresh.
        """
        with self.busy:
            result: Refresh = self._retrying(lambda c: self._refresh(c, au, budget))
            return result

    def _refresh(
        self, connection: sqlite3.Connection, au: dt.date, budget: float | None
    ) -> Refresh:
        started = time.perf_counter()
        result = Refresh()
        found = scan_cases(self.root)
        context = context_fingerprint(self.root)
        reader = connection.cursor()
        reader.row_factory = None  # plain tuples: this runs for every case on every request
        known: dict[str, tuple[Any, ...]] = {
            r[0]: r
            for r in reader.execute("SELECT key, relative, mtime_ns, size, sha256 FROM cases")
        }
        stored_context = connection.execute(
            "SELECT value FROM meta WHERE name = 'context'"
        ).fetchone()
        rebuild = stored_context is None or stored_context[0] != context
        to_touch: list[tuple[Any, ...]] = []
        to_mark: list[tuple[Any, ...]] = []
        for key, state in found.items():
            old = known.get(key)
            if old is None:
                to_mark.append((state, ""))
                result.added += 1
            elif old[:4] != state:
                digest = _digest(self.root / state.relative)
                if digest and digest == old[4]:
                    to_touch.append((state.relative, state.mtime_ns, state.size, key))
                else:
                    to_mark.append((state, digest or ""))
                    result.changed += 1
        gone = [key for key in known if key not in found]
        result.removed = len(gone)
        if rebuild or to_touch or to_mark or gone:
            with _writing(connection):
                if rebuild:
                    connection.execute("UPDATE cases SET status = 'a_calculer', sha256 = ''")
                    connection.execute(
                        "INSERT OR REPLACE INTO meta VALUES ('context', ?)", (context,)
                    )
                    result.rebuilt = True
                connection.executemany(
                    "UPDATE cases SET relative = ?, mtime_ns = ?, size = ? WHERE key = ?",
                    to_touch,
                )
                connection.executemany("DELETE FROM cases WHERE key = ?", [(k,) for k in gone])
                for state, digest in to_mark:
                    _mark(connection, state, digest)
        todo = [
            (r["key"], r["relative"])
            for r in connection.execute(
                "SELECT key, relative FROM cases WHERE status = 'a_calculer' "
                "OR computed_on IS NOT ? ORDER BY status != 'a_calculer', key",
                (au.isoformat(),),
            )
        ]
        deadline = None if budget is None else started + budget
        result.computed = self._compute(connection, todo, au, deadline)
        result.pending = len(todo) - result.computed
        result.seconds = time.perf_counter() - started
        return result

    def _compute(
        self,
        connection: sqlite3.Connection,
        todo: list[tuple[str, str]],
        au: dt.date,
        deadline: float | None,
    ) -> int:
        done = 0
        if len(todo) >= _POOL_FROM and self.workers > 1:
            try:
                for rows in self._pool_rows(todo, au, deadline):
                    done += _store(connection, rows)
                return done
            except (BrokenProcessPool, OSError):
                # No worker process here (a program read from stdin, no /dev/shm…): the rows
                # not stored yet (results come in order) are computed in this process.
                _log.warning("index des dossiers : calcul sans processus auxiliaires")
        size = _BATCH if deadline is None else _BATCH // 5  # short steps under a budget
        for start in range(done, len(todo), size):
            if deadline is not None and time.perf_counter() > deadline:
                break
            rows = [compute_row(self.root, k, r, au) for k, r in todo[start : start + size]]
            done += _store(connection, rows)
        return done

    def _pool_rows(
        self, todo: list[tuple[str, str]], au: dt.date, deadline: float | None
    ) -> Iterator[list[dict[str, Any]]]:
        """Rows computed by worker processes, batch by batch in ``todo``'s order."""
        step = _BATCH // 2
        context = multiprocessing.get_context("forkserver")
        with concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=context) as pool:
            futures = [
                pool.submit(_compute_batch, str(self.root), todo[i : i + step], au.isoformat())
                for i in range(0, len(todo), step)
            ]
            try:
                for future in futures:
                    if deadline is not None and time.perf_counter() > deadline:
                        return
                    yield future.result()
            finally:
                for future in futures:
                    future.cancel()

    # -- reading ---------------------------------------------------------------------------

    def try_refresh(self, au: dt.date, *, budget: float | None = None) -> Refresh | None:
        """:meth:`refresh`, unless this object is already refreshing (then ``None``)."""
        if not self.busy.acquire(blocking=False):
            return None
        try:
            result: Refresh = self._retrying(lambda c: self._refresh(c, au, budget))
            return result
        finally:
            self.busy.release()

    def search(self, query: ListQuery, au: dt.date) -> ListPage:
        """One page of the rows matching ``query``, with the number of rows not yet computed
        at ``au`` (no refresh: call :meth:`refresh` first)."""
        return self._retrying(lambda c: _search(c, query, au))  # type: ignore[no-any-return]

    def rows(self, query: ListQuery | None = None) -> list[IndexRow]:
        """Every row matching ``query`` (default: all), in its order."""
        query = query or ListQuery()

        def read(connection: sqlite3.Connection) -> list[IndexRow]:
            where, args = query.where()
            # Only fixed SQL text is joined; the search's values are bound parameters.
            sql = "SELECT * FROM cases" + where + query.order()  # noqa: S608
            return [IndexRow.from_sql(r) for r in connection.execute(sql, args)]

        return self._retrying(read)  # type: ignore[no-any-return]

    def steps(self) -> list[tuple[str, str]]:
        """The recommended next steps found in the index: (procedure id, title)."""

        def read(connection: sqlite3.Connection) -> list[tuple[str, str]]:
            return [(r[0], r[1]) for r in connection.execute(_STEPS_SQL)]

        return self._retrying(read)  # type: ignore[no-any-return]

    def report_rows(self) -> list[ReportRow]:
        """Every row's report facts as stored (JSON text, not parsed: a caller keeping the
        facts parsed before parses only the rows whose text changed)."""

        def read(connection: sqlite3.Connection) -> list[ReportRow]:
            cursor = connection.cursor()
            cursor.row_factory = None  # plain tuples: one per case, on every dashboard request
            return [ReportRow(*r) for r in cursor.execute(_REPORT_SQL)]

        return self._retrying(read)  # type: ignore[no-any-return]


class ReportRow(NamedTuple):
    """What the portfolio report reads of a row (:meth:`CaseIndex.report_rows`)."""

    key: str
    relative: str
    reference: str
    status: str
    message: str
    computed_on: str | None
    report: str | None


_REPORT_SQL = (
    "SELECT key, relative, reference, status, message, computed_on, report FROM cases ORDER BY key"
)


def _schema_version(connection: sqlite3.Connection) -> int | None:
    try:
        row = connection.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
    except sqlite3.OperationalError:
        return None  # no table yet
    try:
        return int(row[0]) if row else None
    except ValueError:
        return None


@contextlib.contextmanager
def _writing(connection: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken at once (no lock upgrade that could deadlock)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(read_input(path)).hexdigest()
    except ActesError:
        return None


def _mark(connection: sqlite3.Connection, state: FileState, digest: str) -> None:
    """A new or changed file: its row waits for its computation (names kept for searches)."""
    connection.execute(
        "INSERT INTO cases (key, relative, mtime_ns, size, sha256, status, "
        "reference, search, sort_reference) VALUES (?, ?, ?, ?, ?, 'a_calculer', ?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET relative = excluded.relative, "
        "mtime_ns = excluded.mtime_ns, size = excluded.size, "
        "sha256 = excluded.sha256, "
        "status = 'a_calculer'",
        (
            state.key,
            state.relative,
            state.mtime_ns,
            state.size,
            digest,
            state.key,
            fold(state.key),
            fold(state.key),
        ),
    )


def _store(connection: sqlite3.Connection, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    with _writing(connection):
        connection.executemany(_STORE_SQL, [tuple(row[name] for name in _ALL) for row in rows])
    return len(rows)


# An upsert keeps the row's id (the full-text index's link) and fires the update trigger.
_STORE_SQL = (
    f"INSERT INTO cases ({', '.join(_ALL)}) VALUES ({', '.join('?' for _ in _ALL)}) "  # noqa: S608
    f"ON CONFLICT (key) DO UPDATE SET {', '.join(f'{n} = excluded.{n}' for n in _ALL[1:])}"
)


def _search(connection: sqlite3.Connection, query: ListQuery, au: dt.date) -> ListPage:
    where, args = query.where()
    total = connection.execute("SELECT count(*) FROM cases").fetchone()[0]
    pending = connection.execute(_PENDING_SQL, (au.isoformat(), au.isoformat())).fetchone()[0]
    # Only fixed SQL text is joined; the search's values are bound parameters.
    count_sql = "SELECT count(*) FROM cases" + where  # noqa: S608
    page = max(1, query.page)
    if query.text.strip():
        # The words are matched once: the page's ids and the count in one query, then the
        # page's rows by id (sorting whole rows would carry every column).
        ids_sql = "SELECT id, count(*) OVER () FROM cases" + where + query.order()  # noqa: S608
        ids_sql += " LIMIT ? OFFSET ?"
        found = connection.execute(ids_sql, [*args, query.per_page, (page - 1) * query.per_page])
        ids = found.fetchall()
        matched = ids[0][1] if ids else 0
        if not ids and page > 1:  # past the last page: the last one is shown
            matched = connection.execute(count_sql, args).fetchone()[0]
            page = max(1, -(-matched // query.per_page))
            offset = (page - 1) * query.per_page
            ids = connection.execute(ids_sql, [*args, query.per_page, offset]).fetchall()
        marks = ", ".join("?" for _ in ids)
        by_id = {
            r["id"]: r
            for r in connection.execute(
                f"SELECT * FROM cases WHERE id IN ({marks})",  # noqa: S608
                [i for i, _ in ids],
            )
        }
        rows = [by_id[i] for i, _ in ids if i in by_id]
        pages = max(1, -(-matched // query.per_page))
    else:
        # Filters alone: the count from the indexes, the page from an ordered scan.
        matched = connection.execute(count_sql, args).fetchone()[0] if where else total
        pages = max(1, -(-matched // query.per_page))
        page = min(page, pages)
        sql = "SELECT * FROM cases" + where + query.order() + " LIMIT ? OFFSET ?"  # noqa: S608
        rows = connection.execute(
            sql, [*args, query.per_page, (page - 1) * query.per_page]
        ).fetchall()
    return ListPage(
        rows=[IndexRow.from_sql(r) for r in rows],
        total=total,
        matched=matched,
        page=page,
        pages=pages,
        pending=pending,
    )


# ---------------------------------------------------------------------------------------------
# Commands reading a folder of cases.


def open_index(folder: Path, au: dt.date, *, today: dt.date | None = None) -> CaseIndex:
    """The index of ``folder`` for a list at ``au``: the shared one (``.actes/index.sqlite``)
    for today's date, a private one in memory for any other date (today's rows stay)."""
    return CaseIndex(folder, memory=au != (today or dt.date.today()))


def current_rows(index: CaseIndex, au: dt.date, query: ListQuery | None = None) -> list[IndexRow]:
    """Every row of ``query`` computed at ``au``, after a full refresh; a row another
    process has just marked as changed is computed here (not stored)."""
    index.refresh(au)
    rows = index.rows(query)
    return [
        row
        if row.computed_on == au and not row.pending
        else IndexRow.from_sql(compute_row(index.root, row.key, row.relative, au))
        for row in rows
    ]


def indexed_worklist(
    folder: Path, au: dt.date, index: CaseIndex | None = None
) -> tuple[list[Any], list[Any]]:
    """:func:`actes.amicable.plan.worklist` read from the index of ``folder`` (default:
    :func:`open_index`): the same files (``*/dossier.yaml`` and top-level ``*.yaml``), rows
    and order."""
    from actes.amicable.plan import NextAction, WorklistRow

    missed: list[WorklistRow] = []
    errors: list[tuple[Path, WorklistRow]] = []
    for row in current_rows(index or open_index(folder, au), au):
        nested = "/" in row.relative
        name = row.relative.rsplit("/", 1)[-1]
        if (nested and name != "dossier.yaml") or (not nested and not row.key.endswith(".yaml")):
            continue
        path = folder / row.key / name if nested else folder / row.key
        if not row.valid:
            errors.append((path, WorklistRow(str(path), error=row.detail or row.message)))
            continue
        plan = row.plan
        if plan is None:
            continue
        if "erreur" in plan:
            errors.append((path, WorklistRow(str(path), error=str(plan["erreur"]))))
            continue
        if plan["premiere_impayee"] is None:
            continue
        action = plan["action"]
        missed.append(
            WorklistRow(
                file=str(path),
                reference=row.reference,
                plan=plan["reference"],
                debtor=row.debtor or "",
                arrears=Decimal(plan["arriere"]),
                balance=Decimal(plan["solde"]),
                first_missed=dt.date.fromisoformat(plan["premiere_impayee"]),
                action=NextAction(
                    code=action["code"],
                    libelle=action["libelle"],
                    date=_date(action["date"]),
                    fondement=action["fondement"],
                    lettre=action["lettre"],
                ),
            )
        )
    missed.sort(key=lambda r: (-r.arrears, r.reference))
    errors.sort(key=lambda pair: pair[0])
    return missed, [error for _, error in errors]

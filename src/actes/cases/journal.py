"""The history of every act: an append-only journal per workspace, chained by SHA-256.

Where: ``<workspace>/.actes/journal.jsonl``, the workspace being the folder holding
``actes.toml`` found from the case's folder upwards (``ACTES_WORKSPACE`` overrides it, see
:func:`actes._paths.find_workspace`). A case in no workspace keeps its journal in its own
folder: ``<case folder>/.actes/journal.jsonl``.

What: one JSON object a line (JSON Lines, UTF-8), appended after each successful act:

- ``case_saved``: a case file written (web form, command), with the change as RFC 6902
  operations (:func:`json_diff`) and the SHA-256 of the file before and after;
- ``piece_added`` and ``event_recorded``: a case write that only added pièces or events
  (same fields, plus what was added);
- ``document_generated``: the procedure, its version, the date used, the format and each file
  written with its SHA-256;
- ``packet_built``: a filing packet (ZIP) with its SHA-256.

Every line carries ``qui`` (the OS user, or the name the web page was given), ``horodatage``
(UTC), ``date_locale``, ``dossier`` (``reference`` and ``chemin``, relative to the workspace)
and ``precedent``: the SHA-256 of the previous line's bytes (64 zeros for the first line).
Editing, inserting or removing a line breaks that chain, which :func:`verify` detects.

How: the file is opened with ``O_APPEND`` and written under an exclusive ``fcntl.flock`` of
the journal file itself, so that lines from several processes and threads never interleave
and each one chains to the line really before it. The file is never rewritten.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import difflib
import getpass
import hashlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actes._io import exclusive_flock
from actes._paths import find_workspace
from actes.errors import ConflictError, OutputProblem, os_reason

if TYPE_CHECKING:
    from actes.law.procedures import ProcedureVersion

__all__ = [
    "ACTIONS",
    "ACTION_LABELS",
    "GENESIS",
    "JOURNAL_FILE",
    "JOURNAL_FOLDER",
    "Verification",
    "acting_as",
    "append",
    "apply_patch",
    "case_entries",
    "case_location",
    "current_actor",
    "entry_files",
    "journal_for",
    "json_diff",
    "read_entries",
    "record",
    "record_batch_case",
    "record_case_write",
    "record_documents",
    "record_packet",
    "reset_actor",
    "set_actor",
    "summary",
    "verify",
]

JOURNAL_FOLDER = ".actes"
JOURNAL_FILE = "journal.jsonl"
GENESIS = "0" * 64
"""The ``precedent`` of the first line of a journal."""

ACTIONS = (
    "case_saved",
    "piece_added",
    "event_recorded",
    "document_generated",
    "packet_built",
)

LOCK_TIMEOUT = 30.0

_ACTOR: contextvars.ContextVar[str | None] = contextvars.ContextVar("actes_actor", default=None)


# ---------------------------------------------------------------------------------------------
# Who and where.


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        # A container user without a name (no passwd entry and no $USER).
        return f"uid {os.getuid()}"


def current_actor() -> str:
    """Who acts: the name set by :func:`acting_as` (the web page), else the OS user."""
    return _ACTOR.get() or _os_user()


def set_actor(name: str) -> contextvars.Token[str | None]:
    """Record what follows under ``name`` until :func:`reset_actor` (a web request)."""
    return _ACTOR.set(name)


def reset_actor(token: contextvars.Token[str | None]) -> None:
    with contextlib.suppress(ValueError):  # a token of another context: nothing to undo
        _ACTOR.reset(token)


@contextlib.contextmanager
def acting_as(name: str) -> Iterator[None]:
    """Record the acts done inside the block under ``name`` (this thread or task only)."""
    token = _ACTOR.set(name)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def _base(case_path: Path) -> Path:
    """The folder a case's journal lives in: its workspace, else the case's own folder."""
    folder = case_path.resolve().parent
    return find_workspace(folder) or folder


def journal_for(case_path: Path) -> Path:
    """The journal file recording the acts on case file ``case_path``."""
    return _base(case_path) / JOURNAL_FOLDER / JOURNAL_FILE


def case_location(case_path: Path) -> str:
    """The case file's path as the journal names it: relative to the journal's base folder
    (POSIX separators), absolute when the case lies outside it."""
    resolved = case_path.resolve()
    base = _base(case_path)
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return resolved.as_posix()


# ---------------------------------------------------------------------------------------------
# The change between two versions of a case, as RFC 6902 operations.


def _pointer(parts: Sequence[str | int]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _plain(value: Any) -> Any:
    """A JSON value: dates as ISO strings, Decimals as strings, tuples as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _same(a: Any, b: Any) -> bool:
    # 1 and True, 1 and 1.0 are different values in a case file.
    return type(a) is type(b) and _canonical(a) == _canonical(b)


def json_diff(before: Any, after: Any) -> list[dict[str, Any]]:
    """The RFC 6902 operations (``add``, ``remove``, ``replace``) that turn ``before`` into
    ``after``; applied in order (:func:`apply_patch`) they give ``after`` exactly.

    Mappings are compared key by key; lists element by element after aligning them
    (``difflib``), so that removing the first of three claims is one ``remove``, not three
    ``replace``.
    """
    ops: list[dict[str, Any]] = []
    _diff(_plain(before), _plain(after), [], ops)
    return ops


def _diff(a: Any, b: Any, path: list[str | int], ops: list[dict[str, Any]]) -> None:
    if _same(a, b):
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a:
            if key not in b:
                ops.append({"op": "remove", "path": _pointer([*path, key])})
        for key, value in a.items():
            if key in b:
                _diff(value, b[key], [*path, key], ops)
        for key, value in b.items():
            if key not in a:
                ops.append({"op": "add", "path": _pointer([*path, key]), "value": value})
        return
    if isinstance(a, list) and isinstance(b, list):
        _diff_list(a, b, path, ops)
        return
    ops.append({"op": "replace", "path": _pointer(path), "value": b})


def _diff_list(
    a: list[Any], b: list[Any], path: list[str | int], ops: list[dict[str, Any]]
) -> None:
    matcher = difflib.SequenceMatcher(
        a=[_canonical(x) for x in a], b=[_canonical(x) for x in b], autojunk=False
    )
    shift = 0  # where index i of ``a`` now sits in the list being patched
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        common = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(common):
            _diff(a[i1 + k], b[j1 + k], [*path, i1 + k + shift], ops)
        for _ in range(i1 + common, i2):
            ops.append({"op": "remove", "path": _pointer([*path, i1 + common + shift])})
        shift -= (i2 - i1) - common
        for k in range(j1 + common, j2):
            ops.append({"op": "add", "path": _pointer([*path, k]), "value": b[k]})
        shift += (j2 - j1) - common


def _unpointer(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def apply_patch(document: Any, ops: Sequence[Mapping[str, Any]]) -> Any:
    """``document`` with RFC 6902 ``add``/``remove``/``replace`` operations applied (a copy)."""
    result = json.loads(json.dumps(_plain(document)))
    for op in ops:
        parts = _unpointer(str(op["path"]))
        if not parts:
            result = None if op["op"] == "remove" else json.loads(json.dumps(op["value"]))
            continue
        parent = result
        for part in parts[:-1]:
            parent = parent[int(part)] if isinstance(parent, list) else parent[part]
        last = parts[-1]
        value = json.loads(json.dumps(op.get("value")))
        if isinstance(parent, list):
            index = len(parent) if last == "-" else int(last)
            if op["op"] == "add":
                parent.insert(index, value)
            elif op["op"] == "remove":
                del parent[index]
            else:
                parent[index] = value
        elif op["op"] == "remove":
            del parent[last]
        else:
            parent[last] = value
    return result


# ---------------------------------------------------------------------------------------------
# Appending a line.


def _locked(fd: int, path: Path) -> contextlib.AbstractContextManager[None]:
    return exclusive_flock(
        fd,
        LOCK_TIMEOUT,
        lambda: ConflictError(
            path.name,
            message=f"Le journal {path} est verrouillé depuis plus de {LOCK_TIMEOUT:g} secondes.",
            hint="réessayez dans un instant",
        ),
    )


def _tail(fd: int) -> tuple[bytes, bool]:
    """The last line of the open journal (without its newline) and whether the file ends
    with a newline (``b""`` and True for an empty file)."""
    size = os.fstat(fd).st_size
    if size == 0:
        return b"", True
    whole = os.pread(fd, 1, size - 1) == b"\n"
    end = size - 1 if whole else size  # the last line is [start of line, end)
    start = end
    step = 4096
    buffer = b""
    while start > 0:
        size_read = min(step, start)
        start -= size_read
        buffer = os.pread(fd, size_read, start) + buffer
        cut = buffer.rfind(b"\n")
        if cut != -1:
            return buffer[cut + 1 :], whole
        step *= 2
    return buffer, whole


def _not_recorded(journal: Path, exc: OSError) -> OutputProblem:
    problem = OutputProblem(
        f"Journal {journal} non écrit : {os_reason(exc)}. L'opération elle-même a eu lieu "
        "(dossier ou documents écrits) mais n'est pas consignée dans l'historique.",
        hint=f"vérifiez les droits d'écriture et la place libre dans {journal.parent}",
    )
    problem.errno = exc.errno
    return problem


def append(journal: Path, entry: Mapping[str, Any], *, durable: bool = True) -> str:
    """Append ``entry`` to ``journal`` as one chained line; return the line's SHA-256.

    ``precedent`` is set here, under the journal's exclusive lock. ``durable``: fsync the
    line before returning (off for batch runs, whose documents are not fsynced either).
    """
    try:
        journal.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(journal, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise _not_recorded(journal, exc) from None
    try:
        with _locked(fd, journal):
            last, whole = _tail(fd)
            previous = hashlib.sha256(last).hexdigest() if last else GENESIS
            line = json.dumps(
                {"precedent": previous, **_plain(dict(entry))},
                ensure_ascii=False,
                separators=(",", ":"),
            ).encode("utf-8")
            # A torn last line (disk full, crash) is closed, not repaired: the verifier
            # reports it, and the new line chains to it.
            data = (b"" if whole else b"\n") + line + b"\n"
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:])
            if durable:
                os.fsync(fd)
    except OSError as exc:
        raise _not_recorded(journal, exc) from None
    finally:
        os.close(fd)
    return hashlib.sha256(line).hexdigest()


def record(
    case_path: Path,
    action: str,
    details: Mapping[str, Any],
    *,
    reference: str = "",
    durable: bool = True,
    location: str | None = None,
) -> str:
    """Record an act on case file ``case_path`` in its journal; return the line's SHA-256.

    ``location`` names a case that has no file of its own (a row of a CSV portfolio);
    ``case_path`` then only says which journal to use."""
    now = dt.datetime.now(dt.UTC)
    entry = {
        "horodatage": now.isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "date_locale": now.astimezone().date().isoformat(),
        "qui": current_actor(),
        "action": action,
        "dossier": {
            "reference": reference,
            "chemin": case_location(case_path) if location is None else location,
        },
        "details": dict(details),
    }
    return append(journal_for(case_path), entry, durable=durable)


def record_case_write(
    case_path: Path, before: bytes | None, after: bytes, *, durable: bool = True
) -> None:
    """Record the write of case file ``case_path`` from ``before`` (None: created) to
    ``after``: ``piece_added`` or ``event_recorded`` when the change only adds pièces or
    events, else ``case_saved``. Nothing is recorded when the bytes did not change."""
    if before == after:
        return
    from actes._io import parse_document

    name = case_path.name

    def parsed(raw: bytes | None) -> Any:
        if raw is None:
            return {}
        try:
            return parse_document(raw.decode("utf-8-sig", errors="replace"), name)
        except Exception:  # a file edited by hand may not parse: the hashes still tell
            return None

    old, new = parsed(before), parsed(after)
    details: dict[str, Any] = {
        "sha256_avant": hashlib.sha256(before).hexdigest() if before is not None else "",
        "sha256_apres": hashlib.sha256(after).hexdigest(),
    }
    action = "case_saved"
    if old is None or new is None:
        details["changements"] = None
    else:
        ops = json_diff(old, new)
        details["changements"] = ops
        if before is None:
            details["creation"] = True
        else:
            action, extra = _classify(ops, case_path)
            details.update(extra)
    reference = new.get("reference") if isinstance(new, dict) else None
    record(
        case_path,
        action,
        details,
        reference=reference if isinstance(reference, str) else "",
        durable=durable,
    )


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _version_details(version: ProcedureVersion, au: dt.date) -> dict[str, Any]:
    return {
        "procedure": version.procedure_id,
        "version": version.version,
        "revision": version.revision,
        "fichier_version": version.file.name,
        "date": au.isoformat(),
    }


def record_documents(
    case_path: Path,
    version: ProcedureVersion,
    reference: str,
    au: dt.date,
    written: Sequence[Path],
    ids: Mapping[str, str],
    *,
    pdf: bool,
    durable: bool = True,
) -> None:
    """Record ``document_generated``: the documents of ``version`` written for a case, each
    with its SHA-256; ``ids`` maps a DOCX file name to its document id (a PDF takes the id of
    the DOCX it was converted from), ``au`` is the date the documents were made for."""
    files = []
    for path in written:
        name = path.name
        document = ids.get(name) or ids.get(path.with_suffix(".docx").name, "")
        files.append({"nom": name, "document": document, "sha256": _sha256_file(path)})
    details = {**_version_details(version, au), "format": "pdf" if pdf else "docx"}
    details["fichiers"] = files
    record(case_path, "document_generated", details, reference=reference, durable=durable)


def record_batch_case(
    case_file: Path | None,
    label: str,
    outdir: Path,
    reference: str,
    procedure_id: str,
    version: ProcedureVersion | None,
    au: dt.date,
    files: Sequence[tuple[str, str]],
    *,
    pdf: bool,
) -> None:
    """Record ``document_generated`` for one case of ``actes batch`` (by the parent process).

    ``files`` are (name, SHA-256) of the files written in ``outdir``. A case read from a file
    goes to that file's journal; a case from a CSV row (``case_file`` None) to the journal of
    the output folder's workspace (or of the output folder), named by ``label``.
    """
    if version is not None:
        details = _version_details(version, au)
    else:
        details = {"procedure": procedure_id, "date": au.isoformat()}
    details["format"] = "pdf" if pdf else "docx"
    details["fichiers"] = [
        {"nom": name, "chemin": (outdir / name).as_posix(), "sha256": digest}
        for name, digest in files
    ]
    details["lot"] = True
    if case_file is not None:
        record(case_file, "document_generated", details, reference=reference, durable=False)
    else:
        anchor = outdir / "portefeuille"
        record(
            anchor,
            "document_generated",
            details,
            reference=reference,
            durable=False,
            location=label,
        )


def record_packet(
    case_path: Path, version: ProcedureVersion, reference: str, au: dt.date, archive: Path
) -> None:
    """Record ``packet_built``: the filing packet (ZIP) of ``version`` and its SHA-256."""
    details = {
        **_version_details(version, au),
        "archive": archive.name,
        "sha256": _sha256_file(archive),
        "taille": archive.stat().st_size,
    }
    record(case_path, "packet_built", details, reference=reference)


def _classify(ops: Sequence[Mapping[str, Any]], case_path: Path) -> tuple[str, dict[str, Any]]:
    """What a change is when it only adds to one list: pièces or events."""
    adds = [op for op in ops if op["op"] == "add"]
    if not ops or len(adds) != len(ops):
        return "case_saved", {}
    lists = {_unpointer(str(op["path"]))[0] for op in adds}
    depth_one = all(len(_unpointer(str(op["path"]))) == 2 for op in adds)
    if lists == {"pieces"} and depth_one:
        pieces = []
        for op in adds:
            piece = dict(op["value"]) if isinstance(op["value"], Mapping) else {}
            name = piece.get("fichier")
            if isinstance(name, str) and name:
                target = case_path.parent / name
                with contextlib.suppress(OSError):
                    piece["sha256"] = hashlib.sha256(target.read_bytes()).hexdigest()
            pieces.append(piece)
        return "piece_added", {"pieces": pieces}
    if lists == {"evenements"} and depth_one:
        events = [
            {"type": op["value"].get("type"), "date": op["value"].get("date")}
            for op in adds
            if isinstance(op["value"], Mapping)
        ]
        return "event_recorded", {"evenements": events}
    return "case_saved", {}


# ---------------------------------------------------------------------------------------------
# Reading and checking.


@dataclass(frozen=True)
class Verification:
    """The result of checking a journal's chain."""

    journal: Path
    lines: int
    last_sha256: str
    bad_line: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.bad_line is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "journal": str(self.journal),
            "intact": self.ok,
            "lignes": self.lines,
            "derniere_empreinte": self.last_sha256,
            "ligne_en_defaut": self.bad_line,
            "raison": self.reason,
        }


def _raw_lines(journal: Path) -> list[bytes]:
    try:
        data = journal.read_bytes()
    except FileNotFoundError:
        return []
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def verify(journal: Path) -> Verification:
    """Check that every line is a JSON object whose ``precedent`` is the SHA-256 of the line
    before it (64 zeros for the first); report the first line that is not."""
    previous = GENESIS
    lines = _raw_lines(journal)
    for number, line in enumerate(lines, start=1):
        try:
            entry = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            entry = None
        if not isinstance(entry, dict):
            return Verification(
                journal, len(lines), previous, number, "ligne illisible (pas un objet JSON)"
            )
        if entry.get("precedent") != previous:
            if number == 1:
                reason = (
                    "la première ligne ne commence pas la chaîne : des lignes ont été "
                    "supprimées au début du journal"
                )
            else:
                reason = (
                    f"son empreinte « precedent » ne correspond pas à la ligne {number - 1} : "
                    f"la ligne {number - 1} a été modifiée, ou une ligne a été supprimée ou "
                    "insérée à cet endroit"
                )
            return Verification(journal, len(lines), previous, number, reason)
        previous = hashlib.sha256(line).hexdigest()
    return Verification(journal, len(lines), previous)


def read_entries(journal: Path) -> list[dict[str, Any]]:
    """The entries of ``journal`` in the order written (unreadable lines are skipped; the
    verifier reports them)."""
    entries = []
    for line in _raw_lines(journal):
        try:
            entry = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def case_entries(case_path: Path) -> list[dict[str, Any]]:
    """The entries about case file ``case_path`` (by its path in the journal), oldest first."""
    where = case_location(case_path)
    return [
        entry
        for entry in read_entries(journal_for(case_path))
        if isinstance(entry.get("dossier"), dict) and entry["dossier"].get("chemin") == where
    ]


# ---------------------------------------------------------------------------------------------
# What people read.

ACTION_LABELS = {
    "case_saved": "Dossier enregistré",
    "piece_added": "Pièce ajoutée",
    "event_recorded": "Événement enregistré",
    "document_generated": "Documents produits",
    "packet_built": "Dossier de dépôt construit",
}


def _date_fr(value: Any) -> str:
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def entry_files(entry: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The (file name, SHA-256) an entry vouches for: documents or the packet's archive."""
    details = entry.get("details")
    if not isinstance(details, Mapping):
        return []
    if entry.get("action") == "packet_built":
        return [(str(details.get("archive", "")), str(details.get("sha256", "")))]
    files = details.get("fichiers")
    return (
        [
            (str(f.get("nom", "")), str(f.get("sha256", "")))
            for f in files
            if isinstance(f, Mapping)
        ]
        if isinstance(files, list)
        else []
    )


def summary(entry: Mapping[str, Any]) -> str:
    """One French sentence saying what an entry records (file hashes excepted)."""
    details = entry.get("details")
    details = details if isinstance(details, Mapping) else {}
    action = entry.get("action")
    if action in ("document_generated", "packet_built"):
        text = f"{details.get('procedure', '?')}"
        if details.get("version") is not None:
            text += f" v{details['version']}"
            if (details.get("revision") or 1) > 1:
                text += f" (révision {details['revision']})"
        text += f", au {_date_fr(details.get('date', ''))}"
        if action == "document_generated":
            text += f", {str(details.get('format', 'docx')).upper()}"
        return text
    if action == "event_recorded":
        events = details.get("evenements") or []
        return ", ".join(
            f"{e.get('type')} le {_date_fr(e.get('date'))}"
            for e in events
            if isinstance(e, Mapping)
        )
    if action == "piece_added":
        pieces = details.get("pieces") or []
        return ", ".join(
            f"« {p.get('titre', '')} » ({p.get('fichier', '')})"
            for p in pieces
            if isinstance(p, Mapping)
        )
    changes = details.get("changements")
    if details.get("creation"):
        return "création du dossier"
    if not isinstance(changes, list):
        return "fichier modifié (contenu illisible : seules les empreintes sont consignées)"
    paths = [str(op.get("path", "")) for op in changes if isinstance(op, Mapping)]
    shown = ", ".join(paths[:4]) + (f" et {len(paths) - 4} autre(s)" if len(paths) > 4 else "")
    plural = "s" if len(paths) > 1 else ""
    return f"{len(paths)} modification{plural} : {shown}"

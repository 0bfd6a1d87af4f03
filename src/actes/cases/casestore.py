"""Writing a case file without losing anyone's edit: a per-case lock and compare-and-swap.

Several people (web page, command line, batch) may write the same case at the same moment.
Every writer of a case file goes through this module:

- :func:`read_case_version` reads the file once and returns its text with the SHA-256 of
  the very bytes read: the *version* an edit starts from (the web form carries it);
- :func:`write_case` writes a new text only if the file still has that version. The check
  and the write happen under one exclusive lock (:func:`case_lock`: ``fcntl.flock`` on a lock
  file beside the case, ``.<name>.lock``), so no other writer can slip in between; the write
  itself is atomic (:func:`actes._io.atomic_write`: temporary file, fsync, rename), so a
  reader without the lock sees the old file or the new one, never half of one. A stale
  version raises :class:`~actes.errors.ConflictError` carrying the current text;
- :func:`update_case` re-reads the current file *inside* the lock and applies a change to it
  (a pièce appended by an upload): two such updates never conflict, they both land;
- :func:`create_case` creates a new case folder and file atomically and refuses an existing
  one (``mkdir`` and ``link`` fail when the name is taken), so two new cases with the same
  reference cannot overwrite each other.

Every successful write is then recorded in the workspace's journal
(:func:`actes.cases.journal.record_case_write`: who, when, the change as a JSON diff), still
under the case's lock so that the journal lists a case's writes in the order they happened.

The lock file is never deleted (deleting it would let two writers lock two different files).
It is advisory: only writers using this module respect it; a person editing the YAML in a
text editor is still detected by the hash check of the next writer, but only when their
editor saves before that check. ``flock`` is POSIX (Linux, macOS); on a network share its
reliability depends on the file server.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from actes._io import atomic_write, exclusive_flock
from actes.cases.journal import record_case_write
from actes.errors import ConflictError, EnvironmentProblem

__all__ = [
    "LOCK_TIMEOUT",
    "case_lock",
    "create_case",
    "lock_path",
    "read_case_version",
    "sha256_of",
    "update_case",
    "write_case",
]

LOCK_TIMEOUT = 30.0
"""Seconds a writer waits for the lock of a case before giving up."""


def lock_path(path: Path) -> Path:
    """The lock file of case file ``path``: ``.<name>.lock`` in the same folder."""
    return path.with_name(f".{path.name}.lock")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _decode(raw: bytes) -> str:
    # Same decoding as the loader (BOM accepted); an undecodable byte is kept visible.
    return raw.decode("utf-8-sig", errors="replace")


def read_case_version(path: Path) -> tuple[str, str]:
    """The text of case file ``path`` and the SHA-256 of the bytes read (one read).

    A missing file gives ``("", "")``.
    """
    raw = _read_bytes(path)
    if raw is None:
        return "", ""
    return _decode(raw), sha256_of(raw)


@contextlib.contextmanager
def case_lock(path: Path, *, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the exclusive lock of case file ``path`` (waits at most ``timeout`` seconds).

    Works between processes and between threads of one process (each call opens its own
    descriptor, and ``flock`` locks belong to the open file).
    """
    lock = lock_path(path)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise EnvironmentProblem(
            f"Verrou du dossier impossible à créer ({lock}) : {exc.strerror}.",
            hint="vérifiez les droits d'écriture sur le dossier de l'affaire",
        ) from None
    try:
        with exclusive_flock(
            fd,
            timeout,
            lambda: ConflictError(
                path.name,
                message=f"Le dossier {path.name} est en cours d'écriture par quelqu'un "
                f"d'autre depuis plus de {timeout:g} secondes : rien n'a été écrit.",
                hint="réessayez dans un instant",
            ),
        ):
            yield
    finally:
        os.close(fd)


def write_case(path: Path, new_text: str, expected_sha256: str) -> str:
    """Replace case file ``path`` by ``new_text`` if it still is the version
    ``expected_sha256``; return the SHA-256 of the new file.

    Raises :class:`ConflictError` (with the current text) when the file changed since that
    version was read, or was removed. Nothing is written then.
    """
    data = new_text.encode("utf-8")
    with case_lock(path):
        raw = _read_bytes(path)
        current = "" if raw is None else sha256_of(raw)
        if raw is None or current != expected_sha256:
            raise ConflictError(
                path.name,
                current_text=None if raw is None else _decode(raw),
                current_sha256=current,
            )
        if raw != data:
            atomic_write(path, data)
            record_case_write(path, raw, data)
    return sha256_of(data)


def update_case(path: Path, change: Callable[[str], str]) -> str:
    """Apply ``change`` to the *current* text of case file ``path`` and write the result,
    all under the case's lock; return the SHA-256 of the new file.

    ``change`` may raise to write nothing. Used when an edit merges into whatever the file
    holds now (a pièce appended) rather than replacing a version the user saw.
    """
    with case_lock(path):
        raw = _read_bytes(path)
        if raw is None:
            raise ConflictError(
                path.name,
                message=f"Le dossier {path.name} a été supprimé entre-temps : rien n'a été écrit.",
                hint="rechargez la liste des dossiers",
            )
        data = change(_decode(raw)).encode("utf-8")
        if data != raw:
            atomic_write(path, data)
            record_case_write(path, raw, data)
    return sha256_of(data)


def create_case(path: Path, text: str) -> str:
    """Create the case folder ``path.parent`` and the case file ``path`` holding ``text``.

    Refuses (:class:`FileExistsError`) when the folder already exists, whoever created it
    and however recently: ``mkdir`` is atomic, so of two creations of the same folder exactly
    one succeeds. The file appears complete or not at all (written to a temporary file, then
    hard-linked under its name, which also fails if the name exists). Returns its SHA-256.
    """
    folder = path.parent
    folder.mkdir()
    data = text.encode("utf-8")
    linked = False
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        tmp = Path(tmp_name)
        try:
            # mkstemp makes the file private (0600); give it the mode open() would have given.
            os.fchmod(fd, 0o666 & ~_UMASK)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.link(tmp, path)
            linked = True
        finally:
            tmp.unlink(missing_ok=True)
    except BaseException:
        # The folder is ours (mkdir succeeded): leave nothing of a failed creation.
        with contextlib.suppress(OSError):
            if linked:
                path.unlink()
            folder.rmdir()
        raise
    # Outside the clean-up above: a journal that cannot be written must not undo the case.
    record_case_write(path, None, data)
    return sha256_of(data)


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Read once at import: changing the umask later, even for an instant, races other threads.
_UMASK = _current_umask()

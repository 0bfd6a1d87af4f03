"""The one exception hierarchy of actes.

Every error a user can cause is an :class:`ActesError`. Each carries structured fields
(``file``, ``json_path``, ``line``, ``column``, ``hint``) so that the CLI, the web page and
programs can show where the problem is and how to fix it. The CLI maps them to exit codes
in one place (``actes.cli``): 1 for bad case data or a failed check, 2 for usage errors
and outputs that cannot be written, 3 for a broken installation (definitions, templates,
LibreOffice).
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "ActesError",
    "CaseError",
    "ConflictError",
    "DataIssue",
    "DataProblem",
    "DefinitionError",
    "EnvironmentProblem",
    "IncompleteCase",
    "InputError",
    "NoVersionInForce",
    "OutputProblem",
    "PreconditionFailed",
    "RateMissing",
    "RenderError",
    "UsageProblem",
]

EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_ENVIRONMENT = 3


@dataclass(frozen=True)
class DataIssue:
    """One problem found in a document: where it is, what is wrong, what to do."""

    json_path: str
    message: str
    hint: str = ""
    file: str = ""
    line: int | None = None
    column: int | None = None
    rule: str = ""

    def location(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        if self.json_path:
            where = f"{where} {self.json_path}" if where else self.json_path
        return where

    def format(self) -> str:
        text = f"{self.location()} : {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "fichier": self.file,
            "chemin": self.json_path,
            "ligne": self.line,
            "colonne": self.column,
            "message": self.message,
            "correction": self.hint,
            "regle": self.rule,
        }


class ActesError(Exception):
    """Base class: a problem the user can understand and fix."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, *, hint: str = "", issues: Sequence[DataIssue] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.issues: tuple[DataIssue, ...] = tuple(issues)

    def format(self) -> str:
        lines = [self.message]
        lines.extend(f"  - {issue.format()}" for issue in self.issues)
        if self.hint:
            lines.append(f"  → {self.hint}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        return {
            "erreur": type(self).__name__,
            "message": self.message,
            "correction": self.hint,
            "problemes": [issue.as_dict() for issue in self.issues],
        }


class InputError(ActesError, ValueError):
    """A file given by the user cannot be read or parsed (syntax, encoding, missing)."""


class CaseError(InputError):
    """A case file is readable but breaks its schema or a business rule."""

    def __init__(self, file: str, issues: Iterable[DataIssue]) -> None:
        found = tuple(issues)
        plural = "s" if len(found) > 1 else ""
        super().__init__(
            f"Dossier invalide ({file}) : {len(found)} problème{plural} à corriger.",
            issues=found,
        )
        self.file = file


class ConflictError(ActesError):
    """A case file changed since it was read (another person, page or command wrote it):
    the write is refused and nothing is written.

    ``current_text`` and ``current_sha256`` are the file as it is now, so that the caller can
    show both versions; ``current_sha256`` is empty when the file no longer exists.
    """

    def __init__(
        self,
        file: str,
        *,
        current_text: str | None = None,
        current_sha256: str = "",
        message: str = "",
        hint: str = "",
    ) -> None:
        super().__init__(
            message
            or f"Le dossier {file} a été modifié par ailleurs depuis sa lecture : "
            "rien n'a été écrit.",
            hint=hint
            or "relisez la version actuelle du dossier et réappliquez-y vos modifications",
        )
        self.file = file
        self.current_text = current_text
        self.current_sha256 = current_sha256


class PreconditionFailed(ActesError):
    """A procedure cannot be used for this case; the legal reason is given."""


class NoVersionInForce(ActesError):
    """No version of a procedure covers the requested date."""


class RateMissing(ActesError):
    """A computation needs a rate that the dated tables do not hold."""


class DataProblem(ActesError):
    """The case's data leads outside what actes can compute (a date beyond the holiday
    calendar or after the year 9999, a corrupt pièce): fixed in the case file, exit code 1."""


class OutputProblem(ActesError, OSError):
    """An output cannot be written where asked: the path is the case file, one of its
    pièces or inside ``pieces/``, a folder, a device; the folder is read-only; the disk is
    full. Nothing is half-written (the previous file, if any, is kept). The user fixes it
    by choosing another output or freeing space: exit code 2, like a usage error.

    Also an :class:`OSError` (with the original ``errno``), so that code catching write
    failures as ``OSError`` keeps working.
    """

    exit_code = EXIT_USAGE

    @classmethod
    def from_os_error(cls, path: object, exc: OSError) -> OutputProblem:
        """The French account of a failed write of ``path``."""
        problem = cls(
            f"Écriture impossible de {path} : {os_reason(exc)} ; rien n'a été écrit.",
            hint=_OS_HINTS.get(exc.errno or 0, "choisissez un autre emplacement de sortie"),
        )
        problem.errno = exc.errno
        problem.strerror = os_reason(exc)
        problem.filename = str(path)
        return problem

    def __str__(self) -> str:
        return self.message


_OS_REASONS = {
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota disque dépassé",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise (fichier ou dossier protégé, immuable)",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.EISDIR: "c'est un dossier, un fichier était attendu",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.ENOENT: "dossier introuvable",
    errno.EEXIST: "le fichier existe déjà",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EXDEV: "déplacement impossible entre deux disques",
    errno.EIO: "erreur d'entrée-sortie du disque",
    errno.EBUSY: "fichier ou dossier occupé",
    errno.ETXTBSY: "fichier occupé",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.EFBIG: "fichier trop volumineux",
    errno.EINVAL: "argument invalide pour ce fichier",
}

_OS_HINTS = {
    errno.ENOSPC: "libérez de la place sur le disque ou choisissez un autre dossier de sortie",
    errno.EDQUOT: "libérez de la place ou choisissez un autre dossier de sortie",
    errno.EACCES: "choisissez un dossier de sortie où vous pouvez écrire",
    errno.EPERM: "choisissez un dossier de sortie où vous pouvez écrire",
    errno.EROFS: "choisissez un dossier de sortie sur un disque accessible en écriture",
    errno.EISDIR: "indiquez un nom de fichier, pas un dossier",
}


def os_reason(exc: OSError) -> str:
    """A French reason for an operating-system error (never the English ``strerror``)."""
    return _OS_REASONS.get(exc.errno or 0, f"erreur du système (code {exc.errno})")


class UsageProblem(ActesError):
    """The command was called with wrong arguments (unknown procedure, bad duration...)."""

    exit_code = EXIT_USAGE


class DefinitionError(ActesError):
    """A procedure definition, parameter file or schema shipped with actes is broken."""

    exit_code = EXIT_ENVIRONMENT


class RenderError(ActesError):
    """A template cannot be rendered (missing variable, syntax error in the template)."""

    exit_code = EXIT_ENVIRONMENT


class IncompleteCase(RenderError):
    """The case lacks what a document needs (the court, the plan's instalments...).

    A problem of the case data, fixed in the case file: exit code 1, not 3.
    """

    exit_code = EXIT_INVALID


class EnvironmentProblem(ActesError):
    """Something outside actes is missing or failing (LibreOffice, disk)."""

    exit_code = EXIT_ENVIRONMENT


@dataclass
class IssueCollector:
    """Gathers every problem of a document so that the user sees all of them at once."""

    file: str = ""
    issues: list[DataIssue] = field(default_factory=list)

    def add(self, json_path: str, message: str, hint: str = "", rule: str = "") -> None:
        self.issues.append(
            DataIssue(json_path=json_path, message=message, hint=hint, file=self.file, rule=rule)
        )

    def raise_if_any(self) -> None:
        if self.issues:
            raise CaseError(self.file, sorted(self.issues, key=_issue_order))


def _issue_order(issue: DataIssue) -> tuple[str, str]:
    return (issue.json_path, issue.message)

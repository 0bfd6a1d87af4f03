"""The one exception hierarchy of actes.

Every error a user can cause is an :class:`ActesError`. Each carries structured fields
(``file``, ``json_path``, ``line``, ``column``, ``hint``) so that the CLI, the web page and
programs can show where the problem is and how to fix it. The CLI maps them to exit codes
in one place (``actes.cli``): 1 for bad case data or a failed check, 2 for usage errors,
3 for a broken installation (definitions, templates, LibreOffice).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "ActesError",
    "CaseError",
    "DataIssue",
    "DefinitionError",
    "EnvironmentProblem",
    "IncompleteCase",
    "InputError",
    "NoVersionInForce",
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


class PreconditionFailed(ActesError):
    """A procedure cannot be used for this case; the legal reason is given."""


class NoVersionInForce(ActesError):
    """No version of a procedure covers the requested date."""


class RateMissing(ActesError):
    """A computation needs a rate that the dated tables do not hold."""


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

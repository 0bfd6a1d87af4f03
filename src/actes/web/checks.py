"""Every problem of a case in one round: the schema, the business rules on whatever the schema
left checkable, and what each procedure aimed at needs before it renders.

``actes validate`` stops at the first stage that finds a problem (a hostile value must not
reach a rule); a person filling a form wants everything at once. So the business rules also
run when the schema found problems, on a copy of the data without the values the schema
refused (a rule then sees a missing value, never a wrong type), and their issues at a place
the schema already reported are dropped. A procedure aimed at adds its own schema
(``case_schema`` of its version: the injonction de payer's fondement, pièces...) and, once
the case is valid, the very checks of ``actes render`` without writing anything
(:func:`actes.documents.render.plan_documents`: preconditions, data the templates need, the
title's pièces); an unconfirmed rate is reported apart, with the command that records it.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actes._paths import workspace_scope
from actes.cases.case import Case, case_from_data, check_piece_places
from actes.cases.rules import check_business_rules, check_values
from actes.cases.schema import case_schema, effective_schema, schema_issues
from actes.errors import ActesError, DataIssue, IssueCollector, PreconditionFailed, RateMissing
from actes.law.procedures import load_registry

__all__ = [
    "ProcedureNeeds",
    "RateProblem",
    "case_problems",
    "merge",
    "procedure_needs",
    "rate_problem",
]


@dataclass(frozen=True)
class RateProblem:
    """A rate the tables hold only as reported, not confirmed: what to do about it."""

    message: str
    command: str


@dataclass(frozen=True)
class ProcedureNeeds:
    """What a procedure still needs before its documents can be rendered for a case."""

    procedure_id: str
    title: str
    issues: tuple[DataIssue, ...] = ()
    rate: RateProblem | None = None
    checked: bool = True  # False: the case itself must be corrected first

    @property
    def ready(self) -> bool:
        return self.checked and not self.issues and self.rate is None


def rate_problem(error: ActesError) -> RateProblem:
    """The message of a :class:`RateMissing` and the ``actes taux ajouter`` command of its
    hint (without the path of the shipped table it would replace)."""
    return RateProblem(error.message, _command(error.hint))


def _command(text: str) -> str:
    match = re.search(
        r"(actes taux ajouter .*?)\s*(?:\(dans l'espace de travail du cabinet\)|$)", text
    )
    return match.group(1) if match else ""


def case_problems(
    data: Any,
    *,
    file: str,
    folder: Path | None,
    au: dt.date,
    first: Sequence[DataIssue] = (),
) -> list[DataIssue]:
    """Schema and business-rule problems of ``data`` together (``first``: those the form
    itself found, which win at their place)."""
    values = IssueCollector(file=file)
    check_values(data, values)
    if values.issues:
        return [*first, *values.issues]  # a hostile value is reported before anything reads it
    found = merge(first, schema_issues(data, case_schema(), file=file))
    if not isinstance(data, dict):
        return found
    checkable = _without(data, [i.json_path for i in found])
    rules = IssueCollector(file=file)
    try:
        check_business_rules(checkable, rules, folder=folder, au=au)
        check_piece_places(checkable, rules, folder)
    except (KeyError, TypeError, AttributeError, ValueError, ArithmeticError):
        # A rule that needs a value the schema refused; it runs again once that is fixed.
        pass
    return merge(found, rules.issues)


def procedure_needs(
    procedure_id: str,
    data: Mapping[str, Any],
    *,
    file: str,
    folder: Path | None,
    au: dt.date,
    valid: bool,
    problems: Sequence[DataIssue] = (),
    case: Case | None = None,
) -> ProcedureNeeds:
    """What ``actes render procedure_id`` would refuse, without writing anything.

    ``valid``: whether ``data`` passed :func:`case_problems`; otherwise ``problems`` are its
    problems, and the render checks run on the data without the values they point to.
    ``case``: ``data`` already loaded (a valid case): under
    :func:`actes.documents.render.remembered_plans`, the plans the assistant made for that
    very object are reused instead of made again."""
    from actes.documents.render import plan_documents

    procedure = load_registry().get(procedure_id)
    path = (folder / file) if folder is not None else None
    if not valid:
        case = None
    elif case is None:
        case = case_from_data(data, path=path)
    issues: list[DataIssue] = []
    try:
        version = procedure.for_case(case, au)
    except ActesError as error:
        return ProcedureNeeds(procedure_id, procedure.title, (_global(error, file),))
    extra = version.case_schema
    if extra:
        base = {(i.json_path, i.message) for i in schema_issues(data, case_schema(), file=file)}
        for issue in schema_issues(data, effective_schema(extra), file=file):
            if (issue.json_path, issue.message) not in base:
                hint = issue.hint
                if issue.json_path == "$.pieces":
                    # Pièces are PDF files: added from the case page, once the case exists.
                    hint = "ajoutez-les depuis la page du dossier (envoi d'un PDF)"
                issues.append(
                    DataIssue(
                        issue.json_path,
                        f"{issue.message} : exigé pour « {procedure.title} »",
                        hint,
                        file=file,
                        rule=f"procedure.{procedure_id}",
                    )
                )
    if not valid:
        # Best effort on an invalid case: the render checks on what is left once every faulty
        # value is set aside, so that the court or a failed condition shows in the same round.
        issues.extend(_on_what_is_valid(procedure_id, data, path, au, file, folder, problems))
        return ProcedureNeeds(procedure_id, procedure.title, tuple(issues), checked=False)
    if issues:
        return ProcedureNeeds(procedure_id, procedure.title, tuple(issues))
    assert case is not None
    rate = None
    try:
        with workspace_scope(folder if folder is not None else Path.cwd()):
            # No ``source``: the issues are given this file below, and the assistant's plan
            # for the same case (made without one) is reused.
            drafts = plan_documents(procedure_id, case, au).drafts()
        if drafts:
            # A provisional rate was accepted: letters render, a filing is a draft only.
            commands = [c for _, _, found in drafts for c in found]
            rate = RateProblem(
                f"{', '.join(n for n, _, _ in drafts)} : montants calculés avec un taux "
                "provisoire, document marqué PROJET et dossier de dépôt refusé tant que le "
                "taux publié n'est pas enregistré.",
                _command(commands[0]) if commands else "",
            )
    except RateMissing as error:
        rate = rate_problem(error)
        # What rendering would ask next, once the rate is recorded or accepted.
        issues.extend(_after_rate(procedure_id, data, path, au, file, folder))
    except PreconditionFailed as error:
        issues.extend(
            DataIssue("", i.message, error.hint, file=file, rule=f"procedure.{procedure_id}")
            for i in error.issues
        )
    except ActesError as error:
        issues.append(_global(error, file, procedure_id))
    return ProcedureNeeds(procedure_id, procedure.title, tuple(issues), rate)


def _after_rate(
    procedure_id: str,
    data: Mapping[str, Any],
    path: Path | None,
    au: dt.date,
    file: str,
    folder: Path | None,
) -> list[DataIssue]:
    from actes.documents.render import plan_documents

    accepted = {**data, "parametres": {**data.get("parametres", {}), "taux_non_confirmes": True}}
    try:
        with workspace_scope(folder if folder is not None else Path.cwd()):
            plan_documents(procedure_id, case_from_data(accepted, path=path), au, source=file)
    except PreconditionFailed as error:
        return [
            DataIssue("", i.message, error.hint, file=file, rule=f"procedure.{procedure_id}")
            for i in error.issues
        ]
    except ActesError as error:
        return [_global(error, file, procedure_id)]
    except (KeyError, TypeError, AttributeError, ValueError, ArithmeticError):
        return []  # data set aside by the caller: checked again once corrected
    return []


def _on_what_is_valid(
    procedure_id: str,
    data: Mapping[str, Any],
    path: Path | None,
    au: dt.date,
    file: str,
    folder: Path | None,
    problems: Sequence[DataIssue],
) -> list[DataIssue]:
    checkable = _without(dict(data), [i.json_path for i in problems])
    for claim in checkable.get("creances", []):
        # A due date set aside: the issue date stands in, for these checks only.
        if isinstance(claim, dict) and not {"date_echeance", "conditions_paiement"} & set(claim):
            claim["date_echeance"] = claim.get("date_emission")
    try:
        case_from_data(checkable, path=path)
    except (KeyError, TypeError, AttributeError, ValueError, ArithmeticError):
        return []  # too incomplete to say more: checked once the case is corrected
    return _after_rate(procedure_id, checkable, path, au, file, folder)


def _global(error: ActesError, file: str, procedure_id: str = "") -> DataIssue:
    path = error.issues[0].json_path if len(error.issues) == 1 else ""
    if not path and "juridiction" in error.message.casefold():
        path = "$.juridiction"  # shown at the court's fields of the form
    return DataIssue(path, error.message, error.hint, file=file, rule=f"procedure.{procedure_id}")


def merge(first: Iterable[DataIssue], then: Iterable[DataIssue]) -> list[DataIssue]:
    """``first``, then the issues of ``then`` at a place none of ``first`` reports (nor a
    place inside one of them)."""
    kept = list(first)
    taken = [i.json_path for i in kept if i.json_path]
    for issue in then:
        if not any(_within(issue.json_path, path) for path in taken):
            kept.append(issue)
    return kept


def _within(path: str, other: str) -> bool:
    return path == other or path.startswith((other + ".", other + "["))


def _without(data: dict[str, Any], paths: Iterable[str]) -> dict[str, Any]:
    """A copy of ``data`` without the values at ``paths`` (``$.a[0].b``)."""
    pruned = copy.deepcopy(data)
    for path in paths:
        steps = re.findall(r"\.([^.\[\]]+)|\[(\d+)\]", path)
        if not steps:
            continue
        node: Any = pruned
        for key, index in steps[:-1]:
            node = _step(node, key, index)
            if node is None:
                break
        else:
            key, index = steps[-1]
            if key and isinstance(node, dict):
                node.pop(key, None)
            elif index and isinstance(node, list) and int(index) < len(node):
                node[int(index)] = {}
    return pruned


def _step(node: Any, key: str, index: str) -> Any:
    if key:
        return node.get(key) if isinstance(node, dict) else None
    if isinstance(node, list) and int(index) < len(node):
        return node[int(index)]
    return None

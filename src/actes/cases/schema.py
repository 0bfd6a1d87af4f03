"""JSON Schema validation (draft 2020-12) with French messages naming the JSON path.

Every error is reported at once, sorted by path, each saying what is wrong and what to do.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from actes._paths import schemas_dir
from actes.errors import DataIssue, DefinitionError

__all__ = [
    "bundled_schema",
    "case_schema",
    "effective_schema",
    "json_path",
    "load_schema",
    "pattern_hint",
    "schema_issues",
    "schema_registry",
]


@cache
def load_schema(name: str, root: Path | None = None) -> dict[str, Any]:
    """Load a schema file from ``schemas/`` and check that it is itself a valid schema."""
    path = (root or schemas_dir()) / name
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DefinitionError(f"Schéma introuvable : {path}") from None
    except json.JSONDecodeError as exc:
        raise DefinitionError(
            f"Schéma illisible : {path}",
            issues=[DataIssue("", exc.msg, file=str(path), line=exc.lineno, column=exc.colno)],
        ) from None
    Draft202012Validator.check_schema(schema)
    return dict(schema)


@cache
def schema_registry(root: Path) -> Registry[Any]:
    """Every top-level schema of ``root`` under its ``$id``: relative ``$ref``s between the
    shipped schemas (``case.schema.json`` → ``plan.schema.json``) resolve without any network
    access."""
    return Registry().with_resources(
        (uri, Resource.from_contents(schema, default_specification=DRAFT202012))
        for uri, schema in _shipped_schemas(root)
    )


@cache
def _shipped_schemas(root: Path) -> tuple[tuple[str, dict[str, Any]], ...]:
    """(``$id``, schema) of every top-level schema of ``root`` that has an ``$id``."""
    found = []
    for path in sorted(root.glob("*.schema.json")):
        schema = load_schema(path.name, root)
        if "$id" in schema:
            found.append((str(schema["$id"]), schema))
    return tuple(found)


def case_schema() -> dict[str, Any]:
    return load_schema("case.schema.json")


def effective_schema(extra: Mapping[str, Any] | None) -> dict[str, Any]:
    """The case schema combined with a procedure's own requirements (``allOf``)."""
    base = case_schema()
    if not extra:
        return base
    cached = _COMBINED.get(id(extra))
    if cached is not None and cached[0] is extra and cached[1] is base:
        return cached[2]
    combined = dict(base)
    combined["allOf"] = [*base.get("allOf", []), _strip_meta(extra)]
    _COMBINED[id(extra)] = (extra, base, combined)
    return combined


# Procedure schemas are cached objects: their combination with the case schema is too.
_COMBINED: dict[int, tuple[Mapping[str, Any], dict[str, Any], dict[str, Any]]] = {}


def _strip_meta(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in ("$schema", "$id")}


def json_path(parts: Iterable[str | int]) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


_FORMATS = FormatChecker(formats=("date", "email"))


def schema_issues(data: Any, schema: Mapping[str, Any], *, file: str = "") -> list[DataIssue]:
    """Every schema violation of ``data`` as a French :class:`DataIssue`, sorted by path.

    Valid data is recognised by a compiled validator (``jsonschema-rs``) when it is
    installed; the messages always come from ``jsonschema``, which also has the last word:
    whenever the compiled validator finds a problem, or cannot read the data, ``jsonschema``
    validates again and its answer is returned.
    """
    fast = _fast_validator(schema)
    if fast is not None and _plain_json(data):
        try:
            if fast.is_valid(data):
                return []
        except ValueError:
            pass
    return _full_issues(data, schema, file)


def _full_issues(data: Any, schema: Mapping[str, Any], file: str) -> list[DataIssue]:
    validator = _validator(schema)
    issues: list[DataIssue] = []
    for error in validator.iter_errors(data):
        issues.extend(_translate(error, file))
    unique = {(i.json_path, i.message): i for i in issues}
    return sorted(unique.values(), key=lambda i: (i.json_path, i.message))


@dataclass(frozen=True)
class _Validators:
    """The validators of one schema: ``jsonschema``'s, and the compiled one (``None`` when
    ``jsonschema-rs`` is absent or ``ACTES_SCHEMA_FAST=0``)."""

    schema: Mapping[str, Any]
    root: Path
    full: Draft202012Validator
    fast: Any


_VALIDATORS: dict[int, _Validators] = {}


def _validators(schema: Mapping[str, Any]) -> _Validators:
    # Building validators and their reference resolution costs more than validating one
    # case, and batches validate thousands of cases against the same (cached) schema object.
    # The entry keeps the schema alive, so its id cannot be reused by another object.
    root = schemas_dir()
    cached = _VALIDATORS.get(id(schema))
    if cached is not None and cached.schema is schema and cached.root == root:
        return cached
    full = Draft202012Validator(schema, format_checker=_FORMATS, registry=schema_registry(root))
    built = _Validators(schema, root, full, _compiled_validator(schema, root))
    if len(_VALIDATORS) < 256:
        _VALIDATORS[id(schema)] = built
    return built


def _validator(schema: Mapping[str, Any]) -> Draft202012Validator:
    return _validators(schema).full


def _fast_validator(schema: Mapping[str, Any]) -> Any:
    return _validators(schema).fast


def _compiled_validator(schema: Mapping[str, Any], root: Path) -> Any:
    if os.environ.get("ACTES_SCHEMA_FAST", "1") == "0":
        return None
    try:
        compiled: Any = importlib.import_module("jsonschema_rs")
    except ImportError:
        return None
    return compiled.validator_for(
        dict(schema),
        registry=compiled.Registry(list(_shipped_schemas(root))),
        validate_formats=True,
        # The same format checks as jsonschema's, so that both agree on every date.
        formats={name: functools.partial(_conforms, name) for name in ("date", "email")},
    )


def _conforms(name: str, value: Any) -> bool:
    return _FORMATS.conforms(value, name)


_JSON_SCALARS = (str, int, float, bool, type(None))


def _plain_json(data: Any) -> bool:
    """Only dicts with string keys, lists, strings, numbers, booleans and null: the values on
    which both validators are known to read the same document (a tuple, a ``Decimal`` or a
    date goes to ``jsonschema`` alone)."""
    if isinstance(data, dict):
        return all(isinstance(k, str) and _plain_json(v) for k, v in data.items())
    if isinstance(data, list):
        return all(_plain_json(v) for v in data)
    return isinstance(data, _JSON_SCALARS)


def _translate(error: ValidationError, file: str) -> list[DataIssue]:
    path = json_path(error.absolute_path)
    kind = str(error.validator)
    value: Any = error.instance
    rule_schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    expected: Any = error.validator_value
    hint = ""
    if kind in ("allOf", "anyOf", "oneOf") and error.context:
        found: list[DataIssue] = []
        for sub in error.context:
            found.extend(_translate(sub, file))
        return found
    if kind == "required":
        missing = _missing_property(error)
        path = f"{path}.{missing}"
        message = "champ obligatoire manquant"
        hint = f"ajoutez « {missing} »"
    elif kind == "additionalProperties":
        extras = sorted(set(value) - set(rule_schema.get("properties", {})))
        message = f"champ inconnu : {', '.join(extras)}"
        allowed = ", ".join(sorted(rule_schema.get("properties", {})))
        hint = f"supprimez-le ou corrigez son nom (champs admis : {allowed})"
    elif kind == "type":
        message = f"type incorrect : {_show(value)} n'est pas {_type_fr(expected)}"
        hint = f"indiquez {_type_fr(expected)}"
    elif kind == "enum":
        choices = ", ".join(_show(v) for v in expected)
        message = f"valeur non admise : {_show(value)}"
        hint = f"choisissez parmi : {choices}"
    elif kind == "const":
        message = f"valeur non admise : {_show(value)}"
        hint = f"la seule valeur admise est {_show(expected)}"
    elif kind == "pattern":
        message = f"{_show(value)} ne correspond pas au format attendu"
        hint = _pattern_hint(error)
    elif kind == "format":
        fmt = expected
        if fmt == "date":
            message = f"{_show(value)} n'est pas une date valide"
            hint = "écrivez la date au format AAAA-MM-JJ (exemple : 2026-03-15)"
        else:
            message = f"{_show(value)} n'est pas une adresse {fmt} valide"
            hint = "corrigez la valeur"
    elif kind in ("minLength",):
        message = "valeur vide"
        hint = "renseignez ce champ"
    elif kind == "maxLength":
        message = f"valeur trop longue (au plus {expected} caractères)"
        hint = "raccourcissez-la"
    elif kind == "minItems":
        message = f"liste trop courte : au moins {expected} élément(s) attendu(s)"
        hint = "ajoutez au moins un élément"
    elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = expected
        words = {
            "minimum": "au moins",
            "maximum": "au plus",
            "exclusiveMinimum": "strictement plus de",
            "exclusiveMaximum": "strictement moins de",
        }
        message = f"{_show(value)} hors limites"
        hint = f"indiquez {words[str(kind)]} {bound}"
    elif kind == "not":
        message = "ce champ n'est pas admis ici"
        hint = "supprimez-le (voir docs/case-format.md)"
    else:
        message = error.message
    return [DataIssue(path, message, hint, file=file, rule=f"schema.{kind}")]


def _missing_property(error: ValidationError) -> str:
    # jsonschema words it "'x' is a required property"; the name is the first quoted token.
    text = error.message
    if text.startswith("'") and "'" in text[1:]:
        return text[1 : text.index("'", 1)]
    return text


def _pattern_hint(error: ValidationError) -> str:
    field = next((str(p) for p in reversed(error.absolute_path) if isinstance(p, str)), "")
    return pattern_hint(field)


def pattern_hint(field: str) -> str:
    """What a value of ``field`` must look like (the hint of a pattern mismatch)."""
    hints = {
        "siren": "le SIREN compte 9 chiffres, sans espace",
        "siret": "le SIRET compte 14 chiffres, sans espace",
        "pays": "code pays ISO à deux lettres majuscules (FR, DE, BE...)",
        "devise": "code de devise ISO 4217 à trois lettres majuscules (EUR)",
        "montant": "montant avec un point décimal et au plus deux décimales (exemple : 1234.56)",
        "capital": "montant avec un point décimal et au plus deux décimales (exemple : 10000.00)",
        "taux_contractuel": "taux annuel en pourcentage, exemple 10.5",
        "reference": "lettres, chiffres et . _ / - uniquement, sans espace",
        "bic": "BIC de 8 ou 11 caractères, majuscules",
        "departement": "code de département : 01 à 95, 2A, 2B, 971 à 976...",
    }
    return hints.get(field, "corrigez la valeur")


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"« {value} »"
    if isinstance(value, dict):
        return "un objet"
    if isinstance(value, list):
        return "une liste"
    return json.dumps(value, ensure_ascii=False, default=str)


_TYPE_NAMES = {
    "string": "une chaîne de caractères",
    "number": "un nombre",
    "integer": "un nombre entier",
    "boolean": "true ou false",
    "object": "un objet",
    "array": "une liste",
    "null": "null",
}


def _type_fr(expected: Any) -> str:
    if isinstance(expected, list):
        return " ou ".join(_TYPE_NAMES.get(str(t), str(t)) for t in expected)
    return _TYPE_NAMES.get(str(expected), str(expected))


def bundled_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` with every shipped schema it references embedded in ``$defs``.

    The embedded schemas keep their ``$id``, so the relative ``$ref``s
    (``"situation.schema.json"``) resolve inside the document (JSON Schema 2020-12 bundling)
    and other tools need no access to the ``schemas/`` folder.
    """
    result = json.loads(json.dumps(schema))
    defs = result.setdefault("$defs", {})
    pending = list(_external_refs(result))
    while pending:
        name = pending.pop()
        key = name.removesuffix(".schema.json")
        if key in defs:
            continue
        embedded = load_schema(name)
        defs[key] = embedded
        pending.extend(_external_refs(embedded))
    return dict(result)


def _external_refs(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#") and ref.endswith(".schema.json"):
            found.append(ref.split("/")[-1])
        for value in node.values():
            found.extend(_external_refs(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_external_refs(value))
    return found

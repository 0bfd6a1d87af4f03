"""Writing a case file back after an edit in the web page, keeping what a person wrote.

A YAML case file edited by hand carries comments, flow-style addresses (``{ligne1: ...}``),
quoted dates and a key order. When the previous text is given, the new data is merged into
its round-trip tree (``ruamel.yaml``): unchanged values keep their text, comments and style,
changed ones are replaced, removed ones go, new ones are added at the end of their mapping.
The result is read back with actes' own loader and must give exactly the new data (same
types, same characters: ``1`` is not ``1.0`` nor ``True``, U+0085 is not a space); otherwise
(or if the old text cannot be read) the file is written afresh with PyYAML, as before,
without its comments, and that text is checked the same way: with non-ASCII characters
written as they are, else escaped (``"\\N"``). A text that still does not read back exactly
is never returned: :class:`~actes.errors.InputError` says so and nothing is written.

:func:`merge_versions` reapplies a refused save (the file changed meanwhile) onto the
current version: a three-way merge of the data, value by value.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from actes._io import parse_document
from actes.errors import ActesError, InputError

__all__ = ["dump_case", "identical", "merge_versions"]


def dump_case(data: Mapping[str, Any], path: Path, previous: str | None = None) -> str:
    """The text of a case file: JSON for ``.json``, YAML otherwise (key order kept).

    ``previous``: the file's current text; its comments and layout are kept where the data
    did not change.
    """
    if path.suffix == ".json":
        candidates = (
            json.dumps(data, ensure_ascii=ascii_only, indent=2) + "\n"
            for ascii_only in (False, True)
        )
    else:
        kept = _round_trip(previous, data, path) if previous is not None else None
        if kept is not None:
            return kept
        candidates = (
            yaml.safe_dump(dict(data), allow_unicode=unicode, sort_keys=False, width=99)
            for unicode in (True, False)
        )
    try:
        for text in candidates:
            if _reads_back(text, data, path):
                return text
    except (ValueError, TypeError, yaml.YAMLError):
        pass
    raise InputError(
        f"Le dossier ne peut pas être enregistré fidèlement dans {path.name} : relu, il "
        "ne donnerait pas exactement les valeurs saisies. Rien n'a été écrit.",
        hint="retirez les caractères invisibles ou de contrôle et les nombres non finis "
        "(NaN, infini) des valeurs saisies",
    )


def _reads_back(text: str, data: Any, path: Path) -> bool:
    """Whether ``text`` is valid UTF-8 text that actes reads as exactly ``data``."""
    try:
        text.encode("utf-8")
        return identical(parse_document(text, str(path)), data)
    except (ActesError, UnicodeError):
        return False


def identical(first: Any, second: Any) -> bool:
    """Equal values of the same types all the way down (``1`` is not ``1.0`` nor ``True``,
    ``0.0`` is not ``-0.0``; a mapping's key order does not matter)."""
    pairs = [(first, second)]
    while pairs:
        a, b = pairs.pop()
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            if _typed_keys(a) != _typed_keys(b):
                return False
            pairs.extend((a[k], b[k]) for k in a)
        elif isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                return False
            pairs.extend(zip(a, b, strict=True))
        elif type(a) is not type(b):
            return False
        elif isinstance(a, float):
            if repr(a) != repr(b):
                return False
        elif a != b:
            return False
    return True


def _round_trip(previous: str, data: Mapping[str, Any], path: Path) -> str | None:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    editor = YAML(typ="rt")
    editor.preserve_quotes = True
    editor.width = 4096  # never fold a line the person wrote on one line
    editor.indent(mapping=2, sequence=4, offset=2)
    try:
        # The previous text goes through actes' guarded reader first (alias bomb, depth...).
        parse_document(previous, str(path))
    except ActesError:
        return None
    try:
        tree = editor.load(previous)
        if not isinstance(tree, Mapping):
            return None
        merged = _merge(tree, data)
        buffer = io.StringIO()
        editor.dump(merged, buffer)
    except (YAMLError, ValueError, TypeError):
        return None
    text = buffer.getvalue()
    return text if _reads_back(text, data, path) else None


def _merge(old: Any, new: Any) -> Any:
    """``new``, reusing the nodes of ``old`` (and their comments) wherever they are equal."""
    if isinstance(old, dict) and isinstance(new, Mapping):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = _merge(old[key], value) if key in old else value
        return old
    if isinstance(old, list) and isinstance(new, list):
        del old[len(new) :]
        for index, value in enumerate(new):
            if index < len(old):
                old[index] = _merge(old[index], value)
            else:
                old.append(value)
        return old
    return old if _same_scalar(old, new) else new


def _same_scalar(old: Any, new: Any) -> bool:
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        return False
    if isinstance(old, dt.date) and isinstance(new, str):
        # An unquoted date in the old text: actes reads it as this very string.
        return old.isoformat() == new
    # bool is an int: True must not stand for 1, nor the string "1" for the number 1.
    numbers = (int, float)
    comparable = (
        type(old) is type(new)
        or (isinstance(old, str) and isinstance(new, str))
        or (
            isinstance(old, numbers)
            and isinstance(new, numbers)
            and not isinstance(old, bool)
            and not isinstance(new, bool)
        )
    )
    return comparable and old == new


def _typed_keys(mapping: Mapping[Any, Any]) -> set[tuple[str, str]]:
    return {(type(key).__name__, repr(key)) for key in mapping}


class _Missing:
    """A key absent from one version."""

    def __repr__(self) -> str:
        return "<absent>"


_MISSING: Any = _Missing()


def merge_versions(
    base: Any, mine: Mapping[str, Any], theirs: Mapping[str, Any]
) -> tuple[dict[str, Any], list[tuple[str, Any, Any]]]:
    """Three-way merge of case data: ``mine`` (the refused save) reapplied onto ``theirs``
    (the file now), both edited from ``base`` (``None`` when unknown).

    A value changed on one side only takes that side; changed on both sides to different
    values, it takes ``mine`` and is listed as a clash ``(json_path, mine, theirs)`` (absent
    values as ``None``). Lists are merged item by item when they have the same length, or
    when one side only appended items (a pièce uploaded meanwhile).
    """
    clashes: list[tuple[str, Any, Any]] = []
    merged = _merge3(base if base is not None else {}, mine, theirs, "$", clashes)
    return (dict(merged) if isinstance(merged, Mapping) else dict(mine)), clashes


def _merge3(base: Any, mine: Any, theirs: Any, path: str, clashes: list[Any]) -> Any:
    if identical(mine, theirs) or identical(theirs, base):
        return mine
    if identical(mine, base):
        return theirs
    if all(isinstance(v, Mapping) for v in (mine, theirs)):
        old = base if isinstance(base, Mapping) else {}
        out: dict[str, Any] = {}
        for key in [*theirs, *(k for k in mine if k not in theirs)]:
            value = _merge3(
                old.get(key, _MISSING),
                mine.get(key, _MISSING),
                theirs.get(key, _MISSING),
                f"{path}.{key}",
                clashes,
            )
            if value is not _MISSING:
                out[key] = value
        return out
    if isinstance(mine, list) and isinstance(theirs, list) and isinstance(base, list):
        common = min(len(base), len(mine), len(theirs))
        same_length = len(mine) == len(theirs) == len(base)
        theirs_appended = len(mine) == len(base) <= len(theirs)
        mine_appended = len(theirs) == len(base) <= len(mine)
        if same_length or theirs_appended or mine_appended:
            items = [
                _merge3(base[i], mine[i], theirs[i], f"{path}[{i}]", clashes)
                for i in range(common)
            ]
            return [*items, *theirs[common:], *mine[common:]]
    clashes.append(
        (path, None if mine is _MISSING else mine, None if theirs is _MISSING else theirs)
    )
    return mine

"""Writing a case file back after an edit in the web page, keeping what a person wrote.

A YAML case file edited by hand carries comments, flow-style addresses (``{ligne1: ...}``),
quoted dates and a key order. When the previous text is given, the new data is merged into
its round-trip tree (``ruamel.yaml``): unchanged values keep their text, comments and style,
changed ones are replaced, removed ones go, new ones are added at the end of their mapping.
The result is read back with actes' own loader and must give exactly the new data;
otherwise (or if the old text cannot be read) the file is written afresh with PyYAML, as
before, without its comments.
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
from actes.errors import ActesError

__all__ = ["dump_case"]


def dump_case(data: Mapping[str, Any], path: Path, previous: str | None = None) -> str:
    """The text of a case file: JSON for ``.json``, YAML otherwise (key order kept).

    ``previous``: the file's current text; its comments and layout are kept where the data
    did not change.
    """
    if path.suffix == ".json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if previous is not None:
        kept = _round_trip(previous, data, path)
        if kept is not None:
            return kept
    return yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False, width=99)


def _round_trip(previous: str, data: Mapping[str, Any], path: Path) -> str | None:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    editor = YAML(typ="rt")
    editor.preserve_quotes = True
    editor.width = 4096  # never fold a line the person wrote on one line
    editor.indent(mapping=2, sequence=4, offset=2)
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
    try:
        same = parse_document(text, str(path)) == data
    except ActesError:
        same = False
    return text if same else None


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

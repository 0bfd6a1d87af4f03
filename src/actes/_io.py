"""Reading YAML/JSON documents with precise syntax errors, and atomic writes."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import yaml

from actes.errors import DataIssue, DefinitionError, InputError

__all__ = ["atomic_open", "atomic_write", "load_document", "parse_document"]


# libyaml's parser when the wheel has it: case files are read by the thousand in batches.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe YAML loader that rejects duplicate keys and keeps dates as ISO strings.

    Dates stay strings so that the JSON Schema ``format: date`` check and the JSON form of
    a case agree; the case model converts them to ``datetime.date`` afterwards.
    """


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(None, None, f"clé « {key} » en double", mark)
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_document(text: str, name: str, *, definition: bool = False) -> Any:
    """Parse YAML or JSON text; a syntax error names the line and column."""
    error_class = DefinitionError if definition else InputError
    if name.endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise error_class(
                f"{name} n'est pas un JSON valide.",
                issues=[
                    DataIssue(
                        "",
                        exc.msg,
                        "corrigez la syntaxe JSON à cet endroit",
                        file=name,
                        line=exc.lineno,
                        column=exc.colno,
                    )
                ],
            ) from None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - _StrictLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise error_class(
            f"{name} n'est pas un YAML valide.",
            issues=[
                DataIssue(
                    "",
                    str(exc.problem or exc.context or "syntaxe invalide"),
                    "corrigez la syntaxe YAML à cet endroit",
                    file=name,
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                )
            ],
        ) from None
    except yaml.YAMLError as exc:
        raise error_class(f"{name} n'est pas un YAML valide : {exc}") from None


def load_document(path: Path, *, definition: bool = False) -> Any:
    """Read a YAML or JSON file (UTF-8, BOM accepted)."""
    error_class = DefinitionError if definition else InputError
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error_class(
            f"Fichier introuvable : {path}", hint="vérifiez le chemin indiqué"
        ) from None
    except IsADirectoryError:
        raise error_class(f"{path} est un dossier, un fichier était attendu.") from None
    except OSError as exc:
        raise error_class(f"Lecture impossible de {path} : {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error_class(
            f"{path} n'est pas encodé en UTF-8 (octet invalide à la position {exc.start}).",
            hint="enregistrez le fichier en UTF-8",
        ) from None
    return parse_document(text, str(path), definition=definition)


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "wb", *, durable: bool = True) -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path``; rename it over ``path`` only on success.

    A reader, or a run killed at any moment, sees the old file, the new one or none, never
    half of one. With ``durable`` (the default) the data is also forced to disk (fsync)
    before the rename, so that a power cut cannot leave an empty file under the final name;
    :mod:`actes.batch` passes ``durable=False`` and checks each file's SHA-256 on resume
    instead (an fsync per document cost more than rendering it).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        # mkstemp makes the file private (0600); give it the mode open() would have given.
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def atomic_write(path: Path, data: bytes | str, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, then rename)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with atomic_open(path, "wb", durable=durable) as handle:
        handle.write(data)

"""Reading YAML/JSON documents with precise syntax errors, and atomic writes.

Case files come from anywhere (a colleague, a client's export, a web form), so reading them
is guarded (docs/case-format.md, "Text and numbers"):

* only regular files are read (never a pipe or a device), at most :data:`MAX_DOCUMENT_BYTES`;
* a document may nest at most :data:`MAX_DEPTH` levels; YAML aliases are bounded (at most
  :data:`MAX_ALIASES` of them, adding at most :data:`MAX_ALIAS_NODES` values) and may not
  make a structure contain itself, so that a few hundred bytes cannot expand into billions
  of values ("billion laughs");
* numbers are read exactly or refused: in a case file, ``.nan``, ``.inf`` (JSON ``NaN``,
  ``Infinity``), numbers longer than :data:`MAX_NUMBER_CHARS` characters, numbers a binary
  float cannot hold exactly (``12.3400000000000001``) and YAML 1.1's octal, hexadecimal,
  binary, sexagesimal and ``_``-separated forms (``0100`` is 64 to YAML) are refused with
  their line; JSON objects may not repeat a key (YAML mappings never could);
* raw U+0085, U+2028 and U+2029 are refused in YAML text: YAML reads them as line breaks.

Every refusal is an :class:`InputError` (:class:`DefinitionError` for shipped definitions)
with a French message, never another exception.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import math
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

import yaml

from actes._yaml_fr import translate_yaml_problem
from actes.errors import DataIssue, DefinitionError, InputError, OutputProblem

__all__ = [
    "MAX_ALIASES",
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_NUMBER_CHARS",
    "atomic_open",
    "atomic_write",
    "decode_input",
    "exclusive_flock",
    "load_document",
    "parse_document",
    "read_input",
    "structure_problem",
]

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
"""Largest case file (or definition) read, in bytes: a case file is a few kilobytes."""

MAX_DEPTH = 40
"""Deepest nesting of a document (a case file nests about six levels)."""

MAX_ALIASES = 100
"""Most YAML aliases (``*nom``) in one document."""

MAX_ALIAS_NODES = 10_000
"""Most values the aliases of one document may add once expanded."""

MAX_NUMBER_CHARS = 40
"""Longest number literal read (an amount has at most 15 digits before the point)."""

# Depth up to which libyaml's composer (recursive C code) is known to be safe; documents
# that might nest deeper are first measured with the parser's events (no recursion).
_SAFE_COMPOSE_DEPTH = 1000

# libyaml's parser when the wheel has it: case files are read by the thousand in batches.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe YAML loader that rejects duplicate keys and keeps dates as ISO strings.

    Dates stay strings so that the JSON Schema ``format: date`` check and the JSON form of
    a case agree; the case model converts them to ``datetime.date`` afterwards.
    """


class _CaseLoader(_StrictLoader):
    """The loader of case files: numbers are read exactly or refused (see module docstring)."""


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


class _NumberRefused(ValueError):
    """A number literal that is not read (the message says why and what to write)."""

    def __init__(self, message: str, literal: str = "") -> None:
        super().__init__(message)
        self.literal = literal


class _ValueRefused(yaml.constructor.ConstructorError):
    """A YAML value or structure that is readable but refused (not a syntax error)."""


_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_QUOTE_IT = 'écrivez-le entre guillemets (exemple : « "1234.56" ») ou en chiffres décimaux simples'


def _shown(text: str) -> str:
    return text if len(text) <= 30 else text[:30] + "…"


def _check_length(text: str) -> None:
    if len(text) > MAX_NUMBER_CHARS:
        raise _NumberRefused(
            f"nombre de {len(text)} caractères « {_shown(text)} » : trop long "
            f"(au plus {MAX_NUMBER_CHARS})",
            text,
        )


def _exact_int(text: str) -> int:
    _check_length(text)
    return int(text)


def _exact_float(text: str) -> float:
    """The float whose shortest writing has exactly the value written, else refused."""
    _check_length(text)
    try:
        exact = Decimal(text)
        value = float(text)
    except (InvalidOperation, ValueError):
        raise _NumberRefused(f"nombre illisible « {_shown(text)} »", text) from None
    if not math.isfinite(value) or not exact.is_finite():
        raise _NumberRefused(f"« {_shown(text)} » n'est pas un nombre fini", text)
    if Decimal(repr(value)) != exact:
        raise _NumberRefused(
            f"le nombre « {_shown(text)} » ne peut pas être lu exactement (trop de chiffres "
            "significatifs) : " + _QUOTE_IT,
            text,
        )
    return value


def _not_a_number(text: str) -> float:
    raise _NumberRefused(
        f"valeur non numérique « {text} » : un nombre fini est attendu (NaN et l'infini "
        "ne sont pas des montants)",
        text,
    )


def _yaml_number(kind: str) -> Callable[[_StrictLoader, yaml.ScalarNode], Any]:
    def construct(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
        text = str(node.value)
        try:
            if kind == "float" and text.lower().lstrip("+-") in (".nan", ".inf"):
                _not_a_number(text)
            if (kind == "int" and not _PLAIN_INT.fullmatch(text)) or "_" in text or ":" in text:
                raise _NumberRefused(
                    f"nombre « {_shown(text)} » ambigu : YAML le lit en base 8, 16, 2 ou 60, "
                    "ou sans ses « _ » ; " + _QUOTE_IT
                )
            return _exact_int(text) if kind == "int" else _exact_float(text)
        except _NumberRefused as refused:
            raise _ValueRefused(None, None, str(refused), node.start_mark) from None

    return construct


_CaseLoader.add_constructor("tag:yaml.org,2002:int", _yaml_number("int"))
_CaseLoader.add_constructor("tag:yaml.org,2002:float", _yaml_number("float"))


# --------------------------------------------------------------------------- structure


def structure_problem(
    root: Any, children: Callable[[Any], list[Any] | None] | None = None
) -> tuple[str, Any] | None:
    """Why a document's structure is refused (with the node at fault), or ``None``.

    Refused: more than :data:`MAX_DEPTH` levels, a value containing itself, more than
    :data:`MAX_ALIASES` shared values (YAML aliases) or sharing that adds more than
    :data:`MAX_ALIAS_NODES` values once expanded. ``children`` lists a container's children
    and gives ``None`` for a scalar (default: dicts and lists, i.e. parsed data). Iterative:
    any depth is measured without recursion.
    """
    walk = children or _data_children
    # A plain depth-first walk first; shared parts are rare and then measured exactly.
    stack: list[tuple[Any, int]] = [(root, 1)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        kids = walk(node)
        if kids is None:
            continue
        if depth > MAX_DEPTH:
            return (f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)", node)
        if id(node) in seen:
            return _sharing_problem(root, walk)
        seen.add(id(node))
        stack.extend((kid, depth + 1) for kid in kids)
    return None


def _data_children(value: Any) -> list[Any] | None:
    if isinstance(value, dict):
        return list(value.values())  # keys are hashable: never a dict or a list
    if isinstance(value, list):
        return value
    return None


def _node_children(node: Any) -> list[Any] | None:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return None


def _sharing_problem(root: Any, walk: Callable[[Any], list[Any] | None]) -> tuple[str, Any] | None:
    """Exact measure of a structure with shared parts: cycles, aliases, expanded size."""
    active, done = 1, 2
    state: dict[int, int] = {}
    size: dict[int, int] = {}  # values below a container once aliases are expanded
    height: dict[int, int] = {}
    physical = 0
    aliases = 0
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        kids = walk(node)
        if kids is None:
            continue
        key = id(node)
        if leaving:
            inner = [kid for kid in kids if walk(kid) is not None]
            size[key] = len(kids) + sum(size[id(kid)] for kid in inner)
            height[key] = 1 + max((height[id(kid)] for kid in inner), default=0)
            state[key] = done
            continue
        seen = state.get(key)
        if seen == active:
            return ("structure qui se contient elle-même (alias YAML vers un parent)", node)
        if seen == done:
            aliases += 1
            if aliases > MAX_ALIASES:
                return (f"plus de {MAX_ALIASES} alias YAML (« *nom »)", node)
            continue
        state[key] = active
        physical += len(kids)
        stack.append((node, True))
        stack.extend((kid, False) for kid in kids)
    if height[id(root)] > MAX_DEPTH:
        return (f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)", root)
    if size[id(root)] - physical > MAX_ALIAS_NODES:
        return (
            "les alias YAML (« *nom ») multiplient le document au-delà de "
            f"{MAX_ALIAS_NODES} valeurs supplémentaires",
            root,
        )
    return None


# --------------------------------------------------------------------------- parsing


_YAML_BREAKS = re.compile("[\u0085\u2028\u2029]")
_BREAK_NAMES = {"\u0085": "U+0085 (NEL)", "\u2028": "U+2028", "\u2029": "U+2029"}


def _line_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _refusal(
    error_class: type[InputError] | type[DefinitionError],
    name: str,
    kind: str,
    message: str,
    hint: str,
    line: int | None = None,
    column: int | None = None,
) -> InputError | DefinitionError:
    return error_class(
        f"{name} n'est pas un {kind} valide.",
        issues=[DataIssue("", message, hint, file=name, line=line, column=column)],
    )


def parse_document(text: str, name: str, *, definition: bool = False) -> Any:
    """Parse YAML or JSON text; a syntax error names the line and column."""
    error_class = DefinitionError if definition else InputError
    if name.endswith(".json"):
        return _parse_json(text, name, error_class)
    return _parse_yaml(text, name, error_class, definition)


def _parse_json(
    text: str, name: str, error_class: type[InputError] | type[DefinitionError]
) -> Any:
    try:
        data = json.loads(
            text,
            parse_int=_exact_int,
            parse_float=_exact_float,
            parse_constant=_not_a_number,
            object_pairs_hook=_json_object,
        )
    except json.JSONDecodeError as exc:
        raise _refusal(
            error_class,
            name,
            "JSON",
            exc.msg,
            "corrigez la syntaxe JSON à cet endroit",
            exc.lineno,
            exc.colno,
        ) from None
    except _NumberRefused as exc:
        where = text.find(exc.literal) if exc.literal else -1
        line, column = _line_column(text, where) if where >= 0 else (None, None)
        raise _refusal(
            error_class, name, "JSON", str(exc), "corrigez cette valeur", line, column
        ) from None
    except RecursionError:
        raise _refusal(
            error_class,
            name,
            "JSON",
            f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)",
            "un dossier n'imbrique que quelques niveaux d'objets et de listes",
        ) from None
    problem = structure_problem(data)
    if problem is not None:
        raise _refusal(
            error_class,
            name,
            "JSON",
            problem[0],
            "un dossier n'imbrique que quelques niveaux d'objets et de listes",
        )
    return data


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _NumberRefused(f"clé « {_shown(key)} » en double", f'"{key}"')
            seen.add(key)
    return result


def _parse_yaml(
    text: str,
    name: str,
    error_class: type[InputError] | type[DefinitionError],
    definition: bool,
) -> Any:
    loader_class = _StrictLoader if definition else _CaseLoader
    hint = "corrigez la syntaxe YAML à cet endroit"
    found = _YAML_BREAKS.search(text)
    if found is not None:
        raise _refusal(
            error_class,
            name,
            "YAML",
            f"caractère {_BREAK_NAMES[found.group()]} : YAML le lit comme un saut de ligne",
            "supprimez-le (ou écrivez la valeur entre guillemets avec « \\N », « \\L » "
            "ou « \\P » si ce caractère est voulu)",
            *_line_column(text, found.start()),
        )
    try:
        if _depth_bound(text) > _SAFE_COMPOSE_DEPTH:
            _measure_depth(text, loader_class)
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            if "*" in text:  # aliases: measured before construction expands them
                problem = structure_problem(node, _node_children)
                if problem is not None:
                    message, at = problem
                    raise _ValueRefused(None, None, message, _mark_of(at))
            data = loader.construct_document(node)
        finally:
            loader.dispose()
        # Without aliases the data is a tree as deep as the text: measured on the data.
        problem = None if "*" in text else structure_problem(data)
        if problem is not None:
            raise _refusal(error_class, name, "YAML", problem[0], "corrigez cette valeur")
        return data
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if isinstance(exc, _ValueRefused):
            hint = "corrigez cette valeur"
        raise _refusal(
            error_class,
            name,
            "YAML",
            translate_yaml_problem(str(exc.problem or exc.context or "syntaxe invalide"))
            if not isinstance(exc, _ValueRefused)
            else str(exc.problem),
            hint,
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        reason = translate_yaml_problem(str(getattr(exc, "problem", None) or exc))
        raise error_class(f"{name} n'est pas un YAML valide : {reason}") from None


def _mark_of(node: Any) -> Any:
    return getattr(node, "start_mark", None)


def _depth_bound(text: str) -> int:
    """An upper bound of the document's nesting: a block collection nested in another
    starts at least one column further right (two levels per column at most), a flow
    collection opens a bracket (and may hold one implicit mapping)."""
    widest = max((len(line) for line in text.splitlines()), default=0)
    return 2 * (widest + 2) + 2 * (text.count("[") + text.count("{"))


def _measure_depth(text: str, loader_class: type[yaml.SafeLoader]) -> None:
    """Refuse a document nesting deeper than :data:`MAX_DEPTH`, from the parser's events
    (libyaml's composer recurses once per level and would overflow the C stack)."""
    depth = 0
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    for event in yaml.parse(text, Loader=loader_class):
        if isinstance(event, starts):
            depth += 1
            if depth >= MAX_DEPTH:
                raise _ValueRefused(
                    None,
                    None,
                    f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)",
                    _mark_of(event),
                )
        elif isinstance(event, ends):
            depth -= 1


def read_input(path: Path, *, definition: bool = False) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_DOCUMENT_BYTES` bytes.

    A named pipe, a device (``/dev/zero``), a socket or a folder is refused without being
    read (opening does not wait for a pipe's writer).
    """
    error_class = DefinitionError if definition else InputError
    limit = MAX_DOCUMENT_BYTES
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error_class(
            f"Fichier introuvable : {path}", hint="vérifiez le chemin indiqué"
        ) from None
    except IsADirectoryError:
        raise error_class(f"{path} est un dossier, un fichier était attendu.") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "chemin invalide"
        raise error_class(f"Lecture impossible de {path} : {reason}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise error_class(f"{path} est un dossier, un fichier était attendu.")
        if not stat.S_ISREG(info.st_mode):
            raise error_class(
                f"{path} n'est pas un fichier ordinaire (tube, périphérique ou socket) : "
                "il n'est pas lu.",
                hint="indiquez le fichier du dossier lui-même",
            )
        too_big = error_class(
            f"{path} est trop volumineux : {limit // (1024 * 1024)} Mo au plus pour un "
            "fichier de dossier.",
            hint="un dossier ne fait que quelques kilo-octets : vérifiez qu'il s'agit du bon "
            "fichier (les pièces sont des fichiers à part)",
        )
        if info.st_size > limit:
            raise too_big
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise too_big
        return b"".join(chunks)
    except OSError as exc:
        raise error_class(f"Lecture impossible de {path} : {exc.strerror}") from None
    finally:
        os.close(fd)


def decode_input(raw: bytes, path: Path | str, *, definition: bool = False) -> str:
    """UTF-8 text (BOM accepted) of bytes read by :func:`read_input`."""
    error_class = DefinitionError if definition else InputError
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error_class(
            f"{path} n'est pas encodé en UTF-8 (octet invalide à la position {exc.start}).",
            hint="enregistrez le fichier en UTF-8",
        ) from None


def load_document(path: Path, *, definition: bool = False) -> Any:
    """Read a YAML or JSON file (UTF-8, BOM accepted)."""
    raw = read_input(path, definition=definition)
    text = decode_input(raw, path, definition=definition)
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
    :mod:`actes.portfolio.batch` passes ``durable=False`` and checks each file's SHA-256 on resume
    instead (an fsync per document cost more than rendering it).
    """
    _check_output_target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputProblem.from_os_error(path, exc) from None
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
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        if isinstance(exc, OSError) and not isinstance(exc, OutputProblem):
            raise OutputProblem.from_os_error(path, exc) from None
        raise


def _check_output_target(path: Path) -> None:
    """Refuse to replace a folder or a special file (``/dev/null``, a pipe): renaming over
    it would destroy it (run as root, ``-o /dev/null`` would replace the device)."""
    try:
        info = path.lstat()
    except OSError:
        return  # absent (the usual case) or unreachable: the write itself will tell
    if stat.S_ISDIR(info.st_mode):
        raise OutputProblem(
            f"{path} est un dossier : un fichier était attendu ; rien n'a été écrit.",
            hint="indiquez un nom de fichier (le dossier n'est pas remplacé)",
        )
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
        raise OutputProblem(
            f"{path} n'est pas un fichier ordinaire (périphérique, tube ou socket) : il n'est "
            "pas remplacé ; rien n'a été écrit.",
            hint="indiquez un nom de fichier ordinaire",
        )


def atomic_write(path: Path, data: bytes | str, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, then rename)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with atomic_open(path, "wb", durable=durable) as handle:
        handle.write(data)


@contextlib.contextmanager
def exclusive_flock(fd: int, timeout: float, timed_out: Callable[[], Exception]) -> Iterator[None]:
    """Hold ``flock(LOCK_EX)`` on the open file ``fd``, waiting at most ``timeout`` seconds
    (short sleeps that grow to 50 ms), else raise ``timed_out()``."""
    deadline = time.monotonic() + timeout
    pause = 0.001
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
        if time.monotonic() >= deadline:
            raise timed_out()
        time.sleep(pause)
        pause = min(pause * 2, 0.05)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)

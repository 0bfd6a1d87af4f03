"""Checks remembered between runs, in the user's cache folder.

A remembered item is the success of a check whose result depends only on the files named by
its key (the key holds their SHA-256 or their size and time of change): a changed file gives a
new key and the check runs again. The cache is an optimisation only: an unreadable or
unwritable folder means the check runs every time, never an error. ``ACTES_CACHE_DIR``
chooses the folder (default ``$XDG_CACHE_HOME/actes``, else ``~/.cache/actes``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from actes._io import atomic_write
from actes.errors import ActesError

__all__ = ["cache_dir", "remember", "remembered"]


def cache_dir() -> Path:
    override = os.environ.get("ACTES_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "actes"


def _file(name: str, key: str) -> Path:
    return cache_dir() / f"{name}-{key}.json"


def remembered(name: str, key: str) -> frozenset[str]:
    """The items recorded under ``name`` and ``key`` (none when absent or unreadable)."""
    try:
        items = json.loads(_file(name, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    return frozenset(str(item) for item in items) if isinstance(items, list) else frozenset()


def remember(name: str, key: str, item: str) -> None:
    """Record ``item`` under ``name`` and ``key``; silently nothing if it cannot be written
    (two processes recording at once may drop one item: it is checked again next time)."""
    items = remembered(name, key) | {item}
    try:
        cache_dir().mkdir(parents=True, exist_ok=True)
        atomic_write(_file(name, key), json.dumps(sorted(items)), durable=False)
    except (OSError, ActesError):
        pass

"""Record the released procedure versions in ``procedures/RELEASED.sha256``.

A released version is the law as it stood: it is never edited again. The checksum ignores
the ``valid_until`` line, the one change allowed when a newer version is added after it.
``tests/test_procedures.py::test_released_versions_are_unchanged`` checks every listed file.
Run: ``python tools/release_procedures.py`` (adds new versions, never rewrites listed ones).
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "procedures" / "RELEASED.sha256"
_VALID_UNTIL = re.compile(r"^valid_until:.*\n", re.MULTILINE)


def fingerprint(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return hashlib.sha256(_VALID_UNTIL.sub("", text).encode("utf-8")).hexdigest()


def read_lock() -> dict[str, str]:
    if not LOCK.exists():
        return {}
    rows = (
        line.split("  ", 1)
        for line in LOCK.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    return {name.strip(): digest for digest, name in rows}


def main() -> int:
    known = read_lock()
    for path in sorted((ROOT / "procedures").glob("*/[0-9]*.yaml")):
        name = path.relative_to(ROOT / "procedures").as_posix()
        known.setdefault(name, fingerprint(path))
    lines = ["# Released procedure versions: SHA-256 of each file without its valid_until line."]
    lines += [f"{digest}  {name}" for name, digest in sorted(known.items())]
    LOCK.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(known)} versions enregistrées dans {LOCK}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

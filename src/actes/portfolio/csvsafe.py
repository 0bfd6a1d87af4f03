"""CSV cells that a spreadsheet shows as text, never runs as a formula.

Every CSV actes writes for a spreadsheet (``errors.csv`` and ``manifest.csv`` of a batch,
``actes plan status --csv``) passes its cells through :func:`safe_cell`. A value copied from
a case or a portfolio (a debtor's name, a reference, an error message quoting a value) may
start with ``=``, ``+``, ``-`` or ``@``: Excel and LibreOffice would read ``=HYPERLINK(…)``
or ``=1+1`` as a formula ("CSV injection"). The rule (OWASP's advice), documented in
docs/portfolio-csv.md:

* a cell whose first character is ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
  written with an apostrophe in front (``'=1+1``), which a spreadsheet shows as the text
  ``=1+1``;
* except a cell that is exactly a plain decimal number (``-12.50``, ``+3``, ``-0,5``): a
  spreadsheet reads it as a number, never as a formula, so a negative amount stays a number.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

__all__ = ["FORMULA_STARTS", "SafeWriter", "safe_cell", "safe_row", "safe_rows"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (or hide its start)."""

_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def safe_cell(value: Any) -> str:
    """``value`` as the text of a CSV cell, neutralised if a spreadsheet would run it."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[str]:
    return [safe_cell(value) for value in row]


def safe_rows(rows: Iterable[Sequence[Any]]) -> Iterable[list[str]]:
    return (safe_row(row) for row in rows)


class SafeWriter:
    """A :func:`csv.writer` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, handle: IO[str], **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        self._writer.writerows(safe_rows(rows))

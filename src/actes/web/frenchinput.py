"""What a French legal assistant types, read into the case format's values.

« 1 250,50 » is the amount ``1250.50``, « 380 129 866 » the SIREN ``380129866``, « France »
the country ``FR``, « 15/05/2026 » the date ``2026-05-15`` (an IBAN with spaces is valid as
typed and kept so). Each reader returns the normalised
value, or ``None`` when the text is not an unambiguous instance of what it reads: the value
then stays as typed and the schema reports it at its field. Nothing is ever guessed: a
two-digit year, « 1.250 » (a thousand and a quarter, or one and a quarter?) or a day that
does not exist are not read.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache

__all__ = [
    "DATE_HINT",
    "country_code",
    "read_amount",
    "read_date",
    "read_digits",
    "show_date",
    "two_digit_year",
]

DATE_HINT = "JJ/MM/AAAA"

# Thin, no-break and ordinary spaces group thousands in French.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
_GROUPED = re.compile(r"-?\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+")
_PLAIN = re.compile(r"-?\d+")
_DOTTED = re.compile(r"-?\d{1,3}(?:\.\d{3})+")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_SHORT_YEAR = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_amount(text: str) -> str | None:
    """« 1 250,50 », « 1250,5 », « 1.250,50 », « 1 250.50 » → ``1250.50`` (the decimals as
    typed); ``None`` for anything else, including an amount already written the case format's
    way (nothing to change) and « 1.250 » (ambiguous)."""
    value = text.strip().removesuffix("€").removesuffix("EUR").strip()
    whole, comma, decimals = value.rpartition(",") if "," in value else (value, "", "")
    if comma:
        if not decimals.isdigit() or not decimals.isascii():
            return None
        if not (_GROUPED.fullmatch(whole) or _PLAIN.fullmatch(whole) or _DOTTED.fullmatch(whole)):
            return None
        result = f"{re.sub(r'[^0-9-]', '', whole)}.{decimals}"
    else:
        head, dot, tail = value.partition(".")
        if not _GROUPED.fullmatch(head) or (dot and not (tail.isdigit() and tail.isascii())):
            return None
        result = _SPACES.sub("", head) + (f".{tail}" if dot else "")
    return result if result != text else None


def read_digits(text: str) -> str | None:
    """« 380 129 866 » → ``380129866``: digits separated by spaces (or dots, as printed on
    some letterheads); ``None`` when there is nothing to change or other characters."""
    compact = re.sub(r"[\s.\u202f]", "", text)
    return compact if compact.isdigit() and compact.isascii() and compact != text else None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", kept).split())


@cache
def _countries() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    for language in ("en", "fr"):  # French last: its names win
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names[_fold(name)] = code
    return names


def country_code(text: str) -> str | None:
    """« France », « france », « Allemagne », « Germany », « fr » → the ISO code; ``None``
    when already a code or not a country name (Unicode CLDR names, from Babel)."""
    value = text.strip()
    if re.fullmatch(r"[a-zA-Z]{2}", value):
        return value.upper() if value != value.upper() else None
    return _countries().get(_fold(value))


def read_date(text: str) -> str | None:
    """« 15/05/2026 », « 15.05.2026 », « 5-5-2026 » → ``2026-05-15`` (day first, always);
    ``None`` for an ISO date (nothing to change), a date that does not exist or any other
    text."""
    match = _DAY_FIRST.fullmatch(text.strip())
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def two_digit_year(text: str) -> bool:
    """Whether ``text`` is a day-first date with a two-digit year (« 15/05/26 »): refused,
    never read as year 26 nor guessed as 2026."""
    return bool(_SHORT_YEAR.fullmatch(text.strip()))


def show_date(value: str) -> str:
    """An ISO date as the form shows it (``2026-05-15`` → « 15/05/2026 »); any other text as
    it is."""
    if _ISO.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
    return value

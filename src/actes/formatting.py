"""French formatting of dates, amounts and rates for printed documents (Babel ``fr_FR``).

Every function is also a Jinja filter (see :data:`FILTERS`) so that a template may format a raw
value itself, although the render context already carries formatted strings. Babel's own
spacing is kept on purpose: a narrow no-break space (U+202F) groups thousands and a no-break
space (U+00A0) precedes the currency sign and the percent sign, so that an amount is never
split across two lines of a letter.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, get_currency_precision
from num2words import num2words

__all__ = [
    "FILTERS",
    "LOCALE",
    "amount_in_words",
    "format_amount",
    "format_date_long",
    "format_date_short",
    "format_rate",
]

LOCALE = "fr_FR"
_CENT = Decimal("0.01")


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _as_decimal(value: Decimal | int | str) -> Decimal:
    # Floats are refused: an amount that went through binary floating point is not exact.
    if isinstance(value, float):
        raise TypeError("un montant doit être un Decimal, un entier ou une chaîne, pas un float")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_date_long(value: dt.date | str) -> str:
    """« 24 novembre 2026 »; the first day of a month is written « 1er » as French usage wants."""
    return _date_long(_as_date(value))


# Documents repeat the same dates and amounts many times and batches render thousands of them:
# babel's formatting is memoised (pure functions of hashable values).
@functools.lru_cache(maxsize=8192)
def _date_long(day: dt.date) -> str:
    text = format_date(day, "d MMMM y", locale=LOCALE)
    if day.day == 1:
        text = "1er" + text[1:]
    return text


def format_date_short(value: dt.date | str) -> str:
    """« 24/11/2026 », for the columns of a table."""
    return format_date(_as_date(value), "dd/MM/y", locale=LOCALE)


def format_amount(value: Decimal | int | str, currency: str = "EUR") -> str:
    """« 1 234,56 € » (narrow no-break space between thousands, no-break space before €)."""
    amount = _as_decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)
    return _currency(amount, currency)


@functools.lru_cache(maxsize=8192)
def _currency(amount: Decimal, currency: str) -> str:
    layout = _currency_layout(currency)
    if layout is None or amount < 0 or amount >= _FAST_LIMIT:
        return str(format_currency(amount, currency, locale=LOCALE))
    prefix, group, decimal, suffix = layout
    # Python groups by three with "," and uses "." : swap in babel's own symbols.
    digits = f"{amount:,.2f}".replace(",", "\0").replace(".", decimal).replace("\0", group)
    return prefix + digits + suffix


_FAST_LIMIT = Decimal("1e15")


@functools.cache
def _currency_layout(currency: str) -> tuple[str, str, str, str] | None:
    """What babel writes around the digits of a positive amount in ``currency`` (prefix,
    thousands separator, decimal separator, suffix), read from babel's own output for a
    probe amount, so that :func:`_currency` gives babel's text without its per-call cost
    (a third of the time of a letter's context). ``None`` when the layout is not the simple
    grouping by three with two decimals; babel then formats every amount."""
    if get_currency_precision(currency) != 2:
        return None
    probe = str(format_currency(Decimal("1234567.89"), currency, locale=LOCALE))
    found = re.fullmatch(r"(\D*)1(\D+)234(\D+)567(\D+)89(\D*)", probe)
    if found is None or found.group(2) != found.group(3):
        return None
    prefix, group, _, decimal, suffix = found.groups()
    return prefix, group, decimal, suffix


def format_rate(value: Decimal | int | str) -> str:
    """A yearly rate given in percent: ``Decimal("10.15")`` → « 10,15 % » (2 to 4 decimals)."""
    text = format_decimal(_as_decimal(value), format="#,##0.00##", locale=LOCALE)
    return f"{text}\u00a0%"


@functools.lru_cache(maxsize=1024)
def _words(number: int) -> str:
    return str(num2words(number, lang="fr"))


def amount_in_words(value: Decimal | int | str) -> str:
    """The amount in euros written in full, to the exact cent.

    « mille deux cent trente-quatre euros et cinquante-six centimes », « un euro »,
    « zéro euro », « un million d'euros » (French puts « d' » after million and milliard).
    """
    amount = _as_decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)
    sign = "moins " if amount < 0 else ""
    amount = abs(amount)
    euros = int(amount)
    cents = int((amount - euros) * 100)
    words = _words(euros)
    if euros < 2:
        unit = "euro"
    elif words.endswith(("million", "millions", "milliard", "milliards")):
        unit = "d'euros"
    else:
        unit = "euros"
    text = f"{words} {unit}"
    if cents:
        text += f" et {_words(cents)} centime{'s' if cents > 1 else ''}"
    return sign + text


FILTERS: dict[str, Callable[..., Any]] = {
    "date_longue": format_date_long,
    "date_courte": format_date_short,
    "montant": format_amount,
    "taux": format_rate,
    "en_lettres": amount_in_words,
}

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
from markupsafe import Markup, escape
from num2words import num2words

__all__ = [
    "FILTERS",
    "H_ASPIRE",
    "LOCALE",
    "amount_in_words",
    "docx_typography",
    "elide",
    "format_amount",
    "format_amount_whole",
    "format_date_long",
    "format_date_short",
    "format_rate",
    "french_list",
    "typography",
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


def format_amount_whole(value: Decimal | int | str, currency: str = "EUR") -> str:
    """A round amount without its cents (« 50 000 € », for a company's capital), any other
    amount as :func:`format_amount` writes it (« 7 622,45 € »)."""
    amount = _as_decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)
    text = _currency(amount, currency)
    if amount == amount.to_integral_value():
        text = re.sub(r"[,.]00(?=\D*$)", "", text)
    return text


def format_rate(value: Decimal | int | str) -> str:
    """A yearly rate given in percent: ``Decimal("10.15")`` → « 10,15 % » (2 to 4 decimals)."""
    return _format_rate(_as_decimal(value))


@functools.lru_cache(maxsize=1024)
def _format_rate(value: Decimal) -> str:
    # A handful of rates recur in every document of a batch; babel's formatting is slow.
    text = format_decimal(value, format="#,##0.00##", locale=LOCALE)
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


# --------------------------------------------------------------------------- typography

NBSP = "\u00a0"

_BEFORE_PUNCTUATION = re.compile(r"(?<=\S)[ \t]*([;!?:])(?=\s|$|\u00bb)")
_PLAIN_SPACE_BEFORE_PUNCTUATION = re.compile(r"(?<=\S) ([;!?:])")
_OPENING_QUOTE = re.compile(r"\u00ab[ \t\u00a0\u202f]*")
_CLOSING_QUOTE = re.compile(r"[ \t\u00a0\u202f]*\u00bb")
_NUMERO = re.compile(r"\b([nN][°º])[ \t]*(?=\w)")
_GROUPED_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?: \d{3})+(?![\w])")
_UNIT_AFTER_NUMBER = re.compile(r"(?<=\d) ([€%])")
NB_HYPHEN = "\u2011"
# A word holding a digit, an « @ » or a web address: its hyphens must not break a line
# (« L441-10 », « art. 1231-6 », « FA-2026-0142 », « contact@dupont-fils.example »).
_CODE_WORD = re.compile(r"[^\s\u00a0\u202f]*(?:\d|@|www\.|://)[^\s\u00a0\u202f]*")
_HYPHEN_IN_CODE = re.compile(r"(?<=[^\W_])-(?=[^\W_])")


def typography(value: Any) -> Any:
    """French typography for text that comes from data (names, labels, mentions...).

    A no-break space (U+00A0) before « ; ! ? : » when they end a word (not in « 10:30 »,
    « https:// » or « ?x=1 »), inside « », after « n° » and before « € » and « % » after a
    number; groups of thousands written with plain spaces (« 732 829 320 », « 1 500 »)
    are joined with no-break spaces. Groups inside a code (« FR14 2004 … 3M02 606 ») are
    left alone: a group counts only when nothing alphanumeric touches it. The hyphens of a
    word holding a digit, an « @ » or a web address (article numbers « L441-10 », references
    « FA-2026-0142 », e-mail addresses) become no-break hyphens (U+2011, :data:`NB_HYPHEN`);
    those of ordinary words (« Saint-Étienne ») stay breakable. Idempotent; a value that is
    not a string is returned unchanged. In DOCX templates the filter ``typo`` is
    :func:`docx_typography`.
    """
    if not isinstance(value, str) or not value:
        return value
    text = _PLAIN_SPACE_BEFORE_PUNCTUATION.sub(NBSP + r"\1", value)
    text = _BEFORE_PUNCTUATION.sub(lambda m: NBSP + m.group(1), text)
    text = _OPENING_QUOTE.sub("\u00ab" + NBSP, text)
    text = _CLOSING_QUOTE.sub(NBSP + "\u00bb", text)
    text = _NUMERO.sub(lambda m: m.group(1) + NBSP, text)
    text = _GROUPED_NUMBER.sub(lambda m: m.group(0).replace(" ", NBSP), text)
    text = _UNIT_AFTER_NUMBER.sub(NBSP + r"\1", text)
    return _CODE_WORD.sub(lambda m: _HYPHEN_IN_CODE.sub(NB_HYPHEN, m.group(0)), text)


# Word's own no-break hyphen, written between two pieces of the same run's text: python-docx
# and LibreOffice read it back as « - » (a search for « L441-10 » in the text finds it; the PDF
# prints and extracts an ordinary hyphen), and no line is broken there.
_WORD_NB_HYPHEN = Markup('</w:t><w:noBreakHyphen/><w:t xml:space="preserve">')


def docx_typography(value: Any) -> Any:
    """:func:`typography` for a value printed inside a DOCX run (Jinja filter ``typo``): the
    text, XML-escaped, with each no-break hyphen written as Word's ``<w:noBreakHyphen/>``.

    docxtpl places every ``{{ }}`` inside a run's ``<w:t>``, which the markup closes and
    reopens around the hyphen, so the hyphen keeps the run's formatting. A value that is not
    a string is returned unchanged; a string without a code hyphen comes back as plain
    escaped text.
    """
    if type(value) is str:
        # A batch prints the same names, labels and mentions in thousands of documents.
        return _docx_typography_of_text(value)
    text = typography(value)
    if not isinstance(text, str) or NB_HYPHEN not in text:
        return text
    return escape(text).replace(NB_HYPHEN, _WORD_NB_HYPHEN)


@functools.lru_cache(maxsize=8192)
def _docx_typography_of_text(value: str) -> Any:
    text = typography(value)
    if NB_HYPHEN not in text:
        return text
    return escape(text).replace(NB_HYPHEN, _WORD_NB_HYPHEN)


# Words beginning with an « h aspiré » (and a few vowel-initial words that refuse elision):
# « de Hachette », not « d'Hachette ». No rule tells them apart from the mute h of « d'Hôtel
# de Ville »: the list holds the common words and names a company name may start with; add
# one here when a letter prints a wrong « d' ».
H_ASPIRE = frozenset(
    {
        "hache", "hachette", "haie", "haine", "hall", "halle", "halte", "hamac", "hameau",
        "hanche", "handicap", "hangar", "hardi", "hareng", "haricot", "harpe", "hasard",
        "hâte", "haut", "haute", "hauteur", "hauts", "havre", "hérisson", "hernie",
        "héros", "hêtre", "hibou", "hiérarchie", "hockey", "hollande", "homard", "hongrie",
        "honte", "hors", "hotte", "houille", "housse", "hublot", "huit", "huitième",
        "hutte", "onze", "onzième", "oui", "ouistiti", "yacht",
    }
)  # fmt: skip
_VOWELS = frozenset("aeiouàâäéèêëîïôöùûüæœ")
_PREPOSITIONS = {"de": "d'", "que": "qu'", "le": "l'", "la": "l'", "jusque": "jusqu'"}


def _elides(word: str) -> bool:
    """True when French elides a preceding « de », « que », « le »... before ``word``."""
    letters = re.match(r"[^\W\d_]+", word)
    if letters is None:
        return False
    head = letters.group(0)
    lower = head.lower()
    if lower in H_ASPIRE:
        return False
    first = lower[0]
    if head.isupper() and len(head) > 1:
        # An acronym is read letter by letter: « d'EDF », « de HSBC », « de SNCF ».
        return first in "aeiou"
    if first in _VOWELS:
        return True
    if first == "h":
        return len(lower) > 1 and lower[1] in _VOWELS | {"y"}
    if first == "y":
        # « d'Yves », « d'Ypres » (y sounding as i) but « de Yoplait », « de Yann ».
        return len(lower) > 1 and lower[1] not in _VOWELS
    return False


def elide(value: Any, word: str = "de") -> str:
    """``word`` followed by ``value``, elided before a vowel or a mute h.

    ``elide("Éditions Lumière")`` → « d'Éditions Lumière », ``elide("Imprimerie Roux")`` →
    « d'Imprimerie Roux », ``elide("Dupont & Fils")`` → « de Dupont & Fils »,
    ``elide("Hachette Livre")`` → « de Hachette Livre » (h aspiré, :data:`H_ASPIRE`),
    ``elide("Imprimerie Roux", "à l'ordre de")`` → « à l'ordre d'Imprimerie Roux » (the
    last word of ``word`` is the one elided).
    Only elision is made: « de Le Bon Marché » is not contracted to « du Bon Marché », as a
    company's name keeps its article. Jinja filters ``de`` (« de » or « d' ») and
    ``elision`` (``{{ nom|elision('que') }}``).
    """
    text = "" if value is None else str(value)
    before, _, last = word.rpartition(" ")
    if last in _PREPOSITIONS and _elides(text):
        return (before + " " if before else "") + _PREPOSITIONS[last] + text
    return f"{word} {text}" if text else word


def french_list(items: Any) -> str:
    """« a », « a et b », « a, b et c » (Jinja filter ``liste``)."""
    values = [str(item) for item in items if str(item)]
    if len(values) < 2:
        return "".join(values)
    return ", ".join(values[:-1]) + " et " + values[-1]


FILTERS: dict[str, Callable[..., Any]] = {
    "date_longue": format_date_long,
    "date_courte": format_date_short,
    "montant": format_amount,
    "taux": format_rate,
    "en_lettres": amount_in_words,
    "typo": docx_typography,
    "de": elide,
    "elision": elide,
    "liste": french_list,
}

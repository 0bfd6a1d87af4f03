"""French formatting: expected strings written by hand (Babel spacing kept)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actes.documents.formatting import (
    FILTERS,
    amount_in_words,
    format_amount,
    format_date_long,
    format_date_short,
    format_rate,
)
from actes.documents.render import jinja_environment

NNBSP = "\u202f"  # narrow no-break space: thousands separator
NBSP = "\u00a0"  # no-break space: before € and %


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 24), "24 novembre 2026"),
        (dt.date(2026, 12, 1), "1er décembre 2026"),
        (dt.date(2027, 2, 2), "2 février 2027"),
        ("2026-08-01", "1er août 2026"),
    ],
)
def test_format_date_long(day: dt.date | str, expected: str) -> None:
    assert format_date_long(day) == expected


def test_format_date_short() -> None:
    assert format_date_short(dt.date(2026, 7, 2)) == "02/07/2026"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1234.56"), f"1{NNBSP}234,56{NBSP}€"),
        (Decimal("0"), f"0,00{NBSP}€"),
        (Decimal("40"), f"40,00{NBSP}€"),
        (Decimal("1234567.891"), f"1{NNBSP}234{NNBSP}567,89{NBSP}€"),
        (Decimal("0.005"), f"0,01{NBSP}€"),
        ("6388.93", f"6{NNBSP}388,93{NBSP}€"),
    ],
)
def test_format_amount(amount: Decimal | str, expected: str) -> None:
    assert format_amount(amount) == expected


def test_format_amount_refuses_float() -> None:
    with pytest.raises(TypeError):
        format_amount(12.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (Decimal("10.15"), f"10,15{NBSP}%"),
        (Decimal("12.4"), f"12,40{NBSP}%"),
        (Decimal("2.755"), f"2,755{NBSP}%"),
        (Decimal("3"), f"3,00{NBSP}%"),
    ],
)
def test_format_rate(rate: Decimal, expected: str) -> None:
    assert format_rate(rate) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1234.56", "mille deux cent trente-quatre euros et cinquante-six centimes"),
        ("1", "un euro"),
        ("0", "zéro euro"),
        ("2", "deux euros"),
        ("0.01", "zéro euro et un centime"),
        ("80", "quatre-vingts euros"),
        ("21.80", "vingt et un euros et quatre-vingts centimes"),
        ("1000000", "un million d'euros"),
        ("2000000.50", "deux millions d'euros et cinquante centimes"),
        (
            "6388.93",
            "six mille trois cent quatre-vingt-huit euros et quatre-vingt-treize centimes",
        ),
        ("-5", "moins cinq euros"),
    ],
)
def test_amount_in_words(amount: str, expected: str) -> None:
    assert amount_in_words(Decimal(amount)) == expected


def test_filters_in_jinja() -> None:
    env = jinja_environment()
    assert set(FILTERS) <= set(env.filters)
    text = env.from_string("{{ d|date_longue }} : {{ m|montant }} ({{ m|en_lettres }})").render(
        d=dt.date(2026, 12, 1), m=Decimal("1")
    )
    assert text == f"1er décembre 2026 : 1,00{NBSP}€ (un euro)"


@settings(max_examples=500)
@given(
    cents=st.integers(min_value=-(10**17), max_value=10**17),
    currency=st.sampled_from(["EUR", "USD", "GBP", "CHF", "JPY", "XOF"]),
)
def test_format_amount_is_babels_text(cents: int, currency: str) -> None:
    """The memoised fast layout gives, character for character, babel's format_currency."""
    from babel.numbers import format_currency

    amount = Decimal(cents).scaleb(-2)
    assert format_amount(amount, currency) == format_currency(amount, currency, locale="fr_FR")

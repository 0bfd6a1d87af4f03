"""CFONB 120 « relevé de compte » (the French banks' fixed-width statement): a small strict
reader written from the CFONB record layout, since no maintained package reads it.

Records of 120 characters, one per line (CR LF or LF; a file without line breaks is cut every
120 characters): 01 old balance, 04 movement, 05 complement of the movement before it
(qualifier ``LIB`` text, ``NPY`` payer's name, ``RCN`` reference...), 07 new balance. Amounts
are 14 digits whose last one is a letter carrying the sign (``{`` ``A``-``I`` positive 0-9,
``}`` ``J``-``R`` negative 0-9), with the number of decimals in column 20.

Strict: a record of another length or code, a non-numeric or impossible field, a 05 without a
04, two accounts or currencies, or balances that do not add up (old balance + movements ≠ new
balance) refuse the whole file, naming the line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from actes.errors import InputError
from actes.imports.statements import Statement, StatementLine

__all__ = ["decode_amount", "parse_cfonb120"]

_POSITIVE = "{ABCDEFGHI"
_NEGATIVE = "}JKLMNOPQR"
RECORD = 120


def decode_amount(field: str, decimals: int) -> Decimal:
    """The signed amount of a 14-character CFONB amount field."""
    digits, last = field[:-1], field[-1:]
    if len(field) != 14 or not digits.isdigit():
        raise ValueError(f"montant « {field} » : 13 chiffres et une lettre attendus")
    if last in _POSITIVE:
        sign, digit = 1, _POSITIVE.index(last)
    elif last in _NEGATIVE:
        sign, digit = -1, _NEGATIVE.index(last)
    else:
        raise ValueError(f"montant « {field} » : dernier caractère « {last} » inconnu")
    return sign * Decimal(int(digits + str(digit))).scaleb(-decimals)


def _date(text: str) -> dt.date:
    if not text.isdigit():
        raise ValueError(f"date « {text} » illisible (JJMMAA attendu)")
    return dt.date(2000 + int(text[4:6]), int(text[2:4]), int(text[0:2]))


def _records(data: bytes, path: Path) -> list[tuple[int, str]]:
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path} : caractère non ASCII à la position {exc.start} : ce n'est pas un relevé "
            "CFONB 120."
        ) from None
    rows = text.splitlines()
    if len(rows) == 1 and len(rows[0]) > RECORD and len(rows[0]) % RECORD == 0:
        rows = [rows[0][i : i + RECORD] for i in range(0, len(rows[0]), RECORD)]
    return [(n, row) for n, row in enumerate(rows, start=1) if row.strip()]


def parse_cfonb120(data: bytes, path: Path) -> Statement:
    """Every movement (record 04, with its 05 complements) of a CFONB 120 statement."""
    lines: list[StatementLine] = []
    pending: dict[str, object] | None = None
    accounts: set[str] = set()
    currencies: set[str] = set()
    opening: Decimal | None = None
    closing: Decimal | None = None
    total = Decimal(0)

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            lines.append(StatementLine(number=len(lines) + 1, **pending))  # type: ignore[arg-type]
            pending = None

    for number, row in _records(data, path):
        try:
            if len(row) != RECORD:
                raise ValueError(f"{len(row)} caractères au lieu de {RECORD}")
            code = row[0:2]
            if code not in ("01", "04", "05", "07"):
                raise ValueError(f"code d'enregistrement « {code} » inconnu (01, 04, 05, 07)")
            account = f"{row[2:7]} {row[11:16]} {row[21:32]}"
            accounts.add(account)
            currencies.add(row[16:19])
            if not row[19].isdigit():
                raise ValueError(f"nombre de décimales « {row[19]} » illisible")
            decimals = int(row[19])
            if code == "05":
                if pending is None:
                    raise ValueError("complément (05) sans mouvement (04) qui le précède")
                qualifier, info = row[45:48], row[48:118].strip()
                if qualifier == "NPY":
                    pending["counterparty"] = info
                elif info:
                    pending["text"] = f"{pending['text']} {info}".strip()
                continue
            flush()
            amount = decode_amount(row[90:104], decimals)
            day = _date(row[34:40])
            if code == "01":
                opening = amount
            elif code == "07":
                closing = amount
            else:
                total += amount
                label = row[48:79].strip()
                pending = {
                    "where": f"enregistrement 04, ligne {number}",
                    "booked": day,
                    "amount": abs(amount),
                    "credit": amount > 0,
                    "currency": row[16:19],
                    "text": label,
                    "reference": row[104:120].strip(),
                    "counterparty": "",
                }
                _date(row[42:48])  # value date: checked, not used
        except ValueError as exc:
            raise InputError(
                f"{path}, ligne {number} : enregistrement CFONB 120 invalide ({exc}) : rien "
                "n'a été importé.",
                hint="demandez à la banque un nouvel export du relevé",
            ) from None
    flush()
    if opening is None or closing is None:
        raise InputError(
            f"{path} : relevé CFONB 120 incomplet (ancien solde 01 ou nouveau solde 07 absent)."
        )
    if len(accounts) > 1 or len(currencies) > 1:
        raise InputError(
            f"{path} : le relevé mêle plusieurs comptes ou devises : rien n'a été importé.",
            hint="importez un relevé par compte",
        )
    if opening + total != closing:
        raise InputError(
            f"{path} : les soldes ne concordent pas (ancien solde {opening} + mouvements "
            f"{total} ≠ nouveau solde {closing}) : relevé incomplet ou altéré, rien n'a été "
            "importé.",
        )
    return Statement(
        file=path,
        format="cfonb120",
        account=next(iter(accounts)),
        currency=next(iter(currencies)),
        lines=tuple(lines),
    )

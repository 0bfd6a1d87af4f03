"""SWIFT MT940 statements, read with the ``mt-940`` package (WoLpH/mt940, BSD, maintained).

The :86: field's layout differs from bank to bank: its text is kept whole as the remittance
information; the payer's name and IBAN are taken when the bank uses the common structured
form (``?32`` name, ``?31`` IBAN) that the package's processors understand.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from actes.errors import InputError
from actes.imports.statements import Statement, StatementLine

__all__ = ["parse_mt940"]


def parse_mt940(data: bytes, path: Path) -> Statement:
    """Every transaction of an MT940 file."""
    import mt940

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    try:
        transactions: Any = mt940.models.Transactions(
            processors={"pre_statement": [mt940.processors.date_fixup_pre_processor]}
        )
        transactions.parse(text)
    except Exception as exc:  # the package raises bare exceptions for a broken file
        raise InputError(f"{path} : relevé MT940 illisible ({str(exc)[:200]}).") from None
    account = str(transactions.data.get("account_identification") or "")
    lines: list[StatementLine] = []
    currencies: set[str] = set()
    for transaction in transactions:
        info = transaction.data
        amount = info.get("amount")
        booked = info.get("entry_date") or info.get("date")
        if amount is None or booked is None:
            raise InputError(f"{path} : opération {len(lines) + 1} sans montant ou sans date.")
        value = Decimal(str(amount.amount))
        currencies.add(str(amount.currency))
        details = " ".join(str(info.get("transaction_details") or "").split())
        lines.append(
            StatementLine(
                number=len(lines) + 1,
                where=f"opération {len(lines) + 1} (:61:)",
                booked=booked,
                amount=abs(value),
                credit=value > 0,
                currency=str(amount.currency),
                counterparty=str(info.get("applicant_name") or ""),
                counterparty_iban=str(info.get("applicant_iban") or "").replace(" ", ""),
                text=" ".join(
                    p for p in (details, str(info.get("purpose") or "")) if p and p != "None"
                ),
                reference=str(info.get("bank_reference") or info.get("customer_reference") or ""),
            )
        )
    if len(currencies) > 1:
        raise InputError(
            f"{path} : le relevé mêle plusieurs devises ({', '.join(sorted(currencies))}).",
            hint="importez un relevé par compte et par devise",
        )
    return Statement(
        file=path,
        format="mt940",
        account=account,
        currency=next(iter(currencies), "EUR"),
        lines=tuple(lines),
    )

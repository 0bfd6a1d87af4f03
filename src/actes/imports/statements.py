"""Bank statements: one line per booked operation, whatever the format, and the reader for
a file (camt.053 / camt.054, CFONB 120, MT940)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from actes.errors import InputError

__all__ = ["MAX_STATEMENT_BYTES", "Statement", "StatementLine", "read_statement"]

MAX_STATEMENT_BYTES = 50 * 1024 * 1024
"""Largest statement read (a year of a busy account in camt.053 is a few megabytes)."""

Format = Literal["camt.053", "camt.054", "cfonb120", "mt940"]


@dataclass(frozen=True)
class StatementLine:
    """One booked operation: amount (positive), credit or debit, who, and the text."""

    number: int  # position in the statement, from 1
    where: str  # how to find it in the file (« enregistrement 4, ligne 5 »)
    booked: dt.date
    amount: Decimal
    credit: bool
    currency: str
    counterparty: str = ""
    counterparty_iban: str = ""
    text: str = ""  # remittance information (motif)
    reference: str = ""  # end-to-end reference or bank reference

    def key(self, account: str) -> str:
        """Idempotency key: the same operation of the same account gives the same key,
        whichever file (or re-export) it comes from."""
        parts = (
            account,
            self.booked.isoformat(),
            f"{self.amount:.2f}",
            "C" if self.credit else "D",
            self.reference,
            " ".join(self.text.split()),
            " ".join(self.counterparty.split()),
            str(self.number) if not self.reference else "",
        )
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        return {
            "ligne": self.where,
            "date": self.booked.isoformat(),
            "montant": f"{self.amount:.2f}",
            "sens": "credit" if self.credit else "debit",
            "contrepartie": self.counterparty,
            "iban_contrepartie": self.counterparty_iban,
            "libelle": self.text,
            "reference": self.reference,
        }


@dataclass(frozen=True)
class Statement:
    """A statement file: its format, account, currency and operations."""

    file: Path
    format: Format
    account: str
    currency: str
    lines: tuple[StatementLine, ...]


def _read(path: Path) -> bytes:
    try:
        if not path.is_file():
            raise InputError(f"{path} n'est pas un fichier ordinaire.", hint="vérifiez le chemin")
        if path.stat().st_size > MAX_STATEMENT_BYTES:
            raise InputError(f"{path} est trop volumineux pour un relevé (50 Mo au plus).")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"Fichier introuvable : {path}", hint="vérifiez le chemin") from None
    except OSError as exc:
        raise InputError(f"Lecture impossible de {path} : {exc.strerror}") from None


def read_statement(path: Path) -> Statement:
    """The statement of ``path``, its format recognised from its content."""
    data = _read(path)
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    if head.startswith(b"<"):
        from actes.imports.camt import parse_camt

        return parse_camt(data, path)
    if head[:2] in (b"01", b"04", b"05", b"07") and b":20:" not in head:
        from actes.imports.cfonb import parse_cfonb120

        return parse_cfonb120(data, path)
    if b":20:" in head or b":25:" in head:
        from actes.imports.mt940file import parse_mt940

        return parse_mt940(data, path)
    raise InputError(
        f"{path} : format de relevé non reconnu.",
        hint="formats lus : camt.053 et camt.054 (XML ISO 20022), CFONB 120, MT940",
    )

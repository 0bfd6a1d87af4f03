"""Payment terms (conditions de paiement) read as the contract writes them, and the due date
they give, with the steps shown and the L441-10 I caps between professionals checked.

Recognised forms (accents, case and spacing do not matter; ``j`` stands for ``jours``):

- « à réception », « comptant »: payable on receipt; the receipt date is not known, so the
  invoice date is used (said in the trace);
- « 30 jours », « 60 jours date de facture », « 30 jours net »: the invoice date + N days;
- « 45 jours fin de mois »: the invoice date + N days, then the end of that month;
- « 45 jours fin de mois le 10 »: the same, then the given day of the following month;
- « fin de mois + 45 jours » (or « fin de mois plus 45 jours »): the end of the invoice's
  month, then + N days;
- « fin de mois le 10 »: the end of the invoice's month, then that day of the next month;
- « fin de mois »: the end of the invoice's month.

The two readings of « 45 jours fin de mois » accepted by the administration (legal reference
§2.3 and §14) are each taken as written: the order of the words decides, no setting does.
Terms counted from the receipt of goods or of the invoice (« 30 jours date de réception »)
are refused: that date is not on the invoice.

Caps (C. com. L441-10 I, between professionals): 60 days from the invoice date, or, when the
contract expressly stipulates it, 45 days end of month. Terms beyond them still give the
contractual date, with a warning.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from actes.errors import InputError

__all__ = [
    "CAP_DAYS",
    "CAP_END_OF_MONTH_DAYS",
    "DueDate",
    "PaymentTerms",
    "TermsKind",
    "due_date",
    "end_of_month",
    "find_terms",
    "parse_terms",
]

CAP_DAYS = 60
"""L441-10 I: longest agreed term counted from the invoice date."""

CAP_END_OF_MONTH_DAYS = 45
"""L441-10 I: longest agreed term « fin de mois », when expressly stipulated."""

MAX_DAYS = 366
"""Longest term read (a longer figure is a typing error, not a payment term)."""

TermsKind = Literal[
    "reception", "jours", "jours_fin_de_mois", "fin_de_mois_plus_jours", "fin_de_mois"
]


@dataclass(frozen=True)
class PaymentTerms:
    """Payment terms as understood: kind, number of days, day of the following month."""

    kind: TermsKind
    days: int = 0
    day_of_month: int | None = None
    text: str = ""

    def describe(self) -> str:
        """The terms in normalised French (« 45 jours fin de mois le 10 »)."""
        tail = f" le {self.day_of_month}" if self.day_of_month else ""
        if self.kind == "reception":
            return "à réception"
        if self.kind == "jours":
            return f"{self.days} jours date de facture"
        if self.kind == "jours_fin_de_mois":
            return f"{self.days} jours fin de mois{tail}"
        if self.kind == "fin_de_mois_plus_jours":
            return f"fin de mois + {self.days} jours"
        return f"fin de mois{tail}"

    @property
    def end_of_month(self) -> bool:
        return self.kind in ("jours_fin_de_mois", "fin_de_mois_plus_jours", "fin_de_mois")


@dataclass(frozen=True)
class DueDate:
    """The due date given by ``terms`` for an invoice issued on ``issued``, and how."""

    terms: PaymentTerms
    issued: dt.date
    due: dt.date
    trace: tuple[str, ...]
    warnings: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "date_emission": self.issued.isoformat(),
            "conditions": self.terms.describe(),
            "texte": self.terms.text,
            "date_echeance": self.due.isoformat(),
            "calcul": list(self.trace),
            "avertissements": list(self.warnings),
        }


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = plain.replace("’", "'")
    return re.sub(r"\s+", " ", plain).strip()


_DAYS = r"(\d{1,4}) ?(?:jours?|j)\b"
_NET = r"(?: nets?)?"
_ON_DAY = r"(?: ?,? le (\d{1,2})(?:e|er)?(?: du mois suivant)?)?"
_FROM_INVOICE = (
    r"(?: (?:a compter de la |a partir de la |a |de )?date (?:de (?:la )?facture|d'emission"
    r"|de facturation)| (?:a compter de l'|a partir de l')emission(?: de la facture)?)?"
)
_PLUS = r" ?(?:\+|plus|puis|et) ?"

# Most specific first: a longer form must win over the shorter one it contains.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "receipt_days",
        re.compile(
            _DAYS + r"(?: nets?)? (?:a compter de (?:la )?|a partir de (?:la )?|apres (?:la )?"
            r"|date de |de la |des )?(?:reception|livraison)"
        ),
    ),
    ("fin_de_mois_plus_jours", re.compile(r"fin de mois" + _PLUS + _DAYS)),
    ("jours_fin_de_mois", re.compile(_DAYS + _NET + r",? fin de mois" + _ON_DAY)),
    ("fin_de_mois_le", re.compile(r"fin de mois" + _ON_DAY)),
    ("jours", re.compile(_DAYS + _NET + _FROM_INVOICE)),
    (
        "reception",
        re.compile(
            r"(?:a|des) (?:la )?reception(?: de (?:la )?facture)?|\bcomptant\b"
            r"|\bsans delai\b"
        ),
    ),
)

# What may surround the terms when the whole text is the terms (``actes echeance``).
_LEAD = re.compile(
    r"^(?:(?:conditions de )?(?:paiement|reglement)(?: :)? ?(?:a )?|payable(?: a)? |a |net )?"
)


def _refuse(text: str, reason: str) -> InputError:
    return InputError(
        f"Conditions de paiement « {text} » : {reason}.",
        hint="écrivez par exemple « 30 jours », « 45 jours fin de mois », « fin de mois + 45 "
        "jours », « fin de mois le 10 » ou « à réception », ou indiquez la date d'échéance",
    )


def _build(name: str, match: re.Match[str], text: str) -> PaymentTerms:
    if name == "receipt_days":
        raise _refuse(
            text,
            "le délai court de la réception (des marchandises ou de la facture), dont la date "
            "n'est pas connue",
        )
    if name == "reception":
        return PaymentTerms("reception", text=text)
    groups = list(match.groups())
    counted = name in ("jours", "jours_fin_de_mois", "fin_de_mois_plus_jours")
    days = int(groups[0]) if counted else 0
    if days > MAX_DAYS:
        raise _refuse(text, f"{days} jours dépasse tout délai de paiement plausible")
    day: int | None = None
    if name in ("jours_fin_de_mois", "fin_de_mois_le"):
        raw_day = groups[-1]
        if raw_day is not None:
            day = int(raw_day)
            if not 1 <= day <= 31:
                raise _refuse(text, f"le {day} n'est pas un jour du mois")
    if name == "fin_de_mois_le":
        return PaymentTerms("fin_de_mois", day_of_month=day, text=text)
    kind: TermsKind = name  # type: ignore[assignment]
    return PaymentTerms(kind, days=days, day_of_month=day, text=text)


def parse_terms(text: str) -> PaymentTerms:
    """The terms ``text`` states, the whole text being the terms (« 45 jours fin de mois »).

    Raises :class:`InputError` (French message) for anything else.
    """
    folded = _fold(text).rstrip(" .")
    core = _LEAD.sub("", folded, count=1)
    if core in ("reception", "reception de facture", "reception de la facture"):
        return PaymentTerms("reception", text=text.strip())  # « payable à réception »
    for name, pattern in _PATTERNS:
        match = pattern.fullmatch(folded) or pattern.fullmatch(core)
        if match:
            return _build(name, match, text.strip())
    raise _refuse(text.strip(), "forme non reconnue")


def find_terms(text: str) -> PaymentTerms | None:
    """The terms stated somewhere in a longer text (an invoice's BT-20 note), or None.

    Two different terms in the same text raise :class:`InputError`: a person decides.
    """
    folded = _fold(text)
    taken: list[tuple[int, int]] = []
    found: list[PaymentTerms] = []
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append(_build(name, match, match.group(0)))
    distinct = {(t.kind, t.days, t.day_of_month) for t in found}
    if len(distinct) > 1:
        listed = " ; ".join(sorted({t.describe() for t in found}))
        raise _refuse(text.strip(), f"plusieurs délais différents y figurent ({listed})")
    return found[0] if found else None


def end_of_month(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _day_of_next_month(day: dt.date, wanted: int) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(wanted, calendar.monthrange(year, month)[1]))


def _fr(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def due_date(issued: dt.date, terms: PaymentTerms, *, professionals: bool = True) -> DueDate:
    """The due date ``terms`` give for an invoice issued on ``issued``, each step traced;
    with ``professionals``, a warning when the terms exceed the L441-10 I caps."""
    trace: list[str] = [f"Date de la facture : {_fr(issued)}."]
    day = issued
    if terms.kind == "reception":
        trace.append(
            "Payable à réception : la date de réception n'étant pas connue, la date de la "
            "facture est retenue."
        )
    elif terms.kind == "jours":
        day = issued + dt.timedelta(days=terms.days)
        trace.append(f"+ {terms.days} jours : {_fr(day)}.")
    elif terms.kind == "jours_fin_de_mois":
        plus = issued + dt.timedelta(days=terms.days)
        day = end_of_month(plus)
        trace.append(f"+ {terms.days} jours : {_fr(plus)}.")
        trace.append(f"Fin de ce mois : {_fr(day)}.")
    elif terms.kind == "fin_de_mois_plus_jours":
        month_end = end_of_month(issued)
        day = month_end + dt.timedelta(days=terms.days)
        trace.append(f"Fin du mois de la facture : {_fr(month_end)}.")
        trace.append(f"+ {terms.days} jours : {_fr(day)}.")
    else:
        day = end_of_month(issued)
        trace.append(f"Fin du mois de la facture : {_fr(day)}.")
    if terms.day_of_month:
        day = _day_of_next_month(day, terms.day_of_month)
        trace.append(f"Le {terms.day_of_month} du mois suivant : {_fr(day)}.")
    warnings = _cap_warnings(issued, terms, day) if professionals else []
    return DueDate(terms, issued, day, tuple(trace), tuple(warnings))


def _cap_warnings(issued: dt.date, terms: PaymentTerms, due: dt.date) -> list[str]:
    cap = issued + dt.timedelta(days=CAP_DAYS)
    allowed = cap
    caps = f"60 jours à compter de la date de la facture, soit le {_fr(cap)}"
    over = False
    if terms.end_of_month:
        # The 45-day end-of-month cap, in the reading the contract itself uses.
        if terms.kind == "jours_fin_de_mois":
            cap_eom = end_of_month(issued + dt.timedelta(days=CAP_END_OF_MONTH_DAYS))
        else:
            cap_eom = end_of_month(issued) + dt.timedelta(days=CAP_END_OF_MONTH_DAYS)
        allowed = max(cap, cap_eom)
        caps += f", ou 45 jours fin de mois, soit le {_fr(cap_eom)}"
        over = terms.days > CAP_END_OF_MONTH_DAYS
    if due <= allowed and not over:
        return []
    return [
        f"Entre professionnels, le délai convenu « {terms.describe()} » dépasse le plafond de "
        f"l'article L441-10 I du code de commerce ({caps}) : l'échéance du contrat est "
        "calculée, mais la clause est contestable."
    ]

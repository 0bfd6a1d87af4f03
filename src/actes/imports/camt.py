"""ISO 20022 bank-to-customer statements: camt.053 (statement) and camt.054 (debit/credit
notification), any version (the namespace's version is not checked, the elements read are
the same from .001.02 to .001.08), parsed with lxml (entities and network disabled)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from actes.errors import InputError
from actes.imports.statements import Statement, StatementLine

__all__ = ["parse_camt"]


def _local(element: Any) -> str:
    return str(etree.QName(element).localname)


def _find(element: Any, path: str) -> Any:
    """The first descendant along ``path`` (local names separated by /), or None."""
    current = [element]
    for name in path.split("/"):
        current = [c for e in current for c in e if isinstance(c.tag, str) and _local(c) == name]
        if not current:
            return None
    return current[0]


def _text(element: Any, path: str) -> str:
    found = _find(element, path)
    return " ".join((found.text or "").split()) if found is not None else ""


def _date(element: Any, path: str) -> dt.date | None:
    text = _text(element, f"{path}/Dt") or _text(element, f"{path}/DtTm")[:10]
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _amount(element: Any, where: str) -> tuple[Decimal, str]:
    found = _find(element, "Amt")
    if found is None:
        raise InputError(f"{where} : montant absent.")
    try:
        value = Decimal((found.text or "").strip())
    except InvalidOperation:
        raise InputError(f"{where} : montant « {found.text} » illisible.") from None
    return value, str(found.get("Ccy") or "")


def parse_camt(data: bytes, path: Path) -> Statement:
    """Every booked entry of a camt.053 / camt.054 file (one line per transaction detail)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path} : XML illisible ({exc.msg}).") from None
    namespace = etree.QName(root).namespace or ""
    kind = "camt.054" if "camt.054" in namespace else "camt.053" if "camt.053" in namespace else ""
    if not kind:
        raise InputError(
            f"{path} : ce XML n'est pas un relevé camt.053 ni un avis camt.054 (espace de noms "
            f"« {namespace} »).",
        )
    reports = [
        e for e in root.iter() if isinstance(e.tag, str) and _local(e) in ("Stmt", "Ntfctn")
    ]
    if not reports:
        raise InputError(f"{path} : aucun relevé (Stmt) ni avis (Ntfctn) dans le fichier.")
    currencies: set[str] = set()
    accounts: set[str] = set()
    lines: list[StatementLine] = []
    for report in reports:
        account = _text(report, "Acct/Id/IBAN") or _text(report, "Acct/Id/Othr/Id")
        accounts.add(account)
        if _text(report, "Acct/Ccy"):
            currencies.add(_text(report, "Acct/Ccy"))
        for entry in (e for e in report if isinstance(e.tag, str) and _local(e) == "Ntry"):
            number = sum(1 for _ in lines) + 1
            where = f"écriture {number} ({_text(entry, 'NtryRef') or _text(entry, 'AcctSvcrRef')})"
            status = _text(entry, "Sts/Cd") or _text(entry, "Sts")
            if status and status != "BOOK":
                continue  # pending or information only: not yet on the account
            amount, currency = _amount(entry, f"{path}, {where}")
            currencies.add(currency)
            credit = _text(entry, "CdtDbtInd") == "CRDT"
            booked = _date(entry, "BookgDt") or _date(entry, "ValDt")
            if booked is None:
                raise InputError(f"{path}, {where} : date de comptabilisation absente.")
            details = [
                d for d in entry.iter() if isinstance(d.tag, str) and _local(d) == "TxDtls"
            ] or [entry]
            for index, detail in enumerate(details):
                sub_amount = amount
                if len(details) > 1:
                    sub = _find(detail, "AmtDtls/TxAmt") or detail
                    sub_amount, sub_currency = _amount(sub, f"{path}, {where}")
                    currencies.add(sub_currency)
                side = "Dbtr" if credit else "Cdtr"
                name = _text(detail, f"RltdPties/{side}/Nm") or _text(
                    detail, f"RltdPties/{side}/Pty/Nm"
                )
                iban = _text(detail, f"RltdPties/{side}Acct/Id/IBAN")
                text = " ".join(
                    t.text.strip()
                    for t in detail.iter()
                    if isinstance(t.tag, str) and _local(t) in ("Ustrd", "Ref") and t.text
                ) or _text(entry, "AddtlNtryInf")
                reference = _text(detail, "Refs/EndToEndId")
                if reference == "NOTPROVIDED":
                    reference = ""
                reference = reference or _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
                lines.append(
                    StatementLine(
                        number=len(lines) + 1,
                        where=where + (f", détail {index + 1}" if len(details) > 1 else ""),
                        booked=booked,
                        amount=abs(sub_amount),
                        credit=credit,
                        currency=currency,
                        counterparty=name,
                        counterparty_iban=iban.replace(" ", ""),
                        text=text,
                        reference=reference,
                    )
                )
    currencies.discard("")
    if len(currencies) > 1:
        raise InputError(
            f"{path} : le relevé mêle plusieurs devises ({', '.join(sorted(currencies))}) : "
            "rien n'a été importé.",
            hint="importez un relevé par compte et par devise",
        )
    if len(accounts) > 1:
        raise InputError(
            f"{path} : le fichier contient les relevés de plusieurs comptes : rien n'a été "
            "importé.",
            hint="importez un fichier par compte",
        )
    return Statement(
        file=path,
        format=kind,  # type: ignore[arg-type]
        account=next(iter(accounts)),
        currency=next(iter(currencies), "EUR"),
        lines=tuple(lines),
    )

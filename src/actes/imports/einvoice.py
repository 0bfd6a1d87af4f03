"""Reading one e-invoice (EN 16931): a Factur-X PDF (its embedded CII XML), a UBL 2.1 or a
CII XML file.

The ``factur-x`` library (Akretion) extracts the XML from the PDF, checks it against the
official XSD it ships (offline; its schematron check needs a network service and is not used)
and reads the business terms (BT-1, BT-2...). The XML is first parsed here with entities and
network access disabled, so that a hostile file cannot make the reader open other files.

Refused, each with a French message naming the file: a PDF without an embedded invoice, an XML
failing the XSD, a Factur-X MINIMUM or BASIC WL file (not EN 16931: no invoice lines, no
payment terms), anything that is not an invoice or a credit note.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import stat
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from actes.errors import InputError

__all__ = [
    "MAX_INVOICE_BYTES",
    "Invoice",
    "read_invoice",
]

MAX_INVOICE_BYTES = 20 * 1024 * 1024
"""Largest invoice file read (a Factur-X PDF with its images is rarely above 2 MB)."""

# The library logs every skipped attachment as a warning; the caller reports in French.
logging.getLogger("factur-x").addHandler(logging.NullHandler())
logging.getLogger("factur-x").propagate = False

_EN16931_LEVELS = {"basic", "en16931", "extended", "extended-ctc-fr"}
_CREDIT_NOTE_CODES = {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
_INVOICE_CODES = {"380", "384", "389", "386", "751", "326", "875", "876", "877"}


@dataclass(frozen=True)
class Invoice:
    """What an invoice says that a case needs (EN 16931 business terms)."""

    file: Path
    syntax: str  # "Factur-X", "CII", "UBL"
    level: str
    number: str  # BT-1
    issued: dt.date  # BT-2
    type_code: str  # BT-3
    currency: str  # BT-5
    total: Decimal  # BT-112
    paid: Decimal  # BT-113
    rounding: Decimal  # BT-114
    amount_due: Decimal  # BT-115
    seller: dict[str, Any]  # BG-4 (factur-x party dict)
    buyer: dict[str, Any]  # BG-7
    due: dt.date | None = None  # BT-9
    terms: str = ""  # BT-20
    notes: tuple[tuple[str, str], ...] = ()  # BG-1: (subject code BT-21, text BT-22)
    iban: str = ""  # BT-84
    payment_reference: str = ""  # BT-83
    order_reference: str = ""  # BT-13
    preceding: tuple[str, ...] = ()  # BT-25
    pdf: bytes | None = field(default=None, repr=False)

    @property
    def credit_note(self) -> bool:
        return self.type_code in _CREDIT_NOTE_CODES

    @property
    def kind(self) -> str:
        return "avoir" if self.credit_note else "facture"

    def terms_text(self) -> str:
        """BT-20 and the payment notes (subjects PMT, PMD, AAB), where penalties are stated."""
        parts = [self.terms] if self.terms else []
        parts += [text for _, text in self.notes if text]
        return " ".join(parts)


def _read_bytes(path: Path) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"Fichier introuvable : {path}", hint="vérifiez le chemin") from None
    except OSError as exc:
        raise InputError(f"Lecture impossible de {path} : {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path} n'est pas un fichier ordinaire : il n'est pas lu.")
    if info.st_size > MAX_INVOICE_BYTES:
        raise InputError(
            f"{path} est trop volumineux ({info.st_size // (1024 * 1024)} Mo) : "
            f"{MAX_INVOICE_BYTES // (1024 * 1024)} Mo au plus pour une facture."
        )
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        with os.fdopen(fd, "rb") as handle:
            return handle.read(MAX_INVOICE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"Lecture impossible de {path} : {exc.strerror}") from None


def _parse_xml(data: bytes, where: str) -> Any:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(
            f"{where} : ce n'est pas un fichier XML lisible ({exc.msg}).",
            hint="une facture électronique est un PDF Factur-X ou un XML UBL 2.1 / CII",
        ) from None
    if root.getroottree().docinfo.doctype:
        raise InputError(
            f"{where} : le XML déclare un DOCTYPE, refusé (une facture EN 16931 n'en a pas)."
        )
    return root


def _embedded_xml(data: bytes, path: Path) -> bytes:
    from facturx import get_xml_from_pdf

    try:
        name, xml = get_xml_from_pdf(data, check_xsd=False)
    except Exception:  # pypdf raises many kinds for a damaged PDF
        raise InputError(
            f"{path} : PDF illisible (fichier endommagé ou chiffré).",
            hint="demandez au fournisseur un nouvel exemplaire de la facture",
        ) from None
    if not name or not xml:
        raise InputError(
            f"{path} : ce PDF ne contient pas de facture électronique (aucun fichier "
            "factur-x.xml joint).",
            hint="c'est une facture « papier » : saisissez la créance à la main, ou demandez "
            "au fournisseur la facture Factur-X, UBL ou CII",
        )
    return bytes(xml)


def _flavor_and_level(root: Any, where: str) -> tuple[str, str, str]:
    from facturx import get_flavor, get_level

    try:
        flavor = get_flavor(root)
    except Exception:  # the library raises a bare Exception
        flavor = ""
    if flavor not in ("factur-x", "ubl-2.1-invoice", "ubl-2.1-creditnote"):
        raise InputError(
            f"{where} : ce XML n'est pas une facture EN 16931 (élément racine "
            f"« {etree.QName(root).localname} »).",
            hint="seules les factures et avoirs UBL 2.1 et CII (Factur-X) sont lus",
        )
    try:
        level = get_level(root, flavor)
    except Exception:
        level = ""
    if level not in _EN16931_LEVELS:
        shown = level.upper() if level else "inconnu"
        raise InputError(
            f"{where} : profil « {shown} » : ce n'est pas une facture EN 16931 (un profil "
            "MINIMUM ou BASIC WL ne porte ni les lignes ni les conditions de paiement).",
            hint="demandez au fournisseur la facture au profil EN 16931 (ou BASIC, EXTENDED)",
        )
    syntax = "UBL" if flavor.startswith("ubl") else "CII"
    return flavor, level, syntax


def _check_xsd(root: Any, flavor: str, level: str, where: str) -> None:
    from facturx import xml_check_xsd

    xsd_level = "en16931" if level == "extended-ctc-fr" and flavor.startswith("ubl") else level
    try:
        xml_check_xsd(root, flavor=flavor, level=xsd_level)
    except Exception as exc:  # the library wraps lxml's error in Exception
        cause = exc.__cause__
        detail = str(cause) if cause is not None else str(exc)
        raise InputError(
            f"{where} : le XML ne respecte pas le schéma XSD officiel ({detail[:300]}).",
            hint="la facture est mal formée : demandez au fournisseur de la réémettre",
        ) from None


def _decimal(value: Any, what: str, where: str, *, required: bool = True) -> Decimal:
    if value in (None, "") and not required:
        return Decimal("0.00")
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InputError(f"{where} : montant {what} illisible (« {value} »).") from None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _text(value: Any) -> str:
    return str(value).strip() if value not in (None, "") else ""


def read_invoice(path: Path) -> Invoice:
    """The invoice or credit note of ``path`` (Factur-X PDF, UBL or CII XML), XSD-checked.

    Raises :class:`InputError` with a French message for a file that is not one.
    """
    data = _read_bytes(path)
    pdf: bytes | None = None
    where = str(path)
    if data.startswith(b"%PDF-"):
        pdf = data
        data = _embedded_xml(data, path)
        where = f"{path} (XML joint au PDF)"
    elif not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise InputError(
            f"{path} : ni PDF ni XML.",
            hint="une facture électronique est un PDF Factur-X ou un XML UBL 2.1 / CII",
        )
    root = _parse_xml(data, where)
    flavor, level, syntax = _flavor_and_level(root, where)
    _check_xsd(root, flavor, level, where)
    from facturx import parse_ubl_cii_xml

    try:
        fields = parse_ubl_cii_xml(root, flavor=flavor, level=level, check_xsd=False)
    except Exception as exc:  # the library raises bare exceptions
        raise InputError(f"{where} : facture illisible ({str(exc)[:200]}).") from None
    if pdf is not None:
        syntax = "Factur-X"
    return _invoice(path, syntax, level, fields, pdf, where)


def _invoice(
    path: Path, syntax: str, level: str, f: dict[str, Any], pdf: bytes | None, where: str
) -> Invoice:
    number = _text(f.get("BT-1"))
    issued = _date(f.get("BT-2"))
    if not number or issued is None:
        raise InputError(f"{where} : numéro (BT-1) ou date (BT-2) de la facture absent.")
    type_code = _text(f.get("BT-3"))
    if type_code not in _CREDIT_NOTE_CODES | _INVOICE_CODES:
        raise InputError(
            f"{where} : type de document « {type_code} » (BT-3) : ni une facture ni un avoir."
        )
    total = _decimal(f.get("BT-112"), "total TTC (BT-112)", where)
    paid = _decimal(f.get("BT-113"), "déjà payé (BT-113)", where, required=False)
    rounding = _decimal(f.get("BT-114"), "d'arrondi (BT-114)", where, required=False)
    due_amount = _decimal(f.get("BT-115"), "à payer (BT-115)", where)
    notes = tuple(
        (_text(n.get("BT-21")), _text(n.get("BT-22")))
        for n in f.get("BG-1") or []
        if isinstance(n, dict)
    )
    preceding = tuple(
        _text(p.get("BT-25"))
        for p in f.get("BG-3") or []
        if isinstance(p, dict) and p.get("BT-25")
    )
    return Invoice(
        file=path,
        syntax=syntax,
        level=level,
        number=number,
        issued=issued,
        type_code=type_code,
        currency=_text(f.get("BT-5")) or "EUR",
        total=total,
        paid=paid,
        rounding=rounding,
        amount_due=due_amount,
        seller=dict(f.get("BG-4") or {}),
        buyer=dict(f.get("BG-7") or {}),
        due=_date(f.get("BT-9")),
        terms=_text(f.get("BT-20")),
        notes=notes,
        iban=_text(f.get("BT-84")).replace(" ", ""),
        payment_reference=_text(f.get("BT-83")),
        order_reference=_text(f.get("BT-13")),
        preceding=preceding,
        pdf=pdf,
    )

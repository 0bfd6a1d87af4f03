"""Write the sample files of examples/imports/ (docs/imports.md), made with the libraries'
own generators: a Factur-X PDF at the EN 16931 profile (reportlab for the visible PDF,
factur-x for the CII XML and its embedding), a UBL 2.1 invoice and a UBL credit note
(factur-x), a camt.053 statement (lxml) and a CFONB 120 statement (fixed-width records).

The data is fictional: Dupont & Fils (SIREN 732829320) invoices Atelier Bellecour (SIREN
443061841). Run: ``python3 tools/make_import_samples.py``.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from facturx import generate_cii_xml, generate_from_binary, generate_ubl_xml
from lxml import etree
from lxml.builder import ElementMaker
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

OUT = Path(__file__).resolve().parent.parent / "examples" / "imports"

SELLER = {
    "name": "Dupont & Fils SAS",
    "legal_identifier": "732829320",
    "legal_identifier_schemeid": "0002",
    "vat_identifier": "FR44732829320",
    "addr_l1": "12 rue de la République",
    "city": "Lyon",
    "postcode": "69002",
    "country_code": "FR",
}
BUYER = {
    "name": "Atelier Bellecour SARL",
    "legal_identifier": "443061841",
    "legal_identifier_schemeid": "0002",
    "addr_l1": "45 avenue Roger Salengro",
    "city": "Villeurbanne",
    "postcode": "69100",
    "country_code": "FR",
}
CREDITOR_IBAN = "FR1420041010050500013M02606"
DEBTOR_IBAN = "FR7630006000011234567890189"


def invoice_data(
    number: str,
    issued: dt.date,
    net: str,
    *,
    type_code: str = "380",
    due: dt.date | None = None,
    terms: str = "",
    paid: str = "0.00",
    cites: str | None = None,
    buyer_siren: str = "443061841",
) -> dict[str, Any]:
    """The factur-x data dict of a one-line invoice at 20 % VAT."""
    base = Decimal(net)
    vat = (base * Decimal("0.20")).quantize(Decimal("0.01"))
    total = base + vat
    data: dict[str, Any] = {
        "BT-1": number,
        "BT-2": issued,
        "BT-3": type_code,
        "BT-5": "EUR",
        "BT-24": "urn:cen.eu:en16931:2017",
        "BT-72": issued,
        "BG-4": dict(SELLER),
        "BG-7": {**BUYER, "legal_identifier": buyer_siren},
        "BT-81": "30",
        "BT-84": CREDITOR_IBAN,
        "BG-23": [{"BT-117": str(vat), "BT-116": str(base), "BT-118": "S", "BT-119": "20.00"}],
        "BT-106": str(base),
        "BT-109": str(base),
        "BT-110": str(vat),
        "BT-112": str(total),
        "BT-113": paid,
        "BT-115": str(total - Decimal(paid)),
        "BG-25": [
            {
                "BT-126": "1",
                "BT-153": "Menuiserie sur mesure",
                "BT-146": str(base),
                "BT-129": "1",
                "BT-130": "C62",
                "BT-151": "S",
                "BT-152": "20.00",
                "BT-131": str(base),
            }
        ],
    }
    if due is not None:
        data["BT-9"] = due
    if terms:
        data["BT-20"] = terms
    if cites is not None:
        data["BG-3"] = [{"BT-25": cites}]
    return data


FA_0201 = invoice_data(
    "FA-2026-0201",
    dt.date(2026, 1, 20),
    "1000.00",
    terms="Paiement à 45 jours fin de mois. Pénalités de retard : trois fois le taux "
    "d'intérêt légal. Indemnité forfaitaire pour frais de recouvrement : 40 €.",
)
FA_0214 = invoice_data(
    "FA-2026-0214",
    dt.date(2026, 2, 14),
    "2500.00",
    due=dt.date(2026, 3, 16),
    terms="30 jours date de facture. Pénalités de retard au taux annuel de 12 %.",
    paid="500.00",
)
AV_0007 = invoice_data(
    "AV-2026-0007",
    dt.date(2026, 2, 5),
    "200.00",
    type_code="381",
    cites="FA-2026-0201",
)


def visible_pdf(data: dict[str, Any]) -> bytes:
    """A one-page PDF showing the invoice (what a person reads)."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    page.setTitle(f"Facture {data['BT-1']}")
    y = 800
    lines = [
        f"{SELLER['name']} - {SELLER['addr_l1']}, {SELLER['postcode']} {SELLER['city']}",
        f"SIREN {SELLER['legal_identifier']}",
        "",
        f"FACTURE n° {data['BT-1']} du {data['BT-2'].strftime('%d/%m/%Y')}",
        f"Client : {BUYER['name']}, {BUYER['addr_l1']}, {BUYER['postcode']} {BUYER['city']}",
        f"SIREN client : {BUYER['legal_identifier']}",
        "",
        f"Menuiserie sur mesure : {data['BT-106']} € HT",
        f"TVA 20 % : {data['BT-110']} €",
        f"Total TTC : {data['BT-112']} €",
        "",
        data.get("BT-20", ""),
        f"IBAN : {CREDITOR_IBAN}",
    ]
    for line in lines:
        page.drawString(60, y, line[:110])
        y -= 18
    page.showPage()
    page.save()
    return buffer.getvalue()


def camt053() -> bytes:
    """A camt.053.001.02 statement of the creditor's account for April 2026."""
    ns = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
    e = ElementMaker(namespace=ns, nsmap={None: ns})

    def entry(ref: str, amount: str, sign: str, day: str, name: str, iban: str, text: str) -> Any:
        party = e.Dbtr(e.Nm(name)) if sign == "CRDT" else e.Cdtr(e.Nm(name))
        account = (
            e.DbtrAcct(e.Id(e.IBAN(iban))) if sign == "CRDT" else e.CdtrAcct(e.Id(e.IBAN(iban)))
        )
        return e.Ntry(
            e.NtryRef(ref),
            e.Amt(amount, Ccy="EUR"),
            e.CdtDbtInd(sign),
            e.Sts("BOOK"),
            e.BookgDt(e.Dt(day)),
            e.ValDt(e.Dt(day)),
            e.AcctSvcrRef(f"BQ{ref}"),
            e.BkTxCd(e.Prtry(e.Cd("VIR"))),
            e.NtryDtls(
                e.TxDtls(
                    e.Refs(e.EndToEndId(f"E2E-{ref}")),
                    e.RltdPties(party, account),
                    e.RmtInf(e.Ustrd(text)),
                )
            ),
        )

    doc = e.Document(
        e.BkToCstmrStmt(
            e.GrpHdr(e.MsgId("RELEVE-2026-04"), e.CreDtTm("2026-05-01T06:00:00")),
            e.Stmt(
                e.Id("STMT-2026-04"),
                e.ElctrncSeqNb("4"),
                e.CreDtTm("2026-05-01T06:00:00"),
                e.Acct(e.Id(e.IBAN(CREDITOR_IBAN)), e.Ccy("EUR")),
                e.Bal(
                    e.Tp(e.CdOrPrtry(e.Cd("OPBD"))),
                    e.Amt("5000.00", Ccy="EUR"),
                    e.CdtDbtInd("CRDT"),
                    e.Dt(e.Dt("2026-04-01")),
                ),
                e.Bal(
                    e.Tp(e.CdOrPrtry(e.Cd("CLBD"))),
                    e.Amt("6915.00", Ccy="EUR"),
                    e.CdtDbtInd("CRDT"),
                    e.Dt(e.Dt("2026-04-30")),
                ),
                entry(
                    "0001",
                    "960.00",
                    "CRDT",
                    "2026-04-02",
                    "ATELIER BELLECOUR",
                    DEBTOR_IBAN,
                    "REGLEMENT FACTURE FA-2026-0201",
                ),
                entry(
                    "0002",
                    "1000.00",
                    "CRDT",
                    "2026-04-15",
                    "ATELIER BELLECOUR SARL",
                    DEBTOR_IBAN,
                    "ACOMPTE",
                ),
                entry(
                    "0003",
                    "75.00",
                    "CRDT",
                    "2026-04-20",
                    "SOCIETE INCONNUE",
                    "FR7610107001011234567890129",
                    "CDE 5521",
                ),
                entry(
                    "0004",
                    "120.00",
                    "DBIT",
                    "2026-04-28",
                    "BANQUE",
                    CREDITOR_IBAN,
                    "FRAIS DE TENUE DE COMPTE",
                ),
            ),
        )
    )
    return etree.tostring(doc, xml_declaration=True, encoding="UTF-8", pretty_print=True)


_POSITIVE = "{ABCDEFGHI"
_NEGATIVE = "}JKLMNOPQR"


def cfonb_amount(cents: int) -> str:
    """14 characters: the amount in cents, its last digit encoded with the sign."""
    digits = f"{abs(cents):014d}"
    table = _POSITIVE if cents >= 0 else _NEGATIVE
    return digits[:-1] + table[int(digits[-1])]


def cfonb_record(
    code: str,
    *,
    op: str = "    ",
    day: str,
    label: str = "",
    number: str = "",
    cents: int = 0,
    reference: str = "",
    qualifier: str = "",
    info: str = "",
) -> str:
    bank, branch, account = "20041", "01005", "0500013M026"
    head = f"{code}{bank}{op}{branch}EUR2 {account}  {day}"
    if code == "05":
        line = f"{head}     {qualifier:3}{info:70.70}  "
    else:
        line = f"{head}  {day}{label:31.31}  {number:7.7}  {cfonb_amount(cents)}{reference:16.16}"
    assert len(line) == 120, (len(line), line)
    return line


def cfonb120() -> bytes:
    """A CFONB 120 statement of the same account for May 2026."""
    records = [
        cfonb_record("01", day="300426", cents=691500),
        cfonb_record(
            "04",
            op="0589",
            day="050526",
            label="VIR ATELIER BELLECOUR",
            number="0000101",
            cents=150000,
            reference="FA-2026-0214",
        ),
        cfonb_record(
            "05", op="0589", day="050526", qualifier="LIB", info="SOLDE FACTURE FA-2026-0214"
        ),
        cfonb_record(
            "05", op="0589", day="050526", qualifier="NPY", info="ATELIER BELLECOUR SARL"
        ),
        cfonb_record(
            "04",
            op="0589",
            day="120526",
            label="VIR ETS MARTIN",
            number="0000102",
            cents=30000,
            reference="REF 88",
        ),
        cfonb_record("07", day="310526", cents=691500 + 150000 + 30000),
    ]
    return ("\r\n".join(records) + "\r\n").encode("ascii")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    cii = generate_cii_xml(copy.deepcopy(FA_0201), level="en16931", check_schematron=False)
    pdf = generate_from_binary(
        visible_pdf(FA_0201),
        cii,
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        pdf_metadata={"author": SELLER["name"], "title": "Facture FA-2026-0201"},
        lang="fr-FR",
    )
    (OUT / "facture-FA-2026-0201.pdf").write_bytes(pdf)
    ubl = generate_ubl_xml(copy.deepcopy(FA_0214), level="en16931", check_schematron=False)
    (OUT / "facture-FA-2026-0214.xml").write_bytes(ubl)
    credit = generate_ubl_xml(copy.deepcopy(AV_0007), level="en16931", check_schematron=False)
    (OUT / "avoir-AV-2026-0007.xml").write_bytes(credit)
    (OUT / "releve-2026-04.camt053.xml").write_bytes(camt053())
    (OUT / "releve-2026-05.cfonb120.txt").write_bytes(cfonb120())
    for path in sorted(OUT.iterdir()):
        print(path.relative_to(OUT.parent.parent))


if __name__ == "__main__":
    main()

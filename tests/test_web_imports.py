"""The « Importer » page: e-invoices and statements uploaded, previewed, confirmed (Flask
test client, samples of examples/imports)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from actes.errors import InputError
from actes.imports.einvoice import read_invoice
from actes.imports.statements import read_statement
from actes.web import create_app
from actes.web.app import MAX_UPLOAD
from actes.web.imports import IMPORT_TTL, IMPORTS_FOLDER

SAMPLES = Path(__file__).resolve().parent.parent / "examples" / "imports"
PDF = SAMPLES / "facture-FA-2026-0201.pdf"
UBL = SAMPLES / "facture-FA-2026-0214.xml"
CREDIT = SAMPLES / "avoir-AV-2026-0007.xml"
CAMT = SAMPLES / "releve-2026-04.camt053.xml"
CFONB = SAMPLES / "releve-2026-05.cfonb120.txt"
AU = dt.date(2026, 6, 1)
CASE = "ATELIER-BELLECOUR"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "affaires"
    folder.mkdir()
    return folder


@pytest.fixture
def app(root: Path) -> Flask:
    return create_app(root, au=AU, secret_key="test")


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as test_client:
        yield test_client


def csrf(client: FlaskClient) -> str:
    client.get("/importer/")
    with client.session_transaction() as session:
        token = session["csrf"]
    assert isinstance(token, str)
    return token


def text_of(html: str) -> str:
    """The page's text, tags removed and spaces folded."""
    plain = re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").replace("&amp;", "&")
    return " ".join(plain.replace("\u202f", " ").replace("\u00a0", " ").split())


def token_of(html: str) -> str:
    match = re.search(r'name="jeton" value="([0-9a-f]{32})"', html)
    assert match, "aucun bouton de confirmation"
    return match.group(1)


def post_files(
    client: FlaskClient, url: str, field: str, files: list[tuple[bytes, str]], **fields: str
) -> tuple[int, str]:
    data: MultiDict[str, Any] = MultiDict({"_csrf": csrf(client), **fields})
    for content, name in files:
        data.add(field, FileStorage(io.BytesIO(content), filename=name))
    # Encoded here in memory: the test client would spool a large body to a temporary file
    # that it never closes.
    boundary, body = encode_multipart(data)
    response = client.post(
        url, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    return response.status_code, response.get_data(as_text=True)


def upload_invoices(
    client: FlaskClient, *files: Path | tuple[bytes, str], **fields: str
) -> tuple[int, str]:
    parts = [(f.read_bytes(), f.name) if isinstance(f, Path) else f for f in files]
    options = {"cible": "nouveau", **fields}
    return post_files(client, "/importer/factures", "fichiers", parts, **options)


def upload_statement(client: FlaskClient, content: bytes, name: str) -> tuple[int, str]:
    return post_files(client, "/importer/releve", "releve", [(content, name)])


def confirm(client: FlaskClient, kind: str, token: str) -> tuple[int, str]:
    url = "/importer/factures/confirmer" if kind == "factures" else "/importer/releve/confirmer"
    response = client.post(url, data={"_csrf": csrf(client), "jeton": token})
    return response.status_code, response.get_data(as_text=True)


def case_data(root: Path) -> dict[str, object]:
    data = yaml.safe_load((root / CASE / "dossier.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def uploads_left(root: Path) -> list[str]:
    store = root / IMPORTS_FOLDER
    return sorted(p.name for p in store.iterdir()) if store.is_dir() else []


def imported_case(client: FlaskClient) -> None:
    code, html = upload_invoices(client, PDF, UBL, CREDIT)
    assert code == 200, text_of(html)
    code, html = confirm(client, "factures", token_of(html))
    assert code == 200, text_of(html)


# ---------------------------------------------------------------------------------------------
# E-invoices


def test_import_page_is_in_the_header(client: FlaskClient) -> None:
    assert 'href="/importer/"' in client.get("/").get_data(as_text=True)
    page = client.get("/importer/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="form-factures"' in html and 'id="form-releve"' in html
    assert "Rien n'est écrit tant que vous n'avez pas confirmé" in text_of(html)


def test_invoice_preview_writes_nothing_then_confirm_creates_the_case(
    client: FlaskClient, root: Path
) -> None:
    code, html = upload_invoices(client, PDF, UBL, CREDIT)
    page = text_of(html)
    assert code == 200, page
    assert "Création du dossier ATELIER-BELLECOUR" in page
    assert "Dupont & Fils SAS" in page and "SIREN 732829320" in page
    assert "IBAN FR1420041010050500013M02606" in page
    assert "Atelier Bellecour SARL 45 avenue Roger Salengro, 69100 Villeurbanne" in page
    assert "SIREN 443061841" in page
    # The claims as they will be written: the credit note netted, due dates computed.
    assert "moins l'avoir n° AV-2026-0007 du 05/02/2026 (240,00 €) 20/01/2026 31/03/2026" in page
    assert "45 jours fin de mois 960,00 €" in page
    assert "déjà payés 14/02/2026 16/03/2026 30 jours date de facture 2 500,00 €" in page
    assert "Avoirs déduits : AV-2026-0007." in page
    assert "Pièces jointes au dossier : pieces/facture-FA-2026-0201.pdf." in page
    assert "pénalités de retard au taux de trois fois le taux d'intérêt légal" in page
    assert (
        "À confirmer : Facture FA-2026-0214 : la mention de l'indemnité forfaitaire de 40 € "
        "(D441-5) n'est pas trouvée" in page
    )
    assert "(facture-FA-2026-0214.xml)" in page  # named as uploaded, not by the private path
    assert IMPORTS_FOLDER not in page
    assert 'id="confirmer"' in html
    # Nothing written before the confirmation: only the private copy of the upload.
    assert sorted(p.name for p in root.iterdir()) == [IMPORTS_FOLDER]
    (token,) = uploads_left(root)
    assert token == token_of(html)
    assert oct((root / IMPORTS_FOLDER / token).stat().st_mode & 0o777) == "0o700"

    code, html = confirm(client, "factures", token)
    page = text_of(html)
    assert code == 200, page
    assert "Import terminé : 1 dossier créé ou complété." in page
    assert f'href="/dossier/{CASE}"' in html
    data = case_data(root)
    claims = {c["reference"]: c for c in data["creances"]}  # type: ignore[attr-defined]
    assert claims["FA-2026-0201"]["montant"] == "960.00"
    assert claims["FA-2026-0201"]["conditions_paiement"] == "45 jours fin de mois"
    assert claims["FA-2026-0201"]["avoirs"] == [
        {"reference": "AV-2026-0007", "date": "2026-02-05", "montant": "240.00"}
    ]
    assert claims["FA-2026-0214"]["montant"] == "2500.00"
    assert claims["FA-2026-0214"]["date_echeance"] == "2026-03-16"
    assert data["debiteur"]["siren"] == "443061841"  # type: ignore[index]
    assert data["pieces"] == [  # type: ignore[comparison-overlap]
        {
            "titre": "Facture n° FA-2026-0201",
            "date": "2026-01-20",
            "fichier": "pieces/facture-FA-2026-0201.pdf",
        }
    ]
    assert (root / CASE / "pieces" / "facture-FA-2026-0201.pdf").read_bytes() == PDF.read_bytes()
    # Through the case store: the journal names the page.
    journal = (root / CASE / ".actes" / "journal.jsonl").read_text(encoding="utf-8")
    assert "(page web)" in journal and "case_saved" in journal
    assert uploads_left(root) == []
    assert CASE in text_of(client.get("/").get_data(as_text=True))

    # The token served once: a second confirmation writes nothing.
    before = (root / CASE / "dossier.yaml").read_bytes()
    response = client.post(
        "/importer/factures/confirmer",
        data={"_csrf": csrf(client), "jeton": token},
        follow_redirects=True,
    )
    assert "Cet import a expiré, a déjà été confirmé" in text_of(response.get_data(as_text=True))
    assert (root / CASE / "dossier.yaml").read_bytes() == before


def test_existing_case_chosen_from_the_list(client: FlaskClient, root: Path) -> None:
    code, html = upload_invoices(client, PDF, CREDIT)
    confirm(client, "factures", token_of(html))
    assert f'<option value="{CASE}">{CASE}</option>' in client.get("/importer/").get_data(
        as_text=True
    )
    code, html = upload_invoices(client, UBL, PDF, cible="dossier", dossier=CASE)
    page = text_of(html)
    assert code == 200, page
    assert "Mise à jour du dossier ATELIER-BELLECOUR" in page
    assert "Déjà dans le dossier (rien à faire) : facture FA-2026-0201." in page
    assert [c["reference"] for c in case_data(root)["creances"]] == ["FA-2026-0201"]  # type: ignore[attr-defined]
    code, html = confirm(client, "factures", token_of(html))
    assert code == 200, text_of(html)
    assert [c["reference"] for c in case_data(root)["creances"]] == [  # type: ignore[attr-defined]
        "FA-2026-0201",
        "FA-2026-0214",
    ]


def test_case_changed_after_preview_shows_the_new_preview(client: FlaskClient, root: Path) -> None:
    code, html = upload_invoices(client, PDF)
    confirm(client, "factures", token_of(html))
    code, html = upload_invoices(client, UBL, cible="dossier", dossier=CASE)
    path = root / CASE / "dossier.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("objet: ", "objet: Relancé — ", 1), encoding="utf-8")
    edited = path.read_bytes()
    code, html = confirm(client, "factures", token_of(html))
    assert code == 409
    assert "Les dossiers ont changé depuis l'aperçu" in text_of(html)
    assert path.read_bytes() == edited
    code, html = confirm(client, "factures", token_of(html))
    assert code == 200, text_of(html)
    assert "FA-2026-0214" in path.read_text(encoding="utf-8")


def test_blocking_item_offers_no_confirmation(client: FlaskClient, root: Path) -> None:
    code, html = upload_invoices(client, CREDIT)
    page = text_of(html)
    assert code == 200
    assert "Import bloqué" in page
    assert "Bloquant : Avoir AV-2026-0007 : la facture qu'il cite (FA-2026-0201)" in page
    assert 'id="confirmer"' not in html and 'name="jeton"' not in html
    assert sorted(p.name for p in root.iterdir()) in ([], [IMPORTS_FOLDER])
    assert uploads_left(root) == []


def test_refused_files_and_options(client: FlaskClient, root: Path) -> None:
    code, html = upload_invoices(client, (b"Bonjour", "facture.xml"))
    assert code == 422
    assert "« facture.xml » n'est ni un PDF ni un XML" in text_of(html)
    code, html = upload_invoices(client, (b"<html><body>x</body></html>", "facture.pdf"))
    assert code == 422
    assert "ce XML n'est pas une facture EN 16931" in text_of(html)
    code, html = upload_invoices(client, PDF, reference="../dehors")
    assert code == 422
    assert "inutilisable comme nom de dossier" in text_of(html)
    code, html = upload_invoices(client, PDF, cible="dossier", dossier="inconnu")
    assert code == 422
    assert "Choisissez dans la liste le dossier" in text_of(html)
    assert sorted(p.name for p in root.iterdir()) in ([], [IMPORTS_FOLDER])
    assert uploads_left(root) == []


def test_names_are_sanitised(client: FlaskClient, root: Path) -> None:
    long_name = "f" * 296 + ".pdf"
    code, html = upload_invoices(
        client, (PDF.read_bytes(), long_name), (UBL.read_bytes(), "../../x.xml")
    )
    assert code == 200, text_of(html)
    (token,) = uploads_left(root)
    stored = sorted(p.name for p in (root / IMPORTS_FOLDER / token / "fichiers").iterdir())
    assert stored == ["f" * 96 + ".pdf", "x.xml"]
    assert "f" * 96 + ".pdf" in html and long_name not in html
    assert not (root.parent / "x.xml").exists()


def test_csrf_and_other_sessions(app: Flask, client: FlaskClient, root: Path) -> None:
    boundary, body = encode_multipart(
        MultiDict({"fichiers": FileStorage(io.BytesIO(PDF.read_bytes()), filename=PDF.name)})
    )
    response = client.post(
        "/importer/factures",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert uploads_left(root) == []
    _, html = upload_invoices(client, PDF)
    token = token_of(html)
    with app.test_client() as other:
        response = other.post(
            "/importer/factures/confirmer",
            data={"_csrf": csrf(other), "jeton": token},
            follow_redirects=True,
        )
        assert "Cet import a expiré" in text_of(response.get_data(as_text=True))
    assert not (root / CASE).exists()
    assert uploads_left(root) == [token]


def test_upload_limit(client: FlaskClient, root: Path) -> None:
    code, html = upload_invoices(client, (b"%PDF-" + b"0" * MAX_UPLOAD, "grosse.pdf"))
    assert code == 413
    assert "Fichier trop volumineux" in text_of(html)
    assert uploads_left(root) == []


def test_cancel_and_expiry_remove_the_upload(client: FlaskClient, root: Path) -> None:
    code, html = upload_invoices(client, PDF)
    token = token_of(html)
    response = client.post(
        "/importer/annuler",
        data={"_csrf": csrf(client), "jeton": token, "type": "factures"},
        follow_redirects=True,
    )
    assert "Import annulé" in text_of(response.get_data(as_text=True))
    assert uploads_left(root) == []

    code, html = upload_invoices(client, PDF)
    token = token_of(html)
    meta = root / IMPORTS_FOLDER / token / "import.json"
    data = json.loads(meta.read_text(encoding="utf-8"))
    data["cree"] = time.time() - IMPORT_TTL - 1
    meta.write_text(json.dumps(data), encoding="utf-8")
    code, html = confirm(client, "factures", token)
    assert code == 303
    assert uploads_left(root) == [] and not (root / CASE).exists()

    code, html = upload_invoices(client, PDF)
    old = time.time() - IMPORT_TTL - 60
    os.utime(root / IMPORTS_FOLDER / token_of(html), (old, old))
    client.get("/importer/")
    assert uploads_left(root) == []


# ---------------------------------------------------------------------------------------------
# Bank statements


def test_statement_preview_confirm_then_nothing_new(client: FlaskClient, root: Path) -> None:
    imported_case(client)
    code, html = upload_statement(client, CAMT.read_bytes(), CAMT.name)
    page = text_of(html)
    assert code == 200, page
    assert "2 paiements à enregistrer" in page
    assert (
        "02/04/2026 960,00 € crédit ATELIER BELLECOUR FR7630006000011234567890189 REGLEMENT "
        "FACTURE FA-2026-0201 réf. E2E-0001 écriture 1 (0001) à enregistrer ATELIER-BELLECOUR "
        "FA-2026-0201 référence FA-2026-0201 dans le libellé" in page
    )
    assert (
        "ACOMPTE réf. E2E-0002 écriture 2 (0002) à enregistrer ATELIER-BELLECOUR — nom du" in page
    )
    assert "SOCIETE INCONNUE" in page and "non rapproché — ni référence, ni IBAN" in page
    assert "débit ignoré" in page
    assert "paiements" not in case_data(root)

    code, html = confirm(client, "releve", token_of(html))
    assert code == 200, text_of(html)
    assert "2 paiements enregistrés." in text_of(html)
    payments = case_data(root)["paiements"]
    assert [(p["date"], p["montant"], p.get("creance")) for p in payments] == [  # type: ignore[attr-defined]
        ("2026-04-02", "960.00", "FA-2026-0201"),
        ("2026-04-15", "1000.00", None),
    ]
    assert payments[0]["source"]["releve"] == CAMT.name  # type: ignore[index]
    assert uploads_left(root) == []

    before = (root / CASE / "dossier.yaml").read_bytes()
    code, html = upload_statement(client, CAMT.read_bytes(), "copie-du-releve.xml")
    page = text_of(html)
    assert code == 200
    assert "Rien de nouveau à enregistrer : 2 opérations déjà enregistrées" in page
    assert 'id="confirmer"' not in html
    assert (root / CASE / "dossier.yaml").read_bytes() == before
    assert uploads_left(root) == []


def test_cfonb_statement(client: FlaskClient, root: Path) -> None:
    imported_case(client)
    code, html = upload_statement(client, CFONB.read_bytes(), CFONB.name)
    assert code == 200, text_of(html)
    assert "1 paiement à enregistrer" in text_of(html)
    confirm(client, "releve", token_of(html))
    payments = case_data(root)["paiements"]
    assert [(p["montant"], p.get("creance")) for p in payments] == [("1500.00", "FA-2026-0214")]  # type: ignore[attr-defined]


def test_statement_refusals(client: FlaskClient, root: Path) -> None:
    code, html = upload_statement(client, PDF.read_bytes(), "releve.xml")
    assert code == 422 and "« releve.xml » est un PDF" in text_of(html)
    code, html = upload_statement(client, b"01\x00\x01binaire", "releve.txt")
    assert code == 422 and "n'est pas un fichier texte" in text_of(html)
    code, html = upload_statement(client, b"bonjour\n", "releve.txt")
    assert code == 422 and "format de relevé non reconnu" in text_of(html)
    assert uploads_left(root) == []


# ---------------------------------------------------------------------------------------------
# Hostile XML


def _billion_laughs(root_element: str) -> bytes:
    entities = '<!ENTITY a "hahahahaha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE {root_element} [{entities}]>'
        f'<{root_element} xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&j;'
        f"</{root_element}>"
    ).encode()


def _external_entity(secret: Path) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        "<Stmt><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct><Ntry>"
        '<Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
        "<BookgDt><Dt>2026-04-01</Dt></BookgDt><AddtlNtryInf>&x;</AddtlNtryInf></Ntry>"
        "</Stmt></BkToCstmrStmt></Document>"
    ).encode()


def test_hostile_xml_is_refused(client: FlaskClient, root: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE-SECRET", encoding="utf-8")
    hostile = {
        "rires.xml": _billion_laughs("Document"),
        "xxe.xml": _external_entity(secret),
        "utf16.xml": _external_entity(secret).decode().encode("utf-16"),
    }
    for name, content in hostile.items():
        for code, html in (
            upload_invoices(client, (content, name)),
            upload_statement(client, content, name),
        ):
            page = text_of(html)
            assert code == 422, (name, page)
            assert f"« {name} »" in page and "DOCTYPE" in page, page
            assert "MOT-DE-PASSE-SECRET" not in page and "hahaha" not in page
    assert uploads_left(root) == []


def test_importers_themselves_resolve_no_entity(tmp_path: Path) -> None:
    """Behind the page, the readers of actes.imports parse without entities or network."""
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE-SECRET", encoding="utf-8")
    xxe = tmp_path / "xxe.xml"
    xxe.write_bytes(_external_entity(secret))
    statement = read_statement(xxe)
    assert all("MOT-DE-PASSE" not in line.text for line in statement.lines)
    with pytest.raises(InputError, match="DOCTYPE"):
        read_invoice(xxe)
    laughs = tmp_path / "rires.xml"
    laughs.write_bytes(_billion_laughs("Document"))
    with pytest.raises(InputError, match="illisible"):
        read_statement(laughs)
    with pytest.raises(InputError):
        read_invoice(laughs)

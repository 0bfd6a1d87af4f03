"""Security of the shared page: each finding of the review, one test each."""

from __future__ import annotations

import io
import shutil
import threading
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from actes.cases.case import issues_of
from actes.cli import main
from actes.cli.serve import make_quiet_server, trusted_hosts
from actes.documents.packet import build_packet
from actes.documents.pdfsafety import sanitize_pdf
from actes.web import create_app
from actes.web.app import MAX_NAME, hash_password, verify_password

from .conftest import AU, EXAMPLES, load_yaml, write_case
from .test_web import csrf_of, fetch, form_fields, snapshot

B2B = "b2b-factures-impayees"
PDF = EXAMPLES / B2B / "pieces" / "facture-FA-2026-0117.pdf"
ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/OpenAction", b"/AA")


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "affaires"
    folder.mkdir()
    shutil.copytree(EXAMPLES / B2B, folder / B2B)
    return folder


@pytest.fixture
def client(cases: Path) -> Iterator[FlaskClient]:
    with create_app(cases, au=AU, secret_key="test").test_client() as test_client:
        yield test_client


def hostile_pdf(source: Path = PDF) -> bytes:
    """A real PDF carrying document JavaScript, a JavaScript open action, a page's automatic
    action launching a program and a link launching another."""
    writer = PdfWriter(clone_from=PdfReader(str(source)))

    def action(kind: str, **values: str) -> DictionaryObject:
        entries: dict[Any, Any] = {NameObject("/S"): NameObject(kind)}
        entries.update({NameObject(f"/{k}"): TextStringObject(v) for k, v in values.items()})
        return DictionaryObject(entries)

    script = writer._add_object(action("/JavaScript", JS="app.alert(1)"))
    writer.root_object[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("x"), script])}
            )
        }
    )
    writer.root_object[NameObject("/OpenAction")] = action("/JavaScript", JS="app.alert(2)")
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): action("/Launch", F="calc.exe")})
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([]),
            NameObject("/A"): action("/Launch", F="cmd.exe"),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _upload(client: FlaskClient, name: str, content: bytes) -> Any:
    data: dict[str, Any] = {
        "_csrf": csrf_of(client),
        "titre": "Pièce envoyée",
        "date": "2026-10-01",
        "fichier": FileStorage(io.BytesIO(content), filename=name),
    }
    boundary, body = encode_multipart(MultiDict(data))
    return client.post(
        f"/dossier/{B2B}/pieces",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


# ---------------------------------------------------------------------------------------------
# A pièce is a PDF of the case's pieces/ folder: validation and serving


@pytest.mark.parametrize(
    ("fichier", "words"),
    [
        ("dossier.yaml", "sous-dossier « pieces »"),
        ("pieces/../dossier.yaml", "sous-dossier « pieces »"),
        ("facture-a-la-racine.pdf", "sous-dossier « pieces »"),
        ("pieces/notes.txt", "format « .txt » refusé"),
    ],
)
def test_piece_outside_pieces_or_not_a_pdf_is_invalid(
    client: FlaskClient, cases: Path, fichier: str, words: str
) -> None:
    folder = cases / B2B
    shutil.copy(PDF, folder / "facture-a-la-racine.pdf")
    (folder / "pieces" / "notes.txt").write_text("notes", encoding="utf-8")
    data = load_yaml(folder / "dossier.yaml")
    data["pieces"][0]["fichier"] = fichier
    problems = issues_of(data, file="dossier.yaml", folder=folder, au=AU)
    assert any(p.json_path == "$.pieces[0].fichier" and words in p.message for p in problems)
    # Declared anyway in the file: never served.
    write_case(folder / "dossier.yaml", data)
    status, content, _ = fetch(client, f"/dossier/{B2B}/pieces/1")
    assert status == 404
    assert b"reference" not in content


def test_piece_is_served_as_a_pdf_download(client: FlaskClient) -> None:
    status, content, headers = fetch(client, f"/dossier/{B2B}/pieces/2")
    assert status == 200 and content == PDF.read_bytes()
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith("attachment")


def test_fake_pdf_in_pieces_is_not_served(client: FlaskClient, cases: Path) -> None:
    (cases / B2B / "pieces" / "facture-FA-2026-0117.pdf").write_text("<html>", encoding="utf-8")
    assert fetch(client, f"/dossier/{B2B}/pieces/2")[0] == 404


# ---------------------------------------------------------------------------------------------
# Active content of uploaded PDFs: removed before it is stored or merged


def test_sanitize_removes_every_active_element() -> None:
    data = hostile_pdf()
    assert all(marker in data for marker in ACTIVE)
    clean, removed = sanitize_pdf(data)
    assert [m for m in ACTIVE if m in clean] == []
    assert "/Launch" in removed and "/AA" in removed and "/JavaScript" in removed
    assert len(PdfReader(io.BytesIO(clean)).pages) == 1
    original = PDF.read_bytes()
    assert sanitize_pdf(original) == (original, [])  # a clean pièce is kept byte for byte


def test_uploaded_pdf_is_sanitised(client: FlaskClient, cases: Path) -> None:
    response = _upload(client, "piege.pdf", hostile_pdf())
    assert response.status_code == 303
    stored = (cases / B2B / "pieces" / "piege.pdf").read_bytes()
    assert [m for m in ACTIVE if m in stored] == []
    assert "Pièce ajoutée" in (page := client.get(f"/dossier/{B2B}").get_data(as_text=True))
    assert "contenu actif retiré du PDF" in page


def test_encrypted_upload_is_refused(client: FlaskClient, cases: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(str(PDF)))
    writer.encrypt("secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    before = snapshot(cases)
    _upload(client, "chiffre.pdf", out.getvalue())
    assert "PDF chiffré" in client.get(f"/dossier/{B2B}").get_data(as_text=True)
    assert snapshot(cases) == before


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_hand_placed_hostile_piece_is_cleaned_in_the_merged_pdf(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / B2B, tmp_path / B2B)
    case = tmp_path / B2B / "dossier.yaml"
    (tmp_path / B2B / "pieces" / "facture-FA-2026-0117.pdf").write_bytes(hostile_pdf())
    out = tmp_path / "paquet.zip"
    build_packet("mise_en_demeure_professionnel", case, out, AU)
    with zipfile.ZipFile(out) as archive:
        merged = archive.read("dossier-complet.pdf")
    assert [m for m in ACTIVE if m in merged] == []
    assert "Pièce n° 2" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(merged)).pages)


# ---------------------------------------------------------------------------------------------
# Names and references that the file system cannot hold


def test_300_character_upload_name_is_shortened_not_a_500(
    client: FlaskClient, cases: Path
) -> None:
    name = "f" * 296 + ".pdf"
    response = _upload(client, name, PDF.read_bytes())
    assert response.status_code == 303
    kept = "f" * (MAX_NAME - 4) + ".pdf"
    assert (cases / B2B / "pieces" / kept).read_bytes() == PDF.read_bytes()
    assert load_yaml(cases / B2B / "dossier.yaml")["pieces"][-1]["fichier"] == f"pieces/{kept}"
    assert "nom trop long" in client.get(f"/dossier/{B2B}").get_data(as_text=True)


def test_300_character_reference_is_a_field_error(client: FlaskClient, cases: Path) -> None:
    fields = form_fields(client.get(f"/nouveau?modele={B2B}").get_data(as_text=True))
    fields["reference"] = "R" * 300
    before = snapshot(cases)
    response = client.post("/nouveau", data=fields)
    assert response.status_code == 422
    assert "trop longue" in response.get_data(as_text=True)  # schema (60) or folder (100)
    assert snapshot(cases) == before


# ---------------------------------------------------------------------------------------------
# Headers


def test_case_pages_are_not_cached(client: FlaskClient) -> None:
    for url in ("/", f"/dossier/{B2B}", f"/dossier/{B2B}/modifier"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    assert fetch(client, f"/dossier/{B2B}/pieces/1")[2]["Cache-Control"] == "no-store"


def test_no_server_version_header(cases: Path) -> None:
    app = create_app(cases, au=AU)
    app.config["TRUSTED_HOSTS"] = trusted_hosts("127.0.0.1")
    server = make_quiet_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/") as response:
            assert response.status == 200
            assert response.headers.get("Server") is None
            assert response.headers["Cache-Control"] == "no-store"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


# ---------------------------------------------------------------------------------------------
# Login off loopback


PASSWORD = "correct-cheval-pile-agrafe"


@pytest.fixture
def guarded(cases: Path) -> Flask:
    app = create_app(cases, au=AU, secret_key="test", password_hash=hash_password(PASSWORD))
    app.config["TRUSTED_HOSTS"] = trusted_hosts("192.0.2.10")
    return app


def _login_token(client: FlaskClient) -> str:
    client.get("/connexion")
    with client.session_transaction() as session:
        return str(session["csrf"])


def test_password_hash_round_trip() -> None:
    encoded = hash_password(PASSWORD)
    assert encoded.startswith("scrypt$") and PASSWORD not in encoded
    assert verify_password(PASSWORD, encoded)
    assert not verify_password(PASSWORD + "x", encoded)
    assert not verify_password(PASSWORD, "n'importe quoi")


def test_every_page_needs_the_login(guarded: Flask) -> None:
    with guarded.test_client() as client:
        response = client.get(f"/dossier/{B2B}")
        assert response.status_code == 303
        assert "/connexion" in response.headers["Location"]
        assert fetch(client, f"/dossier/{B2B}/pieces/1")[0] == 303
        token = _login_token(client)
        assert client.post(f"/dossier/{B2B}/pieces", data={"_csrf": token}).status_code == 401
        wrong = client.post("/connexion", data={"_csrf": token, "mot_de_passe": "non"})
        assert wrong.status_code == 401
        assert "Mot de passe incorrect" in wrong.get_data(as_text=True)
        right = client.post(
            "/connexion",
            data={"_csrf": token, "mot_de_passe": PASSWORD, "suivant": f"/dossier/{B2B}"},
        )
        assert right.status_code == 303 and right.headers["Location"].endswith(f"/dossier/{B2B}")
        page = client.get(f"/dossier/{B2B}")
        assert page.status_code == 200 and "Se déconnecter" in page.get_data(as_text=True)
        # The Host check is kept off loopback.
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_login_does_not_redirect_elsewhere(guarded: Flask) -> None:
    with guarded.test_client() as client:
        token = _login_token(client)
        response = client.post(
            "/connexion",
            data={"_csrf": token, "mot_de_passe": PASSWORD, "suivant": "//evil.example/"},
        )
        assert response.headers["Location"] == "/"


def test_repeated_failures_are_blocked(guarded: Flask) -> None:
    with guarded.test_client() as client:
        token = _login_token(client)
        codes = [
            client.post("/connexion", data={"_csrf": token, "mot_de_passe": "x"}).status_code
            for _ in range(6)
        ]
        assert codes == [401] * 5 + [429]
        late = client.post("/connexion", data={"_csrf": token, "mot_de_passe": PASSWORD})
        assert late.status_code == 429


def _fake_server(monkeypatch: pytest.MonkeyPatch) -> list[Flask]:
    started: list[Flask] = []

    class FakeServer:
        server_port = 8123

        def serve_forever(self) -> None:
            return None

        def server_close(self) -> None:
            return None

    def fake(host: str, port: int, app: Flask) -> FakeServer:
        started.append(app)
        return FakeServer()

    monkeypatch.setattr("actes.cli.serve.make_quiet_server", fake)
    return started


def test_non_loopback_host_requires_a_password(
    monkeypatch: pytest.MonkeyPatch, cases: Path
) -> None:
    started = _fake_server(monkeypatch)
    monkeypatch.delenv("ACTES_SERVE_PASSWORD", raising=False)
    monkeypatch.setenv("ACTES_WORKSPACE", str(cases))
    args = ["serve", "--cases", str(cases), "--host", "0.0.0.0", "--nom", "cabinet.local"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2 and "mot de passe est obligatoire" in refused.output
    assert started == []
    monkeypatch.setenv("ACTES_SERVE_PASSWORD", PASSWORD)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    app = started[-1]
    assert verify_password(PASSWORD, app.config["ACTES_PASSWORD_HASH"])
    assert PASSWORD not in repr(app.config)
    assert "cabinet.local" in app.config["TRUSTED_HOSTS"]
    with app.test_client() as client:
        assert client.get("/", headers={"Host": "cabinet.local"}).status_code == 303
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_password_hash_from_actes_toml(monkeypatch: pytest.MonkeyPatch, cases: Path) -> None:
    started = _fake_server(monkeypatch)
    monkeypatch.delenv("ACTES_SERVE_PASSWORD", raising=False)
    monkeypatch.setenv("ACTES_WORKSPACE", str(cases))
    toml = cases / "actes.toml"
    toml.write_text(f'[serve]\nmot_de_passe = "{PASSWORD}"\n', encoding="utf-8")
    clear = CliRunner().invoke(main, ["serve", "--cases", str(cases), "--host", "192.0.2.10"])
    assert clear.exit_code == 2 and "jamais le mot de passe en clair" in clear.output
    toml.write_text(f'[serve]\nmot_de_passe = "{hash_password(PASSWORD)}"\n', encoding="utf-8")
    ok = CliRunner().invoke(main, ["serve", "--cases", str(cases), "--host", "192.0.2.10"])
    assert ok.exit_code == 0, ok.output
    assert verify_password(PASSWORD, started[-1].config["ACTES_PASSWORD_HASH"])
    made = CliRunner().invoke(
        main, ["serve", "--hacher-mot-de-passe"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert made.exit_code == 0
    line = made.output.strip().splitlines()[-1]
    assert verify_password(PASSWORD, line.split('"')[1])

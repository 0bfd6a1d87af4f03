"""``actes serve`` through the Flask test client: every page, every refusal."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from actes._io import load_document
from actes.cases.schema import case_schema
from actes.cli import main
from actes.errors import DataIssue
from actes.web import create_app, forms
from actes.web.app import MAX_UPLOAD, OUTPUT_FOLDER

from .conftest import AU, EXAMPLES, load_yaml, write_case

B2B = "b2b-factures-impayees"
XSS = "<script>alert(1)</script>"
PDF = EXAMPLES / B2B / "pieces" / "facture-FA-2026-0117.pdf"


# ---------------------------------------------------------------------------------------------
# Helpers


class _FormFields(HTMLParser):
    """What a browser would submit from one form: inputs, checked boxes, selects, textareas."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._chosen: str | None = None
        self._first: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "file", "button") or (kind == "checkbox" and "checked" not in a):
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._chosen, self._first = a["name"], None, None
        elif tag == "option" and self._select is not None:
            if self._first is None:
                self._first = a.get("value", "")
            if "selected" in a:
                self._chosen = a.get("value", "")
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = self._chosen if self._chosen is not None else self._first
            self.fields.append((self._select, chosen or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def form_fields(html: str, form_id: str = "formulaire") -> MultiDict[str, str]:
    parser = _FormFields(form_id)
    parser.feed(html)
    return MultiDict(parser.fields)


def csrf_of(client: FlaskClient) -> str:
    page = client.get("/").get_data(as_text=True)
    client.get("/nouveau")
    with client.session_transaction() as session:
        token = session.get("csrf")
    assert isinstance(token, str), page
    return token


def error_block(html: str, name: str) -> str:
    """The text of the error element attached to field ``name``."""
    match = re.search(
        rf'<div class="erreurs-champ" id="{re.escape(name)}-erreur">(.*?)</div>', html, re.S
    )
    assert match, f"aucune erreur affichée au champ {name}"
    return re.sub(r"<[^>]+>", " ", match.group(1))


def fetch(client: FlaskClient, url: str) -> tuple[int, bytes, dict[str, str]]:
    """GET a file response and close it (it holds the file open)."""
    response = client.get(url)
    try:
        return response.status_code, response.get_data(), dict(response.headers)
    finally:
        response.close()


def snapshot(folder: Path) -> dict[str, bytes]:
    # The empty lock file a writer leaves beside a case (actes.cases.casestore) is not content,
    # nor is the list's index (.actes/index.sqlite*, derived from the case files).
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not (p.name.startswith(".") and p.name.endswith(".lock"))
        and not p.relative_to(folder).as_posix().startswith(".actes/index.sqlite")
    }


# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "affaires"
    shutil.copytree(EXAMPLES, folder)
    return folder


@pytest.fixture
def app(cases: Path) -> Flask:
    return create_app(cases, au=AU, secret_key="test")


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as test_client:
        yield test_client


# ---------------------------------------------------------------------------------------------
# The list of cases


def test_index_lists_every_case_with_next_step_deadline_and_amount(
    client: FlaskClient, cases: Path
) -> None:
    shutil.copy(EXAMPLES / B2B / "dossier.yaml", cases / "affaire-isolee.yaml")
    (cases / "affaire-isolee.yaml").write_text(
        (cases / "affaire-isolee.yaml").read_text(encoding="utf-8").replace("pieces/", "x/"),
        encoding="utf-8",
    )
    html = client.get("/").get_data(as_text=True)
    for name in ("b2b-factures-impayees", "surendettement", "ipe-debiteur-allemand"):
        assert f'data-dossier="{name}"' in html
    assert 'data-dossier="affaire-isolee.yaml"' in html
    row = re.search(r'<tr data-dossier="b2b-factures-impayees">(.*?)</tr>', html, re.S)
    assert row
    assert "Atelier Bellecour" in row.group(1)
    assert "Mise en demeure entre professionnels" in row.group(1)
    assert "6\u202f327,33\xa0€" in row.group(1)
    assert "2031" in row.group(1)  # the nearest upcoming deadline: prescription of the claims
    # The top-level file points to pièces that do not exist: an error line, not a crash.
    invalid = re.search(
        r'<tr class="invalide" data-dossier="affaire-isolee.yaml">(.*?)</tr>', html, re.S
    )
    assert invalid
    assert "Dossier invalide" in invalid.group(1)
    assert "fichier introuvable" in invalid.group(1)


def test_index_reports_unreadable_yaml(client: FlaskClient, cases: Path) -> None:
    (cases / "casse").mkdir()
    (cases / "casse" / "dossier.yaml").write_text("reference: [ouvert\n", encoding="utf-8")
    html = client.get("/").get_data(as_text=True)
    line = re.search(r'<tr class="invalide" data-dossier="casse">(.*?)</tr>', html, re.S)
    assert line
    assert "n&#39;est pas un YAML valide" in line.group(1)
    page = client.get("/dossier/casse")
    assert page.status_code == 200
    assert "YAML" in page.get_data(as_text=True)


def test_empty_folder(tmp_path: Path) -> None:
    html = create_app(tmp_path, au=AU).test_client().get("/").get_data(as_text=True)
    assert "Aucun dossier ici" in html


def test_missing_cases_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="introuvable"):
        create_app(tmp_path / "absent")


# ---------------------------------------------------------------------------------------------
# The case page


def test_case_page_shows_everything(client: FlaskClient) -> None:
    response = client.get(f"/dossier/{B2B}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in (
        "Dupont &amp; Fils",  # creditor, escaped
        "Atelier Bellecour",
        "FA-2026-0117",  # claims
        "Virement VIR-0820-ATB",  # payment
        "relance envoyée",  # event, in words
        "pieces/bon-de-commande-BC-8841.pdf",  # pièce
        'id="total-du"',  # décompte
        "6\u202f327,33\xa0€",
        "Prescription quinquennale",  # deadline
        "C. com. art. L110-4 I",  # its article
        "Point de départ",  # its trace
        "Mise en demeure entre professionnels",  # actes next
        "injonction_de_payer_tc",
    ):
        assert text in html, text


def test_case_page_of_invalid_case_lists_its_problems(client: FlaskClient, cases: Path) -> None:
    path = cases / B2B / "dossier.yaml"
    data = load_yaml(path)
    data["debiteur"]["siren"] = "123"
    write_case(path, data)
    html = client.get(f"/dossier/{B2B}").get_data(as_text=True)
    assert "Débiteur › SIREN" in html  # the form's words, not the JSON path
    assert "Corriger dans le formulaire" in html


def test_pieces_are_served_from_the_case_folder(client: FlaskClient) -> None:
    status, content, _ = fetch(client, f"/dossier/{B2B}/pieces/2")
    assert status == 200
    assert content == PDF.read_bytes()
    assert client.get(f"/dossier/{B2B}/pieces/99").status_code == 404
    assert client.get(f"/dossier/{B2B}/pieces/0").status_code == 404


def test_security_headers(client: FlaskClient) -> None:
    response = client.get("/")
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    # The page's own script only (progressive enhancement): nothing inline, nothing else.
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    with create_app(EXAMPLES, au=AU).test_client() as fresh:
        cookie = fresh.get("/nouveau").headers["Set-Cookie"]
    assert "SameSite=Strict" in cookie
    assert "HttpOnly" in cookie


# ---------------------------------------------------------------------------------------------
# Escaping


def test_data_is_shown_escaped(client: FlaskClient, cases: Path) -> None:
    path = cases / B2B / "dossier.yaml"
    data = load_yaml(path)
    data["debiteur"]["denomination"] = XSS
    data["objet"] = '"><img src=x onerror=alert(2)>'
    write_case(path, data)
    for url in ("/", f"/dossier/{B2B}", f"/dossier/{B2B}/modifier"):
        html = client.get(url).get_data(as_text=True)
        assert XSS not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert "<img src=x" not in html, url
    # The page's own script file is the only script element.
    scripts = re.findall(r"<script[^>]*>", client.get(f"/dossier/{B2B}").get_data(as_text=True))
    assert scripts == ['<script src="/static/actes.js" defer>']


def test_error_values_are_escaped_in_the_form(client: FlaskClient) -> None:
    token = csrf_of(client)
    html = client.get(f"/dossier/{B2B}/modifier").get_data(as_text=True)
    fields = form_fields(html)
    fields["debiteur-siren"] = XSS
    fields["_csrf"] = token
    response = client.post(f"/dossier/{B2B}/modifier", data=fields)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert XSS not in page
    assert "« &lt;script&gt;alert(1)&lt;/script&gt; »" in error_block(page, "debiteur-siren")


# ---------------------------------------------------------------------------------------------
# CSRF


@pytest.mark.parametrize(
    "url",
    [
        f"/dossier/{B2B}/modifier",
        "/nouveau",
        f"/dossier/{B2B}/pieces",
        f"/dossier/{B2B}/procedure/mise_en_demeure_professionnel",
    ],
)
@pytest.mark.parametrize("token", [None, "faux"])
def test_post_without_the_session_token_is_refused(
    client: FlaskClient, cases: Path, url: str, token: str | None
) -> None:
    csrf_of(client)
    before = snapshot(cases)
    data: dict[str, Any] = {"reference": "X-1", "quoi": "docx", "titre": "t", "date": "2026-01-01"}
    if token is not None:
        data["_csrf"] = token
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert snapshot(cases) == before


def test_token_of_another_session_is_refused(app: Flask, cases: Path) -> None:
    first, second = app.test_client(), app.test_client()
    token = csrf_of(first)
    csrf_of(second)
    response = second.post(
        f"/dossier/{B2B}/procedure/mise_en_demeure_professionnel",
        data={"_csrf": token, "quoi": "docx"},
    )
    assert response.status_code == 400
    assert not (cases / OUTPUT_FOLDER).exists()


# ---------------------------------------------------------------------------------------------
# Paths


@pytest.mark.parametrize(
    "url",
    [
        "/dossier/..",
        "/dossier/..%2F..%2Fetc",
        "/dossier/%2Fetc%2Fpasswd",
        "/dossier/../../etc/passwd",
        "/dossier/inconnu",
        "/dossier/.actes-out",
        f"/dossier/{B2B}%2Fdossier.yaml",
        f"/dossier/{B2B}/modifier/../../..",
        f"/dossier/{B2B}/procedure/..%2F..%2Fetc",
        f"/dossier/{B2B}/procedure/inconnue",
        "/sorties/../dossier.yaml",
        "/sorties/0123456789abcdef0123456789abcdef/..%2F..%2Fb2b-factures-impayees%2Fdossier.yaml",
        "/static/..%2F..%2Fapp.py",
    ],
)
def test_traversal_is_refused(client: FlaskClient, url: str) -> None:
    assert client.get(url).status_code in (400, 404)


def test_symlink_escaping_the_folder_is_ignored(
    client: FlaskClient, cases: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "dehors"
    shutil.copytree(EXAMPLES / B2B, outside)
    (cases / "lien").symlink_to(outside, target_is_directory=True)
    (cases / "lien.yaml").symlink_to(outside / "dossier.yaml")
    html = client.get("/").get_data(as_text=True)
    assert 'data-dossier="lien"' not in html
    assert 'data-dossier="lien.yaml"' not in html
    assert client.get("/dossier/lien").status_code == 404
    assert client.get("/dossier/lien.yaml/modifier").status_code == 404


def test_piece_pointing_outside_is_not_served(
    client: FlaskClient, cases: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(PDF.read_bytes())
    path = cases / B2B / "dossier.yaml"
    data = load_yaml(path)
    data["pieces"][0]["fichier"] = "../../secret.pdf"
    write_case(path, data)
    assert client.get(f"/dossier/{B2B}/pieces/1").status_code == 404
    (cases / B2B / "pieces" / "lien.pdf").symlink_to(secret)
    data["pieces"][0]["fichier"] = "pieces/lien.pdf"
    write_case(path, data)
    assert client.get(f"/dossier/{B2B}/pieces/1").status_code == 404


# ---------------------------------------------------------------------------------------------
# The form


def test_form_fields_are_named_after_json_paths(client: FlaskClient) -> None:
    html = client.get(f"/dossier/{B2B}/modifier").get_data(as_text=True)
    assert 'id="creances-0-montant" name="creances-0-montant" value="4320.00"' in html
    assert '<input id="debiteur-siren" name="debiteur-siren" value="512345679"' in html
    assert 'placeholder="JJ/MM/AAAA"' in html  # dates typed day first, as text
    assert 'value="02/06/2026"' in html
    assert '<select id="creances-1-nature"' in html
    assert 'type="checkbox" id="parametres-taux_non_confirmes"' in html
    assert 'value="ajouter:creances"' in html
    assert 'value="supprimer:creances-1"' in html


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("$.creances[0].montant", "creances-0-montant"),
        ("$.debiteur.adresse.code_postal", "debiteur-adresse-code_postal"),
        ("$.evenements[12].organe.adresse.pays", "evenements-12-organe-adresse-pays"),
        ("$", ""),
        ("", ""),
    ],
)
def test_json_path_to_field_name(path: str, name: str) -> None:
    assert forms.name_for_json_path(path) == name


def test_issue_goes_to_nearest_field() -> None:
    spec = forms.build_spec(case_schema())
    data = {"creances": [{"montant": "1"}]}
    bound = forms.bind(
        spec,
        data,
        [
            DataIssue("$.creances[0].montant", "faux"),
            DataIssue("$.creances", "trop court"),
            DataIssue("$.creances[0].inconnu.profond", "perdu"),
            DataIssue("$", "global"),
        ],
    )
    assert bound.anchors == ["creances-0-montant", "creances", "creances-0", "formulaire"]


def test_every_example_survives_a_round_trip_through_the_form(
    client: FlaskClient, cases: Path
) -> None:
    # examples/imports holds sample invoices and statements, not a case.
    for folder in sorted(p.parent for p in cases.glob("*/dossier.yaml")):
        before = load_document(folder / "dossier.yaml")
        html = client.get(f"/dossier/{folder.name}/modifier").get_data(as_text=True)
        response = client.post(f"/dossier/{folder.name}/modifier", data=form_fields(html))
        assert response.status_code == 303, folder.name
        assert _same(before, load_document(folder / "dossier.yaml")), folder.name


def _same(before: Any, after: Any) -> bool:
    def norm(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items() if v is not False}
        if isinstance(value, list):
            return [norm(v) for v in value]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        return value

    return bool(norm(before) == norm(after))


def test_invalid_form_shows_the_error_at_its_field_and_writes_nothing(
    client: FlaskClient, cases: Path
) -> None:
    path = cases / B2B / "dossier.yaml"
    before = path.read_bytes()
    fields = form_fields(client.get(f"/dossier/{B2B}/modifier").get_data(as_text=True))
    fields["debiteur-siren"] = "51234"
    fields["creances-1-montant"] = "12,5O"  # a letter O: « 12,50 » is read as 12.50
    fields["creances-0-date_echeance"] = ""
    response = client.post(f"/dossier/{B2B}/modifier", data=fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "9 chiffres" in error_block(html, "debiteur-siren")
    assert "ne correspond pas au format attendu" in error_block(html, "creances-1-montant")
    assert "champ obligatoire manquant" in error_block(html, "creances-0-date_echeance")
    assert 'id="debiteur-siren" name="debiteur-siren" value="51234"' in html
    assert 'aria-invalid="true" aria-describedby="debiteur-siren-erreur"' in html
    assert '<a href="#debiteur-siren">Débiteur › SIREN</a>' in html
    assert path.read_bytes() == before


def test_business_rule_errors_reach_their_field(client: FlaskClient) -> None:
    fields = form_fields(client.get(f"/dossier/{B2B}/modifier").get_data(as_text=True))
    fields["debiteur-siren"] = "512345678"  # nine digits, wrong check digit
    response = client.post(f"/dossier/{B2B}/modifier", data=fields)
    assert response.status_code == 422
    assert error_block(response.get_data(as_text=True), "debiteur-siren").strip()


def test_valid_form_saves_atomically_and_validates(client: FlaskClient, cases: Path) -> None:
    path = cases / B2B / "dossier.yaml"
    fields = form_fields(client.get(f"/dossier/{B2B}/modifier").get_data(as_text=True))
    fields["debiteur-denomination"] = "Atelier Bellecour & Cie"
    fields["creances-0-montant"] = "4400.00"
    response = client.post(f"/dossier/{B2B}/modifier", data=fields)
    assert response.status_code == 303
    # The case page, scrolled to what is left to do.
    assert response.headers["Location"].endswith(f"/dossier/{B2B}#a-faire")
    data = load_yaml(path)
    assert data["debiteur"]["denomination"] == "Atelier Bellecour & Cie"
    assert data["creances"][0]["montant"] == "4400.00"
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    result = CliRunner().invoke(main, ["validate", str(path), "--date", AU.isoformat()])
    assert result.exit_code == 0, result.output
    assert "Dossier enregistré" in client.get(f"/dossier/{B2B}").get_data(as_text=True)


def test_saving_keeps_comments_and_layout_of_unchanged_lines(
    client: FlaskClient, cases: Path
) -> None:
    """Only the lines of the changed values differ; the comments, the flow-style addresses
    and the quoted dates a person wrote are kept."""
    import difflib

    path = cases / B2B / "dossier.yaml"
    before = path.read_text(encoding="utf-8")
    fields = form_fields(client.get(f"/dossier/{B2B}/modifier").get_data(as_text=True))
    fields["creances-0-montant"] = "4400.00"
    assert client.post(f"/dossier/{B2B}/modifier", data=fields).status_code == 303
    after = path.read_text(encoding="utf-8")
    changed = [
        line
        for line in difflib.ndiff(before.splitlines(), after.splitlines())
        if line.startswith(("- ", "+ "))
    ]
    assert changed == ['-     montant: "4320.00"', '+     montant: "4400.00"']
    assert after.startswith("# Deux factures impayées entre professionnels")


def test_added_piece_keeps_the_comments(client: FlaskClient, cases: Path) -> None:
    path = cases / B2B / "dossier.yaml"
    before = path.read_text(encoding="utf-8")
    assert _upload(client, "avenant-2026.pdf", PDF.read_bytes()).status_code == 303
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.split("pieces:")[0])  # everything before is untouched
    assert load_yaml(path)["pieces"][-1]["fichier"] == "pieces/avenant-2026.pdf"


def test_json_case_is_saved_as_json(client: FlaskClient, cases: Path) -> None:
    folder = cases / B2B
    data = load_yaml(folder / "dossier.yaml")
    (folder / "dossier.yaml").unlink()
    import json

    (folder / "dossier.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    fields = form_fields(client.get(f"/dossier/{B2B}/modifier").get_data(as_text=True))
    fields["objet"] = "Objet modifié"
    assert client.post(f"/dossier/{B2B}/modifier", data=fields).status_code == 303
    saved = json.loads((folder / "dossier.json").read_text(encoding="utf-8"))
    assert saved["objet"] == "Objet modifié"


def test_concurrent_change_is_not_overwritten(client: FlaskClient, cases: Path) -> None:
    path = cases / B2B / "dossier.yaml"
    fields = form_fields(client.get(f"/dossier/{B2B}/modifier").get_data(as_text=True))
    path.write_text(path.read_text(encoding="utf-8") + "# modifié ailleurs\n", encoding="utf-8")
    changed = path.read_bytes()
    fields["objet"] = "Autre objet"
    response = client.post(f"/dossier/{B2B}/modifier", data=fields)
    assert response.status_code == 409
    assert "modifié par quelqu'un d'autre" in response.get_data(as_text=True)
    assert path.read_bytes() == changed


def test_add_and_remove_rows_without_javascript(client: FlaskClient, cases: Path) -> None:
    path = cases / B2B / "dossier.yaml"
    before = path.read_bytes()
    fields = form_fields(client.get(f"/dossier/{B2B}/modifier").get_data(as_text=True))
    assert _rows(fields, "creances") == 3  # two claims and one empty row
    fields["_action"] = "ajouter:creances"
    html = client.post(f"/dossier/{B2B}/modifier", data=fields).get_data(as_text=True)
    fields = form_fields(html)
    assert _rows(fields, "creances") == 4
    assert "problème" not in html  # adding a row does not validate yet
    fields["_action"] = "supprimer:creances-0"
    html = client.post(f"/dossier/{B2B}/modifier", data=fields).get_data(as_text=True)
    fields = form_fields(html)
    assert fields["creances-0-reference"] == "FA-2026-0142"
    assert path.read_bytes() == before  # nothing saved until "Enregistrer"
    fields["creances-2-reference"] = "FA-2026-0200"
    fields["creances-2-nature"] = "facture"
    fields["creances-2-date_emission"] = "2026-08-01"
    fields["creances-2-date_echeance"] = "2026-08-31"
    fields["creances-2-montant"] = "150.00"
    fields.pop("_action", None)
    response = client.post(f"/dossier/{B2B}/modifier", data=fields)
    assert response.status_code == 422  # the removed claim's payment now names no claim
    assert "Paiement n° 1 › Créance désignée" in response.get_data(as_text=True)
    fields = form_fields(response.get_data(as_text=True))
    fields["_action"] = "supprimer:paiements-0"
    fields = form_fields(
        client.post(f"/dossier/{B2B}/modifier", data=fields).get_data(as_text=True)
    )
    assert client.post(f"/dossier/{B2B}/modifier", data=fields).status_code == 303
    saved = load_yaml(path)
    assert [c["reference"] for c in saved["creances"]] == ["FA-2026-0142", "FA-2026-0200"]
    assert "paiements" not in saved


def _rows(fields: MultiDict[str, str], name: str) -> int:
    return int(fields[f"{name}-_lignes"])


def test_new_case_from_a_model(client: FlaskClient, cases: Path) -> None:
    html = client.get(f"/nouveau?modele={B2B}").get_data(as_text=True)
    fields = form_fields(html)
    assert fields["reference"] == ""
    assert fields["debiteur-denomination"] == "Atelier Bellecour"
    assert not [name for name in fields if name.startswith("pieces-0")]  # no pièce copied
    response = client.post("/nouveau", data=fields)
    assert response.status_code == 422
    assert "champ obligatoire manquant" in error_block(
        response.get_data(as_text=True), "reference"
    )
    fields["reference"] = "REC/2026/0300"
    response = client.post("/nouveau", data=fields)
    assert response.status_code == 303
    path = cases / "REC-2026-0300" / "dossier.yaml"
    assert load_yaml(path)["reference"] == "REC/2026/0300"
    assert (
        CliRunner().invoke(main, ["validate", str(path), "--date", AU.isoformat()]).exit_code == 0
    )
    # The same reference again: refused at the reference field.
    again = client.post("/nouveau", data=fields)
    assert again.status_code == 422
    assert "existe déjà" in error_block(again.get_data(as_text=True), "reference")


def test_blank_new_case_reports_every_missing_field(client: FlaskClient, cases: Path) -> None:
    before = snapshot(cases)
    fields = form_fields(client.get("/nouveau").get_data(as_text=True))
    response = client.post("/nouveau", data=fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "champ obligatoire manquant" in error_block(html, "debiteur-adresse-ligne1")
    assert "champ obligatoire manquant" in error_block(html, "reference")
    assert "liste trop courte" in error_block(html, "creances")
    assert snapshot(cases) == before


def test_open_object_is_edited_as_yaml() -> None:
    schema = {
        "type": "object",
        "properties": {"libre": {"type": "object"}, "n": {"type": "integer"}},
    }
    spec = forms.build_spec(schema)
    parsed = forms.parse_form(spec, {"libre": "a: 1\nb: [x]\n", "n": "7"})
    assert parsed.data == {"libre": {"a": 1, "b": ["x"]}, "n": 7}
    broken = forms.parse_form(spec, {"libre": "a: [\n", "n": "sept"})
    assert broken.data["n"] == "sept"  # kept as typed: the schema reports it
    assert broken.issues[0].json_path == "$.libre"
    assert "YAML illisible" in broken.issues[0].message
    bound = forms.bind(spec, {"libre": {"a": 1}})
    libre = bound.root.children[0]
    assert isinstance(libre, forms.BoundField)
    assert libre.value == "a: 1\n"


# ---------------------------------------------------------------------------------------------
# Uploads


def _upload(client: FlaskClient, name: str, content: bytes, **extra: str) -> Any:
    data: dict[str, Any] = {
        "_csrf": csrf_of(client),
        "titre": "Avenant au contrat",
        "date": "2026-10-01",
        "fichier": FileStorage(io.BytesIO(content), filename=name, content_type="application/pdf"),
        **extra,
    }
    # Encoded here in memory: the test client would spool a large body to a temporary file
    # that it never closes.
    boundary, body = encode_multipart(MultiDict(data))
    return client.post(
        f"/dossier/{B2B}/pieces",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_upload_adds_the_piece(client: FlaskClient, cases: Path) -> None:
    response = _upload(client, "avenant-2026.pdf", PDF.read_bytes())
    assert response.status_code == 303
    assert (cases / B2B / "pieces" / "avenant-2026.pdf").read_bytes() == PDF.read_bytes()
    pieces = load_yaml(cases / B2B / "dossier.yaml")["pieces"]
    assert pieces[-1] == {
        "titre": "Avenant au contrat",
        "date": "2026-10-01",
        "fichier": "pieces/avenant-2026.pdf",
    }
    page = client.get(f"/dossier/{B2B}").get_data(as_text=True)
    assert "Pièce ajoutée : pieces/avenant-2026.pdf" in page
    assert fetch(client, f"/dossier/{B2B}/pieces/5")[1] == PDF.read_bytes()


def _damaged_pdf() -> bytes:
    return b"%PDF-1.7\n" + b"ceci n'est pas un PDF" * 10


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("facture.pdf", b"Bonjour, ceci est du texte.", "ne commence pas par « %PDF- »"),
        ("facture.pdf", _damaged_pdf(), "illisible ou endommagé"),
        ("facture.txt", b"%PDF-1.4", "seuls les fichiers .pdf"),
        ("../../facture.pdf", b"%PDF-1.4", "Nom de fichier refusé"),
        ("..\\facture.pdf", b"%PDF-1.4", "Nom de fichier refusé"),
        ("facture été.pdf", b"%PDF-1.4", "facture_ete.pdf"),
        (".htaccess.pdf", b"%PDF-1.4", "Nom de fichier refusé"),
        ("facture-FA-2026-0117.pdf", None, "existe déjà"),
    ],
)
def test_bad_upload_is_refused_and_nothing_is_written(
    client: FlaskClient, cases: Path, name: str, content: bytes | None, message: str
) -> None:
    before = snapshot(cases)
    response = _upload(client, name, content if content is not None else PDF.read_bytes())
    assert response.status_code == 303
    page = client.get(f"/dossier/{B2B}").get_data(as_text=True)
    assert "Pièce refusée" in page
    assert message.replace("'", "&#39;") in page
    assert "Rien n&#39;a été enregistré" in page
    assert snapshot(cases) == before


def test_upload_needs_title_and_date(client: FlaskClient, cases: Path) -> None:
    before = snapshot(cases)
    _upload(client, "a.pdf", PDF.read_bytes(), titre=" ")
    assert "Indiquez le titre" in client.get(f"/dossier/{B2B}").get_data(as_text=True)
    _upload(client, "a.pdf", PDF.read_bytes(), date="01/10/26")  # two-digit year
    assert "Indiquez la date" in client.get(f"/dossier/{B2B}").get_data(as_text=True)
    assert snapshot(cases) == before


def test_too_large_upload_is_refused(client: FlaskClient, cases: Path) -> None:
    before = snapshot(cases)
    response = _upload(client, "grosse.pdf", b"%PDF-1.4\n" + b"0" * MAX_UPLOAD)
    assert response.status_code == 413
    assert "Fichier trop volumineux : 20 Mo au plus" in response.get_data(as_text=True)
    assert snapshot(cases) == before


def test_upload_into_an_invalid_case_is_refused(client: FlaskClient, cases: Path) -> None:
    path = cases / B2B / "dossier.yaml"
    data = load_yaml(path)
    data["debiteur"]["siren"] = "1"
    write_case(path, data)
    before = snapshot(cases)
    _upload(client, "avenant.pdf", PDF.read_bytes())
    assert "corrigez-le avant" in client.get(f"/dossier/{B2B}").get_data(as_text=True)
    assert snapshot(cases) == before


# ---------------------------------------------------------------------------------------------
# Procedures, rendering and downloads


MED = "mise_en_demeure_professionnel"


def test_procedure_page(client: FlaskClient) -> None:
    html = client.get(f"/dossier/{B2B}/procedure/{MED}").get_data(as_text=True)
    assert "Mise en demeure (lettre recommandée avec avis de réception)" in html
    assert "Procédure disponible pour ce dossier" in html
    assert 'id="generer-docx"' in html


def test_render_and_download_docx(app: Flask, client: FlaskClient, cases: Path) -> None:
    token = csrf_of(client)
    response = client.post(
        f"/dossier/{B2B}/procedure/{MED}", data={"_csrf": token, "quoi": "docx"}
    )
    assert response.status_code == 200
    links = re.findall(
        r'href="(/sorties/[0-9a-f]{32}/[^"]+\.docx)"', response.get_data(as_text=True)
    )
    assert len(links) == 1
    status, content, headers = fetch(client, links[0])
    assert status == 200
    assert "attachment" in headers["Content-Disposition"]
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Atelier Bellecour" in text
    # Written inside DIR/.actes-out/<token>/ only; the case folder is untouched.
    produced = list((cases / OUTPUT_FOLDER).rglob("*.docx"))
    assert len(produced) == 1
    assert not list((cases / B2B).glob("*.docx"))
    # Another session cannot fetch it, nor can a forged token.
    with app.test_client() as other:
        assert other.get(links[0]).status_code == 404
    forged = re.sub(r"[0-9a-f]{32}", "0" * 32, links[0])
    assert client.get(forged).status_code == 404
    assert (
        client.get(
            links[0].rsplit("/", 1)[0] + "/..%2F..%2Fb2b-factures-impayees%2Fdossier.yaml"
        ).status_code
        == 404
    )


def test_failed_precondition_is_explained(client: FlaskClient, cases: Path) -> None:
    token = csrf_of(client)
    response = client.post(
        f"/dossier/{B2B}/procedure/mise_en_demeure_consommateur",
        data={"_csrf": token, "quoi": "docx"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="echec"' in html
    assert "ne peut pas être utilisée" in html
    assert not list((cases / OUTPUT_FOLDER).rglob("*.docx"))


def test_unknown_render_kind_is_refused(client: FlaskClient) -> None:
    token = csrf_of(client)
    response = client.post(f"/dossier/{B2B}/procedure/{MED}", data={"_csrf": token, "quoi": "zip"})
    assert response.status_code == 400


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")
def test_packet(client: FlaskClient) -> None:
    token = csrf_of(client)
    url = f"/dossier/{B2B}/procedure/{MED}"
    assert 'id="generer-dossier"' in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"_csrf": token, "quoi": "dossier"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    links = re.findall(r'href="(/sorties/[0-9a-f]{32}/[^"]+\.zip)"', html)
    assert links
    status, content, _ = fetch(client, links[0])
    assert status == 200
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "manifest.json" in archive.namelist()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")
def test_render_pdf(client: FlaskClient) -> None:
    token = csrf_of(client)
    response = client.post(f"/dossier/{B2B}/procedure/{MED}", data={"_csrf": token, "quoi": "pdf"})
    assert response.status_code == 200
    links = re.findall(
        r'href="(/sorties/[0-9a-f]{32}/[^"]+\.pdf)"', response.get_data(as_text=True)
    )
    assert links
    assert fetch(client, links[0])[1].startswith(b"%PDF-")


# ---------------------------------------------------------------------------------------------
# Errors and the command


def test_error_pages_are_in_french(client: FlaskClient) -> None:
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)
    assert client.delete("/").status_code == 405


def test_serve_command_warns_off_loopback(monkeypatch: pytest.MonkeyPatch, cases: Path) -> None:
    started: list[tuple[str, int, Flask]] = []

    class FakeServer:
        server_port = 8123

        def __init__(
            self, host: str, port: int, app: Flask, threaded: bool, request_handler: Any
        ) -> None:
            started.append((host, port, app))

        def serve_forever(self) -> None:
            return None

        def server_close(self) -> None:
            return None

    monkeypatch.setattr("werkzeug.serving.make_server", FakeServer)
    local = CliRunner().invoke(main, ["serve", "--cases", str(cases), "--port", "8123"])
    assert local.exit_code == 0, local.output
    assert "http://127.0.0.1:8123/" in local.output
    assert "authentification" not in local.output
    host, _, app = started[-1]
    assert host == "127.0.0.1"
    with app.test_client() as client:
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
        assert client.get("/", headers={"Host": "127.0.0.1:8123"}).status_code == 200
    # Off loopback: no password, no server (see tests/test_web_security.py for the login).
    monkeypatch.delenv("ACTES_SERVE_PASSWORD", raising=False)
    monkeypatch.setenv("ACTES_WORKSPACE", str(cases))
    exposed = CliRunner().invoke(main, ["serve", "--cases", str(cases), "--host", "0.0.0.0"])
    assert exposed.exit_code == 2
    assert "un mot de passe est obligatoire" in exposed.output
    assert started[-1][0] == "127.0.0.1"


def test_loopback_detection() -> None:
    from actes.cli.serve import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    assert not is_loopback("exemple.fr")


def test_templates_and_style_ship_with_the_package() -> None:
    import actes.web

    folder = Path(actes.web.__file__).parent
    for name in ("base.html", "index.html", "dossier.html", "formulaire.html", "procedure.html"):
        assert (folder / "templates" / name).is_file()
    assert (folder / "static" / "actes.css").is_file()
    assert yaml is not None

"""The web page's part of the history: record the sending in one click, see the journal."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from actes.cases import journal
from actes.web import create_app
from actes.web.app import hash_password

from .conftest import AU, copy_example, load_yaml

B2B = "b2b-factures-impayees"
MED = "mise_en_demeure_professionnel"


@pytest.fixture(autouse=True)
def _no_workspace_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACTES_WORKSPACE", raising=False)


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    root = tmp_path / "affaires"
    root.mkdir()
    (root / "actes.toml").write_text("", encoding="utf-8")
    copy_example(B2B, root)
    return root


def csrf(client: FlaskClient) -> str:
    client.get("/nouveau")  # a page with a form: the session gets its token
    with client.session_transaction() as session:
        token = session.get("csrf")
    assert isinstance(token, str)
    return token


def test_generate_then_record_the_sending(cases: Path) -> None:
    client = create_app(cases, au=AU).test_client()
    token = csrf(client)
    page = client.post(f"/dossier/{B2B}/procedure/{MED}", data={"_csrf": token, "quoi": "docx"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Enregistrer l'envoi le 24/11/2026" in text
    form = re.search(r'<form[^>]*action="([^"]*/evenement)"(.*?)</form>', text, re.S)
    assert form is not None
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    assert fields["type"] == "mise_en_demeure_envoyee" and fields["date"] == "2026-11-24"

    done = client.post(form.group(1), data=fields)
    assert done.status_code == 303
    case = cases / B2B / "dossier.yaml"
    assert {"type": "mise_en_demeure_envoyee", "date": "2026-11-24"} in load_yaml(case)[
        "evenements"
    ]
    entries = journal.case_entries(case)
    assert [e["action"] for e in entries] == ["document_generated", "event_recorded"]
    assert all(e["qui"].endswith("(page web)") for e in entries)

    shown = client.get(f"/dossier/{B2B}").get_data(as_text=True)
    history = shown[shown.index('id="historique"') :]
    history = history[: history.index("</section>")]
    # Most recent first: the event, then the documents with their shortened hash.
    assert history.index("Événement enregistré") < history.index("Documents produits")
    [produced] = entries[0]["details"]["fichiers"]
    digest = produced["sha256"]
    out = next((cases / ".actes-out").rglob(produced["nom"]))
    assert digest == hashlib.sha256(out.read_bytes()).hexdigest()
    assert f'<code title="{digest}">{digest[:12]}…</code>' in history
    assert html.escape(produced["nom"]) in history
    # Once recorded, the sending is no longer offered.
    again = client.post(f"/dossier/{B2B}/procedure/{MED}", data={"_csrf": token, "quoi": "docx"})
    assert "/evenement" not in again.get_data(as_text=True)


def test_recording_needs_the_csrf_token(cases: Path) -> None:
    client = create_app(cases, au=AU).test_client()
    csrf(client)
    case = cases / B2B / "dossier.yaml"
    before = case.read_bytes()
    response = client.post(
        f"/dossier/{B2B}/evenement", data={"type": "mise_en_demeure_envoyee", "date": "2026-11-24"}
    )
    assert response.status_code == 400
    assert case.read_bytes() == before
    assert journal.case_entries(case) == []


def test_refused_event_is_explained_and_writes_nothing(cases: Path) -> None:
    client = create_app(cases, au=AU).test_client()
    token = csrf(client)
    case = cases / B2B / "dossier.yaml"
    before = case.read_bytes()
    response = client.post(
        f"/dossier/{B2B}/evenement",
        data={"_csrf": token, "type": "lettre_perdue", "date": "2026-11-24"},
        follow_redirects=True,
    )
    assert "Événement non enregistré" in response.get_data(as_text=True)
    assert case.read_bytes() == before


def test_acts_are_recorded_under_the_name_given_at_login(cases: Path) -> None:
    app = create_app(cases, au=AU, password_hash=hash_password("secret"))
    client = app.test_client()
    client.get("/connexion")
    with client.session_transaction() as session:
        token = session.get("csrf")
    assert isinstance(token, str)
    login = client.post(
        "/connexion",
        data={"_csrf": token, "mot_de_passe": "secret", "nom": "Alice  Martin", "suivant": "/"},
    )
    assert login.status_code == 303
    token = csrf(client)
    response = client.post(
        f"/dossier/{B2B}/evenement",
        data={"_csrf": token, "type": "relance_envoyee", "date": "2026-11-20"},
    )
    assert response.status_code == 303
    [entry] = journal.case_entries(cases / B2B / "dossier.yaml")
    assert entry["qui"] == "Alice Martin (page web)"
    assert entry["action"] == "event_recorded"

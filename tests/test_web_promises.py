"""The case page's « Promesses de paiement »: the form records a promise, a refused one comes
back with its reason in French, and the section shows each promise's status."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from actes.cases import journal
from actes.web import create_app
from actes.web.app import hash_password

from .conftest import copy_example, load_yaml, plain_spaces, write_case

B2B = "b2b-factures-impayees"
AU = dt.date(2026, 11, 24)


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


def _csrf(client: FlaskClient) -> str:
    client.get(f"/dossier/{B2B}")
    with client.session_transaction() as session:
        token = session.get("csrf")
    assert isinstance(token, str)
    return token


def _section(page: str) -> str:
    start = page.index('id="promesses"')
    return plain_spaces(html.unescape(page[start : page.index("</section>", start)]))


def _promise_events(root: Path) -> list[dict[str, str]]:
    data = load_yaml(root / B2B / "dossier.yaml")
    return [e for e in data["evenements"] if e["type"] == "promesse_de_paiement"]


def test_the_form_records_a_promise_under_the_logged_in_name(cases: Path) -> None:
    app = create_app(cases, au=AU, password_hash=hash_password("secret"))
    client = app.test_client()
    client.get("/connexion")
    with client.session_transaction() as session:
        session["csrf"] = "jeton"
    login = {"_csrf": "jeton", "mot_de_passe": "secret", "nom": "Claire Morel"}
    assert client.post("/connexion", data=login).status_code == 303
    token = _csrf(client)
    page = client.get(f"/dossier/{B2B}").get_data(as_text=True)
    form = _section(page)
    # Defaults: the logged-in name, today's date, the phone.
    assert 'name="par" value="Claire Morel"' in form
    assert 'name="date" value="24/11/2026"' in form
    assert '<option value="telephone" selected>téléphone</option>' in form
    assert "Aucune promesse de paiement." in form

    typed = {"montant": "1 250,50", "date_promise": "15/11/2026", "canal": "telephone"}
    sent = {"_csrf": token, **typed, "par": "Claire Morel", "date": "03/11/2026"}
    done = client.post(f"/dossier/{B2B}/promesse", data=sent)
    assert done.status_code == 303 and done.location.endswith("#promesses")
    assert _promise_events(cases) == [
        {
            "type": "promesse_de_paiement",
            "date": "2026-11-03",
            "montant": "1250.50",
            "date_promise": "2026-11-15",
            "canal": "telephone",
            "par": "Claire Morel",
        }
    ]
    [entry] = journal.case_entries(cases / B2B / "dossier.yaml")
    assert entry["action"] == "event_recorded" and entry["qui"] == "Claire Morel (page web)"

    shown = _section(client.get(f"/dossier/{B2B}").get_data(as_text=True))
    assert "Promesse enregistrée : 1 250,50 € pour le 15/11/2026." in shown
    row = shown[shown.index('<tr class="promesse-rompue">') :]
    cells = re.sub(r"<[^>]+>", " ", row[: row.index("</tr>")]).split()
    assert " ".join(cells) == (
        "03/11/2026 Claire Morel téléphone 1 250,50 € 15/11/2026 0,00 € rompue depuis le "
        "16/11/2026"
    )


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"montant": "-5", "date_promise": "30/11/2026"},
            "Montant « -5 » : indiquez la somme promise, supérieure à zéro",
        ),
        ({"montant": "", "date_promise": "30/11/2026"}, "Indiquez le montant promis."),
        (
            {"montant": "100", "date_promise": "01/11/2026"},
            "La date promise (01/11/2026) précède le jour où la promesse a été recueillie "
            "(10/11/2026)",
        ),
        ({"montant": "100", "date_promise": "31/11/2026"}, "Indiquez la date promise (JJ/MM/AAAA"),
    ],
)
def test_a_refused_promise_comes_back_with_its_reason(
    cases: Path, fields: dict[str, str], reason: str
) -> None:
    client = create_app(cases, au=AU).test_client()
    token = _csrf(client)
    case = cases / B2B / "dossier.yaml"
    before = case.read_bytes()
    sent = {"_csrf": token, "canal": "courriel", "par": "J. Roux", "date": "10/11/2026", **fields}
    done = client.post(f"/dossier/{B2B}/promesse", data=sent)
    assert done.status_code == 303
    assert case.read_bytes() == before
    shown = _section(client.get(f"/dossier/{B2B}").get_data(as_text=True))
    assert "Promesse non enregistrée : " in shown and reason in shown
    assert "Rien n'a été écrit." in shown
    # What was typed is shown again.
    assert f'name="montant" value="{fields["montant"]}"' in shown
    assert '<option value="courriel" selected>courriel</option>' in shown
    assert 'name="par" value="J. Roux"' in shown


def test_a_case_rule_refusal_is_said_in_the_forms_words(cases: Path) -> None:
    client = create_app(cases, au=AU).test_client()
    token = _csrf(client)
    # The case became invalid since the page was shown (a payment made negative elsewhere).
    path = cases / B2B / "dossier.yaml"
    data = load_yaml(path)
    data["paiements"][0]["montant"] = "-1000.00"
    write_case(path, data)
    before = path.read_bytes()
    sent = {"_csrf": token, "montant": "100", "date_promise": "25/11/2026", "canal": "sms"}
    client.post(f"/dossier/{B2B}/promesse", data={**sent, "date": "24/11/2026"})
    assert path.read_bytes() == before
    page = plain_spaces(html.unescape(client.get(f"/dossier/{B2B}").get_data(as_text=True)))
    message = page[page.index('id="promesse-message"') :]
    message = message[: message.index("</p>")]
    assert "Promesse non enregistrée : Dossier invalide" in message
    assert "« Paiement n° 1 › Montant » : montant -1000.00 : un montant doit être" in message
    assert "$." not in message and "Rien n'a été écrit." in message


def test_no_csrf_no_write(cases: Path) -> None:
    client = create_app(cases, au=AU).test_client()
    case = cases / B2B / "dossier.yaml"
    before = case.read_bytes()
    sent = {"montant": "100", "date_promise": "30/11/2026", "canal": "sms", "date": "24/11/2026"}
    assert client.post(f"/dossier/{B2B}/promesse", data=sent).status_code == 400
    assert case.read_bytes() == before


def test_the_section_lists_in_order_and_shows_a_replaced_promise(cases: Path) -> None:
    path = cases / B2B / "dossier.yaml"
    data = load_yaml(path)
    # In the file the newer promise comes first; on 12/11, the one for 20/11 was not yet due.
    data["evenements"] += [
        {
            "type": "promesse_de_paiement",
            "date": "2026-11-12",
            "montant": "300.00",
            "date_promise": "2026-11-30",
            "canal": "courriel",
            "par": "J. Roux",
        },
        {
            "type": "promesse_de_paiement",
            "date": "2026-11-05",
            "montant": "500.00",
            "date_promise": "2026-11-20",
            "canal": "telephone",
            "par": "J. Roux",
        },
    ]
    write_case(path, data)
    shown = _section(create_app(cases, au=AU).test_client().get(f"/dossier/{B2B}").get_data(True))
    body = shown[shown.index("<tbody>") : shown.index("</tbody>")]
    rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in body.split("</tr>")[:-1]]
    assert rows == [
        "05/11/2026 J. Roux téléphone 500,00 € 20/11/2026 0,00 € remplacée par la promesse du "
        "12/11/2026",
        "12/11/2026 J. Roux courriel 300,00 € 30/11/2026 0,00 € en cours",
    ]

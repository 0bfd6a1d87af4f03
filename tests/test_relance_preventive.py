"""The relance préventive (issue #23, point 3): a courteous reminder N days before a claim's
due date, as a letter (DOCX, PDF) and an e-mail, its conditions, its event per claim, and
``preventive_reminders`` for the worklist."""

from __future__ import annotations

import datetime as dt
import email
import re
import shutil
from decimal import Decimal
from email import policy
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask.testing import FlaskClient
from pypdf import PdfReader

from actes._paths import workspace_scope
from actes.amicable.preventive import preventive_reminders, reminder_days
from actes.cases.case import Case, load_case
from actes.cli import main
from actes.documents.pdf import find_soffice
from actes.documents.render import render_documents
from actes.errors import PreconditionFailed
from actes.web import create_app

from .conftest import ROOT, copy_example, docx_text, load_yaml, plain_spaces, write_case

EXAMPLE = "relance-preventive"
PROCEDURE = "relance_preventive"
LETTER = "CLI-2026-0412-relance-preventive"
# FA-2026-1108 (3 840 €, issued on 9 November, 1 000 € paid on account) falls due on Monday
# 7 December 2026, its reminder goes out 7 days before, on 30 November; FA-2026-1187
# (1 260 €, issued on 1 December) on 31 December. Road freight: at most 30 days from the
# invoice's issue date (C. com. L441-11), which both invoices respect.
SEND_DAY = dt.date(2026, 11, 30)
IBAN = "FR76 3000 4008 1900 0123 4567 879"
ALREADY_PAID = (
    "Si vous avez déjà procédé au règlement, nous vous prions de ne pas tenir compte de ce "
    "courrier."
)
ALREADY_PAID_EMAIL = ALREADY_PAID.replace("ce courrier", "ce message")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(autouse=True)
def _no_workspace_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACTES_WORKSPACE", raising=False)


def example(tmp_path: Path, **changes: Any) -> Path:
    return copy_example(EXAMPLE, tmp_path, **changes)


def edited(tmp_path: Path, change: Any) -> Path:
    """A copy of the example whose data ``change(data)`` edits in place."""
    path = example(tmp_path)
    data = load_yaml(path)
    change(data)
    return write_case(path, data)


def consumer(data: dict[str, Any]) -> None:
    data["debiteur"] = {
        "type": "personne_physique",
        "qualite": "consommateur",
        "civilite": "Mme",
        "nom": "Vuarnet",
        "prenoms": "Claire",
        "adresse": {
            "ligne1": "3 chemin des Prés",
            "code_postal": "74000",
            "ville": "Annecy",
            "pays": "FR",
        },
    }
    del data["creancier"]["iban"], data["creancier"]["bic"]
    for claim in data["creances"]:
        claim.pop("taux_contractuel", None)


def render(path: Path, out: Path, au: dt.date = SEND_DAY, *, pdf: bool = False) -> list[Path]:
    return render_documents(PROCEDURE, path, out, au, pdf=pdf)


def text_of(written: list[Path]) -> str:
    [letter] = [p for p in written if p.suffix == ".docx"]
    return plain_spaces(docx_text(letter))


def body_of(written: list[Path]) -> tuple[email.message.EmailMessage, str]:
    [eml] = [p for p in written if p.suffix == ".eml"]
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert isinstance(message, email.message.EmailMessage)
    # CRLF line ends in the file (RFC 5322), read as lines.
    return message, plain_spaces(str(message.get_content()).replace("\r\n", "\n"))


def case_at(path: Path, au: dt.date) -> Case:
    return load_case(path, au=au)


# --------------------------------------------------------------------------- the letter


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) absent")
def test_b2b_letter_docx_and_pdf(tmp_path: Path) -> None:
    written = render(example(tmp_path), tmp_path / "out", pdf=True)
    assert sorted(p.name for p in written) == [f"{LETTER}.{s}" for s in ("docx", "eml", "pdf")]
    text = text_of(written)
    # The invoice falling due: reference, dates, amount and what is left after the payment.
    for expected in (
        "Objet : Échéance du 7 décembre 2026 – Facture FA-2026-1108",
        "Madame la Gérante,",
        "la facture suivante arrive à échéance le 7 décembre 2026 :",
        "FA-2026-1108",
        "9 novembre 2026",
        "3 840,00 €",
        "Nous avons bien reçu votre règlement du 20 novembre 2026 (1 000,00 €), déduit",
        "Montant à régler au plus tard le 7 décembre 2026 : 2 840,00 €.",
        f"IBAN {IBAN}, BIC BNPAFRPPGRE, en indiquant la référence FA-2026-1108.",
        ALREADY_PAID,
        "Julien Morel",
    ):
        assert expected in text, expected
    # The invoice due on 31 December is not reminded yet.
    assert "FA-2026-1187" not in text
    # Between professionals: the payment terms recalled as a fact, the invoice's own rate.
    assert (
        "Pour mémoire, conformément à l'article L441-10 du code de commerce et aux conditions "
        "de règlement figurant sur la facture" in text
    )
    assert "indemnité forfaitaire pour frais de recouvrement de 40 euros par facture" in text
    assert "(code de commerce, art. D441-5)" in text
    assert "Le taux de ces pénalités est égal à 3 fois le taux de l'intérêt légal." in text
    # Nothing is due yet: no demand, no mise en demeure, no amount of interest or penalty.
    lowered = text.lower()
    assert "mise en demeure" not in lowered and "mettons en demeure" not in lowered
    assert "intérêts" not in lowered and "pénalités de retard :" not in lowered
    assert "%" not in text
    [pdf] = [p for p in written if p.suffix == ".pdf"]
    printed = plain_spaces(" ".join(p.extract_text() or "" for p in PdfReader(pdf).pages))
    printed = re.sub(r"\s+", " ", printed)
    for expected in ("FA-2026-1108", "2 840,00 €", IBAN, "L441-10", "D441-5", "Page 1 / 1"):
        assert expected in printed, expected
    assert "{{" not in printed and "mise en demeure" not in printed.lower()


def test_consumer_letter_recalls_no_penalty_and_offers_a_cheque(tmp_path: Path) -> None:
    written = render(edited(tmp_path, consumer), tmp_path / "out")
    text = text_of(written)
    assert "Madame," in text
    assert "FA-2026-1108" in text and "2 840,00 €" in text
    for absent in ("L441-10", "D441-5", "pénalité", "indemnité", "40 euros", "IBAN"):
        assert absent not in text, absent
    assert (
        "par chèque à l'ordre de Transports Morel, en indiquant au dos la référence "
        "FA-2026-1108." in text
    )
    assert ALREADY_PAID in text
    _, body = body_of(written)
    assert "L441-10" not in body and "pénalité" not in body


def test_several_invoices_and_a_default_rate(tmp_path: Path) -> None:
    """Two invoices in the window, the second without a contractual rate: each rate is
    named with its invoice, the default rate of L441-10 II for the second."""

    def second_soon(data: dict[str, Any]) -> None:
        data["creances"][1]["date_echeance"] = "2026-12-04"
        # A variant of the example whose second invoice states no rate.
        data["creances"][1].pop("taux_contractuel")

    written = render(edited(tmp_path, second_soon), tmp_path / "out")
    text = text_of(written)
    assert "Objet : Prochaines échéances – Factures FA-2026-1187 et FA-2026-1108" in text
    assert "les factures suivantes arrivent prochainement à échéance :" in text
    assert "les références FA-2026-1187 et FA-2026-1108" in text
    assert "4 100,00 €" in text  # 1 260,00 € + 2 840,00 €
    assert (
        "Le taux de ces pénalités est égal au taux d'intérêt appliqué par la Banque centrale "
        "européenne à son opération de refinancement la plus récente, majoré de 10 points de "
        "pourcentage (code de commerce, art. L441-10 II) pour la facture FA-2026-1187 et égal "
        "à 3 fois le taux de l'intérêt légal pour la facture FA-2026-1108." in text
    )


# --------------------------------------------------------------------------- the e-mail


def test_email_version_says_the_same_as_the_letter(tmp_path: Path) -> None:
    written = render(example(tmp_path), tmp_path / "out")
    message, body = body_of(written)
    assert message["Subject"] == "Échéance du 7 décembre 2026 – Facture FA-2026-1108"
    assert message["To"] == "Fromagerie des Aravis <compta@fromagerie-aravis.example>"
    assert message["From"] == "Transports Morel <comptabilite@transports-morel.example>"
    assert message["X-Unsent"] == "1"
    assert message.get_content_type() == "text/plain"
    assert message["Date"] is None  # a draft: the mail client dates it when sending
    assert body.startswith("Madame la Gérante,\n")
    assert (
        "- Facture FA-2026-1108 du 9 novembre 2026 (Transport frigorifique Annecy – Rungis, "
        "novembre 2026) : 2 840,00 € restant à payer (montant 3 840,00 €), échéance le "
        "7 décembre 2026" in body
    )
    letter = text_of(written)
    for sentence in (
        "Montant à régler au plus tard le 7 décembre 2026 : 2 840,00 €.",
        f"IBAN {IBAN}, BIC BNPAFRPPGRE, en indiquant la référence FA-2026-1108.",
        "Le taux de ces pénalités est égal à 3 fois le taux de l'intérêt légal.",
    ):
        assert sentence in body and sentence in letter, sentence
    # « ce courrier » in the letter, « ce message » in the e-mail.
    assert ALREADY_PAID in letter and ALREADY_PAID not in body
    assert ALREADY_PAID_EMAIL in body
    # A reference copied from the e-mail into a transfer keeps its ordinary hyphens.
    assert "\u2011" not in body
    assert body.rstrip().endswith("Nos références : CLI-2026-0412")
    assert "mise en demeure" not in body.lower()


def test_email_keeps_case_data_as_plain_text(tmp_path: Path) -> None:
    """Case data is text placed in the message: never evaluated as a template, never
    HTML-escaped."""

    def hostile(data: dict[str, Any]) -> None:
        data["creancier"]["denomination"] = "Morel & Fils <Transports>"
        data["creances"][0]["libelle"] = "Transport {{ 7 * 7 }} {% if true %}x{% endif %}"
        del data["debiteur"]["email"]

    written = render(edited(tmp_path, hostile), tmp_path / "out")
    message, body = body_of(written)
    assert "Morel & Fils <Transports>" in body
    assert "&amp;" not in body and "&lt;" not in body
    assert "Transport {{ 7 * 7 }} {% if true %}x{% endif %}" in body
    assert message["To"] is None  # no address in the case: the user fills it in
    assert "Transport {{ 7 * 7 }}" in text_of(written)


# --------------------------------------------------------------------------- conditions


def refusal(path: Path, out: Path, au: dt.date) -> PreconditionFailed:
    with pytest.raises(PreconditionFailed) as caught:
        render(path, out, au)
    assert not out.exists() or not any(out.iterdir())  # nothing written
    return caught.value


def test_refused_when_no_claim_falls_due_within_n_days(tmp_path: Path) -> None:
    error = refusal(example(tmp_path), tmp_path / "out", dt.date(2026, 11, 29))
    assert [issue.rule for issue in error.issues] == ["echeance_proche"]
    assert "n'arrive à échéance dans le délai de la relance préventive" in error.format()


def test_refused_when_the_claims_are_already_overdue(tmp_path: Path) -> None:
    error = refusal(example(tmp_path), tmp_path / "out", dt.date(2027, 1, 5))
    assert [issue.rule for issue in error.issues] == ["creance_a_echoir", "echeance_proche"]
    assert "Une facture échue et impayée se relance par la relance amiable" in error.format()
    assert "relance_amiable" in error.format()


def test_refused_when_the_claim_in_the_window_is_paid(tmp_path: Path) -> None:
    def paid(data: dict[str, Any]) -> None:
        data["paiements"].append(
            {"date": "2026-11-28", "montant": "2840.00", "creance": "FA-2026-1108"}
        )

    error = refusal(edited(tmp_path, paid), tmp_path / "out", SEND_DAY)
    assert [issue.rule for issue in error.issues] == ["echeance_proche"]


@pytest.mark.parametrize(
    ("event", "rule"),
    [
        ({"type": "jugement_ouverture", "date": "2026-11-25"}, "pas_de_procedure_collective"),
        (
            {"type": "surendettement_recevabilite", "date": "2026-11-25"},
            "pas_de_surendettement_recevable",
        ),
    ],
)
def test_refused_in_a_collective_procedure_or_surendettement(
    tmp_path: Path, event: dict[str, str], rule: str
) -> None:
    def record(data: dict[str, Any]) -> None:
        data["evenements"] = [event]

    error = refusal(edited(tmp_path, record), tmp_path / "out", SEND_DAY)
    assert rule in [issue.rule for issue in error.issues]


# --------------------------------------------------------------------------- worklist


def test_preventive_reminders_statuses(tmp_path: Path) -> None:
    path = example(tmp_path)
    before = preventive_reminders(case_at(path, dt.date(2026, 11, 27)), dt.date(2026, 11, 27))
    assert [(r.claim.reference, r.status, r.amount, r.send_on, r.due) for r in before] == [
        (
            "FA-2026-1108",
            "a_venir",
            Decimal("2840.00"),
            dt.date(2026, 11, 30),
            dt.date(2026, 12, 7),
        ),
        (
            "FA-2026-1187",
            "a_venir",
            Decimal("1260.00"),
            dt.date(2026, 12, 24),
            dt.date(2026, 12, 31),
        ),
    ]
    assert before[0].label == (
        "Relance préventive à envoyer le 30 novembre 2026 : facture FA-2026-1108, "
        "2\u202f840,00\u00a0€ à payer le 7 décembre 2026"
    )
    on_day = preventive_reminders(case_at(path, SEND_DAY), SEND_DAY)
    assert [r.status for r in on_day] == ["a_envoyer", "a_venir"]
    assert on_day[0].label.startswith("Relance préventive à envoyer : facture FA-2026-1108")

    data = load_yaml(path)
    data["evenements"] = [
        # Without the claim's reference, an event says nothing of a given claim.
        {"type": "relance_preventive_envoyee", "date": "2026-11-30"},
        {"type": "relance_preventive_envoyee", "date": "2026-11-30", "reference": "FA-2026-1108"},
    ]
    write_case(path, data)
    after = preventive_reminders(case_at(path, dt.date(2026, 12, 1)), dt.date(2026, 12, 1))
    assert [r.status for r in after] == ["envoyee", "a_venir"]
    assert after[0].label.startswith("Relance préventive envoyée le 30 novembre 2026")
    # From the due date on, the claim is no longer a preventive matter.
    due = preventive_reminders(case_at(path, dt.date(2026, 12, 7)), dt.date(2026, 12, 7))
    assert [r.claim.reference for r in due] == ["FA-2026-1187"]


def test_preventive_reminders_skip_a_paid_claim(tmp_path: Path) -> None:
    def paid(data: dict[str, Any]) -> None:
        data["paiements"].append(
            {"date": "2026-11-25", "montant": "1260.00", "creance": "FA-2026-1187"}
        )

    path = edited(tmp_path, paid)
    found = preventive_reminders(case_at(path, SEND_DAY), SEND_DAY)
    assert [r.claim.reference for r in found] == ["FA-2026-1108"]


# --------------------------------------------------------------------------- sending


def test_render_records_one_event_per_claim(tmp_path: Path) -> None:
    def second_soon(data: dict[str, Any]) -> None:
        data["creances"][1]["date_echeance"] = "2026-12-04"

    path = edited(tmp_path, second_soon)
    out = tmp_path / "out"
    shown = run("render", PROCEDURE, str(path), "-o", str(out), "--date", "2026-11-30")
    assert shown.exit_code == 0, shown.output
    assert "relance_preventive_envoyee --le 2026-11-30 --reference FA-2026-1187" in shown.output
    assert "--reference FA-2026-1108" in shown.output
    done = run(
        "render", PROCEDURE, str(path), "-o", str(out), "--date", "2026-11-30", "--enregistrer"
    )
    assert done.exit_code == 0, done.output
    assert "Événement enregistré : relance_preventive_envoyee (FA-2026-1187)" in done.output
    events = load_yaml(path)["evenements"]
    assert events == [
        {"type": "relance_preventive_envoyee", "date": "2026-11-30", "reference": ref}
        for ref in ("FA-2026-1187", "FA-2026-1108")
    ]
    statuses = preventive_reminders(case_at(path, SEND_DAY), SEND_DAY)
    assert [r.status for r in statuses] == ["envoyee", "envoyee"]
    # Rendering again offers nothing more to record.
    again = run("render", PROCEDURE, str(path), "-o", str(out), "--date", "2026-11-30")
    assert "Pour enregistrer" not in again.output


def csrf(client: FlaskClient) -> str:
    client.get("/nouveau")
    with client.session_transaction() as session:
        token = session.get("csrf")
    assert isinstance(token, str)
    return token


def test_web_records_the_sending_with_the_claim(tmp_path: Path) -> None:
    root = tmp_path / "affaires"
    root.mkdir()
    (root / "actes.toml").write_text("", encoding="utf-8")
    path = example(root)
    client = create_app(root, au=SEND_DAY).test_client()
    token = csrf(client)
    page = client.post(
        f"/dossier/{EXAMPLE}/procedure/{PROCEDURE}", data={"_csrf": token, "quoi": "docx"}
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200, text
    assert f"{LETTER}.eml" in text
    assert "Enregistrer l'envoi le 30/11/2026 (FA-2026-1108)" in text
    form = re.search(r'<form[^>]*action="([^"]*/evenement)"(.*?)</form>', text, re.S)
    assert form is not None
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    assert fields["reference"] == "FA-2026-1108"
    assert client.post(form.group(1), data=fields).status_code == 303
    assert load_yaml(path)["evenements"] == [
        {"type": "relance_preventive_envoyee", "date": "2026-11-30", "reference": "FA-2026-1108"}
    ]


# --------------------------------------------------------------------------- overlay


def test_workspace_overlay_changes_the_number_of_days(tmp_path: Path) -> None:
    """A firm sends its reminders 10 days ahead: its copy of the version changes the one
    number; the condition follows (YAML anchor) and so does the worklist."""
    root = tmp_path / "cabinet"
    assert run("init", str(root)).exit_code == 0
    shipped = ROOT / "procedures" / PROCEDURE / "2019-04-26.yaml"
    text = shipped.read_text(encoding="utf-8")
    assert text.count("jours_avant_echeance: &jours 7") == 1
    target = root / "procedures" / PROCEDURE / shipped.name
    target.parent.mkdir(parents=True)
    target.write_text(text.replace("&jours 7", "&jours 10"), encoding="utf-8")
    path = example(root / "dossiers")
    elsewhere = tmp_path / "hors-cabinet"
    shutil.copytree(path.parent, elsewhere)
    au = dt.date(2026, 11, 27)  # 10 days before 7 December

    assert reminder_days(case_at(path, au), au) == 10
    assert reminder_days(case_at(elsewhere / "dossier.yaml", au), au) == 7
    firm = preventive_reminders(case_at(path, au), au)
    assert (firm[0].status, firm[0].send_on) == ("a_envoyer", au)
    shipped_days = preventive_reminders(case_at(elsewhere / "dossier.yaml", au), au)
    assert (shipped_days[0].status, shipped_days[0].send_on) == ("a_venir", SEND_DAY)
    written = render(path, tmp_path / "out", au)
    assert "FA-2026-1108" in text_of(written)
    refusal(elsewhere / "dossier.yaml", tmp_path / "out-hors", au)
    with workspace_scope(path.parent):
        assert reminder_days(None, au) == 10

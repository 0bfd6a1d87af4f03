"""Review of the payment plan, the surendettement letters, ``actes next``, Form A section 9
and the bundled examples' data: each point checked on the rendered DOCX (or, for the
prescription rule, which no document prints, on ``actes deadlines``)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner
from docx.oxml.ns import qn

from actes.amicable.plan import render_plan_letter
from actes.cases.case import load_case
from actes.cli import main
from actes.documents.render import render_documents
from actes.errors import ActesError, PreconditionFailed
from actes.law.assistant import grouped_instalment_alerts, next_steps
from actes.law.timeline import prescription_deadlines

from .conftest import EXAMPLES

DAY = dt.date(2026, 12, 1)
NBSP = "\u00a0"
# The examples this review covers (examples/injonction-2026 is being reworked elsewhere).
REVIEWED = (
    "b2b-factures-impayees",
    "b2c-travaux-consommateur",
    "jcp-credit-consommation",
    "surendettement",
    "surendettement-contestation",
    "tj-creance-civile",
    "ipe-debiteur-allemand",
    "liquidation-judiciaire",
)


def _paragraphs(path: Path) -> list[str]:
    """Every paragraph of the document, table cells included, in reading order."""
    body = docx.Document(str(path)).element.body
    # Runs' text and Word's no-break hyphens (<w:noBreakHyphen/>, in article numbers).
    wanted = (qn("w:t"), qn("w:noBreakHyphen"))
    return [
        "".join("-" if n.tag == wanted[1] else (n.text or "") for n in p.iter(*wanted))
        for p in body.iter(qn("w:p"))
    ]


def _text(path: Path) -> str:
    return "\n".join(_paragraphs(path)).replace(NBSP, " ").replace("\u202f", " ")


def _render(procedure: str, example: str, out: Path) -> list[Path]:
    return render_documents(procedure, EXAMPLES / example / "dossier.yaml", out, DAY)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


# --------------------------------------------------------------------------- plan document


@pytest.fixture(scope="module")
def plan_document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plan")
    [path] = _render("plan_apurement", "b2c-travaux-consommateur", out)
    return path


def _signature_cells(path: Path) -> tuple[str, str]:
    document = docx.Document(str(path))
    table = document.tables[-1]
    creditor, debtor = table.rows[0].cells
    return (
        "\n".join(p.text for p in creditor.paragraphs).replace(NBSP, " "),
        "\n".join(p.text for p in debtor.paragraphs).replace(NBSP, " "),
    )


def test_plan_leaves_space_for_the_handwritten_amount(plan_document: Path) -> None:
    text = _text(plan_document)
    assert "Lu et approuvé" not in text
    assert "bon pour accord" not in text
    _, debtor = _signature_cells(plan_document)
    assert "de la main de la débitrice" in debtor
    assert "en toutes lettres et en chiffres (code civil, art. 1376)" in debtor
    # Ruled lines to write on, between the instruction and the signature.
    lines = [line for line in debtor.splitlines() if line and set(line) == {"."}]
    assert len(lines) >= 3
    assert debtor.rstrip().endswith("Signature :")


def test_plan_names_the_creditors_signatory(plan_document: Path) -> None:
    creditor, _ = _signature_cells(plan_document)
    assert "Renov'Est" in creditor
    assert "représentée par M. Paul Schmitt, gérant" in creditor


def test_plan_names_the_debtor_in_her_gender(plan_document: Path) -> None:
    text = _text(plan_document)
    assert "ci-après « la débitrice »" in text
    assert "La débitrice reconnaît devoir au créancier" in text
    assert "La débitrice s'engage à payer" in text
    assert "à la charge de la débitrice" in text
    assert "le débiteur" not in text.lower().replace("la débitrice", "")


def test_plan_interest_article_does_not_threaten_interest(plan_document: Path) -> None:
    text = _text(plan_document)
    article = text.split("Article 3 – Intérêts et imputation des paiements")[1]
    article = article.split("Article 4")[0]
    assert "Le créancier renonce aux intérêts pendant toute l'exécution du plan" in article
    assert "tant que les échéances sont payées à leur date" not in article
    # No interest: no imputation « d'abord sur les intérêts ».
    assert "Chaque versement s'impute sur l'échéance impayée la plus ancienne." in article


def test_plan_prints_the_grace_days_the_follow_up_applies(plan_document: Path) -> None:
    text = _text(plan_document)
    assert "Une échéance réglée dans les 5 jours (cinq jours) qui suivent sa date" in text
    # The follow-up applies the same 5 days (case: plan.jours_de_grace).
    case = load_case(EXAMPLES / "b2c-travaux-consommateur" / "dossier.yaml", au=DAY)
    assert case.data["plan"]["jours_de_grace"] == 5


# --------------------------------------------------------------------------- plan letter


@pytest.fixture(scope="module")
def reminder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    case = load_case(EXAMPLES / "b2c-travaux-consommateur" / "dossier.yaml", au=DAY)
    path, status = render_plan_letter(case, DAY, tmp_path_factory.mktemp("lettre"))
    assert status.action.lettre == "relance_echeance_plan"
    return path


def test_reminder_total_row_label_in_the_wide_column(reminder: Path) -> None:
    table = docx.Document(str(reminder)).tables[-1]
    total = [cell.text for cell in table.rows[-1].cells]
    assert total[0] == ""
    assert total[1] == "Total de l'arriéré"
    assert total[-1].replace(NBSP, " ") == "180,00 €"


def test_reminder_quotes_the_acceleration_clause(reminder: Path) -> None:
    paragraphs = [p.replace(NBSP, " ") for p in _paragraphs(reminder)]
    intro = next(i for i, p in enumerate(paragraphs) if "clause de déchéance du terme" in p)
    assert paragraphs[intro].endswith("que stipule le plan :")
    quoted = paragraphs[intro + 1]
    assert quoted.startswith("« À défaut de paiement d'une seule échéance à sa date")
    assert quoted.endswith("premier jour ouvrable suivant. »")


def test_reminder_names_the_instalment_due_before_its_deadline(reminder: Path) -> None:
    text = _text(reminder)
    assert "au plus tard le 16 décembre 2026" in text
    assert "échéance n° 3 du 10 décembre 2026 (180,00 €)" in text
    assert "Au 16 décembre 2026, vous devrez donc avoir réglé au total 360,00 €." in text


# --------------------------------------------------------------------------- surendettement


def test_justification_refused_once_sent(tmp_path: Path) -> None:
    with pytest.raises(PreconditionFailed) as raised:
        _render("surendettement_declaration", "surendettement-contestation", tmp_path)
    assert [issue.rule for issue in raised.value.issues] == ["justification_non_envoyee"]
    assert not list(tmp_path.iterdir())


def test_justification_refused_after_the_r723_3_deadline(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLES / "surendettement-contestation", folder)
    data = yaml.safe_load((folder / "dossier.yaml").read_text(encoding="utf-8"))
    data["evenements"] = [
        e for e in data["evenements"] if e["type"] != "declaration_creance_envoyee"
    ]
    (folder / "dossier.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(PreconditionFailed) as raised:
        render_documents("surendettement_declaration", folder / "dossier.yaml", tmp_path, DAY)
    assert [issue.rule for issue in raised.value.issues] == ["dans_le_delai_r723_3"]
    # ``actes next`` does not offer it either.
    assessment = next_steps(load_case(folder / "dossier.yaml", au=DAY), DAY)
    assert assessment.step("surendettement_declaration") is None


def test_justification_in_time_renders_and_says_so(tmp_path: Path) -> None:
    [letter] = _render("surendettement_declaration", "surendettement", tmp_path)
    assert "R723-3" in _text(letter)


def test_contestation_only_within_the_deadline_of_a_decision(tmp_path: Path) -> None:
    with pytest.raises(PreconditionFailed) as raised:
        _render("surendettement_contestation", "surendettement", tmp_path)
    assert [issue.rule for issue in raised.value.issues] == ["dans_le_delai"]
    [letter] = _render("surendettement_contestation", "surendettement-contestation", tmp_path)
    assert "L733-10" in _text(letter)
    nord = next_steps(load_case(EXAMPLES / "surendettement" / "dossier.yaml", au=DAY), DAY)
    assert nord.step("surendettement_contestation") is None
    gironde = next_steps(
        load_case(EXAMPLES / "surendettement-contestation" / "dossier.yaml", au=DAY), DAY
    )
    assert gironde.step("surendettement_declaration") is None
    assert gironde.recommended is not None
    assert gironde.recommended.procedure_id == "surendettement_contestation"


# --------------------------------------------------------------------------- actes next


def _next_json(example: str) -> dict[str, Any]:
    code, out = _run("next", str(EXAMPLES / example), "--au", DAY.isoformat(), "--json")
    assert code == 0, out
    data: dict[str, Any] = json.loads(out)
    return data


@pytest.mark.parametrize("example", REVIEWED)
def test_next_offers_only_what_renders(example: str, tmp_path: Path) -> None:
    data = _next_json(example)
    for step in data["disponibles"]:
        if step["a_completer"]:
            continue
        procedure = step["procedure"]
        try:
            written = _render(procedure, example, tmp_path / procedure)
        except ActesError as error:  # pragma: no cover - the failure message
            pytest.fail(f"{example} : « next » propose {procedure}, refusé : {error.format()}")
        docs = [p for p in written if p.suffix == ".docx"]
        assert docs, procedure
        assert all(_text(p) for p in docs)


def test_next_does_not_offer_the_tj_between_traders() -> None:
    data = _next_json("b2b-factures-impayees")
    offered = [s["procedure"] for s in data["disponibles"]]
    assert "injonction_de_payer_tj" not in offered
    assert "injonction_de_payer_tc" in offered
    [blocked] = [b for b in data["bloquees"] if b["procedure"] == "injonction_de_payer_tj"]
    assert blocked["condition"] == "rendu_impossible"
    assert "n'est pas de la nature attendue" in blocked["message"]


@pytest.mark.parametrize("example", ["b2b-factures-impayees", "tj-creance-civile"])
def test_next_blocks_the_plan_document_without_a_plan(example: str, tmp_path: Path) -> None:
    data = _next_json(example)
    assert "plan_apurement" not in [s["procedure"] for s in data["disponibles"]]
    [blocked] = [b for b in data["bloquees"] if b["procedure"] == "plan_apurement"]
    assert "actes plan propose" in blocked["message"]
    with pytest.raises(ActesError):
        _render("plan_apurement", example, tmp_path)


# --------------------------------------------------------------------------- Form A


def test_form_a_section_9_claims_only_amounts(tmp_path: Path) -> None:
    written = _render("injonction_de_payer_europeenne", "ipe-debiteur-allemand", tmp_path)
    [form] = [p for p in written if "formulaire-A" in p.name and p.suffix == ".docx"]
    text = _text(form)
    section = text.split("9. Frais")[1].split("10. Éléments de preuve")[0]
    assert "Code 01" not in section
    assert "à fixer par la juridiction" not in section
    assert "Code 02 (autres frais)" in section and "40,00 €" in section
    # Section 6: the « Circonstances » column is wide enough for its header.
    table = next(
        t for t in docx.Document(str(form)).tables if t.rows[0].cells[1].text == "Circonstances"
    )
    assert table.columns[1].width is not None and table.columns[1].width.cm >= 2.6


# --------------------------------------------------------------------------- examples data


@pytest.mark.parametrize(
    ("example", "instalments"),
    [
        ("jcp-credit-consommation", ["2026-03-05", "2026-04-05", "2026-05-05", "2026-06-05"]),
        ("surendettement", ["2026-04-10", "2026-05-10", "2026-06-10", "2026-07-10"]),
        ("surendettement-contestation", ["2026-02-05", "2026-03-05", "2026-04-05", "2026-05-05"]),
    ],
)
def test_one_claim_per_instalment(example: str, instalments: list[str]) -> None:
    case = load_case(EXAMPLES / example / "dossier.yaml", au=DAY)
    dates = [c.date_echeance.isoformat() for c in case.creances if not c.reference.endswith("CAP")]
    assert dates == instalments
    assert grouped_instalment_alerts(case) == ()


def test_grouped_instalments_are_warned_about(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLES / "surendettement", folder)
    data = yaml.safe_load((folder / "dossier.yaml").read_text(encoding="utf-8"))
    data["creances"][0]["libelle"] = "Échéances impayées d'avril à juillet 2026"
    (folder / "dossier.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    data_next = json.loads(_run("next", str(folder), "--au", DAY.isoformat(), "--json")[1])
    kinds = [w["type"] for w in data_next["avertissements"]]
    assert "echeances_groupees" in kinds


def test_jcp_capital_is_the_amortisation_tables(tmp_path: Path) -> None:
    case = load_case(EXAMPLES / "jcp-credit-consommation" / "dossier.yaml", au=DAY)
    amounts = {c.reference: str(c.montant) for c in case.creances}
    # 15 000 € at 6,25 % over 60 months, 291,73 € a month: capital after instalment n° 39.
    assert amounts["PP-2023-55120-CAP"] == "5789.47"
    assert (
        sum(c.montant for c in case.creances if "-E" in c.reference)
        == 4 * case.creances[0].montant
    )
    written = _render("injonction_de_payer_jcp", "jcp-credit-consommation", tmp_path)
    requete = next(p for p in written if "requete" in p.name and p.suffix == ".docx")
    text = _text(requete)
    assert "5 789,47 €" in text
    assert "6 872,40" not in text


def test_tj_penalty_due_after_the_notice_expired() -> None:
    case = load_case(EXAMPLES / "tj-creance-civile" / "dossier.yaml", au=DAY)
    penalty = next(c for c in case.creances if c.reference.endswith("-CP"))
    received = next(e.date for e in case.evenements if e.type == "mise_en_demeure_recue")
    assert penalty.date_echeance == received + dt.timedelta(days=8)


def test_prescription_article_of_the_examples() -> None:
    def basis(example: str) -> set[str]:
        case = load_case(EXAMPLES / example / "dossier.yaml", au=DAY)
        return {b for d in prescription_deadlines(case, DAY) for b in d.legal_basis}

    # Architect fees owed by an association: not a commercial obligation.
    assert basis("tj-creance-civile") == {"C. civ. art. 2224"}
    # Consumer loans: the two-year forclusion, not the L218-2 prescription.
    assert basis("surendettement") == {"C. conso. art. R312-35"}
    assert basis("jcp-credit-consommation") == {"C. conso. art. R312-35"}
    # Between professionals, L110-4 I still.
    assert basis("b2b-factures-impayees") == {"C. com. art. L110-4 I"}
    assert basis("b2c-travaux-consommateur") == {"C. conso. art. L218-2"}

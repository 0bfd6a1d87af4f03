"""Review of December 2026: how amounts, rates and interest are computed and presented.

Each test opens the rendered DOCX (python-docx) and checks what a reader sees: the draft
banner of a filed document resting on a provisional rate, the sober reserve of a letter, the
imputation of payments, one rate per claim with its own basis, the articles of contractual
interest, the calculation method actually used, the stop of interest, the clause pénale
without interest, and breakdown lines only when non-zero (docs/rates.md).
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner, Result

from actes.cases.case import load_case
from actes.cli import main
from actes.documents.formatting import format_amount, format_date_long
from actes.documents.packet import build_packet
from actes.documents.render import render_documents
from actes.errors import PreconditionFailed
from actes.law.accounts import decompte_for_case
from actes.law.money import ClaimInput, DecompteOptions, compute_decompte

from .conftest import docx_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AU = date(2026, 12, 1)
NBSP = "\u00a0"
DRAFT = "PROJET – ne pas déposer en l'état"
CONVENTION_TEXT = (
    "service-public",
    "bpifrance",
    "F20688",
    "demi-centime",
    "Aucuns frais de recouvrement réclamés",
    "enfin sur l'indemnité forfaitaire",
    "Chaque ligne : total",
    "Base de calcul",
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def copy_case(name: str, folder: Path, edit: Any = None) -> Path:
    target = folder / name
    shutil.copytree(EXAMPLES / name, target)
    path = target / "dossier.yaml"
    if edit is not None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def render(
    procedure: str, case: Path, out: Path, warnings: list[str] | None = None
) -> dict[str, Path]:
    files = render_documents(
        procedure, case, out, AU, on_warning=warnings.append if warnings is not None else None
    )
    return {p.name: p for p in files}


def main_document(files: dict[str, Path]) -> Path:
    return next(p for name, p in files.items() if "bordereau" not in name)


def raw_decompte(case: Path, au: date = AU) -> dict[str, Any]:
    return dict(decompte_for_case(load_case(case, au=au), au).as_dict())


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ACTES_WORKSPACE", raising=False)
    folder = tmp_path / "cabinet"
    done = run("init", str(folder))
    assert done.exit_code == 0, done.output
    monkeypatch.chdir(folder)
    return folder


def record_2026_s2() -> None:
    done = run(
        "taux", "ajouter", "interet_legal", "2026-S2",
        "--particuliers", "6.84", "--autres", "2.75",
        "--arrete", "Arrêté du 20 juin 2026 (essai)", "--source", "https://www.legifrance.gouv.fr",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    done = run(
        "taux", "ajouter", "bce", "2026-07-01", "2.40",
        "--en-vigueur-depuis", "2026-06-17", "--source", "https://www.ecb.europa.eu",
    )  # fmt: skip
    assert done.exit_code == 0, done.output


# --- A1: drafts and reserves ---------------------------------------------------------------


def test_requete_is_a_draft_until_the_rate_is_recorded(workspace: Path) -> None:
    case = copy_case("b2b-factures-impayees", workspace / "dossiers")
    warnings: list[str] = []
    text = docx_text(
        main_document(render("injonction_de_payer_tc", case, workspace / "o1", warnings))
    )
    assert text.startswith(DRAFT)
    assert f"(taux de l'intérêt légal du 2e semestre 2026{NBSP}: 2,75{NBSP}%" in text
    assert "non encore publié" not in text
    assert "retenu sous réserve" not in text
    (draft,) = [w for w in warnings if "PROJET" in w]
    assert "actes taux ajouter interet_legal 2026-S2" in draft
    assert "actes taux ajouter bce 2026-S2" in draft
    # A filing packet is never built from a draft.
    with pytest.raises(PreconditionFailed) as refused:
        build_packet("injonction_de_payer_tc", case, workspace / "p.zip", AU)
    assert "actes taux ajouter" in refused.value.message
    assert not (workspace / "p.zip").exists()

    record_2026_s2()
    warnings.clear()
    text = docx_text(
        main_document(render("injonction_de_payer_tc", case, workspace / "o2", warnings))
    )
    assert DRAFT not in text
    assert "sous réserve" not in text
    assert not [w for w in warnings if "PROJET" in w]


def test_form_a_and_declaration_are_drafts_with_a_provisional_rate(tmp_path: Path) -> None:
    def statutory_rate(data: dict[str, Any]) -> None:
        for claim in data["creances"]:
            claim.pop("taux_contractuel", None)

    ipe = copy_case("ipe-debiteur-allemand", tmp_path, statutory_rate)
    form = docx_text(main_document(render("injonction_de_payer_europeenne", ipe, tmp_path / "a")))
    assert form.startswith(DRAFT)
    assert f"taux de la BCE au 1er juillet 2026{NBSP}: 2,40{NBSP}%" in form

    case = EXAMPLES / "liquidation-judiciaire" / "dossier.yaml"
    declaration = docx_text(main_document(render("declaration_de_creance", case, tmp_path / "d")))
    assert declaration.startswith(DRAFT)


def test_mise_en_demeure_keeps_a_sober_reserve(tmp_path: Path) -> None:
    case = EXAMPLES / "b2b-factures-impayees" / "dossier.yaml"
    path = main_document(render("mise_en_demeure_professionnel", case, tmp_path))
    text = docx_text(path)
    sentence = (
        f"Taux de l'intérêt légal retenu pour le 2e semestre 2026{NBSP}: 2,75{NBSP}%, sous "
        "réserve de sa confirmation au Journal officiel."
    )
    assert sentence in text
    assert DRAFT not in text
    assert "non encore publié" not in text
    (paragraph,) = [p for p in docx.Document(str(path)).paragraphs if p.text == sentence]
    assert not any(run.bold for run in paragraph.runs)


def test_no_reserve_when_the_provisional_rate_decided_nothing(tmp_path: Path) -> None:
    """IPE: 10 % agreed between professionals, above the floor of 3 × 2,75 %: the legal rate
    of 2026 S2 determined no amount."""
    case = EXAMPLES / "ipe-debiteur-allemand" / "dossier.yaml"
    raw = raw_decompte(case)
    assert raw["reserves"] == [] and raw["taux_non_confirmes"] == []
    text = docx_text(main_document(render("injonction_de_payer_europeenne", case, tmp_path)))
    assert DRAFT not in text
    assert "sous réserve" not in text
    assert "2,75" not in text


def test_floor_binds_only_when_below_it() -> None:
    due = date(2026, 7, 31)
    options = DecompteOptions(
        regime="penalites_l441_10", au=AU, allow_unconfirmed=True, include_indemnity=False
    )
    above = compute_decompte(
        [ClaimInput("F1", "F1", due, Decimal("1000.00"), contractual_rate=Decimal("10"))],
        [],
        options,
    )
    assert above.reserves == () and above.unconfirmed == ()
    below = compute_decompte(
        [ClaimInput("F1", "F1", due, Decimal("1000.00"), contractual_rate=Decimal("5"))],
        [],
        options,
    )
    assert [u["table"] for u in below.unconfirmed] == ["interet_legal"]
    assert below.claims[0].periods[0].rate == Decimal("8.25")


# --- A2, A3, A4: imputation, rate per claim, articles ----------------------------------------


def test_imputation_split_is_printed_and_agrees_with_the_breakdown(tmp_path: Path) -> None:
    case = EXAMPLES / "b2b-factures-impayees" / "dossier.yaml"
    raw = raw_decompte(case)
    (imputation,) = raw["imputations"]
    interest, principal = Decimal(imputation["interets"]), Decimal(imputation["principal"])
    assert interest > 0 and principal > 0
    text = docx_text(main_document(render("injonction_de_payer_tc", case, tmp_path)))
    assert (
        f"{format_amount(interest)} sur les pénalités échues, {format_amount(principal)} sur "
        "le principal"
    ) in text
    invoiced = sum((Decimal(c["principal"]) for c in raw["creances"]), Decimal(0))
    left = invoiced - principal
    assert f"Principal ({format_amount(invoiced)} − {format_amount(principal)} réglés)" in text
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("Principal ("))
    assert lines[index + 1] == format_amount(left)
    # The same split in the mise en demeure.
    letter = docx_text(
        main_document(render("mise_en_demeure_professionnel", case, tmp_path / "m"))
    )
    assert f"{format_amount(interest)} sur les pénalités échues" in letter


def test_each_invoice_has_its_own_rate_and_basis(tmp_path: Path) -> None:
    case = EXAMPLES / "b2b-factures-impayees" / "dossier.yaml"
    text = docx_text(main_document(render("injonction_de_payer_tc", case, tmp_path)))
    # Compared with the no-break spaces of French typography read as spaces.
    plain = text.replace(NBSP, " ")
    assert (
        "– FA-2026-0117 : 8,25 % l'an (taux convenu, 3 fois le taux de l'intérêt "
        "légal (2,75 % au 2e semestre 2026) ; code de commerce, art. L441-10 II)"
    ) in plain
    assert (
        "– FA-2026-0142 : 12,40 % l'an (taux de la BCE au 1er juillet 2026 "
        "(2,40 %) majoré de 10 points, à défaut de taux convenu"
    ) in plain
    demand = next(line for line in text.splitlines() if line.startswith("Le requérant demande"))
    assert "au titre de la créance FA-2026-0117 (taux convenu" in demand
    assert "au titre de la créance FA-2026-0142 (code de commerce, art. L441-10 II : taux" in (
        demand.replace(NBSP, " ")
    )
    letter = docx_text(
        main_document(render("mise_en_demeure_professionnel", case, tmp_path / "m"))
    )
    sentence = next(s for s in letter.splitlines() if s.startswith("Les pénalités de retard sont"))
    assert "sur la créance FA-2026-0117" in sentence and "sur la créance FA-2026-0142" in sentence
    assert "puis" not in sentence


def test_contractual_interest_rests_on_the_contract(tmp_path: Path) -> None:
    tj = docx_text(
        main_document(
            render("injonction_de_payer_tj", EXAMPLES / "tj-creance-civile/dossier.yaml", tmp_path)
        )
    )
    assert "1231-6" not in tj
    assert "Intérêts au taux contractuel (code civil, art. 1103 et 1343-1 al. 2)" in tj
    jcp = docx_text(
        main_document(
            render(
                "injonction_de_payer_jcp",
                EXAMPLES / "jcp-credit-consommation/dossier.yaml",
                tmp_path / "j",
            )
        )
    )
    assert "1231-6" not in jcp
    assert "Intérêts au taux du prêt (code de la consommation, art. L312-39 al. 1)" in jcp


# --- A6, déclaration, surendettement -----------------------------------------------------------


def test_declaration_prints_the_method_used_and_agrees_with_decompte(tmp_path: Path) -> None:
    case = EXAMPLES / "liquidation-judiciaire" / "dossier.yaml"
    text = docx_text(main_document(render("declaration_de_creance", case, tmp_path)))
    for convention in CONVENTION_TEXT:
        assert convention not in text
    assert (
        f"12,40{NBSP}% l'an (taux de la BCE au 1er juillet 2026 (2,40{NBSP}%) majoré de 10 points"
    ) in text
    assert (
        "du 16 septembre 2026 au 14 octobre 2026, soit 29 jours sur une base de 365 jours" in text
    )
    declared = re.search(r"Montant déclaré\s*:\s*(\S+\s?\S*\s€)", text.replace(NBSP, " "))
    assert declared is not None
    done = run("decompte", str(case), "--au", "2026-12-01", "--json")
    assert done.exit_code == 0, done.output
    total = Decimal(json.loads(done.output)["totaux"]["total_du"])
    assert format_amount(total).replace(NBSP, " ") == declared.group(1)
    # No indemnity for the invoice falling due after the opening judgment (L622-7).
    by_ref = {c["reference"]: c for c in json.loads(done.output)["creances"]}
    assert by_ref["2026-355"]["indemnite"] == "0.00"


@pytest.mark.parametrize(
    ("procedure", "example", "event"),
    [
        ("surendettement_declaration", "surendettement", "surendettement_recevabilite"),
        (
            "surendettement_contestation",
            "surendettement-contestation",
            "surendettement_recevabilite",
        ),
    ],
)
def test_surendettement_states_the_stop_of_interest(
    tmp_path: Path, procedure: str, example: str, event: str
) -> None:
    case = EXAMPLES / example / "dossier.yaml"
    stop = load_case(case, au=AU).event(event)
    assert stop is not None
    text = docx_text(main_document(render(procedure, case, tmp_path)))
    day = format_date_long(stop.date)
    assert f"arrêté au {day}, date de l'arrêt du cours des intérêts{NBSP}: recevabilité" in text
    assert "L722-14" in text
    assert "arrêté au 1er décembre 2026" not in text
    for convention in CONVENTION_TEXT:
        assert convention not in text
    # The calculation actually made: rate, period, days, day basis.
    assert f"au {day}, soit " in text and "sur une base de 365 jours" in text


# --- clause pénale, zero lines ----------------------------------------------------------------


def test_clause_penale_bears_no_interest(tmp_path: Path) -> None:
    case = EXAMPLES / "tj-creance-civile" / "dossier.yaml"
    raw = raw_decompte(case)
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    penalties = {c["reference"] for c in data["creances"] if c.get("categorie") == "clause_penale"}
    assert penalties
    bearing = Decimal(0)
    for claim in raw["creances"]:
        if claim["reference"] in penalties:
            assert claim["interets"] == "0.00" and claim["periodes"] == []
        else:
            bearing += Decimal(claim["principal_restant"])
    text = docx_text(main_document(render("injonction_de_payer_tj", case, tmp_path)))
    assert f"sur la somme de {format_amount(bearing)} restant due hors intérêts" in text
    assert (
        "Clause pénale (code civil, art. 1231-5), sans intérêts avant la décision du juge" in text
    )


def test_zero_breakdown_lines_are_omitted(tmp_path: Path) -> None:
    case = EXAMPLES / "b2b-factures-impayees" / "dossier.yaml"
    text = docx_text(main_document(render("injonction_de_payer_tc", case, tmp_path)))
    assert "Clause pénale" not in text
    assert "Frais accessoires (indemnité forfaitaire" in text
    tj = docx_text(
        main_document(
            render(
                "injonction_de_payer_tj",
                EXAMPLES / "tj-creance-civile/dossier.yaml",
                tmp_path / "t",
            )
        )
    )
    assert "Frais accessoires" not in tj
    breakdown = tj.split("Élément de la créance")[1].split("Total")[0].splitlines()
    assert format_amount(Decimal(0)) not in breakdown

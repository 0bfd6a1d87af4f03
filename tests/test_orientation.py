"""Orienting a debtor in difficulty: when help is named, what ``actes budget`` and the letters
print, the sources of every fact and the workspace's own ``parameters/orientation.yaml``."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from actes._io import load_document
from actes.amicable.orientation import help_entries, orientation_for
from actes.amicable.plan import render_plan_letter
from actes.cases.case import Case, case_from_data, load_case, validate_data
from actes.cli import main
from actes.documents.render import render_documents
from actes.errors import DefinitionError

from .conftest import docx_text, plain_spaces, write_case

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "b2c-travaux-consommateur"
AU = dt.date(2026, 11, 24)
INTRO = "Des services gratuits peuvent vous aider à faire le point sur votre situation financière"
THREE = ["point_conseil_budget", "commission_surendettement", "services_sociaux"]
COMPANY = {
    "type": "personne_morale",
    "qualite": "professionnel",
    "denomination": "Atelier Bellecour",
    "forme_juridique": "SARL",
    "siren": "512345679",
    "rcs": "Lyon",
    "representant": {"nom": "M. Karim Haddad", "qualite": "gérant"},
    "adresse": {
        "ligne1": "45 avenue Roger Salengro",
        "code_postal": "69100",
        "ville": "Villeurbanne",
        "pays": "FR",
    },
}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def example_data(pay: str | None = None, *, keep_plan: bool = False) -> dict[str, Any]:
    """The consumer example, optionally with a net salary of ``pay`` as its only resource
    (the charges of 1 855 € stay), without its plan and history unless ``keep_plan``."""
    data = copy.deepcopy(load_document(EXAMPLE / "dossier.yaml"))
    if pay is not None:
        data["situation"]["ressources"] = [{"nature": "salaire", "montant_mensuel": pay}]
    if not keep_plan:
        data.pop("plan", None)
        data["evenements"] = []
        data["paiements"] = []
    return dict(data)


def make_case(data: dict[str, Any]) -> Case:
    data = copy.deepcopy(data)
    data.pop("pieces", None)
    validate_data(data, au=AU)
    return case_from_data(data)


def case_folder(tmp_path: Path, data: dict[str, Any], name: str = "dossier") -> Path:
    """A copy of the example's folder (with its pièces) holding ``data``."""
    folder = tmp_path / name
    shutil.copytree(EXAMPLE, folder)
    write_case(folder / "dossier.yaml", data)
    return folder


def ids(case: Case) -> list[str]:
    found = orientation_for(case, AU)
    assert found is not None
    return [e.id for e in found.entries]


# --------------------------------------------------------------------------- when


def test_no_capacity_names_the_three_kinds_of_help() -> None:
    # 900 € of pay against 1 855 € of charges: capacity max(0, min(QS, 900 − 1 855)) = 0.
    found = orientation_for(make_case(example_data("900.00")), AU)
    assert found is not None
    assert [e.id for e in found.entries] == THREE
    assert "aucune capacité de remboursement" in found.reason
    assert "24/11/2026" in found.reason
    assert found.introduction.startswith(INTRO)
    bdf = found.entries[1]
    assert "34\u00a014" in bdf.contact  # never split at a line end
    assert "L711-1" in bdf.fondement


def test_surendettement_route_with_some_capacity() -> None:
    # A single person, 1 200 € of pay, 500 € of rent: capacity 154.42 € (test_budget), but
    # 20 000 € of other debts: 24 330 / 154.42 = 158 months > 84 — the surendettement route.
    data = example_data()
    data["situation"]["foyer"] = {"en_couple": False, "enfants_a_charge": 0}
    data["situation"]["ressources"] = [{"nature": "salaire", "montant_mensuel": "1200.00"}]
    data["situation"]["charges"] = [{"nature": "loyer", "montant_mensuel": "500.00"}]
    data["situation"]["autres_dettes"] = [
        {"creancier": "Banque", "montant_restant": "20000.00", "mensualite": "100.00"}
    ]
    case = make_case(data)
    found = orientation_for(case, AU)
    assert found is not None
    assert [e.id for e in found.entries] == THREE
    assert "154,42 €" in found.reason and "84 mois" in found.reason
    # Without the other debts the same budget fits a long plan: no orientation.
    del data["situation"]["autres_dettes"]
    assert orientation_for(make_case(data), AU) is None


def test_capacity_left_gives_none() -> None:
    # The example as shipped: 182.88 € a month, the debt repaid in 22 months.
    assert orientation_for(make_case(example_data()), AU) is None


def test_company_or_no_situation_or_before_the_commission_gives_none() -> None:
    company = example_data("900.00")
    company["debiteur"] = COMPANY
    assert orientation_for(make_case(company), AU) is None
    no_situation = example_data("900.00")
    del no_situation["situation"]
    assert orientation_for(make_case(no_situation), AU) is None
    filed = example_data("900.00")
    filed["evenements"] = [{"type": "surendettement_depot", "date": "2026-11-02"}]
    assert orientation_for(make_case(filed), AU) is None


def test_housing_debt_adds_the_fsl() -> None:
    data = example_data("900.00")
    data["creances"][0]["nature"] = "loyer"
    assert ids(make_case(data)) == [*THREE, "fonds_solidarite_logement"]


# --------------------------------------------------------------------------- data


def test_every_help_entry_has_its_basis_and_sources() -> None:
    raw = yaml.safe_load((ROOT / "parameters" / "orientation.yaml").read_text("utf-8"))
    assert raw["introduction"].startswith(INTRO)
    for entry in raw["aides"]:
        assert entry["fondement"].strip(), entry["id"]
        dt.date.fromisoformat(entry["verifie_le"])
        assert entry["sources"], entry["id"]
        for source in entry["sources"]:
            assert source["url"].startswith("https://"), entry["id"]
            assert source["titre"].strip() and source["confirme"].strip(), entry["id"]
        # Read by the debtor in a sentence the template ends with a full stop.
        for key in ("offre", "contact"):
            assert not entry[key].rstrip().endswith("."), (entry["id"], key)
    _, entries, _ = help_entries()
    assert [e.id for e in entries] == [*THREE, "fonds_solidarite_logement"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["aides"][0].pop("sources"), "$.aides[0].sources"),
        (lambda d: d["aides"][1]["sources"][0].update(url="www.exemple.fr"), "sources[0].url"),
        (lambda d: d["aides"][2].update(verifie_le="hier"), "$.aides[2].verifie_le"),
        (lambda d: d["aides"][3].update(id="services_sociaux"), "$.aides"),
        (lambda d: d.pop("introduction"), "$.introduction"),
    ],
)
def test_broken_orientation_file_says_where(tmp_path: Path, change: Any, where: str) -> None:
    data = yaml.safe_load((ROOT / "parameters" / "orientation.yaml").read_text("utf-8"))
    change(data)
    path = tmp_path / "orientation.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(DefinitionError) as raised:
        help_entries(path)
    assert any(where in issue.json_path for issue in raised.value.issues)
    assert str(path) in str(raised.value)


# --------------------------------------------------------------------------- actes budget


def test_budget_command_text_and_json(tmp_path: Path) -> None:
    low = case_folder(tmp_path, example_data("900.00"), "faible")
    done = run("budget", str(low), "--au", "2026-11-24")
    assert done.exit_code == 0, done.output
    text = done.output
    section = text[text.index("Aides possibles pour le débiteur") :]
    for name in ("Points conseil budget", "Banque de France", "Services sociaux", "34 14"):
        assert name in section
    assert "Fondement : CASF art. L123-2" in section
    assert "https://www.service-public.gouv.fr/particuliers/vosdroits/F134" in section
    done = run("budget", str(low), "--au", "2026-11-24", "--json")
    assert done.exit_code == 0, done.output
    orientation = json.loads(done.output)["orientation"]
    assert [a["id"] for a in orientation["aides"]] == THREE
    assert all(a["sources"] for a in orientation["aides"])
    assert orientation["motif"].startswith("Au 24/11/2026")

    able = case_folder(tmp_path, example_data(), "capable")
    done = run("budget", str(able), "--au", "2026-11-24")
    assert done.exit_code == 0, done.output
    assert "Aides possibles" not in done.output
    done = run("budget", str(able), "--au", "2026-11-24", "--json")
    assert json.loads(done.output)["orientation"] is None


# --------------------------------------------------------------------------- letters


def rendered(procedure: str, folder: Path, out: Path) -> str:
    files = render_documents(procedure, folder / "dossier.yaml", out, AU)
    assert len(files) == 1
    return plain_spaces(docx_text(files[0]))


@pytest.mark.parametrize("procedure", ["relance_amiable", "mise_en_demeure_consommateur"])
def test_letters_with_and_without_the_paragraph(tmp_path: Path, procedure: str) -> None:
    low = rendered(procedure, case_folder(tmp_path, example_data("900.00"), "a"), tmp_path / "1")
    assert INTRO in low
    start = low.index(INTRO)
    paragraph = low[start : low.index("Nous vous prions d'agréer", start)]
    assert "– Points conseil budget : conseils confidentiels, gratuits" in paragraph
    assert "– Commission de surendettement des particuliers (Banque de France) :" in paragraph
    assert "renseignements au 34 14" in paragraph
    assert "– Services sociaux :" in paragraph
    assert "logement" not in paragraph  # no housing debt: no FSL
    # Neither a promise nor a misstatement of the effects of filing (L722-2: only the
    # recevabilité suspends enforcement): the paragraph says nothing of them.
    for word in ("suspen", "efface", "dispens"):
        assert word not in paragraph
    able = rendered(procedure, case_folder(tmp_path, example_data(), "b"), tmp_path / "2")
    assert INTRO not in able


def test_relance_to_a_company_has_no_paragraph(tmp_path: Path) -> None:
    # The same budget on file, but the debtor is a company (the mise en demeure to a consumer
    # refuses a company by its preconditions).
    data = example_data("900.00")
    data["debiteur"] = COMPANY
    text = rendered("relance_amiable", case_folder(tmp_path, data), tmp_path / "out")
    assert "Atelier Bellecour" in text
    assert INTRO not in text


def test_plan_letter_names_the_help(tmp_path: Path) -> None:
    # The plan of the example runs; the debtor's pay has since fallen to 900 €.
    low = case_folder(tmp_path, example_data("900.00", keep_plan=True), "plan")
    path, status = render_plan_letter(load_case(low / "dossier.yaml", au=AU), AU, tmp_path / "o")
    assert status.action.lettre == "relance_echeance_plan"
    text = plain_spaces(docx_text(path))
    assert INTRO in text and "– Services sociaux :" in text
    able = case_folder(tmp_path, example_data(keep_plan=True), "plan2")
    path, _ = render_plan_letter(load_case(able / "dossier.yaml", au=AU), AU, tmp_path / "p")
    assert INTRO not in plain_spaces(docx_text(path))


# --------------------------------------------------------------------------- workspace


def test_workspace_orientation_file_replaces_the_shipped_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACTES_WORKSPACE", raising=False)
    root = tmp_path / "cabinet"
    assert run("init", str(root)).exit_code == 0
    data = yaml.safe_load((ROOT / "parameters" / "orientation.yaml").read_text("utf-8"))
    data["aides"].insert(
        0,
        {
            "id": "pcb_local",
            "nom": "Point conseil budget de l'UDAF de la Moselle",
            "offre": "rendez-vous gratuits et confidentiels",
            "contact": "03 87 00 00 00 (numéro d'essai)",
            "fondement": "Label de l'État",
            "verifie_le": "2026-12-01",
            "sources": [
                {"url": "https://www.udaf57.example", "titre": "Essai", "confirme": "essai"}
            ],
        },
    )
    overlay = root / "parameters" / "orientation.yaml"
    overlay.parent.mkdir(parents=True, exist_ok=True)
    overlay.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    inside = case_folder(root / "dossiers", example_data("900.00"), "martin")
    outside = case_folder(tmp_path / "seul", example_data("900.00"), "martin")
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    done = run("budget", str(inside), "--au", "2026-11-24", "--json")
    assert done.exit_code == 0, done.output
    orientation = json.loads(done.output)["orientation"]
    assert orientation["aides"][0]["id"] == "pcb_local"
    assert orientation["fichier"] == str(overlay.resolve())
    text = rendered("relance_amiable", inside, tmp_path / "out")
    assert "– Point conseil budget de l'UDAF de la Moselle : rendez-vous gratuits" in text
    done = run("budget", str(outside), "--au", "2026-11-24", "--json")
    assert json.loads(done.output)["orientation"]["aides"][0]["id"] == THREE[0]
    assert "UDAF" not in rendered("relance_amiable", outside, tmp_path / "out2")

"""Letters to the debtor: the collection agency's (CPCE R124-4) and the creditor's.

Every test renders the DOCX from an example case and reads its text with python-docx.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from actes.cases.case import load_case
from actes.documents.render import render_documents
from actes.errors import IncompleteCase
from actes.law.accounts import decompte_for_case

from .conftest import docx_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AU = dt.date(2026, 11, 24)
NBSP = "\u00a0"
RELANCE_R2 = ROOT / "procedures/relance_amiable/2016-10-01.r2.yaml"
MED_PRO_R2 = ROOT / "procedures/mise_en_demeure_professionnel/2019-04-26.r2.yaml"


def agency(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "role": "societe_recouvrement",
        "reference_mandat": "M-2026-118",
        "date_mandat": "2026-10-02",
        "signataire": {"nom": "Paul Girard", "qualite": "Chargé de recouvrement"},
        "lieu": "Villeurbanne",
        "compte_dedie": "FR7630001007941234567890185",
        "partie": {
            "type": "personne_morale",
            "qualite": "professionnel",
            "denomination": "Recouvra Conseil",
            "forme_juridique": "SARL",
            "capital": "10000.00",
            "siren": "552100554",
            "rcs": "Lyon",
            "adresse": {
                "ligne1": "2 quai Saint-Antoine",
                "code_postal": "69002",
                "ville": "Lyon",
                "pays": "FR",
            },
        },
    }
    data.update(extra)
    return data


def case_copy(tmp_path: Path, name: str = "b2b-factures-impayees", **changes: Any) -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLES / name, target)
    path = target / "dossier.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key == "drop_plan":
            # Without the signed payment plan, the whole balance is due (no plan_en_cours).
            data.pop("plan", None)
            data["evenements"] = [
                e for e in data.get("evenements", []) if e["type"] != "plan_apurement_signe"
            ]
        elif key == "add_events":
            data["evenements"] = data.get("evenements", []) + value
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def render(procedure: str, case: Path, outdir: Path) -> dict[str, str]:
    return {p.name: docx_text(p) for p in render_documents(procedure, case, outdir, AU)}


def mention(path: Path, name: str) -> str:
    return str(yaml.safe_load(path.read_text(encoding="utf-8"))["mentions"][name])


def assert_r124_4(text: str) -> None:
    """The five mentions of CPCE R124-4 and the agency's own signature."""
    # 1° the agency, its address, its amicable-recovery activity.
    assert "Recouvra Conseil" in text
    assert "2 quai Saint-Antoine, 69002 LYON" in text
    assert "activité de recouvrement amiable de créances pour le compte d'autrui" in text
    # 2° the creditor and its address.
    assert "Dupont & Fils" in text
    assert "12 rue de la République, 69002 LYON" in text
    # 3° basis and amount, principal / interest / other accessories.
    assert "Bon de commande BC-8841" in text
    assert "Principal restant dû" in text
    assert "Pénalités de retard (code de commerce, art. L441-10)" in text
    assert "Indemnité forfaitaire pour frais de recouvrement" in text
    assert "Total dû" in text
    # 4° the demand and the payment arrangements, through the agency's dedicated account.
    assert "régler la somme de" in text
    assert "compte dédié aux fonds encaissés pour le compte des créanciers" in text
    assert "FR76 3000 1007 9412 3456 7890 185" in text
    # 5° L111-8 al. 2 and 3 verbatim, from the procedure data (same text as the MED).
    assert mention(RELANCE_R2, "l111_8") == mention(MED_PRO_R2, "l111_8")
    assert mention(RELANCE_R2, "l111_8") in text
    # Written and signed by the agency: its own signatory and place, not the creditor's.
    assert "Paul Girard" in text
    assert "Chargé de recouvrement" in text
    assert "Villeurbanne, le 24 novembre 2026" in text
    assert "Hélène Dupont" not in text
    assert "Lyon, le 24 novembre 2026" not in text
    # The agency never claims the creditor's reminders as its own.
    assert "précédent rappel" not in text
    assert "notre rappel" not in text.lower()


def test_agency_first_relance(tmp_path: Path) -> None:
    case = case_copy(tmp_path, mandataire=agency())
    files = render("relance_amiable", case, tmp_path / "out")
    # The creditor's own reminder template is not sent in the agency's name.
    assert list(files) == ["REC-2026-0147-relance-recouvrement-1.docx"]
    text = files["REC-2026-0147-relance-recouvrement-1.docx"]
    assert_r124_4(text)
    assert "ne constitue pas une mise en demeure" in text
    # The creditor's reminder of 15 September is the creditor's.
    assert "Le rappel que vous a adressé Dupont & Fils le 15 septembre 2026" in text
    # First letter: its reference and date are to be recalled.
    assert "Nos références" in text and "REC-2026-0147" in text and "M-2026-118" in text
    assert (
        f"Lettre du{NBSP}: 24 novembre 2026 (référence et date à rappeler dans toute "
        "correspondance)" in text
    )
    assert "Notre premier courrier" not in text


def test_agency_second_relance_recalls_first_letter(tmp_path: Path) -> None:
    case = case_copy(
        tmp_path,
        mandataire=agency(),
        add_events=[
            {"type": "premier_courrier_agence", "date": "2026-10-20", "reference": "RC-118/1"},
            # A reminder recorded after the agency's first letter is not the creditor's.
            {"type": "relance_envoyee", "date": "2026-11-05"},
        ],
    )
    files = render("relance_amiable", case, tmp_path / "out")
    assert list(files) == ["REC-2026-0147-relance-recouvrement-2.docx"]
    text = files["REC-2026-0147-relance-recouvrement-2.docx"]
    assert_r124_4(text)
    assert "Notre courrier du 20 octobre 2026 (réf. RC-118/1)" in text
    assert f"Notre premier courrier{NBSP}: lettre du 20 octobre 2026, réf. RC-118/1" in text
    assert "Le rappel que vous a adressé Dupont & Fils le 15 septembre 2026" in text
    assert "5 novembre 2026" not in text
    assert "au plus tard le 2 décembre 2026" in text


def test_agency_first_letter_reference_defaults_to_case_reference(tmp_path: Path) -> None:
    case = case_copy(
        tmp_path,
        mandataire=agency(),
        add_events=[{"type": "premier_courrier_agence", "date": "2026-10-20"}],
    )
    (text,) = render("mise_en_demeure_professionnel", case, tmp_path / "out").values()
    assert "Notre courrier du 20 octobre 2026 (réf. REC-2026-0147)" in text
    assert "Paul Girard" in text and "Hélène Dupont" not in text
    assert "Villeurbanne, le 24 novembre 2026" in text


def test_agency_mise_en_demeure_first_letter(tmp_path: Path) -> None:
    case = case_copy(tmp_path, mandataire=agency())
    (text,) = render("mise_en_demeure_professionnel", case, tmp_path / "out").values()
    assert_r124_4(text)
    assert "Nous vous mettons en demeure" in text
    assert "à compter de la réception de la présente lettre" in text
    assert "référence et date à rappeler dans toute correspondance" in text


def test_agency_signs_with_its_representative_or_refuses(tmp_path: Path) -> None:
    data = agency()
    del data["signataire"], data["lieu"]
    data["partie"]["representant"] = {"nom": "Mme Léa Morel", "qualite": "gérante"}
    case = case_copy(tmp_path, mandataire=data)
    (text,) = render("relance_amiable", case, tmp_path / "out").values()
    assert "Mme Léa Morel" in text and "gérante" in text
    assert "Hélène Dupont" not in text
    assert "Lyon, le 24 novembre 2026" in text  # the agency's own town

    del data["partie"]["representant"]
    bare = case_copy(tmp_path / "bare", mandataire=data)
    with pytest.raises(IncompleteCase) as failure:
        render("relance_amiable", bare, tmp_path / "out2")
    assert "mandataire.signataire" in failure.value.format()


def test_creditor_relances_without_agency(tmp_path: Path) -> None:
    files = render("relance_amiable", EXAMPLES / "b2b-factures-impayees/dossier.yaml", tmp_path)
    assert list(files) == ["REC-2026-0147-relance-2.docx"]
    text = files["REC-2026-0147-relance-2.docx"]
    assert "Hélène Dupont" in text
    assert f"Objet{NBSP}: Second rappel – Factures FA-2026-0117 et FA-2026-0142" in text


@pytest.mark.parametrize(
    ("procedure", "example"),
    [
        ("mise_en_demeure_professionnel", "b2b-factures-impayees"),
        ("mise_en_demeure_consommateur", "b2c-travaux-consommateur"),
    ],
)
def test_creditor_mise_en_demeure_prints_no_internal_text(
    tmp_path: Path, procedure: str, example: str
) -> None:
    case = case_copy(
        tmp_path,
        example,
        objet="Factures impayées par un importateur allemand peu fiable",
        drop_plan=True,
    )
    (text,) = render(procedure, case, tmp_path / "out").values()
    # No internal case summary: a neutral object built from the claims.
    assert "importateur" not in text
    assert f"Objet{NBSP}: Mise en demeure de payer – Facture" in text
    # No deadline that only holds if the letter is received the day it is written.
    assert "si vous la recevez aujourd'hui" not in text
    assert "à compter de la réception de la présente lettre" in text
    # No calculation-convention paragraph citing web pages; the rate applied instead.
    for web in ("service-public", "bpifrance", "Base de calcul", "Imputation des paiements"):
        assert web not in text
    assert f"{NBSP}% l'an" in text
    assert "au taux de" in text


def test_b2b_mise_en_demeure_prints_rate_applied(tmp_path: Path) -> None:
    case_path = EXAMPLES / "b2b-factures-impayees/dossier.yaml"
    (text,) = render("mise_en_demeure_professionnel", case_path, tmp_path).values()
    # Default L441-10 rate of 2026 S2: ECB 2.40 + 10 points (legal reference §2.3, not
    # confirmed); every rate of the décompte's periods is printed with its claim and basis.
    assert "Les pénalités de retard sont calculées au taux de " in text
    assert (
        f"12,40{NBSP}% l'an sur la créance FA-2026-0142 (taux de la BCE au 1er juillet 2026 "
        f"(2,40{NBSP}%) majoré de 10 points"
    ) in text
    raw = decompte_for_case(load_case(case_path, au=AU), AU).as_dict()
    for claim in raw["creances"]:  # type: ignore[attr-defined]
        for period in claim["periodes"]:
            assert f"{period['taux'].replace('.', ',')}{NBSP}% l'an" in text
    assert f"Objet{NBSP}: Mise en demeure de payer – Factures FA-2026-0117 et FA-2026-0142" in text


@pytest.mark.parametrize(
    "template",
    [
        "relance_amiable_1",
        "relance_amiable_2",
        "relance_agence_1",
        "relance_agence_2",
        "mise_en_demeure_professionnel",
        "mise_en_demeure_consommateur",
        "mise_en_demeure_agence",
    ],
)
def test_signature_block_kept_with_closing(template: str) -> None:
    document = docx.Document(str(ROOT / "templates/courriers" / f"{template}.docx"))
    paragraphs = document.paragraphs
    closing = next(
        i for i, p in enumerate(paragraphs) if p.text.startswith("Nous vous prions d'agréer")
    )
    block = paragraphs[closing : closing + 4]
    assert "signataire.nom" in block[1].text and "signataire.qualite" in block[2].text
    for paragraph in block[:-1]:
        assert paragraph.paragraph_format.keep_with_next, paragraph.text
    for paragraph in block:
        assert paragraph.paragraph_format.keep_together, paragraph.text
    if "agence" in template:
        assert "mandataire.signataire.nom" in block[1].text
        assert "mandataire.nom" in block[3].text


def test_claims_and_decompte_columns_fit_references_and_dates() -> None:
    document = docx.Document(str(ROOT / "templates/courriers/mise_en_demeure_professionnel.docx"))
    claims, decompte = (t for t in document.tables if t.style and t.style.name == "Table Grid")
    for table, date_columns in ((claims, (2, 3)), (decompte, (1,))):
        grid = [c.width.cm for c in table.columns]
        assert round(sum(grid), 1) <= 17.0  # the text width of an A4 page with 2 cm margins
        assert grid[0] >= 2.79  # « FA-2026-0117 »
        for index in date_columns:
            assert grid[index] >= 2.99  # « 31 décembre 2026 » at 9 pt, on one line

"""The recovery professional's review of the letters' and requêtes' wording and typography:
each finding checked on the rendered DOCX (and the no-break hyphen on one PDF)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from markupsafe import Markup

from actes.cases.case import Address, Party
from actes.cli import main
from actes.documents.contexts.common import born, french_name, salutation
from actes.documents.formatting import docx_typography, format_amount_whole, typography
from actes.documents.pdf import find_soffice
from actes.documents.render import render_documents
from actes.errors import PreconditionFailed

from .conftest import docx_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AU = dt.date(2026, 12, 1)
NBH = "\u2011"


def _xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def _render(procedure: str, case: Path, outdir: Path) -> dict[str, Path]:
    return {p.name: p for p in render_documents(procedure, case, outdir, AU)}


def _one(procedure: str, example: str, outdir: Path, suffix: str) -> Path:
    files = _render(procedure, EXAMPLES / example / "dossier.yaml", outdir)
    (path,) = [p for name, p in files.items() if name.endswith(suffix)]
    return path


def _edited(example: str, tmp_path: Path, edit: Any) -> Path:
    target = tmp_path / "case"
    shutil.copytree(EXAMPLES / example, target)
    path = target / "dossier.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


# --------------------------------------------------------------------------- mise en demeure pro


def test_b2b_mise_en_demeure_costs_reminder_salutation(tmp_path: Path) -> None:
    path = _one("mise_en_demeure_professionnel", "b2b-factures-impayees", tmp_path, "demeure.docx")
    text = _flat(docx_text(path))
    # CPC 696 and 700: the costs are for the judge.
    assert "pourront être mis à votre charge par le juge" in text
    assert "s'ajouteront aux sommes dues" not in text
    # One reminder recorded (15 September 2026): recalled as such.
    assert "Malgré notre rappel du 15 septembre 2026, les factures suivantes" in text
    assert "précédentes demandes" not in text
    # Addressed to M. Karim Haddad, gérant.
    assert "Monsieur le Gérant," in text
    assert "agréer, Monsieur le Gérant, l'expression" in text
    assert "Madame, Monsieur" not in text
    # A whole capital without cents.
    assert "SAS au capital de 50 000 €," in text
    assert "50 000,00" not in text


def test_ipe_debtor_mise_en_demeure_european_order(tmp_path: Path) -> None:
    path = _one("mise_en_demeure_professionnel", "ipe-debiteur-allemand", tmp_path, "demeure.docx")
    text = _flat(docx_text(path))
    assert "injonction de payer européenne (règlement (CE) n° 1896/2006" in text
    assert "par voie d'injonction de payer" not in text
    assert "requête en injonction de payer" not in text
    # One invoice, no reminder recorded.
    assert "La facture suivante, échue, demeure impayée :" in text
    assert "factures suivantes" not in text
    assert "Malgré" not in text
    # « Herr Jonas Becker, Geschäftsführer »: M. in French, and the gérant's salutation.
    assert "À l'attention de M. Jonas Becker" in text
    assert "Herr" not in text
    assert "Monsieur le Gérant," in text


def test_non_member_state_debtor_no_injonction(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["debiteur"]["adresse"]["pays"] = "CH"
        data["debiteur"]["adresse"]["ville"] = "Genève"
        data["debiteur"]["adresse"]["code_postal"] = "1204"

    case = _edited("ipe-debiteur-allemand", tmp_path, edit)
    (path,) = _render("mise_en_demeure_professionnel", case, tmp_path / "out").values()
    text = _flat(docx_text(path))
    assert "action en paiement devant la juridiction compétente" in text
    assert "injonction de payer" not in text


# --------------------------------------------------------------------------- mise en demeure conso


def test_consumer_credit_mise_en_demeure(tmp_path: Path) -> None:
    path = _one(
        "mise_en_demeure_consommateur", "jcp-credit-consommation", tmp_path, "demeure.docx"
    )
    text = _flat(docx_text(path))
    # After the déchéance: the loan rate runs (L312-39), no legal interest on top (L312-38).
    assert "intérêts au taux du prêt jusqu'à leur complet paiement" in text
    assert "n'y ajoute pas d'intérêts au taux légal" in text
    assert "les intérêts au taux légal sur les sommes dues" not in text
    # The object names the loan, not the creditor's claim codes.
    object_line = next(line for line in docx_text(path).splitlines() if line.startswith("Objet"))
    assert (
        _flat(object_line) == "Objet : Mise en demeure de payer – Prêt personnel n° PP-2023-55120"
    )
    # Consumer credit of a natural person: the juge des contentieux de la protection;
    # délais de grâce and surendettement may be mentioned to a natural person.
    assert "nous saisirons le juge des contentieux de la protection" in text
    assert "art. 1343-5" in text
    assert "commission de surendettement des particuliers" in text
    assert "Aucuns frais de recouvrement ne vous sont réclamés" in text
    assert "Aucun frais" not in text
    assert "Malgré" not in text  # no reminder recorded


def test_association_mise_en_demeure(tmp_path: Path) -> None:
    path = _one("mise_en_demeure_consommateur", "tj-creance-civile", tmp_path, "demeure.docx")
    text = _flat(docx_text(path))
    # A legal person: no surendettement (C. conso. L711-1), délais de grâce still.
    assert "surendettement" not in text
    assert "art. 1343-5" in text
    # The 8 % contractual rate runs; no legal interest added on top.
    assert "continuent de porter intérêts au taux convenu" in text
    assert "intérêts au taux légal sur les sommes" not in text
    assert "nous saisirons le président du tribunal judiciaire" in text
    assert "Monsieur le Président," in text
    assert "Malgré notre rappel du 20 mai 2026" in text


# --------------------------------------------------------------------------- relances


def test_no_relance_after_mise_en_demeure(tmp_path: Path) -> None:
    with pytest.raises(PreconditionFailed) as caught:
        render_documents(
            "relance_amiable", EXAMPLES / "tj-creance-civile/dossier.yaml", tmp_path, AU
        )
    assert [i.rule for i in caught.value.issues] == ["pas_de_mise_en_demeure"]
    assert "injonction_de_payer_tj" in caught.value.hint
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("example", ["tj-creance-civile", "ipe-debiteur-allemand"])
def test_next_offers_no_relance_after_mise_en_demeure(example: str) -> None:
    done = CliRunner().invoke(
        main, ["next", str(EXAMPLES / example), "--au", "2026-12-01", "--json"]
    )
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert "relance_amiable" not in [p["procedure"] for p in result["disponibles"]]
    assert result["recommande"]["procedure"] != "mise_en_demeure_consommateur"
    blocked = {p["procedure"]: p for p in result["bloquees"]}
    assert blocked["relance_amiable"]["condition"] == "pas_de_mise_en_demeure"


def test_relance_labels_the_invoice_balance(tmp_path: Path) -> None:
    path = _one("relance_amiable", "b2b-factures-impayees", tmp_path, "relance-2.docx")
    text = _flat(docx_text(path))
    assert "Solde des factures (hors pénalités de retard et indemnités) : 6 020,00 €." in text
    assert "Reste dû :" not in text


# --------------------------------------------------------------------------- requêtes, bordereau


def test_requete_header_and_signatory(tmp_path: Path) -> None:
    files = _render(
        "injonction_de_payer_tj", EXAMPLES / "tj-creance-civile/dossier.yaml", tmp_path
    )
    requete = docx_text(files["TJ-2026-0058-requete-injonction-de-payer.docx"])
    assert "Articles 1405 à 1408 du code de procédure civile" in requete.splitlines()
    assert "2026-96" not in requete
    assert "et pour la présente requête par M. Julien Petit, Responsable" in _flat(requete)
    bordereau = docx_text(files["TJ-2026-0058-bordereau-pieces.docx"])
    assert "BORDEREAU DES PIÈCES JOINTES À LA REQUÊTE EN INJONCTION DE PAYER" in bordereau
    assert "COMMUNIQUÉES" not in bordereau
    assert "Bordereau des pièces" not in bordereau  # the subtitle repeating the title


def test_bordereau_of_a_declaration(tmp_path: Path) -> None:
    files = _render(
        "declaration_de_creance", EXAMPLES / "liquidation-judiciaire/dossier.yaml", tmp_path
    )
    (bordereau,) = [p for name, p in files.items() if "bordereau" in name]
    assert "BORDEREAU DES PIÈCES JOINTES À LA DÉCLARATION DE CRÉANCE" in docx_text(bordereau)


# --------------------------------------------------------------------------- typography


def test_no_break_hyphens_in_letters(tmp_path: Path) -> None:
    path = _one("mise_en_demeure_professionnel", "b2b-factures-impayees", tmp_path, "demeure.docx")
    xml = _xml(path)
    nbh = '</w:t><w:noBreakHyphen/><w:t xml:space="preserve">'
    # From data: references, e-mail, mention texts; from the template: article numbers.
    assert f"Factures FA{nbh}2026{nbh}0117 et FA{nbh}2026{nbh}0142" in xml
    assert f"compta@dupont{nbh}fils.example" in xml
    assert f"art. L441{nbh}10 et D441{nbh}5" in xml
    assert f"art. 1231{nbh}6 et 1344{nbh}1" in xml
    # python-docx reads the element back as « - »: the text still finds the references.
    text = docx_text(path)
    assert "FA-2026-0142" in text and "compta@dupont-fils.example" in text
    assert NBH not in text


def test_surendettement_born_agrees(tmp_path: Path) -> None:
    case = EXAMPLES / "surendettement/dossier.yaml"
    (path,) = _render("surendettement_declaration", case, tmp_path / "m").values()
    assert "M. Julien LEFEBVRE, né le 2 novembre 1979" in docx_text(path)
    assert "né(e)" not in docx_text(path)

    def edit(data: dict[str, Any]) -> None:
        data["debiteur"]["civilite"] = "Mme"
        data["debiteur"]["prenoms"] = "Julie"

    (path,) = _render("surendettement_declaration", _edited("surendettement", tmp_path, edit),
                      tmp_path / "f").values()  # fmt: skip
    assert "Mme Julie LEFEBVRE, née le 2 novembre 1979" in docx_text(path)


def test_agency_letter_aucuns_frais(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["mandataire"] = {
            "role": "societe_recouvrement",
            "signataire": {"nom": "Paul Girard", "qualite": "Chargé de recouvrement"},
            "partie": {
                "type": "personne_morale",
                "qualite": "professionnel",
                "denomination": "Encaissements Rhône",
                "forme_juridique": "SAS",
                "adresse": {
                    "ligne1": "2 quai Saint-Antoine",
                    "code_postal": "69002",
                    "ville": "Lyon",
                    "pays": "FR",
                },
            },
        }

    case = _edited("b2b-factures-impayees", tmp_path, edit)
    (path,) = _render("mise_en_demeure_professionnel", case, tmp_path / "out").values()
    text = _flat(docx_text(path))
    assert "n'incluent aucuns frais de notre intervention" in text
    assert "Monsieur le Gérant," in text


def test_typography_units() -> None:
    assert typography("art. L441-10, FA-2026-0142") == f"art. L441{NBH}10, FA{NBH}2026{NBH}0142"
    assert typography("contact@dupont-fils.example") == f"contact@dupont{NBH}fils.example"
    assert typography("Saint-Étienne") == "Saint-Étienne"
    assert typography(typography("L622-25")) == f"L622{NBH}25"
    marked = docx_typography("L641-3 & <x>")
    assert isinstance(marked, Markup)
    assert str(marked) == 'L641</w:t><w:noBreakHyphen/><w:t xml:space="preserve">3 &amp; &lt;x&gt;'
    assert docx_typography("Saint-Étienne") == "Saint-Étienne"
    assert format_amount_whole("50000") == "50\u202f000\u00a0€"
    assert format_amount_whole("50000.50") == "50\u202f000,50\u00a0€"


def _party(raw: dict[str, Any]) -> Party:
    return Party(
        type=raw["type"], qualite=raw["qualite"], adresse=Address(**raw["adresse"]), raw=raw
    )


def test_salutation_and_names() -> None:
    address = {"ligne1": "1 rue", "code_postal": "69001", "ville": "Lyon", "pays": "FR"}
    company = {"type": "personne_morale", "qualite": "professionnel", "adresse": address}
    assert salutation(_party({**company, "representant": {"nom": "Frau Anna Weber",
                                                          "qualite": "Geschäftsführerin"}})) == (
        "Madame la Gérante"
    )  # fmt: skip
    treasurer = {"nom": "M. Paul Roy", "qualite": "trésorier"}
    assert salutation(_party({**company, "representant": treasurer})) == "Monsieur"
    assert salutation(_party({**company, "representant": {"nom": "Paul Roy",
                                                          "qualite": "gérant"}})) == (
        "Madame, Monsieur"
    )  # fmt: skip
    assert salutation(_party(company)) == "Madame, Monsieur"
    assert french_name("Herr Jonas Becker") == "M. Jonas Becker"
    assert french_name("Frau Anna Weber") == "Mme Anna Weber"
    assert french_name("Jonas Becker") == "Jonas Becker"
    assert (born("M."), born("Mme"), born(None)) == ("né", "née", "né(e)")


# --------------------------------------------------------------------------- PDF


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) absent")
def test_no_break_hyphen_in_pdf(tmp_path: Path) -> None:
    written = render_documents(
        "mise_en_demeure_professionnel",
        EXAMPLES / "b2b-factures-impayees/dossier.yaml",
        tmp_path,
        AU,
        pdf=True,
    )
    (pdf,) = [p for p in written if p.suffix == ".pdf"]
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # LibreOffice prints and extracts an ordinary hyphen, never splits the number.
    for reference in ("L441-10", "D441-5", "1231-6", "FA-2026-0142", "compta@dupont-fils.example"):
        assert reference in text, reference
    assert not [line for line in text.splitlines() if line.rstrip().endswith("-")]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "LiberationSans" in fonts
    assert all("Liberation" in line for line in fonts.splitlines()[2:] if line.strip())

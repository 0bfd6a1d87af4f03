"""French typography of text coming from data: the ``typo``, ``de`` and ``liste`` filters, and
their effect in rendered letters."""

from __future__ import annotations

import datetime as dt
import html
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from actes.documents.formatting import elide, french_list, typography
from actes.documents.render import jinja_environment, render_documents

from .conftest import docx_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AU = dt.date(2026, 11, 24)
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Note : voir", f"Note{NBSP}: voir"),
        ("Note: voir", f"Note{NBSP}: voir"),
        ("Payez ! Vraiment ? Oui ; non", f"Payez{NBSP}! Vraiment{NBSP}? Oui{NBSP}; non"),
        ("« Le Comptoir »", f"«{NBSP}Le Comptoir{NBSP}»"),
        ("«Le Comptoir»", f"«{NBSP}Le Comptoir{NBSP}»"),
        ("dossier n° 059-2026", f"dossier n°{NBSP}059\u20112026"),
        ("n°12", f"n°{NBSP}12"),
        ("SIREN 732 829 320", f"SIREN 732{NBSP}829{NBSP}320"),
        ("capital de 1 500 000 €", f"capital de 1{NBSP}500{NBSP}000{NBSP}€"),
        ("taux de 12 %", f"taux de 12{NBSP}%"),
        # Left alone: codes, times, addresses, IBANs, phone numbers, web addresses.
        ("FR14 2004 1010 0505 0001 3M02 606", "FR14 2004 1010 0505 0001 3M02 606"),
        ("à 10:30", "à 10:30"),
        ("https://exemple.fr/?a=1", "https://exemple.fr/?a=1"),
        ("12 rue de la République", "12 rue de la République"),
        ("04 78 00 00 00", "04 78 00 00 00"),
        # A reference holding digits: its hyphen does not break (U+2011).
        ("BC-8841 du 20 mai 2026", "BC\u20118841 du 20 mai 2026"),
    ],
)
def test_typography(raw: str, expected: str) -> None:
    assert typography(raw) == expected
    assert typography(expected) == expected  # idempotent


def test_typography_keeps_non_strings() -> None:
    assert typography(None) is None
    assert typography(12) == 12
    assert typography("") == ""


@pytest.mark.parametrize(
    ("name", "word", "expected"),
    [
        ("Éditions Lumière", "de", "d'Éditions Lumière"),
        ("Imprimerie Roux", "à l'ordre de", "à l'ordre d'Imprimerie Roux"),
        ("Atelier Bellecour", "de", "d'Atelier Bellecour"),
        ("Hôtel du Parc", "de", "d'Hôtel du Parc"),
        ("EDF", "de", "d'EDF"),
        ("Yves Rocher", "de", "d'Yves Rocher"),
        ("Dupont & Fils", "de", "de Dupont & Fils"),
        ("Dupont & Fils", "à l'ordre de", "à l'ordre de Dupont & Fils"),
        # h aspiré (documented list formatting.H_ASPIRE), y as a consonant, acronyms.
        ("Hachette Livre", "de", "de Hachette Livre"),
        ("Hauts de France Métal", "de", "de Hauts de France Métal"),
        ("Yoplait", "de", "de Yoplait"),
        ("HSBC", "de", "de HSBC"),
        ("Onze Architecture", "de", "de Onze Architecture"),
        ("Atelier Bellecour", "que", "qu'Atelier Bellecour"),
    ],
)
def test_elision(name: str, word: str, expected: str) -> None:
    assert elide(name, word) == expected


def test_filters_in_jinja() -> None:
    env = jinja_environment()
    template = env.from_string("à l'ordre {{ n|de }} ; {{ refs|liste }} ; {{ t|typo }}")
    # Autoescaped (the apostrophe becomes &#39;, which the DOCX XML reads back as « ' »).
    text = html.unescape(template.render(n="Imprimerie Roux", refs=["A", "B", "C"], t="n° 5"))
    assert text == f"à l'ordre d'Imprimerie Roux ; A, B et C ; n°{NBSP}5"
    assert french_list(["A"]) == "A"
    assert french_list(["A", "B"]) == "A et B"


def _b2b(tmp_path: Path, edit: Any) -> Path:
    target = tmp_path / "case"
    shutil.copytree(EXAMPLES / "b2b-factures-impayees", target)
    path = target / "dossier.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_rendered_letter_typography_and_elision(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["creancier"]["denomination"] = "Éditions Lumière"
        data["creances"][0]["libelle"] = "Ouvrage « Lyon secret » : 120 exemplaires"

    case = _b2b(tmp_path, edit)
    (path,) = render_documents("mise_en_demeure_professionnel", case, tmp_path / "out", AU)
    text = docx_text(path)
    assert "sur le compte d'Éditions Lumière" in text
    assert "de Éditions" not in text
    assert f"Ouvrage «{NBSP}Lyon secret{NBSP}»{NBSP}: 120 exemplaires" in text
    assert f"sous le n°{NBSP}732{NBSP}829{NBSP}320" in text
    # Amounts keep Babel's narrow no-break space between thousands.
    assert f"7{NNBSP}020,00{NBSP}€" in text


def test_rendered_cheque_order_elided(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["creancier"]["denomination"] = "Imprimerie Roux"
        del data["creancier"]["iban"], data["creancier"]["bic"]

    case = _b2b(tmp_path, edit)
    (path,) = render_documents("relance_amiable", case, tmp_path / "out", AU)
    text = docx_text(path)
    assert "Règlement par chèque à l'ordre d'Imprimerie Roux" in text


def test_rendered_agency_letter_elision(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["creancier"]["denomination"] = "Éditions Lumière"
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

    case = _b2b(tmp_path, edit)
    (path,) = render_documents("relance_amiable", case, tmp_path / "out", AU)
    text = docx_text(path)
    assert f"Objet{NBSP}: Rappel de paiement pour le compte d'Éditions Lumière" in text
    # No account given: a cheque to the agency's order, elided.
    assert "Par chèque à l'ordre d'Encaissements Rhône" in text

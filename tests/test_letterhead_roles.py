"""Who writes each document, by the role of the workspace's firm: letterhead, sender, body and
signature agree (actes.documents.authorship); a closed pipe ends a command quietly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from .conftest import docx_text, plain_spaces
from .test_workspace_identity import ADDRESS, AGENCY, run, workspace

# The autouse fixture of those tests: commands run outside every workspace.
from .test_workspace_identity import _elsewhere as _elsewhere

ROOT = Path(__file__).resolve().parents[1]
DAY = "2026-12-01"

LAWYER = (
    """
[cabinet]
nom = "Marchand Dufour & Associés"
role = "avocat"
forme_juridique = "SELARL"
barreau = "Lyon"
toque = "745"

[cabinet.signataire]
nom = "Me Claire Marchand"
qualite = "Avocate au barreau de Lyon"
"""
    + ADDRESS
)

COMMISSAIRE = (
    """
[cabinet]
nom = "Étude Rivière"
role = "commissaire_de_justice"

[cabinet.signataire]
nom = "Me Louis Rivière"
qualite = "Commissaire de justice"
"""
    + ADDRESS
)


def rendered(case: Path, out: Path, procedure: str) -> tuple[dict[str, str], str]:
    """The text of each document rendered (file name → text) and the command's output."""
    done = run("render", procedure, str(case), "-o", str(out), "--date", DAY)
    assert done.exit_code == 0, done.output
    texts = {p.name: plain_spaces(docx_text(p)) for p in sorted(out.glob("*.docx"))}
    return texts, plain_spaces(done.output)


def one(texts: dict[str, str], word: str) -> str:
    (found,) = [text for name, text in texts.items() if word in name]
    return found


def head_cell(path: Path) -> str:
    return plain_spaces(docx.Document(str(path)).tables[0].rows[0].cells[0].text)


def edit_case(case: Path, change: Any) -> None:
    path = case / "dossier.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


# --------------------------------------------------------------------------- avocat


def test_lawyer_writes_and_signs_the_mise_en_demeure(tmp_path: Path) -> None:
    case = workspace(tmp_path / "cabinet", LAWYER)
    out = tmp_path / "out"
    text = one(rendered(case, out, "mise_en_demeure_professionnel")[0], "mise-en-demeure")
    head = head_cell(next(out.glob("*mise-en-demeure*.docx")))
    assert "Marchand Dufour & Associés" in head
    assert "Barreau de Lyon – toque 745" in head
    # The creditor's own sender block is not printed as if it wrote the letter.
    assert "12 rue de la République" not in head
    assert (
        "Nous intervenons au nom et pour le compte de notre cliente, Dupont & Fils, SAS au "
        "capital de 50 000 €" in text
    )
    assert "Malgré le rappel que vous a adressé Dupont & Fils le 15 septembre 2026" in text
    assert "Malgré notre rappel" not in text
    assert "Dupont & Fils a bien reçu les règlements suivants" in text
    assert (
        "salutations distinguées.\nMe Claire Marchand\nAvocate au barreau de Lyon\n"
        "Marchand Dufour & Associés" in text
    )
    assert "Hélène Dupont" not in text


def test_lawyer_presents_and_signs_the_requete(tmp_path: Path) -> None:
    case = workspace(tmp_path / "cabinet", LAWYER)
    texts, output = rendered(case, tmp_path / "out", "injonction_de_payer_tc")
    requete = one(texts, "requete")
    assert "Marchand Dufour & Associés\nSELARL – Barreau de Lyon – toque 745" in requete
    assert (
        "Ayant pour avocat Maître Claire Marchand, avocate au barreau de Lyon, toque 745, "
        "Marchand Dufour & Associés, 5 quai Saint-Antoine, 69002 LYON, par l'intermédiaire de "
        "qui la présente requête est présentée (code de procédure civile, art. 1407)."
    ) in requete
    signature = (
        "Me Claire Marchand\nAvocate au barreau de Lyon\nPour Dupont & Fils\n"
        "Marchand Dufour & Associés"
    )
    assert signature in requete
    assert signature in one(texts, "bordereau")
    # The creditor stays the requérant, with its legal representative (CPC 54).
    assert "représentée par Mme Hélène Dupont, présidente, son représentant légal" in requete
    assert "n'est pas nommé dans la requête" not in output


def test_lawyer_workspace_leaves_the_creditors_own_reminder_to_the_creditor(
    tmp_path: Path,
) -> None:
    case = workspace(tmp_path / "cabinet", LAWYER)
    out = tmp_path / "out"
    texts, _ = rendered(case, out, "relance_amiable")
    for name, text in texts.items():
        assert "Marchand" not in text, name
        assert "Dupont & Fils" in head_cell(out / name)


def test_lawyer_needs_a_bar_and_a_signatory(tmp_path: Path) -> None:
    cabinet = LAWYER.replace('barreau = "Lyon"\n', "")
    case = workspace(tmp_path / "cabinet", cabinet)
    done = run("validate", str(case), "--date", DAY)
    assert done.exit_code == 1, done.output
    assert "barreau" in done.output and "Espace de travail invalide" in done.output


# --------------------------------------------------------------------------- agency


def test_agency_without_special_power_is_not_the_requetes_mandataire(tmp_path: Path) -> None:
    case = workspace(tmp_path / "cabinet", AGENCY)
    texts, output = rendered(case, tmp_path / "out", "injonction_de_payer_tc")
    requete = one(texts, "requete")
    assert "Recouvrement Rhône" not in requete
    assert "Ayant pour mandataire" not in requete
    assert "Hélène Dupont\nPrésidente\nDupont & Fils" in requete
    assert "Paul Girard" not in one(texts, "bordereau")
    assert "n'est pas nommé dans la requête" in output
    assert "pouvoir spécial" in output


def _special_power(data: dict[str, Any], *, piece: bool) -> None:
    data["mandataire"] = {
        "role": "societe_recouvrement",
        "partie": {
            "type": "personne_morale",
            "qualite": "professionnel",
            "denomination": "Recouvrement Rhône SAS",
            "forme_juridique": "SAS",
            "adresse": {
                "ligne1": "5 quai Saint-Antoine",
                "code_postal": "69002",
                "ville": "Lyon",
                "pays": "FR",
            },
        },
        "signataire": {"nom": "Paul Girard", "qualite": "Chargé de recouvrement"},
        "compte_dedie": "FR76 3000 6000 0112 3456 7890 189",
        "pouvoir_special": {"date": "2026-11-03"},
    }
    if piece:
        data["pieces"].append(
            {
                "titre": "Pouvoir spécial du 3 novembre 2026",
                "date": "2026-11-03",
                "fichier": "pieces/relance-2026-09-15.pdf",
            }
        )


def test_agency_holding_a_special_power_presents_the_requete(tmp_path: Path) -> None:
    case = workspace(tmp_path / "cabinet", AGENCY)
    edit_case(case, lambda data: _special_power(data, piece=True))
    texts, output = rendered(case, tmp_path / "out", "injonction_de_payer_tc")
    requete = one(texts, "requete")
    assert (
        "Ayant pour mandataire Recouvrement Rhône SAS (société de recouvrement amiable), "
        "5 quai Saint-Antoine, 69002 LYON, muni d'un pouvoir spécial du 3 novembre 2026 "
        "(pièce n° 5), par l'intermédiaire de qui la présente requête est présentée"
    ) in requete
    signature = (
        "Paul Girard\nChargé de recouvrement\nPour Dupont & Fils, en vertu du pouvoir spécial "
        "du 3 novembre 2026\nRecouvrement Rhône SAS"
    )
    assert signature in requete
    assert signature in one(texts, "bordereau")
    assert "Pouvoir spécial du 3 novembre 2026" in one(texts, "bordereau")
    assert "n'est pas nommé dans la requête" not in output
    assert "n'est pas aux pièces" not in output


def test_special_power_missing_from_the_pieces_is_reported(tmp_path: Path) -> None:
    case = workspace(tmp_path / "cabinet", AGENCY)
    edit_case(case, lambda data: _special_power(data, piece=False))
    texts, output = rendered(case, tmp_path / "out", "injonction_de_payer_tc")
    assert "pouvoir spécial du 3 novembre 2026, par l'intermédiaire" in one(texts, "requete")
    assert "Le pouvoir spécial du 3 novembre 2026 donné à Recouvrement Rhône SAS" in output
    assert "n'est pas aux pièces" in output


# --------------------------------------------------------------------------- commissaire


def test_commissaire_writes_the_mise_en_demeure_not_the_requete(tmp_path: Path) -> None:
    case = workspace(tmp_path / "cabinet", COMMISSAIRE)
    texts, _ = rendered(case, tmp_path / "med", "mise_en_demeure_professionnel")
    letter = one(texts, "mise-en-demeure")
    assert (
        "Nous intervenons au nom et pour le compte de Dupont & Fils, SAS au capital de 50 000 €"
    ) in letter
    assert "qui nous a confié le recouvrement amiable de sa créance." in letter
    assert "Me Louis Rivière\nCommissaire de justice\nÉtude Rivière" in letter
    texts, _ = rendered(case, tmp_path / "ip", "injonction_de_payer_tc")
    requete = one(texts, "requete")
    assert "Étude Rivière" not in requete and "Louis Rivière" not in requete
    assert "Hélène Dupont\nPrésidente\nDupont & Fils" in requete


# --------------------------------------------------------------------------- creancier


def test_creditors_department_keeps_its_letterhead_on_the_requete(tmp_path: Path) -> None:
    cabinet = LAWYER.replace('role = "avocat"', 'role = "creancier"').replace(
        "Marchand Dufour & Associés", "Dupont & Fils"
    )
    case = workspace(tmp_path / "cabinet", cabinet)
    texts, _ = rendered(case, tmp_path / "out", "injonction_de_payer_tc")
    requete = one(texts, "requete")
    assert "Barreau" not in requete  # the bar is a lawyer's only
    assert "Ayant pour avocat" not in requete
    assert "5 quai Saint-Antoine" in requete
    assert "Hélène Dupont\nPrésidente\nDupont & Fils" in requete


# --------------------------------------------------------------------------- pipe


@pytest.mark.parametrize("args", [["decompte", str(ROOT / "examples" / "b2b-factures-impayees")]])
def test_closed_pipe_ends_quietly(args: list[str]) -> None:
    """``actes decompte … | head``: the reader is gone before the first line; the command
    stops with 141 (as after SIGPIPE) and says nothing."""
    process = subprocess.Popen(
        [sys.executable, "-c", "from actes.cli import main; main()", *args, "--au", DAY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the interpreter has even started writing
    with process.stderr:
        error = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 141, error
    assert error == ""

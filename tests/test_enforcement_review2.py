"""The enforcement documents at the second professional read (issues #18, #19, review R2).

One test per finding, each on the rendered document's text or the CLI output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner
from docx import Document

from actes.cli import main

from .conftest import ROOT, copy_example, docx_text, load_yaml, plain_spaces, write_case
from .test_workspace_identity import _elsewhere as _elsewhere  # commands outside workspaces

CONSERVATOIRE = "saisie-conservatoire-b2b"
COMMISSAIRE = {
    "role": "commissaire_de_justice",
    "partie": {
        "type": "personne_morale",
        "qualite": "professionnel",
        "denomination": "Lugdunum Justice",
        "forme_juridique": "SCP",
        "adresse": {
            "ligne1": "10 rue de la République",
            "code_postal": "69002",
            "ville": "Lyon",
            "pays": "FR",
        },
    },
}
ORDONNANCE = {
    "titre": "Ordonnance du juge de l'exécution du 24 novembre 2026 autorisant la saisie "
    "conservatoire",
    "date": "2026-11-24",
    "fichier": "pieces/ordonnance-autorisation-2026-11-24.pdf",
    "role": "ordonnance_autorisation",
}


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def render(procedure: str, case: Path, out: Path, au: str) -> dict[str, str]:
    result = run("render", procedure, str(case), "-o", str(out), "--date", au)
    assert result.exit_code == 0, result.output
    return {p.name: plain_spaces(docx_text(p)) for p in out.glob("*.docx")}


def edit(path: Path, change: Any) -> Path:
    data = load_yaml(path)
    change(data)
    return write_case(path, data)


def _authorised(data: dict[str, Any]) -> None:
    data["mandataire"] = COMMISSAIRE
    data["evenements"].append(
        {
            "type": "autorisation_saisie_conservatoire",
            "date": "2026-11-24",
            "reference": "RG 26/04567",
        }
    )
    data["execution"]["autorisation"] = {
        "date": "2026-11-24",
        "reference": "RG 26/04567",
        "montant": "15000.00",
        "biens": "les sommes détenues pour le compte du débiteur par la Banque Populaire "
        "Auvergne Rhône Alpes",
    }


# --------------------------------------------------------------------------- 1, 11


def test_1_authorised_saisie_conservatoire_needs_the_ordonnance_piece(tmp_path: Path) -> None:
    case = edit(copy_example(CONSERVATOIRE, tmp_path), _authorised)
    out = tmp_path / "refused"
    result = run(
        "render", "saisie_conservatoire", str(case), "-o", str(out), "--date", "2026-11-26"
    )
    assert result.exit_code != 0
    message = plain_spaces(result.output)
    assert "Pièce manquante : l'ordonnance du juge de l'exécution du 24 novembre 2026" in message
    assert "R523-1" in message and "ordonnance_autorisation" in message
    assert not out.exists() or not list(out.iterdir())

    edit(case, lambda d: d["pieces"].append(dict(ORDONNANCE)))
    assert (case.parent / ORDONNANCE["fichier"]).is_file()
    (text,) = render("saisie_conservatoire", case, tmp_path / "out", "2026-11-26").values()
    # Listed in the pièces table (number 5, after the four of the requête).
    assert (
        "5\nOrdonnance du juge de l'exécution du 24 novembre 2026 autorisant la saisie "
        "conservatoire\n24 novembre 2026" in text
    )
    # 11: R511-6 once, dated; « les sommes … » without a masculine agreement.
    assert text.count("R511-6") == 1
    assert "soit au plus tard le 24 février 2027 (art. R511-6)" in text
    assert "tels que l'ordonnance" not in text
    assert "ainsi que l'ordonnance les désigne" in text


# --------------------------------------------------------------------------- 2, 12


def test_2_requete_presented_by_the_avocat_for_the_creditor(tmp_path: Path) -> None:
    case = copy_example(CONSERVATOIRE, tmp_path)
    (text,) = render("saisie_conservatoire", case, tmp_path / "out", "2026-11-20").values()
    requerant = text.index("Le requérant (créancier)")
    avocat = text.index("Ayant pour avocat Maître Claire Vasseur")
    debiteur = text.index("Contre le débiteur")
    assert requerant < avocat < debiteur
    assert "par l'intermédiaire de qui la présente requête est présentée" in text
    assert "Fait à Lyon, le 20 novembre 2026" in text and "Fait à Villeurbanne" not in text
    assert "Pour Métallerie du Rhône\nMaître Claire Vasseur\nAvocat au barreau de Lyon" in text
    # The signature closes the requête, before the list of pièces.
    assert text.index("Avocat au barreau de Lyon\n") < text.index("Pièces jointes")


def test_12_requete_signature_kept_with_its_closing_paragraph() -> None:

    document = Document(str(ROOT / "templates" / "actes" / "requete_saisie_conservatoire.docx"))
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Fait à"))
    # The paragraph before « Fait à » and every signature line but the last keep with next.
    assert paragraphs[start - 1].paragraph_format.keep_with_next
    chain = [p for p in paragraphs[start:] if not p.text.startswith("{%")]
    last = next(i for i, p in enumerate(chain) if p.text.startswith("Avocat au barreau"))
    assert all(p.paragraph_format.keep_with_next for p in chain[:last])


# --------------------------------------------------------------------------- 3


def test_3_representative_mise_en_demeure_asks_payment_to_the_creditor(tmp_path: Path) -> None:
    from .test_letterhead_roles import COMMISSAIRE as STUDY
    from .test_letterhead_roles import LAWYER, one, rendered
    from .test_workspace_identity import workspace

    lawyer = workspace(tmp_path / "avocat", LAWYER)
    texts, _ = rendered(lawyer, tmp_path / "a", "mise_en_demeure_professionnel")
    letter = one(texts, "mise-en-demeure")
    assert "Nous vous mettons en demeure de régler à notre cliente la somme indiquée" in letter
    assert "nous régler" not in letter
    assert "nous saisirons la juridiction compétente" in letter  # the avocat presents it

    study = workspace(tmp_path / "commissaire", STUDY)
    texts, _ = rendered(study, tmp_path / "c", "mise_en_demeure_professionnel")
    letter = one(texts, "mise-en-demeure")
    assert "de régler à notre mandante la somme indiquée" in letter
    assert "notre mandante saisira la juridiction compétente" in letter
    assert "nous saisirons" not in letter and "nous régler" not in letter


# --------------------------------------------------------------------------- 7, 8, 10


def test_7_8_executory_sentence_once_and_provision_sentence(tmp_path: Path) -> None:
    texts = render(
        "injonction_de_payer_tj",
        copy_example("execution-saisies", tmp_path),
        tmp_path / "out",
        "2026-12-02",
    )
    letter = next(t for n, t in texts.items() if "lettre-commissaire-execution" in n)
    assert letter.count("l'ordonnance est exécutoire depuis le 11 avril 2026") == 1
    assert "n'a fait l'objet d'aucune opposition" not in letter
    assert "aucun avis d'opposition n'a été reçu" not in letter
    sa = render(
        "saisie_attribution",
        copy_example("execution-saisies", tmp_path / "sa"),
        tmp_path / "sa-out",
        "2026-12-02",
    )
    (text,) = sa.values()
    assert "Provision provision" not in text
    assert "Cette provision est estimée au taux en vigueur à la date du décompte" in text


def test_10_no_r211_1_provision_in_the_signification_letter(tmp_path: Path) -> None:
    def unserved(data: dict[str, Any]) -> None:
        data["evenements"] = [e for e in data["evenements"] if e["type"] != "ordonnance_signifiee"]
        data["pieces"] = [p for p in data["pieces"] if p.get("role") != "acte_signification"]
        data["mandataire"] = {
            "role": "commissaire_de_justice",
            "partie": {
                "type": "personne_morale",
                "qualite": "professionnel",
                "denomination": "Actejust",
                "forme_juridique": "SELARL",
                "adresse": {
                    "ligne1": "30 allées de Tourny",
                    "code_postal": "33000",
                    "ville": "Bordeaux",
                    "pays": "FR",
                },
            },
        }

    case = edit(copy_example("injonction-2026", tmp_path), unserved)
    texts = render("injonction_de_payer_tj", case, tmp_path / "out", "2026-10-12")
    letter = next(t for n, t in texts.items() if "signification" in n and "lettre" in n)
    assert "sommation de payer" in letter
    assert "R211-1" not in letter and "Provision d'un mois" not in letter


def test_7_seizure_letters_state_when_the_ordonnance_became_executory_in_one_sentence(
    tmp_path: Path,
) -> None:
    # Served à personne on Tuesday 10 March 2026; the opposition month ends Friday 10 April
    # (CPC 1416): executory from Saturday 11 April 2026. Said once, without the engine's trace
    # (weekday, « délai de 1 mois », nested parentheses).
    case = copy_example("execution-saisies", tmp_path)
    for procedure in ("saisie_attribution", "saisie_remunerations"):
        texts = render(procedure, case, tmp_path / procedure, "2026-12-01")
        text = plain_spaces("\n".join(texts.values()))
        assert (
            "Non frappée d'opposition dans le délai, l'ordonnance est exécutoire depuis le "
            "11 avril 2026 (code de procédure civile, art. 1416 et 1422). Exécution possible "
            "jusqu'au 2 mars 2036"
        ) in text, procedure
        assert "délai de 1 mois" not in text, procedure
        assert "mardi 10 mars" not in text, procedure

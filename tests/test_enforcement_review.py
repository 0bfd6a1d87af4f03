"""The enforcement documents as a recovery professional read them (issue #18, review R1).

One test per finding, each on the rendered document's text or the CLI output."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from docx import Document

from actes.cases.case import load_case
from actes.cli import main
from actes.law.enforcement import current_title, enforcement_fact
from actes.law.title import PostTitleInterest, title_of

from .conftest import EXAMPLES, ROOT, copy_example, docx_text, load_yaml, plain_spaces, write_case

SAISIES = "execution-saisies"
CONSERVATOIRE = "saisie-conservatoire-b2b"
PETITES = "petites-creances-b2c"
COMMISSAIRE = {
    "role": "commissaire_de_justice",
    "nom": "SELARL Rhône Actes",
    "adresse": {"ligne1": "3 rue Grenette", "code_postal": "69002", "ville": "Lyon", "pays": "FR"},
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


def _ordonnance_2021(tmp_path: Path, *events: dict[str, Any]) -> Path:
    """The execution example as an ordonnance of 1 June 2021 (former regime), served à
    personne on 10 June 2021: opposition until 12 July, formule to request by 12 August."""
    target = tmp_path / "es-2021"
    shutil.copytree(EXAMPLES / SAISIES, target)

    def change(data: dict[str, Any]) -> None:
        organe = data["evenements"][-1]["organe"]
        data["reference"] = "EX-2021-0077"
        data["creances"][0].update(date_emission="2020-09-18", date_echeance="2020-10-18")
        data["paiements"] = []
        data["evenements"] = [
            {"type": "mise_en_demeure_envoyee", "date": "2020-11-20"},
            {"type": "requete_deposee", "date": "2021-04-26"},
            {"type": "ordonnance_rendue", "date": "2021-06-01", "reference": "RG 21/00987"},
            {"type": "ordonnance_signifiee", "date": "2021-06-10", "a_personne": True},
            *events,
        ]
        data["evenements"][3]["organe"] = organe
        data["titre"].update(
            date="2021-06-01",
            numero="RG 21/00987",
            signification={"date": "2021-06-10", "a_personne": True},
        )
        data["titre"]["montants"]["interets_echus"]["arretes_au"] = "2021-04-26"
        data["titre"]["montants"]["interets_posterieurs"]["a_compter_du"] = "2021-06-01"
        for piece in data["pieces"]:
            piece["date"] = "2021-06-10" if piece.get("role") else "2020-09-18"

    return edit(target / "dossier.yaml", change)


# --------------------------------------------------------------------------- 1, 7, 14, 20


def test_1_titre_letter_refused_without_the_title_pieces(tmp_path: Path) -> None:
    case = copy_example(SAISIES, tmp_path)
    edit(case, lambda d: [p.pop("role", None) for p in d["pieces"]])
    out = tmp_path / "out"
    result = run(
        "render", "injonction_de_payer_tj", str(case), "-o", str(out), "--date", "2026-06-30"
    )
    assert result.exit_code != 0
    assert "la copie exécutoire du titre" in result.output
    assert not out.exists() or not list(out.iterdir())


def test_7_14_20_execution_letter_bordereau_depens_and_executory_sentence(
    tmp_path: Path,
) -> None:
    texts = render(
        "injonction_de_payer_tj", copy_example(SAISIES, tmp_path), tmp_path / "out", "2026-06-30"
    )
    bordereau = next(t for n, t in texts.items() if "bordereau" in n)
    assert "BORDEREAU DES PIÈCES COMMUNIQUÉES AU COMMISSAIRE DE JUSTICE" in bordereau
    assert "REQUÊTE EN INJONCTION DE PAYER" not in bordereau
    letter = next(t for n, t in texts.items() if "lettre-commissaire-execution" in n)
    assert "Dépens\n35,39 €" in letter and "greffe" not in letter
    assert (
        "Signifiée à personne le 10 mars 2026 et non frappée d'opposition dans le délai, "
        "l'ordonnance est exécutoire depuis le 11 avril 2026" in letter
    )
    assert "délai de 1 mois" not in letter
    # 22: the role column is a label, not a phrase with its article.
    assert "Copie exécutoire du titre" in letter
    assert "la copie exécutoire du titre" not in letter


# --------------------------------------------------------------------------- 2, 13, 3


def test_2_authorised_saisie_conservatoire_asks_for_the_judge_sum(tmp_path: Path) -> None:
    case = copy_example(CONSERVATOIRE, tmp_path)
    event = {
        "type": "autorisation_saisie_conservatoire",
        "date": "2026-11-24",
        "reference": "RG 26/04567",
        "organe": COMMISSAIRE,
    }
    edit(case, lambda d: d["evenements"].append(event))
    out = tmp_path / "refused"
    result = run(
        "render", "saisie_conservatoire", str(case), "-o", str(out), "--date", "2026-11-26"
    )
    assert result.exit_code != 0
    assert "R511-4" in result.output and not out.exists()

    def authorise(data: dict[str, Any]) -> None:
        data["execution"]["autorisation"] = {
            "date": "2026-11-24",
            "reference": "RG 26/04567",
            "montant": "15000.00",
            "biens": "les sommes détenues par la Banque Populaire Auvergne Rhône Alpes",
        }
        # R2 #1: the ordonnance is a required pièce.
        data["pieces"].append(
            {
                "titre": "Ordonnance du juge de l'exécution du 24 novembre 2026",
                "date": "2026-11-24",
                "fichier": "pieces/ordonnance-autorisation-2026-11-24.pdf",
                "role": "ordonnance_autorisation",
            }
        )

    edit(case, authorise)
    (text,) = render("saisie_conservatoire", case, tmp_path / "out", "2026-11-26").values()
    assert "l'ordonnance autorise la mesure : 15 000,00 €" in text
    assert "19 2" not in text  # not the running décompte (19 289,72 € at that date)
    assert "ainsi que l'ordonnance les désigne" in text  # R2 #11
    assert "soit au plus tard le 24 février 2027 (art. R511-6)" in text


def test_3_13_cheque_cause_needs_the_cheque_and_guarantees_its_amount(tmp_path: Path) -> None:
    case = copy_example(CONSERVATOIRE, tmp_path)

    def cheque(data: dict[str, Any]) -> None:
        data["execution"]["cause_sans_autorisation"] = "cheque_impaye"
        data["mandataire"] = {
            "role": "commissaire_de_justice",
            "partie": {
                "type": "personne_morale",
                "denomination": "Rhône Actes",
                "forme_juridique": "SELARL",
                "qualite": "professionnel",
                "adresse": COMMISSAIRE["adresse"],
            },
        }

    edit(case, cheque)
    result = run("validate", str(case))
    assert result.exit_code != 0 and "execution.instrument" in result.output

    def identify(data: dict[str, Any]) -> None:
        data["execution"]["instrument"] = {
            "numero": "4521873",
            "date": "2026-10-30",
            "montant": "8400.00",
            "tire": "Banque Populaire Auvergne Rhône Alpes",
            "rejet": "2026-11-06",
        }

    edit(case, identify)
    out = tmp_path / "refused"
    result = run(
        "render", "saisie_conservatoire", str(case), "-o", str(out), "--date", "2026-11-26"
    )
    assert result.exit_code != 0 and "instrument_impaye" in result.output

    def piece(data: dict[str, Any]) -> None:
        data["pieces"].append(
            {
                "titre": "Chèque n° 4521873 et certificat de non-paiement",
                "date": "2026-11-06",
                "fichier": data["pieces"][0]["fichier"],
                "role": "instrument_impaye",
            }
        )

    edit(case, piece)
    (text,) = render("saisie_conservatoire", case, tmp_path / "out", "2026-11-26").values()
    assert "Chèque n° 4521873 du 30 octobre 2026, tiré sur Banque Populaire" in text
    assert "8 400,00 € (huit mille quatre cents euros)" in text
    assert "Indemnité" not in text and "L441-10" not in text
    assert "R511-6" not in text  # no ordonnance, no caducity of one (13)
    assert "Les sommes détenues" in text  # 22: capital at the start of the sentence


# --------------------------------------------------------------------------- 4, 5, 19


def test_4_void_ordonnance_supports_no_saisie_conservatoire(tmp_path: Path) -> None:
    path = _ordonnance_2021(tmp_path)
    day = dt.date(2026, 12, 2)
    case = load_case(path, au=day)
    assert title_of(case) is not None
    assert current_title(case, day) is None
    assert not enforcement_fact("saisie_sans_autorisation", True, case, day)
    result = run("next", str(path), "--au", "2026-12-02")
    assert result.exit_code == 0, result.output
    assert "Étape recommandée : saisie_conservatoire" not in result.output


def test_5_the_request_for_the_formule_meets_former_1423(tmp_path: Path) -> None:
    path = _ordonnance_2021(
        tmp_path,
        {"type": "formule_executoire_demandee", "date": "2021-08-02"},
        {"type": "formule_executoire_apposee", "date": "2021-08-30"},
    )
    assert run("validate", str(path)).exit_code == 0
    result = run("deadlines", str(path), "--au", "2021-09-01", "--json")
    assert result.exit_code == 0, result.output
    assert '"formule_executoire"' in result.output
    assert "non avenue" not in run("next", str(path), "--au", "2021-09-01").output
    index = load_yaml(ROOT / "procedures" / "injonction_de_payer_tj" / "index.yaml")
    assert index["evenement_apres_envoi"]["demande_formule_executoire"] == (
        "formule_executoire_demandee"
    )


def test_19_reason_for_excluding_the_saisie_conservatoire(tmp_path: Path) -> None:
    result = run("next", str(copy_example(SAISIES, tmp_path)), "--au", "2026-12-02")
    assert "avant que le créancier dispose d'un titre exécutoire" not in result.output
    assert "est inutile : une mesure d'exécution est possible" in result.output


# --------------------------------------------------------------------------- 6


def test_6_requete_over_the_threshold_is_presented_by_an_avocat(tmp_path: Path) -> None:
    case = copy_example(CONSERVATOIRE, tmp_path)
    (text,) = render("saisie_conservatoire", case, tmp_path / "out", "2026-11-20").values()
    assert "Ayant pour avocat Maître Claire Vasseur, avocat au barreau de Lyon" in text
    assert "Avocat au barreau de Lyon" in text
    # 22: the judge is named once.
    assert "Requête présentée au juge de l'exécution du tribunal judiciaire de Lyon." in text
    assert "Tribunal judiciaire de Lyon : requête" not in text
    edit(case, lambda d: d["execution"].pop("avocat"))
    out = tmp_path / "refused"
    result = run(
        "render", "saisie_conservatoire", str(case), "-o", str(out), "--date", "2026-11-20"
    )
    assert result.exit_code != 0 and "L121-4" in result.output and not out.exists()


# --------------------------------------------------------------------------- 8, 9, 10, 12


def test_8_9_one_provision_convention_and_its_estimate(tmp_path: Path) -> None:
    case = copy_example(SAISIES, tmp_path)
    texts = render("saisie_attribution", case, tmp_path / "sa", "2026-12-02")
    (sa,) = texts.values()
    assert (
        "Provision d'un mois d'intérêts à échoir pendant le délai de contestation (31 jours)" in sa
    )
    assert "25,39 €" in sa
    assert "au 2 janvier 2027" not in sa  # the month runs from the dénonciation
    assert "Cette provision est estimée au taux en vigueur" in sa  # 9: 2027-S1 not published
    letter = next(
        t
        for n, t in render("injonction_de_payer_tj", case, tmp_path / "ip", "2026-12-02").items()
        if "execution" in n
    )
    assert "(31 jours, CPCE, art. R211-1) : 25,39 €" in letter
    result = run("decompte", str(case), "--titre", "--au", "2026-12-02")
    assert "Provision d'un mois d'intérêts (31 j)" in result.output
    assert "25,39" in result.output


def test_10_future_majoration_is_announced_not_dated_in_the_past(tmp_path: Path) -> None:
    case = copy_example(SAISIES, tmp_path)
    edit(case, lambda d: d.update(paiements=[]))
    texts = render("injonction_de_payer_tj", case, tmp_path / "out", "2026-05-04")
    letter = next(t for n, t in texts.items() if "execution" in n)
    assert "sera majoré de cinq points à compter du 12 juin 2026" in letter
    assert "majoré de cinq points depuis" not in letter


def test_12_post_title_interest_is_1231_7_on_each_line(tmp_path: Path) -> None:
    (text,) = render(
        "saisie_attribution", copy_example(SAISIES, tmp_path), tmp_path / "out", "2026-06-30"
    ).values()
    assert "1231-6" not in text
    assert "code civil, art. 1231-7 ; code monétaire et financier, art. L313-2 et L313-3" in text
    assert "code monétaire et financier, art. L313-2, code monétaire" not in text  # 22
    assert "(2,62 %) majoré" not in text  # 22: no nested parentheses
    earlier = PostTitleInterest(
        nature="interet_legal", start=dt.date(2026, 6, 12), title_date=dt.date(2026, 10, 5)
    )
    assert "1344-1 et 1231-6 jusqu'au titre, puis art. 1231-7" in earlier.label()


# --------------------------------------------------------------------------- 17, 18


def test_17_rsa_floor_cites_r3252_5(tmp_path: Path) -> None:
    (text,) = render(
        "saisie_remunerations", copy_example(SAISIES, tmp_path), tmp_path / "out", "2026-06-30"
    ).values()
    assert "restant insaisissable (art. R3252-5)" in text


def test_18_prescription_suspended_from_the_agreement_to_take_part(tmp_path: Path) -> None:
    case = copy_example(PETITES, tmp_path)
    (text,) = render("petites_creances", case, tmp_path / "out", "2026-12-02").values()
    assert "L'accord du débiteur pour participer à la procédure" in text
    events = [
        {"type": "petites_creances_invitation_envoyee", "date": "2026-12-02"},
        {"type": "petites_creances_participation_acceptee", "date": "2026-12-10"},
    ]
    edit(case, lambda d: d["evenements"].extend(events))
    result = run("validate", str(case), "--date", "2026-12-10")
    assert result.exit_code == 0, result.output
    rules = load_yaml(ROOT / "parameters" / "prescription.yaml")["suspended_by"]
    assert "petites_creances_participation_acceptee" in [r["event"] for r in rules]


# --------------------------------------------------------------------------- 21


def _keeps_with_next(template: str, text: str) -> bool:
    document = Document(str(ROOT / "templates" / template))
    found = [p for p in document.paragraphs if p.text.startswith(text)]
    assert found, text
    return all(p.paragraph_format.keep_with_next for p in found)


def test_21_headings_and_signature_blocks_keep_with_next() -> None:
    assert _keeps_with_next(
        "courriers/requisition_saisie_attribution.docx", "Intérêts échus en vertu du titre"
    )
    assert _keeps_with_next(
        "courriers/lettre_commissaire_execution_titre.docx", "Intérêts échus en vertu du titre"
    )
    assert _keeps_with_next("actes/requete_saisie_conservatoire.docx", "Fait à")

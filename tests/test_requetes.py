"""Requêtes en injonction de payer (TJ, TC, JCP): what they state, how they name the court,
the parties and the signatory, and the consumer-credit forclusion
(actes.documents.contexts.requete)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from actes.cases.case import case_from_data, load_case
from actes.documents.render import render_documents
from actes.law.accounts import decompte_for_case
from actes.law.court import dated_court_name
from actes.law.timeline import case_deadlines

from .conftest import copy_example, example_path, load_yaml, write_case
from .test_render import docx_text

DAY = dt.date(2026, 12, 1)
# Filed documents refuse a rate not yet confirmed (2nd half of 2026 in the data): the
# commercial case is moved to the first half of 2026, when the ECB rate is confirmed.
JUNE = dt.date(2026, 6, 15)


def _b2b_first_half(data: dict[str, Any]) -> None:
    dates = [("2026-01-05", "2026-02-04"), ("2026-02-02", "2026-03-04")]
    for claim, (issued, due) in zip(data["creances"], dates, strict=True):
        claim.update(date_emission=issued, date_echeance=due)
    data["paiements"][0]["date"] = "2026-03-20"
    data["evenements"][0]["date"] = "2026-04-15"
    for piece in data.get("pieces", []):  # a pièce cannot postdate the requête (JUNE)
        piece["date"] = min(piece["date"], "2026-04-15")


def _render(
    procedure: str, case: Path, out: Path, au: dt.date = DAY
) -> tuple[dict[str, str], list[str]]:
    warnings: list[str] = []
    written = render_documents(procedure, case, out, au, on_warning=warnings.append)
    # Typography (non-breaking spaces before « : », in amounts) is not what these tests check.
    plain = {p.name: _plain(docx_text(p)) for p in written if p.suffix == ".docx"}
    return plain, [_plain(w) for w in warnings]


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _requete(files: dict[str, str]) -> str:
    return next(text for name, text in files.items() if "requete" in name)


def _bordereau(files: dict[str, str]) -> str:
    return next(text for name, text in files.items() if "bordereau" in name)


def _variant(name: str, tmp_path: Path, edit: Any) -> Path:
    path = copy_example(name, tmp_path)
    data = load_yaml(path)
    edit(data)
    return write_case(path, data)


# --- the reason why interest stopped ------------------------------------------------------


def _plan_accelerated(data: dict[str, Any]) -> None:
    """The consumer credit settled by an interest-free plan on 10 July 2026, whose déchéance
    du terme was notified on 15 September 2026 (the plan no longer runs)."""
    signed = dt.date(2026, 7, 10)
    due = decompte_for_case(case_from_data(data), signed).total_due
    data["format_version"] = 2
    data["plan"] = {
        "reference": "CC-2026-0311-P1",
        "date_signature": signed.isoformat(),
        "montant_total": str(due),
        "interets": "aucun",
        "echeances": [{"date": "2026-08-10", "montant": str(due)}],
        "suivi": [
            {"type": "mise_en_demeure_decheance", "date": "2026-08-20"},
            {"type": "notification_decheance", "date": "2026-09-15"},
        ],
    }


def test_requete_states_the_interest_free_plan_as_the_reason(tmp_path: Path) -> None:
    case = _variant("jcp-credit-consommation", tmp_path, _plan_accelerated)
    text = _requete(_render("injonction_de_payer_jcp", case, tmp_path / "out")[0])
    assert (
        "Intérêts arrêtés au 10/07/2026 : plan d'apurement sans intérêts signé le "
        "10 juillet 2026 (Code civil, art. 1103). Aucun intérêt n'est demandé au-delà de "
        "cette date." in text
    )
    # The actual reason only, never the list of possible ones.
    assert "L622-28" not in text
    assert "L722-14" not in text
    assert "avec intérêts au taux" not in text
    # No calculation convention in a filed document (kept for « actes decompte »).
    assert "Imputation des paiements" not in text
    assert "service-public" not in text


@pytest.mark.parametrize(
    ("example", "reason", "absent"),
    [
        (
            "liquidation-judiciaire",
            "jugement d'ouverture du 14 octobre 2026 (Code de commerce, art. L622-28)",
            "L722-14",
        ),
        (
            "surendettement",
            "recevabilité du dossier de surendettement du 27 octobre 2026 (Code de la "
            "consommation, art. L722-14)",
            "L622-28",
        ),
    ],
)
def test_interest_stop_reason_is_the_actual_event(example: str, reason: str, absent: str) -> None:
    conventions = decompte_for_case(load_case(example_path(example), au=DAY), DAY).conventions
    [stop] = [c for c in conventions if c.startswith("Intérêts arrêtés")]
    assert stop.endswith(f" : {reason}.")
    assert absent not in stop


# --- amounts: future interest and the Cerfa breakdown --------------------------------------


def test_tc_requete_asks_future_penalties_with_rate_and_start(tmp_path: Path) -> None:
    case = _variant("b2b-factures-impayees", tmp_path, _b2b_first_half)
    files, _ = _render("injonction_de_payer_tc", case, tmp_path / "out", JUNE)
    text = _requete(files)
    # The start of future penalties, then each claim's rate (its last period's) with its own
    # basis: the agreed rate of FA-2026-0117, the statutory default of FA-2026-0142.
    assert re.search(
        r"avec pénalités de retard à compter du 16 juin 2026, au taux de \d+,\d\d % l'an sur "
        r"[^()]+ au titre de la créance FA-2026-0117 \(taux convenu[^)]*\) et de 12,15 % l'an "
        r"sur [^()]+ au titre de la créance FA-2026-0142 \(code de commerce, art\. L441-10 II",
        text.replace("\u00a0", " "),
    )
    # Breakdown principal / interest / accessory costs (no clause pénale: no zero line).
    for label in (
        "Principal",
        "Pénalités de retard (code de commerce, art. L441-10) échues au 15 juin 2026",
        "Frais accessoires (indemnité forfaitaire pour frais de recouvrement",
    ):
        assert label in text
    assert "Clause pénale" not in text
    assert (
        "12,15 % l'an (taux de la BCE au 1er janvier 2026 (2,15 %) majoré de 10 points"
        in text.replace("\u00a0", " ")
    )
    assert "Imputation des paiements" not in text  # no convention paragraph


def test_tj_requete_breakdown_with_clause_penale(tmp_path: Path) -> None:
    files, warnings = _render(
        "injonction_de_payer_tj", example_path("tj-creance-civile"), tmp_path
    )
    text = _requete(files)
    assert "avec intérêts au taux de 8,00 % l'an (taux stipulé au contrat" in text
    assert "à compter du 2 décembre 2026" in text
    lines = text.splitlines()
    label = "Clause pénale (code civil, art. 1231-5), sans intérêts avant la décision du juge"
    assert label in lines
    index = lines.index(label)
    assert lines[index + 1].startswith("480,00")
    assert warnings == []


# --- header, renvoi -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("procedure", "example"),
    [
        ("injonction_de_payer_tc", "b2b-factures-impayees"),
        ("injonction_de_payer_tj", "tj-creance-civile"),
        ("injonction_de_payer_jcp", "jcp-credit-consommation"),
    ],
)
def test_no_cerfa_number_in_a_free_form_requete(
    tmp_path: Path, procedure: str, example: str
) -> None:
    if example == "b2b-factures-impayees":
        case, day = _variant(example, tmp_path, _b2b_first_half), JUNE
    else:
        case, day = example_path(example), DAY
    text = _requete(_render(procedure, case, tmp_path / "out", day)[0])
    assert "Cerfa" not in text
    assert "12948" not in text and "16040" not in text and "12946" not in text
    assert "Articles 1405 à 1408 du code de procédure civile" in text


def test_jcp_renvoi_names_the_juge_des_contentieux_de_la_protection(tmp_path: Path) -> None:
    text = _requete(
        _render("injonction_de_payer_jcp", example_path("jcp-credit-consommation"), tmp_path)[0]
    )
    assert (
        "renvoyée devant le juge des contentieux de la protection du tribunal judiciaire de "
        "Grenoble, statuant au fond." in text
    )
    assert "Devant le juge des contentieux de la protection" in text


def test_tj_renvoi_names_the_court_not_its_president(tmp_path: Path) -> None:
    text = _requete(
        _render("injonction_de_payer_tj", example_path("tj-creance-civile"), tmp_path)[0]
    )
    assert "renvoyée devant le tribunal judiciaire de Dijon, statuant au fond." in text


def test_renvoi_can_be_left_out(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["parametres"]["renvoi_1408"] = False

    text = _requete(
        _render("injonction_de_payer_tj", _variant("tj-creance-civile", tmp_path, edit), tmp_path)[
            0
        ]
    )
    assert "Demande de renvoi" not in text
    assert "renvoyée devant" not in text


# --- signatory and parties ----------------------------------------------------------------


def test_delegation_de_pouvoir_in_requete_and_bordereau(tmp_path: Path) -> None:
    files, _ = _render("injonction_de_payer_tj", example_path("tj-creance-civile"), tmp_path)
    text, bordereau = _requete(files), _bordereau(files)
    assert (
        "et pour la présente requête par M. Julien Petit, Responsable administratif et financier, "
        "agissant en vertu d'une délégation de pouvoir du 5 janvier 2026 consentie par "
        "Mme Claire Moreau, gérante" in text
    )
    assert "Agissant en vertu d'une délégation de pouvoir du 5 janvier 2026" in text
    # The délégation is among the pièces of the bordereau, and the bordereau's signatory too.
    assert "Délégation de pouvoir du 5 janvier 2026" in bordereau
    assert "Agissant en vertu d'une délégation de pouvoir" in bordereau
    # The legal representative is Mme Moreau, never the signatory.
    assert (
        "Julien Petit, Responsable administratif et financier, son représentant légal" not in text
    )


def test_signatory_without_delegation_is_warned(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        del data["parametres"]["signataire"]["delegation_de_pouvoir"]

    _, warnings = _render(
        "injonction_de_payer_tj", _variant("tj-creance-civile", tmp_path, edit), tmp_path
    )
    assert any("n'est pas le représentant légal" in w for w in warnings)


def test_syndicat_represented_by_its_syndic(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["debiteur"] = {
            "type": "personne_morale",
            "qualite": "non_professionnel",
            "denomination": "Syndicat des copropriétaires de la Résidence Les Alizés",
            "forme_juridique": "syndicat des copropriétaires",
            "adresse": {
                "ligne1": "12 rue Judaïque",
                "code_postal": "33000",
                "ville": "Bordeaux",
                "pays": "FR",
            },
            "syndic": {
                "denomination": "Gestimmo",
                "forme_juridique": "SARL",
                "siren": "402111330",
                "rcs": "Bordeaux",
                "adresse": {
                    "ligne1": "5 rue Sainte-Catherine",
                    "code_postal": "33000",
                    "ville": "Bordeaux",
                    "pays": "FR",
                },
                "representant": {"nom": "M. Éric Lambert", "qualite": "gérant"},
            },
        }

    text = _requete(
        _render("injonction_de_payer_tj", _variant("tj-creance-civile", tmp_path, edit), tmp_path)[
            0
        ]
    )
    assert (
        "Syndicat des copropriétaires de la Résidence Les Alizés, dont le siège est situé "
        "12 rue Judaïque, 33000 BORDEAUX, représenté par son syndic en exercice, Gestimmo, SARL, "
        "immatriculée au RCS de Bordeaux sous le n° 402 111 330" in text
    )
    assert "elle-même représentée par M. Éric Lambert, gérant" in text
    assert (
        "prise en la personne de son représentant légal"
        not in text.split("Contre le débiteur")[1].split("Objet")[0]
    )


# --- court names --------------------------------------------------------------------------


def test_lyon_commercial_court_is_a_tae_in_2026(tmp_path: Path) -> None:
    case = _variant("b2b-factures-impayees", tmp_path, _b2b_first_half)
    files, warnings = _render("injonction_de_payer_tc", case, tmp_path / "out", JUNE)
    text = _requete(files)
    assert "À Madame, Monsieur le président du tribunal des activités économiques de Lyon" in text
    assert "Tribunal des activités économiques de Lyon : requête présentée" in text
    assert "tribunal de commerce de Lyon" not in text.lower()
    assert "Juridiction : Tribunal des activités économiques de Lyon" in _bordereau(files)
    assert any("arrêté du 5 juillet 2024" in w for w in warnings)


def test_lyon_commercial_court_before_2025(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        for claim, (issued, due) in zip(
            data["creances"],
            [("2024-06-02", "2024-07-02"), ("2024-07-01", "2024-07-31")],
            strict=True,
        ):
            claim.update(date_emission=issued, date_echeance=due)
        data["paiements"][0]["date"] = "2024-08-20"
        data["evenements"][0]["date"] = "2024-09-15"
        data["pieces"][1]["date"] = "2024-06-02"
        for piece in data["pieces"]:  # a pièce cannot postdate the requête
            piece["date"] = min(piece["date"], "2024-09-15")

    case = _variant("b2b-factures-impayees", tmp_path, edit)
    text = _requete(
        _render("injonction_de_payer_tc", case, tmp_path / "o", dt.date(2024, 12, 2))[0]
    )
    assert "président du tribunal de commerce de Lyon" in text
    assert "activités économiques" not in text


def test_dated_court_names() -> None:
    assert dated_court_name("Tribunal de commerce du Havre", DAY).name == (
        "Tribunal des activités économiques du Havre"
    )
    assert dated_court_name("Tribunal de commerce de Bordeaux", DAY).name == (
        "Tribunal de commerce de Bordeaux"
    )
    assert dated_court_name(
        "Tribunal des activités économiques de Paris", dt.date(2024, 12, 31)
    ).name == ("Tribunal de commerce de Paris")
    assert dated_court_name("Tribunal de commerce de Paris", dt.date(2025, 1, 1)).changed


def test_warning_without_court_address(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        del data["juridiction"]["adresse"]

    _, warnings = _render(
        "injonction_de_payer_tj", _variant("tj-creance-civile", tmp_path, edit), tmp_path
    )
    assert any("ne porte pas l'adresse de la juridiction" in w for w in warnings)


# --- consumer credit ----------------------------------------------------------------------


def test_forclusion_runs_from_the_first_unregularised_incident() -> None:
    case = load_case(example_path("jcp-credit-consommation"), au=DAY)
    found = [d for d in case_deadlines(case, DAY) if d.procedure_id == "prescription"]
    assert found
    for deadline in found:
        assert deadline.id.startswith("forclusion_credit_consommation")
        assert deadline.date_limite == dt.date(2028, 3, 5)
        assert deadline.legal_basis == ("C. conso. art. R312-35",)
        assert "premier incident de paiement non régularisé" in deadline.start_event
    # Not the L218-2 prescription from each instalment (the capital fell due on 20 June 2026).
    assert not any("L218-2" in " ".join(d.legal_basis) for d in found)


def test_forclusion_ignores_an_acknowledgement_but_warns_on_rescheduling(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["evenements"].append({"type": "reconnaissance_de_dette", "date": "2026-09-01"})
        data["credit"]["reamenagement"] = "2026-04-01"

    case = load_case(_variant("jcp-credit-consommation", tmp_path, edit), au=DAY)
    [first, *_] = [d for d in case_deadlines(case, DAY) if d.procedure_id == "prescription"]
    assert first.date_limite == dt.date(2028, 3, 5)
    assert any("réaménagement du 1er avril 2026" in w for w in first.warnings)


def test_deadlines_command_shows_the_forclusion() -> None:
    result = subprocess.run(
        ["actes", "deadlines", str(example_path("jcp-credit-consommation")), "--au", "2026-12-01"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "2028-03-05" in result.stdout
    assert "C. conso. art. R312-35" in result.stdout


def test_jcp_requete_states_the_credit(tmp_path: Path) -> None:
    files, warnings = _render(
        "injonction_de_payer_jcp", example_path("jcp-credit-consommation"), tmp_path
    )
    text = _requete(files)
    assert (
        "prêt personnel n° PP-2023-55120 d'un montant de 15 000,00 €, consenti au "
        "débiteur par une offre acceptée le 14 mars 2023, au taux annuel effectif global de "
        "6,45 %" in text
    )
    assert "Le premier incident de paiement non régularisé est du 5 mars 2026" in text
    assert "qui expire le 5 mars 2028" in text
    assert "Par lettre recommandée du 12 mai 2026" in text
    assert "la déchéance du terme a été prononcée le 20 juin 2026" in text
    assert "taux du prêt, code de la consommation, art. L312-39 al. 1" in text
    assert warnings == []


def test_jcp_warns_about_missing_expected_pieces(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["pieces"] = [
            p for p in data["pieces"] if "FICP" not in p["titre"] and "FIPEN" not in p["titre"]
        ]

    _, warnings = _render(
        "injonction_de_payer_jcp", _variant("jcp-credit-consommation", tmp_path, edit), tmp_path
    )
    [missing] = [w for w in warnings if w.startswith("Pièces attendues absentes")]
    assert "(FIPEN)" in missing
    assert "(FICP)" in missing
    assert "Offre de contrat" not in missing
    assert "solvabilité" not in missing


@pytest.mark.parametrize(
    ("procedure", "example", "reference"),
    [
        ("injonction_de_payer_tj", "tj-creance-civile", "TJ-2026-0058"),
        ("injonction_de_payer_jcp", "jcp-credit-consommation", "CC-2026-0311"),
    ],
)
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_examples_render_to_pdf(
    tmp_path: Path, procedure: str, example: str, reference: str
) -> None:
    result = subprocess.run(
        [
            "actes",
            "render",
            procedure,
            str(example_path(example).parent),
            "-o",
            str(tmp_path),
            "--date",
            "2026-12-01",
            "--pdf",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / f"{reference}-requete-injonction-de-payer.pdf").stat().st_size > 0
    assert (tmp_path / f"{reference}-bordereau-pieces.pdf").stat().st_size > 0

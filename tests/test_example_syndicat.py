"""The injonction-2026 example: a syndicat des copropriétaires represented by its syndic.

Its contract (pieces/contrat-maintenance.pdf) is for the heating of the « Résidence Les
Alizés », syndic Gestimmo SARL: the debtor is the syndicat, a legal person acting outside any
trade (``non_professionnel``, Cass. 3e civ., 17 Feb 2022, n° 21-19.829), represented by its
syndic (loi n° 65-557, art. 18). It is no trader: the président of the tribunal judiciaire
hears the injonction de payer (CPC 1406), and between a professional creditor and a
non-professional debtor the interest is legal interest from the mise en demeure (C. civ.
1231-6, 1344-1), without the L441-10 penalties or the 40 € indemnity.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from actes.cases.case import load_case
from actes.cli import main
from actes.documents.contexts.common import party_context
from actes.law.accounts import decompte_for_case, interest_regime

from .conftest import EXAMPLES, example_path
from .test_render import copy_example, euros, interest, render

NAME = "injonction-2026"
SYNDICAT = "Syndicat des copropriétaires de la Résidence Les Alizés"
SYNDIC = (
    "représenté par son syndic en exercice, Gestimmo, SARL, immatriculée au RCS de Bordeaux "
    "sous le n° 402 111 330, dont le siège social est situé 5 rue Sainte-Catherine, 33000 "
    "BORDEAUX, elle-même représentée par M. Éric Lambert, gérant"
)


def _plain(text: str) -> str:
    """The text with no-break spaces and hyphens made plain: these tests check who and which
    court the documents name, not the typography (tests/test_typography.py does)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-")


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _legal_interest(days_s2: int) -> Decimal:
    """Hand computation for the two 1 950 € invoices: legal interest from the receipt of the
    mise en demeure (12 June 2026, excluded), « autres cas » rates since the creditor is a
    company: 2026 S1 2.62 % for 18 days (13 to 30 June), 2026 S2 2.75 % (not confirmed, legal
    reference §2.2) for ``days_s2`` days; rounded per claim and half-year."""
    per_claim = interest("1950.00", "2.62", 18) + interest("1950.00", "2.75", days_s2)
    return 2 * per_claim


def _assert_no_b2b_charges(raw: str) -> None:
    """No L441-10 penalty, no 40 € indemnity (one per invoice: 40 or 80 €), no commercial
    court."""
    text = _plain(raw).lower()
    assert "l441-10" not in text
    assert "indemnité forfaitaire" not in text
    assert "pénalités de retard" not in text
    assert not re.search(r"(?<![\d ])[48]0,00 €", _plain(raw))
    assert "tribunal de commerce" not in text


# --------------------------------------------------------------------------- the case file


def test_example_validates() -> None:
    result = _run("validate", str(EXAMPLES / NAME), "--date", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert "Dossier valide" in result.output


def test_debtor_is_a_non_professional_syndicat_with_its_syndic() -> None:
    case = load_case(example_path(NAME), au=dt.date(2026, 12, 1))
    assert case.debiteur.name == SYNDICAT
    assert case.debiteur.qualite == "non_professionnel"
    assert not case.debiteur.is_professional
    debtor = party_context(case.debiteur)
    assert debtor["syndic"] == SYNDIC.removeprefix("représenté par son syndic en exercice, ")
    # A party without a syndic prints none.
    assert party_context(case.creancier)["syndic"] == ""


def test_next_recommends_the_tribunal_judiciaire_and_refuses_the_commercial_court() -> None:
    result = _run("next", str(EXAMPLES / NAME), "--au", "2026-12-01", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["recommande"]["procedure"] == "injonction_de_payer_tj"
    assert data["juridiction"]["intitule"] == "Président du tribunal judiciaire de Bordeaux"
    offered = {s["procedure"] for s in data["disponibles"]}
    assert "injonction_de_payer_tc" not in offered
    assert ("injonction_de_payer_tc", "debiteur_professionnel") in {
        (b["procedure"], b["condition"]) for b in data["bloquees"]
    }


def test_legal_interest_from_the_mise_en_demeure_without_indemnity() -> None:
    au = dt.date(2026, 12, 22)
    case = load_case(example_path(NAME), au=au)
    assert interest_regime(case)[0] == "interet_legal"
    decompte = decompte_for_case(case, au)
    assert decompte.regime == "interet_legal"
    assert decompte.indemnities == Decimal("0.00")
    periods = [p for claim in decompte.claims for p in claim.periods]
    assert {p.start for p in periods} == {dt.date(2026, 6, 12), dt.date(2026, 6, 30)}
    assert all("tous les autres cas" in p.rate_origin for p in periods)
    # 1 July to 22 December 2026: 175 days.
    assert decompte.interest == _legal_interest(175) == Decimal("56.46")
    assert decompte.total_due == Decimal("3956.46")


# --------------------------------------------------------------------------- the documents


def test_requete_before_the_tribunal_judiciaire(tmp_path: Path) -> None:
    def before_requete(data: dict[str, Any]) -> None:
        data["evenements"] = [
            e for e in data["evenements"] if e["type"].startswith("mise_en_demeure")
        ]
        # Nor the title and its pièces, which come after the requête.
        del data["titre"]
        data["pieces"] = [p for p in data["pieces"] if "role" not in p]

    case = copy_example(NAME, tmp_path, before_requete)
    files = render("injonction_de_payer_tj", case, tmp_path / "out", dt.date(2026, 9, 14))
    raw = files["IP-2026-0203-requete-injonction-de-payer.docx"]
    text = _plain(raw)
    assert "À Madame, Monsieur le président du tribunal judiciaire de Bordeaux" in text
    assert "30 rue des Frères Bonie" in text
    assert (
        f"{SYNDICAT}, dont le siège est situé 12 rue Judaïque, 33000 BORDEAUX, {SYNDIC}." in text
    )
    assert "Intérêts au taux légal (code civil, art. 1231-6 et 1344-1)" in text
    # 1 July to 14 September 2026: 76 days; 3 900 + 27,38 = 3 927,38 €.
    assert euros(Decimal("3900.00") + _legal_interest(76)) in raw
    assert euros(Decimal("3927.38")) in raw
    _assert_no_b2b_charges(raw)


def test_lettre_commissaire_execution_names_the_syndicat_and_its_syndic(tmp_path: Path) -> None:
    files = render("injonction_de_payer_tj", example_path(NAME), tmp_path, dt.date(2026, 12, 22))
    raw = files["IP-2026-0203-lettre-commissaire-execution.docx"]
    text = _plain(raw)
    assert "le président du tribunal judiciaire de Bordeaux a rendu une ordonnance" in text
    # The title's amounts and décompte follow (tests/test_commissaire_file.py), not a running
    # figure « pour la somme de ».
    assert f"{SYNDICAT}, 12 rue Judaïque, 33000 BORDEAUX, {SYNDIC}. Nous vous en adressons" in text
    assert euros(Decimal("3900.00") + _legal_interest(175)) in raw
    assert "SELARL Actejust" in text
    _assert_no_b2b_charges(raw)
    bordereau = files["IP-2026-0203-bordereau-pieces.docx"]
    assert "Juridiction : Tribunal judiciaire de Bordeaux" in _plain(bordereau)


def test_lettre_commissaire_signification_names_the_syndicat_and_its_syndic(
    tmp_path: Path,
) -> None:
    def unserved(data: dict[str, Any]) -> None:
        data["evenements"] = [e for e in data["evenements"] if e["type"] != "ordonnance_signifiee"]
        data["mandataire"] = {
            "role": "commissaire_de_justice",
            "partie": {
                "type": "personne_morale",
                "qualite": "professionnel",
                "denomination": "SELARL Actejust",
                "forme_juridique": "SELARL",
                "adresse": {
                    "ligne1": "30 allées de Tourny",
                    "code_postal": "33000",
                    "ville": "Bordeaux",
                    "pays": "FR",
                },
            },
        }

    case = copy_example(NAME, tmp_path, unserved)
    files = render("injonction_de_payer_tj", case, tmp_path / "out", dt.date(2026, 12, 1))
    raw = files["IP-2026-0203-lettre-commissaire-signification.docx"]
    text = _plain(raw)
    assert "le président du tribunal judiciaire de Bordeaux a rendu une ordonnance" in text
    # The title's amounts and décompte follow (tests/test_commissaire_file.py), not a running
    # figure « pour la somme de ».
    assert f"{SYNDICAT}, 12 rue Judaïque, 33000 BORDEAUX, {SYNDIC}. Nous vous en adressons" in text
    # Title décompte: legal interest from 12 June 2026, split at the half-year:
    # 3 900 × 2,62 × 18 / 36 500 = 5,04 and 3 900 × 2,75 × 154 / 36 500 = 45,25 (1 July to
    # 1 December 2026: 154 days), total 3 950,29 €.
    assert euros(Decimal("3900.00") + Decimal("5.04") + Decimal("45.25")) in raw
    assert "5 janvier 2027" in text  # ordonnance of 5 October 2026 + 3 months (décret 2026-96)
    _assert_no_b2b_charges(raw)

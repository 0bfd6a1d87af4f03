"""Old titles: the yearly legal rates of 2000-2014, the L313-3 majoration before 2015, and a
2003 judgment computed by title_decompte and ``actes decompte --titre``."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from actes.cases.case import load_case
from actes.cli import main
from actes.errors import DefinitionError, RateMissing
from actes.law.rates import RateTables, half_year_code, record_command, record_rate
from actes.law.title import title_decompte, title_of

from .conftest import EXAMPLES, load_yaml, write_case

D = dt.date
PARAMETERS = Path(__file__).resolve().parents[1] / "parameters"

# Rate of each year and the décret that fixed it (LexisNexis table, cross-checked with the
# décrets' texts or two other publications: see parameters/taux/interet_legal.yaml).
YEARLY = {
    2000: ("2.74", "2000-133"),
    2001: ("4.26", "2001-138"),
    2002: ("4.26", "2002-159"),
    2003: ("3.29", "2003-201"),
    2004: ("2.27", "13 février 2004"),
    2005: ("2.05", "2005-130"),
    2006: ("2.11", "2006-117"),
    2007: ("2.95", "2007-217"),
    2008: ("3.99", "2008-166"),
    2009: ("3.79", "2009-138"),
    2010: ("0.65", "2010-127"),
    2011: ("0.38", "2011-137"),
    2012: ("0.71", "2012-182"),
    2013: ("0.04", "2013-178"),
    2014: ("0.04", "2014-98"),
}


@pytest.fixture(scope="module")
def tables() -> RateTables:
    return RateTables.load(workspace=None)


@pytest.mark.parametrize(("year", "expected"), sorted(YEARLY.items()))
def test_each_year_has_its_decree_rate_for_both_half_years_and_both_creditors(
    tables: RateTables, year: int, expected: tuple[str, str]
) -> None:
    rate, decree = expected
    for day in (D(year, 1, 1), D(year, 6, 30), D(year, 7, 1), D(year, 12, 31)):
        for consumer in (True, False):
            value = tables.legal_rate(day, creditor_is_consumer=consumer)
            assert value.rate == Decimal(rate)
            assert value.confirmed
            assert decree in value.reference and "Décret" in value.reference
            assert f"année {year}" in value.reference
    # Each half-year keeps its own bounds (lines, listings and overlays are by half-year).
    second = tables.legal_rate(D(year, 9, 1), creditor_is_consumer=False)
    assert (second.valid_from, second.valid_until, second.half_year) == (
        D(year, 7, 1),
        D(year, 12, 31),
        f"2e semestre {year}",
    )


def test_the_table_runs_without_gap_from_2000_to_the_semi_annual_rates(
    tables: RateTables,
) -> None:
    rows = tables.legal.rows
    assert rows[0].valid_from == D(2000, 1, 1)
    pairs = itertools.pairwise(rows)
    assert all(b.valid_from == a.valid_until + dt.timedelta(days=1) for a, b in pairs)
    # 2015: two rates by creditor, fixed by arrêté each half-year.
    assert tables.legal_rate(D(2015, 1, 1), True).rate == Decimal("4.06")
    assert tables.legal_rate(D(2015, 1, 1), False).rate == Decimal("0.93")
    with pytest.raises(RateMissing, match="2e semestre 1999"):
        tables.legal_rate(D(1999, 12, 31), creditor_is_consumer=False)
    # The half-year codes and the recording command keep their form for an old date.
    assert half_year_code(D(2003, 8, 1)) == "2003-S2"
    assert "interet_legal 2003-S2" in record_command("interet_legal", D(2003, 8, 1))


def _parameters_copy(tmp_path: Path, row: dict[str, Any]) -> Path:
    """The shipped parameters with ``row`` as the first legal-rate row (a year before 2000)."""
    target = tmp_path / "parameters"
    shutil.copytree(PARAMETERS, target)
    path = target / "taux" / "interet_legal.yaml"
    data = load_yaml(path)
    data["valeurs"].insert(0, row)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return target


ROW_1999 = {
    "valid_from": "1999-01-01",
    "periode": "annee",
    "creancier_particulier": "3.47",
    "autres_cas": "3.47",
    "reference": "Décret n° 99-71 du 3 février 1999, taux de l'année 1999",
    "source": "legal.tricoteuses.fr (texte du décret)",
    "confirmed": True,
}


def test_a_yearly_row_can_extend_the_table(tmp_path: Path) -> None:
    tables = RateTables.load(_parameters_copy(tmp_path, ROW_1999), workspace=None)
    assert tables.legal_rate(D(1999, 10, 1), creditor_is_consumer=True).rate == Decimal("3.47")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"valid_from": "1999-07-01"}, "commence le 1er janvier"),
        ({"autres_cas": "3.40"}, "même taux dans chaque colonne"),
        ({"periode": "trimestre"}, "« trimestre » inconnu"),
        ({"valid_from": "1998-01-01"}, "ne suit pas"),
    ],
)
def test_a_bad_yearly_row_is_refused_with_its_path(
    tmp_path: Path, change: dict[str, str], message: str
) -> None:
    directory = _parameters_copy(tmp_path, {**ROW_1999, **change})
    with pytest.raises(DefinitionError) as caught:
        RateTables.load(directory, workspace=None)
    assert any(message in issue.message for issue in caught.value.issues), caught.value.issues
    assert any(issue.json_path.startswith("$.valeurs") for issue in caught.value.issues)


def test_an_overlay_row_replaces_one_half_of_a_yearly_row(tmp_path: Path) -> None:
    # The workspace records half-years; a correction of 2003 S2 leaves 2003 S1 shipped.
    record_rate(
        tmp_path,
        "interet_legal",
        D(2003, 7, 1),
        {"creancier_particulier": Decimal("3.30"), "autres_cas": Decimal("3.30")},
        reference="correction d'essai",
        source="test",
    )
    tables = RateTables.load(workspace=tmp_path)
    assert tables.legal_rate(D(2003, 3, 1), False).rate == Decimal("3.29")
    assert tables.legal_rate(D(2003, 8, 1), False).rate == Decimal("3.30")


def test_actes_taux_liste_shows_the_old_years_by_half_year(tmp_path: Path) -> None:
    # An empty workspace: the shipped table only.
    result = CliRunner().invoke(
        main, ["taux", "liste", "--depuis", "2003-01-01", "--json", "--workspace", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["semestres"]
    first = {row["semestre"]: row for row in rows[:2]}
    assert set(first) == {"2003-S1", "2003-S2"}
    for row in first.values():
        assert row["interet_legal_particuliers"] == row["interet_legal_autres"] == "3.29"
        assert row["interet_legal_confirme"] is True
        assert row["bce"] is None


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (D(2000, 6, 1), "Loi n° 75-619"),
        (D(2003, 6, 11), "L313-3"),
        (D(2026, 1, 1), "L313-3"),
    ],
)
def test_the_l313_3_majoration_reaches_back_with_its_texts(
    tables: RateTables, day: dt.date, text: str
) -> None:
    assert tables.l313_3_majoration(day).value == Decimal("5")
    assert text in tables.l313_3_majoration(day).reference
    assert tables.l313_3_delay(day).value == Decimal("2")


JUGEMENT_2003 = {
    "nature": "jugement",
    "juridiction": {"nom": "Tribunal de grande instance de Bordeaux", "ville": "Bordeaux"},
    "date": "2003-03-14",
    "numero": "RG 03/01234",
    "montants": {
        "principal": "10000.00",
        "interets_posterieurs": {"nature": "interet_legal", "a_compter_du": "2003-03-14"},
        "article_700": "500.00",
        "depens": "120.00",
    },
    "signification": {"date": "2003-04-10", "a_personne": True},
}
PAYMENT_2005 = {"date": "2005-03-01", "montant": "3000.00", "reference": "Chèque 2005"}
AU = D(2005, 9, 30)

# Hand computation (basis 365, day of the start excluded, end included, one line per
# half-year, cut on the eve of the majoration and at the payment, each line rounded to the
# cent; amount = base × rate × days / 36 500):
# Jugement of Friday 14 March 2003, 10 000,00 € with legal interest from that day, served
# Thursday 10 April 2003 (CPC 503: executory that day). Two months later is 10 June 2003:
# +5 points (CMF L313-3) from 11 June 2003. Rates: 2003 3,29 % (décret 2003-201),
# 2004 2,27 % (décret du 13 février 2004), 2005 2,05 % (décret 2005-130), one for all
# creditors.
# 1. 14/03/2003 → 10/06/2003: 17 + 30 + 31 + 10 = 88 days at 3,29 %
#    10 000 × 3,29 × 88 / 36 500 = 79,3205 → 79,32
# 2. 10/06/2003 → 30/06/2003: 20 days at 8,29 %: 10 000 × 8,29 × 20 / 36 500 = 45,4247 → 45,42
# 3. 30/06/2003 → 31/12/2003: 184 days at 8,29 %: 417,9068 → 417,91
# 4. 31/12/2003 → 30/06/2004: 31 + 29 + 31 + 30 + 31 + 30 = 182 days (2004 is a leap year,
#    still divided by 365) at 7,27 %: 10 000 × 7,27 × 182 / 36 500 = 362,5041 → 362,50
# 5. 30/06/2004 → 31/12/2004: 184 days at 7,27 %: 366,4877 → 366,49
# 6. 31/12/2004 → 01/03/2005: 31 + 28 + 1 = 60 days at 7,05 %: 115,8904 → 115,89
# Payment of 3 000,00 on 1 March 2005: interest first (C. civ. 1343-1)
#    79,32 + 45,42 + 417,91 + 362,50 + 366,49 + 115,89 = 1 387,53, principal 1 612,47
#    → principal left 8 387,53.
# 7. 01/03/2005 → 30/06/2005: 30 + 30 + 31 + 30 = 121 days at 7,05 %
#    8 387,53 × 7,05 × 121 / 36 500 = 196,0269 → 196,03
# 8. 30/06/2005 → 30/09/2005: 31 + 31 + 30 = 92 days at 7,05 %: 149,0452 → 149,05
# Interest left 196,03 + 149,05 = 345,08; costs 500,00 + 120,00 = 620,00;
# total 8 387,53 + 345,08 + 620,00 = 9 352,61.
# Provision for 30 days: 8 387,53 × 7,05 × 30 / 36 500 = 48,6017 → 48,60.
EXPECTED_LINES = [
    ("2003-03-14", "2003-06-10", 88, "3.29", "79.32", False),
    ("2003-06-10", "2003-06-30", 20, "8.29", "45.42", True),
    ("2003-06-30", "2003-12-31", 184, "8.29", "417.91", True),
    ("2003-12-31", "2004-06-30", 182, "7.27", "362.50", True),
    ("2004-06-30", "2004-12-31", 184, "7.27", "366.49", True),
    ("2004-12-31", "2005-03-01", 60, "7.05", "115.89", True),
    ("2005-03-01", "2005-06-30", 121, "7.05", "196.03", True),
    ("2005-06-30", "2005-09-30", 92, "7.05", "149.05", True),
]


def _case_2003(tmp_path: Path) -> Path:
    """A copy of the execution example whose title is the 2003 judgment (its claim, events
    and payments moved to 2002-2005; no pièce, the décompte does not need them)."""
    target = tmp_path / "jugement-2003"
    shutil.copytree(EXAMPLES / "execution-saisies", target)
    data = load_yaml(target / "dossier.yaml")
    data["reference"] = "EX-2003-0042"
    data["creances"] = [
        {
            "reference": "F-2002-0311",
            "nature": "facture",
            "libelle": "Travaux de rénovation",
            "date_emission": "2002-09-18",
            "date_echeance": "2002-10-18",
            "montant": "10000.00",
        }
    ]
    data["juridiction"]["nom"] = "Tribunal de grande instance de Bordeaux"
    data["evenements"] = [
        {"type": "mise_en_demeure_envoyee", "date": "2002-11-20"},
        {"type": "jugement_signifie", "date": "2003-04-10", "a_personne": True},
    ]
    data["paiements"] = [PAYMENT_2005]
    data["pieces"] = []
    data["titre"] = JUGEMENT_2003
    data["parametres"].pop("taux_non_confirmes", None)
    return write_case(target / "dossier.yaml", data)


def test_a_2003_judgment_with_majoration_and_a_2005_payment(tmp_path: Path) -> None:
    case = load_case(_case_2003(tmp_path), au=AU)
    title = title_of(case)
    assert title is not None
    assert title.executory_on == D(2003, 4, 10)
    assert title.majoration_from == D(2003, 6, 11)
    # Older than 19 June 2008: ten years from that day (loi 2008-561 art. 26).
    assert title.expires_on == D(2018, 6, 19)
    result = title_decompte(case, AU, provision_days=30)
    lines = [
        (p["debut_exclu"], p["fin_incluse"], p["jours"], p["taux"], p["montant"], p["majore"])
        for p in result.interest_periods
    ]
    assert lines == EXPECTED_LINES
    [payment] = result.payments
    assert (payment.to_interest, payment.to_principal, payment.to_costs) == (
        Decimal("1387.53"),
        Decimal("1612.47"),
        Decimal("0.00"),
    )
    assert result.as_dict()["totaux"] == {
        "principal_restant": "8387.53",
        "frais": "620.00",
        "interets_echus": "345.08",
        "total_du": "9352.61",
    }
    assert result.provision == Decimal("48.60")
    assert not result.reserves and not result.provision_note
    bases = [p["fondement_taux"] for p in result.interest_periods]
    assert "L313-3" in bases[1] and "L313-3" not in bases[0]


def test_actes_decompte_titre_on_the_2003_judgment(tmp_path: Path) -> None:
    path = _case_2003(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["decompte", str(path), "--titre", "--au", AU.isoformat()])
    assert result.exit_code == 0, result.output
    text = result.output.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Décompte après titre du dossier EX-2003-0042 au" in text
    for amount in ("8 387,53", "620,00", "345,08", "9 352,61", "48,60"):
        assert amount in text, amount
    as_json = runner.invoke(
        main, ["decompte", str(path), "--titre", "--au", AU.isoformat(), "--json"]
    )
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert data["totaux"]["total_du"] == "9352.61"
    assert [(p["fin_incluse"], p["montant"]) for p in data["periodes"]] == [
        (line[1], line[4]) for line in EXPECTED_LINES
    ]


# --- documents of the former regimes ---------------------------------------------------------


def _render(path: Path, procedure: str, day: dt.date, out: Path) -> dict[str, str]:
    from .conftest import docx_text, plain_spaces

    result = CliRunner().invoke(
        main, ["render", procedure, str(path), "-o", str(out), "--date", day.isoformat()]
    )
    assert result.exit_code == 0, result.output
    return {p.name: plain_spaces(docx_text(p)) for p in out.glob("*.docx")}


def _ordonnance_2021(tmp_path: Path, *events: dict[str, Any]) -> Path:
    """The execution example as an ordonnance of 1 June 2021 (regime before 1 March 2022:
    served without the formule exécutoire), served à personne on 10 June 2021."""
    target = tmp_path / "ordonnance-2021"
    shutil.copytree(EXAMPLES / "execution-saisies", target)
    data = load_yaml(target / "dossier.yaml")
    organe = data["evenements"][-1]["organe"]
    data["reference"] = "EX-2021-0077"
    data["creances"][0].update(date_emission="2020-09-18", date_echeance="2020-10-18")
    data["paiements"] = []
    data["evenements"] = [
        {"type": "mise_en_demeure_envoyee", "date": "2020-11-20"},
        {"type": "requete_deposee", "date": "2021-04-26"},
        {"type": "ordonnance_rendue", "date": "2021-06-01", "reference": "RG 21/00987"},
        {
            "type": "ordonnance_signifiee",
            "date": "2021-06-10",
            "a_personne": True,
            "organe": organe,
        },
        *events,
    ]
    data["titre"] = {
        "nature": "ordonnance_injonction_de_payer",
        "juridiction": {"nom": "Tribunal judiciaire de Bordeaux", "ville": "Bordeaux"},
        "date": "2021-06-01",
        "numero": "RG 21/00987",
        "montants": {
            "principal": "4200.00",
            "interets_echus": {"montant": "98.50", "arretes_au": "2021-04-26"},
            "interets_posterieurs": {"nature": "interet_legal", "a_compter_du": "2021-06-01"},
            "depens": "35.39",
        },
        "signification": {"date": "2021-06-10", "a_personne": True},
    }
    titles = {
        "copie_executoire": ("Copie exécutoire de l'ordonnance du 1er juin 2021", "2021-06-01"),
        "copie_certifiee_requete": ("Copie certifiée conforme de la requête", "2021-04-26"),
        "acte_signification": ("Acte de signification du 10 juin 2021", "2021-06-10"),
    }
    for piece in data["pieces"]:
        piece["titre"], piece["date"] = titles.get(
            piece.get("role"), (piece["titre"], "2020-09-18")
        )
    data["parametres"].pop("taux_non_confirmes", None)
    return write_case(target / "dossier.yaml", data)


def test_request_for_the_formule_executoire_before_march_2022(tmp_path: Path) -> None:
    # Served Thursday 10 June 2021: the opposition month ends Saturday 10 July, extended to
    # Monday 12 July 2021 (CPC 642); the request is due within the following month, by
    # Thursday 12 August 2021 (former CPC 1423).
    texts = _render(_ordonnance_2021(tmp_path), "injonction_de_payer_tj", D(2021, 7, 20), tmp_path)
    text = texts["EX-2021-0077-demande-formule-executoire.docx"]
    assert "Greffe du Tribunal judiciaire de Bordeaux" in text
    assert "Demande d'apposition de la formule exécutoire" in text
    assert "Le 1er juin 2021, le président du tribunal judiciaire de Bordeaux" in text
    assert "(RG 21/00987)" in text
    assert "signifiée le 10 juin 2021 à la personne du débiteur" in text
    # In July 2021 article 1423 is in force: no citation of the décret that repealed it.
    assert "l'article 1423 du code de procédure civile, nous vous demandons" in text
    assert "2021-1322" not in text
    assert "(expiré le 12 juillet 2021), soit au plus tard le 12 août 2021" in text
    assert "non avenue" in text
    for amount in ("4 200,00 €", "98,50 €", "35,39 €", "4 333,89 €"):
        assert amount in text, amount
    assert "EX-2021-0077-lettre-commissaire-execution.docx" not in texts
    # Nothing goes to the commissaire at this step: no bordereau « communiquées au commissaire ».
    assert "EX-2021-0077-bordereau-pieces.docx" not in texts


def test_second_service_letter_once_the_formule_is_affixed(tmp_path: Path) -> None:
    # Formule affixed on Monday 2 August 2021: executory that day, +5 points from
    # 3 October 2021 (two months, CMF L313-3). Creditor a company (« autres cas »):
    # 2021 S1 0,79 %, 2021 S2 0,76 %. Décompte on 29 October 2021:
    # 01/06 → 30/06: 29 days, 4 200 × 0,79 × 29 / 36 500 = 2,6362 → 2,64
    # 30/06 → 02/10: 31 + 31 + 30 + 2 = 94 days, 4 200 × 0,76 × 94 / 36 500 = 8,2204 → 8,22
    # 02/10 → 29/10: 27 days at 5,76 %, 4 200 × 5,76 × 27 / 36 500 = 17,8959 → 17,90
    # Interest since the title 28,76; with the arrested 98,50: 127,26; total
    # 4 200,00 + 127,26 + 35,39 = 4 362,65.
    affixed = {"type": "formule_executoire_apposee", "date": "2021-08-02"}
    path = _ordonnance_2021(tmp_path, affixed)
    texts = _render(path, "injonction_de_payer_tj", D(2021, 10, 29), tmp_path)
    text = texts["EX-2021-0077-lettre-commissaire-execution.docx"]
    assert "Signification de l'ordonnance revêtue de la formule exécutoire et exécution" in text
    assert "La formule exécutoire a été apposée le 2 août 2021" in text
    assert "signifier au débiteur l'ordonnance revêtue de la formule exécutoire" in text
    assert "majoré de cinq points depuis le 3 octobre 2021" in text
    for line in (
        "0,79 %\n2,64 €",
        "0,76 %\n8,22 €",
        "5,76 % (majoré)\n17,90 €",
        "Intérêts échus restant dus\n127,26 €",
        "Total dû au 29 octobre 2021\n4 362,65 €",
    ):
        assert line in text, line
    assert "Copie exécutoire de l'ordonnance du 1er juin 2021" in text
    assert "EX-2021-0077-demande-formule-executoire.docx" not in texts
    # Once the formule is affixed, the pièces go to the commissaire with their bordereau.
    assert "COMMUNIQUÉES AU COMMISSAIRE DE JUSTICE" in texts["EX-2021-0077-bordereau-pieces.docx"]
    # In October 2021 article 1423 is in force: never « ancien » in a letter of that date.
    assert "(article 1423 du code de procédure civile)" in text
    assert "CPC art. 1422 et 1423" in text
    assert "ancien" not in text


def test_wage_seizure_requete_before_july_2025(tmp_path: Path) -> None:
    # Jugement of 2 September 2024 served Friday 20 September 2024 (executory that day):
    # +5 points from 21 November 2024. « Autres cas »: 2024 S2 4,92 %, 2025 S1 3,71 %.
    # 02/09 → 20/11/2024: 28 + 31 + 20 = 79 days, 4 200 × 4,92 × 79 / 36 500 = 44,7248 → 44,72
    # 20/11 → 16/12/2024: 26 days at 9,92 %: 4 200 × 9,92 × 26 / 36 500 = 29,6785 → 29,68
    # Payment 600,00 on 16 December: 74,40 interest, 525,60 principal → 3 674,40.
    # 16/12 → 31/12/2024: 15 days at 9,92 %: 3 674,40 × 9,92 × 15 / 36 500 = 14,9795 → 14,98
    # 31/12/2024 → 03/03/2025: 31 + 28 + 3 = 62 days at 8,71 %: 54,3630 → 54,36
    # Interest left 69,34; costs 400,00 + 35,39; total 3 674,40 + 69,34 + 435,39 = 4 179,13.
    target = tmp_path / "jugement-2024"
    shutil.copytree(EXAMPLES / "execution-saisies", target)
    data = load_yaml(target / "dossier.yaml")
    data["reference"] = "EX-2024-0456"
    data["creances"][0].update(date_emission="2024-03-18", date_echeance="2024-04-18")
    data["paiements"] = [{"date": "2024-12-16", "montant": "600.00", "reference": "VIR-1"}]
    data["evenements"] = [
        {"type": "mise_en_demeure_envoyee", "date": "2024-05-20"},
        {"type": "jugement_signifie", "date": "2024-09-20", "a_personne": True},
    ]
    data["titre"] = {
        "nature": "jugement",
        "juridiction": {"nom": "Tribunal judiciaire de Bordeaux", "ville": "Bordeaux"},
        "date": "2024-09-02",
        "numero": "RG 24/04567",
        "montants": {"principal": "4200.00", "article_700": "400.00", "depens": "35.39"},
        "signification": {"date": "2024-09-20", "a_personne": True},
    }
    data["execution"].pop("banques")
    data["execution"]["juge_execution"] = {
        "nom": "Tribunal judiciaire de Bordeaux",
        "adresse": data["juridiction"]["adresse"],
    }
    data["pieces"] = [
        {
            "titre": "Copie exécutoire du jugement du 2 septembre 2024",
            "date": "2024-09-02",
            "fichier": "pieces/ordonnance-copie-executoire.pdf",
            "role": "copie_executoire",
        },
        {
            "titre": "Acte de signification du jugement",
            "date": "2024-09-20",
            "fichier": "pieces/acte-signification-2026-03-10.pdf",
            "role": "acte_signification",
        },
    ]
    path = write_case(target / "dossier.yaml", data)
    texts = _render(path, "saisie_remunerations", D(2025, 3, 3), tmp_path / "out")
    text = texts["EX-2024-0456-requete-saisie-remunerations.docx"]
    assert "juge de l'exécution du tribunal judiciaire de Bordeaux" in text
    assert "REQUÊTE EN SAISIE DES RÉMUNÉRATIONS" in text
    # A requête of March 2025 does not cite the décret of February 2025 as a former regime.
    assert "2025-125" not in text
    assert "autorisée et conduite par le juge de l'exécution" in text
    assert "Jugement du 2 septembre 2024" in text and "RG 24/04567" in text
    assert "Logistique Atlantique SAS, SIREN 799 456 123" in text
    for amount in ("44,72 €", "29,68 €", "14,98 €", "54,36 €", "74,40 €", "525,60 €"):
        assert amount in text, amount
    assert "Soit 4 179,13 €" in text
    assert "principal restant dû 3 674,40 €, intérêts échus 69,34 € et frais 435,39 €" in text
    assert "tentative de conciliation" in text

"""`actes rapport`: aged balance, encours, recoveries and DSO checked against figures computed
by hand on a small folder; totals equal to the cases' own décomptes; every output read back."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from actes.cases.case import load_case
from actes.cli import main
from actes.law.accounts import decompte_for_case
from actes.portfolio.report import (
    bucket_of,
    build_report,
    compute_facts,
    month_ends,
    portfolio_items,
)

AU = dt.date(2026, 12, 2)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

CREDITOR = {
    "type": "personne_morale",
    "qualite": "professionnel",
    "denomination": "Chauffage Lorrain",
    "forme_juridique": "SARL",
    "siren": "402111330",
    "adresse": {
        "ligne1": "8 rue des Jardins",
        "code_postal": "57000",
        "ville": "Metz",
        "pays": "FR",
    },
}


def _debtor(civilite: str, nom: str, prenoms: str) -> dict[str, Any]:
    return {
        "type": "personne_physique",
        "qualite": "consommateur",
        "civilite": civilite,
        "nom": nom,
        "prenoms": prenoms,
        "adresse": {
            "ligne1": "3 rue Haute",
            "code_postal": "57000",
            "ville": "Metz",
            "pays": "FR",
        },
    }


def _claim(ref: str, amount: str, emitted: str, due: str) -> dict[str, Any]:
    return {
        "reference": ref,
        "nature": "facture",
        "date_emission": emitted,
        "date_echeance": due,
        "montant": amount,
    }


def _case(ref: str, who: str, debtor: dict[str, Any], claims: list[Any], paid: list[Any]) -> Any:
    # A professional creditor, a consumer debtor, no rate and no mise en demeure: no interest
    # (C. civ. 1344-1) and no indemnity, so what is due is the principal left (hand-checkable).
    return {
        "format_version": 1,
        "reference": ref,
        "gestionnaire": who,
        "creancier": CREDITOR,
        "debiteur": debtor,
        "creances": claims,
        "paiements": paid,
    }


def make_folder(root: Path) -> Path:
    cases = {
        "A": _case(
            "A-2026-1",
            "Léa",
            _debtor("Mme", "Durand", "Alice"),
            [
                _claim("A1", "4000.00", "2026-10-20", "2026-11-20"),  # 12 days late: 1-30
                _claim("A2", "1000.00", "2026-11-15", "2026-12-02"),  # due today: not yet due
                _claim("A3", "250.00", "2026-10-01", "2026-11-02"),  # 30 days: 1-30
                _claim("A4", "150.00", "2026-10-01", "2026-11-01"),  # 31 days: 31-60
            ],
            [{"date": "2026-11-25", "montant": "500.00", "creance": "A1"}],
        ),
        "B": _case(
            "B-2026-2",
            "Marc",
            _debtor("M.", "Petit", "Bruno"),
            [
                _claim("B1", "2000.00", "2026-07-01", "2026-08-01"),  # 123 days: 91-180
                _claim("B2", "700.00", "2026-04-15", "2026-05-15"),  # 201 days: over 180
                _claim("B3", "90.00", "2026-08-01", "2026-09-03"),  # 90 days: 61-90
                _claim("B4", "60.00", "2026-08-01", "2026-09-02"),  # 91 days: 91-180
            ],
            [],
        ),
        "C": _case(
            "C-2026-3",
            "Léa",
            _debtor("Mme", "Roux", "Chloé"),
            [_claim("C1", "300.00", "2026-09-02", "2026-10-02")],
            [{"date": "2026-11-10", "montant": "300.00"}],  # paid in full: closed
        ),
    }
    folder = root / "portefeuille"
    for name, data in cases.items():
        (folder / name).mkdir(parents=True)
        (folder / name / "dossier.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
        )
    return folder


def report_of(folder: Path, au: dt.date = AU) -> Any:
    items, unreadable = portfolio_items(folder)
    facts, excluded = compute_facts(items, au, today=AU)
    return build_report(facts, au, excluded=[*unreadable, *excluded], source=str(folder))


def test_buckets_boundaries() -> None:
    due = dt.date(2026, 11, 1)
    assert bucket_of(due, due) == "non_echu"
    assert bucket_of(due, due + dt.timedelta(days=1)) == "1_30"
    assert bucket_of(due, due + dt.timedelta(days=30)) == "1_30"
    assert bucket_of(due, due + dt.timedelta(days=31)) == "31_60"
    assert bucket_of(due, due + dt.timedelta(days=90)) == "61_90"
    assert bucket_of(due, due + dt.timedelta(days=180)) == "91_180"
    assert bucket_of(due, due + dt.timedelta(days=181)) == "plus_180"
    assert month_ends(dt.date(2026, 3, 15), 3) == [
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
    ]


def test_hand_computed_report(tmp_path: Path) -> None:
    report = report_of(make_folder(tmp_path))
    d = Decimal
    assert {k: str(v) for k, v in report.balance.buckets.items()} == {
        "non_echu": "1000.00",
        "1_30": "3750.00",  # A1 3 500 (4 000 - 500 designated) + A3 250
        "31_60": "150.00",
        "61_90": "90.00",
        "91_180": "2060.00",  # B1 2 000 + B4 60
        "plus_180": "700.00",
    }
    assert report.total_due == d("7750.00")
    collectors = {b.label: b.total for b in report.by_collector}
    assert collectors == {"Léa": d("4900.00"), "Marc": d("2850.00")}
    debtors = {b.label: b.total for b in report.by_debtor}
    assert debtors == {
        "Mme Alice DURAND": d("4900.00"),
        "M. Bruno PETIT": d("2850.00"),
        "Mme Chloé ROUX": d("0.00"),
    }
    assert report.by_debtor[0].key == "nom:alice durand"  # largest first
    # Encours at month ends, from the cases' own dates: B2 (issued 15 April) first, then B1
    # (July), B3 + B4 (August), C1 (September), A1 A3 A4 (October), A2 and the two payments
    # of November (4 000 + 250 + 150 + 1 000 - 500 - 300).
    encours = {day: amount for day, amount in report.encours}
    assert encours[dt.date(2026, 3, 31)] == d("0.00")
    assert encours[dt.date(2026, 4, 30)] == d("700.00")
    assert encours[dt.date(2026, 7, 31)] == d("2700.00")
    assert encours[dt.date(2026, 8, 31)] == d("2850.00")
    assert encours[dt.date(2026, 9, 30)] == d("3150.00")
    assert encours[dt.date(2026, 10, 31)] == d("7550.00")
    assert encours[dt.date(2026, 11, 30)] == d("7750.00")
    assert encours[AU] == d("7750.00")
    recovered = {end: (amount, rate) for end, amount, rate in report.recovered}
    # November: 500 + 300 received; 800 / 7 550 (end of October) = 10.596 %.
    assert recovered[dt.date(2026, 11, 30)] == (d("800.00"), d("10.6"))
    assert recovered[AU] == (d("0.00"), d("0.0"))
    assert report.received_total == d("800.00")
    # 800 received / 8 550 of claims (5 400 + 2 850 + 300) = 9.36 %.
    assert report.placed == d("8550.00")
    assert report.recovery_rate == d("9.4")
    # DSO (one creditor): principal left 7 750 / invoiced in the 90 days after 3 September
    # (A1 4 000, A2 1 000, A3 250, A4 150 = 5 400) x 90 = 129.17 days.
    assert report.invoiced == d("5400.00")
    assert report.dso == d("129")
    assert report.dso_by_creditor == {"chauffage lorrain": d("129")}
    # Weighted days late: (3 500x12 + 250x30 + 150x31 + 2 000x123 + 700x201 + 90x90 + 60x91)
    # / 6 750 = 454 410 / 6 750 = 67.3.
    assert report.average_days_late == d("67")
    stages = {key: (count, amount) for key, _, count, amount in report.stages}
    assert stages["clos"] == (1, d("0.00"))
    assert stages["amiable"] == (2, d("7750.00"))


def test_totals_equal_the_cases_own_decomptes(tmp_path: Path) -> None:
    folder = tmp_path / "exemples"
    shutil.copytree(EXAMPLES, folder)
    report = report_of(folder)
    assert not report.excluded, report.excluded
    expected = Decimal("0.00")
    for path in sorted(folder.glob("*/dossier.yaml")):
        expected += decompte_for_case(load_case(path, au=AU), AU).total_due
    assert report.total_due == expected
    assert sum((b.total for b in report.by_case), Decimal(0)) == expected
    assert sum((b.total for b in report.by_debtor), Decimal(0)) == expected
    assert report.encours[-1] == (AU, expected)


def test_past_date_takes_cases_as_they_were(tmp_path: Path) -> None:
    # On 31 October the November payments had not arrived and A2 was not issued: the report
    # at that date must not refuse the cases (their later payments) but ignore what came later.
    report = report_of(make_folder(tmp_path), dt.date(2026, 10, 31))
    assert report.total_due == Decimal("7550.00")
    assert not report.excluded


def test_bad_inputs(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    broken = folder / "D"
    broken.mkdir()
    data = yaml.safe_load((folder / "C" / "dossier.yaml").read_text(encoding="utf-8"))
    data["reference"] = "D-2026-4"
    del data["creances"][0]["date_echeance"]  # no due date and no payment terms
    (broken / "dossier.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    (folder / "E").mkdir()
    (folder / "E" / "dossier.yaml").write_text("reference: [pas fermé\n", encoding="utf-8")
    report = report_of(folder)
    assert report.total_due == Decimal("7750.00")  # the others still count
    reasons = {e.reference: e.message for e in report.excluded}
    assert "date_echeance" in reasons["D-2026-4"] or "échéance" in reasons["D-2026-4"]
    assert len(report.excluded) == 2

    runner = CliRunner()
    empty = tmp_path / "vide"
    empty.mkdir()
    result = runner.invoke(main, ["rapport", str(empty), "--au", "2026-12-02"])
    assert result.exit_code == 1
    assert "Aucun dossier" in result.output
    assert "Traceback" not in result.output

    result = runner.invoke(
        main, ["rapport", str(make_folder(tmp_path / "x")), "--au", "2026-01-15"]
    )
    assert result.exit_code == 1
    assert "Aucune créance n'existait au 15/01/2026 dans les 3 dossier(s)" in result.output
    assert "la plus ancienne a été émise le 15/04/2026" in result.output


def test_cli_outputs(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    folder = make_folder(tmp_path)
    runner = CliRunner()
    out = tmp_path / "sorties"
    out.mkdir()
    args = ["rapport", str(folder), "--au", "2026-12-02"]
    result = runner.invoke(
        main,
        [
            *args,
            "--xlsx",
            str(out / "rapport.xlsx"),
            "--pdf",
            str(out / "rapport.pdf"),
            "--graphiques",
            str(out / "graphiques"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Balance âgée par gestionnaire" in result.output
    assert "7\u202f750,00\u00a0€" in result.output

    book = load_workbook(out / "rapport.xlsx")
    assert book.sheetnames[:3] == ["Synthèse", "Balance âgée", "Par débiteur"]
    balance = book["Balance âgée"]
    values = {row[0]: row[1] for row in balance.iter_rows(min_row=3, max_row=10, values_only=True)}
    assert values["principal 1 à 30 jours"] == 3750
    assert values["Intérêts et indemnités"] == 0
    assert values["Total"] == 7750
    synthesis = {r[0]: r[1] for r in book["Synthèse"].iter_rows(min_row=3, values_only=True)}
    assert synthesis["Total dû (décomptes des dossiers)"] == 7750  # a number, not text
    rate = synthesis["Taux d'encaissement (encaissé ÷ montant des créances)"]
    assert abs(float(rate) - 0.094) < 1e-9  # 9,4 % as Excel stores it
    assert balance._charts, "the aged-balance sheet carries its bar chart"
    assert book["Encours"]._charts

    text = "".join(page.extract_text() for page in PdfReader(out / "rapport.pdf").pages)
    assert "Rapport du portefeuille au 02/12/2026" in text
    assert "Balance âgée par gestionnaire" in text
    assert "7 750,00" in text.replace("\u202f", " ").replace("\u00a0", " ")

    png = (out / "graphiques" / "balance_agee.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    svg = (out / "graphiques" / "encours.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Encours" in svg

    result = runner.invoke(main, [*args, "--json"])
    data = json.loads(result.stdout)
    assert data["total_du"] == "7750.00"
    assert data["balance_agee"]["91_180"] == "2060.00"
    assert data["dso"]["jours"] == "129"

    result = runner.invoke(main, [*args, "--csv", "dossiers"])
    rows = [line.split(";") for line in io.StringIO(result.stdout).read().splitlines()]
    assert rows[0][0] == "libelle"
    assert {r[0] for r in rows[1:]} == {"A-2026-1", "B-2026-2", "C-2026-3", "Total"}


def test_report_refuses_to_overwrite_a_case(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    target = folder / "A" / "dossier.yaml"
    before = target.read_bytes()
    result = CliRunner().invoke(
        main, ["rapport", str(folder), "--au", "2026-12-02", "--xlsx", str(target)]
    )
    assert result.exit_code == 2
    assert target.read_bytes() == before


def test_index_and_direct_computation_agree(tmp_path: Path) -> None:
    from actes.portfolio.report import facts_from_index

    folder = tmp_path / "exemples"
    shutil.copytree(EXAMPLES, folder)
    today = dt.date.today()
    facts, excluded = facts_from_index(folder, today)
    indexed = build_report(facts, today, excluded=excluded)
    items, unreadable = portfolio_items(folder)
    direct_facts, more = compute_facts(items, today, today=today)
    direct = build_report(direct_facts, today, excluded=[*unreadable, *more])
    assert indexed.total_due == direct.total_due
    assert indexed.encours == direct.encours
    assert [b.as_json() for b in indexed.by_case] == [b.as_json() for b in direct.by_case]


def test_csv_portfolio(tmp_path: Path) -> None:
    creditor = tmp_path / "creancier.yaml"
    # The ECB rate of the second half of 2026 is not confirmed in the shipped tables: the
    # creditor accepts it provisionally, as the bundled examples do.
    partial = {"creancier": CREDITOR, "parametres": {"taux_non_confirmes": True}}
    creditor.write_text(yaml.safe_dump(partial, allow_unicode=True), "utf-8")
    header = (
        "debiteur_reference;debiteur_qualite;debiteur_denomination;debiteur_forme_juridique;"
        "debiteur_adresse_ligne1;debiteur_code_postal;debiteur_ville;creance_reference;"
        "creance_date_emission;creance_date_echeance;creance_montant;paiement_date;"
        "paiement_montant"
    )
    rows = [
        "D1;professionnel;Client Un;SARL;1 rue A;69002;Lyon;FA-1;02/06/2026;02/07/2026;1 000,00;;",
        "D2;professionnel;Client Deux;SAS;2 rue B;69003;Lyon;FA-2;01/11/2026;01/12/2026;250,50;;",
        "D3;professionnel;Client Trois;SAS;3 rue C;69003;Lyon;FA-3;01/11/2026;;12,00;;",
    ]
    portfolio = tmp_path / "portefeuille.csv"
    portfolio.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["rapport", str(portfolio), "--creancier", str(creditor), "--au", "2026-12-02", "--json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["dossiers_comptes"] == 2
    # Between professionals L441-10 penalties and the 40 EUR indemnity are part of what is due:
    # the report's total is the sum of both décomptes, whatever they hold.
    assert Decimal(data["balance_agee"]["1_30"]) >= Decimal("250.50")
    (excluded,) = data["dossiers_ecartes"]
    assert excluded["reference"] == "D3"


def test_plan_instalments_aged_and_accessories(tmp_path: Path) -> None:
    # RE-2026-031 runs a plan (instalments of 180 EUR on the 10th): only the instalment of
    # 10 November is late (22 days); the 21 others are not yet due, whatever the invoice's own
    # due date. The B2B case of Métallerie du Rhône carries L441-10 penalties and 40 EUR
    # indemnities: in their own column, the total still its décompte.
    folder = tmp_path / "exemples"
    shutil.copytree(EXAMPLES, folder)
    report = report_of(folder)
    plan = next(b for b in report.by_case if b.label == "RE-2026-031")
    assert plan.buckets["1_30"] == Decimal("180.00")
    assert plan.buckets["non_echu"] == plan.total - Decimal("180.00")
    assert plan.accessories == Decimal("0.00")
    b2b = next(b for b in report.by_case if b.label == "SC-2026-0907")
    decompte = decompte_for_case(
        load_case(folder / "saisie-conservatoire-b2b" / "dossier.yaml", au=AU), AU
    )
    principal = sum((c.outstanding_principal for c in decompte.claims), Decimal(0))
    assert b2b.principal == principal
    assert b2b.accessories == decompte.total_due - principal > 0
    steps = dict((s, n) for s, n, _ in report.steps)
    assert steps["Suivi du plan d'apurement"] == 1
    # Thirteen creditors: no DSO for the whole portfolio, one per creditor.
    assert report.dso is None and "créanciers" in report.dso_reason


def test_dso_with_sales_and_cases_outside_the_period(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    result = CliRunner().invoke(
        main, ["rapport", str(folder), "--au", "2026-12-02", "--ca", "23 250,00", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["dso"]["jours"] == "30"  # 7 750 / 23 250 x 90
    # On 15 July only B's claims B2 (April) and B1 (July) existed: A and C are outside the
    # period, not rejected.
    report = report_of(folder, dt.date(2026, 7, 15))
    assert report.excluded == []
    assert {e.reference for e in report.not_yet} == {"A-2026-1", "C-2026-3"}
    result = CliRunner().invoke(main, ["rapport", str(folder), "--au", "2026-07-15"])
    assert "Attention" not in result.output
    assert "Dossiers sans créance émise à cette date" in result.output


def test_a_single_case_file_is_not_a_portfolio(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    result = CliRunner().invoke(
        main, ["rapport", str(folder / "A" / "dossier.yaml"), "--au", "2026-12-02"]
    )
    assert result.exit_code == 2
    assert "est un fichier de dossier, pas un portefeuille" in result.output
    result = CliRunner().invoke(main, ["rapport", str(folder), "--ca", "abc"])
    assert result.exit_code == 2
    assert "« abc » n'est pas un montant lisible (exemple : « 125 000,00 »)" in result.output

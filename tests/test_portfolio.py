"""Reading portfolios: French numbers and dates, separators, grouping, row-level problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from actes.errors import DataIssue, InputError
from actes.portfolio.sources import (
    load_creditor_file,
    open_portfolio,
    parse_amount,
    parse_date,
    parse_rate,
)

HEADER = (
    "debiteur_reference;debiteur_qualite;debiteur_denomination;debiteur_forme_juridique;"
    "debiteur_adresse_ligne1;debiteur_code_postal;debiteur_ville;creance_reference;"
    "creance_date_emission;creance_date_echeance;creance_montant;paiement_date;paiement_montant"
)
ROW = (
    "{ref};professionnel;Client {ref};SARL;1 rue A;69002;Lyon;{claim};"
    "02/06/2026;02/07/2026;{amount};;"
)


def write(path: Path, text: str, *, bom: bool = False, encoding: str = "utf-8") -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1234.5", "1234.50"),
        ("1\u202f234,56", "1234.56"),
        ("1\u00a0234\u00a0567,8", "1234567.80"),
        ("12 €", "12.00"),
        ("-40,00", "-40.00"),
    ],
)
def test_amounts_as_french_spreadsheets_write_them(text: str, expected: str) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["1.234,56", "1,234.56", "12,345", "abc", "12 34,5", "1,2,3"])
def test_unreadable_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"lisible|décimales"):
        parse_amount(text)


def test_rates_and_dates() -> None:
    assert parse_rate("10,5") == "10.5"
    assert parse_rate("3 %") == "3"
    assert parse_date("02/06/2026") == "2026-06-02"
    assert parse_date("2026-06-02") == "2026-06-02"
    for bad in ("31/02/2026", "2026-6-2", "demain"):
        with pytest.raises(ValueError, match="date"):
            parse_date(bad)


def test_rows_of_a_debtor_form_one_case_with_bom_and_semicolons(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ROW.format(ref="D1", claim="FA-1", amount="4 320,00").replace(";;", ";20/08/2026;1000"),
        ROW.format(ref="D2", claim="FA-9", amount="10"),
        ROW.format(ref="D1", claim="FA-2", amount="2700,5"),
        ";;;;",
    ]
    portfolio = open_portfolio(write(tmp_path / "p.csv", "\n".join(rows) + "\n", bom=True))
    assert (portfolio.rows, portfolio.blank_rows, portfolio.cases) == (3, 1, 2)
    cases = {case.reference: case for case in portfolio}
    first = cases["D1"]
    assert first.rows == (2, 4)
    assert first.data is not None
    assert [c["montant"] for c in first.data["creances"]] == ["4320.00", "2700.50"]
    assert first.data["creances"][0]["date_emission"] == "2026-06-02"
    assert first.data["paiements"] == [
        {"date": "2026-08-20", "montant": "1000.00", "creance": "FA-1"}
    ]
    assert first.data["debiteur"]["type"] == "personne_morale"
    assert first.data["debiteur"]["adresse"]["pays"] == "FR"
    issue = DataIssue("$.creances[1].montant", "trop grand")
    (reason,) = first.explain([issue])
    assert (reason.row, reason.column) == (4, "creance_montant")
    (reason,) = first.explain([DataIssue("$.debiteur.siren", "SIREN invalide")])
    assert reason.column == "debiteur_siren"


def test_comma_separated_with_quoted_decimal_commas(tmp_path: Path) -> None:
    header = HEADER.replace(";", ",")
    row = 'D1,professionnel,Client,SARL,1 rue A,69002,Lyon,FA-1,02/06/2026,02/07/2026,"1 234,56",,'
    short = "D2,professionnel,Client,SARL,1 rue A,69002,Lyon,FA-2,02/06/2026,02/07/2026,1 234,56,,"
    portfolio = open_portfolio(write(tmp_path / "p.csv", f"{header}\n{row}\n{short}\n"))
    assert portfolio.delimiter == ","
    good, bad = list(portfolio)
    assert good.data is not None
    assert good.data["creances"][0]["montant"] == "1234.56"
    assert bad.data is None
    assert bad.reasons[0].row == 3
    assert "champs" in bad.reasons[0].message


def test_every_row_level_problem_names_row_and_column(tmp_path: Path) -> None:
    header = HEADER + ";commentaire_interne"
    rows = [
        header,
        ROW.format(ref="OK", claim="FA-1", amount="10") + ";",
        ROW.format(ref="DEC", claim="FA-2", amount="1.234,56") + ";",
        ROW.format(ref="UNK", claim="FA-3", amount="10") + ";à relancer",
        ROW.format(ref="MIX", claim="FA-4", amount="10") + ";",
        ROW.format(ref="MIX", claim="FA-5", amount="10").replace("Lyon", "Paris") + ";",
        ROW.format(ref="", claim="FA-6", amount="10") + ";",
    ]
    data = ("\n".join(rows) + "\n").encode("utf-8")
    data += (
        ROW.format(ref="ENC", claim="FA-7", amount="10")
        .replace("Client", "Soci\xe9t\xe9")
        .encode("latin-1")
    )
    path = tmp_path / "p.csv"
    path.write_bytes(data + b";\n")
    cases = {case.reference or f"row{case.rows[0]}": case for case in open_portfolio(path)}
    assert cases["OK"].data is not None
    where = {
        name: [(r.row, r.column, r.rule) for r in case.reasons]
        for name, case in cases.items()
        if case.data is None
    }
    assert where["DEC"] == [(3, "creance_montant", "csv.valeur")]
    assert where["UNK"] == [(4, "commentaire_interne", "csv.colonne_inconnue")]
    assert where["MIX"] == [(6, "debiteur_ville", "csv.incoherence")]
    assert where["row7"] == [(7, "debiteur_reference", "csv.valeur_vide")]
    assert where["ENC"] == [(8, "debiteur_denomination", "csv.encodage")]


def test_missing_required_column_rejects_every_row(tmp_path: Path) -> None:
    header = HEADER.replace(";creance_montant", "")
    row = ROW.format(ref="D1", claim="FA-1", amount="").replace(";;;", ";;")
    (case,) = open_portfolio(write(tmp_path / "p.csv", f"{header}\n{row}\n"))
    assert case.data is None
    assert [(r.row, r.column) for r in case.reasons] == [(1, "creance_montant")]


def test_creditor_file_and_columns(tmp_path: Path) -> None:
    creditor = tmp_path / "creancier.yaml"
    creditor.write_text(
        "creancier: {type: personne_morale, denomination: A, qualite: professionnel}\n"
        "parametres: {lieu: Lyon}\n",
        encoding="utf-8",
    )
    header = HEADER + ";creancier_denomination"
    row = ROW.format(ref="D1", claim="FA-1", amount="10") + ";Autre nom"
    (case,) = open_portfolio(
        write(tmp_path / "p.csv", f"{header}\n{row}\n"), load_creditor_file(creditor)
    )
    assert case.data is not None
    assert case.data["creancier"]["denomination"] == "Autre nom"
    assert case.data["creancier"]["qualite"] == "professionnel"
    assert case.data["parametres"] == {"lieu": "Lyon"}
    creditor.write_text("debiteur: {}\n", encoding="utf-8")
    with pytest.raises(InputError, match="debiteur"):
        load_creditor_file(creditor)


def test_folder_of_case_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("reference: A\nformat_version: 1\n", encoding="utf-8")
    (tmp_path / "b.json").write_text("{broken", encoding="utf-8")
    portfolio = open_portfolio(tmp_path)
    assert portfolio.rows == portfolio.cases == 2
    first, second = list(portfolio)
    assert first.data == {"format_version": 1, "reference": "A"}
    assert second.data is None
    assert second.reasons


def test_empty_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="vide"):
        open_portfolio(write(tmp_path / "p.csv", "\n"))

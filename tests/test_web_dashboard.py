"""The « Tableau de bord » of ``actes serve`` through the Flask test client: the figures of
``actes rapport`` for the served folder, the charts, the downloads read back, and the cases
that cannot be counted (a broken file, an empty folder, a date before every case)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask.testing import FlaskClient

from actes.cases.case import case_from_data, load_case
from actes.law.accounts import decompte_for_case
from actes.portfolio.report import (
    Report,
    as_known_at,
    build_report,
    compute_facts,
    facts_from_index,
    portfolio_items,
)
from actes.portfolio.report_views import fr_amount, fr_cell, report_views
from actes.web import create_app, dashboard

from .conftest import AU, EXAMPLES, plain_spaces, write_case
from .test_report import CREDITOR

XSS = "<script>alert(1)</script>"


def _case(reference: str, debtor: str, claims: list[tuple[str, str, str]]) -> dict[str, Any]:
    """A case whose amount due is its principal (consumer debtor, no rate: no interest)."""
    return {
        "format_version": 1,
        "reference": reference,
        "creancier": CREDITOR,
        "debiteur": {
            "type": "personne_physique",
            "qualite": "consommateur",
            "civilite": "M.",
            "nom": debtor,
            "prenoms": "Paul",
            "adresse": {
                "ligne1": "3 rue Haute",
                "code_postal": "57000",
                "ville": "Metz",
                "pays": "FR",
            },
        },
        "creances": [
            {
                "reference": f"{reference}-{n}",
                "nature": "facture",
                "date_emission": emitted,
                "date_echeance": due,
                "montant": amount,
            }
            for n, (amount, emitted, due) in enumerate(claims, start=1)
        ],
        "paiements": [],
    }


def _client(folder: Path, **config: Any) -> FlaskClient:
    app = create_app(folder, au=AU, secret_key="test-tableau")
    app.config.update(config)
    return app.test_client()


def _text(page: bytes) -> str:
    """The page's text, tags removed, entities decoded, spaces plain."""
    text = re.sub(r"<[^>]+>", " ", page.decode("utf-8"))
    return " ".join(plain_spaces(html.unescape(text)).split())


def _figure(page: bytes, label: str) -> str:
    """The value of the synthesis' figure whose label starts with ``label``."""
    # Labels are compared unescaped (« Taux d'encaissement » has an apostrophe).
    found = re.search(
        rf"<dt>{re.escape(label)}[^<]*</dt><dd[^>]*>([^<]*)</dd>",
        html.unescape(page.decode("utf-8")),
    )
    assert found, label
    return plain_spaces(found.group(1))


def _direct(folder: Path, au: dt.date) -> Report:
    """The report of ``folder`` at a past date, computed without the web page nor the index
    (``actes rapport --au``)."""
    items, unreadable = portfolio_items(folder)
    facts, more = compute_facts(items, au, today=AU)
    return build_report(facts, au, excluded=[*unreadable, *more])


def _indexed(folder: Path) -> Report:
    """Today's report of ``folder`` as ``actes rapport`` makes it, from the folder's index."""
    facts, excluded = facts_from_index(folder, AU)
    return build_report(facts, AU, excluded=excluded)


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    folder = tmp_path / "affaires"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("imports", ".actes"))
    return folder


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """Two debtors, one of them named like a script; amounts that can be added by hand."""
    folder = tmp_path / "petit"
    folder.mkdir()
    for key, case in (
        ("A", _case("A-1", XSS, [("1000.00", "2026-06-01", "2026-07-01")])),
        ("B", _case("B-1", "Durand", [("250.00", "2026-10-01", "2026-11-20")])),
    ):
        (folder / key).mkdir()
        write_case(folder / key / "dossier.yaml", case)
    return folder


# ---------------------------------------------------------------------------------------------
# The page.


def test_dashboard_on_the_examples(examples: Path) -> None:
    client = _client(examples)
    response = client.get("/tableau-de-bord")
    assert response.status_code == 200
    expected = _indexed(examples)
    page = response.data
    assert plain_spaces(fr_amount(expected.total_due)) == _figure(page, "Total dû")
    # The same total as the cases' own décomptes (actes decompte), added up here; a claim
    # issued after the date (an example invoiced on 27/11/2026) is not in the portfolio yet.
    own = Decimal("0.00")
    for path in sorted(examples.glob("*/dossier.yaml")):
        known = as_known_at(load_case(path, au=AU).data, AU)
        assert known is not None
        own += decompte_for_case(case_from_data(known, path=path), AU).total_due
    assert expected.total_due == own
    # Every figure of the synthesis as the other outputs show it (the same view).
    summary = report_views(expected)[0]
    assert summary.name == "synthese"
    for number, (label, value) in enumerate(summary.rows):
        if not str(label).startswith(("Date du rapport", "Dossiers comptés", "Dossiers écartés")):
            shown = plain_spaces(fr_cell(value, summary.kind(number, 1)))
            assert _figure(page, str(label)) == shown, label
    text = _text(page)
    assert "Synthèse au 24/11/2026" in text
    assert "Balance âgée" in text and "Évolution de l'encours" in text
    assert f"{len(expected.facts)} dossiers comptés" in text
    # Each bucket of the aged balance, each month of the encours, in French.
    for key, label in dashboard.BUCKETS:
        assert f"{label} {plain_spaces(fr_amount(expected.balance.buckets[key]))}" in text
    for _day, amount in expected.encours:
        assert plain_spaces(fr_amount(amount)) in text
    # Charts by URL, described in words; tables with header scopes, amounts right-aligned.
    source = page.decode()
    for name in ("balance_agee", "encours"):
        assert f'src="/tableau-de-bord/graphique/{name}.svg"' in source
    assert re.search(r'<img [^>]*id="graphique-balance_agee" alt="Diagramme en barres', source)
    assert '<th scope="col" class="nombre">Montant dû</th>' in source
    assert '<td class="nombre">' in source
    assert 'href="/tableau-de-bord"' in client.get("/").data.decode()  # in the navigation
    # Deadlines link to their case; next steps to the list filtered by them.
    assert 'href="/dossier/injonction-2026">IP-2026-0203</a>' in source
    assert re.search(r'href="/\?etape=[a-z_]+">Mise en demeure entre professionnels</a>', source)


def test_the_charts_are_svg_without_case_text(small: Path) -> None:
    client = _client(small)
    assert client.get("/tableau-de-bord").status_code == 200
    for name in ("balance_agee", "encours"):
        response = client.get(f"/tableau-de-bord/graphique/{name}.svg")
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        svg = response.data.decode()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        assert "<script" not in svg.lower() and "alert(1)" not in svg
        # Opened on its own, the SVG keeps its inline styles; it may run and load nothing.
        policy = response.headers["Content-Security-Policy"]
        assert policy == "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    assert "unsafe" not in client.get("/tableau-de-bord").headers["Content-Security-Policy"]
    assert client.get("/tableau-de-bord/graphique/autre.svg").status_code == 404


def test_a_hostile_debtor_name_is_escaped(small: Path) -> None:
    page = _client(small).get("/tableau-de-bord").data.decode()
    # Names of persons are shown in capitals (« M. Paul <SCRIPT>… »), as in the letters.
    assert "<script>alert" not in page.lower()
    assert html.escape(XSS, quote=False) in page.lower()
    assert "1 250,00" in plain_spaces(page)


def test_small_folder_figures_by_hand(small: Path) -> None:
    """1 000 € due on 01/07/2026 (146 days late on 24/11/2026) and 250 € due on 20/11/2026
    (4 days late): 1 250 € in all, in the 91–180 and 1–30 day buckets."""
    page = _client(small).get("/tableau-de-bord")
    text = _text(page.data)
    assert "1 à 30 jours 250,00 € 20,0 %" in text
    assert "91 à 180 jours 1 000,00 € 80,0 %" in text
    assert _figure(page.data, "Total dû") == "1 250,00 €"


def test_detail_tables_are_cut_with_a_link_to_see_everything(
    examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard, "DETAIL_ROWS", 5)
    client = _client(examples)
    cut = client.get("/tableau-de-bord").data.decode()
    debtors = re.search(r'id="table-debiteurs">(.*?)</table>', cut, re.S)
    assert debtors and debtors.group(1).count("<tr>") == 1 + 5  # header and 5 lines
    assert 'id="tout-debiteurs"' in cut
    full = client.get("/tableau-de-bord?tout=debiteurs").data.decode()
    debtors = re.search(r'id="table-debiteurs">(.*?)</table>', full, re.S)
    assert debtors and debtors.group(1).count("<tr>") == 1 + len(_indexed(examples).by_debtor)
    assert "Réduire aux 5 premières lignes" in full
    # The deadlines likewise (4 in the 8th to 30th days on 24/11/2026).
    monkeypatch.setattr(dashboard, "DEADLINE_ROWS", 2)
    cut = _text(client.get("/tableau-de-bord").data)
    assert "2 premiers délais sur 4 : tout voir" in cut
    full = client.get("/tableau-de-bord?tout=delais").data.decode()
    later = re.search(r'id="delais-30">.*?</table>', full, re.S)
    assert later and later.group(0).count('<th scope="row"') == 4


def test_a_past_date_is_computed_from_the_cases(examples: Path) -> None:
    """At 31/10/2026 the total due is the encours today's report shows for that month end
    (both recomputed from the cases' own dates); the date is typed the French way."""
    client = _client(examples)
    today = client.get("/tableau-de-bord").data
    expected = _direct(examples, dt.date(2026, 10, 31))
    month_end = dict(_indexed(examples).encours)[dt.date(2026, 10, 31)]
    assert expected.total_due == month_end
    past = client.get("/tableau-de-bord?au=31/10/2026")
    assert past.status_code == 200
    assert _figure(past.data, "Total dû") == plain_spaces(fr_amount(month_end))
    assert "Synthèse au 31/10/2026" in _text(past.data)
    assert _figure(today, "Total dû") != _figure(past.data, "Total dû")
    # Charts and downloads keep the date.
    source = past.data.decode()
    assert 'src="/tableau-de-bord/graphique/encours.svg?au=2026-10-31"' in source
    assert 'href="/tableau-de-bord/classeur.xlsx?au=2026-10-31"' in source
    # No link to the list filtered by a step: the list shows today's steps.
    assert "/?etape=" not in source


def test_an_edited_case_changes_the_figures(small: Path) -> None:
    client = _client(small)
    before = client.get("/tableau-de-bord").data
    assert _figure(before, "Total dû") == "1 250,00 €"
    path = small / "B" / "dossier.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["paiements"] = [{"date": "2026-11-22", "montant": "100.00"}]
    write_case(path, data)
    after = client.get("/tableau-de-bord").data
    assert _figure(after, "Total dû") == "1 150,00 €"
    assert _figure(after, "Encaissé") == "100,00 €"


# ---------------------------------------------------------------------------------------------
# Downloads.


def test_workbook_download(examples: Path) -> None:
    from openpyxl import load_workbook

    response = _client(examples).get("/tableau-de-bord/classeur.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="rapport-portefeuille-2026-11-24.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[:2] == ["Synthèse", "Balance âgée"]
    assert {"Par débiteur", "Encours", "Délais 30 jours"} <= set(book.sheetnames)
    expected = _indexed(examples)
    sheet = book["Balance âgée"]
    totals = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Total"]
    assert totals and totals[0][1] == pytest.approx(float(expected.total_due))


def test_csv_download_has_one_row_per_case(examples: Path) -> None:
    response = _client(examples).get("/tableau-de-bord/balance-par-dossier.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    expected = _indexed(examples)
    assert rows[0][0] == "libelle" and rows[0][-1] == "total"
    assert len(rows) == 1 + len(expected.by_case) + 1  # header, cases, total
    assert rows[-1][0] == "Total" and rows[-1][-1] == str(expected.total_due)
    assert {row[0] for row in rows[1:-1]} == {line.label for line in expected.by_case}


def test_pdf_download(small: Path) -> None:
    from pypdf import PdfReader

    from actes.documents.pdf import find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice est nécessaire au rapport PDF")
    response = _client(small).get("/tableau-de-bord/rapport.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Balance âgée" in text
    assert "1 250,00" in plain_spaces(text)


def test_pdf_without_libreoffice_says_so(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTES_SOFFICE", str(small / "absent-soffice"))
    response = _client(small).get("/tableau-de-bord/rapport.pdf")
    assert response.status_code == 503
    text = _text(response.data)
    assert "LibreOffice est introuvable" in text
    assert "Le classeur XLSX et le CSV du tableau de bord restent disponibles" in text


# ---------------------------------------------------------------------------------------------
# What cannot be counted.


def test_a_broken_case_file_is_listed_not_fatal(small: Path) -> None:
    (small / "casse").mkdir()
    (small / "casse" / "dossier.yaml").write_text("reference: [non fermé\n", encoding="utf-8")
    invalid = _case("C-1", "Martin", [("80.00", "2026-09-01", "2026-09-30")])
    invalid["creances"][0]["montant"] = "-80.00"
    (small / "negatif").mkdir()
    write_case(small / "negatif" / "dossier.yaml", invalid)
    client = _client(small)
    response = client.get("/tableau-de-bord")
    assert response.status_code == 200
    page = response.data.decode()
    assert _figure(response.data, "Total dû") == "1 250,00 €"
    excluded = re.search(r'<section id="ecartes">(.*?)</section>', page, re.S)
    assert excluded, page
    text = _text(excluded.group(1).encode())
    assert "Dossiers écartés (2)" in text
    assert "casse/dossier.yaml" in text and "negatif/dossier.yaml" in text
    assert 'href="/dossier/casse"' in excluded.group(1)
    assert "C-1" in text
    # The downloads count the same cases.
    rows = client.get("/tableau-de-bord/balance-par-dossier.csv").data.decode("utf-8-sig")
    assert rows.count("\n") == 1 + 2 + 1


def test_an_empty_folder_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "vide"
    folder.mkdir()
    client = _client(folder)
    response = client.get("/tableau-de-bord")
    assert response.status_code == 200
    text = _text(response.data)
    assert "Aucun dossier dans" in text and "rien à présenter" in text
    assert "Créer un dossier" in text
    for url in ("classeur.xlsx", "balance-par-dossier.csv", "graphique/encours.svg"):
        refused = client.get(f"/tableau-de-bord/{url}")
        assert refused.status_code == 404
        assert "Aucun dossier dans" in _text(refused.data)


def test_a_date_before_every_case(small: Path) -> None:
    response = _client(small).get("/tableau-de-bord?au=01/01/2020")
    assert response.status_code == 200
    text = _text(response.data)
    assert "Aucune créance n'existait au 01/01/2020" in text or (
        "aucune créance n'existait au 01/01/2020" in text
    )
    assert "01/06/2026" in text  # the first claim's date: where a report can start
    assert "--au" not in text
    assert 'id="synthese"' not in response.data.decode()


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("31/02/2026", "« 31/02/2026 » n'est pas une date"),
        ("1/1/26", "année sur quatre chiffres"),
        ("demain", "« demain » n'est pas une date"),
    ],
)
def test_a_date_that_cannot_be_read(small: Path, typed: str, said: str) -> None:
    client = _client(small)
    response = client.get("/tableau-de-bord", query_string={"au": typed})
    assert response.status_code == 400
    assert said in _text(response.data)
    assert f'value="{html.escape(typed)}"' in response.data.decode()  # kept in the form
    download = client.get("/tableau-de-bord/classeur.xlsx", query_string={"au": typed})
    assert download.status_code == 400


def test_rows_still_computing_are_announced(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under a time budget (``actes serve``), rows the index has not computed yet are named
    and left out of the totals until the background refresh has computed them."""
    from actes.web.listing import CaseListing

    later: list[dt.date] = []
    monkeypatch.setattr(CaseListing, "_finish_in_background", lambda _self, au: later.append(au))
    client = _client(small, ACTES_INDEX_BUDGET=0.0)
    first = client.get("/tableau-de-bord")
    assert first.status_code == 200
    assert "Calcul en cours : 2 dossier(s) restent à calculer au 24/11/2026" in _text(first.data)
    assert later == [AU]
    client.application.config["ACTES_INDEX_BUDGET"] = None
    assert _figure(client.get("/tableau-de-bord").data, "Total dû") == "1 250,00 €"
    # One case edited: its row waits for the background refresh, the other one is counted.
    path = small / "B" / "dossier.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["paiements"] = [{"date": "2026-11-22", "montant": "100.00"}]
    write_case(path, data)
    client.application.config["ACTES_INDEX_BUDGET"] = 0.0
    partial = client.get("/tableau-de-bord").data
    assert "Mise à jour en cours : 1 dossier reste à calculer" in _text(partial)
    assert _figure(partial, "Total dû") == "1 000,00 €"
    assert len(later) == 2
    # The downloads count every case: the row left is computed for them.
    rows = client.get("/tableau-de-bord/balance-par-dossier.csv").data.decode("utf-8-sig")
    assert rows.splitlines()[-1].endswith(";1150.00")

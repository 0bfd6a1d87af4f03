"""The SQLite index of a cases folder (actes.portfolio.index) and the lists read from it: the
web page's list (search, filters, sort, pages), ``actes liste`` and ``actes plan status DIR``."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from actes.amicable.plan import worklist
from actes.cli import main
from actes.portfolio.index import (
    INDEX_FILE,
    CaseIndex,
    compute_row,
    fold,
    indexed_worklist,
    scan_cases,
)
from actes.portfolio.index import context_fingerprint as real_fingerprint
from actes.web import create_app
from actes.web.app import discover_cases, load_view

from .conftest import AU, EXAMPLES, load_yaml, write_case

B2B = "b2b-factures-impayees"


_copied = {"count": 0}


def examples_count() -> int:
    """How many cases the ``cases`` fixture copied (the examples may change meanwhile)."""
    return _copied["count"]


def rows_of(html: str) -> list[str]:
    return re.findall(r'<tr(?: class="invalide")? data-dossier="([^"]+)">', html)


def row_html(html: str, key: str) -> str:
    match = re.search(rf'<tr[^>]* data-dossier="{re.escape(key)}">(.*?)</tr>', html, re.S)
    assert match, key
    return match.group(1)


@pytest.fixture(autouse=True)
def stable_context(monkeypatch: pytest.MonkeyPatch) -> None:
    # The checkout's code and data may change while a test runs (another edit): the rows
    # would then all be computed again, rightly, and the counts below would not hold.
    monkeypatch.setattr("actes.portfolio.index.context_fingerprint", lambda root: "fixe")


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "affaires"
    shutil.copytree(EXAMPLES, folder)
    _copied["count"] = len(discover_cases(folder.resolve()))
    return folder


@pytest.fixture
def client(cases: Path) -> Iterator[FlaskClient]:
    with create_app(cases, au=AU, secret_key="t").test_client() as test_client:
        yield test_client


def add_copies(folder: Path, count: int) -> list[str]:
    """``count`` copies of the B2B example with their own reference, debtor and amount."""
    keys = []
    for number in range(count):
        key = f"copie-{number:03d}"
        shutil.copytree(EXAMPLES / B2B, folder / key)
        data = load_yaml(folder / key / "dossier.yaml")
        data["reference"] = f"COP-{number:03d}"
        data["debiteur"]["denomination"] = f"Société Lœwy Été {number:03d}"
        data["creances"][0]["montant"] = f"{1000 + 37 * number}.00"
        write_case(folder / key / "dossier.yaml", data)
        keys.append(key)
    return keys


# ---------------------------------------------------------------------------------------------
# The index agrees with a direct computation


def test_scan_finds_the_files_the_page_lists(cases: Path, tmp_path: Path) -> None:
    outside = tmp_path / "dehors"
    shutil.copytree(EXAMPLES / B2B, outside)
    (cases / "lien-dehors").symlink_to(outside, target_is_directory=True)
    (cases / "lien-dedans").symlink_to(cases / B2B, target_is_directory=True)
    (cases / "dehors.yaml").symlink_to(outside / "dossier.yaml")
    shutil.copy(EXAMPLES / B2B / "dossier.yaml", cases / "isole.yml")
    (cases / ".cache").mkdir()
    shutil.copy(EXAMPLES / B2B / "dossier.yaml", cases / ".cache" / "dossier.yaml")
    (cases / "vide").mkdir()
    (cases / "notes.txt").write_text("rien", encoding="utf-8")
    root = cases.resolve()
    found = scan_cases(root)
    expected = {c.key: c.relative for c in discover_cases(root)}
    assert {k: s.relative for k, s in found.items()} == expected
    assert "lien-dedans" in expected and "lien-dehors" not in expected


def test_rows_agree_with_the_case_pages_computation(cases: Path) -> None:
    index = CaseIndex(cases)
    report = index.refresh(AU)
    assert report.added == report.computed == examples_count() and report.pending == 0
    rows = {row.key: row for row in index.rows()}
    for case_file in discover_cases(cases.resolve()):
        view = load_view(case_file, AU, full=False)
        row = rows[case_file.key]
        assert row.computed_on == AU
        assert row.reference == view.reference
        if view.error is not None:  # an example being written by someone else
            assert row.status == "invalide" and row.message == view.error_line
            continue
        assert row.status == "valide"
        assert row.debtor == view.debtor
        assert view.case is not None
        assert row.creditor == view.case.creancier.name
        assert row.debtor_kind == view.case.debiteur.type
        assert row.total_due == (view.decompte.total_due if view.decompte else None)
        deadline = view.next_deadline
        assert row.deadline_date == (deadline.date_limite if deadline else None)
        assert row.deadline_label == (deadline.label if deadline else None)
        recommended = view.assessment.recommended if view.assessment else None
        assert row.step_id == (recommended.procedure_id if recommended else None)
        assert row.step_title == (recommended.title if recommended else None)
    assert (cases / INDEX_FILE).is_file()


def test_unchanged_folder_computes_nothing_and_a_touched_file_is_not_recomputed(
    cases: Path,
) -> None:
    index = CaseIndex(cases)
    index.refresh(AU)
    again = index.refresh(AU)
    assert (again.added, again.changed, again.removed, again.computed) == (0, 0, 0, 0)
    os.utime(cases / B2B / "dossier.yaml", ns=(1, 1))  # same content, new time
    touched = index.refresh(AU)
    assert (touched.changed, touched.computed) == (0, 0)
    other_day = index.refresh(AU + dt.timedelta(days=1))
    assert other_day.computed == examples_count()
    assert {r.computed_on for r in index.rows()} == {AU + dt.timedelta(days=1)}


def test_search_folds_accents_and_case() -> None:
    assert fold("Société LŒWY Été") == "societe loewy ete"


# ---------------------------------------------------------------------------------------------
# Files edited by hand between two requests


def test_hand_edits_between_requests_are_shown(client: FlaskClient, cases: Path) -> None:
    first = client.get("/").get_data(as_text=True)
    assert "Atelier Bellecour" in row_html(first, B2B)
    path = cases / B2B / "dossier.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Atelier Bellecour", "Menuiserie Fourvière"),
        encoding="utf-8",
    )
    shutil.rmtree(cases / "surendettement")
    shutil.copytree(EXAMPLES / B2B, cases / "nouveau")
    data = load_yaml(cases / "nouveau" / "dossier.yaml")
    data["reference"] = "NOUV-1"
    write_case(cases / "nouveau" / "dossier.yaml", data)
    html = client.get("/").get_data(as_text=True)
    assert "Menuiserie Fourvière" in row_html(html, B2B)
    assert "Atelier Bellecour" not in row_html(html, B2B)
    assert "surendettement" not in rows_of(html)
    assert "NOUV-1" in row_html(html, "nouveau")
    assert f"({examples_count()} dossiers)" in html


def test_a_case_becoming_invalid_then_fixed(client: FlaskClient, cases: Path) -> None:
    client.get("/")
    path = cases / B2B / "dossier.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace('siren: "512345679"', 'siren: "1"'), encoding="utf-8")
    html = client.get("/").get_data(as_text=True)
    assert 'class="invalide" data-dossier="b2b-factures-impayees"' in html
    assert "Dossier invalide" in row_html(html, B2B)
    path.write_text(good, encoding="utf-8")
    assert "Atelier Bellecour" in row_html(client.get("/").get_data(as_text=True), B2B)


def test_a_piece_removed_by_hand_shows_the_next_day(cases: Path) -> None:
    app = create_app(cases, au=AU, secret_key="t")
    client = app.test_client()
    client.get("/")
    (cases / B2B / "pieces" / "facture-FA-2026-0117.pdf").unlink()
    assert "fichier introuvable" in client.get(f"/dossier/{B2B}").get_data(as_text=True)
    app.config["ACTES_AU"] = AU + dt.timedelta(days=1)
    assert "fichier introuvable" in row_html(client.get("/").get_data(as_text=True), B2B)


def test_corrupt_index_is_rebuilt(client: FlaskClient, cases: Path) -> None:
    client.get("/")
    index_file = cases / INDEX_FILE
    for suffix in ("-wal", "-shm"):
        Path(f"{index_file}{suffix}").unlink(missing_ok=True)
    index_file.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    html = client.get("/").get_data(as_text=True)
    assert len(rows_of(html)) == examples_count()
    with sqlite3.connect(index_file) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = connection.execute("SELECT count(*) FROM cases").fetchone()[0]
        assert count == examples_count()


def test_new_code_or_data_recomputes_every_row(
    cases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = CaseIndex(cases)
    index.refresh(AU)
    assert index.refresh(AU).computed == 0
    monkeypatch.setattr("actes.portfolio.index.context_fingerprint", lambda root: "autre")
    report = index.refresh(AU)
    assert report.rebuilt and report.computed == examples_count()


def test_context_follows_the_workspace_overlays(tmp_path: Path) -> None:
    workspace = tmp_path / "cabinet"
    (workspace / "affaires").mkdir(parents=True)
    (workspace / "actes.toml").write_text("", encoding="utf-8")
    before = real_fingerprint(workspace / "affaires")
    assert real_fingerprint(workspace / "affaires") == before
    (workspace / "parameters" / "taux").mkdir(parents=True)
    (workspace / "parameters" / "taux" / "interet_legal.yaml").write_text("{}", "utf-8")
    assert real_fingerprint(workspace / "affaires") != before


def test_older_schema_is_rebuilt(cases: Path) -> None:
    CaseIndex(cases).refresh(AU)
    with sqlite3.connect(cases / INDEX_FILE) as connection:
        connection.execute("UPDATE meta SET value = '0' WHERE name = 'schema'")
    report = CaseIndex(cases).refresh(AU)
    assert report.added == report.computed == examples_count()


def test_folder_where_the_index_cannot_be_written_is_indexed_in_memory(cases: Path) -> None:
    (cases / ".actes").write_text("un fichier, pas un dossier", encoding="utf-8")
    index = CaseIndex(cases)
    assert index.in_memory
    assert index.refresh(AU).computed == examples_count()
    assert len(index.rows()) == examples_count()


# ---------------------------------------------------------------------------------------------
# One bad case never takes the list down


def test_invalid_and_unreadable_cases_are_rows_with_their_message(
    client: FlaskClient, cases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (cases / "casse").mkdir()
    (cases / "casse" / "dossier.yaml").write_text("reference: [ouvert\n", encoding="utf-8")
    from actes.law import assistant

    real = assistant.next_steps

    def failing(case: Any, au: dt.date, registry: Any = None) -> Any:
        if case.reference == "TJ-2026-0058":
            raise RuntimeError("panne")
        return real(case, au, registry)

    monkeypatch.setattr(assistant, "next_steps", failing)
    html = client.get("/").get_data(as_text=True)
    assert len(rows_of(html)) == examples_count() + 1
    assert "n&#39;est pas un YAML valide" in row_html(html, "casse")
    assert "Dossier illisible (erreur interne RuntimeError)" in row_html(html, "tj-creance-civile")
    assert "Atelier Bellecour" in row_html(html, B2B)
    invalid = client.get("/?statut=invalide").get_data(as_text=True)
    assert rows_of(invalid) == ["casse"]


# ---------------------------------------------------------------------------------------------
# Search, filters, sort and pages of the web list


@pytest.fixture
def many(cases: Path) -> Path:
    add_copies(cases, 52)
    return cases


def amounts(html: str) -> list[str]:
    return re.findall(r'<td class="nombre">([^<]+)</td>', html)


def euros(text: str) -> float:
    return float(text.replace("\u202f", "").replace("\xa0€", "").replace(",", "."))


def test_web_list_search_filters_sort_and_pages(many: Path) -> None:
    client = create_app(many, au=AU, secret_key="t").test_client()
    total = examples_count() + 52
    first = client.get("/").get_data(as_text=True)
    assert f"({total} dossiers)" in first
    assert len(rows_of(first)) == 50
    assert 'href="/?page=2"' in first and "Page 1 sur 2" in first
    second = client.get("/?page=2").get_data(as_text=True)
    assert len(rows_of(second)) == total - 50
    assert not set(rows_of(first)) & set(rows_of(second))
    # Accents and case ignored; every word must match.
    found = client.get("/?q=SOCIETE+loewy+ete+007").get_data(as_text=True)
    assert rows_of(found) == ["copie-007"]
    assert f"1 dossier sur {total} correspond à la recherche" in found
    by_reference = client.get("/?q=rec-2026").get_data(as_text=True)
    assert rows_of(by_reference) == [B2B]
    by_creditor = client.get("/?q=dupont+loewy&statut=valide").get_data(as_text=True)
    assert f"52 dossiers sur {total}" in by_creditor
    # Sorted by amount, descending, and a range of amounts.
    ranked = client.get("/?tri=-montant").get_data(as_text=True)
    shown = [euros(a) for a in amounts(ranked) if "€" in a]
    assert shown == sorted(shown, reverse=True) and len(shown) == 50
    assert 'href="/?tri=montant"' in ranked  # the column link reverses the order
    ranged = client.get("/?min=3000&max=4000,50&tri=montant").get_data(as_text=True)
    values = [euros(a) for a in amounts(ranged)]
    assert values and all(3000 <= v <= 4000.5 for v in values)
    assert values == sorted(values)
    # Next step and nearest deadline.
    step = client.get("/?etape=declaration_de_creance").get_data(as_text=True)
    assert rows_of(step) == ["liquidation-judiciaire"]
    soon = client.get("/?avant=2026-12-31&tri=delai").get_data(as_text=True)
    keys = rows_of(soon)
    assert keys and not any(k.startswith("copie") for k in keys)
    dates = re.findall(r"<strong>(\d\d/\d\d/\d{4})</strong>", soon)
    parsed = [dt.datetime.strptime(d, "%d/%m/%Y").date() for d in dates]
    assert parsed == sorted(parsed) and all(d <= dt.date(2026, 12, 31) for d in parsed)
    # A malformed value is ignored, and said so.
    odd = client.get("/?avant=demain&tri=n-importe&min=beaucoup").get_data(as_text=True)
    assert "Filtre ignoré : date « demain » invalide" in odd
    assert "tri « n-importe » inconnu" in odd and "montant « beaucoup » invalide" in odd
    assert len(rows_of(odd)) == 50
    # A page past the end shows the last one; the search is kept in the page links.
    assert rows_of(client.get("/?page=99").get_data(as_text=True)) == rows_of(second)
    searched = client.get("/?q=soci%C3%A9t%C3%A9&tri=-montant").get_data(as_text=True)
    assert "q=soci%C3%A9t%C3%A9" in searched and "tri=-montant" in searched
    assert f"52 dossiers sur {total}" in searched and "page=2" in searched


def test_background_refresh_finishes_what_the_budget_left(cases: Path) -> None:
    app = create_app(cases, au=AU, secret_key="t")
    client = app.test_client()
    client.get("/")
    app.config.update(ACTES_AU=AU + dt.timedelta(days=1), ACTES_INDEX_BUDGET=0.0)
    html = client.get("/").get_data(as_text=True)
    assert "Mise à jour de la liste en cours" in html
    assert "calculé au 24/11/2026" in html
    for _ in range(600):
        html = client.get("/").get_data(as_text=True)
        if "Mise à jour de la liste en cours" not in html:
            break
        time.sleep(0.1)
    assert "Mise à jour de la liste en cours" not in html
    assert "calculé au" not in html and len(rows_of(html)) == examples_count()


def test_background_watch_shows_hand_edits_without_a_scan_per_request(cases: Path) -> None:
    app = create_app(cases, au=AU, secret_key="t")
    app.config["ACTES_INDEX_WATCH"] = 0.05
    client = app.test_client()
    assert "Atelier Bellecour" in row_html(client.get("/").get_data(as_text=True), B2B)
    path = cases / B2B / "dossier.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Atelier Bellecour", "Menuiserie Fourvière"),
        encoding="utf-8",
    )
    shutil.rmtree(cases / "surendettement")
    for _ in range(600):
        html = client.get("/").get_data(as_text=True)
        if "Menuiserie Fourvière" in html and "surendettement" not in rows_of(html):
            break
        time.sleep(0.1)
    assert "Menuiserie Fourvière" in row_html(html, B2B)
    assert "surendettement" not in rows_of(html)


# ---------------------------------------------------------------------------------------------
# Several processes refreshing at once


def _refresh_in_process(root: str, au: str, rounds: int) -> None:
    for _ in range(rounds):
        CaseIndex(Path(root), workers=1).refresh(dt.date.fromisoformat(au))


def test_concurrent_refreshes_leave_a_consistent_index(cases: Path) -> None:
    add_copies(cases, 6)
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_refresh_in_process, args=(str(cases), AU.isoformat(), 3))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    # Files change while the two processes refresh.
    for number in range(6):
        path = cases / f"copie-{number:03d}" / "dossier.yaml"
        data = load_yaml(path)
        data["debiteur"]["denomination"] = f"Modifiée {number}"
        write_case(path, data)
        time.sleep(0.2)
    shutil.rmtree(cases / "surendettement")
    for worker in workers:
        worker.join(180)
        assert worker.exitcode == 0
    index = CaseIndex(cases, workers=1)
    index.refresh(AU)
    rows = index.rows()
    root = cases.resolve()
    assert sorted(r.key for r in rows) == sorted(scan_cases(root))
    for row in rows:
        expected = compute_row(root, row.key, row.relative, AU)
        assert row.status == expected["status"], row.key
        assert (row.debtor, row.sha256) == (expected["debtor"], expected["sha256"])
    with sqlite3.connect(cases / INDEX_FILE) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# ---------------------------------------------------------------------------------------------
# Command line: actes liste, actes plan status DIR


def test_indexed_worklist_matches_the_direct_one(cases: Path) -> None:
    (cases / "casse.yaml").write_text("reference: [ouvert\n", encoding="utf-8")
    for day in (AU, dt.date(2027, 1, 12), dt.date(2027, 6, 15)):
        assert indexed_worklist(cases, day) == worklist(cases, day)
    missed, errors = indexed_worklist(cases, dt.date(2027, 1, 12))
    assert missed and [Path(e.file).name for e in errors] == ["casse.yaml"]


def test_plan_status_of_today_uses_the_index(cases: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    today = dt.date(2027, 1, 12)
    monkeypatch.setattr("actes.cli.plan.today", lambda: today)
    result = CliRunner().invoke(main, ["plan", "status", str(cases), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    expected, _ = worklist(cases, today)
    assert [p["reference"] for p in report["plans"]] == [r.reference for r in expected]
    assert (cases / INDEX_FILE).is_file()


def test_actes_liste(cases: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("actes.cli.liste.today", lambda: AU)
    runner = CliRunner()
    result = runner.invoke(main, ["liste", str(cases), "--cherche", "editions capitole"])
    assert result.exit_code == 0, result.output
    assert "1 dossier au 2026-11-24" in result.output and "LJ-2026-0088" in result.output
    ranked = runner.invoke(main, ["liste", str(cases), "--tri", "-montant", "--json"])
    rows = json.loads(ranked.output)["dossiers"]
    values = [float(r["montant_du"]) for r in rows]
    assert len(rows) == examples_count() and values == sorted(values, reverse=True)
    assert (cases / INDEX_FILE).is_file()
    other_day = runner.invoke(main, ["liste", str(cases), "--au", "2027-01-12", "--json"])
    assert {r["calcule_au"] for r in json.loads(other_day.output)["dossiers"]} == {"2027-01-12"}
    assert {r.computed_on for r in CaseIndex(cases).rows()} == {AU}  # today's rows kept
    wrong = runner.invoke(main, ["liste", str(cases), "--tri", "poids"])
    assert wrong.exit_code == 2 and "colonne de tri" in wrong.output


# ---------------------------------------------------------------------------------------------
# The text search: a trigram full-text index for words of 3 characters or more


def expected_keys(index: CaseIndex, text: str) -> set[str]:
    """The rows whose folded text holds every folded word of ``text``, found in Python."""
    words = fold(text).split()
    return {r.key for r in index.rows() if all(w in row_search(index, r.key) for w in words)}


def row_search(index: CaseIndex, key: str) -> str:
    with sqlite3.connect(index.path) as connection:
        return str(
            connection.execute("SELECT search FROM cases WHERE key = ?", (key,)).fetchone()[0]
        )


@pytest.mark.parametrize("full_text", [True, False], ids=["fts5", "like"])
def test_folded_search_finds_etienne_and_counts_every_matching_row(
    cases: Path, monkeypatch: pytest.MonkeyPatch, full_text: bool
) -> None:
    import actes.portfolio.index as module

    if full_text and not module._FTS:
        pytest.skip("SQLite sans FTS5 (trigram) : la recherche parcourt la colonne repliée")
    monkeypatch.setattr(module, "_FTS", full_text and module._FTS)
    keys = add_copies(cases, 60)
    for number, key in enumerate(keys[:7]):
        data = load_yaml(cases / key / "dossier.yaml")
        data["debiteur"]["denomination"] = f"Garage « Étienne » Œuvre {number}"
        write_case(cases / key / "dossier.yaml", data)
    client = create_app(cases, au=AU, secret_key="t").test_client()
    total = examples_count() + 60
    client.get("/")
    index = CaseIndex(cases)
    for text, count in (("etienne", 7), ("ÉTIENNE oeuvre", 7), ("étienne 3", 1), ("e", None)):
        wanted = expected_keys(index, text)
        assert count is None or len(wanted) == count
        html = client.get("/", query_string={"q": text}).get_data(as_text=True)
        matched = len(wanted)
        label = "correspond" if matched < 2 else "correspondent"
        assert f"{matched} dossier{'s' if matched > 1 else ''} sur {total} {label}" in html
        pages = -(-matched // 50)
        shown = set(rows_of(html))
        for page in range(2, pages + 1):
            more = client.get("/", query_string={"q": text, "page": page})
            shown |= set(rows_of(more.get_data(as_text=True)))
        assert shown == wanted, text
    # A quote, a percent sign or an underscore is text to find, not syntax.
    for odd in ('"etienne', "etienne%", "étienne_", "«"):
        html = client.get("/", query_string={"q": odd}).get_data(as_text=True)
        assert set(rows_of(html)) == expected_keys(index, odd), odd
    # Hand edits and deletions between requests: the full-text index follows the rows.
    first = cases / keys[0] / "dossier.yaml"
    first.write_text(
        first.read_text(encoding="utf-8").replace("Étienne", "Bérénice"), encoding="utf-8"
    )
    shutil.rmtree(cases / keys[1])
    client.get("/")
    html = client.get("/?q=etienne").get_data(as_text=True)
    assert set(rows_of(html)) == set(keys[2:7]) == expected_keys(index, "etienne")
    assert rows_of(client.get("/?q=berenice").get_data(as_text=True)) == [keys[0]]

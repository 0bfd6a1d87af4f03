"""End to end in a real headless Chromium: create a case from the form, see a field error,
fix it, render the mise en demeure and open the downloaded DOCX.

With ``ACTES_SCREENSHOTS=1`` the run also refreshes the screenshots of the main pages in
``docs/screenshots/`` (the README shows them); otherwise they go to a temporary folder, so
that running the tests leaves the work tree clean.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from werkzeug.serving import make_server

from actes.web import create_app

from .conftest import AU, EXAMPLES, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("ACTES_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "actes-screenshots"
)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="chromium et chromedriver (paquets Debian) sont nécessaires au test navigateur",
)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "affaires"
    shutil.copytree(EXAMPLES, folder)
    return folder


@pytest.fixture
def base_url(cases: Path) -> Iterator[str]:
    app = create_app(cases, au=AU, secret_key="test-navigateur")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        f"--user-data-dir={tmp_path / 'profil-chromium'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _screenshot(driver: Any, name: str, *, full: bool = True, width: int = 1280) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if width != 1280:
        driver.set_window_size(width, 1000)
    if full:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, max(700, min(int(height) + 40, 4000)))
    driver.save_screenshot(str(SCREENSHOTS / name))
    driver.set_window_size(1280, 1000)


def _field(driver: Any, name: str) -> Any:
    return driver.find_element(By.ID, name)


def _fill(driver: Any, name: str, value: str) -> None:
    element = _field(driver, name)
    element.clear()
    element.send_keys(value)


def _wait_for(driver: Any, element_id: str) -> Any:
    return WebDriverWait(driver, 60).until(
        expected_conditions.presence_of_element_located((By.ID, element_id))
    )


def test_create_fix_render_download(browser: Any, base_url: str, cases: Path) -> None:
    driver = browser
    driver.get(base_url + "/")
    table = _wait_for(driver, "liste-dossiers")
    assert "REC-2026-0147" in table.text
    assert "Atelier Bellecour" in table.text
    _screenshot(driver, "liste-dossiers.png")

    driver.find_element(By.LINK_TEXT, "REC-2026-0147").click()
    _wait_for(driver, "decompte")
    assert "Mise en demeure" in driver.find_element(By.ID, "conseil").text
    _screenshot(driver, "dossier.png")

    # A new case from the example's values, with a wrong SIREN for the debtor.
    driver.find_element(By.LINK_TEXT, "Nouveau dossier à partir de celui-ci").click()
    _wait_for(driver, "formulaire")
    _fill(driver, "reference", "REC-2026-0200")
    _fill(driver, "debiteur-denomination", "Menuiserie Vauban")
    _fill(driver, "debiteur-siren", "51234")
    driver.find_element(By.ID, "enregistrer").click()
    error = _wait_for(driver, "debiteur-siren-erreur")
    assert "ne correspond pas au format attendu" in error.text
    assert "9 chiffres" in error.text
    siren = _field(driver, "debiteur-siren")
    assert siren.get_attribute("aria-invalid") == "true"
    assert siren.get_attribute("value") == "51234"
    summary = driver.find_element(By.ID, "erreurs-resume")
    assert "Débiteur › SIREN" in summary.text
    assert not (cases / "REC-2026-0200").exists()
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'})", _field(driver, "debiteur-siren")
    )
    _screenshot(driver, "formulaire-erreur.png", full=False)

    # Fixed: the case is saved and its page shown.
    _fill(driver, "debiteur-siren", "512345679")
    driver.find_element(By.ID, "enregistrer").click()
    _wait_for(driver, "decompte")
    assert "Dossier enregistré" in driver.page_source
    assert (cases / "REC-2026-0200" / "dossier.yaml").is_file()

    # Render the mise en demeure and fetch the DOCX with the browser's session cookie.
    driver.get(f"{base_url}/dossier/REC-2026-0200/procedure/mise_en_demeure_professionnel")
    driver.find_element(By.ID, "generer-docx").click()
    produced = _wait_for(driver, "fichiers-produits")
    links = produced.find_elements(By.TAG_NAME, "a")
    docx_links = [a for a in links if a.text.endswith(".docx")]
    assert docx_links, produced.text
    _screenshot(driver, "procedure.png")
    url = docx_links[0].get_attribute("href")
    cookie = driver.get_cookie("session")
    assert cookie is not None
    request = urllib.request.Request(url, headers={"Cookie": f"session={cookie['value']}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        content = response.read()
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Menuiserie Vauban" in text

    # Without the session cookie the same URL is not served.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=30)
    assert refused.value.code == 404
    refused.value.close()


def test_dashboard_figures_charts_and_workbook(browser: Any, base_url: str, cases: Path) -> None:
    from openpyxl import load_workbook

    from actes.portfolio.report import build_report, facts_from_index
    from actes.portfolio.report_views import fr_amount

    from .conftest import plain_spaces

    driver = browser
    driver.get(base_url + "/")
    _wait_for(driver, "liste-dossiers")
    driver.find_element(By.LINK_TEXT, "Tableau de bord").click()
    _wait_for(driver, "synthese")
    facts, excluded = facts_from_index(cases, AU)
    expected = build_report(facts, AU, excluded=excluded)
    total = driver.find_element(
        By.XPATH, "//section[@id='synthese']//div[starts-with(dt, 'Total dû')]/dd"
    ).text
    assert plain_spaces(total) == plain_spaces(fr_amount(expected.total_due))
    # Both charts drawn: their SVG loaded (a natural size) and shown at a size.
    for name in ("balance_agee", "encours"):
        chart = driver.find_element(By.ID, f"graphique-{name}")
        WebDriverWait(driver, 60).until(
            lambda d, c=chart: d.execute_script(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", c
            )
        )
        assert chart.size["width"] > 100 and chart.size["height"] > 50
        assert "balance âgée" in (chart.get_attribute("alt") or "").lower() or name == "encours"
    _screenshot(driver, "tableau-de-bord-1366.png", width=1366)
    _screenshot(driver, "tableau-de-bord-768.png", width=768)
    # At 768 px nothing overflows the page sideways (wide tables scroll in their box).
    driver.set_window_size(768, 1000)
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    driver.set_window_size(1280, 1000)

    url = driver.find_element(By.ID, "telecharger-xlsx").get_attribute("href")
    with urllib.request.urlopen(url, timeout=60) as response:
        book = load_workbook(io.BytesIO(response.read()))
    assert book.sheetnames[0] == "Synthèse"
    values = [row for row in book["Balance âgée"].iter_rows(values_only=True) if row]
    assert any(row[0] == "Total" and row[1] == float(expected.total_due) for row in values)

"""A legal assistant's path through ``actes serve`` in a real headless Chromium (issue 21).

A new case between professionals, two invoices and a payment, typed the French way and with
the usual mistakes (a SIREN with a wrong key, a due date before the invoice, an amount
« 1 250,50 », no fondement for the injonction de payer): every problem shows after the first
save, at its field and in the form's words; the second save is the last one. Then the
unconfirmed rate is accepted from where it is explained, the invoices are added as pièces,
the mise en demeure is rendered (with a preview of its first page when ``pdftoppm`` is
installed) and recorded as sent, and the injonction de payer packet is built.

With ``ACTES_SCREENSHOTS=1`` the screenshots at 1366 and 768 pixels go to
``docs/screenshots/``; otherwise to a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from werkzeug.serving import make_server

from actes.cli import main
from actes.web import create_app

from .conftest import AU, EXAMPLES, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("ACTES_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "actes-screenshots"
)
B2B = EXAMPLES / "b2b-factures-impayees"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="chromium et chromedriver (paquets Debian) sont nécessaires au test navigateur",
)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    """A firm's workspace with one earlier case: its creditor is offered for the new one."""
    folder = tmp_path / "affaires"
    shutil.copytree(B2B, folder / B2B.name)
    (folder / "actes.toml").write_text("# espace de travail du cabinet\n", encoding="utf-8")
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
        "--lang=en-US",  # dates must not depend on the browser's language
        "--window-size=1366,900",
        f"--user-data-dir={tmp_path / 'profil-chromium'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()


def _shots(driver: Any, name: str) -> None:
    """``name-1366.png`` and ``name-768.png``: the visible part of the page at both widths."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 768):
        driver.set_window_size(width, 900)
        driver.save_screenshot(str(SCREENSHOTS / f"{name}-{width}.png"))
    driver.set_window_size(1366, 900)


def _wait(driver: Any, element_id: str, timeout: int = 120) -> Any:
    return WebDriverWait(driver, timeout).until(
        expected_conditions.presence_of_element_located((By.ID, element_id))
    )


def _fill(driver: Any, name: str, value: str) -> None:
    element = driver.find_element(By.ID, name)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.clear()
    element.send_keys(value)


def _choose(driver: Any, name: str, value: str) -> None:
    Select(driver.find_element(By.ID, name)).select_by_value(value)


def _click(driver: Any, element_id: str) -> None:
    element = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def _shown_inputs(driver: Any) -> int:
    """Fields a person sees in the form (hidden inputs, folded sections and the other party
    type's fields are not counted)."""
    found = driver.find_elements(
        By.CSS_SELECTOR,
        "#formulaire input:not([type=hidden]), #formulaire select, #formulaire textarea",
    )
    return sum(1 for element in found if element.is_displayed())


def _error(driver: Any, name: str) -> str:
    return str(driver.find_element(By.ID, f"{name}-erreur").text)


def test_new_b2b_case_in_two_saves(browser: Any, base_url: str, cases: Path) -> None:
    driver = browser
    saves = 0
    driver.get(base_url + "/nouveau")
    _wait(driver, "formulaire")
    # The creditor of the last case and the country are already there.
    assert "REC-2026-0147" in driver.find_element(By.ID, "creancier-origine").text
    assert driver.find_element(By.ID, "creancier-denomination").get_attribute("value") == (
        "Dupont & Fils"
    )
    assert driver.find_element(By.ID, "debiteur-adresse-pays").get_attribute("value") == "FR"
    assert not driver.find_elements(By.ID, "format_version")

    # The debtor is a company: no civilité, prénoms or date of birth.
    _choose(driver, "debiteur-type", "personne_morale")
    for person_only in ("debiteur-civilite", "debiteur-prenoms", "debiteur-date_naissance"):
        assert not driver.find_element(By.ID, person_only).is_displayed(), person_only
    shown = _shown_inputs(driver)
    # README, « actes serve »: 63 fields shown (184 inputs before issue 21), of which one
    # « envisagée » box per procedure (the relance préventive added the 17th).
    assert shown <= 63
    _choose(driver, "debiteur-qualite", "professionnel")
    _fill(driver, "reference", "REC-2026-0300")
    _fill(driver, "debiteur-denomination", "Menuiserie Vauban")
    _fill(driver, "debiteur-forme_juridique", "SARL")
    _fill(driver, "debiteur-siren", "380 129 867")  # wrong key
    _fill(driver, "debiteur-adresse-ligne1", "8 quai Perrache")
    _fill(driver, "debiteur-adresse-code_postal", "69002")
    _fill(driver, "debiteur-adresse-ville", "Lyon")
    _fill(driver, "debiteur-adresse-pays", "France")

    _fill(driver, "creances-0-reference", "FA-2026-0301")
    _choose(driver, "creances-0-nature", "facture")
    _fill(driver, "creances-0-libelle", "Menuiseries extérieures")
    _fill(driver, "creances-0-date_emission", "15/05/2026")
    _fill(driver, "creances-0-date_echeance", "14/06/2026")
    _fill(driver, "creances-0-montant", "1 250,50")
    _fill(driver, "creances-0-fondement", "Devis signé DV-77 du 2 mai 2026")
    # A second invoice: the page comes back at the new row, nothing is saved.
    _click(driver, "creances-ajouter")
    _wait(driver, "creances-1-reference")
    assert driver.execute_script("return window.scrollY") > 300
    assert driver.current_url.endswith("#creances-derniere")
    _fill(driver, "creances-1-reference", "FA-2026-0342")
    _choose(driver, "creances-1-nature", "facture")
    _fill(driver, "creances-1-date_emission", "01/07/2026")
    _fill(driver, "creances-1-date_echeance", "30/06/2026")  # before the invoice
    _fill(driver, "creances-1-montant", "2 700")
    _fill(driver, "paiements-0-date", "20/08/2026")
    _fill(driver, "paiements-0-montant", "1 000,00")
    _fill(driver, "paiements-0-creance", "FA-2026-0301")
    _click(driver, "viser-mise_en_demeure_professionnel")
    _click(driver, "viser-injonction_de_payer_tc")

    _click(driver, "enregistrer")
    saves += 1
    summary = _wait(driver, "erreurs-resume")
    # Every problem at once, in the form's words.
    assert "Luhn" in _error(driver, "debiteur-siren")
    assert "précède l'émission" in _error(driver, "creances-1-date_echeance")
    assert "Injonction de payer" in _error(driver, "creances-1-fondement")
    for text in ("Débiteur › SIREN", "Créance n° 2 › Date d'échéance", "Créance n° 2 › Fondement"):
        assert text in summary.text, text
    assert "$." not in summary.text and "injonction_de_payer_tc" not in summary.text
    # What the injonction de payer needs besides: the court and pièces (added once saved).
    assert "Président du tribunal de commerce" in _error(driver, "juridiction")
    assert "ajoutez-les depuis la page du dossier" in summary.text
    assert summary.text.startswith("5 problèmes")
    # What was typed the French way is kept, and said.
    assert driver.find_element(By.ID, "creances-0-montant").get_attribute("value") == "1250.50"
    assert "1 250,50" in driver.find_element(By.ID, "creances-0-montant-lu").text
    assert driver.find_element(By.ID, "debiteur-adresse-pays").get_attribute("value") == "FR"
    assert driver.find_element(By.ID, "creances-0-date_emission").get_attribute("value") == (
        "15/05/2026"
    )
    siren = driver.find_element(By.ID, "debiteur-siren")
    assert siren.value_of_css_property("border-top-color") == "rgba(163, 32, 32, 1)"
    assert not (cases / "REC-2026-0300").exists()
    driver.execute_script("window.scrollTo(0, 0)")
    _shots(driver, "formulaire-erreurs")

    _fill(driver, "debiteur-siren", "380 129 866")
    _fill(driver, "creances-1-date_echeance", "31/07/2026")
    _fill(driver, "creances-1-fondement", "Devis signé DV-77 du 2 mai 2026")
    _fill(driver, "juridiction-nom", "Tribunal de commerce de Lyon")
    _fill(driver, "juridiction-departement", "69")
    _click(driver, "enregistrer")
    saves += 1
    _wait(driver, "decompte")
    assert "Dossier enregistré" in driver.page_source
    assert saves <= 2
    saved = (cases / "REC-2026-0300" / "dossier.yaml").read_text(encoding="utf-8")
    assert "380129866" in saved and "1250.50" in saved and "2026-05-15" in saved

    # The unconfirmed rate is explained where it arises, with its two ways out.
    rate = driver.find_element(By.ID, "taux-non-confirme")
    assert "actes taux ajouter bce 2026-S2" in rate.text
    assert "/parameters/" not in driver.page_source
    _shots(driver, "dossier-a-faire")
    _click(driver, "accepter-taux")
    total = _wait(driver, "total-du")
    assert total.is_displayed()

    # The invoices as pièces (the injonction de payer needs them).
    for invoice in ("facture-FA-2026-0117.pdf", "facture-FA-2026-0142.pdf"):
        _fill(driver, "piece-titre", f"Facture {invoice[8:20]}")
        _fill(driver, "piece-date", "15/05/2026")
        driver.find_element(By.ID, "piece-fichier").send_keys(str(B2B / "pieces" / invoice))
        _click(driver, "ajouter-piece")
        assert "Pièce ajoutée" in _wait(driver, "piece-message").text

    # The mise en demeure, its preview, then « sent » in one click.
    driver.get(f"{base_url}/dossier/REC-2026-0300/procedure/mise_en_demeure_professionnel")
    _wait(driver, "generer-pdf")
    assert "Procédure disponible" in driver.page_source
    _click(driver, "generer-pdf")
    result = _wait(driver, "resultat", 300)
    assert driver.current_url.endswith("#resultat")
    assert any(a.text.endswith(".pdf") for a in result.find_elements(By.TAG_NAME, "a"))
    if shutil.which("pdftoppm"):
        image = driver.find_element(By.CSS_SELECTOR, "#apercus img")
        assert driver.execute_script("return arguments[0].naturalWidth", image) > 100
    _shots(driver, "procedure-apercu")
    _click(driver, "enregistrer-mise_en_demeure_envoyee")
    history = _wait(driver, "historique")
    assert "mise en demeure envoyée" in driver.page_source
    assert history.is_displayed()

    # A filing is never built on a provisional rate: the official one is recorded with the
    # command the page gave, then the injonction de payer packet is built.
    driver.get(f"{base_url}/dossier/REC-2026-0300/procedure/injonction_de_payer_tc")
    command = driver.find_element(By.CSS_SELECTOR, "#taux-non-confirme code").text
    assert command.startswith("actes taux ajouter bce 2026-S2 TAUX")
    recorded = CliRunner().invoke(
        main,
        [
            *("taux", "ajouter", "bce", "2026-S2", "2.40", "--en-vigueur-depuis", "2026-06-11"),
            *("--source", "https://www.ecb.europa.eu/", "--workspace", str(cases)),
        ],
    )
    assert recorded.exit_code == 0, recorded.output
    driver.get(f"{base_url}/dossier/REC-2026-0300/procedure/injonction_de_payer_tc")
    assert "Procédure disponible" in driver.page_source
    _click(driver, "generer-dossier")
    result = _wait(driver, "resultat", 300)
    assert any(a.text.endswith(".zip") for a in result.find_elements(By.TAG_NAME, "a")), (
        result.text
    )
    assert saves == 2


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) absent")
def test_preview_of_the_first_page(tmp_path: Path) -> None:
    from actes.web import previews

    pdf = tmp_path / "lettre.pdf"
    shutil.copy(B2B / "pieces" / "facture-FA-2026-0117.pdf", pdf)
    found = previews.first_pages([pdf, tmp_path / "lettre.docx"], tmp_path)
    assert [name for _, name in found] == ["lettre.pdf"]
    image = found[0][0]
    assert image.read_bytes().startswith(b"\x89PNG")
    assert image.parent == tmp_path / previews.FOLDER

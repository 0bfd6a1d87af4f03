"""Recording an official rate in the firm's workspace (``actes taux ajouter``) and using it."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner, Result

from actes.cli import main
from actes.documents.render import render_documents
from actes.errors import InputError
from actes.law.rates import RateTables, record_rate

ROOT = Path(__file__).resolve().parents[1]
B2B = ROOT / "examples" / "b2b-factures-impayees"


def interest(base: str, rate: str, days: int) -> Decimal:
    raw = Decimal(base) * Decimal(rate) / 100 * days / 365
    return raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ACTES_WORKSPACE", raising=False)
    folder = tmp_path / "cabinet"
    done = run("init", str(folder))
    assert done.exit_code == 0, done.output
    assert (folder / "actes.toml").is_file()
    monkeypatch.chdir(folder)
    return folder


def b2b_case(folder: Path) -> Path:
    """The B2B example without the opt-in to unconfirmed rates, inside ``folder``."""
    target = folder / "dossiers" / "b2b"
    shutil.copytree(B2B, target)
    path = target / "dossier.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["parametres"]["taux_non_confirmes"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def record_2026_s2(autres: str = "2.80", ecb: str = "2.40") -> None:
    done = run(
        "taux", "ajouter", "interet_legal", "2026-S2",
        "--particuliers", "6.90", "--autres", autres,
        "--arrete", "Arrêté du 20 juin 2026 (essai)", "--source", "https://www.legifrance.gouv.fr",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    done = run(
        "taux", "ajouter", "bce", "2026-07-01", ecb,
        "--en-vigueur-depuis", "2026-06-17", "--source", "https://www.ecb.europa.eu",
    )  # fmt: skip
    assert done.exit_code == 0, done.output


def test_without_a_record_the_decompte_stops_and_names_the_command(workspace: Path) -> None:
    case = b2b_case(workspace)
    done = run("decompte", str(case), "--au", "2026-11-24")
    assert done.exit_code == 1
    assert "actes taux ajouter interet_legal 2026-S2" in done.output


def test_recorded_rate_is_used_without_opt_in(workspace: Path) -> None:
    case = b2b_case(workspace)
    record_2026_s2(autres="2.80")
    overlay = workspace / "parameters" / "taux" / "interet_legal.yaml"
    assert "autres_cas: '2.80'" in overlay.read_text(encoding="utf-8")
    done = run("decompte", str(case), "--au", "2026-11-24", "--json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    first = data["creances"][0]["periodes"][0]
    # The recorded 2.80 % (not the reported 2.75 %): 3 × 2.80 = 8.40 %, 49 days on 4 320.
    assert (first["taux"], first["montant"]) == ("8.40", str(interest("4320.00", "8.40", 49)))
    assert first["taux_confirme"] is True
    assert data["reserves"] == [] and data["taux_non_confirmes"] == []
    listing = run("taux", "liste").output
    assert "2026-S2 : intérêt légal 6,90 % / 2,80 % (confirmé, espace de travail)" in listing


def test_recorded_rates_let_a_requete_be_filed(workspace: Path, tmp_path: Path) -> None:
    case = b2b_case(workspace)
    record_2026_s2(autres="2.75")
    written = render_documents(
        "injonction_de_payer_tc", case, tmp_path / "out", date(2026, 11, 24)
    )
    requete = next(p for p in written if "requete" in p.name)
    text = "\n".join(p.text for p in docx.Document(str(requete)).paragraphs)
    assert "sous réserve" not in text


def test_workspace_found_from_the_case_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACTES_WORKSPACE", raising=False)
    folder = tmp_path / "cabinet"
    assert run("init", str(folder)).exit_code == 0
    done = run(
        "taux", "ajouter", "bce", "2026-S2", "2.40", "--source", "ecb", "--workspace", str(folder)
    )
    assert done.exit_code == 0, done.output
    monkeypatch.chdir(tmp_path)  # not inside the workspace
    assert (
        RateTables.for_folder(folder / "dossiers")
        .ecb_rate_for_half_year(date(2026, 8, 1))
        .confirmed
    )
    assert not RateTables.load().ecb_rate_for_half_year(date(2026, 8, 1), True).confirmed


def test_refusals(workspace: Path) -> None:
    # A half-year already confirmed in the shipped table needs --remplacer.
    done = run(
        "taux", "ajouter", "interet_legal", "2026-S1", "--particuliers", "6.67",
        "--autres", "2.63", "--arrete", "x", "--source", "y",
    )  # fmt: skip
    assert done.exit_code == 2
    assert "--remplacer" in done.output
    # A gap in the table: nothing written.
    done = run(
        "taux", "ajouter", "interet_legal", "2027-S2", "--particuliers", "6", "--autres", "3",
        "--arrete", "x", "--source", "y",
    )  # fmt: skip
    assert done.exit_code == 1
    assert "ne suit pas" in done.output
    assert not (workspace / "parameters" / "taux" / "interet_legal.yaml").exists()
    # Not a half-year.
    assert run("taux", "ajouter", "bce", "2026-03-01", "2.4", "--source", "y").exit_code == 2


def test_outside_a_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACTES_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    done = run("taux", "ajouter", "bce", "2026-S2", "2.40", "--source", "y")
    assert done.exit_code == 2
    assert "actes init" in done.output


def test_hand_edited_overlay_is_checked(workspace: Path) -> None:
    overlay = workspace / "parameters" / "taux" / "bce.yaml"
    overlay.write_text(
        "valeurs:\n  - {valid_from: '2026-07-01', taux: '2.40', reference: r, source: s, "
        "confirmed: false}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        RateTables.load(workspace=workspace)
    assert "confirmé" in caught.value.format()
    assert str(overlay) in caught.value.format()
    with pytest.raises(InputError):
        record_rate(workspace, "interet_legal", date(2026, 7, 1), {}, reference="", source="")

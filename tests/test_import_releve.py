"""actes import releve: camt.053 and CFONB 120 samples recorded as payments, once."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from actes.cli import main
from actes.errors import InputError
from actes.imports.cfonb import decode_amount
from actes.imports.statements import read_statement

SAMPLES = Path(__file__).resolve().parent.parent / "examples" / "imports"
CAMT = SAMPLES / "releve-2026-04.camt053.xml"
CFONB = SAMPLES / "releve-2026-05.cfonb120.txt"
AU = "2026-06-01"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    files = [str(SAMPLES / n) for n in ("facture-FA-2026-0201.pdf", "facture-FA-2026-0214.xml")]
    files.append(str(SAMPLES / "avoir-AV-2026-0007.xml"))
    result = CliRunner().invoke(
        main, ["import", "facture", *files, "--nouveau", str(tmp_path), "--date", AU]
    )
    assert result.exit_code == 0, result.output
    return tmp_path


def _releve(folder: Path, path: Path, *extra: str) -> tuple[int, dict[str, object]]:
    args = ["import", "releve", str(path), "--dossiers", str(folder), "--date", AU, "--json"]
    result = CliRunner().invoke(main, [*args, *extra])
    return result.exit_code, json.loads(result.output)


def _payments(folder: Path) -> list[dict[str, object]]:
    text = (folder / "ATELIER-BELLECOUR" / "dossier.yaml").read_text(encoding="utf-8")
    return list(yaml.safe_load(text).get("paiements", []))


def test_cfonb_amount_encoding() -> None:
    assert decode_amount("0000000015000{", 2) == Decimal("1500.00")
    assert decode_amount("0000000012345E", 2) == Decimal("1234.55")
    assert decode_amount("0000000000012J", 2) == Decimal("-1.21")
    assert decode_amount("0000000000010}", 2) == Decimal("-1.00")
    with pytest.raises(ValueError, match="dernier caractère"):
        decode_amount("00000000000100", 2)


def test_reads_both_samples() -> None:
    camt = read_statement(CAMT)
    assert (camt.format, camt.account, len(camt.lines)) == (
        "camt.053",
        "FR1420041010050500013M02606",
        4,
    )
    assert [(str(x.amount), x.credit) for x in camt.lines] == [
        ("960.00", True),
        ("1000.00", True),
        ("75.00", True),
        ("120.00", False),
    ]
    cfonb = read_statement(CFONB)
    assert cfonb.format == "cfonb120"
    first = cfonb.lines[0]
    assert (str(first.amount), first.counterparty, first.reference) == (
        "1500.00",
        "ATELIER BELLECOUR SARL",
        "FA-2026-0214",
    )
    assert first.text == "VIR ATELIER BELLECOUR SOLDE FACTURE FA-2026-0214"


def test_camt_then_cfonb_recorded_once(workspace: Path) -> None:
    code, report = _releve(workspace, CAMT)
    assert code == 0
    statuses = [o["statut"] for o in report["operations"]]  # type: ignore[index]
    assert statuses == ["enregistre", "enregistre", "non_rapproche", "debit_ignore"]
    payments = _payments(workspace)
    assert [(p["date"], p["montant"], p.get("creance")) for p in payments] == [
        ("2026-04-02", "960.00", "FA-2026-0201"),
        ("2026-04-15", "1000.00", None),
    ]
    assert payments[0]["source"]["releve"] == CAMT.name  # type: ignore[index]
    code, report = _releve(workspace, CAMT)
    statuses = [o["statut"] for o in report["operations"]]  # type: ignore[index]
    assert statuses == ["deja_enregistre", "deja_enregistre", "non_rapproche", "debit_ignore"]
    assert len(_payments(workspace)) == 2
    code, report = _releve(workspace, CFONB)
    assert code == 0
    payments = _payments(workspace)
    assert (payments[2]["montant"], payments[2]["creance"]) == ("1500.00", "FA-2026-0214")
    import datetime as dt

    from actes.cases.case import load_case

    case = load_case(workspace / "ATELIER-BELLECOUR" / "dossier.yaml", au=dt.date(2026, 6, 1))
    assert sum(p.montant for p in case.paiements) == Decimal("3460.00")


def test_dry_run_and_csv(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "ops.csv"
    code, report = _releve(workspace, CAMT, "--dry-run", "--csv", str(out))
    assert code == 0 and report["ecrit"] is False
    assert _payments(workspace) == []
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("ligne;date;montant") and len(rows) == 5
    assert "a_enregistrer" in rows[1] and "non_rapproche" in rows[3]


def test_broken_cfonb_and_two_currency_camt(tmp_path: Path) -> None:
    lines = CFONB.read_text(encoding="ascii").splitlines()
    broken = tmp_path / "broken.txt"
    broken.write_text("\n".join([lines[0], lines[1][:100], *lines[2:]]), encoding="ascii")
    with pytest.raises(InputError, match=r"ligne 2 .*100 caractères"):
        read_statement(broken)
    altered = tmp_path / "altered.txt"
    altered.write_text(
        "\n".join([lines[0], lines[1].replace("15000{", "15001{"), *lines[2:]]), encoding="ascii"
    )
    with pytest.raises(InputError, match="soldes ne concordent pas"):
        read_statement(altered)
    two = tmp_path / "two.xml"
    two.write_bytes(CAMT.read_bytes().replace(b'<Amt Ccy="EUR">75.00', b'<Amt Ccy="USD">75.00'))
    with pytest.raises(InputError, match="plusieurs devises"):
        read_statement(two)


def test_ambiguous_when_two_cases_share_the_debtor(workspace: Path) -> None:
    import shutil

    twin = workspace / "TWIN"
    shutil.copytree(workspace / "ATELIER-BELLECOUR", twin)
    path = twin / "dossier.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("reference: ATELIER-BELLECOUR", "reference: TWIN")
        .replace("FA-2026-02", "FB-2026-02"),
        encoding="utf-8",
    )
    _code, report = _releve(workspace, CAMT, "--dry-run")
    statuses = [o["statut"] for o in report["operations"]]  # type: ignore[index]
    assert statuses[:2] == ["a_enregistrer", "ambigu"]

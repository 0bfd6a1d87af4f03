"""actes promesse ajouter / liste: written through the case store and the journal, refused
whole when invalid, and closed by a bank statement's payment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from actes.cases import journal
from actes.cli import main

from .conftest import copy_example, load_yaml, plain_spaces

B2B = "b2b-factures-impayees"
SAMPLES = Path(__file__).resolve().parent.parent / "examples" / "imports"


@pytest.fixture(autouse=True)
def _no_workspace_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACTES_WORKSPACE", raising=False)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _promises(path: Path) -> list[dict[str, Any]]:
    return [e for e in load_yaml(path)["evenements"] if e["type"] == "promesse_de_paiement"]


def test_add_writes_the_event_and_the_journal(tmp_path: Path) -> None:
    case = copy_example(B2B, tmp_path)
    code, out = _run(
        *("promesse", "ajouter", str(case.parent), "--montant", "1 250,50"),
        *("--pour", "2026-12-15", "--le", "2026-12-01", "--canal", "telephone"),
        *("--par", "M. Martin", "--note", "rappel le 10"),
    )
    assert code == 0, out
    assert plain_spaces(out) == (
        "Promesse de 1 250,50 € pour le 15/12/2026 enregistrée, prise par téléphone le "
        "01/12/2026 par M. Martin.\n"
    )
    assert _promises(case) == [
        {
            "type": "promesse_de_paiement",
            "date": "2026-12-01",
            "montant": "1250.50",
            "date_promise": "2026-12-15",
            "canal": "telephone",
            "par": "M. Martin",
            "note": "rappel le 10",
        }
    ]
    [entry] = journal.case_entries(case)
    assert entry["action"] == "event_recorded"
    assert entry["details"]["evenements"] == [
        {"type": "promesse_de_paiement", "date": "2026-12-01"}
    ]
    [change] = entry["details"]["changements"]
    assert change["value"]["montant"] == "1250.50"
    # The same promise sent twice is recorded once; another one the same day is recorded.
    again = ("--pour", "2026-12-15", "--le", "2026-12-01", "--canal", "telephone")
    code, out = _run(
        "promesse",
        "ajouter",
        str(case),
        "--montant",
        "1250.50",
        *again,
        "--par",
        "M. Martin",
        "--note",
        "rappel le 10",
    )
    assert code == 0
    assert plain_spaces(out) == (
        "Promesse de 1 250,50 € pour le 15/12/2026 déjà enregistrée, prise par téléphone le "
        "01/12/2026 par M. Martin : rien n'a été modifié.\n"
    )
    code, out = _run("promesse", "ajouter", str(case), "--montant", "100", *again)
    assert code == 0, out
    [_, second] = _promises(case)
    assert second["montant"] == "100.00" and second["par"] == journal.current_actor()
    assert len(journal.case_entries(case)) == 2


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (
            ("--montant", "500", "--pour", "2026-11-15", "--le", "2026-11-20"),
            1,
            "$.evenements[1].date_promise : la date promise (15/11/2026) précède le jour où "
            "la promesse a été recueillie (20/11/2026)",
        ),
        (
            ("--montant", "-5", "--pour", "2026-11-25", "--le", "2026-11-20"),
            2,
            "« -5 » : indiquez la somme promise, supérieure à zéro",
        ),
        (
            ("--montant", "0", "--pour", "2026-11-25", "--le", "2026-11-20"),
            2,
            "« 0 » : indiquez la somme promise, supérieure à zéro",
        ),
        (
            ("--montant", "cinq", "--pour", "2026-11-25", "--le", "2026-11-20"),
            2,
            "« cinq » n'est pas un montant",
        ),
    ],
)
def test_invalid_writes_nothing(
    tmp_path: Path, args: tuple[str, ...], code: int, said: str
) -> None:
    case = copy_example(B2B, tmp_path)
    before = case.read_bytes()
    result, out = _run("promesse", "ajouter", str(case), *args, "--canal", "sms")
    assert result == code
    assert said in out
    assert case.read_bytes() == before
    assert journal.case_entries(case) == []


def test_a_case_already_invalid_is_not_written(tmp_path: Path) -> None:
    case = copy_example(B2B, tmp_path, paiements=[{"date": "2026-08-20", "montant": "-10.00"}])
    before = case.read_bytes()
    code, out = _run(
        *("promesse", "ajouter", str(case), "--montant", "50", "--pour", "2026-12-20"),
        *("--le", "2026-11-20", "--canal", "courrier"),
    )
    assert code == 1
    assert "$.paiements[0].montant : montant -10.00 : un montant doit être strictement" in out
    assert case.read_bytes() == before


def test_list_table_and_json(tmp_path: Path) -> None:
    case = copy_example(B2B, tmp_path)
    for amount, due, day in (
        ("300", "2026-11-20", "2026-11-02"),
        ("200", "2026-12-20", "2026-11-25"),
    ):
        code, out = _run(
            *("promesse", "ajouter", str(case), "--montant", amount, "--pour", due),
            *("--le", day, "--canal", "visite", "--par", "Mme Roux"),
        )
        assert code == 0, out
    code, out = _run("promesse", "liste", str(case), "--au", "2026-11-25")
    assert code == 0, out
    lines = plain_spaces(out).splitlines()
    assert lines[0] == "Promesses de paiement — dossier REC-2026-0147, au 25/11/2026"
    assert lines[1].split() == [
        "Prise",
        "le",
        "Par",
        "Canal",
        "Montant",
        "Pour",
        "le",
        "Payé",
        "Statut",
    ]
    assert lines[2].split() == [
        *("02/11/2026", "Mme", "Roux", "visite", "300,00", "€", "20/11/2026", "0,00", "€"),
        *("rompue", "depuis", "le", "21/11/2026"),
    ]
    assert lines[3].split()[-2:] == ["en", "cours"]
    assert len(lines) == 4
    code, out = _run("promesse", "liste", str(case), "--au", "2026-12-01", "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["au"] == "2026-12-01"
    assert [(p["statut"], p["rompue_depuis"], p["reste"]) for p in report["promesses"]] == [
        ("rompue", "2026-11-21", "300.00"),
        ("en_cours", None, "200.00"),
    ]
    # The newer promise closed the broken one on the day it was taken.
    assert [p["remplacee_par"] for p in report["promesses"]] == ["2026-11-25", None]


def test_list_is_chronological_and_shows_the_replaced_promise(tmp_path: Path) -> None:
    case = copy_example(B2B, tmp_path)
    # Recorded out of order: taken 25/11 for 15/12 (visit, « Léa (chargée de recouvrement) »),
    # then taken 10/11 for 30/11 and 10/11 for 20/11 (other channel). On 25/11 the promise for
    # 20/11 is broken, the one for 30/11 not yet due: replaced.
    for amount, due, day, channel in (
        ("400", "2026-12-15", "2026-11-25", "visite"),
        ("150", "2026-11-30", "2026-11-10", "autre"),
        ("250", "2026-11-20", "2026-11-10", "autre"),
    ):
        code, out = _run(
            *("promesse", "ajouter", str(case), "--montant", amount, "--pour", due),
            *("--le", day, "--canal", channel, "--par", "Léa (chargée de recouvrement)"),
        )
        assert code == 0, out
    assert plain_spaces(out) == (
        "Promesse de 250,00 € pour le 20/11/2026 enregistrée, prise le 10/11/2026 par Léa "
        "(chargée de recouvrement).\n"
    )
    code, out = _run("promesse", "liste", str(case), "--au", "2026-12-02")
    assert code == 0, out
    # Taken 10/11 (for 20/11, then for 30/11), then 25/11.
    who = "Léa (chargée de recouvrement)"
    assert [" ".join(line.split()) for line in plain_spaces(out).splitlines()[2:]] == [
        f"10/11/2026 {who} autre canal 250,00 € 20/11/2026 0,00 € rompue depuis le 21/11/2026",
        f"10/11/2026 {who} autre canal 150,00 € 30/11/2026 0,00 € remplacée par la promesse "
        "du 25/11/2026",
        f"25/11/2026 {who} visite 400,00 € 15/12/2026 0,00 € en cours",
    ]


def test_list_without_promise(tmp_path: Path) -> None:
    case = copy_example(B2B, tmp_path)
    code, out = _run("promesse", "liste", str(case), "--au", "2026-11-24")
    assert code == 0
    assert "Aucune promesse de paiement enregistrée." in out


def test_a_bank_statement_closes_the_promises(tmp_path: Path) -> None:
    files = [str(SAMPLES / n) for n in ("facture-FA-2026-0201.pdf", "facture-FA-2026-0214.xml")]
    files.append(str(SAMPLES / "avoir-AV-2026-0007.xml"))
    code, out = _run(
        "import", "facture", *files, "--nouveau", str(tmp_path), "--date", "2026-06-01"
    )
    assert code == 0, out
    case = tmp_path / "ATELIER-BELLECOUR" / "dossier.yaml"
    # 960.00 promised for 05/04 (paid 02/04 in the camt.053 sample), 1 000.00 for 10/04
    # (paid 15/04: kept late). Before the import the first, unpaid when the second was taken on
    # 03/04, is replaced by it.
    for amount, due, day in (
        ("960", "2026-04-05", "2026-03-25"),
        ("1000", "2026-04-10", "2026-04-03"),
    ):
        code, out = _run(
            *("promesse", "ajouter", str(case), "--montant", amount, "--pour", due),
            *("--le", day, "--canal", "telephone", "--par", "M. Martin"),
        )
        assert code == 0, out

    def statuses() -> list[tuple[str, str | None, bool]]:
        code, out = _run("promesse", "liste", str(case), "--au", "2026-06-01", "--json")
        assert code == 0, out
        return [(p["statut"], p["tenue_le"], p["en_retard"]) for p in json.loads(out)["promesses"]]

    assert statuses() == [("remplacee", None, False), ("rompue", None, False)]
    code, out = _run(
        *("import", "releve", str(SAMPLES / "releve-2026-04.camt053.xml")),
        *("--dossiers", str(tmp_path), "--date", "2026-06-01"),
    )
    assert code == 0, out
    assert statuses() == [("tenue", "2026-04-02", False), ("tenue", "2026-04-15", True)]

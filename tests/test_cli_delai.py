"""``actes delai``: the stable command-line contract."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from actes.cli import main


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["delai", *args])
    return result.exit_code, result.output


def test_json_output_of_the_1st_of_may_example() -> None:
    code, output = _run("2026-04-16", "15j", "--json")
    assert code == 0, output
    data = json.loads(output)
    assert data["date_limite"] == "2026-05-04"
    assert data["date_nominale"] == "2026-05-01"
    assert data["fondement"] == ["CPC art. 640", "CPC art. 641", "CPC art. 642"]
    assert any("Fête du Travail" in step for step in data["trace"])
    assert data["departement"] is None


def test_text_output() -> None:
    code, output = _run("2026-04-16", "15 jours")
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0] == (
        "Le délai de 15 jours courant à compter du jeudi 16 avril 2026 expire le "
        "lundi 4 mai 2026 à 24 heures."
    )
    assert "  - le samedi 2 mai 2026 n'est pas un jour ouvrable" in lines


@pytest.mark.parametrize(
    ("args", "date_limite"),
    [
        # Good Friday 3 Apr 2026 in Moselle, weekend, Easter Monday → Tue 7 Apr.
        (["2026-03-19", "15j", "--departement", "57"], "2026-04-07"),
        (["2026-03-19", "15j", "--departement", "75"], "2026-04-03"),
        # 12 Feb + 1 month (643) + 15 days = Fri 27 Mar 2026.
        (["2026-02-12", "15j", "--distance", "outre-mer"], "2026-03-27"),
        # 12 Feb + 2 months + 15 days = Mon 27 Apr 2026.
        (["2026-02-12", "15j", "--distance", "etranger"], "2026-04-27"),
        # Court in Guadeloupe, person in Martinique: +1 month (644) → 27 Mar.
        (
            [
                "2026-02-12",
                "15j",
                "--departement",
                "971",
                "--distance",
                "outre-mer",
                "--departement-residence",
                "972",
            ],
            "2026-03-27",
        ),
        # Declaration of claims: 2 + 2 months from 15 Mar 2026 → Wed 15 Jul 2026.
        (
            ["2026-03-15", "2m", "--distance", "etranger", "--regle-distance", "r622_24"],
            "2026-07-15",
        ),
        (["2021-05-16", "5 ans", "--calcul", "prescription"], "2026-05-16"),
        # Residence given alone: Polynésie française → outre-mer, +1 month (643).
        (["2026-02-12", "15j", "--departement-residence", "987"], "2026-03-27"),
        # EOP opposition, Reg. 1182/71: 1 Apr + 30 days = Fri 1 May (holiday) → Mon 4 May.
        (["2026-04-01", "30j", "--calcul", "reglement_1182_71"], "2026-05-04"),
    ],
)
def test_options(args: list[str], date_limite: str) -> None:
    code, output = _run(*args, "--json")
    assert code == 0, output
    assert json.loads(output)["date_limite"] == date_limite


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2026-04-16", "15x"], "Durée illisible"),
        (["2026-04-16", "15j", "--departement", "99"], "n'est pas un code de département"),
        (["2026-04-16", "15j", "--departement", "987"], "Polynésie française"),
        (["2026-04-16", "15j", "--departement", "971", "--distance", "outre-mer"], "précisez"),
        (["16/04/2026", "15j"], "AAAA-MM-JJ"),
        (["2026-04-16", "15j", "--distance", "lune"], "lune"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    code, output = _run(*args)
    assert code == 2
    assert message in output


def test_usage_error_as_json() -> None:
    code, output = _run("2026-04-16", "15x", "--json")
    assert code == 2
    data = json.loads(output)
    assert data["erreur"] == "UsageProblem"
    assert "15j" in data["correction"]

"""``actes next``: the readable report and the JSON output."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from actes.cli import main

from .conftest import EXAMPLES, copy_example, load_yaml, write_case


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["next", *args])
    return result.exit_code, result.output


def test_text_report_starts_with_the_recommended_step() -> None:
    # Served 2026-10-20 + 2 months = 2026-12-20, a Sunday: 2026-12-21; passed on 2026-12-22.
    code, output = _run(str(EXAMPLES / "injonction-2026"), "--au", "2026-12-22")
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0] == "Dossier IP-2026-0203 au mardi 22 décembre 2026"
    assert lines[2].startswith("Étape recommandée : injonction_de_payer_tj (v3)")
    assert "  Action : lettre_commissaire_execution" in lines
    assert (
        "  Fondement : CPC art. 1422 (rédaction du décret n° 2026-96); CPCE art. L152-1; "
        "CPCE art. L152-2"
    ) in lines
    command = (
        f"  Commande : actes render injonction_de_payer_tj "
        f"{EXAMPLES / 'injonction-2026' / 'dossier.yaml'} -o out/ --date 2026-12-22"
    )
    assert command in lines
    sections = [
        "Procédures possibles :",
        "Procédures écartées :",
        "Conseils :",
        "Avertissements :",
        "Juridiction :",
    ]
    positions = [lines.index(title) for title in sections]
    assert positions == sorted(positions)
    assert "  Président du tribunal judiciaire de Bordeaux (injonction_de_payer_tj)" in lines


def test_blocked_procedures_show_reason_and_articles() -> None:
    code, output = _run(str(EXAMPLES / "liquidation-judiciaire"), "--au", "2026-11-24")
    assert code == 0, output
    assert "Étape recommandée : declaration_de_creance (v1)" in output
    assert "  - injonction_de_payer_tc v3 [pas_de_procedure_collective]" in output
    assert "      Fondement : C. com. art. L622-21; C. com. art. L641-3" in output
    assert "      Plutôt : declaration_de_creance" in output
    # BODACC 2026-10-24 + 2 months = 2026-12-24.
    assert "  Délai : 2026-12-24 (à venir, J+30)" in output


def test_lapsed_ordonnance_is_a_warning(tmp_path: Path) -> None:
    path = copy_example("injonction-2026", tmp_path)
    data = load_yaml(path)
    data["evenements"] = [e for e in data["evenements"] if e["type"] != "ordonnance_signifiee"]
    write_case(path, data)
    # Ordonnance 2026-10-05 + 3 months = 2027-01-05 (décret 2026-96).
    code, output = _run(str(path), "--au", "2027-01-10")
    assert code == 0, output
    warnings = output.split("Avertissements :", 1)[1].split("Juridiction :", 1)[0]
    assert "dernier jour le mardi 5 janvier 2027" in warnings
    assert "caduque" in warnings
    assert "CPC art. 1411 (rédaction du décret n° 2026-96)" in warnings
    assert "Attention : 1 avertissement(s) ci-dessous." in output


def test_json_output() -> None:
    code, output = _run(str(EXAMPLES / "ipe-debiteur-allemand"), "--au", "2026-11-24", "--json")
    assert code == 0, output
    data = json.loads(output)
    assert data["dossier"] == "EXP-2026-DE-077"
    assert data["au"] == "2026-11-24"
    assert data["recommande"]["procedure"] == "injonction_de_payer_europeenne"
    assert data["recommande"]["regle"] == "suite"
    blocked = {(b["procedure"], b["condition"]): b for b in data["bloquees"]}
    french = blocked[("injonction_de_payer_tc", "debiteur_domicilie_en_france")]
    assert french["fondement"] == ["CPC art. 1406", "Règlement (CE) n° 1896/2006 art. 3"]
    assert french["plutot"] == ["injonction_de_payer_europeenne"]
    assert data["juridiction"]["intitule"] == "Président du tribunal de commerce de Tours"


def test_bad_date_is_a_usage_error() -> None:
    code, output = _run(str(EXAMPLES / "injonction-2026"), "--au", "24/11/2026")
    assert code == 2
    assert "AAAA-MM-JJ" in output

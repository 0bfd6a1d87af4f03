"""Case files: schema, business rules (one valid and one invalid value each), typed model."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from actes.cases.case import case_from_data, issues_of, load_case
from actes.errors import CaseError, InputError

from .conftest import AU, EXAMPLES, copy_example, example_path, load_yaml, write_case

EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "dossier.yaml").is_file())


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_example_is_valid(name: str) -> None:
    case = load_case(example_path(name), au=AU)
    assert case.reference
    assert case.creances


def _b2b() -> dict[str, Any]:
    return load_yaml(example_path("b2b-factures-impayees"))


def _issues(data: dict[str, Any], folder: Path | None = None) -> list[tuple[str, str]]:
    found = issues_of(
        data, file="dossier.yaml", folder=folder or (EXAMPLES / "b2b-factures-impayees"), au=AU
    )
    return [(i.json_path, i.message) for i in found]


# Each rule: (JSON path, a valid value, an invalid value, a word the message must contain).
RULES = [
    ("creancier.siren", "732829320", "732829321", "SIREN"),
    ("creancier.siret", "73282932000017", "73282932000018", "SIRET"),
    ("creancier.iban", "FR1420041010050500013M02606", "FR1420041010050500013M02607", "IBAN"),
    ("creancier.tva_intracommunautaire", "FR44732829320", "FR45732829320", "TVA"),
    ("debiteur.adresse.code_postal", "69100", "6910", "code postal"),
    ("creances.0.devise", "EUR", "EUX", "ISO 4217"),
    ("creances.0.montant", "4320.00", "0", "positif"),
    ("creances.0.montant", "4320.5", "4320.555", "format"),
    ("creances.0.date_echeance", "2026-07-02", "2026-05-01", "précède"),
    ("paiements.0.date", "2026-08-20", "2026-12-01", "après la date de calcul"),
    ("paiements.0.creance", "FA-2026-0117", "FA-9999", "aucune créance"),
    ("creances.0.date_emission", "2026-06-02", "2026-06-31", "date valide"),
    ("pieces.0.fichier", "pieces/facture-FA-2026-0117.pdf", "pieces/absente.pdf", "introuvable"),
    ("pieces.0.fichier", "pieces/facture-FA-2026-0117.pdf", "../../README.md", "sort du dossier"),
    ("debiteur.qualite", "professionnel", "commercant", "non admise"),
    ("reference", "REC-2026-0147", "REC 2026", "format"),
]


def _set(data: dict[str, Any], dotted: str, value: Any) -> str:
    target: Any = data
    parts = dotted.split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last = parts[-1]
    target[int(last) if last.isdigit() else last] = value
    return "$" + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in parts)


@pytest.mark.parametrize(("dotted", "good", "bad", "word"), RULES)
def test_business_rule_accepts_good_and_rejects_bad(
    dotted: str, good: str, bad: str, word: str
) -> None:
    data = _b2b()
    _set(data, dotted, good)
    assert _issues(data) == []
    broken = copy.deepcopy(data)
    path = _set(broken, dotted, bad)
    found = _issues(broken)
    assert found, f"{dotted}={bad!r} should be rejected"
    assert any(p == path and word in m for p, m in found), found


def test_all_problems_are_reported_at_once() -> None:
    data = _b2b()
    data["creancier"]["siren"] = "732829321"
    data["debiteur"]["adresse"]["code_postal"] = "6910"
    data["creances"][0]["montant"] = "-5"
    paths = {p for p, _ in _issues(data)}
    assert {
        "$.creancier.siren",
        "$.debiteur.adresse.code_postal",
        "$.creances[0].montant",
    } <= paths


def test_missing_field_names_its_path() -> None:
    data = _b2b()
    del data["debiteur"]["denomination"]
    assert ("$.debiteur.denomination", "champ obligatoire manquant") in _issues(data)


def test_unknown_field_is_reported_with_allowed_names() -> None:
    data = _b2b()
    data["creances"][0]["montnat"] = "12.00"
    found = issues_of(data, file="d.yaml", folder=EXAMPLES / "b2b-factures-impayees", au=AU)
    assert found[0].json_path == "$.creances[0]"
    assert "montnat" in found[0].message
    assert "montant" in found[0].hint


def test_siret_must_belong_to_siren() -> None:
    data = _b2b()
    data["creancier"]["siret"] = "51234567900017"  # a valid SIRET of another company
    assert any("n'appartient pas" in m for _, m in _issues(data))


def test_foreign_postal_code_is_not_checked_as_french() -> None:
    data = load_yaml(example_path("ipe-debiteur-allemand"))
    assert data["debiteur"]["adresse"]["code_postal"] == "50672"
    data["debiteur"]["adresse"]["code_postal"] = "D-50672"
    assert issues_of(data, folder=EXAMPLES / "ipe-debiteur-allemand", au=AU) == []


def test_typed_model_uses_decimal_and_dates() -> None:
    case = load_case(example_path("b2b-factures-impayees"), au=AU)
    claim = case.creances[0]
    assert claim.montant == Decimal("4320.00")
    assert isinstance(claim.date_echeance, dt.date)
    assert case.principal == Decimal("7020.00")
    assert case.paid == Decimal("1000.00")
    assert case.debiteur.name == "Atelier Bellecour"
    assert case.creancier.name == "Dupont & Fils"
    assert case.pieces[1].numero == 2
    assert len(case.sha256) == 64


def test_person_name_and_foreign_address_lines() -> None:
    consumer = load_case(example_path("surendettement"), au=AU)
    assert consumer.debiteur.name == "M. Julien LEFEBVRE"
    german = load_case(example_path("ipe-debiteur-allemand"), au=AU)
    assert german.debiteur.adresse.lines()[-1] == "ALLEMAGNE"


def test_yaml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "dossier.yaml"
    path.write_text("reference: X\ncreances: [\n  {a: 1\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_case(path, au=AU)
    assert info.value.issues[0].line is not None
    assert info.value.issues[0].column is not None


def test_json_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "dossier.json"
    path.write_text('{"reference": "X",\n  "creances": [}\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_case(path, au=AU)
    assert info.value.issues[0].line == 2


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "dossier.yaml"
    path.write_text("reference: A\nreference: B\n", encoding="utf-8")
    with pytest.raises(InputError, match="YAML"):
        load_case(path, au=AU)


def test_not_utf8_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "dossier.yaml"
    path.write_bytes("reference: Société\n".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        load_case(path, au=AU)


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = copy_example("b2b-factures-impayees", tmp_path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_case(path, au=AU).reference == "REC-2026-0147"


def test_event_order_is_checked(tmp_path: Path) -> None:
    data = load_yaml(example_path("injonction-2026"))
    for event in data["evenements"]:
        if event["type"] == "ordonnance_signifiee":
            event["date"] = "2026-10-01"  # before the ordonnance of 5 October
    path = copy_example("injonction-2026", tmp_path)
    write_case(path, data)
    with pytest.raises(CaseError) as info:
        load_case(path, au=AU)
    assert any("antérieur" in i.message for i in info.value.issues)


def test_case_from_data_without_path() -> None:
    case = case_from_data(_b2b())
    assert case.folder is None
    assert case.event("relance_envoyee") is not None

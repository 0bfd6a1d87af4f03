"""Procedure definitions: every shipped version loads, versions switch on real changes of
law, and a broken definition fails with its file and path."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from actes.cases.schema import load_schema
from actes.errors import DefinitionError, NoVersionInForce, UsageProblem
from actes.law.procedures import load_registry

from .conftest import ROOT

SHIPPED = {
    "relance_amiable",
    "mise_en_demeure_professionnel",
    "mise_en_demeure_consommateur",
    "injonction_de_payer_tj",
    "injonction_de_payer_tc",
    "injonction_de_payer_jcp",
    "injonction_de_payer_europeenne",
    "surendettement_declaration",
    "surendettement_contestation",
    "declaration_de_creance",
    "plan_apurement",
}


def test_every_shipped_procedure_loads() -> None:
    registry = load_registry()
    assert set(registry.ids()) >= SHIPPED
    for procedure in registry:
        for version in procedure.versions:
            assert version.legal_basis
            assert version.title
            for rule in version.deadlines:
                assert rule.legal_basis, f"{version.file}: {rule.id} has no article"


def test_every_template_and_schema_named_by_a_version_exists() -> None:
    for procedure in load_registry():
        for version in procedure.versions:
            for document in version.documents:
                assert (ROOT / "templates" / document.template).is_file(), document.template
            if version.case_schema_path:
                assert version.case_schema is not None


@pytest.mark.parametrize(
    ("ordonnance", "version", "service"),
    [
        (dt.date(2022, 2, 28), 1, "6 mois"),
        (dt.date(2022, 3, 1), 2, "6 mois"),
        (dt.date(2026, 8, 31), 2, "6 mois"),
        (dt.date(2026, 9, 1), 3, "3 mois"),
    ],
)
def test_injonction_de_payer_regime_switches_on_the_ordonnance_date(
    ordonnance: dt.date, version: int, service: str
) -> None:
    for procedure_id in (
        "injonction_de_payer_tj",
        "injonction_de_payer_tc",
        "injonction_de_payer_jcp",
    ):
        chosen = load_registry().get(procedure_id).at(ordonnance)
        assert chosen.version == version
        assert chosen.deadline("signification_ordonnance").duration == service


def test_mise_en_demeure_switches_from_l441_6_to_l441_10() -> None:
    procedure = load_registry().get("mise_en_demeure_professionnel")
    before = procedure.at(dt.date(2019, 4, 25))
    after = procedure.at(dt.date(2019, 4, 26))
    assert "L441-6" in before.mentions["penalites"]
    assert "L441-10" in after.mentions["penalites"]


def test_no_version_in_force_names_the_covered_dates() -> None:
    with pytest.raises(NoVersionInForce, match="2019-12-31") as info:
        load_registry().get("injonction_de_payer_tj").at(dt.date(2019, 12, 31))
    assert "2020-01-01" in (info.value.hint or "")


def test_unknown_procedure_lists_the_known_ones() -> None:
    with pytest.raises(UsageProblem) as info:
        load_registry().get("saisie_immobiliere")
    assert "mise_en_demeure_consommateur" in info.value.hint


def _copy_data(tmp_path: Path) -> Path:
    for name in ("procedures", "schemas"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path / "procedures"


def test_broken_definition_names_file_and_path(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    file = root / "relance_amiable" / "2016-10-01.yaml"
    file.write_text(
        file.read_text(encoding="utf-8").replace(
            "    duration: 8 jours", "    duration: huit jours"
        ),
        encoding="utf-8",
    )
    text = file.read_text(encoding="utf-8").replace(
        "title: Relance amiable (premier", "titre: Relance amiable (premier"
    )
    file.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_registry(root)
    assert str(file) in info.value.message
    assert any(i.json_path == "$" and "titre" in i.message for i in info.value.issues)


def test_overlapping_versions_are_refused(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    # The file in force: its revision r2 supersedes the original (docs/procedures.md).
    file = root / "injonction_de_payer_tc" / "2022-03-01.r3.yaml"
    file.write_text(
        file.read_text(encoding="utf-8").replace(
            "valid_until: 2026-08-31", "valid_until: 2026-09-15"
        ),
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError, match="chevauche"):
        load_registry(root)


def test_unknown_link_is_refused(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    # The file in force: a revision supersedes the original (docs/procedures.md).
    file = root / "relance_amiable" / "2016-10-01.r2.yaml"
    file.write_text(
        file.read_text(encoding="utf-8").replace(
            "  - procedure: plan_apurement", "  - procedure: plan_inexistant"
        ),
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError, match="plan_inexistant"):
        load_registry(root)


def test_yaml_error_in_definition_gives_line(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    file = root / "plan_apurement" / "2016-10-01.yaml"
    file.write_text("version: 1\ntitle: [oops\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_registry(root)
    assert info.value.issues[0].line is not None


def test_meta_schemas_are_valid_json_schemas() -> None:
    for name in ("procedure.schema.json", "procedure-index.schema.json", "case.schema.json"):
        assert load_schema(name)["$schema"].endswith("2020-12/schema")


def test_released_versions_are_unchanged() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "release", ROOT / "tools" / "release_procedures.py"
    )
    assert spec is not None and spec.loader is not None
    release = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(release)
    locked = release.read_lock()
    assert locked, "procedures/RELEASED.sha256 is missing"
    for name, digest in locked.items():
        path = ROOT / "procedures" / name
        assert path.is_file(), f"released version {name} was deleted"
        assert release.fingerprint(path) == digest, (
            f"{name} is a released version and was edited: add a new version file instead "
            "(see docs/procedures.md)"
        )


def test_a_revision_corrects_a_released_version_without_editing_it(tmp_path: Path) -> None:
    # A version released without any revision (saisie_attribution of 2012).
    root = _copy_data(tmp_path)
    original = root / "saisie_attribution" / "2012-06-01.yaml"
    before = original.read_bytes()
    text = original.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    text = text.replace(
        "version: 1\n", "version: 1\nrevision: 2\ncorrige:\n  - titre corrigé\n", 1
    ).replace(title, "title: Saisie-attribution (titre corrigé)")
    (root / "saisie_attribution" / "2012-06-01.r2.yaml").write_text(text, encoding="utf-8")
    version = load_registry(root).get("saisie_attribution").at(dt.date(2021, 6, 1))
    assert version.revision == 2
    assert version.corrections == ("titre corrigé",)
    assert version.title == "Saisie-attribution (titre corrigé)"
    assert version.superseded == (original,)
    assert original.read_bytes() == before


def test_a_revision_must_be_named_and_numbered_in_sequence(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    original = root / "saisie_attribution" / "2012-06-01.yaml"
    text = original.read_text(encoding="utf-8").replace(
        "version: 1\n", "version: 1\nrevision: 3\ncorrige: [saut de révision]\n", 1
    )
    # No revision yet: a file numbered 3 leaves r2 missing.
    (root / "saisie_attribution" / "2012-06-01.r3.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError, match="incomplètes"):
        load_registry(root)
    (root / "saisie_attribution" / "2012-06-01.r3.yaml").rename(
        root / "saisie_attribution" / "2012-06-01.r2.yaml"
    )
    with pytest.raises(DefinitionError, match=r"2012-06-01\.r3\.yaml"):
        load_registry(root)


@pytest.mark.parametrize(
    ("procedure", "day"),
    [
        ("injonction_de_payer_tj", dt.date(2025, 6, 1)),
        ("injonction_de_payer_tc", dt.date(2025, 6, 1)),
        ("injonction_de_payer_jcp", dt.date(2025, 6, 1)),
        ("injonction_de_payer_tj", dt.date(2026, 12, 1)),
        ("injonction_de_payer_tc", dt.date(2026, 12, 1)),
        ("injonction_de_payer_jcp", dt.date(2026, 12, 1)),
        ("mise_en_demeure_professionnel", dt.date(2026, 12, 1)),
        ("mise_en_demeure_consommateur", dt.date(2026, 12, 1)),
        ("relance_amiable", dt.date(2026, 12, 1)),
    ],
)
def test_no_claim_for_the_whole_balance_while_a_plan_runs(procedure: str, day: dt.date) -> None:
    """CPC 1405, C. civ. 1305-3: every version a requête or a letter may still be rendered
    under refuses the whole balance while a signed plan runs (revisions r2)."""
    version = load_registry().get(procedure).at(day)
    assert "pas_de_plan_en_cours" in {p.id for p in version.preconditions}

"""Schema validation: the compiled fast path never disagrees with jsonschema."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actes._io import load_document
from actes.cases import schema
from actes.law.procedures import load_registry

from .conftest import EXAMPLES

jsonschema_rs = pytest.importorskip("jsonschema_rs", reason="jsonschema-rs is not installed")

EXAMPLE_DATA = {
    path.parent.name: load_document(path) for path in sorted(EXAMPLES.glob("*/dossier.yaml"))
}
SCHEMAS = [schema.effective_schema(None)] + [
    schema.effective_schema(version.case_schema)
    for procedure in load_registry()
    for version in procedure.versions
    if version.case_schema is not None
]

json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(
        [
            "2026-02-30",
            "2026-13-01",
            "2026-1-1",
            "20260101",
            "2026-11-24",
            "2026-11-24\n",
            "a@b",
            "pas-un-courriel",
            "123456789",
            "1234567890",
            "12345678901234",
            "0",
            "-1.00",
            "1234.567",
            "FR",
            "fr",
            "EUR",
            "",
            " ",
        ]
    )
)
json_values = st.recursive(
    json_leaves,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


@st.composite
def mutated_cases(draw: st.DrawFn) -> Any:
    """An example case with one to three values replaced, removed or added anywhere."""
    data = copy.deepcopy(draw(st.sampled_from(sorted(EXAMPLE_DATA.items())))[1])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        if not path:
            continue
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(json_values)
        elif action == "remove":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
        else:
            parent.append(draw(json_values))
    return data


@pytest.mark.parametrize("name", sorted(EXAMPLE_DATA))
def test_examples_pass_both_validators(name: str) -> None:
    for combined in SCHEMAS:
        fast = schema._fast_validator(combined)
        assert fast is not None
        full = schema._full_issues(EXAMPLE_DATA[name], combined, "")
        assert fast.is_valid(EXAMPLE_DATA[name]) == (not full)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_cases(), which=st.integers(0, len(SCHEMAS) - 1))
def test_fast_path_gives_the_same_issues_as_jsonschema(data: Any, which: int) -> None:
    combined = SCHEMAS[which]
    assert schema.schema_issues(data, combined) == schema._full_issues(data, combined, "")


def test_fast_path_reads_the_same_dates() -> None:
    # jsonschema's date check (ISO 8601 calendar date, really existing) is the one used.
    data = copy.deepcopy(EXAMPLE_DATA["b2b-factures-impayees"])
    data["creances"][0]["date_emission"] = "2026-02-30"
    issues = schema.schema_issues(data, schema.effective_schema(None))
    assert [i.json_path for i in issues] == ["$.creances[0].date_emission"]
    assert "n'est pas une date valide" in issues[0].message


def test_values_json_cannot_hold_go_to_jsonschema() -> None:
    import datetime as dt

    data = copy.deepcopy(EXAMPLE_DATA["b2b-factures-impayees"])
    data["creances"][0]["date_emission"] = dt.date(2026, 3, 2)  # what yaml.safe_load gives
    issues = schema.schema_issues(data, schema.effective_schema(None))
    assert issues == schema._full_issues(data, schema.effective_schema(None), "")
    assert [i.json_path for i in issues] == ["$.creances[0].date_emission"]


def test_fast_path_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTES_SCHEMA_FAST", "0")
    monkeypatch.setattr(schema, "_VALIDATORS", {})
    assert schema._fast_validator(schema.effective_schema(None)) is None
    assert (
        schema.schema_issues(EXAMPLE_DATA["surendettement"], schema.effective_schema(None)) == []
    )

"""Case files written back by the web page: the data exactly, the person's text where kept."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from actes._io import load_document, parse_document
from actes.web.casefile import dump_case, identical

from .conftest import EXAMPLES

FILES = sorted(EXAMPLES.glob("*/dossier.yaml"))
values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=15)
    | st.sampled_from(["2026-11-24", "1200.00", "69002", "yes", "null", "# pas un commentaire"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=5,
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_unchanged_data_gives_the_same_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert dump_case(load_document(path), path, text) == text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(FILES),
    key=st.sampled_from(["objet", "reference", "debiteur", "creances", "nouvelle_cle", "pieces"]),
    value=values,
    drop=st.booleans(),
)
# YAML 1.1 reads U+0085, U+2028 and U+2029 as line breaks: found by this test on some runs
# only, hence pinned (with the types a loose == would confuse).
@example(path=FILES[0], key="objet", value="a\x85b", drop=False)
@example(path=FILES[0], key="objet", value={"\x85": None}, drop=False)
@example(path=FILES[0], key="nouvelle_cle", value=["\u2028", "\u2029 "], drop=False)
@example(path=FILES[0], key="objet", value=[1, 1.0, True, -0.0], drop=False)
def test_written_text_reads_back_as_the_data(path: Path, key: str, value: Any, drop: bool) -> None:
    text = path.read_text(encoding="utf-8")
    data = copy.deepcopy(load_document(path))
    if drop:
        data.pop(key, None)
    else:
        data[key] = value
    written = dump_case(data, path, text)
    assert identical(parse_document(written, str(path)), data)


def test_comment_of_a_removed_block_goes_with_it(tmp_path: Path) -> None:
    previous = "# en-tête\na: 1  # garde\nb:\n  c: 2  # part\nd: '2026-01-01'\n"
    written = dump_case({"a": 1, "d": "2026-01-02"}, tmp_path / "x.yaml", previous)
    assert written == "# en-tête\na: 1  # garde\nd: '2026-01-02'\n"


def test_json_stays_json(tmp_path: Path) -> None:
    assert dump_case({"a": "é"}, tmp_path / "x.json", '{"a": 1}') == '{\n  "a": "é"\n}\n'


def test_unreadable_previous_text_falls_back_to_a_fresh_file(tmp_path: Path) -> None:
    written = dump_case({"a": "2026-01-01"}, tmp_path / "x.yaml", "a: [unclosed\n")
    assert parse_document(written, "x.yaml") == {"a": "2026-01-01"}

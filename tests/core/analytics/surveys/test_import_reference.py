"""The import benchmark's pandas reference makes the same rows as the import, and refuses what
the import refuses (a value off the scale), on a small vendor file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.harness import assert_same
from bench.reference.survey_import import import_answers
from bench.surveys import KEY_BYTES, _imported_canonical
from likvard_core.analytics.surveys.registry import definition_get
from likvard_core.ingest import ingest_file

HEAD = "enkät;respondent;läsår;skolenhetskod;årskurs;kön;V1;V2;V3;V4;V5;V6"
UNITS = frozenset({"11111111", "22222222"})


def _file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "vardnadshavare.csv"
    path.write_text("\n".join([HEAD, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_reference_makes_the_imports_rows(tmp_path: Path):
    version = definition_get("gr-vh/2025")
    assert version is not None
    path = _file(
        tmp_path,
        [
            "gr-vh/2025;a1;2024/25;11111111;2;;4;3;;9;1;2",
            "gr-vh/2025;a2;2024/25;22222222;;f;1;1;1;1;1;1",
            "gr-vh/2025;a3;2024/25;22222222;8;M;;;;;;4",
        ],
    )
    result = ingest_file(path, "survey_answers", pseudonym_key=KEY_BYTES, known_school_units=UNITS)
    assert not result.issues
    product = _imported_canonical(result.tables["survey_answers"])
    reference = _imported_canonical(import_answers(path, version, UNITS))
    assert len(product) == 18
    assert_same(product, reference, "pandas reference")


def test_the_reference_refuses_a_value_off_the_scale(tmp_path: Path):
    version = definition_get("gr-vh/2025")
    assert version is not None
    path = _file(tmp_path, ["gr-vh/2025;a1;2024/25;11111111;2;;5;3;;9;1;2"])
    result = ingest_file(path, "survey_answers", pseudonym_key=KEY_BYTES, known_school_units=UNITS)
    assert [i.code for i in result.issues] == ["out_of_range"]
    with pytest.raises(ValueError, match="off the scale"):
        import_answers(path, version, UNITS)

"""The diplomas import kind: a valid file imports; a bad one is refused whole."""

from __future__ import annotations

import pytest

from likvard_core.ingest import ingest_file
from likvard_core.warehouse.schema import DIPLOMAS
from tests.core.ingest.synthetic import personnummer

HEADER = "personnummer;läsår;skolenhetskod;program;bevis"
KEY = b"test-pseudonym-key-0123456789abcdef"


def _write(tmp_path, rows):
    path = tmp_path / "examen.csv"
    path.write_text("\n".join([HEADER, *(";".join(r) for r in rows)]) + "\n", encoding="utf-8")
    return path


def test_diplomas_import(tmp_path):
    rows = [
        [personnummer(1), "2024/25", "55529681", "NA", "Högskoleförberedande examen"],
        [personnummer(2), "2025", "55529681", "EE", "yrkesexamen"],
        [personnummer(3), "2024/25", "62764006", "BA", "Studiebevis"],
    ]
    result = ingest_file(_write(tmp_path, rows), "diplomas", pseudonym_key=KEY, batch_id="b")
    assert result.issues == []
    table = result.tables["diplomas"]
    assert table.schema.equals(DIPLOMAS.schema)
    assert table["certificate"].to_pylist() == [
        "preparatory_diploma",
        "vocational_diploma",
        "study_certificate",
    ]
    assert table["school_year"].to_pylist() == [2025, 2025, 2025]


@pytest.mark.parametrize(
    ("cell", "column", "code"),
    [
        (3, "bevis", "invalid_choice"),
        (1, "läsår", "invalid_school_year"),
        (2, "skolenhetskod", None),
    ],
)
def test_a_bad_cell_refuses_the_whole_file(tmp_path, cell, column, code):
    rows = [[personnummer(i), "2024/25", "55529681", "NA", "examen"] for i in range(4)]
    rows[2][cell if cell != 3 else 4] = {3: "godkänd", 1: "förra året", 2: "123"}[cell]
    result = ingest_file(_write(tmp_path, rows), "diplomas", pseudonym_key=KEY, batch_id="b")
    assert [(i.row, i.column) for i in result.issues] == [(4, column)]
    if code:
        assert result.issues[0].code == code
    assert result.tables == {} or all(t.num_rows == 0 for t in result.tables.values())
    assert result.issues[0].format_cli().startswith(f"examen.csv:4:{column}")

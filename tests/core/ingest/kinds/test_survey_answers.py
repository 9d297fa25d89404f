"""Vendor survey files: validated against the definition, all or nothing."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pyarrow.compute as pc
import pytest

from likvard_core.analytics.surveys.registry import definition_get
from likvard_core.ingest.pipeline import ingest_file

KEY = b"k" * 32
HEAD_2025 = "enkät;respondent;läsår;skolenhetskod;årskurs;kön;F1;F2;F3;F4;F5;F6;F7;F8;F10;F9;B1"
HEAD_2024 = "enkät;respondent;läsår;skolenhetskod;årskurs;kön;F1;F2;F3;F4;F5;F6;F7;F8;F9;K1;B1"


def _write(tmp_path: Path, head: str, rows: list[str], name: str = "svar.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return path


ROWS_2025 = [
    "gr-elev/2025;a1;2024/25;65390344;5;F;4;1;3;3;4;4;3;2;4;4;1",
    "gr-elev/2025;a2;2024/25;65390344;5;M;2;9;1;1;;3;3;3;3;3;2",
]


def test_a_good_file_imports_one_row_per_respondent_and_question(tmp_path):
    result = ingest_file(
        _write(tmp_path, HEAD_2025, ROWS_2025), "survey_answers", pseudonym_key=KEY
    )
    assert result.ok, [i.format_cli() for i in result.issues]
    table = result.tables["survey_answers"]
    version = definition_get("gr-elev/2025")
    assert version is not None
    assert table.num_rows == 2 * 11
    assert set(table.column("version").to_pylist()) == {"2025"}
    assert table.column("gender").to_pylist()[:1] == ["F"]
    values = table.filter(pc.equal(table.column("question_code"), "F5")).column("value").to_pylist()
    assert values == [4, None]  # blank: not answered
    assert "a1" not in set(table.column("respondent_key").to_pylist())


def test_the_wrong_version_names_the_first_column_that_differs(tmp_path):
    # A 2024 questionnaire's answers delivered as the 2025 survey (the 2023 guardian incident).
    rows = ["gr-elev/2025;a1;2024/25;65390344;5;F;4;1;3;3;4;4;3;2;4;3;1"]
    result = ingest_file(_write(tmp_path, HEAD_2024, rows), "survey_answers", pseudonym_key=KEY)
    assert not result.tables
    [issue] = result.issues
    assert issue.code == "survey_mismatch"
    assert issue.column == "F9"  # 2025 has F10 where the 2024 file has F9
    assert issue.format_cli().startswith("svar.csv:1:F9: ")
    assert "F10 of gr-elev/2025" in issue.message_en


def test_a_value_outside_the_scale_names_file_row_and_column(tmp_path):
    rows = [*ROWS_2025]
    rows[1] = rows[1].replace(";1;;3;", ";4;;3;")  # F4 is a three-point smiley question in 2025
    result = ingest_file(_write(tmp_path, HEAD_2025, rows), "survey_answers", pseudonym_key=KEY)
    assert not result.tables
    [issue] = result.issues
    assert issue.format_cli().startswith("svar.csv:3:F4: value out of range, expected 1, 2, 3")


def test_an_unknown_survey_and_a_duplicate_respondent_are_refused(tmp_path):
    unknown = [r.replace("gr-elev/2025", "gr-vh/2023") for r in ROWS_2025]
    result = ingest_file(_write(tmp_path, HEAD_2025, unknown), "survey_answers", pseudonym_key=KEY)
    assert [i.code for i in result.issues] == ["unknown_survey"]
    twice = [ROWS_2025[0], ROWS_2025[0]]
    result = ingest_file(_write(tmp_path, HEAD_2025, twice), "survey_answers", pseudonym_key=KEY)
    assert [(i.row, i.column, i.code) for i in result.issues] == [
        (3, "respondent", "duplicate_key")
    ]


def test_xlsx_reads_like_csv(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEAD_2025.split(";"))
    for row in ROWS_2025:
        sheet.append([int(c) if c.isdigit() and len(c) < 3 else c for c in row.split(";")])
    path = tmp_path / "svar.xlsx"
    book.save(path)
    result = ingest_file(path, "survey_answers", pseudonym_key=KEY)
    assert result.ok, [i.format_cli() for i in result.issues]
    csv = ingest_file(_write(tmp_path, HEAD_2025, ROWS_2025), "survey_answers", pseudonym_key=KEY)
    assert (
        result.tables["survey_answers"]
        .drop(["batch_id"])
        .equals(csv.tables["survey_answers"].drop(["batch_id"]))
    )


@pytest.mark.parametrize("column", ["F1", "F9"])
def test_a_missing_question_is_refused(tmp_path, column):
    names = HEAD_2025.split(";")
    at = names.index(column)
    head = ";".join(n for i, n in enumerate(names) if i != at)
    rows = [";".join(c for i, c in enumerate(r.split(";")) if i != at) for r in ROWS_2025]
    result = ingest_file(_write(tmp_path, head, rows), "survey_answers", pseudonym_key=KEY)
    assert not result.tables
    assert result.issues[0].code in {"survey_mismatch", "missing_column"}

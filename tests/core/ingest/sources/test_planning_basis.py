"""The planning basis file: read with the ingest readers, validated all or nothing."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from likvard_core.ingest.sources.planning_basis import read_planning_basis

GOOD = "programkod;år;mått;värde\nEE;2027;bedömning;1\nNA;2027;platser;120\nVO;2028;behov;35,5\n"


def test_a_valid_csv_is_read_whole(tmp_path: Path):
    path = tmp_path / "u.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = read_planning_basis(path, file_name="underlag.csv")
    assert result.valid
    assert not result.issues
    assert result.table is not None
    assert result.table.to_pylist() == [
        {"programme_code": "EE", "year": 2027, "measure": "assessment", "value": 1.0},
        {"programme_code": "NA", "year": 2027, "measure": "places", "value": 120.0},
        {"programme_code": "VO", "year": 2028, "measure": "labour_market_need", "value": 35.5},
    ]


def test_an_xlsx_sheet_reads_the_same(tmp_path: Path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Underlag"
    sheet.append(["Planeringsunderlag Västra Götaland"])
    sheet.append([])
    for line in GOOD.strip().split("\n"):
        sheet.append([float(c.replace(",", ".")) if c[0].isdigit() else c for c in line.split(";")])
    path = tmp_path / "u.xlsx"
    workbook.save(path)
    result = read_planning_basis(path, file_name="underlag.xlsx")
    assert result.valid, [i.format_cli() for i in result.issues]
    assert result.table is not None
    assert result.table.num_rows == 3


def test_bad_cells_are_named_by_file_row_and_column(tmp_path: Path):
    path = tmp_path / "u.csv"
    path.write_text(GOOD + "E E;20x7;gissning;\n", encoding="utf-8")
    result = read_planning_basis(path, file_name="underlag.csv")
    assert result.table is None
    assert [i.format_cli().split(": ")[0] for i in result.issues] == [
        "underlag.csv:5:programkod",
        "underlag.csv:5:år",
        "underlag.csv:5:mått",
        "underlag.csv:5:värde",
    ]


def test_table_checks_duplicates_and_assessment_range(tmp_path: Path):
    path = tmp_path / "u.csv"
    path.write_text(GOOD + "EE;2027;bedömning;1\nBA;2027;bedömning;2\n", encoding="utf-8")
    result = read_planning_basis(path, file_name="underlag.csv")
    assert result.table is None
    found = {(i.row, i.column, i.code) for i in result.issues}
    assert found == {(5, "", "duplicate_key"), (6, "värde", "out_of_range")}


def test_missing_column_and_empty_file(tmp_path: Path):
    path = tmp_path / "u.csv"
    path.write_text("programkod;år;mått\nEE;2027;platser\n", encoding="utf-8")
    result = read_planning_basis(path, file_name="underlag.csv")
    assert [(i.row, i.code, i.expected) for i in result.issues] == [(1, "missing_column", "värde")]
    path.write_bytes(b"")
    empty = read_planning_basis(path, file_name="underlag.csv")
    assert [i.code for i in empty.issues] == ["file_empty"]


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(junk=st.text(max_size=12))
def test_a_mutated_value_is_an_issue_or_a_number(tmp_path: Path, junk: str):
    """Any text in the value cell gives a clear issue or a valid read, never a traceback."""
    cell = junk.replace(";", "").replace("\n", "").replace("\r", "").replace('"', "")
    path = tmp_path / "u.csv"
    path.write_text(f"programkod;år;mått;värde\nNA;2027;platser;{cell}\n", encoding="utf-8")
    result = read_planning_basis(path, file_name="underlag.csv")
    assert result.valid != bool(result.issues)
    if result.issues:
        assert all(i.file == "underlag.csv" for i in result.issues)

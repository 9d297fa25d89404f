"""The incidents import kind: a valid file imports; a bad one is refused whole."""

from __future__ import annotations

import datetime as dt

import pytest

from likvard_core.ingest import ingest_file
from likvard_core.warehouse.schema import INCIDENTS

HEADER = "skolenhetskod;ärendenummer;anmäld;typ;utredd;åtgärdad;avslutad"
KEY = b"test-pseudonym-key-0123456789abcdef"


def _write(tmp_path, rows, header=HEADER):
    path = tmp_path / "krankningar.csv"
    path.write_text("\n".join([header, *(";".join(r) for r in rows)]) + "\n", encoding="utf-8")
    return path


def _good():
    return [
        ["55529681", "DF-2024-1", "2024-09-02", "Elev mot elev", "2024-09-04", "20240920", ""],
        ["55529681", "DF-2024-2", "2024-10-02 08:15", "diskriminering", "", "", ""],
        ["62764006", "7", "2025-01-10", "personal mot elev", "2025-01-10", "", "2025-02-01"],
    ]


def test_incidents_import(tmp_path):
    result = ingest_file(_write(tmp_path, _good()), "incidents", pseudonym_key=KEY, batch_id="b")
    assert result.issues == []
    table = result.tables["incidents"]
    assert table.schema.equals(INCIDENTS.schema)
    assert table["incident_kind"].to_pylist() == [
        "student_to_student",
        "discrimination",
        "staff_to_student",
    ]
    assert table["measures_on"].to_pylist() == [dt.date(2024, 9, 20), None, None]
    assert table["reported_on"][1].as_py() == dt.date(2024, 10, 2)


def test_optional_dates_may_be_left_out(tmp_path):
    rows = [r[:4] for r in _good()]
    path = _write(tmp_path, rows, header="skolenhetskod;ärendenummer;anmäld;typ")
    result = ingest_file(path, "incidents", pseudonym_key=KEY, batch_id="b")
    assert result.issues == []
    assert result.tables["incidents"]["closed_on"].null_count == 3


@pytest.mark.parametrize(
    ("cell", "value", "column", "code"),
    [
        (2, "2024-13-02", "anmäld", "invalid_date"),
        (2, "", "anmäld", "required_value"),
        (3, "slagsmål", "typ", "invalid_choice"),
        (4, "2024-08-01", "utredd", "inconsistent_values"),  # before the report
        (1, "DF-2024-1", "", "duplicate_key"),  # the case of row 2 again: the whole row
        (0, "123", "skolenhetskod", None),
    ],
)
def test_a_bad_cell_refuses_the_whole_file(tmp_path, cell, value, column, code):
    rows = _good()
    rows[1][cell] = value
    result = ingest_file(_write(tmp_path, rows), "incidents", pseudonym_key=KEY, batch_id="b")
    assert [(i.row, i.column) for i in result.issues] == [(3, column)]
    if code:
        assert result.issues[0].code == code
    assert result.tables == {} or all(t.num_rows == 0 for t in result.tables.values())
    assert result.issues[0].format_cli().startswith(f"krankningar.csv:3:{column}")

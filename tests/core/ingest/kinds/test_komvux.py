"""Komvux import kinds: valid files import; bad files name FILE:ROW:COLUMN and import nothing."""

from __future__ import annotations

import datetime

import pytest

from likvard_core.ingest import ingest_file
from likvard_core.warehouse.schema import KOMVUX_FOLLOWUP, KOMVUX_STARTS
from tests.core.ingest import komvux_samples


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_starts_import_every_column(tmp_path, key):
    path = _write(tmp_path, "starter.csv", komvux_samples.starts_file(3))
    result = ingest_file(path, "komvux_starts", pseudonym_key=key, batch_id="b")
    assert result.issues == []
    table = result.tables["komvux_starts"]
    assert table.schema.equals(KOMVUX_STARTS.schema)
    row = table.to_pylist()[1]
    assert row["start_date"] == datetime.date(2024, 8, 19)
    assert row["provider_type"] == "contracted"
    assert row["provision"] == "regional"
    assert row["study_type"] == "programme"
    assert (row["places"], row["applicants"], row["first_hand"], row["eligible"]) == (
        20,
        31,
        21,
        26,
    )
    assert (row["enrolled"], row["completed"], row["interrupted"]) == (19, 15, 3)


def test_followup_imports(tmp_path, key):
    path = _write(tmp_path, "uppfoljning.csv", komvux_samples.followup_file(4))
    result = ingest_file(path, "komvux_followup", pseudonym_key=key, batch_id="b")
    assert result.issues == []
    assert result.tables["komvux_followup"].schema.equals(KOMVUX_FOLLOWUP.schema)
    assert result.tables["komvux_followup"].num_rows == 4


def test_optional_counts_may_be_missing(tmp_path, key):
    text = (
        "kommun;kurstillfälle;startdatum;kurskod;kursnamn;typ;anordnare;anordnartyp;"
        "kommunal eller regional;platser;sökande\n"
        "1384;A1;20250113;SVASVA1;Svenska som andraspråk 1;kurs;Lärcentrum;egen regi;kommunal;"
        "25;12\n"
    )
    result = ingest_file(_write(tmp_path, "a.csv", text), "komvux_starts", pseudonym_key=key)
    assert result.issues == []
    row = result.tables["komvux_starts"].to_pylist()[0]
    assert row["enrolled"] is None
    assert row["first_hand"] is None


@pytest.mark.parametrize(
    ("bad", "column", "code"),
    [
        ("1384;X;2024-13-01;K;Kurs;kurs;A;egen regi;kommunal;20;5", "startdatum", "invalid_date"),
        ("1384;X;2024-08-19;K;Kurs;kurs;A;privat;kommunal;20;5", "anordnartyp", "invalid_choice"),
        ("1384;X;2024-08-19;K;Kurs;kurs;A;egen regi;kommunal;-3;5", "platser", "out_of_range"),
        ("1384;X;2024-08-19;K;Kurs;kurs;A;egen regi;nationell;20;5", "kommunal eller regional",
         "invalid_choice"),
        ("84;X;2024-08-19;K;Kurs;kurs;A;egen regi;kommunal;20;5", "kommun", "invalid_code"),
    ],
)  # fmt: skip
def test_bad_cell_names_file_row_and_column(tmp_path, key, bad, column, code):
    header = (
        "kommun;kurstillfälle;startdatum;kurskod;kursnamn;typ;anordnare;anordnartyp;"
        "kommunal eller regional;platser;sökande"
    )
    good = "1384;OK;2024-08-19;K;Kurs;kurs;A;egen regi;kommunal;20;5"
    path = _write(tmp_path, "bad.csv", f"{header}\n{good}\n{bad}\n")
    result = ingest_file(path, "komvux_starts", pseudonym_key=key)
    assert result.tables == {}  # all or nothing: the good row is not imported either
    assert [(i.row, i.column, i.code) for i in result.issues] == [(3, column, code)]
    assert result.issues[0].format_cli().startswith(f"bad.csv:3:{column}:")


def test_inconsistent_counts_are_refused(tmp_path, key):
    extra = (
        "1384;Z1;2024-08-19;K;Kurs;kurs;A;egen regi;kommunal;20;10;12;;;;;;",
        "1384;Z2;2024-08-19;K;Kurs;kurs;A;egen regi;kommunal;20;10;;;;2024-09-01;8;6;4",
        "1384;Z3;2024-08-19;K;Kurs;kurs;A;egen regi;kommunal;20;10;;;;2024-08-01;8;;",
    )
    path = _write(tmp_path, "s.csv", komvux_samples.starts_file(2, extra))
    result = ingest_file(path, "komvux_starts", pseudonym_key=key)
    assert result.tables == {}
    found = [(i.row, i.column, i.code) for i in result.issues]
    assert found == [
        (4, "förstahandssökande", "inconsistent_values"),
        (5, "avbrutit", "inconsistent_values"),
        (6, "kontrolldatum", "inconsistent_values"),
    ]


def test_duplicate_start_is_refused(tmp_path, key):
    path = _write(tmp_path, "d.csv", komvux_samples.starts_file(3, (komvux_samples.starts_row(1),)))
    result = ingest_file(path, "komvux_starts", pseudonym_key=key)
    assert result.tables == {}
    assert {i.code for i in result.issues} == {"duplicate_key"}
    assert 5 in {i.row for i in result.issues}


def test_followup_more_outcomes_than_followed_up(tmp_path, key):
    path = _write(tmp_path, "f.csv", komvux_samples.followup_file(2, ("1384;KB-009;6;5;4;3",)))
    result = ingest_file(path, "komvux_followup", pseudonym_key=key)
    assert result.tables == {}
    assert [(i.row, i.column, i.code) for i in result.issues] == [
        (4, "i studier", "inconsistent_values")
    ]


def test_missing_required_column(tmp_path, key):
    text = "kommun;kurstillfälle;startdatum;kurskod;kursnamn\n1384;A;2024-08-19;K;Kurs\n"
    result = ingest_file(_write(tmp_path, "m.csv", text), "komvux_starts", pseudonym_key=key)
    assert result.tables == {}
    assert {i.code for i in result.issues} == {"missing_column"}

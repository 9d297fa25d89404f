"""The column-at-a-time engine: vectorised personnummer, Parquet files, row numbers, order."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from likvard_core.ingest import ingest_file
from likvard_core.ingest.pseudonymisation.pseudonymise import Pseudonymiser, student_key
from likvard_core.ingest.validation.personnummer import (
    PersonnummerError,
    luhn_check_digit,
    normalise_personnummer,
    normalise_personnummer_array,
)
from tests.core.ingest import synthetic

_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=14)


@st.composite
def personnummer_texts(draw):
    """Texts near the accepted shapes: real dates, +60 days, wrong digits, odd separators."""
    year = draw(st.integers(1830, 2040))
    month = draw(st.integers(0, 13))
    day = draw(st.integers(0, 92))
    serial = draw(st.integers(0, 999))
    nine = f"{year % 100:02d}{month:02d}{day:02d}{serial:03d}"
    check = luhn_check_digit(nine) if draw(st.booleans()) else str(draw(st.integers(0, 9)))
    century = f"{year // 100:02d}" if draw(st.booleans()) else ""
    separator = draw(st.sampled_from(["", "-", "+", " ", "x"]))
    text = f"{century}{nine[:6]}{separator}{nine[6:]}{check}"
    return draw(st.sampled_from([text, f" {text}", text[:-1], draw(_DIGITS)]))


@settings(max_examples=300, deadline=None)
@given(st.lists(personnummer_texts(), min_size=1, max_size=40), st.integers(2000, 2100))
def test_vectorised_normalisation_agrees_with_the_scalar_one(texts, year):
    normalised, accepted = normalise_personnummer_array(pa.array(texts), reference_year=year)
    for text, value, ok in zip(texts, normalised.to_pylist(), accepted, strict=True):
        try:
            expected = normalise_personnummer(text, reference_year=year)
        except PersonnummerError:
            expected = None
        if ok:
            assert value == expected, text
        else:
            assert value is None
            # only padded text is left to the scalar path while valid
            assert expected is None or text != text.strip(), text


@pytest.mark.parametrize("key", [b"k" * 16, b"k" * 64, b"k" * 65, "nyckel-med-åäö-0123456789"])
def test_column_keys_equal_the_scalar_hmac(key):
    numbers = ["191212121212", "200901010017", "191212121212"]
    keys = Pseudonymiser(key).keys(pa.array(numbers)).to_pylist()
    assert keys == [student_key(number, key) for number in numbers]
    assert keys[0] == keys[2]


def _parquet(path, rows, kind="enrolments"):
    header = synthetic.HEADERS[kind]
    columns = {name: [cells[i] for cells in rows] for i, name in enumerate(header)}
    table = pa.table(columns)
    if kind == "enrolments":  # a typed export: årskurs as integers, flags as booleans
        table = table.set_column(5, "årskurs", pa.array([int(c) for c in columns["årskurs"]]))
    pq.write_table(table, path)
    return path


def test_parquet_imports_like_the_same_csv(tmp_path, key):
    rows = [synthetic.row("enrolments", i) for i in range(300)]
    csv = synthetic.write_rows(tmp_path / "e.csv", "enrolments", rows)
    parquet = _parquet(tmp_path / "e.parquet", rows)
    from_csv = ingest_file(csv, "enrolments", pseudonym_key=key, batch_id="b")
    from_parquet = ingest_file(parquet, "enrolments", pseudonym_key=key, batch_id="b")
    assert from_parquet.issues == []
    assert from_parquet.tables["enrolments"].equals(from_csv.tables["enrolments"])
    assert from_parquet.rows_read == 300


def test_parquet_issues_number_rows_as_a_csv_export(tmp_path, key):
    rows = [synthetic.row("enrolments", i) for i in range(50)]
    rows[10][0] = synthetic.broken_personnummer(10)
    rows[20][4] = "XX"
    result = ingest_file(_parquet(tmp_path / "e.parquet", rows), "enrolments", pseudonym_key=key)
    assert [(i.row, i.column, i.code) for i in result.issues] == [
        (12, "personnummer", "personnummer_checksum"),
        (22, "skolform", "invalid_choice"),
    ]
    assert result.tables == {}


def test_parquet_for_a_kind_read_by_rows_is_refused(tmp_path, key):
    rows = [synthetic.row("enrolments", i) for i in range(5)]
    path = _parquet(tmp_path / "e.parquet", rows)
    result = ingest_file(path, "population", pseudonym_key=key)
    assert result.tables == {}
    assert result.issues
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(path.read_bytes()[:200])
    assert [i.code for i in ingest_file(broken, "enrolments", pseudonym_key=key).issues] == [
        "file_truncated"
    ]


def test_blank_lines_and_quoted_line_breaks_keep_file_row_numbers(tmp_path, key):
    header = ";".join(synthetic.HEADERS["national_tests"])
    rows = [";".join(synthetic.row("national_tests", i)) for i in range(6)]
    bad = synthetic.row("national_tests", 6)
    bad[5] = "G"
    lines = [header, rows[0], "", ";;;;;", rows[1], '"a\nb";' + rows[2].split(";", 1)[1]]
    lines += [rows[3], ";".join(bad)]
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest_file(path, "national_tests", pseudonym_key=key)
    assert [(i.row, i.column, i.code) for i in result.issues] == [
        (6, "personnummer", "invalid_personnummer"),
        (9, "provbetyg", "old_grade_scale"),
    ]


def test_issues_come_column_by_column_within_a_block(tmp_path, key):
    rows = [synthetic.row("national_tests", i) for i in range(30)]
    rows[3][5] = "Q"
    rows[20][0] = synthetic.broken_personnummer(20)
    result = ingest_file(
        synthetic.write_rows(tmp_path / "t.csv", "national_tests", rows),
        "national_tests",
        pseudonym_key=key,
    )
    assert [(i.row, i.column) for i in result.issues] == [(22, "personnummer"), (5, "provbetyg")]


def test_parquet_preview_masks_personnummer(tmp_path):
    from likvard_core.ingest import Preview, detect_columns

    rows = [synthetic.row("enrolments", i) for i in range(30)]
    preview = detect_columns(_parquet(tmp_path / "e.parquet", rows), "enrolments", rows=5)
    assert isinstance(preview, Preview)
    assert [number for number, _ in preview.rows] == [2, 3, 4, 5, 6]
    assert preview.columns[0].field == "student_key"
    first = preview.rows[0][1]
    assert first[0] != rows[0][0]
    assert rows[0][0] not in str(preview)
    assert (first[1], first[5]) == ("2024/25", rows[0][5])

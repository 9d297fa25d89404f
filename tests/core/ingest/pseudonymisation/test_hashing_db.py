"""The import's DuckDB work: keyed hashing byte-identical to Python's, locked-down connection,
and the coded table checks agreeing with the table-based ones."""

from __future__ import annotations

import hashlib
import hmac

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from likvard_core.ingest.kinds.column_validation import parse_column
from likvard_core.ingest.pseudonymisation.hashing_db import EngineError, select_column, session
from likvard_core.ingest.pseudonymisation.pseudonymise import (
    STUDENT_KEY_LENGTH,
    Pseudonymiser,
    student_key,
)
from likvard_core.ingest.validation.cells import school_unit_code
from likvard_core.ingest.validation.table_checks import (
    duplicate_keys,
    duplicate_keys_coded,
    unknown_school_units,
    unknown_school_units_coded,
)

_NUMBERS = st.text(alphabet="0123456789", min_size=12, max_size=12)
_KEYS = st.one_of(
    st.binary(min_size=16, max_size=130), st.text(min_size=16, max_size=70).filter(str.strip)
)


def _python_hmac(numbers: list[str], key: bytes | str) -> list[str]:
    raw = key.encode("utf-8") if isinstance(key, str) else key
    return [
        hmac.new(raw, number.encode(), hashlib.sha256).hexdigest()[:STUDENT_KEY_LENGTH]
        for number in numbers
    ]


@pytest.mark.parametrize(
    "key",
    [b"k" * 16, b"\x00" * 20, b"\xff" * 63, b"k" * 64, b"k" * 65, b"x" * 130, "nyckel-åäö-0123456"],
)
def test_duckdb_hmac_is_byte_identical_to_pythons_at_every_key_length(key):
    numbers = [f"{year}0101{serial:04d}" for year in (1912, 2009, 2024) for serial in range(40)]
    assert Pseudonymiser(key).macs(pa.array(numbers)).to_pylist() == _python_hmac(numbers, key)
    assert [student_key(number, key) for number in numbers] == _python_hmac(numbers, key)


@settings(max_examples=15, deadline=None)
@given(st.lists(_NUMBERS, min_size=1, max_size=30), _KEYS)
def test_duckdb_hmac_is_byte_identical_to_pythons(numbers, key):
    assert Pseudonymiser(key).macs(pa.array(numbers)).to_pylist() == _python_hmac(numbers, key)


def test_many_keys_come_back_in_input_order():
    numbers = [f"20{i:010d}" for i in range(200_000)]
    keys = Pseudonymiser(b"k" * 20).macs(pa.array(numbers))
    for index in (0, 1, 77_777, 199_999):
        assert keys[index].as_py() == student_key(numbers[index], b"k" * 20)


def test_the_connection_reads_no_files_and_errors_hold_no_values(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n", encoding="utf-8")
    with session() as con, pytest.raises(duckdb.Error):
        con.execute(f"SELECT * FROM read_csv('{secret}')")
    with session() as con, pytest.raises(duckdb.Error):
        con.execute("SET enable_external_access = true")
    with pytest.raises(EngineError) as failed:
        select_column(
            "SELECT number::INTEGER FROM t", {"t": pa.table({"number": ["19121212-1212"]})}, {}
        )
    assert "1212" not in str(failed.value)


_UNITS = st.sampled_from(["55529681", "62764006", " 58191646", "58191646", "1234567", ""])


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), _UNITS, st.sampled_from([None, "a", "b"])), max_size=60),
    st.integers(1, 7),
)
def test_coded_checks_find_what_the_table_checks_find(rows, chunk):
    years = [str(year) for year, _, _ in rows]
    units = [unit for _, unit, _ in rows]
    extra = [value for _, _, value in rows]
    cells = {
        "year": pa.chunked_array(_chunks(years, chunk), pa.string()),
        "unit": pa.chunked_array(_chunks(units, chunk), pa.string()),
        "extra": pa.chunked_array(_chunks(extra, chunk), pa.string()),
    }
    parsed = {
        "year": parse_column(cells["year"], int, pa.int16(), codes=True),
        "unit": parse_column(cells["unit"], _lenient_unit, pa.string(), codes=True),
        "extra": parse_column(cells["extra"], lambda c: c or None, pa.string(), codes=True),
    }
    table = pa.table({name: column.values for name, column in parsed.items()})
    coded = {
        name: (column.codes, len(column.distinct) + 1)
        for name, column in parsed.items()
        if column.codes is not None
    }
    key = ("year", "unit", "extra")
    assert duplicate_keys_coded(table, key, coded) == duplicate_keys(table, key)
    known = frozenset({"55529681", "58191646"})
    unit = parsed["unit"]
    assert unit.codes is not None
    found = unknown_school_units_coded(unit.codes, unit.distinct, known)
    assert found == unknown_school_units(
        table.rename_columns(["y", "school_unit_code", "e"]), known
    )


def _lenient_unit(cell: str) -> str | None:
    try:
        return school_unit_code(cell)
    except ValueError:
        return None


def _chunks(values: list[str | None], size: int) -> list[pa.Array]:
    return [pa.array(values[i : i + size], pa.string()) for i in range(0, len(values), size)] or [
        pa.array([], pa.string())
    ]


def test_codes_number_equal_values_alike_across_chunks():
    cells = pa.chunked_array([pa.array(["2025", " 2025"]), pa.array(["2024", "2025"])])
    parsed = parse_column(cells, int, pa.int16(), codes=True)
    assert parsed.codes is not None
    assert np.array_equal(parsed.codes, [1, 1, 2, 1])
    assert parsed.distinct == (2025, 2024)

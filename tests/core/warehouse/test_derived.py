"""Derived tables: computed once per data version, read back whole or filtered, kept atomically."""

from __future__ import annotations

import fcntl
import threading
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from likvard_core.warehouse import derived
from likvard_core.warehouse.derived import (
    derived_path,
    derived_table,
    has_derived,
    sweep_derived,
    version_key,
)


def _table() -> pa.Table:
    return pa.table({"unit": ["a", "b", "c", "a"], "n": [1, 2, 3, 4]})


def test_computes_once_then_reads_the_kept_file(tmp_path: Path) -> None:
    calls: list[int] = []

    def compute() -> pa.Table:
        calls.append(1)
        return _table()

    key = version_key("v3", ["batches/x/enrolments/a.parquet"])
    first = derived_table(tmp_path, key, "counts", {"year": 2025}, compute)
    second = derived_table(tmp_path, key, "counts", {"year": 2025}, compute)
    assert calls == [1]
    assert first.equals(second)
    assert first.to_pydict() == _table().to_pydict()
    assert has_derived(tmp_path, key, "counts", {"year": 2025})
    assert not has_derived(tmp_path, key, "counts", {"year": 2024})


def test_kept_tables_are_written_lz4(tmp_path: Path) -> None:
    """Cheaper to write after every import and to read on every page than zstd."""
    key = version_key("v3", ["batches/x/enrolments/a.parquet"])
    derived_table(tmp_path, key, "counts", {"year": 2025}, _table)
    metadata = pq.read_metadata(derived_path(tmp_path, key, "counts", {"year": 2025}))
    column = metadata.row_group(0).column(0)
    assert column.compression == "LZ4"


def test_filters_return_only_matching_rows(tmp_path: Path) -> None:
    key = version_key("v1", [])
    rows = derived_table(tmp_path, key, "counts", {}, _table, filters=[("unit", "=", "a")])
    assert rows.column("n").to_pylist() == [1, 4]


def test_versions_and_parameters_get_their_own_files(tmp_path: Path) -> None:
    one = version_key("v1", ["batches/a.parquet"])
    other = version_key("v1", ["batches/a.parquet", "batches/b.parquet"])
    assert one != other
    assert version_key("v1", ["b", "a"]) == version_key("v1", ["a", "b"])
    assert derived_path(tmp_path, one, "t", {"y": 1}) != derived_path(tmp_path, one, "t", {"y": 2})
    assert derived_path(tmp_path, one, "t", {}) != derived_path(tmp_path, other, "t", {})


def test_a_failed_compute_leaves_nothing(tmp_path: Path) -> None:
    key = version_key("v1", [])

    def broken() -> pa.Table:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        derived_table(tmp_path, key, "counts", {}, broken)
    assert not has_derived(tmp_path, key, "counts", {})
    folder = derived_path(tmp_path, key, "counts", {}).parent
    assert not folder.exists() or list(folder.iterdir()) == []


def test_bad_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="name"):
        derived_path(tmp_path, "abcdef012345", "../etc", {})
    with pytest.raises(ValueError, match="key"):
        derived_path(tmp_path, "../x", "counts", {})


def test_sweep_keeps_only_named_versions(tmp_path: Path) -> None:
    old, new = version_key("v1", []), version_key("v2", [])
    derived_table(tmp_path, old, "counts", {}, _table)
    derived_table(tmp_path, new, "counts", {}, _table)
    assert sweep_derived(tmp_path, [new]) == [old]
    assert has_derived(tmp_path, new, "counts", {})
    assert not has_derived(tmp_path, old, "counts", {})


def test_float_columns_are_written_without_a_dictionary(tmp_path: Path) -> None:
    """Shares and p-values have nearly every value their own: no dictionary is built for
    them (issue #18); codes and counts keep theirs."""
    table = pa.table({"unit": ["a", "b"] * 50, "n": [1, 2] * 50, "share": [0.5, 0.25] * 50})
    key = version_key("v3", [])
    derived_table(tmp_path, key, "shares", {}, lambda: table)
    row_group = pq.ParquetFile(derived_path(tmp_path, key, "shares", {})).metadata.row_group(0)
    encodings = {row_group.column(i).path_in_schema: row_group.column(i).encodings
                 for i in range(row_group.num_columns)}  # fmt: skip
    assert "RLE_DICTIONARY" in encodings["unit"]
    assert "RLE_DICTIONARY" in encodings["n"]
    assert "RLE_DICTIONARY" not in encodings["share"]
    assert pq.read_table(derived_path(tmp_path, key, "shares", {})).equals(table)


def test_a_table_being_computed_is_waited_for_not_computed_again(tmp_path: Path) -> None:
    """Two readers of a table not kept yet (two web processes, or one and the warm-up): the
    second waits for the first's file and reads it; the table is computed once."""
    calls: list[int] = []
    started = threading.Event()

    def compute() -> pa.Table:
        calls.append(1)
        started.set()
        time.sleep(0.5)
        return _table()

    key = version_key("v3", ["batches/x/enrolments/a.parquet"])
    results: list[pa.Table] = []

    def read() -> None:
        results.append(derived_table(tmp_path, key, "counts", {"year": 2025}, compute))

    first = threading.Thread(target=read)
    first.start()
    assert started.wait(10)
    read()  # while the first computes
    first.join()
    assert calls == [1]
    assert [r.to_pydict() for r in results] == [_table().to_pydict()] * 2


def test_a_lock_held_too_long_is_computed_anyway(tmp_path: Path, monkeypatch) -> None:
    """A holder that never finishes (a hung process) delays a reader by ``LOCK_WAIT`` at most."""
    monkeypatch.setattr(derived, "LOCK_WAIT", 0.3)
    key = version_key("v3", ["batches/x/enrolments/a.parquet"])
    path = derived_path(tmp_path, key, "counts", {"year": 2025})
    path.parent.mkdir(parents=True)
    with open(path.with_name(f".lock-{path.stem}"), "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        start = time.monotonic()
        table = derived_table(tmp_path, key, "counts", {"year": 2025}, _table)
        waited = time.monotonic() - start
    assert table.to_pydict() == _table().to_pydict()
    assert 0.3 <= waited < 5

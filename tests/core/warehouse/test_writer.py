"""The Parquet writer: contract checks, round trip, idempotence, streaming, sweeping."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from likvard_core.warehouse import writer
from likvard_core.warehouse.contract import ContractError
from likvard_core.warehouse.lifecycle import OWNER_FILE
from likvard_core.warehouse.schema import FACT_TABLES
from likvard_core.warehouse.snapshot import Snapshot
from likvard_core.warehouse.writer import (
    BatchConflictError,
    read_staged_batch,
    stage_batch,
    sweep_orphans,
)
from tests.core.warehouse.builders import enrolments, population


def test_round_trip_casts_to_contract_and_fills_batch_id(tmp_path):
    source = population(5)
    staged = stage_batch(tmp_path, "b1", {"population": source, "enrolments": enrolments(3)})

    assert [f.table for f in staged.files] == ["enrolments", "population"]
    by_table = {f.table: f for f in staged.files}
    assert by_table["population"].path == "batches/b1/population.parquet"
    assert by_table["population"].rows == 5
    read = pq.read_table(tmp_path / by_table["population"].path)
    assert read.schema.equals(FACT_TABLES["population"].schema)
    assert read.column("persons").to_pylist() == source.column("persons").to_pylist()
    assert set(read.column("batch_id").to_pylist()) == {"b1"}
    assert read_staged_batch(tmp_path, "b1") == staged
    assert list((tmp_path / ".staging").iterdir()) == []


def test_a_large_table_is_written_in_parts_that_read_back_as_one(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "ROW_GROUP_ROWS", 100)
    monkeypatch.setattr(writer, "WRITE_THREADS", 3)
    source = enrolments(1050)

    staged = stage_batch(tmp_path, "b1", {"enrolments": source, "population": population(5)})

    # 11 row groups over three parts of whole groups: 4 + 4 + 3 groups
    assert [(f.table, f.path, f.rows) for f in staged.files] == [
        ("enrolments", "batches/b1/enrolments.parquet", 400),
        ("enrolments", "batches/b1/enrolments.1.parquet", 400),
        ("enrolments", "batches/b1/enrolments.2.parquet", 250),
        ("population", "batches/b1/population.parquet", 5),
    ]
    assert staged.rows_by_table() == {"enrolments": 1050, "population": 5}
    assert [pq.ParquetFile(tmp_path / f.path).metadata.num_row_groups for f in staged.files] == [
        4, 4, 3, 1,
    ]  # fmt: skip
    assert read_staged_batch(tmp_path, "b1") == staged
    assert stage_batch(tmp_path, "b1", {"enrolments": source, "population": population(5)}) == (
        staged
    )
    with Snapshot(tmp_path, staged.paths_by_table(), "v") as snapshot:
        read = snapshot.query("SELECT student_key, batch_id FROM enrolments")
    assert read["student_key"].to_pylist() == source["student_key"].to_pylist()
    assert set(read["batch_id"].to_pylist()) == {"b1"}


def test_a_table_too_small_for_two_parts_of_two_row_groups_is_one_file(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "ROW_GROUP_ROWS", 100)
    monkeypatch.setattr(writer, "WRITE_THREADS", 4)

    staged = stage_batch(tmp_path, "b1", {"enrolments": enrolments(299)})

    assert [(f.path, f.rows) for f in staged.files] == [("batches/b1/enrolments.parquet", 299)]


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ({"pupils": population(2)}, "unknown fact table 'pupils'"),
        ({"population": population(2).drop_columns(["age"])}, "missing columns ['age']"),
        (
            {"population": population(2).append_column("extra", pa.array([1, 2]))},
            "unexpected columns ['extra']",
        ),
        (
            {"population": population(2).set_column(2, "age", pa.array([1, 300]))},
            "column 'age' cannot be read as int8",
        ),
        (
            {"population": population(2).set_column(3, "gender", pa.array(["F", None]))},
            "column 'gender' has 1 empty values but is required",
        ),
        (
            {"population": population(2).append_column("batch_id", pa.array(["b1", "b0"]))},
            "1 rows not equal to the batch being written",
        ),
    ],
)
def test_contract_violations_are_rejected_and_leave_nothing(tmp_path, tables, message):
    with pytest.raises(ContractError) as caught:
        stage_batch(tmp_path, "b1", tables)

    assert message in str(caught.value)
    assert not (tmp_path / "batches" / "b1").exists()
    assert list((tmp_path / ".staging").glob("*")) == []


def test_error_does_not_echo_values(tmp_path):
    bad = population(2).set_column(2, "age", pa.array([1, 12345]))
    with pytest.raises(ContractError) as caught:
        stage_batch(tmp_path, "b1", {"population": bad})
    assert "12345" not in str(caught.value)


@pytest.mark.parametrize("batch_id", ["", "../x", "a/b", ".hidden", "a.b", "x" * 129])
def test_unsafe_batch_ids_are_rejected(tmp_path, batch_id):
    with pytest.raises(ContractError, match="batch id"):
        stage_batch(tmp_path, batch_id, {"population": population(1)})


def test_restaging_same_content_is_idempotent_and_different_content_conflicts(tmp_path):
    first = stage_batch(tmp_path, "b1", {"population": population(4)})
    again = stage_batch(tmp_path, "b1", {"population": population(4)})

    assert again == first
    with pytest.raises(BatchConflictError, match="different content"):
        stage_batch(tmp_path, "b1", {"population": population(5)})
    assert read_staged_batch(tmp_path, "b1") == first
    assert list((tmp_path / ".staging").iterdir()) == []


def test_stream_of_batches_equals_whole_table(tmp_path):
    table = enrolments(2500)
    stream = table.to_batches(max_chunksize=300)
    whole = stage_batch(tmp_path, "whole", {"enrolments": table})
    streamed = stage_batch(tmp_path, "streamed", {"enrolments": iter(stream)})

    assert streamed.files[0].rows == 2500
    left = pq.read_table(tmp_path / whole.files[0].path).drop_columns(["batch_id"])
    right = pq.read_table(tmp_path / streamed.files[0].path).drop_columns(["batch_id"])
    assert left.equals(right)
    assert pq.ParquetFile(tmp_path / streamed.files[0].path).metadata.num_row_groups == 1


def test_empty_stream_writes_an_empty_typed_file(tmp_path):
    staged = stage_batch(tmp_path, "b0", {"population": iter([])})
    read = pq.read_table(tmp_path / staged.files[0].path)
    assert read.num_rows == 0
    assert read.schema.equals(FACT_TABLES["population"].schema)


def _fake_dir(parent: Path, name: str, *, pid: int, age: float) -> Path:
    directory = parent / name
    directory.mkdir(parents=True)
    owner = directory / OWNER_FILE
    owner.write_text(f"{socket.gethostname()} {pid}\n", encoding="utf-8")
    then = time.time() - age
    os.utime(owner, (then, then))
    return directory


def test_sweep_removes_only_orphans_of_dead_or_stale_owners(tmp_path):
    dead_pid = 2**22 + 12345  # above the default pid_max: never a live process
    committed = stage_batch(tmp_path, "kept", {"population": population(2)})
    staging, batches = tmp_path / ".staging", tmp_path / "batches"
    dead_staging = _fake_dir(staging, "x.1", pid=dead_pid, age=1)
    live_staging = _fake_dir(staging, "y.2", pid=os.getpid(), age=1)
    stale_staging = _fake_dir(staging, "z.3", pid=os.getpid(), age=10_000)
    dead_batch = _fake_dir(batches, "dead", pid=dead_pid, age=1_000)
    fresh_dead_batch = _fake_dir(batches, "fresh", pid=dead_pid, age=1)
    live_batch = _fake_dir(batches, "live", pid=os.getpid(), age=1_000)

    removed = sweep_orphans(tmp_path, [committed.batch_id], stale_after=5_000, grace=300)

    assert sorted(removed) == sorted([dead_staging, stale_staging, dead_batch])
    for kept in (live_staging, fresh_dead_batch, live_batch, batches / "kept"):
        assert kept.is_dir()
    assert sweep_orphans(tmp_path, ["kept"], stale_after=5_000, grace=300) == []


@pytest.mark.parametrize("streamed", [False, True])
def test_statistics_for_pruning_columns_only(tmp_path, streamed):
    table = enrolments(40)
    data = iter(table.to_batches(max_chunksize=15)) if streamed else table
    staged = stage_batch(tmp_path, "b1", {"enrolments": data})

    group = pq.ParquetFile(tmp_path / staged.files[0].path).metadata.row_group(0)
    names = [group.column(i).path_in_schema for i in range(group.num_columns)]
    has_stats = {
        name: group.column(i).is_stats_set and group.column(i).statistics.has_min_max
        for i, name in enumerate(names)
    }
    assert has_stats["school_year"]
    assert has_stats["school_unit_code"]
    assert not has_stats["student_key"]
    assert not has_stats["batch_id"]

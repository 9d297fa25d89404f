"""A fact file's kept index of which row groups hold which students (issue #18): a snapshot
reads a student-filtered relation from only those groups, with the same rows as the whole;
a file without a usable index is read whole; indexes go when their files go."""

from __future__ import annotations

import os
import random
import shutil
import threading
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from likvard_core.analytics.equity.changed import READS
from likvard_core.analytics.quality.context_update import CONTEXT_READS
from likvard_core.warehouse import row_groups
from likvard_core.warehouse.contract import conform_batch, contract_table
from likvard_core.warehouse.lifecycle import ROW_GROUPS_DIR, sweep_orphans
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.warehouse.builders import enrolments

ROWS = "SELECT * FROM {source} WHERE student_key IN (SELECT unnest($students::VARCHAR[]))"


def _write(root: Path, name: str, table: pa.Table, *, group_rows: int = 40) -> str:
    relative = f"batches/{name}/enrolments/2025.parquet"
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    conformed = conform_batch(contract_table("enrolments"), table, name)
    temporary = path.with_suffix(".tmp")
    pq.write_table(conformed, temporary, row_group_size=group_rows)
    os.replace(temporary, path)
    return relative


def _indexed(root: Path, name: str, table: pa.Table) -> str:
    relative = _write(root, name, table)
    assert row_groups.index_build(root, relative)
    return relative


def _both(snapshot: Snapshot, students: list[str]) -> tuple[pa.Table, pa.Table]:
    params = {"students": students}
    whole = snapshot.query(ROWS.format(source='"enrolments"'), params)
    narrowed = snapshot.query(
        ROWS.format(source=snapshot.students_source("enrolments", students)), params
    )
    return whole, narrowed


def _index_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / ROW_GROUPS_DIR).rglob("*") if p.is_file())


def test_the_rows_of_random_students_are_those_of_the_whole_files(tmp_path):
    rng = random.Random(18)
    first = enrolments(400).take(rng.sample(range(400), 400))  # keys in no order
    files = {
        "enrolments": [
            _indexed(tmp_path, "b1", first),
            _indexed(tmp_path, "b2", enrolments(300, offset=1000)),
        ]
    }
    keys = first["student_key"].to_pylist() + [f"k{1000 + i:012d}" for i in range(300)]
    with Snapshot(tmp_path, files, "v") as snapshot:
        for size in (1, 3, 30, 200):
            students = [*rng.sample(keys, size), "absent-key"]
            whole, narrowed = _both(snapshot, students)
            assert whole.num_rows == size
            assert narrowed.schema == whole.schema
            assert narrowed.sort_by("student_key").equals(whole.sort_by("student_key"))


def test_only_the_row_groups_that_hold_the_students_are_named(tmp_path):
    relative = _indexed(tmp_path, "b1", enrolments(400))  # keys in order: ten groups of 40
    assert row_groups.groups_of(tmp_path, relative, ["k000000000005", "k000000000205"]) == [0, 5]
    assert row_groups.groups_of(tmp_path, relative, ["nobody", "k999999999999"]) == []
    wanted = row_groups.student_digests(["k000000000005", "k000000000045", "k000000000205"])
    assert row_groups.student_ranges(tmp_path, relative, wanted) == [(0, 80), (200, 240)]


def test_students_in_no_row_group_give_no_rows_of_the_same_columns(tmp_path):
    files = {"enrolments": [_indexed(tmp_path, "b1", enrolments(100))]}
    with Snapshot(tmp_path, files, "v") as snapshot:
        whole, narrowed = _both(snapshot, ["nobody", "k000000999999"])
    assert narrowed.num_rows == whole.num_rows == 0
    assert narrowed.schema == whole.schema


def test_keys_with_one_digest_only_add_row_groups(tmp_path):
    shared = "x" * 16
    table = enrolments(80)
    keys = [
        f"{shared}{i:04d}" if i in (3, 70) else k
        for i, k in enumerate(table["student_key"].to_pylist())
    ]
    table = table.set_column(1, "student_key", pa.array(keys))
    files = {"enrolments": [_indexed(tmp_path, "b1", table)]}
    assert row_groups.groups_of(tmp_path, files["enrolments"][0], [f"{shared}0003"]) == [0, 1]
    with Snapshot(tmp_path, files, "v") as snapshot:
        for student in (f"{shared}0003", f"{shared}0070"):
            whole, narrowed = _both(snapshot, [student])
            assert narrowed.equals(whole)
            assert whole.num_rows == 1


def test_a_reader_never_builds_an_index_and_reads_an_unindexed_file_whole(tmp_path):
    files = {
        "enrolments": [
            _write(tmp_path, "b1", enrolments(120)),
            _indexed(tmp_path, "b2", enrolments(120, offset=1000)),
        ]
    }
    assert row_groups.groups_of(tmp_path, files["enrolments"][0], ["k000000000001"]) is None
    with Snapshot(tmp_path, files, "v") as snapshot:
        whole, narrowed = _both(snapshot, ["k000000000001", "k000000001001"])
    assert narrowed.sort_by("student_key").equals(whole.sort_by("student_key"))
    assert whole.num_rows == 2
    assert len(_index_files(tmp_path)) == 1  # b2's only


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",  # emptied
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data[:-8],  # one word short
        lambda data: data + b"\0" * 8,  # one word too many
        lambda data: b"\0" * len(data),  # zeroed, as after a crash without a flush
        lambda data: data[:8] + (2).to_bytes(8, "little") + data[16:],  # another format
        lambda data: data[:16] + (1).to_bytes(8, "little") + data[24:],  # another file's
        lambda data: data[:40] + (9).to_bytes(8, "little") + data[48:],  # other row groups
        lambda data: data[:64] + (10**6).to_bytes(8, "little") + data[72:],  # out of order
    ],
)
def test_a_damaged_index_is_not_used_and_the_file_is_read_whole(tmp_path, damage):
    relative = _indexed(tmp_path, "b1", enrolments(200))
    (index,) = _index_files(tmp_path)
    index.write_bytes(damage(index.read_bytes()))
    students = ["k000000000042", "k000000000150"]
    assert row_groups.groups_of(tmp_path, relative, students) is None
    with Snapshot(tmp_path, {"enrolments": [relative]}, "v") as snapshot:
        whole, narrowed = _both(snapshot, students)
    assert narrowed.sort_by("student_key").equals(whole.sort_by("student_key"))
    assert whole.num_rows == 2
    assert row_groups.index_build(tmp_path, relative)  # built anew over the damaged one
    assert row_groups.groups_of(tmp_path, relative, students) == [1, 3]


def test_a_file_rewritten_under_its_name_is_not_answered_from_the_old_index(tmp_path):
    relative = _indexed(tmp_path, "b1", enrolments(100))
    stat = os.stat(tmp_path / relative)
    _write(tmp_path, "b1", enrolments(100, offset=100))  # same size: other keys of one width
    os.utime(tmp_path / relative, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime too
    assert row_groups.groups_of(tmp_path, relative, ["k000000000150"]) is None
    with Snapshot(tmp_path, {"enrolments": [relative]}, "v") as snapshot:
        whole, narrowed = _both(snapshot, ["k000000000150"])
    assert whole.num_rows == narrowed.num_rows == 1
    assert row_groups.index_build(tmp_path, relative)
    assert row_groups.groups_of(tmp_path, relative, ["k000000000150"]) == [1]


def test_building_again_keeps_the_index_and_builders_at_once_agree(tmp_path):
    relative = _write(tmp_path, "b1", enrolments(400))
    results: list[bool] = []
    threads = [
        threading.Thread(target=lambda: results.append(row_groups.index_build(tmp_path, relative)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert any(results)
    assert len(_index_files(tmp_path)) == 1  # no temporary file left
    assert not row_groups.index_build(tmp_path, relative)
    assert row_groups.groups_of(tmp_path, relative, ["k000000000399"]) == [9]


def test_only_the_indexed_tables_files_are_built_and_those_once(tmp_path):
    relative = _write(tmp_path, "b1", enrolments(100))
    files = {"enrolments": [relative], "population": ["batches/b1/population/2024.parquet"]}
    assert row_groups.indexes_build(tmp_path, files) == [relative]
    assert row_groups.indexes_build(tmp_path, files) == []


def test_the_updates_read_only_indexed_tables_by_student():
    assert {*READS, *CONTEXT_READS, "enrolments"} <= row_groups.INDEXED_TABLES


def test_the_sweep_removes_an_index_with_its_file_and_keeps_it_while_used(tmp_path):
    kept = _indexed(tmp_path, "b1", enrolments(100))
    dropped = _indexed(tmp_path, "b2", enrolments(100, offset=500))
    _indexed(tmp_path, "b3", enrolments(100, offset=900))  # its batch is removed
    shutil.rmtree(tmp_path / "batches" / "b3")
    rewritten = _indexed(tmp_path, "b4", enrolments(100, offset=1300))
    _write(tmp_path, "b4", enrolments(100, offset=1700))
    old = time.time() - 3600
    for index in _index_files(tmp_path):
        os.utime(index, (old, old))
    young = _indexed(tmp_path, "b5", enrolments(100, offset=2100))  # being imported
    before = {p.parent.parent.name: p for p in _index_files(tmp_path)}
    assert set(before) == {"b1", "b2", "b3", "b4", "b5"}
    temporary = tmp_path / ROW_GROUPS_DIR / "b1" / "enrolments" / ".tmp-abc.idx"
    temporary.write_bytes(b"half")  # a build under way

    removed = row_groups.sweep_indexes(tmp_path, keep={kept, rewritten})
    assert set(removed) == {before["b2"], before["b3"], before["b4"]}
    assert {p.parent.parent.name for p in _index_files(tmp_path)} == {"b1", "b5"}
    assert not (tmp_path / ROW_GROUPS_DIR / "b3").exists()  # emptied folders go too
    assert row_groups.groups_of(tmp_path, kept, ["k000000000001"]) == [0]
    assert row_groups.groups_of(tmp_path, young, ["k000000002101"]) == [0]
    assert row_groups.groups_of(tmp_path, dropped, ["k000000000501"]) is None

    os.utime(temporary, (old, old))
    assert row_groups.sweep_indexes(tmp_path, keep={kept, rewritten}, grace=60) == [temporary]
    assert row_groups.sweep_indexes(tmp_path, keep={kept}, grace=0.0) == [before["b5"]]
    assert row_groups.sweep_indexes(tmp_path) == []  # no keep: only files gone or rewritten


def test_an_orphaned_batch_goes_with_its_indexes(tmp_path):
    committed = _indexed(tmp_path, "b1", enrolments(100))
    _indexed(tmp_path, "b2", enrolments(100, offset=500))  # its importer died
    (tmp_path / "batches" / "b2" / "owner").write_text("nohost-here 1\n")
    removed = sweep_orphans(tmp_path, ["b1"], grace=0.0, stale_after=0.0)
    assert removed == [tmp_path / "batches" / "b2"]
    assert [p.parent.parent.name for p in _index_files(tmp_path)] == ["b1"]
    assert row_groups.groups_of(tmp_path, committed, ["k000000000001"]) == [0]


def test_a_snapshot_of_tables_reads_its_table_whole():
    with Snapshot.from_tables({"enrolments": enrolments(5)}, "v") as snapshot:
        assert snapshot.students_source("enrolments", ["k000000000001"]) == '"enrolments"'

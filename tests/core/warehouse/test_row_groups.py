"""A fact file's kept index of which row groups hold which students (issue #18): a snapshot
reads a student-filtered relation from only those groups, with the same rows as the whole."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from likvard_core.warehouse import row_groups
from likvard_core.warehouse.contract import conform_batch, contract_table
from likvard_core.warehouse.snapshot import ROW_GROUPS_DIR, Snapshot
from tests.core.warehouse.builders import enrolments

ROWS = "SELECT * FROM {source} WHERE student_key IN (SELECT unnest($students::VARCHAR[]))"


@pytest.fixture(autouse=True)
def _no_kept_indexes():
    row_groups._INDEXES.clear()
    yield
    row_groups._INDEXES.clear()


def _write(root: Path, name: str, table: pa.Table, *, group_rows: int = 40) -> str:
    relative = f"batches/{name}/enrolments/2025.parquet"
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    conformed = conform_batch(contract_table("enrolments"), table, name)
    temporary = path.with_suffix(".tmp")
    pq.write_table(conformed, temporary, row_group_size=group_rows)
    os.replace(temporary, path)
    return relative


def _keys(rows: pa.Table) -> list[tuple[str, str]]:
    return sorted(zip(rows["student_key"].to_pylist(), rows["batch_id"].to_pylist(), strict=True))


def _both(snapshot: Snapshot, students: list[str]) -> tuple[pa.Table, pa.Table]:
    params = {"students": students}
    whole = snapshot.query(ROWS.format(source='"enrolments"'), params)
    narrowed = snapshot.query(
        ROWS.format(source=snapshot.students_source("enrolments", students)), params
    )
    return whole, narrowed


def test_the_rows_of_random_students_are_those_of_the_whole_files(tmp_path):
    rng = random.Random(18)
    first = enrolments(400).take(rng.sample(range(400), 400))  # keys in no order
    files = {
        "enrolments": [
            _write(tmp_path, "b1", first),
            _write(tmp_path, "b2", enrolments(300, offset=1000)),
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
    relative = _write(tmp_path, "b1", enrolments(400))  # keys in order: ten groups of 40
    path = tmp_path / relative
    assert row_groups.groups_of(path, ["k000000000005", "k000000000205"]) == [0, 5]
    assert row_groups.groups_of(path, ["nobody", "k999999999999"]) == []
    assert row_groups.row_ranges(path, [0, 1, 5]) == [(0, 80), (200, 240)]


def test_students_in_no_row_group_give_no_rows_of_the_same_columns(tmp_path):
    files = {"enrolments": [_write(tmp_path, "b1", enrolments(100))]}
    with Snapshot(tmp_path, files, "v") as snapshot:
        whole, narrowed = _both(snapshot, ["nobody", "k000000999999"])
    assert narrowed.num_rows == whole.num_rows == 0
    assert narrowed.schema == whole.schema


def test_a_file_rewritten_under_its_name_is_indexed_anew(tmp_path):
    relative = _write(tmp_path, "b1", enrolments(100))
    files = {"enrolments": [relative]}
    with Snapshot(tmp_path, files, "v") as snapshot:
        assert _both(snapshot, ["k000000000150"])[1].num_rows == 0  # indexed, kept on disk
    stat = os.stat(tmp_path / relative)
    _write(tmp_path, "b1", enrolments(100, offset=100))  # same size: other keys of one width
    os.utime(tmp_path / relative, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime too
    row_groups._INDEXES.clear()
    with Snapshot(tmp_path, files, "v") as snapshot:
        whole, narrowed = _both(snapshot, ["k000000000150"])
    assert whole.num_rows == narrowed.num_rows == 1


def test_the_index_is_kept_on_disk_and_read_back_instead_of_the_keys(tmp_path, monkeypatch):
    files = {"enrolments": [_write(tmp_path, "b1", enrolments(200))]}
    with Snapshot(tmp_path, files, "v") as snapshot:
        first = _both(snapshot, ["k000000000042"])[1]
    assert len(list((tmp_path / ROW_GROUPS_DIR).glob("*.npy"))) == 1
    row_groups._INDEXES.clear()

    def unread(path):
        raise AssertionError(f"{path} indexed again")

    monkeypatch.setattr(row_groups, "_build", unread)
    with Snapshot(tmp_path, files, "v") as snapshot:
        again = _both(snapshot, ["k000000000042"])[1]
    assert again.equals(first)
    assert again.num_rows == 1


def test_keys_with_one_digest_only_add_row_groups(tmp_path):
    shared = "x" * 16
    table = enrolments(80)
    keys = [
        f"{shared}{i:04d}" if i in (3, 70) else k
        for i, k in enumerate(table["student_key"].to_pylist())
    ]
    table = table.set_column(1, "student_key", pa.array(keys))
    files = {"enrolments": [_write(tmp_path, "b1", table)]}
    assert row_groups.groups_of(tmp_path / files["enrolments"][0], [f"{shared}0003"]) == [0, 1]
    with Snapshot(tmp_path, files, "v") as snapshot:
        whole, narrowed = _both(snapshot, [f"{shared}0070"])
    assert narrowed.equals(whole)
    assert whole.num_rows == 1


def test_a_snapshot_of_tables_reads_its_table_whole():
    with Snapshot.from_tables({"enrolments": enrolments(5)}, "v") as snapshot:
        assert snapshot.students_source("enrolments", ["k000000000001"]) == '"enrolments"'

"""Snapshots: one view per fact table, pinned to a version, read-only, isolated from writers."""

from __future__ import annotations

import pyarrow as pa
import pytest

from likvard_core.warehouse.contract import ContractError
from likvard_core.warehouse.schema import FACT_TABLES
from likvard_core.warehouse.snapshot import Snapshot
from likvard_core.warehouse.writer import StagedBatch, stage_batch
from tests.core.warehouse.builders import enrolments, population

TOTAL = "select count(*) as n, sum(persons)::bigint as persons from population"


def _files(*batches: StagedBatch) -> dict[str, list[str]]:
    files: dict[str, list[str]] = {}
    for batch in batches:
        for name, paths in batch.paths_by_table().items():
            files.setdefault(name, []).extend(paths)
    return files


def test_snapshot_over_two_batches_sees_their_union(tmp_path):
    first = stage_batch(tmp_path, "b1", {"population": population(3)})
    second = stage_batch(
        tmp_path,
        "b2",
        {"population": population(2, municipality="1481"), "enrolments": enrolments(4)},
    )

    with Snapshot(tmp_path, _files(first, second), "v2", threads=1) as snapshot:
        assert snapshot.version == "v2"
        assert snapshot.query(TOTAL).to_pylist() == [{"n": 5, "persons": 10 + 11 + 12 + 10 + 11}]
        by_batch = snapshot.query(
            "select batch_id, count(*) as n from population group by 1 order by 1"
        ).to_pylist()
        assert by_batch == [{"batch_id": "b1", "n": 3}, {"batch_id": "b2", "n": 2}]
        assert snapshot.query("select count(*) as n from enrolments").to_pylist() == [{"n": 4}]


def test_every_fact_table_exists_with_contract_types_even_without_files(tmp_path):
    with Snapshot(tmp_path, {}, "empty") as snapshot:
        for fact in FACT_TABLES.values():
            result = snapshot.query(f'select * from "{fact.name}"')
            assert result.num_rows == 0
            assert result.schema.names == list(fact.columns)
            assert result.schema.types == fact.query_types


def test_version_a_does_not_see_batch_b_staged_while_it_is_open(tmp_path):
    first = stage_batch(tmp_path, "a", {"population": population(3)})
    with Snapshot(tmp_path, _files(first), "A") as version_a:
        before = version_a.query(TOTAL)
        second = stage_batch(tmp_path, "b", {"population": population(50, start_age=3)})
        with Snapshot(tmp_path, _files(first, second), "B") as version_b:
            assert version_b.query(TOTAL).column("n").to_pylist() == [53]
        assert version_a.query(TOTAL).equals(before)
        assert before.column("n").to_pylist() == [3]


def test_parameters_are_bound_positionally_and_by_name(tmp_path):
    staged = stage_batch(tmp_path, "b1", {"population": population(6)})
    with Snapshot(tmp_path, staged.paths_by_table(), "v") as snapshot:
        positional = snapshot.query("select count(*) as n from population where age >= ?", [4])
        named = snapshot.relation(
            "select count(*) as n from population where gender = $g", {"g": "F"}
        ).to_arrow_table()
    assert positional.to_pylist() == [{"n": 2}]
    assert named.to_pylist() == [{"n": 3}]


def test_connection_is_locked_down(tmp_path):
    staged = stage_batch(tmp_path, "b1", {"population": population(2)})
    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n", encoding="utf-8")
    with Snapshot(tmp_path, staged.paths_by_table(), "v") as snapshot:
        for sql in (
            f"select * from read_csv('{outside}')",
            f"copy population to '{tmp_path / 'leak.csv'}'",
            "set enable_external_access = true",
            "install httpfs",
        ):
            with pytest.raises(Exception, match=r"(?i)permission|disabled|lock|configuration"):
                snapshot.query(sql)
        assert snapshot.query("select count(*) as n from population").to_pylist() == [{"n": 2}]
    assert not (tmp_path / "leak.csv").exists()


@pytest.mark.parametrize(
    "path", ["/etc/passwd", "batches/../../x.parquet", "other/x.parquet", "batches/b1/owner"]
)
def test_paths_outside_the_batches_are_refused(tmp_path, path):
    stage_batch(tmp_path, "b1", {"population": population(1)})
    with pytest.raises(ContractError):
        Snapshot(tmp_path, {"population": [path]}, "v")


def test_unknown_table_and_missing_file_are_refused(tmp_path):
    with pytest.raises(ContractError, match="unknown fact table"):
        Snapshot(tmp_path, {"pupils": []}, "v")
    with pytest.raises(FileNotFoundError):
        Snapshot(tmp_path, {"population": ["batches/none/population.parquet"]}, "v")


def test_from_tables_conforms_and_fills_missing_tables():
    with Snapshot.from_tables({"population": population(4)}, "mem") as snapshot:
        rows = snapshot.query("select age, batch_id from population order by age").to_pylist()
        assert rows[0] == {"age": 0, "batch_id": "mem"}
        types = snapshot.query("select * from population").schema.types
        assert types == FACT_TABLES["population"].query_types
        assert snapshot.query("select count(*) as n from absence").to_pylist() == [{"n": 0}]
    with pytest.raises(ContractError, match="missing columns"):
        Snapshot.from_tables({"population": pa.table({"year": [2024]})}, "bad")

"""Snapshots: one view per fact table, pinned to a version, read-only, isolated from writers."""

from __future__ import annotations

import duckdb
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
            with pytest.raises(
                Exception, match=r"(?i)permission|disabled|lock|configuration|reads"
            ):
                snapshot.query(sql)
            # under the snapshot's refusal of statements, the database itself is locked down
            with pytest.raises(Exception, match=r"(?i)permission|disabled|lock|configuration"):
                snapshot._con.sql(sql)
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


def test_snapshots_from_tables_share_a_locked_database_not_their_tables(tmp_path, monkeypatch):
    """A new DuckDB database per ``from_tables`` snapshot cost some 15 ms of CPU (the warm-up's
    updates from students' rows open several, the suite thousands): they are cursors of one
    locked-down database now, each with its own tables, also while both are open."""
    from likvard_core.warehouse import snapshot as module

    opened: list[object] = []
    real = module._connect

    def counted(*args, **kwargs):
        opened.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "_connect", counted)
    monkeypatch.setattr(module, "_MEMORY_BASES", {}, raising=False)  # a fresh one: counted
    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n", encoding="utf-8")
    with (
        Snapshot.from_tables({"population": population(4)}, "a") as first,
        Snapshot.from_tables({"population": population(2)}, "b") as second,
    ):
        assert first.query(TOTAL).column("n").to_pylist() == [4]
        assert second.query(TOTAL).column("n").to_pylist() == [2]
        assert second.query("select distinct batch_id from population").to_pylist() == [
            {"batch_id": "b"}
        ]
        for sql in (f"select * from read_csv('{outside}')", "set enable_external_access = true"):
            with pytest.raises(Exception, match=r"(?i)permission|disabled|lock|configuration"):
                first._con.sql(sql)
    with Snapshot.from_tables({}, "c") as third:
        assert third.query(TOTAL).column("n").to_pylist() == [0]
    assert len(opened) == 1


def test_a_version_opened_again_reuses_its_database(tmp_path, monkeypatch):
    """Opening a snapshot made a new DuckDB database with its views every time (70-150 ms of
    a page that reads the warehouse once); the same files now open a cursor of the kept one."""
    from likvard_core.warehouse import snapshot as module

    built: list[object] = []
    real = module._base

    def counted(*args, **kwargs):
        built.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "_base", counted)
    staged = stage_batch(tmp_path, "b1", {"population": population(3)})
    for _ in range(3):
        with Snapshot(tmp_path, staged.paths_by_table(), "v") as snapshot:
            assert snapshot.query(TOTAL).column("n").to_pylist() == [3]
    assert len(built) == 1
    other = stage_batch(tmp_path, "b2", {"population": population(2)})
    with Snapshot(tmp_path, _files(staged, other), "w") as snapshot:
        assert snapshot.query(TOTAL).column("n").to_pylist() == [5]
    assert len(built) == 2


def test_snapshots_of_one_version_share_nothing_writable(tmp_path):
    """A snapshot's tables cannot be written to, and what one snapshot registers is its own:
    two requests reading one version cannot change what the other sees."""
    staged = stage_batch(tmp_path, "b1", {"population": population(3)})
    with (
        Snapshot(tmp_path, staged.paths_by_table(), "v") as first,
        Snapshot(tmp_path, staged.paths_by_table(), "v") as second,
    ):
        for table in ("population", "enrolments"):  # one with files, one without
            columns = ", ".join("NULL" for _ in FACT_TABLES[table].columns)
            with pytest.raises(ContractError, match="only reads"):
                first.query(f"insert into {table} values ({columns})")
        for sql in (
            "create view mine as select 1 as x",
            "select 1; create table mine as select 1 as x",
            "CREATE MACRO mine(a) AS a",
        ):
            with pytest.raises(ContractError, match="only reads"):
                first.query(sql)
        with pytest.raises(Exception, match=r"(?i)mine"):
            second.query("select * from mine")
        # a query that only mentions such a word is a query
        assert first.query("select 'create' as word").to_pylist() == [{"word": "create"}]
        assert second.query(TOTAL).column("n").to_pylist() == [3]
        assert second.query("select count(*) as n from enrolments").to_pylist() == [{"n": 0}]


def test_a_snapshot_reads_on_after_its_database_is_dropped(tmp_path, monkeypatch):
    from likvard_core.warehouse import snapshot as module

    monkeypatch.setattr(module, "KEPT_BASES", 1)
    first = stage_batch(tmp_path, "b1", {"population": population(3)})
    second = stage_batch(tmp_path, "b2", {"population": population(2)})
    with Snapshot(tmp_path, _files(first), "A") as version_a:
        with Snapshot(tmp_path, _files(first, second), "B") as version_b:
            assert version_b.query(TOTAL).column("n").to_pylist() == [5]
        assert version_a.query(TOTAL).column("n").to_pylist() == [3]


def test_a_kept_version_whose_file_is_gone_is_refused(tmp_path):
    staged = stage_batch(tmp_path, "b1", {"population": population(3)})
    files = staged.paths_by_table()
    with Snapshot(tmp_path, files, "v") as snapshot:
        assert snapshot.query(TOTAL).column("n").to_pylist() == [3]
    (tmp_path / files["population"][0]).unlink()
    with pytest.raises(FileNotFoundError):
        Snapshot(tmp_path, files, "v")


def test_query_with_sees_the_tables_for_the_query_alone():
    rows = pa.table({"n": [1, 2, 3]})
    with Snapshot.from_tables({}, version="t") as db:
        found = db.query_with({"given": rows}, "SELECT sum(n)::BIGINT AS n FROM given")
        assert found["n"].to_pylist() == [6]
        with pytest.raises(duckdb.CatalogException):
            db.query("SELECT * FROM given")

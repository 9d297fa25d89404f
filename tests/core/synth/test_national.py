"""The national generator writes Parquet in the warehouse contract's schemas, deterministically."""

from __future__ import annotations

import pyarrow.compute as pc
import pyarrow.parquet as pq

from likvard_core.synth.national import TABLES, main, national_dataset
from likvard_core.warehouse.schema import fact_table


def test_tiny_national_dataset_matches_the_contract(tmp_path, reference_dir):
    summary = national_dataset(tmp_path, years=2, scale=0.001, reference_dir=reference_dir)
    assert set(summary.rows) == set(TABLES)
    assert all(count > 0 for count in summary.rows.values())
    assert len(summary.files) == 2 * len(TABLES)
    for path in summary.files:
        table = pq.read_table(path)
        contract = fact_table(path.parent.name)
        assert table.schema.equals(contract.schema), path
        keys = table.group_by(list(contract.key)).aggregate([([], "count_all")])
        assert keys.num_rows == table.num_rows, f"duplicate keys in {path}"
        assert pc.all(pc.equal(pc.utf8_length(table["student_key"]), 32)).as_py()
    grades = pq.read_table(tmp_path / "final_grades" / "2016.parquet")
    assert set(grades["grade"].to_pylist()) <= set("ABCDEF")
    assert summary.total_rows == sum(pq.read_metadata(p).num_rows for p in summary.files)


def test_national_dataset_is_deterministic(tmp_path):
    first = national_dataset(tmp_path / "a", years=1, scale=0.001)
    second = national_dataset(tmp_path / "b", years=1, scale=0.001)
    for a, b in zip(first.files, second.files, strict=True):
        assert pq.read_table(a).equals(pq.read_table(b))


def test_command_line_prints_rows_and_peak_memory(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--scale", "0.001", "--years", "1"]) == 0
    printed = capsys.readouterr().out
    assert "enrolments:" in printed
    assert "peak RSS" in printed


def test_no_national_tests_in_2020_and_2021(tmp_path):
    summary = national_dataset(tmp_path, years=6, scale=0.0005)
    tested = {int(p.stem) for p in summary.files if p.parent.name == "national_tests"}
    assert tested == {2016, 2017, 2018, 2019}

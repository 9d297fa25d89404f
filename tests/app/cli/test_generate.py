"""``likvard generate`` writes the national synthetic data set the benchmarks read."""

from __future__ import annotations

import pyarrow.parquet as pq
from click.testing import CliRunner

from likvard.cli.generate import generate


def test_generate_writes_every_table_and_repeats_itself(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        result = CliRunner().invoke(generate, ["--scale", "0.001", "--years", "2", "-o", str(out)])
        assert result.exit_code == 0, result.output
    assert "enrolments" in result.output
    tables = sorted(p.name for p in first.iterdir())
    assert tables == [
        "absence", "admissions", "course_grades", "diplomas", "enrolments", "final_grades",
        "incidents", "komvux_followup", "komvux_starts", "national_tests",
    ]  # fmt: skip
    for table in tables:
        files = sorted(p.name for p in (first / table).glob("*.parquet"))
        assert len(files) == 2, table
        for name in files:  # same seed and scale: the same rows
            assert pq.read_table(first / table / name).equals(pq.read_table(second / table / name))


def test_generate_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    result = CliRunner().invoke(generate, ["--scale", "0.001", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "inte tom" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]

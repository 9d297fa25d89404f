"""The benchmark runner at a tiny scale: every benchmark measured, ratios from the same run."""

from __future__ import annotations

import fcntl
import os

import pandas as pd
import pytest

from bench import run as bench_run
from bench.harness import Engine, best_of, compare, machine, max_repeat

SCALE = 0.002


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The report of one benchmark run, made once per test run: xdist hands the two tests that
    read it to different workers, so the first worker to get here writes it, under a lock, in
    the folder the workers share, and the other reads it. One timed run per engine after its
    warm-up (``--max-repeat 1``: 21 CPU seconds instead of 33; every engine still runs and is
    compared in full with the product's output)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # this run's folder, holding each worker's popen-gwN
    out = root / "bench-smoke"
    target = out / "BENCHMARKS.md"
    with open(root / "bench-smoke.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            out.mkdir(exist_ok=True)
            args = ["--scale", str(SCALE), "--out-dir", str(out), "--report", str(target),
                    "--max-repeat", "1"]  # fmt: skip
            assert bench_run.main(args) == 0
    return target.read_text(encoding="utf-8")


def _rows(text):
    rows = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 7 and "." in cells[0] and cells[0] != "benchmark":
            rows[cells[0]] = cells
    return rows


@pytest.mark.slow
def test_every_benchmark_has_positive_timings(report):
    rows = _rows(report)
    expected = {
        "ingest.csv",
        "ingest.duckdb_read_csv",
        "ingest.parquet",
        "ingest.duckdb_read_parquet",
        "equity.grade_vs_test",
        "equity.bare_scan",
        "equity.pandas_reference",
        "equity.duckdb_sql",
        "movement.duckdb_sql",
        "movement.bare_scan",
        "quality.duckdb_sql",
        "quality.bare_scan",
        "equity.school_page_cold",
        "equity.school_page_warm",
        "keys.equity_int64",
        "keys.equity_pandas_int64",
        "keys.movement_uuid",
        "completion.cohort_followup",
        "completion.pandas_reference",
        "completion.duckdb_sql",
        "completion.bare_scan",
        "early_warning.evaluation",
        "early_warning.pandas_reference",
        "early_warning.duckdb_sql",
        "early_warning.bare_scan",
        "incidents.followup",
        "incidents.duckdb_sql",
        "incidents.bare_scan",
        "komvux.measures",
        "komvux.pandas_reference",
        "komvux.bare_scan",
    }
    assert expected <= set(rows)
    for name in expected:
        assert float(rows[name][2]) > 0, name
        assert float(rows[name][3].replace(",", "")) > 0, name
    assert f"Scale {SCALE:g}" in report
    assert "## Machine" in report
    for name in ("equity", "movement", "quality", "ingest", "keys", "completion",
                 "early_warning", "incidents", "komvux"):  # fmt: skip
        assert f"<!-- bench:{name} -->" in report, name


@pytest.mark.slow
def test_ratios_are_computed_from_the_same_run(report):
    rows = _rows(report)

    def ratio(name, baseline):
        return float(rows[baseline][2]) / float(rows[name][2])

    # rounded to 3 decimals in the table, so compare loosely
    assert float(rows["ingest.csv"][6]) == pytest.approx(
        ratio("ingest.csv", "ingest.duckdb_read_csv"), rel=0.05, abs=0.01
    )
    assert float(rows["ingest.parquet"][6]) == pytest.approx(
        ratio("ingest.parquet", "ingest.duckdb_read_parquet"), rel=0.05, abs=0.01
    )
    assert float(rows["equity.grade_vs_test"][4]) == pytest.approx(
        ratio("equity.grade_vs_test", "equity.pandas_reference"), rel=0.05, abs=0.01
    )
    assert float(rows["equity.grade_vs_test"][5]) == pytest.approx(
        ratio("equity.grade_vs_test", "equity.duckdb_sql"), rel=0.05, abs=0.01
    )
    for name, baseline in (
        ("completion.cohort_followup", "completion.pandas_reference"),
        ("early_warning.evaluation", "early_warning.pandas_reference"),
        ("incidents.followup", "incidents.pandas_reference"),
        ("komvux.measures", "komvux.pandas_reference"),
    ):
        assert float(rows[name][4]) == pytest.approx(ratio(name, baseline), rel=0.05, abs=0.01)
    # kept (precomputed) figures are never ratios to a computation from raw files
    assert rows["movement.all_flows_kept"][4:] == ["", "", ""]


def test_with_ratios_divides_the_baselines_seconds():
    results = bench_run.with_ratios(
        [
            {"name": "a", "seconds": 2.0, "rows": 10, "pandas": "p", "scan": "s"},
            {"name": "p", "seconds": 8.0, "rows": 10},
            {"name": "s", "seconds": 1.0, "rows": 10},
        ]
    )
    assert results[0]["ratio_pandas"] == 4.0
    assert results[0]["ratio_scan"] == 0.5
    assert results[0]["rows_per_second"] == 5.0
    assert "ratio_pandas" not in results[1]


def test_best_of_runs_a_warmup_and_returns_the_result():
    calls: list[int] = []

    def count() -> int:
        calls.append(1)
        return len(calls)

    seconds, result = best_of(count, repeat=2)
    assert len(calls) == 3
    assert result == 3
    assert seconds >= 0


def test_max_repeat_caps_the_timed_runs_inside_its_block():
    calls: list[int] = []
    with max_repeat(1):
        best_of(lambda: calls.append(1), repeat=5)
    assert len(calls) == 2  # the warm-up and one timed run
    best_of(lambda: calls.append(1), repeat=2)
    assert len(calls) == 5  # outside the block: each benchmark's own count again


def test_machine_names_versions():
    host = machine()
    labels = dict(host.rows())
    assert host.cores >= 1
    assert all(labels[name] for name in ("DuckDB", "pandas", "Python"))


def _frame(values):
    return pd.DataFrame({"k": list(range(len(values))), "v": values})


def test_compare_times_every_engine_alike_and_checks_outputs_in_full():
    calls = {"p": 0, "b": 0}

    def product():
        calls["p"] += 1
        return [1.0, 2.0, 3.0]

    def baseline():
        calls["b"] += 1
        return [1.0, 2.0, 3.0]

    results = compare(
        Engine("x.product", product, _frame),
        {"pandas": Engine("x.pandas", baseline, _frame)},
        rows=3,
        repeat=2,
    )
    assert calls == {"p": 3, "b": 3}  # one warm-up and two timed runs each
    assert results[0]["pandas"] == "x.pandas"
    assert results[1]["checked_equal"] is True


def test_compare_refuses_to_report_engines_that_disagree():
    with pytest.raises(AssertionError, match="column v differs"):
        compare(
            Engine("x.product", lambda: [1.0, 2.0, 3.0], _frame),
            {"sql": Engine("x.sql", lambda: [1.0, 2.0, 3.5], _frame)},
            rows=3,
            repeat=1,
        )
    with pytest.raises(AssertionError, match="rows"):
        compare(
            Engine("x.product", lambda: [1.0, 2.0], _frame),
            {"sql": Engine("x.sql", lambda: [1.0, 2.0, 3.0], _frame)},
            rows=3,
            repeat=1,
        )


def test_compare_times_the_pandas_reference_last_and_checks_each_baseline_at_once():
    order: list[str] = []

    def engine(name, values):
        return Engine(name, lambda: order.append(name) or values, _frame)

    results = compare(
        engine("x.product", [1.0, 2.0]),
        {"pandas": engine("x.pandas", [1.0, 2.0]), "sql": engine("x.sql", [1.0, 2.0])},
        rows=2,
        repeat=1,
    )
    assert order == ["x.product"] * 2 + ["x.sql"] * 2 + ["x.pandas"] * 2
    assert [r["name"] for r in results] == ["x.product", "x.pandas", "x.sql"]  # report order
    order.clear()
    with pytest.raises(AssertionError, match=r"x\.sql: column v differs"):
        compare(
            engine("x.product", [1.0, 2.0]),
            {"pandas": engine("x.pandas", [1.0, 2.0]), "sql": engine("x.sql", [1.0, 2.5])},
            rows=2,
            repeat=1,
        )
    assert "x.pandas" not in order  # the long reference is not run after a disagreement


def test_best_of_with_a_name_logs_each_run_with_its_cpu_seconds(capsys):
    best_of(lambda: None, repeat=2, name="x.product")
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(" ", 2)[2].split(":")[0] for line in lines] == [
        "warm-up", "run 1", "run 2"
    ]  # fmt: skip
    assert all(" s wall, " in line and " s CPU, load " in line for line in lines)


def test_rerunning_one_module_keeps_the_other_sections(tmp_path):
    from bench import run as r

    section = r.module_section(
        "equity", [{"name": "equity.x", "seconds": 1.0, "rows": 1}], load=0.1,
        when=__import__("datetime").datetime(2026, 1, 1, tzinfo=__import__("datetime").UTC),
    )  # fmt: skip
    kept = r.kept_sections(f"# Benchmarks\n\n{section}\n")
    assert kept == {"equity": section}


def test_hand_run_sections_after_the_kept_line_survive_a_rerun():
    from bench import run as r

    previous = f"# Benchmarks\n\nold generated text\n\n{r.KEPT}\n\n## Load\n\np95 1 s\n"
    tail = r.kept_tail(previous)
    assert tail.startswith(r.KEPT)
    assert "## Load" in tail
    assert "old generated text" not in tail
    assert r.kept_tail("# Benchmarks\n") == ""

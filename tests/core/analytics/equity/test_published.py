"""The published-statistics comparison: test pass rate against subject pass rate."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest

from likvard_core.analytics.equity.published import (
    GRADE_PASSED,
    GRADE_TABLE,
    TEST_COUNT,
    TEST_PASSED,
    TEST_POINTS,
    TEST_TAKEN,
    published_gap_spread,
    published_gap_trends,
    published_grade_vs_test,
)
from likvard_core.warehouse.snapshot import Snapshot

TEST_TABLE = "Grundskola - Resultat nationella prov årskurs 9, provbetyg per kön - Engelska"


def _row(
    table: str,
    year: int,
    area: str,
    subject: str,
    *,
    measure: str,
    value: float | None,
    status: str = "exists",
    group: str = "all",
    organizer_type: str = "all",
) -> dict[str, object]:
    return {
        "source": "skolverket",
        "table_name": table,
        "school_year": year,
        "level": "municipality",
        "area_code": area,
        "organizer_type": organizer_type,
        "subject": subject,
        "measure": measure,
        "group": group,
        "value": value,
        "status": status,
        "raw": ".." if value is None else str(value),
    }


def _test(
    year: int,
    area: str,
    subject: str,
    *,
    passed: float | None,
    points: float,
    n: float = 100.0,
    **kw: str,
) -> list[dict[str, object]]:
    status = "exists" if passed is not None else "too_few"
    return [
        _row(
            TEST_TABLE, year, area, subject, measure=TEST_PASSED, value=passed, status=status, **kw
        ),
        _row(TEST_TABLE, year, area, subject, measure=TEST_POINTS, value=points, **kw),
        _row(TEST_TABLE, year, area, subject, measure=TEST_COUNT, value=n, **kw),
        _row(TEST_TABLE, year, area, subject, measure=TEST_TAKEN, value=90.0, **kw),
    ]


def _grade(year: int, area: str, subject: str, passed: float, **kw: str) -> dict[str, object]:
    return _row(GRADE_TABLE, year, area, subject, measure=GRADE_PASSED, value=passed, **kw)


@pytest.fixture
def snapshot() -> Snapshot:
    rows: list[dict[str, object]] = []
    # Municipality 1480, mathematics: three test years, grades every year 2021-2024.
    for year, test, grade in ((2022, 84.0, 86.9), (2023, 89.3, 85.9), (2024, 85.4, 85.2)):
        rows += _test(year, "1480", "Matematik", passed=test, points=11.0)
        rows.append(_grade(year, "1480", "Matematik", grade))
    rows.append(_grade(2021, "1480", "Matematik", 87.7))  # no test that year (pandemic)
    # A suppressed test share, and a girls-only row that must not leak into "all".
    rows += _test(2024, "0114", "Engelska", passed=None, points=15.0, n=7.0)
    rows.append(_grade(2024, "0114", "Engelska", 92.0))
    rows += _test(2024, "0114", "Engelska", passed=10.0, points=1.0, group="girls")
    # Another organizer type, and a subject graded but never tested.
    rows += _test(2024, "1480", "Matematik", passed=80.0, points=10.0, organizer_type="kommunal")
    rows.append(_grade(2024, "1480", "Matematik", 82.0, organizer_type="kommunal"))
    rows.append(_grade(2024, "1480", "Bild", 97.0))
    table = pa.Table.from_pylist(rows).append_column("batch_id", pa.array(["b"] * len(rows)))
    return Snapshot.from_tables({"public_stats": table}, version="t1")


def test_gap_is_grade_minus_test_in_points(snapshot: Snapshot) -> None:
    rows = published_grade_vs_test(snapshot, municipalities=["1480"]).table.to_pylist()
    assert [(r["school_year"], r["gap_pass"]) for r in rows] == [
        (2022, pytest.approx(2.9)),
        (2023, pytest.approx(-3.4)),
        (2024, pytest.approx(-0.2)),
    ]
    assert rows[-1]["test_points_mean"] == 11.0
    assert rows[-1]["n_tested"] == 100
    assert {r["subject"] for r in rows} == {"Matematik"}  # Bild has no test


def test_suppressed_test_share_gives_no_gap_and_keeps_the_mark(snapshot: Snapshot) -> None:
    aggregate = published_grade_vs_test(snapshot, municipalities=["0114"])
    (row,) = aggregate.table.to_pylist()
    assert row["test_pass_share"] is None
    assert row["test_pass_status"] == "too_few"
    assert row["gap_pass"] is None
    assert row["grade_pass_share"] == 92.0
    assert aggregate.population.student_level is False


def test_organizer_types_are_separate_rows(snapshot: Snapshot) -> None:
    table = published_grade_vs_test(
        snapshot, municipalities=["1480"], organizer_types=["kommunal"]
    ).table
    assert table.column("gap_pass").to_pylist() == [pytest.approx(2.0)]
    every = published_grade_vs_test(snapshot, organizer_types=["all", "kommunal"]).table
    assert every.num_rows == 5


def test_trend_slope_and_counts(snapshot: Snapshot) -> None:
    rows = {r["area_code"]: r for r in published_gap_trends(snapshot).table.to_pylist()}
    gothenburg = rows["1480"]
    assert gothenburg["years"] == 3
    assert (gothenburg["first_year"], gothenburg["last_year"]) == (2022, 2024)
    assert gothenburg["gap_latest"] == pytest.approx(-0.2)
    assert gothenburg["gap_mean"] == pytest.approx((2.9 - 3.4 - 0.2) / 3)
    # slope = sum((x - 2023) * y) / sum((x - 2023)^2) = (-2.9 - 0.2) / 2
    assert gothenburg["gap_slope"] == pytest.approx(-1.55)
    assert (gothenburg["years_grade_above"], gothenburg["years_grade_below"]) == (1, 2)
    assert gothenburg["n_tested"] == 300
    lone = rows["0114"]
    assert lone["years"] == 0
    assert lone["gap_slope"] is None or math.isnan(lone["gap_slope"])


def test_subject_filter(snapshot: Snapshot) -> None:
    table = published_grade_vs_test(snapshot, subjects=["Engelska"]).table
    assert table.column("subject").to_pylist() == ["Engelska"]


def test_spread_over_municipalities(snapshot: Snapshot) -> None:
    rows = published_gap_spread(snapshot).table.to_pylist()
    by_year = {(r["subject"], r["school_year"]): r for r in rows}
    # 2024 mathematics: only 1480 (gap -0.2); 0114's English gap is suppressed.
    assert by_year[("Matematik", 2024)]["municipalities"] == 1
    assert by_year[("Matematik", 2024)]["gap_median"] == pytest.approx(-0.2)
    assert ("Engelska", 2024) not in by_year

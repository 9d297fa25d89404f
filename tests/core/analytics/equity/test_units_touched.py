"""Which units' comparison rows an import or a withdrawal can change (``units_touched``)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from likvard_core.analytics.equity.grade_vs_test import COURSE_GRADE_YEAR, units_touched
from likvard_core.warehouse.snapshot import Snapshot


def _grades(grade_year: int, unit: str, student: str) -> dict[str, pa.Table]:
    if grade_year == COURSE_GRADE_YEAR:
        return {
            "course_grades": pa.table({
                "school_year": [2025], "student_key": [student], "school_unit_code": [unit],
                "programme_code": ["NA"], "course_code": ["MATMAT01a"], "course_points": [100],
                "grade": ["C"],
            })
        }  # fmt: skip
    return {
        "final_grades": pa.table({
            "school_year": [2025], "student_key": [student], "school_unit_code": [unit],
            "grade_year": [grade_year], "subject_code": ["MA"], "grade": ["C"],
            "language_choice": [False],
        })
    }  # fmt: skip


def _test(grade_year: int, unit: str, student: str) -> pa.Table:
    return pa.table({
        "school_year": [2025], "student_key": [student], "school_unit_code": [unit],
        "grade_year": [grade_year], "subject_code": ["MA"], "test_grade": ["C"],
    })  # fmt: skip


@pytest.mark.parametrize("grade_year", [9, COURSE_GRADE_YEAR])
def test_a_test_filed_by_another_unit_touches_the_grading_unit(grade_year: int) -> None:
    """Student s1 is graded at unit A; B's file of tests holds s1's test: importing (or
    withdrawing) B's file changes A's rows, and B (no grades) has none to change."""
    version = Snapshot.from_tables(
        {**_grades(grade_year, "A", "s1"), "national_tests": _test(grade_year, "B", "s1")},
        version="new",
    )
    changes = Snapshot.from_tables({"national_tests": _test(grade_year, "B", "s1")}, "b")
    with version, changes:
        assert units_touched(changes, version, grade_year=grade_year, years=[2025]) == ["A"]
        assert units_touched(changes, version, grade_year=grade_year, years=[2024]) == []


def test_withdrawn_grades_touch_their_unit() -> None:
    """A withdrawal: the grades are gone from the version but their unit's rows change."""
    version = Snapshot.from_tables({}, version="new")
    changes = Snapshot.from_tables(_grades(9, "C", "s2"), "c")
    with version, changes:
        assert units_touched(changes, version, grade_year=9, years=[2025]) == ["C"]

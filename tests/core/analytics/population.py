"""Synthetic student populations as warehouse fact tables (Arrow), seeded and vectorised."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from likvard_core.warehouse.schema import ENROLMENTS, FINAL_GRADES, NATIONAL_TESTS

GRADES = np.array(["F", "E", "D", "C", "B", "A"])
TEST_GRADE_PROBS = np.array([0.08, 0.27, 0.22, 0.22, 0.13, 0.08])


@dataclass(frozen=True, slots=True)
class SchoolSpec:
    """One synthetic school unit: code, students per year, and grading behaviour."""

    code: str
    students: int
    p_higher: float = 0.20
    p_lower: float = 0.10
    organizer: str = "2120000000"


def _final_from_test(
    rng: np.random.Generator, steps: np.ndarray, p_higher: float, p_lower: float
) -> np.ndarray:
    draw = rng.random(steps.size)
    shift = np.where(draw < p_higher, 1, np.where(draw < p_higher + p_lower, -1, 0))
    final = steps + shift
    # Clamp at the ends of the scale: an A cannot go higher, an F cannot go lower.
    return np.clip(final, 0, 5)


def grade_tables(
    schools: Sequence[SchoolSpec],
    years: Sequence[int],
    subjects: Sequence[str],
    *,
    seed: int,
    inflated_years: dict[str, Sequence[int]] | None = None,
) -> dict[str, pa.Table]:
    """Enrolments, final grades and national tests for year-9 students of ``schools``.

    Every student takes a test in every subject; the final grade equals the test grade, or is
    one step higher (lower) with the school's ``p_higher`` (``p_lower``). ``inflated_years``
    restricts a school's own ``p_higher`` to those years (baseline 0.20 otherwise).
    """
    rng = np.random.default_rng(seed)
    enrol: dict[str, list[object]] = {c: [] for c in ENROLMENTS.columns}
    finals: dict[str, list[object]] = {c: [] for c in FINAL_GRADES.columns}
    tests: dict[str, list[object]] = {c: [] for c in NATIONAL_TESTS.columns}
    for school in schools:
        for year in years:
            keys = [f"{school.code}-{year}-{i}" for i in range(school.students)]
            genders = rng.choice(["F", "M"], size=school.students)
            _extend(enrol, _enrolment_rows(school, year, keys, genders, rng))
            p_higher = school.p_higher
            if inflated_years and school.code in inflated_years:
                p_higher = school.p_higher if year in inflated_years[school.code] else 0.20
            for subject in subjects:
                steps = rng.choice(6, size=school.students, p=TEST_GRADE_PROBS)
                final = _final_from_test(rng, steps, p_higher, school.p_lower)
                common = {
                    "school_year": [year] * school.students,
                    "student_key": keys,
                    "school_unit_code": [school.code] * school.students,
                    "grade_year": [9] * school.students,
                    "subject_code": [subject] * school.students,
                    "batch_id": ["synthetic"] * school.students,
                }
                _extend(tests, {**common, "test_grade": GRADES[steps].tolist()})
                _extend(
                    finals,
                    {
                        **common,
                        "grade": GRADES[final].tolist(),
                        "language_choice": [False] * school.students,
                    },
                )
    return {
        "enrolments": pa.table(enrol, schema=ENROLMENTS.schema),
        "final_grades": pa.table(finals, schema=FINAL_GRADES.schema),
        "national_tests": pa.table(tests, schema=NATIONAL_TESTS.schema),
    }


def _enrolment_rows(
    school: SchoolSpec, year: int, keys: list[str], genders: np.ndarray, rng: np.random.Generator
) -> dict[str, list[object]]:
    n = len(keys)
    return {
        "school_year": [year] * n,
        "student_key": keys,
        "school_unit_code": [school.code] * n,
        "organizer_code": [school.organizer] * n,
        "school_form": ["grundskola"] * n,
        "grade_year": [9] * n,
        "programme_code": [None] * n,
        "home_municipality_code": ["1480"] * n,
        "gender": genders.tolist(),
        "born_abroad": (rng.random(n) < 0.2).tolist(),
        "newly_arrived": (rng.random(n) < 0.05).tolist(),
        "parents_education": rng.uniform(1.0, 3.0, n).astype(np.float32).tolist(),
        "batch_id": ["synthetic"] * n,
    }


def _extend(target: dict[str, list[object]], rows: dict[str, list[object]]) -> None:
    for column, values in rows.items():
        target[column].extend(values)

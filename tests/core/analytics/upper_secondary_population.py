"""Synthetic upper-secondary cohorts whose school results follow known linear coefficients.

Each school's diploma probability and its diploma students' expected grade points are exact
linear functions of the school's background means (``DIPLOMA`` and ``GBP`` coefficients), so
a school-level regression should recover those coefficients up to sampling noise.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from likvard_core.warehouse.schema import COURSE_GRADES, ENROLMENTS

DIPLOMA = {
    "const": 0.30,
    "parents_education": 0.25,
    "share_boys": -0.20,
    "share_newly_arrived": -0.40,
}
GBP = {"const": 6.0, "parents_education": 4.0, "share_boys": -2.0, "share_newly_arrived": -3.0}
VALUES = np.array([0.0, 10.0, 12.5, 15.0, 17.5, 20.0])
LETTERS = np.array(["F", "E", "D", "C", "B", "A"])
REQUIRED = ("GYARBETE", "SVESVE01", "ENGENG05", "MATMAT01b")
OTHER = ("HISHIS01b", "SAMSAM01b", "NAKNAK01b", "RELREL01")
START = 2022


def _linear(coefficients: dict[str, float], education: float, boys: float, newly: float) -> float:
    return (
        coefficients["const"]
        + coefficients["parents_education"] * education
        + coefficients["share_boys"] * boys
        + coefficients["share_newly_arrived"] * newly
    )


def _graded(rng: np.random.Generator, target: float, size: int) -> np.ndarray:
    """Grade letters over 10-20 whose expected value is ``target`` (mixing two neighbours)."""
    passing = VALUES[1:]
    target = float(np.clip(target, passing[0], passing[-1]))
    upper = int(np.clip(np.searchsorted(passing, target), 1, len(passing) - 1))
    low, high = passing[upper - 1], passing[upper]
    chosen = np.where(rng.random(size) < (target - low) / (high - low), upper, upper - 1)
    return LETTERS[1:][chosen]


def cohort_tables(
    schools: int, *, seed: int, programme: str = "SA", students: tuple[int, int] = (30, 80)
) -> dict[str, pa.Table]:
    """Enrolments (years 1-3 from autumn 2021) and course grades for ``schools`` units."""
    rng = np.random.default_rng(seed)
    enrol: list[dict[str, object]] = []
    courses: list[dict[str, object]] = []
    for school in range(schools):
        code = f"7000{school:04d}"
        n = int(rng.integers(*students))
        education = np.clip(rng.normal(rng.uniform(1.7, 2.7), 0.3, n), 1.0, 3.0)
        boys = rng.random(n) < rng.uniform(0.3, 0.7)
        newly = rng.random(n) < rng.uniform(0.0, 0.25)
        means = (float(education.mean()), float(boys.mean()), float(newly.mean()))
        diploma = rng.random(n) < np.clip(_linear(DIPLOMA, *means), 0.0, 1.0)
        gbp = _linear(GBP, *means)
        for i in range(n):
            key = f"{code}-{i}"
            enrol.extend(
                {
                    "school_year": START + grade_year - 1,
                    "student_key": key,
                    "school_unit_code": code,
                    "organizer_code": "2120000001",
                    "school_form": "gymnasieskola",
                    "grade_year": grade_year,
                    "programme_code": programme,
                    "home_municipality_code": "1480",
                    "gender": "M" if boys[i] else "F",
                    "born_abroad": bool(newly[i]),
                    "newly_arrived": bool(newly[i]),
                    "parents_education": float(education[i]),
                }
                for grade_year in (1, 2, 3)
            )
            letters = _graded(rng, gbp, len(REQUIRED) + len(OTHER))
            for index, course in enumerate((*REQUIRED, *OTHER)):
                letter = "E" if course == "GYARBETE" else str(letters[index])
                if course == "SVESVE01" and not diploma[i]:
                    letter = "F"
                courses.append(
                    {
                        "school_year": START + (2 if course == "GYARBETE" else index % 3),
                        "student_key": key,
                        "school_unit_code": code,
                        "programme_code": programme,
                        "course_code": course,
                        "course_points": 100,
                        "grade": letter,
                    }
                )
    return {
        "enrolments": pa.Table.from_pylist(enrol, schema=_schema(ENROLMENTS.schema)),
        "course_grades": pa.Table.from_pylist(courses, schema=_schema(COURSE_GRADES.schema)),
    }


def _schema(schema: pa.Schema) -> pa.Schema:
    return schema.remove(schema.get_field_index("batch_id"))

"""Upper-secondary course grades and the national course tests of the first year.

The common courses carry their Gy11 codes (SVESVE01, ENGENG05, MATMAT01c ...). Each
programme's own courses (karaktärsämnen) get synthetic codes ``<programme>KARAK<year><n>``,
which are not real course codes. The gymnasiearbete (``GYARBETE``) is graded E or F only.
"""

# ruff: noqa: PLR2004  (a generator is made of numeric model parameters)

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from likvard_core.synth import grading

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
StrArray = npt.NDArray[np.str_]

Course = tuple[str, int]
SCIENCE_MATH = ("MATMAT01c", "MATMAT02c", "MATMAT03c")
SOCIAL_MATH = ("MATMAT01b", "MATMAT02b")
PREPARATORY_COMMON: dict[int, tuple[Course, ...]] = {
    1: (("SVESVE01", 100), ("ENGENG05", 100), ("IDRIDR01", 100), ("HISHIS01b", 100)),
    2: (("SVESVE02", 100), ("ENGENG06", 100), ("RELREL01", 50), ("SAMSAM01b", 100)),
    3: (("SVESVE03", 100), ("GYARBETE", 100)),
}
VOCATIONAL_COMMON: dict[int, tuple[Course, ...]] = {
    1: (("SVESVE01", 100), ("ENGENG05", 100), ("IDRIDR01", 100), ("MATMAT01a", 100)),
    2: (("HISHIS01a1", 50), ("SAMSAM01a1", 50), ("NAKNAK01a1", 50), ("RELREL01", 50)),
    3: (("GYARBETE", 100),),
}
INTRODUCTION: dict[str, tuple[Course, ...]] = {
    "IMV": (("SVESVE01", 100), ("ENGENG05", 100)),
    "IMY": (("SVESVE01", 100),),
}
TESTED_COURSES = ("SVESVE01", "ENGENG05", "MATMAT01a", "MATMAT01b", "MATMAT01c")
"""Courses with a national test in the first year (SVASVA01 stands in for SVESVE01)."""


def programme_courses(programme: str, year: int) -> tuple[Course, ...]:
    """The courses a student of ``programme`` takes in upper-secondary ``year`` (1-3)."""
    if programme in INTRODUCTION:
        return INTRODUCTION[programme] if year == 1 else ()
    if programme.startswith("IM"):
        return ()
    preparatory = programme in {"NA", "TE", "EK", "SA", "ES", "HU"}
    common = (PREPARATORY_COMMON if preparatory else VOCATIONAL_COMMON)[year]
    maths: tuple[str, ...] = ()
    if programme in {"NA", "TE"}:
        maths = SCIENCE_MATH[year - 1 : year]
    elif programme in {"EK", "SA"} and year <= 2:
        maths = SOCIAL_MATH[year - 1 : year]
    elif programme in {"ES", "HU"} and year == 1:
        maths = SOCIAL_MATH[:1]
    own_count = 2 if preparatory else 4
    own = tuple((f"{programme}KARAK{year}{n}", 100) for n in range(1, own_count + 1))
    return common + tuple((code, 100) for code in maths) + own


def _swedish(code: str, second_language: BoolArray) -> StrArray:
    if not code.startswith("SVESVE"):
        return np.full(second_language.size, code)
    return np.where(second_language, code.replace("SVESVE", "SVASVA"), code)


@dataclass(frozen=True, slots=True)
class CourseMarks:
    """Long-form course grades (and, for tested courses, test grades)."""

    row: IntArray  # index into the enrolment rows given
    course: StrArray
    points: IntArray
    step: IntArray
    test_row: IntArray
    test_course: StrArray
    test_step: IntArray


def course_marks(
    rng: np.random.Generator,
    *,
    programme: StrArray,
    gy_year: IntArray,
    base: FloatArray,
    leniency: FloatArray,
    second_language: BoolArray,
) -> CourseMarks:
    """Grades for each enrolment row's courses; first-year tested courses also get a test."""
    parts: list[tuple[IntArray, StrArray, IntArray, IntArray]] = []
    tests: list[tuple[IntArray, StrArray, IntArray]] = []
    for code in np.unique(programme):
        for year in (1, 2, 3):
            rows = np.flatnonzero((programme == code) & (gy_year == year))
            if rows.size == 0:
                continue
            for course, points in programme_courses(str(code), year):
                offset = 0.3 if "KARAK" in course else (-0.25 if "MAT" in course else 0.05)
                noise = rng.normal(0.0, grading.SUBJECT_NOISE, rows.size)
                knowledge = base[rows] + offset + noise
                steps = grading.teacher_grade(rng, knowledge, "SV", leniency[rows])
                if course == "GYARBETE":
                    steps = np.where(knowledge > -1.3, 1, 0)
                names = _swedish(course, second_language[rows])
                parts.append((rows, names, np.full(rows.size, points), steps))
                if course in TESTED_COURSES:
                    tests.append((rows, names, grading.test_grade(rng, knowledge)))
    return CourseMarks(
        row=np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64),
        course=np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, "<U12"),
        points=np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, np.int64),
        step=np.concatenate([p[3] for p in parts]) if parts else np.zeros(0, np.int64),
        test_row=np.concatenate([t[0] for t in tests]) if tests else np.zeros(0, np.int64),
        test_course=np.concatenate([t[1] for t in tests]) if tests else np.zeros(0, "<U12"),
        test_step=np.concatenate([t[2] for t in tests]) if tests else np.zeros(0, np.int64),
    )

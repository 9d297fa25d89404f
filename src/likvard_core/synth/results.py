"""Year-6 and year-9 subject grades and national test results for one school year's students."""

# ruff: noqa: PLR2004  (a generator is made of numeric model parameters)

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from likvard_core.synth import grading
from likvard_core.synth.grading import BoolArray, FloatArray

IntArray = npt.NDArray[np.int64]
StrArray = npt.NDArray[np.str_]

CORE = ("EN", "MA", "SV")


@dataclass(frozen=True, slots=True)
class Marks:
    """Long-form marks: one entry per student and subject."""

    student: IntArray
    school: IntArray
    subject: StrArray
    step: IntArray
    language_choice: BoolArray


@dataclass(frozen=True, slots=True)
class YearResults:
    """One grade year's grades and tests, plus what upper-secondary admission needs."""

    grades: Marks
    tests: Marks
    merit: FloatArray  # per student of the input order
    core_passed: BoolArray  # E or better in SV/SVA, EN and MA
    passed: IntArray  # number of subjects with E or better (of the 16)


@dataclass(frozen=True, slots=True)
class Cohort:
    """The students of one grade year in one school year, and who they are."""

    student: IntArray
    school: IntArray
    ability: FloatArray
    parents_education: FloatArray
    girl: BoolArray
    newly_arrived: BoolArray
    second_language: BoolArray


def _marks(parts: list[tuple[IntArray, IntArray, str, IntArray, bool]]) -> Marks:
    if not parts:
        empty = np.zeros(0, np.int64)
        return Marks(empty, empty, np.zeros(0, "<U3"), empty, np.zeros(0, bool))
    return Marks(
        student=np.concatenate([p[0] for p in parts]),
        school=np.concatenate([p[1] for p in parts]),
        subject=np.concatenate([np.full(p[0].size, p[2], "<U3") for p in parts]),
        step=np.concatenate([p[3] for p in parts]),
        language_choice=np.concatenate([np.full(p[0].size, p[4]) for p in parts]),
    )


def year_results(
    rng: np.random.Generator,
    cohort: Cohort,
    *,
    grade_year: int,
    school_effect: FloatArray,
    leniency: FloatArray,
    test_subjects: dict[str, StrArray],
) -> YearResults:
    """Grades in the 16 subjects (plus M2 in year 9) and the year's national tests.

    ``test_subjects`` maps "NO"/"SO" to each school's tested subject (year 9); ``leniency``
    is each school's extra grading leniency over its tests.
    """
    base = grading.base_knowledge(
        cohort.ability, cohort.parents_education, cohort.newly_arrived, school_effect[cohort.school]
    )
    extra = leniency[cohort.school]
    grade_parts: list[tuple[IntArray, IntArray, str, IntArray, bool]] = []
    test_parts: list[tuple[IntArray, IntArray, str, IntArray, bool]] = []
    points = np.zeros(cohort.student.size)
    passed = np.zeros(cohort.student.size, np.int64)
    core = np.ones(cohort.student.size, bool)
    tests = set(CORE) if grade_year == 6 else set(CORE) | {"BI", "FY", "KE", "GE", "HI", "RE", "SH"}
    for subject in grading.SUBJECTS:
        knowledge = grading.subject_knowledge(rng, base, cohort.girl, subject)
        steps = grading.teacher_grade(rng, knowledge, subject, extra)
        points += grading.GRADE_POINT_BY_STEP[steps]
        passed += steps > 0
        if subject in CORE:
            core &= steps > 0
        for code, mask in _split_swedish(subject, cohort.second_language):
            grade_parts.append(
                (cohort.student[mask], cohort.school[mask], code, steps[mask], False)
            )
            if subject in tests:
                sits = _sits_test(subject, grade_year, cohort.school[mask], test_subjects)
                test_steps = grading.test_grade(rng, knowledge[mask])
                test_parts.append(
                    (
                        cohort.student[mask][sits],
                        cohort.school[mask][sits],
                        code,
                        test_steps[sits],
                        False,
                    )
                )
    if grade_year == 9:
        chooses = grading.takes_language_choice(rng, base)
        knowledge = grading.subject_knowledge(rng, base, cohort.girl, grading.LANGUAGE_CHOICE)
        steps = grading.teacher_grade(rng, knowledge, grading.LANGUAGE_CHOICE, extra)
        points += np.where(chooses, grading.GRADE_POINT_BY_STEP[steps], 0.0)
        grade_parts.append(
            (
                cohort.student[chooses],
                cohort.school[chooses],
                grading.LANGUAGE_CHOICE,
                steps[chooses],
                True,
            )
        )
    return YearResults(_marks(grade_parts), _marks(test_parts), points, core, passed)


def _split_swedish(subject: str, second_language: BoolArray) -> list[tuple[str, BoolArray]]:
    if subject != "SV":
        return [(subject, np.ones(second_language.size, bool))]
    return [("SV", ~second_language), (grading.SECOND_LANGUAGE, second_language)]


def _sits_test(
    subject: str, grade_year: int, schools: IntArray, test_subjects: dict[str, StrArray]
) -> BoolArray:
    if subject in CORE:
        return np.ones(schools.size, bool)
    if grade_year != 9:
        return np.zeros(schools.size, bool)
    area = "NO" if subject in grading.SCIENCE_TESTS else "SO"
    return np.asarray(test_subjects[area][schools] == subject, dtype=np.bool_)

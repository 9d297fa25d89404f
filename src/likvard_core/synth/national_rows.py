"""One school year of one chunk of the national dataset, as numpy columns per fact table."""

# ruff: noqa: PLR2004  (a generator is made of numeric model parameters)

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from likvard_core.synth import grading
from likvard_core.synth.courses import course_marks
from likvard_core.synth.national_paths import LONGEST, upper_secondary_paths, upper_secondary_places
from likvard_core.synth.national_world import Country, NationalCohort, national_cohort
from likvard_core.synth.population import rng_for
from likvard_core.synth.results import Cohort, Marks, year_results
from likvard_core.terms import national_tests_held

Columns = dict[str, npt.NDArray[np.generic]]
ChunkRows = dict[str, Columns]
IntArray = npt.NDArray[np.int64]


def _concat(parts: list[Columns]) -> Columns:
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def _enrolment(
    country: Country, cohort: NationalCohort, year: int, *, school: IntArray, grade: int | IntArray,
    programme: npt.NDArray[np.str_], rows: IntArray,
) -> Columns:  # fmt: skip
    stage = np.broadcast_to(np.asarray(grade, np.int64), (rows.size,))
    return {
        "school_year": np.full(rows.size, year),
        "student_id": cohort.ids[rows],
        "school": school,
        "organizer_code": country.organizer_codes[school],
        "school_form": np.where(stage > 9, "gymnasieskola", "grundskola"),
        "grade_year": np.where(stage > 9, stage - 9, stage),
        "programme_code": programme,
        "home_municipality_code": country.municipality_codes[
            country.school_municipality[cohort.school[rows]]
        ],
        "gender": np.where(cohort.girl[rows], "F", "M"),
        "born_abroad": cohort.born_abroad[rows],
        "newly_arrived": cohort.newly_arrived[rows],
        "parents_education": cohort.parents_education[rows],
    }


def _marks(year: int, grade_year: int, cohort: NationalCohort, marks: Marks, grade: str) -> Columns:
    columns: Columns = {
        "school_year": np.full(marks.student.size, year),
        "student_id": cohort.ids[marks.student],
        "school": marks.school,
        "grade_year": np.full(marks.student.size, grade_year),
        "subject_code": marks.subject,
        grade: grading.GRADE_LETTERS[marks.step],
    }
    if grade == "grade":
        columns["language_choice"] = marks.language_choice
    return columns


def _as_cohort(cohort: NationalCohort) -> Cohort:
    return Cohort(
        np.arange(cohort.ids.size), cohort.school, cohort.ability, cohort.parents_education,
        cohort.girl, cohort.newly_arrived, cohort.second_language,
    )  # fmt: skip


def chunk_rows(
    country: Country, chunk: int, schools: IntArray, year: int, *, seed: int, scale: float
) -> ChunkRows:
    """Rows of every table for school year ``year`` and the school ids ``schools``."""
    tables: dict[str, list[Columns]] = {}

    def cohort(grade: int) -> NationalCohort:
        return national_cohort(country, chunk, schools, year - 7 - grade, seed=seed, scale=scale)

    for grade in range(1, 10 + LONGEST):
        group = cohort(grade)
        rows = np.arange(group.ids.size)
        if grade <= 9:
            columns = _enrolment(
                country, group, year, school=group.school, grade=grade,
                programme=np.full(rows.size, ""), rows=rows,
            )  # fmt: skip
            tables.setdefault("enrolments", []).append(columns)
            if grade in (6, 9):
                _results(country, group, grade, year, seed=seed, tables=tables)
            continue
        paths = upper_secondary_paths(
            country, chunk, schools, birth_year=year - 7 - grade, cohort=group, seed=seed
        )
        now = paths.enrolled(grade - 10)
        tables.setdefault("enrolments", []).append(
            _enrolment(
                country,
                group,
                year,
                school=now.school,
                grade=9 + now.grade_year,
                programme=now.programme,
                rows=now.rows,
            )
        )
        if grade == 10:
            _courses(
                country, group, school=paths.school, programme=paths.programme, year=year,
                seed=seed, tables=tables,
            )  # fmt: skip
    nine = cohort(9)
    school, programme, second = upper_secondary_places(
        country, chunk, schools, birth_year=year - 16, cohort=nine, seed=seed
    )
    tables["admissions"] = [
        _admissions(nine, year, school=school, programme=programme, second=second, country=country)
    ]
    return {name: _concat(parts) for name, parts in tables.items() if parts}


def _results(
    country: Country, group: NationalCohort, grade: int, year: int, *, seed: int,
    tables: dict[str, list[Columns]],
) -> None:  # fmt: skip
    rng = rng_for(seed, "national-results", grade, year, int(group.ids[0]) if group.ids.size else 0)
    subjects_rng = rng_for(seed, "national-test-subjects", year)
    n = country.school_codes.size
    tested = {
        "NO": subjects_rng.choice(np.array(grading.SCIENCE_TESTS), n),
        "SO": subjects_rng.choice(np.array(grading.SOCIAL_TESTS), n),
    }
    results = year_results(
        rng, _as_cohort(group), grade_year=grade, school_effect=country.effect,
        leniency=country.leniency, test_subjects=tested,
    )  # fmt: skip
    tables.setdefault("final_grades", []).append(
        _marks(year, grade, group, results.grades, "grade")
    )
    if national_tests_held(year):
        tables.setdefault("national_tests", []).append(
            _marks(year, grade, group, results.tests, "test_grade")
        )


def _courses(
    country: Country, group: NationalCohort, *, school: IntArray,
    programme: npt.NDArray[np.str_], year: int, seed: int, tables: dict[str, list[Columns]],
) -> None:  # fmt: skip
    base = grading.base_knowledge(
        group.ability, group.parents_education, group.newly_arrived, country.effect[school]
    )
    marks = course_marks(
        rng_for(seed, "national-courses", year, int(group.ids[0]) if group.ids.size else 0),
        programme=programme, gy_year=np.ones(school.size, np.int64), base=base,
        leniency=country.leniency[school], second_language=group.second_language,
    )  # fmt: skip
    tables.setdefault("course_grades", []).append({
        "school_year": np.full(marks.row.size, year),
        "student_id": group.ids[marks.row],
        "school": school[marks.row],
        "programme_code": programme[marks.row],
        "course_code": marks.course,
        "course_points": marks.points,
        "grade": grading.GRADE_LETTERS[marks.step],
    })  # fmt: skip
    if not national_tests_held(year):
        return
    tables.setdefault("national_tests", []).append({
        "school_year": np.full(marks.test_row.size, year),
        "student_id": group.ids[marks.test_row],
        "school": school[marks.test_row],
        "grade_year": np.full(marks.test_row.size, 10),
        "subject_code": marks.test_course,
        "test_grade": grading.GRADE_LETTERS[marks.test_step],
    })  # fmt: skip


def _admissions(
    nine: NationalCohort, year: int, *, school: IntArray, programme: npt.NDArray[np.str_],
    second: IntArray, country: Country,
) -> Columns:  # fmt: skip
    applies = ~np.isin(programme, ["IMS", "IMA"])
    first = np.flatnonzero(applies)
    extra = np.flatnonzero(applies & (second >= 0))
    rows = np.concatenate([first, extra])
    return {
        "school_year": np.full(rows.size, year),
        "admission_round": np.full(rows.size, "slutlig"),
        "student_id": nine.ids[rows],
        "home_municipality_code": country.municipality_codes[
            country.school_municipality[nine.school[rows]]
        ],
        "choice_rank": np.concatenate([np.ones(first.size), np.full(extra.size, 2)]),
        "school": np.concatenate([school[first], second[extra]]),
        "programme_code": programme[rows],
        "admitted": np.concatenate([np.ones(first.size, bool), np.zeros(extra.size, bool)]),
    }

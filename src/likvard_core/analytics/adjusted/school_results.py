"""Year-9 results and student background per school unit and year (the SALSA inputs)."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from likvard_core.terms import GRADE_POINTS, Gender
from likvard_core.warehouse.schema import ENROLMENTS, FINAL_GRADES
from likvard_core.warehouse.snapshot import Snapshot

MERIT_SUBJECTS = 16
"""Number of best subject grades in the merit value, before the moderna språk 17th grade."""

BACKGROUND: tuple[str, ...] = ("parents_education", "share_boys", "share_newly_arrived")
"""The SALSA background variables, as columns of ``school_results``."""

_SQL = f"""
WITH points(grade, pts) AS (VALUES {{points}}),
graded AS (
    SELECT f.school_year, f.student_key, f.school_unit_code, f.language_choice, p.pts
    FROM {FINAL_GRADES.name} AS f JOIN points AS p ON p.grade = f.grade
    WHERE f.grade_year = ? {{filters}}
),
home AS (
    SELECT school_year, student_key, school_unit_code FROM (
        SELECT school_year, student_key, school_unit_code,
               row_number() OVER (PARTITION BY school_year, student_key
                                  ORDER BY count(*) DESC, school_unit_code) AS r
        FROM graded GROUP BY school_year, student_key, school_unit_code
    ) WHERE r = 1
),
extra AS (
    SELECT *, language_choice AND row_number() OVER (
        PARTITION BY school_year, student_key, language_choice ORDER BY pts DESC) = 1 AS is_extra
    FROM graded
),
ranked AS (
    SELECT *, row_number() OVER (
        PARTITION BY school_year, student_key, is_extra ORDER BY pts DESC) AS rnk
    FROM extra
),
students AS (
    SELECT school_year, student_key,
           coalesce(sum(pts) FILTER (WHERE is_extra OR rnk <= ?), 0)::DOUBLE AS merit_value,
           bool_and(pts > 0) AS passed_all
    FROM ranked GROUP BY school_year, student_key
),
background AS (
    SELECT school_year, student_key, gender, newly_arrived, parents_education FROM (
        SELECT e.*, row_number() OVER (
            PARTITION BY e.school_year, e.student_key
            ORDER BY (e.school_unit_code = h.school_unit_code) DESC, e.school_unit_code) AS r
        FROM {ENROLMENTS.name} AS e
        JOIN home AS h ON h.school_year = e.school_year AND h.student_key = e.student_key
    ) WHERE r = 1
)
SELECT h.school_unit_code, h.school_year,
       count(*) AS n_students,
       avg(s.merit_value) AS merit_value,
       avg(s.passed_all::DOUBLE) AS share_passing_all,
       avg(b.parents_education::DOUBLE) AS parents_education,
       avg((b.gender = ?)::DOUBLE) AS share_boys,
       avg(b.newly_arrived::DOUBLE) AS share_newly_arrived,
       (count(*) FILTER (WHERE b.parents_education IS NOT NULL AND b.gender IS NOT NULL
                          AND b.newly_arrived IS NOT NULL))::DOUBLE / count(*)
           AS background_coverage
FROM home AS h
JOIN students AS s USING (school_year, student_key)
LEFT JOIN background AS b USING (school_year, student_key)
{{whole}}
GROUP BY h.school_unit_code, h.school_year
ORDER BY h.school_unit_code, h.school_year
"""


def school_results(
    db: Snapshot,
    *,
    years: Sequence[int] | None = None,
    school_units: Sequence[str] | None = None,
    grade_year: int = 9,
    only_units: Sequence[str] | None = None,
) -> pa.Table:
    """Per school unit and year: results of its year-9 students and their background.

    A student belongs to the school unit that set most of their final grades that year.
    Columns: ``school_unit_code, school_year, n_students`` (students with at least one A-F
    final grade), ``merit_value`` (mean merit value: the 16 best grades plus the best moderna
    språk språkval grade as 17th, ``terms.GRADE_POINTS``, max 340; fewer grades are summed),
    ``share_passing_all`` (no F in any graded subject), the background means
    ``parents_education`` (SALSA level scale), ``share_boys`` and ``share_newly_arrived`` over
    students with that item known, and ``background_coverage`` (share with all three known).

    ``school_units`` reads only the grades those units set; ``only_units`` instead gives those
    units' rows alone, each as in the run over every unit: every grade of every student with a
    grade at one of them is read (a student's home unit is decided over all their grades).
    """
    params: list[object] = []
    for grade, pts in GRADE_POINTS.items():
        params += [grade, pts]
    params.append(grade_year)
    filters = []
    for column, wanted in (("school_year", years), ("school_unit_code", school_units)):
        if wanted is not None:
            filters.append(f"AND list_contains(?, f.{column})")
            params.append(list(wanted))
    whole = ""
    if only_units is not None:
        filters.append(
            f"AND f.student_key IN (SELECT student_key FROM {FINAL_GRADES.name} "
            "WHERE grade_year = ? AND list_contains(?, school_unit_code)"
            + (" AND list_contains(?, school_year))" if years is not None else ")")
        )
        params += [grade_year, list(only_units)]
        if years is not None:
            params.append(list(years))
        whole = "WHERE list_contains(?, h.school_unit_code)"
    params += [MERIT_SUBJECTS, Gender.MALE.value]
    if only_units is not None:
        params.append(list(only_units))
    sql = _SQL.format(
        points=", ".join(["(?, ?::DOUBLE)"] * len(GRADE_POINTS)),
        filters=" ".join(filters),
        whole=whole,
    )
    return db.query(sql, params)

"""Adjusted upper-secondary results by programme type, which Skolverket does not publish.

School-level outcomes are derived from the warehouse's student-level tables (``enrolments``
with ``grade_year``/``programme_code``, ``course_grades``) and regressed on the same background
as year 9 with the same fit (``likvard_core.analytics.adjusted.model``), one model per school
year and programme type (högskoleförberedande, yrkesprogram, introduktionsprogram).

Definitions, and the simplifications the data forces (statistics reference sections 4-5):

- **Cohort.** A student's start is their first school year enrolled in upper-secondary year 1
  (``school_form = gymnasieskola``, ``grade_year = 1``); the school unit, programme (and so
  the programme type) and background are those of that 15 October enrolment. Results are
  given under ``school_year`` = start year + 2, the spring the diploma is due, and only for
  cohorts whose third year has course grades in the data version.
- **Diploma within 3 years (approximated).** The warehouse has no diploma register, so a
  gymnasieexamen is approximated from the course grades set in the three school years
  (anywhere; a retaken course counts once, with its best grade): the gymnasiearbete passed
  (course code starting ``GYAR``), Svenska 1 or Svenska som andraspråk 1, Engelska 5 and a
  Matematik 1 course passed, and passed points at least 90 % of the graded points. The 90 %
  is the rule of 2,250 passed points of 2,500 applied to the points the data holds: a real
  diploma needs a complete programme of 2,500 points, which the warehouse cannot confirm
  (the demo data's programmes hold about 1,850-1,900 points, so an absolute 2,250 could never
  be met). The further course requirements of a higher-education-preparatory diploma
  (Svenska 2-3, Engelska 6 ...) are not checked.
- **Average grade points (GBP).** Σ(course points × grade value A=20 ... F=0) divided by the
  graded points, among students with the (approximated) diploma. Skolverket's divisor is the
  2,400 graded points of a complete programme; here it is the student's own graded points
  without the gymnasiearbete, which equals 2,400 for a complete 2,500-point programme. Courses
  in an extended programme cannot be told apart and count too.
- Introduction programmes lead to no diploma within the programme; their diploma share counts
  students who completed a national programme's requirements within the three years.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

import pyarrow as pa

from likvard_core.analytics.adjusted.model import (
    UPPER_SECONDARY_OUTCOMES,
    Outcome,
    fit_by_stratum,
)
from likvard_core.analytics.adjusted.table import ModelFit, fitted_layout, fitted_model
from likvard_core.terms import GRADE_POINTS, Gender, SchoolForm
from likvard_core.warehouse.schema import COURSE_GRADES, ENROLMENTS
from likvard_core.warehouse.snapshot import Snapshot


class ProgrammeType(StrEnum):
    """The three kinds of upper-secondary programme."""

    PREPARATORY = "preparatory"  # högskoleförberedande program
    VOCATIONAL = "vocational"  # yrkesprogram
    INTRODUCTION = "introduction"  # introduktionsprogram


PREPARATORY_PROGRAMMES = ("EK", "ES", "HU", "NA", "SA", "TE", "IB")
VOCATIONAL_PROGRAMMES = (
    "BA", "BF", "EE", "FT", "HA", "HT", "HV", "IN", "NB", "RL", "VF", "VO",
)  # fmt: skip
DIPLOMA_PASS_SHARE = 0.9
"""Passed points needed for the approximated diploma, as a share of graded points (2250/2500)."""
PROJECT_PREFIX = "GYAR"
SWEDISH_1 = ("SVESVE01", "SVASVA01")
ENGLISH_5 = "ENGENG05"
MATHS_1_PREFIX = "MATMAT01"

LAYOUT = fitted_layout(
    [
        ("school_unit_code", pa.string()),
        ("programme_type", pa.string()),
        ("school_year", pa.int16()),
    ],
    counts=("cohort_students",),
)
"""Dimensions, values and columns of the ``upper_secondary_by_school`` aggregate table."""
DIMS, VALUES, SCHEMA = LAYOUT.dims, LAYOUT.values, LAYOUT.schema

_SQL = f"""
WITH points(grade, pts) AS (VALUES {{points}}),
upper AS (
    SELECT * FROM {ENROLMENTS.name} WHERE school_form = $form AND grade_year = 1
),
entry AS (
    SELECT * FROM (
        SELECT u.*, row_number() OVER (
            PARTITION BY u.student_key ORDER BY u.school_year, u.school_unit_code) AS r
        FROM upper AS u
    ) WHERE r = 1 AND school_year + 2 <= (SELECT max(school_year) FROM {COURSE_GRADES.name})
),
cohort AS (
    SELECT *, CASE
        WHEN list_contains($preparatory, programme_code) THEN 'preparatory'
        WHEN list_contains($vocational, programme_code) THEN 'vocational'
        WHEN starts_with(programme_code, 'IM') THEN 'introduction' END AS programme_type
    FROM entry WHERE {{filters}}
),
best AS (
    SELECT c.student_key, c.course_code, max(c.course_points)::DOUBLE AS course_points,
           max(p.pts) AS pts
    FROM {COURSE_GRADES.name} AS c
    JOIN cohort AS k ON k.student_key = c.student_key
    JOIN points AS p ON p.grade = c.grade
    WHERE c.school_year BETWEEN k.school_year AND k.school_year + 2
    GROUP BY c.student_key, c.course_code
),
students AS (
    SELECT student_key,
        coalesce(sum(course_points) FILTER (WHERE pts > 0), 0)
            >= $pass_share * sum(course_points)
        AND bool_or(starts_with(course_code, $project) AND pts > 0)
        AND bool_or(list_contains($swedish, course_code) AND pts > 0)
        AND bool_or(course_code = $english AND pts > 0)
        AND bool_or(starts_with(course_code, $maths) AND pts > 0) AS diploma,
        sum(course_points * pts) FILTER (WHERE NOT starts_with(course_code, $project))
            / nullif(sum(course_points) FILTER (WHERE NOT starts_with(course_code, $project)), 0)
            AS gbp
    FROM best GROUP BY student_key
)
SELECT k.school_unit_code, k.programme_type, (k.school_year + 2)::SMALLINT AS school_year,
       count(*) AS cohort_students,
       count(*) FILTER (WHERE coalesce(s.diploma, false)) AS diploma_students,
       avg(coalesce(s.diploma, false)::DOUBLE) AS share_diploma,
       avg(s.gbp) FILTER (WHERE s.diploma) AS grade_point_average,
       avg(k.parents_education::DOUBLE) AS parents_education,
       avg((k.gender = $boy)::DOUBLE) AS share_boys,
       avg(k.newly_arrived::DOUBLE) AS share_newly_arrived,
       (count(*) FILTER (WHERE k.parents_education IS NOT NULL
                          AND k.newly_arrived IS NOT NULL))::DOUBLE / count(*)
           AS background_coverage
FROM cohort AS k LEFT JOIN students AS s USING (student_key)
WHERE k.programme_type IS NOT NULL
GROUP BY ALL
ORDER BY k.school_unit_code, k.programme_type, school_year
"""


UpperSecondaryFit = ModelFit
"""Per-school model values (an ``Aggregate``) and the diagnostics of each fitted stratum."""


def upper_secondary_results(
    db: Snapshot,
    *,
    years: Sequence[int] | None = None,
    school_units: Sequence[str] | None = None,
) -> pa.Table:
    """Per start school unit, programme type and diploma year: outcomes and background.

    Columns: ``school_unit_code``, ``programme_type`` (``ProgrammeType``), ``school_year``
    (start + 2), ``cohort_students`` (students who started there), ``diploma_students`` and
    ``share_diploma`` (0-1, approximated diploma within 3 years), ``grade_point_average``
    (mean GBP 0-20 of the diploma students; null without any), and the background means
    ``parents_education``, ``share_boys``, ``share_newly_arrived`` of the cohort with
    ``background_coverage``. See the module docstring for the definitions.
    """
    params: dict[str, object] = {
        "form": SchoolForm.UPPER_SECONDARY.value,
        "preparatory": list(PREPARATORY_PROGRAMMES),
        "vocational": list(VOCATIONAL_PROGRAMMES),
        "pass_share": DIPLOMA_PASS_SHARE,
        "project": PROJECT_PREFIX,
        "swedish": list(SWEDISH_1),
        "english": ENGLISH_5,
        "maths": MATHS_1_PREFIX,
        "boy": Gender.MALE.value,
    }
    filters = ["true"]
    if years is not None:
        filters.append("list_contains($years, school_year + 2)")
        params["years"] = list(years)
    if school_units is not None:
        filters.append("list_contains($units, school_unit_code)")
        params["units"] = list(school_units)
    values = []
    for index, (grade, pts) in enumerate(GRADE_POINTS.items()):
        values.append(f"($g{index}, $p{index}::DOUBLE)")
        params[f"g{index}"], params[f"p{index}"] = grade, pts
    sql = _SQL.format(points=", ".join(values), filters=" AND ".join(filters))
    return db.query(sql, params)


def upper_secondary_by_school(
    db: Snapshot,
    *,
    years: Sequence[int] | None = None,
    outcome: Outcome | str = Outcome.SHARE_DIPLOMA,
    weighted: bool = False,
    min_students: int = 15,
    min_background_coverage: float = 0.75,
    school_units: Sequence[str] | None = None,
) -> UpperSecondaryFit:
    """Actual result, model value, residual and 95 % prediction interval per school, type, year.

    One model per school year and programme type, with the year-9 model's background and fit
    (``fit_by_stratum``). ``outcome`` is ``share_diploma`` (count: the cohort) or
    ``grade_point_average`` (count: the cohort's diploma students, the students the GBP is
    based on); a school enters the fit with at least ``min_students`` of them and background
    for ``min_background_coverage`` of the cohort. ``cohort_students`` is the whole cohort.
    ``deviation``/``deviation_reason`` mark results outside the prediction interval.
    ``school_units`` keeps only those units' rows (and population); every school is fitted.
    """
    chosen = Outcome(outcome)
    if chosen not in UPPER_SECONDARY_OUTCOMES:
        raise ValueError(f"not an upper-secondary outcome: {chosen}")
    frame = upper_secondary_results(db, years=years).to_pandas()
    frame["n_students"] = (
        frame["cohort_students"] if chosen is Outcome.SHARE_DIPLOMA else frame["diploma_students"]
    )
    fitted, diagnostics = fit_by_stratum(
        frame,
        outcome=chosen,
        strata=("school_year", "programme_type"),
        weighted=weighted,
        min_students=min_students,
        min_background_coverage=min_background_coverage,
    )
    return fitted_model(
        db,
        fitted,
        diagnostics,
        layout=LAYOUT,
        outcome=chosen,
        school_units=school_units,
        scope="adjusted.upper_secondary",
        school_form=SchoolForm.UPPER_SECONDARY.value,
    )

"""The SQL of the warehouse-based indicators: one observation per student, one grouping pass.

Each *family* of indicators shares a population and so one per-student observation table
(``obs``): year-9 final grades, national tests against final grades, and absence. One
``GROUPING SETS`` aggregate then sums the measures for every level at once (in two stages:
first to the finest cells, year x unit x organizer x municipality x gender, then the grouping
sets over those few cells) (school unit,
organizer, municipality and nation, each in total and by gender); regions are summed from the
municipality rows in the same statement. For each measure the sums of ``num``, ``den``,
``num²``, ``num·den`` and ``den²`` are kept, which is enough for the value (``num / den``)
and its linearised standard error.
"""

from __future__ import annotations

from dataclasses import dataclass

from likvard_core.terms import GRADE_POINTS, GRADE_STEPS
from likvard_core.warehouse.schema import ABSENCE, ENROLMENTS, FINAL_GRADES, NATIONAL_TESTS

CORE_SUBJECTS = ("SV", "SVA", "EN", "MA")
"""Svenska (or svenska som andraspråk), engelska, matematik: required for every programme."""
SOCIAL_SUBJECTS = ("GE", "HI", "SH", "RE")
SCIENCE_SUBJECTS = ("BI", "FY", "KE")
MERIT_SUBJECTS = 16


@dataclass(frozen=True, slots=True)
class Measure:
    """One indicator of a family: ``num``/``den`` are SQL expressions over ``obs``."""

    indicator: str
    num: str
    den: str
    percent: bool


@dataclass(frozen=True, slots=True)
class Family:
    """Indicators sharing one observation CTE (``obs`` with the per-student columns)."""

    name: str
    obs_sql: str
    measures: tuple[Measure, ...]


def _points_values() -> str:
    return ", ".join(f"('{g}', {p}::DOUBLE)" for g, p in GRADE_POINTS.items())


def _steps_case(column: str) -> str:
    whens = " ".join(f"WHEN '{g}' THEN {s}" for g, s in GRADE_STEPS.items())
    return f"CASE {column} {whens} END"


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


# The student's background: their enrolment at the school unit the result is counted at (the
# enrolments' key is year, student, unit, so at most one row). A student without one counts in
# the nation and their municipality only if the school basis places them, with group unknown.
_BACKGROUND_SQL = f"""
obs AS (
    SELECT s.*, e.gender, e.organizer_code, {{municipality}} AS municipality_code
    FROM students AS s
    LEFT JOIN {ENROLMENTS.name} AS e
      ON e.school_year = s.school_year AND e.student_key = s.student_key
     AND e.school_unit_code = s.school_unit_code
    {{municipality_join}}
)
"""

_GRADES_SQL = f"""
points(grade, pts) AS (VALUES {_points_values()}),
graded AS (
    SELECT f.school_year, f.student_key, f.school_unit_code, f.subject_code,
           f.language_choice, p.pts
    FROM {FINAL_GRADES.name} AS f JOIN points AS p ON p.grade = f.grade
    WHERE f.grade_year = 9 AND list_contains($years::INTEGER[], f.school_year) {{unit_filter}}
),
unit_of AS (
    SELECT school_year, student_key,
           arg_min(school_unit_code, struct_pack(c := -c, u := school_unit_code))
             AS school_unit_code
    FROM (SELECT school_year, student_key, school_unit_code, count(*) AS c
          FROM graded GROUP BY ALL)
    GROUP BY ALL
),
per_student AS (
    SELECT school_year, student_key,
           list_sort(list(pts) FILTER (WHERE language_choice), 'DESC') AS lang,
           coalesce(list(pts) FILTER (WHERE NOT language_choice), []) AS other,
           bool_and(pts > 0) AS passed_all,
           bool_or(pts > 0) AS any_pass,
           bool_or(subject_code IN ('SV', 'SVA') AND pts > 0)
             AND bool_or(subject_code = 'EN' AND pts > 0)
             AND bool_or(subject_code = 'MA' AND pts > 0) AS core_ok,
           count(*)
             FILTER (WHERE pts > 0 AND subject_code NOT IN {_in(CORE_SUBJECTS)}) AS n_other,
           count(*)
             FILTER (WHERE pts > 0 AND subject_code IN {_in(SOCIAL_SUBJECTS)}) AS n_social,
           count(*)
             FILTER (WHERE pts > 0 AND subject_code IN {_in(SCIENCE_SUBJECTS)}) AS n_science
    FROM graded GROUP BY ALL
),
students AS MATERIALIZED (
    SELECT p.school_year, p.student_key, u.school_unit_code,
           coalesce(p.lang[1], 0)
             + coalesce(list_sum(list_slice(list_sort(
                   list_concat(p.other, coalesce(p.lang[2:], [])), 'DESC'),
                   1, {MERIT_SUBJECTS})), 0) AS merit_value,
           p.passed_all::DOUBLE AS passed_all,
           p.any_pass::DOUBLE AS any_pass,
           (p.core_ok AND p.n_other >= 5)::DOUBLE AS eligible_vocational,
           (p.core_ok AND p.n_other >= 9)::DOUBLE AS eligible_es,
           (p.core_ok AND p.n_other >= 9 AND p.n_social = {len(SOCIAL_SUBJECTS)})::DOUBLE
             AS eligible_ek_hu_sa,
           (p.core_ok AND p.n_other >= 9 AND p.n_science = {len(SCIENCE_SUBJECTS)})::DOUBLE
             AS eligible_na_te
    FROM per_student AS p JOIN unit_of AS u USING (school_year, student_key)
),
"""

_TESTS_SQL = f"""
finals AS (
    SELECT school_year, student_key, school_unit_code, subject_code,
           {_steps_case("grade")} AS step
    FROM {FINAL_GRADES.name}
    WHERE grade_year = 9 AND list_contains($years::INTEGER[], school_year) {{unit_filter}}
),
tests AS (
    SELECT school_year, student_key, subject_code, {_steps_case("test_grade")} AS step
    FROM {NATIONAL_TESTS.name}
    WHERE grade_year = 9 AND list_contains($years::INTEGER[], school_year) {{unit_filter}}
),
students AS MATERIALIZED (
    SELECT f.school_year, f.student_key,
           min(f.school_unit_code) AS school_unit_code,
           count(*)::DOUBLE AS pairs,
           count(*) FILTER (WHERE f.step > t.step)::DOUBLE AS higher
    FROM finals AS f
    JOIN tests AS t ON t.school_year = f.school_year AND t.student_key = f.student_key
                   AND t.subject_code = f.subject_code
    WHERE f.step IS NOT NULL AND t.step IS NOT NULL
    GROUP BY f.school_year, f.student_key
),
"""

_ABSENCE_SQL = f"""
students AS MATERIALIZED (
    SELECT a.school_year, a.student_key,
           min(a.school_unit_code) AS school_unit_code,
           sum(a.absent_minutes)::DOUBLE AS absent,
           sum(a.scheduled_minutes)::DOUBLE AS scheduled
    FROM {ABSENCE.name} AS a
    WHERE list_contains($years::INTEGER[], a.school_year) AND a.scheduled_minutes > 0
      {{unit_filter}}
      AND (a.school_year, a.student_key, a.school_unit_code) IN (
          SELECT school_year, student_key, school_unit_code FROM {ENROLMENTS.name}
          WHERE school_form = 'grundskola')
    GROUP BY a.school_year, a.student_key
),
"""

FAMILIES: tuple[Family, ...] = (
    Family(
        "gr9",
        _GRADES_SQL,
        (
            Measure("gr9_pass_all", "passed_all", "1.0", percent=True),
            Measure("gr9_eligible_vocational", "eligible_vocational", "1.0", percent=True),
            Measure("gr9_eligible_es", "eligible_es", "1.0", percent=True),
            Measure("gr9_eligible_ek_hu_sa", "eligible_ek_hu_sa", "1.0", percent=True),
            Measure("gr9_eligible_na_te", "eligible_na_te", "1.0", percent=True),
            # Skolverket: the mean over students with at least E in one subject.
            Measure("gr9_merit_value", "merit_value * any_pass", "any_pass", percent=False),
        ),
    ),
    Family("tests", _TESTS_SQL, (Measure("gr9_test_vs_grade", "higher", "pairs", percent=True),)),
    Family("absence", _ABSENCE_SQL, (Measure("gr_absence", "absent", "scheduled", percent=True),)),
)
"""Every warehouse-based indicator, by the family that computes it."""

WAREHOUSE_INDICATORS: tuple[str, ...] = tuple(m.indicator for f in FAMILIES for m in f.measures)


def _sums(measure: Measure, index: int) -> str:
    n, d = measure.num, measure.den
    return (
        f"sum({n})::DOUBLE AS num_{index}, sum({d})::DOUBLE AS den_{index}, "
        f"sum({n} * {n})::DOUBLE AS nn_{index}, sum({n} * {d})::DOUBLE AS nd_{index}, "
        f"sum({d} * {d})::DOUBLE AS dd_{index}"
    )


def _region_sums(count: int) -> str:
    cols = [
        f"sum({p}_{i})::DOUBLE AS {p}_{i}"
        for i in range(count)
        for p in ("num", "den", "nn", "nd", "dd")
    ]
    return ", ".join(cols)


def family_sql(family: Family, *, school_basis: bool, unit_filter: bool = False) -> str:
    """The statement for ``family``: one row per level, code, year and gender cell.

    Levels: ``school_unit``, ``organizer``, ``municipality``, ``region``, ``nation``, plus the
    pairs ``unit_organizer`` (code = unit, pair_code = its organizer) and
    ``organizer_municipality`` (code = organizer, pair_code = municipality) that say whose
    students each row counts.

    With ``unit_filter`` only students graded (tested, absent) at the school units in
    ``$only_units`` are counted, so only the rows of those units and their organizers are
    complete. Parameters: ``$years`` (list of int), ``$unit_codes``/``$unit_municipalities`` (the
    school-municipality map; used when ``school_basis``), ``$region_codes``/
    ``$region_municipalities`` (pairs: a municipality may belong to several regions).
    Columns: ``level, code, pair_code, school_year, gender_grouped, gender, n`` and the five
    sums per measure (``num_i, den_i, nn_i, nd_i, dd_i``, ``i`` in ``family.measures`` order).
    """
    if school_basis:
        municipality, join = (
            "um.municipality_code",
            "LEFT JOIN unit_municipality AS um ON um.school_unit_code = s.school_unit_code",
        )
    else:
        municipality, join = "e.home_municipality_code", ""
    sums = ", ".join(_sums(m, i) for i, m in enumerate(family.measures))
    region_sums = _region_sums(len(family.measures))  # sums of sums, also for cells
    obs_sql = family.obs_sql.format(
        unit_filter="AND list_contains($only_units::VARCHAR[], school_unit_code)"
        if unit_filter
        else ""
    )
    cell_sums = region_sums
    background = _BACKGROUND_SQL.format(municipality=municipality, municipality_join=join)
    return f"""
WITH unit_municipality AS (
    SELECT unnest($unit_codes::VARCHAR[]) AS school_unit_code,
           unnest($unit_municipalities::VARCHAR[]) AS municipality_code
),
region_map AS (
    SELECT unnest($region_codes::VARCHAR[]) AS region_code,
           unnest($region_municipalities::VARCHAR[]) AS municipality_code
),
{obs_sql}
{background},
cells AS (
    SELECT school_year, school_unit_code, organizer_code, municipality_code, gender,
           count(*) AS n, {sums}
    FROM obs GROUP BY ALL
),
grouped AS MATERIALIZED (
    SELECT CASE
             WHEN grouping(school_unit_code) = 0 AND grouping(organizer_code) = 0
               THEN 'unit_organizer'
             WHEN grouping(school_unit_code) = 0 THEN 'school_unit'
             WHEN grouping(organizer_code) = 0 AND grouping(municipality_code) = 0
               THEN 'organizer_municipality'
             WHEN grouping(organizer_code) = 0 THEN 'organizer'
             WHEN grouping(municipality_code) = 0 THEN 'municipality'
             ELSE 'nation' END AS level,
           coalesce(school_unit_code, organizer_code, municipality_code, '') AS code,
           CASE WHEN grouping(school_unit_code) = 0 THEN organizer_code
                ELSE municipality_code END AS pair_code,
           school_year, grouping(gender) AS gender_grouped, gender,
           sum(n)::BIGINT AS n, {cell_sums}
    FROM cells
    GROUP BY GROUPING SETS (
        (school_year, school_unit_code, gender), (school_year, school_unit_code),
        (school_year, organizer_code, gender), (school_year, organizer_code),
        (school_year, municipality_code, gender), (school_year, municipality_code),
        (school_year, organizer_code, municipality_code),
        (school_year, school_unit_code, organizer_code),
        (school_year, gender), (school_year)
    )
),
regions AS (
    SELECT 'region' AS level, r.region_code AS code, NULL AS pair_code,
           g.school_year, g.gender_grouped, g.gender, sum(g.n)::BIGINT AS n, {region_sums}
    FROM grouped AS g JOIN region_map AS r ON r.municipality_code = g.code
    WHERE g.level = 'municipality'
    GROUP BY ALL
)
SELECT * FROM grouped UNION ALL BY NAME SELECT * FROM regions
"""

"""The SQL of the warehouse-based indicators: one observation per student, one grouping pass.

Each *family* of indicators shares one pass over its source tables and one per-student
observation table (``obs``): the results family reads the year-9 final grades once, with the
national tests joined per subject, and yields every grade indicator and the test-versus-grade
comparison (each measure names the students it counts, ``member``); the absence family reads
absence. One ``GROUPING SETS`` aggregate then sums the measures for every level at once (in
two stages: first to the finest cells, year x unit x organizer x municipality x gender, then
the grouping sets over those few cells: school unit, organizer, municipality and nation, each
in total and by gender); regions are summed from the municipality rows in the same
statement. For each measure the students and the sums of ``num``, ``den``, ``num²``,
``num·den`` and ``den²`` are kept, which is enough for the value (``num / den``) and its
linearised standard error.

The merit value is computed from counts per grade-point value (the 16 best grades taken
greedily from the top, plus the best språkval grade), which equals sorting each student's
grades but needs no per-student lists.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    """One indicator of a family: ``num``/``den`` are SQL expressions over ``obs``, ``member``
    is 1.0 for the students the indicator counts (0.0 rows add nothing to any sum).

    ``binary_num``/``binary_den`` declare that the numerator/denominator takes only 0 and 1
    per student (and the numerator is 0 wherever the denominator is), so squares and
    products need no sums of their own. A constant denominator (1.0) is always binary.
    """

    indicator: str
    num: str
    den: str
    percent: bool
    member: str = "1.0"
    binary_num: bool = False
    binary_den: bool = False


@dataclass(frozen=True, slots=True)
class Family:
    """Indicators sharing one observation CTE (``obs`` with the per-student columns)."""

    name: str
    obs_sql: str
    measures: tuple[Measure, ...]


def _case(column: str, mapping: Mapping[str, float | int], cast: str = "") -> str:
    whens = " ".join(f"WHEN '{key}' THEN {value}{cast}" for key, value in mapping.items())
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


def _pool_counts() -> list[str]:
    """Per point value above zero: the student's grades at it, less the språkval grade counted
    as the 17th (the best one; the others join the pool of the 16 best)."""
    return [f"(c{i} - (lang_max IS NOT DISTINCT FROM {p})::INTEGER)" for i, p in enumerate(_POINTS)]


def _merit_sql() -> str:
    """The merit value from counts per point value: the best språkval grade plus the 16 best
    of the rest, taken greedily from the highest value down (no per-student list sorting)."""
    pool = _pool_counts()
    terms = []
    for i, points in enumerate(_POINTS):
        above = " + ".join(pool[:i]) or "0"
        terms.append(f"{points} * least({pool[i]}, greatest(0, {MERIT_SUBJECTS} - ({above})))")
    return "coalesce(lang_max, 0) + " + " + ".join(terms)


_POINTS = tuple(sorted({p for p in GRADE_POINTS.values() if p > 0}, reverse=True))
_GRADES = _in(tuple(GRADE_POINTS))
_GRADE_OUTCOMES = (
    "merit_value",
    "pass_all",
    "any_pass",
    "eligible_vocational",
    "eligible_es",
    "eligible_ek_hu_sa",
    "eligible_na_te",
)

# One pass over the year-9 final grades with the national tests joined per subject: partial
# sums per student and school unit, then per student. Two populations share it: students with
# a grade (counted at the unit of most of their grades, ties to the lowest code) and students
# with at least one test-and-grade pair (counted at the lowest unit of their pairs). A student
# whose two units differ gets a second row, so each population is counted at its own unit.
_RESULTS_SQL = f"""
graded AS (
    SELECT school_year, student_key, school_unit_code, subject_code, language_choice,
           {_case("grade", GRADE_POINTS, "::DOUBLE")} AS pts, {_case("grade", GRADE_STEPS)} AS step
    FROM {FINAL_GRADES.name}
    WHERE grade_year = 9 AND list_contains($years::INTEGER[], school_year)
      AND grade IN {_GRADES} {{unit_filter}}
),
tested AS (
    SELECT school_year, student_key, subject_code, {_case("test_grade", GRADE_STEPS)} AS t_step
    FROM {NATIONAL_TESTS.name}
    WHERE grade_year = 9 AND list_contains($years::INTEGER[], school_year)
      AND test_grade IN {_in(tuple(GRADE_STEPS))} {{unit_filter}}
),
per_unit AS (
    SELECT g.school_year, g.student_key, g.school_unit_code, count(*) AS c,
           {", ".join(f"count(*) FILTER (WHERE pts = {p}) AS c{i}" for i, p in enumerate(_POINTS))},
           max(pts) FILTER (WHERE language_choice) AS lang_max,
           bool_and(pts > 0) AS passed_all, bool_or(pts > 0) AS any_pass,
           bool_or(subject_code IN ('SV', 'SVA') AND pts > 0) AS sv_ok,
           bool_or(subject_code = 'EN' AND pts > 0) AS en_ok,
           bool_or(subject_code = 'MA' AND pts > 0) AS ma_ok,
           count(*) FILTER (WHERE pts > 0 AND subject_code NOT IN {_in(CORE_SUBJECTS)}) AS n_other,
           count(*) FILTER (WHERE pts > 0 AND subject_code IN {_in(SOCIAL_SUBJECTS)}) AS n_social,
           count(*)
             FILTER (WHERE pts > 0 AND subject_code IN {_in(SCIENCE_SUBJECTS)}) AS n_science,
           count(t.t_step) AS pairs, count(*) FILTER (WHERE g.step > t.t_step) AS higher
    FROM graded AS g
    LEFT JOIN tested AS t USING (school_year, student_key, subject_code)
    GROUP BY ALL
),
per_student AS (
    SELECT school_year, student_key,
           arg_min(school_unit_code, struct_pack(c := -c, u := school_unit_code)) AS unit_grades,
           min(school_unit_code) FILTER (WHERE pairs > 0) AS unit_tests,
           {", ".join(f"sum(c{i}) AS c{i}" for i in range(len(_POINTS)))},
           max(lang_max) AS lang_max,
           bool_and(passed_all) AS passed_all, bool_or(any_pass) AS any_pass,
           bool_or(sv_ok) AND bool_or(en_ok) AND bool_or(ma_ok) AS core_ok,
           sum(n_other) AS n_other, sum(n_social) AS n_social, sum(n_science) AS n_science,
           sum(pairs)::DOUBLE AS pairs, sum(higher)::DOUBLE AS higher
    FROM per_unit GROUP BY ALL
),
outcomes AS (
    SELECT school_year, student_key, unit_grades, unit_tests, pairs, higher,
           ({_merit_sql()})::DOUBLE AS merit_value,
           passed_all::DOUBLE AS pass_all,
           any_pass::DOUBLE AS any_pass,
           (core_ok AND n_other >= 5)::DOUBLE AS eligible_vocational,
           (core_ok AND n_other >= 9)::DOUBLE AS eligible_es,
           (core_ok AND n_other >= 9 AND n_social = {len(SOCIAL_SUBJECTS)})::DOUBLE
             AS eligible_ek_hu_sa,
           (core_ok AND n_other >= 9 AND n_science = {len(SCIENCE_SUBJECTS)})::DOUBLE
             AS eligible_na_te
    FROM per_student
),
students AS MATERIALIZED (
    SELECT school_year, student_key, unit_grades AS school_unit_code, 1.0 AS in_grades,
           (unit_tests IS NOT DISTINCT FROM unit_grades)::DOUBLE AS in_tests,
           {", ".join(_GRADE_OUTCOMES)},
           CASE WHEN unit_tests = unit_grades THEN pairs ELSE 0.0 END AS pairs,
           CASE WHEN unit_tests = unit_grades THEN higher ELSE 0.0 END AS higher
    FROM outcomes
    UNION ALL
    SELECT school_year, student_key, unit_tests AS school_unit_code, 0.0, 1.0,
           {", ".join(f"0.0 AS {c}" for c in _GRADE_OUTCOMES)}, pairs, higher
    FROM outcomes WHERE unit_tests <> unit_grades
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

_SHARES = ("pass_all", "eligible_vocational", "eligible_es", "eligible_ek_hu_sa", "eligible_na_te")
FAMILIES: tuple[Family, ...] = (
    Family(
        "results",
        _RESULTS_SQL,
        (
            *(
                Measure(f"gr9_{name}", name, "1.0", True, "in_grades", binary_num=True)
                for name in _SHARES
            ),
            # Skolverket: the mean over students with at least E in one subject.
            Measure(
                "gr9_merit_value",
                "merit_value * any_pass",
                "any_pass",
                False,
                "in_grades",
                binary_den=True,
            ),
            Measure("gr9_test_vs_grade", "higher", "pairs", True, "in_tests"),
        ),
    ),
    Family("absence", _ABSENCE_SQL, (Measure("gr_absence", "absent", "scheduled", percent=True),)),
)
"""Every warehouse-based indicator, by the family that computes it."""

WAREHOUSE_INDICATORS: tuple[str, ...] = tuple(m.indicator for f in FAMILIES for m in f.measures)


_SUM_KINDS = ("n", "num", "den", "nn", "nd", "dd")


def _sum_expressions(measure: Measure) -> dict[str, str]:
    """The expression summed for each of a measure's sums (``n`` counts its students).

    A constant denominator (1.0) becomes ``member``, so rows outside the measure's population
    add nothing. Products that equal a plain column are not summed twice: with a 0/1
    numerator ``num²`` is ``num``; with a 0/1 denominator ``den²`` is ``den`` and ``num·den``
    is ``num`` (every numerator is 0 where its denominator is).
    """
    num, member = measure.num, measure.member
    den = member if measure.den == "1.0" else measure.den
    binary_den = measure.binary_den or measure.den == "1.0"
    binary_num = measure.binary_num
    return {
        "n": member,
        "num": num,
        "den": den,
        "nn": num if binary_num else f"({num}) * ({num})",
        "nd": num if binary_den else f"({num}) * ({den})",
        "dd": den if binary_den else f"({den}) * ({den})",
    }


def _sum_columns(family: Family) -> tuple[dict[str, str], dict[str, str]]:
    """Distinct summed expressions (alias ``a_k`` -> expression) and, for each output column
    (``n_i``, ``num_i`` ...), the alias that holds it."""
    aliases: dict[str, str] = {}
    columns: dict[str, str] = {}
    for i, measure in enumerate(family.measures):
        for kind, expression in _sum_expressions(measure).items():
            if expression not in aliases:
                aliases[expression] = f"a_{len(aliases)}"
            columns[f"{kind}_{i}"] = aliases[expression]
    return {alias: expression for expression, alias in aliases.items()}, columns


def family_sql(
    family: Family, *, school_basis: bool, unit_filter: bool = False, student_filter: bool = False
) -> str:
    """The statement for ``family``: one row per level, code, year and gender cell.

    Levels: ``school_unit``, ``organizer``, ``municipality``, ``region``, ``nation``, plus the
    pairs ``unit_organizer`` (code = unit, pair_code = its organizer) and
    ``organizer_municipality`` (code = organizer, pair_code = municipality) that say whose
    students each row counts.

    With ``student_filter`` only the students in ``$only_students`` are read, each with every
    row of theirs, so every row counts exactly those students' part of it (a student's part
    depends on that student's rows of the year alone): ``context_update`` adds and takes away
    such parts.

    With ``unit_filter`` only students graded (tested, absent) at the school units in
    ``$only_units`` are counted, so only the rows of those units and their organizers are
    complete. Parameters: ``$years`` (list of int), ``$unit_codes``/``$unit_municipalities`` (the
    school-municipality map; used when ``school_basis``), ``$region_codes``/
    ``$region_municipalities`` (pairs: a municipality may belong to several regions).
    Columns: ``level, code, pair_code, school_year, gender_grouped, gender`` and per measure
    the students counted and the five sums (``n_i, num_i, den_i, nn_i, nd_i, dd_i``, ``i`` in
    ``family.measures`` order); a row whose ``n_i`` is 0 has no value of measure ``i``.
    """
    if school_basis:
        municipality, join = (
            "um.municipality_code",
            "LEFT JOIN unit_municipality AS um ON um.school_unit_code = s.school_unit_code",
        )
    else:
        municipality, join = "e.home_municipality_code", ""
    aliases, columns = _sum_columns(family)
    sums = ", ".join(f"sum({e})::DOUBLE AS {a}" for a, e in aliases.items())
    region_sums = ", ".join(f"sum({a})::DOUBLE AS {a}" for a in aliases)  # sums of sums
    outputs = ", ".join(
        f"{alias}{'::BIGINT' if name.startswith('n_') else ''} AS {name}"
        for name, alias in columns.items()
    )
    filters = []
    if unit_filter:
        filters.append("AND list_contains($only_units::VARCHAR[], school_unit_code)")
    if student_filter:
        filters.append("AND student_key IN (SELECT unnest($only_students::VARCHAR[]))")
    obs_sql = family.obs_sql.format(unit_filter=" ".join(filters))
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
           {sums}
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
           {cell_sums}
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
           g.school_year, g.gender_grouped, g.gender, {region_sums}
    FROM grouped AS g JOIN region_map AS r ON r.municipality_code = g.code
    WHERE g.level = 'municipality'
    GROUP BY ALL
)
SELECT level, code, pair_code, school_year, gender_grouped, gender, {outputs}
FROM (SELECT * FROM grouped UNION ALL BY NAME SELECT * FROM regions)
"""

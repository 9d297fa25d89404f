"""Final or course grade versus national test grade per school unit, subject, year and group."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc
from scipy import stats

from likvard_core.analytics.equity.groups import (
    GENDER_GROUPS,
    GROUPS,
    MEMBERSHIP_SQL,
    STUDENT_CODES_SQL,
    check_groups,
    group_partitions,
)
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.terms import GRADE_STEPS, NATIONAL_TESTS_NOT_HELD, Group, national_tests_held
from likvard_core.warehouse.schema import COURSE_GRADES, ENROLMENTS, FINAL_GRADES, NATIONAL_TESTS
from likvard_core.warehouse.snapshot import Snapshot

DIMS: tuple[str, ...] = ("school_unit_code", "subject_code", "school_year", "group")
COUNTS: tuple[str, ...] = ("n_lower", "n_same", "n_higher")
SHARES: tuple[str, ...] = ("share_lower", "share_same", "share_higher")
INTERVALS: tuple[str, ...] = tuple(f"{s}_ci_{b}" for s in SHARES for b in ("low", "high"))
VALUES: tuple[str, ...] = (*COUNTS, *SHARES, "mean_step_difference", *INTERVALS)
TABLE_COLUMNS: tuple[str, ...] = (*DIMS, "n", *VALUES)
"""``grade_vs_test_table``'s columns, in its order."""
COMPULSORY_GRADE_YEARS: tuple[int, ...] = (6, 9)
"""Grade years whose subject grades (``final_grades``) meet a national test."""
COURSE_GRADE_YEAR = 10
"""The ``grade_year`` of upper-secondary national course tests; the grades are course grades."""

# The grade letters are consecutive characters whose step falls as the letter rises (A=5 ...
# F=0), so a step is one subtraction from the character code instead of a string CASE per row.
_TOP = max(GRADE_STEPS, key=GRADE_STEPS.__getitem__)
_BOTTOM = min(GRADE_STEPS, key=GRADE_STEPS.__getitem__)
_BASE = ord(_BOTTOM) + GRADE_STEPS[_BOTTOM]
if any(_BASE - ord(letter) != step for letter, step in GRADE_STEPS.items()):
    raise RuntimeError("GRADE_STEPS is no longer a run of consecutive letters")
_Z95 = float(stats.norm.ppf(0.975))
"""The normal quantile of the 95 % intervals (as ``stats.intervals.wilson_interval`` uses)."""

# Stage 1: the student pairs (a grade and a test grade in the same subject or course, school
# year and grade year), with the grade difference as a TINYINT. Stage 2 (grouped) looks up
# the per-student attributes only for the students that have a pair (a semi-join on the
# enrolments), counts per unit, subject, year and attribute combination (a few cells per
# unit), and finally spreads each cell into the groups it belongs to: one hash aggregate
# over the pairs, the rest over small tables.
_FINALS_SQL = {
    "compulsory": f"""
    SELECT school_unit_code, subject_code, school_year, student_key, grade
    FROM {FINAL_GRADES.name} WHERE grade_year = $grade_year""",
    "course": f"""
    SELECT school_unit_code, course_code AS subject_code, school_year, student_key, grade
    FROM {COURSE_GRADES.name} WHERE true""",
}

_PAIRS_SQL = f"""
WITH finals AS ({{finals}} {{filters}}),
pairs AS MATERIALIZED (
    SELECT f.school_unit_code, f.subject_code, f.school_year, f.student_key,
           ({{final_step}} - {{test_step}})::TINYINT AS diff
    FROM finals AS f
    JOIN {NATIONAL_TESTS.name} AS t
      ON t.school_year = f.school_year AND t.student_key = f.student_key
     AND t.subject_code = f.subject_code
    WHERE t.grade_year = $grade_year AND diff IS NOT NULL
      AND t.school_year NOT IN (SELECT unnest($untested)) {{test_filters}}
)
"""


def _wilson_sql(share: str) -> str:
    """The 95 % Wilson interval of ``share`` as two SQL columns (``stats.wilson_interval``).

    Same arithmetic as the NumPy version over the columns ``zz_n = z^2 / n`` and
    ``denominator = 1 + zz_n``, clipped to [0, 1] and widened to contain the share exactly.
    """
    centre = f"(({share} + zz_n / 2.0) / denominator)"
    half = f"(sqrt({share} * (1.0 - {share}) / n + zz_n / (4.0 * n)) * $z / denominator)"
    low = f"least(greatest(least({centre} - {half}, 1.0), 0.0), {share})"
    high = f"greatest(least(greatest({centre} + {half}, 0.0), 1.0), {share})"
    return f"{low} AS {share}_ci_low, {high} AS {share}_ci_high"


_STUDENTS_SQL = f"""
, students AS (
    SELECT school_year, student_key, {STUDENT_CODES_SQL}
    FROM {ENROLMENTS.name}
    WHERE (school_year, student_key) IN (SELECT DISTINCT school_year, student_key FROM pairs)
    GROUP BY ALL
)
"""


def _grouped_sql(groups: tuple[str, ...]) -> str:
    """One hash aggregate over the pairs counting every group at once, then one row per group.

    Each group is a handful of filtered counts over the same pass (``wide``); the long table
    is a UNION ALL of cheap projections of ``wide``, with no second aggregation over strings.
    """
    aggregates: list[str] = []
    selects: list[str] = []
    for index, group in enumerate(groups):
        condition = MEMBERSHIP_SQL[group]
        member = f" FILTER (WHERE {condition})" if condition else ""
        prefix = f"{condition} AND " if condition else ""
        aggregates += [
            f"count(*){member} AS n_{index}",
            f"count(*) FILTER (WHERE {prefix}p.diff < 0) AS n_lower_{index}",
            f"count(*) FILTER (WHERE {prefix}p.diff = 0) AS n_same_{index}",
            f"count(*) FILTER (WHERE {prefix}p.diff > 0) AS n_higher_{index}",
            f"sum(p.diff){member} AS diff_sum_{index}",
        ]
        selects.append(
            f"SELECT school_unit_code, subject_code, school_year, '{group}' AS \"group\", "
            f"n_{index} AS n, n_lower_{index} AS n_lower, n_same_{index} AS n_same, "
            f"n_higher_{index} AS n_higher, diff_sum_{index} AS diff_sum "
            f"FROM wide WHERE n_{index} > 0"
        )
    return f"""{_STUDENTS_SQL}
, wide AS (
    SELECT p.school_unit_code, p.subject_code, p.school_year, {", ".join(aggregates)}
    FROM pairs AS p
    LEFT JOIN students AS s ON s.school_year = p.school_year AND s.student_key = p.student_key
    GROUP BY ALL
),
grouped AS ({" UNION ALL ".join(selects)})
"""


_ALL_ONLY_SQL = """
, grouped AS (
    SELECT school_unit_code, subject_code, school_year, $all AS "group",
           count(*) AS n,
           count(*) FILTER (WHERE diff < 0) AS n_lower,
           count(*) FILTER (WHERE diff = 0) AS n_same,
           count(*) FILTER (WHERE diff > 0) AS n_higher,
           sum(diff) AS diff_sum
    FROM pairs GROUP BY ALL
)
"""

_RESULT_SQL = f"""
SELECT school_unit_code, subject_code, school_year, "group", n, n_lower, n_same, n_higher,
       {", ".join(SHARES)}, mean_step_difference,
       {", ".join(_wilson_sql(share) for share in SHARES)}
FROM (
    SELECT school_unit_code, subject_code, school_year::SMALLINT AS school_year, "group",
           n::BIGINT AS n, n_lower::BIGINT AS n_lower, n_same::BIGINT AS n_same,
           n_higher::BIGINT AS n_higher,
           n_lower::DOUBLE / n AS share_lower,
           n_same::DOUBLE / n AS share_same,
           n_higher::DOUBLE / n AS share_higher,
           diff_sum::DOUBLE / n AS mean_step_difference,
           $z * $z / n AS zz_n, 1.0 + $z * $z / n AS denominator
    FROM grouped
)
"""


SUMS: tuple[str, ...] = ("n", *COUNTS, "diff_sum")
"""The whole numbers each row of ``grade_vs_test_table`` is computed from
(``grade_vs_test_sums``): sums over the row's students, so a row can be updated by adding
and taking away some students' parts."""

_SUMS_SQL = """
SELECT school_unit_code, subject_code, school_year::SMALLINT AS school_year, "group",
       n::BIGINT AS n, n_lower::BIGINT AS n_lower, n_same::BIGINT AS n_same,
       n_higher::BIGINT AS n_higher, diff_sum::BIGINT AS diff_sum
FROM grouped
"""


# The units are matched afterwards in Arrow: a DISTINCT over three columns costs less than
# probing thousands of unit codes per enrolment row.
_ORGANIZERS_SQL = f"""
SELECT DISTINCT school_unit_code, school_year, organizer_code FROM {ENROLMENTS.name}
WHERE school_year IN (SELECT unnest($years))
"""


def _step(column: str) -> str:
    """The grade step of a one-letter grade column (NULL for anything but A-F)."""
    return (
        f"CASE WHEN length({column}) = 1 AND {column} BETWEEN '{_TOP}' AND '{_BOTTOM}' "
        f"THEN {_BASE} - ascii({column}) END"
    )


def _build_sql(
    *,
    grade_year: int,
    school_units: Sequence[str] | None,
    years: Sequence[int] | None,
    subjects: Sequence[str] | None,
    groups: tuple[str, ...],
    result: str = _RESULT_SQL,
) -> tuple[str, dict[str, object]]:
    if grade_year not in (*COMPULSORY_GRADE_YEARS, COURSE_GRADE_YEAR):
        raise ValueError(f"no national tests in grade year {grade_year}")
    params: dict[str, object] = {
        "grade_year": grade_year,
        "z": _Z95,
        "untested": sorted(NATIONAL_TESTS_NOT_HELD),
    }
    filters: list[str] = []
    test_filters: list[str] = []
    for column, wanted in (
        ("school_unit_code", school_units),
        ("school_year", years),
        ("subject_code", subjects),
    ):
        if wanted is not None:
            params[column] = list(wanted)
            course = column == "subject_code" and grade_year == COURSE_GRADE_YEAR
            source = "course_code" if course else column
            filters.append(f"AND {source} IN (SELECT unnest(${column}))")
            if column != "school_unit_code":
                test_filters.append(f"AND t.{column} IN (SELECT unnest(${column}))")
    sql = _PAIRS_SQL.format(
        finals=_FINALS_SQL["course" if grade_year == COURSE_GRADE_YEAR else "compulsory"],
        filters=" ".join(filters),
        final_step=_step("f.grade"),
        test_step=_step("t.test_grade"),
        test_filters=" ".join(test_filters),
    )
    if result is _SUMS_SQL:
        del params["z"]
    if groups == (Group.ALL.value,):
        params["all"] = Group.ALL.value
        return sql + _ALL_ONLY_SQL + result, params
    return sql + _grouped_sql(groups) + result, params


def years_without_tests(years: Sequence[int]) -> list[int]:
    """The school years between the first and last of ``years`` in which no tests were held."""
    if not years:
        return []
    return [y for y in range(min(years), max(years) + 1) if not national_tests_held(y)]


def unit_organizers_by_year(
    db: Snapshot, *, school_units: Sequence[str] | None, years: Sequence[int]
) -> pa.Table:
    """``school_unit_code, school_year, organizer_code``: who enrolled students at the units
    (None: at every unit).

    Only enrolments in ``years`` count; the release gate asks whose data an aggregate is.
    Sorted by unit, year and organizer.
    """
    found = db.query(_ORGANIZERS_SQL, {"years": list(years)})
    order = ["school_unit_code", "school_year", "organizer_code"]
    if school_units is None:
        return found.sort_by([(c, "ascending") for c in order])
    wanted = pc.is_in(found.column("school_unit_code"), pa.array(list(school_units), pa.string()))
    return found.filter(wanted).sort_by([(c, "ascending") for c in order])


def units_touched(
    changes: Snapshot, db: Snapshot, *, grade_year: int, years: Sequence[int]
) -> list[str]:
    """The units whose rows of ``years`` may differ between ``db``'s version and one that
    differs from it by exactly the rows in ``changes`` (an import's or a withdrawal's).

    A unit's row counts its own students' grades at the unit, each joined with the student's
    tests and enrolments wherever those were reported, all within one school year. So only a
    unit where a student of ``changes`` has a grade can change: the units of the grades in
    ``changes`` (gone in a withdrawal) and the units of ``db``'s grades of every student that
    has any row of ``changes`` (a test or an enrolment reported by another unit moves the
    grading unit's row). Sorted; may name a unit whose rows turn out unchanged.
    """
    finals = _FINALS_SQL["course" if grade_year == COURSE_GRADE_YEAR else "compulsory"]
    params: dict[str, object] = {"years": list(years)}
    if "$grade_year" in finals:  # course grades are of one grade year: no parameter
        params["grade_year"] = grade_year
    in_years = "AND school_year IN (SELECT unnest($years))"
    students = changes.query(
        f"SELECT DISTINCT student_key FROM ({finals} {in_years}) UNION "
        f"SELECT DISTINCT student_key FROM {NATIONAL_TESTS.name} WHERE true {in_years} UNION "
        f"SELECT DISTINCT student_key FROM {ENROLMENTS.name} WHERE true {in_years}",
        params,
    ).column("student_key")
    own = changes.query(f"SELECT DISTINCT school_unit_code FROM ({finals} {in_years})", params)
    units = set(own.column("school_unit_code").to_pylist())
    if len(students):
        found = db.query(
            f"SELECT DISTINCT school_unit_code FROM ({finals} {in_years} "
            "AND student_key IN (SELECT unnest($students)))",
            {**params, "students": students.to_pylist()},
        )
        units.update(found.column("school_unit_code").to_pylist())
    return sorted(units)


def grade_vs_test_population(
    *,
    grade_year: int,
    school_units: Sequence[str],
    years: Sequence[int],
    organizers: Sequence[str],
    filtered: bool,
) -> Population:
    """The population of a grade-versus-test aggregate over ``school_units`` and ``years``."""
    seen_years = sorted(set(years))
    year_text = f"{seen_years[0]}-{seen_years[-1]}" if seen_years else "none"
    units = frozenset(school_units)
    scope = f"equity.grade_vs_test/grade_year:{grade_year}/units:{len(units)}/years:{year_text}"
    return Population(
        scope=scope + ("/filtered" if filtered else ""),
        organizers=frozenset(organizers),
        level=Level.SCHOOL_UNIT,
        school_units=units,
    )


def _population(
    db: Snapshot, table: pa.Table, *, grade_year: int, years: Sequence[int] | None
) -> Population:
    units = pc.unique(table.column("school_unit_code")).to_pylist()
    seen_years = pc.unique(table.column("school_year")).to_pylist()
    organizers = unit_organizers_by_year(db, school_units=units, years=seen_years)
    return grade_vs_test_population(
        grade_year=grade_year,
        school_units=units,
        years=seen_years,
        organizers=pc.unique(organizers.column("organizer_code")).to_pylist(),
        filtered=years is not None,
    )


def grade_vs_test_by_school(
    db: Snapshot,
    *,
    school_units: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    grade_year: int = 9,
    subjects: Sequence[str] | None = None,
    by_gender: bool = True,
    groups: Sequence[str] | None = None,
) -> Aggregate:
    """Lower / same / higher grade than test grade, per school unit, subject, year and group.

    Population: students with both a national test grade and a grade (A-F) in the subject in
    the same school year. School years without national tests (``terms.NATIONAL_TESTS_NOT_HELD``:
    2019/20 and 2020/21) have no rows, even if test results were imported for them. For
    ``grade_year`` 6 or 9 the grade is the subject grade in ``final_grades`` of that grade year;
    for ``COURSE_GRADE_YEAR`` (10) it is the course grade in ``course_grades`` of the course the
    test belongs to (``subject_code`` then holds the course code, e.g. ``MATMAT01c``). The
    school unit is the one that set the grade.

    ``groups`` (default: all of ``groups.GROUPS``; ``by_gender=False`` means ``all`` alone)
    picks the groups: ``all`` counts every such student, the others use that school year's
    enrolments (see ``likvard_core.analytics.equity.groups``); a student without an
    enrolment row counts only in ``all``. Empty groups have no row.

    Returns an ``Aggregate`` with dims ``school_unit_code, subject_code, school_year, group``,
    count ``n`` and values: ``n_lower/n_same/n_higher``, the shares (0-1, summing to 1),
    ``mean_step_difference`` (mean of grade minus test grade in steps, ``terms.GRADE_STEPS``)
    and 95 % Wilson intervals ``share_<x>_ci_low/high``. One SQL statement does every
    group-by; the rows come in no particular order (sort the few a page shows, not the nation's).
    """
    chosen = tuple(groups) if groups is not None else (GROUPS if by_gender else GENDER_GROUPS[:1])
    table = grade_vs_test_table(
        db, school_units=school_units, years=years, grade_year=grade_year, subjects=subjects,
        groups=chosen,
    )  # fmt: skip
    return Aggregate(
        table=table,
        dims=DIMS,
        count="n",
        values=VALUES,
        population=_population(db, table, grade_year=grade_year, years=years),
        data_version=db.version,
        partitions=group_partitions(table),
        parts=COUNTS,
    )


def grade_vs_test_table(
    db: Snapshot,
    *,
    school_units: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    grade_year: int = 9,
    subjects: Sequence[str] | None = None,
    groups: Sequence[str] = GROUPS,
) -> pa.Table:
    """The table of ``grade_vs_test_by_school`` alone (no population: nothing else is read).

    Every row depends only on its own school year's grades, tests and enrolments (each join
    is within a school year), so the rows of ``years`` equal those years' rows of the whole.
    """
    chosen = tuple(groups)
    check_groups(chosen)
    sql, params = _build_sql(
        grade_year=grade_year,
        school_units=school_units,
        years=years,
        subjects=subjects,
        groups=chosen,
    )
    return db.query(sql, params)


def grade_vs_test_sums(
    db: Snapshot, *, grade_year: int, years: Sequence[int] | None = None
) -> pa.Table:
    """``DIMS`` and ``SUMS`` of every group's rows (``grade_vs_test_table``'s rows before
    their shares and intervals): each a sum over the row's students of that student's own
    rows of the school year (grades, tests and enrolments, wherever reported), so the rows of
    a version that differs by some students' rows are these plus those students' parts in it
    less their parts before (issue #18). ``school_year`` is SMALLINT, the sums BIGINT."""
    sql, params = _build_sql(
        grade_year=grade_year,
        school_units=None,
        years=years,
        subjects=None,
        groups=GROUPS,
        result=_SUMS_SQL,
    )
    return db.query(sql, params)


def table_from_sums(db: Snapshot, sums: pa.Table) -> pa.Table:
    """``grade_vs_test_table``'s rows from their ``grade_vs_test_sums`` (in the rows' order):
    the shares, mean and intervals by the same SQL, so the same bits."""
    return db.query_with({"grouped": sums}, _RESULT_SQL, {"z": _Z95})

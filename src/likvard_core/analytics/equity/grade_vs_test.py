"""Final grade versus national test grade per school unit, subject, year and group."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.stats.intervals import wilson_interval
from likvard_core.terms import GRADE_STEPS, Gender, Group
from likvard_core.warehouse.schema import ENROLMENTS, FINAL_GRADES, NATIONAL_TESTS
from likvard_core.warehouse.snapshot import Snapshot

DIMS: tuple[str, ...] = ("school_unit_code", "subject_code", "school_year", "group")
COUNTS: tuple[str, ...] = ("n_lower", "n_same", "n_higher")
SHARES: tuple[str, ...] = ("share_lower", "share_same", "share_higher")
INTERVALS: tuple[str, ...] = tuple(f"{s}_ci_{b}" for s in SHARES for b in ("low", "high"))
VALUES: tuple[str, ...] = (*COUNTS, *SHARES, "mean_step_difference", *INTERVALS)

# Two stages: count per school unit, subject, year and gender first (one hash aggregate over
# the student pairs), then add the genders up into ``all`` over that small table. Genders are
# looked up only for the students that have a pair (a semi-join), not for every enrolment.
_PAIRS_SQL = f"""
WITH finals AS (
    SELECT school_unit_code, subject_code, school_year, student_key, {{final_step}} AS step
    FROM {FINAL_GRADES.name}
    WHERE grade_year = $grade_year {{filters}}
),
tests AS (
    SELECT school_year, student_key, subject_code, {{test_step}} AS step
    FROM {NATIONAL_TESTS.name}
    WHERE grade_year = $grade_year {{test_filters}}
),
pairs AS MATERIALIZED (
    SELECT f.school_unit_code, f.subject_code, f.school_year, f.student_key,
           f.step - t.step AS diff
    FROM finals AS f
    JOIN tests AS t
      ON t.school_year = f.school_year AND t.student_key = f.student_key
     AND t.subject_code = f.subject_code
    WHERE f.step IS NOT NULL AND t.step IS NOT NULL
)
"""

_GENDERED_SQL = f"""
, genders AS (
    SELECT school_year, student_key, min(gender) AS gender
    FROM {ENROLMENTS.name}
    WHERE (school_year, student_key) IN (SELECT DISTINCT school_year, student_key FROM pairs)
    GROUP BY school_year, student_key
),
cells AS (
    SELECT p.school_unit_code, p.subject_code, p.school_year, g.gender,
           count(*) AS n,
           count(*) FILTER (WHERE p.diff < 0) AS n_lower,
           count(*) FILTER (WHERE p.diff = 0) AS n_same,
           count(*) FILTER (WHERE p.diff > 0) AS n_higher,
           sum(p.diff) AS diff_sum
    FROM pairs AS p
    LEFT JOIN genders AS g ON g.school_year = p.school_year AND g.student_key = p.student_key
    GROUP BY ALL
),
grouped AS (
    SELECT school_unit_code, subject_code, school_year, $all AS "group",
           sum(n) AS n, sum(n_lower) AS n_lower, sum(n_same) AS n_same,
           sum(n_higher) AS n_higher, sum(diff_sum) AS diff_sum
    FROM cells GROUP BY ALL
    UNION ALL
    SELECT school_unit_code, subject_code, school_year,
           CASE gender WHEN $female THEN $girls ELSE $boys END AS "group",
           n, n_lower, n_same, n_higher, diff_sum
    FROM cells WHERE gender IN ($female, $male)
)
"""

_UNGENDERED_SQL = """
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

_RESULT_SQL = """
SELECT school_unit_code, subject_code, school_year, "group",
       n::BIGINT AS n, n_lower::BIGINT AS n_lower, n_same::BIGINT AS n_same,
       n_higher::BIGINT AS n_higher,
       n_lower::DOUBLE / n AS share_lower,
       n_same::DOUBLE / n AS share_same,
       n_higher::DOUBLE / n AS share_higher,
       diff_sum::DOUBLE / n AS mean_step_difference
FROM grouped
"""

_ORGANIZERS_SQL = f"""
SELECT DISTINCT organizer_code FROM {ENROLMENTS.name}
WHERE school_unit_code IN (SELECT unnest($units)) AND school_year IN (SELECT unnest($years))
ORDER BY organizer_code
"""


def _step_case(column: str) -> str:
    """A CASE expression mapping a grade letter to its step (NULL for anything else)."""
    arms = " ".join(f"WHEN '{grade}' THEN {step}" for grade, step in GRADE_STEPS.items())
    return f"CASE {column} {arms} END"


def _build_sql(
    *,
    grade_year: int,
    school_units: Sequence[str] | None,
    years: Sequence[int] | None,
    subjects: Sequence[str] | None,
    by_gender: bool,
) -> tuple[str, dict[str, object]]:
    params: dict[str, object] = {"grade_year": grade_year, "all": Group.ALL.value}
    filters: list[str] = []
    test_filters: list[str] = []
    for column, wanted in (
        ("school_unit_code", school_units),
        ("school_year", years),
        ("subject_code", subjects),
    ):
        if wanted is not None:
            params[column] = list(wanted)
            clause = f"AND {column} IN (SELECT unnest(${column}))"
            filters.append(clause)
            if column != "school_unit_code":
                test_filters.append(clause)
    sql = _PAIRS_SQL.format(
        final_step=_step_case("grade"),
        test_step=_step_case("test_grade"),
        filters=" ".join(filters),
        test_filters=" ".join(test_filters),
    )
    if by_gender:
        params |= {
            "female": Gender.FEMALE.value,
            "male": Gender.MALE.value,
            "girls": Group.GIRLS.value,
            "boys": Group.BOYS.value,
        }
        sql += _GENDERED_SQL
    else:
        sql += _UNGENDERED_SQL
    return sql + _RESULT_SQL, params


def with_share_intervals(table: pa.Table, *, confidence: float = 0.95) -> pa.Table:
    """``table`` plus Wilson intervals ``share_<x>_ci_low/high`` for the three shares."""
    n = table.column("n")
    for count, share in zip(COUNTS, SHARES, strict=True):
        low, high = wilson_interval(table.column(count), n, confidence=confidence)
        table = table.append_column(f"{share}_ci_low", pa.array(low, pa.float64()))
        table = table.append_column(f"{share}_ci_high", pa.array(high, pa.float64()))
    return table


def _population(
    db: Snapshot, table: pa.Table, *, grade_year: int, years: Sequence[int] | None
) -> Population:
    units = pc.unique(table.column("school_unit_code")).to_pylist()
    seen_years = sorted(pc.unique(table.column("school_year")).to_pylist())
    organizers = db.query(_ORGANIZERS_SQL, {"units": units, "years": seen_years}).column(
        "organizer_code"
    )
    year_text = f"{seen_years[0]}-{seen_years[-1]}" if seen_years else "none"
    scope = f"equity.grade_vs_test/grade_year:{grade_year}/units:{len(units)}/years:{year_text}" + (
        "" if years is None else "/filtered"
    )
    return Population(
        scope=scope,
        organizers=frozenset(organizers.to_pylist()),
        level=Level.SCHOOL_UNIT,
        school_units=frozenset(units),
    )


def grade_vs_test_by_school(
    db: Snapshot,
    *,
    school_units: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    grade_year: int = 9,
    subjects: Sequence[str] | None = None,
    by_gender: bool = True,
) -> Aggregate:
    """Lower / same / higher final grade than test grade, per school unit, subject, year, group.

    Population: students with both a national test grade and a final grade (A-F) in the
    subject in the same school year and grade year; the school unit is the one that set the
    final grade. Group ``all`` counts every such student; ``girls``/``boys`` use the gender in
    that school year's enrolments (students without an enrolment row count only in ``all``).

    Returns an ``Aggregate`` with dims ``school_unit_code, subject_code, school_year, group``,
    count ``n`` and values: ``n_lower/n_same/n_higher``, the shares (0-1, summing to 1),
    ``mean_step_difference`` (mean of final minus test grade in steps, ``terms.GRADE_STEPS``)
    and 95 % Wilson intervals ``share_<x>_ci_low/high``. One SQL pass does every group-by; the
    rows come in no particular order (sort the few a page shows, not the nation's).
    """
    sql, params = _build_sql(
        grade_year=grade_year,
        school_units=school_units,
        years=years,
        subjects=subjects,
        by_gender=by_gender,
    )
    table = with_share_intervals(db.query(sql, params))
    return Aggregate(
        table=table,
        dims=DIMS,
        count="n",
        values=VALUES,
        population=_population(db, table, grade_year=grade_year, years=years),
        data_version=db.version,
        margins=("group",),
    )

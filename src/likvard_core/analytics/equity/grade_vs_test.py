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

_SQL = f"""
WITH steps(grade, step) AS (VALUES {{steps}}),
groups(name, gender) AS (VALUES {{groups}}),
genders AS (
    SELECT school_year, student_key, min(gender) AS gender
    FROM {ENROLMENTS.name}
    GROUP BY school_year, student_key
),
pairs AS (
    SELECT f.school_unit_code, f.subject_code, f.school_year, g.gender,
           fs.step - ts.step AS diff
    FROM {FINAL_GRADES.name} AS f
    JOIN {NATIONAL_TESTS.name} AS t
      ON t.school_year = f.school_year AND t.student_key = f.student_key
     AND t.grade_year = f.grade_year AND t.subject_code = f.subject_code
    JOIN steps AS fs ON fs.grade = f.grade
    JOIN steps AS ts ON ts.grade = t.test_grade
    LEFT JOIN genders AS g ON g.school_year = f.school_year AND g.student_key = f.student_key
    WHERE f.grade_year = ? {{filters}}
)
SELECT p.school_unit_code, p.subject_code, p.school_year, gr.name AS "group",
       count(*) AS n,
       count(*) FILTER (WHERE p.diff < 0) AS n_lower,
       count(*) FILTER (WHERE p.diff = 0) AS n_same,
       count(*) FILTER (WHERE p.diff > 0) AS n_higher,
       (count(*) FILTER (WHERE p.diff < 0))::DOUBLE / count(*) AS share_lower,
       (count(*) FILTER (WHERE p.diff = 0))::DOUBLE / count(*) AS share_same,
       (count(*) FILTER (WHERE p.diff > 0))::DOUBLE / count(*) AS share_higher,
       avg(p.diff)::DOUBLE AS mean_step_difference
FROM pairs AS p
JOIN groups AS gr ON gr.gender IS NULL OR gr.gender = p.gender
GROUP BY p.school_unit_code, p.subject_code, p.school_year, gr.name
ORDER BY p.school_unit_code, p.subject_code, p.school_year, gr.name
"""

_ORGANIZERS_SQL = f"""
SELECT DISTINCT organizer_code FROM {ENROLMENTS.name}
WHERE list_contains(?, school_unit_code) AND list_contains(?, school_year)
ORDER BY organizer_code
"""


def _build_sql(
    *,
    grade_year: int,
    school_units: Sequence[str] | None,
    years: Sequence[int] | None,
    subjects: Sequence[str] | None,
    by_gender: bool,
) -> tuple[str, list[object]]:
    params: list[object] = []
    for grade, step in GRADE_STEPS.items():
        params += [grade, step]
    groups: list[tuple[str, str | None]] = [(Group.ALL.value, None)]
    if by_gender:
        groups += [(Group.GIRLS.value, Gender.FEMALE.value), (Group.BOYS.value, Gender.MALE.value)]
    for name, gender in groups:
        params += [name, gender]
    params.append(grade_year)
    filters = []
    for column, wanted in (
        ("school_unit_code", school_units),
        ("school_year", years),
        ("subject_code", subjects),
    ):
        if wanted is not None:
            filters.append(f"AND list_contains(?, f.{column})")
            params.append(list(wanted))
    sql = _SQL.format(
        steps=", ".join(["(?, ?)"] * len(GRADE_STEPS)),
        groups=", ".join(["(?, ?::VARCHAR)"] * len(groups)),
        filters=" ".join(filters),
    )
    return sql, params


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
    organizers = db.query(_ORGANIZERS_SQL, [units, seen_years]).column("organizer_code")
    year_text = f"{seen_years[0]}-{seen_years[-1]}" if seen_years else "none"
    scope = f"equity.grade_vs_test/grade_year:{grade_year}/units:{len(units)}/years:{year_text}" + (
        "" if years is None else "/filtered"
    )
    return Population(
        scope=scope, organizers=frozenset(organizers.to_pylist()), level=Level.SCHOOL_UNIT
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
    and 95 % Wilson intervals ``share_<x>_ci_low/high``. One SQL pass does every group-by.
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

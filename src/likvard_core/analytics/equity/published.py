"""Test results against subject grades from Skolverket's published municipal statistics alone.

Two published tables, read by the ``public_stats`` import into the long table ``public_stats``:

- "Grundskola - Resultat nationella prov årskurs 9, provbetyg per kön ...": per municipality,
  organizer type and test subject, the number of students with a test grade A-F, the share
  (%) with a test grade A-E, the average test grade points and the share who took part.
- "Grundskola - Jämförelse av ämnesbetyg över tid": per municipality, organizer type and
  subject, the share (%) of year-9 students with a passing final grade (A-E), ten years.

Per municipality, organizer type, subject and school year where both exist, the comparison is
the share passing the subject minus the share passing the test, in percentage points (the
*gap*; positive when more students pass the subject than the test). These are two aggregates of
overlapping but different populations (not every graded student took the test), so a gap
describes a municipality, never a student or a school. Skolverket does not publish average
subject grade points per subject in these tables; the average test points are reported as
published, without a grade-point counterpart.
"""

from __future__ import annotations

from collections.abc import Sequence

from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.schema import PUBLIC_STATS
from likvard_core.warehouse.snapshot import Snapshot

TEST_TABLE_PREFIX = "Grundskola - Resultat nationella prov årskurs 9"
GRADE_TABLE = "Grundskola - Jämförelse av ämnesbetyg över tid"
TEST_PASSED = "Andel (%) med provbetyg A-E"
TEST_POINTS = "Genomsnittlig betygspoäng"
TEST_COUNT = "Antal elever med provbetyg A-F"
TEST_TAKEN = "Andel (%) elever som deltagit"
GRADE_PASSED = "Andel (%) elever som fått godkänt betyg i respektive ämne"

YEARLY_DIMS: tuple[str, ...] = ("area_code", "organizer_type", "subject", "school_year")
YEARLY_VALUES: tuple[str, ...] = (
    "test_pass_share",
    "test_pass_status",
    "grade_pass_share",
    "grade_pass_status",
    "gap_pass",
    "test_points_mean",
    "took_part_share",
)
TREND_DIMS: tuple[str, ...] = ("area_code", "organizer_type", "subject")
TREND_VALUES: tuple[str, ...] = (
    "years",
    "first_year",
    "last_year",
    "gap_latest",
    "gap_mean",
    "gap_slope",
    "years_grade_above",
    "years_grade_below",
)
SPREAD_DIMS: tuple[str, ...] = ("organizer_type", "subject", "school_year")
SPREAD_VALUES: tuple[str, ...] = ("gap_p10", "gap_median", "gap_p90")
SOURCE = "Skolverket, Sök statistik (nationella prov och ämnesbetyg årskurs 9)"

_YEARLY_SQL = f"""
WITH facts AS (
    SELECT area_code, organizer_type, subject, school_year, measure, value, status,
           starts_with(table_name, $test_prefix) AS is_test
    FROM {PUBLIC_STATS.name}
    WHERE source = 'skolverket' AND level = 'municipality' AND "group" = 'all'
      AND (starts_with(table_name, $test_prefix) OR table_name = $grade_table)
      AND list_contains($organizer_types, organizer_type)
      AND ($all_areas OR list_contains($areas, area_code))
      AND ($all_subjects OR list_contains($subjects, subject))
),
tests AS (
    SELECT area_code, organizer_type, subject, school_year,
           any_value(value) FILTER (WHERE measure = $test_count) AS n_tested,
           any_value(value) FILTER (WHERE measure = $test_pass) AS test_pass_share,
           any_value(status) FILTER (WHERE measure = $test_pass) AS test_pass_status,
           any_value(value) FILTER (WHERE measure = $test_points) AS test_points_mean,
           any_value(value) FILTER (WHERE measure = $test_taken) AS took_part_share
    FROM facts WHERE is_test
    GROUP BY ALL
),
grades AS (
    SELECT area_code, organizer_type, subject, school_year,
           any_value(value) AS grade_pass_share, any_value(status) AS grade_pass_status
    FROM facts WHERE NOT is_test AND measure = $grade_pass
    GROUP BY ALL
)
SELECT t.area_code, t.organizer_type, t.subject, t.school_year::SMALLINT AS school_year,
       t.n_tested::BIGINT AS n_tested,
       t.test_pass_share, coalesce(t.test_pass_status, 'missing') AS test_pass_status,
       g.grade_pass_share, coalesce(g.grade_pass_status, 'missing') AS grade_pass_status,
       round(g.grade_pass_share - t.test_pass_share, 6) AS gap_pass,
       t.test_points_mean, t.took_part_share
FROM tests AS t
JOIN grades AS g USING (area_code, organizer_type, subject, school_year)
ORDER BY t.area_code, t.organizer_type, t.subject, t.school_year
"""

_TREND_SQL = """
SELECT area_code, organizer_type, subject,
       count(gap_pass) AS years,
       min(school_year) FILTER (WHERE gap_pass IS NOT NULL)::BIGINT AS first_year,
       max(school_year) FILTER (WHERE gap_pass IS NOT NULL)::BIGINT AS last_year,
       arg_max(gap_pass, school_year) FILTER (WHERE gap_pass IS NOT NULL) AS gap_latest,
       avg(gap_pass) AS gap_mean,
       CASE WHEN count(gap_pass) >= 2 THEN regr_slope(gap_pass, school_year) END AS gap_slope,
       count(*) FILTER (WHERE gap_pass > 0) AS years_grade_above,
       count(*) FILTER (WHERE gap_pass < 0) AS years_grade_below,
       sum(n_tested)::BIGINT AS n_tested
FROM yearly
GROUP BY ALL
ORDER BY area_code, organizer_type, subject
"""


_SPREAD_SQL = """
SELECT organizer_type, subject, school_year,
       count(gap_pass) AS municipalities,
       quantile_cont(gap_pass, 0.1) AS gap_p10,
       quantile_cont(gap_pass, 0.5) AS gap_median,
       quantile_cont(gap_pass, 0.9) AS gap_p90
FROM yearly
WHERE gap_pass IS NOT NULL
GROUP BY ALL
ORDER BY organizer_type, subject, school_year
"""


def _population(areas: Sequence[str] | None) -> Population:
    scope = "published.equity/" + ("all" if areas is None else ",".join(sorted(areas)))
    return Population(
        scope=scope, organizers=frozenset(), level=Level.MUNICIPALITY, student_level=False
    )


def published_grade_vs_test(
    db: Snapshot,
    *,
    municipalities: Sequence[str] | None = None,
    organizer_types: Sequence[str] = ("all",),
    subjects: Sequence[str] | None = None,
) -> Aggregate:
    """Published test pass rate against subject pass rate, per municipality, subject and year.

    Returns an ``Aggregate`` (public statistics, ``student_level=False``) with dims
    ``area_code`` (municipality code), ``organizer_type`` (``all``/``kommunal``/``enskild``),
    ``subject`` (Skolverket's Swedish subject name) and ``school_year`` (spring year), count
    ``n_tested`` (students with a test grade A-F) and values: ``test_pass_share`` and
    ``grade_pass_share`` (0-100 as published; ``*_status`` keeps Skolverket's mark, e.g.
    ``too_few`` for ``..`` or ``rounded`` for ``~100``), ``gap_pass`` (grade minus test, in
    percentage points; null when either is not published), ``test_points_mean`` (average test
    grade points, 0-20) and ``took_part_share`` (%). Only years with a published test appear.
    """
    params = _params(municipalities, organizer_types, subjects)
    table = db.query(_YEARLY_SQL, params)
    return Aggregate(
        table=table,
        dims=YEARLY_DIMS,
        count="n_tested",
        values=YEARLY_VALUES,
        population=_population(municipalities),
        data_version=db.version,
        source=SOURCE,
    )


def published_gap_trends(
    db: Snapshot,
    *,
    municipalities: Sequence[str] | None = None,
    organizer_types: Sequence[str] = ("all",),
    subjects: Sequence[str] | None = None,
) -> Aggregate:
    """The gap over the years per municipality, organizer type and subject.

    Over the rows of ``published_grade_vs_test`` (same filters): ``years`` with a gap,
    ``first_year``/``last_year``, ``gap_latest`` (the newest year's gap), ``gap_mean``,
    ``gap_slope`` (least-squares change of the gap in percentage points per year; null with
    fewer than two years), ``years_grade_above``/``years_grade_below`` (years with the subject
    pass rate above/below the test pass rate) and count ``n_tested`` (students tested, summed
    over the years).
    """
    sql = f"WITH yearly AS ({_YEARLY_SQL}) {_TREND_SQL}"
    table = db.query(sql, _params(municipalities, organizer_types, subjects))
    return Aggregate(
        table=table,
        dims=TREND_DIMS,
        count="n_tested",
        values=TREND_VALUES,
        population=_population(municipalities),
        data_version=db.version,
        source=SOURCE,
    )


def published_gap_spread(
    db: Snapshot,
    *,
    organizer_types: Sequence[str] = ("all",),
    subjects: Sequence[str] | None = None,
) -> Aggregate:
    """How the gap spreads over every municipality, per organizer type, subject and year.

    The national backdrop for a region's municipalities: count ``municipalities`` (with a gap)
    and the 10th, 50th and 90th percentiles of ``gap_pass`` across them (``gap_p10``,
    ``gap_median``, ``gap_p90``, percentage points, linear interpolation). Municipalities are
    not weighted by size: this describes municipalities, not students.
    """
    sql = f"WITH yearly AS ({_YEARLY_SQL}) {_SPREAD_SQL}"
    table = db.query(sql, _params(None, organizer_types, subjects))
    return Aggregate(
        table=table,
        dims=SPREAD_DIMS,
        count="municipalities",
        values=SPREAD_VALUES,
        population=_population(None),
        data_version=db.version,
        source=SOURCE,
    )


def _params(
    municipalities: Sequence[str] | None,
    organizer_types: Sequence[str],
    subjects: Sequence[str] | None,
) -> dict[str, object]:
    return {
        "test_prefix": TEST_TABLE_PREFIX,
        "grade_table": GRADE_TABLE,
        "test_count": TEST_COUNT,
        "test_pass": TEST_PASSED,
        "test_points": TEST_POINTS,
        "test_taken": TEST_TAKEN,
        "grade_pass": GRADE_PASSED,
        "organizer_types": list(organizer_types),
        "all_areas": municipalities is None,
        "areas": list(municipalities or []),
        "all_subjects": subjects is None,
        "subjects": list(subjects or []),
    }

"""Students on introduction programmes (IMA, IMS, IMV, IMY) followed to the next school year."""

from __future__ import annotations

from enum import StrEnum

from likvard_core.analytics.movement.scope import (
    ALL,
    INTRODUCTION_PREFIX,
    Lookups,
    Scope,
    base_sql,
)
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.schema import ENROLMENTS
from likvard_core.warehouse.snapshot import Snapshot


class Outcome(StrEnum):
    """Where an introduction-programme student is on 15 October the next school year."""

    NATIONAL = "national"
    INTRODUCTION = "introduction"
    LEFT = "left"


_FOLLOW_SQL = f"""
, nxt AS (
    SELECT school_year - 1 AS school_year, student_key,
           min(coalesce(programme_code, '')) AS programme_code
    FROM {ENROLMENTS.name}
    WHERE school_form IN (SELECT unnest($forms))
      AND school_year - 1 IN (SELECT DISTINCT school_year FROM base)
    GROUP BY ALL
),
followed AS (
    SELECT b.school_year, b.home_municipality_code, b.programme_code, b.organizer_code,
           CASE WHEN n.student_key IS NULL THEN '{Outcome.LEFT.value}'
                WHEN starts_with(n.programme_code, '{INTRODUCTION_PREFIX}')
                    THEN '{Outcome.INTRODUCTION.value}'
                ELSE '{Outcome.NATIONAL.value}' END AS outcome
    FROM base AS b
    LEFT JOIN nxt AS n ON n.school_year = b.school_year AND n.student_key = b.student_key
    WHERE starts_with(b.programme_code, '{INTRODUCTION_PREFIX}')
      AND b.school_year < $last_year
)
"""

_RESULT_SQL = f"""
SELECT school_year, coalesce(home_municipality_code, '{ALL}') AS home_municipality_code,
       coalesce(programme_code, '{ALL}') AS programme_code, outcome, count(*)::BIGINT AS n
FROM followed
GROUP BY GROUPING SETS (
    (school_year, home_municipality_code, programme_code, outcome),
    (school_year, home_municipality_code, outcome),
    (school_year, programme_code, outcome),
    (school_year, outcome))
ORDER BY ALL
"""

_LAST_YEAR_SQL = f"SELECT max(school_year) AS last FROM {ENROLMENTS.name}"


def introduction_followup(db: Snapshot, lookups: Lookups, scope: Scope) -> Aggregate:
    """Introduction-programme students of each school year (living in the region) by where they
    are the next year: a national programme, still an introduction programme, or ``left``
    (no upper-secondary enrolment). The last year with data has no next year and is left out.

    Dims ``school_year, home_municipality_code, programme_code, outcome`` (``all`` margins).
    """
    sql, params = base_sql(scope, lookups, region_by="home")
    last = db.query(_LAST_YEAR_SQL).column("last")[0].as_py()
    params["last_year"] = last if last is not None else 0
    table = db.query(sql + _FOLLOW_SQL + _RESULT_SQL, params)
    organizers = db.query(
        sql + _FOLLOW_SQL + "SELECT DISTINCT organizer_code FROM followed", params
    )
    return Aggregate(
        table=table,
        dims=("school_year", "home_municipality_code", "programme_code", "outcome"),
        count="n",
        values=(),
        population=Population(
            scope=f"movement.introduction/{scope.label()}",
            organizers=frozenset(organizers.column("organizer_code").to_pylist()),
            level=Level.MUNICIPALITY,
        ),
        data_version=db.version,
        margins=("home_municipality_code", "programme_code"),
    )

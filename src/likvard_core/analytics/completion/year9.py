"""Year-9 cohorts followed into upper secondary: started the next autumn, diploma within 3, 4
and 5 years of leaving year 9.

A year-9 cohort is every student enrolled in årskurs 9 of grundskola on 15 October of a school
year Y (spring year). "Diploma within k years" is a diploma issued in a school year ≤ Y + k
(three years is the nominal length of a national programme started the autumn after year 9);
shown only when the data reach Y + k. Counted by home municipality.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.terms import Certificate, SchoolForm
from likvard_core.warehouse.schema import DIPLOMAS, ENROLMENTS
from likvard_core.warehouse.snapshot import Snapshot

YEAR9_HORIZONS: tuple[int, ...] = (3, 4, 5)

_SQL = f"""
WITH y9 AS (
    SELECT school_year, student_key,
           arg_min(home_municipality_code, school_unit_code) AS home_municipality_code,
           arg_min(organizer_code, school_unit_code) AS organizer_code
    FROM {ENROLMENTS.name}
    WHERE school_form = $compulsory AND grade_year = 9
    GROUP BY school_year, student_key
),
gy AS (
    SELECT DISTINCT school_year, student_key FROM {ENROLMENTS.name}
    WHERE school_form = $upper_secondary
),
certs AS (
    SELECT student_key, min(school_year) AS diploma_year FROM {DIPLOMAS.name}
    WHERE certificate IN (SELECT unnest($diplomas)) GROUP BY student_key
),
each AS (
    SELECT y.school_year AS year9_year, y.home_municipality_code, y.organizer_code,
           g.student_key IS NOT NULL AS started, c.diploma_year
    FROM y9 AS y
    LEFT JOIN gy AS g ON g.student_key = y.student_key AND g.school_year = y.school_year + 1
    LEFT JOIN certs AS c ON c.student_key = y.student_key
)
SELECT year9_year, home_municipality_code, count(*)::BIGINT AS n,
       count(*) FILTER (WHERE started AND year9_year + 1 <= $last)::BIGINT AS started_next_year,
       count(*) FILTER (WHERE year9_year + 1 <= $last)::BIGINT AS observed_start,
       {{sums}}
FROM each
WHERE {{where}}
GROUP BY GROUPING SETS ((year9_year, home_municipality_code), (year9_year))
ORDER BY ALL
"""


def _sums() -> str:
    parts = []
    for k in YEAR9_HORIZONS:
        parts.append(f"count(*) FILTER (WHERE year9_year + {k} <= $last)::BIGINT AS observed_{k}")
        parts.append(
            f"count(*) FILTER (WHERE diploma_year <= year9_year + {k} "
            f"AND year9_year + {k} <= $last)::BIGINT AS diploma_{k}"
        )
    return ",\n       ".join(parts)


VALUES: tuple[str, ...] = (
    "started_next_year",
    "observed_start",
    *(f"{c}_{k}" for k in YEAR9_HORIZONS for c in ("observed", "diploma")),
    "started_share",
    *(f"diploma_{k}_share" for k in YEAR9_HORIZONS),
)


def _share(table: pa.Table, hits: str, total: str) -> pa.ChunkedArray:
    h = pc.cast(table.column(hits), pa.float64())
    t = pc.cast(table.column(total), pa.float64())
    return pc.if_else(pc.greater(t, 0), pc.divide(h, t), None)


def year9_followup(db: Snapshot, *, municipalities: list[str] | None, scope: str) -> Aggregate:
    """Year-9 students per year and home municipality (null: the total over ``municipalities``,
    None = all), the share who started upper secondary the next autumn and the shares with a
    diploma within 3, 4 and 5 years (0-1; null until the data reach those years)."""
    last = db.query(f"SELECT max(school_year) AS y FROM {ENROLMENTS.name}").column("y")[0]
    params: dict[str, object] = {
        "compulsory": SchoolForm.COMPULSORY.value,
        "upper_secondary": SchoolForm.UPPER_SECONDARY.value,
        "diplomas": list(Certificate.diplomas()),
        "last": int(last.as_py() or 0),
    }
    where = "true"
    if municipalities is not None:
        where = "home_municipality_code IN (SELECT unnest($homes))"
        params["homes"] = sorted(municipalities) or [""]
    table = db.query(_SQL.replace("{sums}", _sums()).replace("{where}", where), params)
    table = table.append_column(
        "started_share", _share(table, "started_next_year", "observed_start")
    )
    for k in YEAR9_HORIZONS:
        table = table.append_column(
            f"diploma_{k}_share", _share(table, f"diploma_{k}", f"observed_{k}")
        )
    owners = db.query(
        f"SELECT DISTINCT organizer_code FROM {ENROLMENTS.name} "
        "WHERE school_form = $compulsory AND grade_year = 9"
        + (" AND home_municipality_code IN (SELECT unnest($homes))" if municipalities else ""),
        {k: v for k, v in params.items() if k in ("compulsory", "homes")},
    )
    organizers = frozenset(str(o) for o in owners.column("organizer_code").to_pylist())
    return Aggregate(
        table=table,
        dims=("year9_year", "home_municipality_code"),
        count="n",
        values=VALUES,
        population=Population(
            scope=f"completion.year9/{scope}", organizers=organizers, level=Level.MUNICIPALITY
        ),
        data_version=db.version,
        margins=("home_municipality_code",),
    )

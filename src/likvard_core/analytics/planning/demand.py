"""Demand per programme from application patterns.

For each programme ``p`` the **first-choice share** is the region's first-choice applications
(``choice_rank = 1`` in one admission round, by applicants whose home municipality is in the
region) divided by the region's 16-year-olds in the same year, pooled over the base years::

    share(p) = Σ_y first_choices(p, y) / Σ_y persons_16(y)

over the years that have both applications and population. Demand in a forecast year is that
share times the region's forecast cohort::

    demand(p, Y) = share(p) · Σ_m cohort(m, Y)

Applicants older than 16 apply too, so shares are per 16-year-old, not per applicant.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.terms import AdmissionRound
from likvard_core.warehouse.snapshot import Snapshot

SOURCE = "Gymnasieantagningen (förstahandsval), SCB folkmängd; Likvärds framskrivning"

_SHARES_SQL = """
WITH cohort AS (
    SELECT year::INTEGER AS year, sum(persons)::BIGINT AS persons
    FROM population
    WHERE list_contains($codes, municipality_code) AND age = $target
      AND year BETWEEN $first AND $last
    GROUP BY 1
), applications AS (
    SELECT school_year::INTEGER AS year, programme_code, count(*)::BIGINT AS applicants
    FROM admissions
    WHERE admission_round = $round AND choice_rank = 1
      AND list_contains($codes, home_municipality_code)
      AND school_year BETWEEN $first AND $last
    GROUP BY ALL
), years AS (
    SELECT c.year, c.persons FROM cohort AS c
    WHERE c.year IN (SELECT year FROM applications)
)
SELECT a.programme_code,
       sum(a.applicants)::BIGINT AS basis_applicants,
       (SELECT sum(persons) FROM years)::BIGINT AS basis_persons
FROM applications AS a
WHERE a.year IN (SELECT year FROM years)
GROUP BY 1
ORDER BY 1
"""


def first_choice_shares(
    db: Snapshot,
    *,
    municipalities: Sequence[str],
    years: range,
    admission_round: AdmissionRound = AdmissionRound.FINAL,
    target_age: int = 16,
) -> pa.Table:
    """First-choice applications per 16-year-old, per programme, pooled over ``years``.

    Columns: programme_code, basis_applicants, basis_persons, first_choice_share.
    """
    table = db.query(
        _SHARES_SQL,
        {
            "codes": list(municipalities),
            "target": target_age,
            "first": min(years),
            "last": max(years),
            "round": admission_round.value,
        },
    )
    share = pc.divide(
        pc.cast(table.column("basis_applicants"), pa.float64()),
        pc.cast(table.column("basis_persons"), pa.float64()),
    )
    return table.append_column("first_choice_share", share)


def programme_demand(
    forecast: Aggregate, shares: pa.Table, *, scope: str, organizers: frozenset[str]
) -> Aggregate:
    """Demand (expected first-choice applicants) per forecast year and programme.

    ``forecast`` is ``cohorts.cohort_forecast``'s aggregate; ``shares`` comes from
    ``first_choice_shares``. Count column ``basis_applicants``: the applications the share
    rests on (student-level data: release it).
    """
    region = forecast.table.group_by("year").aggregate([("cohort", "sum")])
    joined = _cross(region, shares)
    demand = pc.multiply(joined.column("cohort_sum"), joined.column("first_choice_share"))
    table = pa.table(
        {
            "year": pc.cast(joined.column("year"), pa.int16()),
            "programme_code": joined.column("programme_code"),
            "basis_applicants": joined.column("basis_applicants"),
            "first_choice_share": joined.column("first_choice_share"),
            "cohort": joined.column("cohort_sum"),
            "demand": demand,
        }
    ).sort_by([("year", "ascending"), ("programme_code", "ascending")])
    return Aggregate(
        table=table,
        dims=("year", "programme_code"),
        count="basis_applicants",
        values=("first_choice_share", "cohort", "demand"),
        population=Population(scope, organizers, Level.REGION),
        data_version=forecast.data_version,
        source=SOURCE,
    )


def _cross(left: pa.Table, right: pa.Table) -> pa.Table:
    """Every row of ``left`` with every row of ``right`` (a cross join)."""
    left_index = pa.array(np.repeat(np.arange(left.num_rows), right.num_rows))
    right_index = pa.array(np.tile(np.arange(right.num_rows), left.num_rows))
    combined = {name: left.column(name).take(left_index) for name in left.column_names}
    combined |= {name: right.column(name).take(right_index) for name in right.column_names}
    return pa.table(combined)

"""The cohort forecast: how many 16-year-olds each municipality will have in the coming years.

Method (docs/decisions/0010-cohort-forecast.md), per municipality ``m``, both genders together:

1. **Net migration ratio per age step.** For each age ``a`` below the target age and each pair of
   consecutive past years ``(y - 1, y)`` with ``from_year - years_back < y <= from_year``::

       ratio(m, a) = Σ_y persons(m, y, a + 1) / Σ_y persons(m, y - 1, a)

   It is the share of a municipality's ``a``-year-olds still living there a year later, plus
   those who moved in, minus those who moved out or died. A ratio above 1 means net
   in-migration at that age. Pooling the years before dividing weights each year by its size.
   A step without history (or with an empty denominator) has ratio 1.
2. **Ageing the cohort.** Those aged ``target - k`` at ``from_year`` reach the target age in
   year ``from_year + k``::

       forecast(m, from_year + k) =
           persons(m, from_year, target - k) · Π_{a = target - k}^{target - 1} ratio(m, a)

   For ``k = 0`` the forecast is the observed count. The horizon cannot pass the target age
   (the unborn are not forecast): ``k <= target``.

The result is an ``Aggregate`` of public statistics (SCB population), not student-level data.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.snapshot import Snapshot

TARGET_AGE = 16
"""The age at which students start upper secondary school (the year they turn 16)."""
HORIZON = 10
YEARS_BACK = 5
SOURCE = "SCB, folkmängd efter ålder; Likvärds kohortframskrivning"

_RATIOS_SQL = """
WITH p AS (
    SELECT year, municipality_code, age, sum(persons)::DOUBLE AS persons
    FROM population
    WHERE list_contains($codes, municipality_code) AND age <= $target
    GROUP BY ALL
)
SELECT prev.municipality_code, prev.age::INTEGER AS age,
       sum(cur.persons) AS persons_after, sum(prev.persons) AS persons_before,
       CASE WHEN sum(prev.persons) > 0 THEN sum(cur.persons) / sum(prev.persons) ELSE 1.0 END
           AS ratio
FROM p AS prev
JOIN p AS cur
  ON cur.municipality_code = prev.municipality_code
 AND cur.year = prev.year + 1 AND cur.age = prev.age + 1
WHERE cur.year > $from_year - $years_back AND cur.year <= $from_year AND prev.age < $target
GROUP BY ALL
ORDER BY 1, 2
"""

_FORECAST_SQL = f"""
WITH ratios AS ({_RATIOS_SQL}),
base AS (
    SELECT municipality_code, age::INTEGER AS age, sum(persons)::DOUBLE AS persons
    FROM population
    WHERE list_contains($codes, municipality_code) AND year = $from_year
      AND age BETWEEN $target - $horizon AND $target
    GROUP BY ALL
)
SELECT b.municipality_code,
       ($from_year + $target - b.age)::SMALLINT AS year,
       b.age::TINYINT AS age_now,
       b.persons::BIGINT AS persons_now,
       coalesce(product(r.ratio), 1.0)::DOUBLE AS migration_factor,
       (b.persons * coalesce(product(r.ratio), 1.0))::DOUBLE AS cohort
FROM base AS b
LEFT JOIN ratios AS r
  ON r.municipality_code = b.municipality_code AND r.age >= b.age AND r.age < $target
GROUP BY b.municipality_code, b.age, b.persons
ORDER BY 1, 2
"""

FORECAST_SCHEMA = pa.schema(
    [
        pa.field("municipality_code", pa.string()),
        pa.field("year", pa.int16()),
        pa.field("age_now", pa.int8()),
        pa.field("persons_now", pa.int64()),
        pa.field("migration_factor", pa.float64()),
        pa.field("cohort", pa.float64()),
    ]
)


def migration_ratios(
    db: Snapshot,
    *,
    municipalities: Sequence[str],
    from_year: int,
    years_back: int = YEARS_BACK,
    target_age: int = TARGET_AGE,
) -> pa.Table:
    """Net migration ratio per municipality and age step ``a → a + 1`` (see module docstring).

    Columns: municipality_code, age, persons_after, persons_before, ratio (dimensionless).
    """
    params = _params(municipalities, from_year, years_back, target_age)
    return db.query(_RATIOS_SQL, params)


def cohort_forecast(
    db: Snapshot,
    *,
    municipalities: Sequence[str],
    from_year: int,
    horizon: int = HORIZON,
    years_back: int = YEARS_BACK,
    target_age: int = TARGET_AGE,
) -> Aggregate:
    """Persons reaching ``target_age`` per municipality in ``from_year`` … ``from_year + horizon``.

    ``cohort`` is the forecast number of persons (a float: a model, not a count); ``persons_now``
    is the observed size of that birth cohort in ``from_year`` and ``migration_factor`` the
    product of the net migration ratios it is expected to meet on its way to the target age.
    """
    if not 0 <= horizon <= target_age:
        raise ValueError(f"horizon must be 0-{target_age}")
    params = _params(municipalities, from_year, years_back, target_age) | {"horizon": horizon}
    table = db.query(_FORECAST_SQL, params).cast(FORECAST_SCHEMA)
    scope = f"population:{','.join(sorted(municipalities))}/from:{from_year}"
    return Aggregate(
        table=table,
        dims=("municipality_code", "year"),
        count="persons_now",
        values=("migration_factor", "cohort"),
        population=Population(scope, frozenset(), Level.MUNICIPALITY, student_level=False),
        data_version=db.version,
        source=SOURCE,
    )


def latest_population_year(db: Snapshot, *, municipalities: Sequence[str]) -> int | None:
    """The newest year with population figures for any of ``municipalities``, or None."""
    row = db.query(
        "SELECT max(year) AS y FROM population WHERE list_contains($codes, municipality_code)",
        {"codes": list(municipalities)},
    ).to_pylist()[0]
    return None if row["y"] is None else int(row["y"])


def _params(
    municipalities: Sequence[str], from_year: int, years_back: int, target_age: int
) -> dict[str, object]:
    if years_back < 1:
        raise ValueError("years_back must be at least 1")
    return {
        "codes": list(municipalities),
        "from_year": from_year,
        "years_back": years_back,
        "target": target_age,
    }

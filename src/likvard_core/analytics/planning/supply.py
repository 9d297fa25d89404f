"""Supply against demand per programme and year, and scenarios of changed places.

**Supply** of a programme in a year is the sum over the region's school units of:
- the places the unit reported in the capacity survey, when its municipality has submitted
  the survey (``Coverage``; a covered unit without a row offers no places; past the survey's
  last year its last year's places carry forward), else
- the unit's first-year enrolment in the programme in the latest enrolment year, assumed to
  stay the same in every forecast year.

``supply_survey`` and ``supply_enrolment`` keep the two parts apart; ``gap = supply - demand``
(positive: more places than first-choice applicants expected).

A **scenario** is a list of ``Change``s ("school unit X adds 30 places in EE from 2027"),
applied on top: ``scenario_change`` is the sum of the changes in force in a year,
``scenario_supply = supply + scenario_change`` and ``scenario_gap = scenario_supply - demand``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.disclosure.aggregate import Aggregate
from likvard_core.warehouse.snapshot import Snapshot

KEYS = ["year", "programme_code"]
SURVEY_SCHEMA = pa.schema(
    [
        pa.field("school_unit_code", pa.string()),
        pa.field("programme_code", pa.string()),
        pa.field("year", pa.int16()),
        pa.field("places", pa.int64()),
    ]
)
"""Capacity-survey rows as the planning service passes them."""

_ENROLMENT_SQL = """
SELECT school_unit_code, coalesce(programme_code, '') AS programme_code,
       count(DISTINCT student_key)::BIGINT AS students
FROM enrolments
WHERE school_form = 'gymnasieskola' AND grade_year = 1 AND school_year = $year
  AND list_contains($units, school_unit_code)
GROUP BY ALL
ORDER BY 1, 2
"""


@dataclass(frozen=True, slots=True)
class Change:
    """One change of places: ``places`` more (fewer when negative) from ``from_year`` on."""

    school_unit_code: str
    programme_code: str
    from_year: int
    places: int


def latest_enrolment_year(db: Snapshot, *, school_units: Sequence[str]) -> int | None:
    """The newest enrolment ``school_year`` (spring year) of any of ``school_units``, or None."""
    row = db.query(
        "SELECT max(school_year) AS y FROM enrolments WHERE list_contains($units, school_unit_code)"
        " AND school_form = 'gymnasieskola'",
        {"units": list(school_units)},
    ).to_pylist()[0]
    return None if row["y"] is None else int(row["y"])


def first_year_enrolment(
    db: Snapshot, *, school_units: Sequence[str], school_year: int
) -> pa.Table:
    """First-year students per school unit and programme on 15 October of ``school_year``.

    Columns: school_unit_code, programme_code, students.
    """
    return db.query(_ENROLMENT_SQL, {"units": list(school_units), "year": school_year})


@dataclass(frozen=True, slots=True)
class Coverage:
    """Which units the capacity survey covers (municipalities that submitted), for which years.

    From ``first_year`` on, a covered unit's supply is its reported places (a covered unit
    without a row offers none); past ``last_year`` the last year's places carry forward.
    """

    school_units: frozenset[str]
    first_year: int
    last_year: int


NO_SURVEY = Coverage(frozenset(), 0, 0)


def supply_vs_demand(
    demand: Aggregate,
    *,
    years: Sequence[int],
    survey: pa.Table,
    coverage: Coverage,
    enrolment: pa.Table,
) -> Aggregate:
    """Supply, demand and gap per year and programme (see the module docstring).

    ``demand`` is ``demand.programme_demand``'s aggregate; ``years`` the forecast years (rows
    of other years are dropped); ``survey`` has ``SURVEY_SCHEMA``; ``enrolment`` comes from
    ``first_year_enrolment``. Keeps ``demand``'s population.
    """
    year_set = pa.array(sorted(years), pa.int16())
    surveyed_parts, enrolled_parts = [], []
    covered = pa.array(sorted(coverage.school_units), pa.string())
    for year in sorted(years):
        in_force = bool(coverage.school_units) and year >= coverage.first_year
        uncovered = enrolment
        if in_force:
            source_year = min(year, coverage.last_year)
            rows = survey.filter(
                pc.and_(
                    pc.is_in(survey.column("school_unit_code"), value_set=covered),
                    pc.equal(survey.column("year"), source_year),
                )
            )
            surveyed_parts.append(_at_year(rows.select(["programme_code", "places"]), year))
            uncovered = enrolment.filter(
                pc.invert(pc.is_in(enrolment.column("school_unit_code"), value_set=covered))
            )
        enrolled_parts.append(_at_year(uncovered.select(["programme_code", "students"]), year))
    surveyed = _sum_by_keys(_concat(surveyed_parts, "places"), "places", "supply_survey")
    enrolled = _sum_by_keys(_concat(enrolled_parts, "students"), "students", "supply_enrolment")
    wanted = demand.table.select([*KEYS, "basis_applicants", "demand"])
    wanted = wanted.filter(pc.is_in(wanted.column("year"), value_set=year_set))
    table = _outer(_outer(wanted, surveyed), enrolled)
    zero = pa.scalar(0, pa.int64())
    survey_places = pc.fill_null(table.column("supply_survey"), zero)
    enrolment_places = pc.fill_null(table.column("supply_enrolment"), zero)
    supply = pc.add(survey_places, enrolment_places)
    demand_values = pc.fill_null(table.column("demand"), pa.scalar(0.0))
    result = pa.table(
        {
            "year": pc.cast(table.column("year"), pa.int16()),
            "programme_code": table.column("programme_code"),
            "basis_applicants": pc.fill_null(table.column("basis_applicants"), zero),
            "supply_survey": survey_places,
            "supply_enrolment": enrolment_places,
            "supply": supply,
            "demand": demand_values,
            "gap": pc.subtract(pc.cast(supply, pa.float64()), demand_values),
        }
    ).sort_by([("year", "ascending"), ("programme_code", "ascending")])
    return Aggregate(
        table=result,
        dims=tuple(KEYS),
        count="basis_applicants",
        values=("supply_survey", "supply_enrolment", "supply", "demand", "gap"),
        population=demand.population,
        data_version=demand.data_version,
        source=demand.source,
    )


def with_scenario(aggregate: Aggregate, changes: Sequence[Change]) -> Aggregate:
    """``supply_vs_demand``'s aggregate with a scenario's columns added (module docstring).

    A change for a programme and year not in the table adds a row with no supply or demand.
    Changes before the first year count from the first year; after the last, not at all.
    """
    table = aggregate.table
    years = sorted(set(table.column("year").to_pylist()))
    delta = _change_table(changes, years)
    if delta.num_rows:
        missing = delta.join(table.select(KEYS), KEYS, join_type="left anti")
        table = pa.concat_tables([table, _empty_rows(missing, table.schema)])
    joined = table.join(delta, KEYS, join_type="left outer").sort_by(
        [("year", "ascending"), ("programme_code", "ascending")]
    )
    change = pc.fill_null(joined.column("scenario_change"), pa.scalar(0, pa.int64()))
    scenario_supply = pc.add(joined.column("supply"), change)
    scenario_gap = pc.subtract(pc.cast(scenario_supply, pa.float64()), joined.column("demand"))
    joined = joined.set_column(joined.schema.get_field_index("scenario_change"),
                               "scenario_change", change)  # fmt: skip
    joined = joined.append_column("scenario_supply", scenario_supply)
    joined = joined.append_column("scenario_gap", scenario_gap)
    return Aggregate(
        table=joined,
        dims=aggregate.dims,
        count=aggregate.count,
        values=(*aggregate.values, "scenario_change", "scenario_supply", "scenario_gap"),
        population=aggregate.population,
        data_version=aggregate.data_version,
        source=aggregate.source,
    )


def _change_table(changes: Sequence[Change], years: Sequence[int]) -> pa.Table:
    """(year, programme_code, scenario_change) summed over the changes in force each year."""
    rows = [
        (year, change.programme_code, change.places)
        for change in changes
        for year in years
        if year >= change.from_year
    ]
    table = pa.table(
        {
            "year": pa.array([r[0] for r in rows], pa.int16()),
            "programme_code": pa.array([r[1] for r in rows], pa.string()),
            "change": pa.array([r[2] for r in rows], pa.int64()),
        }
    )
    return _sum_by_keys(table, "change", "scenario_change")


def _empty_rows(keys: pa.Table, schema: pa.Schema) -> pa.Table:
    """Rows for ``keys`` with zero supply, demand and basis, in ``schema``."""
    size = keys.num_rows
    columns = {}
    for field in schema:
        if field.name in KEYS:
            columns[field.name] = pc.cast(keys.column(field.name), field.type)
        else:
            columns[field.name] = pa.array(np.zeros(size), pa.float64()).cast(field.type)
    return pa.table(columns, schema=schema)


def _sum_by_keys(table: pa.Table, column: str, name: str) -> pa.Table:
    grouped = table.group_by(KEYS).aggregate([(column, "sum")])
    return pa.table(
        {
            "year": pc.cast(grouped.column("year"), pa.int16()),
            "programme_code": grouped.column("programme_code"),
            name: pc.cast(grouped.column(f"{column}_sum"), pa.int64()),
        }
    )


def _at_year(table: pa.Table, year: int) -> pa.Table:
    """``table`` with a ``year`` column holding ``year``."""
    return table.append_column("year", pa.array(np.full(table.num_rows, year), pa.int16()))


def _concat(parts: list[pa.Table], value: str) -> pa.Table:
    """The parts stacked, or an empty (programme_code, ``value``, year) table."""
    if parts:
        return pa.concat_tables([p.cast(parts[0].schema) for p in parts])
    return pa.table(
        {
            "programme_code": pa.array([], pa.string()),
            value: pa.array([], pa.int64()),
            "year": pa.array([], pa.int16()),
        }
    )


def _outer(left: pa.Table, right: pa.Table) -> pa.Table:
    index = left.schema.get_field_index("year")
    left = left.set_column(index, "year", pc.cast(left.column("year"), pa.int16()))
    return left.join(right, KEYS, join_type="full outer", coalesce_keys=True)

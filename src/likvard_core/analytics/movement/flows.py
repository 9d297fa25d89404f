"""Flows of upper-secondary students on 15 October, and the dependency-map figures from them.

All functions count students (one row per student and school year, see ``scope``) and return
an ``Aggregate`` for the release gate. Definitions:

- *other organizer*: the student's organizer is not the municipal organizer of the student's
  home municipality (an independent school, another municipality's school, a region's school).
- *outgoing* (of a municipality): its residents studying with another organizer;
  *incoming*: residents of other municipalities studying with its municipal organizer;
  *net* = incoming - outgoing.
- *school municipality*: where the school unit is (from the reference lookups), used by the
  origin-destination matrix.

A total row (every school unit of an organizer, every municipality, every programme) has a null
in its margin column, as ``GROUP BY GROUPING SETS`` gives it (ADR 0003), so the release cube
sees that it is the sum of the rows beside it.
"""

from __future__ import annotations

from enum import StrEnum

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.movement.scope import MUNICIPAL, Lookups, Scope, base_sql
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.snapshot import Snapshot


class FlowLevel(StrEnum):
    """A stage of the flow: home municipality, organizer, school unit, programme."""

    HOME = "home_municipality_code"
    ORGANIZER = "organizer_code"
    SCHOOL_UNIT = "school_unit_code"
    PROGRAMME = "programme_code"


FLOW_DIMS: tuple[str, ...] = (
    "school_year",
    "home_municipality_code",
    "organizer_code",
    "organizer_type",
    "school_unit_code",
    "school_municipality_code",
    "programme_code",
)


def _aggregate(
    data_version: str,
    table: pa.Table,
    *,
    dims: tuple[str, ...],
    values: tuple[str, ...] = (),
    name: str,
    scope: Scope,
    level: Level,
    organizers: pa.Table | None = None,
    margins: tuple[str, ...] = (),
    parts: tuple[str, ...] = (),
    part_sets: tuple[tuple[str, ...], ...] = (),
) -> Aggregate:
    source = organizers if organizers is not None else table
    codes: list[str] = (
        pc.unique(source.column("organizer_code")).to_pylist()
        if "organizer_code" in source.schema.names
        else []
    )
    population = Population(
        scope=f"movement.{name}/{scope.label()}",
        organizers=frozenset(c for c in codes if c),
        level=level,
    )
    return Aggregate(
        table=table,
        dims=dims,
        count="n",
        values=values,
        population=population,
        data_version=data_version,
        margins=margins,
        parts=parts,
        part_sets=part_sets,
    )


def _organizers(db: Snapshot, scope: Scope, lookups: Lookups) -> pa.Table:
    sql, params = base_sql(scope, lookups)
    return db.query(sql + "SELECT DISTINCT organizer_code FROM base", params)


def flows(db: Snapshot, lookups: Lookups, scope: Scope) -> Aggregate:
    """Students per home municipality, organizer, school unit and programme, per school year.

    Every student of the scope is in exactly one row; ``n`` sums to the enrolment.
    """
    sql, params = base_sql(scope, lookups)
    dims = ", ".join(FLOW_DIMS)
    table = db.query(
        sql + f"SELECT {dims}, count(*)::BIGINT AS n FROM base GROUP BY ALL ORDER BY ALL", params
    )
    return _aggregate(
        db.version, table, dims=FLOW_DIMS, name="flows", scope=scope, level=Level.SCHOOL_UNIT
    )


def flow_links(
    db: Snapshot, lookups: Lookups, scope: Scope, *, source: FlowLevel, target: FlowLevel
) -> Aggregate:
    """Students between two stages of the flow (one link of a Sankey), per school year."""
    if source == target:
        raise ValueError("a link joins two different stages")
    sql, params = base_sql(scope, lookups)
    dims = ("school_year", source.value, target.value)
    table = db.query(
        sql + f"SELECT {', '.join(dims)}, count(*)::BIGINT AS n FROM base "
        "GROUP BY ALL ORDER BY ALL",
        params,
    )
    unit_level = FlowLevel.SCHOOL_UNIT in (source, target)
    organizers = (
        None if FlowLevel.ORGANIZER in (source, target) else _organizers(db, scope, lookups)
    )
    return _aggregate(
        db.version,
        table,
        dims=dims,
        name=f"links.{source.value}.{target.value}",
        scope=scope,
        level=Level.SCHOOL_UNIT if unit_level else Level.ORGANIZER,
        organizers=organizers,
    )


def unit_origins(db: Snapshot, lookups: Lookups, scope: Scope) -> Aggregate:
    """Per organizer and school unit (and the organizer as a whole, unit null): the home
    municipalities of its students, per school year."""
    sql, params = base_sql(scope, lookups)
    table = db.query(
        sql
        + """
        SELECT school_year, organizer_code, school_unit_code,
               home_municipality_code, count(*)::BIGINT AS n
        FROM base
        GROUP BY GROUPING SETS (
            (school_year, organizer_code, school_unit_code, home_municipality_code),
            (school_year, organizer_code, home_municipality_code))
        ORDER BY ALL
        """,
        params,
    )
    dims = ("school_year", "organizer_code", "school_unit_code", "home_municipality_code")
    return _aggregate(
        db.version, table, dims=dims, name="origins", scope=scope, level=Level.SCHOOL_UNIT,
        margins=("school_unit_code",),
    )  # fmt: skip


def origin_destination(db: Snapshot, lookups: Lookups, scope: Scope) -> Aggregate:
    """The origin-destination matrix: students per home municipality and school municipality."""
    sql, params = base_sql(scope, lookups)
    table = db.query(
        sql + "SELECT school_year, home_municipality_code, school_municipality_code, "
        "count(*)::BIGINT AS n FROM base GROUP BY ALL ORDER BY ALL",
        params,
    )
    dims = ("school_year", "home_municipality_code", "school_municipality_code")
    return _aggregate(
        db.version, table, dims=dims, name="od", scope=scope, level=Level.MUNICIPALITY,
        organizers=_organizers(db, scope, lookups),
    )  # fmt: skip


_SHARE_SQL = """
SELECT school_year, home_municipality_code AS municipality_code,
       count(*)::BIGINT AS n,
       count(*) FILTER (WHERE other_organizer)::BIGINT AS n_other,
       count(*) FILTER (WHERE other_organizer)::DOUBLE / count(*) AS share_other
FROM base
GROUP BY GROUPING SETS ((school_year, home_municipality_code), (school_year))
ORDER BY school_year, municipality_code NULLS LAST
"""


def other_organizer_share(db: Snapshot, lookups: Lookups, scope: Scope) -> Aggregate:
    """Per home municipality of the region and the region as a whole (municipality null), per
    school year: residents ``n``, those with another organizer ``n_other`` and ``share_other``
    (0-1)."""
    sql, params = base_sql(scope, lookups, region_by="home")
    table = db.query(sql + _SHARE_SQL, params)
    return _aggregate(
        db.version, table, dims=("school_year", "municipality_code"),
        values=("n_other", "share_other"), name="other_share", scope=scope,
        level=Level.MUNICIPALITY, organizers=_organizers(db, scope, lookups),
        margins=("municipality_code",),
    )  # fmt: skip


_BALANCE_SQL = f"""
, sides AS (
    SELECT school_year, home_municipality_code AS municipality_code, programme_code,
           1 AS resident, other_organizer::INT AS outgoing, 0 AS incoming
    FROM base
    UNION ALL
    SELECT school_year, organizer_municipality, programme_code, 0, 0, 1
    FROM base
    WHERE organizer_type = '{MUNICIPAL}' AND organizer_municipality <> home_municipality_code
)
SELECT school_year, municipality_code, programme_code,
       count(*)::BIGINT AS n,
       sum(resident)::BIGINT AS residents,
       sum(outgoing)::BIGINT AS outgoing,
       sum(incoming)::BIGINT AS incoming,
       (sum(incoming) - sum(outgoing))::BIGINT AS net
FROM sides
WHERE {{municipality_filter}}
GROUP BY GROUPING SETS ((school_year, municipality_code, programme_code),
                        (school_year, municipality_code))
ORDER BY school_year, municipality_code, programme_code NULLS LAST
"""


# A balance row's ``n`` is its residents plus the students coming in from other
# municipalities, and those who go out are residents too (disjoint from those coming in): the
# counts are parts of ``n`` and cells of the release cube, tied to the programmes' total like
# ``n``. Left as plain values, a hidden row's ``incoming`` was the total's minus the shown
# rows' (the disclosure auditor found 52 such cells in GR and 11 in Skaraborg on the demo).
BALANCE_PARTS = ("residents", "incoming")
BALANCE_PART_SETS = (("outgoing", "incoming"),)


def municipality_balance(db: Snapshot, lookups: Lookups, scope: Scope) -> Aggregate:
    """Per municipality of the region and programme (null = every programme), per year:
    ``residents``, ``outgoing``, ``incoming`` and ``net``; ``n`` counts the students involved
    (residents plus incoming)."""
    sql, params = base_sql(scope, lookups)
    where = (
        "TRUE" if scope.municipalities is None else "municipality_code IN (SELECT unnest($region))"
    )
    table = db.query(sql + _BALANCE_SQL.format(municipality_filter=where), params)
    return _aggregate(
        db.version, table, dims=("school_year", "municipality_code", "programme_code"),
        values=("residents", "outgoing", "incoming", "net"), name="balance", scope=scope,
        level=Level.MUNICIPALITY, organizers=_organizers(db, scope, lookups),
        margins=("programme_code",), parts=BALANCE_PARTS, part_sets=BALANCE_PART_SETS,
    )  # fmt: skip


def enrolment_years(db: Snapshot, scope: Scope) -> list[int]:
    """The school years with enrolments in the scope's school forms, oldest first."""
    table = db.query(
        "SELECT DISTINCT school_year FROM enrolments WHERE school_form IN (SELECT unnest($forms)) "
        "ORDER BY school_year",
        {"forms": list(scope.school_forms)},
    )
    return [int(y) for y in table.column("school_year").to_pylist()]


def programme_codes(db: Snapshot, scope: Scope) -> list[str]:
    """The programme codes with enrolments in the scope's school forms, sorted."""
    table = db.query(
        "SELECT DISTINCT programme_code FROM enrolments "
        "WHERE school_form IN (SELECT unnest($forms)) AND programme_code IS NOT NULL "
        "AND programme_code <> '' ORDER BY programme_code",
        {"forms": list(scope.school_forms)},
    )
    return [str(c) for c in table.column("programme_code").to_pylist()]

"""Every dependency-map table from one pass over the enrolments.

``movement_cells`` reads the enrolments once: one hash aggregate keeps one row per student and
school year (the lowest school unit code, as in ``scope``), a second counts the students per
finest cell (year, home municipality, organizer, school unit, programme) and the reference
lookups are joined to the cells, not to the students. ``tables_from_cells`` derives the flows,
the origin-destination matrix, the other-organizer shares, the municipal balance and any flow
link from those cells with Arrow's vectorised group-by, so a national run reads the data once
and a page can derive its tables from a slice of cells kept per data version
(``likvard.analyses.movement.services.cells``). The results equal those of the single functions in
``flows`` (tested) and of the pandas reference in ``bench/reference/movement.py``.

Measured at national scale (2.6 million upper-secondary students in ten years), the student
aggregate is most of the time; arg_min over the few code columns costs about as much as any
packed-key variant, and deriving the small tables in Arrow is cheaper than GROUPING SETS over
a materialised cell CTE (which DuckDB fills and scans once per grouping set).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.movement.flows import (
    BALANCE_PART_SETS,
    BALANCE_PARTS,
    FLOW_DIMS,
    FlowLevel,
    _aggregate,
)
from likvard_core.analytics.movement.scope import MUNICIPAL, Lookups, Scope
from likvard_core.disclosure.aggregate import Aggregate, Level
from likvard_core.warehouse.schema import ENROLMENTS
from likvard_core.warehouse.snapshot import Snapshot

CELL_COLUMNS: tuple[str, ...] = (*FLOW_DIMS, "organizer_municipality", "other_organizer", "n")
"""The columns of a cell table: the flow dimensions, the organizer's municipality, whether the
organizer is another than the home municipality's own, and the number of students."""

_CELLS_SQL = f"""
WITH org AS (
    SELECT unnest($org_codes) AS organizer_code, unnest($org_types) AS organizer_type,
           unnest($org_munis) AS organizer_municipality
),
units AS (
    SELECT unnest($unit_codes) AS school_unit_code, unnest($unit_munis) AS school_municipality
),
students AS (
    SELECT school_year, min(school_unit_code) AS school_unit_code,
           arg_min(home_municipality_code, school_unit_code) AS home_municipality_code,
           arg_min(organizer_code, school_unit_code) AS organizer_code,
           arg_min(coalesce(programme_code, ''), school_unit_code) AS programme_code
    FROM {ENROLMENTS.name}
    WHERE school_form IN ({{forms}}) {{years}}
    GROUP BY school_year, student_key
),
counted AS (
    SELECT school_year, home_municipality_code, organizer_code, school_unit_code, programme_code,
           count(*)::BIGINT AS n
    FROM students
    GROUP BY ALL
)
SELECT c.school_year, c.home_municipality_code, c.organizer_code,
       coalesce(o.organizer_type, '') AS organizer_type, c.school_unit_code,
       coalesce(u.school_municipality, '') AS school_municipality_code, c.programme_code,
       coalesce(o.organizer_municipality, '') AS organizer_municipality,
       NOT (coalesce(o.organizer_type, '') = '{MUNICIPAL}'
            AND o.organizer_municipality = c.home_municipality_code) AS other_organizer,
       c.n
FROM counted AS c
LEFT JOIN org AS o ON o.organizer_code = c.organizer_code
LEFT JOIN units AS u ON u.school_unit_code = c.school_unit_code
"""


def lookups_digest(lookups: Lookups) -> str:
    """A short digest of the lookups, so a table kept per data version notices new reference
    data (a school unit that moved, a new organizer)."""
    text = json.dumps(lookups.params(), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def movement_cells(db: Snapshot, lookups: Lookups, scope: Scope) -> pa.Table:
    """Students per finest cell of the scope's school forms and years, one pass (unordered).

    Columns ``CELL_COLUMNS``; each student is counted once, in one cell. Only
    ``scope.school_forms`` and ``scope.years`` are applied here (pushed into the Parquet scan);
    the region, programme and organizer-type filters are applied by ``tables_from_cells``.
    """
    params: dict[str, object] = dict(lookups.params())
    forms = []
    for index, form in enumerate(scope.school_forms):
        params[f"form{index}"] = form
        forms.append(f"$form{index}")
    years = ""
    if scope.years is not None:
        params["years"] = list(scope.years)
        years = "AND school_year IN (SELECT unnest($years))"
    sql = _CELLS_SQL.format(forms=", ".join(forms) or "NULL", years=years)
    return db.query(sql, params)


def cells_in_scope(cells: pa.Table, scope: Scope, *, region_by: str = "either") -> pa.Table:
    """The cells of ``scope``: its years, programmes and organizer types, and students living
    (``region_by="home"``) or living or studying (``"either"``) in its municipalities."""
    masks: list[pa.ChunkedArray] = []
    if scope.years is not None:
        masks.append(pc.is_in(cells["school_year"], pa.array(scope.years, pa.int16())))
    if scope.programmes is not None:
        masks.append(pc.is_in(cells["programme_code"], pa.array(sorted(scope.programmes))))
    if scope.organizer_types is not None:
        types = pa.array(sorted(scope.organizer_types))
        masks.append(pc.is_in(cells["organizer_type"], types))
    if scope.municipalities is not None:
        region = pa.array(sorted(scope.municipalities))
        home = pc.is_in(cells["home_municipality_code"], region)
        school = pc.is_in(cells["school_municipality_code"], region)
        masks.append(home if region_by == "home" else pc.or_(home, school))
    if not masks:
        return cells
    mask = masks[0]
    for other in masks[1:]:
        mask = pc.and_(mask, other)
    return cells.filter(mask)


@dataclass(frozen=True, slots=True)
class MovementTables:
    """The four dependency-map tables of one scope, each an ``Aggregate``."""

    flows: Aggregate
    origin_destination: Aggregate
    other_organizer_share: Aggregate
    balance: Aggregate
    cells: pa.Table

    def links(self, source: FlowLevel, target: FlowLevel) -> Aggregate:
        """Students between two stages of the flow, per school year (a Sankey link)."""
        dims = ("school_year", source.value, target.value)
        table = _sum(self.flows.table, list(dims))
        unit = FlowLevel.SCHOOL_UNIT in (source, target)
        return _replace(
            self.flows, table, dims=dims, level=Level.SCHOOL_UNIT if unit else Level.ORGANIZER
        )


def _sum(
    table: pa.Table, keys: list[str], columns: tuple[str, ...] = ("n",), *, ordered: bool = True
) -> pa.Table:
    grouped = table.group_by(keys).aggregate([(c, "sum") for c in columns])
    grouped = grouped.rename_columns([n.removesuffix("_sum") for n in grouped.schema.names])
    result = grouped.select([*keys, *columns])
    return result.sort_by([(k, "ascending") for k in keys]) if ordered else result


def _replace(
    base: Aggregate,
    table: pa.Table,
    *,
    dims: tuple[str, ...],
    level: Level,
    values: tuple[str, ...] = (),
    margins: tuple[str, ...] = (),
    parts: tuple[str, ...] = (),
    part_sets: tuple[tuple[str, ...], ...] = (),
) -> Aggregate:
    return Aggregate(
        table=table,
        dims=dims,
        count="n",
        values=values,
        population=base.population.__class__(
            scope=base.population.scope.replace("movement.tables", f"movement.{dims[-1]}"),
            organizers=base.population.organizers,
            level=level,
        ),
        data_version=base.data_version,
        margins=margins,
        parts=parts,
        part_sets=part_sets,
    )


def _total(rows: int) -> pa.Array:
    """The margin column of ``rows`` total rows: null, the one way a total is written."""
    return pa.nulls(rows, pa.string())


def _share(cells: pa.Table) -> pa.Table:
    other = pc.if_else(cells["other_organizer"], cells["n"], 0)
    cells = cells.select(["school_year", "home_municipality_code", "n"]).append_column(
        "n_other", other
    )
    per = _sum(cells, ["school_year", "home_municipality_code"], ("n", "n_other"), ordered=False)
    total = _sum(per, ["school_year"], ("n", "n_other"), ordered=False)
    total = total.add_column(1, "home_municipality_code", _total(total.num_rows))
    table = pa.concat_tables([per, total.select(per.schema.names).cast(per.schema)])
    table = table.rename_columns(["school_year", "municipality_code", "n", "n_other"])
    share = pc.divide(pc.cast(table["n_other"], pa.float64()), pc.cast(table["n"], pa.float64()))
    return table.append_column("share_other", share).sort_by(
        [("school_year", "ascending"), ("municipality_code", "ascending")]
    )


def _balance(cells: pa.Table, region: frozenset[str] | None) -> pa.Table:
    keys = ["school_year", "municipality_code", "programme_code"]
    values = ("residents", "outgoing", "incoming")
    resident = cells.select(["school_year", "home_municipality_code", "programme_code", "n"])
    resident = resident.rename_columns([*keys, "residents"])
    resident = resident.append_column(
        "outgoing", pc.if_else(cells["other_organizer"], cells["n"], 0)
    )
    resident = _sum(resident, keys, values[:2], ordered=False)
    moving_in = pc.and_(
        pc.equal(cells["organizer_type"], MUNICIPAL),
        pc.not_equal(cells["organizer_municipality"], cells["home_municipality_code"]),
    )
    incoming = cells.filter(moving_in).select(
        ["school_year", "organizer_municipality", "programme_code", "n"]
    )
    incoming = _sum(
        incoming.rename_columns([*keys, "incoming"]), keys, ("incoming",), ordered=False
    )
    if region is not None:
        members = pa.array(sorted(region))
        resident = resident.filter(pc.is_in(resident["municipality_code"], members))
        incoming = incoming.filter(pc.is_in(incoming["municipality_code"], members))
    per = resident.join(incoming, keys=keys, join_type="full outer", coalesce_keys=True)
    per = pa.table(
        {
            **{k: per[k] for k in keys},
            **{v: pc.cast(pc.fill_null(per[v], 0), pa.int64()) for v in values},
        }
    )
    total = _sum(per, keys[:2], values, ordered=False)
    total = total.add_column(2, "programme_code", _total(total.num_rows))
    table = pa.concat_tables([per, total.select(per.schema.names).cast(per.schema)])
    table = table.add_column(3, "n", pc.add(table["residents"], table["incoming"]))
    table = table.append_column("net", pc.subtract(table["incoming"], table["outgoing"]))
    return table.sort_by([(k, "ascending") for k in keys])


def tables_from_cells(cells: pa.Table, *, scope: Scope, data_version: str) -> MovementTables:
    """Flows, origin-destination, other-organizer shares and balance of ``scope`` from cells.

    ``cells`` (columns ``CELL_COLUMNS``) may hold more than the scope (a whole country or
    region); the scope is applied here. Definitions as in ``flows``: the shares count the
    region's residents, the balance the region's municipalities (null margins as there).
    The flows are in no particular order; every other table is sorted by its dimensions.
    """
    inside = cells_in_scope(cells, scope)
    flows = _aggregate(
        data_version, inside.select([*FLOW_DIMS, "n"]), dims=FLOW_DIMS, name="tables",
        scope=scope, level=Level.SCHOOL_UNIT,
    )  # fmt: skip
    residents = _residents(inside, scope)
    od_dims = ("school_year", "home_municipality_code", "school_municipality_code")
    return MovementTables(
        flows=flows,
        origin_destination=_replace(
            flows, _sum(inside, list(od_dims)), dims=od_dims, level=Level.MUNICIPALITY
        ),
        other_organizer_share=_replace(
            flows, _share(residents), dims=("school_year", "municipality_code"),
            level=Level.MUNICIPALITY, values=("n_other", "share_other"),
            margins=("municipality_code",),
        ),
        balance=_replace(
            flows, _balance(inside, scope.municipalities),
            dims=("school_year", "municipality_code", "programme_code"),
            level=Level.MUNICIPALITY, values=("residents", "outgoing", "incoming", "net"),
            margins=("programme_code",), parts=BALANCE_PARTS, part_sets=BALANCE_PART_SETS,
        ),
        cells=inside,
    )  # fmt: skip


def other_organizer_share_from_cells(
    cells: pa.Table, *, scope: Scope, data_version: str
) -> Aggregate:
    """The other-organizer shares of ``scope`` from cells alone (as ``tables_from_cells``)."""
    inside = cells_in_scope(cells, scope)
    residents = _residents(inside, scope)
    flows = _aggregate(
        data_version, inside.select(["organizer_code", "n"]), dims=("organizer_code",),
        name="tables", scope=scope, level=Level.SCHOOL_UNIT,
    )  # fmt: skip
    return _replace(
        flows, _share(residents), dims=("school_year", "municipality_code"),
        level=Level.MUNICIPALITY, values=("n_other", "share_other"),
        margins=("municipality_code",),
    )  # fmt: skip


def _residents(inside: pa.Table, scope: Scope) -> pa.Table:
    if scope.municipalities is None:
        return inside
    return cells_in_scope(inside, Scope.of(municipalities=scope.municipalities), region_by="home")


def movement_tables(db: Snapshot, lookups: Lookups, scope: Scope) -> MovementTables:
    """Flows, origin-destination, other-organizer shares and balance of ``scope`` in one pass
    over the enrolments (``movement_cells`` then ``tables_from_cells``)."""
    cells = movement_cells(db, lookups, scope)
    return tables_from_cells(cells, scope=scope, data_version=db.version)

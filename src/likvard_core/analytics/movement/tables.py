"""Every dependency-map table from one pass over the enrolments.

``movement_tables`` runs one SQL query for the finest cells (year, home municipality,
organizer, school unit, programme) and derives the origin-destination matrix, the
other-organizer shares, the municipal balance and any flow link from those cells with Arrow's
vectorised group-by, so a page or a national run reads the data once. The results equal those
of the single functions in ``flows`` (tested).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.movement.flows import FLOW_DIMS, FlowLevel, _aggregate
from likvard_core.analytics.movement.scope import ALL, MUNICIPAL, Lookups, Scope, base_sql
from likvard_core.disclosure.aggregate import Aggregate, Level
from likvard_core.warehouse.snapshot import Snapshot

_CELLS_SQL = f"""
SELECT {", ".join(FLOW_DIMS)}, organizer_municipality,
       other_organizer, count(*)::BIGINT AS n
FROM base GROUP BY ALL
"""


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


def _sum(table: pa.Table, keys: list[str], columns: tuple[str, ...] = ("n",)) -> pa.Table:
    grouped = table.group_by(keys, use_threads=False).aggregate([(c, "sum") for c in columns])
    grouped = grouped.rename_columns([n.removesuffix("_sum") for n in grouped.schema.names])
    ordered = grouped.select([*keys, *columns])
    return ordered.sort_by([(k, "ascending") for k in keys])


def _replace(
    base: Aggregate,
    table: pa.Table,
    *,
    dims: tuple[str, ...],
    level: Level,
    values: tuple[str, ...] = (),
    margins: tuple[str, ...] = (),
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
    )


def _share(cells: pa.Table, region: frozenset[str] | None) -> pa.Table:
    if region is not None:
        cells = cells.filter(pc.is_in(cells["home_municipality_code"], pa.array(sorted(region))))
    other = pc.if_else(cells["other_organizer"], cells["n"], 0)
    cells = cells.append_column("n_other", other)
    per = _sum(cells, ["school_year", "home_municipality_code"], ("n", "n_other"))
    total = _sum(cells, ["school_year"], ("n", "n_other"))
    total = total.add_column(
        1, "home_municipality_code", pa.array([ALL] * total.num_rows, pa.string())
    )
    table = pa.concat_tables([per, total.select(per.schema.names)])
    table = table.rename_columns(["school_year", "municipality_code", "n", "n_other"])
    share = pc.divide(pc.cast(table["n_other"], pa.float64()), pc.cast(table["n"], pa.float64()))
    return table.append_column("share_other", share).sort_by(
        [("school_year", "ascending"), ("municipality_code", "ascending")]
    )


def _balance(cells: pa.Table, region: frozenset[str] | None) -> pa.Table:
    keys = ["school_year", "municipality_code", "programme_code"]
    residents = cells.select(["school_year", "home_municipality_code", "programme_code", "n"])
    residents = residents.rename_columns([*keys, "residents"])
    residents = residents.append_column(
        "outgoing", pc.if_else(cells["other_organizer"], cells["n"], 0)
    ).append_column("incoming", pa.array([0] * cells.num_rows, pa.int64()))
    moving_in = pc.and_(
        pc.equal(cells["organizer_type"], MUNICIPAL),
        pc.not_equal(cells["organizer_municipality"], cells["home_municipality_code"]),
    )
    incoming = cells.filter(moving_in)
    incoming = pa.table(
        {
            "school_year": incoming["school_year"],
            "municipality_code": incoming["organizer_municipality"],
            "programme_code": incoming["programme_code"],
            "residents": pa.array([0] * incoming.num_rows, pa.int64()),
            "outgoing": pa.array([0] * incoming.num_rows, pa.int64()),
            "incoming": incoming["n"],
        }
    )
    sides = pa.concat_tables([residents, incoming.cast(residents.schema)])
    if region is not None:
        sides = sides.filter(pc.is_in(sides["municipality_code"], pa.array(sorted(region))))
    values = ("residents", "outgoing", "incoming")
    per = _sum(sides, keys, values)
    total = _sum(sides, keys[:2], values)
    total = total.add_column(2, "programme_code", pa.array([ALL] * total.num_rows, pa.string()))
    table = pa.concat_tables([per, total.select(per.schema.names)])
    n = pc.add(table["residents"], table["incoming"])
    table = table.add_column(3, "n", n)
    table = table.append_column("net", pc.subtract(table["incoming"], table["outgoing"]))
    return table.sort_by([(k, "ascending") for k in keys])


def movement_tables(db: Snapshot, lookups: Lookups, scope: Scope) -> MovementTables:
    """Flows, origin-destination, other-organizer shares and balance of ``scope`` in one pass.

    Definitions as in ``flows``: the shares count the region's residents, the balance the
    region's municipalities (``all`` margins as there)."""
    sql, params = base_sql(scope, lookups)
    cells = db.query(sql + _CELLS_SQL, params)
    flows = _aggregate(
        db, cells.select([*FLOW_DIMS, "n"]).sort_by([(d, "ascending") for d in FLOW_DIMS]),
        dims=FLOW_DIMS, name="tables", scope=scope, level=Level.SCHOOL_UNIT,
    )  # fmt: skip
    od_dims = ("school_year", "home_municipality_code", "school_municipality_code")
    return MovementTables(
        flows=flows,
        origin_destination=_replace(
            flows, _sum(cells, list(od_dims)), dims=od_dims, level=Level.MUNICIPALITY
        ),
        other_organizer_share=_replace(
            flows, _share(cells, scope.municipalities), dims=("school_year", "municipality_code"),
            level=Level.MUNICIPALITY, values=("n_other", "share_other"),
            margins=("municipality_code",),
        ),
        balance=_replace(
            flows, _balance(cells, scope.municipalities),
            dims=("school_year", "municipality_code", "programme_code"),
            level=Level.MUNICIPALITY, values=("residents", "outgoing", "incoming", "net"),
            margins=("programme_code",),
        ),
        cells=cells,
    )  # fmt: skip

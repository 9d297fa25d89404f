"""One release cube per indicator and year over every level of a region.

Released one level at a time, the figures of the analysis basis could be differenced: a unit
against its organizer, or a municipality minus the units a principal sees (their own in full)
leaving a neighbour's hidden cell. ``levels_cube`` puts every level of one indicator in one
school year into one ``Aggregate`` whose rows carry the hierarchy columns with nulls on the
coarser rows, declared as margins, so the release gate ties each total to its parts:

- a school unit: ``region_code, municipality_code`` (the unit's), ``organizer_code``,
  ``school_unit_code``;
- an organizer: ``organizer_code`` only (it may have students outside the region; its units
  in the region are parts of it, the rest an unpublished remainder);
- a municipality of the region: ``region_code, municipality_code``;
- the region: ``region_code``; the nation: none of them.

The cube holds the all-students rows (``group`` null): with the groups the gate took 13-15 s
per indicator and year on the demo region (711 cells), without them 0.4 s (240 cells).
Every page of the region releases this same cube and takes its slice, so no two pages
disagree on what is hidden; a group's figure of a total hidden here is hidden with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.quality.indicators import VALUES, level_rows
from likvard_core.analytics.quality.narrow import region_rows
from likvard_core.disclosure.aggregate import Aggregate, Level, Population

HIERARCHY: tuple[str, ...] = (
    "region_code",
    "municipality_code",
    "organizer_code",
    "school_unit_code",
)
DIMS: tuple[str, ...] = (*HIERARCHY, "indicator", "school_year", "group")
MARGINS: tuple[str, ...] = HIERARCHY
SOURCE = "Likvärd (elevdata i lagret)"


def _rows(table: pa.Table, indicator: str, codes: Mapping[str, Sequence[str | None]]) -> pa.Table:
    """``table``'s rows of ``indicator`` with the hierarchy columns given per row."""
    table = table.filter(pc.equal(table.column("indicator"), indicator))
    n = table.num_rows
    columns: dict[str, pa.Array] = {
        name: pa.array(list(codes[name]) if name in codes else [None] * n, pa.string())
        for name in HIERARCHY
    }
    return pa.table(
        {
            **columns,
            "indicator": table.column("indicator"),
            "school_year": table.column("school_year"),
            "group": table.column("group"),
            "n": table.column("n"),
            **{v: table.column(v) for v in VALUES},
        }
    )


def unit_organizers_by_year(long: pa.Table) -> dict[tuple[str, int], str]:
    """(school unit, school year) → the organizer of most of its students that year, from
    ``long``'s ``unit_organizer`` rows (the warehouse's own placement, not the register's)."""
    pairs = long.filter(
        pc.and_(pc.equal(long.column("level"), "unit_organizer"), pc.is_null(long.column("group")))
    )
    best: dict[tuple[str, int], tuple[int, str]] = {}
    for row in pairs.select(["code", "pair_code", "school_year", "n"]).to_pylist():
        key = (str(row["code"]), int(row["school_year"]))
        candidate = (int(row["n"] or 0), str(row["pair_code"]))
        if row["pair_code"] and candidate > best.get(key, (-1, "")):
            best[key] = candidate
    return {key: organizer for key, (_n, organizer) in best.items()}


def levels_cube(
    long: pa.Table,
    *,
    indicator: str,
    region_code: str,
    members: Sequence[str],
    unit_municipalities: Mapping[str, str],
    version: str,
    year: int,
) -> Aggregate:
    """Every level of ``indicator`` in the region as one aggregate (see module doc).

    ``long`` is ``IndicatorValues.long`` (or a slice holding the region's units, their
    organizers and ``unit_organizer`` pairs, its municipalities and the nation);
    ``unit_municipalities`` maps a school unit to its municipality: the region's units are
    those in its ``members``. A unit's organizer is the warehouse's, year by year.
    """
    member_set = set(members)
    units = frozenset(u for u, m in unit_municipalities.items() if m in member_set)
    owners = unit_organizers_by_year(long)
    table = long.filter(
        pc.and_(
            pc.and_(
                pc.equal(long.column("indicator"), indicator),
                pc.equal(long.column("school_year"), year),
            ),
            pc.is_null(long.column("group")),
        )
    )
    unit_rows = level_rows(table, "school_unit", units)
    unit_keys = [
        (str(u), int(y))
        for u, y in zip(
            unit_rows.column("code").to_pylist(),
            unit_rows.column("school_year").to_pylist(),
            strict=True,
        )
    ]
    unit_owners = [owners.get(key) for key in unit_keys]
    organizers = frozenset(o for o in unit_owners if o)
    organizer_rows = level_rows(table, "organizer", organizers)
    municipal = level_rows(table, "municipality", frozenset(member_set))
    region = region_rows(table, {region_code: list(members)})
    nation = level_rows(table, "nation", None)
    parts = [
        _rows(unit_rows, indicator, {
            "region_code": [region_code] * len(unit_keys),
            "municipality_code": [unit_municipalities[u] for u, _y in unit_keys],
            "organizer_code": unit_owners,
            "school_unit_code": [u for u, _y in unit_keys],
        }),
        _rows(organizer_rows, indicator, {
            "organizer_code": [str(c) for c in organizer_rows.column("code").to_pylist()],
        }),
        _rows(municipal, indicator, {
            "region_code": [region_code] * municipal.num_rows,
            "municipality_code": [str(c) for c in municipal.column("code").to_pylist()],
        }),
        _rows(region, indicator, {"region_code": [region_code] * region.num_rows}),
        _rows(nation, indicator, {}),
    ]  # fmt: skip
    cube = pa.concat_tables(parts)
    return Aggregate(
        table=cube,
        dims=DIMS,
        count="n",
        values=VALUES,
        population=Population(
            scope=f"quality.levels/{region_code}/{indicator}/year:{year}",
            organizers=organizers,
            level=Level.SCHOOL_UNIT,
            school_units=units,
        ),
        data_version=version,
        source=SOURCE,
        margins=MARGINS,
    )


def level_of(row: Mapping[str, object]) -> tuple[str, str]:
    """(level, code) of a cube row: its finest hierarchy column that is set."""
    if row.get("school_unit_code"):
        return "school_unit", str(row["school_unit_code"])
    if row.get("organizer_code"):
        return "organizer", str(row["organizer_code"])
    if row.get("municipality_code"):
        return "municipality", str(row["municipality_code"])
    if row.get("region_code"):
        return "region", str(row["region_code"])
    return "nation", ""

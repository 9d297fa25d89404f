"""Re-cut computed indicator values: other regions, fewer units, without running SQL again.

The national values of a data version are computed once (``indicator_values`` over the whole
nation and all years); an analysis basis then needs only its own organizer, municipality,
regions and comparison group. ``narrow_values`` adds regions by summing the municipality rows'
sums (exactly what the SQL pass does) and narrows each level, so one cached national pass
serves every organizer's basis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.quality.indicator_sql import FAMILIES
from likvard_core.analytics.quality.indicators import (
    SUM_KEYS,
    IndicatorValues,
    Scope,
    level_rows,
    ratio_with_interval,
    split_levels,
)

_MEASURES = {m.indicator: m for f in FAMILIES for m in f.measures}
_KEYS = ["region_code", "indicator", "school_year", "group"]


def region_rows(long: pa.Table, regions: Mapping[str, Sequence[str]]) -> pa.Table:
    """Long-form rows of each region, summed from its municipalities' rows."""
    pairs = [(code, m) for code, members in sorted(regions.items()) for m in members]
    mapping = pa.table(
        {
            "region_code": pa.array([c for c, _ in pairs], pa.string()),
            "code": pa.array([m for _, m in pairs], pa.string()),
        }
    )
    municipal = level_rows(long, "municipality", None)
    joined = municipal.join(mapping, keys="code", join_type="inner")
    sums = [("n", "sum"), *((f"s_{k}", "sum") for k in SUM_KEYS)]
    grouped = joined.group_by(_KEYS, use_threads=False).aggregate(sums)
    parts = []
    for indicator in pc.unique(grouped.column("indicator")).to_pylist():
        block = grouped.filter(pc.equal(grouped.column("indicator"), indicator))
        n = block.column("n_sum").to_numpy().astype(np.float64)
        values = {k: block.column(f"s_{k}_sum").to_numpy().astype(np.float64) for k in SUM_KEYS}
        measure = _MEASURES[indicator]
        value, low, high = ratio_with_interval(
            n, values, percent=measure.percent, plain_share=measure.percent and measure.den == "1.0"
        )
        rows = block.num_rows
        parts.append(
            pa.table(
                {
                    "level": pa.array(["region"] * rows, pa.string()),
                    "code": block.column("region_code"),
                    "pair_code": pa.nulls(rows, pa.string()),
                    "school_year": block.column("school_year").cast(pa.int16()),
                    "group": block.column("group"),
                    "n": block.column("n_sum").cast(pa.int64()),
                    "indicator": block.column("indicator"),
                    "value": pa.array(value, pa.float64(), from_pandas=True),
                    "ci_low": pa.array(low, pa.float64(), from_pandas=True),
                    "ci_high": pa.array(high, pa.float64(), from_pandas=True),
                    "numerator": pa.array(values["num"], pa.float64()),
                    "denominator": pa.array(values["den"], pa.float64()),
                    **{f"s_{k}": pa.array(v, pa.float64()) for k, v in values.items()},
                }
            )
        )
    if not parts:
        return long.schema.empty_table()
    return pa.concat_tables(parts).select(long.schema.names).cast(long.schema)


def _relevant(
    long: pa.Table,
    school_units: Sequence[str] | None,
    organizers: Sequence[str] | None,
    municipalities: Sequence[str] | None,
) -> pa.Table:
    """The rows a narrowed result can use: kept codes, the nation, regions and the
    organizer-municipality pairs (which say whose students a region or the nation counts)."""
    level = long.column("level")
    code = long.column("code")
    wanted = {
        "school_unit": school_units,
        "unit_organizer": school_units,
        "organizer": organizers,
        "municipality": municipalities,
        "organizer_municipality": None,
        "region": None,
        "nation": None,
    }
    masks = []
    for name, codes in wanted.items():
        mask = pc.equal(level, name)
        if codes is not None:
            mask = pc.and_(mask, pc.is_in(code, pa.array(list(codes), pa.string())))
        masks.append(mask)
    combined = masks[0]
    for mask in masks[1:]:
        combined = pc.or_(combined, mask)
    return long.filter(combined)


def narrow_values(
    values: IndicatorValues,
    *,
    school_units: Sequence[str] | None = None,
    organizers: Sequence[str] | None = None,
    municipalities: Sequence[str] | None = None,
    regions: Mapping[str, Sequence[str]] | None = None,
) -> IndicatorValues:
    """``values`` with ``regions`` (re)computed and each level narrowed to the given codes.

    Region rows of the same codes already present are replaced. The result's aggregates have
    the same form as ``indicator_values``'s, so they go through the release gate the same way.
    """
    long = _relevant(values.long, school_units, organizers, municipalities)
    if regions:
        is_new = pc.and_(
            pc.equal(long.column("level"), "region"),
            pc.is_in(long.column("code"), pa.array(sorted(regions), pa.string())),
        )
        long = pa.concat_tables([long.filter(pc.invert(is_new)), region_rows(values.long, regions)])
    scope = Scope(
        frozenset(school_units) if school_units is not None else None,
        frozenset(organizers) if organizers is not None else None,
        frozenset(municipalities) if municipalities is not None else None,
    )
    version = next(iter(values.aggregates.values())).data_version if values.aggregates else ""
    aggregates = split_levels(long, scope, version, values.years, values.municipality_basis)
    aggregates = {k: v for k, v in aggregates.items() if k in values.aggregates}
    return IndicatorValues(aggregates, values.municipality_basis, values.years, long)

"""Arrow builders for disclosure tests: aggregates of one population at one data version."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from likvard_core.disclosure.aggregate import Aggregate, Level, Population

POPULATION = Population("region:test/year:2025", frozenset({"2120001355"}), Level.REGION)


def aggregate(
    columns: dict[str, Sequence[object]],
    *,
    dims: tuple[str, ...],
    margins: tuple[str, ...] = (),
    values: tuple[str, ...] = (),
) -> Aggregate:
    """An aggregate over ``columns`` with count column ``n``."""
    return Aggregate(
        pa.table(columns),
        dims=dims,
        count="n",
        values=values,
        population=POPULATION,
        data_version="v1",
        margins=margins,
    )

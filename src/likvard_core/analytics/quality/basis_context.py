"""The national part of every analysis basis of one school year, computed once and shared.

Nation, regions, municipalities, comparison groups and the expected-value model are the same
for every organizer of a data version and year, so ``basis_context`` computes them once (the
whole nation over the trend years, plus the model fits of the year). The application caches
it per data version (like the release cube); ``build_basis(context=...)`` then only narrows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.quality.expected import (
    expected_values,
    unit_background,
    unit_organizers,
    unit_owners,
)
from likvard_core.analytics.quality.indicators import IndicatorValues, indicator_values
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class BasisContext:
    """National indicator values over ``years`` and expected values of ``year``.

    Student-level derived and never released as such: ``build_basis`` narrows every part to
    one subject and sends it through the caller's release function.
    """

    year: int
    years: tuple[int, ...]
    values: IndicatorValues
    expected_units: Aggregate
    expected_organizers: Aggregate
    unit_organizers: Mapping[str, str]
    school_municipalities: Mapping[str, str] | None
    unit_background: pa.Table | None = None
    """Every unit's students' background of ``year``, the fits' input (``unit_background``):
    kept beside the fits so an update recomputes only the units it touches; None when read
    back from kept tables (a basis does not need it)."""


def basis_context(
    db: Snapshot,
    *,
    year: int,
    trend_years: int = 10,
    school_municipalities: Mapping[str, str] | None = None,
    indicators: Sequence[str] | None = None,
) -> BasisContext:
    """Compute the shared national part of the analysis bases of ``year`` (see module doc)."""
    years = tuple(range(year - trend_years + 1, year + 1))
    values = indicator_values(
        db, years=years, school_municipalities=school_municipalities, indicators=indicators
    )
    background = unit_background(db, year)
    owned = unit_owners(db, year)
    units, organizers = expected_values(db, values, year=year, background=background, owners=owned)
    owners = unit_organizers(db, year, owners=owned)
    return BasisContext(
        year, years, values, units, organizers, owners, school_municipalities, background
    )


def narrow_expected(
    aggregate: Aggregate, column: str, codes: Sequence[str], organizers: frozenset[str]
) -> Aggregate:
    """``aggregate`` with only the rows of ``codes``, describing those ``organizers``."""
    table: pa.Table = aggregate.table.filter(
        pc.is_in(aggregate.table.column(column), pa.array(list(codes), pa.string()))
    )
    level = Level.ORGANIZER if column == "organizer_code" else Level.SCHOOL_UNIT
    return Aggregate(
        table=table,
        dims=aggregate.dims,
        count=aggregate.count,
        values=aggregate.values,
        population=Population(
            scope=f"{aggregate.population.scope}/codes:{','.join(sorted(codes))}",
            organizers=organizers,
            level=level,
            school_units=frozenset(codes) if level is Level.SCHOOL_UNIT else frozenset(),
        ),
        data_version=aggregate.data_version,
        source=aggregate.source,
        margins=aggregate.margins,
        partitions=aggregate.partitions,
    )

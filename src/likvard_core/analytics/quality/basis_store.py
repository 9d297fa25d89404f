"""The national basis context as tables, so it can be kept once per data version on disk.

``basis_context`` (nation, municipalities, organizers and school units over ten years, plus the
expected-value fits of the year) takes long at national scale, but it is a deterministic
function of the data version, the year and the municipality basis. ``context_tables`` turns it
into four Arrow tables (the application keeps them as derived tables of the data version);
``context_filters`` says which rows one subject's basis needs, so a request reads only its
slice; ``context_from_tables`` rebuilds a ``BasisContext`` from such a slice, which then serves
exactly that subject in ``build_basis``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.quality.basis import SubjectKind
from likvard_core.analytics.quality.basis_context import BasisContext
from likvard_core.analytics.quality.expected import VALUES as EXPECTED_VALUES
from likvard_core.analytics.quality.indicators import (
    IndicatorValues,
    MunicipalityBasis,
    Scope,
    split_levels,
)
from likvard_core.analytics.sorting import sorted_rows
from likvard_core.disclosure.aggregate import Aggregate, Level, Population

PARTS: tuple[str, ...] = (
    "values",
    "expected_units",
    "expected_organizers",
    "unit_organizers",
    "unit_background",
)
"""The tables of a kept context, each a derived table ``quality_context_<part>``; the last,
the fits' input, only for updating the context (no basis reads it)."""

_NATIONAL_LEVELS = ["municipality", "organizer_municipality", "region", "nation"]
_EXPECTED_SOURCE = "Likvärd (modell av elevernas bakgrund, SALSA-metod)"

Filter = tuple[str, str, object]


@dataclass(frozen=True, slots=True)
class ContextKey:
    """What a kept context depends on besides the data version."""

    year: int
    trend_years: int
    municipality_basis: MunicipalityBasis

    @property
    def years(self) -> tuple[int, ...]:
        """The trend's school years, oldest first."""
        return tuple(range(self.year - self.trend_years + 1, self.year + 1))


def context_tables(context: BasisContext) -> dict[str, pa.Table]:
    """The context as ``PARTS`` tables; ``values`` sorted by level and code so a read of one
    subject's rows skips most of the file."""
    return {"values": values_sorted(context.values.long), **context_fits(context)}


def context_fits(context: BasisContext) -> dict[str, pa.Table]:
    """``context_tables`` but the values: the expected values and the units' organizers."""
    units = sorted(context.unit_organizers)
    background = (
        {} if context.unit_background is None else {"unit_background": context.unit_background}
    )
    return {
        **background,
        "expected_units": context.expected_units.table.sort_by("school_unit_code"),
        "expected_organizers": context.expected_organizers.table.sort_by("organizer_code"),
        "unit_organizers": pa.table(
            {
                "school_unit_code": pa.array(units, pa.string()),
                "organizer_code": pa.array(
                    [context.unit_organizers[u] for u in units], pa.string()
                ),
            }
        ),
    }


VALUES_ORDER: tuple[str, ...] = ("level", "code", "pair_code", "indicator", "school_year", "group")
"""The kept values' order: by level and code (a subject's read skips most of the file), then
the rest of the row's key, so that the order is total and a table put together from two
versions' rows (``context_update``) is the same, row for row, as one computed anew."""


def values_sorted(long: pa.Table) -> pa.Table:
    """A long indicator table in the kept order, ``VALUES_ORDER``."""
    return sorted_rows(long, VALUES_ORDER)


def context_filters(kind: SubjectKind, code: str) -> dict[str, list[list[Filter]]]:
    """Per part, the row filters (a disjunction of conjunctions, as ``pyarrow.parquet``
    takes them) that keep what the basis of ``kind`` ``code`` needs: every municipality,
    organizer-municipality pair, region and the nation, plus the subject's own rows."""
    own_units = [code] if kind is SubjectKind.SCHOOL_UNIT else []
    own_organizers = [code] if kind is SubjectKind.ORGANIZER else []
    values: list[list[Filter]] = [[("level", "in", _NATIONAL_LEVELS)]]
    if own_units:
        values.append(
            [("level", "in", ["school_unit", "unit_organizer"]), ("code", "in", own_units)]
        )
    if own_organizers:
        values.append([("level", "=", "organizer"), ("code", "in", own_organizers)])
    return {
        "values": values,
        "expected_units": [[("school_unit_code", "in", own_units or [""])]],
        "expected_organizers": [[("organizer_code", "in", own_organizers or [""])]],
        "unit_organizers": [[("school_unit_code", "in", own_units or [""])]],
    }


def _expected(table: pa.Table, column: str, level: Level, version: str) -> Aggregate:
    years = sorted(set(table.column("school_year").to_pylist()))
    return Aggregate(
        table=table,
        dims=(column, "indicator", "school_year"),
        count="n",
        values=EXPECTED_VALUES,
        population=Population(
            scope=f"quality.expected/{level.value}/years:{years}",
            organizers=frozenset(),  # build_basis names the owners when it narrows
            level=level,
        ),
        data_version=version,
        source=_EXPECTED_SOURCE,
    )


def context_from_tables(
    tables: Mapping[str, pa.Table],
    key: ContextKey,
    *,
    version: str,
    school_municipalities: Mapping[str, str] | None,
) -> BasisContext:
    """A ``BasisContext`` from kept tables (all rows or one subject's ``context_filters``)."""
    long = tables["values"]
    long = long.filter(pc.is_in(long.column("school_year"), pa.array(key.years, pa.int16())))
    aggregates = split_levels(long, Scope(), version, key.years, key.municipality_basis)
    values = IndicatorValues(aggregates, key.municipality_basis, key.years, long)
    owners = tables["unit_organizers"]
    return BasisContext(
        year=key.year,
        years=key.years,
        values=values,
        expected_units=_expected(
            tables["expected_units"], "school_unit_code", Level.SCHOOL_UNIT, version
        ),
        expected_organizers=_expected(
            tables["expected_organizers"], "organizer_code", Level.ORGANIZER, version
        ),
        unit_organizers=dict(
            zip(
                owners.column("school_unit_code").to_pylist(),
                owners.column("organizer_code").to_pylist(),
                strict=True,
            )
        ),
        school_municipalities=school_municipalities,
    )

"""The national comparison of a data version, and one page's slice of it.

A school's page needs its own rows of the comparison, but its flags are tested against every
other unit and adjusted over every unit's tests, so they come from the whole data version's
comparison: ``yearly_from_counts`` and ``national_patterns`` compute it in one go (the
reference the kept tables are checked against); ``likvard_core.analytics.equity.kept`` keeps
it per school year and reads a page's rows back; ``units_slice`` turns the rows of some units
into the aggregates a page releases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.equity.comparison import with_outcome_marks
from likvard_core.analytics.equity.deviation import (
    DEFAULT_MIN_GROUP,
    FLAG_VALUES,
    RELEASED_FLAG_VALUES,
    flags_from_tests,
    row_tests,
)
from likvard_core.analytics.equity.grade_vs_test import (
    COUNTS,
    DIMS,
    VALUES,
    grade_vs_test_population,
    grade_vs_test_table,
)
from likvard_core.analytics.equity.groups import GROUPS, group_partitions
from likvard_core.analytics.equity.patterns import (
    PATTERN_DIMS,
    RECENT,
    RELEASED_PATTERN_VALUES,
    systematic_deviations,
    with_period,
)
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.snapshot import Snapshot

YEARLY_DIMS: tuple[str, ...] = (*DIMS, "period")
"""The released yearly breakdown: ``DIMS`` plus ``period`` (``patterns.with_period``)."""
RELEASED_PATTERN_DIMS: tuple[str, ...] = (*PATTERN_DIMS, "period")
_YEARLY_COLUMNS: tuple[str, ...] = (*(v for v in VALUES), *RELEASED_FLAG_VALUES)
RELEASED_YEARLY_VALUES: tuple[str, ...] = (*_YEARLY_COLUMNS, "shares_rounded")
"""The yearly columns that may be released (``comparison``): no leave-one-out rate or p-value."""


@dataclass(frozen=True, slots=True)
class UnitsSlice:
    """Some units' yearly flags and multi-year patterns, ready for ``release``."""

    yearly: Aggregate
    patterns: Aggregate


def national_counts(
    db: Snapshot,
    *,
    grade_year: int,
    years: Sequence[int] | None = None,
    school_units: Sequence[str] | None = None,
) -> pa.Table:
    """Every unit's (or ``school_units``') comparison (``grade_vs_test_table``, every group)
    of ``years`` (default all), before flags, sorted by the dims: the part of the work that
    reads the facts. A unit's rows are the same whichever other units are counted."""
    table = grade_vs_test_table(db, grade_year=grade_year, years=years, school_units=school_units)
    return table.sort_by([(d, "ascending") for d in DIMS])


def yearly_from_counts(
    counts: pa.Table, *, reference_label: str, min_group: int = DEFAULT_MIN_GROUP
) -> pa.Table:
    """The yearly table kept per version: flags over every row of ``counts`` (the baseline
    and the multiple-testing family are the whole version), ``period``, sorted by the dims.

    The same as ``with_deviation_flags`` of the counts, in two steps: ``row_tests`` (each
    row's stratum, i.e. its own school year) and ``flags_from_tests`` (over every row)."""
    tests = row_tests(counts, min_group=min_group)
    return _with_flags(counts, flags_from_tests(tests, reference_label=reference_label))


def _with_flags(counts: pa.Table, flags: pa.Table) -> pa.Table:
    """``counts`` with ``flags`` joined on the dims (as ``with_deviation_flags``), and period.

    Both are sorted by the dims and hold the same rows (the flags are of the counts' rows), so
    the columns are put side by side; the join is kept for anything else.
    """
    order = [(d, "ascending") for d in DIMS]
    dims = flags.select(list(DIMS))
    if not dims.equals(counts.select(list(DIMS))):  # counts are kept sorted: no sort then
        counts = counts.sort_by(order)
    if dims.equals(counts.select(list(DIMS))):
        table = counts
        for name in FLAG_VALUES:
            table = table.append_column(flags.schema.field(name), flags.column(name))
        return with_period(table)  # keeps the order
    table = counts.join(flags, keys=list(DIMS), join_type="left outer").sort_by(order)
    table = table.select([*counts.schema.names, *FLAG_VALUES])
    return with_period(table)


def national_patterns(yearly: pa.Table, *, reference_label: str) -> pa.Table:
    """Every unit's multi-year patterns from ``yearly_from_counts``'s table, sorted by the dims."""
    patterns = systematic_deviations(_as_aggregate(yearly), reference_label=reference_label)
    table = patterns.table
    return table.append_column("period", pa.array([RECENT] * table.num_rows, pa.string()))


def _as_aggregate(table: pa.Table) -> Aggregate:
    population = Population(scope="equity.national", organizers=frozenset(), level=Level.NATION)
    return Aggregate(
        table=table,
        dims=DIMS,
        count="n",
        values=(*VALUES, *FLAG_VALUES),
        population=population,
        data_version="",
        partitions=group_partitions(table),
        parts=COUNTS,
    )


def units_slice(
    *,
    yearly: pa.Table,
    patterns: pa.Table,
    units: pa.Table,
    school_units: Sequence[str],
    grade_year: int,
    data_version: str,
) -> UnitsSlice:
    """The aggregates of ``school_units`` from rows of the three national tables.

    The tables may hold more units than asked for (whole row groups are read); only the
    ``school_units`` are kept. The population is theirs alone: the units with rows, the years
    they have rows in, and the organizers enrolling students there in those years.
    Only the columns that may be released are kept (``RELEASED_YEARLY_VALUES``,
    ``RELEASED_PATTERN_VALUES``), with Skolverket's ``~100`` applied to the yearly shares
    (``comparison.with_outcome_marks``); both carry ``period`` as a breakdown, so that a pattern
    row is the total of its unit's ``recent`` yearly rows.
    """
    wanted = pa.array(sorted(set(school_units)), pa.string())
    yearly = yearly.filter(pc.is_in(yearly.column("school_unit_code"), wanted))
    patterns = patterns.filter(pc.is_in(patterns.column("school_unit_code"), wanted))
    present = pc.unique(yearly.column("school_unit_code"))
    years = pc.unique(yearly.column("school_year"))
    mine = units.filter(
        pc.and_(
            pc.is_in(units.column("school_unit_code"), present),
            pc.is_in(units.column("school_year"), years),
        )
    )
    population = grade_vs_test_population(
        grade_year=grade_year,
        school_units=present.to_pylist(),
        years=years.to_pylist(),
        organizers=pc.unique(mine.column("organizer_code")).to_pylist(),
        filtered=False,
    )
    yearly = with_outcome_marks(yearly.select([*YEARLY_DIMS, "n", *_YEARLY_COLUMNS]))
    yearly = with_empty_groups(yearly)
    yearly_aggregate = Aggregate(
        table=yearly.sort_by([(d, "ascending") for d in DIMS]),
        dims=YEARLY_DIMS,
        count="n",
        values=RELEASED_YEARLY_VALUES,
        population=population,
        data_version=data_version,
        partitions=group_partitions(yearly),
        parts=COUNTS,
        withheld="shares_rounded",
    )
    patterns_aggregate = Aggregate(
        table=with_empty_groups(
            _systematic_first(patterns).select(
                [*RELEASED_PATTERN_DIMS, "n", *RELEASED_PATTERN_VALUES]
            ),
            keys=[d for d in RELEASED_PATTERN_DIMS if d != "group"],
        ),
        dims=RELEASED_PATTERN_DIMS,
        count="n",
        values=RELEASED_PATTERN_VALUES,
        population=population,
        data_version=data_version,
        partitions=group_partitions(yearly),
    )
    return UnitsSlice(yearly=yearly_aggregate, patterns=patterns_aggregate)


def with_empty_groups(
    table: pa.Table,
    keys: Sequence[str] = ("school_unit_code", "subject_code", "school_year", "period"),
) -> pa.Table:
    """``table`` plus a row with ``n = 0`` for every group a unit, subject and year lacks.

    ``keys`` are the columns of one total row (the patterns have no ``school_year``): the
    yearly rows and the patterns must agree on which groups they show, as they are one cube.

    A group with no students has no row in ``grade_vs_test_by_school``; the release cube needs
    it as a known zero, or a year without (say) newly arrived students would make the group's
    total over the years look larger than its parts (``disclosure.partitions``). The other
    columns of such a row are null (flags false).
    """
    everyone = table.filter(pc.equal(table.column("group"), "all"))
    keys = list(keys)
    present = table.select([*keys, "group"])
    missing: list[pa.Table] = []
    for group in GROUPS[1:]:
        base = everyone.select(keys)
        base = base.append_column("group", pa.array([group] * base.num_rows, pa.string()))
        gap = base.join(present, keys=[*keys, "group"], join_type="left anti")
        if gap.num_rows:
            missing.append(gap)
    if not missing:
        return table
    gaps = pa.concat_tables(missing)
    columns = {}
    for field in table.schema:
        if field.name in gaps.schema.names:
            columns[field.name] = gaps.column(field.name).cast(field.type)
        elif field.name in ("n", "n_lower", "n_same", "n_higher"):
            columns[field.name] = pa.array([0] * gaps.num_rows, field.type)
        elif pa.types.is_boolean(field.type) and not field.name.startswith("above_"):
            columns[field.name] = pa.array([False] * gaps.num_rows, field.type)
        else:
            columns[field.name] = pa.nulls(gaps.num_rows, field.type)
    return pa.concat_tables([table, pa.table(columns, schema=table.schema)])


def _systematic_first(table: pa.Table) -> pa.Table:
    systematic = pc.or_(table.column("systematic_higher"), table.column("systematic_lower"))
    table = table.append_column("_order", pc.invert(systematic))
    order = [("_order", "ascending"), *((d, "ascending") for d in PATTERN_DIMS)]
    return table.sort_by(order).drop_columns(["_order"])

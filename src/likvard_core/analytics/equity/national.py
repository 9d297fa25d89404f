"""The national comparison as tables kept per data version, and one page's slice of them.

A school's page needs its own rows of the comparison, but its flags are tested against every
other unit and adjusted over every unit's tests, so they come from the whole data version's
comparison. That comparison is computed once per data version and grade year as three tables
(``NationalTables``), each sorted by school unit so that reading one unit's rows touches one
Parquet row group; ``units_slice`` turns the rows of some units back into the aggregates a page
releases. The storage (``likvard_core.warehouse.derived``) is the caller's business.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.equity.comparison import with_outcome_marks
from likvard_core.analytics.equity.deviation import (
    DEFAULT_MIN_GROUP,
    FLAG_VALUES,
    RELEASED_FLAG_VALUES,
    TEST_COLUMNS,
    flags_from_tests,
    row_tests,
)
from likvard_core.analytics.equity.grade_vs_test import (
    COUNTS,
    DIMS,
    VALUES,
    grade_vs_test_population,
    grade_vs_test_table,
    unit_organizers_by_year,
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
from likvard_core.warehouse.derived import Filter
from likvard_core.warehouse.snapshot import Snapshot

YEARLY = "equity_yearly"
PATTERNS = "equity_patterns"
UNITS = "equity_units"
COUNTS_TABLE = "equity_counts"
"""Every unit's comparison before flags: what a new version updates by school year."""
TABLE_NAMES: tuple[str, ...] = (YEARLY, PATTERNS, UNITS, COUNTS_TABLE)
"""The names of the kept tables (one of each per data version and grade year)."""
SCHEMA_VERSION = 3
YEARLY_DIMS: tuple[str, ...] = (*DIMS, "period")
"""The released yearly breakdown: ``DIMS`` plus ``period`` (``patterns.with_period``)."""
RELEASED_PATTERN_DIMS: tuple[str, ...] = (*PATTERN_DIMS, "period")
_YEARLY_COLUMNS: tuple[str, ...] = (*(v for v in VALUES), *RELEASED_FLAG_VALUES)
RELEASED_YEARLY_VALUES: tuple[str, ...] = (*_YEARLY_COLUMNS, "shares_rounded")
"""The yearly columns that may be released (``comparison``): no leave-one-out rate or p-value."""
"""Bumped whenever the tables' columns or meaning change, so old kept tables are not read."""


class Keep(Protocol):
    """Where the national tables are kept: ``VersionRef.derived`` or ``derived_table``."""

    def __call__(
        self,
        name: str,
        params: Mapping[str, object],
        compute: Callable[[], pa.Table],
        *,
        filters: Sequence[Filter] | None = None,
    ) -> pa.Table:
        """The kept table ``name`` (computed by ``compute`` on first use), maybe filtered."""
        ...


@dataclass(frozen=True, slots=True)
class UnitsSlice:
    """Some units' yearly flags and multi-year patterns, ready for ``release``."""

    yearly: Aggregate
    patterns: Aggregate


def national_counts(
    db: Snapshot, *, grade_year: int, years: Sequence[int] | None = None
) -> pa.Table:
    """Every unit's comparison (``grade_vs_test_table``, every group) of ``years`` (default
    all), before flags, sorted by the dims: the part of the work that reads the facts."""
    table = grade_vs_test_table(db, grade_year=grade_year, years=years)
    return table.sort_by([(d, "ascending") for d in DIMS])


def counts_updated(previous: pa.Table, fresh: pa.Table, *, years: Sequence[int]) -> pa.Table:
    """``previous`` counts with the rows of ``years`` replaced by ``fresh`` (the same years'
    counts of the new version), sorted by the dims.

    Exactly ``national_counts`` of the new version when the versions differ only in facts of
    ``years``: each row depends on its own school year's facts alone.
    """
    year_type = previous.schema.field("school_year").type
    stale = pc.is_in(previous.column("school_year"), pa.array(sorted(set(years)), year_type))
    combined = pa.concat_tables([previous.filter(pc.invert(stale)), fresh.cast(previous.schema)])
    return combined.sort_by([(d, "ascending") for d in DIMS])


def yearly_from_counts(
    counts: pa.Table, *, reference_label: str, min_group: int = DEFAULT_MIN_GROUP
) -> pa.Table:
    """The yearly table kept per version: flags over every row of ``counts`` (the baseline
    and the multiple-testing family are the whole version), ``period``, sorted by the dims.

    The same as ``with_deviation_flags`` of the counts, in two steps: ``row_tests`` (each
    row's stratum, i.e. its own school year) and ``flags_from_tests`` (over every row)."""
    tests = row_tests(counts, min_group=min_group)
    return _with_flags(counts, flags_from_tests(tests, reference_label=reference_label))


def yearly_updated(
    counts: pa.Table,
    previous: pa.Table,
    *,
    years: Sequence[int],
    reference_label: str,
    min_group: int = DEFAULT_MIN_GROUP,
) -> pa.Table:
    """``yearly_from_counts(counts)`` with the row tests of the years other than ``years``
    taken from ``previous`` (the yearly table of a version whose counts differ from
    ``counts`` only in ``years``): only ``years``' rows are tested again, then every row's
    q-values and flags are decided over the whole version as before."""
    year_type = counts.schema.field("school_year").type
    changed = pa.array(sorted(set(years)), year_type)
    fresh = row_tests(
        counts.filter(pc.is_in(counts.column("school_year"), changed)), min_group=min_group
    )
    kept = previous.filter(pc.invert(pc.is_in(previous.column("school_year"), changed)))
    kept = kept.select(list(TEST_COLUMNS))
    tests = pa.concat_tables([kept, fresh.cast(kept.schema)])
    tests = tests.sort_by([(d, "ascending") for d in DIMS])
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


def national_units(db: Snapshot, yearly: pa.Table) -> pa.Table:
    """``school_unit_code, school_year, organizer_code`` of every unit and year in ``yearly``."""
    units = pc.unique(yearly.column("school_unit_code")).to_pylist()
    years = pc.unique(yearly.column("school_year")).to_pylist()
    return unit_organizers_by_year(db, school_units=units, years=years)


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


def kept_units_slice(
    *,
    keep: Keep,
    open_snapshot: Callable[[], Snapshot],
    school_units: Sequence[str],
    grade_year: int,
    data_version: str,
    reference_label: str,
    min_group: int = DEFAULT_MIN_GROUP,
    counts: Callable[[], pa.Table] | None = None,
    yearly: Callable[[pa.Table], pa.Table] | None = None,
) -> UnitsSlice:
    """``units_slice`` of ``school_units`` read from the kept national tables.

    On the first call for a data version and grade year the tables are computed and kept by
    ``keep``: the counts by ``counts()`` (default: ``national_counts`` of ``open_snapshot()``;
    a warm-up passes the previous version's counts updated, ``counts_updated``), the yearly
    table from them by ``yearly(counts)`` (default ``yearly_from_counts``; a warm-up passes
    ``yearly_updated``), the rest from it; every later call reads only the row groups that
    hold the units (the tables are sorted by school unit) and opens no snapshot at all.
    """
    params = kept_params(
        grade_year=grade_year, reference_label=reference_label, min_group=min_group
    )
    whole: list[pa.Table] = []

    def compute_counts() -> pa.Table:
        with open_snapshot() as db:
            return national_counts(db, grade_year=grade_year)

    def compute_yearly() -> pa.Table:
        kept = keep(COUNTS_TABLE, params, counts or compute_counts)
        if yearly is not None:
            return yearly(kept)
        return yearly_from_counts(kept, reference_label=reference_label, min_group=min_group)

    def whole_yearly() -> pa.Table:
        if not whole:
            whole.append(keep(YEARLY, params, compute_yearly))
        return whole[0]

    def compute_patterns() -> pa.Table:
        return national_patterns(whole_yearly(), reference_label=reference_label)

    def compute_units() -> pa.Table:
        with open_snapshot() as db:
            return national_units(db, whole_yearly())

    filters: list[Filter] = [("school_unit_code", "in", sorted(set(school_units)) or [""])]
    return units_slice(
        yearly=keep(YEARLY, params, compute_yearly, filters=filters),
        patterns=keep(PATTERNS, params, compute_patterns, filters=filters),
        units=keep(UNITS, params, compute_units, filters=filters),
        school_units=school_units,
        grade_year=grade_year,
        data_version=data_version,
    )


def kept_params(
    *, grade_year: int, reference_label: str, min_group: int = DEFAULT_MIN_GROUP
) -> dict[str, object]:
    """The parameters the national tables of ``grade_year`` are kept under."""
    return {
        "grade_year": grade_year,
        "schema": SCHEMA_VERSION,
        "label": reference_label,
        "min_group": min_group,
    }

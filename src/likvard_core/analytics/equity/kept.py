"""The national comparison kept per data version: per school year apart from the national part.

Everything in a row of the yearly comparison depends on its own school year alone: the
counts, the other units' rate in its stratum and its p-value, its two Benjamini-Hochberg
q-values (one family per school year and kind of group, docs/decisions/0013) and its part of
its pattern's pooled test. Those are kept as one table per school year (``YEAR_PART``, with
the organizers of that year's units in ``UNITS_PART``), so that after an import a new data
version counts and tests only the school years of the batch and links the other years' parts
of the previous version (``Previous``). What depends on every year at once is kept thin:

- ``PERIODS``: which school years are each subject's pattern window;
- ``PATTERNS``: the multi-year patterns, from the window's pooled parts;
- ``PATTERN_BASE``: the windows' pooled sums without their last school year, to which an
  import of that year adds its rows (linked while the windows stay the same);
- ``UNITS``: every part's organizers together (small).

A page's rows are put together from its units' rows of each part; the flags, directions and
reasons are each row's own and are decided then (``flags_from_qvalues``), so the
result is the yearly table computed in one go (``yearly_from_counts``), row for row
(``tests/core/analytics/equity/test_kept_parts.py``). Every table is sorted by school unit, so
a page reads one Parquet row group of each.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.equity.changed import (
    STEP_COLUMNS,
    ChangedRows,
    sums_added,
    with_step_sums,
)
from likvard_core.analytics.equity.deviation import (
    DEFAULT_MIN_GROUP,
    FLAG_VALUES,
    MEASURES,
    TEST_COLUMNS,
    flags_from_qvalues,
    qvalues_of,
    row_tests,
)
from likvard_core.analytics.equity.grade_vs_test import (
    DIMS,
    TABLE_COLUMNS,
    table_from_sums,
    unit_organizers_by_year,
    units_touched,
)
from likvard_core.analytics.equity.national import UnitsSlice, national_counts, units_slice
from likvard_core.analytics.equity.patterns import (
    POOLED,
    RECENT,
    patterns_from_sums,
    pooled_parts,
    pooled_sums,
    sums_with_last_year,
    with_period,
)
from likvard_core.warehouse.derived import Filter
from likvard_core.warehouse.snapshot import Snapshot

YEAR_PART = "equity_year"
"""One school year's counts, row tests and pooled parts (params: ``school_year``)."""
UNITS_PART = "equity_year_units"
"""One school year's ``school_unit_code, school_year, organizer_code`` (params: ``school_year``)."""
QVALUES: tuple[str, ...] = tuple(f"q_{m}" for m in MEASURES)
"""The q-values' columns of a part: one family per school year, so the year's own."""
PERIODS = "equity_periods"
PATTERNS = "equity_patterns"
PATTERN_BASE = "equity_pattern_base"
"""The pattern windows' ``pooled_sums`` without the windows' last school year: an import of that
year adds its rows to them (``sums_with_last_year``) and links them."""
UNITS = "equity_units"
NATIONAL_NAMES: tuple[str, ...] = (PERIODS, PATTERNS, PATTERN_BASE, UNITS)
"""The national tables kept once per data version and grade year (beside the year parts)."""
SCHEMA_VERSION = 7
"""Bumped whenever the tables' columns or meaning change, so old kept tables are not read."""
_ORDER = [(d, "ascending") for d in DIMS]


class Keep(Protocol):
    """Where the tables are kept: ``VersionRef.derived`` or ``derived_table``."""

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


class ReadParts(Protocol):
    """Several kept tables of one name read in one scan: ``VersionRef.derived_parts``."""

    def __call__(
        self,
        name: str,
        params: Sequence[Mapping[str, object]],
        *,
        filters: Sequence[Filter] | None = None,
        columns: Sequence[str] | None = None,
    ) -> pa.Table | None:
        """The tables together (None when one of them is not kept), maybe only ``columns``."""
        ...


@dataclass(frozen=True, slots=True)
class Previous:
    """A version's predecessor whose tables are kept, and the school years that differ.

    ``read(name, params)`` is the predecessor's kept table (None when not kept);
    ``link(name, params)`` makes the predecessor's kept table this version's too (a hard
    link: nothing is written) and says whether it could. ``changes`` (optional) opens a
    snapshot of only the rows the two versions differ by (the batches imported or withdrawn
    since): then a changed year's part is the predecessor's with only the units those rows
    touch counted again (``units_touched``), not the whole school year. ``rows`` (optional)
    gives the changed students' rows of the changed years instead (``ChangedRows``, read
    once for every grade year): then no unit is counted from the facts. ``read_parts``
    (optional) reads only some columns of the predecessor's parts.
    """

    changed: frozenset[int]
    read: Callable[[str, Mapping[str, object]], pa.Table | None]
    link: Callable[[str, Mapping[str, object]], bool]
    changes: Callable[[], Snapshot] | None = None
    rows: Callable[[], ChangedRows | None] | None = None
    read_parts: ReadParts | None = None


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


def year_params(params: Mapping[str, object], school_year: int) -> dict[str, object]:
    """The parameters of one school year's part."""
    return {**params, "school_year": school_year}


def year_part(counts: pa.Table, *, min_group: int = DEFAULT_MIN_GROUP) -> pa.Table:
    """One school year's part from its rows of ``national_counts``: the counts, each row's
    test (``TEST_COLUMNS``), its pooled parts (``POOLED``) and its q-values (``QVALUES``: the
    year's family), sorted by the dims."""
    tests = row_tests(counts, min_group=min_group)  # sorted by the dims, like the counts
    if not tests.select(list(DIMS)).equals(counts.select(list(DIMS))):
        counts = counts.sort_by(_ORDER)
    table = counts
    for name in TEST_COLUMNS[len(DIMS) + 3 :]:
        table = table.append_column(tests.schema.field(name), tests.column(name))
    pooled = pooled_parts(table)
    for name in POOLED:
        table = table.append_column(pooled.schema.field(f"{name}"), pooled.column(name))
    qvalues = qvalues_of(table, ())
    for name in QVALUES:
        table = table.append_column(qvalues.schema.field(name), qvalues.column(name))
    return table


class _Tables:
    """The kept tables of one data version and grade year, computed on first use."""

    def __init__(
        self,
        *,
        keep: Keep,
        open_snapshot: Callable[[], Snapshot],
        params: dict[str, object],
        grade_year: int,
        reference_label: str,
        min_group: int,
        previous: Previous | None,
        read_parts: ReadParts | None = None,
    ) -> None:
        self.keep = keep
        self.read_parts = read_parts
        self.open_snapshot = open_snapshot
        self.params = params
        self.grade_year = grade_year
        self.reference_label = reference_label
        self.min_group = min_group
        self.previous = previous
        self._years: list[int] | None = None
        self._loaded: dict[int, pa.Table] = {}
        """Whole parts read or counted while computing the national tables."""

    # The year parts ------------------------------------------------------------------------

    def part(self, school_year: int, *, filters: Sequence[Filter] | None = None) -> pa.Table:
        """The kept part of ``school_year`` (counted again should it be gone)."""
        if filters is None and school_year in self._loaded:
            return self._loaded[school_year]
        table = self.keep(
            YEAR_PART,
            year_params(self.params, school_year),
            lambda: self._counted([school_year])[0][school_year],
            filters=filters,
        )
        if filters is None:
            self._loaded[school_year] = table
        return table

    def units_part(self, school_year: int) -> pa.Table:
        """The kept organizers of ``school_year``'s units."""
        return self.keep(
            UNITS_PART,
            year_params(self.params, school_year),
            lambda: self._counted([school_year])[1][school_year],
        )

    def _counted(
        self, years: Sequence[int] | None
    ) -> tuple[dict[int, pa.Table], dict[int, pa.Table]]:
        """Parts and organizers of ``years`` (default every year with rows) from the facts."""
        with self.open_snapshot() as db:
            counts = national_counts(db, grade_year=self.grade_year, years=years)
            found = sorted(pc.unique(counts.column("school_year")).to_pylist())
            organizers = unit_organizers_by_year(db, school_units=None, years=found or [-1])
        year_type = counts.schema.field("school_year").type
        parts: dict[int, pa.Table] = {}
        units: dict[int, pa.Table] = {}
        for year in found:
            value = pa.scalar(year, year_type)
            mine = counts.filter(pc.equal(counts.column("school_year"), value))
            parts[year] = year_part(mine, min_group=self.min_group)
            units[year] = organizers.filter(
                pc.equal(organizers.column("school_year"), pa.scalar(year, _type(organizers)))
            )
        return parts, units

    def years(self) -> list[int]:
        """The school years with rows, every one's parts kept (linked from ``previous`` where
        its year did not change, counted from the facts where it did)."""
        if self._years is not None:
            return self._years
        self._years = self._years_updated()
        if self._years is None:
            parts, units = self._counted(None)
            self._store(parts, units)
            self._years = sorted(parts)
        return self._years

    def _years_updated(self) -> list[int] | None:
        previous = self.previous
        if previous is None:
            return None
        periods = previous.read(PERIODS, self.params)
        if periods is None:
            return None
        before = set(pc.unique(periods.column("school_year")).to_pylist())
        kept = sorted(before - previous.changed)
        for year in kept:
            params = year_params(self.params, year)
            if not (previous.link(YEAR_PART, params) and previous.link(UNITS_PART, params)):
                return None
        changed = sorted(previous.changed)
        if not changed:  # nothing the comparison reads changed: the national tables too
            for name in NATIONAL_NAMES:
                previous.link(name, self.params)
            return kept
        parts, units = self._recounted(changed)
        self._store(parts, units)
        return sorted({*kept, *parts})

    def _recounted(self, years: Sequence[int]) -> tuple[dict[int, pa.Table], dict[int, pa.Table]]:
        """Parts and organizers of the changed ``years``: the predecessor's parts with the
        units the changes touch counted again (every other unit's counts are the same rows,
        whichever units are counted), then every row of the year tested again (a stratum's
        rate is over all its units). Counted whole when a year has no part before."""
        previous = self.previous
        if previous is None or (previous.changes is None and previous.rows is None):
            return self._counted(years)
        found = {y: self._counts_before(previous, y) for y in years}
        olds = {y: t for y, t in found.items() if t is not None}
        if len(olds) < len(found):  # a year new to the version: count it whole
            return self._counted(years)
        rows = previous.rows() if previous.rows is not None else None
        if rows is not None:
            summed = self._from_students(years, olds, rows)
            if summed is not None:
                return summed
        if previous.changes is None:
            return self._counted(years)
        with previous.changes() as changes, self.open_snapshot() as db:
            touched = units_touched(changes, db, grade_year=self.grade_year, years=years)
            fresh = national_counts(
                db, grade_year=self.grade_year, years=years, school_units=touched or [""]
            )
            organizers = unit_organizers_by_year(db, school_units=None, years=years)
        names = fresh.schema.names
        wanted = pa.array(touched or [""], pa.string())
        parts: dict[int, pa.Table] = {}
        units: dict[int, pa.Table] = {}
        for year in years:
            old = olds[year]
            others = old.filter(pc.invert(pc.is_in(old.column("school_unit_code"), wanted)))
            others = others.select(names)
            this_year = pc.equal(fresh.column("school_year"), pa.scalar(year, _type(fresh)))
            mine = fresh.filter(this_year)
            counts = pa.concat_tables([others, mine.cast(others.schema)]).sort_by(_ORDER)
            if not counts.num_rows:
                continue
            parts[year] = year_part(counts.combine_chunks(), min_group=self.min_group)
            units[year] = organizers.filter(
                pc.equal(organizers.column("school_year"), pa.scalar(year, _type(organizers)))
            )
        return parts, units

    def _counts_before(self, previous: Previous, school_year: int) -> pa.Table | None:
        """The predecessor's part of ``school_year``, its counts' columns (those of
        ``national_counts``: the rest is tested again), or None when it is not kept."""
        params = year_params(self.params, school_year)
        if previous.read_parts is not None:
            return previous.read_parts(YEAR_PART, [params], columns=list(TABLE_COLUMNS))
        return previous.read(YEAR_PART, params)

    def _from_students(
        self, years: Sequence[int], olds: Mapping[int, pa.Table], rows: ChangedRows
    ) -> tuple[dict[int, pa.Table], dict[int, pa.Table]] | None:
        """``_recounted`` from the changed students' rows: each changed unit's sums are the
        predecessor's less the students' part before plus their part after (whole numbers:
        exact), its shares and intervals computed from them by the counting's own SQL. None
        when a kept part's step sums cannot be read back exactly (then count the units)."""
        if self.grade_year not in rows.sums:
            return None
        gone, come = rows.sums[self.grade_year]
        touched = pc.unique(
            pa.concat_arrays([c.column("school_unit_code").combine_chunks() for c in (gone, come)])
        )
        parts: dict[int, pa.Table] = {}
        units: dict[int, pa.Table] = {}
        with self.open_snapshot() as db:
            for year in years:
                old = olds[year]
                inside = pc.is_in(old.column("school_unit_code"), touched)
                kept = with_step_sums(old.select(list(STEP_COLUMNS)).filter(inside))
                if kept is None:
                    return None
                sums = sums_added(
                    [kept, gone, come], [1, -1, 1], year=year, names=come.schema.names
                )
                fresh = table_from_sums(db, sums)
                others = old.select(fresh.schema.names).filter(pc.invert(inside))
                counts = pa.concat_tables([others, fresh.cast(others.schema)]).sort_by(_ORDER)
                if not counts.num_rows:
                    continue
                parts[year] = year_part(counts.combine_chunks(), min_group=self.min_group)
                organizers = rows.organizers
                units[year] = organizers.filter(
                    pc.equal(organizers.column("school_year"), pa.scalar(year, _type(organizers)))
                )
        return parts, units

    def _store(self, parts: dict[int, pa.Table], units: dict[int, pa.Table]) -> None:
        nothing: list[Filter] = [("school_unit_code", "in", [""])]  # write, read no rows back
        for year, table in parts.items():
            params = year_params(self.params, year)
            self.keep(YEAR_PART, params, _given(table), filters=nothing)
            self.keep(UNITS_PART, params, _given(units[year]), filters=nothing)
            self._loaded[year] = table

    # The national tables -------------------------------------------------------------------

    def periods(self) -> pa.Table:
        """``subject_code, school_year, period`` of every subject's years with rows."""

        def compute() -> pa.Table:
            pairs = self._pairs_updated()
            if pairs is None:
                pairs = self._whole(["subject_code", "school_year"])
            table = pairs.group_by(["subject_code", "school_year"], use_threads=False).aggregate([])
            table = table.sort_by([("subject_code", "ascending"),
                                                     ("school_year", "ascending")])  # fmt: skip
            return with_period(table)

        return self.keep(PERIODS, self.params, compute)

    def _pairs_updated(self) -> pa.Table | None:
        """The subjects' school years from the predecessor's windows outside the changed years
        and from the changed years' new parts (None without a predecessor's windows): the same
        pairs as every part's, without reading every year's part."""
        previous = self.previous
        if previous is None:
            return None
        before = previous.read(PERIODS, self.params)
        if before is None:
            return None
        columns = ["subject_code", "school_year"]
        years = set(self.years())  # counts the changed years first
        changed = pa.array(sorted(previous.changed), _type(before))
        kept = before.filter(pc.invert(pc.is_in(before.column("school_year"), changed)))
        kept = kept.select(columns)
        if not set(pc.unique(kept.column("school_year")).to_pylist()) <= years:
            return None
        fresh = [
            self._loaded[y].select(columns).cast(kept.schema)
            for y in sorted(previous.changed & years)
            if y in self._loaded
        ]
        if len(fresh) < len(previous.changed & years):
            return None
        return pa.concat_tables([kept, *fresh])

    def patterns(self, *, filters: Sequence[Filter] | None = None) -> pa.Table:
        """Every unit's multi-year patterns, sorted by the pattern dims."""

        def compute() -> pa.Table:
            periods = self.periods()
            recent = periods.filter(pc.equal(periods.column("period"), RECENT))
            years = sorted(pc.unique(recent.column("school_year")).to_pylist())
            columns = ["subject_code", "school_unit_code", "school_year", "group", "n",
                       "n_higher", "n_lower", *POOLED]  # fmt: skip
            if not years:
                sums = pooled_sums(self._whole(columns, years=[]))
            else:
                sums = self._window_sums(recent, years, columns)
            table = patterns_from_sums(sums, reference_label=self.reference_label)
            return table.append_column("period", pa.array([RECENT] * table.num_rows, pa.string()))

        return self.keep(PATTERNS, self.params, compute, filters=filters)

    def _window_sums(self, recent: pa.Table, years: list[int], columns: list[str]) -> pa.Table:
        """``pooled_sums`` of the windows' rows: the kept sums of the years before the windows'
        last school year (``PATTERN_BASE``; the predecessor's, linked, when only that year
        changed and no window moved) plus that year's rows (``sums_with_last_year``)."""
        *before, last = years
        rows = self._window_rows(recent, [last], columns)

        def base() -> pa.Table:
            earlier = self._window_rows(recent, before, columns) if before else rows.slice(0, 0)
            return pooled_sums(earlier)

        self._link_base(recent, last)
        sums = sums_with_last_year(self.keep(PATTERN_BASE, self.params, base), rows)
        if sums is None:  # nulls: summed whole
            return pooled_sums(self._window_rows(recent, years, columns))
        return sums

    def _window_rows(self, recent: pa.Table, years: Sequence[int], columns: list[str]) -> pa.Table:
        """``columns`` of the parts of ``years`` inside their subject's window."""
        parts = self._whole(columns, years=years)
        inside = _in_window(parts, recent)
        if not pc.all(inside).as_py():  # a subject with years before its window
            parts = parts.filter(inside)
        return parts

    def _link_base(self, recent: pa.Table, last: int) -> bool:
        """Link the predecessor's ``PATTERN_BASE`` when it is this version's: only the
        windows' last school year changed and every subject's window is the same years."""
        previous = self.previous
        if previous is None or not previous.changed <= {last}:
            return False
        periods = previous.read(PERIODS, self.params)
        if periods is None:
            return False
        pairs = ["subject_code", "school_year"]
        old = periods.filter(pc.equal(periods.column("period"), RECENT)).select(pairs)
        new = recent.select(pairs)
        if not old.cast(new.schema).combine_chunks().equals(new.combine_chunks()):
            return False
        return previous.link(PATTERN_BASE, self.params)

    def units(self, *, filters: Sequence[Filter] | None = None) -> pa.Table:
        """Every year's organizers of every unit, sorted by unit, year and organizer."""

        def compute() -> pa.Table:
            years = self.years()
            if not years:
                with self.open_snapshot() as db:
                    return unit_organizers_by_year(db, school_units=None, years=[-1])
            table = pa.concat_tables([self.units_part(year) for year in years])
            order = ["school_unit_code", "school_year", "organizer_code"]
            return table.sort_by([(c, "ascending") for c in order])

        return self.keep(UNITS, self.params, compute, filters=filters)

    def _whole(self, columns: Sequence[str], *, years: Sequence[int] | None = None) -> pa.Table:
        """``columns`` of the parts of ``years`` (default all) together."""
        chosen = self.years() if years is None else years
        if not chosen:
            return self._empty().select(list(columns))
        unread = [y for y in chosen if y not in self._loaded]
        if unread and self.read_parts is not None:  # only the columns, in one scan
            params = [year_params(self.params, y) for y in chosen]
            together = self.read_parts(YEAR_PART, params, columns=columns)
            if together is not None:
                return together.select(list(columns))
        return pa.concat_tables([self.part(y).select(list(columns)) for y in chosen])

    # One page's rows -----------------------------------------------------------------------

    def yearly_rows(self, school_units: Sequence[str]) -> pa.Table:
        """The yearly table's rows of ``school_units`` (``yearly_from_counts``' columns)."""
        filters: list[Filter] = [("school_unit_code", "in", sorted(set(school_units)) or [""])]
        periods = self.periods()
        years = sorted(pc.unique(periods.column("school_year")).to_pylist())
        together = None
        if years and self.read_parts is not None:
            together = self.read_parts(
                YEAR_PART, [year_params(self.params, y) for y in years], filters=filters
            )
        if together is not None:
            rows = together
        elif years:  # each part read alone
            rows = pa.concat_tables([self.part(y, filters=filters) for y in years])
        else:
            rows = self._empty()
        rows = rows.sort_by(_ORDER)
        tests = rows.select([*TEST_COLUMNS, *QVALUES])
        flags = flags_from_qvalues(tests, reference_label=self.reference_label)
        counts = rows.drop_columns([*TEST_COLUMNS[len(DIMS) + 3 :], *POOLED, *QVALUES])
        table = counts
        for name in FLAG_VALUES:
            field = flags.schema.field(name)
            table = table.append_column(field, flags.column(name))
        period = _period_of(table, periods)
        return table.append_column(pa.field("period", pa.string()), period)

    def _empty(self) -> pa.Table:
        """A part without rows (a version without any row of the grade year)."""
        with self.open_snapshot() as db:
            empty = national_counts(db, grade_year=self.grade_year, years=[-1])
        return year_part(empty, min_group=self.min_group)


def _given(table: pa.Table) -> Callable[[], pa.Table]:
    return lambda: table


def _type(table: pa.Table) -> pa.DataType:
    return table.schema.field("school_year").type


def _in_window(rows: pa.Table, recent: pa.Table) -> pa.ChunkedArray | pa.Array:
    """Whether each row's subject and school year is one of ``recent``'s (the windows: every
    subject's last years, so a year at or after its subject's first recent year): the rows of
    an inner join with ``recent``, without the join (the pooled sums sort them anyway)."""
    first = recent.group_by(["subject_code"], use_threads=False).aggregate([("school_year", "min")])
    subjects = first.column("subject_code").combine_chunks()
    position = pc.index_in(rows.column("subject_code"), value_set=subjects)
    start = pc.take(first.column("school_year_min").combine_chunks(), position)
    return pc.fill_null(pc.greater_equal(rows.column("school_year"), start), False)


def _period_of(table: pa.Table, periods: pa.Table) -> pa.Array:
    """Each row's ``period`` by its subject and school year (the rows keep their order)."""
    lookup = {
        (s, y): p
        for s, y, p in zip(
            periods.column("subject_code").to_pylist(),
            periods.column("school_year").to_pylist(),
            periods.column("period").to_pylist(),
            strict=True,
        )
    }
    keys = zip(
        table.column("subject_code").to_pylist(),
        table.column("school_year").to_pylist(),
        strict=True,
    )
    return pa.array([lookup.get(k) for k in keys], pa.string())


def kept_units_slice(
    *,
    keep: Keep,
    open_snapshot: Callable[[], Snapshot],
    school_units: Sequence[str],
    grade_year: int,
    data_version: str,
    reference_label: str,
    min_group: int = DEFAULT_MIN_GROUP,
    previous: Previous | None = None,
    read_parts: ReadParts | None = None,
) -> UnitsSlice:
    """``units_slice`` of ``school_units`` read from the kept tables.

    On the first call for a data version and grade year the tables are computed and kept by
    ``keep``: each school year's part from the facts, or, with ``previous``, linked from the
    predecessor's where its year did not change; then the national tables from the parts.
    Every later call reads only the row groups that hold the units and opens no snapshot;
    ``read_parts`` (optional) reads the units' rows of every year's part in one scan.
    """
    tables = _Tables(
        keep=keep,
        open_snapshot=open_snapshot,
        params=kept_params(
            grade_year=grade_year, reference_label=reference_label, min_group=min_group
        ),
        grade_year=grade_year,
        reference_label=reference_label,
        min_group=min_group,
        previous=previous,
        read_parts=read_parts,
    )
    filters: list[Filter] = [("school_unit_code", "in", sorted(set(school_units)) or [""])]
    yearly = tables.yearly_rows(school_units)
    return units_slice(
        yearly=yearly,
        patterns=tables.patterns(filters=filters),
        units=tables.units(filters=filters),
        school_units=school_units,
        grade_year=grade_year,
        data_version=data_version,
    )

"""Multi-year patterns: is a school's deviation systematic, not just one unusual year?

Per school unit, subject and group, over the last ``window`` school years of the reference in
that subject, a deviation is **systematic** when both hold:

1. the school's share was on the same side of the other units' rate in at least
   ``min_same_sign`` of those years (consistency; the sign-test p-value is reported too), and
2. the pooled test over those years (observed hits against ``sum n_y * r_y``, see
   ``likvard_core.stats.trend.pooled_deviation_pvalue``) has a Benjamini-Hochberg q-value
   below ``alpha``, adjusted over all schools, subjects, groups and both measures (the gender
   groups and the background groups as two separate families).

The pooled test gives the power (it uses every student of every year); the sign condition
keeps one extreme year from making a "pattern".
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.equity import reasons
from likvard_core.analytics.equity.deviation import (
    DEFAULT_REFERENCE_LABEL,
    MEASURES,
    adjusted_by_family,
    background_mask,
)
from likvard_core.analytics.sorting import column_ranks, ranks_key, ranks_order, sorted_rows
from likvard_core.disclosure.aggregate import Aggregate
from likvard_core.stats._arrays import as_float_array
from likvard_core.stats.trend import pooled_deviation_pvalue, same_sign_pvalue

PATTERN_DIMS: tuple[str, ...] = ("school_unit_code", "subject_code", "group")
_PER_MEASURE = (
    "observed",
    "expected",
    "years_above",
    "years_below",
    "p_same_sign",
    "p_pooled",
    "q_pooled",
    "systematic",
)
_SHARES = tuple(f"{c}_share_{m}" for m in MEASURES for c in ("observed", "expected"))
PATTERN_VALUES: tuple[str, ...] = (
    "years",
    "first_year",
    "last_year",
    *(f"{c}_{m}" for m in MEASURES for c in _PER_MEASURE),
    *_SHARES,
    "pattern_reason",
)
RELEASED_PATTERN_VALUES: tuple[str, ...] = (
    "years",
    "first_year",
    "last_year",
    *_SHARES,
    *(f"{c}_{m}" for m in MEASURES for c in ("years_above", "years_below", "systematic")),
    "pattern_reason",
)
"""The pattern columns that may be released: the shares rounded to whole percent, no counts of
hits (their sum over the years would give a hidden year's back), no p-values."""


RECENT = "recent"
"""``period`` of a yearly row inside its subject's pattern window (the patterns' years)."""
EARLIER = "earlier"
"""``period`` of a yearly row before the window."""
DEFAULT_WINDOW = 5


def with_period(table: pa.Table, window: int = DEFAULT_WINDOW) -> pa.Table:
    """``table`` plus ``period``: ``RECENT`` in the subject's pattern window, else ``EARLIER``.

    A pattern row is the sum of the ``RECENT`` rows of its unit, subject and group, so the
    release cube ties them by this column (the patterns carry ``period = RECENT``).
    The rows keep their order (no join): a row is recent when its year is among the last
    ``window`` years its subject has rows in.
    """
    pairs = (
        table.select(["subject_code", "school_year"])
        .group_by(["subject_code", "school_year"])
        .aggregate([])
    )
    recent = _window(pairs, window)
    first = recent.group_by(["subject_code"]).aggregate([("school_year", "min")])
    subjects = first.column("subject_code").combine_chunks()
    position = pc.index_in(table.column("subject_code"), value_set=subjects)
    start = pc.take(first.column("school_year_min").combine_chunks(), position)
    is_recent = pc.fill_null(pc.greater_equal(table.column("school_year"), start), False)
    period = pc.if_else(is_recent, RECENT, EARLIER)
    return table.append_column(pa.field("period", pa.string()), period)


def _window(table: pa.Table, window: int) -> pa.Table:
    """Rows within the last ``window`` years present for their subject."""
    years = table.group_by(["subject_code", "school_year"]).aggregate([])
    years = years.sort_by([("subject_code", "ascending"), ("school_year", "descending")])
    subject = years.column("subject_code").to_numpy(zero_copy_only=False)
    starts = np.r_[True, subject[1:] != subject[:-1]]
    group_start = np.maximum.accumulate(np.where(starts, np.arange(len(subject)), 0))
    keep = (np.arange(len(subject)) - group_start) < window
    recent = years.filter(pa.array(keep)).append_column("recent", pa.array(np.ones(keep.sum())))
    return table.join(recent, keys=["subject_code", "school_year"], join_type="inner")


POOLED: tuple[str, ...] = tuple(
    f"{c}_{m}" for m in MEASURES for c in ("exp", "var", "above", "below")
)
"""Each yearly row's part of its pattern's pooled test (``pooled_parts``)."""


def pooled_parts(table: pa.Table) -> pa.Table:
    """Per yearly row (with ``reference_share_<m>``): the pattern dims, ``school_year``, ``n``,
    ``n_higher``, ``n_lower`` and its part of the pooled test (``POOLED``): the expected hits
    and their variance against the other units' rate, whether its share was above or below.
    Each row's own, so they are kept with its school year."""
    columns: dict[str, pa.Array] = {}
    n = as_float_array(table.column("n"))
    for m in MEASURES:
        rate = as_float_array(table.column(f"reference_share_{m}"))
        share = as_float_array(table.column(f"n_{m}")) / n
        columns[f"exp_{m}"] = pa.array(n * rate)
        columns[f"var_{m}"] = pa.array(n * rate * (1.0 - rate))
        columns[f"above_{m}"] = pa.array((share > rate).astype(np.int64))
        columns[f"below_{m}"] = pa.array((share < rate).astype(np.int64))
    extended = table.select([*PATTERN_DIMS, "school_year", "n", "n_higher", "n_lower"])
    for name in POOLED:
        extended = extended.append_column(name, columns[name])
    return extended


def _sums(table: pa.Table) -> pa.Table:
    """Per pattern dim: years, students and the per-measure pooled quantities."""
    return pooled_sums(pooled_parts(table))


def pooled_sums(parts: pa.Table) -> pa.Table:
    """``_sums`` from the window's rows of ``pooled_parts``, in any order."""
    extended = parts.select([*PATTERN_DIMS, "school_year", "n", "n_higher", "n_lower", *POOLED])
    if not extended.num_rows:
        return _segment_sums(extended)
    if any(column.null_count for column in extended.columns):
        return _arrow_sums(sorted_rows(extended, [*PATTERN_DIMS, "school_year"]))
    ranks = [column_ranks(extended.column(c)) for c in PATTERN_DIMS]
    order = ranks_order([*ranks, column_ranks(extended.column("school_year"))])
    return _segment_sums(extended, order, ranks)


def _arrow_sums(extended: pa.Table) -> pa.Table:
    """The sums by Arrow's grouping, of rows sorted by the pattern dims and year."""
    aggregations = [
        ("school_year", "count"),
        ("school_year", "min"),
        ("school_year", "max"),
        ("n", "sum"),
        *((c, "sum") for c in extended.schema.names[len(PATTERN_DIMS) + 2 :]),
    ]
    # Sorted rows and one thread: a float sum then adds the rows in one order, so the same
    # yearly table always gives the same p-values (the join in ``_window`` and the threads
    # made the last bits differ from run to run).
    sums = extended.group_by(list(PATTERN_DIMS), use_threads=False).aggregate(aggregations)
    return sums.sort_by([(d, "ascending") for d in PATTERN_DIMS])


def _segment_sums(
    extended: pa.Table, order: np.ndarray | None = None, ranks: list[np.ndarray] | None = None
) -> pa.Table:
    """``_arrow_sums`` of rows without nulls, from the runs of equal pattern dims: the same
    table bit for bit (Arrow's grouped sum adds a group's rows one by one in row order from
    zero, and so does this, one row of every group at a time; integers summed whole), in a
    tenth of the time (issue #18: every pattern's sums again after each import). ``order``
    (default: the rows' own) is the rows' sorted order by the pattern dims and year: only the
    numbers and each run's first dims are taken in it, not the strings of every row;
    ``ranks`` (optional) are the pattern dims' ``column_ranks``."""
    rows = extended.num_rows
    order = np.arange(rows) if order is None else np.asarray(order, dtype=np.int64)
    if ranks is None:
        ranks = [column_ranks(extended.column(d)) for d in PATTERN_DIMS]
    starts, sizes, ends = _runs(ranks, order)
    year = extended.column("school_year")
    years = year.to_numpy()[order]
    firsts = pa.array(order[starts])
    columns: dict[str, pa.Array] = {d: extended.column(d).take(firsts) for d in PATTERN_DIMS}
    columns["school_year_count"] = pa.array(sizes.astype(np.int64))
    columns["school_year_min"] = pa.array(years[starts], year.type)
    columns["school_year_max"] = pa.array(years[ends], year.type)
    for name in extended.schema.names[len(PATTERN_DIMS) + 1 :]:
        column = extended.column(name)
        values = column.to_numpy()[order]
        if pa.types.is_integer(column.type):
            total = np.add.reduceat(values.astype(np.int64), starts) if rows else values
            columns[f"{name}_sum"] = pa.array(total, pa.int64())
            continue
        total = np.zeros(len(starts))
        for k in range(int(sizes.max()) if rows else 0):
            within = sizes > k
            total[within] = total[within] + values[starts[within] + k]
        columns[f"{name}_sum"] = pa.array(total, pa.float64())
    return pa.table(columns)


def sums_with_last_year(base: pa.Table, last: pa.Table) -> pa.Table | None:
    """``pooled_sums`` of a window's rows from ``base``, the ``pooled_sums`` of its rows of
    every school year but its last, and ``last``, the ``pooled_parts`` of its rows of that
    last year: the same table bit for bit, without the rows of the years before (issue #18:
    an import of the newest year adds its rows to the kept sums of the years before). A
    group's float sum adds its rows in year order from zero, so its last year's row is added
    to the sum of the years before it, and so it is here; integers are summed whole. None
    when a table has nulls (``pooled_sums`` then groups with Arrow: sum the rows anew)."""
    extended = last.select([*PATTERN_DIMS, "school_year", "n", "n_higher", "n_lower", *POOLED])
    if any(c.null_count for c in (*extended.columns, *base.columns)):
        return None
    scattered = _added_by_key(base, extended)
    if scattered is not None:
        return scattered
    added = pooled_sums(extended)
    if not base.num_rows or not added.num_rows:
        return added if not base.num_rows else base
    both = pa.concat_tables([base, added.cast(base.schema)]).combine_chunks()
    ranks = [column_ranks(both.column(d)) for d in PATTERN_DIMS]
    source = np.r_[np.zeros(base.num_rows, np.int64), np.ones(added.num_rows, np.int64)]
    order = ranks_order([*ranks, source])  # a group's sum of the years before, then its last
    starts, sizes, ends = _runs(ranks, order)
    firsts = pa.array(order[starts])
    columns: dict[str, pa.Array] = {d: both.column(d).take(firsts) for d in PATTERN_DIMS}
    for name in both.schema.names[len(PATTERN_DIMS) :]:
        column = both.column(name)
        values = column.to_numpy()[order]
        if name == "school_year_min":
            columns[name] = pa.array(values[starts], column.type)
        elif name == "school_year_max":
            columns[name] = pa.array(values[ends], column.type)
        elif pa.types.is_integer(column.type):
            columns[name] = pa.array(np.add.reduceat(values.astype(np.int64), starts), pa.int64())
        else:
            total = np.zeros(len(starts))
            for k in range(int(sizes.max())):
                within = sizes > k
                total[within] = total[within] + values[starts[within] + k]
            columns[name] = pa.array(total, pa.float64())
    return pa.table(columns).cast(base.schema)


def _added_by_key(base: pa.Table, last: pa.Table) -> pa.Table | None:
    """``sums_with_last_year`` when ``last`` has at most one row per pattern (a school year's
    part has one per unit, subject and group): each pattern's sums are its sums before plus
    its row, put in place by the patterns' keys, without sorting or taking every column of
    both tables (issue #18: after each import of the newest year). The same additions as
    the runs', so the same bits: a float sum is ``(0 + before) + (0 + row)``. None when a
    table is empty, a pattern has two rows of ``last`` or ``base`` is not sorted by them."""
    rows_before, rows_last = base.num_rows, last.num_rows
    if not rows_before or not rows_last:
        return None
    dims = {}
    for d in PATTERN_DIMS:
        if base.schema.field(d).type != last.schema.field(d).type:
            return None
        dims[d] = pa.concat_arrays(
            [base.column(d).combine_chunks(), last.column(d).combine_chunks()]
        )
    key = ranks_key([column_ranks(pa.chunked_array([dims[d]])) for d in PATTERN_DIMS])
    key_before, key_last = key[:rows_before], key[rows_before:]
    if not np.all(key_before[1:] > key_before[:-1]):
        return None
    ordered = np.sort(key_last)  # already in order when the part is
    if not np.all(ordered[1:] > ordered[:-1]):
        return None  # a pattern with two rows of the last year
    keys = np.sort(np.concatenate([key_before, ordered]))
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]  # the patterns of either (np.unique hashes)
    at_before, at_last = np.searchsorted(keys, key_before), np.searchsorted(keys, key_last)
    source = np.empty(len(keys), np.int64)
    source[at_last] = np.arange(rows_before, rows_before + rows_last)
    source[at_before] = np.arange(rows_before)
    taken = pa.array(source)
    columns: dict[str, pa.Array] = {d: dims[d].take(taken) for d in PATTERN_DIMS}
    year = last.column("school_year").to_numpy().astype(np.int64)
    for name in base.schema.names[len(PATTERN_DIMS) :]:
        values = base.column(name).to_numpy()
        total: np.ndarray
        if name == "school_year_min":
            total = np.zeros(len(keys), np.int64)
            total[at_last] = year
            total[at_before] = values
        elif name == "school_year_max":
            total = np.zeros(len(keys), np.int64)
            total[at_before] = values
            total[at_last] = year
        elif name == "school_year_count":
            total = np.zeros(len(keys), np.int64)
            total[at_before] = values
            total[at_last] += 1
        elif pa.types.is_integer(base.schema.field(name).type):
            total = np.zeros(len(keys), np.int64)
            total[at_before] = values
            total[at_last] += last.column(name.removesuffix("_sum")).to_numpy().astype(np.int64)
        else:
            row = np.zeros(rows_last) + last.column(name.removesuffix("_sum")).to_numpy()
            total = np.zeros(len(keys))
            total[at_before] = total[at_before] + values
            total[at_last] = total[at_last] + row
        columns[name] = pa.array(total)
    return pa.table(columns).cast(base.schema)


def _tests(sums: pa.Table, *, min_same_sign: int, alpha: float) -> dict[str, np.ndarray]:
    years = as_float_array(sums.column("school_year_count"))
    out: dict[str, np.ndarray] = {}
    pooled: list[np.ndarray] = []
    for m in MEASURES:
        observed = as_float_array(sums.column(f"n_{m}_sum"))
        expected = as_float_array(sums.column(f"exp_{m}_sum"))
        above = as_float_array(sums.column(f"above_{m}_sum"))
        below = as_float_array(sums.column(f"below_{m}_sum"))
        out |= {f"observed_{m}": observed.astype(np.int64), f"expected_{m}": expected}
        out |= {
            f"years_above_{m}": above.astype(np.int64),
            f"years_below_{m}": below.astype(np.int64),
        }
        out[f"p_same_sign_{m}"] = same_sign_pvalue(np.maximum(above, below), years)
        pooled.append(pooled_deviation_pvalue(observed, expected, sums.column(f"var_{m}_sum")))
    q = adjusted_by_family(pooled, background_mask(sums.column("group")))
    for index, m in enumerate(MEASURES):
        q_m = q[index]
        same_sign = np.where(
            out[f"observed_{m}"] > out[f"expected_{m}"],
            out[f"years_above_{m}"],
            out[f"years_below_{m}"],
        )
        out[f"p_pooled_{m}"] = pooled[index]
        out[f"q_pooled_{m}"] = q_m
        out[f"systematic_{m}"] = (same_sign >= min_same_sign) & (
            np.nan_to_num(q_m, nan=1.0) < alpha
        )
    return out


def _reason_texts(table: pa.Table, reference_label: str) -> pa.Array:
    """One Swedish reason per systematic row, null elsewhere (only those rows are read)."""
    systematic = pc.or_(table.column("systematic_higher"), table.column("systematic_lower"))
    chosen = np.flatnonzero(np.asarray(systematic.to_numpy(zero_copy_only=False), dtype=bool))
    texts: list[str | None] = [None] * table.num_rows
    for index, row in zip(chosen.tolist(), table.take(pa.array(chosen)).to_pylist(), strict=True):
        parts = []
        for m in MEASURES:
            if not row[f"systematic_{m}"]:
                continue
            above = row[f"observed_{m}"] > row[f"expected_{m}"]
            parts.append(
                reasons.pattern_reason(
                    measure=m,
                    subject=row["subject_code"],
                    group=row["group"],
                    same_sign_years=int(row[f"years_{'above' if above else 'below'}_{m}"]),
                    years=row["years"],
                    first_year=row["first_year"],
                    last_year=row["last_year"],
                    above=above,
                    hits=int(row[f"observed_{m}"]),
                    total=row["n"],
                    expected=row[f"expected_{m}"],
                    q=row[f"q_pooled_{m}"],
                    reference_label=reference_label,
                )
            )
        texts[index] = " ".join(parts) if parts else None
    return pa.array(texts, pa.string())


def systematic_deviations(
    flagged: Aggregate,
    *,
    window: int = DEFAULT_WINDOW,
    min_same_sign: int = 4,
    alpha: float = 0.05,
    reference_label: str = DEFAULT_REFERENCE_LABEL,
) -> Aggregate:
    """Multi-year patterns per school unit, subject and group, from ``with_deviation_flags``.

    Returns an ``Aggregate`` with dims ``school_unit_code, subject_code, group``, count ``n``
    (students summed over the years in the window) and ``PATTERN_VALUES``: years covered, and
    per measure the observed and expected hits, years above/below the reference, the sign-test
    and pooled p-values, the pooled q-value, ``systematic_<m>``, the observed and expected
    shares rounded to whole percent (``<kind>_share_<m>``) and a Swedish ``pattern_reason``
    (null when nothing is systematic). Only ``RELEASED_PATTERN_VALUES`` may leave the core.
    """
    if window < 1 or not 1 <= min_same_sign <= window:
        raise ValueError("need 1 <= min_same_sign <= window")
    sums = _sums(_window(flagged.table, window))
    table = patterns_from_sums(
        sums, min_same_sign=min_same_sign, alpha=alpha, reference_label=reference_label
    )
    return Aggregate(
        table=table,
        dims=PATTERN_DIMS,
        count="n",
        values=PATTERN_VALUES,
        population=flagged.population,
        data_version=flagged.data_version,
        source=flagged.source,
        partitions=flagged.partitions,
    )


def patterns_from_sums(
    sums: pa.Table,
    *,
    min_same_sign: int = 4,
    alpha: float = 0.05,
    reference_label: str = DEFAULT_REFERENCE_LABEL,
) -> pa.Table:
    """The pattern rows (``PATTERN_DIMS``, ``n``, ``PATTERN_VALUES``) from ``pooled_sums``:
    the tests, their q-values over every row (one family per kind of group), the shares and
    the reasons."""
    tests = _tests(sums, min_same_sign=min_same_sign, alpha=alpha)
    table = pa.table(
        {
            **{d: sums.column(d) for d in PATTERN_DIMS},
            "n": pc.cast(sums.column("n_sum"), pa.int64()),
            "years": pc.cast(sums.column("school_year_count"), pa.int64()),
            "first_year": pc.cast(sums.column("school_year_min"), pa.int64()),
            "last_year": pc.cast(sums.column("school_year_max"), pa.int64()),
            **{name: pa.array(values) for name, values in tests.items()},
        }
    )
    n = as_float_array(table.column("n"))
    for m in MEASURES:
        for kind in ("observed", "expected"):
            share = np.round(as_float_array(table.column(f"{kind}_{m}")) / n, 2)
            table = table.append_column(f"{kind}_share_{m}", pa.array(share))
    table = table.append_column("pattern_reason", _reason_texts(table, reference_label))
    return table.select([*PATTERN_DIMS, "n", *PATTERN_VALUES])


def _runs(ranks: list[np.ndarray], order: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The runs of equal ``ranks`` in ``order``: each run's first position, length and last
    position (positions in ``order``)."""
    rows = len(order)
    new_group = np.zeros(rows, dtype=bool)
    new_group[:1] = True
    for rank in ranks:
        ordered = rank[order]
        new_group[1:] |= ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(new_group)
    sizes = np.diff(np.append(starts, rows))
    return starts, sizes, starts + sizes - 1

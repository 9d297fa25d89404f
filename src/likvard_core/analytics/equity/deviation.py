"""Yearly deviation flags: each school's share higher/lower against the rest of the reference.

For every row (school unit, subject, year, group) the share of students whose final grade is
higher (lower) than their test grade is tested against the rate among all *other* school units
of the reference in the same subject, year and group (leave-one-out, so a large school does not
pull its own baseline). The test is the exact two-sided binomial test (see
``likvard_core.stats.proportions``); the p-values of one school year's rows and both measures
of the reference are adjusted together with Benjamini-Hochberg, and a row is flagged only when
``q < alpha``. Each school year is a family of its own (docs/decisions/0013), so a year's flags
do not change when another year's data arrive; within a year the gender groups (all, girls,
boys) and the background groups are two separate families, so adding background groups does
not change a single flag of the gender groups.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.equity import reasons
from likvard_core.analytics.equity.comparison import rounded_shares
from likvard_core.analytics.equity.grade_vs_test import DIMS
from likvard_core.analytics.equity.groups import BACKGROUND_GROUPS
from likvard_core.analytics.sorting import column_ranks, ranks_key, ranks_order
from likvard_core.disclosure.aggregate import Aggregate
from likvard_core.disclosure.suppress import SKOLVERKET_THRESHOLDS
from likvard_core.stats._arrays import as_float_array
from likvard_core.stats.multiple import benjamini_hochberg
from likvard_core.stats.proportions import TestMethod, proportion_vs_rate_pvalue

MEASURES: tuple[str, ...] = ("higher", "lower")
STRATUM: tuple[str, ...] = ("subject_code", "school_year", "group")
FLAG_VALUES: tuple[str, ...] = (
    *(f"{c}_{m}" for m in MEASURES for c in ("reference_share", "p", "q", "flag")),
    *(f"comparison_share_{m}" for m in MEASURES),
    *(f"above_{m}" for m in MEASURES),
    "flag_reason",
)
RELEASED_FLAG_VALUES: tuple[str, ...] = (
    *(f"flag_{m}" for m in MEASURES),
    *(f"above_{m}" for m in MEASURES),
    *(f"comparison_share_{m}" for m in MEASURES),
    "flag_reason",
)
"""The flag columns that may be released: no leave-one-out rate, p- or q-value (``comparison``)."""
DEFAULT_MIN_GROUP = SKOLVERKET_THRESHOLDS.for_columns(("school_unit_code",))
DEFAULT_REFERENCE_LABEL = "övriga skolenheter i jämförelsen"


def _rest_rates(table: pa.Table, *, min_group: int) -> pa.Table:
    """Per row: the other units' rates in the stratum, and the stratum's rounded share."""
    counts = ["n", *(f"n_{m}" for m in MEASURES)]
    summed = _stratum_sums(table, counts)
    if summed is not None:
        return _with_rates(summed, min_group=min_group)
    sums = [(c, "sum") for c in counts]
    totals = table.group_by(list(STRATUM)).aggregate(sums)
    joined = table.join(totals, keys=list(STRATUM)).sort_by([(d, "ascending") for d in DIMS])
    return _with_rates(joined, min_group=min_group)


def _stratum_sums(table: pa.Table, counts: Sequence[str]) -> pa.Table | None:
    """``table`` sorted by the dims plus each row's stratum's sum of each of ``counts``
    (``<count>_sum``): the join of Arrow's grouped sums, without the join or a sort of the
    strings (issue #18: a changed year's rows are tested again after each import). The sums
    are of whole numbers, exact in float64 below 2**53, so they are Arrow's integer sums.
    None (join then) without rows, with nulls, with counts not integers or too large."""
    if not table.num_rows or any(table.column(c).null_count for c in (*DIMS, *counts)):
        return None
    if not all(pa.types.is_integer(table.schema.field(c).type) for c in counts):
        return None
    ranks = {c: column_ranks(table.column(c)) for c in DIMS}
    order = ranks_order([ranks[c] for c in DIMS])
    if not np.array_equal(order, np.arange(table.num_rows)):  # kept counts are sorted already
        table = table.take(pa.array(order))
        ranks = {c: r[order] for c, r in ranks.items()}
    _, stratum = np.unique(ranks_key([ranks[c] for c in STRATUM]), return_inverse=True)
    for name in counts:
        values = table.column(name).to_numpy().astype(np.int64)
        if np.abs(values).sum(dtype=np.float64) >= 2**52:
            return None
        total = np.bincount(stratum, weights=values.astype(np.float64))
        table = table.append_column(
            f"{name}_sum", pa.array(total[stratum].astype(np.int64), pa.int64())
        )
    return table


def _with_rates(joined: pa.Table, *, min_group: int) -> pa.Table:
    """The rates and shares from the rows with their stratum's sums (``_rest_rates``)."""
    rest_n = as_float_array(joined.column("n_sum")) - as_float_array(joined.column("n"))
    for measure in MEASURES:
        own = as_float_array(joined.column(f"n_{measure}"))
        rest = as_float_array(joined.column(f"n_{measure}_sum")) - own
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(rest_n > 0, rest / rest_n, np.nan)
        joined = joined.append_column(f"reference_share_{measure}", pa.array(rate))
    for measure in MEASURES:
        whole = rounded_shares(
            as_float_array(joined.column(f"n_{measure}_sum")),
            as_float_array(joined.column("n_sum")),
            min_group=min_group,
        )
        # null, not NaN, where the stratum is too small: a hidden value, not a failed sum
        joined = joined.append_column(
            f"comparison_share_{measure}", pa.array(whole, from_pandas=True)
        )
    return joined.select([*DIMS, "n", *(f"n_{m}" for m in MEASURES), *_REFERENCE_COLUMNS])


_REFERENCE_COLUMNS = (
    *(f"reference_share_{m}" for m in MEASURES),
    *(f"comparison_share_{m}" for m in MEASURES),
)


def background_mask(groups: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """True for the rows of a background group (the second family of tests)."""
    mask = pc.is_in(groups, pa.array(BACKGROUND_GROUPS, pa.string()))
    return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)


def adjusted_by_family(
    pvalues: list[np.ndarray], background: np.ndarray, years: np.ndarray | None = None
) -> list[np.ndarray]:
    """Benjamini-Hochberg q-values of each measure's p-values, one family per kind of group
    (and per school year when ``years`` is given).

    ``pvalues`` holds one array per measure, aligned with ``background`` (and ``years``); every
    measure's rows of one family are adjusted together.
    """
    result = [np.full(background.shape, np.nan) for _ in pvalues]
    if years is None:
        families = [~background, background]
    else:
        found = np.unique(years)
        families = [(years == y) & kind for y in found for kind in (~background, background)]
    for family in families:
        if not family.any():
            continue
        q = benjamini_hochberg(np.concatenate([p[family] for p in pvalues]))
        size = int(family.sum())
        for position, values in enumerate(result):
            values[family] = q[position * size : (position + 1) * size]
    return result


def _reasons(table: pa.Table, flags: dict[str, np.ndarray], reference_label: str) -> pa.Array:
    """One Swedish reason per flagged row (both measures joined), null for unflagged rows."""
    flagged = np.flatnonzero(np.logical_or.reduce([flags[m] for m in MEASURES]))
    rows = table.take(pa.array(flagged, pa.int64())).to_pylist()
    texts: list[str | None] = [None] * table.num_rows
    for index, row in zip(flagged.tolist(), rows, strict=True):
        parts = [
            reasons.yearly_reason(
                measure=measure,
                subject=row["subject_code"],
                year=row["school_year"],
                group=row["group"],
                hits=row[f"n_{measure}"],
                total=row["n"],
                reference_share=row[f"reference_share_{measure}"],
                q=row[f"q_{measure}"],
                reference_label=reference_label,
                comparison=row[f"comparison_share_{measure}"],
            )
            for measure in MEASURES
            if flags[measure][index]
        ]
        texts[index] = " ".join(parts) if parts else None
    return pa.array(texts, pa.string())


def deviation_flags(
    table: pa.Table,
    *,
    alpha: float = 0.05,
    method: TestMethod | str = TestMethod.EXACT,
    reference_label: str = DEFAULT_REFERENCE_LABEL,
    min_group: int = DEFAULT_MIN_GROUP,
) -> pa.Table:
    """Flag columns for every row of a ``grade_vs_test_by_school`` table (the reference).

    Returns the dims plus, per measure (``higher``, ``lower``): ``reference_share_<m>`` (rate of
    the other units), ``p_<m>``, ``q_<m>`` (Benjamini-Hochberg over one school year's rows and
    both measures) and ``flag_<m>`` (q-values adjusted within each school year's gender groups
    and within its background groups separately); ``comparison_share_<m>``, the stratum's share
    over every unit rounded so as to hide ``min_group`` students
    (``comparison.rounded_shares``, the value that may be released); ``above_<m>``, whether a
    flagged share lies above the other units' rate (null when not flagged); plus
    ``flag_reason`` (Swedish text, null when nothing is flagged).
    """
    tests = row_tests(table, method=method, min_group=min_group)
    return flags_from_tests(tests, alpha=alpha, reference_label=reference_label)


TEST_COLUMNS: tuple[str, ...] = (
    *DIMS,
    "n",
    *(f"n_{m}" for m in MEASURES),
    *_REFERENCE_COLUMNS,
    *(f"p_{m}" for m in MEASURES),
)
"""``row_tests``' columns: what each row's test needs and gives, before the adjustment."""


def row_tests(
    table: pa.Table,
    *,
    method: TestMethod | str = TestMethod.EXACT,
    min_group: int = DEFAULT_MIN_GROUP,
) -> pa.Table:
    """Per row of a ``grade_vs_test_by_school`` table, what depends on its stratum alone (one
    subject, school year and group): the other units' rates, the stratum's rounded shares
    and the p-values (``TEST_COLUMNS``), sorted by the dims. A school year's rows are thus
    the same whatever the other years hold."""
    rates = _rest_rates(table, min_group=min_group)
    for m in MEASURES:
        pvalue = proportion_vs_rate_pvalue(
            rates.column(f"n_{m}"),
            rates.column("n"),
            rates.column(f"reference_share_{m}"),
            method=method,
        )
        rates = rates.append_column(f"p_{m}", pa.array(pvalue))
    return rates.select(list(TEST_COLUMNS))


def flags_from_tests(
    tests: pa.Table, *, alpha: float = 0.05, reference_label: str = DEFAULT_REFERENCE_LABEL
) -> pa.Table:
    """``deviation_flags`` from ``row_tests`` of every row (sorted by the dims): the q-values
    (one Benjamini-Hochberg family over every row of a school year and kind of group), flags,
    directions and reasons. Returns the dims and ``FLAG_VALUES``."""
    return flags_from_qvalues(_with_qvalues(tests), alpha=alpha, reference_label=reference_label)


def _with_qvalues(tests: pa.Table) -> pa.Table:
    """``tests`` plus ``q_<m>``: one Benjamini-Hochberg family over every row of a school
    year and kind of group, in the rows' order."""
    pvalues = [as_float_array(tests.column(f"p_{m}")) for m in MEASURES]
    years = tests.column("school_year").to_numpy()
    qvalues = adjusted_by_family(pvalues, background_mask(tests.column("group")), years)
    for measure, q in zip(MEASURES, qvalues, strict=True):
        tests = tests.append_column(f"q_{measure}", pa.array(q))
    return tests


def qvalues_of(tests: pa.Table, keys: Sequence[str] = DIMS) -> pa.Table:
    """``keys`` and ``q_<m>`` of ``row_tests`` of some school years' rows (with ``group``), in
    the rows' order: the columns of the yearly comparison that depend on every row of the
    row's school year. A row's q-value does not depend on the rows' order
    (``stats.multiple``), nor on the rows of other years."""
    columns = [*dict.fromkeys([*keys, "school_year", "group", *(f"p_{m}" for m in MEASURES)])]
    return _with_qvalues(tests.select(columns)).select([*keys, *(f"q_{m}" for m in MEASURES)])


def flags_from_qvalues(
    rates: pa.Table, *, alpha: float = 0.05, reference_label: str = DEFAULT_REFERENCE_LABEL
) -> pa.Table:
    """``flags_from_tests`` once the q-values are known: ``rates`` holds ``TEST_COLUMNS`` and
    ``q_<m>`` of some rows (any rows: each row's flag, direction and reason is its own)."""
    flags: dict[str, np.ndarray] = {}
    for measure in MEASURES:
        q = as_float_array(rates.column(f"q_{measure}"))
        flags[measure] = np.nan_to_num(q, nan=1.0) < alpha
        rates = rates.append_column(f"flag_{measure}", pa.array(flags[measure]))
    for measure in MEASURES:
        share = as_float_array(rates.column(f"n_{measure}")) / as_float_array(rates.column("n"))
        above = share > as_float_array(rates.column(f"reference_share_{measure}"))
        rates = rates.append_column(
            f"above_{measure}", pc.if_else(pa.array(flags[measure]), pa.array(above), None)
        )
    rates = rates.append_column("flag_reason", _reasons(rates, flags, reference_label))
    return rates.select([*DIMS, *FLAG_VALUES])


def with_deviation_flags(
    aggregate: Aggregate,
    *,
    reference: Aggregate | None = None,
    alpha: float = 0.05,
    method: TestMethod | str = TestMethod.EXACT,
    reference_label: str = DEFAULT_REFERENCE_LABEL,
    min_group: int = DEFAULT_MIN_GROUP,
) -> Aggregate:
    """``aggregate`` (from ``grade_vs_test_by_school``) with yearly deviation flags added.

    ``reference`` is the comparison population: by default the aggregate itself; pass the
    unfiltered ``grade_vs_test_by_school`` of the same snapshot (the whole region) when the
    aggregate was filtered to a few school units, so that the baseline and the multiple-testing
    families (one per school year) and hence every flag do not depend on the filter. A flag
    means the share differs from the other units' rate with a Benjamini-Hochberg q-value below
    ``alpha``. Added values are listed in ``FLAG_VALUES``; ``reference_label`` names the
    baseline in the reason text (e.g. ``"regionen"``).
    """
    base = aggregate.table if reference is None else reference.table
    flags = deviation_flags(
        base, alpha=alpha, method=method, reference_label=reference_label, min_group=min_group
    )
    table = aggregate.table.join(flags, keys=list(DIMS), join_type="left outer")
    table = table.sort_by([(d, "ascending") for d in DIMS])
    table = table.select([*aggregate.table.schema.names, *FLAG_VALUES])
    return Aggregate(
        table=table,
        dims=aggregate.dims,
        count=aggregate.count,
        values=(*aggregate.values, *FLAG_VALUES),
        population=aggregate.population,
        data_version=aggregate.data_version,
        source=aggregate.source,
        margins=aggregate.margins,
        partitions=aggregate.partitions,
        parts=aggregate.parts,
    )


def flagged_rows(aggregate: Aggregate) -> pa.Table:
    """The rows of a flagged aggregate where either measure is flagged."""
    table = aggregate.table
    return table.filter(pc.or_(table.column("flag_higher"), table.column("flag_lower")))

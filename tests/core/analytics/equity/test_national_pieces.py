"""The national pieces of equity's per-import update computed without joins or sorts of the
strings give the same numbers, bit for bit, as the joins and sorts they replace (issue #18):
the other units' rates in a stratum, and the q-values in the year parts' order."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from likvard_core.analytics.equity.deviation import (
    MEASURES,
    STRATUM,
    _rest_rates,
    _with_rates,
    adjusted_by_family,
    background_mask,
    qvalues_of,
    row_tests,
)
from likvard_core.analytics.equity.grade_vs_test import DIMS
from likvard_core.analytics.equity.groups import GROUPS

_ORDER = [(d, "ascending") for d in DIMS]


def _counts(seed: int, rows: int = 3_000) -> pa.Table:
    """Counts of many units, subjects, years and groups, in any order; small strata and
    strata of one unit (no other units' rate) among them."""
    rng = np.random.default_rng(seed)
    keys = {
        (f"u{rng.integers(0, 400):03d}", str(rng.choice(["EN", "MA", "SV", "SVA"])),
         int(rng.integers(2019, 2026)), str(rng.choice(GROUPS)))
        for _ in range(rows)
    }  # fmt: skip
    ordered = sorted(keys)
    n = rng.integers(0, 60, len(ordered))
    higher = rng.integers(0, n + 1)
    lower = np.minimum(rng.integers(0, n + 1), n - higher)
    table = pa.table(
        {
            "school_unit_code": [k[0] for k in ordered],
            "subject_code": [k[1] for k in ordered],
            "school_year": pa.array([k[2] for k in ordered], pa.int16()),
            "group": [k[3] for k in ordered],
            "n": n,
            "n_higher": higher,
            "n_lower": lower,
        }
    )
    return table.take(pa.array(rng.permutation(table.num_rows)))


def _joined_rates(table: pa.Table, *, min_group: int) -> pa.Table:
    """``_rest_rates`` as computed before issue #18's update: Arrow's grouped sums joined to
    the rows, then sorted by the dims."""
    sums = [(c, "sum") for c in ("n", *(f"n_{m}" for m in MEASURES))]
    totals = table.group_by(list(STRATUM)).aggregate(sums)
    joined = table.join(totals, keys=list(STRATUM)).sort_by(_ORDER)
    return _with_rates(joined, min_group=min_group)


def _same_bits(left: pa.Table, right: pa.Table) -> bool:
    if left.schema != right.schema or left.num_rows != right.num_rows:
        return False
    for name in left.schema.names:
        a, b = left.column(name), right.column(name)
        if pa.types.is_floating(a.type):
            if not a.is_null().equals(b.is_null()):
                return False
            bits = [pc.fill_null(c, 0.0).to_numpy().view(np.int64) for c in (a, b)]
            if not np.array_equal(*bits):
                return False
        elif not a.equals(b):
            return False
    return True


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("presorted", [False, True])
def test_the_rates_without_a_join_equal_the_joined_rates_bit_for_bit(seed, presorted):
    table = _counts(seed)
    if presorted:  # the kept counts are sorted: no sort then
        table = table.sort_by(_ORDER)
    assert _same_bits(_rest_rates(table, min_group=10), _joined_rates(table, min_group=10))


def test_counts_with_nulls_or_fractions_are_joined():
    table = _counts(0)
    n = table.column("n").to_pylist()
    nulls = table.set_column(4, "n", pa.array([None, *n[1:]], pa.int64()))
    assert _same_bits(_rest_rates(nulls, min_group=10), _joined_rates(nulls, min_group=10))
    floats = table.set_column(4, "n", pa.array(n, pa.float64()))
    assert _same_bits(_rest_rates(floats, min_group=10), _joined_rates(floats, min_group=10))


@pytest.mark.parametrize("seed", range(4))
def test_qvalues_in_any_order_of_the_rows_are_the_same_bits(seed):
    """The kept q-values are decided over the rows in the year parts' order, the rows computed
    in one go over the rows sorted by the dims: each row's q-value must not depend on it (many
    p-values are tied: 1.0 wherever a stratum has one unit's rate)."""
    tests = row_tests(_counts(seed).sort_by(_ORDER), min_group=10)
    by_dims = qvalues_of(tests)
    rng = np.random.default_rng(seed)
    order = rng.permutation(tests.num_rows)
    shuffled = qvalues_of(tests.take(pa.array(order)))
    back = np.empty_like(order)
    back[order] = np.arange(order.size)
    assert _same_bits(shuffled.take(pa.array(back)), by_dims)
    years = tests.sort_by([("school_year", "ascending"), *_ORDER])  # the parts' order
    in_years = qvalues_of(years, ("school_unit_code", "school_year", "subject_code", "group"))
    assert _same_bits(in_years.sort_by(_ORDER).select(by_dims.schema.names), by_dims)
    ties = np.unique(tests.column("p_higher").to_numpy(), return_counts=True)[1]
    assert ties.max() > 1


@pytest.mark.parametrize("seed", range(4))
def test_a_school_years_qvalues_are_its_own_family(seed):
    """One Benjamini-Hochberg family per school year (and kind of group, docs/decisions/0013):
    a year's q-values are those of its rows alone, so another year's rows arriving or going
    changes none of them (an import must not move a past year's flags)."""
    tests = row_tests(_counts(seed).sort_by(_ORDER), min_group=10)
    together = qvalues_of(tests)
    year = tests.column("school_year")
    last = pc.max(year)
    for y in pc.unique(year).to_pylist():
        mine = pc.equal(year, pa.scalar(y, year.type))
        alone = qvalues_of(tests.filter(mine))
        assert _same_bits(alone, together.filter(mine)), y
        if y != last.as_py():  # without the last year's rows, the same bits
            earlier = tests.filter(pc.not_equal(year, last))
            again = qvalues_of(earlier)
            assert _same_bits(again.filter(pc.equal(again.column("school_year"), y)), alone)
    pvalues = [tests.column(f"p_{m}").to_numpy(zero_copy_only=False) for m in MEASURES]
    every_year = adjusted_by_family(pvalues, background_mask(tests.column("group")))
    assert not np.array_equal(every_year[0], together.column("q_higher").to_numpy(), True)

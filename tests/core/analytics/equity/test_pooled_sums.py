"""The patterns' pooled sums from runs of sorted rows equal Arrow's grouped sums bit for bit,
and so do the kept sums of the years before the last plus the last year's rows (the sums of
every pattern are computed again after each import, issue #18)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from likvard_core.analytics.equity.patterns import (
    PATTERN_DIMS,
    POOLED,
    _added_by_key,
    _arrow_sums,
    _segment_sums,
    pooled_sums,
    sums_with_last_year,
)
from likvard_core.analytics.sorting import sorted_rows


def _parts(seed: int, rows: int = 4_000) -> pa.Table:
    """Window rows of many units, subjects and groups, 1 to 7 years each, in any order."""
    rng = np.random.default_rng(seed)
    keys = {
        (f"u{rng.integers(0, 300):03d}", str(rng.choice(["EN", "MA", "SV"])), str(g))
        for g in rng.choice(["all", "girls", "boys", "ä"], rows)
    }
    table_rows = []
    for unit, subject, group in sorted(keys):
        years = rng.choice(np.arange(2019, 2026), int(rng.integers(1, 8)), replace=False)
        table_rows.extend((unit, subject, group, int(year)) for year in years)
    count = len(table_rows)
    n = rng.integers(1, 300, count)
    columns: dict[str, object] = {
        "school_unit_code": [r[0] for r in table_rows],
        "subject_code": [r[1] for r in table_rows],
        "group": [r[2] for r in table_rows],
        "school_year": pa.array([r[3] for r in table_rows], pa.int16()),
        "n": n,
        "n_higher": rng.integers(0, 50, count),
        "n_lower": rng.integers(0, 50, count),
    }
    for name in POOLED:
        if name.startswith(("exp", "var")):
            values = n * rng.random(count) * rng.uniform(0.1, 1e3, count)
            values[rng.random(count) < 0.02] = np.nan  # a lone unit has no rate
            columns[name] = values
        else:
            columns[name] = rng.integers(0, 2, count)
    table = pa.table(columns)
    return table.take(pa.array(rng.permutation(count)))


def _sorted(parts: pa.Table) -> pa.Table:
    extended = parts.select([*PATTERN_DIMS, "school_year", "n", "n_higher", "n_lower", *POOLED])
    return sorted_rows(extended, [*PATTERN_DIMS, "school_year"])


def _same_bits(left: pa.Table, right: pa.Table) -> bool:
    if left.schema != right.schema or left.num_rows != right.num_rows:
        return False
    for name in left.schema.names:
        a, b = left.column(name), right.column(name)
        if pa.types.is_floating(a.type):
            if not np.array_equal(a.to_numpy().view(np.int64), b.to_numpy().view(np.int64)):
                return False
        elif not a.equals(b):
            return False
    return True


@pytest.mark.parametrize("seed", range(6))
def test_segment_sums_equal_arrows_grouped_sums_bit_for_bit(seed):
    parts = _parts(seed)
    assert _same_bits(pooled_sums(parts), _arrow_sums(_sorted(parts)))


def test_rows_with_nulls_are_summed_by_arrow():
    parts = _parts(0)
    nulls = pa.array([None] * parts.num_rows, pa.float64())
    parts = parts.set_column(parts.schema.get_field_index("exp_higher"), "exp_higher", nulls)
    assert _same_bits(pooled_sums(parts), _arrow_sums(_sorted(parts)))


def test_no_rows_give_no_sums():
    empty = _sorted(_parts(0).slice(0, 0))
    assert _segment_sums(empty).num_rows == 0
    assert _segment_sums(empty).schema == _arrow_sums(empty).schema
    assert pooled_sums(empty).equals(_segment_sums(empty))  # a window without rows


@pytest.mark.parametrize("seed", range(6))
def test_the_last_years_rows_added_to_the_sums_before_are_the_sums(seed):
    """Groups with and without the last year, and with only the last year; NaN among the
    float parts (a NaN in the years before stays NaN)."""
    parts = _parts(seed)
    year = parts.column("school_year").to_numpy()
    before, last = parts.filter(pa.array(year < 2025)), parts.filter(pa.array(year == 2025))
    added = sums_with_last_year(pooled_sums(before), last)
    assert added is not None
    assert _same_bits(added, pooled_sums(parts))
    nothing_last = sums_with_last_year(pooled_sums(before), last.slice(0, 0))
    assert nothing_last is not None
    assert _same_bits(nothing_last, pooled_sums(before))
    assert _same_bits(sums_with_last_year(pooled_sums(before.slice(0, 0)), last), pooled_sums(last))


def test_the_sums_before_with_nulls_are_summed_anew():
    parts = _parts(0)
    nulls = pa.array([None] * parts.num_rows, pa.float64())
    parts = parts.set_column(parts.schema.get_field_index("exp_higher"), "exp_higher", nulls)
    year = parts.column("school_year").to_numpy()
    assert sums_with_last_year(pooled_sums(parts), parts.filter(pa.array(year == 2025))) is None


@pytest.mark.parametrize("seed", range(4))
def test_the_last_years_rows_put_in_place_by_key_are_the_sums(seed):
    """One row per pattern of the last year (a part's year): put in place by the patterns'
    keys, bit for bit the runs' sums, negative zeros too; not with two rows of one pattern
    in the last year."""
    parts = _parts(seed)
    for name in ("exp_higher", "var_lower"):  # -0.0 + -0.0 and 0 + -0.0 differ in the sign bit
        values = parts.column(name).to_numpy().copy()
        values[::7] = -0.0
        parts = parts.set_column(parts.schema.get_field_index(name), name, pa.array(values))
    year = parts.column("school_year").to_numpy()
    before, last = parts.filter(pa.array(year < 2025)), parts.filter(pa.array(year == 2025))
    scattered = _added_by_key(pooled_sums(before), last)
    assert scattered is not None
    assert _same_bits(scattered, pooled_sums(parts))
    twice = pa.concat_tables([last, last.slice(0, 3)])
    assert _added_by_key(pooled_sums(before), twice) is None

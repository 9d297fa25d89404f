"""The units' sums read back from a kept part and added up with students' parts, exactly."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from likvard_core.analytics.equity.changed import sums_added, with_step_sums


def _kept(n: np.ndarray, diff: np.ndarray) -> pa.Table:
    rows = len(n)
    return pa.table(
        {
            "school_unit_code": [f"u{i:04d}" for i in range(rows)],
            "subject_code": ["MA"] * rows,
            "school_year": pa.array([2025] * rows, pa.int16()),
            "group": ["all"] * rows,
            "n": pa.array(n, pa.int64()),
            "n_lower": pa.array(n // 3, pa.int64()),
            "n_same": pa.array(n - n // 3 - n // 4, pa.int64()),
            "n_higher": pa.array(n // 4, pa.int64()),
            "mean_step_difference": pa.array(diff.astype(np.float64) / n.astype(np.float64)),
        }
    )


def test_the_step_sums_are_read_back_from_their_means() -> None:
    rng = np.random.default_rng(3)
    n = rng.integers(1, 2_000_000, 20_000)
    diff = (rng.random(20_000) * 10 - 5) * n
    diff = np.rint(diff).astype(np.int64)
    found = with_step_sums(_kept(n, diff))
    assert found is not None
    assert found["diff_sum"].to_pylist() == diff.tolist()


def test_a_mean_that_is_not_a_quotient_of_whole_numbers_is_refused() -> None:
    table = _kept(np.array([3, 7]), np.array([1, -2]))
    means = pa.array([1 / 3, -2 / 7 + 1e-9])
    table = table.set_column(table.schema.get_field_index("mean_step_difference"),
                             "mean_step_difference", means)  # fmt: skip
    assert with_step_sums(table) is None


def test_sums_are_added_by_the_dims_and_rows_without_students_dropped() -> None:
    kept = with_step_sums(_kept(np.array([5, 8]), np.array([2, -3])))
    assert kept is not None
    names = kept.schema.names
    gone = kept.slice(0, 1)  # u0000's students all leave
    come = kept.slice(1, 1)  # u0001 gets as many again
    added = sums_added([kept, gone, come], [1, -1, 1], year=2025, names=names)
    assert added["school_unit_code"].to_pylist() == ["u0001"]
    assert added["n"].to_pylist() == [16]
    assert added["diff_sum"].to_pylist() == [-6]

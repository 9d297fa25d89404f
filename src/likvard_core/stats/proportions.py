"""Two-sided tests of a unit's proportion against a reference rate, vectorised."""

from __future__ import annotations

from enum import StrEnum

import numpy as np
from scipy import stats

from likvard_core.stats._arrays import ArrayLike, FloatArray, as_float_array


class TestMethod(StrEnum):
    """How :func:`proportion_vs_rate_pvalue` computes the p-value."""

    __test__ = False  # not a pytest test class despite the name

    EXACT = "exact"
    NORMAL = "normal"


def _exact_two_sided(k: FloatArray, n: FloatArray, rate: FloatArray) -> FloatArray:
    # Central ("doubled tail") exact binomial test: twice the smaller tail, capped at 1.
    # It is the test that inverts the Clopper-Pearson interval: p < alpha exactly when
    # ``rate`` lies outside the 1 - alpha Clopper-Pearson interval for k / n.
    lower_tail = stats.binom.cdf(k, n, rate)
    upper_tail = stats.binom.sf(k - 1.0, n, rate)
    return np.asarray(np.minimum(1.0, 2.0 * np.minimum(lower_tail, upper_tail)), dtype=np.float64)


def _normal_two_sided(k: FloatArray, n: FloatArray, rate: FloatArray) -> FloatArray:
    # Normal approximation with continuity correction: z = (|k - n r| - 1/2) / sqrt(n r (1 - r)).
    expected = n * rate
    spread = np.sqrt(n * rate * (1.0 - rate))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.maximum(np.abs(k - expected) - 0.5, 0.0) / spread
    p = 2.0 * stats.norm.sf(z)
    # A degenerate reference (rate 0 or 1): any observation off the rate is impossible.
    degenerate = spread == 0
    p = np.where(degenerate, np.where(k == expected, 1.0, 0.0), p)
    return np.asarray(np.minimum(p, 1.0), dtype=np.float64)


def proportion_vs_rate_pvalue(
    hits: ArrayLike,
    total: ArrayLike,
    rate: ArrayLike,
    *,
    method: TestMethod | str = TestMethod.EXACT,
) -> FloatArray:
    """Two-sided p-values for H0 "the unit's true proportion equals ``rate``", one per row.

    ``method="exact"`` (default) is the central exact binomial test (twice the smaller tail
    probability, capped at 1), consistent with the Clopper-Pearson interval. ``method="normal"``
    is the normal approximation with continuity correction, adequate when ``n r (1 - r) >= 5``.
    Rows with ``total == 0`` or a missing value or rate get NaN.
    """
    k = as_float_array(hits)
    n = as_float_array(total)
    r = as_float_array(rate)
    k, n, r = np.broadcast_arrays(k, n, r)
    valid = (n > 0) & ~np.isnan(k) & ~np.isnan(r)
    if np.any((r[valid] < 0) | (r[valid] > 1)):
        raise ValueError("rate must lie in [0, 1]")
    chosen = TestMethod(method)
    compute = _exact_two_sided if chosen is TestMethod.EXACT else _normal_two_sided
    result = np.full(k.shape, np.nan)
    if np.any(valid):
        result[valid] = compute(k[valid], n[valid], r[valid])
    return result

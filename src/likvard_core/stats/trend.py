"""Tests for a systematic pattern in a unit's deviation from a reference over several years.

Two complementary questions, used together by the equity analysis:

- **Consistency** (:func:`same_sign_pvalue`): if the deviations were pure chance each year's
  sign would be a fair coin, so "the same sign in at least k of n years" has a binomial tail
  probability. This alone is weak (4 of 5 happens by chance 37.5 % of the time) but it rules
  out a pattern carried by one extreme year.
- **Size** (:func:`pooled_deviation_pvalue`): the years are pooled into one stratified test of
  observed hits against the hits expected from each year's reference rate
  (sum of ``n_y * r_y``), with variance ``sum n_y r_y (1 - r_y)`` and a continuity
  correction. It uses all students of all years, so it has far more power than any single year.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from likvard_core.stats._arrays import ArrayLike, FloatArray, as_float_array


def same_sign_pvalue(same_sign_years: ArrayLike, years: ArrayLike) -> FloatArray:
    """Probability, under chance, that at least ``same_sign_years`` of ``years`` share one sign.

    Two-sided sign test: ``min(1, 2 * P(X >= k))`` with ``X ~ Bin(years, 1/2)`` when
    ``k > years / 2``, and 1 otherwise. NaN where ``years == 0``.
    """
    k = as_float_array(same_sign_years)
    n = as_float_array(years)
    k, n = np.broadcast_arrays(k, n)
    with np.errstate(invalid="ignore"):
        tail = stats.binom.sf(k - 1.0, n, 0.5)
        p = np.where(k > n / 2.0, np.minimum(1.0, 2.0 * tail), 1.0)
    return np.asarray(np.where(n > 0, p, np.nan), dtype=np.float64)


def pooled_deviation_pvalue(
    hits: ArrayLike, expected: ArrayLike, variance: ArrayLike
) -> FloatArray:
    """Two-sided p-value of a pooled (stratified) test of observed against expected hits.

    ``hits`` is the unit's number of hits summed over the years, ``expected`` the sum of
    ``n_y * r_y`` and ``variance`` the sum of ``n_y * r_y * (1 - r_y)`` over the same years.
    ``z = max(|hits - expected| - 1/2, 0) / sqrt(variance)``; p = 2 (1 - Phi(z)).
    NaN where the variance is missing; 1 or 0 when it is zero (no possible variation).
    """
    h = as_float_array(hits)
    e = as_float_array(expected)
    v = as_float_array(variance)
    h, e, v = np.broadcast_arrays(h, e, v)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.maximum(np.abs(h - e) - 0.5, 0.0) / np.sqrt(v)
        p = 2.0 * stats.norm.sf(z)
    p = np.where(v == 0, np.where(np.abs(h - e) < 0.5, 1.0, 0.0), p)  # noqa: PLR2004
    return np.asarray(np.where(np.isnan(v), np.nan, np.minimum(p, 1.0)), dtype=np.float64)

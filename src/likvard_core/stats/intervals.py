"""Confidence intervals for a binomial proportion, vectorised over columns of counts."""

from __future__ import annotations

import numpy as np
from scipy import stats

from likvard_core.stats._arrays import ArrayLike, FloatArray, as_float_array


def _check(hits: FloatArray, total: FloatArray, confidence: float) -> None:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    valid = ~(np.isnan(hits) | np.isnan(total))
    if np.any((hits[valid] < 0) | (hits[valid] > total[valid])):
        raise ValueError("hits must lie between 0 and total")


def wilson_interval(
    hits: ArrayLike, total: ArrayLike, *, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval for ``hits / total``: returns ``(low, high)`` arrays of shares 0-1.

    Rows with ``total == 0`` or a missing value get NaN bounds. The interval always contains the
    estimate and stays inside [0, 1], which is why it is preferred to the Wald interval for the
    small groups of a single school unit.
    """
    k = as_float_array(hits)
    n = as_float_array(total)
    k, n = np.broadcast_arrays(k, n)
    _check(k, n, confidence)
    z = float(stats.norm.ppf(0.5 + confidence / 2.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denominator = 1.0 + z * z / n
        centre = (p + z * z / (2.0 * n)) / denominator
        half = z * np.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denominator
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    # Guard against rounding at the edges so that low <= p <= high holds exactly.
    low = np.where(n > 0, np.minimum(low, p), np.nan)
    high = np.where(n > 0, np.maximum(high, p), np.nan)
    return low.astype(np.float64), high.astype(np.float64)


def clopper_pearson_interval(
    hits: ArrayLike, total: ArrayLike, *, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Exact (Clopper-Pearson) interval for ``hits / total``: ``(low, high)`` shares 0-1.

    Uses beta quantiles; the lower bound is 0 when ``hits == 0`` and the upper bound 1 when
    ``hits == total``. Rows with ``total == 0`` get NaN bounds. Conservative: coverage is at
    least ``confidence`` for every true proportion.
    """
    k = as_float_array(hits)
    n = as_float_array(total)
    k, n = np.broadcast_arrays(k, n)
    _check(k, n, confidence)
    alpha = 1.0 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(k > 0, stats.beta.ppf(alpha / 2.0, k, n - k + 1.0), 0.0)
        high = np.where(k < n, stats.beta.ppf(1.0 - alpha / 2.0, k + 1.0, n - k), 1.0)
    low = np.where(n > 0, low, np.nan)
    high = np.where(n > 0, high, np.nan)
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)

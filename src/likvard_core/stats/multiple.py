"""Multiple-comparison adjustments of p-values (Benjamini-Hochberg, Holm).

Missing p-values (NaN) are left missing and are not counted in the number of tests.
"""

from __future__ import annotations

import numpy as np

from likvard_core.stats._arrays import ArrayLike, FloatArray, as_float_array


def _valid(pvalues: ArrayLike) -> tuple[FloatArray, FloatArray, np.ndarray]:
    p = as_float_array(pvalues).ravel()
    mask = ~np.isnan(p)
    if np.any((p[mask] < 0) | (p[mask] > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    return p, p[mask], mask


def benjamini_hochberg(pvalues: ArrayLike) -> FloatArray:
    """Benjamini-Hochberg adjusted p-values (q-values) in the input order.

    Rejecting every test with ``q < alpha`` controls the false discovery rate at ``alpha``
    (for independent or positively dependent tests). Same values as
    ``statsmodels.stats.multitest.multipletests(p, method="fdr_bh")[1]``.
    """
    p, observed, mask = _valid(pvalues)
    m = observed.size
    result = np.full(p.shape, np.nan)
    if m == 0:
        return result
    order = _ascending(observed)
    ranked = observed[order] * m / np.arange(1, m + 1)
    monotone = np.minimum.accumulate(ranked[::-1])[::-1]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(monotone, 1.0)
    result[mask] = adjusted
    return result


def _ascending(observed: FloatArray) -> np.ndarray:
    """An order of the p-values, ascending. Tied p-values may come in any order: their
    ``p·m/rank`` falls with the rank (correctly rounded division is monotone), so the
    running minimum from the end gives every one of them the value at the block's last rank,
    whichever of them stands where; the q-values are the same bit for bit as with a stable
    sort, which takes about four times as long (issue #18: millions of rows per import).
    Only a negative zero beside a positive one would tell, so then the sort is stable."""
    if np.any((observed == 0) & np.signbit(observed)):
        return np.argsort(observed, kind="stable")
    return np.argsort(observed)


def holm(pvalues: ArrayLike) -> FloatArray:
    """Holm step-down adjusted p-values in the input order (controls the family-wise error).

    Same values as ``statsmodels.stats.multitest.multipletests(p, method="holm")[1]``.
    """
    p, observed, mask = _valid(pvalues)
    m = observed.size
    result = np.full(p.shape, np.nan)
    if m == 0:
        return result
    order = np.argsort(observed, kind="stable")
    ranked = observed[order] * (m - np.arange(m))
    monotone = np.maximum.accumulate(np.minimum(ranked, 1.0))
    adjusted = np.empty(m)
    adjusted[order] = monotone
    result[mask] = adjusted
    return result

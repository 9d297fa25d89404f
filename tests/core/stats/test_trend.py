import numpy as np
import pytest
from scipy import stats

from likvard_core.stats.trend import pooled_deviation_pvalue, same_sign_pvalue


def test_same_sign_pvalue_is_the_two_sided_sign_test():
    # 5 of 5 the same way: 2 / 32; 4 of 5: 2 * 6 / 32; 3 of 5 is no evidence.
    np.testing.assert_allclose(same_sign_pvalue([5, 4, 3], [5, 5, 5]), [0.0625, 0.375, 1.0])
    assert same_sign_pvalue([8], [8])[0] == pytest.approx(
        stats.binomtest(8, 8, 0.5).pvalue, rel=1e-12
    )
    assert np.isnan(same_sign_pvalue([0], [0])[0])


def test_pooled_test_combines_years():
    n = np.array([40, 50, 45, 60, 55])
    rate = np.array([0.2, 0.22, 0.18, 0.21, 0.2])
    hits = np.array([12, 15, 12, 18, 16])  # about 0.28 each year
    expected, variance = (n * rate).sum(), (n * rate * (1 - rate)).sum()
    p = pooled_deviation_pvalue(hits.sum(), expected, variance)[0]
    z = (abs(hits.sum() - expected) - 0.5) / np.sqrt(variance)
    assert p == pytest.approx(2 * stats.norm.sf(z), rel=1e-12)
    assert p < 0.01
    # No single year is significant on its own at the 5 % level.
    single = [stats.binomtest(h, m, r).pvalue for h, m, r in zip(hits, n, rate, strict=True)]
    assert min(single) > 0.05


def test_pooled_test_without_variance():
    p = pooled_deviation_pvalue([0, 3, 1], [0.0, 0.0, np.nan], [0.0, 0.0, np.nan])
    assert p[0] == 1.0
    assert p[1] == 0.0
    assert np.isnan(p[2])

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from likvard_core.stats.intervals import clopper_pearson_interval
from likvard_core.stats.proportions import proportion_vs_rate_pvalue


def test_exact_matches_scipy_for_a_symmetric_reference():
    # At rate 1/2 the central and the minimum-likelihood exact tests coincide.
    for k, n in [(0, 10), (3, 12), (9, 12), (60, 100)]:
        expected = stats.binomtest(k, n, 0.5).pvalue
        assert proportion_vs_rate_pvalue([k], [n], [0.5])[0] == pytest.approx(expected, rel=1e-9)


def test_exact_equals_twice_the_smaller_tail():
    k, n, r = 9, 40, 0.1
    upper = stats.binom.sf(k - 1, n, r)
    assert proportion_vs_rate_pvalue(k, n, r)[0] == pytest.approx(2 * upper, rel=1e-12)


@given(
    st.integers(min_value=1, max_value=200).flatmap(
        lambda n: st.tuples(st.integers(0, n), st.just(n))
    ),
    st.floats(min_value=0.01, max_value=0.99),
)
def test_exact_test_inverts_the_clopper_pearson_interval(pair, rate):
    k, n = pair
    p = proportion_vs_rate_pvalue([k], [n], [rate])[0]
    low, high = clopper_pearson_interval([k], [n])
    # Guard the boundary: skip rates within rounding distance of an interval end.
    if min(abs(rate - low[0]), abs(rate - high[0])) > 1e-9:
        assert (p < 0.05) == (rate < low[0] or rate > high[0])


def test_normal_approximation_with_continuity_correction():
    k, n, r = 30, 100, 0.2
    z = (abs(k - n * r) - 0.5) / np.sqrt(n * r * (1 - r))
    expected = 2 * stats.norm.sf(z)
    got = proportion_vs_rate_pvalue([k], [n], [r], method="normal")[0]
    assert got == pytest.approx(expected, rel=1e-12)
    exact = proportion_vs_rate_pvalue([k], [n], [r], method="exact")[0]
    assert got == pytest.approx(exact, rel=0.35)


def test_observation_at_the_rate_is_not_significant_and_empty_rows_are_nan():
    p = proportion_vs_rate_pvalue([20, 0], [100, 0], [0.2, 0.2])
    assert p[0] == 1.0
    assert np.isnan(p[1])


def test_degenerate_reference_rate():
    p = proportion_vs_rate_pvalue([0, 1], [10, 10], [0.0, 0.0], method="normal")
    assert list(p) == [1.0, 0.0]
    p_exact = proportion_vs_rate_pvalue([0, 1], [10, 10], [0.0, 0.0])
    assert list(p_exact) == [1.0, 0.0]

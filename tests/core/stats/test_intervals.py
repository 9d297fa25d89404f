import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from likvard_core.stats.intervals import clopper_pearson_interval, wilson_interval

counts = st.integers(min_value=1, max_value=2000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@given(st.lists(counts, min_size=1, max_size=30))
def test_wilson_and_exact_intervals_contain_the_estimate(pairs):
    hits = np.array([k for k, _ in pairs])
    total = np.array([n for _, n in pairs])
    share = hits / total
    for low, high in (wilson_interval(hits, total), clopper_pearson_interval(hits, total)):
        assert np.all(low <= share)
        assert np.all(share <= high)
        assert np.all((low >= 0) & (high <= 1))


def test_wilson_matches_the_textbook_value():
    # Newcombe (1998), example: 81 of 263 -> 0.2553 to 0.3662 (95 %).
    low, high = wilson_interval([81], [263])
    assert low[0] == pytest.approx(0.2553, abs=5e-5)
    assert high[0] == pytest.approx(0.3662, abs=5e-5)


def test_wilson_accepts_arrow_columns_and_gives_nan_for_empty_groups():
    low, high = wilson_interval(pa.chunked_array([[3, 0]]), pa.array([10, 0]))
    assert np.isfinite(low[0])
    assert np.isfinite(high[0])
    assert np.isnan(low[1])
    assert np.isnan(high[1])


def test_clopper_pearson_matches_scipy():
    for k, n in [(0, 12), (5, 12), (12, 12), (40, 173)]:
        expected = stats.binomtest(k, n).proportion_ci(method="exact")
        low, high = clopper_pearson_interval([k], [n])
        assert low[0] == pytest.approx(expected.low, abs=1e-12)
        assert high[0] == pytest.approx(expected.high, abs=1e-12)


def test_clopper_pearson_is_wider_than_wilson():
    hits, total = np.array([1, 5, 30]), np.array([12, 40, 100])
    w_low, w_high = wilson_interval(hits, total)
    c_low, c_high = clopper_pearson_interval(hits, total)
    assert np.all(c_high - c_low > w_high - w_low)


def test_hits_above_total_is_an_error():
    with pytest.raises(ValueError, match="between 0 and total"):
        wilson_interval([11], [10])

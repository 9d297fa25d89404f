import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from likvard_core.stats.multiple import benjamini_hochberg, holm

pvalue_lists = st.lists(
    st.floats(min_value=0.0, max_value=1.0, allow_nan=False), min_size=1, max_size=60
)


@given(pvalue_lists)
def test_benjamini_hochberg_matches_statsmodels(pvalues):
    expected = multipletests(pvalues, method="fdr_bh")[1]
    np.testing.assert_allclose(benjamini_hochberg(pvalues), expected, rtol=1e-12, atol=1e-15)


@settings(max_examples=25)  # statsmodels' Holm takes ~0.15 s per call
@given(pvalue_lists)
def test_holm_matches_statsmodels(pvalues):
    expected = multipletests(pvalues, method="holm")[1]
    np.testing.assert_allclose(holm(pvalues), expected, rtol=1e-12, atol=1e-15)


def test_random_pvalues_against_statsmodels():
    rng = np.random.default_rng(7)
    p = np.concatenate([rng.uniform(size=500), rng.uniform(0, 1e-4, size=20)])
    np.testing.assert_allclose(benjamini_hochberg(p), multipletests(p, method="fdr_bh")[1])
    np.testing.assert_allclose(holm(p), multipletests(p, method="holm")[1])


def test_missing_pvalues_stay_missing_and_do_not_count():
    q = benjamini_hochberg([0.01, np.nan, 0.04])
    assert np.isnan(q[1])
    np.testing.assert_allclose(q[[0, 2]], multipletests([0.01, 0.04], method="fdr_bh")[1])


def test_out_of_range_pvalue_is_an_error():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        holm([0.5, 1.5])


def _bh_stable(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg with a stable sort (the former order), for the comparison below."""
    m = p.size
    order = np.argsort(p, kind="stable")
    monotone = np.minimum.accumulate((p[order] * m / np.arange(1, m + 1))[::-1])[::-1]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(monotone, 1.0)
    return adjusted


@pytest.mark.parametrize("seed", range(6))
def test_benjamini_hochberg_with_ties_equals_a_stable_sort_bit_for_bit(seed):
    rng = np.random.default_rng(seed)
    p = np.round(rng.random(20_000) ** 3, int(rng.integers(2, 5)))  # many ties
    p[rng.random(p.size) < 0.1] = 1.0
    p[rng.random(p.size) < 0.01] = 0.0
    if seed % 2:
        p[rng.random(p.size) < 0.01] = -0.0
    got, want = benjamini_hochberg(p), _bh_stable(p)
    assert np.array_equal(got.view(np.int64), want.view(np.int64))

"""The share model's beta-binomial percentiles equal scipy's ``betabinom.ppf``, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from likvard_core.analytics.adjusted.share_model import (
    _beta_binomial_interval,
    _bisect,
    betabinom_quantiles,
)


def _cases(seed: int, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Schools as the model sees them: sizes 1-600, shares near 0, 1 and between, ρ from the
    binomial's 1e-9 to 0.999 (the model's bounds), and a few invalid ones."""
    rng = np.random.default_rng(seed)
    size = rng.integers(1, 600, count).astype(np.float64)
    size[:40] = rng.integers(1, 4, 40)  # tiny schools: the support's ends
    mu = rng.beta(0.7, 0.7, count)
    mu[40:60] = rng.choice([1e-12, 1e-6, 1 - 1e-6, 1 - 1e-12], 20)
    rho = np.exp(rng.uniform(np.log(1e-9), np.log(0.999), count))
    a, b = mu * (1.0 - rho) / rho, (1.0 - mu) * (1.0 - rho) / rho
    size[60], a[61], b[62] = 12.5, 0.0, -1.0  # scipy's NaN: n not whole, a or b not positive
    return size, a, b


def test_schools_of_one_size_are_computed_together_with_scipys_bits() -> None:
    """Many schools of a few sizes (the quantiles are computed per size, in blocks of 512
    columns): every quantile still scipy's."""
    size, a, b = _cases(2, 1300)
    size[63:] = np.array([7.0, 25.0, 140.0])[np.arange(size.size - 63) % 3]
    qs = (0.025, 0.975)
    mine = betabinom_quantiles(qs, size, a, b)
    for q, got in zip(qs, mine, strict=True):
        assert np.array_equal(got, stats.betabinom.ppf(q, size, a, b), equal_nan=True), q


@pytest.mark.parametrize("seed", [0, 1])
def test_quantiles_are_scipys(seed: int) -> None:
    size, a, b = _cases(seed, 1000)
    qs = (0.025, 0.975, 0.5, 0.005, 0.995)
    mine = betabinom_quantiles(qs, size, a, b)
    for q, got in zip(qs, mine, strict=True):
        want = stats.betabinom.ppf(q, size, a, b)
        assert np.array_equal(got, want, equal_nan=True), q
    assert np.isnan(mine[0][60:63]).all()


def test_bisection_is_scipys() -> None:
    """The fallback near a step (scipy's own bisection on the same probabilities) answers as
    scipy for every element, not only where it is needed."""
    size, a, b = _cases(5, 300)
    for n, a_i, b_i in zip(size[63:], a[63:], b[63:], strict=True):
        pmf = stats.betabinom._pmf(np.arange(0, int(n) + 1), n, a_i, b_i)
        for q in (0.025, 0.975, 0.3):
            assert _bisect(pmf, float(n), q) == stats.betabinom.ppf(q, n, a_i, b_i)


def test_quantile_on_a_cdf_step_is_scipys() -> None:
    """Where a cumulative probability lies on the quantile (a symmetric school of one or three
    at 50 %), the running sum cannot decide and scipy's bisection answers, as in scipy."""
    size, shape = np.array([1.0, 3.0]), np.array([2.0, 2.0])
    got = betabinom_quantiles((0.5,), size, shape, shape)
    want = stats.betabinom.ppf(0.5, size, shape, shape)
    assert np.array_equal(got[0], want)


def test_interval_as_before() -> None:
    """The interval of the fit is the one computed with scipy's ``ppf`` (the code before)."""
    rng = np.random.default_rng(7)
    mu = rng.uniform(0.01, 0.99, 400)
    size = rng.integers(1, 400, 400).astype(np.float64)
    eta_variance = rng.uniform(0, 0.05, 400)
    low, high = _beta_binomial_interval(mu, size, 0.03, eta_variance, 0.05)
    v = mu * (1.0 - mu)
    extra = np.where(size > 1, size * v * eta_variance / np.maximum(size - 1.0, 1.0), 0.0)
    each = np.clip(0.03 + extra, 1e-9, 0.999)
    a, b = mu * (1.0 - each) / each, (1.0 - mu) * (1.0 - each) / each
    assert np.array_equal(low, np.minimum(stats.betabinom.ppf(0.025, size, a, b) / size, mu))
    assert np.array_equal(high, np.maximum(stats.betabinom.ppf(0.975, size, a, b) / size, mu))


def test_quantiles_strictly_inside() -> None:
    with pytest.raises(ValueError, match="strictly"):
        betabinom_quantiles((0.0,), np.array([3.0]), np.array([1.0]), np.array([1.0]))

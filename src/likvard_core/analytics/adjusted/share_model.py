"""The school model for shares (0-1): a fractional-logit GLM whose values stay within 0-100 %.

A straight line through shares predicts over 100 % for a school with very favourable background
and gives intervals such as −30-66 %. For a share the model is instead a fractional logit
(Papke & Wooldridge 1996; a quasi-binomial GLM in statsmodels)::

    E[share | x] = μ = expit(η),   η = b0 + b1·parents_education + b2·share_boys
                                         + b3·share_newly_arrived

fitted with every school weighing the same (SALSA's school-level regression) or, ``weighted``,
by its number of students. The coefficients are consistent for E[share | x] whatever the shares'
distribution; their standard errors are robust (HC1), as Papke & Wooldridge recommend.

How far a school's share can lie from μ has two parts: schools with the same background differ,
and a school of n students shows its share with binomial noise. The standard model for both is
the beta-binomial (Williams 1982): the number of students passing is BetaBinomial(n, μ, ρ), with
ρ the intra-school correlation, so Var(share) = μ(1 − μ)(1 + (n − 1)ρ) / n. ρ is estimated by
moments from the m schools in the fit::

    ρ̂ = max(0, (Σ r² · m / (m − 4) − Σ v / n) / Σ v(n − 1) / n),   r = share − μ̂, v = μ̂(1 − μ̂)

The uncertainty of μ̂ itself (x'Σx on the logit scale, Σ the coefficients' covariance; delta
method: v²·x'Σx on the share scale) is added to each school's variance by raising its ρ to
ρ̂ + n·v·x'Σx / (n − 1). The 95 % prediction interval is the 2.5th and 97.5th percentile of
that beta-binomial, divided by n (widened to include μ̂ where a tiny school's discrete
percentiles would miss it): a share a school of that size can actually reach, always within
0-100 %, wider for a small school, and at least 95 % coverage (the shares are discrete, so a
school of 20 at 100 % is not flagged when 100 % is a common result for its background).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from likvard_core.analytics.adjusted.school_results import BACKGROUND

_MIN_RHO = 1e-9
"""The beta-binomial needs ρ > 0; at ρ → 0 it is the binomial."""
_MAX_RHO = 0.999


@dataclass(frozen=True, slots=True)
class ShareFit:
    """The numbers a fractional-logit fit reports (the same as the linear fit's diagnostics)."""

    params: np.ndarray
    std_errors: np.ndarray
    p_values: np.ndarray
    nobs: int
    r_squared: float
    adj_r_squared: float
    residual_std_error: float
    f_p_value: float
    dispersion: float
    intra_school: float


def _exog(frame: pd.DataFrame) -> np.ndarray:
    values = frame[list(BACKGROUND)].to_numpy(np.float64)
    return np.column_stack([np.ones(len(values)), values])


def fit_share_model(
    frame: pd.DataFrame,
    *,
    outcome: str,
    weighted: bool,
    alpha: float = 0.05,
    weight: str = "n_students",
) -> tuple[pd.DataFrame, ShareFit]:
    """Fit the fractional-logit model on ``frame`` rows with ``in_model`` true.

    Returns the frame with ``model_value`` (μ̂, 0-1), ``residual`` (share minus μ̂) and the
    ``1 - alpha`` prediction interval ``prediction_low/high`` (within 0-1) for every row with
    known background (also rows outside the fit, with their own weight), and the fit's numbers.
    """
    import statsmodels.api as sm  # noqa: PLC0415 (seconds to import; only fits need it)

    fitted = frame[frame["in_model"]]
    exog = _exog(fitted)
    endog = fitted[outcome].to_numpy(np.float64)
    weights = fitted[weight].to_numpy(np.float64) if weighted else np.ones(len(fitted))
    model = sm.GLM(endog, exog, family=sm.families.Binomial(), var_weights=weights)
    result = model.fit(cov_type="HC1", use_t=True)
    params = np.asarray(result.params, dtype=np.float64)
    df_resid = float(result.df_resid)
    dispersion = float(result.pearson_chi2) / df_resid
    rho = _intra_school(endog, np.asarray(result.fittedvalues), fitted[weight], df_resid)
    known = frame[list(BACKGROUND)].notna().all(axis=1).to_numpy()
    out = frame.assign(model_value=np.nan, prediction_low=np.nan, prediction_high=np.nan)
    if known.any():
        rows = _exog(frame.loc[known])
        eta = rows @ params
        mu = special.expit(eta)
        size = np.maximum(frame.loc[known, weight].to_numpy(np.float64), 1.0)
        eta_variance = np.einsum("ij,jk,ik->i", rows, np.asarray(result.cov_params()), rows)
        low, high = _beta_binomial_interval(mu, size, rho, eta_variance, alpha)
        out.loc[known, "model_value"] = mu
        out.loc[known, "prediction_low"] = low
        out.loc[known, "prediction_high"] = high
    out["residual"] = out[outcome] - out["model_value"]
    return out, _share_fit(result, endog, weights, params, dispersion, df_resid, rho)


def _intra_school(share: np.ndarray, mu: np.ndarray, size: pd.Series, df_resid: float) -> float:
    """ρ̂: the intra-school correlation of the beta-binomial, by moments (0 when none)."""
    v = mu * (1.0 - mu)
    n = np.maximum(size.to_numpy(np.float64), 1.0)
    excess = float(np.sum((share - mu) ** 2)) * len(share) / df_resid - float(np.sum(v / n))
    scale = float(np.sum(v * (n - 1.0) / n))
    return min(max(0.0, excess / scale), _MAX_RHO) if scale > 0 else 0.0


def _beta_binomial_interval(
    mu: np.ndarray, size: np.ndarray, rho: float, eta_variance: np.ndarray, alpha: float
) -> tuple[np.ndarray, np.ndarray]:
    """The ``alpha / 2`` and ``1 - alpha / 2`` percentiles of each school's share."""
    v = mu * (1.0 - mu)
    extra = np.where(size > 1, size * v * eta_variance / np.maximum(size - 1.0, 1.0), 0.0)
    each = np.clip(rho + extra, _MIN_RHO, _MAX_RHO)
    a, b = mu * (1.0 - each) / each, (1.0 - mu) * (1.0 - each) / each
    low_k, high_k = betabinom_quantiles((alpha / 2, 1 - alpha / 2), size, a, b)
    low = np.minimum(low_k / size, mu)
    high = np.maximum(high_k / size, mu)
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)


def betabinom_quantiles(
    qs: tuple[float, ...], size: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, ...]:
    """``stats.betabinom.ppf(q, size, a, b)`` for each ``q`` in ``qs``, the very same numbers.

    scipy's discrete ``ppf`` bisects every element in Python, summing the probabilities
    ``0..c`` again through its generic machinery at each step (at national scale 19,236
    quantiles took 97,697 such sums: a minute). Here each element's probabilities are computed
    once, by scipy's own ``_pmf`` over its whole support with the element's own parameters
    (as scipy computes them), and the quantile is read from their running sum: the smallest
    ``k`` whose sum reaches ``q``. scipy's bisection compares ``np.sum(pmf[:c + 1])`` with
    ``q``; both sums of the same numbers lie within ``(n + 1)`` rounding units of the exact
    one, so where the running sums just before and at ``k`` are farther from ``q`` than twice
    that, every comparison of scipy's bisection comes out as the exact one and it ends at the
    same ``k``. Nearer (a sum on ``q`` or within rounding of it), scipy's bisection itself is
    run on the same probabilities (``_bisect``). Every quantile equals scipy's, bit for bit
    (``tests/core/analytics/adjusted/test_share_quantiles.py``). Each ``q`` lies strictly
    between 0 and 1; an element scipy finds invalid (``n`` not a whole number ≥ 0, ``a`` or
    ``b`` not positive) is NaN, as there.
    """
    if not all(0.0 < q < 1.0 for q in qs):
        raise ValueError("each quantile must lie strictly between 0 and 1")
    n_all, a_all, b_all = np.broadcast_arrays(
        np.asarray(size, np.float64), np.asarray(a, np.float64), np.asarray(b, np.float64)
    )
    out = [np.full(n_all.shape, np.nan) for _ in qs]
    valid = np.asarray(stats.betabinom._argcheck(n_all, a_all, b_all), dtype=bool)
    pmf_of = stats.betabinom._pmf  # the very function scipy's ppf sums
    unit = np.finfo(np.float64).eps
    places = np.flatnonzero(valid.ravel())
    sizes = n_all.ravel()[places]
    flat = [o.reshape(-1) for o in out]  # views: filling them fills ``out``
    for n in np.unique(sizes):  # the elements of one size at once, each in its own column
        chosen = places[sizes == n]
        for start in range(0, len(chosen), _COLUMNS):
            _quantiles_of_size(
                qs, float(n), chosen[start : start + _COLUMNS], a_all.ravel(), b_all.ravel(),
                flat, pmf_of, unit,
            )  # fmt: skip
    return tuple(out)


_COLUMNS = 512
"""Elements of one size whose probabilities are computed together (a block of at most
``(n + 1) x 512`` floats)."""


def _quantiles_of_size(  # noqa: PLR0917 (private; one call site)
    qs: tuple[float, ...],
    n: float,
    chosen: np.ndarray,
    a_flat: np.ndarray,
    b_flat: np.ndarray,
    out: list[np.ndarray],
    pmf_of: Callable[..., np.ndarray],
    unit: float,
) -> None:
    """``betabinom_quantiles`` of the elements ``chosen`` (flat positions), all of size
    ``n``: each column holds one element's probabilities over ``0..n``, computed by the same
    elementwise functions with the same arguments as one element alone, so the same bits; a
    column's running sum adds its own numbers in the same order as ``np.cumsum`` of one."""
    last = int(n)
    support = np.arange(0, last + 1)[:, None]
    pmf = pmf_of(support, n, a_flat[chosen][None, :], b_flat[chosen][None, :])
    running = np.cumsum(pmf, axis=0)
    margin = 4.0 * (last + 1) * unit
    for q, target in zip(qs, out, strict=True):
        below = np.sum(running < q, axis=0)  # searchsorted(left) of a non-decreasing column
        for column, place in enumerate(chosen):
            k = min(int(below[column]), last)
            clear = (k == 0 or q - running[k - 1, column] > margin) and (
                k == last or running[k, column] - q > margin
            )
            column_pmf = np.ascontiguousarray(pmf[:, column])
            target[place] = float(k) if clear else _bisect(column_pmf, n, q)


def _bisect(pmf: np.ndarray, n: float, q: float) -> float:
    """scipy's ``_drv2_ppfsingle`` on a support ``0..n`` with ``cdf(c) = np.sum(pmf[:c + 1])``."""
    a: float = 0
    b: float = n
    qb = 1.0
    qa = float(np.sum(pmf[:1], axis=0))
    for _ in range(2046):
        if qa == q:
            return float(a)
        if qb == q:
            return float(b)
        if b <= a + 1:
            return float(a) if qa > q else float(b)
        c = int((a + b) / 2.0)
        qc = float(np.sum(pmf[: c + 1], axis=0))
        if qc < q:
            if a == c:
                raise RuntimeError("updating stopped, endless loop")
            a, qa = c, qc
        elif qc > q:
            if b == c:
                raise RuntimeError("updating stopped, endless loop")
            b, qb = c, qc
        else:
            return float(c)
    return float("nan")


def _share_fit(  # noqa: PLR0917 (private; one call site passes the fit's parts)
    result: object,
    endog: np.ndarray,
    weights: np.ndarray,
    params: np.ndarray,
    dispersion: float,
    df_resid: float,
    rho: float,
) -> ShareFit:
    """R² on the share scale (weighted like the fit), and a Wald F test of the background."""
    mu = np.asarray(result.fittedvalues, dtype=np.float64)  # type: ignore[attr-defined]
    mean = np.average(endog, weights=weights)
    ss_res = float(np.sum(weights * (endog - mu) ** 2))
    ss_tot = float(np.sum(weights * (endog - mean) ** 2))
    n, k = len(endog), len(params)
    r_squared = 1.0 - ss_res / ss_tot if ss_tot > 0 else float("nan")
    restriction = np.eye(k)[1:]
    wald = result.wald_test(restriction, use_f=True, scalar=True)  # type: ignore[attr-defined]
    return ShareFit(
        params=params,
        std_errors=np.asarray(result.bse, dtype=np.float64),  # type: ignore[attr-defined]
        p_values=np.asarray(result.pvalues, dtype=np.float64),  # type: ignore[attr-defined]
        nobs=n,
        r_squared=r_squared,
        adj_r_squared=1.0 - (1.0 - r_squared) * (n - 1) / df_resid,
        residual_std_error=float(np.sqrt(ss_res / df_resid)),
        f_p_value=float(wald.pvalue),
        dispersion=dispersion,
        intra_school=rho,
    )

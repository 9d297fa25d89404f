"""The one school-level model fit behind every adjusted result (year 9 and upper secondary).

A school result is modelled on the students' background (``BACKGROUND``: mean parents'
education level, share of boys, share of newly arrived), separately in each stratum (school
year; for upper secondary also the programme type). Points (merit value, GBP) get an OLS (or
WLS, weighted by the number of students) regression with its interval kept within the scale;
shares get a fractional-logit GLM (``share_model``) whose values and intervals stay within
0-100 %. Every school gets a model value, a residual (actual minus model value) and a
prediction interval; each fit reports its diagnostics for analysts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from likvard_core.analytics.adjusted.school_results import BACKGROUND
from likvard_core.analytics.adjusted.share_model import ShareFit, fit_share_model

if TYPE_CHECKING:
    import statsmodels.api as sm

CONSTANT = "const"


class Outcome(StrEnum):
    """The school result the model explains (the name of its column)."""

    MERIT_VALUE = "merit_value"
    SHARE_PASSING_ALL = "share_passing_all"
    SHARE_DIPLOMA = "share_diploma"
    GRADE_POINT_AVERAGE = "grade_point_average"


YEAR9_OUTCOMES = (Outcome.MERIT_VALUE, Outcome.SHARE_PASSING_ALL)
UPPER_SECONDARY_OUTCOMES = (Outcome.SHARE_DIPLOMA, Outcome.GRADE_POINT_AVERAGE)
SHARE_OUTCOMES = (Outcome.SHARE_PASSING_ALL, Outcome.SHARE_DIPLOMA)
SCALES: dict[Outcome, tuple[float, float]] = {
    Outcome.MERIT_VALUE: (0.0, 340.0),
    Outcome.SHARE_PASSING_ALL: (0.0, 1.0),
    Outcome.SHARE_DIPLOMA: (0.0, 1.0),
    Outcome.GRADE_POINT_AVERAGE: (0.0, 20.0),
}
"""The possible range of each outcome: model values and intervals never leave it."""


class ModelKind(StrEnum):
    """Which model a fit is: a linear regression (points) or a fractional logit (shares)."""

    LINEAR = "linear"
    FRACTIONAL_LOGIT = "fractional_logit"


def model_kind(outcome: Outcome) -> ModelKind:
    """Shares are fitted by the fractional logit, points by the linear regression."""
    return ModelKind.FRACTIONAL_LOGIT if outcome in SHARE_OUTCOMES else ModelKind.LINEAR


@dataclass(frozen=True, slots=True)
class Coefficient:
    """One fitted coefficient with its standard error and two-sided p-value."""

    name: str
    estimate: float
    std_error: float
    p_value: float = float("nan")


@dataclass(frozen=True, slots=True)
class FitDiagnostics:
    """How well one stratum's model fits: R², adjusted R², residual standard error, n, terms.

    ``stratum`` names the sub-population besides the school year ("" for year 9; the
    programme type for upper secondary). ``f_p_value`` tests all background terms at once.
    """

    school_year: int
    outcome: Outcome
    weighted: bool
    n: int
    r_squared: float
    adj_r_squared: float
    residual_std_error: float
    coefficients: tuple[Coefficient, ...]
    stratum: str = ""
    f_p_value: float = float("nan")
    model: ModelKind = ModelKind.LINEAR
    dispersion: float = float("nan")
    """The fractional logit's φ (Pearson χ² / residual df); NaN for the linear model."""

    def coefficient_map(self) -> dict[str, float]:
        """The estimates by name, ready for ``salsa_expected``."""
        return {c.name: c.estimate for c in self.coefficients}


def share_diagnostics(
    fit: ShareFit, *, year: int, outcome: Outcome, weighted: bool, stratum: str = ""
) -> FitDiagnostics:
    """The ``FitDiagnostics`` of one fractional-logit fit (coefficients on the logit scale)."""
    names = (CONSTANT, *BACKGROUND)
    return FitDiagnostics(
        school_year=year,
        outcome=outcome,
        weighted=weighted,
        n=fit.nobs,
        r_squared=fit.r_squared,
        adj_r_squared=fit.adj_r_squared,
        residual_std_error=fit.residual_std_error,
        coefficients=tuple(
            Coefficient(name, float(b), float(se), float(p))
            for name, b, se, p in zip(names, fit.params, fit.std_errors, fit.p_values, strict=True)
        ),
        stratum=stratum,
        f_p_value=fit.f_p_value,
        model=ModelKind.FRACTIONAL_LOGIT,
        dispersion=fit.dispersion,
    )


def within_scale(frame: pd.DataFrame, outcome: Outcome) -> pd.DataFrame:
    """``frame`` with the model value and interval bounds clipped to the outcome's scale.

    Only the linear model can leave it (a merit value over 340, GBP under 0); the residual is
    recomputed from the clipped model value.
    """
    low, high = SCALES[outcome]
    columns = ["model_value", "prediction_low", "prediction_high"]
    out = frame.assign(**{c: frame[c].clip(low, high) for c in columns})
    out["residual"] = out[outcome.value] - out["model_value"]
    return out


def fit_school_model(
    frame: pd.DataFrame,
    *,
    outcome: Outcome | str,
    weighted: bool,
    alpha: float = 0.05,
    weight: str = "n_students",
) -> tuple[pd.DataFrame, sm.regression.linear_model.RegressionResults]:
    """Fit OLS (or WLS weighted by ``weight``) on ``frame`` rows with ``in_model`` true.

    Returns the frame with ``model_value``, ``residual`` and the ``1 - alpha`` prediction
    interval for every row (also rows outside the fit) and the statsmodels result.
    """
    import statsmodels.api as sm  # noqa: PLC0415 (seconds to import; only fits need it)

    column = str(outcome)
    fitted = frame[frame["in_model"]]
    exog = sm.add_constant(fitted[list(BACKGROUND)].to_numpy(np.float64), has_constant="add")
    endog = fitted[column].to_numpy(np.float64)
    if weighted:
        model = sm.WLS(endog, exog, weights=fitted[weight].to_numpy(np.float64))
    else:
        model = sm.OLS(endog, exog)
    result = model.fit()
    known = frame[list(BACKGROUND)].notna().all(axis=1).to_numpy()
    out = frame.assign(model_value=np.nan, prediction_low=np.nan, prediction_high=np.nan)
    if known.any():
        all_exog = sm.add_constant(
            frame.loc[known, list(BACKGROUND)].to_numpy(np.float64), has_constant="add"
        )
        weights = frame.loc[known, weight].to_numpy(np.float64) if weighted else None
        summary = result.get_prediction(all_exog, weights=weights).summary_frame(alpha=alpha)
        out.loc[known, "model_value"] = summary["mean"].to_numpy()
        out.loc[known, "prediction_low"] = summary["obs_ci_lower"].to_numpy()
        out.loc[known, "prediction_high"] = summary["obs_ci_upper"].to_numpy()
    out["residual"] = out[column] - out["model_value"]
    return out, result


def diagnostics_of(
    result: sm.regression.linear_model.RegressionResults,
    *,
    year: int,
    outcome: Outcome,
    weighted: bool,
    stratum: str = "",
) -> FitDiagnostics:
    """The ``FitDiagnostics`` of one statsmodels result."""
    names = (CONSTANT, *BACKGROUND)
    return FitDiagnostics(
        school_year=year,
        outcome=outcome,
        weighted=weighted,
        n=int(result.nobs),
        r_squared=float(result.rsquared),
        adj_r_squared=float(result.rsquared_adj),
        residual_std_error=float(np.sqrt(result.scale)),
        coefficients=tuple(
            Coefficient(name, float(b), float(se), float(p))
            for name, b, se, p in zip(names, result.params, result.bse, result.pvalues, strict=True)
        ),
        stratum=stratum,
        f_p_value=float(result.f_pvalue),
    )


def fit_by_stratum(
    frame: pd.DataFrame,
    *,
    outcome: Outcome,
    strata: Sequence[str],
    weighted: bool,
    count: str = "n_students",
    min_students: int = 15,
    min_background_coverage: float = 0.75,
) -> tuple[pd.DataFrame, tuple[FitDiagnostics, ...]]:
    """One model per stratum (``strata`` columns, ``school_year`` first) over school rows.

    A school enters the fit (``in_model``) with at least ``min_students`` in ``count``,
    background data for at least ``min_background_coverage`` of them and a known outcome
    (SALSA's publication rule). Shares are fitted by the fractional logit, points by the
    linear model with its values kept within the scale (``SCALES``). A stratum is fitted only
    with more schools than parameters and an outcome that varies; its schools are left out of
    the result otherwise. Returns the
    fitted rows (``model_value``, ``residual``, ``prediction_low/high``, ``in_model``) and the
    diagnostics of every fit, in stratum order.
    """
    column = outcome.value
    frame = frame.assign(
        in_model=(
            (frame[count] >= min_students)
            & (frame["background_coverage"] >= min_background_coverage)
            & frame[list(BACKGROUND)].notna().all(axis=1)
            & frame[column].notna()
        )
    )
    parts: list[pd.DataFrame] = []
    diagnostics: list[FitDiagnostics] = []
    for key, block in frame.groupby(list(strata), sort=True):
        values = key if isinstance(key, tuple) else (key,)
        fitted = block.loc[block["in_model"], column]
        if len(fitted) <= len(BACKGROUND) + 1 or fitted.nunique() < 2:  # noqa: PLR2004
            continue  # too few schools for four parameters and an error, or nothing to explain
        stratum = "/".join(str(v) for v in values[1:])
        year = int(values[0])
        if model_kind(outcome) is ModelKind.FRACTIONAL_LOGIT:
            out, share = fit_share_model(block, outcome=column, weighted=weighted, weight=count)
            diagnostics.append(
                share_diagnostics(
                    share, year=year, outcome=outcome, weighted=weighted, stratum=stratum
                )
            )
        else:
            out, result = fit_school_model(block, outcome=outcome, weighted=weighted, weight=count)
            out = within_scale(out, outcome)
            diagnostics.append(
                diagnostics_of(
                    result, year=year, outcome=outcome, weighted=weighted, stratum=stratum
                )
            )
        parts.append(out)
    columns = [*frame.columns, "model_value", "prediction_low", "prediction_high", "residual"]
    fitted_rows = pd.concat(parts) if parts else pd.DataFrame(columns=columns)
    return fitted_rows, tuple(diagnostics)

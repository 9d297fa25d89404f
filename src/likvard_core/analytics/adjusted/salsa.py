"""A SALSA-style school-level model: results adjusted for the students' background.

Per school year, an OLS regression at school level of the outcome (mean merit value, or share
passing all subjects) on the mean parents' education level, the share of boys and the share of
newly arrived students (Skolverket's SALSA model form, ``docs/analyses/adjusted.md``). The
model value is what a school with that composition would get at the average relation; the
residual is actual minus model value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd
import pyarrow as pa
import statsmodels.api as sm

from likvard_core.analytics.adjusted.school_results import BACKGROUND, school_results
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.stats._arrays import ArrayLike, FloatArray, as_float_array
from likvard_core.warehouse.schema import ENROLMENTS
from likvard_core.warehouse.snapshot import Snapshot

CONSTANT = "const"
SALSA_2015_16_MERIT: dict[str, float] = {
    CONSTANT: 93.567,
    "parents_education": 69.846,
    "share_boys": -35.271,
    "share_newly_arrived": -83.641,
}
"""Skolverket's published 2015/16 merit-value coefficients (1,443 schools, R² 0.585)."""

DIMS: tuple[str, ...] = ("school_unit_code", "school_year")
VALUES: tuple[str, ...] = (
    "actual",
    "model_value",
    "residual",
    "prediction_low",
    "prediction_high",
    "in_model",
    *BACKGROUND,
    "background_coverage",
)

SCHEMA = pa.schema(
    [
        ("school_unit_code", pa.string()),
        ("school_year", pa.int16()),
        ("n_students", pa.int64()),
        *((name, pa.float64()) for name in VALUES if name != "in_model"),
    ]
).insert(8, pa.field("in_model", pa.bool_()))
"""Columns of the ``salsa_by_school`` aggregate table."""


class Outcome(StrEnum):
    """The school result the model explains."""

    MERIT_VALUE = "merit_value"
    SHARE_PASSING_ALL = "share_passing_all"


@dataclass(frozen=True, slots=True)
class Coefficient:
    """One fitted coefficient with its standard error."""

    name: str
    estimate: float
    std_error: float


@dataclass(frozen=True, slots=True)
class FitDiagnostics:
    """How well one year's model fits: R², adjusted R², residual standard error, n, terms."""

    school_year: int
    outcome: Outcome
    weighted: bool
    n: int
    r_squared: float
    adj_r_squared: float
    residual_std_error: float
    coefficients: tuple[Coefficient, ...]

    def coefficient_map(self) -> dict[str, float]:
        """The estimates by name, ready for :func:`salsa_expected`."""
        return {c.name: c.estimate for c in self.coefficients}


@dataclass(frozen=True, slots=True)
class SalsaFit:
    """Per-school model values (an ``Aggregate``) and the fit diagnostics of each year."""

    aggregate: Aggregate
    diagnostics: tuple[FitDiagnostics, ...]


def salsa_expected(
    coefficients: Mapping[str, float], background: pa.Table | Mapping[str, ArrayLike]
) -> FloatArray:
    """Model values ``const + sum(coef * variable)`` for each row of ``background``.

    ``coefficients`` maps ``"const"`` and each background column name to its coefficient
    (e.g. ``SALSA_2015_16_MERIT``); shares are 0-1. Returns one float per row, NaN where a
    background value is missing.
    """
    columns = (
        {n: background.column(n) for n in BACKGROUND}
        if isinstance(background, pa.Table)
        else dict(background)
    )
    result: FloatArray = np.asarray(coefficients.get(CONSTANT, 0.0), dtype=np.float64)
    for name, coefficient in coefficients.items():
        if name != CONSTANT:
            result = result + coefficient * as_float_array(columns[name])
    return np.atleast_1d(result).astype(np.float64)


def fit_school_model(
    frame: pd.DataFrame, *, outcome: Outcome, weighted: bool, alpha: float = 0.05
) -> tuple[pd.DataFrame, sm.regression.linear_model.RegressionResults]:
    """Fit OLS (or WLS weighted by ``n_students``) on ``frame`` rows with ``in_model`` true.

    Returns the frame with ``model_value``, ``residual`` and the ``1 - alpha`` prediction
    interval for every row (also rows outside the fit) and the statsmodels result.
    """
    fitted = frame[frame["in_model"]]
    exog = sm.add_constant(fitted[list(BACKGROUND)].to_numpy(np.float64), has_constant="add")
    endog = fitted[outcome.value].to_numpy(np.float64)
    if weighted:
        model = sm.WLS(endog, exog, weights=fitted["n_students"].to_numpy(np.float64))
    else:
        model = sm.OLS(endog, exog)
    result = model.fit()
    known = frame[list(BACKGROUND)].notna().all(axis=1).to_numpy()
    out = frame.assign(model_value=np.nan, prediction_low=np.nan, prediction_high=np.nan)
    if known.any():
        all_exog = sm.add_constant(
            frame.loc[known, list(BACKGROUND)].to_numpy(np.float64), has_constant="add"
        )
        weights = frame.loc[known, "n_students"].to_numpy(np.float64) if weighted else None
        summary = result.get_prediction(all_exog, weights=weights).summary_frame(alpha=alpha)
        out.loc[known, "model_value"] = summary["mean"].to_numpy()
        out.loc[known, "prediction_low"] = summary["obs_ci_lower"].to_numpy()
        out.loc[known, "prediction_high"] = summary["obs_ci_upper"].to_numpy()
    out["residual"] = out[outcome.value] - out["model_value"]
    return out, result


def _diagnostics(
    result: sm.regression.linear_model.RegressionResults,
    *,
    year: int,
    outcome: Outcome,
    weighted: bool,
) -> FitDiagnostics:
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
            Coefficient(name, float(b), float(se))
            for name, b, se in zip(names, result.params, result.bse, strict=True)
        ),
    )


def _population(db: Snapshot, table: pa.Table) -> Population:
    units = sorted(set(table.column("school_unit_code").to_pylist()))
    years = sorted(set(table.column("school_year").to_pylist()))
    sql = (
        f"SELECT DISTINCT organizer_code FROM {ENROLMENTS.name} "
        "WHERE list_contains(?, school_unit_code) AND list_contains(?, school_year)"
    )
    organizers = db.query(sql, [units, years]).column("organizer_code").to_pylist()
    span = f"{years[0]}-{years[-1]}" if years else "none"
    return Population(
        scope=f"adjusted.salsa/units:{len(units)}/years:{span}",
        organizers=frozenset(organizers),
        level=Level.SCHOOL_UNIT,
    )


def salsa_by_school(
    db: Snapshot,
    *,
    years: Sequence[int] | None = None,
    outcome: Outcome | str = Outcome.MERIT_VALUE,
    weighted: bool = False,
    min_students: int = 15,
    min_background_coverage: float = 0.75,
) -> SalsaFit:
    """Actual result, model value, residual and 95 % prediction interval per school and year.

    One model per school year, fitted on the school units with at least ``min_students``
    year-9 students and background data for at least ``min_background_coverage`` of them
    (SALSA's publication rule; ``in_model``). Schools outside the fit still get a model value
    from that year's coefficients when their background is known. ``weighted=True`` fits WLS
    with the number of students as weights (Skolverket's SALSA is unweighted). The aggregate's
    count is ``n_students``; ``actual`` is the chosen outcome (merit points, or a share 0-1).
    """
    chosen = Outcome(outcome)
    frame = school_results(db, years=years).to_pandas()
    frame["in_model"] = (
        (frame["n_students"] >= min_students)
        & (frame["background_coverage"] >= min_background_coverage)
        & frame[list(BACKGROUND)].notna().all(axis=1)
    )
    parts, diagnostics = [], []
    for year, block in frame.groupby("school_year", sort=True):
        if int(block["in_model"].sum()) <= len(BACKGROUND) + 1:
            continue  # too few schools to fit four parameters and estimate the error
        fitted, result = fit_school_model(block, outcome=chosen, weighted=weighted)
        parts.append(fitted)
        diagnostics.append(_diagnostics(result, year=int(year), outcome=chosen, weighted=weighted))
    columns = [*DIMS, "n_students", *VALUES]
    out = pd.concat(parts) if parts else pd.DataFrame(columns=[*columns, chosen.value])
    out = out.assign(actual=out[chosen.value]).reindex(columns=columns)
    table = pa.Table.from_pandas(out, schema=SCHEMA, preserve_index=False)
    return SalsaFit(
        aggregate=Aggregate(
            table=table,
            dims=DIMS,
            count="n_students",
            values=VALUES,
            population=_population(db, table),
            data_version=db.version,
        ),
        diagnostics=tuple(diagnostics),
    )

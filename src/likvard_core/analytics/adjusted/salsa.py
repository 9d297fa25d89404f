"""A SALSA-style school-level model: results adjusted for the students' background.

Per school year, an OLS regression at school level of the outcome (mean merit value, or share
passing all subjects) on the mean parents' education level, the share of boys and the share of
newly arrived students (Skolverket's SALSA model form, ``docs/analyses/adjusted.md``). The
model value is what a school with that composition would get at the average relation; the
residual is actual minus model value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa

from likvard_core.analytics.adjusted.model import (
    CONSTANT,
    YEAR9_OUTCOMES,
    Coefficient,
    FitDiagnostics,
    Outcome,
    fit_by_stratum,
    fit_school_model,
)
from likvard_core.analytics.adjusted.school_results import BACKGROUND, school_results
from likvard_core.analytics.adjusted.table import ModelFit, fitted_layout, fitted_model
from likvard_core.stats._arrays import ArrayLike, FloatArray, as_float_array
from likvard_core.warehouse.snapshot import Snapshot

__all__ = [
    "SALSA_2015_16_MERIT",
    "Coefficient",
    "FitDiagnostics",
    "Outcome",
    "SalsaFit",
    "fit_school_model",
    "salsa_by_school",
    "salsa_expected",
]

SALSA_2015_16_MERIT: dict[str, float] = {
    CONSTANT: 93.567,
    "parents_education": 69.846,
    "share_boys": -35.271,
    "share_newly_arrived": -83.641,
}
"""Skolverket's published 2015/16 merit-value coefficients (1,443 schools, R² 0.585)."""

LAYOUT = fitted_layout([("school_unit_code", pa.string()), ("school_year", pa.int16())])
"""Dimensions, values and columns of the ``salsa_by_school`` aggregate table."""
DIMS, VALUES, SCHEMA = LAYOUT.dims, LAYOUT.values, LAYOUT.schema


SalsaFit = ModelFit
"""Per-school model values (an ``Aggregate``) and the fit diagnostics of each year."""


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


def salsa_by_school(
    db: Snapshot,
    *,
    years: Sequence[int] | None = None,
    outcome: Outcome | str = Outcome.MERIT_VALUE,
    weighted: bool = False,
    min_students: int = 15,
    min_background_coverage: float = 0.75,
    school_units: Sequence[str] | None = None,
) -> SalsaFit:
    """Actual result, model value, residual and 95 % prediction interval per school and year.

    One model per school year, fitted on the school units with at least ``min_students``
    year-9 students and background data for at least ``min_background_coverage`` of them
    (SALSA's publication rule; ``in_model``). Schools outside the fit still get a model value
    from that year's coefficients when their background is known. ``weighted=True`` fits WLS
    with the number of students as weights (Skolverket's SALSA is unweighted). The aggregate's
    count is ``n_students``; ``actual`` is the chosen outcome (merit points, or a share 0-1).
    ``deviation`` is ``above``/``below`` for a school in the fit whose result lies outside its
    prediction interval, with a plain Swedish ``deviation_reason``. ``school_units`` keeps
    only those units' rows (and population); the models are still fitted on every school.
    """
    chosen = Outcome(outcome)
    if chosen not in YEAR9_OUTCOMES:
        raise ValueError(f"not a year-9 outcome: {chosen}")
    frame = school_results(db, years=years).to_pandas()
    fitted, diagnostics = fit_by_stratum(
        frame,
        outcome=chosen,
        strata=("school_year",),
        weighted=weighted,
        min_students=min_students,
        min_background_coverage=min_background_coverage,
    )
    return fitted_model(
        db,
        fitted,
        diagnostics,
        layout=LAYOUT,
        outcome=chosen,
        school_units=school_units,
        scope="adjusted.salsa",
    )

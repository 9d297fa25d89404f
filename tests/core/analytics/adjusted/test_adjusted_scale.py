"""Adjusted results stay within their scale, and one classification marks every row."""

import numpy as np
import pandas as pd
import pytest

from likvard_core.analytics.adjusted.model import SCALES, Outcome, fit_by_stratum
from likvard_core.analytics.adjusted.reasons import Assessment, classify, with_deviation


def _schools(seed: int = 4, schools: int = 60) -> pd.DataFrame:
    """School rows whose pass rate rises steeply with education: a line overshoots 100 %."""
    rng = np.random.default_rng(seed)
    education = rng.uniform(1.0, 3.0, schools)
    boys = rng.uniform(0.35, 0.65, schools)
    newly = rng.uniform(0.0, 0.3, schools)
    size = rng.integers(15, 80, schools)
    share = 1 / (1 + np.exp(-(-4.0 + 2.6 * education - 2.0 * newly)))
    share = share * np.exp(rng.normal(0, 0.05, schools))
    passing = rng.binomial(size, np.clip(share, 0, 1)) / size
    merit = 60 + 90 * education - 30 * boys - 80 * newly + rng.normal(0, 15, schools)
    frame = pd.DataFrame(
        {
            "school_unit_code": [f"{50000000 + i}" for i in range(schools)],
            "school_year": 2025,
            "n_students": size,
            "share_passing_all": passing,
            "merit_value": merit,
            "parents_education": education,
            "share_boys": boys,
            "share_newly_arrived": newly,
            "background_coverage": 1.0,
        }
    )
    extremes = pd.DataFrame(  # small schools outside the fit, beyond the fitted background
        {
            "school_unit_code": ["59999998", "59999999"],
            "school_year": 2025,
            "n_students": [6, 5],
            "share_passing_all": [1.0, 0.0],
            "merit_value": [335.0, 40.0],
            "parents_education": [4.5, 0.2],
            "share_boys": [0.2, 0.9],
            "share_newly_arrived": [0.0, 0.9],
            "background_coverage": 1.0,
        }
    )
    return pd.concat([frame, extremes], ignore_index=True)


@pytest.mark.parametrize("outcome", [Outcome.SHARE_PASSING_ALL, Outcome.MERIT_VALUE])
@pytest.mark.parametrize("weighted", [False, True])
def test_model_values_and_intervals_stay_within_the_scale(outcome, weighted):
    fitted, (diagnostics,) = fit_by_stratum(
        _schools(), outcome=outcome, strata=("school_year",), weighted=weighted
    )
    low, high = SCALES[outcome]
    for column in ("model_value", "prediction_low", "prediction_high"):
        assert fitted[column].between(low, high).all(), column
    assert (fitted["prediction_low"] <= fitted["model_value"]).all()
    assert (fitted["model_value"] <= fitted["prediction_high"]).all()
    np.testing.assert_allclose(
        fitted["residual"], fitted[outcome.value] - fitted["model_value"], atol=1e-12
    )
    assert diagnostics.r_squared > 0.3


def test_a_share_interval_is_wider_for_a_small_school():
    frame = _schools()
    frame = pd.concat([frame.iloc[[0]].assign(n_students=200), frame], ignore_index=True)
    frame.loc[0, "school_unit_code"] = "big"
    frame.loc[1, "n_students"] = 15
    fitted, _ = fit_by_stratum(
        frame, outcome=Outcome.SHARE_PASSING_ALL, strata=("school_year",), weighted=False
    )
    width = (fitted["prediction_high"] - fitted["prediction_low"]).to_numpy()
    assert width[0] < width[1]


def test_share_intervals_cover_about_95_percent_of_fitted_schools():
    flagged = []
    for seed in range(6):
        fitted, _ = fit_by_stratum(
            _schools(seed, 120),
            outcome=Outcome.SHARE_PASSING_ALL,
            strata=("school_year",),
            weighted=False,
        )
        inside = fitted[fitted["in_model"]]
        outside = (inside["share_passing_all"] > inside["prediction_high"]) | (
            inside["share_passing_all"] < inside["prediction_low"]
        )
        flagged.append(outside.mean())
    assert 0.0 < np.mean(flagged) <= 0.08


def test_one_classification_marks_every_row():
    frame = pd.DataFrame(
        {
            "school_year": 2016,
            "actual": [300.0, 100.0, 200.0, 120.0, np.nan],
            "model_value": [200.0, 200.0, 200.0, 168.0, 200.0],
            "prediction_low": [160.0, 160.0, 160.0, 130.0, 160.0],
            "prediction_high": [240.0, 240.0, 240.0, 206.0, 240.0],
            "in_model": [True, True, True, False, False],
        }
    )
    assert classify(frame) == [
        Assessment.ABOVE,
        Assessment.BELOW,
        Assessment.WITHIN,
        Assessment.OUTSIDE_MODEL,  # far outside its interval, but not held to it
        Assessment.OUTSIDE_MODEL,
    ]
    marked = with_deviation(frame, outcome=Outcome.MERIT_VALUE)
    assert marked["assessment"].tolist()[3] == "outside_model"
    deviation = [None if pd.isna(v) else v for v in marked["deviation"]]
    assert deviation == ["above", "below", None, None, None]

"""Expected values (shared SALSA-style model) and public statistics by catalogue revision."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from likvard_core.analytics.adjusted.school_results import school_results
from likvard_core.analytics.quality.catalogue import load_catalogue
from likvard_core.analytics.quality.comparison import comparison_group
from likvard_core.analytics.quality.expected import expected_values
from likvard_core.analytics.quality.indicators import indicator_values
from likvard_core.analytics.quality.public import public_indicator_values
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.quality.tiny_warehouse import model_tables, saturated_tables


@pytest.fixture(scope="module")
def salsa_db():
    with Snapshot.from_tables(model_tables(30, seed=7), version="salsa") as db:
        yield db


BACKGROUND_COLUMNS = ["parents_education", "share_boys", "share_newly_arrived"]


def _in_model(db: Snapshot, values, indicator: str):
    """The units the model is fitted on, with their background and the indicator (value, n)."""
    frame = school_results(db, years=[2025]).to_pandas()
    frame = frame[(frame["n_students"] >= 15) & (frame["background_coverage"] >= 0.75)]
    rows = values.model_input.to_pandas()
    rows = rows[rows["indicator"] == indicator][["school_unit_code", "n", "value"]]
    fit = frame.merge(rows, on="school_unit_code")
    x = np.column_stack([np.ones(len(fit)), fit[BACKGROUND_COLUMNS].to_numpy()])
    return fit, x


def _fractional_logit(x: np.ndarray, share: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The weighted quasi-binomial estimate by Newton's method: Σ w x (y - expit(x b)) = 0."""
    beta = np.zeros(x.shape[1])
    for _ in range(100):
        mu = 1.0 / (1.0 + np.exp(-(x @ beta)))
        step = np.linalg.solve(
            x.T @ (x * (weights * mu * (1 - mu))[:, None]), x.T @ (weights * (share - mu))
        )
        beta += step
        if np.abs(step).max() < 1e-12:
            break
    return beta


def test_expected_shares_equal_an_independent_fractional_logit_fit(salsa_db):
    values = indicator_values(salsa_db, years=[2025], indicators=["gr9_pass_all"])
    units, organizers = expected_values(salsa_db, values, year=2025, indicators=["gr9_pass_all"])
    fit, x = _in_model(salsa_db, values, "gr9_pass_all")
    beta = _fractional_logit(x, fit["value"].to_numpy() / 100.0, fit["n"].to_numpy(float))
    rows = units.table.to_pandas().set_index("school_unit_code")
    for code, xi in zip(fit["school_unit_code"], x, strict=True):
        expected = 100.0 / (1.0 + np.exp(-(xi @ beta)))  # the indicator is in percent
        assert rows.loc[code, "expected"] == pytest.approx(expected, rel=1e-6)
        assert 0 <= rows.loc[code, "expected_low"] < rows.loc[code, "expected"]
        assert rows.loc[code, "expected"] < rows.loc[code, "expected_high"] <= 100
    organizer = organizers.table.to_pylist()[0]
    weights = rows["n"] / rows["n"].sum()
    assert organizer["expected"] == pytest.approx(float((weights * rows["expected"]).sum()))
    assert organizer["gap"] == pytest.approx(organizer["actual"] - organizer["expected"])
    assert organizers.population.organizers == frozenset({"2120000000"})


def test_expected_merit_values_equal_an_independent_least_squares_fit(salsa_db):
    values = indicator_values(salsa_db, years=[2025], indicators=["gr9_merit_value"])
    units, _ = expected_values(salsa_db, values, year=2025, indicators=["gr9_merit_value"])
    fit, x = _in_model(salsa_db, values, "gr9_merit_value")
    beta, *_ = np.linalg.lstsq(x, fit["value"].to_numpy(), rcond=None)
    rows = units.table.to_pandas().set_index("school_unit_code")
    for code, xi in zip(fit["school_unit_code"], x, strict=True):
        assert rows.loc[code, "expected"] == pytest.approx(float(xi @ beta), rel=1e-6)


def test_expected_shares_stay_within_0_100_where_a_straight_line_does_not():
    """#16: a share's expected value came from a straight line, which goes over 100 % for
    the best-placed schools when passing is a saturating curve of the background."""
    with Snapshot.from_tables(saturated_tables(40, seed=3), version="saturated") as db:
        values = indicator_values(db, years=[2025], indicators=["gr9_pass_all"])
        units, organizers = expected_values(db, values, year=2025, indicators=["gr9_pass_all"])
        fit, x = _in_model(db, values, "gr9_pass_all")
    line, *_ = np.linalg.lstsq(x, fit["value"].to_numpy(), rcond=None)
    assert (x @ line).max() > 100  # the linear model's prediction leaves the scale
    for table in (units.table, organizers.table):
        for column in ("expected", "expected_low", "expected_high"):
            shown = np.array(table.column(column).to_pylist(), dtype=float)
            assert np.isfinite(shown).all(), column
            assert (shown >= 0).all(), column
            assert (shown <= 100).all(), (column, shown.max())
    best = units.table.to_pandas().set_index("school_unit_code").loc["70000039"]
    assert 95 < best["expected"] < 100


def test_comparison_group_over_real_profiles(salsa_db):
    group = comparison_group(salsa_db, target="1480", school_year=2025, k=3)
    assert group is None or group.target.code == "1480"
    assert comparison_group(salsa_db, target="none", school_year=2025) is None


def _public_rows() -> pa.Table:
    rows = [
        ("kolada", "N15533", 2021, "municipality", "1480", "all", 80.0, "exists", "80"),
        ("kolada", "N15533", 2022, "municipality", "1480", "all", 99.0, "exists", "99"),
        ("kolada", "N15643", 2022, "municipality", "1480", "all", 70.0, "exists", "70"),
        ("kolada", "N15643", 2023, "municipality", "1480", "girls", None, "too_few", ".."),
        ("kolada", "N15643", 2023, "nation", "0000", "all", 72.5, "exists", "72,5"),
    ]
    keys = [
        "source",
        "measure",
        "school_year",
        "level",
        "area_code",
        "group",
        "value",
        "status",
        "raw",
    ]
    data = {k: [r[i] for r in rows] for i, k in enumerate(keys)}
    data.update(
        table_name=["t"] * len(rows), organizer_type=["all"] * len(rows), subject=[""] * len(rows)
    )
    return pa.table(data)


def test_public_values_follow_the_revision_of_each_year():
    with Snapshot.from_tables({"public_stats": _public_rows()}, version="pub") as db:
        aggregate = public_indicator_values(
            db, load_catalogue(), years=[2021, 2022, 2023], indicators=["safety"]
        )
    rows = {(r["area_code"], r["school_year"], r["group"]): r for r in aggregate.table.to_pylist()}
    assert rows[("1480", 2021, None)]["value"] == 80.0  # old question until 2021
    assert rows[("1480", 2022, None)]["value"] == 70.0  # new question from 2022, not N15533's 99
    assert rows[("1480", 2023, "girls")]["published_status"] == "too_few"
    assert rows[("0000", 2023, None)]["value"] == 72.5
    assert not aggregate.population.student_level

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import statsmodels.api as sm

from bench.reference.salsa import (
    fit_reference,
    merit_value,
    school_results_reference,
    share_fit_reference,
)
from likvard_core.analytics.adjusted import (
    SALSA_2015_16_MERIT,
    salsa_by_school,
    salsa_expected,
    school_results,
)
from likvard_core.analytics.adjusted.model import ModelKind
from likvard_core.analytics.adjusted.salsa import Outcome
from likvard_core.warehouse.schema import ENROLMENTS, FINAL_GRADES
from tests.core.analytics.salsa_population import salsa_tables


def _student_grades(student: str, grades: list[tuple[str, str, bool]]) -> list[dict]:
    return [
        {
            "school_year": 2025,
            "student_key": student,
            "school_unit_code": "60000001",
            "grade_year": 9,
            "subject_code": subject,
            "grade": grade,
            "language_choice": lc,
        }
        for subject, grade, lc in grades
    ]


def _merit_of(make_snapshot, grades):
    rows = _student_grades("x", grades)
    table = pa.Table.from_pylist(rows, schema=FINAL_GRADES.schema.remove(7))
    with make_snapshot({"final_grades": table}) as db:
        result = school_results(db)
    return result["merit_value"][0].as_py(), result["share_passing_all"][0].as_py()


def test_merit_value_maximum_is_340_with_moderna_sprak(make_snapshot):
    grades = [(f"S{i}", "A", False) for i in range(17)] + [("ML", "A", True)]
    assert _merit_of(make_snapshot, grades) == (340.0, 1.0)
    assert _merit_of(make_snapshot, grades[:16]) == (320.0, 1.0)


def test_merit_value_takes_the_16_best_and_the_language_choice_as_17th(make_snapshot):
    grades = [(f"S{i}", "C", False) for i in range(15)] + [("S15", "F", False)]
    grades += [("S16", "A", False), ("ML", "E", True)]
    # 16 best of the 17 others: A + 15 C = 20 + 225; the F is dropped; ML adds 10.
    merit, passed = _merit_of(make_snapshot, grades)
    assert merit == 255.0
    assert passed == 0.0  # the F still means not passing all subjects


def test_merit_value_sums_fewer_than_16_grades(make_snapshot):
    grades = [(f"S{i}", "E", False) for i in range(8)] + [("ML", "D", True)]
    assert _merit_of(make_snapshot, grades) == (92.5, 1.0)


def test_a_second_language_choice_counts_among_the_16(make_snapshot):
    grades = [("M1", "B", True), ("M2", "A", True), ("S1", "C", False)]
    assert _merit_of(make_snapshot, grades) == (52.5, 1.0)


@pytest.mark.parametrize(
    ("points", "choices", "expected"),
    [([20.0] * 18, [False] * 17 + [True], 340.0), ([10.0, 0.0, 20.0], [False, True, False], 30.0)],
)
def test_reference_merit_value(points, choices, expected):
    assert merit_value(points, choices) == expected


def test_published_2015_16_coefficients_give_the_hand_computed_value():
    background = {"parents_education": [2.27], "share_boys": [0.5], "share_newly_arrived": [0.1]}
    # 93.567 + 69.846 * 2.27 - 35.271 * 0.5 - 83.641 * 0.1 = 226.11782
    expected = 93.567 + 158.55042 - 17.6355 - 8.3641
    assert salsa_expected(SALSA_2015_16_MERIT, background)[0] == pytest.approx(expected, abs=1e-9)
    assert expected == pytest.approx(226.11782, abs=1e-9)


def test_salsa_expected_accepts_an_arrow_table():
    table = pa.table(
        {"parents_education": [2.0, 3.0], "share_boys": [0.5, 0.4], "share_newly_arrived": [0, 0.2]}
    )
    got = salsa_expected(SALSA_2015_16_MERIT, table)
    np.testing.assert_allclose(got[1] - got[0], 69.846 + 35.271 * 0.1 - 83.641 * 0.2)


@pytest.fixture(scope="module")
def population(make_snapshot):
    tables = salsa_tables(60, seed=8, years=(2024, 2025))
    with make_snapshot(tables) as db:
        results = school_results(db).to_pandas()
        fit = salsa_by_school(db)
        passing = salsa_by_school(db, years=[2025], outcome="share_passing_all", weighted=True)
        weighted_merit = salsa_by_school(db, years=[2025], weighted=True)
    return tables, results, fit, passing, weighted_merit


@pytest.mark.slow
def test_school_results_equal_the_pandas_reference(population):
    tables, results, *_ = population
    reference = school_results_reference(
        tables["final_grades"].to_pandas(), tables["enrolments"].to_pandas()
    )
    assert results["school_unit_code"].tolist() == reference["school_unit_code"].tolist()
    assert results["n_students"].tolist() == reference["n_students"].tolist()
    for column in [
        "merit_value",
        "share_passing_all",
        "parents_education",
        "share_boys",
        "share_newly_arrived",
        "background_coverage",
    ]:
        np.testing.assert_allclose(results[column], reference[column], rtol=1e-12, atol=1e-12)
    assert results["merit_value"].max() <= 340


def test_model_matches_a_reference_statsmodels_fit(population):
    _, results, fit, *_ = population
    table = fit.aggregate.table.to_pandas()
    for year in (2024, 2025):
        rows = table[table["school_year"] == year]
        frame = results[results["school_year"] == year]
        frame = frame[(frame["n_students"] >= 15) & (frame["background_coverage"] >= 0.75)]
        reference = fit_reference(frame)
        diagnostics = next(d for d in fit.diagnostics if d.school_year == year)
        np.testing.assert_allclose(
            [c.estimate for c in diagnostics.coefficients], reference.params.to_numpy(), rtol=1e-9
        )
        np.testing.assert_allclose(
            [c.std_error for c in diagnostics.coefficients], reference.bse.to_numpy(), rtol=1e-9
        )
        in_model = rows[rows["in_model"]]
        np.testing.assert_allclose(in_model["residual"], reference.resid.to_numpy(), atol=1e-9)
        assert diagnostics.n == len(frame)
        assert diagnostics.r_squared == pytest.approx(reference.rsquared, abs=1e-12)
        assert diagnostics.adj_r_squared == pytest.approx(reference.rsquared_adj, abs=1e-12)
        assert diagnostics.residual_std_error == pytest.approx(np.sqrt(reference.scale), rel=1e-9)


def test_every_school_gets_a_model_value_and_an_interval_around_it(population):
    _, _, fit, *_ = population
    table = fit.aggregate.table.to_pandas()
    assert (~table["in_model"]).any()  # schools under 15 students are outside the fit
    assert table["model_value"].notna().all()
    assert (table["prediction_low"] < table["model_value"]).all()
    assert (table["model_value"] < table["prediction_high"]).all()
    np.testing.assert_allclose(table["residual"], table["actual"] - table["model_value"])
    coefficients = fit.diagnostics[0].coefficient_map()
    year = table[table["school_year"] == fit.diagnostics[0].school_year]
    np.testing.assert_allclose(salsa_expected(coefficients, year), year["model_value"])
    assert coefficients["parents_education"] > 0  # the synthetic grades rise with education


def test_weighted_fit_is_wls_by_number_of_students(population):
    _, results, _, _, weighted_merit = population
    frame = results[(results["school_year"] == 2025) & (results["n_students"] >= 15)]
    frame = frame[frame["background_coverage"] >= 0.75]
    exog = sm.add_constant(frame[["parents_education", "share_boys", "share_newly_arrived"]])
    wls = sm.WLS(frame["merit_value"], exog, weights=frame["n_students"]).fit()
    (diagnostics,) = weighted_merit.diagnostics
    assert diagnostics.weighted
    assert diagnostics.outcome is Outcome.MERIT_VALUE
    assert diagnostics.model is ModelKind.LINEAR
    np.testing.assert_allclose(
        [c.estimate for c in diagnostics.coefficients], wls.params.to_numpy(), rtol=1e-9
    )


def test_aggregate_metadata(population):
    _, _, fit, *_ = population
    aggregate = fit.aggregate
    assert aggregate.dims == ("school_unit_code", "school_year")
    assert aggregate.count == "n_students"
    assert aggregate.population.organizers == frozenset({"2120000000"})
    assert isinstance(aggregate.table.to_pandas(), pd.DataFrame)


def test_too_few_schools_gives_an_empty_result(make_snapshot):
    tables = salsa_tables(3, seed=1)
    with make_snapshot(tables) as db:
        fit = salsa_by_school(db)
    assert fit.aggregate.table.num_rows == 0
    assert fit.diagnostics == ()
    assert ENROLMENTS.name in tables


def test_a_share_is_a_fractional_logit_matching_statsmodels(population):
    _, results, _, passing, _ = population
    frame = results[(results["school_year"] == 2025) & (results["n_students"] >= 15)]
    frame = frame[frame["background_coverage"] >= 0.75]
    reference = share_fit_reference(frame, "share_passing_all", weights=frame["n_students"])
    (diagnostics,) = passing.diagnostics
    assert diagnostics.model is ModelKind.FRACTIONAL_LOGIT
    np.testing.assert_allclose(
        [c.estimate for c in diagnostics.coefficients], reference.params.to_numpy(), rtol=1e-6
    )
    np.testing.assert_allclose(
        [c.std_error for c in diagnostics.coefficients], reference.bse.to_numpy(), rtol=1e-6
    )
    table = passing.aggregate.table.to_pandas()
    fitted = table[table["in_model"]].set_index("school_unit_code")["model_value"]
    expected = pd.Series(reference.fittedvalues.to_numpy(), frame["school_unit_code"].to_numpy())
    np.testing.assert_allclose(fitted.loc[expected.index], expected, rtol=1e-6)


def test_for_units_narrows_rows_and_population(population):
    _, _, fit, *_ = population
    code = fit.aggregate.table.column("school_unit_code")[0].as_py()
    narrowed = fit.for_units([code])
    assert set(narrowed.table.column("school_unit_code").to_pylist()) == {code}
    assert narrowed.population.school_units == frozenset({code})
    assert narrowed.population.organizers
    assert narrowed.population.organizers <= fit.aggregate.population.organizers
    assert narrowed.population.scope.startswith("adjusted.salsa/units:1/")

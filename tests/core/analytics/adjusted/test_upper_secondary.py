import numpy as np
import pyarrow as pa
import pytest
import statsmodels.formula.api as smf

from bench.reference.salsa import share_fit_reference
from likvard_core.analytics.adjusted.model import Outcome
from likvard_core.analytics.adjusted.upper_secondary import (
    upper_secondary_by_school,
    upper_secondary_results,
)
from likvard_core.warehouse.schema import COURSE_GRADES, ENROLMENTS
from tests.core.analytics.upper_secondary_population import DIPLOMA, GBP, cohort_tables

BACKGROUND = ["parents_education", "share_boys", "share_newly_arrived"]


def _enrolment(key: str, year: int, grade_year: int, programme: str, unit: str = "80000001"):
    return {
        "school_year": year,
        "student_key": key,
        "school_unit_code": unit,
        "organizer_code": "2120000002",
        "school_form": "gymnasieskola",
        "grade_year": grade_year,
        "programme_code": programme,
        "home_municipality_code": "1480",
        "gender": "F",
        "born_abroad": False,
        "newly_arrived": False,
        "parents_education": 2.0,
    }


def _course(key: str, year: int, course: str, points: int, grade: str, *, unit: str = "80000001"):
    return {
        "school_year": year,
        "student_key": key,
        "school_unit_code": unit,
        "programme_code": "NA",
        "course_code": course,
        "course_points": points,
        "grade": grade,
    }


def _tables(enrolments, courses):
    return {
        "enrolments": pa.Table.from_pylist(enrolments, schema=ENROLMENTS.schema.remove(12)),
        "course_grades": pa.Table.from_pylist(courses, schema=COURSE_GRADES.schema.remove(7)),
    }


def test_diploma_and_grade_points_by_hand(make_snapshot):
    enrolments = [_enrolment(k, 2023, 1, "NA") for k in ("a", "b", "c")]
    enrolments += [_enrolment("d", 2023, 1, "BA"), _enrolment("e", 2023, 1, "IMV")]
    enrolments.append(_enrolment("a", 2024, 1, "NA", unit="80000009"))  # a repeat: not a start
    required = [("GYARBETE", 100, "E"), ("SVESVE01", 100, "A"), ("ENGENG05", 100, "C")]
    required.append(("MATMAT01c", 100, "E"))
    courses = [_course("a", 2025, *c) for c in required]
    courses.append(_course("a", 2024, "NAKARAK", 200, "B"))
    # b: an F in 100 of 500 points (80 % passed) - no diploma; a retake later turns it into E.
    courses += [_course("b", 2025, *c) for c in required]
    courses += [_course("b", 2024, "X", 100, "F"), _course("b", 2026, "X", 100, "E")]
    # c: passes everything but the gymnasiearbete; d: everything (vocational).
    courses += [_course("c", 2025, c, p, "F" if c == "GYARBETE" else g) for c, p, g in required]
    courses += [_course("d", 2025, *c) for c in required]
    courses.append(_course("e", 2023, "SVESVE01", 100, "C"))
    with make_snapshot(_tables(enrolments, courses)) as db:
        rows = {
            (r["school_unit_code"], r["programme_type"]): r
            for r in upper_secondary_results(db).to_pylist()
        }
    na = rows[("80000001", "preparatory")]
    assert na["school_year"] == 2025
    assert (na["cohort_students"], na["diploma_students"]) == (3, 1)
    assert na["share_diploma"] == pytest.approx(1 / 3)
    # a: (20*100 + 15*100 + 10*100 + 17.5*200) / 500 without the gymnasiearbete = 16.0
    assert na["grade_point_average"] == pytest.approx(16.0)
    assert rows[("80000001", "vocational")]["share_diploma"] == 1.0
    assert rows[("80000001", "vocational")]["grade_point_average"] == pytest.approx(
        15.0
    )  # (20 + 15 + 10) / 3
    intro = rows[("80000001", "introduction")]
    assert (intro["share_diploma"], intro["grade_point_average"]) == (0.0, None)
    assert ("80000009", "preparatory") not in rows


def test_a_cohort_without_its_third_year_is_left_out(make_snapshot):
    enrolments = [_enrolment("a", 2024, 1, "NA")]
    courses = [_course("a", 2025, "SVESVE01", 100, "A")]
    with make_snapshot(_tables(enrolments, courses)) as db:
        assert upper_secondary_results(db).num_rows == 0


@pytest.fixture(scope="module")
def cohorts(make_snapshot):
    tables = cohort_tables(150, seed=4)
    with make_snapshot(tables) as db:
        frame = upper_secondary_results(db).to_pandas()
        diploma = upper_secondary_by_school(db)
        gbp = upper_secondary_by_school(db, outcome="grade_point_average")
    return frame, diploma, gbp


@pytest.mark.parametrize(
    ("outcome", "known", "tolerance"),
    [("share_diploma", DIPLOMA, 0.12), ("grade_point_average", GBP, 0.8)],
)
def test_the_fit_recovers_the_known_coefficients(cohorts, outcome, known, tolerance):
    _, diploma, gbp = cohorts
    fit = diploma if outcome == "share_diploma" else gbp
    (diagnostics,) = fit.diagnostics
    assert diagnostics.stratum == "preparatory"
    assert diagnostics.school_year == 2024
    estimates = diagnostics.coefficient_map()
    if outcome == "share_diploma":  # logit coefficients: compare the average marginal effects
        table = fit.aggregate.table.to_pandas()
        mu = table.loc[table["in_model"], "model_value"].to_numpy()
        slope = float(np.mean(mu * (1 - mu)))
        estimates = {name: value * slope for name, value in estimates.items()}
    assert estimates["parents_education"] == pytest.approx(
        known["parents_education"], abs=tolerance
    )
    for name in ("share_boys", "share_newly_arrived"):
        assert np.sign(estimates[name]) == np.sign(known[name]) or abs(estimates[name]) < tolerance
    assert diagnostics.r_squared > 0.3
    assert diagnostics.f_p_value < 1e-6


@pytest.mark.parametrize("outcome", ["share_diploma", "grade_point_average"])
def test_coefficients_and_residuals_equal_a_statsmodels_fit(cohorts, outcome):
    """GBP: an OLS fit; the diploma share: the fractional logit (a binomial GLM)."""
    frame, diploma, gbp = cohorts
    fit = diploma if outcome == "share_diploma" else gbp
    count = "cohort_students" if outcome == "share_diploma" else "diploma_students"
    used = frame[(frame[count] >= 15) & (frame["background_coverage"] >= 0.75)]
    if outcome == "share_diploma":
        reference = share_fit_reference(used, outcome)
        reference.resid = used[outcome] - reference.fittedvalues
    else:
        reference = smf.ols(f"{outcome} ~ " + " + ".join(BACKGROUND), data=used).fit()
    (diagnostics,) = fit.diagnostics
    np.testing.assert_allclose(
        [c.estimate for c in diagnostics.coefficients], reference.params.to_numpy(), rtol=1e-6
    )
    np.testing.assert_allclose(
        [c.p_value for c in diagnostics.coefficients], reference.pvalues.to_numpy(), rtol=1e-6
    )
    table = fit.aggregate.table.to_pandas()
    in_model = table[table["in_model"]]
    assert in_model["school_unit_code"].tolist() == used["school_unit_code"].tolist()
    np.testing.assert_allclose(in_model["residual"], reference.resid.to_numpy(), atol=1e-7)
    assert diagnostics.n == len(used)
    if outcome == "grade_point_average":
        assert diagnostics.adj_r_squared == pytest.approx(reference.rsquared_adj, abs=1e-12)


def test_aggregate_counts_the_students_behind_the_outcome(cohorts):
    frame, diploma, gbp = cohorts
    assert diploma.aggregate.dims == ("school_unit_code", "programme_type", "school_year")
    d = diploma.aggregate.table.to_pandas()
    g = gbp.aggregate.table.to_pandas()
    assert d["n_students"].tolist() == frame["cohort_students"].tolist()
    assert g["n_students"].tolist() == frame["diploma_students"].tolist()
    assert (g["cohort_students"] >= g["n_students"]).all()
    assert (d["prediction_low"] < d["model_value"]).all()
    assert diploma.aggregate.population.organizers == frozenset({"2120000001"})


def test_year_9_outcomes_are_refused(make_snapshot):
    with make_snapshot({}) as db, pytest.raises(ValueError, match="upper-secondary"):
        upper_secondary_by_school(db, outcome=Outcome.MERIT_VALUE)


def test_no_data_gives_an_empty_fit(make_snapshot):
    with make_snapshot({}) as db:
        fit = upper_secondary_by_school(db)
    assert fit.aggregate.table.num_rows == 0
    assert fit.diagnostics == ()


def test_results_outside_the_interval_say_why_in_swedish(cohorts):
    _, diploma, _ = cohorts
    table = diploma.aggregate.table.to_pandas()
    marked = table[table["deviation"].notna()]
    assert len(marked) > 0
    row = marked.iloc[0]
    outside = row["actual"] > row["prediction_high"] or row["actual"] < row["prediction_low"]
    assert outside
    assert (
        "andel elever med gymnasieexamen inom tre år på högskoleförberedande program"
        in (row["deviation_reason"])
    )
    assert "läsåret 2023/24" in row["deviation_reason"]
    inside = table[table["deviation"].isna() & table["in_model"]]
    assert (inside["actual"] <= inside["prediction_high"]).all()
    assert inside["deviation_reason"].isna().all()

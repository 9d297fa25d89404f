import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.reference.equity import grade_vs_test_reference
from likvard_core.analytics.equity.grade_vs_test import grade_vs_test_by_school
from likvard_core.warehouse.schema import ENROLMENTS, FINAL_GRADES, NATIONAL_TESTS
from tests.core.analytics.population import SchoolSpec, grade_tables

GRADE = st.sampled_from(["A", "B", "C", "D", "E", "F"])
UNITS = ["10000001", "10000002", "10000003"]


@st.composite
def populations(draw):
    """Small fact tables: some students lack a test, an enrolment or a gender match."""
    finals, tests, enrols = [], [], []
    for index in range(draw(st.integers(min_value=0, max_value=30))):
        key = f"s{index}"
        year = draw(st.sampled_from([2024, 2025]))
        unit = draw(st.sampled_from(UNITS))
        if draw(st.booleans()) or index % 3 == 0:
            enrols.append((year, key, unit, draw(st.sampled_from(["F", "M"]))))
        for subject in draw(st.sets(st.sampled_from(["MA", "EN", "SV"]), min_size=1)):
            grade_year = draw(st.sampled_from([9, 9, 9, 6]))
            finals.append((year, key, unit, grade_year, subject, draw(GRADE)))
            if draw(st.integers(0, 4)) > 0:
                tests.append((year, key, unit, grade_year, subject, draw(GRADE)))
    return _tables(finals, tests, enrols)


def _tables(finals, tests, enrols):
    final_cols = ["school_year", "student_key", "school_unit_code", "grade_year", "subject_code"]
    final = {c: [r[i] for r in finals] for i, c in enumerate(final_cols)}
    final |= {"grade": [r[5] for r in finals], "language_choice": [False] * len(finals)}
    test = {c: [r[i] for r in tests] for i, c in enumerate(final_cols)}
    test["test_grade"] = [r[5] for r in tests]
    n = len(enrols)
    enrol = {
        "school_year": [r[0] for r in enrols],
        "student_key": [r[1] for r in enrols],
        "school_unit_code": [r[2] for r in enrols],
        "organizer_code": ["2120000000"] * n,
        "school_form": ["grundskola"] * n,
        "grade_year": [9] * n,
        "programme_code": [None] * n,
        "home_municipality_code": ["1480"] * n,
        "gender": [r[3] for r in enrols],
        "born_abroad": [False] * n,
        "newly_arrived": [False] * n,
        "parents_education": [2.0] * n,
    }
    return {
        "final_grades": pa.table(final, schema=_without_batch(FINAL_GRADES.schema)),
        "national_tests": pa.table(test, schema=_without_batch(NATIONAL_TESTS.schema)),
        "enrolments": pa.table(enrol, schema=_without_batch(ENROLMENTS.schema)),
    }


def _without_batch(schema):
    return schema.remove(schema.get_field_index("batch_id"))


def _compare(got: pa.Table, expected: pd.DataFrame) -> None:
    # The SQL result is unordered (sorting half a million rows is the caller's business).
    keys = ["school_unit_code", "subject_code", "school_year", "group"]
    frame = got.to_pandas().sort_values(keys, ignore_index=True)
    assert len(frame) == len(expected)
    if expected.empty:
        return
    expected = expected.sort_values(keys, ignore_index=True)
    for column in ["school_unit_code", "subject_code", "group"]:
        assert frame[column].tolist() == expected[column].tolist()
    for column in ["school_year", "n", "n_lower", "n_same", "n_higher"]:
        assert frame[column].astype(int).tolist() == expected[column].astype(int).tolist()
    for column in ["share_lower", "share_same", "share_higher", "mean_step_difference"]:
        np.testing.assert_allclose(frame[column], expected[column], rtol=0, atol=1e-12)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations(), st.booleans())
def test_sql_equals_the_pandas_reference(make_snapshot, tables, by_gender):
    with make_snapshot(tables) as db:
        aggregate = grade_vs_test_by_school(db, by_gender=by_gender)
    frames = [tables[n].to_pandas() for n in ("final_grades", "national_tests", "enrolments")]
    _compare(aggregate.table, grade_vs_test_reference(*frames, by_gender=by_gender))


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations())
def test_filters_equal_the_reference_filters(make_snapshot, tables):
    options = {"school_units": UNITS[:2], "years": [2025], "subjects": ["MA", "SV"]}
    with make_snapshot(tables) as db:
        aggregate = grade_vs_test_by_school(db, **options)
    frames = [tables[n].to_pandas() for n in ("final_grades", "national_tests", "enrolments")]
    _compare(aggregate.table, grade_vs_test_reference(*frames, **options))


@pytest.fixture
def synthetic(make_snapshot):
    schools = [SchoolSpec(f"1000000{i}", 20 + 7 * i) for i in range(6)]
    tables = grade_tables(schools, [2024, 2025], ["MA", "EN"], seed=3)
    with make_snapshot(tables) as db:
        yield grade_vs_test_by_school(db)


def test_shares_sum_to_one_and_intervals_contain_them(synthetic):
    table = synthetic.table.to_pandas()
    total = table["share_lower"] + table["share_same"] + table["share_higher"]
    np.testing.assert_allclose(total, 1.0, atol=1e-12)
    assert (table["n_lower"] + table["n_same"] + table["n_higher"] == table["n"]).all()
    for share in ("share_lower", "share_same", "share_higher"):
        assert (table[f"{share}_ci_low"] <= table[share]).all()
        assert (table[share] <= table[f"{share}_ci_high"]).all()


def test_groups_split_all_by_gender(synthetic):
    table = synthetic.table.to_pandas().set_index(
        ["school_unit_code", "subject_code", "school_year", "group"]
    )["n"]
    wide = table.unstack("group")
    assert (wide["girls"] + wide["boys"] == wide["all"]).all()


def test_aggregate_describes_its_population(synthetic):
    assert synthetic.dims == ("school_unit_code", "subject_code", "school_year", "group")
    assert synthetic.count == "n"
    assert synthetic.data_version == "test"
    assert synthetic.population.organizers == frozenset({"2120000000"})
    assert "share_higher_ci_high" in synthetic.values

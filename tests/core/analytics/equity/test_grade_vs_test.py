import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.reference.equity import grade_vs_test_reference
from likvard_core.analytics.equity.grade_vs_test import grade_vs_test_by_school, years_without_tests
from likvard_core.warehouse.schema import COURSE_GRADES, ENROLMENTS, FINAL_GRADES, NATIONAL_TESTS
from tests.core.analytics.population import SchoolSpec, grade_tables

GRADE = st.sampled_from(["A", "B", "C", "D", "E", "F"])
ODD_GRADE = st.sampled_from(["A", "B", "C", "D", "E", "F", "F", "-", "AB"])
UNITS = ["10000001", "10000002", "10000003"]
COURSES = ["MATMAT01a", "SVESVE01", "ENGENG05"]
BORN = st.sampled_from([True, False, None])
PARENTS = st.sampled_from([1.0, 1.5, 2.0, 2.5, 3.0, None])


@st.composite
def populations(draw):
    """Small fact tables: some students lack a test, an enrolment, a background field, or
    have two enrolment rows; some grades are not on the A-F scale; some take courses."""
    finals, tests, enrols, courses = [], [], [], []
    for index in range(draw(st.integers(min_value=0, max_value=30))):
        key = f"s{index}"
        year = draw(st.sampled_from([2024, 2025]))
        unit = draw(st.sampled_from(UNITS))
        if draw(st.booleans()) or index % 3 == 0:
            for _ in range(draw(st.integers(1, 2))):
                born = draw(BORN)
                enrols.append((year, key, unit, draw(st.sampled_from(["F", "M"])), born,
                               bool(born) and draw(st.booleans()), draw(PARENTS)))  # fmt: skip
        for subject in draw(st.sets(st.sampled_from(["MA", "EN", "SV"]), min_size=1)):
            grade_year = draw(st.sampled_from([9, 9, 9, 6]))
            finals.append((year, key, unit, grade_year, subject, draw(ODD_GRADE)))
            if draw(st.integers(0, 4)) > 0:
                tests.append((year, key, unit, grade_year, subject, draw(GRADE)))
        for course in draw(st.sets(st.sampled_from(COURSES), max_size=2)):
            courses.append((year, key, unit, course, draw(GRADE)))
            if draw(st.integers(0, 3)) > 0:
                tests.append((year, key, unit, 10, course, draw(GRADE)))
    return _tables(finals, tests, enrols, courses)


def _tables(finals, tests, enrols, courses=()):
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
        "born_abroad": [r[4] if len(r) > 4 else False for r in enrols],
        "newly_arrived": [r[5] if len(r) > 4 else False for r in enrols],
        "parents_education": [r[6] if len(r) > 4 else 2.0 for r in enrols],
    }
    course_cols = ["school_year", "student_key", "school_unit_code", "course_code", "grade"]
    course = {c: [r[i] for r in courses] for i, c in enumerate(course_cols)}
    course |= {"programme_code": ["NA"] * len(courses), "course_points": [100] * len(courses)}
    return {
        "final_grades": pa.table(final, schema=_without_batch(FINAL_GRADES.schema)),
        "national_tests": pa.table(test, schema=_without_batch(NATIONAL_TESTS.schema)),
        "enrolments": pa.table(enrol, schema=_without_batch(ENROLMENTS.schema)),
        "course_grades": pa.table(course, schema=_without_batch(COURSE_GRADES.schema)),
    }


def _without_batch(schema):
    return schema.remove(schema.get_field_index("batch_id"))


def _frames(tables):
    names = ("final_grades", "national_tests", "enrolments")
    return [tables[n].to_pandas() for n in names], tables["course_grades"].to_pandas()


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
    floats = ["share_lower", "share_same", "share_higher", "mean_step_difference"]
    for column in [*floats, *(c for c in frame.columns if "_ci_" in c)]:
        np.testing.assert_allclose(frame[column], expected[column], rtol=0, atol=1e-12)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations(), st.sampled_from([6, 9, 10]), st.booleans())
def test_sql_equals_the_pandas_reference(make_snapshot, tables, grade_year, by_gender):
    with make_snapshot(tables) as db:
        aggregate = grade_vs_test_by_school(db, grade_year=grade_year, by_gender=by_gender)
    frames, courses = _frames(tables)
    expected = grade_vs_test_reference(
        *frames, course_grades=courses, grade_year=grade_year, by_gender=by_gender
    )
    _compare(aggregate.table, expected)
    assert aggregate.population.organizers == frozenset(expected.attrs["organizers"])


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations())
def test_filters_equal_the_reference_filters(make_snapshot, tables):
    options = {"school_units": UNITS[:2], "years": [2025], "subjects": ["MA", "SV"]}
    with make_snapshot(tables) as db:
        aggregate = grade_vs_test_by_school(db, **options)
    frames, _courses = _frames(tables)
    _compare(aggregate.table, grade_vs_test_reference(*frames, **options))


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations())
def test_course_filters_equal_the_reference_filters(make_snapshot, tables):
    options = {"years": [2024], "subjects": COURSES[:2], "groups": ["all", "parents_high"]}
    with make_snapshot(tables) as db:
        aggregate = grade_vs_test_by_school(db, grade_year=10, **options)
    frames, courses = _frames(tables)
    expected = grade_vs_test_reference(*frames, course_grades=courses, grade_year=10, **options)
    _compare(aggregate.table, expected)


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


def test_no_comparison_rows_in_years_without_national_tests(make_snapshot):
    """2019/20 and 2020/21 had no national tests: results imported for them are ignored."""
    finals, tests = [], []
    for year in (2019, 2020, 2021, 2022):
        for index in range(12):
            key = f"s{year}-{index}"
            finals.append((year, key, UNITS[0], 9, "MA", "C"))
            tests.append((year, key, UNITS[0], 9, "MA", "D"))
    with make_snapshot(_tables(finals, tests, [])) as db:
        aggregate = grade_vs_test_by_school(db, by_gender=False)
    assert sorted(aggregate.table.column("school_year").to_pylist()) == [2019, 2022]
    assert years_without_tests([2019, 2022]) == [2020, 2021]
    assert years_without_tests([2022, 2025]) == []

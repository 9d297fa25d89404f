import numpy as np
import pyarrow as pa
import pytest

from likvard_core.analytics.equity import (
    grade_vs_test_by_school,
    systematic_deviations,
    with_deviation_flags,
)
from likvard_core.analytics.equity.deviation import flagged_rows
from tests.core.analytics.population import SchoolSpec, grade_tables

YEARS = range(2022, 2027)  # five years with national tests (none in 2020 or 2021)


def _small_school(code: str, finals: list[str], tests: list[str]) -> dict[str, pa.Table]:
    spec = SchoolSpec(code, len(finals))
    base = grade_tables([spec], [2025], ["MA"], seed=0)
    final, test = base["final_grades"], base["national_tests"]
    final = final.set_column(
        final.schema.get_field_index("grade"), final.schema.field("grade"), pa.array(finals)
    )
    test = test.set_column(
        test.schema.get_field_index("test_grade"), test.schema.field("test_grade"), pa.array(tests)
    )
    return {"final_grades": final, "national_tests": test, "enrolments": base["enrolments"]}


def _concat(*parts: dict[str, pa.Table]) -> dict[str, pa.Table]:
    return {name: pa.concat_tables([p[name] for p in parts]) for name in parts[0]}


def test_a_twelve_student_school_with_a_chance_deviation_is_not_flagged(make_snapshot):
    region = grade_tables(
        [SchoolSpec(f"1000{i:04d}", 100) for i in range(30)], [2025], ["MA"], seed=11
    )
    # 5 of 12 (42 %) got a higher grade than the test, against about 20 % in the region.
    small = _small_school("20000000", ["B"] * 5 + ["C"] * 7, ["C"] * 12)
    with make_snapshot(_concat(region, small)) as db:
        flagged = with_deviation_flags(grade_vs_test_by_school(db, by_gender=False))
    row = flagged.table.filter(pa.compute.equal(flagged.table["school_unit_code"], "20000000"))
    assert row["share_higher"][0].as_py() == pytest.approx(5 / 12)
    assert row["reference_share_higher"][0].as_py() < 0.25
    assert row["p_higher"][0].as_py() > 0.05
    assert row["flag_higher"][0].as_py() is False
    assert row["flag_reason"][0].as_py() is None


def test_a_twelve_student_school_with_an_extreme_deviation_is_flagged(make_snapshot):
    region = grade_tables(
        [SchoolSpec(f"1000{i:04d}", 100) for i in range(30)], [2025], ["MA"], seed=11
    )
    small = _small_school("20000000", ["B"] * 11 + ["C"], ["C"] * 12)
    with make_snapshot(_concat(region, small)) as db:
        flagged = with_deviation_flags(
            grade_vs_test_by_school(db, by_gender=False), reference_label="regionen"
        )
    rows = flagged_rows(flagged).to_pylist()
    small_rows = [r for r in rows if r["school_unit_code"] == "20000000"]
    assert small_rows
    assert small_rows[0]["flag_higher"]
    reason = small_rows[0]["flag_reason"]
    assert "högre slutbetyg än provbetyg i matematik" in reason
    assert "92 % (11 av 12)" in reason
    assert "högre än i regionen" in reason


@pytest.fixture(scope="module")
def inflated_population(make_snapshot):
    rng = np.random.default_rng(2024)
    sizes = rng.integers(20, 150, size=40)
    inflated = {f"3000{i:04d}" for i in range(0, 40, 8)}  # 5 of 40 schools
    schools = [
        SchoolSpec(f"3000{i:04d}", int(size), p_higher=0.38 if f"3000{i:04d}" in inflated else 0.2)
        for i, size in enumerate(sizes)
    ]
    tables = grade_tables(schools, YEARS, ["MA", "EN"], seed=99)
    with make_snapshot(tables) as db:
        flagged = with_deviation_flags(grade_vs_test_by_school(db), reference_label="regionen")
    return flagged, systematic_deviations(flagged, reference_label="regionen"), inflated


def test_flagging_recall_and_false_flag_rate(inflated_population):
    flagged, patterns, inflated = inflated_population
    yearly = flagged.table.to_pandas()
    yearly = yearly[yearly["group"] == "all"]
    hit = yearly["flag_higher"] & (yearly["share_higher"] > yearly["reference_share_higher"])
    is_inflated = yearly["school_unit_code"].isin(inflated)
    yearly_recall = hit[is_inflated].mean()
    yearly_false = yearly["flag_higher"][~is_inflated].mean()

    pattern = patterns.table.to_pandas()
    pattern = pattern[pattern["group"] == "all"]
    p_inflated = pattern["school_unit_code"].isin(inflated)
    above = pattern["observed_higher"] > pattern["expected_higher"]
    systematic_recall = (pattern["systematic_higher"] & above)[p_inflated].mean()
    systematic_false = pattern["systematic_higher"][~p_inflated].mean()
    print(  # noqa: T201 - the measured numbers, reported with -s
        f"yearly recall {yearly_recall:.3f}, yearly false-flag rate {yearly_false:.4f}; "
        f"systematic recall {systematic_recall:.3f}, false-flag rate {systematic_false:.4f}"
    )
    assert yearly_recall >= 0.25
    assert yearly_false <= 0.02
    assert systematic_recall >= 0.8
    assert systematic_false <= 0.05


def test_every_flag_has_a_swedish_reason(inflated_population):
    flagged, patterns, _ = inflated_population
    rows = flagged_rows(flagged).to_pylist()
    assert rows
    assert all(r["flag_reason"] and "Andelen elever med" in r["flag_reason"] for r in rows)
    systematic = [
        r for r in patterns.table.to_pylist() if r["systematic_higher"] or r["systematic_lower"]
    ]
    assert systematic
    assert all("regionen" in r["pattern_reason"] for r in systematic)
    assert any("fem år i rad (2022\u20132026)" in r["pattern_reason"] for r in systematic)


def test_a_filtered_aggregate_gets_the_same_flags_with_the_full_reference(make_snapshot):
    schools = [SchoolSpec(f"4000{i:04d}", 40 + 5 * i, p_higher=0.2 + 0.02 * i) for i in range(12)]
    tables = grade_tables(schools, [2024, 2025], ["MA"], seed=5)
    with make_snapshot(tables) as db:
        full = with_deviation_flags(grade_vs_test_by_school(db))
        reference = grade_vs_test_by_school(db)
        one = with_deviation_flags(
            grade_vs_test_by_school(db, school_units=["40000011"]), reference=reference
        )
    expected = full.table.filter(pa.compute.equal(full.table["school_unit_code"], "40000011"))
    assert one.table.equals(expected)
    assert one.values[-1] == "flag_reason"


def test_systematic_deviations_rejects_a_bad_window(inflated_population):
    flagged, _, _ = inflated_population
    with pytest.raises(ValueError, match="min_same_sign"):
        systematic_deviations(flagged, window=3, min_same_sign=4)

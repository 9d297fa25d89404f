"""The demo region's files: deterministic, importable without issues, realistic in structure."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from likvard_core.ingest.pipeline import ingest_file
from likvard_core.synth.demo import GROUND_TRUTH, demo_region_files
from likvard_core.synth.reference import load_reference
from likvard_core.terms import GRADE_POINTS

KINDS = {
    "enrolments",
    "final_grades",
    "national_tests",
    "course_grades",
    "absence",
    "admissions",
    "diplomas",
    "incidents",
}
KEY = b"synthetic-test-pseudonym-key-0123"


def test_same_seed_same_bytes(reference_dir, tmp_path):
    first = demo_region_files(
        reference_dir, tmp_path / "a", seed=5, years=range(2025, 2026), scale=0.02
    )
    second = demo_region_files(
        reference_dir, tmp_path / "b", seed=5, years=range(2025, 2026), scale=0.02
    )
    other = demo_region_files(
        reference_dir, tmp_path / "c", seed=6, years=range(2025, 2026), scale=0.02
    )
    assert [f.kind for f in first] == [f.kind for f in second]
    for a, b, c in zip(first, second, other, strict=True):
        assert a.path.read_bytes() == b.path.read_bytes()
        assert a.path.read_bytes() != c.path.read_bytes()
    truth = (tmp_path / "a" / GROUND_TRUTH).read_bytes()
    assert truth == (tmp_path / "b" / GROUND_TRUTH).read_bytes()


def test_every_kind_every_year_written(tiny_demo):
    _, files = tiny_demo
    yearly = {(k, y) for k in KINDS for y in (2024, 2025)}
    assert {(f.kind, f.school_year) for f in files} == {*yearly, ("population", 2025)}
    assert all(f.rows > 0 and f.path.is_file() for f in files)


def test_files_ingest_without_issues(tiny_demo, reference_dir):
    _, files = tiny_demo
    known = load_reference(reference_dir).school_codes()
    for demo_file in files:
        result = ingest_file(
            demo_file.path, demo_file.kind, pseudonym_key=KEY, known_school_units=known
        )
        assert result.issues == [], (demo_file.path, result.issues[:5])
        assert result.rows_read == demo_file.rows
        table = result.tables[demo_file.kind]
        assert table.num_rows == demo_file.rows


def _ingested(path: Path, kind: str) -> pa.Table:
    result = ingest_file(path, kind, pseudonym_key=KEY)
    assert result.ok
    return result.tables[kind]


def _merit_by_home(folder: Path) -> pa.Table:
    grades = _ingested(folder / "final_grades.csv", "final_grades")
    enrolments = _ingested(folder / "enrolments.csv", "enrolments")
    year9 = grades.filter(pc.equal(grades["grade_year"], 9))
    values = pa.array([GRADE_POINTS[grade] for grade in year9["grade"].to_pylist()])
    failed = pc.equal(year9["grade"], "F")
    per_student = (
        pa.table({"student_key": year9["student_key"], "points": values, "failed": failed})
        .group_by("student_key")
        .aggregate([("points", "sum"), ("failed", "any")])
    )
    homes = enrolments.select(["student_key", "home_municipality_code"])
    return per_student.join(homes, "student_key", join_type="inner")


def test_merit_values_and_pass_rates_are_realistic(moderate_demo):
    out, _ = moderate_demo
    table = _merit_by_home(out / "2024-25")
    merit = pc.mean(table["points_sum"]).as_py()
    passed_all = 1 - pc.mean(pc.cast(table["failed_any"], pa.float64())).as_py()
    assert 215 <= merit <= 245
    assert 0.70 <= passed_all <= 0.85
    by_home = table.group_by("home_municipality_code").aggregate(
        [("points_sum", "mean"), ("points_sum", "count")]
    )
    large = by_home.filter(pc.greater_equal(by_home["points_sum_count"], 25))
    assert large.num_rows >= 8
    means = large["points_sum_mean"].to_pylist()
    assert all(190 <= value <= 270 for value in means), means
    assert max(means) - min(means) >= 10  # areas differ


def test_generous_schools_grade_above_their_tests(moderate_demo):
    out, _ = moderate_demo
    truth = json.loads((out / GROUND_TRUTH).read_text(encoding="utf-8"))
    generous = {s["school_unit_code"] for s in truth["generous_schools"]}
    grades = _ingested(out / "2024-25" / "final_grades.csv", "final_grades")
    tests = _ingested(out / "2024-25" / "national_tests.csv", "national_tests")
    keys = ["student_key", "grade_year", "subject_code", "school_unit_code"]
    joined = grades.join(tests, keys, join_type="inner")
    step = {letter: i for i, letter in enumerate("FEDCBA")}
    higher = pa.array(
        [
            step[g] > step[t]
            for g, t in zip(
                joined["grade"].to_pylist(), joined["test_grade"].to_pylist(), strict=True
            )
        ]
    )
    rates = (
        pa.table({"school": joined["school_unit_code"], "higher": pc.cast(higher, pa.float64())})
        .group_by("school")
        .aggregate([("higher", "mean"), ("higher", "count")])
    )
    rows = {
        r["school"]: r
        for r in rates.filter(pc.greater_equal(rates["higher_count"], 40)).to_pylist()
    }
    top = sorted(rows, key=lambda code: -rows[code]["higher_mean"])[: len(generous & rows.keys())]
    assert len(generous & rows.keys()) >= 3
    assert set(top) == generous & rows.keys()
    overall = pc.mean(higher.cast(pa.float64())).as_py()
    assert 0.2 <= overall <= 0.4  # higher more common than lower, majority same or close


def test_gr_other_organizer_share_near_sixty_percent(moderate_demo):
    out, _ = moderate_demo
    truth = json.loads((out / GROUND_TRUTH).read_text(encoding="utf-8"))
    share = truth["other_organizer_share_mean"]["GR"]
    assert 0.5 <= share <= 0.7


@pytest.mark.slow
def test_full_default_demo_size_and_share(reference_dir, tmp_path):
    files = demo_region_files(reference_dir, tmp_path, years=range(2016, 2026))
    size = sum(f.path.stat().st_size for f in files)
    enrolments = sum(f.rows for f in files if f.kind == "enrolments") / 10
    assert 30_000 <= enrolments <= 60_000
    assert size < 300 * 2**20
    truth = json.loads((tmp_path / GROUND_TRUTH).read_text(encoding="utf-8"))
    assert 0.5 <= truth["other_organizer_share_mean"]["GR"] <= 0.7


def test_no_national_tests_in_the_years_they_were_not_held(reference_dir, tmp_path):
    """2019/20 and 2020/21 had no national tests: the demo writes none for those years."""
    files = demo_region_files(reference_dir, tmp_path, seed=3, years=range(2020, 2023), scale=0.02)
    tested = {f.school_year for f in files if f.kind == "national_tests"}
    graded = {f.school_year for f in files if f.kind == "final_grades"}
    assert tested == {2022}
    assert graded == {2020, 2021, 2022}

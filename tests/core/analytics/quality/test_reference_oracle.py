"""The fast indicator values equal the pandas reference (bench/reference/quality.py)."""

from __future__ import annotations

import pytest

from bench.reference.quality import municipality_values_reference, students_reference
from likvard_core.analytics.quality.indicators import indicator_values
from likvard_core.disclosure.aggregate import Level
from tests.core.analytics.quality.tiny_warehouse import tiny_tables


def _random_tables(seed: int):
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    subjects = ["BI", "EN", "FY", "GE", "HI", "KE", "MA", "RE", "SH", "SV", "SVA", "TK", "MU"]
    enrol: list[dict[str, object]] = []
    grades: list[dict[str, object]] = []
    tests: list[dict[str, object]] = []
    for i in range(160):
        key, unit = f"k{i}", f"U{rng.integers(0, 6)}"
        year = int(rng.choice([2024, 2025]))
        enrol.append(
            {"school_year": year, "student_key": key, "school_unit_code": unit,
             "organizer_code": f"O{unit[-1]}", "school_form": "grundskola", "grade_year": 9,
             "programme_code": None, "home_municipality_code": f"M{rng.integers(0, 3)}",
             "gender": str(rng.choice(["F", "M"])), "born_abroad": False,
             "newly_arrived": False, "parents_education": 2.0}
        )  # fmt: skip
        chosen = [
            (str(s), str(rng.choice(list("ABCDEF"), p=[0.1, 0.15, 0.25, 0.2, 0.15, 0.15])), False)
            for s in rng.choice(subjects, size=int(rng.integers(6, 13)), replace=False)
        ]
        chosen += [
            (lang, str(rng.choice(list("ACEF"))), True)
            for lang in ("M2", "ML")[: int(rng.integers(0, 3))]
        ]
        # Some students have grades from two units (counted at the unit of most grades, ties
        # to the lowest code), some have no enrolment at their unit (background unknown).
        moved = f"U{rng.integers(0, 6)}" if rng.random() < 0.15 else unit
        if rng.random() < 0.05:
            enrol.pop()
        grades.extend(
            {"school_year": year, "student_key": key,
             "school_unit_code": moved if n % 2 else unit,
             "grade_year": 9, "subject_code": s, "grade": g, "language_choice": lang}
            for n, (s, g, lang) in enumerate(chosen)
        )  # fmt: skip
        tests.extend(
            {"school_year": year, "student_key": key,
             "school_unit_code": moved if n % 2 else unit, "grade_year": 9,
             "subject_code": s, "test_grade": str(rng.choice(list("ABCDEF")))}
            for n, (s, _, _) in enumerate(chosen)
            if s in ("EN", "MA", "SV", "SVA", "BI") and rng.random() < 0.7
        )  # fmt: skip
    return {
        "enrolments": pa.Table.from_pylist(enrol),
        "final_grades": pa.Table.from_pylist(grades),
        "national_tests": pa.Table.from_pylist(tests),
    }


_CODES = {
    Level.SCHOOL_UNIT: ("school_unit", "school_unit_code"),
    Level.ORGANIZER: ("organizer", "organizer_code"),
    Level.MUNICIPALITY: ("municipality", "municipality_code"),
    Level.NATION: ("nation", None),
}


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_fast_equals_reference(seed):
    from likvard_core.warehouse.snapshot import Snapshot

    tables = tiny_tables() if seed is None else _random_tables(seed)
    frames = {name: table.to_pandas() for name, table in tables.items()}
    reference = municipality_values_reference(
        students_reference(
            frames["final_grades"], frames["enrolments"], frames.get("national_tests")
        )
    )
    with Snapshot.from_tables(tables, version="oracle") as db:
        values = indicator_values(db, years=[2024, 2025])
    fast = {}
    for level, (name, column) in _CODES.items():
        for row in values.level(level).table.to_pylist():
            code = row[column] if column else "nation"
            fast[(name, code, row["school_year"], row["group"], row["indicator"])] = row
    compared = 0
    for row in reference.to_dict("records"):
        group = row["group"] if isinstance(row["group"], str) else None
        key = (row["level"], row["code"], row["school_year"], group, row["indicator"])
        mine = fast[key]
        assert mine["n"] == row["n"], key
        if row["value"] == row["value"]:  # not NaN
            assert mine["value"] == pytest.approx(row["value"]), key
        compared += 1
    indicators = set(reference["indicator"])
    assert compared == len(reference) > 0
    assert "gr9_test_vs_grade" in indicators
    assert len([key for key in fast if key[4] != "gr_absence"]) == compared  # both ways

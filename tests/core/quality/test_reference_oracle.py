"""The fast indicator values equal the pandas reference (bench/reference/quality.py)."""

from __future__ import annotations

import pytest

from bench.reference.quality import municipality_values_reference, students_reference
from likvard_core.disclosure.aggregate import Level
from likvard_core.quality.indicators import indicator_values
from tests.core.quality.tiny_warehouse import tiny_tables


def _random_tables(seed: int):
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    subjects = ["BI", "EN", "FY", "GE", "HI", "KE", "MA", "RE", "SH", "SV", "SVA", "TK", "MU"]
    enrol: list[dict[str, object]] = []
    grades: list[dict[str, object]] = []
    for i in range(120):
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
        grades.extend(
            {"school_year": year, "student_key": key, "school_unit_code": unit,
             "grade_year": 9, "subject_code": s, "grade": g, "language_choice": lang}
            for s, g, lang in chosen
        )  # fmt: skip
    return {"enrolments": pa.Table.from_pylist(enrol), "final_grades": pa.Table.from_pylist(grades)}


@pytest.mark.parametrize("seed", [None, 1, 2])
def test_fast_equals_reference(seed):
    from likvard_core.warehouse.snapshot import Snapshot

    tables = tiny_tables() if seed is None else _random_tables(seed)
    reference = municipality_values_reference(
        students_reference(tables["final_grades"].to_pandas(), tables["enrolments"].to_pandas())
    )
    with Snapshot.from_tables(tables, version="oracle") as db:
        values = indicator_values(db, years=[2024, 2025])
    fast = {}
    for level, column in ((Level.MUNICIPALITY, "municipality_code"), (Level.NATION, None)):
        for row in values.level(level).table.to_pylist():
            code = row[column] if column else "nation"
            fast[(code, row["school_year"], row["group"], row["indicator"])] = row
    compared = 0
    for row in reference.to_dict("records"):
        group = row["group"] if isinstance(row["group"], str) else None
        mine = fast[(row["code"], row["school_year"], group, row["indicator"])]
        assert mine["n"] == row["n"]
        if row["value"] == row["value"]:  # not NaN
            assert mine["value"] == pytest.approx(row["value"])
        compared += 1
    assert compared == len(reference) > 0

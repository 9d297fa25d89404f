"""Synthetic year-9 populations for the SALSA tests: background drives the grades."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from likvard_core.warehouse.schema import ENROLMENTS, FINAL_GRADES

SUBJECTS = [f"S{i:02d}" for i in range(16)]
GRADES = np.array(["F", "E", "D", "C", "B", "A"])


def salsa_tables(
    schools: int, *, seed: int, years: tuple[int, ...] = (2025,)
) -> dict[str, pa.Table]:
    """Enrolments and final grades for ``schools`` school units of 8-90 students per year."""
    rng = np.random.default_rng(seed)
    enrol: dict[str, list[object]] = {c: [] for c in ENROLMENTS.columns if c != "batch_id"}
    finals: dict[str, list[object]] = {c: [] for c in FINAL_GRADES.columns if c != "batch_id"}
    for year in years:
        for school in range(schools):
            code = f"5000{school:04d}"
            n = int(rng.integers(8, 90))
            level = rng.uniform(1.6, 2.8)
            education = np.clip(rng.normal(level, 0.4, n), 1.0, 3.0)
            boys = rng.random(n) < rng.uniform(0.35, 0.65)
            newly = rng.random(n) < rng.uniform(0.0, 0.2)
            known = rng.random(n) < 0.95
            keys = [f"{code}-{year}-{i}" for i in range(n)]
            _add(
                enrol,
                {
                    "school_year": [year] * n,
                    "student_key": keys,
                    "school_unit_code": [code] * n,
                    "organizer_code": ["2120000000"] * n,
                    "school_form": ["grundskola"] * n,
                    "grade_year": [9] * n,
                    "programme_code": [None] * n,
                    "home_municipality_code": ["1480"] * n,
                    "gender": np.where(boys, "M", "F").tolist(),
                    "born_abroad": newly.tolist(),
                    "newly_arrived": newly.tolist(),
                    "parents_education": [
                        e if k else None for e, k in zip(education, known, strict=True)
                    ],
                },
            )
            ability = 1.2 * education - 0.4 * boys - 1.0 * newly + rng.normal(0, 0.8, n)
            subject_count = rng.integers(12, 17, size=n)
            for position, subject in enumerate([*SUBJECTS, "ML"]):
                takes = (position < subject_count) | (subject == "ML") & (rng.random(n) < 0.7)
                steps = np.clip(np.round(ability + rng.normal(0, 1.0, n)), 0, 5).astype(int)
                rows = np.flatnonzero(takes)
                _add(
                    finals,
                    {
                        "school_year": [year] * rows.size,
                        "student_key": [keys[i] for i in rows],
                        "school_unit_code": [code] * rows.size,
                        "grade_year": [9] * rows.size,
                        "subject_code": [subject] * rows.size,
                        "grade": GRADES[steps[rows]].tolist(),
                        "language_choice": [subject == "ML"] * rows.size,
                    },
                )
    return {
        "enrolments": pa.table(enrol, schema=_schema(ENROLMENTS.schema)),
        "final_grades": pa.table(finals, schema=_schema(FINAL_GRADES.schema)),
    }


def _schema(schema: pa.Schema) -> pa.Schema:
    return schema.remove(schema.get_field_index("batch_id"))


def _add(target: dict[str, list[object]], rows: dict[str, list[object]]) -> None:
    for column, values in rows.items():
        target[column].extend(values)

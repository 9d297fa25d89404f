"""Arrow builders for warehouse tests: small contract-shaped fact tables."""

from __future__ import annotations

import pyarrow as pa


def population(rows: int, *, municipality: str = "1480", start_age: int = 0) -> pa.Table:
    """A ``population`` table without ``batch_id``: ages from ``start_age``, alternating gender."""
    return pa.table(
        {
            "year": [2024] * rows,
            "municipality_code": [municipality] * rows,
            "age": [(start_age + i) % 100 for i in range(rows)],
            "gender": ["F" if i % 2 else "M" for i in range(rows)],
            "persons": [10 + i for i in range(rows)],
        }
    )


def enrolments(rows: int, *, offset: int = 0) -> pa.Table:
    """An ``enrolments`` table without ``batch_id``, one row per synthetic student key."""
    keys = [f"k{offset + i:012d}" for i in range(rows)]
    return pa.table(
        {
            "school_year": pa.array([2025] * rows, pa.int16()),
            "student_key": keys,
            "school_unit_code": [f"{10000000 + (offset + i) % 300}" for i in range(rows)],
            "organizer_code": ["2120001355"] * rows,
            "school_form": ["grundskola"] * rows,
            "grade_year": pa.array([(i % 9) + 1 for i in range(rows)], pa.int8()),
            "programme_code": pa.array([None] * rows, pa.string()),
            "home_municipality_code": ["1480"] * rows,
            "gender": ["F" if i % 2 else "M" for i in range(rows)],
            "born_abroad": [i % 7 == 0 for i in range(rows)],
            "newly_arrived": [i % 23 == 0 for i in range(rows)],
            "parents_education": pa.array([1.0 + (i % 3) for i in range(rows)], pa.float32()),
        }
    )

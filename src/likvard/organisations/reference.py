"""Reading and checking the public reference tables (CSV files with a header row).

Every file is read in full and checked before anything is written, so a bad newer file
changes nothing. Problems are returned as ``ReferenceProblem`` values naming file, row and column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SHIPPED_DIR = Path(__file__).resolve().parent / "reference_data"

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "counties.csv": ("county_code", "name"),
    "municipalities.csv": ("code", "name", "county_code"),
    "regions.csv": ("region_code", "region_name", "municipality_code"),
    "programmes.csv": ("code", "name", "kind"),
    "organizers.csv": ("organisation_number", "name", "organizer_type", "municipality_code"),
    "school_units.csv": (
        "school_unit_code",
        "name",
        "municipality_code",
        "organisation_number",
        "school_forms",
        "grade_years",
        "programmes",
        "pupils",
    ),
}
"""The reference files in load order, with the columns each must have."""

PATTERNS: dict[str, re.Pattern[str]] = {
    "county_code": re.compile(r"^\d{2}$"),
    "code@municipalities.csv": re.compile(r"^\d{4}$"),
    "municipality_code": re.compile(r"^(\d{4})?$"),
    "organisation_number": re.compile(r"^\d{10}$"),
    "school_unit_code": re.compile(r"^\d{8}$"),
    "pupils": re.compile(r"^\d*$"),
}


@dataclass(frozen=True, slots=True)
class ReferenceProblem:
    """One problem in a reference file: where it is and what was expected (English)."""

    file: str
    row: int
    column: str
    expected: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: expected {self.expected}"


def reference_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a reference CSV with their 1-based file row numbers (the header is row 1)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            yield number, {key: (value or "").strip() for key, value in row.items() if key}


def reference_problems(directory: Path) -> list[ReferenceProblem]:
    """Every problem in the reference files of ``directory``; empty when all can be loaded."""
    problems: list[ReferenceProblem] = []
    for name, columns in REQUIRED_COLUMNS.items():
        path = directory / name
        if not path.exists():
            problems.append(ReferenceProblem(name, 0, "-", "the file to exist"))
            continue
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
        missing = [c for c in columns if c not in header]
        if missing:
            problems.extend(
                ReferenceProblem(name, 1, c, "this column in the header") for c in missing
            )
            continue
        for number, row in reference_rows(path):
            for column in columns:
                pattern = PATTERNS.get(f"{column}@{name}") or PATTERNS.get(column)
                if pattern and not pattern.match(row[column]):
                    problems.append(
                        ReferenceProblem(
                            name, number, column, f"a value matching {pattern.pattern}"
                        )
                    )
    if not problems:
        problems.extend(_dangling_references(directory))
    return problems


_REFERENCES = [
    ("municipalities.csv", "county_code", "counties.csv", "county_code"),
    ("regions.csv", "municipality_code", "municipalities.csv", "code"),
    ("organizers.csv", "municipality_code", "municipalities.csv", "code"),
    ("school_units.csv", "municipality_code", "municipalities.csv", "code"),
    ("school_units.csv", "organisation_number", "organizers.csv", "organisation_number"),
]


def _dangling_references(directory: Path) -> list[ReferenceProblem]:
    problems: list[ReferenceProblem] = []
    for name, column, target, key in _REFERENCES:
        known = {row[key] for _, row in reference_rows(directory / target)}
        problems.extend(
            ReferenceProblem(name, number, column, f"a value listed in {target}")
            for number, row in reference_rows(directory / name)
            if row[column] and row[column] not in known
        )
    return problems


def split_list(value: str) -> list[str]:
    """A ``;``-separated list cell as a list, without empty items."""
    return [item.strip() for item in value.split(";") if item.strip()]

"""The shipped reference tables (regions, school units, organizers, programmes) as plain values.

The synthetic generators take the folder's path as a parameter and read its CSV files with the
standard library, so the core never imports the Django app that ships them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SchoolUnit:
    """A real school unit of the register, as far as the generators need it."""

    code: str
    name: str
    municipality_code: str
    organizer_code: str
    organizer_municipality: str  # the municipality the organizer *is*, '' for non-municipal
    school_forms: frozenset[str]
    grade_years: frozenset[int]
    programmes: tuple[str, ...]
    pupils: int


@dataclass(frozen=True, slots=True)
class Programme:
    """An upper-secondary programme: code and kind (national_vocational, ... introduction)."""

    code: str
    kind: str


@dataclass(frozen=True, slots=True)
class Reference:
    """The reference tables: region membership, municipalities, school units, programmes."""

    regions: dict[str, tuple[str, ...]]  # region code -> member municipality codes
    municipalities: tuple[str, ...]  # every municipality code in Sweden
    schools: tuple[SchoolUnit, ...]
    programmes: dict[str, Programme]

    def region_of(self, municipality_code: str) -> str:
        """The region code a member municipality belongs to ('' if none)."""
        for region, members in self.regions.items():
            if municipality_code in members:
                return region
        return ""

    def school_codes(self) -> frozenset[str]:
        """Every school unit code in the reference data."""
        return frozenset(school.code for school in self.schools)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _grade_years(text: str) -> frozenset[int]:
    return frozenset(int(part) for part in text.split(";") if part.isdigit())


def load_reference(folder: Path) -> Reference:
    """The reference tables read from ``folder`` (the shipped ``reference_data`` layout)."""
    regions: dict[str, list[str]] = {}
    for row in _rows(folder / "regions.csv"):
        regions.setdefault(row["region_code"], []).append(row["municipality_code"])
    organizer_municipality = {
        row["organisation_number"]: row["municipality_code"]
        for row in _rows(folder / "organizers.csv")
        if row["organizer_type"] == "kommunal"
    }
    schools = tuple(
        SchoolUnit(
            code=row["school_unit_code"],
            name=row["name"],
            municipality_code=row["municipality_code"],
            organizer_code=row["organisation_number"],
            organizer_municipality=organizer_municipality.get(row["organisation_number"], ""),
            school_forms=frozenset(filter(None, row["school_forms"].split(";"))),
            grade_years=_grade_years(row["grade_years"]),
            programmes=tuple(filter(None, row["programmes"].split(";"))),
            pupils=int(row["pupils"] or 0),
        )
        for row in _rows(folder / "school_units.csv")
    )
    programmes = {
        row["code"]: Programme(row["code"], row["kind"]) for row in _rows(folder / "programmes.csv")
    }
    municipalities = tuple(row["code"] for row in _rows(folder / "municipalities.csv"))
    return Reference(
        regions={code: tuple(sorted(members)) for code, members in sorted(regions.items())},
        municipalities=municipalities,
        schools=tuple(sorted(schools, key=lambda school: school.code)),
        programmes=programmes,
    )

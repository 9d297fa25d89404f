"""Writing organisations: loading and updating the public reference tables, adding regions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from likvard.organisations.models import (
    County,
    Municipality,
    Organizer,
    Programme,
    Region,
    SchoolUnit,
)
from likvard.organisations.reference import (
    SHIPPED_DIR,
    ReferenceProblem,
    reference_problems,
    reference_rows,
    split_list,
)


class ReferenceDataError(Exception):
    """The reference files have problems; nothing was written."""

    def __init__(self, problems: list[ReferenceProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the reference files")
        self.problems = problems


@dataclass(frozen=True, slots=True)
class ReferenceLoadSummary:
    """How many rows of each reference table exist after a load."""

    counts: dict[str, int]


def reference_load(*, directory: Path = SHIPPED_DIR) -> ReferenceLoadSummary:
    """Load or update every reference table from ``directory``, all or nothing.

    Rows are matched on their codes, so loading the same files again changes nothing and a
    newer file of the same kind updates names and adds new rows.
    """
    problems = reference_problems(directory)
    if problems:
        raise ReferenceDataError(problems)
    with transaction.atomic():
        _load_geography(directory)
        _load_regions(directory)
        _load_programmes(directory)
        _load_organizers(directory)
        _load_school_units(directory)
    return ReferenceLoadSummary(
        counts={
            "counties": County.objects.count(),
            "municipalities": Municipality.objects.count(),
            "regions": Region.objects.count(),
            "programmes": Programme.objects.count(),
            "organizers": Organizer.objects.count(),
            "school_units": SchoolUnit.objects.count(),
        }
    )


def _load_geography(directory: Path) -> None:
    for _, row in reference_rows(directory / "counties.csv"):
        County.objects.update_or_create(code=row["county_code"], defaults={"name": row["name"]})
    for _, row in reference_rows(directory / "municipalities.csv"):
        Municipality.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "county_id": row["county_code"]}
        )


def _load_regions(directory: Path) -> None:
    members: dict[str, list[str]] = {}
    for _, row in reference_rows(directory / "regions.csv"):
        region, _created = Region.objects.update_or_create(
            code=row["region_code"].lower(), defaults={"name": row["region_name"]}
        )
        members.setdefault(region.code, []).append(row["municipality_code"])
    for code, municipality_codes in members.items():
        Region.objects.get(code=code).municipalities.set(
            Municipality.objects.filter(code__in=municipality_codes)
        )


def _load_programmes(directory: Path) -> None:
    for _, row in reference_rows(directory / "programmes.csv"):
        Programme.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "kind": row["kind"]}
        )


def _load_organizers(directory: Path) -> None:
    for _, row in reference_rows(directory / "organizers.csv"):
        Organizer.objects.update_or_create(
            organisation_number=row["organisation_number"],
            defaults={
                "name": row["name"],
                "organizer_type": row["organizer_type"],
                "municipality_id": row["municipality_code"] or None,
            },
        )


def _load_school_units(directory: Path) -> None:
    organizer_ids = dict(Organizer.objects.values_list("organisation_number", "id"))
    for _, row in reference_rows(directory / "school_units.csv"):
        unit, _created = SchoolUnit.objects.update_or_create(
            code=row["school_unit_code"],
            defaults={
                "name": row["name"],
                "municipality_id": row["municipality_code"],
                "organizer_id": organizer_ids[row["organisation_number"]],
                "school_forms": split_list(row["school_forms"]),
                "grade_years": split_list(row["grade_years"]),
                "pupils": int(row["pupils"]) if row["pupils"] else None,
            },
        )
        unit.programmes.set(Programme.objects.filter(code__in=split_list(row["programmes"])))


def region_create(*, code: str, name: str, municipality_codes: list[str]) -> Region:
    """Create a region of the given municipalities (a user-defined collaboration)."""
    with transaction.atomic():
        region = Region(code=code, name=name)
        region.full_clean()
        region.save()
        region.municipalities.set(Municipality.objects.filter(code__in=municipality_codes))
    return region

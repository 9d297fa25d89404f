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
from likvard.organisations.register_names import readable_name


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


def _rows(directory: Path, name: str) -> list[dict[str, str]]:
    return [row for _, row in reference_rows(directory / name)]


def _load_geography(directory: Path) -> None:
    County.objects.bulk_create(
        [County(code=r["county_code"], name=r["name"]) for r in _rows(directory, "counties.csv")],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
    )
    Municipality.objects.bulk_create(
        [
            Municipality(code=r["code"], name=r["name"], county_id=r["county_code"])
            for r in _rows(directory, "municipalities.csv")
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "county"],
    )


def _load_regions(directory: Path) -> None:
    members: dict[str, list[str]] = {}
    for row in _rows(directory, "regions.csv"):
        region, _created = Region.objects.update_or_create(
            code=row["region_code"].lower(), defaults={"name": row["region_name"]}
        )
        members.setdefault(region.code, []).append(row["municipality_code"])
    for code, municipality_codes in members.items():
        Region.objects.get(code=code).municipalities.set(
            Municipality.objects.filter(code__in=municipality_codes)
        )


def _load_programmes(directory: Path) -> None:
    Programme.objects.bulk_create(
        [
            Programme(code=r["code"], name=r["name"], kind=r["kind"])
            for r in _rows(directory, "programmes.csv")
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "kind"],
    )


def _load_organizers(directory: Path) -> None:
    Organizer.objects.bulk_create(
        [
            Organizer(
                organisation_number=r["organisation_number"],
                name=readable_name(r["name"]),
                organizer_type=r["organizer_type"],
                municipality_id=r["municipality_code"] or None,
            )
            for r in _rows(directory, "organizers.csv")
        ],
        update_conflicts=True,
        unique_fields=["organisation_number"],
        update_fields=["name", "organizer_type", "municipality"],
    )


def _load_school_units(directory: Path) -> None:
    organizer_ids = dict(Organizer.objects.values_list("organisation_number", "id"))
    rows = _rows(directory, "school_units.csv")
    SchoolUnit.objects.bulk_create(
        [
            SchoolUnit(
                code=r["school_unit_code"],
                name=r["name"],
                municipality_id=r["municipality_code"],
                organizer_id=organizer_ids[r["organisation_number"]],
                school_forms=split_list(r["school_forms"]),
                grade_years=split_list(r["grade_years"]),
                pupils=int(r["pupils"]) if r["pupils"] else None,
            )
            for r in rows
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "name",
            "municipality",
            "organizer",
            "school_forms",
            "grade_years",
            "pupils",
        ],
    )
    unit_ids = dict(SchoolUnit.objects.values_list("code", "id"))
    through = SchoolUnit.programmes.through
    wanted = {
        (unit_ids[r["school_unit_code"]], code)
        for r in rows
        for code in split_list(r["programmes"])
    }
    known = set(Programme.objects.values_list("code", flat=True))
    through.objects.filter(
        schoolunit_id__in=[unit_ids[r["school_unit_code"]] for r in rows]
    ).delete()
    through.objects.bulk_create(
        [
            through(schoolunit_id=unit, programme_id=code)
            for unit, code in sorted(wanted)
            if code in known
        ]
    )

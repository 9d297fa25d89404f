"""Incident follow-up reports: the only code of these pages touching Django and the core.

Every count leaves through ``likvard.access.release.release_cube`` (one cube per region, school
year, data version and number of days: no figure spans years, so the years share no tie); the
stage counts are cells of the cube beside the reports. A school's case records leave only to
its own principal and student health team (``Action.READ_INCIDENT_CASES``), each read audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from likvard.access.audit import audit_student_read
from likvard.access.policy import Action, Viewer, require
from likvard.access.release import Released, release_cube, released_union
from likvard.analyses.incidents import charts
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Organizer, Region, SchoolUnit
from likvard.warehouse.fragments import figures_cached_keyed
from likvard.warehouse.selectors import VersionRef, data_version_get
from likvard_core.analytics.incidents.cases import school_unit_cases
from likvard_core.analytics.incidents.followup import (
    BREAKDOWNS,
    followup_breakdowns,
    followup_cubes,
    incident_cells,
)
from likvard_core.analytics.incidents.followup import DEFAULT_WITHIN_DAYS as DEFAULT_DAYS

DEFAULT_WITHIN_DAYS: int = DEFAULT_DAYS
"""Days that count as prompt unless the viewer chooses otherwise."""
WITHIN_CHOICES: tuple[int, ...] = (7, 14, 30)
"""Days offered for "investigated/measures within" (the law names no number of days)."""


def _unit_organizers(region: Region) -> dict[str, str]:
    """School-unit code → its organizer's organisation number, for the region's units."""
    units = SchoolUnit.objects.filter(municipality__regions=region, organizer__isnull=False)
    return dict(units.values_list("code", "organizer__organisation_number"))


def _cells(version: VersionRef, region: Region, within_days: int) -> tuple[pa.Table, pa.Table]:
    units = _unit_organizers(region)

    def compute() -> pa.Table:
        with version.open() as db:
            cases, students = incident_cells(db, unit_organizers=units, within_days=within_days)
        marker = pa.array(["cases"] * cases.num_rows + ["students"] * students.num_rows)
        both = pa.concat_tables(
            [cases, students.select(["school_year", "school_unit_code", "students"])],
            promote_options="permissive",
        )
        return both.append_column("part", marker)

    params = {"region": region.code, "within": within_days, "v": 2}
    both = version.derived("incident_cells", params, compute)
    is_cases = pc.equal(both.column("part"), "cases")
    cases = both.filter(is_cases).drop_columns(["part", "students"])
    students = both.filter(pc.invert(is_cases)).select(
        ["school_year", "school_unit_code", "students"]
    )
    return cases, students


@dataclass(frozen=True, slots=True)
class IncidentReport:
    """A region's incident follow-up, released: one table per breakdown (school unit,
    organizer, kind; each with the region's total as its null row), names, charts."""

    region: Region
    tables: dict[str, Released]
    names: dict[str, dict[str, str]]
    within_days: int
    years: list[int]
    charts: dict[str, dict[str, object]]
    data_version: str


def incident_region_report(
    *,
    viewer: Viewer,
    region: Region,
    within_days: int = DEFAULT_WITHIN_DAYS,
    channel: str = "web",
) -> IncidentReport:
    """Reports per school year at the school units located in ``region`` (whoever runs
    them), per unit, organizer and kind, through the release gate as one cube.

    Computed once per data version, viewer rights class and choices
    (``warehouse.fragments.figures_cached_keyed``, issue #18); a viewer reading audited
    figures from the cache is audited for the same reads as if computed."""
    choices = {"region": region.code, "within_days": str(within_days), "channel": channel}
    report, _key = figures_cached_keyed(
        name="incidents.region",
        viewer=viewer,
        choices=choices,
        compute=lambda: _region_report(
            viewer=viewer, region=region, within_days=within_days, channel=channel
        ),
    )
    return report


def _region_report(
    *, viewer: Viewer, region: Region, within_days: int, channel: str
) -> IncidentReport:
    version = data_version_get()
    cells = _cells(version, region, within_days)
    every_year = sorted({int(y) for y in cells[0].column("school_year").to_pylist()})
    cubes = followup_cubes(
        cells,
        data_version=version.label,
        scope=f"region:{region.code}/within:{within_days}",
        unit_year=every_year[-1] if every_year else None,
    )
    if not cubes:  # no case delivered: the empty tables, released as one cube
        cubes = {0: followup_breakdowns(cells, data_version=version.label, scope="none",
                                        unit_year=None)}  # fmt: skip
    released = [
        release_cube(cube, viewer=viewer, purpose="incidents.region", channel=channel)
        for _year, cube in sorted(cubes.items())
    ]
    tables = {by: released_union([r[by] for r in released if by in r]) for by in BREAKDOWNS}
    totals = [r for r in tables["organizer_code"].rows() if r["organizer_code"] is None]
    years = sorted({int(str(r["school_year"])) for r in totals})
    return IncidentReport(
        region=region,
        tables=tables,
        names=_names(region),
        within_days=within_days,
        years=years,
        charts={
            "trend": charts.trend(totals),
            "stages": charts.stages(totals),
        },
        data_version=version.label,
    )


def _names(region: Region) -> dict[str, dict[str, str]]:
    numbers = set(_unit_organizers(region).values())
    organizers = {
        o.organisation_number: o.name
        for o in Organizer.objects.filter(organisation_number__in=numbers)
    }
    return {
        "school_unit_code": {
            u.code: u.name for u in organisations.school_unit_names(region=region)
        },
        "organizer_code": organizers,
    }


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One case of the school's own list (dates; days from the report, None when not done)."""

    case_id: str
    reported_on: dt.date
    incident_kind: str
    investigated_on: dt.date | None
    measures_on: dt.date | None
    closed_on: dt.date | None
    days_investigated: int | None
    days_measures: int | None
    days_closed: int | None


@dataclass(frozen=True, slots=True)
class CaseList:
    """A school unit's incident cases for its principal and student health team."""

    school: SchoolUnit
    rows: list[CaseRow]
    data_version: str


def incident_cases(*, viewer: Viewer, school: SchoolUnit, channel: str = "web") -> CaseList:
    """The latest cases of ``school``: for its own principal and student health team only
    (``PermissionDenied`` otherwise); every read is audited."""
    require(viewer, Action.READ_INCIDENT_CASES, school_unit=school.code)
    version = data_version_get()
    with version.open() as db:
        table = school_unit_cases(db, school_unit=school.code)
    audit_student_read(
        viewer=viewer,
        action="export" if channel == "export" else "read",
        scope=f"incidents.cases/school_unit:{school.code}",
        purpose="incidents.cases",
        data_version=version.label,
        channel=channel,
    )
    return CaseList(
        school=school,
        rows=[CaseRow(**row) for row in table.to_pylist()],
        data_version=version.label,
    )

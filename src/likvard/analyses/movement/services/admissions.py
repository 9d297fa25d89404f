"""Admitted against enrolled on 15 October, per school unit and programme, for a region."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from likvard.access.policy import Viewer
from likvard.access.release import Released, release_cube
from likvard.analyses.movement.selectors import Reference, movement_reference
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Region
from likvard.warehouse.fragments import figures_cached_keyed
from likvard.warehouse.selectors import data_version_get
from likvard_core.analytics.movement.admissions import (
    Category,
    admission_years,
    admissions_reconciliation,
    admissions_vs_enrolment,
)
from likvard_core.analytics.movement.scope import Scope


@dataclass(frozen=True, slots=True)
class AdmissionRow:
    """One school unit and programme (``None`` = hidden)."""

    school_unit_code: str
    school_unit: str
    programme_code: str
    programme: str
    first_choice: int | None
    admitted_preliminary: int | None
    admitted_final: int | None
    admitted_reserve: int | None
    enrolled: int | None
    incoming: int | None
    outgoing: int | None
    added_places: int | None
    added_flag: bool | None

    @property
    def all_hidden(self) -> bool:
        """True when suppression hid every figure of the row (it shows nothing but ``..``)."""
        return all(
            v is None
            for v in (self.first_choice, self.admitted_preliminary, self.admitted_final,
                      self.admitted_reserve, self.enrolled, self.incoming, self.outgoing)
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class AdmissionsReport:
    """The admissions page: cells, the flagged added places and the region's reconciliation."""

    region: Region
    year: int | None
    years: list[int]
    cells: Released
    summary: Released
    rows: list[AdmissionRow]
    flagged: list[AdmissionRow]
    categories: dict[str, int | None]
    hidden_rows: int = 0
    """School unit and programme rows left out of ``rows`` because every figure is hidden."""
    chart: dict[str, object] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        """Every school unit and programme row, shown or left out."""
        return len(self.rows) + self.hidden_rows


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))


def _row(r: dict[str, object], reference: Reference) -> AdmissionRow:
    return AdmissionRow(
        school_unit_code=str(r["school_unit_code"]),
        school_unit=reference.school_unit(str(r["school_unit_code"])),
        programme_code=str(r["programme_code"]),
        programme=reference.programme(str(r["programme_code"])),
        first_choice=_int(r["first_choice"]),
        admitted_preliminary=_int(r["admitted_preliminary"]),
        admitted_final=_int(r["admitted_final"]),
        admitted_reserve=_int(r["admitted_reserve"]),
        enrolled=_int(r["enrolled"]),
        incoming=_int(r["incoming"]),
        outgoing=_int(r["outgoing"]),
        added_places=_int(r["added_places"]),
        added_flag=None if r["added_flag"] is None else bool(r["added_flag"]),
    )


def _categories(summary: Released, year: int | None) -> dict[str, int | None]:
    """Every category, 0 when no student fell in it (a hidden count stays ``None``)."""
    found = {str(r["category"]): _int(r["n"]) for r in summary.rows() if r["school_year"] == year}
    return {c.value: found.get(c.value, 0) for c in Category} if year is not None else found


def admissions_report(*, viewer: Viewer, region: Region, year: int | None) -> AdmissionsReport:
    """Admission year ``year`` (the latest with a 15 October count by default) of the students
    living in ``region``: per school unit and programme, and every student once in the summary."""
    return admissions_report_keyed(viewer=viewer, region=region, year=year)[0]


def admissions_report_keyed(
    *, viewer: Viewer, region: Region, year: int | None
) -> tuple[AdmissionsReport, str]:
    """``admissions_report`` and the cache key naming exactly its figures: computed once per
    data version, viewer rights class, region and year asked (``warehouse.fragments.
    figures_cached_keyed``, issue #16: 1-2 s a request before); a viewer reading audited
    figures from the cache is audited for the same reads as if computed."""
    return figures_cached_keyed(
        name="movement.admissions",
        viewer=viewer,
        choices={"region": region.code, "year": "" if year is None else str(year)},
        compute=lambda: _admissions_report(viewer=viewer, region=region, year=year),
    )


def _admissions_report(*, viewer: Viewer, region: Region, year: int | None) -> AdmissionsReport:
    reference = movement_reference()
    members = frozenset(m.code for m in organisations.region_municipalities(region=region))
    with data_version_get().open() as db:
        years = admission_years(db, Scope())
        chosen = year if year in years else (years[-1] if years else None)
        scope = Scope.of(municipalities=members, years=[] if chosen is None else [chosen])
        cells = admissions_vs_enrolment(db, reference.lookups, scope)
        summary = admissions_reconciliation(db, reference.lookups, scope)
    # One joint release. No ties are declared: a cell's count is the largest of its enrolled,
    # finally admitted and first-choice students, which does not add up to the summary's
    # students (each counted once), so the two tables share no cell.
    joint = release_cube(
        {"cells": cells, "summary": summary}, viewer=viewer, purpose="movement.admissions"
    )
    released, released_summary = joint["cells"], joint["summary"]
    every = [_row(r, reference) for r in released.rows()]
    rows = sorted(
        (r for r in every if not r.all_hidden), key=lambda r: (r.school_unit, r.programme)
    )
    categories = _categories(released_summary, chosen)
    return AdmissionsReport(
        region=region,
        year=chosen,
        years=years,
        cells=released,
        summary=released_summary,
        rows=rows,
        flagged=[r for r in rows if r.added_flag],
        categories=categories,
        hidden_rows=len(every) - len(rows),
        chart=reconciliation_chart(categories),
    )


CATEGORY_LABELS = {
    Category.STAYED.value: gettext_lazy("Enrolled where finally admitted"),
    Category.MOVED.value: gettext_lazy("Enrolled elsewhere than admitted"),
    Category.LEFT.value: gettext_lazy("Admitted, not enrolled"),
    Category.ARRIVED.value: gettext_lazy("Enrolled, not admitted"),
}


def reconciliation_chart(categories: dict[str, int | None]) -> dict[str, object]:
    """Bars of the region's students by what happened between final admission and 15 October
    (each student once); a hidden category is left out and named in the chart's description."""
    values = [
        {"category": str(label), "students": categories.get(key)}
        for key, label in CATEGORY_LABELS.items()
        if categories.get(key) is not None
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": _("Students by what happened between final admission and 15 October"),
        "width": "container",
        "height": {"step": 34},
        "data": {"values": values},
        "mark": {"type": "bar", "color": "#2c6e9e"},
        "encoding": {
            "y": {"field": "category", "type": "nominal", "sort": None, "title": None,
                  "axis": {"labelLimit": 260}},
            "x": {"field": "students", "type": "quantitative", "title": _("Students")},
            "tooltip": [
                {"field": "category", "type": "nominal", "title": _("What happened")},
                {"field": "students", "type": "quantitative", "title": _("Students")},
            ],
        },
        "config": {"axis": {"labelFontSize": 12, "titleFontSize": 12}},
    }  # fmt: skip

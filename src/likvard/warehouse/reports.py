"""Reports over the warehouse that every organizer needs first: who is in the data."""

from __future__ import annotations

from dataclasses import dataclass

from likvard.access.policy import Viewer
from likvard.access.release import Released, release
from likvard.organisations.labels import LabelKind, names
from likvard.organisations.models import Organizer
from likvard.warehouse.fragments import figures_cached_keyed
from likvard.warehouse.selectors import data_version_get
from likvard_core.analytics.enrolment.counts import enrolment_by_school_unit


@dataclass(frozen=True, slots=True)
class EnrolmentRow:
    """One school unit's enrolled girls and boys in a year; None where the figure is hidden."""

    code: str
    name: str
    girls: int | None
    boys: int | None


@dataclass(frozen=True, slots=True)
class EnrolmentReport:
    """Enrolled students per year, school unit and gender, as released to the viewer."""

    organizer: Organizer
    released: Released
    years: list[int]

    def year_rows(self, year: int) -> list[EnrolmentRow]:
        """The school units' girls and boys in school year ``year`` (spring year), by name."""
        cells: dict[str, dict[str, int | None]] = {}
        for row in self.released.rows():
            if int(str(row["school_year"])) == year:
                by_gender = cells.setdefault(str(row["school_unit_code"]), {})
                students = row["students"]
                by_gender[str(row["gender"])] = None if students is None else int(str(students))
        unit_names = names(LabelKind.SCHOOL_UNIT, cells)
        rows = [
            EnrolmentRow(code, unit_names.get(code, code), g.get("F"), g.get("M"))
            for code, g in cells.items()
        ]
        return sorted(rows, key=lambda r: (r.name, r.code))


def organizer_enrolment_report(
    *, viewer: Viewer, organizer: Organizer, channel: str = "web"
) -> EnrolmentReport:
    """The organizer's enrolment counts: in full for its own analysts (audited), else suppressed.

    Released once per data version, viewer rights class, organizer and channel
    (``warehouse.fragments.figures_cached_keyed``, issue #16: a DuckDB snapshot opened and
    queried on every request before, 120-150 ms of CPU); a viewer reading audited figures
    from the cache is audited for the same reads as if computed.
    """
    released, _key = figures_cached_keyed(
        name="warehouse.enrolment",
        viewer=viewer,
        choices={"organizer": organizer.organisation_number, "channel": channel},
        compute=lambda: _enrolment_released(viewer=viewer, organizer=organizer, channel=channel),
    )
    years = sorted({int(str(y)) for y in released.table.column("school_year").to_pylist()})
    return EnrolmentReport(organizer=organizer, released=released, years=years)


def _enrolment_released(*, viewer: Viewer, organizer: Organizer, channel: str) -> Released:
    with data_version_get().open() as db:
        aggregate = enrolment_by_school_unit(db, organizers={organizer.organisation_number})
    return release(aggregate, viewer=viewer, purpose="enrolment overview", channel=channel)

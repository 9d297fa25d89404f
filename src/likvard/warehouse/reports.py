"""Reports over the warehouse that every organizer needs first: who is in the data."""

from __future__ import annotations

from dataclasses import dataclass

from likvard.access.policy import Viewer
from likvard.access.release import Released, release
from likvard.organisations.models import Organizer
from likvard.warehouse.selectors import data_version_get
from likvard_core.analytics.enrolment.counts import enrolment_by_school_unit


@dataclass(frozen=True, slots=True)
class EnrolmentReport:
    """Enrolled students per year, school unit and gender, as released to the viewer."""

    organizer: Organizer
    released: Released
    years: list[int]


def organizer_enrolment_report(
    *, viewer: Viewer, organizer: Organizer, channel: str = "web"
) -> EnrolmentReport:
    """The organizer's enrolment counts: in full for its own analysts (audited), else suppressed."""
    version = data_version_get()
    with version.open() as db:
        aggregate = enrolment_by_school_unit(db, organizers={organizer.organisation_number})
    released = release(aggregate, viewer=viewer, purpose="enrolment overview", channel=channel)
    years = sorted({int(str(y)) for y in released.table.column("school_year").to_pylist()})
    return EnrolmentReport(organizer=organizer, released=released, years=years)

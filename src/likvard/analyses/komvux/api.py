"""JSON API of komvux: the same services as the pages, every table through the release gate."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from likvard.access.interface import found_or_404, signed_in_viewer
from likvard.access.schemas import ReleasedTableOut
from likvard.analyses.komvux import services
from likvard.organisations import selectors as organisations

router = Router(tags=["komvux"])


class KomvuxOut(Schema):
    """Released komvux tables, ``tables[measure][breakdown]``. Measures: ``applications``
    (applicants, admitted, places, ``soktryck`` = applicants per place), ``first_hand`` and
    ``eligible`` (``soktryck`` over their applicants), ``enrolment`` (enrolled at the check
    date, completed, interrupted, ``fill_rate``, ``completion_rate``, ``interruption_rate``
    with Wilson bounds, shares 0-1), ``outcomes`` (followed up six months after completing,
    in work, in studies, ``outcome_rate`` with bounds). Breakdowns: ``municipality_code``,
    ``course_code``, ``start_key`` (municipality/start), ``provider_type``, ``provision``,
    ``size`` (large: 20 places or more); each per ``year`` with a null row for the year's total.
    The definitions of söktryck, fill rate and completion are working definitions."""

    title: str
    years: list[int]
    names: dict[str, dict[str, str]]
    tables: dict[str, dict[str, ReleasedTableOut]]


def _out(report: services.KomvuxReport) -> KomvuxOut:
    return KomvuxOut(
        title=report.title,
        years=report.years,
        names=report.names,
        tables={
            measure: {by: ReleasedTableOut.from_released(t) for by, t in tables.items()}
            for measure, tables in report.tables.items()
        },
    )


@router.get("/regions/{code}", response=KomvuxOut)
def region(request: HttpRequest, code: str) -> KomvuxOut:
    """A region's komvux measures (every year), small groups hidden as on the page."""
    viewer = signed_in_viewer(request)
    found = found_or_404(lambda: organisations.region_get(code=code), _("There is no such region."))
    return _out(services.komvux_region_report(viewer=viewer, region=found, channel="api"))


@router.get("/organizers/{organisation_number}", response=KomvuxOut)
def organizer(request: HttpRequest, organisation_number: str) -> KomvuxOut:
    """One municipal organizer's komvux measures (every year); its own analysts in full."""
    viewer = signed_in_viewer(request)
    found = found_or_404(
        lambda: organisations.organizer_get(organisation_number=organisation_number),
        _("There is no organizer with that organisation number."),
    )
    return _out(services.komvux_organizer_report(viewer=viewer, organizer=found, channel="api"))

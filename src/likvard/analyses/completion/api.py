"""JSON API of completion and the early warning: the same services as the pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from likvard.access.interface import signed_in_viewer
from likvard.access.schemas import ReleasedTableOut
from likvard.analyses.completion import services
from likvard.analyses.completion.tasks import (
    completion_decide_enqueue,
    completion_decide_progress,
)
from likvard.organisations import selectors as organisations
from likvard.organisations.selectors import NotFoundError

router = Router(tags=["completion"])


class CompletionOut(Schema):
    """Released cohort tables of a region, one per breakdown (``home_municipality_code``,
    ``organizer_code``, ``school_unit_code``, ``programme_code``, ``background``): starters
    per start year (spring year of their first school year) and programme group, diploma within
    3, 4 and 5 years (``diploma_k_share`` 0-1, null when the years are not over), outcome at 4
    years and paths; ``totals``: every start year's totals per programme group (the trend);
    and the warning's evaluation per kind and threshold. A path (``moved_*``,
    ``im_to_national``) of a start year whose next school year is not in the data cannot have
    been seen yet: ``null`` there, with ``not_applicable`` = ``not_yet_observable`` (not 0)."""

    year: int | None
    totals: ReleasedTableOut
    tables: dict[str, ReleasedTableOut]
    evaluation: ReleasedTableOut


class WarningRowOut(Schema):
    """One flagged student of the school's own list: pseudonymised key, rates 0-1, why."""

    key: str
    school_year: int
    term: str
    programme_code: str
    grade_year: int | None
    rate: float
    invalid_rate: float
    previous_rate: float | None
    window_rate: float | None
    reasons: list[str]
    severity: str


class WarningListOut(Schema):
    """The early-warning list of a school unit (its principal only)."""

    school_unit_code: str
    data_version: str
    rows: list[WarningRowOut]


class PreparingOut(Schema):
    """The figures are being computed for the caller's access rights (a start year's joint
    decision can take minutes): ask again later. ``ready`` of ``total`` start years are done."""

    message: str
    ready: int
    total: int


@router.get("/regions/{code}", response={200: CompletionOut, 202: PreparingOut})
def region(
    request: HttpRequest, code: str, year: int | None = None
) -> CompletionOut | Status[PreparingOut]:
    """A region's cohort follow-up and the warning's evaluation, through the release gate:
    the breakdowns of start ``year`` (spring year; default the latest whose four years are
    over).

    202 while the figures are being computed for the caller's access rights (in the
    background; the request never waits for them): ask again in a few minutes."""
    viewer = signed_in_viewer(request)
    try:
        found = organisations.region_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no such region.")) from error
    try:
        known = completion_decide_progress(viewer=viewer, region=found.code)
        if known is not None:  # a task waits or runs: its progress, no tables computed
            raise services.CompletionNotReady(*known)
        try:
            report = services.completion_region_report(
                viewer=viewer, region=found, year=year, decide=False
            )
        except services.CompletionNotReady as missing:
            completion_decide_enqueue(
                viewer=viewer, region=found.code, progress=(missing.ready, missing.total)
            )
            # a backend that runs tasks inside enqueue has decided them already
            report = services.completion_region_report(
                viewer=viewer, region=found, year=year, decide=False
            )
    except services.CompletionNotReady as waiting:
        message = _(
            "The figures for completed studies are being computed for your access rights. "
            "Ask again in a few minutes."
        )
        return Status(202, PreparingOut(message=message, ready=waiting.ready, total=waiting.total))
    evaluation = services.evaluation_report(viewer=viewer, region=found)
    return CompletionOut(
        year=report.year,
        totals=ReleasedTableOut.from_released(report.totals),
        tables={k: ReleasedTableOut.from_released(v) for k, v in report.tables.items()},
        evaluation=ReleasedTableOut.from_released(evaluation.released),
    )


@router.get("/school-units/{school_unit_code}/warning-list", response=WarningListOut)
def warning_list(request: HttpRequest, school_unit_code: str) -> WarningListOut:
    """The students flagged in the latest term: for the school's own principal only (403 for
    everyone else); every read is audited."""
    viewer = signed_in_viewer(request)
    try:
        school = organisations.school_unit_get(code=school_unit_code)
    except NotFoundError as error:
        raise Http404(_("There is no such school unit.")) from error
    listing = services.warning_list(viewer=viewer, school=school, channel="api")
    return WarningListOut(
        school_unit_code=school.code,
        data_version=listing.data_version,
        rows=[
            WarningRowOut(
                key=r.key,
                school_year=r.school_year,
                term=r.term,
                programme_code=r.programme_code,
                grade_year=r.grade_year,
                rate=r.rate,
                invalid_rate=r.invalid_rate,
                previous_rate=r.previous_rate,
                window_rate=r.window_rate,
                reasons=list(r.reasons),
                severity=r.severity,
            )
            for r in listing.rows
        ],
    )

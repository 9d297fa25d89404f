"""Thin views of the incident follow-up: parse, authorise, call a service, render.

The region page is open to any signed-in user (the release gate decides what is shown in
full); a school's case list is for its own principal and student health team only.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from likvard.access.interface import signed_in_viewer
from likvard.analyses.incidents import exports, rows, services
from likvard.exports.files import FORMATS
from likvard.organisations import selectors as organisations
from likvard.organisations.selectors import NotFoundError
from likvard.warehouse.fragments import fragment_cached

TABLES = ("incident_kind", "organizer_code", "school_unit_code")


def _within(request: HttpRequest) -> int:
    text = request.GET.get("dagar", "")
    if not text:
        return services.DEFAULT_WITHIN_DAYS
    if not text.isdigit() or int(text) not in services.WITHIN_CHOICES:
        raise Http404(_("No such number of days."))
    return int(text)


@require_GET
@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    """A region's incident follow-up: trend, stages and the latest year per organizer, kind
    and school unit; ``?format=xlsx|pdf|pptx`` exports it."""
    viewer = signed_in_viewer(request)
    try:
        the_region = organisations.region_get(code=code)
    except NotFoundError as error:
        raise Http404(_("No such region.")) from error
    fmt = request.GET.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise Http404(_("No such format."))
    within_days = _within(request)
    if fmt:
        report = services.incident_region_report(
            viewer=viewer, region=the_region, within_days=within_days, channel="export"
        )
        file = exports.region_file(report, fmt)
        response = HttpResponse(file.content, content_type=file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
        return response

    def body() -> str:
        report = services.incident_region_report(
            viewer=viewer, region=the_region, within_days=within_days
        )
        year = report.years[-1] if report.years else None
        tables = [
            (
                by,
                _(rows.BREAKDOWN_LABELS[by]),
                rows.followup_rows(
                    report.tables[by], by=by, year=year, names=report.names.get(by, {})
                ),
            )
            for by in TABLES
        ]
        context = {
            "region": the_region,
            "report": report,
            "year": year,
            "within_choices": services.WITHIN_CHOICES,
            "trend": rows.followup_rows(
                report.tables["organizer_code"], by="organizer_code", year=None, names={}
            ),
            "tables": tables,
        }
        return render_to_string("analyses/incidents/_region_body.html", context, request)

    html = fragment_cached(  # rendered once per data version, viewer class and choices
        name=f"incidents.region.{the_region.code}",
        viewer=viewer,
        choices=dict(request.GET.lists()),
        render=body,
    )
    context = {"region": the_region, "body": html}
    return render(request, "analyses/incidents/region.html", context)


@require_GET
@login_required
def cases(request: HttpRequest, code: str) -> HttpResponse:
    """The school's own incident cases (its principal and student health team only)."""
    viewer = signed_in_viewer(request)
    try:
        school = organisations.school_unit_get(code=code)
    except NotFoundError as error:
        raise Http404(_("No such school unit.")) from error
    listing = services.incident_cases(viewer=viewer, school=school)
    context = {"school": school, "listing": listing, "kinds": rows.KIND_LABELS}
    return render(request, "analyses/incidents/cases.html", context)

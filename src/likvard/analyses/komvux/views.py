"""Thin views of the komvux pages: parse, authorise, call a service, render.

A page's figures are rendered once per data version, viewer class and choices
(``warehouse.fragments.fragment_cached``, issue #18); a viewer who sees figures in full is
audited for every request, from the cache too.

Open to every signed-in user; the release gate decides what is shown in full (an organizer's
own analysts see its figures unsuppressed, everyone else with small groups hidden).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from likvard.access.interface import found_or_404, signed_in_viewer
from likvard.analyses.komvux import charts, documents, rows, services
from likvard.analyses.komvux.definitions import BREAKDOWN_LABELS, DEFINITIONS, MEASURE_LABELS
from likvard.analyses.komvux.forms import YearForm
from likvard.exports.files import render as render_file
from likvard.organisations import selectors as organisations
from likvard.warehouse.fragments import fragment_cached

OVERVIEW = ("soktryck", "soktryck_eligible", "fill_rate", "completion_rate",
            "interruption_rate", "outcome_rate")  # fmt: skip


def _year(request: HttpRequest) -> int | None:
    form = YearForm(request.GET)
    if not form.is_valid():
        raise Http404(_("No such year."))
    year: int | None = form.cleaned_data["year"]
    return year


def _export(report: services.KomvuxReport, fmt: str) -> HttpResponse:
    if fmt not in documents.FORMATS:
        raise Http404(_("There is no such format."))
    exported = render_file(documents.komvux_document(report), fmt)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


def _context(report: services.KomvuxReport, *, skip: tuple[str, ...] = ()) -> dict[str, object]:
    year = report.year
    if year is None:
        return {"report": report, "year": None}
    order = [by for by in services.BREAKDOWNS if by not in skip and by != "start_key"]
    tables = [
        (by, BREAKDOWN_LABELS[by], rows.breakdown_rows(report, by=by, year=year))
        for by in [*order, "start_key"]
    ]
    by_name = {by: table for by, _label, table in tables}
    total = by_name["provider_type"][0] if by_name["provider_type"] else None
    overview = [
        (name, MEASURE_LABELS[name], DEFINITIONS[name], total.get(name) if total else None,
         total is not None and name in total.hidden)
        for name in OVERVIEW
    ]  # fmt: skip
    trend = rows.trend_rows(report)
    return {
        "report": report,
        "year": year,
        "tables": tables,
        "overview": overview,
        "total": total,
        "size_definition": DEFINITIONS["size"],
        "trend": trend,
        "trend_chart": charts.rates_trend(trend),
        "course_chart": charts.soktryck_bars(
            by_name["course_code"], _("Applicants per place, per course or programme")
        ),
        "provider_chart": charts.rates_by(
            by_name["provider_type"], _("Fill rate, completion and outcomes per provider type")
        ),
        "provenance": report.table("applications", "provider_type").provenance,
    }


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The regions and their municipal organizers, each with a komvux page."""
    signed_in_viewer(request)
    regions = [
        (region, services.komvux_organizers(region=region))
        for region in organisations.region_list()
    ]
    return render(request, "komvux/index.html", {"regions": regions})


@require_GET
@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    """A region's komvux starts: söktryck, fill rate and outcomes per course, provider type,
    municipality and size; ``?format=xlsx|pdf|pptx`` downloads the same figures."""
    viewer = signed_in_viewer(request)
    the_region = found_or_404(lambda: organisations.region_get(code=code), _("No such region."))
    fmt = request.GET.get("format")
    year = _year(request)
    if fmt:
        report = services.komvux_region_report(
            viewer=viewer, region=the_region, year=year, channel="export"
        )
        return _export(report, fmt)

    def body() -> str:
        report = services.komvux_region_report(viewer=viewer, region=the_region, year=year)
        return render_to_string("komvux/_report.html", _context(report), request)

    context = {
        "region": the_region,
        "organizers": services.komvux_organizers(region=the_region),
        "body": fragment_cached(  # rendered once per data version, viewer class and choices
            name=f"komvux.region.{the_region.code}",
            viewer=viewer,
            choices=dict(request.GET.lists()),
            render=body,
        ),
    }
    return render(request, "komvux/region.html", context)


@require_GET
@login_required
def organizer(request: HttpRequest, organisation_number: str) -> HttpResponse:
    """One municipal organizer's komvux starts, with the same measures and exports."""
    viewer = signed_in_viewer(request)
    the_organizer = found_or_404(
        lambda: organisations.organizer_get(organisation_number=organisation_number),
        _("No such organizer."),
    )
    fmt = request.GET.get("format")
    year = _year(request)
    if fmt:
        report = services.komvux_organizer_report(
            viewer=viewer, organizer=the_organizer, year=year, channel="export"
        )
        return _export(report, fmt)

    def body() -> str:
        report = services.komvux_organizer_report(viewer=viewer, organizer=the_organizer, year=year)
        context = _context(report, skip=("municipality_code",))
        return render_to_string("komvux/_organizer_body.html", context, request)

    html = fragment_cached(  # rendered once per data version, viewer class and choices
        name=f"komvux.organizer.{the_organizer.organisation_number}",
        viewer=viewer,
        choices=dict(request.GET.lists()),
        render=body,
    )
    return render(request, "komvux/organizer.html", {"organizer": the_organizer, "body": html})

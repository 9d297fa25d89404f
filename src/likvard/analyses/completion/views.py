"""Thin views of completion and the early warning: parse, authorise, call a service, render.

The region and organizer pages are open to any signed-in user (the release gate decides what is
shown in full); the early-warning list of students is for the school's own principal only.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from likvard.access.interface import found_or_404, signed_in_viewer
from likvard.access.policy import Action, Viewer, allowed, require
from likvard.analyses.completion import exports, rows, services
from likvard.analyses.completion.forms import WarningRuleForm, YearForm
from likvard.analyses.completion.tasks import (
    completion_decide_enqueue,
    completion_decide_progress,
)
from likvard.analyses.completion.xlsx import warning_list_workbook
from likvard.exports.files import FORMATS, XLSX_TYPE
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Region
from likvard.warehouse.fragments import fragment_cached

TABLES = ("home_municipality_code", "background", "organizer_code", "school_unit_code")


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The regions, and the viewer's own warning lists and rules."""
    viewer = signed_in_viewer(request)
    units, organizers = services.own_units_and_organizers(viewer=viewer)
    context = {"regions": organisations.region_list(), "units": units, "organizers": organizers}
    return render(request, "analyses/completion/index.html", context)


@require_GET
@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    """A region's completion by cohort, the warning's evaluation and this year's counts."""
    viewer = signed_in_viewer(request)
    the_region = found_or_404(lambda: organisations.region_get(code=code), _("No such region."))
    form = YearForm(request.GET)
    if not form.is_valid():
        raise Http404(_("No such school year."))
    fmt = request.GET.get("format")
    if fmt is not None:
        if fmt not in FORMATS:
            raise Http404(_("No such format."))
        try:
            report = _report_or_queue(viewer, the_region, form.cleaned_data["year"])
        except services.CompletionNotReady as waiting:
            return _preparing(request, the_region, waiting, download=True)
        if request.headers.get("HX-Request") == "true":  # the preparing notice's poll: ready
            ready = {"file_url": request.get_full_path(), "format": fmt.upper()}
            return render(request, "analyses/completion/_file_ready.html", ready)
        evaluation = services.evaluation_report(viewer=viewer, region=the_region)
        file = exports.region_file(report, evaluation, fmt)
        response = HttpResponse(file.content, content_type=file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
        return response

    def body() -> str:
        report = _report_or_queue(viewer, the_region, form.cleaned_data["year"])
        year = report.year
        evaluation = services.evaluation_report(viewer=viewer, region=the_region)
        year9 = services.year9_report(viewer=viewer, region=the_region)
        counts = services.warning_counts_report(viewer=viewer, region=the_region)
        count_rows = rows.count_rows(counts.released, names=report.names)
        tables = []
        if year is not None:
            tables = [
                (
                    by,
                    _(rows.BREAKDOWN_LABELS[by]),
                    rows.breakdown_rows(
                        report.tables[by], by=by, year=year, group="all",
                        names=report.names.get(by, {}),
                    ),
                )
                for by in TABLES
            ]  # fmt: skip
        context = {
            "region": the_region,
            "report": report,
            "year": year,
            "years": report.observed_years,
            "trend": rows.trend_rows(report.overview),
            "path_years": rows.path_years(report.last_year),
            "year9": rows.year9_rows(year9),
            "groups": rows.group_rows(report.overview, year=year) if year is not None else [],
            "tables": tables,
            "evaluation": evaluation,
            "evaluation_rows": rows.evaluation_rows(evaluation.released),
            "counts": counts,
            "total_counts": [r for r in count_rows if r.level == "total"],
            "organizer_counts": [r for r in count_rows if r.level == "organizer"],
            "unit_counts": [r for r in count_rows if r.level == "unit"],
        }
        return render_to_string("analyses/completion/_region_body.html", context, request)

    try:
        html = fragment_cached(  # rendered once per data version, viewer kind and choices
            name=f"completion.region.{the_region.code}",
            viewer=viewer,
            choices=dict(request.GET.lists()),
            render=body,
        )
    except services.CompletionNotReady as waiting:  # nothing kept: not cached as the body
        return _preparing(request, the_region, waiting)
    if request.headers.get("HX-Request") == "true":  # a poll of the preparing notice: ready
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    context = {"region": the_region, "body": html}
    return render(request, "analyses/completion/region.html", context)


def _report_or_queue(viewer: Viewer, region: Region, year: int | None) -> services.CompletionReport:
    """The region's report from decisions in the cache; else queue the background task that
    takes the missing ones (once) and raise ``CompletionNotReady`` (issue #18: a start year's
    decision can take minutes, never inside a request). While the task waits or runs, its
    progress is read from the cache: a poll of the notice computes no start year's tables."""
    known = completion_decide_progress(viewer=viewer, region=region.code)
    if known is not None:
        raise services.CompletionNotReady(*known)
    try:
        return services.completion_region_report(
            viewer=viewer, region=region, year=year, decide=False
        )
    except services.CompletionNotReady as waiting:
        found = (waiting.ready, waiting.total)
        if not completion_decide_enqueue(viewer=viewer, region=region.code, progress=found):
            raise
    # Queued just now: a backend that runs tasks inside ``enqueue`` has decided them already.
    return services.completion_region_report(viewer=viewer, region=region, year=year, decide=False)


def _preparing(
    request: HttpRequest,
    region: Region,
    waiting: services.CompletionNotReady,
    *,
    download: bool = False,
) -> HttpResponse:
    """The notice shown while the decisions are taken, with the start years done so far: htmx
    polls the page's address (a file's address too: its poll is answered with a link to the
    file once the decisions are taken, never with the file itself)."""
    context = {
        "region": region,
        "download": download,
        "format": (request.GET.get("format") or "").upper(),
        "ready": waiting.ready,
        "total": waiting.total,
        "poll_url": request.get_full_path(),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "analyses/completion/_preparing.html", context)
    html = render_to_string("analyses/completion/_preparing_page.html", context, request)
    return render(request, "analyses/completion/region.html", {"region": region, "body": html})


@require_http_methods(["GET", "POST"])
@login_required
def organizer(request: HttpRequest, organisation_number: str) -> HttpResponse:
    """An organizer's early-warning rule (its analyst may change it) and its evaluation."""
    viewer = signed_in_viewer(request)
    the_organizer = found_or_404(
        lambda: organisations.organizer_get(organisation_number=organisation_number),
        _("No such organizer."),
    )
    may_edit = allowed(viewer, Action.SET_WARNING_RULE, organizer=organisation_number)
    rule = services.warning_rule_get(organizer=the_organizer)
    form = WarningRuleForm.from_rule(rule)
    if request.method == "POST":
        require(viewer, Action.SET_WARNING_RULE, organizer=organisation_number)
        form = WarningRuleForm(request.POST)
        if form.is_valid():
            services.warning_rule_set(viewer=viewer, organizer=the_organizer, rule=form.rule())
            return redirect(request.path)
    evaluation = services.evaluation_report(viewer=viewer, organizer=the_organizer)
    context = {
        "organizer": the_organizer,
        "form": form,
        "may_edit": may_edit,
        "rule": rule,
        "rule_percent": form.initial if form.initial else {},
        "evaluation": evaluation,
        "evaluation_rows": rows.evaluation_rows(evaluation.released),
    }
    return render(
        request,
        "analyses/completion/organizer.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@login_required
def warning_list(request: HttpRequest, code: str) -> HttpResponse:
    """The school's own early-warning list (its principal only); ``?format=xlsx`` exports it."""
    viewer = signed_in_viewer(request)
    school = found_or_404(
        lambda: organisations.school_unit_get(code=code), _("No such school unit.")
    )
    export = request.GET.get("format") == "xlsx"
    listing = services.warning_list(
        viewer=viewer, school=school, channel="export" if export else "web"
    )
    if export:
        response = HttpResponse(warning_list_workbook(listing), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="tidig-varning-{code}.xlsx"'
        return response
    context = {"school": school, "listing": listing, "reasons": rows.REASON_LABELS}
    return render(request, "analyses/completion/warning_list.html", context)

"""Thin views of the adjusted results: parse, authorise, call one service, render or export.

Open to every signed-in user; the release gate decides full (own units, audited) or
suppressed figures. ``?format=xlsx`` downloads the results and the models' diagnostics; an
HTMX request for the table gets only the table fragment.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from likvard.access.policy import Action, Viewer, require, viewer_for
from likvard.analyses.adjusted import services
from likvard.analyses.adjusted.documents import adjusted_pdf, adjusted_workbook, school_workbook
from likvard.analyses.adjusted.forms import AdjustedFilterForm, filter_options
from likvard.analyses.adjusted.labels import (
    ASSESSMENT_LABELS,
    OUTCOME_LABELS,
    PROGRAMME_TYPE_LABELS,
    SHARE_OUTCOMES,
)
from likvard.exports.files import PDF_TYPE, XLSX_TYPE
from likvard.organisations import selectors as organisations
from likvard.organisations.selectors import NotFoundError
from likvard.warehouse.fragments import rendered_cached

Report = Callable[
    [Viewer, services.Stage, str, bool, services.TableQuery], tuple[services.AdjustedReport, str]
]
PAGE = "analyses/adjusted/results.html"


def _download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _page(
    request: HttpRequest, stage: str, name: str, build: Report, found: object
) -> HttpResponse:
    viewer = viewer_for(request.user)
    require(viewer, Action.BROWSE)
    chosen = services.Stage(stage)
    form = AdjustedFilterForm(request.GET, stage=chosen)
    if not form.is_valid():
        context = {"form": form, "stage": chosen, "scope": found}
        return render(request, PAGE, context, status=400)
    data = form.cleaned_data
    report, key = build(viewer, chosen, data["outcome"], data["weighted"], form.query())
    if request.GET.get("format") == "xlsx":
        return _download(adjusted_workbook(report), f"{name}-{stage}")
    if request.GET.get("format") == "pdf":
        response = HttpResponse(adjusted_pdf(report), content_type=PDF_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}-{stage}.pdf"'
        return response
    base = request.GET.copy()
    base.pop("page", None)
    base.pop("format", None)
    context = {
        "form": form,
        "stage": chosen,
        "scope": found,
        "report": report,
        "outcome_label": OUTCOME_LABELS[report.outcome],
        "programme_labels": PROGRAMME_TYPE_LABELS,
        "assessment_labels": ASSESSMENT_LABELS,
        "share": report.outcome in SHARE_OUTCOMES,
        "query": request.GET.urlencode(),
        "page_query": base.urlencode(),
        "school_query": f"outcome={report.outcome}" + ("&weighted=on" if report.weighted else ""),
        "selected": form.query(),
    }
    htmx = bool(getattr(request, "htmx", False))
    template = "analyses/adjusted/_table.html" if htmx else "analyses/adjusted/_results_body.html"

    def body() -> dict[str, str]:
        options = filter_options(report, form.query())  # hundreds of schools: on a miss only
        return {"body": render_to_string(template, {**context, "options": options}, request)}

    # Rendered once per figures (data version, rights class, scope, outcome, weighting, units)
    # and what else the body shows: the query string (filters, page) and the scope's name.
    choices = {"query": repr(sorted(request.GET.lists())), "scope": str(found), "htmx": str(htmx)}
    kept = rendered_cached(
        name="adjusted.page", viewer=viewer, figures=key, choices=choices, render=body
    )
    if htmx:
        return HttpResponse(kept["body"])
    return render(request, PAGE, {**context, "body": kept["body"]})


@require_GET
@login_required
def region(request: HttpRequest, code: str, stage: str) -> HttpResponse:
    """A region's school units: overview of one year, then a filtered, paged table."""
    try:
        found = organisations.region_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no such region.")) from error
    return _page(
        request, stage, f"justerade-{found.code}",
        lambda viewer, chosen, outcome, weighted, query: services.adjusted_region_report_keyed(
            viewer=viewer, region=found, stage=chosen, outcome=outcome, weighted=weighted,
            query=query,
        ),
        found,
    )  # fmt: skip


@require_GET
@login_required
def organizer(request: HttpRequest, organisation_number: str, stage: str) -> HttpResponse:
    """An organizer's school units side by side: actual result against the model value."""
    try:
        found = organisations.organizer_get(organisation_number=organisation_number)
    except NotFoundError as error:
        raise Http404(_("There is no organizer with that organisation number.")) from error
    return _page(
        request, stage, f"justerade-{found.organisation_number}",
        lambda viewer, chosen, outcome, weighted, query: services.adjusted_organizer_report_keyed(
            viewer=viewer, organizer=found, stage=chosen, outcome=outcome, weighted=weighted,
            query=query,
        ),
        found,
    )  # fmt: skip


@require_GET
@login_required
def school(request: HttpRequest, code: str, stage: str) -> HttpResponse:
    """One school unit's results over the years against its model value and interval."""
    viewer = viewer_for(request.user)
    require(viewer, Action.BROWSE)
    try:
        unit = organisations.school_unit_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no school unit with that code.")) from error
    chosen = services.Stage(stage)
    form = AdjustedFilterForm(request.GET, stage=chosen)
    if not form.is_valid():
        context = {"form": form, "stage": chosen, "unit": unit}
        return render(request, "analyses/adjusted/school.html", context, status=400)
    report = services.adjusted_school_report(
        viewer=viewer, unit=unit, stage=chosen, outcome=form.cleaned_data["outcome"],
        weighted=form.cleaned_data["weighted"],
    )  # fmt: skip
    if request.GET.get("format") == "xlsx":
        return _download(school_workbook(report), f"justerade-{unit.code}-{stage}")
    context = {
        "form": form,
        "stage": chosen,
        "unit": unit,
        "report": report,
        "outcome_label": OUTCOME_LABELS[report.outcome],
        "programme_labels": PROGRAMME_TYPE_LABELS,
        "share": report.outcome in SHARE_OUTCOMES,
        "query": request.GET.urlencode(),
    }
    return render(request, "analyses/adjusted/school.html", context)

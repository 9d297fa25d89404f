"""Thin views of the adjusted results: parse, authorise, call one service, render or export.

Open to every signed-in user; the release gate decides full (own units, audited) or
suppressed figures. ``?format=xlsx`` downloads the results and the models' diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from likvard.access.policy import Action, Viewer, require, viewer_for
from likvard.analyses.adjusted import services
from likvard.analyses.adjusted.forms import (
    OUTCOME_LABELS,
    PROGRAMME_TYPE_LABELS,
    AdjustedFilterForm,
)
from likvard.analyses.adjusted.xlsx import adjusted_workbook
from likvard.analyses.equity.xlsx import XLSX_TYPE
from likvard.organisations import selectors as organisations
from likvard.organisations.selectors import NotFoundError

Report = Callable[[Viewer, services.Stage, str, bool], services.AdjustedReport]


def _page(
    request: HttpRequest, stage: str, name: str, build: Report, found: object
) -> HttpResponse:
    viewer = viewer_for(request.user)
    require(viewer, Action.BROWSE)
    chosen = services.Stage(stage)
    form = AdjustedFilterForm(request.GET, stage=chosen)
    if not form.is_valid():
        context = {"form": form, "stage": chosen, "scope": found}
        return render(request, "analyses/adjusted/results.html", context, status=400)
    report = build(viewer, chosen, form.cleaned_data["outcome"], form.cleaned_data["weighted"])
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(adjusted_workbook(report), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}-{stage}.xlsx"'
        return response
    context = {
        "form": form,
        "stage": chosen,
        "scope": found,
        "report": report,
        "outcome_label": OUTCOME_LABELS[report.outcome],
        "programme_labels": PROGRAMME_TYPE_LABELS,
        "share": report.outcome in ("share_passing_all", "share_diploma"),
        "query": request.GET.urlencode(),
    }
    return render(request, "analyses/adjusted/results.html", context)


@require_GET
@login_required
def region(request: HttpRequest, code: str, stage: str) -> HttpResponse:
    """A region's school units: actual result against the model value, with intervals."""
    try:
        found = organisations.region_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no such region.")) from error
    return _page(
        request, stage, f"justerade-{found.code}",
        lambda viewer, chosen, outcome, weighted: services.adjusted_region_report(
            viewer=viewer, region=found, stage=chosen, outcome=outcome, weighted=weighted
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
        lambda viewer, chosen, outcome, weighted: services.adjusted_organizer_report(
            viewer=viewer, organizer=found, stage=chosen, outcome=outcome, weighted=weighted
        ),
        found,
    )  # fmt: skip

"""Thin views of the survey results: parse, authorise, call a service, render.

Open to any signed-in user; the release gate decides what each viewer sees in full.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from likvard.access.policy import Action, Viewer, require, viewer_for
from likvard.analyses.surveys import rows, services
from likvard.analyses.surveys.exports import survey_document
from likvard.exports.files import FORMATS
from likvard.exports.files import render as render_file
from likvard.organisations import selectors as organisations
from likvard.organisations.selectors import NotFoundError
from likvard.warehouse.fragments import rendered_cached


def _viewer(request: HttpRequest) -> Viewer:
    viewer = viewer_for(request.user)
    require(viewer, Action.BROWSE)
    return viewer


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The surveys and the regions whose results can be shown."""
    _viewer(request)
    context = {"surveys": services.survey_list(), "regions": organisations.region_list()}
    return render(request, "surveys/index.html", context)


@require_GET
@login_required
def region(request: HttpRequest, code: str, survey: str) -> HttpResponse:
    """One survey version's results in a region; ``?format=xlsx|pdf|pptx`` exports them.

    The figures are computed once per data version and viewer rights class (every reader of
    student-level figures is audited, from the cache too) and the page body is rendered once
    per those figures and index (issue #18)."""
    viewer = _viewer(request)
    try:
        the_region = organisations.region_get(code=code)
        version = services.survey_get(survey=survey, version=request.GET.get("version") or None)
    except (NotFoundError, services.UnknownSurveyError) as error:
        raise Http404(_("No such survey or region.")) from error
    fmt = request.GET.get("format")
    report, key = services.survey_region_report_keyed(
        viewer=viewer,
        region=the_region,
        survey=survey,
        version=version.version,
        channel="export" if fmt else "web",
    )
    if fmt:
        if fmt not in FORMATS:
            raise Http404(_("No such format."))
        exported = render_file(survey_document(report), fmt)
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
        return response
    index_key = request.GET.get("index") or report.version.indices[0].key
    if index_key not in report.indices:
        raise Http404(_("No such index."))

    def body() -> dict[str, str]:
        context = _region_context(report, index_key)
        return {"body": render_to_string("surveys/_region_body.html", context, request)}

    kept = rendered_cached(  # rendered once per figures (data version, rights class) and index
        name="surveys.region", viewer=viewer, figures=key, choices={"index": index_key}, render=body
    )
    context = {"report": report, "region": the_region, "body": kept["body"]}
    return render(request, "surveys/region.html", context)


def _region_context(report: services.SurveyReport, index_key: str) -> dict[str, object]:
    """What the region page's body shows: the released tables as rows, the charts."""
    previous = report.revision.previous
    earlier = (
        services.survey_get(survey=report.version.survey, version=previous) if previous else None
    )
    return {
        "report": report,
        "region": report.region,
        "no_answers": rows.no_answers(report.region.name),
        "index_name": report.indices[index_key],
        "revision_lines": rows.revision_lines(report.version, report.revision, earlier),
        "versions": [v for v in services.survey_list() if v.survey == report.version.survey],
        "index_key": index_key,
        "region_rows": rows.result_rows(
            report.tables["region"], column=None, names={}, version=report.version
        ),
        "municipality_rows": rows.result_rows(
            report.tables["municipality"],
            column="municipality_code",
            names=report.names["municipality_code"],
            version=report.version,
            index=index_key,
        ),
        "organizer_rows": rows.result_rows(
            report.tables["organizer"],
            column="organizer_code",
            names=report.names["organizer_code"],
            version=report.version,
            index=index_key,
        ),
        "unit_rows": rows.result_rows(
            report.tables["school_unit"],
            column="school_unit_code",
            names=report.names["school_unit_code"],
            version=report.version,
            index=index_key,
        ),
        "breakdown": rows.breakdown_rows(report.tables["region"], report.version),
        "trend": rows.trend_rows(report.trend, report.version),
        "priority": rows.priority_rows(report.priority, report.version),
        "formats": FORMATS,
        "rate_definition": rows.rate_definition(report.version),
    }

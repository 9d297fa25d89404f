"""Thin views of planning: parse, authorise, call one service, render or export.

The planning page of a region is open to every signed-in user (the release gate decides what
is suppressed); a regional coordinator also opens capacity surveys, imports the planning basis
and edits the scenario; each member municipality's organizer analyst fills in its survey.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BoundField
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from likvard.access.interface import found_or_404, signed_in_user, signed_in_viewer
from likvard.access.policy import Action, require
from likvard.analyses.planning import forms, selectors
from likvard.analyses.planning.models import (
    CapacityResponse,
    CapacitySurvey,
    PlanningBasisValue,
    ScenarioChange,
)
from likvard.analyses.planning.services import basis, documents, report, scenario, survey
from likvard.exports.files import render as render_file
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Municipality, Programme, Region, SchoolUnit
from likvard.warehouse.fragments import CSRF_PLACEHOLDER, csrf_filled, rendered_cached

BASIS_MEASURES = {
    "assessment": _lazy("Assessment"),
    "places": _lazy("Places"),
    "applicants": _lazy("Applicants"),
    "students": _lazy("Students"),
    "labour_market_need": _lazy("Labour market need"),
}
"""The planning basis's stored measures as the page names them (the file's Swedish words)."""


def _basis_rows(
    values: list[PlanningBasisValue],
) -> list[tuple[str, PlanningBasisValue, str, int | None]]:
    """(programme name, figure, measure in Swedish, assessment -1/0/+1 or None) of each
    imported planning basis figure: names, not codes, and no stored English word."""
    names = {p.code: p.name for p in organisations.programme_list()}
    return [
        (
            names.get(value.programme_code, value.programme_code),
            value,
            str(BASIS_MEASURES.get(value.measure, value.measure)),
            round(float(value.value)) if value.measure == "assessment" else None,
        )
        for value in values
    ]


def _region(code: str) -> Region:
    return found_or_404(lambda: organisations.region_get(code=code), _("There is no such region."))


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The regions to plan for and the capacity surveys the viewer coordinates or fills in."""
    viewer = signed_in_viewer(request)
    context = {
        "regions": organisations.region_list(),
        "surveys": selectors.survey_list(viewer=viewer),
    }
    return render(request, "planning/index.html", context)


@require_GET
@login_required
def region_planning(request: HttpRequest, code: str) -> HttpResponse:
    """The region's cohort forecast, supply against demand and scenario."""
    viewer = signed_in_viewer(request)
    region = _region(code)
    form = forms.ForecastForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "region": region}
        return render(request, "planning/region.html", context, status=400)
    result, key = report.planning_report_keyed(
        viewer=viewer, region=region, from_year=form.cleaned_data["from_year"]
    )
    if form.cleaned_data["from_year"] is None and result.from_year is not None:
        # the box shows the year the forecast starts from (the latest), not an empty box
        form = forms.ForecastForm(initial={"from_year": result.from_year})
    coordinator = selectors.may_coordinate(viewer=viewer, region=region)
    units = selectors.region_survey_units(region=region) if coordinator else []
    context = {
        "form": form,
        "region": region,
        "report": result,
        "coordinator": coordinator,
        "query": request.GET.urlencode(),
    }

    def body() -> dict[str, str]:
        scenario_form = _scenario_form(units) if coordinator else None
        extra = {
            "scenario_form": scenario_form,
            "csrf_token": CSRF_PLACEHOLDER,
            "basis_rows": _basis_rows(list(result.basis)) if result.basis else [],
        }
        return {
            "body": render_to_string("planning/_region_body.html", {**context, **extra}, request)
        }

    # Rendered once per figures (data version, rights class, scenario, survey and basis as
    # saved) and what else the body shows: the query string, the region's name, whether the
    # viewer coordinates and the scenario form's school units and programmes.
    choices = {
        "query": repr(sorted(request.GET.lists())),
        "region": region.name,
        "coordinator": str(coordinator),
        "units": repr(units),
        "programmes": repr([str(p) for p in selectors.national_programmes()])
        if coordinator
        else "",
    }
    kept = rendered_cached(
        name="planning.region", viewer=viewer, figures=key, choices=choices, render=body
    )
    page = csrf_filled(kept, get_token(request))
    return render(request, "planning/region.html", {**context, "body": page["body"]})


def _scenario_form(
    units: list[tuple[int, str, str]], data: object = None
) -> forms.ScenarioChangeForm:
    return forms.ScenarioChangeForm(data, unit_ids=[u[0] for u in units], prefix="scenario")


@require_GET
@login_required
def region_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The planning summary as PPTX, PDF, DOCX or XLSX for the network meeting."""
    viewer = signed_in_viewer(request)
    region = _region(code)
    if fmt not in documents.FORMATS:
        raise Http404(_("There is no such format."))
    form = forms.ForecastForm(request.GET)
    from_year = form.cleaned_data["from_year"] if form.is_valid() else None
    width: object = documents.EXPORT_WIDTH
    result = report.planning_report(
        viewer=viewer, region=region, from_year=from_year, chart_width=width
    )
    if result.forecast is None:
        raise Http404(_("No population by age has been imported for this region."))
    exported = render_file(documents.planning_document(result), fmt)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@require_POST
@login_required
def scenario_add(request: HttpRequest, code: str) -> HttpResponse:
    """Add a change of places to the region's scenario (coordinator)."""
    viewer = signed_in_viewer(request)
    region = _region(code)
    require(viewer, Action.COORDINATE_PLANNING, region=region.code)
    form = _scenario_form(selectors.region_survey_units(region=region), request.POST)
    if not form.is_valid():
        messages.error(request, _("The change was not added: check the fields."))
        return redirect("planning:region", code=region.code)
    scenario.scenario_change_add(
        viewer=viewer, region=region, by=signed_in_user(request), **form.cleaned_data
    )
    messages.success(request, _("The change was added to the scenario."))
    return redirect("planning:region", code=region.code)


@require_POST
@login_required
def scenario_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Remove a change from the region's scenario (coordinator)."""
    viewer = signed_in_viewer(request)
    region = _region(code)
    change = get_object_or_404(ScenarioChange, pk=pk, region=region)
    scenario.scenario_change_remove(viewer=viewer, change=change)
    messages.success(request, _("The change was removed from the scenario."))
    return redirect("planning:region", code=region.code)


@require_http_methods(["GET", "POST"])
@login_required
def survey_open(request: HttpRequest, code: str) -> HttpResponse:
    """Open a capacity survey for the region (coordinator)."""
    viewer = signed_in_viewer(request)
    region = _region(code)
    require(viewer, Action.COORDINATE_PLANNING, region=region.code)
    form = forms.SurveyOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opened = survey.capacity_survey_open(
                viewer=viewer,
                region=region,
                by=signed_in_user(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The capacity survey is open."))
            return redirect("planning:survey-detail", pk=opened.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "planning/survey_open.html", {"form": form, "region": region}, status=status
    )


@require_GET
@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey's status per municipality (coordinator) or the viewer's own row (analyst)."""
    viewer = signed_in_viewer(request)
    found = selectors.survey_get(pk=pk)
    if found is None:
        raise Http404(pgettext("capacity survey", "There is no such survey."))
    overview = selectors.survey_overview(viewer=viewer, survey=found)
    return render(request, "planning/survey_detail.html", {"overview": overview})


def _survey_response(pk: int, municipality: str) -> tuple[CapacitySurvey, CapacityResponse]:
    """The survey ``pk`` and its municipality's response, or 404."""
    found = selectors.survey_get(pk=pk)
    response = (
        None
        if found is None
        else selectors.response_get(survey=found, municipality_code=municipality)
    )
    if found is None or response is None:
        raise Http404(pgettext("capacity survey", "There is no such survey."))
    return found, response


@require_http_methods(["GET", "POST"])
@login_required
def response_edit(request: HttpRequest, pk: int, municipality: str) -> HttpResponse:
    """A municipality's places per school unit, programme and year (its organizer analyst)."""
    viewer = signed_in_viewer(request)
    found, response = _survey_response(pk, municipality)
    reporter = selectors.may_report(viewer=viewer, municipality=response.municipality)
    if not reporter and not selectors.may_coordinate(viewer=viewer, region=found.region):
        raise PermissionDenied("planning.report_capacity")
    closed = not selectors.response_open(response=response)
    editable = reporter and not closed
    if request.method == "POST" and not editable:  # the coordinator may only look
        raise PermissionDenied("planning.survey_closed" if reporter else "planning.report_capacity")
    cells = _cells(found.year_range, response.municipality)
    initial = {
        forms.places_field_name(*key): v
        for key, v in selectors.response_entries(response=response).items()
    }
    form = forms.CapacityForm(request.POST or None, cells=cells, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        survey.capacity_response_save(
            viewer=viewer,
            response=response,
            places=form.places(),
            submit=submit,
            by=signed_in_user(request),
        )
        messages.success(request, _("The survey was submitted.") if submit else _("Saved."))
        return redirect("planning:survey-detail", pk=found.pk)
    context = {"survey": found, "response": response, "form": form, "editable": editable,
               "closed": closed and reporter, "units": _grouped(form, cells)}  # fmt: skip
    return render(
        request, "planning/response_edit.html", context, status=400 if form.errors else 200
    )


@require_POST
@login_required
def response_reopen(request: HttpRequest, pk: int, municipality: str) -> HttpResponse:
    """The coordinator reopens a municipality's response after the deadline."""
    viewer = signed_in_viewer(request)
    found, response = _survey_response(pk, municipality)
    survey.capacity_response_reopen(viewer=viewer, response=response, by=signed_in_user(request))
    messages.success(
        request,
        _("%(municipality)s can edit and submit its response again.")
        % {"municipality": response.municipality.name},
    )
    return redirect("planning:survey-detail", pk=found.pk)


Cell = tuple[SchoolUnit, Programme, int]


def _cells(years: range, municipality: Municipality) -> list[Cell]:
    """Every (unit, programme, year) the municipality reports: each unit's own programmes,
    or every programme for a unit with none registered."""
    every = selectors.national_programmes()
    cells: list[Cell] = []
    for unit in selectors.survey_school_units(municipality=municipality):
        programmes = list(unit.programmes.all()) or every
        cells.extend((unit, programme, year) for programme in programmes for year in years)
    return cells


@dataclass(frozen=True, slots=True)
class _CapacityRow:
    unit: SchoolUnit
    programme: Programme
    fields: list[BoundField]


def _grouped(form: forms.CapacityForm, cells: list[Cell]) -> list[_CapacityRow]:
    """Rows for the template: one per unit and programme, a bound field per year."""
    rows: dict[tuple[str, str], _CapacityRow] = {}
    for unit, programme, year in cells:
        row = rows.setdefault((unit.code, programme.code), _CapacityRow(unit, programme, []))
        row.fields.append(form[forms.places_field_name(unit.code, programme.code, year)])
    return list(rows.values())


@require_http_methods(["GET", "POST"])
@login_required
def basis_import(request: HttpRequest, code: str) -> HttpResponse:
    """Upload Skolverket's planning basis; a validation report and nothing stored on error."""
    viewer = signed_in_viewer(request)
    region = _region(code)
    require(viewer, Action.COORDINATE_PLANNING, region=region.code)
    form = forms.BasisUploadForm(request.POST or None, request.FILES or None)
    issues: tuple[object, ...] = ()
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"basis{Path(uploaded.name).suffix.lower()[:8]}"
            path.write_bytes(uploaded.read())
            result = basis.planning_basis_import(
                viewer=viewer,
                region=region,
                path=path,
                file_name=uploaded.name,
                by=signed_in_user(request),
            )
        if result.already_imported:
            messages.info(
                request,
                _("The planning basis was already imported; nothing was changed."),
            )
            return redirect("planning:region", code=region.code)
        if result.basis is not None:
            messages.success(
                request,
                _("The planning basis was imported: %(rows)d rows.") % {"rows": result.rows},
            )
            return redirect("planning:region", code=region.code)
        issues = result.issues
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "region": region, "issues": issues}
    return render(request, "planning/basis_import.html", context, status=status)

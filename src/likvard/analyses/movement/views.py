"""Thin views of student movement: parse, authorise, call one service, render or export.

Every page is open to any signed-in user: the release gate decides what they see in full
(their own organizer's students, audited) and what is suppressed. ``?format=xlsx`` or
``?format=pptx`` downloads the page's figures.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from likvard.access.interface import found_or_404, signed_in_viewer
from likvard.access.release import Released
from likvard.analyses.movement import services, slides
from likvard.analyses.movement.forms import MovementFilterForm
from likvard.analyses.movement.selectors import movement_reference
from likvard.analyses.movement.tables import XLSX_TYPE, movement_workbook
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Region
from likvard.warehouse.fragments import fragments_cached, fragments_kept, rendered_cached


def _download(content: bytes, name: str, kind: str) -> HttpResponse:
    content_type = XLSX_TYPE if kind == "xlsx" else slides.PPTX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


def _xlsx(
    name: str, sheets: Sequence[tuple[str, Released]], *, admission: bool = False
) -> HttpResponse:
    content = movement_workbook(sheets, reference=movement_reference(), admission=admission)
    return _download(content, name, "xlsx")


def _template(request: HttpRequest, page: str, fragment: str) -> str:
    return fragment if getattr(request, "htmx", False) else page


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The regions whose dependency maps can be shown."""
    signed_in_viewer(request)
    return render(request, "movement/index.html", {"regions": organisations.region_list()})


@require_GET
@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    """The region's dependency map: map, Sankey and origin-destination matrix."""
    viewer = signed_in_viewer(request)
    found = found_or_404(lambda: organisations.region_get(code=code), _("There is no such region."))
    kind = request.GET.get("format")
    name = f"movement.region.page.{found.code}"
    if kind not in {"xlsx", "pptx"}:  # the filter form and the map, rendered once per kind
        kept = fragments_kept(name=name, viewer=viewer, choices=dict(request.GET.lists()))
        if kept is not None:
            return _region_page(request, found, kept)
    choices = services.filter_choices()
    members = [(m.code, m.name) for m in organisations.region_municipalities(region=found)]
    form = MovementFilterForm(
        request.GET, years=choices.years, programmes=choices.programmes, municipalities=members
    )
    if not form.is_valid():
        context = {"form": form, "region": found}
        return render(request, "movement/region.html", context, status=400)
    if kind in {"xlsx", "pptx"}:
        report = services.region_report(viewer=viewer, region=found, filters=form.filters())
        if kind == "xlsx":
            return _xlsx(f"elevstrommar-{found.code}", services.movement_export_tables(report))
        return _download(slides.region_deck(report), f"beroendekarta-{found.code}", "pptx")

    def parts() -> dict[str, str]:
        report = services.region_report(viewer=viewer, region=found, filters=form.filters())
        context = {"form": form, "report": report, "region": found}
        body = render_to_string("movement/_region_body.html", context, request)
        return {"form": form.as_div(), "body": body}

    html = fragments_cached(  # rendered once per data version, viewer kind and choices
        name=name, viewer=viewer, choices=dict(request.GET.lists()), render=parts
    )
    return _region_page(request, found, html)


def _region_page(
    request: HttpRequest, region: Region, parts: dict[str, SafeString]
) -> HttpResponse:
    """The region's map page around its rendered filter form and body (the body alone to htmx)."""
    if getattr(request, "htmx", False):
        return HttpResponse(parts["body"])
    context = {"form_html": parts["form"], "region": region, "body": parts["body"]}
    return render(request, "movement/region.html", context)


@require_GET
@login_required
def municipality(request: HttpRequest, code: str) -> HttpResponse:
    """One municipality: outgoing, incoming and net per programme."""
    viewer = signed_in_viewer(request)
    found = found_or_404(
        lambda: organisations.municipality_get(code=code), _("There is no such municipality.")
    )
    choices = services.filter_choices()
    form = MovementFilterForm(request.GET, years=choices.years, programmes=choices.programmes)
    if not form.is_valid():
        context = {"form": form, "municipality": found}
        return render(request, "movement/municipality.html", context, status=400)
    report = services.municipality_report(viewer=viewer, municipality=found, filters=form.filters())
    kind = request.GET.get("format")
    if kind == "xlsx":
        sheets = [(_("Per programme"), report.balance), (_("Organizers"), report.organizers),
                  (_("Home municipalities"), report.origins),
                  (_("Introduction programmes"), report.introduction)]  # fmt: skip
        return _xlsx(f"elevstrommar-{found.code}", sheets)
    if kind == "pptx":
        return _download(slides.municipality_deck(report), f"beroendekarta-{found.code}", "pptx")
    context = {"form": form, "report": report, "municipality": found}
    return render(
        request,
        _template(request, "movement/municipality.html", "movement/_municipality_body.html"),
        context,
    )


@require_GET
@login_required
def admissions(request: HttpRequest, code: str) -> HttpResponse:
    """Admitted against enrolled on 15 October per school unit and programme, with the places
    added after final admission flagged."""
    viewer = signed_in_viewer(request)
    found = found_or_404(lambda: organisations.region_get(code=code), _("There is no such region."))
    choices = services.filter_choices()
    raw = request.GET.get("year", "")
    if raw and (not raw.isdigit() or int(raw) not in choices.admission_years):
        context = {"region": found, "choices": choices, "error": True}
        return render(request, "movement/admissions.html", context, status=400)
    report, key = services.admissions_report_keyed(
        viewer=viewer, region=found, year=int(raw) if raw else None
    )
    if request.GET.get("format") == "xlsx":
        sheets = [(_("Per school unit"), report.cells), (_("Reconciliation"), report.summary)]
        return _xlsx(f"antagna-inskrivna-{found.code}", sheets, admission=True)
    context = {"region": found, "report": report, "choices": choices}

    def body() -> dict[str, str]:
        return {"body": render_to_string("movement/_admissions_body.html", context, request)}

    kept = rendered_cached(  # rendered once per figures (data version, rights class, year)
        name="movement.admissions", viewer=viewer, figures=key, choices={}, render=body
    )
    return render(request, "movement/admissions.html", {**context, "body": kept["body"]})

"""Thin views of grade equity: parse, authorise, call one service, render (or export XLSX).

Every page is open to any signed-in user: the release gate decides what they see in full
(their own school units or organizer, audited) and what is suppressed. Add ``?format=xlsx`` to
any page to download its tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from likvard.access.interface import found_or_404, signed_in_viewer
from likvard.access.policy import Viewer
from likvard.access.release import Released
from likvard.analyses.equity import decks, services
from likvard.analyses.equity.forms import (
    GRADE_YEAR_LABELS,
    ORGANIZER_TYPE_LABELS,
    GradeYearForm,
    PublishedFilterForm,
)
from likvard.analyses.equity.selection import GROUP_LABELS, subject_label
from likvard.analyses.equity.tables import equity_workbook
from likvard.analyses.equity.tasks import equity_region_waiting
from likvard.exports.files import PPTX_TYPE, XLSX_TYPE
from likvard.exports.released import released_workbook
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Region
from likvard.warehouse.fragments import fragment_cached, fragments_kept


def _xlsx(name: str, sheets: Sequence[tuple[str, Released]]) -> HttpResponse:
    response = HttpResponse(released_workbook(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _equity_xlsx(
    name: str, sheets: Sequence[tuple[str, Released]], names: Mapping[str, str]
) -> HttpResponse:
    """The student-level tables with Swedish headers, unit and subject names beside codes."""
    subjects = {
        code: subject_label(code)
        for _title, released in sheets
        for code in released.table.column("subject_code").unique().to_pylist()
    }
    groups = {key: str(label) for key, label in GROUP_LABELS.items()}
    content = equity_workbook(
        sheets, names=names, labels={"subject_code": subjects, "group": groups}
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def _wants_pptx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "pptx"


def _pptx(name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=PPTX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.pptx"'
    return response


def _filters(request: HttpRequest) -> GradeYearForm | None:
    """The page's filters (grade year, groups, unit, subject, year, page); None when invalid."""
    form = GradeYearForm(request.GET)
    return form if form.is_valid() else None


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Where to start: regions (published data) and the viewer's own units and organizers."""
    viewer = signed_in_viewer(request)
    context = {
        "regions": organisations.region_list(),
        "own_units": sorted(viewer.school_units),
        "own_organizers": sorted(viewer.organizers),
    }
    return render(request, "analyses/equity/index.html", context)


@require_GET
@login_required
def published_region(request: HttpRequest, code: str) -> HttpResponse:
    """The region's municipalities in one subject: test against subject pass rates."""
    viewer = signed_in_viewer(request)
    region = found_or_404(
        lambda: organisations.region_get(code=code), _("There is no such region.")
    )
    form = PublishedFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "region": region}
        return render(request, "analyses/equity/published_region.html", context, status=400)
    report = services.published_region_report(
        viewer=viewer,
        region=region,
        subject=form.cleaned_data["subject"],
        organizer_type=form.cleaned_data["organizer_type"],
    )
    if _wants_xlsx(request):
        sheets = [
            (_("Per year"), report.yearly),
            (_("Trend"), report.trends),
            (_("All municipalities"), report.spread),
        ]
        return _xlsx(f"betyg-prov-{region.code}", sheets)
    if _wants_pptx(request):
        return _pptx(f"betyg-prov-{region.code}", decks.published_region_deck(report))
    context = {
        "form": form,
        "report": report,
        "region": region,
        "organizer_label": ORGANIZER_TYPE_LABELS[report.organizer_type],
    }
    template = (
        "analyses/equity/_published_region_tables.html"
        if getattr(request, "htmx", False)
        else "analyses/equity/published_region.html"
    )
    return render(request, template, context)


@require_GET
@login_required
def published_municipality(request: HttpRequest, code: str) -> HttpResponse:
    """One municipality, every test subject over the years."""
    viewer = signed_in_viewer(request)
    municipality = found_or_404(
        lambda: organisations.municipality_get(code=code), _("There is no such municipality.")
    )
    form = PublishedFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "municipality": municipality}
        return render(request, "analyses/equity/published_municipality.html", context, status=400)
    report = services.published_municipality_report(
        viewer=viewer,
        municipality=municipality,
        organizer_type=form.cleaned_data["organizer_type"],
    )
    if _wants_xlsx(request):
        sheets = [(_("Per year"), report.yearly), (_("Trend"), report.trends)]
        return _xlsx(f"betyg-prov-{municipality.code}", sheets)
    if _wants_pptx(request):
        return _pptx(f"betyg-prov-{municipality.code}", decks.published_municipality_deck(report))
    context = {
        "form": form,
        "report": report,
        "municipality": municipality,
        "organizer_label": ORGANIZER_TYPE_LABELS[report.organizer_type],
    }
    return render(request, "analyses/equity/published_municipality.html", context)


@require_GET
@login_required
def school(request: HttpRequest, code: str) -> HttpResponse:
    """A principal's view: my school by subject and year, with deviations and reasons."""
    viewer = signed_in_viewer(request)
    unit = found_or_404(
        lambda: organisations.school_unit_get(code=code), _("There is no such school unit.")
    )
    form = _filters(request)
    if form is None:
        return _bad_grade_year(request)
    report = services.school_equity_report(
        viewer=viewer,
        school=unit,
        grade_year=form.cleaned_data["grade_year"],
        breakdown=form.cleaned_data["breakdown"],
        selection=form.selection(),
    )
    return _student_page(request, report, kind="school", name=f"betyg-prov-{unit.code}")


@require_GET
@login_required
def organizer(request: HttpRequest, organisation_number: str) -> HttpResponse:
    """An organizer's view: all its school units side by side, systematic patterns first."""
    viewer = signed_in_viewer(request)
    found = found_or_404(
        lambda: organisations.organizer_get(organisation_number=organisation_number),
        _("There is no organizer with that organisation number."),
    )
    form = _filters(request)
    if form is None:
        return _bad_grade_year(request)
    report = services.organizer_equity_report(
        viewer=viewer,
        organizer=found,
        grade_year=form.cleaned_data["grade_year"] or services.GRADE_YEARS[0],
        breakdown=form.cleaned_data["breakdown"],
        selection=form.selection(),
    )
    return _student_page(
        request, report, kind="organizer", name=f"betyg-prov-{found.organisation_number}"
    )


def _student_page(
    request: HttpRequest, report: services.StudentEquityReport, *, kind: str, name: str
) -> HttpResponse:
    stage = "kurser" if report.courses else f"ak{report.grade_year}"
    name = f"{name}-{stage}" + ("-bakgrund" if report.breakdown == "background" else "")
    if _wants_xlsx(request):
        sheets = [(_("Per year"), report.yearly), (_("Patterns"), report.patterns)]
        return _equity_xlsx(name, sheets, report.names)
    if _wants_pptx(request):
        return _pptx(name, decks.student_deck(report))
    context = {
        "report": report,
        "kind": kind,
        "form": GradeYearForm(
            initial={"grade_year": report.grade_year, "breakdown": report.breakdown}
        ),
        "grade_year_label": GRADE_YEAR_LABELS[report.grade_year],
    }
    return render(request, "analyses/equity/student.html", context)


def _bad_grade_year(request: HttpRequest) -> HttpResponse:
    """400 for invalid filters, naming the field that is wrong (the grade year, a year ...)."""
    form = GradeYearForm(request.GET)
    form.is_valid()
    message = _("Choose year 6, year 9 or upper-secondary courses.")
    if form.errors and "grade_year" not in form.errors:
        message = " ".join(
            f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
            if name in form.fields
        )
    context = {"message": message, "status": 400, "home_url": "/"}
    return render(request, "web/error.html", context, status=400)


@require_GET
@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    """A region's view: the spread across its school units, with the uncertainty visible."""
    viewer = signed_in_viewer(request)
    found = found_or_404(lambda: organisations.region_get(code=code), _("There is no such region."))
    form = _filters(request)
    if form is None:
        return _bad_grade_year(request)
    grade_year = form.cleaned_data["grade_year"] or services.GRADE_YEARS[0]
    if _wants_xlsx(request) or _wants_pptx(request):
        return _region_file(request, viewer, found, form, grade_year)
    return _region_page(request, viewer, found, form, grade_year)


def _region_file(
    request: HttpRequest, viewer: Viewer, found: Region, form: GradeYearForm, grade_year: int
) -> HttpResponse:
    """The region's workbook or slides, once the worker has released its units."""
    name = f"betyg-prov-region-{found.code}-ak{grade_year}"
    waiting = equity_region_waiting(viewer=viewer, region=found.code, grade_year=grade_year)
    if waiting is not None:  # never released inside the request: minutes on a cold cache
        return _preparing(request, found, waiting)
    if request.headers.get("HX-Request") == "true":  # the notice's poll: the file is ready
        fmt = "XLSX" if _wants_xlsx(request) else "PPTX"
        ready = {"file_url": request.get_full_path(), "format": fmt}
        return render(request, "analyses/completion/_file_ready.html", ready)
    report = services.region_equity_report(
        viewer=viewer, region=found, grade_year=grade_year, selection=form.selection()
    )
    if _wants_xlsx(request):
        return _equity_xlsx(name, [(_("Per year"), report.yearly)], report.names)
    return _pptx(name, decks.region_deck(report))


def _region_page(
    request: HttpRequest, viewer: Viewer, found: Region, form: GradeYearForm, grade_year: int
) -> HttpResponse:
    """The region's page, rendered once per data version, viewer kind and choices; from a
    cold cache its units are released by the worker while a notice shows their progress."""
    choices = dict(request.GET.lists())
    fragment = f"equity.region.{found.code}"
    if fragments_kept(name=fragment, viewer=viewer, choices=choices) is None:
        waiting = equity_region_waiting(viewer=viewer, region=found.code, grade_year=grade_year)
        if waiting is not None:
            return _preparing(request, found, waiting)
    if request.headers.get("HX-Request") == "true":  # the notice's poll: the page is ready
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response

    def body() -> str:
        report = services.region_equity_report(
            viewer=viewer, region=found, grade_year=grade_year, selection=form.selection()
        )
        context = {
            "report": report,
            "form": GradeYearForm(initial={"grade_year": grade_year}),
            "grade_year_label": GRADE_YEAR_LABELS[grade_year],
        }
        return render_to_string("analyses/equity/_region_body.html", context, request)

    html = fragment_cached(name=fragment, viewer=viewer, choices=choices, render=body)
    return render(request, "analyses/equity/region.html", {"region": found, "body": html})


def _preparing(request: HttpRequest, region: Region, waiting: tuple[int, int]) -> HttpResponse:
    """The notice shown while the region's units are released (units done of all); htmx polls
    the address, which answers with a link to the file (or reloads the page) once they all
    are."""
    fmt = "XLSX" if _wants_xlsx(request) else "PPTX" if _wants_pptx(request) else ""
    context = {
        "region": region,
        "format": fmt,  # empty for the page itself
        "ready": waiting[0],
        "total": waiting[1],
        "poll_url": request.get_full_path(),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "analyses/equity/_preparing.html", context)
    html = render_to_string("analyses/equity/_preparing_page.html", context, request)
    return render(request, "analyses/equity/region.html", {"region": region, "body": html})

"""Thin views of the analysis basis: an organizer, a school unit or a region, any year.

Every page is open to any signed-in user: the release gate decides which figures they see in
full (their own organizer, audited) and which are suppressed. Only the organizer's analysts
write its own analysis.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from likvard.access.interface import signed_in_user, signed_in_viewer
from likvard.access.policy import (
    QualityAction,
    Viewer,
    quality_allowed,
    quality_require,
    viewer_for,
)
from likvard.quality.forms import OwnAnalysisForm, YearForm
from likvard.quality.services import basis as services
from likvard.quality.services.basis import AnalysisBasis
from likvard.quality.services.basis_charts import basis_charts
from likvard.quality.services.basis_export import (
    BACKGROUND_FORMATS,
    FORMATS,
    REGION_EXPORT,
    basis_file,
)
from likvard.quality.services.basis_own import own_values
from likvard.quality.services.material import MaterialLink, material_scope, materials_on
from likvard.quality.tasks import basis_prepare_enqueue
from likvard.quality.views.access import (
    organizer_for,
    region_for,
    school_unit_for,
)
from likvard.warehouse.export_jobs import export_job_start
from likvard.warehouse.fragments import (
    CSRF_PLACEHOLDER,
    csrf_filled,
    fragments_cached,
    fragments_kept,
    rendered_cached,
)


def _year(request: HttpRequest, years: list[int]) -> int:
    form = YearForm(request.GET)
    if form.is_valid() and form.cleaned_data["year"]:
        return int(form.cleaned_data["year"])
    return years[0] if years else services.fallback_year()


def _detail(request: HttpRequest, basis: AnalysisBasis) -> str:
    """The indicator whose detail (definition, trend chart and table) the reader asked for,
    or "" for the overview alone (issue #16: overview first, detail on demand)."""
    code = request.GET.get("indicator", "")
    return code if code in {block.indicator.code for block in basis.all_blocks()} else ""


def _unready(
    request: HttpRequest, viewer: Viewer, subject: services.Subject, year: int
) -> HttpResponse | None:
    """The notice that the figures are being prepared when ``subject``'s basis of ``year``
    is not kept for the viewer's class (its task queued: ``quality.tasks``), else None (the
    page reads kept figures); to the notice's poll, once they are, a reload of the page. A
    first page never computes them: that took longer than a request may run (issue #18)."""
    ready = services.basis_ready(viewer=viewer, subject=subject, year=year)
    if not ready:
        basis_prepare_enqueue(viewer=viewer, subject=subject, year=year)
        # a backend that runs the task in enqueue (tests, a worker-less setup) kept them
        ready = services.basis_ready(viewer=viewer, subject=subject, year=year)
    polled = request.headers.get("HX-Request") == "true"
    if ready:
        if not polled:
            return None
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    context = {"name": subject.name, "poll_url": request.get_full_path()}
    template = "quality/_basis_preparing.html" if polled else "quality/basis_preparing.html"
    return render(request, template, context)


def _page(
    request: HttpRequest,
    basis: AnalysisBasis,
    years: list[int],
    *,
    form: OwnAnalysisForm | None = None,
    downloads: list[tuple[str, str, bool]] | None = None,
) -> HttpResponse:
    parts = _parts(request, basis, years, form=form, downloads=downloads)
    status = 400 if form is not None and form.errors else 200
    return render(request, "quality/basis.html", {"parts": parts}, status=status)


def _parts(
    request: HttpRequest | None,
    basis: AnalysisBasis,
    years: list[int],
    *,
    form: OwnAnalysisForm | None = None,
    downloads: list[tuple[str, str, bool]] | None = None,
    extra: dict[str, object] | None = None,
) -> dict[str, str]:
    """The page's rendered title and body (without a request: ``extra`` gives what the page
    would otherwise take from it, its CSRF token, material and the saved notice)."""
    detail = str((extra or {}).get("detail", "")) or (
        _detail(request, basis) if request is not None else ""
    )
    if request is not None and "material_found" not in (extra or {}) and basis.flagged():
        extra = {**(extra or {}), "material_found": _material(viewer_for(request.user), basis)}
    charts = basis_charts(basis) if detail else {}
    own = own_values(basis)
    context = {
        "basis": basis,
        "own": own,
        "years": sorted({*years, basis.school_year}, reverse=True),
        "charts": {code: chart for code, chart in charts.items() if code == detail},
        "detail": detail,
        "form": form,
        "downloads": downloads or [],
        "comparison_names": basis.comparison_names,
        "saved": request is not None and request.GET.get("saved") == "1",
        **(extra or {}),
    }
    return {
        "title": render_to_string("quality/_basis_title.html", context, request),
        "body": render_to_string("quality/_basis_body.html", context, request),
    }


@require_GET
@login_required
def organizer_basis(request: HttpRequest, organisation_number: str) -> HttpResponse:
    """The organizer's analysis basis for a year, with its own analysis (editable by it).

    Rendered once per data version, viewer rights class, own analysis as saved and material
    (issue #18): the figures are read (and audited) for every request, the rendered page is
    kept, and the reader's CSRF token is put into its form.
    """
    viewer = signed_in_viewer(request)
    organizer = organizer_for(organisation_number)
    years = services.basis_years()
    year = _year(request, years)
    if (waiting := _unready(request, viewer, organizer, year)) is not None:
        return waiting
    basis, key = services.organizer_basis_keyed(viewer=viewer, organizer=organizer, year=year)
    writable = quality_allowed(
        viewer, QualityAction.WRITE_ANALYSIS, organizer=organizer.organisation_number
    )
    material = _material(viewer, basis)
    saved = request.GET.get("saved") == "1"

    def parts() -> dict[str, str]:
        form = _analysis_form(basis, None) if writable else None
        downloads = _downloads(
            "quality:basis-organizer-download", organizer.organisation_number, basis
        )
        extra = {
            "csrf_token": CSRF_PLACEHOLDER,
            "material_found": material,
            "saved": saved,
            "detail": detail,
        }
        return _parts(None, basis, years, form=form, downloads=downloads, extra=extra)

    detail = _detail(request, basis)
    choices = {"years": repr(years), "writable": str(writable), "saved": str(saved)}
    choices["detail"] = detail
    choices["material"] = repr(sorted(material.items()))
    kept = rendered_cached(
        name="quality.basis.organizer", viewer=viewer, figures=key, choices=choices, render=parts
    )
    page = {"parts": csrf_filled(kept, get_token(request))}
    return render(request, "quality/basis.html", page)


def _material(viewer: Viewer, basis: AnalysisBasis) -> dict[tuple[str, str], list[MaterialLink]]:
    """The material the viewer may read on each flagged indicator of ``basis``."""
    codes = sorted({block.indicator.code for block in basis.flagged()})
    found = materials_on(viewer=viewer, subject="indicator", keys=codes)  # one ask, not per code
    return {("indicator", code): found[code] for code in codes}


def _downloads(
    route: str, code: str, basis: AnalysisBasis, *, background: frozenset[str] = frozenset()
) -> list[tuple[str, str, bool]]:
    """(format, URL, direct) of the basis's XLSX, PDF, PPTX and DOCX files for the year shown;
    not direct: the link opens the page of an export the worker makes (``background``)."""
    links = []
    for fmt in FORMATS:
        url = reverse(route, args=[code, fmt])
        links.append((fmt, f"{url}?year={basis.school_year}", fmt not in background))
    return links


def _file_response(basis: AnalysisBasis, fmt: str) -> HttpResponse:
    export = basis_file(basis=basis, fmt=fmt)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404(_("There is no such file format."))
    return fmt


def _analysis_form(basis: AnalysisBasis, data: object) -> OwnAnalysisForm:
    goals = [(s.goal.code, s.goal.title) for s in basis.goals]
    initial: dict[str, str] = {
        "strengths": basis.own_analysis.strengths,
        "development_areas": basis.own_analysis.development_areas,
        "actions": basis.own_analysis.actions,
    }
    initial |= {f"goal:{s.goal.code}": s.own_analysis for s in basis.goals}
    return OwnAnalysisForm(data, goals=goals, initial=initial)


@require_POST
@login_required
def own_analysis_save(request: HttpRequest, organisation_number: str) -> HttpResponse:
    """Save the organizer's own analysis of the year shown."""
    viewer = signed_in_viewer(request)
    organizer = organizer_for(organisation_number)
    quality_require(viewer, QualityAction.WRITE_ANALYSIS, organizer=organisation_number)
    form_year = YearForm(request.POST)
    if not form_year.is_valid() or not form_year.cleaned_data["year"]:
        raise Http404(_("There is no such school year."))
    year = int(form_year.cleaned_data["year"])
    basis = services.organizer_basis(viewer=viewer, organizer=organizer, year=year)
    form = _analysis_form(basis, request.POST)
    if not form.is_valid():
        downloads = _downloads("quality:basis-organizer-download", organisation_number, basis)
        return _page(request, basis, services.basis_years(), form=form, downloads=downloads)
    services.own_analysis_save(
        viewer=viewer,
        by=signed_in_user(request),
        organizer=organizer,
        year=year,
        texts=form.cleaned_data,
    )
    # The confirmation is shown in the section saved (the page is long), not at its top.
    url = reverse("quality:basis-organizer", args=[organisation_number])
    return redirect(f"{url}?year={year}&saved=1#own-analysis-saved")


@require_GET
@login_required
def organizer_basis_download(
    request: HttpRequest, organisation_number: str, fmt: str
) -> HttpResponse:
    """The organizer's analysis basis as an XLSX, PDF, PPTX or DOCX file."""
    viewer = signed_in_viewer(request)
    organizer = organizer_for(organisation_number)
    fmt = _format(fmt)
    year = _year(request, services.basis_years())
    if (waiting := _unready(request, viewer, organizer, year)) is not None:
        return waiting  # a file reached before its page: the worker prepares the figures
    basis = services.organizer_basis(
        viewer=viewer, organizer=organizer, year=year, channel="export"
    )
    return _file_response(basis, fmt)


@require_GET
@login_required
def school_unit_basis(request: HttpRequest, code: str) -> HttpResponse:
    """A school unit's analysis basis for a year."""
    viewer = signed_in_viewer(request)
    unit = school_unit_for(code)
    years = services.basis_years()
    year = _year(request, years)
    if (waiting := _unready(request, viewer, unit, year)) is not None:
        return waiting
    basis = services.school_unit_basis(viewer=viewer, school_unit=unit, year=year)
    return _page(
        request,
        basis,
        years,
        downloads=_downloads("quality:basis-school-unit-download", code, basis),
    )


@require_GET
@login_required
def school_unit_basis_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """A school unit's analysis basis as an XLSX, PDF, PPTX or DOCX file."""
    viewer = signed_in_viewer(request)
    unit = school_unit_for(code)
    fmt = _format(fmt)
    year = _year(request, services.basis_years())
    if (waiting := _unready(request, viewer, unit, year)) is not None:
        return waiting  # a file reached before its page: the worker prepares the figures
    basis = services.school_unit_basis(viewer=viewer, school_unit=unit, year=year, channel="export")
    return _file_response(basis, fmt)


@require_GET
@login_required
def region_basis(request: HttpRequest, code: str) -> HttpResponse:
    """A region's analysis basis for a year."""
    viewer = signed_in_viewer(request)
    region = region_for(code)
    years = services.basis_years()

    def parts() -> dict[str, str]:
        basis = services.region_basis(viewer=viewer, region=region, year=_year(request, years))
        downloads = _downloads(
            "quality:basis-region-download", code, basis, background=BACKGROUND_FORMATS
        )
        return _parts(request, basis, years, downloads=downloads)

    # Rendered once per data version, viewer kind, year and what decides the material the
    # viewer is shown beside the flags (a network's own material only for its members: a
    # member's page is never served to a viewer of the same kind outside the network). A
    # region's basis has no own analysis, which would change without a new data version.
    choices = {**dict(request.GET.lists()), "material": [material_scope(viewer)]}
    name = f"quality.basis.region.{region.code}"
    if fragments_kept(name=name, viewer=viewer, choices=choices) is None:
        waiting = _unready(request, viewer, region, _year(request, years))
        if waiting is not None:
            return waiting
    elif request.headers.get("HX-Request") == "true":  # the notice's poll: the page is kept
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    cached = fragments_cached(
        name=name,
        viewer=viewer,
        choices=choices,
        render=parts,
    )
    return render(request, "quality/basis.html", {"parts": cached})


@require_GET
@login_required
def region_basis_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """A region's analysis basis as an XLSX, PDF, PPTX or DOCX file."""
    viewer = signed_in_viewer(request)
    region = region_for(code)
    fmt = _format(fmt)
    year = _year(request, services.basis_years())
    if fmt in BACKGROUND_FORMATS:  # seconds of rendering: the worker makes it (issue #18)
        job = export_job_start(
            user=signed_in_user(request),
            builder=REGION_EXPORT,
            params={"code": region.code, "year": str(year), "fmt": fmt},
            title=_("Analysis basis: %(name)s, %(year)s (%(format)s)")
            % {"name": region.name, "year": f"{year - 1}/{str(year)[2:]}", "format": fmt.upper()},
        )
        return redirect("warehouse:export-detail", job_id=job.pk)
    if (waiting := _unready(request, viewer, region, year)) is not None:
        return waiting  # a file reached before its page: the worker prepares the figures
    basis = services.region_basis(viewer=viewer, region=region, year=year, channel="export")
    return _file_response(basis, fmt)

"""Thin views of the catalogue: browse per school form, an indicator's history, upload, edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from likvard.access.interface import signed_in_user, signed_in_viewer
from likvard.access.policy import QualityAction, Viewer, quality_allowed, quality_require
from likvard.quality import selectors
from likvard.quality.forms import (
    SCHOOL_FORM_LABELS,
    CatalogueUploadForm,
    LocalIndicatorForm,
    LocalValueForm,
    RevisionForm,
)
from likvard.quality.models import Indicator
from likvard.quality.services.catalogue import CatalogueRejectedError, catalogue_load
from likvard.quality.services.catalogue_edit import (
    RevisionEntry,
    indicator_revise,
    local_indicator_create,
    local_value_save,
)
from likvard.quality.views.access import year_of


@require_GET
@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The catalogue's school forms, success factors and conditions block."""
    viewer = signed_in_viewer(request)
    context = {
        "version": selectors.catalogue_version_current(),
        "goals": selectors.goal_list(),
        "factors": selectors.success_factor_list(),
        "school_form_labels": SCHOOL_FORM_LABELS,
        "sources": selectors.catalogue_sources(),
        "may_manage": quality_allowed(viewer, QualityAction.MANAGE_CATALOGUE),
        "may_add_local": bool(selectors.local_indicator_owners(viewer=viewer)),
    }
    return render(request, "quality/catalogue.html", context)


@require_GET
@login_required
def catalogue_school_form(request: HttpRequest, school_form: str) -> HttpResponse:
    """One school form: its goal, sub-goals and indicators in force in the year shown."""
    viewer = signed_in_viewer(request)
    if school_form not in SCHOOL_FORM_LABELS:
        raise Http404(_("There is no such school form in the catalogue."))
    part = selectors.school_form_catalogue(
        viewer=viewer, school_form=school_form, year=year_of(request)
    )
    context = {"part": part, "label": SCHOOL_FORM_LABELS[school_form]}
    return render(request, "quality/catalogue_school_form.html", context)


@require_GET
@login_required
def success_factor_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A success factor with its status and sources, and the material on it."""
    signed_in_viewer(request)
    factor = selectors.success_factor_get(code=code)
    if factor is None:
        raise Http404(_("There is no such success factor."))
    context = {"factor": factor, "sources": selectors.catalogue_sources()}
    return render(request, "quality/success_factor_detail.html", context)


def _indicator(code: str) -> Indicator:
    indicator = selectors.indicator_get(code=code)
    if indicator is None:
        raise Http404(_("There is no such indicator."))
    return indicator


@require_GET
@login_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An indicator with every revision of its definition (history)."""
    signed_in_viewer(request)
    indicator = _indicator(code)
    context = {
        "indicator": indicator,
        "sources": selectors.catalogue_sources(),
        "school_form_labels": SCHOOL_FORM_LABELS,
    }
    return render(request, "quality/indicator_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def catalogue_upload(request: HttpRequest) -> HttpResponse:
    """An administrator loads a catalogue file; every error is listed and nothing is written."""
    viewer = signed_in_viewer(request)
    quality_require(viewer, QualityAction.MANAGE_CATALOGUE)
    form = CatalogueUploadForm(request.POST or None, request.FILES or None)
    issues = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = catalogue_load(
                data=upload.read(),
                source_name=upload.name,
                by=signed_in_user(request),
                official=True,
            )
        except CatalogueRejectedError as error:
            issues = error.issues
        else:
            if outcome.created:
                messages.success(
                    request,
                    _("Catalogue version %(label)s loaded: %(count)d indicators.")
                    % {"label": outcome.version.label, "count": outcome.indicators},
                )
            else:
                messages.info(request, _("This catalogue file was already loaded: no changes."))
            return redirect("quality:catalogue")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "issues": issues}
    return render(request, "quality/catalogue_upload.html", context, status=status)


def _entry(data: dict[str, object]) -> RevisionEntry:
    fields = {k: v for k, v in data.items() if k not in {"valid_from", "owner"}}
    return RevisionEntry(**fields)  # type: ignore[arg-type]


@require_http_methods(["GET", "POST"])
@login_required
def indicator_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Correct an indicator's definition or start a new revision from a year."""
    viewer = signed_in_viewer(request)
    indicator = _indicator(code)
    if not _may_edit(viewer, indicator):
        quality_require(viewer, QualityAction.MANAGE_CATALOGUE)
    current = indicator.revisions.first()
    initial: dict[str, object] = {}
    if current is not None:
        initial = {
            name: getattr(current, name)
            for name in RevisionForm.base_fields
            if hasattr(current, name)
        }
    form = RevisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        indicator_revise(
            viewer=viewer,
            indicator=indicator,
            entry=_entry(form.cleaned_data),
            valid_from=form.cleaned_data["valid_from"],
        )
        messages.success(request, _("The indicator has been saved."))
        return redirect("quality:indicator-detail", code=indicator.code)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "indicator": indicator}
    return render(request, "quality/indicator_form.html", context, status=status)


def _may_edit(viewer: Viewer, indicator: Indicator) -> bool:
    if indicator.organizer is not None:
        number = indicator.organizer.organisation_number
        return quality_allowed(viewer, QualityAction.ADD_LOCAL_INDICATOR, organizer=number)
    if indicator.region is not None:
        regions = frozenset({indicator.region.code})
        return quality_allowed(viewer, QualityAction.ADD_LOCAL_INDICATOR, regions=regions)
    return quality_allowed(viewer, QualityAction.MANAGE_CATALOGUE)


@require_http_methods(["GET", "POST"])
@login_required
def local_indicator_create_view(request: HttpRequest) -> HttpResponse:
    """An organizer or a region adds its own (local) indicator."""
    viewer = signed_in_viewer(request)
    owners = selectors.local_indicator_owners(viewer=viewer)
    if not owners:
        raise PermissionDenied(QualityAction.ADD_LOCAL_INDICATOR.value)
    form = LocalIndicatorForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        organizer, region = selectors.local_indicator_owner(key=form.cleaned_data["owner"])
        indicator = local_indicator_create(
            viewer=viewer,
            by=signed_in_user(request),
            entry=_entry(form.cleaned_data),
            valid_from=form.cleaned_data["valid_from"],
            organizer=organizer,
            region=region,
        )
        messages.success(request, _("The local indicator has been added."))
        return redirect("quality:indicator-detail", code=indicator.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "quality/local_indicator_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def local_values(request: HttpRequest, code: str) -> HttpResponse:
    """The values of a local indicator per school year; its owner enters or corrects them."""
    viewer = signed_in_viewer(request)
    indicator = _indicator(code)
    if not indicator.is_local:
        raise Http404(_("There is no such indicator."))
    if not _may_edit(viewer, indicator):
        raise PermissionDenied(QualityAction.ADD_LOCAL_INDICATOR.value)
    form = LocalValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            local_value_save(
                viewer=viewer,
                by=signed_in_user(request),
                indicator=indicator,
                year=form.cleaned_data["year"],
                value=form.cleaned_data["value"],
                n=form.cleaned_data["n"],
                note=form.cleaned_data["note"],
            )
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The value has been saved."))
            return redirect("quality:local-values", code=indicator.code)
    revision = indicator.revisions.first()
    owner = indicator.organizer or indicator.region
    context = {
        "indicator": indicator,
        "name": revision.name if revision else indicator.code,
        "owner": owner.name if owner else "",
        "values": selectors.local_value_list(indicator=indicator),
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "quality/local_values.html", context, status=status)

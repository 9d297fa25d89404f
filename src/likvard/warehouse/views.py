"""Thin views of the warehouse: an organizer's enrolment overview and the import history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from likvard.access.policy import Action, require, viewer_for
from likvard.organisations import selectors as organisations
from likvard.organisations.selectors import NotFoundError
from likvard.warehouse.reports import organizer_enrolment_report
from likvard.warehouse.selectors import batch_history


@login_required
def organizer_students(request: HttpRequest, organisation_number: str) -> HttpResponse:
    """Enrolled students of an organizer: in full for its analysts, suppressed for others."""
    viewer = viewer_for(request.user)
    require(viewer, Action.BROWSE)
    try:
        organizer = organisations.organizer_get(organisation_number=organisation_number)
    except NotFoundError as error:
        raise Http404(_("There is no organizer with that organisation number.")) from error
    report = organizer_enrolment_report(viewer=viewer, organizer=organizer)
    return render(request, "warehouse/organizer_students.html", {"report": report})


@login_required
def import_history(request: HttpRequest) -> HttpResponse:
    """Every import batch (administrators)."""
    require(viewer_for(request.user), Action.IMPORT_PUBLIC_DATA)
    return render(request, "warehouse/import_history.html", {"batches": batch_history()})

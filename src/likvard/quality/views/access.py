"""Looking up the organizer, school unit or year a quality page is about (404 when unknown)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from likvard.organisations import selectors as organisations
from likvard.organisations.models import Organizer, Region, SchoolUnit
from likvard.organisations.selectors import NotFoundError
from likvard.quality.forms import YearForm
from likvard.quality.selectors import default_school_year


def organizer_for(organisation_number: str) -> Organizer:
    """The organizer, or the Swedish 404 page."""
    try:
        return organisations.organizer_get(organisation_number=organisation_number)
    except NotFoundError as error:
        raise Http404(_("There is no organizer with that organisation number.")) from error


def school_unit_for(code: str) -> SchoolUnit:
    """The school unit, or the Swedish 404 page."""
    try:
        return organisations.school_unit_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no such school unit.")) from error


def region_for(code: str) -> Region:
    """The region, or the Swedish 404 page."""
    try:
        return organisations.region_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no such region.")) from error


def year_of(request: HttpRequest) -> int:
    """The ``year`` asked for (spring year), or the current school year when none or invalid."""
    form = YearForm(request.GET)
    if form.is_valid() and form.cleaned_data["year"]:
        return int(form.cleaned_data["year"])
    return default_school_year()

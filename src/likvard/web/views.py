"""Thin views of the web shell: parse, authorise through the policy, call a selector, render."""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from likvard.access.audit import audit_events
from likvard.access.policy import Action, allowed, require, viewer_for
from likvard.networks import selectors as networks
from likvard.organisations import selectors
from likvard.organisations.labels import scope_labels
from likvard.organisations.selectors import NotFoundError
from likvard.quality.selectors import organizer_regions
from likvard.web.area_links import municipality_links, organizer_links, region_links
from likvard.web.forms import SignInForm
from likvard.web.home import home_sections
from likvard.web.unit_links import school_unit_links


class SignInView(LoginView):
    """Sign-in with per-username and per-address rate limiting (see ``access.ratelimit``)."""

    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(form, "blocked", False):
            response.status_code = 429
            response["Retry-After"] = str(getattr(form, "wait", 0))
        else:
            response.status_code = 400
        return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponseRedirect:
    """Sign out (POST only, so a link cannot sign anyone out)."""
    logout(request)
    return redirect("web:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what this person can do, by role."""
    viewer = viewer_for(request.user)
    return render(request, "web/home.html", {"sections": home_sections(viewer=viewer)})


@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    """All regions."""
    require(viewer_for(request.user), Action.BROWSE)
    return render(request, "web/region_list.html", {"regions": selectors.region_list()})


@login_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A region with its member municipalities."""
    viewer = viewer_for(request.user)
    require(viewer, Action.BROWSE)
    try:
        region = selectors.region_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no region with that code.")) from error
    context = {
        "region": region,
        "municipalities": selectors.region_municipalities(region=region),
        "analyses": region_links(viewer=viewer, region=region),
        "networks": networks.region_networks(region=region),
    }
    return render(request, "web/region_detail.html", context)


@login_required
def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A municipality with the organizers that run school units in it."""
    require(viewer_for(request.user), Action.BROWSE)
    try:
        municipality = selectors.municipality_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no municipality with that code.")) from error
    context = {
        "municipality": municipality,
        "organizers": selectors.organizers_in_municipality(municipality=municipality),
        "regions": selectors.municipality_regions(municipality=municipality),
        "analyses": municipality_links(municipality=municipality),
    }
    return render(request, "web/municipality_detail.html", context)


@login_required
def organizer_detail(request: HttpRequest, organisation_number: str) -> HttpResponse:
    """An organizer with its school units."""
    viewer = viewer_for(request.user)
    require(viewer, Action.BROWSE)
    try:
        organizer = selectors.organizer_get(organisation_number=organisation_number)
    except NotFoundError as error:
        raise Http404(_("There is no organizer with that organisation number.")) from error
    units = selectors.organizer_school_units(organizer=organizer)
    regions = organizer_regions(organizer=organizer)
    context = {
        "organizer": organizer,
        "school_units": units,
        "analyses": organizer_links(
            viewer=viewer, organizer=organizer, units=units, regions=regions
        ),
        "owns_student_data": allowed(
            viewer, Action.READ_STUDENT_DATA, organizer=organizer.organisation_number
        ),
    }
    return render(request, "web/organizer_detail.html", context)


@login_required
def school_unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A school unit: its organizer, municipality, school forms and programmes, and links to
    its analyses."""
    viewer = viewer_for(request.user)
    require(viewer, Action.BROWSE)
    try:
        unit = selectors.school_unit_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no school unit with that code.")) from error
    context = {
        "unit": unit,
        "programmes": list(unit.programmes.order_by("code")),
        "analyses": school_unit_links(viewer=viewer, unit=unit),
    }
    return render(request, "web/school_unit_detail.html", context)


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit log of student-level reads (administrators)."""
    viewer = viewer_for(request.user)
    if not allowed(viewer, Action.VIEW_AUDIT):
        raise PermissionDenied(Action.VIEW_AUDIT.value)
    events = audit_events()
    scopes = scope_labels(e.scope for e in events)  # each code named once, not once a row
    return render(
        request, "web/audit_list.html", {"events": [(e, scopes[e.scope]) for e in events]}
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The page shown when a form's security token is missing or wrong (403)."""
    return render(request, "web/error.html", _error_context(403, "csrf"), status=403)


def _error_context(status: int, kind: str = "") -> dict[str, object]:
    messages = {
        400: _("The request could not be understood. Check what you entered and try again."),
        403: _("You do not have permission to see this page."),
        404: _("The page you asked for does not exist. Check the address or go to the start."),
        500: _("Something went wrong on our side. The error has been logged; try again later."),
    }
    if kind == "csrf":
        message = _(
            "The form had expired or lacked its security token. Reload the page and try again."
        )
    else:
        message = messages[status]
    return {"status": status, "message": message, "home_url": reverse("web:home")}


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 page."""
    return render(request, "web/error.html", _error_context(400), status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403 page."""
    return render(request, "web/error.html", _error_context(403), status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 page; a view's own Swedish explanation is shown when it gave one."""
    context = _error_context(404)
    detail = exception.args[0] if exception.args else None
    if isinstance(detail, str) and detail:
        context["message"] = detail
    return render(request, "web/error.html", context, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page."""
    return render(request, "web/error.html", _error_context(500), status=500)

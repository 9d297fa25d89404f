"""Managing a network's members (secretaries, coordinators and administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from likvard.access.policy import NetworkAction, network_require, viewer_for
from likvard.networks.forms import MembershipEndForm, MembershipForm
from likvard.networks.models import Membership
from likvard.networks.selectors import (
    NotFoundError,
    member_roster,
    membership_get,
    network_standing,
)
from likvard.networks.services.members import MembershipEntry, membership_add, membership_end
from likvard.networks.views.access import network_for


@require_http_methods(["GET", "POST"])
@login_required
def members(request: HttpRequest, code: str) -> HttpResponse:
    """Current and former members; a form to add a membership."""
    viewer, network, standing = network_for(request, code)
    network_require(viewer, NetworkAction.MANAGE_MEMBERS, standing=standing)
    form = MembershipForm(request.POST or None)
    form.fields["substitute_for"].queryset = Membership.objects.filter(  # type: ignore[attr-defined]
        network=network
    ).order_by("person_name")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = MembershipEntry(
            person_name=data["person_name"],
            organisation_name=data["organisation_name"],
            role=data["role"],
            school_forms=tuple(data["school_forms"]),
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            user=data["username"],
            substitute_for=data["substitute_for"],
        )
        try:
            membership_add(network=network, entry=entry)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is now a member.") % {"name": entry.person_name})
            return redirect("networks:members", code=network.code)
    return render(
        request,
        "networks/members.html",
        {
            "form": form,
            "roster": member_roster(network=network),
            "network": network,
            "end_form": MembershipEndForm(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def membership_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    """End a membership on the given day (it stays listed among former members)."""
    viewer = viewer_for(request.user)
    try:
        membership = membership_get(pk=pk)
    except NotFoundError as error:
        raise Http404(_("There is no such membership.")) from error
    standing = network_standing(viewer=viewer, network=membership.network)
    network_require(viewer, NetworkAction.MANAGE_MEMBERS, standing=standing)
    form = MembershipEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the last day as member."))
    else:
        try:
            membership_end(membership=membership, on=form.cleaned_data["valid_to"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The membership of %(name)s ends on %(date)s.")
                % {"name": membership.person_name, "date": form.cleaned_data["valid_to"]},
            )
    return redirect("networks:members", code=membership.network.code)

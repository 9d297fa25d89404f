"""Creating a network and appointing its secretaries (administrators, regional coordinators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from likvard.access.policy import NetworkAction, network_require, viewer_for
from likvard.networks.forms import NetworkForm, SecretaryForm
from likvard.networks.models import Network
from likvard.networks.selectors import (
    network_secretaries,
    regions_managed,
    secretary_candidates,
)
from likvard.networks.services.networks import network_create, secretary_appoint
from likvard.networks.views.access import network_for
from likvard.organisations.models import Region


@require_http_methods(["GET", "POST"])
@login_required
def network_new(request: HttpRequest) -> HttpResponse:
    """A form for a new network in a region the viewer manages, with its secretary."""
    viewer = viewer_for(request.user)
    network_require(viewer, NetworkAction.MANAGE_NETWORKS)
    regions = regions_managed(viewer=viewer)
    form = NetworkForm(request.POST or None)
    form.fields["region"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
        pk__in=[r.pk for r in regions]
    )
    form.fields["parent"].queryset = Network.objects.filter(  # type: ignore[attr-defined]
        region__in=regions
    )
    candidates = secretary_candidates(regions=regions)
    form.fields["secretary"].queryset = User.objects.filter(  # type: ignore[attr-defined]
        pk__in=[u.pk for u in candidates]
    ).order_by("first_name", "last_name")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        network_require(viewer, NetworkAction.MANAGE_NETWORKS, region=data["region"].code)
        secretary = data["secretary"]
        if secretary is not None and secretary not in secretary_candidates(
            regions=[data["region"]]
        ):
            form.add_error("secretary", _("Choose a network secretary of the network's region."))
        else:
            try:
                network = network_create(
                    name=data["name"],
                    region=data["region"],
                    description=data["description"],
                    parent=data["parent"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if secretary is not None:
                    secretary_appoint(
                        network=network,
                        user=secretary,
                        organisation_name=data["secretary_organisation"],
                    )
                messages.success(request, _("%(name)s is created.") % {"name": network.name})
                return redirect("networks:network-detail", code=network.code)
    return render(
        request,
        "networks/network_form.html",
        {"form": form, "has_candidates": bool(candidates)},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def secretaries(request: HttpRequest, code: str) -> HttpResponse:
    """The network's secretaries, and a form to appoint one."""
    viewer, network, _standing = network_for(request, code)
    network_require(viewer, NetworkAction.MANAGE_NETWORKS, region=network.region.code)
    candidates = secretary_candidates(regions=[network.region])
    form = SecretaryForm(request.POST or None)
    form.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
        pk__in=[u.pk for u in candidates]
    ).order_by("first_name", "last_name")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = secretary_appoint(
            network=network,
            user=data["user"],
            organisation_name=data["organisation_name"],
            valid_from=data["valid_from"],
        )
        messages.success(
            request,
            _("%(person)s is secretary of %(network)s.")
            % {"person": membership.person_name, "network": network.name},
        )
        return redirect("networks:secretaries", code=network.code)
    return render(
        request,
        "networks/secretaries.html",
        {
            "network": network,
            "form": form,
            "secretaries": network_secretaries(network=network),
            "has_candidates": bool(candidates),
        },
        status=400 if request.method == "POST" else 200,
    )

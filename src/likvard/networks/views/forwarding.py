"""Forwarding a decision or action item to another network; a network's incoming matters."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from likvard.access.interface import signed_in_user
from likvard.access.policy import NetworkAction, network_require
from likvard.networks.forms import ForwardForm
from likvard.networks.models import ActionItem, Decision, Network
from likvard.networks.selectors import (
    NotFoundError,
    action_item_get,
    decision_get,
    incoming_matters,
    networks_other_than,
)
from likvard.networks.services.forwarding import ForwardingError, matter_forward
from likvard.networks.views.access import meeting_for, network_for


def _forward(request: HttpRequest, source: Decision | ActionItem) -> HttpResponse:
    _viewer, meeting = meeting_for(request, source.item.meeting_id, NetworkAction.WRITE_MINUTES)
    form = ForwardForm(request.POST)
    form.fields["network"].queryset = Network.objects.filter(  # type: ignore[attr-defined]
        pk__in=[n.pk for n in networks_other_than(network=meeting.network)]
    )
    if not form.is_valid():
        messages.error(request, _("Choose the network to forward to."))
    else:
        network = form.cleaned_data["network"]
        try:
            forwarding = matter_forward(
                network=network,
                by=signed_in_user(request),
                decision=source if isinstance(source, Decision) else None,
                action_item=source if isinstance(source, ActionItem) else None,
            )
        except ForwardingError as error:
            messages.error(request, str(error))
        else:
            where = (
                _("on the agenda of its next meeting")
                if forwarding.agenda_item_id
                else _("among its incoming matters until its next meeting is planned")
            )
            messages.success(
                request,
                _("Forwarded to %(network)s, %(where)s.")
                % {"network": network.name, "where": where},
            )
    return redirect(
        reverse("networks:meeting-detail", args=[meeting.pk]) + f"#item-{source.item_id}"
    )


@require_POST
@login_required
def decision_forward(request: HttpRequest, pk: int) -> HttpResponse:
    """The source network's secretary forwards a decision to another network's agenda."""
    try:
        decision = decision_get(pk=pk)
    except NotFoundError as error:
        raise Http404(_("There is no such decision.")) from error
    return _forward(request, decision)


@require_POST
@login_required
def action_item_forward(request: HttpRequest, pk: int) -> HttpResponse:
    """The source network's secretary forwards an action item to another network's agenda."""
    try:
        action = action_item_get(pk=pk)
    except NotFoundError as error:
        raise Http404(_("There is no such action item.")) from error
    return _forward(request, action)


@require_GET
@login_required
def incoming(request: HttpRequest, code: str) -> HttpResponse:
    """Matters other networks forwarded to this one (its members see them)."""
    viewer, network, standing = network_for(request, code)
    network_require(viewer, NetworkAction.READ_INCOMING, standing=standing)
    return render(request, "networks/incoming.html", {"matters": incoming_matters(network=network)})

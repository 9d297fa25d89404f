"""Networks, their members and meetings; search; open action items."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from likvard.access.policy import NetworkAction, network_allowed, viewer_for
from likvard.networks import selectors
from likvard.networks.forms import ActionItemFilterForm, SearchForm
from likvard.networks.selectors import (
    action_items_open,
    meeting_next_planned,
    network_list,
    network_list_has_parents,
    network_members,
    readable_meetings,
    writer_standing,
)
from likvard.networks.services.follow_up import (
    action_item_summary,
    attendance_chart,
    representation_by_network,
)
from likvard.networks.services.search import SearchFilters, notes_search
from likvard.networks.services.search_sources import source_filters, source_sections
from likvard.networks.views.access import network_for


@require_GET
@login_required
def network_index(request: HttpRequest) -> HttpResponse:
    """Every network, the viewer's own marked."""
    viewer = viewer_for(request.user)
    networks = network_list(viewer=viewer)
    return render(
        request,
        "networks/network_list.html",
        {
            "networks": networks,
            "part_of": network_list_has_parents(networks),
            # the viewer's roles only when they have one somewhere: empty on every row it
            # tells the reader nothing
            "your_roles": any(row.roles for row in networks),
            "may_import": network_allowed(
                viewer, NetworkAction.IMPORT_NOTES, standing=writer_standing(viewer=viewer)
            ),
            "may_create": network_allowed(viewer, NetworkAction.MANAGE_NETWORKS),
        },
    )


@require_GET
@login_required
def network_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A network: its members today, sub-groups and the meetings the viewer may read."""
    viewer, network, standing = network_for(request, code)
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            "members": network_members(network=network),
            "subgroups": list(network.subgroups.all()),
            "meetings": readable_meetings(viewer=viewer, network=network),
            "next_meeting": meeting_next_planned(network=network),
            "may_write": network_allowed(viewer, NetworkAction.WRITE_MINUTES, standing=standing),
            "may_manage_members": network_allowed(
                viewer, NetworkAction.MANAGE_MEMBERS, standing=standing
            ),
            "may_read_incoming": network_allowed(
                viewer, NetworkAction.READ_INCOMING, standing=standing
            ),
            "may_manage_network": network_allowed(
                viewer, NetworkAction.MANAGE_NETWORKS, region=network.region.code
            ),
        },
    )


@require_GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over the notes the viewer may read, hits highlighted."""
    form = SearchForm(request.GET)
    viewer = viewer_for(request.user)
    params = {key: request.GET.get(key, "") for key in request.GET}
    hits, sections = [], []
    if form.is_valid() and form.cleaned_data["q"]:
        sections = source_sections(viewer=viewer, query=form.cleaned_data["q"], params=params)
        hits = notes_search(
            viewer=viewer,
            query=form.cleaned_data["q"],
            network=form.cleaned_data["network"],
            filters=SearchFilters(
                held_from=form.cleaned_data["held_from"],
                held_to=form.cleaned_data["held_to"],
                person=form.cleaned_data["person"],
                organisation=form.cleaned_data["organisation"],
            ),
        )
    status = 200 if form.is_valid() else 400
    context = {
        "form": form,
        "hits": hits,
        "sections": sections,
        "source_filters": source_filters(viewer=viewer, params=params),
    }
    return render(request, "networks/search.html", context, status=status)


@require_GET
@login_required
def action_items(request: HttpRequest) -> HttpResponse:
    """Open action items per person and organisation, in meetings the viewer may read."""
    form = ActionItemFilterForm(request.GET)
    rows = []
    if form.is_valid():
        rows = action_items_open(viewer=viewer_for(request.user), **form.cleaned_data)
    return render(
        request,
        "networks/action_items.html",
        {"form": form, "rows": rows, "summary": action_item_summary(rows=rows)},
        status=200 if form.is_valid() else 400,
    )


@require_GET
@login_required
def attendance_overview(request: HttpRequest, code: str) -> HttpResponse:
    """Which municipalities were represented at which meetings (those the viewer may read)."""
    viewer, network, _standing = network_for(request, code)
    overview = selectors.attendance_overview(viewer=viewer, network=network)
    return render(
        request,
        "networks/attendance_overview.html",
        {"overview": overview, "chart": attendance_chart(overview)},
    )


@require_GET
@login_required
def representation(request: HttpRequest) -> HttpResponse:
    """Which municipalities are represented in which networks, and where they are missing."""
    report = representation_by_network(viewer=viewer_for(request.user))
    return render(request, "networks/representation.html", {"report": report})

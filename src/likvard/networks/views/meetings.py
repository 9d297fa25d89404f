"""A meeting's minutes: create, read, attendance, items, snapshots, check, publish, export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from likvard.access.interface import signed_in_user
from likvard.access.policy import NetworkAction, network_allowed, network_require
from likvard.networks import selectors
from likvard.networks.forms import (
    AgendaItemForm,
    AttendanceFormSet,
    ForwardForm,
    MeetingForm,
    SnapshotForm,
)
from likvard.networks.models import AgendaItem, Network
from likvard.networks.services import meetings as services
from likvard.networks.services.minutes import FORMATS as MINUTES_FORMATS
from likvard.networks.services.minutes import minutes_file
from likvard.networks.services.snapshots import snapshot_enrolment_embed
from likvard.networks.views.access import item_for, meeting_for, network_for
from likvard.organisations import selectors as organisations
from likvard.organisations.selectors import NotFoundError as OrganizerNotFoundError


@require_http_methods(["GET", "POST"])
@login_required
def meeting_create(request: HttpRequest, code: str) -> HttpResponse:
    """A secretary creates a meeting; standing items and open action items carry over."""
    viewer, network, standing = network_for(request, code)
    network_require(viewer, NetworkAction.WRITE_MINUTES, standing=standing)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(
            network=network, by=signed_in_user(request), **form.cleaned_data
        )
        return redirect("networks:meeting-detail", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "networks/meeting_form.html", {"form": form, "network": network}, status=status
    )


@require_GET
@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes; drafts with the secretary's and checkers' controls."""
    viewer, meeting = meeting_for(request, pk, NetworkAction.READ_MINUTES)
    standing = selectors.network_standing(viewer=viewer, network=meeting.network, meeting=meeting)
    draft = meeting.status == "draft"
    return render(
        request,
        "networks/meeting_detail.html",
        {
            "detail": selectors.meeting_detail(meeting=meeting),
            "may_write": draft
            and network_allowed(viewer, NetworkAction.WRITE_MINUTES, standing=standing),
            "may_check": draft
            and network_allowed(viewer, NetworkAction.CHECK_MINUTES, standing=standing),
            "may_publish": meeting.status == "checked"
            and network_allowed(viewer, NetworkAction.WRITE_MINUTES, standing=standing),
            "forward_networks": selectors.networks_other_than(network=meeting.network)
            if network_allowed(viewer, NetworkAction.WRITE_MINUTES, standing=standing)
            else [],
            "snapshot_form": SnapshotForm(),
            "organizers": organisations.region_organizers(region=meeting.network.region)
            if draft
            else [],
        },
    )


def _state_error(request: HttpRequest, error: services.MeetingStateError, pk: int) -> HttpResponse:
    messages.error(request, str(error))
    return redirect("networks:meeting-detail", pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Record who was present, absent, a substitute or a guest presenter."""
    _viewer, meeting = meeting_for(request, pk, NetworkAction.WRITE_MINUTES)
    initial = [
        {
            "person_name": r.person_name,
            "organisation_name": r.organisation_name,
            "role": r.role,
            "status": r.status,
        }
        for r in meeting.attendance.all()
    ] or [
        {
            "person_name": m.person_name,
            "organisation_name": m.organisation_name,
            "role": m.get_role_display(),
            "status": "present",
        }
        for m in selectors.network_members(network=meeting.network, on=meeting.held_on)
    ]
    formset = AttendanceFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        entries = [
            services.AttendanceEntry(**row)
            for row in formset.cleaned_data
            if row.get("person_name")
        ]
        try:
            services.attendance_record(meeting=meeting, entries=entries)
        except services.MeetingStateError as error:
            return _state_error(request, error, pk)
        return redirect("networks:meeting-detail", pk=pk)
    return render(
        request,
        "networks/attendance_form.html",
        {"formset": formset, "meeting": meeting},
        status=400 if request.method == "POST" else 200,
    )


EXTRA_FIELDS = ("decision", "action_text", "action_owner", "action_organisation", "action_due")


def _record_extras(item: AgendaItem, extras: dict[str, Any]) -> None:
    """A new decision and a new action item written with the item's notes, if given."""
    if extras["decision"]:
        services.decision_add(item=item, text=extras["decision"])
    if extras["action_text"]:
        services.action_item_add(
            item=item,
            text=extras["action_text"],
            owner_name=extras["action_owner"],
            organisation_name=extras["action_organisation"],
            due=extras["action_due"],
        )


@require_http_methods(["GET", "POST"])
@login_required
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an agenda item with its notes."""
    _viewer, meeting = meeting_for(request, pk, NetworkAction.WRITE_MINUTES)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        extras = {name: data.pop(name) for name in EXTRA_FIELDS}
        try:
            item = services.agenda_item_add(meeting=meeting, **data)
            _record_extras(item, extras)
        except services.MeetingStateError as error:
            return _state_error(request, error, pk)
        return redirect("networks:meeting-detail", pk=pk)
    return render(
        request,
        "networks/item_form.html",
        {"form": form, "meeting": meeting},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Write an item's notes during the meeting, and its decisions."""
    _viewer, item = item_for(request, pk)
    initial = {
        "title": item.title,
        "kind": item.kind,
        "presenter": item.presenter,
        "standing": item.standing,
        "body": item.body,
    }
    form = AgendaItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        extras = {name: data.pop(name) for name in EXTRA_FIELDS}
        try:
            services.agenda_item_write(item=item, **data)
            _record_extras(item, extras)
        except services.MeetingStateError as error:
            return _state_error(request, error, item.meeting_id)
        return redirect("networks:meeting-detail", pk=item.meeting_id)
    return render(
        request,
        "networks/item_form.html",
        {"form": form, "meeting": item.meeting, "item": item},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def item_snapshot(request: HttpRequest, pk: int) -> HttpResponse:
    """Embed an organizer's enrolment figures in the item as a frozen snapshot."""
    viewer, item = item_for(request, pk)
    form = SnapshotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an organizer."))
        return redirect("networks:meeting-detail", pk=item.meeting_id)
    try:
        organizer = organisations.organizer_get(
            organisation_number=form.cleaned_data["organisation_number"]
        )
        snapshot_enrolment_embed(item=item, viewer=viewer, organizer=organizer)
    except OrganizerNotFoundError:
        messages.error(request, _("There is no organizer with that organisation number."))
    except services.MeetingStateError as error:
        messages.error(request, str(error))
    return redirect("networks:meeting-detail", pk=item.meeting_id)


@require_POST
@login_required
def meeting_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair or the checker checks (justerar) the minutes."""
    _viewer, meeting = meeting_for(request, pk, NetworkAction.CHECK_MINUTES)
    try:
        services.meeting_check(meeting=meeting, by=signed_in_user(request))
    except services.MeetingStateError as error:
        return _state_error(request, error, pk)
    messages.success(request, _("You have checked the minutes."))
    return redirect("networks:meeting-detail", pk=pk)


@require_POST
@login_required
def meeting_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary publishes checked minutes to the members."""
    _viewer, meeting = meeting_for(request, pk, NetworkAction.WRITE_MINUTES)
    try:
        services.meeting_publish(meeting=meeting)
    except services.MeetingStateError as error:
        return _state_error(request, error, pk)
    messages.success(request, _("The minutes are published to the network's members."))
    return redirect("networks:meeting-detail", pk=pk)


@require_GET
@login_required
def meeting_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The minutes as DOCX or PDF."""
    _viewer, meeting = meeting_for(request, pk, NetworkAction.READ_MINUTES)
    if fmt not in MINUTES_FORMATS:
        raise Http404(_("Unknown export format."))
    exported = minutes_file(selectors.meeting_detail(meeting=meeting), fmt)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@require_POST
@login_required
def action_item_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary marks an action item done: it is carried to no further meeting."""
    try:
        action = selectors.action_item_get(pk=pk)
    except selectors.NotFoundError as error:
        raise Http404(_("There is no such action item.")) from error
    _viewer, meeting = meeting_for(request, action.item.meeting_id, NetworkAction.WRITE_MINUTES)
    services.action_item_done(action=action)
    messages.success(request, _("The action item is done."))
    return redirect(
        reverse("networks:meeting-detail", args=[meeting.pk]) + f"#item-{action.item_id}"
    )


@require_POST
@login_required
def meeting_share(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary shares published minutes with another network's members."""
    _viewer, meeting = meeting_for(request, pk, NetworkAction.WRITE_MINUTES)
    form = ForwardForm(request.POST)
    form.fields["network"].queryset = Network.objects.filter(  # type: ignore[attr-defined]
        pk__in=[n.pk for n in selectors.networks_other_than(network=meeting.network)]
    )
    if not form.is_valid():
        messages.error(request, _("Choose the network to share with."))
        return redirect("networks:meeting-detail", pk=pk)
    try:
        services.meeting_share(meeting=meeting, network=form.cleaned_data["network"])
    except services.MeetingStateError as error:
        return _state_error(request, error, pk)
    messages.success(
        request,
        _("The minutes are shared with %(network)s.")
        % {"network": form.cleaned_data["network"].name},
    )
    return redirect("networks:meeting-detail", pk=pk)

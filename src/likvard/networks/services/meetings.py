"""Writing a meeting's minutes: agenda, attendance, notes, decisions, checking and publishing.

Minutes are written while the meeting is a draft; the chair and the appointed checker check
(justerar) them, which makes them ``checked``; the secretary then publishes them to members.
Every write that changes searchable text re-indexes the item in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from likvard.networks.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    Decision,
    Forwarding,
    ItemKind,
    Meeting,
    MeetingStatus,
    Network,
    SharedNote,
)
from likvard.networks.services.search import search_index_item
from likvard.organisations.models import Municipality


class MeetingStateError(Exception):
    """The meeting is not in a state that allows this (e.g. editing published minutes)."""


def meeting_require_draft(meeting: Meeting) -> None:
    """Raise ``MeetingStateError`` unless the minutes are still a draft."""
    if meeting.status != MeetingStatus.DRAFT:
        raise MeetingStateError(_("Checked or published minutes can no longer be changed."))


@transaction.atomic
def meeting_create(
    *,
    network: Network,
    held_on: dt.date,
    by: User,
    place: str = "",
    digital: bool = False,
    title: str = "",
    chair: User | None = None,
    checker: User | None = None,
) -> Meeting:
    """A new draft meeting; standing items and open action items carry over from the last one."""
    meeting = Meeting(
        network=network,
        held_on=held_on,
        place=place,
        digital=digital,
        title=title,
        secretary=by,
        secretary_name=by.get_full_name() or by.get_username(),
        chair=chair,
        checker=checker,
    )
    meeting.full_clean()
    meeting.save()
    previous = (
        Meeting.objects.filter(network=network)
        .exclude(pk=meeting.pk)
        .order_by("-held_on", "-pk")
        .first()
    )
    if previous is not None:
        for number, standing in enumerate(previous.items.filter(standing=True), start=1):
            item = AgendaItem(
                meeting=meeting,
                number=number,
                title=standing.title,
                kind=standing.kind,
                presenter=standing.presenter,
                standing=True,
            )
            item.full_clean()
            item.save()
            search_index_item(item=item)
    ActionItem.objects.filter(item__meeting__network=network, status=ActionStatus.OPEN).exclude(
        item__meeting=meeting
    ).update(carried_to=meeting)
    for forwarding in Forwarding.objects.filter(network=network, agenda_item__isnull=True):
        forwarding_place(forwarding=forwarding, meeting=meeting)
    return meeting


@transaction.atomic
def forwarding_place(*, forwarding: Forwarding, meeting: Meeting) -> AgendaItem:
    """Put a forwarded matter on a draft ``meeting``'s agenda (of the target network) as a
    discussion item; returns the new item, which links back to the origin."""
    item = agenda_item_add(
        meeting=meeting, title=forwarding.title, kind=ItemKind.DISCUSSION, body=forwarding.text
    )
    forwarding.agenda_item = item
    forwarding.save(update_fields=["agenda_item"])
    return item


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    kind: str = ItemKind.REPORT,
    presenter: str = "",
    standing: bool = False,
    body: str = "",
) -> AgendaItem:
    """Add an item at the end of a draft meeting's agenda; returns it, numbered."""
    meeting_require_draft(meeting)
    last = meeting.items.aggregate(last=Max("number"))["last"] or 0
    item = AgendaItem(
        meeting=meeting,
        number=last + 1,
        title=title,
        kind=kind,
        presenter=presenter,
        standing=standing,
        body=body,
    )
    item.full_clean()
    item.save()
    search_index_item(item=item)
    return item


@transaction.atomic
def agenda_item_write(
    *, item: AgendaItem, title: str, kind: str, presenter: str, standing: bool, body: str
) -> AgendaItem:
    """Write an item's notes (the secretary, during the meeting); returns the saved item."""
    meeting_require_draft(item.meeting)
    item.title, item.kind, item.presenter = title, kind, presenter
    item.standing, item.body = standing, body
    item.full_clean()
    item.save()
    search_index_item(item=item)
    return item


@transaction.atomic
def decision_add(*, item: AgendaItem, text: str) -> Decision:
    """Record a decision under ``item``, taken by the meeting's network on the meeting's date."""
    meeting_require_draft(item.meeting)
    decision = Decision(
        item=item,
        text=text,
        decided_by=item.meeting.network.name,
        decided_on=item.meeting.held_on,
    )
    decision.full_clean()
    decision.save()
    search_index_item(item=item)
    return decision


@transaction.atomic
def action_item_add(
    *,
    item: AgendaItem,
    text: str,
    owner_name: str,
    organisation_name: str = "",
    due: dt.date | None = None,
) -> ActionItem:
    """An open action item for a person (and organisation) under ``item``."""
    meeting_require_draft(item.meeting)
    action = ActionItem(
        item=item, text=text, owner_name=owner_name, organisation_name=organisation_name, due=due
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_item_done(*, action: ActionItem) -> ActionItem:
    """Mark an action item done: it is carried to no further meeting."""
    action.status = ActionStatus.DONE
    action.save(update_fields=["status"])
    return action


@dataclass(frozen=True, slots=True)
class AttendanceEntry:
    """One person's attendance as the secretary records it."""

    person_name: str
    organisation_name: str
    status: str
    role: str = ""


@transaction.atomic
def attendance_record(*, meeting: Meeting, entries: list[AttendanceEntry]) -> list[Attendance]:
    """Replace the meeting's attendance with ``entries``; municipalities matched by name."""
    meeting_require_draft(meeting)
    names = {e.organisation_name.casefold() for e in entries if e.organisation_name}
    municipalities = {
        m.name.casefold(): m for m in Municipality.objects.all() if m.name.casefold() in names
    }
    meeting.attendance.all().delete()
    rows = []
    for entry in entries:
        row = Attendance(
            meeting=meeting,
            person_name=entry.person_name,
            organisation_name=entry.organisation_name,
            role=entry.role,
            status=entry.status,
            municipality=municipalities.get(entry.organisation_name.casefold()),
        )
        row.full_clean()
        rows.append(row)
    return Attendance.objects.bulk_create(rows)


@transaction.atomic
def meeting_check(*, meeting: Meeting, by: User) -> Meeting:
    """Check (justera) the minutes as chair or checker; both done makes them ``checked``."""
    meeting_require_draft(meeting)
    now = timezone.now()
    if by.pk == meeting.chair_id:
        meeting.chair_checked_at = now
    if by.pk == meeting.checker_id:
        meeting.checker_checked_at = now
    chair_done = meeting.chair_id is None or meeting.chair_checked_at is not None
    checker_done = meeting.checker_id is None or meeting.checker_checked_at is not None
    if chair_done and checker_done:
        meeting.status = MeetingStatus.CHECKED
    meeting.save()
    return meeting


@transaction.atomic
def meeting_publish(*, meeting: Meeting) -> Meeting:
    """Publish checked minutes to the network's members."""
    if meeting.status != MeetingStatus.CHECKED:
        raise MeetingStateError(_("Only checked minutes can be published."))
    meeting.status = MeetingStatus.PUBLISHED
    meeting.published_at = timezone.now()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_share(*, meeting: Meeting, network: Network) -> SharedNote:
    """Share published minutes with another network's members (once)."""
    if not meeting.is_published:
        raise MeetingStateError(_("Only published minutes can be shared."))
    share, _created = SharedNote.objects.get_or_create(meeting=meeting, network=network)
    return share

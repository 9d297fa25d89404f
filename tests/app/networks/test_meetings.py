"""Writing minutes: agenda carry-over, attendance, checking, publishing, frozen snapshots."""

from __future__ import annotations

import datetime as dt

import pytest

from likvard.access.policy import viewer_for
from likvard.networks.models import (
    ActionStatus,
    AttendanceStatus,
    ItemKind,
    MeetingStatus,
)
from likvard.networks.selectors import action_items_open, meeting_readable, readable_meetings
from likvard.networks.services.meetings import (
    AttendanceEntry,
    MeetingStateError,
    action_item_add,
    action_item_done,
    agenda_item_add,
    agenda_item_write,
    attendance_record,
    decision_add,
    meeting_check,
    meeting_create,
    meeting_publish,
    meeting_share,
)
from likvard.networks.services.snapshots import snapshot_enrolment_embed
from likvard.warehouse.services import batch_import
from tests.app.networks.conftest import NetworkWorld
from tests.factories.networks import member
from tests.factories.warehouse import enrolment_file

pytestmark = pytest.mark.django_db


def _meeting(nets: NetworkWorld, day: int = 5):
    users = nets.world.users
    return meeting_create(
        network=nets.gymnasie,
        held_on=dt.date(2025, 3, day),
        by=users["network_secretary"],
        place="GR, Första Långgatan",
        chair=users["regional_coordinator"],
        checker=users["network_member"],
    )


def _checked_and_published(nets: NetworkWorld, meeting):
    meeting_check(meeting=meeting, by=nets.world.users["regional_coordinator"])
    meeting_check(meeting=meeting, by=nets.world.users["network_member"])
    return meeting_publish(meeting=meeting)


def test_standing_items_and_open_actions_carry_over(nets: NetworkWorld):
    first = _meeting(nets)
    agenda_item_add(meeting=first, title="Mötets öppnande", standing=True)
    item = agenda_item_add(meeting=first, title="Utbud 2026", kind=ItemKind.DISCUSSION)
    agenda_item_add(meeting=first, title="Aktuellt från kommunerna", standing=True)
    open_action = action_item_add(
        item=item,
        text="Skicka underlag",
        owner_name="Lena Almqvist",
        organisation_name="Partille",
        due=dt.date(2025, 4, 1),
    )
    done = action_item_add(item=item, text="Boka lokal", owner_name="Niklas Svensson")
    action_item_done(action=done)
    second = _meeting(nets, day=26)
    assert [(i.number, i.title, i.standing) for i in second.items.all()] == [
        (1, "Mötets öppnande", True),
        (2, "Aktuellt från kommunerna", True),
    ]
    open_action.refresh_from_db()
    done.refresh_from_db()
    assert open_action.carried_to == second
    assert done.carried_to is None
    assert done.status == ActionStatus.DONE


def test_check_then_publish_then_members_read(nets: NetworkWorld):
    users = nets.world.users
    meeting = _meeting(nets)
    item = agenda_item_add(meeting=meeting, title="Beslut om tidsplan", kind=ItemKind.DECISION)
    decision_add(item=item, text="Nätverket beslöt att anta tidsplanen.")
    attendance_record(
        meeting=meeting,
        entries=[
            AttendanceEntry(
                "Patrik Hellberg", "Kungsbacka", AttendanceStatus.PRESENT, "ordförande"
            ),
            AttendanceEntry("Ellen Lindqvist", "Mölndal", AttendanceStatus.ABSENT),
        ],
    )
    assert meeting.attendance.get(person_name="Ellen Lindqvist").municipality.code == "1481"
    member_viewer = viewer_for(users["organizer_analyst"])
    member(nets.gymnasie, users["organizer_analyst"])
    assert not meeting_readable(viewer=member_viewer, meeting=meeting)
    with pytest.raises(MeetingStateError):
        meeting_publish(meeting=meeting)
    meeting_check(meeting=meeting, by=users["regional_coordinator"])
    assert meeting.status == MeetingStatus.DRAFT
    meeting_check(meeting=meeting, by=users["network_member"])
    assert meeting.status == MeetingStatus.CHECKED
    meeting_publish(meeting=meeting)
    assert meeting_readable(viewer=member_viewer, meeting=meeting)
    with pytest.raises(MeetingStateError):
        agenda_item_write(
            item=item, title="Ändrad", kind=ItemKind.DECISION, presenter="", standing=False, body=""
        )


def test_outsiders_never_see_drafts(nets: NetworkWorld):
    users = nets.world.users
    meeting = _meeting(nets)
    for role in ("administrator", "organizer_analyst", "principal"):
        viewer = viewer_for(users[role])
        assert not meeting_readable(viewer=viewer, meeting=meeting), role
        assert readable_meetings(viewer=viewer) == []
    assert meeting_readable(viewer=viewer_for(users["network_secretary"]), meeting=meeting)
    assert meeting_readable(viewer=viewer_for(users["network_member"]), meeting=meeting)  # checker


def test_shared_minutes_reach_the_other_network(nets: NetworkWorld):
    users = nets.world.users
    meeting = _checked_and_published(nets, _meeting(nets))
    outsider = users["principal"]
    member(nets.kvalitet, outsider)
    assert not meeting_readable(viewer=viewer_for(outsider), meeting=meeting)
    meeting_share(meeting=meeting, network=nets.kvalitet)
    assert meeting_readable(viewer=viewer_for(outsider), meeting=meeting)


def test_action_items_open_per_person_and_organisation(nets: NetworkWorld):
    meeting = _meeting(nets)
    item = agenda_item_add(meeting=meeting, title="Uppföljning")
    action_item_add(
        item=item,
        text="Ta fram statistik",
        owner_name="Lena Almqvist",
        organisation_name="Partille",
    )
    action_item_add(
        item=item, text="Kalla till möte", owner_name="Jan Tinnberg", organisation_name="Göteborg"
    )
    viewer = viewer_for(nets.world.users["network_secretary"])
    assert [a.owner_name for a in action_items_open(viewer=viewer, organisation="partille")] == [
        "Lena Almqvist"
    ]
    assert len(action_items_open(viewer=viewer)) == 2
    assert action_items_open(viewer=viewer_for(nets.world.users["principal"])) == []


def test_frozen_snapshot_keeps_its_figures_after_new_data(nets: NetworkWorld, tmp_path):
    world = nets.world
    first_file = tmp_path / "elever-2024.csv"
    enrolment_file(
        first_file,
        organizer=world.own.organisation_number,
        school_unit=world.own_unit.code,
        students=24,
    )
    batch_import(path=first_file, kind="enrolments", by=None, organizer=world.own)
    meeting = _meeting(nets)
    item = agenda_item_add(meeting=meeting, title="Elevantal")
    secretary = viewer_for(world.users["network_secretary"])
    snapshot = snapshot_enrolment_embed(item=item, viewer=secretary, organizer=world.own)
    before = (snapshot.data_version, snapshot.rows, snapshot.spec)
    assert sum(r["students"] for r in snapshot.rows if r["students"] is not None) == 24
    assert snapshot.spec["data"]["values"] == snapshot.rows

    second_file = tmp_path / "elever-2025.csv"
    enrolment_file(
        second_file,
        organizer=world.own.organisation_number,
        school_unit=world.own_unit.code,
        students=40,
        seed=2,
        year="2025/26",
    )
    batch_import(path=second_file, kind="enrolments", by=None, organizer=world.own)
    snapshot.refresh_from_db()
    assert (snapshot.data_version, snapshot.rows, snapshot.spec) == before
    fresh = snapshot_enrolment_embed(item=item, viewer=secretary, organizer=world.own)
    assert fresh.data_version != snapshot.data_version
    assert sum(r["students"] for r in fresh.rows if r["students"] is not None) == 64


def test_attendance_overview_shows_missing_municipalities(nets: NetworkWorld):
    from likvard.networks.selectors import attendance_overview

    users = nets.world.users
    first = _checked_and_published(nets, _meeting(nets, day=5))
    second = _meeting(nets, day=26)
    for meeting, towns in ((first, ["Kungsbacka", "Mölndal", "Mölndal"]), (second, ["Mölndal"])):
        meeting.status = MeetingStatus.DRAFT
        meeting.save()
        attendance_record(
            meeting=meeting,
            entries=[
                AttendanceEntry(f"Person {i}", town, AttendanceStatus.PRESENT)
                for i, town in enumerate(towns)
            ],
        )
    first.status = MeetingStatus.PUBLISHED
    first.save()
    secretary = attendance_overview(
        viewer=viewer_for(users["network_secretary"]), network=nets.gymnasie
    )
    assert [m.pk for m in secretary.meetings] == [first.pk, second.pk]
    assert secretary.rows == [("Kungsbacka", [1, 0]), ("Mölndal", [2, 1])]
    member_view = attendance_overview(
        viewer=viewer_for(users["organizer_analyst"]), network=nets.gymnasie
    )
    assert member_view.meetings == []  # not a member: reads no meeting

"""Follow-up: attendance per municipality and network over time, open action items per
person and organisation, each with a chart and a table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from likvard.access.policy import viewer_for
from likvard.networks.models import MeetingStatus
from likvard.networks.selectors import action_items_open, attendance_overview
from likvard.networks.services.follow_up import (
    action_item_summary,
    attendance_chart,
    representation_by_network,
)
from likvard.networks.services.meetings import (
    AttendanceEntry,
    action_item_add,
    agenda_item_add,
    attendance_record,
    meeting_create,
)
from tests.app.networks.conftest import NetworkWorld
from tests.factories.networks import member

pytestmark = pytest.mark.django_db


def _client(nets: NetworkWorld, role: str) -> Client:
    client = Client()
    client.force_login(nets.world.users[role])
    return client


def _meetings(nets: NetworkWorld) -> None:
    """Gymnasienätverket: Kungsbacka at both meetings, Mölndal at the first only (absent at the
    second); Kvalitetsnätverket: Kungsbacka only. All published."""
    users = nets.world.users
    member(nets.kvalitet, users["network_secretary"], "secretary")
    plan = (
        (nets.gymnasie, 5, [("A", "Kungsbacka", "present"), ("B", "Mölndal", "substitute")]),
        (nets.gymnasie, 26, [("A", "Kungsbacka", "present"), ("B", "Mölndal", "absent")]),
        (nets.kvalitet, 12, [("C", "Kungsbacka", "present")]),
    )
    for network, day, rows in plan:
        meeting = meeting_create(
            network=network, held_on=dt.date(2025, 3, day), by=users["network_secretary"]
        )
        attendance_record(meeting=meeting, entries=[AttendanceEntry(*row) for row in rows])
        meeting.status = MeetingStatus.PUBLISHED
        meeting.save()


def test_attendance_overview_and_chart(nets: NetworkWorld):
    _meetings(nets)
    viewer = viewer_for(nets.world.users["network_member"])
    overview = attendance_overview(viewer=viewer, network=nets.gymnasie)
    assert overview.rows == [("Kungsbacka", [1, 1]), ("Mölndal", [1, 0])]
    chart = attendance_chart(overview)
    values = chart["data"]["values"]  # type: ignore[index]
    assert {"Kommun": "Mölndal", "Möte": "2025-03-26", "Närvarande": 0} in values
    assert len(values) == 4
    page = _client(nets, "network_member").get(
        reverse("networks:attendance-overview", args=["gymnasienatverket"])
    )
    text = page.content.decode()
    assert 'data-vega-spec="attendance-spec"' in text
    assert 'id="attendance-table"' in text
    assert "analyses/charts.js" in text


def test_representation_shows_where_a_municipality_is_missing(nets: NetworkWorld):
    _meetings(nets)
    report = representation_by_network(viewer=viewer_for(nets.world.users["network_secretary"]))
    assert [n.name for n in report.networks] == ["Gymnasienätverket", "Kvalitetsnätverket"]
    assert report.meeting_counts == [2, 1]
    assert report.rows == [("Kungsbacka", [2, 1]), ("Mölndal", [1, 0])]
    assert report.missing == [("Mölndal", ["Kvalitetsnätverket"])]
    shares = {
        (v["Kommun"], v["Nätverk"]): v["Andel av mötena (%)"]
        for v in report.chart["data"]["values"]  # type: ignore[index]
    }
    assert shares[("Mölndal", "Gymnasienätverket")] == 50
    # A member of Gymnasienätverket only sees that network's meetings.
    member_report = representation_by_network(viewer=viewer_for(nets.world.users["network_member"]))
    assert [n.name for n in member_report.networks] == ["Gymnasienätverket"]
    page = _client(nets, "network_secretary").get(reverse("networks:representation"))
    text = page.content.decode()
    assert 'id="missing-municipalities"' in text
    assert "<strong>Mölndal</strong>: Kvalitetsnätverket" in text


def test_meeting_without_attendance_register_counts_nobody_missing(nets: NetworkWorld):
    """A planned meeting (no attendance registered yet) made every municipality look missing:
    the overview showed a column of "–" and the representation counted one meeting more."""
    _meetings(nets)
    planned = meeting_create(
        network=nets.gymnasie, held_on=dt.date(2025, 4, 9), by=nets.world.users["network_secretary"]
    )
    viewer = viewer_for(nets.world.users["network_secretary"])
    overview = attendance_overview(viewer=viewer, network=nets.gymnasie)
    assert planned not in overview.meetings
    assert overview.unregistered == [planned]
    assert overview.rows == [("Kungsbacka", [1, 1]), ("Mölndal", [1, 0])]
    report = representation_by_network(viewer=viewer)
    assert report.meeting_counts == [2, 1]
    text = (
        _client(nets, "network_secretary")
        .get(reverse("networks:attendance-overview", args=["gymnasienatverket"]))
        .content.decode()
    )
    assert "Räknas inte, eftersom ingen närvaro är registrerad för dem ännu:" in text
    assert "9 april 2025" in text


def test_no_meetings_says_whose_minutes_one_reads(nets: NetworkWorld):
    """A regional coordinator who is no network's member saw "Inga möten som du kan läsa." and
    nothing on why or what to do."""
    _meetings(nets)
    text = (
        _client(nets, "regional_coordinator").get(reverse("networks:representation")).content
    ).decode()
    assert "Inga möten som du kan läsa." in text
    assert "Du läser anteckningarna från de nätverk du är medlem i" in text


def test_action_items_per_person_and_organisation(nets: NetworkWorld):
    secretary = nets.world.users["network_secretary"]
    meeting = meeting_create(network=nets.gymnasie, held_on=dt.date(2025, 3, 5), by=secretary)
    item = agenda_item_add(meeting=meeting, title="Uppföljning")
    past = timezone.localdate() - dt.timedelta(days=3)
    future = timezone.localdate() + dt.timedelta(days=30)
    for text, owner, organisation, due in (
        ("Statistik", "Ellen", "Mölndal", past),
        ("Enkät", "Ellen", "Mölndal", future),
        ("Lokaler", "Jan", "Kungsbacka", None),
    ):
        action_item_add(
            item=item, text=text, owner_name=owner, organisation_name=organisation, due=due
        )
    rows = action_items_open(viewer=viewer_for(secretary))
    summary = action_item_summary(rows=rows)
    assert [(c.name, c.open, c.overdue) for c in summary.by_organisation] == [
        ("Kungsbacka", 1, 0),
        ("Mölndal", 2, 1),
    ]
    assert [(c.name, c.open) for c in summary.by_person] == [("Ellen", 2), ("Jan", 1)]
    page = _client(nets, "network_secretary").get(reverse("networks:action-items"))
    text = page.content.decode()
    assert 'data-vega-spec="action-items-spec"' in text
    assert 'id="action-items-by-organisation"' in text
    assert (
        _client(nets, "network_member")
        .get(reverse("networks:action-items"))
        .context["summary"]
        .by_organisation
        == []
    )  # drafts: the member sees none


def test_an_item_embeds_an_organizer_chosen_by_name(nets: NetworkWorld):
    """The secretary had to type an organizer's organisation number to embed its enrolment."""
    meeting = meeting_create(
        network=nets.gymnasie, held_on=dt.date(2025, 4, 9), by=nets.world.users["network_secretary"]
    )
    agenda_item_add(meeting=meeting, title="Elevantal")
    organizer = nets.world.own
    text = (
        _client(nets, "network_secretary")
        .get(reverse("networks:meeting-detail", args=[meeting.pk]))
        .content.decode()
    )
    assert "Bädda in elevantal för en huvudman" in text
    assert f'<option value="{organizer.organisation_number}">{organizer.name}</option>' in text

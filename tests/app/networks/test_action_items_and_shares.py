"""Action items written with an item's notes and marked done; minutes shared with a network."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from likvard.networks.models import ActionItem, ActionStatus, MeetingStatus, SharedNote
from likvard.networks.services.meetings import agenda_item_add, meeting_create
from tests.app.networks.conftest import NetworkWorld
from tests.factories.networks import member

pytestmark = pytest.mark.django_db


def _client(nets: NetworkWorld, role: str) -> Client:
    client = Client()
    client.force_login(nets.world.users[role])
    return client


def test_item_form_records_decision_by_network_and_action_item(nets: NetworkWorld):
    secretary = nets.world.users["network_secretary"]
    meeting = meeting_create(network=nets.gymnasie, held_on=dt.date(2025, 3, 5), by=secretary)
    client = _client(nets, "network_secretary")
    url = reverse("networks:item-create", args=[meeting.pk])
    base = {"title": "Närvaro", "kind": "decision", "decision": "Nätverket beslöt att följa upp."}
    missing_owner = client.post(url, base | {"action_text": "Ta fram statistik"})
    assert missing_owner.status_code == 400
    assert "Ange vem som ska göra det." in missing_owner.content.decode()
    response = client.post(
        url,
        base
        | {
            "action_text": "Ta fram statistik",
            "action_owner": "Ellen Lindqvist",
            "action_organisation": "Mölndal",
            "action_due": "2025-04-01",
        },
    )
    assert response.status_code == 302
    item = meeting.items.get(title="Närvaro")
    assert item.decisions.get().decided_by == "Gymnasienätverket"
    action = ActionItem.objects.get()
    assert (action.owner_name, action.organisation_name, action.due) == (
        "Ellen Lindqvist",
        "Mölndal",
        dt.date(2025, 4, 1),
    )
    page = client.get(reverse("networks:meeting-detail", args=[meeting.pk])).content.decode()
    assert "Beslut (Gymnasienätverket):" in page
    done = reverse("networks:action-item-done", args=[action.pk])
    assert _client(nets, "network_member").post(done).status_code == 403
    assert client.post(done).status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_published_minutes_shared_with_another_network(nets: NetworkWorld):
    users = nets.world.users
    meeting = meeting_create(
        network=nets.gymnasie, held_on=dt.date(2025, 3, 5), by=users["network_secretary"]
    )
    agenda_item_add(meeting=meeting, title="Utbud")
    url = reverse("networks:meeting-share", args=[meeting.pk])
    secretary = _client(nets, "network_secretary")
    draft = secretary.post(url, {"network": "kvalitetsnatverket"}, follow=True)
    assert "Bara publicerade anteckningar kan delas." in draft.content.decode()
    meeting.status = MeetingStatus.PUBLISHED
    meeting.save()
    reader = users["principal"]
    member(nets.kvalitet, reader)
    detail = reverse("networks:meeting-detail", args=[meeting.pk])
    assert _client(nets, "principal").get(detail).status_code == 403
    assert (
        _client(nets, "network_member").post(url, {"network": "kvalitetsnatverket"}).status_code
        == 403
    )
    assert secretary.post(url, {"network": "kvalitetsnatverket"}).status_code == 302
    assert SharedNote.objects.get().network == nets.kvalitet
    assert _client(nets, "principal").get(detail).status_code == 200
    assert "Delade med Kvalitetsnätverket." in secretary.get(detail).content.decode()

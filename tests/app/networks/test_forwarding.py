"""Forwarding a decision or action item to another network's agenda, and incoming matters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from likvard.networks.models import AgendaItem, Forwarding, ItemKind, Meeting
from likvard.networks.services.forwarding import ForwardingError, matter_forward
from likvard.networks.services.meetings import (
    action_item_add,
    agenda_item_add,
    decision_add,
    meeting_create,
)
from tests.app.networks.conftest import NetworkWorld
from tests.factories.networks import member

pytestmark = pytest.mark.django_db


def _client(nets: NetworkWorld, role: str) -> Client:
    client = Client()
    client.force_login(nets.world.users[role])
    return client


def _decision(nets: NetworkWorld):
    secretary = nets.world.users["network_secretary"]
    meeting = meeting_create(network=nets.gymnasie, held_on=dt.date(2025, 3, 5), by=secretary)
    item = agenda_item_add(meeting=meeting, title="Gemensam enkät", kind=ItemKind.DECISION)
    return decision_add(item=item, text="Nätverket beslöt att föreslå en gemensam elevenkät.")


def _ids_past_a_thousand(nets: NetworkWorld) -> None:
    """Use up the first thousand meeting and item ids, as a live installation soon has: the
    minutes' anchors must not become ``item-9 012`` (Swedish thousands separator)."""
    filler = Meeting.objects.create(network=nets.gymnasie, held_on=dt.date(2020, 1, 1))
    Meeting.objects.bulk_create(Meeting(network=nets.gymnasie) for _ in range(1000))
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=filler, number=n, title="x") for n in range(1, 1001)
    )
    Meeting.objects.filter(network=nets.gymnasie).delete()


def test_forwarded_to_next_planned_meeting(nets: NetworkWorld):
    users = nets.world.users
    _ids_past_a_thousand(nets)
    decision = _decision(nets)
    member(nets.kvalitet, users["principal"], "secretary")
    today = timezone.localdate()
    meeting_create(
        network=nets.kvalitet, held_on=today - dt.timedelta(days=30), by=users["principal"]
    )
    later = meeting_create(
        network=nets.kvalitet, held_on=today + dt.timedelta(days=60), by=users["principal"]
    )
    planned = meeting_create(
        network=nets.kvalitet, held_on=today + dt.timedelta(days=10), by=users["principal"]
    )
    forwarding = matter_forward(
        network=nets.kvalitet, by=users["network_secretary"], decision=decision
    )
    item = forwarding.agenda_item
    assert item is not None
    assert item.meeting == planned  # the earliest draft from today on
    assert item.title == "Gemensam enkät (från Gymnasienätverket)"
    assert "Vidarebefordrat från Gymnasienätverket, mötet 5 mars 2025, punkt 1." in item.body
    assert "Beslut: Nätverket beslöt att föreslå en gemensam elevenkät." in item.body
    assert not later.items.exists()
    # The target's minutes link back; the origin shows where it went.
    target = _client(nets, "principal").get(reverse("networks:meeting-detail", args=[planned.pk]))
    origin_url = reverse("networks:meeting-detail", args=[decision.item.meeting_id])
    assert decision.item_id > 1000
    assert f"{origin_url}#item-{decision.item_id}" in target.content.decode()
    origin = _client(nets, "network_secretary").get(origin_url).content.decode()
    assert "Vidarebefordrat till" in origin
    assert reverse("networks:incoming", args=["kvalitetsnatverket"]) in origin


def test_without_planned_meeting_it_waits_then_goes_on_the_next_agenda(nets: NetworkWorld):
    users = nets.world.users
    secretary = users["network_secretary"]
    meeting = meeting_create(network=nets.gymnasie, held_on=dt.date(2025, 3, 5), by=secretary)
    item = agenda_item_add(meeting=meeting, title="Uppföljning")
    action = action_item_add(
        item=item,
        text="Ta fram närvarostatistik",
        owner_name="Ellen Lindqvist",
        organisation_name="Mölndal",
    )
    forwarding = matter_forward(network=nets.kvalitet, by=secretary, action_item=action)
    assert forwarding.agenda_item is None
    kvalitet_member = users["network_member"]
    member(nets.kvalitet, kvalitet_member)
    incoming = _client(nets, "network_member").get(
        reverse("networks:incoming", args=["kvalitetsnatverket"])
    )
    assert incoming.status_code == 200
    assert "Ta fram närvarostatistik (Ellen Lindqvist, Mölndal)" in incoming.content.decode()
    assert incoming.context["matters"].pending == [forwarding]
    assert (
        _client(nets, "organizer_analyst")
        .get(reverse("networks:incoming", args=["kvalitetsnatverket"]))
        .status_code
        == 403
    )
    member(nets.kvalitet, users["principal"], "secretary")
    next_meeting = meeting_create(
        network=nets.kvalitet, held_on=dt.date(2030, 1, 15), by=users["principal"]
    )
    forwarding = Forwarding.objects.get(pk=forwarding.pk)
    assert forwarding.agenda_item is not None
    assert forwarding.agenda_item.meeting == next_meeting
    assert forwarding.agenda_item.kind == ItemKind.DISCUSSION


def test_forward_view_only_for_the_source_secretary(nets: NetworkWorld):
    decision = _decision(nets)
    url = reverse("networks:decision-forward", args=[decision.pk])
    for role in ("network_member", "administrator", "regional_coordinator"):
        assert _client(nets, role).post(url, {"network": "kvalitetsnatverket"}).status_code == 403
    assert not Forwarding.objects.exists()
    secretary = _client(nets, "network_secretary")
    response = secretary.post(url, {"network": "kvalitetsnatverket"}, follow=True)
    assert "Vidarebefordrat till Kvalitetsnätverket, bland dess inkommande ärenden" in (
        response.content.decode()
    )
    assert Forwarding.objects.get().network == nets.kvalitet
    again = secretary.post(url, {"network": "kvalitetsnatverket"}, follow=True)
    assert "Detta är redan vidarebefordrat till Kvalitetsnätverket." in again.content.decode()
    own = secretary.post(url, {"network": "gymnasienatverket"}, follow=True)
    assert "Välj vilket nätverk du vill vidarebefordra till." in own.content.decode()
    assert Forwarding.objects.count() == 1


def test_service_refuses_own_network(nets: NetworkWorld):
    decision = _decision(nets)
    with pytest.raises(ForwardingError, match=r"Välj ett annat nätverk än mötets eget\."):
        matter_forward(
            network=nets.gymnasie, by=nets.world.users["network_secretary"], decision=decision
        )


def test_exported_minutes_show_action_items_and_where_matters_went(nets: NetworkWorld):
    from docx import Document

    from likvard.exports.pdf import document_html
    from likvard.networks.selectors import meeting_detail
    from likvard.networks.services.minutes import minutes_document, minutes_file

    users = nets.world.users
    decision = _decision(nets)
    action = action_item_add(
        item=decision.item,
        text="Ta fram ett förslag på enkätfrågor",
        owner_name="Anna Berg",
        organisation_name="Kungsbacka kommun",
        due=dt.date(2025, 5, 1),
    )
    member(nets.kvalitet, users["principal"], "secretary")
    matter_forward(network=nets.kvalitet, by=users["network_secretary"], decision=decision)
    detail = meeting_detail(meeting=decision.item.meeting)
    html = document_html(minutes_document(detail))
    document = Document(__import__("io").BytesIO(minutes_file(detail, "docx").content))
    docx_text = "\n".join(p.text for p in document.paragraphs)
    for text in (html, docx_text):
        assert "Vidarebefordrat till Kvalitetsnätverket – väntar på nätverkets nästa möte" in text
        assert f"Åtgärd: {action.text} – Anna Berg – Kungsbacka kommun, senast 2025-05-01" in text

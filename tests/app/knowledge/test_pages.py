"""The bank's pages and hooks: who reads what, the review reminder, material on a success
factor and a meeting's item, a meeting's file into the bank in one step, search and feed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from likvard.knowledge.models import Item
from likvard.networks.models import AgendaItem, MembershipRole
from likvard.quality.models import SuccessFactor
from likvard.quality.services import catalogue_load_shipped
from tests.app.conftest import World
from tests.factories.knowledge import item_make
from tests.factories.networks import MeetingFactory, NetworkFactory, attachment_stored, member


@pytest.fixture
def bank(world: World):
    catalogue_load_shipped()
    network = NetworkFactory(
        code="kvalitetsnatverket", name="Kvalitetsnätverket", region=world.region
    )
    member(network, world.users["network_secretary"], MembershipRole.SECRETARY)
    member(network, world.users["network_member"])
    public = item_make(region=world.region, title="Offentlig närvarotrappa")
    public.success_factors.set(SuccessFactor.objects.filter(code="sf_student_participation"))
    private = item_make(
        region=world.region, title="Nätverkets bildspel", visibility="network", network=network
    )
    return network, public, private


def _client(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


@pytest.mark.django_db
def test_anonymous_reads_a_public_item_and_gets_404_for_a_network_item(world: World, bank):
    _network, public, private = bank
    client = Client()
    assert (
        "Offentlig närvarotrappa"
        in client.get(reverse("knowledge:item-detail", args=[public.pk])).content.decode()
    )
    assert client.get(reverse("knowledge:item-detail", args=[private.pk])).status_code == 404
    assert (
        _client(world, "network_member")
        .get(reverse("knowledge:item-detail", args=[private.pk]))
        .status_code
        == 200
    )
    assert (
        _client(world, "organizer_analyst")
        .get(reverse("knowledge:item-detail", args=[private.pk]))
        .status_code
        == 404
    )
    feed = client.get(reverse("knowledge:feed")).content.decode()
    assert "Offentlig närvarotrappa" in feed
    assert "Nätverkets bildspel" not in feed


@pytest.mark.django_db
def test_review_reminder_appears_when_due_and_goes_once_reviewed(world: World, bank):
    owner = world.users["regional_coordinator"]
    item = item_make(
        region=world.region,
        title="Gammal forskningsöversikt",
        owner=owner,
        review_on=dt.date(2020, 1, 1),
    )
    client = _client(world, "regional_coordinator")
    home = client.get(reverse("web:home")).content.decode()
    assert "Ditt material som ska granskas" in home
    assert "Gammal forskningsöversikt" in home
    response = client.post(reverse("knowledge:item-review", args=[item.pk]), {"next_review": ""})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.review_on > dt.date(2026, 1, 1)
    assert item.revisions.filter(action="reviewed").exists()
    assert "Gammal forskningsöversikt" not in client.get(reverse("web:home")).content.decode()


@pytest.mark.django_db
def test_success_factor_page_and_self_evaluation_list_the_material(world: World, bank):
    client = _client(world, "organizer_analyst")
    page = client.get(reverse("quality:success-factor-detail", args=["sf_student_participation"]))
    assert "Offentlig närvarotrappa" in page.content.decode()
    form = client.get(
        reverse(
            "quality:self-evaluation-organizer-edit", args=[world.own.organisation_number, 2025]
        )
    )
    assert "Material om detta" in form.content.decode()


@pytest.mark.django_db
def test_a_meetings_file_goes_into_the_bank_in_one_step(world: World, bank, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    network, _public, _private = bank
    meeting = MeetingFactory(network=network, status="published")
    agenda = AgendaItem.objects.create(
        meeting=meeting, number=2, title="Kvalitetssystemet", presenter="Skolverket"
    )
    attachment = attachment_stored(agenda, text="Framgångsfaktorer för skolutveckling")
    secretary = _client(world, "network_secretary")
    minutes = secretary.get(reverse("networks:meeting-detail", args=[meeting.pk])).content.decode()
    url = reverse("knowledge:item-from-attachment", args=[attachment.pk])
    assert url in minutes
    assert (
        url
        not in _client(world, "network_member")
        .get(reverse("networks:meeting-detail", args=[meeting.pk]))
        .content.decode()
    )
    form = secretary.get(url).content.decode()
    assert "Bildspel" in form
    data = {
        "title": "Kvalitetssystemet – bilder",
        "summary": "Bilderna från mötet.",
        "kind": "slides",
        "visibility": "network",
        "region": world.region.pk,
        "network": network.pk,
        "language": "sv",
        "review_on": "2027-01-01",
    }
    response = secretary.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    item = Item.objects.get(title="Kvalitetssystemet – bilder")
    assert list(item.presented_at.all()) == [agenda]
    assert item.files.get().text == "Framgångsfaktorer för skolutveckling"
    minutes = (
        _client(world, "network_member")
        .get(reverse("networks:meeting-detail", args=[meeting.pk]))
        .content.decode()
    )
    assert "Kvalitetssystemet – bilder" in minutes


@pytest.mark.django_db
def test_notes_search_shows_bank_hits_filtered_by_kind_and_highlighted(world: World, bank):
    client = _client(world, "network_member")
    page = client.get(reverse("networks:search"), {"q": "närvarotrappor"}).content.decode()
    assert "<mark>närvarotrappa</mark>" in page
    filtered = client.get(reverse("networks:search"), {"q": "närvarotrappor", "kind": "podcast"})
    assert (
        "närvarotrappa"
        not in filtered.content.decode().split("Kunskapsbank:")[1].split("Mötesanteckningar")[0]
    )
    api = client.get("/api/v1/knowledge/items", {"q": "närvarotrappor"}).json()
    assert [hit["item"]["title"] for hit in api] == ["Offentlig närvarotrappa"]

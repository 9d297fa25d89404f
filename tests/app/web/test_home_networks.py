"""The start page shows the networks a person takes part in, with what comes next.

A network member's start page offered their region and nothing of their networks: the next
meeting and the open action items were three clicks away. The page now lists each network
they belong to today, with their role when it is more than member, the next planned meeting
and the open action items they may read there (a draft's actions only to its writers).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from likvard.networks.models import ActionItem, AgendaItem, MeetingStatus, MembershipRole
from tests.app.conftest import World
from tests.factories.networks import MeetingFactory, MembershipFactory, NetworkFactory, member

pytestmark = pytest.mark.django_db


def _home(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("web:home")).content.decode()


def test_the_start_page_lists_the_persons_networks_and_what_comes_next(world: World):
    today = timezone.localdate()
    network = NetworkFactory(code="gy", name="Gymnasienätverket", region=world.region)
    NetworkFactory(code="im", name="IM-gruppen", region=world.region)  # not theirs
    ended = NetworkFactory(code="old", name="Det gamla nätverket", region=world.region)
    MembershipFactory(
        network=ended, user=world.users["network_member"], valid_to=today - dt.timedelta(days=1)
    )
    member(network, world.users["network_member"])
    member(network, world.users["network_secretary"], MembershipRole.SECRETARY)
    held = MeetingFactory(network=network, status=MeetingStatus.PUBLISHED, held_on=today)
    item = AgendaItem.objects.create(meeting=held, number=1, title="Utbud")
    ActionItem.objects.create(item=item, text="Ta fram underlag", owner_name="Anna")
    ActionItem.objects.create(item=item, text="Klart", owner_name="Bo", status="done")
    draft = MeetingFactory(network=network, held_on=today + dt.timedelta(days=9))
    planned = AgendaItem.objects.create(meeting=draft, number=1, title="Nytt")
    ActionItem.objects.create(item=planned, text="Förslag", owner_name="Cecilia")
    MeetingFactory(network=network, held_on=today + dt.timedelta(days=30))  # later still

    page = _home(world.users["network_member"])
    assert "Dina nätverk" in page
    assert reverse("networks:network-detail", args=["gy"]) in page
    assert "IM-gruppen" not in page
    assert "Det gamla nätverket" not in page
    date = f"{draft.held_on.day} "
    assert f"nästa möte {date}" in page
    assert "1 öppen åtgärdspunkt" in page  # the draft's item is not the member's to read
    assert reverse("networks:action-items") in page

    secretary = _home(world.users["network_secretary"])
    assert "Sekreterare · nästa möte" in secretary
    assert "2 öppna åtgärdspunkter" in secretary


def test_no_networks_section_for_someone_in_no_network(world: World):
    page = _home(world.users["organizer_analyst"])
    assert "Dina nätverk" not in page

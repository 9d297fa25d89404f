"""The quality start page for a regional coordinator (#16): the region's organizers in a
closed list with its count, in Swedish order, each link a word instead of the organizer's
name three times on a 9,700 px page."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from likvard.organisations.models import Municipality
from tests.app.conftest import World
from tests.factories.organisations import OrganizerFactory


def test_region_organizers_are_a_closed_list_in_swedish_order(world: World):
    kungsbacka = Municipality.objects.get(code="1384")
    for name in ("Åby friskola", "aspero AB", "Zeta skolor AB", "Ängens skola"):
        OrganizerFactory(name=name, municipality=kungsbacka)
    client = Client()
    client.force_login(world.users["regional_coordinator"])
    page = client.get(reverse("quality:index")).content.decode()
    details = page[page.index('<details class="region-organizers">') : page.index("</details>")]
    assert "Regionens 6 huvudmän" in details
    names = re.findall(r"<tr><td>([^<]+)</td>", details)
    assert names == [
        "aspero AB", "Kungsbacka kommun", "Mölndals stad", "Zeta skolor AB", "Åby friskola",
        "Ängens skola",
    ]  # fmt: skip
    assert "Sammanfattning för" not in details
    assert 'Sammanfattning<span class="visually-hidden"> Åby friskola</span>' in details

"""The komvux index lists each region's municipal organizers, asking the database a fixed
number of times however many municipalities a region has (issue #18: it asked once per
municipality, twice, and took 0.3-0.6 s on the demo)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.app.conftest import World
from tests.factories.organisations import (
    MunicipalityFactory,
    OrganizerFactory,
    SchoolUnitFactory,
)


def _index(world: World) -> tuple[int, str]:
    client = Client()
    client.force_login(world.users["network_member"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("komvux:index"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _more_municipalities(world: World, count: int) -> None:
    """Municipalities of the region, each with its own organizer and a private one."""
    for i in range(count):
        municipality = MunicipalityFactory(code=f"19{i:02d}", name=f"Kommun {i}")
        world.region.municipalities.add(municipality)
        own = OrganizerFactory(
            organisation_number=f"21200{i:05d}", name=f"Kommun {i} kommun",
            organizer_type="kommunal", municipality=municipality,
        )  # fmt: skip
        SchoolUnitFactory(code=f"7{i:07d}", organizer=own, municipality=municipality)
        private = OrganizerFactory(
            organisation_number=f"55{i:08d}", name=f"Friskolan {i} AB",
            organizer_type="enskild", municipality=municipality,
        )  # fmt: skip
        SchoolUnitFactory(code=f"6{i:07d}", organizer=private, municipality=municipality)
        SchoolUnitFactory(code=f"5{i:07d}", organizer=world.own, municipality=municipality)


@pytest.mark.django_db
def test_the_index_asks_a_fixed_number_of_times_and_lists_municipal_organizers(world: World):
    before, _page = _index(world)
    _more_municipalities(world, 6)
    after, page = _index(world)
    assert after == before, f"{before} queries, {after} with six more municipalities"
    assert page.count(">Kungsbacka kommun</a>") == 1
    assert ">Mölndals stad</a>" in page
    assert ">Kommun 5 kommun</a>" in page
    assert "Friskolan" not in page  # not a municipality's own organizer: no komvux page

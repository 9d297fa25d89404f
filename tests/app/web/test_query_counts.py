"""The start page asks the database a fixed number of times, however many places a viewer has."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from likvard.access.models import Role
from likvard.access.services import RoleSpec, user_create
from tests.app.conftest import World
from tests.factories.access import PASSWORD
from tests.factories.organisations import RegionFactory

pytestmark = pytest.mark.django_db


def _start_page_queries(username: str) -> int:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def test_start_page_queries_do_not_grow_with_regions(world: World):
    user_create(
        username="en-region",
        password=PASSWORD,
        roles=[RoleSpec(Role.REGIONAL_COORDINATOR, region="gr")],
    )
    extra = [RegionFactory(code=f"r{i}", name=f"Region {i}") for i in range(4)]
    for region in extra:
        region.municipalities.set(world.region.municipalities.all())
    user_create(
        username="fem-regioner",
        password=PASSWORD,
        roles=[
            RoleSpec(Role.REGIONAL_COORDINATOR, region=r) for r in ["gr", *[x.code for x in extra]]
        ],
    )
    one = _start_page_queries("en-region")
    five = _start_page_queries("fem-regioner")
    assert five == one, f"{one} queries for one region, {five} for five"
    assert one <= 15

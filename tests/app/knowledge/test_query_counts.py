"""The bank's pages and its material on the analysis basis ask the database a fixed number of
times, however many indicators the catalogue or the basis names (issue #16)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from likvard.access.policy import viewer_for
from likvard.knowledge.services.search import tag_choices
from likvard.networks.models import MembershipRole
from likvard.quality.models import Indicator
from likvard.quality.services import catalogue_load_shipped
from likvard.quality.services.material import material_on, materials_on
from tests.app.conftest import World
from tests.factories.knowledge import item_make
from tests.factories.networks import NetworkFactory, member

pytestmark = pytest.mark.django_db


def test_tag_choices_name_every_indicator_in_a_fixed_number_of_queries(world: World):
    catalogue_load_shipped()
    indicators = Indicator.objects.filter(region__isnull=True, organizer__isnull=True).count()
    assert indicators > 10
    with CaptureQueriesContext(connection) as queries:
        choices = tag_choices()
    assert len(queries) <= 6, f"{len(queries)} queries for {indicators} indicators"
    named = [name for value, name in choices if value.startswith("indicator:")]
    assert len(named) == indicators
    assert all(not name.startswith(("gr9_", "gr_")) for name in named)  # names, not codes


def test_new_item_form_names_indicators_in_a_fixed_number_of_queries(world: World):
    catalogue_load_shipped()
    client = Client()
    client.force_login(world.users["regional_coordinator"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("knowledge:item-create"))
    assert response.status_code == 200
    assert len(queries) <= 25, f"{len(queries)} queries"


def test_material_on_many_indicators_is_one_ask_and_the_same_as_one_by_one(world: World):
    catalogue_load_shipped()
    codes = list(
        Indicator.objects.filter(region__isnull=True, organizer__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    network = NetworkFactory(code="kvalitet", name="Kvalitetsnätverket", region=world.region)
    member(network, world.users["network_member"], MembershipRole.MEMBER)
    public = item_make(region=world.region, title="Offentlig")
    private = item_make(region=world.region, title="Nätverkets", visibility="network",
                        network=network)  # fmt: skip
    public.indicators.set(Indicator.objects.filter(code__in=codes[:3], region__isnull=True))
    private.indicators.set(Indicator.objects.filter(code__in=codes[1:2], region__isnull=True))
    for role in ("network_member", "organizer_analyst"):
        viewer = viewer_for(world.users[role])
        one_by_one = {code: material_on(viewer=viewer, subject="indicator", key=code)
                      for code in codes}  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            at_once = materials_on(viewer=viewer, subject="indicator", keys=codes)
        assert at_once == one_by_one
        assert len(queries) <= 5, f"{len(queries)} queries for {len(codes)} indicators"
    member_sees = materials_on(
        viewer=viewer_for(world.users["network_member"]), subject="indicator", keys=codes[1:2]
    )
    assert [link.title for link in member_sees[codes[1]]] == ["Nätverkets", "Offentlig"]

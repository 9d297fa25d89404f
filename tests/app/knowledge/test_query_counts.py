"""The bank's pages and its material on the analysis basis ask the database a fixed number of
times, however many indicators the catalogue or the basis names (issue #16)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from likvard.knowledge.services.search import tag_choices
from likvard.quality.models import Indicator
from likvard.quality.services import catalogue_load_shipped
from tests.app.conftest import World

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

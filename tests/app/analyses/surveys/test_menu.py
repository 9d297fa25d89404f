"""The surveys are reached from the site menu, as every other analysis is."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.app.conftest import World


def test_the_menu_links_the_surveys(world: World):
    client = Client()
    client.force_login(world.users["network_member"])
    page = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("surveys:survey-index")}"' in page
    assert "Enkäter" in page

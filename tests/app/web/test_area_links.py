"""A region's, a municipality's and an organizer's pages lead to their analyses.

Those pages listed their members and nothing to follow up. Each now lists the analyses made at
its level; a link whose page would refuse the viewer (planning, the self-evaluation, the
quality dialogues) is shown only to those who may open it, and every link shown opens.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from likvard.networks.models import Network
from tests.app.conftest import World
from tests.factories.organisations import SchoolUnitFactory

pytestmark = pytest.mark.django_db


def _page(user, name: str, arg: str):
    client = Client()
    client.force_login(user)
    response = client.get(reverse(name, args=[arg]))
    assert response.status_code == 200
    return client, response


def _urls(response) -> list[str]:
    return [link.url for link in response.context["analyses"]]


def test_the_region_page_leads_to_every_regional_analysis(world: World):
    _client, coordinator = _page(world.users["regional_coordinator"], "web:region-detail", "gr")
    urls = _urls(coordinator)
    for name in (
        "quality:basis-region",
        "analyses:equity-region",
        "analyses:equity-published-region",
        "analyses:adjusted-year9-region",
        "analyses:adjusted-upper-secondary-region",
        "analyses:completion-region",
        "movement:region",
        "movement:admissions",
        "komvux:region",
        "analyses:incidents-region",
        "planning:region",
    ):
        assert reverse(name, args=["gr"]) in urls, name
    # A survey only where the region's units answered it (tests/app/analyses/surveys).
    assert not [url for url in urls if "/enkater/" in url]
    page = coordinator.content.decode()
    assert "Följ upp regionen" in page
    assert "Uppföljning av kränkningar" in page
    # Planning is the coordinators' own work: not offered to an organizer's analyst.
    _client, analyst = _page(world.users["organizer_analyst"], "web:region-detail", "gr")
    assert reverse("planning:region", args=["gr"]) not in _urls(analyst)


def test_the_region_page_lists_its_networks_with_their_groups(world: World):
    parent = Network.objects.create(code="gy", name="Gymnasienätverket", region=world.region)
    Network.objects.create(code="gy-au", name="Arbetsutskottet", region=world.region, parent=parent)
    _client, response = _page(world.users["network_member"], "web:region-detail", "gr")
    names = [n.name for n in response.context["networks"]]
    assert names == ["Gymnasienätverket", "Arbetsutskottet"]
    page = response.content.decode()
    assert reverse("networks:network-detail", args=["gy-au"]) in page
    assert "en grupp inom Gymnasienätverket" in page


def test_the_municipality_page_names_its_region_and_analyses(world: World):
    _client, response = _page(world.users["network_member"], "web:municipality-detail", "1384")
    assert _urls(response) == [
        reverse("analyses:equity-published-municipality", args=["1384"]),
        reverse("movement:municipality", args=["1384"]),
    ]
    page = response.content.decode()
    assert "Medlemskommun i" in page
    assert reverse("web:region-detail", args=["gr"]) in page


def test_the_organizer_page_offers_the_quality_work_only_to_those_who_may_read_it(world: World):
    number = world.own.organisation_number
    SchoolUnitFactory(
        code="87654321",
        name="Aranäsgymnasiet",
        organizer=world.own,
        municipality=world.own_unit.municipality,
        school_forms=["gymnasieskola", "komvux"],
    )
    work = [
        reverse("quality:self-evaluation", args=[number]),
        reverse("quality:dialogue-list", args=[number]),
    ]
    analyses = [
        reverse("quality:basis-organizer", args=[number]),
        reverse("analyses:equity-organizer", args=[number]),
        reverse("analyses:adjusted-year9-organizer", args=[number]),
        reverse("analyses:adjusted-upper-secondary-organizer", args=[number]),
        reverse("analyses:completion-organizer", args=[number]),
        reverse("komvux:organizer", args=[number]),
        reverse("warehouse:organizer-students", args=[number]),
    ]
    for role in ("organizer_analyst", "regional_coordinator"):
        client, response = _page(world.users[role], "web:organizer-detail", number)
        urls = _urls(response)
        assert urls == [analyses[0], *work, *analyses[1:]], role
        for url in urls:  # every link shown opens for its viewer
            assert client.get(url).status_code == 200, (role, url)
    _client, other = _page(world.users["other_analyst"], "web:organizer-detail", number)
    assert _urls(other) == analyses
    # A principal of one of its units reads the self-evaluation, not the dialogues.
    _client, principal = _page(world.users["principal"], "web:organizer-detail", number)
    assert _urls(principal) == [analyses[0], work[0], *analyses[1:]]


def test_an_organizer_of_upper_secondary_schools_alone_opens_on_course_grades(world: World):
    number = world.other.organisation_number
    world.other_unit.school_forms = ["gymnasieskola"]
    world.other_unit.save()
    _client, response = _page(world.users["network_member"], "web:organizer-detail", number)
    urls = _urls(response)
    assert reverse("analyses:equity-organizer", args=[number]) + "?grade_year=10" in urls
    assert reverse("analyses:adjusted-year9-organizer", args=[number]) not in urls


def test_the_start_page_lists_the_analyses_of_ones_own_unit_and_organizer(world: World):
    client = Client()
    client.force_login(world.users["principal"])
    page = client.get(reverse("web:home")).content.decode()
    code = world.own_unit.code
    assert reverse("analyses:completion-warning-list", args=[code]) in page
    assert reverse("quality:basis-school-unit", args=[code]) in page
    client.force_login(world.users["organizer_analyst"])
    page = client.get(reverse("web:home")).content.decode()
    number = world.own.organisation_number
    assert reverse("quality:dialogue-list", args=[number]) in page
    assert reverse("analyses:adjusted-year9-organizer", args=[number]) in page

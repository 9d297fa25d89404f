"""A school unit's page leads to its analyses; the student-level lists only for its own staff.

A principal's start page links to their unit's page, which showed the register's facts and
nothing to follow up: a dead end. The page now lists the analyses that cover the unit's school
forms, and the warning list and incident cases only to the unit's principal and student health
team (the only ones who may open them).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from likvard.access.models import Role
from tests.app.conftest import World
from tests.factories.access import user_with_role
from tests.factories.organisations import SchoolUnitFactory

pytestmark = pytest.mark.django_db


def _links(world: World, user, code: str) -> list[str]:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("web:school-unit-detail", args=[code]))
    assert response.status_code == 200
    return [link.url for link in response.context["analyses"]]


def test_the_principal_finds_every_analysis_of_their_unit(world: World):
    code = world.own_unit.code  # a compulsory school (the factory's default)
    links = _links(world, world.users["principal"], code)
    assert links == [
        reverse("quality:basis-school-unit", args=[code]),
        reverse("quality:self-evaluation", args=[world.own.organisation_number]),
        reverse("analyses:equity-school", args=[code]),
        reverse("analyses:adjusted-year9-school", args=[code]),
        reverse("analyses:completion-warning-list", args=[code]),
        reverse("analyses:incidents-cases", args=[code]),
    ]
    client = Client()
    client.force_login(world.users["principal"])
    page = client.get(reverse("web:school-unit-detail", args=[code])).content.decode()
    assert "Följ upp enheten" in page
    assert "Varningslista vid frånvaro" in page


def test_student_level_lists_only_for_the_units_own_staff(world: World):
    code = world.own_unit.code
    health = user_with_role("elevhalsa", Role.STUDENT_HEALTH, school_unit=code)
    assert reverse("analyses:incidents-cases", args=[code]) in _links(world, health, code)
    for role in ("organizer_analyst", "regional_coordinator", "administrator"):
        links = _links(world, world.users[role], code)
        assert reverse("analyses:completion-warning-list", args=[code]) not in links, role
        assert reverse("analyses:incidents-cases", args=[code]) not in links, role
        assert reverse("quality:basis-school-unit", args=[code]) in links, role
    # The self-evaluation is read by the unit's principal and its organizer's analysts.
    evaluation = reverse("quality:self-evaluation", args=[world.own.organisation_number])
    assert evaluation in _links(world, world.users["organizer_analyst"], code)
    assert evaluation not in _links(world, world.users["other_analyst"], code)
    other = _links(world, world.users["principal"], world.other_unit.code)  # not theirs
    assert reverse("analyses:incidents-cases", args=[world.other_unit.code]) not in other


def test_an_upper_secondary_unit_links_its_course_grades(world: World):
    unit = SchoolUnitFactory(
        code="87654321",
        name="Aranäsgymnasiet",
        organizer=world.own,
        municipality=world.own_unit.municipality,
        school_forms=["gymnasieskola"],
    )
    links = _links(world, world.users["organizer_analyst"], unit.code)
    assert links == [
        reverse("quality:basis-school-unit", args=[unit.code]),
        reverse("quality:self-evaluation", args=[world.own.organisation_number]),
        reverse("analyses:equity-school", args=[unit.code]) + "?grade_year=10",
        reverse("analyses:adjusted-upper-secondary-school", args=[unit.code]),
    ]


def test_the_start_page_greets_by_name(world: World):
    user = world.users["principal"]
    user.first_name, user.last_name = "Rut", "Rektor"
    user.save()
    client = Client()
    client.force_login(user)
    assert "Välkommen, Rut Rektor" in client.get(reverse("web:home")).content.decode()


def test_the_student_health_team_finds_its_units_from_the_start_page(world: World):
    code = world.own_unit.code
    health = user_with_role("elevhalsa", Role.STUDENT_HEALTH, school_unit=code)
    client = Client()
    client.force_login(health)
    page = client.get(reverse("web:home")).content.decode()
    assert "Ditt elevhälsoteam" in page
    assert reverse("web:school-unit-detail", args=[code]) in page

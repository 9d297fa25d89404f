"""Planning objects for the app tests and the route matrix (fixed keys)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from likvard.analyses.planning.models import CapacityResponse, CapacitySurvey, ScenarioChange
from likvard.organisations.models import Programme, SchoolUnit
from tests.app.conftest import World
from tests.factories.organisations import SchoolUnitFactory

SURVEY_PK = 9101


def upper_secondary_units(world: World) -> tuple[SchoolUnit, SchoolUnit]:
    """An upper-secondary unit in Kungsbacka (own organizer) and one in Mölndal (other)."""
    ee, _ = Programme.objects.get_or_create(
        code="EE", defaults={"name": "El- och energiprogrammet", "kind": "national_vocational"}
    )
    na, _ = Programme.objects.get_or_create(
        code="NA", defaults={"name": "Naturvetenskapsprogrammet", "kind": "national_preparatory"}
    )
    own = SchoolUnitFactory(
        code="13840001", name="Elof Lindälvs gymnasium", organizer=world.own,
        municipality=world.own.municipality, school_forms=["gymnasieskola"],
    )  # fmt: skip
    other = SchoolUnitFactory(
        code="14810001", name="Krokslättsgymnasiet", organizer=world.other,
        municipality=world.other.municipality, school_forms=["gymnasieskola"],
    )  # fmt: skip
    own.programmes.set([ee, na])
    other.programmes.set([na])
    return own, other


def route_matrix_planning(world: World) -> CapacitySurvey:
    """A survey of GR at ``SURVEY_PK`` with a response per member municipality."""
    upper_secondary_units(world)
    survey = CapacitySurvey.objects.create(
        pk=SURVEY_PK, region=world.region, first_year=2027, years=2,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip
    for municipality in world.region.municipalities.all():
        CapacityResponse.objects.create(survey=survey, municipality=municipality)
    return survey


def scenario_change(world: World, unit: SchoolUnit, places: int = 30) -> ScenarioChange:
    """A change in GR's scenario: ``unit`` adds ``places`` in EE from 2026."""
    return ScenarioChange.objects.create(
        region=world.region, school_unit=unit, programme_id="EE", from_year=2026, places=places
    )

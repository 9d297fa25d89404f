"""The world most app tests need: two organizers in one region, and a user per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from likvard.access.models import Role
from likvard.organisations.models import Organizer, Region, SchoolUnit
from tests.factories.access import user_with_role
from tests.factories.organisations import (
    MunicipalityFactory,
    OrganizerFactory,
    RegionFactory,
    SchoolUnitFactory,
)


@dataclass
class World:
    region: Region
    own: Organizer
    other: Organizer
    own_unit: SchoolUnit
    other_unit: SchoolUnit
    users: dict[str, User]


ROLES = [
    "anonymous",
    "administrator",
    "regional_coordinator",
    "organizer_analyst",
    "other_analyst",
    "principal",
    "network_secretary",
    "network_member",
]


@pytest.fixture
def world(db) -> World:
    kungsbacka = MunicipalityFactory(code="1384", name="Kungsbacka")
    molndal = MunicipalityFactory(code="1481", name="Mölndal")
    region = RegionFactory(code="gr", name="Göteborgsregionen")
    region.municipalities.set([kungsbacka, molndal])
    own = OrganizerFactory(
        organisation_number="2120001256",
        name="Kungsbacka kommun",
        organizer_type="kommunal",
        municipality=kungsbacka,
    )
    other = OrganizerFactory(
        organisation_number="2120001298",
        name="Mölndals stad",
        organizer_type="kommunal",
        municipality=molndal,
    )
    own_unit = SchoolUnitFactory(
        code="65390344", name="Björkris skola", organizer=own, municipality=kungsbacka
    )
    other_unit = SchoolUnitFactory(
        code="12345678", name="Mölndalsskolan", organizer=other, municipality=molndal
    )
    users = {
        "administrator": user_with_role("admin", Role.ADMINISTRATOR),
        "regional_coordinator": user_with_role(
            "samordnare", Role.REGIONAL_COORDINATOR, region="gr"
        ),
        "organizer_analyst": user_with_role(
            "analytiker", Role.ORGANIZER_ANALYST, organizer=own.organisation_number
        ),
        "other_analyst": user_with_role(
            "analytiker2", Role.ORGANIZER_ANALYST, organizer=other.organisation_number
        ),
        "principal": user_with_role("rektor", Role.PRINCIPAL, school_unit=own_unit.code),
        "network_secretary": user_with_role("sekreterare", Role.NETWORK_SECRETARY, region="gr"),
        "network_member": user_with_role("medlem", Role.NETWORK_MEMBER, region="gr"),
    }
    return World(region, own, other, own_unit, other_unit, users)

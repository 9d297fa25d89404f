"""Each role applies in its own scope: holding two roles never merges their regions."""

from __future__ import annotations

import pytest

from likvard.access.models import Role
from likvard.access.policy import (
    Action,
    QualityAction,
    allowed,
    quality_allowed,
    viewer_for,
)
from likvard.access.services import RoleSpec, user_create
from tests.factories.organisations import RegionFactory


@pytest.mark.django_db
def test_coordinator_of_one_region_and_member_of_another_coordinates_only_the_first() -> None:
    RegionFactory(code="gr", name="Göteborgsregionen")
    RegionFactory(code="skaraborg", name="Skaraborg")
    user = user_create(
        username="dubbelroll",
        password="x-Likvard-2026",
        roles=[
            RoleSpec(Role.REGIONAL_COORDINATOR, region="gr"),
            RoleSpec(Role.NETWORK_MEMBER, region="skaraborg"),
        ],
    )
    viewer = viewer_for(user)
    assert viewer.regions == {"gr", "skaraborg"}
    assert viewer.coordinated_regions == {"gr"}
    assert allowed(viewer, Action.COORDINATE_PLANNING, region="gr")
    assert not allowed(viewer, Action.COORDINATE_PLANNING, region="skaraborg")
    assert quality_allowed(viewer, QualityAction.READ_DIALOGUES, regions=frozenset({"gr"}))
    assert not quality_allowed(
        viewer, QualityAction.READ_DIALOGUES, regions=frozenset({"skaraborg"})
    )
    assert not quality_allowed(
        viewer, QualityAction.ADD_LOCAL_INDICATOR, regions=frozenset({"skaraborg"})
    )


@pytest.mark.django_db
def test_a_network_member_alone_coordinates_nothing() -> None:
    RegionFactory(code="gr", name="Göteborgsregionen")
    user = user_create(
        username="medlem",
        password="x-Likvard-2026",
        roles=[RoleSpec(Role.NETWORK_MEMBER, region="gr")],
    )
    viewer = viewer_for(user)
    assert viewer.coordinated_regions == frozenset()
    assert not allowed(viewer, Action.COORDINATE_PLANNING, region="gr")
    assert not quality_allowed(viewer, QualityAction.READ_DIALOGUES, regions=frozenset({"gr"}))

"""Issue #15: what the auditor's quality gathering costs, with the same figures.

On the demo the auditor read GR's quality analysis as a principal in 2,099 s (613 tables,
about 540 basis pages). A year without an indicator's data (no national tests in 2020 and
2021) gave an empty levels cube, which was not kept: every basis page of the region computed
it anew (its trend reads every year's cubes), about 1.4 s a page. Now an empty cube (and an
empty girls' and boys' release) is kept like any other; what is released is the same.
"""

from __future__ import annotations

import pytest

from likvard.access.policy import viewer_for
from likvard.organisations.models import SchoolUnit
from likvard.quality.services import basis_levels as levels_module
from likvard.quality.services.basis import region_levels
from likvard.quality.services.basis_gender import gender_levels
from likvard.quality.services.catalogue import catalogue_load_shipped
from likvard.warehouse.selectors import data_version_get
from tests.app.analyses.conftest import warehouse  # noqa: F401  (fixture)
from tests.app.conftest import World

NO_DATA = 2020
"""A year of the trend without students in the fixture: every indicator's cube is empty."""


@pytest.fixture
def world_with_catalogue(warehouse: World) -> World:  # noqa: F811  (fixture)
    catalogue_load_shipped()
    return warehouse


@pytest.fixture
def releases(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The indicators each decision of a levels cube was computed for (not read)."""
    computed: list[str] = []
    original = levels_module._release

    def spy(**arguments: object) -> object:
        computed.extend(arguments["indicators"])  # type: ignore[arg-type]
        return original(**arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(levels_module, "_release", spy)
    return computed


@pytest.mark.django_db
def test_a_year_without_data_is_decided_once(world_with_catalogue: World, releases: list[str]):
    world = world_with_catalogue
    viewer = viewer_for(world.users["network_member"])
    assert region_levels(viewer=viewer, region=world.region, year=NO_DATA) == []
    assert releases  # the empty cubes were computed once
    first = len(releases)
    assert region_levels(viewer=viewer, region=world.region, year=NO_DATA) == []
    assert len(releases) == first  # and then read, not computed on every basis page


@pytest.mark.django_db
def test_girls_and_boys_of_a_year_without_data_are_decided_once(
    world_with_catalogue: World, releases: list[str]
):
    world = world_with_catalogue
    viewer = viewer_for(world.users["network_member"])
    arguments = {
        "viewer": viewer, "version": data_version_get(), "year": NO_DATA,
        "region_code": world.region.code,
        "members": [m.code for m in world.region.municipalities.all()],
        "school_municipalities": dict(SchoolUnit.objects.values_list("code", "municipality__code")),
        "indicators": ["gr9_eligible_es", "gr9_merit_value"], "purpose": "quality.basis",
        "channel": "web",
    }  # fmt: skip
    assert gender_levels(**arguments) == []  # type: ignore[arg-type]
    first = len(releases)
    assert gender_levels(**arguments) == []  # type: ignore[arg-type]
    assert len(releases) == first

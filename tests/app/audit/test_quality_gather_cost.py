"""Issue #15: what the auditor's quality gathering costs, with the same figures.

On the demo the auditor read GR's quality analysis as a principal in 2,099 s (613 tables,
about 540 basis pages): every basis page read the region's released levels cube of each
indicator and trend year from Django's cache and indexed it again, and a year without an
indicator's data (no national tests in 2020 and 2021) was not kept, so every page computed
its empty cube anew. Now an empty cube is kept like any other, and within ``basis_kept`` (the
auditor's gathering) each cube is read and indexed once; what is gathered is the same.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.cache import cache

from likvard.access.policy import viewer_for
from likvard.audit import gather as gathering
from likvard.organisations.models import SchoolUnit
from likvard.quality.services import basis_levels as levels_module
from likvard.quality.services.basis import organizer_basis, region_levels, school_unit_basis
from likvard.quality.services.basis_gender import gender_levels
from likvard.quality.services.basis_levels import basis_kept
from likvard.quality.services.catalogue import catalogue_load_shipped
from likvard.warehouse.selectors import data_version_get
from likvard_core.analytics.quality.basis_blocks import Lookup
from likvard_core.analytics.quality.basis_build import ReleasedTable
from tests.app.analyses.conftest import warehouse  # noqa: F401  (fixture)
from tests.app.conftest import World

YEAR = 2025
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


@pytest.fixture
def indexed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """(indicator, school year) of every levels cube of all students that was indexed."""
    cubes: list[tuple[str, int]] = []
    original = Lookup.from_levels.__func__  # type: ignore[attr-defined]

    def spy(cls: type[Lookup], released: ReleasedTable) -> Lookup:
        rows = released.table.to_pylist()
        if rows and all(r["group"] is None for r in rows):
            cubes.append((str(rows[0]["indicator"]), int(rows[0]["school_year"])))
        return original(cls, released)  # type: ignore[no-any-return]

    monkeypatch.setattr(Lookup, "from_levels", classmethod(spy))
    return cubes


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


@pytest.mark.django_db
def test_the_auditor_indexes_each_levels_cube_once(
    world_with_catalogue: World, indexed: list[tuple[str, int]]
):
    world = world_with_catalogue
    viewer = viewer_for(world.users["network_member"])
    gathered = gathering.gather(viewer=viewer, region=world.region, only={"quality"})
    pages = [t for t in gathered.tables if t.name.endswith("/trend")]
    assert len(pages) >= 3  # the region's, an organizer's and a school unit's basis pages
    assert indexed
    twice = {cube: n for cube, n in Counter(indexed).items() if n > 1}
    assert not twice  # each page used to index every cube of the trend again


@pytest.mark.django_db
def test_basis_pages_read_within_the_block_are_the_same(world_with_catalogue: World):
    world = world_with_catalogue
    viewer = viewer_for(world.users["organizer_analyst"])

    def pages() -> tuple[object, object]:
        cache.clear()  # computed, not read back from the figures kept before
        return (
            organizer_basis(viewer=viewer, organizer=world.own, year=YEAR, channel="cli"),
            school_unit_basis(viewer=viewer, school_unit=world.own_unit, year=YEAR),
        )

    alone = pages()
    with basis_kept():
        kept = pages()
    assert repr(kept) == repr(alone)  # (a figure's NaN is never equal to itself)

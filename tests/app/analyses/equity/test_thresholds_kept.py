"""Issue #15: a region that raises its minimum group sizes is obeyed at once.

A region's own stricter values (``Region.min_group_*``, read by ``thresholds_for``) change
what the gate releases but not the data version. Every kept release (the web process's memory
and Django's cache) is keyed on the data version, so it must also name the thresholds in force,
as it names the withdrawn publication levels; otherwise a page goes on showing, until its cache
expires, cells the region has just decided to hide.
"""

from __future__ import annotations

import pytest

from likvard.access.policy import viewer_for
from likvard.access.release import thresholds_for, thresholds_in_force
from likvard.analyses.equity import services
from likvard.analyses.equity.kept import RELEASES, SLICES
from likvard.organisations.models import Region
from likvard.warehouse.fragments import fragment_key
from likvard_core.terms import ValueStatus
from tests.app.analyses.equity.test_one_cube import small_units  # noqa: F401 (fixture)
from tests.app.conftest import World

STRICT = 1000
"""Larger than any group of the test world: nothing may be shown once it is in force."""


def _shown(world: World) -> int:
    viewer = viewer_for(world.users["network_member"])
    yearly, _patterns = services.unit_cube_released(
        viewer, world.other_unit.code, purpose="equity.school", grade_year=9
    )
    return sum(1 for s in yearly.table.column("status").to_pylist() if s == ValueStatus.EXISTS)


def _raise_the_regions_minimum(world: World) -> None:
    Region.objects.filter(pk=world.region.pk).update(
        min_group_school_unit=STRICT, min_group_area=STRICT
    )


@pytest.mark.django_db
def test_a_raised_minimum_hides_at_once_what_was_kept(small_units: World):  # noqa: F811
    assert _shown(small_units) > 0
    _raise_the_regions_minimum(small_units)
    assert (
        thresholds_for(organizers=frozenset({small_units.other.organisation_number})).default
        == STRICT
    )
    assert _shown(small_units) == 0  # the same process: its memory kept the old release
    SLICES.clear()
    RELEASES.clear()
    assert _shown(small_units) == 0  # another process: Django's cache kept it too


@pytest.mark.django_db
def test_every_kept_fragment_names_the_thresholds(small_units: World):  # noqa: F811
    before = fragment_key(name="page", viewer_kind="member", choices={"year": "2025"})
    known = thresholds_in_force()
    _raise_the_regions_minimum(small_units)
    assert thresholds_in_force() != known
    assert fragment_key(name="page", viewer_kind="member", choices={"year": "2025"}) != before

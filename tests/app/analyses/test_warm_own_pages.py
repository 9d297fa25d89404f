"""Issue #16: the warm-up releases each owner class's own organizer pages (and a principal's
own unit's page), so an owner's first visit in a fresh web process releases nothing.

A principal's organizer page releases every unit of the organizer for the principal's class
(45 units on the demo: 1 s of CPU on the first visit); the region pages' warm-up held only the
units located in the region. An analyst's own organizer page is released whole (seen in full)
and is now kept with its reads like the units' releases.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from django.core.cache import caches

from likvard.access.models import AuditEvent
from likvard.access.policy import viewer_for
from likvard.analyses.equity import services
from likvard.analyses.warm import warm_region_releases
from likvard.warehouse.selectors import data_version_newest
from tests.app.analyses.equity.test_one_cube import _stage
from tests.app.analyses.equity.test_owner_releases import _fresh_process, _reads
from tests.app.conftest import World
from tests.core.analytics.population import SchoolSpec
from tests.factories.organisations import MunicipalityFactory, SchoolUnitFactory


@pytest.fixture
def spread_units(world: World, tmp_path: Path, settings) -> World:
    """The own organizer's units in the region and one outside it (another municipality),
    among the other organizer's and unowned ones."""
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    outside = SchoolUnitFactory(
        code="10110999",
        organizer=world.own,
        municipality=MunicipalityFactory(code="1496", name="Skövde"),
    )
    own = world.own.organisation_number
    specs = [
        SchoolSpec(world.own_unit.code, 16, p_lower=0.02, organizer=own),
        SchoolSpec(outside.code, 13, p_lower=0.02, organizer=own),
        SchoolSpec(world.other_unit.code, 40, organizer=world.other.organisation_number),
        *(SchoolSpec(f"6900000{i}", 60) for i in range(4)),
    ]
    _stage(world, settings.LIKVARD_WAREHOUSE_DIR, specs)
    _fresh_process()
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["organizer_analyst", "principal"])
def test_after_the_warm_up_an_owners_organizer_page_releases_nothing(
    spread_units: World, monkeypatch, who: str
):
    caches["default"].clear()
    assert warm_region_releases(data_version_newest()) >= 1
    user = spread_units.users[who]
    assert _reads(user.pk) == Counter()  # nobody read in the warm-up
    _fresh_process()
    released: list[int] = []
    real = services.released_together

    def counted(*args, **kwargs):
        released.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "released_together", counted)
    owner = viewer_for(user)
    kept = services.organizer_equity_report(viewer=owner, organizer=spread_units.own)
    assert released == []
    reads = _reads(user.pk)
    assert reads  # the owner's own cells, read in full: audited from the cache too
    assert {purpose for _a, _s, purpose, _c in reads} == {"equity.organizer"}
    AuditEvent.objects.all().delete()
    caches["default"].clear()
    _fresh_process()
    anew = services.organizer_equity_report(viewer=owner, organizer=spread_units.own)
    assert released  # released anew
    assert _reads(user.pk) == reads
    assert kept.yearly.table.equals(anew.yearly.table)
    assert kept.patterns.table.equals(anew.patterns.table)
    assert kept.yearly.full == anew.yearly.full

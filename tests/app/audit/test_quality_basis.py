"""Issue #15: a basis page's own girls and boys beside the levels cube, in today's shape.

Kungsbacka kommun runs Björkris skola (40 students in year 9) and, here, a second unit of 12.
Both units and the organizer are shown in the year's levels cube (each at least 10). Each basis
page shows its subject's girls and boys, released with the subject's own level table (the
gate decides the unit's table alone: 12 students, fewer than 10 girls and fewer than 10 boys,
both hidden). The organizer's page shows the organizer's girls (5 or more: shown) and
Björkris's page its own: the small unit's girls are the organizer's minus Björkris's, since
the register gives the organizer no other unit. The auditor, gathering every basis page
(``likvard.audit.gather._quality``), finds them; with the levels cube alone it did not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from likvard.access.policy import viewer_for
from likvard.audit import gather as gathering
from likvard.organisations.models import Municipality
from likvard.quality.services.catalogue import catalogue_load_shipped
from likvard.warehouse.services import batch_import
from likvard_core.audit.audit import AuditResult, audit
from tests.app.analyses.conftest import (
    _student_files,
    warehouse,  # noqa: F401  (fixture)
)
from tests.app.conftest import World
from tests.factories.organisations import SchoolUnitFactory

YEAR = 2025
SECOND = "65390381"


@pytest.fixture
def two_units(warehouse: World, tmp_path: Path) -> World:  # noqa: F811  (fixture)
    catalogue_load_shipped()
    SchoolUnitFactory(code=SECOND, name="Andra skolan", organizer=warehouse.own,
                      municipality=Municipality.objects.get(code="1384"))  # fmt: skip
    files = _student_files(
        tmp_path, warehouse, unit=SECOND, organizer=warehouse.own.organisation_number,
        seed=31, higher=3, students=12,
    )  # fmt: skip
    for path, kind in zip(files[:3], ("enrolments", "final_grades", "national_tests"), strict=True):
        batch_import(path=path, kind=kind, by=None, organizer=warehouse.own)
    return warehouse


def _audited(world: World) -> tuple[AuditResult, AuditResult]:
    """The audit of every quality table a network member can obtain, and of the levels
    cubes alone (the old gathering)."""
    viewer = viewer_for(world.users["network_member"])
    gathered = gathering.gather(viewer=viewer, region=world.region, year=YEAR, only={"quality"})
    cubes = [t for t in gathered.tables if "/levels/" in t.name]
    return audit(gathered.tables, gathered.hierarchy), audit(cubes, gathered.hierarchy)


@pytest.mark.django_db
def test_the_audit_finds_a_unit_s_girls_as_its_organizer_s_minus_the_other_unit_s(
    two_units: World,
):
    result, cubes_alone = _audited(two_units)
    assert cubes_alone.exposed == 0
    pinned = {
        (dict(f.key).get("school_unit_code"), dict(f.key).get("group"))
        for f in result.findings
        if f.interval.high - f.interval.low < 1e-6
    }
    assert (SECOND, "girls") in pinned, [f.describe() for f in result.findings]
    assert result.ties["total:group"] > 0

"""Issue #15: a basis page's own girls and boys beside the levels cube.

Kungsbacka kommun runs Björkris skola (40 students in year 9) and, here, a second unit of 12.
Both units and the organizer are shown in the year's levels cube (each at least 10). Each basis
page shows its subject's girls and boys. Released with the subject's own level table (the gate
deciding the unit's table alone: 12 students, fewer than 10 girls and fewer than 10 boys, both
hidden), the organizer's girls (5 or more: shown) minus Björkris's gave the small unit's girls,
since the register gives the organizer no other unit: the auditor, gathering every basis page
(``likvard.audit.gather._quality``), found them. Every page now takes its girls and boys from
one joint release of every level with the totals (``quality.services.basis_gender``, the open
data's ``K``/``M``), and the same audit finds nothing. The old shape is kept as a hand-built
fixture (``tests/app/audit/test_catalogue_ties.py``), where the auditor still finds the leak.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from likvard.access.policy import ANONYMOUS, viewer_for
from likvard.audit import gather as gathering
from likvard.opendata.services.kpis import kpi_list
from likvard.opendata.services.values import Kind, kolada_values
from likvard.organisations.models import Municipality, SchoolUnit
from likvard.quality.services.basis import organizer_basis, school_unit_basis
from likvard.quality.services.catalogue import catalogue_load_shipped
from likvard.warehouse.services import batch_import
from likvard_core.analytics.quality.catalogue_model import DataSource
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
def test_no_unit_s_girls_are_its_organizer_s_minus_the_other_unit_s(two_units: World):
    result, cubes_alone = _audited(two_units)
    assert cubes_alone.exposed == 0
    assert result.exposed == 0, [f.describe() for f in result.findings]
    assert result.ties["total:group"] > 0  # the pages' girls and boys were gathered, tied
    viewer = viewer_for(two_units.users["network_member"])
    small = school_unit_basis(
        viewer=viewer, school_unit=SchoolUnit.objects.get(code=SECOND), year=YEAR
    )
    organizer = organizer_basis(viewer=viewer, organizer=two_units.own, year=YEAR)
    wholes = {b.indicator.code: b for b in organizer.all_blocks()}
    pairs = [
        (block.by_group[group], wholes[block.indicator.code].by_group[group])
        for block in small.all_blocks()
        if block.indicator.data_source is DataSource.WAREHOUSE and block.indicator.code in wholes
        for group in ("girls", "boys")
    ]
    assert pairs
    assert all(not unit.shown for unit, _ in pairs)  # 12 students: each gender under 10


@pytest.mark.django_db
def test_a_unit_s_basis_shows_the_girls_and_boys_the_api_serves(two_units: World):
    """Both units' basis pages and the Kolada API's ``K``/``M`` (open data, anyone) are the same
    cells with the same statuses: one joint release."""
    values = kolada_values(viewer=ANONYMOUS, kind=Kind.UNIT, years=[YEAR], genders=("K", "M"))
    served = {(v.kpi, v.entity, v.gender): v for v in values}
    ids = {k.code: k.id for k in kpi_list()}
    compared, shown = 0, 0
    for unit in SchoolUnit.objects.filter(code__in={v.entity for v in values}):
        basis = school_unit_basis(viewer=ANONYMOUS, school_unit=unit, year=YEAR)
        for block in basis.all_blocks():
            for group, gender in (("girls", "K"), ("boys", "M")):
                value = served.get((ids.get(block.indicator.code, ""), unit.code, gender))
                if value is None or block.indicator.data_source is not DataSource.WAREHOUSE:
                    continue
                figure = block.by_group[group]
                assert figure.status == value.status, (unit.code, block.indicator.code, gender)
                assert figure.value == (None if value.value is None else pytest.approx(value.value))
                compared += 1
                shown += value.value is not None
    assert compared >= 4

"""A small region with figures at every level, one school unit under every minimum group.

On top of ``warehouse`` (tests/app/analyses/conftest.py: Björkris skola 30 of 40 students
graded above their test, Mölndalsskolan 2 of 40) three more year-9 units of 40 (as
tests/app/quality/test_levels.py) and ``small_unit`` (tests/app/quality/conftest.py: three
students of a small private organizer, graded but not tested), all in school year 2025.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from likvard.organisations.models import Municipality
from likvard.quality.services.catalogue import catalogue_load_shipped
from likvard.warehouse.services import batch_import
from tests.app.analyses.conftest import _student_files, warehouse  # noqa: F401  (fixture)
from tests.app.conftest import World
from tests.app.quality.conftest import SMALL_UNIT, small_unit  # noqa: F401  (fixture)
from tests.factories.organisations import MunicipalityFactory, OrganizerFactory, SchoolUnitFactory

YEAR = 2025
OWN_KPI = "L00001"  # gr9_test_vs_grade: Likvärd's own indicator
MERIT_KPI = "N15504"  # gr9_merit_value: a Kolada key figure computed by Likvärd
SMALL = SMALL_UNIT


@pytest.fixture
def region_world(small_unit: World, tmp_path: Path) -> World:  # noqa: F811  (fixture)
    """See the module doc: Kungsbacka has four units, Mölndal one, Skövde (no region) one."""
    catalogue_load_shipped()
    skovde = MunicipalityFactory(code="1496", name="Skövde")
    kungsbacka = Municipality.objects.get(code="1384")
    private = OrganizerFactory(organisation_number="5569990002", name="Friskolan AB")
    outside = OrganizerFactory(organisation_number="2120001637", name="Skövde kommun")
    setups = [
        ("65390345", "Björkris skola 7-9", small_unit.own, kungsbacka, 11, 10),
        ("65390346", "Friskolan i Kungsbacka", private, kungsbacka, 12, 36),
        ("65390347", "Skövdeskolan", outside, skovde, 13, 0),
    ]
    for code, name, organizer, municipality, seed, higher in setups:
        SchoolUnitFactory(code=code, name=name, organizer=organizer, municipality=municipality)
        files = _student_files(
            tmp_path, small_unit, unit=code, organizer=organizer.organisation_number,
            seed=seed, higher=higher, students=40,
        )  # fmt: skip
        kinds = ("enrolments", "final_grades", "national_tests")
        for path, kind in zip(files[:3], kinds, strict=True):
            batch_import(path=path, kind=kind, by=None, organizer=organizer)
    return small_unit

"""Issue #15, leak 2: the analysis basis's levels are released together, as one cube.

Kungsbacka holds the principal's own Björkris skola (40 students in year 9), a private unit
of 30 and a private unit of 4 (hidden: under 10). Released level by level, the principal saw
Kungsbacka's 74 beside their own 40 (in full) and the neighbour's 30, so the hidden unit
was 74 - 40 - 30 = 4. In one cube with the principal's unit known, one more cell is hidden.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from likvard.access.models import Role
from likvard.access.policy import viewer_for
from likvard.organisations.models import Municipality, SchoolUnit
from likvard.quality.services import basis as services
from likvard.warehouse.services import batch_import
from tests.app.analyses.conftest import _student_files
from tests.app.conftest import World
from tests.factories.access import user_with_role
from tests.factories.organisations import OrganizerFactory, SchoolUnitFactory

YEAR = 2025
CODE = "gr9_test_vs_grade"
NEIGHBOUR, SMALL = "65390371", "65390372"


@pytest.fixture
def neighbours(warehouse: World, tmp_path: Path) -> World:
    kungsbacka = Municipality.objects.get(code="1384")
    for code, number, students, seed in (
        (NEIGHBOUR, "5569990011", 30, 21), (SMALL, "5569990012", 4, 22),
    ):  # fmt: skip
        organizer = OrganizerFactory(organisation_number=number, name=f"Friskola {code}")
        SchoolUnitFactory(code=code, name=f"Skola {code}", organizer=organizer,
                          municipality=kungsbacka)  # fmt: skip
        files = _student_files(
            tmp_path, warehouse, unit=code, organizer=number, seed=seed, higher=2,
            students=students,
        )  # fmt: skip
        kinds = ("enrolments", "final_grades", "national_tests")
        for path, kind in zip(files[:3], kinds, strict=True):
            batch_import(path=path, kind=kind, by=None, organizer=organizer)
    return warehouse


def _block(basis):
    return next(b for b in basis.all_blocks() if b.indicator.code == CODE)


def _unit(viewer, code: str):
    return _block(
        services.school_unit_basis(
            viewer=viewer, school_unit=SchoolUnit.objects.get(code=code), year=YEAR
        )
    )


def _municipality(block):
    return next(c.figure for c in block.comparisons if c.kind == "municipality")


def test_principal_cannot_difference_the_municipality_against_the_units(neighbours: World):
    principal = viewer_for(neighbours.users["principal"])
    own = _unit(principal, neighbours.own_unit.code)
    neighbour = _unit(principal, NEIGHBOUR)
    small = _unit(principal, SMALL)
    assert (own.value.shown, own.value.n) == (True, 40)  # their own unit, in full
    assert small.value.mark == ".."  # 4 students
    municipality = _municipality(own)
    # Old shape: Kungsbacka 74 and the neighbour's 30 shown, so the small unit is 74 - 40 - 30.
    assert not (municipality.shown and neighbour.value.shown), (municipality, neighbour.value)
    # Every page takes the same cube: Kungsbacka's figure is the same on each unit's page.
    for block in (neighbour, small):
        assert _municipality(block).status == municipality.status


def test_another_principal_sees_the_same_cube_without_the_own_unit_known(neighbours: World):
    other = user_with_role("rektor2", Role.PRINCIPAL, school_unit=NEIGHBOUR)
    viewer = viewer_for(other)
    own = _unit(viewer, NEIGHBOUR)
    assert (own.value.shown, own.value.n) == (True, 30)
    bjorkris = _unit(viewer, neighbours.own_unit.code)
    municipality = _municipality(own)
    assert not (municipality.shown and bjorkris.value.shown)

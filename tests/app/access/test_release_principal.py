"""The release gate gives a principal their own school units' figures in full, and only those."""

from __future__ import annotations

import pyarrow as pa
import pytest

from likvard.access.audit import reads_for
from likvard.access.models import AuditEvent
from likvard.access.policy import viewer_for
from likvard.access.release import release
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from tests.app.conftest import World


def _aggregate(world: World, units: list[str], *, with_units: bool = True) -> Aggregate:
    table = pa.table(
        {
            "school_unit_code": units,
            "subject_code": ["MA"] * len(units),
            "n": [3] * len(units),  # below every minimum group size
            "share": [0.5] * len(units),
        }
    )
    organizers = {world.own_unit.code: world.own, world.other_unit.code: world.other}
    return Aggregate(
        table=table,
        dims=("school_unit_code", "subject_code"),
        count="n",
        values=("share",),
        population=Population(
            scope=f"test/units:{len(units)}",
            organizers=frozenset(organizers[u].organisation_number for u in units),
            level=Level.SCHOOL_UNIT,
            school_units=frozenset(units) if with_units else frozenset(),
        ),
        data_version="v1",
    )


@pytest.mark.django_db
def test_principal_sees_own_unit_in_full_and_is_audited(world: World):
    principal = viewer_for(world.users["principal"])
    assert world.own_unit.code in principal.school_units
    released = release(_aggregate(world, [world.own_unit.code]), viewer=principal, purpose="t")
    assert released.full
    assert released.rows()[0]["n"] == 3
    assert AuditEvent.objects.filter(scope="test/units:1").count() == 1


@pytest.mark.django_db
def test_principal_gets_other_units_suppressed_and_own_unit_as_known(world: World):
    # The principal's own unit is known to them (they see it in full elsewhere): in a table
    # with other units it is shown and never chosen to protect a neighbour; other units' small
    # cells stay hidden. Showing the own unit's figures is a read of student-level data.
    principal = viewer_for(world.users["principal"])
    own, other = world.own_unit.code, world.other_unit.code
    cases = (
        (_aggregate(world, [own, other]), {own: 3, other: None}),
        (_aggregate(world, [other]), {other: None}),
        (_aggregate(world, [own], with_units=False), {own: 3}),
    )
    for aggregate, expected in cases:
        released = release(aggregate, viewer=principal, purpose="t")
        assert not released.full
        assert {row["school_unit_code"]: row["n"] for row in released.rows()} == expected
    assert AuditEvent.objects.filter(scope="test/units:2").count() == 1
    assert AuditEvent.objects.filter(scope="test/units:1").count() == 1


@pytest.mark.django_db
def test_reads_inside_an_audit_are_logged_under_its_purpose(world: World):
    principal = viewer_for(world.users["principal"])
    with reads_for("audit.disclosure", "cli"):
        release(_aggregate(world, [world.own_unit.code]), viewer=principal, purpose="page")
    release(_aggregate(world, [world.own_unit.code]), viewer=principal, purpose="page")
    purposes = AuditEvent.objects.filter(scope="test/units:1").values_list("purpose", "channel")
    assert sorted(purposes) == [("audit.disclosure", "cli"), ("page", "web")]


@pytest.mark.django_db
def test_a_viewer_whose_cells_are_not_in_the_cube_shares_the_decision(world: World):
    # The digest of a joint decision holds only the known values present in its tables.
    from likvard.access.release import _present

    own, other = world.own_unit.code, world.other_unit.code
    aggregate = _aggregate(world, [other])
    assert _present({"school_unit_code": frozenset({own})}, [aggregate]) is None
    both = _aggregate(world, [own, other])
    assert _present({"school_unit_code": frozenset({own})}, [both]) == {
        "school_unit_code": frozenset({own})
    }

"""The analysis basis is kept per owner class, the viewers whose figures it holds are the same
for: an administrator, a coordinator, a network secretary and a member own nothing and share one
computed basis; an analyst or a principal gets their own figures, and every reader of student-
level figures is audited as before (issues #15 and #18)."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from likvard.access.models import AuditEvent, Role, RoleAssignment
from likvard.access.policy import viewer_for
from likvard.organisations.models import Organizer, SchoolUnit
from likvard.quality.services import basis as basis_services
from likvard.quality.services.basis import organizer_basis, school_unit_basis
from tests.app.conftest import World
from tests.app.opendata.conftest import region_world  # noqa: F401 (fixture)
from tests.app.quality.conftest import SMALL_ORGANIZER, SMALL_UNIT, count_builds
from tests.app.quality.test_basis_cache import _reads
from tests.factories.access import user_with_role

NON_OWNERS = ("administrator", "regional_coordinator", "network_secretary", "network_member")


@pytest.mark.django_db
def test_viewers_who_own_nothing_share_one_basis_and_an_owner_gets_their_own(
    region_world: World,  # noqa: F811
    monkeypatch,
):
    world = region_world
    caches["default"].clear()
    built = count_builds(monkeypatch)
    year = basis_services.basis_years()[0]
    small = Organizer.objects.get(organisation_number=SMALL_ORGANIZER)  # three students

    shared = [
        organizer_basis(viewer=viewer_for(world.users[role]), organizer=small, year=year)
        for role in NON_OWNERS
    ]
    assert built == ["admin"]  # computed once: the others' rights decide no figure of it
    assert {repr(basis) for basis in shared} == {repr(shared[0])}  # (a NaN is no NaN's equal)
    assert not AuditEvent.objects.exists()  # nobody of them read student-level data

    analyst = world.users["small_analyst"]
    own = organizer_basis(viewer=viewer_for(analyst), organizer=small, year=year)
    assert built == ["admin", "liten"]  # the owner's figures are their own
    assert repr(own) != repr(shared[0])  # its three students in full, hidden to the others
    reads = _reads(analyst.username)
    assert reads  # and its reading of them is audited

    # An analyst of the same organizer who also coordinates the region owns the same: the kept
    # figures serve them, and they are audited for the same reads.
    colleague = user_with_role(
        "liten.samordnare", Role.ORGANIZER_ANALYST, organizer=SMALL_ORGANIZER
    )
    RoleAssignment.objects.create(
        user=colleague, role=Role.REGIONAL_COORDINATOR, region=world.region
    )
    again = organizer_basis(viewer=viewer_for(colleague), organizer=small, year=year)
    assert built == ["admin", "liten"]
    assert repr(again) == repr(own)
    assert _reads(colleague.username) == reads

    unit = SchoolUnit.objects.get(code=SMALL_UNIT)
    principal = user_with_role("rektor.liten", Role.PRINCIPAL, school_unit=SMALL_UNIT)
    headed = school_unit_basis(viewer=viewer_for(principal), school_unit=unit, year=year)
    assert built[-1] == "rektor.liten"  # owns the unit: a class of its own
    assert _reads(principal.username)
    member = school_unit_basis(
        viewer=viewer_for(world.users["network_member"]), school_unit=unit, year=year
    )
    assert built[-1] == "medlem"  # the unit's basis of the class that owns nothing
    assert repr(member) != repr(headed)
    assert not _reads("medlem")

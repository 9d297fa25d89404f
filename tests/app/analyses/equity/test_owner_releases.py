"""Issues #16 and #18: an owner's first equity page in a fresh web process releases nothing.

An organizer's analyst or a principal sees their own units' cubes in full, and every such read
is audited, so those releases were made again in each web process (GR's region page: 5.0 s on
the analyst's first visit after the warm-up). They are now kept in Django's cache per data
version and what the owner knows of the unit (the warm-up releases them for each owner class,
reads withheld), with the reads made releasing them, which every later reader is audited for
under their own page's purpose.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.cache import caches

from likvard.access.audit import audit_reads_withheld
from likvard.access.models import AuditEvent
from likvard.access.policy import Viewer, viewer_for
from likvard.analyses.equity import services
from likvard.analyses.equity.kept import RELEASES, SLICES
from likvard.organisations.models import SchoolUnit
from tests.app.analyses.equity.test_one_cube import small_units  # noqa: F401 (fixture)
from tests.app.conftest import World


def _warm_up(world: World, owner: Viewer) -> None:
    """What the warm-up does for a region: the anonymous class, then the owner's, reads
    withheld (nobody reads there)."""
    member = viewer_for(world.users["network_member"])
    services.region_equity_report(viewer=member, region=world.region)
    with audit_reads_withheld():
        services.region_equity_report(viewer=owner, region=world.region)


def _fresh_process() -> None:
    """Another web process: nothing in its memory, only Django's cache is shared."""
    SLICES.clear()
    RELEASES.clear()


def _reads(user_id: int) -> Counter[tuple[str, str, str, str]]:
    events = AuditEvent.objects.filter(user_id=user_id)
    return Counter(events.values_list("action", "scope", "purpose", "channel"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["organizer_analyst", "principal"])
def test_an_owners_first_region_page_in_a_fresh_process_releases_nothing(
    small_units: World,  # noqa: F811
    count_releases,
    who: str,
):
    owner = viewer_for(small_units.users[who])
    _warm_up(small_units, owner)
    _fresh_process()
    released = count_releases()
    services.region_equity_report(viewer=owner, region=small_units.region)
    assert released == []


@pytest.mark.django_db
def test_the_owners_reads_are_audited_when_read_from_the_cache(
    small_units: World,  # noqa: F811
    count_releases,
):
    """Reading is what is audited, not computing: the warm-up logs nothing, and the owner's
    page served from the cache logs the same reads as a page computed anew."""
    user = small_units.users["organizer_analyst"]
    analyst = viewer_for(user)
    _warm_up(small_units, analyst)
    assert _reads(user.pk) == Counter()
    _fresh_process()
    released = count_releases()
    services.region_equity_report(viewer=analyst, region=small_units.region)
    replayed = _reads(user.pk)
    assert released == []
    AuditEvent.objects.all().delete()
    _fresh_process()
    caches["default"].clear()
    services.region_equity_report(viewer=analyst, region=small_units.region)
    assert replayed == _reads(user.pk)
    assert {purpose for _a, _s, purpose, _c in replayed} == {"equity.region"}
    own = SchoolUnit.objects.filter(organizer=small_units.own).count()
    assert replayed.total() == 2 * own  # each own unit's yearly rows and patterns


@pytest.mark.django_db
def test_a_kept_release_is_audited_under_the_purpose_of_the_page_that_reads_it(
    small_units: World,  # noqa: F811
    count_releases,
):
    """A principal's own unit, kept by the region page's warm-up, read on the organizer's
    page: logged as that page's read, not the region page's."""
    user = small_units.users["principal"]
    principal = viewer_for(user)
    _warm_up(small_units, principal)
    _fresh_process()
    released = count_releases()
    services.organizer_equity_report(viewer=principal, organizer=small_units.own)
    assert released == []
    reads = _reads(user.pk)
    assert reads.total() == 2  # the own unit's yearly rows and patterns)
    assert {purpose for _a, _s, purpose, _c in reads} == {"equity.organizer"}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["organizer_analyst", "principal"])
def test_the_owners_kept_figures_equal_a_release_made_anew(
    small_units: World,  # noqa: F811
    count_releases,
    who: str,
):
    owner = viewer_for(small_units.users[who])
    _warm_up(small_units, owner)
    _fresh_process()
    released = count_releases()
    kept = services.region_equity_report(viewer=owner, region=small_units.region)
    assert released == []
    school = services.school_equity_report(viewer=owner, school=small_units.own_unit)
    organizer = services.organizer_equity_report(viewer=owner, organizer=small_units.own)
    _fresh_process()
    caches["default"].clear()
    anew = services.region_equity_report(viewer=owner, region=small_units.region)
    assert kept.yearly.table.equals(anew.yearly.table)
    assert kept.distribution == anew.distribution
    for page, again in (
        (school, services.school_equity_report(viewer=owner, school=small_units.own_unit)),
        (organizer, services.organizer_equity_report(viewer=owner, organizer=small_units.own)),
    ):
        assert page.yearly.table.equals(again.yearly.table)
        assert page.patterns.table.equals(again.patterns.table)
        assert page.yearly.full == again.yearly.full

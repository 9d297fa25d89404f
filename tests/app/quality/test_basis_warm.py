"""The warm-up decides the analysis basis of the people who see their own figures in full, so
their first page after an import reads kept figures (issue #18: never cold), and is audited as
if it had computed them; the warm-up itself records no read."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.access.models import AuditEvent
from likvard.quality.warm import warm_basis_owners
from likvard.warehouse.selectors import data_version_get
from tests.app.conftest import World
from tests.app.opendata.conftest import region_world  # noqa: F401 (fixture)
from tests.app.quality.conftest import count_builds
from tests.app.quality.test_basis_cache import _reads


@pytest.mark.django_db
def test_owners_bases_are_decided_in_the_warm_up_and_read_audited(
    region_world: World,  # noqa: F811
    monkeypatch,
):
    world = region_world
    analyst = world.users["organizer_analyst"]
    principal = world.users["principal"]
    caches["default"].clear()
    url = reverse("quality:basis-organizer", args=[world.own.organisation_number])

    client = Client()  # what a first page computes and records, without the warm-up
    client.force_login(analyst)
    assert client.get(url).status_code == 200
    computed = _reads(analyst.username)
    assert computed  # its own students' figures, read in full
    AuditEvent.objects.all().delete()
    caches["default"].clear()

    built = count_builds(monkeypatch)
    done = warm_basis_owners(data_version_get())
    owners = ["analytiker", "analytiker2", "liten", "rektor"]  # the world's owner classes
    assert done == len(owners)
    assert sorted(built) == owners
    assert not AuditEvent.objects.exists()  # nobody read in the warm-up

    assert client.get(url).status_code == 200
    assert sorted(built) == owners  # nothing computed
    assert _reads(analyst.username) == computed

    unit_url = reverse("quality:basis-school-unit", args=[world.own_unit.code])
    rektor = Client()
    rektor.force_login(principal)
    assert rektor.get(unit_url).status_code == 200
    assert sorted(built) == owners
    assert _reads(principal.username)  # the principal's own unit's figures, audited


@pytest.mark.django_db
def test_the_warm_up_keeps_at_most_the_configured_classes(
    region_world: World,  # noqa: F811
    settings,
):
    settings.LIKVARD_WARM_OWNER_CLASSES = 1
    caches["default"].clear()
    assert warm_basis_owners(data_version_get()) == 1

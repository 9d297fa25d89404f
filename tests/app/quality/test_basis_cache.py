"""The analysis basis is computed once per data version and viewer rights class; every read of
it is audited, from the cache too (issue #18)."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.access.models import AuditEvent, Role
from likvard.warehouse.services import batch_import
from tests.app.conftest import World
from tests.app.opendata.conftest import region_world  # noqa: F401 (fixture)
from tests.app.quality.conftest import count_builds
from tests.factories.access import user_with_role
from tests.factories.warehouse import enrolment_file


def _reads(username: str) -> list[tuple[str, str, str, str, str]]:
    rows = AuditEvent.objects.filter(username=username).order_by("pk")
    return [(r.action, r.scope, r.purpose, r.data_version, r.channel) for r in rows]


@pytest.mark.django_db
def test_a_cached_basis_is_audited_for_every_reader_and_a_new_version_computes_it(
    region_world: World,  # noqa: F811
    monkeypatch,
    tmp_path,
):
    world = region_world
    built = count_builds(monkeypatch)
    caches["default"].clear()
    analyst = world.users["organizer_analyst"]
    colleague = user_with_role(
        "analytiker.kollega", Role.ORGANIZER_ANALYST, organizer=world.own.organisation_number
    )
    url = reverse("quality:basis-organizer", args=[world.own.organisation_number])
    client = Client()
    client.force_login(analyst)
    first = client.get(url)
    assert first.status_code == 200
    computed_reads = _reads(analyst.username)
    assert computed_reads  # its own students' figures, read in full

    assert client.get(url).status_code == 200  # from the cache: audited all the same
    assert built == [analyst.username]
    assert _reads(analyst.username) == computed_reads * 2

    other = Client()
    other.force_login(colleague)  # another analyst of the same organizer: same class
    assert other.get(url).status_code == 200
    assert built == [analyst.username]
    assert _reads(colleague.username) == computed_reads

    path = tmp_path / "elever-ny.csv"  # a new data version: computed anew
    enrolment_file(
        path, organizer=world.own.organisation_number, school_unit=world.own_unit.code,
        students=15, year="2025/26", seed=9,
    )  # fmt: skip
    batch_import(path=path, kind="enrolments", by=None, organizer=world.own)
    assert client.get(url).status_code == 200
    assert built == [analyst.username, analyst.username]
    newest = _reads(analyst.username)[len(computed_reads) * 2 :]
    assert newest
    assert {read[3] for read in newest} != {read[3] for read in computed_reads}

"""The start page asks the database a fixed number of times, however many places a viewer has;
the audit log however many rows name the same codes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from likvard.access.models import AuditEvent, Role
from likvard.access.services import RoleSpec, user_create
from likvard.organisations import labels
from likvard.quality.models import Indicator
from likvard.quality.services import catalogue_load_shipped
from tests.app.conftest import World
from tests.factories.access import PASSWORD
from tests.factories.organisations import RegionFactory

pytestmark = pytest.mark.django_db


def _start_page_queries(username: str) -> int:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def test_start_page_queries_do_not_grow_with_regions(world: World):
    user_create(
        username="en-region",
        password=PASSWORD,
        roles=[RoleSpec(Role.REGIONAL_COORDINATOR, region="gr")],
    )
    extra = [RegionFactory(code=f"r{i}", name=f"Region {i}") for i in range(4)]
    for region in extra:
        region.municipalities.set(world.region.municipalities.all())
    user_create(
        username="fem-regioner",
        password=PASSWORD,
        roles=[
            RoleSpec(Role.REGIONAL_COORDINATOR, region=r) for r in ["gr", *[x.code for x in extra]]
        ],
    )
    one = _start_page_queries("en-region")
    five = _start_page_queries("fem-regioner")
    assert five == one, f"{one} queries for one region, {five} for five"
    assert one <= 15


def _audit_log_queries(world: World) -> tuple[int, str]:
    client = Client()
    client.force_login(world.users["administrator"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("web:audit-list"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _audited(scopes: list[str]) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(username="analytiker", action="read", scope=scope, purpose="quality.basis",
                   data_version="v1", channel="web")
        for scope in scopes
    )  # fmt: skip


def test_audit_log_names_each_code_once_however_many_rows(world: World):
    catalogue_load_shipped()
    codes = list(Indicator.objects.order_by("code").values_list("code", flat=True)[:8])
    organizers = f"{world.own.organisation_number},{world.other.organisation_number}"
    scopes = [
        *(f"quality.levels/gr/{code}/year:{year}" for code in codes for year in (2024, 2025)),
        *(f"equity.region/organizers:[{organizers}]/years:{y}-2025" for y in range(2016, 2024)),
        f"movement.admissions/{world.own_unit.code}/municipality:1384",
    ]
    _audited(scopes)
    few, _html = _audit_log_queries(world)
    _audited(scopes * 3)
    many, html = _audit_log_queries(world)
    assert many == few, f"{few} queries for {len(scopes)} rows, {many} for {len(scopes) * 4}"
    assert few <= 30
    assert "Kungsbacka kommun" in html  # the organizers named, not numbered
    assert labels.scope_label(scopes[0]) in html

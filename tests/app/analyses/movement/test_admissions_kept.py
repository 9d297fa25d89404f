"""Admissions against 15 October are computed and rendered once per data version, viewer
rights class, region and year; every reader of audited figures is audited (issue #16)."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.access.models import AuditEvent, Role
from likvard.analyses.movement.services import admissions as admissions_services
from tests.factories.access import user_with_role

pytestmark = pytest.mark.django_db


def _reads(username: str) -> list[tuple[str, str, str]]:
    rows = AuditEvent.objects.filter(username=username).order_by("pk")
    return [(r.action, r.scope, r.data_version) for r in rows]


def _main(html: str) -> str:
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_admissions_page_is_computed_once_per_rights_class_and_audited_for_each_reader(
    movement_warehouse, monkeypatch
):
    world = movement_warehouse.world
    computed: list[list[int]] = []
    real = admissions_services.admissions_vs_enrolment

    def counting(db, lookups, scope):  # type: ignore[no-untyped-def]
        computed.append(list(scope.years))
        return real(db, lookups, scope)

    monkeypatch.setattr(admissions_services, "admissions_vs_enrolment", counting)
    caches["default"].clear()
    url = reverse("movement:admissions", args=["gr"])
    number = world.own.organisation_number
    analyst = world.users["organizer_analyst"]
    colleague = user_with_role("analytiker.kollega", Role.ORGANIZER_ANALYST, organizer=number)

    first = Client()
    first.force_login(analyst)
    page = first.get(url).content.decode()
    other = Client()
    other.force_login(colleague)
    again = other.get(url).content.decode()
    assert computed == [[2025]]  # the colleague (same rights class) reads the kept figures
    assert _main(again) == _main(page)  # and the kept page
    assert _reads(colleague.username) == _reads(analyst.username)  # both audited alike

    other.get(url, {"year": "2025"})  # another year asked: computed for it
    assert computed == [[2025], [2025]]
    coordinator = Client()  # another rights class: figures of its own
    coordinator.force_login(world.users["regional_coordinator"])
    assert coordinator.get(url).status_code == 200
    assert computed == [[2025], [2025], [2025]]

"""The organizer's analysis basis page is rendered once per data version, viewer rights class
and own analysis as saved; every reader is audited and gets their own CSRF token (issue #18)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.access.models import AuditEvent, Role
from likvard.quality.views import basis as basis_views
from likvard.warehouse.fragments import CSRF_PLACEHOLDER
from likvard.warehouse.services import batch_import
from tests.app.conftest import World
from tests.app.opendata.conftest import region_world  # noqa: F401 (fixture)
from tests.factories.access import user_with_role
from tests.factories.warehouse import enrolment_file

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _reads(username: str) -> list[tuple[str, str, str]]:
    rows = AuditEvent.objects.filter(username=username).order_by("pk")
    return [(r.action, r.scope, r.data_version) for r in rows]


@pytest.mark.django_db
def test_the_organizer_basis_page_is_rendered_once_per_class_and_fresh_after_a_change(
    region_world: World,  # noqa: F811
    monkeypatch,
    tmp_path,
):
    world = region_world
    rendered: list[str] = []
    real = basis_views._parts

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        rendered.append(args[1].subject_code)
        return real(*args, **kwargs)

    monkeypatch.setattr(basis_views, "_parts", counting)
    caches["default"].clear()
    number = world.own.organisation_number
    url = reverse("quality:basis-organizer", args=[number])
    analyst = world.users["organizer_analyst"]
    colleague = user_with_role("analytiker.kollega", Role.ORGANIZER_ANALYST, organizer=number)

    first = Client(enforce_csrf_checks=True)
    first.force_login(analyst)
    page = first.get(url).content.decode()
    other = Client(enforce_csrf_checks=True)
    other.force_login(colleague)
    again = other.get(url).content.decode()
    assert rendered == [number]  # the colleague (same rights class) reads the kept page
    assert _reads(colleague.username) == _reads(analyst.username)  # both audited alike
    assert _reads(analyst.username)
    assert CSRF_PLACEHOLDER not in page + again
    token = TOKEN.findall(again)[-1]  # the own analysis's form: the colleague's own token
    assert token not in page
    match = re.search(r'name="year" value="(\d+)"', again)
    assert match is not None
    year = match.group(1)

    saved = other.post(  # the token put into the kept page is accepted
        reverse("quality:basis-analysis-save", args=[number]),
        {"csrfmiddlewaretoken": token, "year": year, "strengths": "Trygg studiemiljö"},
    )
    assert saved.status_code == 302
    fresh = first.get(url, {"year": year}).content.decode()
    assert "Trygg studiemiljö" in fresh  # a saved analysis gives a fresh page
    assert len(rendered) == 2

    coordinator = world.users["regional_coordinator"]  # another rights class: its own page
    reader = Client()
    reader.force_login(coordinator)
    shown = reader.get(url, {"year": year}).content.decode()
    assert len(rendered) == 3
    assert "Trygg studiemiljö" in shown
    assert reverse("quality:basis-analysis-save", args=[number]) not in shown

    path = tmp_path / "elever-ny.csv"  # a new data version: rendered anew
    enrolment_file(
        path, organizer=number, school_unit=world.own_unit.code,
        students=15, year="2025/26", seed=9,
    )  # fmt: skip
    batch_import(path=path, kind="enrolments", by=None, organizer=world.own)
    first.get(url, {"year": year})
    assert len(rendered) == 4

"""Issue #16: the early-warning list is computed once per data version, unit, rule and rights
class, and every read of it is still audited for its reader (the list is student-level)."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.access.models import AuditEvent, Role
from likvard.analyses.completion import services
from likvard.analyses.warm import warm_region_releases
from likvard.warehouse.selectors import data_version_newest
from tests.app.conftest import World
from tests.factories.access import user_with_role

pytestmark = pytest.mark.django_db


def test_the_list_is_kept_and_every_read_is_audited(completion_world: World, monkeypatch):
    caches["default"].clear()
    queried: list[int] = []
    real = services.warning_list_rows

    def counted(*args, **kwargs):
        queried.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "warning_list_rows", counted)
    user = completion_world.users["principal"]
    url = reverse(
        "analyses:completion-warning-list", kwargs={"code": completion_world.own_unit.code}
    )
    pages = []
    for _visit in range(3):  # each a web process of its own: only Django's cache is shared
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        pages.append(response.content.decode().split('id="warning-list"')[1])
    assert queried == [1]  # computed once, read three times
    assert pages[0] == pages[1] == pages[2]
    events = AuditEvent.objects.filter(user_id=user.pk)
    assert (
        list(events.values_list("action", "scope", "purpose", "channel"))
        == [
            (
                "read",
                f"completion.warning_list/school_unit:{completion_world.own_unit.code}",
                "completion.warning_list",
                "web",
            )
        ]
        * 3
    )


def test_an_export_is_audited_as_an_export_from_the_kept_list(completion_world: World, monkeypatch):
    """The channel is part of what is kept: a web read never stands in for an export's."""
    caches["default"].clear()
    user = completion_world.users["principal"]
    client = Client()
    client.force_login(user)
    url = reverse(
        "analyses:completion-warning-list", kwargs={"code": completion_world.own_unit.code}
    )
    assert client.get(url).status_code == 200
    assert client.get(url + "?format=xlsx").status_code == 200
    assert client.get(url + "?format=xlsx").status_code == 200
    actions = list(
        AuditEvent.objects.filter(user_id=user.pk).order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["read", "export", "export"]


def test_after_the_warm_up_the_principals_list_is_read_from_the_cache(
    completion_world: World, monkeypatch
):
    """The warm-up keeps each owner class's own units' lists with their reads (withheld
    there): the principal's first visit runs no query and is audited for its read."""
    caches["default"].clear()
    assert warm_region_releases(data_version_newest()) >= 1
    user = completion_world.users["principal"]
    assert not AuditEvent.objects.filter(user_id=user.pk).exists()  # nobody read yet
    queried: list[int] = []
    real = services.warning_list_rows

    def counted(*args, **kwargs):
        queried.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "warning_list_rows", counted)
    client = Client()
    client.force_login(user)
    url = reverse(
        "analyses:completion-warning-list", kwargs={"code": completion_world.own_unit.code}
    )
    assert client.get(url).status_code == 200
    assert queried == []
    assert list(AuditEvent.objects.filter(user_id=user.pk).values_list("purpose", flat=True)) == [
        "completion.warning_list"
    ]


def test_after_the_warm_up_the_student_health_teams_list_is_read_from_the_cache(
    completion_world: World, monkeypatch
):
    """A student health team owns no figures, so it was no owner class of the warm-up and
    its first visit computed the list; now each active team's class is warmed too (reads
    withheld there) and every member is audited for the read, from the kept list."""
    nurse = user_with_role(
        "elevhalsa", Role.STUDENT_HEALTH, school_unit=completion_world.own_unit.code
    )
    colleague = user_with_role(
        "elevhalsa2", Role.STUDENT_HEALTH, school_unit=completion_world.own_unit.code
    )
    caches["default"].clear()
    assert warm_region_releases(data_version_newest()) >= 1
    assert not AuditEvent.objects.filter(user_id__in=[nurse.pk, colleague.pk]).exists()
    queried: list[int] = []
    real = services.warning_list_rows

    def counted(*args, **kwargs):
        queried.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "warning_list_rows", counted)
    url = reverse(
        "analyses:completion-warning-list", kwargs={"code": completion_world.own_unit.code}
    )
    scope = f"completion.warning_list/school_unit:{completion_world.own_unit.code}"
    for user in (nurse, colleague):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200
        reads = AuditEvent.objects.filter(user_id=user.pk).values_list("scope", "purpose")
        assert list(reads) == [(scope, "completion.warning_list")]
    assert queried == []

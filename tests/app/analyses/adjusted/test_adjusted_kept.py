"""The adjusted-results pages are released once per data version, viewer rights class, scope,
outcome and weighting, and their body rendered once per those figures and query string; every
reader of student-level figures is audited, from the cache too, and a renamed unit computes
anew (issue #16: 60-90 ms of CPU a warm request before, 0.3-0.8 s at load 8-10)."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.access.models import AuditEvent, Role
from likvard.analyses.adjusted import services, views
from tests.app.conftest import World
from tests.factories.access import user_with_role

ORGANIZER = reverse(
    "analyses:adjusted-year9-organizer", kwargs={"organisation_number": "2120001256"}
)
REGION = reverse("analyses:adjusted-upper-secondary-region", kwargs={"code": "gr"})


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """How often the gate released the figures and the body's filter lists were built (only
    to render the body)."""
    calls = {"released": 0, "rendered": 0}
    release, options = services.release, views.filter_options

    def releasing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["released"] += 1
        return release(*args, **kwargs)

    def rendering(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["rendered"] += 1
        return options(*args, **kwargs)

    monkeypatch.setattr(services, "release", releasing)
    monkeypatch.setattr(views, "filter_options", rendering)
    caches["default"].clear()
    return calls


def _page(user, url: str, **query: str) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def _main(page: str) -> str:
    return page[page.index('<main id="main"') : page.index("</main>")]


def _reads(username: str) -> list[tuple[str, str, str, str]]:
    rows = AuditEvent.objects.filter(username=username).order_by("pk")
    return [(r.action, r.scope, r.purpose, r.data_version) for r in rows]


@pytest.mark.django_db
def test_a_colleague_reads_the_kept_page_and_is_audited_alike(
    modelled: World, counted: dict[str, int]
):
    analyst = modelled.users["organizer_analyst"]
    colleague = user_with_role(
        "analytiker.kollega", Role.ORGANIZER_ANALYST, organizer=modelled.own.organisation_number
    )
    first = _page(analyst, ORGANIZER)
    again = _page(colleague, ORGANIZER)
    assert counted == {"released": 1, "rendered": 1}
    assert _main(again) == _main(first)
    assert "Björkris skola" in _main(first)
    assert _reads(analyst.username)  # the own unit's figures in full: audited
    assert _reads(colleague.username) == _reads(analyst.username)

    _page(colleague, ORGANIZER, year="all")  # another table: the same figures, rendered anew
    assert counted == {"released": 1, "rendered": 2}
    assert len(_reads(colleague.username)) == 2  # and audited again

    _page(colleague, ORGANIZER, outcome="share_passing_all")  # another outcome: released
    _page(modelled.users["other_analyst"], ORGANIZER)  # another rights class: its own
    assert counted == {"released": 3, "rendered": 4}


@pytest.mark.django_db
def test_a_region_page_for_the_next_reader_and_a_renamed_unit(
    modelled: World, counted: dict[str, int]
):
    member = modelled.users["network_member"]
    first = _page(member, REGION)
    again = _page(modelled.users["network_secretary"], REGION)  # another class: released
    assert _main(_page(member, REGION)) == _main(first)
    assert counted == {"released": 2, "rendered": 2}
    assert _main(again) == _main(first)

    table = Client()
    table.force_login(member)
    fragment = table.get(REGION, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="adjusted-table">')  # the table alone, kept apart
    assert "<html" not in fragment
    assert counted == {"released": 2, "rendered": 3}

    assert "Björkris skola" in first
    modelled.own_unit.name = "Björkris nya skola"
    modelled.own_unit.save()
    page = _page(member, REGION)
    assert counted == {"released": 3, "rendered": 4}
    assert "Björkris nya skola" in page
    assert not AuditEvent.objects.exists()  # nobody here reads student-level data

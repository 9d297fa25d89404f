"""The GR dependency map is rendered once per data version, viewer kind and choices; viewers
with rights to student-level data share with their own rights class only, and every request
of theirs is audited for the reads the rendering made, from the cache too."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.access.models import AuditEvent, Role
from likvard.analyses.completion import services as completion_services
from likvard.analyses.equity import services as equity_services
from likvard.analyses.movement import services
from likvard.quality.services import basis as basis_services
from likvard.warehouse import fragments
from likvard.warehouse.services import batch_import
from tests.app.analyses.conftest import warehouse  # noqa: F401 (fixture)
from tests.app.analyses.movement.conftest import movement_warehouse  # noqa: F401 (fixture)
from tests.app.conftest import World
from tests.app.opendata.conftest import region_world  # noqa: F401 (fixture)
from tests.app.quality.conftest import small_unit  # noqa: F401 (fixture)
from tests.factories.access import user_with_role
from tests.factories.warehouse import enrolment_file


@pytest.fixture
def computed(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = services.region_report

    def counting(**kwargs: object):  # type: ignore[no-untyped-def]
        calls.append(kwargs["viewer"].username)  # type: ignore[attr-defined]
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "region_report", counting)
    caches["default"].clear()
    return calls


def _get(user, url: str, **query: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url, query)
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.django_db
def test_the_map_is_rendered_once_per_viewer_kind_and_choices(
    movement_warehouse,  # noqa: F811
    computed: list[str],
):
    world: World = movement_warehouse.world
    url = reverse("movement:region", args=["gr"])
    coordinator = world.users["regional_coordinator"]
    colleague = user_with_role("samordnare2", Role.REGIONAL_COORDINATOR, region="gr")
    first = _get(coordinator, url)
    again = _get(colleague, url)  # another person of the same kind: no computation
    assert computed == ["samordnare"]
    assert again.replace("samordnare2", "samordnare") == first
    assert "dataversion v3" in first
    _get(colleague, url, year="2026")  # other choices: computed
    assert computed == ["samordnare", "samordnare2"]
    partial = Client()
    partial.force_login(coordinator)
    fragment = partial.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert fragment.strip() in first
    assert len(computed) == 2

    analyst = world.users["organizer_analyst"]  # rights to Kungsbacka's students: audited
    before = AuditEvent.objects.filter(username="analytiker").count()
    mine = _get(analyst, url)
    reads = AuditEvent.objects.filter(username="analytiker").count() - before
    assert reads > 0
    assert _get(analyst, url) == mine  # kept for the analyst's rights class: not decided again
    assert computed[2:] == ["analytiker"]
    assert AuditEvent.objects.filter(username="analytiker").count() - before == 2 * reads
    colleague_analyst = user_with_role(
        "analytiker3", Role.ORGANIZER_ANALYST, organizer=world.own.organisation_number
    )
    assert _get(colleague_analyst, url).replace("analytiker3", "analytiker") == mine
    assert AuditEvent.objects.filter(username="analytiker3").count() == reads
    _get(world.users["other_analyst"], url)  # another organizer's analyst: another class
    assert computed[2:] == ["analytiker", "analytiker2"]


@pytest.mark.django_db
def test_equity_basis_and_completion_region_pages_are_rendered_once_per_version_and_kind(
    region_world: World,  # noqa: F811
    monkeypatch,
    tmp_path,
):
    world = region_world
    calls: list[str] = []
    pages = (
        (equity_services, "region_equity_report"),
        (basis_services, "region_basis"),
        (completion_services, "completion_region_report"),
    )
    for module, name in pages:
        real = getattr(module, name)

        def counting(*args, _real=real, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(f"{_name}:{kwargs['viewer'].username}")
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)
    caches["default"].clear()
    coordinator = world.users["regional_coordinator"]
    colleague = user_with_role("samordnare2", Role.REGIONAL_COORDINATOR, region="gr")
    urls = [
        reverse("analyses:equity-region", args=["gr"]),
        reverse("quality:basis-region", args=["gr"]),
        reverse("analyses:completion-region", args=["gr"]),
    ]
    for url in urls:
        first = _get(coordinator, url)
        again = _get(colleague, url)
        assert again.replace("samordnare2", "samordnare") == first
    names = [name for _module, name in pages]
    assert calls == [f"{name}:samordnare" for name in names]

    path = tmp_path / "elever-ny.csv"  # a new data version: rendered anew
    enrolment_file(
        path, organizer=world.own.organisation_number, school_unit=world.own_unit.code,
        students=15, year="2025/26", seed=9,
    )  # fmt: skip
    batch_import(path=path, kind="enrolments", by=None, organizer=world.own)
    for url in urls:
        _get(colleague, url)
    assert calls[3:] == [f"{name}:samordnare2" for name in names]

    analyst = world.users["organizer_analyst"]  # rights to Kungsbacka's students: audited
    for url in urls:
        before = AuditEvent.objects.filter(username="analytiker").count()
        first = _get(analyst, url)
        reads = AuditEvent.objects.filter(username="analytiker").count() - before
        assert _get(analyst, url) == first
        assert AuditEvent.objects.filter(username="analytiker").count() - before == 2 * reads
    assert calls[6:] == [f"{name}:analytiker" for name in names]  # once each: kept


@pytest.mark.django_db
def test_a_kept_map_page_skips_its_filter_choices_and_keeps_its_form(
    movement_warehouse,  # noqa: F811
    computed: list[str],
    monkeypatch,
):
    world: World = movement_warehouse.world
    asked: list[int] = []
    real = services.filter_choices

    def counting():  # type: ignore[no-untyped-def]
        asked.append(1)
        return real()

    monkeypatch.setattr(services, "filter_choices", counting)
    url = reverse("movement:region", args=["gr"])
    coordinator = world.users["regional_coordinator"]
    colleague = user_with_role("samordnare2", Role.REGIONAL_COORDINATOR, region="gr")
    first = _get(coordinator, url, year="2026")
    assert len(asked) == 1
    again = _get(colleague, url, year="2026")  # kept: no choices read, no form validated
    assert len(asked) == 1
    assert again.replace("samordnare2", "samordnare") == first
    assert re.search(r'<option value="2026"[^>]*selected', again)
    client = Client()
    client.force_login(colleague)
    assert client.get(url, {"year": "1999"}).status_code == 400  # never kept: validated
    assert computed == ["samordnare"]


@pytest.mark.django_db
def test_a_deploy_within_a_data_version_renders_anew(
    movement_warehouse,  # noqa: F811
    computed: list[str],
    settings,
):
    world: World = movement_warehouse.world
    url = reverse("movement:region", args=["gr"])
    coordinator = world.users["regional_coordinator"]
    settings.LIKVARD_RENDER_VERSION = "release-1"
    _get(coordinator, url)
    _get(coordinator, url)
    assert computed == ["samordnare"]
    settings.LIKVARD_RENDER_VERSION = "release-2"  # new code or templates, same data version
    _get(coordinator, url)
    assert computed == ["samordnare", "samordnare"]


def test_the_derived_render_version_follows_code_and_templates(tmp_path, settings):
    package = tmp_path / "likvard"
    (package / "templates").mkdir(parents=True)
    page = package / "templates" / "page.html"
    page.write_text("<p>{{ a }}</p>")
    (package / "views.py").write_text("X = 1\n")
    first = fragments.code_version([package])
    assert fragments.code_version([package]) == first
    (package / "views.cpython-311.pyc").write_bytes(b"compiled")  # not code we read
    assert fragments.code_version([package]) == first
    page.write_text("<p>{{ b }}</p>")
    assert fragments.code_version([package]) != first
    settings.LIKVARD_RENDER_VERSION = ""
    derived = fragments.render_version()
    assert derived.startswith("0.1.0+")
    assert fragments.render_version() == derived  # once per process
    settings.LIKVARD_RENDER_VERSION = "deploy-7"
    assert fragments.render_version() == "deploy-7"


@pytest.mark.django_db
def test_reads_of_figures_kept_inside_a_kept_fragment_are_kept_with_it(world: World):
    # A fragment rendered from kept figures (figures_cached_keyed inside fragments_cached)
    # keeps the figures' reads too, whether computed or replayed from the figures' cache.
    from likvard.access.audit import AuditedRead, audit_reads_recorded, audit_reads_replay
    from likvard.access.policy import viewer_for

    read = AuditedRead("read", "unit:1", "test", "v1", "web")
    viewer = viewer_for(world.users["organizer_analyst"])
    with audit_reads_recorded() as outer:
        with audit_reads_recorded() as inner:
            audit_reads_replay(viewer=viewer, reads=[read])
        assert inner == [read]
    assert outer == [read]

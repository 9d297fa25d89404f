"""The planning report and page on the small warehouse: figures computed by hand."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from likvard.access.policy import viewer_for
from likvard.analyses.planning.services.report import planning_report
from tests.app.analyses.planning.conftest import PlanningWorld
from tests.app.analyses.planning.factories import scenario_change

pytestmark = pytest.mark.django_db


def _rows(report) -> dict[tuple[int, str], dict[str, object]]:
    return {(r["year"], r["programme_code"]): r for r in report.supply_demand.rows()}


def test_report_by_hand(planning_world: PlanningWorld):
    world = planning_world.world
    viewer = viewer_for(world.users["regional_coordinator"])
    report = planning_report(viewer=viewer, region=world.region)
    assert report.from_year == 2024
    assert [t.year for t in report.totals] == list(range(2024, 2035))
    assert all(t.cohort == pytest.approx(60) for t in report.totals)
    assert report.transition_rate == pytest.approx(42 / 60)
    rows = _rows(report)
    assert report.years == list(range(2025, 2035))
    assert rows[(2025, "NA")]["supply"] == 30  # last year's first-year students
    assert rows[(2025, "NA")]["demand"] == pytest.approx(30)
    assert rows[(2025, "EE")]["demand"] == pytest.approx(12)
    assert rows[(2025, "EE")]["status"] == "exists"
    expected = {(r["year"], r["programme_code"], r["school_municipality_code"]): r
                for r in report.expected.rows()}  # fmt: skip
    # 60 · 0,7 = 42 expected first-year students: 40 · 0,7 in NA in Kungsbacka, 20 · 0,7 in EE.
    assert expected[(2025, "NA", "1384")]["expected_students"] == pytest.approx(28)
    assert expected[(2025, "EE", "1481")]["expected_students"] == pytest.approx(14)


def test_scenario_effect_on_the_report(planning_world: PlanningWorld):
    world = planning_world.world
    scenario_change(world, planning_world.other_upper, places=30)  # +30 EE from 2026
    report = planning_report(
        viewer=viewer_for(world.users["organizer_analyst"]), region=world.region
    )
    rows = _rows(report)
    assert rows[(2025, "EE")]["scenario_change"] == 0
    assert rows[(2026, "EE")]["scenario_supply"] == 12 + 30
    assert rows[(2026, "EE")]["scenario_gap"] == pytest.approx(30)
    assert sum(r["scenario_change"] for r in rows.values()) == 30 * 9  # 2026-2034


def test_coordinator_adds_a_scenario_change_on_the_page(planning_world: PlanningWorld):
    world = planning_world.world
    client = Client()
    client.force_login(world.users["regional_coordinator"])
    page = client.get(reverse("planning:region", kwargs={"code": "gr"}))
    assert page.status_code == 200
    assert page.context["scenario_form"] is not None
    content = page.content.decode()
    assert "Framskrivna 16-åringar i regionen per år" in content
    assert 'id="forecast-chart"' in content
    assert 'id="supply-table"' in content
    data = {"scenario-school_unit": planning_world.other_upper.pk, "scenario-programme": "EE",
            "scenario-from_year": 2027, "scenario-places": 30}  # fmt: skip
    response = client.post(reverse("planning:scenario-add", kwargs={"code": "gr"}), data)
    assert response.status_code == 302
    report = client.get(reverse("planning:region", kwargs={"code": "gr"})).context["report"]
    rows = _rows(report)
    assert rows[(2026, "EE")]["scenario_change"] == 0
    assert rows[(2027, "EE")]["scenario_gap"] == pytest.approx(30)
    change = report.changes[0]
    removed = client.post(
        reverse("planning:scenario-remove", kwargs={"code": "gr", "pk": change.pk})
    )
    assert removed.status_code == 302
    assert (
        client.get(reverse("planning:region", kwargs={"code": "gr"})).context["report"].changes
        == []
    )


def test_only_the_coordinator_changes_the_scenario(planning_world: PlanningWorld):
    world = planning_world.world
    client = Client()
    client.force_login(world.users["organizer_analyst"])
    page = client.get(reverse("planning:region", kwargs={"code": "gr"}))
    assert page.status_code == 200
    assert page.context["scenario_form"] is None
    data = {"scenario-school_unit": planning_world.own_upper.pk, "scenario-programme": "NA",
            "scenario-from_year": 2027, "scenario-places": 30}  # fmt: skip
    response = client.post(reverse("planning:scenario-add", kwargs={"code": "gr"}), data)
    assert response.status_code == 403


def test_api_returns_released_rows(planning_world: PlanningWorld):
    client = Client()
    client.force_login(planning_world.world.users["principal"])
    response = client.get("/api/v1/planning/regions/gr/supply-demand")
    assert response.status_code == 200
    rows = {(r["year"], r["programme_code"]): r for r in response.json()}
    assert rows[(2025, "NA")]["supply"] == 30
    forecast = client.get("/api/v1/planning/regions/gr/forecast?from_year=2024").json()
    assert {r["municipality_code"] for r in forecast} == {"1384", "1481"}
    assert client.get("/api/v1/planning/regions/finns-inte/forecast").status_code == 404


def test_report_is_computed_once_per_class_until_the_scenario_changes(
    planning_world: PlanningWorld, monkeypatch
):
    from likvard.analyses.planning.services import report as module

    calls: list[str] = []
    real = module._aggregates

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append("decided")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "_aggregates", counting)
    world = planning_world.world
    analyst = viewer_for(world.users["organizer_analyst"])
    first = planning_report(viewer=analyst, region=world.region)
    again = planning_report(viewer=analyst, region=world.region)  # kept: not decided again
    assert calls == ["decided"]
    assert again.supply_demand.rows() == first.supply_demand.rows()
    scenario_change(world, planning_world.other_upper, places=30)  # saved since: anew
    changed = planning_report(viewer=analyst, region=world.region)
    assert calls == ["decided", "decided"]
    assert _rows(changed)[(2026, "EE")]["scenario_change"] == 30

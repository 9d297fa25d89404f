"""Adjusted results (year 9 and upper secondary): services, pages, XLSX and API."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from likvard.access.models import AuditEvent
from likvard.access.policy import viewer_for
from likvard.analyses.adjusted import services
from tests.app.conftest import World


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stage", "outcomes"),
    [
        (services.Stage.YEAR9, ("merit_value", "share_passing_all")),
        (services.Stage.UPPER_SECONDARY, ("share_diploma", "grade_point_average")),
    ],
)
def test_owner_sees_the_model_value_in_full(modelled: World, stage, outcomes):
    viewer = viewer_for(modelled.users["organizer_analyst"])
    for outcome in outcomes:
        report = services.adjusted_organizer_report(
            viewer=viewer, organizer=modelled.own, stage=stage, outcome=outcome
        )
        assert report.results.full
        [row] = report.results.rows()
        assert row["school_unit_code"] == modelled.own_unit.code
        assert row["residual"] == pytest.approx(row["actual"] - row["model_value"])
        assert row["prediction_low"] < row["model_value"] < row["prediction_high"]
        assert report.diagnostics
        assert report.diagnostics[0].schools > 20
        assert report.diagnostics[0].coefficients[0][0] == "const"
    assert AuditEvent.objects.filter(purpose=f"adjusted.organizer.{stage.value}").exists()


@pytest.mark.django_db
def test_upper_secondary_strata_are_programme_types(modelled: World):
    viewer = viewer_for(modelled.users["regional_coordinator"])
    report = services.adjusted_region_report(
        viewer=viewer, region=modelled.region, stage=services.Stage.UPPER_SECONDARY
    )
    assert not report.results.full
    assert {d.stratum for d in report.diagnostics} == {"preparatory"}
    [row] = report.results.rows()
    assert row["programme_type"] == "preparatory"
    assert row["status"] == "exists"  # 30+ students: shown, though not the viewer's own
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_an_outcome_of_the_other_stage_is_refused(modelled: World):
    viewer = viewer_for(modelled.users["organizer_analyst"])
    with pytest.raises(ValueError, match="not an outcome"):
        services.adjusted_organizer_report(
            viewer=viewer, organizer=modelled.own, stage=services.Stage.YEAR9,
            outcome="share_diploma",
        )  # fmt: skip


@pytest.mark.django_db
def test_pages_show_table_chart_model_and_export(modelled: World):
    client = _client(modelled, "organizer_analyst")
    url = reverse(
        "analyses:adjusted-upper-secondary-organizer", kwargs={"organisation_number": "2120001256"}
    )
    page = client.get(url, {"outcome": "grade_point_average"}).content.decode()
    assert 'id="results-table"' in page
    assert 'data-vega-spec="residual-chart"' in page
    assert 'id="model-table"' in page
    assert "Björkris skola" in page
    assert "2250" in page.replace("\u00a0", "").replace(" ", "").replace(",", "")
    bad = client.get(url, {"outcome": "merit_value"})
    assert bad.status_code == 400
    response = client.get(url, {"outcome": "share_diploma", "format": "xlsx"})
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Resultat", "Modell"]
    header = [c.value for c in next(workbook["Modell"].iter_rows(max_row=1))]
    assert header[:3] == ["school_year", "stratum", "schools"]
    assert workbook["Modell"].max_row == 1 + 4  # one model, four terms
    year9 = reverse("analyses:adjusted-year9-region", kwargs={"code": "gr"})
    assert "meritvärde" in client.get(year9).content.decode().lower()


@pytest.mark.django_db
def test_api_returns_results_and_diagnostics(modelled: World):
    client = _client(modelled, "organizer_analyst")
    body = client.get(
        "/api/v1/analyses/adjusted/upper-secondary/organizers/2120001256",
        {"outcome": "share_diploma"},
    ).json()
    assert body["results"]["full"] is True
    [row] = body["results"]["rows"]
    assert 0 <= row["actual"] <= 1
    [fit] = body["diagnostics"]
    assert fit["stratum"] == "preparatory"
    assert [c[0] for c in fit["coefficients"]] == [
        "const", "parents_education", "share_boys", "share_newly_arrived",
    ]  # fmt: skip
    year9 = client.get("/api/v1/analyses/adjusted/year9/regions/gr").json()
    assert year9["outcome"] == "merit_value"
    assert client.get("/api/v1/analyses/adjusted/year9/regions/finns-inte").status_code == 404

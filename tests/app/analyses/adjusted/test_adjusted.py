"""Adjusted results (year 9 and upper secondary): services, pages, XLSX and API."""

from __future__ import annotations

import re
import subprocess
from io import BytesIO

import pandas as pd
import pyarrow as pa
import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from likvard.access.models import AuditEvent
from likvard.access.policy import viewer_for
from likvard.analyses.adjusted import services
from likvard.organisations.selectors import SchoolUnitName
from likvard_core.analytics.adjusted.model import Outcome
from likvard_core.analytics.adjusted.reasons import with_deviation
from likvard_core.analytics.adjusted.salsa import LAYOUT
from likvard_core.analytics.adjusted.table import ModelFit
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from tests.app.conftest import World
from tests.factories.organisations import SchoolUnitFactory


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
    assert header[:4] == ["Läsår", "Programtyp", "Modell", "Skolor i modellen"]
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
    assert fit["model"] == "fractional_logit"
    assert fit["term_labels"] == [
        "Konstant", "Föräldrarnas utbildningsnivå", "Andel pojkar", "Andel nyanlända elever",
    ]  # fmt: skip
    assert [c[0] for c in fit["coefficients"]] == [
        "const", "parents_education", "share_boys", "share_newly_arrived",
    ]  # fmt: skip
    year9 = client.get("/api/v1/analyses/adjusted/year9/regions/gr").json()
    assert year9["outcome"] == "merit_value"
    assert client.get("/api/v1/analyses/adjusted/year9/regions/finns-inte").status_code == 404


def _hand_fit(rows: list[dict], organizer: str) -> ModelFit:
    """A year-9 fit of hand-made rows, classified by the core's one classification."""
    frame = pd.DataFrame(rows).assign(
        parents_education=2.0, share_boys=0.5, share_newly_arrived=0.1, background_coverage=1.0
    )
    frame = frame.assign(residual=frame["actual"] - frame["model_value"])
    frame = with_deviation(frame, outcome=Outcome.MERIT_VALUE)
    table = pa.Table.from_pandas(
        frame.reindex(columns=LAYOUT.schema.names), schema=LAYOUT.schema, preserve_index=False
    )
    units = sorted(set(frame["school_unit_code"]))
    aggregate = Aggregate(
        table=table, dims=LAYOUT.dims, count="n_students", values=LAYOUT.values,
        population=Population(
            scope="test", organizers=frozenset({organizer}), level=Level.SCHOOL_UNIT,
            school_units=frozenset(units),
        ),
        data_version="test",
    )  # fmt: skip
    return ModelFit(aggregate, (), dict.fromkeys(units, frozenset({organizer})), "test")


def _row(code: str, year: int, actual: float, in_model: bool, n: int = 40) -> dict:
    return {
        "school_unit_code": code, "school_year": year, "n_students": n, "actual": actual,
        "model_value": 198.0, "prediction_low": 168.0, "prediction_high": 228.0,
        "in_model": in_model,
    }  # fmt: skip


@pytest.mark.django_db
def test_table_chart_and_export_share_one_classification(world: World, monkeypatch):
    """A school outside the model, far below its interval (Fullriggaren Malevik 2015/16 at
    −48), is "Utanför modellen" in the table, the chart and the workbook alike."""
    code = world.own_unit.code
    fit = _hand_fit(
        [_row(code, 2016, 150.0, False, n=12), _row(code, 2017, 150.0, True),
         _row(code, 2018, 200.0, True)],
        world.own.organisation_number,
    )  # fmt: skip
    monkeypatch.setattr(services, "_fit", lambda *args: fit)
    viewer = viewer_for(world.users["organizer_analyst"])
    report = services.adjusted_organizer_report(
        viewer=viewer, organizer=world.own, stage=services.Stage.YEAR9,
        query=services.TableQuery(year=2016),
    )  # fmt: skip
    assert [r.assessment_label for r in report.rows] == [
        "Utanför modellen", "Under intervallet", "Inom intervallet",
    ]  # fmt: skip
    [point] = report.chart["data"]["values"]  # type: ignore[index]
    assert point["bedömning"] == "Utanför modellen"
    assert point["avvikelse"] == pytest.approx(-48.0)
    response = _client(world, "organizer_analyst").get(
        reverse("analyses:adjusted-year9-organizer", kwargs={"organisation_number": "2120001256"}),
        {"format": "xlsx"},
    )
    sheet = load_workbook(BytesIO(response.content))["Resultat"]
    header = [c.value for c in sheet[1]]
    column = header.index("Bedömning")
    assert [sheet.cell(row=r, column=column + 1).value for r in (2, 3, 4)] == [
        "Utanför modellen", "Under intervallet", "Inom intervallet",
    ]  # fmt: skip


@pytest.mark.django_db
def test_workbook_has_swedish_headers_number_formats_and_a_frozen_header(modelled: World):
    client = _client(modelled, "organizer_analyst")
    url = reverse("analyses:adjusted-year9-organizer", kwargs={"organisation_number": "2120001256"})
    workbook = load_workbook(
        BytesIO(client.get(url, {"outcome": "share_passing_all", "format": "xlsx"}).content)
    )
    sheet = workbook["Resultat"]
    header = [c.value for c in sheet[1]]
    assert header == [
        "Skolenhet", "Skolenhetskod", "Kommun", "Läsår", "Elever", "Resultat", "Modellvärde",
        "Skillnad (procentenheter)", "95 %-intervall, nedre", "95 %-intervall, övre",
        "I modellen", "Bedömning",
    ]  # fmt: skip
    assert sheet.freeze_panes == "A2"
    first = {h: sheet.cell(row=2, column=i + 1) for i, h in enumerate(header)}
    assert first["Skolenhet"].value == "Björkris skola"
    assert first["Skolenhetskod"].value == "65390344"
    assert first["Resultat"].number_format == "0%"
    assert 0 <= first["Resultat"].value <= 1
    assert first["I modellen"].value in ("Ja", "Nej")
    model = workbook["Modell"]
    assert model.freeze_panes == "A2"
    terms = [model.cell(row=r, column=9).value for r in range(2, 6)]
    assert terms == [
        "Konstant", "Föräldrarnas utbildningsnivå", "Andel pojkar", "Andel nyanlända elever",
    ]  # fmt: skip


@pytest.mark.django_db
def test_page_names_model_terms_in_swedish(modelled: World):
    client = _client(modelled, "organizer_analyst")
    url = reverse("analyses:adjusted-year9-organizer", kwargs={"organisation_number": "2120001256"})
    page = client.get(url, {"outcome": "share_passing_all"}).content.decode()
    assert "Föräldrarnas utbildningsnivå" in page
    assert "Andel pojkar" in page
    for code in ("parents_education", "share_boys", "const "):
        assert code not in page.split('id="model-table"')[1].split("</table>")[0]


@pytest.mark.django_db
def test_region_table_is_filtered_and_paged_on_the_server(world: World, monkeypatch):
    municipality = world.own_unit.municipality
    units = [
        SchoolUnitFactory(code=f"{60000000 + i}", name=f"Skola {i:02d}", organizer=world.own,
                          municipality=municipality)
        for i in range(30)
    ]  # fmt: skip
    rows = [_row(u.code, 2018, 200.0 + i / 2, True) for i, u in enumerate(units)]
    rows.append(_row(world.other_unit.code, 2018, 260.0, True))
    fit = _hand_fit(rows, world.own.organisation_number)
    monkeypatch.setattr(services, "_fit", lambda *args: fit)
    client = _client(world, "administrator")
    url = reverse("analyses:adjusted-year9-region", kwargs={"code": "gr"})
    page = client.get(url).content.decode()
    assert page.count('<tr>\n      <th scope="row"><a href="/justerade-resultat/') == 25 + 1
    assert "31 rader, sida 1 av 2" in page
    assert "Mölndalsskolan" in page.split('id="standouts-table"')[1]  # 260 is above 228
    second = client.get(url, {"page": 2}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in second
    assert "sida 2 av 2" in second
    assert second.count('<th scope="row">') == 6
    only = client.get(url, {"municipality": "1481"}).content.decode()
    assert "1 rad" in only.split('id="adjusted-table"')[1]


@pytest.mark.django_db
def test_school_page_shows_its_years(modelled: World):
    client = _client(modelled, "organizer_analyst")
    url = reverse("analyses:adjusted-year9-school", kwargs={"code": modelled.own_unit.code})
    page = client.get(url).content.decode()
    assert "<h1>Björkris skola</h1>" in page
    assert 'data-vega-spec="school-chart"' in page
    assert 'id="results-table"' in page
    workbook = load_workbook(BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert workbook["Resultat"]["A2"].value == "Björkris skola"
    missing = reverse("analyses:adjusted-year9-school", kwargs={"code": "99999999"})
    assert client.get(missing).status_code == 404


def test_unit_names_are_a_selector_value():
    assert SchoolUnitName("1", "A", "1384", "Kungsbacka").municipality == "Kungsbacka"


@pytest.mark.django_db
@pytest.mark.database_neutral  # the page layout; the views' queries run on PostgreSQL above
def test_pdf_fits_a4_landscape(modelled: World, tmp_path):
    client = _client(modelled, "organizer_analyst")
    url = reverse(
        "analyses:adjusted-upper-secondary-organizer", kwargs={"organisation_number": "2120001256"}
    )
    response = client.get(url, {"format": "pdf", "year": "all"})
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "adjusted.pdf"
    path.write_bytes(response.content)
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout  # fmt: skip
    assert "Björkris" in out
    assert "Programtyp" in out
    pages = re.findall(r'<page width="([\d.]+)".*?</page>', out, flags=re.DOTALL)
    widths = [float(w) for w in pages]
    assert max(widths) > 800  # the wide results table is set on landscape pages
    for page in re.finditer(r'<page width="([\d.]+)"(.*?)</page>', out, flags=re.DOTALL):
        right = max((float(x) for x in re.findall(r'xMax="([\d.]+)"', page.group(2))), default=0)
        assert right <= float(page.group(1)) - 30  # nothing crosses the right margin


def test_model_table_shows_a_dash_for_a_term_without_a_p_value():
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    terms = (("const", 94.4, 52.3, 0.213), ("share_newly_arrived", 0.0, 0.0, float("nan")))
    fit = SimpleNamespace(
        school_year=2017, stratum="", schools=40, r_squared=0.5, residual_std_error=12.0,
        coefficients=terms,
    )  # fmt: skip
    html = render_to_string(
        "analyses/adjusted/_model.html", {"report": SimpleNamespace(diagnostics=[fit])}
    )
    assert "p 0,213" in html
    assert "nan" not in html
    assert "p –" in html


def test_region_pdf_starts_its_chart_on_page_one(modelled: World):
    """Page 1 of the region's PDF held only its title and counts: the standouts' table is wide
    (a landscape page of its own) and the chart came after it (#16). The chart now comes first."""
    import pdfplumber

    client = _client(modelled, "regional_coordinator")
    url = reverse("analyses:adjusted-year9-region", kwargs={"code": modelled.region.code})
    response = client.get(url, {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(BytesIO(response.content)) as pdf:
        first = pdf.pages[0]
        drawn = len(first.lines) + len(first.rects) + len(first.curves) + len(first.images)
        assert drawn > 10, (drawn, first.extract_text())


def test_the_school_chart_names_the_year_alone_on_its_axis():
    """The year and the programme type together ("2017/18 Högskoleförberedande program") were
    cut on the axis at 1280 and 390 px: the axis names the school year alone, and an upper
    secondary school's programme types stand side by side in each year, told apart by shape
    with a legend (under the assessments', not beside it past a phone's edge)."""
    from types import SimpleNamespace as Ns

    from likvard.analyses.adjusted.charts import school_chart

    def row(year: int, programme: str):
        return Ns(
            hidden=False, actual=0.8, model_value=0.75, low=0.5, high=1.0,
            year_label=f"{year - 1}/{str(year)[2:]}", programme_label=programme,
            assessment_label="Inom intervallet",
        )  # fmt: skip

    programmes = ("Högskoleförberedande program", "Yrkesprogram")
    rows = [row(year, p) for year in (2018, 2019) for p in programmes]
    spec = school_chart(rows, outcome=Outcome.SHARE_DIPLOMA)
    values = spec["data"]["values"]
    assert {v["läsår"] for v in values} == {"2017/18", "2018/19"}
    assert {v["program"] for v in values} == set(programmes)
    result = spec["layer"][-1]["encoding"]
    assert result["xOffset"]["field"] == "program"
    assert result["shape"]["field"] == "program"
    assert all(layer["encoding"].get("xOffset") for layer in spec["layer"])
    assert spec["config"]["legend"]["layout"]["bottom"]["direction"] == "vertical"
    year9 = school_chart([row(2018, "")], outcome=Outcome.SHARE_DIPLOMA)
    assert "xOffset" not in year9["layer"][-1]["encoding"]
    assert "shape" not in year9["layer"][-1]["encoding"]

"""Equity pages, XLSX exports, the JSON API and the CLI over the same small warehouse."""

from __future__ import annotations

from io import BytesIO

import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from likvard.cli.analyses import equity
from tests.app.conftest import World


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.mark.django_db
def test_published_region_page_shows_table_chart_and_limits(warehouse: World):
    url = reverse("analyses:equity-published-region", kwargs={"code": "gr"})
    page = _client(warehouse, "regional_coordinator").get(url).content.decode()
    assert "Kungsbacka" in page
    assert "Mölndal" in page
    assert 'data-vega-spec="gap-chart"' in page
    assert 'id="trend-table"' in page
    assert "Vad jämförelsen kan och inte kan visa" in page
    assert "1,5" in page  # Kungsbacka's change per year, with a decimal comma


@pytest.mark.django_db
def test_htmx_filter_returns_the_fragment(warehouse: World):
    url = reverse("analyses:equity-published-region", kwargs={"code": "gr"})
    response = _client(warehouse, "network_member").get(
        url, {"subject": "Engelska"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "Engelska" in page


@pytest.mark.django_db
def test_bad_filter_is_a_400_in_swedish(warehouse: World):
    url = reverse("analyses:equity-published-region", kwargs={"code": "gr"})
    response = _client(warehouse, "network_member").get(url, {"subject": "Latin"})
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kwargs", "sheets"),
    [
        ("analyses:equity-published-municipality", {"code": "1384"}, ["Per år", "Trend"]),
        ("analyses:equity-published-region", {"code": "gr"}, ["Per år", "Trend", "Alla kommuner"]),
        ("analyses:equity-school", {"code": "65390344"}, ["Per år", "Mönster"]),
        ("analyses:equity-organizer", {"organisation_number": "2120001256"}, ["Per år", "Mönster"]),
        ("analyses:equity-region", {"code": "gr"}, ["Per år"]),
    ],
)
def test_every_table_exports_to_xlsx(warehouse: World, name, kwargs, sheets):
    response = _client(warehouse, "organizer_analyst").get(
        reverse(name, kwargs=kwargs), {"format": "xlsx"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == sheets
    header = [c.value for c in next(workbook[sheets[0]].iter_rows(max_row=1))]
    assert "status" in header or "Status" in header
    assert workbook[sheets[0]].freeze_panes == "A2"


@pytest.mark.django_db
def test_student_workbooks_have_swedish_headers_names_and_number_formats(warehouse: World):
    url = reverse("analyses:equity-school", kwargs={"code": "65390344"})
    response = _client(warehouse, "organizer_analyst").get(url, {"format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content))["Per år"]
    header = [c.value for c in sheet[1]]
    assert not {"school_unit_code", "share_higher", "status", "subject_code"} & set(header)
    row = dict(zip(header, sheet[2], strict=False))
    assert row["Skolenhet"].value == "Björkris skola"
    assert row["Ämne eller kurs"].value == "Matematik"
    assert row["Läsår"].value == "2024/25"
    assert row["Högre betyg än prov (andel)"].number_format == "0%"
    assert isinstance(row["Högre betyg än prov (andel)"].value, float)
    assert row["Elever"].number_format == "#,##0"


@pytest.mark.django_db
def test_school_page_shows_the_reason(warehouse: World):
    url = reverse("analyses:equity-school", kwargs={"code": "65390344"})
    page = _client(warehouse, "organizer_analyst").get(url).content.decode()
    assert "högre slutbetyg än provbetyg" in page
    assert 'id="yearly-table"' in page


@pytest.mark.django_db
def test_the_yearly_table_names_its_subject_and_group(warehouse: World):
    """The caption said only "Slutbetyg jämfört med provbetyg, senaste läsåret först": not
    which subject or course and group the rows are of (chosen in the form above it)."""
    url = reverse("analyses:equity-school", kwargs={"code": "65390344"})
    client = _client(warehouse, "organizer_analyst")
    page = client.get(url, {"subject": "MA", "group": "girls"}).content.decode()
    caption = page.split('id="yearly-table"')[1].split("</caption>")[0]
    assert "Slutbetyg jämfört med provbetyg i Matematik, grupp: Flickor, per läsår" in caption


@pytest.mark.django_db
def test_api_returns_the_same_figures(warehouse: World):
    client = _client(warehouse, "organizer_analyst")
    body = client.get("/api/v1/analyses/equity/published/municipalities/1384").json()
    rows = {(r["subject"], r["school_year"]): r for r in body["yearly"]["rows"]}
    assert rows[("Matematik", 2024)]["gap_pass"] == pytest.approx(3.0)
    school = client.get("/api/v1/analyses/equity/school-units/65390344").json()
    assert school["yearly"]["full"] is True
    assert any(r["flag_higher"] for r in school["yearly"]["rows"])
    region = client.get("/api/v1/analyses/equity/regions/gr").json()
    assert region["distribution"][0]["schools"] == 2
    trends = client.get("/api/v1/analyses/equity/published/trends").json()
    assert {r["area_code"] for r in trends["rows"]} == {"1384", "1481"}
    missing = client.get("/api/v1/analyses/equity/school-units/99999999")
    assert missing.status_code == 404


@pytest.mark.django_db
def test_cli_writes_csv_and_xlsx(warehouse: World, tmp_path):
    runner = CliRunner()
    result = runner.invoke(equity, ["published", "--municipality", "1384"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("area_code;organizer_type;subject;school_year")
    assert any(line.startswith("1384;all;Matematik;2024;1050;90,0;") for line in lines)
    target = tmp_path / "ut.xlsx"
    result = runner.invoke(equity, ["published", "--trends", "--format", "xlsx", "-o", str(target)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(target)["Trend"]
    assert sheet.max_row >= 4


@pytest.mark.django_db
def test_organizer_page_puts_units_side_by_side(warehouse: World):
    url = reverse("analyses:equity-organizer", kwargs={"organisation_number": "2120001256"})
    page = _client(warehouse, "organizer_analyst").get(url).content.decode()
    assert 'data-vega-spec="shares-chart"' in page
    assert "Kungsbacka kommun" in page
    assert "Bj\\u00f6rkris skola" in page  # one dot per unit, by name (JSON-escaped)
    assert "Det här sticker ut" in page
    assert '"width": "container"' in page


@pytest.mark.django_db
def test_school_page_by_grade_year(warehouse: World):
    client = _client(warehouse, "organizer_analyst")
    url = reverse("analyses:equity-school", kwargs={"code": "65390344"})
    year9 = client.get(url, {"grade_year": "9"}).content.decode()
    assert 'id="yearly-table"' in year9
    year6 = client.get(url, {"grade_year": "6"})
    assert year6.status_code == 200
    assert 'id="yearly-table"' not in year6.content.decode()  # only year-9 grades imported
    assert client.get(url, {"grade_year": "7"}).status_code == 400
    api = client.get("/api/v1/analyses/equity/school-units/65390344", {"grade_year": 6}).json()
    assert api["yearly"]["rows"] == []
    bad = client.get("/api/v1/analyses/equity/school-units/65390344", {"grade_year": 7})
    assert bad.status_code == 422


@pytest.mark.django_db
def test_published_page_without_figures_names_the_import_kind_in_swedish(world: World):
    url = reverse("analyses:equity-published-region", kwargs={"code": "gr"})
    page = _client(world, "regional_coordinator").get(url).content.decode()
    assert "Officiell statistik från Skolverket" in page
    assert "public_stats" not in page

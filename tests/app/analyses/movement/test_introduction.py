"""The introduction-programme follow-up on the municipality page, its XLSX sheet and the API
(fixture ``introduction_world``: 12 IMV students in 2024/25, next year 6 NA, 4 IMV, 2 gone)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from tests.app.conftest import World
from tests.documents import deck_table_cells

pytestmark = pytest.mark.django_db


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def test_page_shows_chart_and_table_in_full_for_the_own_organizer(introduction_world):
    client = _client(introduction_world, "organizer_analyst")
    response = client.get(reverse("movement:municipality", args=["1384"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-vega-spec="introduction-chart-spec"' in html
    assert 'id="introduction-table"' in html
    assert "Introduktionsprogram: var eleverna är året efter" in html
    row = html[html.index('id="introduction-table"') :]
    assert "<td>2024/25</td>" in row
    assert '<td class="num">12</td>' in row
    assert "50,0" in row  # 6 of 12 on a national programme
    assert "33,3" in row  # 4 of 12 still on IMV
    assert "16,7" in row  # 2 of 12 left


def test_others_see_the_small_group_hidden(introduction_world):
    client = _client(introduction_world, "other_analyst")
    response = client.get(reverse("movement:municipality", args=["1384"]))
    row = response.content.decode().split('id="introduction-table"')[1]
    assert '<td class="num">12</td>' in row  # the total is not small
    assert '<td class="num">..</td>' in row  # the two who left, and what would reveal them
    assert '<td class="num">2</td>' not in row


def test_xlsx_sheet_and_api(introduction_world):
    client = _client(introduction_world, "organizer_analyst")
    url = reverse("movement:municipality", args=["1384"])
    workbook = load_workbook(BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert "Introduktionsprogram" in workbook.sheetnames
    sheet = workbook["Introduktionsprogram"]
    header = next(sheet.iter_rows(values_only=True))
    assert header[:4] == ("Läsår", "Hemkommun", "Hemkommun (kod)", "Program")
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Lämnat gymnasieskolan" in values
    assert "Totalt" in values  # the null total of every outcome, named
    assert "left" not in values
    body = client.get("/api/v1/movement/municipalities/1384").json()
    rows = body["introduction_followup"]["rows"]
    counts = {
        r["outcome"]: r["n"]
        for r in rows
        if r["home_municipality_code"] == "1384" and r["programme_code"] == "IMV"
    }
    assert counts == {None: 12, "national": 6, "introduction": 4, "left": 2}  # None: total


def test_municipality_slides_carry_the_followup_chart_and_table(introduction_world):
    client = _client(introduction_world, "organizer_analyst")
    url = reverse("movement:municipality", args=["1384"])
    deck = Presentation(BytesIO(client.get(url, {"format": "pptx"}).content))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    heading = "Introduktionsprogram: var eleverna är året efter"
    assert titles.count(heading) == 2  # the chart, then the table
    chart_slide = next(s for s in deck.slides if s.shapes.title.text == heading)
    assert any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in chart_slide.shapes)
    cells = deck_table_cells(deck)
    row = cells[cells.index("2024/25") :][:6]
    assert row[1].startswith("IMV")
    assert row[2:] == ["12", "6 (50,0 %)", "4 (33,3 %)", "2 (16,7 %)"]


def test_others_get_the_small_group_hidden_on_the_slides_too(introduction_world):
    client = _client(introduction_world, "other_analyst")
    url = reverse("movement:municipality", args=["1384"])
    deck = Presentation(BytesIO(client.get(url, {"format": "pptx"}).content))
    cells = deck_table_cells(deck)
    row = cells[cells.index("2024/25") :][:6]
    assert row[2] == "12"
    assert ".." in row[3:]
    assert "2 (16,7 %)" not in row

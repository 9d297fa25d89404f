"""Movement pages, exports and API against the small warehouse."""

from __future__ import annotations

import random
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pptx import Presentation

from likvard.organisations.models import Programme
from likvard.warehouse.services import batch_import
from tests.app.analyses.movement.conftest import ADMISSION_HEADER
from tests.factories.warehouse import personnummer

pytestmark = pytest.mark.django_db


def _client(movement_warehouse, role: str = "regional_coordinator") -> Client:
    client = Client()
    client.force_login(movement_warehouse.world.users[role])
    return client


def test_region_page_shows_map_sankey_and_matrix(movement_warehouse):
    response = _client(movement_warehouse).get(reverse("movement:region", args=["gr"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-vega-spec="movement-map-spec"' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="sankey" role="img"' in html
    assert 'id="matrix-table"' in html
    assert "40,0" in html  # Kungsbacka: 20 of 50 with another organizer, Swedish decimal comma
    assert "Elevströmmar" in html  # the navigation link, in Swedish


def test_filters_change_the_figures_and_bad_input_is_400(movement_warehouse):
    client = _client(movement_warehouse)
    url = reverse("movement:region", args=["gr"])
    response = client.get(url, {"programme": "SA", "measure": "net", "municipality": "1481"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="selected"' in html
    assert "40,0" not in html
    assert client.get(url, {"year": "1999"}).status_code == 400
    fragment = client.get(url, {"programme": "EE"}, headers={"HX-Request": "true"})
    assert "<h1>" not in fragment.content.decode()


def test_xlsx_and_pptx_exports(movement_warehouse):
    client = _client(movement_warehouse)
    url = reverse("movement:region", args=["gr"])
    workbook = load_workbook(BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert "Annan huvudman" in workbook.sheetnames or len(workbook.sheetnames) == 6
    headers = [c.value for sheet in workbook.worksheets for c in sheet[1] if c.value]
    assert [h for h in headers if "_" in str(h)] == []  # #16: no code names such as region_code
    deck = Presentation(BytesIO(client.get(url, {"format": "pptx"}).content))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes
             if shape.has_text_frame]  # fmt: skip
    assert any("Beroendekarta" in t for t in texts)
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 2  # the map and the Sankey


def test_municipality_and_admissions_pages(movement_warehouse):
    client = _client(movement_warehouse)
    page = client.get(reverse("movement:municipality", args=["1384"]))
    assert page.status_code == 200
    assert 'id="balance-table"' in page.content.decode()
    admissions = client.get(reverse("movement:admissions", args=["gr"]))
    html = admissions.content.decode()
    assert admissions.status_code == 200
    assert 'id="flagged-list"' in html
    assert client.get(reverse("movement:admissions", args=["gr"]), {"year": "x"}).status_code == 400


def test_api_returns_released_tables(movement_warehouse):
    client = _client(movement_warehouse)
    body = client.get("/api/v1/movement/regions/gr").json()
    assert body["school_year"] == 2026
    totals = [r for r in body["other_organizer"]["rows"] if r["home_municipality_code"] is None]
    assert totals[0]["n"] == 75
    assert client.get("/api/v1/movement/municipalities/1384").status_code == 200
    admissions = client.get("/api/v1/movement/regions/gr/admissions").json()
    assert admissions["admission_year"] == 2025


def test_admissions_leave_out_rows_that_are_all_hidden_and_say_how_many(
    movement_warehouse, tmp_path
):
    """Three students admitted to a programme (NA at Mölndal's school) and never enrolled: a
    row of nothing but ``..`` for everyone else, left out and counted in a note (#16: 206 of
    322 such rows filled the demo page)."""
    rng = random.Random(11)
    world = movement_warehouse.world
    lines = [
        f"{personnummer(rng)};2025;slutlig;1481;1;{world.other_unit.code};NA;ja" for _ in range(3)
    ]
    path = tmp_path / "antagning-extra.csv"
    path.write_text("\n".join([ADMISSION_HEADER, *lines]) + "\n", encoding="utf-8")
    batch_import(path=path, kind="admissions", by=None)
    Programme.objects.get_or_create(
        code="NA", defaults={"name": "Naturvetenskapsprogrammet", "kind": "national_preparatory"}
    )
    html = _client(movement_warehouse).get(reverse("movement:admissions", args=["gr"])).content
    text = html.decode()
    table = text[text.index('id="admissions-table"') :]
    assert "Naturvetenskapsprogrammet" in table  # names, not codes (Kungsbacka's NA row)
    assert table.count("<tr") == 4  # header + the three rows with figures
    assert "1 av 4 rader (skolenhet och program) är utelämnad" in text
    assert 'data-vega-spec="admissions-chart-spec"' in text

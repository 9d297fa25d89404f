"""PPTX decks of the equity views: the page's figures as slides, hidden cells never numbers."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from pptx import Presentation

from likvard.exports.charts import spec_png as chart_png
from likvard.warehouse.services import batch_import
from tests.app.analyses.conftest import _student_files
from tests.app.conftest import World


def _deck(content: bytes):
    return Presentation(BytesIO(content))


def _tables(deck) -> list[list[list[str]]]:
    return [
        [[cell.text for cell in row.cells] for row in shape.table.rows]
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
    ]


def _texts(deck) -> str:
    return "\n".join(
        shape.text_frame.text for s in deck.slides for shape in s.shapes if shape.has_text_frame
    )


def _pictures(deck) -> int:
    return sum(1 for s in deck.slides for shape in s.shapes if shape.shape_type == 13)


@pytest.mark.django_db
@pytest.mark.slow
def test_school_deck_has_the_chart_and_the_page_figures(warehouse: World):
    client = Client()
    client.force_login(warehouse.users["organizer_analyst"])
    url = reverse("analyses:equity-school", kwargs={"code": warehouse.own_unit.code})
    response = client.get(url, {"format": "pptx"})
    assert response["Content-Type"].endswith("presentationml.presentation")
    deck = _deck(response.content)
    assert _pictures(deck) == 1
    yearly = _tables(deck)[0]
    assert yearly[0][:5] == ["Skolenhet", "Ämne", "Läsår", "Grupp", "Elever"]
    everyone = next(row for row in yearly if row[3] == "Alla")
    # The page: 30 of 40 graded above the test, 75 %, flagged; names, not codes (#16).
    assert everyone[:8] == ["Björkris skola", "Matematik", "2024/25", "Alla", "40", "0", "25", "75"]
    assert everyone[-1] == "Avviker"
    # A deck shows what stands out: only deviating rows, no slides of "Ingen systematisk
    # avvikelse" (the organizer's deck had six), the workbook has every row.
    assert all(row[-1] == "Avviker" for row in yearly[1:])
    assert "Ingen systematisk avvikelse" not in str(_tables(deck))
    assert "Bildspelet visar det som sticker ut; Excel-filen har alla rader." in _texts(deck)
    api = client.get(f"/api/v1/analyses/equity/school-units/{warehouse.own_unit.code}/pptx")
    assert _tables(_deck(api.content))[0] == yearly


@pytest.fixture
def small_unit(warehouse: World, tmp_path) -> World:
    """A third unit of the other organizer with only 6 students (below the minimum of 10)."""
    from tests.factories.organisations import SchoolUnitFactory

    unit = SchoolUnitFactory(
        code="12340006", name="Lillskolan", organizer=warehouse.other,
        municipality=warehouse.other_unit.municipality,
    )  # fmt: skip
    files = _student_files(
        tmp_path, warehouse, unit=unit.code, organizer=warehouse.other.organisation_number,
        seed=9, higher=5, students=6,
    )  # fmt: skip
    for path, kind in zip(files[:3], ("enrolments", "final_grades", "national_tests"), strict=True):
        batch_import(path=path, kind=kind, by=None, organizer=warehouse.other)
    return warehouse


@pytest.mark.django_db
@pytest.mark.slow
def test_hidden_cells_never_appear_as_numbers(small_unit: World):
    client = Client()
    client.force_login(small_unit.users["organizer_analyst"])  # not the small unit's organizer
    url = reverse("analyses:equity-school", kwargs={"code": "12340006"})
    deck = _deck(client.get(url, {"format": "pptx"}).content)
    # Hidden rows cannot stand out, so nothing does: one line says so, no table of "..".
    assert _tables(deck) == []
    assert "Inget sticker ut: ingen skolenhet, inget ämne och ingen grupp avviker" in _texts(deck)
    assert _pictures(deck) == 0  # nothing to draw: every share is hidden
    page = client.get(url).content.decode()
    assert "Ingen andel kan ritas för det valda läsåret" in page  # not an empty axis
    assert 'data-vega-spec="shares-chart"' not in page
    owner = Client()
    owner.force_login(small_unit.users["other_analyst"])
    api = owner.get("/api/v1/analyses/equity/school-units/12340006").json()
    assert next(r for r in api["yearly"]["rows"] if r["group"] == "all")["n"] == 6
    for table in _tables(_deck(owner.get(url, {"format": "pptx"}).content)):
        for row in table[1:]:
            assert ".." not in row[4:9], row  # the owner sees every figure in full


def test_chart_png_draws_the_page_spec():
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": "container",
        "data": {"values": [{"x": 0.25, "y": "MA"}]},
        "mark": "point",
        "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y"}},
    }
    png = chart_png(spec)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert spec["width"] == "container"  # the page's spec is left as it was

"""Issue #16: every level's analysis basis shows the figure computed for that level.

Five units of year 9, each 40 students graded in mathematics against a test grade C; the
share graded higher than the test (``gr9_test_vs_grade``) differs at every level:

- Björkris skola (Kungsbacka kommun):            30 of 40  = 75,0 %  (school unit)
- a second unit of Kungsbacka kommun:            10 of 40
- Kungsbacka kommun (the organizer):             40 of 80  = 50,0 %  (organizer)
- a private unit in Kungsbacka:                  36 of 40
- Kungsbacka, every organizer:                   76 of 120 = 63,3 %  (municipality)
- Mölndalsskolan (the world's other unit):        2 of 40
- Göteborgsregionen (Kungsbacka and Mölndal):    78 of 160 = 48,75 % (region)
- a unit in Skövde, outside the region:           0 of 40
- the nation:                                    78 of 200 = 39,0 %  (nation)
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pptx import Presentation

from likvard.organisations.models import Municipality
from likvard.warehouse.services import batch_import
from tests.app.analyses.conftest import _student_files
from tests.app.conftest import World
from tests.app.quality.conftest import downloaded
from tests.factories.organisations import MunicipalityFactory, OrganizerFactory, SchoolUnitFactory

YEAR = 2025
CODE = "gr9_test_vs_grade"
NAME = "Åk 9: ämnesbetyg högre än provbetyget"
UNIT, ORGANIZER, MUNICIPALITY, REGION, NATION = 75.0, 50.0, 76 / 1.2, 48.75, 39.0


@pytest.fixture
def levels(warehouse: World, tmp_path: Path) -> World:
    skovde = MunicipalityFactory(code="1496", name="Skövde")
    kungsbacka = Municipality.objects.get(code="1384")
    private = OrganizerFactory(organisation_number="5569990002", name="Friskolan AB")
    outside = OrganizerFactory(organisation_number="2120001637", name="Skövde kommun")
    setups = [
        ("65390345", "Björkris skola 7-9", warehouse.own, kungsbacka, 11, 10),
        ("65390346", "Friskolan i Kungsbacka", private, kungsbacka, 12, 36),
        ("65390347", "Skövdeskolan", outside, skovde, 13, 0),
    ]
    for code, name, organizer, municipality, seed, higher in setups:
        SchoolUnitFactory(code=code, name=name, organizer=organizer, municipality=municipality)
        files = _student_files(
            tmp_path, warehouse, unit=code, organizer=organizer.organisation_number,
            seed=seed, higher=higher, students=40,
        )  # fmt: skip
        kinds = ("enrolments", "final_grades", "national_tests")
        for path, kind in zip(files[:3], kinds, strict=True):
            batch_import(path=path, kind=kind, by=None, organizer=organizer)
    return warehouse


def _pages(world: World) -> dict[str, tuple[str, str, str]]:
    """level → (page URL, API URL, download route with its argument)."""
    unit, org, region = world.own_unit.code, world.own.organisation_number, world.region.code
    api = "/api/v1/quality/analysis-basis"
    return {
        "school_unit": (
            reverse("quality:basis-school-unit", args=[unit]),
            f"{api}/school-units/{unit}",
            unit,
        ),
        "organizer": (
            reverse("quality:basis-organizer", args=[org]),
            f"{api}/organizers/{org}",
            org,
        ),
        "region": (
            reverse("quality:basis-region", args=[region]),
            f"{api}/regions/{region}",
            region,
        ),
    }


ROUTES = {
    "school_unit": "quality:basis-school-unit-download",
    "organizer": "quality:basis-organizer-download",
    "region": "quality:basis-region-download",
}


def _sv(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _api_block(data: dict) -> dict:
    return next(b for g in data["goals"] for b in g["indicators"] if b["code"] == CODE)


def _xlsx_row(content: bytes) -> dict[str, object]:
    """The indicator's row of the first goal sheet, by column title; a share written as a
    native percent (0.75 formatted 0.0%) is read as the page shows it (75.0)."""
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets[1:]:
        rows = list(sheet.iter_rows())
        header = [c.value for c in rows[0]] if rows else []
        for row in rows[1:]:
            if row[0].value == NAME and header[:1] == ["Indikator"]:
                return {
                    title: (
                        100 * c.value
                        if isinstance(c.value, float) and c.number_format.endswith("%")
                        else c.value
                    )
                    for title, c in zip(header, row, strict=False)
                }
    raise AssertionError("no row of the indicator in the workbook")


def _pdf_row(content: bytes) -> dict[str, str]:
    """The indicator's row of the first PDF table that has it, by column title."""
    squash = lambda text: " ".join((text or "").split())  # noqa: E731
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                titles = [squash(t) for t in table[0]]
                for row in table[1:]:
                    if squash(row[0]) == NAME and titles[0] == "Indikator":
                        return dict(zip(titles, [squash(c) for c in row], strict=False))
    raise AssertionError("no row of the indicator in the PDF")


def _pptx_row(content: bytes) -> dict[str, str]:
    deck = Presentation(io.BytesIO(content))
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_table:
                rows = [[c.text.replace("\u00a0", " ") for c in r.cells] for r in shape.table.rows]
                for row in rows[1:]:
                    if row[0] == NAME:
                        return dict(zip(rows[0], row, strict=True))
    raise AssertionError("no row of the indicator in the slides")


@pytest.mark.parametrize(
    ("level", "own"),
    [("school_unit", UNIT), ("organizer", ORGANIZER), ("region", REGION)],
)
def test_each_level_shows_its_own_figure_everywhere(levels: World, level, own):
    client = Client()
    client.force_login(levels.users["regional_coordinator"])
    page_url, api_url, code = _pages(levels)[level]
    page = client.get(f"{page_url}?year={YEAR}").content.decode()
    assert re.search(rf'data-value="{CODE}">{_sv(own)} %', page), level
    value = _api_block(client.get(f"{api_url}?year={YEAR}").json())["value"]
    assert value["value"] == pytest.approx(own)
    files = {
        fmt: downloaded(client, reverse(ROUTES[level], args=[code, fmt]), {"year": YEAR})
        for fmt in ("xlsx", "pdf", "pptx")
    }
    assert _xlsx_row(files["xlsx"])["Värde"] == pytest.approx(own)
    assert _pdf_row(files["pdf"])["Värde"] == f"{_sv(own)} %"
    assert _pptx_row(files["pptx"])["Värde"] == f"{_sv(own)} %"
    # the nation beside every level
    assert _pptx_row(files["pptx"])["Riket"] == f"{_sv(NATION)} %"
    assert _pdf_row(files["pdf"])["Riket"] == f"{_sv(NATION)} %"


def test_the_municipality_and_the_nation_beside_a_school_unit(levels: World):
    client = Client()
    client.force_login(levels.users["regional_coordinator"])
    page_url, api_url, code = _pages(levels)["school_unit"]
    page = client.get(f"{page_url}?year={YEAR}").content.decode()
    for label, value in (
        ("Kungsbacka (hela kommunen)", MUNICIPALITY), ("Göteborgsregionen", REGION),
        ("Riket", NATION),
    ):  # fmt: skip
        assert re.search(rf"{re.escape(label)} <span[^>]*>{_sv(value)} %", page), label
    comparisons = {c["label"]: c["figure"]["value"] for c in _api_block(
        client.get(f"{api_url}?year={YEAR}").json())["comparisons"]}  # fmt: skip
    assert comparisons["Kungsbacka (hela kommunen)"] == pytest.approx(MUNICIPALITY)
    assert comparisons["riket"] == pytest.approx(NATION)
    assert comparisons["Göteborgsregionen"] == pytest.approx(REGION)
    route = ROUTES["school_unit"]
    xlsx = client.get(reverse(route, args=[code, "xlsx"]), {"year": YEAR}).content
    row = _xlsx_row(xlsx)
    assert row["Kungsbacka (hela kommunen)"] == pytest.approx(MUNICIPALITY)
    assert row["Göteborgsregionen"] == pytest.approx(REGION)
    pdf = _pdf_row(downloaded(client, reverse(route, args=[code, "pdf"]), {"year": YEAR}))
    assert pdf["Kungsbacka (hela kommunen)"] == f"{_sv(MUNICIPALITY)} %", pdf


def test_the_region_shows_its_members_side_by_side(levels: World):
    client = Client()
    client.force_login(levels.users["regional_coordinator"])
    page_url, api_url, _code = _pages(levels)["region"]
    page = client.get(f"{page_url}?year={YEAR}").content.decode()
    cells = re.findall(rf'data-member="{CODE}">([^<]*)<', page)
    assert cells == [f"{_sv(MUNICIPALITY)} %", f"{_sv(5.0)} %"]  # Kungsbacka, Mölndal
    members = _api_block(client.get(f"{api_url}?year={YEAR}").json())["members"]
    assert [(m["label"], m["figure"]["value"]) for m in members] == [
        ("Kungsbacka", pytest.approx(MUNICIPALITY)),
        ("Mölndal", pytest.approx(5.0)),
    ]

"""Planning basis upload, the meeting summaries (PPTX, PDF) and the CLI."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pptx import Presentation

from likvard.analyses.planning.models import PlanningBasis, PlanningBasisValue
from likvard.cli.planning import planning
from tests.app.analyses.planning.conftest import PlanningWorld
from tests.app.analyses.planning.factories import scenario_change
from tests.documents import deck_table_cells

pytestmark = pytest.mark.django_db


def _coordinator(planning_world: PlanningWorld) -> Client:
    client = Client()
    client.force_login(planning_world.world.users["regional_coordinator"])
    return client


def test_basis_upload_errors_store_nothing(planning_world: PlanningWorld):
    client = _coordinator(planning_world)
    url = reverse("planning:basis-import", kwargs={"code": "gr"})
    bad = "programkod;år;mått;värde\nEE;2027;bedömning;1\nNA;20x7;platser;120\n"
    response = client.post(url, {"file": SimpleUploadedFile("underlag.csv", bad.encode())})
    assert response.status_code == 400
    issues = response.context["issues"]
    assert [(i.row, i.column, i.code) for i in issues] == [(3, "år", "invalid_integer")]
    assert "Inget har importerats" in response.content.decode()
    assert not PlanningBasis.objects.exists()
    assert not PlanningBasisValue.objects.exists()
    good = bad.replace("20x7", "2027")
    done = client.post(url, {"file": SimpleUploadedFile("underlag.csv", good.encode())})
    assert done.status_code == 302
    assert PlanningBasisValue.objects.count() == 2
    page = client.get(reverse("planning:region", kwargs={"code": "gr"}))
    assert 'id="basis-table"' in page.content.decode()


def test_basis_upload_needs_the_coordinator(planning_world: PlanningWorld):
    client = Client()
    client.force_login(planning_world.world.users["organizer_analyst"])
    url = reverse("planning:basis-import", kwargs={"code": "gr"})
    body = b"programkod;\xc3\xa5r;m\xc3\xa5tt;v\xc3\xa4rde\nEE;2027;platser;1\n"
    response = client.post(url, {"file": SimpleUploadedFile("u.csv", body)})
    assert response.status_code == 403
    assert not PlanningBasis.objects.exists()


def test_pptx_and_pdf_hold_the_page_figures(planning_world: PlanningWorld):
    scenario_change(planning_world.world, planning_world.other_upper, places=30)
    client = _coordinator(planning_world)
    pptx = client.get(reverse("planning:region-export", kwargs={"code": "gr", "fmt": "pptx"}))
    assert pptx.status_code == 200
    deck = Presentation(io.BytesIO(pptx.content))
    texts = deck_table_cells(deck)
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert "Planering och dimensionering – Göteborgsregionen" in titles
    assert "Platser och efterfrågan läsåret 2025/26 (start hösten 2025)" in titles
    assert {"2030", "60"} <= set(texts)  # the forecast table: 60 16-year-olds a year
    # supply and demand per programme, 2025, by programme name (#16: names, not codes)
    assert {"Naturvetenskapsprogrammet", "30", "El- och energiprogrammet", "12"} <= set(texts)
    pictures = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13]
    assert len(pictures) == 2
    pdf = client.get(reverse("planning:region-export", kwargs={"code": "gr", "fmt": "pdf"}))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
        size = (document.pages[0].width, document.pages[0].height)
    assert size == pytest.approx((595.3, 841.9), abs=1)  # A4
    assert "Planering och dimensionering – Göteborgsregionen" in text
    assert "Övergångsandel (elever i år 1 per 16-åring): 0,70" in text
    assert "Naturvetenskapsprogrammet 30 30 0 30 0" in text
    assert "El- och energiprogrammet 12 12 0 12 0" in text  # 2025: the +30 EE starts in 2026


def test_the_pdf_names_each_chart_and_table_once(planning_world: PlanningWorld):
    """The PDF printed "Platser minus efterfrågan per program" three times above the heat map
    (the section's heading, the chart's caption, the chart's own title) and "Platser och
    efterfrågan 2025" twice above its table, which named a calendar year, not the school year."""
    client = _coordinator(planning_world)
    pdf = client.get(reverse("planning:region-export", kwargs={"code": "gr", "fmt": "pdf"}))
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert text.count("Platser minus efterfrågan") == 1
    assert text.count("Framskrivna 16-åringar") == 1
    assert text.count("Platser och efterfrågan") == 2  # the section, then its table's year
    assert "Platser och efterfrågan läsåret 2025/26 (start hösten 2025)" in text


def test_workbook_has_swedish_headers_and_names(planning_world: PlanningWorld):
    """#16: the planning workbook's headers were code names (``programme_code``, ``gap``)."""
    client = _coordinator(planning_world)
    url = reverse("planning:region-export", kwargs={"code": "gr", "fmt": "xlsx"})
    book = load_workbook(io.BytesIO(client.get(url).content))
    assert book.sheetnames == ["16-åringar", "Förväntade elever", "Platser och efterfrågan"]
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1] if c.value]
        assert not [h for h in header if "_" in h], (sheet.title, header)
        assert sheet.freeze_panes == "A2"
    supply = book["Platser och efterfrågan"]
    header = [c.value for c in supply[1]]
    assert {"År", "Program", "Platser", "Efterfrågan", "Platser minus efterfrågan"} <= set(header)
    programmes = {
        row[header.index("Program")] for row in supply.iter_rows(min_row=2, values_only=True)
    }
    assert "Naturvetenskapsprogrammet" in programmes
    year = supply.cell(row=2, column=header.index("År") + 1)
    assert year.value == 2025
    assert year.number_format == "0"


def test_cli_forecast(planning_world: PlanningWorld, tmp_path: Path):
    runner = CliRunner()
    result = runner.invoke(planning, ["forecast", "--region", "gr", "--from-year", "2024"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("municipality_code;year;")
    assert any(line.startswith("1384;2030;10;40;") for line in lines)
    out = tmp_path / "prognos.xlsx"
    xlsx = runner.invoke(
        planning,
        ["forecast", "--region", "gr", "--from-year", "2024", "--format", "xlsx", "-o", str(out)],
    )
    assert xlsx.exit_code == 0, xlsx.output
    assert out.read_bytes()[:2] == b"PK"
    unknown = runner.invoke(planning, ["forecast", "--region", "x", "--from-year", "2024"])
    assert unknown.exit_code == 2

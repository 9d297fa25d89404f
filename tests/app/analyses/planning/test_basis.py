"""Skolverket's planning basis: each file once per region, and its figures beside supply and
demand on the page, in the API and in the PPTX and PDF summaries."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pptx import Presentation

from likvard.analyses.planning.models import PlanningBasis, PlanningBasisValue
from tests.app.analyses.planning.conftest import PlanningWorld

pytestmark = pytest.mark.django_db

# NA assessed for 2025 (up); EE only for 2024 (down), carried forward to the 2025 row.
BASIS = (
    "programkod;år;mått;värde\n"
    "NA;2025;bedömning;1\nNA;2025;platser;140\nNA;2025;sökande;150\n"
    "EE;2024;bedömning;-1\nEE;2024;platser;35\n"
)


def _coordinator(planning_world: PlanningWorld) -> Client:
    client = Client()
    client.force_login(planning_world.world.users["regional_coordinator"])
    return client


def _upload(client: Client, body: str = BASIS, name: str = "underlag.csv"):
    url = reverse("planning:basis-import", kwargs={"code": "gr"})
    return client.post(url, {"file": SimpleUploadedFile(name, body.encode())}, follow=True)


def test_the_same_file_again_changes_nothing(planning_world: PlanningWorld):
    client = _coordinator(planning_world)
    first = _upload(client)
    assert "5 rader" in first.content.decode()
    basis = PlanningBasis.objects.get()
    again = _upload(client, name="samma-fil-annat-namn.csv")
    assert again.status_code == 200
    assert "redan importerad" in again.content.decode()
    assert PlanningBasis.objects.get() == basis  # still one import, the first
    assert PlanningBasisValue.objects.count() == 5
    other = _upload(client, BASIS.replace("140", "145"))
    assert "5 rader" in other.content.decode()
    assert PlanningBasis.objects.count() == 2


def test_basis_beside_supply_and_demand_on_the_page_and_api(planning_world: PlanningWorld):
    client = _coordinator(planning_world)
    _upload(client)
    page = client.get(reverse("planning:region", kwargs={"code": "gr"}))
    table = page.content.decode().split('id="supply-table"')[1].split("</table>")[0]
    assert "Skolverket: bedömning" in table
    na_2025 = next(
        r
        for r in table.split("<tr>")
        if '<th scope="row">2025</th>' in r and '<span class="muted">NA</span>' in r
    )
    assert "Upp (+1)" in na_2025
    assert '<td class="num">140</td>' in na_2025
    assert '<td class="num">150</td>' in na_2025
    ee_2025 = next(
        r
        for r in table.split("<tr>")
        if '<th scope="row">2025</th>' in r and '<span class="muted">EE</span>' in r
    )
    assert "Ned (−1)" in ee_2025
    assert '<td class="num">2024</td>' in ee_2025  # the latest earlier basis year
    rows = client.get("/api/v1/planning/regions/gr/supply-demand").json()
    na = next(r for r in rows if r["year"] == 2025 and r["programme_code"] == "NA")
    assert (na["basis_year"], na["basis_assessment"], na["basis_places"]) == (2025, 1, 140.0)
    assert na["gap"] == 0


def test_pptx_and_pdf_summaries_show_the_basis(planning_world: PlanningWorld):
    client = _coordinator(planning_world)
    _upload(client)
    pptx = client.get(reverse("planning:region-export", kwargs={"code": "gr", "fmt": "pptx"}))
    deck = Presentation(io.BytesIO(pptx.content))
    rows = [
        [cell.text for cell in row.cells]
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
    ]
    header = ["Program", "Platser", "Efterfrågan", "Skillnad", "Platser (scenario)",
              "Skillnad (scenario)", "Skolverkets bedömning", "Platser (Skolverket)"]  # fmt: skip
    assert header in rows
    na = ["Naturvetenskapsprogrammet", "30", "30", "0", "30", "0", "upp (+1)", "140"]
    assert na in rows  # programmes by name (#16)
    assert ["El- och energiprogrammet", "12", "12", "0", "12", "0", "ned (−1)", "35"] in rows
    pdf = client.get(reverse("planning:region-export", kwargs={"code": "gr", "fmt": "pdf"}))
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert "Naturvetenskapsprogrammet 30 30 0 30 0 upp (+1) 140" in text
    assert "El- och energiprogrammet 12 12 0 12 0 ned (−1) 35" in text


def test_the_basis_and_the_scenario_name_programmes_and_measures_in_swedish(
    planning_world: PlanningWorld,
):
    """The imported basis lists programmes by name with Swedish measures and the assessment
    as on the supply table (not 'NA | assessment | 1.0'), and a scenario change names its
    programme ('30 platser i El- och energiprogrammet', not 'i EE')."""
    from tests.app.analyses.planning.factories import scenario_change

    client = _coordinator(planning_world)
    _upload(client)
    scenario_change(planning_world.world, planning_world.other_upper)
    page = client.get(reverse("planning:region", kwargs={"code": "gr"})).content.decode()
    table = page.split('id="basis-table"')[1].split("</table>")[0]
    assert "Naturvetenskapsprogrammet" in table
    for word in ("Bedömning", "Platser", "Sökande", "Upp (+1)", "Ned (−1)"):
        assert word in table
    assert '<td class="num">140</td>' in table
    for stored in ("assessment", "places"):
        assert stored not in table
    scenario = page.split('id="scenario"')[1].split("</ul>")[0]
    assert "30 platser i El- och energiprogrammet" in scenario
